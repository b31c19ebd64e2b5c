// SM4-GCM: the Galois/Counter Mode of NIST SP 800-38D over the SM4 block cipher
// (GB/T 32907), as RFC 8998 uses it. OpenSSL 3.0 has SM4 but no SM4-GCM, so the mode is
// built here over single-block SM4 encryptions (OpenSSL's SM4-ECB), with a GHASH whose
// multiplication in GF(2^128) uses masks only (no tables, no branches on secret bits).
// Proven against the RFC 8998 test vector (tests/crypto/test_sm.cpp).
#pragma once

#include "crypto/bytes.hpp"
#include "crypto/result.hpp"
#include "crypto/secret.hpp"

namespace pingyi {

inline constexpr std::size_t kSm4KeySize = 16;
inline constexpr std::size_t kSm4GcmNonceSize = 12;
inline constexpr std::size_t kSm4GcmTagSize = 16;

// Returns ciphertext ‖ tag. WARNING: a (key, nonce) pair must never be used twice.
Bytes Sm4GcmSeal(const SecretBytes& key, ByteView nonce, ByteView aad, ByteView plaintext);
// Opens ciphertext ‖ tag; fails with `error_code` when the tag does not verify. Nothing is
// decrypted before the tag has been checked (in constant time).
Result<SecretBytes> Sm4GcmOpen(const SecretBytes& key, ByteView nonce, ByteView aad, ByteView sealed,
                               const char* error_code);

}  // namespace pingyi
