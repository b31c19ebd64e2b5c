// Reading untrusted JSON: every JSON text Pingyi reads (package, results, decisions, record
// and event bodies, the election settings) goes through ParseJson (docs/formats.md §0).
#pragma once

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "crypto/bytes.hpp"
#include "crypto/result.hpp"

namespace pingyi {

// At most kMaxJsonDepth levels of arrays and objects (Pingyi's files use 6) and at most
// max_bytes of text, checked while parsing, before anything recurses: a hostile file of
// 200,000 nested arrays is refused, not a stack overflow. Errors "json.size", "json.depth",
// "json.syntax"; readers report them under their own code.
inline constexpr int kMaxJsonDepth = 16;
inline constexpr std::size_t kMaxJsonBytes = std::size_t{64} << 20;

inline Result<nlohmann::json> ParseJson(ByteView text, std::size_t max_bytes = kMaxJsonBytes)
{
    if (text.size() > max_bytes)
        return MakeError("json.size", "the file is larger than " + std::to_string(max_bytes >> 20) + " MiB");
    struct TooDeep {};
    // The callback sees each array or object as it opens, with the number of enclosing ones:
    // a too deep text stops there, before a tree that could exhaust the stack exists.
    const nlohmann::json::parser_callback_t limit = [](int depth, nlohmann::json::parse_event_t event,
                                                       nlohmann::json&) {
        if (depth >= kMaxJsonDepth && (event == nlohmann::json::parse_event_t::object_start ||
                                       event == nlohmann::json::parse_event_t::array_start))
            throw TooDeep{};
        return true;
    };
    try {
        return nlohmann::json::parse(text.begin(), text.end(), limit);
    } catch (const TooDeep&) {
        return MakeError("json.depth",
                         "the JSON text nests more than " + std::to_string(kMaxJsonDepth) + " levels deep");
    } catch (const nlohmann::json::exception& e) {
        return MakeError("json.syntax", std::string("it is not JSON: ") + e.what());
    }
}

// True if j is an object with exactly these members: signed bodies refuse unknown members
// before they are canonicalised.
inline bool HasExactly(const nlohmann::json& j, std::initializer_list<std::string_view> members)
{
    if (!j.is_object() || j.size() != members.size()) return false;
    return std::all_of(members.begin(), members.end(), [&](std::string_view m) { return j.contains(std::string(m)); });
}

}  // namespace pingyi
