#include "admin/cli_io.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "core/catalog.hpp"
#include "core/font_locator.hpp"
#include "core/messages.hpp"

#ifdef _WIN32
#include <windows.h>
#else
#include <termios.h>
#include <unistd.h>
#endif

namespace pingyi::cli {

namespace {

// The longest passphrase line read (bytes of UTF-8); the rest of a longer line is dropped.
constexpr std::size_t kMaxPassphraseBytes = 1024;

// Reads one line with echo off, byte by byte, straight into the secret owner: no
// std::string or stream buffer ever holds the passphrase.
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
    SecretBytes buffer(kMaxPassphraseBytes);
    std::size_t n = 0;
    char c = 0;
    while (read(STDIN_FILENO, &c, 1) == 1 && c != '\n') {
        if (c != '\r' && n < buffer.size()) buffer.data()[n++] = static_cast<std::uint8_t>(c);
    }
    c = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
    return SecretBytes(ByteView(buffer.data(), n));
#else
    // The Windows console: echo off, UTF-16 read with ReadConsoleW, converted to UTF-8.
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD mode = 0;
    if (in == INVALID_HANDLE_VALUE || !GetConsoleMode(in, &mode))
        return MakeError("passphrase.missing", "no console to ask for the passphrase");
    std::cerr << prompt << std::flush;
    SetConsoleMode(in, (mode & ~static_cast<DWORD>(ENABLE_ECHO_INPUT)) | ENABLE_LINE_INPUT | ENABLE_PROCESSED_INPUT);
    SecretBytes wide(kMaxPassphraseBytes * sizeof(wchar_t));
    auto* w = reinterpret_cast<wchar_t*>(wide.data());
    const DWORD capacity = static_cast<DWORD>(kMaxPassphraseBytes);
    DWORD n = 0;
    wchar_t ch = 0;
    DWORD got = 0;
    while (ReadConsoleW(in, &ch, 1, &got, nullptr) && got == 1 && ch != L'\n') {
        if (ch != L'\r' && n < capacity) w[n++] = ch;
    }
    ch = 0;
    SetConsoleMode(in, mode);
    std::cerr << "\n";
    if (n == 0) return SecretBytes();
    const int bytes = WideCharToMultiByte(CP_UTF8, 0, w, static_cast<int>(n), nullptr, 0, nullptr, nullptr);
    if (bytes <= 0) return MakeError("passphrase.missing", "the passphrase could not be read");
    SecretBytes utf8(static_cast<std::size_t>(bytes));
    WideCharToMultiByte(CP_UTF8, 0, w, static_cast<int>(n), reinterpret_cast<char*>(utf8.data()), bytes, nullptr,
                        nullptr);
    return utf8;
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

namespace {

std::optional<bool> g_chinese;  // set by SetLanguage; else the environment decides

bool StartsWithZh(std::string_view v)
{
    return v.size() >= 2 && (v[0] == 'z' || v[0] == 'Z') && (v[1] == 'h' || v[1] == 'H');
}

// Whether the environment asks for Chinese.
bool EnvironmentIsChinese()
{
    // POSIX order: the first of these that is set and not empty wins.
    for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"})
        if (const char* v = std::getenv(var); v && *v) return StartsWithZh(v);
#ifdef _WIN32
    return PRIMARYLANGID(GetUserDefaultUILanguage()) == LANG_CHINESE;
#else
    return false;
#endif
}

bool Chinese()
{
    if (!g_chinese) g_chinese = EnvironmentIsChinese();
    return *g_chinese;
}

}  // namespace

bool ConsoleIsChinese()
{
    return Chinese();
}

void SetLanguage(std::string_view lang)
{
    g_chinese = StartsWithZh(lang);
}

std::string InWords(const Phrase& phrase)
{
    if (!Chinese()) return phrase.English();  // with the technical details, as auditors read them
#ifdef PINGYI_BUILD_LOCALE_DIR
    static const Catalog catalog = FindCatalog(kCoreCatalog, "zh_CN", ExecutableDir(), PINGYI_BUILD_LOCALE_DIR);
#else
    static const Catalog catalog = FindCatalog(kCoreCatalog, "zh_CN", ExecutableDir(), {});
#endif
    return phrase.Render([](std::string_view msgid) { return catalog.Translate(msgid); });
}

void Say(const Phrase& phrase)
{
    std::printf("%s\n", InWords(phrase).c_str());
}

void SayError(const Error& e)
{
    std::fprintf(stderr, "%s\n", InWords(Ph("error: {0} [{1}]", Phrase::ForError(e), e.code)).c_str());
    if (Chinese() && !e.detail.empty()) std::fprintf(stderr, "  (%s)\n", e.detail.c_str());
}

void SayWarning(const Phrase& phrase)
{
    std::fprintf(stderr, "%s\n", InWords(Ph("warning: {0}", phrase)).c_str());
}

}  // namespace pingyi::cli
