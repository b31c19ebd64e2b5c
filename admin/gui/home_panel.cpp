#include "admin/gui/home_panel.hpp"

#include "admin/gui/gui_common.hpp"

namespace pingyi::admin {

HomePanel::HomePanel(wxWindow* parent, std::function<void(Job)> go) : wxPanel(parent, wxID_ANY), m_go(std::move(go))
{
    SetName("home");
    auto* top = new wxBoxSizer(wxVERTICAL);
    m_title = MakeHeading(this, "home.title", 2.0);
    m_subtitle = new wxStaticText(this, wxID_ANY, wxString());
    m_subtitle->SetFont(UiFont(1.15));
    top->Add(m_title, 0, wxLEFT | wxTOP, 40);
    top->AddSpacer(8);
    top->Add(m_subtitle, 0, wxLEFT, 40);
    top->AddSpacer(20);
    const char* names[] = {"home.new", "home.tally", "home.verify"};
    auto* grid = new wxFlexGridSizer(2, 24, 24);
    grid->AddGrowableCol(1);
    for (int i = 0; i < 3; ++i) {
        m_buttons[i] = new wxButton(this, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(300), FromDIP(78)));
        m_buttons[i]->SetName(names[i]);
        m_buttons[i]->SetFont(UiFont(1.5, wxFONTWEIGHT_BOLD));
        m_texts[i] = new wxStaticText(this, wxID_ANY, wxString());
        m_texts[i]->SetFont(UiFont(1.1));
        grid->Add(m_buttons[i], 0);
        grid->Add(m_texts[i], 1, wxALIGN_CENTER_VERTICAL);
        m_buttons[i]->Bind(wxEVT_BUTTON, [this, i](wxCommandEvent&) { m_go(static_cast<Job>(i)); });
    }
    top->Add(grid, 0, wxEXPAND | wxLEFT | wxRIGHT, 40);
    top->AddStretchSpacer();
    m_footer = new wxStaticText(this, wxID_ANY, wxString());
    m_footer->SetForegroundColour(wxColour(0x60, 0x60, 0x60));
    top->Add(m_footer, 0, wxALL, 40);
    SetSizer(top);
    ApplyLabels();
}

void HomePanel::ApplyLabels()
{
    m_title->SetLabel(_("Pingyi: democratic evaluation of members"));
    m_subtitle->SetLabel(_("The secretary's tool: before the meeting, after the meeting, and for the auditors."));
    m_buttons[0]->SetLabel(_("New evaluation"));
    m_buttons[1]->SetLabel(_("Tally"));
    m_buttons[2]->SetLabel(_("Verify only"));
    SetWrappedLabel(m_texts[0],
                    _("Before the meeting: import the roster, set the grades, voters and rules, create the key, "
                      "the signed package for the kiosk and the voting-code slips."),
                    FromDIP(620));
    SetWrappedLabel(m_texts[1],
                    _("After the meeting: verify the ballot boxes, count the votes, record the branch's final "
                      "grades, export the reports and the notification letters."),
                    FromDIP(620));
    SetWrappedLabel(m_texts[2],
                    _("For auditors and the upper-level committee: check the public files, with no key. Every "
                      "check is listed."),
                    FromDIP(620));
    SetWrappedLabel(m_footer,
                    _("Language: menu View > Language. Nobody, not even this tool, can see how anyone voted: only "
                      "the sums are decrypted."),
                    FromDIP(900));
    Layout();
}

}  // namespace pingyi::admin
