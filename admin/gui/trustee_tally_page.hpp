// The tally by trustees (docs/admin.md): after the whole verification, each trustee present in
// turn opens their key file with their passphrase, compares each box's device-key fingerprint
// (shown large) with the opening form signed at the kiosk, sees what will be decrypted, enters
// the number present per category and confirms; their partial-<n>.json is written. Once
// enough trustees have decrypted, the secretary's admin passphrase combines the partials into
// the signed results and the reports. The steps are app/trustee_flow.hpp's.
#pragma once

#include <wx/wx.h>

#include <functional>
#include <optional>
#include <vector>

#include "admin/gui/background.hpp"
#include "app/trustee_flow.hpp"

class wxFilePickerCtrl;
class wxListCtrl;
class wxSpinCtrl;

namespace pingyi::admin {

class TrusteeTallyPage : public wxPanel {
  public:
    // `combined` receives the outcome with the results once the partials are combined.
    TrusteeTallyPage(wxWindow* parent, std::function<void(app::TallyOutcome&&)> combined);
    void ApplyLabels();
    // The verified election (its package has trustees) and the tally's request: the partials
    // and the results go to request.out_folder, the admin key is in request.key_folder.
    void Begin(app::TallyOutcome verified, const app::TallyRequest& request);

    [[nodiscard]] bool busy() const { return m_task.running(); }
    [[nodiscard]] bool trustee_open() const { return m_share.has_value(); }
    [[nodiscard]] std::vector<std::filesystem::path> partials() const;
    // For tests: the device lines shown before any trustee opens a key.
    [[nodiscard]] wxString devices_text() const { return m_devices->GetLabel(); }

  private:
    void ShowTrustees();
    void ShowDevices();
    void OpenKey();
    void ShowPreview();
    void Decrypt();
    void Combine();
    void CloseTrustee();
    void Problem(const wxString& text, const Error& error);
    wxString TrusteeName(std::uint32_t index) const;

    std::function<void(app::TallyOutcome&&)> m_combined;
    app::TallyOutcome m_verified;
    app::TallyRequest m_request;
    std::optional<OpenedShare> m_share;
    std::optional<PartialPreview> m_preview;

    wxStaticText* m_intro;
    wxStaticText* m_devices_intro;  // before any key is asked for: each box's device and its match
    wxStaticText* m_devices;
    wxListCtrl* m_list;
    wxStaticText* m_key_label;
    wxFilePickerCtrl* m_key;
    wxStaticText* m_pass_label;
    wxTextCtrl* m_pass;
    wxButton* m_open;
    wxPanel* m_preview_panel;
    wxStaticText* m_who;
    wxStaticText* m_boxes;
    wxStaticText* m_what;
    wxFlexGridSizer* m_present_sizer;
    std::vector<wxSpinCtrl*> m_present;
    wxButton* m_decrypt;
    wxButton* m_close;
    wxStaticText* m_admin_label;
    wxTextCtrl* m_admin_pass;
    wxButton* m_combine;
    wxStaticText* m_status;
    BackgroundTask m_task;  // last: joined before anything it reads is destroyed
};

}  // namespace pingyi::admin
