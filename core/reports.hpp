// The reports a branch reads after the tally (docs/design.md §1 step 3): an Excel workbook of
// the results, a PDF tally sheet (投票结果汇总表) for the tellers to sign, and one PDF
// notification letter per member (书面通知本人) holding that member's own results only.
//
// The reports only present what the tally and Summarize() computed; they check nothing
// cryptographic (VerifyResults does). A test election is marked 测试 TEST on every sheet
// and page. The final grade (组织评定) is the branch's decision, recorded by the admin and
// passed in; it is never computed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/decisions.hpp"
#include "core/election.hpp"
#include "core/results.hpp"
#include "crypto/result.hpp"

namespace pingyi {

// A trustee who decrypted (k of n): shown on the tally sheet with a signature line.
struct DecryptingTrustee {
    std::uint32_t index = 0;
    std::string name;
    std::string key_fingerprint;  // KeyFingerprint(enc(X_j))
};
// The trustees whose partials the results carry, from the package; empty for 1-of-1.
std::vector<DecryptingTrustee> DecryptingTrustees(const ElectionPackage& package, const Results& results);

struct ReportInput {
    const ElectionDefinition& def;
    const Results& results;
    std::vector<MemberSummary> summary;            // Summarize(def, results): one per roster member
    std::vector<FinalDecision> decisions;          // empty, or one per roster member
    std::string fingerprint_short;                 // ShortFingerprint(package.fingerprint)
    std::string fingerprint_full;                  // ToHex(package.fingerprint)
    std::filesystem::path font;                    // see LocateFont(); empty: the default search
    std::vector<DecryptingTrustee> trustees = {};  // who decrypted; empty: one election key (1 of 1)
};

// The workbook: sheet "评议结果" (one row per member: counts and shares per option, counts
// per tally group, weighted shares, 参考等次, 组织评定, 备注; numbers stored as numbers,
// shares as fractions formatted 0.0%) and sheet "投票统计" (codes issued/used per category,
// ballots per box and per group, 实到人数 with a 不一致 mark, notes, the fingerprint).
// Written to a temporary file in the same directory, then renamed into place.
// Errors: "report.input" (inconsistent input), "report.write" (cannot write `out`).
[[nodiscard]] Status WriteResultsXlsx(const ReportInput& in, const std::filesystem::path& out);

// The tally sheet: title, organization and date, the fingerprint (short and full), the
// reconciliation (codes per category, ballots per kiosk with its device-key fingerprint,
// 实到人数 with a visible 不一致 warning), the results table (repeated header, any number
// of pages; landscape when the table is too wide for portrait), notes, the trustees who
// decrypted (name, key fingerprint, a signature line each) or the note that one election key
// was used, and signature lines for 监票人 and 计票人. Errors: "report.input", "report.write", "pdf.font",
// "pdf.internal".
[[nodiscard]] Status WriteTallySheetPdf(const ReportInput& in, const std::filesystem::path& out);

// One A4 page per member, in roster order: 民主评议结果通知书 to "<name> 同志", their own
// counts and shares per option (total, per group, weighted), the suggested grade and the
// final grade if recorded (else 待支部研究确定), the branch, date and a seal/signature line.
// Nothing about any other member. Errors as WriteTallySheetPdf.
[[nodiscard]] Status WriteNotificationLettersPdf(const ReportInput& in, const std::filesystem::path& out);

// The 跟踪码公示 list posted on the notice board (docs/formats.md §7.6): the tracking code of
// every ballot tallied, so that each voter finds the code of their receipt. Nothing about a
// ballot but its code: no kiosk, no time, no order of casting (the codes are sorted).
struct TrackingCodeList {
    std::string title;               // the election's title
    std::string fingerprint_short;   // ShortFingerprint(package.fingerprint)
    std::string fingerprint_full;    // ToHex(package.fingerprint)
    bool test_mode = false;          // marks the list 测试 TEST
    std::vector<std::string> codes;  // TrackingCode of each ballot, any order: the writers sort
    std::filesystem::path font;      // see LocateFont(); empty: the default search
};

// The UTF-8 text file: the heading 跟踪码公示, the election title, the fingerprint (short and
// full), the count, the test mark of a test election, an empty line, then one code per line,
// sorted, ending in a newline.
[[nodiscard]] std::string TrackingCodeListText(const TrackingCodeList& list);
// The same as an A4 PDF: the heading block on the first page, the codes in sorted order in
// five columns (down each column, then across), page numbers and the fingerprint in the
// footer. Errors: "report.input" (a code with characters other than letters, digits and '-'),
// "report.write", "pdf.font", "pdf.internal".
[[nodiscard]] Status WriteTrackingCodeListPdf(const TrackingCodeList& list, const std::filesystem::path& out);

}  // namespace pingyi
