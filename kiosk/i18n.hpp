// The kiosk's languages: Simplified Chinese by default, English on request. Strings are
// marked with _() (English msgids, domain "pingyi-kiosk"); the core's error sentences come
// from the domain "pingyi-core" (core/messages.hpp). No OS locale is needed: the catalogs
// are loaded by hand from the first of the lookup directories that has them.
#pragma once

#include <wx/string.h>

#include <string>
#include <string_view>

#include "crypto/result.hpp"
#include "gui/text.hpp"

namespace pingyi::kiosk {

enum class Language { Chinese, English };

// The glue's conversions (gui/text.hpp), used unqualified by every screen.
using gui::FromPath;
using gui::SecretFromWx;
using gui::ToPath;
using gui::U8;

// Adds the directories where <lang>/LC_MESSAGES/<domain>.mo are looked for: next to the
// program (locale/, ../share/locale/) and the build tree's. Call once at start.
void AddCatalogLookupPaths(const wxString& program_path);

// Installs a fresh wxTranslations for `language` with the kiosk and core catalogs. Returns
// false if Chinese was asked for and the kiosk catalog was not found (the screens then show
// English).
bool UseLanguage(Language language);

// The translated sentence for an error code of core (docs/formats.md "Error codes").
wxString ErrorText(const Error& error);

// An option's label (the election's own text, e.g. 优秀) and, in English, its English name
// when it is one of the default options; else empty.
wxString OptionGloss(const std::string& option, Language language);

}  // namespace pingyi::kiosk
