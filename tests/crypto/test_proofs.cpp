// Zero-knowledge proofs (docs/protocol.md §5): honest proofs verify, and every forgery we
// can think of is rejected — each altered scalar, another context, key or ciphertext, and
// provers that try to prove a false statement.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "crypto/hash.hpp"
#include "crypto/proofs.hpp"
#include "crypto/single_decrypt.hpp"
#include "test_util.hpp"

namespace pingyi {
namespace {

using test::G;
using test::Hex;

const Bytes& Ctx()
{
    static const Bytes ctx = PositionContext(AsBytes("election-fingerprint"), "cell", 3, 4);
    return ctx;
}

const Bytes& OtherCtx()
{
    static const Bytes ctx = PositionContext(AsBytes("election-fingerprint"), "cell", 3, 5);
    return ctx;
}

Scalar One()
{
    return Scalar(G(), 1);
}
Scalar Rand()
{
    return Scalar::Random(G(), SystemRng());
}

// A range proof with one scalar changed by +1, and a label saying which.
std::vector<std::pair<std::string, RangeProof>> AlteredRangeProofs(const RangeProof& p)
{
    std::vector<std::pair<std::string, RangeProof>> out;
    for (std::size_t j = 0; j < p.c.size(); ++j) {
        RangeProof q = p;
        q.c[j] += One();
        out.emplace_back("c_" + std::to_string(j), std::move(q));
    }
    for (std::size_t j = 0; j < p.v.size(); ++j) {
        RangeProof q = p;
        q.v[j] += One();
        out.emplace_back("v_" + std::to_string(j), std::move(q));
    }
    if (p.c.size() >= 2) {
        RangeProof q = p;
        std::swap(q.c[0], q.c[1]);
        std::swap(q.v[0], q.v[1]);
        out.emplace_back("branches 0 and 1 swapped", std::move(q));
    }
    return out;
}

std::vector<std::pair<std::string, ChallengeResponse>> AlteredProofs(const ChallengeResponse& p)
{
    std::vector<std::pair<std::string, ChallengeResponse>> out;
    out.emplace_back("c + 1", ChallengeResponse{p.c + One(), p.v});
    out.emplace_back("v + 1", ChallengeResponse{p.c, p.v + One()});
    out.emplace_back("c - 1", ChallengeResponse{p.c - One(), p.v});
    out.emplace_back("c and v swapped", ChallengeResponse{p.v, p.c});
    out.emplace_back("zero", ChallengeResponse{Scalar(G()), Scalar(G())});
    return out;
}

// The range prover written out again from docs/protocol.md §5, without ProveRange's check
// that m <= max and that the ciphertext holds m: a dishonest prover may claim any branch.
RangeProof HandRangeProof(const Point& k, const Ciphertext& ct, std::uint32_t claimed_m, const Scalar& r,
                          std::uint32_t max, ByteView context)
{
    const std::size_t n = std::size_t{max} + 1;
    RangeProof proof{std::vector<Scalar>(n, Scalar(G())), std::vector<Scalar>(n, Scalar(G()))};
    std::vector<Point> a(n, Point(G()));
    std::vector<Point> b(n, Point(G()));
    const Scalar w = Rand();
    for (std::size_t j = 0; j < n; ++j) {
        if (j == claimed_m) {
            a[j] = MulBase(w);
            b[j] = k * w;
        } else {
            proof.c[j] = Rand();
            proof.v[j] = Rand();
            // a_j = v_j·G - c_j·A ;  b_j = v_j·K - c_j·(B - j·G)
            a[j] = MulBase(proof.v[j]) - ct.a * proof.c[j];
            b[j] = k * proof.v[j] - (ct.b - SmallMulBase(G(), j)) * proof.c[j];
        }
    }
    Transcript t("pingyi/v1/range-proof");
    t.Add(G().Name()).Add(context).Add(k).Add(ct.a).Add(ct.b).Add(Scalar(G(), max));
    for (std::size_t j = 0; j < n; ++j)
        t.Add(a[j]).Add(b[j]);
    Scalar c = t.ToScalar(G());
    for (std::size_t j = 0; j < n; ++j)
        if (j != claimed_m) c = c - proof.c[j];
    proof.v[claimed_m] = w + c * r;
    proof.c[claimed_m] = c;
    return proof;
}

}  // namespace

// ---- Range proofs ----

SUITE_CASE("PositionContext is LP(base) || LP(kind) || be32(i) || be32(j)")
{
    const test::UseSuite use(SuiteT::kId);
    // LP("ab") || LP("cell") || be32(1) || be32(0x0203)
    CHECK(ToHex(PositionContext(AsBytes("ab"), "cell", 1, 0x0203)) ==
          "000000026162"
          "0000000463656c6c"
          "0000000100000203");
    CHECK(PositionContext(AsBytes("a"), "cell", 1, 2) != PositionContext(AsBytes("a"), "cell", 2, 1));
    CHECK(PositionContext(AsBytes("a"), "cell", 0, 0) != PositionContext(AsBytes("a"), "row", 0, 0));
}

SUITE_CASE("honest range proofs verify for every m in [0, max], max = 1 and max = 5")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    for (std::uint32_t max : {1u, 5u}) {
        for (std::uint32_t m = 0; m <= max; ++m) {
            CAPTURE(max);
            CAPTURE(m);
            const Scalar r = Rand();
            const Ciphertext ct = Encrypt(k, m, r);
            const RangeProof proof = ProveRange(k, ct, m, r, max, Ctx(), SystemRng());
            CHECK(proof.c.size() == max + 1);
            CHECK(proof.v.size() == max + 1);
            const Status s = VerifyRange(k, ct, max, proof, Ctx());
            CHECK_MESSAGE(s.ok(), (s ? std::string() : s.error().detail));
        }
    }
}

SUITE_CASE("a range proof written from the protocol description verifies")
{
    const test::UseSuite use(SuiteT::kId);
    // Guards against prover and verifier agreeing on a transcript that is not the documented one.
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Scalar r = Rand();
    const Ciphertext ct = Encrypt(key.public_key(), 2, r);
    const RangeProof proof = HandRangeProof(key.public_key(), ct, 2, r, 5, Ctx());
    CHECK(VerifyRange(key.public_key(), ct, 5, proof, Ctx()).ok());
}

SUITE_CASE("range proofs are repeatable from a seeded generator")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Scalar r = Rand();
    const Ciphertext ct = Encrypt(key.public_key(), 1, r);
    DeterministicRng rng1(Hex("aa"));
    DeterministicRng rng2(Hex("aa"));
    DeterministicRng rng3(Hex("ab"));
    const Bytes p1 = ProveRange(key.public_key(), ct, 1, r, 1, Ctx(), rng1).Encode();
    const Bytes p2 = ProveRange(key.public_key(), ct, 1, r, 1, Ctx(), rng2).Encode();
    const Bytes p3 = ProveRange(key.public_key(), ct, 1, r, 1, Ctx(), rng3).Encode();
    CHECK(p1 == p2);
    CHECK(p1 != p3);
}

SUITE_CASE("a range proof with any one scalar altered is rejected")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    for (std::uint32_t max : {1u, 5u}) {
        for (std::uint32_t m : {0u, max}) {
            const Scalar r = Rand();
            const Ciphertext ct = Encrypt(k, m, r);
            const RangeProof proof = ProveRange(k, ct, m, r, max, Ctx(), SystemRng());
            REQUIRE(VerifyRange(k, ct, max, proof, Ctx()).ok());
            const auto altered = AlteredRangeProofs(proof);
            CHECK(altered.size() == 2 * (max + 1) + 1);
            for (const auto& [what, bad] : altered) {
                CAPTURE(max);
                CAPTURE(m);
                CAPTURE(what);
                const Status s = VerifyRange(k, ct, max, bad, Ctx());
                REQUIRE_FALSE(s.ok());
                CHECK(s.error().code == "proof.range");
            }
        }
    }
}

SUITE_CASE(
    "a range proof does not verify in another context, under another key or for another "
    "ciphertext")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const ElectionKeyPair other_key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    for (std::uint32_t max : {1u, 5u}) {
        CAPTURE(max);
        const Scalar r = Rand();
        const Ciphertext ct = Encrypt(k, 1, r);
        const RangeProof proof = ProveRange(k, ct, 1, r, max, Ctx(), SystemRng());
        REQUIRE(VerifyRange(k, ct, max, proof, Ctx()).ok());

        CHECK_FALSE(VerifyRange(k, ct, max, proof, OtherCtx()).ok());
        CHECK_FALSE(VerifyRange(k, ct, max, proof, {}).ok());
        CHECK_FALSE(VerifyRange(other_key.public_key(), ct, max, proof, Ctx()).ok());
        // The same plaintext under a fresh nonce.
        CHECK_FALSE(VerifyRange(k, Encrypt(k, 1, Rand()), max, proof, Ctx()).ok());
        // The same nonce with another plaintext that is still in range.
        CHECK_FALSE(VerifyRange(k, Encrypt(k, 0, r), max, proof, Ctx()).ok());
        // The ciphertext re-randomised: (A + r'·G, B + r'·K) still encrypts 1.
        const Ciphertext rerandomised = ct + Encrypt(k, 0, Rand());
        CHECK_FALSE(VerifyRange(k, rerandomised, max, proof, Ctx()).ok());
        // A and B swapped.
        CHECK_FALSE(VerifyRange(k, Ciphertext{ct.b, ct.a}, max, proof, Ctx()).ok());
    }
}

SUITE_CASE("a range proof for m does not verify once the ciphertext is shifted by G")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    const Point g = G().Generator();
    for (std::uint32_t m : {0u, 1u}) {
        CAPTURE(m);
        const Scalar r = Rand();
        const Ciphertext ct = Encrypt(k, m, r);
        const RangeProof proof = ProveRange(k, ct, m, r, 1, Ctx(), SystemRng());
        REQUIRE(VerifyRange(k, ct, 1, proof, Ctx()).ok());
        // B + G encrypts m + 1 (2 when m = 1); B - G encrypts m - 1 (-1 when m = 0).
        CHECK_FALSE(VerifyRange(k, Ciphertext{ct.a, ct.b + g}, 1, proof, Ctx()).ok());
        CHECK_FALSE(VerifyRange(k, Ciphertext{ct.a, ct.b - g}, 1, proof, Ctx()).ok());
    }
}

SUITE_CASE("ProveRange refuses a plaintext above the bound")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Scalar r = Rand();
    CHECK_THROWS_AS((void)ProveRange(key.public_key(), Encrypt(key.public_key(), 2, r), 2, r, 1, Ctx(), SystemRng()),
                    std::invalid_argument);
    CHECK_THROWS_AS((void)ProveRange(key.public_key(), Encrypt(key.public_key(), 6, r), 6, r, 5, Ctx(), SystemRng()),
                    std::invalid_argument);
}

SUITE_CASE("a cheating prover cannot prove an encryption of 2 to lie in [0, 1]")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    for (int attempt = 0; attempt < 5; ++attempt) {
        const Scalar r = Rand();
        const Ciphertext two = Encrypt(k, 2, r);
        // Run the honest prover with the true nonce, claiming either branch.
        for (std::uint32_t claimed : {0u, 1u}) {
            CAPTURE(claimed);
            const RangeProof lib = ProveRange(k, two, claimed, r, 1, Ctx(), SystemRng());
            CHECK_FALSE(VerifyRange(k, two, 1, lib, Ctx()).ok());
            const RangeProof hand = HandRangeProof(k, two, claimed, r, 1, Ctx());
            CHECK_FALSE(VerifyRange(k, two, 1, hand, Ctx()).ok());
        }
        // Simulate both branches, then force the challenges to add up by fixing c_0 afterwards.
        RangeProof sim{{Rand(), Rand()}, {Rand(), Rand()}};
        Transcript t("pingyi/v1/range-proof");
        t.Add(G().Name()).Add(Ctx()).Add(k).Add(two.a).Add(two.b).Add(Scalar(G(), 1));
        for (std::uint32_t j = 0; j < 2; ++j) {
            t.Add(MulBase(sim.v[j]) - two.a * sim.c[j]);
            t.Add(k * sim.v[j] - (two.b - SmallMulBase(G(), j)) * sim.c[j]);
        }
        sim.c[0] = t.ToScalar(G()) - sim.c[1];
        CHECK_FALSE(VerifyRange(k, two, 1, sim, Ctx()).ok());
        // The same encryption of 2 does have a valid proof for the range [0, 2].
        CHECK(VerifyRange(k, two, 2, ProveRange(k, two, 2, r, 2, Ctx(), SystemRng()), Ctx()).ok());
    }
}

SUITE_CASE("a range proof checked with the wrong number of branches is rejected")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    const Scalar r = Rand();
    const Ciphertext ct = Encrypt(k, 1, r);
    const RangeProof proof = ProveRange(k, ct, 1, r, 1, Ctx(), SystemRng());
    for (std::uint32_t max : {0u, 2u, 5u}) {
        CAPTURE(max);
        const Status s = VerifyRange(k, ct, max, proof, Ctx());
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "proof.range");
    }
    RangeProof short_c = proof;
    short_c.c.pop_back();
    CHECK_FALSE(VerifyRange(k, ct, 1, short_c, Ctx()).ok());
    RangeProof long_v = proof;
    long_v.v.push_back(Rand());
    CHECK_FALSE(VerifyRange(k, ct, 1, long_v, Ctx()).ok());
    CHECK_FALSE(VerifyRange(k, ct, 1, RangeProof{}, Ctx()).ok());
}

SUITE_CASE("a range proof survives encode and decode and still verifies")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    for (std::uint32_t max : {1u, 5u}) {
        CAPTURE(max);
        const Scalar r = Rand();
        const Ciphertext ct = Encrypt(k, max / 2, r);
        const RangeProof proof = ProveRange(k, ct, max / 2, r, max, Ctx(), SystemRng());
        const Bytes enc = proof.Encode();
        REQUIRE(enc.size() == 64 * (std::size_t{max} + 1));
        // c_0 .. c_L, then v_0 .. v_L.
        CHECK(Bytes(enc.begin(), enc.begin() + 32) == proof.c[0].Encode());
        CHECK(Bytes(enc.end() - 32, enc.end()) == proof.v[max].Encode());
        auto back = RangeProof::Decode(G(), enc, max);
        REQUIRE(back.ok());
        CHECK(back->Encode() == enc);
        CHECK(VerifyRange(k, ct, max, *back, Ctx()).ok());
    }
}

SUITE_CASE("range proof decoding rejects a wrong length")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Scalar r = Rand();
    const Ciphertext ct = Encrypt(key.public_key(), 1, r);
    const Bytes five = ProveRange(key.public_key(), ct, 1, r, 5, Ctx(), SystemRng()).Encode();
    const Bytes one = ProveRange(key.public_key(), ct, 1, r, 1, Ctx(), SystemRng()).Encode();
    for (std::size_t len : {0u, 1u, 127u, 129u, 192u}) {
        CAPTURE(len);
        Bytes b = one;
        b.resize(len, 0);
        auto p = RangeProof::Decode(G(), b, 1);
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().code == "encoding.proof");
    }
    CHECK(RangeProof::Decode(G(), five, 1).error().code == "encoding.proof");
    CHECK(RangeProof::Decode(G(), one, 5).error().code == "encoding.proof");
}

SUITE_CASE("range proof decoding rejects a scalar >= q in any position")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Scalar r = Rand();
    const Ciphertext ct = Encrypt(key.public_key(), 1, r);
    for (std::uint32_t max : {1u, 5u}) {
        const Bytes good = ProveRange(key.public_key(), ct, 1, r, max, Ctx(), SystemRng()).Encode();
        const std::size_t scalars = 2 * (std::size_t{max} + 1);
        for (std::size_t i = 0; i < scalars; ++i) {
            for (std::string_view big :
                 {std::string_view("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
                  std::string_view("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")}) {
                CAPTURE(max);
                CAPTURE(i);
                Bytes b = good;
                const Bytes q = Hex(big);
                std::copy(q.begin(), q.end(), b.begin() + static_cast<std::ptrdiff_t>(i * kScalarSize));
                auto p = RangeProof::Decode(G(), b, max);
                REQUIRE_FALSE(p.ok());
                CHECK(p.error().code == "encoding.scalar");
            }
        }
    }
}

// ---- Constant proofs ----

SUITE_CASE("a constant proof verifies for the true plaintext and no other")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    for (std::uint64_t m : {0u, 1u, 3u}) {
        CAPTURE(m);
        const Scalar r = Rand();
        const Ciphertext ct = Encrypt(k, m, r);
        const ChallengeResponse proof = ProveConstant(k, ct, m, r, Ctx(), SystemRng());
        CHECK(VerifyConstant(k, ct, m, proof, Ctx()).ok());
        for (std::uint64_t wrong : {m + 1, m + 2}) {
            const Status s = VerifyConstant(k, ct, wrong, proof, Ctx());
            REQUIRE_FALSE(s.ok());
            CHECK(s.error().code == "proof.constant");
        }
        if (m > 0) CHECK_FALSE(VerifyConstant(k, ct, m - 1, proof, Ctx()).ok());
    }
}

SUITE_CASE("a constant proof for a false claim does not verify")
{
    const test::UseSuite use(SuiteT::kId);
    // A row that sums to 2, "proved" to sum to 1 with the true nonce.
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    const Scalar r = Rand();
    const Ciphertext two = Encrypt(k, 2, r);
    CHECK_FALSE(VerifyConstant(k, two, 1, ProveConstant(k, two, 1, r, Ctx(), SystemRng()), Ctx()).ok());
    CHECK_FALSE(VerifyConstant(k, two, 2, ProveConstant(k, two, 2, Rand(), Ctx(), SystemRng()), Ctx()).ok());
}

SUITE_CASE(
    "a constant proof with c or v altered, or moved to another context, key or ciphertext, is "
    "rejected")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const ElectionKeyPair other_key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    const Scalar r = Rand();
    const Ciphertext ct = Encrypt(k, 1, r);
    const ChallengeResponse proof = ProveConstant(k, ct, 1, r, Ctx(), SystemRng());
    REQUIRE(VerifyConstant(k, ct, 1, proof, Ctx()).ok());
    for (const auto& [what, bad] : AlteredProofs(proof)) {
        CAPTURE(what);
        const Status s = VerifyConstant(k, ct, 1, bad, Ctx());
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "proof.constant");
    }
    CHECK_FALSE(VerifyConstant(k, ct, 1, proof, OtherCtx()).ok());
    CHECK_FALSE(VerifyConstant(other_key.public_key(), ct, 1, proof, Ctx()).ok());
    CHECK_FALSE(VerifyConstant(k, Encrypt(k, 1, Rand()), 1, proof, Ctx()).ok());
    CHECK_FALSE(VerifyConstant(k, ct + Encrypt(k, 0, Rand()), 1, proof, Ctx()).ok());
}

// ---- Decryption proofs ----

SUITE_CASE("DecryptAggregate: the count of an aggregate with its proof, and never one of fewer ballots than asked")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    const std::vector<Ciphertext> cts = {Encrypt(k, 1, Rand()), Encrypt(k, 0, Rand()), Encrypt(k, 1, Rand())};
    const DiscreteLogTable dlog(G(), 3);
    EncryptedSum sum = EncryptedSum::Of(cts);
    CHECK(sum.count() == 3);
    const auto got = DecryptAggregate(key, sum, 3, dlog, Ctx(), SystemRng());
    REQUIRE(got.ok());
    CHECK(got->count == 2);
    CHECK(VerifyDecryption(k, sum.sum(), 2, got->proof, Ctx()).ok());
    // Below the minimum (one ballot, or three when four are required): refused, no count.
    const auto one = DecryptAggregate(key, EncryptedSum::Of(std::span(cts).first(1)), 3, dlog, Ctx(), SystemRng());
    REQUIRE_FALSE(one.ok());
    CHECK(one.error().code == "tally.too_few");
    const auto three = DecryptAggregate(key, sum, 4, dlog, Ctx(), SystemRng());
    REQUIRE_FALSE(three.ok());
    CHECK(three.error().code == "tally.too_few");
    // Adding one more reaches four; a count beyond the table says the key or ballots are wrong.
    sum.Add(Encrypt(k, 1, Rand()));
    CHECK(DecryptAggregate(key, sum, 4, DiscreteLogTable(G(), 4), Ctx(), SystemRng())->count == 3);
    const auto beyond = DecryptAggregate(key, sum, 4, DiscreteLogTable(G(), 2), Ctx(), SystemRng());
    REQUIRE_FALSE(beyond.ok());
    CHECK(beyond.error().code == "tally.dlog");
    CHECK_THROWS_AS(EncryptedSum::Of(std::span<const Ciphertext>()), std::invalid_argument);
}

SUITE_CASE("a decryption proof verifies for the true count and not for a wrong one")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    // An aggregate, as in a tally: 4 + 0 + 3 = 7.
    const std::vector<Ciphertext> cts = {Encrypt(k, 4, Rand()), Encrypt(k, 0, Rand()), Encrypt(k, 3, Rand())};
    const Ciphertext total = Sum(cts);
    const ChallengeResponse proof = ProveDecryption(key, total, 7, Ctx(), SystemRng());
    CHECK(VerifyDecryption(k, total, 7, proof, Ctx()).ok());
    for (std::uint64_t wrong : {0u, 6u, 8u, 70u}) {
        CAPTURE(wrong);
        const Status s = VerifyDecryption(k, total, wrong, proof, Ctx());
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "proof.decryption");
    }
    // Proving a wrong count with the real secret fails too.
    CHECK_FALSE(VerifyDecryption(k, total, 8, ProveDecryption(key, total, 8, Ctx(), SystemRng()), Ctx()).ok());
}

SUITE_CASE(
    "a decryption proof with c or v altered, or moved to another context, key or ciphertext, is "
    "rejected")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const ElectionKeyPair other_key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    const Ciphertext ct = Encrypt(k, 2, Rand());
    const ChallengeResponse proof = ProveDecryption(key, ct, 2, Ctx(), SystemRng());
    REQUIRE(VerifyDecryption(k, ct, 2, proof, Ctx()).ok());
    for (const auto& [what, bad] : AlteredProofs(proof)) {
        CAPTURE(what);
        const Status s = VerifyDecryption(k, ct, 2, bad, Ctx());
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "proof.decryption");
    }
    CHECK_FALSE(VerifyDecryption(k, ct, 2, proof, OtherCtx()).ok());
    CHECK_FALSE(VerifyDecryption(other_key.public_key(), ct, 2, proof, Ctx()).ok());
    CHECK_FALSE(VerifyDecryption(k, Encrypt(k, 2, Rand()), 2, proof, Ctx()).ok());
}

SUITE_CASE("a decryption proof made with another secret does not verify")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const ElectionKeyPair impostor = ElectionKeyPair::Generate(G(), SystemRng());
    const Ciphertext ct = Encrypt(key.public_key(), 1, Rand());
    const ChallengeResponse proof = ProveDecryption(impostor, ct, 1, Ctx(), SystemRng());
    CHECK_FALSE(VerifyDecryption(key.public_key(), ct, 1, proof, Ctx()).ok());
}

// ---- Key proofs ----

SUITE_CASE("a proof of knowledge of the election key verifies for its own key only")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const ElectionKeyPair other_key = ElectionKeyPair::Generate(G(), SystemRng());
    const ChallengeResponse proof = ProveKeyKnowledge(key, Ctx(), SystemRng());
    CHECK(VerifyKeyKnowledge(key.public_key(), proof, Ctx()).ok());
    const Status s = VerifyKeyKnowledge(other_key.public_key(), proof, Ctx());
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "proof.key");
    CHECK_FALSE(VerifyKeyKnowledge(key.public_key(), proof, OtherCtx()).ok());
    CHECK_FALSE(VerifyKeyKnowledge(key.public_key(), proof, {}).ok());
}

SUITE_CASE("a key proof with c or v altered is rejected")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const ChallengeResponse proof = ProveKeyKnowledge(key, Ctx(), SystemRng());
    REQUIRE(VerifyKeyKnowledge(key.public_key(), proof, Ctx()).ok());
    for (const auto& [what, bad] : AlteredProofs(proof)) {
        CAPTURE(what);
        const Status s = VerifyKeyKnowledge(key.public_key(), bad, Ctx());
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "proof.key");
    }
}

SUITE_CASE("proofs of different kinds are not interchangeable")
{
    const test::UseSuite use(SuiteT::kId);
    // Domain separation by tag: a valid proof of one kind never passes as another.
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    const Scalar r = Rand();
    const Ciphertext ct = Encrypt(k, 1, r);
    const ChallengeResponse constant = ProveConstant(k, ct, 1, r, Ctx(), SystemRng());
    const ChallengeResponse decryption = ProveDecryption(key, ct, 1, Ctx(), SystemRng());
    const ChallengeResponse knowledge = ProveKeyKnowledge(key, Ctx(), SystemRng());
    REQUIRE(VerifyConstant(k, ct, 1, constant, Ctx()).ok());
    REQUIRE(VerifyDecryption(k, ct, 1, decryption, Ctx()).ok());
    REQUIRE(VerifyKeyKnowledge(k, knowledge, Ctx()).ok());
    CHECK_FALSE(VerifyDecryption(k, ct, 1, constant, Ctx()).ok());
    CHECK_FALSE(VerifyConstant(k, ct, 1, decryption, Ctx()).ok());
    CHECK_FALSE(VerifyKeyKnowledge(k, decryption, Ctx()).ok());
    CHECK_FALSE(VerifyConstant(k, ct, 1, knowledge, Ctx()).ok());
}

// ---- Challenge-response encoding ----

SUITE_CASE("a challenge-response proof survives encode and decode and still verifies")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const ChallengeResponse proof = ProveKeyKnowledge(key, Ctx(), SystemRng());
    const Bytes enc = proof.Encode();
    REQUIRE(enc.size() == 2 * kScalarSize);
    CHECK(Bytes(enc.begin(), enc.begin() + 32) == proof.c.Encode());
    CHECK(Bytes(enc.begin() + 32, enc.end()) == proof.v.Encode());
    auto back = ChallengeResponse::Decode(G(), enc);
    REQUIRE(back.ok());
    CHECK(back->c == proof.c);
    CHECK(back->v == proof.v);
    CHECK(VerifyKeyKnowledge(key.public_key(), *back, Ctx()).ok());
}

SUITE_CASE("challenge-response decoding rejects a wrong length and a scalar >= q")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Bytes good = ProveKeyKnowledge(key, Ctx(), SystemRng()).Encode();
    for (std::size_t len : {0u, 32u, 63u, 65u, 128u}) {
        CAPTURE(len);
        Bytes b = good;
        b.resize(len, 0);
        auto p = ChallengeResponse::Decode(G(), b);
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().code == "encoding.proof");
    }
    const Bytes q = Hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    for (std::size_t at : {0u, 32u}) {
        CAPTURE(at);
        Bytes b = good;
        std::copy(q.begin(), q.end(), b.begin() + static_cast<std::ptrdiff_t>(at));
        auto p = ChallengeResponse::Decode(G(), b);
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().code == "encoding.scalar");
    }
}

SUITE_CASE("a statement holding the identity is a failed proof, not an exception")
{
    const test::UseSuite use(SuiteT::kId);
    // Cells whose nonces cancel (r and -r) sum to a ciphertext whose A is the identity; a
    // hostile voter can make them with valid 0/1 proofs for each cell.
    const ElectionKeyPair key = ElectionKeyPair::Generate(G(), SystemRng());
    const Point& k = key.public_key();
    const Scalar r = Rand();
    const Ciphertext one = Encrypt(k, 1, r);
    const Ciphertext zero = Encrypt(k, 0, -r);
    const Ciphertext sum{one.a + zero.a, one.b + zero.b};
    REQUIRE(sum.a.IsIdentity());
    const ChallengeResponse junk{Rand(), Rand()};
    Status s;
    REQUIRE_NOTHROW(s = VerifyConstant(k, sum, 1, junk, Ctx()));
    CHECK(s.error().code == "proof.constant");
    REQUIRE_NOTHROW(s = VerifyRange(k, sum, 1, RangeProof{{Rand(), Rand()}, {Rand(), Rand()}}, Ctx()));
    CHECK(s.error().code == "proof.range");
    REQUIRE_NOTHROW(s = VerifyDecryption(k, sum, 1, junk, Ctx()));
    CHECK(s.error().code == "proof.decryption");
    const Ciphertext b_identity{one.a, Point(G())};
    REQUIRE_NOTHROW(s = VerifyConstant(k, b_identity, 1, junk, Ctx()));
    CHECK_FALSE(s.ok());
    REQUIRE_NOTHROW(s = VerifyKeyKnowledge(Point(G()), junk, Ctx()));
    CHECK(s.error().code == "proof.key");
}

}  // namespace pingyi
