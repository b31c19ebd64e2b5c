// Reads the cell texts of an .xlsx workbook's first worksheet from memory (minizip + expat).
// Just enough of OOXML for tables of text and numbers: no styles, dates or formulas (a formula
// cell yields its cached value).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "crypto/bytes.hpp"
#include "crypto/result.hpp"

namespace pingyi {

struct XlsxLimits {
    std::size_t max_part_bytes = 64u << 20;  // uncompressed size of any one XML part
    std::size_t max_columns = 256;           // cells further right are counted, not kept
    // Reading stops with "xlsx.too_large" as soon as more non-empty rows than this are seen,
    // or more text than max_text_bytes is kept in all cells together: a small file whose one
    // long shared string every cell names cannot make memory explode.
    std::size_t max_rows = 10000;
    std::size_t max_text_bytes = 16u << 20;
};

struct SheetRow {
    std::size_t number = 0;          // 1-based row number as Excel shows it
    std::vector<std::string> cells;  // cells[0] is column A; missing cells are empty strings
};

struct Sheet {
    std::string name;
    std::vector<SheetRow> rows;     // rows with at least one non-empty cell, in file order
    std::size_t ignored_cells = 0;  // non-empty cells beyond XlsxLimits::max_columns
};

// The first worksheet in tab order that is not hidden (resolved through xl/workbook.xml and
// its relationships; falls back to xl/worksheets/sheet1.xml). Cell values: shared and inline
// strings (rich-text runs joined, phonetic runs dropped, _xHHHH_ escapes decoded), numbers
// (integral values without ".0"), booleans as TRUE/FALSE, anything else as stored.
// Errors: "xlsx.zip" (not a readable zip archive), "xlsx.missing" (no worksheet),
// "xlsx.xml" (malformed part), "xlsx.too_large" (a part, the rows or the text exceed the limits).
[[nodiscard]] Result<Sheet> ReadFirstWorksheet(ByteView xlsx, const XlsxLimits& limits = {});

// "12" -> "12", "12.0" -> "12", "1.5" -> "1.5", "1E3" -> "1000"; non-numbers unchanged.
[[nodiscard]] std::string FormatXlsxNumber(const std::string& raw);

}  // namespace pingyi
