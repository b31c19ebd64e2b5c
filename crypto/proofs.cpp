#include "crypto/proofs.hpp"

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <utility>

#include "crypto/hash.hpp"
#include "crypto/secret.hpp"
#include "crypto/single_decrypt.hpp"

namespace pingyi {
namespace {

constexpr std::string_view kRangeTag = kRangeProofTag;
constexpr std::string_view kConstantTag = kConstantProofTag;
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

// v·K - c·(B - m·G), the second commitment of a branch, with K's table.
Point CommitKeyBranch(const FixedBase& k_table, const Scalar& v, const Scalar& c, const Point& b, std::uint64_t m)
{
    const Point shifted = m == 0 ? b : b - (m == 1 ? b.group().Generator() : SmallMulBase(b.group(), m));
    return k_table.MulAddPublic(v, shifted, -c);
}

Status Fail(std::string code, std::string detail)
{
    return MakeError(std::move(code), std::move(detail));
}

// 1 if a == b, else 0, without a branch.
std::uint64_t ConstantTimeEqual(std::uint64_t a, std::uint64_t b)
{
    const std::uint64_t x = a ^ b;
    return ((x | (~x + 1)) >> 63) ^ 1;
}

// pick (0 or 1) ? if_one : if_zero, byte by byte through a mask.
Scalar SelectScalar(std::uint64_t pick, const Scalar& if_one, const Scalar& if_zero)
{
    const auto mask = static_cast<std::uint8_t>(0 - pick);
    Bytes one = if_one.Encode(), zero = if_zero.Encode();
    for (std::size_t i = 0; i < one.size(); ++i)
        one[i] = static_cast<std::uint8_t>((one[i] & mask) | (zero[i] & static_cast<std::uint8_t>(~mask)));
    Scalar out = Scalar::DecodeSecret(if_one.group(), one).value();
    Wipe(one);
    Wipe(zero);
    return out;
}

// A statement is hashed with its points encoded, and the identity has no encoding: a sum whose
// nonces cancel (r and −r across a row) is refused here, as a failed proof, before any hashing.
bool HasIdentity(std::initializer_list<const Point*> points)
{
    return std::any_of(points.begin(), points.end(), [](const Point* p) { return p->IsIdentity(); });
}

// Form 2 (docs/protocol.md §5.6): the stored commitments `stored` (enc65(a) ‖ enc65(b)) must
// decode and be the recomputed a and b.
Status SameCommitments(const Group& g, ByteView stored, const Point& a, const Point& b)
{
    if (stored.size() != 2 * kUncompressedPointSize)
        return MakeError("proof.commitments", "a proof's commitments have the wrong length");
    for (int x = 0; x < 2; ++x) {
        auto p = Point::DecodeUncompressed(g, stored.subspan(x * kUncompressedPointSize, kUncompressedPointSize));
        if (!p) return MakeError("proof.commitments", "a stored commitment is not a point: " + p.error().detail);
        if (!(p->Encode() == (x == 0 ? a : b).Encode()))
            return MakeError("proof.commitments", "a stored commitment is not the one the proof's responses give");
    }
    return Status::Ok();
}

}  // namespace

Transcript Start(std::string_view tag, const Point& k, ByteView context)
{
    Transcript t(tag, k.group().id());
    t.Add(k.group().Name()).Add(context).Add(k);
    return t;
}

std::size_t PointSize(ProofForm form)
{
    return form == ProofForm::kWithCommitments ? kUncompressedPointSize : kPointSize;
}

std::size_t RangeProofSize(std::uint32_t max, ProofForm form)
{
    const std::size_t branches = std::size_t{max} + 1;
    return branches * (2 * kScalarSize + (form == ProofForm::kWithCommitments ? 2 * kUncompressedPointSize : 0));
}

std::size_t ConstantProofSize(ProofForm form)
{
    return RangeProofSize(0, form);
}

Bytes ChallengeResponse::Encode(ProofForm form) const
{
    Bytes out;
    if (form == ProofForm::kWithCommitments) {
        if (commitments.size() != 2 * kUncompressedPointSize)
            throw std::logic_error("ChallengeResponse::Encode: form 2 needs the proof's commitments");
        out = commitments;
    }
    AppendBytes(out, c.Encode());
    AppendBytes(out, v.Encode());
    return out;
}

Result<ChallengeResponse> ChallengeResponse::Decode(const Group& g, ByteView bytes, ProofForm form)
{
    if (bytes.size() != ConstantProofSize(form))
        return MakeError("encoding.proof", form == ProofForm::kWithCommitments
                                               ? "a proof with its commitments must be 194 bytes"
                                               : "a challenge-response proof must be 64 bytes");
    const std::size_t points = bytes.size() - 2 * kScalarSize;
    auto c = Scalar::Decode(g, bytes.subspan(points, kScalarSize));
    if (!c) return c.error();
    auto v = Scalar::Decode(g, bytes.subspan(points + kScalarSize));
    if (!v) return v.error();
    return ChallengeResponse{std::move(c).value(), std::move(v).value(), Bytes(bytes.begin(), bytes.begin() + points)};
}

Bytes RangeProof::Encode(ProofForm form) const
{
    Bytes out;
    if (form == ProofForm::kWithCommitments) {
        if (commitments.size() != 2 * c.size() * kUncompressedPointSize)
            throw std::logic_error("RangeProof::Encode: form 2 needs the proof's commitments");
        out = commitments;
    }
    out.reserve(out.size() + (c.size() + v.size()) * kScalarSize);
    for (const auto& x : c)
        AppendBytes(out, x.Encode());
    for (const auto& x : v)
        AppendBytes(out, x.Encode());
    return out;
}

Result<RangeProof> RangeProof::Decode(const Group& g, ByteView bytes, std::uint32_t max, ProofForm form)
{
    const std::size_t n = static_cast<std::size_t>(max) + 1;
    if (bytes.size() != RangeProofSize(max, form))
        return MakeError("encoding.proof", "a range proof has the wrong length for its bound");
    RangeProof p;
    const std::size_t points = bytes.size() - 2 * n * kScalarSize;
    p.commitments.assign(bytes.begin(), bytes.begin() + points);
    p.c.reserve(n);
    p.v.reserve(n);
    for (std::size_t i = 0; i < 2 * n; ++i) {
        auto s = Scalar::Decode(g, bytes.subspan(points + i * kScalarSize, kScalarSize));
        if (!s) return s.error();
        (i < n ? p.c : p.v).push_back(std::move(s).value());
    }
    return p;
}

RangeProof ProveRange(const Point& k, const Ciphertext& ct, std::uint32_t m, const Scalar& r, std::uint32_t max,
                      ByteView context, Rng& rng)
{
    return ProveRange(*KeyTable(k), ct, m, r, max, context, rng);
}

RangeProof ProveRange(const FixedBase& k_table, const Ciphertext& ct, std::uint32_t m, const Scalar& r,
                      std::uint32_t max, ByteView context, Rng& rng)
{
    if (m > max) throw std::invalid_argument("ProveRange: the plaintext exceeds the bound");
    const Point& k = k_table.base();
    const Group& g = k.group();
    const std::size_t n = static_cast<std::size_t>(max) + 1;
    RangeProof proof;
    proof.c.assign(n, Scalar(g));
    proof.v.assign(n, Scalar(g));
    std::vector<Scalar> w(n, Scalar(g));
    Transcript t = Start(kRangeTag, k, context);
    t.Add(ct.a).Add(ct.b).Add(Scalar(g, max));
    // Every branch the same way, the real one included, so that neither the work nor its
    // order depends on m: draw c_j and w_j and set v_j = w_j + c_j·r. The commitments a
    // verifier recomputes, a_j = v_j·G − c_j·A and b_j = v_j·K − c_j·(B − j·G), are then, as
    // A = r·G and B = r·K + m·G, a_j = w_j·G and b_j = w_j·K + c_j·(j − m)·G: for j = m the
    // real commitments, for j ≠ m a simulated branch with uniform (c_j, v_j). Computed with
    // constant-time multiplications (the tables of G and K) as w_j·K + (c_j·(j − m) + 1)·G − G, so that no addition
    // meets the identity (c_j·(j − m) is 0 for j = m).
    Scalar c_sum(g);
    const Scalar one(g, 1), m_scalar(g, m);
    // c_0, w_0, c_1, w_1, … from one call to the generator.
    std::vector<Scalar> drawn = Scalar::RandomMany(g, rng, 2 * n);
    for (std::size_t j = 0; j < n; ++j) {
        proof.c[j] = std::move(drawn[2 * j]);
        w[j] = std::move(drawn[2 * j + 1]);
        proof.v[j] = w[j] + proof.c[j] * r;
        c_sum += proof.c[j];
        const Scalar shift = proof.c[j] * (Scalar(g, j) - m_scalar) + one;
        Point a = MulBase(w[j]);
        Point b = k_table.Mul(w[j]) + MulBase(shift) + NegatedGenerator(g);
        // Made affine once: the transcript hashes the compressed form, form 2 stores the
        // uncompressed one.
        a.KeepEncoding();
        b.KeepEncoding();
        AppendBytes(proof.commitments, a.EncodeUncompressed());
        AppendBytes(proof.commitments, b.EncodeUncompressed());
        t.Add(a).Add(b);
    }
    // c_m = c − Σ_{j≠m} c_j and v_m = w_m + c_m·r, computed for every j and kept for j = m
    // by a constant-time select.
    const Scalar challenge = t.ToScalar(g);
    for (std::size_t j = 0; j < n; ++j) {
        const Scalar c_real = challenge - (c_sum - proof.c[j]);
        const Scalar v_real = w[j] + c_real * r;
        const std::uint64_t pick = ConstantTimeEqual(j, m);
        proof.c[j] = SelectScalar(pick, c_real, proof.c[j]);
        proof.v[j] = SelectScalar(pick, v_real, proof.v[j]);
    }
    // The proof is now fit to publish: off the secure heap, which holds a ballot's nonces.
    for (std::size_t j = 0; j < n; ++j) {
        proof.c[j] = proof.c[j].Published();
        proof.v[j] = proof.v[j].Published();
    }
    return proof;
}

Status VerifyRange(const Point& k, const Ciphertext& ct, std::uint32_t max, const RangeProof& proof, ByteView context)
{
    const Group& g = k.group();
    const std::size_t n = static_cast<std::size_t>(max) + 1;
    if (proof.c.size() != n || proof.v.size() != n)
        return Fail("proof.range", "the range proof has the wrong number of branches");
    if (HasIdentity({&k, &ct.a, &ct.b})) return Fail("proof.range", "the statement of the range proof is the identity");
    const bool stored = !proof.commitments.empty();
    if (stored && proof.commitments.size() != 2 * n * kUncompressedPointSize)
        return Fail("proof.range", "the range proof has the wrong number of commitments");
    Transcript t = Start(kRangeTag, k, context);
    t.Add(ct.a).Add(ct.b).Add(Scalar(g, max));
    const auto k_table = KeyTable(k);
    Scalar c_sum(g);
    for (std::size_t j = 0; j < n; ++j) {
        const Point a = CommitG(proof.v[j], ct.a, proof.c[j]);
        const Point b = CommitKeyBranch(*k_table, proof.v[j], proof.c[j], ct.b, j);
        if (a.IsIdentity() || b.IsIdentity())
            return Fail("proof.range", "a commitment of the range proof is the identity");
        if (stored) {
            if (Status s = SameCommitments(
                    g, ByteView(proof.commitments).subspan(2 * j * kUncompressedPointSize, 2 * kUncompressedPointSize),
                    a, b);
                !s)
                return Fail("proof.range", s.error().detail);
        }
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
    return ProveConstant(*KeyTable(k), ct, m, r, context, rng);
}

ChallengeResponse ProveConstant(const FixedBase& k_table, const Ciphertext& ct, std::uint64_t m, const Scalar& r,
                                ByteView context, Rng& rng)
{
    const Point& k = k_table.base();
    const Group& g = k.group();
    const Scalar w = Scalar::Random(g, rng);
    Point a = MulBase(w);
    Point b = k_table.Mul(w);
    a.KeepEncoding();
    b.KeepEncoding();
    Bytes commitments = a.EncodeUncompressed();
    AppendBytes(commitments, b.EncodeUncompressed());
    Transcript t = Start(kConstantTag, k, context);
    t.Add(ct.a).Add(ct.b).Add(Scalar(g, m)).Add(a).Add(b);
    Scalar c = t.ToScalar(g);
    Scalar v = w + c * r;
    return {std::move(c), v.Published(), std::move(commitments)};
}

Status VerifyConstant(const Point& k, const Ciphertext& ct, std::uint64_t m, const ChallengeResponse& proof,
                      ByteView context)
{
    const Group& g = k.group();
    if (HasIdentity({&k, &ct.a, &ct.b}))
        return Fail("proof.constant", "the statement of the sum proof is the identity");
    const Point a = CommitG(proof.v, ct.a, proof.c);
    const Point b = CommitKeyBranch(*KeyTable(k), proof.v, proof.c, ct.b, m);
    if (a.IsIdentity() || b.IsIdentity())
        return Fail("proof.constant", "a commitment of the sum proof is the identity");
    if (!proof.commitments.empty()) {
        if (Status s = SameCommitments(g, proof.commitments, a, b); !s) return Fail("proof.constant", s.error().detail);
    }
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
    return {std::move(c), v.Published()};
}

Result<DecryptedAggregate> DecryptAggregate(const ElectionKeyPair& key, const EncryptedSum& aggregate,
                                            std::size_t min_ballots, const DiscreteLogTable& dlog, ByteView context,
                                            Rng& rng)
{
    if (Status s = RequireBallots(aggregate, min_ballots); !s) return s.error();
    const auto count = dlog.Find(DecryptToPoint(key, aggregate.sum()));
    if (!count) return MakeError("tally.dlog", "an aggregate did not decrypt to a count: the key or boxes are wrong");
    return DecryptedAggregate{*count, ProveDecryption(key, aggregate.sum(), *count, context, rng)};
}

Status VerifyDecryption(const Point& k, const Ciphertext& ct, std::uint64_t m, const ChallengeResponse& proof,
                        ByteView context)
{
    const Group& g = k.group();
    if (HasIdentity({&k, &ct.a, &ct.b}))
        return Fail("proof.decryption", "the statement of the decryption proof is the identity");
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
    return {std::move(c), v.Published()};
}

Status VerifyKeyKnowledge(const Point& k, const ChallengeResponse& proof, ByteView context)
{
    const Group& g = k.group();
    if (k.IsIdentity()) return Fail("proof.key", "the election key is the identity");
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
