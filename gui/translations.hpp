// The gettext catalogs of a GUI, without any OS locale: each program has its own domain
// ("pingyi-kiosk", "pingyi-admin", English msgids) and both share the core's error sentences
// (domain "pingyi-core", core/messages.hpp). The catalogs <lang>/LC_MESSAGES/<domain>.mo are
// looked for next to the program and in the build tree.
#pragma once

#include <wx/string.h>

#include <string_view>

namespace pingyi::gui {

// Adds the directories where the catalogs are looked for: <program_dir>/locale,
// <program_dir>/../share/locale and the build tree's. Call once per process.
void AddCatalogLookupPaths(const wxString& program_dir);

enum class WxCatalog { kWithout, kWith };
// Installs a fresh wxTranslations for `language` ("zh_CN", "en"): wx's own strings if asked
// (where wx3.2-i18n is installed), then the program's `domain`, then the core's catalog.
// True if both of ours were found (English needs none: the msgids are English).
bool InstallTranslations(const wxString& language, const wxString& domain, WxCatalog wx_catalog);

// A message id of the core (an error sentence, a check line's template) in the current language.
wxString CoreText(std::string_view msgid);

}  // namespace pingyi::gui
