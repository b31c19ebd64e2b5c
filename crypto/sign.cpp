#include "crypto/sign.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "crypto/hash.hpp"

namespace pingyi {
namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

PkeyPtr PrivateFromSeed(const SecretBytes& seed)
{
    return PkeyPtr(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
}

}  // namespace

SigningKey SigningKey::Generate(Rng& rng)
{
    SecretBytes seed(kSigningSeedSize);
    rng.Fill(seed.span());
    auto key = FromSeed(seed);
    if (!key) throw std::runtime_error(key.error().detail);
    return std::move(key).value();
}

Result<SigningKey> SigningKey::FromSeed(const SecretBytes& seed)
{
    if (seed.size() != kSigningSeedSize) return MakeError("key.signing", "an Ed25519 seed must be 32 bytes");
    PkeyPtr pkey = PrivateFromSeed(seed);
    if (!pkey) return MakeError("key.signing", "OpenSSL rejected the Ed25519 seed");
    Bytes pub(kSigningPublicKeySize);
    std::size_t len = pub.size();
    if (EVP_PKEY_get_raw_public_key(pkey.get(), pub.data(), &len) != 1 || len != kSigningPublicKeySize)
        return MakeError("key.signing", "OpenSSL could not derive the Ed25519 public key");
    return SigningKey(SecretBytes(seed.view()), std::move(pub));
}

Bytes SigningKey::Sign(ByteView message) const
{
    PkeyPtr pkey = PrivateFromSeed(m_seed);
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!pkey || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1)
        throw std::runtime_error("OpenSSL: Ed25519 sign init failed");
    Bytes sig(kSignatureSize);
    std::size_t len = sig.size();
    if (EVP_DigestSign(ctx.get(), sig.data(), &len, message.data(), message.size()) != 1 || len != kSignatureSize)
        throw std::runtime_error("OpenSSL: Ed25519 sign failed");
    return sig;
}

Status VerifySignature(ByteView public_key, ByteView message, ByteView signature)
{
    if (public_key.size() != kSigningPublicKeySize)
        return MakeError("signature.key", "an Ed25519 public key must be 32 bytes");
    if (signature.size() != kSignatureSize)
        return MakeError("signature.invalid", "an Ed25519 signature must be 64 bytes");
    PkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), public_key.size()));
    if (!pkey) return MakeError("signature.key", "the Ed25519 public key is invalid");
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1)
        throw std::runtime_error("OpenSSL: Ed25519 verify init failed");
    if (EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(), message.size()) != 1)
        return MakeError("signature.invalid", "the Ed25519 signature does not verify");
    return Status::Ok();
}

Digest KeyFingerprintDigest(ByteView public_key)
{
    return Transcript("pingyi/v1/key-fingerprint").Add(public_key).Hash();
}

std::string KeyFingerprint(ByteView public_key)
{
    const Digest d = KeyFingerprintDigest(public_key);
    const std::string hex = ToHex(ByteView(d).first(8));
    std::string out;
    for (std::size_t i = 0; i < hex.size(); ++i) {
        if (i > 0 && i % 4 == 0) out.push_back('-');
        out.push_back(hex[i]);
    }
    return out;
}

}  // namespace pingyi
