#include "crypto/proofs.hpp"

#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "crypto/hash.hpp"

namespace pingyi {
namespace {

constexpr std::string_view kRangeTag = "pingyi/v1/range-proof";
constexpr std::string_view kConstantTag = "pingyi/v1/constant-proof";
constexpr std::string_view kDecryptionTag = "pingyi/v1/decryption-proof";
constexpr std::string_view kKeyTag = "pingyi/v1/key-proof";

// a = v·G - c·A  (public scalars only)
Point CommitG(const Scalar& v, const Point& a, const Scalar& c)
{
    return MulBaseAddPublic(v, a, -c);
}

// v·P - c·Q + (c·m)·G  (public scalars only) — the second commitment of every DLEQ check,
// with P the second base and Q + m·G... folded into one multi-scalar multiplication.
Point CommitPair(const Scalar& v, const Point& p, const Scalar& c, const Point& q, std::uint64_t m)
{
    const Group& g = p.group();
    const Scalar neg_c = -c;
    const Scalar cm = c * Scalar(g, m);
    const Point* pts[2] = {&p, &q};
    const Scalar* scs[2] = {&v, &neg_c};
    return MultiMulPublic(cm, pts, scs);
}

// Verifiers multiply the public key K by many public scalars: a precomputed table for K
// makes that as cheap as a multiple of G. A few recent keys are kept.
std::shared_ptr<const FixedBaseTable> TableFor(const Point& k)
{
    static std::mutex mu;
    static std::vector<std::pair<Bytes, std::shared_ptr<const FixedBaseTable>>> cache;
    const Bytes key = k.Encode();
    std::lock_guard lock(mu);
    for (const auto& [enc, table] : cache)
        if (enc == key) return table;
    auto table = std::make_shared<const FixedBaseTable>(k);
    if (cache.size() >= 4) cache.erase(cache.begin());
    cache.emplace_back(key, table);
    return table;
}

// v·K - c·(B - m·G), the second commitment of a branch, with K's table.
Point CommitKeyBranch(const FixedBaseTable& k_table, const Scalar& v, const Scalar& c, const Point& b, std::uint64_t m)
{
    const Point shifted = m == 0 ? b : b - (m == 1 ? b.group().Generator() : SmallMulBase(b.group(), m));
    return k_table.MulAddPublic(v, shifted, -c);
}

Status Fail(std::string code, std::string detail)
{
    return MakeError(std::move(code), std::move(detail));
}

}  // namespace

Transcript Start(std::string_view tag, const Point& k, ByteView context)
{
    Transcript t(tag);
    t.Add(k.group().Name()).Add(context).Add(k);
    return t;
}

Bytes ChallengeResponse::Encode() const
{
    Bytes out = c.Encode();
    AppendBytes(out, v.Encode());
    return out;
}

Result<ChallengeResponse> ChallengeResponse::Decode(const Group& g, ByteView bytes)
{
    if (bytes.size() != 2 * kScalarSize)
        return MakeError("encoding.proof", "a challenge-response proof must be 64 bytes");
    auto c = Scalar::Decode(g, bytes.first(kScalarSize));
    if (!c) return c.error();
    auto v = Scalar::Decode(g, bytes.subspan(kScalarSize));
    if (!v) return v.error();
    return ChallengeResponse{std::move(c).value(), std::move(v).value()};
}

Bytes RangeProof::Encode() const
{
    Bytes out;
    out.reserve((c.size() + v.size()) * kScalarSize);
    for (const auto& x : c)
        AppendBytes(out, x.Encode());
    for (const auto& x : v)
        AppendBytes(out, x.Encode());
    return out;
}

Result<RangeProof> RangeProof::Decode(const Group& g, ByteView bytes, std::uint32_t max)
{
    const std::size_t n = static_cast<std::size_t>(max) + 1;
    if (bytes.size() != 2 * n * kScalarSize)
        return MakeError("encoding.proof", "a range proof has the wrong length for its bound");
    RangeProof p;
    p.c.reserve(n);
    p.v.reserve(n);
    for (std::size_t i = 0; i < 2 * n; ++i) {
        auto s = Scalar::Decode(g, bytes.subspan(i * kScalarSize, kScalarSize));
        if (!s) return s.error();
        (i < n ? p.c : p.v).push_back(std::move(s).value());
    }
    return p;
}

RangeProof ProveRange(const Point& k, const Ciphertext& ct, std::uint32_t m, const Scalar& r, std::uint32_t max,
                      ByteView context, Rng& rng)
{
    if (m > max) throw std::invalid_argument("ProveRange: the plaintext exceeds the bound");
    const Group& g = k.group();
    const std::size_t n = static_cast<std::size_t>(max) + 1;
    RangeProof proof;
    proof.c.assign(n, Scalar(g));
    proof.v.assign(n, Scalar(g));
    std::vector<Point> a(n, Point(g)), b(n, Point(g));

    const Scalar w = Scalar::Random(g, rng);
    for (std::size_t j = 0; j < n; ++j) {
        if (j == m) {
            a[j] = MulBase(w);
            b[j] = k * w;
        } else {
            // Simulated branch: c_j, v_j chosen first, commitments solved for.
            proof.c[j] = Scalar::Random(g, rng);
            proof.v[j] = Scalar::Random(g, rng);
            a[j] = CommitG(proof.v[j], ct.a, proof.c[j]);
            b[j] = CommitPair(proof.v[j], k, proof.c[j], ct.b, j);
        }
    }
    Transcript t = Start(kRangeTag, k, context);
    t.Add(ct.a).Add(ct.b).Add(Scalar(g, max));
    for (std::size_t j = 0; j < n; ++j)
        t.Add(a[j]).Add(b[j]);
    Scalar c_real = t.ToScalar(g);
    for (std::size_t j = 0; j < n; ++j)
        if (j != m) c_real = c_real - proof.c[j];
    proof.v[m] = w + c_real * r;
    proof.c[m] = std::move(c_real);
    return proof;
}

Status VerifyRange(const Point& k, const Ciphertext& ct, std::uint32_t max, const RangeProof& proof, ByteView context)
{
    const Group& g = k.group();
    const std::size_t n = static_cast<std::size_t>(max) + 1;
    if (proof.c.size() != n || proof.v.size() != n)
        return Fail("proof.range", "the range proof has the wrong number of branches");
    Transcript t = Start(kRangeTag, k, context);
    t.Add(ct.a).Add(ct.b).Add(Scalar(g, max));
    const auto k_table = TableFor(k);
    Scalar c_sum(g);
    for (std::size_t j = 0; j < n; ++j) {
        const Point a = CommitG(proof.v[j], ct.a, proof.c[j]);
        const Point b = CommitKeyBranch(*k_table, proof.v[j], proof.c[j], ct.b, j);
        if (a.IsIdentity() || b.IsIdentity())
            return Fail("proof.range", "a commitment of the range proof is the identity");
        t.Add(a).Add(b);
        c_sum += proof.c[j];
    }
    if (!(c_sum == t.ToScalar(g)))
        return Fail("proof.range", "the range proof's challenges do not match its statement");
    return Status::Ok();
}

ChallengeResponse ProveConstant(const Point& k, const Ciphertext& ct, std::uint64_t m, const Scalar& r,
                                ByteView context, Rng& rng)
{
    const Group& g = k.group();
    const Scalar w = Scalar::Random(g, rng);
    Transcript t = Start(kConstantTag, k, context);
    t.Add(ct.a).Add(ct.b).Add(Scalar(g, m)).Add(MulBase(w)).Add(k * w);
    Scalar c = t.ToScalar(g);
    Scalar v = w + c * r;
    return {std::move(c), std::move(v)};
}

Status VerifyConstant(const Point& k, const Ciphertext& ct, std::uint64_t m, const ChallengeResponse& proof,
                      ByteView context)
{
    const Group& g = k.group();
    const Point a = CommitG(proof.v, ct.a, proof.c);
    const Point b = CommitKeyBranch(*TableFor(k), proof.v, proof.c, ct.b, m);
    if (a.IsIdentity() || b.IsIdentity())
        return Fail("proof.constant", "a commitment of the sum proof is the identity");
    Transcript t = Start(kConstantTag, k, context);
    t.Add(ct.a).Add(ct.b).Add(Scalar(g, m)).Add(a).Add(b);
    if (!(proof.c == t.ToScalar(g))) return Fail("proof.constant", "the sum proof does not match its statement");
    return Status::Ok();
}

ChallengeResponse ProveDecryption(const ElectionKeyPair& key, const Ciphertext& ct, std::uint64_t m, ByteView context,
                                  Rng& rng)
{
    const Point& k = key.public_key();
    const Group& g = k.group();
    const Scalar w = Scalar::Random(g, rng);
    Transcript t = Start(kDecryptionTag, k, context);
    t.Add(ct.a).Add(ct.b).Add(Scalar(g, m)).Add(MulBase(w)).Add(ct.a * w);
    Scalar c = t.ToScalar(g);
    Scalar v = w + c * key.secret();
    return {std::move(c), std::move(v)};
}

Status VerifyDecryption(const Point& k, const Ciphertext& ct, std::uint64_t m, const ChallengeResponse& proof,
                        ByteView context)
{
    const Group& g = k.group();
    // a = v·G - c·K ;  b = v·A - c·(B - m·G)
    const Point a = CommitG(proof.v, k, proof.c);
    const Point b = CommitPair(proof.v, ct.a, proof.c, ct.b, m);
    if (a.IsIdentity() || b.IsIdentity())
        return Fail("proof.decryption", "a commitment of the decryption proof is the identity");
    Transcript t = Start(kDecryptionTag, k, context);
    t.Add(ct.a).Add(ct.b).Add(Scalar(g, m)).Add(a).Add(b);
    if (!(proof.c == t.ToScalar(g)))
        return Fail("proof.decryption", "the decryption proof does not match the published count");
    return Status::Ok();
}

ChallengeResponse ProveKeyKnowledge(const ElectionKeyPair& key, ByteView context, Rng& rng)
{
    const Point& k = key.public_key();
    const Group& g = k.group();
    const Scalar w = Scalar::Random(g, rng);
    Transcript t = Start(kKeyTag, k, context);
    t.Add(MulBase(w));
    Scalar c = t.ToScalar(g);
    Scalar v = w + c * key.secret();
    return {std::move(c), std::move(v)};
}

Status VerifyKeyKnowledge(const Point& k, const ChallengeResponse& proof, ByteView context)
{
    const Group& g = k.group();
    const Point a = CommitG(proof.v, k, proof.c);
    if (a.IsIdentity()) return Fail("proof.key", "the key proof's commitment is the identity");
    Transcript t = Start(kKeyTag, k, context);
    t.Add(a);
    if (!(proof.c == t.ToScalar(g))) return Fail("proof.key", "the proof of knowledge of the election key is invalid");
    return Status::Ok();
}

Bytes PositionContext(ByteView base, std::string_view kind, std::uint32_t i, std::uint32_t j)
{
    Bytes out;
    AppendLengthPrefixed(out, base);
    AppendLengthPrefixed(out, AsBytes(kind));
    AppendU32(out, i);
    AppendU32(out, j);
    return out;
}

}  // namespace pingyi
