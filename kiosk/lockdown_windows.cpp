// The Windows lock-down: see lockdown.hpp. Win32 only (no wx), so that it compiles with
// MSVC and with mingw-w64 alike.
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <string>

#include "kiosk/lockdown.hpp"

namespace pingyi::kiosk {
namespace {

HHOOK g_keyboard_hook = nullptr;

bool KeyDown(int virtual_key)
{
    return (GetAsyncKeyState(virtual_key) & 0x8000) != 0;
}

// Runs on the thread that installed it (the GUI thread, which pumps messages), for every
// key of the session. Returning non-zero swallows the key before Windows acts on it.
LRESULT CALLBACK KeyboardHook(int code, WPARAM message, LPARAM data)
{
    if (code == HC_ACTION) {
        const auto* key = reinterpret_cast<const KBDLLHOOKSTRUCT*>(data);
        const bool alt = (key->flags & LLKHF_ALTDOWN) != 0;
        const bool ctrl = KeyDown(VK_CONTROL);
        bool swallow = false;
        switch (key->vkCode) {
            case VK_LWIN:
            case VK_RWIN:
            case VK_APPS:
                swallow = true;  // the Start menu and every Win+… shortcut
                break;
            case VK_TAB:
                swallow = alt;  // Alt+Tab
                break;
            case VK_ESCAPE:
                swallow = alt || ctrl;  // Alt+Esc, Ctrl+Esc (Start menu), Ctrl+Shift+Esc (Task Manager)
                break;
            case VK_F4:
                swallow = alt;  // Alt+F4
                break;
            case VK_SPACE:
                swallow = alt;  // the window menu
                break;
            default:
                break;
        }
        if (swallow) return 1;
    }
    return CallNextHookEx(g_keyboard_hook, code, message, data);
}

class WindowsLockdown final : public Lockdown {
  public:
    ~WindowsLockdown() override { WindowsLockdown::Release(); }

    void Engage(void* native_window) override
    {
        if (!g_keyboard_hook)
            g_keyboard_hook = SetWindowsHookExW(WH_KEYBOARD_LL, KeyboardHook, GetModuleHandleW(nullptr), 0);
        m_hooked = g_keyboard_hook != nullptr;
        if (native_window) {
            HWND window = static_cast<HWND>(native_window);
            const HWND topmost = reinterpret_cast<HWND>(static_cast<INT_PTR>(-1));  // HWND_TOPMOST
            SetWindowPos(window, topmost, 0, 0, 0, 0, SWP_NOMOVE | SWP_NOSIZE | SWP_SHOWWINDOW);
            SetForegroundWindow(window);
            m_topmost = true;
        }
    }

    void Release() override
    {
        if (g_keyboard_hook) UnhookWindowsHookEx(g_keyboard_hook);
        g_keyboard_hook = nullptr;
        m_hooked = false;
        KeepAwake(false);
    }

    [[nodiscard]] bool engaged() const override { return m_hooked; }

    void KeepAwake(bool on) override
    {
        if (on)
            SetThreadExecutionState(ES_CONTINUOUS | ES_DISPLAY_REQUIRED | ES_SYSTEM_REQUIRED);
        else
            SetThreadExecutionState(ES_CONTINUOUS);
        m_awake = on;
    }

    [[nodiscard]] bool awake() const override { return m_awake; }

  private:
    bool m_hooked = false;
    bool m_topmost = false;
    bool m_awake = false;
};

}  // namespace

std::unique_ptr<Lockdown> MakeLockdown()
{
    return std::make_unique<WindowsLockdown>();
}

bool ClaimSingleInstance()
{
    // Kept (never closed) until the process ends; Windows then frees it. "Local\" is this
    // logon session: a second kiosk in the same session is refused.
    HANDLE mutex = CreateMutexW(nullptr, TRUE, L"Local\\Pingyi-Kiosk-7c1e4b52");
    if (!mutex) return true;
    if (GetLastError() == ERROR_ALREADY_EXISTS) {
        CloseHandle(mutex);
        return false;
    }
    return true;
}

}  // namespace pingyi::kiosk
