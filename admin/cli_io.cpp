#include "admin/cli_io.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

#ifndef _WIN32
#include <termios.h>
#include <unistd.h>
#endif

namespace pingyi::cli {

Result<Bytes> ReadFile(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    if (!in) return MakeError("file.read", "cannot read " + p.string() + " (无法读取文件)");
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

Status WriteFile(const std::filesystem::path& p, ByteView data, bool secret)
{
    const std::filesystem::path tmp = p.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return MakeError("file.write", "cannot write " + p.string() + " (无法写入文件)");
        if (secret) {
            std::error_code ec;
            std::filesystem::permissions(tmp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                         std::filesystem::perm_options::replace, ec);
        }
        out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
        out.flush();
        if (!out) {
            std::filesystem::remove(tmp);
            return MakeError("file.write", "cannot write " + p.string() + " (disk full? 磁盘已满?)");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, p, ec);
    if (ec) return MakeError("file.write", "cannot write " + p.string() + ": " + ec.message());
    return Status::Ok();
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
