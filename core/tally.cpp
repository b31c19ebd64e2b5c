#include "core/tally.hpp"

#include "core/error_codes.hpp"

namespace pingyi {

Status CheckTallyable(const Audit& audit)
{
    if (!audit.package) return MakeError(std::string(err::kTallyVerify), "the election package did not verify");
    if (!audit.report.ok()) {
        for (const auto& l : audit.report.lines)
            if (!l.ok)
                return MakeError(std::string(err::kTallyVerify),
                                 "verification failed, nothing was decrypted: " + l.detail);
    }
    for (const auto& b : audit.boxes)
        if (!b.closed)
            return MakeError(std::string(err::kTallyOpenBox),
                             b.path.filename().string() + ": the poll of this box is not closed");
    return Status::Ok();
}

Result<Results> PrepareResults(const Audit& audit, const TallyInput& input)
{
    if (Status s = CheckTallyable(audit); !s) return s.error();
    const ElectionPackage& p = *audit.package;
    Results r;
    r.suite = p.suite();
    r.election = p.fingerprint;
    for (const auto& b : audit.boxes)
        r.boxes.push_back({b.contents.kiosk, b.contents.device_public_key, b.close_hash,
                           static_cast<std::uint32_t>(b.contents.ballots.size()), b.spoiled});
    std::sort(r.boxes.begin(), r.boxes.end(), [](const auto& a, const auto& b) { return a.kiosk < b.kiosk; });
    r.attendance.assign(p.definition.categories.size(), {});
    for (const auto& code : p.codes)
        ++r.attendance[code.category].issued;
    for (const auto& b : audit.boxes)
        for (const auto& [hash, cu] : b.contents.codes)
            if (cu.second) ++r.attendance[cu.first].used;
    r.present = input.present;

    auto groups = GroupCategories(p.definition, audit.BallotsPerCategory(), &r.notes);
    if (!groups) return groups.error();
    r.groups = std::move(groups).value();
    return r;
}

std::vector<Ciphertext> AggregateSums(const Audit& audit, const std::vector<TallyGroup>& groups)
{
    const auto& def = audit.package->definition;
    std::vector<Ciphertext> out;
    out.reserve(groups.size() * def.roster.size() * def.options.size());
    for (const auto& g : groups)
        for (std::uint32_t m = 0; m < def.roster.size(); ++m)
            for (std::uint32_t o = 0; o < def.options.size(); ++o)
                out.push_back(GroupSum(audit, g, m, o).sum());
    return out;
}

Status CheckSumEncodable(const Ciphertext& sum, std::uint32_t member, std::uint32_t option)
{
    if (!sum.a.IsIdentity() && !sum.b.IsIdentity()) return Status::Ok();
    return MakeError("tally.verify", "the sum of the ballots for member " + std::to_string(member) + ", option " +
                                         std::to_string(option) +
                                         " is the identity, which has no encoding: the ballots were crafted; "
                                         "nothing was decrypted");
}

Result<Results> RunTally(const Audit& audit, const ElectionKeyPair& election_key, const SigningKey& admin_key,
                         const TallyInput& input, Rng& rng, const ProgressFn& progress)
{
    if (Status s = CheckTallyable(audit); !s) return s.error();
    const ElectionPackage& p = *audit.package;
    if (p.trustees)
        return MakeError("tally.key", "this election's key is held by trustees: each present trustee decrypts");
    if (election_key.public_key().group().id() != p.suite())
        return SuiteMismatch("the election key file", election_key.public_key().group().id(), p.suite());
    if (admin_key.suite() != p.suite()) return SuiteMismatch("the admin key file", admin_key.suite(), p.suite());
    if (!(election_key.public_key() == p.public_key))
        return MakeError("tally.key", "this election key belongs to another election");
    if (admin_key.public_key() != p.admin_public_key)
        return MakeError("tally.key", "this admin key belongs to another election");
    auto prepared = PrepareResults(audit, input);
    if (!prepared) return prepared.error();
    Results r = std::move(prepared).value();

    const auto members = static_cast<std::uint32_t>(p.definition.roster.size());
    const auto options = static_cast<std::uint32_t>(p.definition.options.size());
    const std::size_t total = r.groups.size() * members * options;
    for (std::uint32_t g = 0; g < r.groups.size(); ++g) {
        DiscreteLogTable dlog(p.group(), r.groups[g].ballots);
        const Bytes base = TallyContext(p.fingerprint, r.groups[g]);
        for (std::uint32_t m = 0; m < members; ++m)
            for (std::uint32_t o = 0; o < options; ++o) {
                const EncryptedSum sum = GroupSum(audit, r.groups[g], m, o);
                if (Status s = CheckSumEncodable(sum.sum(), m, o); !s) return s.error();
                auto decrypted = DecryptAggregate(election_key, sum, p.definition.min_group_size, dlog,
                                                  PositionContext(base, "tally", m, o), rng);
                if (!decrypted) return decrypted.error();
                r.aggregates.push_back({g, m, o, decrypted->count, sum.sum(), std::move(decrypted->proof)});
                if (progress && !progress(r.aggregates.size(), total))
                    return MakeError(std::string(err::kTallyCancelled), "the tally was cancelled");
            }
    }
    r.signature = admin_key.Sign(ResultsSigningMessage(Canonical(r.Body())));
    return r;
}

}  // namespace pingyi
