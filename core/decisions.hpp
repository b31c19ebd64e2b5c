// The branch's final grades (组织评定): one decision per roster member, recorded by the admin
// after the tally, with an optional remark (docs/formats.md "Decisions file"). A plain,
// unsigned working file: the signed results are the evidence, this is the branch's record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/package.hpp"

namespace pingyi {

// 组织评定: the branch's decision for one member.
struct FinalDecision {
    std::optional<std::uint32_t> grade;  // option index; nullopt: not decided yet
    std::string remark;                  // 备注 (workbook only, never in a letter)
};

inline constexpr std::size_t kMaxRemarkBytes = 2000;

// The file, pretty-printed JSON (UTF-8). `decisions` has one entry per roster member.
[[nodiscard]] Bytes SerializeDecisions(const ElectionPackage& package, const std::vector<FinalDecision>& decisions);

// Errors: "decisions.format" (not a decisions file, a grade that is no option, a remark too
// long, not one entry per member in roster order), "decisions.election" (written for
// another election: another fingerprint, or the members' names differ).
[[nodiscard]] Result<std::vector<FinalDecision>> ParseDecisions(ByteView file, const ElectionPackage& package);

}  // namespace pingyi
