#include "crypto/elgamal.hpp"

#include "crypto/single_decrypt.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace pingyi {

Bytes Ciphertext::Encode() const
{
    Bytes out = a.Encode();
    AppendBytes(out, b.Encode());
    return out;
}

Result<Ciphertext> Ciphertext::Decode(const Group& g, ByteView bytes)
{
    if (bytes.size() != kCiphertextSize)
        return MakeError("encoding.ciphertext", "a ciphertext must be exactly 66 bytes");
    auto a = Point::Decode(g, bytes.first(kPointSize));
    if (!a) return a.error();
    auto b = Point::Decode(g, bytes.subspan(kPointSize));
    if (!b) return b.error();
    return Ciphertext{std::move(a).value(), std::move(b).value()};
}

ElectionKeyPair ElectionKeyPair::Generate(const Group& g, Rng& rng)
{
    Scalar s = Scalar::Random(g, rng);
    Point k = MulBase(s);
    return ElectionKeyPair(std::move(s), std::move(k));
}

Result<ElectionKeyPair> ElectionKeyPair::FromSecret(const Group& g, const SecretBytes& secret)
{
    auto s = Scalar::DecodeSecret(g, secret.view());
    if (!s) return s.error();
    if (s->IsZero()) return MakeError("key.secret", "the election secret is zero");
    Point k = MulBase(*s);
    return ElectionKeyPair(std::move(s).value(), std::move(k));
}

SecretBytes ElectionKeyPair::ExportSecret() const
{
    Bytes raw = m_secret.Encode();
    SecretBytes out(raw);
    Wipe(raw);
    return out;
}

Ciphertext Encrypt(const Point& public_key, std::uint64_t m, const Scalar& r)
{
    return Encrypt(*KeyTable(public_key), m, r);
}

Ciphertext Encrypt(const FixedBase& key_table, std::uint64_t m, const Scalar& r)
{
    // r·K and (m+1)·G each in constant time, from the tables of K and G, then
    // B = r·K + (m+1)·G − G: two additions of points that are never the identity, whatever m
    // is. (Adding m·G directly skipped the addition for m = 0: OpenSSL returns early on the
    // identity.)
    const Group& g = key_table.base().group();
    Ciphertext ct{MulBase(r), key_table.Mul(r) + MulBase(Scalar(g, m + 1)) + NegatedGenerator(g)};
    // Encoded twice, in its proof's transcript and in the ballot record: once is enough.
    ct.a.KeepEncoding();
    ct.b.KeepEncoding();
    return ct;
}

Status RequireBallots(const EncryptedSum& sum, std::size_t min_ballots)
{
    if (sum.count() >= std::max<std::size_t>(min_ballots, 1)) return Status::Ok();
    return MakeError("tally.too_few", "a sum of " + std::to_string(sum.count()) + " ballots is below the minimum of " +
                                          std::to_string(min_ballots) + ": it is not decrypted");
}

Point DecryptToPoint(const ElectionKeyPair& key, const Ciphertext& ct)
{
    return ct.b - ct.a * key.secret();
}

EncryptedSum EncryptedSum::Of(std::span<const Ciphertext> cts)
{
    return EncryptedSum(Sum(cts), cts.size());
}

void EncryptedSum::Add(const Ciphertext& ct)
{
    m_sum = m_sum + ct;
    ++m_count;
}

Ciphertext Sum(std::span<const Ciphertext> cts)
{
    if (cts.empty()) throw std::invalid_argument("Sum of no ciphertexts");
    Ciphertext acc = cts.front();
    for (std::size_t i = 1; i < cts.size(); ++i) {
        acc.a += cts[i].a;
        acc.b += cts[i].b;
    }
    return acc;
}

DiscreteLogTable::DiscreteLogTable(const Group& g, std::uint64_t bound)
    : m_bound(bound),
      m_step(static_cast<std::uint64_t>(std::ceil(std::sqrt(static_cast<double>(bound) + 1.0)))),
      m_giant(g)
{
    if (m_step == 0) m_step = 1;
    const Point generator = g.Generator();
    Point acc = generator;
    for (std::uint64_t j = 1; j < m_step; ++j) {
        m_baby.emplace(std::string(reinterpret_cast<const char*>(acc.Encode().data()), kPointSize), j);
        acc += generator;
    }
    m_giant = -SmallMulBase(g, m_step);
}

std::optional<std::uint64_t> DiscreteLogTable::Find(const Point& m_point) const
{
    // m = i·step + j: look for M - i·step·G among the baby steps j·G (j = 0 is the identity).
    Point gamma = m_point;
    for (std::uint64_t i = 0; i * m_step <= m_bound; ++i) {
        std::optional<std::uint64_t> j;
        if (gamma.IsIdentity()) {
            j = 0;
        } else {
            const Bytes enc = gamma.Encode();
            auto it = m_baby.find(std::string(reinterpret_cast<const char*>(enc.data()), enc.size()));
            if (it != m_baby.end()) j = it->second;
        }
        if (j) {
            const std::uint64_t m = i * m_step + *j;
            if (m <= m_bound) return m;
            return std::nullopt;
        }
        gamma += m_giant;
    }
    return std::nullopt;
}

}  // namespace pingyi
