// The group of suite P256-SHA256 and the hash transcript (docs/protocol.md §2, §3).
// Constants below are the curve parameters of SEC 2 / FIPS 186-4 (curve P-256), and the
// SHA-256 digests are those of FIPS 180-2 appendix B; none is computed by the code tested.
#include <doctest/doctest.h>
#include <openssl/bn.h>
#include <openssl/ec.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/bytes.hpp"
#include "crypto/group.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "test_util.hpp"

namespace pingyi {
namespace {

using test::G;
using test::Hex;

// P-256: field prime p, coefficient b (a = -3), order q, generator (Gx, Gy).
constexpr std::string_view kP = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";
constexpr std::string_view kB = "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b";
constexpr std::string_view kQ = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
constexpr std::string_view kQPlus1 = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632552";
constexpr std::string_view kQMinus1 = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550";
constexpr std::string_view kGx = "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296";
// 2·G, x coordinate (published P-256 point-multiplication vectors, k = 2); y is odd.
constexpr std::string_view k2Gx = "7cf27b188d034f7e8a52380304b51ac3c08969e277f21b35a60b48fc47669978";

Bytes Concat(ByteView a, ByteView b)
{
    Bytes out(a.begin(), a.end());
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

Scalar Dec(std::string_view hex)
{
    auto s = Scalar::Decode(G(), Hex(hex));
    REQUIRE(s.ok());
    return std::move(s).value();
}

struct BnCtxFree {
    void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};

BnPtr BnFromBytes(ByteView b)
{
    BnPtr bn(BN_bin2bn(b.data(), static_cast<int>(b.size()), nullptr));
    REQUIRE(bn);
    return bn;
}

// Independent of Point::Decode: whether x^3 - 3x + b is a square mod p (Euler's criterion).
bool XIsOnCurve(std::uint32_t x_small)
{
    std::unique_ptr<BN_CTX, BnCtxFree> ctx(BN_CTX_new());
    BnPtr p = BnFromBytes(Hex(kP));
    BnPtr b = BnFromBytes(Hex(kB));
    BnPtr x(BN_new()), rhs(BN_new()), t(BN_new()), e(BN_new()), one(BN_new());
    REQUIRE((ctx && x && rhs && t && e && one));
    REQUIRE(BN_set_word(x.get(), x_small) == 1);
    REQUIRE(BN_set_word(one.get(), 1) == 1);
    // rhs = x^3 - 3x + b
    REQUIRE(BN_mod_sqr(t.get(), x.get(), p.get(), ctx.get()) == 1);
    REQUIRE(BN_mod_mul(rhs.get(), t.get(), x.get(), p.get(), ctx.get()) == 1);
    REQUIRE(BN_mul_word(x.get(), 3) == 1);
    REQUIRE(BN_mod_sub(rhs.get(), rhs.get(), x.get(), p.get(), ctx.get()) == 1);
    REQUIRE(BN_mod_add(rhs.get(), rhs.get(), b.get(), p.get(), ctx.get()) == 1);
    // e = (p - 1) / 2 ; rhs^e == 1 for a non-zero square
    REQUIRE(BN_sub(e.get(), p.get(), one.get()) == 1);
    REQUIRE(BN_rshift1(e.get(), e.get()) == 1);
    REQUIRE(BN_mod_exp(t.get(), rhs.get(), e.get(), p.get(), ctx.get()) == 1);
    return BN_is_one(t.get()) == 1;
}

Bytes CompressedX(std::uint8_t prefix, std::uint32_t x)
{
    Bytes out(kPointSize, 0);
    out[0] = prefix;
    for (int i = 0; i < 4; ++i)
        out[kPointSize - 1 - static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(x >> (8 * i));
    return out;
}

// An Rng that returns the given blocks in order, one per Fill.
class ScriptedRng final : public Rng {
  public:
    explicit ScriptedRng(std::vector<Bytes> blocks) : m_blocks(std::move(blocks)) {}
    void Fill(std::span<std::uint8_t> out) override
    {
        REQUIRE(m_next < m_blocks.size());
        REQUIRE(out.size() == m_blocks[m_next].size());
        std::copy(m_blocks[m_next].begin(), m_blocks[m_next].end(), out.begin());
        ++m_next;
    }
    [[nodiscard]] std::size_t used() const { return m_next; }

  private:
    std::vector<Bytes> m_blocks;
    std::size_t m_next = 0;
};

}  // namespace

// ---- Scalars ----

TEST_CASE("a scalar of 32 bytes below q decodes and encodes back to the same bytes")
{
    for (std::string_view hex :
         {std::string_view("0000000000000000000000000000000000000000000000000000000000000000"),
          std::string_view("0000000000000000000000000000000000000000000000000000000000000001"), kQMinus1, kGx}) {
        CAPTURE(hex);
        auto s = Scalar::Decode(G(), Hex(hex));
        REQUIRE(s.ok());
        CHECK(ToHex(s->Encode()) == hex);
    }
}

TEST_CASE("a scalar made from a small integer encodes as 32 big-endian bytes")
{
    CHECK(ToHex(Scalar(G(), 0x0102).Encode()) == "0000000000000000000000000000000000000000000000000000000000000102");
    CHECK(Scalar(G()).IsZero());
    CHECK(Scalar(G(), 0).IsZero());
    CHECK_FALSE(Scalar(G(), 1).IsZero());
}

TEST_CASE("scalar decoding rejects a wrong length")
{
    for (std::size_t len : {0u, 1u, 31u, 33u, 64u}) {
        CAPTURE(len);
        const Bytes b(len, 0x01);
        auto s = Scalar::Decode(G(), b);
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "encoding.scalar");
    }
}

TEST_CASE("scalar decoding rejects q, q+1 and 2^256-1 but accepts q-1")
{
    for (std::string_view hex : {kQ, kQPlus1,
                                 std::string_view("ffffffffffffffffffffffffffffffff"
                                                  "ffffffffffffffffffffffffffffffff")}) {
        CAPTURE(hex);
        auto s = Scalar::Decode(G(), Hex(hex));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "encoding.scalar");
    }
    CHECK(Scalar::Decode(G(), Hex(kQMinus1)).ok());
}

TEST_CASE("q-1 plus one is zero and the negation of one is q-1")
{
    const Scalar q_minus_1 = Dec(kQMinus1);
    CHECK((q_minus_1 + Scalar(G(), 1)).IsZero());
    CHECK(-Scalar(G(), 1) == q_minus_1);
    CHECK(Scalar(G(), 0) - Scalar(G(), 1) == q_minus_1);
    CHECK(q_minus_1 * q_minus_1 == Scalar(G(), 1));  // (-1)·(-1) = 1
}

TEST_CASE("scalar arithmetic obeys the field identities on random values")
{
    Rng& rng = SystemRng();
    const Scalar zero(G());
    const Scalar one(G(), 1);
    for (int round = 0; round < 20; ++round) {
        const Scalar a = Scalar::Random(G(), rng);
        const Scalar b = Scalar::Random(G(), rng);
        const Scalar c = Scalar::Random(G(), rng);
        CHECK((a + b) - b == a);
        CHECK(a + b == b + a);
        CHECK(a * b == b * a);
        CHECK(a * (b + c) == a * b + a * c);
        CHECK((a * b) * c == a * (b * c));
        CHECK((-a + a).IsZero());
        CHECK(a + zero == a);
        CHECK(a * one == a);
        CHECK((a * zero).IsZero());
        CHECK_FALSE(a == a + one);
        Scalar acc = a;
        acc += b;
        CHECK(acc == a + b);
    }
}

TEST_CASE("small scalars add and multiply like integers")
{
    CHECK(Scalar(G(), 20) + Scalar(G(), 22) == Scalar(G(), 42));
    CHECK(Scalar(G(), 6) * Scalar(G(), 7) == Scalar(G(), 42));
    CHECK(Scalar(G(), 50) - Scalar(G(), 8) == Scalar(G(), 42));
    CHECK_FALSE(Scalar(G(), 41) == Scalar(G(), 42));
}

TEST_CASE("a copied scalar is independent of the original")
{
    Scalar a(G(), 5);
    Scalar b = a;
    b += Scalar(G(), 1);
    CHECK(a == Scalar(G(), 5));
    CHECK(b == Scalar(G(), 6));
    Scalar c(G());
    c = a;
    CHECK(c == a);
    Scalar moved = std::move(b);
    b = a;  // assigning to a moved-from scalar revives it
    CHECK(b == a);
    CHECK(moved == Scalar(G(), 6));
}

TEST_CASE("random scalars are non-zero, canonical, repeatable from a seed and distinct otherwise")
{
    const Bytes seed = Hex("00112233");
    DeterministicRng rng1(seed);
    DeterministicRng rng2(seed);
    DeterministicRng other(Hex("00112234"));
    for (int i = 0; i < 10; ++i) {
        const Scalar a = Scalar::Random(G(), rng1);
        const Scalar b = Scalar::Random(G(), rng2);
        const Scalar c = Scalar::Random(G(), other);
        CHECK(a == b);
        CHECK_FALSE(a == c);
        CHECK_FALSE(a.IsZero());
        CHECK(Scalar::Decode(G(), a.Encode()).ok());
    }
    const Scalar x = Scalar::Random(G(), SystemRng());
    const Scalar y = Scalar::Random(G(), SystemRng());
    CHECK_FALSE(x == y);
}

TEST_CASE("Scalar::Random rejects a draw of q or of zero and draws again")
{
    ScriptedRng rng({Hex(kQ), Bytes(kScalarSize, 0), Hex(kQPlus1),
                     Hex("0000000000000000000000000000000000000000000000000000000000000007")});
    const Scalar s = Scalar::Random(G(), rng);
    CHECK(s == Scalar(G(), 7));
    CHECK(rng.used() == 4);
}

TEST_CASE("Scalar::Reduce takes a long big-endian integer mod q")
{
    CHECK(Scalar::Reduce(G(), Hex(kQ)).IsZero());
    CHECK(Scalar::Reduce(G(), Hex(kQPlus1)) == Scalar(G(), 1));
    // q·2^256 + 5 as 64 bytes reduces to 5.
    Bytes wide = Hex(kQ);
    const Bytes low = Hex("0000000000000000000000000000000000000000000000000000000000000005");
    wide.insert(wide.end(), low.begin(), low.end());
    CHECK(Scalar::Reduce(G(), wide) == Scalar(G(), 5));
}

// ---- Points ----

TEST_CASE("the generator encodes as the standard compressed P-256 base point")
{
    CHECK(ToHex(G().Generator().Encode()) == "03" + std::string(kGx));
    CHECK(MulBase(Scalar(G(), 1)) == G().Generator());
    CHECK(G().Name() == "P256-SHA256");
    CHECK(G().id() == SuiteId::P256_SHA256);
}

TEST_CASE("2·G matches the published P-256 multiplication vector")
{
    const Point two_g = SmallMulBase(G(), 2);
    CHECK(ToHex(two_g.Encode()) == "03" + std::string(k2Gx));
    CHECK(two_g == G().Generator() + G().Generator());
    CHECK(two_g == G().Generator() * Scalar(G(), 2));
}

TEST_CASE("(q-1)·G is -G and q·G would be the identity")
{
    const Point minus_g = MulBase(Dec(kQMinus1));
    CHECK(minus_g == -G().Generator());
    CHECK((minus_g + G().Generator()).IsIdentity());
    CHECK(MulBase(Scalar(G())).IsIdentity());
    // -G has the same x as G and the other parity.
    const Bytes enc = minus_g.Encode();
    CHECK(enc[0] == 0x02);
    CHECK(ToHex(ByteView(enc).subspan(1)) == kGx);
}

TEST_CASE("a random point survives encode and decode")
{
    for (int i = 0; i < 10; ++i) {
        const Point p = MulBase(Scalar::Random(G(), SystemRng()));
        const Bytes enc = p.Encode();
        REQUIRE(enc.size() == kPointSize);
        CHECK((enc[0] == 0x02 || enc[0] == 0x03));
        auto back = Point::Decode(G(), enc);
        REQUIRE(back.ok());
        CHECK(*back == p);
        CHECK(back->Encode() == enc);
    }
}

TEST_CASE("point decoding rejects a wrong length")
{
    const Bytes good = G().Generator().Encode();
    for (std::size_t len : {0u, 1u, 32u, 34u, 65u}) {
        CAPTURE(len);
        Bytes b = good;
        b.resize(len, 0x01);
        auto p = Point::Decode(G(), b);
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().code == "encoding.point");
    }
}

TEST_CASE("point decoding rejects prefixes other than 0x02 and 0x03")
{
    const Bytes good = G().Generator().Encode();
    for (std::uint8_t prefix : {std::uint8_t{0x00}, std::uint8_t{0x01}, std::uint8_t{0x04}, std::uint8_t{0x06},
                                std::uint8_t{0x07}, std::uint8_t{0xff}}) {
        CAPTURE(int{prefix});
        Bytes b = good;
        b[0] = prefix;
        auto p = Point::Decode(G(), b);
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().code == "encoding.point");
    }
    // The uncompressed encoding of G (65 bytes) is not accepted either.
    const Bytes uncompressed =
        Hex("04" + std::string(kGx) + "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
    CHECK_FALSE(Point::Decode(G(), uncompressed).ok());
    // A single zero byte (SEC1's encoding of the identity) is not a point.
    CHECK_FALSE(Point::Decode(G(), Bytes{0x00}).ok());
}

TEST_CASE("point decoding accepts exactly the x values that lie on the curve")
{
    int on = 0;
    int off = 0;
    for (std::uint32_t x = 1; x <= 40; ++x) {
        CAPTURE(x);
        const bool expected = XIsOnCurve(x);
        for (std::uint8_t prefix : {std::uint8_t{0x02}, std::uint8_t{0x03}}) {
            auto p = Point::Decode(G(), CompressedX(prefix, x));
            CHECK(p.ok() == expected);
            if (p.ok()) {
                CHECK(p->Encode() == CompressedX(prefix, x));
            } else {
                CHECK(p.error().code == "encoding.point");
            }
        }
        (expected ? on : off) += 1;
    }
    // Both kinds must have been exercised for the test to mean anything.
    CHECK(on > 0);
    CHECK(off > 0);
}

TEST_CASE("the two points with the same x are each other's negation")
{
    std::uint32_t x = 1;
    while (!XIsOnCurve(x))
        ++x;
    auto even = Point::Decode(G(), CompressedX(0x02, x));
    auto odd = Point::Decode(G(), CompressedX(0x03, x));
    REQUIRE(even.ok());
    REQUIRE(odd.ok());
    CHECK_FALSE(*even == *odd);
    CHECK(*even == -*odd);
}

TEST_CASE("point decoding rejects x >= p even when x - p lies on the curve")
{
    std::uint32_t x0 = 1;
    while (!XIsOnCurve(x0))
        ++x0;
    REQUIRE(Point::Decode(G(), CompressedX(0x02, x0)).ok());

    // x0 + p: p ends in 32 one bits, so add x0 to its low bits by hand (no carry past 2^256).
    Bytes x_plus_p = Hex(kP);
    std::uint64_t carry = x0;
    for (std::size_t i = x_plus_p.size(); i-- > 0 && carry != 0;) {
        carry += x_plus_p[i];
        x_plus_p[i] = static_cast<std::uint8_t>(carry);
        carry >>= 8;
    }
    REQUIRE(carry == 0);
    for (std::uint8_t prefix : {std::uint8_t{0x02}, std::uint8_t{0x03}}) {
        for (const Bytes& x : {x_plus_p, Hex(kP), Bytes(32, 0xff)}) {
            Bytes enc{prefix};
            enc.insert(enc.end(), x.begin(), x.end());
            CAPTURE(ToHex(enc));
            auto p = Point::Decode(G(), enc);
            REQUIRE_FALSE(p.ok());
            CHECK(p.error().code == "encoding.point");
        }
    }
}

TEST_CASE("the identity has no encoding")
{
    const Point identity(G());
    CHECK(identity.IsIdentity());
    CHECK_THROWS_AS((void)identity.Encode(), std::logic_error);
    const Point g = G().Generator();
    const Point zero = g - g;
    CHECK(zero.IsIdentity());
    CHECK(zero == identity);
    CHECK_THROWS_AS((void)zero.Encode(), std::logic_error);
    CHECK_FALSE(g.IsIdentity());
}

TEST_CASE("point addition has the identity as neutral element and is commutative")
{
    const Point p = MulBase(Scalar::Random(G(), SystemRng()));
    const Point q = MulBase(Scalar::Random(G(), SystemRng()));
    const Point identity(G());
    CHECK(p + identity == p);
    CHECK(identity + p == p);
    CHECK(p + q == q + p);
    CHECK((p + q) - q == p);
    CHECK((p - p).IsIdentity());
    CHECK(p + p == p * Scalar(G(), 2));
    Point acc = p;
    acc += q;
    CHECK(acc == p + q);
    CHECK_FALSE(p == q);
}

TEST_CASE("MulBase is a homomorphism: (a+b)·G = a·G + b·G and (a·b)·G = a·(b·G)")
{
    for (int i = 0; i < 10; ++i) {
        const Scalar a = Scalar::Random(G(), SystemRng());
        const Scalar b = Scalar::Random(G(), SystemRng());
        CHECK(MulBase(a + b) == MulBase(a) + MulBase(b));
        CHECK(MulBase(a - b) == MulBase(a) - MulBase(b));
        CHECK(MulBase(-a) == -MulBase(a));
        CHECK(MulBase(a * b) == MulBase(b) * a);
        CHECK(G().Generator() * a == MulBase(a));
    }
}

TEST_CASE("SmallMulBase(m) equals m repeated additions of G")
{
    Point acc(G());
    for (std::uint64_t m = 0; m <= 20; ++m) {
        CAPTURE(m);
        CHECK(SmallMulBase(G(), m) == acc);
        acc += G().Generator();
    }
}

TEST_CASE("MulBaseAddPublic(a, P, b) equals a·G + b·P")
{
    for (int i = 0; i < 5; ++i) {
        const Scalar a = Scalar::Random(G(), SystemRng());
        const Scalar b = Scalar::Random(G(), SystemRng());
        const Point p = MulBase(Scalar::Random(G(), SystemRng()));
        CHECK(MulBaseAddPublic(a, p, b) == MulBase(a) + p * b);
    }
    const Point p = SmallMulBase(G(), 3);
    CHECK(MulBaseAddPublic(Scalar(G(), 2), p, Scalar(G(), 5)) == SmallMulBase(G(), 17));
}

TEST_CASE("MultiMulPublic equals the sum of separate multiplications")
{
    for (std::size_t n : {0u, 1u, 2u, 5u}) {
        CAPTURE(n);
        std::vector<Point> points;
        std::vector<Scalar> scalars;
        for (std::size_t i = 0; i < n; ++i) {
            points.push_back(MulBase(Scalar::Random(G(), SystemRng())));
            scalars.push_back(Scalar::Random(G(), SystemRng()));
        }
        std::vector<const Point*> pp;
        std::vector<const Scalar*> sp;
        for (std::size_t i = 0; i < n; ++i) {
            pp.push_back(&points[i]);
            sp.push_back(&scalars[i]);
        }
        const Scalar a = Scalar::Random(G(), SystemRng());
        Point expected = MulBase(a);
        for (std::size_t i = 0; i < n; ++i)
            expected += points[i] * scalars[i];
        CHECK(MultiMulPublic(a, pp, sp) == expected);
    }
    // Small values: 1·G + 2·(3G) + 4·(5G) = 27·G.
    const Point p3 = SmallMulBase(G(), 3);
    const Point p5 = SmallMulBase(G(), 5);
    const Scalar s2(G(), 2);
    const Scalar s4(G(), 4);
    const Point* pts[2] = {&p3, &p5};
    const Scalar* scs[2] = {&s2, &s4};
    CHECK(MultiMulPublic(Scalar(G(), 1), pts, scs) == SmallMulBase(G(), 27));
}

TEST_CASE("MultiMulPublic refuses points and scalars of different counts")
{
    const Point p = G().Generator();
    const Scalar s(G(), 1);
    const Point* pts[2] = {&p, &p};
    const Scalar* scs[1] = {&s};
    CHECK_THROWS_AS((void)MultiMulPublic(s, pts, scs), std::invalid_argument);
}

TEST_CASE("a copied point is independent of the original")
{
    Point a = G().Generator();
    Point b = a;
    b += G().Generator();
    CHECK(a == G().Generator());
    CHECK(b == SmallMulBase(G(), 2));
    Point c(G());
    c = b;
    CHECK(c == b);
}

SUITE_CASE("a point keeps its encoding only while it is that point")
{
    const test::UseSuite use(SuiteT::kId);
    // Computed points encode through OpenSSL; a decoded one returns its bytes.
    const Point p = MulBase(Scalar::Random(G(), SystemRng()));
    const Bytes enc = p.Encode();
    Point d = Point::Decode(G(), enc).value();
    CHECK(d.Encode() == enc);
    // Negation flips the kept prefix: compare with a negation computed without any cache.
    const Point minus_p = p * (-Scalar(G(), 1));
    CHECK((-d).Encode() == minus_p.Encode());
    CHECK((-(-d)).Encode() == enc);
    // A copy keeps it, arithmetic makes a new point, and writing through mutable_raw forgets it.
    Point copy = d;
    CHECK(copy.Encode() == enc);
    copy += G().Generator();
    CHECK(copy.Encode() == (p + G().Generator()).Encode());
    Point written = d;
    REQUIRE(EC_POINT_copy(written.mutable_raw(), G().Generator().raw()) == 1);
    CHECK(written.Encode() == G().Generator().Encode());
    // KeepEncoding on a computed point gives what Encode gave.
    Point kept = p + p;
    const Bytes twice = (p + p).Encode();
    kept.KeepEncoding();
    CHECK(kept.Encode() == twice);
    CHECK((-kept).Encode() == (-(p + p)).Encode());
    // Both forms come from one computation of x and y: each is what OpenSSL writes from
    // scratch, for many points (y of either parity), and a negated kept point, whose kept y
    // would be wrong, gives the other y.
    for (int i = 0; i < 64; ++i) {
        const Point q = MulBase(Scalar::Random(G(), SystemRng())) + G().Generator();
        Point k = q;
        k.KeepEncoding();
        CHECK(k.Encode() == q.Encode());
        CHECK(k.EncodeUncompressed() == q.EncodeUncompressed());
        CHECK(k.EncodeUncompressed()[64] % 2 == k.Encode()[0] - 2);
        const Point neg = -k;
        CHECK(neg.EncodeUncompressed() == (-q).EncodeUncompressed());
        CHECK(neg.EncodeUncompressed() != k.EncodeUncompressed());
        // Written through mutable_raw, it forgets both.
        REQUIRE(EC_POINT_copy(k.mutable_raw(), G().Generator().raw()) == 1);
        CHECK(k.EncodeUncompressed() == G().Generator().EncodeUncompressed());
    }
    // A 65-byte decoding keeps both forms: they come back byte for byte.
    const Bytes full = (p + p).EncodeUncompressed();
    const Point from_full = Point::DecodeUncompressed(G(), full).value();
    CHECK(from_full.EncodeUncompressed() == full);
    CHECK(from_full.Encode() == twice);
}

SUITE_CASE("RandomMany draws the same scalars as as many calls of Random, from one call to the generator")
{
    const test::UseSuite use(SuiteT::kId);
    const Bytes seed = {1, 2, 3};
    DeterministicRng one_by_one(seed), at_once(seed);
    std::vector<Bytes> expected;
    for (int i = 0; i < 7; ++i)
        expected.push_back(Scalar::Random(G(), one_by_one).Encode());
    const auto drawn = Scalar::RandomMany(G(), at_once, 7);
    REQUIRE(drawn.size() == 7);
    for (std::size_t i = 0; i < 7; ++i) {
        CHECK(drawn[i].Encode() == expected[i]);
        CHECK(drawn[i].secret());
    }
    // Both generators are at the same place afterwards.
    CHECK(Scalar::Random(G(), one_by_one).Encode() == Scalar::Random(G(), at_once).Encode());

    // A draw of q itself (out of range) is skipped and the next one taken, as Random does.
    class Scripted final : public Rng {
      public:
        explicit Scripted(std::vector<Bytes> draws) : m_draws(std::move(draws)) {}
        void Fill(std::span<std::uint8_t> out) override
        {
            for (auto& b : out) {
                REQUIRE(m_next < m_draws.size() * kScalarSize);
                b = m_draws[m_next / kScalarSize][m_next % kScalarSize];
                ++m_next;
            }
        }

      private:
        std::vector<Bytes> m_draws;
        std::size_t m_next = 0;
    };
    Bytes q(kScalarSize);
    REQUIRE(BN_bn2binpad(G().order(), q.data(), static_cast<int>(q.size())) == static_cast<int>(kScalarSize));
    const Bytes a = Scalar(G(), 5).Encode(), b = Scalar(G(), 7).Encode(), c = Scalar(G(), 11).Encode();
    Scripted rng({a, q, b, c});
    const auto got = Scalar::RandomMany(G(), rng, 3);
    REQUIRE(got.size() == 3);
    CHECK(got[0] == Scalar(G(), 5));
    CHECK(got[1] == Scalar(G(), 7));
    CHECK(got[2] == Scalar(G(), 11));
}

// ---- Hashing ----

TEST_CASE("Sha256 matches the FIPS 180-2 test vectors")
{
    CHECK(ToHex(Sha256(AsBytes(""))) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(ToHex(Sha256(AsBytes("abc"))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(ToHex(Sha256(AsBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))) ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("a transcript is the tag and each item with a 4-byte big-endian length prefix")
{
    Transcript t("tag");
    t.Add(AsBytes("ab")).Add(std::string_view("")).AddU32(0x01020304);
    // LP("tag") || LP("ab") || LP("") || LP(be32(0x01020304))
    CHECK(ToHex(t.message()) ==
          "00000003746167"
          "000000026162"
          "00000000"
          "0000000401020304");
    CHECK(t.Hash() == Sha256(t.message()));
}

TEST_CASE("points and scalars enter a transcript as their canonical encodings")
{
    const Point p = SmallMulBase(G(), 9);
    const Scalar s(G(), 9);
    Transcript a("t");
    a.Add(p).Add(s);
    Transcript b("t");
    b.Add(p.Encode()).Add(s.Encode());
    CHECK(a.message() == b.message());
}

TEST_CASE("the length prefix separates items: (ab, c), (a, bc) and (abc) hash differently")
{
    Transcript ab_c("pingyi/v1/test");
    ab_c.Add(std::string_view("ab")).Add(std::string_view("c"));
    Transcript a_bc("pingyi/v1/test");
    a_bc.Add(std::string_view("a")).Add(std::string_view("bc"));
    Transcript abc("pingyi/v1/test");
    abc.Add(std::string_view("abc"));
    Transcript abc_empty("pingyi/v1/test");
    abc_empty.Add(std::string_view("abc")).Add(std::string_view(""));

    CHECK(ab_c.Hash() != a_bc.Hash());
    CHECK(ab_c.Hash() != abc.Hash());
    CHECK(a_bc.Hash() != abc.Hash());
    CHECK(abc.Hash() != abc_empty.Hash());
    CHECK_FALSE(ab_c.ToScalar(G()) == a_bc.ToScalar(G()));
    CHECK_FALSE(abc.ToScalar(G()) == abc_empty.ToScalar(G()));
}

TEST_CASE("the tag separates domains: the same items under different tags hash differently")
{
    Transcript a("pingyi/v1/range-proof");
    a.Add(std::string_view("x"));
    Transcript b("pingyi/v1/constant-proof");
    b.Add(std::string_view("x"));
    // A tag cannot be shifted into the first item either.
    Transcript c("pingyi/v1/range-proofx");
    Transcript d("pingyi/v1/range-proof");
    d.Add(std::string_view("x"));
    CHECK(a.Hash() != b.Hash());
    CHECK(c.Hash() != d.Hash());
    CHECK_FALSE(a.ToScalar(G()) == b.ToScalar(G()));
}

TEST_CASE("H_q is deterministic and equals SHA-256(01||M)||SHA-256(02||M) reduced mod q")
{
    std::unique_ptr<BN_CTX, BnCtxFree> ctx(BN_CTX_new());
    REQUIRE(ctx);
    const BnPtr q = BnFromBytes(Hex(kQ));
    for (int i = 0; i < 20; ++i) {
        Bytes item(static_cast<std::size_t>(i) * 7);
        SystemRng().Fill(item);
        Transcript t("pingyi/v1/test");
        t.Add(item).AddU32(static_cast<std::uint32_t>(i));
        Transcript same("pingyi/v1/test");
        same.Add(item).AddU32(static_cast<std::uint32_t>(i));

        const Scalar s = t.ToScalar(G());
        CHECK(s == same.ToScalar(G()));
        CHECK(s == t.ToScalar(G()));
        // Canonical, hence < q.
        CHECK(Scalar::Decode(G(), s.Encode()).ok());

        const Bytes hi = [&] {
            Bytes m{0x01};
            AppendBytes(m, t.message());
            const Digest d = Sha256(m);
            return Bytes(d.begin(), d.end());
        }();
        const Bytes lo = [&] {
            Bytes m{0x02};
            AppendBytes(m, t.message());
            const Digest d = Sha256(m);
            return Bytes(d.begin(), d.end());
        }();
        BnPtr wide = BnFromBytes(Concat(hi, lo));
        BnPtr r(BN_new());
        REQUIRE(r);
        REQUIRE(BN_mod(r.get(), wide.get(), q.get(), ctx.get()) == 1);
        Bytes expected(kScalarSize);
        REQUIRE(BN_bn2binpad(r.get(), expected.data(), static_cast<int>(expected.size())) ==
                static_cast<int>(kScalarSize));
        CHECK(ToHex(s.Encode()) == ToHex(expected));
    }
}

TEST_CASE("H_q spreads over the whole range: many outputs have a high top byte")
{
    // A reduction bug that truncated to fewer bits would keep every top byte small.
    int high = 0;
    for (std::uint32_t i = 0; i < 64; ++i) {
        Transcript t("pingyi/v1/test");
        t.AddU32(i);
        if (t.ToScalar(G()).Encode()[0] >= 0x80) ++high;
    }
    CHECK(high > 10);
    CHECK(high < 54);
}

}  // namespace pingyi
