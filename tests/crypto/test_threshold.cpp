// k-of-n trustees (docs/protocol.md §11–12): a full ceremony in memory for every n ≤ 5 and
// every k, every k-subset decrypts the same, k−1 do not, and every forged proof, altered
// share, commitment or partial is rejected.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "crypto/threshold.hpp"
#include "test_util.hpp"

namespace pingyi {
namespace {

using test::G;

const Bytes& Ctx()
{
    static const Bytes ctx = PositionContext(AsBytes("ceremony"), "test", 0, 0);
    return ctx;
}

Scalar One()
{
    return Scalar(G(), 1);
}

// The whole ceremony among n honest trustees, in memory, through encrypted shares.
struct Ceremony {
    std::uint32_t n, k;
    std::vector<Polynomial> polys;
    std::vector<ElectionKeyPair> transport;
    std::vector<std::vector<Point>> commitments;
    std::vector<TrusteeShare> shares;
    Point joint{G()};

    Ceremony(std::uint32_t n_, std::uint32_t k_) : n(n_), k(k_)
    {
        Rng& rng = SystemRng();
        for (std::uint32_t i = 1; i <= n; ++i) {
            polys.push_back(Polynomial::Random(G(), k, rng));
            transport.push_back(ElectionKeyPair::Generate(G(), rng));
            commitments.push_back(polys.back().Commitments());
            const auto proofs = ProveCoefficients(polys.back(), i, Ctx(), rng);
            REQUIRE(VerifyCoefficients(commitments.back(), i, proofs, Ctx()).ok());
        }
        for (std::uint32_t j = 1; j <= n; ++j) {
            Scalar x(G());
            for (std::uint32_t i = 1; i <= n; ++i) {
                const Bytes box = EncryptShare(transport[i - 1], transport[j - 1].public_key(), i, j,
                                               polys[i - 1].Evaluate(j), Ctx(), rng);
                REQUIRE(box.size() == kEncryptedShareSize);
                auto s = DecryptShare(transport[j - 1], transport[i - 1].public_key(), i, j, box, Ctx());
                REQUIRE(s.ok());
                REQUIRE(VerifyShare(commitments[i - 1], j, *s).ok());
                x += *s;
            }
            shares.push_back(TrusteeShare::FromScalar(j, std::move(x)));
            REQUIRE(shares.back().public_share() == PublicShare(commitments, j));
        }
        joint = JointPublicKey(commitments);
    }
};

// Every subset of {1..n} of size `size`, as index lists.
std::vector<std::vector<std::uint32_t>> Subsets(std::uint32_t n, std::uint32_t size)
{
    std::vector<std::vector<std::uint32_t>> out;
    for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
        std::vector<std::uint32_t> s;
        for (std::uint32_t i = 0; i < n; ++i)
            if (mask & (1u << i)) s.push_back(i + 1);
        if (s.size() == size) out.push_back(s);
    }
    return out;
}

Point Decrypt(const Ceremony& c, const Ciphertext& ct, const std::vector<std::uint32_t>& who)
{
    std::vector<Point> parts;
    for (auto j : who) {
        const auto p =
            DecryptPartial(c.shares[j - 1], EncryptedSum::Of(std::span(&ct, 1)), 1, Ctx(), SystemRng()).value();
        REQUIRE(VerifyPartial(c.shares[j - 1].public_share(), ct.a, p, Ctx()).ok());
        parts.push_back(p.d);
    }
    return CombinePartials(ct.b, who, parts);
}

}  // namespace

SUITE_CASE("every k-subset of n ≤ 5 trustees decrypts the same count; k−1 trustees do not")
{
    const test::UseSuite use(SuiteT::kId);
    for (std::uint32_t n = 1; n <= 5; ++n)
        for (std::uint32_t k = 1; k <= n; ++k) {
            CAPTURE(n);
            CAPTURE(k);
            Ceremony c(n, k);
            // The joint key is s·G for s = Σ a_i0, which no one ever computed.
            Scalar s(G());
            for (const auto& p : c.polys)
                s += p.coefficient(0);
            CHECK(MulBase(s) == c.joint);
            const std::uint64_t m = 7 + n + k;
            const Ciphertext ct = Encrypt(c.joint, m, Scalar::Random(G(), SystemRng()));
            const Point expected = SmallMulBase(G(), m);
            for (const auto& who : Subsets(n, k))
                CHECK(Decrypt(c, ct, who) == expected);
            if (k >= 2)
                for (const auto& who : Subsets(n, k - 1))
                    CHECK_FALSE(Decrypt(c, ct, who) == expected);
        }
}

SUITE_CASE("an aggregate of encryptions under the joint key decrypts to the sum")
{
    const test::UseSuite use(SuiteT::kId);
    Ceremony c(3, 2);
    std::vector<Ciphertext> cts;
    for (std::uint64_t m : {1, 0, 1, 1, 0})
        cts.push_back(Encrypt(c.joint, m, Scalar::Random(G(), SystemRng())));
    const Ciphertext sum = Sum(cts);
    DiscreteLogTable table(G(), 5);
    CHECK(table.Find(Decrypt(c, sum, {1, 3})) == 3u);
    CHECK(table.Find(Decrypt(c, sum, {3, 2})) == 3u);
}

SUITE_CASE("a forged or misplaced coefficient proof is rejected")
{
    const test::UseSuite use(SuiteT::kId);
    const auto f = Polynomial::Random(G(), 3, SystemRng());
    const auto commitments = f.Commitments();
    const auto proofs = ProveCoefficients(f, 2, Ctx(), SystemRng());
    REQUIRE(VerifyCoefficients(commitments, 2, proofs, Ctx()).ok());
    for (std::size_t l = 0; l < proofs.size(); ++l) {
        auto bad = proofs;
        bad[l].v += One();
        CHECK(VerifyCoefficients(commitments, 2, bad, Ctx()).error().code == "ceremony.commitments");
        bad = proofs;
        bad[l].c += One();
        CHECK_FALSE(VerifyCoefficients(commitments, 2, bad, Ctx()).ok());
    }
    // Another dealer index, context, a swapped or altered commitment, a missing proof.
    CHECK_FALSE(VerifyCoefficients(commitments, 1, proofs, Ctx()).ok());
    CHECK_FALSE(VerifyCoefficients(commitments, 2, proofs, AsBytes("another ceremony")).ok());
    auto swapped = commitments;
    std::swap(swapped[1], swapped[2]);
    CHECK_FALSE(VerifyCoefficients(swapped, 2, proofs, Ctx()).ok());
    auto altered = commitments;
    altered[1] += G().Generator();
    CHECK_FALSE(VerifyCoefficients(altered, 2, proofs, Ctx()).ok());
    CHECK_FALSE(VerifyCoefficients(std::span(commitments).first(2), 2, std::span(proofs).first(2), Ctx()).ok());
    // A commitment lifted from another dealer's verified set, with its proof, fails here.
    const auto g2 = Polynomial::Random(G(), 3, SystemRng());
    const auto other = ProveCoefficients(g2, 2, Ctx(), SystemRng());
    auto mixed_c = commitments;
    auto mixed_p = proofs;
    mixed_c[0] = g2.Commitments()[0];
    mixed_p[0] = other[0];
    CHECK_FALSE(VerifyCoefficients(mixed_c, 2, mixed_p, Ctx()).ok());
}

SUITE_CASE("an altered share or commitment fails Feldman's check and names the recipient")
{
    const test::UseSuite use(SuiteT::kId);
    const auto f = Polynomial::Random(G(), 2, SystemRng());
    const auto commitments = f.Commitments();
    CHECK(VerifyShare(commitments, 3, f.Evaluate(3)).ok());
    const auto bad = VerifyShare(commitments, 3, f.Evaluate(3) + One());
    CHECK(bad.error().code == "ceremony.share");
    CHECK(bad.error().detail.find("trustee 3") != std::string::npos);
    CHECK_FALSE(VerifyShare(commitments, 2, f.Evaluate(3)).ok());
    auto altered = commitments;
    altered[1] += G().Generator();
    CHECK_FALSE(VerifyShare(altered, 3, f.Evaluate(3)).ok());
}

SUITE_CASE("an encrypted share opens only for its recipient, from its dealer, unaltered")
{
    const test::UseSuite use(SuiteT::kId);
    auto d = ElectionKeyPair::Generate(G(), SystemRng());
    auto r = ElectionKeyPair::Generate(G(), SystemRng());
    auto eve = ElectionKeyPair::Generate(G(), SystemRng());
    const Scalar share = Scalar::Random(G(), SystemRng());
    const Bytes box = EncryptShare(d, r.public_key(), 1, 2, share, Ctx(), SystemRng());
    auto ok = DecryptShare(r, d.public_key(), 1, 2, box, Ctx());
    REQUIRE(ok.ok());
    CHECK(*ok == share);
    CHECK(DecryptShare(eve, d.public_key(), 1, 2, box, Ctx()).error().code == "ceremony.share_encryption");
    CHECK_FALSE(DecryptShare(r, eve.public_key(), 1, 2, box, Ctx()).ok());
    CHECK_FALSE(DecryptShare(r, d.public_key(), 1, 3, box, Ctx()).ok());
    CHECK_FALSE(DecryptShare(r, d.public_key(), 3, 2, box, Ctx()).ok());
    CHECK_FALSE(DecryptShare(r, d.public_key(), 1, 2, box, AsBytes("another ceremony")).ok());
    for (std::size_t i = 0; i < box.size(); i += 7) {
        Bytes bad = box;
        bad[i] ^= 0x01;
        CHECK_FALSE(DecryptShare(r, d.public_key(), 1, 2, bad, Ctx()).ok());
    }
    CHECK_FALSE(DecryptShare(r, d.public_key(), 1, 2, ByteView(box).first(59), Ctx()).ok());
}

SUITE_CASE("a trustee's partial decryption is made only of an aggregate of at least the minimum of ballots")
{
    const test::UseSuite use(SuiteT::kId);
    Ceremony c(3, 2);
    const std::vector<Ciphertext> cts = {Encrypt(c.joint, 1, Scalar::Random(G(), SystemRng())),
                                         Encrypt(c.joint, 0, Scalar::Random(G(), SystemRng()))};
    const auto one = DecryptPartial(c.shares[0], EncryptedSum::Of(std::span(cts).first(1)), 2, Ctx(), SystemRng());
    REQUIRE_FALSE(one.ok());
    CHECK(one.error().code == "tally.too_few");
    const EncryptedSum both = EncryptedSum::Of(cts);
    const auto p = DecryptPartial(c.shares[0], both, 2, Ctx(), SystemRng());
    REQUIRE(p.ok());
    CHECK(VerifyPartial(c.shares[0].public_share(), both.sum().a, *p, Ctx()).ok());
}

SUITE_CASE("a partial decryption with a forged proof, another share or another context is rejected")
{
    const test::UseSuite use(SuiteT::kId);
    Ceremony c(3, 2);
    const Ciphertext ct = Encrypt(c.joint, 4, Scalar::Random(G(), SystemRng()));
    const auto p = DecryptPartial(c.shares[0], EncryptedSum::Of(std::span(&ct, 1)), 1, Ctx(), SystemRng()).value();
    const Point& x1 = c.shares[0].public_share();
    REQUIRE(VerifyPartial(x1, ct.a, p, Ctx()).ok());
    auto bad = p;
    bad.d += G().Generator();
    CHECK(VerifyPartial(x1, ct.a, bad, Ctx()).error().code == "partial.proof");
    bad = p;
    bad.proof.v += One();
    CHECK_FALSE(VerifyPartial(x1, ct.a, bad, Ctx()).ok());
    bad = p;
    bad.proof.c += One();
    CHECK_FALSE(VerifyPartial(x1, ct.a, bad, Ctx()).ok());
    CHECK_FALSE(VerifyPartial(c.shares[1].public_share(), ct.a, p, Ctx()).ok());
    CHECK_FALSE(VerifyPartial(x1, ct.a + G().Generator(), p, Ctx()).ok());
    // A statement holding the identity (an aggregate whose nonces cancel, a D_j or X_j that
    // is the identity) is a failed proof, not an exception: the identity has no encoding.
    Status s;
    REQUIRE_NOTHROW(s = VerifyPartial(x1, Point(G()), p, Ctx()));
    CHECK(s.error().code == "partial.proof");
    bad = p;
    bad.d = Point(G());
    REQUIRE_NOTHROW(s = VerifyPartial(x1, ct.a, bad, Ctx()));
    CHECK(s.error().code == "partial.proof");
    REQUIRE_NOTHROW(s = VerifyPartial(Point(G()), ct.a, p, Ctx()));
    CHECK(s.error().code == "partial.proof");
    CHECK_FALSE(VerifyPartial(x1, ct.a, p, AsBytes("other boxes")).ok());
    // A "partial" made with a guessed share does not verify against X_1.
    const auto guess = TrusteeShare::FromScalar(1, Scalar::Random(G(), SystemRng()));
    CHECK_FALSE(VerifyPartial(x1, ct.a,
                              DecryptPartial(guess, EncryptedSum::Of(std::span(&ct, 1)), 1, Ctx(), SystemRng()).value(),
                              Ctx())
                    .ok());
}

SUITE_CASE("a trustee's confirmation proves knowledge of its share and nothing else")
{
    const test::UseSuite use(SuiteT::kId);
    Ceremony c(3, 2);
    const auto proof = ProveShareKnowledge(c.shares[1], Ctx(), SystemRng());
    CHECK(VerifyShareKnowledge(c.shares[1].public_share(), 2, proof, Ctx()).ok());
    CHECK(VerifyShareKnowledge(c.shares[1].public_share(), 3, proof, Ctx()).error().code == "ceremony.confirmation");
    CHECK_FALSE(VerifyShareKnowledge(c.shares[0].public_share(), 2, proof, Ctx()).ok());
    auto bad = proof;
    bad.v += One();
    CHECK_FALSE(VerifyShareKnowledge(c.shares[1].public_share(), 2, bad, Ctx()).ok());
}

SUITE_CASE("Lagrange coefficients interpolate at zero and refuse a repeated index")
{
    const test::UseSuite use(SuiteT::kId);
    // For f(x) = x (a line through 0), Σ λ_j·j = 0 for any set of at least 2 points;
    // for f = 1, Σ λ_j = 1.
    const std::vector<std::uint32_t> idx = {2, 5, 9};
    Scalar sum(G()), weighted(G());
    for (auto j : idx) {
        const Scalar l = LagrangeCoefficient(G(), idx, j);
        sum += l;
        weighted += l * Scalar(G(), j);
    }
    CHECK(sum == One());
    CHECK(weighted.IsZero());
    const std::vector<std::uint32_t> dup = {1, 2, 2};
    CHECK_THROWS(LagrangeCoefficient(G(), dup, 1));
    const std::vector<std::uint32_t> zero = {0, 2};
    CHECK_THROWS(LagrangeCoefficient(G(), zero, 2));
}

SUITE_CASE("secret polynomials and shares round-trip through their secret bytes")
{
    const test::UseSuite use(SuiteT::kId);
    const auto f = Polynomial::Random(G(), 4, SystemRng());
    auto g = Polynomial::Import(G(), f.Export());
    REQUIRE(g.ok());
    CHECK(g->Evaluate(5) == f.Evaluate(5));
    CHECK_FALSE(Polynomial::Import(G(), SecretBytes(Bytes(33, 1))).ok());
    CHECK_FALSE(Polynomial::Import(G(), SecretBytes(Bytes(32, 0xFF))).ok());
    const auto s = TrusteeShare::FromScalar(3, Scalar::Random(G(), SystemRng()));
    auto t = TrusteeShare::FromSecret(G(), 3, s.ExportSecret());
    REQUIRE(t.ok());
    CHECK(t->public_share() == s.public_share());
    CHECK_FALSE(TrusteeShare::FromSecret(G(), 0, s.ExportSecret()).ok());
    CHECK_FALSE(TrusteeShare::FromSecret(G(), 3, SecretBytes(Bytes(32, 0))).ok());
}

}  // namespace pingyi
