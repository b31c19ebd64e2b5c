// Known-answer vectors from tests/vectors/p256-sha256.json, made by
// tests/vectors/make_vectors.py — an independent pure-Python implementation of
// docs/protocol.md. The C++ prover replays the same nonces and must produce the same bytes.
#include <doctest/doctest.h>

#include <deque>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "crypto/hash.hpp"
#include "crypto/proofs.hpp"
#include "crypto/threshold.hpp"

namespace pingyi {
namespace {

const Group& g = Group::P256();

nlohmann::json LoadVectors()
{
    std::ifstream in(std::string(PINGYI_VECTORS_DIR) + "/p256-sha256.json");
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
}

Bytes Hex(const nlohmann::json& j)
{
    return FromHex(j.get<std::string>()).value();
}

// Hands out the vector's nonces, in order; fails the test if the prover wants more or fewer.
class ReplayRng final : public Rng {
  public:
    explicit ReplayRng(const nlohmann::json& draws)
    {
        for (const auto& d : draws)
            m_queue.push_back(Hex(d));
    }
    void Fill(std::span<std::uint8_t> out) override
    {
        if (m_queue.empty() || m_queue.front().size() != out.size()) throw std::runtime_error("unexpected draw");
        std::copy(m_queue.front().begin(), m_queue.front().end(), out.begin());
        m_queue.pop_front();
    }
    [[nodiscard]] bool exhausted() const { return m_queue.empty(); }

  private:
    std::deque<Bytes> m_queue;
};

Scalar S(const nlohmann::json& j)
{
    return Scalar::Decode(g, Hex(j)).value();
}
Ciphertext Ct(const nlohmann::json& j)
{
    return Ciphertext::Decode(g, Hex(j)).value();
}

ElectionKeyPair Key(const nlohmann::json& v)
{
    auto key = ElectionKeyPair::FromSecret(g, SecretBytes(Hex(v["secret_key"])));
    REQUIRE(key.ok());
    return std::move(key).value();
}

}  // namespace

TEST_CASE("the public key is the vector's s·G")
{
    const auto v = LoadVectors();
    CHECK(ToHex(Key(v).public_key().Encode()) == v["public_key"].get<std::string>());
}

TEST_CASE("H and H_q match the independent implementation")
{
    const auto v = LoadVectors();
    for (const auto& h : v["hash_to_scalar"]) {
        Transcript t(h["tag"].get<std::string>());
        for (const auto& item : h["items"])
            t.Add(Hex(item));
        CHECK(ToHex(t.Hash()) == h["hash"].get<std::string>());
        CHECK(ToHex(t.ToScalar(g).Encode()) == h["scalar"].get<std::string>());
    }
}

TEST_CASE("encryptions with fixed nonces match byte for byte")
{
    const auto v = LoadVectors();
    const auto key = Key(v);
    for (const auto& e : v["encryptions"]) {
        const Ciphertext ct = Encrypt(key.public_key(), e["m"].get<std::uint64_t>(), S(e["r"]));
        CHECK(ToHex(ct.Encode()) == e["ciphertext"].get<std::string>());
        DiscreteLogTable table(g, 10);
        CHECK(table.Find(DecryptToPoint(key, ct)) == e["m"].get<std::uint64_t>());
    }
}

TEST_CASE("range proofs replayed from the vector's nonces match and verify")
{
    const auto v = LoadVectors();
    const auto key = Key(v);
    for (const auto& p : v["range_proofs"]) {
        const auto m = p["m"].get<std::uint32_t>();
        const auto max = p["max"].get<std::uint32_t>();
        const Ciphertext ct = Encrypt(key.public_key(), m, S(p["r"]));
        REQUIRE(ToHex(ct.Encode()) == p["ciphertext"].get<std::string>());
        ReplayRng rng(p["draws"]);
        const RangeProof proof = ProveRange(key.public_key(), ct, m, S(p["r"]), max, Hex(p["context"]), rng);
        CHECK(rng.exhausted());
        CHECK(ToHex(proof.Encode()) == p["proof"].get<std::string>());
        const auto decoded = RangeProof::Decode(g, Hex(p["proof"]), max);
        REQUIRE(decoded.ok());
        CHECK(VerifyRange(key.public_key(), ct, max, *decoded, Hex(p["context"])).ok());
    }
}

TEST_CASE("the constant, decryption and key proofs of the vector match and verify")
{
    const auto v = LoadVectors();
    const auto key = Key(v);
    for (const auto& p : v["constant_proofs"]) {
        const auto proof = ChallengeResponse::Decode(g, Hex(p["proof"])).value();
        CHECK(
            VerifyConstant(key.public_key(), Ct(p["ciphertext"]), p["m"].get<std::uint64_t>(), proof, Hex(p["context"]))
                .ok());
        CHECK_FALSE(VerifyConstant(key.public_key(), Ct(p["ciphertext"]), 0, proof, Hex(p["context"])).ok());
    }
    for (const auto& p : v["decryption_proofs"]) {
        const Ciphertext ct = Ct(p["ciphertext"]);
        const auto m = p["m"].get<std::uint64_t>();
        ReplayRng rng(p["draws"]);
        const auto proof = ProveDecryption(key, ct, m, Hex(p["context"]), rng);
        CHECK(ToHex(proof.Encode()) == p["proof"].get<std::string>());
        CHECK(VerifyDecryption(key.public_key(), ct, m, proof, Hex(p["context"])).ok());
        CHECK_FALSE(VerifyDecryption(key.public_key(), ct, m + 1, proof, Hex(p["context"])).ok());
    }
    const auto& kp = v["key_proof"];
    ReplayRng rng(kp["draws"]);
    const auto proof = ProveKeyKnowledge(key, Hex(kp["context"]), rng);
    CHECK(ToHex(proof.Encode()) == kp["proof"].get<std::string>());
    CHECK(VerifyKeyKnowledge(key.public_key(), proof, Hex(kp["context"])).ok());
}

TEST_CASE("the 2-of-3 ceremony, partial decryptions and combinations match the independent implementation")
{
    const auto v = LoadVectors()["threshold"];
    const Bytes ctx = Hex(v["context"]);
    const auto k = v["k"].get<std::uint32_t>();
    std::vector<Polynomial> polys;
    std::vector<std::vector<Point>> commitments;
    for (const auto& d : v["dealers"]) {
        const auto i = d["index"].get<std::uint32_t>();
        ReplayRng coeffs(d["coefficient_draws"]);
        polys.push_back(Polynomial::Random(g, k, coeffs));
        CHECK(coeffs.exhausted());
        commitments.push_back(polys.back().Commitments());
        for (std::size_t l = 0; l < k; ++l)
            CHECK(ToHex(commitments.back()[l].Encode()) == d["commitments"][l].get<std::string>());
        ReplayRng draws(d["proof_draws"]);
        const auto proofs = ProveCoefficients(polys.back(), i, ctx, draws);
        CHECK(draws.exhausted());
        for (std::size_t l = 0; l < k; ++l)
            CHECK(ToHex(proofs[l].Encode()) == d["proofs"][l].get<std::string>());
        CHECK(VerifyCoefficients(commitments.back(), i, proofs, ctx).ok());
    }
    CHECK(ToHex(JointPublicKey(commitments).Encode()) == v["joint_public_key"].get<std::string>());
    const Ciphertext ct = Ct(v["ciphertext"]);
    std::vector<TrusteeShare> shares;
    std::vector<Point> partials;
    for (const auto& t : v["trustees"]) {
        const auto j = t["index"].get<std::uint32_t>();
        Scalar x(g);
        for (std::size_t i = 0; i < polys.size(); ++i) {
            const Scalar f = polys[i].Evaluate(j);
            CHECK(ToHex(f.Encode()) == t["shares_received"][i].get<std::string>());
            CHECK(VerifyShare(commitments[i], j, f).ok());
            x += f;
        }
        shares.push_back(TrusteeShare::FromScalar(j, std::move(x)));
        CHECK(ToHex(shares.back().secret().Encode()) == t["share"].get<std::string>());
        CHECK(ToHex(PublicShare(commitments, j).Encode()) == t["public_share"].get<std::string>());
        ReplayRng conf(t["confirmation_draws"]);
        const auto proof = ProveShareKnowledge(shares.back(), ctx, conf);
        CHECK(ToHex(proof.Encode()) == t["confirmation"].get<std::string>());
        ReplayRng pd(t["partial_draws"]);
        const auto partial = DecryptPartial(shares.back(), ct.a, ctx, pd);
        CHECK(ToHex(partial.d.Encode()) == t["partial"].get<std::string>());
        CHECK(ToHex(partial.proof.Encode()) == t["partial_proof"].get<std::string>());
        CHECK(VerifyPartial(shares.back().public_share(), ct.a, partial, ctx).ok());
        partials.push_back(partial.d);
    }
    for (const auto& c : v["combinations"]) {
        const auto who = c["trustees"].get<std::vector<std::uint32_t>>();
        std::vector<Point> parts;
        for (std::size_t x = 0; x < who.size(); ++x) {
            parts.push_back(partials[who[x] - 1]);
            CHECK(ToHex(LagrangeCoefficient(g, who, who[x]).Encode()) == c["lagrange"][x].get<std::string>());
        }
        const Point m = CombinePartials(ct.b, who, parts);
        CHECK(ToHex(m.Encode()) == c["combined"].get<std::string>());
        CHECK(m == SmallMulBase(g, v["m"].get<std::uint64_t>()));
    }
}

}  // namespace pingyi
