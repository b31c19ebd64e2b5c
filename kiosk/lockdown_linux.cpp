// The Linux (and other X11/GTK) lock-down: see lockdown.hpp.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <wx/power.h>

#include <cstdlib>
#include <string>

#include "kiosk/lockdown.hpp"

#ifdef PINGYI_KIOSK_GTK_GRAB
#include <gtk/gtk.h>
#endif

namespace pingyi::kiosk {
namespace {

class LinuxLockdown final : public Lockdown {
  public:
    ~LinuxLockdown() override { LinuxLockdown::Release(); }

    void Engage(void* native_window) override
    {
#ifdef PINGYI_KIOSK_GTK_GRAB
        if (m_seat || !native_window) return;
        GdkWindow* window = gtk_widget_get_window(static_cast<GtkWidget*>(native_window));
        if (!window) return;  // not realized yet: Engage is called again
        GdkSeat* seat = gdk_display_get_default_seat(gdk_window_get_display(window));
        // owner_events: our own windows still get their keys as usual; nothing else does.
        const GdkGrabStatus status = gdk_seat_grab(seat, window, GDK_SEAT_CAPABILITY_KEYBOARD, /*owner_events=*/TRUE,
                                                   nullptr, nullptr, nullptr, nullptr);
        if (status == GDK_GRAB_SUCCESS) m_seat = seat;
#else
        (void)native_window;  // no keyboard grab without the GTK 3 headers
#endif
    }

    void Release() override
    {
#ifdef PINGYI_KIOSK_GTK_GRAB
        if (m_seat) gdk_seat_ungrab(m_seat);
        m_seat = nullptr;
#endif
        KeepAwake(false);
    }

    [[nodiscard]] bool engaged() const override
    {
#ifdef PINGYI_KIOSK_GTK_GRAB
        return m_seat != nullptr;
#else
        return false;
#endif
    }

    void KeepAwake(bool on) override
    {
        if (on == m_awake) return;
        if (on)
            m_awake = wxPowerResource::Acquire(wxPOWER_RESOURCE_SCREEN, "Pingyi: the poll is open");
        else {
            wxPowerResource::Release(wxPOWER_RESOURCE_SCREEN);
            m_awake = false;
        }
    }

    [[nodiscard]] bool awake() const override
    {
        return m_awake;
    }

  private:
#ifdef PINGYI_KIOSK_GTK_GRAB
    GdkSeat* m_seat = nullptr;
#endif
    bool m_awake = false;
};

}  // namespace

std::unique_ptr<Lockdown> MakeLockdown()
{
    return std::make_unique<LinuxLockdown>();
}

bool ClaimSingleInstance()
{
    const char* runtime = std::getenv("XDG_RUNTIME_DIR");
    const std::string dir = runtime && *runtime ? runtime : "/tmp";
    const std::string path = dir + "/pingyi-kiosk-" + std::to_string(getuid()) + ".lock";
    // Kept open (and locked) until the process ends; the kernel drops the lock on exit.
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return true;  // no lock possible: do not refuse to run
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return false;
    }
    return true;
}

}  // namespace pingyi::kiosk
