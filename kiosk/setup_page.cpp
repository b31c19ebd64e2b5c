#include "kiosk/setup_page.hpp"

#include <wx/filedlg.h>

#include "app/poll.hpp"

#include <utility>
#include <vector>

namespace pingyi::kiosk {

wxTextCtrl* MakePinField(wxWindow* parent, const Theme& theme, const wxString& name)
{
    auto* field = new wxTextCtrl(parent, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize,
                                 wxTE_PASSWORD | wxTE_PROCESS_ENTER);
    field->SetName(name);
    field->SetFont(theme.Font(TextSize::Large));
    field->SetMaxLength(64);
    field->SetBackgroundColour(theme.high_contrast() ? *wxBLACK : *wxWHITE);
    field->SetForegroundColour(theme.colours().text);
    field->SetMinSize(wxSize(theme.Px(360), theme.TouchHeight() - theme.Px(8)));
    return field;
}

namespace {

// Between the items of a list: ", " in English, "、" in Chinese.
wxString ListSeparator()
{
    // TRANSLATORS: the separator between the items of a list.
    return _(", ");
}

wxTextCtrl* MakeField(wxWindow* parent, const Theme& theme, const wxString& name, const wxString& value)
{
    auto* field = new wxTextCtrl(parent, wxID_ANY, value, wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER);
    field->SetName(name);
    field->SetFont(theme.Font(TextSize::Body));
    field->SetBackgroundColour(theme.high_contrast() ? *wxBLACK : *wxWHITE);
    field->SetForegroundColour(theme.colours().text);
    field->SetMinSize(wxSize(theme.Px(300), theme.TouchHeight() - theme.Px(8)));
    return field;
}

BigButton* AddLanguageButton(const Theme& theme, wxPanel* bar, wxBoxSizer* sizer, Language language,
                             std::function<void()> on_language)
{
    auto* lang =
        new BigButton(bar, theme, language == Language::Chinese ? wxString("English") : wxString::FromUTF8("中文"));
    lang->SetName("language");
    sizer->Add(lang, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, theme.Px(16));
    lang->Bind(wxEVT_BUTTON, [on_language = std::move(on_language)](wxCommandEvent&) {
        if (on_language) on_language();
    });
    return lang;
}

}  // namespace

// --- SetupPage ---

SetupPage::SetupPage(wxWindow* parent, const Theme& theme, Language language, const wxString& package_path,
                     const wxString& data_dir, const ElectionPackage* package, Callbacks callbacks)
    : Screen(parent, theme, "setup"), m_callbacks(std::move(callbacks))
{
    TopBar bar = AddTopBar(_("Set up this voting machine (operator)"));
    AddLanguageButton(theme, bar.panel, bar.sizer, language, m_callbacks.on_language);

    const int side = theme.Px(32);
    const int left_width = theme.screen().x * 58 / 100 - side;
    auto* columns = new wxBoxSizer(wxHORIZONTAL);

    // Left: the package.
    auto* left = new wxBoxSizer(wxVERTICAL);
    left->Add(MakeText(this, theme, _("1. The election package from the USB stick"), TextSize::Large, true), 0,
              wxBOTTOM, theme.Px(8));
    auto* path_row = new wxBoxSizer(wxHORIZONTAL);
    m_path = MakeField(this, theme, "package-path", package_path);
    path_row->Add(m_path, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, theme.Px(8));
    auto* browse = new BigButton(this, theme, _("Browse..."));
    browse->SetName("browse");
    path_row->Add(browse, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, theme.Px(4));
    auto* check = new BigButton(this, theme, _("Check"), ButtonKind::Primary);
    check->SetName("check");
    path_row->Add(check, 0, wxALIGN_CENTER_VERTICAL);
    left->Add(path_row, 0, wxEXPAND);
    m_message = new MessageBar(this, theme, left_width, 2);
    left->Add(m_message, 0, wxEXPAND | wxTOP | wxBOTTOM, theme.Px(8));
    m_details = MakeText(this, theme, wxString(), TextSize::Body);
    m_details->SetName("package-details");
    left->Add(m_details, 1, wxEXPAND);
    columns->Add(left, 58, wxEXPAND | wxRIGHT, side);

    // Right: this machine, the PIN, open.
    auto* right = new wxBoxSizer(wxVERTICAL);
    right->Add(MakeText(this, theme, _("2. The number of this voting machine"), TextSize::Large, true), 0, wxBOTTOM,
               theme.Px(8));
    m_kiosk = new wxSpinCtrl(this, wxID_ANY, "1", wxDefaultPosition, wxDefaultSize, wxSP_ARROW_KEYS, 1, 1, 1);
    m_kiosk->SetName("kiosk-number");
    m_kiosk->SetFont(theme.Font(TextSize::Large));
    m_kiosk->SetBackgroundColour(theme.high_contrast() ? *wxBLACK : *wxWHITE);
    m_kiosk->SetForegroundColour(theme.colours().text);
    m_kiosk->SetMinSize(wxSize(theme.Px(200), -1));
    right->Add(m_kiosk, 0, wxBOTTOM, theme.Px(6));
    m_codes = MakeText(this, theme, wxString(), TextSize::Body, false, 0, theme.colours().muted);
    m_codes->SetName("kiosk-codes");
    right->Add(m_codes, 0, wxBOTTOM, theme.Px(18));
    right->Add(MakeText(this, theme,
                        wxString::Format(_("3. Choose an operator PIN (at least %u digits)"),
                                         static_cast<unsigned>(app::kMinPinDigits)),
                        TextSize::Large, true, theme.screen().x * 40 / 100 - side),
               0, wxBOTTOM, theme.Px(8));
    m_pin = MakePinField(this, theme, "pin");
    right->Add(m_pin, 0, wxEXPAND | wxBOTTOM, theme.Px(8));
    right->Add(MakeText(this, theme, _("Repeat the PIN"), TextSize::Body), 0, wxBOTTOM, theme.Px(4));
    m_pin2 = MakePinField(this, theme, "pin2");
    right->Add(m_pin2, 0, wxEXPAND | wxBOTTOM, theme.Px(8));
    // What is wrong with the PINs shows here, beside them; the package's message stays.
    m_pin_message = new MessageBar(this, theme, theme.screen().x * 40 / 100 - side, 1);
    m_pin_message->SetName("pin-message");
    right->Add(m_pin_message, 0, wxEXPAND | wxBOTTOM, theme.Px(4));
    right->Add(MakeText(this, theme, _("The PIN opens the operator menu and resumes the poll after a restart."),
                        TextSize::Small, false, theme.screen().x * 40 / 100 - side, theme.colours().muted),
               0, wxBOTTOM, theme.Px(16));
    m_open = new BigButton(this, theme, _("Open the poll"), ButtonKind::Primary);
    m_open->SetName("open-poll");
    right->Add(m_open, 0, wxEXPAND | wxBOTTOM, theme.Px(12));
    auto* exit = new BigButton(this, theme, _("Exit"));
    exit->SetName("exit");
    right->Add(exit, 0, wxEXPAND);
    columns->Add(right, 42, wxEXPAND);
    m_root->Add(columns, 1, wxEXPAND | wxALL, side);

    auto* footer = MakeText(this, theme, wxString::Format(_("Ballot boxes are kept in %s"), data_dir), TextSize::Small,
                            false, 0, theme.colours().muted);
    footer->SetName("footer");
    m_root->Add(footer, 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(8));

    browse->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        wxFileDialog dialog(this, _("Choose the election package"), wxString(), wxString(),
                            _("Election packages (*.pyp)|*.pyp|All files|*"), wxFD_OPEN | wxFD_FILE_MUST_EXIST);
        if (dialog.ShowModal() == wxID_OK) {
            m_path->SetValue(dialog.GetPath());
            if (m_callbacks.on_check) m_callbacks.on_check(m_path->GetValue());
        }
    });
    const auto do_check = [this] {
        if (m_callbacks.on_check) m_callbacks.on_check(m_path->GetValue());
    };
    check->Bind(wxEVT_BUTTON, [do_check](wxCommandEvent&) { do_check(); });
    m_path->Bind(wxEVT_TEXT_ENTER, [do_check](wxCommandEvent&) { do_check(); });
    const auto do_open = [this] {
        if (m_callbacks.on_open)
            m_callbacks.on_open(static_cast<std::uint32_t>(m_kiosk->GetValue()), m_pin->GetValue(), m_pin2->GetValue());
    };
    m_open->Bind(wxEVT_BUTTON, [do_open](wxCommandEvent&) { do_open(); });
    m_pin2->Bind(wxEVT_TEXT_ENTER, [do_open](wxCommandEvent&) { do_open(); });
    m_pin->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { m_pin2->SetFocus(); });
    m_kiosk->Bind(wxEVT_SPINCTRL, [this](wxSpinEvent&) { UpdateCodeCounts(); });
    exit->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_callbacks.on_exit) m_callbacks.on_exit();
    });
    ShowPackage(package);
}

void SetupPage::ShowPackage(const ElectionPackage* package)
{
    m_package = package;
    m_open->Enable(package != nullptr);
    if (!package) {
        m_details->SetLabelText(
            WrapText(_("Insert the USB stick with the election package from the branch secretary, choose the file "
                       "and press Check."),
                     m_details->GetFont(), m_theme.screen().x * 55 / 100));
        m_kiosk->SetRange(1, 1);
        m_codes->SetLabelText(wxString());
        Layout();
        return;
    }
    const ElectionDefinition& def = package->definition;
    wxString options;
    for (const std::string& o : def.options)
        options += (options.empty() ? "" : " / ") + U8(o);
    wxString text;
    text << U8(def.title) << "\n";
    text << U8(def.organization) << "    " << U8(def.date) << "\n";
    if (def.test_mode) text << _("TEST ELECTION (not an official result)") << "\n";
    text << wxString::Format(_("Election fingerprint: %s"), U8(ShortFingerprint(package->fingerprint))) << "\n";
    text << wxString::Format(_("Members to evaluate: %u"), static_cast<unsigned>(def.roster.size())) << "\n";
    text << wxString::Format(_("Grades: %s"), options) << "\n";
    if (def.quota)
        text << wxString::Format(_("At most %u members may be rated %s"), def.quota->max,
                                 U8(def.options[def.quota->option]))
             << "\n";
    text << wxString::Format(_("Voting machines: %u"), def.kiosks) << "\n";
    wxString categories;
    for (const VoterCategory& c : def.categories)
        categories +=
            (categories.empty() ? wxString() : ListSeparator()) + wxString::Format("%s %u", U8(c.name), c.codes);
    text << wxString::Format(_("Voting codes: %s"), categories);
    m_details->SetLabelText(WrapText(text, m_details->GetFont(), m_theme.screen().x * 55 / 100));
    m_kiosk->SetRange(1, static_cast<int>(def.kiosks));
    UpdateCodeCounts();
    Layout();
}

void SetupPage::UpdateCodeCounts()
{
    if (!m_package) return;
    const ElectionDefinition& def = m_package->definition;
    const auto kiosk = static_cast<std::uint32_t>(m_kiosk->GetValue());
    std::vector<std::uint32_t> counts(def.categories.size(), 0);
    for (const CodeRecord& c : m_package->codes)
        if (c.kiosk == kiosk && c.category < counts.size()) ++counts[c.category];
    wxString text;
    for (std::size_t i = 0; i < counts.size(); ++i)
        text += (text.empty() ? wxString() : ListSeparator()) +
                wxString::Format("%s %u", U8(def.categories[i].name), counts[i]);
    m_codes->SetLabelText(wxString::Format(_("Codes for this machine: %s"), text));
    Layout();
}

void SetupPage::ClearPins()
{
    m_pin->Clear();
    m_pin2->Clear();
    m_pin->SetFocus();  // typed again from the first field
}

// --- UnlockPage ---

UnlockPage::UnlockPage(wxWindow* parent, const Theme& theme, Language language, const ScreenInfo& info,
                       Callbacks callbacks)
    : Screen(parent, theme, "unlock"), m_callbacks(std::move(callbacks))
{
    TopBar bar = AddTopBar(info.title);
    AddLanguageButton(theme, bar.panel, bar.sizer, language, m_callbacks.on_language);
    AddTestBanner(info.test_mode);
    const int wrap = ContentWidth();
    auto* body = new wxBoxSizer(wxVERTICAL);
    body->AddStretchSpacer();
    body->Add(MakeText(this, theme, _("The poll on this machine is open."), TextSize::Title, true, wrap), 0,
              wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(12));
    body->Add(
        MakeText(this, theme, _("Operator: enter the PIN to go on with the voting."), TextSize::Large, false, wrap), 0,
        wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(24));
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    m_pin = MakePinField(this, theme, "unlock-pin");
    row->Add(m_pin, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, theme.Px(16));
    auto* go = new BigButton(this, theme, _("Continue"), ButtonKind::Primary);
    go->SetName("unlock");
    row->Add(go, 0, wxALIGN_CENTER_VERTICAL);
    body->Add(row, 0, wxALIGN_CENTER_HORIZONTAL);
    m_message = new MessageBar(this, theme, std::min(wrap, theme.Px(1000)));
    body->Add(m_message, 0, wxALIGN_CENTER_HORIZONTAL | wxTOP, theme.Px(16));
    body->AddStretchSpacer();
    m_root->Add(body, 1, wxEXPAND);
    AddFooter(info);
    const auto submit = [this] {
        const wxString pin = m_pin->GetValue();
        m_pin->Clear();
        if (m_callbacks.on_unlock) m_callbacks.on_unlock(pin);
    };
    go->Bind(wxEVT_BUTTON, [submit](wxCommandEvent&) { submit(); });
    m_pin->Bind(wxEVT_TEXT_ENTER, [submit](wxCommandEvent&) { submit(); });
}

void UnlockPage::FocusPin()
{
    m_pin->SetFocus();
}

}  // namespace pingyi::kiosk
