#include "core/roster.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "core/file_io.hpp"
#include "core/pdf.hpp"
#include "core/text_encoding.hpp"
#include "core/xlsx_reader.hpp"

namespace pingyi {
namespace {

constexpr std::size_t kHeaderSearchRows = 5;
constexpr std::size_t kMaxWarnings = 100;
constexpr std::string_view kEncodingXlsx = "xlsx";

constexpr std::array<std::uint8_t, 4> kZipMagic = {0x50, 0x4B, 0x03, 0x04};
constexpr std::array<std::uint8_t, 8> kOleMagic = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

template <std::size_t N>
bool StartsWith(ByteView bytes, const std::array<std::uint8_t, N>& magic)
{
    return bytes.size() >= N && std::equal(magic.begin(), magic.end(), bytes.begin());
}

std::string LinePrefix(std::size_t line)
{
    return "line " + std::to_string(line) + ": ";
}

Error RowError(std::string code, std::size_t line, const std::string& what)
{
    return MakeError(std::move(code), LinePrefix(line) + what);
}

// ---- text ---------------------------------------------------------------------------------

bool IsSpace(char32_t cp)
{
    return cp == U' ' || cp == U'\t' || cp == U'\r' || cp == U'\n' || cp == U'\v' || cp == U'\f' || cp == 0x00A0 ||
           cp == 0x3000 || cp == 0xFEFF || cp == 0x200B;
}

// Characters that have no business in a name on a ballot: C0/C1 controls, and invisible
// format characters (zero-width, bidirectional overrides) that could make two names look
// alike or reorder what the voter sees; U+FFFD marks text damaged by an earlier conversion.
bool IsForbidden(char32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) || cp == 0xFFFD;
}

std::string Trim(std::string_view s)
{
    std::size_t pos = 0;
    std::size_t begin = s.size();
    std::size_t end = 0;
    while (pos < s.size()) {
        const std::size_t start = pos;
        const char32_t cp = NextCodePoint(s, pos);
        if (!IsSpace(cp)) {
            begin = std::min(begin, start);
            end = pos;
        }
    }
    return begin < end ? std::string(s.substr(begin, end - begin)) : std::string();
}

std::size_t CountCodePoints(std::string_view s)
{
    std::size_t n = 0;
    std::size_t pos = 0;
    while (pos < s.size()) {
        NextCodePoint(s, pos);
        ++n;
    }
    return n;
}

std::optional<char32_t> FirstForbidden(std::string_view s)
{
    std::size_t pos = 0;
    while (pos < s.size()) {
        const char32_t cp = NextCodePoint(s, pos);
        if (IsForbidden(cp)) {
            return cp;
        }
    }
    return std::nullopt;
}

// A private-use character (U+E000–U+F8FF, planes 15 and 16) or U+FFFD: no real name has
// one; they come from bytes read in the wrong encoding (GB18030's user-defined areas, a file
// that mixes UTF-8 and GB18030 lines).
std::optional<char32_t> FirstMisread(std::string_view s)
{
    std::size_t pos = 0;
    while (pos < s.size()) {
        const char32_t cp = NextCodePoint(s, pos);
        if ((cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000 || cp == 0xFFFD) {
            return cp;
        }
    }
    return std::nullopt;
}

std::string CodePointName(char32_t cp)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out = "U+";
    for (int shift = cp > 0xFFFF ? 20 : 12; shift >= 0; shift -= 4) {
        out.push_back(kHex[(static_cast<std::uint32_t>(cp) >> shift) & 0xF]);
    }
    return out;
}

// A note may have come from a multi-line cell: its line breaks and tabs become one space.
std::string FlattenWhitespace(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    bool in_break = false;
    for (const char c : s) {
        if (c == '\r' || c == '\n' || c == '\t') {
            if (!in_break) {
                out.push_back(' ');
            }
            in_break = true;
        } else {
            out.push_back(c);
            in_break = false;
        }
    }
    return out;
}

// ASCII lower case, white space removed: "姓　名", " Name " and "NAME" all match "姓名"/"name".
std::string HeaderKey(std::string_view cell)
{
    std::string out;
    std::size_t pos = 0;
    while (pos < cell.size()) {
        const std::size_t start = pos;
        const char32_t cp = NextCodePoint(cell, pos);
        if (IsSpace(cp)) {
            continue;
        }
        if (cp >= U'A' && cp <= U'Z') {
            out.push_back(static_cast<char>(cp - U'A' + U'a'));
        } else {
            out.append(cell.substr(start, pos - start));
        }
    }
    return out;
}

enum class Column { kName, kId, kNote, kIgnored, kUnknown };

Column ClassifyHeader(std::string_view cell)
{
    static const std::map<std::string, Column, std::less<>> kHeaders = {
        {"姓名", Column::kName},    {"name", Column::kName},   {"编号", Column::kId},       {"工号", Column::kId},
        {"学号", Column::kId},      {"身份证号", Column::kId}, {"身份证号码", Column::kId}, {"id", Column::kId},
        {"备注", Column::kNote},    {"note", Column::kNote},   {"remark", Column::kNote},   {"remarks", Column::kNote},
        {"序号", Column::kIgnored},
    };
    const auto it = kHeaders.find(HeaderKey(cell));
    return it == kHeaders.end() ? Column::kUnknown : it->second;
}

bool AllDigits(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ---- rows to roster -----------------------------------------------------------------------

// Takes rows one at a time, so that a huge file fails at member 1001 rather than after
// materialising every row.
class RosterBuilder {
  public:
    RosterBuilder(std::string_view encoding, const UnprintableCheck& unprintable) : m_unprintable(unprintable)
    {
        m_roster.detected_encoding = std::string(encoding);
    }

    Status Add(std::size_t line, const std::vector<std::string>& raw_cells)
    {
        std::vector<std::string> cells;
        cells.reserve(raw_cells.size());
        bool blank = true;
        for (const auto& c : raw_cells) {
            cells.push_back(Trim(c));
            blank = blank && cells.back().empty();
        }
        if (blank) {
            return Status::Ok();
        }
        if (m_layout_decided) {
            return AddMember(line, cells);
        }
        m_pending.emplace_back(line, std::move(cells));
        if (m_pending.size() == kHeaderSearchRows) {
            return DecideLayout();
        }
        return Status::Ok();
    }

    Result<Roster> Finish()
    {
        if (!m_layout_decided) {
            if (auto st = DecideLayout(); !st) {
                return st.error();
            }
        }
        if (m_roster.entries.empty()) {
            return MakeError("roster.empty", "the roster has no members");
        }
        if (m_dropped_warnings > 0) {
            m_roster.warnings.push_back(RosterIssue{0, "roster.warnings_omitted",
                                                    std::to_string(m_dropped_warnings) + " more warnings not shown"});
        }
        return std::move(m_roster);
    }

  private:
    void Warn(std::size_t line, std::string code, std::string detail)
    {
        if (m_roster.warnings.size() >= kMaxWarnings) {
            ++m_dropped_warnings;
            return;
        }
        m_roster.warnings.push_back(RosterIssue{line, std::move(code), std::move(detail)});
    }

    Status DecideLayout()
    {
        m_layout_decided = true;
        std::size_t header = m_pending.size();
        for (std::size_t k = 0; k < m_pending.size() && header == m_pending.size(); ++k) {
            if (LooksLikeHeader(m_pending[k].second)) {
                header = k;
            }
        }
        std::size_t first_data = 0;
        if (header < m_pending.size()) {
            for (std::size_t k = 0; k < header; ++k) {
                Warn(m_pending[k].first, "roster.row_skipped",
                     LinePrefix(m_pending[k].first) + "skipped: above the header row");
            }
            if (auto st = ApplyHeader(m_pending[header].first, m_pending[header].second); !st) {
                return st;
            }
            first_data = header + 1;
        }
        for (std::size_t k = first_data; k < m_pending.size(); ++k) {
            if (auto st = AddMember(m_pending[k].first, m_pending[k].second); !st) {
                return st;
            }
        }
        m_pending.clear();
        return Status::Ok();
    }

    // A name heading, or two known headings: a member's note may well read "备注" or "ID".
    static bool LooksLikeHeader(const std::vector<std::string>& cells)
    {
        std::size_t known = 0;
        for (const auto& cell : cells) {
            const Column c = ClassifyHeader(cell);
            if (c == Column::kName) {
                return true;
            }
            known += c != Column::kUnknown ? 1 : 0;
        }
        return known >= 2;
    }

    Status ApplyHeader(std::size_t line, const std::vector<std::string>& cells)
    {
        m_has_header = true;
        m_header = cells;
        m_name_col = m_id_col = m_note_col = std::nullopt;
        for (std::size_t j = 0; j < cells.size(); ++j) {
            const std::string& cell = cells[j];
            std::optional<std::size_t>* slot = nullptr;
            switch (ClassifyHeader(cell)) {
                case Column::kName:
                    if (m_name_col) {
                        return RowError("roster.header", line,
                                        "two name columns (" + cells[*m_name_col] + ", " + cell + ")");
                    }
                    slot = &m_name_col;
                    break;
                case Column::kId:
                    slot = &m_id_col;
                    break;
                case Column::kNote:
                    slot = &m_note_col;
                    break;
                case Column::kIgnored:
                    continue;
                case Column::kUnknown:
                    if (!cell.empty()) {
                        Warn(line, "roster.column_ignored", LinePrefix(line) + "column \"" + cell + "\" ignored");
                    }
                    continue;
            }
            if (*slot) {
                Warn(line, "roster.column_ignored",
                     LinePrefix(line) + "column \"" + cell + "\" ignored: \"" + cells[**slot] + "\" is used");
                continue;
            }
            *slot = j;
        }
        if (!m_name_col) {
            return RowError("roster.header", line, "the header row has no name column (姓名)");
        }
        return Status::Ok();
    }

    static std::string Cell(const std::vector<std::string>& cells, std::optional<std::size_t> col)
    {
        return col && *col < cells.size() ? cells[*col] : std::string();
    }

    Status CheckText(std::size_t line, std::string_view what, const std::string& text, std::size_t max_chars)
    {
        if (const auto bad = FirstForbidden(text)) {
            return RowError("roster.row", line,
                            std::string(what) + " contains the control or invisible character " + CodePointName(*bad));
        }
        if (const auto bad = FirstMisread(text)) {
            return RowError("roster.encoding", line,
                            std::string(what) + " contains " + CodePointName(*bad) +
                                ", a private-use or replacement character: the file was read as " +
                                m_roster.detected_encoding +
                                "; does it mix encodings (UTF-8 and GB18030 lines)? Save it in one encoding");
        }
        if (CountCodePoints(text) > max_chars) {
            return RowError("roster.row", line,
                            std::string(what) + " is longer than " + std::to_string(max_chars) + " characters");
        }
        return Status::Ok();
    }

    // Values in a column without a heading (or past the third, without a header) are
    // dropped; say so once.
    void WarnUnheadedColumns(std::size_t line, const std::vector<std::string>& cells)
    {
        if (m_warned_extra_columns) {
            return;
        }
        for (std::size_t j = 0; j < cells.size(); ++j) {
            const bool headed = m_has_header ? j < m_header.size() && !m_header[j].empty() : j < 3;
            if (!headed && !cells[j].empty()) {
                Warn(line, "roster.column_ignored",
                     LinePrefix(line) +
                         (m_has_header ? "column " + std::to_string(j + 1) + " has no heading: its values are ignored"
                                       : "columns after the third are ignored (no header row: "
                                         "name, ID, note)"));
                m_warned_extra_columns = true;
                return;
            }
        }
    }

    Status AddMember(std::size_t line, const std::vector<std::string>& cells)
    {
        RosterEntry entry{Cell(cells, m_name_col), Cell(cells, m_id_col),
                          Trim(FlattenWhitespace(Cell(cells, m_note_col)))};
        WarnUnheadedColumns(line, cells);
        if (entry.name.empty()) {
            if (!entry.id.empty() || !entry.note.empty()) {
                return RowError("roster.row", line, "the name is empty but the row has an ID or note");
            }
            // Only ignored columns are filled, e.g. a template's pre-numbered 序号.
            Warn(line, "roster.row_skipped", LinePrefix(line) + "skipped: no name, ID or note");
            return Status::Ok();
        }
        if (auto st = CheckText(line, "the name", entry.name, kMaxNameChars); !st) {
            return st;
        }
        if (AllDigits(entry.name)) {
            return RowError("roster.row", line,
                            "the name \"" + entry.name +
                                "\" is a number: is the first column a serial number (序号)? Add a "
                                "header row (序号, 姓名, ...)");
        }
        // Excel's plain "CSV" save writes '?' for every character outside GBK.
        if (entry.name.find('?') != std::string::npos) {
            return RowError("roster.row", line,
                            "the name \"" + entry.name +
                                "\" contains '?': a character was probably lost when the sheet was "
                                "saved as CSV; import the .xlsx file or save as \"CSV UTF-8\"");
        }
        // A name the slips and reports would print with 〓 is refused, never replaced.
        if (m_unprintable) {
            if (const std::u32string missing = m_unprintable(entry.name); !missing.empty()) {
                std::string character;
                AppendUtf8(character, missing.front());
                char hex[16];
                std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(missing.front()));
                return RowError("roster.unprintable", line,
                                "the name \"" + entry.name + "\" has the character " + character + " (" + hex +
                                    "), which no font of the slips and reports can print");
            }
        }
        if (auto st = CheckText(line, "the ID", entry.id, kMaxIdChars); !st) {
            return st;
        }
        if (auto st = CheckText(line, "the note", entry.note, kMaxNoteChars); !st) {
            return st;
        }

        if (!entry.id.empty()) {
            const auto seen = m_ids.find(entry.id);
            if (seen != m_ids.end()) {
                const RosterEntry& other = m_roster.entries[seen->second.second];
                if (other.name == entry.name) {
                    return RowError("roster.duplicate", line,
                                    "repeats line " + std::to_string(seen->second.first) + " (" + entry.name + ", ID " +
                                        entry.id + ")");
                }
                return RowError("roster.duplicate", line,
                                "ID " + entry.id + " is already used on line " + std::to_string(seen->second.first) +
                                    " by " + other.name);
            }
        } else {
            const std::string key = entry.name + '\n' + entry.note;
            const auto [it, inserted] = m_no_id.emplace(key, line);
            if (!inserted) {
                return RowError("roster.duplicate", line,
                                "repeats line " + std::to_string(it->second) + " (" + entry.name +
                                    ", no ID): give them IDs or notes that tell them apart");
            }
        }
        const auto [first, inserted] = m_names.emplace(entry.name, line);
        if (!inserted) {
            Warn(line, "roster.duplicate_name",
                 LinePrefix(line) + entry.name + " also on line " + std::to_string(first->second) +
                     ": check that ID or note tells them apart");
        }
        if (m_roster.entries.size() >= kMaxRosterMembers) {
            return RowError("roster.too_many", line, "more than " + std::to_string(kMaxRosterMembers) + " members");
        }
        if (!entry.id.empty()) {
            m_ids.emplace(entry.id, std::make_pair(line, m_roster.entries.size()));
        }
        m_roster.entries.push_back(std::move(entry));
        return Status::Ok();
    }

    Roster m_roster;
    const UnprintableCheck& m_unprintable;
    std::vector<std::pair<std::size_t, std::vector<std::string>>> m_pending;
    bool m_layout_decided = false;
    bool m_has_header = false;
    bool m_warned_extra_columns = false;
    std::vector<std::string> m_header;
    std::optional<std::size_t> m_name_col = 0;
    std::optional<std::size_t> m_id_col = 1;
    std::optional<std::size_t> m_note_col = 2;
    std::map<std::string, std::size_t> m_names;                        // name -> line
    std::map<std::string, std::pair<std::size_t, std::size_t>> m_ids;  // id -> line, index
    std::map<std::string, std::size_t> m_no_id;                        // name+note -> line
    std::size_t m_dropped_warnings = 0;
};

// ---- CSV ----------------------------------------------------------------------------------

// Tab when the first lines (a title row may come first) hold more tabs than commas.
char DetectDelimiter(std::string_view text)
{
    std::size_t commas = 0;
    std::size_t tabs = 0;
    std::size_t lines = 0;
    bool quoted = false;
    bool line_has_content = false;
    for (const char c : text) {
        if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && (c == '\n' || c == '\r')) {
            if (line_has_content && ++lines == kHeaderSearchRows + 1) {
                break;
            }
            line_has_content = false;
            continue;
        } else if (!quoted && c == ',') {
            ++commas;
        } else if (!quoted && c == '\t') {
            ++tabs;
        }
        line_has_content = true;
    }
    return tabs > commas ? '\t' : ',';
}

// RFC 4180 records, each handed to `builder` with the line it starts on.
Status ParseCsv(std::string_view text, char delim, RosterBuilder& builder)
{
    const std::size_t n = text.size();
    std::size_t i = 0;
    std::size_t line = 1;
    std::vector<std::string> cells;
    std::string field;
    const auto is_pad = [delim](char c) { return (c == ' ' || c == '\t') && c != delim; };
    while (i < n) {
        const std::size_t record_line = line;
        cells.clear();
        for (;;) {
            field.clear();
            std::size_t look = i;
            while (look < n && is_pad(text[look])) {
                ++look;
            }
            if (look < n && text[look] == '"') {
                const std::size_t quote_line = line;
                i = look + 1;
                for (;;) {
                    if (i >= n) {
                        return RowError("roster.format", quote_line, "a quoted field is not closed");
                    }
                    const char c = text[i];
                    if (c == '"') {
                        if (i + 1 < n && text[i + 1] == '"') {
                            field.push_back('"');
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    if (c == '\n' || (c == '\r' && (i + 1 >= n || text[i + 1] != '\n'))) {
                        ++line;
                    }
                    field.push_back(c);
                    ++i;
                }
                while (i < n && is_pad(text[i])) {
                    ++i;
                }
                if (i < n && text[i] != delim && text[i] != '\r' && text[i] != '\n') {
                    return RowError("roster.format", line,
                                    "text after the closing quote of a field (write a quote "
                                    "inside a quoted field as \"\")");
                }
            } else {
                while (i < n && text[i] != delim && text[i] != '\r' && text[i] != '\n') {
                    field.push_back(text[i]);
                    ++i;
                }
            }
            cells.push_back(field);
            if (i < n && text[i] == delim) {
                ++i;
                continue;
            }
            break;
        }
        if (i < n && text[i] == '\r') {
            ++i;
            if (i < n && text[i] == '\n') {
                ++i;
            }
            ++line;
        } else if (i < n && text[i] == '\n') {
            ++i;
            ++line;
        }
        if (auto st = builder.Add(record_line, cells); !st) {
            return st;
        }
    }
    return Status::Ok();
}

Error FileTooLarge(std::size_t size)
{
    return MakeError("roster.file", "the file has " + std::to_string(size) + " bytes; a roster file may have at most " +
                                        std::to_string(kMaxRosterFileBytes));
}

}  // namespace

Result<Roster> ImportRosterCsv(ByteView file_bytes, const UnprintableCheck& unprintable)
{
    if (file_bytes.size() > kMaxRosterFileBytes) {
        return FileTooLarge(file_bytes.size());
    }
    if (StartsWith(file_bytes, kZipMagic)) {
        return MakeError("roster.format", "this is an .xlsx (zip) file, not CSV: import it as .xlsx");
    }
    if (StartsWith(file_bytes, kOleMagic)) {
        return MakeError("roster.format",
                         "this is an old .xls workbook (or a password-protected .xlsx), not CSV: "
                         "save it as .xlsx without a password or as CSV");
    }
    auto decoded = DecodeText(file_bytes);
    if (!decoded) {
        return MakeError(decoded.error().code == "text.mixed_encoding" ? "roster.mixed_encoding" : "roster.encoding",
                         decoded.error().detail);
    }
    const std::string& text = decoded->utf8;
    if (const auto nul = text.find('\0'); nul != std::string::npos) {
        const auto line = 1 + static_cast<std::size_t>(
                                  std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n'));
        return RowError("roster.encoding", line, "a NUL byte: is this UTF-16 text without a byte-order mark?");
    }
    RosterBuilder builder(decoded->encoding, unprintable);
    if (auto st = ParseCsv(text, DetectDelimiter(text), builder); !st) {
        return st.error();
    }
    return builder.Finish();
}

Result<Roster> ImportRosterXlsx(ByteView file_bytes, const UnprintableCheck& unprintable)
{
    if (file_bytes.size() > kMaxRosterFileBytes) {
        return FileTooLarge(file_bytes.size());
    }
    if (StartsWith(file_bytes, kOleMagic)) {
        return MakeError("roster.xlsx",
                         "this is an old .xls workbook or a password-protected .xlsx: save it as "
                         ".xlsx without a password");
    }
    auto sheet = ReadFirstWorksheet(file_bytes);
    if (!sheet) {
        return MakeError("roster.xlsx", sheet.error().detail + " (" + sheet.error().code + ")");
    }
    RosterBuilder builder(kEncodingXlsx, unprintable);
    for (const auto& row : sheet->rows) {
        if (auto st = builder.Add(row.number, row.cells); !st) {
            return st.error();
        }
    }
    auto roster = builder.Finish();
    if (roster && sheet->ignored_cells > 0) {
        roster->warnings.push_back(RosterIssue{
            0, "roster.column_ignored", std::to_string(sheet->ignored_cells) + " cells far to the right were ignored"});
    }
    return roster;
}

Result<Roster> ImportRosterFile(const std::filesystem::path& path)
{
    std::string ext;
    for (const char8_t c : path.extension().u8string()) {
        ext.push_back(c >= u8'A' && c <= u8'Z' ? static_cast<char>(c - u8'A' + 'a') : static_cast<char>(c));
    }
    const bool is_csv = ext == ".csv" || ext == ".txt";
    const bool is_xlsx = ext == ".xlsx";
    if (!is_csv && !is_xlsx) {
        return MakeError("roster.file",
                         "unsupported file type \"" + ext + "\": use .xlsx or .csv (.xls: save as .xlsx first)");
    }
    // A regular file of at most kMaxRosterFileBytes: a folder, a device or a pipe is refused.
    auto read = ReadWholeFile(path, FileKind::kRoster);
    if (!read) {
        return MakeError("roster.file", read.error().detail);
    }
    const Bytes bytes = std::move(read).value();
    // What the PDFs can print: the fonts of one document, loaded at the first name.
    std::optional<pdf::Document> doc;
    bool no_font = false;
    const UnprintableCheck unprintable = [&](std::string_view name) -> std::u32string {
        if (!doc && !no_font) {
            auto created = pdf::Document::Create();
            if (!created) {
                no_font = true;  // writing a PDF will say so (pdf.font)
                return {};
            }
            doc.emplace(std::move(created).value());
        }
        return doc ? doc->MissingGlyphs(name) : std::u32string();
    };
    return is_xlsx ? ImportRosterXlsx(bytes, unprintable) : ImportRosterCsv(bytes, unprintable);
}

}  // namespace pingyi
