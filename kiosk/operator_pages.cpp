#include "kiosk/operator_pages.hpp"

#include <wx/dirdlg.h>
#include <wx/gbsizer.h>

#include <utility>

#include "kiosk/setup_page.hpp"

namespace pingyi::kiosk {

// --- OperatorPinPage ---

OperatorPinPage::OperatorPinPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info, Callbacks callbacks)
    : Screen(parent, theme, "operator-pin"), m_callbacks(std::move(callbacks))
{
    AddTopBar(_("Operator"));
    const int wrap = ContentWidth();
    auto* body = new wxBoxSizer(wxVERTICAL);
    body->AddStretchSpacer();
    body->Add(MakeText(this, theme, _("Enter the operator PIN"), TextSize::Title, true, wrap), 0,
              wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(16));
    m_pin = MakePinField(this, theme, "operator-pin");
    body->Add(m_pin, 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(12));

    // A keypad for touch screens without a keyboard.
    auto* keypad = new wxGridBagSizer(theme.Px(6), theme.Px(6));
    const wxString keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9"};
    for (int i = 0; i < 9; ++i) {
        auto* key = new BigButton(this, theme, keys[i]);
        key->SetName("key-" + keys[i]);
        key->SetMinWidth(theme.Px(110));
        keypad->Add(key, wxGBPosition(i / 3, i % 3), wxDefaultSpan, wxEXPAND);
        m_inputs.push_back(key);
        key->Bind(wxEVT_BUTTON, [this, digit = keys[i]](wxCommandEvent&) { m_pin->AppendText(digit); });
    }
    auto* erase = new BigButton(this, theme, _("Delete"));
    erase->SetName("key-delete");
    keypad->Add(erase, wxGBPosition(3, 0), wxDefaultSpan, wxEXPAND);
    erase->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        const wxString value = m_pin->GetValue();
        if (!value.empty()) m_pin->ChangeValue(value.Left(value.length() - 1));
    });
    auto* zero = new BigButton(this, theme, "0");
    zero->SetName("key-0");
    keypad->Add(zero, wxGBPosition(3, 1), wxDefaultSpan, wxEXPAND);
    zero->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { m_pin->AppendText("0"); });
    auto* ok = new BigButton(this, theme, _("OK"), ButtonKind::Primary);
    ok->SetName("operator-ok");
    keypad->Add(ok, wxGBPosition(3, 2), wxDefaultSpan, wxEXPAND);
    m_inputs.insert(m_inputs.end(), {m_pin, erase, zero, ok});
    body->Add(keypad, 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(8));

    m_message = new MessageBar(this, theme, std::min(wrap, theme.Px(900)), 1);
    body->Add(m_message, 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(8));
    auto* back = new BigButton(this, theme, _("Back"));
    back->SetName("operator-back");
    back->SetMinWidth(theme.Px(240));
    body->Add(back, 0, wxALIGN_CENTER_HORIZONTAL);
    body->AddStretchSpacer();
    m_root->Add(body, 1, wxEXPAND);
    AddFooter(info);

    ok->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Submit(); });
    m_pin->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { Submit(); });
    back->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        m_pin->Clear();
        if (m_callbacks.on_back) m_callbacks.on_back();
    });
}

void OperatorPinPage::Start()
{
    for (wxWindow* w : m_inputs)
        w->Enable(true);
    m_pin->Clear();
    m_message->Clear();
    m_pin->SetFocus();
}

void OperatorPinPage::SetChecking(bool checking)
{
    if (checking) m_message->Set(_("Checking the PIN..."), MessageKind::Info);
    for (wxWindow* w : m_inputs)
        w->Enable(!checking);
    if (!checking) m_pin->SetFocus();
    // Drawn now: the check that follows keeps the event loop busy for a few seconds.
    Refresh();
    Update();
}

void OperatorPinPage::Submit()
{
    const wxString pin = m_pin->GetValue();
    m_pin->Clear();
    if (m_callbacks.on_submit) m_callbacks.on_submit(pin);
}

// --- OperatorMenuPage ---

OperatorMenuPage::OperatorMenuPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info,
                                   const wxString& export_dir, Callbacks callbacks)
    : Screen(parent, theme, "operator-menu"), m_callbacks(std::move(callbacks))
{
    AddTopBar(_("Operator menu"));
    AddTestBanner(info.test_mode);
    const int side = theme.Px(32);
    auto* columns = new wxBoxSizer(wxHORIZONTAL);

    auto* left = new wxBoxSizer(wxVERTICAL);
    left->Add(MakeText(this, theme, _("Status of this voting machine"), TextSize::Large, true), 0, wxBOTTOM,
              theme.Px(8));
    m_status = MakeText(this, theme, wxString(), TextSize::Body);
    m_status->SetName("status");
    left->Add(m_status, 0, wxEXPAND);
    // Check mode belongs to the machine's state: under the status, which says whether it is on.
    m_check_mode = new BigButton(this, theme, _("Turn check mode on"));
    m_check_mode->SetName("check-mode");
    left->Add(m_check_mode, 0, wxTOP, theme.Px(16));
    left->AddStretchSpacer();
    m_check_mode->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_callbacks.on_check_mode) m_callbacks.on_check_mode();
    });
    columns->Add(left, 55, wxEXPAND | wxRIGHT, side);

    auto* right = new wxBoxSizer(wxVERTICAL);
    auto* back = new BigButton(this, theme, _("Back to voting"), ButtonKind::Primary);
    back->SetName("back-to-voting");
    m_back = back;
    right->Add(back, 0, wxEXPAND | wxBOTTOM, theme.Px(16));
    right->Add(MakeText(this, theme, _("Export the ballot box to the folder"), TextSize::Body, true), 0, wxBOTTOM,
               theme.Px(4));
    m_export_dir = new wxTextCtrl(this, wxID_ANY, export_dir, wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER);
    m_export_dir->SetName("export-dir");
    m_export_dir->SetFont(theme.Font(TextSize::Body));
    m_export_dir->SetBackgroundColour(theme.high_contrast() ? *wxBLACK : *wxWHITE);
    m_export_dir->SetForegroundColour(theme.colours().text);
    m_export_dir->SetMinSize(wxSize(-1, theme.TouchHeight() - theme.Px(8)));
    right->Add(m_export_dir, 0, wxEXPAND | wxBOTTOM, theme.Px(6));
    auto* export_row = new wxBoxSizer(wxHORIZONTAL);
    auto* browse = new BigButton(this, theme, _("Browse..."));
    browse->SetName("export-browse");
    auto* export_button = new BigButton(this, theme, _("Export the ballot box"));
    export_button->SetName("export");
    m_export = export_button;
    export_row->Add(browse, 0, wxRIGHT, theme.Px(8));
    export_row->Add(export_button, 1);
    right->Add(export_row, 0, wxEXPAND | wxBOTTOM, theme.Px(8));
    // Below the export: the form for the tellers to sign (the opening form while the poll is
    // open, the closing form once it is closed; one of the two is shown), then 结束投票 and
    // 退出程序 side by side, so that the column fits a 1366x768 screen with a two-line message
    // under it.
    const int gap = theme.Px(8);
    m_opening_form = new BigButton(this, theme, _("Save the opening form"));
    m_opening_form->SetName("save-opening-form");
    right->Add(m_opening_form, 0, wxEXPAND | wxTOP, gap);
    m_closing_form = new BigButton(this, theme, _("Save the closing form"));
    m_closing_form->SetName("save-closing-form");
    right->Add(m_closing_form, 0, wxEXPAND | wxTOP, gap);
    m_closing_form->Hide();
    auto* end_row = new wxBoxSizer(wxHORIZONTAL);
    m_close = new BigButton(this, theme, _("Close the poll"));
    m_close->SetName("close-poll");
    end_row->Add(m_close, 1, wxRIGHT, gap);
    auto* exit = new BigButton(this, theme, _("Exit the program"));
    exit->SetName("exit");
    end_row->Add(exit, 1);
    right->Add(end_row, 0, wxEXPAND | wxTOP, theme.Px(16));
    columns->Add(right, 45, wxEXPAND);
    m_root->Add(columns, 1, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, side);

    m_message = new MessageBar(this, theme, theme.screen().x - 2 * side, 2);
    m_root->Add(m_message, 0, wxEXPAND | wxALL, side / 2);
    AddFooter(info);

    back->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_callbacks.on_back) m_callbacks.on_back();
    });
    m_close->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_callbacks.on_close_poll) m_callbacks.on_close_poll();
    });
    exit->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_callbacks.on_exit) m_callbacks.on_exit();
    });
    const auto do_export = [this] {
        if (m_callbacks.on_export) m_callbacks.on_export(m_export_dir->GetValue());
    };
    export_button->Bind(wxEVT_BUTTON, [do_export](wxCommandEvent&) { do_export(); });
    m_export_dir->Bind(wxEVT_TEXT_ENTER, [do_export](wxCommandEvent&) { do_export(); });
    const auto save_form = [this](wxCommandEvent&) {
        if (m_callbacks.on_save_form) m_callbacks.on_save_form(m_export_dir->GetValue());
    };
    m_opening_form->Bind(wxEVT_BUTTON, save_form);
    m_closing_form->Bind(wxEVT_BUTTON, save_form);
    browse->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        wxDirDialog dialog(this, _("Choose the folder on the USB stick"), m_export_dir->GetValue(),
                           wxDD_DEFAULT_STYLE | wxDD_DIR_MUST_EXIST);
        if (dialog.ShowModal() == wxID_OK) m_export_dir->SetValue(dialog.GetPath());
    });
}

void OperatorMenuPage::SetCheckMode(bool on)
{
    m_check_mode->SetLabelText(on ? _("Turn check mode off") : _("Turn check mode on"));
    Layout();
}

wxString OperatorMenuPage::primary_button() const
{
    return m_export->kind() == ButtonKind::Primary ? m_export->GetName() : m_back->GetName();
}

void OperatorMenuPage::ShowStatus(const BallotBox& box, const wxString& lockdown)
{
    const ElectionDefinition& def = box.package().definition;
    wxString text;
    text << U8(def.title) << "\n";
    text << wxString::Format(_("Election fingerprint: %s"), U8(ShortFingerprint(box.package().fingerprint))) << "\n";
    text << wxString::Format(_("Voting machine %u, device key %s"), box.kiosk(),
                             U8(KeyFingerprint(box.device_public_key(), box.package().suite())))
         << "\n";
    text << (box.closed() ? _("The poll is closed.") : _("The poll is open.")) << "\n";
    text << wxString::Format(_("Ballots cast on this machine: %llu"), static_cast<unsigned long long>(box.ballots()))
         << "\n";
    const auto counts = box.Counts();
    for (std::size_t c = 0; c < counts.size() && c < def.categories.size(); ++c)
        text << wxString::Format(_("Codes left, %s: %u of %u"), U8(def.categories[c].name),
                                 counts[c].issued - counts[c].used, counts[c].issued)
             << "\n";
    text << wxString::Format(_("Lock-down: %s"), lockdown);
    m_status->SetLabelText(WrapText(text, m_status->GetFont(), m_theme.screen().x * 50 / 100));
    m_close->Enable(!box.closed());
    m_check_mode->Show(!box.closed());  // nothing to check once the poll is closed
    // Once the poll is closed there is no voting to go back to: exporting is what is left.
    m_back->SetKind(box.closed() ? ButtonKind::Normal : ButtonKind::Primary);
    m_export->SetKind(box.closed() ? ButtonKind::Primary : ButtonKind::Normal);
    m_back->SetLabelText(box.closed() ? _("Back to the welcome screen") : _("Back to voting"));
    m_opening_form->Show(!box.closed());
    m_closing_form->Show(box.closed());
    Layout();
}

}  // namespace pingyi::kiosk
