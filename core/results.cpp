#include "core/results.hpp"

#include <algorithm>
#include <numeric>

namespace pingyi {
namespace {

constexpr std::string_view kResultsFormat = "pingyi-results";
constexpr std::string_view kPartialFormat = "pingyi-partial-decryption";

Error Bad(std::string detail)
{
    return MakeError("results.format", std::move(detail));
}

Digest DigestFromHex(const nlohmann::json& j, bool* ok)
{
    Digest d{};
    auto b = FromHex(j.get<std::string>());
    if (!b || b->size() != kHashSize) {
        *ok = false;
        return d;
    }
    std::copy(b->begin(), b->end(), d.begin());
    return d;
}

nlohmann::json GroupsJson(const std::vector<TallyGroup>& groups)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto& g : groups)
        out.push_back({{"categories", g.categories}, {"ballots", g.ballots}});
    return out;
}

std::vector<TallyGroup> GroupsFromJson(const nlohmann::json& j)
{
    std::vector<TallyGroup> out;
    for (const auto& x : j)
        out.push_back(
            {IntegersOf<std::uint32_t>(x.at("categories"), "\"categories\""), IntegerAt<std::uint32_t>(x, "ballots")});
    return out;
}

}  // namespace

Bytes ResultsSigningMessage(const std::string& canonical_body)
{
    Bytes m;
    AppendLengthPrefixed(m, AsBytes("pingyi/v1/results-signature"));
    AppendLengthPrefixed(m, AsBytes(canonical_body));
    return m;
}

Bytes TallyContext(const Digest& fingerprint, const TallyGroup& group)
{
    Bytes out;
    AppendLengthPrefixed(out, fingerprint);
    AppendU32(out, static_cast<std::uint32_t>(group.categories.size()));
    for (auto c : group.categories)
        AppendU32(out, c);
    return out;
}

Digest BoxSetHash(SuiteId suite, const Digest& fingerprint, const std::vector<BoxSummary>& boxes)
{
    std::vector<const BoxSummary*> sorted;
    for (const auto& b : boxes)
        sorted.push_back(&b);
    std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->kiosk < b->kiosk; });
    Transcript t("pingyi/v1/box-set", suite);
    t.Add(fingerprint).AddU32(static_cast<std::uint32_t>(sorted.size()));
    for (const auto* b : sorted)
        t.AddU32(b->kiosk).Add(b->close_hash);
    return t.Hash();
}

Bytes PartialContext(const Digest& fingerprint, const Digest& box_set, const TallyGroup& group)
{
    Bytes out = TallyContext(fingerprint, group);
    AppendLengthPrefixed(out, box_set);
    return out;
}

std::uint32_t Results::TotalBallots() const
{
    std::uint32_t n = 0;
    for (const auto& g : groups)
        n += g.ballots;
    return n;
}

nlohmann::json Results::Body() const
{
    nlohmann::json boxes_j = nlohmann::json::array();
    for (const auto& b : boxes) {
        boxes_j.push_back({{"kiosk", b.kiosk},
                           {"device_public_key", ToHex(b.device_public_key)},
                           {"close_hash", ToHex(b.close_hash)},
                           {"ballots", b.ballots}});
        // Only a box with checked ballots says how many: other results are as before.
        if (b.spoiled != 0) boxes_j.back()["spoiled"] = b.spoiled;
    }
    nlohmann::json att = nlohmann::json::array();
    for (const auto& a : attendance)
        att.push_back({{"issued", a.issued}, {"used", a.used}});
    nlohmann::json aggs = nlohmann::json::array();
    for (const auto& a : aggregates) {
        nlohmann::json x = {{"group", a.group},
                            {"member", a.member},
                            {"option", a.option},
                            {"count", a.count},
                            {"sum", ToHex(a.sum.Encode())}};
        if (a.proof) x["proof"] = ToHex(a.proof->Encode());
        aggs.push_back(std::move(x));
    }
    nlohmann::json body = {{"format", kResultsFormat},
                           {"version", 1},
                           {"election", ToHex(election)},
                           {"boxes", boxes_j},
                           {"attendance", att},
                           {"present", present ? nlohmann::json(*present) : nlohmann::json(nullptr)},
                           {"groups", GroupsJson(groups)},
                           {"aggregates", aggs},
                           {"notes", notes}};
    if (!partials.empty()) {
        nlohmann::json t = nlohmann::json::array();
        for (const auto& p : partials)
            t.push_back(p.Body());
        body["trustees"] = t;
    }
    if (suite != SuiteId::P256_SHA256) body["suite"] = std::string(SuiteName(suite));
    return body;
}

nlohmann::json TrusteePartials::Body() const
{
    nlohmann::json parts = nlohmann::json::array();
    for (const auto& p : partials)
        parts.push_back({{"d", ToHex(p.d.Encode())}, {"proof", ToHex(p.proof.Encode())}});
    return {{"format", kPartialFormat}, {"version", 1},       {"election", ToHex(election)},  {"boxes", ToHex(box_set)},
            {"trustee", trustee},       {"present", present}, {"groups", GroupsJson(groups)}, {"partials", parts}};
}

Bytes TrusteePartials::Serialize() const
{
    const std::string text = Body().dump(1, ' ', false, nlohmann::json::error_handler_t::strict) + "\n";
    return Bytes(text.begin(), text.end());
}

Result<TrusteePartials> ParsePartials(const nlohmann::json& b, const ElectionPackage& package)
{
    auto bad = [](std::string detail) { return MakeError("partial.format", std::move(detail)); };
    try {
        if (!b.is_object() || b.value("format", "") != kPartialFormat || IntegerAt<int>(b, "version") != 1)
            return bad("this is not a partial decryption file");
        TrusteePartials t;
        bool ok = true;
        t.election = DigestFromHex(b.at("election"), &ok);
        t.box_set = DigestFromHex(b.at("boxes"), &ok);
        t.trustee = IntegerAt<std::uint32_t>(b, "trustee");
        t.present = IntegersOf<std::uint32_t>(b.at("present"), "\"present\"");
        t.groups = GroupsFromJson(b.at("groups"));
        for (const auto& x : b.at("partials")) {
            auto d = FromHex(x.at("d").get<std::string>());
            auto proof = FromHex(x.at("proof").get<std::string>());
            if (!d || !proof) return bad("a partial decryption is not hex");
            auto dp = Point::Decode(package.group(), *d);
            auto pp = ChallengeResponse::Decode(package.group(), *proof);
            if (!dp || !pp) return bad("a partial decryption or its proof is malformed");
            t.partials.push_back({std::move(dp).value(), std::move(pp).value()});
        }
        if (!ok) return bad("a hash of the partial decryption file is malformed");
        if (t.election != package.fingerprint)
            return MakeError("results.election", "the partial decryption belongs to another election");
        if (Canonical(t.Body()) != Canonical(b)) return bad("the partial decryption is not in canonical form");
        return t;
    } catch (const JsonValueError& e) {
        return bad("the partial decryption is malformed: " + e.what);
    } catch (const nlohmann::json::exception& e) {
        return bad("the partial decryption is malformed: " + JsonErrorWords(e));
    }
}

Result<TrusteePartials> ParsePartialsFile(ByteView file, const ElectionPackage& package)
{
    auto j = ParseJson(file);
    if (!j) return MakeError("partial.format", "this is not a partial decryption file (" + j.error().detail + ")");
    return ParsePartials(*j, package);
}

Bytes Results::Serialize() const
{
    const nlohmann::json file = {{"body", Body()}, {"signature", ToHex(signature)}};
    const std::string text = file.dump(1, ' ', false, nlohmann::json::error_handler_t::strict) + "\n";
    return Bytes(text.begin(), text.end());
}

Result<Results> ParseResults(ByteView file, const ElectionPackage& package)
{
    auto parsed = ParseJson(file);
    if (!parsed) return Bad("this file is not a results file (" + parsed.error().detail + ")");
    const nlohmann::json& j = *parsed;
    try {
        // Exactly body and signature: nothing unsigned rides along in a signed file.
        if (!HasExactly(j, {"body", "signature"}))
            return Bad("a results file has exactly the members body and signature");
        const auto& b = j.at("body");
        if (b.at("format").get<std::string>() != kResultsFormat) return Bad("this file is not a Pingyi results file");
        if (IntegerAt<int>(b, "version") != 1) return Bad("the results file is of another version");
        // A results file of the P256-SHA256 suite has no "suite" member (formats.md §6).
        nlohmann::json members = b;
        members.erase("suite");
        if (members.contains("trustees")
                ? !HasExactly(members, {"format", "version", "election", "boxes", "attendance", "present", "groups",
                                        "aggregates", "notes", "trustees"})
                : !HasExactly(members, {"format", "version", "election", "boxes", "attendance", "present", "groups",
                                        "aggregates", "notes"}))
            return Bad("the results file has unexpected fields");
        Results r;
        if (b.contains("suite")) {
            const auto suite = SuiteFromName(b.at("suite").get<std::string>());
            if (!suite) return Bad("the results file names an unknown cryptographic suite");
            r.suite = *suite;
        }
        if (r.suite != package.suite()) return SuiteMismatch("the results file", r.suite, package.suite());
        const Group& g = package.group();
        bool ok = true;
        r.election = DigestFromHex(b.at("election"), &ok);
        for (const auto& x : b.at("boxes")) {
            if (!HasExactly(x, {"kiosk", "device_public_key", "close_hash", "ballots"}) &&
                !HasExactly(x, {"kiosk", "device_public_key", "close_hash", "ballots", "spoiled"}))
                return Bad("a box entry has unexpected fields");
            BoxSummary s;
            s.kiosk = IntegerAt<std::uint32_t>(x, "kiosk");
            auto key = FromHex(x.at("device_public_key").get<std::string>());
            if (!key)
                ok = false;
            else
                s.device_public_key = *key;
            s.close_hash = DigestFromHex(x.at("close_hash"), &ok);
            s.ballots = IntegerAt<std::uint32_t>(x, "ballots");
            if (x.contains("spoiled")) s.spoiled = IntegerAt<std::uint32_t>(x, "spoiled");
            r.boxes.push_back(std::move(s));
        }
        for (const auto& x : b.at("attendance")) {
            if (!HasExactly(x, {"issued", "used"})) return Bad("an attendance entry has unexpected fields");
            r.attendance.push_back({IntegerAt<std::uint32_t>(x, "issued"), IntegerAt<std::uint32_t>(x, "used")});
        }
        if (!b.at("present").is_null()) r.present = IntegerAt<std::uint32_t>(b, "present");
        for (const auto& x : b.at("groups"))
            if (!HasExactly(x, {"categories", "ballots"})) return Bad("a group entry has unexpected fields");
        r.groups = GroupsFromJson(b.at("groups"));
        // With trustees the aggregates carry no proof of their own: the partials prove them.
        const bool by_trustees = b.contains("trustees");
        for (const auto& x : b.at("aggregates")) {
            if (by_trustees ? !HasExactly(x, {"group", "member", "option", "count", "sum"})
                            : !HasExactly(x, {"group", "member", "option", "count", "sum", "proof"}))
                return Bad("an aggregate has unexpected fields");
            auto sum_b = FromHex(x.at("sum").get<std::string>());
            if (!sum_b) return Bad("an aggregate is not hex");
            auto sum = Ciphertext::Decode(g, *sum_b);
            if (!sum) return Bad("an aggregate's ciphertext is malformed");
            std::optional<ChallengeResponse> proof;
            if (!by_trustees) {
                auto proof_b = FromHex(x.at("proof").get<std::string>());
                if (!proof_b) return Bad("an aggregate is not hex");
                auto pr = ChallengeResponse::Decode(g, *proof_b);
                if (!pr) return Bad("an aggregate's proof is malformed");
                proof = std::move(pr).value();
            }
            r.aggregates.push_back({IntegerAt<std::uint32_t>(x, "group"), IntegerAt<std::uint32_t>(x, "member"),
                                    IntegerAt<std::uint32_t>(x, "option"), IntegerAt<std::uint64_t>(x, "count"),
                                    std::move(sum).value(), std::move(proof)});
        }
        if (by_trustees) {
            for (const auto& t : b.at("trustees")) {
                auto partial = ParsePartials(t, package);
                if (!partial) return Bad("a trustee's partial decryption is malformed: " + partial.error().detail);
                r.partials.push_back(std::move(partial).value());
            }
            if (r.partials.empty()) return Bad("the results name no trustee");
        }
        r.notes = b.at("notes").get<std::vector<std::string>>();
        auto sig = FromHex(j.at("signature").get<std::string>());
        if (!ok || !sig) return Bad("the results file has malformed hashes or keys");
        r.signature = *sig;
        if (r.election != package.fingerprint)
            return MakeError("results.election", "the results file belongs to another election");
        const std::string canonical = Canonical(r.Body());
        if (canonical != Canonical(b)) return Bad("the results file is not in canonical form");
        if (Status s = VerifySignature(package.suite(), package.admin_public_key, ResultsSigningMessage(canonical),
                                       r.signature);
            !s)
            return MakeError("results.signature", "the results file's signature is invalid: it was altered");
        return r;
    } catch (const JsonValueError& e) {
        return Bad("the results file is malformed: " + e.what);
    } catch (const nlohmann::json::exception& e) {
        return Bad("the results file is malformed: " + JsonErrorWords(e));
    }
}

Result<std::vector<TallyGroup>> GroupCategories(const ElectionDefinition& def,
                                                const std::vector<std::uint32_t>& ballots_per_category,
                                                std::vector<std::string>* notes)
{
    const std::uint32_t k = def.min_group_size;
    std::vector<TallyGroup> groups;
    TallyGroup small;
    for (std::uint32_t c = 0; c < ballots_per_category.size(); ++c) {
        const std::uint32_t n = ballots_per_category[c];
        if (n == 0) continue;
        if (n >= k)
            groups.push_back({{c}, n});
        else {
            small.categories.push_back(c);
            small.ballots += n;
        }
    }
    if (small.ballots == 0) return groups;
    std::string names;
    for (auto c : small.categories)
        names += (names.empty() ? "" : "+") + def.categories[c].name;
    if (small.ballots >= k) {
        if (notes)
            notes->push_back("categories " + names + " have fewer than " + std::to_string(k) +
                             " ballots each and were tallied together (人数不足" + std::to_string(k) +
                             "人的类别已合并统计)");
        groups.push_back(std::move(small));
    } else if (!groups.empty()) {
        auto smallest = std::min_element(groups.begin(), groups.end(),
                                         [](const auto& a, const auto& b) { return a.ballots < b.ballots; });
        if (notes)
            notes->push_back("categories " + names + " have too few ballots (" + std::to_string(small.ballots) + " < " +
                             std::to_string(k) + ") and were merged into " +
                             def.categories[smallest->categories[0]].name + " (人数不足, 已并入其他类别统计)");
        smallest->categories.insert(smallest->categories.end(), small.categories.begin(), small.categories.end());
        std::sort(smallest->categories.begin(), smallest->categories.end());
        smallest->ballots += small.ballots;
    } else {
        return MakeError("tally.too_few", "only " + std::to_string(small.ballots) +
                                              " ballots were cast, fewer than the minimum of " + std::to_string(k) +
                                              ": no result may be decrypted, it would reveal how people voted");
    }
    std::sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a.categories < b.categories; });
    return groups;
}

std::string GroupLabel(const ElectionDefinition& def, const TallyGroup& g)
{
    std::string s;
    for (auto c : g.categories)
        s += (s.empty() ? "" : "+") + def.categories[c].name;
    return s;
}

std::vector<MergedCategories> MergedGroups(const ElectionDefinition& def, const Results& results)
{
    std::vector<MergedCategories> out;
    for (const auto& g : results.groups) {
        if (g.categories.size() < 2) continue;
        MergedCategories m;
        m.ballots = g.ballots;
        m.min_group = def.min_group_size;
        for (const auto c : g.categories) {
            if (c >= def.categories.size()) continue;
            const std::uint32_t n = c < results.attendance.size() ? results.attendance[c].used : 0;
            if (n < m.min_group) {
                m.small.push_back(c);
                m.small_ballots += n;
            } else {
                m.large.push_back(c);
            }
        }
        if (!m.small.empty()) out.push_back(std::move(m));
    }
    return out;
}

std::vector<MemberSummary> Summarize(const ElectionDefinition& def, const Results& results)
{
    const std::size_t members = def.roster.size(), options = def.options.size(), ngroups = results.groups.size();
    std::vector<MemberSummary> out(members);
    for (auto& m : out) {
        m.counts.assign(ngroups, std::vector<std::uint64_t>(options, 0));
        m.total.assign(options, 0);
        m.percent.assign(options, 0);
        m.weighted_percent.assign(options, 0);
    }
    for (const auto& a : results.aggregates) {
        if (a.group >= ngroups || a.member >= members || a.option >= options) continue;
        out[a.member].counts[a.group][a.option] = a.count;
        out[a.member].total[a.option] += a.count;
    }
    // A group's weight is the sum of its categories' weights.
    std::vector<double> weight(ngroups, 0);
    for (std::size_t gi = 0; gi < ngroups; ++gi)
        for (auto c : results.groups[gi].categories)
            weight[gi] += def.categories[c].weight;
    const double total_weight = std::accumulate(weight.begin(), weight.end(), 0.0);
    const double ballots = results.TotalBallots();
    for (auto& m : out) {
        for (std::size_t o = 0; o < options; ++o) {
            m.percent[o] = ballots > 0 ? 100.0 * static_cast<double>(m.total[o]) / ballots : 0;
            double w = 0;
            for (std::size_t gi = 0; gi < ngroups; ++gi) {
                const double gb = results.groups[gi].ballots;
                if (gb > 0) w += weight[gi] * 100.0 * static_cast<double>(m.counts[gi][o]) / gb;
            }
            m.weighted_percent[o] = total_weight > 0 ? w / total_weight : 0;
        }
        m.suggested = def.default_grade;
        for (const auto& rule : def.grade_rules) {
            if (m.weighted_percent[rule.option] + 1e-9 >= rule.min_percent) {
                m.suggested = rule.suggest;
                m.suggestion_note = def.options[rule.option] + "加权占比≥" + std::to_string(rule.min_percent) + "%";
                break;
            }
        }
    }
    // The quota caps suggestions too: at most quota.max members suggested for that option,
    // those with the highest weighted share first; the rest get the default grade.
    if (def.quota) {
        std::vector<std::size_t> idx;
        for (std::size_t i = 0; i < members; ++i)
            if (out[i].suggested == def.quota->option) idx.push_back(i);
        std::stable_sort(idx.begin(), idx.end(), [&](auto a, auto b) {
            return out[a].weighted_percent[def.quota->option] > out[b].weighted_percent[def.quota->option];
        });
        for (std::size_t r = def.quota->max; r < idx.size(); ++r) {
            out[idx[r]].suggested = def.default_grade;
            out[idx[r]].suggestion_note =
                "名额所限（" + def.options[def.quota->option] + "最多" + std::to_string(def.quota->max) + "名）";
        }
    }
    return out;
}

}  // namespace pingyi
