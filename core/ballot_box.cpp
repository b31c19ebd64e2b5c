// The kiosk's side of a ballot box: Create, Resume, casting, checking, the event log, close
// and export, the operator PIN and the rollback counter. The reader is box_reader.cpp, the
// records box_records.cpp.
#include "core/ballot_box.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>

#include "core/box_internal.hpp"
#include "core/error_codes.hpp"
#include "core/file_io.hpp"
#include "core/sqlite_util.hpp"
#include "core/version.hpp"

namespace pingyi {
namespace {

using box_detail::DigestOf;
using box_detail::kSchema;
using box_detail::OpenDb;
using box_detail::U32Bytes;

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

void SetEventClockForTesting(std::function<std::chrono::system_clock::time_point()> clock)
{
    EventClock() = std::move(clock);
}

Status BallotBox::SetCheckMode(bool on)
{
    if (on == m_check_mode) return Status::Ok();
    if (Status s = LogEvent(BoxEvent::CheckMode, {{"on", on}}); !s) return s;
    m_check_mode = on;
    return Status::Ok();
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
    if (Status s = VerifyGrid(m_package.public_key, m_package.Shape(), grid, m_package.BallotContext(status.category));
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
    const GridShape shape = m_package.Shape();
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

}  // namespace pingyi
