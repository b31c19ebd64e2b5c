// After the meeting, without widgets (docs/design.md "Workflows"): verify the package and
// the boxes, open the keys, tally, save the signed results; reopen saved results with no
// key; keep the branch's final grades; write the reports; copy the public files into an
// audit bundle. The one sequence that `pingyi tally`, `pingyi demo` and pingyi-admin's
// tally and verify screens (admin/gui/tally_panel.cpp, verify_panel.cpp) all run.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/files.hpp"
#include "core/reports.hpp"
#include "core/tally.hpp"
#include "crypto/secret.hpp"

namespace pingyi::app {

enum class TallyPhase { Verifying = 0, OpeningKeys = 1, Decrypting = 2 };
// Progress of a phase; false cancels (the core's ProgressFn contract).
using PhaseProgress = std::function<bool(TallyPhase phase, std::size_t done, std::size_t total)>;

struct TallyRequest {
    std::filesystem::path package;
    std::vector<std::filesystem::path> boxes;
    std::filesystem::path key_folder;    // holds election-key.pyk and admin-key.pyk
    std::filesystem::path election_key;  // if set: this file instead of key_folder's
    std::filesystem::path admin_key;     // if set: this file instead of key_folder's
    std::filesystem::path out_folder;    // receives results.json, decisions.json, the reports
    std::optional<std::uint32_t> present;
    std::shared_ptr<SecretBytes> passphrase;
    // The device fingerprints registered when the kiosks were opened; when given, every box's
    // key must be among them ("boxes.registered") or nothing is decrypted. When empty, the
    // line is a warning that the boxes were not anchored to the kiosks.
    std::vector<std::string> expect_devices;
};

struct TallyOutcome {
    Audit audit;  // every check, green or red
    std::optional<Results> results;
    std::optional<Error> error;  // why there are no results
    Bytes package_file;
    std::vector<FinalDecision> decisions;  // from decisions.json; else one empty per member
    std::optional<Error> decisions_error;  // decisions.json was there but not usable
};

// Reads and verifies the package and the boxes, nothing more: `error` is set only when the
// package cannot be read or the run was cancelled; the report says whether every check passed.
TallyOutcome VerifyTallyFiles(const TallyRequest& request, const PhaseProgress& progress);
// Reads out_folder/decisions.json into outcome.decisions (one empty decision per member when
// there is none; decisions_error when it is there but not usable).
void LoadDecisions(const std::filesystem::path& out_folder, TallyOutcome& outcome);

// Writes out_folder/results.json (created if missing) and reads the branch's decisions: the
// last step of every tally. On a failure (of the tally or the writing) only `error` is set.
void SaveResults(Result<Results> results, const std::filesystem::path& out_folder, TallyOutcome& outcome);

// "tally.open_box" naming every box whose poll is still open: a backup exported during voting,
// which no tally takes (the kiosk's export after closing replaces it on the stick).
[[nodiscard]] std::optional<Error> OpenBoxError(const Audit& audit);

// Verifies everything, then opens the keys, tallies and writes out_folder/results.json.
// Nothing is decrypted unless every check passed and every box is closed (OpenBoxError,
// checked before the keys are opened).
TallyOutcome VerifyAndTally(const TallyRequest& request, const PhaseProgress& progress);
// No key: verifies the package, the boxes and out_folder/results.json, then reads them.
TallyOutcome OpenSavedResults(const TallyRequest& request, const PhaseProgress& progress);
// The auditor's check of public files; `results` may be empty. `expect_devices` as
// TallyRequest's (empty: "boxes.registered" is a warning that the boxes were not anchored).
Audit VerifyPublicFiles(const std::filesystem::path& package, const std::vector<std::filesystem::path>& boxes,
                        const std::filesystem::path& results, const std::vector<std::string>& expect_devices,
                        const ProgressFn& progress);

enum class Report { Workbook, TallySheet, Letters };
inline constexpr Report kAllReports[] = {Report::Workbook, Report::TallySheet, Report::Letters};
// The file name of a report in the tally's folder.
[[nodiscard]] const char* ReportFileName(Report report);

// Writes one report into out_folder (created if missing) from the verified results and the
// branch's decisions (empty: none recorded); returns the file written. `font` as for the
// PDF writers (empty: the default search).
[[nodiscard]] Result<std::filesystem::path> WriteReport(Report report, const ElectionPackage& package,
                                                        const Results& results,
                                                        const std::vector<FinalDecision>& decisions,
                                                        const std::filesystem::path& out_folder,
                                                        const std::filesystem::path& font = {});

Status SaveDecisions(const std::filesystem::path& out_folder, const ElectionPackage& package,
                     const std::vector<FinalDecision>& decisions);

// The tracking code (TrackingCode) of every ballot of the verified boxes, sorted.
[[nodiscard]] std::vector<std::string> TrackingCodes(const Audit& audit);
// Writes the 跟踪码公示 list of the verified boxes into out_folder (created if missing), as
// kTrackingCodesPdfFile and kTrackingCodesTextFile; returns the PDF's path.
[[nodiscard]] Result<std::filesystem::path> WriteTrackingCodeList(const Audit& audit,
                                                                  const std::filesystem::path& out_folder,
                                                                  const std::filesystem::path& font = {});

// What a tally leaves in its folder (`pingyi tally`, `pingyi trustee combine`): every report
// of kAllReports and the 跟踪码公示 list, from an outcome with results.
[[nodiscard]] Status WriteTallyFiles(const TallyOutcome& outcome, const std::filesystem::path& out_folder,
                                     const std::filesystem::path& font = {});

// Copies the package, the boxes and results.json into out_folder/audit-bundle, with the
// 跟踪码公示 list of `audit` (the verification of those boxes; none if it holds no verified
// package) and a README that says how to
// check them. A bundle this tool made before is replaced; any other folder of that name is
// left alone and audit-bundle-2, -3 … is used.
Result<std::filesystem::path> WriteAuditBundle(const std::filesystem::path& out_folder,
                                               const std::filesystem::path& package,
                                               const std::vector<std::filesystem::path>& boxes, const Audit& audit);

}  // namespace pingyi::app
