// Batch verification's arithmetic (crypto/public_batch.hpp, crypto/mont256.hpp) in both suites:
// integers mod q against OpenSSL's BN_mod_* on 100,000 random and edge inputs, the generalised
// Montgomery field for P-256's p on 1,000,000, decoding against Point::Decode and
// EC_POINT_oct2point on valid and malformed bytes, sums of sets and the multi-scalar
// multiplication against OpenSSL's point arithmetic, with instances that are the identity by
// construction and perturbed ones that are not.
#include <doctest/doctest.h>
#include <openssl/bn.h>
#include <openssl/ec.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <random>
#include <vector>

#include "crypto/fixed_base.hpp"
#include "crypto/mont256.hpp"
#include "crypto/public_batch.hpp"
#include "test_util.hpp"

namespace pingyi {
namespace {

using Bytes32 = std::array<std::uint8_t, 32>;

struct BnFreeAll {
    void operator()(BIGNUM* p) const { BN_free(p); }
};
using Bn = std::unique_ptr<BIGNUM, BnFreeAll>;

Bn ToBn(ByteView b)
{
    return Bn(BN_bin2bn(b.data(), static_cast<int>(b.size()), nullptr));
}

Bytes32 FromBn(const BIGNUM* bn)
{
    Bytes32 out{};
    REQUIRE(BN_bn2binpad(bn, out.data(), static_cast<int>(out.size())) == 32);
    return out;
}

// Uniform 256-bit values, values whose limbs stress carries, and values near the modulus
// (m − k and m + k for small k, then reduced by the caller where it needs a value below m).
class Values {
  public:
    Values(std::uint64_t seed, const BIGNUM* modulus) : m_rng(seed), m_modulus(modulus) {}

    Bytes32 Next()
    {
        const std::uint64_t kind = m_rng() % 8;
        if (kind == 0) {
            Bn v(BN_dup(m_modulus));
            const auto k = static_cast<BN_ULONG>(m_rng() % 4);
            REQUIRE(((m_rng() & 1) != 0 ? BN_sub_word(v.get(), k) : BN_add_word(v.get(), k)) == 1);
            if (BN_num_bytes(v.get()) > 32) REQUIRE(BN_sub_word(v.get(), 8) == 1);
            return FromBn(v.get());
        }
        std::array<std::uint64_t, 4> limbs{};
        for (auto& l : limbs)
            l = kind == 1 ? std::array<std::uint64_t, 5>{0, ~0ull, 1, 0xFFFFFFFFull, m_rng()}[m_rng() % 5] : m_rng();
        Bytes32 out{};
        mont256::ToBytes(limbs, out.data());
        return out;
    }

  private:
    std::mt19937_64 m_rng;
    const BIGNUM* m_modulus;
};

// A stand-in for Rng that plays back given bytes.
class ScriptedRng final : public Rng {
  public:
    explicit ScriptedRng(Bytes bytes) : m_bytes(bytes.begin(), bytes.end()) {}
    void Fill(std::span<std::uint8_t> out) override
    {
        for (std::uint8_t& b : out) {
            REQUIRE(!m_bytes.empty());
            b = m_bytes.front();
            m_bytes.pop_front();
        }
    }

  private:
    std::deque<std::uint8_t> m_bytes;
};

Scalar ToScalar(const batch::Curve& c, const batch::Fq& a)
{
    const auto bytes = batch::FqEncode(c, a);
    auto s = Scalar::Decode(test::G(), bytes);
    REQUIRE(s.ok());
    return *s;
}

batch::Fq RandomFq(const batch::Curve& c, Rng& rng)
{
    return batch::FqFromScalar(c, Scalar::Random(test::G(), rng));
}

DeterministicRng TestRng(std::string_view seed)
{
    return DeterministicRng(AsBytes(seed));
}

SUITE_CASE("batch Fq: add, sub, neg, mul equal BN_mod_* on 100,000 random and edge inputs")
{
    const test::UseSuite use(SuiteT::kId);
    const Group& g = test::G();
    const batch::Curve& c = batch::For(g);
    BN_CTX* ctx = ThreadBnCtx(false);
    const BIGNUM* q = g.order();
    Values values(/*seed=*/56, q);
    std::vector<Bytes32> edges;
    for (const BN_ULONG k : {0, 1, 2}) {
        Bn v(BN_new());
        REQUIRE(BN_set_word(v.get(), k) == 1);
        edges.push_back(FromBn(v.get()));
        REQUIRE(BN_sub(v.get(), q, v.get()) == 1);
        if (k != 0) edges.push_back(FromBn(v.get()));  // q − 1, q − 2
    }
    Bn r(BN_new()), a_mod(BN_new()), b_mod(BN_new());
    std::size_t mismatches = 0, checked = 0;
    auto check = [&](const Bytes32& a, const Bytes32& b) {
        const Bn an = ToBn(a), bn = ToBn(b);
        REQUIRE(BN_nnmod(a_mod.get(), an.get(), q, ctx) == 1);
        REQUIRE(BN_nnmod(b_mod.get(), bn.get(), q, ctx) == 1);
        const auto fa = batch::FqDecode(c, FromBn(a_mod.get()));
        const auto fb = batch::FqDecode(c, FromBn(b_mod.get()));
        REQUIRE(fa.ok());
        REQUIRE(fb.ok());
        // FqDecode refuses exactly the values not below q.
        if (batch::FqDecode(c, a).ok() != (BN_cmp(an.get(), q) < 0)) ++mismatches;
        if (batch::FqEncode(c, *fa) != FromBn(a_mod.get())) ++mismatches;
        REQUIRE(BN_mod_mul(r.get(), a_mod.get(), b_mod.get(), q, ctx) == 1);
        if (batch::FqEncode(c, batch::FqMul(c, *fa, *fb)) != FromBn(r.get())) ++mismatches;
        REQUIRE(BN_mod_add(r.get(), a_mod.get(), b_mod.get(), q, ctx) == 1);
        if (batch::FqEncode(c, batch::FqAdd(c, *fa, *fb)) != FromBn(r.get())) ++mismatches;
        REQUIRE(BN_mod_sub(r.get(), a_mod.get(), b_mod.get(), q, ctx) == 1);
        if (batch::FqEncode(c, batch::FqSub(c, *fa, *fb)) != FromBn(r.get())) ++mismatches;
        REQUIRE(BN_mod_sub(r.get(), q, a_mod.get(), q, ctx) == 1);
        if (batch::FqEncode(c, batch::FqNeg(c, *fa)) != FromBn(r.get())) ++mismatches;
        ++checked;
    };
    for (const Bytes32& a : edges)
        for (const Bytes32& b : edges)
            check(a, b);
    for (int i = 0; i < 100000; ++i)
        check(values.Next(), values.Next());
    CHECK(checked == 100000 + edges.size() * edges.size());
    CHECK(mismatches == 0);

    // A u64, a Scalar and the identities 0 and 1.
    std::mt19937_64 mt(7);
    for (int i = 0; i < 1000; ++i) {
        const std::uint64_t x = i < 3 ? static_cast<std::uint64_t>(i) : mt();
        CHECK(batch::FqEncode(c, batch::FqFromU64(c, x)) == FromBn(Scalar(g, x).raw()));
    }
    DeterministicRng rng = TestRng("fq scalars");
    for (int i = 0; i < 100; ++i) {
        const Scalar s = Scalar::Random(g, rng);
        const auto fs = batch::FqEncode(c, batch::FqFromScalar(c, s));
        CHECK(Bytes(fs.begin(), fs.end()) == s.Encode());
    }
    const batch::Fq zero = batch::FqFromU64(c, 0), one = batch::FqFromU64(c, 1);
    CHECK(zero == batch::Fq{});
    const batch::Fq a = RandomFq(c, rng);
    CHECK(batch::FqMul(c, a, one) == a);
    CHECK(batch::FqMul(c, a, zero) == zero);
    CHECK(batch::FqAdd(c, a, batch::FqNeg(c, a)) == zero);
    CHECK(batch::FqNeg(c, zero) == zero);
}

SUITE_CASE("batch Fq: FqDecode refuses a wrong length and values from q up; weights are in [1, 2^128)")
{
    const test::UseSuite use(SuiteT::kId);
    const Group& g = test::G();
    const batch::Curve& c = batch::For(g);
    for (const std::size_t length : {0, 1, 31, 33, 64}) {
        const Bytes b(length, 0x01);
        const auto r = batch::FqDecode(c, b);
        REQUIRE(!r.ok());
        CHECK(r.error().code == "encoding.scalar");
    }
    Bn v(BN_dup(g.order()));
    for (int k = 0; k < 3; ++k) {  // q, q + 1, q + 2
        const auto r = batch::FqDecode(c, FromBn(v.get()));
        REQUIRE(!r.ok());
        CHECK(r.error().code == "encoding.scalar");
        REQUIRE(BN_add_word(v.get(), 1) == 1);
    }
    Bytes32 all_ones{};
    all_ones.fill(0xFF);
    CHECK(!batch::FqDecode(c, all_ones).ok());

    // Weights: 16 bytes each, big-endian; zero is drawn again.
    Bytes script(16, 0x00);       // 0: redrawn
    for (int i = 0; i < 16; ++i)  // then 00 01 02 … 0F
        script.push_back(static_cast<std::uint8_t>(i));
    for (int i = 0; i < 16; ++i)  // then 2^128 − 1
        script.push_back(0xFF);
    ScriptedRng scripted(script);
    Bytes32 expected{};
    for (int i = 0; i < 16; ++i)
        expected[16 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
    CHECK(batch::FqEncode(c, batch::FqRandomWeight(c, scripted)) == expected);
    std::fill(expected.begin() + 16, expected.end(), 0xFF);
    CHECK(batch::FqEncode(c, batch::FqRandomWeight(c, scripted)) == expected);

    DeterministicRng rng = TestRng("weights");
    int top_bit_set = 0;
    for (int i = 0; i < 1000; ++i) {
        const auto w = batch::FqEncode(c, batch::FqRandomWeight(c, rng));
        CHECK(std::all_of(w.begin(), w.begin() + 16, [](std::uint8_t b) { return b == 0; }));
        CHECK(!std::all_of(w.begin() + 16, w.end(), [](std::uint8_t b) { return b == 0; }));
        top_bit_set += (w[16] & 0x80) != 0 ? 1 : 0;
    }
    CHECK(top_bit_set > 400);  // uniform over 128 bits, not fewer
    CHECK(top_bit_set < 600);
}

// The generalised field on P-256's p (≡ −1 mod 2^64 as SM2's p, but with other limbs) and on
// P-256's q, whose −q^−1 mod 2^64 is a full 64-bit digit.
struct P256FieldPrime {
    static constexpr mont256::Limbs kModulus =
        mont256::FromHex("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF");
    static const BIGNUM* Get() { return EC_GROUP_get0_field(Group::P256().raw()); }
};
struct P256GroupOrder {
    static constexpr mont256::Limbs kModulus =
        mont256::FromHex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
    static const BIGNUM* Get() { return Group::P256().order(); }
};
static_assert(mont256::Field<P256FieldPrime>::kN0 == 1);
static_assert(mont256::Field<P256GroupOrder>::kN0 == 0xCCD1C8AAEE00BC4Full);

TEST_CASE_TEMPLATE("mont256 field of P-256's p and q: mul, sqr, add, sub, neg, inv equal BN_mod_* on 1,000,000 inputs",
                   Modulus, P256FieldPrime, P256GroupOrder)
{
    using P256Field = mont256::Field<Modulus>;
    BN_CTX* ctx = ThreadBnCtx(false);
    const BIGNUM* p = Modulus::Get();
    REQUIRE(FromBn(p) == [] {
        Bytes32 b{};
        mont256::ToBytes(Modulus::kModulus, b.data());
        return b;
    }());
    Values values(/*seed=*/1861, p);
    Bn r(BN_new()), a_mod(BN_new()), b_mod(BN_new());
    std::size_t mismatches = 0;
    auto in = [](const BIGNUM* bn) {
        Bytes32 b = FromBn(bn);
        return P256Field::ToMont(mont256::FromBytes(b.data()));
    };
    auto out = [](const mont256::Limbs& a) {
        Bytes32 b{};
        mont256::ToBytes(P256Field::FromMont(a), b.data());
        return b;
    };
    for (int i = 0; i < 1000000; ++i) {
        const Bytes32 a = values.Next(), b = values.Next();
        const Bn an = ToBn(a), bn = ToBn(b);
        REQUIRE(BN_nnmod(a_mod.get(), an.get(), p, ctx) == 1);
        REQUIRE(BN_nnmod(b_mod.get(), bn.get(), p, ctx) == 1);
        const mont256::Limbs fa = in(a_mod.get()), fb = in(b_mod.get());
        if (out(fa) != FromBn(a_mod.get())) ++mismatches;
        REQUIRE(BN_mod_mul(r.get(), a_mod.get(), b_mod.get(), p, ctx) == 1);
        if (out(P256Field::Mul(fa, fb)) != FromBn(r.get())) ++mismatches;
        REQUIRE(BN_mod_sqr(r.get(), a_mod.get(), p, ctx) == 1);
        if (out(P256Field::Sqr(fa)) != FromBn(r.get())) ++mismatches;
        REQUIRE(BN_mod_add(r.get(), a_mod.get(), b_mod.get(), p, ctx) == 1);
        if (out(P256Field::Add(fa, fb)) != FromBn(r.get())) ++mismatches;
        REQUIRE(BN_mod_sub(r.get(), a_mod.get(), b_mod.get(), p, ctx) == 1);
        if (out(P256Field::Sub(fa, fb)) != FromBn(r.get())) ++mismatches;
        REQUIRE(BN_mod_sub(r.get(), p, a_mod.get(), p, ctx) == 1);
        if (out(P256Field::Neg(fa)) != FromBn(r.get())) ++mismatches;
        if (i % 100 == 0) {  // the inversion is 300 multiplications: every 100th input
            if (BN_is_zero(a_mod.get())) {
                if (!mont256::IsZero(P256Field::Inv(fa))) ++mismatches;
            } else {
                REQUIRE(BN_mod_inverse(r.get(), a_mod.get(), p, ctx) != nullptr);
                if (out(P256Field::Inv(fa)) != FromBn(r.get())) ++mismatches;
            }
        }
    }
    CHECK(mismatches == 0);
}

Bytes Uncompressed(const Point& p)
{
    Bytes out(65);
    REQUIRE(EC_POINT_point2oct(p.group().raw(), p.raw(), POINT_CONVERSION_UNCOMPRESSED, out.data(), out.size(),
                               ThreadBnCtx(false)) == 65);
    return out;
}

// What OpenSSL accepts as a 65-byte SEC1 uncompressed point (04 prefix only: we refuse the
// hybrid forms 06 and 07, which Pingyi never writes).
bool OpenSslAcceptsUncompressed(const Group& g, ByteView bytes)
{
    if (bytes.size() != 65 || bytes[0] != 0x04) return false;
    EcPointPtr p(EC_POINT_new(g.raw()));
    return EC_POINT_oct2point(g.raw(), p.get(), bytes.data(), bytes.size(), ThreadBnCtx(false)) == 1 &&
           EC_POINT_is_on_curve(g.raw(), p.get(), ThreadBnCtx(false)) == 1;
}

SUITE_CASE("batch Decode accepts what Point::Decode and OpenSSL accept, with the same point and encodings")
{
    const test::UseSuite use(SuiteT::kId);
    const Group& g = test::G();
    const batch::Curve& c = batch::For(g);
    DeterministicRng rng = TestRng("decode");
    for (int i = 0; i < 500; ++i) {
        const Point p = i == 0 ? g.Generator() : MulBase(Scalar::Random(g, rng));
        const Bytes compressed = p.Encode();
        const Bytes uncompressed = Uncompressed(p);
        const auto a = batch::Decode(c, compressed);
        const auto b = batch::Decode(c, uncompressed);
        REQUIRE(a.ok());
        REQUIRE(b.ok());
        CHECK(a->x == b->x);
        CHECK(a->y == b->y);
        const batch::Pt f = batch::FromPoint(c, p);
        CHECK(f.x == a->x);
        CHECK(f.y == a->y);
        const auto ec = batch::EncodeCompressed(c, *a);
        const auto eu = batch::EncodeUncompressed(c, *a);
        CHECK(Bytes(ec.begin(), ec.end()) == compressed);
        CHECK(Bytes(eu.begin(), eu.end()) == uncompressed);
        CHECK(batch::ToPoint(g, c, *a) == p);
    }
}

SUITE_CASE("batch Decode refuses malformed bytes exactly where Point::Decode or OpenSSL do")
{
    const test::UseSuite use(SuiteT::kId);
    const Group& g = test::G();
    const batch::Curve& c = batch::For(g);
    std::size_t disagreements = 0, accepted = 0, refused = 0;
    auto check33 = [&](const Bytes& bytes) {
        const auto ours = batch::Decode(c, bytes);
        const auto theirs = Point::Decode(g, bytes);
        if (ours.ok() != theirs.ok()) ++disagreements;
        if (ours.ok()) {
            ++accepted;
            if (theirs.ok() && !(batch::ToPoint(g, c, *ours) == *theirs)) ++disagreements;
        } else {
            ++refused;
            CHECK(ours.error().code == "encoding.point");
        }
    };
    auto check65 = [&](const Bytes& bytes) {
        const auto ours = batch::Decode(c, bytes);
        if (ours.ok() != OpenSslAcceptsUncompressed(g, bytes)) ++disagreements;
        if (ours.ok()) {
            ++accepted;
        } else {
            ++refused;
            CHECK(ours.error().code == "encoding.point");
        }
    };
    // Random x with either prefix: about half have no square root of x³ − 3x + b.
    std::mt19937_64 mt(2026);
    Bytes b33(33), b65(65);
    for (int i = 0; i < 2000; ++i) {
        for (auto& byte : b33)
            byte = static_cast<std::uint8_t>(mt());
        b33[0] = static_cast<std::uint8_t>(0x02 | (i & 1));
        check33(b33);
    }
    CHECK(accepted > 800);
    CHECK(refused > 800);

    const BIGNUM* p = EC_GROUP_get0_field(g.raw());
    const Bytes32 p_bytes = FromBn(p);
    DeterministicRng rng = TestRng("malformed");
    for (int i = 0; i < 200; ++i) {
        const Point point = MulBase(Scalar::Random(g, rng));
        const Bytes good33 = point.Encode();
        const Bytes good65 = Uncompressed(point);
        // Every prefix byte on both lengths (02/03 on 33 bytes and 04 on 65 are the valid ones).
        if (i < 4)
            for (int prefix = 0; prefix < 256; ++prefix) {
                Bytes x = good33;
                x[0] = static_cast<std::uint8_t>(prefix);
                check33(x);
                Bytes y = good65;
                y[0] = static_cast<std::uint8_t>(prefix);
                check65(y);
            }
        // Off the curve: y + 1, y with a bit flipped.
        Bytes off = good65;
        off[64] ^= static_cast<std::uint8_t>(1u << (i % 8));
        check65(off);
        CHECK(!batch::Decode(c, off).ok());
        // The other parity is −P: accepted, and the negation.
        Bytes neg = good33;
        neg[0] ^= 1;
        check33(neg);
        // Wrong lengths.
        for (const std::size_t length : {0, 1, 32, 34, 64, 66}) {
            Bytes cut =
                length <= 65 ? Bytes(good65.begin(), good65.begin() + static_cast<std::ptrdiff_t>(length)) : good65;
            cut.resize(length);
            const auto r = batch::Decode(c, cut);
            CHECK(!r.ok());
            if (!r.ok()) CHECK(r.error().code == "encoding.point");
        }
    }
    // Coordinates not below p: x = p + k (wrapping to a small x that may be on the curve), x = 2^256 − 1,
    // y = p + y' for a point whose y' is small enough.
    for (std::uint8_t k = 0; k < 16; ++k) {
        Bn v(BN_dup(p));
        REQUIRE(BN_add_word(v.get(), k) == 1);
        if (BN_num_bytes(v.get()) > 32) continue;
        Bytes x33(33);
        const Bytes32 vb = FromBn(v.get());
        std::copy(vb.begin(), vb.end(), x33.begin() + 1);
        for (const std::uint8_t prefix : {std::uint8_t{0x02}, std::uint8_t{0x03}}) {
            x33[0] = prefix;
            check33(x33);
            CHECK(!batch::Decode(c, x33).ok());
        }
    }
    Bytes max33(33, 0xFF);
    max33[0] = 0x02;
    check33(max33);
    CHECK(!batch::Decode(c, max33).ok());
    // y ≥ p: a point's y plus p when that fits in 32 bytes, else x ≥ p in the uncompressed form.
    int y_over = 0;
    for (int i = 0; i < 200 && y_over < 5; ++i) {
        const Point point = MulBase(Scalar::Random(g, rng));
        Bytes bytes = Uncompressed(point);
        Bn y = ToBn(ByteView(bytes).subspan(33));
        REQUIRE(BN_add(y.get(), y.get(), p) == 1);
        if (BN_num_bytes(y.get()) > 32) continue;
        const Bytes32 yb = FromBn(y.get());
        std::copy(yb.begin(), yb.end(), bytes.begin() + 33);
        check65(bytes);
        CHECK(!batch::Decode(c, bytes).ok());
        ++y_over;
    }
    Bytes x_over(65, 0xFF);
    x_over[0] = 0x04;
    check65(x_over);
    std::copy(p_bytes.begin(), p_bytes.end(), x_over.begin() + 1);
    check65(x_over);
    CHECK(disagreements == 0);
}

SUITE_CASE("batch SumEach equals OpenSSL's sums, with doublings, P + (−P) and identity sums")
{
    const test::UseSuite use(SuiteT::kId);
    const Group& g = test::G();
    const batch::Curve& c = batch::For(g);
    DeterministicRng rng = TestRng("sum each");
    std::vector<Point> points;
    for (int i = 0; i < 20; ++i)
        points.push_back(MulBase(Scalar::Random(g, rng)));
    points.push_back(-points[0]);
    points.push_back(-points[1]);
    points.push_back(points[2]);
    std::vector<batch::Pt> pts;
    for (const Point& p : points)
        pts.push_back(batch::FromPoint(c, p));

    std::vector<std::vector<std::uint32_t>> sets = {
        {},                 // empty: the identity
        {3},                // one point
        {0, 20},            // P + (−P)
        {2, 22},            // P + P (a doubling inside the sum)
        {4, 4, 4},          // 3P
        {0, 1, 20, 21},     // cancels entirely
        {0, 0, 20, 20, 5},  // cancels but for one point
        {0, 20, 0},         // passes the identity on the way
        {2, 22, 2, 22},     // 4P
    };
    std::mt19937_64 mt(11);
    for (int i = 0; i < 100; ++i) {
        std::vector<std::uint32_t> set(mt() % 30);
        for (auto& index : set)
            index = static_cast<std::uint32_t>(mt() % points.size());
        sets.push_back(set);
    }
    const auto sums = batch::SumEach(c, pts, sets);
    REQUIRE(sums.size() == sets.size());
    std::size_t identities = 0;
    for (std::size_t k = 0; k < sets.size(); ++k) {
        Point expected(g);
        for (const std::uint32_t i : sets[k])
            expected += points[i];
        CHECK(sums[k].has_value() == !expected.IsIdentity());
        if (sums[k].has_value() && !expected.IsIdentity()) {
            CHECK(batch::ToPoint(g, c, *sums[k]) == expected);
            const auto enc = batch::EncodeCompressed(c, *sums[k]);
            CHECK(Bytes(enc.begin(), enc.end()) == expected.Encode());
        }
        identities += expected.IsIdentity() ? 1 : 0;
    }
    CHECK(identities >= 3);
    CHECK(batch::SumEach(c, pts, {}).empty());
    const std::vector<std::vector<std::uint32_t>> bad = {{0, 99}};
    CHECK_THROWS_AS(batch::SumEach(c, pts, bad), std::out_of_range);
}

// A random instance of n terms (weights of 128 bits for two thirds, full scalars for the
// rest, some zero) and a coefficient of G, completed by one term (−R, 1) where R is OpenSSL's
// value of the rest: the whole sum is the identity.
struct Instance {
    std::vector<Point> points;
    std::vector<batch::Fq> scalars;
    batch::Fq base{};
};

Instance IdentityInstance(const batch::Curve& c, std::size_t n, Rng& rng, std::mt19937_64& mt)
{
    const Group& g = test::G();
    Instance inst;
    for (std::size_t i = 0; i < n; ++i) {
        inst.points.push_back(i > 0 && mt() % 10 == 0 ? inst.points[mt() % i] : MulBase(Scalar::Random(g, rng)));
        const std::uint64_t kind = mt() % 12;
        inst.scalars.push_back(kind == 0  ? batch::FqFromU64(c, 0)
                               : kind < 8 ? batch::FqRandomWeight(c, rng)
                                          : RandomFq(c, rng));
    }
    inst.base = mt() % 2 == 0 ? RandomFq(c, rng) : batch::FqFromU64(c, 0);
    std::vector<Scalar> scalars;
    for (const batch::Fq& s : inst.scalars)
        scalars.push_back(ToScalar(c, s));
    std::vector<const Point*> pp;
    std::vector<const Scalar*> sp;
    for (std::size_t i = 0; i < n; ++i) {
        pp.push_back(&inst.points[i]);
        sp.push_back(&scalars[i]);
    }
    const Point r = MultiMulPublic(ToScalar(c, inst.base), pp, sp);
    if (!r.IsIdentity()) {
        inst.points.push_back(-r);
        inst.scalars.push_back(batch::FqFromU64(c, 1));
    }
    return inst;
}

bool IsIdentity(const batch::Curve& c, const Instance& inst)
{
    batch::Msm msm(c);
    for (std::size_t i = 0; i < inst.points.size(); ++i)
        msm.Add(batch::FromPoint(c, inst.points[i]), inst.scalars[i]);
    msm.AddBase(inst.base);
    CHECK(msm.size() == inst.points.size());
    return msm.IsIdentity();
}

SUITE_CASE("batch Msm: identity instances give true, any one perturbed scalar or point gives false")
{
    const test::UseSuite use(SuiteT::kId);
    const Group& g = test::G();
    const batch::Curve& c = batch::For(g);
    DeterministicRng rng = TestRng("msm");
    std::mt19937_64 mt(5);
    for (const std::size_t n : {1, 2, 3, 7, 30, 100, 400, 1500, 20000}) {
        CAPTURE(n);
        Instance inst = IdentityInstance(c, n, rng, mt);
        CHECK(IsIdentity(c, inst));
        for (int trial = 0; trial < 4; ++trial) {
            Instance bad = inst;
            const std::size_t i = mt() % bad.points.size();
            if (trial % 2 == 0) {
                bad.scalars[i] = batch::FqAdd(c, bad.scalars[i],
                                              trial == 0 ? batch::FqFromU64(c, 1) : batch::FqRandomWeight(c, rng));
            } else {
                bad.points[i] = trial == 1 ? bad.points[i] + g.Generator() : -bad.points[i];
                if (batch::FqEncode(c, bad.scalars[i]) == batch::FqEncode(c, batch::FqFromU64(c, 0)))
                    bad.scalars[i] = batch::FqFromU64(c, 3);  // a zero scalar would hide the change
            }
            CHECK_FALSE(IsIdentity(c, bad));
        }
        Instance bad_base = inst;
        bad_base.base = batch::FqAdd(c, bad_base.base, batch::FqFromU64(c, 1));
        CHECK_FALSE(IsIdentity(c, bad_base));
    }
}

SUITE_CASE("batch Msm: empty, zero scalars, duplicate points, P and −P, full-size scalars")
{
    const test::UseSuite use(SuiteT::kId);
    const Group& g = test::G();
    const batch::Curve& c = batch::For(g);
    DeterministicRng rng = TestRng("msm edges");
    const batch::Fq zero = batch::FqFromU64(c, 0), one = batch::FqFromU64(c, 1);
    const batch::Fq minus_one = batch::FqNeg(c, one);
    const Point p = MulBase(Scalar::Random(g, rng));
    const batch::Pt pt = batch::FromPoint(c, p), neg = batch::FromPoint(c, -p);
    const batch::Pt gen = batch::FromPoint(c, g.Generator());
    {
        batch::Msm msm(c);
        CHECK(msm.size() == 0);
        CHECK(msm.IsIdentity());
        msm.AddBase(zero);
        CHECK(msm.IsIdentity());
        msm.AddBase(one);
        CHECK_FALSE(msm.IsIdentity());
        msm.Add(gen, minus_one);  // G − G
        CHECK(msm.IsIdentity());
    }
    {
        batch::Msm msm(c);
        for (int i = 0; i < 100; ++i)
            msm.Add(batch::FromPoint(c, MulBase(Scalar::Random(g, rng))), zero);
        CHECK(msm.IsIdentity());
        msm.Add(pt, one);
        CHECK_FALSE(msm.IsIdentity());
    }
    {
        // P and −P with equal scalars, and P twice: the same bucket meets P + (−P) and P + P.
        batch::Msm msm(c);
        const batch::Fq s = RandomFq(c, rng), w = batch::FqRandomWeight(c, rng);
        msm.Add(pt, s);
        msm.Add(neg, s);
        msm.Add(pt, w);
        msm.Add(pt, w);
        msm.Add(pt, batch::FqNeg(c, batch::FqAdd(c, w, w)));
        CHECK(msm.IsIdentity());
        msm.Add(pt, w);
        CHECK_FALSE(msm.IsIdentity());
    }
    {
        // The same point a thousand times with 1, then −1000: every bucket sum doubles.
        batch::Msm msm(c);
        for (int i = 0; i < 1000; ++i)
            msm.Add(pt, one);
        msm.Add(pt, batch::FqNeg(c, batch::FqFromU64(c, 1000)));
        CHECK(msm.IsIdentity());
        msm.Add(neg, one);
        CHECK_FALSE(msm.IsIdentity());
    }
    {
        // Scalars q − 1 (every window's digit at its extreme), and 2^k − 1 and 2^k.
        batch::Msm msm(c);
        msm.Add(pt, minus_one);
        msm.Add(pt, one);
        batch::Fq pow = one;
        for (int k = 0; k < 256; ++k) {
            msm.Add(pt, pow);  // 2^k
            msm.Add(neg, pow);
            msm.Add(gen, batch::FqSub(c, pow, one));  // 2^k − 1
            msm.AddBase(batch::FqNeg(c, batch::FqSub(c, pow, one)));
            pow = batch::FqAdd(c, pow, pow);
        }
        CHECK(msm.IsIdentity());
        msm.AddBase(minus_one);
        CHECK_FALSE(msm.IsIdentity());
    }
    // Mismatched suites are refused.
    const Group& other = g.id() == SuiteId::P256_SHA256 ? Group::SM2() : Group::P256();
    CHECK_THROWS_AS(batch::FromPoint(c, other.Generator()), std::invalid_argument);
    CHECK_THROWS_AS(batch::FromPoint(c, Point(g)), std::invalid_argument);
}

}  // namespace
}  // namespace pingyi
