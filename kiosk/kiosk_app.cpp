// pingyi-kiosk: the program. Reads the command line, claims the single instance, loads the
// catalogs and opens the kiosk window (docs/kiosk.md).
#include <wx/app.h>
#include <wx/cmdline.h>
#include <wx/dir.h>
#include <wx/stdpaths.h>
#include <wx/uilocale.h>
#include <wx/utils.h>

#ifdef __WXMSW__
#include <wx/volume.h>
#endif

#include <cstdio>

#include "crypto/init.hpp"
#include "kiosk/i18n.hpp"
#include "kiosk/kiosk_frame.hpp"
#include "kiosk/lockdown.hpp"

namespace pingyi::kiosk {
namespace {

// Where a USB stick is likely mounted: the first removable drive on Windows, the first
// folder under /media/<user> or /run/media/<user> on Linux; else the home folder.
wxString GuessUsbFolder()
{
#if defined(__WXMSW__) && wxUSE_FSVOLUME
    for (const wxString& volume : wxFSVolume::GetVolumes(wxFS_VOL_REMOVABLE | wxFS_VOL_MOUNTED))
        return volume;
#else
    const wxString user = wxGetUserId();
    for (const wxString& base : {wxString("/media/") + user, wxString("/run/media/") + user}) {
        wxDir dir(base);
        wxString name;
        if (wxDir::Exists(base) && dir.IsOpened() && dir.GetFirst(&name, wxString(), wxDIR_DIRS))
            return base + "/" + name;
    }
#endif
    return wxGetHomeDir();
}

}  // namespace

class KioskApp final : public wxApp {
  public:
    bool OnInit() override
    {
        // Without a locale, narrow strings do not convert; UTF-8 from core is converted explicitly.
        wxUILocale::UseDefault();
        SetAppName("pingyi-kiosk");
        if (!wxApp::OnInit()) return false;  // parses the command line
        if (!InitOpenSsl()) {
            std::fputs("pingyi-kiosk: OpenSSL could not start.\n", stderr);
            return false;
        }
        if (!ClaimSingleInstance()) {
            std::fputs("pingyi-kiosk: another kiosk is already running in this session.\n", stderr);
            return false;
        }
        AddCatalogLookupPaths(argv[0]);
        if (m_config.data_dir.empty()) m_config.data_dir = ToPath(wxStandardPaths::Get().GetUserDataDir());
        if (m_config.export_dir.empty()) m_config.export_dir = ToPath(GuessUsbFolder());
        new KioskFrame(m_config);
        return true;
    }

    void OnInitCmdLine(wxCmdLineParser& parser) override
    {
        parser.AddOption({}, "data-dir", "folder of the ballot boxes (default: the user's data folder)");
        parser.AddOption({}, "package", "prefill the election package path on the setup screen");
        parser.AddOption({}, "export-dir", "prefill the export folder (default: the first USB stick)");
        parser.AddSwitch({}, "windowed", "development: a normal window, no full screen, no lock-down");
        parser.AddSwitch({}, "english", "start in English instead of Chinese");
        parser.AddSwitch({}, "high-contrast", "start in the high-contrast theme");
        parser.AddSwitch({}, "larger-text", "start with larger text");
        parser.AddSwitch("h", "help", "show this help", wxCMD_LINE_OPTION_HELP);
    }

    bool OnCmdLineParsed(wxCmdLineParser& parser) override
    {
        wxString value;
        if (parser.Found("data-dir", &value)) m_config.data_dir = ToPath(value);
        if (parser.Found("package", &value)) m_config.package_path = ToPath(value);
        if (parser.Found("export-dir", &value)) m_config.export_dir = ToPath(value);
        m_config.lockdown = !parser.Found("windowed");
        if (parser.Found("english")) m_config.language = Language::English;
        m_config.high_contrast = parser.Found("high-contrast");
        m_config.larger_text = parser.Found("larger-text");
        return true;
    }

  private:
    KioskConfig m_config;
};

}  // namespace pingyi::kiosk

wxIMPLEMENT_APP(pingyi::kiosk::KioskApp);
