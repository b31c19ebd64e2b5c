// How the kiosk looks: the colours of the normal and the high-contrast theme, the Chinese
// face and the text sizes (scaled to the screen, larger in the larger-text mode), and the
// few custom-drawn widgets every screen shares — big buttons with a focus ring that can be
// seen from a metre away, and the message bar.
#pragma once

#include <wx/panel.h>
#include <wx/scrolwin.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/window.h>

#include <cstdint>
#include <functional>

#include "gui/wrap.hpp"

class wxDC;

namespace pingyi::kiosk {

struct Palette {
    wxColour background, text, muted;
    wxColour bar, bar_text;
    wxColour button, button_text, button_border;
    wxColour primary, primary_text;
    wxColour selected, selected_text;
    wxColour toggle_on, toggle_on_text;  // a switch that is on (larger text, high contrast)
    wxColour focus;
    wxColour row_alt;
    wxColour unrated, unrated_border, unrated_text;
    wxColour error_back, error_text;
    wxColour info_back, info_text;
    wxColour success_text;
    wxColour test_back, test_text;
};

enum class TextSize { Small, Body, Large, Title, Huge };

class Theme {
  public:
    // `screen` is the size the kiosk fills; text is scaled to its height (768 px = 1).
    Theme(wxSize screen, bool high_contrast, bool larger_text);

    [[nodiscard]] bool high_contrast() const { return m_high_contrast; }
    [[nodiscard]] bool larger_text() const { return m_larger_text; }
    [[nodiscard]] const Palette& colours() const { return m_palette; }
    [[nodiscard]] wxSize screen() const { return m_screen; }
    // A length in pixels of a 1366 × 768 screen, scaled to this one (not by larger text).
    [[nodiscard]] int Px(int px) const;
    // The text height of `size` in pixels, with larger text applied.
    [[nodiscard]] int TextPx(TextSize size) const;
    [[nodiscard]] wxFont Font(TextSize size, bool bold = false) const;
    // A font for codes: digits and letters that cannot be confused (monospace).
    [[nodiscard]] wxFont CodeFont(TextSize size) const;
    // The smallest height of anything one touches.
    [[nodiscard]] int TouchHeight() const;
    [[nodiscard]] int FocusWidth() const { return m_high_contrast ? Px(5) : Px(4); }
    // The face used for Chinese text (explicit: fontconfig may pick a serif face otherwise).
    [[nodiscard]] const wxString& face() const { return m_face; }

  private:
    wxSize m_screen;
    bool m_high_contrast;
    bool m_larger_text;
    double m_scale;
    Palette m_palette;
    wxString m_face;
};

// The first installed face of the platform's list ("WenQuanYi Micro Hei" on Linux,
// "Microsoft YaHei" on Windows), else empty (the system's default GUI face).
wxString ChooseChineseFace();

enum class ButtonKind { Normal, Primary, Option };

// What DrawButton draws: a rounded button with one or two lines of text.
struct ButtonLook {
    ButtonKind kind = ButtonKind::Normal;
    bool selected = false;  // an Option that is chosen
    bool focused = false;
    bool pressed = false;
    bool enabled = true;
    bool warn = false;     // an Option in a row that must still be rated
    bool compact = false;  // a key: body-size label
};
void DrawButton(wxDC& dc, const Theme& theme, const wxRect& rect, const wxString& label, const wxString& sublabel,
                const ButtonLook& look);

// A big custom-drawn button: any colour on every platform, a thick visible focus ring,
// Space/Enter/click activate it (wxEVT_BUTTON), the arrow keys move the focus.
class BigButton final : public wxWindow {
  public:
    BigButton(wxWindow* parent, const Theme& theme, const wxString& label, ButtonKind kind = ButtonKind::Normal,
              const wxString& sublabel = {});

    void SetLabelText(const wxString& label, const wxString& sublabel = {});
    [[nodiscard]] const wxString& label_text() const { return m_label; }
    // A toggle that is on (e.g. the high-contrast switch) is drawn like a chosen option.
    void SetSelected(bool selected);
    // Primary: the filled button of the answer a screen expects; Normal: an outlined one.
    void SetKind(ButtonKind kind);
    [[nodiscard]] ButtonKind kind() const { return m_kind; }
    bool AcceptsFocus() const override { return IsShown() && IsEnabled(); }
    bool AcceptsFocusFromKeyboard() const override { return AcceptsFocus(); }
    bool Enable(bool enable = true) override;
    void SetMinWidth(int width);
    // A key of an on-screen keyboard: a body-size label, little padding, and this height
    // (or more, if the label needs it).
    void SetKeyHeight(int height);

  protected:
    wxSize DoGetBestClientSize() const override;

  private:
    void UpdateMinSize();
    void OnPaint(wxPaintEvent& event);
    void OnLeftDown(wxMouseEvent& event);
    void OnLeftUp(wxMouseEvent& event);
    void OnKeyDown(wxKeyEvent& event);
    void Activate();

    const Theme& m_theme;
    ButtonKind m_kind;
    wxString m_label;
    wxString m_sublabel;
    bool m_pressed = false;
    bool m_selected = false;
    int m_min_width = 0;
    int m_fixed_height = 0;
};

enum class MessageKind { None, Info, Error, Success };

// A panel that only shows things (a bar, a banner, a message): it never takes the keyboard
// focus itself, so Tab never lands where nothing shows it; its buttons, if any, still do.
class Band : public wxPanel {
  public:
    explicit Band(wxWindow* parent, const wxSize& size = wxDefaultSize)
        : wxPanel(parent, wxID_ANY, wxDefaultPosition, size)
    {
        m_container.DisableSelfFocus();
    }
};

// A line (or a few) of feedback under a screen's heading; keeps its place when empty so the
// screen does not jump.
class MessageBar final : public Band {
  public:
    MessageBar(wxWindow* parent, const Theme& theme, int wrap_width, int lines = 2);
    void Set(const wxString& text, MessageKind kind);
    void Clear() { Set({}, MessageKind::None); }
    [[nodiscard]] wxString text() const { return m_text->GetLabelText(); }
    [[nodiscard]] MessageKind kind() const { return m_kind; }
    [[nodiscard]] const wxStaticText* label() const { return m_text; }

  private:
    const Theme& m_theme;
    wxStaticText* m_text;
    int m_wrap;
    int m_min_height = 0;
    MessageKind m_kind = MessageKind::None;
};

// What every screen may show about the election — never anything about earlier voters.
struct ScreenInfo {
    wxString title;
    wxString fingerprint;  // ShortFingerprint of the election
    std::uint32_t kiosk = 0;
    bool test_mode = false;
};

// A full screen: a coloured top bar, a banner when the election is a test election, a body
// and a footer with the election fingerprint (docs/design.md §1: shown on every screen).
class Screen : public wxPanel {
  public:
    Screen(wxWindow* parent, const Theme& theme, const wxString& name);

  protected:
    struct TopBar {
        Band* panel = nullptr;
        wxBoxSizer* sizer = nullptr;  // [title, stretch]; add widgets for the right side
    };
    TopBar AddTopBar(const wxString& title);
    void AddTestBanner(bool test_mode);
    void AddFooter(const ScreenInfo& info);
    // Text wraps at this width.
    [[nodiscard]] int ContentWidth() const;

    const Theme& m_theme;
    wxBoxSizer* m_root;
};

// An invisible square in the top bar's corner that counts taps (the operator gesture).
class CornerHotspot final : public wxWindow {
  public:
    CornerHotspot(wxWindow* parent, const Theme& theme, std::function<void()> on_tap);
    bool AcceptsFocus() const override { return false; }

  private:
    std::function<void()> m_on_tap;
};

// Line breaking at spaces and between Chinese characters (gui/wrap.hpp).
using gui::WrapText;

// A static text in the theme's font and colour; `wrap` > 0 wraps it at that width.
wxStaticText* MakeText(wxWindow* parent, const Theme& theme, const wxString& text, TextSize size, bool bold = false,
                       int wrap = 0, const wxColour& colour = wxNullColour);

// Applies the theme's background and text colours to a panel (and its future children).
void PaintPanel(wxWindow* panel, const Theme& theme);

// A vertical scrolling list (the review's choices, a checked ballot) inside a frame that
// shows the focus ring while the list has the keyboard focus: a band of the focus colour,
// as thick as a button's ring, with a margin inside it. Add the frame, the list's
// GetParent()->GetParent(), to a sizer; the list's contents sit FocusListPadding() inside it.
wxScrolledWindow* MakeFocusList(wxWindow* parent, const Theme& theme, const wxString& name);
int FocusListPadding(const Theme& theme);

}  // namespace pingyi::kiosk
