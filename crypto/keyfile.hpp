// Secrets at rest under a passphrase (docs/formats.md "Key files"). In P256-SHA256 scrypt
// derives an AES-256-GCM key and a SHA-256 over the whole file tells a damaged file from a
// wrong passphrase; in SM2-SM3 PBKDF2-HMAC-SM3 derives an SM4-GCM key and the checksum is SM3.
#pragma once

#include <cstdint>
#include <string_view>

#include "crypto/elgamal.hpp"
#include "crypto/sign.hpp"

namespace pingyi {

// TrusteeCeremony: a trustee's polynomial and transport secret between the rounds of the
// key ceremony; TrusteeShare: a trustee's finished share x_j (docs/protocol.md §11).
enum class KeyKind : std::uint8_t { ElectionSecret = 1, SigningSeed = 2, TrusteeCeremony = 3, TrusteeShare = 4 };
// "an election key", "a signing key" … for error messages.
const char* KeyKindName(KeyKind kind);

// PBKDF2-HMAC-SM3 iterations: 0.61 s of CPU per attempt on the development machine
// (docs/performance.md), the SM2-SM3 suite's counterpart of scrypt's half second.
inline constexpr std::uint32_t kPbkdf2Iterations = 1'000'000;
inline constexpr std::uint32_t kMinPbkdf2Iterations = 1'000;
inline constexpr std::uint32_t kMaxPbkdf2Iterations = 100'000'000;

// scrypt's parameters are used in P256-SHA256, the iteration count in SM2-SM3.
struct KdfParams {
    std::uint8_t log2_n = 17;  // N = 2^17: 128 MiB and about half a second per attempt
    std::uint32_t r = 8;
    std::uint32_t p = 1;
    std::uint32_t iterations = kPbkdf2Iterations;
};
inline constexpr std::uint8_t kMinLog2N = 14;
inline constexpr std::uint8_t kMaxLog2N = 22;

struct SealedSecret {
    KeyKind kind;
    SuiteId suite;
    Bytes public_part;  // K (33 bytes), the signing public key (32 or 33 bytes), or a trustee's (docs/formats.md)
    SecretBytes secret;
};

// Error codes: "keyfile.format" (not a key file, or damaged), "keyfile.passphrase"
// (wrong passphrase), "keyfile.kind" (a key file of another kind).
Bytes SealSecret(KeyKind kind, SuiteId suite, ByteView public_part, const SecretBytes& secret,
                 std::string_view passphrase, Rng& rng, KdfParams params = {});
Result<SealedSecret> OpenSealedSecret(ByteView file, std::string_view passphrase);

Bytes SealElectionKey(const ElectionKeyPair& key, std::string_view passphrase, Rng& rng, KdfParams params = {});
Result<ElectionKeyPair> OpenElectionKey(ByteView file, std::string_view passphrase);
Bytes SealSigningKey(const SigningKey& key, std::string_view passphrase, Rng& rng, KdfParams params = {});
Result<SigningKey> OpenSigningKey(ByteView file, std::string_view passphrase);

}  // namespace pingyi
