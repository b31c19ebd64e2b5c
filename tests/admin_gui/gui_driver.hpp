// Driving the admin tool's real windows: find controls by name, click and type through
// wxUIActionSimulator, poll for the effect (events are not processed synchronously), and keep
// screenshots (into $PINGYI_SCREENSHOT_DIR when set, as docs/screenshots/admin-<name>.png).
#pragma once

#include <doctest/doctest.h>
#include <wx/grid.h>
#include <wx/spinctrl.h>
#include <wx/uiaction.h>
#include <wx/wx.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "admin/gui/gui_common.hpp"
#include "admin/gui/main_frame.hpp"
#include "tests/core/test_support.hpp"

namespace pingyi::admin::test {

inline void Pump(int rounds = 3)
{
    for (int i = 0; i < rounds; ++i) {
        wxYield();
        wxMilliSleep(2);
    }
}

inline bool WaitUntil(const std::function<bool()>& done, int timeout_ms = 20000)
{
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < end) {
        wxYield();
        if (done()) return true;
        wxMilliSleep(2);
    }
    wxYield();
    return done();
}

template <typename T>
T* Find(wxWindow* top, const char* name)
{
    wxWindow* w = wxWindow::FindWindowByName(name, top);
    INFO("window " << name);
    REQUIRE(w != nullptr);
    T* t = dynamic_cast<T*>(w);
    REQUIRE(t != nullptr);
    return t;
}

inline void Click(wxWindow* w)
{
    INFO("clicking " << w->GetName().ToStdString());
    REQUIRE(w->IsShownOnScreen());
    REQUIRE(w->IsEnabled());
    wxUIActionSimulator sim;
    // The page may still be laid out after it appears (a busy machine lays out late): aim only
    // once the widget's middle is really the widget, and click only once the pointer is there.
    wxPoint middle;
    REQUIRE(WaitUntil([&] {
        const wxRect r = w->GetScreenRect();
        middle = wxPoint(r.GetX() + r.GetWidth() / 2, r.GetY() + r.GetHeight() / 2);
        for (wxWindow* at = wxFindWindowAtPoint(middle); at; at = at->GetParent())
            if (at == w) return true;
        return false;
    }));
    sim.MouseMove(middle);
    REQUIRE(WaitUntil([&] { return wxGetMousePosition() == middle; }));
    Pump();
    sim.MouseClick();
    Pump();
}

// Clicks at a point of a window (client coordinates).
inline void ClickAt(wxWindow* w, wxPoint client)
{
    wxUIActionSimulator sim;
    const wxPoint p = w->ClientToScreen(client);
    sim.MouseMove(p.x, p.y);
    Pump();
    sim.MouseClick();
    Pump();
}

// Whether a label says `words`, however it was wrapped: line breaks fall between Chinese
// characters and at spaces (gui/wrap.hpp), so both sides are compared without white space.
inline bool Says(const wxWindow* w, const wxString& words)
{
    auto bare = [](wxString s) {
        s.Replace(" ", "");
        s.Replace("\n", "");
        return s;
    };
    return bare(w->GetLabel()).Contains(bare(words));
}

// Chooses an entry of a drop-down list and sends the wxEVT_CHOICE a user's choice sends.
inline void Choose(wxChoice* c, int index)
{
    REQUIRE(c->IsShownOnScreen());
    REQUIRE(c->IsEnabled());
    c->SetSelection(index);
    wxCommandEvent e(wxEVT_CHOICE, c->GetId());
    e.SetEventObject(c);
    e.SetInt(index);
    e.SetString(c->GetString(static_cast<unsigned>(index)));
    c->ProcessWindowEvent(e);
    Pump();
}

// Types ASCII into a text control, replacing what it held.
inline void Type(wxTextCtrl* t, const std::string& text)
{
    t->SetFocus();
    REQUIRE(WaitUntil([t] { return wxWindow::FindFocus() == t; }));
    t->SelectAll();
    wxUIActionSimulator sim;
    sim.Text(text.c_str());
    INFO("typing into " << t->GetName().ToStdString());
    REQUIRE(WaitUntil([t, &text] { return t->GetValue() == wxString(text); }));
}

// Edits one grid cell through its own editor (what a double-click opens), then commits it,
// which sends wxEVT_GRID_CELL_CHANGED as a user's edit does.
inline void EditCell(wxGrid* g, int row, int col, const wxString& value)
{
    g->SetFocus();
    g->SetGridCursor(row, col);
    g->EnableCellEditControl(true);
    REQUIRE(g->IsCellEditControlShown());
    wxGridCellEditor* editor = g->GetCellEditor(row, col);
    wxControl* ctrl = editor->GetControl();
    if (auto* combo = dynamic_cast<wxComboBox*>(ctrl)) {
        REQUIRE(combo->SetStringSelection(value));
    } else if (auto* choice = dynamic_cast<wxChoice*>(ctrl)) {
        REQUIRE(choice->SetStringSelection(value));
    } else if (auto* spin = dynamic_cast<wxSpinCtrl*>(ctrl)) {
        long v = 0;
        REQUIRE(value.ToLong(&v));
        spin->SetValue(static_cast<int>(v));
    } else if (auto* text = dynamic_cast<wxTextCtrl*>(ctrl)) {
        text->ChangeValue(value);
    } else {
        FAIL("unknown cell editor");
    }
    editor->DecRef();
    g->DisableCellEditControl();
    Pump();
    REQUIRE(g->GetCellValue(row, col) == value);
}

// From outside, as a user would see it: ImageMagick's `import` on the same X display
// (wxScreenDC under GTK 3 kept returning the first picture).
inline void Screenshot(wxWindow* top, const std::string& name)
{
    const char* dir = std::getenv("PINGYI_SCREENSHOT_DIR");
    if (dir == nullptr || *dir == '\0') return;
    top->Refresh();
    top->Update();
    // GTK animates check boxes and progress bars for about 250 ms.
    WaitUntil([] { return false; }, 350);
    const wxRect r = top->GetScreenRect();
    const auto path = std::filesystem::path(dir) / ("admin-" + name + ".png");
    const std::string cmd = "import -window root -crop " + std::to_string(r.GetWidth()) + "x" +
                            std::to_string(r.GetHeight()) + "+" + std::to_string(r.GetX()) + "+" +
                            std::to_string(r.GetY()) + " +repage '" + path.string() + "'";
    REQUIRE(std::system(cmd.c_str()) == 0);
}

using pingyi::test::TempDir;  // the core tests' temporary directory

// Dialogs the tests cannot drive are recorded instead: errors, file choosers, "open".
struct RecordedHooks {
    struct Shown {
        wxString message;
        Error error;
    };
    std::vector<Shown> errors;
    std::vector<std::filesystem::path> next_files;
    std::vector<std::filesystem::path> opened;
    bool can_open = true;  // false: as on a machine without a PDF viewer
    std::vector<wxString> questions;
    bool answer = true;  // what the user answers to every question

    RecordedHooks() : m_saved(Hooks())
    {
        Hooks().show_error = [this](wxWindow*, const wxString& message, const Error& error) {
            errors.push_back({message, error});
        };
        Hooks().choose_files = [this](wxWindow*, const wxString&, const wxString&) {
            auto out = next_files;
            next_files.clear();
            return out;
        };
        Hooks().open_path = [this](const std::filesystem::path& p) {
            opened.push_back(p);
            return can_open;
        };
        Hooks().confirm = [this](wxWindow*, const wxString& question) {
            questions.push_back(question);
            return answer;
        };
    }
    ~RecordedHooks() { Hooks() = m_saved; }
    RecordedHooks(const RecordedHooks&) = delete;
    RecordedHooks& operator=(const RecordedHooks&) = delete;

  private:
    UiHooks m_saved;
};

// One admin window at the top-left of the screen, closed at the end of the test.
class Session {
  public:
    Session()
    {
        frame = new MainFrame();
        frame->SetSize(1200, 880);
        frame->Move(0, 0);
        frame->Show();
        frame->Raise();
        REQUIRE(WaitUntil([this] { return frame->IsShownOnScreen(); }));
        Pump(20);
    }
    ~Session()
    {
        frame->Destroy();
        Pump(5);
    }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    template <typename T>
    T* Get(const char* name)
    {
        return Find<T>(frame, name);
    }
    void Shot(const std::string& name) { Screenshot(frame, name); }

    MainFrame* frame;
    RecordedHooks hooks;
};

}  // namespace pingyi::admin::test
