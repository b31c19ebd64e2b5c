// The reports, made from a real election (create, cast, close, verify, tally, summarize)
// and read back through independent tools: poppler (pdftotext, pdfinfo) for the PDFs and
// Python's zipfile + ElementTree for the workbook's XML.
//
// PINGYI_KEEP_REPORTS=<dir> keeps a copy of the reports the tests make, to look at.
#include <doctest/doctest.h>

#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/reports.hpp"
#include "core/tally.hpp"
#include "test_support.hpp"

namespace pingyi {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

#ifdef _WIN32
// python3 and poppler are Linux tools called through a POSIX shell: the cases that read
// the reports back through them are skipped on Windows (and reported as skipped).
constexpr bool kNoPosixTools = true;
#else
constexpr bool kNoPosixTools = false;
#endif

bool HaveTool(const std::string& tool)
{
    return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

std::string Run(const std::string& command)
{
    std::string out;
    FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0)
        out.append(buf.data(), n);
    pclose(pipe);
    return out;
}

std::string Quote(const fs::path& p)
{
    return "'" + p.string() + "'";
}

std::vector<std::string> Lines(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

std::vector<std::string> Words(const std::string& line)
{
    std::vector<std::string> out;
    std::istringstream in(line);
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

bool Contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

int PdfPages(const fs::path& pdf)
{
    for (const std::string& line : Lines(Run("pdfinfo " + Quote(pdf))))
        if (line.rfind("Pages:", 0) == 0) return std::atoi(line.c_str() + 6);
    return -1;
}

std::string PdfText(const fs::path& pdf, int page = 0)
{
    const std::string range = page > 0 ? " -f " + std::to_string(page) + " -l " + std::to_string(page) : "";
    return Run("pdftotext -layout -enc UTF-8" + range + " " + Quote(pdf) + " -");
}

void Keep(const fs::path& file, const std::string& name)
{
    const char* dir = std::getenv("PINGYI_KEEP_REPORTS");
    if (dir == nullptr || *dir == '\0') return;
    std::error_code ec;
    fs::copy_file(file, fs::path(dir) / name, fs::copy_options::overwrite_existing, ec);
}

std::string Percent(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", v);
    return buf;
}

// ---- A real election ------------------------------------------------------------------

constexpr std::uint32_t kMembers = 6;

struct Tallied {
    TempDir dir;
    ElectionDefinition def;
    ElectionPackage pkg;
    Results results;
    std::vector<MemberSummary> summary;
    // What the test cast: [category][member][option].
    std::vector<std::vector<std::vector<std::uint64_t>>> expected;
};

// SmallElection(6, 2): 党员 (6 codes, weight 70) and 群众代表 (4 codes, weight 30), two
// kiosks; `votes` ballots per category. Members 0 and 1 may get 优秀 (quota 2).
std::unique_ptr<Tallied> Hold(bool test_mode, std::vector<std::uint32_t> votes, std::optional<std::uint32_t> present)
{
    auto t = std::make_unique<Tallied>();
    auto def = test::SmallElection(kMembers, 2);
    def.test_mode = test_mode;
    def.roster[2].id = "A1003";
    auto created = CreateElection(def, "pw", SystemRng(), test::kFastKdf);
    REQUIRE(created.ok());
    t->pkg = LoadPackage(created->package.Serialize()).value();
    t->def = t->pkg.definition;
    t->expected.assign(2, std::vector<std::vector<std::uint64_t>>(kMembers, std::vector<std::uint64_t>(4, 0)));
    std::vector<fs::path> paths;
    std::vector<BallotBox> boxes;
    for (std::uint32_t k = 1; k <= 2; ++k) {
        paths.push_back(t->dir / ("kiosk" + std::to_string(k) + ".sqlite"));
        auto box = BallotBox::Create(paths.back(), t->pkg, k, "1234", SystemRng(), test::kFastKdf);
        REQUIRE(box.ok());
        boxes.push_back(std::move(box).value());
    }
    std::uint32_t serial = 0;
    for (std::uint32_t cat = 0; cat < votes.size(); ++cat) {
        std::uint32_t cast = 0;
        for (const auto& code : created->codes) {
            if (code.category != cat || cast == votes[cat]) continue;
            std::vector<std::uint32_t> choices(kMembers);
            for (std::uint32_t i = 0; i < kMembers; ++i)
                choices[i] = i == 0 ? 0 : i == 1 ? serial % 2 : 1 + (i + serial + cat) % 3;
            ++serial;
            for (std::uint32_t i = 0; i < kMembers; ++i)
                ++t->expected[cat][i][choices[i]];
            auto grid = EncryptGrid(t->pkg.public_key, t->pkg.Shape(), choices, t->pkg.BallotContext(cat), SystemRng());
            REQUIRE(boxes[code.kiosk - 1].Cast(*NormalizeCode(code.code), grid).ok());
            ++cast;
        }
        REQUIRE(cast == votes[cat]);
    }
    for (auto& b : boxes)
        REQUIRE(b.Close().ok());
    Audit audit = VerifyElection(t->pkg.Serialize(), paths);
    REQUIRE(audit.report.ok());
    auto key = OpenElectionKey(created->election_key_file, "pw");
    auto admin = OpenSigningKey(created->admin_key_file, "pw");
    REQUIRE(key.ok());
    REQUIRE(admin.ok());
    auto results = RunTally(audit, *key, *admin, TallyInput{present}, SystemRng());
    REQUIRE(results.ok());
    t->results = std::move(results).value();
    t->summary = Summarize(t->def, t->results);
    return t;
}

ReportInput Input(const Tallied& t, std::vector<FinalDecision> decisions = {})
{
    return ReportInput{t.def,
                       t.results,
                       t.summary,
                       std::move(decisions),
                       ShortFingerprint(t.pkg.fingerprint),
                       ToHex(t.pkg.fingerprint),
                       {}};
}

std::uint64_t Expected(const Tallied& t, std::uint32_t member, std::uint32_t option)
{
    return t.expected[0][member][option] + t.expected[1][member][option];
}

// ---- Reading a workbook -----------------------------------------------------------------

struct Cell {
    std::string type;    // "s" (shared string) or "n" (number)
    std::string value;   // the string, or the number as written
    std::string format;  // the custom number format, or the built-in id
};
using Workbook = std::map<std::string, Cell>;  // "sheet!A1" -> cell

constexpr const char* kReadXlsx = R"(
import sys, zipfile, xml.etree.ElementTree as ET
M = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
R = '{http://schemas.openxmlformats.org/officeDocument/2006/relationships}'
z = zipfile.ZipFile(sys.argv[1])
ss = []
if 'xl/sharedStrings.xml' in z.namelist():
    for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall(M + 'si'):
        ss.append(''.join(t.text or '' for t in si.iter(M + 't')))
st = ET.fromstring(z.read('xl/styles.xml'))
fmts = {int(n.get('numFmtId')): n.get('formatCode') for n in st.iter(M + 'numFmt')}
xfs = [int(x.get('numFmtId', '0')) for x in st.find(M + 'cellXfs').findall(M + 'xf')]
rels = {r.get('Id'): r.get('Target') for r in ET.fromstring(z.read('xl/_rels/workbook.xml.rels'))}
for sheet in ET.fromstring(z.read('xl/workbook.xml')).iter(M + 'sheet'):
    data = ET.fromstring(z.read('xl/' + rels[sheet.get(R + 'id')]))
    for c in data.iter(M + 'c'):
        v = c.find(M + 'v')
        if v is None:
            continue
        t = c.get('t', 'n')
        val = ss[int(v.text)] if t == 's' else v.text
        fid = xfs[int(c.get('s', '0'))]
        fmt = fmts.get(fid, str(fid))
        print('\t'.join([sheet.get('name'), c.get('r'), t, val.replace('\n', ' ').replace('\t', ' '), fmt]))
)";

Workbook ReadXlsx(const TempDir& dir, const fs::path& xlsx)
{
    const fs::path script = dir / "read_xlsx.py";
    std::ofstream(script) << kReadXlsx;
    Workbook wb;
    for (const std::string& line : Lines(Run("python3 " + Quote(script) + " " + Quote(xlsx)))) {
        std::vector<std::string> f;
        std::istringstream in(line);
        for (std::string field; std::getline(in, field, '\t');)
            f.push_back(field);
        if (f.size() == 5) wb[f[0] + "!" + f[1]] = Cell{f[2], f[3], f[4]};
    }
    return wb;
}

std::string ColumnName(int col)
{
    std::string s;
    for (++col; col > 0; col = (col - 1) / 26)
        s.insert(s.begin(), static_cast<char>('A' + (col - 1) % 26));
    return s;
}

// The cell in row `row` (1-based) under the header cell whose text is `header`.
const Cell* Under(const Workbook& wb, const std::string& sheet, int header_row, const std::string& header, int row)
{
    for (int c = 0; c < 60; ++c) {
        auto h = wb.find(sheet + "!" + ColumnName(c) + std::to_string(header_row));
        if (h != wb.end() && h->second.value == header) {
            auto cell = wb.find(sheet + "!" + ColumnName(c) + std::to_string(row));
            return cell == wb.end() ? nullptr : &cell->second;
        }
    }
    return nullptr;
}

bool AnyCellContains(const Workbook& wb, const std::string& sheet, const std::string& text)
{
    for (const auto& [ref, cell] : wb)
        if (ref.rfind(sheet + "!", 0) == 0 && Contains(cell.value, text)) return true;
    return false;
}

}  // namespace

TEST_CASE("reports: the workbook holds every member's counts and shares as numbers, with both sheets" *
          doctest::skip(kNoPosixTools))
{
    if (!HaveTool("python3")) {
        MESSAGE("python3 not installed; skipped");
        return;
    }
    auto t = Hold(/*test_mode=*/true, {5, 3}, /*present=*/9);
    std::vector<FinalDecision> decisions(kMembers);
    decisions[0] = {0, "支部委员会研究决定"};
    const fs::path xlsx = t->dir / "结果.xlsx";
    REQUIRE(WriteResultsXlsx(Input(*t, decisions), xlsx).ok());
    Keep(xlsx, "results.xlsx");
    const Workbook wb = ReadXlsx(t->dir, xlsx);
    REQUIRE(!wb.empty());

    // Find the header row by its 姓名 cell.
    int header = 0;
    for (int r = 1; r < 10 && header == 0; ++r) {
        auto c = wb.find("评议结果!B" + std::to_string(r));
        if (c != wb.end() && c->second.value == "姓名") header = r;
    }
    REQUIRE(header > 0);
    const double ballots = t->results.TotalBallots();
    REQUIRE(ballots == 8);
    for (std::uint32_t i = 0; i < kMembers; ++i) {
        CAPTURE(i);
        const int row = header + 1 + static_cast<int>(i);
        const Cell* name = Under(wb, "评议结果", header, "姓名", row);
        REQUIRE(name != nullptr);
        CHECK(name->value == t->def.roster[i].name);
        for (std::uint32_t o = 0; o < 4; ++o) {
            CAPTURE(o);
            const std::string opt = t->def.options[o];
            const Cell* count = Under(wb, "评议结果", header, opt + " 票数", row);
            REQUIRE(count != nullptr);
            CHECK(count->type == "n");
            CHECK(std::stoull(count->value) == Expected(*t, i, o));
            const Cell* share = Under(wb, "评议结果", header, opt + " 占比", row);
            REQUIRE(share != nullptr);
            CHECK(share->type == "n");
            CHECK(share->format == "0.0%");
            CHECK(std::stod(share->value) == doctest::Approx(static_cast<double>(Expected(*t, i, o)) / ballots));
            const Cell* by_party = Under(wb, "评议结果", header, "党员 " + opt, row);
            const Cell* by_masses = Under(wb, "评议结果", header, "群众代表 " + opt, row);
            REQUIRE(by_party != nullptr);
            REQUIRE(by_masses != nullptr);
            CHECK(std::stoull(by_party->value) == t->expected[0][i][o]);
            CHECK(std::stoull(by_masses->value) == t->expected[1][i][o]);
            const Cell* weighted = Under(wb, "评议结果", header, opt + " 加权占比", row);
            REQUIRE(weighted != nullptr);
            CHECK(weighted->format == "0.0%");
            const double w = 0.7 * static_cast<double>(t->expected[0][i][o]) / 5 +
                             0.3 * static_cast<double>(t->expected[1][i][o]) / 3;
            CHECK(std::stod(weighted->value) == doctest::Approx(w));
        }
        const Cell* suggested = Under(wb, "评议结果", header, "参考等次", row);
        REQUIRE(suggested != nullptr);
        CHECK(suggested->value == t->def.options[t->summary[i].suggested]);
    }
    // Member 0 always got 优秀: suggested and decided 优秀; the others are undecided (blank).
    CHECK(Under(wb, "评议结果", header, "组织评定", header + 1)->value == "优秀");
    CHECK(Under(wb, "评议结果", header, "备注", header + 1)->value == "支部委员会研究决定");
    CHECK(Under(wb, "评议结果", header, "工号", header + 3)->value == "A1003");
    const Cell* undecided = Under(wb, "评议结果", header, "组织评定", header + 2);
    CHECK((undecided == nullptr || undecided->value.empty()));
    CHECK(AnyCellContains(wb, "评议结果", "测试 — 非正式评议"));

    // The statistics sheet: fingerprint, codes per category, 实到人数 9 ≠ 8 ballots.
    CHECK(AnyCellContains(wb, "投票统计", ToHex(t->pkg.fingerprint)));
    CHECK(AnyCellContains(wb, "投票统计", ShortFingerprint(t->pkg.fingerprint)));
    CHECK(AnyCellContains(wb, "投票统计", "测试 — 非正式评议"));
    CHECK(AnyCellContains(wb, "投票统计", "不一致：实到人数 9 人，收回选票 8 张"));
    bool party_row = false;
    for (int r = 1; r < 40; ++r) {
        auto a = wb.find("投票统计!A" + std::to_string(r));
        if (a == wb.end() || a->second.value != "党员") continue;
        party_row = true;
        CHECK(wb.at("投票统计!C" + std::to_string(r)).value == "6");  // issued
        CHECK(wb.at("投票统计!C" + std::to_string(r)).type == "n");
        CHECK(wb.at("投票统计!D" + std::to_string(r)).value == "5");  // used
        break;
    }
    CHECK(party_row);
}

TEST_CASE("reports: an official workbook has no test banner and no mismatch mark when the counts agree" *
          doctest::skip(kNoPosixTools))
{
    if (!HaveTool("python3")) {
        MESSAGE("python3 not installed; skipped");
        return;
    }
    auto t = Hold(/*test_mode=*/false, {4, 3}, /*present=*/7);
    const fs::path xlsx = t->dir / "official.xlsx";
    REQUIRE(WriteResultsXlsx(Input(*t), xlsx).ok());
    const Workbook wb = ReadXlsx(t->dir, xlsx);
    REQUIRE(AnyCellContains(wb, "评议结果", "张伟"));
    CHECK_FALSE(AnyCellContains(wb, "评议结果", "非正式评议"));
    CHECK_FALSE(AnyCellContains(wb, "投票统计", "非正式评议"));
    CHECK_FALSE(AnyCellContains(wb, "投票统计", "不一致"));
    CHECK(AnyCellContains(wb, "投票统计", "一致"));
}

TEST_CASE("reports: the tally sheet shows the fingerprint, reconciliation, every member's counts and signature lines" *
          doctest::skip(kNoPosixTools))
{
    if (!HaveTool("pdftotext")) {
        MESSAGE("poppler-utils not installed; skipped");
        return;
    }
    auto t = Hold(/*test_mode=*/true, {5, 3}, /*present=*/9);
    const fs::path pdf = t->dir / "汇总表.pdf";
    REQUIRE(WriteTallySheetPdf(Input(*t), pdf).ok());
    Keep(pdf, "tally-sheet.pdf");
    CHECK_MESSAGE(test::PdfProblems(pdf).empty(), test::PdfProblems(pdf));
    const std::string text = PdfText(pdf);
    CHECK(Contains(text, "投票结果汇总表"));
    CHECK(Contains(text, ShortFingerprint(t->pkg.fingerprint)));
    CHECK(Contains(text, ToHex(t->pkg.fingerprint)));
    CHECK(Contains(text, "监票人（签字）"));
    CHECK(Contains(text, "计票人（签字）"));
    CHECK(Contains(text, "测试 — 非正式评议"));
    // 评议, never 选举: the fingerprint and the test mark in the branch's own words.
    CHECK(Contains(text, "评议指纹"));
    CHECK(Contains(text, "非正式评议"));
    CHECK_FALSE(Contains(text, "选举"));
    CHECK(Contains(text, "不一致！实到人数 9 人，收回选票 8 张"));
    for (const auto& box : t->results.boxes)
        CHECK(Contains(text, KeyFingerprint(box.device_public_key)));

    // Each member's row: 序号 姓名, counts per group (党员, 群众代表), totals, weighted, 参考等次.
    const auto lines = Lines(text);
    for (std::uint32_t i = 0; i < kMembers; ++i) {
        CAPTURE(i);
        std::vector<std::string> expected{std::to_string(i + 1), t->def.roster[i].name};
        for (std::uint32_t g = 0; g < 2; ++g)
            for (std::uint32_t o = 0; o < 4; ++o)
                expected.push_back(std::to_string(t->expected[g][i][o]));
        for (std::uint32_t o = 0; o < 4; ++o)
            expected.push_back(std::to_string(Expected(*t, i, o)));
        for (std::uint32_t o = 0; o < 4; ++o)
            expected.push_back(Percent(t->summary[i].weighted_percent[o]));
        expected.push_back(t->def.options[t->summary[i].suggested]);
        bool found = false;
        for (const auto& line : lines)
            found = found || Words(line) == expected;
        CHECK_MESSAGE(found, "no row " << t->def.roster[i].name << " with the expected counts in:\n" << text);
    }
}

TEST_CASE("reports: a weighted category that cast no ballots is named on the tally sheet and in the workbook" *
          doctest::skip(kNoPosixTools))
{
    if (!HaveTool("pdftotext")) {
        MESSAGE("poppler-utils not installed; skipped");
        return;
    }
    auto t = Hold(/*test_mode=*/true, {5, 0}, std::nullopt);  // 群众代表 (weight 30) cast nothing
    const fs::path pdf = t->dir / "汇总表.pdf";
    REQUIRE(WriteTallySheetPdf(Input(*t), pdf).ok());
    std::string text = PdfText(pdf);
    std::erase(text, '\n');
    std::erase(text, ' ');
    CHECK_MESSAGE(Contains(text, "设定的权重为党员70%，群众代表30%；群众代表没有收回选票，其权重未计入"), text);
    const fs::path xlsx = t->dir / "结果.xlsx";
    REQUIRE(WriteResultsXlsx(Input(*t), xlsx).ok());
    const Workbook wb = ReadXlsx(t->dir, xlsx);
    bool found = false;
    for (const auto& [ref, cell] : wb)
        found = found || Contains(cell.value, "群众代表没有收回选票，其权重未计入");
    CHECK(found);

    // With ballots in both, no such note.
    auto both = Hold(/*test_mode=*/true, {5, 3}, std::nullopt);
    REQUIRE(WriteTallySheetPdf(Input(*both), pdf).ok());
    CHECK_FALSE(Contains(PdfText(pdf), "未计入"));
}

TEST_CASE("reports: an official tally sheet has no test banner and no mismatch warning when the counts agree" *
          doctest::skip(kNoPosixTools))
{
    if (!HaveTool("pdftotext")) {
        MESSAGE("poppler-utils not installed; skipped");
        return;
    }
    auto t = Hold(/*test_mode=*/false, {4, 3}, /*present=*/7);
    const fs::path pdf = t->dir / "sheet.pdf";
    REQUIRE(WriteTallySheetPdf(Input(*t), pdf).ok());
    const std::string text = PdfText(pdf);
    REQUIRE(Contains(text, "张伟"));
    CHECK_FALSE(Contains(text, "测试"));
    CHECK_FALSE(Contains(text, "TEST"));
    CHECK_FALSE(Contains(text, "不一致"));
    CHECK(Contains(text, "实到人数 7 人，收回选票 7 张：一致"));
}

TEST_CASE("reports: the letters have one page per member, each naming only its own member and results" *
          doctest::skip(kNoPosixTools))
{
    if (!HaveTool("pdftotext") || !HaveTool("pdfinfo")) {
        MESSAGE("poppler-utils not installed; skipped");
        return;
    }
    for (const bool test_mode : {true, false}) {
        CAPTURE(test_mode);
        auto t = Hold(test_mode, {5, 3}, /*present=*/8);
        std::vector<FinalDecision> decisions(kMembers);
        decisions[1] = {2, "内部备注：不应出现在通知书上"};
        const fs::path pdf = t->dir / "letters.pdf";
        REQUIRE(WriteNotificationLettersPdf(Input(*t, decisions), pdf).ok());
        if (test_mode) Keep(pdf, "letters.pdf");
        CHECK_MESSAGE(test::PdfProblems(pdf).empty(), test::PdfProblems(pdf));
        REQUIRE(PdfPages(pdf) == static_cast<int>(kMembers));
        for (std::uint32_t k = 0; k < kMembers; ++k) {
            CAPTURE(k);
            const std::string page = PdfText(pdf, static_cast<int>(k) + 1);
            CHECK(Contains(page, "民主评议结果通知书"));
            CHECK(Contains(page, t->def.roster[k].name + " 同志："));
            for (std::uint32_t other = 0; other < kMembers; ++other)
                if (other != k) CHECK_FALSE(Contains(page, t->def.roster[other].name));
            CHECK(Contains(page, "测试 — 非正式评议") == test_mode);
            CHECK_FALSE(Contains(page, "内部备注"));
            // The member's own row per option: counts per group, total, share, weighted share.
            const auto lines = Lines(page);
            for (std::uint32_t o = 0; o < 4; ++o) {
                CAPTURE(o);
                const std::vector<std::string> expected{t->def.options[o],
                                                        std::to_string(t->expected[0][k][o]),
                                                        std::to_string(t->expected[1][k][o]),
                                                        std::to_string(Expected(*t, k, o)),
                                                        Percent(t->summary[k].percent[o]),
                                                        Percent(t->summary[k].weighted_percent[o])};
                bool found = false;
                for (const auto& line : lines)
                    found = found || Words(line) == expected;
                CHECK_MESSAGE(found, page);
            }
            const std::string suggested = t->def.options[t->summary[k].suggested];
            CHECK(Contains(page, "参考等次：" + suggested));
            if (k == 1)
                CHECK(Contains(page, "组织评定：基本合格"));
            else
                CHECK(Contains(page, "组织评定：待支部研究确定"));
        }
    }
}

// 200 members built by hand (the reports read aggregates; they do not check proofs).
struct Large {
    ElectionDefinition def = test::SmallElection(200);
    Results results;
    std::vector<MemberSummary> summary;
};

std::unique_ptr<Large> LargeBranch()
{
    auto l = std::make_unique<Large>();
    const char* surnames[] = {"张", "王", "李", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
    const char* given[] = {"学军", "优秀", "建国", "秀英", "志强", "丽华", "海涛", "春梅", "国庆", "晓明"};
    for (std::size_t i = 0; i < l->def.roster.size(); ++i)
        l->def.roster[i].name = std::string(surnames[i % 10]) + given[(i / 10) % 10] + std::to_string(i / 100);
    l->def.categories = {{"党员", 150, 70}, {"群众代表", 50, 30}};
    l->def.quota = Quota{0, 66};
    const Group& g = Group::P256();
    l->results.attendance = {{150, 140}, {50, 45}};
    l->results.present = 185;
    l->results.groups = {{{0}, 140}, {{1}, 45}};
    l->results.boxes.push_back({1, Bytes(33, 2), Digest{}, 185});
    for (std::uint32_t grp = 0; grp < 2; ++grp) {
        const std::uint64_t n = l->results.groups[grp].ballots;
        for (std::uint32_t m = 0; m < 200; ++m) {
            const std::uint64_t ex = (m * 7 + grp) % (n / 2), bad = m % 5 == 0 ? m % 7 : 0, basic = m % 3;
            const std::uint64_t counts[] = {ex, n - ex - bad - basic, basic, bad};
            for (std::uint32_t o = 0; o < 4; ++o)
                l->results.aggregates.push_back(
                    {grp, m, o, counts[o], Ciphertext{Point(g), Point(g)}, ChallengeResponse{Scalar(g), Scalar(g)}});
        }
    }
    l->summary = Summarize(l->def, l->results);
    return l;
}

TEST_CASE("reports: 200 members paginate with the header repeated" * doctest::skip(kNoPosixTools))
{
    if (!HaveTool("pdftotext") || !HaveTool("pdfinfo")) {
        MESSAGE("poppler-utils not installed; skipped");
        return;
    }
    TempDir dir;
    auto l = LargeBranch();
    const std::string fp(64, 'a');
    const ReportInput in{l->def, l->results, l->summary, {}, "aaaa aaaa aaaa aaaa", fp, {}};
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(WriteResultsXlsx(in, dir / "r.xlsx").ok());
    const auto t_xlsx = std::chrono::steady_clock::now();
    REQUIRE(WriteTallySheetPdf(in, dir / "sheet.pdf").ok());
    const auto t_sheet = std::chrono::steady_clock::now();
    REQUIRE(WriteNotificationLettersPdf(in, dir / "letters.pdf").ok());
    const auto t_letters = std::chrono::steady_clock::now();
    const auto ms = [](auto a, auto b) { return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count(); };
    MESSAGE("200 members: xlsx " << ms(start, t_xlsx) << " ms (" << fs::file_size(dir / "r.xlsx") << " B), tally sheet "
                                 << ms(t_xlsx, t_sheet) << " ms (" << fs::file_size(dir / "sheet.pdf")
                                 << " B), letters " << ms(t_sheet, t_letters) << " ms ("
                                 << fs::file_size(dir / "letters.pdf") << " B)");
    Keep(dir / "sheet.pdf", "tally-sheet-200.pdf");

    CHECK(PdfPages(dir / "letters.pdf") == 200);
    const int pages = PdfPages(dir / "sheet.pdf");
    REQUIRE(pages >= 4);
    std::string all;
    for (int p = 1; p <= pages; ++p) {
        CAPTURE(p);
        const std::string text = PdfText(dir / "sheet.pdf", p);
        all += text;
        CHECK(Contains(text, "测试 — 非正式评议"));
        CHECK(Contains(text, "第 " + std::to_string(p) + " 页 / 共 " + std::to_string(pages) + " 页"));
        // Every page holding result rows starts them with the header row.
        bool has_rows = false;
        for (const auto& line : Lines(text)) {
            const auto w = Words(line);
            has_rows = has_rows || (w.size() == 19 && w[1].size() > 3 && w[0] != "序号");
        }
        if (has_rows) CHECK(Contains(text, "姓名"));
    }
    for (const auto& m : l->def.roster)
        CHECK(Contains(all, m.name));
    CHECK(Contains(all, "不一致！实到人数 185 人，收回选票 185 张") == false);
    CHECK(Contains(all, "已使用投票码 185 个，收回选票 185 张：一致"));
    CHECK(Contains(all, "监票人（签字）"));
}

// The words of Latin letters in `text` that a Chinese reader would meet as English: every run
// of two or more letters, except hexadecimal fingerprint groups and what the user typed
// (member IDs, names, titles).
std::set<std::string> EnglishWords(const std::string& text, const ElectionDefinition& def)
{
    std::set<std::string> typed;
    const auto add_words = [&typed](const std::string& s) {
        std::string w;
        for (const char ch : s + " ") {
            if (std::isalpha(static_cast<unsigned char>(ch)) != 0)
                w += ch;
            else if (!w.empty())
                typed.insert(std::exchange(w, {}));
        }
    };
    for (const auto& m : def.roster) {
        add_words(m.id);
        add_words(m.name);
    }
    add_words(def.title);
    add_words(def.organization);
    std::set<std::string> out;
    std::string word;
    bool hex_group = false;  // the run of letters is part of a group of hex digits
    std::string group;
    for (const char ch : text + " ") {
        const bool alnum = std::isalnum(static_cast<unsigned char>(ch)) != 0;
        if (alnum) {
            group += ch;
            continue;
        }
        if (!group.empty()) {
            hex_group = group.find_first_not_of("0123456789abcdef") == std::string::npos;
            std::string letters;
            for (const char g : group + " ") {
                if (std::isalpha(static_cast<unsigned char>(g)) != 0)
                    letters += g;
                else if (!letters.empty()) {
                    if (letters.size() >= 2 && !hex_group && typed.count(letters) == 0) out.insert(letters);
                    letters.clear();
                }
            }
            group.clear();
        }
    }
    return out;
}

TEST_CASE("reports: the Chinese official pages hold no English, merged categories included" *
          doctest::skip(kNoPosixTools))
{
    if (!HaveTool("pdftotext") || !HaveTool("python3")) {
        MESSAGE("poppler-utils or python3 not installed; skipped");
        return;
    }
    for (const bool test_mode : {true, false}) {
        CAPTURE(test_mode);
        // 群众代表 cast 2 ballots, fewer than the minimum group of 3: merged into 党员.
        auto t = Hold(test_mode, {5, 2}, /*present=*/8);
        REQUIRE(t->results.groups.size() == 1);
        REQUIRE(t->results.notes.size() == 1);  // the signed English record of the merge
        std::vector<FinalDecision> decisions(kMembers);
        decisions[0] = {0, ""};
        const ReportInput in = Input(*t, decisions);
        REQUIRE(WriteTallySheetPdf(in, t->dir / "sheet.pdf").ok());
        REQUIRE(WriteNotificationLettersPdf(in, t->dir / "letters.pdf").ok());
        REQUIRE(WriteResultsXlsx(in, t->dir / "results.xlsx").ok());
        const std::string sheet = PdfText(t->dir / "sheet.pdf");
        const std::string letters = PdfText(t->dir / "letters.pdf");
        std::string cells;
        for (const auto& [where, cell] : ReadXlsx(t->dir, t->dir / "results.xlsx"))
            if (cell.type == "s") cells += cell.value + "\n";
        REQUIRE(Contains(sheet, "张伟"));
        REQUIRE(Contains(cells, "张伟"));
        // The merge is said in Chinese on the page the tellers sign and in the workbook.
        const std::string merged = "群众代表收回的选票不足 3 张（共 2 张），已并入党员统计";
        CHECK(Contains(sheet, merged));
        CHECK(Contains(cells, merged));
        for (const auto& [name, text] : {std::pair<const char*, const std::string&>{"tally sheet", sheet},
                                         {"letters", letters},
                                         {"workbook", cells}}) {
            CAPTURE(name);
            std::string found;
            for (const auto& w : EnglishWords(text, t->def))
                found += w + " ";
            CHECK_MESSAGE(found.empty(), "English words on a Chinese page: " << found);
        }
    }
}

TEST_CASE("reports: a bad path gives report.write and a wrong number of decisions report.input")
{
    auto t = Hold(/*test_mode=*/true, {3, 0}, {});
    const fs::path missing = t->dir / "no-such-dir" / "out";
    CHECK(WriteResultsXlsx(Input(*t), missing.string() + ".xlsx").error().code == "report.write");
    CHECK(WriteTallySheetPdf(Input(*t), missing.string() + ".pdf").error().code == "report.write");
    CHECK(WriteNotificationLettersPdf(Input(*t), missing.string() + ".pdf").error().code == "report.write");
    // A directory where the file should go.
    fs::create_directory(t->dir / "taken.xlsx");
    CHECK(WriteResultsXlsx(Input(*t), t->dir / "taken.xlsx").error().code == "report.write");
    CHECK(WriteTallySheetPdf(Input(*t), t->dir / "taken.xlsx").error().code == "report.write");

    std::vector<FinalDecision> wrong(kMembers - 1);
    CHECK(WriteResultsXlsx(Input(*t, wrong), t->dir / "a.xlsx").error().code == "report.input");
    CHECK(WriteTallySheetPdf(Input(*t, wrong), t->dir / "a.pdf").error().code == "report.input");
    CHECK(WriteNotificationLettersPdf(Input(*t, wrong), t->dir / "b.pdf").error().code == "report.input");
    std::vector<FinalDecision> bad_grade(kMembers);
    bad_grade[3].grade = 4;  // there are 4 options: 0..3
    CHECK(WriteResultsXlsx(Input(*t, bad_grade), t->dir / "a.xlsx").error().code == "report.input");
    CHECK_FALSE(fs::exists(t->dir / "a.xlsx"));
    CHECK_FALSE(fs::exists(t->dir / "a.pdf"));

    // One category only: a single group, and the reports still work (no temporary files left).
    REQUIRE(t->results.groups.size() == 1);
    REQUIRE(WriteResultsXlsx(Input(*t), t->dir / "ok.xlsx").ok());
    REQUIRE(WriteTallySheetPdf(Input(*t), t->dir / "ok.pdf").ok());
    Keep(t->dir / "ok.pdf", "tally-sheet-one-group.pdf");
    for (const auto& e : fs::directory_iterator(t->dir.path()))
        CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
}

}  // namespace pingyi
