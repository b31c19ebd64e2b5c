// Exponential ElGamal (docs/protocol.md §4).
//
//   key pair:   s random in [1, q-1],  K = s·G
//   Enc(m; r) = (A, B) = (r·G, m·G + r·K)
//   (A1,B1) + (A2,B2) = (A1+A2, B1+B2)  encrypts m1+m2 under nonce r1+r2
//   decryption to a point: M = B - s·A = m·G;  m from a discrete-log table up to a bound
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>

#include "crypto/fixed_base.hpp"
#include "crypto/group.hpp"
#include "crypto/secret.hpp"

namespace pingyi {

inline constexpr std::size_t kCiphertextSize = 2 * kPointSize;  // A || B

struct Ciphertext {
    Point a;  // A = r·G
    Point b;  // B = m·G + r·K

    [[nodiscard]] Bytes Encode() const;
    static Result<Ciphertext> Decode(const Group& g, ByteView bytes);
    Ciphertext operator+(const Ciphertext& o) const { return {a + o.a, b + o.b}; }
    [[nodiscard]] bool operator==(const Ciphertext& o) const { return a == o.a && b == o.b; }
};

// The election secret s and public key K. Not copyable; s is wiped when freed.
class ElectionKeyPair {
  public:
    static ElectionKeyPair Generate(const Group& g, Rng& rng);
    // Rejects a secret that is not a canonical non-zero scalar.
    static Result<ElectionKeyPair> FromSecret(const Group& g, const SecretBytes& secret);

    ElectionKeyPair(const ElectionKeyPair&) = delete;
    ElectionKeyPair& operator=(const ElectionKeyPair&) = delete;
    ElectionKeyPair(ElectionKeyPair&&) noexcept = default;
    ElectionKeyPair& operator=(ElectionKeyPair&&) noexcept = default;
    ~ElectionKeyPair() = default;

    [[nodiscard]] const Point& public_key() const { return m_public; }
    // WARNING: the secret s; pass it only to proof and decryption functions.
    [[nodiscard]] const Scalar& secret() const { return m_secret; }
    [[nodiscard]] SecretBytes ExportSecret() const;

  private:
    ElectionKeyPair(Scalar s, Point k) : m_secret(std::move(s)), m_public(std::move(k)) {}
    Scalar m_secret;
    Point m_public;
};

// WARNING: r must be fresh from Scalar::Random for every encryption and kept secret.
Ciphertext Encrypt(const Point& public_key, std::uint64_t m, const Scalar& r);
// The same with the key's table (KeyTable), as a prover encrypting many cells holds it.
Ciphertext Encrypt(const FixedBase& key_table, std::uint64_t m, const Scalar& r);

// Σ of ciphertexts; the input must not be empty.
Ciphertext Sum(std::span<const Ciphertext> cts);

// The sum of several ballots' ciphertexts (one cell of every ballot of a group): the only
// thing a key decrypts (DecryptAggregate in proofs.hpp, DecryptPartial in threshold.hpp).
// It is made only by adding ciphertexts up and says how many it holds; the decryption
// functions refuse one of fewer ballots than the caller's minimum (the tally passes the
// election's min_group_size). Code outside crypto/ has no other way to decrypt: the single
// decryption lives in crypto/single_decrypt.hpp, which the layer test keeps inside crypto/.
class EncryptedSum {
  public:
    // Σ of cts; std::invalid_argument when there are none.
    static EncryptedSum Of(std::span<const Ciphertext> cts);
    void Add(const Ciphertext& ct);
    [[nodiscard]] const Ciphertext& sum() const { return m_sum; }
    [[nodiscard]] std::size_t count() const { return m_count; }

  private:
    EncryptedSum(Ciphertext sum, std::size_t count) : m_sum(std::move(sum)), m_count(count) {}
    Ciphertext m_sum;
    std::size_t m_count;
};

// Baby-step/giant-step discrete log of M = m·G for 0 <= m <= bound.
class DiscreteLogTable {
  public:
    DiscreteLogTable(const Group& g, std::uint64_t bound);
    [[nodiscard]] std::optional<std::uint64_t> Find(const Point& m_point) const;
    [[nodiscard]] std::uint64_t bound() const { return m_bound; }

  private:
    std::uint64_t m_bound;
    std::uint64_t m_step;
    std::unordered_map<std::string, std::uint64_t> m_baby;  // encode(j·G) -> j, 1 <= j < step
    Point m_giant;                                          // -step·G
};

}  // namespace pingyi
