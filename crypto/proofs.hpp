// Zero-knowledge proofs, non-interactive by strong Fiat–Shamir (docs/protocol.md §5).
// Every challenge is H_q over a tag, the suite name, the caller's context (election
// fingerprint and position), the public key K, the full statement and the commitments.
// Proofs are stored in challenge–response form; verifiers recompute the commitments.
#pragma once

#include <cstdint>
#include <vector>

#include "crypto/elgamal.hpp"
#include "crypto/hash.hpp"

namespace pingyi {

// The tags of the ballot proofs (docs/protocol.md §3).
inline constexpr std::string_view kRangeProofTag = "pingyi/v1/range-proof";
inline constexpr std::string_view kConstantProofTag = "pingyi/v1/constant-proof";

// T₀ of docs/protocol.md §5: a transcript of `tag` holding the suite name, the caller's
// context and the statement's public point (K, or a trustee's X_j or C_il).
Transcript Start(std::string_view tag, const Point& k, ByteView context);

// How a ballot's proofs are stored (docs/protocol.md §5.6): challenge–response only (form 1,
// version 1 packages), or with their commitments in front, every point uncompressed (form 2,
// version 2 packages), which lets a verifier check a whole box in batches.
enum class ProofForm : std::uint8_t { kChallengeResponse = 1, kWithCommitments = 2 };

// Bytes of one point of a ballot in this form: 33 (compressed) or 65 (uncompressed).
std::size_t PointSize(ProofForm form);

// A proof with one challenge c and one response v: a Chaum–Pedersen DLEQ proof
// (constant, decryption) or a Schnorr proof (key knowledge). 64 bytes: c || v.
// A ballot's constant proof made by ProveConstant also holds its commitments a ‖ b
// (uncompressed, 130 bytes), written in front of c ‖ v in form 2.
struct ChallengeResponse {
    Scalar c;
    Scalar v;
    Bytes commitments = {};  // empty, or enc65(a) ‖ enc65(b)

    [[nodiscard]] Bytes Encode(ProofForm form = ProofForm::kChallengeResponse) const;
    static Result<ChallengeResponse> Decode(const Group& g, ByteView bytes,
                                            ProofForm form = ProofForm::kChallengeResponse);
};

// Disjunctive Chaum–Pedersen proof that (A, B) encrypts some m in [0, L].
// L = 1 is the 0/1 proof of every ballot cell; L = k the per-ballot quota.
// Encoding: c_0 .. c_L, v_0 .. v_L, 64·(L+1) bytes (form 1); in form 2 preceded by the
// commitments a_0, b_0, …, a_L, b_L, 65 bytes each: 194·(L+1) bytes.
struct RangeProof {
    std::vector<Scalar> c;
    std::vector<Scalar> v;
    Bytes commitments = {};  // empty, or enc65(a_0) ‖ enc65(b_0) ‖ … ‖ enc65(b_L)

    [[nodiscard]] Bytes Encode(ProofForm form = ProofForm::kChallengeResponse) const;
    static Result<RangeProof> Decode(const Group& g, ByteView bytes, std::uint32_t max,
                                     ProofForm form = ProofForm::kChallengeResponse);
};

// The encoded size of a range proof with bound `max`, or of a constant proof, in a form.
std::size_t RangeProofSize(std::uint32_t max, ProofForm form);
std::size_t ConstantProofSize(ProofForm form);

// WARNING: r is the encryption nonce of ct and m its true plaintext, m <= max.
RangeProof ProveRange(const Point& k, const Ciphertext& ct, std::uint32_t m, const Scalar& r, std::uint32_t max,
                      ByteView context, Rng& rng);
// The same with K's table (KeyTable(k)), as a prover of many cells holds it.
RangeProof ProveRange(const FixedBase& k_table, const Ciphertext& ct, std::uint32_t m, const Scalar& r,
                      std::uint32_t max, ByteView context, Rng& rng);
// Checks the proof; if it holds commitments (form 2), also that they are exactly the ones
// the responses give (docs/protocol.md §5.6, conditions 1–3, one equation at a time).
Status VerifyRange(const Point& k, const Ciphertext& ct, std::uint32_t max, const RangeProof& proof, ByteView context);

// Chaum–Pedersen proof that (A, B) encrypts exactly m (a ballot row sums to 1).
ChallengeResponse ProveConstant(const Point& k, const Ciphertext& ct, std::uint64_t m, const Scalar& r,
                                ByteView context, Rng& rng);
ChallengeResponse ProveConstant(const FixedBase& k_table, const Ciphertext& ct, std::uint64_t m, const Scalar& r,
                                ByteView context, Rng& rng);
Status VerifyConstant(const Point& k, const Ciphertext& ct, std::uint64_t m, const ChallengeResponse& proof,
                      ByteView context);

// The count m in an aggregate of at least `min_ballots` ballots, found in `dlog`, with the
// Chaum–Pedersen proof that B − s·A = m·G for the s behind K (checked by VerifyDecryption).
// Errors: "tally.too_few" for an aggregate of fewer ballots (nothing is computed with the
// key), "tally.dlog" when B − s·A is beyond the table (the key or the ballots are wrong).
struct DecryptedAggregate {
    std::uint64_t count = 0;
    ChallengeResponse proof;
};
Result<DecryptedAggregate> DecryptAggregate(const ElectionKeyPair& key, const EncryptedSum& aggregate,
                                            std::size_t min_ballots, const DiscreteLogTable& dlog, ByteView context,
                                            Rng& rng);
// Checks a decryption proof of the sum (A, B) = ct claimed to hold m.
Status VerifyDecryption(const Point& k, const Ciphertext& ct, std::uint64_t m, const ChallengeResponse& proof,
                        ByteView context);

// Schnorr proof of knowledge of s with K = s·G.
ChallengeResponse ProveKeyKnowledge(const ElectionKeyPair& key, ByteView context, Rng& rng);
Status VerifyKeyKnowledge(const Point& k, const ChallengeResponse& proof, ByteView context);

// The bytes a caller passes as context for a position inside a larger statement:
// LP(base) || LP(kind) || be32(i) || be32(j).
Bytes PositionContext(ByteView base, std::string_view kind, std::uint32_t i, std::uint32_t j);

}  // namespace pingyi
