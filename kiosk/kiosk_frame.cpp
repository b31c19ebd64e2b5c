// KioskFrame itself: the window, its screens and the navigation between them, the 1-second
// timer and the keys. The voter's path is in kiosk_frame_voter.cpp; the operator and the
// poll's state (setup, resume, the operator menu) in kiosk_frame_operator.cpp.
#include "kiosk/kiosk_frame.hpp"

#include <wx/display.h>
#include <wx/eventfilter.h>
#include <wx/sizer.h>
#include <wx/textctrl.h>
#include <wx/utils.h>

#include <algorithm>
#include <utility>

#include "core/error_codes.hpp"
#include "core/package.hpp"
#include "kiosk/operator_pages.hpp"
#include "kiosk/setup_page.hpp"
#include "kiosk/voter_pages.hpp"

namespace pingyi::kiosk {

std::string_view PageName(PageId page)
{
    switch (page) {
        case PageId::Setup:
            return "setup";
        case PageId::Unlock:
            return "unlock";
        case PageId::Welcome:
            return "welcome";
        case PageId::Ballot:
            return "ballot";
        case PageId::Review:
            return "review";
        case PageId::Commit:
            return "commit";
        case PageId::Checked:
            return "checked";
        case PageId::Busy:
            return "busy";
        case PageId::Receipt:
            return "receipt";
        case PageId::Warning:
            return "warning";
        case PageId::Confirm:
            return "confirm";
        case PageId::OperatorPin:
            return "operator-pin";
        case PageId::OperatorMenu:
            return "operator-menu";
    }
    return "unknown";
}

// Every key, tap, scroll and mouse movement anywhere in the kiosk is voter activity: it
// restarts the session's inactivity timer (and the operator menu's).
// Right after a screen change, a press (tap, click, double-click, Enter, Space) on anything
// but a text field is dropped: it was meant for the previous screen (ScreenSettle).
class KioskFrame::ActivityFilter final : public wxEventFilter {
  public:
    explicit ActivityFilter(KioskFrame& frame) : m_frame(frame) {}
    int FilterEvent(wxEvent& event) override
    {
        const wxEventType type = event.GetEventType();
        if (type == wxEVT_KEY_DOWN || type == wxEVT_LEFT_DOWN || type == wxEVT_MOUSEWHEEL || type == wxEVT_MOTION ||
            type == wxEVT_GESTURE_PAN)
            m_frame.OnUserActivity();
        // dynamic_cast, not wxDynamicCast: that macro static_casts first, which is undefined
        // behaviour (UBSan: "downcast … not an object of type wxTextCtrl") for other windows.
        if (!m_frame.m_settle.Settled() && IsPress(event) && InFrame(event) &&
            dynamic_cast<wxTextCtrl*>(event.GetEventObject()) == nullptr)
            return Event_Processed;
        return Event_Skip;
    }

  private:
    static bool IsPress(const wxEvent& event)
    {
        const wxEventType type = event.GetEventType();
        if (type == wxEVT_LEFT_DOWN || type == wxEVT_LEFT_DCLICK) return true;
        if (type != wxEVT_KEY_DOWN && type != wxEVT_CHAR) return false;
        const int key = static_cast<const wxKeyEvent&>(event).GetKeyCode();
        return key == WXK_RETURN || key == WXK_NUMPAD_ENTER || key == WXK_SPACE;
    }
    bool InFrame(const wxEvent& event) const
    {
        const auto* window = dynamic_cast<const wxWindow*>(event.GetEventObject());
        return window && wxGetTopLevelParent(const_cast<wxWindow*>(window)) == &m_frame;
    }

    KioskFrame& m_frame;
};

KioskFrame::KioskFrame(KioskConfig config)
    : m_config(std::move(config)),
      m_clock(m_config.clock ? m_config.clock : &m_system_clock),
      m_rng(m_config.rng ? m_config.rng : &SystemRng()),
      m_lockdown(MakeLockdown()),
      m_settle(m_system_clock, m_config.session.screen_settle)
{
    const long style = m_config.lockdown ? (wxBORDER_NONE | wxSTAY_ON_TOP) : wxDEFAULT_FRAME_STYLE;
    Create(nullptr, wxID_ANY, _("Pingyi voting machine"), wxDefaultPosition, m_config.window_size, style);
    SetName("pingyi-kiosk");
    wxSize screen = m_config.window_size;
    if (m_config.lockdown) {
        const int display = wxDisplay::GetFromWindow(this);
        screen = wxDisplay(display == wxNOT_FOUND ? 0u : static_cast<unsigned>(display)).GetGeometry().GetSize();
    } else {
        SetClientSize(m_config.window_size);
    }
    m_language = m_config.language;
    m_high_contrast = m_config.high_contrast;
    m_larger_text = m_config.larger_text;
    m_package_path = FromPath(m_config.package_path);
    UseLanguage(m_language);
    m_theme = std::make_unique<Theme>(screen, m_high_contrast, m_larger_text);
    SetBackgroundColour(m_theme->colours().background);

    m_book = new wxSimplebook(this, wxID_ANY);
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    sizer->Add(m_book, 1, wxEXPAND);
    SetSizer(sizer);

    FindOpenBox();
    BuildPages();
    ShowPage(m_resume_info ? PageId::Unlock : PageId::Setup);

    Bind(wxEVT_CHAR_HOOK, &KioskFrame::OnCharHook, this);
    Bind(wxEVT_CLOSE_WINDOW, &KioskFrame::OnClose, this);
    m_tick.Bind(wxEVT_TIMER, [this](wxTimerEvent&) { OnTick(); });
    m_cast_timer.Bind(wxEVT_TIMER, [this](wxTimerEvent&) { OnCastPoll(); });
    m_filter = std::make_unique<ActivityFilter>(*this);
    wxEvtHandler::AddFilter(m_filter.get());
    m_tick.Start(static_cast<int>(m_config.tick.count()));

    if (m_config.lockdown) {
        ShowFullScreen(true, wxFULLSCREEN_ALL);
        CallAfter([this] { EngageLockdown(); });
    } else {
        Show();
    }
    if (m_page == PageId::Unlock) m_unlock->FocusPin();
}

KioskFrame::~KioskFrame()
{
    m_tick.Stop();
    m_cast_timer.Stop();
    if (m_cast.valid()) m_cast.wait();
    wxEvtHandler::RemoveFilter(m_filter.get());
    m_lockdown->Release();
    // The screens read the session: they go first.
    m_book->DeleteAllPages();
    m_session.reset();
    if (m_allow_close && m_config.on_exit) m_config.on_exit();
}

// --- screens ---

ScreenInfo KioskFrame::Info() const
{
    if (m_box) {
        const ElectionDefinition& def = m_box->package().definition;
        return {U8(def.title), U8(ShortFingerprint(m_box->package().fingerprint)), m_box->kiosk(), def.test_mode};
    }
    if (m_resume_info) return *m_resume_info;
    return {_("Pingyi voting machine"), wxString(), 0, false};
}

void KioskFrame::BuildPages()
{
    m_book->DeleteAllPages();
    m_setup = nullptr;
    m_unlock = nullptr;
    m_welcome = nullptr;
    m_ballot = nullptr;
    m_review = nullptr;
    m_commit = nullptr;
    m_checked = nullptr;
    m_busy = nullptr;
    m_receipt = nullptr;
    m_warning = nullptr;
    m_confirm = nullptr;
    m_operator_pin = nullptr;
    m_operator_menu = nullptr;
    const Theme& theme = *m_theme;
    const ScreenInfo info = Info();

    SetupPage::Callbacks setup;
    setup.on_check = [this](const wxString& path) { OnCheckPackage(path); };
    setup.on_open = [this](std::uint32_t kiosk, const wxString& pin, const wxString& pin2) {
        OnOpenPoll(kiosk, pin, pin2);
    };
    setup.on_exit = [this] { ExitKiosk(); };
    setup.on_language = [this] {
        SetLanguage(m_language == Language::Chinese ? Language::English : Language::Chinese);
    };
    m_setup = new SetupPage(m_book, theme, m_language, m_package_path, FromPath(m_config.data_dir),
                            m_package ? &*m_package : nullptr, setup);
    m_book->AddPage(m_setup, "setup");
    UnlockPage::Callbacks unlock;
    unlock.on_unlock = [this](const wxString& pin) { OnUnlock(pin); };
    unlock.on_language = setup.on_language;
    m_unlock = new UnlockPage(m_book, theme, m_language, info, unlock);
    m_book->AddPage(m_unlock, "unlock");
    m_confirm = new ConfirmPage(m_book, theme, info);
    m_book->AddPage(m_confirm, "confirm");
    if (!m_session) return;

    WelcomePage::Callbacks welcome;
    welcome.on_code = [this](const wxString& typed) { OnCode(typed); };
    welcome.on_language = setup.on_language;
    welcome.on_contrast = [this] { SetHighContrast(!m_high_contrast); };
    welcome.on_larger_text = [this] { SetLargerText(!m_larger_text); };
    welcome.on_corner_tap = [this] { OnCornerTap(); };
    m_welcome = new WelcomePage(m_book, theme, info, m_language, m_box->closed(), welcome);
    m_book->AddPage(m_welcome, "welcome");

    BallotPage::Callbacks ballot;
    ballot.on_choose = [this](std::uint32_t member, std::uint32_t option) { OnChoose(member, option); };
    ballot.on_next = [this] { OnNext(); };
    ballot.on_cancel = [this] { OnCancelBallot(); };
    m_ballot = new BallotPage(m_book, theme, info, *m_session, m_language, ballot);
    m_book->AddPage(m_ballot, "ballot");

    ReviewPage::Callbacks review;
    review.on_back = [this] { OnBackToBallot(); };
    review.on_confirm = [this] { OnConfirmVote(); };
    m_review = new ReviewPage(m_book, theme, info, m_language, review);
    m_book->AddPage(m_review, "review");
    CommitPage::Callbacks commit;
    commit.on_back = [this] { OnBackToBallot(); };
    commit.on_cast = [this] { OnCastCommitted(); };
    commit.on_check = [this] { OnCheckBallot(); };
    m_commit = new CommitPage(m_book, theme, info, commit);
    m_book->AddPage(m_commit, "commit");
    m_checked = new CheckedPage(m_book, theme, info, m_language, [this] { OnCheckedDone(); });
    m_book->AddPage(m_checked, "checked");
    m_busy = new BusyPage(m_book, theme, info);
    m_book->AddPage(m_busy, "busy");
    m_receipt = new ReceiptPage(m_book, theme, info, [this] { OnReceiptDone(); });
    m_book->AddPage(m_receipt, "receipt");
    m_warning = new WarningPage(m_book, theme, info, [this] { OnContinueVoting(); });
    m_book->AddPage(m_warning, "warning");

    OperatorPinPage::Callbacks pin;
    pin.on_submit = [this](const wxString& p) { OnOperatorPin(p); };
    pin.on_back = [this] { ShowWelcome(); };
    m_operator_pin = new OperatorPinPage(m_book, theme, info, pin);
    m_book->AddPage(m_operator_pin, "operator-pin");
    OperatorMenuPage::Callbacks menu;
    menu.on_back = [this] { ShowWelcome(); };
    menu.on_close_poll = [this] { OnClosePoll(); };
    menu.on_exit = [this] { OnExitRequest(); };
    menu.on_export = [this](const wxString& dir) { OnExport(dir); };
    menu.on_save_form = [this](const wxString& dir) { OnSaveForm(dir); };
    menu.on_check_mode = [this] { OnCheckMode(); };
    m_operator_menu = new OperatorMenuPage(m_book, theme, info, FromPath(m_config.export_dir), menu);
    m_book->AddPage(m_operator_menu, "operator-menu");
}

void KioskFrame::Rebuild(std::function<void()> then)
{
    // Never from inside a handler of a screen about to be deleted: after the event.
    CallAfter([this, then = std::move(then)] {
        m_book->DeleteAllPages();
        m_theme = std::make_unique<Theme>(m_theme->screen(), m_high_contrast, m_larger_text);
        SetBackgroundColour(m_theme->colours().background);
        BuildPages();
        if (then) then();
    });
}

wxWindow* KioskFrame::current_page() const
{
    switch (m_page) {
        case PageId::Setup:
            return m_setup;
        case PageId::Unlock:
            return m_unlock;
        case PageId::Welcome:
            return m_welcome;
        case PageId::Ballot:
            return m_ballot;
        case PageId::Review:
            return m_review;
        case PageId::Commit:
            return m_commit;
        case PageId::Checked:
            return m_checked;
        case PageId::Busy:
            return m_busy;
        case PageId::Receipt:
            return m_receipt;
        case PageId::Warning:
            return m_warning;
        case PageId::Confirm:
            return m_confirm;
        case PageId::OperatorPin:
            return m_operator_pin;
        case PageId::OperatorMenu:
            return m_operator_menu;
    }
    return nullptr;
}

wxString KioskFrame::message() const
{
    switch (m_page) {
        case PageId::Setup:
            return m_setup->message().text();
        case PageId::Unlock:
            return m_unlock->message().text();
        case PageId::Welcome:
            return m_welcome->message().text();
        case PageId::Ballot:
            return m_ballot->message().text();
        case PageId::Review:
            return m_review->message().text();
        case PageId::Commit:
            return m_commit->message().text();
        case PageId::OperatorPin:
            return m_operator_pin->message().text();
        case PageId::OperatorMenu:
            return m_operator_menu->message().text();
        default:
            return {};
    }
}

void KioskFrame::ShowPage(PageId page)
{
    wxWindow* window = nullptr;
    m_page = page;
    window = current_page();
    if (!window) return;
    m_settle.Restart();
    const int index = m_book->FindPage(window);
    if (index != wxNOT_FOUND) m_book->ChangeSelection(static_cast<std::size_t>(index));
    window->Layout();
    // Keys must not go to a widget of a hidden screen: the new screen takes the focus
    // (its first control; callers then focus the one that matters).
    wxWindow* focus = wxWindow::FindFocus();
    if (!focus || !window->IsDescendant(focus)) window->SetFocus();
}

void KioskFrame::SetLanguage(Language language)
{
    if (language == m_language) return;
    m_language = language;
    UseLanguage(language);
    const PageId page = m_page;
    Rebuild([this, page] {
        if (page == PageId::Welcome)
            ShowWelcome();
        else
            ShowPage(page);
    });
}

void KioskFrame::SetHighContrast(bool on)
{
    m_high_contrast = on;
    Rebuild([this] { ShowWelcome(); });
}

void KioskFrame::SetLargerText(bool on)
{
    m_larger_text = on;
    Rebuild([this] { ShowWelcome(); });
}

// --- events ---

void KioskFrame::OnTick()
{
    if (m_casting) return;
    if (m_config.lockdown && !m_lockdown->engaged() && m_engage_attempts < 10) EngageLockdown();
    const bool operator_page = m_page == PageId::OperatorPin || m_page == PageId::OperatorMenu ||
                               (m_page == PageId::Confirm && !m_confirm_for_ballot && m_session);
    if (operator_page && clock().Now() - m_operator_activity > m_config.operator_idle) {
        ShowWelcome();
        return;
    }
    if (!m_session || !m_welcome) return;
    switch (m_session->Tick()) {
        case TickEvent::BallotDiscarded:
            HandleLostBallot(MakeError(std::string(err::kSessionTimedOut), ""));
            return;
        case TickEvent::ReceiptEnded:
            BallotEnded([this] { ShowWelcome(); });
            return;
        case TickEvent::WarningStarted:
        case TickEvent::None:
            break;
    }
    const bool ballot_page = m_page == PageId::Ballot || m_page == PageId::Review || m_page == PageId::Commit ||
                             m_page == PageId::Checked || (m_page == PageId::Confirm && m_confirm_for_ballot);
    if (ballot_page && m_session->warning_seconds_left()) ShowWarning();
    if (m_page == PageId::Warning) {
        if (const auto left = m_session->warning_seconds_left())
            m_warning->SetSecondsLeft(static_cast<int>(left->count()));
        else
            OnContinueVoting();
    } else if (m_page == PageId::Welcome) {
        // What happened to the last voter's ballot ("本次评价已作废", "已放弃") is not for the
        // next voter: it goes after a few seconds.
        if (m_welcome->message().kind() == MessageKind::Info &&
            clock().Now() - m_welcome_message_since >= m_config.session.welcome_message_display)
            m_welcome->ShowMessage({}, MessageKind::None);
        UpdateWelcomeWait();
    } else if (m_page == PageId::Receipt) {
        const auto left = m_config.session.receipt_display - (clock().Now() - m_receipt_since);
        m_receipt->SetSecondsLeft(
            static_cast<int>(std::max<std::int64_t>(0, std::chrono::ceil<std::chrono::seconds>(left).count())));
    }
}

void KioskFrame::OnCharHook(wxKeyEvent& event)
{
    const int key = event.GetKeyCode();
    // The voter cannot leave: Alt+F4 and Escape do nothing.
    if ((key == WXK_F4 && event.AltDown()) || key == WXK_ESCAPE) return;
    if (key == WXK_F12 && event.ControlDown() && event.ShiftDown()) {
        RequestOperator();
        return;
    }
    // A scanner that types while the focus is elsewhere on the welcome screen still lands
    // in the code field.
    if (m_page == PageId::Welcome && m_welcome && m_welcome->code_field() &&
        wxWindow::FindFocus() != m_welcome->code_field()) {
        const wxChar c = event.GetUnicodeKey();
        if (c != WXK_NONE && c > ' ' && !event.ControlDown() && !event.AltDown()) {
            m_welcome->TypeIntoCode(c);
            return;
        }
    }
    event.Skip();
}

void KioskFrame::OnClose(wxCloseEvent& event)
{
    if (!m_allow_close && event.CanVeto()) {
        event.Veto();
        return;
    }
    Destroy();
}

void KioskFrame::EngageLockdown()
{
    if (!m_config.lockdown) return;
    ++m_engage_attempts;
    m_lockdown->Engage(GetHandle());
}

}  // namespace pingyi::kiosk
