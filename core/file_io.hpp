// Files that must not be lost half-written or read by the wrong account: ballot boxes,
// device and election keys, code slips. One place decides how they are written on each
// platform — POSIX modes, or a Windows DACL that names only the owner, SYSTEM and the
// Administrators group (inheritance from the folder cut off).
#pragma once

#include <filesystem>

#include "crypto/bytes.hpp"
#include "crypto/result.hpp"

namespace pingyi {

enum class FileAccess {
    kDefault,    // the process's usual permissions (umask; the folder's inherited ACL)
    kOwnerOnly,  // the owner only (+ SYSTEM and Administrators on Windows)
};

// Reads a whole file. Error "file.read" naming the path.
[[nodiscard]] Result<Bytes> ReadWholeFile(const std::filesystem::path& path);

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
