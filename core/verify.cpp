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

std::string Ordinal(std::size_t i)
{
    return "#" + std::to_string(i);
}

struct Failures {
    std::size_t count = 0;
    std::string first;
    void Note(const std::string& what)
    {
        if (count++ == 0) first = what;
    }
    [[nodiscard]] std::string Detail(const std::string& ok_text) const
    {
        if (count == 0) return ok_text;
        return first + (count > 1 ? " (and " + std::to_string(count - 1) + " more)" : "");
    }
};

// ---- The box's JSON bodies: exact members, canonical form (formats.md §4.5, §4.10) --------
// The Check… functions return an empty string when a body is as specified, else what is wrong.

// A seal or event body must be a JSON object in canonical form (formats.md §0): nullopt
// (and `why`) otherwise. Bodies come from an untrusted file: parsed within ParseJson's limits
// before anything canonicalises them.
std::optional<nlohmann::json> ParseCanonicalObject(ByteView body, std::string& why)
{
    try {
        auto parsed = ParseJson(body);
        if (!parsed) {
            why = "is not valid JSON (" + parsed.error().detail + ")";
            return std::nullopt;
        }
        auto& j = *parsed;
        if (!j.is_object()) {
            why = "is not a JSON object";
            return std::nullopt;
        }
        if (Canonical(j) != std::string(body.begin(), body.end())) {
            why = "is not canonical JSON";
            return std::nullopt;
        }
        return std::move(j);
    } catch (const nlohmann::json::exception&) {
        why = "is not valid JSON";
        return std::nullopt;
    }
}

// ParseCanonicalObject, with exactly `members`.
std::optional<nlohmann::json> ParseExactBody(ByteView body, std::initializer_list<std::string_view> members,
                                             std::string& why)
{
    auto j = ParseCanonicalObject(body, why);
    if (j && !HasExactly(*j, members)) {
        why = "does not have exactly its members";
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
std::string CheckOpenBody(ByteView body, const ElectionPackage& pkg, const BoxContents& c)
{
    std::string why;
    const auto j = ParseExactBody(body, {"device_public_key", "election", "kiosk", "software"}, why);
    if (!j) return "the open seal " + why;
    if (!j->at("software").is_string() || !IsU32(j->at("kiosk")) || !j->at("election").is_string() ||
        !j->at("device_public_key").is_string())
        return "the open seal has a member of the wrong type";
    if (j->at("election").get<std::string>() != ToHex(pkg.fingerprint) ||
        *IntegerValue<std::uint32_t>(j->at("kiosk")) != c.kiosk ||
        j->at("device_public_key").get<std::string>() != ToHex(c.device_public_key))
        return "the open seal names another election, kiosk or device key";
    return {};
}

// The parts of a state or close seal the other checks use; nullopt when its body is
// malformed. A state seal has no events.
struct CloseBody {
    std::uint64_t ballots = 0;
    std::uint64_t events = 0;
    std::string events_head, set;
};

std::optional<CloseBody> ParseSealBody(ByteView body, bool close, std::string& why)
{
    const auto j = close ? ParseExactBody(body, {"ballots", "events", "events_head", "set"}, why)
                         : ParseExactBody(body, {"ballots", "set"}, why);
    if (!j) return std::nullopt;
    if (!IsU32(j->at("ballots")) || !IsHexDigest(j->at("set")) ||
        (close && (!IsU32(j->at("events")) || !IsHexDigest(j->at("events_head"))))) {
        why = "has a member of the wrong type";
        return std::nullopt;
    }
    if (!close)
        return CloseBody{*IntegerValue<std::uint32_t>(j->at("ballots")), 0, {}, j->at("set").get<std::string>()};
    return CloseBody{*IntegerValue<std::uint32_t>(j->at("ballots")), *IntegerValue<std::uint32_t>(j->at("events")),
                     j->at("events_head").get<std::string>(), j->at("set").get<std::string>()};
}

// box.events: one event body has exactly its kind's members, each of its type and value
// (formats.md §4.10). `close` is the box's close seal, if it has one.
std::string CheckEventBody(const nlohmann::json& j, BoxEvent kind, const BoxContents& c,
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
            if (!exactly({"kiosk"}) || !IsU32(j.at("kiosk"))) return "poll_opened must have exactly kiosk";
            if (*IntegerValue<std::uint32_t>(j.at("kiosk")) != c.kiosk) return "poll_opened names another kiosk";
            return {};
        case BoxEvent::ResumeRefused:
            return exactly({"reason"}) && reason_in({"tampered", "rollback"})
                       ? ""
                       : "resume_refused must have exactly reason (tampered or rollback)";
        case BoxEvent::PollResumed:
        case BoxEvent::BoxExported:
            return exactly({}) ? std::string{} : std::string(BoxEventName(kind)) + " must have no other member";
        case BoxEvent::OperatorLogin:
            return exactly({"ok"}) && j.at("ok").is_boolean() ? "" : "operator_login must have exactly ok (a boolean)";
        case BoxEvent::CodeRejected:
            return exactly({"reason"}) && reason_in({"format", "unknown", "used", "other_kiosk"})
                       ? ""
                       : "code_rejected must have exactly reason (format, unknown, used or other_kiosk)";
        case BoxEvent::BallotDiscarded:
            return exactly({"reason"}) && reason_in({"cancelled", "timeout"})
                       ? ""
                       : "ballot_discarded must have exactly reason (cancelled or timeout)";
        case BoxEvent::PollClosed:
            if (!exactly({"ballots"}) || !IsU32(j.at("ballots"))) return "poll_closed must have exactly ballots";
            if (const auto n = *IntegerValue<std::uint32_t>(j.at("ballots")); close && n != close->ballots)
                return "poll_closed states " + std::to_string(n) + " ballots, the close seal " +
                       std::to_string(close->ballots);
            return {};
    }
    return "unknown event";
}

// box.events (formats.md §4.10): the log's chain and signatures, every body, the place of
// poll_opened and poll_closed, and the prefix the close seal pins.
void CheckEventLog(const ElectionPackage& pkg, const BoxContents& c, bool closed, const std::optional<CloseBody>& close,
                   VerifyReport& report, const std::string& name)
{
    Failures ev;
    const auto& events = c.events;
    if (events.empty()) ev.Note(name + ": the event log is empty");
    std::vector<std::size_t> poll_closed;  // where poll_closed events are
    Digest eprev = pkg.fingerprint;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto& e = events[i];
        const std::string at = name + ": event " + Ordinal(i);
        if (e.seq != i) ev.Note(at + " is out of sequence (seq " + std::to_string(e.seq) + ")");
        if (EventHash(eprev, e.seq, e.body) != e.hash) ev.Note(at + " does not chain to the one before it");
        if (!VerifySignature(c.device_public_key, EventSigningMessage(e.hash), e.signature).ok())
            ev.Note(at + " is not signed by the kiosk's device key");
        eprev = e.hash;
        std::string why;
        const auto j = ParseCanonicalObject(e.body, why);
        if (!j) {
            ev.Note(at + " " + why);
            continue;
        }
        const auto kind = j->contains("event") && j->at("event").is_string()
                              ? BoxEventFromName(j->at("event").get<std::string>())
                              : std::nullopt;
        if (!kind) {
            ev.Note(at + " is not a known event");
            continue;
        }
        if (!j->contains("time") || !j->at("time").is_string() || !IsUtcTime(j->at("time").get<std::string>()))
            ev.Note(at + " has no valid time (YYYY-MM-DDTHH:MM:SSZ)");
        else if (const std::string bad = CheckEventBody(*j, *kind, c, close); !bad.empty())
            ev.Note(at + ": " + bad);
        if ((i == 0) != (*kind == BoxEvent::PollOpened))
            ev.Note(name + ": the log must start with poll_opened, once (event " + Ordinal(i) + ")");
        if (*kind == BoxEvent::PollClosed) poll_closed.push_back(i);
    }
    std::string pinned_text = "the poll is not closed: nothing pinned yet";
    if (closed) {
        const std::uint64_t n = close ? close->events : 0;
        if (!close)
            ev.Note(name + ": the close seal does not pin the event log");
        else if (n == 0 || n > events.size() || ToHex(events[n - 1].hash) != close->events_head)
            ev.Note(name + ": the event log differs from the one the close seal pinned (events removed or altered)");
        else if (poll_closed != std::vector<std::size_t>{n - 1})
            ev.Note(name + ": the log must have exactly one poll_closed, the last event the close seal pins");
        else
            pinned_text = "the first " + std::to_string(n) + " pinned by the close seal";
    } else if (!poll_closed.empty()) {
        ev.Note(name + ": the log has poll_closed but the box has no close seal (it was removed)");
    }
    report.Add("box.events", ev.count == 0,
               ev.Detail(name + ": " + std::to_string(events.size()) + " events, chained and signed; " + pinned_text));
}

// Checks of one box that need no proofs: open, chain, signatures, close, codes.
void CheckBoxStructure(const ElectionPackage& pkg, VerifiedBox& box, VerifyReport& report, const std::string& name)
{
    const BoxContents& c = box.contents;
    // The package inside the box is the one being verified.
    auto inner = LoadPackage(c.package_file);
    report.Add("box.package", inner.ok() && inner->fingerprint == pkg.fingerprint,
               inner.ok() && inner->fingerprint == pkg.fingerprint
                   ? name + ": holds this election's package"
                   : name + ": holds the package of another election, or an altered one");

    // Open seal.
    bool open_ok = c.open.has_value();
    std::string open_detail = name + ": signed open seal for kiosk " + std::to_string(c.kiosk);
    if (!open_ok)
        open_detail = name + ": the box has no open seal";
    else if (const std::string bad = CheckOpenBody(c.open->body, pkg, c); !bad.empty()) {
        open_ok = false;
        open_detail = name + ": " + bad;
    }
    if (open_ok && (c.kiosk == 0 || c.kiosk > pkg.definition.kiosks)) {
        open_ok = false;
        open_detail = name + ": kiosk number " + std::to_string(c.kiosk) + " does not exist in this election";
    }
    report.Add("box.open", open_ok, open_detail);

    // Ballots: each stored under its own hash, each signed on its own; the seals signed.
    Failures stored, sigs;
    std::vector<Digest> hashes;
    for (const auto& b : c.ballots) {
        const std::string which = name + ": ballot " + TrackingCode(b.hash);
        if (BallotHash(pkg.fingerprint, c.kiosk, b.body) != b.hash)
            stored.Note(which + " is not stored under the hash of its content");
        if (!VerifySignature(c.device_public_key, BallotSigningMessage(b.hash), b.signature).ok())
            sigs.Note(which + " is not signed by the kiosk's device key");
        hashes.push_back(b.hash);
    }
    const std::pair<SealKind, const std::optional<BoxSeal>*> seals[] = {
        {SealKind::Open, &c.open}, {SealKind::State, &c.state}, {SealKind::Close, &c.close}};
    for (const auto& [kind, seal] : seals)
        if (*seal && !VerifySignature(c.device_public_key,
                                      SealSigningMessage(SealHash(pkg.fingerprint, c.kiosk, kind, (*seal)->body)),
                                      (*seal)->signature)
                          .ok())
            sigs.Note(name + ": the " + std::string(SealKindName(kind)) +
                      " seal is not signed by the kiosk's device key");
    report.Add("box.ballots", stored.count == 0,
               stored.Detail(name + ": " + std::to_string(c.ballots.size()) +
                             " ballots, each stored under the hash of its content"));
    report.Add(
        "box.signatures", sigs.count == 0,
        sigs.Detail(name + ": every ballot and seal is signed by device key " + KeyFingerprint(c.device_public_key)));
    const std::size_t ballots = c.ballots.size();
    const std::string set = ToHex(BallotSetHash(pkg.fingerprint, c.kiosk, hashes));

    // The signed state: the count and the set of the ballots present.
    {
        std::string why;
        const auto state = c.state ? ParseSealBody(c.state->body, false, why) : std::nullopt;
        if (!c.state)
            report.Add("box.state", false, name + ": the box has no state seal");
        else if (!state)
            report.Add("box.state", false, name + ": the state seal " + why);
        else if (state->ballots != ballots || state->set != set)
            report.Add("box.state", false,
                       name + ": the signed state (" + std::to_string(state->ballots) +
                           " ballots) does not match the ballots present (" + std::to_string(ballots) +
                           "): a ballot was removed or added");
        else
            report.Add("box.state", true,
                       name + ": the signed state matches the " + std::to_string(ballots) + " ballots present");
    }

    // Close seal. A box without one is open: checked as far as it goes and reported as
    // such; the tally refuses it (formats.md §4.9).
    box.closed = c.close.has_value();
    std::optional<CloseBody> close;
    if (box.closed) {
        box.close_hash = SealHash(pkg.fingerprint, c.kiosk, SealKind::Close, c.close->body);
        std::string why;
        close = ParseSealBody(c.close->body, true, why);
        if (!close)
            report.Add("box.close", false, name + ": the close seal " + why);
        else if (close->ballots != ballots || close->set != set)
            report.Add("box.close", false, name + ": the close seal's count or set does not match the ballots");
        else
            report.Add("box.close", true,
                       name + ": signed close seal: " + std::to_string(ballots) +
                           " ballots, set matches; close record " + CloseRecordFingerprint(box.close_hash));
    } else {
        report.AddOpen("box.close", name +
                                        ": OPEN — no close seal: the poll is still open (or the file was cut "
                                        "short); checked as far as it goes, the tally refuses it");
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
    std::string codes_detail = name + ": the code list is not this kiosk's codes from the package";
    if (codes_ok) {
        for (const auto& b : c.ballots) {
            const auto& body = b.body;
            const std::uint32_t cat = body.size() >= 4 ? ReadU32(body) : ~0u;
            if (cat < cast.size())
                ++cast[cat];
            else
                codes_ok = false;
        }
        std::string counts;
        for (std::size_t k = 0; k < used.size(); ++k) {
            counts += " " + pkg.definition.categories[k].name + " " + std::to_string(cast[k]) + "/" +
                      std::to_string(used[k]) + "/" + std::to_string(issued[k]);
            if (cast[k] != used[k]) codes_ok = false;
        }
        codes_detail = name +
                       (codes_ok ? ": ballots = used codes <= issued codes, per category (ballots/used/issued):"
                                 : ": ballots and used codes differ (ballots/used/issued):") +
                       counts;
    }
    report.Add("box.codes", codes_ok, codes_detail);
}

// Who holds the election key: the trustees (their proofs were checked by LoadPackage), or
// one election key, which the report labels as weaker.
void AddKeyHolderLine(const ElectionPackage& p, VerifyReport& report)
{
    if (!p.trustees) {
        report.Add("package.key_proof", true,
                   "the election key's proof of knowledge is valid; one election key (1 of 1): its holder alone "
                   "could decrypt any ballot — weaker than trustees");
        return;
    }
    std::string names;
    for (const auto& t : p.trustees->members)
        names += (names.empty() ? "" : ", ") + t.name;
    report.Add("package.trustees", true,
               "the election key is held by " + std::to_string(p.trustees->members.size()) + " trustees, any " +
                   std::to_string(p.trustees->threshold) + " decrypt (" + names +
                   "): every commitment proof and confirmation is valid, K is their sum");
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
        audit.report.Add(known ? code : "package.format", false, pkg.error().detail);
        return audit;
    }
    audit.package = std::move(pkg).value();
    const ElectionPackage& p = *audit.package;
    audit.report.Add("package.signature", true,
                     "election package signed by admin key " + KeyFingerprint(p.admin_public_key) + ", fingerprint " +
                         ShortFingerprint(p.fingerprint));
    AddKeyHolderLine(p, audit.report);
    if (box_paths.empty()) {
        audit.report.Add("boxes.present", false, "no ballot box was given");
        return audit;
    }

    const GridShape shape = p.definition.Shape();
    for (const auto& path : box_paths) {
        const std::string name = path.filename().string();
        auto contents = ReadBox(path, &p);
        if (!contents) {
            audit.report.Add("box.read", false, name + ": " + contents.error().detail);
            continue;
        }
        audit.report.Add("box.read", true,
                         name + ": a ballot box of schema version " + std::to_string(kBoxSchemaVersion));
        VerifiedBox box;
        box.path = path;
        box.contents = std::move(contents).value();
        CheckBoxStructure(p, box, audit.report, name);
        audit.boxes.push_back(std::move(box));
    }

    // Decode and verify every ballot on a pool of threads (decoding decompresses two points
    // per cell: it is a good share of the work, so it runs in parallel too).
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
            outnumbered.Note(box.path.filename().string() + " holds " + std::to_string(stored.size()) +
                             " ballots for " + std::to_string(codes) +
                             " codes: more ballots than codes, so their proofs were not checked");
        for (std::size_t k = 0; k < stored.size(); ++k) {
            const auto& body = stored[k].body;
            box.categories[k] = body.size() >= 4 ? ReadU32(body) : ~0u;
            if (check) jobs.push_back({b, k});
        }
    }
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    std::atomic<std::size_t> next{0}, done{0};
    std::atomic<bool> cancel{false};
    std::mutex mu;
    Failures decode_fail, proof_fail;
    auto worker = [&] {
        for (std::size_t i = next++; i < jobs.size() && !cancel; i = next++) {
            auto& box = audit.boxes[jobs[i].box];
            const std::size_t k = jobs[i].ballot;
            const auto& ballot = box.contents.ballots[k];
            const std::string where = box.path.filename().string() + ": ballot " + TrackingCode(ballot.hash);
            const auto& body = ballot.body;
            const std::uint32_t cat = box.categories[k];
            // Nothing thrown may leave a worker thread (std::terminate): it fails this ballot.
            try {
                auto grid = body.size() >= 4 ? EncryptedGrid::Decode(p.group(), shape, ByteView(body).subspan(4))
                                             : Result<EncryptedGrid>(MakeError("encoding.grid", "empty ballot"));
                if (!grid || cat >= p.definition.categories.size()) {
                    std::lock_guard lock(mu);
                    decode_fail.Note(where + " is malformed");
                } else {
                    Status s = VerifyGrid(p.public_key, shape, *grid, p.BallotContext(cat));
                    box.grids[k] = std::move(grid).value();
                    if (!s) {
                        std::lock_guard lock(mu);
                        proof_fail.Note(where + " fails its proofs: " + s.error().detail);
                    }
                }
            } catch (const std::exception& e) {
                std::lock_guard lock(mu);
                proof_fail.Note(where + " cannot be checked: " + e.what());
            }
            ++done;
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
        audit.report.Add("ballots.proofs", false, "verification was cancelled");
        return audit;
    }
    Failures all = outnumbered;
    for (const Failures* f : {&decode_fail, &proof_fail}) {
        if (f->count) all.Note(f->first);
        all.count += f->count > 0 ? f->count - 1 : 0;
    }
    audit.report.Add("ballots.proofs", all.count == 0,
                     all.Detail(std::to_string(jobs.size()) +
                                " ballots: every cell (0/1), row (sums to 1) and quota proof is valid"));

    // Across boxes: distinct kiosks, every kiosk's box present (the tally takes the whole
    // election or nothing: a subset of the ballots could single a voter out), no duplicates.
    std::set<std::uint32_t> kiosks;
    bool kiosks_ok = true;
    for (const auto& b : audit.boxes)
        kiosks_ok = kiosks.insert(b.contents.kiosk).second && kiosks_ok;
    audit.report.Add("boxes.kiosks", kiosks_ok,
                     kiosks_ok ? (audit.boxes.size() == 1
                                      ? std::string("1 box")
                                      : std::to_string(audit.boxes.size()) + " boxes, each from a kiosk of its own")
                               : "two boxes claim the same kiosk number");
    std::string missing;
    for (std::uint32_t k = 1; k <= p.definition.kiosks; ++k)
        if (!kiosks.count(k)) missing += (missing.empty() ? "" : ", ") + std::to_string(k);
    audit.report.Add("boxes.complete", missing.empty(),
                     missing.empty()
                         ? "a box from each of the election's " + std::to_string(p.definition.kiosks) + " kiosk(s)"
                         : "the box of kiosk " + missing + " is missing: every kiosk's box is needed");
    std::set<Digest> seen;
    Failures dup;
    for (const auto& b : audit.boxes)
        for (std::size_t k = 0; k < b.grids.size(); ++k) {
            const auto& body = b.contents.ballots[k].body;
            const std::string which =
                b.path.filename().string() + ": ballot " + TrackingCode(b.contents.ballots[k].hash);
            // Identical bodies, or a reused ciphertext in any cell, mean a copied ballot.
            if (!seen.insert(Sha256(body)).second) dup.Note(which + " is a copy of another");
            for (const auto& cell : b.grids[k].cells)
                if (!seen.insert(Sha256(cell.Encode())).second) {
                    dup.Note(which + " reuses another ballot's ciphertext");
                    break;
                }
        }
    audit.report.Add("ballots.unique", dup.count == 0, dup.Detail("no ballot or ciphertext appears twice"));
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
        const std::string full = ToHex(KeyFingerprintDigest(key));
        const bool registered = std::any_of(given.begin(), given.end(), [&](const std::string& g) {
            return g == full.substr(0, 16) || g == full || g == ToHex(key);
        });
        out.push_back({b.contents.kiosk, b.path, KeyFingerprint(key), registered});
    }
    return out;
}

void CheckExpectedDevices(Audit& audit, const std::vector<std::string>& expected)
{
    const auto matches = MatchDevices(audit, expected);
    std::string keys;
    for (const auto& m : matches)
        keys += (keys.empty() ? "" : ", ") + m.fingerprint;
    if (expected.empty()) {
        audit.report.AddWarning("boxes.registered",
                                "not checked: no expected device fingerprints were given, so the boxes were not "
                                "anchored to the kiosks opened at the meeting (device keys " +
                                    keys + ")");
        return;
    }
    Failures bad;
    for (const auto& e : expected)
        if (NormalizeDeviceFingerprint(e).empty())
            bad.Note("the expected device fingerprint \"" + e +
                     "\" is neither the printed form (16 hex digits) nor 64 hex digits");
    for (const auto& m : matches)
        if (!m.registered)
            bad.Note(m.path.filename().string() + ": device key " + m.fingerprint +
                     " is not one registered at the meeting: a substituted box, or a kiosk not written down");
    audit.report.Add("boxes.registered", bad.count == 0,
                     bad.Detail("every box's device key was registered at the meeting (" + keys + ")"));
}

void CheckExpectedFingerprint(Audit& audit, std::string_view expected)
{
    const std::string given = HexGiven(expected);
    if (!audit.package) {
        audit.report.Add("package.fingerprint", false, "the package did not load: its fingerprint is unknown");
        return;
    }
    const std::string full = ToHex(audit.package->fingerprint);
    std::string short_form;
    for (char ch : ShortFingerprint(audit.package->fingerprint))
        if (ch != ' ' && ch != '-') short_form += ch;
    if (given.size() != full.size() && given.size() != short_form.size()) {
        audit.report.Add("package.fingerprint", false,
                         "the expected fingerprint \"" + std::string(expected) + "\" is neither " +
                             std::to_string(full.size()) + " hex digits nor the short form (" +
                             std::to_string(short_form.size()) + " hex digits)");
        return;
    }
    const bool ok = given == (given.size() == full.size() ? full : short_form);
    audit.report.Add("package.fingerprint", ok,
                     ok ? "the package's election fingerprint is the expected " +
                              ShortFingerprint(audit.package->fingerprint) +
                              (given.size() == full.size() ? " (all 64 hex digits)" : " (short form)")
                        : "the package's election fingerprint " + full +
                              " is not the expected one: this is another "
                              "election, or an altered package");
}

Ciphertext GroupSum(const Audit& audit, const TallyGroup& group, std::uint32_t member, std::uint32_t option)
{
    const auto& def = audit.package->definition;
    const std::size_t idx = std::size_t{member} * def.options.size() + option;
    std::optional<Ciphertext> acc;
    for (const auto& b : audit.boxes)
        for (std::size_t k = 0; k < b.grids.size(); ++k) {
            if (std::find(group.categories.begin(), group.categories.end(), b.categories[k]) == group.categories.end())
                continue;
            const auto& cell = b.grids[k].cells.at(idx);
            acc = acc ? *acc + cell : cell;
        }
    if (!acc) throw std::logic_error("GroupSum of an empty group");
    return *acc;
}

void VerifyResults(Audit& audit, ByteView results_file)
{
    if (!audit.package) return;
    const ElectionPackage& p = *audit.package;
    auto parsed = ParseResults(results_file, p);
    if (!parsed) {
        const std::string& code = parsed.error().code;
        audit.report.Add(code == "results.signature" || code == "results.election" ? code : "results.format", false,
                         parsed.error().detail);
        return;
    }
    const Results& r = *parsed;
    audit.report.Add("results.signature", true, "results signed by the election's admin key");

    // Boxes: the results name exactly the boxes given, each closed, with its close hash.
    bool boxes_ok = r.boxes.size() == audit.boxes.size();
    std::string boxes_detail = "the results cover exactly the " + std::to_string(audit.boxes.size()) + " boxes given";
    for (const auto& b : audit.boxes) {
        auto it =
            std::find_if(r.boxes.begin(), r.boxes.end(), [&](const auto& s) { return s.kiosk == b.contents.kiosk; });
        if (it == r.boxes.end() || it->device_public_key != b.contents.device_public_key ||
            it->close_hash != b.close_hash || it->ballots != b.contents.ballots.size() || !b.closed) {
            boxes_ok = false;
            boxes_detail = b.path.filename().string() +
                           ": this box is not the one the results were tallied from (unknown kiosk key, "
                           "other close seal or ballot count)";
        }
    }
    if (r.boxes.size() != audit.boxes.size())
        boxes_detail = "the results were tallied from " + std::to_string(r.boxes.size()) +
                       (r.boxes.size() == 1 ? " box, " : " boxes, ") + std::to_string(audit.boxes.size()) +
                       (audit.boxes.size() == 1 ? " was given" : " were given");
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
                     att_ok ? "codes issued and used per category match the boxes"
                            : "the published attendance does not match the boxes");

    // Groups: recomputed from the ballots, all at least the minimum size.
    std::vector<std::string> notes;
    auto groups = GroupCategories(p.definition, audit.BallotsPerCategory(), &notes);
    bool groups_ok = groups.ok() && groups->size() == r.groups.size();
    for (std::size_t i = 0; groups_ok && i < r.groups.size(); ++i)
        groups_ok = (*groups)[i].categories == r.groups[i].categories && (*groups)[i].ballots == r.groups[i].ballots;
    audit.report.Add("results.groups", groups_ok,
                     groups_ok ? std::to_string(r.groups.size()) + " tally groups, as the grouping rule gives"
                               : "the published groups are not what the grouping rule gives for these ballots");
    bool min_ok = std::all_of(r.groups.begin(), r.groups.end(),
                              [&](const auto& g) { return g.ballots >= p.definition.min_group_size; });
    audit.report.Add(
        "results.min_group", min_ok,
        min_ok ? "no aggregate of fewer than " + std::to_string(p.definition.min_group_size) + " ballots was decrypted"
               : "an aggregate of fewer than " + std::to_string(p.definition.min_group_size) +
                     " ballots was decrypted: it could reveal a vote");
    if (!groups_ok) return;
    const std::size_t cells = p.definition.roster.size() * p.definition.options.size();
    for (const auto& b : audit.boxes)
        for (const auto& grid : b.grids)
            if (grid.cells.size() != cells) {
                audit.report.Add("results.aggregates", false, "the sums cannot be recomputed: a ballot is malformed");
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
                const std::string where =
                    "group " + std::to_string(g) + ", member " + std::to_string(m) + ", option " + std::to_string(o);
                if (!(GroupSum(audit, r.groups[g], m, o) == a.sum))
                    sums.Note(where + ": the aggregate is not the sum of the ballots");
                if (p.trustees) continue;  // VerifyTrusteeResults checks the partials instead
                if (!a.proof ||
                    !VerifyDecryption(p.public_key, a.sum, a.count, *a.proof,
                                      PositionContext(TallyContext(p.fingerprint, r.groups[g]), "tally", m, o)))
                    proofs.Note(where + ": the decryption proof fails for the published count " +
                                std::to_string(a.count));
            }
    if (!complete) sums.Note("the aggregates are incomplete or out of order");
    audit.report.Add("results.aggregates", sums.count == 0,
                     sums.Detail(std::to_string(r.aggregates.size()) + " aggregates equal the sums of the ballots"));
    if (!p.trustees)
        audit.report.Add("results.decryption", proofs.count == 0,
                         proofs.Detail("every published count is the proven decryption of its aggregate"));
    if (complete) VerifyTrusteeResults(audit, r);
}

}  // namespace pingyi
