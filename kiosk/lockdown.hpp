// Lock-down: what keeps a voter inside the kiosk, behind one interface with one
// implementation per platform (docs/kiosk.md).
//
// Windows (lockdown_windows.cpp): a low-level keyboard hook swallows Alt+Tab, Alt+Esc,
// Ctrl+Esc, Alt+F4, Alt+Space and the Windows keys; SetThreadExecutionState keeps the display
// on while the poll is open; the window is made topmost. Ctrl+Alt+Del cannot be caught by any
// program: the installer's kiosk account (assigned access / shell replacement) covers it.
// Linux (lockdown_linux.cpp, development): a GDK keyboard grab when built with GTK 3 headers,
// so the window manager never sees Alt+Tab or Alt+F4; the screen saver is held off with
// wxPowerResource where the desktop supports it.
// Both: the frame itself is full screen, borderless and on top, vetoes EVT_CLOSE and swallows
// Alt+F4 and Escape in EVT_CHAR_HOOK.
//
// This header uses no wx types, so that the Windows file compiles with the Win32 headers alone.
#pragma once

#include <memory>
#include <string>

namespace pingyi::kiosk {

class Lockdown {
  public:
    virtual ~Lockdown() = default;

    // Takes the keyboard for `native_window` (wxWindow::GetHandle(): an HWND on Windows, a
    // GtkWidget* with wxGTK). Call after the window is shown; may be called again if
    // engaged() is false (a grab fails while the window is not yet viewable).
    virtual void Engage(void* native_window) = 0;
    // Gives everything back (before the program exits).
    virtual void Release() = 0;
    [[nodiscard]] virtual bool engaged() const = 0;
    // Keeps the display on and the machine awake while the poll is open.
    virtual void KeepAwake(bool on) = 0;
    // The display is being kept on (the operator's status screen says so in words).
    [[nodiscard]] virtual bool awake() const = 0;
};

// The platform's lock-down.
std::unique_ptr<Lockdown> MakeLockdown();

// True if no other kiosk runs in this session (Windows: a named mutex; Linux: a lock
// file). The claim lasts until the process ends.
bool ClaimSingleInstance();

}  // namespace pingyi::kiosk
