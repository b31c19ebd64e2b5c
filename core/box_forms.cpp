#include "core/box_forms.hpp"

#include <array>
#include <ctime>
#include <string_view>
#include <vector>

#include "core/file_io.hpp"
#include "core/package.hpp"
#include "core/pdf.hpp"
#include "crypto/sign.hpp"

namespace pingyi {

namespace {

namespace fs = std::filesystem;
using pdf::Align;
using pdf::Rect;
using pdf::TextStyle;

constexpr float kMargin = 50;

// "2026-11-28 09:14:02 (UTC+08:00)": the machine's local time with its offset, so that a
// form read elsewhere says when it was made.
std::string LocalTime(std::chrono::system_clock::time_point at)
{
    const std::time_t t = std::chrono::system_clock::to_time_t(at);
    std::tm local{};
    std::tm utc{};
#ifdef _WIN32
    localtime_s(&local, &t);
    gmtime_s(&utc, &t);
#else
    localtime_r(&t, &local);
    gmtime_r(&t, &utc);
#endif
    utc.tm_isdst = 0;
    long offset = static_cast<long>(t - std::mktime(&utc)) + (local.tm_isdst > 0 ? 3600 : 0);
    const char sign = offset < 0 ? '-' : '+';
    if (offset < 0) offset = -offset;
    std::array<char, 80> buf{};
    const std::size_t n = std::strftime(buf.data(), buf.size(), "%Y-%m-%d %H:%M:%S", &local);
    const auto two = [](long v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
    return std::string(buf.data(), n) + " (UTC" + sign + two(offset / 3600 % 100) + ":" + two(offset / 60 % 60) + ")";
}

// The forms' words in both languages.
struct Words {
    std::string_view opening_title, closing_title, test_banner, organization, date, item, value, election_short,
        election_full, kiosk, device_short, device_full, ballots_in_box, ballots_unit, opening_time, closing_time,
        close_short, close_full, category, codes_issued, ballots_cast, total, opening_note, closing_note, teller,
        operator_sign, sign_date, footer_kiosk;
};

constexpr Words kChinese{
    "民主评议党员 开箱记录",
    "民主评议党员 关箱记录",
    "测试 — 本表只用于测试，不是正式评议的记录",
    "单位：",
    "日期：",
    "项目",
    "记录",
    "评议指纹",
    "完整评议指纹",
    "投票机编号",
    "设备密钥指纹",
    "完整设备指纹",
    "票箱内选票",
    " 张",
    "开箱时间",
    "关箱时间",
    "关箱记录指纹",
    "完整关箱记录指纹",
    "类别",
    "本机投票码",
    "收回选票",
    "合计",
    "开箱时，监票人核对投票机屏幕上的评议指纹、投票机编号和设备密钥指纹与本表一致，票箱内选票为 0 张，然后签字。"
    "本表交支部保存。计票时，每个票箱的设备密钥指纹必须是开箱记录上的一个（pingyi verify --expect-device "
    "设备密钥指纹），否则不计票。",
    "关箱时，监票人核对投票机屏幕上的选票数与本表一致，然后签字。本表交支部保存。计票时，交来的票箱必须有本表上的设备"
    "密钥指纹和关箱记录指纹，选票数与本表一致。",
    "监票人签名",
    "操作员签名",
    "日期",
    "投票机",
};

constexpr Words kEnglish{
    "Ballot box opening form (开箱记录)",
    "Ballot box closing form (关箱记录)",
    "TEST — this form is for testing only, not the record of an official vote",
    "Organization: ",
    "Date: ",
    "Item",
    "Record",
    "Election fingerprint",
    "Full election fingerprint",
    "Voting machine",
    "Device key fingerprint",
    "Full device fingerprint",
    "Ballots in the box",
    "",
    "Opened at",
    "Closed at",
    "Close record fingerprint",
    "Full close record fingerprint",
    "Category",
    "Codes of this machine",
    "Ballots cast",
    "Total",
    "At opening, the tellers (监票人) check that the election fingerprint, the machine number and the device key "
    "fingerprint on the machine's screen are those on this form and that the box holds 0 ballots, then sign. The "
    "branch keeps this form. At the tally every box's device key fingerprint must be one written on an opening "
    "form (pingyi verify --expect-device <device key fingerprint>), or nothing is counted.",
    "At closing, the tellers (监票人) check that the number of ballots on the machine's screen is the one on this "
    "form, then sign. The branch keeps this form. At the tally the box handed in must have the device key "
    "fingerprint and the close record fingerprint of this form and these numbers of ballots.",
    "Teller (监票人) signature",
    "Operator signature",
    "Date",
    "voting machine",
};

const Words& WordsFor(FormLanguage language)
{
    return language == FormLanguage::kEnglish ? kEnglish : kChinese;
}

Status CheckFolderOf(const fs::path& out)
{
    const fs::path dir = out.parent_path().empty() ? fs::path(".") : out.parent_path();
    std::error_code ec;
    if (out.filename().empty() || !fs::is_directory(dir, ec))
        return MakeError("report.write", "cannot write " + out.string() + ": no such folder");
    return Status::Ok();
}

class BoxForm {
  public:
    BoxForm(pdf::Document& doc, const BallotBox& box, const Words& w, bool closing)
        : m_doc(doc), m_box(box), m_w(w), m_closing(closing), m_id(IdentifyBox(box)), m_page(doc.AddPage())
    {
    }

    void Draw(std::chrono::system_clock::time_point at)
    {
        const ElectionDefinition& def = m_box.package().definition;
        const float w = m_page.Width() - 2 * kMargin;
        float y = kMargin;
        if (def.test_mode) {
            m_page.FillRect(Rect{kMargin, y, w, 17}, pdf::kRed);
            m_page.FitTextBox(Rect{kMargin + 6, y, w - 12, 17}, m_w.test_banner,
                              TextStyle{.size = 9.5f, .color = pdf::kWhite, .align = Align::kCenter, .bold = true}, 6,
                              1, pdf::VAlign::kMiddle);
            y += 25;
        }
        m_page.FitTextBox(Rect{kMargin, y, w, 24}, m_closing ? m_w.closing_title : m_w.opening_title,
                          TextStyle{.size = 17, .align = Align::kCenter, .bold = true, .char_space = 1}, 11, 1);
        y += 28;
        m_page.FitTextBox(Rect{kMargin, y, w, 16}, def.title, TextStyle{.size = 11.5f, .align = Align::kCenter}, 8, 1);
        y += 20;
        const std::string info = std::string(m_w.organization) + (def.organization.empty() ? "-" : def.organization) +
                                 "    " + std::string(m_w.date) + def.date;
        m_page.FitTextBox(Rect{kMargin, y, w, 14}, info, TextStyle{.size = 10, .align = Align::kCenter}, 7, 1);
        y += 24;

        const std::string time = LocalTime(at);
        std::vector<std::vector<std::string>> rows = {
            {std::string(m_w.election_short), m_id.election_short},
            {std::string(m_w.election_full), m_id.election_full},
            {std::string(m_w.kiosk), std::to_string(m_id.kiosk)},
            {std::string(m_w.device_short), m_id.device_short},
            {std::string(m_w.device_full), m_id.device_full},
        };
        if (m_closing) {
            rows.push_back({std::string(m_w.close_short), m_id.close_short});
            rows.push_back({std::string(m_w.close_full), m_id.close_full});
            rows.push_back({std::string(m_w.closing_time), time});
        } else {
            rows.push_back(
                {std::string(m_w.ballots_in_box), std::to_string(m_box.ballots()) + std::string(m_w.ballots_unit)});
            rows.push_back({std::string(m_w.opening_time), time});
        }
        pdf::TableStyle table;
        table.size = 10;
        table.padding = 4;
        const float label = 150;
        pdf::Cursor cur =
            pdf::DrawTable(m_doc, pdf::Cursor{m_page, y}, kMargin, Bottom(),
                           {{std::string(m_w.item), label}, {std::string(m_w.value), w - label}}, rows, table);
        if (m_closing) cur = DrawCounts(cur, w, table);
        cur.y += 14;
        const pdf::BoxResult note =
            cur.page.TextBox(Rect{kMargin, cur.y, w, 90}, m_closing ? m_w.closing_note : m_w.opening_note,
                             TextStyle{.size = 9.5f, .line_spacing = 1.4f});
        cur.y += note.height + 10;
        DrawSignatures(cur, w);
        DrawFooter();
    }

  private:
    [[nodiscard]] float Bottom() const { return m_page.Height() - kMargin - 16; }

    pdf::Cursor DrawCounts(pdf::Cursor cur, float w, const pdf::TableStyle& table)
    {
        const ElectionDefinition& def = m_box.package().definition;
        const auto counts = m_box.Counts();
        std::vector<std::vector<std::string>> rows;
        std::uint64_t issued = 0, used = 0;
        for (std::size_t c = 0; c < counts.size() && c < def.categories.size(); ++c) {
            rows.push_back({def.categories[c].name, std::to_string(counts[c].issued),
                            std::to_string(counts[c].used) + std::string(m_w.ballots_unit)});
            issued += counts[c].issued;
            used += counts[c].used;
        }
        rows.push_back(
            {std::string(m_w.total), std::to_string(issued), std::to_string(used) + std::string(m_w.ballots_unit)});
        const float third = w / 3;
        cur.y += 12;
        return pdf::DrawTable(m_doc, cur, kMargin, Bottom(),
                              {{std::string(m_w.category), third},
                               {std::string(m_w.codes_issued), third, Align::kRight},
                               {std::string(m_w.ballots_cast), third, Align::kRight}},
                              rows, table);
    }

    // Three tellers and the operator, each a signature line and a date line.
    void DrawSignatures(pdf::Cursor cur, float w)
    {
        constexpr float kRow = 34;
        if (cur.y + 4 * kRow > Bottom()) cur = pdf::Cursor{m_doc.AddPage(), kMargin};
        const TextStyle st{.size = 11, .bold = true};
        const pdf::LineStyle line{0.8f, pdf::kBlack, 0};
        for (int i = 0; i < 4; ++i) {
            const float baseline = cur.y + kRow * static_cast<float>(i + 1) - 8;
            const std::string who(i < 3 ? m_w.teller : m_w.operator_sign);
            const float lw = cur.page.TextWidth(who, st.size) + 6;
            cur.page.Text(kMargin, baseline, who, st);
            const float split = kMargin + w * 0.66f;
            cur.page.Line(kMargin + lw, baseline + 2, split - 14, baseline + 2, line);
            const std::string date(m_w.sign_date);
            const float dw = cur.page.TextWidth(date, st.size) + 6;
            cur.page.Text(split, baseline, date, st);
            cur.page.Line(split + dw, baseline + 2, kMargin + w, baseline + 2, line);
        }
    }

    void DrawFooter()
    {
        const std::size_t n = m_doc.PageCount();
        for (std::size_t i = 0; i < n; ++i) {
            pdf::Page page = m_doc.GetPage(i);
            page.Text(kMargin, page.Height() - kMargin,
                      m_id.election_short + "  " + std::string(m_w.footer_kiosk) + " " + std::to_string(m_id.kiosk) +
                          "  " + m_id.device_short,
                      TextStyle{.size = 8, .color = pdf::kGray});
        }
    }

    pdf::Document& m_doc;
    const BallotBox& m_box;
    const Words& m_w;
    bool m_closing;
    BoxIdentity m_id;
    pdf::Page m_page;
};

Status WriteForm(const BallotBox& box, const fs::path& out, FormLanguage language,
                 std::chrono::system_clock::time_point at, const fs::path& font, bool closing)
{
    if (closing && !box.close_seal_hash()) return MakeError("report.input", "the closing form needs a closed poll");
    if (Status st = CheckFolderOf(out); !st) return st;
    Result<pdf::Document> doc = pdf::Document::Create(font);
    if (!doc) return doc.error();
    BoxForm(*doc, box, WordsFor(language), closing).Draw(at);
    Status st = doc->Save(out);
    if (!st && st.error().code == "pdf.write") return MakeError("report.write", st.error().detail);
    return st;
}

}  // namespace

BoxIdentity IdentifyBox(const BallotBox& box)
{
    BoxIdentity id;
    const Digest& fp = box.package().fingerprint;
    id.election_full = ToHex(fp);
    id.election_short = ShortFingerprint(fp);
    id.kiosk = box.kiosk();
    id.device_full = ToHex(KeyFingerprintDigest(box.device_public_key(), box.package().suite()));
    id.device_short = KeyFingerprint(box.device_public_key(), box.package().suite());
    if (const auto& close = box.close_seal_hash()) {
        id.close_full = ToHex(*close);
        id.close_short = CloseRecordFingerprint(*close);
    }
    return id;
}

Status WriteOpeningFormPdf(const BallotBox& box, const fs::path& out, FormLanguage language,
                           std::chrono::system_clock::time_point at, const fs::path& font)
{
    return WriteForm(box, out, language, at, font, /*closing=*/false);
}

Status WriteClosingFormPdf(const BallotBox& box, const fs::path& out, FormLanguage language,
                           std::chrono::system_clock::time_point at, const fs::path& font)
{
    return WriteForm(box, out, language, at, font, /*closing=*/true);
}

Status WriteDeviceFingerprintFile(const BallotBox& box, const fs::path& out)
{
    if (Status st = CheckFolderOf(out); !st) return st;
    const BoxIdentity id = IdentifyBox(box);
    const std::string text =
        "# Pingyi device fingerprints, one per line (pingyi verify --expect-device)\n"
        "# election " +
        id.election_full +
        "\n"
        "# voting machine " +
        std::to_string(id.kiosk) + ", printed on its opening form as " + id.device_short + "\n" + id.device_full + "\n";
    Status st = WriteFileAtomic(out, AsBytes(text));
    if (!st) return MakeError("report.write", st.error().detail);
    return st;
}

BoxFormFiles BoxFormFileNames(const BallotBox& box, const fs::path& folder)
{
    const std::string stem =
        "pingyi-" + box.package().definition.election_id.substr(0, 8) + "-kiosk" + std::to_string(box.kiosk());
    return {folder / (stem + "-opening.pdf"), folder / (stem + "-closing.pdf"), folder / (stem + "-devices.txt")};
}

Result<BoxFormFiles> SaveOpeningForm(const BallotBox& box, const fs::path& folder, FormLanguage language,
                                     std::chrono::system_clock::time_point at)
{
    BoxFormFiles files = BoxFormFileNames(box, folder);
    files.closing_form.clear();
    if (Status st = WriteOpeningFormPdf(box, files.opening_form, language, at); !st) return st.error();
    if (Status st = WriteDeviceFingerprintFile(box, files.device_list); !st) return st.error();
    return files;
}

Result<BoxFormFiles> SaveClosingForm(const BallotBox& box, const fs::path& folder, FormLanguage language,
                                     std::chrono::system_clock::time_point at)
{
    BoxFormFiles files = BoxFormFileNames(box, folder);
    files.opening_form.clear();
    files.device_list.clear();
    if (Status st = WriteClosingFormPdf(box, files.closing_form, language, at); !st) return st.error();
    return files;
}

}  // namespace pingyi
