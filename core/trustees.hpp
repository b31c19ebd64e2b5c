// The trustees' key ceremony as files (docs/formats.md §9, docs/protocol.md §11): a setup
// the secretary writes, three rounds each trustee runs on their own stick or computer, and
// the trustee set that goes into the signed election package. No step ever holds the
// election secret; every public file is checked by every later step and by the verifier.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/election.hpp"
#include "crypto/hash.hpp"
#include "crypto/keyfile.hpp"
#include "crypto/threshold.hpp"

namespace pingyi {

// The ceremony's fixed inputs: the election (with its election_id), k and the trustees'
// names in order (trustee i is names[i-1]).
struct CeremonySetup {
    ElectionDefinition definition;
    std::uint32_t threshold = 0;
    std::vector<std::string> names;
    Digest context{};                      // ctx of protocol.md §11
    SuiteId suite = SuiteId::P256_SHA256;  // of every key, proof and hash of the ceremony

    [[nodiscard]] std::uint32_t n() const { return static_cast<std::uint32_t>(names.size()); }
    [[nodiscard]] Bytes Serialize() const;
};

// Validates the definition, 1 ≤ k ≤ n ≤ 9 and the names (non-empty, distinct, at most 64
// bytes, no control characters). Errors "election.invalid", "ceremony.setup".
Result<CeremonySetup> MakeCeremonySetup(ElectionDefinition def, std::uint32_t threshold, std::vector<std::string> names,
                                        SuiteId suite = SuiteId::P256_SHA256);
Result<CeremonySetup> ParseCeremonySetup(ByteView file);

struct Round1 {
    std::uint32_t index = 0;
    std::string name;
    Point transport_key{Group::P256()};
    std::vector<Point> commitments;
    std::vector<ChallengeResponse> proofs;
};

struct Round2 {
    std::uint32_t index = 0;
    Digest round1{};
    std::vector<std::pair<std::uint32_t, Bytes>> shares;  // (recipient, encrypted share)
};

struct Round3 {
    std::uint32_t index = 0;
    Digest round1{};
    Point public_share{Group::P256()};
    ChallengeResponse confirmation{Scalar(Group::P256()), Scalar(Group::P256())};
};

Bytes SerializeRound1(const CeremonySetup& setup, const Round1& r);
Bytes SerializeRound2(const CeremonySetup& setup, const Round2& r);
Bytes SerializeRound3(const CeremonySetup& setup, const Round3& r);
// Each parser checks the format, the ceremony context, the index and name against the
// setup, and (round 1) every coefficient proof. Errors "ceremony.file" (not such a file,
// damaged, of another ceremony) and "ceremony.commitments" (a proof fails; names the trustee).
Result<Round1> ParseRound1(const CeremonySetup& setup, ByteView file);
Result<Round2> ParseRound2(const CeremonySetup& setup, ByteView file);
Result<Round3> ParseRound3(const CeremonySetup& setup, ByteView file);

// Exactly one valid round-1 record per trustee, in index order; "ceremony.missing" names the
// absent trustees.
Result<std::vector<Round1>> CollectRound1(const CeremonySetup& setup, std::vector<Round1> all);
// R1 = H("pingyi/v1/ceremony-round1"; ctx, then per trustee be32(i), enc(E_i), enc(C_i0) …).
Digest Round1Hash(const Digest& context, const std::vector<Round1>& round1);
// ctx₃ = LP(ctx) ‖ LP(R1): the context of the trustees' confirmations.
Bytes ConfirmationContext(const Digest& context, const Digest& round1_hash);

// Round 1 of trustee `index`: the public record and the trustee's key file (kind
// TrusteeCeremony) holding the polynomial and transport secret under their passphrase.
struct Round1Output {
    Round1 record;
    Bytes key_file;
};
Round1Output RunRound1(const CeremonySetup& setup, std::uint32_t index, std::string_view passphrase, Rng& rng,
                       KdfParams kdf = {});
// Round 2: checks every round-1 record, opens the trustee's key file and encrypts f_i(j)
// to every other trustee. Errors of the key file ("keyfile.*", "ceremony.key" for a key
// file of another ceremony or trustee) and of CollectRound1.
Result<Round2> RunRound2(const CeremonySetup& setup, const std::vector<Round1>& round1, ByteView key_file,
                         std::string_view passphrase, Rng& rng);
// Round 3: checks every round-2 record addressed to the trustee (R1, decryption, Feldman),
// naming the dealer of a bad share ("ceremony.share", "ceremony.share_encryption",
// "ceremony.round1_mismatch"), then seals x_j in a new key file (kind TrusteeShare).
struct Round3Output {
    Round3 record;
    Bytes share_key_file;
};
Result<Round3Output> RunRound3(const CeremonySetup& setup, const std::vector<Round1>& round1,
                               const std::vector<Round2>& round2, ByteView key_file, std::string_view passphrase,
                               Rng& rng, KdfParams kdf = {});

// The trustees as published in the election package (docs/formats.md §2.4).
struct TrusteeRecord {
    std::uint32_t index = 0;
    std::string name;
    Point transport_key{Group::P256()};
    std::vector<Point> commitments;
    std::vector<ChallengeResponse> proofs;
    ChallengeResponse confirmation{Scalar(Group::P256()), Scalar(Group::P256())};
};

struct TrusteeSet {
    std::uint32_t threshold = 0;
    std::vector<TrusteeRecord> members;  // index order, 1 … n

    [[nodiscard]] nlohmann::json ToJson() const;
    [[nodiscard]] std::vector<std::vector<Point>> AllCommitments() const;
    [[nodiscard]] Point JointKey() const;
    [[nodiscard]] Point PublicShare(std::uint32_t index) const;         // X_j
    [[nodiscard]] Digest Context(const ElectionDefinition& def) const;  // ctx of the ceremony
    [[nodiscard]] Digest Round1Hash(const ElectionDefinition& def) const;
    [[nodiscard]] const TrusteeRecord* Find(std::uint32_t index) const;
    [[nodiscard]] SuiteId suite() const;  // of its keys
};
// Parses the package member, its points in `suite`'s group; checks structure only. Error
// "package.trustees".
Result<TrusteeSet> TrusteeSetFromJson(const nlohmann::json& j, SuiteId suite);
// Every coefficient proof and confirmation, and K = Σ C_i0. Error "package.trustees".
Status VerifyTrusteeSet(const TrusteeSet& set, const ElectionDefinition& def, const Point& public_key);
// The secretary's last step: every round-1 and round-3 record, each confirmation for the
// same R1. "ceremony.missing" names trustees who have not confirmed.
Result<TrusteeSet> FinishCeremony(const CeremonySetup& setup, const std::vector<Round1>& round1,
                                  const std::vector<Round3>& round3);

// A trustee's finished share with what its key file pins: the ceremony, R1 and X_j.
struct OpenedShare {
    TrusteeShare share;
    Digest context{};
    Digest round1{};
};
// Opens trustee-<j>.pyk after round 3 ("keyfile.*"; "keyfile.kind" before round 3 is done).
Result<OpenedShare> OpenTrusteeShare(ByteView key_file, std::string_view passphrase);

}  // namespace pingyi
