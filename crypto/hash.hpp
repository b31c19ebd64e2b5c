// Hashing with domain separation (docs/protocol.md §3).
//
//   M = LP(tag) || LP(item_1) || ... || LP(item_n)        LP(x) = be32(|x|) || x
//   H(tag; items)   = SHA-256(M)                            (32 bytes)
//   H_q(tag; items) = OS2IP(SHA-256(0x01 || M) || SHA-256(0x02 || M)) mod q
//
// H_q reduces a 512-bit integer mod the 256-bit q: its statistical distance from uniform
// is below 2^-250, so challenges have no meaningful bias.
#pragma once

#include <array>
#include <string_view>

#include "crypto/bytes.hpp"
#include "crypto/group.hpp"

namespace pingyi {

inline constexpr std::size_t kHashSize = 32;
using Digest = std::array<std::uint8_t, kHashSize>;

Digest Sha256(ByteView data);

class Transcript {
  public:
    explicit Transcript(std::string_view tag);

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
};

}  // namespace pingyi
