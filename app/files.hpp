// The names of every file the workflows read and write, and reading/writing them with the
// messages a user understands. One place, so that the console, pingyi-admin and the kiosk
// never spell a file name twice.
#pragma once

#include <cstddef>
#include <filesystem>

#include "core/file_io.hpp"
#include "crypto/result.hpp"
#include "crypto/secret.hpp"

namespace pingyi::app {

// A new evaluation's folder (docs/formats.md).
inline constexpr const char* kPackageFile = "election.pyp";
inline constexpr const char* kElectionKeyFile = "election-key.pyk";
inline constexpr const char* kAdminKeyFile = "admin-key.pyk";
inline constexpr const char* kSlipsFile = "code-slips.pdf";
// A folder beside them holding only the public package: the one thing that goes onto the
// kiosk's USB stick (the keys stay with the admin).
inline constexpr const char* kKioskFolder = "kiosk-usb";
// The tally's folder.
inline constexpr const char* kResultsFile = "results.json";
inline constexpr const char* kDecisionsFile = "decisions.json";
inline constexpr const char* kXlsxFile = "results.xlsx";
inline constexpr const char* kTallySheetFile = "tally-sheet.pdf";
inline constexpr const char* kLettersFile = "notification-letters.pdf";
// The 跟踪码公示 list (docs/formats.md §7.6), in the tally's folder and in the audit bundle.
inline constexpr const char* kTrackingCodesPdfFile = "tracking-codes.pdf";
inline constexpr const char* kTrackingCodesTextFile = "tracking-codes.txt";
inline constexpr const char* kAuditBundleDir = "audit-bundle";

// Passphrases of key files: at least this many Unicode code points (not bytes).
inline constexpr std::size_t kMinPassphraseChars = 8;

// Reads a file of `kind` (core/file_io.hpp): errors "file.read", "file.type" (a folder, a
// device or a pipe), "file.too_large", each naming the file, in English and Chinese.
[[nodiscard]] Result<Bytes> ReadFile(const std::filesystem::path& p, FileKind kind);
// Writes to a temporary name and renames; `secret` files get owner-only access.
[[nodiscard]] Status WriteFile(const std::filesystem::path& p, ByteView data, bool secret);

// The number of Unicode code points of UTF-8 text (continuation bytes not counted).
[[nodiscard]] std::size_t CountCodePoints(ByteView utf8);
// "passphrase.weak" when shorter than kMinPassphraseChars code points.
[[nodiscard]] Status CheckPassphrase(const SecretBytes& passphrase);

}  // namespace pingyi::app
