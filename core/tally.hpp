// The tally (docs/design.md §1 step 3): verify everything first, then add the encrypted
// ballots per (member, option, group) and decrypt only those sums, each with a proof.
#pragma once

#include "core/verify.hpp"

namespace pingyi {

struct TallyInput {
    std::optional<std::uint32_t> present;  // 实到人数, as the admin counted at the meeting
};

// Refuses unless the audit passed completely and every box is closed (the whole closed
// box or nothing: a chosen subset could reveal one person's vote). The keys must be the
// package's. Never decrypts a single ballot or a group below min_group_size.
// A sum whose A or B is the identity has no encoding (protocol.md §2): it can only come from
// crafted ballots, and nothing of it may be decrypted or published ("tally.verify").
[[nodiscard]] Status CheckSumEncodable(const Ciphertext& sum, std::uint32_t member, std::uint32_t option);

Result<Results> RunTally(const Audit& audit, const ElectionKeyPair& election_key, const SigningKey& admin_key,
                         const TallyInput& input, Rng& rng, const ProgressFn& progress = {});

// The steps every tally shares, 1-of-1 or by trustees: "tally.verify" unless every check
// passed, "tally.open_box" unless every box is closed.
Status CheckTallyable(const Audit& audit);
// The results without aggregates: election, boxes (by kiosk), attendance, present, groups, notes.
Result<Results> PrepareResults(const Audit& audit, const TallyInput& input);
// Σ of the ballots for every (group, member, option), group-major: what is decrypted.
std::vector<Ciphertext> AggregateSums(const Audit& audit, const std::vector<TallyGroup>& groups);

}  // namespace pingyi
