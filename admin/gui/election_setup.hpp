// The new-evaluation flow without widgets: the form's values become an ElectionDefinition,
// the passphrase gets a strength hint, and the files are written as the console's
// `pingyi election create` writes them. election_panel.cpp is its screen.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/election.hpp"
#include "core/package.hpp"
#include "core/roster.hpp"
#include "crypto/secret.hpp"

namespace pingyi::admin {

// The files of a new evaluation, named as the console names them.
inline constexpr const char* kPackageFile = "election.pyp";
inline constexpr const char* kElectionKeyFile = "election-key.pyk";
inline constexpr const char* kAdminKeyFile = "admin-key.pyk";
inline constexpr const char* kSlipsFile = "code-slips.pdf";

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
inline constexpr std::size_t kMinPassphraseChars = 8;  // Unicode code points
// A hint, not a rule (only the minimum length is one): length and variety of characters.
Strength PassphraseStrength(std::string_view utf8);
std::size_t CodePoints(std::string_view utf8);

// "output.exists" when the folder already holds one of the four files (never overwrite a
// key of an election in use); "output.folder" when it cannot be created.
Status PrepareOutputFolder(const std::filesystem::path& folder);

struct WrittenElection {
    std::filesystem::path folder;
    std::string fingerprint_short;
    std::string fingerprint_full;
    std::uint32_t codes = 0;
    std::vector<PlainCode> plain_codes;  // already printed; the screen wipes them at once
};

// Creates the keys, codes and signed package (CreateElection, default KdfParams), writes
// election.pyp, election-key.pyk, admin-key.pyk (owner-only) and code-slips.pdf. Nothing is
// written if `keep_going` says stop before the writing starts.
Result<WrittenElection> WriteElection(const ElectionDefinition& def, const SecretBytes& passphrase,
                                      const std::filesystem::path& folder, const std::function<bool()>& keep_going,
                                      KdfParams kdf = {});

}  // namespace pingyi::admin
