#include "gui/wrap.hpp"

#include <wx/arrstr.h>
#include <wx/dcscreen.h>

#include <vector>

namespace pingyi::gui {

namespace {

bool IsCjk(wxUniChar c)
{
    const auto v = c.GetValue();
    return (v >= 0x2E80 && v <= 0x9FFF) || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0xFF00 && v <= 0xFFEF) ||
           (v >= 0x20000 && v <= 0x2FFFF);
}

bool IsClosing(wxUniChar c)
{
    static const wxString closing = wxString::FromUTF8("，。、；：？！）」』”’》〉】…%,.;:?!)");
    return closing.Find(c) != wxNOT_FOUND;
}

bool IsOpening(wxUniChar c)
{
    static const wxString opening = wxString::FromUTF8("（「『“‘《〈【(");
    return opening.Find(c) != wxNOT_FOUND;
}

// Units that must stay together: a Latin word, one Chinese character, a run of spaces;
// punctuation is glued to its neighbour.
std::vector<wxString> BreakUnits(const wxString& paragraph)
{
    std::vector<wxString> units;
    wxString pending_open;
    for (wxString::const_iterator it = paragraph.begin(); it != paragraph.end(); ++it) {
        const wxUniChar c = *it;
        if (IsOpening(c)) {
            pending_open += c;
            continue;
        }
        const bool space = c == ' ';
        if (!units.empty() && pending_open.empty()) {
            wxString& last = units.back();
            const wxUniChar prev = last.Last();
            const bool glue_closing = IsClosing(c);
            const bool same_word = !space && !IsCjk(c) && prev != ' ' && !IsCjk(prev);
            const bool same_space = space && prev == ' ';
            if (glue_closing || same_word || same_space) {
                last += c;
                continue;
            }
        }
        units.push_back(pending_open + c);
        pending_open.clear();
    }
    if (!pending_open.empty()) units.push_back(pending_open);
    return units;
}

}  // namespace

wxString WrapText(const wxString& text, const wxFont& font, int width)
{
    if (width <= 0) return text;
    wxScreenDC dc;
    dc.SetFont(font);
    wxString out;
    const wxArrayString paragraphs = wxSplit(text, '\n', '\0');
    for (std::size_t p = 0; p < paragraphs.size(); ++p) {
        if (p > 0) out += '\n';
        wxString line;
        for (const wxString& unit : BreakUnits(paragraphs[p])) {
            const wxString candidate = line + unit;
            if (line.empty() || dc.GetTextExtent(candidate).x <= width) {
                line = candidate;
                continue;
            }
            line.Trim(true);
            out += line + '\n';
            line = unit;
            line.Trim(false);
        }
        out += line;
    }
    return out;
}

}  // namespace pingyi::gui
