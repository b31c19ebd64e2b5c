// EC_GROUP_precompute_mult and EC_POINTs_make_affine are deprecated in OpenSSL 3 but remain
// the only public way to precompute multiples of a base and to normalise many points at once.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/fixed_base.hpp"

#include "crypto/secret.hpp"
#include "crypto/sm2_curve.hpp"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>

#include <array>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

namespace pingyi {
namespace {

constexpr int kWindow = 8;                             // bits per digit
constexpr std::size_t kRows = 256 / kWindow;           // 32 digits cover any s < 2^256
constexpr std::size_t kEntries = 1u << (kWindow - 1);  // odd multiples 1, 3, …, 255
constexpr std::size_t kLimbs = 4;
constexpr std::size_t kEntryWords = 2 * kLimbs;  // x, y

using Limbs = std::array<std::uint64_t, kLimbs>;  // little-endian 64-bit limbs

// The wNAF window of an election key's table for public multiplications in SM2: odd
// multiples up to 255·K (64 affine points), as for G (docs/performance.md).
constexpr int kKeyWindow = 8;

void Check(int rc, const char* what)
{
    if (rc == 1) return;
    ThrowIfSecureHeapFull();
    throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
}

struct BnDeleter {
    void operator()(BIGNUM* p) const { BN_clear_free(p); }
};
using Bn = std::unique_ptr<BIGNUM, BnDeleter>;

Bn NewBn(bool secure = false)
{
    Bn bn(secure ? BN_secure_new() : BN_new());
    if (!bn) ThrowOutOfMemory(secure);
    return bn;
}

EcPointPtr NewEcPoint(const EC_GROUP* g)
{
    EcPointPtr p(EC_POINT_new(g));
    if (!p) throw std::bad_alloc();
    return p;
}

Limbs FromBigEndian(const std::uint8_t* in)
{
    Limbs out{};
    for (std::size_t i = 0; i < 32; ++i)
        out[(31 - i) / 8] |= std::uint64_t{in[i]} << (8 * ((31 - i) % 8));
    return out;
}

void ToBigEndian(const std::uint64_t* in, std::uint8_t* out)
{
    for (std::size_t i = 0; i < 32; ++i)
        out[i] = static_cast<std::uint8_t>(in[(31 - i) / 8] >> (8 * ((31 - i) % 8)));
}

Limbs LimbsOf(const BIGNUM* bn)
{
    std::uint8_t buf[32];
    Check(BN_bn2binpad(bn, buf, sizeof buf) == 32 ? 1 : 0, "BN_bn2binpad");
    return FromBigEndian(buf);
}

// r = a − b (a ≥ b), without a branch.
void Sub(std::uint64_t* r, const std::uint64_t* a, const std::uint64_t* b)
{
    std::uint64_t borrow = 0;
    for (std::size_t i = 0; i < kLimbs; ++i) {
        const std::uint64_t d = a[i] - b[i];
        const std::uint64_t b1 = static_cast<std::uint64_t>(a[i] < b[i]);
        r[i] = d - borrow;
        borrow = b1 | static_cast<std::uint64_t>(d < borrow);
    }
}

// all ones if a == b, else 0, without a branch.
std::uint64_t EqualMask(std::uint64_t a, std::uint64_t b)
{
    const std::uint64_t x = a ^ b;
    return (((x | (~x + 1)) >> 63) ^ 1) * ~std::uint64_t{0};
}

// dst = mask ? src : dst, limb by limb.
void Select(std::uint64_t mask, std::uint64_t* dst, const std::uint64_t* src, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i)
        dst[i] = (src[i] & mask) | (dst[i] & ~mask);
}

// The comb's digits of s (docs in fixed_base.hpp): s' = s if s is odd, else q − s (odd as q is);
// s' = Σ d_i·2^(8i) with every d_i odd in [−255, 255], and `flip` = 1 when s' = q − s, so
// that s·B = Σ (±d_i)·2^(8i)·B with every sign flipped. Regular recoding: d_i = (s' mod 2^9) − 2^8,
// then s' ← (s' − d_i)/2^8 = ⌊s'/2^8⌋ | 1 stays odd; after 31 digits s' < 2^8 is the last one.
struct Digits {
    std::array<std::uint32_t, kRows> index{};   // (|d_i| − 1) / 2
    std::array<std::uint64_t, kRows> negate{};  // 1 when the entry is to be negated
    ~Digits()
    {
        OPENSSL_cleanse(index.data(), sizeof index);
        OPENSSL_cleanse(negate.data(), sizeof negate);
    }
};

void Recode(const Scalar& s, const Limbs& q, Digits& out)
{
    Bytes bytes = s.Encode();
    Limbs k = FromBigEndian(bytes.data());
    Wipe(bytes);
    Limbs neg{};
    Sub(neg.data(), q.data(), k.data());
    const std::uint64_t odd = k[0] & 1;
    Select(odd - 1, k.data(), neg.data(), kLimbs);  // even: k ← q − k
    const std::uint64_t flip = odd ^ 1;
    for (std::size_t i = 0; i < kRows; ++i) {
        // d = (k mod 2^9) − 2^8 for every digit but the last, which is k itself (< 2^8).
        const std::uint64_t last = static_cast<std::uint64_t>(i == kRows - 1);
        const std::uint64_t low = k[0] & 0x1ff;
        const std::uint64_t d_pos = low - 0x100;              // when low ≥ 0x100
        const std::uint64_t d_neg = 0x100 - low;              // |d| when low < 0x100
        const std::uint64_t negative = ((low >> 8) & 1) ^ 1;  // low < 0x100
        const std::uint64_t is_neg = negative & (last ^ 1);
        std::uint64_t magnitude = (d_neg & (0 - is_neg)) | (d_pos & (is_neg - 1));
        magnitude = (low & (0 - last)) | (magnitude & (last - 1));
        out.index[i] = static_cast<std::uint32_t>(magnitude >> 1);
        out.negate[i] = is_neg ^ flip;
        for (std::size_t j = 0; j + 1 < kLimbs; ++j)
            k[j] = (k[j] >> kWindow) | (k[j + 1] << (64 - kWindow));
        k[kLimbs - 1] >>= kWindow;
        k[0] |= 1;
    }
    OPENSSL_cleanse(k.data(), sizeof k);
    OPENSSL_cleanse(neg.data(), sizeof neg);
}

}  // namespace

FixedBase::FixedBase(const Point& base, Method method) : m_base(base)
{
    if (base.IsIdentity()) throw std::invalid_argument("FixedBase: the identity is not a base");
    const Group& g = base.group();
    const bool is_generator = base == g.Generator();
    const bool comb = method == Method::kComb || g.id() == SuiteId::SM2_SM3;
    BN_CTX* ctx = ThreadBnCtx(false);  // the table is public

    if (g.id() == SuiteId::SM2_SM3 || (is_generator && g.id() == SuiteId::P256_SHA256)) {
        // P-256's G: OpenSSL's built-in nistz256 table. SM2: OpenSSL's table would go unused
        // (Mul is the comb, MulAddPublic crypto/sm2_curve), so none is built.
        m_mul_group = g.raw();
    } else {
        m_own_group.reset(EC_GROUP_dup(g.raw()));
        if (!m_own_group) throw std::bad_alloc();
        if (EC_GROUP_set_generator(m_own_group.get(), base.raw(), g.order(), BN_value_one()) != 1 ||
            EC_GROUP_precompute_mult(m_own_group.get(), ctx) != 1)
            throw std::runtime_error("OpenSSL: cannot precompute multiples of a point");
        m_mul_group = m_own_group.get();
    }
    if (g.id() == SuiteId::SM2_SM3) {
        // Verification's a·B + b·P with our own SM2 arithmetic (crypto/sm2_curve.hpp).
        if (is_generator)
            m_public = &sm2::GeneratorTable();
        else {
            m_own_public = std::make_unique<const sm2::Table>(sm2::FromPoint(base), kKeyWindow);
            m_public = m_own_public.get();
        }
    }
    if (!comb) return;

    // Row i: (2e+1)·B_i for e = 0..127, B_i = 2^(8i)·B. No sum here meets the identity or a
    // doubling: every multiple (2e+1)·2^(8i) is below q.
    const EC_GROUP* raw = g.raw();
    std::vector<EcPointPtr> points;
    points.reserve(kRows * kEntries);
    EcPointPtr row_base = NewEcPoint(raw), twice = NewEcPoint(raw);
    Check(EC_POINT_copy(row_base.get(), base.raw()), "EC_POINT_copy");
    for (std::size_t i = 0; i < kRows; ++i) {
        Check(EC_POINT_dbl(raw, twice.get(), row_base.get(), ctx), "EC_POINT_dbl");
        points.push_back(NewEcPoint(raw));
        Check(EC_POINT_copy(points.back().get(), row_base.get()), "EC_POINT_copy");
        for (std::size_t e = 1; e < kEntries; ++e) {
            EcPointPtr next = NewEcPoint(raw);
            Check(EC_POINT_add(raw, next.get(), points.back().get(), twice.get(), ctx), "EC_POINT_add");
            points.push_back(std::move(next));
        }
        for (int d = 0; d < kWindow; ++d)
            Check(EC_POINT_dbl(raw, row_base.get(), row_base.get(), ctx), "EC_POINT_dbl");
    }
    std::vector<EC_POINT*> raw_points;
    raw_points.reserve(points.size());
    for (auto& p : points)
        raw_points.push_back(p.get());
    Check(EC_POINTs_make_affine(raw, raw_points.size(), raw_points.data(), ctx), "EC_POINTs_make_affine");
    m_comb.resize(points.size() * kEntryWords);
    Bn x = NewBn(), y = NewBn();
    for (std::size_t n = 0; n < points.size(); ++n) {
        Check(EC_POINT_get_affine_coordinates(raw, points[n].get(), x.get(), y.get(), ctx),
              "EC_POINT_get_affine_coordinates");
        const Limbs lx = LimbsOf(x.get()), ly = LimbsOf(y.get());
        std::copy(lx.begin(), lx.end(), m_comb.begin() + static_cast<std::ptrdiff_t>(n * kEntryWords));
        std::copy(ly.begin(), ly.end(), m_comb.begin() + static_cast<std::ptrdiff_t>(n * kEntryWords + kLimbs));
    }
}

void FixedBase::EcGroupFree::operator()(ec_group_st* g) const
{
    EC_GROUP_free(g);
}

FixedBase::~FixedBase() = default;

const FixedBase& FixedBase::Generator(const Group& g)
{
    switch (g.id()) {
        case SuiteId::P256_SHA256: {
            static const FixedBase p256(g.Generator());
            return p256;
        }
        case SuiteId::SM2_SM3: {
            static const FixedBase sm2(g.Generator());
            return sm2;
        }
    }
    throw std::invalid_argument("unknown suite");
}

Point FixedBase::Mul(const Scalar& s) const
{
    if (uses_comb()) return CombMul(s);
    // OpenSSL's constant-time fixed-base path (P-256: Booth recoding and a masked gather from
    // its table of the group's generator, here B).
    Point r(m_base.group());
    Check(EC_POINT_mul(m_mul_group, r.mutable_raw(), s.raw(), nullptr, nullptr, ThreadBnCtx(s.secret())),
          "EC_POINT_mul");
    return r;
}

Point FixedBase::CombMul(const Scalar& s) const
{
    const Group& g = m_base.group();
    const EC_GROUP* raw = g.raw();
    // The chosen entries reveal the scalar's digits: for a secret scalar they and OpenSSL's
    // temporaries stay in the secure heap.
    BN_CTX* ctx = ThreadBnCtx(s.secret());
    const Limbs q = LimbsOf(g.order());
    const Limbs p = LimbsOf(EC_GROUP_get0_field(raw));
    Digits digits;
    Recode(s, q, digits);

    Point acc(g);
    EcPointPtr entry = NewEcPoint(raw);
    Bn x = NewBn(s.secret()), y = NewBn(s.secret());
    BN_set_flags(x.get(), BN_FLG_CONSTTIME);
    BN_set_flags(y.get(), BN_FLG_CONSTTIME);
    std::uint64_t chosen[kEntryWords];
    std::uint64_t negated_y[kLimbs];
    std::uint8_t buf[32];
    for (std::size_t i = 0; i < kRows; ++i) {
        // Read the whole row, keep entry index[i] through a mask.
        const std::uint64_t* row = m_comb.data() + i * kEntries * kEntryWords;
        for (std::uint64_t& w : chosen)
            w = 0;
        for (std::size_t e = 0; e < kEntries; ++e) {
            const std::uint64_t mask = EqualMask(e, digits.index[i]);
            for (std::size_t w = 0; w < kEntryWords; ++w)
                chosen[w] |= row[e * kEntryWords + w] & mask;
        }
        // −(x, y) = (x, p − y); y is never 0 (no point of order 2).
        Sub(negated_y, p.data(), chosen + kLimbs);
        Select(0 - digits.negate[i], chosen + kLimbs, negated_y, kLimbs);
        ToBigEndian(chosen, buf);
        if (BN_bin2bn(buf, sizeof buf, x.get()) == nullptr) throw std::bad_alloc();
        ToBigEndian(chosen + kLimbs, buf);
        if (BN_bin2bn(buf, sizeof buf, y.get()) == nullptr) throw std::bad_alloc();
        // Also checks that the entry is on the curve: a damaged table throws.
        EC_POINT* target = i == 0 ? acc.mutable_raw() : entry.get();
        Check(EC_POINT_set_affine_coordinates(raw, target, x.get(), y.get(), ctx), "EC_POINT_set_affine_coordinates");
        // The sum so far is an odd integer below 2^(8i) in absolute value, the entry ±d·2^(8i):
        // never equal or opposite mod q before the last row, and in the last row only for
        // s = 0 (a sum to the identity) and s = ±(510·2^248 − q) (a doubling). Only there does
        // EC_POINT_add take another branch (docs/performance.md).
        if (i != 0) Check(EC_POINT_add(raw, acc.mutable_raw(), acc.raw(), entry.get(), ctx), "EC_POINT_add");
    }
    OPENSSL_cleanse(chosen, sizeof chosen);
    OPENSSL_cleanse(negated_y, sizeof negated_y);
    OPENSSL_cleanse(buf, sizeof buf);
    return acc;
}

Point FixedBase::MulAddPublic(const Scalar& a, const Point& p, const Scalar& b) const
{
    if (m_public != nullptr) {
        const sm2::Term terms[2] = {{m_public, {}, sm2::FromScalar(a)},
                                    {nullptr, sm2::JacobianFromPoint(p), sm2::FromScalar(b)}};
        return sm2::ToPoint(m_base.group(), sm2::MulPublic(terms));
    }
    Point r(m_base.group());
    Check(EC_POINT_mul(m_mul_group, r.mutable_raw(), a.raw(), p.raw(), b.raw(), ThreadBnCtx(false)), "EC_POINT_mul");
    return r;
}

std::shared_ptr<const FixedBase> KeyTable(const Point& k)
{
    static std::mutex mu;
    static std::vector<std::shared_ptr<const FixedBase>> cache;
    std::lock_guard lock(mu);
    for (const auto& table : cache)
        if (&table->base().group() == &k.group() && table->base() == k) return table;
    auto table = std::make_shared<const FixedBase>(k);
    if (cache.size() >= 4) cache.erase(cache.begin());
    cache.push_back(table);
    return table;
}

Point MulBase(const Scalar& s)
{
    return FixedBase::Generator(s.group()).Mul(s);
}

Point MulBaseAddPublic(const Scalar& a, const Point& p, const Scalar& b)
{
    return FixedBase::Generator(a.group()).MulAddPublic(a, p, b);
}

}  // namespace pingyi
