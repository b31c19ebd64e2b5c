// The trustees' key ceremony on this computer, their USB sticks in turn (docs/admin.md): for
// each round each trustee types their passphrase (twice in round 1) and chooses the folder of
// their stick, where trustee-<i>.pyk is written or read. The page shows who is done and names
// the trustee of any failure. Every step is app/trustee_flow.hpp's; this is its screen.
#pragma once

#include <wx/wx.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "admin/gui/background.hpp"
#include "app/trustee_flow.hpp"

class wxDirPickerCtrl;
class wxListCtrl;

namespace pingyi::admin {

class CeremonyPage : public wxPanel {
  public:
    explicit CeremonyPage(wxWindow* parent);
    void ApplyLabels();
    // Starts (or resumes) the ceremony of the setup in `dir`; `all_done` runs once every
    // trustee has finished round 3.
    void Begin(const std::filesystem::path& dir, std::function<void()> all_done);
    // Reads the folder again: round files made elsewhere and copied in count as done.
    void Reload();

    [[nodiscard]] bool busy() const { return m_task.running(); }
    [[nodiscard]] const std::vector<int>& rounds_done() const { return m_done; }
    [[nodiscard]] std::optional<app::CeremonyTurn> turn() const { return m_turn; }
    [[nodiscard]] const std::filesystem::path& folder() const { return m_dir; }
    // Shown under the list (the finishing step's progress or failure).
    void SetStatus(const wxString& text, bool error = false);

  private:
    void ShowTurn();
    void RunTurn();

    std::filesystem::path m_dir;
    std::optional<CeremonySetup> m_setup;
    std::vector<int> m_done;
    std::vector<std::filesystem::path> m_sticks;  // per trustee, as chosen in an earlier round
    std::optional<app::CeremonyTurn> m_turn;
    std::function<void()> m_all_done;

    wxStaticText* m_intro;
    wxListCtrl* m_list;
    wxStaticText* m_turn_label;
    wxStaticText* m_turn_hint;
    wxStaticText* m_stick_label;
    wxDirPickerCtrl* m_stick;
    wxStaticText* m_pass_label;
    wxTextCtrl* m_pass;
    wxStaticText* m_pass2_label;
    wxTextCtrl* m_pass2;
    wxButton* m_go;
    wxButton* m_reload;
    wxStaticText* m_status;
    BackgroundTask m_task;  // last: joined before anything it reads is destroyed
};

}  // namespace pingyi::admin
