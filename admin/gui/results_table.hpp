// The results table without widgets: which columns the results grid has, what each cell
// says, how rows sort, and the HTML the print-out is made from. tally_panel.cpp shows it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/reports.hpp"

namespace pingyi::admin {

enum class ColumnKind { Index, Name, Count, Weighted, Suggested, Final, Remark };
struct ResultColumn {
    ColumnKind kind = ColumnKind::Index;
    std::uint32_t option = 0;  // for Count and Weighted
};

struct ResultsModel {
    const ElectionDefinition* def = nullptr;
    const Results* results = nullptr;
    std::vector<MemberSummary> summary;    // Summarize(*def, *results)
    std::vector<FinalDecision> decisions;  // one per member
};

// No., name; per option the count with its share of all ballots; per option the weighted
// share; suggested grade (参考等次); final grade (组织评定); remark.
std::vector<ResultColumn> ResultColumns(const ElectionDefinition& def);

// "66.7%"
std::string FormatPercent(double percent);
// The cell's text: "8 (66.7%)" for a count, "58.3%" for a weighted share, option names for
// grades ("" for a final grade not yet decided).
std::string CellText(const ResultsModel& m, std::uint32_t member, const ResultColumn& c);
// The members in display order, sorted by column `c` (numbers as numbers, ties in roster
// order). Grades sort by option index: 优秀 first when ascending.
std::vector<std::uint32_t> SortMembers(const ResultsModel& m, const ResultColumn& c, bool ascending);

// The background of a grade, as "#rrggbb": 优秀 green, 合格 blue, 基本合格 amber, 不合格 red;
// options past these four grey.
const char* GradeHex(std::uint32_t option);

// The print-out: a heading block (already translated lines), then the table in `order`
// with `headers` (one per column), grade cells coloured, and notes; `test_banner` (already
// translated) at the top when not empty.
std::string ResultsHtml(const ResultsModel& m, const std::string& test_banner,
                        const std::vector<std::string>& heading_lines, const std::vector<std::string>& headers,
                        const std::vector<std::uint32_t>& order, const std::vector<std::string>& notes);

}  // namespace pingyi::admin
