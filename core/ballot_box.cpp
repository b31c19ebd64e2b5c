#include "core/ballot_box.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>

#include "core/error_codes.hpp"
#include "core/file_io.hpp"
#include "core/sqlite_util.hpp"
#include "core/version.hpp"

namespace pingyi {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE codes(hash BLOB PRIMARY KEY, category INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE ballots(hash BLOB PRIMARY KEY, body BLOB NOT NULL, signature BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE seals(kind TEXT PRIMARY KEY CHECK(kind IN ('open','state','close')), body BLOB NOT NULL,
                   signature BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE events(seq INTEGER PRIMARY KEY, body BLOB NOT NULL, hash BLOB NOT NULL, signature BLOB NOT NULL);
)sql";

constexpr std::pair<BoxEvent, std::string_view> kEventNames[] = {
    {BoxEvent::PollOpened, "poll_opened"},           {BoxEvent::PollResumed, "poll_resumed"},
    {BoxEvent::OperatorLogin, "operator_login"},     {BoxEvent::CodeRejected, "code_rejected"},
    {BoxEvent::BallotDiscarded, "ballot_discarded"}, {BoxEvent::PollClosed, "poll_closed"},
    {BoxEvent::BoxExported, "box_exported"},         {BoxEvent::ResumeRefused, "resume_refused"},
    {BoxEvent::BallotSpoiled, "ballot_spoiled"},     {BoxEvent::CheckMode, "check_mode"},
};

// The wall clock of the event log; empty: the system clock (SetEventClockForTesting).
std::function<std::chrono::system_clock::time_point()>& EventClock()
{
    static std::function<std::chrono::system_clock::time_point()> clock;
    return clock;
}

// UTC, to the second: "2026-11-28T09:31:05Z".
std::string UtcNow()
{
    const auto now = EventClock() ? EventClock()() : std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
#ifdef _WIN32
    gmtime_s(&tm, &t);
#else
    gmtime_r(&t, &tm);
#endif
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::filesystem::path KeyPath(const std::filesystem::path& box)
{
    return box.string() + ".key";
}

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

Result<SqlitePtr> OpenDb(const std::filesystem::path& path, int flags)
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

void ConfigureDurable(sqlite3* db)
{
    sql::Exec(db, "PRAGMA journal_mode=WAL");
    sql::Exec(db, "PRAGMA synchronous=FULL");
    sql::Exec(db, "PRAGMA secure_delete=ON");
    sql::Exec(db, "PRAGMA foreign_keys=ON");
}

void PutMeta(sqlite3* db, std::string_view key, ByteView value)
{
    sql::Stmt(db, "INSERT INTO meta(key, value) VALUES(?, ?)").Bind(1, key).Bind(2, value).Step();
}

std::optional<Bytes> GetMeta(sqlite3* db, std::string_view key)
{
    sql::Stmt s(db, "SELECT value FROM meta WHERE key = ?");
    s.Bind(1, key);
    if (!s.Step()) return std::nullopt;
    return s.Blob(0);
}

Bytes U32Bytes(std::uint32_t v)
{
    Bytes b;
    AppendU32(b, v);
    return b;
}

// A 32-byte hash column; nullopt if the stored value has another size.
std::optional<Digest> DigestOf(const Bytes& b)
{
    if (b.size() != kHashSize) return std::nullopt;
    Digest d{};
    std::copy(b.begin(), b.end(), d.begin());
    return d;
}

// What the device key signs for a chain entry: LP(label) ‖ LP(hash).
Bytes LabeledHash(std::string_view label, const Digest& hash)
{
    Bytes m;
    AppendLengthPrefixed(m, AsBytes(label));
    AppendLengthPrefixed(m, hash);
    return m;
}

// <box>.key, read ("box.key" if it is missing), then unsealed with the PIN and matched with
// the box's device key ("box.key" if it belongs to another box; keyfile.* errors as they are).
Result<Bytes> ReadDeviceKeyFile(const std::filesystem::path& box)
{
    auto file = ReadWholeFile(KeyPath(box), FileKind::kKeyFile);
    if (!file) return MakeError("box.key", "the kiosk's device key file cannot be read: " + file.error().detail);
    return file;
}

Result<SigningKey> OpenDeviceKey(const Bytes& file, std::string_view pin, const Bytes& device_public_key, SuiteId suite)
{
    auto key = OpenSigningKey(file, pin);
    if (!key) return key.error();
    if (key->suite() != suite) return SuiteMismatch("the device key file", key->suite(), suite);
    if (key->public_key() != device_public_key)
        return MakeError("box.key", "the device key file belongs to another ballot box");
    return key;
}

// SQLite's companions of a box file in WAL mode.
std::filesystem::path Sidecar(const std::filesystem::path& box, const char* suffix)
{
    return box.string() + suffix;
}

// Ballot boxes and their companions are readable by the kiosk's account only. On POSIX,
// SQLite gives the -wal and -shm files the box file's own mode; on Windows they would take
// the folder's inherited ACL, so they are made owner-only before SQLite opens them.
Status PrepareBoxFiles(const std::filesystem::path& box)
{
#ifdef _WIN32
    for (const char* suffix : {"-wal", "-shm"}) {
        const auto p = Sidecar(box, suffix);
        std::error_code ec;
        Status s = std::filesystem::exists(p, ec) ? RestrictToOwner(p) : CreateOwnerOnlyFile(p);
        if (!s) return MakeError("box.io", s.error().detail);
    }
#endif
    if (Status s = RestrictToOwner(box); !s) return MakeError("box.io", s.error().detail);
    return Status::Ok();
}

// Wrong operator PINs survive a restart: "<failures> <lock end, Unix seconds> <unlogged>" in
// <box>.pin-tries, owner-only, next to the device key. A missing or unreadable file is no
// failures (only the kiosk's account can write there).
struct PinTries {
    long long failures = 0, locked_until = 0, unlogged = 0;
};

std::filesystem::path PinTriesPath(const std::filesystem::path& box)
{
    return box.string() + ".pin-tries";
}

PinTries ReadPinTries(const std::filesystem::path& box)
{
    PinTries t;
    auto file = ReadWholeFile(PinTriesPath(box), FileKind::kKeyFile);
    if (!file) return t;
    const std::string text(file->begin(), file->end());
    if (std::sscanf(text.c_str(), "%lld %lld %lld", &t.failures, &t.locked_until, &t.unlogged) != 3 || t.failures < 0 ||
        t.unlogged < 0 || t.unlogged > 1000)
        return {};
    return t;
}

void WritePinTries(const std::filesystem::path& box, const PinTries& t)
{
    const std::string text =
        std::to_string(t.failures) + " " + std::to_string(t.locked_until) + " " + std::to_string(t.unlogged) + "\n";
    (void)WriteFileAtomic(PinTriesPath(box), AsBytes(text), FileAccess::kOwnerOnly);
}

// The lock after `failures` wrong PINs in a row: none for the free tries, then 30 s doubling.
std::chrono::seconds PinLock(long long failures)
{
    if (failures < kOperatorPinFreeTries) return std::chrono::seconds(0);
    const int doublings = static_cast<int>(std::min<long long>(failures - kOperatorPinFreeTries, 10));
    return std::min<std::chrono::seconds>(kOperatorPinFirstLock * (1 << doublings), kOperatorPinMaxLock);
}

long long UnixSeconds(std::chrono::system_clock::time_point t)
{
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

Error PinLocked(long long seconds)
{
    return MakeError("operator.locked",
                     "too many wrong PINs: wait " + std::to_string(seconds) + " s (PIN 错误次数过多)");
}

// The seal kinds of formats.md; any other name is a damaged or foreign box.
std::optional<SealKind> SealKindFromName(const std::string& s)
{
    if (s == "open") return SealKind::Open;
    if (s == "state") return SealKind::State;
    if (s == "close") return SealKind::Close;
    return std::nullopt;
}

// The rollback counter (formats.md §4.11): where it is kept. Beside the device key always;
// on Windows also under %ProgramData%\Pingyi\counters, named by the device key, out of the
// box's folder (a copy of the folder does not carry it).
std::vector<std::filesystem::path> CounterPaths(const std::filesystem::path& box, ByteView device_public_key)
{
    std::vector<std::filesystem::path> out{box.string() + ".counter"};
#ifdef _WIN32
    if (const char* program_data = std::getenv("ProgramData"); program_data && *program_data)
        out.push_back(std::filesystem::path(program_data) / "Pingyi" / "counters" /
                      (ToHex(device_public_key) + ".counter"));
#else
    (void)device_public_key;
#endif
    return out;
}

Bytes CounterSigningMessage(std::string_view body)
{
    Bytes m;
    AppendLengthPrefixed(m, AsBytes(std::string_view("pingyi/v1/counter-signature")));
    AppendLengthPrefixed(m, AsBytes(body));
    return m;
}

std::string CounterBody(ByteView device_public_key, std::uint64_t ballots, bool closed, const Digest& set)
{
    return Canonical(nlohmann::json{
        {"ballots", ballots}, {"box", ToHex(device_public_key)}, {"closed", closed}, {"set", ToHex(set)}});
}

// What a counter file says: nullopt if there is none; "box.rollback" if it is not a counter
// signed by this box's device key.
struct Counter {
    std::uint64_t ballots = 0;
    bool closed = false;
    std::string set;
};

Result<std::optional<Counter>> ReadCounter(const std::filesystem::path& file, SuiteId suite, ByteView device_public_key)
{
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return std::optional<Counter>();
    const auto damaged = MakeError(
        "box.rollback", "the rollback counter " + file.string() + " is damaged or not this box's: resuming is refused");
    auto bytes = ReadWholeFile(file, FileKind::kKeyFile);
    if (!bytes) return damaged;
    const std::string text(bytes->begin(), bytes->end());
    const auto nl = text.find('\n');
    if (nl == std::string::npos) return damaged;
    const std::string body = text.substr(0, nl);
    std::string sig_hex = text.substr(nl + 1);
    while (!sig_hex.empty() && (sig_hex.back() == '\n' || sig_hex.back() == '\r'))
        sig_hex.pop_back();
    const auto sig = FromHex(sig_hex);
    if (!sig || !VerifySignature(suite, device_public_key, CounterSigningMessage(body), *sig).ok()) return damaged;
    try {
        const auto j = ParseJson(AsBytes(body));
        if (!j || j->at("box").get<std::string>() != ToHex(device_public_key)) return damaged;
        return std::optional<Counter>(Counter{IntegerAt<std::uint64_t>(*j, "ballots"), j->at("closed").get<bool>(),
                                              j->at("set").get<std::string>()});
    } catch (const JsonValueError&) {
        return damaged;
    } catch (const nlohmann::json::exception&) {
        return damaged;
    }
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

// Removes a half-made box (the database, its sidecars and the device key) unless dismissed:
// a failed Create leaves nothing behind, so that trying again is not refused as box.exists.
class HalfMadeBox {
  public:
    explicit HalfMadeBox(std::filesystem::path path) : m_path(std::move(path)) {}
    HalfMadeBox(const HalfMadeBox&) = delete;
    HalfMadeBox& operator=(const HalfMadeBox&) = delete;
    ~HalfMadeBox()
    {
        if (m_dismissed) return;
        std::error_code ec;
        for (const char* suffix : {"-wal", "-shm", "-journal"})
            std::filesystem::remove(Sidecar(m_path, suffix), ec);
        std::filesystem::remove(KeyPath(m_path), ec);
        std::filesystem::remove(m_path.string() + ".counter", ec);
        std::filesystem::remove(m_path, ec);
    }
    void Dismiss() { m_dismissed = true; }

  private:
    std::filesystem::path m_path;
    bool m_dismissed = false;
};

}  // namespace

void SqliteClose::operator()(sqlite3* db) const
{
    sqlite3_close_v2(db);
}

std::string_view SealKindName(SealKind k)
{
    switch (k) {
        case SealKind::Open:
            return "open";
        case SealKind::State:
            return "state";
        case SealKind::Close:
            return "close";
    }
    return "?";
}

Digest BallotHash(SuiteId suite, const Digest& fingerprint, std::uint32_t kiosk, ByteView body)
{
    return Transcript("pingyi/v1/ballot", suite).Add(fingerprint).AddU32(kiosk).Add(body).Hash();
}

Bytes BallotSigningMessage(const Digest& ballot_hash)
{
    return LabeledHash("pingyi/v1/ballot-signature", ballot_hash);
}

Digest BallotSetHash(SuiteId suite, const Digest& fingerprint, std::uint32_t kiosk, std::vector<Digest> hashes)
{
    std::sort(hashes.begin(), hashes.end());
    Transcript t("pingyi/v1/ballot-set", suite);
    t.Add(fingerprint).AddU32(kiosk).AddU32(static_cast<std::uint32_t>(hashes.size()));
    for (const auto& h : hashes)
        t.Add(h);
    return t.Hash();
}

std::string CloseRecordFingerprint(const Digest& close_seal_hash)
{
    const std::string hex = ToHex(ByteView(close_seal_hash).first(8));
    std::string out;
    for (std::size_t i = 0; i < hex.size(); ++i) {
        if (i > 0 && i % 4 == 0) out.push_back('-');
        out.push_back(hex[i]);
    }
    return out;
}

Digest SealHash(SuiteId suite, const Digest& fingerprint, std::uint32_t kiosk, SealKind kind, ByteView body)
{
    return Transcript("pingyi/v1/seal", suite).Add(fingerprint).AddU32(kiosk).Add(SealKindName(kind)).Add(body).Hash();
}

Bytes SealSigningMessage(const Digest& seal_hash)
{
    return LabeledHash("pingyi/v1/seal-signature", seal_hash);
}

std::string OpenSealBody(const Digest& fingerprint, std::uint32_t kiosk, ByteView device_public_key,
                         std::string_view software)
{
    return Canonical(nlohmann::json{{"election", ToHex(fingerprint)},
                                    {"kiosk", kiosk},
                                    {"device_public_key", ToHex(device_public_key)},
                                    {"software", std::string(software)}});
}

std::string StateSealBody(std::uint64_t ballots, const Digest& set)
{
    return Canonical(nlohmann::json{{"ballots", ballots}, {"set", ToHex(set)}});
}

std::string CloseSealBody(std::uint64_t ballots, const Digest& set, std::uint64_t events, const Digest& events_head)
{
    return Canonical(nlohmann::json{
        {"ballots", ballots}, {"set", ToHex(set)}, {"events", events}, {"events_head", ToHex(events_head)}});
}

void SetEventClockForTesting(std::function<std::chrono::system_clock::time_point()> clock)
{
    EventClock() = std::move(clock);
}

Bytes BallotBody(std::uint32_t category, const EncryptedGrid& grid)
{
    Bytes b = U32Bytes(category);
    AppendBytes(b, grid.Encode());
    return b;
}

std::string TrackingCode(const Digest& record_hash)
{
    // 40 bits of the ballot hash in the code alphabet: 8 characters.
    std::uint64_t v = 0;
    for (int i = 0; i < 5; ++i)
        v = (v << 8) | record_hash[static_cast<std::size_t>(i)];
    std::string out;
    for (int i = 0; i < 8; ++i) {
        out.push_back(kCodeAlphabet[v % kCodeAlphabet.size()]);
        v /= kCodeAlphabet.size();
    }
    return out.substr(0, 4) + "-" + out.substr(4);
}

namespace {

// The body of an event of this kind; nullopt for another kind or a body that is no JSON object.
std::optional<nlohmann::json> EventBodyOf(const EventRecord& e, BoxEvent kind)
{
    auto j = ParseJson(e.body);
    if (!j || !j->is_object() || !j->contains("event") || !j->at("event").is_string() ||
        j->at("event").get<std::string>() != BoxEventName(kind))
        return std::nullopt;
    return std::move(*j);
}

}  // namespace

std::optional<SpoiledRecord> SpoiledBallotOf(const EventRecord& e)
{
    const auto j = EventBodyOf(e, BoxEvent::BallotSpoiled);
    if (!j || !j->contains("ballot") || !j->contains("nonces") || !j->at("ballot").is_string() ||
        !j->at("nonces").is_string())
        return std::nullopt;
    auto ballot = FromHex(j->at("ballot").get<std::string>());
    auto nonces = FromHex(j->at("nonces").get<std::string>());
    if (!ballot || !nonces) return std::nullopt;
    return SpoiledRecord{std::move(*ballot), std::move(*nonces)};
}

std::optional<bool> CheckModeOf(const EventRecord& e)
{
    const auto j = EventBodyOf(e, BoxEvent::CheckMode);
    if (!j || !j->contains("on") || !j->at("on").is_boolean()) return std::nullopt;
    return j->at("on").get<bool>();
}

Status BallotBox::SetCheckMode(bool on)
{
    if (on == m_check_mode) return Status::Ok();
    if (Status s = LogEvent(BoxEvent::CheckMode, {{"on", on}}); !s) return s;
    m_check_mode = on;
    return Status::Ok();
}

Result<std::vector<std::uint32_t>> OpenSpoiledGrid(const Point& public_key, const GridShape& shape,
                                                   const EncryptedGrid& grid, ByteView nonces)
{
    const std::size_t cells = std::size_t{shape.rows} * shape.cols;
    if (grid.cells.size() != cells || nonces.size() != cells * kScalarSize)
        return MakeError("spoiled.nonces", "the revealed nonces are not one per cell of the ballot");
    const Group& g = public_key.group();
    std::vector<std::uint32_t> choices(shape.rows, 0);
    for (std::uint32_t i = 0; i < shape.rows; ++i) {
        std::uint32_t ones = 0;
        for (std::uint32_t j = 0; j < shape.cols; ++j) {
            const std::size_t idx = std::size_t{i} * shape.cols + j;
            const std::string where = " (member " + std::to_string(i) + ", option " + std::to_string(j) + ")";
            auto r = Scalar::Decode(g, nonces.subspan(idx * kScalarSize, kScalarSize));
            if (!r || r->IsZero()) return MakeError("spoiled.nonces", "a revealed nonce is not a scalar" + where);
            const Ciphertext& ct = grid.cells[idx];
            // A = r·G pins the nonce; then B - r·K is m·G, and m must be 0 or 1.
            if (!(MulBase(*r) == ct.a))
                return MakeError("spoiled.nonces", "a revealed nonce does not reproduce its ciphertext" + where);
            if (Encrypt(public_key, 1, *r) == ct) {
                choices[i] = j;
                ++ones;
            } else if (!(Encrypt(public_key, 0, *r) == ct)) {
                return MakeError("spoiled.nonces",
                                 "a revealed nonce does not reproduce its ciphertext as 0 or 1" + where);
            }
        }
        if (ones != 1)
            return MakeError("spoiled.nonces", "member " + std::to_string(i) + " has " + std::to_string(ones) +
                                                   " options chosen, not one");
    }
    return choices;
}

BallotBox::BallotBox(SqlitePtr db, ElectionPackage pkg, SigningKey device, std::uint32_t kiosk,
                     std::filesystem::path path)
    : m_db(std::move(db)),
      m_package(std::move(pkg)),
      m_device(std::move(device)),
      m_kiosk(kiosk),
      m_ballots_per_category(m_package.definition.categories.size(), 0),
      m_path(std::move(path)),
      m_event_head(m_package.fingerprint)
{
}

std::string_view BoxEventName(BoxEvent e)
{
    for (const auto& [event, name] : kEventNames)
        if (event == e) return name;
    return "?";
}

std::optional<BoxEvent> BoxEventFromName(std::string_view name)
{
    for (const auto& [event, n] : kEventNames)
        if (n == name) return event;
    return std::nullopt;
}

Digest EventHash(SuiteId suite, const Digest& prev, std::uint64_t seq, ByteView body)
{
    return Transcript("pingyi/v1/event", suite).Add(prev).AddU32(static_cast<std::uint32_t>(seq)).Add(body).Hash();
}

Bytes EventSigningMessage(const Digest& hash)
{
    return LabeledHash("pingyi/v1/event-signature", hash);
}

Result<BallotBox> BallotBox::Create(const std::filesystem::path& path, const ElectionPackage& package,
                                    std::uint32_t kiosk, std::string_view operator_pin, Rng& rng, KdfParams kdf)
{
    if (kiosk == 0 || kiosk > package.definition.kiosks)
        return MakeError("box.kiosk", "this election has no kiosk number " + std::to_string(kiosk));
    if (operator_pin.empty())
        return MakeError(std::string(err::kPinWeak), "the device key must be sealed with an operator PIN");
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
        return MakeError("box.exists", "a ballot box already exists at " + path.string() + "; resume it instead");
    // A device key without its box is a leftover of a failed Create: it seals nothing.
    std::filesystem::remove(KeyPath(path), ec);
    // No box here, so any -wal or -shm is a stale leftover SQLite must not replay into it.
    for (const char* suffix : {"-wal", "-shm"})
        std::filesystem::remove(Sidecar(path, suffix), ec);
    if (Status s = CreateOwnerOnlyFile(path); !s) return MakeError("box.io", s.error().detail);
    HalfMadeBox half_made(path);
    if (Status s = PrepareBoxFiles(path); !s) return s.error();
    auto db = OpenDb(path, SQLITE_OPEN_READWRITE);
    if (!db) return db.error();
    SigningKey device = SigningKey::Generate(rng, package.suite());
    try {
        ConfigureDurable(db->get());
        {
            sql::Transaction tx(db->get());
            sql::Exec(db->get(), kSchema);
            sql::Exec(db->get(), ("PRAGMA user_version=" + std::to_string(kBoxSchemaVersion)).c_str());
            PutMeta(db->get(), "format", AsBytes("pingyi-ballot-box"));
            PutMeta(db->get(), "package", package.Serialize());
            PutMeta(db->get(), "kiosk", U32Bytes(kiosk));
            PutMeta(db->get(), "device_public_key", device.public_key());
            // Codes go in sorted by hash (the package's order): an order that says nothing.
            sql::Stmt ins(db->get(), "INSERT INTO codes(hash, category, used) VALUES(?, ?, 0)");
            for (const auto& c : package.codes) {
                if (c.kiosk != kiosk) continue;
                ins.Bind(1, ByteView(c.hash)).Bind(2, std::int64_t{c.category}).Step();
                ins.Reset();
            }
            tx.Commit();
        }
    } catch (const sql::SqlError& e) {
        db->reset();
        return sql::DescribeSqlError(e.code, e.what());
    }
    if (Status s =
            WriteFileAtomic(KeyPath(path), SealSigningKey(device, operator_pin, rng, kdf), FileAccess::kOwnerOnly);
        !s) {
        db->reset();
        return MakeError("box.io", s.error().detail);
    }

    BallotBox box(std::move(db).value(), package, std::move(device), kiosk, path);
    // The counter before the seals: a crash between them leaves a box Resume can judge.
    std::filesystem::remove(path.string() + ".counter", ec);
    box.WriteCounter();
    try {
        sql::Transaction tx(box.m_db.get());
        box.PutSeal(SealKind::Open,
                    OpenSealBody(package.fingerprint, kiosk, box.m_device.public_key(), SoftwareVersion()));
        box.PutSeal(SealKind::State, StateSealBody(0, BallotSetHash(package.suite(), package.fingerprint, kiosk, {})));
        box.AppendEvent(BoxEvent::PollOpened, {{"kiosk", kiosk}});
        tx.Commit();
    } catch (const sql::SqlError& e) {
        box.m_db.reset();
        return sql::DescribeSqlError(e.code, e.what());
    }
    half_made.Dismiss();
    return box;
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

    const std::size_t size = 4 + EncodedGridSize(pkg.definition.Shape());
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

Result<BallotBox> BallotBox::Resume(const std::filesystem::path& path, std::string_view operator_pin,
                                    std::chrono::system_clock::time_point now)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return MakeError("box.missing", "there is no ballot box at " + path.string());
    auto contents = ReadBox(path);
    if (!contents) return contents.error();
    auto pkg = LoadPackage(contents->package_file);
    if (!pkg) return pkg.error();
    auto key_file = ReadDeviceKeyFile(path);
    if (!key_file) return key_file.error();
    PinTries tries = ReadPinTries(path);
    const long long wall = UnixSeconds(now);
    // A wall clock set back cannot lengthen the lock beyond the longest one.
    if (wall < tries.locked_until)
        return PinLocked(std::min<long long>(tries.locked_until - wall, kOperatorPinMaxLock.count()));
    auto device = OpenDeviceKey(*key_file, operator_pin, contents->device_public_key, pkg->suite());
    if (!device) {
        if (device.error().code == err::kKeyfilePassphrase) {
            ++tries.failures;
            ++tries.unlogged;
            tries.locked_until = wall + PinLock(tries.failures).count();
            WritePinTries(path, tries);
        }
        return device.error();
    }
    if (Status s = PrepareBoxFiles(path); !s) return s.error();
    if (Status s = RestrictToOwner(KeyPath(path)); !s) return MakeError("box.io", s.error().detail);
    auto db = OpenDb(path, SQLITE_OPEN_READWRITE);
    if (!db) return db.error();
    BallotBox box(std::move(db).value(), std::move(pkg).value(), std::move(device).value(), contents->kiosk, path);
    try {
        ConfigureDurable(box.m_db.get());
    } catch (const sql::SqlError& e) {
        return sql::DescribeSqlError(e.code, e.what());
    }
    const Status loaded = box.LoadEventHead();
    // Everything in the file was written by another process, or by someone else: checked
    // before one more ballot joins it. A refusal is logged when the log can take it.
    const auto refuse = [&](const Error& error, std::string_view reason) -> Result<BallotBox> {
        if (loaded) (void)box.LogEvent(BoxEvent::ResumeRefused, {{"reason", std::string(reason)}});
        return error;
    };
    if (Status s = CheckStoredBox(*contents, box.m_package); !s) return refuse(s.error(), "tampered");
    if (!loaded) return loaded.error();
    for (const auto& b : contents->ballots) {
        box.m_ballot_hashes.push_back(b.hash);
        ++box.m_ballots_per_category[ReadU32(b.body)];
    }
    std::sort(box.m_ballot_hashes.begin(), box.m_ballot_hashes.end());
    for (const auto& e : contents->events) {
        if (auto spoiled = SpoiledBallotOf(e))
            box.m_spoiled.push_back(
                BallotHash(box.m_package.suite(), box.m_package.fingerprint, box.m_kiosk, spoiled->ballot));
        else if (auto on = CheckModeOf(e))
            box.m_check_mode = *on;
    }
    box.m_closed = contents->close.has_value();
    if (box.m_closed)
        box.m_close_hash = SealHash(box.m_package.suite(), box.m_package.fingerprint, box.m_kiosk, SealKind::Close,
                                    contents->close->body);
    // The counter: a copy of the box from before the last casts (restored while the kiosk was
    // off) holds fewer ballots than the counter says, or is open where the box was closed.
    const std::string set =
        ToHex(BallotSetHash(box.m_package.suite(), box.m_package.fingerprint, box.m_kiosk, box.m_ballot_hashes));
    bool any_counter = false;
    for (const auto& file : CounterPaths(path, box.device_public_key())) {
        auto counter = ReadCounter(file, box.m_package.suite(), box.device_public_key());
        if (!counter) return refuse(counter.error(), "rollback");
        if (!*counter) continue;
        any_counter = true;
        const Counter& c = **counter;
        const std::uint64_t n = box.m_ballot_hashes.size();
        if (n < c.ballots || (n == c.ballots && set != c.set) || (c.closed && !box.m_closed))
            return refuse(
                MakeError("box.rollback", "the ballot box is older than its rollback counter " + file.string() + " (" +
                                              std::to_string(n) + " ballots, the counter says " +
                                              std::to_string(c.ballots) + "): an earlier copy was put back"),
                "rollback");
    }
    if (!any_counter)
        return refuse(MakeError("box.rollback", "the ballot box's rollback counter (" + path.string() +
                                                    ".counter) is missing: resuming is refused"),
                      "rollback");
    (void)box.LogEvent(BoxEvent::PollResumed);
    // The wrong PINs tried while the box was shut, now that the device key can sign them.
    for (long long i = 0; i < tries.unlogged; ++i)
        (void)box.LogEvent(BoxEvent::OperatorLogin, {{"ok", false}});
    if (tries.failures != 0 || tries.unlogged != 0) WritePinTries(path, {});
    box.WriteCounter();
    return box;
}

Status BallotBox::LoadEventHead()
{
    try {
        sql::Stmt e(m_db.get(), "SELECT seq, hash FROM events ORDER BY seq");
        m_event_head = m_package.fingerprint;
        m_next_event = 0;
        while (e.Step()) {
            const auto h = DigestOf(e.Blob(1));
            if (static_cast<std::uint64_t>(e.Int(0)) != m_next_event || !h)
                return MakeError("box.damaged", "the ballot box's event log is broken");
            m_event_head = *h;
            ++m_next_event;
        }
    } catch (const sql::SqlError& e) {
        return sql::DescribeSqlError(e.code, e.what());
    }
    return Status::Ok();
}

void BallotBox::PutSeal(SealKind kind, const std::string& body)
{
    const Digest s = SealHash(m_package.suite(), m_package.fingerprint, m_kiosk, kind, AsBytes(body));
    const Bytes sig = m_device.Sign(SealSigningMessage(s));
    // In place: the state seal is one row, rewritten at every cast (secure_delete wipes the old).
    sql::Stmt(m_db.get(),
              "INSERT INTO seals(kind, body, signature) VALUES(?, ?, ?) "
              "ON CONFLICT(kind) DO UPDATE SET body = excluded.body, signature = excluded.signature")
        .Bind(1, SealKindName(kind))
        .Bind(2, AsBytes(body))
        .Bind(3, ByteView(sig))
        .Step();
}

void BallotBox::WriteCounter() const
{
    const std::string body =
        CounterBody(m_device.public_key(), m_ballot_hashes.size(), m_closed,
                    BallotSetHash(m_package.suite(), m_package.fingerprint, m_kiosk, m_ballot_hashes));
    const std::string text = body + "\n" + ToHex(m_device.Sign(CounterSigningMessage(body))) + "\n";
    for (const auto& file : CounterPaths(m_path, m_device.public_key())) {
        std::error_code ec;
        std::filesystem::create_directories(file.parent_path(), ec);
        (void)WriteFileAtomic(file, AsBytes(text), FileAccess::kOwnerOnly);
    }
}

CodeStatus BallotBox::CheckCode(std::string_view normalized_code) const
{
    if (m_closed) return {CodeStatus::Kind::Closed, 0};
    const Digest h = HashCode(m_package.suite(), m_package.code_salt, normalized_code);
    // Called from the kiosk's cast thread too: a SQLite failure is a status, never a throw.
    try {
        sql::Stmt s(m_db.get(), "SELECT category, used FROM codes WHERE hash = ?");
        s.Bind(1, ByteView(h));
        if (s.Step())
            return {s.Int(1) ? CodeStatus::Kind::Used : CodeStatus::Kind::Valid, static_cast<std::uint32_t>(s.Int(0))};
    } catch (const sql::SqlError&) {
        return {CodeStatus::Kind::Error, 0};
    }
    for (const auto& c : m_package.codes)
        if (c.hash == h) return {CodeStatus::Kind::OtherKiosk, c.category};
    return {CodeStatus::Kind::Unknown, 0};
}

Result<CastReceipt> BallotBox::Cast(std::string_view normalized_code, const EncryptedGrid& grid)
{
    if (m_closed) return MakeError("box.closed", "the poll is closed");
    const CodeStatus status = CheckCode(normalized_code);
    if (status.kind == CodeStatus::Kind::Error) return MakeError("box.io", "the ballot box cannot be read");
    if (status.kind != CodeStatus::Kind::Valid)
        return MakeError("box.code", "the voting code is not valid for this kiosk or was already used");
    if (Status s = VerifyGrid(m_package.public_key, m_package.definition.Shape(), grid,
                              m_package.BallotContext(status.category));
        !s)
        return MakeError("box.ballot", "the encrypted ballot failed its own proofs: " + s.error().detail);
    const Digest code_hash = HashCode(m_package.suite(), m_package.code_salt, normalized_code);
    const Bytes body = BallotBody(status.category, grid);
    const Digest hash = BallotHash(m_package.suite(), m_package.fingerprint, m_kiosk, body);
    if (std::find(m_spoiled.begin(), m_spoiled.end(), hash) != m_spoiled.end())
        return MakeError("box.ballot", "this ballot was checked (its nonces are public): it can never be cast");
    std::vector<Digest> after = m_ballot_hashes;
    after.insert(std::upper_bound(after.begin(), after.end(), hash), hash);
    try {
        sql::Transaction tx(m_db.get());
        sql::Stmt upd(m_db.get(), "UPDATE codes SET used = 1 WHERE hash = ? AND used = 0");
        upd.Bind(1, ByteView(code_hash)).Step();
        if (sqlite3_changes(m_db.get()) != 1) return MakeError("box.code", "the voting code was already used");
        // Keyed by its own hash: the b-tree holds the ballots in hash order, not in casting order.
        const Bytes sig = m_device.Sign(BallotSigningMessage(hash));
        sql::Stmt(m_db.get(), "INSERT INTO ballots(hash, body, signature) VALUES(?, ?, ?)")
            .Bind(1, ByteView(hash))
            .Bind(2, ByteView(body))
            .Bind(3, ByteView(sig))
            .Step();
        PutSeal(SealKind::State,
                StateSealBody(after.size(), BallotSetHash(m_package.suite(), m_package.fingerprint, m_kiosk, after)));
        tx.Commit();
    } catch (const sql::SqlError& e) {
        return sql::DescribeSqlError(e.code, e.what());
    }
    m_ballot_hashes = std::move(after);
    ++m_ballots_per_category[status.category];
    // Fold the log into the file at once so no write-ahead log keeps which code page
    // changed together with which ballot. A failure here loses nothing: the commit is durable.
    sqlite3_wal_checkpoint_v2(m_db.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    WriteCounter();
    return CastReceipt{hash, TrackingCode(hash)};
}

Result<CastReceipt> BallotBox::Spoil(std::string_view normalized_code, const EncryptedGrid& grid, ByteView nonces)
{
    if (m_closed) return MakeError("box.closed", "the poll is closed");
    const CodeStatus status = CheckCode(normalized_code);
    if (status.kind == CodeStatus::Kind::Error) return MakeError("box.io", "the ballot box cannot be read");
    if (status.kind != CodeStatus::Kind::Valid)
        return MakeError("box.code", "the voting code is not valid for this kiosk or was already used");
    const GridShape shape = m_package.definition.Shape();
    if (Status s = VerifyGrid(m_package.public_key, shape, grid, m_package.BallotContext(status.category)); !s)
        return MakeError("box.ballot", "the encrypted ballot failed its own proofs: " + s.error().detail);
    if (auto opened = OpenSpoiledGrid(m_package.public_key, shape, grid, nonces); !opened)
        return MakeError("box.ballot", "the revealed nonces do not open the ballot: " + opened.error().detail);
    const Bytes body = BallotBody(status.category, grid);
    const Digest hash = BallotHash(m_package.suite(), m_package.fingerprint, m_kiosk, body);
    if (std::binary_search(m_ballot_hashes.begin(), m_ballot_hashes.end(), hash))
        return MakeError("box.ballot", "this ballot was cast: it cannot be checked");
    if (Status s = LogEvent(BoxEvent::BallotSpoiled, {{"ballot", ToHex(body)}, {"nonces", ToHex(nonces)}}); !s)
        return s.error();
    m_spoiled.push_back(hash);
    return CastReceipt{hash, TrackingCode(hash)};
}

Status BallotBox::Close()
{
    if (m_closed) return MakeError("box.closed", "the poll is already closed");
    const Digest event_head_before = m_event_head;
    const std::uint64_t events_before = m_next_event;
    try {
        sql::Transaction tx(m_db.get());
        // The poll_closed event first, so that the close seal pins the log including it.
        AppendEvent(BoxEvent::PollClosed, {{"ballots", m_ballot_hashes.size()}});
        const std::string body = CloseSealBody(
            m_ballot_hashes.size(), BallotSetHash(m_package.suite(), m_package.fingerprint, m_kiosk, m_ballot_hashes),
            m_next_event, m_event_head);
        PutSeal(SealKind::Close, body);
        tx.Commit();
        m_closed = true;
        m_close_hash = SealHash(m_package.suite(), m_package.fingerprint, m_kiosk, SealKind::Close, AsBytes(body));
        WriteCounter();
        sql::Exec(m_db.get(), "PRAGMA wal_checkpoint(TRUNCATE)");
        // Rewrites the file in key order: no page of the closed box is where casting put it.
        sql::Exec(m_db.get(), "VACUUM");
    } catch (const sql::SqlError& e) {
        if (!m_closed) {
            m_event_head = event_head_before;
            m_next_event = events_before;
        }
        return sql::DescribeSqlError(e.code, e.what());
    }
    return Status::Ok();
}

Result<BallotBox::ExportKind> BallotBox::Export(const std::filesystem::path& to)
{
    std::error_code ec;
    ExportKind kind = ExportKind::Written;
    if (std::filesystem::exists(to, ec)) {
        auto earlier = ReadBox(to);
        if (!earlier || earlier->device_public_key != m_device.public_key())
            return MakeError("box.exists", "a file that is not an export of this box already exists at " + to.string());
        kind = ExportKind::ReplacedBackup;
    }
    const std::filesystem::path partial = to.parent_path() / ("." + to.filename().string() + ".partial");
    std::filesystem::remove(partial, ec);  // the leftover of an interrupted export
    // Logged before the copy, so the exported file holds its own export event.
    (void)LogEvent(BoxEvent::BoxExported);
    try {
        sql::Stmt s(m_db.get(), "VACUUM INTO ?");
        s.Bind(1, partial.string());
        s.Step();
    } catch (const sql::SqlError& e) {
        std::filesystem::remove(partial, ec);
        return sql::DescribeSqlError(e.code, e.what());
    }
    if (Status s = CommitFile(partial, to); !s) return MakeError("box.io", s.error().detail);
    return kind;
}

void BallotBox::AppendEvent(BoxEvent event, const nlohmann::json& details)
{
    nlohmann::json j = details.is_object() ? details : nlohmann::json::object();
    j["event"] = std::string(BoxEventName(event));
    j["time"] = UtcNow();
    const std::string body = Canonical(j);
    const Digest h = EventHash(m_package.suite(), m_event_head, m_next_event, AsBytes(body));
    const Bytes sig = m_device.Sign(EventSigningMessage(h));
    sql::Stmt(m_db.get(), "INSERT INTO events(seq, body, hash, signature) VALUES(?, ?, ?, ?)")
        .Bind(1, static_cast<std::int64_t>(m_next_event))
        .Bind(2, AsBytes(body))
        .Bind(3, ByteView(h))
        .Bind(4, ByteView(sig))
        .Step();
    m_event_head = h;
    ++m_next_event;
}

Status BallotBox::LogEvent(BoxEvent event, const nlohmann::json& details)
{
    const Digest head_before = m_event_head;
    const std::uint64_t seq_before = m_next_event;
    try {
        sql::Transaction tx(m_db.get());
        AppendEvent(event, details);
        tx.Commit();
    } catch (const sql::SqlError& e) {
        m_event_head = head_before;
        m_next_event = seq_before;
        return sql::DescribeSqlError(e.code, e.what());
    }
    return Status::Ok();
}

std::optional<std::chrono::seconds> BallotBox::operator_locked_for(std::chrono::steady_clock::time_point now) const
{
    if (now >= m_pin_locked_until) return std::nullopt;
    return std::chrono::ceil<std::chrono::seconds>(m_pin_locked_until - now);
}

Status BallotBox::CheckOperatorPin(std::string_view pin, std::chrono::steady_clock::time_point now)
{
    if (auto wait = operator_locked_for(now)) return PinLocked(wait->count());
    auto key_file = ReadDeviceKeyFile(m_path);
    if (!key_file) return key_file.error();
    const auto key = OpenDeviceKey(*key_file, pin, m_device.public_key(), m_package.suite());
    (void)LogEvent(BoxEvent::OperatorLogin, {{"ok", key.ok()}});
    if (key) {
        if (m_pin_failures != 0) WritePinTries(m_path, {});
        m_pin_failures = 0;
        return Status::Ok();
    }
    if (key.error().code != err::kKeyfilePassphrase) return key.error();
    const auto lock = PinLock(++m_pin_failures);
    if (lock.count() > 0) m_pin_locked_until = now + lock;
    WritePinTries(m_path, {m_pin_failures, UnixSeconds(std::chrono::system_clock::now()) + lock.count(), 0});
    return key.error();
}

std::vector<CategoryCount> BallotBox::Counts() const
{
    std::vector<CategoryCount> out(m_package.definition.categories.size());
    // For the operator's screen: a SQLite failure shows zeros, it never throws into the GUI.
    try {
        sql::Stmt s(m_db.get(), "SELECT category, COUNT(*), SUM(used) FROM codes GROUP BY category");
        while (s.Step()) {
            const auto cat = static_cast<std::size_t>(s.Int(0));
            if (cat < out.size())
                out[cat] = {static_cast<std::uint32_t>(s.Int(1)), static_cast<std::uint32_t>(s.Int(2))};
        }
    } catch (const sql::SqlError&) {
        return std::vector<CategoryCount>(m_package.definition.categories.size());
    }
    return out;
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
            const std::int64_t ballot = 4 + static_cast<std::int64_t>(EncodedGridSize(expected->definition.Shape()));
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
