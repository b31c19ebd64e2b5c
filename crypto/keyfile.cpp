#include "crypto/keyfile.hpp"

#include <openssl/evp.h>

#include <optional>
#include <stdexcept>

#include "crypto/aead.hpp"
#include "crypto/hash.hpp"

namespace pingyi {
namespace {

constexpr std::string_view kMagic = "PYKEY001";
constexpr std::uint8_t kKdfScrypt = 1;
constexpr std::uint8_t kKdfPbkdf2Sm3 = 2;
constexpr std::size_t kSaltSize = 16;
constexpr std::size_t kNonceSize = kAeadNonceSize;
constexpr std::size_t kTagSize = kAeadTagSize;
constexpr std::uint64_t kMaxMem = 1ull << 30;

Error Damaged(std::string detail)
{
    return MakeError("keyfile.format", std::move(detail));
}

SecretBytes DeriveKey(SuiteId suite, std::string_view passphrase, ByteView salt, const KdfParams& kdf)
{
    SecretBytes key(AeadKeySize(suite));
    if (suite == SuiteId::SM2_SM3) {
        if (PKCS5_PBKDF2_HMAC(passphrase.data(), static_cast<int>(passphrase.size()), salt.data(),
                              static_cast<int>(salt.size()), static_cast<int>(kdf.iterations), EVP_sm3(),
                              static_cast<int>(key.size()), key.data()) != 1)
            throw std::runtime_error("OpenSSL: PBKDF2-HMAC-SM3 failed");
        return key;
    }
    if (EVP_PBE_scrypt(passphrase.data(), passphrase.size(), salt.data(), salt.size(), std::uint64_t{1} << kdf.log2_n,
                       kdf.r, kdf.p, kMaxMem + (1u << 20), key.data(), key.size()) != 1)
        throw std::runtime_error("OpenSSL: scrypt failed (out of memory?)");
    return key;
}

std::uint16_t ReadU16(ByteView b)
{
    return static_cast<std::uint16_t>((b[0] << 8) | b[1]);
}

}  // namespace

const char* KeyKindName(KeyKind kind)
{
    switch (kind) {
        case KeyKind::ElectionSecret:
            return "an election key";
        case KeyKind::SigningSeed:
            return "a signing key";
        case KeyKind::TrusteeCeremony:
            return "a trustee's unfinished key ceremony";
        case KeyKind::TrusteeShare:
            return "a trustee's key share";
    }
    return "an unknown key";
}

Bytes SealSecret(KeyKind kind, SuiteId suite, ByteView public_part, const SecretBytes& secret,
                 std::string_view passphrase, Rng& rng, KdfParams params)
{
    const bool sm = suite == SuiteId::SM2_SM3;
    if (!SuiteFromByte(static_cast<std::uint8_t>(suite))) throw std::invalid_argument("unknown suite");
    if (sm && (params.iterations < kMinPbkdf2Iterations || params.iterations > kMaxPbkdf2Iterations))
        throw std::invalid_argument("PBKDF2 iteration count out of range");
    if (!sm && (params.log2_n < kMinLog2N || params.log2_n > kMaxLog2N || params.r == 0 || params.p == 0 ||
                std::uint64_t{128} * params.r * (std::uint64_t{1} << params.log2_n) +
                        std::uint64_t{128} * params.r * params.p >
                    kMaxMem))
        throw std::invalid_argument("scrypt parameters out of range");
    std::uint8_t salt[kSaltSize];
    std::uint8_t nonce[kNonceSize];
    rng.Fill(salt);
    rng.Fill(nonce);

    Bytes out;
    AppendBytes(out, AsBytes(kMagic));
    out.push_back(static_cast<std::uint8_t>(kind));
    out.push_back(static_cast<std::uint8_t>(suite));
    if (sm) {  // KDF 2: a zero byte, be32(iterations), four zero bytes
        out.push_back(kKdfPbkdf2Sm3);
        out.push_back(0);
        AppendU32(out, params.iterations);
        AppendU32(out, 0);
    } else {
        out.push_back(kKdfScrypt);
        out.push_back(params.log2_n);
        AppendU32(out, params.r);
        AppendU32(out, params.p);
    }
    AppendBytes(out, salt);
    AppendBytes(out, nonce);
    AppendU16(out, static_cast<std::uint16_t>(public_part.size()));
    AppendBytes(out, public_part);
    AppendU16(out, static_cast<std::uint16_t>(secret.size()));
    const std::size_t aad_size = out.size();

    const SecretBytes key = DeriveKey(suite, passphrase, salt, params);
    const Bytes sealed = AeadSeal(suite, key, nonce, ByteView(out).first(aad_size), secret.view());
    AppendBytes(out, sealed);
    const Digest check = SuiteHash(suite, out);
    AppendBytes(out, check);
    return out;
}

Result<SealedSecret> OpenSealedSecret(ByteView file, std::string_view passphrase)
{
    constexpr std::size_t kFixed = 8 + 4 + 8 + kSaltSize + kNonceSize;  // up to the public-part length
    if (file.size() < kFixed + 2 || !EqualConstTime(file.first(kMagic.size()), AsBytes(kMagic)))
        return Damaged("this is not a Pingyi key file");
    if (file.size() < kHashSize + kFixed + 4 + kTagSize) return Damaged("the key file is truncated");
    const ByteView body = file.first(file.size() - kHashSize);
    const std::optional<SuiteId> suite = SuiteFromByte(file[9]);
    if (!suite) return Damaged("the key file names an unknown suite");
    // The checksum is the suite's hash, so a file whose suite byte was changed is damaged.
    const Digest check = SuiteHash(*suite, body);
    if (!EqualConstTime(check, file.last(kHashSize))) return Damaged("the key file is damaged (checksum mismatch)");

    SealedSecret result{static_cast<KeyKind>(file[8]), *suite, {}, {}};
    if (file[8] < static_cast<std::uint8_t>(KeyKind::ElectionSecret) ||
        file[8] > static_cast<std::uint8_t>(KeyKind::TrusteeShare))
        return Damaged("the key file names an unknown key kind");
    KdfParams kdf{file[11], ReadU32(file.subspan(12, 4)), ReadU32(file.subspan(16, 4)), 0};
    if (*suite == SuiteId::SM2_SM3) {
        // Each suite has exactly one key derivation: no file mixes SM4 with scrypt or AES with PBKDF2.
        if (file[10] != kKdfPbkdf2Sm3) return Damaged("the key file names an unknown key derivation");
        kdf.iterations = kdf.r;
        if (file[11] != 0 || kdf.p != 0 || kdf.iterations < kMinPbkdf2Iterations ||
            kdf.iterations > kMaxPbkdf2Iterations)
            return Damaged("the key file's PBKDF2 parameters are out of range");
    } else {
        if (file[10] != kKdfScrypt) return Damaged("the key file names an unknown key derivation");
        if (kdf.log2_n < kMinLog2N || kdf.log2_n > kMaxLog2N || kdf.r == 0 || kdf.r > 32 || kdf.p == 0 || kdf.p > 16)
            return Damaged("the key file's scrypt parameters are out of range");
        if ((std::uint64_t{128} * kdf.r * (std::uint64_t{1} << kdf.log2_n)) + std::uint64_t{128} * kdf.r * kdf.p >
            kMaxMem)
            return Damaged("the key file's scrypt parameters need more memory than allowed");
    }
    const ByteView salt = file.subspan(20, kSaltSize);
    const ByteView nonce = file.subspan(20 + kSaltSize, kNonceSize);
    std::size_t off = kFixed;
    const std::size_t pub_len = ReadU16(file.subspan(off, 2));
    off += 2;
    if (off + pub_len + 2 > body.size()) return Damaged("the key file is truncated");
    result.public_part.assign(file.begin() + static_cast<std::ptrdiff_t>(off),
                              file.begin() + static_cast<std::ptrdiff_t>(off + pub_len));
    off += pub_len;
    const std::size_t ct_len = ReadU16(file.subspan(off, 2));
    off += 2;
    const std::size_t aad_size = off;
    if (off + ct_len + kTagSize != body.size()) return Damaged("the key file has the wrong length");
    const SecretBytes key = DeriveKey(*suite, passphrase, salt, kdf);
    auto plain =
        AeadOpen(*suite, key, nonce, file.first(aad_size), file.subspan(off, ct_len + kTagSize), "keyfile.passphrase");
    if (!plain) return MakeError("keyfile.passphrase", "the passphrase is wrong");
    result.secret = std::move(plain).value();
    return result;
}

Bytes SealElectionKey(const ElectionKeyPair& key, std::string_view passphrase, Rng& rng, KdfParams params)
{
    return SealSecret(KeyKind::ElectionSecret, key.public_key().group().id(), key.public_key().Encode(),
                      key.ExportSecret(), passphrase, rng, params);
}

Result<ElectionKeyPair> OpenElectionKey(ByteView file, std::string_view passphrase)
{
    auto sealed = OpenSealedSecret(file, passphrase);
    if (!sealed) return sealed.error();
    if (sealed->kind != KeyKind::ElectionSecret)
        return MakeError("keyfile.kind",
                         std::string("this key file holds ") + KeyKindName(sealed->kind) + ", not an election key");
    const Group& g = Group::Get(sealed->suite);
    auto pair = ElectionKeyPair::FromSecret(g, sealed->secret);
    if (!pair) return Damaged("the election secret in the key file is invalid");
    if (pair->public_key().Encode() != sealed->public_part)
        return Damaged("the election secret does not match the key file's public key");
    return std::move(pair).value();
}

Bytes SealSigningKey(const SigningKey& key, std::string_view passphrase, Rng& rng, KdfParams params)
{
    return SealSecret(KeyKind::SigningSeed, key.suite(), key.public_key(), key.seed(), passphrase, rng, params);
}

Result<SigningKey> OpenSigningKey(ByteView file, std::string_view passphrase)
{
    auto sealed = OpenSealedSecret(file, passphrase);
    if (!sealed) return sealed.error();
    if (sealed->kind != KeyKind::SigningSeed)
        return MakeError("keyfile.kind",
                         std::string("this key file holds ") + KeyKindName(sealed->kind) + ", not a signing key");
    auto key = SigningKey::FromSeed(sealed->secret, sealed->suite);
    if (!key) return Damaged("the signing seed in the key file is invalid");
    if (key->public_key() != sealed->public_part)
        return Damaged("the signing seed does not match the key file's public key");
    return std::move(key).value();
}

}  // namespace pingyi
