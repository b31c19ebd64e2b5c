// The rules of formats.md §4.5 and §4.10 that `pingyi verify` enforces on the bodies of a box:
// exact members, canonical JSON, the events' cross-checks with the box and its close seal,
// one poll_closed, open boxes. Every altered box here is re-chained and re-signed with the
// kiosk's own device key, so that only the check of the rule itself can catch it.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "core/tally.hpp"
#include "core/verify.hpp"
#include "crypto/keyfile.hpp"
#include "crypto/random.hpp"
#include "test_support.hpp"

namespace pingyi {
namespace {

constexpr std::string_view kPin = "246810";
constexpr std::size_t kBallots = 3;  // the minimum group size: enough to tally

// A closed one-kiosk box with kBallots ballots and a few events.
struct ClosedBox {
    ClosedBox()
        : created(test::CreateTestElection(test::SmallElection(), "correct horse", SystemRng()).value()),
          package(LoadPackage(created.package.Serialize()).value())
    {
        auto box = BallotBox::Create(path(), package, 1, kPin, SystemRng(), test::kFastKdf).value();
        std::size_t cast = 0;
        for (const auto& c : created.codes) {
            if (c.kiosk != 1 || cast == kBallots) continue;
            const std::vector<std::uint32_t> choices(package.definition.roster.size(), 1);
            const auto grid = EncryptGrid(package.public_key, package.Shape(), choices,
                                          package.BallotContext(c.category), SystemRng());
            REQUIRE(box.Cast(*NormalizeCode(c.code), grid));
            ++cast;
        }
        REQUIRE(box.LogEvent(BoxEvent::CodeRejected, {{"reason", "unknown"}}));
        REQUIRE(box.LogEvent(BoxEvent::OperatorLogin, {{"ok", true}}));
        REQUIRE(box.Close());
        device = OpenSigningKey(ReadKeyFile(), kPin).value();
    }
    [[nodiscard]] std::filesystem::path path() const { return dir / "box.sqlite"; }
    [[nodiscard]] Bytes ReadKeyFile() const
    {
        std::ifstream in(path().string() + ".key", std::ios::binary);
        return Bytes(std::istreambuf_iterator<char>(in), {});
    }
    [[nodiscard]] Audit Verify() const { return VerifyElection(created.package.Serialize(), {path()}); }

    test::TempDir dir;
    CreatedElection created;
    ElectionPackage package;
    std::optional<SigningKey> device;
};

std::string Text(ByteView b)
{
    return {b.begin(), b.end()};
}

Bytes Body(const std::string& s)
{
    return {s.begin(), s.end()};
}

void Exec(sqlite3* db, const std::string& sql)
{
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string msg = err ? err : "";
    sqlite3_free(err);
    REQUIRE_MESSAGE(rc == SQLITE_OK, msg);
}

void Insert(sqlite3* db, const char* sql, std::int64_t seq, const std::string* kind, ByteView body, ByteView hash,
            ByteView sig)
{
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK);
    int i = 1;
    sqlite3_bind_int64(st, i++, seq);
    if (kind) sqlite3_bind_text(st, i++, kind->c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, i++, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, i++, hash.data(), static_cast<int>(hash.size()), SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, i++, sig.data(), static_cast<int>(sig.size()), SQLITE_TRANSIENT);
    REQUIRE(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_finalize(st);
}

// Lets `edit` change the seals and events of the box, then re-chains and re-signs the log and
// the seals with the kiosk's device key and, when `fix_close`, rewrites the close seal's
// events_head (canonically) to match: a forgery only the body rules can catch.
void Resign(const ClosedBox& b, const std::function<void(BoxContents&, std::vector<EventRecord>&)>& edit,
            bool fix_close = true)
{
    auto c = ReadBox(b.path()).value();
    edit(c, c.events);
    Digest prev = b.package.fingerprint;
    for (std::size_t i = 0; i < c.events.size(); ++i) {
        auto& e = c.events[i];
        e.seq = i;
        e.hash = EventHash(b.package.suite(), prev, i, e.body);
        e.signature = b.device->Sign(EventSigningMessage(e.hash));
        prev = e.hash;
    }
    if (c.close && fix_close) {
        auto j = nlohmann::json::parse(c.close->body.begin(), c.close->body.end());
        const auto n = j.at("events").get<std::size_t>();
        if (n >= 1 && n <= c.events.size()) j["events_head"] = ToHex(c.events[n - 1].hash);
        c.close->body = Body(Canonical(j));
    }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(b.path().string().c_str(), &db) == SQLITE_OK);
    Exec(db, "BEGIN; DELETE FROM seals; DELETE FROM events;");
    const std::pair<SealKind, std::optional<BoxSeal>*> seals[] = {
        {SealKind::Open, &c.open}, {SealKind::State, &c.state}, {SealKind::Close, &c.close}};
    for (const auto& [kind, seal] : seals) {
        if (!*seal) continue;
        const std::string name(SealKindName(kind));
        const Bytes sig = b.device->Sign(
            SealSigningMessage(SealHash(b.package.suite(), b.package.fingerprint, c.kiosk, kind, (*seal)->body)));
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, "INSERT INTO seals(kind, body, signature) VALUES(?, ?, ?)", -1, &st, nullptr) ==
                SQLITE_OK);
        sqlite3_bind_text(st, 1, name.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(st, 2, (*seal)->body.data(), static_cast<int>((*seal)->body.size()), SQLITE_TRANSIENT);
        sqlite3_bind_blob(st, 3, sig.data(), static_cast<int>(sig.size()), SQLITE_TRANSIENT);
        REQUIRE(sqlite3_step(st) == SQLITE_DONE);
        sqlite3_finalize(st);
    }
    for (const auto& e : c.events)
        Insert(db, "INSERT INTO events(seq, body, hash, signature) VALUES(?, ?, ?, ?)",
               static_cast<std::int64_t>(e.seq), nullptr, e.body, e.hash, e.signature);
    Exec(db, "COMMIT");
    sqlite3_close(db);
}

// Replaces the body of the first event named `name` (its canonical JSON edited by `edit`).
void EditEvent(const ClosedBox& b, const std::string& name, const std::function<void(nlohmann::json&)>& edit)
{
    Resign(b, [&](auto&, auto& events) {
        for (auto& e : events) {
            auto j = nlohmann::json::parse(e.body.begin(), e.body.end());
            if (j.at("event") != name) continue;
            edit(j);
            e.body = Body(Canonical(j));
            return;
        }
        FAIL("no event " << name);
    });
}

std::string FailedIds(const Audit& a)
{
    std::string s;
    for (const auto& l : a.report.lines)
        if (!l.ok) s += l.id + ": " + l.detail + "\n";
    return s;
}

SUITE_CASE("verify spec: the re-signing helper itself leaves an honest box passing")
{
    const test::UseSuite use(SuiteT::kId);
    ClosedBox b;
    REQUIRE(b.Verify().report.ok());
    Resign(b, [](auto&, auto&) {});
    const Audit a = b.Verify();
    INFO(FailedIds(a));
    CHECK(a.report.ok());
    CHECK_FALSE(a.report.any_open());
}

// One forgery of the box, re-signed, and the checks that must name it (and no other).
struct Alteration {
    const char* name;
    std::vector<std::string> fails;
    std::function<void(const ClosedBox&)> apply;
};

void ReplaceEvent(const ClosedBox& b, std::size_t i, const std::string& body)
{
    Resign(b, [&](auto&, auto& events) { events.at(i).body = Body(body); });
}

void AppendEvent(const ClosedBox& b, const std::string& body)
{
    Resign(b, [&](auto&, auto& events) {
        EventRecord e;
        e.body = Body(body);
        events.push_back(std::move(e));
    });
}

void EditSeal(const ClosedBox& b, SealKind kind, const std::function<void(nlohmann::json&)>& edit)
{
    Resign(b, [&](BoxContents& c, auto&) {
        auto& r = kind == SealKind::Open ? *c.open : kind == SealKind::State ? *c.state : *c.close;
        auto j = nlohmann::json::parse(r.body.begin(), r.body.end());
        edit(j);
        r.body = Body(Canonical(j));
    });
}

std::vector<Alteration> Alterations()
{
    const std::vector<std::string> in_events{"box.events"}, in_open{"box.open"}, in_close{"box.close", "box.events"},
        in_state{"box.state"}, in_read{"box.read", "boxes.complete"};
    const auto time = [](const char* t) {
        return [t](const ClosedBox& b) { EditEvent(b, "code_rejected", [&](auto& j) { j["time"] = t; }); };
    };
    return {
        // Each event kind has exactly its members, of their types and values.
        {"poll-opened-other-kiosk", in_events,
         [](const auto& b) { EditEvent(b, "poll_opened", [](auto& j) { j["kiosk"] = 2; }); }},
        {"poll-closed-other-count", in_events,
         [](const auto& b) { EditEvent(b, "poll_closed", [](auto& j) { j["ballots"] = kBallots + 1; }); }},
        {"event-with-a-code", in_events,
         [](const auto& b) { EditEvent(b, "code_rejected", [&](auto& j) { j["code"] = b.created.codes[0].code; }); }},
        {"poll-resumed-extra-member", in_events,
         [](const auto& b) {
             AppendEvent(b, R"({"event":"poll_resumed","note":"hello","time":"2026-11-28T12:00:00Z"})");
         }},
        {"operator-login-ok-number", in_events,
         [](const auto& b) { EditEvent(b, "operator_login", [](auto& j) { j["ok"] = 1; }); }},
        {"operator-login-no-ok", in_events,
         [](const auto& b) { EditEvent(b, "operator_login", [](auto& j) { j.erase("ok"); }); }},
        {"code-rejected-unknown-reason", in_events,
         [](const auto& b) { EditEvent(b, "code_rejected", [](auto& j) { j["reason"] = "peeked"; }); }},
        {"time-month-13", in_events, time("2026-13-01T00:00:00Z")},
        {"time-with-space", in_events, time("2026-11-28 12:00:00")},
        {"time-with-offset", in_events, time("2026-11-28T12:00:00+08:00")},
        {"time-hour-24", in_events, time("2026-11-28T24:00:00Z")},
        {"time-day-0", in_events, time("2026-11-00T12:00:00Z")},
        {"time-arabic-digits", in_events, time("٢٠٢٦-11-28T12:00:00Z")},
        {"time-a-number", in_events,
         [](const auto& b) { EditEvent(b, "code_rejected", [](auto& j) { j["time"] = 20261128; }); }},
        {"event-not-canonical", in_events,
         [](const auto& b) {
             ReplaceEvent(b, 1, R"({"event":"code_rejected", "reason":"unknown","time":"2026-11-28T12:00:00Z"})");
         }},
        {"event-escaped-unicode", in_events,
         [](const auto& b) {
             ReplaceEvent(b, 1, R"({"event":"code_rejected","reason":"\u0075nknown","time":"2026-11-28T12:00:00Z"})");
         }},
        {"event-not-an-object", in_events, [](const auto& b) { ReplaceEvent(b, 1, R"(["code_rejected"])"); }},
        // Exactly one poll_closed, the last event the close seal pins.
        {"second-poll-closed-after-the-pinned-prefix", in_events,
         [](const auto& b) { AppendEvent(b, R"({"ballots":3,"event":"poll_closed","time":"2026-11-28T18:00:00Z"})"); }},
        {"poll-closed-inside-the-pinned-prefix", in_events,
         [](const auto& b) {
             ReplaceEvent(b, 2, R"({"ballots":3,"event":"poll_closed","time":"2026-11-28T18:00:00Z"})");
         }},
        {"close-pins-the-event-before-poll-closed", in_events,
         [](const auto& b) {
             EditSeal(b, SealKind::Close, [](auto& j) { j["events"] = j["events"].template get<int>() - 1; });
         }},
        {"close-pins-zero-events", in_events,
         [](const auto& b) { EditSeal(b, SealKind::Close, [](auto& j) { j["events"] = 0; }); }},
        {"close-seal-removed", in_events,
         [](const auto& b) { Resign(b, [](BoxContents& c, auto&) { c.close.reset(); }); }},
        // The open, state and close seals have exactly their members, canonically.
        {"open-extra-member", in_open,
         [](const auto& b) { EditSeal(b, SealKind::Open, [](auto& j) { j["operator"] = "王芳"; }); }},
        {"open-no-software", in_open,
         [](const auto& b) { EditSeal(b, SealKind::Open, [](auto& j) { j.erase("software"); }); }},
        {"open-kiosk-a-string", in_open,
         [](const auto& b) { EditSeal(b, SealKind::Open, [](auto& j) { j["kiosk"] = "1"; }); }},
        {"open-not-canonical", in_open,
         [](const auto& b) {
             Resign(b, [](BoxContents& c, auto&) {
                 c.open->body = Body(nlohmann::json::parse(c.open->body.begin(), c.open->body.end()).dump(1));
             });
         }},
        {"state-other-count", in_state,
         [](const auto& b) { EditSeal(b, SealKind::State, [](auto& j) { j["ballots"] = kBallots - 1; }); }},
        {"state-extra-member", in_state,
         [](const auto& b) { EditSeal(b, SealKind::State, [](auto& j) { j["seq"] = 2; }); }},
        {"state-seal-removed", in_state,
         [](const auto& b) { Resign(b, [](BoxContents& c, auto&) { c.state.reset(); }); }},
        {"close-extra-member", in_close,
         [](const auto& b) { EditSeal(b, SealKind::Close, [](auto& j) { j["ok"] = true; }); }},
        {"close-members-out-of-order", in_close,
         [](const auto& b) {
             Resign(
                 b,
                 [](BoxContents& c, auto& events) {
                     const auto j = nlohmann::json::parse(c.close->body.begin(), c.close->body.end());
                     const std::string set = j.at("set");
                     c.close->body =
                         Body(R"({"set":")" + set + R"(","ballots":3,"events":)" + std::to_string(events.size()) +
                              R"(,"events_head":")" + ToHex(events.back().hash) + R"("})");
                 },
                 /*fix_close=*/false);
         }},
        {"close-float-count", in_close,
         [](const auto& b) {
             Resign(
                 b,
                 [](BoxContents& c, auto&) {
                     std::string t = Text(c.close->body);
                     t.replace(t.find("\"ballots\":3"), 11, "\"ballots\":3.0");
                     c.close->body = Body(t);
                 },
                 /*fix_close=*/false);
         }},
        // Every value of its column's storage class (no re-signing needed: the bytes are the same).
        {"seal-body-as-text", in_read,
         [](const auto& b) { test::Sql(b.path(), "UPDATE seals SET body = CAST(body AS TEXT) WHERE kind = 'open'"); }},
        {"event-body-as-text", in_read,
         [](const auto& b) { test::Sql(b.path(), "UPDATE events SET body = CAST(body AS TEXT) WHERE seq = 0"); }},
        {"ballot-signature-as-text", in_read,
         [](const auto& b) {
             test::Sql(b.path(),
                       "UPDATE ballots SET signature = CAST(signature AS TEXT) WHERE hash = "
                       "(SELECT min(hash) FROM ballots)");
         }},
        {"meta-package-as-text", in_read,
         [](const auto& b) {
             test::Sql(b.path(), "UPDATE meta SET value = CAST(value AS TEXT) WHERE key = 'package'");
         }},
        {"code-used-2", in_read,
         [](const auto& b) { test::Sql(b.path(), "UPDATE codes SET used = 2 WHERE used = 1"); }},
        {"meta-extra-key", in_read,
         [](const auto& b) { test::Sql(b.path(), "INSERT INTO meta(key, value) VALUES('note', X'00')"); }},
        {"code-category-text", in_read, [](const auto& b) { test::Sql(b.path(), "UPDATE codes SET category = 'x'"); }},
    };
}

// With PINGYI_ALTERED_BOXES=<dir> set, every altered box is also written to
// <dir>/<name>/{election.pyp,box.sqlite,fails} for the independent Python auditor
// (tests/cli/test_cli.sh runs it on them).
SUITE_CASE("verify spec: altered boxes, re-signed, each fail exactly the checks of the rule they break")
{
    const test::UseSuite use(SuiteT::kId);
    const char* out = std::getenv("PINGYI_ALTERED_BOXES");
    for (const auto& alt : Alterations()) {
        const std::string name = alt.name;
        CAPTURE(name);
        ClosedBox b;
        alt.apply(b);
        const Audit a = b.Verify();
        INFO(FailedIds(a));
        for (const auto& l : a.report.lines) {
            CAPTURE(l.id);
            const bool expected = std::find(alt.fails.begin(), alt.fails.end(), l.id) != alt.fails.end();
            CHECK(l.ok != expected);
        }
        for (const auto& id : alt.fails)
            CHECK(a.report.Failed(id));
        if (out && SuiteT::kId == SuiteId::P256_SHA256) {  // the conformance samples are P-256
            const std::filesystem::path dir = std::filesystem::path(out) / alt.name;
            std::filesystem::create_directories(dir);
            std::filesystem::copy_file(b.path(), dir / "box.sqlite", std::filesystem::copy_options::overwrite_existing);
            const Bytes pkg = b.created.package.Serialize();
            std::ofstream(dir / "election.pyp", std::ios::binary)
                .write(reinterpret_cast<const char*>(pkg.data()), static_cast<std::streamsize>(pkg.size()));
            std::ofstream(dir / "fails") << alt.fails.front() << "\n";
        }
    }
}

SUITE_CASE("verify spec: the details name the rule broken")
{
    const test::UseSuite use(SuiteT::kId);
    {
        ClosedBox b;
        AppendEvent(b, R"({"ballots":3,"event":"poll_closed","time":"2026-11-28T18:00:00Z"})");
        CHECK(b.Verify().report.Find("box.events")->detail.find("exactly one poll_closed") != std::string::npos);
    }
    {
        ClosedBox b;
        Resign(b, [](BoxContents& c, auto&) { c.close.reset(); });
        const Audit a = b.Verify();
        CHECK(a.report.Find("box.close")->open);
        CHECK(a.report.Find("box.events")->detail.find("no close seal") != std::string::npos);
    }
    {
        ClosedBox b;
        EditEvent(b, "poll_closed", [](auto& j) { j["ballots"] = 7; });
        CHECK(b.Verify().report.Find("box.events")->detail.find("poll_closed states 7 ballots, the close seal 3") !=
              std::string::npos);
    }
    {
        ClosedBox b;
        test::Sql(b.path(), "UPDATE codes SET used = 2 WHERE used = 1");
        CHECK(b.Verify().report.Find("box.read")->detail.find("type") != std::string::npos);
    }
}

TEST_CASE("verify spec: an open box is verified as far as it goes and reported OPEN; the tally refuses it")
{
    test::TempDir dir;
    auto created = CreateElection(test::SmallElection(), "correct horse", SystemRng(), test::kFastKdf).value();
    const auto package = LoadPackage(created.package.Serialize()).value();
    const auto path = dir / "open.sqlite";
    auto box = BallotBox::Create(path, package, 1, kPin, SystemRng(), test::kFastKdf).value();
    for (const auto& c : created.codes)
        if (c.kiosk == 1) {
            const std::vector<std::uint32_t> choices(package.definition.roster.size(), 2);
            REQUIRE(box.Cast(*NormalizeCode(c.code), EncryptGrid(package.public_key, package.Shape(), choices,
                                                                 package.BallotContext(c.category), SystemRng())));
            break;
        }
    Audit a = VerifyElection(created.package.Serialize(), {path});
    INFO(FailedIds(a));
    CHECK(a.report.ok());
    CHECK(a.report.any_open());
    const CheckLine* close = a.report.Find("box.close");
    REQUIRE(close != nullptr);
    CHECK(close->open);
    CHECK(close->detail.find("OPEN") != std::string::npos);
    CHECK(a.report.Find("box.events")->detail.find("not closed") != std::string::npos);

    auto key = OpenElectionKey(created.election_key_file, "correct horse").value();
    auto admin = OpenSigningKey(created.admin_key_file, "correct horse").value();
    auto refused = RunTally(a, key, admin, TallyInput{}, SystemRng());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == "tally.open_box");

    // Closed afterwards, the same box passes without the OPEN mark.
    REQUIRE(box.Close());
    const Audit closed = VerifyElection(created.package.Serialize(), {path});
    CHECK(closed.report.ok());
    CHECK_FALSE(closed.report.any_open());
}

TEST_CASE("verify spec: a signed file (package, results) has exactly body and signature")
{
    ClosedBox b;
    const auto with_extra = [](const Bytes& file) {
        auto j = nlohmann::json::parse(file.begin(), file.end());
        j["comment"] = "not signed";
        return Body(j.dump(1));
    };
    CHECK(LoadPackage(b.created.package.Serialize()));
    const auto pkg = LoadPackage(with_extra(b.created.package.Serialize()));
    REQUIRE_FALSE(pkg);
    CHECK(pkg.error().code == "package.format");

    Audit a = b.Verify();
    REQUIRE(a.report.ok());
    auto key = OpenElectionKey(b.created.election_key_file, "correct horse").value();
    auto admin = OpenSigningKey(b.created.admin_key_file, "correct horse").value();
    auto results = RunTally(a, key, admin, TallyInput{}, SystemRng());
    REQUIRE(results);
    VerifyResults(a, results->Serialize());
    CHECK(a.report.ok());
    Audit extra = b.Verify();
    VerifyResults(extra, with_extra(results->Serialize()));
    INFO(FailedIds(extra));
    CHECK(extra.report.Failed("results.format"));
    // Nested entries have exactly their members too: the body is rebuilt and compared.
    auto j = nlohmann::json::parse(results->Serialize());
    j["body"]["groups"][0]["note"] = "x";
    Audit nested = b.Verify();
    VerifyResults(nested, Body(j.dump(1)));
    CHECK(nested.report.Failed("results.format"));
}

TEST_CASE("verify spec: an aggregate that is the identity is refused by the tally, not encoded")
{
    ClosedBox b;
    Audit a = b.Verify();
    REQUIRE(a.report.ok());
    REQUIRE(a.boxes.size() == 1);
    auto& grids = a.boxes[0].grids;
    REQUIRE(grids.size() == kBallots);
    // In memory only (no box can be cast like this through Cast): the second ballot's first
    // cell cancels the others, so the sum at (0, 0) is the identity in both A and B.
    const Ciphertext rest = grids[0].cells[0] + grids[2].cells[0];
    grids[1].cells[0] = Ciphertext{-rest.a, -rest.b};
    auto key = OpenElectionKey(b.created.election_key_file, "correct horse").value();
    auto admin = OpenSigningKey(b.created.admin_key_file, "correct horse").value();
    const auto refused = RunTally(a, key, admin, TallyInput{}, SystemRng());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == "tally.verify");
    CHECK(refused.error().detail.find("identity") != std::string::npos);
}

TEST_CASE("verify spec: the grouping rule's tie-break and order (formats.md §7.1)")
{
    auto def = test::SmallElection();
    def.min_group_size = 3;
    def.categories = {{"a", 10, 1}, {"b", 10, 1}, {"c", 10, 1}, {"d", 10, 1}, {"e", 10, 1}};
    const auto groups = [&](std::vector<std::uint32_t> ballots) {
        auto g = GroupCategories(def, ballots, nullptr);
        REQUIRE(g);
        std::vector<std::pair<std::vector<std::uint32_t>, std::uint32_t>> out;
        for (const auto& x : *g)
            out.push_back({x.categories, x.ballots});
        return out;
    };
    using G = std::vector<std::pair<std::vector<std::uint32_t>, std::uint32_t>>;
    // The documented example: the small ones go to the smallest standing group.
    CHECK(groups({5, 1, 4, 0, 1}) == G{{{0}, 5}, {{1, 2, 4}, 6}});
    // A tie between standing groups: the lowest category index takes them.
    CHECK(groups({4, 1, 4, 0, 0}) == G{{{0, 1}, 5}, {{2}, 4}});
    CHECK(groups({0, 4, 1, 4, 0}) == G{{{1, 2}, 5}, {{3}, 4}});
    // Small ones reaching k form their own group, sorted by lowest index.
    CHECK(groups({1, 5, 1, 0, 1}) == G{{{0, 2, 4}, 3}, {{1}, 5}});
    CHECK_FALSE(GroupCategories(def, {1, 1, 0, 0, 0}, nullptr));
}

TEST_CASE("verify spec: results of another election are named results.election")
{
    ClosedBox b, other;
    Audit a = other.Verify();
    auto key = OpenElectionKey(other.created.election_key_file, "correct horse").value();
    auto admin = OpenSigningKey(other.created.admin_key_file, "correct horse").value();
    auto results = RunTally(a, key, admin, TallyInput{}, SystemRng());
    REQUIRE(results);
    Audit mine = b.Verify();
    VerifyResults(mine, results->Serialize());
    CHECK(mine.report.Failed("results.election"));
}

TEST_CASE("verify spec: --expect-fingerprint takes the full hex or the short form, and fails on any other")
{
    ClosedBox b;
    const std::string full = ToHex(b.package.fingerprint), short_form = ShortFingerprint(b.package.fingerprint);
    const auto check = [&](const std::string& expected) {
        Audit a = b.Verify();
        CheckExpectedFingerprint(a, expected);
        const CheckLine* line = a.report.Find("package.fingerprint");
        REQUIRE(line != nullptr);
        return line->ok;
    };
    CHECK(check(full));
    CHECK(check(short_form));
    std::string upper = full;
    for (auto& ch : upper)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    CHECK(check(upper));
    std::string dashed = short_form;
    std::replace(dashed.begin(), dashed.end(), ' ', '-');
    CHECK(check(dashed));

    std::string other = full;
    other[63] = other[63] == '0' ? '1' : '0';
    CHECK_FALSE(check(other));
    std::string other_short = short_form;
    other_short[0] = other_short[0] == '0' ? '1' : '0';
    CHECK_FALSE(check(other_short));
    CHECK_FALSE(check(full.substr(0, 20)));  // neither form
    CHECK_FALSE(check(""));
    CHECK_FALSE(check("zz" + full.substr(2)));

    Audit broken = VerifyElection(AsBytes("{}"), {b.path()});
    CheckExpectedFingerprint(broken, full);
    CHECK(broken.report.Failed("package.fingerprint"));
}

TEST_CASE("verify spec: --expect-device takes the printed or the whole fingerprint, and fails a box not registered")
{
    ClosedBox b;
    const Bytes key = ReadBox(b.path()).value().device_public_key;
    const auto check = [&](const std::vector<std::string>& expected) {
        Audit a = b.Verify();
        CheckExpectedDevices(a, expected);
        const CheckLine* line = a.report.Find("boxes.registered");
        REQUIRE(line != nullptr);
        return line->ok;
    };
    const std::string printed = KeyFingerprint(key), whole = ToHex(KeyFingerprintDigest(key));
    CHECK(check({printed}));
    CHECK(check({whole}));
    CHECK(check({ToHex(key)}));
    std::string spaced = printed;
    std::replace(spaced.begin(), spaced.end(), '-', ' ');
    CHECK(check({"ffff-ffff-ffff-ffff", spaced}));  // one of several kiosks
    CHECK_FALSE(check({"ffff-ffff-ffff-ffff"}));    // a substituted box
    CHECK_FALSE(check({printed, "not-hex"}));       // a typo is never ignored
    CHECK_FALSE(check({printed.substr(0, 9)}));

    // None given: the line passes as a warning, saying the boxes were not anchored.
    Audit a = b.Verify();
    CheckExpectedDevices(a, {});
    const CheckLine* line = a.report.Find("boxes.registered");
    REQUIRE(line != nullptr);
    CHECK(line->ok);
    CHECK(line->warning);
    CHECK(line->detail.find("not anchored") != std::string::npos);
    const auto matches = MatchDevices(a, {printed, "ffff-ffff-ffff-ffff"});
    REQUIRE(matches.size() == 1);
    CHECK(matches[0].registered);
    CHECK(matches[0].fingerprint == printed);
    CHECK_FALSE(MatchDevices(a, {"ffff-ffff-ffff-ffff"})[0].registered);
}

}  // namespace
}  // namespace pingyi
