// The GUI tests' main: wx is started once (Xvfb gives it a display), then doctest runs the
// cases; each case opens and closes its own kiosk window (docs/design.md §5).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <wx/app.h>
#include <wx/evtloop.h>
#include <wx/image.h>
#include <wx/init.h>
#include <wx/uilocale.h>

#include <cstdio>

#include "kiosk/i18n.hpp"

int main(int argc, char** argv)
{
    // wx gets the program name only: doctest's options are not wx's.
    int wx_argc = 1;
    char* wx_argv[] = {argv[0], nullptr};
    wxApp::SetInstance(new wxApp);
    if (!wxEntryStart(wx_argc, wx_argv)) {
        std::fputs("test_kiosk: wx could not start (no DISPLAY? run under xvfb-run -a)\n", stderr);
        return 2;
    }
    wxTheApp->CallOnInit();
    // wxYield() dispatches only through an active event loop (wxMSW: nothing at all
    // without one); the cases never run one, so one stands active for the whole run.
    wxEventLoop loop;
    wxEventLoopBase::SetActive(&loop);
    wxUILocale::UseDefault();
    wxInitAllImageHandlers();
    pingyi::kiosk::AddCatalogLookupPaths(wxString::FromUTF8(argv[0]));

    doctest::Context context(argc, argv);
    const int result = context.run();

    wxEventLoopBase::SetActive(nullptr);
    wxTheApp->OnExit();
    wxEntryCleanup();
    return result;
}
