// The results file: the decrypted aggregates with their proofs, signed by the admin key
// (docs/formats.md §6), and the summary a branch reads from it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/package.hpp"

namespace pingyi {

// A set of voter categories tallied together. Every group has at least min_group_size
// ballots; small categories are merged (docs/protocol.md §8, docs/formats.md §6).
struct TallyGroup {
    std::vector<std::uint32_t> categories;
    std::uint32_t ballots = 0;
};

struct Aggregate {
    std::uint32_t group = 0;
    std::uint32_t member = 0;
    std::uint32_t option = 0;
    std::uint64_t count = 0;
    Ciphertext sum;
    std::optional<ChallengeResponse> proof;  // 1-of-1 only; trustees' results carry partials
};

// One trustee's partial decryption of every aggregate of a tally (docs/formats.md §9.5):
// D_j = x_j·A with its proof, for the boxes whose close records give `box_set`.
struct TrusteePartials {
    Digest election{};
    Digest box_set{};
    std::uint32_t trustee = 0;
    std::vector<std::uint32_t> present;  // 实到 per category, as the trustee entered it
    std::vector<TallyGroup> groups;
    std::vector<PartialDecryption> partials;  // group-major, then member, then option

    [[nodiscard]] nlohmann::json Body() const;
    [[nodiscard]] Bytes Serialize() const;  // the partial-<j>.json file
};
// Structure only (format, election, every point and proof decodes); the proofs are checked
// against the boxes by VerifyTrusteePartials. Error "partial.format", "results.election".
Result<TrusteePartials> ParsePartials(const nlohmann::json& body, const ElectionPackage& package);
Result<TrusteePartials> ParsePartialsFile(ByteView file, const ElectionPackage& package);

struct BoxSummary {
    std::uint32_t kiosk = 0;
    Bytes device_public_key;
    Digest close_hash{};
    std::uint32_t ballots = 0;
    std::uint32_t spoiled = 0;  // checked ballots (never counted); in the file only when not 0
};

struct CategoryAttendance {
    std::uint32_t issued = 0;
    std::uint32_t used = 0;
};

struct Results {
    // Written as "suite" when it is not P256-SHA256 (formats.md §6): the package's suite.
    SuiteId suite = SuiteId::P256_SHA256;
    Digest election{};
    std::vector<BoxSummary> boxes;
    std::vector<CategoryAttendance> attendance;  // per category
    std::optional<std::uint32_t> present;        // 实到人数, when the admin gives it
    std::vector<TallyGroup> groups;
    std::vector<Aggregate> aggregates;      // group-major, then member, then option
    std::vector<std::string> notes;         // e.g. which categories were merged and why
    std::vector<TrusteePartials> partials;  // the trustees who decrypted (k of n), by index
    Bytes signature;

    [[nodiscard]] nlohmann::json Body() const;
    [[nodiscard]] Bytes Serialize() const;
    [[nodiscard]] std::uint32_t TotalBallots() const;
};

Bytes ResultsSigningMessage(const std::string& canonical_body);
// The context base of the decryption proofs of one group:
// LP(fingerprint) ‖ be32(#categories) ‖ be32(category)… ; each proof then uses
// PositionContext(base, "tally", member, option).
Bytes TallyContext(const Digest& fingerprint, const TallyGroup& group);
// H("pingyi/v1/box-set"; fp, be32(#boxes), then per box by kiosk: be32(kiosk), close hash).
Digest BoxSetHash(SuiteId suite, const Digest& fingerprint, const std::vector<BoxSummary>& boxes);
// The base of a trustee's partial proofs of one group: TallyContext ‖ LP(box set); each proof
// then uses PositionContext(base, "partial", member, option).
Bytes PartialContext(const Digest& fingerprint, const Digest& box_set, const TallyGroup& group);

// Parses a results file and checks its admin signature against the package. It does not
// check the aggregates against ballots: VerifyResults does.
Result<Results> ParseResults(ByteView file, const ElectionPackage& package);

// The grouping rule: categories with >= k ballots stand alone; the small ones are merged
// together if that reaches k, else into the smallest standing group; if all ballots
// together are fewer than k, nothing may be decrypted (error "tally.too_few").
Result<std::vector<TallyGroup>> GroupCategories(const ElectionDefinition& def,
                                                const std::vector<std::uint32_t>& ballots_per_category,
                                                std::vector<std::string>* notes);

// What a branch reads: per member, counts per option per group and in total, percentages,
// the weighted percentages and the suggested grade (参考等次).
struct MemberSummary {
    std::vector<std::vector<std::uint64_t>> counts;  // [group][option]
    std::vector<std::uint64_t> total;                // [option]
    std::vector<double> percent;                     // [option], of all ballots
    std::vector<double> weighted_percent;            // [option], group weights
    std::uint32_t suggested = 0;                     // option index
    std::string suggestion_note;                     // why, when a cap or rule applied
};
std::vector<MemberSummary> Summarize(const ElectionDefinition& def, const Results& results);
std::string GroupLabel(const ElectionDefinition& def, const TallyGroup& g);  // "党员" or "团员青年代表+群众代表"

// A group of the results that holds a category with fewer ballots than the minimum group
// size: `small` were merged (each below the minimum), into `large` (empty when the small ones
// were tallied together on their own). What the official pages and the GUI say, each in
// its reader's language; the results' own `notes` are the signed English record.
struct MergedCategories {
    std::vector<std::uint32_t> small, large;
    std::uint32_t small_ballots = 0;  // ballots of the small categories
    std::uint32_t ballots = 0;        // of the whole group
    std::uint32_t min_group = 0;
};
std::vector<MergedCategories> MergedGroups(const ElectionDefinition& def, const Results& results);

}  // namespace pingyi
