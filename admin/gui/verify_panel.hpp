// Verify only (docs/design.md §1 step 4): the auditor's and the upper level's screen. Public files
// only — the package, the boxes and, if published, the results — and no key. Every check is
// listed, green or red. Uses VerifyPublicFiles of tally_flow.hpp, as `pingyi verify` does.
#pragma once

#include <wx/wx.h>

#include <functional>
#include <tuple>
#include <vector>

#include "admin/gui/background.hpp"
#include "core/verify.hpp"

class wxFilePickerCtrl;
class wxGauge;
class wxListCtrl;

namespace pingyi::admin {

class BoxList;
class CheckList;
class DeviceField;

class VerifyPanel : public wxPanel {
  public:
    VerifyPanel(wxWindow* parent, std::function<void()> go_home);
    ~VerifyPanel() override;
    void ApplyLabels();

    [[nodiscard]] bool busy() const { return m_task.running(); }
    // After a run: passed, failed, or cancelled ("" before the first run).
    [[nodiscard]] const std::string& verdict() const { return m_verdict; }
    BoxList* boxes() { return m_boxes; }
    DeviceField* devices() { return m_devices; }
    CheckList* checks() { return m_checks; }
    // The boxes' event logs after a run: kiosk, number, time (UTC), event, details.
    wxListCtrl* events() { return m_events; }
    // The checked (spoiled) ballots after a run: kiosk, tracking code, result, choices.
    wxListCtrl* spoiled() { return m_spoiled; }
    // The cast ballots' tracking codes, filtered by the search field (a voter finds theirs).
    wxListCtrl* tracking() { return m_tracking; }
    wxTextCtrl* tracking_search() { return m_search; }
    void Start();

  private:
    void Finished(Audit&& audit);
    void ShowVerdict();
    void ShowEvents(const Audit& audit);
    void FillEvents();
    void ShowBallots(const Audit& audit);
    void FillSpoiled();
    void FillTracking();

    std::function<void()> m_go_home;
    std::string m_verdict;
    std::size_t m_checks_passed = 0, m_checks_total = 0;

    wxStaticText* m_heading;
    wxStaticText* m_intro;
    wxStaticText* m_package_label;
    wxFilePickerCtrl* m_package;
    wxStaticText* m_boxes_label;
    BoxList* m_boxes;
    wxStaticText* m_devices_label;
    DeviceField* m_devices;
    wxStaticText* m_results_label;
    wxFilePickerCtrl* m_results;
    wxButton* m_start;
    wxStaticText* m_phase;
    wxGauge* m_gauge;
    wxButton* m_cancel;
    wxStaticText* m_banner;
    CheckList* m_checks;
    wxStaticText* m_events_label;
    wxListCtrl* m_events;
    std::vector<std::tuple<std::uint32_t, std::uint64_t, Bytes>>
        m_event_bodies;  // kiosk, seq, body (re-shown on a language change)
    wxStaticText* m_spoiled_label;
    wxListCtrl* m_spoiled;
    wxStaticText* m_tracking_label;
    wxTextCtrl* m_search;
    wxListCtrl* m_tracking;
    wxStaticText* m_found;
    std::vector<SpoiledBallot> m_spoiled_ballots;
    std::vector<std::string> m_members, m_options;                        // for the checked ballots' choices
    std::vector<std::pair<std::uint32_t, std::string>> m_tracking_codes;  // kiosk, code
    wxButton* m_home;

    BackgroundTask m_task;  // last: joined first
};

}  // namespace pingyi::admin
