// Console helpers of the pingyi tool: the passphrase prompt (files: app/files.hpp).
#pragma once

#include <filesystem>
#include <string>

#include "app/files.hpp"
#include "crypto/result.hpp"
#include "crypto/secret.hpp"

namespace pingyi::cli {

using app::ReadFile;
using app::WriteFile;
// From the environment variable `env_var` if given, else a no-echo prompt on the terminal
// (asked twice when `confirm`). Fails if neither is available.
Result<SecretBytes> ReadPassphrase(const std::string& env_var, const char* prompt, bool confirm);

}  // namespace pingyi::cli
