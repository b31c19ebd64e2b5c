// New evaluation, as a guided flow of steps (docs/design.md §1 step 1): basics, roster, grades and
// rules, voters, passphrase, create, done. The screen of election_setup.hpp.
#pragma once

#include <wx/scrolwin.h>
#include <wx/wx.h>

#include <functional>
#include <memory>
#include <vector>

#include "admin/gui/background.hpp"
#include "admin/gui/election_setup.hpp"

class wxDatePickerCtrl;
class wxDirPickerCtrl;
class wxFilePickerCtrl;
class wxGrid;
class wxListCtrl;
class wxSimplebook;
class wxSpinCtrl;
class wxGauge;

namespace pingyi::admin {
class CeremonyPage;
}

namespace pingyi::admin {

class ElectionPanel : public wxPanel {
  public:
    enum Step { kBasics, kRoster, kGrades, kVoters, kPassphrase, kCreate, kCeremony, kDone, kStepCount };
    static constexpr int kMaxTrustees = 9;

    ElectionPanel(wxWindow* parent, std::function<void()> go_home);
    ~ElectionPanel() override;
    void ApplyLabels();
    // Called when the screen is entered: a finished flow starts over with a fresh form.
    void Enter();

    [[nodiscard]] int step() const { return m_step; }
    [[nodiscard]] bool busy() const { return m_task.running(); }
    [[nodiscard]] const std::vector<RosterEntry>& roster() const { return m_roster.entries; }
    [[nodiscard]] const std::string& fingerprint() const { return m_written.fingerprint_short; }
    [[nodiscard]] const std::filesystem::path& output_folder() const { return m_written.folder; }
    // Who holds the election key: the trustees together (the default) or one passphrase.
    [[nodiscard]] bool by_trustees() const;
    [[nodiscard]] CeremonyPage* ceremony() { return m_ceremony; }
    // For tests: sees the plain codes once, right after the slips were written.
    void SetCodesObserver(std::function<void(const std::vector<PlainCode>&)> observer)
    {
        m_codes_observer = std::move(observer);
    }
    // Imports the file in the roster picker (what the Import button does).
    void ImportRoster();

  private:
    wxWindow* BuildBasics(wxWindow* book);
    wxWindow* BuildRoster(wxWindow* book);
    wxWindow* BuildGrades(wxWindow* book);
    wxWindow* BuildVoters(wxWindow* book);
    wxWindow* BuildPassphrase(wxWindow* book);
    wxWindow* BuildCreate(wxWindow* book);
    wxWindow* BuildDone(wxWindow* book);

    void Go(int step);
    void OnNext();
    // Checks the current step; on a problem shows it under the page and returns false.
    bool CheckStep(int step);
    void SetProblem(const wxString& text);
    ElectionForm ReadForm() const;
    void ShowRoster();
    void RosterChanged(std::size_t old_size);
    void RefillGradeChoices();
    void UpdateQuotaHint();
    void UpdateCodesTotal();
    void UpdatePassphraseHint();
    void UpdateSummary();
    void StartCreate();
    void StartCeremony(ElectionDefinition def, const std::filesystem::path& folder);
    void FinishKeyCeremony();
    void Created(Result<app::WrittenElection>&& r);
    void UpdateTrustees();
    [[nodiscard]] std::vector<std::string> TrusteeNames() const;
    [[nodiscard]] SuiteId Suite() const;  // the suite chosen for the election
    // Sets the suite the mode proposes (ProposedSuite) unless the secretary chose one, and
    // says why under the choice.
    void ProposeSuite();
    void UpdateSuiteHint();
    void ResetForm();

    std::function<void()> m_go_home;
    std::function<void(const std::vector<PlainCode>&)> m_codes_observer;
    int m_step = kBasics;
    Roster m_roster;
    app::WrittenElection m_written;
    // The secretary's passphrase, out of the widgets while the trustees take their turns.
    std::shared_ptr<SecretBytes> m_admin_pass;
    bool m_quota_touched = false;
    bool m_suite_touched = false;  // the secretary chose the suite: stop proposing one
    BackgroundTask m_task;
    wxTimer m_pulse;

    // Frame of the flow.
    wxStaticText* m_heading;
    std::vector<wxStaticText*> m_step_labels;
    wxScrolledWindow* m_scroll = nullptr;
    wxSimplebook* m_book;
    wxStaticText* m_problem;
    wxButton* m_home;
    wxButton* m_back;
    wxButton* m_next;

    // Basics.
    wxStaticText* m_basics_intro;
    wxStaticText* m_title_label;
    wxTextCtrl* m_title;
    wxStaticText* m_org_label;
    wxTextCtrl* m_org;
    wxStaticText* m_date_label;
    wxDatePickerCtrl* m_date;
    wxStaticBoxSizer* m_mode_box;
    wxRadioButton* m_test_mode;
    wxRadioButton* m_official_mode;
    wxStaticText* m_mode_hint;

    // Roster.
    wxStaticText* m_roster_intro;
    wxFilePickerCtrl* m_roster_file;
    wxButton* m_import;
    wxStaticText* m_roster_status;
    wxStaticText* m_roster_error;
    wxListCtrl* m_roster_warnings;
    wxGrid* m_roster_grid;

    // Grades and rules.
    wxStaticText* m_options_label;
    wxStaticText* m_options_value;
    wxCheckBox* m_unknown;
    wxCheckBox* m_quota_on;
    wxSpinCtrl* m_quota_max;
    wxStaticText* m_quota_hint;
    wxStaticText* m_rules_intro;
    wxGrid* m_rules;
    wxButton* m_add_rule;
    wxButton* m_remove_rule;
    wxStaticText* m_default_label;
    wxChoice* m_default_grade;

    // Voters.
    wxStaticText* m_voters_intro;
    wxGrid* m_categories;
    wxButton* m_add_category;
    wxButton* m_remove_category;
    wxStaticText* m_codes_total;
    wxStaticText* m_kiosks_label;
    wxSpinCtrl* m_kiosks;
    wxStaticText* m_min_group_label;
    wxSpinCtrl* m_min_group;
    wxStaticText* m_min_group_hint;
    wxStaticText* m_suite_label;
    wxChoice* m_suite;  // 0: P256-SHA256, 1: SM2-SM3
    wxStaticText* m_suite_hint;

    // Who holds the key, and the passphrase (the election key's, or the secretary's admin key's).
    wxStaticBoxSizer* m_key_box;
    wxRadioButton* m_by_trustees;
    wxRadioButton* m_one_key;
    wxStaticText* m_key_hint;
    wxStaticText* m_n_label;
    wxSpinCtrl* m_n;
    wxStaticText* m_k_label;
    wxSpinCtrl* m_k;
    wxStaticText* m_names_label;
    std::vector<wxTextCtrl*> m_names;
    wxStaticText* m_pass_intro;
    wxStaticText* m_pass_label;
    wxTextCtrl* m_pass;
    wxStaticText* m_pass2_label;
    wxTextCtrl* m_pass2;
    wxStaticText* m_pass_strength;
    wxStaticText* m_pass_match;

    // Create.
    wxStaticText* m_create_intro;
    wxStaticText* m_mode_warning;
    wxTextCtrl* m_summary;
    wxStaticText* m_folder_label;
    wxDirPickerCtrl* m_folder;
    wxGauge* m_gauge;
    wxStaticText* m_create_status;
    wxButton* m_cancel;

    // The trustees' key ceremony.
    CeremonyPage* m_ceremony;

    // Done.
    wxStaticText* m_done_heading;
    wxStaticText* m_fp_label;
    wxStaticText* m_fp;
    wxStaticText* m_fp_hint;
    wxTextCtrl* m_fp_full;
    wxStaticText* m_files;
    wxButton* m_open_folder;
    wxButton* m_open_slips;
};

}  // namespace pingyi::admin
