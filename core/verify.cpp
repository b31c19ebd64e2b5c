#include "core/verify.hpp"

#include "core/device_list.hpp"
#include "core/trustee_tally.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace pingyi {
namespace {

struct Failures {
    std::size_t count = 0;
    Phrase first;
    void Note(Phrase what)
    {
        if (count++ == 0) first = std::move(what);
    }
    [[nodiscard]] Phrase Detail(Phrase ok_text) const
    {
        if (count == 0) return ok_text;
        if (count == 1) return first;
        return Ph("{0} (and {1} more)", first, count - 1);
    }
};

// ---- The box's JSON bodies: exact members, canonical form (formats.md §4.5, §4.10) --------
// The Check… functions return an empty phrase when a body is as specified, else what is wrong.

// A seal or event body must be a JSON object in canonical form (formats.md §0): nullopt
// (and `why`) otherwise. Bodies come from an untrusted file: parsed within ParseJson's limits
// before anything canonicalises them.
// `why` is a predicate: "is not canonical JSON".
std::optional<nlohmann::json> ParseCanonicalObject(ByteView body, Phrase& why)
{
    try {
        auto parsed = ParseJson(body);
        if (!parsed) {
            why = Ph("is not valid JSON ({0})", Phrase::ForError(parsed.error()));
            return std::nullopt;
        }
        auto& j = *parsed;
        if (!j.is_object()) {
            why = Ph("is not a JSON object");
            return std::nullopt;
        }
        if (Canonical(j) != std::string(body.begin(), body.end())) {
            why = Ph("is not canonical JSON");
            return std::nullopt;
        }
        return std::move(j);
    } catch (const nlohmann::json::exception&) {
        why = Ph("is not valid JSON");
        return std::nullopt;
    }
}

// ParseCanonicalObject, with exactly `members`.
std::optional<nlohmann::json> ParseExactBody(ByteView body, std::initializer_list<std::string_view> members,
                                             Phrase& why)
{
    auto j = ParseCanonicalObject(body, why);
    if (j && !HasExactly(*j, members)) {
        why = Ph("does not have exactly its members");
        return std::nullopt;
    }
    return j;
}

bool IsU32(const nlohmann::json& j)
{
    return IntegerValue<std::uint32_t>(j).has_value();
}

bool IsHexDigest(const nlohmann::json& j)
{
    if (!j.is_string()) return false;
    const auto b = FromHex(j.get<std::string>());
    return b && b->size() == kHashSize && ToHex(*b) == j.get<std::string>();
}

// The kiosk's clock as written: "YYYY-MM-DDTHH:MM:SSZ", month 01–12, day 01–31, hour 00–23,
// minute and second 00–59. Not compared with other times: a kiosk clock may be set back.
bool IsUtcTime(const std::string& t)
{
    static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
    if (t.size() != kShape.size()) return false;
    for (std::size_t i = 0; i < t.size(); ++i)
        if (kShape[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != kShape[i]) return false;
    const auto num = [&](std::size_t at) { return (t[at] - '0') * 10 + (t[at + 1] - '0'); };
    return num(5) >= 1 && num(5) <= 12 && num(8) >= 1 && num(8) <= 31 && num(11) <= 23 && num(14) <= 59 &&
           num(17) <= 59;
}

// box.open: the open seal's body (formats.md §4.5).
Phrase CheckOpenBody(ByteView body, const ElectionPackage& pkg, const BoxContents& c)
{
    Phrase why;
    const auto j = ParseExactBody(body, {"device_public_key", "election", "kiosk", "software"}, why);
    if (!j) return Ph("the open seal {0}", why);
    if (!j->at("software").is_string() || !IsU32(j->at("kiosk")) || !j->at("election").is_string() ||
        !j->at("device_public_key").is_string())
        return Ph("the open seal has a member of the wrong type");
    if (j->at("election").get<std::string>() != ToHex(pkg.fingerprint) ||
        *IntegerValue<std::uint32_t>(j->at("kiosk")) != c.kiosk ||
        j->at("device_public_key").get<std::string>() != ToHex(c.device_public_key))
        return Ph("the open seal names another election, kiosk or device key");
    return {};
}

// The parts of a state or close seal the other checks use; nullopt when its body is
// malformed. A state seal has no events.
struct CloseBody {
    std::uint64_t ballots = 0;
    std::uint64_t events = 0;
    std::string events_head, set;
};

std::optional<CloseBody> ParseSealBody(ByteView body, bool close, Phrase& why)
{
    const auto j = close ? ParseExactBody(body, {"ballots", "events", "events_head", "set"}, why)
                         : ParseExactBody(body, {"ballots", "set"}, why);
    if (!j) return std::nullopt;
    if (!IsU32(j->at("ballots")) || !IsHexDigest(j->at("set")) ||
        (close && (!IsU32(j->at("events")) || !IsHexDigest(j->at("events_head"))))) {
        why = Ph("has a member of the wrong type");
        return std::nullopt;
    }
    if (!close)
        return CloseBody{*IntegerValue<std::uint32_t>(j->at("ballots")), 0, {}, j->at("set").get<std::string>()};
    return CloseBody{*IntegerValue<std::uint32_t>(j->at("ballots")), *IntegerValue<std::uint32_t>(j->at("events")),
                     j->at("events_head").get<std::string>(), j->at("set").get<std::string>()};
}

// box.events: one event body has exactly its kind's members, each of its type and value
// (formats.md §4.10). `close` is the box's close seal, if it has one.
Phrase CheckEventBody(const nlohmann::json& j, BoxEvent kind, const BoxContents& c,
                      const std::optional<CloseBody>& close)
{
    // Every event has "event" and "time" (checked by the caller), then its own members.
    const auto exactly = [&](std::initializer_list<std::string_view> own) {
        return j.size() == own.size() + 2 &&
               std::all_of(own.begin(), own.end(), [&](auto m) { return j.contains(std::string(m)); });
    };
    const auto reason_in = [&](std::initializer_list<std::string_view> reasons) {
        return j.at("reason").is_string() &&
               std::find(reasons.begin(), reasons.end(), j.at("reason").get<std::string>()) != reasons.end();
    };
    switch (kind) {
        case BoxEvent::PollOpened:
            if (!exactly({"kiosk"}) || !IsU32(j.at("kiosk"))) return Ph("poll_opened must have exactly kiosk");
            if (*IntegerValue<std::uint32_t>(j.at("kiosk")) != c.kiosk) return Ph("poll_opened names another kiosk");
            return {};
        case BoxEvent::ResumeRefused:
            return exactly({"reason"}) && reason_in({"tampered", "rollback"})
                       ? Phrase()
                       : Ph("resume_refused must have exactly reason (tampered or rollback)");
        case BoxEvent::PollResumed:
        case BoxEvent::BoxExported:
            return exactly({}) ? Phrase() : Ph("{0} must have no other member", BoxEventName(kind));
        case BoxEvent::OperatorLogin:
            return exactly({"ok"}) && j.at("ok").is_boolean() ? Phrase()
                                                              : Ph("operator_login must have exactly ok (a boolean)");
        case BoxEvent::CodeRejected:
            return exactly({"reason"}) && reason_in({"format", "unknown", "used", "other_kiosk"})
                       ? Phrase()
                       : Ph("code_rejected must have exactly reason (format, unknown, used or other_kiosk)");
        case BoxEvent::BallotDiscarded:
            return exactly({"reason"}) && reason_in({"cancelled", "timeout"})
                       ? Phrase()
                       : Ph("ballot_discarded must have exactly reason (cancelled or timeout)");
        case BoxEvent::BallotSpoiled:
            return exactly({"ballot", "nonces"}) && j.at("ballot").is_string() && j.at("nonces").is_string()
                       ? Phrase()
                       : Ph("ballot_spoiled must have exactly ballot and nonces (hex)");
        case BoxEvent::CheckMode:
            return exactly({"on"}) && j.at("on").is_boolean() ? Phrase()
                                                              : Ph("check_mode must have exactly on (a boolean)");
        case BoxEvent::PollClosed:
            if (!exactly({"ballots"}) || !IsU32(j.at("ballots"))) return Ph("poll_closed must have exactly ballots");
            if (const auto n = *IntegerValue<std::uint32_t>(j.at("ballots")); close && n != close->ballots)
                return Ph("poll_closed states {0} ballots, the close seal {1}", n, close->ballots);
            return {};
    }
    return Ph("unknown event");
}

// box.events (formats.md §4.10): the log's chain and signatures, every body, the place of
// poll_opened and poll_closed, and the prefix the close seal pins.
void CheckEventLog(const ElectionPackage& pkg, const BoxContents& c, bool closed, const std::optional<CloseBody>& close,
                   VerifyReport& report, const std::string& name)
{
    Failures ev;
    const auto& events = c.events;
    if (events.empty()) ev.Note(Ph("{0}: the event log is empty", name));
    std::vector<std::size_t> poll_closed;  // where poll_closed events are
    Digest eprev = pkg.fingerprint;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto& e = events[i];
        if (e.seq != i) ev.Note(Ph("{0}: event #{1} is out of sequence (seq {2})", name, i, e.seq));
        if (EventHash(pkg.suite(), eprev, e.seq, e.body) != e.hash)
            ev.Note(Ph("{0}: event #{1} does not chain to the one before it", name, i));
        if (!VerifySignature(pkg.suite(), c.device_public_key, EventSigningMessage(e.hash), e.signature).ok())
            ev.Note(Ph("{0}: event #{1} is not signed by the kiosk's device key", name, i));
        eprev = e.hash;
        Phrase why;
        const auto j = ParseCanonicalObject(e.body, why);
        if (!j) {
            ev.Note(Ph("{0}: event #{1} {2}", name, i, why));
            continue;
        }
        const auto kind = j->contains("event") && j->at("event").is_string()
                              ? BoxEventFromName(j->at("event").get<std::string>())
                              : std::nullopt;
        if (!kind) {
            ev.Note(Ph("{0}: event #{1} is not a known event", name, i));
            continue;
        }
        if (!j->contains("time") || !j->at("time").is_string() || !IsUtcTime(j->at("time").get<std::string>()))
            ev.Note(Ph("{0}: event #{1} has no valid time (YYYY-MM-DDTHH:MM:SSZ)", name, i));
        else if (Phrase bad = CheckEventBody(*j, *kind, c, close); !bad.empty())
            ev.Note(Ph("{0}: event #{1}: {2}", name, i, bad));
        if ((i == 0) != (*kind == BoxEvent::PollOpened))
            ev.Note(Ph("{0}: the log must start with poll_opened, once (event #{1})", name, i));
        if (*kind == BoxEvent::PollClosed) poll_closed.push_back(i);
    }
    Phrase pinned_text = Ph("the poll is not closed: nothing pinned yet");
    if (closed) {
        const std::uint64_t n = close ? close->events : 0;
        if (!close)
            ev.Note(Ph("{0}: the close seal does not pin the event log", name));
        else if (n == 0 || n > events.size() || ToHex(events[n - 1].hash) != close->events_head)
            ev.Note(
                Ph("{0}: the event log differs from the one the close seal pinned (events removed or altered)", name));
        else if (poll_closed != std::vector<std::size_t>{n - 1})
            ev.Note(Ph("{0}: the log must have exactly one poll_closed, the last event the close seal pins", name));
        else
            pinned_text = Ph("the first {0} pinned by the close seal", n);
    } else if (!poll_closed.empty()) {
        ev.Note(Ph("{0}: the log has poll_closed but the box has no close seal (it was removed)", name));
    }
    report.Add("box.events", ev.count == 0,
               ev.Detail(Ph("{0}: {1} events, chained and signed; {2}", name, events.size(), pinned_text)));
}

// Checks of one box that need no proofs: open, chain, signatures, close, codes.
void CheckBoxStructure(const ElectionPackage& pkg, VerifiedBox& box, VerifyReport& report, const std::string& name)
{
    const BoxContents& c = box.contents;
    // The package inside the box is the one being verified.
    auto inner = LoadPackage(c.package_file);
    const bool same_package = inner.ok() && inner->fingerprint == pkg.fingerprint;
    report.Add("box.package", same_package,
               same_package ? Ph("{0}: holds this election's package", name)
                            : Ph("{0}: holds the package of another election, or an altered one", name));

    // Open seal.
    bool open_ok = c.open.has_value();
    Phrase open_detail = Ph("{0}: signed open seal for kiosk {1}", name, c.kiosk);
    if (!open_ok)
        open_detail = Ph("{0}: the box has no open seal", name);
    else if (Phrase bad = CheckOpenBody(c.open->body, pkg, c); !bad.empty()) {
        open_ok = false;
        open_detail = Ph("{0}: {1}", name, bad);
    }
    if (open_ok && (c.kiosk == 0 || c.kiosk > pkg.definition.kiosks)) {
        open_ok = false;
        open_detail = Ph("{0}: kiosk number {1} does not exist in this election", name, c.kiosk);
    }
    report.Add("box.open", open_ok, open_detail);

    // Ballots: each stored under its own hash, each signed on its own; the seals signed.
    Failures stored, sigs;
    std::vector<Digest> hashes;
    for (const auto& b : c.ballots) {
        const std::string code = TrackingCode(b.hash);
        if (BallotHash(pkg.suite(), pkg.fingerprint, c.kiosk, b.body) != b.hash)
            stored.Note(Ph("{0}: ballot {1} is not stored under the hash of its content", name, code));
        if (!VerifySignature(pkg.suite(), c.device_public_key, BallotSigningMessage(b.hash), b.signature).ok())
            sigs.Note(Ph("{0}: ballot {1} is not signed by the kiosk's device key", name, code));
        hashes.push_back(b.hash);
    }
    const std::pair<SealKind, const std::optional<BoxSeal>*> seals[] = {
        {SealKind::Open, &c.open}, {SealKind::State, &c.state}, {SealKind::Close, &c.close}};
    for (const auto& [kind, seal] : seals)
        if (*seal &&
            !VerifySignature(pkg.suite(), c.device_public_key,
                             SealSigningMessage(SealHash(pkg.suite(), pkg.fingerprint, c.kiosk, kind, (*seal)->body)),
                             (*seal)->signature)
                 .ok())
            sigs.Note(kind == SealKind::Open ? Ph("{0}: the open seal is not signed by the kiosk's device key", name)
                      : kind == SealKind::State
                          ? Ph("{0}: the state seal is not signed by the kiosk's device key", name)
                          : Ph("{0}: the close seal is not signed by the kiosk's device key", name));
    report.Add(
        "box.ballots", stored.count == 0,
        stored.Detail(Ph("{0}: {1} ballots, each stored under the hash of its content", name, c.ballots.size())));
    report.Add("box.signatures", sigs.count == 0,
               sigs.Detail(Ph("{0}: every ballot and seal is signed by device key {1}", name,
                              KeyFingerprint(c.device_public_key, pkg.suite()))));
    const std::size_t ballots = c.ballots.size();
    const std::string set = ToHex(BallotSetHash(pkg.suite(), pkg.fingerprint, c.kiosk, hashes));

    // The signed state: the count and the set of the ballots present.
    {
        Phrase why;
        const auto state = c.state ? ParseSealBody(c.state->body, false, why) : std::nullopt;
        if (!c.state)
            report.Add("box.state", false, Ph("{0}: the box has no state seal", name));
        else if (!state)
            report.Add("box.state", false, Ph("{0}: the state seal {1}", name, why));
        else if (state->ballots != ballots || state->set != set)
            report.Add("box.state", false,
                       Ph("{0}: the signed state ({1} ballots) does not match the ballots present ({2}): a ballot "
                          "was removed or added",
                          name, state->ballots, ballots));
        else
            report.Add("box.state", true, Ph("{0}: the signed state matches the {1} ballots present", name, ballots));
    }

    // Close seal. A box without one is open: checked as far as it goes and reported as
    // such; the tally refuses it (formats.md §4.9).
    box.closed = c.close.has_value();
    std::optional<CloseBody> close;
    if (box.closed) {
        box.close_hash = SealHash(pkg.suite(), pkg.fingerprint, c.kiosk, SealKind::Close, c.close->body);
        Phrase why;
        close = ParseSealBody(c.close->body, true, why);
        if (!close)
            report.Add("box.close", false, Ph("{0}: the close seal {1}", name, why));
        else if (close->ballots != ballots || close->set != set)
            report.Add("box.close", false, Ph("{0}: the close seal's count or set does not match the ballots", name));
        else
            report.Add("box.close", true,
                       Ph("{0}: signed close seal: {1} ballots, set matches; close record {2}", name, ballots,
                          CloseRecordFingerprint(box.close_hash)));
    } else {
        report.AddOpen("box.close", Ph("{0}: OPEN — no close seal: the poll is still open (or the file was cut "
                                       "short); checked as far as it goes, the tally refuses it",
                                       name));
    }

    CheckEventLog(pkg, c, box.closed, close, report, name);

    // Codes: exactly this kiosk's codes of the package; used codes = ballots, per category.
    std::map<Digest, std::uint32_t> expected;
    for (const auto& code : pkg.codes)
        if (code.kiosk == c.kiosk) expected[code.hash] = code.category;
    bool codes_ok = expected.size() == c.codes.size();
    std::vector<std::uint32_t> used(pkg.definition.categories.size(), 0), cast(used.size(), 0), issued(used.size(), 0);
    for (const auto& [hash, cat_used] : c.codes) {
        auto it = expected.find(hash);
        if (it == expected.end() || it->second != cat_used.first) codes_ok = false;
        if (cat_used.first < used.size()) {
            ++issued[cat_used.first];
            if (cat_used.second) ++used[cat_used.first];
        }
    }
    Phrase codes_detail = Ph("{0}: the code list is not this kiosk's codes from the package", name);
    if (codes_ok) {
        for (const auto& b : c.ballots) {
            const auto& body = b.body;
            const std::uint32_t cat = body.size() >= 4 ? ReadU32(body) : ~0u;
            if (cat < cast.size())
                ++cast[cat];
            else
                codes_ok = false;
        }
        std::vector<std::string> per_category;
        for (std::size_t k = 0; k < used.size(); ++k) {
            per_category.push_back(pkg.definition.categories[k].name + " " + std::to_string(cast[k]) + "/" +
                                   std::to_string(used[k]) + "/" + std::to_string(issued[k]));
            if (cast[k] != used[k]) codes_ok = false;
        }
        const Phrase counts = ListOf(per_category);
        codes_detail =
            codes_ok
                ? Ph("{0}: ballots = used codes <= issued codes, per category (ballots/used/issued): {1}", name, counts)
                : Ph("{0}: ballots and used codes differ (ballots/used/issued): {1}", name, counts);
    }
    report.Add("box.codes", codes_ok, codes_detail);
}

// ballots.spoiled (protocol.md §6.1): every checked ballot of every box's event log is a
// ballot of this election whose proofs verify and whose revealed nonces open every cell
// (A = r·G, B − r·K ∈ {O, G}, one 1 per row), recomputing its choices with no key; and none
// of it was cast: neither its hash nor any of its ciphertexts is among the cast ballots'
// (`cast` holds their bodies' and cells' hashes, as ballots.unique collected them).
void CheckSpoiled(Audit& audit, const std::set<Digest>& cast)
{
    const ElectionPackage& p = *audit.package;
    const GridShape shape = p.Shape();
    const std::size_t size = 4 + EncodedGridSize(shape);
    Failures bad;
    for (auto& box : audit.boxes) {
        const std::string name = box.path.filename().string();
        for (const auto& e : box.contents.events) {
            const auto record = SpoiledBallotOf(e);
            if (!record) continue;  // not a ballot_spoiled event, or box.events has said why
            ++box.spoiled;
            SpoiledBallot out;
            out.box = box.path;
            out.kiosk = box.contents.kiosk;
            out.event = e.seq;
            const Digest hash = BallotHash(p.suite(), p.fingerprint, box.contents.kiosk, record->ballot);
            out.tracking_code = TrackingCode(hash);
            // `why` is a predicate of the checked ballot.
            const auto fail = [&](Phrase why) {
                const Phrase line = Ph("{0}: checked ballot {1} (event #{2}) {3}", name, out.tracking_code, e.seq, why);
                out.problem = line.English();
                bad.Note(line);
            };
            out.category = record->ballot.size() >= 4 ? ReadU32(record->ballot) : ~0u;
            auto grid = record->ballot.size() == size
                            ? EncryptedGrid::Decode(p.group(), shape, ByteView(record->ballot).subspan(4))
                            : Result<EncryptedGrid>(MakeError("encoding.grid", "wrong size"));
            if (!grid || out.category >= p.definition.categories.size()) {
                fail(Ph("is not a ballot of this election"));
            } else if (Status s = VerifyGrid(p.public_key, shape, *grid, p.BallotContext(out.category)); !s) {
                fail(Ph("fails its proofs: {0}", s.error().detail));
            } else if (auto opened = OpenSpoiledGrid(p.public_key, shape, *grid, record->nonces); !opened) {
                fail(Ph("does not open with its revealed nonces: {0}", opened.error().detail));
            } else {
                out.choices = std::move(opened).value();
                bool reused = cast.count(Sha256(record->ballot)) != 0;
                for (const auto& cell : grid->cells)
                    reused = reused || cast.count(Sha256(cell.Encode())) != 0;
                if (reused)
                    fail(Ph("was also cast, or a cast ballot reuses its ciphertexts (their nonces are public)"));
            }
            audit.spoiled.push_back(std::move(out));
        }
    }
    audit.report.Add("ballots.spoiled", bad.count == 0,
                     bad.Detail(Ph("{0} checked ballot(s), never counted: each opens with its revealed nonces (no "
                                   "key) and none was cast",
                                   audit.spoiled.size())));
}

// Who holds the election key: the trustees (their proofs were checked by LoadPackage), or
// one election key, which the report labels as weaker.
void AddKeyHolderLine(const ElectionPackage& p, VerifyReport& report)
{
    if (!p.trustees) {
        report.Add("package.key_proof", true,
                   Ph("the election key's proof of knowledge is valid; one election key (1 of 1): its holder alone "
                      "could decrypt any ballot — weaker than trustees"));
        return;
    }
    std::vector<std::string> names;
    for (const auto& t : p.trustees->members)
        names.push_back(t.name);
    report.Add("package.trustees", true,
               Ph("the election key is held by {0} trustees, any {1} decrypt ({2}): every commitment proof and "
                  "confirmation is valid, K is their sum",
                  p.trustees->members.size(), p.trustees->threshold, ListOf(names)));
}

}  // namespace

bool VerifyReport::ok() const
{
    return !lines.empty() && std::all_of(lines.begin(), lines.end(), [](const auto& l) { return l.ok; });
}

bool VerifyReport::any_open() const
{
    return std::any_of(lines.begin(), lines.end(), [](const auto& l) { return l.open; });
}

const CheckLine* VerifyReport::Find(std::string_view id) const
{
    for (const auto& l : lines)
        if (l.id == id) return &l;
    return nullptr;
}

bool VerifyReport::Failed(std::string_view id) const
{
    return std::any_of(lines.begin(), lines.end(), [&](const auto& l) { return l.id == id && !l.ok; });
}

std::vector<std::uint32_t> Audit::BallotsPerCategory() const
{
    std::vector<std::uint32_t> n(package ? package->definition.categories.size() : 0, 0);
    for (const auto& b : boxes)
        for (auto c : b.categories)
            if (c < n.size()) ++n[c];
    return n;
}

Audit VerifyElection(ByteView package_file, const std::vector<std::filesystem::path>& box_paths,
                     const ProgressFn& progress, unsigned threads)
{
    Audit audit;
    auto pkg = LoadPackage(package_file);
    if (!pkg) {
        const std::string& code = pkg.error().code;
        const bool known = code == "package.signature" || code == "package.key_proof" || code == "package.trustees";
        audit.report.Add(known ? code : "package.format", false, Phrase::ForError(code, pkg.error().detail));
        return audit;
    }
    audit.package = std::move(pkg).value();
    const ElectionPackage& p = *audit.package;
    audit.report.Add("package.signature", true,
                     Ph("election package signed by admin key {0}, fingerprint {1}",
                        KeyFingerprint(p.admin_public_key, p.suite()), ShortFingerprint(p.fingerprint)));
    AddKeyHolderLine(p, audit.report);
    if (box_paths.empty()) {
        audit.report.Add("boxes.present", false, Ph("no ballot box was given"));
        return audit;
    }

    const GridShape shape = p.Shape();
    for (const auto& path : box_paths) {
        const std::string name = path.filename().string();
        auto contents = ReadBox(path, &p);
        if (!contents) {
            audit.report.Add("box.read", false, Ph("{0}: {1}", name, Phrase::ForError(contents.error())));
            continue;
        }
        audit.report.Add("box.read", true, Ph("{0}: a ballot box of schema version {1}", name, kBoxSchemaVersion));
        VerifiedBox box;
        box.path = path;
        box.contents = std::move(contents).value();
        CheckBoxStructure(p, box, audit.report, name);
        audit.boxes.push_back(std::move(box));
    }

    // Decode and verify every ballot on a pool of threads, in chunks: a chunk of form-2 ballots
    // is one batch (docs/protocol.md §5.6), one multi-scalar multiplication for all its proofs.
    struct Job {
        std::size_t box, ballot;
    };
    // Counts against the package first: a box with more ballots than its kiosk has codes
    // has already failed box.codes, and its proofs are not worth checking.
    std::vector<Job> jobs;
    Failures outnumbered;
    for (std::size_t b = 0; b < audit.boxes.size(); ++b) {
        auto& box = audit.boxes[b];
        const auto& stored = box.contents.ballots;
        box.grids.resize(stored.size());
        box.categories.resize(stored.size());
        const auto codes = static_cast<std::size_t>(std::count_if(
            p.codes.begin(), p.codes.end(), [&](const CodeRecord& c) { return c.kiosk == box.contents.kiosk; }));
        const bool check = stored.size() <= codes;
        if (!check)
            outnumbered.Note(
                Ph("{0} holds {1} ballots for {2} codes: more ballots than codes, so their proofs were "
                   "not checked",
                   box.path.filename().string(), stored.size(), codes));
        for (std::size_t k = 0; k < stored.size(); ++k) {
            const auto& body = stored[k].body;
            box.categories[k] = body.size() >= 4 ? ReadU32(body) : ~0u;
            if (check) jobs.push_back({b, k});
        }
    }
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    // Up to 64 ballots a batch (30 × 4 ballots: about 50,000 terms, where the bucket method
    // has paid off; docs/performance.md), fewer so that every thread gets work; a failed batch
    // is redone ballot by ballot.
    const std::size_t chunk = std::clamp<std::size_t>((jobs.size() + threads - 1) / threads, 1, 64);
    std::atomic<std::size_t> next{0}, done{0};
    std::atomic<bool> cancel{false};
    std::mutex mu;
    Failures decode_fail, proof_fail;
    auto check_chunk = [&](std::size_t first, std::size_t last) {
        std::vector<std::size_t> members;  // jobs whose cells decoded, to be batch-verified
        std::vector<ByteView> grids, contexts;
        std::vector<Bytes> context_bytes;
        context_bytes.reserve(last - first);
        for (std::size_t i = first; i < last; ++i) {
            auto& box = audit.boxes[jobs[i].box];
            const std::size_t k = jobs[i].ballot;
            const auto& ballot = box.contents.ballots[k];
            const auto& body = ballot.body;
            const std::uint32_t cat = box.categories[k];
            auto grid = body.size() >= 4 ? EncryptedGrid::DecodeCells(p.group(), shape, ByteView(body).subspan(4))
                                         : Result<EncryptedGrid>(MakeError("encoding.grid", "empty ballot"));
            if (!grid || cat >= p.definition.categories.size()) {
                std::lock_guard lock(mu);
                decode_fail.Note(
                    Ph("{0}: ballot {1} is malformed", box.path.filename().string(), TrackingCode(ballot.hash)));
                continue;
            }
            box.grids[k] = std::move(grid).value();
            members.push_back(i);
            grids.push_back(ByteView(body).subspan(4));
            context_bytes.push_back(p.BallotContext(cat));
        }
        for (const auto& c : context_bytes)
            contexts.push_back(c);
        const auto verdicts = VerifyGrids(p.public_key, shape, grids, contexts, SystemRng());
        for (std::size_t x = 0; x < members.size(); ++x) {
            if (verdicts[x]) continue;
            const auto& box = audit.boxes[jobs[members[x]].box];
            const auto& ballot = box.contents.ballots[jobs[members[x]].ballot];
            std::lock_guard lock(mu);
            proof_fail.Note(Ph("{0}: ballot {1} fails its proofs: {2}", box.path.filename().string(),
                               TrackingCode(ballot.hash), Phrase::ForError(verdicts[x].error())));
        }
    };
    auto worker = [&] {
        for (std::size_t c = next++; c * chunk < jobs.size() && !cancel; c = next++) {
            const std::size_t first = c * chunk, last = std::min(jobs.size(), first + chunk);
            // Nothing thrown may leave a worker thread (std::terminate): it fails the chunk.
            try {
                check_chunk(first, last);
            } catch (const std::exception& e) {
                const auto& box = audit.boxes[jobs[first].box];
                std::lock_guard lock(mu);
                proof_fail.Note(Ph("{0}: ballot {1} cannot be checked: {2}", box.path.filename().string(),
                                   TrackingCode(box.contents.ballots[jobs[first].ballot].hash),
                                   Phrase::ForError("internal", e.what())));
            }
            done += last - first;
        }
    };
    {
        std::vector<std::jthread> pool;
        for (unsigned t = 0; t < threads; ++t)
            pool.emplace_back(worker);
        while (done < jobs.size() && !cancel) {
            if (progress && !progress(done, jobs.size())) cancel = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    if (progress && !cancel) (void)progress(jobs.size(), jobs.size());
    if (cancel) {
        audit.cancelled = true;
        audit.report.Add("ballots.proofs", false, Ph("verification was cancelled"));
        return audit;
    }
    Failures all = outnumbered;
    for (const Failures* f : {&decode_fail, &proof_fail}) {
        if (f->count) all.Note(f->first);
        all.count += f->count > 0 ? f->count - 1 : 0;
    }
    audit.report.Add(
        "ballots.proofs", all.count == 0,
        all.Detail(Ph("{0} ballots: every cell (0/1), row (sums to 1) and quota proof is valid", jobs.size())));

    // Across boxes: distinct kiosks, every kiosk's box present (the tally takes the whole
    // election or nothing: a subset of the ballots could single a voter out), no duplicates.
    std::set<std::uint32_t> kiosks;
    bool kiosks_ok = true;
    for (const auto& b : audit.boxes)
        kiosks_ok = kiosks.insert(b.contents.kiosk).second && kiosks_ok;
    audit.report.Add("boxes.kiosks", kiosks_ok,
                     !kiosks_ok                ? Ph("two boxes claim the same kiosk number")
                     : audit.boxes.size() == 1 ? Ph("1 box")
                                               : Ph("{0} boxes, each from a kiosk of its own", audit.boxes.size()));
    std::vector<std::string> missing;
    for (std::uint32_t k = 1; k <= p.definition.kiosks; ++k)
        if (!kiosks.count(k)) missing.push_back(std::to_string(k));
    audit.report.Add("boxes.complete", missing.empty(),
                     missing.empty()
                         ? Ph("a box from each of the election's {0} kiosk(s)", p.definition.kiosks)
                         : Ph("the box of kiosk {0} is missing: every kiosk's box is needed", ListOf(missing)));
    std::set<Digest> seen;
    Failures dup;
    for (const auto& b : audit.boxes)
        for (std::size_t k = 0; k < b.grids.size(); ++k) {
            const auto& body = b.contents.ballots[k].body;
            const std::string name = b.path.filename().string(), code = TrackingCode(b.contents.ballots[k].hash);
            // Identical bodies, or a reused ciphertext in any cell, mean a copied ballot.
            if (!seen.insert(Sha256(body)).second) dup.Note(Ph("{0}: ballot {1} is a copy of another", name, code));
            for (const auto& cell : b.grids[k].cells)
                if (!seen.insert(Sha256(cell.Encode())).second) {
                    dup.Note(Ph("{0}: ballot {1} reuses another ballot's ciphertext", name, code));
                    break;
                }
        }
    audit.report.Add("ballots.unique", dup.count == 0, dup.Detail(Ph("no ballot or ciphertext appears twice")));
    CheckSpoiled(audit, seen);
    return audit;
}

namespace {

// What an auditor typed, as lower-case hex without spaces or dashes; empty if it is not hex.
std::string HexGiven(std::string_view text)
{
    std::string given;
    for (char ch : text)
        if (ch != ' ' && ch != '-') given += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const bool is_hex = std::all_of(given.begin(), given.end(),
                                    [](char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'); });
    return is_hex ? given : std::string();
}

}  // namespace

std::vector<DeviceMatch> MatchDevices(const Audit& audit, const std::vector<std::string>& expected)
{
    std::vector<std::string> given;
    for (const auto& e : expected)
        if (std::string hex = NormalizeDeviceFingerprint(e); !hex.empty()) given.push_back(std::move(hex));
    std::vector<DeviceMatch> out;
    for (const auto& b : audit.boxes) {
        const Bytes& key = b.contents.device_public_key;
        const std::string full = ToHex(KeyFingerprintDigest(key, audit.package->suite()));
        const bool registered = std::any_of(given.begin(), given.end(), [&](const std::string& g) {
            return g == full.substr(0, 16) || g == full || g == ToHex(key);
        });
        out.push_back({b.contents.kiosk, b.path, KeyFingerprint(key, audit.package->suite()), registered});
    }
    return out;
}

void CheckExpectedDevices(Audit& audit, const std::vector<std::string>& expected)
{
    const auto matches = MatchDevices(audit, expected);
    std::vector<std::string> key_list;
    for (const auto& m : matches)
        key_list.push_back(m.fingerprint);
    const Phrase keys = ListOf(key_list);
    if (expected.empty()) {
        audit.report.AddWarning("boxes.registered",
                                Ph("not checked: no expected device fingerprints were given, so the boxes were not "
                                   "anchored to the kiosks opened at the meeting (device keys {0})",
                                   keys));
        return;
    }
    Failures bad;
    for (const auto& e : expected)
        if (NormalizeDeviceFingerprint(e).empty())
            bad.Note(
                Ph("the expected device fingerprint \"{0}\" is neither the printed form (16 hex digits) nor 64 "
                   "hex digits",
                   e));
    for (const auto& m : matches)
        if (!m.registered)
            bad.Note(
                Ph("{0}: device key {1} is not one registered at the meeting: a substituted box, or a kiosk not "
                   "written down",
                   m.path.filename().string(), m.fingerprint));
    audit.report.Add("boxes.registered", bad.count == 0,
                     bad.Detail(Ph("every box's device key was registered at the meeting ({0})", keys)));
}

void CheckExpectedFingerprint(Audit& audit, std::string_view expected)
{
    const std::string given = HexGiven(expected);
    if (!audit.package) {
        audit.report.Add("package.fingerprint", false, Ph("the package did not load: its fingerprint is unknown"));
        return;
    }
    const std::string full = ToHex(audit.package->fingerprint);
    std::string short_form;
    for (char ch : ShortFingerprint(audit.package->fingerprint))
        if (ch != ' ' && ch != '-') short_form += ch;
    if (given.size() != full.size() && given.size() != short_form.size()) {
        audit.report.Add("package.fingerprint", false,
                         Ph("the expected fingerprint \"{0}\" is neither {1} hex digits nor the short form ({2} hex "
                            "digits)",
                            expected, full.size(), short_form.size()));
        return;
    }
    const bool ok = given == (given.size() == full.size() ? full : short_form);
    const std::string short_print = ShortFingerprint(audit.package->fingerprint);
    audit.report.Add(
        "package.fingerprint", ok,
        !ok ? Ph("the package's election fingerprint {0} is not the expected one: this is another election, or an "
                 "altered package",
                 full)
        : given.size() == full.size()
            ? Ph("the package's election fingerprint is the expected {0} (all 64 hex digits)", short_print)
            : Ph("the package's election fingerprint is the expected {0} (short form)", short_print));
}

EncryptedSum GroupSum(const Audit& audit, const TallyGroup& group, std::uint32_t member, std::uint32_t option)
{
    const auto& def = audit.package->definition;
    const std::size_t idx = std::size_t{member} * def.options.size() + option;
    std::optional<EncryptedSum> acc;
    for (const auto& b : audit.boxes)
        for (std::size_t k = 0; k < b.grids.size(); ++k) {
            if (std::find(group.categories.begin(), group.categories.end(), b.categories[k]) == group.categories.end())
                continue;
            const auto& cell = b.grids[k].cells.at(idx);
            if (acc)
                acc->Add(cell);
            else
                acc = EncryptedSum::Of(std::span(&cell, 1));
        }
    if (!acc) throw std::logic_error("GroupSum of an empty group");
    return std::move(*acc);
}

void VerifyResults(Audit& audit, ByteView results_file)
{
    if (!audit.package) return;
    const ElectionPackage& p = *audit.package;
    auto parsed = ParseResults(results_file, p);
    if (!parsed) {
        const std::string& code = parsed.error().code;
        audit.report.Add(code == "results.signature" || code == "results.election" ? code : "results.format", false,
                         Phrase::ForError(code, parsed.error().detail));
        return;
    }
    const Results& r = *parsed;
    audit.report.Add("results.signature", true, Ph("results signed by the election's admin key"));

    // Boxes: the results name exactly the boxes given, each closed, with its close hash.
    bool boxes_ok = r.boxes.size() == audit.boxes.size();
    Phrase boxes_detail = Ph("the results cover exactly the {0} boxes given", audit.boxes.size());
    for (const auto& b : audit.boxes) {
        auto it =
            std::find_if(r.boxes.begin(), r.boxes.end(), [&](const auto& s) { return s.kiosk == b.contents.kiosk; });
        if (it == r.boxes.end() || it->device_public_key != b.contents.device_public_key ||
            it->close_hash != b.close_hash || it->ballots != b.contents.ballots.size() || it->spoiled != b.spoiled ||
            !b.closed) {
            boxes_ok = false;
            boxes_detail =
                Ph("{0}: this box is not the one the results were tallied from (unknown kiosk key, other "
                   "close seal, ballot count or checked ballots)",
                   b.path.filename().string());
        }
    }
    if (r.boxes.size() != audit.boxes.size())
        boxes_detail = Ph("the results were tallied from {0}, {1}",
                          r.boxes.size() == 1 ? Ph("1 box") : Ph("{0} boxes", r.boxes.size()),
                          audit.boxes.size() == 1 ? Ph("1 was given") : Ph("{0} were given", audit.boxes.size()));
    audit.report.Add("results.boxes", boxes_ok, boxes_detail);

    // Attendance: issued and used codes per category as the boxes show.
    std::vector<CategoryAttendance> att(p.definition.categories.size());
    for (const auto& code : p.codes)
        ++att[code.category].issued;
    for (const auto& b : audit.boxes)
        for (const auto& [hash, cu] : b.contents.codes)
            if (cu.second && cu.first < att.size()) ++att[cu.first].used;
    bool att_ok = att.size() == r.attendance.size();
    for (std::size_t i = 0; att_ok && i < att.size(); ++i)
        att_ok = att[i].issued == r.attendance[i].issued && att[i].used == r.attendance[i].used;
    audit.report.Add("results.attendance", att_ok,
                     att_ok ? Ph("codes issued and used per category match the boxes")
                            : Ph("the published attendance does not match the boxes"));

    // Groups: recomputed from the ballots, all at least the minimum size.
    std::vector<std::string> notes;
    auto groups = GroupCategories(p.definition, audit.BallotsPerCategory(), &notes);
    bool groups_ok = groups.ok() && groups->size() == r.groups.size();
    for (std::size_t i = 0; groups_ok && i < r.groups.size(); ++i)
        groups_ok = (*groups)[i].categories == r.groups[i].categories && (*groups)[i].ballots == r.groups[i].ballots;
    audit.report.Add("results.groups", groups_ok,
                     groups_ok ? Ph("{0} tally groups, as the grouping rule gives", r.groups.size())
                               : Ph("the published groups are not what the grouping rule gives for these ballots"));
    bool min_ok = std::all_of(r.groups.begin(), r.groups.end(),
                              [&](const auto& g) { return g.ballots >= p.definition.min_group_size; });
    audit.report.Add("results.min_group", min_ok,
                     min_ok ? Ph("no aggregate of fewer than {0} ballots was decrypted", p.definition.min_group_size)
                            : Ph("an aggregate of fewer than {0} ballots was decrypted: it could reveal a vote",
                                 p.definition.min_group_size));
    if (!groups_ok) return;
    const std::size_t cells = p.definition.roster.size() * p.definition.options.size();
    for (const auto& b : audit.boxes)
        for (const auto& grid : b.grids)
            if (grid.cells.size() != cells) {
                audit.report.Add("results.aggregates", false,
                                 Ph("the sums cannot be recomputed: a ballot is malformed"));
                return;
            }

    // Aggregates: one per (group, member, option), each the sum of the ballots, each proved.
    const std::uint32_t members = static_cast<std::uint32_t>(p.definition.roster.size());
    const std::uint32_t options = static_cast<std::uint32_t>(p.definition.options.size());
    Failures sums, proofs;
    bool complete = r.aggregates.size() == r.groups.size() * members * options;
    std::size_t i = 0;
    for (std::uint32_t g = 0; complete && g < r.groups.size(); ++g)
        for (std::uint32_t m = 0; m < members; ++m)
            for (std::uint32_t o = 0; o < options; ++o, ++i) {
                const Aggregate& a = r.aggregates[i];
                if (a.group != g || a.member != m || a.option != o) {
                    complete = false;
                    continue;
                }
                // 0-based, as in the files (formats.md §4.9).
                if (!(GroupSum(audit, r.groups[g], m, o).sum() == a.sum))
                    sums.Note(
                        Ph("group {0}, member {1}, option {2}: the aggregate is not the sum of the ballots", g, m, o));
                if (p.trustees) continue;  // VerifyTrusteeResults checks the partials instead
                if (!a.proof ||
                    !VerifyDecryption(p.public_key, a.sum, a.count, *a.proof,
                                      PositionContext(TallyContext(p.fingerprint, r.groups[g]), "tally", m, o)))
                    proofs.Note(
                        Ph("group {0}, member {1}, option {2}: the decryption proof fails for the published "
                           "count {3}",
                           g, m, o, a.count));
            }
    if (!complete) sums.Note(Ph("the aggregates are incomplete or out of order"));
    audit.report.Add("results.aggregates", sums.count == 0,
                     sums.Detail(Ph("{0} aggregates equal the sums of the ballots", r.aggregates.size())));
    if (!p.trustees)
        audit.report.Add("results.decryption", proofs.count == 0,
                         proofs.Detail(Ph("every published count is the proven decryption of its aggregate")));
    if (complete) VerifyTrusteeResults(audit, r);
}

}  // namespace pingyi
