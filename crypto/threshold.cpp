#include "crypto/threshold.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "crypto/aead.hpp"
#include "crypto/hash.hpp"
#include "crypto/single_decrypt.hpp"

namespace pingyi {
namespace {

constexpr std::string_view kCoefficientTag = "pingyi/v1/coefficient-proof";
constexpr std::string_view kShareTag = "pingyi/v1/share-proof";
constexpr std::string_view kPartialTag = "pingyi/v1/partial-decryption-proof";
constexpr std::string_view kShareKeySalt = "pingyi/v1/share-key";

Transcript CoefficientTranscript(std::span<const Point> commitments, std::uint32_t dealer, std::uint32_t l,
                                 ByteView context)
{
    Transcript t = Start(kCoefficientTag, commitments[l], context);
    t.AddU32(dealer).AddU32(l);
    for (const auto& c : commitments)
        t.Add(c);
    return t;
}

// Schnorr over a transcript that already holds the statement: c = H_q(…, enc(w·G)), v = w + c·x.
ChallengeResponse Schnorr(Transcript t, const Scalar& x, Rng& rng)
{
    const Group& g = x.group();
    const Scalar w = Scalar::Random(g, rng);
    t.Add(MulBase(w));
    Scalar c = t.ToScalar(g);
    Scalar v = w + c * x;
    return {std::move(c), v.Published()};
}

// a = v·G − c·X must be non-identity and hash to c.
bool SchnorrHolds(Transcript t, const Point& pub, const ChallengeResponse& proof)
{
    const Point a = MulBaseAddPublic(proof.v, pub, -proof.c);
    if (a.IsIdentity()) return false;
    t.Add(a);
    return proof.c == t.ToScalar(pub.group());
}

Bytes ShareInfo(ByteView context, std::uint32_t dealer, std::uint32_t recipient)
{
    Bytes info;
    AppendLengthPrefixed(info, context);
    AppendU32(info, dealer);
    AppendU32(info, recipient);
    return info;
}

SecretBytes ShareKey(const ElectionKeyPair& own, const Point& other, ByteView info)
{
    const SuiteId suite = other.group().id();
    Bytes shared = (other * own.secret()).Encode();
    SecretBytes key = Hkdf(suite, shared, AsBytes(kShareKeySalt), info, AeadKeySize(suite));
    Wipe(shared);
    return key;
}

void CheckIndex(std::uint32_t j)
{
    if (j == 0 || j > kMaxTrustees) throw std::invalid_argument("a trustee index must be 1 … 9");
}

}  // namespace

Polynomial Polynomial::Random(const Group& g, std::uint32_t k, Rng& rng)
{
    if (k == 0 || k > kMaxTrustees) throw std::invalid_argument("the threshold must be 1 … 9");
    std::vector<Scalar> a;
    a.reserve(k);
    for (std::uint32_t l = 0; l < k; ++l)
        a.push_back(Scalar::Random(g, rng));
    return Polynomial(std::move(a));
}

Result<Polynomial> Polynomial::Import(const Group& g, const SecretBytes& coefficients)
{
    const std::size_t k = coefficients.size() / kScalarSize;
    if (k == 0 || k > kMaxTrustees || coefficients.size() % kScalarSize != 0)
        return MakeError("ceremony.secret", "the polynomial has the wrong length");
    std::vector<Scalar> a;
    for (std::size_t l = 0; l < k; ++l) {
        auto s = Scalar::DecodeSecret(g, coefficients.view().subspan(l * kScalarSize, kScalarSize));
        if (!s || s->IsZero()) return MakeError("ceremony.secret", "a coefficient of the polynomial is invalid");
        a.push_back(std::move(s).value());
    }
    return Polynomial(std::move(a));
}

SecretBytes Polynomial::Export() const
{
    SecretBytes out(m_a.size() * kScalarSize);
    for (std::size_t l = 0; l < m_a.size(); ++l) {
        Bytes enc = m_a[l].Encode();
        std::copy(enc.begin(), enc.end(), out.data() + l * kScalarSize);
        Wipe(enc);
    }
    return out;
}

Scalar Polynomial::Evaluate(std::uint32_t x) const
{
    const Scalar xs(m_a.front().group(), x);
    Scalar acc = m_a.back();
    for (std::size_t l = m_a.size() - 1; l-- > 0;)
        acc = acc * xs + m_a[l];
    return acc;
}

std::vector<Point> Polynomial::Commitments() const
{
    std::vector<Point> c;
    c.reserve(m_a.size());
    for (const auto& a : m_a)
        c.push_back(MulBase(a));
    return c;
}

std::vector<ChallengeResponse> ProveCoefficients(const Polynomial& f, std::uint32_t dealer, ByteView context, Rng& rng)
{
    CheckIndex(dealer);
    const std::vector<Point> commitments = f.Commitments();
    std::vector<ChallengeResponse> proofs;
    for (std::uint32_t l = 0; l < f.threshold(); ++l)
        proofs.push_back(Schnorr(CoefficientTranscript(commitments, dealer, l, context), f.coefficient(l), rng));
    return proofs;
}

Status VerifyCoefficients(std::span<const Point> commitments, std::uint32_t dealer,
                          std::span<const ChallengeResponse> proofs, ByteView context)
{
    const std::string who = "trustee " + std::to_string(dealer);
    if (commitments.empty() || commitments.size() > kMaxTrustees || proofs.size() != commitments.size())
        return MakeError("ceremony.commitments", who + ": the number of commitments or proofs is wrong");
    for (std::uint32_t l = 0; l < commitments.size(); ++l)
        if (!SchnorrHolds(CoefficientTranscript(commitments, dealer, l, context), commitments[l], proofs[l]))
            return MakeError("ceremony.commitments",
                             who + ": the proof of coefficient " + std::to_string(l) + " is invalid");
    return Status::Ok();
}

Point EvaluateCommitments(std::span<const Point> commitments, std::uint32_t x)
{
    const Group& g = commitments.front().group();
    std::vector<Scalar> powers;
    Scalar p(g, 1);
    const Scalar xs(g, x);
    for (std::size_t l = 0; l < commitments.size(); ++l) {
        powers.push_back(p);
        p = p * xs;
    }
    std::vector<const Point*> pts;
    std::vector<const Scalar*> scs;
    for (std::size_t l = 0; l < commitments.size(); ++l) {
        pts.push_back(&commitments[l]);
        scs.push_back(&powers[l]);
    }
    return MultiMulPublic(Scalar(g), pts, scs);
}

Status VerifyShare(std::span<const Point> commitments, std::uint32_t recipient, const Scalar& share)
{
    if (commitments.empty() || !(MulBase(share) == EvaluateCommitments(commitments, recipient)))
        return MakeError("ceremony.share", "the share for trustee " + std::to_string(recipient) +
                                               " does not match its dealer's commitments");
    return Status::Ok();
}

Point PublicShare(std::span<const std::vector<Point>> all_commitments, std::uint32_t j)
{
    Point acc(all_commitments.front().front().group());
    for (const auto& c : all_commitments)
        acc += EvaluateCommitments(c, j);
    return acc;
}

Point JointPublicKey(std::span<const std::vector<Point>> all_commitments)
{
    Point acc(all_commitments.front().front().group());
    for (const auto& c : all_commitments)
        acc += c.front();
    return acc;
}

Bytes EncryptShare(const ElectionKeyPair& dealer_transport, const Point& recipient_transport, std::uint32_t dealer,
                   std::uint32_t recipient, const Scalar& share, ByteView context, Rng& rng)
{
    const Bytes info = ShareInfo(context, dealer, recipient);
    const SecretBytes key = ShareKey(dealer_transport, recipient_transport, info);
    Bytes out(kAeadNonceSize);
    rng.Fill(out);
    Bytes plain = share.Encode();
    const Bytes sealed = AeadSeal(recipient_transport.group().id(), key, ByteView(out), info, plain);
    Wipe(plain);
    AppendBytes(out, sealed);
    return out;
}

Result<Scalar> DecryptShare(const ElectionKeyPair& recipient_transport, const Point& dealer_transport,
                            std::uint32_t dealer, std::uint32_t recipient, ByteView encrypted, ByteView context)
{
    const std::string what =
        "the share from trustee " + std::to_string(dealer) + " to trustee " + std::to_string(recipient);
    if (encrypted.size() != kEncryptedShareSize)
        return MakeError("ceremony.share_encryption", what + " has the wrong length");
    const Bytes info = ShareInfo(context, dealer, recipient);
    const SecretBytes key = ShareKey(recipient_transport, dealer_transport, info);
    auto plain = AeadOpen(dealer_transport.group().id(), key, encrypted.first(kAeadNonceSize), info,
                          encrypted.subspan(kAeadNonceSize), "ceremony.share");
    if (!plain)
        return MakeError("ceremony.share_encryption",
                         what + " does not decrypt: it was altered or made for another key");
    auto s = Scalar::DecodeSecret(recipient_transport.public_key().group(), plain->view());
    if (!s) return MakeError("ceremony.share", what + " is not a valid scalar");
    return std::move(s).value();
}

Result<TrusteeShare> TrusteeShare::FromSecret(const Group& g, std::uint32_t index, const SecretBytes& secret)
{
    if (index == 0 || index > kMaxTrustees) return MakeError("ceremony.secret", "the trustee index is out of range");
    auto s = Scalar::DecodeSecret(g, secret.view());
    if (!s || s->IsZero()) return MakeError("ceremony.secret", "the trustee's share is invalid");
    return FromScalar(index, std::move(s).value());
}

TrusteeShare TrusteeShare::FromScalar(std::uint32_t index, Scalar x)
{
    CheckIndex(index);
    Point pub = MulBase(x);
    return TrusteeShare(index, std::move(x), std::move(pub));
}

SecretBytes TrusteeShare::ExportSecret() const
{
    Bytes raw = m_x.Encode();
    SecretBytes out(raw);
    Wipe(raw);
    return out;
}

ChallengeResponse ProveShareKnowledge(const TrusteeShare& share, ByteView context, Rng& rng)
{
    Transcript t = Start(kShareTag, share.public_share(), context);
    t.AddU32(share.index());
    return Schnorr(std::move(t), share.secret(), rng);
}

Status VerifyShareKnowledge(const Point& public_share, std::uint32_t index, const ChallengeResponse& proof,
                            ByteView context)
{
    Transcript t = Start(kShareTag, public_share, context);
    t.AddU32(index);
    if (!SchnorrHolds(std::move(t), public_share, proof))
        return MakeError("ceremony.confirmation",
                         "trustee " + std::to_string(index) + "'s confirmation of its share is invalid");
    return Status::Ok();
}

Result<PartialDecryption> DecryptPartial(const TrusteeShare& share, const EncryptedSum& aggregate,
                                         std::size_t min_ballots, ByteView context, Rng& rng)
{
    if (Status s = RequireBallots(aggregate, min_ballots); !s) return s.error();
    const Point& a = aggregate.sum().a;
    const Group& g = a.group();
    Point d = a * share.secret();
    const Scalar w = Scalar::Random(g, rng);
    Transcript t = Start(kPartialTag, share.public_share(), context);
    t.Add(a).Add(d).Add(MulBase(w)).Add(a * w);
    Scalar c = t.ToScalar(g);
    Scalar v = w + c * share.secret();
    return PartialDecryption{std::move(d), {std::move(c), v.Published()}};
}

Status VerifyPartial(const Point& public_share, const Point& a, const PartialDecryption& partial, ByteView context)
{
    const Group& g = a.group();
    // The identity has no encoding (protocol.md §2): such a statement is a failed proof.
    if (public_share.IsIdentity() || a.IsIdentity() || partial.d.IsIdentity())
        return MakeError("partial.proof", "the statement of the partial decryption proof is the identity");
    const Scalar neg_c = -partial.proof.c;
    // a' = v·G − c·X_j ;  b' = v·A − c·D_j
    const Point ca = MulBaseAddPublic(partial.proof.v, public_share, neg_c);
    const Point* pts[2] = {&a, &partial.d};
    const Scalar* scs[2] = {&partial.proof.v, &neg_c};
    const Point cb = MultiMulPublic(Scalar(g), pts, scs);
    if (ca.IsIdentity() || cb.IsIdentity())
        return MakeError("partial.proof", "a commitment of the partial decryption proof is the identity");
    Transcript t = Start(kPartialTag, public_share, context);
    t.Add(a).Add(partial.d).Add(ca).Add(cb);
    if (!(partial.proof.c == t.ToScalar(g)))
        return MakeError("partial.proof", "the partial decryption proof does not match the trustee's public share");
    return Status::Ok();
}

Scalar LagrangeCoefficient(const Group& g, std::span<const std::uint32_t> indices, std::uint32_t j)
{
    Scalar num(g, 1), den(g, 1);
    bool found = false;
    for (std::size_t x = 0; x < indices.size(); ++x) {
        const std::uint32_t l = indices[x];
        CheckIndex(l);
        if (std::find(indices.begin() + static_cast<std::ptrdiff_t>(x) + 1, indices.end(), l) != indices.end())
            throw std::invalid_argument("a trustee index appears twice");
        if (l == j) {
            found = true;
            continue;
        }
        num = num * Scalar(g, l);
        den = den * (Scalar(g, l) - Scalar(g, j));
    }
    if (!found) throw std::invalid_argument("LagrangeCoefficient: j is not in the set");
    return num * den.Inverse();
}

Point CombinePartials(const Point& b, std::span<const std::uint32_t> indices, std::span<const Point> partials)
{
    if (indices.size() != partials.size() || indices.empty())
        throw std::invalid_argument("CombinePartials: one partial per index");
    const Group& g = b.group();
    std::vector<Scalar> neg_lambda;
    for (auto j : indices)
        neg_lambda.push_back(-LagrangeCoefficient(g, indices, j));
    std::vector<const Point*> pts{&b};
    const Scalar one(g, 1);
    std::vector<const Scalar*> scs{&one};
    for (std::size_t x = 0; x < indices.size(); ++x) {
        pts.push_back(&partials[x]);
        scs.push_back(&neg_lambda[x]);
    }
    return MultiMulPublic(Scalar(g), pts, scs);
}

}  // namespace pingyi
