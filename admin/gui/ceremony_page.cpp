#include "admin/gui/ceremony_page.hpp"

#include <wx/filepicker.h>
#include <wx/listctrl.h>

#include "admin/gui/election_setup.hpp"
#include "admin/gui/gui_common.hpp"
#include "admin/gui/i18n.hpp"

namespace pingyi::admin {
namespace {

constexpr int kWrap = 760;

wxString RoundName(int round)
{
    switch (round) {
        case 1:
            return _("Round 1: each trustee makes their secret part and sets a passphrase");
        case 2:
            return _("Round 2: each trustee checks the others' first round and sends them key shares");
        default:
            return _("Round 3: each trustee checks the shares received and keeps their part of the key");
    }
}

}  // namespace

CeremonyPage::CeremonyPage(wxWindow* parent) : wxPanel(parent, wxID_ANY), m_task(this, {})
{
    SetName("ceremony");
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_intro = MakeText(this, "ceremony.intro");
    s->Add(m_intro, 0, wxBOTTOM, 8);
    m_list = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxSize(-1, FromDIP(130)),
                            wxLC_REPORT | wxLC_SINGLE_SEL | wxBORDER_THEME);
    m_list->SetName("ceremony.list");
    m_list->AppendColumn(wxString(), wxLIST_FORMAT_LEFT, FromDIP(50));
    m_list->AppendColumn(wxString(), wxLIST_FORMAT_LEFT, FromDIP(200));
    for (int r = 0; r < 3; ++r)
        m_list->AppendColumn(wxString(), wxLIST_FORMAT_CENTRE, FromDIP(110));
    s->Add(m_list, 0, wxEXPAND | wxBOTTOM, 10);

    m_turn_label = MakeText(this, "ceremony.turn");
    m_turn_label->SetFont(UiFont(1.4, wxFONTWEIGHT_BOLD));
    m_turn_label->SetForegroundColour(wxColour(0xB7, 0x1C, 0x1C));
    s->Add(m_turn_label, 0, wxBOTTOM, 4);
    m_turn_hint = MakeText(this, "ceremony.turn_hint");
    s->Add(m_turn_hint, 0, wxBOTTOM, 8);
    auto* form = new wxFlexGridSizer(2, 8, 12);
    form->AddGrowableCol(1);
    m_stick_label = MakeText(this, "ceremony.stick_label");
    m_stick = new wxDirPickerCtrl(this, wxID_ANY, wxString(), wxString(), wxDefaultPosition, wxDefaultSize,
                                  wxDIRP_USE_TEXTCTRL);
    m_stick->SetName("ceremony.stick");
    m_pass_label = MakeText(this, "ceremony.pass_label");
    m_pass = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(320), -1), wxTE_PASSWORD);
    m_pass->SetName("ceremony.passphrase");
    m_pass2_label = MakeText(this, "ceremony.pass2_label");
    m_pass2 = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(320), -1), wxTE_PASSWORD);
    m_pass2->SetName("ceremony.passphrase2");
    form->Add(m_stick_label, 0, wxALIGN_CENTER_VERTICAL);
    form->Add(m_stick, 1, wxEXPAND);
    form->Add(m_pass_label, 0, wxALIGN_CENTER_VERTICAL);
    form->Add(m_pass, 0);
    form->Add(m_pass2_label, 0, wxALIGN_CENTER_VERTICAL);
    form->Add(m_pass2, 0);
    s->Add(form, 0, wxEXPAND | wxBOTTOM, 10);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    m_go = new wxButton(this, wxID_ANY, wxString());
    m_go->SetName("ceremony.go");
    m_go->SetFont(UiFont(1.1, wxFONTWEIGHT_BOLD));
    m_reload = new wxButton(this, wxID_ANY, wxString());
    m_reload->SetName("ceremony.reload");
    buttons->Add(m_go, 0, wxRIGHT, 12);
    buttons->Add(m_reload, 0);
    s->Add(buttons, 0, wxBOTTOM, 8);
    m_status = MakeText(this, "ceremony.status");
    m_status->SetFont(UiFont(1.05, wxFONTWEIGHT_BOLD));
    s->Add(m_status, 0);
    SetSizer(s);

    m_go->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { RunTurn(); });
    m_reload->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Reload(); });
}

void CeremonyPage::ApplyLabels()
{
    SetWrappedLabel(m_intro,
                    _("The key ceremony: no computer and no person ever holds the whole election key. Each trustee "
                      "in turn inserts their own USB stick, chooses its folder and types their own passphrase. "
                      "Their key file (trustee-<n>.pyk) is written to their stick and must stay there; the other "
                      "files of the ceremony are public and stay in the ceremony folder."),
                    FromDIP(kWrap));
    SetListHeadings(m_list, {_("No."), _("Trustee"), _("Round 1"), _("Round 2"), _("Round 3")});
    m_stick_label->SetLabel(_("Your USB stick (folder):"));
    m_stick->GetPickerCtrl()->SetLabel(_("Browse..."));
    m_pass_label->SetLabel(_("Your passphrase:"));
    m_pass2_label->SetLabel(_("Repeat it:"));
    m_reload->SetLabel(_("Read the ceremony folder again"));
    if (m_setup) ShowTurn();
    Layout();
}

void CeremonyPage::Begin(const std::filesystem::path& dir, std::function<void()> all_done)
{
    m_dir = dir;
    m_all_done = std::move(all_done);
    m_setup.reset();
    m_sticks.clear();
    SetStatus(wxString());
    Reload();
}

void CeremonyPage::Reload()
{
    if (busy()) return;
    if (!m_setup) {
        auto setup = app::LoadCeremonySetup(m_dir);
        if (!setup) {
            SetStatus(ErrorMessage(setup.error()), true);
            return;
        }
        m_setup = std::move(setup).value();
        m_sticks.assign(m_setup->n(), {});
    }
    m_done = app::RoundsDone(*m_setup, m_dir);
    m_turn = app::NextCeremonyTurn(m_done);
    ShowTurn();
    if (!m_turn && m_all_done) m_all_done();
}

void CeremonyPage::ShowTurn()
{
    m_list->DeleteAllItems();
    for (std::uint32_t i = 0; i < m_setup->n(); ++i) {
        const long row = m_list->InsertItem(static_cast<long>(i), wxString::Format("%u", i + 1));
        m_list->SetItem(row, 1, U8(m_setup->names[i]));
        for (int r = 1; r <= 3; ++r) {
            const bool now = m_turn && m_turn->trustee == i + 1 && m_turn->round == r;
            m_list->SetItem(row, 1 + r, m_done[i] >= r ? _("done") : now ? _("now") : wxString("-"));
        }
        if (m_turn && m_turn->trustee == i + 1) m_list->SetItemBackgroundColour(row, wxColour(0xFF, 0xF4, 0xD6));
    }
    const bool open = m_turn.has_value();
    for (wxWindow* w :
         std::initializer_list<wxWindow*>{m_stick_label, m_stick, m_pass_label, m_pass, m_go, m_turn_hint})
        w->Show(open);
    m_pass2_label->Show(open && m_turn->round == 1);
    m_pass2->Show(open && m_turn->round == 1);
    if (open) {
        const std::uint32_t i = m_turn->trustee;
        // TRANSLATORS: round 1-3, the trustee's number, how many trustees, the trustee's name.
        m_turn_label->SetLabel(wxString::Format(_("Round %d, trustee %u of %u: %s"), m_turn->round, i, m_setup->n(),
                                                U8(m_setup->names[i - 1])));
        SetWrappedLabel(
            m_turn_hint,
            RoundName(m_turn->round) + "\n" +
                (m_turn->round == 1 ? _("Insert your USB stick, choose its folder, and type a passphrase of at least 8 "
                                        "characters twice. Nobody else may see it; without it your part is lost.")
                                    : _("Insert the USB stick holding your key file, choose its folder and type your "
                                        "passphrase.")),
            FromDIP(kWrap));
        m_go->SetLabel(m_turn->round == 1 ? _("Make my key file") : _("Run my step"));
        const std::filesystem::path& stick = m_sticks[i - 1];
        m_stick->SetPath(stick.empty() ? wxString() : FromPath(stick));
    } else {
        m_turn_label->SetLabel(_("Every trustee has finished the three rounds."));
    }
    m_pass->ChangeValue(wxString());
    m_pass2->ChangeValue(wxString());
    m_go->Enable(open && !busy());
    m_reload->Enable(!busy());
    Layout();
    if (open && IsShownOnScreen()) m_pass->SetFocus();
}

void CeremonyPage::SetStatus(const wxString& text, bool error)
{
    m_status->SetForegroundColour(error ? wxColour(0xB0, 0x10, 0x10) : wxColour(0x1B, 0x6E, 0x20));
    SetWrappedLabel(m_status, text, FromDIP(kWrap));
    Layout();
}

void CeremonyPage::RunTurn()
{
    if (busy() || !m_turn || !m_setup) return;
    const app::CeremonyTurn turn = *m_turn;
    const wxString name = U8(m_setup->names[turn.trustee - 1]);
    const std::filesystem::path stick = ToPath(m_stick->GetPath());
    std::error_code ec;
    if (stick.empty() || !std::filesystem::is_directory(stick, ec)) {
        SetStatus(wxString::Format(_("%s: please choose the folder of your USB stick."), name), true);
        return;
    }
    if (turn.round == 1) {
        if (CodePoints(ToU8(m_pass->GetValue())) < app::kMinPassphraseChars) {
            SetStatus(wxString::Format(_("%s: the passphrase must have at least 8 characters."), name), true);
            return;
        }
        if (m_pass->GetValue() != m_pass2->GetValue()) {
            SetStatus(wxString::Format(_("%s: the two passphrases differ. Type the same passphrase twice."), name),
                      true);
            return;
        }
    }
    auto pass = std::make_shared<SecretBytes>(SecretFromWx(m_pass->GetValue()));
    m_pass->ChangeValue(wxString());
    m_pass2->ChangeValue(wxString());
    m_sticks[turn.trustee - 1] = stick;
    m_go->Enable(false);
    m_reload->Enable(false);
    SetStatus(wxString::Format(_("%s: working..."), name));
    const std::filesystem::path dir = m_dir;
    const std::filesystem::path key = app::StickKeyPath(stick, *m_setup, turn.trustee);
    m_task.Start<Result<app::RoundDone>>(
        [dir, key, turn, pass](BackgroundTask&) {
            return app::RunTrusteeRound(dir, turn.trustee, turn.round, key, *pass);
        },
        [this, turn, name](Result<app::RoundDone>&& r) {
            if (!r) {
                // TRANSLATORS: the trustee's name, their number, then what went wrong in plain words.
                const wxString message =
                    wxString::Format(_("%s (trustee %u): %s"), name, turn.trustee, ErrorMessage(r.error()));
                SetStatus(message, true);
                m_go->Enable(true);
                m_reload->Enable(true);
                ShowError(this, message, r.error());
                return;
            }
            SetStatus(turn.round == 3
                          ? wxString::Format(_("%s: done. Your key fingerprint: %s"), name, U8(r->key_fingerprint))
                          : wxString::Format(_("%s: done. Please remove your USB stick."), name));
            Reload();
        });
}

}  // namespace pingyi::admin
