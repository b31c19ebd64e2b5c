// The ballot proper: one row per member, the options as large toggle buttons, drawn by one
// scrolled window so that 200 members scroll as smoothly as 10 (no 1000 native widgets).
// Reads the choices from the KioskSession for painting; every change goes through
// `on_choose`, i.e. through the session's rules (the frame calls KioskSession::Choose).
//
// Touch: a tap chooses, a drag scrolls (a drag never chooses): the rows follow the finger and,
// when it lifts, settle a whole page of rows on (or back), so that no row is left half seen.
// A mouse wheel notch turns a whole page too. Keyboard: the arrows move a
// visible cursor, Space/Enter choose, Home/End/PageUp/PageDown jump, Tab leaves the grid.
#pragma once

#include <wx/scrolwin.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "core/kiosk_session.hpp"
#include "kiosk/i18n.hpp"
#include "kiosk/theme.hpp"

namespace pingyi::kiosk {

class BallotGrid final : public wxScrolledCanvas {
  public:
    BallotGrid(wxWindow* parent, const Theme& theme, const KioskSession& session, Language language);

    // Called with (member, option) when the voter taps an option or presses Space/Enter.
    std::function<void(std::uint32_t, std::uint32_t)> on_choose;
    // Called (after the event) when the number of members below the visible rows changes,
    // so the screen can say that there is more to scroll to.
    std::function<void(std::uint32_t)> on_rows_below;

    // A new ballot: cursor on the first member, scrolled to the top, no highlight.
    void Reset();
    // Rows still unrated get the warning colour and a "not rated" mark (after a refused
    // GoToReview); a row loses it as soon as it is rated.
    void HighlightUnrated(bool on);
    [[nodiscard]] bool highlighting_unrated() const { return m_highlight; }
    // Moves the cursor to `member`, scrolls it into view and takes the focus.
    void FocusMember(std::uint32_t member);
    // Scrolls so that `member`'s row is fully visible.
    void ScrollToMember(std::uint32_t member);
    // The option button of (member, option) in client coordinates (where it is now drawn).
    [[nodiscard]] wxRect CellRect(std::uint32_t member, std::uint32_t option) const;
    [[nodiscard]] std::uint32_t cursor_member() const { return m_cursor_member; }
    [[nodiscard]] std::uint32_t cursor_option() const { return m_cursor_option; }
    [[nodiscard]] int row_height() const { return m_row_height; }
    // Rows wholly on screen at once (a page), and the first row on screen.
    [[nodiscard]] int page_rows() const;
    [[nodiscard]] std::uint32_t first_visible_member() const;
    // Scrolls by `pages` whole pages (negative: back), the first row on screen a whole row.
    void TurnPages(int pages);
    void RefreshMember(std::uint32_t member);

    bool AcceptsFocus() const override { return true; }
    bool AcceptsFocusFromKeyboard() const override { return true; }

  private:
    void ComputeLayout();
    [[nodiscard]] wxRect RowRect(std::uint32_t member) const;  // logical (unscrolled) coordinates
    [[nodiscard]] wxRect LogicalCell(std::uint32_t member, std::uint32_t option) const;
    // The (member, option) under a point in client coordinates, if any.
    [[nodiscard]] bool HitTest(wxPoint client, std::uint32_t& member, std::uint32_t& option) const;
    void MoveCursor(std::int64_t member, std::int64_t option);
    void Choose(std::uint32_t member, std::uint32_t option);
    void UpdateRowsBelow();

    void OnPaint(wxPaintEvent& event);
    void OnSize(wxSizeEvent& event);
    void OnLeftDown(wxMouseEvent& event);
    void OnMotion(wxMouseEvent& event);
    void OnLeftUp(wxMouseEvent& event);
    void OnKeyDown(wxKeyEvent& event);
    void OnPan(wxPanGestureEvent& event);
    void OnWheel(wxMouseEvent& event);
    void ScrollToRow(std::int64_t row);

    const Theme& m_theme;
    const KioskSession& m_session;
    Language m_language;
    std::vector<wxString> m_names;
    std::vector<wxString> m_notes;  // ID and note, if any
    std::vector<wxString> m_option_labels;
    std::vector<wxString> m_option_glosses;

    // Layout, in pixels.
    int m_row_height = 0;
    int m_margin = 0;
    int m_number_width = 0;
    int m_name_width = 0;
    int m_cell_width = 0;
    int m_cells_x = 0;
    int m_scroll_unit = 1;

    std::uint32_t m_rows_below = 0;
    std::uint32_t m_cursor_member = 0;
    std::uint32_t m_cursor_option = 0;
    bool m_highlight = false;

    // A press that becomes a drag scrolls instead of choosing.
    bool m_pressing = false;
    bool m_dragging = false;
    wxPoint m_press_pos;
    int m_press_view_y = 0;
    int m_wheel_rotation = 0;  // wheel movement not yet a whole notch
};

}  // namespace pingyi::kiosk
