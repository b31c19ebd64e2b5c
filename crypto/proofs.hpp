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

// T₀ of docs/protocol.md §5: a transcript of `tag` holding the suite name, the caller's
// context and the statement's public point (K, or a trustee's X_j or C_il).
Transcript Start(std::string_view tag, const Point& k, ByteView context);

// A proof with one challenge c and one response v: a Chaum–Pedersen DLEQ proof
// (constant, decryption) or a Schnorr proof (key knowledge). 64 bytes: c || v.
struct ChallengeResponse {
    Scalar c;
    Scalar v;

    [[nodiscard]] Bytes Encode() const;
    static Result<ChallengeResponse> Decode(const Group& g, ByteView bytes);
};

// Disjunctive Chaum–Pedersen proof that (A, B) encrypts some m in [0, L].
// L = 1 is the 0/1 proof of every ballot cell; L = k the per-ballot quota.
// Encoding: c_0 .. c_L, v_0 .. v_L, 64·(L+1) bytes.
struct RangeProof {
    std::vector<Scalar> c;
    std::vector<Scalar> v;

    [[nodiscard]] Bytes Encode() const;
    static Result<RangeProof> Decode(const Group& g, ByteView bytes, std::uint32_t max);
};

// WARNING: r is the encryption nonce of ct and m its true plaintext, m <= max.
RangeProof ProveRange(const Point& k, const Ciphertext& ct, std::uint32_t m, const Scalar& r, std::uint32_t max,
                      ByteView context, Rng& rng);
// The same with K's table (KeyTable(k)), as a prover of many cells holds it.
RangeProof ProveRange(const FixedBase& k_table, const Ciphertext& ct, std::uint32_t m, const Scalar& r,
                      std::uint32_t max, ByteView context, Rng& rng);
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
