#include "crypto/aead.hpp"

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <memory>
#include <stdexcept>

#include "crypto/sm4gcm.hpp"

namespace pingyi {
namespace {

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};

void CheckSizes(const SecretBytes& key, ByteView nonce)
{
    if (key.size() != kAeadKeySize || nonce.size() != kAeadNonceSize)
        throw std::invalid_argument("AES-256-GCM: wrong key or nonce size");
}

}  // namespace

Bytes AeadSeal(const SecretBytes& key, ByteView nonce, ByteView aad, ByteView plaintext)
{
    CheckSizes(key, nonce);
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    Bytes out(plaintext.size() + kAeadTagSize);
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out.data(), &len, plaintext.data(), static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), out.data() + len, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kAeadTagSize, out.data() + plaintext.size()) != 1)
        throw std::runtime_error("OpenSSL: AES-256-GCM failed");
    return out;
}

Result<SecretBytes> AeadOpen(const SecretBytes& key, ByteView nonce, ByteView aad, ByteView sealed,
                             const char* error_code)
{
    CheckSizes(key, nonce);
    if (sealed.size() < kAeadTagSize) return MakeError(error_code, "the encrypted data is truncated");
    const std::size_t n = sealed.size() - kAeadTagSize;
    Bytes tag(sealed.begin() + static_cast<std::ptrdiff_t>(n), sealed.end());
    SecretBytes plain(n);
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), plain.data(), &len, sealed.data(), static_cast<int>(n)) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kAeadTagSize, tag.data()) != 1)
        throw std::runtime_error("OpenSSL: AES-256-GCM failed");
    if (EVP_DecryptFinal_ex(ctx.get(), plain.data() + len, &len) != 1)
        return MakeError(error_code, "the encrypted data does not open with this key (wrong key, or altered)");
    return plain;
}

SecretBytes HkdfSha256(ByteView ikm, ByteView salt, ByteView info, std::size_t size)
{
    return Hkdf(SuiteId::P256_SHA256, ikm, salt, info, size);
}

std::size_t AeadKeySize(SuiteId suite)
{
    return suite == SuiteId::SM2_SM3 ? kSm4KeySize : kAeadKeySize;
}

Bytes AeadSeal(SuiteId suite, const SecretBytes& key, ByteView nonce, ByteView aad, ByteView plaintext)
{
    if (suite == SuiteId::SM2_SM3) return Sm4GcmSeal(key, nonce, aad, plaintext);
    return AeadSeal(key, nonce, aad, plaintext);
}

Result<SecretBytes> AeadOpen(SuiteId suite, const SecretBytes& key, ByteView nonce, ByteView aad, ByteView sealed,
                             const char* error_code)
{
    if (suite == SuiteId::SM2_SM3) return Sm4GcmOpen(key, nonce, aad, sealed, error_code);
    return AeadOpen(key, nonce, aad, sealed, error_code);
}

SecretBytes Hkdf(SuiteId suite, ByteView ikm, ByteView salt, ByteView info, std::size_t size)
{
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr));
    SecretBytes out(size);
    std::size_t out_len = size;
    const EVP_MD* md = suite == SuiteId::SM2_SM3 ? EVP_sm3() : EVP_sha256();
    if (!ctx || md == nullptr || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_hkdf_md(ctx.get(), md) != 1 ||
        EVP_PKEY_CTX_set1_hkdf_salt(ctx.get(), salt.data(), static_cast<int>(salt.size())) != 1 ||
        EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), ikm.data(), static_cast<int>(ikm.size())) != 1 ||
        EVP_PKEY_CTX_add1_hkdf_info(ctx.get(), info.data(), static_cast<int>(info.size())) != 1 ||
        EVP_PKEY_derive(ctx.get(), out.data(), &out_len) != 1 || out_len != size)
        throw std::runtime_error("OpenSSL: HKDF failed");
    return out;
}

}  // namespace pingyi
