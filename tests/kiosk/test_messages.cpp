// The words people read: every error code of docs/formats.md has its own sentence
// (core/messages.hpp), and the catalogs the build compiles translate every string.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "core/messages.hpp"

namespace pingyi {
namespace {

std::string ReadText(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, "cannot read " << path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The codes in the first column of the "Error codes" table of docs/formats.md.
std::vector<std::string> DocumentedCodes()
{
    std::istringstream doc(ReadText(PINGYI_FORMATS_MD));
    std::vector<std::string> codes;
    bool in_section = false;
    const std::regex code_re("`([a-z_]+\\.[a-z_]+)`");
    for (std::string line; std::getline(doc, line);) {
        if (line.rfind("## ", 0) == 0) in_section = line.find("Error codes") != std::string::npos;
        if (!in_section || line.rfind("| `", 0) != 0) continue;
        const std::string first_cell = line.substr(1, line.find('|', 1) - 1);
        for (std::sregex_iterator it(first_cell.begin(), first_cell.end(), code_re), end; it != end; ++it)
            codes.push_back((*it)[1]);
    }
    return codes;
}

struct PoEntry {
    std::string msgid;
    std::string msgid_plural;
    std::vector<std::string> msgstr;
    bool fuzzy = false;
};

std::string Unquote(const std::string& s)
{
    const auto first = s.find('"');
    const auto last = s.rfind('"');
    std::string out;
    for (auto i = first + 1; i < last; ++i) {
        if (s[i] == '\\' && i + 1 < last) {
            const char c = s[++i];
            out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
        } else {
            out += s[i];
        }
    }
    return out;
}

// A small reader for the merged .po files the build writes (msgmerge output).
std::vector<PoEntry> ReadPo(const std::string& path)
{
    std::istringstream in(ReadText(path));
    std::vector<PoEntry> entries;
    PoEntry current;
    std::string* target = nullptr;
    bool obsolete = false;
    const auto flush = [&] {
        if (!current.msgid.empty() && !obsolete) entries.push_back(current);
        current = PoEntry{};
        target = nullptr;
    };
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) {
            flush();
            obsolete = false;
        } else if (line.rfind("#~", 0) == 0) {
            obsolete = true;
        } else if (line.rfind("#,", 0) == 0) {
            current.fuzzy = line.find("fuzzy") != std::string::npos;
        } else if (line.rfind("msgid_plural ", 0) == 0) {
            current.msgid_plural = Unquote(line);
            target = &current.msgid_plural;
        } else if (line.rfind("msgid ", 0) == 0) {
            current.msgid = Unquote(line);
            target = &current.msgid;
        } else if (line.rfind("msgstr", 0) == 0) {
            current.msgstr.push_back(Unquote(line));
            target = &current.msgstr.back();
        } else if (line[0] == '"' && target) {
            *target += Unquote(line);
        }
    }
    flush();
    return entries;
}

bool Translated(const PoEntry& e)
{
    return !e.fuzzy && !e.msgstr.empty() &&
           std::all_of(e.msgstr.begin(), e.msgstr.end(), [](const std::string& s) { return !s.empty(); });
}

}  // namespace

TEST_CASE("every error code of docs/formats.md has its own sentence")
{
    const auto codes = DocumentedCodes();
    CHECK(codes.size() > 60);
    for (const std::string& code : codes) {
        CAPTURE(code);
        CHECK(ErrorMessageId(code) != kGenericErrorMessageId);
        CHECK(std::find(KnownErrorCodes().begin(), KnownErrorCodes().end(), code) != KnownErrorCodes().end());
    }
    CHECK(ErrorMessageId("no.such_code") == kGenericErrorMessageId);
    CHECK(ErrorMessageId("session.code_used") == "This code has already been used. Please ask the staff for help.");
}

TEST_CASE("every core sentence has a Chinese translation in the pingyi-core catalog")
{
    const auto entries = ReadPo(std::string(PINGYI_CORE_PO_DIR) + "/zh_CN.po");
    std::vector<std::string_view> msgids(KnownErrorCodes().size() + 1);
    std::transform(KnownErrorCodes().begin(), KnownErrorCodes().end(), msgids.begin(), ErrorMessageId);
    msgids.back() = kGenericErrorMessageId;
    for (std::string_view msgid : msgids) {
        CAPTURE(msgid);
        const auto it =
            std::find_if(entries.begin(), entries.end(), [&](const PoEntry& e) { return e.msgid == msgid; });
        REQUIRE(it != entries.end());
        CHECK(Translated(*it));
    }
    for (const PoEntry& e : entries) {
        CAPTURE(e.msgid);
        CHECK(Translated(e));
    }
}

TEST_CASE("every kiosk string is translated into Chinese and every msgid is plain ASCII")
{
    const auto entries = ReadPo(std::string(PINGYI_KIOSK_PO_DIR) + "/zh_CN.po");
    CHECK(entries.size() > 50);
    for (const PoEntry& e : entries) {
        CAPTURE(e.msgid);
        CHECK(Translated(e));
        // _("…") converts a narrow literal with the C locale: non-ASCII would come out empty.
        CHECK(std::all_of(e.msgid.begin(), e.msgid.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
    }
    const auto english = ReadPo(std::string(PINGYI_KIOSK_PO_DIR) + "/en.po");
    CHECK(english.size() == entries.size());
}

}  // namespace pingyi
