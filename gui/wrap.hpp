// Line breaking for labels in Chinese and English, shared by the kiosk and pingyi-admin.
#pragma once

#include <wx/font.h>
#include <wx/string.h>

namespace pingyi::gui {

// Wraps `text` to `width` pixels in `font`: at spaces, and between any two Chinese
// characters (wxStaticText::Wrap breaks only at spaces, so Chinese would run off the
// screen). Closing punctuation never starts a line, opening punctuation never ends one.
wxString WrapText(const wxString& text, const wxFont& font, int width);

}  // namespace pingyi::gui
