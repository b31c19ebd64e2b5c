// The kiosk window: owns the ballot box and the KioskSession, switches the screens, runs
// the 1-second timer that applies the session's inactivity and receipt rules, casts on a
// worker thread, and keeps the voter in (EVT_CLOSE veto, EVT_CHAR_HOOK, the platform
// lock-down). Every rule is the session's, the box's or app/poll's; the frame only wires them
// to screens: kiosk_frame.cpp (the window, navigation, timer and keys), kiosk_frame_voter.cpp
// (the voter's path), kiosk_frame_operator.cpp (setup, resume, the operator menu).
#pragma once

#include <wx/frame.h>
#include <wx/simplebook.h>
#include <wx/timer.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/ballot_box.hpp"
#include "core/clock.hpp"
#include "core/kiosk_session.hpp"
#include "crypto/keyfile.hpp"
#include "kiosk/i18n.hpp"
#include "kiosk/lockdown.hpp"
#include "kiosk/theme.hpp"

namespace pingyi::kiosk {

class WelcomePage;
class BallotPage;
class ReviewPage;
class CommitPage;
class CheckedPage;
class BusyPage;
class ReceiptPage;
class WarningPage;
class ConfirmPage;
class SetupPage;
class UnlockPage;
class OperatorPinPage;
class OperatorMenuPage;

struct KioskConfig {
    // Where the ballot boxes (and their device key files) live.
    std::filesystem::path data_dir;
    // Prefills of the setup and export screens.
    std::filesystem::path package_path;
    std::filesystem::path export_dir;
    // Injected for tests; null means SystemClock / SystemRng.
    const Clock* clock = nullptr;
    Rng* rng = nullptr;
    SessionSettings session;
    // scrypt cost of the device key file sealed with the PIN (tests use a cheap one).
    KdfParams device_key_kdf;
    // What every voter starts with (a voter may switch on the welcome screen).
    Language language = Language::Chinese;
    bool high_contrast = false;
    bool larger_text = false;
    // Full screen, borderless, on top and the platform lock-down; off for development.
    bool lockdown = true;
    // The window size when not full screen.
    wxSize window_size{1366, 768};
    std::chrono::milliseconds tick{1000};
    // How long the cast may take before the busy screen appears.
    std::chrono::milliseconds busy_after{400};
    // The operator menu locks itself after this long without a touch.
    std::chrono::seconds operator_idle{120};
    // Called when the operator exits, after the window is destroyed (tests).
    std::function<void()> on_exit;
};

enum class PageId {
    Setup,
    Unlock,
    Welcome,
    Ballot,
    Review,
    Commit,   // the encrypted ballot's tracking code, before cast or check
    Checked,  // a checked ballot opened (核验票)
    Busy,
    Receipt,
    Warning,
    Confirm,
    OperatorPin,
    OperatorMenu,
};
std::string_view PageName(PageId page);

class KioskFrame final : public wxFrame {
  public:
    explicit KioskFrame(KioskConfig config);
    ~KioskFrame() override;

    // --- for tests and the screenshot script ---
    [[nodiscard]] PageId page() const { return m_page; }
    [[nodiscard]] BallotBox* box() { return m_box ? &*m_box : nullptr; }
    [[nodiscard]] const KioskSession* session() const { return m_session.get(); }
    [[nodiscard]] const std::filesystem::path& box_path() const { return m_box_path; }
    [[nodiscard]] wxWindow* current_page() const;
    // The message shown on the current screen, if it has a message bar.
    [[nodiscard]] wxString message() const;
    [[nodiscard]] BallotPage* ballot_page() const { return m_ballot; }
    [[nodiscard]] WelcomePage* welcome_page() const { return m_welcome; }
    // What the operator's PIN screen said when the last PIN check began (for the tests).
    [[nodiscard]] const wxString& pin_check_banner() const { return m_pin_check_banner; }
    [[nodiscard]] int pin_checks_started() const { return m_pin_checks; }
    [[nodiscard]] ReceiptPage* receipt_page() const { return m_receipt; }
    [[nodiscard]] CommitPage* commit_page() const { return m_commit; }
    [[nodiscard]] CheckedPage* checked_page() const { return m_checked; }
    [[nodiscard]] OperatorMenuPage* operator_menu() const { return m_operator_menu; }
    [[nodiscard]] bool casting() const { return m_casting; }
    // From the press of 确认投票 to the receipt on screen, for the last ballot.
    [[nodiscard]] std::chrono::milliseconds last_cast_time() const { return m_last_cast_time; }
    [[nodiscard]] const Theme& theme() const { return *m_theme; }
    [[nodiscard]] Language language() const { return m_language; }
    // False for SessionSettings::screen_settle after each screen change: taps and Enter/Space
    // on the new screen's buttons are ignored until then (a double-click never reaches the
    // button that appeared under the pointer).
    [[nodiscard]] bool input_settled() const { return m_settle.Settled(); }
    [[nodiscard]] bool lockdown_engaged() const { return m_lockdown && m_lockdown->engaged(); }
    // What the 1-second timer does, now.
    void TickNow() { OnTick(); }
    void SetLanguage(Language language);
    void SetHighContrast(bool on);
    void SetLargerText(bool on);
    // Shows a page as it is (for screenshots of screens a test cannot easily reach).
    void ShowPageForScreenshot(PageId page) { ShowPage(page); }
    // The hidden gesture's effect (Ctrl+Shift+F12 or five taps in the corner).
    void RequestOperator();

  private:
    // Screens are rebuilt whole when the language or the theme changes.
    void BuildPages();
    // Rebuilds after the current event (a screen's handler may be running), then `then`.
    void Rebuild(std::function<void()> then);
    void ShowPage(PageId page);
    [[nodiscard]] ScreenInfo Info() const;
    [[nodiscard]] const Clock& clock() const { return *m_clock; }

    // Setup and resume.
    void FindOpenBox();
    void OnCheckPackage(const wxString& path);
    void OnOpenPoll(std::uint32_t kiosk, const wxString& pin, const wxString& pin2);
    void OnUnlock(const wxString& pin);
    void StartSession();

    // The voter's path.
    void ShowWelcome(const wxString& message = {}, MessageKind kind = MessageKind::None);
    void OnCode(const wxString& typed);
    void ShowBallot();
    void OnChoose(std::uint32_t member, std::uint32_t option);
    void OnNext();
    void OnCancelBallot();
    void OnBackToBallot();
    // Review's 下一步 commits (encrypts, shows the tracking code); the commit screen casts or,
    // in check mode, checks. Each runs on the worker thread (RunOffThread).
    void OnConfirmVote();
    void OnCastCommitted();
    void OnCheckBallot();
    void OnCheckedDone();
    void OnCheckMode();
    enum class Pending { Commit, Cast, Check };
    void RunOffThread(Pending what);
    void OnCastPoll();
    void OnReceiptDone();
    void ShowWarning();
    void OnContinueVoting();
    // After a ballot ends (cast, cancelled, timed out): screens wiped, the defaults restored
    // for the next voter, then `then`.
    void BallotEnded(std::function<void()> then);
    // A session error that means the ballot is gone (timed out) sends the voter back.
    bool HandleLostBallot(const Error& error);
    void UpdateWelcomeWait();

    // The operator.
    void OnCornerTap();
    void OnOperatorPin(const wxString& pin);
    void ShowOperatorMenu(const wxString& message = {}, MessageKind kind = MessageKind::None);
    // What the lock-down holds, in the chosen language, for the operator's status screen.
    [[nodiscard]] wxString LockdownText() const;
    void OnClosePoll();
    void OnExport(const wxString& dir);
    void OnSaveForm(const wxString& dir);
    // The folder typed on the operator menu, if it exists; else says so on the menu.
    std::optional<std::filesystem::path> UsbFolder(const wxString& dir);
    void OnExitRequest();
    void ExitKiosk();

    // Events.
    void OnTick();
    void OnCharHook(wxKeyEvent& event);
    void OnClose(wxCloseEvent& event);
    void OnUserActivity();
    void EngageLockdown();

    class ActivityFilter;

    KioskConfig m_config;
    SystemClock m_system_clock;
    const Clock* m_clock;
    Rng* m_rng;
    std::unique_ptr<Lockdown> m_lockdown;
    std::unique_ptr<ActivityFilter> m_filter;
    // Real time, whatever clock the session has: it is about how fast hands and keys are.
    ScreenSettle m_settle;

    Language m_language = Language::Chinese;
    bool m_high_contrast = false;
    bool m_larger_text = false;
    std::unique_ptr<Theme> m_theme;

    // Setup: the package being checked, and the box once open.
    std::optional<ElectionPackage> m_package;
    wxString m_package_path;
    std::filesystem::path m_box_path;
    std::optional<ScreenInfo> m_resume_info;
    std::optional<BallotBox> m_box;
    std::unique_ptr<KioskSession> m_session;

    wxSimplebook* m_book = nullptr;
    SetupPage* m_setup = nullptr;
    UnlockPage* m_unlock = nullptr;
    WelcomePage* m_welcome = nullptr;
    BallotPage* m_ballot = nullptr;
    ReviewPage* m_review = nullptr;
    CommitPage* m_commit = nullptr;
    CheckedPage* m_checked = nullptr;
    BusyPage* m_busy = nullptr;
    ReceiptPage* m_receipt = nullptr;
    WarningPage* m_warning = nullptr;
    ConfirmPage* m_confirm = nullptr;
    OperatorPinPage* m_operator_pin = nullptr;
    OperatorMenuPage* m_operator_menu = nullptr;
    PageId m_page = PageId::Setup;
    PageId m_page_before_warning = PageId::Ballot;
    bool m_confirm_for_ballot = false;  // the confirm screen asks the voter, not the operator
    wxString m_wait_reason;             // why wrong codes are refused for a while
    int m_engage_attempts = 0;

    wxTimer m_tick;
    wxTimer m_cast_timer;
    std::future<Result<std::string>> m_cast;
    Pending m_pending = Pending::Cast;
    std::optional<CheckedBallot> m_checked_ballot;  // written by the worker thread of a check
    bool m_casting = false;
    std::chrono::steady_clock::time_point m_cast_started;
    std::chrono::milliseconds m_last_cast_time{0};
    Clock::TimePoint m_receipt_since{};
    Clock::TimePoint m_welcome_message_since{};
    wxString m_pin_check_banner;
    int m_pin_checks = 0;

    std::vector<Clock::TimePoint> m_corner_taps;
    Clock::TimePoint m_operator_activity{};
    bool m_allow_close = false;
};

}  // namespace pingyi::kiosk
