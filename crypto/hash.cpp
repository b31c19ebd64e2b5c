#include "crypto/hash.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace pingyi {
namespace {

struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

// Fetched once: EVP_sha256() and EVP_sm3() make every EVP_DigestInit_ex look the
// implementation up again by name (OpenSSL 3's implicit fetch), a measurable share of hashing
// a short transcript. Kept for the process (reachable, so not a leak).
const EVP_MD* FetchOnce(const char* name)
{
    const EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
    if (md == nullptr) throw std::runtime_error(std::string("OpenSSL: no implementation of ") + name);
    return md;
}

const EVP_MD* SuiteMd(SuiteId suite)
{
    switch (suite) {
        case SuiteId::P256_SHA256: {
            static const EVP_MD* const md = FetchOnce("SHA256");
            return md;
        }
        case SuiteId::SM2_SM3: {
            static const EVP_MD* const md = FetchOnce("SM3");
            return md;
        }
    }
    throw std::invalid_argument("unknown suite");
}

Digest HashParts(SuiteId suite, std::initializer_list<ByteView> parts)
{
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    const EVP_MD* md = SuiteMd(suite);
    if (!ctx || md == nullptr || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1)
        throw std::runtime_error("OpenSSL: hash init failed");
    for (ByteView p : parts) {
        if (EVP_DigestUpdate(ctx.get(), p.data(), p.size()) != 1)
            throw std::runtime_error("OpenSSL: hash update failed");
    }
    Digest out{};
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1 || len != out.size())
        throw std::runtime_error("OpenSSL: hash final failed");
    return out;
}

}  // namespace

Digest Sha256(ByteView data)
{
    return HashParts(SuiteId::P256_SHA256, {data});
}

Digest Sm3(ByteView data)
{
    return HashParts(SuiteId::SM2_SM3, {data});
}

Digest SuiteHash(SuiteId suite, ByteView data)
{
    return HashParts(suite, {data});
}

Transcript::Transcript(std::string_view tag, SuiteId suite) : m_suite(suite)
{
    AppendLengthPrefixed(m_message, AsBytes(tag));
}

Transcript& Transcript::Add(ByteView item)
{
    AppendLengthPrefixed(m_message, item);
    return *this;
}

Transcript& Transcript::AddU32(std::uint32_t v)
{
    Bytes b;
    AppendU32(b, v);
    return Add(b);
}

Digest Transcript::Hash() const
{
    return SuiteHash(m_suite, m_message);
}

Scalar Transcript::ToScalar(const Group& g) const
{
    static constexpr std::uint8_t kOne[1] = {0x01};
    static constexpr std::uint8_t kTwo[1] = {0x02};
    const Digest hi = HashParts(g.id(), {kOne, m_message});
    const Digest lo = HashParts(g.id(), {kTwo, m_message});
    std::uint8_t wide[2 * kHashSize];
    std::copy(hi.begin(), hi.end(), wide);
    std::copy(lo.begin(), lo.end(), wide + kHashSize);
    return Scalar::Reduce(g, wide);
}

}  // namespace pingyi
