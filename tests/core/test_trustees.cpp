// Trustees (docs/formats.md §9): the key ceremony through its files, a package keyed by
// the trustees, partial decryptions by any k of n, the combination and the verifier — and
// each bad share, replaced file, wrong passphrase, altered partial or foreign box set
// refused with a named error.
#include <doctest/doctest.h>

#include "core/trustee_tally.hpp"
#include "test_support.hpp"

namespace pingyi {
namespace {

using test::kFastKdf;
using test::TempDir;

const std::vector<std::string> kNames = {"监票人 王强", "计票人 李梅", "纪检委员 赵刚"};

std::string Pass(std::uint32_t i)
{
    return "passphrase of trustee " + std::to_string(i);
}

struct Ceremony {
    CeremonySetup setup;
    std::vector<Round1> round1;
    std::vector<Round2> round2;
    std::vector<Bytes> keys;  // each trustee's key file, as it is after the last round run
    std::optional<TrusteeSet> set;
};

// Every step through its file format, as trustees passing USB sticks would.
Ceremony RunRounds(const ElectionDefinition& def, std::uint32_t k, std::uint32_t rounds = 3)
{
    auto setup = MakeCeremonySetup(def, k, kNames);
    REQUIRE(setup.ok());
    auto parsed = ParseCeremonySetup(setup->Serialize());
    REQUIRE(parsed.ok());
    Ceremony c{std::move(parsed).value(), {}, {}, {}, {}};
    std::vector<Round1> r1;
    for (std::uint32_t i = 1; i <= c.setup.n(); ++i) {
        auto out = RunRound1(c.setup, i, Pass(i), SystemRng(), kFastKdf);
        auto back = ParseRound1(c.setup, SerializeRound1(c.setup, out.record));
        REQUIRE(back.ok());
        r1.push_back(std::move(back).value());
        c.keys.push_back(std::move(out.key_file));
    }
    auto all = CollectRound1(c.setup, std::move(r1));
    REQUIRE(all.ok());
    c.round1 = std::move(all).value();
    if (rounds < 2) return c;
    for (std::uint32_t i = 1; i <= c.setup.n(); ++i) {
        auto r2 = RunRound2(c.setup, c.round1, c.keys[i - 1], Pass(i), SystemRng());
        REQUIRE(r2.ok());
        auto back = ParseRound2(c.setup, SerializeRound2(c.setup, *r2));
        REQUIRE(back.ok());
        c.round2.push_back(std::move(back).value());
    }
    if (rounds < 3) return c;
    std::vector<Round3> r3;
    for (std::uint32_t i = 1; i <= c.setup.n(); ++i) {
        auto out = RunRound3(c.setup, c.round1, c.round2, c.keys[i - 1], Pass(i), SystemRng(), kFastKdf);
        REQUIRE(out.ok());
        auto back = ParseRound3(c.setup, SerializeRound3(c.setup, out->record));
        REQUIRE(back.ok());
        r3.push_back(std::move(back).value());
        c.keys[i - 1] = std::move(out->share_key_file);
    }
    auto set = FinishCeremony(c.setup, c.round1, r3);
    REQUIRE(set.ok());
    c.set = std::move(set).value();
    return c;
}

struct TrusteeMeeting {
    TempDir dir;
    Ceremony ceremony;
    CreatedElection created;
    std::vector<std::filesystem::path> boxes;
    std::vector<std::vector<std::uint64_t>> expected;  // [member][option], all ballots
};

// 6 members, one kiosk, 5 党员 and 3 群众代表 vote.
std::unique_ptr<TrusteeMeeting> Hold(std::uint32_t k)
{
    auto m = std::make_unique<TrusteeMeeting>();
    const auto def = test::SmallElection(6, 1);
    m->ceremony = RunRounds(def, k);
    auto created = CreateElection(def, "admin passphrase", SystemRng(), kFastKdf, &*m->ceremony.set);
    REQUIRE(created.ok());
    CHECK(created->election_key_file.empty());
    m->created = std::move(created).value();
    auto pkg = LoadPackage(m->created.package.Serialize());
    REQUIRE(pkg.ok());
    REQUIRE(pkg->trustees.has_value());
    m->boxes.push_back(m->dir / "kiosk1.sqlite");
    auto box = BallotBox::Create(m->boxes.back(), *pkg, 1, "1234", SystemRng(), kFastKdf);
    REQUIRE(box.ok());
    m->expected.assign(6, std::vector<std::uint64_t>(4, 0));
    const std::vector<std::uint32_t> votes = {5, 3};
    std::uint32_t serial = 0;
    for (std::uint32_t cat = 0; cat < 2; ++cat) {
        std::uint32_t cast = 0;
        for (const auto& code : m->created.codes) {
            if (code.category != cat || cast == votes[cat]) continue;
            std::vector<std::uint32_t> choices(6);
            for (std::uint32_t i = 0; i < 6; ++i)
                choices[i] = i == serial % 6 && i < 2 ? 0 : 1 + (i * 5 + serial) % 3;
            for (std::uint32_t i = 0; i < 6; ++i)
                ++m->expected[i][choices[i]];
            ++serial;
            auto grid = EncryptGrid(pkg->public_key, pkg->Shape(), choices, pkg->BallotContext(cat), SystemRng());
            REQUIRE(box->Cast(*NormalizeCode(code.code), grid).ok());
            ++cast;
        }
    }
    REQUIRE(box->Close().ok());
    return m;
}

Audit Verify(const TrusteeMeeting& m)
{
    Audit a = VerifyElection(m.created.package.Serialize(), m.boxes);
    REQUIRE(a.report.ok());
    return a;
}

OpenedShare Share(const TrusteeMeeting& m, std::uint32_t j)
{
    auto s = OpenTrusteeShare(m.ceremony.keys[j - 1], Pass(j));
    REQUIRE(s.ok());
    return std::move(s).value();
}

TrusteePartials Partial(const TrusteeMeeting& m, const Audit& a, std::uint32_t j)
{
    auto p = RunPartialDecryption(a, Share(m, j), {6, 4}, SystemRng());
    REQUIRE(p.ok());
    // Through its file, as a trustee's stick carries it.
    auto back = ParsePartialsFile(p->Serialize(), *a.package);
    REQUIRE(back.ok());
    return std::move(back).value();
}

SigningKey Admin(const TrusteeMeeting& m)
{
    auto admin = OpenSigningKey(m.created.admin_key_file, "admin passphrase");
    REQUIRE(admin.ok());
    return std::move(admin).value();
}

std::vector<std::vector<std::uint64_t>> Totals(const Results& r, std::size_t members, std::size_t options)
{
    std::vector<std::vector<std::uint64_t>> t(members, std::vector<std::uint64_t>(options, 0));
    for (const auto& a : r.aggregates)
        t[a.member][a.option] += a.count;
    return t;
}

void Resign(Results& r, const SigningKey& admin)
{
    r.signature = admin.Sign(ResultsSigningMessage(Canonical(r.Body())));
}

}  // namespace

TEST_CASE("the ceremony's files make a package that every check accepts, with K the trustees' sum")
{
    const auto c = RunRounds(test::SmallElection(), 2);
    CHECK(c.set->members.size() == 3);
    CHECK(VerifyTrusteeSet(*c.set, test::SmallElection(), c.set->JointKey()).ok());
    // The trustees' shares interpolate to the secret behind K, which no one computed: any
    // two public shares X_j with their Lagrange coefficients give K.
    const std::vector<std::uint32_t> who = {1, 3};
    const Point k = c.set->PublicShare(1) * LagrangeCoefficient(Group::P256(), who, 1) +
                    c.set->PublicShare(3) * LagrangeCoefficient(Group::P256(), who, 3);
    CHECK(k == c.set->JointKey());
    // Another definition (a changed roster) is another ceremony: its proofs do not carry over.
    auto other = test::SmallElection(7);
    CHECK(VerifyTrusteeSet(*c.set, other, c.set->JointKey()).error().code == "package.trustees");
    auto bad = *c.set;
    bad.members[1].commitments[1] += Group::P256().Generator();
    CHECK(VerifyTrusteeSet(bad, test::SmallElection(), bad.JointKey()).error().code == "package.trustees");
    bad = *c.set;
    bad.members[2].confirmation.v += Scalar(Group::P256(), 1);
    CHECK(VerifyTrusteeSet(bad, test::SmallElection(), bad.JointKey()).error().code == "package.trustees");
    CHECK_FALSE(VerifyTrusteeSet(*c.set, test::SmallElection(), Group::P256().Generator()).ok());
}

TEST_CASE("the setup refuses impossible thresholds and bad names")
{
    const auto def = test::SmallElection();
    CHECK(MakeCeremonySetup(def, 0, kNames).error().code == "ceremony.setup");
    CHECK(MakeCeremonySetup(def, 4, kNames).error().code == "ceremony.setup");
    CHECK(MakeCeremonySetup(def, 1, {}).error().code == "ceremony.setup");
    CHECK(MakeCeremonySetup(def, 1, {"甲", "甲"}).error().code == "ceremony.setup");
    CHECK(MakeCeremonySetup(def, 1, {"甲\n"}).error().code == "ceremony.setup");
    CHECK(MakeCeremonySetup(def, 1, std::vector<std::string>(10, "x")).error().code == "ceremony.setup");
    auto ok = MakeCeremonySetup(def, 1, {"甲"});
    REQUIRE(ok.ok());
    Bytes file = ok->Serialize();
    const std::string text(file.begin(), file.end());
    const auto pos = text.find("\"threshold\": 1");
    REQUIRE(pos != std::string::npos);
    std::string altered = text;
    altered.replace(pos, 14, "\"threshold\": 2");
    CHECK_FALSE(ParseCeremonySetup(AsBytes(altered)).ok());
}

TEST_CASE("a forged commitment in a round-1 file is refused and names the trustee")
{
    auto c = RunRounds(test::SmallElection(), 2, 1);
    Round1 bad = c.round1[1];
    bad.commitments[0] += Group::P256().Generator();
    const auto r = ParseRound1(c.setup, SerializeRound1(c.setup, bad));
    CHECK(r.error().code == "ceremony.commitments");
    CHECK(r.error().detail.find(kNames[1]) != std::string::npos);
    // A file of another ceremony, and a missing trustee.
    auto other = RunRounds(test::SmallElection(7), 2, 1);
    CHECK(ParseRound1(c.setup, SerializeRound1(other.setup, other.round1[0])).error().code == "ceremony.file");
    auto two = c.round1;
    two.pop_back();
    const auto missing = CollectRound1(c.setup, two);
    CHECK(missing.error().code == "ceremony.missing");
    CHECK(missing.error().detail.find(kNames[2]) != std::string::npos);
}

TEST_CASE("a dealer who sends a wrong share is named in round 3 and the ceremony stops")
{
    auto c = RunRounds(test::SmallElection(), 2, 2);
    // Trustee 2 is a cheat: it made its round-1 record with keys it controls here, and
    // gives trustee 1 the share f(1) + 1.
    const Group& g = Group::P256();
    auto poly = Polynomial::Random(g, 2, SystemRng());
    auto transport = ElectionKeyPair::Generate(g, SystemRng());
    c.round1[1] = Round1{2, kNames[1], transport.public_key(), poly.Commitments(),
                         ProveCoefficients(poly, 2, c.setup.context, SystemRng())};
    Round2 cheat{2, Round1Hash(c.setup.context, c.round1), {}};
    cheat.shares.emplace_back(1, EncryptShare(transport, c.round1[0].transport_key, 2, 1,
                                              poly.Evaluate(1) + Scalar(g, 1), c.setup.context, SystemRng()));
    // Trustees 1 and 3 redo round 2 for the new round-1 set.
    c.round2.clear();
    for (std::uint32_t i : {1u, 3u}) {
        auto r2 = RunRound2(c.setup, c.round1, c.keys[i - 1], Pass(i), SystemRng());
        REQUIRE(r2.ok());
        c.round2.push_back(std::move(r2).value());
    }
    c.round2.push_back(cheat);
    const auto r = RunRound3(c.setup, c.round1, c.round2, c.keys[0], Pass(1), SystemRng(), kFastKdf);
    CHECK(r.error().code == "ceremony.share");
    CHECK(r.error().detail.find(kNames[1]) != std::string::npos);

    // With an honest share from trustee 2: an altered encrypted share, and a round-2 file
    // made for other round-1 files.
    c.round2[2].shares[0].second =
        EncryptShare(transport, c.round1[0].transport_key, 2, 1, poly.Evaluate(1), c.setup.context, SystemRng());
    REQUIRE(RunRound3(c.setup, c.round1, c.round2, c.keys[0], Pass(1), SystemRng(), kFastKdf).ok());
    auto altered = c.round2;
    altered[1].shares[0].second[20] ^= 1;  // trustee 3's share for trustee 1
    CHECK(RunRound3(c.setup, c.round1, altered, c.keys[0], Pass(1), SystemRng(), kFastKdf).error().code ==
          "ceremony.share_encryption");
    altered = c.round2;
    altered[1].round1[0] ^= 1;
    CHECK(RunRound3(c.setup, c.round1, altered, c.keys[0], Pass(1), SystemRng(), kFastKdf).error().code ==
          "ceremony.round1_mismatch");
}

TEST_CASE("a trustee's round-1 record replaced by someone else is noticed by that trustee")
{
    auto c = RunRounds(test::SmallElection(), 2, 1);
    auto impostor = RunRound1(c.setup, 2, "someone else's", SystemRng(), kFastKdf);
    c.round1[1] = impostor.record;
    CHECK(RunRound2(c.setup, c.round1, c.keys[1], Pass(2), SystemRng()).error().code == "ceremony.round1_mismatch");
}

TEST_CASE("a trustee key file with the wrong passphrase, damaged, or unfinished is refused")
{
    const auto c = RunRounds(test::SmallElection(), 2);
    CHECK(OpenTrusteeShare(c.keys[0], "wrong passphrase").error().code == "keyfile.passphrase");
    Bytes damaged = c.keys[0];
    damaged[60] ^= 1;
    CHECK(OpenTrusteeShare(damaged, Pass(1)).error().code == "keyfile.format");
    const auto unfinished = RunRounds(test::SmallElection(), 2, 1);
    CHECK(OpenTrusteeShare(unfinished.keys[0], Pass(1)).error().code == "keyfile.kind");
    CHECK(OpenElectionKey(c.keys[0], Pass(1)).error().code == "keyfile.kind");
    CHECK(RunRound2(c.setup, c.round1, c.keys[0], Pass(1), SystemRng()).error().code == "keyfile.kind");
}

TEST_CASE("any 2 of 3 trustees decrypt the same results, which the verifier accepts; 1 cannot")
{
    auto m = Hold(2);
    Audit audit = Verify(*m);
    CHECK(audit.report.Find("package.trustees") != nullptr);
    const SigningKey admin = Admin(*m);
    std::vector<TrusteePartials> p;
    for (std::uint32_t j = 1; j <= 3; ++j)
        p.push_back(Partial(*m, audit, j));
    std::optional<std::vector<std::vector<std::uint64_t>>> first;
    for (const auto& who : std::vector<std::vector<std::uint32_t>>{{1, 2}, {1, 3}, {2, 3}, {1, 2, 3}}) {
        std::vector<TrusteePartials> chosen;
        for (auto j : who)
            chosen.push_back(p[j - 1]);
        auto r = CombineTrusteePartials(audit, chosen, admin, TallyInput{8});
        REQUIRE(r.ok());
        const auto totals = Totals(*r, 6, 4);
        CHECK(totals == m->expected);
        Audit check = Verify(*m);
        VerifyResults(check, r->Serialize());
        CHECK(check.report.ok());
        CHECK(check.report.Find("results.combination") != nullptr);
        CHECK(check.report.Find("results.partials") != nullptr);
    }
    const auto one = CombineTrusteePartials(audit, {p[2]}, admin, TallyInput{8});
    CHECK(one.error().code == "tally.too_few_trustees");
    CHECK(CombineTrusteePartials(audit, {p[0], p[0]}, admin, {}).error().code == "partial.binding");
    // The 1-of-1 tally refuses a trustees' election.
    auto lone = ElectionKeyPair::Generate(Group::P256(), SystemRng());
    CHECK(RunTally(audit, lone, admin, {}, SystemRng()).error().code == "tally.key");
}

TEST_CASE("an altered partial, a partial for other boxes or a forged count is refused and named")
{
    auto m = Hold(2);
    Audit audit = Verify(*m);
    const SigningKey admin = Admin(*m);
    const auto p1 = Partial(*m, audit, 1);
    const auto p3 = Partial(*m, audit, 3);

    auto altered = p3;
    altered.partials[5].d += Group::P256().Generator();
    const auto r = CombineTrusteePartials(audit, {p1, altered}, admin, {});
    CHECK(r.error().code == "partial.proof");
    CHECK(r.error().detail.find(kNames[2]) != std::string::npos);
    auto other_boxes = p3;
    other_boxes.box_set[0] ^= 1;
    CHECK(CombineTrusteePartials(audit, {p1, other_boxes}, admin, {}).error().code == "partial.binding");
    auto stranger = p3;
    stranger.trustee = 4;
    CHECK(CombineTrusteePartials(audit, {p1, stranger}, admin, {}).error().code == "partial.binding");

    // The verifier: a results file re-signed by the admin with an altered partial, with a
    // changed count, or with one trustee's partials only.
    auto good = CombineTrusteePartials(audit, {p1, p3}, admin, {});
    REQUIRE(good.ok());
    {
        Results bad = *good;
        bad.partials[1].partials[3].d += Group::P256().Generator();
        Resign(bad, admin);
        Audit a = Verify(*m);
        VerifyResults(a, bad.Serialize());
        CHECK(a.report.Failed("results.partials"));
    }
    {
        Results bad = *good;
        bad.aggregates[7].count += 1;
        Resign(bad, admin);
        Audit a = Verify(*m);
        VerifyResults(a, bad.Serialize());
        CHECK(a.report.Failed("results.combination"));
        CHECK_FALSE(a.report.Failed("results.partials"));
    }
    {
        Results bad = *good;
        bad.partials.pop_back();
        Resign(bad, admin);
        Audit a = Verify(*m);
        VerifyResults(a, bad.Serialize());
        CHECK(a.report.Failed("results.trustees"));
    }
    {
        Results bad = *good;
        bad.partials[0].box_set[3] ^= 1;
        Resign(bad, admin);
        Audit a = Verify(*m);
        VerifyResults(a, bad.Serialize());
        CHECK(a.report.Failed("results.partials"));
    }
}

TEST_CASE("a trustee refuses when used codes exceed those present, or with another election's share")
{
    auto m = Hold(2);
    Audit audit = Verify(*m);
    const auto share = Share(*m, 2);
    const auto refused = RunPartialDecryption(audit, share, {4, 4}, SystemRng());
    CHECK(refused.error().code == "tally.present");
    CHECK(refused.error().detail.find("党员") != std::string::npos);
    CHECK(RunPartialDecryption(audit, share, {6}, SystemRng()).error().code == "tally.present");
    auto preview = PreviewPartial(audit, share);
    REQUIRE(preview.ok());
    CHECK(preview->boxes.size() == 1);
    CHECK(preview->aggregates == preview->groups.size() * 6 * 4);
    CHECK(preview->trustee->name == kNames[1]);
    // A share from another election's ceremony.
    auto other = Hold(2);
    CHECK(RunPartialDecryption(audit, Share(*other, 2), {6, 4}, SystemRng()).error().code == "tally.key");
}

TEST_CASE("a 1-of-1 election's verification says its single key is weaker")
{
    auto created = CreateElection(test::SmallElection(), "admin passphrase", SystemRng(), kFastKdf);
    REQUIRE(created.ok());
    CHECK_FALSE(created->election_key_file.empty());
    Audit a = VerifyElection(created->package.Serialize(), {});
    const auto* line = a.report.Find("package.key_proof");
    REQUIRE(line != nullptr);
    CHECK(line->detail.find("weaker") != std::string::npos);
}

}  // namespace pingyi
