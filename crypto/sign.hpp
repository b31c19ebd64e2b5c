// Ed25519 signatures through OpenSSL's EVP interface (docs/protocol.md §7):
// the kiosk's device key signs ballot and box records; the admin key signs the package
// and the results.
#pragma once

#include "crypto/bytes.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/result.hpp"
#include "crypto/secret.hpp"

namespace pingyi {

inline constexpr std::size_t kSigningPublicKeySize = 32;
inline constexpr std::size_t kSigningSeedSize = 32;
inline constexpr std::size_t kSignatureSize = 64;

// Not copyable; the 32-byte seed is the only secret and is wiped when freed.
class SigningKey {
  public:
    static SigningKey Generate(Rng& rng);
    static Result<SigningKey> FromSeed(const SecretBytes& seed);

    SigningKey(const SigningKey&) = delete;
    SigningKey& operator=(const SigningKey&) = delete;
    SigningKey(SigningKey&&) noexcept = default;
    SigningKey& operator=(SigningKey&&) noexcept = default;
    ~SigningKey() = default;

    [[nodiscard]] const Bytes& public_key() const { return m_public; }
    // WARNING: the secret seed, for sealing into a key file only.
    [[nodiscard]] const SecretBytes& seed() const { return m_seed; }
    [[nodiscard]] Bytes Sign(ByteView message) const;

  private:
    SigningKey(SecretBytes seed, Bytes pub) : m_seed(std::move(seed)), m_public(std::move(pub)) {}
    SecretBytes m_seed;
    Bytes m_public;
};

Status VerifySignature(ByteView public_key, ByteView message, ByteView signature);

// H("pingyi/v1/key-fingerprint"; key): the whole fingerprint of a public key.
Digest KeyFingerprintDigest(ByteView public_key);
// A short, human-comparable fingerprint of a public key: first 8 bytes of
// KeyFingerprintDigest in hex, grouped by 4.
std::string KeyFingerprint(ByteView public_key);

}  // namespace pingyi
