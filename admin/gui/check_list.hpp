// Widgets the tally and the auditor's screens share: the list of verification checks that
// turn green or red, and the list of ballot-box files.
#pragma once

#include <wx/listctrl.h>
#include <wx/wx.h>

#include <filesystem>
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

    // For tests and screenshots: the state of row i ("pass", "fail", "pending", "skipped").
    [[nodiscard]] std::string RowState(long i) const;
    [[nodiscard]] std::string RowId(long i) const;

  private:
    enum class State { Pending, Pass, Open, Fail, Skipped };  // Open: passed, the poll not closed
    struct Row {
        std::string id;
        State state = State::Pending;
        std::string detail;
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

}  // namespace pingyi::admin
