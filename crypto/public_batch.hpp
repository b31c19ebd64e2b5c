// Arithmetic on PUBLIC values for batch verification (docs/protocol.md §5.6): points decoded
// straight from their SEC1 bytes, integers mod q, sums of points and one multi-scalar
// multiplication (Pippenger's bucket method) that says whether Σ s_i·P_i is the identity.
// Both suites: P-256 and the SM2 curve (GB/T 32918.5), both y² = x³ − 3x + b with
// p ≡ 3 (mod 4) and cofactor 1; field and scalars in Montgomery form, 4 × 64-bit limbs.
//
// WARNING: nothing here is constant time. Every value passed in must be public (ciphertexts,
// proof commitments and responses, challenges, keys, the verifier's random weights).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "crypto/group.hpp"
#include "crypto/random.hpp"
#include "crypto/result.hpp"

namespace pingyi::batch {

// An integer mod q of the group (Montgomery form inside: compare with ==, not by limbs'
// meaning). Made only by the functions below.
struct Fq {
    std::array<std::uint64_t, 4> v{};
    [[nodiscard]] bool operator==(const Fq& o) const = default;
};

// An affine point of the group, not the identity, known to be on the curve.
struct Pt {
    std::array<std::uint64_t, 4> x{}, y{};  // Montgomery form of the field
};

// One suite's curve: obtained by For(group), kept for the process.
class Curve;
const Curve& For(const Group& g);

// Integers mod q.
Fq FqFromU64(const Curve& c, std::uint64_t x);
// From a public Scalar of the same group.
Fq FqFromScalar(const Curve& c, const Scalar& s);
// 32 big-endian bytes; "encoding.scalar" if the value is not below q.
Result<Fq> FqDecode(const Curve& c, ByteView bytes);
// A uniformly random weight in [1, 2^128), for the small-exponent test.
Fq FqRandomWeight(const Curve& c, Rng& rng);
Fq FqAdd(const Curve& c, const Fq& a, const Fq& b);
Fq FqSub(const Curve& c, const Fq& a, const Fq& b);
Fq FqNeg(const Curve& c, const Fq& a);
Fq FqMul(const Curve& c, const Fq& a, const Fq& b);
// 32 big-endian bytes of the value (< q).
std::array<std::uint8_t, 32> FqEncode(const Curve& c, const Fq& a);

// Points. Decode takes the 33-byte compressed or 65-byte uncompressed SEC1 form and refuses,
// with "encoding.point", anything else: a bad prefix or length, a coordinate not below p, a
// point off the curve, the identity.
Result<Pt> Decode(const Curve& c, ByteView bytes);
// From a group Point (not the identity; throws std::invalid_argument if it is).
Pt FromPoint(const Curve& c, const Point& p);
// The 33-byte compressed encoding (02/03 ‖ x), as Point::Encode gives it.
std::array<std::uint8_t, 33> EncodeCompressed(const Curve& c, const Pt& p);
// The 65-byte uncompressed encoding (04 ‖ x ‖ y).
std::array<std::uint8_t, 65> EncodeUncompressed(const Curve& c, const Pt& p);
// The group Point with these coordinates.
Point ToPoint(const Group& g, const Curve& c, const Pt& p);

// The sum of each set of points (indexes into `points`), with one inversion for all of them;
// nullopt for a sum that is the identity (or an empty set).
std::vector<std::optional<Pt>> SumEach(const Curve& c, std::span<const Pt> points,
                                       std::span<const std::vector<std::uint32_t>> sets);

// Σ s_i·P_i + s_G·G over public points and scalars.
class Msm {
  public:
    explicit Msm(const Curve& c);
    ~Msm();
    Msm(const Msm&) = delete;
    Msm& operator=(const Msm&) = delete;

    // Adds s·P (s = 0 allowed).
    void Add(const Pt& p, const Fq& s);
    // Adds s·G to G's coefficient.
    void AddBase(const Fq& s);
    // The number of terms added with Add (G's coefficient is not counted).
    [[nodiscard]] std::size_t size() const;
    // Whether the whole sum is the identity (Pippenger; G is one more term of the buckets).
    [[nodiscard]] bool IsIdentity() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

}  // namespace pingyi::batch
