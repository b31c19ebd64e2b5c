#include "admin/meeting_cli.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "admin/cli_io.hpp"
#include "admin/election_cli.hpp"
#include "admin/trustee_cli.hpp"
#include "app/tally_flow.hpp"
#include "core/device_list.hpp"
#include "core/error_codes.hpp"
#include "core/kiosk_session.hpp"
#include "core/reports.hpp"
#include "core/tally.hpp"

namespace pingyi::cli {
namespace {

// Display width of UTF-8 text in a terminal: CJK characters take two columns.
std::size_t Width(const std::string& s)
{
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        w += len >= 3 ? 2 : 1;
        i += len;
    }
    return w;
}

std::string Pad(const std::string& s, std::size_t width, bool right = false)
{
    const std::size_t w = Width(s);
    const std::string fill(w < width ? width - w : 0, ' ');
    return right ? fill + s : s + fill;
}

}  // namespace

ProgressFn TerminalProgress(const char* label)
{
    if (!isatty(STDERR_FILENO)) return {};
    return [label](std::size_t done, std::size_t total) {
        const int bar = total ? static_cast<int>(30 * done / total) : 30;
        std::fprintf(stderr, "\r%s [%-30s] %zu/%zu", label, std::string(static_cast<std::size_t>(bar), '#').c_str(),
                     done, total);
        if (done == total) std::fprintf(stderr, "\n");
        return true;
    };
}

// What a box file says goes to the terminal with every control character (C0, DEL, C1) and
// every invalid UTF-8 byte written as \xNN: a hostile box cannot send escape sequences.
std::string Printable(std::string_view s)
{
    std::string out;
    char hex[8];
    const auto escape = [&](unsigned char b) {
        std::snprintf(hex, sizeof hex, "\\x%02x", b);
        out += hex;
    };
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x20 || b == 0x7F) {
            escape(b);
            ++i;
            continue;
        }
        if (b < 0x80) {
            out += static_cast<char>(b);
            ++i;
            continue;
        }
        // A well-formed UTF-8 sequence (no overlong form, no surrogate, at most U+10FFFF)
        // that is not a C1 control (U+0080–U+009F) is printed as it is.
        const std::size_t len = b >= 0xC2 && b <= 0xDF   ? 2
                                : b >= 0xE0 && b <= 0xEF ? 3
                                : b >= 0xF0 && b <= 0xF4 ? 4
                                                         : 0;
        bool valid = len > 0 && i + len <= s.size();
        for (std::size_t k = 1; valid && k < len; ++k)
            valid = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
        if (valid) {
            const auto b1 = static_cast<unsigned char>(s[i + 1]);
            if ((b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 >= 0xA0) || (b == 0xF0 && b1 < 0x90) ||
                (b == 0xF4 && b1 >= 0x90) || (b == 0xC2 && b1 < 0xA0))
                valid = false;
        }
        if (!valid) {
            escape(b);
            ++i;
            continue;
        }
        out.append(s.substr(i, len));
        i += len;
    }
    return out;
}

// --expect-device and the fingerprints of every --expect-device-file, in that order; false
// (after saying why, with the file and the line) when a file cannot be read or is malformed.
bool GatherExpectedDevices(std::vector<std::string> devices, const std::vector<std::filesystem::path>& files,
                           std::vector<std::string>& out)
{
    for (const auto& file : files) {
        auto list = ReadDeviceList(file);
        if (!list) {
            SayError(list.error());
            return false;
        }
        devices.insert(devices.end(), list->begin(), list->end());
    }
    out = std::move(devices);
    return true;
}

void PrintReport(const VerifyReport& report)
{
    for (const auto& l : report.lines)
        std::printf("%s  %-20s %s\n",
                    !l.ok       ? "FAIL"
                    : l.open    ? "OPEN"
                    : l.warning ? "WARN"
                                : "PASS",
                    l.id.c_str(), Printable(InWords(l.phrase)).c_str());
    if (!report.ok())
        Say(Ph("VERIFICATION FAILED"));
    else if (report.any_open())
        Say(Ph("CHECKS PASSED, BUT A POLL IS STILL OPEN: not final; the tally refuses an open box"));
    else
        Say(Ph("ALL CHECKS PASSED"));
}

void PrintResults(const ElectionDefinition& def, const Results& r)
{
    const auto summary = Summarize(def, r);
    std::printf("\n%s%s\n", def.title.c_str(), def.test_mode ? InWords(Ph("  [TEST]")).c_str() : "");
    std::vector<Phrase> categories;
    for (std::size_t c = 0; c < def.categories.size(); ++c)
        categories.push_back(
            Ph("{0} {1} of {2}", def.categories[c].name, r.attendance[c].used, r.attendance[c].issued));
    Phrase line = Ph("ballots {0} ({1})", r.TotalBallots(), ListOf(std::move(categories)));
    if (r.present)
        line = *r.present == r.TotalBallots()
                   ? Ph("{0}, present {1}", std::move(line), *r.present)
                   : Ph("{0}, present {1}: not the number of ballots!", std::move(line), *r.present);
    Say(line);
    // The results' notes are the signed English record (the reports say the same in words).
    if (!ConsoleIsChinese())
        for (const auto& n : r.notes)
            std::printf("note: %s\n", n.c_str());
    std::printf("\n%s", Pad(InWords(Ph("Name")), 10).c_str());
    for (const auto& o : def.options)
        std::printf("%s", Pad(o, 10, true).c_str());
    const std::string weighted = InWords(Ph("weighted {0}%", def.options.front()));
    const std::size_t pct_width = std::max<std::size_t>(11, Width(weighted) + 2);
    std::printf("%s  %s\n", Pad(weighted, pct_width, true).c_str(), InWords(Ph("suggested")).c_str());
    for (std::size_t i = 0; i < def.roster.size(); ++i) {
        std::printf("%s", Pad(def.roster[i].name, 10).c_str());
        for (std::size_t o = 0; o < def.options.size(); ++o)
            std::printf("%s", Pad(std::to_string(summary[i].total[o]), 10, true).c_str());
        char pct[32];
        std::snprintf(pct, sizeof pct, "%.1f%%", summary[i].weighted_percent[0]);
        std::printf("%s  %s\n", Pad(pct, pct_width, true).c_str(), def.options[summary[i].suggested].c_str());
    }
}

void PrintWritten(const std::filesystem::path& folder)
{
    std::printf("\n");
    Say(Ph("written to {0}: {1}", folder.string(),
           std::string(app::kResultsFile) + " " + app::kXlsxFile + " " + app::kTallySheetFile + " " +
               app::kLettersFile + " " + app::kTrackingCodesPdfFile + " " + app::kTrackingCodesTextFile));
}

app::PhaseProgress TerminalPhases(const char* decrypting_label)
{
    return [verifying = TerminalProgress("verifying"), decrypting = TerminalProgress(decrypting_label)](
               app::TallyPhase phase, std::size_t done, std::size_t total) {
        if (phase == app::TallyPhase::Verifying && verifying) return verifying(done, total);
        if (phase == app::TallyPhase::Decrypting && decrypting) return decrypting(done, total);
        return true;
    };
}

namespace {

// The tally as every face runs it runs it (app::VerifyAndTally), then the reports; prints the checks
// and says why when there are no results.
std::optional<app::TallyOutcome> TallyAndReport(const app::TallyRequest& req, const std::filesystem::path& font)
{
    app::TallyOutcome outcome = app::VerifyAndTally(req, TerminalPhases());
    if (!outcome.audit.report.lines.empty()) PrintReport(outcome.audit.report);
    if (outcome.error) {
        SayError(*outcome.error);
        return std::nullopt;
    }
    if (outcome.decisions_error)
        SayWarning(Ph("{0} is not used: {1}", app::kDecisionsFile, Phrase::ForError(*outcome.decisions_error)));
    if (Status s = app::WriteTallyFiles(outcome, req.out_folder, font); !s) {
        SayError(s.error());
        return std::nullopt;
    }
    return outcome;
}

}  // namespace

int RunVerify(const VerifyOptions& opts)
{
    std::vector<std::string> devices;
    if (!GatherExpectedDevices(opts.expect_devices, opts.expect_device_files, devices)) return 1;
    auto pkg = ReadFile(opts.package, FileKind::kPackage);
    if (!pkg) {
        SayError(pkg.error());
        return 1;
    }
    Audit audit = VerifyElection(*pkg, opts.boxes, TerminalProgress("verifying"));
    if (opts.expect_fingerprint) CheckExpectedFingerprint(audit, *opts.expect_fingerprint);
    CheckExpectedDevices(audit, devices);  // a warning line when none is given
    if (!opts.results.empty()) {
        auto res = ReadFile(opts.results, FileKind::kResults);
        if (!res)
            audit.report.Add("results.read", false, Phrase::ForError(res.error()));
        else
            VerifyResults(audit, *res);
    }
    for (const auto& partial : opts.partials)
        VerifyPartialFile(audit, partial);
    PrintReport(audit.report);
    if (opts.list_tracking) {
        // Voters look their receipt's tracking code up here: every ballot in the boxes.
        std::printf("\n");
        Say(Ph("tracking codes of the ballots:"));
        for (const auto& b : audit.boxes) {
            std::printf("%s", InWords(Ph("kiosk {0}:", b.contents.kiosk)).c_str());
            std::size_t n = 0;
            for (const auto& ballot : b.contents.ballots)
                std::printf("%s%s", n++ % 8 == 0 ? "\n  " : "  ", TrackingCode(ballot.hash).c_str());
            std::printf("\n");
        }
    }
    if (opts.list_spoiled) {
        // The tellers' checks: never counted; their choices recomputed from the nonces, no key.
        const ElectionDefinition* def = audit.package ? &audit.package->definition : nullptr;
        std::printf("\n");
        Say(audit.spoiled.empty() ? Ph("checked ballots, never counted: none") : Ph("checked ballots, never counted:"));
        for (const auto& s : audit.spoiled) {
            Say(Ph("kiosk {0}  {1}  event {2}  {3}", s.kiosk, s.tracking_code, s.event,
                   s.problem.empty() ? Ph("opens with its nonces") : Ph("FAIL: {0}", s.problem)));
            if (!def || s.choices.size() != def->roster.size()) continue;
            for (std::size_t m = 0; m < s.choices.size(); ++m)
                std::printf("    %s: %s\n", def->roster[m].name.c_str(), def->options[s.choices[m]].c_str());
        }
    }
    if (opts.list_events) {
        // What happened at each machine (its own signed log; never who voted how).
        std::printf("\n");
        Say(Ph("event logs of the voting machines:"));
        for (const auto& b : audit.boxes) {
            Say(Ph("kiosk {0}:", b.contents.kiosk));
            for (const auto& e : b.contents.events)
                std::printf("  %4llu  %s\n", static_cast<unsigned long long>(e.seq),
                            Printable(std::string(e.body.begin(), e.body.end())).c_str());
        }
    }
    return !audit.report.ok() ? kVerifyFailed : audit.report.any_open() ? kVerifyOpen : kVerifyPassed;
}

int RunTally(const TallyOptions& opts)
{
    std::vector<std::string> devices;
    if (!GatherExpectedDevices(opts.expect_devices, opts.expect_device_files, devices)) return 1;
    auto pass = ReadPassphrase(opts.passphrase_env, "Passphrase of the election key / 评议密钥口令: ", false);
    if (!pass) {
        SayError(pass.error());
        return 1;
    }
    app::TallyRequest req;
    req.package = opts.package;
    req.boxes = opts.boxes;
    req.election_key = opts.election_key;
    req.admin_key = opts.admin_key;
    req.out_folder = opts.out;
    req.present = opts.present;
    req.expect_devices = std::move(devices);
    req.passphrase = std::make_shared<SecretBytes>(std::move(pass).value());
    auto outcome = TallyAndReport(req, opts.font);
    if (!outcome) return 1;
    PrintResults(outcome->audit.package->definition, *outcome->results);
    PrintWritten(opts.out);
    return 0;
}

int RunDemo(const DemoOptions& opts)
{
    using Clock = std::chrono::steady_clock;
    const auto t_start = Clock::now();
    const std::filesystem::path out = opts.out;
    std::error_code ec;
    if (std::filesystem::exists(out / ".pingyi-demo", ec)) std::filesystem::remove_all(out, ec);
    if (std::filesystem::exists(out, ec) && !std::filesystem::is_empty(out, ec)) {
        std::fprintf(stderr, "error: %s exists and is not a previous demo folder; choose another --out\n",
                     out.string().c_str());
        return 1;
    }
    std::filesystem::create_directories(out, ec);
    (void)WriteFile(out / ".pingyi-demo", AsBytes("made by pingyi demo\n"), false);

    std::printf(
        "== 1. Before the meeting: three trustees hold the election key, any two decrypt (会前: 密钥生成仪式)\n");
    const std::string pass_text = "demo-passphrase-2026";
    const SecretBytes pass = SecretBytes::FromString(pass_text);
    const std::filesystem::path ceremony = out / "ceremony";
    const std::vector<std::string> trustees = {"监票人 王强", "计票人 李梅", "纪检委员 赵刚"};
    auto trustee_pass = [](std::uint32_t i) {
        return SecretBytes::FromString("demo-trustee-" + std::to_string(i) + "-2026");
    };
    if (Status s = TrusteeSetup(
            {opts.assets / "election.json", opts.assets / "roster.csv", ceremony, trustees, 2, opts.suite});
        !s) {
        std::fprintf(stderr, "error: %s\n", s.error().detail.c_str());
        return 1;
    }
    // Each trustee in turn inserts their stick into the secretary's laptop, once per round.
    for (int round = 1; round <= 3; ++round)
        for (std::uint32_t i = 1; i <= trustees.size(); ++i)
            if (Status s = TrusteeRound(ceremony, i, round, {}, trustee_pass(i)); !s) {
                std::fprintf(stderr, "error: %s [%s]\n", s.error().detail.c_str(), s.error().code.c_str());
                return 1;
            }
    auto written = TrusteeFinish(ceremony, out, pass, opts.font);
    if (!written) {
        std::fprintf(stderr, "error: %s\n", written.error().detail.c_str());
        return 1;
    }
    const std::filesystem::path package_path = out / app::kPackageFile;
    std::printf("   (demo passphrases: admin %s, trustee i demo-trustee-i-2026)\n", pass_text.c_str());

    std::printf("\n== 2. At the meeting: members vote at the kiosk (会中: 投票)\n");
    auto pkg = LoadPackage(ReadFile(package_path, FileKind::kPackage).value());
    if (!pkg) return 1;
    auto box = BallotBox::Create(out / "kiosk1.sqlite", *pkg, 1, "246810", SystemRng());
    if (!box) {
        std::fprintf(stderr, "error: %s\n", box.error().detail.c_str());
        return 1;
    }
    // What the 监票人 write on the opening form (开箱记录): the auditor verifies against it.
    const std::string registered_device = KeyFingerprint(box->device_public_key(), pkg->suite());
    std::printf("   poll opened on kiosk 1, device key %s, 0 ballots (开箱记录: device fingerprint written down)\n",
                registered_device.c_str());

    // Who votes: 11 of 12 党员 (one is away), 2 of 5 团员青年代表 (too few to be shown
    // alone: they are merged), all 5 群众代表. Each voter draws a slip at random.
    const std::vector<std::uint32_t> turnout = {11, 2, 5};
    std::vector<PlainCode> slips = written->plain_codes;
    std::mt19937 prng(20261215);  // the voters' opinions; the encryption uses the OS CSPRNG
    std::shuffle(slips.begin(), slips.end(), prng);
    // What the branch thinks of each member (higher is better); voters vary around it.
    const std::vector<double> standing = {0.9, 0.8, 0.75, 0.5, 0.55, 0.45, 0.5, 0.05, 0.6, 0.85, 0.4, 0.3};
    SystemClock clock;
    // No screen here: the simulated voters need no pause between the review and casting.
    SessionSettings settings;
    settings.screen_settle = std::chrono::milliseconds(0);
    KioskSession session(*box, clock, SystemRng(), settings);
    std::vector<std::uint32_t> voted(turnout.size(), 0);
    double cast_ms = 0;
    int voters = 0;
    // One voter mistypes a code first: it is refused and nothing changes.
    if (Status s = session.EnterCode("2345-6789-ABCD-EFGH"); !s)
        std::printf("   a mistyped code is refused: %s\n", s.error().code.c_str());
    for (const auto& slip : slips) {
        if (voted[slip.category] == turnout[slip.category]) continue;
        if (Status s = session.EnterCode(slip.code); !s) {
            std::fprintf(stderr, "error: code refused: %s\n", s.error().detail.c_str());
            return 1;
        }
        const auto& def = pkg->definition;
        std::vector<std::pair<double, std::uint32_t>> view;
        for (std::uint32_t i = 0; i < def.roster.size(); ++i)
            view.push_back({standing[i % standing.size()] + std::normal_distribution<double>(0, 0.15)(prng), i});
        std::sort(view.rbegin(), view.rend());
        for (std::size_t rank = 0; rank < view.size(); ++rank) {
            const double v = view[rank].first;
            std::uint32_t option = v > 0.7 ? 0 : v > 0.25 ? 1 : v > 0.1 ? 2 : 3;
            if (option == 0 && session.quota() && session.quota()->used >= session.quota()->max) option = 1;
            if (Status s = session.Choose(view[rank].second, option); !s) return 1;
        }
        if (Status s = session.GoToReview(); !s) return 1;
        const auto t0 = Clock::now();
        auto receipt = session.Cast();
        cast_ms += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (!receipt) {
            std::fprintf(stderr, "error: cast failed: %s\n", receipt.error().detail.c_str());
            return 1;
        }
        (void)session.AcknowledgeReceipt();
        ++voted[slip.category];
        ++voters;
        std::printf("   voter %2d (%s): 投票成功, tracking code %s\n", voters,
                    def.categories[slip.category].name.c_str(), receipt->c_str());
    }
    std::printf("   %d ballots cast, %.0f ms per cast (encrypt, prove, verify, durable commit)\n", voters,
                cast_ms / voters);
    if (Status s = box->Close(); !s) return 1;
    const Digest closed_as = box->close_seal_hash().value();
    std::printf("   poll closed: signed close seal, file compacted; close record %s (关箱记录: written down)\n",
                CloseRecordFingerprint(closed_as).c_str());

    std::printf("\n== 3. After the meeting: trustees 1 and 3 decrypt, trustee 2 is absent (会后: 保管人解密)\n");
    const std::vector<std::uint32_t> present(turnout.begin(), turnout.end());  // 实到 per category
    std::vector<std::filesystem::path> partials;
    for (std::uint32_t i : {1u, 3u}) {
        std::printf("\n-- trustee %u (%s) runs their step --\n", i, trustees[i - 1].c_str());
        partials.push_back(out / ("partial-" + std::to_string(i) + ".json"));
        // Each trustee checks the box's device against the opening form before their key decrypts.
        PartialOptions po{package_path,
                          {out / "kiosk1.sqlite"},
                          app::TrusteeKeyPath(ceremony, i),
                          partials.back(),
                          present,
                          true,
                          {registered_device},
                          {}};
        if (Status s = TrusteeDecrypt(po, trustee_pass(i)); !s) {
            std::fprintf(stderr, "error: %s [%s]\n", s.error().detail.c_str(), s.error().code.c_str());
            return 1;
        }
    }
    {
        // One trustee alone cannot decrypt anything.
        Audit a = VerifyElection(ReadFile(package_path, FileKind::kPackage).value(), {out / "kiosk1.sqlite"});
        auto one = ParsePartialsFile(ReadFile(partials[0], FileKind::kTrustee).value(), *pkg);
        auto admin_key = OpenSigningKey(ReadFile(out / app::kAdminKeyFile, FileKind::kKeyFile).value(), pass_text);
        if (!one || !admin_key) return 1;
        auto refused = CombineTrusteePartials(a, {*one}, *admin_key, {});
        std::printf("\n   with trustee 1 alone: %s [%s]\n",
                    refused ? "DECRYPTED (wrong!)" : refused.error().detail.c_str(),
                    refused ? "" : refused.error().code.c_str());
        if (refused) return 1;
    }
    std::printf("\n-- the secretary combines the two partial decryptions --\n");
    const std::uint32_t total_present = static_cast<std::uint32_t>(voters);
    if (Status s = TrusteeCombine({package_path,
                                   {out / "kiosk1.sqlite"},
                                   partials,
                                   out / app::kAdminKeyFile,
                                   out,
                                   opts.font,
                                   total_present,
                                   {registered_device},
                                   {}},
                                  pass);
        !s) {
        std::fprintf(stderr, "error: %s [%s]\n", s.error().detail.c_str(), s.error().code.c_str());
        return 1;
    }

    std::printf("\n== 4. The auditor re-checks everything from public files (上级复核)\n");
    Audit audit = VerifyElection(ReadFile(package_path, FileKind::kPackage).value(), {out / "kiosk1.sqlite"});
    VerifyResults(audit, ReadFile(out / app::kResultsFile, FileKind::kResults).value());
    // The box is the one opened at the meeting: its device key is the one on the opening form.
    CheckExpectedDevices(audit, {registered_device});
    std::printf("   boxes.registered: %s\n", audit.report.Find("boxes.registered")->detail.c_str());
    // And it is the box closed at the meeting: its close record is the one on the closing form.
    const bool same_close = audit.boxes.size() == 1 && audit.boxes[0].close_hash == closed_as;
    std::printf("   close record on the closing form %s: %s\n", CloseRecordFingerprint(closed_as).c_str(),
                same_close ? "the same in the box verified" : "DIFFERENT in the box verified");
    if (!same_close) return 1;
    std::size_t pass_lines = 0;
    for (const auto& l : audit.report.lines)
        pass_lines += l.ok ? 1 : 0;
    std::printf("   %zu of %zu checks passed: %s\n", pass_lines, audit.report.lines.size(),
                audit.report.ok() ? "the published results are the proven decryption of the ballots" : "FAILED");
    std::printf("\nfiles in %s:\n", std::filesystem::absolute(out).string().c_str());
    for (const char* f : {"ceremony/ (the trustees' key ceremony)", app::kPackageFile, app::kSlipsFile, "kiosk1.sqlite",
                          "partial-1.json", "partial-3.json", app::kResultsFile, app::kXlsxFile, app::kTallySheetFile,
                          app::kLettersFile, app::kTrackingCodesPdfFile, app::kTrackingCodesTextFile})
        std::printf("   %s\n", f);
    std::printf("demo finished in %.1f s\n", std::chrono::duration<double>(Clock::now() - t_start).count());
    return audit.report.ok() ? 0 : 1;
}

}  // namespace pingyi::cli
