// The auditor's verification: public files only, no key (docs/design.md §1 step 4). Every check
// is reported on its own line, PASS or FAIL with what failed, so a tampered file names the
// check it breaks. The tally runs the same verification first and refuses on any failure.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/ballot_box.hpp"
#include "core/phrase.hpp"
#include "core/results.hpp"

namespace pingyi {

struct CheckLine {
    std::string id;  // stable: "package.signature", "box.ballots", "results.decryption" …
    bool ok = false;
    std::string detail;    // what was checked, or what failed: `phrase` in English, for logs and tests
    bool open = false;     // passed, for a box whose poll is still open (no close record)
    bool warning = false;  // passed, but says what was not checked (e.g. no expected devices)
    Phrase phrase;         // the same, as its parts: each face renders it in the reader's language
};

struct VerifyReport {
    std::vector<CheckLine> lines;
    void Add(std::string id, bool ok, Phrase what) { Push(std::move(id), ok, std::move(what), false, false); }
    // A passing line that says a box's poll is still open: verified as far as it goes, not final.
    void AddOpen(std::string id, Phrase what) { Push(std::move(id), true, std::move(what), true, false); }
    // A passing line that warns: something the auditor should know was not checked.
    void AddWarning(std::string id, Phrase what) { Push(std::move(id), true, std::move(what), false, true); }
    // Every check passed (an open box passes: see any_open()).
    [[nodiscard]] bool ok() const;
    // Some box's poll is still open: the files are not final, and the tally refuses them.
    [[nodiscard]] bool any_open() const;
    // The first line with this id, if any.
    [[nodiscard]] const CheckLine* Find(std::string_view id) const;
    [[nodiscard]] bool Failed(std::string_view id) const;

  private:
    void Push(std::string id, bool ok, Phrase what, bool open, bool warning)
    {
        std::string english = what.English();
        lines.push_back({std::move(id), ok, std::move(english), open, warning, std::move(what)});
    }
};

struct VerifiedBox {
    std::filesystem::path path;
    BoxContents contents;
    std::vector<std::uint32_t> categories;  // per ballot of contents.ballots
    std::vector<EncryptedGrid> grids;       // per ballot (empty grid where it did not decode)
    bool closed = false;
    Digest close_hash{};        // SealHash of the close seal
    std::uint32_t spoiled = 0;  // checked ballots in its event log (Audit::spoiled)
};

// A checked ballot (the tellers' check, protocol.md §6.1): never counted; its choices are
// recomputed from its revealed nonces alone, with no key (ballots.spoiled).
struct SpoiledBallot {
    std::filesystem::path box;
    std::uint32_t kiosk = 0;
    std::uint64_t event = 0;  // seq of its ballot_spoiled event
    std::string tracking_code;
    std::uint32_t category = 0;
    std::vector<std::uint32_t> choices;  // per member; empty when it did not open
    std::string problem;                 // empty when it opened and passed every check
};

struct Audit {
    std::optional<ElectionPackage> package;
    std::vector<VerifiedBox> boxes;
    std::vector<SpoiledBallot> spoiled;  // every box's, in box then log order
    VerifyReport report;
    bool cancelled = false;

    [[nodiscard]] std::vector<std::uint32_t> BallotsPerCategory() const;
};

// Progress: (done, total) ballots; return false to cancel.
using ProgressFn = std::function<bool(std::size_t done, std::size_t total)>;

// Verifies the package and every box: signatures, ballots under their own hashes, every
// proof, the open, state and close seals, codes against ballots, duplicates across boxes.
Audit VerifyElection(ByteView package_file, const std::vector<std::filesystem::path>& boxes,
                     const ProgressFn& progress = {}, unsigned threads = 0);

// Adds "package.fingerprint": the package's election fingerprint is the one the auditor
// holds, given as the full 64 hex digits or as the printed short form (spaces, dashes and
// case do not matter). Anything else given fails the line too.
void CheckExpectedFingerprint(Audit& audit, std::string_view expected);

// Adds "boxes.registered": every box's device key is one of `expected`, the device
// fingerprints written down when the kiosks were opened at the meeting (开箱记录). Each is
// given as the printed KeyFingerprint (16 hex digits), the whole 64-digit key fingerprint or
// the device public key's 64 hex digits; spaces, dashes and case do not matter
// (NormalizeDeviceFingerprint, core/device_list.hpp). Anything else given fails the line too:
// a box whose key is not registered is a substituted box. With `expected` empty the line is
// a warning (AddWarning): the boxes were not anchored to the kiosks opened at the meeting.
void CheckExpectedDevices(Audit& audit, const std::vector<std::string>& expected);

// Each box's device key against `expected` (as CheckExpectedDevices compares them), for a
// screen that shows the tellers the fingerprints before anyone decrypts.
struct DeviceMatch {
    std::uint32_t kiosk = 0;
    std::filesystem::path path;
    std::string fingerprint;  // KeyFingerprint of the device key, as printed on the opening form
    bool registered = false;  // among `expected` (false when `expected` is empty)
};
[[nodiscard]] std::vector<DeviceMatch> MatchDevices(const Audit& audit, const std::vector<std::string>& expected);

// Adds the checks of a results file to an audit: signature, boxes, attendance, groups,
// minimum group size, aggregates = sums of the ballots, every decryption proof.
void VerifyResults(Audit& audit, ByteView results_file);

// Σ of the ballots of `group` at (member, option), over all boxes.
EncryptedSum GroupSum(const Audit& audit, const TallyGroup& group, std::uint32_t member, std::uint32_t option);

}  // namespace pingyi
