// KioskFrame, the voter's path: the welcome screen and the code, the ballot, the review, the
// commit and the cast or check on a worker thread, the receipt, the inactivity warning, and
// the end of each ballot. The frame itself and its navigation: kiosk_frame.cpp.
#include <wx/utils.h>

#include <openssl/crypto.h>

#include <utility>

#include "core/error_codes.hpp"
#include "kiosk/kiosk_frame.hpp"
#include "kiosk/voter_pages.hpp"

namespace pingyi::kiosk {
namespace {

bool InBallot(SessionState s)
{
    return s == SessionState::Voting || s == SessionState::Review || s == SessionState::Committed ||
           s == SessionState::Checked;
}

}  // namespace

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

// Every touch, key and movement anywhere (ActivityFilter) keeps the ballot alive.
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

}  // namespace pingyi::kiosk
