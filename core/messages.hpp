// What a person is told when something fails: every stable error code of docs/formats.md
// ("Error codes") mapped to one English sentence. The sentence is a gettext msgid of the
// catalog "pingyi-core" (assets/po/core/); the kiosk and admin GUIs translate it with their
// own gettext (wxGetTranslation(msgid, "pingyi-core")), so core/ stays free of widgets and
// of any translation library. Error.detail stays English, for logs and the console.
#pragma once

#include <span>
#include <string_view>

namespace pingyi {

// The gettext domain of the sentences below.
inline constexpr std::string_view kCoreCatalog = "pingyi-core";

// The sentence for codes this table does not know (new or misspelt codes).
inline constexpr std::string_view kGenericErrorMessageId = "Something went wrong. Please ask the staff for help.";

// The msgid for `code`, e.g. "session.code_used" -> "This code has already been used.".
// Never empty; kGenericErrorMessageId for an unknown code. The sentences carry no
// placeholders: a GUI that has more to say (the option of a full quota, the row of a bad
// roster line) adds it in its own words.
[[nodiscard]] std::string_view ErrorMessageId(std::string_view code);

// Every code that has its own sentence, in the order of docs/formats.md, for tests and
// catalog checks.
[[nodiscard]] std::span<const std::string_view> KnownErrorCodes();

}  // namespace pingyi
