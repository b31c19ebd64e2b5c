#include "admin/gui/election_setup.hpp"

namespace pingyi::admin {

ElectionForm DefaultForm()
{
    ElectionForm f;
    f.grade_rules = DefaultGradeRules();
    f.categories = {{"党员", 0, 100}};
    return f;
}

std::uint32_t DefaultQuotaMax(std::size_t members)
{
    return static_cast<std::uint32_t>(members / 3);
}

Result<ElectionDefinition> BuildDefinition(const ElectionForm& form, Rng& rng)
{
    ElectionDefinition def;
    Bytes id(16);
    rng.Fill(id);
    def.election_id = ToHex(id);
    def.title = form.title;
    def.organization = form.organization;
    def.date = form.date;
    def.test_mode = form.test_mode;
    for (const auto& e : form.roster)
        def.roster.push_back({e.name, e.id, e.note});
    def.options = DefaultOptions(form.with_unknown);
    def.quota = form.quota;
    def.categories = form.categories;
    def.kiosks = form.kiosks;
    def.min_group_size = form.min_group_size;
    def.grade_rules = form.grade_rules;
    def.default_grade = form.default_grade;
    if (Status s = Validate(def); !s) return s.error();
    return def;
}

std::size_t CodePoints(std::string_view utf8)
{
    std::size_t n = 0;
    for (unsigned char c : utf8)
        n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

Strength PassphraseStrength(std::string_view utf8)
{
    const std::size_t n = CodePoints(utf8);
    if (n < app::kMinPassphraseChars) return Strength::TooShort;
    bool lower = false, upper = false, digit = false, other = false;
    for (unsigned char c : utf8) {
        if (c >= 'a' && c <= 'z')
            lower = true;
        else if (c >= 'A' && c <= 'Z')
            upper = true;
        else if (c >= '0' && c <= '9')
            digit = true;
        else
            other = true;  // punctuation, spaces, Chinese characters
    }
    const int kinds = int{lower} + int{upper} + int{digit} + int{other};
    if (n >= 16 && kinds >= 2) return Strength::Strong;
    if (n >= 12 && kinds >= 3) return Strength::Strong;
    if (n >= 10 && kinds >= 2) return Strength::Fair;
    return Strength::Weak;
}

}  // namespace pingyi::admin
