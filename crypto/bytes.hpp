// Byte strings and their hex form; big-endian integer helpers used by every encoding.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pingyi {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView AsBytes(std::string_view s)
{
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string ToHex(ByteView data);
[[nodiscard]] std::optional<Bytes> FromHex(std::string_view hex);

void AppendU32(Bytes& out, std::uint32_t v);
// be32 read back: the first 4 bytes of `b`, big-endian. WARNING: b.size() must be at least 4.
[[nodiscard]] std::uint32_t ReadU32(ByteView b);
void AppendU16(Bytes& out, std::uint16_t v);
void AppendBytes(Bytes& out, ByteView v);
// LP(x) of docs/protocol.md: a 4-byte big-endian length, then x.
void AppendLengthPrefixed(Bytes& out, ByteView v);

// Constant-time equality of two byte strings of equal length (false if lengths differ).
[[nodiscard]] bool EqualConstTime(ByteView a, ByteView b);

}  // namespace pingyi
