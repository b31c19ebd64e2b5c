// Console helpers of the pingyi tool: files, passphrase prompts.
#pragma once

#include <filesystem>
#include <string>

#include "crypto/result.hpp"
#include "crypto/secret.hpp"

namespace pingyi::cli {

Result<Bytes> ReadFile(const std::filesystem::path& p);
// Writes to a temporary name and renames; `secret` files get owner-only permissions.
Status WriteFile(const std::filesystem::path& p, ByteView data, bool secret);
// From the environment variable `env_var` if given, else a no-echo prompt on the terminal
// (asked twice when `confirm`). Fails if neither is available.
Result<SecretBytes> ReadPassphrase(const std::string& env_var, const char* prompt, bool confirm);

}  // namespace pingyi::cli
