// The workflows of app/ without a face: opening and resuming a poll under the PIN policy,
// a failed Create that leaves nothing behind, and the reports every face writes the same way.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "app/files.hpp"
#include "app/poll.hpp"
#include "app/tally_flow.hpp"
#include "app/trustee_flow.hpp"
#include "core/error_codes.hpp"
#include "core/kiosk_session.hpp"
#include "core/reports.hpp"
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

Election MakeElection(std::uint32_t kiosks = 1)
{
    auto created = CreateElection(SmallElection(6, kiosks), "correct horse", SystemRng(), kFastKdf);
    REQUIRE(created.ok());
    return {created->package, created->codes, created->election_key_file, created->admin_key_file};
}

// `count` voters of category 0 cast at the kiosk (no screen: casting right after the review).
void CastBallots(BallotBox& box, const ElectionPackage& package, const std::vector<PlainCode>& codes,
                 std::uint32_t count, std::uint32_t kiosk = 1)
{
    SystemClock clock;
    SessionSettings settings;
    settings.screen_settle = std::chrono::milliseconds(0);
    KioskSession session(box, clock, SystemRng(), settings);
    std::uint32_t cast = 0;
    for (const auto& c : codes) {
        if (c.category != 0 || c.kiosk != kiosk || cast == count) continue;
        REQUIRE(session.EnterCode(c.code).ok());
        for (std::uint32_t m = 0; m < package.definition.roster.size(); ++m)
            REQUIRE(session.Choose(m, (m + cast) % 2 == 0 ? 1u : 2u).ok());
        REQUIRE(session.GoToReview().ok());
        REQUIRE(session.Cast().ok());
        REQUIRE(session.AcknowledgeReceipt().ok());
        ++cast;
    }
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

TEST_CASE("a poll resumes with its PIN only, the operator's PIN is checked, and an export takes the box's name")
{
    TempDir dir;
    const Election e = MakeElection();
    std::filesystem::path path;
    {
        auto opened = app::OpenPoll(dir / "data", e.package, 1, Pin("246810"), Pin("246810"), SystemRng(), kFastKdf);
        REQUIRE(opened.ok());
        path = opened->path;
    }  // the kiosk stops
    auto wrong = app::ResumePoll(path, Pin("135790"));
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == err::kKeyfilePassphrase);
    auto box = app::ResumePoll(path, Pin("246810"));
    REQUIRE(box.ok());

    const auto now = std::chrono::steady_clock::now();
    const Status refused = app::CheckOperatorLogin(*box, Pin("135790"), now);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == err::kKeyfilePassphrase);
    CHECK(app::CheckOperatorLogin(*box, Pin("246810"), now).ok());

    std::filesystem::create_directories(dir / "stick");
    auto backup = app::ExportPoll(*box, path, dir / "stick");
    REQUIRE(backup.ok());
    CHECK(backup->path == dir / "stick" / "pingyi-00112233-kiosk1.sqlite");
    CHECK(backup->kind == BallotBox::ExportKind::Written);
    CHECK(std::filesystem::is_regular_file(backup->path));
    REQUIRE(box->Close().ok());
    auto closed = app::ExportPoll(*box, path, dir / "stick");
    REQUIRE(closed.ok());
    CHECK(closed->path == backup->path);
    CHECK(closed->kind == BallotBox::ExportKind::ReplacedBackup);
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

TEST_CASE("a seal of an unknown kind makes the box damaged, never a close seal")
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
        "CREATE TABLE s2 AS SELECT * FROM seals; DROP TABLE seals; ALTER TABLE s2 RENAME TO seals;"
        "UPDATE seals SET kind='closed' WHERE kind='open'");
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
    CastBallots(opened->box, e.package, e.codes, 4);
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

TEST_CASE("the 跟踪码公示 list: exactly the tracking codes of the ballots in the boxes, sorted, nothing else")
{
    TempDir dir;
    Election e = MakeElection(/*kiosks=*/2);
    REQUIRE(app::WriteFile(dir / app::kPackageFile, e.package.Serialize(), false).ok());
    REQUIRE(app::WriteFile(dir / app::kElectionKeyFile, e.election_key_file, true).ok());
    REQUIRE(app::WriteFile(dir / app::kAdminKeyFile, e.admin_key_file, true).ok());
    std::vector<std::filesystem::path> boxes;
    for (std::uint32_t kiosk = 1; kiosk <= 2; ++kiosk) {
        std::filesystem::create_directories(dir / ("k" + std::to_string(kiosk)));
        auto opened = app::OpenPoll(dir / ("k" + std::to_string(kiosk)), e.package, kiosk, Pin("246810"), Pin("246810"),
                                    SystemRng(), kFastKdf);
        REQUIRE(opened.ok());
        CastBallots(opened->box, e.package, e.codes, kiosk == 1 ? 3 : 2, kiosk);
        REQUIRE(opened->box.Close().ok());
        boxes.push_back(opened->path);
    }

    // Computed here from the box files alone: b = H(fp, kiosk, body) of every row (not the
    // stored hash), then its tracking code.
    std::vector<std::string> expected;
    for (const auto& path : boxes) {
        auto contents = ReadBox(path);
        REQUIRE(contents.ok());
        for (const auto& row : contents->ballots)
            expected.push_back(
                TrackingCode(BallotHash(e.package.suite(), e.package.fingerprint, contents->kiosk, row.body)));
    }
    REQUIRE(expected.size() == 5);
    std::sort(expected.begin(), expected.end());

    app::TallyRequest req;
    req.package = dir / app::kPackageFile;
    req.boxes = boxes;
    req.key_folder = dir.path();
    req.out_folder = dir / "results";
    req.passphrase = std::make_shared<SecretBytes>(SecretBytes::FromString("correct horse"));
    const app::TallyOutcome tallied = app::VerifyAndTally(req, {});
    REQUIRE_MESSAGE(!tallied.error, (tallied.error ? tallied.error->detail : ""));
    // What `pingyi tally` writes: the reports and the list.
    REQUIRE(app::WriteTallyFiles(tallied, req.out_folder).ok());
    CHECK(app::TrackingCodes(tallied.audit) == expected);

    const Bytes text_bytes = Slurp(req.out_folder / app::kTrackingCodesTextFile);
    std::istringstream text(std::string(text_bytes.begin(), text_bytes.end()));
    std::vector<std::string> lines;
    for (std::string line; std::getline(text, line);)
        lines.push_back(line);
    const std::string fp_short = ShortFingerprint(e.package.fingerprint);
    // The heading: the title, the election, its fingerprint, the count, the test mark; then
    // an empty line and the codes, one a line, and nothing more.
    const std::vector<std::string> heading = {"跟踪码公示",
                                              e.package.definition.title,
                                              "评议指纹 " + fp_short,
                                              "评议指纹（完整）" + ToHex(e.package.fingerprint),
                                              "共 5 张选票",
                                              "测试 — 非正式评议",
                                              ""};
    REQUIRE(lines.size() == heading.size() + expected.size());
    CHECK(std::vector<std::string>(lines.begin(), lines.begin() + static_cast<long>(heading.size())) == heading);
    CHECK(std::vector<std::string>(lines.begin() + static_cast<long>(heading.size()), lines.end()) == expected);

    const auto pdf = req.out_folder / app::kTrackingCodesPdfFile;
    CHECK(PdfProblems(pdf).empty());
#ifndef _WIN32
    if (std::system("command -v pdftotext >/dev/null 2>&1") == 0) {
        // The PDF says the same: every code once, in order, and the fingerprint and count.
        const std::string out = (dir / "list.txt").string();
        REQUIRE(std::system(("pdftotext -enc UTF-8 '" + pdf.string() + "' '" + out + "'").c_str()) == 0);
        const Bytes b = Slurp(out);
        const std::string pdf_text(b.begin(), b.end());
        CHECK(pdf_text.find("跟踪码公示") != std::string::npos);
        CHECK(pdf_text.find(fp_short) != std::string::npos);
        CHECK(pdf_text.find("共 5 张选票") != std::string::npos);
        std::size_t at = 0;
        for (const auto& code : expected) {
            const std::size_t found = pdf_text.find(code, at);
            CHECK_MESSAGE(found != std::string::npos, code);
            if (found != std::string::npos) at = found;
            CHECK(pdf_text.find(code, found + 1) == std::string::npos);
        }
    }
#endif

    // The audit bundle carries the same list.
    auto bundle = app::WriteAuditBundle(req.out_folder, req.package, boxes, tallied.audit);
    REQUIRE(bundle.ok());
    CHECK(Slurp(*bundle / app::kTrackingCodesTextFile) == text_bytes);
    CHECK(std::filesystem::file_size(*bundle / app::kTrackingCodesPdfFile) > 1000);
}

TEST_CASE("the 跟踪码公示 PDF flows over pages and refuses what is not a code")
{
    TempDir dir;
    TrackingCodeList list{"评议", "ABCD EFGH IJKL", std::string(64, 'a'), false, {}, {}};
    for (int i = 0; i < 600; ++i) {
        char code[16];
        std::snprintf(code, sizeof code, "%04d-%04d", (i * 7919) % 10000, i);
        list.codes.push_back(code);
    }
    REQUIRE(WriteTrackingCodeListPdf(list, dir / "many.pdf").ok());
    CHECK(PdfProblems(dir / "many.pdf").empty());
    const std::string text = TrackingCodeListText(list);
    CHECK(text.find("共 600 张选票") != std::string::npos);
    CHECK(text.find("测试") == std::string::npos);
    list.codes.push_back("ABCD-EFG\n");
    auto refused = WriteTrackingCodeListPdf(list, dir / "bad.pdf");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "report.input");
    CHECK_FALSE(std::filesystem::exists(dir / "bad.pdf"));
}

TEST_CASE("a backup exported during voting is refused by the tally as a backup, before any key is opened")
{
    TempDir dir;
    Election e = MakeElection();
    REQUIRE(app::WriteFile(dir / app::kPackageFile, e.package.Serialize(), false).ok());
    auto opened = app::OpenPoll(dir.path(), e.package, 1, Pin("246810"), Pin("246810"), SystemRng(), kFastKdf);
    REQUIRE(opened.ok());
    CastBallots(opened->box, e.package, e.codes, 3);
    std::filesystem::create_directories(dir / "stick");
    const auto exported = dir / "stick" / opened->path.filename();
    REQUIRE(opened->box.Export(exported).ok());

    // No key files and a wrong passphrase: the backup is named as such before either matters.
    app::TallyRequest req;
    req.package = dir / app::kPackageFile;
    req.boxes = {exported};
    req.key_folder = dir / "no-keys-here";
    req.out_folder = dir / "results";
    req.passphrase = std::make_shared<SecretBytes>(SecretBytes::FromString("wrong"));
    const app::TallyOutcome refused = app::VerifyAndTally(req, {});
    REQUIRE(refused.error);
    CHECK(refused.error->code == err::kTallyOpenBox);
    CHECK(refused.error->detail.find(exported.filename().string()) != std::string::npos);
    CHECK(refused.error->detail.find("backup taken during voting") != std::string::npos);
    CHECK(refused.audit.report.ok());
    CHECK_FALSE(std::filesystem::exists(req.out_folder / app::kResultsFile));

    // Closed and exported again to the same place: that copy replaces the backup and tallies.
    REQUIRE(opened->box.Close().ok());
    auto again = opened->box.Export(exported);
    REQUIRE(again.ok());
    CHECK(*again == BallotBox::ExportKind::ReplacedBackup);
    REQUIRE(app::WriteFile(dir / app::kElectionKeyFile, e.election_key_file, true).ok());
    REQUIRE(app::WriteFile(dir / app::kAdminKeyFile, e.admin_key_file, true).ok());
    req.key_folder = dir.path();
    req.passphrase = std::make_shared<SecretBytes>(SecretBytes::FromString("correct horse"));
    const app::TallyOutcome tallied = app::VerifyAndTally(req, {});
    REQUIRE_MESSAGE(!tallied.error, (tallied.error ? tallied.error->detail : ""));
    CHECK(tallied.results->TotalBallots() == 3);
}

TEST_CASE("whose turn it is in a ceremony on one computer: round by round, trustees in order")
{
    using app::NextCeremonyTurn;
    CHECK_FALSE(NextCeremonyTurn({}).has_value());
    auto t = NextCeremonyTurn({0, 0, 0});
    REQUIRE(t.has_value());
    CHECK((t->round == 1 && t->trustee == 1));
    t = NextCeremonyTurn({1, 0, 0});
    CHECK((t->round == 1 && t->trustee == 2));
    // Round 2 waits for every round 1, even when trustee 1 is ahead.
    t = NextCeremonyTurn({2, 1, 0});
    CHECK((t->round == 1 && t->trustee == 3));
    t = NextCeremonyTurn({1, 1, 1});
    CHECK((t->round == 2 && t->trustee == 1));
    t = NextCeremonyTurn({3, 3, 2});
    CHECK((t->round == 3 && t->trustee == 3));
    CHECK_FALSE(NextCeremonyTurn({3, 3, 3}).has_value());
    // A key file's name says whose it is.
    CHECK(app::TrusteeOfKeyFile(app::TrusteeKeyPath("/media/stick", 7)) == std::optional<std::uint32_t>(7));
    for (const char* other : {"trustee-0.pyk", "trustee-10.pyk", "trustee-.pyk", "election-key.pyk", "trustee-2.json"})
        CHECK_FALSE(app::TrusteeOfKeyFile(other).has_value());
}

TEST_CASE("the trustees' workflow: a 2-of-3 ceremony in one folder, partial decryptions and their combination")
{
    TempDir dir;
    const auto ceremony = dir / "ceremony";
    const auto stick = [&dir](std::uint32_t i) { return dir / ("stick" + std::to_string(i)); };
    const auto pass = [](std::uint32_t i) { return SecretBytes::FromString("trustee-pass-" + std::to_string(i)); };
    for (std::uint32_t i = 1; i <= 3; ++i)
        std::filesystem::create_directories(stick(i));

    auto setup = app::WriteCeremonySetup(SmallElection(), 2, {"王强", "李梅", "赵刚"}, ceremony);
    REQUIRE(setup.ok());
    CHECK(std::filesystem::exists(ceremony / "ceremony.json"));
    auto again = app::WriteCeremonySetup(SmallElection(), 2, {"王强", "李梅", "赵刚"}, ceremony);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "output.exists");
    auto bad_k = app::WriteCeremonySetup(SmallElection(), 4, {"王强", "李梅", "赵刚"}, dir / "other");
    REQUIRE_FALSE(bad_k.ok());
    CHECK(bad_k.error().code == "ceremony.setup");

    // Round 1: the passphrase policy; the key file goes to the trustee's stick.
    auto weak = app::RunTrusteeRound(ceremony, 1, 1, app::StickKeyPath(stick(1), *setup, 1), Pin("short"), kFastKdf);
    REQUIRE_FALSE(weak.ok());
    CHECK(weak.error().code == "passphrase.weak");
    // Round 2 cannot start before every round 1: the missing trustees are named.
    for (std::uint32_t i = 1; i <= 3; ++i) {
        auto turn = app::NextCeremonyTurn(app::RoundsDone(*setup, ceremony));
        REQUIRE(turn.has_value());
        CHECK((turn->round == 1 && turn->trustee == i));
        auto r1 = app::RunTrusteeRound(ceremony, i, 1, app::StickKeyPath(stick(i), *setup, i), pass(i), kFastKdf);
        REQUIRE_MESSAGE(r1.ok(), (r1.ok() ? "" : r1.error().detail));
        CHECK(r1->name == setup->names[i - 1]);
        // In a folder of this evaluation on the stick (created), never in the ceremony folder.
        CHECK(std::filesystem::exists(stick(i) / "pingyi-00112233" / ("trustee-" + std::to_string(i) + ".pyk")));
        CHECK_FALSE(std::filesystem::exists(app::TrusteeKeyPath(ceremony, i)));
        if (i == 1) {
            auto twice =
                app::RunTrusteeRound(ceremony, 1, 1, app::StickKeyPath(stick(1), *setup, 1), pass(1), kFastKdf);
            REQUIRE_FALSE(twice.ok());
            CHECK(twice.error().code == "output.exists");
            auto early =
                app::RunTrusteeRound(ceremony, 1, 2, app::StickKeyPath(stick(1), *setup, 1), pass(1), kFastKdf);
            REQUIRE_FALSE(early.ok());
            CHECK(early.error().code == "ceremony.missing");
        }
    }
    CHECK(app::RoundsDone(*setup, ceremony) == std::vector<int>{1, 1, 1});
    // A wrong passphrase in round 2 is refused by its code, and writes nothing.
    auto wrong = app::RunTrusteeRound(ceremony, 2, 2, app::StickKeyPath(stick(2), *setup, 2), pass(3), kFastKdf);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == err::kKeyfilePassphrase);
    CHECK_FALSE(std::filesystem::exists(app::RoundPath(ceremony, 2, 2)));
    for (int round = 2; round <= 3; ++round)
        for (std::uint32_t i = 1; i <= 3; ++i) {
            auto r =
                app::RunTrusteeRound(ceremony, i, round, app::StickKeyPath(stick(i), *setup, i), pass(i), kFastKdf);
            REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().detail));
            CHECK(r->key_fingerprint.empty() == (round == 2));
        }
    CHECK_FALSE(app::NextCeremonyTurn(app::RoundsDone(*setup, ceremony)).has_value());

    const auto out = dir / "evaluation";
    auto finished = app::FinishCeremonyFolder(ceremony, out, Pin("correct horse"), {}, kFastKdf);
    REQUIRE_MESSAGE(finished.ok(), (finished.ok() ? "" : finished.error().detail));
    CHECK(finished->trustees.threshold == 2);
    CHECK(finished->trustees.members.size() == 3);
    CHECK_FALSE(std::filesystem::exists(out / app::kElectionKeyFile));
    CHECK(std::filesystem::exists(out / app::kAdminKeyFile));
    const auto pkg = LoadPackage(Slurp(out / app::kPackageFile));
    REQUIRE(pkg.ok());
    REQUIRE(pkg->trustees.has_value());
    const auto codes = finished->written.plain_codes;
    CHECK(codes.size() == pkg->definition.TotalCodes());

    // The meeting.
    auto opened = app::OpenPoll(dir.path(), *pkg, 1, Pin("246810"), Pin("246810"), SystemRng(), kFastKdf);
    REQUIRE(opened.ok());
    CastBallots(opened->box, *pkg, codes, 4);
    REQUIRE(opened->box.Close().ok());
    const std::vector<std::filesystem::path> boxes{opened->path};

    // The one-key tally refuses; the trustees decrypt after the same verification.
    app::TallyRequest req;
    req.package = out / app::kPackageFile;
    req.boxes = boxes;
    req.key_folder = out;
    req.out_folder = dir / "results";
    req.passphrase = std::make_shared<SecretBytes>(Pin("correct horse"));
    CHECK(app::VerifyAndTally(req, {}).error->code == err::kTallyByTrustees);
    const app::TallyOutcome verified = app::VerifyTallyFiles(req, {});
    REQUIRE_FALSE(verified.error.has_value());
    REQUIRE(verified.audit.report.ok());

    auto wrong_key = app::OpenTrusteeKeyFile(app::StickKeyPath(stick(1), *setup, 1), pass(2));
    REQUIRE_FALSE(wrong_key.ok());
    CHECK(wrong_key.error().code == err::kKeyfilePassphrase);
    const std::vector<std::uint32_t> present{5, 0};  // 党员 and the second category of SmallElection
    for (std::uint32_t i : {1u, 3u}) {
        auto share = app::OpenTrusteeKeyFile(app::StickKeyPath(stick(i), *setup, i), pass(i));
        REQUIRE(share.ok());
        auto preview = PreviewPartial(verified.audit, *share);
        REQUIRE(preview.ok());
        CHECK(preview->trustee->index == i);
        std::vector<std::uint32_t> fewer = present;
        fewer[0] = 3;  // 4 ballots, 3 people: refused, nothing written
        const Status refused =
            app::WriteTrusteePartial(verified.audit, *share, fewer, app::PartialPath(req.out_folder, i));
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == "tally.present");
        CHECK_FALSE(std::filesystem::exists(app::PartialPath(req.out_folder, i)));
        const Status s = app::WriteTrusteePartial(verified.audit, *share, present, app::PartialPath(req.out_folder, i));
        REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().detail));
    }
    CHECK(app::PartialFilesIn(req.out_folder) ==
          std::vector<std::filesystem::path>{app::PartialPath(req.out_folder, 1), app::PartialPath(req.out_folder, 3)});

    app::CombineRequest combine;
    combine.partials = {app::PartialPath(req.out_folder, 1)};
    combine.admin_key = out / app::kAdminKeyFile;
    combine.out_folder = req.out_folder;
    // One trustee alone decrypts nothing.
    const app::TallyOutcome alone = app::CombineTrusteeFiles(verified, combine, Pin("correct horse"), {});
    REQUIRE(alone.error.has_value());
    CHECK(alone.error->code == "tally.too_few_trustees");
    CHECK_FALSE(alone.results.has_value());
    CHECK_FALSE(std::filesystem::exists(req.out_folder / app::kResultsFile));
    // Two of three, but the secretary's passphrase wrong: refused.
    combine.partials = app::PartialFilesIn(req.out_folder);
    const app::TallyOutcome bad_admin = app::CombineTrusteeFiles(verified, combine, Pin("not the passphrase"), {});
    REQUIRE(bad_admin.error.has_value());
    CHECK(bad_admin.error->code == err::kKeyfilePassphrase);
    // Two of three: the results, the reports, and the verifier accepts them.
    const app::TallyOutcome combined = app::CombineTrusteeFiles(verified, combine, Pin("correct horse"), {});
    REQUIRE_MESSAGE(!combined.error, (combined.error ? combined.error->detail : ""));
    REQUIRE(combined.results.has_value());
    CHECK(combined.results->TotalBallots() == 4);
    for (const app::Report r : app::kAllReports)
        CHECK(std::filesystem::file_size(req.out_folder / app::ReportFileName(r)) > 1000);
    Audit audit = VerifyElection(Slurp(out / app::kPackageFile), boxes);
    VerifyResults(audit, Slurp(req.out_folder / app::kResultsFile));
    CHECK(audit.report.ok());
    // A damaged partial is refused, never skipped, and named by its file.
    Bytes damaged = Slurp(app::PartialPath(req.out_folder, 3));
    damaged.resize(damaged.size() / 2);
    REQUIRE(app::WriteFile(app::PartialPath(req.out_folder, 3), damaged, false).ok());
    const app::TallyOutcome tampered = app::CombineTrusteeFiles(verified, combine, Pin("correct horse"), {});
    REQUIRE(tampered.error.has_value());
    CHECK_FALSE(tampered.results.has_value());
    CHECK(tampered.error->detail.find("partial-3.json") != std::string::npos);
}

}  // namespace pingyi::test
