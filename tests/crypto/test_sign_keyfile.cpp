// Ed25519 signatures (docs/protocol.md §7), passphrase-sealed key files (docs/formats.md
// "Key files") and the secret-memory type.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "crypto/hash.hpp"
#include "crypto/keyfile.hpp"
#include "crypto/secret.hpp"
#include "crypto/sign.hpp"
#include "test_util.hpp"

namespace pingyi {
namespace {

using test::Hex;

Bytes ToBytes(std::string_view s)
{
    const ByteView v = AsBytes(s);
    return Bytes(v.begin(), v.end());
}

// The smallest cost scrypt accepts, so that the many openings below stay fast.
constexpr KdfParams kFast{/*log2_n=*/14, /*r=*/8, /*p=*/1};

// Key-file layout (docs/formats.md): offsets of each field for a public part of `pub` bytes.
struct Layout {
    std::size_t pub;
    static constexpr std::size_t kKind = 8, kSuite = 9, kKdf = 10, kLog2N = 11, kR = 12, kP = 16;
    static constexpr std::size_t kSalt = 20, kNonce = 36, kPubLen = 48, kPublic = 50;
    [[nodiscard]] std::size_t SecLen() const { return kPublic + pub; }
    [[nodiscard]] std::size_t Ciphertext() const { return SecLen() + 2; }
    [[nodiscard]] std::size_t Tag() const { return Ciphertext() + 32; }
    [[nodiscard]] std::size_t Checksum() const { return Tag() + 16; }
    [[nodiscard]] std::size_t Size() const { return Checksum() + 32; }
};
constexpr Layout kElectionLayout{kPointSize};
constexpr Layout kSigningLayout{kSigningPublicKeySize};

// Recomputes the trailing SHA-256, as anyone editing a key file can.
void FixChecksum(Bytes& file)
{
    const Digest d = Sha256(ByteView(file).first(file.size() - kHashSize));
    std::copy(d.begin(), d.end(), file.end() - static_cast<std::ptrdiff_t>(kHashSize));
}

const ElectionKeyPair& ElectionKey()
{
    static const ElectionKeyPair key = ElectionKeyPair::Generate(Group::P256(), SystemRng());
    return key;
}

const SigningKey& Signer()
{
    static const SigningKey key = SigningKey::Generate(SystemRng());
    return key;
}

const Bytes& SealedElection()
{
    static const Bytes file = SealElectionKey(ElectionKey(), "correct horse", SystemRng(), kFast);
    return file;
}

const Bytes& SealedSigning()
{
    static const Bytes file = SealSigningKey(Signer(), "battery staple", SystemRng(), kFast);
    return file;
}

// Ed25519 group order L, little-endian (RFC 8032 §5.1).
constexpr std::string_view kLLittleEndian = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";

}  // namespace

static_assert(!std::is_copy_constructible_v<SecretBytes>);
static_assert(!std::is_copy_assignable_v<SecretBytes>);
static_assert(std::is_nothrow_move_constructible_v<SecretBytes>);
static_assert(std::is_nothrow_move_assignable_v<SecretBytes>);
static_assert(!std::is_copy_constructible_v<ElectionKeyPair>);
static_assert(!std::is_copy_assignable_v<ElectionKeyPair>);
static_assert(!std::is_copy_constructible_v<SigningKey>);
static_assert(!std::is_copy_assignable_v<SigningKey>);
static_assert(std::is_nothrow_move_constructible_v<SigningKey>);
static_assert(!std::is_copy_constructible_v<SealedSecret>);

// ---- Ed25519 ----

TEST_CASE("RFC 8032 test vectors 1 to 3: public keys and signatures match")
{
    struct Vector {
        std::string_view seed, pub, msg, sig;
    };
    const Vector vectors[] = {
        {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701"
         "cf9b46b"
         "d25bf5f0595bbe24655141438e7a100b"},
        {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d"
         "0f11d8c"
         "387b2eaeb4302aeeb00d291612bb0c00"},
        {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
         "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
         "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f7609"
         "84dc659"
         "4a7c15e9716ed28dc027beceea1ec40a"},
    };
    for (const Vector& v : vectors) {
        CAPTURE(v.seed);
        auto key = SigningKey::FromSeed(SecretBytes(Hex(v.seed)));
        REQUIRE(key.ok());
        CHECK(ToHex(key->public_key()) == v.pub);
        const Bytes msg = Hex(v.msg);
        const Bytes sig = key->Sign(msg);
        CHECK(ToHex(sig) == v.sig);
        CHECK(VerifySignature(Hex(v.pub), msg, Hex(v.sig)).ok());
    }
}

TEST_CASE("a signature verifies for its message and key")
{
    const SigningKey key = SigningKey::Generate(SystemRng());
    for (std::string_view text : {std::string_view(""), std::string_view("ballot 17"),
                                  std::string_view("评议 — a longer record signed by the kiosk")}) {
        const Bytes sig = key.Sign(AsBytes(text));
        CHECK(sig.size() == kSignatureSize);
        CHECK(key.public_key().size() == kSigningPublicKeySize);
        CHECK(VerifySignature(key.public_key(), AsBytes(text), sig).ok());
        // Ed25519 is deterministic: the same message gives the same signature.
        CHECK(key.Sign(AsBytes(text)) == sig);
    }
}

TEST_CASE("a signature does not verify for an altered message")
{
    const SigningKey key = SigningKey::Generate(SystemRng());
    const Bytes msg = ToBytes("box 3, record 12: ballot hash 5e1f...");
    const Bytes sig = key.Sign(msg);
    REQUIRE(VerifySignature(key.public_key(), msg, sig).ok());
    for (std::size_t i = 0; i < msg.size(); ++i) {
        CAPTURE(i);
        Bytes bad = msg;
        bad[i] ^= 0x01;
        const Status s = VerifySignature(key.public_key(), bad, sig);
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "signature.invalid");
    }
    Bytes longer = msg;
    longer.push_back(0);
    CHECK_FALSE(VerifySignature(key.public_key(), longer, sig).ok());
    CHECK_FALSE(VerifySignature(key.public_key(), ByteView(msg).first(msg.size() - 1), sig).ok());
    CHECK_FALSE(VerifySignature(key.public_key(), {}, sig).ok());
}

TEST_CASE("a signature with any byte altered does not verify")
{
    const SigningKey key = SigningKey::Generate(SystemRng());
    const Bytes msg = ToBytes("results");
    const Bytes sig = key.Sign(msg);
    for (std::size_t i = 0; i < sig.size(); ++i) {
        for (std::uint8_t flip : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
            CAPTURE(i);
            CAPTURE(int{flip});
            Bytes bad = sig;
            bad[i] ^= flip;
            const Status s = VerifySignature(key.public_key(), msg, bad);
            REQUIRE_FALSE(s.ok());
            CHECK(s.error().code == "signature.invalid");
        }
    }
    CHECK_FALSE(VerifySignature(key.public_key(), msg, Bytes(kSignatureSize, 0)).ok());
}

TEST_CASE("a signature whose S is replaced by S + L is rejected (no malleability)")
{
    const SigningKey key = SigningKey::Generate(SystemRng());
    const Bytes msg = ToBytes("package");
    Bytes sig = key.Sign(msg);
    const Bytes l = Hex(kLLittleEndian);
    unsigned carry = 0;
    for (std::size_t i = 0; i < 32; ++i) {
        carry += unsigned{sig[32 + i]} + unsigned{l[i]};
        sig[32 + i] = static_cast<std::uint8_t>(carry);
        carry >>= 8;
    }
    REQUIRE(carry == 0);  // S < L < 2^253, so S + L fits in 32 bytes
    CHECK_FALSE(VerifySignature(key.public_key(), msg, sig).ok());
}

TEST_CASE("a signature does not verify under another key")
{
    const SigningKey key = SigningKey::Generate(SystemRng());
    const SigningKey other = SigningKey::Generate(SystemRng());
    const Bytes msg = ToBytes("results");
    const Bytes sig = key.Sign(msg);
    const Status s = VerifySignature(other.public_key(), msg, sig);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "signature.invalid");
    Bytes flipped_key = key.public_key();
    flipped_key[0] ^= 0x01;
    CHECK_FALSE(VerifySignature(flipped_key, msg, sig).ok());
}

TEST_CASE("signature verification rejects keys and signatures of the wrong length")
{
    const SigningKey key = SigningKey::Generate(SystemRng());
    const Bytes msg = ToBytes("m");
    const Bytes sig = key.Sign(msg);
    for (std::size_t len : {0u, 31u, 33u, 64u}) {
        CAPTURE(len);
        Bytes pub = key.public_key();
        pub.resize(len, 0);
        const Status s = VerifySignature(pub, msg, sig);
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "signature.key");
    }
    for (std::size_t len : {0u, 32u, 63u, 65u, 128u}) {
        CAPTURE(len);
        Bytes bad = sig;
        bad.resize(len, 0);
        const Status s = VerifySignature(key.public_key(), msg, bad);
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "signature.invalid");
    }
}

TEST_CASE("FromSeed is deterministic and rejects seeds of the wrong length")
{
    const Bytes seed = Hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    auto a = SigningKey::FromSeed(SecretBytes(seed));
    auto b = SigningKey::FromSeed(SecretBytes(seed));
    Bytes other_seed = seed;
    other_seed[31] ^= 0x01;
    auto c = SigningKey::FromSeed(SecretBytes(other_seed));
    REQUIRE((a.ok() && b.ok() && c.ok()));
    CHECK(a->public_key() == b->public_key());
    CHECK(a->public_key() != c->public_key());
    CHECK(a->seed().Equals(seed));
    CHECK(a->Sign(AsBytes("x")) == b->Sign(AsBytes("x")));
    for (std::size_t len : {0u, 31u, 33u, 64u}) {
        CAPTURE(len);
        auto bad = SigningKey::FromSeed(SecretBytes(Bytes(len, 0x42)));
        REQUIRE_FALSE(bad.ok());
        CHECK(bad.error().code == "key.signing");
    }
}

TEST_CASE("Generate draws the seed from the generator it is given")
{
    DeterministicRng rng1(Hex("01"));
    DeterministicRng rng2(Hex("01"));
    DeterministicRng rng3(Hex("02"));
    const SigningKey a = SigningKey::Generate(rng1);
    const SigningKey b = SigningKey::Generate(rng2);
    const SigningKey c = SigningKey::Generate(rng3);
    CHECK(a.public_key() == b.public_key());
    CHECK(a.public_key() != c.public_key());
    // The seed is the generator's first 32 bytes.
    DeterministicRng replay(Hex("01"));
    Bytes first(kSigningSeedSize);
    replay.Fill(first);
    CHECK(a.seed().Equals(first));
}

TEST_CASE("a key fingerprint is four groups of four hex digits from H(key-fingerprint; key)")
{
    const SigningKey key = SigningKey::Generate(SystemRng());
    const std::string fp = KeyFingerprint(key.public_key());
    REQUIRE(fp.size() == 19);
    for (std::size_t i = 0; i < fp.size(); ++i) {
        CAPTURE(i);
        if (i % 5 == 4) {
            CHECK(fp[i] == '-');
        } else {
            CHECK(std::string_view("0123456789abcdef").find(fp[i]) != std::string_view::npos);
        }
    }
    // LP(tag) || LP(key), hashed, first 8 bytes.
    Bytes m;
    AppendLengthPrefixed(m, AsBytes("pingyi/v1/key-fingerprint"));
    AppendLengthPrefixed(m, key.public_key());
    const Digest d = Sha256(m);
    std::string expected = ToHex(ByteView(d).first(8));
    expected.insert(12, "-");
    expected.insert(8, "-");
    expected.insert(4, "-");
    CHECK(fp == expected);
    CHECK(KeyFingerprint(key.public_key()) == fp);
    CHECK(KeyFingerprint(SigningKey::Generate(SystemRng()).public_key()) != fp);
    // Election keys (33 bytes) have fingerprints too.
    CHECK(KeyFingerprint(ElectionKey().public_key().Encode()).size() == 19);
}

// ---- Key files ----

TEST_CASE("a sealed election key file has the documented layout and hides the secret")
{
    const Bytes& file = SealedElection();
    const Layout l = kElectionLayout;
    REQUIRE(file.size() == l.Size());
    CHECK(Bytes(file.begin(), file.begin() + 8) == ToBytes("PYKEY001"));
    CHECK(file[Layout::kKind] == 1);
    CHECK(file[Layout::kSuite] == 1);
    CHECK(file[Layout::kKdf] == 1);
    CHECK(file[Layout::kLog2N] == 14);
    CHECK(ToHex(ByteView(file).subspan(Layout::kR, 4)) == "00000008");
    CHECK(ToHex(ByteView(file).subspan(Layout::kP, 4)) == "00000001");
    CHECK(ToHex(ByteView(file).subspan(Layout::kPubLen, 2)) == "0021");
    CHECK(Bytes(file.begin() + Layout::kPublic, file.begin() + static_cast<std::ptrdiff_t>(l.SecLen())) ==
          ElectionKey().public_key().Encode());
    CHECK(ToHex(ByteView(file).subspan(l.SecLen(), 2)) == "0020");
    const Digest check = Sha256(ByteView(file).first(l.Checksum()));
    CHECK(Bytes(check.begin(), check.end()) ==
          Bytes(file.begin() + static_cast<std::ptrdiff_t>(l.Checksum()), file.end()));
    // The secret scalar is nowhere in the file in the clear.
    const Bytes secret = ElectionKey().secret().Encode();
    CHECK(std::search(file.begin(), file.end(), secret.begin(), secret.end()) == file.end());
}

TEST_CASE("a sealed election key opens with its passphrase to the same key pair")
{
    auto key = OpenElectionKey(SealedElection(), "correct horse");
    REQUIRE(key.ok());
    CHECK(key->public_key() == ElectionKey().public_key());
    CHECK(key->secret() == ElectionKey().secret());
}

TEST_CASE("a sealed signing key opens with its passphrase to the same key")
{
    const Bytes& file = SealedSigning();
    REQUIRE(file.size() == kSigningLayout.Size());
    CHECK(file[Layout::kKind] == 2);
    auto key = OpenSigningKey(file, "battery staple");
    REQUIRE(key.ok());
    CHECK(key->public_key() == Signer().public_key());
    CHECK(key->seed().Equals(Signer().seed().view()));
    const Bytes msg = ToBytes("signed after reopening");
    CHECK(VerifySignature(Signer().public_key(), msg, key->Sign(msg)).ok());
}

TEST_CASE("OpenSealedSecret returns the kind, suite, public part and secret that were sealed")
{
    const SecretBytes secret(Hex("00112233445566778899"));
    const Bytes pub = ToBytes("public");
    const Bytes file = SealSecret(KeyKind::SigningSeed, SuiteId::P256_SHA256, pub, secret, "pw", SystemRng(), kFast);
    auto opened = OpenSealedSecret(file, "pw");
    REQUIRE(opened.ok());
    CHECK(opened->kind == KeyKind::SigningSeed);
    CHECK(opened->suite == SuiteId::P256_SHA256);
    CHECK(opened->public_part == pub);
    CHECK(opened->secret.Equals(secret.view()));
}

TEST_CASE("sealing draws a fresh salt and nonce: two files of one key differ and both open")
{
    const Bytes a = SealElectionKey(ElectionKey(), "pw", SystemRng(), kFast);
    const Bytes b = SealElectionKey(ElectionKey(), "pw", SystemRng(), kFast);
    CHECK(a != b);
    CHECK(Bytes(a.begin() + Layout::kSalt, a.begin() + Layout::kNonce + 12) !=
          Bytes(b.begin() + Layout::kSalt, b.begin() + Layout::kNonce + 12));
    CHECK(OpenElectionKey(a, "pw").ok());
    CHECK(OpenElectionKey(b, "pw").ok());
    // With a seeded generator sealing is repeatable.
    DeterministicRng rng1(Hex("05"));
    DeterministicRng rng2(Hex("05"));
    CHECK(SealElectionKey(ElectionKey(), "pw", rng1, kFast) == SealElectionKey(ElectionKey(), "pw", rng2, kFast));
}

TEST_CASE("a key file opened with the wrong passphrase fails as keyfile.passphrase")
{
    for (std::string_view wrong : {std::string_view("correct horsE"), std::string_view("correct horse "),
                                   std::string_view(""), std::string_view("battery staple")}) {
        CAPTURE(wrong);
        auto key = OpenElectionKey(SealedElection(), wrong);
        REQUIRE_FALSE(key.ok());
        CHECK(key.error().code == "keyfile.passphrase");
    }
    auto key = OpenSigningKey(SealedSigning(), "correct horse");  // the other file's passphrase
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().code == "keyfile.passphrase");
}

TEST_CASE("passphrases are compared as exact UTF-8 bytes, empty included")
{
    const Bytes file = SealSigningKey(Signer(), "选举 密码", SystemRng(), kFast);
    CHECK(OpenSigningKey(file, "选举 密码").ok());
    CHECK(OpenSigningKey(file, "选举密码").error().code == "keyfile.passphrase");
    const Bytes empty = SealSigningKey(Signer(), "", SystemRng(), kFast);
    CHECK(OpenSigningKey(empty, "").ok());
    CHECK(OpenSigningKey(empty, " ").error().code == "keyfile.passphrase");
}

TEST_CASE("every single-byte change of a key file is detected as keyfile.format")
{
    struct File {
        const Bytes& bytes;
        std::string_view passphrase;
    };
    for (const File& file : {File{SealedElection(), "correct horse"}, File{SealedSigning(), "battery staple"}}) {
        for (std::size_t i = 0; i < file.bytes.size(); ++i) {
            for (std::uint8_t flip : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
                CAPTURE(file.bytes.size());
                CAPTURE(i);
                CAPTURE(int{flip});
                Bytes bad = file.bytes;
                bad[i] ^= flip;
                auto opened = OpenSealedSecret(bad, file.passphrase);
                REQUIRE_FALSE(opened.ok());
                CHECK(opened.error().code == "keyfile.format");
            }
        }
    }
}

TEST_CASE("a changed key file with a recomputed checksum still fails, in every field")
{
    // The checksum only tells damage from a wrong passphrase; the AEAD must still catch edits.
    const Layout l = kElectionLayout;
    struct Probe {
        std::size_t at;
        std::string_view field;
        std::string_view code;  // empty: either error
    };
    const Probe probes[] = {
        {0, "magic", "keyfile.format"},
        {7, "magic", "keyfile.format"},
        {Layout::kKind, "kind", "keyfile.format"},
        {Layout::kSuite, "suite", "keyfile.format"},
        {Layout::kKdf, "kdf", "keyfile.format"},
        {Layout::kLog2N, "log2 N", ""},
        {Layout::kR, "r", "keyfile.format"},
        {Layout::kR + 3, "r", ""},
        {Layout::kP + 3, "p", "keyfile.format"},
        {Layout::kSalt, "salt", "keyfile.passphrase"},
        {Layout::kSalt + 15, "salt", "keyfile.passphrase"},
        {Layout::kNonce, "nonce", "keyfile.passphrase"},
        {Layout::kNonce + 11, "nonce", "keyfile.passphrase"},
        {Layout::kPubLen, "public length", "keyfile.format"},
        {Layout::kPubLen + 1, "public length", "keyfile.format"},
        {Layout::kPublic, "public part", "keyfile.passphrase"},
        {Layout::kPublic + 20, "public part", "keyfile.passphrase"},
        {l.SecLen(), "secret length", "keyfile.format"},
        {l.SecLen() + 1, "secret length", "keyfile.format"},
        {l.Ciphertext(), "ciphertext", "keyfile.passphrase"},
        {l.Ciphertext() + 31, "ciphertext", "keyfile.passphrase"},
        {l.Tag(), "tag", "keyfile.passphrase"},
        {l.Tag() + 15, "tag", "keyfile.passphrase"},
    };
    for (const Probe& p : probes) {
        CAPTURE(p.field);
        CAPTURE(p.at);
        Bytes bad = SealedElection();
        bad[p.at] ^= 0x01;
        FixChecksum(bad);
        auto opened = OpenElectionKey(bad, "correct horse");
        REQUIRE_FALSE(opened.ok());
        if (p.code.empty()) {
            CHECK((opened.error().code == "keyfile.format" || opened.error().code == "keyfile.passphrase"));
        } else {
            CHECK(opened.error().code == p.code);
        }
    }
}

TEST_CASE("a key file cannot be relabelled: new kind or new public key with a fixed checksum fails")
{
    {
        Bytes relabelled = SealedElection();
        relabelled[Layout::kKind] = static_cast<std::uint8_t>(KeyKind::SigningSeed);
        FixChecksum(relabelled);
        auto opened = OpenSealedSecret(relabelled, "correct horse");
        REQUIRE_FALSE(opened.ok());
        CHECK(opened.error().code == "keyfile.passphrase");
    }
    {
        // Another valid public key in place of K: a verifier must not be led to encrypt to it.
        Bytes swapped = SealedElection();
        const Bytes other = ElectionKeyPair::Generate(Group::P256(), SystemRng()).public_key().Encode();
        std::copy(other.begin(), other.end(), swapped.begin() + Layout::kPublic);
        FixChecksum(swapped);
        auto opened = OpenElectionKey(swapped, "correct horse");
        REQUIRE_FALSE(opened.ok());
        CHECK(opened.error().code == "keyfile.passphrase");
    }
}

TEST_CASE("key files with scrypt parameters out of range are refused")
{
    for (std::uint8_t log2_n : {std::uint8_t{13}, std::uint8_t{23}}) {
        CAPTURE(int{log2_n});
        CHECK_THROWS_AS((void)SealElectionKey(ElectionKey(), "pw", SystemRng(), KdfParams{log2_n, 8, 1}),
                        std::invalid_argument);
        Bytes bad = SealedElection();
        bad[Layout::kLog2N] = log2_n;
        FixChecksum(bad);
        CHECK(OpenElectionKey(bad, "correct horse").error().code == "keyfile.format");
    }
    for (std::size_t at : {Layout::kR + 3, Layout::kP + 3}) {
        CAPTURE(at);
        Bytes bad = SealedElection();
        bad[at] = 0;  // r = 0 or p = 0
        FixChecksum(bad);
        CHECK(OpenElectionKey(bad, "correct horse").error().code == "keyfile.format");
    }
}

TEST_CASE("a truncated or extended key file fails as keyfile.format")
{
    const Bytes& file = SealedElection();
    for (std::size_t len : {std::size_t{0}, std::size_t{1}, std::size_t{8}, std::size_t{49}, std::size_t{50},
                            std::size_t{100}, file.size() - 33, file.size() - 32, file.size() - 1}) {
        CAPTURE(len);
        auto opened = OpenElectionKey(ByteView(file).first(len), "correct horse");
        REQUIRE_FALSE(opened.ok());
        CHECK(opened.error().code == "keyfile.format");
    }
    Bytes longer = file;
    longer.push_back(0);
    CHECK(OpenElectionKey(longer, "correct horse").error().code == "keyfile.format");
    FixChecksum(longer);  // a checksum over the extended body: the lengths no longer add up
    CHECK(OpenElectionKey(longer, "correct horse").error().code == "keyfile.format");
}

TEST_CASE("garbage is not a key file")
{
    for (std::size_t len :
         {std::size_t{0}, std::size_t{7}, std::size_t{64}, kElectionLayout.Size(), std::size_t{4096}}) {
        CAPTURE(len);
        Bytes garbage(len);
        SystemRng().Fill(garbage);
        CHECK(OpenSealedSecret(garbage, "pw").error().code == "keyfile.format");
        // Even with the right magic.
        if (len >= 8) {
            std::copy_n(AsBytes("PYKEY001").begin(), 8, garbage.begin());
            CHECK(OpenSealedSecret(garbage, "pw").error().code == "keyfile.format");
        }
    }
    CHECK(OpenElectionKey(AsBytes("-----BEGIN PRIVATE KEY-----\n"), "pw").error().code == "keyfile.format");
}

TEST_CASE("a key file of one kind opened as the other fails as keyfile.kind")
{
    auto as_signing = OpenSigningKey(SealedElection(), "correct horse");
    REQUIRE_FALSE(as_signing.ok());
    CHECK(as_signing.error().code == "keyfile.kind");
    auto as_election = OpenElectionKey(SealedSigning(), "battery staple");
    REQUIRE_FALSE(as_election.ok());
    CHECK(as_election.error().code == "keyfile.kind");
}

TEST_CASE("a key file whose sealed secret does not match its public part is refused")
{
    // Sealed by hand, authenticated, but inconsistent: the opener must not trust the public part.
    const ElectionKeyPair other = ElectionKeyPair::Generate(Group::P256(), SystemRng());
    const Bytes mismatched =
        SealSecret(KeyKind::ElectionSecret, SuiteId::P256_SHA256, ElectionKey().public_key().Encode(),
                   other.ExportSecret(), "pw", SystemRng(), kFast);
    CHECK(OpenElectionKey(mismatched, "pw").error().code == "keyfile.format");
    const SigningKey other_signer = SigningKey::Generate(SystemRng());
    const Bytes mismatched_seed = SealSecret(KeyKind::SigningSeed, SuiteId::P256_SHA256, Signer().public_key(),
                                             other_signer.seed(), "pw", SystemRng(), kFast);
    CHECK(OpenSigningKey(mismatched_seed, "pw").error().code == "keyfile.format");
    // A zero election secret is not a key.
    const Bytes zero = SealSecret(KeyKind::ElectionSecret, SuiteId::P256_SHA256, ElectionKey().public_key().Encode(),
                                  SecretBytes(Bytes(kScalarSize, 0)), "pw", SystemRng(), kFast);
    CHECK(OpenElectionKey(zero, "pw").error().code == "keyfile.format");
}

// ---- Secret memory ----

TEST_CASE("SecretBytes holds a copy of its input and compares in constant time")
{
    Bytes source = ToBytes("secret!");
    const SecretBytes s(source);
    source[0] = 'X';  // the secret owns its own copy
    CHECK(s.size() == 7);
    CHECK_FALSE(s.empty());
    CHECK(s.Equals(AsBytes("secret!")));
    CHECK_FALSE(s.Equals(AsBytes("secret?")));
    CHECK_FALSE(s.Equals(AsBytes("secret")));
    CHECK(SecretBytes::FromString("abc").Equals(AsBytes("abc")));
    const SecretBytes zeros(std::size_t{4});
    CHECK(zeros.Equals(Bytes(4, 0)));
}

TEST_CASE("moving SecretBytes leaves the source empty")
{
    SecretBytes a = SecretBytes::FromString("0123456789");
    const std::uint8_t* data = a.data();
    SecretBytes b = std::move(a);
    CHECK(a.empty());  // NOLINT(bugprone-use-after-move): the state after a move is the point
    CHECK(a.size() == 0);
    CHECK(a.data() == nullptr);
    CHECK(b.data() == data);  // moved, not copied
    CHECK(b.Equals(AsBytes("0123456789")));

    SecretBytes c = SecretBytes::FromString("old");
    c = std::move(b);
    CHECK(b.empty());  // NOLINT(bugprone-use-after-move)
    CHECK(b.data() == nullptr);
    CHECK(c.Equals(AsBytes("0123456789")));
}

TEST_CASE("SecretBytes::Clear and Wipe empty their contents")
{
    SecretBytes s = SecretBytes::FromString("wipe me");
    s.Clear();
    CHECK(s.empty());
    CHECK(s.data() == nullptr);
    Bytes b = ToBytes("wipe me too");
    Wipe(b);
    CHECK(b.empty());
}

}  // namespace pingyi
