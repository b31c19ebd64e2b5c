// The PDF reports: the tally sheet (投票结果汇总表), the notification letters and the
// tracking-code list (跟踪码公示). The Excel workbook is workbook.cpp; what both say in the
// same words is report_text.cpp.
#include "core/reports.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <memory>
#include <numeric>
#include <random>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>

#include "core/pdf.hpp"
#include "core/report_text.hpp"
#include "crypto/sign.hpp"

namespace pingyi {

using namespace report_detail;  // NOLINT(google-build-using-namespace): this target's own helpers

namespace {

namespace fs = std::filesystem;
using pdf::Align;
using pdf::Rect;
using pdf::TextStyle;
using pdf::VAlign;

// ---- PDF: shared ---------------------------------------------------------------------

TextStyle Style(float size, pdf::Color color = pdf::kBlack, bool bold = false, Align align = Align::kLeft)
{
    TextStyle st;
    st.size = size;
    st.color = color;
    st.bold = bold;
    st.align = align;
    return st;
}

Status SavePdf(pdf::Document& doc, const fs::path& out)
{
    if (Status st = CheckDirectory(out); !st) return st;
    Status st = doc.Save(out);
    if (!st && st.error().code == "pdf.write") return MakeError("report.write", st.error().detail);
    return st;
}

constexpr float kBannerHeight = 25;  // the test banner with the space below it

// A red bar across the page's text width; returns its height with spacing below.
float DrawTestBanner(pdf::Page& page, float x, float y, float w, std::string_view what)
{
    constexpr float kH = kBannerHeight - 8;
    page.FillRect(Rect{x, y, w, kH}, pdf::kRed);
    page.FitTextBox(Rect{x + 6, y, w - 12, kH}, std::string(kTestMark) + "：" + std::string(what),
                    Style(9.5f, pdf::kWhite, true, Align::kCenter), 6, /*max_lines=*/1, VAlign::kMiddle);
    return kBannerHeight;
}

float Sum(const std::vector<pdf::TableColumn>& columns)
{
    return std::accumulate(columns.begin(), columns.end(), 0.0f,
                           [](float acc, const pdf::TableColumn& c) { return acc + c.width; });
}

// ---- PDF: tally sheet ----------------------------------------------------------------

constexpr float kSheetMargin = 15 * pdf::kPointsPerMm;
constexpr float kFooterSpace = 16;        // above the bottom margin, for the page footer
constexpr float kRunningHeadHeight = 16;  // "汇总表（续）" on pages after the first
constexpr float kSectionHeight = 20;      // a section heading and the space below it

// Every page's footer: the short fingerprint on the left, 第 k 页 / 共 n 页 on the right.
void DrawPageFooters(pdf::Document& doc, const std::string& fingerprint_short)
{
    const std::size_t n = doc.PageCount();
    for (std::size_t i = 0; i < n; ++i) {
        pdf::Page page = doc.GetPage(i);
        const float baseline = page.Height() - kSheetMargin;
        const TextStyle st = Style(8, pdf::kGray);
        page.Text(kSheetMargin, baseline, "评议指纹 " + fingerprint_short, st);
        TextStyle right = st;
        right.align = Align::kRight;
        page.Text(page.Width() - kSheetMargin, baseline,
                  "第 " + std::to_string(i + 1) + " 页 / 共 " + std::to_string(n) + " 页", right);
    }
}

struct ResultsLayout {
    std::vector<pdf::TableColumn> columns;
    bool per_group = false;
    float size = 9;
    float padding = 3;
    pdf::Orientation orientation = pdf::Orientation::kPortrait;
};

// The width of one line of text in this font, estimated before any page exists (the page
// orientation depends on it): CJK characters are one em, ASCII half an em.
float EstimateWidth(std::string_view utf8, float size)
{
    float em = 0;
    for (const char ch : utf8) {
        const auto u = static_cast<unsigned char>(ch);
        if (u < 0x80)
            em += 0.5f;
        else if (u >= 0xC0)
            em += 1.0f;
    }
    return em * size;
}

// Columns: 序号 姓名 | counts per group × option (when more than one group and it fits) |
// total counts per option | weighted share per option | 参考等次. Numeric columns are as wide
// as the longest option name so that headers such as 基本合格 stay on one line.
ResultsLayout LayoutResults(const ElectionDefinition& def, const Results& r)
{
    const auto build = [&](bool per_group, float size, float pad) {
        float option_w = EstimateWidth("加权占比", size);
        for (const auto& o : def.options)
            option_w = std::max(option_w, EstimateWidth(o, size));
        const float count_w = std::max(option_w, EstimateWidth("9999", size)) + 2 * pad + 1;
        const float share_w = std::max(option_w, EstimateWidth("100.0%", size)) + 2 * pad + 1;
        ResultsLayout l;
        l.per_group = per_group;
        l.size = size;
        l.padding = pad;
        l.columns.push_back({"序号", EstimateWidth("序号", size) + 2 * pad + 1, Align::kCenter});
        l.columns.push_back({"姓名", 64, Align::kLeft});
        if (per_group)
            for (const auto& g : r.groups)
                for (const auto& o : def.options)
                    l.columns.push_back({GroupLabel(def, g) + "\n" + o, count_w, Align::kRight});
        for (const auto& o : def.options)
            l.columns.push_back({"合计\n" + o, count_w, Align::kRight});
        for (const auto& o : def.options)
            l.columns.push_back({"加权占比\n" + o, share_w, Align::kRight});
        l.columns.push_back({"参考等次", option_w + 2 * pad + 6, Align::kCenter});
        return l;
    };
    const float portrait = pdf::kA4Width - 2 * kSheetMargin;
    const float landscape = pdf::kA4Height - 2 * kSheetMargin;
    const bool groups = r.groups.size() > 1;
    // Preferred first: per-group counts at 9 pt, at 8 pt, then totals only, smaller.
    const std::tuple<bool, float, float> tries[] = {
        {groups, 9.0f, 3.0f}, {groups, 8.0f, 2.0f}, {false, 9.0f, 3.0f}, {false, 8.0f, 2.0f}, {false, 7.0f, 1.5f}};
    ResultsLayout layout;
    for (const auto& [per_group, size, pad] : tries) {
        layout = build(per_group, size, pad);
        if (Sum(layout.columns) <= landscape) break;
    }
    const float width = Sum(layout.columns);
    if (width > portrait) layout.orientation = pdf::Orientation::kLandscape;
    // Widen the name column into any room left, up to a comfortable width.
    const float room = (width > portrait ? landscape : portrait) - width;
    if (room > 0) layout.columns[1].width += std::min(room, 56.0f);
    return layout;
}

class TallySheet {
  public:
    TallySheet(pdf::Document& doc, const ReportInput& in)
        : m_doc(doc), m_in(in), m_layout(LayoutResults(in.def, in.results))
    {
    }

    void Draw()
    {
        pdf::Cursor cur = NewPage(/*first=*/true);
        cur.y = DrawTitle(cur.page, cur.y);
        cur = DrawReconciliation(cur);
        cur = DrawResults(cur);
        cur = DrawNotes(cur);
        cur = DrawTrustees(cur);
        DrawSignatures(cur);
        DrawFooters();
    }

  private:
    [[nodiscard]] float Left() const { return kSheetMargin; }
    [[nodiscard]] float Width(const pdf::Page& page) const { return page.Width() - 2 * kSheetMargin; }
    [[nodiscard]] float Bottom(const pdf::Page& page) const { return page.Height() - kSheetMargin - kFooterSpace; }
    // Where content starts on a page after the first (NewPage's banner and running head).
    [[nodiscard]] float ContinuationTop() const
    {
        return kSheetMargin + (m_in.def.test_mode ? kBannerHeight : 0) + kRunningHeadHeight;
    }

    pdf::Cursor NewPage(bool first = false)
    {
        pdf::Page page = m_doc.AddPage(m_layout.orientation);
        float y = kSheetMargin;
        if (m_in.def.test_mode) y += DrawTestBanner(page, Left(), y, Width(page), "本表只用于测试，不是正式评议结果");
        if (!first) {
            page.FitTextBox(Rect{Left(), y, Width(page), 12}, "民主评议党员 投票结果汇总表（续）　" + m_in.def.title,
                            Style(8.5f, pdf::kGray), 6, 1);
            y += kRunningHeadHeight;
        }
        return {page, y};
    }

    // Moves to a new page unless `need` points fit below the cursor.
    pdf::Cursor Ensure(pdf::Cursor cur, float need) { return cur.y + need > Bottom(cur.page) ? NewPage() : cur; }

    pdf::Cursor Section(pdf::Cursor cur, const std::string& heading, float keep_with)
    {
        cur = Ensure(cur, 22 + keep_with);
        cur.page.Text(Left(), cur.y + cur.page.Ascent(11.5f), heading, Style(11.5f, pdf::kBlack, true));
        cur.y += kSectionHeight;
        return cur;
    }

    float DrawTitle(pdf::Page& page, float y)
    {
        const ElectionDefinition& def = m_in.def;
        const float w = Width(page);
        TextStyle title = Style(17, pdf::kBlack, true, Align::kCenter);
        title.char_space = 1;
        page.FitTextBox(Rect{Left(), y, w, 24}, "民主评议党员 投票结果汇总表", title, 12, 1);
        y += 26;
        page.FitTextBox(Rect{Left(), y, w, 16}, def.title, Style(11.5f, pdf::kBlack, false, Align::kCenter), 8, 1);
        y += 22;
        std::string info = "单位：" + (def.organization.empty() ? std::string("—") : def.organization) + "　　日期：" +
                           ChineseDate(def.date) + "　　收回选票：" + std::to_string(m_in.results.TotalBallots()) +
                           " 张" + SpoiledNote(m_in.results, "　　");
        page.FitTextBox(Rect{Left(), y, w, 14}, info, Style(10), 7, 1);
        y += 18;
        // The fingerprint, to compare with the kiosk screen, the slips and the auditor's report.
        page.FillRect(Rect{Left(), y, w, 34}, pdf::Color{0.94f, 0.94f, 0.94f});
        page.Text(Left() + 8, y + 14, "评议指纹：" + m_in.fingerprint_short, Style(11, pdf::kBlack, true));
        page.FitTextBox(Rect{Left() + 8, y + 19, w - 16, 12}, "完整指纹：" + m_in.fingerprint_full,
                        Style(8, pdf::kGray), 5, 1);
        return y + 44;
    }

    pdf::Cursor Table(pdf::Cursor cur, float x, const std::vector<pdf::TableColumn>& cols,
                      const std::vector<std::vector<std::string>>& rows)
    {
        pdf::TableStyle st;
        st.size = 9.5f;
        return pdf::DrawTable(m_doc, cur, x, Bottom(cur.page), cols, rows, st, [this] { return NewPage(); });
    }

    // A bold line, red in a framed box when it reports a mismatch.
    pdf::Cursor CheckLine(pdf::Cursor cur, const std::string& text, bool mismatch)
    {
        cur = Ensure(cur, 24);
        const float w = Width(cur.page);
        if (mismatch) {
            const pdf::BoxResult m = cur.page.MeasureText(text, w - 16, Style(10.5f, pdf::kRed, true));
            cur.page.FillRect(Rect{Left(), cur.y, w, m.height + 10}, pdf::Color{1.0f, 0.9f, 0.9f});
            cur.page.StrokeRect(Rect{Left(), cur.y, w, m.height + 10}, pdf::LineStyle{1.5f, pdf::kRed, 0});
            cur.page.TextBox(Rect{Left() + 8, cur.y + 5, w - 16, m.height}, text, Style(10.5f, pdf::kRed, true));
            cur.y += m.height + 16;
        } else {
            cur.y += cur.page.TextBox(Rect{Left(), cur.y, w, 40}, text, Style(10)).height + 6;
        }
        return cur;
    }

    pdf::Cursor DrawReconciliation(pdf::Cursor cur)
    {
        const ElectionDefinition& def = m_in.def;
        const Results& r = m_in.results;
        cur = Section(cur, "一、投票码与选票核对", 60);

        std::vector<std::vector<std::string>> code_rows;
        for (std::size_t c = 0; c < def.categories.size(); ++c) {
            const auto& a = r.attendance[c];
            code_rows.push_back({def.categories[c].name, std::to_string(def.categories[c].weight),
                                 std::to_string(a.issued), std::to_string(a.used),
                                 std::to_string(a.issued >= a.used ? a.issued - a.used : 0)});
        }
        const std::uint64_t issued = IssuedCodes(r), used = UsedCodes(r);
        code_rows.push_back({"合计", "", std::to_string(issued), std::to_string(used),
                             std::to_string(issued >= used ? issued - used : 0)});
        std::vector<std::vector<std::string>> box_rows;
        for (const auto& b : r.boxes)
            box_rows.push_back({std::to_string(b.kiosk) + " 号", KeyFingerprint(b.device_public_key, r.suite),
                                std::to_string(b.ballots)});
        box_rows.push_back({"合计", "", std::to_string(r.TotalBallots())});
        std::vector<std::vector<std::string>> group_rows;
        for (const auto& g : r.groups)
            group_rows.push_back({GroupLabel(def, g), std::to_string(GroupWeight(def, g)), std::to_string(g.ballots)});

        const std::vector<pdf::TableColumn> code_cols{{"投票人类别", 120, Align::kLeft},
                                                      {"权重", 45, Align::kRight},
                                                      {"发放投票码", 70, Align::kRight},
                                                      {"已使用", 60, Align::kRight},
                                                      {"未使用", 60, Align::kRight}};
        const std::vector<pdf::TableColumn> box_cols{
            {"投票机", 55, Align::kCenter}, {"设备密钥指纹", 150, Align::kLeft}, {"选票数", 60, Align::kRight}};
        const std::vector<pdf::TableColumn> group_cols{
            {"计票分组", 155, Align::kLeft}, {"权重", 50, Align::kRight}, {"选票数", 60, Align::kRight}};

        // Side by side (codes | boxes over groups) when the page is wide enough and the
        // tables surely fit on it; otherwise one below the other, flowing over pages.
        constexpr float kGap = 20, kRowH = 18;
        const float right_x = Left() + Sum(code_cols) + kGap;
        const float left_h = static_cast<float>(code_rows.size() + 1) * kRowH;
        const float right_h = static_cast<float>(box_rows.size() + group_rows.size() + 2) * kRowH + 10;
        if (right_x + Sum(box_cols) <= Left() + Width(cur.page) &&
            cur.y + std::max(left_h, right_h) + 60 <= Bottom(cur.page)) {
            const pdf::Cursor left = Table(cur, Left(), code_cols, code_rows);
            pdf::Cursor right = Table(cur, right_x, box_cols, box_rows);
            right.y += 10;
            right = Table(right, right_x, group_cols, group_rows);
            cur.y = std::max(left.y, right.y) + 12;
        } else {
            cur = Table(cur, Left(), code_cols, code_rows);
            cur.y += 10;
            cur = Table(cur, Left(), box_cols, box_rows);
            cur.y += 10;
            cur = Table(cur, Left(), group_cols, group_rows);
            cur.y += 12;
        }

        const std::uint32_t ballots = r.TotalBallots();
        const std::string counts =
            "已使用投票码 " + std::to_string(used) + " 个，收回选票 " + std::to_string(ballots) + " 张";
        cur = CheckLine(cur, used == ballots ? counts + "：一致。" : std::string(kMismatch) + "！" + counts + "。",
                        used != ballots);
        if (r.present) {
            const std::string text =
                "实到人数 " + std::to_string(*r.present) + " 人，收回选票 " + std::to_string(ballots) + " 张";
            if (*r.present == ballots) {
                cur = CheckLine(cur, text + "：一致。", false);
            } else {
                const auto diff = *r.present > ballots ? *r.present - ballots : ballots - *r.present;
                cur = CheckLine(cur,
                                std::string(kMismatch) + "！" + text + "，相差 " + std::to_string(diff) +
                                    "。请监票人核实原因并在本表注明。",
                                true);
            }
        } else {
            cur = CheckLine(cur, "实到人数：未填写。", false);
        }
        // The tellers' checks (核验票): opened at the kiosk, never counted; only when there were any.
        const std::uint64_t spoiled = SpoiledBallots(r);
        if (spoiled > 0)
            cur = CheckLine(cur,
                            "核验票 " + std::to_string(spoiled) +
                                " 张：监票人在投票机上核验、已公开其选择，不计入选票，不占用投票码。",
                            false);
        cur.y += 8;
        return cur;
    }

    pdf::Cursor DrawResults(pdf::Cursor cur)
    {
        const ElectionDefinition& def = m_in.def;
        std::vector<std::vector<std::string>> rows;
        rows.reserve(def.roster.size());
        for (std::size_t i = 0; i < def.roster.size(); ++i) {
            const MemberSummary& m = m_in.summary[i];
            std::vector<std::string> row{std::to_string(i + 1), def.roster[i].name};
            if (m_layout.per_group)
                for (const auto& g : m.counts)
                    for (auto c : g)
                        row.push_back(std::to_string(c));
            for (auto c : m.total)
                row.push_back(std::to_string(c));
            for (double p : m.weighted_percent)
                row.push_back(Percent(p));
            row.push_back(OptionName(def, m.suggested));
            rows.push_back(std::move(row));
        }
        pdf::TableStyle st;
        st.size = m_layout.size;
        st.padding = m_layout.padding;
        // Keep a table that fits on one page together with its heading; a longer one
        // starts right here (with its header and a few rows at least).
        const float row_h = st.size * 1.25f + 2 * st.padding;
        const float table_h = kSectionHeight + (2 + static_cast<float>(rows.size())) * row_h + 2;
        if (cur.y + table_h > Bottom(cur.page) && table_h <= Bottom(cur.page) - ContinuationTop()) cur = NewPage();
        cur = Section(cur, "二、评议结果", 5 * row_h);
        cur = pdf::DrawTable(m_doc, cur, Left(), Bottom(cur.page), m_layout.columns, rows, st,
                             [this] { return NewPage(); });
        cur.y += 12;
        return cur;
    }

    pdf::Cursor DrawNotes(pdf::Cursor cur)
    {
        const ElectionDefinition& def = m_in.def;
        std::vector<std::string> notes = MergeNotes(def, m_in.results);
        notes.push_back("“合计”为各类投票人所投票数之和；加权占比按各类投票人的权重计算（" +
                        WeightShares(def, m_in.results) + "）。");
        if (const std::string unused = UnusedWeightNote(def, m_in.results); !unused.empty()) notes.push_back(unused);
        notes.push_back("参考等次按评议规则计算，仅供参考，最终等次由支部研究确定（组织评定）：" + RulesText(def));
        cur = Section(cur, "三、说明", 30);
        for (std::size_t i = 0; i < notes.size(); ++i) {
            const std::string text = std::to_string(i + 1) + ". " + notes[i];
            const TextStyle st = Style(9.5f);
            const float h = cur.page.MeasureText(text, Width(cur.page), st).height;
            cur = Ensure(cur, h);
            cur.y += cur.page.TextBox(Rect{Left(), cur.y, Width(cur.page), h + 1}, text, st).height + 4;
        }
        return cur;
    }

    // 四、解密人: each trustee who decrypted, with their key fingerprint and a line to sign.
    pdf::Cursor DrawTrustees(pdf::Cursor cur)
    {
        const TextStyle st = Style(9.5f);
        if (m_in.trustees.empty()) {
            cur = Section(cur, "四、解密", 20);
            const std::string text =
                "本次评议使用单一评议密钥（1/1）解密：密钥持有人一人即可解密，安全性弱于多人共同保管。";
            cur.page.Text(Left(), cur.y + cur.page.Ascent(st.size), text, st);
            cur.y += 18;
            return cur;
        }
        cur = Section(cur, "四、解密人（密钥保管人，" + std::to_string(m_in.trustees.size()) + "人参与解密）", 30);
        for (const auto& t : m_in.trustees) {
            cur = Ensure(cur, 30);
            const float baseline = cur.y + 20;
            const std::string label =
                std::to_string(t.index) + ". " + t.name + "　密钥指纹 " + t.key_fingerprint + "　签字";
            const float lw = cur.page.TextWidth(label, st.size) + 6;
            cur.page.Text(Left(), baseline, label, st);
            cur.page.Line(Left() + lw, baseline + 2, Left() + std::min(Width(cur.page), lw + 160), baseline + 2,
                          pdf::LineStyle{0.8f, pdf::kBlack, 0});
            cur.y += 28;
        }
        return cur;
    }

    void DrawSignatures(pdf::Cursor cur)
    {
        constexpr float kNeed = 64;
        cur = Ensure(cur, kNeed);
        pdf::Page& page = cur.page;
        const float w = Width(page);
        const float baseline = cur.y + 40;
        const TextStyle st = Style(11, pdf::kBlack, true);
        const char* labels[] = {"监票人（签字）", "计票人（签字）", "日期"};
        const float shares[] = {0.38f, 0.38f, 0.24f};
        float x = Left();
        for (int i = 0; i < 3; ++i) {
            const float cell = w * shares[i];
            const float lw = page.TextWidth(labels[i], st.size) + 6;
            page.Text(x, baseline, labels[i], st);
            page.Line(x + lw, baseline + 2, x + cell - 14, baseline + 2, pdf::LineStyle{0.8f, pdf::kBlack, 0});
            x += cell;
        }
    }

    void DrawFooters() { DrawPageFooters(m_doc, m_in.fingerprint_short); }

    pdf::Document& m_doc;
    const ReportInput& m_in;
    ResultsLayout m_layout;
};

// ---- PDF: notification letters -------------------------------------------------------

constexpr float kLetterMargin = 25 * pdf::kPointsPerMm;

void DrawLetter(pdf::Document& doc, pdf::Page& page, const ReportInput& in, std::size_t member)
{
    const ElectionDefinition& def = in.def;
    const Results& r = in.results;
    const MemberSummary& m = in.summary[member];
    const float x = kLetterMargin;
    const float w = page.Width() - 2 * kLetterMargin;
    float y = kLetterMargin - 10;

    if (def.test_mode) y += DrawTestBanner(page, x, y, w, "本通知只用于测试，不是正式评议结果");
    y += 6;
    TextStyle title = Style(20, pdf::kBlack, true, Align::kCenter);
    title.char_space = 3;
    page.FitTextBox(Rect{x, y, w, 28}, "民主评议结果通知书", title, 14, 1);
    y += 44;

    page.FitTextBox(Rect{x, y, w, 18}, def.roster[member].name + " 同志：", Style(13, pdf::kBlack, true), 9, 1);
    y += 26;

    TextStyle body = Style(11.5f);
    body.line_spacing = 1.7f;
    const std::string org = def.organization.empty() ? std::string("本单位") : def.organization;
    const std::string intro = "　　" + org + "于" + ChineseDate(def.date) + "以无记名投票方式开展了“" + def.title +
                              "”，共收回选票 " + std::to_string(r.TotalBallots()) +
                              " 张。现将你本人的评议结果通知如下：";
    y += page.TextBox(Rect{x, y, w, 120}, intro, body).height + 12;

    // The member's own table: one row per option.
    std::vector<pdf::TableColumn> cols;
    cols.push_back({"评议等次", 0, Align::kCenter});
    const bool per_group = r.groups.size() > 1;
    if (per_group)
        for (const auto& g : r.groups)
            cols.push_back({GroupLabel(def, g) + "\n票数", 0, Align::kRight});
    cols.push_back({"合计票数", 0, Align::kRight});
    cols.push_back({"占总票数", 0, Align::kRight});
    cols.push_back({"加权占比", 0, Align::kRight});
    cols[0].width = 84;
    const float each = (w - cols[0].width) / static_cast<float>(cols.size() - 1);
    for (std::size_t c = 1; c < cols.size(); ++c)
        cols[c].width = each;
    std::vector<std::vector<std::string>> rows;
    for (std::size_t o = 0; o < def.options.size(); ++o) {
        std::vector<std::string> row{def.options[o]};
        if (per_group)
            for (const auto& g : m.counts)
                row.push_back(std::to_string(g[o]));
        row.push_back(std::to_string(m.total[o]));
        row.push_back(Percent(m.percent[o]));
        row.push_back(Percent(m.weighted_percent[o]));
        rows.push_back(std::move(row));
    }
    pdf::TableStyle st;
    st.size = 10.5f;
    st.padding = 5;
    // A handful of rows: the table always fits on the member's one page.
    y = pdf::DrawTable(doc, pdf::Cursor{page, y}, x, page.Height(), cols, rows, st).y + 20;

    // Label and value in one run, so that copied or extracted text reads "参考等次：合格".
    const TextStyle grade = Style(12.5f, pdf::kBlack, true);
    const std::string suggested = "参考等次：" + OptionName(def, m.suggested);
    page.Text(x, y + page.Ascent(grade.size), suggested, grade);
    page.Text(x + page.TextWidth(suggested, grade.size) + 8, y + page.Ascent(grade.size),
              "（按评议规则计算，仅供参考）", Style(9.5f, pdf::kGray));
    y += 26;
    const FinalDecision* d = in.decisions.empty() ? nullptr : &in.decisions[member];
    page.Text(x, y + page.Ascent(grade.size),
              "组织评定：" + (d && d->grade ? OptionName(def, *d->grade) : std::string(kUndecided)), grade);
    y += 34;

    TextStyle note = Style(9.5f, pdf::kGray);
    note.line_spacing = 1.5f;
    const std::string explain = "说明：占总票数为该等次票数除以收回选票总数；加权占比按各类投票人的权重计算（" +
                                WeightShares(def, r) +
                                "）。参考等次由评议规则计算，最终等次以支部研究确定的组织评定为准。";
    page.TextBox(Rect{x, y, w, 80}, explain, note);

    // The branch's seal and signature, bottom right.
    const float block_w = 220;
    const float bx = x + w - block_w;
    float by = page.Height() - kLetterMargin - 110;
    const TextStyle sign = Style(11.5f);
    page.FitTextBox(Rect{bx, by, block_w, 16}, org + "（盖章）", sign, 8, 1);
    by += 34;
    const float lw = page.TextWidth("负责人（签字）：", sign.size);
    page.Text(bx, by + page.Ascent(sign.size), "负责人（签字）：", sign);
    page.Line(bx + lw, by + page.Ascent(sign.size) + 2, bx + block_w, by + page.Ascent(sign.size) + 2,
              pdf::LineStyle{0.8f, pdf::kBlack, 0});
    by += 30;
    page.Text(bx, by + page.Ascent(sign.size), ChineseDate(def.date), sign);

    page.FitTextBox(Rect{x, page.Height() - kLetterMargin + 4, w, 12},
                    "评议指纹 " + in.fingerprint_short + "　　本通知只含你本人的评议结果，请妥善保管。",
                    Style(8, pdf::kGray, false, Align::kCenter), 6, 1);
}

// ---- The tracking-code list (跟踪码公示) -----------------------------------------------

constexpr std::string_view kTrackingListTitle = "跟踪码公示";
constexpr std::string_view kTrackingListNote =
    "投票成功时投票机显示的跟踪码若在本表中，说明您的选票已被计入。本表只列出每张选票的跟踪码，"
    "不含投票机、投票时间或投票顺序，跟踪码也不显示选票内容。";
constexpr int kTrackingColumns = 5;

std::vector<std::string> SortedCodes(const TrackingCodeList& list)
{
    std::vector<std::string> codes = list.codes;
    std::sort(codes.begin(), codes.end());
    return codes;
}

Status CheckCodes(const TrackingCodeList& list)
{
    for (const auto& c : list.codes)
        if (c.empty() || !std::all_of(c.begin(), c.end(), [](char ch) {
                return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || ch == '-';
            }))
            return InputError("a tracking code must be letters, digits and '-'");
    return Status::Ok();
}

std::string CountLine(std::size_t n)
{
    return "共 " + std::to_string(n) + " 张选票";
}

}  // namespace

// ---- Public ----------------------------------------------------------------------------

std::vector<DecryptingTrustee> DecryptingTrustees(const ElectionPackage& package, const Results& results)
{
    std::vector<DecryptingTrustee> out;
    if (!package.trustees) return out;
    for (const auto& p : results.partials)
        if (const auto* rec = package.trustees->Find(p.trustee))
            out.push_back({rec->index, rec->name,
                           KeyFingerprint(package.trustees->PublicShare(rec->index).Encode(), package.suite())});
    return out;
}

Status WriteTallySheetPdf(const ReportInput& in, const std::filesystem::path& out)
{
    if (Status st = CheckInput(in); !st) return st;
    if (Status st = CheckDirectory(out); !st) return st;
    Result<pdf::Document> doc = pdf::Document::Create(in.font);
    if (!doc) return doc.error();
    TallySheet(*doc, in).Draw();
    return SavePdf(*doc, out);
}

Status WriteNotificationLettersPdf(const ReportInput& in, const std::filesystem::path& out)
{
    if (Status st = CheckInput(in); !st) return st;
    if (Status st = CheckDirectory(out); !st) return st;
    Result<pdf::Document> doc = pdf::Document::Create(in.font);
    if (!doc) return doc.error();
    for (std::size_t i = 0; i < in.def.roster.size(); ++i) {
        pdf::Page page = doc->AddPage();
        DrawLetter(*doc, page, in, i);
    }
    return SavePdf(*doc, out);
}

std::string TrackingCodeListText(const TrackingCodeList& list)
{
    const std::vector<std::string> codes = SortedCodes(list);
    std::string t = std::string(kTrackingListTitle) + "\n";
    t += list.title + "\n";
    t += "评议指纹 " + list.fingerprint_short + "\n";
    t += "评议指纹（完整）" + list.fingerprint_full + "\n";
    t += CountLine(codes.size()) + "\n";
    if (list.test_mode) t += std::string(kTestMark) + "\n";
    t += "\n";
    for (const auto& c : codes)
        t += c + "\n";
    return t;
}

Status WriteTrackingCodeListPdf(const TrackingCodeList& list, const std::filesystem::path& out)
{
    if (Status st = CheckCodes(list); !st) return st;
    if (Status st = CheckDirectory(out); !st) return st;
    Result<pdf::Document> doc = pdf::Document::Create(list.font);
    if (!doc) return doc.error();
    const std::vector<std::string> codes = SortedCodes(list);
    constexpr float kRowHeight = 17;
    constexpr float kCodeSize = 12;
    pdf::Page page = doc->AddPage();
    const float left = kSheetMargin, width = page.Width() - 2 * kSheetMargin;
    const float bottom = page.Height() - kSheetMargin - kFooterSpace;
    float y = kSheetMargin;
    if (list.test_mode) y += DrawTestBanner(page, left, y, width, "本表只用于测试");
    page.Text(left + width / 2, y + 20, std::string(kTrackingListTitle), Style(20, pdf::kBlack, true, Align::kCenter));
    y += 32;
    y += page.FitTextBox(Rect{left, y, width, 40}, list.title, Style(13, pdf::kBlack, false, Align::kCenter), 9, 2)
             .height +
         6;
    page.Text(left, y + 10, "评议指纹 " + list.fingerprint_short + "　　" + CountLine(codes.size()),
              Style(10.5f, pdf::kBlack, true));
    y += 16;
    page.Text(left, y + 8, "评议指纹（完整）" + list.fingerprint_full, Style(7.5f, pdf::kGray));
    y += 14;
    y += page.TextBox(Rect{left, y, width, 40}, std::string(kTrackingListNote), Style(9, pdf::kGray)).height + 8;
    page.Line(left, y, left + width, y, pdf::LineStyle{0.5f, pdf::kGray});
    y += 8;
    // The codes in sorted order down each column, then across: five columns a page.
    const float column = width / kTrackingColumns;
    std::size_t next = 0;
    while (next < codes.size()) {
        const auto rows = static_cast<std::size_t>(std::max(1.0f, (bottom - y) / kRowHeight));
        for (int c = 0; c < kTrackingColumns && next < codes.size(); ++c)
            for (std::size_t r = 0; r < rows && next < codes.size(); ++r, ++next)
                page.Text(left + column * static_cast<float>(c) + 8, y + kRowHeight * static_cast<float>(r) + kCodeSize,
                          codes[next], Style(kCodeSize));
        if (next < codes.size()) {
            page = doc->AddPage();
            y = kSheetMargin;
            page.Text(left, y + 10, std::string(kTrackingListTitle) + "（续）　" + list.title, Style(9, pdf::kGray));
            y += 20;
        }
    }
    DrawPageFooters(*doc, list.fingerprint_short);
    return SavePdf(*doc, out);
}

}  // namespace pingyi
