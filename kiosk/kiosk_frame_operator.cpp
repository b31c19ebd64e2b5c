// KioskFrame, the operator and the poll's state: checking the package and opening the poll,
// resuming it after a restart with the PIN, the hidden gesture and the operator's PIN, the
// operator menu (check mode, closing, the forms, the export) and leaving the program. Every
// rule is app/poll's, the box's or the session's. The frame itself: kiosk_frame.cpp.
#include <wx/utils.h>

#include <utility>

#include "app/poll.hpp"
#include "core/box_forms.hpp"
#include "core/error_codes.hpp"
#include "core/file_io.hpp"
#include "core/package.hpp"
#include "kiosk/kiosk_frame.hpp"
#include "kiosk/operator_pages.hpp"
#include "kiosk/setup_page.hpp"
#include "kiosk/voter_pages.hpp"  // ConfirmPage

namespace pingyi::kiosk {
namespace {

constexpr int kCornerTaps = 5;
constexpr std::chrono::seconds kCornerWindow{3};

}  // namespace

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
    auto box = app::ResumePoll(m_box_path, SecretFromWx(pin));
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

// --- the operator ---

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
        const Status s = app::CheckOperatorLogin(*m_box, *pin_bytes, clock().Now());
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
    wxBusyCursor busy;
    const auto exported = app::ExportPoll(*m_box, m_box_path, *folder);
    if (!exported) {
        m_operator_menu->ShowMessage(_("The ballot box was not exported.") + " " + ErrorText(exported.error()),
                                     MessageKind::Error);
        return;
    }
    wxString text = wxString::Format(_("The ballot box was exported to %s."), FromPath(exported->path));
    if (exported->kind == BallotBox::ExportKind::ReplacedBackup)
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

}  // namespace pingyi::kiosk
