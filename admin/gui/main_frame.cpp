#include "admin/gui/main_frame.hpp"

#include <wx/display.h>
#include <wx/simplebook.h>

#include "admin/gui/election_panel.hpp"
#include "admin/gui/gui_common.hpp"
#include "admin/gui/home_panel.hpp"
#include "admin/gui/tally_panel.hpp"
#include "admin/gui/verify_panel.hpp"

namespace pingyi::admin {
namespace {

enum MenuId { kIdHome = wxID_HIGHEST + 1, kIdChinese, kIdEnglish };

}  // namespace

MainFrame::MainFrame(std::function<void(Language)> on_language)
    : wxFrame(nullptr, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize), m_on_language(std::move(on_language))
{
    SetName("frame");
    // Children inherit the font set before they are made: the explicit Chinese face.
    SetFont(UiFont());
    SetBackgroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOW));
    m_book = new wxSimplebook(this, wxID_ANY);
    auto go_home = [this] { ShowScreen(kHome); };
    m_home = new HomePanel(m_book, [this](HomePanel::Job job) {
        ShowScreen(job == HomePanel::kNewElection ? kNewElection : job == HomePanel::kTally ? kTally : kVerify);
    });
    m_election = new ElectionPanel(m_book, go_home);
    m_tally = new TallyPanel(m_book, go_home);
    m_verify = new VerifyPanel(m_book, go_home);
    m_book->AddPage(m_home, wxString());
    m_book->AddPage(m_election, wxString());
    m_book->AddPage(m_tally, wxString());
    m_book->AddPage(m_verify, wxString());
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(m_book, 1, wxEXPAND);
    SetSizer(s);
    BuildMenu();
    ApplyLabels();
    FitScreen();
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { ShowScreen(kHome); }, kIdHome);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { SwitchLanguage(Language::Chinese); }, kIdChinese);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { SwitchLanguage(Language::English); }, kIdEnglish);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { Close(); }, wxID_EXIT);
}

void MainFrame::FitScreen()
{
    // 1180 x 820 where there is room, never more than the screen's working area (a laptop's
    // 1366 x 768 less its taskbar, a projector's 1280 x 720): the pages scroll instead.
    const int index = wxDisplay::GetFromWindow(this);
    const wxRect area = wxDisplay(index == wxNOT_FOUND ? 0u : static_cast<unsigned>(index)).GetClientArea();
    wxSize size = FromDIP(wxSize(1180, 820));
    wxSize min = FromDIP(wxSize(900, 600));
    size.DecTo(area.GetSize());
    min.DecTo(area.GetSize());
    SetMinSize(min);
    SetSize(size);
}

void MainFrame::BuildMenu()
{
    auto* bar = new wxMenuBar;
    auto* file = new wxMenu;
    file->Append(kIdHome, _("&Home\tCtrl+H"));
    file->AppendSeparator();
    file->Append(wxID_EXIT, _("&Quit\tCtrl+Q"));
    auto* view = new wxMenu;
    auto* lang = new wxMenu;
    lang->AppendRadioItem(kIdChinese, wxString::FromUTF8("中文"));
    lang->AppendRadioItem(kIdEnglish, "English");
    lang->Check(CurrentLanguage() == Language::Chinese ? kIdChinese : kIdEnglish, true);
    view->AppendSubMenu(lang, _("&Language"));
    bar->Append(file, _("&File"));
    bar->Append(view, _("&View"));
    wxMenuBar* old = GetMenuBar();
    SetMenuBar(bar);
    delete old;
}

void MainFrame::ApplyLabels()
{
    SetTitle(_("Pingyi evaluation administration"));
    m_home->ApplyLabels();
    m_election->ApplyLabels();
    m_tally->ApplyLabels();
    m_verify->ApplyLabels();
    Layout();
}

void MainFrame::SwitchLanguage(Language lang)
{
    InstallLanguage(lang);
    BuildMenu();
    ApplyLabels();
    if (m_on_language) m_on_language(lang);
}

void MainFrame::ShowScreen(Screen screen)
{
    if (screen == kNewElection) m_election->Enter();
    m_book->ChangeSelection(static_cast<std::size_t>(screen));
    m_book->GetCurrentPage()->Layout();
}

MainFrame::Screen MainFrame::screen() const
{
    return static_cast<Screen>(m_book->GetSelection());
}

}  // namespace pingyi::admin
