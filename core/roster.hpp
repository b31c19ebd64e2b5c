// Importing the roster of members to be evaluated from the admin's CSV or Excel file.
//
// Encoding (CSV), decided once per file: BOM (UTF-8, UTF-16LE/BE), else strict UTF-8, else
// GB18030 with a lone 0x80 read as € (Chinese Excel's "CSV" is code page 936).
// CSV: comma-separated, or tab-separated when the first line has more tabs than commas
// (Excel's "Unicode text"); RFC 4180 quoting; CRLF, LF or CR line ends.
// Columns: a header row, found among the first five non-blank rows, names them in any
// order: 姓名/name; 编号/工号/学号/身份证号/身份证号码/ID; 备注/note/remark; 序号 and unknown
// headings are ignored (case and inner spaces do not matter, so "姓　名" works). Rows above
// the header (a title) are skipped with a warning. Without a header: name, ID, note.
// Cells are trimmed of white space including U+3000 and U+00A0; blank rows are skipped.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.hpp"
#include "crypto/result.hpp"

namespace pingyi {

inline constexpr std::size_t kMaxRosterMembers = 1000;
inline constexpr std::size_t kMaxNameChars = 64;  // Unicode code points
inline constexpr std::size_t kMaxIdChars = 64;
inline constexpr std::size_t kMaxNoteChars = 200;
inline constexpr std::size_t kMaxRosterFileBytes = 16u << 20;

// All text is UTF-8, trimmed.
struct RosterEntry {
    std::string name;
    std::string id;    // 编号 / 工号 / 身份证号 / 学号; may be empty
    std::string note;  // 备注; may be empty
};

// Something the admin should look at that does not stop the import. `line` is 1-based in
// the source file (the row number for .xlsx). Codes: "roster.duplicate_name" (detail names
// both lines), "roster.column_ignored", "roster.row_skipped".
struct RosterIssue {
    std::size_t line = 0;
    std::string code;
    std::string detail;
};

struct Roster {
    std::vector<RosterEntry> entries;
    std::vector<RosterIssue> warnings;
    std::string detected_encoding;  // "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "UTF-16BE", "GB18030", "xlsx"
};

// Error codes, each detail naming the line ("line 7: ...") where there is one:
//   roster.encoding   bytes that decode in no supported encoding, or a NUL byte
//   roster.format     the bytes are a zip/.xlsx or an old .xls file, not CSV; bad CSV quoting
//   roster.header     a header row without a name column, or with two name columns
//   roster.row        empty name with other content; a name too long, all digits or with
//                     control characters; an ID or note too long or with control characters
//   roster.unprintable  a name with a character no font of the PDFs has (the detail names
//                     the line, the name and the character with its code point)
//   roster.duplicate  two rows with the same name and ID (or same name, no ID, same note);
//                     the same non-empty ID on two rows
//   roster.empty      no members
//   roster.too_many   more than kMaxRosterMembers members
//   roster.xlsx       not a readable .xlsx workbook
//   roster.file       the file cannot be read, is too large, or has an unknown extension
//
// WARNING: a duplicate *name* is only a warning (two 张伟 happen); show Roster::warnings to
// the admin before accepting the roster.
// The characters of a name that the PDFs cannot print (empty: all printable).
using UnprintableCheck = std::function<std::u32string(std::string_view)>;
// With `unprintable`, a name with a character the slips and reports cannot print is refused
// (roster.unprintable). ImportRosterFile checks against the fonts of core/pdf.
[[nodiscard]] Result<Roster> ImportRosterCsv(ByteView file_bytes, const UnprintableCheck& unprintable = {});
[[nodiscard]] Result<Roster> ImportRosterXlsx(ByteView file_bytes, const UnprintableCheck& unprintable = {});
// By extension: .csv and .txt as CSV, .xlsx as a workbook (case-insensitive).
[[nodiscard]] Result<Roster> ImportRosterFile(const std::filesystem::path& path);

}  // namespace pingyi
