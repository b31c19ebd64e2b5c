// EC_POINTs_mul is deprecated in OpenSSL 3 but remains the only public multi-scalar
// multiplication; it is used for public scalars only.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/group.hpp"

#include "crypto/init.hpp"
#include "crypto/secret.hpp"
#include "crypto/sm2_curve.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <stdexcept>
#include <vector>

#ifdef __MINGW32__
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#endif

namespace pingyi {
namespace {

// Before anything else in the program touches OpenSSL (see crypto/init.hpp).
[[maybe_unused]] const bool kOpenSslReady = InitOpenSsl();

// One BN_CTX per thread and kind (secure or not): verification runs on several threads.
BN_CTX* NewCtx(bool secure)
{
    return secure ? BN_CTX_secure_new() : BN_CTX_new();
}

#ifdef __MINGW32__
// mingw-w64's GCC emulates TLS, and a thread_local's destructor can run after the
// emulation has freed the variable's memory (a crash at every thread exit). A fiber-local
// slot hands its value to the cleanup callback instead.
BN_CTX* Ctx(bool secure = false)
{
    static const DWORD slots[2] = {FlsAlloc([](void* ctx) { BN_CTX_free(static_cast<BN_CTX*>(ctx)); }),
                                   FlsAlloc([](void* ctx) { BN_CTX_free(static_cast<BN_CTX*>(ctx)); })};
    const DWORD slot = slots[secure ? 1 : 0];
    if (slot == FLS_OUT_OF_INDEXES) throw std::bad_alloc();
    auto* ctx = static_cast<BN_CTX*>(FlsGetValue(slot));
    if (ctx == nullptr) {
        ctx = NewCtx(secure);
        if (ctx == nullptr || FlsSetValue(slot, ctx) == 0) {
            BN_CTX_free(ctx);
            throw std::bad_alloc();
        }
    }
    return ctx;
}
#else
BN_CTX* Ctx(bool secure = false)
{
    struct Holder {
        BN_CTX* ctx[2] = {NewCtx(false), NewCtx(true)};
        ~Holder()
        {
            BN_CTX_free(ctx[0]);
            BN_CTX_free(ctx[1]);
        }
    };
    thread_local Holder holder;
    BN_CTX* ctx = holder.ctx[secure ? 1 : 0];
    if (ctx == nullptr) throw std::bad_alloc();
    return ctx;
}
#endif

void Check(int rc, const char* what)
{
    if (rc == 1) return;
    // The usual reason an operation on a secret fails is a full secure heap: say so.
    ThrowIfSecureHeapFull();
    throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
}

BIGNUM* NewBn(bool secure)
{
    BIGNUM* bn = secure ? BN_secure_new() : BN_new();
    if (bn == nullptr) throw std::bad_alloc();
    BN_set_flags(bn, BN_FLG_CONSTTIME);
    return bn;
}

EC_POINT* NewPoint(const Group& g)
{
    EC_POINT* p = EC_POINT_new(g.raw());
    if (p == nullptr) throw std::bad_alloc();
    return p;
}

}  // namespace

BN_CTX* ThreadBnCtx(bool secure)
{
    return Ctx(secure);
}

void BnFree::operator()(bignum_st* p) const
{
    BN_clear_free(p);
}
void EcPointFree::operator()(ec_point_st* p) const
{
    EC_POINT_clear_free(p);
}

Group::Group(SuiteId id, int nid, std::string_view name) : m_id(id), m_name(name)
{
    m_group = EC_GROUP_new_by_curve_name(nid);
    if (m_group == nullptr) throw std::runtime_error("OpenSSL lacks the curve of suite " + std::string(name));
    m_order = EC_GROUP_get0_order(m_group);
}

Group::~Group()
{
    EC_GROUP_free(m_group);
}

const Group& Group::Get(SuiteId id)
{
    switch (id) {
        case SuiteId::P256_SHA256: {
            static const Group p256(id, NID_X9_62_prime256v1, SuiteName(id));
            return p256;
        }
        case SuiteId::SM2_SM3: {
            // The SM2 curve of GB/T 32918.5; OpenSSL's arithmetic for it is the generic one.
            static const Group sm2(id, NID_sm2, SuiteName(id));
            return sm2;
        }
    }
    throw std::invalid_argument("unknown suite");
}

std::string_view SuiteName(SuiteId id)
{
    switch (id) {
        case SuiteId::P256_SHA256:
            return "P256-SHA256";
        case SuiteId::SM2_SM3:
            return "SM2-SM3";
    }
    throw std::invalid_argument("unknown suite");
}

std::optional<SuiteId> SuiteFromName(std::string_view name)
{
    for (SuiteId id : kAllSuites) {
        if (SuiteName(id) == name) return id;
    }
    return std::nullopt;
}

std::optional<SuiteId> SuiteFromByte(std::uint8_t id)
{
    for (SuiteId s : kAllSuites) {
        if (static_cast<std::uint8_t>(s) == id) return s;
    }
    return std::nullopt;
}

Point Group::Generator() const
{
    Point p(*this);
    Check(EC_POINT_copy(p.mutable_raw(), EC_GROUP_get0_generator(m_group)), "EC_POINT_copy");
    return p;
}

const Point& NegatedGenerator(const Group& g)
{
    static const Point p256 = -Group::P256().Generator();
    static const Point sm2 = -Group::SM2().Generator();
    return g.id() == SuiteId::SM2_SM3 ? sm2 : p256;
}

// ---- Scalar ----

Scalar::Scalar(const Group& g, bool secret, int /*tag*/) : m_group(&g), m_secret(secret), m_bn(NewBn(secret))
{
    BN_zero(m_bn.get());
}

Scalar::Scalar(const Group& g) : Scalar(g, false, 0) {}

Scalar::Scalar(const Group& g, std::uint64_t v) : Scalar(g)
{
    // Already reduced: both groups' orders exceed 2^255.
    Check(BN_set_word(m_bn.get(), v), "BN_set_word");
}

Scalar::Scalar(const Scalar& other) : m_group(other.m_group), m_secret(other.m_secret), m_bn(NewBn(other.m_secret))
{
    if (BN_copy(m_bn.get(), other.m_bn.get()) == nullptr) ThrowOutOfMemory(m_secret);
}

Scalar& Scalar::operator=(const Scalar& other)
{
    if (this != &other) {
        m_group = other.m_group;
        if (!m_bn || m_secret != other.m_secret) {
            m_bn.reset(NewBn(other.m_secret));
            m_secret = other.m_secret;
        }
        if (BN_copy(m_bn.get(), other.m_bn.get()) == nullptr) ThrowOutOfMemory(m_secret);
    }
    return *this;
}

Scalar Scalar::Published() const
{
    Scalar r(*m_group, false, 0);
    if (BN_copy(r.m_bn.get(), m_bn.get()) == nullptr) throw std::bad_alloc();
    return r;
}

Scalar Scalar::Random(const Group& g, Rng& rng)
{
    return std::move(RandomMany(g, rng, 1).front());
}

std::vector<Scalar> Scalar::RandomMany(const Group& g, Rng& rng, std::size_t n)
{
    // Rejection sampling of 32-byte strings, as many at once as are still wanted: a string of
    // q or more (probability < 2^-31) or zero is skipped and the next one of the stream taken.
    std::vector<Scalar> out;
    out.reserve(n);
    while (out.size() < n) {
        const std::size_t wanted = n - out.size();
        SecretBytes buf(wanted * kScalarSize);
        rng.Fill(buf.span());
        for (std::size_t i = 0; i < wanted; ++i) {
            auto s = DecodeSecret(g, buf.view().subspan(i * kScalarSize, kScalarSize));
            if (s.ok() && !s->IsZero()) out.push_back(std::move(s).value());
        }
    }
    return out;
}

Result<Scalar> Scalar::DecodeAs(const Group& g, ByteView bytes, bool secret)
{
    if (bytes.size() != kScalarSize) return MakeError("encoding.scalar", "a scalar must be exactly 32 bytes");
    Scalar s(g, secret, 0);
    if (BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), s.m_bn.get()) == nullptr) ThrowOutOfMemory(secret);
    if (BN_cmp(s.m_bn.get(), g.order()) >= 0)
        return MakeError("encoding.scalar", "a scalar is not below the group order q");
    return s;
}

Result<Scalar> Scalar::Decode(const Group& g, ByteView bytes)
{
    return DecodeAs(g, bytes, false);
}

Result<Scalar> Scalar::DecodeSecret(const Group& g, ByteView bytes)
{
    return DecodeAs(g, bytes, true);
}

Scalar Scalar::Reduce(const Group& g, ByteView bytes)
{
    Scalar s(g);
    if (BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), s.m_bn.get()) == nullptr) throw std::bad_alloc();
    Check(BN_nnmod(s.m_bn.get(), s.m_bn.get(), g.order(), Ctx()), "BN_nnmod");
    return s;
}

Bytes Scalar::Encode() const
{
    Bytes out(kScalarSize);
    Check(BN_bn2binpad(m_bn.get(), out.data(), static_cast<int>(out.size())) == static_cast<int>(kScalarSize),
          "BN_bn2binpad");
    return out;
}

bool Scalar::IsZero() const
{
    return BN_is_zero(m_bn.get()) == 1;
}

bool Scalar::operator==(const Scalar& o) const
{
    Bytes a = Encode(), b = o.Encode();
    const bool equal = EqualConstTime(a, b);
    Wipe(a);
    Wipe(b);
    return equal;
}

Scalar Scalar::operator+(const Scalar& o) const
{
    const bool secret = m_secret || o.m_secret;
    Scalar r(*m_group, secret, 0);
    Check(BN_mod_add(r.m_bn.get(), m_bn.get(), o.m_bn.get(), m_group->order(), Ctx(secret)), "BN_mod_add");
    return r;
}

Scalar Scalar::operator-(const Scalar& o) const
{
    const bool secret = m_secret || o.m_secret;
    Scalar r(*m_group, secret, 0);
    Check(BN_mod_sub(r.m_bn.get(), m_bn.get(), o.m_bn.get(), m_group->order(), Ctx(secret)), "BN_mod_sub");
    return r;
}

Scalar Scalar::operator*(const Scalar& o) const
{
    const bool secret = m_secret || o.m_secret;
    Scalar r(*m_group, secret, 0);
    Check(BN_mod_mul(r.m_bn.get(), m_bn.get(), o.m_bn.get(), m_group->order(), Ctx(secret)), "BN_mod_mul");
    return r;
}

Scalar Scalar::operator-() const
{
    return Scalar(*m_group) - *this;
}

Scalar Scalar::Inverse() const
{
    if (IsZero()) throw std::invalid_argument("the inverse of zero");
    Scalar r(*m_group, m_secret, 0);
    if (BN_mod_inverse(r.m_bn.get(), m_bn.get(), m_group->order(), Ctx(m_secret)) == nullptr) {
        ThrowIfSecureHeapFull();
        throw std::runtime_error("OpenSSL: BN_mod_inverse failed");
    }
    return r;
}

// ---- Point ----

Point::Point(const Group& g) : m_group(&g), m_pt(NewPoint(g))
{
    Check(EC_POINT_set_to_infinity(g.raw(), m_pt.get()), "EC_POINT_set_to_infinity");
}

Point::Point(const Point& other)
    : m_group(other.m_group),
      m_pt(NewPoint(*other.m_group)),
      m_encoding(other.m_encoding),
      m_y(other.m_y),
      m_has_encoding(other.m_has_encoding),
      m_has_y(other.m_has_y)
{
    Check(EC_POINT_copy(m_pt.get(), other.m_pt.get()), "EC_POINT_copy");
}

Point& Point::operator=(const Point& other)
{
    if (this != &other) {
        m_group = other.m_group;
        m_pt.reset(NewPoint(*m_group));
        Check(EC_POINT_copy(m_pt.get(), other.m_pt.get()), "EC_POINT_copy");
        m_encoding = other.m_encoding;
        m_y = other.m_y;
        m_has_encoding = other.m_has_encoding;
        m_has_y = other.m_has_y;
    }
    return *this;
}

Result<Point> Point::Decode(const Group& g, ByteView bytes)
{
    if (bytes.size() != kPointSize || (bytes[0] != 0x02 && bytes[0] != 0x03))
        return MakeError("encoding.point", "a point must be 33 bytes in SEC1 compressed form");
    return DecodeChecked(g, bytes);
}

Result<Point> Point::DecodeUncompressed(const Group& g, ByteView bytes)
{
    if (bytes.size() != kUncompressedPointSize || bytes[0] != 0x04)
        return MakeError("encoding.point", "a point must be 65 bytes in SEC1 uncompressed form");
    return DecodeChecked(g, bytes);
}

// The SEC1 bytes of a length and prefix already checked: oct2point checks that the
// coordinates are below p and the point on the curve (for 33 bytes: that x has a square root);
// the compressed encoding is kept (the bytes themselves, or 02/03 by y's parity and x).
Result<Point> Point::DecodeChecked(const Group& g, ByteView bytes)
{
    Point p(g);
    if (EC_POINT_oct2point(g.raw(), p.m_pt.get(), bytes.data(), bytes.size(), Ctx()) != 1)
        return MakeError("encoding.point", "the bytes are not a point of the curve");
    // For 65 bytes oct2point has checked the curve equation itself (EC_POINT_set_affine_
    // coordinates refuses a point off the curve); a ballot of form 2 holds hundreds of them.
    if (p.IsIdentity() || (bytes[0] != 0x04 && EC_POINT_is_on_curve(g.raw(), p.m_pt.get(), Ctx()) != 1))
        return MakeError("encoding.point", "the point is not a valid group element");
    p.KeepBytes(bytes);
    return p;
}

Bytes Point::EncodeUncompressed() const
{
    if (m_has_encoding && m_has_y) {
        Bytes out(kUncompressedPointSize);
        out[0] = 0x04;
        std::copy(m_encoding.begin() + 1, m_encoding.end(), out.begin() + 1);
        std::copy(m_y.begin(), m_y.end(), out.begin() + 1 + kScalarSize);
        return out;
    }
    return EncodeAs(POINT_CONVERSION_UNCOMPRESSED, kUncompressedPointSize);
}

Bytes Point::Encode() const
{
    if (m_has_encoding) return Bytes(m_encoding.begin(), m_encoding.end());
    return EncodeAs(POINT_CONVERSION_COMPRESSED, kPointSize);
}

Bytes Point::EncodeAs(int form, std::size_t size) const
{
    if (IsIdentity()) throw std::logic_error("the identity has no encoding");
    Bytes out(size);
    const std::size_t n = EC_POINT_point2oct(m_group->raw(), m_pt.get(), static_cast<point_conversion_form_t>(form),
                                             out.data(), out.size(), Ctx());
    if (n != size) throw std::runtime_error("OpenSSL: EC_POINT_point2oct failed");
    return out;
}

void Point::KeepEncoding()
{
    if (m_has_encoding && m_has_y) return;
    // One uncompressed encoding (the affine x and y: one inversion, constant time in OpenSSL's
    // P-256 and generic code alike), from which the compressed one follows: 02/03 by y's parity.
    KeepBytes(EncodeAs(POINT_CONVERSION_UNCOMPRESSED, kUncompressedPointSize));
}

void Point::KeepBytes(ByteView bytes)
{
    if (bytes[0] == 0x04) {
        m_encoding = CompressedForm(bytes);
        std::copy(bytes.begin() + 1 + kScalarSize, bytes.end(), m_y.begin());
        m_has_y = true;
    } else {
        std::copy(bytes.begin(), bytes.end(), m_encoding.begin());
    }
    m_has_encoding = true;
}

std::array<std::uint8_t, kPointSize> CompressedForm(ByteView uncompressed)
{
    std::array<std::uint8_t, kPointSize> out{};
    out[0] = static_cast<std::uint8_t>(0x02 | (uncompressed[kUncompressedPointSize - 1] & 1));
    std::copy(uncompressed.begin() + 1, uncompressed.begin() + 1 + kScalarSize, out.begin() + 1);
    return out;
}

bool Point::IsIdentity() const
{
    return EC_POINT_is_at_infinity(m_group->raw(), m_pt.get()) == 1;
}

bool Point::operator==(const Point& o) const
{
    const int rc = EC_POINT_cmp(m_group->raw(), m_pt.get(), o.m_pt.get(), Ctx());
    if (rc < 0) throw std::runtime_error("OpenSSL: EC_POINT_cmp failed");
    return rc == 0;
}

Point Point::operator+(const Point& o) const
{
    Point r(*m_group);
    Check(EC_POINT_add(m_group->raw(), r.m_pt.get(), m_pt.get(), o.m_pt.get(), Ctx()), "EC_POINT_add");
    return r;
}

Point Point::operator-() const
{
    Point r(*this);
    Check(EC_POINT_invert(m_group->raw(), r.m_pt.get(), Ctx()), "EC_POINT_invert");
    r.m_encoding[0] ^= 1;  // −(x, y) = (x, −y): the other parity of y, prefix 02 ↔ 03
    r.m_has_y = false;     // p − y is not worth computing here
    return r;
}

Point Point::operator-(const Point& o) const
{
    return *this + (-o);
}

Point Point::operator*(const Scalar& s) const
{
    Point r(*m_group);
    // A single variable-base scalar: OpenSSL uses its constant-time path.
    Check(EC_POINT_mul(m_group->raw(), r.m_pt.get(), nullptr, m_pt.get(), s.raw(), Ctx(s.secret())), "EC_POINT_mul");
    return r;
}

Point SmallMulBase(const Group& g, std::uint64_t m)
{
    return MulBase(Scalar(g, m));
}

Point MultiMulPublic(const Scalar& a, std::span<const Point* const> points, std::span<const Scalar* const> scalars)
{
    if (points.size() != scalars.size()) throw std::invalid_argument("MultiMulPublic: size mismatch");
    if (a.group().id() == SuiteId::SM2_SM3) {
        // Our own SM2 arithmetic (crypto/sm2_curve.hpp): OpenSSL's is generic BIGNUM code.
        std::vector<sm2::Term> terms;
        terms.reserve(points.size() + 1);
        terms.push_back({&sm2::GeneratorTable(), {}, sm2::FromScalar(a)});
        for (std::size_t i = 0; i < points.size(); ++i)
            terms.push_back({nullptr, sm2::JacobianFromPoint(*points[i]), sm2::FromScalar(*scalars[i])});
        return sm2::ToPoint(a.group(), sm2::MulPublic(terms));
    }
    std::vector<const EC_POINT*> pts;
    std::vector<const BIGNUM*> bns;
    pts.reserve(points.size());
    bns.reserve(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        pts.push_back(points[i]->raw());
        bns.push_back(scalars[i]->raw());
    }
    Point r(a.group());
    Check(EC_POINTs_mul(a.group().raw(), r.mutable_raw(), a.raw(), pts.size(), pts.data(), bns.data(), Ctx()),
          "EC_POINTs_mul");
    return r;
}

}  // namespace pingyi
