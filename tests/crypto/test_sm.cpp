// The SM2-SM3 suite's own primitives and what both suites share through one interface:
// SM4-GCM against RFC 8998, signatures and key files in each suite (forged signatures,
// wrong passphrases and altered files rejected), and files of one suite refused by the other.
#include <doctest/doctest.h>

#include <openssl/evp.h>

#include <string>

#include "crypto/aead.hpp"
#include "crypto/hash.hpp"
#include "crypto/keyfile.hpp"
#include "crypto/sign.hpp"
#include "crypto/sm4gcm.hpp"
#include "test_util.hpp"

namespace pingyi {
namespace {

using test::G;
using test::Hex;

// The cheapest KDF settings each suite accepts, so that the openings below stay fast.
constexpr KdfParams kFast{/*log2_n=*/14, /*r=*/8, /*p=*/1, /*iterations=*/kMinPbkdf2Iterations};

// RFC 8998 Appendix A.1: SM4-GCM.
struct Rfc8998 {
    SecretBytes key{Hex("0123456789abcdeffedcba9876543210")};
    Bytes iv = Hex("00001234567800000000abcd");
    Bytes aad = Hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    Bytes plain =
        Hex("aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccddddddddddddddddeeeeeeeeeeeeeeeeffffffffffffffff"
            "eeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa");
    Bytes sealed =
        Hex("17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735d82710ca5c22f0ccfa7cbf93d496ac15"
            "a56834cbcf98c397b4024a2691233b8d"
            "83de3541e4c2b58177e065a9bf7b62ec");
};

}  // namespace

TEST_CASE("SM4 is GB/T 32907's block cipher (its example 1)")
{
    // Our GCM calls SM4-ECB one block at a time; the standard's example pins that primitive.
    const Bytes k = Hex("0123456789abcdeffedcba9876543210");
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    REQUIRE(ctx != nullptr);
    Bytes out(32);
    int len = 0;
    REQUIRE(EVP_EncryptInit_ex(ctx, EVP_sm4_ecb(), nullptr, k.data(), nullptr) == 1);
    REQUIRE(EVP_CIPHER_CTX_set_padding(ctx, 0) == 1);
    REQUIRE(EVP_EncryptUpdate(ctx, out.data(), &len, k.data(), 16) == 1);
    EVP_CIPHER_CTX_free(ctx);
    CHECK(len == 16);
    CHECK(ToHex(ByteView(out).first(16)) == "681edf34d206965e86b3e94f536e4246");
}

TEST_CASE("SM4-GCM reproduces RFC 8998's test vector and opens it")
{
    const Rfc8998 v;
    CHECK(ToHex(Sm4GcmSeal(v.key, v.iv, v.aad, v.plain)) == ToHex(v.sealed));
    CHECK(ToHex(AeadSeal(SuiteId::SM2_SM3, v.key, v.iv, v.aad, v.plain)) == ToHex(v.sealed));
    auto opened = Sm4GcmOpen(v.key, v.iv, v.aad, v.sealed, "test");
    REQUIRE(opened.ok());
    CHECK(opened->Equals(v.plain));
}

TEST_CASE("SM4-GCM refuses every altered byte, another key, nonce or associated data")
{
    const Rfc8998 v;
    for (std::size_t i = 0; i < v.sealed.size(); ++i) {
        Bytes bad = v.sealed;
        bad[i] ^= 0x80;
        CAPTURE(i);
        CHECK(Sm4GcmOpen(v.key, v.iv, v.aad, bad, "test").error().code == "test");
    }
    Bytes other_aad = v.aad;
    other_aad.back() ^= 1;
    CHECK_FALSE(Sm4GcmOpen(v.key, v.iv, other_aad, v.sealed, "test").ok());
    CHECK_FALSE(Sm4GcmOpen(v.key, v.iv, ByteView(v.aad).first(19), v.sealed, "test").ok());
    Bytes other_iv = v.iv;
    other_iv[0] ^= 1;
    CHECK_FALSE(Sm4GcmOpen(v.key, other_iv, v.aad, v.sealed, "test").ok());
    const SecretBytes other_key(Hex("0123456789abcdeffedcba9876543211"));
    CHECK_FALSE(Sm4GcmOpen(other_key, v.iv, v.aad, v.sealed, "test").ok());
    CHECK_FALSE(Sm4GcmOpen(v.key, v.iv, v.aad, ByteView(v.sealed).first(v.sealed.size() - 1), "test").ok());
    CHECK_FALSE(Sm4GcmOpen(v.key, v.iv, v.aad, ByteView(v.sealed).first(15), "test").ok());
    // Truncating whole blocks keeps a valid-looking length but not the tag.
    Bytes short_ct(v.sealed.begin() + 16, v.sealed.end());
    CHECK_FALSE(Sm4GcmOpen(v.key, v.iv, v.aad, short_ct, "test").ok());
}

TEST_CASE("SM4-GCM round-trips every length across block boundaries, and the empty message")
{
    const SecretBytes key(Hex("000102030405060708090a0b0c0d0e0f"));
    const Bytes iv = Hex("cafebabefacedbaddecaf888");
    Bytes plain;
    for (std::size_t n = 0; n <= 50; ++n) {
        const Bytes sealed = Sm4GcmSeal(key, iv, AsBytes("aad"), plain);
        REQUIRE(sealed.size() == n + kSm4GcmTagSize);
        auto back = Sm4GcmOpen(key, iv, AsBytes("aad"), sealed, "test");
        REQUIRE(back.ok());
        CHECK(back->Equals(plain));
        plain.push_back(static_cast<std::uint8_t>(n * 7));
    }
    CHECK_THROWS_AS(Sm4GcmSeal(key, ByteView(iv).first(8), {}, plain), std::invalid_argument);
    CHECK_THROWS_AS(Sm4GcmSeal(SecretBytes(Hex("00")), iv, {}, plain), std::invalid_argument);
}

SUITE_CASE("each suite signs with its own scheme; a forged or altered signature is refused")
{
    const SuiteId suite = SuiteT::kId;
    const SuiteId other = suite == SuiteId::SM2_SM3 ? SuiteId::P256_SHA256 : SuiteId::SM2_SM3;
    const SigningKey key = SigningKey::Generate(SystemRng(), suite);
    const SigningKey impostor = SigningKey::Generate(SystemRng(), suite);
    CHECK(key.suite() == suite);
    CHECK(key.public_key().size() == SigningPublicKeySize(suite));
    const Bytes msg = Hex("0102030405");
    const Bytes sig = key.Sign(msg);
    REQUIRE(sig.size() == kSignatureSize);
    CHECK(VerifySignature(suite, key.public_key(), msg, sig).ok());
    CHECK_FALSE(VerifySignature(other, key.public_key(), msg, sig).ok());
    CHECK(VerifySignature(suite, key.public_key(), Hex("0102030406"), sig).error().code == "signature.invalid");
    CHECK_FALSE(VerifySignature(suite, impostor.public_key(), msg, sig).ok());
    CHECK_FALSE(VerifySignature(suite, key.public_key(), msg, impostor.Sign(msg)).ok());
    for (std::size_t i = 0; i < sig.size(); i += 7) {
        Bytes bad = sig;
        bad[i] ^= 0x01;
        CAPTURE(i);
        CHECK_FALSE(VerifySignature(suite, key.public_key(), msg, bad).ok());
    }
    CHECK_FALSE(VerifySignature(suite, key.public_key(), msg, Bytes(kSignatureSize, 0)).ok());
    CHECK_FALSE(VerifySignature(suite, key.public_key(), msg, ByteView(sig).first(63)).ok());
    // The same key again from its secret.
    auto again = SigningKey::FromSeed(key.seed(), suite);
    REQUIRE(again.ok());
    CHECK(again->public_key() == key.public_key());
    CHECK(VerifySignature(suite, key.public_key(), msg, again->Sign(msg)).ok());
    // Fingerprints hash with the suite's hash.
    CHECK(KeyFingerprintDigest(key.public_key(), suite) ==
          Transcript("pingyi/v1/key-fingerprint", suite).Add(key.public_key()).Hash());
    CHECK(KeyFingerprint(key.public_key(), suite) != KeyFingerprint(key.public_key(), other));
}

TEST_CASE("SM2 signatures: r or s of zero or at least q, and keys off the curve or out of range, are refused")
{
    const SigningKey key = SigningKey::Generate(SystemRng(), SuiteId::SM2_SM3);
    const Bytes msg = Hex("00");
    const Bytes sig = key.Sign(msg);
    Bytes order(kScalarSize);
    {
        // q itself, big-endian: (q − 1) + 1 does not fit a Scalar, so write it from q − 1.
        Bytes qm1 = (-Scalar(Group::SM2(), 1)).Encode();
        int carry = 1;
        for (std::size_t i = kScalarSize; i-- > 0;) {
            const int v = qm1[i] + carry;
            order[i] = static_cast<std::uint8_t>(v & 0xff);
            carry = v >> 8;
        }
    }
    for (const Bytes& bad_half : {Bytes(kScalarSize, 0), order, Bytes(kScalarSize, 0xff)}) {
        Bytes r_bad = sig;
        std::copy(bad_half.begin(), bad_half.end(), r_bad.begin());
        CHECK_FALSE(VerifySignature(SuiteId::SM2_SM3, key.public_key(), msg, r_bad).ok());
        Bytes s_bad = sig;
        std::copy(bad_half.begin(), bad_half.end(), s_bad.begin() + kScalarSize);
        CHECK_FALSE(VerifySignature(SuiteId::SM2_SM3, key.public_key(), msg, s_bad).ok());
    }
    Bytes off_curve = key.public_key();
    off_curve[0] = 0x04;
    CHECK(VerifySignature(SuiteId::SM2_SM3, off_curve, msg, sig).error().code == "signature.key");
    CHECK(VerifySignature(SuiteId::SM2_SM3, Bytes(kSm2PublicKeySize, 0), msg, sig).error().code == "signature.key");
    // Private keys 0, q − 1 and q are not SM2 keys (GB/T 32918.1: 1 ≤ d ≤ q − 2).
    CHECK_FALSE(SigningKey::FromSeed(SecretBytes(Bytes(kScalarSize, 0)), SuiteId::SM2_SM3).ok());
    CHECK_FALSE(SigningKey::FromSeed(SecretBytes((-Scalar(Group::SM2(), 1)).Encode()), SuiteId::SM2_SM3).ok());
    CHECK_FALSE(SigningKey::FromSeed(SecretBytes(order), SuiteId::SM2_SM3).ok());
    CHECK(SigningKey::FromSeed(SecretBytes((-Scalar(Group::SM2(), 2)).Encode()), SuiteId::SM2_SM3).ok());
    // Two SM2 signatures of one message differ (a fresh nonce each time) and both verify.
    const Bytes sig2 = key.Sign(msg);
    CHECK(sig2 != sig);
    CHECK(VerifySignature(SuiteId::SM2_SM3, key.public_key(), msg, sig2).ok());
}

SUITE_CASE("key files of each suite open with the passphrase only, and state their suite")
{
    const test::UseSuite use(SuiteT::kId);
    const SuiteId suite = SuiteT::kId;
    const ElectionKeyPair election = ElectionKeyPair::Generate(G(), SystemRng());
    const SigningKey signer = SigningKey::Generate(SystemRng(), suite);
    const Bytes efile = SealElectionKey(election, "correct horse", SystemRng(), kFast);
    const Bytes sfile = SealSigningKey(signer, "battery staple", SystemRng(), kFast);
    for (const Bytes* f : {&efile, &sfile}) {
        CHECK((*f)[9] == static_cast<std::uint8_t>(suite));
        CHECK((*f)[10] == (suite == SuiteId::SM2_SM3 ? 2 : 1));  // PBKDF2-HMAC-SM3 or scrypt
    }
    auto e = OpenElectionKey(efile, "correct horse");
    REQUIRE(e.ok());
    CHECK(&e->public_key().group() == &G());
    CHECK(e->public_key() == election.public_key());
    auto s = OpenSigningKey(sfile, "battery staple");
    REQUIRE(s.ok());
    CHECK(s->suite() == suite);
    CHECK(s->public_key() == signer.public_key());
    CHECK(OpenElectionKey(efile, "correct horsf").error().code == "keyfile.passphrase");
    CHECK(OpenSigningKey(sfile, "").error().code == "keyfile.passphrase");
    CHECK(OpenSigningKey(efile, "correct horse").error().code == "keyfile.kind");
    // Any altered byte is a damaged file (the checksum), never a wrong passphrase.
    for (std::size_t i = 0; i < sfile.size(); i += 5) {
        Bytes bad = sfile;
        bad[i] ^= 0x04;
        CAPTURE(i);
        CHECK(OpenSigningKey(bad, "battery staple").error().code == "keyfile.format");
    }
}

SUITE_CASE("a key file's suite byte, KDF byte or parameters changed with a recomputed checksum are refused")
{
    const SuiteId suite = SuiteT::kId;
    const SuiteId other = suite == SuiteId::SM2_SM3 ? SuiteId::P256_SHA256 : SuiteId::SM2_SM3;
    const SigningKey signer = SigningKey::Generate(SystemRng(), suite);
    const Bytes file = SealSigningKey(signer, "pw", SystemRng(), kFast);
    const auto edited = [&](std::size_t at, std::uint8_t value, SuiteId checksum_suite) {
        Bytes f = file;
        f[at] = value;
        const Digest d = SuiteHash(checksum_suite, ByteView(f).first(f.size() - kHashSize));
        std::copy(d.begin(), d.end(), f.end() - static_cast<std::ptrdiff_t>(kHashSize));
        return f;
    };
    // The checksum is the suite's own hash: a file relabelled as the other suite is damaged…
    CHECK(OpenSigningKey(edited(9, static_cast<std::uint8_t>(other), suite), "pw").error().code == "keyfile.format");
    // …and even with the other suite's checksum it names a KDF that suite does not use.
    const auto relabelled = OpenSigningKey(edited(9, static_cast<std::uint8_t>(other), other), "pw");
    CHECK(relabelled.error().code == "keyfile.format");
    CHECK(relabelled.error().detail.find("key derivation") != std::string::npos);
    CHECK(OpenSigningKey(edited(9, 3, suite), "pw").error().detail.find("unknown suite") != std::string::npos);
    CHECK(OpenSigningKey(edited(10, suite == SuiteId::SM2_SM3 ? 1 : 2, suite), "pw").error().code == "keyfile.format");
    if (suite == SuiteId::SM2_SM3) {
        // Iterations below the floor, or the scrypt fields used, are out of range.
        CHECK(OpenSigningKey(edited(14, 0, suite), "pw").error().detail.find("PBKDF2") != std::string::npos);
        CHECK(OpenSigningKey(edited(11, 1, suite), "pw").error().detail.find("PBKDF2") != std::string::npos);
        CHECK(OpenSigningKey(edited(19, 1, suite), "pw").error().detail.find("PBKDF2") != std::string::npos);
        // More iterations than sealed with: the right passphrase derives another key.
        CHECK(OpenSigningKey(edited(13, 0x10, suite), "pw").error().code == "keyfile.passphrase");
    }
}

TEST_CASE("the suites are named and numbered as the formats say")
{
    CHECK(SuiteName(SuiteId::P256_SHA256) == "P256-SHA256");
    CHECK(SuiteName(SuiteId::SM2_SM3) == "SM2-SM3");
    CHECK(SuiteFromName("SM2-SM3") == SuiteId::SM2_SM3);
    CHECK(SuiteFromName("P256-SHA256") == SuiteId::P256_SHA256);
    CHECK_FALSE(SuiteFromName("sm2-sm3").has_value());
    CHECK(SuiteFromByte(2) == SuiteId::SM2_SM3);
    CHECK_FALSE(SuiteFromByte(0).has_value());
    CHECK_FALSE(SuiteFromByte(3).has_value());
    CHECK(AeadKeySize(SuiteId::SM2_SM3) == 16);
    CHECK(AeadKeySize(SuiteId::P256_SHA256) == 32);
}

}  // namespace pingyi
