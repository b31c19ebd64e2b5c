// Voting-code slips: a printable A4 PDF of one-time codes with their QR codes, to be cut
// apart and drawn at random by voters. A slip carries the election, the voter category,
// the code and the election fingerprint, and nothing that could link it to a voter.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "core/pdf.hpp"
#include "crypto/result.hpp"

namespace pingyi {

struct CodeSlip {
    std::string code;      // printed as given (e.g. "K7QM-3XHP-9TRW-C4NA"); the QR payload
    std::string category;  // voter category, e.g. 党员 / 团员青年代表 / 群众代表
    std::string kiosk;     // "" if the code works at any kiosk
};

struct SlipSheet {
    std::string title;         // the election's title
    std::string organization;  // e.g. the branch
    std::string date;          // as it should be printed
    std::string fingerprint;   // the election fingerprint, printed small on every slip
    bool test_mode = false;    // marks every slip and page header 测试 TEST — 非正式选举
    std::vector<CodeSlip> slips;
    // The whole fingerprint in hex: each slip's QR code then holds SlipQrPayload(code,
    // fingerprint), which the kiosk checks when it is scanned; empty: the code alone.
    std::string full_fingerprint;
};

// Slips per A4 page: 2 columns × 5 rows, about 95 × 52 mm each.
inline constexpr std::size_t kSlipColumns = 2;
inline constexpr std::size_t kSlipRows = 5;
inline constexpr std::size_t kSlipsPerPage = kSlipColumns * kSlipRows;

// Where the k-th slip of a page lies (k < kSlipsPerPage, row by row), in points from the
// page's top-left corner; the dashed cut lines run along these cells' edges.
[[nodiscard]] pdf::Rect CodeSlipCell(std::size_t k);

// Pages WriteCodeSlipsPdf() will produce: a new page starts whenever the category
// changes, so each category prints as its own stack (order slips by category).
[[nodiscard]] std::size_t CodeSlipPageCount(const SlipSheet& sheet);

// Writes the slips as a PDF to `out` (owner-only permissions where the system has them;
// written to a temporary file and renamed). `font`: see LocateFont().
// Errors: "slips.empty" (no slips), "slips.code" (an empty code or one with control
// characters), "pdf.font" (font missing or unusable), "pdf.write" (cannot write `out`),
// "pdf.internal"/"pdf.qr" (libharu or libqrencode failed).
[[nodiscard]] Status WriteCodeSlipsPdf(const SlipSheet& sheet, const std::filesystem::path& out,
                                       const std::filesystem::path& font = {});

}  // namespace pingyi
