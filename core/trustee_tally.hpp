// The tally by k of n trustees (docs/formats.md §9.5–9.7, docs/protocol.md §12): each
// present trustee partially decrypts the aggregates of a whole verified election, and the
// combination of at least k valid partials gives the counts. Shared by the console and
// pingyi-admin; never a widget.
#pragma once

#include "core/tally.hpp"

namespace pingyi {

// What a trustee is shown before decrypting: the boxes and what will be decrypted.
struct PartialPreview {
    std::vector<BoxSummary> boxes;               // by kiosk, with device keys and close hashes
    Digest box_set{};                            // BoxSetHash of those boxes
    std::vector<CategoryAttendance> attendance;  // issued/used per category
    std::vector<TallyGroup> groups;              // what is decrypted: these sums only
    std::size_t aggregates = 0;                  // groups × members × options
    const TrusteeRecord* trustee = nullptr;      // the package's record of this trustee
};

// Refuses unless the election is tallyable (CheckTallyable), has trustees and the share
// is theirs: "tally.key" for a share of another ceremony, trustee or public share.
Result<PartialPreview> PreviewPartial(const Audit& audit, const OpenedShare& share);

// Writes trustee j's partials of every aggregate. `present` is 实到 per category as the
// trustee counted: "tally.present" when a category's used codes exceed it (more ballots
// than people in the room). Never decrypts anything but the aggregates of PreviewPartial.
Result<TrusteePartials> RunPartialDecryption(const Audit& audit, const OpenedShare& share,
                                             const std::vector<std::uint32_t>& present, Rng& rng,
                                             const ProgressFn& progress = {});

// One trustee's partials checked against the sums (group-major, as AggregateSums gives):
// election, box set of the audit's boxes, groups, a trustee of the package, one partial per
// sum, every proof. Errors "partial.binding" (another election, boxes or groups; unknown
// trustee) and "partial.proof" (names the trustee and the first failing aggregate).
Status VerifyTrusteePartials(const Audit& audit, const std::vector<TallyGroup>& groups,
                             const std::vector<Ciphertext>& sums, const TrusteePartials& partials);

// At least k valid partials of distinct trustees ("tally.too_few_trustees" names how many
// are missing) combined into the results, signed by the admin key. Invalid partials are
// refused with their error, never skipped silently.
Result<Results> CombineTrusteePartials(const Audit& audit, std::vector<TrusteePartials> partials,
                                       const SigningKey& admin_key, const TallyInput& input,
                                       const ProgressFn& progress = {});

// The verifier's checks of a trustees' results (after results.aggregates has checked the
// sums): results.trustees (k distinct trustees of the package), results.partials (each
// bound to these boxes and groups, each proof valid) and results.combination (every count
// is the Lagrange combination of the partials).
void VerifyTrusteeResults(Audit& audit, const Results& results);

}  // namespace pingyi
