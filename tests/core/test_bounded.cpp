// Bounded, strictly typed reading of every input (docs/formats.md §0 "Integers", §0.1; the
// threat model's "Hostile input"): integers are checked before they are converted, files are
// read only if they are regular files within their kind's limit, and a foreign SQLite file is
// "not a Pingyi ballot box" in words.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <future>
#include <iterator>

#ifndef _WIN32
#include <sys/stat.h>
#include <sys/types.h>
#endif

#include "core/decisions.hpp"
#include "core/file_io.hpp"
#include "core/messages.hpp"
#include "core/results.hpp"
#include "core/roster.hpp"
#include "core/verify.hpp"
#include "test_support.hpp"

namespace pingyi {
namespace {

const std::filesystem::path kFuzzData = std::filesystem::path(PINGYI_TEST_DATA_DIR) / ".." / "fuzz";

using test::FileBytes;
using test::Text;

// The detail names what is wrong in words: never the JSON library's own text.
void CheckWords(const Error& e)
{
    CAPTURE(e.detail);
    CHECK(e.detail.find("json.exception") == std::string::npos);
    CHECK(e.detail.find("[json") == std::string::npos);
}

// The election of ToJson(SmallElection()) with `change` applied, read back.
Result<ElectionDefinition> ElectionWith(const std::function<void(nlohmann::json&)>& change)
{
    nlohmann::json j = ToJson(test::SmallElection());
    change(j);
    return ElectionFromJson(j);
}

// "ok", or "<code>: <detail>".
template <class T>
std::string Outcome(const Result<T>& r)
{
    return r.ok() ? std::string("ok") : r.error().code + ": " + r.error().detail;
}

#ifndef _WIN32
// Runs `read` on a thread and waits at most 10 s: a reader that blocks on a pipe fails the
// test instead of hanging the suite (FIFOs: POSIX only).
std::string WithinSeconds(const std::function<std::string()>& read)
{
    auto future = std::async(std::launch::async, read);
    REQUIRE(future.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    return future.get();
}
#endif

void WriteBytes(const std::filesystem::path& p, const std::string& text)
{
    std::ofstream out(p, std::ios::binary);
    out << text;
}

}  // namespace

TEST_CASE("IntegerValue: a JSON integer within the type's range, tested before any conversion")
{
    using J = nlohmann::json;
    CHECK(IntegerValue<std::uint32_t>(J(5)) == 5u);
    CHECK(IntegerValue<std::uint32_t>(J(0)) == 0u);
    CHECK(IntegerValue<std::uint32_t>(J(4294967295ull)) == 4294967295u);
    CHECK_FALSE(IntegerValue<std::uint32_t>(J(4294967296ull)));
    CHECK_FALSE(IntegerValue<std::uint32_t>(J(-1)));
    CHECK_FALSE(IntegerValue<std::uint32_t>(J::parse("1.11111e+38")));
    CHECK_FALSE(IntegerValue<std::uint32_t>(J::parse("2.0")));
    CHECK_FALSE(IntegerValue<std::uint32_t>(J::parse("1e3")));
    CHECK_FALSE(IntegerValue<std::uint32_t>(J(true)));
    CHECK_FALSE(IntegerValue<std::uint32_t>(J(false)));
    CHECK_FALSE(IntegerValue<std::uint32_t>(J("5")));
    CHECK_FALSE(IntegerValue<std::uint32_t>(J(nullptr)));
    CHECK_FALSE(IntegerValue<std::uint32_t>(J::array({1})));
    CHECK(IntegerValue<int>(J(-1)) == -1);
    CHECK_FALSE(IntegerValue<int>(J(2147483648ull)));
    CHECK(IntegerValue<std::uint64_t>(J(18446744073709551615ull)) == 18446744073709551615ull);
    CHECK_FALSE(IntegerValue<std::uint64_t>(J(-1)));
    // 2^64 does not fit nlohmann's integers: it parses as a float, and is refused.
    CHECK_FALSE(IntegerValue<std::uint64_t>(J::parse("18446744073709551616")));
    CHECK_FALSE(IntegerValue<std::size_t>(J(-3)));

    bool threw = false;
    try {
        (void)IntegerAt<std::uint32_t>(J{{"kiosks", 1.5}}, "kiosks");
    } catch (const JsonValueError& e) {
        threw = true;
        CHECK(e.what ==
              "\"kiosks\" must be a whole number from 0 to 4294967295, not a number with a fraction or exponent");
    }
    CHECK(threw);
    CHECK_THROWS_AS((void)IntegerAt<std::uint32_t>(J{{"a", 1}}, "kiosks"), JsonValueError);
    CHECK_THROWS_AS((void)IntegerAt<std::uint32_t>(J::array(), "kiosks"), JsonValueError);
    CHECK(IntegersOf<std::uint32_t>(J::array({1, 2}), "x") == std::vector<std::uint32_t>{1, 2});
    CHECK_THROWS_AS((void)IntegersOf<std::uint32_t>(J::array({1, -2}), "x"), JsonValueError);
}

TEST_CASE("the election definition: a float, a boolean, a negative or a huge number is refused by name")
{
    REQUIRE(ElectionWith([](auto&) {}).ok());
    // Each of these was accepted (2.0, true -> 1) or converted with undefined behaviour
    // (1.11111e+38) before the checked accessor.
    const std::pair<const char*, nlohmann::json> bad[] = {
        {"kiosks", nlohmann::json::parse("1.11111e+38")},
        {"kiosks", nlohmann::json::parse("1.0")},
        {"kiosks", true},
        {"kiosks", -1},
        {"kiosks", "1"},
        {"min_group_size", nlohmann::json::parse("2.0")},
        {"default_grade", false},
    };
    for (const auto& [member, value] : bad) {
        CAPTURE(member);
        CAPTURE(value.dump());
        auto def = ElectionWith([&](auto& j) { j[member] = value; });
        REQUIRE_FALSE(def.ok());
        CHECK(def.error().code == "election.invalid");
        CHECK(def.error().detail.find(std::string("\"") + member + "\" must be a whole number") != std::string::npos);
        CheckWords(def.error());
    }
    auto quota = ElectionWith([](auto& j) { j["quota"]["max"] = true; });
    REQUIRE_FALSE(quota.ok());
    CHECK(quota.error().detail.find("\"max\" must be a whole number") != std::string::npos);
    auto codes = ElectionWith([](auto& j) { j["categories"][0]["codes"] = nlohmann::json::parse("6.0"); });
    REQUIRE_FALSE(codes.ok());
    CHECK(codes.error().detail.find("\"codes\" must be a whole number") != std::string::npos);
    auto rule = ElectionWith([](auto& j) { j["grade_rules"][0]["min_percent"] = -5; });
    REQUIRE_FALSE(rule.ok());
    CHECK(rule.error().detail.find("\"min_percent\" must be a whole number") != std::string::npos);
    // A member of another type or a missing one: in words, not the library's text.
    auto title = ElectionWith([](auto& j) { j["title"] = 5; });
    REQUIRE_FALSE(title.ok());
    CHECK(title.error().detail.find("must be a string, not a number") != std::string::npos);
    CheckWords(title.error());
}

TEST_CASE("the package, results and decisions read every integer through the checked accessor")
{
    const Bytes package_file = FileBytes(kFuzzData / "data" / "package.pyp");
    const auto package = LoadPackage(package_file).value();
    const auto pkg_json = nlohmann::json::parse(package_file);
    auto load = [&](const std::function<void(nlohmann::json&)>& change) {
        auto copy = pkg_json;
        change(copy);
        return LoadPackage(Text(copy.dump()));
    };
    // The fuzzer's finding: kiosks 1.11111e+38 in the package's election.
    auto kiosks = load([](auto& j) { j["body"]["election"]["kiosks"] = nlohmann::json::parse("1.11111e+38"); });
    REQUIRE_FALSE(kiosks.ok());
    CHECK(kiosks.error().detail.find("\"kiosks\" must be a whole number") != std::string::npos);
    auto kiosk = load([](auto& j) { j["body"]["codes"][0]["kiosk"] = nlohmann::json::parse("1e0"); });
    REQUIRE_FALSE(kiosk.ok());
    CHECK(kiosk.error().code == "package.format");
    CHECK(kiosk.error().detail.find("\"kiosk\" must be a whole number") != std::string::npos);
    auto version = load([](auto& j) { j["body"]["version"] = true; });
    REQUIRE_FALSE(version.ok());
    CHECK(version.error().detail.find("\"version\" must be a whole number") != std::string::npos);
    auto suite = load([](auto& j) { j["body"]["suite"] = 7; });
    REQUIRE_FALSE(suite.ok());
    CheckWords(suite.error());

    const Bytes results_file = FileBytes(kFuzzData / "corpus" / "results" / "demo.json");
    REQUIRE(ParseResults(results_file, package).ok());
    const auto res_json = nlohmann::json::parse(results_file);
    auto results = [&](const std::function<void(nlohmann::json&)>& change) {
        auto copy = res_json;
        change(copy);
        return ParseResults(Text(copy.dump()), package);
    };
    const std::pair<const char*, std::function<void(nlohmann::json&)>> bad_results[] = {
        {"\"ballots\"", [](auto& j) { j["body"]["boxes"][0]["ballots"] = -1; }},
        {"\"count\"", [](auto& j) { j["body"]["aggregates"][0]["count"] = nlohmann::json::parse("1.5"); }},
        {"\"issued\"", [](auto& j) { j["body"]["attendance"][0]["issued"] = true; }},
        {"\"categories\"", [](auto& j) { j["body"]["groups"][0]["categories"][0] = -1; }},
        {"\"present\"", [](auto& j) { j["body"]["present"] = nlohmann::json::parse("3.5"); }},
    };
    for (const auto& [member, change] : bad_results) {
        CAPTURE(member);
        auto r = results(change);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "results.format");
        CHECK(r.error().detail.find(std::string(member)) != std::string::npos);
        CheckWords(r.error());
    }
    auto missing = results([](auto& j) { j["body"]["boxes"][0].erase("kiosk"); });
    REQUIRE_FALSE(missing.ok());
    CheckWords(missing.error());

    std::vector<FinalDecision> decisions(package.definition.roster.size());
    const auto dec_json = nlohmann::json::parse(SerializeDecisions(package, decisions));
    REQUIRE(ParseDecisions(Text(dec_json.dump()), package).ok());
    for (const nlohmann::json& grade : {nlohmann::json(true), nlohmann::json::parse("1.0"), nlohmann::json(-1)}) {
        CAPTURE(grade.dump());
        auto copy = dec_json;
        copy["decisions"][0]["grade"] = grade;  // `true` was grade 1
        auto d = ParseDecisions(Text(copy.dump()), package);
        REQUIRE_FALSE(d.ok());
        CHECK(d.error().detail.find("\"grade\" must be a whole number") != std::string::npos);
    }
    auto member = dec_json;
    member["decisions"][1]["member"] = nlohmann::json::parse("1.0");  // was member 1
    CHECK_FALSE(ParseDecisions(Text(member.dump()), package).ok());
    auto syntax = ParseDecisions(Text("{\"format\": }"), package);
    REQUIRE_FALSE(syntax.ok());
    CheckWords(syntax.error());
    CHECK(syntax.error().detail.find("byte 12") != std::string::npos);
}

TEST_CASE("files are read only if they are regular files within their kind's limit")
{
    test::TempDir dir;
    WriteBytes(dir / "small.json", "{}");
    CHECK(ReadWholeFile(dir / "small.json", FileKind::kPackage).value() == Text("{}"));
    CHECK(CheckInputFile(dir / "small.json", FileKind::kBox).ok());

    // A folder.
    auto folder = ReadWholeFile(dir.path(), FileKind::kPackage);
    REQUIRE_FALSE(folder.ok());
    CHECK(folder.error().code == "file.type");
    CHECK(folder.error().detail.find("a folder") != std::string::npos);
    CHECK(CheckInputFile(dir.path(), FileKind::kBox).error().code == "file.type");

    // A missing file.
    auto missing = ReadWholeFile(dir / "none.pyp", FileKind::kPackage);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == "file.read");

    // Larger than the kind allows: refused from its size, before anything is allocated (the
    // files are sparse).
    for (const auto& [kind, name] :
         {std::pair{FileKind::kPackage, "big.pyp"}, std::pair{FileKind::kKeyFile, "big.pyk"},
          std::pair{FileKind::kSettings, "big.json"}, std::pair{FileKind::kDecisions, "big-decisions.json"}}) {
        CAPTURE(name);
        const auto p = dir / name;
        WriteBytes(p, "");
        std::filesystem::resize_file(p, MaxFileBytes(kind) + 1);
        auto big = ReadWholeFile(p, kind);
        REQUIRE_FALSE(big.ok());
        CHECK(big.error().code == "file.too_large");
        CHECK(big.error().detail.find(std::to_string(MaxFileBytes(kind))) != std::string::npos);
        std::filesystem::resize_file(p, MaxFileBytes(kind));
        CHECK(ReadWholeFile(p, kind).ok());
    }
    CHECK(MaxFileBytes(FileKind::kPackage) == kMaxJsonBytes);
    CHECK(MaxFileBytes(FileKind::kRoster) == kMaxRosterFileBytes);

#ifndef _WIN32
    // /dev/zero never ends: it was read until memory ran out (std::bad_alloc).
    if (std::filesystem::exists("/dev/zero")) {
        auto zero = ReadWholeFile("/dev/zero", FileKind::kPackage);
        REQUIRE_FALSE(zero.ok());
        CHECK(zero.error().code == "file.type");
        CHECK(zero.error().detail.find("a device") != std::string::npos);
        CHECK(ReadBox("/dev/zero").error().code == "file.type");
    }
    // A pipe without a writer: opening it waited forever. Refused at once.
    const auto fifo = dir / "package.pyp";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const std::string piped = WithinSeconds([&] { return Outcome(ReadWholeFile(fifo, FileKind::kPackage)); });
    CHECK(piped.starts_with("file.type: "));
    CHECK(piped.find("a pipe") != std::string::npos);
    CHECK(WithinSeconds([&] { return Outcome(ReadBox(fifo)); }).starts_with("file.type: "));
    const auto roster_fifo = dir / "roster.csv";
    REQUIRE(::mkfifo(roster_fifo.c_str(), 0600) == 0);
    const std::string roster = WithinSeconds([&] { return Outcome(ImportRosterFile(roster_fifo)); });
    CHECK(roster.starts_with("roster.file: "));
    CHECK(roster.find("a pipe") != std::string::npos);
#endif
    // Each refusal has its sentence for the GUIs.
    CHECK(ErrorMessageId("file.type") != kGenericErrorMessageId);
    CHECK(ErrorMessageId("file.too_large") != kGenericErrorMessageId);
}

TEST_CASE("an empty or foreign SQLite file is not a Pingyi ballot box, in words")
{
    test::TempDir dir;
    auto refused = [&](const std::string& name) {
        auto box = ReadBox(dir / name);
        REQUIRE_FALSE(box.ok());
        CAPTURE(box.error().detail);
        CHECK(box.error().code == "box.format");
        CHECK(box.error().detail.find("not a Pingyi ballot box") != std::string::npos);
        CHECK(box.error().detail.find("no such table") == std::string::npos);
        CHECK(box.error().detail.find("could not be updated") == std::string::npos);
    };
    WriteBytes(dir / "empty.sqlite", "");
    refused("empty.sqlite");
    test::Sql(dir / "foreign.sqlite", "CREATE TABLE people(name TEXT)");
    refused("foreign.sqlite");
    // One of the box's own tables, exactly as Pingyi creates it, and nothing else: "no such
    // table: meta" reached the user before.
    const auto created = CreateElection(test::SmallElection(), "passphrase", SystemRng(), test::kFastKdf).value();
    const auto pkg = LoadPackage(created.package.Serialize()).value();
    {
        auto box = BallotBox::Create(dir / "honest.sqlite", pkg, 1, "1234", SystemRng(), test::kFastKdf);
        REQUIRE(box.ok());
    }
    std::filesystem::copy_file(dir / "honest.sqlite", dir / "part.sqlite");
    test::Sql(dir / "part.sqlite", "DROP TABLE meta; DROP TABLE events");
    refused("part.sqlite");
}

TEST_CASE("the verifier bounds a box by its own package before loading rows or checking proofs")
{
    test::TempDir dir;
    const auto created = CreateElection(test::SmallElection(), "passphrase", SystemRng(), test::kFastKdf).value();
    const Bytes package_file = created.package.Serialize();
    const auto pkg = LoadPackage(package_file).value();
    {
        auto box = BallotBox::Create(dir / "honest.sqlite", pkg, 1, "1234", SystemRng(), test::kFastKdf);
        REQUIRE(box.ok());
    }
    auto copy = [&](const std::string& name, const std::string& sql) {
        std::filesystem::copy_file(dir / "honest.sqlite", dir / name);
        test::Sql(dir / name, sql);
        return dir / name;
    };
    // Rows: the caps come from the verifier's package, not from the one the box holds (2 codes
    // allow 2·2 + 16 = 20 ballots; the box's own package, 10 codes, 36).
    auto def = test::SmallElection();
    def.categories = {{"党员", 1, 70}, {"群众代表", 1, 30}};
    const auto few = CreateElection(def, "passphrase", SystemRng(), test::kFastKdf).value();
    const auto few_pkg = LoadPackage(few.package.Serialize()).value();
    const auto rows = copy("rows.sqlite",
                           "WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n LIMIT 21) "
                           "INSERT INTO ballots SELECT randomblob(32), x'00', x'' FROM n");
    REQUIRE(ReadBox(rows).ok());
    auto capped = ReadBox(rows, &few_pkg);
    REQUIRE_FALSE(capped.ok());
    CHECK(capped.error().code == "box.format");
    CHECK(ReadBox(rows, &pkg).ok());

    // A ballot body larger than any ballot of the election: refused before it is loaded.
    const auto fat = copy("fat.sqlite", "INSERT INTO ballots VALUES(randomblob(32), zeroblob(2000000), x'')");
    REQUIRE(ReadBox(fat).ok());
    auto too_big = ReadBox(fat, &pkg);
    REQUIRE_FALSE(too_big.ok());
    CHECK(too_big.error().code == "box.format");
    CHECK(too_big.error().detail.find("larger than its election allows") != std::string::npos);

    // More ballots (11) than the kiosk's codes (10): the proofs are not checked, and the
    // report says why (before, each of them was decoded and found malformed).
    const auto outnumbered = copy("outnumbered.sqlite",
                                  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 11) "
                                  "INSERT INTO ballots SELECT randomblob(32), x'00', x'' FROM n");
    Audit audit = VerifyElection(package_file, {outnumbered}, {}, 1);
    CHECK(audit.report.Failed("box.codes"));
    REQUIRE(audit.report.Find("ballots.proofs") != nullptr);
    CHECK(audit.report.Failed("ballots.proofs"));
    CHECK(audit.report.Find("ballots.proofs")->detail.find("11 ballots for 10 codes") != std::string::npos);
}

}  // namespace pingyi
