// The tellers' check (Benaloh challenge, docs/protocol.md §6.1): a ballot committed to (its
// tracking code shown) and then opened instead of cast is kept in the box as spoiled with its
// nonces, never counted, and anyone can recompute its choices without a key. These tests
// show that a kiosk which alters a choice before encrypting is caught by a checked ballot,
// that forged nonces and a badly signed record are refused, and that spoiled ballots change
// nothing in the tally.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/ballot_box.hpp"
#include "core/clock.hpp"
#include "core/kiosk_session.hpp"
#include "core/tally.hpp"
#include "core/verify.hpp"
#include "crypto/keyfile.hpp"
#include "test_support.hpp"

namespace pingyi {
namespace {

using namespace std::chrono_literals;
using test::TempDir;
using test::Unwrap;

constexpr std::string_view kPass = "correct horse";
constexpr std::string_view kPin = "1234";

std::string FailedIds(const Audit& a)
{
    std::string s;
    for (const auto& l : a.report.lines)
        if (!l.ok) s += l.id + " (" + l.detail + ") ";
    return s;
}

// Altered kiosk software, as a test injects it through the session's BallotEncryptor: it
// encrypts the next option for member 0 instead of the one the voter chose (keeping the quota).
class AlteringEncryptor final : public BallotEncryptor {
  public:
    [[nodiscard]] EncryptedGrid Encrypt(const Point& public_key, const GridShape& shape,
                                        std::span<const std::uint32_t> choices, ByteView context, Rng& rng,
                                        std::vector<Scalar>& nonces) const override
    {
        std::vector<std::uint32_t> altered(choices.begin(), choices.end());
        altered[0] = altered[0] == 3 ? 2 : 3;  // never the quota option 0
        return BallotEncryptor::Encrypt(public_key, shape, altered, context, rng, nonces);
    }
};

// One kiosk of a 6-member election (quota: at most 2 优秀), its box and a session.
struct Kiosk {
    explicit Kiosk(const BallotEncryptor* encryptor = nullptr)
        : created(Unwrap(test::CreateTestElection(test::SmallElection(6, 1), kPass, rng))),
          package(Unwrap(LoadPackage(created.package.Serialize()))),
          box(Unwrap(BallotBox::Create(path(), package, 1, kPin, rng, test::kFastKdf))),
          session(box, clock, rng, {}, encryptor)
    {
    }

    [[nodiscard]] std::filesystem::path path() const { return dir / "box.sqlite"; }

    [[nodiscard]] std::string Code(std::size_t n) const
    {
        for (const auto& c : created.codes)
            if (c.category == 0 && n-- == 0) return c.code;
        FAIL("no such code");
        return {};
    }

    // Enters the code (unless already in the ballot), rates everyone, reviews and commits:
    // returns the tracking code shown before cast-or-check.
    std::string CommitBallot(const std::string& code, const std::vector<std::uint32_t>& choices)
    {
        if (session.state() == SessionState::WaitingForCode) REQUIRE(session.EnterCode(code).ok());
        REQUIRE(session.state() == SessionState::Voting);
        for (std::uint32_t m = 0; m < choices.size(); ++m)
            REQUIRE(session.Choose(m, choices[m]).ok());
        REQUIRE(session.GoToReview().ok());
        clock.Advance(1s);
        const std::string tracking = Unwrap(session.Commit());
        CHECK(session.state() == SessionState::Committed);
        CHECK(session.tracking_code() == tracking);
        clock.Advance(1s);
        return tracking;
    }

    Audit Verify() { return VerifyElection(created.package.Serialize(), {path()}); }

    TempDir dir;
    DeterministicRng rng{AsBytes("pingyi/test/spoiled")};
    CreatedElection created;
    ElectionPackage package;
    BallotBox box;
    ManualClock clock;
    KioskSession session;
};

const std::vector<std::uint32_t> kChosen = {0, 1, 1, 2, 0, 3};

// The box's last event, re-made with another body (or only another signature) and signed
// again with the kiosk's own device key where `resign`: what a forger holding the kiosk's
// key could write. The box must be open (no close seal pins the log).
void RewriteLastEvent(Kiosk& k, const std::string& new_body, bool resign)
{
    const BoxContents c = Unwrap(ReadBox(k.path()));
    REQUIRE_FALSE(c.close);
    const EventRecord& last = c.events.back();
    const Digest prev = c.events.size() > 1 ? c.events[c.events.size() - 2].hash : k.package.fingerprint;
    const Digest h = EventHash(k.package.suite(), prev, last.seq, AsBytes(new_body));
    Bytes sig = last.signature;
    if (resign) {
        const auto device = Unwrap(OpenSigningKey(test::FileBytes(k.dir / "box.sqlite.key"), kPin));
        sig = device.Sign(EventSigningMessage(h));
    }
    test::Sql(k.path(), "UPDATE events SET body = X'" + ToHex(AsBytes(new_body)) + "', hash = X'" + ToHex(h) +
                            "', signature = X'" + ToHex(sig) + "' WHERE seq = " + std::to_string(last.seq));
}

}  // namespace

SUITE_CASE("spoiled: a teller checks a ballot, the code stays unused, and the next cast has a new tracking code")
{
    const test::UseSuite use(SuiteT::kId);
    Kiosk k;
    const std::string code = k.Code(0);
    // Without 核验模式 a committed ballot can only be cast.
    const std::string first = k.CommitBallot(code, kChosen);
    auto refused = k.session.Check();
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "session.check_mode");
    REQUIRE(k.session.BackToBallot().ok());
    CHECK(k.session.tracking_code().empty());

    REQUIRE(k.session.SetCheckMode(true).ok());
    const std::string checked_code = k.CommitBallot(code, kChosen);
    CHECK(checked_code != first);  // every commit encrypts afresh
    const CheckedBallot checked = Unwrap(k.session.Check());
    CHECK(k.session.state() == SessionState::Checked);
    CHECK(checked.tracking_code == checked_code);
    CHECK(checked.choices == kChosen);
    CHECK(k.box.CheckCode(*NormalizeCode(code)).kind == CodeStatus::Kind::Valid);
    CHECK(k.box.ballots() == 0);

    // Back to the ballot with the choices kept; cast with fresh nonces.
    REQUIRE(k.session.ReturnFromCheck().ok());
    CHECK(k.session.state() == SessionState::Voting);
    CHECK(k.session.choice(5) == 3u);
    const std::string cast_code = k.CommitBallot(code, kChosen);
    CHECK(cast_code != checked_code);
    CHECK(Unwrap(k.session.Cast()) == cast_code);
    CHECK(k.box.CheckCode(*NormalizeCode(code)).kind == CodeStatus::Kind::Used);
    REQUIRE(k.box.Close().ok());

    Audit a = k.Verify();
    INFO(FailedIds(a));
    REQUIRE(a.report.ok());
    CHECK(a.report.Find("ballots.spoiled") != nullptr);
    REQUIRE(a.spoiled.size() == 1);
    CHECK(a.spoiled[0].tracking_code == checked_code);
    CHECK(a.spoiled[0].choices == kChosen);
    CHECK(a.spoiled[0].problem.empty());
    REQUIRE(a.boxes.size() == 1);
    REQUIRE(a.boxes[0].contents.ballots.size() == 1);
    CHECK(TrackingCode(a.boxes[0].contents.ballots[0].hash) == cast_code);
}

TEST_CASE("spoiled: a kiosk that alters a choice before encrypting is caught by a checked ballot")
{
    const AlteringEncryptor altering;
    for (const bool honest : {true, false}) {
        CAPTURE(honest);
        Kiosk k(honest ? nullptr : &altering);
        REQUIRE(k.session.SetCheckMode(true).ok());
        const std::string tracking = k.CommitBallot(k.Code(0), kChosen);
        const CheckedBallot shown = Unwrap(k.session.Check());
        REQUIRE(k.box.Close().ok());
        // Without any key: the record verifies (the kiosk signed what it encrypted) and its
        // choices are recomputed from the nonces; the teller compares them with what was chosen.
        Audit a = k.Verify();
        INFO(FailedIds(a));
        REQUIRE(a.report.ok());
        REQUIRE(a.spoiled.size() == 1);
        CHECK(a.spoiled[0].tracking_code == tracking);
        CHECK(a.spoiled[0].choices == shown.choices);
        if (honest) {
            CHECK(a.spoiled[0].choices == kChosen);
        } else {
            CHECK(a.spoiled[0].choices != kChosen);
            CHECK(a.spoiled[0].choices[0] == 3u);  // the voter chose 0 (优秀)
            CHECK(std::equal(kChosen.begin() + 1, kChosen.end(), a.spoiled[0].choices.begin() + 1));
        }
    }
}

SUITE_CASE("spoiled: forged nonces are refused, even in a record re-signed with the kiosk's own key")
{
    const test::UseSuite use(SuiteT::kId);
    Kiosk k;
    REQUIRE(k.session.SetCheckMode(true).ok());
    k.CommitBallot(k.Code(0), kChosen);
    (void)Unwrap(k.session.Check());
    {
        Audit a = k.Verify();
        INFO(FailedIds(a));
        REQUIRE(a.report.ok());
    }
    const BoxContents c = Unwrap(ReadBox(k.path()));
    const auto record = SpoiledBallotOf(c.events.back());
    REQUIRE(record);
    const auto with_nonces = [&](const Bytes& nonces) {
        auto j = *ParseJson(c.events.back().body);
        j["nonces"] = ToHex(nonces);
        return Canonical(j);
    };
    SUBCASE("two nonces of a row swapped")
    {
        Bytes n = record->nonces;
        std::swap_ranges(n.begin(), n.begin() + 32, n.begin() + 32);
        RewriteLastEvent(k, with_nonces(n), /*resign=*/true);
    }
    SUBCASE("a nonce replaced by another scalar")
    {
        Bytes n = record->nonces;
        n[31] ^= 1;
        RewriteLastEvent(k, with_nonces(n), /*resign=*/true);
    }
    SUBCASE("one nonce missing")
    {
        Bytes n = record->nonces;
        n.resize(n.size() - 32);
        RewriteLastEvent(k, with_nonces(n), /*resign=*/true);
    }
    SUBCASE("the nonces of another ballot")
    {
        std::vector<Scalar> other;
        (void)EncryptGrid(k.package.public_key, k.package.Shape(), kChosen, k.package.BallotContext(0), k.rng, &other);
        Bytes n;
        for (const auto& r : other)
            AppendBytes(n, r.Encode());
        RewriteLastEvent(k, with_nonces(n), /*resign=*/true);
    }
    Audit a = k.Verify();
    INFO(FailedIds(a));
    CHECK_FALSE(a.report.ok());
    CHECK(a.report.Failed("ballots.spoiled"));
    CHECK_FALSE(a.report.Failed("box.events"));  // re-signed: only the opening fails
    REQUIRE(a.spoiled.size() == 1);
    CHECK(a.spoiled[0].choices.empty());
    CHECK_FALSE(a.spoiled[0].problem.empty());
    // The box itself refuses nonces that do not open the grid.
    std::vector<Scalar> nonces;
    const auto grid =
        EncryptGrid(k.package.public_key, k.package.Shape(), kChosen, k.package.BallotContext(0), k.rng, &nonces);
    Bytes wrong;
    for (std::size_t i = 0; i < nonces.size(); ++i)
        AppendBytes(wrong, nonces[i == 0 ? 1 : i == 1 ? 0 : i].Encode());
    auto spoil = k.box.Spoil(*NormalizeCode(k.Code(1)), grid, wrong);
    REQUIRE_FALSE(spoil.ok());
    CHECK(spoil.error().code == "box.ballot");
}

TEST_CASE("spoiled: a spoiled record with a wrong signature or out of the chain is refused")
{
    Kiosk k;
    REQUIRE(k.session.SetCheckMode(true).ok());
    k.CommitBallot(k.Code(0), kChosen);
    (void)Unwrap(k.session.Check());
    const BoxContents c = Unwrap(ReadBox(k.path()));
    const std::string body(c.events.back().body.begin(), c.events.back().body.end());
    SUBCASE("a signature byte changed")
    {
        Bytes sig = c.events.back().signature;
        sig[10] ^= 0x40;
        test::Sql(k.path(), "UPDATE events SET signature = X'" + ToHex(sig) +
                                "' WHERE seq = " + std::to_string(c.events.back().seq));
    }
    SUBCASE("another choice's ballot put in, chained but not re-signed")
    {
        auto j = *ParseJson(c.events.back().body);
        std::vector<Scalar> nonces;
        const std::vector<std::uint32_t> ones(6, 1);
        const auto grid =
            EncryptGrid(k.package.public_key, k.package.Shape(), ones, k.package.BallotContext(0), k.rng, &nonces);
        Bytes n;
        for (const auto& r : nonces)
            AppendBytes(n, r.Encode());
        j["ballot"] = ToHex(BallotBody(0, grid));
        j["nonces"] = ToHex(n);
        RewriteLastEvent(k, Canonical(j), /*resign=*/false);
    }
    SUBCASE("the record removed from the log's chain")
    {
        test::Sql(k.path(), "UPDATE events SET hash = X'" + ToHex(Sha256(AsBytes(body))) +
                                "' WHERE seq = " + std::to_string(c.events.back().seq));
    }
    Audit a = k.Verify();
    INFO(FailedIds(a));
    CHECK_FALSE(a.report.ok());
    CHECK(a.report.Failed("box.events"));
}

TEST_CASE("spoiled: the tally of a box with checked ballots equals the tally of the same votes without them")
{
    // Two runs of the same election definition and the same votes; the first also checks two
    // ballots (one with a code that is then used to cast, one with a code never used again).
    std::vector<Results> results;
    for (const bool with_checks : {true, false}) {
        Kiosk k;
        REQUIRE(k.session.SetCheckMode(true).ok());
        const std::vector<std::vector<std::uint32_t>> votes = {
            {0, 1, 1, 2, 0, 3}, {1, 0, 2, 2, 3, 1}, {3, 3, 0, 1, 1, 2}, {2, 1, 1, 0, 0, 1}};
        for (std::size_t v = 0; v < votes.size(); ++v) {
            if (with_checks && v == 1) {
                k.CommitBallot(k.Code(v), {0, 0, 3, 3, 3, 3});
                (void)Unwrap(k.session.Check());
                REQUIRE(k.session.ReturnFromCheck().ok());
            }
            k.CommitBallot(k.Code(v), votes[v]);
            (void)Unwrap(k.session.Cast());
            REQUIRE(k.session.AcknowledgeReceipt().ok());
        }
        if (with_checks) {
            k.CommitBallot(k.Code(5), {1, 1, 1, 1, 1, 1});
            (void)Unwrap(k.session.Check());
            REQUIRE(k.session.Cancel().ok());
        }
        REQUIRE(k.box.Close().ok());
        Audit a = k.Verify();
        INFO(FailedIds(a));
        REQUIRE(a.report.ok());
        CHECK(a.spoiled.size() == (with_checks ? 2u : 0u));
        CHECK(a.boxes[0].contents.ballots.size() == votes.size());
        const auto key = Unwrap(OpenElectionKey(k.created.election_key_file, kPass));
        const auto admin = Unwrap(OpenSigningKey(k.created.admin_key_file, kPass));
        auto r = Unwrap(RunTally(a, key, admin, TallyInput{}, k.rng));
        CHECK(r.TotalBallots() == votes.size());
        CHECK(r.boxes[0].spoiled == (with_checks ? 2u : 0u));
        results.push_back(std::move(r));
    }
    REQUIRE(results[0].aggregates.size() == results[1].aggregates.size());
    for (std::size_t i = 0; i < results[0].aggregates.size(); ++i) {
        CAPTURE(i);
        CHECK(results[0].aggregates[i].count == results[1].aggregates[i].count);
    }
    CHECK(results[0].attendance[0].used == results[1].attendance[0].used);
}

TEST_CASE("spoiled: check mode survives a restart of the kiosk, as the box's log says, and so does turning it off")
{
    Kiosk k;
    CHECK_FALSE(k.box.check_mode());
    REQUIRE(k.session.SetCheckMode(true).ok());
    const std::uint64_t events = k.box.events();
    REQUIRE(k.session.SetCheckMode(true).ok());  // already on: nothing more is logged
    CHECK(k.box.events() == events);
    {
        // A power cut: the kiosk starts again and resumes the same box.
        BallotBox resumed = Unwrap(BallotBox::Resume(k.path(), kPin));
        CHECK(resumed.check_mode());
        KioskSession session(resumed, k.clock, k.rng);
        CHECK(session.check_mode());
        REQUIRE(session.SetCheckMode(false).ok());
    }
    BallotBox again = Unwrap(BallotBox::Resume(k.path(), kPin));
    CHECK_FALSE(again.check_mode());
    // The log holds on, then off: the verifier reads the same story.
    std::vector<bool> logged;
    for (const auto& e : Unwrap(ReadBox(k.path())).events)
        if (auto on = CheckModeOf(e)) logged.push_back(*on);
    CHECK(logged == std::vector<bool>{true, false});
}

}  // namespace pingyi
