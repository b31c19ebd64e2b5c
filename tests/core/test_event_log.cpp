// The ballot box's signed event log (formats.md §4.8): what a kiosk did, never who voted how.
// Every test reads the file afterwards and runs the verifier on it.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <chrono>
#include <regex>
#include <string>
#include <vector>

#include "core/ballot_box.hpp"
#include "core/clock.hpp"
#include "core/kiosk_session.hpp"
#include "core/verify.hpp"
#include "crypto/random.hpp"
#include "test_support.hpp"

namespace pingyi {
namespace {

using namespace std::chrono_literals;
using test::Sql;

constexpr std::string_view kPin = "135790";

struct Machine {
    Machine()
        : created(test::CreateTestElection(test::SmallElection(), "correct horse", SystemRng()).value()),
          package(LoadPackage(created.package.Serialize()).value()),
          box(BallotBox::Create(path(), package, 1, kPin, SystemRng(), test::kFastKdf).value())
    {
    }
    [[nodiscard]] std::filesystem::path path() const { return dir / "box.sqlite"; }
    [[nodiscard]] std::string Code(std::size_t n) const
    {
        for (const auto& c : created.codes)
            if (c.kiosk == 1 && n-- == 0) return c.code;
        FAIL("no such code");
        return {};
    }
    test::TempDir dir;
    CreatedElection created;
    ElectionPackage package;
    BallotBox box;
};

struct Event {
    std::string name;
    nlohmann::json body;
};

std::vector<Event> Events(const std::filesystem::path& box)
{
    auto contents = ReadBox(box);
    REQUIRE(contents);
    std::vector<Event> out;
    for (const auto& e : contents->events) {
        auto j = nlohmann::json::parse(e.body.begin(), e.body.end());
        out.push_back({j.at("event").get<std::string>(), j});
    }
    return out;
}

std::vector<std::string> Names(const std::vector<Event>& events)
{
    std::vector<std::string> out;
    for (const auto& e : events)
        out.push_back(e.name);
    return out;
}

const CheckLine& Line(const Audit& audit, std::string_view id)
{
    const CheckLine* line = audit.report.Find(id);
    REQUIRE(line != nullptr);
    return *line;
}

// One whole poll: a badly typed code, an unknown one, a cancelled ballot, a timed-out one,
// two cast ballots, a used code, a wrong and a right operator PIN, close, export.
void RunPoll(Machine& m, ManualClock& clock, std::vector<std::string>& tracking)
{
    DeterministicRng rng{AsBytes("pingyi/test/event-log")};
    KioskSession session(m.box, clock, rng);
    const auto vote = [&](const std::string& code) {
        REQUIRE(session.EnterCode(code));
        for (std::uint32_t i = 0; i < session.member_count(); ++i)
            REQUIRE(session.Choose(i, 1));
        REQUIRE(session.GoToReview());
        clock.Advance(1s);  // the review is on screen for a moment before casting
        auto t = session.Cast();
        REQUIRE(t);
        tracking.push_back(*t);
        REQUIRE(session.AcknowledgeReceipt());
    };
    CHECK_FALSE(session.EnterCode("not a code"));
    CHECK_FALSE(session.EnterCode("2345-6789-ABCD-EFGH"));
    REQUIRE(session.EnterCode(m.Code(0)));
    REQUIRE(session.Cancel());
    REQUIRE(session.EnterCode(m.Code(0)));
    clock.Advance(10min);
    CHECK(session.Tick() == TickEvent::BallotDiscarded);
    vote(m.Code(0));
    vote(m.Code(1));
    CHECK_FALSE(session.EnterCode(m.Code(0)));
    CHECK(m.box.CheckOperatorPin("000000", clock.Now()).error().code == "keyfile.passphrase");
    REQUIRE(m.box.CheckOperatorPin(kPin, clock.Now()));
    REQUIRE(m.box.Close());
    REQUIRE(m.box.Export(m.dir / "exported.sqlite"));
}

TEST_CASE("events: a poll's events are logged in order, signed, pinned at close, and say nothing of a voter")
{
    Machine m;
    ManualClock clock;
    std::vector<std::string> tracking;
    RunPoll(m, clock, tracking);

    const auto events = Events(m.path());
    CHECK(Names(events) == std::vector<std::string>{"poll_opened", "code_rejected", "code_rejected", "ballot_discarded",
                                                    "ballot_discarded", "code_rejected", "operator_login",
                                                    "operator_login", "poll_closed", "box_exported"});
    CHECK(events[0].body.at("kiosk") == 1);
    CHECK(events[1].body.at("reason") == "format");
    CHECK(events[2].body.at("reason") == "unknown");
    CHECK(events[3].body.at("reason") == "cancelled");
    CHECK(events[4].body.at("reason") == "timeout");
    CHECK(events[5].body.at("reason") == "used");
    CHECK(events[6].body.at("ok") == false);
    CHECK(events[7].body.at("ok") == true);
    CHECK(events[8].body.at("ballots") == 2);
    const std::regex utc(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
    for (const auto& e : events) {
        CAPTURE(e.body.dump());
        CHECK(std::regex_match(e.body.at("time").get<std::string>(), utc));
        // Nothing that could tie an event to a voter or a ballot: no code, no tracking code,
        // no record hash, no category.
        const std::string text = e.body.dump();
        for (std::size_t i = 0; i < 2; ++i) {
            CHECK(text.find(m.Code(i).substr(0, 4)) == std::string::npos);
            CHECK(text.find(tracking[i]) == std::string::npos);
        }
        CHECK_FALSE(e.body.contains("category"));
    }

    Audit audit = VerifyElection(m.created.package.Serialize(), {m.path()});
    CHECK(audit.report.ok());
    CHECK(Line(audit, "box.events").ok);
    CHECK(Line(audit, "box.events").detail.find("10 events") != std::string::npos);
    CHECK(Line(audit, "box.events").detail.find("first 9 pinned") != std::string::npos);
    // The exported copy carries the log too, its own export included.
    CHECK(Events(m.dir / "exported.sqlite").size() == 10);
}

SUITE_CASE("events: a removed, altered or forged event is caught by box.events")
{
    const test::UseSuite use(SuiteT::kId);
    Machine m;
    ManualClock clock;
    std::vector<std::string> tracking;
    RunPoll(m, clock, tracking);
    const auto verify = [&] { return VerifyElection(m.created.package.Serialize(), {m.path()}); };
    REQUIRE(verify().report.ok());

    SUBCASE("an event removed from the middle")
    {
        Sql(m.path(), "DELETE FROM events WHERE seq = 6");  // the failed operator login
        CHECK(verify().report.Failed("box.events"));
    }
    SUBCASE("the pinned tail cut off (events after a point erased, seq kept contiguous)")
    {
        Sql(m.path(), "DELETE FROM events WHERE seq >= 6");
        const Audit a = verify();
        CHECK(a.report.Failed("box.events"));
        CHECK(Line(a, "box.events").detail.find("pinned") != std::string::npos);
    }
    SUBCASE("an event's text changed")
    {
        Sql(m.path(),
            "UPDATE events SET body = CAST(REPLACE(CAST(body AS TEXT), '\"ok\":false', '\"ok\":true') AS "
            "BLOB) WHERE seq = 6");
        CHECK(verify().report.Failed("box.events"));
    }
    SUBCASE("an event re-chained and signed by another key")
    {
        const SigningKey other = SigningKey::Generate(SystemRng(), m.package.suite());
        auto contents = ReadBox(m.path()).value();
        const auto& last = contents.events.back();
        const std::string body = R"({"event":"operator_login","ok":true,"time":"2026-11-28T12:00:00Z"})";
        const Digest h = EventHash(m.created.package.suite(), last.hash, last.seq + 1, AsBytes(body));
        Sql(m.path(), "INSERT INTO events(seq, body, hash, signature) VALUES(" + std::to_string(last.seq + 1) +
                          ", CAST('" + body + "' AS BLOB), X'" + ToHex(h) + "', X'" +
                          ToHex(other.Sign(EventSigningMessage(h))) + "')");
        const Audit a = verify();
        CHECK(a.report.Failed("box.events"));
        CHECK(Line(a, "box.events").detail.find("not signed") != std::string::npos);
    }
    SUBCASE("an unknown kind of event")
    {
        auto contents = ReadBox(m.path()).value();
        const auto& last = contents.events.back();
        const std::string body = R"({"event":"ballot_peeked","time":"2026-11-28T12:00:00Z"})";
        // Correctly chained, but not signed by the device key (no one else can sign) — and the
        // kind alone is also reported.
        const Digest h = EventHash(m.created.package.suite(), last.hash, last.seq + 1, AsBytes(body));
        Sql(m.path(), "INSERT INTO events(seq, body, hash, signature) VALUES(" + std::to_string(last.seq + 1) +
                          ", CAST('" + body + "' AS BLOB), X'" + ToHex(h) + "', X'00')");
        const Audit a = verify();
        CHECK(a.report.Failed("box.events"));
    }
}

SUITE_CASE("events: a resumed box logs poll_resumed and goes on with the same chain")
{
    const test::UseSuite use(SuiteT::kId);
    Machine m;
    {
        BallotBox moved = std::move(m.box);
        (void)moved;
    }
    auto resumed = BallotBox::Resume(m.path(), kPin);
    REQUIRE(resumed);
    CHECK(resumed->events() == 2);
    REQUIRE(resumed->Close());
    CHECK(Names(Events(m.path())) == std::vector<std::string>{"poll_opened", "poll_resumed", "poll_closed"});
    CHECK(VerifyElection(m.created.package.Serialize(), {m.path()}).report.ok());
}

TEST_CASE("operator PIN: five wrong PINs lock the check, the lock doubles, the right PIN then works")
{
    Machine m;
    ManualClock clock;
    for (int i = 0; i < kOperatorPinFreeTries; ++i)
        CHECK(m.box.CheckOperatorPin("999999", clock.Now()).error().code == "keyfile.passphrase");
    // Locked: even the right PIN is refused without being tried, and nothing is logged.
    const auto logged = m.box.events();
    const auto locked = m.box.CheckOperatorPin(kPin, clock.Now());
    REQUIRE_FALSE(locked);
    CHECK(locked.error().code == "operator.locked");
    CHECK(locked.error().detail.find("30 s") != std::string::npos);
    CHECK(m.box.events() == logged);
    clock.Advance(29s);
    CHECK(m.box.CheckOperatorPin(kPin, clock.Now()).error().code == "operator.locked");
    clock.Advance(2s);
    // One more wrong PIN: locked again, for twice as long.
    CHECK(m.box.CheckOperatorPin("999999", clock.Now()).error().code == "keyfile.passphrase");
    CHECK(*m.box.operator_locked_for(clock.Now()) == 60s);
    clock.Advance(61s);
    CHECK(m.box.CheckOperatorPin(kPin, clock.Now()));
    // The right PIN resets the count: five more tries before the next lock.
    for (int i = 0; i < kOperatorPinFreeTries - 1; ++i)
        CHECK(m.box.CheckOperatorPin("999999", clock.Now()).error().code == "keyfile.passphrase");
    CHECK_FALSE(m.box.operator_locked_for(clock.Now()));
    auto events = Events(m.path());
    std::size_t failed = 0, ok = 0;
    for (const auto& e : events)
        if (e.name == "operator_login") (e.body.at("ok") == true ? ok : failed) += 1;
    CHECK(failed == 10);
    CHECK(ok == 1);
}

TEST_CASE("operator PIN: wrong PINs at Resume count across restarts, lock, and are logged once the box is open")
{
    Machine m;
    {
        BallotBox moved = std::move(m.box);  // the kiosk shuts down
        (void)moved;
    }
    const auto t0 = std::chrono::system_clock::now();
    for (int i = 0; i < kOperatorPinFreeTries; ++i)
        CHECK(BallotBox::Resume(m.path(), "999999", t0).error().code == "keyfile.passphrase");
    // Locked: even the right PIN is refused without being tried, after any number of restarts.
    const auto locked = BallotBox::Resume(m.path(), kPin, t0 + 29s);
    REQUIRE_FALSE(locked);
    CHECK(locked.error().code == "operator.locked");
    CHECK(locked.error().detail.find("wait 1 s") != std::string::npos);
    // A wall clock set far back does not lock it for longer than the longest lock.
    CHECK(BallotBox::Resume(m.path(), kPin, t0 - 24h).error().detail.find("wait 900 s") != std::string::npos);
    auto resumed = BallotBox::Resume(m.path(), kPin, t0 + 31s);
    REQUIRE(resumed);
    std::size_t failed = 0;
    for (const auto& e : Events(m.path()))
        if (e.name == "operator_login" && e.body.at("ok") == false) ++failed;
    CHECK(failed == kOperatorPinFreeTries);
    // The right PIN reset the count: free tries again after the next restart.
    resumed = MakeError("test", "closed");
    CHECK(BallotBox::Resume(m.path(), "999999", t0 + 32s).error().code == "keyfile.passphrase");
    CHECK(BallotBox::Resume(m.path(), kPin, t0 + 32s));
}

TEST_CASE("operator PIN: the lock of the menu's PIN check survives a restart")
{
    Machine m;
    ManualClock clock;
    for (int i = 0; i < kOperatorPinFreeTries; ++i)
        CHECK(m.box.CheckOperatorPin("999999", clock.Now()).error().code == "keyfile.passphrase");
    {
        BallotBox moved = std::move(m.box);
        (void)moved;
    }
    const auto r = BallotBox::Resume(m.path(), kPin);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "operator.locked");
    CHECK(BallotBox::Resume(m.path(), kPin, std::chrono::system_clock::now() + 31s));
}

TEST_CASE("a box of schema version 1 (no event log) is refused with a clear error")
{
    Machine m;
    REQUIRE(m.box.Close());
    Sql(m.path(), "PRAGMA user_version = 1");
    auto r = ReadBox(m.path());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "box.version");
}

}  // namespace
}  // namespace pingyi
