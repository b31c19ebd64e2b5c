// The operator menu, behind the hidden gesture and the PIN: the box's status (ballots cast,
// codes left per category — shown nowhere else), closing the poll, exporting the ballot box
// and saving the opening or closing form (开箱记录, 关箱记录) to a USB stick, and exiting.
// Views only; the frame calls BallotBox and core's forms.
#pragma once

#include <wx/textctrl.h>

#include <functional>
#include <vector>

#include "core/ballot_box.hpp"
#include "kiosk/i18n.hpp"
#include "kiosk/theme.hpp"

namespace pingyi::kiosk {

class OperatorPinPage final : public Screen {
  public:
    struct Callbacks {
        std::function<void(const wxString&)> on_submit;
        std::function<void()> on_back;
    };
    OperatorPinPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info, Callbacks callbacks);

    // Empties the field and the message, and focuses the field.
    void Start();
    void ShowMessage(const wxString& text, MessageKind kind) { m_message->Set(text, kind); }
    [[nodiscard]] const MessageBar& message() const { return *m_message; }
    // While the PIN is being checked (a few seconds of scrypt): the old message gives way
    // to "checking", drawn at once, and the field and keypad take no input.
    void SetChecking(bool checking);

  private:
    void Submit();

    Callbacks m_callbacks;
    wxTextCtrl* m_pin = nullptr;
    MessageBar* m_message = nullptr;
    std::vector<wxWindow*> m_inputs;
};

class OperatorMenuPage final : public Screen {
  public:
    struct Callbacks {
        std::function<void()> on_back, on_close_poll, on_exit;
        std::function<void(const wxString&)> on_export;  // the folder to export into
        // Save the opening form (while the poll is open) or the closing form (once it is
        // closed) into the same folder.
        std::function<void(const wxString&)> on_save_form;
        // Turn 核验模式 (the tellers' check, docs/kiosk.md) on or off.
        std::function<void()> on_check_mode;
    };
    OperatorMenuPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info, const wxString& export_dir,
                     Callbacks callbacks);

    // `lockdown`: what the platform lock-down has in force, in English.
    void ShowStatus(const BallotBox& box, const wxString& lockdown);
    // The check-mode button says what pressing it does.
    void SetCheckMode(bool on);
    void ShowMessage(const wxString& text, MessageKind kind) { m_message->Set(text, kind); }
    [[nodiscard]] const MessageBar& message() const { return *m_message; }
    [[nodiscard]] wxString status_text() const { return m_status->GetLabelText(); }
    // The filled button: "back to voting" while the poll is open, "export" once it is closed.
    [[nodiscard]] wxString primary_button() const;

  private:
    Callbacks m_callbacks;
    wxStaticText* m_status = nullptr;
    wxTextCtrl* m_export_dir = nullptr;
    BigButton* m_back = nullptr;
    BigButton* m_export = nullptr;
    BigButton* m_opening_form = nullptr;
    BigButton* m_closing_form = nullptr;
    BigButton* m_close = nullptr;
    BigButton* m_check_mode = nullptr;
    MessageBar* m_message = nullptr;
};

}  // namespace pingyi::kiosk
