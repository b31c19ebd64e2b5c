// Internal to pingyi_reports: what the Excel workbook (workbook.cpp) and the PDFs
// (reports.cpp) share — the input check and the wording of counts, weights, merged groups
// and rules, so that every report says the same thing in the same words.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/reports.hpp"

namespace pingyi::report_detail {

inline constexpr std::string_view kTestMark = "测试 — 非正式评议";
inline constexpr std::string_view kUndecided = "待支部研究确定";
inline constexpr std::string_view kMismatch = "不一致";

// "report.input" with `detail`.
Status InputError(std::string detail);
// The input of every report agrees with its election: one summary (and none or one final
// decision) per member, attendance per category, groups of known categories.
Status CheckInput(const ReportInput& in);
// "12.5%".
std::string Percent(double value);
// "2026-11-28" → "2026年11月28日"; anything else as given.
std::string ChineseDate(const std::string& date);
std::uint64_t UsedCodes(const Results& r);
std::uint64_t IssuedCodes(const Results& r);
// The tellers' checked ballots (核验票) of all boxes: never counted.
std::uint64_t SpoiledBallots(const Results& r);
// For a header after the ballots cast: "<sep>核验票（不计入）：n 张", or nothing when there were none.
std::string SpoiledNote(const Results& r, std::string_view sep);
std::uint32_t GroupWeight(const ElectionDefinition& def, const TallyGroup& g);
// "党员 70%，群众代表 30%": each tally group's share of the total weight.
std::string WeightShares(const ElectionDefinition& def, const Results& r);
// A category with a weight that cast no ballots drops out and the other weights are scaled
// up (85/15 becomes 党员 100%): said on the tally sheet and in the workbook, never silently.
// Empty when every weighted category cast ballots.
std::string UnusedWeightNote(const ElectionDefinition& def, const Results& r);
// Which categories were tallied together and why, one line per merged group, in Chinese.
std::vector<std::string> MergeNotes(const ElectionDefinition& def, const Results& r);
// The grading rules in words, for the notes.
std::string RulesText(const ElectionDefinition& def);
const std::string& OptionName(const ElectionDefinition& def, std::uint32_t option);
// "report.write" unless `out` names a file in an existing directory.
Status CheckDirectory(const std::filesystem::path& out);

}  // namespace pingyi::report_detail
