// Batch verification's arithmetic (docs/protocol.md §5.6) for P-256 and the SM2 curve: the
// fields and the scalars through crypto/mont256.hpp, points in Jacobian coordinates with the
// a = −3 formulas of hyperelliptic.org's Explicit-Formulas Database, and one multi-scalar
// multiplication by Pippenger's bucket method. Every function is a template on the suite's
// constants, instantiated twice; the public functions pick the instance by the Curve.
//
// WARNING: nothing here is constant time. Public values only (crypto/public_batch.hpp).
#include "crypto/public_batch.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

#include "crypto/mont256.hpp"

namespace pingyi::batch {

// The suite a Curve stands for; the arithmetic is chosen by it.
class Curve {
  public:
    explicit Curve(SuiteId suite) : m_suite(suite) {}
    [[nodiscard]] SuiteId suite() const { return m_suite; }

  private:
    SuiteId m_suite;
};

namespace {

using mont256::Limbs;
using mont256::u128;
using mont256::u64;

// The curves' constants (SEC 2 / FIPS 186-4 for P-256, GB/T 32918.5 for SM2), checked against
// OpenSSL's groups when a Curve is first made (Checked below).
struct P256Prime {
    static constexpr Limbs kModulus =
        mont256::FromHex("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF");
};
struct P256Order {
    static constexpr Limbs kModulus =
        mont256::FromHex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
};
struct Sm2Prime {
    static constexpr Limbs kModulus =
        mont256::FromHex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF");
};
struct Sm2Order {
    static constexpr Limbs kModulus =
        mont256::FromHex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");
};

struct P256 {
    using Fp = mont256::Field<P256Prime>;
    using Fn = mont256::Field<P256Order>;
    static constexpr SuiteId kSuite = SuiteId::P256_SHA256;
    static constexpr Limbs kB = mont256::FromHex("5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B");
    static constexpr Limbs kGx = mont256::FromHex("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296");
    static constexpr Limbs kGy = mont256::FromHex("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5");
};

struct Sm2 {
    using Fp = mont256::Field<Sm2Prime>;
    using Fn = mont256::Field<Sm2Order>;
    static constexpr SuiteId kSuite = SuiteId::SM2_SM3;
    static constexpr Limbs kB = mont256::FromHex("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93");
    static constexpr Limbs kGx = mont256::FromHex("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7");
    static constexpr Limbs kGy = mont256::FromHex("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0");
};

// Calls f with the suite's constants struct (P256 or Sm2).
template <class F>
decltype(auto) Dispatch(const Curve& c, F&& f)
{
    if (c.suite() == SuiteId::SM2_SM3) return f(Sm2{});
    return f(P256{});
}

// A point in Jacobian coordinates (X/Z², Y/Z³); Z = 0 is the identity.
struct Jac {
    Limbs x, y, z;
};

template <class C>
struct Ec {
    using Fp = typename C::Fp;

    static constexpr Limbs kB = Fp::Mul(C::kB, Fp::kR2);
    static constexpr Pt kG{Fp::Mul(C::kGx, Fp::kR2), Fp::Mul(C::kGy, Fp::kR2)};
    // (p + 1)/4: p ≡ 3 mod 4, so a^((p+1)/4) is a square root of a square a.
    static constexpr Limbs kSqrtExponent = [] {
        Limbs e = Fp::kM;
        u64 carry = 1;
        for (u64& limb : e) {
            limb += carry;
            carry = limb == 0 ? carry : 0;
        }
        for (std::size_t i = 0; i < 4; ++i)
            e[i] = (e[i] >> 2) | (i < 3 ? e[i + 1] << 62 : carry << 62);
        return e;
    }();

    static Jac Identity() { return Jac{Fp::kOne, Fp::kOne, Limbs{}}; }

    // x³ − 3x + b.
    static Limbs Rhs(const Limbs& x)
    {
        const Limbs x3 = Fp::Mul(Fp::Sqr(x), x);
        const Limbs three_x = Fp::Add(Fp::Add(x, x), x);
        return Fp::Add(Fp::Sub(x3, three_x), kB);
    }

    static Jac Double(const Jac& a)
    {
        // dbl-2001-b (a = −3).
        if (mont256::IsZero(a.z)) return a;
        const Limbs delta = Fp::Sqr(a.z);
        const Limbs gamma = Fp::Sqr(a.y);
        const Limbs beta = Fp::Mul(a.x, gamma);
        const Limbs t = Fp::Mul(Fp::Sub(a.x, delta), Fp::Add(a.x, delta));
        const Limbs alpha = Fp::Add(Fp::Add(t, t), t);
        const Limbs beta2 = Fp::Add(beta, beta);
        const Limbs beta4 = Fp::Add(beta2, beta2);
        const Limbs beta8 = Fp::Add(beta4, beta4);
        Jac r;
        r.x = Fp::Sub(Fp::Sqr(alpha), beta8);
        r.z = Fp::Sub(Fp::Sub(Fp::Sqr(Fp::Add(a.y, a.z)), gamma), delta);
        const Limbs gamma2 = Fp::Sqr(gamma);
        const Limbs g2 = Fp::Add(gamma2, gamma2);
        const Limbs g4 = Fp::Add(g2, g2);
        const Limbs g8 = Fp::Add(g4, g4);
        r.y = Fp::Sub(Fp::Mul(alpha, Fp::Sub(beta4, r.x)), g8);
        return r;
    }

    // Full addition (add-2007-bl): the identity on either side, a == b and a == −b handled.
    static Jac Add(const Jac& a, const Jac& b)
    {
        if (mont256::IsZero(a.z)) return b;
        if (mont256::IsZero(b.z)) return a;
        const Limbs z1z1 = Fp::Sqr(a.z);
        const Limbs z2z2 = Fp::Sqr(b.z);
        const Limbs u1 = Fp::Mul(a.x, z2z2);
        const Limbs u2 = Fp::Mul(b.x, z1z1);
        const Limbs s1 = Fp::Mul(a.y, Fp::Mul(b.z, z2z2));
        const Limbs s2 = Fp::Mul(b.y, Fp::Mul(a.z, z1z1));
        const Limbs h = Fp::Sub(u2, u1);
        const Limbs rr = Fp::Sub(s2, s1);
        if (mont256::IsZero(h)) return mont256::IsZero(rr) ? Double(a) : Identity();
        const Limbs r = Fp::Add(rr, rr);
        const Limbs h2 = Fp::Add(h, h);
        const Limbs i = Fp::Sqr(h2);
        const Limbs j = Fp::Mul(h, i);
        const Limbs v = Fp::Mul(u1, i);
        Jac out;
        out.x = Fp::Sub(Fp::Sub(Fp::Sqr(r), j), Fp::Add(v, v));
        const Limbs s1j = Fp::Mul(s1, j);
        out.y = Fp::Sub(Fp::Mul(r, Fp::Sub(v, out.x)), Fp::Add(s1j, s1j));
        out.z = Fp::Mul(Fp::Sub(Fp::Sub(Fp::Sqr(Fp::Add(a.z, b.z)), z1z1), z2z2), h);
        return out;
    }

    // a + (x, y) with (x, y) affine (madd-2007-bl), the same cases handled.
    static Jac AddMixed(const Jac& a, const Limbs& x, const Limbs& y)
    {
        if (mont256::IsZero(a.z)) return Jac{x, y, Fp::kOne};
        const Limbs z1z1 = Fp::Sqr(a.z);
        const Limbs u2 = Fp::Mul(x, z1z1);
        const Limbs s2 = Fp::Mul(y, Fp::Mul(a.z, z1z1));
        const Limbs h = Fp::Sub(u2, a.x);
        const Limbs rr = Fp::Sub(s2, a.y);
        if (mont256::IsZero(h)) return mont256::IsZero(rr) ? Double(a) : Identity();
        const Limbs hh = Fp::Sqr(h);
        const Limbs hh2 = Fp::Add(hh, hh);
        const Limbs i = Fp::Add(hh2, hh2);
        const Limbs j = Fp::Mul(h, i);
        const Limbs r = Fp::Add(rr, rr);
        const Limbs v = Fp::Mul(a.x, i);
        Jac out;
        out.x = Fp::Sub(Fp::Sub(Fp::Sqr(r), j), Fp::Add(v, v));
        const Limbs y1j = Fp::Mul(a.y, j);
        out.y = Fp::Sub(Fp::Mul(r, Fp::Sub(v, out.x)), Fp::Add(y1j, y1j));
        out.z = Fp::Sub(Fp::Sub(Fp::Sqr(Fp::Add(a.z, h)), z1z1), hh);
        return out;
    }

    static Result<Pt> Decode(ByteView bytes)
    {
        const bool compressed = bytes.size() == 33 && (bytes[0] == 0x02 || bytes[0] == 0x03);
        if (!compressed && !(bytes.size() == 65 && bytes[0] == 0x04))
            return MakeError("encoding.point",
                             "a point must be 33 bytes in SEC1 compressed form or 65 bytes in uncompressed form");
        const Limbs x = mont256::FromBytes(bytes.data() + 1);
        if (!mont256::Less(x, Fp::kM)) return MakeError("encoding.point", "the bytes are not a point of the curve");
        Pt p;
        p.x = Fp::ToMont(x);
        const Limbs rhs = Rhs(p.x);
        if (compressed) {
            p.y = Fp::Pow(rhs, kSqrtExponent);
            if (Fp::Sqr(p.y) != rhs) return MakeError("encoding.point", "the bytes are not a point of the curve");
            // The prefix gives the parity of y (there is no point with y = 0: the order is odd).
            if ((Fp::FromMont(p.y)[0] & 1) != (bytes[0] & 1)) p.y = Fp::Neg(p.y);
        } else {
            const Limbs y = mont256::FromBytes(bytes.data() + 33);
            if (!mont256::Less(y, Fp::kM)) return MakeError("encoding.point", "the bytes are not a point of the curve");
            p.y = Fp::ToMont(y);
            if (Fp::Sqr(p.y) != rhs) return MakeError("encoding.point", "the point is not on the curve");
        }
        return p;
    }

    // Affine forms of Jacobian points with one inversion (Montgomery's trick); nullopt for the
    // identity.
    static std::vector<std::optional<Pt>> ToAffine(std::span<const Jac> points)
    {
        std::vector<std::optional<Pt>> out(points.size());
        std::vector<Limbs> prefix(points.size());
        Limbs acc = Fp::kOne;
        for (std::size_t i = 0; i < points.size(); ++i) {
            prefix[i] = acc;
            if (!mont256::IsZero(points[i].z)) acc = Fp::Mul(acc, points[i].z);
        }
        Limbs inv = Fp::Inv(acc);
        for (std::size_t i = points.size(); i-- > 0;) {
            if (mont256::IsZero(points[i].z)) continue;
            const Limbs zi = Fp::Mul(inv, prefix[i]);
            inv = Fp::Mul(inv, points[i].z);
            const Limbs zi2 = Fp::Sqr(zi);
            out[i] = Pt{Fp::Mul(points[i].x, zi2), Fp::Mul(points[i].y, Fp::Mul(zi2, zi))};
        }
        return out;
    }
};

void Check(int rc, const char* what)
{
    if (rc != 1) throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
}

Limbs FromBn(const BIGNUM* bn)
{
    std::uint8_t buf[32];
    Check(BN_bn2binpad(bn, buf, sizeof buf) == sizeof buf ? 1 : 0, "BN_bn2binpad");
    return mont256::FromBytes(buf);
}

// The constants above against OpenSSL's group: a typing error would otherwise give wrong
// verdicts on valid points rather than a failure.
template <class C>
void CheckConstants(const Group& g)
{
    BnPtr p(BN_new()), a(BN_new()), b(BN_new()), x(BN_new()), y(BN_new());
    if (!p || !a || !b || !x || !y) throw std::bad_alloc();
    BN_CTX* ctx = ThreadBnCtx(false);
    Check(EC_GROUP_get_curve(g.raw(), p.get(), a.get(), b.get(), ctx), "EC_GROUP_get_curve");
    Check(EC_POINT_get_affine_coordinates(g.raw(), EC_GROUP_get0_generator(g.raw()), x.get(), y.get(), ctx),
          "EC_POINT_get_affine_coordinates");
    Check(BN_add_word(a.get(), 3), "BN_add_word");  // a = p − 3
    const BIGNUM* cofactor = EC_GROUP_get0_cofactor(g.raw());
    const bool same = FromBn(p.get()) == C::Fp::kM && FromBn(a.get()) == C::Fp::kM && FromBn(b.get()) == C::kB &&
                      FromBn(g.order()) == C::Fn::kM && FromBn(x.get()) == C::kGx && FromBn(y.get()) == C::kGy &&
                      cofactor != nullptr && BN_is_one(cofactor);
    if (!same) throw std::logic_error("public_batch: the curve constants differ from OpenSSL's group");
}

void RequireSuite(const Curve& c, const Group& g)
{
    if (g.id() != c.suite()) throw std::invalid_argument("public_batch: a value of another suite's group");
}

// Bits [start, start + width) of k (width ≤ 16).
u64 Bits(const Limbs& k, unsigned start, unsigned width)
{
    if (start >= 256) return 0;
    const unsigned limb = start / 64, off = start % 64;
    u64 v = k[limb] >> off;
    if (off + width > 64 && limb + 1 < 4) v |= k[limb + 1] << (64 - off);
    return v & ((u64{1} << width) - 1);
}

// Pippenger's window: the width c that minimises the estimated cost, in field multiplications,
// of the bucket accumulations (an affine addition, about 7, per term and window that the
// term's bit length reaches) and of the bucket sums (a mixed and a full addition, about 27,
// per bucket and window).
unsigned ChooseWindow(std::span<const std::size_t, 257> by_length)
{
    unsigned best = 0;
    double best_cost = 0;
    for (unsigned c = 2; c <= 16; ++c) {
        double cost = 0;
        for (unsigned start = 0; start < 256; start += c) {
            std::size_t reached = 0;
            for (unsigned len = start + 1; len <= 256; ++len)
                reached += by_length[len];
            if (reached == 0) break;
            cost += 7.0 * static_cast<double>(reached) + 27.0 * static_cast<double>(std::size_t{1} << (c - 1));
        }
        if (best == 0 || cost < best_cost) {
            best = c;
            best_cost = cost;
        }
    }
    return best;
}

}  // namespace

const Curve& For(const Group& g)
{
    static const Curve p256 = [] {
        CheckConstants<P256>(Group::P256());
        return Curve(SuiteId::P256_SHA256);
    }();
    static const Curve sm2 = [] {
        CheckConstants<Sm2>(Group::SM2());
        return Curve(SuiteId::SM2_SM3);
    }();
    return g.id() == SuiteId::SM2_SM3 ? sm2 : p256;
}

Fq FqFromU64(const Curve& c, std::uint64_t x)
{
    return Dispatch(c, [&](auto t) { return Fq{decltype(t)::Fn::ToMont(Limbs{x, 0, 0, 0})}; });
}

Fq FqFromScalar(const Curve& c, const Scalar& s)
{
    RequireSuite(c, s.group());
    const Bytes bytes = s.Encode();
    return Dispatch(c, [&](auto t) { return Fq{decltype(t)::Fn::ToMont(mont256::FromBytes(bytes.data()))}; });
}

Result<Fq> FqDecode(const Curve& c, ByteView bytes)
{
    if (bytes.size() != 32) return MakeError("encoding.scalar", "a scalar must be exactly 32 bytes");
    return Dispatch(c, [&](auto t) -> Result<Fq> {
        using Fn = typename decltype(t)::Fn;
        const Limbs k = mont256::FromBytes(bytes.data());
        if (!mont256::Less(k, Fn::kM)) return MakeError("encoding.scalar", "a scalar is not below the group order q");
        return Fq{Fn::ToMont(k)};
    });
}

Fq FqRandomWeight(const Curve& c, Rng& rng)
{
    Limbs k{};
    while (mont256::IsZero(k)) {
        std::array<std::uint8_t, 32> buf{};
        rng.Fill(std::span(buf).subspan(16));  // the low 128 bits, big-endian
        k = mont256::FromBytes(buf.data());
    }
    return Dispatch(c, [&](auto t) { return Fq{decltype(t)::Fn::ToMont(k)}; });
}

Fq FqAdd(const Curve& c, const Fq& a, const Fq& b)
{
    return Dispatch(c, [&](auto t) { return Fq{decltype(t)::Fn::Add(a.v, b.v)}; });
}

Fq FqSub(const Curve& c, const Fq& a, const Fq& b)
{
    return Dispatch(c, [&](auto t) { return Fq{decltype(t)::Fn::Sub(a.v, b.v)}; });
}

Fq FqNeg(const Curve& c, const Fq& a)
{
    return Dispatch(c, [&](auto t) { return Fq{decltype(t)::Fn::Neg(a.v)}; });
}

Fq FqMul(const Curve& c, const Fq& a, const Fq& b)
{
    return Dispatch(c, [&](auto t) { return Fq{decltype(t)::Fn::Mul(a.v, b.v)}; });
}

std::array<std::uint8_t, 32> FqEncode(const Curve& c, const Fq& a)
{
    std::array<std::uint8_t, 32> out{};
    mont256::ToBytes(Dispatch(c, [&](auto t) { return decltype(t)::Fn::FromMont(a.v); }), out.data());
    return out;
}

Result<Pt> Decode(const Curve& c, ByteView bytes)
{
    return Dispatch(c, [&](auto t) { return Ec<decltype(t)>::Decode(bytes); });
}

Pt FromPoint(const Curve& c, const Point& p)
{
    RequireSuite(c, p.group());
    if (p.IsIdentity()) throw std::invalid_argument("public_batch: the identity has no affine coordinates");
    // The uncompressed octets are the affine coordinates, without a BIGNUM on the way.
    std::array<std::uint8_t, 65> bytes{};
    if (EC_POINT_point2oct(p.group().raw(), p.raw(), POINT_CONVERSION_UNCOMPRESSED, bytes.data(), bytes.size(),
                           ThreadBnCtx(false)) != bytes.size())
        throw std::runtime_error("OpenSSL: EC_POINT_point2oct failed");
    return Dispatch(c, [&](auto t) {
        using Fp = typename decltype(t)::Fp;
        return Pt{Fp::ToMont(mont256::FromBytes(bytes.data() + 1)), Fp::ToMont(mont256::FromBytes(bytes.data() + 33))};
    });
}

std::array<std::uint8_t, 33> EncodeCompressed(const Curve& c, const Pt& p)
{
    std::array<std::uint8_t, 33> out{};
    Dispatch(c, [&](auto t) {
        using Fp = typename decltype(t)::Fp;
        out[0] = static_cast<std::uint8_t>(0x02 | (Fp::FromMont(p.y)[0] & 1));
        mont256::ToBytes(Fp::FromMont(p.x), out.data() + 1);
    });
    return out;
}

std::array<std::uint8_t, 65> EncodeUncompressed(const Curve& c, const Pt& p)
{
    std::array<std::uint8_t, 65> out{};
    out[0] = 0x04;
    Dispatch(c, [&](auto t) {
        using Fp = typename decltype(t)::Fp;
        mont256::ToBytes(Fp::FromMont(p.x), out.data() + 1);
        mont256::ToBytes(Fp::FromMont(p.y), out.data() + 33);
    });
    return out;
}

Point ToPoint(const Group& g, const Curve& c, const Pt& p)
{
    RequireSuite(c, g);
    const std::array<std::uint8_t, 65> bytes = EncodeUncompressed(c, p);
    Point r(g);
    // OpenSSL checks that the point is on the curve: a wrong Pt throws rather than passes.
    Check(EC_POINT_oct2point(g.raw(), r.mutable_raw(), bytes.data(), bytes.size(), ThreadBnCtx(false)),
          "EC_POINT_oct2point");
    return r;
}

std::vector<std::optional<Pt>> SumEach(const Curve& c, std::span<const Pt> points,
                                       std::span<const std::vector<std::uint32_t>> sets)
{
    return Dispatch(c, [&](auto t) {
        using E = Ec<decltype(t)>;
        std::vector<Jac> sums;
        sums.reserve(sets.size());
        for (const std::vector<std::uint32_t>& set : sets) {
            Jac acc = E::Identity();
            for (const std::uint32_t i : set) {
                if (i >= points.size()) throw std::out_of_range("public_batch::SumEach: a point index out of range");
                acc = E::AddMixed(acc, points[i].x, points[i].y);
            }
            sums.push_back(acc);
        }
        return E::ToAffine(sums);
    });
}

struct Msm::Impl {
    const Curve* curve;
    std::vector<Pt> points;
    std::vector<Fq> scalars;
    Fq base{};  // G's coefficient
};

namespace {

// The buckets of every window of Pippenger's method in affine coordinates, filled by affine
// additions in batches that share one inversion (Montgomery's trick): an addition then costs
// about 6 multiplications where a mixed Jacobian one costs 11. The buckets of all windows are
// one array, so that a batch rarely meets the same bucket twice; a point for a bucket that
// already waits in the batch goes to the bucket's Jacobian overflow instead (a mixed addition),
// as putting it off would serialise a bucket that many terms hit (the carry out of a 128-bit
// weight's top window lands in one bucket for half of the weights).
template <class C>
class AffineBuckets {
    using Fp = typename C::Fp;
    using E = Ec<C>;

  public:
    // `count` buckets of which about `used` are reached: a batch of an eighth of those (at most
    // 1024) meets a bucket already in it for about one addition in 16, and shares its
    // inversion (some 300 multiplications) among enough additions.
    AffineBuckets(std::size_t count, std::size_t used)
        : m_batch_size(std::clamp<std::size_t>(used / 8, 16, 1024)),
          m_pt(count),
          m_overflow(count),
          m_full(count, 0),
          m_busy(count, 0),
          m_overflowed(count, 0)
    {
        m_batch.reserve(m_batch_size);
        m_den.resize(m_batch_size);
        m_prefix.resize(m_batch_size);
    }

    [[nodiscard]] bool full(std::size_t b) const { return m_full[b] != 0; }
    [[nodiscard]] const Pt& operator[](std::size_t b) const { return m_pt[b]; }

    [[nodiscard]] bool overflowed(std::size_t b) const { return m_overflowed[b] != 0; }
    [[nodiscard]] const Jac& overflow(std::size_t b) const { return m_overflow[b]; }

    // bucket b += (x, y).
    void Add(std::uint32_t b, const Limbs& x, const Limbs& y)
    {
        if (m_busy[b] != 0) {
            m_overflow[b] = m_overflowed[b] != 0 ? E::AddMixed(m_overflow[b], x, y) : Jac{x, y, Fp::kOne};
            m_overflowed[b] = 1;
            return;
        }
        if (m_full[b] == 0) {
            m_pt[b] = Pt{x, y};
            m_full[b] = 1;
            return;
        }
        // The same x: the same point (a doubling, in the batch) or its negation (empty bucket).
        if (x == m_pt[b].x && y != m_pt[b].y) {
            m_full[b] = 0;
            return;
        }
        m_busy[b] = 1;
        m_batch.push_back(Pending{b, x, y});
        if (m_batch.size() == m_batch_size) Flush();
    }

    // Completes the additions still in the batch.
    void Finish() { Flush(); }

  private:
    struct Pending {
        std::uint32_t bucket;
        Limbs x, y;
    };

    // a += op's point, given 1/(x2 − x1) or 1/(2y1). Kept out of line: inlined into Flush, the
    // formula's temporaries spill to a frame of kilobytes and the loop runs markedly slower.
    __attribute__((noinline)) static void AddAffine(Pt& a, const Pending& op, const Limbs& den_inv)
    {
        Limbs num;
        if (op.x == a.x) {
            const Limbs x2 = Fp::Sub(Fp::Sqr(a.x), Fp::kOne);
            num = Fp::Add(Fp::Add(x2, x2), x2);
        } else {
            num = Fp::Sub(op.y, a.y);
        }
        const Limbs lambda = Fp::Mul(num, den_inv);
        const Limbs x3 = Fp::Sub(Fp::Sub(Fp::Sqr(lambda), a.x), op.x);
        a.y = Fp::Sub(Fp::Mul(lambda, Fp::Sub(a.x, x3)), a.y);
        a.x = x3;
    }

    void Flush()
    {
        if (m_batch.empty()) return;
        // λ = (y2 − y1)/(x2 − x1), or (3x1² − 3)/(2y1) for a doubling: the denominators'
        // inverses from one inversion of their product.
        Limbs acc = Fp::kOne;
        for (std::size_t k = 0; k < m_batch.size(); ++k) {
            const Pending& op = m_batch[k];
            const Pt& a = m_pt[op.bucket];
            m_den[k] = op.x == a.x ? Fp::Add(a.y, a.y) : Fp::Sub(op.x, a.x);
            m_prefix[k] = acc;
            acc = Fp::Mul(acc, m_den[k]);
        }
        Limbs inv = Fp::Inv(acc);
        for (std::size_t k = m_batch.size(); k-- > 0;) {
            const Pending& op = m_batch[k];
            Pt& a = m_pt[op.bucket];
            const Limbs den_inv = Fp::Mul(inv, m_prefix[k]);
            inv = Fp::Mul(inv, m_den[k]);
            AddAffine(a, op, den_inv);
            m_busy[op.bucket] = 0;
        }
        m_batch.clear();
    }

    std::size_t m_batch_size;
    std::vector<Pt> m_pt;
    std::vector<Jac> m_overflow;
    std::vector<std::uint8_t> m_full, m_busy, m_overflowed;
    std::vector<Pending> m_batch;
    std::vector<Limbs> m_den, m_prefix;
};

// Σ s_i·P_i + s_G·G == identity, by Pippenger's bucket method with signed digits: each scalar
// is cut into windows of c bits with digits in [−2^(c−1), 2^(c−1)], so that 2^(c−1) buckets
// per window suffice (a negative digit adds −P = (x, −y)). Zero scalars are skipped, and a
// window that a term's scalar does not reach (a 128-bit weight's upper half) costs it nothing.
template <class C>
bool IsIdentityOf(std::span<const Pt> terms, std::span<const Fq> coefficients, const Fq& base)
{
    using E = Ec<C>;
    using Fn = typename C::Fn;
    using Fp = typename C::Fp;

    std::vector<const Pt*> points;
    std::vector<Limbs> scalars;          // plain integers < q
    std::vector<std::uint16_t> lengths;  // their bit lengths
    points.reserve(terms.size() + 1);
    scalars.reserve(terms.size() + 1);
    lengths.reserve(terms.size() + 1);
    std::array<std::size_t, 257> by_length{};
    auto take = [&](const Pt* p, const Fq& s) {
        const Limbs k = Fn::FromMont(s.v);
        if (mont256::IsZero(k)) return;
        std::size_t top_limb = 3;
        while (k[top_limb] == 0)
            --top_limb;
        const std::size_t length = 64 * top_limb + 64 - static_cast<std::size_t>(std::countl_zero(k[top_limb]));
        ++by_length[length];
        points.push_back(p);
        scalars.push_back(k);
        lengths.push_back(static_cast<std::uint16_t>(length));
    };
    for (std::size_t i = 0; i < terms.size(); ++i)
        take(&terms[i], coefficients[i]);
    take(&E::kG, base);
    if (points.empty()) return true;

    const unsigned c = ChooseWindow(by_length);
    // The digits of the top window absorb its carry: 256 = c·(windows − 1) + r with r < c,
    // and a top digit of at most 2^r ≤ 2^(c−1) is never made negative.
    const unsigned windows = 256 / c + 1;
    const std::int32_t half = std::int32_t{1} << (c - 1);
    std::size_t used_windows = 0;
    for (std::size_t length = 1; length <= 256; ++length)
        if (by_length[length] != 0) used_windows = length / c + 1;
    AffineBuckets<C> buckets(std::size_t{windows} * static_cast<std::size_t>(half),
                             used_windows * static_cast<std::size_t>(half));
    for (std::size_t i = 0; i < points.size(); ++i) {
        const Pt& p = *points[i];
        std::int32_t carry = 0;
        for (unsigned j = 0; j < windows; ++j) {
            std::int32_t d = static_cast<std::int32_t>(Bits(scalars[i], j * c, c)) + carry;
            carry = d > half ? 1 : 0;
            d -= carry << c;
            if (d != 0) {
                const auto bucket = static_cast<std::uint32_t>(j * static_cast<unsigned>(half)) +
                                    static_cast<std::uint32_t>(d > 0 ? d - 1 : -d - 1);
                buckets.Add(bucket, p.x, d > 0 ? p.y : Fp::Neg(p.y));
            }
            if (carry == 0 && (j + 1) * c >= lengths[i]) break;  // no bits nor carry left
        }
    }
    buckets.Finish();

    // Σ_j 2^(cj) Σ_k k·bucket_(j,k): running sums from the top bucket down, Horner over windows.
    Jac acc = E::Identity();
    for (unsigned j = windows; j-- > 0;) {
        for (unsigned k = 0; k < c; ++k)
            acc = E::Double(acc);
        Jac running = E::Identity(), sum = E::Identity();
        for (std::size_t k = static_cast<std::size_t>(half); k-- > 0;) {
            const std::size_t b = std::size_t{j} * static_cast<std::size_t>(half) + k;
            if (buckets.full(b)) running = E::AddMixed(running, buckets[b].x, buckets[b].y);
            if (buckets.overflowed(b)) running = E::Add(running, buckets.overflow(b));
            sum = E::Add(sum, running);
        }
        acc = E::Add(acc, sum);
    }
    return mont256::IsZero(acc.z);
}

}  // namespace

Msm::Msm(const Curve& c) : m(std::make_unique<Impl>())
{
    m->curve = &c;
}

Msm::~Msm() = default;

void Msm::Add(const Pt& p, const Fq& s)
{
    m->points.push_back(p);
    m->scalars.push_back(s);
}

void Msm::AddBase(const Fq& s)
{
    m->base = FqAdd(*m->curve, m->base, s);
}

std::size_t Msm::size() const
{
    return m->points.size();
}

bool Msm::IsIdentity() const
{
    return Dispatch(*m->curve, [&](auto t) { return IsIdentityOf<decltype(t)>(m->points, m->scalars, m->base); });
}

}  // namespace pingyi::batch
