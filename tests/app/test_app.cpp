// The workflows of app/ without a face: opening and resuming a poll under the PIN policy,
// a failed Create that leaves nothing behind, and the reports every face writes the same way.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "app/files.hpp"
#include "app/poll.hpp"
#include "app/tally_flow.hpp"
#include "core/error_codes.hpp"
#include "core/kiosk_session.hpp"
#include "crypto/random.hpp"
#include "test_support.hpp"

namespace pingyi::test {
namespace {

SecretBytes Pin(const char* s)
{
    return SecretBytes::FromString(s);
}

struct Election {
    ElectionPackage package;
    std::vector<PlainCode> codes;
    Bytes election_key_file;
    Bytes admin_key_file;
};

Election MakeElection()
{
    auto created = CreateElection(SmallElection(), "correct horse", SystemRng(), kFastKdf);
    REQUIRE(created.ok());
    return {created->package, created->codes, created->election_key_file, created->admin_key_file};
}

Bytes Slurp(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("the operator PIN policy: at least six digits and digits only")
{
    CHECK(app::CheckOperatorPin(AsBytes("123456")).ok());
    CHECK(app::CheckOperatorPin(AsBytes("0000000000")).ok());
    for (const char* bad : {"", "12345", "12345a", "１２３４５６", "123 456"}) {
        const Status s = app::CheckOperatorPin(AsBytes(bad));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == err::kPinWeak);
    }
}

TEST_CASE("a poll opens under the policy, is found again after a restart, and not once closed")
{
    TempDir dir;
    const Election e = MakeElection();
    auto weak = app::OpenPoll(dir.path(), e.package, 1, Pin("1234"), Pin("1234"), SystemRng(), kFastKdf);
    REQUIRE_FALSE(weak.ok());
    CHECK(weak.error().code == err::kPinWeak);
    auto differ = app::OpenPoll(dir.path(), e.package, 1, Pin("246810"), Pin("246811"), SystemRng(), kFastKdf);
    REQUIRE_FALSE(differ.ok());
    CHECK(differ.error().code == err::kPinMismatch);
    CHECK_FALSE(app::FindOpenBox(dir.path()).has_value());  // neither refusal left a file

    auto opened = app::OpenPoll(dir.path(), e.package, 1, Pin("246810"), Pin("246810"), SystemRng(), kFastKdf);
    REQUIRE(opened.ok());
    CHECK(opened->path == dir.path() / app::BoxFileName(e.package, 1));
    CHECK(opened->path.filename().string() == "pingyi-00112233-kiosk1.sqlite");
    auto found = app::FindOpenBox(dir.path());
    REQUIRE(found.has_value());
    CHECK(found->path == opened->path);
    CHECK(found->kiosk == 1);
    CHECK(found->package.fingerprint == e.package.fingerprint);
    REQUIRE(opened->box.Close().ok());
    CHECK_FALSE(app::FindOpenBox(dir.path()).has_value());
}

TEST_CASE("BallotBox::Create refuses an empty PIN and leaves nothing behind")
{
    TempDir dir;
    const Election e = MakeElection();
    auto box = BallotBox::Create(dir / "box.sqlite", e.package, 1, "", SystemRng(), kFastKdf);
    REQUIRE_FALSE(box.ok());
    CHECK(box.error().code == err::kPinWeak);
    CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("a Create that fails half-way removes the box and its key, so that a second try works")
{
    TempDir dir;
    const Election e = MakeElection();
    const auto path = dir / "box.sqlite";
    // The device key cannot be written: its path is a non-empty directory.
    std::filesystem::create_directories(dir / "box.sqlite.key" / "blocker");
    auto failed = BallotBox::Create(path, e.package, 1, "246810", SystemRng(), kFastKdf);
    REQUIRE_FALSE(failed.ok());
    CHECK_FALSE(std::filesystem::exists(path));
    for (const char* suffix : {"-wal", "-shm", "-journal"})
        CHECK_FALSE(std::filesystem::exists(dir / (std::string("box.sqlite") + suffix)));
    std::filesystem::remove_all(dir / "box.sqlite.key");
    auto second = BallotBox::Create(path, e.package, 1, "246810", SystemRng(), kFastKdf);
    REQUIRE_MESSAGE(second.ok(), (second.ok() ? "" : second.error().detail));
    CHECK(std::filesystem::exists(dir / "box.sqlite.key"));
}

TEST_CASE("a record of an unknown kind makes the box damaged, never a close record")
{
    TempDir dir;
    const Election e = MakeElection();
    const auto path = dir / "box.sqlite";
    {
        auto box = BallotBox::Create(path, e.package, 1, "246810", SystemRng(), kFastKdf);
        REQUIRE(box.ok());
    }
    REQUIRE(ReadBox(path).ok());
    // A tamperer rebuilds the table without its CHECK constraint, then renames a kind.
    Sql(path,
        "CREATE TABLE r2 AS SELECT * FROM records; DROP TABLE records; ALTER TABLE r2 RENAME TO records;"
        "UPDATE records SET kind='closed' WHERE seq=0");
    auto read = ReadBox(path);
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().code.rfind("box.", 0) == 0);
    auto resumed = BallotBox::Resume(path, "246810");
    REQUIRE_FALSE(resumed.ok());
}

TEST_CASE("the console and pingyi-admin write byte-identical reports from the same results")
{
    // `pingyi tally` writes all three reports right after VerifyAndTally; pingyi-admin reopens
    // the saved results (OpenSavedResults) and writes each on request. Both go through
    // app::WriteReport, so the files must be equal byte for byte.
    TempDir dir;
    Election e = MakeElection();
    REQUIRE(app::WriteFile(dir / app::kPackageFile, e.package.Serialize(), false).ok());
    REQUIRE(app::WriteFile(dir / app::kElectionKeyFile, e.election_key_file, true).ok());
    REQUIRE(app::WriteFile(dir / app::kAdminKeyFile, e.admin_key_file, true).ok());
    auto opened = app::OpenPoll(dir.path(), e.package, 1, Pin("246810"), Pin("246810"), SystemRng(), kFastKdf);
    REQUIRE(opened.ok());
    {
        SystemClock clock;
        SessionSettings settings;  // no screen here: casting right after the review
        settings.screen_settle = std::chrono::milliseconds(0);
        KioskSession session(opened->box, clock, SystemRng(), settings);
        std::uint32_t cast = 0;
        for (const auto& c : e.codes) {
            if (c.category != 0 || cast == 4) continue;
            REQUIRE(session.EnterCode(c.code).ok());
            for (std::uint32_t m = 0; m < e.package.definition.roster.size(); ++m)
                REQUIRE(session.Choose(m, (m + cast) % 2 == 0 ? 1u : 2u).ok());
            REQUIRE(session.GoToReview().ok());
            REQUIRE(session.Cast().ok());
            REQUIRE(session.AcknowledgeReceipt().ok());
            ++cast;
        }
    }
    REQUIRE(opened->box.Close().ok());

    app::TallyRequest req;
    req.package = dir / app::kPackageFile;
    req.boxes = {opened->path};
    req.key_folder = dir.path();
    req.out_folder = dir / "console";
    req.passphrase = std::make_shared<SecretBytes>(SecretBytes::FromString("correct horse"));
    const app::TallyOutcome tallied = app::VerifyAndTally(req, {});
    REQUIRE_MESSAGE(!tallied.error, (tallied.error ? tallied.error->detail : ""));
    for (const app::Report r : app::kAllReports)
        REQUIRE(app::WriteReport(r, *tallied.audit.package, *tallied.results, tallied.decisions, req.out_folder).ok());

    // A second later, as when the secretary exports from pingyi-admin: no clock in the files.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    app::TallyRequest again = req;
    again.passphrase.reset();
    const app::TallyOutcome reopened = app::OpenSavedResults(again, {});
    REQUIRE_MESSAGE(!reopened.error, (reopened.error ? reopened.error->detail : ""));
    for (const app::Report r : app::kAllReports) {
        auto written = app::WriteReport(r, *reopened.audit.package, *reopened.results, reopened.decisions, dir / "gui");
        REQUIRE(written.ok());
        const Bytes a = Slurp(req.out_folder / app::ReportFileName(r));
        const Bytes b = Slurp(*written);
        CHECK(a.size() > 1000);
        CHECK_MESSAGE(a == b, std::string(app::ReportFileName(r)));
    }
}

}  // namespace pingyi::test
