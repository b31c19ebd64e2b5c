// SM2 public arithmetic of our own (crypto/sm2_curve.hpp): the field against OpenSSL's BN_mod_*
// on 1,000,000 random and edge inputs, the point operations and a·G + b·P against OpenSSL's
// EC_POINT code on thousands of random and exceptional cases, and the curve's parameters and a
// key-derivation example typed from the standard (GB/T 32918.5 and GM/T 0003.5-2012 A.2).
// EC_POINTs_mul (deprecated in OpenSSL 3, still its multi-scalar multiplication) is the
// reference for sums of two variable points.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <doctest/doctest.h>
#include <openssl/bn.h>
#include <openssl/ec.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "crypto/fixed_base.hpp"
#include "crypto/group.hpp"
#include "crypto/sm2_curve.hpp"

namespace pingyi {
namespace {

using Bytes32 = std::array<std::uint8_t, 32>;

const Group& S()
{
    return Group::SM2();
}

Bytes32 FromHex(const std::string& hex)
{
    Bytes32 out{};
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<std::uint8_t>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
    return out;
}

struct BnFreeAll {
    void operator()(BIGNUM* p) const { BN_free(p); }
};
using Bn = std::unique_ptr<BIGNUM, BnFreeAll>;

Bn ToBn(const Bytes32& b)
{
    return Bn(BN_bin2bn(b.data(), static_cast<int>(b.size()), nullptr));
}

Bytes32 FromBn(const BIGNUM* bn)
{
    Bytes32 out{};
    REQUIRE(BN_bn2binpad(bn, out.data(), static_cast<int>(out.size())) == 32);
    return out;
}

Bytes32 Out(const sm2::Fe& a)
{
    Bytes32 out{};
    sm2::FeToBytes(a, out.data());
    return out;
}

// A 256-bit test value: uniform, or limbs drawn from values that stress carries (0, all ones,
// the limbs of p, 1), or one of the edge values.
class Values {
  public:
    explicit Values(std::uint64_t seed) : m_rng(seed)
    {
        const char* edges[] = {
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000001",
            "0000000000000000000000000000000000000000000000000000000000000002",
            "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFE",  // p − 1
            "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFD",  // p − 2
            "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF",  // p
            "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000000010000000000000000",  // p + 1
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",  // 2^256 − 1
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFE",  // 2^256 − 2
            "FFFFFFFF00000000000000000000000000000000000000000000000000000000",
            "8000000000000000000000000000000000000000000000000000000000000000",
            "0000000100000000000000000000000000000000FFFFFFFF0000000000000001",  // 2^256 − p
            "7FFFFFFF7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF800000007FFFFFFFFFFFFFFF",  // (p − 1)/2
        };
        for (const char* e : edges) {
            m_edges.push_back(FromHex(e));
        }
    }
    [[nodiscard]] const std::vector<Bytes32>& edges() const { return m_edges; }

    Bytes32 Next()
    {
        const std::uint64_t kind = m_rng() % 8;
        if (kind == 0) return m_edges[m_rng() % m_edges.size()];
        std::array<std::uint64_t, 4> limbs{};
        for (auto& l : limbs) {
            if (kind == 1) {
                const std::uint64_t special[] = {
                    0, ~0ull, 0xFFFFFFFF00000000ull, 0xFFFFFFFEFFFFFFFFull, 1, 0x00000000FFFFFFFFull, m_rng()};
                l = special[m_rng() % 7];
            } else {
                l = m_rng();
            }
        }
        Bytes32 out{};
        for (std::size_t i = 0; i < 32; ++i)
            out[i] = static_cast<std::uint8_t>(limbs[(31 - i) / 8] >> (8 * ((31 - i) % 8)));
        return out;
    }

  private:
    std::mt19937_64 m_rng;
    std::vector<Bytes32> m_edges;
};

const BIGNUM* FieldPrime()
{
    return EC_GROUP_get0_field(S().raw());
}

TEST_CASE("SM2 field: mul, sqr, add, sub equal OpenSSL's BN_mod_* on 1,000,000 inputs")
{
    BN_CTX* ctx = ThreadBnCtx(false);
    const BIGNUM* p = FieldPrime();
    Values values(/*seed=*/20261205);
    Bn r(BN_new()), a_mod(BN_new()), b_mod(BN_new());
    std::size_t mismatches = 0;
    auto check = [&](const Bytes32& a, const Bytes32& b) {
        const Bn an = ToBn(a), bn = ToBn(b);
        REQUIRE(BN_nnmod(a_mod.get(), an.get(), p, ctx) == 1);
        REQUIRE(BN_nnmod(b_mod.get(), bn.get(), p, ctx) == 1);
        const sm2::Fe fa = sm2::FeFromBytes(a.data()), fb = sm2::FeFromBytes(b.data());
        if (Out(fa) != FromBn(a_mod.get())) ++mismatches;
        REQUIRE(BN_mod_mul(r.get(), an.get(), bn.get(), p, ctx) == 1);
        if (Out(sm2::FeMul(fa, fb)) != FromBn(r.get())) ++mismatches;
        REQUIRE(BN_mod_sqr(r.get(), an.get(), p, ctx) == 1);
        if (Out(sm2::FeSqr(fa)) != FromBn(r.get())) ++mismatches;
        REQUIRE(BN_mod_add(r.get(), a_mod.get(), b_mod.get(), p, ctx) == 1);
        if (Out(sm2::FeAdd(fa, fb)) != FromBn(r.get())) ++mismatches;
        REQUIRE(BN_mod_sub(r.get(), a_mod.get(), b_mod.get(), p, ctx) == 1);
        if (Out(sm2::FeSub(fa, fb)) != FromBn(r.get())) ++mismatches;
        REQUIRE(BN_mod_sub(r.get(), p, a_mod.get(), p, ctx) == 1);
        if (Out(sm2::FeNeg(fa)) != FromBn(r.get())) ++mismatches;
    };
    for (const Bytes32& a : values.edges())
        for (const Bytes32& b : values.edges())
            check(a, b);
    for (int i = 0; i < 1000000; ++i)
        check(values.Next(), values.Next());
    CHECK(mismatches == 0);
}

TEST_CASE("SM2 field: inversion equals OpenSSL's BN_mod_inverse on 10,000 inputs, and 1/0 is 0")
{
    BN_CTX* ctx = ThreadBnCtx(false);
    const BIGNUM* p = FieldPrime();
    Values values(/*seed=*/32918);
    Bn r(BN_new()), a_mod(BN_new());
    std::size_t mismatches = 0, checked = 0;
    for (int i = 0; i < 10000 + static_cast<int>(values.edges().size()); ++i) {
        const Bytes32 a =
            i < static_cast<int>(values.edges().size()) ? values.edges()[static_cast<std::size_t>(i)] : values.Next();
        const Bn an = ToBn(a);
        REQUIRE(BN_nnmod(a_mod.get(), an.get(), p, ctx) == 1);
        const sm2::Fe inv = sm2::FeInv(sm2::FeFromBytes(a.data()));
        if (BN_is_zero(a_mod.get())) {
            CHECK(sm2::FeIsZero(inv));
            continue;
        }
        REQUIRE(BN_mod_inverse(r.get(), a_mod.get(), p, ctx) != nullptr);
        if (Out(inv) != FromBn(r.get())) ++mismatches;
        ++checked;
    }
    CHECK(checked > 9000);
    CHECK(mismatches == 0);
}

// The curve as typed from GB/T 32918.5 (recommended 256-bit curve parameters).
constexpr const char* kP = "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF";
constexpr const char* kB = "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93";
constexpr const char* kN = "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123";
constexpr const char* kGx = "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7";
constexpr const char* kGy = "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0";

TEST_CASE("SM2 curve: the parameters are those of GB/T 32918.5, and OpenSSL's")
{
    CHECK(Out(sm2::CurveB()) == FromHex(kB));
    CHECK(Out(sm2::Generator().x) == FromHex(kGx));
    CHECK(Out(sm2::Generator().y) == FromHex(kGy));
    CHECK(sm2::IsOnCurve(sm2::Generator()));
    CHECK(FromBn(FieldPrime()) == FromHex(kP));
    CHECK(FromBn(S().order()) == FromHex(kN));
    const sm2::Affine g = sm2::FromPoint(S().Generator());
    CHECK(g.x == sm2::Generator().x);
    CHECK(g.y == sm2::Generator().y);
    // p is fixed by the code's reduction: p ≡ 0 must hold in the field.
    const Bytes32 p = FromHex(kP);
    CHECK(sm2::FeIsZero(sm2::FeFromBytes(p.data())));
}

TEST_CASE("SM2 curve: d·G for the key of GM/T 0003.5-2012 A.2 is its published public key")
{
    // Private key d_A and public key P_A = (x_A, y_A) of the standard's example.
    const Bytes32 d = FromHex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8");
    const Bytes32 x = FromHex("09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020");
    const Bytes32 y = FromHex("CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13");
    const sm2::Scalar256 k = sm2::ScalarFromBytes(d.data());
    // Through G's table, and through a per-call table of G as if it were any point.
    for (const bool with_table : {true, false}) {
        const sm2::Term term{with_table ? &sm2::GeneratorTable() : nullptr, sm2::ToJacobian(sm2::Generator()), k};
        const sm2::Affine pa = sm2::ToAffine(sm2::MulPublic({&term, 1}));
        CHECK_FALSE(pa.infinity);
        CHECK(Out(pa.x) == x);
        CHECK(Out(pa.y) == y);
    }
}

TEST_CASE("SM2 wNAF digits are odd, bounded, spaced and sum to the scalar")
{
    std::mt19937_64 rng(/*seed=*/5);
    BN_CTX* ctx = ThreadBnCtx(false);
    for (int window = 2; window <= 8; ++window)
        for (int n = 0; n < 200; ++n) {
            sm2::Scalar256 k{};
            for (auto& l : k)
                l = n == 0 ? ~0ull : rng();
            const auto digits = sm2::Wnaf(k, window);
            Bn sum(BN_new()), term(BN_new());
            BN_zero(sum.get());
            int last = -window;
            bool ok = true;
            for (int i = 0; i < static_cast<int>(digits.size()); ++i) {
                const int d = digits[static_cast<std::size_t>(i)];
                if (d == 0) continue;
                ok = ok && (d & 1) != 0 && (d < 0 ? -d : d) < (1 << (window - 1)) && i - last >= window;
                last = i;
                REQUIRE(BN_set_word(term.get(), static_cast<BN_ULONG>(d < 0 ? -d : d)) == 1);
                REQUIRE(BN_lshift(term.get(), term.get(), i) == 1);
                REQUIRE((d < 0 ? BN_sub(sum.get(), sum.get(), term.get()) : BN_add(sum.get(), sum.get(), term.get())) ==
                        1);
            }
            Bytes32 kb{};
            for (std::size_t i = 0; i < 32; ++i)
                kb[i] = static_cast<std::uint8_t>(k[(31 - i) / 8] >> (8 * ((31 - i) % 8)));
            CHECK(ok);
            CHECK(BN_cmp(sum.get(), ToBn(kb).get()) == 0);
            (void)ctx;
        }
}

// OpenSSL's own a·G + b·P (EC_POINT_mul: its wNAF on its BIGNUM arithmetic).
Point OpenSslMulAdd(const Scalar& a, const Point& p, const Scalar& b)
{
    Point r(S());
    REQUIRE(EC_POINT_mul(S().raw(), r.mutable_raw(), a.raw(), p.raw(), b.raw(), ThreadBnCtx(false)) == 1);
    return r;
}

// OpenSSL's own a·K + b·P (EC_POINTs_mul on two points, no generator term).
Point OpenSslSum(const Point& k, const Scalar& a, const Point& p, const Scalar& b)
{
    Point r(S());
    const EC_POINT* pts[2] = {k.raw(), p.raw()};
    const BIGNUM* scs[2] = {a.raw(), b.raw()};
    REQUIRE(EC_POINTs_mul(S().raw(), r.mutable_raw(), nullptr, 2, pts, scs, ThreadBnCtx(false)) == 1);
    return r;
}

// A Jacobian representative of a with a random Z (not 1), to exercise the general formulas.
sm2::Jacobian Rescaled(const sm2::Affine& a, std::mt19937_64& rng)
{
    Bytes32 lb{};
    for (auto& c : lb)
        c = static_cast<std::uint8_t>(rng());
    lb[0] &= 0x7F;
    lb[31] |= 1;
    const sm2::Fe l = sm2::FeFromBytes(lb.data());
    const sm2::Fe l2 = sm2::FeSqr(l);
    return sm2::Jacobian{sm2::FeMul(a.x, l2), sm2::FeMul(a.y, sm2::FeMul(l2, l)), l};
}

Scalar RandomScalar(std::mt19937_64& rng)
{
    Bytes wide(64);
    for (auto& c : wide)
        c = static_cast<std::uint8_t>(rng());
    return Scalar::Reduce(S(), wide);
}

TEST_CASE("SM2 point operations equal OpenSSL's on random and exceptional points")
{
    std::mt19937_64 rng(/*seed=*/7);
    const Point gen = S().Generator();
    for (int n = 0; n < 400; ++n) {
        const Point p = MulBase(RandomScalar(rng));
        const Point q = n % 4 == 0 ? p : (n % 4 == 1 ? -p : MulBase(RandomScalar(rng)));
        const sm2::Affine ap = sm2::FromPoint(p), aq = sm2::FromPoint(q);
        CHECK(sm2::IsOnCurve(ap));
        const sm2::Jacobian jp = Rescaled(ap, rng), jq = Rescaled(aq, rng);
        const Point sum = p + q;
        CHECK(sm2::ToPoint(S(), sm2::Add(jp, jq)) == sum);
        CHECK(sm2::ToPoint(S(), sm2::AddMixed(jp, aq)) == sum);
        CHECK(sm2::ToPoint(S(), sm2::Double(jp)) == p + p);
        CHECK(sm2::ToPoint(S(), sm2::Negate(jp)) == -p);
        CHECK(sm2::Equal(jp, sm2::ToJacobian(ap)));
        // OpenSSL's Jacobian coordinates of a point that is not affine (a sum) read as such.
        const Point jacobian_sum = p + q;
        CHECK(sm2::Equal(sm2::JacobianFromPoint(jacobian_sum), sm2::ToJacobian(sm2::FromPoint(jacobian_sum))));
        // The identity on either side.
        CHECK(sm2::ToPoint(S(), sm2::Add(sm2::Identity(), jq)) == q);
        CHECK(sm2::ToPoint(S(), sm2::Add(jp, sm2::Identity())) == p);
        CHECK(sm2::ToPoint(S(), sm2::AddMixed(sm2::Identity(), aq)) == q);
        CHECK(sm2::ToPoint(S(), sm2::AddMixed(jp, sm2::Affine{{}, {}, true})) == p);
    }
    CHECK(sm2::Add(sm2::Identity(), sm2::Identity()).IsIdentity());
    CHECK(sm2::Double(sm2::Identity()).IsIdentity());
    CHECK(sm2::ToPoint(S(), sm2::Identity()).IsIdentity());
    CHECK(sm2::FromPoint(Point(S())).infinity);
    // The batch normalisation agrees with the single one, identities included.
    std::vector<sm2::Jacobian> batch;
    for (int n = 0; n < 20; ++n)
        batch.push_back(n % 7 == 3 ? sm2::Identity() : Rescaled(sm2::FromPoint(MulBase(RandomScalar(rng))), rng));
    const std::vector<sm2::Affine> affine = sm2::ToAffineBatch(batch);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const sm2::Affine one = sm2::ToAffine(batch[i]);
        CHECK(affine[i].infinity == one.infinity);
        if (!one.infinity) CHECK((affine[i].x == one.x && affine[i].y == one.y));
    }
}

TEST_CASE("SM2 a·G + b·P equals OpenSSL's EC_POINT_mul on 3,000 random and edge cases")
{
    std::mt19937_64 rng(/*seed=*/11);
    const Point gen = S().Generator();
    const std::vector<Scalar> special = {Scalar(S()),     Scalar(S(), 1),  Scalar(S(), 2),   -Scalar(S(), 1),
                                         -Scalar(S(), 2), Scalar(S(), 15), Scalar(S(), 255), -Scalar(S(), 255)};
    std::size_t mismatches = 0;
    auto check = [&](const Scalar& a, const Point& p, const Scalar& b) {
        const Point expected = OpenSslMulAdd(a, p, b);
        if (!(MulBaseAddPublic(a, p, b) == expected)) ++mismatches;
        const Point* pts[1] = {&p};
        const Scalar* scs[1] = {&b};
        if (!(MultiMulPublic(a, pts, scs) == expected)) ++mismatches;
    };
    // Edge scalars with P = G, −G, 2G, a random multiple: sums that meet the identity (a = −b,
    // P = G) and doublings (a = b, P = G) inside the interleaved loop.
    std::vector<Point> bases = {gen, -gen, gen + gen, MulBase(RandomScalar(rng))};
    for (const Point& p : bases)
        for (const Scalar& a : special)
            for (const Scalar& b : special)
                check(a, p, b);
    for (int n = 0; n < 3000; ++n) {
        const Scalar a = n % 10 == 0 ? special[rng() % special.size()] : RandomScalar(rng);
        const Scalar b = n % 10 == 1 ? special[rng() % special.size()] : RandomScalar(rng);
        const Scalar k = RandomScalar(rng);
        // P a random multiple, or G itself with b = ±a (the identity or a doubling overall).
        if (n % 10 == 2)
            check(a, gen, n % 20 == 2 ? a : -a);
        else
            check(a, MulBase(k), b);
    }
    CHECK(mismatches == 0);
}

TEST_CASE("SM2 sums of several terms meet doublings and the identity and still equal OpenSSL's")
{
    std::mt19937_64 rng(/*seed=*/13);
    const Point gen = S().Generator();
    for (int n = 0; n < 200; ++n) {
        const Point p = MulBase(RandomScalar(rng));
        const Scalar a = n % 3 == 0 ? Scalar(S()) : RandomScalar(rng);
        const Scalar b = RandomScalar(rng), c = RandomScalar(rng);
        const Point neg_p = -p;
        // P and P with the same scalar: every digit adds the same entry twice (a doubling at
        // the top); P and −P: a sum to the identity at every digit.
        const Point* same[2] = {&p, &p};
        const Point* opposite[2] = {&p, &neg_p};
        const Scalar* bb[2] = {&b, &b};
        const Scalar* bc[2] = {&b, &c};
        CHECK(MultiMulPublic(a, same, bb) == OpenSslMulAdd(a, p, b + b));
        CHECK(MultiMulPublic(a, opposite, bb) == OpenSslMulAdd(a, p, Scalar(S())));
        CHECK(MultiMulPublic(a, opposite, bc) == OpenSslMulAdd(a, p, b - c));
        const Point q = MulBase(RandomScalar(rng));
        const Point* two[2] = {&p, &q};
        CHECK(MultiMulPublic(a, two, bc) == OpenSslMulAdd(a, p, b) + OpenSslSum(q, c, q, Scalar(S())));
    }
}

TEST_CASE("SM2 a·K + b·P through an election key's table equals OpenSSL's")
{
    std::mt19937_64 rng(/*seed=*/17);
    const Point gen = S().Generator();
    const Point k = MulBase(RandomScalar(rng));
    const FixedBase table(k);
    for (int n = 0; n < 500; ++n) {
        const Scalar a = n == 0 ? Scalar(S()) : RandomScalar(rng);
        const Scalar b = n == 1 ? Scalar(S()) : RandomScalar(rng);
        const Point p = n % 5 == 0 ? k : (n % 5 == 1 ? -k : MulBase(RandomScalar(rng)));
        CHECK(table.MulAddPublic(a, p, b) == OpenSslSum(k, a, p, b));
    }
    CHECK(table.MulAddPublic(Scalar(S(), 1), -k, Scalar(S(), 1)).IsIdentity());
    CHECK(table.MulAddPublic(Scalar(S(), 3), k, Scalar(S(), 3)) == k * Scalar(S(), 6));
}

}  // namespace
}  // namespace pingyi
