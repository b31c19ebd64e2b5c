// SM2 curve arithmetic of our own for PUBLIC scalars only: verification's a·G + b·P and
// multi-scalar sums (docs/performance.md "SM2 public arithmetic of our own"). OpenSSL's SM2
// code is its generic BIGNUM arithmetic; this is the curve of GB/T 32918.5,
//   p = FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 00000000 FFFFFFFF FFFFFFFF,
//   y² = x³ − 3x + b,
// with field elements in Montgomery form (R = 2^256) as 4 little-endian 64-bit limbs, points in
// Jacobian coordinates, and interleaved wNAF (Straus) over tables of odd multiples.
//
// WARNING: nothing here is constant time. Every scalar and point passed in must be public
// (proof responses, challenges, keys, ciphertexts); secret scalars go through Point::operator*,
// MulBase or FixedBase::Mul, which do not use this file.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "crypto/group.hpp"

namespace pingyi::sm2 {

inline constexpr std::size_t kFieldBytes = 32;

// An element of GF(p) in Montgomery form, always fully reduced (< p), so that equal
// elements have equal limbs.
struct Fe {
    std::array<std::uint64_t, 4> v{};
    [[nodiscard]] bool operator==(const Fe& o) const = default;
};

// Big-endian 32 bytes (any 256-bit value, reduced mod p) to Montgomery form.
Fe FeFromBytes(const std::uint8_t* in);
// Out of Montgomery form, as 32 big-endian bytes of the value < p.
void FeToBytes(const Fe& a, std::uint8_t* out);
Fe FeZero();
Fe FeOne();
Fe FeAdd(const Fe& a, const Fe& b);
Fe FeSub(const Fe& a, const Fe& b);
Fe FeNeg(const Fe& a);
Fe FeMul(const Fe& a, const Fe& b);
Fe FeSqr(const Fe& a);
// a^(p−2) = a^−1 for a ≠ 0; 0 for 0.
Fe FeInv(const Fe& a);
[[nodiscard]] inline bool FeIsZero(const Fe& a)
{
    return (a.v[0] | a.v[1] | a.v[2] | a.v[3]) == 0;
}

// An affine point; `infinity` marks the identity (x, y are then meaningless).
struct Affine {
    Fe x, y;
    bool infinity = false;
};

// A point in Jacobian coordinates (X/Z², Y/Z³); Z = 0 is the identity.
struct Jacobian {
    Fe x, y, z;
    [[nodiscard]] bool IsIdentity() const { return FeIsZero(z); }
};

// The curve's b and the generator G (GB/T 32918.5), in Montgomery form.
const Fe& CurveB();
const Affine& Generator();

[[nodiscard]] bool IsOnCurve(const Affine& a);
Jacobian ToJacobian(const Affine& a);
Affine ToAffine(const Jacobian& a);
// Many points to affine with one inversion.
std::vector<Affine> ToAffineBatch(std::span<const Jacobian> points);
Jacobian Identity();
Jacobian Negate(const Jacobian& a);
Jacobian Double(const Jacobian& a);
// Full addition: handles the identity on either side, a == b (a doubling) and a == −b.
Jacobian Add(const Jacobian& a, const Jacobian& b);
// a + b with b affine; the same cases handled.
Jacobian AddMixed(const Jacobian& a, const Affine& b);
// Projective equality (both may be the identity).
[[nodiscard]] bool Equal(const Jacobian& a, const Jacobian& b);

// A public scalar: 4 little-endian 64-bit limbs, any value < 2^256 (callers pass values < q).
using Scalar256 = std::array<std::uint64_t, 4>;
Scalar256 ScalarFromBytes(const std::uint8_t* in);  // 32 bytes, big-endian

// Odd multiples B, 3B, …, (2^(w−1) − 1)·B of a fixed base B in affine form, for wNAF of width w.
class Table {
  public:
    Table(const Affine& base, int window);
    [[nodiscard]] int window() const { return m_window; }
    [[nodiscard]] const Affine& base() const { return m_odd.front(); }
    [[nodiscard]] const Affine& Odd(int digit) const { return m_odd[static_cast<std::size_t>(digit >> 1)]; }

  private:
    int m_window;
    std::vector<Affine> m_odd;
};

// The table of G, built on first use (thread-safe) and kept for the process.
const Table& GeneratorTable();

// One term s·B of a sum: B is a fixed base with its table or a point met once.
struct Term {
    const Table* table = nullptr;  // if set, `point` is ignored
    Jacobian point = Identity();
    Scalar256 scalar{};
};

// Σ s_i·B_i by interleaved wNAF. WARNING: not constant time — public scalars and points only.
Jacobian MulPublic(std::span<const Term> terms);

// The wNAF digits of k (exposed for tests): k = Σ d_i·2^i, each d_i zero or odd with
// |d_i| < 2^(w−1), any two non-zero digits at least w apart. 257 digits.
std::array<std::int8_t, 257> Wnaf(const Scalar256& k, int window);

// Conversions with the group's types, through affine coordinates (Group::SM2() only).
Affine FromPoint(const Point& p);
// As FromPoint, keeping OpenSSL's Jacobian coordinates: no inversion for a point that is not
// affine (the result of an addition or a multiplication).
Jacobian JacobianFromPoint(const Point& p);
Point ToPoint(const Group& g, const Jacobian& a);
Scalar256 FromScalar(const Scalar& s);

}  // namespace pingyi::sm2
