// The ballot box keeps no order of voting (formats.md §4.2, §4.5), and Resume trusts nothing it
// did not write itself (§4.7, §4.11): the same ballots cast in two orders give the same box,
// and a box altered or rolled back while the kiosk was off is refused.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/ballot_box.hpp"
#include "core/file_io.hpp"
#include "core/verify.hpp"
#include "crypto/random.hpp"
#include "test_support.hpp"

namespace pingyi {
namespace {

using test::FileBytes;

constexpr std::string_view kPin = "246810";

// Every event of these tests happens at the same second: the log is then the same whatever
// the wall clock, and two boxes made alike are alike byte for byte.
struct FixedEventClock {
    FixedEventClock()
    {
        SetEventClockForTesting([] { return std::chrono::system_clock::time_point(std::chrono::seconds(1795000000)); });
    }
    ~FixedEventClock() { SetEventClockForTesting({}); }
    FixedEventClock(const FixedEventClock&) = delete;
    FixedEventClock& operator=(const FixedEventClock&) = delete;
};

// One election, a few encrypted grids made once, and the codes of kiosk 1 to cast them with.
struct Ballots {
    Ballots()
        : created(CreateElection(test::SmallElection(), "correct horse", SystemRng(), test::kFastKdf).value()),
          package(LoadPackage(created.package.Serialize()).value())
    {
        for (const auto& c : created.codes) {
            if (c.kiosk != 1 || codes.size() == 4) continue;
            codes.push_back(*NormalizeCode(c.code));
            std::vector<std::uint32_t> choices(package.definition.roster.size(), 1);
            choices[codes.size() % choices.size()] = 2;
            grids.push_back(EncryptGrid(package.public_key, package.Shape(), choices, package.BallotContext(c.category),
                                        SystemRng()));
        }
        REQUIRE(codes.size() == 4);
    }
    // A box with a new device key; with `same_key`, one from a fixed seed, the same in every
    // box made so (only for boxes compared byte for byte and never resumed: on Windows the
    // rollback counter under %ProgramData% is named by the device key).
    [[nodiscard]] BallotBox Create(const std::filesystem::path& path, bool same_key = false) const
    {
        DeterministicRng fixed(AsBytes(std::string_view("order-free device key")));
        return BallotBox::Create(path, package, 1, kPin, same_key ? static_cast<Rng&>(fixed) : SystemRng(),
                                 test::kFastKdf)
            .value();
    }

    CreatedElection created;
    ElectionPackage package;
    std::vector<std::string> codes;
    std::vector<EncryptedGrid> grids;
};

// The rows of one table as SQLite stores them, in the table's own order.
std::vector<std::vector<Bytes>> Rows(const std::filesystem::path& path, const std::string& sql)
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.string().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    std::vector<std::vector<Bytes>> out;
    while (sqlite3_step(st) == SQLITE_ROW) {
        std::vector<Bytes> row;
        for (int i = 0; i < sqlite3_column_count(st); ++i) {
            const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, i));
            row.emplace_back(p, p + sqlite3_column_bytes(st, i));
        }
        out.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

bool Prepares(const std::filesystem::path& path, const std::string& sql)
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.string().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    const bool ok = sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ok;
}

// Casts ballots `order` (indexes into b.grids, each with its own code) into a new box at `path`.
BallotBox CastInOrder(const Ballots& b, const std::filesystem::path& path, const std::vector<std::size_t>& order,
                      bool same_key = false)
{
    BallotBox box = b.Create(path, same_key);
    for (std::size_t i : order)
        REQUIRE(box.Cast(b.codes[i], b.grids[i]).ok());
    return box;
}

}  // namespace

TEST_CASE("order-free: the same ballots cast in two orders give byte-identical closed boxes")
{
    const FixedEventClock clock;
    const Ballots b;
    test::TempDir dir;
    const auto first = dir / "first.sqlite", second = dir / "second.sqlite";
    {
        BallotBox x = CastInOrder(b, first, {0, 1, 2, 3}, true);
        BallotBox y = CastInOrder(b, second, {3, 1, 0, 2}, true);
        REQUIRE(x.Close().ok());
        REQUIRE(y.Close().ok());
    }
    const std::string ballots = "SELECT hash, body, signature FROM ballots";
    CHECK(Rows(first, ballots).size() == 4);
    CHECK(Rows(first, ballots) == Rows(second, ballots));
    const std::string seals = "SELECT kind, body, signature FROM seals";
    CHECK(Rows(first, seals) == Rows(second, seals));
    CHECK(Rows(first, "SELECT * FROM codes") == Rows(second, "SELECT * FROM codes"));
    CHECK(Rows(first, "SELECT * FROM events") == Rows(second, "SELECT * FROM events"));
    // VACUUM at close rewrote each file in key order: not one byte tells the orders apart.
    CHECK(FileBytes(first) == FileBytes(second));
    const Audit audit = VerifyElection(b.created.package.Serialize(), {first});
    CHECK(audit.report.ok());
}

TEST_CASE("order-free: a live box between casts shows the set of ballots, never their order")
{
    const FixedEventClock clock;
    const Ballots b;
    test::TempDir dir;
    const auto ab = dir / "ab.sqlite", ba = dir / "ba.sqlite";
    BallotBox x = CastInOrder(b, ab, {0, 1}, true);
    BallotBox y = CastInOrder(b, ba, {1, 0}, true);
    // The file as it is between casts, as someone copying it off the running kiosk reads it.
    for (const char* sql : {"SELECT hash, body, signature FROM ballots", "SELECT kind, body, signature FROM seals",
                            "SELECT * FROM codes", "SELECT * FROM events"}) {
        CAPTURE(sql);
        CHECK(Rows(ab, sql) == Rows(ba, sql));
    }
    // No row id, no sequence: the table is a b-tree keyed by the ballot hash only.
    CHECK_FALSE(Prepares(ab, "SELECT rowid FROM ballots"));
    CHECK_FALSE(Prepares(ab, "SELECT seq FROM ballots"));
    const auto rows = Rows(ab, "SELECT hash FROM ballots");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0] < rows[1]);
    // The write-ahead log is folded in after every cast: nothing of the last transaction waits there.
    std::error_code ec;
    CHECK(std::filesystem::file_size(ab.string() + "-wal", ec) == 0);
    // A backup exported during the poll is rewritten in key order: byte-identical too.
    REQUIRE(x.Export(dir / "ab-export.sqlite").ok());
    REQUIRE(y.Export(dir / "ba-export.sqlite").ok());
    CHECK(FileBytes(dir / "ab-export.sqlite") == FileBytes(dir / "ba-export.sqlite"));
    // The signed state is the count and the set, whatever the order.
    CHECK(ReadBox(ab)->state->body == ReadBox(ba)->state->body);
}

TEST_CASE("order-free: the tracking code comes from the ballot alone")
{
    const Ballots b;
    test::TempDir dir;
    BallotBox box = b.Create(dir / "box.sqlite");
    const auto receipt = box.Cast(b.codes[2], b.grids[2]).value();
    const Bytes body = BallotBody(b.created.codes[2].category, b.grids[2]);
    CHECK(receipt.hash == BallotHash(b.package.suite(), b.package.fingerprint, 1, body));
    CHECK(receipt.tracking_code == TrackingCode(BallotHash(b.package.suite(), b.package.fingerprint, 1, body)));
    // Another kiosk would give the same ballot another hash (the kiosk number is hashed in).
    CHECK(BallotHash(b.package.suite(), b.package.fingerprint, 2, body) != receipt.hash);
}

TEST_CASE("resume: a ballot deleted and its code unmarked while the kiosk was off is refused")
{
    const Ballots b;
    test::TempDir dir;
    const auto path = dir / "box.sqlite";
    {
        BallotBox box = CastInOrder(b, path, {0, 1, 2});
    }
    REQUIRE(BallotBox::Resume(path, kPin).ok());
    // The tamperer, without the PIN, with a SQLite shell: one ballot and its used mark go.
    const Digest code = HashCode(b.package.suite(), b.package.code_salt, b.codes[2]);
    const Digest ballot =
        BallotHash(b.package.suite(), b.package.fingerprint, 1, BallotBody(b.created.codes[2].category, b.grids[2]));
    test::Sql(path, "DELETE FROM ballots WHERE hash = x'" + ToHex(ballot) +
                        "'; UPDATE codes SET used = 0 WHERE hash = x'" + ToHex(code) + "'");
    const auto events_before = ReadBox(path)->events.size();
    auto resumed = BallotBox::Resume(path, kPin);
    REQUIRE_FALSE(resumed.ok());
    CHECK(resumed.error().code == "box.tampered");
    CHECK(resumed.error().detail.find("signed state") != std::string::npos);
    // The refusal is in the box's own log.
    const auto after = ReadBox(path).value();
    REQUIRE(after.events.size() == events_before + 1);
    const std::string last(after.events.back().body.begin(), after.events.back().body.end());
    CHECK(last.find("\"event\":\"resume_refused\"") != std::string::npos);
    CHECK(last.find("\"reason\":\"tampered\"") != std::string::npos);
    // The verifier names it too.
    const Audit audit = VerifyElection(b.created.package.Serialize(), {path});
    CHECK(audit.report.Failed("box.state"));
}

TEST_CASE("resume: every other alteration of a stopped box is refused as box.tampered")
{
    const Ballots b;
    test::TempDir dir;
    const auto honest = dir / "honest.sqlite";
    {
        BallotBox box = CastInOrder(b, honest, {0, 1});
    }
    const std::pair<const char*, const char*> cases[] = {
        {"a ballot's body",
         "UPDATE ballots SET body = CAST(substr(body, 1, 100) || X'00' || substr(body, 102) AS BLOB) "
         "WHERE hash = (SELECT min(hash) FROM ballots)"},
        {"a ballot's signature",
         "UPDATE ballots SET signature = zeroblob(64) WHERE hash = (SELECT min(hash) FROM ballots)"},
        {"a code marked unused", "UPDATE codes SET used = 0 WHERE hash = (SELECT min(hash) FROM codes WHERE used = 1)"},
        {"a code marked used", "UPDATE codes SET used = 1 WHERE hash = (SELECT min(hash) FROM codes WHERE used = 0)"},
        {"the state seal", "DELETE FROM seals WHERE kind = 'state'"},
        {"the open seal",
         "UPDATE seals SET body = CAST(replace(CAST(body AS TEXT), '\"kiosk\":1', '\"kiosk\":2') AS BLOB) "
         "WHERE kind = 'open'"},
        {"the whole event log", "DELETE FROM events"},
        {"an event",
         "UPDATE events SET body = CAST(replace(CAST(body AS TEXT), '\"kiosk\":1', '\"kiosk\":2') AS BLOB)"},
    };
    int n = 0;
    for (const auto& [what, sql] : cases) {
        CAPTURE(std::string(what));
        const auto path = dir / ("t" + std::to_string(n++) + ".sqlite");
        std::filesystem::copy_file(honest, path);
        std::filesystem::copy_file(honest.string() + ".key", path.string() + ".key");
        std::filesystem::copy_file(honest.string() + ".counter", path.string() + ".counter");
        test::Sql(path, sql);
        auto resumed = BallotBox::Resume(path, kPin);
        REQUIRE_FALSE(resumed.ok());
        CHECK(resumed.error().code == "box.tampered");
    }
}

TEST_CASE("resume: an earlier copy put back while the kiosk was off is refused as box.rollback")
{
    const Ballots b;
    test::TempDir dir;
    const auto path = dir / "box.sqlite";
    {
        BallotBox box = CastInOrder(b, path, {0});
    }
    std::filesystem::copy_file(path, dir / "earlier.sqlite");
    {
        BallotBox box = BallotBox::Resume(path, kPin).value();
        REQUIRE(box.Cast(b.codes[1], b.grids[1]).ok());
    }
    // The earlier copy verifies perfectly on its own …
    // (remove, then copy: mingw's copy_file takes two files for one when st_ino is 0, as on Windows)
    std::filesystem::remove(path);
    std::filesystem::copy_file(dir / "earlier.sqlite", path);
    CHECK(CheckStoredBox(ReadBox(path).value(), b.package).ok());
    // … but the counter beside the key remembers two ballots.
    auto resumed = BallotBox::Resume(path, kPin);
    REQUIRE_FALSE(resumed.ok());
    CHECK(resumed.error().code == "box.rollback");
    const auto log = ReadBox(path).value().events;
    const std::string last(log.back().body.begin(), log.back().body.end());
    CHECK(last.find("\"reason\":\"rollback\"") != std::string::npos);

    // A counter removed, or one not signed by this box's key, refuses too.
    const std::filesystem::path counter = path.string() + ".counter";
    const Bytes kept = FileBytes(counter);
    std::filesystem::remove(counter);
    CHECK(BallotBox::Resume(path, kPin).error().code == "box.rollback");
    std::string forged(kept.begin(), kept.end());
    forged.replace(forged.find("\"ballots\":2"), 11, "\"ballots\":1");
    REQUIRE(WriteFileAtomic(counter, AsBytes(forged)).ok());
    CHECK(BallotBox::Resume(path, kPin).error().code == "box.rollback");

    // A closed box put back to a copy from before its close is refused as well.
    const auto closed = dir / "closed.sqlite";
    {
        BallotBox box = CastInOrder(b, closed, {2});
        std::filesystem::copy_file(closed, dir / "before-close.sqlite");
        REQUIRE(box.Close().ok());
    }
    std::filesystem::remove(closed);
    std::filesystem::copy_file(dir / "before-close.sqlite", closed);
    CHECK(BallotBox::Resume(closed, kPin).error().code == "box.rollback");
}

TEST_CASE("resume: the honest box resumes after every cast, and the counter follows it")
{
    const Ballots b;
    test::TempDir dir;
    const auto path = dir / "box.sqlite";
    {
        BallotBox box = b.Create(path);
    }
    for (std::size_t i = 0; i < b.codes.size(); ++i) {
        BallotBox box = BallotBox::Resume(path, kPin).value();
        CHECK(box.ballots() == i);
        REQUIRE(box.Cast(b.codes[i], b.grids[i]).ok());
    }
    BallotBox box = BallotBox::Resume(path, kPin).value();
    REQUIRE(box.Close().ok());
    CHECK(BallotBox::Resume(path, kPin).value().closed());
}

TEST_CASE("schema: a box of schema 2 is refused with box.version")
{
    const Ballots b;
    test::TempDir dir;
    const auto path = dir / "box.sqlite";
    {
        BallotBox box = b.Create(path);
    }
    test::Sql(path, "PRAGMA user_version = 2");
    auto read = ReadBox(path);
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().code == "box.version");
    CHECK(BallotBox::Resume(path, kPin).error().code == "box.version");
}

}  // namespace pingyi
