#include "admin/gui/election_panel.hpp"

#include <wx/datectrl.h>
#include <wx/dateevt.h>
#include <wx/filepicker.h>
#include <wx/grid.h>
#include <wx/listctrl.h>
#include <wx/scrolwin.h>
#include <wx/simplebook.h>
#include <wx/spinctrl.h>
#include <wx/statline.h>

#include <algorithm>
#include <set>

#include "admin/gui/ceremony_page.hpp"
#include "admin/gui/gui_common.hpp"
#include "admin/gui/i18n.hpp"

namespace pingyi::admin {
namespace {

constexpr int kWrap = 760;

wxStaticText* Text(wxWindow* parent, const char* name = "")
{
    auto* t = new wxStaticText(parent, wxID_ANY, wxString());
    if (*name) t->SetName(name);
    return t;
}

std::uint32_t CellNumber(wxGrid* g, int row, int col)
{
    long v = 0;
    if (!g->GetCellValue(row, col).ToLong(&v) || v < 0) return 0;
    return static_cast<std::uint32_t>(v);
}

// A text editor that takes digits only (the range is checked on Next): GTK's spin button does
// not fit a grid row.
void SetNumberColumn(wxGrid* g, int col)
{
    auto* attr = new wxGridCellAttr;
    attr->SetEditor(new wxGridCellNumberEditor);
    attr->SetRenderer(new wxGridCellNumberRenderer);
    attr->SetAlignment(wxALIGN_RIGHT, wxALIGN_CENTRE);
    g->SetColAttr(col, attr);
}

wxArrayString OptionChoices(bool with_unknown)
{
    wxArrayString a;
    for (const auto& o : DefaultOptions(with_unknown))
        a.Add(U8(o));
    return a;
}

std::uint32_t OptionIndex(const wxString& text, bool with_unknown)
{
    const auto options = DefaultOptions(with_unknown);
    for (std::uint32_t i = 0; i < options.size(); ++i)
        if (U8(options[i]) == text) return i;
    return static_cast<std::uint32_t>(options.size());  // not an option: caught by the check
}

}  // namespace

ElectionPanel::ElectionPanel(wxWindow* parent, std::function<void()> go_home)
    : wxPanel(parent, wxID_ANY), m_go_home(std::move(go_home)), m_task(this, {}), m_pulse(this)
{
    SetName("election");
    auto* top = new wxBoxSizer(wxVERTICAL);
    m_heading = MakeHeading(this, "election.heading");
    top->Add(m_heading, 0, wxALL, 12);

    auto* middle = new wxBoxSizer(wxHORIZONTAL);
    auto* steps = new wxBoxSizer(wxVERTICAL);
    for (int i = 0; i < kStepCount; ++i) {
        auto* l = Text(this);
        l->SetFont(UiFont(1.1));
        m_step_labels.push_back(l);
        steps->Add(l, 0, wxBOTTOM, 10);
    }
    middle->Add(steps, 0, wxLEFT | wxRIGHT, 16);
    middle->Add(new wxStaticLine(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLI_VERTICAL), 0, wxEXPAND);
    // The step's page scrolls when the screen is short (1280 x 720): the step list and the
    // buttons below stay where they are, always on screen.
    m_scroll = new wxScrolledWindow(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxVSCROLL);
    m_scroll->SetName("election.scroll");
    m_scroll->SetScrollRate(0, FromDIP(12));
    m_scroll->SetMinSize(wxSize(-1, FromDIP(200)));
    m_book = new wxSimplebook(m_scroll, wxID_ANY);
    m_book->SetName("election.book");
    m_book->AddPage(BuildBasics(m_book), wxString());
    m_book->AddPage(BuildRoster(m_book), wxString());
    m_book->AddPage(BuildGrades(m_book), wxString());
    m_book->AddPage(BuildVoters(m_book), wxString());
    m_book->AddPage(BuildPassphrase(m_book), wxString());
    m_book->AddPage(BuildCreate(m_book), wxString());
    m_ceremony = new CeremonyPage(m_book);
    m_book->AddPage(m_ceremony, wxString());
    m_book->AddPage(BuildDone(m_book), wxString());
    auto* scrolled = new wxBoxSizer(wxVERTICAL);
    scrolled->Add(m_book, 1, wxEXPAND);
    m_scroll->SetSizer(scrolled);
    middle->Add(m_scroll, 1, wxEXPAND | wxLEFT | wxRIGHT, 16);
    top->Add(middle, 1, wxEXPAND);

    m_problem = Text(this, "election.problem");
    m_problem->SetForegroundColour(wxColour(0xB0, 0x10, 0x10));
    m_problem->SetFont(UiFont(1.05, wxFONTWEIGHT_BOLD));
    top->Add(m_problem, 0, wxLEFT | wxRIGHT | wxTOP, 12);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    m_home = new wxButton(this, wxID_ANY, wxString());
    m_home->SetName("election.home");
    m_back = new wxButton(this, wxID_ANY, wxString());
    m_back->SetName("election.back");
    m_next = new wxButton(this, wxID_ANY, wxString());
    m_next->SetName("election.next");
    m_next->SetFont(UiFont(1.1, wxFONTWEIGHT_BOLD));
    buttons->Add(m_home, 0);
    buttons->AddStretchSpacer();
    buttons->Add(m_back, 0, wxRIGHT, 8);
    buttons->Add(m_next, 0);
    top->Add(buttons, 0, wxEXPAND | wxALL, 12);
    SetSizer(top);

    m_home->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (!busy() && !m_ceremony->busy()) m_go_home();
    });
    m_back->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_step > kBasics && m_step < kCeremony && !busy()) Go(m_step - 1);
    });
    m_next->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { OnNext(); });
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { m_gauge->Pulse(); });

    ResetForm();
    ApplyLabels();
    Go(kBasics);
}

ElectionPanel::~ElectionPanel()
{
    m_pulse.Stop();
}

wxWindow* ElectionPanel::BuildBasics(wxWindow* book)
{
    auto* p = new wxPanel(book);
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_basics_intro = Text(p);
    s->Add(m_basics_intro, 0, wxBOTTOM, 12);
    auto* form = new wxFlexGridSizer(2, 8, 12);
    form->AddGrowableCol(1);
    m_title_label = Text(p);
    m_title = new wxTextCtrl(p, wxID_ANY);
    m_title->SetName("election.title");
    // The title the problem line asks for is being typed: the old complaint goes.
    m_title->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { SetProblem(wxString()); });
    m_org_label = Text(p);
    m_org = new wxTextCtrl(p, wxID_ANY);
    m_org->SetName("election.organization");
    m_date_label = Text(p);
    m_date = new wxDatePickerCtrl(p, wxID_ANY, wxDateTime::Today(), wxDefaultPosition, wxDefaultSize,
                                  wxDP_DROPDOWN | wxDP_SHOWCENTURY);
    m_date->SetName("election.date");
    for (auto [label, ctrl] :
         {std::pair<wxWindow*, wxWindow*>{m_title_label, m_title}, {m_org_label, m_org}, {m_date_label, m_date}}) {
        form->Add(label, 0, wxALIGN_CENTER_VERTICAL);
        form->Add(ctrl, 1, ctrl == m_date ? 0 : wxEXPAND);
    }
    s->Add(form, 0, wxEXPAND | wxBOTTOM, 16);
    m_mode_box = new wxStaticBoxSizer(wxVERTICAL, p, wxString());
    m_test_mode = new wxRadioButton(m_mode_box->GetStaticBox(), wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize,
                                    wxRB_GROUP);
    m_test_mode->SetName("election.test_mode");
    m_official_mode = new wxRadioButton(m_mode_box->GetStaticBox(), wxID_ANY, wxString());
    m_official_mode->SetName("election.official_mode");
    m_mode_hint = Text(m_mode_box->GetStaticBox());
    m_mode_box->Add(m_test_mode, 0, wxALL, 4);
    m_mode_box->Add(m_official_mode, 0, wxALL, 4);
    m_mode_box->Add(m_mode_hint, 0, wxALL, 4);
    s->Add(m_mode_box, 0, wxEXPAND);
    p->SetSizer(s);
    return p;
}

wxWindow* ElectionPanel::BuildRoster(wxWindow* book)
{
    auto* p = new wxPanel(book);
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_roster_intro = Text(p);
    s->Add(m_roster_intro, 0, wxBOTTOM, 8);
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    m_roster_file = new wxFilePickerCtrl(
        p, wxID_ANY, wxString(), wxString(), "CSV / Excel (*.csv;*.xlsx;*.txt)|*.csv;*.xlsx;*.txt;*.CSV;*.XLSX|*|*",
        wxDefaultPosition, wxDefaultSize, wxFLP_OPEN | wxFLP_FILE_MUST_EXIST | wxFLP_USE_TEXTCTRL);
    m_roster_file->SetName("election.roster_file");
    row->Add(m_roster_file, 1, wxALIGN_CENTER_VERTICAL);
    m_import = new wxButton(p, wxID_ANY, wxString());
    m_import->SetName("election.import");
    row->Add(m_import, 0, wxLEFT, 8);
    s->Add(row, 0, wxEXPAND | wxBOTTOM, 8);
    m_roster_status = Text(p, "election.roster_status");
    m_roster_status->SetFont(UiFont(1.0, wxFONTWEIGHT_BOLD));
    s->Add(m_roster_status, 0, wxBOTTOM, 4);
    m_roster_error = Text(p, "election.roster_error");
    m_roster_error->SetForegroundColour(wxColour(0xB0, 0x10, 0x10));
    s->Add(m_roster_error, 0, wxBOTTOM, 4);
    m_roster_warnings = new wxListCtrl(p, wxID_ANY, wxDefaultPosition, wxSize(-1, FromDIP(90)),
                                       wxLC_REPORT | wxLC_SINGLE_SEL | wxBORDER_THEME);
    m_roster_warnings->SetName("election.roster_warnings");
    m_roster_warnings->AppendColumn(wxString(), wxLIST_FORMAT_LEFT, FromDIP(80));
    m_roster_warnings->AppendColumn(wxString(), wxLIST_FORMAT_LEFT, FromDIP(680));
    s->Add(m_roster_warnings, 0, wxEXPAND | wxBOTTOM, 8);
    m_roster_grid = new wxGrid(p, wxID_ANY);
    m_roster_grid->SetName("election.roster_grid");
    m_roster_grid->CreateGrid(0, 4);
    m_roster_grid->EnableEditing(false);
    m_roster_grid->HideRowLabels();
    m_roster_grid->SetDefaultCellFont(UiFont());
    m_roster_grid->SetDefaultCellAlignment(wxALIGN_LEFT, wxALIGN_CENTRE);
    m_roster_grid->SetLabelFont(UiFont(1.0, wxFONTWEIGHT_BOLD));
    m_roster_grid->SetColSize(0, FromDIP(60));
    m_roster_grid->SetColSize(1, FromDIP(160));
    m_roster_grid->SetColSize(2, FromDIP(180));
    m_roster_grid->SetColSize(3, FromDIP(330));
    s->Add(m_roster_grid, 1, wxEXPAND);
    p->SetSizer(s);
    m_import->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { ImportRoster(); });
    m_roster_file->Bind(wxEVT_FILEPICKER_CHANGED, [this](wxFileDirPickerEvent&) {
        // Typing fires this on every key: import only once the path names a file.
        std::error_code ec;
        if (std::filesystem::is_regular_file(ToPath(m_roster_file->GetPath()), ec)) ImportRoster();
    });
    return p;
}

wxWindow* ElectionPanel::BuildGrades(wxWindow* book)
{
    auto* p = new wxPanel(book);
    auto* s = new wxBoxSizer(wxVERTICAL);
    auto* opts = new wxBoxSizer(wxHORIZONTAL);
    m_options_label = Text(p);
    m_options_label->SetFont(UiFont(1.0, wxFONTWEIGHT_BOLD));
    m_options_value = Text(p, "election.options");
    m_options_value->SetFont(UiFont(1.2));
    opts->Add(m_options_label, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 12);
    opts->Add(m_options_value, 0, wxALIGN_CENTER_VERTICAL);
    s->Add(opts, 0, wxBOTTOM, 6);
    m_unknown = new wxCheckBox(p, wxID_ANY, wxString());
    m_unknown->SetName("election.unknown");
    s->Add(m_unknown, 0, wxBOTTOM, 14);

    auto* quota = new wxBoxSizer(wxHORIZONTAL);
    m_quota_on = new wxCheckBox(p, wxID_ANY, wxString());
    m_quota_on->SetName("election.quota_on");
    m_quota_max = new wxSpinCtrl(p, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxSP_ARROW_KEYS, 0, 999, 0);
    m_quota_max->SetName("election.quota_max");
    quota->Add(m_quota_on, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    quota->Add(m_quota_max, 0, wxALIGN_CENTER_VERTICAL);
    s->Add(quota, 0, wxBOTTOM, 4);
    m_quota_hint = Text(p, "election.quota_hint");
    s->Add(m_quota_hint, 0, wxLEFT | wxBOTTOM, 14);

    m_rules_intro = Text(p);
    s->Add(m_rules_intro, 0, wxBOTTOM, 6);
    auto* rules_row = new wxBoxSizer(wxHORIZONTAL);
    m_rules = new wxGrid(p, wxID_ANY);
    m_rules->SetName("election.rules");
    m_rules->CreateGrid(0, 3);
    m_rules->HideRowLabels();
    m_rules->SetDefaultCellFont(UiFont());
    m_rules->SetLabelFont(UiFont(1.0, wxFONTWEIGHT_BOLD));
    m_rules->SetColSize(0, FromDIP(200));
    m_rules->SetColSize(1, FromDIP(160));
    m_rules->SetColSize(2, FromDIP(160));
    SetNumberColumn(m_rules, 1);
    m_rules->SetMinSize(wxSize(FromDIP(540), FromDIP(150)));
    rules_row->Add(m_rules, 0, wxEXPAND);
    auto* rule_buttons = new wxBoxSizer(wxVERTICAL);
    m_add_rule = new wxButton(p, wxID_ANY, wxString());
    m_add_rule->SetName("election.add_rule");
    m_remove_rule = new wxButton(p, wxID_ANY, wxString());
    m_remove_rule->SetName("election.remove_rule");
    rule_buttons->Add(m_add_rule, 0, wxEXPAND | wxBOTTOM, 4);
    rule_buttons->Add(m_remove_rule, 0, wxEXPAND);
    rules_row->Add(rule_buttons, 0, wxLEFT, 8);
    s->Add(rules_row, 0, wxBOTTOM, 10);
    auto* def_row = new wxBoxSizer(wxHORIZONTAL);
    m_default_label = Text(p);
    m_default_grade = new wxChoice(p, wxID_ANY);
    m_default_grade->SetName("election.default_grade");
    def_row->Add(m_default_label, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    def_row->Add(m_default_grade, 0);
    s->Add(def_row, 0);
    p->SetSizer(s);

    m_unknown->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) { RefillGradeChoices(); });
    m_quota_on->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) {
        m_quota_max->Enable(m_quota_on->GetValue());
        UpdateQuotaHint();
    });
    m_quota_max->Bind(wxEVT_SPINCTRL, [this](wxSpinEvent&) {
        m_quota_touched = true;
        UpdateQuotaHint();
    });
    m_add_rule->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        m_rules->AppendRows(1);
        const int r = m_rules->GetNumberRows() - 1;
        m_rules->SetCellValue(r, 0, U8(DefaultOptions(false)[0]));
        m_rules->SetCellValue(r, 1, "50");
        m_rules->SetCellValue(r, 2, U8(DefaultOptions(false)[0]));
    });
    m_remove_rule->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        const int r = m_rules->GetGridCursorRow();
        if (r >= 0 && r < m_rules->GetNumberRows()) m_rules->DeleteRows(r);
    });
    return p;
}

wxWindow* ElectionPanel::BuildVoters(wxWindow* book)
{
    auto* p = new wxPanel(book);
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_voters_intro = Text(p);
    s->Add(m_voters_intro, 0, wxBOTTOM, 8);
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    m_categories = new wxGrid(p, wxID_ANY);
    m_categories->SetName("election.categories");
    m_categories->CreateGrid(0, 3);
    m_categories->HideRowLabels();
    m_categories->SetDefaultCellFont(UiFont());
    m_categories->SetLabelFont(UiFont(1.0, wxFONTWEIGHT_BOLD));
    m_categories->SetColSize(0, FromDIP(220));
    m_categories->SetColSize(1, FromDIP(150));
    m_categories->SetColSize(2, FromDIP(150));
    SetNumberColumn(m_categories, 1);
    SetNumberColumn(m_categories, 2);
    m_categories->SetMinSize(wxSize(FromDIP(540), FromDIP(150)));
    row->Add(m_categories, 0, wxEXPAND);
    auto* buttons = new wxBoxSizer(wxVERTICAL);
    m_add_category = new wxButton(p, wxID_ANY, wxString());
    m_add_category->SetName("election.add_category");
    m_remove_category = new wxButton(p, wxID_ANY, wxString());
    m_remove_category->SetName("election.remove_category");
    buttons->Add(m_add_category, 0, wxEXPAND | wxBOTTOM, 4);
    buttons->Add(m_remove_category, 0, wxEXPAND);
    row->Add(buttons, 0, wxLEFT, 8);
    s->Add(row, 0, wxBOTTOM, 6);
    m_codes_total = Text(p, "election.codes_total");
    m_codes_total->SetFont(UiFont(1.0, wxFONTWEIGHT_BOLD));
    s->Add(m_codes_total, 0, wxBOTTOM, 16);
    auto* form = new wxFlexGridSizer(2, 8, 12);
    m_kiosks_label = Text(p);
    m_kiosks = new wxSpinCtrl(p, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxSP_ARROW_KEYS, 1, 16, 1);
    m_kiosks->SetName("election.kiosks");
    m_min_group_label = Text(p);
    m_min_group = new wxSpinCtrl(p, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxSP_ARROW_KEYS, 1, 100, 3);
    m_min_group->SetName("election.min_group");
    // The cryptographic suite (docs/protocol.md §2): proposed by the mode (国密 for an official
    // evaluation) until the secretary chooses one.
    m_suite_label = Text(p);
    m_suite = new wxChoice(p, wxID_ANY);
    m_suite->SetName("election.suite");
    m_suite->Append(wxString());
    m_suite->Append(wxString());
    m_suite->SetSelection(0);
    m_suite_hint = Text(p, "election.suite_hint");
    // The minimum group size last, right above the hint that explains it.
    form->Add(m_kiosks_label, 0, wxALIGN_CENTER_VERTICAL);
    form->Add(m_kiosks, 0);
    form->Add(m_suite_label, 0, wxALIGN_CENTER_VERTICAL);
    form->Add(m_suite, 0);
    form->AddSpacer(0);
    form->Add(m_suite_hint, 0, wxBOTTOM, 6);
    form->Add(m_min_group_label, 0, wxALIGN_CENTER_VERTICAL);
    form->Add(m_min_group, 0);
    s->Add(form, 0, wxBOTTOM, 6);
    m_min_group_hint = Text(p);
    s->Add(m_min_group_hint, 0);
    p->SetSizer(s);

    m_add_category->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        m_categories->AppendRows(1);
        const int r = m_categories->GetNumberRows() - 1;
        // The usual second and third categories of 民主评议党员.
        const char* names[] = {"党员", "群众代表", "团员青年代表"};
        m_categories->SetCellValue(r, 0, U8(r < 3 ? names[r] : ""));
        m_categories->SetCellValue(r, 1, "5");
        m_categories->SetCellValue(r, 2, "15");
        UpdateCodesTotal();
    });
    m_remove_category->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        const int r = m_categories->GetGridCursorRow();
        if (r >= 0 && r < m_categories->GetNumberRows() && m_categories->GetNumberRows() > 1)
            m_categories->DeleteRows(r);
        UpdateCodesTotal();
    });
    m_categories->Bind(wxEVT_GRID_CELL_CHANGED, [this](wxGridEvent& e) {
        UpdateCodesTotal();
        e.Skip();
    });
    m_kiosks->Bind(wxEVT_SPINCTRL, [this](wxSpinEvent&) { UpdateCodesTotal(); });
    m_suite->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) {
        m_suite_touched = true;
        UpdateSuiteHint();
    });
    return p;
}

wxWindow* ElectionPanel::BuildPassphrase(wxWindow* book)
{
    auto* p = new wxPanel(book);
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_key_box = new wxStaticBoxSizer(wxVERTICAL, p, wxString());
    wxWindow* box = m_key_box->GetStaticBox();
    m_by_trustees = new wxRadioButton(box, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxRB_GROUP);
    m_by_trustees->SetName("election.by_trustees");
    m_by_trustees->SetFont(UiFont(1.0, wxFONTWEIGHT_BOLD));
    m_key_box->Add(m_by_trustees, 0, wxALL, 4);
    auto* nk = new wxBoxSizer(wxHORIZONTAL);
    m_n_label = Text(box);
    m_n = new wxSpinCtrl(box, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxSP_ARROW_KEYS, 1, kMaxTrustees,
                         3);
    m_n->SetName("election.trustees_n");
    m_k_label = Text(box);
    m_k = new wxSpinCtrl(box, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxSP_ARROW_KEYS, 1, kMaxTrustees,
                         2);
    m_k->SetName("election.trustees_k");
    nk->Add(m_n_label, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    nk->Add(m_n, 0, wxRIGHT, 20);
    nk->Add(m_k_label, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    nk->Add(m_k, 0);
    m_key_box->Add(nk, 0, wxLEFT | wxBOTTOM, 24);
    m_names_label = Text(box);
    m_key_box->Add(m_names_label, 0, wxLEFT | wxBOTTOM, 24);
    // A flexible grid: the rows of hidden names take no room.
    auto* names = new wxFlexGridSizer(3, 6, 8);
    for (int i = 0; i < kMaxTrustees; ++i) {
        auto* t = new wxTextCtrl(box, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(200), -1));
        t->SetName(wxString::Format("election.trustee_name_%d", i + 1));
        m_names.push_back(t);
        names->Add(t, 0);
    }
    m_key_box->Add(names, 0, wxLEFT | wxBOTTOM, 24);
    m_one_key = new wxRadioButton(box, wxID_ANY, wxString());
    m_one_key->SetName("election.one_key");
    m_key_box->Add(m_one_key, 0, wxALL, 4);
    m_key_hint = Text(box, "election.key_hint");
    m_key_box->Add(m_key_hint, 0, wxALL, 4);
    s->Add(m_key_box, 0, wxEXPAND | wxBOTTOM, 12);
    m_pass_intro = Text(p);
    s->Add(m_pass_intro, 0, wxBOTTOM, 12);
    auto* form = new wxFlexGridSizer(3, 8, 12);
    m_pass_label = Text(p);
    m_pass = new wxTextCtrl(p, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(320), -1), wxTE_PASSWORD);
    m_pass->SetName("election.passphrase");
    m_pass_strength = Text(p, "election.strength");
    m_pass_strength->SetFont(UiFont(1.0, wxFONTWEIGHT_BOLD));
    m_pass2_label = Text(p);
    m_pass2 = new wxTextCtrl(p, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(320), -1), wxTE_PASSWORD);
    m_pass2->SetName("election.passphrase2");
    m_pass_match = Text(p, "election.match");
    m_pass_match->SetFont(UiFont(1.0, wxFONTWEIGHT_BOLD));
    form->Add(m_pass_label, 0, wxALIGN_CENTER_VERTICAL);
    form->Add(m_pass, 0);
    form->Add(m_pass_strength, 0, wxALIGN_CENTER_VERTICAL);
    form->Add(m_pass2_label, 0, wxALIGN_CENTER_VERTICAL);
    form->Add(m_pass2, 0);
    form->Add(m_pass_match, 0, wxALIGN_CENTER_VERTICAL);
    s->Add(form, 0);
    p->SetSizer(s);
    for (auto* radio : {m_by_trustees, m_one_key})
        radio->Bind(wxEVT_RADIOBUTTON, [this](wxCommandEvent&) { UpdateTrustees(); });
    for (auto* spin : {m_n, m_k})
        spin->Bind(wxEVT_SPINCTRL, [this](wxSpinEvent&) { UpdateTrustees(); });
    for (auto* name : m_names)
        name->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { SetProblem(wxString()); });
    m_pass->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { UpdatePassphraseHint(); });
    m_pass2->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { UpdatePassphraseHint(); });
    return p;
}

wxWindow* ElectionPanel::BuildCreate(wxWindow* book)
{
    auto* p = new wxPanel(book);
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_create_intro = Text(p);
    s->Add(m_create_intro, 0, wxBOTTOM, 8);
    m_mode_warning = Text(p, "election.mode_warning");
    m_mode_warning->SetFont(UiFont(1.05, wxFONTWEIGHT_BOLD));
    m_mode_warning->SetBackgroundColour(TestColour());
    m_mode_warning->SetForegroundColour(*wxWHITE);
    s->Add(m_mode_warning, 0, wxBOTTOM, 8);
    m_summary = new wxTextCtrl(p, wxID_ANY, wxString(), wxDefaultPosition, wxSize(-1, FromDIP(220)),
                               wxTE_MULTILINE | wxTE_READONLY);
    m_summary->SetFont(UiFont(1.1));
    m_summary->SetName("election.summary");
    s->Add(m_summary, 1, wxEXPAND | wxBOTTOM, 10);
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    m_folder_label = Text(p);
    m_folder =
        new wxDirPickerCtrl(p, wxID_ANY, wxString(), wxString(), wxDefaultPosition, wxDefaultSize, wxDIRP_USE_TEXTCTRL);
    m_folder->SetName("election.folder");
    row->Add(m_folder_label, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    row->Add(m_folder, 1);
    s->Add(row, 0, wxEXPAND | wxBOTTOM, 10);
    auto* progress = new wxBoxSizer(wxHORIZONTAL);
    m_gauge = new wxGauge(p, wxID_ANY, 100);
    m_gauge->SetName("election.gauge");
    m_cancel = new wxButton(p, wxID_ANY, wxString());
    m_cancel->SetName("election.cancel");
    progress->Add(m_gauge, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    progress->Add(m_cancel, 0);
    s->Add(progress, 0, wxEXPAND | wxBOTTOM, 6);
    m_create_status = Text(p, "election.create_status");
    s->Add(m_create_status, 0);
    p->SetSizer(s);
    m_cancel->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { m_task.Cancel(); });
    return p;
}

wxWindow* ElectionPanel::BuildDone(wxWindow* book)
{
    auto* p = new wxPanel(book);
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_done_heading = Text(p);
    m_done_heading->SetFont(UiFont(1.3, wxFONTWEIGHT_BOLD));
    m_done_heading->SetForegroundColour(wxColour(0x1B, 0x6E, 0x20));
    s->Add(m_done_heading, 0, wxBOTTOM, 12);
    m_fp_label = Text(p);
    s->Add(m_fp_label, 0);
    m_fp = Text(p, "election.fingerprint");
    m_fp->SetFont(wxFont(wxFontInfo(30).Family(wxFONTFAMILY_TELETYPE).Bold()));
    s->Add(m_fp, 0, wxTOP | wxBOTTOM, 8);
    m_fp_hint = Text(p);
    s->Add(m_fp_hint, 0, wxBOTTOM, 6);
    m_fp_full = new wxTextCtrl(p, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_READONLY);
    m_fp_full->SetName("election.fingerprint_full");
    m_fp_full->SetFont(wxFont(wxFontInfo(9).Family(wxFONTFAMILY_TELETYPE)));
    s->Add(m_fp_full, 0, wxEXPAND | wxBOTTOM, 14);
    m_files = Text(p, "election.files");
    m_files->SetFont(UiFont(1.05));
    s->Add(m_files, 0, wxBOTTOM, 14);
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    m_open_folder = new wxButton(p, wxID_ANY, wxString());
    m_open_folder->SetName("election.open_folder");
    m_open_slips = new wxButton(p, wxID_ANY, wxString());
    m_open_slips->SetName("election.open_slips");
    row->Add(m_open_folder, 0, wxRIGHT, 8);
    row->Add(m_open_slips, 0);
    s->Add(row, 0);
    p->SetSizer(s);
    m_open_folder->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { OpenOrShowWhere(this, m_written.folder); });
    m_open_slips->Bind(wxEVT_BUTTON,
                       [this](wxCommandEvent&) { OpenOrShowWhere(this, m_written.folder / app::kSlipsFile); });
    return p;
}

void ElectionPanel::ApplyLabels()
{
    m_heading->SetLabel(_("New evaluation"));
    const bool trustees = by_trustees();
    const wxString steps[kStepCount] = {_("1. Basics"),
                                        _("2. Roster"),
                                        _("3. Grades and rules"),
                                        _("4. Voters"),
                                        trustees ? _("5. Key holders") : _("5. Passphrase"),
                                        _("6. Create"),
                                        _("7. Key ceremony"),
                                        trustees ? _("8. Fingerprint") : _("7. Fingerprint")};
    for (int i = 0; i < kStepCount; ++i)
        m_step_labels[static_cast<std::size_t>(i)]->SetLabel(steps[i]);
    m_home->SetLabel(_("Home"));
    m_back->SetLabel(_("< Back"));

    SetWrappedLabel(m_basics_intro,
                    _("Name the evaluation as it will appear on every slip, screen and report. You can go back to "
                      "any step until the files are created."),
                    FromDIP(kWrap));
    m_title_label->SetLabel(_("Title:"));
    m_title->SetHint(_("e.g. 2026 democratic evaluation of the Third Party Branch"));
    m_org_label->SetLabel(_("Organization:"));
    m_org->SetHint(_("e.g. the branch's full name"));
    m_date_label->SetLabel(_("Date of the meeting:"));
    m_mode_box->GetStaticBox()->SetLabel(_("Mode"));
    m_test_mode->SetLabel(_("Test evaluation (a rehearsal)"));
    m_official_mode->SetLabel(_("Official evaluation"));
    SetWrappedLabel(m_mode_hint,
                    _("A test evaluation is marked TEST on every screen, slip and report and can never count as "
                      "official. Choose official for the real meeting."),
                    FromDIP(kWrap - 40));

    SetWrappedLabel(m_roster_intro,
                    _("Import the members to be evaluated: an Excel file (.xlsx) or a CSV file saved by Excel "
                      "(UTF-8 or the Chinese GB18030/GBK encoding). It needs a column headed 姓名 (name); 编号 "
                      "(ID) and 备注 (note) are optional. Check every name below."),
                    FromDIP(kWrap));
    m_import->SetLabel(_("Import"));
    SetListHeadings(m_roster_warnings, {_("Line"), _("Notice")});
    m_roster_grid->SetColLabelValue(0, _("No."));
    m_roster_grid->SetColLabelValue(1, _("Name"));
    m_roster_grid->SetColLabelValue(2, _("ID"));
    m_roster_grid->SetColLabelValue(3, _("Note"));

    m_options_label->SetLabel(_("Grades:"));
    m_unknown->SetLabel(_("Also offer 不了解 (\"I don't know this member\")"));
    m_quota_on->SetLabel(_("Limit the number of 优秀 one ballot may give, at most:"));
    SetWrappedLabel(m_rules_intro,
                    _("Suggested grade (参考等次): the rules are tried from the top; the first one whose weighted "
                      "share is reached gives the suggestion. The branch decides the final grade after the tally."),
                    FromDIP(kWrap));
    m_rules->SetColLabelValue(0, _("If the share of"));
    m_rules->SetColLabelValue(1, _("is at least (%)"));
    m_rules->SetColLabelValue(2, _("suggest"));
    m_add_rule->SetLabel(_("Add rule"));
    m_remove_rule->SetLabel(_("Remove rule"));
    m_default_label->SetLabel(_("When no rule applies, suggest:"));

    SetWrappedLabel(m_voters_intro,
                    _("Who votes: one row per voter category, with the number of voting-code slips to print and "
                      "its weight in the weighted result (70 and 30 mean 70% and 30%). Print one slip per voter "
                      "expected; unused slips do no harm."),
                    FromDIP(kWrap));
    m_categories->SetColLabelValue(0, _("Category"));
    m_categories->SetColLabelValue(1, _("Codes"));
    m_categories->SetColLabelValue(2, _("Weight"));
    m_add_category->SetLabel(_("Add category"));
    m_remove_category->SetLabel(_("Remove category"));
    m_kiosks_label->SetLabel(_("Number of kiosks:"));
    m_min_group_label->SetLabel(_("Minimum group size:"));
    m_suite_label->SetLabel(_("Cryptography:"));
    m_suite->SetString(0, _("P-256 and SHA-256 (international)"));
    m_suite->SetString(1, _("SM2, SM3 and SM4 (Chinese commercial cryptography)"));
    UpdateSuiteHint();
    SetWrappedLabel(m_min_group_hint,
                    _("A category with fewer ballots than this is counted together with another one, so that no "
                      "one's vote can be worked out from the results."),
                    FromDIP(kWrap));

    m_key_box->GetStaticBox()->SetLabel(_("Who holds the election key"));
    m_by_trustees->SetLabel(_("The tellers together (recommended): trustees, any k of them decrypt"));
    m_one_key->SetLabel(_("One passphrase (weaker): whoever holds it alone can decrypt"));
    m_n_label->SetLabel(_("Trustees (n):"));
    m_k_label->SetLabel(_("Needed to decrypt (k):"));
    m_names_label->SetLabel(_("Their names (the tellers, 监票人 and 计票人, or the secretary):"));
    m_ceremony->ApplyLabels();
    UpdateTrustees();
    m_pass2_label->SetLabel(_("Repeat it:"));

    SetWrappedLabel(m_create_intro,
                    _("Check the summary, choose a folder on this computer (not the kiosk's USB stick) and press "
                      "Create. This makes the election key, the voting codes, the signed package and the code-slip "
                      "PDF, and a folder kiosk-usb holding only what the kiosk needs."),
                    FromDIP(kWrap));
    m_folder_label->SetLabel(_("Folder:"));
    for (auto* picker : {static_cast<wxPickerBase*>(m_roster_file), static_cast<wxPickerBase*>(m_folder)})
        picker->GetPickerCtrl()->SetLabel(_("Browse..."));
    m_cancel->SetLabel(_("Cancel"));

    m_done_heading->SetLabel(_("The evaluation has been created."));
    m_fp_label->SetLabel(_("Election fingerprint:"));
    SetWrappedLabel(m_fp_hint,
                    _("Compare it with the fingerprint the kiosk shows when it loads the package, and with the one "
                      "printed on the slips. They must be the same."),
                    FromDIP(kWrap));
    m_open_folder->SetLabel(_("Open folder"));
    m_open_slips->SetLabel(_("Open the code slips"));

    RefillGradeChoices();
    UpdateQuotaHint();
    UpdateCodesTotal();
    UpdatePassphraseHint();
    ShowRoster();
    Go(m_step);
}

void ElectionPanel::ResetForm()
{
    const ElectionForm f = DefaultForm();
    m_roster = Roster{};
    m_written = app::WrittenElection{};
    m_admin_pass.reset();
    m_quota_touched = false;
    m_title->ChangeValue(wxString());
    m_org->ChangeValue(wxString());
    m_date->SetValue(wxDateTime::Today());
    m_test_mode->SetValue(true);
    m_roster_file->SetPath(wxString());
    m_unknown->SetValue(f.with_unknown);
    m_quota_on->SetValue(true);
    m_quota_max->SetValue(0);
    if (m_rules->GetNumberRows() > 0) m_rules->DeleteRows(0, m_rules->GetNumberRows());
    const auto options = DefaultOptions(false);
    for (const auto& r : f.grade_rules) {
        m_rules->AppendRows(1);
        const int row = m_rules->GetNumberRows() - 1;
        m_rules->SetCellValue(row, 0, U8(options[r.option]));
        m_rules->SetCellValue(row, 1, wxString::Format("%u", r.min_percent));
        m_rules->SetCellValue(row, 2, U8(options[r.suggest]));
    }
    if (m_categories->GetNumberRows() > 0) m_categories->DeleteRows(0, m_categories->GetNumberRows());
    for (const auto& c : f.categories) {
        m_categories->AppendRows(1);
        const int row = m_categories->GetNumberRows() - 1;
        m_categories->SetCellValue(row, 0, U8(c.name));
        m_categories->SetCellValue(row, 1, wxString::Format("%u", c.codes));
        m_categories->SetCellValue(row, 2, wxString::Format("%u", c.weight));
    }
    m_kiosks->SetValue(static_cast<int>(f.kiosks));
    m_min_group->SetValue(static_cast<int>(f.min_group_size));
    m_suite->SetSelection(0);
    m_suite_touched = false;
    m_by_trustees->SetValue(true);
    m_n->SetValue(3);
    m_k->SetValue(2);
    for (auto* t : m_names)
        t->ChangeValue(wxString());
    m_pass->ChangeValue(wxString());
    m_pass2->ChangeValue(wxString());
    m_folder->SetPath(wxString());
    m_gauge->SetValue(0);
    m_create_status->SetLabel(wxString());
    RefillGradeChoices();
    m_default_grade->SetSelection(static_cast<int>(f.default_grade));
}

void ElectionPanel::Enter()
{
    if (m_step == kDone) {
        ResetForm();
        ApplyLabels();
        Go(kBasics);
    }
}

void ElectionPanel::Go(int step)
{
    m_step = step;
    m_book->ChangeSelection(static_cast<std::size_t>(step));
    for (int i = 0; i < kStepCount; ++i) {
        auto* l = m_step_labels[static_cast<std::size_t>(i)];
        l->SetFont(UiFont(1.1, i == step ? wxFONTWEIGHT_BOLD : wxFONTWEIGHT_NORMAL));
        l->SetForegroundColour(i == step ? wxColour(0xB7, 0x1C, 0x1C)
                                         : (i < step ? wxColour(0x40, 0x40, 0x40) : wxColour(0x90, 0x90, 0x90)));
    }
    SetProblem(wxString());
    m_step_labels[kCeremony]->Show(by_trustees());
    m_back->Show(step > kBasics && step < kCeremony);
    m_next->Show(step < kCeremony);
    m_next->SetLabel(step == kCreate ? _("Create") : _("Next >"));
    m_next->Enable(!busy());
    m_cancel->Show(step == kCreate);
    m_cancel->Enable(busy());
    if (step == kVoters) ProposeSuite();
    if (step == kCreate) UpdateSummary();
    Layout();
    m_book->GetPage(static_cast<std::size_t>(step))->Layout();
    m_scroll->FitInside();
    m_scroll->Scroll(0, 0);
    // Put the keyboard where the step starts.
    if (step == kBasics) m_title->SetFocus();
    if (step == kPassphrase) m_pass->SetFocus();
    if (step == kCeremony) m_ceremony->SetFocus();
}

void ElectionPanel::SetProblem(const wxString& text)
{
    SetWrappedLabel(m_problem, text, FromDIP(kWrap + 200));
    Layout();
}

void ElectionPanel::OnNext()
{
    if (busy()) return;
    if (!CheckStep(m_step)) return;
    if (m_step == kCreate) {
        StartCreate();
        return;
    }
    Go(m_step + 1);
}

bool ElectionPanel::CheckStep(int step)
{
    const ElectionForm f = ReadForm();
    switch (step) {
        case kBasics:
            if (f.title.empty()) {
                SetProblem(_("Please enter a title."));
                m_title->SetFocus();
                return false;
            }
            if (f.title.size() > 200 || f.organization.size() > 200) {
                SetProblem(
                    _("The title and the organization may have at most 200 bytes (about 66 Chinese "
                      "characters)."));
                return false;
            }
            return true;
        case kRoster:
            if (m_roster.entries.empty()) {
                SetProblem(_("Please import the roster first."));
                return false;
            }
            return true;
        case kGrades:
            if (f.quota && f.quota->max >= f.roster.size()) {
                SetProblem(_("The limit must be smaller than the number of members."));
                return false;
            }
            for (const auto& r : f.grade_rules)
                if (r.option >= DefaultOptions(f.with_unknown).size() ||
                    r.suggest >= DefaultOptions(f.with_unknown).size() || r.min_percent > 100) {
                    SetProblem(_("Each rule needs a grade, a share from 0 to 100 and a suggested grade."));
                    return false;
                }
            return true;
        case kVoters: {
            std::set<std::string> names;
            for (const auto& c : f.categories) {
                if (c.name.empty() || !names.insert(c.name).second) {
                    SetProblem(_("Each category needs its own name."));
                    return false;
                }
                if (c.codes < 1 || c.codes > 5000 || c.weight < 1 || c.weight > 1000) {
                    SetProblem(_("Each category needs 1 to 5000 codes and a weight from 1 to 1000."));
                    return false;
                }
            }
            if (f.categories.empty()) {
                SetProblem(_("Add at least one voter category."));
                return false;
            }
            return true;
        }
        case kPassphrase: {
            if (by_trustees()) {
                std::set<std::string> seen;
                for (const auto& n : TrusteeNames())
                    if (n.empty() || !seen.insert(n).second) {
                        SetProblem(_("Each trustee needs a name of their own."));
                        return false;
                    }
                if (m_k->GetValue() > m_n->GetValue()) {
                    SetProblem(_("The number needed to decrypt cannot exceed the number of trustees."));
                    return false;
                }
            }
            const std::string a = ToU8(m_pass->GetValue());
            if (CodePoints(a) < app::kMinPassphraseChars) {
                SetProblem(_("The passphrase must have at least 8 characters."));
                return false;
            }
            if (m_pass->GetValue() != m_pass2->GetValue()) {
                SetProblem(_("The two passphrases differ. Type the same passphrase twice."));
                return false;
            }
            return true;
        }
        case kCreate:
            if (m_folder->GetPath().empty()) {
                SetProblem(_("Please choose the folder for the files."));
                return false;
            }
            return true;
        default:
            return true;
    }
}

ElectionForm ElectionPanel::ReadForm() const
{
    ElectionForm f = DefaultForm();
    f.title = ToU8(m_title->GetValue().Strip(wxString::both));
    f.organization = ToU8(m_org->GetValue().Strip(wxString::both));
    f.date = ToU8(m_date->GetValue().FormatISODate());
    f.test_mode = m_test_mode->GetValue();
    f.roster = m_roster.entries;
    f.with_unknown = m_unknown->GetValue();
    if (m_quota_on->GetValue())
        f.quota = Quota{/*option=*/0, static_cast<std::uint32_t>(std::max(0, m_quota_max->GetValue()))};
    else
        f.quota.reset();
    f.grade_rules.clear();
    for (int r = 0; r < m_rules->GetNumberRows(); ++r)
        f.grade_rules.push_back({OptionIndex(m_rules->GetCellValue(r, 0), f.with_unknown), CellNumber(m_rules, r, 1),
                                 OptionIndex(m_rules->GetCellValue(r, 2), f.with_unknown)});
    f.default_grade = static_cast<std::uint32_t>(std::max(0, m_default_grade->GetSelection()));
    f.categories.clear();
    for (int r = 0; r < m_categories->GetNumberRows(); ++r)
        f.categories.push_back({ToU8(m_categories->GetCellValue(r, 0).Strip(wxString::both)),
                                CellNumber(m_categories, r, 1), CellNumber(m_categories, r, 2)});
    f.kiosks = static_cast<std::uint32_t>(m_kiosks->GetValue());
    f.min_group_size = static_cast<std::uint32_t>(m_min_group->GetValue());
    return f;
}

void ElectionPanel::ImportRoster()
{
    const std::size_t old_size = m_roster.entries.size();
    const wxString path = m_roster_file->GetPath();
    m_roster_error->SetLabel(wxString());
    if (path.empty()) {
        SetProblem(_("Choose the roster file first."));
        return;
    }
    auto roster = ImportRosterFile(ToPath(path));
    if (!roster) {
        m_roster = Roster{};
        // TRANSLATORS: %s is the plain-words reason, then the detail naming the line.
        SetWrappedLabel(m_roster_error,
                        wxString::Format(_("The roster was not imported: %s\n%s"), ErrorMessage(roster.error()),
                                         DetailInWords(roster.error().detail)),
                        FromDIP(kWrap));
    } else {
        m_roster = std::move(roster).value();
        SetProblem(wxString());
    }
    ShowRoster();
    RosterChanged(old_size);
}

void ElectionPanel::ShowRoster()
{
    const auto& e = m_roster.entries;
    if (e.empty())
        m_roster_status->SetLabel(m_roster_error->GetLabel().empty() ? _("No roster imported yet.") : wxString());
    else
        m_roster_status->SetLabel(
            wxString::Format(wxPLURAL("%zu member imported (file encoding: %s). Please check every name.",
                                      "%zu members imported (file encoding: %s). Please check every name.",
                                      static_cast<unsigned>(e.size())),
                             e.size(), U8(m_roster.detected_encoding)));
    m_roster_warnings->DeleteAllItems();
    long i = 0;
    for (const auto& w : m_roster.warnings) {
        m_roster_warnings->InsertItem(i, w.line ? wxString::Format("%zu", w.line) : wxString("-"));
        const wxString about = DetailInWords(w.detail);
        m_roster_warnings->SetItem(i, 1,
                                   ErrorMessage(MakeError(w.code, w.detail)) +
                                       (about.empty() ? wxString() : wxString::Format(_(" (%s)"), about)));
        m_roster_warnings->SetItemBackgroundColour(i, wxColour(0xFF, 0xF4, 0xD6));
        ++i;
    }
    m_roster_warnings->Show(!m_roster.warnings.empty());
    m_roster_grid->BeginBatch();
    if (m_roster_grid->GetNumberRows() > 0) m_roster_grid->DeleteRows(0, m_roster_grid->GetNumberRows());
    m_roster_grid->AppendRows(static_cast<int>(e.size()));
    for (std::size_t r = 0; r < e.size(); ++r) {
        const int row = static_cast<int>(r);
        m_roster_grid->SetCellValue(row, 0, wxString::Format("%zu", r + 1));
        m_roster_grid->SetCellValue(row, 1, U8(e[r].name));
        m_roster_grid->SetCellValue(row, 2, U8(e[r].id));
        m_roster_grid->SetCellValue(row, 3, U8(e[r].note));
    }
    m_roster_grid->EndBatch();
    if (auto* page = m_book->GetPage(kRoster)) page->Layout();
}

void ElectionPanel::RosterChanged(std::size_t old_size)
{
    const std::size_t n = m_roster.entries.size();
    if (!m_quota_touched) {
        m_quota_max->SetValue(static_cast<int>(DefaultQuotaMax(n)));
        // With fewer than 3 members a third is 0: no limit rather than no 优秀 at all.
        m_quota_on->SetValue(DefaultQuotaMax(n) > 0 || n == 0);
    }
    // The 党员 category's codes follow the roster while they still equal the old size.
    for (int r = 0; r < m_categories->GetNumberRows(); ++r)
        if (m_categories->GetCellValue(r, 0) == U8("党员") && CellNumber(m_categories, r, 1) == old_size)
            m_categories->SetCellValue(r, 1, wxString::Format("%zu", n));
    UpdateQuotaHint();
    UpdateCodesTotal();
}

void ElectionPanel::RefillGradeChoices()
{
    const bool with_unknown = m_unknown->GetValue();
    const wxArrayString choices = OptionChoices(with_unknown);
    wxString text;
    for (const auto& c : choices)
        text += (text.empty() ? "" : " / ") + c;
    m_options_value->SetLabel(text);
    for (int col : {0, 2}) {
        auto* attr = new wxGridCellAttr;
        attr->SetEditor(new wxGridCellChoiceEditor(choices));
        m_rules->SetColAttr(col, attr);
    }
    // Rules that named 不了解 lose it when it is switched off.
    for (int r = 0; r < m_rules->GetNumberRows(); ++r)
        for (int col : {0, 2})
            if (choices.Index(m_rules->GetCellValue(r, col)) == wxNOT_FOUND) m_rules->SetCellValue(r, col, choices[0]);
    const int sel = m_default_grade->GetSelection();
    m_default_grade->Set(choices);
    m_default_grade->SetSelection(sel >= 0 && sel < static_cast<int>(choices.size()) ? sel : 1);
}

void ElectionPanel::UpdateQuotaHint()
{
    const std::size_t n = m_roster.entries.size();
    m_quota_max->Enable(m_quota_on->GetValue());
    if (!m_quota_on->GetValue())
        m_quota_hint->SetLabel(_("No limit: a voter may rate every member 优秀."));
    else if (n == 0)
        m_quota_hint->SetLabel(_("Official practice: about one third of the members at most."));
    else
        m_quota_hint->SetLabel(wxString::Format(_("At most %d of the %zu members (about one third is usual: %u)."),
                                                m_quota_max->GetValue(), n, DefaultQuotaMax(n)));
}

void ElectionPanel::UpdateCodesTotal()
{
    std::uint32_t total = 0;
    for (int r = 0; r < m_categories->GetNumberRows(); ++r)
        total += CellNumber(m_categories, r, 1);
    m_codes_total->SetLabel(wxString::Format(
        wxPLURAL("%u voting-code slip in all, for %d kiosk", "%u voting-code slips in all, for %d kiosks",
                 static_cast<unsigned>(m_kiosks->GetValue())),
        total, m_kiosks->GetValue()));
}

void ElectionPanel::UpdatePassphraseHint()
{
    const std::string a = ToU8(m_pass->GetValue());
    wxString text;
    wxColour colour;
    switch (PassphraseStrength(a)) {
        case Strength::TooShort:
            text = a.empty() ? _("At least 8 characters") : _("Too short: at least 8 characters");
            colour = wxColour(0xB0, 0x10, 0x10);
            break;
        case Strength::Weak:
            text = _("Weak: longer is better, mix letters, digits and signs");
            colour = wxColour(0xC2, 0x41, 0x0C);
            break;
        case Strength::Fair:
            text = _("Fair");
            colour = wxColour(0x92, 0x6A, 0x00);
            break;
        case Strength::Strong:
            text = _("Strong");
            colour = wxColour(0x1B, 0x6E, 0x20);
            break;
    }
    m_pass_strength->SetLabel(text);
    m_pass_strength->SetForegroundColour(colour);
    const bool typed = !m_pass2->GetValue().empty();
    const bool same = m_pass->GetValue() == m_pass2->GetValue();
    m_pass_match->SetLabel(!typed ? wxString() : same ? _("The two entries match") : _("The two entries differ"));
    m_pass_match->SetForegroundColour(same ? wxColour(0x1B, 0x6E, 0x20) : wxColour(0xB0, 0x10, 0x10));
    if (m_step == kPassphrase) SetProblem(wxString());
    if (auto* page = m_book->GetPage(kPassphrase)) page->Layout();
}

bool ElectionPanel::by_trustees() const
{
    return m_by_trustees->GetValue();
}

std::vector<std::string> ElectionPanel::TrusteeNames() const
{
    std::vector<std::string> names;
    for (int i = 0; i < m_n->GetValue() && i < kMaxTrustees; ++i)
        names.push_back(ToU8(m_names[static_cast<std::size_t>(i)]->GetValue().Strip(wxString::both)));
    return names;
}

void ElectionPanel::UpdateTrustees()
{
    const bool trustees = by_trustees();
    m_k->SetRange(1, m_n->GetValue());
    for (wxWindow* w : std::initializer_list<wxWindow*>{m_n, m_k, m_n_label, m_k_label, m_names_label})
        w->Enable(trustees);
    for (int i = 0; i < kMaxTrustees; ++i) {
        m_names[static_cast<std::size_t>(i)]->Show(i < m_n->GetValue());
        m_names[static_cast<std::size_t>(i)]->Enable(trustees);
    }
    SetWrappedLabel(m_key_hint,
                    trustees ? wxString::Format(_("Any %d of the %d trustees together can count the votes; fewer "
                                                  "cannot decrypt anything. They make the key together on this "
                                                  "computer, each with their own USB stick, right after Create."),
                                                m_k->GetValue(), m_n->GetValue())
                             : _("Whoever holds this passphrase and the key file can decrypt every single ballot. "
                                 "The verifier marks such an evaluation as weaker."),
                    FromDIP(kWrap - 40));
    SetWrappedLabel(m_pass_intro,
                    trustees ? _("The secretary's passphrase protects the admin key, which signs the results after "
                                 "the trustees have decrypted. It cannot decrypt anything. Write it down and keep it "
                                 "sealed, away from the USB stick.")
                             : _("The passphrase protects the election key. You need it after the meeting to count "
                                 "the votes. It cannot be recovered: if it is lost, the votes cannot be counted. "
                                 "Write it down and keep it sealed, away from the USB stick."),
                    FromDIP(kWrap));
    m_pass_label->SetLabel(trustees ? _("Secretary's passphrase:") : _("Passphrase:"));
    m_step_labels[kPassphrase]->SetLabel(trustees ? _("5. Key holders") : _("5. Passphrase"));
    m_step_labels[kCeremony]->Show(trustees);
    m_step_labels[kDone]->SetLabel(trustees ? _("8. Fingerprint") : _("7. Fingerprint"));
    if (auto* page = m_book->GetPage(kPassphrase)) page->Layout();
    Layout();
}

void ElectionPanel::UpdateSummary()
{
    const ElectionForm f = ReadForm();
    wxString s;
    s << _("Title:") << " " << U8(f.title) << "\n";
    s << _("Organization:") << " " << U8(f.organization) << "\n";
    s << _("Date of the meeting:") << " " << U8(f.date) << "\n";
    s << _("Mode:") << " "
      << (f.test_mode ? _("TEST evaluation: the results never count as official") : _("Official evaluation")) << "\n";
    m_mode_warning->SetLabel(f.test_mode ? _(" This is a TEST evaluation: its results can never count as official. "
                                             "Go back to step 1 to choose an official evaluation. ")
                                         : wxString());
    m_mode_warning->Show(f.test_mode);
    s << wxString::Format(
             wxPLURAL("%zu member to evaluate", "%zu members to evaluate", static_cast<unsigned>(f.roster.size())),
             f.roster.size())
      << "\n";
    wxString options;
    for (const auto& o : DefaultOptions(f.with_unknown))
        options += (options.empty() ? "" : " / ") + U8(o);
    s << _("Grades:") << " " << options << "\n";
    if (f.quota)
        s << wxString::Format(_("At most %u members rated %s on one ballot"), f.quota->max,
                              U8(DefaultOptions(false)[f.quota->option]))
          << "\n";
    std::uint32_t total = 0;
    for (const auto& c : f.categories) {
        s << wxString::Format(_("Voters: %s, %u codes, weight %u"), U8(c.name), c.codes, c.weight) << "\n";
        total += c.codes;
    }
    s << wxString::Format(_("%u codes in all, %u kiosk(s), minimum group size %u"), total, f.kiosks, f.min_group_size)
      << "\n";
    s << _("Cryptography:") << " " << m_suite->GetStringSelection() << "\n";
    if (by_trustees()) {
        wxString names;
        for (const auto& n : TrusteeNames())
            names += (names.empty() ? "" : _(", ")) + U8(n);
        s << wxString::Format(_("Election key: %d trustees, any %d decrypt: %s"), m_n->GetValue(), m_k->GetValue(),
                              names)
          << "\n";
    } else {
        s << _("Election key: one passphrase (weaker)") << "\n";
    }
    m_summary->ChangeValue(s);
}

void ElectionPanel::StartCreate()
{
    auto def = BuildDefinition(ReadForm(), SystemRng());
    if (!def) {
        ShowError(this, def.error());
        return;
    }
    const std::filesystem::path folder = ToPath(m_folder->GetPath());
    if (Status s = app::PrepareOutputFolder(folder); !s) {
        ShowError(this, s.error());
        return;
    }
    if (by_trustees()) {
        StartCeremony(std::move(def).value(), folder);
        return;
    }
    auto pass = std::make_shared<SecretBytes>(SecretFromWx(m_pass->GetValue()));
    m_next->Enable(false);
    m_back->Enable(false);
    m_home->Enable(false);
    m_cancel->Enable(true);
    m_create_status->SetLabel(_("Creating the election key, the codes and the slips..."));
    m_pulse.Start(100);
    m_task.Start<Result<app::WrittenElection>>(
        [def = std::move(def).value(), pass, folder, suite = Suite()](BackgroundTask& task) {
            return app::WriteElection(
                def, *pass, folder, [&task] { return !task.cancelled(); }, {}, {}, nullptr, suite);
        },
        [this](Result<app::WrittenElection>&& r) { Created(std::move(r)); });
}

SuiteId ElectionPanel::Suite() const
{
    return m_suite->GetSelection() == 1 ? SuiteId::SM2_SM3 : SuiteId::P256_SHA256;
}

void ElectionPanel::ProposeSuite()
{
    if (!m_suite_touched) m_suite->SetSelection(ProposedSuite(m_test_mode->GetValue()) == SuiteId::SM2_SM3 ? 1 : 0);
    UpdateSuiteHint();
}

void ElectionPanel::UpdateSuiteHint()
{
    const bool guomi = Suite() == SuiteId::SM2_SM3;
    wxString hint;
    if (!m_test_mode->GetValue())
        hint = guomi ? _("Proposed for an official evaluation: 国密, which a commercial-cryptography assessment "
                         "(密评, GB/T 39786-2021) expects. Both choices are equally secure and verifiable.")
                     : _("P-256 is as secure and verifiable, but a commercial-cryptography assessment (密评) "
                         "expects 国密 (SM2, SM3 and SM4).");
    else
        hint = guomi ? _("This rehearsal uses 国密, as proposed for the official evaluation.")
                     : _("A rehearsal uses P-256 unless you choose 国密 here; an official evaluation is proposed "
                         "国密.");
    SetWrappedLabel(m_suite_hint, hint, FromDIP(kWrap - 200));
    if (auto* page = m_book->GetPage(kVoters)) page->Layout();
}

void ElectionPanel::StartCeremony(ElectionDefinition def, const std::filesystem::path& folder)
{
    const std::filesystem::path dir = folder / app::kCeremonyFolder;
    // A ceremony already started in this folder (the program was closed half-way) goes on
    // where it stopped: the trustees' finished rounds are kept.
    std::error_code ec;
    const bool resumed = std::filesystem::exists(app::CeremonySetupPath(dir), ec) && app::LoadCeremonySetup(dir).ok();
    if (!resumed) {
        auto setup = app::WriteCeremonySetup(std::move(def), static_cast<std::uint32_t>(m_k->GetValue()),
                                             TrusteeNames(), dir, Suite());
        if (!setup) {
            ShowError(this, setup.error());
            return;
        }
    }
    m_written = app::WrittenElection{};
    m_written.folder = folder;
    m_admin_pass = std::make_shared<SecretBytes>(SecretFromWx(m_pass->GetValue()));
    m_pass->ChangeValue(wxString());
    m_pass2->ChangeValue(wxString());
    Go(kCeremony);
    m_ceremony->Begin(dir, [this] { FinishKeyCeremony(); });
    if (resumed)
        m_ceremony->SetStatus(
            _("A key ceremony was already started in this folder: it goes on where it stopped, "
              "with the evaluation and the trustees as they were set up then."));
}

void ElectionPanel::FinishKeyCeremony()
{
    if (busy()) return;
    const std::filesystem::path folder = m_written.folder;
    const std::filesystem::path dir = m_ceremony->folder();
    const std::shared_ptr<SecretBytes> pass = m_admin_pass;
    if (!pass) return;
    m_home->Enable(false);
    m_ceremony->SetStatus(
        _("Every trustee is done. Creating the package keyed by the trustees, the codes and the "
          "slips..."));
    m_task.Start<Result<app::FinishedCeremony>>(
        [pass, folder, dir](BackgroundTask&) { return app::FinishCeremonyFolder(dir, folder, *pass); },
        [this](Result<app::FinishedCeremony>&& r) {
            m_home->Enable(true);
            if (!r) {
                m_ceremony->SetStatus(ErrorMessage(r.error()), true);
                ShowError(this, r.error());
                return;
            }
            Created(std::move(r->written));
        });
}

void ElectionPanel::Created(Result<app::WrittenElection>&& r)
{
    m_pulse.Stop();
    m_gauge->SetValue(r ? 100 : 0);
    m_next->Enable(true);
    m_back->Enable(true);
    m_home->Enable(true);
    m_cancel->Enable(false);
    if (!r) {
        m_create_status->SetLabel(ErrorMessage(r.error()));
        if (r.error().code != "create.cancelled") ShowError(this, r.error());
        return;
    }
    m_written = std::move(r).value();
    m_admin_pass.reset();
    if (m_codes_observer) m_codes_observer(m_written.plain_codes);
    for (auto& c : m_written.plain_codes)
        std::fill(c.code.begin(), c.code.end(), '\0');
    m_written.plain_codes.clear();
    m_pass->ChangeValue(wxString());
    m_pass2->ChangeValue(wxString());
    m_create_status->SetLabel(wxString());
    m_fp->SetLabel(U8(m_written.fingerprint_short));
    m_fp_full->ChangeValue(U8(m_written.fingerprint_full));
    const wxString keys =
        by_trustees()
            ? wxString::Format(_("  admin-key.pyk  the secretary's key: it signs the results and cannot decrypt "
                                 "anything. The election key exists nowhere: each trustee keeps trustee-<n>.pyk on "
                                 "their own USB stick; %d of them decrypt after the meeting."),
                               m_k->GetValue())
            : _("  election-key.pyk, admin-key.pyk  the secret keys: keep them here (and the passphrase "
                "sealed), never on the kiosk's stick; the tally needs them.");
    SetWrappedLabel(m_files,
                    wxString::Format(_("Written to %s:\n"
                                       "  kiosk-usb  (only election.pyp, the signed public package): copy this folder "
                                       "to the kiosk's USB stick.\n"
                                       "  code-slips.pdf  %u voting codes: print, cut apart, let voters draw them at "
                                       "random.\n"),
                                     FromPath(m_written.folder), m_written.codes) +
                        keys,
                    FromDIP(kWrap));
    Go(kDone);
}

}  // namespace pingyi::admin
