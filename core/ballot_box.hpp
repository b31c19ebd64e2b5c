// The ballot box: one SQLite file per kiosk (docs/formats.md §4).
//
// The box keeps no order of voting: ballots live in a WITHOUT ROWID table keyed by the hash
// of their own content, each signed on its own by the device key; no sequence number, no
// chain through ballots. Integrity during the poll comes from the signed state (the count and
// a hash of the sorted set of ballot hashes), replaced in place in the casting transaction.
// Casting is one durable transaction: the code is marked used in place, the signed ballot
// is inserted and the state re-signed — or nothing happens. WAL with synchronous=FULL,
// secure_delete on, a checkpoint after every cast, VACUUM at close (which rewrites the file
// in hash order). A small signed counter outside the box refuses a rolled-back copy.
//
// Beside it, the event log (formats.md §4.10): a signed hash chain of what happened at the
// machine — poll opened, resumed, closed, exported; operator logins; rejected codes;
// discarded ballots — with the time, and nothing about any voter or ballot. The close seal
// pins the log as it was at closing.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "core/package.hpp"
#include "crypto/grid.hpp"

struct sqlite3;

namespace pingyi {

inline constexpr int kBoxSchemaVersion = 3;

// The signed statements about the box as a whole (formats.md §4.5): one row each.
enum class SealKind { Open, State, Close };
std::string_view SealKindName(SealKind k);

struct BoxSeal {
    Bytes body;  // canonical JSON
    Bytes signature;
};

// A ballot as stored: keyed by its own hash, signed on its own.
struct BallotRow {
    Digest hash{};
    Bytes body;  // be32(category) ‖ encoded grid
    Bytes signature;
};

// The record hashes below are H of the package's suite (SHA-256 or SM3, docs/protocol.md §3).
// b = H("pingyi/v1/ballot"; fp, be32(kiosk), body): the key of a ballot, from its content only.
Digest BallotHash(SuiteId suite, const Digest& fingerprint, std::uint32_t kiosk, ByteView body);
// What the kiosk signs for a ballot: LP("pingyi/v1/ballot-signature") ‖ LP(b).
Bytes BallotSigningMessage(const Digest& ballot_hash);
// S = H("pingyi/v1/ballot-set"; fp, be32(kiosk), be32(n), b_1, …, b_n), the b sorted ascending:
// a commitment to the set of ballots, whatever order they were cast in. Sorts `hashes`.
Digest BallotSetHash(SuiteId suite, const Digest& fingerprint, std::uint32_t kiosk, std::vector<Digest> hashes);
// s = H("pingyi/v1/seal"; fp, be32(kiosk), kind, body).
Digest SealHash(SuiteId suite, const Digest& fingerprint, std::uint32_t kiosk, SealKind kind, ByteView body);
// What the kiosk signs for a seal: LP("pingyi/v1/seal-signature") ‖ LP(s).
Bytes SealSigningMessage(const Digest& seal_hash);
// The close seal's printed fingerprint: the first 8 bytes of its s in hex, grouped by 4 with
// '-' (as KeyFingerprint prints a key). The closing form and `pingyi verify` show it.
std::string CloseRecordFingerprint(const Digest& close_seal_hash);
// A ballot body: be32(category) ‖ encoded grid.
Bytes BallotBody(std::uint32_t category, const EncryptedGrid& grid);
// A short code the voter can look up in the published list: "ABCD-EFGH" from the ballot hash b.
std::string TrackingCode(const Digest& ballot_hash);

// Opens a checked (spoiled) ballot with its revealed nonces, no key needed (protocol.md
// §6.1): `nonces` is every cell's r_ij, 32 bytes each, row-major. Every cell must satisfy
// A = r·G and B = r·K + m·G with m in {0, 1}, and every row must hold exactly one 1. Returns
// the option chosen in each row; "spoiled.nonces" names the first cell that does not open.
Result<std::vector<std::uint32_t>> OpenSpoiledGrid(const Point& public_key, const GridShape& shape,
                                                   const EncryptedGrid& grid, ByteView nonces);

// The event log. Names as written in the body's "event" field.
enum class BoxEvent {
    PollOpened,       // {"kiosk": n}
    PollResumed,      // {}
    OperatorLogin,    // {"ok": true|false}
    CodeRejected,     // {"reason": "format"|"unknown"|"used"|"other_kiosk"}
    BallotDiscarded,  // {"reason": "timeout"|"cancelled"}
    PollClosed,       // {"ballots": n}
    BoxExported,      // {}
    ResumeRefused,    // {"reason": "tampered"|"rollback"}
    // The tellers' check (Benaloh challenge, protocol.md §6.1): a ballot opened instead of
    // cast, {"ballot": hex of be32(category) ‖ grid, "nonces": hex of every cell's r_ij}.
    // Never counted; its code stays unused.
    BallotSpoiled,
    CheckMode,  // {"on": true|false}: the operator turned 核验模式 on or off
};
std::string_view BoxEventName(BoxEvent e);
std::optional<BoxEvent> BoxEventFromName(std::string_view name);

struct EventRecord {
    std::uint64_t seq = 0;
    Bytes body;  // canonical JSON: {"event": name, "time": "YYYY-MM-DDTHH:MM:SSZ", ...}
    Digest hash{};
    Bytes signature;
};

// A checked (spoiled) ballot as its ballot_spoiled event holds it (formats.md §4.10).
struct SpoiledRecord {
    Bytes ballot;  // be32(category) ‖ grid, as a cast ballot's body: its hash b gives the tracking code
    Bytes nonces;  // every cell's r_ij, 32 bytes each, row-major
};
// The spoiled ballot of a ballot_spoiled event whose two members are hex; nullopt for any
// other event (box.events judges every body's form, ballots.spoiled what it holds).
std::optional<SpoiledRecord> SpoiledBallotOf(const EventRecord& e);
// The "on" of a check_mode event; nullopt for any other event.
std::optional<bool> CheckModeOf(const EventRecord& e);

// e_i = H("pingyi/v1/event"; e_{i-1}, be32(seq), body), e_{-1} = the election fingerprint.
Digest EventHash(SuiteId suite, const Digest& prev, std::uint64_t seq, ByteView body);
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
    Digest hash{};  // the ballot hash b
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
    // (sealed with the operator PIN into `<box>.key`), this kiosk's codes, the signed open and
    // state seals, the rollback counter.
    static Result<BallotBox> Create(const std::filesystem::path& path, const ElectionPackage& package,
                                    std::uint32_t kiosk, std::string_view operator_pin, Rng& rng, KdfParams kdf = {});
    // Reopens a box to go on voting after a restart (the PIN unseals the device key). Wrong
    // PINs count with those of CheckOperatorPin, across restarts: they are kept in
    // `<box>.pin-tries` next to the device key (failures, lock end in wall-clock seconds,
    // tries not yet logged), the lock refuses without trying ("operator.locked"), and each
    // failed try is logged as operator_login {"ok":false} once the box is open. Trusts nothing
    // in the file: CheckStoredBox ("box.tampered"), then the rollback counter ("box.rollback":
    // the box is older than the counter, or the counter is missing or not the box's); a refusal
    // is logged as resume_refused.
    static Result<BallotBox> Resume(const std::filesystem::path& path, std::string_view operator_pin,
                                    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

    BallotBox(BallotBox&&) noexcept = default;
    BallotBox& operator=(BallotBox&&) noexcept = default;
    ~BallotBox() = default;

    [[nodiscard]] CodeStatus CheckCode(std::string_view normalized_code) const;
    // The casting transaction. Verifies the grid's proofs first (a kiosk never stores a
    // ballot it could not defend), then marks the code, inserts the signed ballot and re-signs
    // the state, durably; then the rollback counter.
    // Refuses ("box.ballot") a grid that was checked before: a spoiled ballot is never cast.
    Result<CastReceipt> Cast(std::string_view normalized_code, const EncryptedGrid& grid);
    // The tellers' check: the grid is opened instead of cast. Verifies the code (valid and
    // unused, which it stays), the grid's proofs and that `nonces` open it (OpenSpoiledGrid),
    // then appends the signed ballot_spoiled event with the ballot and its nonces. Returns the
    // ballot's hash and the tracking code the kiosk showed when it committed.
    Result<CastReceipt> Spoil(std::string_view normalized_code, const EncryptedGrid& grid, ByteView nonces);
    // Signed close seal (count, set, events), then VACUUM. After this, Cast refuses.
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
    // 核验模式 (check mode): logged as check_mode {"on": …}. The box remembers the last one
    // logged, so a kiosk restarted in check mode (a power cut) is still in it.
    Status SetCheckMode(bool on);
    [[nodiscard]] bool check_mode() const { return m_check_mode; }

    // The operator's PIN for the menu: unseals <box>.key (about 0.5 s of scrypt) and compares
    // it with this box's device key; logs operator_login. After kOperatorPinFreeTries wrong
    // PINs in a row the check refuses without trying, "operator.locked" with the seconds left
    // in the detail; a wrong PIN is the key file's "keyfile.passphrase". The count and the
    // lock are kept in `<box>.pin-tries` too, so a restart does not reset them (Resume).
    Status CheckOperatorPin(std::string_view pin, std::chrono::steady_clock::time_point now);
    [[nodiscard]] std::optional<std::chrono::seconds> operator_locked_for(
        std::chrono::steady_clock::time_point now) const;

    [[nodiscard]] bool closed() const { return m_closed; }
    [[nodiscard]] std::uint64_t ballots() const { return m_ballot_hashes.size(); }
    [[nodiscard]] std::vector<CategoryCount> Counts() const;
    [[nodiscard]] const ElectionPackage& package() const { return m_package; }
    [[nodiscard]] std::uint32_t kiosk() const { return m_kiosk; }
    [[nodiscard]] const Bytes& device_public_key() const { return m_device.public_key(); }
    [[nodiscard]] std::uint64_t events() const { return m_next_event; }
    // s of the close seal (formats.md §4.5; the results' close_hash), once the poll is closed.
    [[nodiscard]] const std::optional<Digest>& close_seal_hash() const { return m_close_hash; }

  private:
    BallotBox(SqlitePtr db, ElectionPackage pkg, SigningKey device, std::uint32_t kiosk, std::filesystem::path path);
    // Writes or replaces a seal; inside a transaction, throws SqlError.
    void PutSeal(SealKind kind, const std::string& body);
    void AppendEvent(BoxEvent event, const nlohmann::json& details);  // inside a transaction; throws SqlError
    Status LoadEventHead();
    // The rollback counter beside the key (and, on Windows, under %ProgramData%\Pingyi): the
    // box's state now, signed. Best effort: a failure leaves the older counter, which a box
    // ahead of it still passes.
    void WriteCounter() const;

    SqlitePtr m_db;
    ElectionPackage m_package;
    SigningKey m_device;
    std::uint32_t m_kiosk = 1;
    std::vector<Digest> m_ballot_hashes;  // sorted: the set the state seal signs
    std::vector<std::uint32_t> m_ballots_per_category;
    std::vector<Digest> m_spoiled;  // hashes of the ballots checked (ballot_spoiled events)
    bool m_closed = false;
    bool m_check_mode = false;  // as the last check_mode event says
    std::optional<Digest> m_close_hash;
    std::filesystem::path m_path;
    std::uint64_t m_next_event = 0;
    Digest m_event_head{};
    int m_pin_failures = 0;
    std::chrono::steady_clock::time_point m_pin_locked_until{};
};

// The seals' bodies, canonical JSON (formats.md §4.5): what the kiosk signs and what Resume
// and the verifier compare, byte for byte.
std::string OpenSealBody(const Digest& fingerprint, std::uint32_t kiosk, ByteView device_public_key,
                         std::string_view software);
std::string StateSealBody(std::uint64_t ballots, const Digest& set);
std::string CloseSealBody(std::uint64_t ballots, const Digest& set, std::uint64_t events, const Digest& events_head);

// WARNING: for tests only. The wall clock the event log's times are read from; an empty
// function restores the system clock.
void SetEventClockForTesting(std::function<std::chrono::system_clock::time_point()> clock);

// Everything in a box file, read-only, for verification and the tally. Checks nothing
// beyond the schema: verify.cpp does the checking.
struct BoxContents {
    Bytes package_file;
    std::uint32_t kiosk = 0;
    Bytes device_public_key;
    std::optional<BoxSeal> open, state, close;
    std::vector<BallotRow> ballots;  // in the table's order: ascending hash
    std::vector<EventRecord> events;
    std::vector<std::pair<Digest, std::pair<std::uint32_t, bool>>> codes;  // hash -> (category, used)
};

// Everything Resume checks of a box it did not write in this process (formats.md §4.7): the
// open seal names this election, kiosk and device key; every ballot's hash and signature; the
// state (and close) seal signed over the ballots present; the event log's chain and
// signatures; the codes are the package's, used = ballots per category. "box.tampered" with
// what failed. Proofs are not checked again: the device key signs only ballots it verified.
Status CheckStoredBox(const BoxContents& box, const ElectionPackage& package);

// Reads a whole box. Its rows are capped by the package it holds (formats.md §4.7). A
// verifier passes its own package as `expected`: then the caps are that package's codes for
// the box's kiosk, a record body may be no larger than one of its ballots and the events'
// bodies hold at most 64 MiB in all, each checked by SQL before any row is loaded, so that
// memory stays bounded by the package whatever the box holds.
Result<BoxContents> ReadBox(const std::filesystem::path& path, const ElectionPackage* expected = nullptr);

}  // namespace pingyi
