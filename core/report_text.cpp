#include "core/report_text.hpp"

#include <cstdio>
#include <system_error>

namespace pingyi::report_detail {
namespace {

namespace fs = std::filesystem;

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

}  // namespace

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

Status CheckDirectory(const fs::path& out)
{
    const fs::path dir = out.parent_path().empty() ? fs::path(".") : out.parent_path();
    std::error_code ec;
    if (out.filename().empty() || !fs::is_directory(dir, ec))
        return MakeError("report.write", "cannot write " + out.string() + ": no such directory");
    if (fs::is_directory(out, ec)) return MakeError("report.write", "cannot write " + out.string() + ": a directory");
    return Status::Ok();
}

}  // namespace pingyi::report_detail
