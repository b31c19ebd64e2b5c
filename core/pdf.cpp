#include "core/pdf.hpp"

#include <hpdf.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "core/font_locator.hpp"

namespace pingyi::pdf {

namespace fs = std::filesystem;

namespace {

constexpr char32_t kGeta = U'\u3013';      // 〓: the customary mark for a missing character
constexpr char32_t kEllipsis = U'\u2026';  // …
constexpr float kBoldStroke = 0.035f;      // stroke width of faux bold, × font size

std::string HexCode(HPDF_STATUS code)
{
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "0x%04X", static_cast<unsigned>(code));
    return buf.data();
}

const char* ErrorName(HPDF_STATUS code)
{
    switch (code) {
        case HPDF_FAILD_TO_ALLOC_MEM:
            return "out of memory";
        case HPDF_FILE_IO_ERROR:
            return "file I/O error";
        case HPDF_FILE_OPEN_ERROR:
            return "cannot open file";
        case HPDF_INVALID_TTC_FILE:
            return "invalid TrueType collection";
        case HPDF_INVALID_TTC_INDEX:
            return "invalid TrueType collection index";
        case HPDF_TTF_CANNOT_EMBEDDING_FONT:
            return "the font's license forbids embedding";
        case HPDF_TTF_INVALID_CMAP:
            return "the font has no usable Unicode cmap";
        case HPDF_TTF_INVALID_FOMAT:
            return "not a TrueType font";
        case HPDF_TTF_MISSING_TABLE:
            return "the font lacks a required table";
        case HPDF_UNSUPPORTED_FONT_TYPE:
            return "unsupported font type";
        case HPDF_INVALID_FONTDEF_DATA:
            return "invalid font data";
        case HPDF_PAGE_INVALID_GMODE:
            return "drawing call in the wrong graphics mode";
        case HPDF_STRING_OUT_OF_RANGE:
            return "text too long";
        default:
            return "libharu error";
    }
}

// ---- UTF-8 ----------------------------------------------------------------------

// Decodes UTF-8; each invalid or overlong sequence becomes U+FFFD.
std::u32string DecodeUtf8(std::string_view s)
{
    std::u32string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b0 = static_cast<unsigned char>(s[i]);
        int extra = 0;
        char32_t cp = 0;
        char32_t min = 0;
        if (b0 < 0x80) {
            out.push_back(b0);
            ++i;
            continue;
        }
        if ((b0 & 0xE0U) == 0xC0U) {
            extra = 1;
            cp = b0 & 0x1FU;
            min = 0x80;
        } else if ((b0 & 0xF0U) == 0xE0U) {
            extra = 2;
            cp = b0 & 0x0FU;
            min = 0x800;
        } else if ((b0 & 0xF8U) == 0xF0U) {
            extra = 3;
            cp = b0 & 0x07U;
            min = 0x10000;
        } else {
            out.push_back(U'\uFFFD');
            ++i;
            continue;
        }
        if (i + static_cast<std::size_t>(extra) >= s.size()) {
            out.push_back(U'\uFFFD');  // truncated sequence
            ++i;
            continue;
        }
        bool ok = true;
        for (int k = 1; k <= extra; ++k) {
            const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
            if ((b & 0xC0U) != 0x80U) {
                ok = false;
                break;
            }
            cp = (cp << 6) | (b & 0x3FU);
        }
        if (!ok || cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            out.push_back(U'\uFFFD');
            ++i;
            continue;
        }
        out.push_back(cp);
        i += static_cast<std::size_t>(extra) + 1;
    }
    return out;
}

void AppendUtf8(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0U | (cp >> 6)));
        out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0U | (cp >> 12)));
        out.push_back(static_cast<char>(0x80U | ((cp >> 6) & 0x3FU)));
        out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    } else {
        out.push_back(static_cast<char>(0xF0U | (cp >> 18)));
        out.push_back(static_cast<char>(0x80U | ((cp >> 12) & 0x3FU)));
        out.push_back(static_cast<char>(0x80U | ((cp >> 6) & 0x3FU)));
        out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    }
}

bool IsWide(char32_t c)
{
    // CJK radicals, punctuation, kana, hanzi, Hangul, compatibility and full-width forms.
    return (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || c >= 0x20000;
}

bool NoBreakBefore(char32_t c)
{
    static constexpr std::u32string_view kClosing = U",.;:!?)]}%，。、；：？！）》」』”’〉】…·";
    return kClosing.find(c) != std::u32string_view::npos;
}

bool NoBreakAfter(char32_t c)
{
    static constexpr std::u32string_view kOpening = U"([{（《「『“‘〈【";
    return kOpening.find(c) != std::u32string_view::npos;
}

bool CanBreakBefore(char32_t prev, char32_t c)
{
    if (c == U' ' || NoBreakBefore(c) || NoBreakAfter(prev)) {
        return false;
    }
    if (prev == U' ' || prev == U'-' || prev == U'/') {
        return true;
    }
    return IsWide(c) || IsWide(prev);
}

}  // namespace

// ---- Document state ---------------------------------------------------------------

namespace detail {

// One TrueType font of the document. Slot 0 is the main font (GB 2312 and Latin in the
// shipped setup); the others are fallbacks for characters it lacks, loaded into the
// document only when such a character first appears (a PDF without rare names stays
// small). A font with `offset` serves the code points offset + 0x20 .. offset + 0xFFFF
// (plane 2: CJK Extension B and later) through Pingyi's libharu: text is written in it as
// code points minus the offset, and its ToUnicode maps them back.
struct FontSlot {
    fs::path path;
    std::uint32_t offset = 0;
    bool tried = false;  // loaded (or failed to load) into the document
    const char* name = nullptr;
    HPDF_FontDef fontdef = nullptr;
    HPDF_Font font = nullptr;

    [[nodiscard]] bool Covers(char32_t c) const
    {
        return offset == 0 ? c <= 0xFFFF : (c >= offset + 0x20 && c - offset <= 0xFFFF);
    }
    [[nodiscard]] HPDF_UINT16 Code(char32_t c) const { return static_cast<HPDF_UINT16>(c - offset); }
};

struct DocumentState {
    HPDF_Doc pdf = nullptr;
    std::vector<FontSlot> fonts;  // [0] is the main font, always loaded
    std::vector<HPDF_Page> pages;
    bool failed = false;
    Error error;
    bool expect_stream_eof = false;
    float ascent = 0.878f;                       // of the main font, × size
    std::unordered_map<char32_t, float> widths;  // glyph advance, × size
    std::unordered_map<char32_t, int> slot_of;   // the font of each character met (-1: none)

    DocumentState() = default;
    DocumentState(const DocumentState&) = delete;
    DocumentState& operator=(const DocumentState&) = delete;
    ~DocumentState()
    {
        if (pdf != nullptr) {
            HPDF_Free(pdf);
        }
    }

    void Fail(std::string code, std::string detail)
    {
        if (!failed) {
            failed = true;
            error = MakeError(std::move(code), std::move(detail));
        }
    }

    // Loads a font file into the document (not yet used on a page). False if it cannot.
    bool LoadFontDef(FontSlot& slot)
    {
        if (slot.tried) {
            return slot.fontdef != nullptr;
        }
        slot.tried = true;
        // libharu opens the file with fopen(): on Windows the narrow string is in the ANSI
        // code page, which holds a Chinese install path on a Chinese system.
        const std::string path = slot.path.string();
        const bool was_failed = failed;
        slot.name = slot.offset == 0 ? HPDF_LoadTTFontFromFile(pdf, path.c_str(), HPDF_TRUE)
                                     : HPDF_LoadTTFontFromFileOffset(pdf, path.c_str(), HPDF_TRUE, slot.offset);
        if (slot.name == nullptr || (failed && !was_failed)) {
            slot.name = nullptr;
            if (&slot != &fonts.front() && !was_failed) {
                // A fallback font that cannot be used only means fewer characters: the
                // document itself is fine (MissingGlyphs will name what cannot print).
                failed = false;
                error = {};
                HPDF_ResetError(pdf);
            }
            return false;
        }
        slot.fontdef = HPDF_Doc_FindFontDef(pdf, slot.name);
        return slot.fontdef != nullptr;
    }

    // The libharu font of a slot, created on first use (only then is it embedded).
    HPDF_Font FontOf(FontSlot& slot)
    {
        if (slot.font == nullptr && slot.name != nullptr) {
            slot.font = HPDF_GetFont(pdf, slot.name, "UTF-8");
        }
        return slot.font;
    }

    [[nodiscard]] bool SlotHas(const FontSlot& slot, char32_t c) const
    {
        return slot.fontdef != nullptr && slot.Covers(c) && HPDF_TTFontDef_GetGlyphid(slot.fontdef, slot.Code(c)) != 0;
    }

    // The first font that has a glyph for `c`, or -1. Fallback fonts are loaded as needed.
    int SlotFor(char32_t c)
    {
        if (auto it = slot_of.find(c); it != slot_of.end()) {
            return it->second;
        }
        int found = -1;
        for (std::size_t i = 0; i < fonts.size() && found < 0; ++i) {
            FontSlot& slot = fonts[i];
            if (!slot.Covers(c)) {
                continue;
            }
            if (!LoadFontDef(slot)) {
                continue;
            }
            if (SlotHas(slot, c)) {
                found = static_cast<int>(i);
            }
        }
        slot_of.emplace(c, found);
        return found;
    }

    [[nodiscard]] bool HasGlyph(char32_t c) const { return const_cast<DocumentState*>(this)->SlotFor(c) >= 0; }

    // What will actually be drawn for `utf8`: tabs as spaces, other controls dropped
    // (newlines kept), characters the font lacks as 〓.
    [[nodiscard]] std::u32string Prepare(std::string_view utf8) const
    {
        std::u32string out;
        for (char32_t c : DecodeUtf8(utf8)) {
            if (c == U'\t') {
                c = U' ';
            }
            if (c == U'\n') {
                out.push_back(c);
                continue;
            }
            if (c < 0x20 || (c >= 0x7F && c < 0xA0)) {
                continue;
            }
            if (c != U' ' && !HasGlyph(c)) {
                c = HasGlyph(kGeta) ? kGeta : U'?';
            }
            out.push_back(c);
        }
        return out;
    }

    float Advance(char32_t c)
    {
        if (auto it = widths.find(c); it != widths.end()) {
            return it->second;
        }
        FontSlot& slot = fonts[static_cast<std::size_t>(std::max(SlotFor(c), 0))];
        std::string bytes;
        AppendUtf8(bytes, slot.Covers(c) ? slot.Code(c) : c);
        const HPDF_TextWidth tw =
            HPDF_Font_TextWidth(FontOf(slot), reinterpret_cast<const HPDF_BYTE*>(bytes.data()),  // NOLINT
                                static_cast<HPDF_UINT>(bytes.size()));
        const float w = static_cast<float>(tw.width) / 1000.0f;
        widths.emplace(c, w);
        return w;
    }

    float Width(std::u32string_view s, float size, float char_space)
    {
        float w = 0;
        for (char32_t c : s) {
            w += Advance(c) * size + char_space;
        }
        return s.empty() ? 0 : w - char_space;
    }

    // Greedy line breaking of prepared text to `max_width`.
    std::vector<std::u32string> Wrap(std::u32string_view s, float size, float char_space, float max_width)
    {
        std::vector<std::u32string> lines;
        auto emit = [&](std::size_t from, std::size_t to) {
            while (to > from && s[to - 1] == U' ') {
                --to;
            }
            lines.emplace_back(s.substr(from, to - from));
        };
        std::size_t start = 0;
        std::size_t brk = std::u32string_view::npos;
        float width = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const char32_t c = s[i];
            if (c == U'\n') {
                emit(start, i);
                start = i + 1;
                brk = std::u32string_view::npos;
                width = 0;
                continue;
            }
            if (i > start && CanBreakBefore(s[i - 1], c)) {
                brk = i;
            }
            const float adv = Advance(c) * size + char_space;
            if (i > start && c != U' ' && width + adv - char_space > max_width) {
                const std::size_t cut = (brk != std::u32string_view::npos && brk > start) ? brk : i;
                emit(start, cut);
                start = cut;
                while (start < i && s[start] == U' ') {
                    ++start;
                }
                brk = std::u32string_view::npos;
                width = 0;
                for (std::size_t k = start; k < i; ++k) {
                    width += Advance(s[k]) * size + char_space;
                }
            }
            if (i == start && c == U' ') {
                ++start;  // no leading spaces on a wrapped line
                continue;
            }
            width += adv;
        }
        if (start < s.size() || lines.empty()) {
            emit(start, s.size());
        }
        return lines;
    }

    // Shortens `line` to fit `max_width` with a trailing ellipsis.
    std::u32string Ellipsize(std::u32string line, float size, float char_space, float max_width)
    {
        const float ell = Width(std::u32string(1, kEllipsis), size, 0) + char_space;
        while (!line.empty() && Width(line, size, char_space) + ell > max_width) {
            line.pop_back();
        }
        while (!line.empty() && line.back() == U' ') {
            line.pop_back();
        }
        line.push_back(kEllipsis);
        return line;
    }

    void DrawLine(HPDF_Page page, float x, float baseline, std::u32string_view text, const TextStyle& st)
    {
        if (text.empty() || failed) {
            return;
        }
        const float w = Width(text, st.size, st.char_space);
        float left = x;
        if (st.align == Align::kCenter) {
            left = x - w / 2;
        } else if (st.align == Align::kRight) {
            left = x - w;
        }
        const float page_h = HPDF_Page_GetHeight(page);
        HPDF_Page_GSave(page);
        HPDF_Page_SetRGBFill(page, st.color.r, st.color.g, st.color.b);
        if (st.bold) {
            HPDF_Page_SetRGBStroke(page, st.color.r, st.color.g, st.color.b);
            HPDF_Page_SetLineWidth(page, st.size * kBoldStroke);
        }
        HPDF_Page_BeginText(page);
        if (st.bold) {
            HPDF_Page_SetTextRenderingMode(page, HPDF_FILL_THEN_STROKE);
        }
        if (st.char_space != 0) {
            HPDF_Page_SetCharSpace(page, st.char_space);
        }
        HPDF_Page_MoveTextPos(page, left, page_h - baseline);
        // One run per font: ShowText moves the text position on by the run's width.
        for (std::size_t i = 0; i < text.size();) {
            const auto slot_index = static_cast<std::size_t>(std::max(SlotFor(text[i]), 0));
            FontSlot& slot = fonts[slot_index];
            std::string bytes;
            std::size_t j = i;
            for (; j < text.size() && static_cast<std::size_t>(std::max(SlotFor(text[j]), 0)) == slot_index; ++j) {
                AppendUtf8(bytes, slot.Covers(text[j]) ? slot.Code(text[j]) : text[j]);
            }
            HPDF_Page_SetFontAndSize(page, FontOf(slot), st.size);
            HPDF_Page_ShowText(page, bytes.c_str());
            i = j;
        }
        HPDF_Page_EndText(page);
        HPDF_Page_GRestore(page);
    }

    BoxResult DrawBox(HPDF_Page page, const Rect& box, std::vector<std::u32string> lines, const TextStyle& st,
                      VAlign valign, std::size_t max_lines)
    {
        const float line_h = st.size * st.line_spacing;
        std::size_t capacity = static_cast<std::size_t>(std::floor((box.h + 0.01f) / line_h));
        if (max_lines > 0) {
            capacity = std::min(capacity, max_lines);
        }
        BoxResult r;
        r.size = st.size;
        if (lines.size() > capacity) {
            r.fits = false;
            lines.resize(capacity);
            if (!lines.empty()) {
                lines.back() = Ellipsize(std::move(lines.back()), st.size, st.char_space, box.w);
            }
        }
        r.lines = static_cast<int>(lines.size());
        r.height = static_cast<float>(lines.size()) * line_h;
        float top = box.y;
        if (valign == VAlign::kMiddle) {
            top += (box.h - r.height) / 2;
        } else if (valign == VAlign::kBottom) {
            top += box.h - r.height;
        }
        float x = box.x;
        if (st.align == Align::kCenter) {
            x += box.w / 2;
        } else if (st.align == Align::kRight) {
            x += box.w;
        }
        const float first_baseline = top + (line_h - st.size) / 2 + ascent * st.size;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            DrawLine(page, x, first_baseline + static_cast<float>(i) * line_h, lines[i], st);
        }
        return r;
    }
};

}  // namespace detail

namespace {

void HPDF_STDCALL OnHaruError(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data)
{
    auto* state = static_cast<detail::DocumentState*>(user_data);
    if (state == nullptr) {
        return;
    }
    if (error_no == HPDF_STREAM_EOF && state->expect_stream_eof) {
        return;
    }
    state->Fail("pdf.internal", std::string(ErrorName(error_no)) + " (libharu " + HexCode(error_no) + ", detail " +
                                    std::to_string(detail_no) + ")");
}

}  // namespace

// ---- Page -------------------------------------------------------------------------

namespace {
HPDF_Page Handle(detail::DocumentState* d, std::size_t index)
{
    return d->pages.at(index);
}
}  // namespace

float Page::Width() const
{
    HPDF_Page page = Handle(m_doc, m_index);
    return page != nullptr ? HPDF_Page_GetWidth(page) : kA4Width;
}

float Page::Height() const
{
    HPDF_Page page = Handle(m_doc, m_index);
    return page != nullptr ? HPDF_Page_GetHeight(page) : kA4Height;
}

void Page::Text(float x, float baseline, std::string_view utf8, const TextStyle& style)
{
    std::u32string text = m_doc->Prepare(utf8);
    std::erase(text, U'\n');
    m_doc->DrawLine(Handle(m_doc, m_index), x, baseline, text, style);
}

BoxResult Page::TextBox(const Rect& box, std::string_view utf8, const TextStyle& style, VAlign valign)
{
    auto lines = m_doc->Wrap(m_doc->Prepare(utf8), style.size, style.char_space, box.w);
    return m_doc->DrawBox(Handle(m_doc, m_index), box, std::move(lines), style, valign, 0);
}

BoxResult Page::FitTextBox(const Rect& box, std::string_view utf8, const TextStyle& style, float min_size,
                           int max_lines, VAlign valign)
{
    const std::u32string text = m_doc->Prepare(utf8);
    const auto cap = static_cast<std::size_t>(std::max(max_lines, 0));
    TextStyle st = style;
    min_size = std::min(min_size, style.size);
    for (float size = style.size; size >= min_size - 0.001f; size -= 0.25f) {
        st.size = size;
        auto lines = m_doc->Wrap(text, size, st.char_space, box.w);
        const float line_h = size * st.line_spacing;
        if ((cap == 0 || lines.size() <= cap) && static_cast<float>(lines.size()) * line_h <= box.h + 0.01f) {
            return m_doc->DrawBox(Handle(m_doc, m_index), box, std::move(lines), st, valign, cap);
        }
    }
    st.size = min_size;
    auto lines = m_doc->Wrap(text, min_size, st.char_space, box.w);
    return m_doc->DrawBox(Handle(m_doc, m_index), box, std::move(lines), st, valign, cap);
}

float Page::TextWidth(std::string_view utf8, float size, float char_space) const
{
    std::u32string text = m_doc->Prepare(utf8);
    std::erase(text, U'\n');
    return m_doc->Width(text, size, char_space);
}

BoxResult Page::MeasureText(std::string_view utf8, float width, const TextStyle& style) const
{
    const auto lines = m_doc->Wrap(m_doc->Prepare(utf8), style.size, style.char_space, width);
    BoxResult r;
    r.size = style.size;
    r.lines = static_cast<int>(lines.size());
    r.height = static_cast<float>(lines.size()) * style.size * style.line_spacing;
    return r;
}

float Page::Ascent(float size) const
{
    return m_doc->ascent * size;
}

namespace {

// Saves the graphics state and sets the pen of `style` (width, colour, dash).
void BeginStroke(HPDF_Page page, const LineStyle& style)
{
    HPDF_Page_GSave(page);
    HPDF_Page_SetLineWidth(page, style.width);
    HPDF_Page_SetRGBStroke(page, style.color.r, style.color.g, style.color.b);
    if (style.dash > 0) {
        const auto d = static_cast<HPDF_UINT16>(std::clamp(std::lround(style.dash), 1L, 1000L));
        const std::array<HPDF_UINT16, 2> pattern{d, d};
        HPDF_Page_SetDash(page, pattern.data(), 2, 0);
    }
}

}  // namespace

void Page::Line(float x1, float y1, float x2, float y2, const LineStyle& style)
{
    if (m_doc->failed) {
        return;
    }
    HPDF_Page page = Handle(m_doc, m_index);
    const float h = HPDF_Page_GetHeight(page);
    BeginStroke(page, style);
    HPDF_Page_MoveTo(page, x1, h - y1);
    HPDF_Page_LineTo(page, x2, h - y2);
    HPDF_Page_Stroke(page);
    HPDF_Page_GRestore(page);
}

void Page::StrokeRect(const Rect& r, const LineStyle& style)
{
    if (m_doc->failed) {
        return;
    }
    HPDF_Page page = Handle(m_doc, m_index);
    const float h = HPDF_Page_GetHeight(page);
    BeginStroke(page, style);
    HPDF_Page_Rectangle(page, r.x, h - r.y - r.h, r.w, r.h);
    HPDF_Page_Stroke(page);
    HPDF_Page_GRestore(page);
}

void Page::FillRect(const Rect& r, Color fill)
{
    if (m_doc->failed) {
        return;
    }
    HPDF_Page page = Handle(m_doc, m_index);
    const float h = HPDF_Page_GetHeight(page);
    HPDF_Page_GSave(page);
    HPDF_Page_SetRGBFill(page, fill.r, fill.g, fill.b);
    HPDF_Page_Rectangle(page, r.x, h - r.y - r.h, r.w, r.h);
    HPDF_Page_Fill(page);
    HPDF_Page_GRestore(page);
}

float Page::QrCode(float x, float y, float side, std::string_view payload, QrLevel level, int quiet_modules)
{
    if (m_doc->failed) {
        return 0;
    }
    Result<QrMatrix> qr = EncodeQr(payload, level);
    if (!qr) {
        m_doc->Fail(qr.error().code, qr.error().detail);
        return 0;
    }
    const QrMatrix& m = *qr;
    quiet_modules = std::max(quiet_modules, 0);
    const float module = side / static_cast<float>(m.size + 2 * quiet_modules);
    FillRect(Rect{x, y, side, side}, kWhite);
    HPDF_Page page = Handle(m_doc, m_index);
    const float page_h = HPDF_Page_GetHeight(page);
    const float x0 = x + module * static_cast<float>(quiet_modules);
    const float y0 = y + module * static_cast<float>(quiet_modules);
    HPDF_Page_GSave(page);
    HPDF_Page_SetRGBFill(page, 0, 0, 0);
    for (int row = 0; row < m.size; ++row) {
        int col = 0;
        while (col < m.size) {
            if (!m.At(col, row)) {
                ++col;
                continue;
            }
            const int run_start = col;
            while (col < m.size && m.At(col, row)) {
                ++col;
            }
            const float top = y0 + module * static_cast<float>(row);
            HPDF_Page_Rectangle(page, x0 + module * static_cast<float>(run_start), page_h - top - module,
                                module * static_cast<float>(col - run_start), module);
        }
    }
    HPDF_Page_Fill(page);
    HPDF_Page_GRestore(page);
    return module;
}

// ---- Document ---------------------------------------------------------------------

Document::Document(std::unique_ptr<detail::DocumentState> state) : m_state(std::move(state)) {}
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

Result<Document> Document::Create(const fs::path& font)
{
    Result<fs::path> font_file = LocateFont(font);
    if (!font_file) {
        return font_file.error();
    }
    auto state = std::make_unique<detail::DocumentState>();
    state->pdf = HPDF_New(OnHaruError, state.get());
    if (state->pdf == nullptr) {
        return MakeError("pdf.internal", "libharu could not create a document");
    }
    HPDF_SetCompressionMode(state->pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(state->pdf);
    HPDF_SetCurrentEncoder(state->pdf, "UTF-8");
    HPDF_SetInfoAttr(state->pdf, HPDF_INFO_CREATOR, "Pingyi");
    if (state->failed) {
        return state->error;
    }
    const std::string font_path = font_file->string();
    state->fonts.push_back({.path = *font_file});
    for (const FallbackFont& fallback : LocateFallbackFonts()) {
        state->fonts.push_back({.path = fallback.path, .offset = fallback.plane_offset});
    }
    detail::FontSlot& main = state->fonts.front();
    if (!state->LoadFontDef(main) || state->FontOf(main) == nullptr || state->failed) {
        return MakeError("pdf.font", "cannot use font " + font_path + ": " + state->error.detail);
    }
    if (!state->SlotHas(main, U'\u4E2D')) {  // 中
        return MakeError("pdf.font", "font " + font_path + " has no Chinese characters");
    }
    const HPDF_INT ascent = HPDF_Font_GetAscent(main.font);
    if (ascent > 0) {
        state->ascent = static_cast<float>(ascent) / 1000.0f;
    }
    return Document(std::move(state));
}

Page Document::AddPage(Orientation orientation)
{
    HPDF_Page page = HPDF_AddPage(m_state->pdf);
    if (page == nullptr) {
        m_state->Fail("pdf.internal", "libharu could not add a page: " + m_state->error.detail);
        // Keep handles valid: reuse the last page (or none) so drawing stays harmless.
        if (m_state->pages.empty()) {
            m_state->pages.push_back(nullptr);
        } else {
            m_state->pages.push_back(m_state->pages.back());
        }
        return Page(m_state.get(), m_state->pages.size() - 1);
    }
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4,
                      orientation == Orientation::kPortrait ? HPDF_PAGE_PORTRAIT : HPDF_PAGE_LANDSCAPE);
    m_state->pages.push_back(page);
    return Page(m_state.get(), m_state->pages.size() - 1);
}

std::size_t Document::PageCount() const
{
    return m_state->pages.size();
}

Page Document::GetPage(std::size_t index) const
{
    (void)m_state->pages.at(index);
    return Page(m_state.get(), index);
}

std::u32string Document::MissingGlyphs(std::string_view utf8) const
{
    std::u32string out;
    for (char32_t c : DecodeUtf8(utf8)) {
        if (c <= 0x20 || (c >= 0x7F && c < 0xA0)) {
            continue;
        }
        if (!m_state->HasGlyph(c) && out.find(c) == std::u32string::npos) {
            out.push_back(c);
        }
    }
    return out;
}

Status Document::status() const
{
    if (m_state->failed) {
        return m_state->error;
    }
    return Status::Ok();
}

Result<std::vector<std::uint8_t>> Document::Serialize()
{
    if (m_state->failed) {
        return m_state->error;
    }
    if (m_state->pages.empty()) {
        return MakeError("pdf.internal", "the document has no pages");
    }
    if (HPDF_SaveToStream(m_state->pdf) != HPDF_OK || m_state->failed) {
        return MakeError("pdf.internal", "libharu could not write the PDF: " + m_state->error.detail);
    }
    const HPDF_UINT32 size = HPDF_GetStreamSize(m_state->pdf);
    std::vector<std::uint8_t> out(size);
    HPDF_UINT32 got = 0;
    m_state->expect_stream_eof = true;
    while (got < size) {
        HPDF_UINT32 chunk = size - got;
        const HPDF_STATUS rc = HPDF_ReadFromStream(m_state->pdf, out.data() + got, &chunk);
        got += chunk;
        if ((rc != HPDF_OK && rc != HPDF_STREAM_EOF) || chunk == 0) {
            break;
        }
    }
    m_state->expect_stream_eof = false;
    HPDF_ResetError(m_state->pdf);
    if (got != size || m_state->failed) {
        return MakeError("pdf.internal", "libharu returned a short PDF stream");
    }
    return out;
}

namespace {

Status WriteError(const fs::path& out, const std::string& why)
{
    return MakeError("pdf.write", "cannot write " + out.string() + ": " + why);
}

}  // namespace

Status Document::Save(const fs::path& out, FileAccess access)
{
    if (out.empty()) {
        return MakeError("pdf.write", "no output file given");
    }
    std::error_code ec;
    fs::path dir = out.parent_path();
    if (dir.empty()) {
        dir = ".";
    }
    if (!fs::exists(dir, ec)) {
        return WriteError(out, "the directory " + dir.string() + " does not exist");
    }
    if (!fs::is_directory(dir, ec)) {
        return WriteError(out, dir.string() + " is not a directory");
    }
    if (fs::is_directory(out, ec)) {
        return WriteError(out, "it is a directory");
    }
    Result<std::vector<std::uint8_t>> bytes = Serialize();
    if (!bytes) {
        return bytes.error();
    }
    if (Status s = WriteFileAtomic(out, *bytes, access); !s) {
        return MakeError("pdf.write", s.error().detail);
    }
    return Status::Ok();
}

// ---- Tables -----------------------------------------------------------------------

namespace {

float RowHeight(const Page& page, const std::vector<TableColumn>& columns, const std::vector<std::string>& cells,
                const TableStyle& st)
{
    TextStyle ts;
    ts.size = st.size;
    float text_h = ts.size * ts.line_spacing;
    for (std::size_t c = 0; c < columns.size() && c < cells.size(); ++c) {
        ts.bold = false;
        const float w = columns[c].width - 2 * st.padding;
        text_h = std::max(text_h, page.MeasureText(cells[c], w, ts).height);
    }
    return text_h + 2 * st.padding;
}

void DrawRow(Page& page, float x, float y, float h, const std::vector<TableColumn>& columns,
             const std::vector<std::string>& cells, const TableStyle& st, bool header)
{
    float total = 0;
    for (const TableColumn& col : columns) {
        total += col.width;
    }
    if (header) {
        page.FillRect(Rect{x, y, total, h}, st.header_fill);
    }
    float cx = x;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        const TableColumn& col = columns[c];
        if (c < cells.size() && !cells[c].empty()) {
            TextStyle ts;
            ts.size = st.size;
            ts.align = header ? Align::kCenter : col.align;
            ts.bold = header && st.header_bold;
            page.TextBox(Rect{cx + st.padding, y + st.padding, col.width - 2 * st.padding, h - 2 * st.padding},
                         cells[c], ts, header ? VAlign::kMiddle : VAlign::kTop);
        }
        page.StrokeRect(Rect{cx, y, col.width, h}, st.grid);
        cx += col.width;
    }
}

}  // namespace

Cursor DrawTable(Document& doc, Cursor at, float x, float bottom, const std::vector<TableColumn>& columns,
                 const std::vector<std::vector<std::string>>& rows, const TableStyle& style,
                 const std::function<Cursor()>& next_page)
{
    std::vector<std::string> header;
    header.reserve(columns.size());
    for (const TableColumn& col : columns) {
        header.push_back(col.header);
    }
    const float header_h = RowHeight(at.page, columns, header, style);
    auto new_page = [&]() -> Cursor {
        if (next_page) {
            return next_page();
        }
        return Cursor{doc.AddPage(), 15 * kPointsPerMm};
    };
    Cursor cur = at;
    if (cur.y + header_h > bottom) {
        cur = new_page();
    }
    DrawRow(cur.page, x, cur.y, header_h, columns, header, style, /*header=*/true);
    cur.y += header_h;
    bool row_on_page = false;
    for (const auto& row : rows) {
        const float h = RowHeight(cur.page, columns, row, style);
        if (cur.y + h > bottom && row_on_page) {
            cur = new_page();
            if (style.repeat_header) {
                DrawRow(cur.page, x, cur.y, header_h, columns, header, style, true);
                cur.y += header_h;
            }
            row_on_page = false;
        }
        DrawRow(cur.page, x, cur.y, h, columns, row, style, /*header=*/false);
        cur.y += h;
        row_on_page = true;
    }
    return cur;
}

}  // namespace pingyi::pdf
