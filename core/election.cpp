#include "core/election.hpp"

#include <set>

#include "core/json_input.hpp"

namespace pingyi {
namespace {

Error Bad(std::string detail)
{
    return MakeError("election.invalid", std::move(detail));
}

bool IsHex32(const std::string& s)
{
    if (s.size() != 32) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace

GridShape ElectionDefinition::Shape() const
{
    GridShape shape{static_cast<std::uint32_t>(roster.size()), static_cast<std::uint32_t>(options.size()), {}, 0};
    if (quota) {
        shape.quota_col = quota->option;
        shape.quota_max = quota->max;
    }
    return shape;
}

std::uint32_t ElectionDefinition::TotalCodes() const
{
    std::uint32_t n = 0;
    for (const auto& c : categories)
        n += c.codes;
    return n;
}

std::vector<std::string> DefaultOptions(bool with_unknown)
{
    std::vector<std::string> o = {"优秀", "合格", "基本合格", "不合格"};
    if (with_unknown) o.emplace_back("不了解");
    return o;
}

std::vector<GradeRule> DefaultGradeRules()
{
    // 不合格 votes >= 1/3 -> 不合格 to be considered; 不合格 + 基本合格 >= 1/3 handled by
    // the 基本合格 rule on its own share; 优秀 >= 2/3 -> 优秀 candidate.
    return {{/*option=*/3, /*min_percent=*/34, /*suggest=*/3},
            {/*option=*/2, /*min_percent=*/34, /*suggest=*/2},
            {/*option=*/0, /*min_percent=*/67, /*suggest=*/0}};
}

SuiteId ProposedSuite(bool test_mode)
{
    return test_mode ? SuiteId::P256_SHA256 : SuiteId::SM2_SM3;
}

Status Validate(const ElectionDefinition& def)
{
    if (!IsHex32(def.election_id)) return Bad("election_id must be 32 lower-case hex digits");
    if (def.title.empty() || def.title.size() > 200) return Bad("the title must have 1 to 200 bytes");
    if (def.organization.size() > 200) return Bad("the organization name is too long");
    if (def.roster.empty()) return Bad("the roster is empty");
    if (def.roster.size() > 1000) return Bad("the roster has more than 1000 members");
    for (std::size_t i = 0; i < def.roster.size(); ++i)
        if (def.roster[i].name.empty()) return Bad("member " + std::to_string(i + 1) + " has no name");
    if (def.options.size() < 2 || def.options.size() > 8) return Bad("there must be 2 to 8 options");
    std::set<std::string> seen(def.options.begin(), def.options.end());
    if (seen.size() != def.options.size() || seen.count("")) return Bad("options must be distinct and non-empty");
    if (def.quota) {
        if (def.quota->option >= def.options.size()) return Bad("the quota names an option that does not exist");
        if (def.quota->max >= def.roster.size()) return Bad("the quota must be below the number of members");
    }
    if (def.categories.empty()) return Bad("there must be at least one voter category");
    std::set<std::string> names;
    for (const auto& c : def.categories) {
        if (c.name.empty() || !names.insert(c.name).second) return Bad("category names must be distinct and non-empty");
        if (c.codes == 0 || c.codes > 5000) return Bad("category " + c.name + " must have 1 to 5000 codes");
        if (c.weight == 0 || c.weight > 1000) return Bad("category " + c.name + " must have a weight of 1 to 1000");
    }
    if (def.kiosks == 0 || def.kiosks > 16) return Bad("there must be 1 to 16 kiosks");
    if (def.min_group_size < 1 || def.min_group_size > 100) return Bad("the minimum group size must be 1 to 100");
    for (const auto& r : def.grade_rules)
        if (r.option >= def.options.size() || r.suggest >= def.options.size() || r.min_percent > 100)
            return Bad("a grade rule names an option that does not exist or a share above 100 %");
    if (def.default_grade >= def.options.size()) return Bad("the default grade is not an option");
    return Status::Ok();
}

nlohmann::json ToJson(const ElectionDefinition& def)
{
    nlohmann::json roster = nlohmann::json::array();
    for (const auto& m : def.roster)
        roster.push_back({{"name", m.name}, {"id", m.id}, {"note", m.note}});
    nlohmann::json cats = nlohmann::json::array();
    for (const auto& c : def.categories)
        cats.push_back({{"name", c.name}, {"codes", c.codes}, {"weight", c.weight}});
    nlohmann::json rules = nlohmann::json::array();
    for (const auto& r : def.grade_rules)
        rules.push_back({{"option", r.option}, {"min_percent", r.min_percent}, {"suggest", r.suggest}});
    nlohmann::json j = {{"election_id", def.election_id},
                        {"title", def.title},
                        {"organization", def.organization},
                        {"date", def.date},
                        {"mode", def.test_mode ? "test" : "official"},
                        {"roster", roster},
                        {"options", def.options},
                        {"quota", nullptr},
                        {"categories", cats},
                        {"kiosks", def.kiosks},
                        {"min_group_size", def.min_group_size},
                        {"grade_rules", rules},
                        {"default_grade", def.default_grade}};
    if (def.quota) j["quota"] = {{"option", def.quota->option}, {"max", def.quota->max}};
    return j;
}

Result<ElectionDefinition> ElectionFromJson(const nlohmann::json& j)
{
    try {
        if (!HasExactly(j, {"election_id", "title", "organization", "date", "mode", "roster", "options", "quota",
                            "categories", "kiosks", "min_group_size", "grade_rules", "default_grade"}))
            return Bad("the election definition has unknown or missing fields");
        ElectionDefinition def;
        def.election_id = j.at("election_id").get<std::string>();
        def.title = j.at("title").get<std::string>();
        def.organization = j.at("organization").get<std::string>();
        def.date = j.at("date").get<std::string>();
        const auto mode = j.at("mode").get<std::string>();
        if (mode != "test" && mode != "official") return Bad("mode must be \"test\" or \"official\"");
        def.test_mode = mode == "test";
        for (const auto& m : j.at("roster")) {
            if (!HasExactly(m, {"name", "id", "note"})) return Bad("a member entry has unknown or missing fields");
            def.roster.push_back(
                {m.at("name").get<std::string>(), m.at("id").get<std::string>(), m.at("note").get<std::string>()});
        }
        def.options = j.at("options").get<std::vector<std::string>>();
        if (!j.at("quota").is_null()) {
            if (!HasExactly(j["quota"], {"option", "max"})) return Bad("the quota has unknown or missing fields");
            def.quota =
                Quota{IntegerAt<std::uint32_t>(j["quota"], "option"), IntegerAt<std::uint32_t>(j["quota"], "max")};
        }
        for (const auto& c : j.at("categories")) {
            if (!HasExactly(c, {"name", "codes", "weight"})) return Bad("a category has unknown or missing fields");
            def.categories.push_back({c.at("name").get<std::string>(), IntegerAt<std::uint32_t>(c, "codes"),
                                      IntegerAt<std::uint32_t>(c, "weight")});
        }
        def.kiosks = IntegerAt<std::uint32_t>(j, "kiosks");
        def.min_group_size = IntegerAt<std::uint32_t>(j, "min_group_size");
        for (const auto& r : j.at("grade_rules")) {
            if (!HasExactly(r, {"option", "min_percent", "suggest"}))
                return Bad("a grade rule has unknown or missing fields");
            def.grade_rules.push_back({IntegerAt<std::uint32_t>(r, "option"),
                                       IntegerAt<std::uint32_t>(r, "min_percent"),
                                       IntegerAt<std::uint32_t>(r, "suggest")});
        }
        def.default_grade = IntegerAt<std::uint32_t>(j, "default_grade");
        if (Status s = Validate(def); !s) return s.error();
        return def;
    } catch (const JsonValueError& e) {
        return Bad("the election definition is malformed: " + e.what);
    } catch (const nlohmann::json::exception& e) {
        return Bad("the election definition is malformed: " + JsonErrorWords(e));
    }
}

}  // namespace pingyi
