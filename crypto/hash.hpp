// Hashing with domain separation (docs/protocol.md §3).
//
//   M = LP(tag) || LP(item_1) || ... || LP(item_n)        LP(x) = be32(|x|) || x
//   H(tag; items)   = Hash(M)                               (32 bytes)
//   H_q(tag; items) = OS2IP(Hash(0x01 || M) || Hash(0x02 || M)) mod q
//
// Hash is the suite's: SHA-256 in P256-SHA256, SM3 (GB/T 32905) in SM2-SM3. H_q reduces a
// 512-bit integer mod the 256-bit q (of either curve): its statistical distance from
// uniform is below 2^-250, so challenges have no meaningful bias.
#pragma once

#include <array>
#include <string_view>

#include "crypto/bytes.hpp"
#include "crypto/group.hpp"

namespace pingyi {

inline constexpr std::size_t kHashSize = 32;
using Digest = std::array<std::uint8_t, kHashSize>;

Digest Sha256(ByteView data);
Digest Sm3(ByteView data);
// The suite's hash: SHA-256 or SM3.
Digest SuiteHash(SuiteId suite, ByteView data);

class Transcript {
  public:
    // H() hashes with the suite's hash; H_q with the hash of the group it is given.
    explicit Transcript(std::string_view tag, SuiteId suite = SuiteId::P256_SHA256);

    Transcript& Add(ByteView item);
    Transcript& Add(std::string_view text) { return Add(AsBytes(text)); }
    Transcript& Add(const Point& p) { return Add(p.Encode()); }
    Transcript& Add(const Scalar& s) { return Add(s.Encode()); }
    Transcript& AddU32(std::uint32_t v);

    [[nodiscard]] Digest Hash() const;                    // H
    [[nodiscard]] Scalar ToScalar(const Group& g) const;  // H_q
    [[nodiscard]] const Bytes& message() const { return m_message; }

  private:
    Bytes m_message;
    SuiteId m_suite;
};

}  // namespace pingyi
