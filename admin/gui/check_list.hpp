// Widgets the tally and the auditor's screens share: the list of verification checks that
// turn green or red, and the list of ballot-box files.
#pragma once

#include <wx/listctrl.h>
#include <wx/wx.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/verify.hpp"

namespace pingyi::admin {

// One row per check of a VerifyReport: status, the check's name, what was checked or what
// failed. Before a run, the expected checks are listed grey ("waiting").
class CheckList : public wxListCtrl {
  public:
    CheckList(wxWindow* parent, const wxString& name);
    void ApplyLabels();
    // The checks VerifyElection (and VerifyResults) will report for this many boxes.
    void ShowPending(std::size_t boxes, bool with_results);
    // Fills in the report: expected rows turn green or red, others are appended; expected
    // rows the run never reached are marked "not checked".
    void ShowReport(const VerifyReport& report);
    void Reset();

    // For tests and screenshots: the state of row i ("pass", "open", "warning", "fail",
    // "pending", "skipped").
    [[nodiscard]] std::string RowState(long i) const;
    [[nodiscard]] std::string RowId(long i) const;

  private:
    // Open: passed, the poll not closed. Warning: passed, but something was not checked.
    enum class State { Pending, Pass, Open, Warning, Fail, Skipped };
    struct Row {
        std::string id;
        State state = State::Pending;
        Phrase detail;
    };
    void Redraw();
    std::vector<Row> m_rows;
};

// The ballot boxes to verify or tally: a list with Add… and Remove buttons.
class BoxList : public wxPanel {
  public:
    // `prefix` keeps the names of its controls unique: "<prefix>.boxes.add" ….
    BoxList(wxWindow* parent, const std::string& prefix);
    void ApplyLabels();
    [[nodiscard]] const std::vector<std::filesystem::path>& paths() const { return m_paths; }
    void Add(const std::filesystem::path& p);
    void Clear();

  private:
    void Reload();
    wxListBox* m_list;
    wxButton* m_add;
    wxButton* m_remove;
    std::vector<std::filesystem::path> m_paths;
};

// The device fingerprints written down when the kiosks were opened (开箱记录): typed one a
// line as printed on the signed opening forms, or loaded from the list a kiosk exports
// (docs/formats.md §4.12, read by core/device_list.hpp as the console's --expect-device-file).
// Left empty, the boxes are not anchored to the kiosks: the check list says so in a warning.
class DeviceField : public wxPanel {
  public:
    // `prefix` names the controls: "<prefix>.devices", "<prefix>.devices.load".
    DeviceField(wxWindow* parent, const std::string& prefix);
    void ApplyLabels();
    // The fingerprints typed (empty if none). A malformed line is shown as an error naming the
    // line, which is selected, and nullopt is returned: nothing must be verified or decrypted.
    [[nodiscard]] std::optional<std::vector<std::string>> Read();
    // Loads a device list file into the field; false (after showing why) if it is not one.
    bool Load(const std::filesystem::path& path);
    wxTextCtrl* text() { return m_text; }

  private:
    wxTextCtrl* m_text;
    wxButton* m_load;
};

}  // namespace pingyi::admin
