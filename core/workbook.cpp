// The Excel workbook of the results (WriteResultsXlsx): sheets 评议结果 and 投票统计, written
// with libxlsxwriter to a temporary sibling and renamed into place. The PDFs are reports.cpp.
#include <xlsxwriter.h>

#include <cstdio>
#include <ctime>
#include <functional>
#include <memory>
#include <random>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>

#include "core/report_text.hpp"
#include "core/reports.hpp"

namespace pingyi {

using namespace report_detail;  // NOLINT(google-build-using-namespace): this target's own helpers

namespace {

namespace fs = std::filesystem;

struct WorkbookCloser {
    void operator()(lxw_workbook* wb) const { workbook_close(wb); }
};

// Writes cells, keeping the first libxlsxwriter error. Rows and columns are plain indexes
// here (the workbook is far below Excel's limits), converted once.
class SheetWriter {
  public:
    explicit SheetWriter(lxw_worksheet* ws) : m_ws(ws) {}
    void Str(std::size_t row, std::size_t col, const std::string& s, lxw_format* f = nullptr)
    {
        Keep(worksheet_write_string(m_ws, Row(row), Col(col), s.c_str(), f));
    }
    void Num(std::size_t row, std::size_t col, double v, lxw_format* f = nullptr)
    {
        Keep(worksheet_write_number(m_ws, Row(row), Col(col), v, f));
    }
    void Merge(std::size_t row, std::size_t first, std::size_t last, const std::string& s, lxw_format* f)
    {
        if (last > first)
            Keep(worksheet_merge_range(m_ws, Row(row), Col(first), Row(row), Col(last), s.c_str(), f));
        else
            Str(row, first, s, f);
    }
    void Width(std::size_t first, std::size_t last, double width)
    {
        Keep(worksheet_set_column(m_ws, Col(first), Col(last), width, nullptr));
    }
    void Height(std::size_t row, double height) { Keep(worksheet_set_row(m_ws, Row(row), height, nullptr)); }
    [[nodiscard]] lxw_worksheet* sheet() const { return m_ws; }
    [[nodiscard]] lxw_error error() const { return m_error; }
    static lxw_row_t Row(std::size_t r) { return static_cast<lxw_row_t>(r); }
    static lxw_col_t Col(std::size_t c) { return static_cast<lxw_col_t>(c); }

  private:
    void Keep(lxw_error e)
    {
        if (e != LXW_NO_ERROR && m_error == LXW_NO_ERROR) m_error = e;
    }
    lxw_worksheet* m_ws;
    lxw_error m_error = LXW_NO_ERROR;
};

struct Formats {
    lxw_format* title;
    lxw_format* info;
    lxw_format* banner;
    lxw_format* header;
    lxw_format* text;
    lxw_format* center;
    lxw_format* count;
    lxw_format* percent;
    lxw_format* label;
    lxw_format* warn;
    lxw_format* section;
};

lxw_format* NewFormat(lxw_workbook* wb, std::initializer_list<std::function<void(lxw_format*)>> setters)
{
    lxw_format* f = workbook_add_format(wb);
    for (const auto& set : setters)
        set(f);
    return f;
}

Formats MakeFormats(lxw_workbook* wb)
{
    const auto bold = [](lxw_format* f) { format_set_bold(f); };
    const auto border = [](lxw_format* f) { format_set_border(f, LXW_BORDER_THIN); };
    const auto vcenter = [](lxw_format* f) { format_set_align(f, LXW_ALIGN_VERTICAL_CENTER); };
    const auto center = [](lxw_format* f) { format_set_align(f, LXW_ALIGN_CENTER); };
    const auto wrap = [](lxw_format* f) { format_set_text_wrap(f); };
    Formats fm{};
    fm.title = NewFormat(wb, {bold, [](lxw_format* f) { format_set_font_size(f, 14); }});
    fm.info = NewFormat(wb, {[](lxw_format* f) { format_set_font_color(f, LXW_COLOR_GRAY); }});
    fm.banner = NewFormat(wb, {bold, center, vcenter, [](lxw_format* f) {
                                   format_set_bg_color(f, 0xC80D0D);
                                   format_set_font_color(f, LXW_COLOR_WHITE);
                               }});
    fm.header =
        NewFormat(wb, {bold, border, center, vcenter, wrap, [](lxw_format* f) { format_set_bg_color(f, 0xE0E0E0); }});
    fm.text = NewFormat(wb, {border, vcenter});
    fm.center = NewFormat(wb, {border, center, vcenter});
    fm.count = NewFormat(wb, {border, vcenter, [](lxw_format* f) { format_set_num_format(f, "0"); }});
    fm.percent = NewFormat(wb, {border, vcenter, [](lxw_format* f) { format_set_num_format(f, "0.0%"); }});
    fm.label = NewFormat(wb, {bold, border, vcenter});
    fm.warn = NewFormat(wb, {bold, border, vcenter, [](lxw_format* f) {
                                 format_set_font_color(f, 0xC80D0D);
                                 format_set_bg_color(f, 0xFFE4E1);
                             }});
    fm.section = NewFormat(wb, {bold, [](lxw_format* f) { format_set_font_size(f, 12); }});
    return fm;
}

lxw_error WriteResultsSheet(lxw_workbook* wb, const Formats& fm, const ReportInput& in)
{
    const ElectionDefinition& def = in.def;
    const Results& r = in.results;
    const std::size_t options = def.options.size();
    const std::size_t groups = r.groups.size();
    SheetWriter s(workbook_add_worksheet(wb, "评议结果"));
    if (s.sheet() == nullptr) return LXW_ERROR_MEMORY_MALLOC_FAILED;

    // Columns: 序号 姓名 工号 | per option: 票数, 占比 | per group × option | per option: 加权占比 |
    // 参考等次 参考依据 组织评定 备注.
    const std::size_t c_total = 3;
    const std::size_t c_group = c_total + 2 * options;
    const std::size_t c_weighted = c_group + groups * options;
    const std::size_t c_suggested = c_weighted + options;
    const std::size_t last = c_suggested + 3;

    std::size_t row = 0;
    s.Merge(row, 0, last, def.title + " 评议结果", fm.title);
    s.Height(row++, 22);
    std::string info = def.organization;
    info += (info.empty() ? "" : "　") + def.date;
    info += "　收回选票 " + std::to_string(r.TotalBallots()) + " 张" + SpoiledNote(r, "　") + "　评议指纹 " +
            in.fingerprint_short;
    s.Merge(row++, 0, last, info, fm.info);
    if (def.test_mode) {
        s.Merge(row, 0, last, std::string(kTestMark) + "：本结果只用于测试，不是正式评议结果", fm.banner);
        s.Height(row++, 20);
    }

    const std::size_t header = row++;
    s.Height(header, 32);
    s.Str(header, 0, "序号", fm.header);
    s.Str(header, 1, "姓名", fm.header);
    s.Str(header, 2, "工号", fm.header);
    for (std::size_t o = 0; o < options; ++o) {
        s.Str(header, c_total + 2 * o, def.options[o] + " 票数", fm.header);
        s.Str(header, c_total + 2 * o + 1, def.options[o] + " 占比", fm.header);
        s.Str(header, c_weighted + o, def.options[o] + " 加权占比", fm.header);
    }
    for (std::size_t g = 0; g < groups; ++g)
        for (std::size_t o = 0; o < options; ++o)
            s.Str(header, c_group + g * options + o, GroupLabel(def, r.groups[g]) + " " + def.options[o], fm.header);
    s.Str(header, c_suggested, "参考等次", fm.header);
    s.Str(header, c_suggested + 1, "参考依据", fm.header);
    s.Str(header, c_suggested + 2, "组织评定", fm.header);
    s.Str(header, c_suggested + 3, "备注", fm.header);

    for (std::size_t i = 0; i < def.roster.size(); ++i, ++row) {
        const MemberSummary& m = in.summary[i];
        s.Num(row, 0, static_cast<double>(i + 1), fm.center);
        s.Str(row, 1, def.roster[i].name, fm.text);
        s.Str(row, 2, def.roster[i].id, fm.text);
        for (std::size_t o = 0; o < options; ++o) {
            s.Num(row, c_total + 2 * o, static_cast<double>(m.total[o]), fm.count);
            s.Num(row, c_total + 2 * o + 1, m.percent[o] / 100.0, fm.percent);
            s.Num(row, c_weighted + o, m.weighted_percent[o] / 100.0, fm.percent);
        }
        for (std::size_t g = 0; g < groups; ++g)
            for (std::size_t o = 0; o < options; ++o)
                s.Num(row, c_group + g * options + o, static_cast<double>(m.counts[g][o]), fm.count);
        s.Str(row, c_suggested, OptionName(def, m.suggested), fm.center);
        s.Str(row, c_suggested + 1, m.suggestion_note, fm.text);
        const FinalDecision* d = in.decisions.empty() ? nullptr : &in.decisions[i];
        s.Str(row, c_suggested + 2, d && d->grade ? OptionName(def, *d->grade) : "", fm.center);
        s.Str(row, c_suggested + 3, d ? d->remark : "", fm.text);
    }

    s.Width(0, 0, 6);
    s.Width(1, 1, 12);
    s.Width(2, 2, 10);
    s.Width(c_total, c_suggested - 1, 10);
    s.Width(c_suggested, c_suggested, 10);
    s.Width(c_suggested + 1, c_suggested + 1, 18);
    s.Width(c_suggested + 2, c_suggested + 2, 10);
    s.Width(c_suggested + 3, c_suggested + 3, 24);
    worksheet_freeze_panes(s.sheet(), SheetWriter::Row(header + 1), 2);
    worksheet_set_landscape(s.sheet());
    worksheet_set_paper(s.sheet(), 9);  // A4
    worksheet_fit_to_pages(s.sheet(), 1, 0);
    (void)worksheet_repeat_rows(s.sheet(), SheetWriter::Row(header), SheetWriter::Row(header));
    return s.error();
}

lxw_error WriteStatisticsSheet(lxw_workbook* wb, const Formats& fm, const ReportInput& in)
{
    const ElectionDefinition& def = in.def;
    const Results& r = in.results;
    SheetWriter s(workbook_add_worksheet(wb, "投票统计"));
    if (s.sheet() == nullptr) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    constexpr std::size_t kLast = 4;

    std::size_t row = 0;
    s.Merge(row, 0, kLast, def.title + " 投票统计", fm.title);
    s.Height(row++, 22);
    if (def.test_mode) {
        s.Merge(row, 0, kLast, std::string(kTestMark) + "：本结果只用于测试，不是正式评议结果", fm.banner);
        s.Height(row++, 20);
    }
    const auto pair = [&](const std::string& label, const std::string& value) {
        s.Str(row, 0, label, fm.label);
        s.Merge(row++, 1, kLast, value, fm.text);
    };
    pair("单位", def.organization);
    pair("日期", def.date);
    pair("评议指纹（短）", in.fingerprint_short);
    pair("评议指纹（完整）", in.fingerprint_full);
    ++row;

    s.Str(row++, 0, "投票码发放与使用", fm.section);
    const char* code_head[] = {"类别", "权重", "发放投票码", "已用投票码", "未用投票码"};
    for (std::size_t c = 0; c <= kLast; ++c)
        s.Str(row, c, code_head[c], fm.header);
    ++row;
    for (std::size_t c = 0; c < def.categories.size(); ++c, ++row) {
        const auto& a = r.attendance[c];
        s.Str(row, 0, def.categories[c].name, fm.text);
        s.Num(row, 1, def.categories[c].weight, fm.count);
        s.Num(row, 2, a.issued, fm.count);
        s.Num(row, 3, a.used, fm.count);
        s.Num(row, 4, a.issued >= a.used ? a.issued - a.used : 0, fm.count);
    }
    const std::uint64_t issued = IssuedCodes(r), used = UsedCodes(r);
    s.Str(row, 0, "合计", fm.label);
    s.Str(row, 1, "", fm.text);
    s.Num(row, 2, static_cast<double>(issued), fm.count);
    s.Num(row, 3, static_cast<double>(used), fm.count);
    s.Num(row++, 4, static_cast<double>(issued >= used ? issued - used : 0), fm.count);
    ++row;

    s.Str(row++, 0, "投票箱", fm.section);
    s.Str(row, 0, "投票机", fm.header);
    s.Merge(row, 1, 3, "设备密钥指纹", fm.header);
    s.Str(row++, 4, "选票数", fm.header);
    for (const auto& b : r.boxes) {
        s.Num(row, 0, b.kiosk, fm.center);
        s.Merge(row, 1, 3, KeyFingerprint(b.device_public_key, r.suite), fm.text);
        s.Num(row++, 4, b.ballots, fm.count);
    }
    s.Str(row, 0, "合计", fm.label);
    s.Merge(row, 1, 3, "", fm.text);
    s.Num(row++, 4, r.TotalBallots(), fm.count);
    ++row;

    s.Str(row++, 0, "计票分组", fm.section);
    s.Merge(row, 0, 2, "分组（类别）", fm.header);
    s.Str(row, 3, "权重", fm.header);
    s.Str(row++, 4, "选票数", fm.header);
    for (const auto& g : r.groups) {
        s.Merge(row, 0, 2, GroupLabel(def, g), fm.text);
        s.Num(row, 3, GroupWeight(def, g), fm.count);
        s.Num(row++, 4, g.ballots, fm.count);
    }
    ++row;

    s.Str(row++, 0, "核对", fm.section);
    const std::uint32_t ballots = r.TotalBallots();
    s.Str(row, 0, "收回选票合计", fm.label);
    s.Num(row++, 1, ballots, fm.count);
    s.Str(row, 0, "已用投票码合计", fm.label);
    s.Num(row, 1, static_cast<double>(used), fm.count);
    if (used == ballots)
        s.Str(row++, 2, "一致", fm.text);
    else
        s.Merge(row++, 2, kLast, std::string(kMismatch) + "：已用投票码数与选票数不符", fm.warn);
    s.Str(row, 0, "实到人数", fm.label);
    if (r.present) {
        s.Num(row, 1, *r.present, fm.count);
        if (*r.present == ballots)
            s.Str(row++, 2, "一致", fm.text);
        else
            s.Merge(row++, 2, kLast,
                    std::string(kMismatch) + "：实到人数 " + std::to_string(*r.present) + " 人，收回选票 " +
                        std::to_string(ballots) + " 张",
                    fm.warn);
    } else {
        s.Str(row++, 1, "未填写", fm.text);
    }
    ++row;

    s.Str(row++, 0, "说明", fm.section);
    std::vector<std::string> notes = MergeNotes(def, r);
    notes.push_back("加权占比按各类投票人的权重计算：" + WeightShares(def, r) + "。");
    if (const std::string unused = UnusedWeightNote(def, r); !unused.empty()) notes.push_back(unused);
    notes.push_back("参考等次按评议规则计算，仅供参考，最终等次由组织评定：" + RulesText(def));
    for (const auto& note : notes)
        s.Merge(row++, 0, kLast, note, nullptr);

    s.Width(0, 0, 18);
    s.Width(1, kLast, 14);
    worksheet_set_paper(s.sheet(), 9);
    worksheet_fit_to_pages(s.sheet(), 1, 0);
    return s.error();
}

// A sibling of `out` to write to before renaming into place.
fs::path TemporarySibling(const fs::path& out)
{
    std::random_device rd;
    return out.parent_path() / (out.filename().string() + ".tmp-" + std::to_string(rd()));
}

// The workbook's creation time: the election's date (YYYY-MM-DD) at 00:00 UTC, never the
// clock, so that the same results always make the same file, whichever face writes it.
// 0 (1970) for a date that does not parse.
std::time_t WorkbookCreated(const std::string& date)
{
    int y = 0, m = 0, d = 0;
    if (std::sscanf(date.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31) return 0;
    // Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's days_from_civil).
    y -= m <= 2 ? 1 : 0;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const long days = static_cast<long>(era) * 146097 + doe - 719468;
    return static_cast<std::time_t>(days) * 86400;
}

}  // namespace

Status WriteResultsXlsx(const ReportInput& in, const std::filesystem::path& out)
{
    if (Status st = CheckInput(in); !st) return st;
    if (Status st = CheckDirectory(out); !st) return st;
    const fs::path tmp = TemporarySibling(out);
    // libxlsxwriter's own temporary files go next to the output, not to the system temp
    // directory (on Windows tmpfile() may not be writable for a normal user).
    std::string tmpdir = out.parent_path().empty() ? std::string(".") : out.parent_path().string();
    lxw_workbook_options options{};
    options.tmpdir = tmpdir.data();
    lxw_error err = LXW_NO_ERROR;
    {
        std::unique_ptr<lxw_workbook, WorkbookCloser> wb(workbook_new_opt(tmp.string().c_str(), &options));
        if (!wb) return MakeError("report.write", "cannot start the workbook " + out.string());
        lxw_doc_properties properties{};
        properties.created = WorkbookCreated(in.def.date);
        workbook_set_properties(wb.get(), &properties);
        const Formats fm = MakeFormats(wb.get());
        err = WriteResultsSheet(wb.get(), fm, in);
        if (err == LXW_NO_ERROR) err = WriteStatisticsSheet(wb.get(), fm, in);
        if (err == LXW_NO_ERROR) err = workbook_close(wb.release());
    }
    std::error_code ec;
    if (err != LXW_NO_ERROR) {
        fs::remove(tmp, ec);
        return MakeError("report.write", "cannot write " + out.string() + ": " + lxw_strerror(err));
    }
    fs::rename(tmp, out, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        return MakeError("report.write", "cannot write " + out.string() + ": " + ec.message());
    }
    return Status::Ok();
}

}  // namespace pingyi
