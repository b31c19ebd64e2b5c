#include "kiosk/theme.hpp"

#include <wx/arrstr.h>
#include <wx/dcbuffer.h>
#include <wx/dcgraph.h>
#include <wx/dcscreen.h>
#include <wx/fontenum.h>
#include <wx/intl.h>
#include <wx/settings.h>
#include <wx/sizer.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace pingyi::kiosk {
namespace {

Palette NormalPalette()
{
    Palette p;
    p.background = wxColour(0xFA, 0xF8, 0xF4);
    p.text = wxColour(0x1A, 0x1A, 0x1A);
    p.muted = wxColour(0x55, 0x55, 0x55);
    p.bar = wxColour(0xA8, 0x15, 0x1B);
    p.bar_text = *wxWHITE;
    p.button = *wxWHITE;
    p.button_text = p.text;
    p.button_border = wxColour(0x8A, 0x8A, 0x8A);
    p.primary = wxColour(0xA8, 0x15, 0x1B);
    p.primary_text = *wxWHITE;
    p.selected = wxColour(0xA8, 0x15, 0x1B);
    p.selected_text = *wxWHITE;
    p.toggle_on = wxColour(0xFF, 0xD5, 0x4F);
    p.toggle_on_text = *wxBLACK;
    p.focus = wxColour(0x0B, 0x57, 0xD0);
    p.row_alt = wxColour(0xF0, 0xEC, 0xE4);
    p.unrated = wxColour(0xFF, 0xF0, 0xC2);
    p.unrated_border = wxColour(0xC7, 0x7C, 0x00);
    p.unrated_text = wxColour(0x7A, 0x45, 0x00);
    p.error_back = wxColour(0xFD, 0xE7, 0xE7);
    p.error_text = wxColour(0x9E, 0x0B, 0x0F);
    p.info_back = wxColour(0xE6, 0xEF, 0xFB);
    p.info_text = wxColour(0x0B, 0x3D, 0x91);
    p.success_text = wxColour(0x1B, 0x5E, 0x20);
    p.test_back = wxColour(0xFF, 0xD5, 0x4F);
    p.test_text = *wxBLACK;
    return p;
}

// Black, white and yellow only (plus cyan for the focus): WCAG contrast above 15:1.
Palette HighContrastPalette()
{
    const wxColour yellow(0xFF, 0xFF, 0x00);
    Palette p;
    p.background = *wxBLACK;
    p.text = *wxWHITE;
    p.muted = *wxWHITE;
    p.bar = *wxBLACK;
    p.bar_text = yellow;
    p.button = *wxBLACK;
    p.button_text = *wxWHITE;
    p.button_border = *wxWHITE;
    p.primary = yellow;
    p.primary_text = *wxBLACK;
    p.selected = yellow;
    p.selected_text = *wxBLACK;
    p.toggle_on = yellow;
    p.toggle_on_text = *wxBLACK;
    p.focus = wxColour(0x00, 0xFF, 0xFF);
    p.row_alt = wxColour(0x1C, 0x1C, 0x1C);
    p.unrated = wxColour(0x3D, 0x33, 0x00);
    p.unrated_border = yellow;
    p.unrated_text = yellow;
    p.error_back = *wxBLACK;
    p.error_text = yellow;
    p.info_back = *wxBLACK;
    p.info_text = *wxWHITE;
    p.success_text = yellow;
    p.test_back = yellow;
    p.test_text = *wxBLACK;
    return p;
}

int BaseTextPx(TextSize size)
{
    switch (size) {
        case TextSize::Small:
            return 18;
        case TextSize::Body:
            return 24;
        case TextSize::Large:
            return 30;
        case TextSize::Title:
            return 40;
        case TextSize::Huge:
            return 56;
    }
    return 24;
}

// Splits "a\nb" drawing: the label is centred, the sublabel (smaller) under it.
void DrawLabels(wxDC& dc, const Theme& theme, const wxRect& rect, const wxString& label, const wxString& sublabel,
                bool bold, TextSize size)
{
    dc.SetFont(theme.Font(size, bold));
    wxCoord lw = 0, lh = 0;
    dc.GetMultiLineTextExtent(label, &lw, &lh);
    wxCoord sw = 0, sh = 0;
    if (!sublabel.empty()) {
        dc.SetFont(theme.Font(TextSize::Small));
        dc.GetMultiLineTextExtent(sublabel, &sw, &sh);
    }
    const int gap = sublabel.empty() ? 0 : theme.Px(2);
    int y = rect.y + (rect.height - (lh + gap + sh)) / 2;
    dc.SetFont(theme.Font(size, bold));
    dc.DrawLabel(label, wxRect(rect.x, y, rect.width, lh), wxALIGN_CENTER);
    if (!sublabel.empty()) {
        y += lh + gap;
        dc.SetFont(theme.Font(TextSize::Small));
        dc.DrawLabel(sublabel, wxRect(rect.x, y, rect.width, sh), wxALIGN_CENTER);
    }
}

}  // namespace

wxString ChooseChineseFace()
{
#ifdef __WXMSW__
    const char* const faces[] = {"Microsoft YaHei", "Microsoft YaHei UI", "SimHei", "SimSun"};
#else
    const char* const faces[] = {"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
                                 "Droid Sans Fallback"};
#endif
    for (const char* face : faces)
        if (wxFontEnumerator::IsValidFacename(face)) return face;
    return {};
}

Theme::Theme(wxSize screen, bool high_contrast, bool larger_text)
    : m_screen(screen),
      m_high_contrast(high_contrast),
      m_larger_text(larger_text),
      m_scale(std::clamp(std::min(screen.y / 768.0, screen.x / 1366.0), 0.75, 2.5)),
      m_palette(high_contrast ? HighContrastPalette() : NormalPalette()),
      m_face(ChooseChineseFace())
{
}

int Theme::Px(int px) const
{
    return static_cast<int>(std::lround(px * m_scale));
}

int Theme::TextPx(TextSize size) const
{
    const double larger = m_larger_text ? 1.3 : 1.0;
    return static_cast<int>(std::lround(BaseTextPx(size) * m_scale * larger));
}

wxFont Theme::Font(TextSize size, bool bold) const
{
    wxFontInfo info(wxSize(0, TextPx(size)));
    if (!m_face.empty()) info.FaceName(m_face);
    if (bold) info.Bold();
    return wxFont(info);
}

wxFont Theme::CodeFont(TextSize size) const
{
    return wxFont(wxFontInfo(wxSize(0, TextPx(size))).Family(wxFONTFAMILY_TELETYPE).Bold());
}

int Theme::TouchHeight() const
{
    return std::max(Px(64), TextPx(TextSize::Large) * 2);
}

void DrawButton(wxDC& dc, const Theme& theme, const wxRect& rect, const wxString& label, const wxString& sublabel,
                const ButtonLook& look)
{
    const Palette& p = theme.colours();
    wxColour back = p.button, fore = p.button_text, border = p.button_border;
    if (look.kind == ButtonKind::Primary) {
        back = p.primary;
        fore = p.primary_text;
        border = p.primary;
    }
    if (look.selected && look.kind == ButtonKind::Option) {
        back = p.selected;
        fore = p.selected_text;
        border = p.selected;
    } else if (look.selected) {
        back = p.toggle_on;
        fore = p.toggle_on_text;
        border = p.toggle_on;
    } else if (look.warn) {
        border = p.unrated_border;
    }
    if (!look.enabled) {
        back = p.button;
        fore = theme.high_contrast() ? wxColour(0x9E, 0x9E, 0x9E) : p.muted;
        border = theme.high_contrast() ? fore : p.button_border;
    }
    if (look.pressed) back = back.ChangeLightness(theme.high_contrast() ? 100 : 85);

    const int ring = theme.FocusWidth();
    const int radius = theme.Px(10);
    // The focus ring sits outside the button's face, in the margin every button keeps.
    const int gap = theme.Px(2);
    const wxRect face(rect.x + ring + gap, rect.y + ring + gap, rect.width - 2 * (ring + gap),
                      rect.height - 2 * (ring + gap));
    if (look.focused) {
        const int half = ring / 2;
        dc.SetPen(wxPen(p.focus, ring));
        dc.SetBrush(*wxTRANSPARENT_BRUSH);
        dc.DrawRoundedRectangle(
            wxRect(rect.x + half, rect.y + half, rect.width - 2 * half - 1, rect.height - 2 * half - 1), radius + ring);
    }
    const int border_width = theme.high_contrast() ? theme.Px(3) : std::max(1, theme.Px(2));
    dc.SetPen(wxPen(border, border_width));
    dc.SetBrush(wxBrush(back));
    dc.DrawRoundedRectangle(face, radius);

    dc.SetTextForeground(fore);
    wxRect text_rect = face;
    if (look.selected && look.kind == ButtonKind::Option) {
        // A check mark drawn as lines (fonts may lack ✓), left of the label.
        const int h = theme.TextPx(TextSize::Body);
        const int x = face.x + theme.Px(14);
        const int y = face.y + face.height / 2;
        dc.SetPen(wxPen(fore, std::max(2, theme.Px(4))));
        dc.DrawLine(x, y, x + h / 3, y + h / 3);
        dc.DrawLine(x + h / 3, y + h / 3, x + h, y - h / 2);
        text_rect.x += h / 2;
        text_rect.width -= h / 2;
    }
    DrawLabels(dc, theme, text_rect, label, sublabel, look.kind != ButtonKind::Option || look.selected,
               look.compact ? TextSize::Body : TextSize::Large);
}

// --- BigButton ---

BigButton::BigButton(wxWindow* parent, const Theme& theme, const wxString& label, ButtonKind kind,
                     const wxString& sublabel)
    // wxWANTS_CHARS: on Windows the dialog manager would otherwise take Enter (and turn it
    // into the panel's default command) before the focused button saw it; Tab is then
    // handled in OnKeyDown.
    : wxWindow(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize,
               wxBORDER_NONE | wxFULL_REPAINT_ON_RESIZE | wxWANTS_CHARS),
      m_theme(theme),
      m_kind(kind),
      m_label(label),
      m_sublabel(sublabel)
{
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    SetName("button");
    SetInitialSize(GetBestSize());
    Bind(wxEVT_PAINT, &BigButton::OnPaint, this);
    Bind(wxEVT_LEFT_DOWN, &BigButton::OnLeftDown, this);
    Bind(wxEVT_LEFT_DCLICK, &BigButton::OnLeftDown, this);  // quick taps: "1", "1" on the keypad
    Bind(wxEVT_LEFT_UP, &BigButton::OnLeftUp, this);
    Bind(wxEVT_KEY_DOWN, &BigButton::OnKeyDown, this);
    Bind(wxEVT_SET_FOCUS, [this](wxFocusEvent& e) {
        Refresh();
        e.Skip();
    });
    Bind(wxEVT_KILL_FOCUS, [this](wxFocusEvent& e) {
        m_pressed = false;
        Refresh();
        e.Skip();
    });
    Bind(wxEVT_MOUSE_CAPTURE_LOST, [this](wxMouseCaptureLostEvent&) { m_pressed = false; });
}

void BigButton::SetLabelText(const wxString& label, const wxString& sublabel)
{
    m_label = label;
    m_sublabel = sublabel;
    SetLabel(label);
    UpdateMinSize();
    Refresh();
}

void BigButton::SetKind(ButtonKind kind)
{
    if (kind == m_kind) return;
    m_kind = kind;
    Refresh();
}

void BigButton::SetSelected(bool selected)
{
    m_selected = selected;
    Refresh();
}

void BigButton::UpdateMinSize()
{
    // Once a minimum is set, wx answers GetBestSize() with it: ask our own measure.
    InvalidateBestSize();
    const wxSize size = DoGetBestClientSize();
    SetMinSize(size);
    SetSize(size);
}

void BigButton::SetKeyHeight(int height)
{
    m_fixed_height = height;
    UpdateMinSize();
}

void BigButton::SetMinWidth(int width)
{
    m_min_width = width;
    UpdateMinSize();
}

bool BigButton::Enable(bool enable)
{
    const bool changed = wxWindow::Enable(enable);
    Refresh();
    return changed;
}

wxSize BigButton::DoGetBestClientSize() const
{
    wxClientDC dc(const_cast<BigButton*>(this));
    const bool key = m_fixed_height > 0;
    dc.SetFont(m_theme.Font(key ? TextSize::Body : TextSize::Large, true));
    wxCoord w = 0, h = 0;
    dc.GetMultiLineTextExtent(m_label, &w, &h);
    if (!m_sublabel.empty()) {
        dc.SetFont(m_theme.Font(TextSize::Small));
        wxCoord sw = 0, sh = 0;
        dc.GetMultiLineTextExtent(m_sublabel, &sw, &sh);
        w = std::max(w, sw);
        h += sh + m_theme.Px(2);
    }
    const int margin = 2 * (m_theme.FocusWidth() + m_theme.Px(2));
    // Keys are compact; other buttons get room around their label.
    const int padding = key ? m_theme.Px(12) : 2 * m_theme.TextPx(TextSize::Large);
    const int width = std::max(m_min_width, w + padding + margin);
    const int height = key ? std::max(m_fixed_height, h + m_theme.Px(6) + margin)
                           : std::max(m_theme.TouchHeight(), h + m_theme.Px(24) + margin);
    return {width, height};
}

void BigButton::OnPaint(wxPaintEvent&)
{
    wxAutoBufferedPaintDC paint(this);
    paint.SetBackground(wxBrush(GetParent()->GetBackgroundColour()));
    paint.Clear();
    wxGCDC dc(paint);
    ButtonLook look;
    look.kind = m_kind;
    look.selected = m_selected;
    look.compact = m_fixed_height > 0;
    look.focused = HasFocus();
    look.pressed = m_pressed;
    look.enabled = IsEnabled();
    DrawButton(dc, m_theme, GetClientRect(), m_label, m_sublabel, look);
}

void BigButton::OnLeftDown(wxMouseEvent&)
{
    if (!IsEnabled()) return;
    m_pressed = true;
    if (!HasCapture()) CaptureMouse();
    Refresh();
}

void BigButton::OnLeftUp(wxMouseEvent& event)
{
    if (HasCapture()) ReleaseMouse();
    const bool was_pressed = m_pressed;
    m_pressed = false;
    Refresh();
    if (was_pressed && IsEnabled() && GetClientRect().Contains(event.GetPosition())) Activate();
}

void BigButton::OnKeyDown(wxKeyEvent& event)
{
    switch (event.GetKeyCode()) {
        case WXK_SPACE:
        case WXK_RETURN:
        case WXK_NUMPAD_ENTER:
            if (event.HasAnyModifiers()) break;
            Activate();
            return;
        case WXK_LEFT:
        case WXK_UP:
            Navigate(wxNavigationKeyEvent::IsBackward);
            return;
        case WXK_RIGHT:
        case WXK_DOWN:
            Navigate(wxNavigationKeyEvent::IsForward);
            return;
        case WXK_TAB:
            if (event.ControlDown() || event.AltDown()) break;
            Navigate(event.ShiftDown() ? wxNavigationKeyEvent::IsBackward : wxNavigationKeyEvent::IsForward);
            return;
        default:
            break;
    }
    event.Skip();
}

void BigButton::Activate()
{
    wxCommandEvent click(wxEVT_BUTTON, GetId());
    click.SetEventObject(this);
    ProcessWindowEvent(click);
}

// --- MessageBar ---

MessageBar::MessageBar(wxWindow* parent, const Theme& theme, int wrap_width, int lines)
    : Band(parent), m_theme(theme), m_wrap(wrap_width)
{
    SetName("message");
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    m_text = MakeText(this, theme, {}, TextSize::Body, true);
    sizer->Add(m_text, 1, wxALL | wxEXPAND, theme.Px(10));
    SetSizer(sizer);
    const int line = m_text->GetCharHeight();
    m_min_height = line * lines + 2 * theme.Px(10) + theme.Px(4);
    SetMinSize(wxSize(wrap_width, m_min_height));
    SetBackgroundColour(theme.colours().background);
}

void MessageBar::Set(const wxString& text, MessageKind kind)
{
    const Palette& p = m_theme.colours();
    m_kind = kind;
    wxColour back = p.background, fore = p.text;
    if (kind == MessageKind::Error) {
        back = p.error_back;
        fore = p.error_text;
    } else if (kind == MessageKind::Info) {
        back = p.info_back;
        fore = p.info_text;
    } else if (kind == MessageKind::Success) {
        fore = p.success_text;
    }
    SetBackgroundColour(back);
    m_text->SetForegroundColour(fore);
    m_text->SetLabelText(WrapText(text, m_text->GetFont(), m_wrap - 2 * m_theme.Px(10)));
    // As tall as the text needs (a reason and a countdown are two lines in a bar made for one),
    // never shorter than the lines it was made for: the screen does not jump for short texts.
    m_text->InvalidateBestSize();
    const int needed = m_text->GetBestSize().y + 2 * m_theme.Px(10) + m_theme.Px(4);
    SetMinSize(wxSize(m_wrap, std::max(m_min_height, needed)));
    InvalidateBestSize();
    Layout();
    GetParent()->Layout();
    Refresh();
}

// --- Screen ---

Screen::Screen(wxWindow* parent, const Theme& theme, const wxString& name)
    : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL), m_theme(theme)
{
    SetName(name + "-screen");
    PaintPanel(this, theme);
    m_root = new wxBoxSizer(wxVERTICAL);
    SetSizer(m_root);
}

Screen::TopBar Screen::AddTopBar(const wxString& title)
{
    TopBar bar;
    bar.panel = new Band(this);
    bar.panel->SetName("top-bar");
    bar.panel->SetBackgroundColour(m_theme.colours().bar);
    bar.sizer = new wxBoxSizer(wxHORIZONTAL);
    // A long title is shortened with "…" rather than pushing the buttons off the bar.
    auto* text = new wxStaticText(bar.panel, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize,
                                  wxST_ELLIPSIZE_END | wxST_NO_AUTORESIZE);
    text->SetFont(m_theme.Font(TextSize::Large, true));
    text->SetForegroundColour(m_theme.colours().bar_text);
    text->SetLabelText(title);
    text->SetMinSize(wxSize(m_theme.Px(120), text->GetCharHeight()));
    text->SetName("title");
    bar.sizer->Add(text, 1, wxALIGN_CENTER_VERTICAL | wxLEFT | wxRIGHT, m_theme.Px(24));
    auto* outer = new wxBoxSizer(wxVERTICAL);
    outer->Add(bar.sizer, 1, wxEXPAND);
    bar.panel->SetSizer(outer);
    bar.panel->SetMinSize(wxSize(-1, m_theme.Px(84)));
    m_root->Add(bar.panel, 0, wxEXPAND);
    if (m_theme.high_contrast()) {
        // Black on black needs a line to end the bar.
        auto* line = new Band(this, wxSize(-1, m_theme.Px(3)));
        line->SetBackgroundColour(m_theme.colours().text);
        m_root->Add(line, 0, wxEXPAND);
    }
    return bar;
}

void Screen::AddTestBanner(bool test_mode)
{
    if (!test_mode) return;
    auto* banner = new Band(this);
    banner->SetName("test-banner");
    banner->SetBackgroundColour(m_theme.colours().test_back);
    auto* sizer = new wxBoxSizer(wxHORIZONTAL);
    auto* text = MakeText(banner, m_theme, _("TEST ELECTION: these ballots do not count as an official result."),
                          TextSize::Body, true, 0, m_theme.colours().test_text);
    sizer->Add(text, 0, wxALL | wxALIGN_CENTER_VERTICAL, m_theme.Px(8));
    auto* outer = new wxBoxSizer(wxVERTICAL);
    outer->Add(sizer, 0, wxALIGN_CENTER_HORIZONTAL);
    banner->SetSizer(outer);
    m_root->Add(banner, 0, wxEXPAND);
}

void Screen::AddFooter(const ScreenInfo& info)
{
    wxString text = wxString::Format(_("Election fingerprint %s"), info.fingerprint);
    if (info.kiosk > 0) text += "    " + wxString::Format(_("Voting machine %u"), info.kiosk);
    auto* footer = MakeText(this, m_theme, text, TextSize::Small, false, 0, m_theme.colours().muted);
    footer->SetName("footer");
    m_root->Add(footer, 0, wxALIGN_CENTER_HORIZONTAL | wxTOP | wxBOTTOM, m_theme.Px(8));
}

int Screen::ContentWidth() const
{
    return m_theme.screen().x - 2 * m_theme.Px(48);
}

CornerHotspot::CornerHotspot(wxWindow* parent, const Theme& theme, std::function<void()> on_tap)
    : wxWindow(parent, wxID_ANY, wxDefaultPosition, wxSize(theme.Px(84), theme.Px(84)), wxBORDER_NONE),
      m_on_tap(std::move(on_tap))
{
    SetName("corner");
    SetBackgroundColour(parent->GetBackgroundColour());
    // Quick taps at one place arrive as double clicks: each press counts.
    const auto tap = [this](wxMouseEvent&) {
        if (m_on_tap) m_on_tap();
    };
    Bind(wxEVT_LEFT_DOWN, tap);
    Bind(wxEVT_LEFT_DCLICK, tap);
}

// --- helpers ---

wxStaticText* MakeText(wxWindow* parent, const Theme& theme, const wxString& text, TextSize size, bool bold, int wrap,
                       const wxColour& colour)
{
    auto* label = new wxStaticText(parent, wxID_ANY, wxString());
    label->SetFont(theme.Font(size, bold));
    label->SetForegroundColour(colour.IsOk() ? colour : theme.colours().text);
    label->SetLabelText(wrap > 0 ? WrapText(text, label->GetFont(), wrap) : text);
    return label;
}

void PaintPanel(wxWindow* panel, const Theme& theme)
{
    panel->SetBackgroundColour(theme.colours().background);
    panel->SetForegroundColour(theme.colours().text);
}

wxScrolledWindow* MakeFocusList(wxWindow* parent, const Theme& theme, const wxString& name)
{
    // frame (the ring's colour when focused) ⊃ a band of the background ⊃ the list.
    auto* frame = new Band(parent);  // never focused itself: Tab goes to the list
    PaintPanel(frame, theme);
    auto* inner = new Band(frame);
    PaintPanel(inner, theme);
    auto* list = new wxScrolledWindow(inner, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxVSCROLL | wxBORDER_NONE);
    list->SetName(name);
    list->SetScrollRate(0, theme.Px(24));
    PaintPanel(list, theme);
    list->SetSizer(new wxBoxSizer(wxVERTICAL));
    auto* inner_sizer = new wxBoxSizer(wxVERTICAL);
    inner_sizer->Add(list, 1, wxEXPAND | wxALL, FocusListPadding(theme) - theme.FocusWidth());
    inner->SetSizer(inner_sizer);
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    sizer->Add(inner, 1, wxEXPAND | wxALL, theme.FocusWidth());
    frame->SetSizer(sizer);
    const auto ring = [frame, &theme](bool on) {
        frame->SetBackgroundColour(on ? theme.colours().focus : theme.colours().background);
        frame->Refresh();
    };
    list->Bind(wxEVT_SET_FOCUS, [ring](wxFocusEvent& e) {
        ring(true);
        e.Skip();
    });
    list->Bind(wxEVT_KILL_FOCUS, [ring](wxFocusEvent& e) {
        ring(false);
        e.Skip();
    });
    return list;
}

int FocusListPadding(const Theme& theme)
{
    return theme.FocusWidth() + theme.Px(12);
}

}  // namespace pingyi::kiosk
