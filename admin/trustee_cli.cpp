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
    std::printf("\n  %s\n  ||  %s\n  ||  %s\n  %s\n", line.c_str(),
                InWords(Ph("the device key of kiosk {0}", kiosk)).c_str(), spaced.c_str(), line.c_str());
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
    auto setup = app::WriteCeremonySetup(std::move(def).value(), opts.threshold, opts.names, opts.dir, opts.suite);
    if (!setup) return setup.error();
    Say(Ph("key ceremony set up: {0}", setup->definition.title));
    Say(Ph("  {0} trustees, any {1} decrypt:", setup->n(), setup->threshold));
    for (std::uint32_t i = 1; i <= setup->n(); ++i)
        Say(Ph("  trustee {0}: {1}", i, setup->names[i - 1]));
    Say(Ph("  suite {0}", std::string(SuiteName(setup->suite))));
    Say(Ph("  ceremony {0}", ToHex(ByteView(setup->context).first(8))));
    Say(Ph("next: each trustee runs {0}", "pingyi trustee round1 --dir " + opts.dir.string() + " --trustee <i>"));
    return Status::Ok();
}

Status TrusteeRound(const std::filesystem::path& dir, std::uint32_t trustee, int round,
                    const std::filesystem::path& key_path, const SecretBytes& passphrase)
{
    auto done = app::RunTrusteeRound(dir, trustee, round, key_path, passphrase);
    if (!done) return done.error();
    if (round == 1)
        Say(Ph("trustee {0} ({1}): round 1 done; your key file {2} stays on your stick", trustee, done->name,
               done->key.string()));
    else if (round == 2)
        Say(Ph("trustee {0} ({1}): round 2 done; every round-1 proof checked, shares encrypted to the others", trustee,
               done->name));
    else
        Say(Ph("trustee {0} ({1}): round 3 done; every share for you was valid. Your key fingerprint: {2}", trustee,
               done->name, done->key_fingerprint));
    return Status::Ok();
}

Result<app::WrittenElection> TrusteeFinish(const std::filesystem::path& dir, const std::filesystem::path& out,
                                           const SecretBytes& admin_passphrase, const std::filesystem::path& font)
{
    auto done = app::FinishCeremonyFolder(dir, out, admin_passphrase, font);
    if (!done) return done.error();
    const TrusteeSet* set = &done->trustees;
    auto written = std::move(done->written);
    Say(Ph("election created, keyed by {0} trustees, any {1} decrypt", set->members.size(), set->threshold));
    for (const auto& t : set->members)
        Say(Ph("  trustee {0}: {1}, key {2}", t.index, t.name,
               KeyFingerprint(set->PublicShare(t.index).Encode(), set->suite())));
    Say(Ph("  fingerprint: {0}", written.fingerprint_short));
    Say(Ph("  package {0}, admin key {1}, slips {2}", (out / app::kPackageFile).string(),
           (out / app::kAdminKeyFile).string(), (out / app::kSlipsFile).string()));
    return written;
}

Status TrusteeDecrypt(const PartialOptions& opts, const SecretBytes& passphrase)
{
    auto share = app::OpenTrusteeKeyFile(opts.key, passphrase);
    if (!share) return share.error();

    Say(Ph("== 1. The whole verification"));
    const auto files = PublicFiles(opts.package, opts.boxes, opts.expect_devices, opts.expect_device_files);
    if (!files) return MakeError("devices.file", "the device list was refused: nothing was decrypted");
    app::TallyOutcome verified = app::VerifyTallyFiles(*files, TerminalPhases());
    const Audit& audit = verified.audit;
    if (!audit.report.lines.empty()) PrintReport(audit.report);
    if (verified.error) return *verified.error;
    auto preview = PreviewPartial(audit, *share);
    if (!preview) return Refused(preview.error());
    const auto& def = audit.package->definition;

    std::printf("\n");
    Say(Ph("== 2. The boxes: compare each fingerprint with the opening form signed at the kiosk"));
    for (const auto& b : preview->boxes) {
        PrintFingerprintLarge(b.kiosk, KeyFingerprint(b.device_public_key, audit.package->suite()));
        Say(Ph("  {0} ballots, close record {1}", b.ballots, ToHex(ByteView(b.close_hash).first(8))));
    }
    std::printf("\n");
    Say(Ph("== 3. What will be decrypted"));
    Say(Ph("  only the sums of whole categories: {0} aggregates, never a single ballot", preview->aggregates));
    for (const auto& g : preview->groups)
        Say(Ph("  group {0}: {1} ballots", GroupLabel(def, g), g.ballots));
    Say(Ph("  you are trustee {0}, {1} (key {2})", preview->trustee->index, preview->trustee->name,
           KeyFingerprint(share->share.public_share().Encode(), share->share.public_share().group().id())));

    std::printf("\n");
    Say(Ph("== 4. The number present, per category"));
    std::vector<std::uint32_t> present = opts.present;
    if (present.empty())
        for (std::size_t c = 0; c < def.categories.size(); ++c) {
            const std::string prompt = InWords(Ph("  {0} present: ", def.categories[c].name));
            auto line = AskLine(prompt.c_str());
            if (!line) return MakeError("tally.present", "the number present was not given");
            try {
                present.push_back(static_cast<std::uint32_t>(std::stoul(*line)));
            } catch (const std::exception&) {
                return MakeError("tally.present", "not a number: " + *line);
            }
        }
    for (std::size_t c = 0; c < def.categories.size() && c < present.size(); ++c)
        Say(preview->attendance[c].used > present[c]
                ? Ph("  {0}: codes used {1}, issued {2}, present {3}  <- MORE BALLOTS THAN PEOPLE",
                     def.categories[c].name, preview->attendance[c].used, preview->attendance[c].issued, present[c])
                : Ph("  {0}: codes used {1}, issued {2}, present {3}", def.categories[c].name,
                     preview->attendance[c].used, preview->attendance[c].issued, present[c]));
    if (!opts.confirmed) {
        const std::string ask = "\n" + InWords(Ph("Decrypt your part of these sums? Type YES: "));
        auto line = AskLine(ask.c_str());
        if (!line || *line != "YES") return MakeError("tally.cancelled", "not confirmed: nothing was decrypted");
    }
    if (Status s = app::WriteTrusteePartial(audit, *share, present, opts.out, TerminalProgress("decrypting")); !s)
        return s.error().code == "file.write" ? s : Status(Refused(s.error()));
    Say(Ph("partial decryption written: {0}", opts.out.string()));
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
    PrintWritten(opts.out);
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
