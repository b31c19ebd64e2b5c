// make_conformance OUT_DIR: writes the conformance samples of docs/verifier-guide.md.
//
// An honest election record (two kiosks, three categories of which the small one is merged
// by the minimum-group rule, ballots checked by tellers, two of three trustees decrypting)
// and, for each check of `pingyi verify`, one record made from it by a real mutation — re-
// chained and re-signed with the kiosk's device key or the admin key where the check would
// otherwise be hidden behind a signature — in which that check fails. OUT_DIR/expected.json
// gives, per sample, the files to verify and the verdict of every check. Before writing it,
// this program verifies every sample with the core's own verifier and stops if any verdict
// differs from the one declared here: the declared verdicts are the specification, the
// verifier's output is only compared with them.
//
// Records are random (fresh keys, nonces and codes each run); only their verdicts are fixed.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include "core/ballot_box.hpp"
#include "core/package.hpp"
#include "core/results.hpp"
#include "core/tally.hpp"
#include "core/trustee_tally.hpp"
#include "core/trustees.hpp"
#include "core/verify.hpp"
#include "crypto/keyfile.hpp"
#include "crypto/random.hpp"

namespace fs = std::filesystem;
using namespace pingyi;

namespace {

constexpr KdfParams kFastKdf{14, 8, 1};  // only the samples' throw-away keys
constexpr std::string_view kAdminPass = "conformance admin passphrase";
constexpr std::string_view kPin = "246810";

[[noreturn]] void Die(const std::string& what)
{
    std::fprintf(stderr, "make_conformance: %s\n", what.c_str());
    std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what)
{
    if (!r) Die(std::string(what) + ": " + r.error().code + ": " + r.error().detail);
    return std::move(r).value();
}

void Must(const Status& s, const char* what)
{
    if (!s) Die(std::string(what) + ": " + s.error().code + ": " + s.error().detail);
}

Bytes ReadAll(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    if (!in) Die("cannot read " + p.string());
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

void WriteAll(const fs::path& p, ByteView b)
{
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    if (!out) Die("cannot write " + p.string());
}

Bytes Text(const std::string& s)
{
    return {s.begin(), s.end()};
}

nlohmann::json ParseBody(ByteView b)
{
    return nlohmann::json::parse(b.begin(), b.end());
}

void Sql(sqlite3* db, const std::string& sql)
{
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        const std::string msg = err ? err : "?";
        sqlite3_free(err);
        Die("SQL failed: " + msg);
    }
}

void SqlFile(const fs::path& path, const std::string& sql)
{
    sqlite3* db = nullptr;
    if (sqlite3_open(path.string().c_str(), &db) != SQLITE_OK) Die("cannot open " + path.string());
    Sql(db, sql);
    sqlite3_close(db);
}

void InsertRow(sqlite3* db, const char* sql, const std::vector<std::variant<std::int64_t, std::string, Bytes>>& values)
{
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) Die(std::string("prepare: ") + sql);
    int i = 1;
    for (const auto& v : values) {
        if (const auto* n = std::get_if<std::int64_t>(&v))
            sqlite3_bind_int64(st, i, *n);
        else if (const auto* s = std::get_if<std::string>(&v))
            sqlite3_bind_text(st, i, s->c_str(), -1, SQLITE_TRANSIENT);
        else {
            const auto& b = std::get<Bytes>(v);
            sqlite3_bind_blob(st, i, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
        }
        ++i;
    }
    if (sqlite3_step(st) != SQLITE_DONE) Die(std::string("insert: ") + sql);
    sqlite3_finalize(st);
}

// ---- The honest election --------------------------------------------------------------------

ElectionDefinition Definition()
{
    ElectionDefinition def;
    def.election_id = "c0f0a4ce5a4b1e5f00d1e2c3b4a59687";
    def.title = "2026年度示范党支部民主评议党员（一致性样本）";
    def.organization = "示范党支部";
    def.date = "2026-12-05";
    def.test_mode = true;
    def.roster = {{"张伟", "", ""}, {"王芳", "", ""}, {"李娜", "", ""}};
    def.options = DefaultOptions(false);
    def.quota = Quota{0, 1};
    // 党员 and 群众代表 stand alone; 团员青年代表 (2 ballots) is below min_group_size 3 and merged.
    def.categories = {{"党员", 8, 70}, {"团员青年代表", 3, 15}, {"群众代表", 5, 15}};
    def.kiosks = 2;
    def.min_group_size = 3;
    def.grade_rules = DefaultGradeRules();
    return def;
}

std::string TrusteePass(std::uint32_t i)
{
    return "conformance trustee " + std::to_string(i);
}

struct Honest {
    CreatedElection created;
    ElectionPackage package;
    Bytes package_file;
    std::vector<Bytes> share_keys;  // trustee i's share key file at [i-1]
    std::optional<SigningKey> admin;
    std::map<std::uint32_t, SigningKey> devices;  // kiosk -> device key
};

TrusteeSet RunCeremony(const ElectionDefinition& def, std::vector<Bytes>& share_keys)
{
    auto setup = Must(MakeCeremonySetup(def, 2, {"监票人 王强", "计票人 李梅", "纪检委员 赵刚"}), "ceremony setup");
    std::vector<Round1> r1;
    std::vector<Bytes> keys;
    for (std::uint32_t i = 1; i <= 3; ++i) {
        auto out = RunRound1(setup, i, TrusteePass(i), SystemRng(), kFastKdf);
        r1.push_back(std::move(out.record));
        keys.push_back(std::move(out.key_file));
    }
    auto round1 = Must(CollectRound1(setup, std::move(r1)), "round 1");
    std::vector<Round2> r2;
    for (std::uint32_t i = 1; i <= 3; ++i)
        r2.push_back(Must(RunRound2(setup, round1, keys[i - 1], TrusteePass(i), SystemRng()), "round 2"));
    std::vector<Round3> r3;
    for (std::uint32_t i = 1; i <= 3; ++i) {
        auto out = Must(RunRound3(setup, round1, r2, keys[i - 1], TrusteePass(i), SystemRng(), kFastKdf), "round 3");
        r3.push_back(std::move(out.record));
        share_keys.push_back(std::move(out.share_key_file));
    }
    return Must(FinishCeremony(setup, round1, r3), "finish ceremony");
}

// Who votes where: per kiosk, ballots cast per category, and how many ballots tellers check.
struct KioskPlan {
    std::vector<std::uint32_t> cast;  // per category
    std::uint32_t checked = 0;
};

Honest MakeHonest(const fs::path& dir)
{
    Honest h;
    const ElectionDefinition def = Definition();
    const TrusteeSet trustees = RunCeremony(def, h.share_keys);
    h.created = Must(CreateElection(def, kAdminPass, SystemRng(), kFastKdf, &trustees), "create election");
    h.package_file = h.created.package.Serialize();
    h.package = Must(LoadPackage(h.package_file), "load package");
    h.admin = Must(OpenSigningKey(h.created.admin_key_file, kAdminPass), "admin key");
    WriteAll(dir / "election.pyp", h.package_file);

    const std::vector<KioskPlan> plan = {{{4, 1, 1}, 1}, {{2, 1, 2}, 2}};
    const GridShape shape = h.package.Shape();
    std::uint32_t serial = 0;
    std::vector<fs::path> boxes;
    for (std::uint32_t kiosk = 1; kiosk <= 2; ++kiosk) {
        const fs::path path = dir / ("kiosk" + std::to_string(kiosk) + ".sqlite");
        fs::remove(path);
        fs::remove(path.string() + ".key");
        auto box = Must(BallotBox::Create(path, h.package, kiosk, kPin, SystemRng(), kFastKdf), "create box");
        Must(box.LogEvent(BoxEvent::CodeRejected, {{"reason", "unknown"}}), "log");
        std::vector<std::uint32_t> cast(def.categories.size(), 0);
        std::uint32_t checked = 0;
        const auto choices_for = [&](std::uint32_t n) {
            std::vector<std::uint32_t> c(def.roster.size());
            for (std::uint32_t i = 0; i < c.size(); ++i)
                c[i] = (i == n % c.size() && n % 2 == 0) ? 0 : 1 + (n + i) % 3;  // at most one 优秀
            return c;
        };
        for (const auto& code : h.created.codes) {
            if (code.kiosk != kiosk) continue;
            const std::string normalized = *NormalizeCode(code.code);
            // The tellers check ballots with the first code of the kiosk (it stays unused),
            // then cast with it.
            while (checked < plan[kiosk - 1].checked) {
                if (checked == 0) Must(box.LogEvent(BoxEvent::CheckMode, {{"on", true}}), "log");
                std::vector<Scalar> nonces;
                const auto grid = EncryptGrid(h.package.public_key, shape, choices_for(100 + checked),
                                              h.package.BallotContext(code.category), SystemRng(), &nonces);
                Bytes revealed;
                for (const auto& r : nonces)
                    AppendBytes(revealed, r.Encode());
                Must(box.Spoil(normalized, grid, revealed), "spoil");
                if (++checked == plan[kiosk - 1].checked)
                    Must(box.LogEvent(BoxEvent::CheckMode, {{"on", false}}), "log");
            }
            if (cast[code.category] == plan[kiosk - 1].cast[code.category]) continue;
            const auto grid = EncryptGrid(h.package.public_key, shape, choices_for(serial++),
                                          h.package.BallotContext(code.category), SystemRng());
            Must(box.Cast(normalized, grid), "cast");
            ++cast[code.category];
        }
        if (cast != plan[kiosk - 1].cast) Die("too few codes for the plan");
        Must(box.LogEvent(BoxEvent::OperatorLogin, {{"ok", true}}), "log");
        Must(box.Close(), "close");
        h.devices.emplace(kiosk, Must(OpenSigningKey(ReadAll(path.string() + ".key"), kPin), "device key"));
        // The kiosk's own files beside the box (device key, rollback counter) are not part of
        // the record an auditor gets.
        fs::remove(path.string() + ".key");
        fs::remove(path.string() + ".counter");
        boxes.push_back(path);
    }

    // Trustees 1 and 3 decrypt the sums; the admin key signs the combination.
    Audit audit = VerifyElection(h.package_file, boxes);
    if (!audit.report.ok()) Die("the honest boxes do not verify");
    std::vector<std::uint32_t> present;
    for (const auto n : audit.BallotsPerCategory())
        present.push_back(n + 1);  // 实到 per category (one more came than voted)
    std::vector<TrusteePartials> partials;
    for (std::uint32_t j : {1u, 3u}) {
        auto share = Must(OpenTrusteeShare(h.share_keys[j - 1], TrusteePass(j)), "open share");
        partials.push_back(Must(RunPartialDecryption(audit, share, present, SystemRng()), "partial decryption"));
        WriteAll(dir / ("partial-" + std::to_string(j) + ".json"), partials.back().Serialize());
    }
    auto results = Must(CombineTrusteePartials(audit, partials, *h.admin, TallyInput{10}), "combine");
    WriteAll(dir / "results.json", results.Serialize());
    return h;
}

// ---- Mutations --------------------------------------------------------------------------------

// Reads a box, lets `edit` change it, writes the ballots, seals and events back. The helpers
// below re-derive what a forger holding the device key would re-derive.
void EditBox(const fs::path& path, const std::function<void(BoxContents&)>& edit)
{
    auto c = Must(ReadBox(path), "read box");
    edit(c);
    sqlite3* db = nullptr;
    if (sqlite3_open(path.string().c_str(), &db) != SQLITE_OK) Die("open " + path.string());
    Sql(db, "BEGIN; DELETE FROM ballots; DELETE FROM seals; DELETE FROM events;");
    for (const auto& b : c.ballots)
        InsertRow(db, "INSERT INTO ballots(hash, body, signature) VALUES(?, ?, ?)",
                  {Bytes(b.hash.begin(), b.hash.end()), b.body, b.signature});
    const std::pair<SealKind, std::optional<BoxSeal>*> seals[] = {
        {SealKind::Open, &c.open}, {SealKind::State, &c.state}, {SealKind::Close, &c.close}};
    for (const auto& [kind, seal] : seals)
        if (*seal)
            InsertRow(db, "INSERT INTO seals(kind, body, signature) VALUES(?, ?, ?)",
                      {std::string(SealKindName(kind)), (*seal)->body, (*seal)->signature});
    for (const auto& e : c.events)
        InsertRow(db, "INSERT INTO events(seq, body, hash, signature) VALUES(?, ?, ?, ?)",
                  {static_cast<std::int64_t>(e.seq), e.body, Bytes(e.hash.begin(), e.hash.end()), e.signature});
    Sql(db, "COMMIT; VACUUM;");
    sqlite3_close(db);
}

struct Forger {
    const ElectionPackage& pkg;
    const SigningKey& device;

    // A ballot stored under its own hash and signed.
    void SignBallot(const BoxContents& c, BallotRow& b) const
    {
        b.hash = BallotHash(pkg.suite(), pkg.fingerprint, c.kiosk, b.body);
        b.signature = device.Sign(BallotSigningMessage(b.hash));
    }
    // The ballots sorted as the table keeps them; the state and close seals (and poll_closed)
    // state their count and set; the event log re-chained, re-signed and pinned again.
    void Reseal(BoxContents& c) const
    {
        std::sort(c.ballots.begin(), c.ballots.end(), [](const auto& x, const auto& y) { return x.hash < y.hash; });
        std::vector<Digest> hashes;
        for (const auto& b : c.ballots)
            hashes.push_back(b.hash);
        const std::string set = ToHex(BallotSetHash(pkg.suite(), pkg.fingerprint, c.kiosk, hashes));
        const auto n = static_cast<std::uint32_t>(c.ballots.size());
        for (auto& e : c.events) {
            auto j = ParseBody(e.body);
            if (j.at("event") == "poll_closed") {
                j["ballots"] = n;
                e.body = Text(Canonical(j));
            }
        }
        Rechain(c);
        c.state->body = Text(Canonical({{"ballots", n}, {"set", set}}));
        auto close = ParseBody(c.close->body);
        close["ballots"] = n;
        close["set"] = set;
        c.close->body = Text(Canonical(close));
        Pin(c);
        SignSeals(c);
    }
    void Rechain(BoxContents& c) const
    {
        Digest prev = pkg.fingerprint;
        for (std::size_t i = 0; i < c.events.size(); ++i) {
            auto& e = c.events[i];
            e.seq = i;
            e.hash = EventHash(pkg.suite(), prev, i, e.body);
            e.signature = device.Sign(EventSigningMessage(e.hash));
            prev = e.hash;
        }
    }
    // The close seal pins the log up to its poll_closed event.
    void Pin(BoxContents& c) const
    {
        auto close = ParseBody(c.close->body);
        for (std::size_t i = 0; i < c.events.size(); ++i)
            if (ParseBody(c.events[i].body).at("event") == "poll_closed") {
                close["events"] = i + 1;
                close["events_head"] = ToHex(c.events[i].hash);
            }
        c.close->body = Text(Canonical(close));
    }
    void SignSeals(BoxContents& c) const
    {
        const std::pair<SealKind, std::optional<BoxSeal>*> seals[] = {
            {SealKind::Open, &c.open}, {SealKind::State, &c.state}, {SealKind::Close, &c.close}};
        for (const auto& [kind, seal] : seals)
            if (*seal)
                (*seal)->signature = device.Sign(
                    SealSigningMessage(SealHash(pkg.suite(), pkg.fingerprint, c.kiosk, kind, (*seal)->body)));
    }
};

// The revealed nonces of the first ballot_spoiled event of a box.
EventRecord& FirstSpoiled(BoxContents& c)
{
    for (auto& e : c.events)
        if (ParseBody(e.body).at("event") == "ballot_spoiled") return e;
    Die("no ballot_spoiled event");
}

// ---- Samples --------------------------------------------------------------------------------

// The checks as `pingyi verify` names them, in the order of docs/verifier-guide.md.
const std::vector<std::string> kChecks = {
    "package.format",     "package.signature",  "package.key_proof", "package.trustees",    "boxes.present",
    "box.read",           "box.package",        "box.open",          "box.ballots",         "box.signatures",
    "box.state",          "box.close",          "box.events",        "box.codes",           "ballots.proofs",
    "boxes.kiosks",       "boxes.complete",     "ballots.unique",    "ballots.spoiled",     "package.fingerprint",
    "boxes.registered",   "results.read",       "results.format",    "results.election",    "results.signature",
    "results.boxes",      "results.attendance", "results.groups",    "results.min_group",   "results.aggregates",
    "results.decryption", "results.trustees",   "results.partials",  "results.combination", "partial.file"};

struct Sample {
    Sample(std::string n, std::string d) : name(std::move(n)), description(std::move(d)) {}
    std::string name, description;
    std::string package = "honest/election.pyp";
    std::vector<std::string> boxes = {"honest/kiosk1.sqlite", "honest/kiosk2.sqlite"};
    std::optional<std::string> results = "honest/results.json";
    // `pingyi verify --partial` fails partial.file whenever another check failed (the trustee's
    // tool decrypts nothing then): the partial files are given only where nothing else fails.
    std::vector<std::string> partials;
    std::optional<std::string> expect_fingerprint;  // default: the honest one
    std::optional<std::vector<std::string>> expect_devices;
    std::vector<std::string> fails;   // the checks that fail
    std::vector<std::string> absent;  // checks not reached (beyond the honest record's absent ones)
};

// The checks the honest record never prints: it is keyed by trustees (no single election key).
const std::vector<std::string> kHonestAbsent = {"package.format",    "package.key_proof", "boxes.present",
                                                "results.read",      "results.format",    "results.election",
                                                "results.decryption"};

std::vector<std::string> ResultsChecks()
{
    return {"results.signature",  "results.boxes",    "results.attendance", "results.groups",     "results.min_group",
            "results.aggregates", "results.trustees", "results.partials",   "results.combination"};
}

// The verdict of each check in a report: pass, fail, open (box.close of an open box), warn
// (boxes.registered with nothing to compare) or absent.
std::map<std::string, std::string> Verdicts(const VerifyReport& report)
{
    std::map<std::string, std::string> v;
    for (const auto& id : kChecks)
        v[id] = "absent";
    for (const auto& l : report.lines) {
        auto& cur = v[l.id];
        const std::string mine = l.open ? "open" : l.warning ? "warn" : l.ok ? "pass" : "fail";
        if (cur == "absent" || cur == "pass" || (cur == "warn" && mine == "fail")) cur = mine;
    }
    return v;
}

}  // namespace

// As `pingyi verify --partial` (admin/trustee_cli.cpp, part of the console, not the core)
// checks a trustee's partial decryption file, through the same core functions.
namespace {
void VerifyPartialFile(Audit& audit, const fs::path& path)
{
    auto parsed = ParsePartialsFile(ReadAll(path), *audit.package);
    if (!parsed) {
        audit.report.Add("partial.file", false, Phrase::ForError(parsed.error()));
        return;
    }
    auto prepared = PrepareResults(audit, {});
    if (!prepared) {
        audit.report.Add("partial.file", false, Phrase::ForError(prepared.error()));
        return;
    }
    const Status s = VerifyTrusteePartials(audit, prepared->groups, AggregateSums(audit, prepared->groups), *parsed);
    audit.report.Add("partial.file", s.ok(), s.ok() ? Phrase::Literal("valid") : Phrase::ForError(s.error()));
}
}  // namespace

int main(int argc, char** argv)
{
    if (argc != 2) Die("usage: make_conformance OUT_DIR");
    const fs::path root = argv[1];
    fs::create_directories(root);
    for (const auto& entry : fs::directory_iterator(root))
        if (entry.is_directory()) fs::remove_all(entry.path());
    const fs::path honest = root / "honest";
    Honest h = MakeHonest(honest);
    const ElectionPackage& pkg = h.package;
    const std::string fp = ToHex(pkg.fingerprint);
    std::vector<std::string> devices;
    for (const auto& [k, key] : h.devices)
        devices.push_back(KeyFingerprint(key.public_key()));

    std::vector<Sample> samples;
    const auto add = [&](Sample s) { samples.push_back(std::move(s)); };
    // A copy of an honest file into a sample's folder, for mutation.
    const auto copy = [&](const std::string& sample, const std::string& file) {
        const fs::path to = root / sample / file;
        fs::create_directories(to.parent_path());
        fs::copy_file(honest / file, to, fs::copy_options::overwrite_existing);
        return to;
    };
    const auto forger = [&](std::uint32_t kiosk) { return Forger{pkg, h.devices.at(kiosk)}; };
    const auto results_of = [&](const fs::path& p) { return Must(ParseResults(ReadAll(p), pkg), "parse results"); };
    const auto resign_results = [&](const fs::path& p, const std::function<void(Results&)>& edit) {
        Results r = results_of(p);
        edit(r);
        r.signature = h.admin->Sign(ResultsSigningMessage(Canonical(r.Body())));
        WriteAll(p, r.Serialize());
    };

    {
        Sample s{"honest", "the honest record: every check passes"};
        s.partials = {"honest/partial-1.json", "honest/partial-3.json"};
        add(s);
    }

    // ---- The package ----
    // A record whose package file is changed by `edit`: it does not load, so nothing else is
    // checked but the auditor's anchors (formats.md §4.9).
    const auto package_sample = [&](const std::string& name, const std::string& description, const std::string& check,
                                    const std::function<void(nlohmann::json&)>& edit) {
        const auto p = copy(name, "election.pyp");
        auto file = ParseBody(ReadAll(p));
        edit(file);
        WriteAll(p, Text(file.dump(1) + "\n"));
        Sample s{name, description};
        s.package = name + "/election.pyp";
        s.fails = {check, "package.fingerprint"};
        for (const auto& id : kChecks)
            if (id != check && id != "package.fingerprint" && id != "boxes.registered") s.absent.push_back(id);
        add(s);
    };
    package_sample("package-format", "the package file has a member besides body and signature", "package.format",
                   [](nlohmann::json& file) { file["note"] = "unsigned"; });
    package_sample("package-signature", "one hex digit of the package's admin signature changed", "package.signature",
                   [](nlohmann::json& file) {
                       std::string sig = file.at("signature");
                       sig[0] = sig[0] == '0' ? '1' : '0';
                       file["signature"] = sig;
                   });
    package_sample("package-trustees", "a trustee's commitment proof in the package altered; package re-signed",
                   "package.trustees", [&](nlohmann::json& file) {
                       auto& body = file.at("body");
                       auto& proof = body.at("trustees").at("members").at(0).at("proofs").at(0);
                       std::string text = proof;
                       text.back() = text.back() == '0' ? '1' : '0';
                       proof = text;
                       Bytes msg;
                       AppendLengthPrefixed(msg, AsBytes("pingyi/v1/package-signature"));
                       AppendLengthPrefixed(msg, AsBytes(Canonical(body)));
                       file["signature"] = ToHex(h.admin->Sign(msg));
                   });
    {
        Sample s{"package-fingerprint", "the honest record against another election's fingerprint (one digit changed)"};
        std::string other = fp;
        other[10] = other[10] == 'a' ? 'b' : 'a';
        s.expect_fingerprint = other;
        s.fails = {"package.fingerprint"};
        add(s);
    }
    {
        Sample s{"boxes-registered", "kiosk 2's device key is not among the fingerprints written down at opening"};
        s.expect_devices = std::vector<std::string>{devices[0], "0123-4567-89ab-cdef"};
        s.fails = {"boxes.registered"};
        add(s);
    }

    // ---- One box ----
    // A record whose box of `kiosk` is the honest one changed by `sql` (run first, as a
    // tamperer with a SQLite shell would) and `edit` (with the kiosk's device key). A change
    // of the close seal or the ballots changes what the results name: such a record is
    // verified without them (`with_results` false).
    const auto box_sample = [&](const std::string& name, const std::string& description, std::uint32_t kiosk,
                                std::vector<std::string> fails, bool with_results, const std::string& sql,
                                const std::function<void(BoxContents&, const Forger&)>& edit) {
        const std::string file = "kiosk" + std::to_string(kiosk) + ".sqlite";
        const auto p = copy(name, file);
        if (!sql.empty()) SqlFile(p, sql);
        if (edit) EditBox(p, [&](BoxContents& c) { edit(c, forger(kiosk)); });
        Sample s{name, description};
        s.boxes.at(kiosk - 1) = name + "/" + file;
        s.fails = std::move(fails);
        if (!with_results) {
            s.results.reset();
            s.absent = ResultsChecks();
        }
        add(s);
    };
    box_sample("box-read", "kiosk 2's box has a meta key formats.md does not define", 2, {"box.read", "boxes.complete"},
               false, "INSERT INTO meta(key, value) VALUES('note', X'00')", {});
    box_sample("box-open", "the open seal has a member formats.md does not define; re-signed", 1, {"box.open"}, true,
               {}, [](BoxContents& c, const Forger& f) {
                   auto j = ParseBody(c.open->body);
                   j["operator"] = "王芳";
                   c.open->body = Text(Canonical(j));
                   f.SignSeals(c);
               });
    // Two ballots of one category swap bodies: each is under another ballot's hash, but every
    // signature (over the hash), the sets, the counts and the sums are unchanged.
    box_sample("box-ballots", "two ballots of one category swapped their bodies (each under the other's hash)", 1,
               {"box.ballots"}, true, {}, [](BoxContents& c, const Forger&) {
                   for (std::size_t i = 0; i < c.ballots.size(); ++i)
                       for (std::size_t k = i + 1; k < c.ballots.size(); ++k)
                           if (ReadU32(c.ballots[i].body) == ReadU32(c.ballots[k].body)) {
                               std::swap(c.ballots[i].body, c.ballots[k].body);
                               return;
                           }
                   Die("no two ballots of one category");
               });
    const SigningKey other = SigningKey::Generate(SystemRng());
    box_sample("box-signatures", "one ballot signed by another key than the kiosk's device key", 2, {"box.signatures"},
               true, {}, [&](BoxContents& c, const Forger&) {
                   c.ballots.at(0).signature = other.Sign(BallotSigningMessage(c.ballots[0].hash));
               });
    box_sample("box-state", "the state seal states one ballot more than the box holds; re-signed", 1, {"box.state"},
               true, {}, [](BoxContents& c, const Forger& f) {
                   auto j = ParseBody(c.state->body);
                   j["ballots"] = j.at("ballots").get<int>() + 1;
                   c.state->body = Text(Canonical(j));
                   f.SignSeals(c);
               });
    box_sample("box-close", "the close seal's ballot set is not the set of the ballots present; re-signed", 2,
               {"box.close"}, false, {}, [](BoxContents& c, const Forger& f) {
                   auto j = ParseBody(c.close->body);
                   std::string set = j.at("set");
                   set[0] = set[0] == '0' ? '1' : '0';
                   j["set"] = set;
                   c.close->body = Text(Canonical(j));
                   f.SignSeals(c);
               });
    box_sample("box-events-chain", "an event's body changed: it no longer chains (hash and signature kept)", 1,
               {"box.events"}, true, {}, [](BoxContents& c, const Forger&) {
                   auto& e = c.events.at(1);
                   auto j = ParseBody(e.body);
                   j["reason"] = "format";
                   e.body = Text(Canonical(j));
               });
    // Only the pinned head catches this one: every event chains and is signed.
    box_sample("box-events-prefix",
               "an event removed from the pinned log; re-chained and re-signed, the close seal unchanged", 1,
               {"box.events"}, true, {}, [](BoxContents& c, const Forger& f) {
                   c.events.erase(c.events.begin() + 1);
                   f.Rechain(c);
               });
    box_sample("box-codes", "an unused code of kiosk 2 listed under another category", 2, {"box.codes"}, true,
               "UPDATE codes SET category = (category + 1) % 3 WHERE hash = "
               "(SELECT min(hash) FROM codes WHERE used = 0)",
               {});

    // ---- The ballots ----
    box_sample("ballots-proofs", "a byte of one ballot's proofs changed; ballot re-signed, box re-sealed", 1,
               {"ballots.proofs"}, false, {}, [](BoxContents& c, const Forger& f) {
                   auto& b = c.ballots.at(0);
                   b.body[b.body.size() - 40] ^= 0x01;
                   f.SignBallot(c, b);
                   f.Reseal(c);
               });
    {
        Sample s{"boxes-kiosks", "kiosk 1's box given twice (no box of kiosk 2)"};
        s.boxes = {"honest/kiosk1.sqlite", "honest/kiosk1.sqlite"};
        s.results.reset();
        s.expect_devices = std::vector<std::string>{devices[0]};
        s.fails = {"boxes.kiosks", "boxes.complete", "ballots.unique"};
        s.absent = ResultsChecks();
        add(s);
    }
    {
        Sample s{"boxes-complete", "only kiosk 1's box is given"};
        s.boxes = {"honest/kiosk1.sqlite"};
        s.results.reset();
        s.expect_devices = std::vector<std::string>{devices[0]};
        s.fails = {"boxes.complete"};
        s.absent = ResultsChecks();
        add(s);
    }
    // A ballot of kiosk 1 copied into kiosk 2's box under a code of its category marked used
    // there; stored under kiosk 2's hash, signed, the box re-sealed.
    // (Of category 0, 党员: kiosk 2 has unused codes of that category only.)
    const auto kiosk1 = Must(ReadBox(honest / "kiosk1.sqlite"), "read kiosk 1");
    const BallotRow copied = *std::find_if(kiosk1.ballots.begin(), kiosk1.ballots.end(),
                                           [](const BallotRow& b) { return ReadU32(b.body) == 0; });
    box_sample("ballots-unique", "a ballot of kiosk 1 copied into kiosk 2's box (a used code, re-signed, re-sealed)", 2,
               {"ballots.unique"}, false,
               "UPDATE codes SET used = 1 WHERE hash = (SELECT min(hash) FROM codes WHERE used = 0 AND category = " +
                   std::to_string(ReadU32(copied.body)) + ")",
               [&](BoxContents& c, const Forger& f) {
                   BallotRow b{{}, copied.body, {}};
                   f.SignBallot(c, b);
                   c.ballots.push_back(b);
                   f.Reseal(c);
               });
    // A checked ballot's revealed nonces: the first two swapped; the event re-chained, re-signed
    // and pinned again.
    box_sample("ballots-spoiled", "a checked ballot's revealed nonces do not open it (two swapped); re-signed", 2,
               {"ballots.spoiled"}, false, {}, [](BoxContents& c, const Forger& f) {
                   auto& e = FirstSpoiled(c);
                   auto j = ParseBody(e.body);
                   std::string n = j.at("nonces");
                   std::swap_ranges(n.begin(), n.begin() + 64, n.begin() + 64);
                   j["nonces"] = n;
                   e.body = Text(Canonical(j));
                   f.Rechain(c);
                   f.Pin(c);
                   f.SignSeals(c);
               });

    // ---- The results (re-signed by the admin key unless the signature is the point) ----
    {
        const auto p = copy("results-signature", "results.json");
        auto file = ParseBody(ReadAll(p));
        auto& a = file.at("body").at("aggregates").at(0);
        a["count"] = a.at("count").get<int>() + 1;
        WriteAll(p, Text(file.dump(1) + "\n"));
        Sample s{"results-signature", "one published count changed, not re-signed"};
        s.results = "results-signature/results.json";
        s.fails = {"results.signature"};
        s.absent = {"results.boxes",      "results.attendance", "results.groups",   "results.min_group",
                    "results.aggregates", "results.trustees",   "results.partials", "results.combination"};
        add(s);
    }
    {
        const auto p = copy("results-format", "results.json");
        auto file = ParseBody(ReadAll(p));
        file["note"] = "unsigned";
        WriteAll(p, Text(file.dump(1) + "\n"));
        Sample s{"results-format", "the results file has a member besides body and signature"};
        s.results = "results-format/results.json";
        s.fails = {"results.format"};
        s.absent = ResultsChecks();
        add(s);
    }
    // Re-signed results: `edit` breaks one rule, the admin key signs again.
    const auto results_sample = [&](const std::string& name, const std::string& description,
                                    const std::function<void(Results&)>& edit, std::vector<std::string> fails,
                                    std::vector<std::string> absent = {}) {
        resign_results(copy(name, "results.json"), edit);
        Sample s{name, description + "; re-signed"};
        s.results = name + "/results.json";
        s.fails = std::move(fails);
        s.absent = std::move(absent);
        add(s);
    };
    results_sample(
        "results-election", "the results name another election's fingerprint",
        [](Results& r) { r.election[0] ^= 0x01; }, {"results.election"}, ResultsChecks());
    results_sample("results-boxes", "the results claim one more checked ballot in kiosk 1's box",
                   [](Results& r) { r.boxes.at(0).spoiled += 1; }, {"results.boxes"});
    results_sample("results-attendance", "the results claim one more used code of 党员",
                   [](Results& r) { r.attendance.at(0).used += 1; }, {"results.attendance"});
    results_sample("results-groups", "a tally group claims one ballot more than it has",
                   [](Results& r) { r.groups.at(0).ballots += 1; }, {"results.groups"},
                   {"results.aggregates", "results.trustees", "results.partials", "results.combination"});
    results_sample("results-aggregates", "two aggregates' ciphertexts swapped (neither is the sum of its cells)",
                   [](Results& r) { std::swap(r.aggregates.at(0).sum, r.aggregates.at(1).sum); },
                   {"results.aggregates", "results.partials"}, {"results.combination"});
    results_sample("results-trustees", "the results carry one trustee's partials where two are needed",
                   [](Results& r) { r.partials.pop_back(); }, {"results.trustees"},
                   {"results.partials", "results.combination"});
    results_sample("results-partials", "two of trustee 1's partial decryptions swapped inside the results",
                   [](Results& r) {
                       auto& t = r.partials.at(0).partials;
                       std::swap(t.at(0).d, t.at(1).d);
                   },
                   {"results.partials"}, {"results.combination"});
    results_sample("results-combination", "one published count is not what the trustees' partials give",
                   [](Results& r) { r.aggregates.at(1).count += 1; }, {"results.combination"});

    // ---- A trustee's partial decryption file (pingyi verify --partial) ----
    {
        const auto p = copy("partial-file", "partial-3.json");
        auto t = Must(ParsePartialsFile(ReadAll(p), pkg), "parse partial");
        std::swap(t.partials.at(2).d, t.partials.at(3).d);
        WriteAll(p, t.Serialize());
        Sample s{"partial-file", "two of trustee 3's partial decryptions swapped in partial-3.json"};
        s.partials = {"honest/partial-1.json", "partial-file/partial-3.json"};
        s.fails = {"partial.file"};
        add(s);
    }

    // ---- Verify every sample with the core; write expected.json ----
    nlohmann::json out;
    out["suite"] = "P256-SHA256";
    out["checks"] = kChecks;
    for (std::size_t i = 0; i < kChecks.size(); ++i)
        out["numbers"]["V" + std::to_string(i + 1)] = kChecks[i];
    out["samples"] = nlohmann::json::array();
    bool all_ok = true;
    for (const auto& s : samples) {
        std::map<std::string, std::string> expected;
        for (const auto& id : kChecks)
            expected[id] = "pass";
        for (const auto& id : kHonestAbsent)
            expected[id] = "absent";
        for (const auto& id : s.absent)
            expected[id] = "absent";
        for (const auto& id : s.fails)
            expected[id] = "fail";
        if (s.partials.empty()) expected["partial.file"] = "absent";

        std::vector<fs::path> boxes;
        for (const auto& b : s.boxes)
            boxes.push_back(root / b);
        Audit a = VerifyElection(ReadAll(root / s.package), boxes);
        if (s.results) VerifyResults(a, ReadAll(root / *s.results));
        if (a.package)
            for (const auto& part : s.partials)
                VerifyPartialFile(a, root / part);
        CheckExpectedFingerprint(a, s.expect_fingerprint.value_or(fp));
        CheckExpectedDevices(a, s.expect_devices.value_or(devices));  // as the console: even without a package
        const auto got = Verdicts(a.report);
        for (const auto& id : kChecks)
            if (got.at(id) != expected.at(id)) {
                all_ok = false;
                std::string detail;
                for (const auto& l : a.report.lines)
                    if (l.id == id) detail += " | " + l.detail;
                std::fprintf(stderr, "%s: %s is %s, declared %s%s\n", s.name.c_str(), id.c_str(), got.at(id).c_str(),
                             expected.at(id).c_str(), detail.c_str());
            }
        nlohmann::json j;
        j["name"] = s.name;
        j["description"] = s.description;
        j["package"] = s.package;
        j["boxes"] = s.boxes;
        if (s.results) j["results"] = *s.results;
        j["partials"] = s.partials;
        j["expect_fingerprint"] = s.expect_fingerprint.value_or(fp);
        j["expect_devices"] = s.expect_devices.value_or(devices);
        j["verdicts"] = expected;
        out["samples"].push_back(j);
    }
    if (!all_ok) Die("a sample's verdicts differ from the declared ones (above)");
    WriteAll(root / "expected.json", Text(out.dump(1, ' ', false) + "\n"));
    std::printf("make_conformance: %zu samples, %zu checks, written to %s\n", samples.size(), kChecks.size(),
                root.string().c_str());
    return 0;
}
