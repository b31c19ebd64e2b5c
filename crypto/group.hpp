// The prime-order group of a suite: scalars mod q, curve points, canonical encodings.
// Notation of docs/protocol.md §2: G the generator, q the order, "s·P" scalar multiplication.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "crypto/bytes.hpp"
#include "crypto/random.hpp"
#include "crypto/result.hpp"
#include "crypto/suite.hpp"

struct bignum_st;
struct ec_point_st;
struct ec_group_st;
struct bignum_ctx;

namespace pingyi {

inline constexpr std::size_t kScalarSize = 32;             // big-endian, < q
inline constexpr std::size_t kPointSize = 33;              // SEC1 compressed, never the identity
inline constexpr std::size_t kUncompressedPointSize = 65;  // SEC1 04 ‖ x ‖ y (ballots of form 2)

struct BnFree {
    void operator()(bignum_st* p) const;
};
struct EcPointFree {
    void operator()(ec_point_st* p) const;
};
using BnPtr = std::unique_ptr<bignum_st, BnFree>;
using EcPointPtr = std::unique_ptr<ec_point_st, EcPointFree>;

class Scalar;
class Point;

// This thread's BN_CTX for crypto/'s own OpenSSL calls: with secure = true its temporaries
// come from the secure heap (an operation on a secret scalar), otherwise from the ordinary
// heap (verification, decoding, anything on public values), so that checking a box of
// ballots never takes the secure heap's lock nor fills it.
bignum_ctx* ThreadBnCtx(bool secure);

class Group {
  public:
    static const Group& Get(SuiteId id);
    static const Group& P256() { return Get(SuiteId::P256_SHA256); }
    static const Group& SM2() { return Get(SuiteId::SM2_SM3); }

    [[nodiscard]] SuiteId id() const { return m_id; }
    // The suite's name as hashed into every challenge: "P256-SHA256" or "SM2-SM3".
    [[nodiscard]] std::string_view Name() const { return m_name; }
    [[nodiscard]] const ec_group_st* raw() const { return m_group; }
    [[nodiscard]] const bignum_st* order() const { return m_order; }

    [[nodiscard]] Point Generator() const;

    Group(const Group&) = delete;
    Group& operator=(const Group&) = delete;
    ~Group();

  private:
    Group(SuiteId id, int nid, std::string_view name);
    SuiteId m_id;
    std::string_view m_name;
    ec_group_st* m_group = nullptr;
    const bignum_st* m_order = nullptr;
};

// An integer mod q, secret or public (docs/design.md, "Secrets"). Every scalar is freed with
// BN_clear_free and multiplied in constant time unless a function says otherwise. A secret
// scalar lives in OpenSSL's secure heap (locked, never swapped, not in a core dump); a public
// one on the ordinary heap. Random() and DecodeSecret() make secret scalars, Decode() and
// Reduce() public ones (values read from files, challenges); an arithmetic result is secret
// when either operand is, so a nonce's taint reaches everything computed from it.
class Scalar {
  public:
    explicit Scalar(const Group& g);  // zero
    Scalar(const Group& g, std::uint64_t v);
    Scalar(const Scalar& other);
    Scalar& operator=(const Scalar& other);
    Scalar(Scalar&&) noexcept = default;
    Scalar& operator=(Scalar&&) noexcept = default;
    ~Scalar() = default;

    // Uniform in [1, q-1] by rejection sampling of 32-byte strings.
    static Scalar Random(const Group& g, Rng& rng);
    // n of them from one call to `rng` (a call to OpenSSL's DRBG costs microseconds): the
    // same bytes, the same rejections and so the same scalars as n calls of Random.
    static std::vector<Scalar> RandomMany(const Group& g, Rng& rng, std::size_t n);
    // Rejects a wrong length and any value >= q. A public scalar.
    static Result<Scalar> Decode(const Group& g, ByteView bytes);
    // As Decode, for a key, a share or a nonce: a secret scalar.
    static Result<Scalar> DecodeSecret(const Group& g, ByteView bytes);
    // OS2IP(bytes) mod q, for bytes much longer than q (hash-to-scalar).
    static Scalar Reduce(const Group& g, ByteView bytes);

    [[nodiscard]] Bytes Encode() const;  // kScalarSize bytes, big-endian
    [[nodiscard]] bool IsZero() const;
    [[nodiscard]] bool operator==(const Scalar& o) const;

    Scalar operator+(const Scalar& o) const;
    Scalar operator-(const Scalar& o) const;
    Scalar operator*(const Scalar& o) const;
    Scalar operator-() const;
    // x^-1 mod q; throws on zero. For public values (Lagrange coefficients).
    [[nodiscard]] Scalar Inverse() const;
    Scalar& operator+=(const Scalar& o) { return *this = *this + o; }

    [[nodiscard]] const Group& group() const { return *m_group; }
    [[nodiscard]] const bignum_st* raw() const { return m_bn.get(); }
    // Whether this scalar is held in the secure heap (see the class comment).
    [[nodiscard]] bool secret() const { return m_secret; }
    // A copy on the ordinary heap, for a value that is about to be published (a proof's
    // response): it then no longer occupies the secure heap.
    [[nodiscard]] Scalar Published() const;

  private:
    Scalar(const Group& g, bool secret, int /*tag*/);
    static Result<Scalar> DecodeAs(const Group& g, ByteView bytes, bool secret);
    const Group* m_group;
    bool m_secret = false;
    BnPtr m_bn;
};

// A point of the group. Decoding rejects off-curve encodings and the identity.
class Point {
  public:
    explicit Point(const Group& g);  // the identity (internal use: sums start here)
    Point(const Point& other);
    Point& operator=(const Point& other);
    Point(Point&&) noexcept = default;
    Point& operator=(Point&&) noexcept = default;
    ~Point() = default;

    // A decoded point keeps its encoding: encoding it again (a transcript, a record) is a copy.
    static Result<Point> Decode(const Group& g, ByteView bytes);
    // The 65-byte SEC1 uncompressed form (docs/protocol.md §5.6); keeps the compressed
    // encoding too, derived from the same bytes.
    static Result<Point> DecodeUncompressed(const Group& g, ByteView bytes);
    // Encode() of the identity throws: the identity never appears in a Pingyi file.
    [[nodiscard]] Bytes Encode() const;
    // 04 ‖ x ‖ y, 65 bytes (a copy after KeepEncoding or DecodeUncompressed).
    [[nodiscard]] Bytes EncodeUncompressed() const;
    // Computes and keeps both encodings now, from one computation of the affine coordinates
    // (one constant-time inversion), for a point that will be encoded more than once (a
    // ciphertext: in its proof's transcript, then in the ballot record; a commitment: in the
    // transcript, then stored in form 2). Not thread-safe with readers of the same point, as
    // any non-const call.
    void KeepEncoding();
    [[nodiscard]] bool IsIdentity() const;
    [[nodiscard]] bool operator==(const Point& o) const;

    Point operator+(const Point& o) const;
    Point operator-(const Point& o) const;
    Point operator-() const;
    Point& operator+=(const Point& o) { return *this = *this + o; }

    // s·P in constant time (s may be secret).
    Point operator*(const Scalar& s) const;

    [[nodiscard]] const Group& group() const { return *m_group; }
    [[nodiscard]] const ec_point_st* raw() const { return m_pt.get(); }
    // For writing the point through OpenSSL; forgets a kept encoding.
    ec_point_st* mutable_raw()
    {
        m_has_encoding = false;
        m_has_y = false;
        return m_pt.get();
    }

  private:
    static Result<Point> DecodeChecked(const Group& g, ByteView bytes);
    // Keeps `bytes`, this point's SEC1 encoding of 33 or 65 bytes: the compressed form, and
    // from 65 bytes y too.
    void KeepBytes(ByteView bytes);
    [[nodiscard]] Bytes EncodeAs(int form, std::size_t size) const;  // form: a point_conversion_form_t
    const Group* m_group;
    EcPointPtr m_pt;
    // Encoding a point costs an inversion (4.3 µs with P-256, 12 µs with SM2; OpenSSL's P-256
    // code inverts even a point already affine): a point read from a file or marked with
    // KeepEncoding() holds its 33 bytes, and with m_has_y its y too (the 65-byte form is then
    // 04 ‖ m_encoding[1..32] ‖ m_y).
    std::array<std::uint8_t, kPointSize> m_encoding{};
    std::array<std::uint8_t, kScalarSize> m_y{};
    bool m_has_encoding = false;
    bool m_has_y = false;
};

// s·G in constant time (s may be secret), with the suite's fixed-base method: OpenSSL's
// precomputed P-256 code, or Pingyi's table for SM2 (crypto/fixed_base.hpp, where both
// functions are defined).
Point MulBase(const Scalar& s);
// a·G + b·P in one call. WARNING: not constant time — a and b must be public
// (proof responses and challenges), never a nonce or a key.
Point MulBaseAddPublic(const Scalar& a, const Point& p, const Scalar& b);
// The 33-byte SEC1 compressed form of a point's 65-byte uncompressed encoding: 02 or 03 by
// the parity of y, then x. No check: the bytes must already be known to be a point's.
std::array<std::uint8_t, kPointSize> CompressedForm(ByteView uncompressed);
// −G, kept (a proof subtracts it once per branch).
const Point& NegatedGenerator(const Group& g);
// m·G for a small public integer m.
Point SmallMulBase(const Group& g, std::uint64_t m);
// a·G + Σ b_i·P_i in one multi-scalar multiplication (OpenSSL's interleaved method).
// WARNING: not constant time — every scalar must be public.
Point MultiMulPublic(const Scalar& a, std::span<const Point* const> points, std::span<const Scalar* const> scalars);

}  // namespace pingyi
