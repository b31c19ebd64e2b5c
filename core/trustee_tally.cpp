#include "core/trustee_tally.hpp"

#include <algorithm>
#include <set>

namespace pingyi {
namespace {

std::string Where(const ElectionDefinition& def, std::uint32_t g, std::uint32_t m, std::uint32_t o)
{
    return "group " + std::to_string(g + 1) + ", " + def.roster.at(m).name + ", option " + def.options.at(o);
}

bool SameGroups(const std::vector<TallyGroup>& a, const std::vector<TallyGroup>& b)
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].categories != b[i].categories || a[i].ballots != b[i].ballots) return false;
    return true;
}

std::vector<BoxSummary> AuditBoxes(const Audit& audit)
{
    std::vector<BoxSummary> boxes;
    for (const auto& b : audit.boxes)
        boxes.push_back({b.contents.kiosk, b.contents.device_public_key, b.close_hash,
                         static_cast<std::uint32_t>(b.contents.ballots.size()), b.spoiled});
    std::sort(boxes.begin(), boxes.end(), [](const auto& a, const auto& b) { return a.kiosk < b.kiosk; });
    return boxes;
}

}  // namespace

Result<PartialPreview> PreviewPartial(const Audit& audit, const OpenedShare& share)
{
    auto prepared = PrepareResults(audit, {});
    if (!prepared) return prepared.error();
    const ElectionPackage& p = *audit.package;
    if (!p.trustees) return MakeError("tally.key", "this election has a single election key, not trustees");
    const std::uint32_t j = share.share.index();
    const TrusteeRecord* rec = p.trustees->Find(j);
    if (rec == nullptr || share.context != p.trustees->Context(p.definition) ||
        share.round1 != p.trustees->Round1Hash(p.definition) ||
        !(share.share.public_share() == p.trustees->PublicShare(j)))
        return MakeError("tally.key", "this trustee key belongs to another election or key ceremony");
    PartialPreview out;
    out.boxes = prepared->boxes;
    out.box_set = BoxSetHash(p.suite(), p.fingerprint, out.boxes);
    out.attendance = prepared->attendance;
    out.groups = prepared->groups;
    out.aggregates = out.groups.size() * p.definition.roster.size() * p.definition.options.size();
    out.trustee = rec;
    return out;
}

Result<TrusteePartials> RunPartialDecryption(const Audit& audit, const OpenedShare& share,
                                             const std::vector<std::uint32_t>& present, Rng& rng,
                                             const ProgressFn& progress)
{
    auto preview = PreviewPartial(audit, share);
    if (!preview) return preview.error();
    const ElectionPackage& p = *audit.package;
    const auto& cats = p.definition.categories;
    if (present.size() != cats.size())
        return MakeError("tally.present", "the number present (实到) is needed for every category");
    for (std::size_t c = 0; c < cats.size(); ++c)
        if (preview->attendance[c].used > present[c])
            return MakeError("tally.present", cats[c].name + ": " + std::to_string(preview->attendance[c].used) +
                                                  " codes were used but only " + std::to_string(present[c]) +
                                                  " people are present (实到): nothing is decrypted");

    TrusteePartials out;
    out.election = p.fingerprint;
    out.box_set = preview->box_set;
    out.trustee = share.share.index();
    out.present = present;
    out.groups = preview->groups;
    const auto members = static_cast<std::uint32_t>(p.definition.roster.size());
    const auto options = static_cast<std::uint32_t>(p.definition.options.size());
    for (std::uint32_t g = 0; g < out.groups.size(); ++g) {
        const Bytes base = PartialContext(p.fingerprint, out.box_set, out.groups[g]);
        for (std::uint32_t m = 0; m < members; ++m)
            for (std::uint32_t o = 0; o < options; ++o) {
                const EncryptedSum sum = GroupSum(audit, out.groups[g], m, o);
                if (Status s = CheckSumEncodable(sum.sum(), m, o); !s) return s.error();
                auto partial = DecryptPartial(share.share, sum, p.definition.min_group_size,
                                              PositionContext(base, "partial", m, o), rng);
                if (!partial) return partial.error();
                out.partials.push_back(std::move(partial).value());
                if (progress && !progress(out.partials.size(), preview->aggregates))
                    return MakeError("tally.cancelled", "the partial decryption was cancelled");
            }
    }
    return out;
}

Status VerifyTrusteePartials(const Audit& audit, const std::vector<TallyGroup>& groups,
                             const std::vector<Ciphertext>& sums, const TrusteePartials& t)
{
    const ElectionPackage& p = *audit.package;
    const TrusteeRecord* rec = p.trustees ? p.trustees->Find(t.trustee) : nullptr;
    const std::string who =
        rec ? "trustee " + std::to_string(t.trustee) + " (" + rec->name + ")" : "trustee " + std::to_string(t.trustee);
    if (rec == nullptr) return MakeError("partial.binding", who + " is not a trustee of this election");
    if (t.election != p.fingerprint) return MakeError("partial.binding", who + ": a partial of another election");
    if (t.box_set != BoxSetHash(p.suite(), p.fingerprint, AuditBoxes(audit)))
        return MakeError("partial.binding", who + " decrypted another set of boxes (other close records) than these");
    if (!SameGroups(t.groups, groups))
        return MakeError("partial.binding", who + " decrypted other tally groups than these ballots give");
    if (t.partials.size() != sums.size())
        return MakeError("partial.binding", who + ": the number of partial decryptions does not match the aggregates");
    const Point x = p.trustees->PublicShare(t.trustee);
    const auto members = static_cast<std::uint32_t>(p.definition.roster.size());
    const auto options = static_cast<std::uint32_t>(p.definition.options.size());
    std::size_t i = 0;
    for (std::uint32_t g = 0; g < groups.size(); ++g) {
        const Bytes base = PartialContext(p.fingerprint, t.box_set, groups[g]);
        for (std::uint32_t m = 0; m < members; ++m)
            for (std::uint32_t o = 0; o < options; ++o, ++i)
                if (!VerifyPartial(x, sums[i].a, t.partials[i], PositionContext(base, "partial", m, o)))
                    return MakeError("partial.proof",
                                     who + ": the partial decryption proof fails at " + Where(p.definition, g, m, o));
    }
    return Status::Ok();
}

Result<Results> CombineTrusteePartials(const Audit& audit, std::vector<TrusteePartials> partials,
                                       const SigningKey& admin_key, const TallyInput& input, const ProgressFn& progress)
{
    if (Status s = CheckTallyable(audit); !s) return s.error();
    const ElectionPackage& p = *audit.package;
    if (!p.trustees) return MakeError("tally.key", "this election has a single election key, not trustees");
    if (admin_key.public_key() != p.admin_public_key)
        return MakeError("tally.key", "this admin key belongs to another election");
    auto prepared = PrepareResults(audit, input);
    if (!prepared) return prepared.error();
    Results r = std::move(prepared).value();
    const std::vector<Ciphertext> sums = AggregateSums(audit, r.groups);

    std::sort(partials.begin(), partials.end(), [](const auto& a, const auto& b) { return a.trustee < b.trustee; });
    std::set<std::uint32_t> seen;
    for (const auto& t : partials) {
        if (!seen.insert(t.trustee).second)
            return MakeError("partial.binding", "trustee " + std::to_string(t.trustee) + " is given twice");
        if (Status s = VerifyTrusteePartials(audit, r.groups, sums, t); !s) return s.error();
    }
    const std::uint32_t k = p.trustees->threshold;
    if (partials.size() < k)
        return MakeError("tally.too_few_trustees",
                         std::to_string(partials.size()) + " of the " + std::to_string(k) +
                             " trustees needed have decrypted: " + std::to_string(k - partials.size()) +
                             " more must run their step (nothing can be decrypted with fewer)");

    std::vector<std::uint32_t> indices;
    for (const auto& t : partials)
        indices.push_back(t.trustee);
    const auto members = static_cast<std::uint32_t>(p.definition.roster.size());
    const auto options = static_cast<std::uint32_t>(p.definition.options.size());
    std::size_t i = 0;
    std::vector<Point> d;
    for (std::uint32_t g = 0; g < r.groups.size(); ++g) {
        DiscreteLogTable dlog(p.group(), r.groups[g].ballots);
        for (std::uint32_t m = 0; m < members; ++m)
            for (std::uint32_t o = 0; o < options; ++o, ++i) {
                d.clear();
                for (const auto& t : partials)
                    d.push_back(t.partials[i].d);
                const auto count = dlog.Find(CombinePartials(sums[i].b, indices, d));
                if (!count)
                    return MakeError("tally.dlog",
                                     "the partials did not combine to a count at " + Where(p.definition, g, m, o));
                r.aggregates.push_back({g, m, o, *count, sums[i], std::nullopt});
                if (progress && !progress(i + 1, sums.size()))
                    return MakeError("tally.cancelled", "the tally was cancelled");
            }
    }
    r.partials = std::move(partials);
    r.signature = admin_key.Sign(ResultsSigningMessage(Canonical(r.Body())));
    return r;
}

void VerifyTrusteeResults(Audit& audit, const Results& r)
{
    const ElectionPackage& p = *audit.package;
    if (!p.trustees) {
        audit.report.Add("results.trustees", r.partials.empty(),
                         r.partials.empty() ? Ph("a single election key (1 of 1): whoever holds it could decrypt any "
                                                 "ballot — weaker than trustees")
                                            : Ph("the results carry trustees' partials but the election has none"));
        return;
    }
    const std::uint32_t k = p.trustees->threshold;
    std::set<std::uint32_t> seen;
    std::vector<Phrase> names;
    bool known = true;
    for (const auto& t : r.partials) {
        known = seen.insert(t.trustee).second && p.trustees->Find(t.trustee) != nullptr && known;
        if (const auto* rec = p.trustees->Find(t.trustee))
            names.push_back(
                Ph("{0} ({1})", rec->name, KeyFingerprint(p.trustees->PublicShare(t.trustee).Encode(), p.suite())));
    }
    const bool enough = known && r.partials.size() >= k;
    audit.report.Add(
        "results.trustees", enough,
        enough ? Ph("{0} of {1} trustees decrypted ({2} needed): {3}", r.partials.size(), p.trustees->members.size(), k,
                    ListOf(names))
               : Ph("the results need {0} distinct trustees of this election, they carry {1}", k, r.partials.size()));
    if (!enough) return;
    std::vector<Ciphertext> sums;
    for (const auto& a : r.aggregates)
        sums.push_back(a.sum);
    Phrase failure;
    for (const auto& t : r.partials)
        if (Status s = VerifyTrusteePartials(audit, r.groups, sums, t); !s && failure.empty())
            failure = Phrase::ForError(s.error());
    audit.report.Add("results.partials", failure.empty(),
                     failure.empty() ? Ph("every partial decryption is bound to these boxes and proven against its "
                                          "trustee's public share")
                                     : failure);
    if (!failure.empty()) return;
    std::vector<std::uint32_t> indices;
    for (const auto& t : r.partials)
        indices.push_back(t.trustee);
    std::size_t bad = 0;
    Phrase first;
    std::vector<Point> d;
    for (std::size_t i = 0; i < r.aggregates.size(); ++i) {
        d.clear();
        for (const auto& t : r.partials)
            d.push_back(t.partials[i].d);
        const auto& a = r.aggregates[i];
        if (!(CombinePartials(a.sum.b, indices, d) == SmallMulBase(p.group(), a.count)) && bad++ == 0)
            first = Ph("group {0}, {1}, option {2}: the published count {3} is not the combination of the partials",
                       a.group + 1, p.definition.roster.at(a.member).name, p.definition.options.at(a.option), a.count);
    }
    audit.report.Add("results.combination", bad == 0,
                     bad == 0   ? Ph("every published count is the Lagrange combination of the trustees' partials")
                     : bad == 1 ? first
                                : Ph("{0} (and {1} more)", first, bad - 1));
}

}  // namespace pingyi
