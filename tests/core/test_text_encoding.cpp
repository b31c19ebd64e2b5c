// GB18030 decoding by our own tables (core/text_encoding.cpp, scripts/gen_gb18030_table.py):
// known characters, the shape of the whole mapping, rejections, and on Linux a comparison
// with glibc's iconv over every two-byte and four-byte sequence.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/text_encoding.hpp"

#ifndef _WIN32
#include <iconv.h>

#include <memory>
#endif

using namespace pingyi;

namespace {

constexpr std::uint32_t kFourByteBmpCount = 39420;                       // 81308130..8431A439
constexpr std::uint32_t kSupplementaryFirst = 189000;                    // 90308130 = U+10000
constexpr std::uint32_t kTwoByteCount = 126 * 190;                       // lead 81-FE, trail 40-7E|80-FE
constexpr std::uint32_t kBmpScalarsAbove7F = 0x10000 - 0x80 - 0x800;     // U+0080..U+FFFF, no surrogates
static_assert(kTwoByteCount + kFourByteBmpCount == kBmpScalarsAbove7F);  // GB18030 covers each once

Bytes FourBytes(std::uint32_t index)
{
    const auto b4 = static_cast<std::uint8_t>(0x30 + index % 10);
    index /= 10;
    const auto b3 = static_cast<std::uint8_t>(0x81 + index % 126);
    index /= 126;
    const auto b2 = static_cast<std::uint8_t>(0x30 + index % 10);
    const auto b1 = static_cast<std::uint8_t>(0x81 + index / 10);
    return {b1, b2, b3, b4};
}

Bytes TwoBytes(std::uint32_t index)
{
    const std::uint32_t trail = index % 190;
    return {static_cast<std::uint8_t>(0x81 + index / 190),
            static_cast<std::uint8_t>(trail < 0x3F ? 0x40 + trail : 0x41 + trail)};
}

// Our decoding of one sequence: its UTF-8, or nullopt if rejected.
std::optional<std::string> Ours(const Bytes& seq)
{
    auto r = Gb18030ToUtf8(seq);
    if (!r) {
        return std::nullopt;
    }
    return std::move(r).value();
}

// The single code point `seq` decodes to; 0 if rejected or not exactly one code point.
char32_t OursCodePoint(const Bytes& seq)
{
    const auto utf8 = Ours(seq);
    if (!utf8 || utf8->empty()) {
        return 0;
    }
    std::size_t pos = 0;
    const char32_t cp = NextCodePoint(*utf8, pos);
    return pos == utf8->size() ? cp : 0;
}

Error Fails(const Bytes& bytes)
{
    auto r = Gb18030ToUtf8(bytes);
    REQUIRE_FALSE(r.ok());
    return r.error();
}

Bytes Concat(std::string_view prefix, const Bytes& bad)
{
    Bytes out(prefix.begin(), prefix.end());
    out.insert(out.end(), bad.begin(), bad.end());
    return out;
}

}  // namespace

TEST_CASE("known GB18030 sequences decode to the characters Python's gb18030 codec gives")
{
    // Expected values from Python 3.11: 'X'.encode('gb18030') / bytes.decode('gb18030').
    CHECK(Ours({0xD5, 0xC5}) == "张");                       // U+5F20, two bytes (GB 2312)
    CHECK(Ours({0x81, 0x80}) == "亐");                       // U+4E90, trail byte 0x80
    CHECK(Ours({0xA2, 0xE3}) == "€");                        // U+20AC
    CHECK(Ours({0xFE, 0x9F}) == "䶮");                       // U+4DAE, GBK extension area
    CHECK(Ours({0x95, 0x34, 0xB2, 0x35}) == "𠮷");           // U+20BB7, supplementary plane
    CHECK(OursCodePoint({0x81, 0x30, 0x89, 0x37}) == 0xDE);  // Þ, four-byte BMP
    CHECK(OursCodePoint({0x82, 0x35, 0x8F, 0x33}) == 0x9FA6);
    CHECK(OursCodePoint({0x84, 0x31, 0xA4, 0x37}) == 0xFFFD);
    CHECK(OursCodePoint({0xA6, 0xD9}) == 0xE78D);  // GB18030-2000: Private Use Area
    CHECK(OursCodePoint({0xA3, 0xA0}) == 0xE5E5);
    // Both ends of each four-byte part.
    CHECK(OursCodePoint({0x81, 0x30, 0x81, 0x30}) == 0x80);
    CHECK(OursCodePoint({0x84, 0x31, 0xA4, 0x39}) == 0xFFFF);
    CHECK(OursCodePoint({0x90, 0x30, 0x81, 0x30}) == 0x10000);
    CHECK(OursCodePoint({0xE3, 0x32, 0x9A, 0x35}) == 0x10FFFF);
    // ASCII passes through; a lone 0x80 (code page 936) is €.
    CHECK(Ours({'a', ',', '1', 0x80, '\r', '\n', 0xD5, 0xC5}) == "a,1€\r\n张");
}

TEST_CASE("every BMP character above U+007F has exactly one two- or four-byte GB18030 sequence")
{
    std::vector<std::uint8_t> seen(0x10000, 0);
    std::uint32_t decoded = 0;
    std::uint32_t duplicates = 0;
    const auto mark = [&](char32_t cp) {
        if (cp >= 0x80 && cp <= 0xFFFF && (cp < 0xD800 || cp > 0xDFFF)) {
            duplicates += seen[cp];
            seen[cp] = 1;
            ++decoded;
        }
    };
    for (std::uint32_t i = 0; i < kTwoByteCount; ++i) {
        mark(OursCodePoint(TwoBytes(i)));
    }
    for (std::uint32_t n = 0; n < kFourByteBmpCount; ++n) {
        mark(OursCodePoint(FourBytes(n)));
    }
    CHECK(decoded == kBmpScalarsAbove7F);
    CHECK(duplicates == 0);
}

TEST_CASE("four-byte sequences for the supplementary planes follow the linear formula")
{
    for (std::uint32_t offset = 0; offset < 0x100000; offset += 997) {
        CHECK(OursCodePoint(FourBytes(kSupplementaryFirst + offset)) == 0x10000 + offset);
    }
    CHECK(OursCodePoint(FourBytes(kSupplementaryFirst + 0xFFFFF)) == 0x10FFFF);
}

TEST_CASE("malformed or unassigned GB18030 fails with text.encoding naming the line")
{
    const auto check = [](const Bytes& bytes, std::string_view line, std::string_view what) {
        const Error e = Fails(bytes);
        CHECK(e.code == "text.encoding");
        CHECK(e.detail.find(line) != std::string::npos);
        CHECK(e.detail.find(what) != std::string::npos);
    };
    constexpr std::string_view kInvalid = "invalid byte sequence";
    constexpr std::string_view kNone = "byte sequence with no character";
    SUBCASE("truncated two-byte sequence, at the end of the file and of a line")
    {
        check(Concat("a\n", {0xD5}), "line 2:", kInvalid);
        check(Concat("a\nb\n", {0xD5, '\n', 'c'}), "line 3:", kInvalid);
    }
    SUBCASE("truncated four-byte sequence")
    {
        check(Concat("a\n", {0x95, 0x34, 0xB2}), "line 2:", kInvalid);
        check(Concat("", {0x95, 0x34, '\n', 0xB2, 0x35}), "line 1:", kInvalid);
        check(Concat("a\n", {0x95, 0x34, 0xB2, 0x7F}), "line 2:", kInvalid);
    }
    SUBCASE("four bytes beyond E3329A35 (U+10FFFF)")
    {
        check(Concat("a\nb\n", {0xE3, 0x32, 0x9A, 0x36}), "line 3:", kNone);
        check(Concat("a\n", {0xFE, 0x39, 0xFE, 0x39}), "line 2:", kNone);
    }
    SUBCASE("four bytes in the gap between the BMP part and the supplementary planes")
    {
        check(Concat("a\n", {0x84, 0x31, 0xA5, 0x30}), "line 2:", kNone);
        check(Concat("a\n", {0x8F, 0x39, 0xFE, 0x39}), "line 2:", kNone);
        check(Concat("", {0x88, 0x30, 0x81, 0x30}), "line 1:", kNone);
    }
    SUBCASE("trail byte 0x7F, lead byte 0xFF")
    {
        check(Concat("a\nb\n", {0xD5, 0x7F}), "line 3:", kInvalid);
        check(Concat("a\n", {0xFF, 0xA1}), "line 2:", kInvalid);
        check(Concat("", {0xD5, 0xC5, 0xFF}), "line 1:", kInvalid);
    }
    SUBCASE("an invalid byte outranks an unassigned sequence earlier on the same line")
    {
        check(Concat("a\n", {0xE3, 0x32, 0x9A, 0x36, 0xFF}), "line 2:", kInvalid);
    }
}

TEST_CASE("DecodeText reads non-UTF-8 bytes as GB18030 with our tables")
{
    const Bytes gb = {0xD5, 0xC5, 0x95, 0x34, 0xB2, 0x35, '\n', 0x80};
    auto r = DecodeText(gb);
    REQUIRE(r.ok());
    CHECK(r->encoding == kEncodingGb18030);
    CHECK(r->utf8 == "张𠮷\n€");
    const Bytes bad = {'a', '\n', 0xD5, 0xC5, '\n', 0xD5, 0x7F};
    auto e = DecodeText(bad);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == "text.encoding");
    CHECK(e.error().detail.find("line 3:") != std::string::npos);
}

#ifndef _WIN32

namespace {

struct IconvCloser {
    void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

class GlibcGb18030 {
  public:
    GlibcGb18030()
    {
        iconv_t cd = iconv_open("UTF-8", "GB18030");
        REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
        m_cd.reset(static_cast<void*>(cd));
    }

    // glibc's decoding of one sequence: its UTF-8, or nullopt if rejected.
    std::optional<std::string> Decode(const Bytes& seq)
    {
        const auto cd = static_cast<iconv_t>(m_cd.get());
        iconv(cd, nullptr, nullptr, nullptr, nullptr);
        Bytes input = seq;  // iconv wants a mutable input pointer
        char out[16];
        char* in_ptr = reinterpret_cast<char*>(input.data());
        std::size_t in_left = input.size();
        char* out_ptr = out;
        std::size_t out_left = sizeof out;
        if (iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left) == static_cast<std::size_t>(-1) || in_left != 0) {
            return std::nullopt;
        }
        return std::string(out, sizeof out - out_left);
    }

  private:
    std::unique_ptr<void, IconvCloser> m_cd;
};

// Where our decoder (Python's gb18030 codec, like Windows' code page 54936: the GB18030-2000
// mapping) and glibc 2.36 (Debian 12) disagree. glibc has moved to later practice:
//  - A8BC and 8135F437 swap U+1E3F (ḿ) and U+E7C7, as GB18030-2005 did;
//  - 24 two-byte codes that GB18030-2000 maps to the Private Use Area give the characters
//    Unicode has since encoded (vertical forms U+FE10..FE19, CJK U+9FB4..9FBB, six Extension B
//    ideographs; GB18030-2022 made this change for 18 of them), and glibc then rejects the
//    four-byte codes of U+FE10..FE19 and U+9FB4..9FBB, which would decode to the same characters.
// Anything else that differs fails the test; so does one of these disappearing (a new glibc).
struct KnownDifference {
    Bytes seq;
    char32_t ours;
    char32_t glibc;  // 0: glibc rejects the sequence
};

const std::vector<KnownDifference>& KnownDifferences()
{
    static const std::vector<KnownDifference> known = {
        {{0xA6, 0xD9}, 0xE78D, 0xFE10},        {{0xA6, 0xDA}, 0xE78E, 0xFE12},
        {{0xA6, 0xDB}, 0xE78F, 0xFE11},        {{0xA6, 0xDC}, 0xE790, 0xFE13},
        {{0xA6, 0xDD}, 0xE791, 0xFE14},        {{0xA6, 0xDE}, 0xE792, 0xFE15},
        {{0xA6, 0xDF}, 0xE793, 0xFE16},        {{0xA6, 0xEC}, 0xE794, 0xFE17},
        {{0xA6, 0xED}, 0xE795, 0xFE18},        {{0xA6, 0xF3}, 0xE796, 0xFE19},
        {{0xA8, 0xBC}, 0xE7C7, 0x1E3F},        {{0xFE, 0x51}, 0xE816, 0x20087},
        {{0xFE, 0x52}, 0xE817, 0x20089},       {{0xFE, 0x53}, 0xE818, 0x200CC},
        {{0xFE, 0x59}, 0xE81E, 0x9FB4},        {{0xFE, 0x61}, 0xE826, 0x9FB5},
        {{0xFE, 0x66}, 0xE82B, 0x9FB6},        {{0xFE, 0x67}, 0xE82C, 0x9FB7},
        {{0xFE, 0x6C}, 0xE831, 0x215D7},       {{0xFE, 0x6D}, 0xE832, 0x9FB8},
        {{0xFE, 0x76}, 0xE83B, 0x2298F},       {{0xFE, 0x7E}, 0xE843, 0x9FB9},
        {{0xFE, 0x90}, 0xE854, 0x9FBA},        {{0xFE, 0x91}, 0xE855, 0x241FE},
        {{0xFE, 0xA0}, 0xE864, 0x9FBB},        {{0x81, 0x35, 0xF4, 0x37}, 0x1E3F, 0xE7C7},
        {{0x82, 0x35, 0x90, 0x37}, 0x9FB4, 0}, {{0x82, 0x35, 0x90, 0x38}, 0x9FB5, 0},
        {{0x82, 0x35, 0x90, 0x39}, 0x9FB6, 0}, {{0x82, 0x35, 0x91, 0x30}, 0x9FB7, 0},
        {{0x82, 0x35, 0x91, 0x31}, 0x9FB8, 0}, {{0x82, 0x35, 0x91, 0x32}, 0x9FB9, 0},
        {{0x82, 0x35, 0x91, 0x33}, 0x9FBA, 0}, {{0x82, 0x35, 0x91, 0x34}, 0x9FBB, 0},
        {{0x84, 0x31, 0x82, 0x36}, 0xFE10, 0}, {{0x84, 0x31, 0x82, 0x37}, 0xFE11, 0},
        {{0x84, 0x31, 0x82, 0x38}, 0xFE12, 0}, {{0x84, 0x31, 0x82, 0x39}, 0xFE13, 0},
        {{0x84, 0x31, 0x83, 0x30}, 0xFE14, 0}, {{0x84, 0x31, 0x83, 0x31}, 0xFE15, 0},
        {{0x84, 0x31, 0x83, 0x32}, 0xFE16, 0}, {{0x84, 0x31, 0x83, 0x33}, 0xFE17, 0},
        {{0x84, 0x31, 0x83, 0x34}, 0xFE18, 0}, {{0x84, 0x31, 0x83, 0x35}, 0xFE19, 0},
    };
    return known;
}

std::string Utf8(char32_t cp)
{
    std::string s;
    AppendUtf8(s, cp);
    return s;
}

std::optional<std::string> Utf8OrReject(char32_t cp)
{
    return cp == 0 ? std::nullopt : std::optional<std::string>(Utf8(cp));
}

}  // namespace

TEST_CASE("the GB18030 decoder agrees with glibc iconv on every sequence but a listed few")
{
    GlibcGb18030 glibc;
    std::vector<Bytes> differing;
    std::vector<std::string> unexpected;
    const auto compare = [&](const Bytes& seq) {
        const auto ours = Ours(seq);
        const auto theirs = glibc.Decode(seq);
        if (ours == theirs) {
            return;
        }
        differing.push_back(seq);
        for (const KnownDifference& k : KnownDifferences()) {
            if (k.seq == seq && ours == Utf8OrReject(k.ours) && theirs == Utf8OrReject(k.glibc)) {
                return;
            }
        }
        unexpected.push_back(ToHex(seq) + ": ours " + (ours ? *ours : "rejected") + ", glibc " +
                             (theirs ? *theirs : "rejected"));
    };
    for (std::uint32_t i = 0; i < kTwoByteCount; ++i) {
        compare(TwoBytes(i));
    }
    // Every four-byte sequence up to FE39FE39: the BMP part, the gap, the supplementary planes
    // and what lies past them.
    constexpr std::uint32_t kFourByteCount = 126 * 10 * 126 * 10;  // 81308130..FE39FE39
    for (std::uint32_t n = 0; n < kFourByteCount; ++n) {
        compare(FourBytes(n));
    }
    // Lead byte FF: both must reject.
    for (const int t : {0x40, 0x7E, 0x80, 0xA1, 0xFE}) {
        compare({0xFF, static_cast<std::uint8_t>(t)});
    }

    INFO("first unexpected: " << (unexpected.empty() ? std::string("none") : unexpected.front()));
    CHECK(unexpected.size() == 0);
    CHECK(differing.size() == KnownDifferences().size());
}

#endif  // _WIN32
