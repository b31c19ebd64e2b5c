#include "admin/gui/gui_common.hpp"

#include "gui/wrap.hpp"

#include <wx/artprov.h>
#include <wx/collpane.h>
#include <wx/filedlg.h>
#include <wx/fontenum.h>
#include <wx/listctrl.h>
#include <wx/msgdlg.h>
#include <wx/statline.h>
#include <wx/utils.h>

#include "admin/gui/i18n.hpp"
#include "admin/gui/results_table.hpp"

namespace pingyi::admin {

wxString UiFaceName()
{
    static const wxString face = [] {
#ifdef _WIN32
        const wxString candidates[] = {"Microsoft YaHei", "Microsoft YaHei UI", "SimHei"};
#else
        const wxString candidates[] = {"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Droid Sans Fallback"};
#endif
        for (const auto& c : candidates)
            if (wxFontEnumerator::IsValidFacename(c)) return c;
        return wxString();
    }();
    return face;
}

wxFont UiFont(double scale, wxFontWeight weight)
{
    wxFont font = wxSystemSettings::GetFont(wxSYS_DEFAULT_GUI_FONT);
    const wxString face = UiFaceName();
    if (!face.empty()) font.SetFaceName(face);
    font.SetFractionalPointSize(font.GetFractionalPointSize() * scale);
    font.SetWeight(weight);
    return font;
}

wxColour PassColour()
{
    return {0xD5, 0xF0, 0xD5};
}
wxColour FailColour()
{
    return {0xF8, 0xCF, 0xCC};
}
wxColour WarningColour()
{
    return {0xFC, 0xEB, 0xB6};
}
wxColour PendingColour()
{
    return {0xEE, 0xEE, 0xEE};
}
wxColour TestColour()
{
    return {0xF5, 0x9E, 0x0B};
}

wxColour GradeColour(std::uint32_t option)
{
    return wxColour(GradeHex(option));
}

namespace {

std::vector<std::filesystem::path> NativeChooseFiles(wxWindow* parent, const wxString& title, const wxString& wildcard)
{
    wxFileDialog dlg(parent, title, wxString(), wxString(), wildcard, wxFD_OPEN | wxFD_FILE_MUST_EXIST | wxFD_MULTIPLE);
    std::vector<std::filesystem::path> out;
    if (dlg.ShowModal() != wxID_OK) return out;
    wxArrayString paths;
    dlg.GetPaths(paths);
    for (const auto& p : paths)
        out.push_back(ToPath(p));
    return out;
}

}  // namespace

UiHooks& Hooks()
{
    static UiHooks hooks{
        [](wxWindow* parent, const wxString& message, const Error& error) {
            ErrorDialog dlg(parent, message, error);
            dlg.ShowModal();
        },
        NativeChooseFiles,
        [](const std::filesystem::path& p) { return wxLaunchDefaultApplication(FromPath(p)); },
        [](wxWindow* parent, const wxString& question) {
            wxMessageDialog dlg(parent, question, _("Please confirm"), wxYES_NO | wxNO_DEFAULT | wxICON_WARNING);
            return dlg.ShowModal() == wxID_YES;
        },
    };
    return hooks;
}

void OpenOrShowWhere(wxWindow* parent, const std::filesystem::path& path)
{
    if (Hooks().open_path(path)) return;
    Hooks().show_error(
        parent, wxString::Format(_("No program on this computer can open it. The file is here:\n%s"), FromPath(path)),
        MakeError("open.no_viewer", "no program could open " + path.string()));
}

void ShowError(wxWindow* parent, const Error& error)
{
    ShowError(parent, ErrorMessage(error), error);
}

void ShowError(wxWindow* parent, const wxString& message, const Error& error)
{
    Hooks().show_error(parent, message, error);
}

ErrorDialog::ErrorDialog(wxWindow* parent, const wxString& message, const Error& error)
    : wxDialog(parent, wxID_ANY, _("Something went wrong"), wxDefaultPosition, wxDefaultSize,
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER)
{
    SetName("error-dialog");
    SetFont(UiFont());
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    row->Add(new wxStaticBitmap(this, wxID_ANY, wxArtProvider::GetBitmap(wxART_ERROR, wxART_MESSAGE_BOX)), 0, wxALL,
             12);
    auto* text = new wxStaticText(this, wxID_ANY, message);
    text->SetName("error-message");
    text->SetFont(UiFont(1.2));
    text->Wrap(FromDIP(460));
    row->Add(text, 1, wxALL | wxALIGN_CENTER_VERTICAL, 12);
    top->Add(row, 0, wxEXPAND);
    auto* pane = new wxCollapsiblePane(this, wxID_ANY, _("Technical details (for whoever helps you)"));
    auto* detail = new wxStaticText(pane->GetPane(), wxID_ANY, U8(error.code + "\n" + error.detail));
    detail->SetName("error-detail");
    detail->Wrap(FromDIP(460));
    auto* pane_sizer = new wxBoxSizer(wxVERTICAL);
    pane_sizer->Add(detail, 1, wxEXPAND | wxALL, 4);
    pane->GetPane()->SetSizer(pane_sizer);
    top->Add(pane, 0, wxEXPAND | wxLEFT | wxRIGHT, 12);
    auto* ok = new wxButton(this, wxID_OK, _("OK"));
    ok->SetDefault();
    top->Add(ok, 0, wxALIGN_RIGHT | wxALL, 12);
    SetSizerAndFit(top);
    SetMinSize(wxSize(FromDIP(520), -1));
    Fit();
    CentreOnParent();
}

void SetWrappedLabel(wxStaticText* text, const wxString& label, int width)
{
    // Broken between Chinese characters too: wxStaticText::Wrap breaks only at spaces, which
    // left a long Chinese sentence running off the page.
    text->SetLabelText(width > 0 ? gui::WrapText(label, text->GetFont(), width) : label);
}

wxStaticText* MakeText(wxWindow* parent, const wxString& name)
{
    auto* t = new wxStaticText(parent, wxID_ANY, wxString());
    t->SetName(name);
    return t;
}

void SetListHeadings(wxListCtrl* list, const std::vector<wxString>& heads)
{
    for (std::size_t c = 0; c < heads.size(); ++c) {
        wxListItem item;
        item.SetMask(wxLIST_MASK_TEXT);
        item.SetText(heads[c]);
        list->SetColumn(static_cast<int>(c), item);
    }
}

wxStaticText* MakeHeading(wxWindow* parent, const wxString& name, double scale)
{
    auto* t = new wxStaticText(parent, wxID_ANY, wxString());
    t->SetName(name);
    t->SetFont(UiFont(scale, wxFONTWEIGHT_BOLD));
    return t;
}

}  // namespace pingyi::admin
