#include "admin/gui/results_table.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace pingyi::admin {
namespace {

std::string Escape(const std::string& s)
{
    std::string out;
    for (char c : s) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

// A number to sort by; text columns compare as text instead.
double SortValue(const ResultsModel& m, std::uint32_t member, const ResultColumn& c)
{
    const auto& s = m.summary[member];
    switch (c.kind) {
        case ColumnKind::Index:
            return member;
        case ColumnKind::Count:
            return static_cast<double>(s.total[c.option]);
        case ColumnKind::Weighted:
            return s.weighted_percent[c.option];
        case ColumnKind::Suggested:
            return s.suggested;
        case ColumnKind::Final: {
            const auto& g = m.decisions[member].grade;
            return g ? *g : 1e9;  // undecided last
        }
        case ColumnKind::Name:
        case ColumnKind::Remark:
            break;
    }
    return 0;
}

}  // namespace

std::vector<ResultColumn> ResultColumns(const ElectionDefinition& def)
{
    std::vector<ResultColumn> cols = {{ColumnKind::Index, 0}, {ColumnKind::Name, 0}};
    const auto k = static_cast<std::uint32_t>(def.options.size());
    for (std::uint32_t o = 0; o < k; ++o)
        cols.push_back({ColumnKind::Count, o});
    for (std::uint32_t o = 0; o < k; ++o)
        cols.push_back({ColumnKind::Weighted, o});
    cols.push_back({ColumnKind::Suggested, 0});
    cols.push_back({ColumnKind::Final, 0});
    cols.push_back({ColumnKind::Remark, 0});
    return cols;
}

std::string FormatPercent(double percent)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", percent);
    return buf;
}

std::string CellText(const ResultsModel& m, std::uint32_t member, const ResultColumn& c)
{
    const auto& def = *m.def;
    const auto& s = m.summary[member];
    switch (c.kind) {
        case ColumnKind::Index:
            return std::to_string(member + 1);
        case ColumnKind::Name:
            return def.roster[member].name;
        case ColumnKind::Count:
            return std::to_string(s.total[c.option]) + " (" + FormatPercent(s.percent[c.option]) + ")";
        case ColumnKind::Weighted:
            return FormatPercent(s.weighted_percent[c.option]);
        case ColumnKind::Suggested:
            return def.options[s.suggested];
        case ColumnKind::Final: {
            const auto& g = m.decisions[member].grade;
            return g && *g < def.options.size() ? def.options[*g] : std::string();
        }
        case ColumnKind::Remark:
            return m.decisions[member].remark;
    }
    return {};
}

std::vector<std::uint32_t> SortMembers(const ResultsModel& m, const ResultColumn& c, bool ascending)
{
    std::vector<std::uint32_t> order(m.def->roster.size());
    std::iota(order.begin(), order.end(), 0u);
    const bool text = c.kind == ColumnKind::Name || c.kind == ColumnKind::Remark;
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (text) {
            const std::string ta = CellText(m, a, c), tb = CellText(m, b, c);
            return ascending ? ta < tb : tb < ta;
        }
        const double va = SortValue(m, a, c), vb = SortValue(m, b, c);
        return ascending ? va < vb : vb < va;
    });
    return order;
}

const char* GradeHex(std::uint32_t option)
{
    switch (option) {
        case 0:
            return "#bbe8bb";
        case 1:
            return "#ddebf7";
        case 2:
            return "#fce4b0";
        case 3:
            return "#f5b7b1";
        default:
            return "#e4e4e4";
    }
}

std::string ResultsHtml(const ResultsModel& m, const std::string& test_banner,
                        const std::vector<std::string>& heading_lines, const std::vector<std::string>& headers,
                        const std::vector<std::uint32_t>& order, const std::vector<std::string>& notes)
{
    const auto cols = ResultColumns(*m.def);
    std::string h = "<html><body>";
    if (!test_banner.empty()) h += "<p><font color=\"#c2410c\"><b>" + Escape(test_banner) + "</b></font></p>";
    for (std::size_t i = 0; i < heading_lines.size(); ++i)
        h += i == 0 ? "<h3>" + Escape(heading_lines[i]) + "</h3>" : "<p>" + Escape(heading_lines[i]) + "</p>";
    h += "<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\"><tr>";
    for (std::size_t c = 0; c < cols.size(); ++c)
        h += "<th bgcolor=\"#eeeeee\">" + Escape(c < headers.size() ? headers[c] : std::string()) + "</th>";
    h += "</tr>";
    for (std::uint32_t member : order) {
        h += "<tr>";
        for (const auto& c : cols) {
            std::string attrs;
            if (c.kind == ColumnKind::Suggested)
                attrs = " bgcolor=\"" + std::string(GradeHex(m.summary[member].suggested)) + "\"";
            if (c.kind == ColumnKind::Final && m.decisions[member].grade)
                attrs = " bgcolor=\"" + std::string(GradeHex(*m.decisions[member].grade)) + "\"";
            const bool number =
                c.kind == ColumnKind::Index || c.kind == ColumnKind::Count || c.kind == ColumnKind::Weighted;
            if (number) attrs += " align=\"right\"";
            h += "<td" + attrs + ">" + Escape(CellText(m, member, c)) + "</td>";
        }
        h += "</tr>";
    }
    h += "</table>";
    for (const auto& n : notes)
        h += "<p>" + Escape(n) + "</p>";
    h += "</body></html>";
    return h;
}

}  // namespace pingyi::admin
