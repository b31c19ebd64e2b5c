// Crash safety: a process casting ballots is killed at random instants, 200 times — with
// SIGKILL on POSIX, TerminateProcess on Windows (under Wine: SIGKILL of the Wine process);
// after each kill the box must hold every confirmed ballot, no half-written one, and no used
// code without its ballot. On Windows the casting child is test_core.exe itself, started with
// --crash-child (tests/core/main.cpp), since there is no fork().
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
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

#include <cstdlib>
#include <sstream>
#else
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

namespace pingyi {
namespace {

// The casting child: reads the package and the codes the test left in `dir`, reopens the box
// and casts until it has no code left or is killed, emitting "READY" and then each confirmed
// record hash. Returns its exit code.
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
    if (!box) return 3;
    if (!emit("READY\n")) return 5;
    std::mt19937 child_prng(round);
    for (const auto& code : codes) {
        if (box->CheckCode(code).kind != CodeStatus::Kind::Valid) continue;
        std::vector<std::uint32_t> choices(4);
        for (auto& c : choices)
            c = static_cast<std::uint32_t>(1 + child_prng() % 3);
        const auto grid =
            EncryptGrid(pkg->public_key, pkg->definition.Shape(), choices, pkg->BallotContext(0), SystemRng());
        auto receipt = box->Cast(code, grid);
        if (!receipt) return 4;
        if (!emit(ToHex(receipt->hash) + "\n")) return 5;
    }
    return 0;
}

struct Round {
    bool killed = false;  // stopped from outside, not by its own exit
    int exit_code = 0;
    std::string output;  // after READY: one record hash per confirmed ballot
};

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
    REQUIRE((ReadFile(read_end, ready, sizeof ready, &got, nullptr) && got == 6));
    std::this_thread::sleep_for(delay);
    const UINT kKilled = 0xDEAD;
    TerminateProcess(pi.hProcess, kKilled);
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
    REQUIRE(read(fds[0], ready, sizeof ready) == 6);
    std::this_thread::sleep_for(delay);
    kill(pid, SIGKILL);
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
            const auto grid =
                EncryptGrid(pkg.public_key, pkg.definition.Shape(), choices, pkg.BallotContext(0), SystemRng());
            REQUIRE(scratch->Cast(*NormalizeCode(created->codes[static_cast<std::size_t>(i)].code), grid).ok());
        }
        cast_us =
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count() / 3;
    }
    const std::int64_t spread_us = std::max<std::int64_t>(150000, 3 * cast_us);
    MESSAGE("one durable cast takes " << cast_us / 1000 << " ms here; kills within " << spread_us / 1000
                                      << " ms of the child's start");
    std::mt19937 prng(20261128);
    std::set<std::string> confirmed;
    int kills_mid_cast = 0;
    for (int round = 0; round < 200; ++round) {
        // Killed somewhere within the next few casts.
        const Round run =
            RunRound(dir.path(), round, std::chrono::microseconds(static_cast<std::int64_t>(prng()) % spread_us));
        if (run.killed)
            ++kills_mid_cast;
        else
            REQUIRE_MESSAGE(run.exit_code == 0, "the casting child failed with " << run.exit_code);
        for (std::size_t pos = 0; pos + 65 <= run.output.size(); pos += 65)
            confirmed.insert(run.output.substr(pos, 64));

        auto contents = ReadBox(box_path);
        REQUIRE(contents.ok());
        // Every ballot whole, under its own hash and signed; the signed state names exactly the
        // ballots present (no half cast: a ballot without its state, or the reverse).
        REQUIRE(CheckStoredBox(*contents, pkg).ok());
        std::set<std::string> stored;
        const std::size_t ballots = contents->ballots.size();
        for (const auto& r : contents->ballots) {
            REQUIRE(BallotHash(pkg.fingerprint, 1, r.body) == r.hash);
            REQUIRE(VerifySignature(contents->device_public_key, BallotSigningMessage(r.hash), r.signature).ok());
            stored.insert(ToHex(r.hash));
            REQUIRE(r.body.size() == 4 + EncodedGridSize(pkg.definition.Shape()));
        }
        std::size_t used = 0;
        for (const auto& c : contents->codes)
            used += c.second.second ? 1 : 0;
        REQUIRE(used == ballots);
        for (const auto& h : confirmed)
            REQUIRE_MESSAGE(stored.count(h) == 1, "confirmed ballot " << h << " is missing");
    }
    MESSAGE("killed " << kills_mid_cast << " of 200 children while casting; " << confirmed.size()
                      << " confirmed ballots all present");
    CHECK(kills_mid_cast >= 150);
    CHECK(confirmed.size() >= 100);
    // A ballot of the box still verifies completely after all of this.
    auto contents = ReadBox(box_path).value();
    REQUIRE(!contents.ballots.empty());
    const auto& last = contents.ballots.back();
    auto grid = EncryptedGrid::Decode(pkg.group(), pkg.definition.Shape(), ByteView(last.body).subspan(4));
    REQUIRE(grid.ok());
    CHECK(VerifyGrid(pkg.public_key, pkg.definition.Shape(), *grid, pkg.BallotContext(0)).ok());
}

}  // namespace pingyi
