// verify and tally: a real election with two kiosks, then a tamper matrix — each
// alteration of a box, a package or a results file is caught by the check it breaks.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <fstream>

#include "core/tally.hpp"
#include "test_support.hpp"

namespace pingyi {
namespace {

using test::Sql;
using test::TempDir;

struct Meeting {
    TempDir dir;
    CreatedElection created;
    ElectionPackage pkg;
    std::vector<std::filesystem::path> boxes;
    // Plaintext tally kept by the test only: [category][member][option].
    std::vector<std::vector<std::vector<std::uint64_t>>> expected;
};

// 6 members; 党员 (6 codes) and 群众代表 (4 codes); two kiosks. `votes` ballots per
// category, alternating kiosks.
std::unique_ptr<Meeting> Hold(std::vector<std::uint32_t> votes, bool close = true)
{
    auto m = std::make_unique<Meeting>();
    auto def = test::SmallElection(6, 2);
    auto created = test::CreateTestElection(def, "correct horse", SystemRng());
    REQUIRE(created.ok());
    m->created = std::move(created).value();
    m->pkg = LoadPackage(m->created.package.Serialize()).value();
    m->expected.assign(2, std::vector<std::vector<std::uint64_t>>(6, std::vector<std::uint64_t>(4, 0)));
    std::vector<BallotBox> boxes;
    for (std::uint32_t k = 1; k <= 2; ++k) {
        m->boxes.push_back(m->dir / ("kiosk" + std::to_string(k) + ".sqlite"));
        auto box = BallotBox::Create(m->boxes.back(), m->pkg, k, "1234", SystemRng(), test::kFastKdf);
        REQUIRE(box.ok());
        boxes.push_back(std::move(box).value());
    }
    std::uint32_t serial = 0;
    for (std::uint32_t cat = 0; cat < votes.size(); ++cat) {
        std::uint32_t cast = 0;
        for (const auto& code : m->created.codes) {
            if (code.category != cat || cast == votes[cat]) continue;
            std::vector<std::uint32_t> choices(6);
            for (std::uint32_t i = 0; i < 6; ++i)
                choices[i] = (i + serial) % 4 == 0 && i < 2 ? 0 : 1 + (i * 7 + serial) % 3;
            ++serial;
            for (std::uint32_t i = 0; i < 6; ++i)
                ++m->expected[cat][i][choices[i]];
            auto grid = EncryptGrid(m->pkg.public_key, m->pkg.Shape(), choices, m->pkg.BallotContext(cat), SystemRng());
            REQUIRE(boxes[code.kiosk - 1].Cast(*NormalizeCode(code.code), grid).ok());
            ++cast;
        }
        REQUIRE(cast == votes[cat]);
    }
    if (close)
        for (auto& b : boxes)
            REQUIRE(b.Close().ok());
    return m;
}

Result<Results> Tally(const Meeting& m, const Audit& audit, std::optional<std::uint32_t> present = {})
{
    auto key = OpenElectionKey(m.created.election_key_file, "correct horse");
    auto admin = OpenSigningKey(m.created.admin_key_file, "correct horse");
    REQUIRE(key.ok());
    REQUIRE(admin.ok());
    return RunTally(audit, *key, *admin, TallyInput{present}, SystemRng());
}

std::string HexLit(ByteView b)
{
    return "X'" + ToHex(b) + "'";
}

std::filesystem::path CopyOf(const Meeting& m, std::size_t box, const std::string& name)
{
    const auto to = m.dir / name;
    std::filesystem::copy_file(m.boxes[box], to);
    return to;
}

Audit VerifyWith(const Meeting& m, const std::filesystem::path& replaced_box0)
{
    return VerifyElection(m.pkg.Serialize(), {replaced_box0, m.boxes[1]});
}

std::string FailedIds(const Audit& a)
{
    std::string s;
    for (const auto& l : a.report.lines)
        if (!l.ok) s += l.id + " ";
    return s;
}

}  // namespace

SUITE_CASE("verify: an honest election passes every check and the tally equals the votes cast")
{
    const test::UseSuite use(SuiteT::kId);
    auto m = Hold({5, 3});
    Audit audit = VerifyElection(m->pkg.Serialize(), m->boxes);
    INFO(FailedIds(audit));
    REQUIRE(audit.report.ok());
    auto results = Tally(*m, audit, 8);
    REQUIRE(results.ok());
    REQUIRE(results->groups.size() == 2);
    for (const auto& a : results->aggregates) {
        const std::uint32_t cat = results->groups[a.group].categories.at(0);
        CHECK(a.count == m->expected[cat][a.member][a.option]);
    }
    CHECK(results->attendance[0].issued == 6);
    CHECK(results->attendance[0].used == 5);
    CHECK(results->attendance[1].used == 3);
    CHECK(results->present == std::optional<std::uint32_t>(8));
    // The results file verifies against the boxes.
    VerifyResults(audit, results->Serialize());
    INFO(FailedIds(audit));
    CHECK(audit.report.ok());
    CHECK(audit.report.Find("results.decryption") != nullptr);
}

TEST_CASE("tally: a category below the minimum group size is merged, never decrypted alone")
{
    auto m = Hold({5, 2});  // 群众代表: 2 ballots < k = 3
    Audit audit = VerifyElection(m->pkg.Serialize(), m->boxes);
    REQUIRE(audit.report.ok());
    auto results = Tally(*m, audit);
    REQUIRE(results.ok());
    REQUIRE(results->groups.size() == 1);
    CHECK(results->groups[0].categories == std::vector<std::uint32_t>{0, 1});
    CHECK(results->groups[0].ballots == 7);
    REQUIRE(results->notes.size() == 1);
    CHECK(results->notes[0].find("群众代表") != std::string::npos);
    for (const auto& a : results->aggregates)
        CHECK(a.count == m->expected[0][a.member][a.option] + m->expected[1][a.member][a.option]);
    // Fewer than k ballots in all: nothing is decrypted.
    auto tiny = Hold({2, 0});
    Audit tiny_audit = VerifyElection(tiny->pkg.Serialize(), tiny->boxes);
    REQUIRE(tiny_audit.report.ok());
    auto refused = Tally(*tiny, tiny_audit);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "tally.too_few");
}

TEST_CASE("tally: weights give the weighted percentages and the suggested grade")
{
    auto m = Hold({4, 4});
    Audit audit = VerifyElection(m->pkg.Serialize(), m->boxes);
    REQUIRE(audit.report.ok());
    auto results = Tally(*m, audit);
    REQUIRE(results.ok());
    const auto summary = Summarize(m->pkg.definition, *results);
    for (std::uint32_t i = 0; i < 6; ++i)
        for (std::uint32_t o = 0; o < 4; ++o) {
            // Weights 70 (党员) and 30 (群众代表), 4 ballots each.
            const double expected = (70.0 * 100.0 * static_cast<double>(m->expected[0][i][o]) / 4 +
                                     30.0 * 100.0 * static_cast<double>(m->expected[1][i][o]) / 4) /
                                    100.0;
            CHECK(summary[i].weighted_percent[o] == doctest::Approx(expected));
            CHECK(summary[i].total[o] == m->expected[0][i][o] + m->expected[1][i][o]);
        }
}

SUITE_CASE("tally: refuses a box that fails verification or is still open")
{
    const test::UseSuite use(SuiteT::kId);
    auto m = Hold({4, 3});
    const auto bad = CopyOf(*m, 0, "bad.sqlite");
    Sql(bad, "DELETE FROM ballots WHERE hash = (SELECT min(hash) FROM ballots)");
    Audit audit = VerifyWith(*m, bad);
    CHECK_FALSE(audit.report.ok());
    auto refused = Tally(*m, audit);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "tally.verify");

    auto open = Hold({4, 3}, /*close=*/false);
    Audit open_audit = VerifyElection(open->pkg.Serialize(), open->boxes);
    CHECK(open_audit.report.ok());  // verified as far as it goes …
    CHECK(open_audit.report.any_open());
    auto open_refused = Tally(*open, open_audit);  // … but never tallied
    REQUIRE_FALSE(open_refused.ok());
    CHECK(open_refused.error().code == "tally.open_box");
}

SUITE_CASE("verify: the tamper matrix — every alteration fails the check that names it")
{
    const test::UseSuite use(SuiteT::kId);
    auto m = Hold({5, 3});
    const auto box = ReadBox(m->boxes[0]).value();
    const auto& ballots = box.ballots;  // in hash order
    REQUIRE(ballots.size() >= 3);
    REQUIRE(box.close.has_value());
    const auto where = [&](std::size_t i) { return " WHERE hash = " + HexLit(ballots[i].hash); };

    SUBCASE("delete a ballot")
    {
        const auto p = CopyOf(*m, 0, "t.sqlite");
        Sql(p, "DELETE FROM ballots" + where(1));
        const Audit a = VerifyWith(*m, p);
        CHECK(a.report.Failed("box.state"));
        CHECK(a.report.Failed("box.close"));
        CHECK(a.report.Failed("box.codes"));
    }
    SUBCASE("insert a copy of a ballot under another key")
    {
        const auto p = CopyOf(*m, 0, "t.sqlite");
        const auto& r = ballots[0];
        Sql(p, "INSERT INTO ballots VALUES(" + HexLit(Sha256(r.hash)) + ", " + HexLit(r.body) + ", " +
                   HexLit(r.signature) + ")");
        const Audit a = VerifyWith(*m, p);
        CHECK(a.report.Failed("ballots.unique"));
        CHECK(a.report.Failed("box.ballots"));
        CHECK(a.report.Failed("box.state"));
    }
    SUBCASE("change one byte of a ciphertext")
    {
        const auto p = CopyOf(*m, 0, "t.sqlite");
        Bytes body = ballots[1].body;
        body[4 + 66 * 3 + 20] ^= 0x01;  // inside B of the fourth cell
        Sql(p, "UPDATE ballots SET body = " + HexLit(body) + where(1));
        const Audit a = VerifyWith(*m, p);
        CHECK(a.report.Failed("box.ballots"));
        CHECK(a.report.Failed("ballots.proofs"));
    }
    SUBCASE("swap the proofs of two ballots")
    {
        const auto p = CopyOf(*m, 0, "t.sqlite");
        Bytes a_body = ballots[0].body, b_body = ballots[1].body;
        const std::size_t proofs_at = 4 + 24 * kCiphertextSize;
        std::swap_ranges(a_body.begin() + static_cast<std::ptrdiff_t>(proofs_at), a_body.end(),
                         b_body.begin() + static_cast<std::ptrdiff_t>(proofs_at));
        Sql(p, "UPDATE ballots SET body = " + HexLit(a_body) + where(0) +
                   "; UPDATE ballots SET body = " + HexLit(b_body) + where(1));
        const Audit a = VerifyWith(*m, p);
        CHECK(a.report.Failed("ballots.proofs"));
    }
    SUBCASE("swap the bodies of two ballots (each under the other's key)")
    {
        const auto p = CopyOf(*m, 0, "t.sqlite");
        Sql(p, "UPDATE ballots SET body = " + HexLit(ballots[1].body) + where(0) +
                   "; UPDATE ballots SET body = " + HexLit(ballots[0].body) + where(1));
        const Audit a = VerifyWith(*m, p);
        CHECK(a.report.Failed("box.ballots"));
    }
    SUBCASE("remove the close seal and the last ballots")
    {
        const auto p = CopyOf(*m, 0, "t.sqlite");
        Sql(p, "DELETE FROM seals WHERE kind = 'close'; DELETE FROM ballots WHERE hash >= " +
                   HexLit(ballots[ballots.size() - 2].hash));
        const Audit a = VerifyWith(*m, p);
        CHECK(a.report.any_open());            // no close seal left …
        CHECK(a.report.Failed("box.events"));  // … but the log says the poll was closed
        CHECK(a.report.Failed("box.state"));
        CHECK(a.report.Failed("box.codes"));
    }
    SUBCASE("alter the close seal")
    {
        const auto p = CopyOf(*m, 0, "t.sqlite");
        std::string body(box.close->body.begin(), box.close->body.end());
        const auto pos = body.find("\"ballots\":");
        REQUIRE(pos != std::string::npos);
        body[pos + 10] = body[pos + 10] == '9' ? '8' : static_cast<char>(body[pos + 10] + 1);
        Sql(p, "UPDATE seals SET body = " + HexLit(AsBytes(body)) + " WHERE kind = 'close'");
        const Audit a = VerifyWith(*m, p);
        CHECK(a.report.Failed("box.close"));
        CHECK(a.report.Failed("box.signatures"));
    }
    SUBCASE("a ballot from another election")
    {
        auto other = Hold({1, 0});
        std::optional<BallotRow> foreign;
        for (const auto& path : other->boxes) {
            const BoxContents contents = ReadBox(path).value();
            if (!contents.ballots.empty() && !foreign) foreign = contents.ballots[0];
        }
        REQUIRE(foreign.has_value());
        const auto p = CopyOf(*m, 0, "t.sqlite");
        Sql(p, "UPDATE ballots SET body = " + HexLit(foreign->body) + where(0));
        const Audit a = VerifyWith(*m, p);
        CHECK(a.report.Failed("ballots.proofs"));
    }
    SUBCASE("a box re-signed by an unknown kiosk key is not the box the results came from")
    {
        Audit honest = VerifyElection(m->pkg.Serialize(), m->boxes);
        REQUIRE(honest.report.ok());
        auto results = Tally(*m, honest);
        REQUIRE(results.ok());
        // The forger makes a new device key and re-signs every ballot and seal, consistently.
        const auto p = CopyOf(*m, 0, "t.sqlite");
        const SigningKey forger = SigningKey::Generate(SystemRng(), m->pkg.suite());
        std::string sql =
            "UPDATE meta SET value = " + HexLit(forger.public_key()) + " WHERE key = 'device_public_key';";
        for (const auto& r : ballots)
            sql += "UPDATE ballots SET signature = " + HexLit(forger.Sign(BallotSigningMessage(r.hash))) +
                   " WHERE hash = " + HexLit(r.hash) + ";";
        const auto reseal = [&](SealKind kind, Bytes body) {
            if (kind == SealKind::Open) {
                auto j = nlohmann::json::parse(body.begin(), body.end());
                j["device_public_key"] = ToHex(forger.public_key());
                const std::string t = Canonical(j);
                body.assign(t.begin(), t.end());
            }
            const Bytes sig =
                forger.Sign(SealSigningMessage(SealHash(m->pkg.suite(), m->pkg.fingerprint, box.kiosk, kind, body)));
            sql += "UPDATE seals SET body = " + HexLit(body) + ", signature = " + HexLit(sig) + " WHERE kind = '" +
                   std::string(SealKindName(kind)) + "';";
        };
        reseal(SealKind::Open, box.open->body);
        reseal(SealKind::State, box.state->body);
        reseal(SealKind::Close, box.close->body);
        Sql(p, sql);
        Audit a = VerifyWith(*m, p);
        INFO(FailedIds(a));
        CHECK_FALSE(a.report.Failed("box.signatures"));  // internally consistent …
        VerifyResults(a, results->Serialize());
        CHECK(a.report.Failed("results.boxes"));  // … but not the box that was tallied
    }
    SUBCASE("results with one count changed, or a decryption proof altered")
    {
        Audit honest = VerifyElection(m->pkg.Serialize(), m->boxes);
        auto results = Tally(*m, honest);
        REQUIRE(results.ok());
        Results changed = *results;
        changed.aggregates[5].count += 1;
        Audit a1 = VerifyElection(m->pkg.Serialize(), m->boxes);
        VerifyResults(a1, changed.Serialize());
        CHECK(a1.report.Failed("results.signature"));
        // Even the admin, re-signing, cannot publish a wrong count or a bad proof.
        auto admin = OpenSigningKey(m->created.admin_key_file, "correct horse").value();
        changed.signature = admin.Sign(ResultsSigningMessage(Canonical(changed.Body())));
        Audit a2 = VerifyElection(m->pkg.Serialize(), m->boxes);
        VerifyResults(a2, changed.Serialize());
        CHECK_FALSE(a2.report.Failed("results.signature"));
        CHECK(a2.report.Failed("results.decryption"));
        Results bad_proof = *results;
        bad_proof.aggregates[2].proof->v += Scalar(m->pkg.group(), 1);
        bad_proof.signature = admin.Sign(ResultsSigningMessage(Canonical(bad_proof.Body())));
        Audit a3 = VerifyElection(m->pkg.Serialize(), m->boxes);
        VerifyResults(a3, bad_proof.Serialize());
        CHECK(a3.report.Failed("results.decryption"));
        // Results that decrypt a group below the minimum size are flagged.
        Results small = *results;
        small.groups[1].ballots = 2;
        small.signature = admin.Sign(ResultsSigningMessage(Canonical(small.Body())));
        Audit a4 = VerifyElection(m->pkg.Serialize(), m->boxes);
        VerifyResults(a4, small.Serialize());
        CHECK(a4.report.Failed("results.groups"));
        CHECK(a4.report.Failed("results.min_group"));
    }
    SUBCASE("a package with its public key replaced")
    {
        auto other = Hold({1, 0});
        std::string text;
        {
            const Bytes b = m->pkg.Serialize();
            text.assign(b.begin(), b.end());
        }
        const std::string from = ToHex(m->pkg.public_key.Encode()), to = ToHex(other->pkg.public_key.Encode());
        text.replace(text.find(from), from.size(), to);
        const Audit a = VerifyElection(AsBytes(text), m->boxes);
        CHECK_FALSE(a.report.ok());
        CHECK((a.report.Failed("package.signature") || a.report.Failed("package.key_proof")));
    }
    SUBCASE("a missing kiosk box")
    {
        const Audit a = VerifyElection(m->pkg.Serialize(), {m->boxes[1]});
        CHECK(a.report.Failed("boxes.complete"));
        CHECK_FALSE(Tally(*m, a).ok());
    }
    SUBCASE("a box of another election")
    {
        auto other = Hold({1, 1});
        const Audit a = VerifyElection(m->pkg.Serialize(), {other->boxes[0], m->boxes[1]});
        CHECK(a.report.Failed("box.package"));
        CHECK(a.report.Failed("box.ballots"));
    }
}

SUITE_CASE("verify: garbage files are refused with a clear line, not a crash")
{
    const test::UseSuite use(SuiteT::kId);
    auto m = Hold({3, 0});
    std::ofstream(m->dir / "junk.sqlite") << "junk junk junk junk junk junk junk junk junk junk junk junk junk junk";
    const Audit a = VerifyElection(m->pkg.Serialize(), {m->dir / "junk.sqlite"});
    CHECK(a.report.Failed("box.read"));
    const Audit b = VerifyElection(AsBytes("{}"), m->boxes);
    CHECK(b.report.Failed("package.format"));
    Audit c = VerifyElection(m->pkg.Serialize(), m->boxes);
    VerifyResults(c, AsBytes("not json"));
    CHECK(c.report.Failed("results.format"));
}

TEST_CASE("verify: a box, a results file or a key file of the other suite is refused, naming the suites")
{
    std::unique_ptr<Meeting> p256, sm2;
    {
        const test::UseSuite use(SuiteId::P256_SHA256);
        p256 = Hold({3, 0});
    }
    {
        const test::UseSuite use(SuiteId::SM2_SM3);
        sm2 = Hold({3, 0});
    }
    REQUIRE(p256->pkg.suite() == SuiteId::P256_SHA256);
    REQUIRE(sm2->pkg.suite() == SuiteId::SM2_SM3);
    for (const auto& pair : {std::array{p256.get(), sm2.get()}, std::array{sm2.get(), p256.get()}}) {
        const Meeting& own = *pair[0];
        const Meeting& other = *pair[1];
        CAPTURE(SuiteName(own.pkg.suite()));
        // A box of the other suite: refused as it is read, before any of its bytes is trusted.
        const Audit a = VerifyElection(own.pkg.Serialize(), {other.boxes[0], own.boxes[1]});
        CHECK(a.report.Failed("box.read"));
        const auto* line = a.report.Find("box.read");
        REQUIRE(line != nullptr);
        CHECK(line->detail.find("suite") != std::string::npos);
        CHECK(line->detail.find(std::string(SuiteName(other.pkg.suite()))) != std::string::npos);
        // A results file of the other suite.
        Audit honest_other = VerifyElection(other.pkg.Serialize(), other.boxes);
        REQUIRE(honest_other.report.ok());
        const auto other_results = Tally(other, honest_other);
        REQUIRE(other_results.ok());
        Audit b = VerifyElection(own.pkg.Serialize(), own.boxes);
        REQUIRE(b.report.ok());
        VerifyResults(b, other_results->Serialize());
        CHECK(b.report.Failed("results.format"));
        CHECK(ParseResults(other_results->Serialize(), own.pkg).error().code == "suite.mismatch");
        // Key files of the other suite: the tally refuses them before decrypting anything.
        const Audit clean = VerifyElection(own.pkg.Serialize(), own.boxes);
        REQUIRE(clean.report.ok());
        auto key = OpenElectionKey(other.created.election_key_file, "correct horse").value();
        auto admin = OpenSigningKey(other.created.admin_key_file, "correct horse").value();
        auto own_admin = OpenSigningKey(own.created.admin_key_file, "correct horse").value();
        const auto refused = RunTally(clean, key, own_admin, TallyInput{}, SystemRng());
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == "suite.mismatch");
        auto own_key = OpenElectionKey(own.created.election_key_file, "correct horse").value();
        const auto refused_admin = RunTally(clean, own_key, admin, TallyInput{}, SystemRng());
        REQUIRE_FALSE(refused_admin.ok());
        CHECK(refused_admin.error().code == "suite.mismatch");
    }
}

SUITE_CASE("verify: an SM2-SM3 election is SM2-SM3 throughout: keys, signatures, hashes")
{
    const test::UseSuite use(SuiteT::kId);
    auto m = Hold({3, 0});
    const SuiteId suite = SuiteT::kId;
    CHECK(m->pkg.suite() == suite);
    CHECK(m->pkg.admin_public_key.size() == SigningPublicKeySize(suite));
    const std::string text = [&] {
        const Bytes b = m->pkg.Serialize();
        return std::string(b.begin(), b.end());
    }();
    CHECK(text.find("\"suite\": \"" + std::string(SuiteName(suite)) + "\"") != std::string::npos);
    const BoxContents box = ReadBox(m->boxes[0]).value();
    CHECK(box.device_public_key.size() == SigningPublicKeySize(suite));
    REQUIRE_FALSE(box.ballots.empty());
    CHECK(VerifySignature(suite, box.device_public_key, BallotSigningMessage(box.ballots[0].hash),
                          box.ballots[0].signature)
              .ok());
    CHECK(BallotHash(suite, m->pkg.fingerprint, box.kiosk, box.ballots[0].body) == box.ballots[0].hash);
    const SuiteId other = suite == SuiteId::P256_SHA256 ? SuiteId::SM2_SM3 : SuiteId::P256_SHA256;
    CHECK(BallotHash(other, m->pkg.fingerprint, box.kiosk, box.ballots[0].body) != box.ballots[0].hash);
    CHECK(OpenElectionKey(m->created.election_key_file, "correct horse")->public_key().group().id() == suite);
    CHECK(OpenSigningKey(m->created.admin_key_file, "correct horse")->suite() == suite);
    Audit audit = VerifyElection(m->pkg.Serialize(), m->boxes);
    REQUIRE(audit.report.ok());
    const auto results = Tally(*m, audit);
    REQUIRE(results.ok());
    const Bytes file = results->Serialize();
    const bool names_suite = std::string(file.begin(), file.end()).find("\"suite\"") != std::string::npos;
    CHECK(names_suite == (suite != SuiteId::P256_SHA256));  // P-256 results are as before
    VerifyResults(audit, file);
    INFO(FailedIds(audit));
    CHECK(audit.report.ok());
}

}  // namespace pingyi
