// Known-answer vectors from tests/vectors/p256-sha256.json and sm2-sm3.json, made by
// tests/vectors/make_vectors.py — an independent pure-Python implementation of
// docs/protocol.md. The C++ prover replays the same nonces and must produce the same bytes,
// in every suite: each case runs once per suite.
#include <doctest/doctest.h>

#include <algorithm>

#include <deque>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include "crypto/hash.hpp"

#include "crypto/proofs.hpp"
#include "crypto/sign.hpp"
#include "crypto/single_decrypt.hpp"
#include "crypto/threshold.hpp"

namespace pingyi {
namespace {

nlohmann::json LoadVectors(SuiteId suite)
{
    const std::string file = suite == SuiteId::SM2_SM3 ? "/sm2-sm3.json" : "/p256-sha256.json";
    std::ifstream in(std::string(PINGYI_VECTORS_DIR) + file);
    REQUIRE(in.good());
    auto v = nlohmann::json::parse(in);
    REQUIRE(v["suite"].get<std::string>() == SuiteName(suite));
    return v;
}

Bytes Hex(const nlohmann::json& j)
{
    return FromHex(j.get<std::string>()).value();
}

// Hands out the vector's nonces, in order, as one stream: a call may take several whole draws
// at once (Scalar::RandomMany), never part of one; fails the test if the prover wants more or
// fewer.
class ReplayRng final : public Rng {
  public:
    explicit ReplayRng(const nlohmann::json& draws)
    {
        for (const auto& d : draws)
            m_queue.push_back(Hex(d));
    }
    void Fill(std::span<std::uint8_t> out) override
    {
        while (!out.empty()) {
            if (m_queue.empty() || m_queue.front().size() > out.size()) throw std::runtime_error("unexpected draw");
            std::copy(m_queue.front().begin(), m_queue.front().end(), out.begin());
            out = out.subspan(m_queue.front().size());
            m_queue.pop_front();
        }
    }
    [[nodiscard]] bool exhausted() const { return m_queue.empty(); }

  private:
    std::deque<Bytes> m_queue;
};

Scalar S(const Group& g, const nlohmann::json& j)
{
    return Scalar::Decode(g, Hex(j)).value();
}
Ciphertext Ct(const Group& g, const nlohmann::json& j)
{
    return Ciphertext::Decode(g, Hex(j)).value();
}

ElectionKeyPair Key(const Group& g, const nlohmann::json& v)
{
    auto key = ElectionKeyPair::FromSecret(g, SecretBytes(Hex(v["secret_key"])));
    REQUIRE(key.ok());
    return std::move(key).value();
}

}  // namespace

TEST_CASE("the public key is the vector's s·G")
{
    for (const SuiteId suite : kAllSuites) {
        CAPTURE(SuiteName(suite));
        const Group& g = Group::Get(suite);
        const auto v = LoadVectors(suite);
        CHECK(ToHex(Key(g, v).public_key().Encode()) == v["public_key"].get<std::string>());
    }
}

TEST_CASE("H and H_q match the independent implementation")
{
    for (const SuiteId suite : kAllSuites) {
        CAPTURE(SuiteName(suite));
        const Group& g = Group::Get(suite);
        const auto v = LoadVectors(suite);
        for (const auto& h : v["hash_to_scalar"]) {
            Transcript t(h["tag"].get<std::string>(), suite);
            for (const auto& item : h["items"])
                t.Add(Hex(item));
            CHECK(ToHex(t.Hash()) == h["hash"].get<std::string>());
            CHECK(ToHex(t.ToScalar(g).Encode()) == h["scalar"].get<std::string>());
        }
    }
}

TEST_CASE("encryptions with fixed nonces match byte for byte")
{
    for (const SuiteId suite : kAllSuites) {
        CAPTURE(SuiteName(suite));
        const Group& g = Group::Get(suite);
        const auto v = LoadVectors(suite);
        const auto key = Key(g, v);
        for (const auto& e : v["encryptions"]) {
            const Ciphertext ct = Encrypt(key.public_key(), e["m"].get<std::uint64_t>(), S(g, e["r"]));
            CHECK(ToHex(ct.Encode()) == e["ciphertext"].get<std::string>());
            DiscreteLogTable table(g, 10);
            CHECK(table.Find(DecryptToPoint(key, ct)) == e["m"].get<std::uint64_t>());
        }
    }
}

TEST_CASE("range proofs replayed from the vector's nonces match and verify")
{
    for (const SuiteId suite : kAllSuites) {
        CAPTURE(SuiteName(suite));
        const Group& g = Group::Get(suite);
        const auto v = LoadVectors(suite);
        const auto key = Key(g, v);
        for (const auto& p : v["range_proofs"]) {
            const auto m = p["m"].get<std::uint32_t>();
            const auto max = p["max"].get<std::uint32_t>();
            const Ciphertext ct = Encrypt(key.public_key(), m, S(g, p["r"]));
            REQUIRE(ToHex(ct.Encode()) == p["ciphertext"].get<std::string>());
            ReplayRng rng(p["draws"]);
            const RangeProof proof = ProveRange(key.public_key(), ct, m, S(g, p["r"]), max, Hex(p["context"]), rng);
            CHECK(rng.exhausted());
            CHECK(ToHex(proof.Encode()) == p["proof"].get<std::string>());
            const auto decoded = RangeProof::Decode(g, Hex(p["proof"]), max);
            REQUIRE(decoded.ok());
            CHECK(VerifyRange(key.public_key(), ct, max, *decoded, Hex(p["context"])).ok());
            // Form 2 (protocol.md §5.6): the same proof with its commitments, points uncompressed.
            Bytes ct2 = ct.a.EncodeUncompressed();
            AppendBytes(ct2, ct.b.EncodeUncompressed());
            CHECK(ToHex(ct2) == p["ciphertext_form2"].get<std::string>());
            CHECK(ToHex(proof.Encode(ProofForm::kWithCommitments)) == p["proof_form2"].get<std::string>());
            const auto form2 = RangeProof::Decode(g, Hex(p["proof_form2"]), max, ProofForm::kWithCommitments);
            REQUIRE(form2.ok());
            CHECK(VerifyRange(key.public_key(), ct, max, *form2, Hex(p["context"])).ok());
        }
    }
}

TEST_CASE("the constant, decryption and key proofs of the vector match and verify")
{
    for (const SuiteId suite : kAllSuites) {
        CAPTURE(SuiteName(suite));
        const Group& g = Group::Get(suite);
        const auto v = LoadVectors(suite);
        const auto key = Key(g, v);
        for (const auto& p : v["constant_proofs"]) {
            const auto proof = ChallengeResponse::Decode(g, Hex(p["proof"])).value();
            CHECK(VerifyConstant(key.public_key(), Ct(g, p["ciphertext"]), p["m"].get<std::uint64_t>(), proof,
                                 Hex(p["context"]))
                      .ok());
            CHECK_FALSE(VerifyConstant(key.public_key(), Ct(g, p["ciphertext"]), 0, proof, Hex(p["context"])).ok());
            // Form 2: the ciphertext uncompressed, the proof with its commitments.
            const Bytes ct2 = Hex(p["ciphertext_form2"]);
            const Ciphertext ct{Point::DecodeUncompressed(g, ByteView(ct2).first(kUncompressedPointSize)).value(),
                                Point::DecodeUncompressed(g, ByteView(ct2).subspan(kUncompressedPointSize)).value()};
            CHECK(ct == Ct(g, p["ciphertext"]));
            const auto form2 = ChallengeResponse::Decode(g, Hex(p["proof_form2"]), ProofForm::kWithCommitments).value();
            CHECK(form2.c == proof.c);
            CHECK(form2.v == proof.v);
            const auto m = p["m"].get<std::uint64_t>();
            CHECK(VerifyConstant(key.public_key(), ct, m, form2, Hex(p["context"])).ok());
            // Commitments a and b swapped: valid points, but not the proof's.
            auto swapped = form2;
            std::rotate(swapped.commitments.begin(),
                        swapped.commitments.begin() + static_cast<std::ptrdiff_t>(kUncompressedPointSize),
                        swapped.commitments.end());
            CHECK_FALSE(VerifyConstant(key.public_key(), ct, m, swapped, Hex(p["context"])).ok());
        }
        for (const auto& p : v["decryption_proofs"]) {
            const Ciphertext ct = Ct(g, p["ciphertext"]);
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
}

TEST_CASE("the 2-of-3 ceremony, partial decryptions and combinations match the independent implementation")
{
    for (const SuiteId suite : kAllSuites) {
        CAPTURE(SuiteName(suite));
        const Group& g = Group::Get(suite);
        const auto v = LoadVectors(suite)["threshold"];
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
        const Ciphertext ct = Ct(g, v["ciphertext"]);
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
            const auto partial = DecryptPartial(shares.back(), EncryptedSum::Of(std::span(&ct, 1)), 1, ctx, pd).value();
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
}

// ---- SM2-SM3 only: the 国密 primitives against guomi.py and the published vectors ----

TEST_CASE("SM3 matches GB/T 32905's examples and the pure-Python SM3")
{
    const auto v = LoadVectors(SuiteId::SM2_SM3)["guomi"];
    CHECK(ToHex(Sm3(AsBytes("abc"))) == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    std::string abcd;
    for (int i = 0; i < 16; ++i)
        abcd += "abcd";
    CHECK(ToHex(Sm3(AsBytes(abcd))) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
    REQUIRE(v["sm3"].size() == 4);
    for (const auto& h : v["sm3"]) {
        CHECK(ToHex(Sm3(Hex(h["message"]))) == h["digest"].get<std::string>());
        CHECK(ToHex(SuiteHash(SuiteId::SM2_SM3, Hex(h["message"]))) == h["digest"].get<std::string>());
        CHECK(ToHex(SuiteHash(SuiteId::P256_SHA256, Hex(h["message"]))) != h["digest"].get<std::string>());
    }
}

TEST_CASE("the SM2 group is the curve of GB/T 32918.5 and multiplies as guomi.py does")
{
    const auto v = LoadVectors(SuiteId::SM2_SM3)["guomi"];
    const Group& g = Group::SM2();
    CHECK(g.Name() == "SM2-SM3");
    CHECK(g.id() == SuiteId::SM2_SM3);
    BnPtr p(BN_new()), a(BN_new()), b(BN_new());
    REQUIRE(EC_GROUP_get_curve(g.raw(), p.get(), a.get(), b.get(), nullptr) == 1);
    const auto hex32 = [](const bignum_st* bn) {
        Bytes out(32);
        REQUIRE(BN_bn2binpad(bn, out.data(), 32) == 32);
        return ToHex(out);
    };
    const auto& c = v["curve"];
    CHECK(hex32(p.get()) == c["p"].get<std::string>());
    CHECK(hex32(a.get()) == c["a"].get<std::string>());
    CHECK(hex32(b.get()) == c["b"].get<std::string>());
    CHECK(hex32(g.order()) == c["q"].get<std::string>());
    CHECK(ToHex(g.Generator().Encode()) == "02" + c["gx"].get<std::string>());  // y_G is even
    for (const auto& m : v["base_mults"]) {
        const Scalar k = S(g, m["k"]);
        CHECK(ToHex(MulBase(k).Encode()) == m["point"].get<std::string>());
        CHECK(ToHex((g.Generator() * k).Encode()) == m["point"].get<std::string>());
    }
    for (const auto& m : v["variable_mults"]) {
        const Point base = Point::Decode(g, Hex(m["base"])).value();
        CHECK(ToHex((base * S(g, m["k"])).Encode()) == m["point"].get<std::string>());
    }
    // A P-256 point is not an SM2 point, and the other way round (their x mostly is not on the other curve).
    CHECK_FALSE(Point::Decode(Group::P256(), g.Generator().Encode()).ok());
}

TEST_CASE("SM2 signatures: the published and guomi.py signatures verify, altered ones do not")
{
    const auto v = LoadVectors(SuiteId::SM2_SM3)["guomi"];
    const auto key = SigningKey::FromSeed(SecretBytes(Hex(v["signing_key"]["private_key"])), SuiteId::SM2_SM3);
    REQUIRE(key.ok());
    CHECK(ToHex(key->public_key()) == v["signing_key"]["public_key"].get<std::string>());
    int published = 0;
    for (const auto& sv : v["signatures"]) {
        CAPTURE(sv["message"].get<std::string>());
        const Bytes pub = Hex(sv["public_key"]);
        const Bytes id = Hex(sv["id"]);
        const Bytes msg = Hex(sv["message"]);
        Bytes sig = Hex(sv["signature"]);
        published += sv["source"].get<std::string>().starts_with("published") ? 1 : 0;
        CHECK(VerifySm2Signature(pub, id, msg, sig).ok());
        const bool default_id = id == Bytes(kSm2DefaultId.begin(), kSm2DefaultId.end());
        CHECK(VerifySignature(SuiteId::SM2_SM3, pub, msg, sig).ok() == default_id);
        CHECK_FALSE(VerifySignature(SuiteId::P256_SHA256, pub, msg, sig).ok());
        Bytes other_msg = msg;
        other_msg.push_back(0);
        CHECK_FALSE(VerifySm2Signature(pub, id, other_msg, sig).ok());
        CHECK_FALSE(VerifySm2Signature(pub, AsBytes("1234567812345679"), msg, sig).ok());
        sig[63] ^= 1;
        CHECK_FALSE(VerifySm2Signature(pub, id, msg, sig).ok());
    }
    CHECK(published == 1);
}

}  // namespace pingyi
