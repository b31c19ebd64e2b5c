// Files that must not be lost half-written or read by the wrong account: ballot boxes,
// device and election keys, code slips. One place decides how they are written on each
// platform — POSIX modes, or a Windows DACL that names only the owner, SYSTEM and the
// Administrators group (inheritance from the folder cut off).
#pragma once

#include <cstdint>
#include <filesystem>

#include "crypto/bytes.hpp"
#include "crypto/result.hpp"

namespace pingyi {

enum class FileAccess {
    kDefault,    // the process's usual permissions (umask; the folder's inherited ACL)
    kOwnerOnly,  // the owner only (+ SYSTEM and Administrators on Windows)
};

// What a file is read as: each kind has a size limit (docs/formats.md §0.1), far above what
// Pingyi writes and far below what would exhaust a kiosk's memory.
enum class FileKind {
    kPackage,     // election.pyp
    kBox,         // a ballot box (SQLite opens it; CheckInputFile only)
    kResults,     // results.json
    kDecisions,   // decisions.json
    kRoster,      // a roster, .csv or .xlsx
    kKeyFile,     // a sealed key file (*.pyk, <box>.key) and the PIN tries beside a box
    kTrustee,     // ceremony.json, a round file or a partial decryption
    kSettings,    // the console's --config
    kDeviceList,  // the expected device fingerprints (core/device_list.hpp)
    kCatalog,     // a compiled gettext catalog (core/catalog.hpp)
};

// The most bytes a file of `kind` may have.
[[nodiscard]] std::uint64_t MaxFileBytes(FileKind kind);

// Whether `path` may be read as a file of `kind`, without reading it: a regular file (not a
// folder, a device such as /dev/zero, or a pipe, which could block forever) of at most
// MaxFileBytes(kind). Errors "file.type", "file.too_large", "file.read", each naming the path.
[[nodiscard]] Status CheckInputFile(const std::filesystem::path& path, FileKind kind);

// Reads a whole file of `kind`, with the checks of CheckInputFile made on the opened file; a
// file that grows past its size while read is refused too. Never blocks on a pipe, never
// allocates more than the limit.
[[nodiscard]] Result<Bytes> ReadWholeFile(const std::filesystem::path& path, FileKind kind);

// Writes `data` to a new temporary file beside `path` — created with `access` from the
// start, never widened later —, flushes it to the disk, and renames it onto `path`
// (replacing an older file). On any failure `path` is untouched and the temporary file is
// removed. Error "file.write" with the path and the system's reason (disk full, …).
[[nodiscard]] Status WriteFileAtomic(const std::filesystem::path& path, ByteView data,
                                     FileAccess access = FileAccess::kDefault);

// Makes a finished file durable under its final name: flushes `from` to the disk, renames it
// onto `to` (replacing an older file) and flushes the folder, so that after a power cut
// either the old `to` or the whole new one is there. On failure `from` is removed and `to`
// untouched. Error "file.write" with the path and the system's reason.
[[nodiscard]] Status CommitFile(const std::filesystem::path& from, const std::filesystem::path& to);

// Creates an empty owner-only file; fails with "file.exists" if something is already there.
[[nodiscard]] Status CreateOwnerOnlyFile(const std::filesystem::path& path);

// Narrows an existing file to owner-only access. A volume that keeps no permissions at all
// (FAT on a USB stick) is left as it is and reported as success.
[[nodiscard]] Status RestrictToOwner(const std::filesystem::path& path);

// True if nobody but the owner (and, on Windows, SYSTEM and Administrators) may open the
// file: POSIX mode without group/other bits; a Windows DACL whose allow entries name those
// accounts only. For tests and the admin's checks. Error "file.read".
[[nodiscard]] Result<bool> IsOwnerOnly(const std::filesystem::path& path);

}  // namespace pingyi
