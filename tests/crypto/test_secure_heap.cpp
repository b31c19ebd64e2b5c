// Secrets in the secure heap, public values outside it (crypto/secret.hpp, crypto/group.hpp).
// Both of Pingyi's OpenSSL builds have the secure heap: Debian's (mmap + mlock) and the
// Windows prefix's (VirtualAlloc + VirtualLock); every case runs on both.
#include <doctest/doctest.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/elgamal.hpp"
#include "crypto/grid.hpp"
#include "crypto/init.hpp"
#include "crypto/random.hpp"
#include "crypto/secret.hpp"
#include "crypto/threshold.hpp"
#include "test_util.hpp"

namespace pingyi {
namespace {

using test::G;

bool InSecureHeap(const Scalar& s)
{
    return BN_get_flags(s.raw(), BN_FLG_SECURE) != 0;
}

TEST_CASE("every program starts with the secure heap set up")
{
    REQUIRE(InitOpenSsl());
    const SecureHeapStatus heap = SecureHeap();
    CHECK(heap.available);
    CHECK(heap.size == kSecureHeapSize);
    CHECK(CRYPTO_secure_malloc_initialized() == 1);
    // Locking needs a limit on locked memory of at least 1 MiB; below it the heap still works.
    MESSAGE("secure heap locked in memory: " << std::string(heap.locked ? "yes" : "no"));
}

SUITE_CASE("random and secret-decoded scalars are secret; decoded and hashed ones are public")
{
    const test::UseSuite use(SuiteT::kId);
    const Scalar r = Scalar::Random(G(), SystemRng());
    CHECK(r.secret());
    CHECK(InSecureHeap(r));

    const Bytes enc = r.Encode();
    const Scalar decoded = Scalar::Decode(G(), enc).value();
    CHECK_FALSE(decoded.secret());
    CHECK_FALSE(InSecureHeap(decoded));
    const Scalar key = Scalar::DecodeSecret(G(), enc).value();
    CHECK(key.secret());
    CHECK(InSecureHeap(key));
    CHECK(key == decoded);
    CHECK_FALSE(Scalar::Reduce(G(), enc).secret());
    CHECK_FALSE(Scalar(G(), 7).secret());
    CHECK(Scalar::DecodeSecret(G(), Bytes(31, 1)).error().code == "encoding.scalar");

    // A secret operand taints the result; two public ones do not.
    CHECK((r + decoded).secret());
    CHECK((decoded * r).secret());
    CHECK((decoded - r).secret());
    CHECK((-r).secret());
    CHECK(r.Inverse().secret());
    CHECK_FALSE((decoded * decoded + Scalar(G(), 1)).secret());
    // Published(): the same value, off the secure heap.
    const Scalar published = (r * decoded).Published();
    CHECK_FALSE(published.secret());
    CHECK_FALSE(InSecureHeap(published));
    CHECK(published == r * decoded);
    // Copies keep the kind; assignment takes the source's.
    Scalar copy = r;
    CHECK(copy.secret());
    copy = decoded;
    CHECK_FALSE(copy.secret());
    CHECK(copy == decoded);
    copy = r;
    CHECK(copy.secret());
    CHECK(InSecureHeap(copy));

    // Keys read from their secret bytes are secret.
    const ElectionKeyPair pair = ElectionKeyPair::Generate(G(), SystemRng());
    CHECK(pair.secret().secret());
    const SecretBytes exported = pair.ExportSecret();
    CHECK(ElectionKeyPair::FromSecret(G(), exported).value().secret().secret());
}

SUITE_CASE("a ballot's nonces are in the secure heap and its published proofs are not")
{
    const test::UseSuite use(SuiteT::kId);
    const ElectionKeyPair pair = ElectionKeyPair::Generate(G(), SystemRng());
    const GridShape shape{.rows = 30, .cols = 5, .quota_col = 0, .quota_max = 10};
    std::vector<std::uint32_t> choices(shape.rows, 1);
    const ByteView context = AsBytes("secure heap test");
    const std::size_t before = SecureHeap().used;
    {
        std::vector<Scalar> nonces;
        const EncryptedGrid grid = EncryptGrid(pair.public_key(), shape, choices, context, SystemRng(), &nonces);
        REQUIRE(nonces.size() == std::size_t{shape.rows} * shape.cols);
        for (const Scalar& r : nonces)
            CHECK(r.secret());
        for (const RangeProof& p : grid.cell_proofs) {
            for (const Scalar& s : p.c)
                CHECK_FALSE(s.secret());
            for (const Scalar& s : p.v)
                CHECK_FALSE(s.secret());
        }
        for (const ChallengeResponse& p : grid.row_proofs)
            CHECK_FALSE(p.v.secret());
        REQUIRE(grid.quota_proof.has_value());
        for (const Scalar& s : grid.quota_proof->v)
            CHECK_FALSE(s.secret());
        const std::size_t held = SecureHeap().used - before;
        // 150 nonces: at least their 32 bytes each, and far below the heap's size.
        CHECK(held >= nonces.size() * kScalarSize);
        CHECK(held < kSecureHeapSize / 8);
        MESSAGE("secure heap held while a 30 x 5 ballot's nonces live: " << held << " bytes");
        // Checking the ballot takes nothing that stays in the secure heap.
        const std::size_t while_held = SecureHeap().used;
        CHECK(VerifyGrid(pair.public_key(), shape, grid, context).ok());
        CHECK(SecureHeap().used == while_held);
    }
    // Every secret was freed (and wiped) with its owner.
    CHECK(SecureHeap().used == before);
}

TEST_CASE("a full secure heap is a clear error, and the heap works again once secrets are freed")
{
    std::vector<SecretBytes> hog;
    bool full = false;
    try {
        for (std::size_t i = 0; i < 2 * kSecureHeapSize / 4096; ++i)
            hog.emplace_back(4096);
    } catch (const SecureHeapFull& e) {
        full = true;
        CHECK(std::string_view(e.what()).starts_with("crypto.secure_heap"));
    }
    REQUIRE(full);
    CHECK(hog.size() < kSecureHeapSize / 4096);
    // Fill what is left with small blocks, then a new secret scalar cannot be made.
    try {
        for (;;)
            hog.emplace_back(kSecureHeapMinBlock);
    } catch (const SecureHeapFull&) {
    }
    CHECK_THROWS_AS((void)Scalar::Random(G(), SystemRng()), SecureHeapFull);
    // Public work is untouched by a full secure heap.
    const Scalar a = Scalar::Decode(G(), Bytes(kScalarSize, 3)).value();
    CHECK_FALSE((a * a).IsZero());
    hog.clear();
    CHECK(Scalar::Random(G(), SystemRng()).secret());
}

TEST_CASE("threshold shares and their partial decryptions: the share secret, the proof public")
{
    const Polynomial poly = Polynomial::Random(G(), 2, SystemRng());
    const TrusteeShare share = TrusteeShare::FromScalar(1, poly.Evaluate(1));
    CHECK(share.secret().secret());
    const SecretBytes bytes = share.ExportSecret();
    CHECK(TrusteeShare::FromSecret(G(), 1, bytes).value().secret().secret());
}

}  // namespace
}  // namespace pingyi
