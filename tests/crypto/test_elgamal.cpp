// Exponential ElGamal, its homomorphism and the discrete-log table (docs/protocol.md §4).
#include <doctest/doctest.h>

#include <optional>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "crypto/elgamal.hpp"
#include "crypto/secret.hpp"
#include "crypto/single_decrypt.hpp"
#include "test_util.hpp"

namespace pingyi {
namespace {

using test::G;
using test::Hex;

constexpr std::string_view kQ = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
constexpr std::string_view kQMinus1 = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550";

ElectionKeyPair SeededKey(std::string_view seed_hex)
{
    DeterministicRng rng(Hex(seed_hex));
    return ElectionKeyPair::Generate(G(), rng);
}

}  // namespace

static_assert(!std::is_copy_constructible_v<ElectionKeyPair>);
static_assert(!std::is_copy_assignable_v<ElectionKeyPair>);
static_assert(std::is_nothrow_move_constructible_v<ElectionKeyPair>);

TEST_CASE("a generated key pair has K = s·G and a non-zero secret")
{
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    CHECK_FALSE(key.secret().IsZero());
    CHECK(key.public_key() == MulBase(key.secret()));
}

TEST_CASE("key generation is repeatable from a seed and differs between seeds")
{
    const ElectionKeyPair a = SeededKey("01");
    const ElectionKeyPair b = SeededKey("01");
    const ElectionKeyPair c = SeededKey("02");
    CHECK(a.public_key() == b.public_key());
    CHECK(a.secret() == b.secret());
    CHECK_FALSE(a.public_key() == c.public_key());
}

TEST_CASE("an encryption is (r·G, m·G + r·K)")
{
    const ElectionKeyPair key = SeededKey("03");
    const Scalar r = Scalar::Random(G(), SystemRng());
    for (std::uint64_t m : {0u, 1u, 7u}) {
        const Ciphertext ct = Encrypt(key.public_key(), m, r);
        CHECK(ct.a == MulBase(r));
        CHECK(ct.b == SmallMulBase(G(), m) + key.public_key() * r);
        // B - s·A = m·G, computed here without DecryptToPoint.
        CHECK(ct.b - ct.a * key.secret() == SmallMulBase(G(), m));
    }
}

TEST_CASE("encryptions of 0..50 decrypt back to their plaintexts")
{
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const DiscreteLogTable table(G(), 50);
    for (std::uint64_t m = 0; m <= 50; ++m) {
        CAPTURE(m);
        const Scalar r = Scalar::Random(G(), SystemRng());
        const Ciphertext ct = Encrypt(key.public_key(), m, r);
        const Point mg = DecryptToPoint(key, ct);
        CHECK(mg == SmallMulBase(G(), m));
        const auto found = table.Find(mg);
        REQUIRE(found.has_value());
        CHECK(*found == m);
    }
}

TEST_CASE("decrypting with another key does not give the plaintext")
{
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const ElectionKeyPair other = ElectionKeyPair::Generate(G(), SystemRng());
    const Ciphertext ct = Encrypt(key.public_key(), 1, Scalar::Random(G(), SystemRng()));
    CHECK_FALSE(DecryptToPoint(other, ct) == SmallMulBase(G(), 1));
    CHECK_FALSE(DiscreteLogTable(G(), 100).Find(DecryptToPoint(other, ct)).has_value());
}

TEST_CASE("two encryptions of the same plaintext look different")
{
    const ElectionKeyPair key = SeededKey("04");
    const Ciphertext a = Encrypt(key.public_key(), 1, Scalar::Random(G(), SystemRng()));
    const Ciphertext b = Encrypt(key.public_key(), 1, Scalar::Random(G(), SystemRng()));
    CHECK_FALSE(a.a == b.a);
    CHECK_FALSE(a.b == b.b);
    CHECK(a.Encode() != b.Encode());
    CHECK_FALSE(a == b);
}

TEST_CASE("Enc(m1; r1) + Enc(m2; r2) is exactly Enc(m1 + m2; r1 + r2)")
{
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    for (int i = 0; i < 10; ++i) {
        const std::uint64_t m1 = static_cast<std::uint64_t>(i);
        const std::uint64_t m2 = static_cast<std::uint64_t>(3 * i + 1);
        const Scalar r1 = Scalar::Random(G(), SystemRng());
        const Scalar r2 = Scalar::Random(G(), SystemRng());
        const Ciphertext sum = Encrypt(k, m1, r1) + Encrypt(k, m2, r2);
        CHECK(sum == Encrypt(k, m1 + m2, r1 + r2));
        CHECK(sum.Encode() == Encrypt(k, m1 + m2, r1 + r2).Encode());
        CHECK_FALSE(sum == Encrypt(k, m1 + m2 + 1, r1 + r2));
    }
}

TEST_CASE("Sum of many ciphertexts encrypts the sum of the plaintexts under the sum of the nonces")
{
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    std::vector<Ciphertext> cts;
    Scalar r_total(G());
    std::uint64_t m_total = 0;
    for (std::uint64_t m = 0; m < 12; ++m) {
        const Scalar r = Scalar::Random(G(), SystemRng());
        const std::uint64_t pt = m % 3;
        cts.push_back(Encrypt(k, pt, r));
        r_total += r;
        m_total += pt;
    }
    const Ciphertext total = Sum(cts);
    CHECK(total == Encrypt(k, m_total, r_total));
    const auto found = DiscreteLogTable(G(), 100).Find(DecryptToPoint(key, total));
    REQUIRE(found.has_value());
    CHECK(*found == m_total);

    // A single ciphertext sums to itself.
    CHECK(Sum(std::span(cts).first(1)) == cts[0]);
}

TEST_CASE("Sum of no ciphertexts is refused")
{
    const std::vector<Ciphertext> none;
    CHECK_THROWS_AS((void)Sum(none), std::invalid_argument);
}

TEST_CASE("the discrete-log table finds every m in [0, bound] and nothing above")
{
    for (std::uint64_t bound : {0u, 1u, 2u, 3u, 99u, 100u, 1000u}) {
        CAPTURE(bound);
        const DiscreteLogTable table(G(), bound);
        CHECK(table.bound() == bound);
        Point mg(G());  // m·G, starting at the identity
        for (std::uint64_t m = 0; m <= bound; ++m) {
            CAPTURE(m);
            const auto found = table.Find(mg);
            REQUIRE(found.has_value());
            CHECK(*found == m);
            mg += G().Generator();
        }
        // mg is now (bound+1)·G, just above the bound.
        CHECK_FALSE(table.Find(mg).has_value());
        CHECK_FALSE(table.Find(mg + G().Generator()).has_value());
        CHECK_FALSE(table.Find(SmallMulBase(G(), 2 * bound + 5)).has_value());
        // -G = (q-1)·G is not a small plaintext.
        CHECK_FALSE(table.Find(-G().Generator()).has_value());
        CHECK_FALSE(table.Find(MulBase(Scalar::Random(G(), SystemRng()))).has_value());
    }
}

TEST_CASE("the discrete-log table finds a large m near a perfect square bound")
{
    const DiscreteLogTable table(G(), 10000);
    for (std::uint64_t m : {9999u, 10000u, 9801u, 9800u, 100u, 101u, 4711u}) {
        CAPTURE(m);
        const auto found = table.Find(SmallMulBase(G(), m));
        REQUIRE(found.has_value());
        CHECK(*found == m);
    }
    CHECK_FALSE(table.Find(SmallMulBase(G(), 10001)).has_value());
}

TEST_CASE("a ciphertext survives encode and decode")
{
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    for (std::uint64_t m : {0u, 1u, 5u}) {
        const Ciphertext ct = Encrypt(key.public_key(), m, Scalar::Random(G(), SystemRng()));
        const Bytes enc = ct.Encode();
        REQUIRE(enc.size() == kCiphertextSize);
        CHECK(enc == [&] {
            Bytes expected = ct.a.Encode();
            AppendBytes(expected, ct.b.Encode());
            return expected;
        }());
        auto back = Ciphertext::Decode(G(), enc);
        REQUIRE(back.ok());
        CHECK(*back == ct);
    }
}

TEST_CASE("ciphertext decoding rejects a wrong length")
{
    const ElectionKeyPair key = SeededKey("05");
    const Bytes good = Encrypt(key.public_key(), 1, Scalar(G(), 9)).Encode();
    for (std::size_t len : {0u, 33u, 65u, 67u, 132u}) {
        CAPTURE(len);
        Bytes b = good;
        b.resize(len, 0x02);
        auto ct = Ciphertext::Decode(G(), b);
        REQUIRE_FALSE(ct.ok());
        CHECK(ct.error().code == "encoding.ciphertext");
    }
}

TEST_CASE("ciphertext decoding rejects a bad point in either half")
{
    const ElectionKeyPair key = SeededKey("06");
    const Bytes good = Encrypt(key.public_key(), 1, Scalar(G(), 9)).Encode();
    // x = 1 is not on P-256 (1 - 3 + b is not a square mod p); x = 2^256-1 is >= p.
    Bytes off_curve(kPointSize, 0);
    off_curve[0] = 0x02;
    off_curve[kPointSize - 1] = 0x01;
    Bytes too_big(kPointSize, 0xff);
    too_big[0] = 0x03;
    Bytes bad_prefix = G().Generator().Encode();
    bad_prefix[0] = 0x04;
    for (const Bytes& bad : {off_curve, too_big, bad_prefix}) {
        for (std::size_t half : {0u, 1u}) {
            CAPTURE(half);
            Bytes b = good;
            std::copy(bad.begin(), bad.end(), b.begin() + static_cast<std::ptrdiff_t>(half * kPointSize));
            auto ct = Ciphertext::Decode(G(), b);
            REQUIRE_FALSE(ct.ok());
            CHECK(ct.error().code == "encoding.point");
        }
    }
}

TEST_CASE("FromSecret rebuilds the key pair from its exported secret")
{
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const SecretBytes exported = key.ExportSecret();
    REQUIRE(exported.size() == kScalarSize);
    CHECK(exported.Equals(key.secret().Encode()));
    auto back = ElectionKeyPair::FromSecret(G(), exported);
    REQUIRE(back.ok());
    CHECK(back->public_key() == key.public_key());
    CHECK(back->secret() == key.secret());
}

TEST_CASE("FromSecret derives K = s·G for a known s")
{
    const SecretBytes three(Hex("0000000000000000000000000000000000000000000000000000000000000003"));
    auto key = ElectionKeyPair::FromSecret(G(), three);
    REQUIRE(key.ok());
    CHECK(key->public_key() == SmallMulBase(G(), 3));
    const SecretBytes q_minus_1(Hex(kQMinus1));
    auto last = ElectionKeyPair::FromSecret(G(), q_minus_1);
    REQUIRE(last.ok());
    CHECK(last->public_key() == -G().Generator());
}

TEST_CASE("FromSecret rejects zero, q, values above q and wrong lengths")
{
    {
        const SecretBytes zero(Bytes(kScalarSize, 0));
        auto key = ElectionKeyPair::FromSecret(G(), zero);
        REQUIRE_FALSE(key.ok());
        CHECK(key.error().code == "key.secret");
    }
    for (const Bytes& bad : {Hex(kQ), Bytes(kScalarSize, 0xff), Bytes(31, 0x01), Bytes(33, 0x01), Bytes{}}) {
        CAPTURE(ToHex(bad));
        const SecretBytes secret(bad);
        auto key = ElectionKeyPair::FromSecret(G(), secret);
        REQUIRE_FALSE(key.ok());
        CHECK(key.error().code == "encoding.scalar");
    }
}

TEST_CASE("a moved key pair keeps its keys")
{
    ElectionKeyPair key = SeededKey("07");
    const Point k = key.public_key();
    ElectionKeyPair moved = std::move(key);
    CHECK(moved.public_key() == k);
    CHECK(MulBase(moved.secret()) == k);
}

}  // namespace pingyi
