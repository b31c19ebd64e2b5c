#include "core/decisions.hpp"

namespace pingyi {
namespace {

constexpr const char* kFormat = "pingyi-decisions";

Error Bad(std::string detail)
{
    return MakeError("decisions.format", std::move(detail));
}

}  // namespace

Bytes SerializeDecisions(const ElectionPackage& package, const std::vector<FinalDecision>& decisions)
{
    const auto& def = package.definition;
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = 0; i < def.roster.size(); ++i) {
        const FinalDecision d = i < decisions.size() ? decisions[i] : FinalDecision{};
        nlohmann::json e = {{"member", i}, {"name", def.roster[i].name}, {"grade", nullptr}, {"remark", d.remark}};
        if (d.grade) e["grade"] = *d.grade;
        list.push_back(std::move(e));
    }
    const nlohmann::json j = {
        {"format", kFormat}, {"version", 1}, {"election", ToHex(package.fingerprint)}, {"decisions", std::move(list)}};
    const std::string text = j.dump(1, ' ', false, nlohmann::json::error_handler_t::strict) + "\n";
    return Bytes(text.begin(), text.end());
}

Result<std::vector<FinalDecision>> ParseDecisions(ByteView file, const ElectionPackage& package)
{
    const auto& def = package.definition;
    auto parsed = ParseJson(file);
    if (!parsed) return Bad(parsed.error().detail);
    const nlohmann::json& j = *parsed;
    try {
        if (!j.is_object() || j.value("format", "") != kFormat) return Bad("not a decisions file");
        if (IntegerAt<int>(j, "version") != 1) return Bad("a decisions file of another version");
        if (j.at("election").get<std::string>() != ToHex(package.fingerprint))
            return MakeError("decisions.election", "the decisions file belongs to another election");
        const auto& list = j.at("decisions");
        if (!list.is_array() || list.size() != def.roster.size())
            return Bad("the decisions file must have one entry per member");
        std::vector<FinalDecision> out;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const auto& e = list[i];
            if (IntegerAt<std::size_t>(e, "member") != i) return Bad("entry " + std::to_string(i) + " is out of order");
            if (e.at("name").get<std::string>() != def.roster[i].name)
                return MakeError("decisions.election", "member " + std::to_string(i + 1) + " has another name");
            FinalDecision d;
            if (!e.at("grade").is_null()) {
                const auto g = IntegerAt<std::uint32_t>(e, "grade");
                if (g >= def.options.size()) return Bad("member " + std::to_string(i + 1) + ": no such grade");
                d.grade = g;
            }
            d.remark = e.at("remark").get<std::string>();
            if (d.remark.size() > kMaxRemarkBytes) return Bad("member " + std::to_string(i + 1) + ": remark too long");
            out.push_back(std::move(d));
        }
        return out;
    } catch (const JsonValueError& e) {
        return Bad("malformed: " + e.what);
    } catch (const nlohmann::json::exception& e) {
        return Bad("malformed: " + JsonErrorWords(e));
    }
}

}  // namespace pingyi
