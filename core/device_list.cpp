#include "core/device_list.hpp"

#include <algorithm>

#include "core/file_io.hpp"

namespace pingyi {
namespace {

bool IsHex(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
}

// A line as quoted in an error: at most 40 bytes, control characters as '?'.
std::string Quoted(std::string_view line)
{
    std::string out;
    for (char ch : line.substr(0, 40))
        out += static_cast<unsigned char>(ch) < 0x20 ? '?' : ch;
    return "\"" + out + (line.size() > 40 ? "...\"" : "\"");
}

}  // namespace

std::string NormalizeDeviceFingerprint(std::string_view text)
{
    std::string hex;
    for (char ch : text) {
        if (ch == ' ' || ch == '-' || ch == '\t') continue;
        hex += (ch >= 'A' && ch <= 'F') ? static_cast<char>(ch - 'A' + 'a') : ch;
    }
    if (hex.size() != 16 && hex.size() != 64) return {};
    return std::all_of(hex.begin(), hex.end(), IsHex) ? hex : std::string();
}

Result<std::vector<std::string>> ParseDeviceList(ByteView bytes, std::size_t* bad_line)
{
    if (bad_line) *bad_line = 0;
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF')))
        return MakeError("devices.encoding", "the device list is UTF-16 text: save it as UTF-8");
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<std::string> out;
    std::size_t number = 0;
    while (!text.empty()) {
        ++number;
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        auto fail = [&](const char* code, const std::string& why) -> Result<std::vector<std::string>> {
            if (bad_line) *bad_line = number;
            return MakeError(code, "line " + std::to_string(number) + ": " + why);
        };
        if (line.find('\0') != std::string_view::npos)
            return fail("devices.encoding", "a NUL byte: the device list must be UTF-8 text");
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        line = line.substr(0, line.find('#'));  // the comment, in any encoding, is ignored
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t'))
            line.remove_suffix(1);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        if (line.empty()) continue;
        if (std::any_of(line.begin(), line.end(), [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; }))
            return fail("devices.encoding", Quoted(line) +
                                                " has a character that is not a hex digit (a full-width digit, or "
                                                "text outside a comment: start comments with #)");
        std::string hex = NormalizeDeviceFingerprint(line);
        if (hex.empty())
            return fail("devices.line", Quoted(line) +
                                            " is not a device fingerprint: neither the printed form (16 hex "
                                            "digits) nor 64 hex digits");
        if (std::find(out.begin(), out.end(), hex) == out.end()) out.push_back(std::move(hex));
    }
    if (out.empty())
        return MakeError("devices.empty", "the device list names no device (only blank lines and comments)");
    return out;
}

Result<std::vector<std::string>> ReadDeviceList(const std::filesystem::path& path, std::size_t* bad_line)
{
    if (bad_line) *bad_line = 0;
    auto bytes = ReadWholeFile(path, FileKind::kDeviceList);
    if (!bytes) return bytes.error();
    auto list = ParseDeviceList(*bytes, bad_line);
    if (!list) return MakeError(list.error().code, path.filename().string() + " " + list.error().detail);
    return list;
}

}  // namespace pingyi
