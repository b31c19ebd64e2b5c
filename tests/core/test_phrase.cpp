// Phrases (core/phrase.hpp) and the console's catalog reader (core/catalog.hpp).
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/catalog.hpp"
#include "core/messages.hpp"
#include "core/phrase.hpp"

namespace pingyi::test {
namespace {

std::string Upper(std::string_view s)
{
    std::string out(s);
    for (auto& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

// A .mo file as GNU msgfmt lays it out (little-endian, no hash table), from its entries in
// msgid order: written here byte by byte, independently of the reader under test.
std::string MoFile(const std::vector<std::pair<std::string, std::string>>& entries)
{
    std::string out;
    const auto u32 = [&](std::uint32_t v) {
        for (int i = 0; i < 4; ++i)
            out += static_cast<char>((v >> (8 * i)) & 0xff);
    };
    const auto n = static_cast<std::uint32_t>(entries.size());
    const std::uint32_t originals = 28, translations = originals + 8 * n;
    std::uint32_t at = translations + 8 * n;
    u32(0x950412de), u32(0), u32(n), u32(originals), u32(translations), u32(0), u32(0);
    std::string strings;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> ids, strs;
    for (const auto& [id, str] : entries) {
        ids.emplace_back(static_cast<std::uint32_t>(id.size()), at + static_cast<std::uint32_t>(strings.size()));
        strings += id + '\0';
    }
    for (const auto& [id, str] : entries) {
        strs.emplace_back(static_cast<std::uint32_t>(str.size()), at + static_cast<std::uint32_t>(strings.size()));
        strings += str + '\0';
    }
    for (auto [len, off] : ids)
        u32(len), u32(off);
    for (auto [len, off] : strs)
        u32(len), u32(off);
    return out + strings;
}

}  // namespace

TEST_CASE("a phrase fills its numbered slots, nested phrases in the reader's language")
{
    const Phrase p = Ph("{1} before {0}, {0} again", "a", Ph("inner {0}", 7));
    CHECK(p.English() == "inner 7 before a, a again");
    // A translation may reorder the slots; literals are never translated.
    const auto tr = [](std::string_view id) -> std::string {
        if (id == "{1} before {0}, {0} again") return "{0} 在 {1} 之后";
        if (id == "inner {0}") return "内部 {0}";
        return Upper(id);
    };
    CHECK(p.Render(tr) == "a 在 内部 7 之后");
    // A slot without an argument, an unclosed or a non-numeric brace stay as written.
    CHECK(Ph("{0} {1} {x} {", "only").English() == "only {1} {x} {");
    CHECK(Phrase().empty());
    CHECK_FALSE(Ph("x").empty());
}

TEST_CASE("an error inside a phrase: the table's sentence when rendered, the technical detail in English")
{
    const Phrase p = Ph("{0}: {1}", "box.sqlite", Phrase::ForError("box.damaged", "sqlite: database disk image"));
    CHECK(p.English() == "box.sqlite: sqlite: database disk image");
    const auto same = [](std::string_view id) { return std::string(id); };
    CHECK(p.Render(same) == "box.sqlite: " + std::string(ErrorMessageId("box.damaged")));
}

TEST_CASE("a list's separator is a phrase of its own, so it is translated")
{
    CHECK(ListOf(std::vector<std::string>{"1", "2", "3"}).English() == "1, 2, 3");
    CHECK(ListOf(std::vector<std::string>{"1"}).English() == "1");
    CHECK(ListOf(std::vector<std::string>{}).English().empty());
    const auto tr = [](std::string_view id) { return id == "{0}, {1}" ? std::string("{0}、{1}") : std::string(id); };
    CHECK(ListOf(std::vector<std::string>{"甲", "乙", "丙"}).Render(tr) == "甲、乙、丙");
}

TEST_CASE("a .mo catalog is read in either byte order, and a damaged one is refused")
{
    const std::string mo =
        MoFile({{"", "Content-Type: text/plain; charset=UTF-8\n"}, {"1 box", "1 个票箱"}, {"{0} boxes", "{0} 个票箱"}});
    auto c = Catalog::Parse(mo);
    REQUIRE(c.ok());
    CHECK(c->size() == 2);  // the header (empty msgid) is not a message
    CHECK(c->Translate("1 box") == "1 个票箱");
    CHECK(c->Translate("not in it") == "not in it");
    CHECK(Ph("{0} boxes", 3).Render([&](std::string_view id) { return c->Translate(id); }) == "3 个票箱");

    // Big-endian: every 32-bit word of the header and tables swapped.
    std::string big = mo;
    for (std::size_t at = 0; at < 28 + 16 * 3; at += 4)
        std::swap(big[at], big[at + 3]), std::swap(big[at + 1], big[at + 2]);
    auto b = Catalog::Parse(big);
    REQUIRE(b.ok());
    CHECK(b->Translate("{0} boxes") == "{0} 个票箱");

    CHECK_FALSE(Catalog::Parse("not a catalog at all, but long enough").ok());
    CHECK_FALSE(Catalog::Parse(mo.substr(0, 20)).ok());
    std::string pointing_out = mo;
    pointing_out[28 + 8 + 4] = '\x7f';  // the second msgid's offset far past the end
    pointing_out[28 + 8 + 7] = '\x7f';
    CHECK_FALSE(Catalog::Parse(pointing_out).ok());
    std::string too_many = mo;
    too_many[8 + 3] = '\x10';  // n = 2^28 entries: tables far past the end
    CHECK_FALSE(Catalog::Parse(too_many).ok());
}

}  // namespace pingyi::test
