#include "crypto/sm4gcm.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>

namespace pingyi {
namespace {

constexpr std::size_t kBlock = 16;
using Block = std::array<std::uint8_t, kBlock>;
// Far below GCM's limit of 2^32 − 2 blocks; the sealed secrets are a few hundred bytes.
constexpr std::size_t kMaxBytes = std::size_t{1} << 26;

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

// SM4 encryption of single blocks under one key (ECB of one block at a time).
class Sm4 {
  public:
    explicit Sm4(const SecretBytes& key) : m_ctx(EVP_CIPHER_CTX_new())
    {
        if (key.size() != kSm4KeySize) throw std::invalid_argument("SM4-GCM: the key must be 16 bytes");
        const EVP_CIPHER* sm4 = EVP_sm4_ecb();
        if (!m_ctx || sm4 == nullptr || EVP_EncryptInit_ex(m_ctx.get(), sm4, nullptr, key.data(), nullptr) != 1 ||
            EVP_CIPHER_CTX_set_padding(m_ctx.get(), 0) != 1)
            throw std::runtime_error("OpenSSL: SM4 init failed");
    }
    [[nodiscard]] Block Encrypt(const Block& in) const
    {
        Block out{};
        int len = 0;
        if (EVP_EncryptUpdate(m_ctx.get(), out.data(), &len, in.data(), static_cast<int>(kBlock)) != 1 ||
            len != static_cast<int>(kBlock))
            throw std::runtime_error("OpenSSL: SM4 block encryption failed");
        return out;
    }

  private:
    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> m_ctx;
};

// An element of GF(2^128) in GCM's bit order: hi holds bytes 0-7, lo bytes 8-15, both
// big-endian, so that bit 0 of the field (x^0) is the most significant bit of hi.
struct Gf {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;
};

std::uint64_t Load64(const std::uint8_t* p)
{
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | p[i];
    return v;
}

void Store64(std::uint8_t* p, std::uint64_t v)
{
    for (int i = 7; i >= 0; --i) {
        p[i] = static_cast<std::uint8_t>(v);
        v >>= 8;
    }
}

Gf Load(const Block& b)
{
    return {Load64(b.data()), Load64(b.data() + 8)};
}

// X·Y in GF(2^128) with the GCM polynomial (SP 800-38D §6.3, Algorithm 1), in constant
// time: every one of the 128 rounds does the same operations whatever the bits are.
Gf Multiply(Gf x, Gf y)
{
    Gf z;
    Gf v = y;
    for (int i = 0; i < 128; ++i) {
        const std::uint64_t word = i < 64 ? x.hi : x.lo;
        const std::uint64_t bit = (word >> (63 - (i % 64))) & 1U;
        const std::uint64_t take = 0 - bit;
        z.hi ^= v.hi & take;
        z.lo ^= v.lo & take;
        const std::uint64_t reduce = 0 - (v.lo & 1U);
        v.lo = (v.lo >> 1) | (v.hi << 63);
        v.hi = (v.hi >> 1) ^ (0xE100000000000000ULL & reduce);
    }
    return z;
}

class Ghash {
  public:
    explicit Ghash(Gf h) : m_h(h) {}
    ~Ghash()
    {
        OPENSSL_cleanse(&m_h, sizeof m_h);
        OPENSSL_cleanse(&m_y, sizeof m_y);
    }
    Ghash(const Ghash&) = delete;
    Ghash& operator=(const Ghash&) = delete;

    // Absorbs `data` zero-padded to a whole number of blocks.
    void Absorb(ByteView data)
    {
        for (std::size_t off = 0; off < data.size(); off += kBlock) {
            Block b{};
            const std::size_t n = std::min(kBlock, data.size() - off);
            std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(off), n, b.begin());
            AbsorbBlock(b);
            OPENSSL_cleanse(b.data(), b.size());
        }
    }
    void AbsorbLengths(std::size_t aad_bytes, std::size_t text_bytes)
    {
        Block b{};
        Store64(b.data(), std::uint64_t{aad_bytes} * 8);
        Store64(b.data() + 8, std::uint64_t{text_bytes} * 8);
        AbsorbBlock(b);
    }
    [[nodiscard]] Block Value() const
    {
        Block out{};
        Store64(out.data(), m_y.hi);
        Store64(out.data() + 8, m_y.lo);
        return out;
    }

  private:
    void AbsorbBlock(const Block& b)
    {
        const Gf x = Load(b);
        m_y = Multiply({m_y.hi ^ x.hi, m_y.lo ^ x.lo}, m_h);
    }
    Gf m_h;
    Gf m_y;
};

// The counter blocks J0 + i with inc32 (SP 800-38D §6.2): only the last 32 bits count.
Block Counter(const Block& j0, std::uint32_t i)
{
    Block cb = j0;
    const std::uint32_t low = ReadU32(ByteView(j0).last(4)) + i;
    for (int k = 0; k < 4; ++k)
        cb[kBlock - 1 - k] = static_cast<std::uint8_t>(low >> (8 * k));
    return cb;
}

// GCTR from J0 + 1 (SP 800-38D §6.5) into `out`.
void Ctr(const Sm4& sm4, const Block& j0, ByteView in, std::uint8_t* out)
{
    for (std::size_t off = 0, i = 1; off < in.size(); off += kBlock, ++i) {
        Block ks = sm4.Encrypt(Counter(j0, static_cast<std::uint32_t>(i)));
        const std::size_t n = std::min(kBlock, in.size() - off);
        for (std::size_t k = 0; k < n; ++k)
            out[off + k] = in[off + k] ^ ks[k];
        OPENSSL_cleanse(ks.data(), ks.size());
    }
}

// The tag over aad and ciphertext: E(K, J0) xor GHASH_H(A ‖ pad ‖ C ‖ pad ‖ [len(A)]64 ‖ [len(C)]64).
Block Tag(const Sm4& sm4, const Block& j0, ByteView aad, ByteView ciphertext)
{
    Block h = sm4.Encrypt(Block{});
    Ghash ghash(Load(h));
    OPENSSL_cleanse(h.data(), h.size());
    ghash.Absorb(aad);
    ghash.Absorb(ciphertext);
    ghash.AbsorbLengths(aad.size(), ciphertext.size());
    Block tag = sm4.Encrypt(j0);
    const Block s = ghash.Value();
    for (std::size_t k = 0; k < kBlock; ++k)
        tag[k] ^= s[k];
    return tag;
}

// J0 = IV ‖ 0^31 ‖ 1 for the 96-bit IV, the only length used.
Block J0(ByteView nonce, std::size_t aad_size, std::size_t text_size)
{
    if (nonce.size() != kSm4GcmNonceSize) throw std::invalid_argument("SM4-GCM: the nonce must be 12 bytes");
    if (aad_size > kMaxBytes || text_size > kMaxBytes) throw std::invalid_argument("SM4-GCM: too much data");
    Block j0{};
    std::copy(nonce.begin(), nonce.end(), j0.begin());
    j0[kBlock - 1] = 1;
    return j0;
}

}  // namespace

Bytes Sm4GcmSeal(const SecretBytes& key, ByteView nonce, ByteView aad, ByteView plaintext)
{
    const Block j0 = J0(nonce, aad.size(), plaintext.size());
    const Sm4 sm4(key);
    Bytes out(plaintext.size() + kSm4GcmTagSize);
    Ctr(sm4, j0, plaintext, out.data());
    const Block tag = Tag(sm4, j0, aad, ByteView(out).first(plaintext.size()));
    std::copy(tag.begin(), tag.end(), out.begin() + static_cast<std::ptrdiff_t>(plaintext.size()));
    return out;
}

Result<SecretBytes> Sm4GcmOpen(const SecretBytes& key, ByteView nonce, ByteView aad, ByteView sealed,
                               const char* error_code)
{
    if (sealed.size() < kSm4GcmTagSize) return MakeError(error_code, "the encrypted data is truncated");
    const ByteView ciphertext = sealed.first(sealed.size() - kSm4GcmTagSize);
    const Block j0 = J0(nonce, aad.size(), ciphertext.size());
    const Sm4 sm4(key);
    const Block tag = Tag(sm4, j0, aad, ciphertext);
    if (!EqualConstTime(tag, sealed.last(kSm4GcmTagSize)))
        return MakeError(error_code, "the encrypted data does not open with this key (wrong key, or altered)");
    SecretBytes plain(ciphertext.size());
    Ctr(sm4, j0, ciphertext, plain.data());
    return plain;
}

}  // namespace pingyi
