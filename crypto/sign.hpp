// The suites' signatures through OpenSSL's EVP interface (docs/protocol.md §7): Ed25519 in
// P256-SHA256, SM2 (GB/T 32918.2 with SM3 and the standard's default user ID) in SM2-SM3.
// The kiosk's device key signs ballot and box records; the admin key signs the package and
// the results.
#pragma once

#include <string_view>

#include "crypto/bytes.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/result.hpp"
#include "crypto/secret.hpp"
#include "crypto/suite.hpp"

namespace pingyi {

// Ed25519 (P256-SHA256): 32-byte public key, 32-byte seed.
inline constexpr std::size_t kSigningPublicKeySize = 32;
inline constexpr std::size_t kSigningSeedSize = 32;
// SM2 (SM2-SM3): the public key SEC1-compressed (33 bytes), the private key d as 32 bytes
// big-endian, 1 ≤ d ≤ q − 2.
inline constexpr std::size_t kSm2PublicKeySize = 33;
// Both: 64 bytes (Ed25519's R ‖ S; SM2's r ‖ s, each 32 bytes big-endian).
inline constexpr std::size_t kSignatureSize = 64;
// GB/T 32918.2's default distinguishing identifier (user ID), hashed into Z_A.
inline constexpr std::string_view kSm2DefaultId = "1234567812345678";

std::size_t SigningPublicKeySize(SuiteId suite);

// Not copyable; the 32-byte seed (Ed25519) or private key (SM2) is the only secret and is
// wiped when freed.
class SigningKey {
  public:
    static SigningKey Generate(Rng& rng, SuiteId suite = SuiteId::P256_SHA256);
    static Result<SigningKey> FromSeed(const SecretBytes& seed, SuiteId suite = SuiteId::P256_SHA256);

    SigningKey(const SigningKey&) = delete;
    SigningKey& operator=(const SigningKey&) = delete;
    SigningKey(SigningKey&&) noexcept = default;
    SigningKey& operator=(SigningKey&&) noexcept = default;
    ~SigningKey() = default;

    [[nodiscard]] SuiteId suite() const { return m_suite; }
    [[nodiscard]] const Bytes& public_key() const { return m_public; }
    // WARNING: the secret seed, for sealing into a key file only.
    [[nodiscard]] const SecretBytes& seed() const { return m_seed; }
    // Ed25519 signatures are deterministic; SM2 signatures draw a fresh nonce each time.
    [[nodiscard]] Bytes Sign(ByteView message) const;

  private:
    SigningKey(SuiteId suite, SecretBytes seed, Bytes pub)
        : m_suite(suite), m_seed(std::move(seed)), m_public(std::move(pub))
    {
    }
    SuiteId m_suite;
    SecretBytes m_seed;
    Bytes m_public;
};

// Ed25519 (the P256-SHA256 suite's signatures).
Status VerifySignature(ByteView public_key, ByteView message, ByteView signature);
// The suite's signature scheme.
Status VerifySignature(SuiteId suite, ByteView public_key, ByteView message, ByteView signature);
// SM2 with an explicit distinguishing identifier (the standards' examples use other IDs).
Status VerifySm2Signature(ByteView public_key, ByteView id, ByteView message, ByteView signature);

// H("pingyi/v1/key-fingerprint"; key) with the suite's hash: the whole fingerprint of a
// public key.
Digest KeyFingerprintDigest(ByteView public_key, SuiteId suite = SuiteId::P256_SHA256);
// A short, human-comparable fingerprint of a public key: first 8 bytes of
// KeyFingerprintDigest in hex, grouped by 4.
std::string KeyFingerprint(ByteView public_key, SuiteId suite = SuiteId::P256_SHA256);

}  // namespace pingyi
