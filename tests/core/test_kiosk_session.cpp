// KioskSession: the voter's path through the kiosk, driven headless with a manual clock.
// Every test checks the ballot box afterwards, not only what the session says.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <string>
#include <vector>

#include "core/ballot_box.hpp"
#include "core/clock.hpp"
#include "core/kiosk_session.hpp"
#include "core/package.hpp"
#include "crypto/keyfile.hpp"
#include "crypto/single_decrypt.hpp"
#include "test_support.hpp"

namespace pingyi {
namespace {

using namespace std::chrono_literals;
using test::TempDir;
using test::Unwrap;

constexpr std::string_view kPassphrase = "pass";
// Well-formed but not a code of the election (the chance that it is: about 2^-79 per code).
constexpr std::string_view kWrongCode = "2345-6789-ABCD-EFGH";

ElectionDefinition SessionElection(std::uint32_t kiosks)
{
    ElectionDefinition def;
    def.election_id = "5e55105e55105e55105e55105e55105e";
    def.title = "2026年度第二党支部民主评议党员";
    def.organization = "第二党支部";
    def.date = "2026-12-01";
    def.roster = {{"张伟", "", ""}, {"王芳", "", ""}, {"李娜", "", ""},
                  {"刘洋", "", ""}, {"陈静", "", ""}, {"杨帆", "", ""}};
    def.options = DefaultOptions(/*with_unknown=*/false);
    def.quota = Quota{/*option=*/0, /*max=*/2};
    def.categories = {{"党员", 4, 70}, {"群众代表", 4, 30}};
    def.kiosks = kiosks;
    def.grade_rules = DefaultGradeRules();
    return def;
}

// What leaves the admin's machine for the kiosk is the package file; the election key file
// stays with the admin (the tests use it only to decrypt and check, never the session).
struct AdminFiles {
    Bytes package_file;
    Bytes election_key_file;
    std::vector<PlainCode> codes;
};

AdminFiles MakeElection(std::uint32_t kiosks, Rng& rng)
{
    auto created = Unwrap(CreateElection(SessionElection(kiosks), kPassphrase, rng, test::kFastKdf));
    return {created.package.Serialize(), created.election_key_file, created.codes};
}

struct Kiosk {
    explicit Kiosk(SessionSettings settings = {}, std::uint32_t kiosks = 1)
        : admin(MakeElection(kiosks, rng)),
          package(Unwrap(LoadPackage(admin.package_file))),
          box(Unwrap(BallotBox::Create(dir / "box.sqlite", package, /*kiosk=*/1, "1234", rng, test::kFastKdf))),
          session(box, clock, rng, settings)
    {
    }

    // The n-th code of a category bound to kiosk `kiosk`, as printed on the slip.
    [[nodiscard]] std::string Code(std::size_t n, std::uint32_t category = 0, std::uint32_t kiosk = 1) const
    {
        for (const auto& c : admin.codes)
            if (c.category == category && c.kiosk == kiosk && n-- == 0) return c.code;
        FAIL("no such code");
        return {};
    }

    [[nodiscard]] CodeStatus::Kind BoxStatus(const std::string& code) const
    {
        return box.CheckCode(*NormalizeCode(code)).kind;
    }

    // Rates every member from `choices` and casts; returns the tracking code.
    std::string Vote(const std::string& code, const std::vector<std::uint32_t>& choices)
    {
        REQUIRE(session.EnterCode(code).ok());
        for (std::uint32_t m = 0; m < choices.size(); ++m)
            REQUIRE(session.Choose(m, choices[m]).ok());
        REQUIRE(session.GoToReview().ok());
        clock.Advance(1s);  // the review has been on screen for a moment
        return Unwrap(session.Cast());
    }

    TempDir dir;
    DeterministicRng rng{AsBytes("pingyi/test/kiosk-session")};
    AdminFiles admin;
    ElectionPackage package;
    BallotBox box;
    ManualClock clock;
    KioskSession session;
};

const std::vector<std::uint32_t> kChoices = {0, 1, 1, 2, 0, 3};

std::vector<BallotRow> BallotRecords(const TempDir& dir)
{
    return Unwrap(ReadBox(dir / "box.sqlite")).ballots;
}

}  // namespace

TEST_CASE("session: a full vote uses the code and stores one ballot with the tracking code shown")
{
    Kiosk k;
    const std::string code = k.Code(0, /*category=*/1);
    REQUIRE(k.session.EnterCode(code).ok());
    CHECK(k.session.state() == SessionState::Voting);
    CHECK(k.session.category() == 1u);
    CHECK(k.session.member_count() == 6);
    CHECK(k.session.rated_count() == 0);
    CHECK(k.session.unrated().size() == 6);

    for (std::uint32_t m = 0; m < kChoices.size(); ++m) {
        REQUIRE(k.session.Choose(m, kChoices[m]).ok());
        CHECK(k.session.rated_count() == m + 1);
    }
    CHECK(k.session.choice(3) == 2u);
    REQUIRE(k.session.GoToReview().ok());
    CHECK(k.session.state() == SessionState::Review);
    CHECK(k.box.ballots() == 0);

    k.clock.Advance(1s);
    const std::string tracking = Unwrap(k.session.Cast());
    CHECK(k.session.state() == SessionState::Receipt);
    CHECK(k.session.tracking_code() == tracking);

    CHECK(k.box.ballots() == 1);
    CHECK(k.BoxStatus(code) == CodeStatus::Kind::Used);
    const auto ballots = BallotRecords(k.dir);
    REQUIRE(ballots.size() == 1);
    CHECK(TrackingCode(ballots[0].hash) == tracking);
    Bytes category_prefix;
    AppendU32(category_prefix, 1);
    CHECK(std::equal(category_prefix.begin(), category_prefix.end(), ballots[0].body.begin()));

    // Nothing of this voter is left to see.
    CHECK_FALSE(k.session.category().has_value());
    CHECK_FALSE(k.session.choice(0).has_value());
    CHECK(k.session.rated_count() == 0);
    CHECK(k.session.quota()->used == 0);
    REQUIRE(k.session.AcknowledgeReceipt().ok());
    CHECK(k.session.tracking_code().empty());
    CHECK(k.session.state() == SessionState::WaitingForCode);
}

TEST_CASE("session: a wrong code or a non-code opens no ballot")
{
    Kiosk k;
    Status s = k.session.EnterCode(kWrongCode);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "session.code_unknown");
    CHECK(k.session.state() == SessionState::WaitingForCode);

    s = k.session.EnterCode("hello");
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "session.code_format");
    CHECK(k.session.state() == SessionState::WaitingForCode);

    // A valid code with one symbol changed is a wrong code too.
    std::string altered = k.Code(0);
    altered[0] = altered[0] == 'A' ? 'B' : 'A';
    s = k.session.EnterCode(altered);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "session.code_unknown");

    CHECK(k.box.ballots() == 0);
    CHECK(k.BoxStatus(k.Code(0)) == CodeStatus::Kind::Valid);
}

TEST_CASE("session: a used code is refused and casts nothing more")
{
    Kiosk k;
    const std::string code = k.Code(1);
    k.Vote(code, kChoices);
    REQUIRE(k.session.AcknowledgeReceipt().ok());

    const Status s = k.session.EnterCode(code);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "session.code_used");
    CHECK(k.session.state() == SessionState::WaitingForCode);
    CHECK(k.box.ballots() == 1);
}

TEST_CASE("session: a code of another kiosk is refused")
{
    Kiosk k({}, /*kiosks=*/2);
    const Status s = k.session.EnterCode(k.Code(0, 0, /*kiosk=*/2));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "session.code_other_kiosk");
    CHECK(k.session.state() == SessionState::WaitingForCode);
    REQUIRE(k.session.EnterCode(k.Code(0, 0, /*kiosk=*/1)).ok());
}

TEST_CASE("session: codes are accepted in lower or upper case, with dashes, spaces or neither")
{
    Kiosk k;
    const std::string code = k.Code(0);  // "ABCD-EFGH-JKMN-PQRS"
    std::string lower = code;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    std::string spaced = code;
    std::replace(spaced.begin(), spaced.end(), '-', ' ');
    std::string bare = code;
    bare.erase(std::remove(bare.begin(), bare.end(), '-'), bare.end());
    std::string mixed = "  " + lower.substr(0, 7) + code.substr(7) + " ";

    for (const std::string& typed : {code, lower, spaced, bare, mixed}) {
        CAPTURE(typed);
        REQUIRE(k.session.EnterCode(typed).ok());
        CHECK(k.session.state() == SessionState::Voting);
        REQUIRE(k.session.Cancel().ok());
    }
    // The way it was typed does not matter to the box either: the cast uses the code.
    k.Vote(mixed, kChoices);
    CHECK(k.BoxStatus(code) == CodeStatus::Kind::Used);
    CHECK(k.box.ballots() == 1);
}

TEST_CASE("session: wrong codes are rate limited with growing waits over a sliding window")
{
    Kiosk k;
    auto wrong = [&] { return k.session.EnterCode(kWrongCode); };

    CHECK(wrong().error().code == "session.code_unknown");
    CHECK(wrong().error().code == "session.code_unknown");
    CHECK_FALSE(k.session.code_wait_seconds_left().has_value());
    CHECK(wrong().error().code == "session.code_unknown");  // the third: a wait begins
    CHECK(k.session.code_wait_seconds_left() == 5s);

    // During the wait even a valid code is refused, and the refusals add no failures.
    Status s = k.session.EnterCode(k.Code(0));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "session.rate_limited");
    CHECK(k.session.state() == SessionState::WaitingForCode);
    k.clock.Advance(2s);
    CHECK(k.session.code_wait_seconds_left() == 3s);
    k.clock.Advance(500ms);
    CHECK(k.session.code_wait_seconds_left() == 3s);  // rounded up
    for (int i = 0; i < 5; ++i)
        CHECK(wrong().error().code == "session.rate_limited");
    k.clock.Advance(2500ms);
    CHECK_FALSE(k.session.code_wait_seconds_left().has_value());

    // Each further failure doubles the wait, up to 60 s.
    for (auto expected : {10s, 20s, 40s, 60s, 60s}) {
        CHECK(wrong().error().code == "session.code_unknown");
        CHECK(k.session.code_wait_seconds_left() == expected);
        k.clock.Advance(expected - 1s);
        CHECK(wrong().error().code == "session.rate_limited");
        k.clock.Advance(1s);
    }

    // A valid code goes through once the wait is over, and resets nothing: the next wrong
    // code waits the longest wait again.
    REQUIRE(k.session.EnterCode(k.Code(0)).ok());
    REQUIRE(k.session.Cancel().ok());
    CHECK(wrong().error().code == "session.code_unknown");
    CHECK(k.session.code_wait_seconds_left() == 60s);
    // Once a whole window has passed without a wrong code, the free tries are back.
    k.clock.Advance(SessionSettings{}.code_failure_window);
    CHECK(wrong().error().code == "session.code_unknown");
    CHECK(wrong().error().code == "session.code_unknown");
    CHECK_FALSE(k.session.code_wait_seconds_left().has_value());
    CHECK(wrong().error().code == "session.code_unknown");
    CHECK(k.session.code_wait_seconds_left() == 5s);

    CHECK(k.box.ballots() == 0);
    CHECK(k.BoxStatus(k.Code(0)) == CodeStatus::Kind::Valid);
}

TEST_CASE("session: a scanned slip carries the whole election fingerprint, and a slip of another election is refused")
{
    Kiosk k;
    const std::string fp = ToUpperHex(k.package.fingerprint);
    const std::string code = k.Code(0);
    Digest other = k.package.fingerprint;
    other[31] ^= 1;
    const Status wrong = k.session.EnterCode(code + kSlipQrSeparator + ToUpperHex(other));
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == "session.code_election");
    CHECK(k.session.EnterCode(code + kSlipQrSeparator).error().code == "session.code_election");
    CHECK(k.session.state() == SessionState::WaitingForCode);
    // The right fingerprint, in either case: the code goes through.
    REQUIRE(k.session.EnterCode(code + kSlipQrSeparator + fp).ok());
    REQUIRE(k.session.Cancel().ok());
    std::string lower = fp;
    for (char& ch : lower)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    REQUIRE(k.session.EnterCode(code + kSlipQrSeparator + lower).ok());
}

TEST_CASE("session: alternating wrong guesses with one's own valid code and Cancel gains no tries")
{
    Kiosk k;
    // A voter holding a valid code guesses, enters the own code, cancels, guesses again...
    int guesses = 0;
    for (int round = 0; round < 20; ++round) {
        if (k.session.EnterCode(kWrongCode).error().code == "session.code_unknown") ++guesses;
        if (k.session.EnterCode(k.Code(0)).ok()) REQUIRE(k.session.Cancel().ok());
        k.clock.Advance(1s);
    }
    // 20 s of trying: the free tries and the first short waits, never 20 guesses.
    CHECK(guesses <= 5);
    CHECK(k.session.code_wait_seconds_left().has_value());
}

TEST_CASE("session: the quota refuses a third 优秀 until a choice is changed or cleared")
{
    Kiosk k;
    REQUIRE(k.session.EnterCode(k.Code(0)).ok());
    REQUIRE(k.session.Choose(0, 0).ok());
    REQUIRE(k.session.Choose(1, 0).ok());
    CHECK(k.session.quota()->used == 2);
    CHECK(k.session.quota()->max == 2);
    CHECK(k.session.quota()->option == 0);

    Status s = k.session.Choose(2, 0);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "session.quota");
    CHECK(s.error().detail.find('2') != std::string::npos);  // says the limit
    CHECK_FALSE(k.session.choice(2).has_value());
    CHECK(k.session.Choose(1, 0).ok());  // choosing 优秀 again for the same member is no new use

    REQUIRE(k.session.Choose(1, 1).ok());  // changing one frees a place
    CHECK(k.session.quota()->used == 1);
    REQUIRE(k.session.Choose(2, 0).ok());
    CHECK(k.session.Choose(3, 0).error().code == "session.quota");
    REQUIRE(k.session.Clear(0).ok());  // so does clearing one
    REQUIRE(k.session.Choose(3, 0).ok());
    CHECK(k.session.choice(0) == std::nullopt);

    for (std::uint32_t m : {0u, 4u, 5u})
        REQUIRE(k.session.Choose(m, 1).ok());
    REQUIRE(k.session.GoToReview().ok());
    k.clock.Advance(1s);
    (void)Unwrap(k.session.Cast());
    CHECK(k.box.ballots() == 1);  // the box verified the quota proof
}

TEST_CASE("session: unrated members block the review and are listed")
{
    Kiosk k;
    REQUIRE(k.session.EnterCode(k.Code(0)).ok());
    for (std::uint32_t m : {0u, 2u, 4u})
        REQUIRE(k.session.Choose(m, 1).ok());

    Status s = k.session.GoToReview();
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "session.unrated");
    CHECK(s.error().detail.find("王芳") != std::string::npos);
    CHECK(s.error().detail.find("杨帆") != std::string::npos);
    CHECK(s.error().detail.find("张伟") == std::string::npos);
    CHECK(k.session.unrated() == std::vector<std::uint32_t>{1, 3, 5});
    CHECK(k.session.state() == SessionState::Voting);

    REQUIRE(k.session.Clear(2).ok());
    CHECK(k.session.rated_count() == 2);
    CHECK(k.session.unrated() == std::vector<std::uint32_t>{1, 2, 3, 5});
    for (std::uint32_t m : {1u, 2u, 3u})
        REQUIRE(k.session.Choose(m, 2).ok());
    CHECK(k.session.GoToReview().error().code == "session.unrated");
    REQUIRE(k.session.Choose(5, 3).ok());
    REQUIRE(k.session.GoToReview().ok());
    CHECK(k.box.ballots() == 0);
}

TEST_CASE("session: going back from the review keeps every choice, and the review is read-only")
{
    Kiosk k;
    REQUIRE(k.session.EnterCode(k.Code(0)).ok());
    for (std::uint32_t m = 0; m < kChoices.size(); ++m)
        REQUIRE(k.session.Choose(m, kChoices[m]).ok());
    REQUIRE(k.session.GoToReview().ok());
    CHECK(k.session.Choose(1, 3).error().code == "session.state");
    CHECK(k.session.Clear(1).error().code == "session.state");

    REQUIRE(k.session.BackToBallot().ok());
    CHECK(k.session.state() == SessionState::Voting);
    for (std::uint32_t m = 0; m < kChoices.size(); ++m)
        CHECK(k.session.choice(m) == kChoices[m]);
    REQUIRE(k.session.Choose(1, 3).ok());
    REQUIRE(k.session.GoToReview().ok());
    CHECK(k.session.choice(1) == 3u);
    k.clock.Advance(1s);
    (void)Unwrap(k.session.Cast());
    CHECK(k.box.ballots() == 1);
}

TEST_CASE("session: cancelling discards the ballot and leaves the code unused for a later vote")
{
    Kiosk k;
    const std::string code = k.Code(2);
    REQUIRE(k.session.EnterCode(code).ok());
    REQUIRE(k.session.Choose(0, 0).ok());
    REQUIRE(k.session.Cancel().ok());
    CHECK(k.session.state() == SessionState::WaitingForCode);
    CHECK_FALSE(k.session.choice(0).has_value());
    CHECK(k.BoxStatus(code) == CodeStatus::Kind::Valid);

    // From the review as well; the next entry of the code starts from a blank ballot.
    REQUIRE(k.session.EnterCode(code).ok());
    CHECK(k.session.rated_count() == 0);
    for (std::uint32_t m = 0; m < kChoices.size(); ++m)
        REQUIRE(k.session.Choose(m, kChoices[m]).ok());
    REQUIRE(k.session.GoToReview().ok());
    REQUIRE(k.session.Cancel().ok());
    CHECK(k.BoxStatus(code) == CodeStatus::Kind::Valid);
    CHECK(k.box.ballots() == 0);
    CHECK(k.session.Cancel().error().code == "session.state");

    k.Vote(code, kChoices);
    CHECK(k.box.ballots() == 1);
    CHECK(k.BoxStatus(code) == CodeStatus::Kind::Used);
}

TEST_CASE("session: inactivity first warns, then discards the ballot with the code unused")
{
    Kiosk k;  // timeout 120 s, warning 30 s before
    const std::string code = k.Code(0);
    REQUIRE(k.session.EnterCode(code).ok());
    REQUIRE(k.session.Choose(0, 1).ok());

    k.clock.Advance(89s);
    CHECK(k.session.Tick() == TickEvent::None);
    CHECK_FALSE(k.session.warning_seconds_left().has_value());
    k.clock.Advance(1s);
    CHECK(k.session.Tick() == TickEvent::WarningStarted);
    CHECK(k.session.warning_seconds_left() == 30s);
    k.clock.Advance(1s);
    CHECK(k.session.Tick() == TickEvent::None);  // reported once
    CHECK(k.session.warning_seconds_left() == 29s);
    k.clock.Advance(28s);
    CHECK(k.session.Tick() == TickEvent::None);
    CHECK(k.session.warning_seconds_left() == 1s);
    CHECK(k.session.state() == SessionState::Voting);

    k.clock.Advance(1s);
    CHECK(k.session.Tick() == TickEvent::BallotDiscarded);
    CHECK(k.session.state() == SessionState::WaitingForCode);
    CHECK_FALSE(k.session.warning_seconds_left().has_value());
    CHECK_FALSE(k.session.choice(0).has_value());
    CHECK(k.BoxStatus(code) == CodeStatus::Kind::Valid);
    CHECK(k.box.ballots() == 0);
    CHECK(k.session.Tick() == TickEvent::None);

    REQUIRE(k.session.EnterCode(code).ok());  // the code still works
    CHECK(k.session.rated_count() == 0);
}

TEST_CASE("the idle limit grows with the number of members: 6 s a member beyond 10, at most 10 minutes")
{
    CHECK(ScaledInactivityTimeout(120s, 0) == 120s);
    CHECK(ScaledInactivityTimeout(120s, 6) == 120s);
    CHECK(ScaledInactivityTimeout(120s, 10) == 120s);
    CHECK(ScaledInactivityTimeout(120s, 11) == 126s);
    CHECK(ScaledInactivityTimeout(120s, 25) == 210s);
    CHECK(ScaledInactivityTimeout(120s, 50) == 360s);
    CHECK(ScaledInactivityTimeout(120s, 90) == 600s);
    CHECK(ScaledInactivityTimeout(120s, 200) == 600s);
    CHECK(ScaledInactivityTimeout(120s, 1000000) == 600s);
    CHECK(ScaledInactivityTimeout(700s, 200) == 700s);  // never below the setting
    CHECK(ScaledInactivityTimeout(30s, 12) == 42s);

    // A 25-member ballot: the warning at 180 s (not 90), the ballot discarded at 210 s.
    DeterministicRng rng(AsBytes("pingyi/test/idle-25"));
    ElectionDefinition def = SessionElection(1);
    def.roster.clear();
    for (int i = 0; i < 25; ++i)
        def.roster.push_back({"成员" + std::to_string(i + 1), "", ""});
    def.quota = Quota{0, 8};
    auto created = Unwrap(CreateElection(def, kPassphrase, rng, test::kFastKdf));
    TempDir dir;
    BallotBox box = Unwrap(BallotBox::Create(dir / "box.sqlite", created.package, 1, "1234", rng, test::kFastKdf));
    ManualClock clock;
    KioskSession session(box, clock, rng);
    CHECK(session.inactivity_timeout() == 210s);
    std::string code;
    for (const auto& c : created.codes)
        if (c.kiosk == 1 && code.empty()) code = c.code;
    REQUIRE(session.EnterCode(code).ok());
    clock.Advance(179s);
    CHECK(session.Tick() == TickEvent::None);
    clock.Advance(1s);
    CHECK(session.Tick() == TickEvent::WarningStarted);
    CHECK(session.warning_seconds_left() == 30s);
    clock.Advance(29s);
    CHECK(session.Tick() == TickEvent::None);
    clock.Advance(1s);
    CHECK(session.Tick() == TickEvent::BallotDiscarded);
}

TEST_CASE("session: any voter activity restarts the inactivity timer")
{
    Kiosk k;
    REQUIRE(k.session.EnterCode(k.Code(0)).ok());
    k.clock.Advance(100s);
    CHECK(k.session.Tick() == TickEvent::WarningStarted);
    REQUIRE(k.session.Choose(0, 1).ok());
    CHECK_FALSE(k.session.warning_seconds_left().has_value());

    k.clock.Advance(119s);
    CHECK(k.session.Tick() == TickEvent::WarningStarted);  // a new idle period, warned anew
    k.session.Touch();
    CHECK_FALSE(k.session.warning_seconds_left().has_value());
    k.clock.Advance(119s);
    REQUIRE(k.session.Clear(0).ok());
    k.clock.Advance(119s);
    for (std::uint32_t m = 0; m < kChoices.size(); ++m)
        REQUIRE(k.session.Choose(m, kChoices[m]).ok());
    k.clock.Advance(119s);
    REQUIRE(k.session.GoToReview().ok());
    k.clock.Advance(119s);
    REQUIRE(k.session.BackToBallot().ok());
    k.clock.Advance(119s);
    REQUIRE(k.session.GoToReview().ok());
    k.clock.Advance(119s);
    CHECK(k.session.Tick() == TickEvent::WarningStarted);
    CHECK(k.session.state() == SessionState::Review);

    (void)Unwrap(k.session.Cast());
    CHECK(k.box.ballots() == 1);
}

TEST_CASE("session: an action after the timeout, before the timer fires, finds the ballot discarded")
{
    Kiosk k;
    const std::string code = k.Code(0);
    REQUIRE(k.session.EnterCode(code).ok());
    for (std::uint32_t m = 0; m < kChoices.size(); ++m)
        REQUIRE(k.session.Choose(m, kChoices[m]).ok());
    REQUIRE(k.session.GoToReview().ok());

    k.clock.Advance(120s);  // no Tick: the GUI timer is late
    auto cast = k.session.Cast();
    REQUIRE_FALSE(cast.ok());
    CHECK(cast.error().code == "session.timed_out");
    CHECK(k.session.state() == SessionState::WaitingForCode);
    CHECK(k.box.ballots() == 0);
    CHECK(k.BoxStatus(code) == CodeStatus::Kind::Valid);

    REQUIRE(k.session.EnterCode(code).ok());
    k.clock.Advance(121s);
    CHECK(k.session.Choose(0, 1).error().code == "session.timed_out");
    CHECK(k.session.rated_count() == 0);
}

TEST_CASE(
    "session: the receipt returns to the welcome screen after its time, or at once when "
    "acknowledged")
{
    Kiosk k;  // the receipt stays 60 s: time to copy the tracking code down
    CHECK(SessionSettings{}.receipt_display == 60s);
    k.Vote(k.Code(0), kChoices);
    k.clock.Advance(59s);
    CHECK(k.session.Tick() == TickEvent::None);
    CHECK(k.session.state() == SessionState::Receipt);
    CHECK(k.session.EnterCode(k.Code(1)).error().code == "session.state");
    k.clock.Advance(1s);
    CHECK(k.session.Tick() == TickEvent::ReceiptEnded);
    CHECK(k.session.state() == SessionState::WaitingForCode);
    CHECK(k.session.tracking_code().empty());
    CHECK(k.session.AcknowledgeReceipt().error().code == "session.state");

    k.Vote(k.Code(1), kChoices);
    REQUIRE(k.session.AcknowledgeReceipt().ok());
    CHECK(k.session.state() == SessionState::WaitingForCode);
    CHECK(k.session.Tick() == TickEvent::None);

    // A code entered after the receipt's time, even with no Tick, opens a new ballot.
    k.Vote(k.Code(2), kChoices);
    k.clock.Advance(60s);
    REQUIRE(k.session.EnterCode(k.Code(3)).ok());
    CHECK(k.box.ballots() == 3);
}

TEST_CASE("session: a double-click on 下一步 cannot cast: the review must be on screen for a moment first")
{
    Kiosk k;
    const std::string code = k.Code(0);
    REQUIRE(k.session.EnterCode(code).ok());
    for (std::uint32_t m = 0; m < kChoices.size(); ++m)
        REQUIRE(k.session.Choose(m, kChoices[m]).ok());
    REQUIRE(k.session.GoToReview().ok());
    CHECK_FALSE(k.session.review_settled());
    // The second click of a double-click (150 ms), a second Enter, a late one (690 ms).
    for (const auto after : {0ms, 150ms, 540ms}) {
        k.clock.Advance(after);
        auto cast = k.session.Cast();
        REQUIRE_FALSE(cast.ok());
        CHECK(cast.error().code == "session.too_soon");
        CHECK(k.session.state() == SessionState::Review);
        CHECK(k.box.ballots() == 0);
        CHECK(k.BoxStatus(code) == CodeStatus::Kind::Valid);
    }
    // Back to the ballot and straight to the review again: the moment starts again.
    REQUIRE(k.session.BackToBallot().ok());
    k.clock.Advance(5s);
    REQUIRE(k.session.GoToReview().ok());
    CHECK(k.session.Cast().error().code == "session.too_soon");
    k.clock.Advance(SessionSettings{}.screen_settle);
    CHECK(k.session.review_settled());
    (void)Unwrap(k.session.Cast());
    CHECK(k.box.ballots() == 1);
}

TEST_CASE("screen settle: a new screen ignores input for screen_settle, then accepts it")
{
    ManualClock clock;
    ScreenSettle settle(clock, 700ms);
    CHECK(settle.Settled());  // no screen change yet
    settle.Restart();
    CHECK_FALSE(settle.Settled());
    clock.Advance(699ms);
    CHECK_FALSE(settle.Settled());
    clock.Advance(1ms);
    CHECK(settle.Settled());
    settle.Restart();
    CHECK_FALSE(settle.Settled());
}

TEST_CASE("session: actions out of order are refused and change nothing")
{
    Kiosk k;
    CHECK(k.session.Choose(0, 0).error().code == "session.state");
    CHECK(k.session.GoToReview().error().code == "session.state");
    CHECK(k.session.BackToBallot().error().code == "session.state");
    CHECK(k.session.Cast().error().code == "session.state");
    k.session.Touch();
    CHECK(k.session.state() == SessionState::WaitingForCode);

    REQUIRE(k.session.EnterCode(k.Code(0)).ok());
    CHECK(k.session.EnterCode(k.Code(1)).error().code == "session.state");
    CHECK(k.session.Cast().error().code == "session.state");
    CHECK(k.session.BackToBallot().error().code == "session.state");
    CHECK(k.session.Choose(6, 0).error().code == "session.range");
    CHECK(k.session.Choose(0, 4).error().code == "session.range");
    CHECK(k.session.Clear(6).error().code == "session.range");
    CHECK(k.session.rated_count() == 0);
    CHECK(k.box.ballots() == 0);
    CHECK(k.BoxStatus(k.Code(1)) == CodeStatus::Kind::Valid);
}

TEST_CASE(
    "session: a failed cast stays in the review with the ballot kept, and a closed poll takes no "
    "codes")
{
    Kiosk k;
    REQUIRE(k.session.EnterCode(k.Code(0)).ok());
    for (std::uint32_t m = 0; m < kChoices.size(); ++m)
        REQUIRE(k.session.Choose(m, kChoices[m]).ok());
    REQUIRE(k.session.GoToReview().ok());
    REQUIRE(k.box.Close().ok());

    k.clock.Advance(1s);
    auto cast = k.session.Cast();
    REQUIRE_FALSE(cast.ok());
    CHECK(cast.error().code == "box.closed");
    CHECK(k.session.state() == SessionState::Review);
    for (std::uint32_t m = 0; m < kChoices.size(); ++m)
        CHECK(k.session.choice(m) == kChoices[m]);
    CHECK(k.box.ballots() == 0);

    REQUIRE(k.session.Cancel().ok());
    CHECK(k.session.EnterCode(k.Code(1)).error().code == "session.closed");
    CHECK(k.session.state() == SessionState::WaitingForCode);
}

TEST_CASE("session: the session needs no secret key; its ballot verifies and holds exactly the choices")
{
    // The session is built from the package file alone (the fixture loads it from bytes);
    // the election key file is opened here, after voting, by the test as the admin would.
    Kiosk k;
    k.Vote(k.Code(0, /*category=*/1), kChoices);

    const auto ballots = BallotRecords(k.dir);
    REQUIRE(ballots.size() == 1);
    const GridShape shape = k.package.Shape();
    const ByteView body(ballots[0].body);
    const auto grid = Unwrap(EncryptedGrid::Decode(k.package.group(), shape, body.subspan(4)));
    CHECK(VerifyGrid(k.package.public_key, shape, grid, k.package.BallotContext(1)).ok());

    const auto key = Unwrap(OpenElectionKey(k.admin.election_key_file, kPassphrase));
    CHECK(key.public_key() == k.package.public_key);
    const Point g = k.package.group().Generator();
    for (std::uint32_t i = 0; i < shape.rows; ++i) {
        for (std::uint32_t j = 0; j < shape.cols; ++j) {
            CAPTURE(i);
            CAPTURE(j);
            const Point m = DecryptToPoint(key, grid.cells[i * shape.cols + j]);
            if (kChoices[i] == j)
                CHECK(m == g);
            else
                CHECK(m.IsIdentity());
        }
    }
}

}  // namespace pingyi
