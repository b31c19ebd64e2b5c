// doctest with its own main: wx is started once (wxEntryStart, no main loop); the tests pump
// events themselves (gui_driver.hpp). Needs an X display: run under `xvfb-run -a`.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <wx/evtloop.h>
#include <wx/uilocale.h>
#include <wx/wx.h>

#include <cstdio>

#include "admin/gui/i18n.hpp"

int main(int argc, char** argv)
{
    // wx gets the program name only; doctest gets everything.
    int wx_argc = 1;
    char* wx_argv[] = {argv[0], nullptr};
    wxApp::SetInstance(new wxApp);
    if (!wxEntryStart(wx_argc, wx_argv)) {
        std::fprintf(stderr, "test_admin_gui: cannot start wxWidgets (no X display? run it under xvfb-run -a)\n");
        return 2;
    }
    wxTheApp->CallOnInit();
    // wxYield() dispatches only through an active event loop (wxMSW: nothing at all
    // without one); the cases never run one, so one stands active for the whole run.
    wxEventLoop loop;
    wxEventLoopBase::SetActive(&loop);
    // wx's debug messages (focus bookkeeping of destroyed windows) are noise here.
    wxLog::SetLogLevel(wxLOG_Warning);
    wxUILocale::UseDefault();
    wxInitAllImageHandlers();
    pingyi::admin::InstallLanguage(pingyi::admin::Language::Chinese);
    doctest::Context context(argc, argv);
    const int rc = context.run();
    wxEventLoopBase::SetActive(nullptr);
    wxTheApp->OnExit();
    wxEntryCleanup();
    return rc;
}
