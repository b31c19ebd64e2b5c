#include "core/trustees.hpp"

#include <algorithm>
#include <set>

#include "core/json_input.hpp"
#include "core/package.hpp"

namespace pingyi {
namespace {

constexpr std::string_view kSetupFormat = "pingyi-ceremony";
constexpr std::string_view kRound1Format = "pingyi-trustee-round1";
constexpr std::string_view kRound2Format = "pingyi-trustee-round2";
constexpr std::string_view kRound3Format = "pingyi-trustee-round3";
constexpr std::size_t kMaxNameBytes = 64;

Error FileError(std::string detail)
{
    return MakeError("ceremony.file", std::move(detail));
}

std::string Who(std::uint32_t i)
{
    return "trustee " + std::to_string(i);
}

Bytes TextBytes(const nlohmann::json& j)
{
    const std::string text = j.dump(1, ' ', false, nlohmann::json::error_handler_t::strict) + "\n";
    return Bytes(text.begin(), text.end());
}

// The hex JSON helpers below throw nlohmann's type_error on a malformed value; the parsers
// turn that into their own error code.
Bytes HexField(const nlohmann::json& j)
{
    auto b = FromHex(j.get<std::string>());
    if (!b) throw JsonValueError{"a value is not hex"};
    return *b;
}

Point PointField(const Group& g, const nlohmann::json& j)
{
    auto p = Point::Decode(g, HexField(j));
    if (!p) throw JsonValueError{"a point is invalid"};
    return std::move(p).value();
}

ChallengeResponse ProofField(const Group& g, const nlohmann::json& j)
{
    auto p = ChallengeResponse::Decode(g, HexField(j));
    if (!p) throw JsonValueError{"a proof is malformed"};
    return std::move(p).value();
}

Digest DigestField(const nlohmann::json& j)
{
    const Bytes b = HexField(j);
    if (b.size() != kHashSize) throw JsonValueError{"a hash has the wrong length"};
    Digest d{};
    std::copy(b.begin(), b.end(), d.begin());
    return d;
}

nlohmann::json PointsJson(const std::vector<Point>& pts)
{
    nlohmann::json a = nlohmann::json::array();
    for (const auto& p : pts)
        a.push_back(ToHex(p.Encode()));
    return a;
}

nlohmann::json ProofsJson(const std::vector<ChallengeResponse>& proofs)
{
    nlohmann::json a = nlohmann::json::array();
    for (const auto& p : proofs)
        a.push_back(ToHex(p.Encode()));
    return a;
}

std::vector<Point> PointsField(const Group& g, const nlohmann::json& j)
{
    std::vector<Point> out;
    for (const auto& x : j)
        out.push_back(PointField(g, x));
    return out;
}

std::vector<ChallengeResponse> ProofsField(const Group& g, const nlohmann::json& j)
{
    std::vector<ChallengeResponse> out;
    for (const auto& x : j)
        out.push_back(ProofField(g, x));
    return out;
}

Digest ComputeContext(const ElectionDefinition& def, std::uint32_t k, const std::vector<std::string>& names,
                      SuiteId suite)
{
    Transcript t("pingyi/v1/ceremony", suite);
    t.Add(SuiteName(suite)).Add(Canonical(ToJson(def)));
    t.AddU32(static_cast<std::uint32_t>(names.size())).AddU32(k);
    for (const auto& n : names)
        t.Add(n);
    return t.Hash();
}

Status CheckNames(const std::vector<std::string>& names)
{
    std::set<std::string> seen;
    for (const auto& n : names) {
        if (n.empty() || n.size() > kMaxNameBytes)
            return MakeError("ceremony.setup", "a trustee's name is empty or longer than 64 bytes");
        if (std::any_of(n.begin(), n.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }))
            return MakeError("ceremony.setup", "a trustee's name contains a control character");
        if (!seen.insert(n).second) return MakeError("ceremony.setup", "two trustees have the same name: " + n);
    }
    return Status::Ok();
}

// Parses {"body"-less} canonical JSON of one of the round formats and checks the header.
Result<nlohmann::json> ParseRoundJson(const CeremonySetup& setup, ByteView file, std::string_view format)
{
    auto parsed = ParseJson(file);
    if (!parsed) return FileError("the file is damaged (" + parsed.error().detail + ")");
    nlohmann::json j = std::move(parsed).value();
    try {
        if (!j.is_object() || j.value("format", "") != format || IntegerAt<int>(j, "version") != 1)
            return FileError("this is not a " + std::string(format) + " file");
        if (j.at("ceremony").get<std::string>() != ToHex(setup.context))
            return FileError("this file belongs to another key ceremony");
        const auto i = IntegerAt<std::uint32_t>(j, "trustee");
        if (i == 0 || i > setup.n())
            return FileError("the file names trustee " + std::to_string(i) + ", who is not in the ceremony");
    } catch (const nlohmann::json::exception& e) {
        return FileError("the file is damaged (" + JsonErrorWords(e) + ")");
    } catch (const JsonValueError& e) {
        return FileError("the file is damaged (" + e.what + ")");
    }
    return j;
}

// The public part of a trustee's key file in round 1–2: ctx ‖ be32(i) ‖ enc(E_i).
Bytes CeremonyKeyPublic(const Digest& ctx, std::uint32_t i, const Point& e)
{
    Bytes out(ctx.begin(), ctx.end());
    AppendU32(out, i);
    AppendBytes(out, e.Encode());
    return out;
}

// After round 3: ctx ‖ R1 ‖ be32(j) ‖ enc(X_j).
Bytes ShareKeyPublic(const Digest& ctx, const Digest& r1, std::uint32_t j, const Point& x)
{
    Bytes out(ctx.begin(), ctx.end());
    AppendBytes(out, r1);
    AppendU32(out, j);
    AppendBytes(out, x.Encode());
    return out;
}

struct CeremonyState {
    std::uint32_t index;
    ElectionKeyPair transport;
    Polynomial poly;
};

Result<CeremonyState> OpenCeremonyKey(const CeremonySetup& setup, ByteView key_file, std::string_view passphrase)
{
    auto sealed = OpenSealedSecret(key_file, passphrase);
    if (!sealed) return sealed.error();
    if (sealed->kind != KeyKind::TrusteeCeremony)
        return MakeError("keyfile.kind", std::string("this key file holds ") + KeyKindName(sealed->kind) +
                                             ", not a trustee's unfinished ceremony");
    const Bytes& pub = sealed->public_part;
    if (pub.size() != kHashSize + 4 + kPointSize ||
        !std::equal(setup.context.begin(), setup.context.end(), pub.begin()))
        return MakeError("ceremony.key", "this trustee key file belongs to another key ceremony");
    const std::uint32_t index =
        (std::uint32_t{pub[32]} << 24) | (std::uint32_t{pub[33]} << 16) | (std::uint32_t{pub[34]} << 8) | pub[35];
    if (sealed->suite != setup.suite) return SuiteMismatch("the trustee key file", sealed->suite, setup.suite);
    const Group& g = Group::Get(setup.suite);
    const std::size_t k = setup.threshold;
    if (sealed->secret.size() != (k + 1) * kScalarSize || index == 0 || index > setup.n())
        return MakeError("keyfile.format", "the trustee key file's contents do not fit the ceremony");
    auto transport = ElectionKeyPair::FromSecret(g, SecretBytes(sealed->secret.view().first(kScalarSize)));
    auto poly = Polynomial::Import(g, SecretBytes(sealed->secret.view().subspan(kScalarSize)));
    if (!transport || !poly) return MakeError("keyfile.format", "the trustee key file's secret is invalid");
    if (transport->public_key().Encode() != Bytes(pub.begin() + 36, pub.end()))
        return MakeError("keyfile.format", "the trustee key file's secret does not match its public part");
    return CeremonyState{index, std::move(transport).value(), std::move(poly).value()};
}

// The trustee's own state, after checking that the round-1 set holds its record unchanged.
Result<CeremonyState> OpenOwnState(const CeremonySetup& setup, const std::vector<Round1>& round1, ByteView key_file,
                                   std::string_view passphrase)
{
    auto state = OpenCeremonyKey(setup, key_file, passphrase);
    if (!state) return state.error();
    const std::uint32_t i = state->index;
    if (round1.size() != setup.n()) return MakeError("ceremony.missing", "the round-1 files are incomplete");
    const Round1& own = round1[i - 1];
    if (!(own.transport_key == state->transport.public_key()) || !(own.commitments == state->poly.Commitments()))
        return MakeError("ceremony.round1_mismatch", "the round-1 file of " + Who(i) + " (" + own.name +
                                                         ") is not the one this trustee made: it was replaced");
    return state;
}

}  // namespace

// ---- setup ----

Bytes CeremonySetup::Serialize() const
{
    nlohmann::json j = {{"format", kSetupFormat}, {"version", 1},      {"election", ToJson(definition)},
                        {"threshold", threshold}, {"trustees", names}, {"ceremony", ToHex(context)}};
    // A P256-SHA256 ceremony names no suite (formats.md §9), as before there were two.
    if (suite != SuiteId::P256_SHA256) j["suite"] = std::string(SuiteName(suite));
    return TextBytes(j);
}

Result<CeremonySetup> MakeCeremonySetup(ElectionDefinition def, std::uint32_t threshold, std::vector<std::string> names,
                                        SuiteId suite)
{
    if (Status s = Validate(def); !s) return s.error();
    if (names.empty() || names.size() > kMaxTrustees)
        return MakeError("ceremony.setup", "there must be 1 to 9 trustees");
    if (threshold == 0 || threshold > names.size())
        return MakeError("ceremony.setup",
                         "the number of trustees needed to decrypt must be 1 to the number of trustees");
    if (Status s = CheckNames(names); !s) return s.error();
    CeremonySetup setup;
    try {
        setup.context = ComputeContext(def, threshold, names, suite);
    } catch (const nlohmann::json::exception&) {
        return MakeError("ceremony.setup", "a name or the election contains text that is not valid UTF-8");
    }
    setup.definition = std::move(def);
    setup.threshold = threshold;
    setup.names = std::move(names);
    setup.suite = suite;
    return setup;
}

Result<CeremonySetup> ParseCeremonySetup(ByteView file)
{
    auto parsed = ParseJson(file);
    if (!parsed) return FileError("the file is damaged (" + parsed.error().detail + ")");
    try {
        const nlohmann::json& j = *parsed;
        if (!j.is_object() || j.value("format", "") != kSetupFormat || IntegerAt<int>(j, "version") != 1)
            return FileError("this is not a key ceremony setup file (ceremony.json)");
        auto def = ElectionFromJson(j.at("election"));
        if (!def) return def.error();
        std::optional<SuiteId> suite = SuiteId::P256_SHA256;
        if (j.contains("suite")) suite = SuiteFromName(j.at("suite").get<std::string>());
        if (!suite) return FileError("the ceremony setup file names an unknown cryptographic suite");
        auto setup = MakeCeremonySetup(std::move(def).value(), IntegerAt<std::uint32_t>(j, "threshold"),
                                       j.at("trustees").get<std::vector<std::string>>(), *suite);
        if (!setup) return setup;
        if (j.at("ceremony").get<std::string>() != ToHex(setup->context))
            return FileError("the ceremony setup file was altered (its ceremony hash does not match)");
        return setup;
    } catch (const nlohmann::json::exception& e) {
        return FileError("the ceremony setup file is damaged: " + JsonErrorWords(e));
    } catch (const JsonValueError& e) {
        return FileError("the ceremony setup file is damaged: " + e.what);
    }
}

// ---- rounds: files ----

Bytes SerializeRound1(const CeremonySetup& setup, const Round1& r)
{
    return TextBytes({{"format", kRound1Format},
                      {"version", 1},
                      {"ceremony", ToHex(setup.context)},
                      {"trustee", r.index},
                      {"name", r.name},
                      {"transport_key", ToHex(r.transport_key.Encode())},
                      {"commitments", PointsJson(r.commitments)},
                      {"proofs", ProofsJson(r.proofs)}});
}

Bytes SerializeRound2(const CeremonySetup& setup, const Round2& r)
{
    nlohmann::json shares = nlohmann::json::array();
    for (const auto& [to, box] : r.shares)
        shares.push_back({{"to", to}, {"share", ToHex(box)}});
    return TextBytes({{"format", kRound2Format},
                      {"version", 1},
                      {"ceremony", ToHex(setup.context)},
                      {"round1", ToHex(r.round1)},
                      {"trustee", r.index},
                      {"shares", shares}});
}

Bytes SerializeRound3(const CeremonySetup& setup, const Round3& r)
{
    return TextBytes({{"format", kRound3Format},
                      {"version", 1},
                      {"ceremony", ToHex(setup.context)},
                      {"round1", ToHex(r.round1)},
                      {"trustee", r.index},
                      {"public_share", ToHex(r.public_share.Encode())},
                      {"confirmation", ToHex(r.confirmation.Encode())}});
}

Result<Round1> ParseRound1(const CeremonySetup& setup, ByteView file)
{
    auto j = ParseRoundJson(setup, file, kRound1Format);
    if (!j) return j.error();
    Round1 r;
    try {
        r.index = IntegerAt<std::uint32_t>(*j, "trustee");
        r.name = j->at("name").get<std::string>();
        const Group& g = Group::Get(setup.suite);
        r.transport_key = PointField(g, j->at("transport_key"));
        r.commitments = PointsField(g, j->at("commitments"));
        r.proofs = ProofsField(g, j->at("proofs"));
    } catch (const nlohmann::json::exception&) {
        return FileError("the round-1 file is damaged");
    } catch (const JsonValueError& b) {
        return FileError("the round-1 file of " + Who(r.index) + " is damaged: " + b.what);
    }
    if (r.name != setup.names[r.index - 1])
        return FileError("the round-1 file of " + Who(r.index) + " names " + r.name + ", not " +
                         setup.names[r.index - 1]);
    if (r.commitments.size() != setup.threshold)
        return MakeError("ceremony.commitments", Who(r.index) + " published " + std::to_string(r.commitments.size()) +
                                                     " commitments, the threshold needs " +
                                                     std::to_string(setup.threshold));
    if (Status s = VerifyCoefficients(r.commitments, r.index, r.proofs, setup.context); !s)
        return MakeError("ceremony.commitments", s.error().detail + " (" + r.name + ")");
    return r;
}

Result<Round2> ParseRound2(const CeremonySetup& setup, ByteView file)
{
    auto j = ParseRoundJson(setup, file, kRound2Format);
    if (!j) return j.error();
    Round2 r;
    try {
        r.index = IntegerAt<std::uint32_t>(*j, "trustee");
        r.round1 = DigestField(j->at("round1"));
        for (const auto& s : j->at("shares"))
            r.shares.emplace_back(IntegerAt<std::uint32_t>(s, "to"), HexField(s.at("share")));
    } catch (const nlohmann::json::exception&) {
        return FileError("the round-2 file is damaged");
    } catch (const JsonValueError& b) {
        return FileError("the round-2 file of " + Who(r.index) + " is damaged: " + b.what);
    }
    return r;
}

Result<Round3> ParseRound3(const CeremonySetup& setup, ByteView file)
{
    auto j = ParseRoundJson(setup, file, kRound3Format);
    if (!j) return j.error();
    Round3 r;
    try {
        r.index = IntegerAt<std::uint32_t>(*j, "trustee");
        r.round1 = DigestField(j->at("round1"));
        r.public_share = PointField(Group::Get(setup.suite), j->at("public_share"));
        r.confirmation = ProofField(Group::Get(setup.suite), j->at("confirmation"));
    } catch (const nlohmann::json::exception&) {
        return FileError("the round-3 file is damaged");
    } catch (const JsonValueError& b) {
        return FileError("the round-3 file of " + Who(r.index) + " is damaged: " + b.what);
    }
    return r;
}

Result<std::vector<Round1>> CollectRound1(const CeremonySetup& setup, std::vector<Round1> all)
{
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
    std::string missing;
    std::vector<Round1> out;
    for (std::uint32_t i = 1; i <= setup.n(); ++i) {
        auto it = std::find_if(all.begin(), all.end(), [&](const auto& r) { return r.index == i; });
        if (it == all.end()) {
            missing += (missing.empty() ? "" : ", ") + setup.names[i - 1];
            continue;
        }
        if (std::count_if(all.begin(), all.end(), [&](const auto& r) { return r.index == i; }) > 1)
            return MakeError("ceremony.file",
                             "two different round-1 files for " + Who(i) + " (" + setup.names[i - 1] + ")");
        out.push_back(std::move(*it));
    }
    if (!missing.empty()) return MakeError("ceremony.missing", "no round-1 file yet from: " + missing);
    return out;
}

Digest Round1Hash(const Digest& context, const std::vector<Round1>& round1)
{
    Transcript t("pingyi/v1/ceremony-round1",
                 round1.empty() ? SuiteId::P256_SHA256 : round1.front().transport_key.group().id());
    t.Add(context);
    for (const auto& r : round1) {
        t.AddU32(r.index).Add(r.transport_key);
        for (const auto& c : r.commitments)
            t.Add(c);
    }
    return t.Hash();
}

Bytes ConfirmationContext(const Digest& context, const Digest& round1_hash)
{
    Bytes out;
    AppendLengthPrefixed(out, context);
    AppendLengthPrefixed(out, round1_hash);
    return out;
}

// ---- rounds: the trustee's steps ----

Round1Output RunRound1(const CeremonySetup& setup, std::uint32_t index, std::string_view passphrase, Rng& rng,
                       KdfParams kdf)
{
    if (index == 0 || index > setup.n()) throw std::invalid_argument("RunRound1: no such trustee");
    const Group& g = Group::Get(setup.suite);
    auto poly = Polynomial::Random(g, setup.threshold, rng);
    auto transport = ElectionKeyPair::Generate(g, rng);
    Round1Output out;
    out.record.index = index;
    out.record.name = setup.names[index - 1];
    out.record.transport_key = transport.public_key();
    out.record.commitments = poly.Commitments();
    out.record.proofs = ProveCoefficients(poly, index, setup.context, rng);
    const SecretBytes e = transport.ExportSecret();
    const SecretBytes a = poly.Export();
    SecretBytes secret(e.size() + a.size());
    std::copy(e.view().begin(), e.view().end(), secret.data());
    std::copy(a.view().begin(), a.view().end(), secret.data() + e.size());
    out.key_file =
        SealSecret(KeyKind::TrusteeCeremony, g.id(), CeremonyKeyPublic(setup.context, index, transport.public_key()),
                   secret, passphrase, rng, kdf);
    return out;
}

Result<Round2> RunRound2(const CeremonySetup& setup, const std::vector<Round1>& round1, ByteView key_file,
                         std::string_view passphrase, Rng& rng)
{
    auto state = OpenOwnState(setup, round1, key_file, passphrase);
    if (!state) return state.error();
    const std::uint32_t i = state->index;
    Round2 r;
    r.index = i;
    r.round1 = Round1Hash(setup.context, round1);
    for (const auto& other : round1) {
        if (other.index == i) continue;
        const Scalar share = state->poly.Evaluate(other.index);
        r.shares.emplace_back(other.index, EncryptShare(state->transport, other.transport_key, i, other.index, share,
                                                        setup.context, rng));
    }
    return r;
}

Result<Round3Output> RunRound3(const CeremonySetup& setup, const std::vector<Round1>& round1,
                               const std::vector<Round2>& round2, ByteView key_file, std::string_view passphrase,
                               Rng& rng, KdfParams kdf)
{
    auto state = OpenOwnState(setup, round1, key_file, passphrase);
    if (!state) return state.error();
    const std::uint32_t j = state->index;
    const Digest r1 = Round1Hash(setup.context, round1);
    Scalar x = state->poly.Evaluate(j);
    std::string missing;
    for (const auto& dealer : round1) {
        if (dealer.index == j) continue;
        const std::string who = Who(dealer.index) + " (" + dealer.name + ")";
        auto it = std::find_if(round2.begin(), round2.end(), [&](const auto& r) { return r.index == dealer.index; });
        if (it == round2.end()) {
            missing += (missing.empty() ? "" : ", ") + dealer.name;
            continue;
        }
        if (it->round1 != r1)
            return MakeError("ceremony.round1_mismatch",
                             who + " made its shares for other round-1 files than these: the files were swapped");
        auto box = std::find_if(it->shares.begin(), it->shares.end(), [&](const auto& s) { return s.first == j; });
        if (box == it->shares.end()) return MakeError("ceremony.share", who + " gave no share to " + Who(j));
        auto share = DecryptShare(state->transport, dealer.transport_key, dealer.index, j, box->second, setup.context);
        if (!share) return MakeError(share.error().code, share.error().detail + ": " + who + " is at fault");
        if (Status s = VerifyShare(dealer.commitments, j, *share); !s)
            return MakeError("ceremony.share", "the share from " + who + " does not match " + dealer.name +
                                                   "'s commitments: " + dealer.name + " cheated or erred");
        x += *share;
    }
    if (!missing.empty()) return MakeError("ceremony.missing", "no round-2 file yet from: " + missing);

    std::vector<std::vector<Point>> all;
    for (const auto& r : round1)
        all.push_back(r.commitments);
    auto share = TrusteeShare::FromScalar(j, std::move(x));
    if (!(share.public_share() == PublicShare(all, j)))
        return MakeError("ceremony.share",
                         "the shares do not add up to the public share: a commitment is inconsistent");
    Round3Output out;
    out.record.index = j;
    out.record.round1 = r1;
    out.record.public_share = share.public_share();
    out.record.confirmation = ProveShareKnowledge(share, ConfirmationContext(setup.context, r1), rng);
    out.share_key_file =
        SealSecret(KeyKind::TrusteeShare, setup.suite, ShareKeyPublic(setup.context, r1, j, share.public_share()),
                   share.ExportSecret(), passphrase, rng, kdf);
    return out;
}

// ---- the trustee set in the package ----

nlohmann::json TrusteeSet::ToJson() const
{
    nlohmann::json m = nlohmann::json::array();
    for (const auto& t : members)
        m.push_back({{"index", t.index},
                     {"name", t.name},
                     {"transport_key", ToHex(t.transport_key.Encode())},
                     {"commitments", PointsJson(t.commitments)},
                     {"proofs", ProofsJson(t.proofs)},
                     {"confirmation", ToHex(t.confirmation.Encode())}});
    return {{"threshold", threshold}, {"members", m}};
}

std::vector<std::vector<Point>> TrusteeSet::AllCommitments() const
{
    std::vector<std::vector<Point>> all;
    for (const auto& t : members)
        all.push_back(t.commitments);
    return all;
}

Point TrusteeSet::JointKey() const
{
    return JointPublicKey(AllCommitments());
}

Point TrusteeSet::PublicShare(std::uint32_t index) const
{
    return pingyi::PublicShare(AllCommitments(), index);
}

Digest TrusteeSet::Context(const ElectionDefinition& def) const
{
    std::vector<std::string> names;
    for (const auto& t : members)
        names.push_back(t.name);
    return ComputeContext(def, threshold, names, suite());
}

SuiteId TrusteeSet::suite() const
{
    return members.empty() ? SuiteId::P256_SHA256 : members.front().transport_key.group().id();
}

Digest TrusteeSet::Round1Hash(const ElectionDefinition& def) const
{
    std::vector<Round1> r1;
    for (const auto& t : members)
        r1.push_back({t.index, t.name, t.transport_key, t.commitments, t.proofs});
    return pingyi::Round1Hash(Context(def), r1);
}

const TrusteeRecord* TrusteeSet::Find(std::uint32_t index) const
{
    return index >= 1 && index <= members.size() ? &members[index - 1] : nullptr;
}

Result<TrusteeSet> TrusteeSetFromJson(const nlohmann::json& j, SuiteId suite)
{
    const Group& g = Group::Get(suite);
    TrusteeSet set;
    try {
        if (!HasExactly(j, {"threshold", "members"}))
            return MakeError("package.trustees", "the trustees member has unexpected fields");
        set.threshold = IntegerAt<std::uint32_t>(j, "threshold");
        for (const auto& m : j.at("members")) {
            if (!HasExactly(m, {"index", "name", "transport_key", "commitments", "proofs", "confirmation"}))
                return MakeError("package.trustees", "a trustee has unexpected fields");
            TrusteeRecord t;
            t.index = IntegerAt<std::uint32_t>(m, "index");
            t.name = m.at("name").get<std::string>();
            t.transport_key = PointField(g, m.at("transport_key"));
            t.commitments = PointsField(g, m.at("commitments"));
            t.proofs = ProofsField(g, m.at("proofs"));
            t.confirmation = ProofField(g, m.at("confirmation"));
            set.members.push_back(std::move(t));
        }
    } catch (const nlohmann::json::exception&) {
        return MakeError("package.trustees", "the package's trustees are malformed");
    } catch (const JsonValueError& b) {
        return MakeError("package.trustees", "the package's trustees are malformed: " + b.what);
    }
    const auto n = set.members.size();
    if (n == 0 || n > kMaxTrustees || set.threshold == 0 || set.threshold > n)
        return MakeError("package.trustees", "the package needs 1 to 9 trustees and a threshold of 1 to their number");
    for (std::uint32_t i = 0; i < n; ++i)
        if (set.members[i].index != i + 1 || set.members[i].commitments.size() != set.threshold)
            return MakeError("package.trustees", "the trustees are not numbered 1 … n or have the wrong commitments");
    return set;
}

Status VerifyTrusteeSet(const TrusteeSet& set, const ElectionDefinition& def, const Point& public_key)
{
    if (set.suite() != public_key.group().id())
        return SuiteMismatch("the trustees' keys", set.suite(), public_key.group().id());
    std::vector<std::string> names;
    for (const auto& t : set.members)
        names.push_back(t.name);
    if (Status s = CheckNames(names); !s) return MakeError("package.trustees", s.error().detail);
    const Digest ctx = set.Context(def);
    for (const auto& t : set.members)
        if (Status s = VerifyCoefficients(t.commitments, t.index, t.proofs, ctx); !s)
            return MakeError("package.trustees", s.error().detail + " (" + t.name + ")");
    const Bytes ctx3 = ConfirmationContext(ctx, set.Round1Hash(def));
    for (const auto& t : set.members)
        if (Status s = VerifyShareKnowledge(set.PublicShare(t.index), t.index, t.confirmation, ctx3); !s)
            return MakeError("package.trustees", s.error().detail + " (" + t.name + ")");
    if (!(set.JointKey() == public_key))
        return MakeError("package.trustees", "the election public key is not the sum of the trustees' commitments");
    return Status::Ok();
}

Result<TrusteeSet> FinishCeremony(const CeremonySetup& setup, const std::vector<Round1>& round1,
                                  const std::vector<Round3>& round3)
{
    if (round1.size() != setup.n()) return MakeError("ceremony.missing", "the round-1 files are incomplete");
    const Digest r1 = Round1Hash(setup.context, round1);
    const Bytes ctx3 = ConfirmationContext(setup.context, r1);
    TrusteeSet set;
    set.threshold = setup.threshold;
    std::vector<std::vector<Point>> all;
    for (const auto& r : round1)
        all.push_back(r.commitments);
    std::string missing;
    for (const auto& r : round1) {
        auto it = std::find_if(round3.begin(), round3.end(), [&](const auto& c) { return c.index == r.index; });
        if (it == round3.end()) {
            missing += (missing.empty() ? "" : ", ") + r.name;
            continue;
        }
        const std::string who = Who(r.index) + " (" + r.name + ")";
        if (it->round1 != r1)
            return MakeError("ceremony.round1_mismatch", who + " confirmed other round-1 files than these");
        if (!(it->public_share == PublicShare(all, r.index)))
            return MakeError("ceremony.confirmation", who + "'s public share does not follow from the commitments");
        if (Status s = VerifyShareKnowledge(it->public_share, r.index, it->confirmation, ctx3); !s)
            return MakeError("ceremony.confirmation", s.error().detail + " (" + r.name + ")");
        set.members.push_back({r.index, r.name, r.transport_key, r.commitments, r.proofs, it->confirmation});
    }
    if (!missing.empty()) return MakeError("ceremony.missing", "no round-3 confirmation yet from: " + missing);
    return set;
}

Result<OpenedShare> OpenTrusteeShare(ByteView key_file, std::string_view passphrase)
{
    auto sealed = OpenSealedSecret(key_file, passphrase);
    if (!sealed) return sealed.error();
    if (sealed->kind != KeyKind::TrusteeShare)
        return MakeError("keyfile.kind", std::string("this key file holds ") + KeyKindName(sealed->kind) +
                                             ", not a trustee's finished key share (is round 3 done?)");
    const Bytes& pub = sealed->public_part;
    if (pub.size() != 2 * kHashSize + 4 + kPointSize)
        return MakeError("keyfile.format", "the trustee key file's public part has the wrong length");
    const std::uint32_t j =
        (std::uint32_t{pub[64]} << 24) | (std::uint32_t{pub[65]} << 16) | (std::uint32_t{pub[66]} << 8) | pub[67];
    auto share = TrusteeShare::FromSecret(Group::Get(sealed->suite), j, sealed->secret);
    if (!share) return MakeError("keyfile.format", "the trustee's share in the key file is invalid");
    if (share->public_share().Encode() != Bytes(pub.begin() + 68, pub.end()))
        return MakeError("keyfile.format", "the trustee's share does not match the key file's public share");
    OpenedShare out{std::move(share).value(), {}, {}};
    std::copy(pub.begin(), pub.begin() + 32, out.context.begin());
    std::copy(pub.begin() + 32, pub.begin() + 64, out.round1.begin());
    return out;
}

}  // namespace pingyi
