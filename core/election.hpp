// The election definition: who is evaluated, with which options, by whom, under what rules.
// Serialised as canonical JSON inside the election package (docs/formats.md §1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/grid.hpp"
#include "crypto/result.hpp"
#include "crypto/suite.hpp"

namespace pingyi {

struct Member {
    std::string name;
    std::string id;    // optional (工号 etc.)
    std::string note;  // optional
};

// A voter category (党员, 团员青年代表, 群众代表 …): how many codes it gets and its weight
// in the weighted results (relative integers: 70 and 30 mean 70 % and 30 %).
struct VoterCategory {
    std::string name;
    std::uint32_t codes = 0;
    std::uint32_t weight = 1;
};

// At most `max` members may receive option `option` on one ballot (e.g. 优秀 ≤ ⌊N/3⌋).
struct Quota {
    std::uint32_t option = 0;
    std::uint32_t max = 0;
};

// The suggested grade (参考等次) rules: thresholds on the weighted share of votes, in
// percent. Applied in order; the first that matches gives the suggestion.
struct GradeRule {
    std::uint32_t option = 0;       // the option whose weighted share is tested
    std::uint32_t min_percent = 0;  // share >= this …
    std::uint32_t suggest = 0;      // … suggests this option as the grade
};

struct ElectionDefinition {
    std::string election_id;  // 32 hex digits, random, fixed at creation
    std::string title;
    std::string organization;
    std::string date;  // YYYY-MM-DD
    bool test_mode = true;
    std::vector<Member> roster;
    std::vector<std::string> options;  // 优秀 / 合格 / 基本合格 / 不合格 [/ 不了解]
    std::optional<Quota> quota;
    std::vector<VoterCategory> categories;
    std::uint32_t kiosks = 1;
    std::uint32_t min_group_size = 3;
    std::vector<GradeRule> grade_rules;
    std::uint32_t default_grade = 1;  // the suggestion when no rule matches (合格)

    [[nodiscard]] GridShape Shape() const;
    [[nodiscard]] std::uint32_t TotalCodes() const;
};

// The default options and rules of 民主评议党员; `with_unknown` adds 不了解.
std::vector<std::string> DefaultOptions(bool with_unknown);
std::vector<GradeRule> DefaultGradeRules();

// The suite the admin application proposes for a new evaluation until the secretary picks one
// (docs/design.md §4, "Choosing a suite"): SM2-SM3 (国密) for an official evaluation, the one
// a commercial-cryptography assessment (密评, GB/T 39786-2021) expects; P256-SHA256 for a
// rehearsal, the default everywhere else (the console, the demo).
SuiteId ProposedSuite(bool test_mode);

// Checks every rule of docs/formats.md §1; the error names the field.
Status Validate(const ElectionDefinition& def);

nlohmann::json ToJson(const ElectionDefinition& def);
Result<ElectionDefinition> ElectionFromJson(const nlohmann::json& j);

}  // namespace pingyi
