// The ballot box: one SQLite file per kiosk (docs/formats.md §4).
//
// Casting is one durable transaction: the code is marked used in place, the signed ballot
// record is appended to the hash chain — or nothing happens. WAL with synchronous=FULL,
// secure_delete on, a checkpoint after every cast (so no write-ahead log keeps the order of
// code and ballot), VACUUM at close. No timestamps in the ballots' chain.
//
// Beside it, the event log (formats.md §4.8): its own signed hash chain of what happened at
// the machine — poll opened, resumed, closed, exported; operator logins; rejected codes;
// discarded ballots — with the time, and nothing about any voter or ballot. The close record
// pins the log as it was at closing.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

#include "core/package.hpp"
#include "crypto/grid.hpp"

struct sqlite3;

namespace pingyi {

inline constexpr int kBoxSchemaVersion = 2;

enum class RecordKind { Open, Ballot, Close };
std::string_view RecordKindName(RecordKind k);

struct BoxRecord {
    std::uint64_t seq = 0;
    RecordKind kind = RecordKind::Open;
    Bytes body;
    Digest hash{};
    Bytes signature;
};

// h_i = H("pingyi/v1/record"; h_{i-1}, be32(seq), kind, body), h_{-1} = the election fingerprint.
Digest RecordHash(const Digest& prev, std::uint64_t seq, RecordKind kind, ByteView body);
// What the kiosk signs: LP("pingyi/v1/record-signature") ‖ LP(h_i).
Bytes RecordSigningMessage(const Digest& hash);
// A ballot record body: be32(category) ‖ encoded grid.
Bytes BallotBody(std::uint32_t category, const EncryptedGrid& grid);
// A short code the voter can look up in the published list: "ABCD-EFGH" from h_i.
std::string TrackingCode(const Digest& record_hash);

// The event log. Names as written in the body's "event" field.
enum class BoxEvent {
    PollOpened,       // {"kiosk": n}
    PollResumed,      // {}
    OperatorLogin,    // {"ok": true|false}
    CodeRejected,     // {"reason": "format"|"unknown"|"used"|"other_kiosk"}
    BallotDiscarded,  // {"reason": "timeout"|"cancelled"}
    PollClosed,       // {"ballots": n}
    BoxExported,      // {}
};
std::string_view BoxEventName(BoxEvent e);
std::optional<BoxEvent> BoxEventFromName(std::string_view name);

struct EventRecord {
    std::uint64_t seq = 0;
    Bytes body;  // canonical JSON: {"event": name, "time": "YYYY-MM-DDTHH:MM:SSZ", ...}
    Digest hash{};
    Bytes signature;
};

// e_i = H("pingyi/v1/event"; e_{i-1}, be32(seq), body), e_{-1} = the election fingerprint.
Digest EventHash(const Digest& prev, std::uint64_t seq, ByteView body);
// What the kiosk signs: LP("pingyi/v1/event-signature") ‖ LP(e_i).
Bytes EventSigningMessage(const Digest& hash);

// Operator PIN: five wrong PINs in a row lock the check for 30 s, doubling up to 15 min.
inline constexpr int kOperatorPinFreeTries = 5;
inline constexpr std::chrono::seconds kOperatorPinFirstLock{30};
inline constexpr std::chrono::seconds kOperatorPinMaxLock{15 * 60};

struct CodeStatus {
    // Error: the box could not be read (a disk error); nothing was decided about the code.
    enum class Kind { Valid, Unknown, Used, OtherKiosk, Closed, Error } kind = Kind::Unknown;
    std::uint32_t category = 0;
};

struct CastReceipt {
    std::uint64_t seq = 0;
    Digest hash{};
    std::string tracking_code;
};

struct CategoryCount {
    std::uint32_t issued = 0;  // codes of this kiosk
    std::uint32_t used = 0;
};

struct SqliteClose {
    void operator()(sqlite3* db) const;
};
using SqlitePtr = std::unique_ptr<sqlite3, SqliteClose>;

class BallotBox {
  public:
    // Makes a new box for kiosk `kiosk` (1-based) from a verified package: the device key
    // (sealed with the operator PIN into `<box>.key`), this kiosk's codes, the signed open record.
    static Result<BallotBox> Create(const std::filesystem::path& path, const ElectionPackage& package,
                                    std::uint32_t kiosk, std::string_view operator_pin, Rng& rng, KdfParams kdf = {});
    // Reopens a box to go on voting after a restart (the PIN unseals the device key). Wrong
    // PINs count with those of CheckOperatorPin, across restarts: they are kept in
    // `<box>.pin-tries` next to the device key (failures, lock end in wall-clock seconds,
    // tries not yet logged), the lock refuses without trying ("operator.locked"), and each
    // failed try is logged as operator_login {"ok":false} once the box is open.
    static Result<BallotBox> Resume(const std::filesystem::path& path, std::string_view operator_pin,
                                    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

    BallotBox(BallotBox&&) noexcept = default;
    BallotBox& operator=(BallotBox&&) noexcept = default;
    ~BallotBox() = default;

    [[nodiscard]] CodeStatus CheckCode(std::string_view normalized_code) const;
    // The casting transaction. Verifies the grid's proofs first (a kiosk never stores a
    // ballot it could not defend), then marks the code and appends the record, durably.
    Result<CastReceipt> Cast(std::string_view normalized_code, const EncryptedGrid& grid);
    // Signed close record (count, head), then VACUUM. After this, Cast refuses.
    Status Close();
    // A consistent copy of the box (VACUUM INTO) for the admin's USB stick; logged. Written
    // under a temporary name beside `to` (".<name>.partial", never *.sqlite), flushed, then
    // renamed: an interrupted export leaves nothing that looks like a box, and a second try
    // works. A file already at `to` is replaced only when it is an earlier export of this
    // very box (same device key: a backup taken during voting, which a later export
    // supersedes): ExportKind::ReplacedBackup. Anything else there: "box.exists".
    enum class ExportKind { Written, ReplacedBackup };
    Result<ExportKind> Export(const std::filesystem::path& to);

    // Appends a signed event (body: "event", "time" in UTC, and `details`' fields). Never
    // blocks voting: callers may ignore a failure (a full disk), the ballots are unaffected.
    Status LogEvent(BoxEvent event, const nlohmann::json& details = nlohmann::json::object());

    // The operator's PIN for the menu: unseals <box>.key (about 0.5 s of scrypt) and compares
    // it with this box's device key; logs operator_login. After kOperatorPinFreeTries wrong
    // PINs in a row the check refuses without trying, "operator.locked" with the seconds left
    // in the detail; a wrong PIN is the key file's "keyfile.passphrase". The count and the
    // lock are kept in `<box>.pin-tries` too, so a restart does not reset them (Resume).
    Status CheckOperatorPin(std::string_view pin, std::chrono::steady_clock::time_point now);
    [[nodiscard]] std::optional<std::chrono::seconds> operator_locked_for(
        std::chrono::steady_clock::time_point now) const;

    [[nodiscard]] bool closed() const { return m_closed; }
    [[nodiscard]] std::uint64_t ballots() const { return m_ballots; }
    [[nodiscard]] std::vector<CategoryCount> Counts() const;
    [[nodiscard]] const ElectionPackage& package() const { return m_package; }
    [[nodiscard]] std::uint32_t kiosk() const { return m_kiosk; }
    [[nodiscard]] const Bytes& device_public_key() const { return m_device.public_key(); }
    [[nodiscard]] std::uint64_t events() const { return m_next_event; }

  private:
    BallotBox(SqlitePtr db, ElectionPackage pkg, SigningKey device, std::uint32_t kiosk, std::filesystem::path path);
    Status Append(RecordKind kind, ByteView body, CastReceipt* receipt);
    void AppendEvent(BoxEvent event, const nlohmann::json& details);  // inside a transaction; throws SqlError
    Status LoadChainHead();

    SqlitePtr m_db;
    ElectionPackage m_package;
    SigningKey m_device;
    std::uint32_t m_kiosk = 1;
    std::uint64_t m_next_seq = 0;
    std::uint64_t m_ballots = 0;
    Digest m_head{};
    bool m_closed = false;
    std::filesystem::path m_path;
    std::uint64_t m_next_event = 0;
    Digest m_event_head{};
    int m_pin_failures = 0;
    std::chrono::steady_clock::time_point m_pin_locked_until{};
};

// Everything in a box file, read-only, for verification and the tally. Checks nothing
// beyond the schema: verify.cpp does the checking.
struct BoxContents {
    Bytes package_file;
    std::uint32_t kiosk = 0;
    Bytes device_public_key;
    std::vector<BoxRecord> records;
    std::vector<EventRecord> events;
    std::vector<std::pair<Digest, std::pair<std::uint32_t, bool>>> codes;  // hash -> (category, used)
};
// Reads a whole box. Its rows are capped by the package it holds (formats.md §4.7). A
// verifier passes its own package as `expected`: then the caps are that package's codes for
// the box's kiosk, a record body may be no larger than one of its ballots and the events'
// bodies hold at most 64 MiB in all, each checked by SQL before any row is loaded, so that
// memory stays bounded by the package whatever the box holds.
Result<BoxContents> ReadBox(const std::filesystem::path& path, const ElectionPackage* expected = nullptr);

}  // namespace pingyi
