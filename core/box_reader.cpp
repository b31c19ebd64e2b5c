// The auditor's reader of a ballot box (formats.md §4): opens any box file as untrusted
// evidence, refuses a foreign schema or more rows than its election allows, and reads it
// whole (ReadBox); CheckStoredBox judges what was read. The kiosk's Resume reads through it too.
#include "core/ballot_box.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <map>

#include "core/box_internal.hpp"
#include "core/file_io.hpp"
#include "core/sqlite_util.hpp"

namespace pingyi {
namespace {

using box_detail::DigestOf;
using box_detail::kSchema;

// The most a single value of a box may hold (the package is the largest): SQLite refuses a
// longer string or blob (SQLITE_TOOBIG) instead of allocating it.
constexpr int kMaxBoxValueBytes = static_cast<int>(kMaxJsonBytes);

// Every box file is untrusted input (an auditor opens boxes from anywhere, a kiosk resumes a
// file someone could have swapped): SQLite's defensive mode, no trust in the functions a
// schema names, no triggers or views at all, tight limits on what a statement may do.
void Harden(sqlite3* db)
{
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, kMaxBoxValueBytes);
    sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
    sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 100);
    sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 100);
    sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 4);
    sqlite3_limit(db, SQLITE_LIMIT_VDBE_OP, 25000);
    sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 8);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 1);  // VACUUM attaches its copy internally
    sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 50);
    sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, 16);
    sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 1);
    sqlite3_exec(db, "PRAGMA cell_size_check=ON", nullptr, nullptr, nullptr);
}

}  // namespace

Result<SqlitePtr> box_detail::OpenDb(const std::filesystem::path& path, int flags)
{
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.string().c_str(), &raw, flags, nullptr);
    SqlitePtr db(raw);
    if (rc != SQLITE_OK) return sql::DescribeSqlError(rc, raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 5000);
    Harden(raw);
    return db;
}

namespace {

using box_detail::OpenDb;

// A box opened only to be read, as evidence: when no write-ahead log lies beside it (an
// exported or closed box, a box copied off a stopped kiosk) it is opened immutable, so SQLite
// writes nothing next to it — no -wal, no -shm, no journal — and takes no lock. A box with a
// -wal (copied off a running kiosk) is opened read-only in the ordinary way, for the log may
// hold its last commits.
Result<SqlitePtr> OpenEvidence(const std::filesystem::path& path)
{
    std::error_code ec;
    std::filesystem::path wal = path;
    wal += "-wal";
    if (std::filesystem::exists(wal, ec) || ec) return OpenDb(path, SQLITE_OPEN_READONLY);
    // URI form (sqlite.org/uri.html): '?', '#' and '%' escaped, '/' as separator, and on
    // Windows a drive letter after a slash ("file:/C:/…").
    std::string uri = "file:";
    const std::string generic = path.generic_string();
    if (generic.size() >= 2 && generic[1] == ':') uri += '/';
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (const char ch : generic) {
        if (ch == '?' || ch == '#' || ch == '%') {
            uri += '%';
            uri += kHex[static_cast<unsigned char>(ch) >> 4];
            uri += kHex[static_cast<unsigned char>(ch) & 15];
        } else {
            uri += ch;
        }
    }
    uri += "?immutable=1";
    return OpenDb(uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
}

// Whitespace runs as one space: the schema is compared as CREATE TABLE wrote it.
std::string Squeeze(std::string_view text)
{
    std::string out;
    for (char ch : text) {
        const bool space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
        if (!space)
            out.push_back(ch);
        else if (!out.empty() && out.back() != ' ')
            out.push_back(' ');
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

// Our tables by name, each with its CREATE statement as kSchema has it.
std::map<std::string, std::string> SchemaTables()
{
    std::map<std::string, std::string> out;
    std::string_view rest = kSchema;
    while (!rest.empty()) {
        const auto end = rest.find(';');
        const std::string stmt = Squeeze(rest.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        if (stmt.empty()) continue;
        const std::string name = stmt.substr(13, stmt.find('(') - 13);  // after "CREATE TABLE "
        out.emplace(name, stmt);
    }
    return out;
}

// Before any query touches a table of a box: every schema entry is one of our tables, exactly
// as we create it — no view (a recursive one could run forever), no trigger, no index, no
// extra table. Returns the number of our tables present.
Result<std::size_t> CheckSchema(sqlite3* db)
{
    static const std::map<std::string, std::string> ours = SchemaTables();
    sql::Stmt s(db, "SELECT type, name, tbl_name, sql FROM sqlite_master");
    std::size_t found = 0;
    while (s.Step()) {
        const auto it = ours.find(s.Text(1));
        if (s.Text(0) != "table" || it == ours.end() || s.Text(2) != it->first || Squeeze(s.Text(3)) != it->second)
            return MakeError("box.format",
                             "this file is not a Pingyi ballot box: its schema has a view, trigger, index or table "
                             "of its own (" +
                                 s.Text(0) + " " + s.Text(1) + ")");
        ++found;
    }
    return found;
}

// How many rows of each table a box may have before it is refused unread: generous bounds on
// the kiosk's n codes of the package (n codes, n ballots, a bounded event log), twice that
// and some, so that a tampered box still gets the verifier's precise FAIL lines while a
// hostile one of millions of rows is refused. Counted from the package inside the box without
// verifying it (the verifier does that); a box without a readable package gets the largest
// election's allowance.
struct RowCaps {
    std::int64_t codes, ballots, events;
};

RowCaps CapsForCodes(std::int64_t codes)
{
    return {2 * codes + 16, 2 * codes + 16, 10000 + 20 * codes};
}

// Three seals at most (open, state, close): the table's key is their kind.
constexpr std::int64_t kSealsCap = 3;

RowCaps CapsFor(ByteView package_file, std::uint32_t kiosk)
{
    std::int64_t codes = 16 * 5000;  // Validate's largest election
    if (auto j = ParseJson(package_file)) {
        try {
            codes = 0;
            for (const auto& c : j->at("body").at("codes"))
                if (IntegerAt<std::uint32_t>(c, "kiosk") == kiosk) ++codes;
        } catch (const JsonValueError&) {
            codes = 16 * 5000;
        } catch (const nlohmann::json::exception&) {
            codes = 16 * 5000;
        }
    }
    return CapsForCodes(codes);
}

// The suite a package file names, read without verifying it; nullopt if it names none known.
std::optional<SuiteId> PackageFileSuite(ByteView package_file)
{
    auto j = ParseJson(package_file);
    if (!j || !j->is_object() || !j->contains("body") || !j->at("body").is_object()) return std::nullopt;
    const auto& body = j->at("body");
    if (!body.contains("suite") || !body.at("suite").is_string()) return std::nullopt;
    return SuiteFromName(body.at("suite").get<std::string>());
}

// The caps of a verifier's own package.
RowCaps CapsFor(const ElectionPackage& package, std::uint32_t kiosk)
{
    return CapsForCodes(std::count_if(package.codes.begin(), package.codes.end(),
                                      [&](const CodeRecord& c) { return c.kiosk == kiosk; }));
}

std::int64_t CountRows(sqlite3* db, const char* sql)
{
    sql::Stmt s(db, sql);
    return s.Step() ? s.Int(0) : 0;
}

// True if `table` has more than `cap` rows; it counts no further than cap + 1, so that a box
// of millions of rows is refused after reading as few of them.
bool MoreRowsThan(sqlite3* db, const char* table, std::int64_t cap)
{
    sql::Stmt s(db, std::string("SELECT COUNT(*) FROM (SELECT 1 FROM ") + table + " LIMIT ?)");
    s.Bind(1, cap + 1);
    return s.Step() && s.Int(0) > cap;
}

std::optional<Bytes> GetMeta(sqlite3* db, std::string_view key)
{
    sql::Stmt s(db, "SELECT value FROM meta WHERE key = ?");
    s.Bind(1, key);
    if (!s.Step()) return std::nullopt;
    return s.Blob(0);
}

// The seal kinds of formats.md; any other name is a damaged or foreign box.
std::optional<SealKind> SealKindFromName(const std::string& s)
{
    if (s == "open") return SealKind::Open;
    if (s == "state") return SealKind::State;
    if (s == "close") return SealKind::Close;
    return std::nullopt;
}

// formats.md §4.2: every value of the box is of its column's storage class (the bodies, hashes
// and signatures BLOBs, `kind` TEXT naming a record kind, `used` 0 or 1, `meta` only its four
// keys), so that every reader sees the same bytes. Counts the rows that are not.
std::int64_t CountWrongStorageClasses(sqlite3* db)
{
    sql::Stmt s(db,
                "SELECT (SELECT count(*) FROM meta WHERE typeof(key) != 'text' OR typeof(value) != 'blob'"
                "    OR key NOT IN ('format', 'package', 'kiosk', 'device_public_key'))"
                " + (SELECT count(*) FROM codes WHERE typeof(hash) != 'blob' OR typeof(category) != 'integer'"
                "    OR typeof(used) != 'integer' OR used NOT IN (0, 1))"
                " + (SELECT count(*) FROM ballots WHERE typeof(hash) != 'blob' OR typeof(body) != 'blob'"
                "    OR typeof(signature) != 'blob')"
                " + (SELECT count(*) FROM seals WHERE typeof(kind) != 'text' OR kind NOT IN ('open', 'state', 'close')"
                "    OR typeof(body) != 'blob' OR typeof(signature) != 'blob')"
                " + (SELECT count(*) FROM events WHERE typeof(body) != 'blob' OR typeof(hash) != 'blob'"
                "    OR typeof(signature) != 'blob')");
    s.Step();
    return s.Int(0);
}

}  // namespace

void SqliteClose::operator()(sqlite3* db) const
{
    sqlite3_close_v2(db);
}

Status CheckStoredBox(const BoxContents& c, const ElectionPackage& pkg)
{
    const auto bad = [](const std::string& what) { return MakeError("box.tampered", what); };
    const Digest& fp = pkg.fingerprint;
    const SuiteId suite = pkg.suite();
    const auto signed_seal = [&](SealKind kind, const std::optional<BoxSeal>& seal) {
        return seal &&
               VerifySignature(suite, c.device_public_key,
                               SealSigningMessage(SealHash(suite, fp, c.kiosk, kind, seal->body)), seal->signature)
                   .ok();
    };
    const auto text = [](const Bytes& b) { return std::string(b.begin(), b.end()); };
    if (!signed_seal(SealKind::Open, c.open)) return bad("the open seal is missing or not signed by the device key");
    std::string software;
    if (auto j = ParseJson(c.open->body);
        j && j->is_object() && j->contains("software") && j->at("software").is_string())
        software = j->at("software").get<std::string>();
    if (text(c.open->body) != OpenSealBody(fp, c.kiosk, c.device_public_key, software))
        return bad("the open seal names another election, kiosk or device key");

    const std::size_t size = 4 + EncodedGridSize(pkg.Shape());
    std::vector<std::uint32_t> per_category(pkg.definition.categories.size(), 0);
    std::vector<Digest> hashes;
    for (const auto& b : c.ballots) {
        const std::string which = "ballot " + TrackingCode(b.hash);
        if (b.body.size() != size || ReadU32(b.body) >= per_category.size())
            return bad(which + " is not a ballot of this election");
        if (BallotHash(suite, fp, c.kiosk, b.body) != b.hash) return bad(which + " is not stored under its own hash");
        if (!VerifySignature(suite, c.device_public_key, BallotSigningMessage(b.hash), b.signature).ok())
            return bad(which + " is not signed by the device key");
        ++per_category[ReadU32(b.body)];
        hashes.push_back(b.hash);
    }
    const Digest set = BallotSetHash(suite, fp, c.kiosk, hashes);
    if (!signed_seal(SealKind::State, c.state) || text(c.state->body) != StateSealBody(hashes.size(), set))
        return bad("the signed state does not match the ballots present (a ballot was removed or added)");

    // Create writes poll_opened with the open seal: a box has at least that event.
    if (c.events.empty()) return bad("the event log is empty");
    Digest prev = fp;
    for (std::size_t i = 0; i < c.events.size(); ++i) {
        const auto& e = c.events[i];
        if (e.seq != i || EventHash(suite, prev, e.seq, e.body) != e.hash ||
            !VerifySignature(suite, c.device_public_key, EventSigningMessage(e.hash), e.signature).ok())
            return bad("the event log is broken at event #" + std::to_string(i));
        prev = e.hash;
    }
    if (c.close) {
        std::uint64_t events = 0;
        if (auto j = ParseJson(c.close->body); j && j->is_object() && j->contains("events"))
            events = IntegerValue<std::uint32_t>(j->at("events")).value_or(0);
        if (!signed_seal(SealKind::Close, c.close) || events == 0 || events > c.events.size() ||
            text(c.close->body) != CloseSealBody(hashes.size(), set, events, c.events[events - 1].hash))
            return bad("the close seal does not match the ballots or the event log");
    }

    std::map<Digest, std::uint32_t> expected;
    for (const auto& code : pkg.codes)
        if (code.kiosk == c.kiosk) expected[code.hash] = code.category;
    std::vector<std::uint32_t> used(per_category.size(), 0);
    bool codes_ok = expected.size() == c.codes.size();
    for (const auto& [hash, cat_used] : c.codes) {
        const auto it = expected.find(hash);
        if (it == expected.end() || it->second != cat_used.first || cat_used.first >= used.size())
            codes_ok = false;
        else if (cat_used.second)
            ++used[cat_used.first];
    }
    if (!codes_ok || used != per_category)
        return bad("the codes are not this kiosk's, or the used codes differ from the ballots");
    return Status::Ok();
}

Result<BoxContents> ReadBox(const std::filesystem::path& path, const ElectionPackage* expected)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return MakeError("box.missing", "there is no ballot box at " + path.string());
    // Before SQLite opens it: a folder, a device or a pipe (which would block) is refused.
    if (Status s = CheckInputFile(path, FileKind::kBox); !s) return s.error();
    auto db = OpenEvidence(path);
    if (!db) return db.error();
    try {
        auto tables = CheckSchema(db->get());
        if (!tables) return tables.error();
        if (*tables == 0) return MakeError("box.format", "this file is not a Pingyi ballot box");
        // Before meta is read: a file with some of our tables but not meta is not a box either
        // (not "no such table: meta").
        if (CountRows(db->get(), "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'") != 1)
            return MakeError("box.format", "this file is not a Pingyi ballot box: it has no meta table");
        sql::Stmt v(db->get(), "PRAGMA user_version");
        v.Step();
        BoxContents out;
        auto format = GetMeta(db->get(), "format");
        if (!format || *format != Bytes{AsBytes("pingyi-ballot-box").begin(), AsBytes("pingyi-ballot-box").end()})
            return MakeError("box.format", "this file is not a Pingyi ballot box");
        if (v.Int(0) != kBoxSchemaVersion)
            return MakeError("box.version", "the ballot box is of schema version " + std::to_string(v.Int(0)) +
                                                ", this software reads version " + std::to_string(kBoxSchemaVersion));
        auto package = GetMeta(db->get(), "package");
        auto kiosk = GetMeta(db->get(), "kiosk");
        auto device = GetMeta(db->get(), "device_public_key");
        if (!package || !kiosk || kiosk->size() != 4 || !device)
            return MakeError("box.format", "the ballot box lacks its package, kiosk number or device key");
        out.package_file = std::move(*package);
        out.kiosk = ReadU32(*kiosk);
        out.device_public_key = std::move(*device);
        if (expected)
            if (const auto suite = PackageFileSuite(out.package_file); suite && *suite != expected->suite())
                return SuiteMismatch("the ballot box", *suite, expected->suite());
        if (*tables != SchemaTables().size()) return MakeError("box.format", "the ballot box lacks some of its tables");
        // The caps first: every later query reads no more rows than the election allows.
        const RowCaps caps = expected ? CapsFor(*expected, out.kiosk) : CapsFor(out.package_file, out.kiosk);
        if (MoreRowsThan(db->get(), "codes", caps.codes) || MoreRowsThan(db->get(), "ballots", caps.ballots) ||
            MoreRowsThan(db->get(), "seals", kSealsCap) || MoreRowsThan(db->get(), "events", caps.events))
            return MakeError("box.format", "the ballot box has more rows than its election allows");
        if (expected) {
            // length() reads a blob's size from its row header, not the blob.
            const std::int64_t ballot = 4 + static_cast<std::int64_t>(EncodedGridSize(expected->Shape()));
            if (CountRows(db->get(), ("SELECT COUNT(*) FROM ballots WHERE length(body) > " +
                                      std::to_string(std::max<std::int64_t>(ballot, 65536)))
                                         .c_str()) != 0 ||
                CountRows(db->get(), "SELECT COUNT(*) FROM seals WHERE length(body) > 65536") != 0)
                return MakeError("box.format", "a ballot or seal of the ballot box is larger than its election allows");
            if (CountRows(db->get(), "SELECT TOTAL(length(body)) FROM events") > kMaxBoxValueBytes)
                return MakeError("box.format", "the ballot box's event log is larger than 64 MiB");
        }
        if (CountWrongStorageClasses(db->get()) != 0)
            return MakeError("box.damaged",
                             "a value in the ballot box is not of its column's type, or meta has a key "
                             "of another schema (formats.md §4.2)");
        sql::Stmt sl(db->get(), "SELECT kind, body, signature FROM seals");
        while (sl.Step()) {
            const auto kind = SealKindFromName(sl.Text(0));
            if (!kind) return MakeError("box.damaged", "the ballot box holds a seal of an unknown kind");
            auto& seal = *kind == SealKind::Open ? out.open : *kind == SealKind::State ? out.state : out.close;
            seal = BoxSeal{sl.Blob(1), sl.Blob(2)};
        }
        sql::Stmt r(db->get(), "SELECT hash, body, signature FROM ballots ORDER BY hash");
        while (r.Step()) {
            const auto h = DigestOf(r.Blob(0));
            if (!h) return MakeError("box.damaged", "a ballot hash has the wrong size");
            out.ballots.push_back(BallotRow{*h, r.Blob(1), r.Blob(2)});
        }
        sql::Stmt ev(db->get(), "SELECT seq, body, hash, signature FROM events ORDER BY seq");
        while (ev.Step()) {
            EventRecord rec;
            rec.seq = static_cast<std::uint64_t>(ev.Int(0));
            rec.body = ev.Blob(1);
            const auto h = DigestOf(ev.Blob(2));
            if (!h) return MakeError("box.damaged", "an event hash has the wrong size");
            rec.hash = *h;
            rec.signature = ev.Blob(3);
            out.events.push_back(std::move(rec));
        }
        sql::Stmt c(db->get(), "SELECT hash, category, used FROM codes");
        while (c.Step()) {
            const auto h = DigestOf(c.Blob(0));
            if (!h) return MakeError("box.damaged", "a code hash has the wrong size");
            out.codes.push_back({*h, {static_cast<std::uint32_t>(c.Int(1)), c.Int(2) != 0}});
        }
        return out;
    } catch (const sql::SqlError& e) {
        return sql::DescribeSqlError(e.code, e.what());
    }
}

}  // namespace pingyi
