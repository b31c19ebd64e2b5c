// EC_POINT_get_Jprojective_coordinates_GFp is deprecated in OpenSSL 3 but remains the only
// way to read a point without an inversion.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/sm2_curve.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "crypto/mont256.hpp"

namespace pingyi::sm2 {
namespace {

using u64 = std::uint64_t;

// p = 2^256 − 2^224 − 2^96 + 2^64 − 1. Its field is crypto/mont256.hpp's Montgomery
// arithmetic; −p^−1 mod 2^64 is 1, as p ≡ −1 mod 2^64, so that Montgomery's quotient digit
// is the low limb itself (the compiler folds the multiplication by the constant 1).
struct Prime {
    static constexpr mont256::Limbs kModulus =
        mont256::FromHex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF");
};
using Field = mont256::Field<Prime>;
static_assert(Field::kN0 == 1);

// Windows of the wNAF: G's table is built once; a point met once gets odd multiples up to
// 15·P (docs/performance.md, chosen by measurement).
constexpr int kGeneratorWindow = 8;
constexpr int kPointWindow = 5;

// The field operations are inlined into the point formulas: a call per operation costs a
// noticeable share of a 4-limb multiplication.
#define PINGYI_SM2_INLINE inline __attribute__((always_inline))

PINGYI_SM2_INLINE Fe MontMul(const Fe& a, const Fe& b)
{
    return Fe{Field::Mul(a.v, b.v)};
}

Fe SqrN(Fe a, int n)
{
    for (int i = 0; i < n; ++i)
        a = MontMul(a, a);
    return a;
}

Fe FeFromHex(const char* hex)
{
    return Fe{Field::ToMont(mont256::FromHex(hex))};  // constants below p
}

}  // namespace

Fe FeFromBytes(const std::uint8_t* in)
{
    // Any 256-bit value is below 2p: one subtraction reduces it.
    return Fe{Field::ToMont(Field::ReduceOnce(mont256::FromBytes(in), 0))};
}

void FeToBytes(const Fe& a, std::uint8_t* out)
{
    mont256::ToBytes(Field::FromMont(a.v), out);
}

Fe FeZero()
{
    return Fe{};
}

Fe FeOne()
{
    static const Fe one = [] {
        std::uint8_t bytes[kFieldBytes] = {};
        bytes[31] = 1;
        return FeFromBytes(bytes);
    }();
    return one;
}

PINGYI_SM2_INLINE Fe FAdd(const Fe& a, const Fe& b)
{
    return Fe{Field::Add(a.v, b.v)};
}

PINGYI_SM2_INLINE Fe FSub(const Fe& a, const Fe& b)
{
    return Fe{Field::Sub(a.v, b.v)};
}

PINGYI_SM2_INLINE Fe FNeg(const Fe& a)
{
    return FSub(Fe{}, a);
}

PINGYI_SM2_INLINE Fe FSqr(const Fe& a)
{
    return MontMul(a, a);
}

Fe FeAdd(const Fe& a, const Fe& b)
{
    return FAdd(a, b);
}

Fe FeSub(const Fe& a, const Fe& b)
{
    return FSub(a, b);
}

Fe FeNeg(const Fe& a)
{
    return FNeg(a);
}

Fe FeMul(const Fe& a, const Fe& b)
{
    return MontMul(a, b);
}

Fe FeSqr(const Fe& a)
{
    return MontMul(a, a);
}

Fe FeInv(const Fe& a)
{
    // a^(p−2); p − 2 in bits from the top: 31 ones, a zero, 128 ones, 32 zeros, 62 ones, 0, 1.
    // x_k below is a^(2^k − 1).
    const Fe x1 = a;
    const Fe x2 = MontMul(FSqr(x1), x1);
    const Fe x3 = MontMul(FSqr(x2), x1);
    const Fe x6 = MontMul(SqrN(x3, 3), x3);
    const Fe x7 = MontMul(FSqr(x6), x1);
    const Fe x14 = MontMul(SqrN(x7, 7), x7);
    const Fe x15 = MontMul(FSqr(x14), x1);
    const Fe x30 = MontMul(SqrN(x15, 15), x15);
    const Fe x31 = MontMul(FSqr(x30), x1);
    const Fe x32 = MontMul(FSqr(x31), x1);
    Fe r = FSqr(x31);  // 31 ones, then the zero
    for (int i = 0; i < 4; ++i)
        r = MontMul(SqrN(r, 32), x32);  // 128 ones
    r = SqrN(r, 32);                    // 32 zeros
    r = MontMul(SqrN(r, 32), x32);      // 62 ones
    r = MontMul(SqrN(r, 30), x30);
    return MontMul(SqrN(r, 2), x1);  // 0, 1
}

const Fe& CurveB()
{
    static const Fe b = FeFromHex("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93");
    return b;
}

const Affine& Generator()
{
    static const Affine g{FeFromHex("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7"),
                          FeFromHex("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0"), false};
    return g;
}

bool IsOnCurve(const Affine& a)
{
    if (a.infinity) return true;
    const Fe x3 = MontMul(FSqr(a.x), a.x);
    const Fe three_x = FAdd(FAdd(a.x, a.x), a.x);
    return FSqr(a.y) == FAdd(FSub(x3, three_x), CurveB());
}

Jacobian Identity()
{
    return Jacobian{FeOne(), FeOne(), FeZero()};
}

Jacobian ToJacobian(const Affine& a)
{
    if (a.infinity) return Identity();
    return Jacobian{a.x, a.y, FeOne()};
}

Affine ToAffine(const Jacobian& a)
{
    if (a.IsIdentity()) return Affine{FeZero(), FeZero(), true};
    const Fe zi = FeInv(a.z);
    const Fe zi2 = FSqr(zi);
    return Affine{MontMul(a.x, zi2), MontMul(a.y, MontMul(zi2, zi)), false};
}

std::vector<Affine> ToAffineBatch(std::span<const Jacobian> points)
{
    // Montgomery's trick: one inversion of the product of every Z, then each 1/Z by products.
    std::vector<Affine> out(points.size(), Affine{FeZero(), FeZero(), true});
    std::vector<Fe> prefix(points.size());
    Fe acc = FeOne();
    for (std::size_t i = 0; i < points.size(); ++i) {
        prefix[i] = acc;
        if (!points[i].IsIdentity()) acc = MontMul(acc, points[i].z);
    }
    Fe inv = FeInv(acc);
    for (std::size_t i = points.size(); i-- > 0;) {
        if (points[i].IsIdentity()) continue;
        const Fe zi = MontMul(inv, prefix[i]);
        inv = MontMul(inv, points[i].z);
        const Fe zi2 = FSqr(zi);
        out[i] = Affine{MontMul(points[i].x, zi2), MontMul(points[i].y, MontMul(zi2, zi)), false};
    }
    return out;
}

Jacobian Negate(const Jacobian& a)
{
    return Jacobian{a.x, FNeg(a.y), a.z};
}

Jacobian Double(const Jacobian& a)
{
    // dbl-2001-b (a = −3), hyperelliptic.org's Explicit-Formulas Database.
    if (a.IsIdentity()) return a;
    const Fe delta = FSqr(a.z);
    const Fe gamma = FSqr(a.y);
    const Fe beta = MontMul(a.x, gamma);
    const Fe t = MontMul(FSub(a.x, delta), FAdd(a.x, delta));
    const Fe alpha = FAdd(FAdd(t, t), t);
    const Fe beta2 = FAdd(beta, beta);
    const Fe beta4 = FAdd(beta2, beta2);
    const Fe beta8 = FAdd(beta4, beta4);
    Jacobian r;
    r.x = FSub(FSqr(alpha), beta8);
    r.z = FSub(FSub(FSqr(FAdd(a.y, a.z)), gamma), delta);
    const Fe gamma2 = FSqr(gamma);
    const Fe g2 = FAdd(gamma2, gamma2);
    const Fe g4 = FAdd(g2, g2);
    const Fe g8 = FAdd(g4, g4);
    r.y = FSub(MontMul(alpha, FSub(beta4, r.x)), g8);
    return r;
}

Jacobian Add(const Jacobian& a, const Jacobian& b)
{
    // add-2007-bl, with the exceptional cases first.
    if (a.IsIdentity()) return b;
    if (b.IsIdentity()) return a;
    const Fe z1z1 = FSqr(a.z);
    const Fe z2z2 = FSqr(b.z);
    const Fe u1 = MontMul(a.x, z2z2);
    const Fe u2 = MontMul(b.x, z1z1);
    const Fe s1 = MontMul(a.y, MontMul(b.z, z2z2));
    const Fe s2 = MontMul(b.y, MontMul(a.z, z1z1));
    const Fe h = FSub(u2, u1);
    const Fe rr = FSub(s2, s1);
    if (FeIsZero(h)) return FeIsZero(rr) ? Double(a) : Identity();  // a == b, or a == −b
    const Fe r = FAdd(rr, rr);
    const Fe h2 = FAdd(h, h);
    const Fe i = FSqr(h2);
    const Fe j = MontMul(h, i);
    const Fe v = MontMul(u1, i);
    Jacobian out;
    out.x = FSub(FSub(FSqr(r), j), FAdd(v, v));
    const Fe s1j = MontMul(s1, j);
    out.y = FSub(MontMul(r, FSub(v, out.x)), FAdd(s1j, s1j));
    out.z = MontMul(FSub(FSub(FSqr(FAdd(a.z, b.z)), z1z1), z2z2), h);
    return out;
}

Jacobian AddMixed(const Jacobian& a, const Affine& b)
{
    // madd-2007-bl, with the exceptional cases first.
    if (b.infinity) return a;
    if (a.IsIdentity()) return ToJacobian(b);
    const Fe z1z1 = FSqr(a.z);
    const Fe u2 = MontMul(b.x, z1z1);
    const Fe s2 = MontMul(b.y, MontMul(a.z, z1z1));
    const Fe h = FSub(u2, a.x);
    const Fe rr = FSub(s2, a.y);
    if (FeIsZero(h)) return FeIsZero(rr) ? Double(a) : Identity();
    const Fe hh = FSqr(h);
    const Fe hh2 = FAdd(hh, hh);
    const Fe i = FAdd(hh2, hh2);
    const Fe j = MontMul(h, i);
    const Fe r = FAdd(rr, rr);
    const Fe v = MontMul(a.x, i);
    Jacobian out;
    out.x = FSub(FSub(FSqr(r), j), FAdd(v, v));
    const Fe y1j = MontMul(a.y, j);
    out.y = FSub(MontMul(r, FSub(v, out.x)), FAdd(y1j, y1j));
    out.z = FSub(FSub(FSqr(FAdd(a.z, h)), z1z1), hh);
    return out;
}

bool Equal(const Jacobian& a, const Jacobian& b)
{
    if (a.IsIdentity() || b.IsIdentity()) return a.IsIdentity() && b.IsIdentity();
    const Fe z1z1 = FSqr(a.z);
    const Fe z2z2 = FSqr(b.z);
    if (!(MontMul(a.x, z2z2) == MontMul(b.x, z1z1))) return false;
    return MontMul(a.y, MontMul(b.z, z2z2)) == MontMul(b.y, MontMul(a.z, z1z1));
}

Scalar256 ScalarFromBytes(const std::uint8_t* in)
{
    Scalar256 k{};
    for (std::size_t i = 0; i < 32; ++i)
        k[(31 - i) / 8] |= u64{in[i]} << (8 * ((31 - i) % 8));
    return k;
}

std::array<std::int8_t, 257> Wnaf(const Scalar256& k, int window)
{
    if (window < 2 || window > 8) throw std::invalid_argument("Wnaf: window out of range");
    std::array<std::int8_t, 257> out{};
    u64 n[5] = {k[0], k[1], k[2], k[3], 0};  // a fifth limb for the carries of negative digits
    const u64 mask = (u64{1} << window) - 1;
    const std::int64_t half = std::int64_t{1} << (window - 1);
    for (std::size_t i = 0; i < out.size(); ++i) {
        if ((n[0] | n[1] | n[2] | n[3] | n[4]) == 0) break;
        std::int64_t d = 0;
        if ((n[0] & 1) != 0) {
            d = static_cast<std::int64_t>(n[0] & mask);
            if (d >= half) d -= std::int64_t{1} << window;
            // n ← n − d
            if (d > 0) {
                u64 borrow = static_cast<u64>(d);
                for (u64& limb : n) {
                    const u64 before = limb;
                    limb -= borrow;
                    borrow = static_cast<u64>(limb > before);
                    if (borrow == 0) break;
                }
            } else {
                u64 carry = static_cast<u64>(-d);
                for (u64& limb : n) {
                    limb += carry;
                    carry = static_cast<u64>(limb < carry);
                    if (carry == 0) break;
                }
            }
        }
        out[i] = static_cast<std::int8_t>(d);
        for (std::size_t j = 0; j < 4; ++j)
            n[j] = (n[j] >> 1) | (n[j + 1] << 63);
        n[4] >>= 1;
    }
    return out;
}

Table::Table(const Affine& base, int window) : m_window(window)
{
    if (window < 2 || window > 8) throw std::invalid_argument("sm2::Table: window out of range");
    if (base.infinity) throw std::invalid_argument("sm2::Table: the identity is not a base");
    const std::size_t count = std::size_t{1} << (window - 2);
    std::vector<Jacobian> odd;
    odd.reserve(count);
    odd.push_back(ToJacobian(base));
    const Jacobian twice = Double(odd.front());
    for (std::size_t i = 1; i < count; ++i)
        odd.push_back(Add(odd.back(), twice));
    m_odd = ToAffineBatch(odd);
}

const Table& GeneratorTable()
{
    static const Table table(Generator(), kGeneratorWindow);
    return table;
}

Jacobian MulPublic(std::span<const Term> terms)
{
    struct Prepared {
        std::array<std::int8_t, 257> digits;
        const Table* table;
        std::vector<Jacobian> odd;  // for a point without a table
        std::vector<Jacobian> neg;
    };
    std::vector<Prepared> prepared;
    prepared.reserve(terms.size());
    std::size_t top = 0;
    for (const Term& t : terms) {
        if ((t.scalar[0] | t.scalar[1] | t.scalar[2] | t.scalar[3]) == 0) continue;
        if (t.table == nullptr && t.point.IsIdentity()) continue;
        Prepared p;
        p.table = t.table;
        const int window = t.table != nullptr ? t.table->window() : kPointWindow;
        p.digits = Wnaf(t.scalar, window);
        if (t.table == nullptr) {
            const std::size_t count = std::size_t{1} << (window - 2);
            p.odd.reserve(count);
            p.odd.push_back(t.point);
            const Jacobian twice = Double(p.odd.front());
            for (std::size_t i = 1; i < count; ++i)
                p.odd.push_back(Add(p.odd.back(), twice));
            p.neg.reserve(count);
            for (const Jacobian& q : p.odd)
                p.neg.push_back(Negate(q));
        }
        for (std::size_t i = p.digits.size(); i-- > top;)
            if (p.digits[i] != 0) {
                top = i + 1;
                break;
            }
        prepared.push_back(std::move(p));
    }

    Jacobian r = Identity();
    for (std::size_t i = top; i-- > 0;) {
        r = Double(r);
        for (const Prepared& p : prepared) {
            const int d = p.digits[i];
            if (d == 0) continue;
            const int index = (d > 0 ? d : -d) >> 1;
            if (p.table != nullptr) {
                Affine e = p.table->Odd(d > 0 ? d : -d);
                if (d < 0) e.y = FNeg(e.y);
                r = AddMixed(r, e);
            } else {
                r = Add(r, d > 0 ? p.odd[static_cast<std::size_t>(index)] : p.neg[static_cast<std::size_t>(index)]);
            }
        }
    }
    return r;
}

namespace {

// The thread's public BN_CTX frame: two temporaries, released on scope exit.
class CtxFrame {
  public:
    CtxFrame() : m_ctx(ThreadBnCtx(false)) { BN_CTX_start(m_ctx); }
    ~CtxFrame() { BN_CTX_end(m_ctx); }
    CtxFrame(const CtxFrame&) = delete;
    CtxFrame& operator=(const CtxFrame&) = delete;
    [[nodiscard]] BN_CTX* ctx() const { return m_ctx; }
    BIGNUM* Get()
    {
        BIGNUM* bn = BN_CTX_get(m_ctx);
        if (bn == nullptr) throw std::bad_alloc();
        return bn;
    }

  private:
    BN_CTX* m_ctx;
};

void Check(int rc, const char* what)
{
    if (rc != 1) throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
}

}  // namespace

Affine FromPoint(const Point& p)
{
    if (p.IsIdentity()) return Affine{FeZero(), FeZero(), true};
    CtxFrame frame;
    BIGNUM* x = frame.Get();
    BIGNUM* y = frame.Get();
    Check(EC_POINT_get_affine_coordinates(p.group().raw(), p.raw(), x, y, frame.ctx()),
          "EC_POINT_get_affine_coordinates");
    std::uint8_t buf[kFieldBytes];
    Check(BN_bn2binpad(x, buf, sizeof buf) == sizeof buf ? 1 : 0, "BN_bn2binpad");
    const Fe fx = FeFromBytes(buf);
    Check(BN_bn2binpad(y, buf, sizeof buf) == sizeof buf ? 1 : 0, "BN_bn2binpad");
    return Affine{fx, FeFromBytes(buf), false};
}

Jacobian JacobianFromPoint(const Point& p)
{
    if (p.IsIdentity()) return Identity();
    CtxFrame frame;
    BIGNUM* x = frame.Get();
    BIGNUM* y = frame.Get();
    BIGNUM* z = frame.Get();
    Check(EC_POINT_get_Jprojective_coordinates_GFp(p.group().raw(), p.raw(), x, y, z, frame.ctx()),
          "EC_POINT_get_Jprojective_coordinates_GFp");
    std::uint8_t buf[kFieldBytes];
    Jacobian r;
    Check(BN_bn2binpad(x, buf, sizeof buf) == sizeof buf ? 1 : 0, "BN_bn2binpad");
    r.x = FeFromBytes(buf);
    Check(BN_bn2binpad(y, buf, sizeof buf) == sizeof buf ? 1 : 0, "BN_bn2binpad");
    r.y = FeFromBytes(buf);
    Check(BN_bn2binpad(z, buf, sizeof buf) == sizeof buf ? 1 : 0, "BN_bn2binpad");
    r.z = FeFromBytes(buf);
    return r;
}

Point ToPoint(const Group& g, const Jacobian& a)
{
    Point r(g);  // the identity
    if (a.IsIdentity()) return r;
    const Affine affine = ToAffine(a);
    CtxFrame frame;
    BIGNUM* x = frame.Get();
    BIGNUM* y = frame.Get();
    std::uint8_t buf[kFieldBytes];
    FeToBytes(affine.x, buf);
    if (BN_bin2bn(buf, sizeof buf, x) == nullptr) throw std::bad_alloc();
    FeToBytes(affine.y, buf);
    if (BN_bin2bn(buf, sizeof buf, y) == nullptr) throw std::bad_alloc();
    // OpenSSL checks that the point is on the curve: a wrong result throws rather than passes.
    Check(EC_POINT_set_affine_coordinates(g.raw(), r.mutable_raw(), x, y, frame.ctx()),
          "EC_POINT_set_affine_coordinates");
    return r;
}

Scalar256 FromScalar(const Scalar& s)
{
    const Bytes bytes = s.Encode();
    return ScalarFromBytes(bytes.data());
}

}  // namespace pingyi::sm2
