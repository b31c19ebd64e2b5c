// AES-256-GCM through OpenSSL's EVP interface: one sealing and one opening path for the
// key files (docs/formats.md "Key files") and the ceremony's encrypted shares
// (docs/protocol.md §11.3).
#pragma once

#include "crypto/bytes.hpp"
#include "crypto/result.hpp"
#include "crypto/secret.hpp"

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

}  // namespace pingyi
