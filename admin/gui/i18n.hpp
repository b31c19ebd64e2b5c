// Languages of the admin tool: Chinese by default, English selectable at run time. Strings
// are marked with _() (English msgids) and translated by the gettext catalogs
// "pingyi-admin" (assets/po/admin) and "pingyi-core" (error messages, assets/po/core).
#pragma once

#include <wx/string.h>

#include <nlohmann/json.hpp>

#include <string_view>

#include "core/phrase.hpp"
#include "crypto/result.hpp"

namespace pingyi::admin {

enum class Language { Chinese, English };

// Installs a fresh wxTranslations for `lang`; windows then re-apply their labels.
void InstallLanguage(Language lang);
Language CurrentLanguage();

// The error in plain words, in the current language: the admin tool's own codes first,
// then the core's catalog; the English detail is never the message.
wxString ErrorMessage(const Error& error);
// The friendly name of a verification check ("box.state" → "signed ballot count and set").
wxString CheckName(std::string_view id);
// One entry of a box's event log (formats.md §4.10) in the reader's words: what happened,
// and its details (the reason of a refused code, how many ballots at closing, …).
wxString EventName(std::string_view event, bool ok = true);
wxString EventDetail(const nlohmann::json& body);
// A kiosk's time as written in its log ("2026-12-05T03:36:29Z", UTC) in this computer's
// local time and the reader's words ("2026年12月5日 11:36:29"); the text as it is when it is
// not such a time.
wxString LocalTimeInWords(std::string_view utc);
// A core phrase (a check line's detail) in the current language, through the core catalog.
wxString InWords(const Phrase& phrase);
// What a roster issue is about, without the English of its detail: the line ("第 7 行") and
// the quoted text it names ("“部门”"), if any; empty when the detail names neither.
wxString DetailInWords(std::string_view detail);

}  // namespace pingyi::admin
