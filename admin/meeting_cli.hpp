// `pingyi verify`, `pingyi tally` and `pingyi demo`: after the meeting, on the console.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/tally_flow.hpp"
#include "core/decisions.hpp"
#include "core/verify.hpp"

namespace pingyi::cli {

// Shared by the console's tally steps (1-of-1 and trustees).
ProgressFn TerminalProgress(const char* label);
// The phases of app's flows on the terminal (the decrypting phase under `decrypting_label`).
app::PhaseProgress TerminalPhases(const char* decrypting_label = "decrypting sums");
void PrintReport(const VerifyReport& report);
void PrintResults(const ElectionDefinition& def, const Results& r);
// "written to <folder>: <the tally's files>".
void PrintWritten(const std::filesystem::path& folder);
// --expect-device and the fingerprints of every --expect-device-file, in that order; false
// (after saying why, with the file and the line) when a file cannot be read or is malformed.
bool GatherExpectedDevices(std::vector<std::string> devices, const std::vector<std::filesystem::path>& files,
                           std::vector<std::string>& out);

struct VerifyOptions {
    std::filesystem::path package;
    std::vector<std::filesystem::path> boxes;
    std::filesystem::path results;                           // optional
    bool list_tracking = false;                              // print every ballot's tracking code
    bool list_spoiled = false;                               // print every checked (spoiled) ballot
    bool list_events = false;                                // print every box's event log
    std::optional<std::string> expect_fingerprint;           // full hex or the short form
    std::vector<std::string> expect_devices;                 // device fingerprints registered at the meeting
    std::vector<std::filesystem::path> expect_device_files;  // lists of them (core/device_list.hpp)
    std::vector<std::filesystem::path> partials;             // trustees' partial decryption files to check
};
// Exit codes of RunVerify: every check passed; some check failed; every check passed but a
// box's poll is still open (not final: the tally refuses it).
inline constexpr int kVerifyPassed = 0, kVerifyFailed = 1, kVerifyOpen = 2;
int RunVerify(const VerifyOptions& opts);

struct TallyOptions {
    std::filesystem::path package;
    std::vector<std::filesystem::path> boxes;
    std::filesystem::path election_key;
    std::filesystem::path admin_key;
    std::filesystem::path out;
    std::filesystem::path font;
    std::string passphrase_env;
    std::optional<std::uint32_t> present;
    std::vector<std::string> expect_devices;                 // device fingerprints registered at the meeting
    std::vector<std::filesystem::path> expect_device_files;  // lists of them (core/device_list.hpp)
};
int RunTally(const TallyOptions& opts);

struct DemoOptions {
    std::filesystem::path assets;
    std::filesystem::path out;
    std::filesystem::path font;
    SuiteId suite = SuiteId::P256_SHA256;  // of the demo election (--suite)
};
int RunDemo(const DemoOptions& opts);

}  // namespace pingyi::cli
