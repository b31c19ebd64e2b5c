// Montgomery arithmetic modulo any odd 256-bit modulus m, with R = 2^256, for PUBLIC values
// (crypto/public_batch.cpp: the field and the scalars of P-256 and of the SM2 curve).
// Elements are 4 little-endian 64-bit limbs, always fully reduced (< m), so that equal
// elements have equal limbs. The modulus is a compile-time constant (a template on a struct
// giving kModulus): its limbs, −m^−1 mod 2^64 and R² mod m are then immediates, and a limb
// of the modulus that is 0 or all ones costs the compiler nothing.
//
// WARNING: nothing here is constant time.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace pingyi::mont256 {

using u64 = std::uint64_t;
// gcc and clang (also mingw-w64's gcc) have 128-bit integers; `__extension__` keeps -Wpedantic quiet.
#if !defined(__SIZEOF_INT128__)
#error "crypto/mont256.hpp needs unsigned __int128 (gcc or clang)"
#endif
__extension__ typedef unsigned __int128 u128;

using Limbs = std::array<u64, 4>;

// The operations are inlined into the point formulas: a call per operation costs a noticeable
// share of a 4-limb multiplication.
#define PINGYI_MONT_INLINE inline __attribute__((always_inline))

// 64 hex digits, big-endian, to limbs (for constants).
constexpr Limbs FromHex(std::string_view hex)
{
    Limbs r{};
    for (std::size_t i = 0; i < 64; ++i) {
        const char ch = hex[i];
        const u64 nibble = static_cast<u64>(ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10);
        const std::size_t bit = 4 * (63 - i);
        r[bit / 64] |= nibble << (bit % 64);
    }
    return r;
}

// 32 big-endian bytes to limbs (any 256-bit value).
inline Limbs FromBytes(const std::uint8_t* in)
{
    Limbs a{};
    for (std::size_t i = 0; i < 32; ++i)
        a[(31 - i) / 8] |= u64{in[i]} << (8 * ((31 - i) % 8));
    return a;
}

inline void ToBytes(const Limbs& a, std::uint8_t* out)
{
    for (std::size_t i = 0; i < 32; ++i)
        out[i] = static_cast<std::uint8_t>(a[(31 - i) / 8] >> (8 * ((31 - i) % 8)));
}

[[nodiscard]] PINGYI_MONT_INLINE constexpr bool IsZero(const Limbs& a)
{
    return (a[0] | a[1] | a[2] | a[3]) == 0;
}

// a < b as integers.
[[nodiscard]] constexpr bool Less(const Limbs& a, const Limbs& b)
{
    for (std::size_t i = 4; i-- > 0;)
        if (a[i] != b[i]) return a[i] < b[i];
    return false;
}

// −m^−1 mod 2^64 for odd m, by Newton's iteration (each step doubles the correct low bits;
// m·m ≡ 1 mod 8 gives the first three).
constexpr u64 NegInverse64(u64 m0)
{
    u64 x = m0;
    for (int i = 0; i < 5; ++i)
        x *= 2 - m0 * x;
    return 0 - x;
}

template <class Modulus>
struct Field {
    static constexpr Limbs kM = Modulus::kModulus;
    static constexpr u64 kN0 = NegInverse64(kM[0]);
    static_assert(kM[0] % 2 == 1 && kM[3] != 0, "an odd 256-bit modulus");
    static_assert(static_cast<u64>(kM[0] * (0 - kN0)) == 1, "−m^−1 mod 2^64");

    // The carry and borrow loops are written out in each operation: through a shared helper
    // with an output reference, gcc 12 made SM2's point addition 40 % slower (measured).

    // r = a − m if that does not borrow (with `carry` the bit above a), else a.
    static PINGYI_MONT_INLINE constexpr Limbs ReduceOnce(const Limbs& a, u64 carry)
    {
        Limbs r{};
        u64 borrow = 0;
#pragma GCC unroll 4
        for (std::size_t i = 0; i < 4; ++i) {
            const u128 d = static_cast<u128>(a[i]) - kM[i] - borrow;
            r[i] = static_cast<u64>(d);
            borrow = static_cast<u64>(d >> 64) & 1;
        }
        // a − m is non-negative when there was a carry out of a or no borrow; a mask rather
        // than a branch, which would be mispredicted half the time.
        const u64 keep_r = 0 - (static_cast<u64>(carry != 0) | (borrow ^ 1));
#pragma GCC unroll 4
        for (std::size_t i = 0; i < 4; ++i)
            r[i] = (r[i] & keep_r) | (a[i] & ~keep_r);
        return r;
    }

    static PINGYI_MONT_INLINE constexpr Limbs Add(const Limbs& a, const Limbs& b)
    {
        Limbs s{};
        u64 carry = 0;
#pragma GCC unroll 4
        for (std::size_t i = 0; i < 4; ++i) {
            const u128 t = static_cast<u128>(a[i]) + b[i] + carry;
            s[i] = static_cast<u64>(t);
            carry = static_cast<u64>(t >> 64);
        }
        return ReduceOnce(s, carry);
    }

    static PINGYI_MONT_INLINE constexpr Limbs Sub(const Limbs& a, const Limbs& b)
    {
        Limbs r{};
        u64 borrow = 0;
#pragma GCC unroll 4
        for (std::size_t i = 0; i < 4; ++i) {
            const u128 d = static_cast<u128>(a[i]) - b[i] - borrow;
            r[i] = static_cast<u64>(d);
            borrow = static_cast<u64>(d >> 64) & 1;
        }
        // Add m back on a borrow, through a mask.
        const u64 mask = 0 - borrow;
        u64 carry = 0;
#pragma GCC unroll 4
        for (std::size_t i = 0; i < 4; ++i) {
            const u128 t = static_cast<u128>(r[i]) + (kM[i] & mask) + carry;
            r[i] = static_cast<u64>(t);
            carry = static_cast<u64>(t >> 64);
        }
        return r;
    }

    static PINGYI_MONT_INLINE constexpr Limbs Neg(const Limbs& a)
    {
        return Sub(Limbs{}, a);
    }

    // CIOS Montgomery multiplication: (a·b + t·m) / 2^256 for a, b < m. The loops are unrolled
    // (gcc does not at -O2, and keeping t in registers is most of the speed).
    static PINGYI_MONT_INLINE constexpr Limbs Mul(const Limbs& a, const Limbs& b)
    {
        u64 t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
#pragma GCC unroll 4
        for (std::size_t i = 0; i < 4; ++i) {
            const u64 bi = b[i];
            u128 s = static_cast<u128>(a[0]) * bi + t0;
            t0 = static_cast<u64>(s);
            s = static_cast<u128>(a[1]) * bi + t1 + static_cast<u64>(s >> 64);
            t1 = static_cast<u64>(s);
            s = static_cast<u128>(a[2]) * bi + t2 + static_cast<u64>(s >> 64);
            t2 = static_cast<u64>(s);
            s = static_cast<u128>(a[3]) * bi + t3 + static_cast<u64>(s >> 64);
            t3 = static_cast<u64>(s);
            s = static_cast<u128>(t4) + static_cast<u64>(s >> 64);
            t4 = static_cast<u64>(s);
            const u64 t5 = static_cast<u64>(s >> 64);

            // q = t0 · (−m^−1) mod 2^64 (t0 itself when m ≡ −1 mod 2^64, as the SM2 prime);
            // add q·m and drop the (now zero) low limb.
            const u64 q = t0 * kN0;
            s = static_cast<u128>(q) * kM[0] + t0;
            s = static_cast<u128>(q) * kM[1] + t1 + static_cast<u64>(s >> 64);
            t0 = static_cast<u64>(s);
            s = static_cast<u128>(q) * kM[2] + t2 + static_cast<u64>(s >> 64);
            t1 = static_cast<u64>(s);
            s = static_cast<u128>(q) * kM[3] + t3 + static_cast<u64>(s >> 64);
            t2 = static_cast<u64>(s);
            s = static_cast<u128>(t4) + static_cast<u64>(s >> 64);
            t3 = static_cast<u64>(s);
            t4 = t5 + static_cast<u64>(s >> 64);
        }
        return ReduceOnce({t0, t1, t2, t3}, t4);
    }

    static PINGYI_MONT_INLINE constexpr Limbs Sqr(const Limbs& a)
    {
        return Mul(a, a);
    }

    // R mod m and R² mod m (R² from R by 256 doublings, at compile time).
    static constexpr Limbs kOne = [] {
        Limbs r{};  // 2^256 − m, as the two's complement of m
        u64 borrow = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            const u128 d = static_cast<u128>(0) - kM[i] - borrow;
            r[i] = static_cast<u64>(d);
            borrow = static_cast<u64>(d >> 64) & 1;
        }
        while (!Less(r, kM))
            r = Sub(r, kM);
        return r;
    }();
    static constexpr Limbs kR2 = [] {
        Limbs r = kOne;
        for (int i = 0; i < 256; ++i)
            r = Add(r, r);
        return r;
    }();

    // A value < m into Montgomery form, and back.
    static PINGYI_MONT_INLINE Limbs ToMont(const Limbs& plain)
    {
        return Mul(plain, kR2);
    }
    static PINGYI_MONT_INLINE Limbs FromMont(const Limbs& a)
    {
        return Mul(a, Limbs{1, 0, 0, 0});
    }

    // a^e for a public exponent e (4-bit fixed windows: 252 squarings, 64 multiplications).
    static Limbs Pow(const Limbs& a, const Limbs& e)
    {
        std::array<Limbs, 16> table{};
        table[0] = kOne;
        for (std::size_t i = 1; i < 16; ++i)
            table[i] = Mul(table[i - 1], a);
        Limbs r = kOne;
        for (int nibble = 63; nibble >= 0; --nibble) {
            if (nibble != 63)
                for (int k = 0; k < 4; ++k)
                    r = Sqr(r);
            const auto bits =
                static_cast<std::size_t>(e[static_cast<std::size_t>(nibble) / 16] >> (4 * (nibble % 16))) & 15;
            if (bits != 0) r = Mul(r, table[bits]);
        }
        return r;
    }

    // a^(m−2) = a^−1 for prime m and a ≠ 0; 0 for 0.
    static Limbs Inv(const Limbs& a)
    {
        Limbs e = kM;
        e[0] -= 2;  // m is odd and above 2: no borrow
        return Pow(a, e);
    }
};

}  // namespace pingyi::mont256
