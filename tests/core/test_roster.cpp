// Roster import: encodings, CSV quoting, header columns, row rules, duplicates, limits, .xlsx.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/roster.hpp"
#include "core/text_encoding.hpp"
#include "core/xlsx_reader.hpp"

using namespace pingyi;

namespace {

const std::filesystem::path kDataDir = std::filesystem::path(PINGYI_TEST_DATA_DIR) / "roster";

Bytes ToBytes(std::string_view s)
{
    return Bytes(s.begin(), s.end());
}

Bytes ReadData(const std::string& name)
{
    std::ifstream in(kDataDir / name, std::ios::binary);
    REQUIRE(in);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Roster ImportOk(std::string_view csv)
{
    auto r = ImportRosterCsv(AsBytes(csv));
    INFO(csv);
    if (!r) {
        INFO(r.error().code << ": " << r.error().detail);
        REQUIRE(r.ok());
    }
    return std::move(r).value();
}

Error ImportFails(std::string_view csv)
{
    auto r = ImportRosterCsv(AsBytes(csv));
    INFO(csv);
    REQUIRE_FALSE(r.ok());
    return r.error();
}

bool Contains(const std::string& haystack, std::string_view needle)
{
    return haystack.find(needle) != std::string::npos;
}

std::vector<std::string> Names(const Roster& r)
{
    std::vector<std::string> out;
    for (const auto& e : r.entries) {
        out.push_back(e.name);
    }
    return out;
}

// A scratch directory removed at the end of the test.
struct TempDir {
    std::filesystem::path path;
    TempDir()
    {
        std::random_device rd;
        path =
            std::filesystem::temp_directory_path() / ("pingyi-roster-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::filesystem::path Write(const std::string& name, const Bytes& bytes) const
    {
        const auto p = path / name;
        std::ofstream out(p, std::ios::binary);
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        return p;
    }
};

}  // namespace

// ---- encodings ----------------------------------------------------------------------------

TEST_CASE("a UTF-8 roster without a header reads name, ID and note in that order")
{
    const Roster r = ImportOk("张伟,1001,学习委员\n王芳,1002,\n李娜\n");
    CHECK(r.detected_encoding == "UTF-8");
    REQUIRE(r.entries.size() == 3);
    CHECK(r.entries[0].name == "张伟");
    CHECK(r.entries[0].id == "1001");
    CHECK(r.entries[0].note == "学习委员");
    CHECK(r.entries[1].name == "王芳");
    CHECK(r.entries[1].id == "1002");
    CHECK(r.entries[1].note.empty());
    CHECK(r.entries[2].name == "李娜");
    CHECK(r.entries[2].id.empty());
    CHECK(r.warnings.empty());
}

TEST_CASE("a UTF-8 byte-order mark is detected and not made part of the first cell")
{
    const Roster r = ImportOk("\xEF\xBB\xBF姓名,编号\n刘洋,7\n");
    CHECK(r.detected_encoding == "UTF-8 (BOM)");
    REQUIRE(r.entries.size() == 1);
    CHECK(r.entries[0].name == "刘洋");  // the header was recognised despite the BOM
    CHECK(r.entries[0].id == "7");
}

TEST_CASE("a GB18030 file made with iconv decodes, four-byte characters and € included")
{
    auto r = ImportRosterCsv(ReadData("roster_gb18030.csv"));
    REQUIRE(r.ok());
    CHECK(r->detected_encoding == "GB18030");
    REQUIRE(r->entries.size() == 4);
    CHECK(r->entries[0].name == "张伟");
    CHECK(r->entries[0].note == "学习委员");
    CHECK(r->entries[1].note == "财务科,出纳");
    CHECK(r->entries[2].note == "会费€50");
    CHECK(r->entries[3].name == "吉𠮷");  // U+20BB7: four bytes 95 34 B2 35 in GB18030
    CHECK(r->entries[3].id == "1004");
}

TEST_CASE("GB18030 bytes of known names decode to those names")
{
    // 张 D5C5, 伟 CEB0, 学 D1A7, 王 CDF5, 芳 B7BC (GB 2312 code points, identical in GB18030).
    const Bytes gb = {0xD5, 0xC5, 0xCE, 0xB0, ',', '1',  '\r', '\n', 0xCD, 0xF5,
                      0xB7, 0xBC, ',',  '2',  ',', 0xD1, 0xA7, '\r', '\n'};
    auto r = ImportRosterCsv(gb);
    REQUIRE(r.ok());
    CHECK(r->detected_encoding == "GB18030");
    REQUIRE(r->entries.size() == 2);
    CHECK(r->entries[0].name == "张伟");
    CHECK(r->entries[1].name == "王芳");
    CHECK(r->entries[1].note == "学");
}

TEST_CASE("a GBK file from Excel's plain CSV save reads byte 0x80 as €")
{
    // GB18030 has no single-byte 0x80; code page 936 uses it for €.
    const Bytes gbk = {0xC0, 0xEE, 0xC4, 0xC8, ',', '3', ',', '8', '0', 0x80, '\n'};  // 李娜,3,80€
    auto r = ImportRosterCsv(gbk);
    REQUIRE(r.ok());
    CHECK(r->detected_encoding == "GB18030");
    REQUIRE(r->entries.size() == 1);
    CHECK(r->entries[0].name == "李娜");
    CHECK(r->entries[0].note == "80€");
}

TEST_CASE("a GB18030 two-byte character whose trail byte is 0x80 is not mistaken for €")
{
    // 0x81 0x80 is one character (U+4E90 亐); only a lone 0x80 means €.
    const Bytes gb = {0xCB, 0xEF, 0x81, 0x80, ',', '9', '\n'};
    auto r = ImportRosterCsv(gb);
    REQUIRE(r.ok());
    REQUIRE(r->entries.size() == 1);
    CHECK(r->entries[0].name == "孙亐");
}

TEST_CASE("a UTF-16LE file with BOM, tab-separated like Excel's Unicode text, imports")
{
    auto r = ImportRosterCsv(ReadData("roster_utf16le.txt"));
    REQUIRE(r.ok());
    CHECK(r->detected_encoding == "UTF-16LE");
    REQUIRE(r->entries.size() == 3);
    CHECK(r->entries[0].name == "刘洋");
    CHECK(r->entries[0].id == "2001");
    CHECK(r->entries[1].name == "陈静");
    CHECK(r->entries[1].note == "组织委员");
    CHECK(r->entries[2].name == "杨帆");
}

TEST_CASE("a UTF-16BE file with BOM imports, surrogate pairs included")
{
    // FE FF, then 杨 6768 帆 5E06 , 0031 LF, 吉 5409 𠮷 D842 DFB7 LF
    const Bytes be = {0xFE, 0xFF, 0x67, 0x68, 0x5E, 0x06, 0x00, ',',  0x00, '1',
                      0x00, '\n', 0x54, 0x09, 0xD8, 0x42, 0xDF, 0xB7, 0x00, '\n'};
    auto r = ImportRosterCsv(be);
    REQUIRE(r.ok());
    CHECK(r->detected_encoding == "UTF-16BE");
    REQUIRE(r->entries.size() == 2);
    CHECK(r->entries[0].name == "杨帆");
    CHECK(r->entries[0].id == "1");
    CHECK(r->entries[1].name == "吉𠮷");
}

TEST_CASE("bytes that are neither UTF-8 nor GB18030 fail with roster.encoding naming the line")
{
    const Bytes bad = {'a', ',', '1', '\n', 'b', ',', '2', '\n', 0xD5, 0xFF, ',', '3', '\n'};
    auto r = ImportRosterCsv(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "roster.encoding");
    CHECK(Contains(r.error().detail, "line 3"));
}

TEST_CASE("UTF-8 lines appended to a GB18030 roster are refused: no private-use character enters a name")
{
    // 姓名 and 张伟 in GB18030, then 马超 in UTF-8: read as GB18030 it was the name 椹\uE103秴,
    // signed into a package.
    const Bytes mixed = {0xD0, 0xD5, 0xC3, 0xFB, '\n', 0xD5, 0xC5, 0xCE, 0xB0,
                         '\n', 0xE9, 0xA9, 0xAC, 0xE8, 0xB6, 0x85, '\n'};
    auto r = ImportRosterCsv(mixed);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "roster.mixed_encoding");
    CHECK(Contains(r.error().detail, "line 3 is UTF-8 but line 1 is not"));
    CHECK(Contains(r.error().detail, "GB18030"));
    // A private-use character never enters a name, however it got into the file.
    CHECK(ImportFails("姓名\n张\xEE\x80\x80\n").code == "roster.encoding");   // U+E000 in UTF-8
    CHECK(Contains(ImportFails("姓名\n张\xEF\xBF\xBD\n").detail, "U+FFFD"));  // refused as invisible already
}

TEST_CASE("a UTF-8 header on GB18030 rows is refused as a mix of encodings, not as a number for a name")
{
    // 姓名,编号 in UTF-8, then 张伟,1 in GB18030: read as GB18030 the header was garbled and
    // the message spoke of a name "1".
    const Bytes mixed = {0xE5, 0xA7, 0x93, 0xE5, 0x90, 0x8D, ',',  0xE7, 0xBC, 0x96, 0xE5,
                         0x8F, 0xB7, '\n', 0xD5, 0xC5, 0xCE, 0xB0, ',',  '1',  '\n'};
    auto r = ImportRosterCsv(mixed);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "roster.mixed_encoding");
    CHECK(Contains(r.error().detail, "line 1 is UTF-8 but line 2 is not"));
}

TEST_CASE("600 random GB2312 names in GB18030 are not taken for a mix of encodings")
{
    // Made with Python's gb18030 codec: names of 2 and 3 characters drawn at random from the
    // 3,755 characters of GB 2312 level 1, with Chinese categories. A line of GB18030 text is
    // seldom valid UTF-8, and one with a three-byte UTF-8 character hardly ever.
    auto r = ImportRosterCsv(ReadData("roster_gb18030_600.csv"));
    REQUIRE(r.ok());
    CHECK(r->detected_encoding == "GB18030");
    CHECK(r->entries.size() == 600);
}

TEST_CASE("an unpaired UTF-16 surrogate and invalid UTF-8 after a BOM are encoding errors")
{
    const Bytes lone = {0xFF, 0xFE, 'a', 0x00, '\n', 0x00, 0x00, 0xD8, ',', 0x00};
    auto r1 = ImportRosterCsv(lone);
    REQUIRE_FALSE(r1.ok());
    CHECK(r1.error().code == "roster.encoding");
    CHECK(Contains(r1.error().detail, "line 2"));

    const Bytes bom_bad = {0xEF, 0xBB, 0xBF, 'a', '\n', 0xC0, 0x80, '\n'};
    auto r2 = ImportRosterCsv(bom_bad);
    REQUIRE_FALSE(r2.ok());
    CHECK(r2.error().code == "roster.encoding");
    CHECK(Contains(r2.error().detail, "line 2"));
}

TEST_CASE("a NUL byte is refused as probable UTF-16 without a byte-order mark")
{
    const Bytes utf16_no_bom = {0x20, 0x52, 0x0B, 0x6D, '\n', 0x00};  // 刘洋 LF in UTF-16LE
    const Error e = ImportRosterCsv(utf16_no_bom).error();
    CHECK(e.code == "roster.encoding");
    CHECK(Contains(e.detail, "NUL"));
}

TEST_CASE("a whole GB18030 roster is never taken for UTF-8 even when one line would pass")
{
    // 茅 is C3 A9 in GB18030, which alone is valid UTF-8 (é). The decision is per file.
    const Bytes gb = {0xD5, 0xC5, 0xCE, 0xB0, '\n', 0xC3, 0xA9, '\n'};  // 张伟 / 茅
    auto r = ImportRosterCsv(gb);
    REQUIRE(r.ok());
    CHECK(r->detected_encoding == "GB18030");
    CHECK(Names(*r) == std::vector<std::string>{"张伟", "茅"});
}

TEST_CASE("strict UTF-8 validation rejects overlong forms, surrogates and code points past U+10FFFF")
{
    CHECK(IsValidUtf8("张伟 学 €"));
    CHECK(IsValidUtf8("\xEF\xBF\xBD"));        // U+FFFD itself is fine
    CHECK_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong '/'
    CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));  // U+D800
    CHECK_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));
    CHECK_FALSE(IsValidUtf8("\xE5\xAD"));  // 学 cut short
}

// ---- columns ------------------------------------------------------------------------------

TEST_CASE("header columns are recognised by name in any order")
{
    SUBCASE("Chinese names, note before ID before name")
    {
        const Roster r = ImportOk("备注,编号,姓名\n支委,A1,张伟\n");
        REQUIRE(r.entries.size() == 1);
        CHECK(r.entries[0].name == "张伟");
        CHECK(r.entries[0].id == "A1");
        CHECK(r.entries[0].note == "支委");
    }
    SUBCASE("English names in any case")
    {
        const Roster r = ImportOk("ID,Remark,NAME\n42,new,王芳\n");
        REQUIRE(r.entries.size() == 1);
        CHECK(r.entries[0].name == "王芳");
        CHECK(r.entries[0].id == "42");
        CHECK(r.entries[0].note == "new");
    }
    SUBCASE("序号 is ignored, 学号 is the ID, spaced 姓 名 matches, unknown columns warn")
    {
        const Roster r = ImportOk("序号,部门,姓　名,学号\n1,办公室,李娜,2023001\n");
        REQUIRE(r.entries.size() == 1);
        CHECK(r.entries[0].name == "李娜");
        CHECK(r.entries[0].id == "2023001");
        CHECK(r.entries[0].note.empty());
        REQUIRE(r.warnings.size() == 1);
        CHECK(r.warnings[0].code == "roster.column_ignored");
        CHECK(r.warnings[0].line == 1);
        CHECK(Contains(r.warnings[0].detail, "部门"));
    }
    SUBCASE("a second ID column is ignored with a warning, the first one is used")
    {
        const Roster r = ImportOk("姓名,工号,身份证号\n刘洋,88,110101199001011234\n");
        REQUIRE(r.entries.size() == 1);
        CHECK(r.entries[0].id == "88");
        REQUIRE(r.warnings.size() == 1);
        CHECK(Contains(r.warnings[0].detail, "身份证号"));
    }
}

TEST_CASE("a tab-separated file with a title line is still read as tab-separated")
{
    const Roster r = ImportOk("党员名单\n姓名\t编号\t备注\n杨帆\t5\t党小组长,宣传\n");
    REQUIRE(r.entries.size() == 1);
    CHECK(r.entries[0].id == "5");
    CHECK(r.entries[0].note == "党小组长,宣传");
}

TEST_CASE("with a header, a value in a column without a heading is ignored with a warning")
{
    const Roster r = ImportOk("姓名\n张伟,1001\n王芳,1002\n");
    CHECK(r.entries[0].id.empty());
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].code == "roster.column_ignored");
    CHECK(r.warnings[0].line == 2);
}

TEST_CASE("a title row above the header is skipped with a warning naming its line")
{
    const Roster r = ImportOk("第一党支部党员名单\n\n姓名,备注\n陈静,组织委员\n");
    REQUIRE(r.entries.size() == 1);
    CHECK(r.entries[0].name == "陈静");
    CHECK(r.entries[0].note == "组织委员");
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].code == "roster.row_skipped");
    CHECK(r.warnings[0].line == 1);
}

TEST_CASE("a header without a name column, or with two, is an error naming its line")
{
    const Error e1 = ImportFails("张伟,1\n序号,编号,备注\n");
    CHECK(e1.code == "roster.header");
    CHECK(Contains(e1.detail, "line 2"));
    const Error e2 = ImportFails("姓名,Name\n张伟,张伟\n");
    CHECK(e2.code == "roster.header");
    CHECK(Contains(e2.detail, "line 1"));
}

TEST_CASE("without a header, columns after the third are ignored with one warning")
{
    const Roster r = ImportOk("张伟,1,a,x\n王芳,2,b,y\n");
    CHECK(r.entries.size() == 2);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].code == "roster.column_ignored");
}

// ---- CSV syntax ---------------------------------------------------------------------------

TEST_CASE("quoted fields keep delimiters, doubled quotes and line breaks")
{
    const Roster r = ImportOk(
        "姓名,编号,备注\n"
        "\"张伟\",\"10,01\",\"他说\"\"好\"\"\"\n"
        "王芳,2,\"第一行\n第二行\"\n"
        "\"\",,\n"
        "李娜,3,\n");
    REQUIRE(r.entries.size() == 3);
    CHECK(r.entries[0].name == "张伟");
    CHECK(r.entries[0].id == "10,01");
    CHECK(r.entries[0].note == "他说\"好\"");
    CHECK(r.entries[1].note == "第一行 第二行");  // a line break in a note becomes a space
    CHECK(r.entries[2].name == "李娜");
}

TEST_CASE("line numbers count the lines inside quoted fields")
{
    // The record on line 5 follows a record spanning lines 2-4.
    const Error e = ImportFails("姓名,备注\n张伟,\"a\nb\nc\"\n,孤立的备注\n");
    CHECK(e.code == "roster.row");
    CHECK(Contains(e.detail, "line 5"));
}

TEST_CASE("CRLF, LF and lone CR line ends give the same roster and line numbers")
{
    for (const char* eol : {"\r\n", "\n", "\r"}) {
        const std::string csv = std::string("姓名,编号") + eol + "张伟,1" + eol + eol + "王芳,2" + eol + "张伟,3" + eol;
        const Roster r = ImportOk(csv);
        CHECK(Names(r) == std::vector<std::string>{"张伟", "王芳", "张伟"});
        REQUIRE(r.warnings.size() == 1);
        CHECK(r.warnings[0].line == 5);
    }
}

TEST_CASE("a quote that is never closed is an error naming the line where it opened")
{
    const Error e = ImportFails("张伟,1\n王芳,\"2\n李娜,3\n");
    CHECK(e.code == "roster.format");
    CHECK(Contains(e.detail, "line 2"));
}

TEST_CASE("text after a closing quote is an error, spaces after it are not")
{
    const Error e = ImportFails("张伟,1\n\"王\"芳,2\n");
    CHECK(e.code == "roster.format");
    CHECK(Contains(e.detail, "line 2"));
    const Roster r = ImportOk("\"王芳\"  ,2\n");
    CHECK(r.entries[0].name == "王芳");
}

TEST_CASE("a quote inside an unquoted field is kept literally")
{
    const Roster r = ImportOk("刘洋,A\"1\n");
    CHECK(r.entries[0].id == "A\"1");
}

TEST_CASE("white space including U+3000 and no-break space is trimmed, blank lines are skipped")
{
    // The note "备注" alone does not make the row a header.
    const Roster r = ImportOk("\n   \n\xE3\x80\x80张伟\xE3\x80\x80, 1001 ,\xC2\xA0备注\t\n,,,\n王芳\n");
    REQUIRE(r.entries.size() == 2);
    CHECK(r.entries[0].name == "张伟");
    CHECK(r.entries[0].id == "1001");
    CHECK(r.entries[0].note == "备注");
    CHECK(r.entries[1].name == "王芳");
}

// ---- row rules ----------------------------------------------------------------------------

TEST_CASE("a row with an empty name but other content is an error naming its line")
{
    const Error e = ImportFails("姓名,编号\n张伟,1\n\n　,2\n");
    CHECK(e.code == "roster.row");
    CHECK(Contains(e.detail, "line 4"));
    CHECK(Contains(e.detail, "name is empty"));
}

TEST_CASE("a template row with only its serial number is skipped with a warning")
{
    const Roster r = ImportOk("序号,姓名\n1,张伟\n2,\n3,\n");
    CHECK(r.entries.size() == 1);
    REQUIRE(r.warnings.size() == 2);
    CHECK(r.warnings[0].code == "roster.row_skipped");
    CHECK(r.warnings[0].line == 3);
    CHECK(r.warnings[1].line == 4);
}

TEST_CASE("a name of 64 characters is accepted and one of 65 is an error naming the line")
{
    std::string name64;
    for (int i = 0; i < 64; ++i) {
        name64 += "学";
    }
    CHECK(ImportOk(name64 + "\n").entries[0].name == name64);
    const Error e = ImportFails("张伟\n" + name64 + "学\n");
    CHECK(e.code == "roster.row");
    CHECK(Contains(e.detail, "line 2"));
    CHECK(Contains(e.detail, "64"));
}

TEST_CASE("control and invisible characters in a name are errors")
{
    for (const char* bad :
         {"张\x01伟", "张\x7F伟", "王\xC2\x85芳", "\xE2\x80\xAE李娜", "刘\xE2\x80\x8D洋", "\"陈\n静\""}) {
        const Error e = ImportFails(std::string("杨帆\n") + bad + "\n");
        CHECK(e.code == "roster.row");
        CHECK(Contains(e.detail, "line 2"));
        CHECK(Contains(e.detail, "U+"));
    }
    // The same characters are refused in an ID.
    CHECK(ImportFails("杨帆,1\xE2\x80\xAE"
                      "2\n")
              .code == "roster.row");
}

TEST_CASE("a name made only of digits is an error that points to a missing header")
{
    const Error e = ImportFails("1,张伟,1001\n2,王芳,1002\n");
    CHECK(e.code == "roster.row");
    CHECK(Contains(e.detail, "line 1"));
    CHECK(Contains(e.detail, "序号"));
}

TEST_CASE("a question mark in a name is an error that blames Excel's lossy CSV save")
{
    const Error e = ImportFails("张伟\n吉?\n");
    CHECK(e.code == "roster.row");
    CHECK(Contains(e.detail, "line 2"));
    CHECK(Contains(e.detail, "xlsx"));
}

TEST_CASE("an ID or a note that is too long is an error")
{
    CHECK(ImportFails("张伟," + std::string(65, '9') + "\n").code == "roster.row");
    CHECK(ImportFails("张伟,1," + std::string(201, 'x') + "\n").code == "roster.row");
    CHECK(ImportOk("张伟,1," + std::string(200, 'x') + "\n").entries.size() == 1);
}

// ---- duplicates ---------------------------------------------------------------------------

TEST_CASE("duplicate names are a warning naming both lines, not an error")
{
    const Roster r = ImportOk("姓名,编号,备注\n张伟,1001,办公室\n王芳,1002,\n张伟,1003,财务科\n");
    CHECK(r.entries.size() == 3);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].code == "roster.duplicate_name");
    CHECK(r.warnings[0].line == 4);
    CHECK(Contains(r.warnings[0].detail, "line 4"));
    CHECK(Contains(r.warnings[0].detail, "line 2"));
    CHECK(Contains(r.warnings[0].detail, "张伟"));
}

TEST_CASE("an exact duplicate of name and ID is an error naming both lines")
{
    const Error e = ImportFails("张伟,1001\n王芳,1002\n张伟,1001,又一次\n");
    CHECK(e.code == "roster.duplicate");
    CHECK(Contains(e.detail, "line 3"));
    CHECK(Contains(e.detail, "line 1"));
}

TEST_CASE("one ID for two different names is an error")
{
    const Error e = ImportFails("张伟,1001\n王芳,1001\n");
    CHECK(e.code == "roster.duplicate");
    CHECK(Contains(e.detail, "line 2"));
    CHECK(Contains(e.detail, "张伟"));
}

TEST_CASE("the same name without ID is an error unless notes tell the two apart")
{
    const Error e = ImportFails("张伟\n王芳\n张伟\n");
    CHECK(e.code == "roster.duplicate");
    CHECK(Contains(e.detail, "line 3"));
    CHECK(Contains(e.detail, "line 1"));
    const Roster r = ImportOk("张伟,,办公室\n张伟,,财务科\n");
    CHECK(r.entries.size() == 2);
    CHECK(r.warnings.size() == 1);
}

// ---- limits -------------------------------------------------------------------------------

TEST_CASE("a roster with no members is an error")
{
    CHECK(ImportFails("").code == "roster.empty");
    CHECK(ImportFails("\r\n  \r\n,,\r\n").code == "roster.empty");
    CHECK(ImportFails("序号,姓名,编号,备注\n").code == "roster.empty");
    CHECK(ImportFails("\xEF\xBB\xBF").code == "roster.empty");
}

TEST_CASE("1000 members import and the 1001st is an error naming its line")
{
    std::string csv = "姓名,编号\n";
    for (int i = 1; i <= 1000; ++i) {
        csv += "成员" + std::to_string(i) + "," + std::to_string(i) + "\n";
    }
    CHECK(ImportOk(csv).entries.size() == 1000);
    csv += "杨帆,1001\n";
    const Error e = ImportFails(csv);
    CHECK(e.code == "roster.too_many");
    CHECK(Contains(e.detail, "line 1002"));
}

TEST_CASE("an .xlsx or .xls file given as CSV is refused with a clear error")
{
    auto xlsx = ImportRosterCsv(ReadData("roster_excel.xlsx"));
    REQUIRE_FALSE(xlsx.ok());
    CHECK(xlsx.error().code == "roster.format");
    CHECK(Contains(xlsx.error().detail, ".xlsx"));
    const Bytes ole = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0};
    auto xls = ImportRosterCsv(ole);
    REQUIRE_FALSE(xls.ok());
    CHECK(xls.error().code == "roster.format");
}

// ---- .xlsx --------------------------------------------------------------------------------

TEST_CASE("an .xlsx written by libxlsxwriter imports the first sheet with numeric IDs")
{
    auto r = ImportRosterXlsx(ReadData("roster_excel.xlsx"));
    if (!r) {
        INFO(r.error().detail);
    }
    REQUIRE(r.ok());
    CHECK(r->detected_encoding == "xlsx");
    CHECK(Names(*r) == std::vector<std::string>{"张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆"});
    CHECK(r->entries[0].id == "1001");  // a number cell, printed without ".0"
    CHECK(r->entries[0].note == "学习委员");
    CHECK(r->entries[3].note == "退休");
    CHECK(r->entries[4].id.empty());
    CHECK(r->entries[5].id == "1006");
    // Title row 1 skipped; the pre-numbered template row 11 skipped; row numbers as lines.
    REQUIRE(r->warnings.size() == 2);
    CHECK(r->warnings[0].line == 1);
    CHECK(r->warnings[1].line == 11);
}

TEST_CASE("a hand-made .xlsx exercises namespaces, relationships, rich and inline text")
{
    auto sheet = ReadFirstWorksheet(ReadData("roster_handmade.xlsx"));
    REQUIRE(sheet.ok());
    CHECK(sheet->name == "名单");  // the hidden first sheet is passed over
    auto r = ImportRosterXlsx(ReadData("roster_handmade.xlsx"));
    if (!r) {
        INFO(r.error().detail);
    }
    REQUIRE(r.ok());
    REQUIRE(r->entries.size() == 4);
    CHECK(r->entries[0].name == "张伟");  // phonetic run dropped
    CHECK(r->entries[0].id == "1001");
    CHECK(r->entries[0].note == "学习委员");
    CHECK(r->entries[1].name == "王芳");           // two rich-text runs
    CHECK(r->entries[1].id == "1002");             // 1.002E3
    CHECK(r->entries[1].note == "第一行 第二行");  // _x000D__x000A_ decoded, then flattened
    CHECK(r->entries[2].name == "李娜");           // cells without references: A5, B5
    CHECK(r->entries[2].id == "A-17");
    CHECK(r->entries[3].name == "刘洋");
    CHECK(r->entries[3].id == "F-1");  // cached value of a formula string
    CHECK(r->entries[3].note == "3.5");
    // C6 holds a value under no heading.
    REQUIRE(r->warnings.size() == 1);
    CHECK(r->warnings[0].code == "roster.column_ignored");
    CHECK(r->warnings[0].line == 6);
}

TEST_CASE("cells are placed by their references, so an empty cell shifts nothing")
{
    auto sheet = ReadFirstWorksheet(ReadData("roster_handmade.xlsx"));
    REQUIRE(sheet.ok());
    REQUIRE(sheet->rows.size() == 5);
    CHECK(sheet->rows[0].number == 1);
    REQUIRE(sheet->rows[0].cells.size() == 4);
    CHECK(sheet->rows[0].cells[2].empty());  // C1 is absent
    CHECK(sheet->rows[0].cells[3] == "备注");
    CHECK(sheet->rows[3].number == 5);
    CHECK(sheet->rows[4].number == 6);  // <row> without r follows row 5
}

TEST_CASE("a broken or foreign file given as .xlsx fails with roster.xlsx")
{
    const auto expect_xlsx_error = [](const Bytes& bytes, std::string_view detail_part) {
        auto r = ImportRosterXlsx(bytes);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "roster.xlsx");
        CHECK(Contains(r.error().detail, detail_part));
    };
    expect_xlsx_error(ToBytes("姓名,编号\n张伟,1\n"), "zip");
    expect_xlsx_error(Bytes{}, "zip");
    Bytes truncated = ReadData("roster_excel.xlsx");
    truncated.resize(truncated.size() / 2);
    expect_xlsx_error(truncated, "zip");
    expect_xlsx_error(ReadData("not_a_workbook.xlsx"), "not an Excel workbook");
    expect_xlsx_error(ReadData("bad_crc.xlsx"), "checksum");
    expect_xlsx_error(ReadData("doctype.xlsx"), "document type");
    expect_xlsx_error(Bytes{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, "password");
}

TEST_CASE("a hostile workbook is stopped by the row and text budgets, early")
{
    // One shared string of 768 KiB named by 200 cells: 150 MiB if read to the end.
    auto shared = ReadFirstWorksheet(ReadData("hostile_shared.xlsx"));
    REQUIRE_FALSE(shared.ok());
    CHECK(shared.error().code == "xlsx.too_large");
    // 200,000 rows: refused after the first 10,000, with no member list built.
    auto rows = ReadFirstWorksheet(ReadData("hostile_rows.xlsx"));
    REQUIRE_FALSE(rows.ok());
    CHECK(rows.error().code == "xlsx.too_large");
    auto roster = ImportRosterXlsx(ReadData("hostile_rows.xlsx"));
    REQUIRE_FALSE(roster.ok());
    CHECK(roster.error().code == "roster.xlsx");
}

TEST_CASE("Excel numbers are printed as integers when they are integers")
{
    CHECK(FormatXlsxNumber("1001") == "1001");
    CHECK(FormatXlsxNumber("1001.0") == "1001");
    CHECK(FormatXlsxNumber("2.023001E6") == "2023001");
    CHECK(FormatXlsxNumber("-0") == "0");
    CHECK(FormatXlsxNumber("1.5") == "1.5");
    CHECK(FormatXlsxNumber("1.10101199001012E+17") == "1.10101199001012E+17");  // not exact
    CHECK(FormatXlsxNumber("abc") == "abc");
}

// ---- files --------------------------------------------------------------------------------

TEST_CASE("ImportRosterFile chooses the reader by extension, in any case")
{
    TempDir dir;
    auto csv = ImportRosterFile(dir.Write("名单.CSV", ReadData("roster_gb18030.csv")));
    REQUIRE(csv.ok());
    CHECK(csv->detected_encoding == "GB18030");
    CHECK(csv->entries.size() == 4);
    auto xlsx = ImportRosterFile(dir.Write("名单.Xlsx", ReadData("roster_excel.xlsx")));
    REQUIRE(xlsx.ok());
    CHECK(xlsx->entries.size() == 6);
    auto txt = ImportRosterFile(kDataDir / "roster_utf16le.txt");
    REQUIRE(txt.ok());
    CHECK(txt->entries.size() == 3);
}

TEST_CASE("ImportRosterFile reports a missing file or an unknown type as roster.file")
{
    TempDir dir;
    auto missing = ImportRosterFile(dir.path / "没有.csv");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == "roster.file");
    auto xls = ImportRosterFile(dir.Write("old.xls", Bytes{1, 2, 3}));
    REQUIRE_FALSE(xls.ok());
    CHECK(xls.error().code == "roster.file");
    CHECK(Contains(xls.error().detail, ".xls"));
}

TEST_CASE("names outside GB 2312 (GBK-only, Extension A and B) import, and one the PDFs cannot print is refused")
{
    TempDir dir;
    auto ok = ImportRosterFile(kDataDir / "rare-names.csv");
    REQUIRE_MESSAGE(ok.ok(), (ok.ok() ? std::string() : ok.error().detail));
    CHECK(Names(*ok) == std::vector<std::string>{"王喆", "邓堃", "李昇", "张玥", "刘婧", "陈堉", "刘龑", "吉𠮷", "赵㛃",
                                                 "王𪚥", "钱䶵", "孙𠀀"});
    // Line 4: a character of Extension G (plane 3), which no shipped font has.
    const std::string bad = "姓名\n王喆\n吉𠮷\n王\U00030000\n李四\n";
    auto refused = ImportRosterFile(dir.Write("bad.csv", ToBytes(bad)));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "roster.unprintable");
    CHECK(Contains(refused.error().detail, "line 4"));
    CHECK(Contains(refused.error().detail, "\U00030000"));
    CHECK(Contains(refused.error().detail, "U+30000"));
    // An emoji too (plane 1), in an .xlsx-free CSV, on line 2.
    auto emoji = ImportRosterFile(dir.Write("emoji.csv", ToBytes("姓名\n张\U0001F600\n")));
    REQUIRE_FALSE(emoji.ok());
    CHECK(emoji.error().code == "roster.unprintable");
    CHECK(Contains(emoji.error().detail, "line 2"));
    // Without the check (the plain readers), the name is taken as it is.
    CHECK(ImportOk(bad).entries.size() == 4);
}
