#include "core/text_encoding.hpp"

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <utility>

namespace pingyi {
namespace {

constexpr char32_t kReplacement = 0xFFFD;
// Code page 936 writes € as the single byte 0x80, which GB18030 leaves undefined.
constexpr std::uint8_t kGbkEuroByte = 0x80;
constexpr char32_t kEuro = 0x20AC;

Error EncodingError(std::string_view encoding, std::size_t line, std::string_view what)
{
    return MakeError("text.encoding", "line " + std::to_string(line) + ": " + std::string(what) + " (read as " +
                                          std::string(encoding) + ")");
}

// The tables from scripts/gen_gb18030_table.py (Python's gb18030 codec), generated at build
// time: kGb18030TwoByte, kGb18030FourByteBmp, kGb18030FourByteBmpCount.
#include "gb18030_table.inc"

static_assert(kGb18030FourByteBmp[0].first_index == 0, "the ranges cover index 0 onwards");

// Four-byte linear index of 90308130 (U+10000); E3329A35 (U+10FFFF) is 0xFFFFF after it.
constexpr std::uint32_t kGb18030SupplementaryFirst = 189000;
constexpr std::uint32_t kGb18030SupplementaryCount = 0x100000;

// The code point of a two-byte sequence (lead 81-FE, trail 40-7E|80-FE); 0 if none.
char32_t Gb18030TwoByte(std::uint8_t lead, std::uint8_t trail)
{
    const std::size_t column = trail < 0x7F ? trail - 0x40u : trail - 0x41u;
    return kGb18030TwoByte[(lead - 0x81u) * kGb18030TrailCount + column];
}

// The code point of a four-byte sequence (81-FE, 30-39, 81-FE, 30-39); 0 if none.
char32_t Gb18030FourByte(std::uint8_t b1, std::uint8_t b2, std::uint8_t b3, std::uint8_t b4)
{
    const std::uint32_t index = (((b1 - 0x81u) * 10 + (b2 - 0x30u)) * 126 + (b3 - 0x81u)) * 10 + (b4 - 0x30u);
    if (index < kGb18030FourByteBmpCount) {
        // The last range starting at or before index (the first starts at 0).
        const auto next = std::upper_bound(std::begin(kGb18030FourByteBmp), std::end(kGb18030FourByteBmp), index,
                                           [](std::uint32_t i, const Gb18030Range& r) { return i < r.first_index; });
        const Gb18030Range& range = *(next - 1);
        if (range.first_code_point == 0) {
            return 0;
        }
        return static_cast<char32_t>(range.first_code_point + (index - range.first_index));
    }
    if (index >= kGb18030SupplementaryFirst && index - kGb18030SupplementaryFirst < kGb18030SupplementaryCount) {
        return static_cast<char32_t>(0x10000 + (index - kGb18030SupplementaryFirst));
    }
    return 0;
}

enum class Gb18030Status { kOk, kInvalidSequence, kNoCharacter };

// GB18030 byte structure: 1 byte 00-7F; 2 bytes 81-FE + 40-7E|80-FE; 4 bytes 81-FE + 30-39 +
// 81-FE + 30-39. Appends the UTF-8 of `line` to `out`, reading a lone 0x80 as €. A byte that
// starts no valid sequence anywhere in the line outranks a well-formed sequence that maps to
// no character.
Gb18030Status DecodeGb18030Line(ByteView line, std::string& out)
{
    bool no_character = false;
    const auto put = [&out, &no_character](char32_t cp) {
        if (cp == 0) {
            no_character = true;
        } else {
            AppendUtf8(out, cp);
        }
    };
    std::size_t i = 0;
    while (i < line.size()) {
        const std::uint8_t b = line[i];
        if (b < 0x80) {
            out.push_back(static_cast<char>(b));
            ++i;
        } else if (b == kGbkEuroByte) {
            put(kEuro);
            ++i;
        } else if (b == 0xFF || i + 1 >= line.size()) {
            return Gb18030Status::kInvalidSequence;
        } else {
            const std::uint8_t b2 = line[i + 1];
            if (b2 >= 0x30 && b2 <= 0x39) {
                if (i + 3 >= line.size()) {
                    return Gb18030Status::kInvalidSequence;
                }
                const std::uint8_t b3 = line[i + 2];
                const std::uint8_t b4 = line[i + 3];
                if (b3 < 0x81 || b3 > 0xFE || b4 < 0x30 || b4 > 0x39) {
                    return Gb18030Status::kInvalidSequence;
                }
                put(Gb18030FourByte(b, b2, b3, b4));
                i += 4;
            } else if ((b2 >= 0x40 && b2 <= 0x7E) || (b2 >= 0x80 && b2 <= 0xFE)) {
                put(Gb18030TwoByte(b, b2));
                i += 2;
            } else {
                return Gb18030Status::kInvalidSequence;
            }
        }
    }
    return no_character ? Gb18030Status::kNoCharacter : Gb18030Status::kOk;
}

}  // namespace

void AppendUtf8(std::string& out, char32_t cp)
{
    const auto put = [&out](std::uint32_t b) { out.push_back(static_cast<char>(b)); };
    const auto v = static_cast<std::uint32_t>(cp);
    if (v < 0x80) {
        put(v);
    } else if (v < 0x800) {
        put(0xC0 | (v >> 6));
        put(0x80 | (v & 0x3F));
    } else if (v < 0x10000) {
        put(0xE0 | (v >> 12));
        put(0x80 | ((v >> 6) & 0x3F));
        put(0x80 | (v & 0x3F));
    } else {
        put(0xF0 | (v >> 18));
        put(0x80 | ((v >> 12) & 0x3F));
        put(0x80 | ((v >> 6) & 0x3F));
        put(0x80 | (v & 0x3F));
    }
}

char32_t NextCodePoint(std::string_view s, std::size_t& pos)
{
    const auto byte = [&s](std::size_t i) { return static_cast<std::uint8_t>(s[i]); };
    const std::uint8_t b0 = byte(pos);
    if (b0 < 0x80) {
        ++pos;
        return b0;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    std::uint32_t min = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        cp = b0 & 0x1Fu;
        min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        cp = b0 & 0x0Fu;
        min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        cp = b0 & 0x07u;
        min = 0x10000;
    } else {
        ++pos;
        return kReplacement;
    }
    if (pos + len > s.size()) {
        ++pos;
        return kReplacement;
    }
    for (std::size_t k = 1; k < len; ++k) {
        const std::uint8_t b = byte(pos + k);
        if ((b & 0xC0) != 0x80) {
            ++pos;
            return kReplacement;
        }
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++pos;
        return kReplacement;
    }
    pos += len;
    return static_cast<char32_t>(cp);
}

bool IsValidUtf8(std::string_view s)
{
    std::size_t pos = 0;
    while (pos < s.size()) {
        const std::size_t start = pos;
        const char32_t cp = NextCodePoint(s, pos);
        // U+FFFD itself is valid when it takes three bytes (EF BF BD).
        if (cp == kReplacement && pos - start != 3) {
            return false;
        }
    }
    return true;
}

Result<std::string> Gb18030ToUtf8(ByteView bytes)
{
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 2);
    std::size_t line = 1;
    std::size_t start = 0;
    // 0x0A never occurs inside a GB18030 multi-byte sequence, so lines decode separately and
    // an error names its line exactly.
    while (start <= bytes.size()) {
        std::size_t end = start;
        while (end < bytes.size() && bytes[end] != '\n') {
            ++end;
        }
        switch (DecodeGb18030Line(bytes.subspan(start, end - start), out)) {
            case Gb18030Status::kOk:
                break;
            case Gb18030Status::kInvalidSequence:
                return EncodingError(kEncodingGb18030, line, "invalid byte sequence");
            case Gb18030Status::kNoCharacter:
                return EncodingError(kEncodingGb18030, line, "byte sequence with no character");
        }
        if (end < bytes.size()) {
            out.push_back('\n');
        }
        ++line;
        start = end + 1;
    }
    return out;
}

Result<std::string> Utf16ToUtf8(ByteView bytes, bool big_endian)
{
    const std::string_view encoding = big_endian ? kEncodingUtf16Be : kEncodingUtf16Le;
    std::string out;
    out.reserve(bytes.size() * 3 / 2);
    std::size_t line = 1;
    const std::size_t units = bytes.size() / 2;
    const auto unit = [&](std::size_t i) -> std::uint32_t {
        const std::uint32_t a = bytes[2 * i];
        const std::uint32_t b = bytes[2 * i + 1];
        return big_endian ? (a << 8) | b : (b << 8) | a;
    };
    for (std::size_t i = 0; i < units; ++i) {
        const std::uint32_t u = unit(i);
        if (u >= 0xD800 && u <= 0xDBFF) {
            const std::uint32_t lo = i + 1 < units ? unit(i + 1) : 0;
            if (lo < 0xDC00 || lo > 0xDFFF) {
                return EncodingError(encoding, line, "unpaired surrogate");
            }
            AppendUtf8(out, static_cast<char32_t>(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)));
            ++i;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            return EncodingError(encoding, line, "unpaired surrogate");
        } else {
            if (u == '\n') {
                ++line;
            }
            AppendUtf8(out, static_cast<char32_t>(u));
        }
    }
    if (bytes.size() % 2 != 0) {
        return EncodingError(encoding, line, "odd number of bytes");
    }
    return out;
}

namespace {

// In a file that is not UTF-8 as a whole: the first line that is UTF-8 with at least one
// character of three or four bytes (Chinese text in UTF-8), and the first line that is not
// UTF-8 — both 1-based —, or nothing. Two or more GB18030 characters in a row almost never
// form valid three-byte UTF-8 by chance, so such a line was written in UTF-8: the file mixes
// the two encodings (lines appended by another program, a UTF-8 header on GB18030 rows).
std::optional<std::pair<std::size_t, std::size_t>> MixedEncodingLines(std::string_view text)
{
    std::size_t utf8_line = 0, other_line = 0, line = 1, pos = 0;
    while (pos < text.size() && (utf8_line == 0 || other_line == 0)) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view row = text.substr(pos, end - pos);
        if (!IsValidUtf8(row)) {
            if (other_line == 0) other_line = line;
        } else if (utf8_line == 0 &&
                   std::any_of(row.begin(), row.end(), [](char c) { return static_cast<std::uint8_t>(c) >= 0xE0; })) {
            utf8_line = line;
        }
        pos = end + 1;
        ++line;
    }
    if (utf8_line == 0 || other_line == 0) return std::nullopt;
    return std::pair{utf8_line, other_line};
}

}  // namespace

Result<DecodedText> DecodeText(ByteView bytes)
{
    const auto starts_with = [&bytes](std::initializer_list<std::uint8_t> prefix) {
        if (bytes.size() < prefix.size()) {
            return false;
        }
        std::size_t i = 0;
        for (const std::uint8_t b : prefix) {
            if (bytes[i++] != b) {
                return false;
            }
        }
        return true;
    };
    if (starts_with({0xEF, 0xBB, 0xBF})) {
        const auto rest = bytes.subspan(3);
        std::string text(reinterpret_cast<const char*>(rest.data()), rest.size());
        if (!IsValidUtf8(text)) {
            std::size_t line = 1;
            std::size_t pos = 0;
            while (pos < text.size()) {
                const std::size_t start = pos;
                const char32_t cp = NextCodePoint(text, pos);
                if (cp == kReplacement && pos - start != 3) {
                    break;
                }
                line += cp == U'\n' ? 1 : 0;
            }
            return EncodingError(kEncodingUtf8Bom, line, "invalid UTF-8 after a UTF-8 BOM");
        }
        return DecodedText{std::move(text), std::string(kEncodingUtf8Bom)};
    }
    if (starts_with({0xFF, 0xFE}) || starts_with({0xFE, 0xFF})) {
        const bool big_endian = bytes[0] == 0xFE;
        auto text = Utf16ToUtf8(bytes.subspan(2), big_endian);
        if (!text) {
            return text.error();
        }
        return DecodedText{std::move(text).value(), std::string(big_endian ? kEncodingUtf16Be : kEncodingUtf16Le)};
    }
    std::string text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (IsValidUtf8(text)) {
        return DecodedText{std::move(text), std::string(kEncodingUtf8)};
    }
    if (auto mixed = MixedEncodingLines(text)) {
        return MakeError("text.mixed_encoding",
                         "line " + std::to_string(mixed->first) + " is UTF-8 but line " +
                             std::to_string(mixed->second) +
                             " is not (GB18030?): the file mixes encodings; save the whole file in one encoding");
    }
    auto gb = Gb18030ToUtf8(bytes);
    if (!gb) {
        return gb.error();
    }
    return DecodedText{std::move(gb).value(), std::string(kEncodingGb18030)};
}

}  // namespace pingyi
