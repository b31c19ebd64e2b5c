// Fixed-base tables (crypto/fixed_base.hpp): every multiplication through a table equals
// OpenSSL's own variable-base multiplication (Point * Scalar, its Montgomery ladder, which
// knows nothing of the tables) for special, structured and thousands of random scalars, in
// both suites, with Pingyi's comb and with the method each suite uses by default.
#include <doctest/doctest.h>
#include <openssl/bn.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/fixed_base.hpp"
#include "crypto/random.hpp"
#include "test_util.hpp"

namespace pingyi {
namespace {

using test::G;

// q − x for a small x.
Scalar QMinus(std::uint64_t x)
{
    return -Scalar(G(), x);
}

// 2^e mod q.
Scalar PowerOfTwo(unsigned e)
{
    Scalar r(G(), 1);
    for (unsigned i = 0; i < e; ++i)
        r = r + r;
    return r;
}

// The comb's last step adds d·2^248·B (d the top digit) to the sum of the other 31 digits,
// an integer a with |a| < 2^248. It meets the running sum itself (a doubling inside
// EC_POINT_add) only for a = d·2^248 − q, i.e. s = 510·2^248 − q (top digit 255) and its
// negation q − s; and the identity only for s = 0. Those and their neighbours.
std::vector<Scalar> DoublingCases()
{
    std::vector<Scalar> out;
    const Scalar s = Scalar(G(), 510) * PowerOfTwo(248);  // 510·2^248 − q
    for (std::uint64_t delta = 0; delta < 5; ++delta) {
        out.push_back(s + Scalar(G(), delta));
        out.push_back(s - Scalar(G(), delta));
        out.push_back(-(s + Scalar(G(), delta)));
        out.push_back(-(s - Scalar(G(), delta)));
    }
    return out;
}

std::vector<Scalar> SpecialScalars()
{
    std::vector<Scalar> out;
    for (std::uint64_t v = 0; v <= 300; ++v)
        out.emplace_back(G(), v);
    for (std::uint64_t v = 1; v <= 40; ++v)
        out.push_back(QMinus(v));
    const Scalar half = Scalar(G(), 2).Inverse();  // (q+1)/2
    out.push_back(half);
    out.push_back(half - Scalar(G(), 1));  // (q−1)/2
    for (unsigned e = 0; e < 256; ++e) {
        const Scalar p = PowerOfTwo(e);
        out.push_back(p);
        out.push_back(p - Scalar(G(), 1));
        out.push_back(-p);
        out.push_back(p + Scalar(G(), 1));
    }
    // Every 8-bit window set to 0x00, 0x80, 0xff… : the digits' boundaries.
    for (const int fill : {0x00, 0x01, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x55, 0xaa}) {
        Bytes b(kScalarSize, static_cast<std::uint8_t>(fill));
        out.push_back(Scalar::Reduce(G(), b));
    }
    for (Scalar& s : DoublingCases())
        out.push_back(std::move(s));
    return out;
}

void CheckTable(const FixedBase& table, const std::vector<Scalar>& scalars)
{
    for (const Scalar& s : scalars) {
        const Point expected = table.base() * s;
        const Point got = table.Mul(s);
        CHECK(got == expected);
        if (!s.IsZero()) {
            CHECK_FALSE(got.IsIdentity());
            CHECK(got.Encode() == expected.Encode());
        } else {
            CHECK(got.IsIdentity());
        }
    }
}

std::vector<Scalar> RandomScalars(std::size_t n)
{
    std::vector<Scalar> out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(Scalar::Random(G(), SystemRng()));
    return out;
}

}  // namespace

SUITE_CASE("Pingyi's comb for G equals OpenSSL's multiplication for special and random scalars")
{
    const test::UseSuite use(SuiteT::kId);
    const FixedBase comb(G().Generator(), FixedBase::Method::kComb);
    REQUIRE(comb.uses_comb());
    CheckTable(comb, SpecialScalars());
    CheckTable(comb, RandomScalars(1500));
}

SUITE_CASE("Pingyi's comb for an election key equals OpenSSL's multiplication")
{
    const test::UseSuite use(SuiteT::kId);
    for (int key = 0; key < 2; ++key) {
        const Point k = G().Generator() * Scalar::Random(G(), SystemRng());
        const FixedBase comb(k, FixedBase::Method::kComb);
        REQUIRE(comb.uses_comb());
        CheckTable(comb, SpecialScalars());
        CheckTable(comb, RandomScalars(750));
    }
}

SUITE_CASE("MulBase and each suite's table for K equal OpenSSL's multiplication")
{
    const test::UseSuite use(SuiteT::kId);
    // SM2 uses the comb for G and K; P-256 OpenSSL's precomputed tables.
    const bool sm2 = SuiteT::kId == SuiteId::SM2_SM3;
    CHECK(FixedBase::Generator(G()).uses_comb() == sm2);
    for (const Scalar& s : SpecialScalars())
        CHECK(MulBase(s) == G().Generator() * s);
    for (const Scalar& s : RandomScalars(1000))
        CHECK(MulBase(s) == G().Generator() * s);
    const Point k = G().Generator() * Scalar::Random(G(), SystemRng());
    const auto table = KeyTable(k);
    CHECK(table->uses_comb() == sm2);
    CheckTable(*table, SpecialScalars());
    CheckTable(*table, RandomScalars(1000));
}

SUITE_CASE("a table's public double multiplication equals a·B + b·P")
{
    const test::UseSuite use(SuiteT::kId);
    const Point k = G().Generator() * Scalar::Random(G(), SystemRng());
    for (const FixedBase* table : {&FixedBase::Generator(G()), KeyTable(k).get()}) {
        for (int i = 0; i < 50; ++i) {
            const Scalar a = Scalar::Random(G(), SystemRng()), b = Scalar::Random(G(), SystemRng());
            const Point p = G().Generator() * Scalar::Random(G(), SystemRng());
            CHECK(table->MulAddPublic(a, p, b) == table->base() * a + p * b);
        }
        CHECK(table->MulAddPublic(Scalar(G()), k, Scalar(G(), 1)) == k);
        CHECK(table->MulAddPublic(Scalar(G(), 1), k, Scalar(G())) == table->base());
    }
    CHECK(MulBaseAddPublic(Scalar(G(), 2), k, Scalar(G(), 3)) == SmallMulBase(G(), 2) + k * Scalar(G(), 3));
}

SUITE_CASE("the key tables are built once per key and refuse the identity")
{
    const test::UseSuite use(SuiteT::kId);
    const Point k = G().Generator() * Scalar::Random(G(), SystemRng());
    const Point same = Point::Decode(G(), k.Encode()).value();  // another representation
    const auto t1 = KeyTable(k);
    CHECK(KeyTable(same) == t1);
    CHECK(t1->base() == k);
    const Point other = k + G().Generator();
    CHECK(KeyTable(other) != t1);
    CHECK(KeyTable(other)->base() == other);
    CHECK_THROWS_AS(FixedBase(Point(G())), std::invalid_argument);
    CHECK_THROWS_AS(FixedBase(Point(G()), FixedBase::Method::kComb), std::invalid_argument);
}

SUITE_CASE("the other suite's key gets its own table")
{
    const test::UseSuite use(SuiteT::kId);
    const Group& other = Group::Get(SuiteT::kId == SuiteId::SM2_SM3 ? SuiteId::P256_SHA256 : SuiteId::SM2_SM3);
    const Scalar s(G(), 12345);
    const Point here = G().Generator() * s;
    const Point there = other.Generator() * Scalar(other, 12345);
    const auto a = KeyTable(here), b = KeyTable(there);
    CHECK(&a->base().group() == &G());
    CHECK(&b->base().group() == &other);
    CHECK(a->Mul(Scalar(G(), 7)) == here * Scalar(G(), 7));
    CHECK(b->Mul(Scalar(other, 7)) == there * Scalar(other, 7));
}

}  // namespace pingyi
