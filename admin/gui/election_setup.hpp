// The new-evaluation flow without widgets: the form's values become an ElectionDefinition,
// the passphrase gets a strength hint; admin/election_files writes the files, for the console's
// `pingyi election create` too. election_panel.cpp is its screen.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/election_files.hpp"
#include "core/election.hpp"
#include "core/package.hpp"
#include "core/roster.hpp"
#include "crypto/secret.hpp"

namespace pingyi::admin {

struct ElectionForm {
    std::string title;
    std::string organization;
    std::string date;  // YYYY-MM-DD
    bool test_mode = true;
    std::vector<RosterEntry> roster;
    bool with_unknown = false;  // adds 不了解
    std::optional<Quota> quota;
    std::vector<VoterCategory> categories;
    std::uint32_t kiosks = 1;
    std::uint32_t min_group_size = 3;
    std::vector<GradeRule> grade_rules;
    std::uint32_t default_grade = 1;
};

// A form with the defaults of 民主评议党员: the four grades, the default rules, one
// category 党员. The quota (优秀 ≤ ⌊N/3⌋) follows the roster: see DefaultQuotaMax.
ElectionForm DefaultForm();
std::uint32_t DefaultQuotaMax(std::size_t members);

// A fresh random election_id, then Validate (error "election.invalid" naming the rule).
Result<ElectionDefinition> BuildDefinition(const ElectionForm& form, Rng& rng);

enum class Strength { TooShort, Weak, Fair, Strong };
// A hint, not a rule (only the minimum length is one): length and variety of characters.
Strength PassphraseStrength(std::string_view utf8);
std::size_t CodePoints(std::string_view utf8);

}  // namespace pingyi::admin
