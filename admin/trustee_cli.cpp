#include "admin/trustee_cli.hpp"

#include <cstdio>
#include <iostream>
#include <sstream>

#include "admin/cli_io.hpp"
#include "admin/election_cli.hpp"
#include "admin/meeting_cli.hpp"
#include "app/election_files.hpp"
#include "app/files.hpp"

namespace pingyi::cli {
namespace {

// A box's device-key fingerprint, spaced out and framed so that a teller can compare it
// digit by digit with the opening form signed at the kiosk.
void PrintFingerprintLarge(std::uint32_t kiosk, const std::string& fp)
{
    std::string spaced;
    for (char c : fp)
        spaced += std::string(1, c) + ' ';
    const std::string line(spaced.size() + 6, '=');
    std::printf("\n  %s\n  ||  kiosk %u device key (投票机设备密钥指纹)\n  ||  %s\n  %s\n", line.c_str(), kiosk,
                spaced.c_str(), line.c_str());
}

std::optional<std::string> AskLine(const char* prompt)
{
    std::printf("%s", prompt);
    std::fflush(stdout);
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    return line;
}

// The package and the boxes to verify (no key: the trustees bring theirs), and the devices
// expected; an error when a device list cannot be read (said on the terminal).
std::optional<app::TallyRequest> PublicFiles(const std::filesystem::path& package,
                                             const std::vector<std::filesystem::path>& boxes,
                                             const std::vector<std::string>& devices,
                                             const std::vector<std::filesystem::path>& device_files)
{
    app::TallyRequest r;
    r.package = package;
    r.boxes = boxes;
    if (!GatherExpectedDevices(devices, device_files, r.expect_devices)) return std::nullopt;
    return r;
}

Error Refused(const Error& e)
{
    return MakeError(e.code, e.detail + " (已拒绝 refused)");
}

}  // namespace

Status TrusteeSetup(const TrusteeSetupOptions& opts)
{
    auto def = LoadDefinition(opts.config, opts.roster);
    if (!def) return def.error();
    auto setup = app::WriteCeremonySetup(std::move(def).value(), opts.threshold, opts.names, opts.dir);
    if (!setup) return setup.error();
    std::printf("key ceremony set up (密钥生成仪式已设置): %s\n  %u trustees, any %u decrypt:\n",
                setup->definition.title.c_str(), setup->n(), setup->threshold);
    for (std::uint32_t i = 1; i <= setup->n(); ++i)
        std::printf("  trustee %u: %s\n", i, setup->names[i - 1].c_str());
    std::printf("  ceremony %s\nnext: each trustee runs `pingyi trustee round1 --dir %s --trustee <i>`\n",
                ToHex(ByteView(setup->context).first(8)).c_str(), opts.dir.string().c_str());
    return Status::Ok();
}

Status TrusteeRound(const std::filesystem::path& dir, std::uint32_t trustee, int round,
                    const std::filesystem::path& key_path, const SecretBytes& passphrase)
{
    auto done = app::RunTrusteeRound(dir, trustee, round, key_path, passphrase);
    if (!done) return done.error();
    if (round == 1)
        std::printf("trustee %u (%s): round 1 done; your key file %s stays on your stick\n", trustee,
                    done->name.c_str(), done->key.string().c_str());
    else if (round == 2)
        std::printf("trustee %u (%s): round 2 done; every round-1 proof checked, shares encrypted to the others\n",
                    trustee, done->name.c_str());
    else
        std::printf("trustee %u (%s): round 3 done; every share for you was valid. Your key fingerprint: %s\n", trustee,
                    done->name.c_str(), done->key_fingerprint.c_str());
    return Status::Ok();
}

Result<app::WrittenElection> TrusteeFinish(const std::filesystem::path& dir, const std::filesystem::path& out,
                                           const SecretBytes& admin_passphrase, const std::filesystem::path& font)
{
    auto done = app::FinishCeremonyFolder(dir, out, admin_passphrase, font);
    if (!done) return done.error();
    const TrusteeSet* set = &done->trustees;
    auto written = std::move(done->written);
    std::printf("election created, keyed by %zu trustees, any %u decrypt (评议已创建)\n", set->members.size(),
                set->threshold);
    for (const auto& t : set->members)
        std::printf("  trustee %u: %s, key %s\n", t.index, t.name.c_str(),
                    KeyFingerprint(set->PublicShare(t.index).Encode()).c_str());
    std::printf("  fingerprint (指纹): %s\n  package %s, admin key %s, slips %s\n", written.fingerprint_short.c_str(),
                (out / app::kPackageFile).string().c_str(), (out / app::kAdminKeyFile).string().c_str(),
                (out / app::kSlipsFile).string().c_str());
    return written;
}

Status TrusteeDecrypt(const PartialOptions& opts, const SecretBytes& passphrase)
{
    auto share = app::OpenTrusteeKeyFile(opts.key, passphrase);
    if (!share) return share.error();

    std::printf("== 1. The whole verification (完整验证)\n");
    const auto files = PublicFiles(opts.package, opts.boxes, opts.expect_devices, opts.expect_device_files);
    if (!files) return MakeError("devices.file", "the device list was refused: nothing was decrypted");
    app::TallyOutcome verified = app::VerifyTallyFiles(*files, TerminalPhases());
    const Audit& audit = verified.audit;
    if (!audit.report.lines.empty()) PrintReport(audit.report);
    if (verified.error) return *verified.error;
    auto preview = PreviewPartial(audit, *share);
    if (!preview) return Refused(preview.error());
    const auto& def = audit.package->definition;

    std::printf("\n== 2. The boxes: compare each fingerprint with the opening form signed at the kiosk\n");
    for (const auto& b : preview->boxes) {
        PrintFingerprintLarge(b.kiosk, KeyFingerprint(b.device_public_key));
        std::printf("  %u ballots, close record %s\n", b.ballots, ToHex(ByteView(b.close_hash).first(8)).c_str());
    }
    std::printf("\n== 3. What will be decrypted (将解密的内容)\n");
    std::printf("  only the sums of whole categories: %zu aggregates, never a single ballot\n", preview->aggregates);
    for (const auto& g : preview->groups)
        std::printf("  group %s: %u ballots\n", GroupLabel(def, g).c_str(), g.ballots);
    std::printf("  you are trustee %u, %s (key %s)\n", preview->trustee->index, preview->trustee->name.c_str(),
                KeyFingerprint(share->share.public_share().Encode()).c_str());

    std::printf("\n== 4. The number present (实到人数), per category\n");
    std::vector<std::uint32_t> present = opts.present;
    if (present.empty())
        for (std::size_t c = 0; c < def.categories.size(); ++c) {
            const std::string prompt = "  " + def.categories[c].name + " present (实到): ";
            auto line = AskLine(prompt.c_str());
            if (!line) return MakeError("tally.present", "the number present was not given");
            try {
                present.push_back(static_cast<std::uint32_t>(std::stoul(*line)));
            } catch (const std::exception&) {
                return MakeError("tally.present", "not a number: " + *line);
            }
        }
    for (std::size_t c = 0; c < def.categories.size() && c < present.size(); ++c)
        std::printf("  %s: codes used %u, issued %u, present %u%s\n", def.categories[c].name.c_str(),
                    preview->attendance[c].used, preview->attendance[c].issued, present[c],
                    preview->attendance[c].used > present[c] ? "  <- MORE BALLOTS THAN PEOPLE (多于实到)" : "");
    if (!opts.confirmed) {
        auto line = AskLine("\nDecrypt your part of these sums? Type YES (确认请输入 YES): ");
        if (!line || *line != "YES") return MakeError("tally.cancelled", "not confirmed: nothing was decrypted");
    }
    if (Status s = app::WriteTrusteePartial(audit, *share, present, opts.out, TerminalProgress("decrypting")); !s)
        return s.error().code == "file.write" ? s : Status(Refused(s.error()));
    std::printf("partial decryption written (部分解密已保存): %s\n", opts.out.string().c_str());
    return Status::Ok();
}

Status TrusteeCombine(const CombineOptions& opts, const SecretBytes& admin_passphrase)
{
    const auto files = PublicFiles(opts.package, opts.boxes, opts.expect_devices, opts.expect_device_files);
    if (!files) return MakeError("devices.file", "the device list was refused: nothing was combined");
    app::TallyOutcome verified = app::VerifyTallyFiles(*files, TerminalPhases());
    if (!verified.error) PrintReport(verified.audit.report);
    app::CombineRequest req;
    req.partials = opts.partials;
    req.admin_key = opts.admin_key;
    req.out_folder = opts.out;
    req.present = opts.present;
    req.font = opts.font;
    app::TallyOutcome out =
        app::CombineTrusteeFiles(std::move(verified), req, admin_passphrase, TerminalPhases("combining"));
    if (out.error) return *out.error;
    PrintResults(out.audit.package->definition, *out.results);
    std::printf("\nwritten to %s: %s %s %s %s %s %s\n", opts.out.string().c_str(), app::kResultsFile, app::kXlsxFile,
                app::kTallySheetFile, app::kLettersFile, app::kTrackingCodesPdfFile, app::kTrackingCodesTextFile);
    return Status::Ok();
}

void VerifyPartialFile(Audit& audit, const std::filesystem::path& path)
{
    if (!audit.package) return;
    const std::string name = path.filename().string();
    auto bytes = ReadFile(path, FileKind::kTrustee);
    if (!bytes) {
        audit.report.Add("partial.file", false, Phrase::ForError(bytes.error()));
        return;
    }
    auto parsed = ParsePartialsFile(*bytes, *audit.package);
    if (!parsed) {
        audit.report.Add("partial.file", false, Ph("{0}: {1}", name, Phrase::ForError(parsed.error())));
        return;
    }
    auto prepared = PrepareResults(audit, {});
    if (!prepared) {
        audit.report.Add("partial.file", false, Ph("{0}: {1}", name, Phrase::ForError(prepared.error())));
        return;
    }
    const Status s = VerifyTrusteePartials(audit, prepared->groups, AggregateSums(audit, prepared->groups), *parsed);
    audit.report.Add(
        "partial.file", s.ok(),
        s.ok() ? Ph("{0}: trustee {1}'s partial decryption of these boxes, every proof valid", name, parsed->trustee)
               : Ph("{0}: {1} [{2}]", name, Phrase::ForError(s.error()), s.error().code));
}

}  // namespace pingyi::cli
