// Internal to pingyi_ballotbox: what the kiosk's writer of a box (ballot_box.cpp), the
// auditor's reader (box_reader.cpp) and the box's records (box_records.cpp) share. Nothing
// outside the box's own files includes it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "core/ballot_box.hpp"

namespace pingyi::box_detail {

// The box's tables (formats.md §4.2): Create writes them, the reader compares a box's schema
// with them statement by statement.
inline constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE codes(hash BLOB PRIMARY KEY, category INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE ballots(hash BLOB PRIMARY KEY, body BLOB NOT NULL, signature BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE seals(kind TEXT PRIMARY KEY CHECK(kind IN ('open','state','close')), body BLOB NOT NULL,
                   signature BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE events(seq INTEGER PRIMARY KEY, body BLOB NOT NULL, hash BLOB NOT NULL, signature BLOB NOT NULL);
)sql";

// Opens a box file with SQLite's defensive settings and tight limits: every box is untrusted.
Result<SqlitePtr> OpenDb(const std::filesystem::path& path, int flags);
// be32(v).
Bytes U32Bytes(std::uint32_t v);
// A 32-byte hash column; nullopt if the stored value has another size.
std::optional<Digest> DigestOf(const Bytes& b);

}  // namespace pingyi::box_detail
