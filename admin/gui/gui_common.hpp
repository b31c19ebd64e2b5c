// What every screen of the admin tool shares: the glue's text conversions, the UI font, grade colours,
// the error dialog, and the hooks that tests put in place of modal and native dialogs.
#pragma once

#include <wx/wx.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/result.hpp"
#include "gui/text.hpp"

class wxListCtrl;

namespace pingyi::admin {

// Text and paths between wx and core (gui/text.hpp): never through the C locale.
using gui::FromPath;
using gui::SecretFromWx;
using gui::ToPath;
using gui::ToU8;
using gui::U8;

// The face set explicitly ("WenQuanYi Micro Hei" on Linux, "Microsoft YaHei" on Windows):
// with several Chinese fonts installed, fontconfig may otherwise pick a serif one. Empty
// when none of the candidates is installed: the system's default face is used then.
wxString UiFaceName();
// The UI font, `scale` times the system's size.
wxFont UiFont(double scale = 1.0, wxFontWeight weight = wxFONTWEIGHT_NORMAL);

// Colours with meaning: a passed check, a failed one, a warning, one not run, test-mode banners.
wxColour PassColour();
wxColour FailColour();
wxColour WarningColour();
wxColour PendingColour();
wxColour TestColour();
// The background of a grade cell: 优秀 green … 不合格 red; an option past the four grades
// (不了解) is grey. `option` is the option index in the default order.
wxColour GradeColour(std::uint32_t option);

// Dialogs tests cannot drive (modal loops, native GTK choosers) go through these hooks.
struct UiHooks {
    // Shows an error; the default is a modal ErrorDialog.
    std::function<void(wxWindow* parent, const wxString& message, const Error& error)> show_error;
    // Asks for one or more existing files; the default is a native wxFileDialog.
    std::function<std::vector<std::filesystem::path>(wxWindow* parent, const wxString& title, const wxString& wildcard)>
        choose_files;
    // Opens a file or folder in the system's viewer; false if no program could open it.
    std::function<bool(const std::filesystem::path& path)> open_path;
    // Asks a yes/no question before going on; the default is a modal message box whose
    // default answer is No. True: go on.
    std::function<bool(wxWindow* parent, const wxString& question)> confirm;
};
UiHooks& Hooks();
// Opens `path` with Hooks().open_path; if nothing can open it (no PDF viewer installed),
// says where the file is instead of doing nothing.
void OpenOrShowWhere(wxWindow* parent, const std::filesystem::path& path);

// An error in plain words (the translated message for its code) with the technical detail
// folded away underneath, for whoever helps the secretary.
void ShowError(wxWindow* parent, const Error& error);
void ShowError(wxWindow* parent, const wxString& message, const Error& error);

class ErrorDialog : public wxDialog {
  public:
    ErrorDialog(wxWindow* parent, const wxString& message, const Error& error);
};

// A static text that wraps to its parent's width (re-wrapped when the label changes).
void SetWrappedLabel(wxStaticText* text, const wxString& label, int width);

// A bold heading for a screen.
wxStaticText* MakeHeading(wxWindow* parent, const wxString& name, double scale = 1.5);
// An empty static text with a name (tests find controls by name); ApplyLabels fills it.
wxStaticText* MakeText(wxWindow* parent, const wxString& name);
// The column headings of a report-style list, in the current language.
void SetListHeadings(wxListCtrl* list, const std::vector<wxString>& heads);

}  // namespace pingyi::admin
