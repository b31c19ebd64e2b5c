// The list of expected device fingerprints (docs/formats.md §4.12): the device keys written
// down on the opening forms (开箱记录) when the kiosks were opened at the meeting, one a line,
// as the kiosk exports it or as the secretary types it. The verifier and the tally take the
// list and fail "boxes.registered" for a box whose device key is not among them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.hpp"
#include "crypto/result.hpp"

namespace pingyi {

// A device fingerprint as typed or printed, as lower-case hex without spaces or dashes: the
// printed KeyFingerprint (16 hex digits), the whole 64-digit key fingerprint, or the device
// public key's 64 hex digits. Empty if `text` is none of these.
[[nodiscard]] std::string NormalizeDeviceFingerprint(std::string_view text);

// Parses a device list: UTF-8 text with or without a byte-order mark, LF or CRLF line ends;
// "#" starts a comment to the end of the line; blank lines are ignored; every other line holds
// one fingerprint in a form NormalizeDeviceFingerprint accepts. Returns them normalised, in
// file order, duplicates dropped. Errors: "devices.encoding" (UTF-16, a NUL byte, or text
// outside a comment that is not ASCII), "devices.line" (a line that is not a fingerprint),
// "devices.empty" (no fingerprint at all); the detail names the line. `bad_line`, if given,
// receives the 1-based line of the error (0 when no line is at fault).
[[nodiscard]] Result<std::vector<std::string>> ParseDeviceList(ByteView text, std::size_t* bad_line = nullptr);

// Reads `path` (FileKind::kDeviceList: a regular file of at most 1 MiB, "file.*" errors) and
// parses it; the detail of a parse error starts with the file's name.
[[nodiscard]] Result<std::vector<std::string>> ReadDeviceList(const std::filesystem::path& path,
                                                              std::size_t* bad_line = nullptr);

}  // namespace pingyi
