// Console helpers of the pingyi tool: the passphrase prompt (files: app/files.hpp).
#pragma once

#include <filesystem>
#include <string>

#include "app/files.hpp"
#include "core/phrase.hpp"
#include "crypto/result.hpp"
#include "crypto/secret.hpp"

namespace pingyi::cli {

using app::ReadFile;
using app::WriteFile;
// From the environment variable `env_var` if given, else a no-echo prompt on the terminal
// (asked twice when `confirm`). Fails if neither is available.
Result<SecretBytes> ReadPassphrase(const std::string& env_var, const char* prompt, bool confirm);

// The language of what the console says in sentences (check lines): "zh_CN" or "en".
// SetLanguage takes --lang ("zh", "zh_CN", "en", …; anything else is English); without it
// the environment decides (LC_ALL, LC_MESSAGES, LANG starting "zh"; on Windows the user's
// display language).
void SetLanguage(std::string_view lang);
// A phrase in the console's language: the core catalog (pingyi-core.mo, found beside the
// executable or in the build tree) for Chinese; otherwise English with the technical details
// of errors (Phrase::English).
[[nodiscard]] std::string InWords(const Phrase& phrase);
// True when the console speaks Chinese (SetLanguage or the environment).
[[nodiscard]] bool ConsoleIsChinese();
// One line of output in the console's language, on stdout.
void Say(const Phrase& phrase);
// An error on stderr: "error: <the sentence> [code]"; in English the sentence is the technical
// detail, in Chinese the translated sentence followed by the detail on its own line (for
// whoever supports the branch: file names, line numbers).
void SayError(const Error& e);
// A warning on stderr, in the console's language.
void SayWarning(const Phrase& phrase);

}  // namespace pingyi::cli
