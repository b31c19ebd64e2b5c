#include "core/text_encoding.hpp"

#include <cerrno>
#include <initializer_list>
#include <memory>
#include <optional>

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#else
#include <iconv.h>
#endif

namespace pingyi {
namespace {

constexpr char32_t kReplacement = 0xFFFD;
constexpr std::uint8_t kGbkEuroByte = 0x80;
// € in GB18030 (two bytes); code page 936 writes it as the single byte 0x80 instead.
constexpr std::uint8_t kGb18030Euro[2] = {0xA2, 0xE3};

Error EncodingError(std::string_view encoding, std::size_t line, std::string_view what)
{
    return MakeError("text.encoding", "line " + std::to_string(line) + ": " + std::string(what) + " (read as " +
                                          std::string(encoding) + ")");
}

// GB18030 byte structure: 1 byte 00-7F; 2 bytes 81-FE + 40-7E|80-FE; 4 bytes 81-FE + 30-39 +
// 81-FE + 30-39. Copies `line` to `out`, replacing a lone 0x80 by €'s GB18030 form; returns
// false on a byte that starts no valid sequence (whether a valid sequence maps to a
// character is left to the converter).
bool PrepareGb18030Line(ByteView line, std::string& out)
{
    out.clear();
    out.reserve(line.size() + 8);
    std::size_t i = 0;
    const auto push = [&out](std::uint8_t b) { out.push_back(static_cast<char>(b)); };
    while (i < line.size()) {
        const std::uint8_t b = line[i];
        if (b < 0x80) {
            push(b);
            ++i;
        } else if (b == kGbkEuroByte) {
            push(kGb18030Euro[0]);
            push(kGb18030Euro[1]);
            ++i;
        } else if (b == 0xFF || i + 1 >= line.size()) {
            return false;
        } else {
            const std::uint8_t b2 = line[i + 1];
            if (b2 >= 0x30 && b2 <= 0x39) {
                if (i + 3 >= line.size()) {
                    return false;
                }
                const std::uint8_t b3 = line[i + 2];
                const std::uint8_t b4 = line[i + 3];
                if (b3 < 0x81 || b3 > 0xFE || b4 < 0x30 || b4 > 0x39) {
                    return false;
                }
                for (std::size_t k = 0; k < 4; ++k) {
                    push(line[i + k]);
                }
                i += 4;
            } else if ((b2 >= 0x40 && b2 <= 0x7E) || (b2 >= 0x80 && b2 <= 0xFE)) {
                push(b);
                push(b2);
                i += 2;
            } else {
                return false;
            }
        }
    }
    return true;
}

#ifdef _WIN32

constexpr UINT kCodePageGb18030 = 54936;

// One line of GB18030 to UTF-8; nullopt if the code page rejects it.
std::optional<std::string> ConvertGb18030Line(const std::string& in)
{
    if (in.empty()) {
        return std::string();
    }
    if (in.size() > 0x3FFFFFFF) {
        return std::nullopt;
    }
    const int in_len = static_cast<int>(in.size());
    const int wide_len = MultiByteToWideChar(kCodePageGb18030, MB_ERR_INVALID_CHARS, in.data(), in_len, nullptr, 0);
    if (wide_len <= 0) {
        return std::nullopt;
    }
    std::wstring wide(static_cast<std::size_t>(wide_len), L'\0');
    if (MultiByteToWideChar(kCodePageGb18030, MB_ERR_INVALID_CHARS, in.data(), in_len, wide.data(), wide_len) !=
        wide_len) {
        return std::nullopt;
    }
    const int out_len =
        WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, wide.data(), wide_len, nullptr, 0, nullptr, nullptr);
    if (out_len <= 0) {
        return std::nullopt;
    }
    std::string out(static_cast<std::size_t>(out_len), '\0');
    if (WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, wide.data(), wide_len, out.data(), out_len, nullptr,
                            nullptr) != out_len) {
        return std::nullopt;
    }
    return out;
}

class Gb18030Converter {
  public:
    bool ok() const { return true; }
    std::optional<std::string> Convert(const std::string& in) { return ConvertGb18030Line(in); }
};

#else

struct IconvCloser {
    void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

class Gb18030Converter {
  public:
    Gb18030Converter()
    {
        iconv_t cd = iconv_open("UTF-8", "GB18030");
        if (cd != reinterpret_cast<iconv_t>(-1)) {
            m_cd.reset(static_cast<void*>(cd));
        }
    }
    bool ok() const { return m_cd != nullptr; }

    // One line of GB18030 to UTF-8; nullopt if iconv rejects it.
    std::optional<std::string> Convert(const std::string& in)
    {
        const auto cd = static_cast<iconv_t>(m_cd.get());
        iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset the shift state
        std::string input = in;                         // iconv wants a mutable input pointer
        std::string out(input.size() * 2 + 16, '\0');
        char* in_ptr = input.data();
        std::size_t in_left = input.size();
        char* out_ptr = out.data();
        std::size_t out_left = out.size();
        while (in_left > 0) {
            if (iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left) == static_cast<std::size_t>(-1)) {
                if (errno != E2BIG) {
                    return std::nullopt;  // EILSEQ or EINVAL (truncated sequence)
                }
                const std::size_t used = out.size() - out_left;
                out.resize(out.size() * 2);
                out_ptr = out.data() + used;
                out_left = out.size() - used;
            }
        }
        out.resize(out.size() - out_left);
        return out;
    }

  private:
    std::unique_ptr<void, IconvCloser> m_cd;
};

#endif

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
    Gb18030Converter converter;
    if (!converter.ok()) {
        return MakeError("text.encoding", "no GB18030 converter available on this system");
    }
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 2);
    std::string prepared;
    std::size_t line = 1;
    std::size_t start = 0;
    // 0x0A never occurs inside a GB18030 multi-byte sequence, so lines convert separately and
    // an error names its line exactly.
    while (start <= bytes.size()) {
        std::size_t end = start;
        while (end < bytes.size() && bytes[end] != '\n') {
            ++end;
        }
        if (!PrepareGb18030Line(bytes.subspan(start, end - start), prepared)) {
            return EncodingError(kEncodingGb18030, line, "invalid byte sequence");
        }
        auto converted = converter.Convert(prepared);
        if (!converted) {
            return EncodingError(kEncodingGb18030, line, "byte sequence with no character");
        }
        out += *converted;
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
    auto gb = Gb18030ToUtf8(bytes);
    if (!gb) {
        return gb.error();
    }
    return DecodedText{std::move(gb).value(), std::string(kEncodingGb18030)};
}

}  // namespace pingyi
