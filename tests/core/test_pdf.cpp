// The PDF layer and the voting-code slips, checked through independent tools: poppler
// (pdftoppm, pdftotext, pdffonts, pdfinfo) reads and renders the files and zbar decodes
// the QR codes from the rendered pages.
#include <doctest/doctest.h>

#include <sys/stat.h>
#ifndef _WIN32
#include <unistd.h>
#endif

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/font_locator.hpp"
#include "core/pdf.hpp"
#include "core/slips.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace pingyi;

namespace {

#ifdef _WIN32
// poppler and zbar are Linux tools called through a POSIX shell: the cases that read
// PDFs back through them are skipped on Windows (and reported as skipped).
constexpr bool kNoPosixTools = true;
void SetEnv(const char* name, const std::string& value)
{
    _putenv_s(name, value.c_str());
}
void UnsetEnv(const char* name)
{
    _putenv_s(name, "");
}
#else
constexpr bool kNoPosixTools = false;
void SetEnv(const char* name, const std::string& value)
{
    ::setenv(name, value.c_str(), 1);
}
void UnsetEnv(const char* name)
{
    ::unsetenv(name);
}
#endif

class TempDir {
  public:
    TempDir()
    {
#ifdef _WIN32
        // No mkdtemp: a random name, created only if it did not exist.
        std::random_device rd;
        for (int attempt = 0; attempt < 100 && m_path.empty(); ++attempt) {
            const fs::path p = fs::temp_directory_path() / ("pingyi-pdf-" + std::to_string(rd()));
            if (fs::create_directory(p)) m_path = p;
        }
        if (m_path.empty()) {
            FAIL("cannot create a temporary directory");
        }
#else
        std::string templ = (fs::temp_directory_path() / "pingyi-pdf-XXXXXX").string();
        if (mkdtemp(templ.data()) == nullptr) {
            FAIL("cannot create a temporary directory");
        }
        m_path = templ;
#endif
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir()
    {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    [[nodiscard]] const fs::path& path() const
    {
        return m_path;
    }
    fs::path operator/(const std::string& name) const
    {
        return m_path / name;
    }

  private:
    fs::path m_path;
};

bool HaveTool(const std::string& tool)
{
    return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

// Runs a shell command; returns its standard output (standard error is discarded).
std::string Run(const std::string& command)
{
    std::string out;
    FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) {
        out.append(buf.data(), n);
    }
    pclose(pipe);
    return out;
}

std::string Quote(const fs::path& p)
{
    return "'" + p.string() + "'";
}

std::size_t CountOf(const std::string& haystack, const std::string& needle)
{
    std::size_t count = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + needle.size())) {
        ++count;
    }
    return count;
}

std::vector<std::string> Lines(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            out.push_back(line);
        }
    }
    return out;
}

int PdfPages(const fs::path& pdf)
{
    for (const std::string& line : Lines(Run("pdfinfo " + Quote(pdf)))) {
        if (line.rfind("Pages:", 0) == 0) {
            return std::atoi(line.c_str() + 6);
        }
    }
    return -1;
}

// Codes in the style of the election's codes: four groups of four from an alphabet
// without look-alikes, made deterministically.
std::string MakeCode(unsigned seed)
{
    static constexpr std::string_view kAlphabet = "23456789ACDEFGHJKLMNPQRTUVWXY";
    std::string code;
    unsigned x = seed * 2654435761U + 12345U;
    for (int i = 0; i < 16; ++i) {
        if (i > 0 && i % 4 == 0) {
            code.push_back('-');
        }
        x = x * 1103515245U + 12345U;
        code.push_back(kAlphabet[(x >> 16) % kAlphabet.size()]);
    }
    return code;
}

constexpr const char* kTitle = "2024年度民主评议党员 学习优秀";
constexpr const char* kFingerprint = "3f9a 71c2 0be4 55d8 9a10 c7e3 2b6f 84d1 0e5a 7c39 b2f8 61ad 4e07 93c5 d8b2 1f6e";

// 12 slips: 8 党员, 3 团员青年代表, 1 群众代表 -> pages of 8, 3 and 1 slips.
SlipSheet TwelveSlips(bool test_mode)
{
    SlipSheet sheet;
    sheet.title = kTitle;
    sheet.organization = "中共示范大学计算机学院第一党支部";
    sheet.date = "2024年12月20日";
    sheet.fingerprint = kFingerprint;
    sheet.test_mode = test_mode;
    for (unsigned i = 0; i < 12; ++i) {
        CodeSlip slip;
        slip.code = MakeCode(i);
        slip.category = i < 8 ? "党员" : (i < 11 ? "团员青年代表" : "群众代表");
        slip.kiosk = i == 11 ? "kiosk-2" : "";
        sheet.slips.push_back(slip);
    }
    return sheet;
}

fs::path Font()
{
    Result<fs::path> font = LocateFont();
    REQUIRE_MESSAGE(font.ok(), (font.ok() ? "" : font.error().detail));
    return *font;
}

bool HavePoppler()
{
    for (const char* tool : {"pdftoppm", "pdftotext", "pdffonts", "pdfinfo", "zbarimg"}) {
        if (!HaveTool(tool)) {
            WARN_MESSAGE(false, (std::string(tool) + " is not installed; skipping"));
            return false;
        }
    }
    return true;
}

// Reads a binary PGM (P5, 8-bit) as written by `pdftoppm -gray`.
struct Gray {
    int w = 0, h = 0;
    std::vector<unsigned char> px;
    [[nodiscard]] double DarkShare(int x0, int y0, int x1, int y1) const
    {
        long dark = 0;
        long all = 0;
        for (int y = std::max(y0, 0); y < std::min(y1, h); ++y) {
            for (int x = std::max(x0, 0); x < std::min(x1, w); ++x) {
                dark += px[static_cast<std::size_t>(y * w + x)] < 128 ? 1 : 0;
                ++all;
            }
        }
        return all == 0 ? 0.0 : static_cast<double>(dark) / static_cast<double>(all);
    }
    [[nodiscard]] Gray Crop(int x0, int y0, int cw, int ch) const
    {
        Gray out;
        out.w = std::max(0, std::min(cw, w - x0));
        out.h = std::max(0, std::min(ch, h - y0));
        for (int y = y0; y < y0 + out.h; ++y) {
            const auto row = px.begin() + static_cast<std::ptrdiff_t>(y * w + x0);
            out.px.insert(out.px.end(), row, row + out.w);
        }
        return out;
    }
};

void WritePgm(const Gray& g, const fs::path& file)
{
    std::ofstream out(file, std::ios::binary);
    out << "P5\n" << g.w << " " << g.h << "\n255\n";
    out.write(reinterpret_cast<const char*>(g.px.data()), static_cast<std::streamsize>(g.px.size()));
}

Gray ReadPgm(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::string magic;
    int maxval = 0;
    Gray g;
    in >> magic >> g.w >> g.h >> maxval;
    in.get();
    REQUIRE(magic == "P5");
    REQUIRE(maxval == 255);
    g.px.resize(static_cast<std::size_t>(g.w) * static_cast<std::size_t>(g.h));
    in.read(reinterpret_cast<char*>(g.px.data()), static_cast<std::streamsize>(g.px.size()));
    REQUIRE(in.good());
    return g;
}

}  // namespace

TEST_CASE("every code on a slips PDF decodes back exactly from the QR code on its own slip" *
          doctest::skip(kNoPosixTools))
{
    if (!HavePoppler()) {
        return;
    }
    TempDir tmp;
    const SlipSheet sheet = TwelveSlips(/*test_mode=*/false);
    const fs::path pdf = tmp / "slips.pdf";
    const Status st = WriteCodeSlipsPdf(sheet, pdf, Font());
    REQUIRE_MESSAGE(st.ok(), (st.ok() ? "" : st.error().detail));

    // A new page per category: 8 党员 + 3 团员青年代表 + 1 群众代表 -> 3 pages.
    CHECK(CodeSlipPageCount(sheet) == 3);
    CHECK(PdfPages(pdf) == 3);
    Run("pdftoppm -png -r 150 " + Quote(pdf) + " " + Quote(tmp / "page"));
    std::vector<fs::path> pngs;
    for (const auto& entry : fs::directory_iterator(tmp.path())) {
        if (entry.path().extension() == ".png") {
            pngs.push_back(entry.path());
        }
    }
    std::sort(pngs.begin(), pngs.end());
    REQUIRE(pngs.size() == 3);

    // zbar misses some of ten QR codes aligned on one page (a kiosk scanner sees one
    // slip at a time), so whole pages only must not yield anything unexpected...
    std::vector<std::string> expected;
    for (const CodeSlip& slip : sheet.slips) {
        expected.push_back(slip.code);
    }
    for (const fs::path& png : pngs) {
        for (const std::string& code : Lines(Run("zbarimg -q --raw " + Quote(png)))) {
            CHECK(std::find(expected.begin(), expected.end(), code) != expected.end());
        }
    }
    // ...and each slip, cut out of the page rendered at 150 dpi, must decode to exactly
    // its own code, and the first unused place on a page to nothing.
    const std::array<std::size_t, 3> first_slip{0, 8, 11};
    const std::array<std::size_t, 3> per_page{8, 3, 1};
    constexpr float kScale = 150.0f / 72.0f;
    Run("pdftoppm -gray -r 150 " + Quote(pdf) + " " + Quote(tmp / "gray"));
    std::vector<std::string> decoded;
    for (std::size_t page = 0; page < 3; ++page) {
        const Gray g = ReadPgm(tmp / ("gray-" + std::to_string(page + 1) + ".pgm"));
        for (std::size_t k = 0; k <= per_page[page] && k < kSlipsPerPage; ++k) {
            const pdf::Rect cell = CodeSlipCell(k);
            const auto px = [&](float points) { return static_cast<int>(points * kScale); };
            const fs::path crop = tmp / "cell.pgm";
            WritePgm(g.Crop(px(cell.x), px(cell.y), px(cell.w), px(cell.h)), crop);
            const std::vector<std::string> codes = Lines(Run("zbarimg -q --raw " + Quote(crop)));
            INFO("page " << page + 1 << ", slip " << k + 1);
            if (k < per_page[page]) {
                REQUIRE(codes.size() == 1);
                CHECK(codes[0] == sheet.slips[first_slip[page] + k].code);
                decoded.push_back(codes[0]);
            } else {
                CHECK(codes.empty());
            }
        }
    }
    std::sort(expected.begin(), expected.end());
    std::sort(decoded.begin(), decoded.end());
    CHECK(decoded == expected);
}

TEST_CASE("a slips PDF embeds its Chinese font and its text extracts as the codes and titles" *
          doctest::skip(kNoPosixTools))
{
    if (!HavePoppler()) {
        return;
    }
    TempDir tmp;
    const SlipSheet sheet = TwelveSlips(false);
    const fs::path pdf = tmp / "slips.pdf";
    REQUIRE(WriteCodeSlipsPdf(sheet, pdf, Font()).ok());
    // Well formed to independent readers: a valid ToUnicode CMap, sound structure.
    CHECK_MESSAGE(test::PdfProblems(pdf).empty(), test::PdfProblems(pdf));

    const std::vector<std::string> fonts = Lines(Run("pdffonts " + Quote(pdf)));
    REQUIRE(fonts.size() >= 3);  // two header lines, then one line per font
    for (std::size_t i = 2; i < fonts.size(); ++i) {
        std::istringstream cols(fonts[i]);
        std::string name, type1, type2, encoding, emb;
        cols >> name >> type1 >> type2 >> encoding >> emb;
        INFO(fonts[i]);
        CHECK(type2 == "TrueType");
        CHECK(emb == "yes");
    }

    const std::string text = Run("pdftotext -enc UTF-8 " + Quote(pdf) + " -");
    for (const CodeSlip& slip : sheet.slips) {
        INFO(slip.code);
        CHECK(CountOf(text, slip.code) == 1);
    }
    CHECK(CountOf(text, kTitle) >= 12);
    CHECK(CountOf(text, "团员青年代表") >= 3);
    CHECK(CountOf(text, "党员") >= 8);
    CHECK(CountOf(text, "每码只能使用一次") == 12);
    CHECK(CountOf(text, "kiosk-2") == 1);
    CHECK(text.find("3f9a 71c2") != std::string::npos);
}

TEST_CASE("test-mode slips carry the test mark on every slip and page, official slips never" *
          doctest::skip(kNoPosixTools))
{
    if (!HavePoppler()) {
        return;
    }
    TempDir tmp;
    const fs::path test_pdf = tmp / "test.pdf";
    const fs::path official_pdf = tmp / "official.pdf";
    REQUIRE(WriteCodeSlipsPdf(TwelveSlips(true), test_pdf, Font()).ok());
    REQUIRE(WriteCodeSlipsPdf(TwelveSlips(false), official_pdf, Font()).ok());

    const std::string test_text = Run("pdftotext -enc UTF-8 " + Quote(test_pdf) + " -");
    const std::string official_text = Run("pdftotext -enc UTF-8 " + Quote(official_pdf) + " -");
    CHECK(CountOf(test_text, "非正式评议") == 12 + 3);  // each slip and each page header
    CHECK(CountOf(test_text, "TEST") == 12 + 3);
    CHECK(CountOf(test_text, "评议指纹") == 12);
    CHECK(CountOf(test_text, "选举") == 0);
    CHECK(CountOf(official_text, "测试") == 0);
    CHECK(CountOf(official_text, "TEST") == 0);
    CHECK(CountOf(official_text, "非正式") == 0);
}

TEST_CASE("the PDF layer draws Chinese glyphs such as 学 and 优秀 instead of leaving them blank" *
          doctest::skip(kNoPosixTools))
{
    // The libharu trap (docs: reports notes): with some fonts these come out blank.
    if (!HaveTool("pdftoppm")) {
        WARN_MESSAGE(false, "pdftoppm is not installed; skipping");
        return;
    }
    TempDir tmp;
    Result<pdf::Document> doc = pdf::Document::Create(Font());
    REQUIRE(doc.ok());
    pdf::Page page = doc->AddPage();
    pdf::TextStyle big;
    big.size = 150;
    // Three glyph cells 150 pt square, top row: 学 | 优 | 秀; bottom left stays empty.
    page.Text(50, 200, "学优秀", big);
    REQUIRE(doc->Save(tmp / "glyphs.pdf").ok());
    Run("pdftoppm -gray -r 36 -singlefile " + Quote(tmp / "glyphs.pdf") + " " + Quote(tmp / "glyphs"));
    const Gray g = ReadPgm(tmp / "glyphs.pgm");
    // At 36 dpi one point is half a pixel: a cell is 75 px wide, from y = 35 to 109 px.
    // With an affected font whole glyphs vanish, or parts: Droid Sans Fallback draws
    // the top of 秀 (禾) but not its bottom (乃), so both halves of each cell must have ink
    // (measured: 0.12-0.23 here, 0.024 for the lost half).
    for (int cell = 0; cell < 3; ++cell) {
        const int x0 = 25 + cell * 75;
        INFO("glyph " << cell);
        CHECK(g.DarkShare(x0 + 5, 35, x0 + 70, 72) > 0.06);
        CHECK(g.DarkShare(x0 + 5, 72, x0 + 70, 109) > 0.06);
    }
    CHECK(g.DarkShare(25, 200, 250, 350) == 0.0);
}

TEST_CASE(
    "names with Extension A and B and GBK-only characters print: pdftotext reads them back, and each glyph "
    "has ink and is not 〓" *
    doctest::skip(kNoPosixTools))
{
    if (!HaveTool("pdftoppm") || !HaveTool("pdftotext")) {
        WARN_MESSAGE(false, "poppler-utils are not installed; skipping");
        return;
    }
    TempDir tmp;
    Result<pdf::Document> doc = pdf::Document::Create(Font());
    REQUIRE(doc.ok());
    // GBK-only (outside GB 2312): 喆 堃 昇 玥 堉 龑; Extension A: 㐀 䶵 㛃; Extension B: 𠮷 𪚥 𠀀.
    const std::vector<std::string> names = {"王喆", "邓堃", "李昇", "张玥", "刘婧", "陈堉",
                                            "刘龑", "吉𠮷", "王𪚥", "㐀䶵", "赵㛃", "𠀀学"};
    pdf::Page page = doc->AddPage();
    pdf::TextStyle st;
    st.size = 14;
    for (std::size_t i = 0; i < names.size(); ++i)
        page.Text(40, 60 + 20 * static_cast<float>(i), names[i], st);
    CHECK(doc->MissingGlyphs("王喆邓堃李昇张玥刘婧陈堉刘龑吉𠮷王𪚥㐀䶵赵㛃𠀀学").empty());
    // One big cell per rare character, and 〓 last, for the bitmaps.
    const std::vector<std::string> rare = {"喆", "堃", "昇", "玥", "堉", "龑", "𠮷", "𪚥", "㐀", "䶵", "〓"};
    pdf::Page cells = doc->AddPage();
    pdf::TextStyle big;
    big.size = 100;
    for (std::size_t i = 0; i < rare.size(); ++i)
        cells.Text(50 + 120 * static_cast<float>(i % 4), 150 + 150 * static_cast<float>(i / 4), rare[i], big);
    REQUIRE(doc->Save(tmp / "names.pdf").ok());
    CHECK_MESSAGE(test::PdfProblems(tmp / "names.pdf").empty(), test::PdfProblems(tmp / "names.pdf"));

    std::string text = Run("pdftotext -enc UTF-8 -f 1 -l 1 " + Quote(tmp / "names.pdf") + " -");
    std::vector<std::string> lines;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t nl = text.find('\n', at);
        std::string line = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
        if (!line.empty() && line != "\f") lines.push_back(line);
        if (nl == std::string::npos) break;
        at = nl + 1;
    }
    CHECK(lines == names);
    const std::string fonts = Run("pdffonts " + Quote(tmp / "names.pdf"));
    MESSAGE("fonts:\n" << fonts);
    CHECK(fonts.find("HanaMinB") != std::string::npos);  // plane 2 has its own font

    // At 36 dpi a cell is 60 px apart, glyphs 50 px: top-left of cell i at (25 + 60 c, 50 + 75 r - 44).
    Run("pdftoppm -gray -r 36 -f 2 -l 2 -singlefile " + Quote(tmp / "names.pdf") + " " + Quote(tmp / "cells"));
    const Gray g = ReadPgm(tmp / "cells.pgm");
    const auto cell = [&](std::size_t i) {
        const int x = 25 + 60 * static_cast<int>(i % 4);
        const int y = 75 + 75 * static_cast<int>(i / 4) - 44;
        return g.Crop(x, y, 52, 52);
    };
    const Gray geta = cell(rare.size() - 1);
    CHECK(geta.DarkShare(0, 0, 52, 52) > 0.05);
    for (std::size_t i = 0; i + 1 < rare.size(); ++i) {
        INFO("character " << rare[i]);
        const Gray c = cell(i);
        CHECK(c.DarkShare(0, 0, 52, 26) > 0.03);  // both halves have ink: nothing lost
        CHECK(c.DarkShare(0, 26, 52, 52) > 0.03);
        long differ = 0;
        for (std::size_t k = 0; k < c.px.size() && k < geta.px.size(); ++k)
            differ += (c.px[k] < 128) != (geta.px[k] < 128) ? 1 : 0;
        CHECK(static_cast<double>(differ) / static_cast<double>(c.px.size()) > 0.05);  // not 〓
    }
}

TEST_CASE("writing slips into a directory that does not exist gives pdf.write and no file")
{
    TempDir tmp;
    const fs::path out = tmp / "no-such-dir" / "slips.pdf";
    const Status st = WriteCodeSlipsPdf(TwelveSlips(false), out, Font());
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == "pdf.write");
    CHECK(st.error().detail.find("does not exist") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
}

TEST_CASE("writing slips where the directory is a file, or onto a directory, gives pdf.write")
{
    TempDir tmp;
    std::ofstream(tmp / "plain-file") << "x";
    const Status under_file = WriteCodeSlipsPdf(TwelveSlips(false), tmp / "plain-file" / "s.pdf");
    REQUIRE_FALSE(under_file.ok());
    CHECK(under_file.error().code == "pdf.write");

    fs::create_directory(tmp / "a-dir");
    const Status onto_dir = WriteCodeSlipsPdf(TwelveSlips(false), tmp / "a-dir");
    REQUIRE_FALSE(onto_dir.ok());
    CHECK(onto_dir.error().code == "pdf.write");
    CHECK(fs::is_directory(tmp / "a-dir"));
}

TEST_CASE("a slips file is readable by its owner only and leaves no temporary file")
{
    TempDir tmp;
    const fs::path out = tmp / "slips.pdf";
#ifndef _WIN32
    const mode_t old_mask = ::umask(022);
    const Status st = WriteCodeSlipsPdf(TwelveSlips(false), out, Font());
    ::umask(old_mask);
    REQUIRE(st.ok());
    struct stat info {};
    REQUIRE(::stat(out.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
#else
    // No POSIX mode bits on Windows: who may read the file is the ACL of its folder
    // (%ProgramData%\Pingyi, set by the installer). Only the no-temporary-file part runs.
    REQUIRE(WriteCodeSlipsPdf(TwelveSlips(false), out, Font()).ok());
#endif
    CHECK(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()) == 1);

    // Writing again replaces the file.
    REQUIRE(WriteCodeSlipsPdf(TwelveSlips(true), out, Font()).ok());
    CHECK(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()) == 1);
}

TEST_CASE("a missing font file gives pdf.font, whether named directly or by PINGYI_FONT")
{
    TempDir tmp;
    const fs::path font = Font();
    const fs::path out = tmp / "slips.pdf";
    const Status st = WriteCodeSlipsPdf(TwelveSlips(false), out, tmp / "missing.ttf");
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == "pdf.font");
    CHECK(st.error().detail.find("missing.ttf") != std::string::npos);
    CHECK_FALSE(fs::exists(out));

    SetEnv("PINGYI_FONT", (tmp / "also-missing.ttf").string());
    const Result<fs::path> by_env = LocateFont();
    const Status slips_by_env = WriteCodeSlipsPdf(TwelveSlips(false), out);
    // An explicit path wins over the environment.
    const Result<fs::path> explicit_wins = LocateFont(font);
    UnsetEnv("PINGYI_FONT");
    REQUIRE_FALSE(by_env.ok());
    CHECK(by_env.error().code == "pdf.font");
    CHECK(by_env.error().detail.find("PINGYI_FONT") != std::string::npos);
    REQUIRE_FALSE(slips_by_env.ok());
    CHECK(slips_by_env.error().code == "pdf.font");
    CHECK(explicit_wins.ok());
}

TEST_CASE("a file that is not a TrueType font gives pdf.font")
{
    TempDir tmp;
    std::ofstream(tmp / "fake.ttf") << "this is not a font, just some text long enough";
    const Status st = WriteCodeSlipsPdf(TwelveSlips(false), tmp / "s.pdf", tmp / "fake.ttf");
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == "pdf.font");
    CHECK_FALSE(fs::exists(tmp / "s.pdf"));
}

TEST_CASE("the PDF font search path tries the explicit font, PINGYI_FONT, then install dirs")
{
    SetEnv("PINGYI_FONT", "/env/font.ttf");
    const std::vector<fs::path> search = FontSearchPath("/explicit/font.ttf");
    UnsetEnv("PINGYI_FONT");
    REQUIRE(search.size() >= 4);
    CHECK(search[0] == fs::path("/explicit/font.ttf"));
    CHECK(search[1] == fs::path("/env/font.ttf"));
    CHECK(search[2].filename() == "gbsn00lp.ttf");
    CHECK(search[2].parent_path().parent_path().filename() == "pingyi");
    CHECK(search.back() == fs::path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"));
    const Result<fs::path> found = LocateFont();
    REQUIRE(found.ok());
    CHECK(found->filename() == "gbsn00lp.ttf");
}

TEST_CASE("sheets without slips or with an empty code are refused before anything is written")
{
    TempDir tmp;
    SlipSheet empty = TwelveSlips(false);
    empty.slips.clear();
    const Status none = WriteCodeSlipsPdf(empty, tmp / "a.pdf", Font());
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().code == "slips.empty");

    SlipSheet blank = TwelveSlips(false);
    blank.slips[5].code.clear();
    const Status bad = WriteCodeSlipsPdf(blank, tmp / "b.pdf", Font());
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == "slips.code");
    CHECK(fs::is_empty(tmp.path()));
}

TEST_CASE("QR codes for PDFs are encoded with the finder patterns of a QR code")
{
    const Result<pdf::QrMatrix> qr = pdf::EncodeQr("K7QM-3XHP-9TRW-C4NA");
    REQUIRE(qr.ok());
    CHECK(qr->size == 21);  // version 1: 19 alphanumeric characters fit at level M
    // The top-left finder: a dark 7x7 ring around a light ring around a dark 3x3 centre.
    CHECK(qr->At(0, 0));
    CHECK(qr->At(6, 6));
    CHECK_FALSE(qr->At(1, 1));
    CHECK(qr->At(3, 3));
    CHECK_FALSE(qr->At(7, 7));
    CHECK_FALSE(pdf::EncodeQr("").ok());
    CHECK(pdf::EncodeQr("").error().code == "pdf.qr");
}

TEST_CASE("PDF text boxes wrap Chinese between characters and Latin at spaces")
{
    Result<pdf::Document> doc = pdf::Document::Create(Font());
    REQUIRE(doc.ok());
    const pdf::Page page = doc->AddPage();
    pdf::TextStyle st;
    st.size = 10;
    // Hanzi are 1 em wide, ASCII 0.5 em: 20 hanzi at 10 pt are 200 pt.
    CHECK(page.TextWidth("民主评议党员", 10) == doctest::Approx(60));
    CHECK(page.TextWidth("K7QM", 10) == doctest::Approx(20));
    CHECK(page.MeasureText("民主评议党员民主评议党员民主评议党员民主评", 95, st).lines == 3);
    CHECK(page.MeasureText("民主评议党员", 95, st).lines == 1);
    CHECK(page.MeasureText("alpha beta gamma", 50, st).lines == 2);  // 55 pt in all
    CHECK(page.MeasureText("第一行\n第二行", 500, st).lines == 2);
    // Closing punctuation never starts a line: the break moves back one character.
    const pdf::BoxResult r = page.MeasureText("一二三四五六七八九，", 90, st);
    CHECK(r.lines == 2);
}

TEST_CASE("the PDF layer reports characters its font lacks, and not the common ones")
{
    Result<pdf::Document> doc = pdf::Document::Create(Font());
    REQUIRE(doc.ok());
    CHECK(doc->MissingGlyphs("学习优秀党员团员青年代表群众 K7QM-3XHP，。").empty());
    // 堃 (a name character outside GB 2312), 㐀 (Extension A), 𠀀 𠮷 (Extension B): the
    // fallback fonts (fonts-hanazono) have them.
    CHECK(doc->MissingGlyphs("张堃㐀𠀀𠮷喆龑") == U"");
    // Emoji (plane 1) and plane 3 (Extension G) have no font here.
    CHECK(doc->MissingGlyphs("王\U0001F600\U00030000") == U"\U0001F600\U00030000");
    pdf::Page page = doc->AddPage();
    page.Text(50, 50, "张堃 \xe5\xad 𠀀 \xff end \U0001F600");
    CHECK(doc->status().ok());
    CHECK(doc->Serialize().ok());
}

TEST_CASE("a PDF table flows over pages and repeats its header row" * doctest::skip(kNoPosixTools))
{
    if (!HaveTool("pdftotext")) {
        WARN_MESSAGE(false, "pdftotext is not installed; skipping");
        return;
    }
    TempDir tmp;
    Result<pdf::Document> doc = pdf::Document::Create(Font());
    REQUIRE(doc.ok());
    const std::vector<pdf::TableColumn> columns{
        {"姓名", 120, pdf::Align::kLeft},
        {"优秀", 60, pdf::Align::kRight},
        {"合格", 60, pdf::Align::kRight},
        {"参考等次", 100, pdf::Align::kCenter},
    };
    std::vector<std::vector<std::string>> rows;
    for (int i = 0; i < 80; ++i) {
        rows.push_back({"成员" + std::to_string(i), std::to_string(i % 7), std::to_string(i % 5), "合格"});
    }
    int extra_pages = 0;
    const pdf::Cursor end =
        pdf::DrawTable(*doc, pdf::Cursor{doc->AddPage(), 60}, 40, pdf::kA4Height - 40, columns, rows, {}, [&]() {
            ++extra_pages;
            return pdf::Cursor{doc->AddPage(), 40};
        });
    CHECK(extra_pages >= 1);
    CHECK(doc->PageCount() == static_cast<std::size_t>(extra_pages) + 1);
    CHECK(end.y <= pdf::kA4Height - 40);
    REQUIRE(doc->Save(tmp / "table.pdf").ok());
    const std::string last_page =
        Run("pdftotext -enc UTF-8 -f " + std::to_string(extra_pages + 1) + " " + Quote(tmp / "table.pdf") + " -");
    CHECK(last_page.find("参考等次") != std::string::npos);
    CHECK(last_page.find("成员79") != std::string::npos);
}

TEST_CASE("a PDF document with nothing drawn refuses to save instead of writing an empty file")
{
    TempDir tmp;
    Result<pdf::Document> doc = pdf::Document::Create(Font());
    REQUIRE(doc.ok());
    const Status st = doc->Save(tmp / "empty.pdf");
    CHECK_FALSE(st.ok());
    CHECK_FALSE(fs::exists(tmp / "empty.pdf"));
}
