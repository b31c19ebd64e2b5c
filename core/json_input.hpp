// Reading untrusted JSON: every JSON text Pingyi reads (package, results, decisions, record
// and event bodies, the election settings) goes through ParseJson (docs/formats.md §0).
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

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
    } catch (const nlohmann::json::parse_error& e) {
        // The library's own text (its error number, the bytes it last read) is not for a user.
        return MakeError("json.syntax",
                         "it is not valid JSON in UTF-8 (the error is at byte " + std::to_string(e.byte) + ")");
    } catch (const nlohmann::json::exception&) {  // out_of_range 406: a number such as 1e999
        return MakeError("json.syntax", "it has a number too large to read");
    }
}

// What a reader's try block throws when a value is not what its member must be; the reader
// catches it and returns its own error code with `what`. It never leaves a reader.
struct JsonValueError {
    std::string what;
};

// The checked integer accessor (docs/formats.md §0): a JSON integer within T's range, tested
// before anything is converted. A float (`1.0`, `1.11111e+38`), a boolean, a string, null, a
// negative number for an unsigned T or a number beyond T gives nullopt, never a cast.
template <class T>
requires std::is_integral_v<T> &&
    (!std::is_same_v<T, bool>)std::optional<T> IntegerValue(const nlohmann::json& j) noexcept
{
    if (j.is_number_unsigned()) {
        const auto v = j.get_ref<const nlohmann::json::number_unsigned_t&>();
        if (std::in_range<T>(v)) return static_cast<T>(v);
    } else if (j.is_number_integer()) {
        const auto v = j.get_ref<const nlohmann::json::number_integer_t&>();
        if (std::in_range<T>(v)) return static_cast<T>(v);
    }
    return std::nullopt;
}

// IntegerValue, or JsonValueError naming `what` and the range.
template <class T>
T IntegerOf(const nlohmann::json& j, std::string_view what)
{
    if (auto v = IntegerValue<T>(j)) return *v;
    const char* is = j.is_number_float() ? "a number with a fraction or exponent"
                     : j.is_number()     ? "a number out of range"
                     : j.is_boolean()    ? "true or false"
                     : j.is_string()     ? "text"
                     : j.is_null()       ? "null"
                                         : "a list or an object";
    throw JsonValueError{std::string(what) + " must be a whole number from " +
                         std::to_string(std::numeric_limits<T>::min()) + " to " +
                         std::to_string(std::numeric_limits<T>::max()) + ", not " + is};
}

// The integer member `name` of the object `j` (JsonValueError if j is not an object or lacks it).
template <class T>
T IntegerAt(const nlohmann::json& j, const char* name)
{
    if (!j.is_object()) throw JsonValueError{std::string("an object with \"") + name + "\" was expected"};
    const auto it = j.find(name);
    if (it == j.end()) throw JsonValueError{std::string("the member \"") + name + "\" is missing"};
    return IntegerOf<T>(*it, std::string("\"") + name + "\"");
}

// Every element of the array `j`, each through IntegerOf.
template <class T>
std::vector<T> IntegersOf(const nlohmann::json& j, std::string_view what)
{
    if (!j.is_array()) throw JsonValueError{std::string(what) + " must be a list of whole numbers"};
    std::vector<T> out;
    out.reserve(j.size());
    for (const auto& x : j)
        out.push_back(IntegerOf<T>(x, std::string("an element of ") + std::string(what)));
    return out;
}

// A reader's words for what nlohmann::json threw from its try block (a member missing, or of
// another type): without the library's prefix and error number.
inline std::string JsonErrorWords(const nlohmann::json::exception& e)
{
    std::string_view text = e.what();
    if (const auto end = text.find("] "); text.starts_with("[json.exception.") && end != std::string_view::npos)
        text.remove_prefix(end + 2);
    if (e.id == 403) {  // out_of_range: "key 'x' not found"
        const auto a = text.find('\''), b = text.rfind('\'');
        if (a != std::string_view::npos && b > a)
            return "the member \"" + std::string(text.substr(a + 1, b - a - 1)) + "\" is missing";
        return "a member is missing";
    }
    if (constexpr std::string_view kType = "type must be "; e.id == 302 && text.starts_with(kType)) {
        text.remove_prefix(kType.size());  // "string, but is number"
        const auto named = [](std::string_view type) {
            const bool vowel = !type.empty() && std::string_view("aeiou").find(type[0]) != std::string_view::npos;
            return (type == "null" ? "" : vowel ? "an " : "a ") + std::string(type);
        };
        if (const auto but = text.find(", but is "); but != std::string_view::npos)
            return "a member must be " + named(text.substr(0, but)) + ", not " + named(text.substr(but + 9));
    }
    if (e.id == 401) return "a list is shorter than expected";
    return "a member is missing or has the wrong type";
}

// True if j is an object with exactly these members: signed bodies refuse unknown members
// before they are canonicalised.
inline bool HasExactly(const nlohmann::json& j, std::initializer_list<std::string_view> members)
{
    if (!j.is_object() || j.size() != members.size()) return false;
    return std::all_of(members.begin(), members.end(), [&](std::string_view m) { return j.contains(std::string(m)); });
}

}  // namespace pingyi
