// A small PDF layer over libharu for slips and reports: A4 pages, one embedded Chinese
// TrueType font addressed in UTF-8, text at a point or wrapped/fitted in a box, lines,
// rectangles, tables that flow over pages, and QR codes drawn as vector rectangles.
//
// Units are points (1/72 inch). Coordinates have their origin at the TOP-LEFT corner of
// the page and y grows downward, as on screen; the layer converts to PDF's bottom-left.
//
// Errors: libharu reports through an error handler that this layer installs; it records
// the first error and never aborts. Drawing calls return nothing: a failure while
// drawing is kept in the document and returned by Save()/Serialize() (code
// "pdf.internal" or "pdf.qr"), so layout code stays readable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/file_io.hpp"
#include "core/qr.hpp"
#include "crypto/result.hpp"

namespace pingyi::pdf {

inline constexpr float kA4Width = 595.276f;  // 210 mm
inline constexpr float kA4Height = 841.89f;  // 297 mm
inline constexpr float kPointsPerMm = 72.0f / 25.4f;

struct Color {
    float r = 0, g = 0, b = 0;
};
inline constexpr Color kBlack{0, 0, 0};
inline constexpr Color kWhite{1, 1, 1};
inline constexpr Color kGray{0.4f, 0.4f, 0.4f};
inline constexpr Color kLightGray{0.88f, 0.88f, 0.88f};
inline constexpr Color kRed{0.78f, 0.05f, 0.05f};

struct Rect {
    float x = 0, y = 0, w = 0, h = 0;  // top-left corner, width, height
};

enum class Align { kLeft, kCenter, kRight };
enum class VAlign { kTop, kMiddle, kBottom };
enum class Orientation { kPortrait, kLandscape };

struct TextStyle {
    float size = 10;
    Color color = kBlack;
    Align align = Align::kLeft;
    bool bold = false;           // the font has one weight: bold is fill + a thin stroke
    float char_space = 0;        // extra space after each character, in points
    float line_spacing = 1.25f;  // distance between baselines of wrapped lines, × size
};

struct LineStyle {
    float width = 0.5f;
    Color color = kBlack;
    float dash = 0;  // 0: solid; otherwise the length of dashes and of gaps
};

// What a text box did: the font size used, the lines drawn, the height they take, and
// whether everything fitted (lines that do not fit are not drawn).
struct BoxResult {
    float size = 0;
    int lines = 0;
    float height = 0;
    bool fits = true;
};

// QR codes (core/qr.hpp), under the names the PDF code has always used.
using pingyi::EncodeQr;
using pingyi::QrLevel;
using pingyi::QrMatrix;

class Document;
namespace detail {
struct DocumentState;  // libharu handles, font, first error; defined in pdf.cpp
}  // namespace detail

// A page of a Document. A cheap handle: valid while its Document lives.
class Page {
  public:
    [[nodiscard]] float Width() const;
    [[nodiscard]] float Height() const;

    // One line of text; `x` is the left edge, centre or right edge per style.align,
    // `baseline` the y of the baseline. Newlines are not interpreted.
    void Text(float x, float baseline, std::string_view utf8, const TextStyle& style = {});

    // Text wrapped to box.w (breaks at spaces, after '-', '/' and between Chinese
    // characters; '\n' forces a break), drawn from the top of the box or centred/bottom
    // per `valign`. Lines that do not fit in box.h are dropped and fits = false.
    BoxResult TextBox(const Rect& box, std::string_view utf8, const TextStyle& style = {},
                      VAlign valign = VAlign::kTop);

    // Like TextBox, but first shrinks the size from style.size down to `min_size`
    // (steps of 0.25 pt) until the wrapped text fits; `max_lines` > 0 also caps the
    // line count (1 = shrink to fit one line).
    BoxResult FitTextBox(const Rect& box, std::string_view utf8, const TextStyle& style, float min_size,
                         int max_lines = 0, VAlign valign = VAlign::kTop);

    // How TextBox would lay out `utf8` in a box `width` wide, without drawing.
    [[nodiscard]] BoxResult MeasureText(std::string_view utf8, float width, const TextStyle& style = {}) const;

    // Width of one line of text at `size`, with `char_space` after every character but
    // the last.
    [[nodiscard]] float TextWidth(std::string_view utf8, float size, float char_space = 0) const;
    // Distance from the top of a line box to the baseline, for a font size.
    [[nodiscard]] float Ascent(float size) const;

    void Line(float x1, float y1, float x2, float y2, const LineStyle& style = {});
    void StrokeRect(const Rect& r, const LineStyle& style = {});
    void FillRect(const Rect& r, Color fill);

    // A QR code of `payload` in the square (x, y, side), quiet zone of `quiet_modules`
    // included, on a white background; one rectangle per run of dark modules, one fill.
    // Returns the module size in points, or 0 if encoding failed (error kept, "pdf.qr").
    float QrCode(float x, float y, float side, std::string_view payload, QrLevel level = QrLevel::kM,
                 int quiet_modules = 4);

  private:
    friend class Document;
    Page(detail::DocumentState* doc, std::size_t index) : m_doc(doc), m_index(index) {}
    detail::DocumentState* m_doc;
    std::size_t m_index;
};

// kOwnerOnly for voting-code slips: they are secret until handed out.
using pingyi::FileAccess;

class Document {
  public:
    // A new document that embeds `font` (a TrueType file), or the font LocateFont()
    // finds when `font` is empty. Errors: "pdf.font" (missing or unusable font),
    // "pdf.internal" (libharu could not start).
    [[nodiscard]] static Result<Document> Create(const std::filesystem::path& font = {});

    Document(Document&&) noexcept;
    Document& operator=(Document&&) noexcept;
    Document(const Document&) = delete;
    Document& operator=(const Document&) = delete;
    ~Document();

    // Appends an A4 page.
    Page AddPage(Orientation orientation = Orientation::kPortrait);
    [[nodiscard]] std::size_t PageCount() const;
    [[nodiscard]] Page GetPage(std::size_t index) const;

    // The characters of `utf8` that the font cannot draw (they print as 〓). Spaces and
    // control characters are never reported.
    [[nodiscard]] std::u32string MissingGlyphs(std::string_view utf8) const;

    // The first error met while drawing, if any.
    [[nodiscard]] Status status() const;

    // The finished PDF in memory.
    [[nodiscard]] Result<std::vector<std::uint8_t>> Serialize();

    // Writes the PDF to `out` through a temporary file in the same directory that is
    // renamed into place, so `out` is never left half-written. Error "pdf.write" if the
    // directory does not exist or cannot be written.
    [[nodiscard]] Status Save(const std::filesystem::path& out, FileAccess access = FileAccess::kDefault);

  private:
    explicit Document(std::unique_ptr<detail::DocumentState> state);
    std::unique_ptr<detail::DocumentState> m_state;
};

// ---- Tables ------------------------------------------------------------------------

struct TableColumn {
    std::string header;
    float width = 0;
    Align align = Align::kLeft;
};

struct TableStyle {
    float size = 9;
    float padding = 3;
    LineStyle grid{};
    Color header_fill = kLightGray;
    bool header_bold = true;
    bool repeat_header = true;  // draw the header row again at the top of each new page
};

// Where a flowing element continues: a page and a y on it.
struct Cursor {
    Page page;
    float y = 0;
};

// Draws a table with its header row at `at`, left edge `x`, cells wrapped within their
// columns. When the next row would cross `bottom`, calls `next_page` for a fresh page
// and y (it may draw a page header first); with no `next_page`, a plain A4 page is added
// and the table continues 15 mm from its top. Returns where the table ended.
Cursor DrawTable(Document& doc, Cursor at, float x, float bottom, const std::vector<TableColumn>& columns,
                 const std::vector<std::vector<std::string>>& rows, const TableStyle& style = {},
                 const std::function<Cursor()>& next_page = {});

}  // namespace pingyi::pdf
