#include "kiosk/ballot_grid.hpp"

#include <wx/control.h>
#include <wx/dcbuffer.h>
#include <wx/dcgraph.h>

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace pingyi::kiosk {

BallotGrid::BallotGrid(wxWindow* parent, const Theme& theme, const KioskSession& session, Language language)
    : wxScrolledCanvas(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                       wxVSCROLL | wxWANTS_CHARS | wxBORDER_NONE | wxFULL_REPAINT_ON_RESIZE),
      m_theme(theme),
      m_session(session),
      m_language(language)
{
    SetName("ballot-grid");
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    SetBackgroundColour(theme.colours().background);
    ShowScrollbars(wxSHOW_SB_NEVER, wxSHOW_SB_ALWAYS);
    const ElectionDefinition& def = session.definition();
    for (const Member& m : def.roster) {
        m_names.push_back(U8(m.name));
        wxString note = U8(m.id);
        if (!m.note.empty()) note += (note.empty() ? "" : "  ") + U8(m.note);
        m_notes.push_back(note);
    }
    for (const std::string& o : def.options) {
        m_option_labels.push_back(U8(o));
        m_option_glosses.push_back(OptionGloss(o, language));
    }
    EnableTouchEvents(wxTOUCH_PAN_GESTURES);
    Bind(wxEVT_PAINT, &BallotGrid::OnPaint, this);
    Bind(wxEVT_SIZE, &BallotGrid::OnSize, this);
    Bind(wxEVT_LEFT_DOWN, &BallotGrid::OnLeftDown, this);
    // Two quick taps at the same place (two rows, one after the other) are two presses.
    Bind(wxEVT_LEFT_DCLICK, &BallotGrid::OnLeftDown, this);
    Bind(wxEVT_MOTION, &BallotGrid::OnMotion, this);
    Bind(wxEVT_LEFT_UP, &BallotGrid::OnLeftUp, this);
    Bind(wxEVT_KEY_DOWN, &BallotGrid::OnKeyDown, this);
    Bind(wxEVT_GESTURE_PAN, &BallotGrid::OnPan, this);
    Bind(wxEVT_MOUSEWHEEL, &BallotGrid::OnWheel, this);
    Bind(wxEVT_MOUSE_CAPTURE_LOST, [this](wxMouseCaptureLostEvent&) { m_pressing = m_dragging = false; });
    Bind(wxEVT_SET_FOCUS, [this](wxFocusEvent& e) {
        RefreshMember(m_cursor_member);
        e.Skip();
    });
    Bind(wxEVT_KILL_FOCUS, [this](wxFocusEvent& e) {
        RefreshMember(m_cursor_member);
        e.Skip();
    });
    ComputeLayout();
}

void BallotGrid::ComputeLayout()
{
    const int width = std::max(GetClientSize().x, m_theme.screen().x / 2);
    m_margin = m_theme.Px(16);
    wxClientDC dc(this);
    dc.SetFont(m_theme.Font(TextSize::Body));
    m_number_width = dc.GetTextExtent(wxString::Format("%u", static_cast<unsigned>(m_names.size()))).x + m_theme.Px(24);
    dc.SetFont(m_theme.Font(TextSize::Large, true));
    int widest = 0;
    for (const wxString& n : m_names)
        widest = std::max(widest, dc.GetTextExtent(n).x);
    m_name_width = std::min(widest + m_theme.Px(32), width * 3 / 10);
    const int options = static_cast<int>(std::max<std::size_t>(1, m_option_labels.size()));
    const int room = width - 2 * m_margin - m_number_width - m_name_width;
    m_cell_width = std::clamp(room / options, m_theme.Px(90), m_theme.Px(260));
    m_cells_x = width - m_margin - m_cell_width * options;
    m_name_width = m_cells_x - m_margin - m_number_width;

    const bool two_lines =
        std::any_of(m_option_glosses.begin(), m_option_glosses.end(), [](const wxString& g) { return !g.empty(); });
    int height = m_theme.TouchHeight() + m_theme.Px(8);
    if (two_lines) height += m_theme.TextPx(TextSize::Small);
    m_scroll_unit = std::max(1, height / 4);
    m_row_height = m_scroll_unit * 4;  // whole scroll units, so rows align when scrolled
    SetScrollRate(0, m_scroll_unit);
    const int rows = static_cast<int>(m_names.size());
    // A little room below the last row, so it never sits flush against the buttons.
    SetVirtualSize(width, rows * m_row_height + m_row_height / 2);
}

wxRect BallotGrid::RowRect(std::uint32_t member) const
{
    const int width = GetVirtualSize().x;
    return {0, static_cast<int>(member) * m_row_height, width, m_row_height};
}

wxRect BallotGrid::LogicalCell(std::uint32_t member, std::uint32_t option) const
{
    const wxRect row = RowRect(member);
    const int pad = m_theme.Px(4);
    return {m_cells_x + static_cast<int>(option) * m_cell_width, row.y + pad, m_cell_width, row.height - 2 * pad};
}

wxRect BallotGrid::CellRect(std::uint32_t member, std::uint32_t option) const
{
    wxRect r = LogicalCell(member, option);
    r.SetPosition(CalcScrolledPosition(r.GetPosition()));
    return r;
}

bool BallotGrid::HitTest(wxPoint client, std::uint32_t& member, std::uint32_t& option) const
{
    const wxPoint p = CalcUnscrolledPosition(client);
    if (p.y < 0 || m_row_height <= 0) return false;
    const auto row = static_cast<std::uint32_t>(p.y / m_row_height);
    if (row >= m_names.size()) return false;
    for (std::uint32_t o = 0; o < m_option_labels.size(); ++o) {
        if (LogicalCell(row, o).Contains(p)) {
            member = row;
            option = o;
            return true;
        }
    }
    return false;
}

void BallotGrid::Reset()
{
    m_cursor_member = 0;
    m_cursor_option = 0;
    m_highlight = false;
    m_pressing = m_dragging = false;
    m_rows_below = std::numeric_limits<std::uint32_t>::max();  // reported again after the next paint
    Scroll(0, 0);
    Refresh();
}

void BallotGrid::HighlightUnrated(bool on)
{
    m_highlight = on;
    Refresh();
}

void BallotGrid::RefreshMember(std::uint32_t member)
{
    if (member >= m_names.size()) return;
    wxRect r = RowRect(member);
    r.SetPosition(CalcScrolledPosition(r.GetPosition()));
    RefreshRect(r, false);
}

void BallotGrid::ScrollToMember(std::uint32_t member)
{
    if (member >= m_names.size()) return;
    const wxRect row = RowRect(member);
    int view_x = 0, view_y = 0;
    GetViewStart(&view_x, &view_y);
    const int top = view_y * m_scroll_unit;
    const int height = GetClientSize().y;
    int target = top;
    if (row.GetTop() < top)
        target = row.GetTop();
    else if (row.GetBottom() + 1 > top + height)
        target = row.GetBottom() + 1 - height;
    if (target != top) Scroll(0, (target + m_scroll_unit - 1) / m_scroll_unit);
}

void BallotGrid::FocusMember(std::uint32_t member)
{
    if (member >= m_names.size()) return;
    const auto chosen = m_session.choice(member);
    MoveCursor(member, chosen ? *chosen : m_cursor_option);
    SetFocus();
}

void BallotGrid::MoveCursor(std::int64_t member, std::int64_t option)
{
    if (m_names.empty()) return;
    const auto last_member = static_cast<std::int64_t>(m_names.size()) - 1;
    const auto last_option = static_cast<std::int64_t>(m_option_labels.size()) - 1;
    const std::uint32_t old = m_cursor_member;
    m_cursor_member = static_cast<std::uint32_t>(std::clamp<std::int64_t>(member, 0, last_member));
    m_cursor_option = static_cast<std::uint32_t>(std::clamp<std::int64_t>(option, 0, last_option));
    ScrollToMember(m_cursor_member);
    RefreshMember(old);
    RefreshMember(m_cursor_member);
}

void BallotGrid::Choose(std::uint32_t member, std::uint32_t option)
{
    MoveCursor(member, option);
    if (on_choose) on_choose(member, option);
    RefreshMember(member);
}

void BallotGrid::UpdateRowsBelow()
{
    if (m_row_height <= 0) return;
    int view_x = 0, view_y = 0;
    GetViewStart(&view_x, &view_y);
    // A row whose button is whole on screen counts as seen, even if its padding is cut.
    const int bottom = view_y * m_scroll_unit + GetClientSize().y + m_theme.Px(6);
    const auto total = static_cast<std::uint32_t>(m_names.size());
    const auto fully_visible_end = static_cast<std::uint32_t>(std::max(0, bottom / m_row_height));
    const std::uint32_t below = total > fully_visible_end ? total - fully_visible_end : 0;
    if (below == m_rows_below) return;
    m_rows_below = below;
    CallAfter([this] {
        if (on_rows_below) on_rows_below(m_rows_below);
    });
}

void BallotGrid::OnPaint(wxPaintEvent&)
{
    // Every scroll, by any means, ends in a paint: the place to notice the view moved.
    UpdateRowsBelow();
    wxAutoBufferedPaintDC paint(this);
    wxGCDC dc(paint);
    // Drawn in window coordinates, each rectangle moved by the scroll offset, not through
    // DoPrepareDC: rows far down a long ballot would otherwise reach the graphics backend at
    // coordinates in the tens of thousands, where Wine's GDI+ overflows its stack widening
    // the rounded outlines.
    const wxPoint origin = CalcScrolledPosition(wxPoint(0, 0));
    const auto on_screen = [&origin](wxRect r) {
        r.Offset(origin);
        return r;
    };
    const Palette& p = m_theme.colours();
    const wxRect update = GetUpdateRegion().GetBox();
    const wxRect visible(CalcUnscrolledPosition(update.GetTopLeft()), update.GetSize());
    dc.SetPen(*wxTRANSPARENT_PEN);
    dc.SetBrush(wxBrush(p.background));
    dc.DrawRectangle(update);
    if (m_row_height <= 0) return;
    const auto first = static_cast<std::uint32_t>(std::max(0, visible.GetTop() / m_row_height));
    const auto last = std::min<std::uint32_t>(static_cast<std::uint32_t>(m_names.size()),
                                              static_cast<std::uint32_t>(visible.GetBottom() / m_row_height + 1));
    const bool focused = HasFocus();
    for (std::uint32_t m = first; m < last; ++m) {
        const wxRect row = on_screen(RowRect(m));
        const auto chosen = m_session.choice(m);
        const bool warn = m_highlight && !chosen;
        dc.SetPen(*wxTRANSPARENT_PEN);
        if (warn) {
            dc.SetBrush(wxBrush(p.unrated));
            dc.DrawRectangle(row);
            dc.SetBrush(wxBrush(p.unrated_border));
            dc.DrawRectangle(wxRect(row.x, row.y, m_theme.Px(10), row.height));
        } else if (m % 2 == 1) {
            dc.SetBrush(wxBrush(p.row_alt));
            dc.DrawRectangle(row);
        }

        // Number, name, and under the name the ID/note or the "not rated" mark.
        dc.SetTextForeground(p.muted);
        dc.SetFont(m_theme.Font(TextSize::Body));
        dc.DrawLabel(wxString::Format("%u", m + 1),
                     wxRect(m_margin, row.y, m_number_width - m_theme.Px(12), row.height),
                     wxALIGN_RIGHT | wxALIGN_CENTER_VERTICAL);
        const wxRect name_rect(m_margin + m_number_width, row.y, m_name_width - m_theme.Px(12), row.height);
        wxString below = warn ? _("Not rated yet") : m_notes[m];
        dc.SetFont(m_theme.Font(TextSize::Large, true));
        const int name_h = dc.GetCharHeight();
        dc.SetFont(m_theme.Font(TextSize::Small, warn));
        const int below_h = below.empty() ? 0 : dc.GetCharHeight();
        int y = row.y + (row.height - name_h - below_h) / 2;
        dc.SetFont(m_theme.Font(TextSize::Large, true));
        dc.SetTextForeground(warn ? p.unrated_text : p.text);
        dc.DrawText(wxControl::Ellipsize(m_names[m], dc, wxELLIPSIZE_END, name_rect.width), name_rect.x, y);
        if (!below.empty()) {
            dc.SetFont(m_theme.Font(TextSize::Small, warn));
            dc.SetTextForeground(warn ? p.unrated_text : p.muted);
            dc.DrawText(wxControl::Ellipsize(below, dc, wxELLIPSIZE_END, name_rect.width), name_rect.x, y + name_h);
        }

        for (std::uint32_t o = 0; o < m_option_labels.size(); ++o) {
            ButtonLook look;
            look.kind = ButtonKind::Option;
            look.selected = chosen && *chosen == o;
            look.focused = focused && m_cursor_member == m && m_cursor_option == o;
            look.warn = warn;
            DrawButton(dc, m_theme, CellRect(m, o), m_option_labels[o], m_option_glosses[o], look);
        }
    }
}

void BallotGrid::OnSize(wxSizeEvent& event)
{
    ComputeLayout();
    Refresh();
    event.Skip();
}

void BallotGrid::OnLeftDown(wxMouseEvent& event)
{
    SetFocus();
    m_pressing = true;
    m_dragging = false;
    m_press_pos = event.GetPosition();
    int view_x = 0;
    GetViewStart(&view_x, &m_press_view_y);
    m_press_view_y *= m_scroll_unit;
    if (!HasCapture()) CaptureMouse();
}

void BallotGrid::OnMotion(wxMouseEvent& event)
{
    if (!m_pressing || !event.LeftIsDown()) return;
    const int dy = event.GetPosition().y - m_press_pos.y;
    if (!m_dragging && std::abs(dy) > m_theme.Px(14)) m_dragging = true;
    if (m_dragging) Scroll(0, std::max(0, m_press_view_y - dy) / m_scroll_unit);
}

int BallotGrid::page_rows() const
{
    return std::max(1, GetClientSize().y / std::max(1, m_row_height));
}

std::uint32_t BallotGrid::first_visible_member() const
{
    int view_x = 0, view_y = 0;
    GetViewStart(&view_x, &view_y);
    return static_cast<std::uint32_t>(view_y * m_scroll_unit / std::max(1, m_row_height));
}

void BallotGrid::ScrollToRow(std::int64_t row)
{
    // The last page may start wherever shows the last row whole; every other page starts on a row.
    const int max_y = std::max(0, GetVirtualSize().y - GetClientSize().y);
    const auto last = static_cast<std::int64_t>(m_names.size());
    const int y = static_cast<int>(std::clamp<std::int64_t>(row, 0, last)) * m_row_height;
    Scroll(0, (std::min(y, max_y) + m_scroll_unit - 1) / m_scroll_unit);
}

void BallotGrid::TurnPages(int pages)
{
    ScrollToRow(static_cast<std::int64_t>(first_visible_member()) + static_cast<std::int64_t>(pages) * page_rows());
}

void BallotGrid::OnWheel(wxMouseEvent& event)
{
    // One notch (or a touchpad's worth of one) turns a page; the default would move a few pixels.
    const int delta = std::max(1, event.GetWheelDelta());
    m_wheel_rotation += event.GetWheelRotation();
    const int notches = m_wheel_rotation / delta;
    m_wheel_rotation -= notches * delta;
    if (notches != 0) TurnPages(-notches);
}

void BallotGrid::OnLeftUp(wxMouseEvent& event)
{
    if (HasCapture()) ReleaseMouse();
    if (m_pressing && m_dragging) {
        // The finger lifts: a whole page (or as many whole pages as it dragged) from where the
        // drag began, in its direction.
        const int dy = event.GetPosition().y - m_press_pos.y;
        const int page_px = page_rows() * m_row_height;
        const int pages = std::max(1, (std::abs(dy) + page_px / 2) / std::max(1, page_px));
        const auto press_row = static_cast<std::int64_t>(m_press_view_y / std::max(1, m_row_height));
        ScrollToRow(press_row + (dy < 0 ? pages : -pages) * page_rows());
    }
    const bool tap = m_pressing && !m_dragging;
    m_pressing = m_dragging = false;
    std::uint32_t member = 0, option = 0;
    // Both ends of a tap must be on the same button: a slip off it chooses nothing.
    std::uint32_t down_member = 0, down_option = 0;
    if (tap && HitTest(event.GetPosition(), member, option) && HitTest(m_press_pos, down_member, down_option) &&
        member == down_member && option == down_option)
        Choose(member, option);
}

void BallotGrid::OnKeyDown(wxKeyEvent& event)
{
    const int visible_rows = std::max(1, GetClientSize().y / std::max(1, m_row_height));
    const std::int64_t member = m_cursor_member;
    const std::int64_t option = m_cursor_option;
    switch (event.GetKeyCode()) {
        case WXK_UP:
        case WXK_NUMPAD_UP:
            MoveCursor(member - 1, option);
            return;
        case WXK_DOWN:
        case WXK_NUMPAD_DOWN:
            MoveCursor(member + 1, option);
            return;
        case WXK_LEFT:
        case WXK_NUMPAD_LEFT:
            MoveCursor(member, option - 1);
            return;
        case WXK_RIGHT:
        case WXK_NUMPAD_RIGHT:
            MoveCursor(member, option + 1);
            return;
        case WXK_PAGEUP:
        case WXK_NUMPAD_PAGEUP:
            MoveCursor(member - visible_rows, option);
            return;
        case WXK_PAGEDOWN:
        case WXK_NUMPAD_PAGEDOWN:
            MoveCursor(member + visible_rows, option);
            return;
        case WXK_HOME:
        case WXK_NUMPAD_HOME:
            MoveCursor(0, option);
            return;
        case WXK_END:
        case WXK_NUMPAD_END:
            MoveCursor(static_cast<std::int64_t>(m_names.size()) - 1, option);
            return;
        case WXK_SPACE:
        case WXK_RETURN:
        case WXK_NUMPAD_ENTER:
            if (!m_names.empty()) Choose(m_cursor_member, m_cursor_option);
            return;
        case WXK_TAB:
            Navigate(event.ShiftDown() ? wxNavigationKeyEvent::IsBackward : wxNavigationKeyEvent::IsForward);
            return;
        default:
            break;
    }
    // A digit chooses that grade (1 = the first column) for the member under the cursor and,
    // if the session took it, goes on to the next member: one key a member.
    const int key = event.GetKeyCode();
    const int digit = key >= '1' && key <= '9'                   ? key - '1'
                      : key >= WXK_NUMPAD1 && key <= WXK_NUMPAD9 ? key - WXK_NUMPAD1
                                                                 : -1;
    if (digit >= 0 && static_cast<std::size_t>(digit) < m_option_labels.size() && !m_names.empty()) {
        const auto chosen = static_cast<std::uint32_t>(digit);
        Choose(m_cursor_member, chosen);
        if (m_session.choice(m_cursor_member) != chosen) return;
        const auto last = static_cast<std::int64_t>(m_names.size()) - 1;
        // The last member rated and none left: the focus goes on to 下一步, so Enter goes on.
        if (member == last && m_session.rated_count() == m_names.size())
            Navigate(wxNavigationKeyEvent::IsForward);
        else
            MoveCursor(member + 1, chosen);
        return;
    }
    event.Skip();
}

void BallotGrid::OnPan(wxPanGestureEvent& event)
{
    int view_x = 0, view_y = 0;
    GetViewStart(&view_x, &view_y);
    const int target = view_y * m_scroll_unit - event.GetDelta().y;
    Scroll(0, std::max(0, target) / m_scroll_unit);
}

}  // namespace pingyi::kiosk
