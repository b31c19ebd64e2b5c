#include <doctest/doctest.h>

#include <fstream>

#include "core/ballot_box.hpp"
#include "core/file_io.hpp"
#include "core/package.hpp"
#include "core/sqlite_util.hpp"
#include "test_support.hpp"

namespace pingyi {
namespace {

using test::SmallElection;
using test::TempDir;

CreatedElection Make(const ElectionDefinition& def)
{
    auto created = test::CreateTestElection(def, "correct horse", SystemRng());
    REQUIRE(created.ok());
    return std::move(created).value();
}

std::string Normalized(const PlainCode& c)
{
    return *NormalizeCode(c.code);
}

const PlainCode& FirstCode(const CreatedElection& e, std::uint32_t category, std::uint32_t kiosk = 1)
{
    for (const auto& c : e.codes)
        if (c.category == category && c.kiosk == kiosk) return c;
    FAIL("no such code");
    throw std::logic_error("unreachable");
}

EncryptedGrid Ballot(const ElectionPackage& pkg, std::uint32_t category, std::vector<std::uint32_t> choices = {})
{
    if (choices.empty()) choices.assign(pkg.definition.roster.size(), 1);
    return EncryptGrid(pkg.public_key, pkg.Shape(), choices, pkg.BallotContext(category), SystemRng());
}

void WriteBytes(const std::filesystem::path& p, ByteView b)
{
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

}  // namespace

SUITE_CASE("package: a created package loads, verifies and keeps its fingerprint")
{
    const test::UseSuite use(SuiteT::kId);
    const auto e = Make(SmallElection());
    auto pkg = LoadPackage(e.package.Serialize());
    REQUIRE(pkg.ok());
    CHECK(pkg->fingerprint == e.package.fingerprint);
    CHECK(pkg->codes.size() == 10);
    CHECK(pkg->definition.roster[0].name == "张伟");
    CHECK(ShortFingerprint(pkg->fingerprint).size() == 29);  // 96 bits: 24 hex digits in groups of 4
    // The election key file opens with the passphrase and matches the package's key.
    auto key = OpenElectionKey(e.election_key_file, "correct horse");
    REQUIRE(key.ok());
    CHECK(key->public_key() == pkg->public_key);
    CHECK(OpenElectionKey(e.election_key_file, "wrong horse").error().code == "keyfile.passphrase");
}

TEST_CASE("package: 国密 is proposed for an official evaluation, P-256 for a rehearsal, and the package keeps it")
{
    CHECK(ProposedSuite(/*test_mode=*/false) == SuiteId::SM2_SM3);
    CHECK(ProposedSuite(/*test_mode=*/true) == SuiteId::P256_SHA256);
    for (const bool test_mode : {false, true}) {
        auto def = SmallElection();
        def.test_mode = test_mode;
        const test::UseSuite use(ProposedSuite(def.test_mode));
        const auto e = Make(def);
        auto pkg = LoadPackage(e.package.Serialize());
        REQUIRE(pkg.ok());
        CHECK(pkg->definition.test_mode == test_mode);
        CHECK(pkg->suite() == ProposedSuite(test_mode));
    }
}

TEST_CASE("package: codes have 16 symbols of a look-alike-free alphabet and only their hashes are stored")
{
    const auto e = Make(SmallElection());
    const Bytes file = e.package.Serialize();
    const std::string text(file.begin(), file.end());
    for (const auto& c : e.codes) {
        CHECK(c.code.size() == 19);
        const auto n = NormalizeCode(c.code);
        REQUIRE(n);
        CHECK(n->find_first_of("01IOL") == std::string::npos);
        CHECK(text.find(*n) == std::string::npos);
        CHECK(text.find(c.code) == std::string::npos);
    }
    CHECK(NormalizeCode("k7qm 3xhp-9trw_c4na") == std::optional<std::string>("K7QM3XHP9TRWC4NA"));
    CHECK(NormalizeCode("Ｋ７ＱＭ－３ＸＨＰ－９ＴＲＷ－Ｃ４ＮＡ") == std::optional<std::string>("K7QM3XHP9TRWC4NA"));
    CHECK_FALSE(NormalizeCode("K7QM-3XHP-9TRW-C4N"));   // too short
    CHECK_FALSE(NormalizeCode("K7QM-3XHP-9TRW-C4NO"));  // O is not in the alphabet
}

SUITE_CASE("package: every altered byte of the body is refused")
{
    const test::UseSuite use(SuiteT::kId);
    const auto e = Make(SmallElection());
    const Bytes good = e.package.Serialize();
    std::string text(good.begin(), good.end());
    // Change the title, a code hash, the public key, the signature: each is refused.
    auto refuse = [&](const std::string& from, const std::string& to) {
        std::string t = text;
        const auto pos = t.find(from);
        REQUIRE(pos != std::string::npos);
        t.replace(pos, from.size(), to);
        auto r = LoadPackage(AsBytes(t));
        CHECK_FALSE(r.ok());
        return r.ok() ? std::string() : r.error().code;
    };
    CHECK(refuse("第一党支部民主评议", "第二党支部民主评议") == "package.signature");
    const std::string h = ToHex(e.package.codes[0].hash);
    CHECK(refuse(h, std::string(h.rbegin(), h.rend())) != "");
    CHECK(refuse("\"mode\": \"test\"", "\"mode\": \"official\"") == "package.signature");
    const std::string sig = ToHex(e.package.signature);
    std::string bad_sig = sig;
    bad_sig[10] = bad_sig[10] == 'a' ? 'b' : 'a';
    CHECK(refuse(sig, bad_sig) == "package.signature");
    // The suite: an unknown one, or the other one (whose keys and signature these are not).
    const std::string suite = "\"suite\": \"" + std::string(SuiteName(e.package.suite())) + "\"";
    CHECK(refuse(suite, "\"suite\": \"SM9-SM3\"") == "package.suite");
    const SuiteId other = e.package.suite() == SuiteId::SM2_SM3 ? SuiteId::P256_SHA256 : SuiteId::SM2_SM3;
    CHECK(refuse(suite, "\"suite\": \"" + std::string(SuiteName(other)) + "\"") != "");
    // A package whose public key is replaced (and re-signed by someone else) is another election.
    CHECK(LoadPackage(AsBytes("not json at all")).error().code == "package.format");
    CHECK(LoadPackage(AsBytes("{\"x\":1}")).error().code == "package.format");
}

SUITE_CASE("package: a public key swapped in with a re-signed package fails the key proof")
{
    const test::UseSuite use(SuiteT::kId);
    auto e = Make(SmallElection());
    auto other = Make(SmallElection());
    // Keep this election's key proof but take another key: the proof no longer verifies,
    // even though the attacker re-signs the body with the admin key.
    ElectionPackage forged = e.package;
    forged.public_key = other.package.public_key;
    auto admin = OpenSigningKey(e.admin_key_file, "correct horse");
    REQUIRE(admin.ok());
    Bytes msg;
    AppendLengthPrefixed(msg, AsBytes("pingyi/v1/package-signature"));
    AppendLengthPrefixed(msg, AsBytes(Canonical(forged.Body())));
    forged.signature = admin->Sign(msg);
    CHECK(LoadPackage(forged.Serialize()).error().code == "package.key_proof");
}

SUITE_CASE("box: the lifecycle create, cast, close, reopen keeps every ballot")
{
    const test::UseSuite use(SuiteT::kId);
    TempDir dir;
    const auto e = Make(SmallElection());
    auto pkg = LoadPackage(e.package.Serialize()).value();
    auto box = BallotBox::Create(dir / "box.sqlite", pkg, 1, "1234", SystemRng(), test::kFastKdf);
    REQUIRE(box.ok());
    const PlainCode& code = FirstCode(e, 0);
    CHECK(box->CheckCode(Normalized(code)).kind == CodeStatus::Kind::Valid);
    auto receipt = box->Cast(Normalized(code), Ballot(pkg, 0));
    REQUIRE(receipt.ok());
    CHECK(receipt->tracking_code.size() == 9);
    CHECK(box->CheckCode(Normalized(code)).kind == CodeStatus::Kind::Used);
    CHECK(box->Cast(Normalized(code), Ballot(pkg, 0)).error().code == "box.code");
    const PlainCode& code2 = FirstCode(e, 1);
    REQUIRE(box->Cast(Normalized(code2), Ballot(pkg, 1)).ok());
    CHECK(box->ballots() == 2);
    const auto counts = box->Counts();
    CHECK(counts[0].issued == 6);
    CHECK(counts[0].used == 1);
    CHECK(counts[1].used == 1);
    REQUIRE(box->Close().ok());
    CHECK(box->Cast(Normalized(FirstCode(e, 0)), Ballot(pkg, 0)).error().code == "box.closed");
    CHECK(box->CheckCode(Normalized(code2)).kind == CodeStatus::Kind::Closed);

    auto contents = ReadBox(dir / "box.sqlite");
    REQUIRE(contents.ok());
    REQUIRE(contents->ballots.size() == 2);
    CHECK(contents->open.has_value());
    CHECK(contents->state.has_value());
    CHECK(contents->close.has_value());
    // Each ballot is stored under the hash of its content, in hash order, each signed by the device.
    CHECK(contents->ballots[0].hash < contents->ballots[1].hash);
    for (const auto& r : contents->ballots) {
        CHECK(BallotHash(pkg.suite(), pkg.fingerprint, 1, r.body) == r.hash);
        CHECK(
            VerifySignature(pkg.suite(), contents->device_public_key, BallotSigningMessage(r.hash), r.signature).ok());
    }
    CHECK((TrackingCode(contents->ballots[0].hash) == receipt->tracking_code ||
           TrackingCode(contents->ballots[1].hash) == receipt->tracking_code));
    CHECK(CheckStoredBox(*contents, pkg).ok());

    auto resumed = BallotBox::Resume(dir / "box.sqlite", "1234");
    REQUIRE(resumed.ok());
    CHECK(resumed->closed());
    CHECK(resumed->ballots() == 2);
    CHECK(BallotBox::Resume(dir / "box.sqlite", "9999").error().code == "keyfile.passphrase");

    auto first = resumed->Export(dir / "export.sqlite");
    REQUIRE(first.ok());
    CHECK(*first == BallotBox::ExportKind::Written);
    auto exported = ReadBox(dir / "export.sqlite");
    REQUIRE(exported.ok());
    CHECK(exported->ballots.size() == 2);
    CHECK(exported->close.has_value());
    // Nothing but the box itself is left in the folder: no temporary file of the export.
    CHECK_FALSE(std::filesystem::exists(dir / ".export.sqlite.partial"));
    // The same box again replaces its own earlier export; any other file is never overwritten.
    auto again = resumed->Export(dir / "export.sqlite");
    REQUIRE(again.ok());
    CHECK(*again == BallotBox::ExportKind::ReplacedBackup);
    REQUIRE(WriteFileAtomic(dir / "other.sqlite", AsBytes("not a box")).ok());
    CHECK(resumed->Export(dir / "other.sqlite").error().code == "box.exists");
    CHECK(ReadWholeFile(dir / "other.sqlite", FileKind::kBox).value() ==
          Bytes{AsBytes("not a box").begin(), AsBytes("not a box").end()});
}

TEST_CASE("box: an export interrupted before its rename leaves no box, and the next export works")
{
    TempDir dir;
    const auto e = Make(SmallElection());
    auto pkg = LoadPackage(e.package.Serialize()).value();
    auto box = BallotBox::Create(dir / "box.sqlite", pkg, 1, "1234", SystemRng(), test::kFastKdf);
    REQUIRE(box.ok());
    REQUIRE(box->Close().ok());
    // What a kill during VACUUM INTO leaves: a partial copy under the temporary name.
    std::filesystem::create_directories(dir / "stick");
    REQUIRE(WriteFileAtomic(dir / "stick" / ".box.sqlite.partial", AsBytes("SQLite format 3")).ok());
    CHECK_FALSE(std::filesystem::exists(dir / "stick" / "box.sqlite"));  // nothing that looks like a box
    auto exported = box->Export(dir / "stick" / "box.sqlite");
    REQUIRE(exported.ok());
    CHECK(*exported == BallotBox::ExportKind::Written);
    CHECK(ReadBox(dir / "stick" / "box.sqlite").ok());
    CHECK_FALSE(std::filesystem::exists(dir / "stick" / ".box.sqlite.partial"));
}

SUITE_CASE("box: a ballot resumes after a restart in the middle of the poll")
{
    const test::UseSuite use(SuiteT::kId);
    TempDir dir;
    const auto e = Make(SmallElection());
    auto pkg = LoadPackage(e.package.Serialize()).value();
    {
        auto box = BallotBox::Create(dir / "box.sqlite", pkg, 1, "1234", SystemRng(), test::kFastKdf);
        REQUIRE(box.ok());
        REQUIRE(box->Cast(Normalized(FirstCode(e, 0)), Ballot(pkg, 0)).ok());
    }
    auto box = BallotBox::Resume(dir / "box.sqlite", "1234");
    REQUIRE(box.ok());
    CHECK_FALSE(box->closed());
    CHECK(box->ballots() == 1);
    CHECK(box->CheckCode(Normalized(FirstCode(e, 0))).kind == CodeStatus::Kind::Used);
    REQUIRE(box->Cast(Normalized(FirstCode(e, 1)), Ballot(pkg, 1)).ok());
    REQUIRE(box->Close().ok());
    auto contents = ReadBox(dir / "box.sqlite");
    REQUIRE(contents.ok());
    CHECK(contents->ballots.size() == 2);
    CHECK(contents->close.has_value());
}

SUITE_CASE("box: codes of another kiosk, of another election and unknown codes are refused")
{
    const test::UseSuite use(SuiteT::kId);
    TempDir dir;
    const auto e = Make(SmallElection(6, 2));
    const auto other = Make(SmallElection(6, 2));
    auto pkg = LoadPackage(e.package.Serialize()).value();
    auto box = BallotBox::Create(dir / "box1.sqlite", pkg, 1, "1234", SystemRng(), test::kFastKdf);
    REQUIRE(box.ok());
    CHECK(box->CheckCode(Normalized(FirstCode(e, 0, 2))).kind == CodeStatus::Kind::OtherKiosk);
    CHECK(box->Cast(Normalized(FirstCode(e, 0, 2)), Ballot(pkg, 0)).error().code == "box.code");
    CHECK(box->CheckCode(Normalized(FirstCode(other, 0, 1))).kind == CodeStatus::Kind::Unknown);
    CHECK(box->CheckCode("2222333344445555").kind == CodeStatus::Kind::Unknown);
    CHECK(box->ballots() == 0);
    CHECK(BallotBox::Create(dir / "box3.sqlite", pkg, 3, "1234", SystemRng(), test::kFastKdf).error().code ==
          "box.kiosk");
    CHECK(BallotBox::Create(dir / "box1.sqlite", pkg, 1, "1234", SystemRng(), test::kFastKdf).error().code ==
          "box.exists");
}

SUITE_CASE("box: a ballot with a category mismatch or a bad proof is never stored")
{
    const test::UseSuite use(SuiteT::kId);
    TempDir dir;
    const auto e = Make(SmallElection());
    auto pkg = LoadPackage(e.package.Serialize()).value();
    auto box = BallotBox::Create(dir / "box.sqlite", pkg, 1, "1234", SystemRng(), test::kFastKdf);
    REQUIRE(box.ok());
    // A ballot proved for category 1 presented with a category-0 code fails its proofs.
    CHECK(box->Cast(Normalized(FirstCode(e, 0)), Ballot(pkg, 1)).error().code == "box.ballot");
    CHECK(box->CheckCode(Normalized(FirstCode(e, 0))).kind == CodeStatus::Kind::Valid);
    CHECK(box->ballots() == 0);
}

TEST_CASE("box: garbage files, other formats and other schema versions are refused with a clear error")
{
    TempDir dir;
    WriteBytes(dir / "garbage.sqlite", AsBytes("this is not a database, just some text that is long enough......"));
    CHECK(ReadBox(dir / "garbage.sqlite").error().code == "box.damaged");
    CHECK(ReadBox(dir / "missing.sqlite").error().code == "box.missing");
    // A real SQLite database that is not a ballot box.
    {
        sqlite3* db = nullptr;
        sqlite3_open((dir / "other.sqlite").string().c_str(), &db);
        sqlite3_exec(db, "CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB)", nullptr, nullptr, nullptr);
        sqlite3_close(db);
    }
    CHECK(ReadBox(dir / "other.sqlite").error().code == "box.format");
    // A box of a future schema version.
    const auto e = Make(SmallElection());
    auto pkg = LoadPackage(e.package.Serialize()).value();
    {
        auto box = BallotBox::Create(dir / "box.sqlite", pkg, 1, "1234", SystemRng(), test::kFastKdf);
        REQUIRE(box.ok());
    }
    {
        sqlite3* db = nullptr;
        sqlite3_open((dir / "box.sqlite").string().c_str(), &db);
        sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr);
        sqlite3_close(db);
    }
    CHECK(ReadBox(dir / "box.sqlite").error().code == "box.version");
    CHECK_FALSE(BallotBox::Resume(dir / "box.sqlite", "1234").ok());
    // A garbage package file.
    CHECK(LoadPackage(AsBytes("\x89PNG\r\n")).error().code == "package.format");
}

}  // namespace pingyi
