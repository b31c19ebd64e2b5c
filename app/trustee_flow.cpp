#include "app/trustee_flow.hpp"

#include <algorithm>

#include "core/error_codes.hpp"
#include "crypto/random.hpp"
#include "crypto/sign.hpp"

namespace pingyi::app {
namespace {

// Every round file of one round found in the folder (absent trustees are simply missing:
// the core step names them).
template <typename T, typename Parse>
Result<std::vector<T>> LoadRound(const CeremonySetup& setup, const std::filesystem::path& dir, int round, Parse parse)
{
    std::vector<T> out;
    std::error_code ec;
    for (std::uint32_t i = 1; i <= setup.n(); ++i) {
        const auto path = RoundPath(dir, i, round);
        if (!std::filesystem::exists(path, ec)) continue;
        auto bytes = ReadFile(path, FileKind::kTrustee);
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

ProgressFn Combining(const PhaseProgress& progress)
{
    if (!progress) return {};
    return [progress](std::size_t done, std::size_t total) { return progress(TallyPhase::Decrypting, done, total); };
}

}  // namespace

std::filesystem::path CeremonySetupPath(const std::filesystem::path& dir)
{
    return dir / kCeremonyFile;
}

std::filesystem::path RoundPath(const std::filesystem::path& dir, std::uint32_t trustee, int round)
{
    return dir / ("trustee-" + std::to_string(trustee) + "-round" + std::to_string(round) + ".json");
}

std::filesystem::path TrusteeKeyPath(const std::filesystem::path& dir, std::uint32_t trustee)
{
    return dir / ("trustee-" + std::to_string(trustee) + ".pyk");
}

std::filesystem::path StickKeyPath(const std::filesystem::path& stick, const CeremonySetup& setup,
                                   std::uint32_t trustee)
{
    return TrusteeKeyPath(stick / ("pingyi-" + setup.definition.election_id.substr(0, 8)), trustee);
}

std::optional<std::uint32_t> TrusteeOfKeyFile(const std::filesystem::path& key)
{
    const std::string name = key.filename().string();
    const std::string prefix = "trustee-", suffix = ".pyk";
    if (name.size() <= prefix.size() + suffix.size() || name.rfind(prefix, 0) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
        return std::nullopt;
    const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    if (digits.size() > 1 || digits[0] < '1' || digits[0] > '9') return std::nullopt;  // n ≤ 9
    return static_cast<std::uint32_t>(digits[0] - '0');
}

std::filesystem::path PartialPath(const std::filesystem::path& dir, std::uint32_t trustee)
{
    return dir / ("partial-" + std::to_string(trustee) + ".json");
}

Result<CeremonySetup> WriteCeremonySetup(ElectionDefinition def, std::uint32_t threshold,
                                         std::vector<std::string> names, const std::filesystem::path& dir,
                                         SuiteId suite)
{
    auto setup = MakeCeremonySetup(std::move(def), threshold, std::move(names), suite);
    if (!setup) return setup.error();
    std::error_code ec;
    if (dir.empty()) return MakeError("output.folder", "no folder chosen");
    std::filesystem::create_directories(dir, ec);
    if (std::filesystem::exists(CeremonySetupPath(dir), ec))
        return MakeError("output.exists", CeremonySetupPath(dir).string() + " exists already");
    if (Status s = WriteFile(CeremonySetupPath(dir), setup->Serialize(), false); !s) return s.error();
    return setup;
}

Result<CeremonySetup> LoadCeremonySetup(const std::filesystem::path& dir)
{
    auto bytes = ReadFile(CeremonySetupPath(dir), FileKind::kTrustee);
    if (!bytes) return bytes.error();
    return ParseCeremonySetup(*bytes);
}

std::vector<int> RoundsDone(const CeremonySetup& setup, const std::filesystem::path& dir)
{
    std::vector<int> done(setup.n(), 0);
    std::error_code ec;
    for (std::uint32_t i = 1; i <= setup.n(); ++i)
        for (int r = 1; r <= 3 && std::filesystem::exists(RoundPath(dir, i, r), ec); ++r)
            done[i - 1] = r;
    return done;
}

std::optional<CeremonyTurn> NextCeremonyTurn(const std::vector<int>& rounds_done)
{
    if (rounds_done.empty()) return std::nullopt;
    const int last = *std::min_element(rounds_done.begin(), rounds_done.end());
    if (last >= 3) return std::nullopt;
    for (std::uint32_t i = 0; i < rounds_done.size(); ++i)
        if (rounds_done[i] == last) return CeremonyTurn{last + 1, i + 1};
    return std::nullopt;
}

Result<RoundDone> RunTrusteeRound(const std::filesystem::path& dir, std::uint32_t trustee, int round,
                                  const std::filesystem::path& key_path, const SecretBytes& passphrase, KdfParams kdf)
{
    auto setup = LoadCeremonySetup(dir);
    if (!setup) return setup.error();
    if (trustee == 0 || trustee > setup->n())
        return MakeError("ceremony.setup", "there is no trustee " + std::to_string(trustee) + " in this ceremony");
    if (round < 1 || round > 3) return MakeError("ceremony.setup", "there is no round " + std::to_string(round));
    RoundDone done;
    done.trustee = trustee;
    done.name = setup->names[trustee - 1];
    done.key = key_path.empty() ? TrusteeKeyPath(dir, trustee) : key_path;
    const std::string_view pass = passphrase.text();
    std::error_code ec;
    if (round == 1) {
        if (Status s = CheckPassphrase(passphrase); !s) return s.error();
        if (std::filesystem::exists(done.key, ec) || std::filesystem::exists(RoundPath(dir, trustee, 1), ec))
            return MakeError("output.exists", "trustee " + std::to_string(trustee) + " has run round 1 already");
        if (done.key.has_parent_path()) std::filesystem::create_directories(done.key.parent_path(), ec);
        auto out = RunRound1(*setup, trustee, pass, SystemRng(), kdf);
        if (Status s = WriteFile(done.key, out.key_file, true); !s) return s.error();
        if (Status s = WriteFile(RoundPath(dir, trustee, 1), SerializeRound1(*setup, out.record), false); !s)
            return s.error();
        return done;
    }
    auto r1 = LoadAllRound1(*setup, dir);
    if (!r1) return r1.error();
    auto key_file = ReadFile(done.key, FileKind::kKeyFile);
    if (!key_file) return key_file.error();
    if (round == 2) {
        auto r2 = RunRound2(*setup, *r1, *key_file, pass, SystemRng());
        if (!r2) return r2.error();
        if (Status s = WriteFile(RoundPath(dir, trustee, 2), SerializeRound2(*setup, *r2), false); !s) return s.error();
        return done;
    }
    auto r2 = LoadRound<Round2>(*setup, dir, 2, ParseRound2);
    if (!r2) return r2.error();
    auto r3 = RunRound3(*setup, *r1, *r2, *key_file, pass, SystemRng(), kdf);
    if (!r3) return r3.error();
    // The share replaces the ceremony state: the polynomial is gone from the stick.
    if (Status s = WriteFile(done.key, r3->share_key_file, true); !s) return s.error();
    if (Status s = WriteFile(RoundPath(dir, trustee, 3), SerializeRound3(*setup, r3->record), false); !s)
        return s.error();
    done.key_fingerprint = KeyFingerprint(r3->record.public_share.Encode(), r3->record.public_share.group().id());
    return done;
}

Result<FinishedCeremony> FinishCeremonyFolder(const std::filesystem::path& dir, const std::filesystem::path& out,
                                              const SecretBytes& admin_passphrase, const std::filesystem::path& font,
                                              KdfParams kdf)
{
    auto setup = LoadCeremonySetup(dir);
    if (!setup) return setup.error();
    auto r1 = LoadAllRound1(*setup, dir);
    if (!r1) return r1.error();
    auto r3 = LoadRound<Round3>(*setup, dir, 3, ParseRound3);
    if (!r3) return r3.error();
    auto set = FinishCeremony(*setup, *r1, *r3);
    if (!set) return set.error();
    auto written = WriteElection(setup->definition, admin_passphrase, out, {}, kdf, font, &*set, setup->suite);
    if (!written) return written.error();
    return FinishedCeremony{std::move(set).value(), std::move(written).value()};
}

Result<OpenedShare> OpenTrusteeKeyFile(const std::filesystem::path& key, const SecretBytes& passphrase)
{
    auto key_file = ReadFile(key, FileKind::kKeyFile);
    if (!key_file) return key_file.error();
    return OpenTrusteeShare(*key_file, passphrase.text());
}

Status WriteTrusteePartial(const Audit& audit, const OpenedShare& share, const std::vector<std::uint32_t>& present,
                           const std::filesystem::path& out, const ProgressFn& progress)
{
    auto partial = RunPartialDecryption(audit, share, present, SystemRng(), progress);
    if (!partial) return partial.error();
    std::error_code ec;
    if (out.has_parent_path()) std::filesystem::create_directories(out.parent_path(), ec);
    return WriteFile(out, partial->Serialize(), false);
}

std::vector<std::filesystem::path> PartialFilesIn(const std::filesystem::path& folder)
{
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (std::uint32_t j = 1; j <= 9; ++j)
        if (std::filesystem::is_regular_file(PartialPath(folder, j), ec)) out.push_back(PartialPath(folder, j));
    return out;
}

TallyOutcome CombineTrusteeFiles(TallyOutcome out, const CombineRequest& req, const SecretBytes& admin_passphrase,
                                 const PhaseProgress& progress)
{
    if (out.error) return out;
    if (!out.audit.package) {
        out.error = MakeError(std::string(err::kTallyVerify), "the election package did not verify");
        return out;
    }
    std::vector<TrusteePartials> partials;
    for (const auto& path : req.partials) {
        auto bytes = ReadFile(path, FileKind::kTrustee);
        if (!bytes) {
            out.error = bytes.error();
            return out;
        }
        auto p = ParsePartialsFile(*bytes, *out.audit.package);
        if (!p) {
            out.error = MakeError(p.error().code, path.filename().string() + ": " + p.error().detail);
            return out;
        }
        partials.push_back(std::move(p).value());
    }
    auto admin_file = ReadFile(req.admin_key, FileKind::kKeyFile);
    if (!admin_file) {
        out.error = admin_file.error();
        return out;
    }
    auto admin = OpenSigningKey(*admin_file, admin_passphrase.text());
    if (!admin) {
        out.error = admin.error();
        return out;
    }
    SaveResults(
        CombineTrusteePartials(out.audit, std::move(partials), *admin, TallyInput{req.present}, Combining(progress)),
        req.out_folder, out);
    if (out.error) return out;
    if (req.reports)
        if (Status s = WriteTallyFiles(out, req.out_folder, req.font); !s) out.error = s.error();
    return out;
}

}  // namespace pingyi::app
