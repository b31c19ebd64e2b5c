#include "core/slips.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include "core/package.hpp"
#include "core/pdf.hpp"

namespace pingyi {

namespace {

using pdf::Align;
using pdf::Rect;
using pdf::TextStyle;
using pdf::VAlign;

constexpr float kMargin = 10 * pdf::kPointsPerMm;  // printers cannot print the outer 5 mm
constexpr float kGridTop = 94;                     // below the page header
constexpr float kPad = 9;                          // inside a slip
constexpr float kMaxQr = 86;                       // QR side with quiet zone, points

constexpr std::string_view kTestMark = "测试 TEST — 非正式评议";
constexpr std::string_view kInstructionZh = "在投票机上输入或扫描此码，每码只能使用一次。";
constexpr std::string_view kInstructionEn = "Enter or scan this code at the kiosk; it works once.";

TextStyle Style(float size, pdf::Color color = pdf::kBlack, bool bold = false, Align align = Align::kLeft)
{
    TextStyle st;
    st.size = size;
    st.color = color;
    st.bold = bold;
    st.align = align;
    return st;
}

// Consecutive runs of slips with the same category: [begin, end) index pairs.
std::vector<std::pair<std::size_t, std::size_t>> CategoryRuns(const SlipSheet& sheet)
{
    std::vector<std::pair<std::size_t, std::size_t>> runs;
    for (std::size_t i = 0; i < sheet.slips.size(); ++i) {
        if (runs.empty() || sheet.slips[i].category != sheet.slips[runs.back().first].category) {
            runs.emplace_back(i, i + 1);
        } else {
            runs.back().second = i + 1;
        }
    }
    return runs;
}

bool ValidCode(std::string_view code)
{
    if (code.empty() || code.size() > 256) {
        return false;
    }
    return std::none_of(code.begin(), code.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7F;
    });
}

void DrawPageHeader(pdf::Page& page, const SlipSheet& sheet, std::string_view category, std::size_t page_no,
                    std::size_t page_total)
{
    const float w = page.Width() - 2 * kMargin;
    float y = kMargin;
    page.FitTextBox(Rect{kMargin, y, w - 120, 14}, sheet.title, Style(11, pdf::kBlack, true), 8,
                    /*max_lines=*/1);
    page.Text(kMargin + w, y + page.Ascent(9) + 2, "投票码 Voting codes", Style(9, pdf::kBlack, true, Align::kRight));
    y += 15;
    std::string line = sheet.organization;
    if (!sheet.date.empty()) {
        line += (line.empty() ? "" : "　") + sheet.date;
    }
    line += (line.empty() ? "" : "　") + std::string("类别：") + std::string(category);
    page.FitTextBox(Rect{kMargin, y, w - 130, 11}, line, Style(8.5f), 6.5f, 1);
    page.Text(kMargin + w, y + page.Ascent(8.5f) + 1,
              "第 " + std::to_string(page_no) + " / " + std::to_string(page_total) + " 页  Page " +
                  std::to_string(page_no) + " of " + std::to_string(page_total),
              Style(8.5f, pdf::kBlack, false, Align::kRight));
    y += 12;
    page.FitTextBox(Rect{kMargin, y, w, 18},
                    "沿虚线剪开。投票码发放前妥善保管，随机发放，不登记领取人。\n"
                    "Cut along the dashed lines. Keep codes secret until handed out; hand them "
                    "out at random and never record who drew which code.",
                    Style(7, pdf::kGray), 5.5f);
    y += 20;
    if (sheet.test_mode) {
        page.FillRect(Rect{kMargin, y, w, 14}, pdf::kRed);
        page.FitTextBox(Rect{kMargin + 6, y, w - 12, 14},
                        std::string(kTestMark) + "　本页投票码只能用于测试 Test codes, not valid in an official vote",
                        Style(8.5f, pdf::kWhite, true, Align::kCenter), 6, /*max_lines=*/1, VAlign::kMiddle);
    }
}

void DrawCutLines(pdf::Page& page, std::size_t count)
{
    const float slip_w = CodeSlipCell(0).w;
    const float slip_h = CodeSlipCell(0).h;
    const std::size_t rows = (count + kSlipColumns - 1) / kSlipColumns;
    const pdf::LineStyle cut{0.6f, pdf::Color{0.45f, 0.45f, 0.45f}, 3};
    const float right = kMargin + slip_w * static_cast<float>(kSlipColumns);
    const float bottom = kGridTop + slip_h * static_cast<float>(rows);
    for (std::size_t r = 0; r <= rows; ++r) {
        const float y = kGridTop + slip_h * static_cast<float>(r);
        page.Line(kMargin, y, right, y, cut);
    }
    for (std::size_t c = 0; c <= kSlipColumns; ++c) {
        const float x = kMargin + slip_w * static_cast<float>(c);
        page.Line(x, kGridTop, x, bottom, cut);
    }
}

void DrawSlip(pdf::Page& page, const SlipSheet& sheet, const CodeSlip& slip, const Rect& cell)
{
    const float x0 = cell.x + kPad;
    const float w = cell.w - 2 * kPad;
    float y = cell.y + kPad;
    const float bottom = cell.y + cell.h - kPad;

    if (sheet.test_mode) {
        page.FillRect(Rect{x0, y, w, 13}, pdf::kRed);
        page.Text(x0 + w / 2, y + 9.8f, kTestMark, Style(8.5f, pdf::kWhite, true, Align::kCenter));
        y += 16;
    }
    y += page.FitTextBox(Rect{x0, y, w, 13.2f}, sheet.title, Style(10.5f, pdf::kBlack, true), 7,
                         /*max_lines=*/1)
             .height;
    std::string org = sheet.organization;
    if (!sheet.date.empty()) {
        org += (org.empty() ? "" : "　") + sheet.date;
    }
    if (!org.empty()) {
        page.FitTextBox(Rect{x0, y, w, 9.4f}, org, Style(7.5f, pdf::kGray), 5.5f, 1);
        y += 9.4f;
    }
    y += 2.5f;
    page.Line(x0, y, x0 + w, y, pdf::LineStyle{0.4f, pdf::Color{0.6f, 0.6f, 0.6f}, 0});
    y += 3.5f;

    // Fingerprint at the bottom, two lines at most.
    const float fp_h = 2 * 5.2f * 1.2f;
    {
        TextStyle st = Style(5.2f, pdf::kGray);
        st.line_spacing = 1.2f;
        page.FitTextBox(Rect{x0, bottom - fp_h, w, fp_h}, "评议指纹 Election fingerprint: " + sheet.fingerprint, st,
                        4.2f,
                        /*max_lines=*/2, VAlign::kBottom);
    }

    // Middle: text on the left, centred against the QR code on the right.
    const float mid_top = y;
    const float mid_bottom = bottom - fp_h - 2;
    const float qr_side = std::min(kMaxQr, mid_bottom - mid_top);
    page.QrCode(x0 + w - qr_side, mid_top + (mid_bottom - mid_top - qr_side) / 2, qr_side,
                sheet.full_fingerprint.empty() ? slip.code : slip.code + kSlipQrSeparator + sheet.full_fingerprint);
    const float lw = w - qr_side - 6;

    // The code: monospaced (the font's Latin glyphs are all half-width), bold, as large
    // as fits on one line; wrapped at its hyphens if even 9 pt is too wide. Width per
    // point of size: advances plus 0.08 em letter spacing, 3 % spare for the bold stroke.
    const auto n = static_cast<float>(std::max<std::size_t>(slip.code.size(), 1));
    const float em = (page.TextWidth(slip.code, 1) + 0.08f * (n - 1)) * 1.03f;
    TextStyle code_st = Style(std::clamp(lw / em, 9.0f, 16.0f), pdf::kBlack, true);
    code_st.char_space = 0.08f * code_st.size;
    code_st.line_spacing = 1.15f;
    const TextStyle zh_st = Style(7.2f);
    const TextStyle en_st = Style(6, pdf::kGray);
    const TextStyle kiosk_st = Style(6.5f, pdf::kBlack, true);
    const std::string kiosk = slip.kiosk.empty() ? "" : "限用投票机 Kiosk: " + slip.kiosk;

    constexpr float kCategoryH = 17;
    constexpr float kGap = 3;
    const float code_h = page.MeasureText(slip.code, lw, code_st).height;
    const float zh_h = page.MeasureText(kInstructionZh, lw, zh_st).height;
    const float en_h = page.MeasureText(kInstructionEn, lw, en_st).height;
    const float kiosk_h = kiosk.empty() ? 0 : kiosk_st.size * kiosk_st.line_spacing + 1;
    const float total = kCategoryH + code_h + kGap + zh_h + en_h + kiosk_h;
    y = mid_top + std::max(0.0f, (mid_bottom - mid_top - total) / 2);

    const float label_w = page.TextWidth("类别 ", 7);
    page.Text(x0, y + page.Ascent(12) + 1, "类别 ", Style(7, pdf::kGray));
    page.FitTextBox(Rect{x0 + label_w, y, lw - label_w, 15}, slip.category, Style(12, pdf::kBlack, true), 7,
                    /*max_lines=*/1);
    y += kCategoryH;
    y += page.TextBox(Rect{x0, y, lw, code_h}, slip.code, code_st).height + kGap;
    y += page.TextBox(Rect{x0, y, lw, std::max(0.0f, mid_bottom - y)}, kInstructionZh, zh_st).height;
    y += page.TextBox(Rect{x0, y, lw, std::max(0.0f, mid_bottom - y)}, kInstructionEn, en_st).height;
    if (!kiosk.empty()) {
        page.FitTextBox(Rect{x0, y + 1, lw, kiosk_h}, kiosk, kiosk_st, 5, /*max_lines=*/1);
    }
}

}  // namespace

Rect CodeSlipCell(std::size_t k)
{
    const float w = (pdf::kA4Width - 2 * kMargin) / static_cast<float>(kSlipColumns);
    const float h = (pdf::kA4Height - kMargin - kGridTop) / static_cast<float>(kSlipRows);
    return Rect{kMargin + w * static_cast<float>(k % kSlipColumns), kGridTop + h * static_cast<float>(k / kSlipColumns),
                w, h};
}

std::size_t CodeSlipPageCount(const SlipSheet& sheet)
{
    std::size_t pages = 0;
    for (const auto& [begin, end] : CategoryRuns(sheet)) {
        pages += (end - begin + kSlipsPerPage - 1) / kSlipsPerPage;
    }
    return pages;
}

Status WriteCodeSlipsPdf(const SlipSheet& sheet, const std::filesystem::path& out, const std::filesystem::path& font)
{
    if (sheet.slips.empty()) {
        return MakeError("slips.empty", "there are no voting codes to print");
    }
    for (std::size_t i = 0; i < sheet.slips.size(); ++i) {
        if (!ValidCode(sheet.slips[i].code)) {
            return MakeError("slips.code",
                             "voting code #" + std::to_string(i + 1) + " is empty, too long or has control characters");
        }
    }
    Result<pdf::Document> doc = pdf::Document::Create(font);
    if (!doc) {
        return doc.error();
    }
    const std::size_t page_total = CodeSlipPageCount(sheet);
    std::size_t page_no = 0;
    for (const auto& [begin, end] : CategoryRuns(sheet)) {
        for (std::size_t first = begin; first < end; first += kSlipsPerPage) {
            const std::size_t count = std::min(kSlipsPerPage, end - first);
            pdf::Page page = doc->AddPage();
            ++page_no;
            DrawPageHeader(page, sheet, sheet.slips[first].category, page_no, page_total);
            for (std::size_t k = 0; k < count; ++k) {
                const Rect cell = CodeSlipCell(k);
                DrawSlip(page, sheet, sheet.slips[first + k], cell);
            }
            DrawCutLines(page, count);
        }
    }
    return doc->Save(out, FileAccess::kOwnerOnly);
}

}  // namespace pingyi
