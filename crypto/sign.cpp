#include "crypto/sign.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>
#include <stdexcept>

#include "crypto/group.hpp"
#include "crypto/hash.hpp"

namespace pingyi {
namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct ParamBldFree {
    void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
    void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct EcdsaSigFree {
    void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;

constexpr std::size_t kHalf = kSignatureSize / 2;

PkeyPtr PrivateFromSeed(const SecretBytes& seed)
{
    return PkeyPtr(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
}

// ---- SM2 ----

// An EVP_PKEY of type SM2 (not EC: an EC key on the SM2 curve would sign with ECDSA) from
// the public point and, when given, the private key.
PkeyPtr Sm2Key(ByteView public_key, const SecretBytes* private_key)
{
    std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
    BnPtr d;
    if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, public_key.data(), public_key.size()) != 1)
        throw std::runtime_error("OpenSSL: SM2 key parameters failed");
    if (private_key != nullptr) {
        d.reset(BN_secure_new());
        if (!d || BN_bin2bn(private_key->data(), static_cast<int>(private_key->size()), d.get()) == nullptr ||
            OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1)
            throw std::runtime_error("OpenSSL: SM2 key parameters failed");
    }
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
    EVP_PKEY* raw = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, private_key != nullptr ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                          params.get()) != 1)
        return nullptr;
    PkeyPtr pkey(raw);
    if (EVP_PKEY_is_a(pkey.get(), "SM2") != 1) return nullptr;
    return pkey;
}

// A digest-sign or digest-verify context for SM2 with SM3 and the distinguishing ID `id`.
MdCtxPtr Sm2Context(EVP_PKEY* pkey, ByteView id, bool sign)
{
    MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
    if (!ctx) throw std::bad_alloc();
    const int rc = sign ? EVP_DigestSignInit_ex(ctx.get(), &pctx, "SM3", nullptr, nullptr, pkey, nullptr)
                        : EVP_DigestVerifyInit_ex(ctx.get(), &pctx, "SM3", nullptr, nullptr, pkey, nullptr);
    // The ID enters Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A), computed at the
    // first update; without it OpenSSL 3.0 would hash an empty ID.
    if (rc != 1 || pctx == nullptr || EVP_PKEY_CTX_set1_id(pctx, id.data(), static_cast<int>(id.size())) != 1)
        throw std::runtime_error("OpenSSL: SM2 sign/verify init failed");
    return ctx;
}

Bytes Sm2Sign(const SecretBytes& d, ByteView pub, ByteView message)
{
    PkeyPtr pkey = Sm2Key(pub, &d);
    if (!pkey) throw std::runtime_error("OpenSSL: SM2 key import failed");
    MdCtxPtr ctx = Sm2Context(pkey.get(), AsBytes(kSm2DefaultId), true);
    std::size_t der_len = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &der_len, message.data(), message.size()) != 1)
        throw std::runtime_error("OpenSSL: SM2 sign failed");
    Bytes der(der_len);
    if (EVP_DigestSign(ctx.get(), der.data(), &der_len, message.data(), message.size()) != 1)
        throw std::runtime_error("OpenSSL: SM2 sign failed");
    const unsigned char* p = der.data();
    EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len)));
    if (!sig) throw std::runtime_error("OpenSSL: SM2 signature parse failed");
    Bytes out(kSignatureSize);
    if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out.data(), kHalf) != static_cast<int>(kHalf) ||
        BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out.data() + kHalf, kHalf) != static_cast<int>(kHalf))
        throw std::runtime_error("OpenSSL: SM2 signature encoding failed");
    return out;
}

}  // namespace

std::size_t SigningPublicKeySize(SuiteId suite)
{
    return suite == SuiteId::SM2_SM3 ? kSm2PublicKeySize : kSigningPublicKeySize;
}

SigningKey SigningKey::Generate(Rng& rng, SuiteId suite)
{
    for (;;) {
        SecretBytes seed(kSigningSeedSize);
        rng.Fill(seed.span());
        auto key = FromSeed(seed, suite);
        if (key) return std::move(key).value();
        // An SM2 draw outside [1, q − 2] (probability about 2^-32) is drawn again.
        if (suite != SuiteId::SM2_SM3) throw std::runtime_error(key.error().detail);
    }
}

Result<SigningKey> SigningKey::FromSeed(const SecretBytes& seed, SuiteId suite)
{
    if (suite == SuiteId::SM2_SM3) {
        const Group& g = Group::SM2();
        auto d = Scalar::DecodeSecret(g, seed.view());
        // GB/T 32918.1: the private key is in [1, q − 2] (1 + d must be invertible).
        if (!d || d->IsZero() || (*d + Scalar(g, 1)).IsZero())
            return MakeError("key.signing", "an SM2 private key must be 32 bytes, between 1 and q − 2");
        return SigningKey(suite, SecretBytes(seed.view()), MulBase(*d).Encode());
    }
    if (seed.size() != kSigningSeedSize) return MakeError("key.signing", "an Ed25519 seed must be 32 bytes");
    PkeyPtr pkey = PrivateFromSeed(seed);
    if (!pkey) return MakeError("key.signing", "OpenSSL rejected the Ed25519 seed");
    Bytes pub(kSigningPublicKeySize);
    std::size_t len = pub.size();
    if (EVP_PKEY_get_raw_public_key(pkey.get(), pub.data(), &len) != 1 || len != kSigningPublicKeySize)
        return MakeError("key.signing", "OpenSSL could not derive the Ed25519 public key");
    return SigningKey(suite, SecretBytes(seed.view()), std::move(pub));
}

Bytes SigningKey::Sign(ByteView message) const
{
    if (m_suite == SuiteId::SM2_SM3) return Sm2Sign(m_seed, m_public, message);
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

Status VerifySignature(SuiteId suite, ByteView public_key, ByteView message, ByteView signature)
{
    if (suite == SuiteId::SM2_SM3) return VerifySm2Signature(public_key, AsBytes(kSm2DefaultId), message, signature);
    return VerifySignature(public_key, message, signature);
}

Status VerifySm2Signature(ByteView public_key, ByteView id, ByteView message, ByteView signature)
{
    if (public_key.size() != kSm2PublicKeySize || !Point::Decode(Group::SM2(), public_key).ok())
        return MakeError("signature.key", "the SM2 public key is not a point of the SM2 curve");
    if (signature.size() != kSignatureSize) return MakeError("signature.invalid", "an SM2 signature must be 64 bytes");
    PkeyPtr pkey = Sm2Key(public_key, nullptr);
    if (!pkey) return MakeError("signature.key", "the SM2 public key is invalid");
    // r ‖ s back to the DER that OpenSSL verifies; OpenSSL rejects r or s outside [1, q − 1].
    EcdsaSigPtr sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(signature.data(), kHalf, nullptr);
    BIGNUM* s = BN_bin2bn(signature.data() + kHalf, kHalf, nullptr);
    if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        throw std::bad_alloc();
    }
    unsigned char* der = nullptr;
    const int der_len = i2d_ECDSA_SIG(sig.get(), &der);
    if (der_len <= 0) throw std::runtime_error("OpenSSL: SM2 signature encoding failed");
    std::unique_ptr<unsigned char, void (*)(unsigned char*)> der_owner(der, [](unsigned char* p) { OPENSSL_free(p); });
    MdCtxPtr ctx = Sm2Context(pkey.get(), id, false);
    if (EVP_DigestVerify(ctx.get(), der, static_cast<std::size_t>(der_len), message.data(), message.size()) != 1)
        return MakeError("signature.invalid", "the SM2 signature does not verify");
    return Status::Ok();
}

Digest KeyFingerprintDigest(ByteView public_key, SuiteId suite)
{
    return Transcript("pingyi/v1/key-fingerprint", suite).Add(public_key).Hash();
}

std::string KeyFingerprint(ByteView public_key, SuiteId suite)
{
    const Digest d = KeyFingerprintDigest(public_key, suite);
    const std::string hex = ToHex(ByteView(d).first(8));
    std::string out;
    for (std::size_t i = 0; i < hex.size(); ++i) {
        if (i > 0 && i % 4 == 0) out.push_back('-');
        out.push_back(hex[i]);
    }
    return out;
}

}  // namespace pingyi
