// pingyi-admin: the wx application. Chinese by default; `--lang=en` or the View > Language
// menu (remembered) for English.
#include <wx/config.h>

#include <wx/uilocale.h>
#include <wx/wx.h>
#include <cstdio>
#include <cstdlib>
#include <string>

#ifdef _WIN32
#include <wx/msw/wrapwin.h>  // windows.h as wx wants it
#endif

#include "admin/gui/i18n.hpp"
#include "admin/gui/main_frame.hpp"
#include "crypto/init.hpp"

namespace pingyi::admin {

// Prints `text` (UTF-8). A Windows GUI program has no console of its own: it writes to the
// console of the command prompt that started it (AttachConsole), or to where its output is
// redirected; started from Explorer, it shows the text in a message box instead.
void ShowHelp(const char* text)
{
#ifdef _WIN32
    const HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    bool have_out = out != nullptr && out != INVALID_HANDLE_VALUE && GetFileType(out) != FILE_TYPE_UNKNOWN;
    if (!have_out && AttachConsole(ATTACH_PARENT_PROCESS)) {
        have_out = std::freopen("CONOUT$", "w", stdout) != nullptr;
        SetConsoleOutputCP(CP_UTF8);
    }
    if (!have_out) {
        const int n = MultiByteToWideChar(CP_UTF8, 0, text, -1, nullptr, 0);
        std::wstring wide(static_cast<std::size_t>(n > 0 ? n : 1), L'\0');
        MultiByteToWideChar(CP_UTF8, 0, text, -1, wide.data(), n);
        MessageBoxW(nullptr, wide.c_str(), L"pingyi-admin", MB_OK | MB_ICONINFORMATION);
        return;
    }
#endif
    std::fputs(text, stdout);
    std::fflush(stdout);
}

class AdminApp : public wxApp {
  public:
    // --help is answered before wx opens the display (none is needed to read it).
    bool Initialize(int& arg_count, wxChar** args) override
    {
        for (int i = 1; i < arg_count; ++i) {
            const wxString arg(args[i]);
            if (arg == "--help" || arg == "-h" || arg == "/?") {
                ShowHelp(
                    "Usage: pingyi-admin [--lang=zh_CN|--lang=en]\n"
                    "The branch secretary's program (评议管理工具): create an evaluation, tally the votes\n"
                    "after the meeting, and verify the public files. Chinese by default.\n"
                    "  --lang=en      English (also View > Language; the choice is remembered)\n"
                    "  --lang=zh_CN   Simplified Chinese\n"
                    "  --help, -h     this help\n"
                    "The console tool 'pingyi' does the same from a terminal.\n");
                std::exit(0);
            }
        }
        return wxApp::Initialize(arg_count, args);
    }

    bool OnInit() override
    {
        // Not wxLocale::Init: without the OS locale it fails with a popup (docs/design.md §5).
        wxUILocale::UseDefault();
        if (!InitOpenSsl()) return false;
        wxInitAllImageHandlers();
        SetAppName("pingyi-admin");
        Language lang = Language::Chinese;
        wxString saved;
        if (wxConfigBase::Get()->Read("language", &saved) && saved == "en") lang = Language::English;
        for (int i = 1; i < argc; ++i) {
            if (argv[i] == "--lang=en") lang = Language::English;
            if (argv[i] == "--lang=zh_CN") lang = Language::Chinese;
        }
        InstallLanguage(lang);
        auto* frame = new MainFrame([](Language l) {
            wxConfigBase::Get()->Write("language", l == Language::English ? "en" : "zh_CN");
            wxConfigBase::Get()->Flush();
        });
        frame->Centre();
        frame->Show();
        return true;
    }
};

}  // namespace pingyi::admin

wxIMPLEMENT_APP(pingyi::admin::AdminApp);
