#include "kiosk/kiosk_frame.hpp"

#include <wx/display.h>
#include <wx/eventfilter.h>
#include <wx/sizer.h>
#include <wx/textctrl.h>
#include <wx/utils.h>

#include <openssl/crypto.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <utility>

#include "app/poll.hpp"
#include "core/box_forms.hpp"
#include "core/error_codes.hpp"
#include "core/file_io.hpp"
#include "core/messages.hpp"
#include "core/package.hpp"
#include "crypto/sign.hpp"
#include "kiosk/operator_pages.hpp"
#include "kiosk/setup_page.hpp"
#include "kiosk/voter_pages.hpp"

namespace pingyi::kiosk {
namespace {

constexpr int kCornerTaps = 5;
constexpr std::chrono::seconds kCornerWindow{3};

bool InBallot(SessionState s)
{
    return s == SessionState::Voting || s == SessionState::Review || s == SessionState::Committed ||
           s == SessionState::Checked;
}

}  // namespace

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

// --- setup and resume ---

void KioskFrame::FindOpenBox()
{
    auto open = app::FindOpenBox(m_config.data_dir);
    if (!open) return;
    m_box_path = open->path;
    m_resume_info = ScreenInfo{U8(open->package.definition.title), U8(ShortFingerprint(open->package.fingerprint)),
                               open->kiosk, open->package.definition.test_mode};
}

void KioskFrame::OnCheckPackage(const wxString& path)
{
    m_package.reset();
    m_package_path = path;
    m_setup->ShowPackage(nullptr);
    const wxString trimmed = wxString(path).Trim(true).Trim(false);
    if (trimmed.empty()) {
        m_setup->ShowMessage(_("Choose the election package file first."), MessageKind::Error);
        return;
    }
    // A regular file of at most 64 MiB: a folder, /dev/zero or a pipe is refused, never read.
    const auto bytes = ReadWholeFile(ToPath(trimmed), FileKind::kPackage);
    if (!bytes) {
        m_setup->ShowMessage(
            wxString::Format(_("The file cannot be read: %s"), trimmed) + "\n" + ErrorText(bytes.error()),
            MessageKind::Error);
        return;
    }
    wxBusyCursor busy;
    auto package = LoadPackage(*bytes);
    if (!package) {
        m_setup->ShowMessage(_("This election package cannot be used.") + "\n" + ErrorText(package.error()),
                             MessageKind::Error);
        return;
    }
    m_package = std::move(package).value();
    m_setup->ShowPackage(&*m_package);
    m_setup->ShowMessage(_("The package is intact and signed. Compare its fingerprint with the one on the code slips."),
                         MessageKind::Success);
}

void KioskFrame::OnOpenPoll(std::uint32_t kiosk, const wxString& pin, const wxString& pin2)
{
    if (!m_package) {
        m_setup->ShowMessage(_("Check the election package first."), MessageKind::Error);
        return;
    }
    m_setup->ShowPinMessage({}, MessageKind::None);
    wxBusyCursor busy;
    auto opened = app::OpenPoll(m_config.data_dir, *m_package, kiosk, SecretFromWx(pin), SecretFromWx(pin2), *m_rng,
                                m_config.device_key_kdf);
    if (!opened) {
        const Error& e = opened.error();
        if (e.code == err::kPinWeak) {
            m_setup->ShowPinMessage(wxString::Format(_("The PIN must have at least %u digits, and digits only."),
                                                     static_cast<unsigned>(app::kMinPinDigits)),
                                    MessageKind::Error);
        } else if (e.code == err::kPinMismatch) {
            m_setup->ShowPinMessage(_("The two PINs are not the same."), MessageKind::Error);
            m_setup->ClearPins();
        } else {
            m_setup->ShowMessage(_("The poll could not be opened.") + "\n" + ErrorText(e), MessageKind::Error);
        }
        return;
    }
    m_box.emplace(std::move(opened->box));
    m_box_path = opened->path;
    StartSession();
}

void KioskFrame::OnUnlock(const wxString& pin)
{
    wxBusyCursor busy;
    // Opening the device key takes seconds: say so at once, in place of any old error.
    m_unlock->ShowMessage(_("Checking the PIN..."), MessageKind::Info);
    m_unlock->Refresh();
    m_unlock->Update();
    const SecretBytes pin_bytes = SecretFromWx(pin);
    auto box = BallotBox::Resume(m_box_path,
                                 std::string_view(reinterpret_cast<const char*>(pin_bytes.data()), pin_bytes.size()));
    if (!box) {
        m_unlock->ShowMessage(ErrorText(box.error()), MessageKind::Error);
        m_unlock->FocusPin();
        return;
    }
    m_box.emplace(std::move(box).value());
    StartSession();
}

void KioskFrame::StartSession()
{
    m_session = std::make_unique<KioskSession>(*m_box, clock(), *m_rng, m_config.session);
    m_lockdown->KeepAwake(!m_box->closed());
    m_package.reset();
    Rebuild([this] { ShowWelcome(); });
}

// --- the voter's path ---

void KioskFrame::ShowWelcome(const wxString& message, MessageKind kind)
{
    if (!m_welcome) return;
    ShowPage(PageId::Welcome);
    m_welcome->ShowMessage(message, kind);
    m_welcome_message_since = clock().Now();
    m_wait_reason.clear();
    UpdateWelcomeWait();
    m_welcome->FocusCode();
}

void KioskFrame::UpdateWelcomeWait()
{
    if (!m_session || !m_welcome) return;
    const auto wait = m_session->code_wait_seconds_left();
    m_welcome->SetWait(wait ? std::optional<int>(static_cast<int>(wait->count())) : std::nullopt, m_wait_reason);
}

void KioskFrame::OnCode(const wxString& typed)
{
    if (!m_session || m_casting) return;
    std::string code = typed.utf8_string();
    const Status s = m_session->EnterCode(code);
    OPENSSL_cleanse(code.data(), code.size());  // the session keeps its own copy; wx's cannot be wiped
    if (s) {
        m_welcome->ClearCode();
        ShowBallot();
        return;
    }
    const Error& e = s.error();
    m_wait_reason = e.code == err::kSessionRateLimited ? wxString() : ErrorText(e);
    m_welcome->ShowMessage(ErrorText(e), MessageKind::Error);
    m_welcome->MarkCodeWrong(true);
    UpdateWelcomeWait();
    m_welcome->FocusCode();
}

void KioskFrame::ShowBallot()
{
    m_ballot->Start();
    ShowPage(PageId::Ballot);
    m_ballot->grid()->FocusMember(0);
}

void KioskFrame::OnChoose(std::uint32_t member, std::uint32_t option)
{
    if (!m_session || m_casting) return;
    const Status s = m_session->Choose(member, option);
    BallotGrid* grid = m_ballot->grid();
    if (!s) {
        if (HandleLostBallot(s.error())) return;
        if (s.error().code == err::kSessionQuota && m_session->quota()) {
            const QuotaUse q = *m_session->quota();
            const ElectionDefinition& def = m_session->definition();
            wxString name = U8(def.options[q.option]);
            const wxString gloss = OptionGloss(def.options[q.option], m_language);
            if (!gloss.empty()) name = gloss + " (" + name + ")";
            m_ballot->ShowMessage(
                wxString::Format(wxPLURAL("\"%s\" can be given to at most %u member. To give it here, first change "
                                          "another member's \"%s\".",
                                          "\"%s\" can be given to at most %u members. To give it here, first change "
                                          "another member's \"%s\".",
                                          q.max),
                                 name, q.max, name),
                MessageKind::Error);
        } else {
            m_ballot->ShowMessage(ErrorText(s.error()), MessageKind::Error);
        }
        m_ballot->UpdateCounts();
        return;
    }
    m_ballot->UpdateCounts();
    grid->RefreshMember(member);
    if (grid->highlighting_unrated()) {
        const auto left = static_cast<unsigned>(m_session->unrated().size());
        if (left == 0) {
            grid->HighlightUnrated(false);
            m_ballot->ShowMessage({}, MessageKind::None);
        } else {
            m_ballot->ShowMessage(wxString::Format(wxPLURAL("%u member is not rated yet (marked in colour).",
                                                            "%u members are not rated yet (marked in colour).", left),
                                                   left),
                                  MessageKind::Error);
        }
    } else {
        m_ballot->ShowMessage({}, MessageKind::None);
    }
}

void KioskFrame::OnNext()
{
    if (!m_session || m_casting) return;
    const Status s = m_session->GoToReview();
    if (s) {
        m_review->Fill(*m_session);
        ShowPage(PageId::Review);
        m_review->FocusList();
        return;
    }
    if (HandleLostBallot(s.error())) return;
    if (s.error().code == err::kSessionUnrated) {
        const auto missing = m_session->unrated();
        const auto n = static_cast<unsigned>(missing.size());
        m_ballot->grid()->HighlightUnrated(true);
        if (!missing.empty()) m_ballot->grid()->FocusMember(missing.front());
        m_ballot->ShowMessage(
            wxString::Format(wxPLURAL("%u member is not rated yet (marked in colour). Please rate every member.",
                                      "%u members are not rated yet (marked in colour). Please rate every member.", n),
                             n),
            MessageKind::Error);
        return;
    }
    m_ballot->ShowMessage(ErrorText(s.error()), MessageKind::Error);
}

void KioskFrame::OnCancelBallot()
{
    if (!m_session || m_casting) return;
    m_confirm_for_ballot = true;
    m_confirm->Ask(
        _("Give up this ballot?"),
        _("Your choices are deleted and nothing is saved. Your code stays unused: you can start again "
          "with it."),
        _("Yes, give up"), _("No, go on voting"),
        [this] {
            m_confirm_for_ballot = false;
            const Status s = m_session->Cancel();
            const bool timed_out = !s && s.error().code == err::kSessionTimedOut;
            BallotEnded([this, timed_out] {
                ShowWelcome(timed_out ? ErrorText(MakeError(std::string(err::kSessionTimedOut), ""))
                                      : _("The ballot was given up. Its code can still be used."),
                            MessageKind::Info);
            });
        },
        [this] {
            m_confirm_for_ballot = false;
            ShowPage(PageId::Ballot);
            m_ballot->grid()->FocusMember(m_ballot->grid()->cursor_member());
        });
    ShowPage(PageId::Confirm);
}

void KioskFrame::OnBackToBallot()
{
    if (!m_session || m_casting) return;
    // From the review or the commit screen (the encrypted ballot is dropped).
    const Status s = m_session->BackToBallot();
    if (!s) {
        if (HandleLostBallot(s.error())) return;
        if (m_page == PageId::Commit)
            m_commit->ShowMessage(ErrorText(s.error()), MessageKind::Error);
        else
            m_review->ShowMessage(ErrorText(s.error()), MessageKind::Error);
        return;
    }
    m_commit->Clear();
    m_review->ClearChoices();
    m_ballot->ShowMessage({}, MessageKind::None);
    m_ballot->UpdateCounts();
    ShowPage(PageId::Ballot);
    m_ballot->grid()->FocusMember(m_ballot->grid()->cursor_member());
}

void KioskFrame::OnConfirmVote()
{
    // The session refuses a commit too soon after the review appeared; ask it first so that
    // nothing happens on screen either.
    if (!m_session || m_casting || !m_session->review_settled()) return;
    m_review->SetBusy(true);
    m_review->ShowMessage({}, MessageKind::None);
    RunOffThread(Pending::Commit);
}

void KioskFrame::OnCastCommitted()
{
    if (!m_session || m_casting || !m_session->review_settled()) return;
    m_commit->SetBusy(true);
    m_commit->ShowMessage({}, MessageKind::None);
    RunOffThread(Pending::Cast);
}

void KioskFrame::OnCheckBallot()
{
    if (!m_session || m_casting || !m_session->review_settled() || !m_session->check_mode()) return;
    m_commit->SetBusy(true);
    m_commit->ShowMessage({}, MessageKind::None);
    RunOffThread(Pending::Check);
}

void KioskFrame::RunOffThread(Pending what)
{
    m_casting = true;
    m_pending = what;
    m_checked_ballot.reset();
    m_cast_started = std::chrono::steady_clock::now();
    wxBeginBusyCursor();
    // The session is not thread-safe: nothing else touches it until the worker returns
    // (every handler checks m_casting, and the timer skips its tick).
    KioskSession* session = m_session.get();
    std::optional<CheckedBallot>* checked = &m_checked_ballot;
    m_cast = std::async(std::launch::async, [session, what, checked]() -> Result<std::string> {
        if (what == Pending::Commit) return session->Commit();
        if (what == Pending::Cast) return session->Cast();
        auto result = session->Check();
        if (!result) return result.error();
        *checked = std::move(result).value();
        return (*checked)->tracking_code;
    });
    m_cast_timer.Start(10);
}

void KioskFrame::OnCheckedDone()
{
    if (!m_session || m_casting || m_page != PageId::Checked) return;
    const Status s = m_session->ReturnFromCheck();
    m_checked->Clear();
    if (!s) {
        HandleLostBallot(s.error());
        return;
    }
    m_ballot->ShowMessage(_("The checked ballot is not counted. Your choices are kept: go on, then cast or check "
                            "again."),
                          MessageKind::Info);
    m_ballot->UpdateCounts();
    ShowPage(PageId::Ballot);
    m_ballot->grid()->FocusMember(m_ballot->grid()->cursor_member());
}

void KioskFrame::OnCheckMode()
{
    if (!m_session || m_casting) return;
    const bool on = !m_session->check_mode();
    if (const Status s = m_session->SetCheckMode(on); !s) {
        ShowOperatorMenu(ErrorText(s.error()), MessageKind::Error);
        return;
    }
    ShowOperatorMenu(on ? _("Check mode is on: every voter may check a ballot instead of casting it. Leave it on "
                            "for the whole poll.")
                        : _("Check mode is off."),
                     MessageKind::Success);
}

void KioskFrame::OnCastPoll()
{
    if (!m_casting) return;
    const auto elapsed = std::chrono::steady_clock::now() - m_cast_started;
    if (m_cast.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        if (elapsed >= m_config.busy_after && m_page != PageId::Busy) ShowPage(PageId::Busy);
        if (m_page == PageId::Busy) m_busy->Pulse();
        return;
    }
    m_cast_timer.Stop();
    wxEndBusyCursor();
    // Whatever the worker thread threw comes back here: a message like any failed cast.
    Result<std::string> result = MakeError("internal.error", "the cast stopped");
    try {
        result = m_cast.get();
    } catch (const std::exception& e) {
        result = MakeError("internal.error", std::string("the cast stopped on an unexpected error: ") + e.what());
    }
    m_casting = false;
    if (!result) {
        if (HandleLostBallot(result.error())) return;
        if (m_pending == Pending::Commit) {
            m_review->SetBusy(false);
            ShowPage(PageId::Review);
            m_review->ShowMessage(ErrorText(result.error()), MessageKind::Error);
        } else {
            m_commit->SetBusy(false);
            ShowPage(PageId::Commit);
            m_commit->ShowMessage(
                (m_pending == Pending::Cast ? _("Your ballot was NOT saved.") : _("The ballot was NOT checked.")) +
                    " " + ErrorText(result.error()),
                MessageKind::Error);
        }
        return;
    }
    if (m_pending == Pending::Commit) {
        m_review->SetBusy(false);
        m_commit->SetCommitted(*result, m_session->check_mode());
        ShowPage(PageId::Commit);
        return;
    }
    m_commit->Clear();
    m_review->ClearChoices();
    if (m_pending == Pending::Check && m_checked_ballot) {
        m_checked->Fill(m_session->definition(), *m_checked_ballot,
                        CheckedBallotQrText(m_box->package(), m_box->kiosk(), *m_checked_ballot));
        m_checked_ballot.reset();
        ShowPage(PageId::Checked);
        return;
    }
    m_receipt->SetTrackingCode(*result);
    m_receipt_since = clock().Now();
    m_receipt->SetSecondsLeft(static_cast<int>(m_config.session.receipt_display.count()));
    ShowPage(PageId::Receipt);
    m_receipt->Update();
    m_last_cast_time =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - m_cast_started);
}

void KioskFrame::OnReceiptDone()
{
    if (!m_session || m_page != PageId::Receipt) return;
    (void)m_session->AcknowledgeReceipt();
    BallotEnded([this] { ShowWelcome(); });
}

void KioskFrame::ShowWarning()
{
    if (m_page == PageId::Warning) return;
    m_page_before_warning = m_page;
    if (const auto left = m_session->warning_seconds_left()) m_warning->SetSecondsLeft(static_cast<int>(left->count()));
    ShowPage(PageId::Warning);
    m_warning->FocusContinue();
}

void KioskFrame::OnContinueVoting()
{
    if (!m_session || m_casting) return;
    m_session->Touch();
    if (!InBallot(m_session->state())) {
        HandleLostBallot(MakeError(std::string(err::kSessionTimedOut), ""));
        return;
    }
    ShowPage(m_page_before_warning);
    if (m_page == PageId::Ballot) m_ballot->grid()->FocusMember(m_ballot->grid()->cursor_member());
    if (m_page == PageId::Review) m_review->FocusList();
}

void KioskFrame::BallotEnded(std::function<void()> then)
{
    m_confirm_for_ballot = false;
    if (m_review) m_review->ClearChoices();
    if (m_commit) m_commit->Clear();
    if (m_checked) m_checked->Clear();
    if (m_receipt) m_receipt->ClearCode();
    if (m_ballot) m_ballot->grid()->Reset();
    // The next voter starts from the defaults.
    if (m_language != m_config.language || m_high_contrast != m_config.high_contrast ||
        m_larger_text != m_config.larger_text) {
        m_language = m_config.language;
        m_high_contrast = m_config.high_contrast;
        m_larger_text = m_config.larger_text;
        UseLanguage(m_language);
        Rebuild(std::move(then));
        return;
    }
    if (then) then();
}

bool KioskFrame::HandleLostBallot(const Error& error)
{
    if (error.code != err::kSessionTimedOut && (!m_session || m_session->state() != SessionState::WaitingForCode))
        return false;
    BallotEnded(
        [this] { ShowWelcome(ErrorText(MakeError(std::string(err::kSessionTimedOut), "")), MessageKind::Info); });
    return true;
}

// --- the operator ---

void KioskFrame::OnCornerTap()
{
    const auto now = clock().Now();
    m_corner_taps.push_back(now);
    std::erase_if(m_corner_taps, [now](Clock::TimePoint t) { return now - t > kCornerWindow; });
    if (m_corner_taps.size() >= static_cast<std::size_t>(kCornerTaps)) {
        m_corner_taps.clear();
        RequestOperator();
    }
}

void KioskFrame::RequestOperator()
{
    // Only between voters: the operator never sees a ballot being filled in.
    if (!m_box || !m_operator_pin || m_page != PageId::Welcome || m_casting) return;
    m_operator_activity = clock().Now();
    ShowPage(PageId::OperatorPin);
    m_operator_pin->Start();
}

void KioskFrame::OnOperatorPin(const wxString& pin)
{
    m_operator_activity = clock().Now();
    // The check takes seconds: "checking" replaces any old error at once, and the keypad
    // waits; the check itself runs once that is on screen.
    m_operator_pin->SetChecking(true);
    m_pin_check_banner = m_operator_pin->message().text();
    ++m_pin_checks;
    auto pin_bytes = std::make_shared<SecretBytes>(SecretFromWx(pin));
    CallAfter([this, pin_bytes] {
        if (!m_box || m_page != PageId::OperatorPin) {
            m_operator_pin->SetChecking(false);
            return;
        }
        wxBusyCursor busy;
        // Core checks the PIN against the sealed device key, logs the attempt and locks the
        // check after repeated wrong PINs.
        const Status s = m_box->CheckOperatorPin(
            std::string_view(reinterpret_cast<const char*>(pin_bytes->data()), pin_bytes->size()), clock().Now());
        m_operator_pin->SetChecking(false);
        if (!s) {
            m_operator_pin->ShowMessage(ErrorText(s.error()), MessageKind::Error);
            return;
        }
        m_operator_pin->ShowMessage({}, MessageKind::None);
        ShowOperatorMenu();
    });
}

wxString KioskFrame::LockdownText() const
{
    wxString s = m_lockdown->engaged() ? _("the keys that leave the kiosk are blocked")
                                       : _("the keys that leave the kiosk are NOT blocked");
    s += _("; ");
    s += m_lockdown->awake() ? _("the screen is kept on") : _("the screen may turn off");
    return s;
}

void KioskFrame::ShowOperatorMenu(const wxString& message, MessageKind kind)
{
    m_confirm_for_ballot = false;
    m_operator_activity = clock().Now();
    m_operator_menu->ShowStatus(*m_box, LockdownText());
    m_operator_menu->SetCheckMode(m_session && m_session->check_mode());
    m_operator_menu->ShowMessage(message, kind);
    ShowPage(PageId::OperatorMenu);
}

void KioskFrame::OnClosePoll()
{
    const auto cast = static_cast<unsigned>(m_box->ballots());
    m_confirm->Ask(
        _("Close the poll?"),
        wxString::Format(
            wxPLURAL("%u ballot has been cast on this machine.", "%u ballots have been cast on this machine.", cast),
            cast) +
            "\n" + _("After closing, nobody can vote on this machine any more. This cannot be undone."),
        _("Close the poll"), _("Back"),
        [this] {
            wxBusyCursor busy;
            const Status s = m_box->Close();
            if (!s) {
                ShowOperatorMenu(ErrorText(s.error()), MessageKind::Error);
                return;
            }
            m_lockdown->KeepAwake(false);
            // The welcome screen now says the poll is closed.
            Rebuild([this] {
                ShowOperatorMenu(_("The poll is closed. Now export the ballot box to the USB stick."),
                                 MessageKind::Success);
            });
        },
        [this] { ShowOperatorMenu(); });
    ShowPage(PageId::Confirm);
}

std::optional<std::filesystem::path> KioskFrame::UsbFolder(const wxString& dir)
{
    m_operator_activity = clock().Now();
    const wxString trimmed = wxString(dir).Trim(true).Trim(false);
    std::error_code ec;
    const std::filesystem::path folder = ToPath(trimmed);
    if (trimmed.empty() || !std::filesystem::is_directory(folder, ec)) {
        m_operator_menu->ShowMessage(wxString::Format(_("There is no folder %s. Is the USB stick inserted?"), trimmed),
                                     MessageKind::Error);
        return std::nullopt;
    }
    return folder;
}

void KioskFrame::OnSaveForm(const wxString& dir)
{
    const auto folder = UsbFolder(dir);
    if (!folder) return;
    wxBusyCursor busy;
    const FormLanguage language = m_language == Language::English ? FormLanguage::kEnglish : FormLanguage::kChinese;
    const auto now = std::chrono::system_clock::now();
    const bool closing = m_box->closed();
    const auto saved =
        closing ? SaveClosingForm(*m_box, *folder, language, now) : SaveOpeningForm(*m_box, *folder, language, now);
    if (!saved) {
        m_operator_menu->ShowMessage(_("The form was not saved.") + " " + ErrorText(saved.error()), MessageKind::Error);
        return;
    }
    const wxString text =
        closing ? wxString::Format(_("The closing form was saved to %s. Print it: the tellers sign it with the "
                                     "number of ballots on this screen."),
                                   FromPath(saved->closing_form))
                : wxString::Format(_("The opening form was saved to %s, and the device list beside it. Print it: the "
                                     "tellers sign it after comparing the device key on this screen."),
                                   FromPath(saved->opening_form));
    m_operator_menu->ShowMessage(text, MessageKind::Success);
}

void KioskFrame::OnExport(const wxString& dir)
{
    const auto folder = UsbFolder(dir);
    if (!folder) return;
    const std::filesystem::path target = *folder / m_box_path.filename();
    wxBusyCursor busy;
    const auto exported = m_box->Export(target);
    if (!exported) {
        m_operator_menu->ShowMessage(_("The ballot box was not exported.") + " " + ErrorText(exported.error()),
                                     MessageKind::Error);
        return;
    }
    wxString text = wxString::Format(_("The ballot box was exported to %s."), FromPath(target));
    if (*exported == BallotBox::ExportKind::ReplacedBackup)
        text += " " + _("It replaces the earlier copy of this ballot box on the stick.");
    if (m_box->closed())
        text += " " + _("This is the closed ballot box: take it to the branch secretary for the tally.");
    else
        text += " " + _("The poll is still open: this copy is only a backup. Export again after closing the poll.");
    m_operator_menu->ShowStatus(*m_box, LockdownText());
    m_operator_menu->ShowMessage(text, MessageKind::Success);
}

void KioskFrame::OnExitRequest()
{
    m_confirm->Ask(
        _("Exit the program?"),
        m_box && m_box->closed() ? _("The poll is closed. Make sure the ballot box has been exported.")
                                 : _("The poll stays open: after a restart, voting goes on once the PIN is entered."),
        _("Exit"), _("Back"), [this] { ExitKiosk(); }, [this] { ShowOperatorMenu(); });
    ShowPage(PageId::Confirm);
}

void KioskFrame::ExitKiosk()
{
    m_allow_close = true;
    m_lockdown->Release();
    if (IsFullScreen()) ShowFullScreen(false);
    Close(/*force=*/true);
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

void KioskFrame::OnUserActivity()
{
    if (m_casting) return;
    if (m_page == PageId::OperatorPin || m_page == PageId::OperatorMenu || m_page == PageId::Confirm)
        m_operator_activity = clock().Now();
    if (!m_session || !InBallot(m_session->state())) return;
    m_session->Touch();
    // Touch applies the timeout first: a ballot that was already due is gone.
    if (!InBallot(m_session->state()))
        CallAfter([this] {
            if (m_page != PageId::Welcome) HandleLostBallot(MakeError(std::string(err::kSessionTimedOut), ""));
        });
}

void KioskFrame::EngageLockdown()
{
    if (!m_config.lockdown) return;
    ++m_engage_attempts;
    m_lockdown->Engage(GetHandle());
}

}  // namespace pingyi::kiosk
