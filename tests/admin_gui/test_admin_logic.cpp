// The admin tool's logic without windows: the form, the passphrase hint, the decisions file,
// the results table, the audit bundle and the words for line numbers.
#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>

#include "admin/gui/election_setup.hpp"
#include "admin/gui/i18n.hpp"
#include "admin/gui/results_table.hpp"
#include "app/files.hpp"
#include "app/tally_flow.hpp"
#include "core/decisions.hpp"
#include "gui_driver.hpp"

namespace pingyi::admin::test {
namespace {

ElectionForm SmallForm()
{
    ElectionForm f = DefaultForm();
    f.title = "2026年度民主评议";
    f.date = "2026-12-01";
    for (const char* n : {"张伟", "王芳", "李娜", "刘洋"})
        f.roster.push_back({n, "", ""});
    f.categories = {{"党员", 4, 70}, {"群众代表", 3, 30}};
    f.quota = Quota{0, DefaultQuotaMax(f.roster.size())};
    return f;
}

}  // namespace

TEST_CASE("the form becomes a valid definition with a fresh election id, and bad forms name the rule")
{
    const ElectionForm f = SmallForm();
    auto a = BuildDefinition(f, SystemRng());
    auto b = BuildDefinition(f, SystemRng());
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a->election_id.size() == 32);
    CHECK(a->election_id != b->election_id);
    CHECK(a->options == DefaultOptions(false));
    CHECK(a->quota->max == 1);
    ElectionForm bad = f;
    bad.quota = Quota{0, 4};
    auto r = BuildDefinition(bad, SystemRng());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "election.invalid");
    CHECK(r.error().detail.find("quota") != std::string::npos);
}

TEST_CASE("the passphrase hint counts characters, not bytes, and rewards length and variety")
{
    CHECK(PassphraseStrength("") == Strength::TooShort);
    CHECK(PassphraseStrength("abcdefg") == Strength::TooShort);
    CHECK(PassphraseStrength("评议口令评议口令") == Strength::Weak);  // 8 characters, 24 bytes
    CHECK(PassphraseStrength("abcdefgh") == Strength::Weak);
    CHECK(PassphraseStrength("abcdefgh12") == Strength::Fair);
    CHECK(PassphraseStrength("Correct-Horse-7-Battery") == Strength::Strong);
    CHECK(CodePoints("评议ab") == 4);
}

TEST_CASE("an output folder that already holds an election is refused")
{
    TempDir dir;
    CHECK(app::PrepareOutputFolder(dir / "new" / "deeper").ok());
    REQUIRE(app::WriteFile(dir / "election-key.pyk", AsBytes("x"), true).ok());
    auto s = app::PrepareOutputFolder(dir.path());
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "output.exists");
}

TEST_CASE("the decisions file round-trips and refuses another election or a bad grade")
{
    auto def = BuildDefinition(SmallForm(), SystemRng()).value();
    auto created = CreateElection(def, "decisions-pass", SystemRng(), KdfParams{14, 8, 1});
    REQUIRE(created.ok());
    const auto& pkg = created->package;
    std::vector<FinalDecision> d(4);
    d[0] = {0, "表现突出"};
    d[2] = {3, ""};
    const Bytes file = SerializeDecisions(pkg, d);
    auto back = ParseDecisions(file, pkg);
    REQUIRE(back.ok());
    REQUIRE(back->size() == 4);
    CHECK(back->at(0).grade == std::optional<std::uint32_t>(0));
    CHECK(back->at(0).remark == "表现突出");
    CHECK_FALSE(back->at(1).grade.has_value());
    CHECK(back->at(2).grade == std::optional<std::uint32_t>(3));

    auto other = CreateElection(BuildDefinition(SmallForm(), SystemRng()).value(), "decisions-pass", SystemRng(),
                                KdfParams{14, 8, 1});
    REQUIRE(other.ok());
    CHECK(ParseDecisions(file, other->package).error().code == "decisions.election");
    std::string text(file.begin(), file.end());
    const auto at = text.find("\"grade\": 3");
    REQUIRE(at != std::string::npos);
    text.replace(at, 10, "\"grade\": 9");
    CHECK(ParseDecisions(AsBytes(text), pkg).error().code == "decisions.format");
    CHECK(ParseDecisions(AsBytes("{}"), pkg).error().code == "decisions.format");
    CHECK(ParseDecisions(AsBytes("not json"), pkg).error().code == "decisions.format");
}

TEST_CASE("the results table sorts numbers as numbers with ties in roster order")
{
    ElectionDefinition def = BuildDefinition(SmallForm(), SystemRng()).value();
    Results r;
    r.groups = {{{0}, 10}};
    ResultsModel m;
    m.def = &def;
    m.results = &r;
    m.summary.resize(4);
    const std::uint64_t excellent[] = {2, 10, 2, 0};
    for (std::size_t i = 0; i < 4; ++i) {
        m.summary[i].total = {excellent[i], 10 - excellent[i], 0, 0};
        m.summary[i].percent = {10.0 * static_cast<double>(excellent[i]),
                                100 - 10.0 * static_cast<double>(excellent[i]), 0, 0};
        m.summary[i].weighted_percent = m.summary[i].percent;
        m.summary[i].counts = {m.summary[i].total};
        m.summary[i].suggested = excellent[i] >= 7 ? 0 : 1;
    }
    m.decisions.resize(4);
    const ResultColumn count0{ColumnKind::Count, 0};
    CHECK(SortMembers(m, count0, true) == std::vector<std::uint32_t>{3, 0, 2, 1});
    CHECK(SortMembers(m, count0, false) == std::vector<std::uint32_t>{1, 0, 2, 3});
    CHECK(CellText(m, 1, count0) == "10 (100.0%)");
    CHECK(CellText(m, 0, {ColumnKind::Weighted, 1}) == "80.0%");
    CHECK(CellText(m, 1, {ColumnKind::Suggested, 0}) == "优秀");
    CHECK(CellText(m, 1, {ColumnKind::Final, 0}).empty());
    m.decisions[2].grade = 2;
    CHECK(SortMembers(m, {ColumnKind::Final, 0}, true).front() == 2);  // undecided last
    const auto html =
        ResultsHtml(m, "测试 — 非正式结果", {"标题 <测试>"}, {"序号", "姓名"}, {1, 0, 2, 3}, {"注：合并"});
    CHECK(html.find("标题 &lt;测试&gt;") != std::string::npos);
    CHECK(html.find("测试 — 非正式结果") < html.find("标题"));
    CHECK(ResultsHtml(m, "", {"标题"}, {"序号", "姓名"}, {1, 0, 2, 3}, {}).find("非正式") == std::string::npos);
    CHECK(html.find("张伟") > html.find("王芳"));
    CHECK(html.find(GradeHex(0)) != std::string::npos);
}

TEST_CASE("an audit bundle never overwrites a folder this tool did not make")
{
    TempDir dir;
    std::filesystem::create_directories(dir / "audit-bundle");
    REQUIRE(app::WriteFile(dir / "audit-bundle" / "mine.txt", AsBytes("keep me"), false).ok());
    REQUIRE(app::WriteFile(dir / "election.pyp", AsBytes("{}"), false).ok());
    REQUIRE(app::WriteFile(dir / "box.sqlite", AsBytes("box"), false).ok());
    REQUIRE(app::WriteFile(dir / "results.json", AsBytes("{}"), false).ok());
    auto first = app::WriteAuditBundle(dir.path(), dir / "election.pyp", {dir / "box.sqlite"}, Audit{});
    REQUIRE(first.ok());
    CHECK(first->filename() == "audit-bundle-2");
    CHECK(std::filesystem::exists(dir / "audit-bundle" / "mine.txt"));
    CHECK(std::filesystem::exists(*first / "box.sqlite"));
    CHECK(std::filesystem::exists(*first / "README.txt"));
    auto second = app::WriteAuditBundle(dir.path(), dir / "election.pyp", {dir / "box.sqlite"}, Audit{});
    REQUIRE(second.ok());
    CHECK(second->filename() == "audit-bundle-2");  // its own earlier bundle is replaced
}

#ifndef _WIN32  // POSIX TZ strings; Windows takes its time zone from the system settings
TEST_CASE("a kiosk's UTC log time is shown in this computer's time zone and the reader's words")
{
    // Beijing time (UTC+8, no daylight saving), as a POSIX TZ string that needs no tzdata.
    const char* old_tz = std::getenv("TZ");
    const std::string saved = old_tz ? old_tz : "";
    setenv("TZ", "CST-8", 1);
    tzset();
    InstallLanguage(Language::Chinese);
    CHECK(LocalTimeInWords("2026-12-05T03:36:29Z").utf8_string() == "2026年12月05日 11:36:29");
    CHECK(LocalTimeInWords("2026-12-31T20:00:00Z").utf8_string() == "2027年01月01日 04:00:00");
    InstallLanguage(Language::English);
    CHECK(LocalTimeInWords("2026-12-05T03:36:29Z").utf8_string() == "2026-12-05 11:36:29");
    // Not a kiosk time: shown as it is written.
    CHECK(LocalTimeInWords("2026-13-05T03:36:29Z").utf8_string() == "2026-13-05T03:36:29Z");
    CHECK(LocalTimeInWords("yesterday").utf8_string() == "yesterday");
    InstallLanguage(Language::Chinese);
    if (old_tz)
        setenv("TZ", saved.c_str(), 1);
    else
        unsetenv("TZ");
    tzset();
}
#endif

TEST_CASE("check-line details are put in the reader's words, slots filled, nested phrases too")
{
    // Templates as core/verify.cpp writes them; the core catalog translates each part.
    const Phrase one = Ph("{0}: ballot {1} is malformed", "kiosk-2.sqlite", "7F3A-91C2");
    const Phrase many = Ph("{0} (and {1} more)", one, 2);
    const Phrase list = Ph("the box of kiosk {0} is missing: every kiosk's box is needed", ListOf({"2", "3", "5"}));
    InstallLanguage(Language::Chinese);
    CHECK(InWords(many).utf8_string() == "kiosk-2.sqlite：选票 7F3A-91C2 格式损坏（另有 2 处）");
    CHECK(InWords(list).utf8_string() == "缺少第 2、3、5 号投票机的票箱：每台投票机的票箱都必须提供");
    // An error inside a line reads as the error table's sentence, not its English detail.
    const Phrase err = Ph("{0}: {1}", "box.sqlite", Phrase::ForError("box.damaged", "sqlite: malformed page"));
    CHECK(InWords(err).utf8_string().find("malformed") == std::string::npos);
    CHECK(InWords(err).utf8_string().rfind("box.sqlite：", 0) == 0);
    InstallLanguage(Language::English);
    CHECK(InWords(many).utf8_string() == "kiosk-2.sqlite: ballot 7F3A-91C2 is malformed (and 2 more)");
    CHECK(InWords(list).utf8_string() == "the box of kiosk 2, 3, 5 is missing: every kiosk's box is needed");
    // The console and the logs keep the technical detail.
    CHECK(err.English() == "box.sqlite: sqlite: malformed page");
    CHECK(ErrorMessage(MakeError("keyfile.passphrase", "")).utf8_string().find("passphrase") != std::string::npos);
    InstallLanguage(Language::Chinese);
    CHECK(ErrorMessage(MakeError("output.exists", "")).utf8_string().find("文件夹") != std::string::npos);
}

}  // namespace pingyi::admin::test
