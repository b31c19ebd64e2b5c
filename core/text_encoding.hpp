// Text files of unknown encoding to UTF-8: the byte-order mark decides, else strict UTF-8,
// else GB18030 (Chinese Excel's CSV). GB18030 is decoded by our own tables, generated at build
// time from Python's gb18030 codec (scripts/gen_gb18030_table.py), so every platform reads the
// same bytes as the same text: no iconv, no Windows code page 54936 (which Wine lacks).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/bytes.hpp"
#include "crypto/result.hpp"

namespace pingyi {

// Names reported in DecodedText::encoding (and so in Roster::detected_encoding).
inline constexpr std::string_view kEncodingUtf8 = "UTF-8";
inline constexpr std::string_view kEncodingUtf8Bom = "UTF-8 (BOM)";
inline constexpr std::string_view kEncodingUtf16Le = "UTF-16LE";
inline constexpr std::string_view kEncodingUtf16Be = "UTF-16BE";
inline constexpr std::string_view kEncodingGb18030 = "GB18030";

struct DecodedText {
    std::string utf8;      // without byte-order mark
    std::string encoding;  // one of the kEncoding* names
};

// Decides the encoding for the whole file, never per line: a BOM (UTF-8, UTF-16LE/BE) wins;
// else the bytes are UTF-8 if they validate strictly; else they are read as GB18030, where
// a lone byte 0x80 (code page 936's €) is taken as €. Fails with code "text.encoding" and a
// detail naming the 1-based line of the first undecodable byte, or "text.mixed_encoding" when
// such a file also has a line that is UTF-8 with a character of three or four bytes (lines of
// two encodings in one file; the detail names both lines).
[[nodiscard]] Result<DecodedText> DecodeText(ByteView bytes);

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
[[nodiscard]] bool IsValidUtf8(std::string_view s);

// The conversions DecodeText uses, for callers that already know the encoding.
[[nodiscard]] Result<std::string> Gb18030ToUtf8(ByteView bytes);
[[nodiscard]] Result<std::string> Utf16ToUtf8(ByteView bytes, bool big_endian);

// Appends the UTF-8 form of a code point (must be a scalar value: no surrogates).
void AppendUtf8(std::string& out, char32_t cp);

// Decodes the code point starting at s[pos] and advances pos; returns U+FFFD and advances by
// one byte on invalid input.
char32_t NextCodePoint(std::string_view s, std::size_t& pos);

}  // namespace pingyi
