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

std::string PassText(const SecretBytes& pass)
{
    return std::string(reinterpret_cast<const char*>(pass.data()), pass.size());
}

// The setup and every round file of one round found in the folder (absent trustees are
// simply missing: the core step names them).
Result<CeremonySetup> LoadSetup(const std::filesystem::path& dir)
{
    auto bytes = ReadFile(CeremonySetupPath(dir));
    if (!bytes) return bytes.error();
    return ParseCeremonySetup(*bytes);
}

template <typename T, typename Parse>
Result<std::vector<T>> LoadRound(const CeremonySetup& setup, const std::filesystem::path& dir, int round, Parse parse)
{
    std::vector<T> out;
    std::error_code ec;
    for (std::uint32_t i = 1; i <= setup.n(); ++i) {
        const auto path = RoundPath(dir, i, round);
        if (!std::filesystem::exists(path, ec)) continue;
        auto bytes = ReadFile(path);
        if (!bytes) return bytes.error();
        auto r = parse(setup, *bytes);
        if (!r) return MakeError(r.error().code, path.filename().string() + ": " + r.error().detail);
        if (r->index != i)
            return MakeError("ceremony.file",
                             path.filename().string() + " holds trustee " + std::to_string(r->index) + "'s file");
        out.push_back(std::move(r).value());
    }
    return out;
}

Result<std::vector<Round1>> LoadAllRound1(const CeremonySetup& setup, const std::filesystem::path& dir)
{
    auto r1 = LoadRound<Round1>(setup, dir, 1, ParseRound1);
    if (!r1) return r1.error();
    return CollectRound1(setup, std::move(r1).value());
}

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

Error Refused(const Error& e)
{
    return MakeError(e.code, e.detail + " (已拒绝 refused)");
}

}  // namespace

std::filesystem::path CeremonySetupPath(const std::filesystem::path& dir)
{
    return dir / "ceremony.json";
}

std::filesystem::path RoundPath(const std::filesystem::path& dir, std::uint32_t trustee, int round)
{
    return dir / ("trustee-" + std::to_string(trustee) + "-round" + std::to_string(round) + ".json");
}

std::filesystem::path TrusteeKeyPath(const std::filesystem::path& dir, std::uint32_t trustee)
{
    return dir / ("trustee-" + std::to_string(trustee) + ".pyk");
}

Status TrusteeSetup(const TrusteeSetupOptions& opts)
{
    auto def = LoadDefinition(opts.config, opts.roster);
    if (!def) return def.error();
    auto setup = MakeCeremonySetup(std::move(def).value(), opts.threshold, opts.names);
    if (!setup) return setup.error();
    std::error_code ec;
    std::filesystem::create_directories(opts.dir, ec);
    if (std::filesystem::exists(CeremonySetupPath(opts.dir), ec))
        return MakeError("output.exists", CeremonySetupPath(opts.dir).string() + " exists already");
    if (Status s = WriteFile(CeremonySetupPath(opts.dir), setup->Serialize(), false); !s) return s;
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
    auto setup = LoadSetup(dir);
    if (!setup) return setup.error();
    if (trustee == 0 || trustee > setup->n())
        return MakeError("ceremony.setup", "there is no trustee " + std::to_string(trustee) + " in this ceremony");
    const std::string name = setup->names[trustee - 1];
    const auto key = key_path.empty() ? TrusteeKeyPath(dir, trustee) : key_path;
    const std::string pass = PassText(passphrase);
    std::error_code ec;
    if (round == 1) {
        if (Status s = app::CheckPassphrase(passphrase); !s) return s;
        if (std::filesystem::exists(key, ec) || std::filesystem::exists(RoundPath(dir, trustee, 1), ec))
            return MakeError("output.exists", "trustee " + std::to_string(trustee) + " has run round 1 already");
        auto out = RunRound1(*setup, trustee, pass, SystemRng());
        if (Status s = WriteFile(key, out.key_file, true); !s) return s;
        if (Status s = WriteFile(RoundPath(dir, trustee, 1), SerializeRound1(*setup, out.record), false); !s) return s;
        std::printf("trustee %u (%s): round 1 done; your key file %s stays on your stick\n", trustee, name.c_str(),
                    key.string().c_str());
        return Status::Ok();
    }
    auto r1 = LoadAllRound1(*setup, dir);
    if (!r1) return r1.error();
    auto key_file = ReadFile(key);
    if (!key_file) return key_file.error();
    if (round == 2) {
        auto r2 = RunRound2(*setup, *r1, *key_file, pass, SystemRng());
        if (!r2) return r2.error();
        if (Status s = WriteFile(RoundPath(dir, trustee, 2), SerializeRound2(*setup, *r2), false); !s) return s;
        std::printf("trustee %u (%s): round 2 done; every round-1 proof checked, shares encrypted to the others\n",
                    trustee, name.c_str());
        return Status::Ok();
    }
    auto r2 = LoadRound<Round2>(*setup, dir, 2, ParseRound2);
    if (!r2) return r2.error();
    auto r3 = RunRound3(*setup, *r1, *r2, *key_file, pass, SystemRng());
    if (!r3) return r3.error();
    // The share replaces the ceremony state: the polynomial is gone from the stick.
    if (Status s = WriteFile(key, r3->share_key_file, true); !s) return s;
    if (Status s = WriteFile(RoundPath(dir, trustee, 3), SerializeRound3(*setup, r3->record), false); !s) return s;
    std::printf("trustee %u (%s): round 3 done; every share for you was valid. Your key fingerprint: %s\n", trustee,
                name.c_str(), KeyFingerprint(r3->record.public_share.Encode()).c_str());
    return Status::Ok();
}

Result<app::WrittenElection> TrusteeFinish(const std::filesystem::path& dir, const std::filesystem::path& out,
                                           const SecretBytes& admin_passphrase, const std::filesystem::path& font)
{
    auto setup = LoadSetup(dir);
    if (!setup) return setup.error();
    auto r1 = LoadAllRound1(*setup, dir);
    if (!r1) return r1.error();
    auto r3 = LoadRound<Round3>(*setup, dir, 3, ParseRound3);
    if (!r3) return r3.error();
    auto set = FinishCeremony(*setup, *r1, *r3);
    if (!set) return set.error();
    auto written = app::WriteElection(setup->definition, admin_passphrase, out, {}, {}, font, &*set);
    if (!written) return written;
    std::printf("election created, keyed by %u trustees, any %u decrypt (选举已创建)\n", setup->n(), setup->threshold);
    for (const auto& t : set->members)
        std::printf("  trustee %u: %s, key %s\n", t.index, t.name.c_str(),
                    KeyFingerprint(set->PublicShare(t.index).Encode()).c_str());
    std::printf("  fingerprint (指纹): %s\n  package %s, admin key %s, slips %s\n", written->fingerprint_short.c_str(),
                (out / app::kPackageFile).string().c_str(), (out / app::kAdminKeyFile).string().c_str(),
                (out / app::kSlipsFile).string().c_str());
    return written;
}

Status TrusteeDecrypt(const PartialOptions& opts, const SecretBytes& passphrase)
{
    auto pkg_bytes = ReadFile(opts.package);
    if (!pkg_bytes) return pkg_bytes.error();
    auto key_file = ReadFile(opts.key);
    if (!key_file) return key_file.error();
    auto share = OpenTrusteeShare(*key_file, PassText(passphrase));
    if (!share) return share.error();

    std::printf("== 1. The whole verification (完整验证)\n");
    Audit audit = VerifyElection(*pkg_bytes, opts.boxes, TerminalProgress("verifying"));
    PrintReport(audit.report);
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
    auto partial = RunPartialDecryption(audit, *share, present, SystemRng(), TerminalProgress("decrypting"));
    if (!partial) return Refused(partial.error());
    if (Status s = WriteFile(opts.out, partial->Serialize(), false); !s) return s;
    std::printf("partial decryption written (部分解密已保存): %s\n", opts.out.string().c_str());
    return Status::Ok();
}

Status TrusteeCombine(const CombineOptions& opts, const SecretBytes& admin_passphrase)
{
    auto pkg_bytes = ReadFile(opts.package);
    if (!pkg_bytes) return pkg_bytes.error();
    auto admin_file = ReadFile(opts.admin_key);
    if (!admin_file) return admin_file.error();
    Audit audit = VerifyElection(*pkg_bytes, opts.boxes, TerminalProgress("verifying"));
    PrintReport(audit.report);
    if (!audit.package) return MakeError("tally.verify", "the election package did not verify");
    std::vector<TrusteePartials> partials;
    for (const auto& path : opts.partials) {
        auto bytes = ReadFile(path);
        if (!bytes) return bytes.error();
        auto p = ParsePartialsFile(*bytes, *audit.package);
        if (!p) return MakeError(p.error().code, path.filename().string() + ": " + p.error().detail);
        partials.push_back(std::move(p).value());
    }
    auto admin = OpenSigningKey(*admin_file, PassText(admin_passphrase));
    if (!admin) return admin.error();
    auto r = CombineTrusteePartials(audit, std::move(partials), *admin, TallyInput{opts.present},
                                    TerminalProgress("combining"));
    if (!r) return r.error();
    std::error_code ec;
    std::filesystem::create_directories(opts.out, ec);
    if (Status s = WriteFile(opts.out / "results.json", r->Serialize(), false); !s) return s;
    if (Status s = WriteReports(*audit.package, *r, {}, opts.out, opts.font); !s) return s;
    PrintResults(audit.package->definition, *r);
    std::printf("\nwritten to %s: results.json results.xlsx tally-sheet.pdf notification-letters.pdf\n",
                opts.out.string().c_str());
    return Status::Ok();
}

void VerifyPartialFile(Audit& audit, const std::filesystem::path& path)
{
    if (!audit.package) return;
    const std::string name = path.filename().string();
    auto bytes = ReadFile(path);
    if (!bytes) {
        audit.report.Add("partial.file", false, bytes.error().detail);
        return;
    }
    auto parsed = ParsePartialsFile(*bytes, *audit.package);
    if (!parsed) {
        audit.report.Add("partial.file", false, name + ": " + parsed.error().detail);
        return;
    }
    auto prepared = PrepareResults(audit, {});
    if (!prepared) {
        audit.report.Add("partial.file", false, name + ": " + prepared.error().detail);
        return;
    }
    const Status s = VerifyTrusteePartials(audit, prepared->groups, AggregateSums(audit, prepared->groups), *parsed);
    audit.report.Add("partial.file", s.ok(),
                     s.ok() ? name + ": trustee " + std::to_string(parsed->trustee) +
                                  "'s partial decryption of these boxes, every proof valid"
                            : name + ": " + s.error().detail + " [" + s.error().code + "]");
}

}  // namespace pingyi::cli
