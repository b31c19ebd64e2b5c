#include "core/reports.hpp"

#include <xlsxwriter.h>

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
#include "crypto/sign.hpp"

namespace pingyi {

namespace {

namespace fs = std::filesystem;
using pdf::Align;
using pdf::Rect;
using pdf::TextStyle;
using pdf::VAlign;

constexpr std::string_view kTestMark = "测试 — 非正式评议";
constexpr std::string_view kUndecided = "待支部研究确定";
constexpr std::string_view kMismatch = "不一致";

// ---- Shared: input checks and wording -------------------------------------------------

Status InputError(std::string detail)
{
    return MakeError("report.input", std::move(detail));
}

Status CheckInput(const ReportInput& in)
{
    const ElectionDefinition& def = in.def;
    const Results& r = in.results;
    const std::size_t members = def.roster.size();
    const std::size_t options = def.options.size();
    if (members == 0 || options == 0) return InputError("the election has no members or no options");
    if (in.summary.size() != members)
        return InputError("the summary has " + std::to_string(in.summary.size()) + " members, the roster " +
                          std::to_string(members));
    if (!in.decisions.empty() && in.decisions.size() != members)
        return InputError("there are " + std::to_string(in.decisions.size()) + " final decisions for " +
                          std::to_string(members) + " members (give none or one per member)");
    for (std::size_t i = 0; i < in.decisions.size(); ++i)
        if (in.decisions[i].grade && *in.decisions[i].grade >= options)
            return InputError("the final grade of member #" + std::to_string(i + 1) + " is not an option");
    if (r.attendance.size() != def.categories.size())
        return InputError("the results' attendance does not match the voter categories");
    for (const auto& g : r.groups) {
        if (g.categories.empty()) return InputError("a tally group has no category");
        for (auto c : g.categories)
            if (c >= def.categories.size()) return InputError("a tally group names an unknown category");
    }
    for (std::size_t i = 0; i < members; ++i) {
        const MemberSummary& m = in.summary[i];
        bool ok = m.counts.size() == r.groups.size() && m.total.size() == options && m.percent.size() == options &&
                  m.weighted_percent.size() == options && m.suggested < options;
        for (const auto& row : m.counts)
            ok = ok && row.size() == options;
        if (!ok) return InputError("the summary of member #" + std::to_string(i + 1) + " does not match the election");
    }
    return Status::Ok();
}

std::string Percent(double value)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", value);
    return buf;
}

// "2026-11-28" → "2026年11月28日"; anything else as given.
std::string ChineseDate(const std::string& date)
{
    int y = 0, m = 0, d = 0;
    char tail = 0;
    if (date.size() == 10 && std::sscanf(date.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 &&
        d >= 1 && d <= 31)
        return std::to_string(y) + "年" + std::to_string(m) + "月" + std::to_string(d) + "日";
    return date;
}

std::uint64_t UsedCodes(const Results& r)
{
    std::uint64_t used = 0;
    for (const auto& a : r.attendance)
        used += a.used;
    return used;
}

std::uint64_t IssuedCodes(const Results& r)
{
    std::uint64_t issued = 0;
    for (const auto& a : r.attendance)
        issued += a.issued;
    return issued;
}

// The tellers' checked ballots (核验票) of all boxes: never counted.
std::uint64_t SpoiledBallots(const Results& r)
{
    std::uint64_t n = 0;
    for (const auto& b : r.boxes)
        n += b.spoiled;
    return n;
}

// For a header after the ballots cast: "<sep>核验票（不计入）：n 张", or nothing when there were none.
std::string SpoiledNote(const Results& r, std::string_view sep)
{
    const std::uint64_t n = SpoiledBallots(r);
    return n == 0 ? std::string() : std::string(sep) + "核验票（不计入）：" + std::to_string(n) + " 张";
}

std::uint32_t GroupWeight(const ElectionDefinition& def, const TallyGroup& g)
{
    std::uint32_t w = 0;
    for (auto c : g.categories)
        w += def.categories[c].weight;
    return w;
}

// "70%", "33.3%".
std::string WeightPercent(double share)
{
    char buf[32];
    if (share == static_cast<double>(static_cast<long long>(share)))
        std::snprintf(buf, sizeof buf, "%lld%%", static_cast<long long>(share));
    else
        std::snprintf(buf, sizeof buf, "%.1f%%", share);
    return buf;
}

// "党员 70%，群众代表 30%": each tally group's share of the total weight.
std::string WeightShares(const ElectionDefinition& def, const Results& r)
{
    double total = 0;
    for (const auto& g : r.groups)
        total += GroupWeight(def, g);
    std::string s;
    for (const auto& g : r.groups) {
        if (!s.empty()) s += "，";
        s += GroupLabel(def, g) + " " + WeightPercent(total > 0 ? 100.0 * GroupWeight(def, g) / total : 0);
    }
    return s;
}

// A category with a weight that cast no ballots drops out and the other weights are scaled
// up (85/15 becomes 党员 100%): said on the tally sheet and in the workbook, never silently.
// Empty when every weighted category cast ballots.
std::string UnusedWeightNote(const ElectionDefinition& def, const Results& r)
{
    double total = 0;
    for (const auto& c : def.categories)
        total += c.weight;
    std::string configured, unused;
    for (std::size_t c = 0; c < def.categories.size(); ++c) {
        if (def.categories[c].weight == 0) continue;
        if (!configured.empty()) configured += "，";
        configured += def.categories[c].name + " " + WeightPercent(100.0 * def.categories[c].weight / total);
        if (c >= r.attendance.size() || r.attendance[c].used == 0) {
            if (!unused.empty()) unused += "、";
            unused += def.categories[c].name;
        }
    }
    if (unused.empty()) return {};
    return "设定的权重为" + configured + "；" + unused + "没有收回选票，其权重未计入，加权占比已按" +
           WeightShares(def, r) + "重新折算。";
}

// Which categories were tallied together and why, in Chinese words built from the groups of
// the results (their `notes` are the machine's English record, signed with them; the
// official pages say it in the reader's language). A category with fewer ballots than the
// minimum group size is never decrypted on its own: one line per merged group.
std::vector<std::string> MergeNotes(const ElectionDefinition& def, const Results& r)
{
    const auto names = [&def](const std::vector<std::uint32_t>& cats) {
        std::string s;
        for (const auto c : cats)
            s += (s.empty() ? "" : "、") + def.categories[c].name;
        return s;
    };
    std::vector<std::string> out;
    for (const auto& m : MergedGroups(def, r)) {
        const std::string k = std::to_string(m.min_group);
        if (m.large.empty())
            out.push_back(names(m.small) + "各自收回的选票不足 " + k + " 张，已合并统计（共 " +
                          std::to_string(m.ballots) + " 张），以免从人数很少的类别推知个人的评价。");
        else
            out.push_back(names(m.small) + "收回的选票不足 " + k + " 张（共 " + std::to_string(m.small_ballots) +
                          " 张），已并入" + names(m.large) + "统计，以免从人数很少的类别推知个人的评价。");
    }
    return out;
}

// The grading rules in words, for the notes.
std::string RulesText(const ElectionDefinition& def)
{
    std::string s;
    for (const auto& rule : def.grade_rules) {
        if (rule.option >= def.options.size() || rule.suggest >= def.options.size()) continue;
        if (!s.empty()) s += "；";
        s += def.options[rule.option] + "加权占比 ≥ " + std::to_string(rule.min_percent) + "% 的，参考等次为" +
             def.options[rule.suggest];
    }
    if (def.default_grade < def.options.size())
        s += (s.empty() ? "" : "；") + std::string("其余为") + def.options[def.default_grade];
    if (def.quota && def.quota->option < def.options.size())
        s += "。参考等次为" + def.options[def.quota->option] + "的不超过 " + std::to_string(def.quota->max) +
             " 名（按加权占比从高到低）";
    return s + "。";
}

const std::string& OptionName(const ElectionDefinition& def, std::uint32_t option)
{
    return def.options[option];
}

// ---- Excel workbook --------------------------------------------------------------------

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

Status CheckDirectory(const fs::path& out)
{
    const fs::path dir = out.parent_path().empty() ? fs::path(".") : out.parent_path();
    std::error_code ec;
    if (out.filename().empty() || !fs::is_directory(dir, ec))
        return MakeError("report.write", "cannot write " + out.string() + ": no such directory");
    if (fs::is_directory(out, ec)) return MakeError("report.write", "cannot write " + out.string() + ": a directory");
    return Status::Ok();
}

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
