// k-of-n trustees (docs/protocol.md §11–12): a dealerless key ceremony in the manner of
// Pedersen's distributed key generation with Feldman commitments, and threshold decryption
// of aggregates with Chaum–Pedersen proofs and Lagrange combination.
//
//   trustee i (1..n):  f_i(x) = a_i0 + a_i1·x + … + a_i,k-1·x^(k-1),  C_il = a_il·G
//   share for j:       f_i(j), checked by  f_i(j)·G = Σ_l j^l·C_il            (Feldman)
//   trustee j's share: x_j = Σ_i f_i(j),   public share X_j = Σ_i Σ_l j^l·C_il
//   joint key:         K = Σ_i C_i0  (its secret s = Σ_i a_i0 is never computed)
//   partial:           D_j = x_j·A, proved by DLEQ(G, X_j; A, D_j)
//   combination:       M = B − Σ_{j∈S} λ_j·D_j,  λ_j = Π_{l∈S, l≠j} l / (l − j)  mod q
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "crypto/elgamal.hpp"
#include "crypto/proofs.hpp"

namespace pingyi {

inline constexpr std::uint32_t kMaxTrustees = 9;
// An encrypted share: nonce (12) ‖ AES-256-GCM(enc(f_i(j))) (32) ‖ tag (16).
inline constexpr std::size_t kEncryptedShareSize = 60;

// A trustee's secret polynomial f_i of degree k−1. Not copyable; coefficients are scalars
// freed with BN_clear_free.
class Polynomial {
  public:
    // Draws a_0 … a_{k-1} in that order with Scalar::Random.
    static Polynomial Random(const Group& g, std::uint32_t k, Rng& rng);
    // From enc(a_0) ‖ … ‖ enc(a_{k-1}); rejects a bad length or a non-canonical scalar.
    static Result<Polynomial> Import(const Group& g, const SecretBytes& coefficients);

    Polynomial(const Polynomial&) = delete;
    Polynomial& operator=(const Polynomial&) = delete;
    Polynomial(Polynomial&&) noexcept = default;
    Polynomial& operator=(Polynomial&&) noexcept = default;
    ~Polynomial() = default;

    [[nodiscard]] std::uint32_t threshold() const { return static_cast<std::uint32_t>(m_a.size()); }
    // WARNING: secret, for sealing into the trustee's own key file only.
    [[nodiscard]] SecretBytes Export() const;
    // f(x) by Horner's rule; secret.
    [[nodiscard]] Scalar Evaluate(std::uint32_t x) const;
    // C_l = a_l·G, l = 0 … k−1.
    [[nodiscard]] std::vector<Point> Commitments() const;
    // WARNING: the secret coefficient a_l.
    [[nodiscard]] const Scalar& coefficient(std::uint32_t l) const { return m_a.at(l); }

  private:
    explicit Polynomial(std::vector<Scalar> a) : m_a(std::move(a)) {}
    std::vector<Scalar> m_a;
};

// Schnorr proofs of knowledge of every a_il behind C_il (§11.2), bound to the ceremony
// context, the dealer's index and all the dealer's commitments.
std::vector<ChallengeResponse> ProveCoefficients(const Polynomial& f, std::uint32_t dealer, ByteView context, Rng& rng);
// Error "ceremony.commitments" naming the dealer and the coefficient that fails.
Status VerifyCoefficients(std::span<const Point> commitments, std::uint32_t dealer,
                          std::span<const ChallengeResponse> proofs, ByteView context);

// Σ_l x^l·C_l: what f(x)·G must be (public).
Point EvaluateCommitments(std::span<const Point> commitments, std::uint32_t x);
// Feldman's check f_i(j)·G = Σ_l j^l·C_il. Error "ceremony.share".
Status VerifyShare(std::span<const Point> commitments, std::uint32_t recipient, const Scalar& share);
// X_j = Σ_i Σ_l j^l·C_il over every dealer's commitments.
Point PublicShare(std::span<const std::vector<Point>> all_commitments, std::uint32_t j);
// K = Σ_i C_i0.
Point JointPublicKey(std::span<const std::vector<Point>> all_commitments);

// The share f_i(j) encrypted from dealer i to recipient j (§11.3): static–static ECDH of
// the transport keys E_i = e_i·G and E_j, HKDF-SHA256 to an AES-256-GCM key, the share as
// plaintext, `context` ‖ be32(i) ‖ be32(j) as associated data. WARNING: fresh nonce per call.
Bytes EncryptShare(const ElectionKeyPair& dealer_transport, const Point& recipient_transport, std::uint32_t dealer,
                   std::uint32_t recipient, const Scalar& share, ByteView context, Rng& rng);
// Error "ceremony.share_encryption" when it does not open (a wrong key or altered bytes).
Result<Scalar> DecryptShare(const ElectionKeyPair& recipient_transport, const Point& dealer_transport,
                            std::uint32_t dealer, std::uint32_t recipient, ByteView encrypted, ByteView context);

// A trustee's finished share x_j with its index j and public share X_j = x_j·G.
class TrusteeShare {
  public:
    static Result<TrusteeShare> FromSecret(const Group& g, std::uint32_t index, const SecretBytes& secret);
    static TrusteeShare FromScalar(std::uint32_t index, Scalar x);

    TrusteeShare(const TrusteeShare&) = delete;
    TrusteeShare& operator=(const TrusteeShare&) = delete;
    TrusteeShare(TrusteeShare&&) noexcept = default;
    TrusteeShare& operator=(TrusteeShare&&) noexcept = default;
    ~TrusteeShare() = default;

    [[nodiscard]] std::uint32_t index() const { return m_index; }
    [[nodiscard]] const Point& public_share() const { return m_public; }
    // WARNING: the secret x_j.
    [[nodiscard]] const Scalar& secret() const { return m_x; }
    [[nodiscard]] SecretBytes ExportSecret() const;

  private:
    TrusteeShare(std::uint32_t index, Scalar x, Point pub) : m_index(index), m_x(std::move(x)), m_public(std::move(pub))
    {
    }
    std::uint32_t m_index;
    Scalar m_x;
    Point m_public;
};

// Schnorr proof that trustee j knows x_j behind X_j (§11.4): the trustee's confirmation
// that every share it received was valid. Error "ceremony.confirmation".
ChallengeResponse ProveShareKnowledge(const TrusteeShare& share, ByteView context, Rng& rng);
Status VerifyShareKnowledge(const Point& public_share, std::uint32_t index, const ChallengeResponse& proof,
                            ByteView context);

// D_j = x_j·A with a Chaum–Pedersen proof that log_G X_j = log_A D_j (§12.1).
struct PartialDecryption {
    Point d;
    ChallengeResponse proof;
};
// Only of an EncryptedSum of at least `min_ballots` ballots ("tally.too_few" otherwise).
Result<PartialDecryption> DecryptPartial(const TrusteeShare& share, const EncryptedSum& aggregate,
                                         std::size_t min_ballots, ByteView context, Rng& rng);
// Error "partial.proof".
Status VerifyPartial(const Point& public_share, const Point& a, const PartialDecryption& partial, ByteView context);

// λ_j for the set `indices` (distinct, each in 1..kMaxTrustees, j among them).
Scalar LagrangeCoefficient(const Group& g, std::span<const std::uint32_t> indices, std::uint32_t j);
// M = B − Σ λ_j·D_j over the given trustees' partials of one ciphertext (§12.2). With fewer
// than k partials the result is a meaningless point, not m·G. Throws on repeated indices.
Point CombinePartials(const Point& b, std::span<const std::uint32_t> indices, std::span<const Point> partials);

}  // namespace pingyi
