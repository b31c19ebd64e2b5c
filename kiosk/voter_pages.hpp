// The voter's screens (docs/kiosk.md): welcome → ballot → review → (busy) → receipt, the
// inactivity warning, and a confirmation screen. They are views: they show what the frame
// tells them and report what the voter did through callbacks; the frame asks the
// KioskSession, where every rule lives. None of them ever shows how many have voted.
#pragma once

#include <wx/bitmap.h>
#include <wx/scrolwin.h>
#include <wx/statbmp.h>
#include <wx/textctrl.h>

#include <functional>
#include <optional>
#include <vector>

#include "core/kiosk_session.hpp"
#include "core/qr.hpp"
#include "kiosk/ballot_grid.hpp"
#include "kiosk/i18n.hpp"
#include "kiosk/theme.hpp"

namespace pingyi::kiosk {

// "Enter or scan your code". A USB QR scanner types the code and presses Enter.
class WelcomePage final : public Screen {
  public:
    struct Callbacks {
        std::function<void(const wxString&)> on_code;
        std::function<void()> on_language, on_contrast, on_larger_text, on_corner_tap;
    };
    WelcomePage(wxWindow* parent, const Theme& theme, const ScreenInfo& info, Language language, bool poll_closed,
                Callbacks callbacks);

    void ShowMessage(const wxString& text, MessageKind kind) { m_message->Set(text, kind); }
    [[nodiscard]] const MessageBar& message() const { return *m_message; }
    // While wrong codes are being refused: the input is disabled and the wait counts down.
    void SetWait(std::optional<int> seconds, const wxString& reason);
    void FocusCode();
    // Empties the code field (a code was accepted: the next voter finds it empty).
    void ClearCode();
    // A refused code stays in the field, marked in the error colours until it is edited.
    void MarkCodeWrong(bool wrong);
    [[nodiscard]] bool code_marked_wrong() const { return m_code_marked; }
    // Puts a character typed elsewhere on the screen into the code field (a scanner that
    // started typing before the field had the focus).
    void TypeIntoCode(wxChar c);
    [[nodiscard]] wxTextCtrl* code_field() const { return m_code; }

  private:
    void Submit();
    // A key of the on-screen keyboard: a character of the code alphabet, or delete.
    void OnKey(const wxString& key);

    Callbacks m_callbacks;
    wxTextCtrl* m_code = nullptr;
    BigButton* m_start = nullptr;
    std::vector<BigButton*> m_keys;
    MessageBar* m_message = nullptr;
    bool m_waiting = false;
    bool m_code_marked = false;
};

// The code as the slip prints it: upper case in groups of four ("K7QM-3XHP-…"), whatever
// dashes or spaces were typed; a scanned slip's "/<fingerprint>" is kept as it is, and
// anything with other characters is only put in upper case. `caret` (if given), an insertion
// point in `value`, is moved to the same place in the result.
[[nodiscard]] wxString GroupCode(const wxString& value, long* caret);

// The ballot: progress "已评 n / N", the quota counter, the grid, and the way on.
class BallotPage final : public Screen {
  public:
    struct Callbacks {
        std::function<void(std::uint32_t, std::uint32_t)> on_choose;
        std::function<void()> on_next, on_cancel;
    };
    BallotPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info, const KioskSession& session,
               Language language, Callbacks callbacks);

    // A new voter: the category line, counters, grid reset, message cleared.
    void Start();
    // Re-reads the counters from the session.
    void UpdateCounts();
    // The message takes a band above the list only while there is one: the rows get the room
    // otherwise.
    void ShowMessage(const wxString& text, MessageKind kind);
    [[nodiscard]] const MessageBar& message() const { return *m_message; }
    [[nodiscard]] BallotGrid* grid() const { return m_grid; }
    [[nodiscard]] wxString progress_text() const { return m_progress->GetLabelText(); }
    [[nodiscard]] wxString quota_text() const { return m_quota ? m_quota->GetLabelText() : wxString(); }

  private:
    const KioskSession& m_session;
    Language m_language;
    Callbacks m_callbacks;
    wxStaticText* m_category = nullptr;
    wxStaticText* m_progress = nullptr;
    wxStaticText* m_quota = nullptr;
    wxStaticText* m_more = nullptr;  // "more members below"
    MessageBar* m_message = nullptr;
    BallotGrid* m_grid = nullptr;
};

// The choices grouped by option, then 返回修改 / 下一步：加密选票 (the commit screen).
class ReviewPage final : public Screen {
  public:
    struct Callbacks {
        std::function<void()> on_back, on_confirm;
    };
    ReviewPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info, Language language, Callbacks callbacks);

    void Fill(const KioskSession& session);
    // Removes every name and choice from the screen (after casting or cancelling).
    void ClearChoices();
    void SetBusy(bool busy);
    void ShowMessage(const wxString& text, MessageKind kind) { m_message->Set(text, kind); }
    [[nodiscard]] const MessageBar& message() const { return *m_message; }
    // The focus goes to the list, never to 确认投票: a second Enter meant for 下一步 must
    // not confirm (Tab reaches the buttons).
    void FocusList();

  private:
    Language m_language;
    Callbacks m_callbacks;
    wxScrolledWindow* m_list = nullptr;
    MessageBar* m_message = nullptr;
    BigButton* m_back = nullptr;
    BigButton* m_confirm = nullptr;
};

// After the review: the ballot is encrypted and its tracking code is on screen before the
// voter says whether it is cast (确认投票) or, in 核验模式, checked (核验此票) instead
// (docs/protocol.md §6.1). 返回修改 drops the encryption and goes back to the ballot.
class CommitPage final : public Screen {
  public:
    struct Callbacks {
        std::function<void()> on_back, on_cast, on_check;
    };
    CommitPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info, Callbacks callbacks);

    // The committed ballot's tracking code; 核验此票 is shown only in check mode.
    void SetCommitted(const std::string& tracking_code, bool check_mode);
    void Clear();
    void SetBusy(bool busy);
    void ShowMessage(const wxString& text, MessageKind kind) { m_message->Set(text, kind); }
    [[nodiscard]] const MessageBar& message() const { return *m_message; }
    [[nodiscard]] wxString tracking_code() const { return m_code->GetLabelText(); }
    [[nodiscard]] bool check_offered() const { return m_check->IsShown(); }

  private:
    Callbacks m_callbacks;
    wxStaticText* m_code = nullptr;
    wxStaticText* m_check_text = nullptr;
    MessageBar* m_message = nullptr;
    BigButton* m_back = nullptr;
    BigButton* m_cast = nullptr;
    BigButton* m_check = nullptr;
};

// A checked ballot, opened: never counted. Its tracking code, the choices its revealed
// nonces open to (for the teller to compare with what was chosen), and a QR code with both
// (CheckedBallotQrText) to compare on another device with `pingyi verify --spoiled`.
class CheckedPage final : public Screen {
  public:
    CheckedPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info, Language language,
                std::function<void()> on_back);
    void Fill(const ElectionDefinition& def, const CheckedBallot& checked, const std::string& qr_text);
    void Clear();
    [[nodiscard]] wxString tracking_code() const { return m_code->GetLabelText(); }
    // "member: option" per line, as shown.
    [[nodiscard]] wxString choices_text() const { return m_choices_text; }
    [[nodiscard]] wxBitmap qr_bitmap() const;

  private:
    Language m_language;
    std::function<void()> m_on_back;
    wxStaticText* m_code = nullptr;
    wxStaticBitmap* m_qr = nullptr;
    wxScrolledWindow* m_list = nullptr;
    BigButton* m_back = nullptr;
    wxString m_choices_text;
};

// Shown only if casting takes longer than a moment.
class BusyPage final : public Screen {
  public:
    BusyPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info);
    void Pulse();

  private:
    class BusyBar* m_bar = nullptr;
};

// 投票成功 and the tracking code, in letters and as a QR code (black modules on white with a
// quiet zone of 4, whatever the theme, so that a phone reads it). Only 完成 or the end of
// SessionSettings::receipt_display ends it: a touch elsewhere does not.
class ReceiptPage final : public Screen {
  public:
    ReceiptPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info, std::function<void()> on_done);
    void SetTrackingCode(const std::string& tracking_code);
    void SetSecondsLeft(int seconds);
    void ClearCode();
    [[nodiscard]] wxString tracking_code() const { return m_code->GetLabelText(); }
    // The QR code drawn (null bitmap when there is no code), and its module size in pixels.
    [[nodiscard]] wxBitmap qr_bitmap() const;
    [[nodiscard]] int qr_module_px() const { return m_qr_module; }

  private:
    std::function<void()> m_on_done;
    wxStaticText* m_code = nullptr;
    wxStaticBitmap* m_qr = nullptr;
    int m_qr_module = 0;
    wxStaticText* m_countdown = nullptr;
    BigButton* m_done = nullptr;
};

// The bitmap of a QR code: `module_px` pixels a module, a white quiet zone of 4 modules.
[[nodiscard]] wxBitmap QrBitmap(const QrMatrix& qr, int module_px);

// "Are you still there?" with the seconds until the ballot is discarded.
class WarningPage final : public Screen {
  public:
    WarningPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info, std::function<void()> on_continue);
    void SetSecondsLeft(int seconds);
    void FocusContinue();

  private:
    std::function<void()> m_on_continue;
    wxStaticText* m_seconds = nullptr;
    wxStaticText* m_text = nullptr;
    BigButton* m_continue = nullptr;
};

// A question with two answers (give up the ballot? close the poll? exit?).
class ConfirmPage final : public Screen {
  public:
    ConfirmPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info);
    void Ask(const wxString& title, const wxString& text, const wxString& confirm_label, const wxString& back_label,
             std::function<void()> on_confirm, std::function<void()> on_back);

  private:
    wxStaticText* m_title = nullptr;
    wxStaticText* m_text = nullptr;
    BigButton* m_confirm = nullptr;
    BigButton* m_back = nullptr;
    std::function<void()> m_on_confirm, m_on_back;
};

}  // namespace pingyi::kiosk
