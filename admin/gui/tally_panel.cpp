#include "admin/gui/tally_panel.hpp"

#include <wx/filepicker.h>
#include <wx/gauge.h>
#include <wx/grid.h>
#include <wx/html/htmlwin.h>
#include <wx/html/htmprint.h>
#include <wx/prntbase.h>
#include <wx/simplebook.h>
#include <wx/spinctrl.h>

#include <algorithm>

#include "admin/gui/check_list.hpp"
#include "admin/gui/gui_common.hpp"
#include "admin/gui/i18n.hpp"
#include "admin/gui/trustee_tally_page.hpp"
#include "core/error_codes.hpp"

namespace pingyi::admin {
namespace {

// Which categories were tallied together, in the chosen language (the results' own notes
// are the signed English record).
std::vector<wxString> MergeNoteLines(const ElectionDefinition& def, const Results& r)
{
    const auto names = [&def](const std::vector<std::uint32_t>& cats) {
        wxString s;
        for (const auto c : cats)
            s += (s.empty() ? wxString() : _(", ")) + U8(def.categories[c].name);
        return s;
    };
    std::vector<wxString> out;
    for (const auto& m : MergedGroups(def, r)) {
        if (m.large.empty())
            out.push_back(wxString::Format(_("%s each cast fewer than %u ballots and were tallied together (%u "
                                             "ballots), so that no one's rating can be told from a very small "
                                             "category."),
                                           names(m.small), m.min_group, m.ballots));
        else
            out.push_back(wxString::Format(_("%s cast fewer than %u ballots (%u in all) and were tallied with %s, "
                                             "so that no one's rating can be told from a very small category."),
                                           names(m.small), m.min_group, m.small_ballots, names(m.large)));
    }
    return out;
}

constexpr int kWrap = 900;

wxStaticText* Text(wxWindow* parent, const char* name = "")
{
    auto* t = new wxStaticText(parent, wxID_ANY, wxString());
    if (*name) t->SetName(name);
    return t;
}

wxButton* Button(wxWindow* parent, const char* name)
{
    auto* b = new wxButton(parent, wxID_ANY, wxString());
    b->SetName(name);
    return b;
}

}  // namespace

TallyPanel::TallyPanel(wxWindow* parent, std::function<void()> go_home)
    : wxPanel(parent, wxID_ANY),
      m_go_home(std::move(go_home)),
      m_task(this, [this](int phase, std::size_t done, std::size_t total) { OnProgress(phase, done, total); })
{
    SetName("tally");
    auto* top = new wxBoxSizer(wxVERTICAL);
    m_heading = MakeHeading(this, "tally.heading");
    top->Add(m_heading, 0, wxALL, 12);
    m_book = new wxSimplebook(this, wxID_ANY);
    m_book->AddPage(BuildOpen(m_book), wxString());
    m_book->AddPage(BuildResults(m_book), wxString());
    m_trustees = new TrusteeTallyPage(m_book, [this](app::TallyOutcome&& outcome) {
        m_last_request.passphrase.reset();
        Finished(std::move(outcome), /*with_key=*/true);
    });
    m_book->AddPage(m_trustees, wxString());
    top->Add(m_book, 1, wxEXPAND | wxLEFT | wxRIGHT, 12);
    auto* bottom = new wxBoxSizer(wxHORIZONTAL);
    m_home = Button(this, "tally.home");
    bottom->Add(m_home, 0);
    bottom->AddStretchSpacer();
    m_to_checks = Button(this, "tally.to_checks");
    m_to_results = Button(this, "tally.to_results");
    m_to_results->SetFont(UiFont(1.05, wxFONTWEIGHT_BOLD));
    bottom->Add(m_to_checks, 0, wxRIGHT, 8);
    bottom->Add(m_to_results, 0);
    top->Add(bottom, 0, wxEXPAND | wxALL, 12);
    SetSizer(top);

    m_home->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (!busy() && !m_trustees->busy()) m_go_home();
    });
    m_to_checks->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { ShowPage(kOpen); });
    m_to_results->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (has_results()) ShowPage(kResults);
    });
    ApplyLabels();
    ShowPage(kOpen);
}

TallyPanel::~TallyPanel() = default;

wxWindow* TallyPanel::BuildOpen(wxWindow* book)
{
    auto* p = new wxPanel(book);
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_intro = Text(p);
    s->Add(m_intro, 0, wxBOTTOM, 8);
    auto* form = new wxFlexGridSizer(2, 6, 10);
    form->AddGrowableCol(1);
    m_package_label = Text(p);
    m_package = new wxFilePickerCtrl(p, wxID_ANY, wxString(), wxString(), "election.pyp|*.pyp|*|*", wxDefaultPosition,
                                     wxDefaultSize, wxFLP_OPEN | wxFLP_FILE_MUST_EXIST | wxFLP_USE_TEXTCTRL);
    m_package->SetName("tally.package");
    m_boxes_label = Text(p);
    m_boxes = new BoxList(p, "tally");
    m_devices_label = Text(p);
    m_devices = new DeviceField(p, "tally");
    m_keys_label = Text(p);
    m_keys = new wxDirPickerCtrl(p, wxID_ANY, wxString(), wxString(), wxDefaultPosition, wxDefaultSize,
                                 wxDIRP_USE_TEXTCTRL | wxDIRP_DIR_MUST_EXIST);
    m_keys->SetName("tally.keys");
    m_out_label = Text(p);
    m_out =
        new wxDirPickerCtrl(p, wxID_ANY, wxString(), wxString(), wxDefaultPosition, wxDefaultSize, wxDIRP_USE_TEXTCTRL);
    m_out->SetName("tally.out");
    auto* present_row = new wxBoxSizer(wxHORIZONTAL);
    m_present_on = new wxCheckBox(p, wxID_ANY, wxString());
    m_present_on->SetName("tally.present_on");
    m_present =
        new wxSpinCtrl(p, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxSP_ARROW_KEYS, 0, 100000, 0);
    m_present->SetName("tally.present");
    present_row->Add(m_present_on, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    present_row->Add(m_present, 0);
    m_pass_label = Text(p);
    m_pass = new wxTextCtrl(p, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(240), -1),
                            wxTE_PASSWORD | wxTE_PROCESS_ENTER);
    m_pass->SetName("tally.passphrase");
    form->Add(m_package_label, 0, wxALIGN_CENTER_VERTICAL);
    form->Add(m_package, 1, wxEXPAND);
    form->Add(m_boxes_label, 0, wxALIGN_TOP | wxTOP, 4);
    form->Add(m_boxes, 1, wxEXPAND);
    form->Add(m_devices_label, 0, wxALIGN_TOP | wxTOP, 4);
    form->Add(m_devices, 1, wxEXPAND);
    form->Add(m_keys_label, 0, wxALIGN_CENTER_VERTICAL);
    form->Add(m_keys, 1, wxEXPAND);
    form->Add(m_out_label, 0, wxALIGN_CENTER_VERTICAL);
    form->Add(m_out, 1, wxEXPAND);
    form->Add(m_pass_label, 0, wxALIGN_CENTER_VERTICAL);
    // The passphrase, the attendance and the two ways to go on share one row.
    auto* actions = new wxBoxSizer(wxHORIZONTAL);
    m_tally = Button(p, "tally.start");
    m_tally->SetFont(UiFont(1.1, wxFONTWEIGHT_BOLD));
    m_open_saved = Button(p, "tally.open_saved");
    actions->Add(m_pass, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 24);
    actions->Add(present_row, 0, wxALIGN_CENTER_VERTICAL);
    actions->AddStretchSpacer();
    actions->Add(m_tally, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    actions->Add(m_open_saved, 0, wxALIGN_CENTER_VERTICAL);
    form->Add(actions, 1, wxEXPAND);
    s->Add(form, 0, wxEXPAND | wxBOTTOM, 10);
    auto* progress = new wxBoxSizer(wxHORIZONTAL);
    m_phase = Text(p, "tally.phase");
    m_phase->SetMinSize(wxSize(FromDIP(300), -1));
    m_gauge = new wxGauge(p, wxID_ANY, 100);
    m_gauge->SetName("tally.gauge");
    m_cancel = Button(p, "tally.cancel");
    progress->Add(m_phase, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    progress->Add(m_gauge, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    progress->Add(m_cancel, 0);
    s->Add(progress, 0, wxEXPAND | wxBOTTOM, 8);
    m_checks = new CheckList(p, "tally.checks");
    s->Add(m_checks, 1, wxEXPAND);
    p->SetSizer(s);

    m_package->Bind(wxEVT_FILEPICKER_CHANGED, [this](wxFileDirPickerEvent&) { PackageChosen(); });
    m_tally->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Start(/*with_key=*/true); });
    m_pass->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { Start(/*with_key=*/true); });
    m_open_saved->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Start(/*with_key=*/false); });
    m_cancel->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        m_task.Cancel();
        m_phase->SetLabel(_("Cancelling..."));
    });
    m_present_on->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) { m_present->Enable(m_present_on->GetValue()); });
    m_present->Enable(false);
    return p;
}

wxWindow* TallyPanel::BuildResults(wxWindow* book)
{
    auto* p = new wxPanel(book);
    auto* s = new wxBoxSizer(wxVERTICAL);
    auto* title_row = new wxBoxSizer(wxHORIZONTAL);
    m_res_title = Text(p, "tally.results_title");
    m_res_title->SetFont(UiFont(1.25, wxFONTWEIGHT_BOLD));
    m_res_test = Text(p, "tally.test_banner");
    m_res_test->SetFont(UiFont(1.1, wxFONTWEIGHT_BOLD));
    m_res_test->SetBackgroundColour(TestColour());
    m_res_test->SetForegroundColour(*wxWHITE);
    title_row->Add(m_res_title, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 12);
    title_row->Add(m_res_test, 0, wxALIGN_CENTER_VERTICAL);
    s->Add(title_row, 0, wxBOTTOM, 4);
    m_res_info = Text(p, "tally.results_info");
    s->Add(m_res_info, 0, wxBOTTOM, 2);
    m_res_warning = Text(p, "tally.results_warning");
    m_res_warning->SetForegroundColour(wxColour(0xB0, 0x10, 0x10));
    m_res_warning->SetFont(UiFont(1.0, wxFONTWEIGHT_BOLD));
    s->Add(m_res_warning, 0, wxBOTTOM, 4);
    m_grid = new wxGrid(p, wxID_ANY);
    m_grid->SetName("tally.grid");
    m_grid->CreateGrid(0, 0);
    m_grid->HideRowLabels();
    m_grid->SetDefaultCellFont(UiFont());
    m_grid->SetDefaultCellAlignment(wxALIGN_LEFT, wxALIGN_CENTRE);
    m_grid->SetLabelFont(UiFont(1.0, wxFONTWEIGHT_BOLD));
    m_grid->SetColLabelSize(FromDIP(46));
    m_grid->SetDefaultRowSize(FromDIP(26));
    s->Add(m_grid, 3, wxEXPAND | wxBOTTOM, 4);
    auto* hint_row = new wxBoxSizer(wxHORIZONTAL);
    m_grid_hint = Text(p);
    m_accept_suggested = Button(p, "tally.accept_suggested");
    hint_row->Add(m_grid_hint, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    hint_row->Add(m_accept_suggested, 0, wxALIGN_CENTER_VERTICAL);
    s->Add(hint_row, 0, wxEXPAND | wxBOTTOM, 4);
    m_detail = new wxHtmlWindow(p, wxID_ANY, wxDefaultPosition, wxSize(-1, FromDIP(120)));
    m_detail->SetName("tally.detail");
    m_detail->SetStandardFonts(UiFont().GetPointSize(), UiFaceName(), UiFaceName());
    s->Add(m_detail, 1, wxEXPAND | wxBOTTOM, 6);
    auto* exports = new wxBoxSizer(wxHORIZONTAL);
    m_xlsx = Button(p, "tally.export_xlsx");
    m_sheet = Button(p, "tally.export_sheet");
    m_letters = Button(p, "tally.export_letters");
    m_tracking = Button(p, "tally.export_tracking");
    m_print = Button(p, "tally.print");
    m_bundle = Button(p, "tally.export_bundle");
    m_open_folder = Button(p, "tally.open_folder");
    for (auto* b : {m_xlsx, m_sheet, m_letters, m_tracking, m_print, m_bundle, m_open_folder})
        exports->Add(b, 0, wxRIGHT, 6);
    s->Add(exports, 0, wxBOTTOM, 4);
    m_status = Text(p, "tally.status");
    s->Add(m_status, 0);
    p->SetSizer(s);

    // A click on a heading sorts; a second click (or the second half of a double-click)
    // reverses the order.
    for (auto type : {wxEVT_GRID_LABEL_LEFT_CLICK, wxEVT_GRID_LABEL_LEFT_DCLICK})
        m_grid->Bind(type, [this](wxGridEvent& e) {
            if (e.GetRow() < 0 && e.GetCol() >= 0)
                SortBy(e.GetCol());
            else
                e.Skip();
        });
    m_grid->Bind(wxEVT_GRID_SELECT_CELL, [this](wxGridEvent& e) {
        if (e.GetRow() >= 0 && static_cast<std::size_t>(e.GetRow()) < m_order.size())
            ShowMemberDetail(m_order[static_cast<std::size_t>(e.GetRow())]);
        e.Skip();
    });
    m_grid->Bind(wxEVT_GRID_CELL_CHANGED, [this](wxGridEvent& e) { OnCellChanged(e); });
    m_grid->Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        FitRemarkColumn();
        e.Skip();
    });
    m_xlsx->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Export("xlsx"); });
    m_sheet->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Export("sheet"); });
    m_letters->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Export("letters"); });
    m_tracking->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Export("tracking"); });
    m_accept_suggested->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { AcceptSuggestedGrades(); });
    m_bundle->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Export("bundle"); });
    m_print->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { ShowPrintPreview(); });
    m_open_folder->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { OpenOrShowWhere(this, out_folder()); });
    return p;
}

void TallyPanel::ApplyLabels()
{
    m_heading->SetLabel(_("Tally: verify the ballot boxes and count the votes"));
    m_home->SetLabel(_("Home"));
    m_to_checks->SetLabel(_("< Checks"));
    m_to_results->SetLabel(_("Results >"));
    SetWrappedLabel(m_intro,
                    _("Choose the election package and every ballot box exported from the kiosks. Everything is "
                      "verified first; only if every check passes are the sums decrypted with the key. No single "
                      "ballot is ever decrypted."),
                    FromDIP(kWrap));
    m_package_label->SetLabel(_("Election package:"));
    m_boxes_label->SetLabel(_("Ballot boxes:"));
    m_boxes->ApplyLabels();
    m_devices_label->SetLabel(_("Kiosk devices (开箱记录):"));
    m_devices->ApplyLabels();
    m_keys_label->SetLabel(_("Key folder:"));
    m_out_label->SetLabel(_("Save results in:"));
    for (auto* picker :
         {static_cast<wxPickerBase*>(m_package), static_cast<wxPickerBase*>(m_keys), static_cast<wxPickerBase*>(m_out)})
        picker->GetPickerCtrl()->SetLabel(_("Browse..."));
    m_present_on->SetLabel(_("Record the number present at the meeting (实到人数):"));
    m_pass_label->SetLabel(_("Passphrase:"));
    m_tally->SetLabel(m_by_trustees ? _("Verify, then the trustees decrypt") : _("Verify and tally"));
    m_open_saved->SetLabel(_("Open saved results (no key)"));
    m_cancel->SetLabel(_("Cancel"));
    m_checks->ApplyLabels();
    m_trustees->ApplyLabels();

    SetWrappedLabel(m_grid_hint,
                    _("Click a column heading to sort. Double-click a cell under 组织评定 to record the branch's final "
                      "grade, or under 备注 for a remark: both are saved at once. Select a member to see the votes "
                      "per voter category."),
                    FromDIP(kWrap - 40));
    // TRANSLATORS: sets 组织评定 = 参考等次 for every member not yet decided.
    m_accept_suggested->SetLabel(_("Accept suggested grades for all undecided"));
    m_xlsx->SetLabel(_("Excel workbook"));
    m_sheet->SetLabel(_("Tally sheet (PDF)"));
    m_letters->SetLabel(_("Notification letters (PDF)"));
    // TRANSLATORS: the list of every ballot's tracking code, posted on the notice board.
    m_tracking->SetLabel(_("Tracking code list (PDF)"));
    m_print->SetLabel(_("Print..."));
    m_bundle->SetLabel(_("Audit bundle"));
    m_open_folder->SetLabel(_("Open folder"));
    if (has_results()) FillResults();
    Layout();
}

int TallyPanel::page() const
{
    return m_book->GetSelection();
}

std::filesystem::path TallyPanel::out_folder() const
{
    return m_last_request.out_folder;
}

void TallyPanel::ShowPage(int page)
{
    m_book->ChangeSelection(static_cast<std::size_t>(page));
    UpdateButtons();
    Layout();
}

void TallyPanel::UpdateButtons()
{
    const bool running = busy();
    const int page = m_book->GetSelection();
    m_to_results->Show(page == kOpen && has_results());
    m_to_checks->Show(page != kOpen);
    m_tally->Enable(!running);
    m_open_saved->Enable(!running);
    m_cancel->Enable(running);
    m_home->Enable(!running);
    for (auto* b : {m_xlsx, m_sheet, m_letters, m_tracking, m_print, m_bundle, m_accept_suggested})
        b->Enable(!running && has_results());
    m_to_results->GetParent()->Layout();
}

void TallyPanel::PackageChosen()
{
    const std::filesystem::path pkg = ToPath(m_package->GetPath());
    std::error_code ec;
    if (!std::filesystem::is_regular_file(pkg, ec)) return;
    const std::filesystem::path dir = pkg.parent_path();
    // The console and the new-evaluation flow put the keys next to the package (a trustees'
    // evaluation has the admin key only).
    if (m_keys->GetPath().empty() && (std::filesystem::exists(dir / app::kElectionKeyFile, ec) ||
                                      std::filesystem::exists(dir / app::kAdminKeyFile, ec)))
        m_keys->SetPath(FromPath(dir));
    auto bytes = app::ReadFile(pkg, FileKind::kPackage);
    auto package = bytes ? LoadPackage(*bytes) : Result<ElectionPackage>(bytes.error());
    m_by_trustees = package && package->trustees.has_value();
    // The trustees bring their own key files and passphrases, after the verification.
    m_pass->Enable(!m_by_trustees);
    m_pass_label->Enable(!m_by_trustees);
    m_tally->SetLabel(m_by_trustees ? _("Verify, then the trustees decrypt") : _("Verify and tally"));
    m_tally->GetParent()->Layout();
    if (m_out->GetPath().empty()) m_out->SetPath(FromPath(dir / "results"));
}

app::TallyRequest TallyPanel::ReadRequest() const
{
    app::TallyRequest r;
    r.package = ToPath(m_package->GetPath());
    r.boxes = m_boxes->paths();
    r.key_folder = ToPath(m_keys->GetPath());
    r.out_folder = ToPath(m_out->GetPath());
    if (m_present_on->GetValue()) r.present = static_cast<std::uint32_t>(m_present->GetValue());
    return r;
}

void TallyPanel::Start(bool with_key)
{
    // A trustee's decryption reads the verified election that a new start would replace.
    if (busy() || m_trustees->busy()) return;
    PackageChosen();
    app::TallyRequest req = ReadRequest();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(req.package, ec)) {
        ShowError(this, _("Please choose the election package (election.pyp)."),
                  MakeError("file.read", req.package.string()));
        return;
    }
    if (req.boxes.empty()) {
        ShowError(this, _("Please add the ballot boxes exported from the kiosks."), MakeError("boxes.none", ""));
        return;
    }
    if (req.out_folder.empty()) {
        ShowError(this, _("Please choose where to save the results."), MakeError("output.folder", ""));
        return;
    }
    // Before the passphrase is taken: a malformed line stops everything, nothing is read.
    auto devices = m_devices->Read();
    if (!devices) return;
    req.expect_devices = std::move(devices).value();
    if (with_key && !m_by_trustees) {
        if (m_pass->GetValue().empty()) {
            ShowError(this, _("Please enter the passphrase of the election key."), MakeError("passphrase.missing", ""));
            m_pass->SetFocus();
            return;
        }
        req.passphrase = std::make_shared<SecretBytes>(SecretFromWx(m_pass->GetValue()));
        m_pass->ChangeValue(wxString());
    }
    m_last_request = req;
    m_checks->ShowPending(req.boxes.size(), /*with_results=*/!with_key);
    m_gauge->SetValue(0);
    m_phase->SetLabel(_("Reading the files..."));
    SetStatus(wxString());
    ShowPage(kOpen);
    m_task.Start<app::TallyOutcome>(
        [req, with_key](BackgroundTask& task) {
            const app::PhaseProgress progress = [&task](app::TallyPhase phase, std::size_t done, std::size_t total) {
                return task.Report(static_cast<int>(phase), done, total);
            };
            return with_key ? app::VerifyAndTally(req, progress) : app::OpenSavedResults(req, progress);
        },
        [this, with_key](app::TallyOutcome&& outcome) { Finished(std::move(outcome), with_key); });
    UpdateButtons();
}

void TallyPanel::OnProgress(int phase, std::size_t done, std::size_t total)
{
    if (!busy()) return;
    switch (static_cast<app::TallyPhase>(phase)) {
        case app::TallyPhase::Verifying:
            m_phase->SetLabel(wxString::Format(_("Verifying ballots: %zu of %zu"), done, total));
            break;
        case app::TallyPhase::OpeningKeys:
            m_phase->SetLabel(_("Opening the keys with the passphrase..."));
            break;
        case app::TallyPhase::Decrypting:
            m_phase->SetLabel(wxString::Format(_("Decrypting the sums: %zu of %zu"), done, total));
            break;
    }
    if (total > 0) {
        m_gauge->SetRange(static_cast<int>(std::min<std::size_t>(total, 1000000)));
        m_gauge->SetValue(static_cast<int>(std::min(done, total)));
    } else {
        m_gauge->Pulse();
    }
}

void TallyPanel::Finished(app::TallyOutcome&& outcome, bool with_key)
{
    (void)with_key;
    m_checks->ShowReport(outcome.audit.report);
    if (outcome.error && outcome.error->code == err::kTallyByTrustees) {
        // Every check passed and the key is the trustees': they decrypt in turn on their page.
        m_gauge->SetValue(m_gauge->GetRange());
        m_phase->SetLabel(_("Every check passed. The trustees decrypt now."));
        m_trustees->Begin(std::move(outcome), m_last_request);
        ShowPage(kTrustees);
        return;
    }
    if (outcome.error) {
        const Error e = *outcome.error;
        const bool cancelled = e.code == err::kVerifyCancelled || e.code == err::kTallyCancelled;
        m_gauge->SetValue(0);
        m_phase->SetLabel(cancelled ? _("Cancelled: nothing was decrypted.") : _("Stopped: nothing was decrypted."));
        UpdateButtons();
        if (!cancelled) ShowError(this, e);
        if (e.code == err::kKeyfilePassphrase) m_pass->SetFocus();
        return;
    }
    m_outcome = std::move(outcome);
    m_model.decisions = m_outcome->decisions;  // this election's, from its decisions.json
    m_gauge->SetValue(m_gauge->GetRange());
    m_phase->SetLabel(_("Every check passed."));
    m_sort_col = -1;
    FillResults();
    ShowPage(kResults);
    SetStatus(wxString::Format(_("The signed results were saved as %s."),
                               FromPath(m_last_request.out_folder / app::kResultsFile)));
    if (m_outcome->decisions_error) ShowError(this, *m_outcome->decisions_error);
}

void TallyPanel::FillResults()
{
    const auto& pkg = *m_outcome->audit.package;
    const auto& def = pkg.definition;
    const Results& r = *m_outcome->results;
    m_model.def = &def;
    m_model.results = &r;
    m_model.summary = Summarize(def, r);
    m_columns = ResultColumns(def);

    m_res_title->SetLabel(U8(def.title));
    m_res_test->SetLabel(def.test_mode ? _(" TEST evaluation: not an official result ") : wxString());
    m_res_test->Show(def.test_mode);
    wxString info = U8(def.organization) + "  " + U8(def.date) + "    " + _("Fingerprint:") + " " +
                    U8(ShortFingerprint(pkg.fingerprint)) + "\n";
    info += wxString::Format(_("Ballots: %u"), r.TotalBallots());
    for (std::size_t c = 0; c < def.categories.size(); ++c)
        info += wxString::Format(_(" | %s: %u of %u codes used"), U8(def.categories[c].name), r.attendance[c].used,
                                 r.attendance[c].issued);
    if (r.present) info += wxString::Format(_(" | present at the meeting: %u"), *r.present);
    if (r.groups.size() > 0) {
        info += "\n" + _("Tally groups:") + " ";
        for (std::size_t g = 0; g < r.groups.size(); ++g)
            info += (g ? _(", ") : wxString()) + U8(GroupLabel(def, r.groups[g])) +
                    wxString::Format(" (%u)", r.groups[g].ballots);
    }
    for (const auto& n : MergeNoteLines(def, r))
        info += "\n" + n;
    SetWrappedLabel(m_res_info, info, FromDIP(kWrap + 150));
    // Neither a missing kiosk's box nor a wrong attendance breaks a proof: say so plainly.
    wxString warning;
    if (r.boxes.size() < def.kiosks)
        warning = wxString::Format(wxPLURAL("This evaluation has %u kiosks but only %zu ballot box was tallied: add "
                                            "the box of every kiosk, or make sure the missing kiosk was not used.",
                                            "This evaluation has %u kiosks but only %zu ballot boxes were tallied: add "
                                            "the box of every kiosk, or make sure the missing kiosk was not used.",
                                            static_cast<unsigned>(r.boxes.size())),
                                   def.kiosks, r.boxes.size());
    if (r.present && *r.present != r.TotalBallots())
        warning += (warning.empty() ? "" : "\n") +
                   wxString::Format(_("The number present (%u) differs from the number of ballots (%u): check the "
                                      "attendance before announcing the results."),
                                    *r.present, r.TotalBallots());
    SetWrappedLabel(m_res_warning, warning, FromDIP(kWrap + 150));
    m_res_warning->Show(!warning.empty());
    FillGrid();
    if (!m_order.empty()) ShowMemberDetail(m_order[0]);
    UpdateButtons();
    m_book->GetPage(kResults)->Layout();
}

void TallyPanel::FillGrid()
{
    const auto& def = *m_model.def;
    if (m_sort_col < 0) {
        m_order.resize(def.roster.size());
        for (std::uint32_t i = 0; i < m_order.size(); ++i)
            m_order[i] = i;
    }
    m_grid->BeginBatch();
    if (m_grid->GetNumberRows() > 0) m_grid->DeleteRows(0, m_grid->GetNumberRows());
    if (m_grid->GetNumberCols() > 0) m_grid->DeleteCols(0, m_grid->GetNumberCols());
    m_grid->AppendCols(static_cast<int>(m_columns.size()));
    m_grid->AppendRows(static_cast<int>(m_order.size()));
    wxArrayString final_choices;
    final_choices.Add(_("(not decided)"));
    for (const auto& o : def.options)
        final_choices.Add(U8(o));
    m_col_labels.clear();
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        const auto& col = m_columns[c];
        const int ci = static_cast<int>(c);
        wxString label;
        auto* attr = new wxGridCellAttr;
        attr->SetReadOnly(true);
        switch (col.kind) {
            case ColumnKind::Index:
                label = _("No.");
                attr->SetAlignment(wxALIGN_RIGHT, wxALIGN_CENTRE);
                break;
            case ColumnKind::Name:
                label = _("Name");
                break;
            case ColumnKind::Count:
                // TRANSLATORS: column heading: an option, then "votes (share)" under it.
                label = U8(def.options[col.option]) + "\n" + _("votes (%)");
                attr->SetAlignment(wxALIGN_RIGHT, wxALIGN_CENTRE);
                break;
            case ColumnKind::Weighted:
                label = U8(def.options[col.option]) + "\n" + _("weighted");
                attr->SetAlignment(wxALIGN_RIGHT, wxALIGN_CENTRE);
                break;
            case ColumnKind::Suggested:
                label = _("Suggested\n参考等次");
                attr->SetAlignment(wxALIGN_CENTRE, wxALIGN_CENTRE);
                break;
            case ColumnKind::Final:
                label = _("Final grade\n组织评定");
                attr->SetReadOnly(false);
                attr->SetEditor(new wxGridCellChoiceEditor(final_choices));
                attr->SetAlignment(wxALIGN_CENTRE, wxALIGN_CENTRE);
                break;
            case ColumnKind::Remark:
                label = _("Remark\n备注");
                attr->SetReadOnly(false);
                break;
        }
        m_col_labels.push_back(label);
        if (ci == m_sort_col) label += m_sort_ascending ? wxString::FromUTF8(" ▲") : wxString::FromUTF8(" ▼");
        m_grid->SetColLabelValue(ci, label);
        m_grid->SetColAttr(ci, attr);
    }
    for (std::size_t row = 0; row < m_order.size(); ++row) {
        const std::uint32_t member = m_order[row];
        const int ri = static_cast<int>(row);
        for (std::size_t c = 0; c < m_columns.size(); ++c) {
            const auto& col = m_columns[c];
            const int ci = static_cast<int>(c);
            m_grid->SetCellValue(ri, ci, U8(CellText(m_model, member, col)));
            if (col.kind == ColumnKind::Suggested)
                m_grid->SetCellBackgroundColour(ri, ci, GradeColour(m_model.summary[member].suggested));
            if (col.kind == ColumnKind::Final) {
                const auto& g = m_model.decisions[member].grade;
                m_grid->SetCellBackgroundColour(ri, ci, g ? GradeColour(*g) : *wxWHITE);
            }
        }
    }
    if (m_sort_col >= 0) m_grid->SetSortingColumn(m_sort_col, m_sort_ascending);
    // Every column as wide as its text; the remark column takes what is left.
    m_grid->AutoSizeColumns(/*setAsMin=*/false);
    for (int c = 0; c + 1 < m_grid->GetNumberCols(); ++c)
        m_grid->SetColSize(c, m_grid->GetColSize(c) + FromDIP(6));
    FitRemarkColumn();
    m_grid->EndBatch();
    m_grid->ForceRefresh();
}

void TallyPanel::FitRemarkColumn()
{
    const int remark = m_grid->GetNumberCols() - 1;
    if (remark < 1) return;
    int used = 0;
    for (int c = 0; c < remark; ++c)
        used += m_grid->GetColSize(c);
    const int room = m_grid->GetClientSize().x - used - FromDIP(4);
    m_grid->SetColSize(remark, std::max(FromDIP(120), room));
}

void TallyPanel::ShowMemberDetail(std::uint32_t member)
{
    const auto& def = *m_model.def;
    const Results& r = *m_model.results;
    const auto& s = m_model.summary[member];
    wxString h = "<html><body><b>" + U8(def.roster[member].name) + "</b>";
    if (!def.roster[member].id.empty()) h += " (" + U8(def.roster[member].id) + ")";
    h += "&nbsp;&nbsp;" + _("Suggested grade:") + " <b>" + U8(def.options[s.suggested]) + "</b>";
    if (!s.suggestion_note.empty()) h += " (" + U8(s.suggestion_note) + ")";
    h += "<table border=\"1\" cellspacing=\"0\" cellpadding=\"2\"><tr><th>" + _("Voters") + "</th>";
    for (const auto& o : def.options)
        h += "<th>" + U8(o) + "</th>";
    h += "</tr>";
    for (std::size_t g = 0; g < r.groups.size(); ++g) {
        h += "<tr><td>" + U8(GroupLabel(def, r.groups[g])) + wxString::Format(" (%u)", r.groups[g].ballots) + "</td>";
        for (std::size_t o = 0; o < def.options.size(); ++o) {
            const double pct =
                r.groups[g].ballots ? 100.0 * static_cast<double>(s.counts[g][o]) / r.groups[g].ballots : 0;
            h += "<td align=\"right\">" + wxString::Format("%llu", static_cast<unsigned long long>(s.counts[g][o])) +
                 " (" + U8(FormatPercent(pct)) + ")</td>";
        }
        h += "</tr>";
    }
    h += "<tr><td><b>" + _("Weighted") + "</b></td>";
    for (std::size_t o = 0; o < def.options.size(); ++o)
        h += "<td align=\"right\"><b>" + U8(FormatPercent(s.weighted_percent[o])) + "</b></td>";
    h += "</tr></table></body></html>";
    m_detail->SetPage(h);
}

void TallyPanel::SortBy(int col)
{
    if (col < 0 || static_cast<std::size_t>(col) >= m_columns.size() || !has_results()) return;
    m_sort_ascending = m_sort_col == col ? !m_sort_ascending : true;
    m_sort_col = col;
    m_order = SortMembers(m_model, m_columns[static_cast<std::size_t>(col)], m_sort_ascending);
    FillGrid();
}

void TallyPanel::OnCellChanged(wxGridEvent& e)
{
    const int row = e.GetRow(), col = e.GetCol();
    if (row < 0 || static_cast<std::size_t>(row) >= m_order.size() || col < 0 ||
        static_cast<std::size_t>(col) >= m_columns.size())
        return;
    const std::uint32_t member = m_order[static_cast<std::size_t>(row)];
    FinalDecision d = m_model.decisions[member];
    const wxString value = m_grid->GetCellValue(row, col);
    if (m_columns[static_cast<std::size_t>(col)].kind == ColumnKind::Final) {
        d.grade.reset();
        for (std::uint32_t o = 0; o < m_model.def->options.size(); ++o)
            if (U8(m_model.def->options[o]) == value) d.grade = o;
    } else if (m_columns[static_cast<std::size_t>(col)].kind == ColumnKind::Remark) {
        d.remark = ToU8(value);
    } else {
        return;
    }
    SetDecision(member, d.grade, d.remark);
}

void TallyPanel::SetDecision(std::uint32_t member, std::optional<std::uint32_t> grade, const std::string& remark)
{
    if (!has_results() || member >= m_model.decisions.size()) return;
    auto& d = m_model.decisions[member];
    d.grade = grade && *grade < m_model.def->options.size() ? grade : std::nullopt;
    d.remark = remark.substr(0, 2000);
    for (std::size_t row = 0; row < m_order.size(); ++row) {
        if (m_order[row] != member) continue;
        for (std::size_t c = 0; c < m_columns.size(); ++c) {
            const auto kind = m_columns[c].kind;
            if (kind != ColumnKind::Final && kind != ColumnKind::Remark) continue;
            const int ri = static_cast<int>(row), ci = static_cast<int>(c);
            m_grid->SetCellValue(ri, ci, U8(CellText(m_model, member, m_columns[c])));
            if (kind == ColumnKind::Final)
                m_grid->SetCellBackgroundColour(ri, ci, d.grade ? GradeColour(*d.grade) : *wxWHITE);
        }
    }
    m_grid->ForceRefresh();
    if (Status s = app::SaveDecisions(m_last_request.out_folder, *m_outcome->audit.package, m_model.decisions); !s) {
        SetStatus(ErrorMessage(s.error()), true);
        ShowError(this, s.error());
        return;
    }
    std::size_t decided = 0;
    for (const auto& x : m_model.decisions)
        decided += x.grade ? 1 : 0;
    SetStatus(wxString::Format(_("Final grades recorded for %zu of %zu members (saved in %s)."), decided,
                               m_model.decisions.size(), FromPath(m_last_request.out_folder / app::kDecisionsFile)));
}

std::size_t TallyPanel::AcceptSuggestedGrades()
{
    if (!has_results() || busy()) return 0;
    std::size_t set = 0;
    for (std::size_t i = 0; i < m_model.decisions.size(); ++i) {
        const std::uint32_t suggested = m_model.summary[i].suggested;
        if (m_model.decisions[i].grade || suggested >= m_model.def->options.size()) continue;
        m_model.decisions[i].grade = suggested;
        ++set;
    }
    FillGrid();
    if (Status s = app::SaveDecisions(m_last_request.out_folder, *m_outcome->audit.package, m_model.decisions); !s) {
        SetStatus(ErrorMessage(s.error()), true);
        ShowError(this, s.error());
        return set;
    }
    std::size_t decided = 0;
    for (const auto& x : m_model.decisions)
        decided += x.grade ? 1 : 0;
    SetStatus(wxString::Format(_("Final grades recorded for %zu of %zu members (saved in %s)."), decided,
                               m_model.decisions.size(), FromPath(m_last_request.out_folder / app::kDecisionsFile)));
    return set;
}

std::string TallyPanel::PrintHtml() const
{
    if (!has_results()) return {};
    const auto& pkg = *m_outcome->audit.package;
    const auto& def = pkg.definition;
    std::vector<std::string> heading = {def.title};
    heading.push_back(def.organization + "  " + def.date + "  " + ToU8(_("Fingerprint:")) + " " +
                      ShortFingerprint(pkg.fingerprint));
    heading.push_back(ToU8(wxString::Format(_("Ballots: %u"), m_model.results->TotalBallots())));
    std::vector<std::string> headers;
    for (wxString label : m_col_labels) {
        label.Replace("\n", " ");
        headers.push_back(ToU8(label));
    }
    std::vector<std::string> notes;
    for (const auto& n : MergeNoteLines(def, *m_model.results))
        notes.push_back(ToU8(n));
    const std::string banner =
        def.test_mode ? ToU8(_(" TEST evaluation: not an official result ").Strip(wxString::both)) : std::string();
    return ResultsHtml(m_model, banner, heading, headers, m_order, notes);
}

wxFrame* TallyPanel::ShowPrintPreview()
{
    if (!has_results()) return nullptr;
    if (!m_printer) {
        m_printer = std::make_unique<wxHtmlEasyPrinting>(_("Results"), this);
        const wxString face = UiFaceName();
        if (!face.empty()) m_printer->SetFonts(face, face);
        m_printer->GetPrintData()->SetOrientation(wxLANDSCAPE);
    }
    m_printer->SetName(U8(m_model.def->title));
    if (!m_printer->PreviewText(U8(PrintHtml()))) return nullptr;
    for (wxWindow* w : wxTopLevelWindows)
        if (auto* preview = dynamic_cast<wxPreviewFrame*>(w)) return preview;
    return nullptr;
}

void TallyPanel::Export(const char* what)
{
    if (!has_results() || busy()) return;
    const std::string kind = what;
    if (kind == "letters") {
        // A letter without a final grade reads 待支部研究确定: say so before making them.
        std::size_t undecided = 0;
        for (const auto& d : m_model.decisions)
            undecided += d.grade ? 0 : 1;
        if (undecided > 0 &&
            !Hooks().confirm(this,
                             wxString::Format(wxPLURAL("%zu member has no final grade (组织评定) yet: that "
                                                       "letter will read 待支部研究确定. Export the letters anyway?",
                                                       "%zu members have no final grade (组织评定) yet: their "
                                                       "letters will read 待支部研究确定. Export the letters "
                                                       "anyway?",
                                                       static_cast<unsigned>(undecided)),
                                              undecided)))
            return;
    }
    const std::filesystem::path folder = m_last_request.out_folder;
    const std::vector<std::filesystem::path> boxes = m_last_request.boxes;
    const std::filesystem::path package = m_last_request.package;
    // The worker reads the package, results and summary of m_outcome/m_model, which do not
    // change while it runs (the buttons are disabled); the decisions are copied.
    const ElectionPackage* pkg = &*m_outcome->audit.package;
    const Audit* audit = &m_outcome->audit;
    const Results* results = &*m_outcome->results;
    auto decisions = m_model.decisions;
    SetStatus(_("Writing..."));
    m_task.Start<Result<std::filesystem::path>>(
        [=, decisions = std::move(decisions)](BackgroundTask&) -> Result<std::filesystem::path> {
            if (kind == "bundle") return app::WriteAuditBundle(folder, package, boxes, *audit);
            if (kind == "tracking") return app::WriteTrackingCodeList(*audit, folder);
            const app::Report report = kind == "xlsx"    ? app::Report::Workbook
                                       : kind == "sheet" ? app::Report::TallySheet
                                                         : app::Report::Letters;
            return app::WriteReport(report, *pkg, *results, decisions, folder);
        },
        [this](Result<std::filesystem::path>&& r) {
            UpdateButtons();
            if (!r) {
                SetStatus(ErrorMessage(r.error()), true);
                ShowError(this, r.error());
                return;
            }
            SetStatus(wxString::Format(_("Saved: %s"), FromPath(*r)));
        });
    UpdateButtons();
}

void TallyPanel::SetStatus(const wxString& text, bool error)
{
    m_status->SetForegroundColour(error ? wxColour(0xB0, 0x10, 0x10) : wxColour(0x1B, 0x5E, 0x20));
    SetWrappedLabel(m_status, text, FromDIP(kWrap + 150));
    if (auto* p = m_book->GetPage(kResults)) p->Layout();
}

}  // namespace pingyi::admin
