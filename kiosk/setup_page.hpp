// The operator's first screens: setting the kiosk up from an election package
// (LoadPackage, then BallotBox::Create), and unlocking a poll that is already open after a
// restart (BallotBox::Resume). Both need the operator PIN, which seals the kiosk's device key.
#pragma once

#include <wx/spinctrl.h>
#include <wx/textctrl.h>

#include <cstdint>
#include <functional>

#include "core/package.hpp"
#include "kiosk/i18n.hpp"
#include "kiosk/theme.hpp"

namespace pingyi::kiosk {

class SetupPage final : public Screen {
  public:
    struct Callbacks {
        std::function<void(const wxString&)> on_check;                                 // the package path
        std::function<void(std::uint32_t, const wxString&, const wxString&)> on_open;  // kiosk, PIN, PIN again
        std::function<void()> on_exit, on_language;
    };
    // `package`: the package already checked (kept when the language changes), or null.
    SetupPage(wxWindow* parent, const Theme& theme, Language language, const wxString& package_path,
              const wxString& data_dir, const ElectionPackage* package, Callbacks callbacks);

    void ShowPackage(const ElectionPackage* package);
    void ShowMessage(const wxString& text, MessageKind kind) { m_message->Set(text, kind); }
    [[nodiscard]] const MessageBar& message() const { return *m_message; }
    // A message about the PINs, beside the PIN fields (the package's message stays).
    void ShowPinMessage(const wxString& text, MessageKind kind) { m_pin_message->Set(text, kind); }
    [[nodiscard]] const MessageBar& pin_message() const { return *m_pin_message; }
    // Empties both PIN fields and puts the cursor in the first.
    void ClearPins();

  private:
    void UpdateCodeCounts();

    Callbacks m_callbacks;
    const ElectionPackage* m_package = nullptr;
    wxTextCtrl* m_path = nullptr;
    MessageBar* m_message = nullptr;
    MessageBar* m_pin_message = nullptr;
    wxStaticText* m_details = nullptr;
    wxSpinCtrl* m_kiosk = nullptr;
    wxStaticText* m_codes = nullptr;
    wxTextCtrl* m_pin = nullptr;
    wxTextCtrl* m_pin2 = nullptr;
    BigButton* m_open = nullptr;
};

// After a restart with an open poll: the PIN unseals the device key and voting goes on.
class UnlockPage final : public Screen {
  public:
    struct Callbacks {
        std::function<void(const wxString&)> on_unlock;
        std::function<void()> on_language;
    };
    UnlockPage(wxWindow* parent, const Theme& theme, Language language, const ScreenInfo& info, Callbacks callbacks);

    void ShowMessage(const wxString& text, MessageKind kind) { m_message->Set(text, kind); }
    [[nodiscard]] const MessageBar& message() const { return *m_message; }
    void FocusPin();

  private:
    Callbacks m_callbacks;
    wxTextCtrl* m_pin = nullptr;
    MessageBar* m_message = nullptr;
};

// A password field in the kiosk's look; Enter submits.
wxTextCtrl* MakePinField(wxWindow* parent, const Theme& theme, const wxString& name);

}  // namespace pingyi::kiosk
