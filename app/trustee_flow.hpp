// The trustees' workflows (docs/admin.md "Trustees", docs/formats.md §9), once for every
// face: the key ceremony in one folder (setup, round i of trustee j, finish) and their part
// of the tally (a trustee's partial decryption, the combination into the signed results and
// the reports). `pingyi trustee …` (admin/trustee_cli.cpp) and pingyi-admin's new-evaluation
// and tally screens call these and only present the outcome: no printing, no prompts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/election_files.hpp"
#include "app/tally_flow.hpp"
#include "core/trustee_tally.hpp"
#include "core/trustees.hpp"
#include "crypto/secret.hpp"

namespace pingyi::app {

// The ceremony folder: ceremony.json, trustee-<i>-round<r>.json (public) and, unless a
// trustee keeps it elsewhere (their own stick), trustee-<i>.pyk (secret).
inline constexpr const char* kCeremonyFile = "ceremony.json";
// pingyi-admin runs the ceremony in this folder inside the new evaluation's folder.
inline constexpr const char* kCeremonyFolder = "ceremony";
[[nodiscard]] std::filesystem::path CeremonySetupPath(const std::filesystem::path& dir);
[[nodiscard]] std::filesystem::path RoundPath(const std::filesystem::path& dir, std::uint32_t trustee, int round);
[[nodiscard]] std::filesystem::path TrusteeKeyPath(const std::filesystem::path& dir, std::uint32_t trustee);
// Where pingyi-admin keeps trustee i's key file on their own USB stick:
// pingyi-<first 8 hex digits of the election id>/trustee-<i>.pyk, so that one stick serves the
// evaluations of several years without one key file standing in another's way.
[[nodiscard]] std::filesystem::path StickKeyPath(const std::filesystem::path& stick, const CeremonySetup& setup,
                                                 std::uint32_t trustee);
// The trustee a key file is named for (trustee-<j>.pyk, as TrusteeKeyPath names it), so that
// a face can name the trustee before the file is opened; nullopt for any other name.
[[nodiscard]] std::optional<std::uint32_t> TrusteeOfKeyFile(const std::filesystem::path& key);
// A trustee's partial decryption in the tally's folder: partial-<j>.json.
[[nodiscard]] std::filesystem::path PartialPath(const std::filesystem::path& dir, std::uint32_t trustee);

// The secretary's first step: MakeCeremonySetup, then ceremony.json in `dir` (created if
// missing). "output.exists" when the folder holds a ceremony already.
Result<CeremonySetup> WriteCeremonySetup(ElectionDefinition def, std::uint32_t threshold,
                                         std::vector<std::string> names, const std::filesystem::path& dir,
                                         SuiteId suite = SuiteId::P256_SHA256);
Result<CeremonySetup> LoadCeremonySetup(const std::filesystem::path& dir);

// How far each trustee has come, from the round files in the folder: rounds[i-1] is the last
// round trustee i finished (0 … 3).
[[nodiscard]] std::vector<int> RoundsDone(const CeremonySetup& setup, const std::filesystem::path& dir);

// Whose turn it is when the trustees take their turns on one computer: round r starts once
// every trustee has finished round r-1, and within a round the trustees go in order. nullopt
// once everyone has finished round 3.
struct CeremonyTurn {
    int round = 1;
    std::uint32_t trustee = 1;
};
[[nodiscard]] std::optional<CeremonyTurn> NextCeremonyTurn(const std::vector<int>& rounds_done);

struct RoundDone {
    std::uint32_t trustee = 0;
    std::string name;
    std::filesystem::path key;    // the trustee's key file, written (round 1, 3) or read
    std::string key_fingerprint;  // round 3: the fingerprint of the trustee's public share
};
// Round `round` (1, 2, 3) of trustee `trustee` with the key file at `key` (empty: in `dir`).
// Round 1 checks the passphrase policy and refuses a trustee who has run it ("output.exists");
// rounds 2 and 3 read every round file of the round before (errors of core/trustees.hpp,
// "keyfile.passphrase" for a wrong passphrase). `kdf` protects the key files.
Result<RoundDone> RunTrusteeRound(const std::filesystem::path& dir, std::uint32_t trustee, int round,
                                  const std::filesystem::path& key, const SecretBytes& passphrase, KdfParams kdf = {});

struct FinishedCeremony {
    TrusteeSet trustees;
    WrittenElection written;
};
// The secretary's last step: every round-1 and round-3 file checked (FinishCeremony), then
// the package keyed by the trustees, the admin key and the slips (WriteElection) in `out`.
Result<FinishedCeremony> FinishCeremonyFolder(const std::filesystem::path& dir, const std::filesystem::path& out,
                                              const SecretBytes& admin_passphrase,
                                              const std::filesystem::path& font = {}, KdfParams kdf = {});

// The tally by trustees: the package and the boxes are verified once (VerifyTallyFiles of
// tally_flow.hpp); PreviewPartial (core/trustee_tally.hpp) shows each trustee what they
// decrypt and refuses an election that is not tallyable.
// Opens trustee-<j>.pyk with its passphrase ("keyfile.*"; "keyfile.kind" before round 3).
Result<OpenedShare> OpenTrusteeKeyFile(const std::filesystem::path& key, const SecretBytes& passphrase);
// The trustee's partial decryption of the verified election (RunPartialDecryption: "tally.key",
// "tally.present", …), written to `out` (PartialPath(folder, j) for the screens).
Status WriteTrusteePartial(const Audit& audit, const OpenedShare& share, const std::vector<std::uint32_t>& present,
                           const std::filesystem::path& out, const ProgressFn& progress = {});
// The partial-<j>.json files of `folder` (j = 1 … 9), in trustee order.
[[nodiscard]] std::vector<std::filesystem::path> PartialFilesIn(const std::filesystem::path& folder);

struct CombineRequest {
    std::vector<std::filesystem::path> partials;
    std::filesystem::path admin_key;
    std::filesystem::path out_folder;  // receives results.json and the three reports
    std::optional<std::uint32_t> present;
    std::filesystem::path font;
    bool reports = true;
};
// Combines at least k valid partials ("tally.too_few_trustees"; a bad partial names its file)
// with the admin key into out_folder/results.json, then the reports. `verified` is the
// outcome of VerifyTallyFiles (moved into the result, which holds the results and the
// branch's decisions as VerifyAndTally's does).
TallyOutcome CombineTrusteeFiles(TallyOutcome verified, const CombineRequest& request,
                                 const SecretBytes& admin_passphrase, const PhaseProgress& progress);

}  // namespace pingyi::app
