#include "admin/cli_io.hpp"

#include <cstdlib>
#include <iostream>

#ifndef _WIN32
#include <termios.h>
#include <unistd.h>
#endif

#include "core/file_io.hpp"

namespace pingyi::cli {

Result<Bytes> ReadFile(const std::filesystem::path& p)
{
    auto data = ReadWholeFile(p);
    if (!data) return MakeError("file.read", "cannot read " + p.string() + " (无法读取文件)");
    return data;
}

Status WriteFile(const std::filesystem::path& p, ByteView data, bool secret)
{
    return WriteFileAtomic(p, data, secret ? FileAccess::kOwnerOnly : FileAccess::kDefault);
}

namespace {

Result<SecretBytes> PromptOnce(const char* prompt)
{
#ifndef _WIN32
    if (!isatty(STDIN_FILENO)) return MakeError("passphrase.missing", "no terminal to ask for the passphrase");
    std::cerr << prompt << std::flush;
    termios old{};
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::string line;
    std::getline(std::cin, line);
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
    SecretBytes out = SecretBytes::FromString(line);
    std::fill(line.begin(), line.end(), '\0');
    return out;
#else
    (void)prompt;
    return MakeError("passphrase.missing", "pass the passphrase through an environment variable on Windows");
#endif
}

}  // namespace

Result<SecretBytes> ReadPassphrase(const std::string& env_var, const char* prompt, bool confirm)
{
    if (!env_var.empty()) {
        const char* v = std::getenv(env_var.c_str());
        if (v == nullptr || *v == '\0')
            return MakeError("passphrase.missing", "the environment variable " + env_var + " is not set");
        return SecretBytes::FromString(v);
    }
    auto first = PromptOnce(prompt);
    if (!first || !confirm) return first;
    auto second = PromptOnce("Repeat / 再次输入: ");
    if (!second) return second;
    if (!first->Equals(second->view()))
        return MakeError("passphrase.mismatch", "the two passphrases differ (两次输入不一致)");
    return first;
}

}  // namespace pingyi::cli
