// The tally screen (docs/design.md §1 step 3): open the package, the boxes and the keys; watch
// every check turn green or red; see the results per member; record the branch's final
// grades; export, print, and make the audit bundle. The screen of tally_flow.hpp.
#pragma once

#include <wx/wx.h>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "admin/gui/background.hpp"
#include "admin/gui/results_table.hpp"
#include "app/tally_flow.hpp"

class wxDirPickerCtrl;
class wxFilePickerCtrl;
class wxGauge;
class wxGrid;
class wxGridEvent;
class wxHtmlEasyPrinting;
class wxHtmlWindow;
class wxSimplebook;
class wxSpinCtrl;

namespace pingyi::admin {

class BoxList;
class CheckList;
class DeviceField;
class TrusteeTallyPage;

class TallyPanel : public wxPanel {
  public:
    enum Page { kOpen, kResults, kTrustees };

    TallyPanel(wxWindow* parent, std::function<void()> go_home);
    ~TallyPanel() override;
    void ApplyLabels();

    [[nodiscard]] bool busy() const { return m_task.running(); }
    [[nodiscard]] bool has_results() const { return m_outcome && m_outcome->results; }
    [[nodiscard]] int page() const;
    [[nodiscard]] const std::vector<FinalDecision>& decisions() const { return m_model.decisions; }
    [[nodiscard]] const std::vector<std::uint32_t>& order() const { return m_order; }
    [[nodiscard]] std::filesystem::path out_folder() const;
    BoxList* boxes() { return m_boxes; }
    DeviceField* devices() { return m_devices; }
    // The package chosen has trustees: "Verify and tally" leads to their page, not to a key.
    [[nodiscard]] bool by_trustees() const { return m_by_trustees; }
    TrusteeTallyPage* trustees() { return m_trustees; }

    // What the results grid's editors do: record (and save) member's final grade and remark.
    void SetDecision(std::uint32_t member, std::optional<std::uint32_t> grade, const std::string& remark);
    // 组织评定 for many at once: every member without a final grade gets the suggested grade
    // (those already recorded are kept); saved at once. Returns how many were set.
    std::size_t AcceptSuggestedGrades();
    // The print-out's HTML (the results table in the grid's order).
    [[nodiscard]] std::string PrintHtml() const;
    // For screenshots: the print preview frame (nullptr if the preview could not start).
    wxFrame* ShowPrintPreview();

  private:
    wxWindow* BuildOpen(wxWindow* book);
    wxWindow* BuildResults(wxWindow* book);
    void ShowPage(int page);
    void PackageChosen();
    app::TallyRequest ReadRequest() const;
    void Start(bool with_key);
    void OnProgress(int phase, std::size_t done, std::size_t total);
    void Finished(app::TallyOutcome&& outcome, bool with_key);
    void FillResults();
    void FillGrid();
    void FitRemarkColumn();
    void ShowMemberDetail(std::uint32_t member);
    void OnCellChanged(wxGridEvent& e);
    void SortBy(int col);
    void Export(const char* what);
    void SetStatus(const wxString& text, bool error = false);
    void UpdateButtons();

    std::function<void()> m_go_home;
    std::optional<app::TallyOutcome> m_outcome;
    ResultsModel m_model;
    std::vector<ResultColumn> m_columns;
    std::vector<wxString> m_col_labels;  // without the sort arrow, for the print-out
    std::vector<std::uint32_t> m_order;
    int m_sort_col = -1;
    bool m_sort_ascending = true;
    app::TallyRequest m_last_request;
    bool m_by_trustees = false;
    std::unique_ptr<wxHtmlEasyPrinting> m_printer;

    wxStaticText* m_heading;
    wxSimplebook* m_book;
    wxButton* m_home;

    // Open and verify.
    wxStaticText* m_intro;
    wxStaticText* m_package_label;
    wxFilePickerCtrl* m_package;
    wxStaticText* m_boxes_label;
    BoxList* m_boxes;
    wxStaticText* m_devices_label;
    DeviceField* m_devices;
    wxStaticText* m_keys_label;
    wxDirPickerCtrl* m_keys;
    wxStaticText* m_out_label;
    wxDirPickerCtrl* m_out;
    wxCheckBox* m_present_on;
    wxSpinCtrl* m_present;
    wxStaticText* m_pass_label;
    wxTextCtrl* m_pass;
    wxButton* m_tally;
    wxButton* m_open_saved;
    wxStaticText* m_phase;
    wxGauge* m_gauge;
    wxButton* m_cancel;
    CheckList* m_checks;
    wxButton* m_to_results;

    // Results.
    wxStaticText* m_res_title;
    wxStaticText* m_res_test;
    wxStaticText* m_res_info;
    wxStaticText* m_res_warning;
    wxGrid* m_grid;
    wxStaticText* m_grid_hint;
    wxButton* m_accept_suggested;
    wxHtmlWindow* m_detail;
    wxButton* m_xlsx;
    wxButton* m_sheet;
    wxButton* m_letters;
    wxButton* m_tracking;
    wxButton* m_print;
    wxButton* m_bundle;
    wxButton* m_open_folder;
    wxStaticText* m_status;
    wxButton* m_to_checks;

    // The tally by trustees.
    TrusteeTallyPage* m_trustees;

    BackgroundTask m_task;  // last: joined before anything it reads is destroyed
};

}  // namespace pingyi::admin
