// The forms a kiosk prints for the meeting (docs/kiosk.md "Opening and closing forms"): the
// opening form (开箱记录) when the poll is opened and the closing form (关箱记录) when it is
// closed, each signed by the 监票人 and the operator, and a device list file beside the
// opening form that the tally reads with `pingyi verify --expect-device` (formats.md §4.12).
//
// They anchor a box to the meeting: the device key's fingerprint written on a signed paper at
// opening is what the auditor passes as --expect-device (check `boxes.registered`), and the
// close seal's fingerprint and the counts per category on the closing form are what the box
// handed in must show. The forms only print what the box holds; they check nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/ballot_box.hpp"
#include "crypto/result.hpp"

namespace pingyi {

enum class FormLanguage { kChinese, kEnglish };

// What both forms identify a box by, in the forms' printed forms.
struct BoxIdentity {
    std::string election_full;   // 64 hex digits of the election fingerprint
    std::string election_short;  // ShortFingerprint: what the screens and slips show
    std::uint32_t kiosk = 0;
    std::string device_full;   // 64 hex digits of KeyFingerprintDigest(device public key)
    std::string device_short;  // KeyFingerprint: xxxx-xxxx-xxxx-xxxx, as --expect-device takes it
    std::string close_full;    // 64 hex digits of the close seal's s; empty while open
    std::string close_short;   // its first 8 bytes, grouped by 4 like device_short
};
[[nodiscard]] BoxIdentity IdentifyBox(const BallotBox& box);

// The opening form: election title, organization and date, the election fingerprint (short
// and full), the kiosk number, the device key fingerprint (printed form and full digest),
// ballots in the box (the box's count: 0 at opening), the time `at` in local time, and
// signature lines for three 监票人 and the operator. Errors: "report.write" (no such folder,
// cannot write), "pdf.font", "pdf.internal".
[[nodiscard]] Status WriteOpeningFormPdf(const BallotBox& box, const std::filesystem::path& out, FormLanguage language,
                                         std::chrono::system_clock::time_point at,
                                         const std::filesystem::path& font = {});

// The closing form: the same identity, the ballots per category and in total, the close
// seal's fingerprint (short and full; the results' close_hash), the time `at` and the same
// signature lines. "report.input" if the poll is not closed; otherwise errors as above.
[[nodiscard]] Status WriteClosingFormPdf(const BallotBox& box, const std::filesystem::path& out, FormLanguage language,
                                         std::chrono::system_clock::time_point at,
                                         const std::filesystem::path& font = {});

// The device list (formats.md §4.12): comment lines starting with '#', then this kiosk's
// device fingerprint, the full 64 hex digits, on a line of its own. "report.write" on failure.
[[nodiscard]] Status WriteDeviceFingerprintFile(const BallotBox& box, const std::filesystem::path& out);

// The names of the files the kiosk saves into the chosen folder, after the box's own name:
// pingyi-<first 8 hex digits of the election id>-kiosk<n>-opening.pdf, -closing.pdf and
// -devices.txt.
struct BoxFormFiles {
    std::filesystem::path opening_form, closing_form, device_list;
};
[[nodiscard]] BoxFormFiles BoxFormFileNames(const BallotBox& box, const std::filesystem::path& folder);

// What the kiosk's buttons call: the opening form and the device list into `folder`, or the
// closing form. Returns the paths written. "report.write" if `folder` is not a folder.
[[nodiscard]] Result<BoxFormFiles> SaveOpeningForm(const BallotBox& box, const std::filesystem::path& folder,
                                                   FormLanguage language, std::chrono::system_clock::time_point at);
[[nodiscard]] Result<BoxFormFiles> SaveClosingForm(const BallotBox& box, const std::filesystem::path& folder,
                                                   FormLanguage language, std::chrono::system_clock::time_point at);

}  // namespace pingyi
