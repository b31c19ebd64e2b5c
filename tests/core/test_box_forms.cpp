// The kiosk's opening and closing forms (开箱记录, 关箱记录) and the device list beside the
// opening form (docs/kiosk.md, formats.md §4.12), made from a real box and read back with
// poppler's pdftotext and the verifier.
//
// PINGYI_KEEP_REPORTS=<dir> keeps a copy of the forms, to look at.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/box_forms.hpp"
#include "core/verify.hpp"
#include "crypto/random.hpp"
#include "crypto/sign.hpp"
#include "test_support.hpp"

namespace pingyi {
namespace {

namespace fs = std::filesystem;

#ifdef _WIN32
constexpr bool kNoPoppler = true;  // pdftotext is a Linux tool here
#else
constexpr bool kNoPoppler = false;
#endif

constexpr std::string_view kPin = "135790";
// 2026-11-28 09:14:02 UTC.
const auto kAt = std::chrono::system_clock::time_point(std::chrono::seconds(1795857242));

// One election with two categories, its package and a box of kiosk 1 holding ballots.
struct Meeting {
    Meeting()
        : created(CreateElection(test::SmallElection(4), "correct horse", SystemRng(), test::kFastKdf).value()),
          package(LoadPackage(created.package.Serialize()).value())
    {
    }

    // A new box at `name` with `per_category[c]` ballots cast in category c.
    BallotBox Box(const std::string& name, const std::vector<std::uint32_t>& per_category) const
    {
        BallotBox box = BallotBox::Create(dir / name, package, 1, kPin, SystemRng(), test::kFastKdf).value();
        std::vector<std::uint32_t> left = per_category;
        for (const auto& c : created.codes) {
            if (c.kiosk != 1 || c.category >= left.size() || left[c.category] == 0) continue;
            --left[c.category];
            std::vector<std::uint32_t> choices(package.definition.roster.size(), 1);
            const auto grid = EncryptGrid(package.public_key, package.Shape(), choices,
                                          package.BallotContext(c.category), SystemRng());
            REQUIRE(box.Cast(*NormalizeCode(c.code), grid).ok());
        }
        for (std::uint32_t n : left)
            REQUIRE(n == 0);
        return box;
    }

    test::TempDir dir;
    CreatedElection created;
    ElectionPackage package;
};

void Keep(const fs::path& file)
{
    const char* dir = std::getenv("PINGYI_KEEP_REPORTS");
    if (dir == nullptr || *dir == '\0') return;
    std::error_code ec;
    fs::copy_file(file, fs::path(dir) / file.filename(), fs::copy_options::overwrite_existing, ec);
}

bool Contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

std::size_t Count(const std::string& text, const std::string& part)
{
    std::size_t n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size()))
        ++n;
    return n;
}

// The line of pdftotext's layout that starts with `label` (after spaces), without it.
std::string Row(const std::string& text, const std::string& label)
{
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        const auto start = line.find_first_not_of(' ');
        if (start != std::string::npos && line.compare(start, label.size(), label) == 0) {
            std::istringstream words(line.substr(start + label.size()));
            std::string out, w;
            while (words >> w)
                out += (out.empty() ? "" : " ") + w;
            return out;
        }
    }
    return "(no row " + label + ")";
}

// The device list as the tally reads it: '#' comments and blank lines skipped.
std::vector<std::string> Fingerprints(const fs::path& file)
{
    std::ifstream in(file);
    REQUIRE(in.good());
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#') out.push_back(line);
    return out;
}

TEST_CASE("box forms: the opening form names the election, the kiosk and the device key, with 0 ballots" *
          doctest::skip(kNoPoppler))
{
    Meeting m;
    BallotBox box = m.Box("box.sqlite", {0, 0});
    const BoxIdentity id = IdentifyBox(box);
    CHECK(id.device_short == KeyFingerprint(box.device_public_key()));
    CHECK(id.device_full == ToHex(KeyFingerprintDigest(box.device_public_key())));
    CHECK(id.close_full.empty());

    const auto files = SaveOpeningForm(box, m.dir.path(), FormLanguage::kChinese, kAt);
    REQUIRE_MESSAGE(files.ok(), files.error().detail);
    CHECK(files->opening_form.filename() == "pingyi-00112233-kiosk1-opening.pdf");
    Keep(files->opening_form);
    CHECK_MESSAGE(test::PdfProblems(files->opening_form).empty(), test::PdfProblems(files->opening_form));
    const std::string text = test::PdfText(files->opening_form);
    CHECK(Contains(text, "开箱记录"));
    CHECK(Contains(text, m.package.definition.title));
    CHECK(Row(text, "评议指纹") == ShortFingerprint(m.package.fingerprint));
    CHECK(Row(text, "完整评议指纹") == ToHex(m.package.fingerprint));
    CHECK(Row(text, "投票机编号") == "1");
    CHECK(Row(text, "设备密钥指纹") == id.device_short);
    CHECK(Row(text, "完整设备指纹") == id.device_full);
    CHECK(Row(text, "票箱内选票") == "0 张");
    CHECK(Contains(Row(text, "开箱时间"), "(UTC"));
    CHECK(Count(text, "监票人签名") == 3);
    CHECK(Count(text, "操作员签名") == 1);
    CHECK(Contains(text, "本表只用于测试"));  // a test election says so, in Chinese only

    // The device list: one fingerprint, the full digest, which the verifier takes.
    const auto listed = Fingerprints(files->device_list);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0] == id.device_full);

    // Another box of the same kiosk has another device key: its form differs there.
    BallotBox other = m.Box("other.sqlite", {0, 0});
    const fs::path other_form = m.dir / "other-opening.pdf";
    REQUIRE(WriteOpeningFormPdf(other, other_form, FormLanguage::kChinese, kAt).ok());
    const std::string other_text = test::PdfText(other_form);
    CHECK(Row(other_text, "设备密钥指纹") == IdentifyBox(other).device_short);
    CHECK(Row(other_text, "设备密钥指纹") != id.device_short);
    CHECK_FALSE(Contains(other_text, id.device_full));
}

TEST_CASE("box forms: the closing form shows the ballots per category, the total and the close record" *
          doctest::skip(kNoPoppler))
{
    Meeting m;
    BallotBox box = m.Box("box.sqlite", {3, 2});
    CHECK(SaveClosingForm(box, m.dir.path(), FormLanguage::kChinese, kAt).error().code == "report.input");
    REQUIRE(box.Close().ok());
    const BoxIdentity id = IdentifyBox(box);
    REQUIRE(id.close_full.size() == 64);

    const auto files = SaveClosingForm(box, m.dir.path(), FormLanguage::kChinese, kAt);
    REQUIRE_MESSAGE(files.ok(), files.error().detail);
    Keep(files->closing_form);
    CHECK_MESSAGE(test::PdfProblems(files->closing_form).empty(), test::PdfProblems(files->closing_form));
    const std::string text = test::PdfText(files->closing_form);
    CHECK(Contains(text, "关箱记录"));
    CHECK(Row(text, "评议指纹") == ShortFingerprint(m.package.fingerprint));
    CHECK(Row(text, "投票机编号") == "1");
    CHECK(Row(text, "设备密钥指纹") == id.device_short);
    CHECK(Row(text, "完整设备指纹") == id.device_full);
    CHECK(Row(text, "关箱记录指纹") == id.close_short);
    CHECK(Row(text, "完整关箱记录指纹") == id.close_full);
    // Codes of kiosk 1 per category (SmallElection: 6 党员, 4 群众代表) and ballots cast.
    CHECK(Row(text, "党员") == "6 3 张");
    CHECK(Row(text, "群众代表") == "4 2 张");
    CHECK(Row(text, "合计") == "10 5 张");
    CHECK(Count(text, "监票人签名") == 3);

    // The close record on the form is the one the verifier prints and the results carry.
    const fs::path exported = m.dir / "exported.sqlite";
    REQUIRE(box.Export(exported).ok());
    Audit audit = VerifyElection(m.created.package.Serialize(), {exported});
    const CheckLine* close = audit.report.Find("box.close");
    REQUIRE(close != nullptr);
    CHECK(close->ok);
    CHECK(Contains(close->detail, "close record " + id.close_short));
    REQUIRE(audit.boxes.size() == 1);
    CHECK(ToHex(audit.boxes[0].close_hash) == id.close_full);

    // Another box with other ballots closes with another record and another device key.
    BallotBox other = m.Box("other.sqlite", {1, 0});
    REQUIRE(other.Close().ok());
    const fs::path other_form = m.dir / "other-closing.pdf";
    REQUIRE(WriteClosingFormPdf(other, other_form, FormLanguage::kChinese, kAt).ok());
    const std::string other_text = test::PdfText(other_form);
    CHECK(Row(other_text, "关箱记录指纹") == IdentifyBox(other).close_short);
    CHECK(Row(other_text, "关箱记录指纹") != id.close_short);
    CHECK(Row(other_text, "设备密钥指纹") != id.device_short);
    CHECK(Row(other_text, "合计") == "10 1 张");
}

TEST_CASE("box forms: in English, with the same fingerprints" * doctest::skip(kNoPoppler))
{
    Meeting m;
    BallotBox box = m.Box("box.sqlite", {1, 1});
    REQUIRE(box.Close().ok());
    const BoxIdentity id = IdentifyBox(box);
    const fs::path opening = m.dir / "opening-en.pdf", closing = m.dir / "closing-en.pdf";
    REQUIRE(WriteOpeningFormPdf(box, opening, FormLanguage::kEnglish, kAt).ok());
    REQUIRE(WriteClosingFormPdf(box, closing, FormLanguage::kEnglish, kAt).ok());
    Keep(opening);
    Keep(closing);
    for (const fs::path& pdf : {opening, closing}) {
        CHECK_MESSAGE(test::PdfProblems(pdf).empty(), test::PdfProblems(pdf));
        const std::string text = test::PdfText(pdf);
        CHECK(Row(text, "Device key fingerprint") == id.device_short);
        CHECK(Row(text, "Full device fingerprint") == id.device_full);
        CHECK(Row(text, "Voting machine") == "1");
        CHECK(Count(text, "Teller (监票人) signature") == 3);
        CHECK(Count(text, "Operator signature") == 1);
    }
    const std::string text = test::PdfText(closing);
    CHECK(Row(text, "Close record fingerprint") == id.close_short);
    CHECK(Row(text, "Total") == "10 2");
}

TEST_CASE("box forms: the device list registers its box with the verifier and no other box")
{
    Meeting m;
    BallotBox box = m.Box("box.sqlite", {1, 0});
    REQUIRE(box.Close().ok());
    const auto files = SaveOpeningForm(box, m.dir.path(), FormLanguage::kEnglish, kAt);
    REQUIRE(files.ok());
    const auto listed = Fingerprints(files->device_list);
    REQUIRE(listed.size() == 1);

    // A fabricated box for the same kiosk: a fresh device key, not on the list.
    BallotBox fake = m.Box("fake.sqlite", {1, 0});
    REQUIRE(fake.Close().ok());
    for (const auto& [name, registered] : {std::pair{"box.sqlite", true}, std::pair{"fake.sqlite", false}}) {
        CAPTURE(name);
        Audit audit = VerifyElection(m.created.package.Serialize(), {m.dir / name});
        CheckExpectedDevices(audit, listed);
        const CheckLine* line = audit.report.Find("boxes.registered");
        REQUIRE(line != nullptr);
        CHECK(line->ok == registered);
    }

    // A folder that is not there is refused, with nothing written.
    CHECK(SaveOpeningForm(box, m.dir / "no-such-stick", FormLanguage::kChinese, kAt).error().code == "report.write");
}

}  // namespace
}  // namespace pingyi
