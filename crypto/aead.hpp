// The suites' authenticated encryption: AES-256-GCM through OpenSSL's EVP interface
// (P256-SHA256) or SM4-GCM (SM2-SM3, crypto/sm4gcm.hpp), one sealing and one opening path
// for the key files (docs/formats.md "Key files") and the ceremony's encrypted shares
// (docs/protocol.md §11.3).
#pragma once

#include "crypto/bytes.hpp"
#include "crypto/result.hpp"
#include "crypto/secret.hpp"
#include "crypto/suite.hpp"

namespace pingyi {

inline constexpr std::size_t kAeadKeySize = 32;
inline constexpr std::size_t kAeadNonceSize = 12;
inline constexpr std::size_t kAeadTagSize = 16;

// Returns ciphertext ‖ tag (|plaintext| + 16 bytes). WARNING: a (key, nonce) pair must
// never be used twice.
Bytes AeadSeal(const SecretBytes& key, ByteView nonce, ByteView aad, ByteView plaintext);
// Opens ciphertext ‖ tag; fails with `error_code` when the tag does not verify (a wrong
// key, or altered ciphertext or associated data).
Result<SecretBytes> AeadOpen(const SecretBytes& key, ByteView nonce, ByteView aad, ByteView sealed,
                             const char* error_code);

// HKDF-SHA256 (RFC 5869) of `size` bytes.
SecretBytes HkdfSha256(ByteView ikm, ByteView salt, ByteView info, std::size_t size);

// The suite's AEAD: AES-256-GCM (32-byte key) or SM4-GCM (16-byte key); 12-byte nonces and
// 16-byte tags in both.
std::size_t AeadKeySize(SuiteId suite);
Bytes AeadSeal(SuiteId suite, const SecretBytes& key, ByteView nonce, ByteView aad, ByteView plaintext);
Result<SecretBytes> AeadOpen(SuiteId suite, const SecretBytes& key, ByteView nonce, ByteView aad, ByteView sealed,
                             const char* error_code);
// HKDF (RFC 5869) over the suite's hash: HKDF-SHA256 or HKDF-SM3.
SecretBytes Hkdf(SuiteId suite, ByteView ikm, ByteView salt, ByteView info, std::size_t size);

}  // namespace pingyi
