// Text and paths between wxWidgets and the rest of Pingyi. Core's text is UTF-8 and its paths
// are std::filesystem::path; a wxString is converted explicitly, never through the C locale
// (in the "C" locale a narrow Chinese literal becomes an empty wxString).
#pragma once

#include <wx/string.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "crypto/secret.hpp"

namespace pingyi::gui {

// UTF-8 from core (names, titles, codes, message ids) to a wxString.
inline wxString U8(std::string_view s)
{
    return wxString::FromUTF8(s.data(), s.size());
}
// A wxString as UTF-8, for core.
std::string ToU8(const wxString& s);

// A path typed or chosen in a widget, and back: UTF-16 on Windows, UTF-8 elsewhere.
std::filesystem::path ToPath(const wxString& s);
wxString FromPath(const std::filesystem::path& p);

// What was typed into a PIN or passphrase field, as UTF-8 in the secret owner; the
// temporary UTF-8 buffer is wiped (wx's own copy in the widget cannot be).
SecretBytes SecretFromWx(const wxString& s);

}  // namespace pingyi::gui
