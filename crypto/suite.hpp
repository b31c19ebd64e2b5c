// The cryptographic suites (docs/protocol.md §2). A suite fixes the curve, the hash, the
// signature scheme and the key-file sealing; its id and name appear in every package, key
// file and challenge so that the two never mix.
//
//   id 1  P256-SHA256  NIST P-256, SHA-256, Ed25519, scrypt + AES-256-GCM
//   id 2  SM2-SM3      SM2 curve (GB/T 32918.5), SM3, SM2 signatures (GB/T 32918.2),
//                      PBKDF2-HMAC-SM3 + SM4-GCM
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace pingyi {

enum class SuiteId : std::uint8_t { P256_SHA256 = 1, SM2_SM3 = 2 };

inline constexpr SuiteId kAllSuites[] = {SuiteId::P256_SHA256, SuiteId::SM2_SM3};

// "P256-SHA256" or "SM2-SM3": the name hashed into every challenge and written in files.
std::string_view SuiteName(SuiteId id);
// The suite of a name or of an id byte read from a file; nullopt for an unknown one.
std::optional<SuiteId> SuiteFromName(std::string_view name);
std::optional<SuiteId> SuiteFromByte(std::uint8_t id);

}  // namespace pingyi
