// Crash safety: a process casting ballots is killed at random instants, 200 times — with
// SIGKILL on POSIX, TerminateProcess on Windows (under Wine: SIGKILL of the Wine process);
// after each kill the box must hold every confirmed ballot, no half-written one, and no used
// code without its ballot. On Windows the casting child is test_core.exe itself, started with
// --crash-child (tests/core/main.cpp), since there is no fork().
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <random>
#include <set>
#include <string_view>
#include <thread>
#include <vector>

#include "core/ballot_box.hpp"
#include "core/file_io.hpp"
#include "test_crash.hpp"
#include "test_support.hpp"

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <sstream>
#else
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

namespace pingyi {
namespace {

// The casting child: reads the package and the codes the test left in `dir`, reopens the box
// and casts until it has no code left or is killed, emitting "READY" and then, per confirmed
// ballot, its record hash (64 hex digits), a space, the microseconds since READY and a
// newline. When it cannot go on it emits "ERROR <code>: <detail>" for the parent's message.
// Returns its exit code.
int CastUntilKilled(const std::filesystem::path& dir, unsigned round, const std::function<bool(std::string_view)>& emit)
{
    auto pkg_file = ReadWholeFile(dir / "package.pyp", FileKind::kPackage);
    if (!pkg_file) return 6;
    auto pkg = LoadPackage(*pkg_file);
    if (!pkg) return 6;
    auto text = ReadWholeFile(dir / "codes.txt", FileKind::kSettings);
    if (!text) return 6;
    std::vector<std::string> codes;
    const std::string all(text->begin(), text->end());
    for (std::size_t pos = 0; pos + 17 <= all.size(); pos += 17)  // 16 characters and a newline
        codes.push_back(all.substr(pos, 16));
    auto box = BallotBox::Resume(dir / "box.sqlite", "1234");
    if (!box) {
        emit("ERROR " + box.error().code + ": " + box.error().detail + "\n");
        return 3;
    }
    if (!emit("READY\n")) return 5;
    const auto ready_at = std::chrono::steady_clock::now();
    std::mt19937 child_prng(round);
    for (const auto& code : codes) {
        if (box->CheckCode(code).kind != CodeStatus::Kind::Valid) continue;
        std::vector<std::uint32_t> choices(4);
        for (auto& c : choices)
            c = static_cast<std::uint32_t>(1 + child_prng() % 3);
        const auto grid = EncryptGrid(pkg->public_key, pkg->Shape(), choices, pkg->BallotContext(0), SystemRng());
        auto receipt = box->Cast(code, grid);
        if (!receipt) {
            emit("ERROR " + receipt.error().code + ": " + receipt.error().detail + "\n");
            return 4;
        }
        const auto since_ready =
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - ready_at);
        if (!emit(ToHex(receipt->hash) + " " + std::to_string(since_ready.count()) + "\n")) return 5;
    }
    return 0;
}

struct Round {
    bool started = false;  // the child said READY (else `output` says why not)
    bool killed = false;   // stopped from outside, not by its own exit
    int exit_code = 0;
    std::string output;  // after READY: one record hash per confirmed ballot, or an ERROR line
};

// What a child's output says: the confirmed record hashes, the microseconds from READY to its
// last confirmed ballot, and its ERROR line if it wrote one.
struct ChildReport {
    std::vector<std::string> confirmed;
    std::int64_t last_us = 0;
    std::string error;
};

ChildReport ParseOutput(const std::string& output)
{
    ChildReport report;
    std::size_t pos = 0;
    while (pos < output.size()) {
        const std::size_t end = output.find('\n', pos);
        if (end == std::string::npos) break;  // a line cut by the kill was never confirmed
        const std::string line = output.substr(pos, end - pos);
        if (line.rfind("ERROR ", 0) == 0) {
            report.error = line;
        } else if (line.size() > 65 && line[64] == ' ') {
            report.confirmed.push_back(line.substr(0, 64));
            report.last_us = std::strtoll(line.c_str() + 65, nullptr, 10);
        }
        pos = end + 1;
    }
    return report;
}

#ifdef _WIN32

// The child: test_core.exe --crash-child <dir> <round> <pipe handle>.
Round RunRound(const std::filesystem::path& dir, int round, std::chrono::microseconds delay)
{
    SECURITY_ATTRIBUTES sa{sizeof(sa), nullptr, TRUE};
    HANDLE read_end = nullptr, write_end = nullptr;
    REQUIRE(CreatePipe(&read_end, &write_end, &sa, 0));
    SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0);
    wchar_t exe[MAX_PATH];
    REQUIRE(GetModuleFileNameW(nullptr, exe, MAX_PATH) > 0);
    std::wostringstream cmd;
    cmd << L"\"" << exe << L"\" --crash-child \"" << dir.wstring() << L"\" " << round << L" "
        << reinterpret_cast<std::uintptr_t>(write_end);
    std::wstring line = cmd.str();
    STARTUPINFOW si{};
    si.cb = sizeof(si);
    PROCESS_INFORMATION pi{};
    REQUIRE(CreateProcessW(exe, line.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr, &si, &pi));
    CloseHandle(write_end);
    Round r;
    char ready[6];
    DWORD got = 0;
    r.started =
        ReadFile(read_end, ready, sizeof ready, &got, nullptr) && got == 6 && std::string_view(ready, 6) == "READY\n";
    if (!r.started)
        r.output.assign(ready, got);
    else
        std::this_thread::sleep_for(delay);
    const UINT kKilled = 0xDEAD;
    if (r.started) TerminateProcess(pi.hProcess, kKilled);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    r.killed = code == kKilled;
    r.exit_code = static_cast<int>(code);
    char buf[4096];
    while (ReadFile(read_end, buf, sizeof buf, &got, nullptr) && got > 0)
        r.output.append(buf, got);
    CloseHandle(read_end);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return r;
}

#else

Round RunRound(const std::filesystem::path& dir, int round, std::chrono::microseconds delay)
{
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        const auto emit = [&](std::string_view line) {
            return write(fds[1], line.data(), line.size()) == static_cast<ssize_t>(line.size());
        };
        _exit(CastUntilKilled(dir, static_cast<unsigned>(round), emit));
    }
    close(fds[1]);
    Round r;
    char ready[6];
    const ssize_t got = read(fds[0], ready, sizeof ready);
    r.started = got == 6 && std::string_view(ready, 6) == "READY\n";
    if (!r.started) {
        if (got > 0) r.output.assign(ready, static_cast<std::size_t>(got));
    } else {
        std::this_thread::sleep_for(delay);
        kill(pid, SIGKILL);
    }
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    r.killed = WIFSIGNALED(wstatus);
    r.exit_code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    char buf[4096];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;)
        r.output.append(buf, static_cast<std::size_t>(n));
    close(fds[0]);
    return r;
}

#endif

}  // namespace

#ifdef _WIN32
int CrashChildMain(int argc, char** argv)
{
    if (argc != 5) return 2;
    const std::filesystem::path dir = std::filesystem::u8path(argv[2]);
    const auto round = static_cast<unsigned>(std::strtoul(argv[3], nullptr, 10));
    const auto handle = reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(std::strtoull(argv[4], nullptr, 10)));
    const auto emit = [handle](std::string_view line) {
        DWORD written = 0;
        return WriteFile(handle, line.data(), static_cast<DWORD>(line.size()), &written, nullptr) &&
               written == line.size();
    };
    return CastUntilKilled(dir, round, emit);
}
#endif

TEST_CASE("box: 200 kills in the middle of casting lose no confirmed ballot and leave no half ballot")
{
    test::TempDir dir;
    auto def = test::SmallElection(4);
    def.categories = {{"党员", 5000, 1}};  // more than 200 kills can use up on a fast machine
    auto created = CreateElection(def, "pw", SystemRng(), test::kFastKdf);
    REQUIRE(created.ok());
    const ElectionPackage pkg = LoadPackage(created->package.Serialize()).value();
    const auto box_path = dir / "box.sqlite";
    {
        auto box = BallotBox::Create(box_path, pkg, 1, "1234", SystemRng(), test::kFastKdf);
        REQUIRE(box.ok());
    }
    // What the casting child reads: the package and the codes (16 characters and a newline).
    REQUIRE(WriteFileAtomic(dir / "package.pyp", created->package.Serialize()));
    std::string codes_text;
    for (const auto& c : created->codes)
        codes_text += *NormalizeCode(c.code) + "\n";
    REQUIRE(WriteFileAtomic(dir / "codes.txt", AsBytes(codes_text)));

    // How long one durable cast takes on this machine now (50-80 ms on an idle Linux box, a few
    // times that under Wine or load): the kills are spread over about three casts, so that
    // they land at every point of a cast and enough ballots are confirmed in between.
    std::int64_t cast_us = 0;
    {
        const auto scratch_path = dir / "scratch.sqlite";
        auto scratch = BallotBox::Create(scratch_path, pkg, 1, "1234", SystemRng(), test::kFastKdf);
        REQUIRE(scratch.ok());
        const auto t0 = std::chrono::steady_clock::now();
        const std::vector<std::uint32_t> choices = {1, 2, 3, 1};
        for (int i = 0; i < 3; ++i) {
            const auto grid = EncryptGrid(pkg.public_key, pkg.Shape(), choices, pkg.BallotContext(0), SystemRng());
            REQUIRE(scratch->Cast(*NormalizeCode(created->codes[static_cast<std::size_t>(i)].code), grid).ok());
        }
        cast_us =
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count() / 3;
    }
    // The children's own casts are what the kills must land in, and they can be much slower
    // than the parent's (a fresh process, and under Wine or a loaded machine): the spread
    // follows what the children report, round after round.
    std::int64_t spread_us = std::max<std::int64_t>(150000, 3 * cast_us);
    std::int64_t child_us = 0, child_casts = 0;
    MESSAGE("one durable cast takes " << cast_us / 1000 << " ms here; kills within " << spread_us / 1000
                                      << " ms of the child's start at first");
    std::mt19937 prng(20261128);
    std::set<std::string> confirmed;
    int kills_mid_cast = 0;
    // 200 kills, and more rounds (up to 400) if fewer than 100 ballots were confirmed by then.
    int round = 0;
    for (; round < 400 && (round < 200 || confirmed.size() < 100); ++round) {
        // Killed somewhere within the next few casts.
        const Round run =
            RunRound(dir.path(), round, std::chrono::microseconds(static_cast<std::int64_t>(prng()) % spread_us));
        const ChildReport report = ParseOutput(run.output);
        confirmed.insert(report.confirmed.begin(), report.confirmed.end());
        if (!report.confirmed.empty()) {
            child_us += report.last_us;
            child_casts += static_cast<std::int64_t>(report.confirmed.size());
            spread_us = std::max<std::int64_t>(150000, 3 * child_us / child_casts);
        }
        REQUIRE_MESSAGE(run.started, "round " << round << ": the casting child did not start (exit code "
                                              << run.exit_code << "): " << run.output);
        if (run.killed)
            ++kills_mid_cast;
        else
            REQUIRE_MESSAGE(run.exit_code == 0, "round " << round << ": the casting child failed with exit code "
                                                         << run.exit_code << ": " << report.error);

        auto contents = ReadBox(box_path);
        REQUIRE_MESSAGE(contents.ok(), "round " << round << ": the box cannot be read after the kill: "
                                                << (contents ? std::string()
                                                             : contents.error().code + ": " + contents.error().detail));
        // Every ballot whole, under its own hash and signed; the signed state names exactly the
        // ballots present (no half cast: a ballot without its state, or the reverse).
        const Status stored_ok = CheckStoredBox(*contents, pkg);
        REQUIRE_MESSAGE(stored_ok.ok(), "round " << round << ": " << (stored_ok ? "" : stored_ok.error().detail));
        std::set<std::string> stored;
        const std::size_t ballots = contents->ballots.size();
        for (const auto& r : contents->ballots) {
            REQUIRE_MESSAGE(BallotHash(pkg.suite(), pkg.fingerprint, 1, r.body) == r.hash, "round " << round);
            REQUIRE_MESSAGE(
                VerifySignature(contents->device_public_key, BallotSigningMessage(r.hash), r.signature).ok(),
                "round " << round);
            stored.insert(ToHex(r.hash));
            REQUIRE_MESSAGE(r.body.size() == 4 + EncodedGridSize(pkg.Shape()), "round " << round);
        }
        std::size_t used = 0;
        for (const auto& c : contents->codes)
            used += c.second.second ? 1 : 0;
        REQUIRE_MESSAGE(used == ballots, "round " << round);
        for (const auto& h : confirmed)
            REQUIRE_MESSAGE(stored.count(h) == 1, "round " << round << ": confirmed ballot " << h << " is missing");
    }
    MESSAGE("killed " << kills_mid_cast << " of " << round << " children while casting; " << confirmed.size()
                      << " confirmed ballots all present; kills within " << spread_us / 1000 << " ms at the end");
    CHECK(kills_mid_cast >= 150);
    CHECK(confirmed.size() >= 100);
    // A ballot of the box still verifies completely after all of this.
    auto contents = ReadBox(box_path).value();
    REQUIRE(!contents.ballots.empty());
    const auto& last = contents.ballots.back();
    auto grid = EncryptedGrid::Decode(pkg.group(), pkg.Shape(), ByteView(last.body).subspan(4));
    REQUIRE(grid.ok());
    CHECK(VerifyGrid(pkg.public_key, pkg.Shape(), *grid, pkg.BallotContext(0)).ok());
}

}  // namespace pingyi
