// Hostile files and hostile voters (docs/threat-model.md, "Hostile input"): each crafted input
// is refused with an error or a FAIL line, and nothing crashes. The files under
// tests/data/hostile are made by tests/data/hostile/make_hostile.py against the fixed package
// tests/fuzz/data/package.pyp.
#include <doctest/doctest.h>

#include <fstream>
#include <functional>
#include <iterator>

#include "core/decisions.hpp"
#include "core/file_io.hpp"
#include "core/kiosk_session.hpp"
#include "core/results.hpp"
#include "core/verify.hpp"
#include "test_support.hpp"

namespace pingyi {
namespace {

const std::filesystem::path kHostile = std::filesystem::path(PINGYI_TEST_DATA_DIR) / "hostile";
const std::filesystem::path kPackage =
    std::filesystem::path(PINGYI_TEST_DATA_DIR) / ".." / "fuzz" / "data" / "package.pyp";

using test::FileBytes;
using test::Text;

std::string Nested(std::size_t depth)
{
    return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace

TEST_CASE("hostile JSON: nesting and size are bounded while parsing, before anything recurses")
{
    CHECK(ParseJson(Text(Nested(kMaxJsonDepth))).ok());
    auto deep = ParseJson(Text(Nested(kMaxJsonDepth + 1)));
    REQUIRE_FALSE(deep.ok());
    CHECK(deep.error().code == "json.depth");
    auto very_deep = ParseJson(Text(Nested(200000)));
    REQUIRE_FALSE(very_deep.ok());
    CHECK(very_deep.error().code == "json.depth");
    // Objects count like arrays.
    std::string objects;
    for (int i = 0; i <= kMaxJsonDepth; ++i)
        objects += "{\"a\":";
    objects += "1" + std::string(kMaxJsonDepth + 1, '}');
    CHECK(ParseJson(Text(objects)).error().code == "json.depth");
    auto big = ParseJson(Text("[1,2,3]"), 6);
    REQUIRE_FALSE(big.ok());
    CHECK(big.error().code == "json.size");
    CHECK(ParseJson(Text("{\"a\":")).error().code == "json.syntax");
}

TEST_CASE("hostile JSON: signed bodies refuse unknown members before canonicalising")
{
    CHECK(HasExactly(nlohmann::json{{"a", 1}, {"b", 2}}, {"a", "b"}));
    CHECK_FALSE(HasExactly(nlohmann::json{{"a", 1}, {"c", 2}}, {"a", "b"}));
    CHECK_FALSE(HasExactly(nlohmann::json{{"a", 1}, {"b", 2}, {"c", 3}}, {"a", "b"}));
    CHECK_FALSE(HasExactly(nlohmann::json::array(), {}));

    REQUIRE(LoadPackage(FileBytes(kPackage)).ok());
    for (const char* name : {"package-nested-election.pyp", "package-nested-code.pyp"}) {
        CAPTURE(name);
        auto pkg = LoadPackage(FileBytes(kHostile / name));
        REQUIRE_FALSE(pkg.ok());
        CHECK(pkg.error().code == "package.format");
    }
    // A shallow unknown member too, in the election and in a code entry.
    auto j = nlohmann::json::parse(FileBytes(kPackage));
    auto with_extra = [&](const std::function<void(nlohmann::json&)>& change) {
        auto copy = j;
        change(copy);
        return LoadPackage(Text(copy.dump()));
    };
    CHECK(with_extra([](auto& c) { c["body"]["election"]["extra"] = 1; }).error().code == "election.invalid");
    CHECK(with_extra([](auto& c) { c["body"]["codes"][0]["extra"] = 1; }).error().code == "package.codes");
    CHECK(with_extra([](auto& c) { c["extra"] = 1; }).error().code == "package.format");

    const auto package = LoadPackage(FileBytes(kPackage)).value();
    auto results = ParseResults(FileBytes(kHostile / "results-nested.json"), package);
    REQUIRE_FALSE(results.ok());
    CHECK(results.error().code == "results.format");
    auto decisions = ParseDecisions(Text(Nested(200000)), package);
    REQUIRE_FALSE(decisions.ok());
    CHECK(decisions.error().code == "decisions.format");
    auto def = ElectionFromJson(nlohmann::json{{"title", "x"}});
    REQUIRE_FALSE(def.ok());
}

TEST_CASE("hostile box: a nested event body is a FAIL line, not a crash")
{
    Audit audit = VerifyElection(FileBytes(kPackage), {kHostile / "box-event-nested.sqlite"}, {}, 2);
    // Before ParseJson the verifier canonicalised event 1's body and overflowed the stack.
    CHECK(audit.report.Failed("box.events"));
}

TEST_CASE("hostile ballot: a row or quota sum that is the identity fails its proof, on every thread")
{
    for (const char* name : {"box-identity-row.sqlite", "box-identity-quota.sqlite"}) {
        CAPTURE(name);
        for (unsigned threads : {1u, 2u}) {
            Audit audit = VerifyElection(FileBytes(kPackage), {kHostile / name}, {}, threads);
            REQUIRE(audit.report.Find("ballots.proofs") != nullptr);
            CHECK(audit.report.Failed("ballots.proofs"));
            CHECK(audit.report.Find("ballots.proofs")->detail.find("identity") != std::string::npos);
        }
    }
}

TEST_CASE("hostile box: views, triggers, indexes, extra tables and too many rows are refused")
{
    test::TempDir dir;
    const auto created = CreateElection(test::SmallElection(), "passphrase", SystemRng(), test::kFastKdf).value();
    const auto pkg = LoadPackage(created.package.Serialize()).value();
    const auto honest = dir / "honest.sqlite";
    {
        auto box = BallotBox::Create(honest, pkg, 1, "1234", SystemRng(), test::kFastKdf);
        REQUIRE(box.ok());
        REQUIRE(box->Close());
    }
    REQUIRE(ReadBox(honest).ok());
    const std::pair<const char*, const char*> cases[] = {
        {"ballots as a view",
         "ALTER TABLE ballots RENAME TO b2; CREATE VIEW ballots(hash, body, signature) AS SELECT * FROM b2"},
        {"ballots as a recursive view",
         "DROP TABLE ballots; CREATE VIEW ballots(hash, body, signature) AS WITH RECURSIVE n(i) AS "
         "(SELECT 0 UNION ALL SELECT i + 1 FROM n LIMIT 5) SELECT randomblob(32), x'00', x'' FROM n"},
        {"meta as a view", "ALTER TABLE meta RENAME TO m2; CREATE VIEW meta(key, value) AS SELECT * FROM m2"},
        {"a trigger", "CREATE TRIGGER t AFTER UPDATE ON codes BEGIN DELETE FROM ballots; END"},
        {"an index", "CREATE INDEX i ON ballots(body)"},
        {"ballots with a rowid",
         "DROP TABLE ballots; CREATE TABLE ballots(hash BLOB PRIMARY KEY, body BLOB NOT NULL, signature BLOB NOT "
         "NULL)"},
        {"an extra table", "CREATE TABLE extra(x)"},
        {"another column", "ALTER TABLE events ADD COLUMN x"},
        // The box's 10 codes allow at most 2·10 + 16 = 36 codes and ballots.
        {"more codes than the package allows",
         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 27) "
         "INSERT INTO codes(hash, category, used) SELECT randomblob(32), 0, 0 FROM n"},
        {"more ballots than the codes allow",
         "WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n LIMIT 37) "
         "INSERT INTO ballots SELECT randomblob(32), x'00', x'' FROM n"},
    };
    int n = 0;
    for (const auto& [what, sql] : cases) {
        CAPTURE(what);
        const auto path = dir / ("hostile" + std::to_string(n++) + ".sqlite");
        std::filesystem::copy_file(honest, path);
        test::Sql(path, sql);
        auto box = ReadBox(path);
        REQUIRE_FALSE(box.ok());
        CHECK(box.error().code == "box.format");
        CHECK_FALSE(BallotBox::Resume(path, "1234").ok());
    }
}

TEST_CASE("hostile disk: a box that cannot be read is a status, never an exception from CheckCode, Counts or Cast")
{
    test::TempDir dir;
    const auto created = CreateElection(test::SmallElection(), "passphrase", SystemRng(), test::kFastKdf).value();
    const auto pkg = LoadPackage(created.package.Serialize()).value();
    auto box = BallotBox::Create(dir / "box.sqlite", pkg, 1, "1234", SystemRng(), test::kFastKdf);
    REQUIRE(box.ok());
    const std::string code = *NormalizeCode(created.codes[0].code);
    test::Sql(dir / "box.sqlite", "DROP TABLE codes");
    CodeStatus status;
    REQUIRE_NOTHROW(status = box->CheckCode(code));
    CHECK(status.kind == CodeStatus::Kind::Error);
    REQUIRE_NOTHROW((void)box->Counts());
    ManualClock clock;
    KioskSession session(*box, clock, SystemRng());
    Status s;
    REQUIRE_NOTHROW(s = session.EnterCode(created.codes[0].code));
    CHECK(s.error().code == "box.io");
    const auto grid =
        EncryptGrid(pkg.public_key, pkg.Shape(), std::vector<std::uint32_t>(6, 1), pkg.BallotContext(0), SystemRng());
    Result<CastReceipt> cast = MakeError("test", "not cast");
    REQUIRE_NOTHROW(cast = box->Cast(code, grid));
    CHECK(cast.error().code == "box.io");
}

TEST_CASE("the code hash is the transcript hash of docs/formats.md §3, from a buffer that is wiped")
{
    const Bytes salt = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    const std::string code = "K7QM3XHP9TRWC4NA";
    CHECK(HashCode(SuiteId::P256_SHA256, salt, code) == Transcript("pingyi/v1/code").Add(salt).Add(code).Hash());
}

}  // namespace pingyi
