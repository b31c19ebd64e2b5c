// Precomputed multiples of a fixed point B: the generator G of a suite, or an election key K
// (docs/performance.md "Fixed-base tables"). The prover multiplies G and K by secret nonces
// many times per ballot, the verifier by public responses; a table built once per base makes
// every such multiplication cheaper than OpenSSL's generic variable-base code.
//
// Two code paths, never mixed:
//  - Mul(s), s possibly secret: constant time. Where OpenSSL has constant-time precomputed
//    code for the curve (P-256: its nistz256 table, built for any base by
//    EC_GROUP_precompute_mult) that is used; otherwise (SM2, whose OpenSSL code is a generic
//    Montgomery ladder) Pingyi's own comb below.
//  - MulAddPublic(a, P, b), public scalars only: for P-256 OpenSSL's wNAF with its
//    precomputation of B; for SM2 Pingyi's own curve arithmetic (crypto/sm2_curve.hpp) with a
//    wNAF table of B.
//
// The comb: s is made odd (s, or q − s with every digit's sign flipped) and written in 32
// signed odd digits d_i of 8 bits, s = Σ d_i·2^(8i) with d_i ∈ {±1, ±3, …, ±255}. Row i of
// the table holds the affine points (2e+1)·2^(8i)·B, e = 0..127. s·B is the sum of 32 entries,
// one per row: 31 point additions, no doubling. Each entry is read by scanning its whole row
// and keeping one entry through masks, its sign applied by a masked choice between y and
// p − y, and no digit is ever zero, so the same operations run for every s.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "crypto/group.hpp"

namespace pingyi {

namespace sm2 {
class Table;
}  // namespace sm2

class FixedBase {
  public:
    // How Mul computes: kAuto picks per suite (OpenSSL's table for P-256, the comb for SM2);
    // kComb forces Pingyi's comb (tests compare it with OpenSSL in both suites).
    enum class Method { kAuto, kComb };

    // Throws std::invalid_argument for the identity.
    explicit FixedBase(const Point& base, Method method = Method::kAuto);
    ~FixedBase();
    FixedBase(const FixedBase&) = delete;
    FixedBase& operator=(const FixedBase&) = delete;

    // The table of the suite's generator G, built on first use and kept for the process.
    static const FixedBase& Generator(const Group& g);

    [[nodiscard]] const Point& base() const { return m_base; }
    [[nodiscard]] bool uses_comb() const { return !m_comb.empty(); }

    // s·B in constant time (s may be secret).
    [[nodiscard]] Point Mul(const Scalar& s) const;
    // a·B + b·P. WARNING: not constant time — a and b must be public.
    [[nodiscard]] Point MulAddPublic(const Scalar& a, const Point& p, const Scalar& b) const;

  private:
    [[nodiscard]] Point CombMul(const Scalar& s) const;

    Point m_base;
    // A copy of the group whose generator is B, with OpenSSL's precomputation (P-256 only);
    // null for G of P-256, whose table OpenSSL has built in, and for SM2.
    struct EcGroupFree {
        void operator()(ec_group_st* g) const;
    };
    std::unique_ptr<ec_group_st, EcGroupFree> m_own_group;
    const ec_group_st* m_mul_group = nullptr;
    // The comb: 32 rows × 128 entries × (x, y) as 4 little-endian 64-bit limbs each.
    std::vector<std::uint64_t> m_comb;
    // SM2 only: odd multiples of B for MulAddPublic, the process-wide one of G or our own.
    const sm2::Table* m_public = nullptr;
    std::unique_ptr<const sm2::Table> m_own_public;
};

// The table of an election key K, built on first use and kept for the process (the kiosk's
// whole poll, the verifier's whole box; the four most recent keys). Thread-safe.
std::shared_ptr<const FixedBase> KeyTable(const Point& k);

}  // namespace pingyi
