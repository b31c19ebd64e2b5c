#!/usr/bin/env python3
"""The 国密 primitives of suite SM2-SM3 in pure Python, independent of OpenSSL and of the C++
code: SM3 (GB/T 32905), the SM2 curve (GB/T 32918.5) and SM2 signatures (GB/T 32918.2).

make_vectors.py uses this module for the SM2-SM3 vectors; run alone, it checks itself
against the standards' own examples and published vectors:
    python3 tests/vectors/guomi.py
"""

import sys

# ---- SM3 ----

_IV = [0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600, 0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E]
_M32 = 0xFFFFFFFF


def _rotl(x, n):
    n %= 32
    return ((x << n) | (x >> (32 - n))) & _M32


def _p0(x):
    return x ^ _rotl(x, 9) ^ _rotl(x, 17)


def _p1(x):
    return x ^ _rotl(x, 15) ^ _rotl(x, 23)


def _compress(v, block):
    w = [int.from_bytes(block[4 * i:4 * i + 4], "big") for i in range(16)]
    for j in range(16, 68):
        w.append(_p1(w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)) ^ _rotl(w[j - 13], 7) ^ w[j - 6])
    w1 = [w[j] ^ w[j + 4] for j in range(64)]
    a, b, c, d, e, f, g, h = v
    for j in range(64):
        t = 0x79CC4519 if j < 16 else 0x7A879D8A
        ss1 = _rotl((_rotl(a, 12) + e + _rotl(t, j)) & _M32, 7)
        ss2 = ss1 ^ _rotl(a, 12)
        if j < 16:
            ff, gg = a ^ b ^ c, e ^ f ^ g
        else:
            ff, gg = (a & b) | (a & c) | (b & c), (e & f) | (~e & g)
        tt1 = (ff + d + ss2 + w1[j]) & _M32
        tt2 = (gg + h + ss1 + w[j]) & _M32
        a, b, c, d = tt1, a, _rotl(b, 9), c
        e, f, g, h = _p0(tt2), e, _rotl(f, 19), g
    return [x ^ y for x, y in zip(v, (a, b, c, d, e, f, g, h))]


def sm3(data):
    """SM3 of bytes: 32 bytes."""
    bits = len(data) * 8
    m = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + bits.to_bytes(8, "big")
    v = list(_IV)
    for i in range(0, len(m), 64):
        v = _compress(v, m[i:i + 64])
    return b"".join(x.to_bytes(4, "big") for x in v)


# ---- the SM2 curve: y² = x³ + ax + b over F_p, prime order n, cofactor 1 ----

P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
GX = 0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
GY = 0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0
G = (GX, GY)


def on_curve(pt, p=P, a=A, b=B):
    x, y = pt
    return (y * y - (x * x * x + a * x + b)) % p == 0


def add(p1, p2, p=P, a=A):
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2 and (y1 + y2) % p == 0:
        return None
    if p1 == p2:
        lam = (3 * x1 * x1 + a) * pow(2 * y1, -1, p) % p
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, p) % p
    x3 = (lam * lam - x1 - x2) % p
    return (x3, (lam * (x1 - x3) - y1) % p)


def mul(k, pt, p=P, a=A):
    r = None
    while k:
        if k & 1:
            r = add(r, pt, p, a)
        pt = add(pt, pt, p, a)
        k >>= 1
    return r


def decompress(enc, p=P, a=A, b=B):
    """A SEC1-compressed point (p ≡ 3 mod 4 for the SM2 curve)."""
    assert len(enc) == 33 and enc[0] in (2, 3)
    x = int.from_bytes(enc[1:], "big")
    y = pow((x ** 3 + a * x + b) % p, (p + 1) // 4, p)
    assert (y * y - (x ** 3 + a * x + b)) % p == 0, "not on the curve"
    if (y & 1) != (enc[0] & 1):
        y = p - y
    return (x, y)


# ---- SM2 signatures (GB/T 32918.2) over a given curve ----

DEFAULT_ID = b"1234567812345678"


class Curve:
    def __init__(self, p, a, b, n, gx, gy):
        self.p, self.a, self.b, self.n, self.g = p, a, b, n, (gx, gy)

    def mul(self, k, pt):
        return mul(k, pt, self.p, self.a)

    def z(self, ident, pub):
        """Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A)."""
        size = (self.p.bit_length() + 7) // 8
        parts = [self.a, self.b, self.g[0], self.g[1], pub[0], pub[1]]
        return sm3((len(ident) * 8).to_bytes(2, "big") + ident + b"".join(v.to_bytes(size, "big") for v in parts))

    def e(self, ident, pub, message):
        return int.from_bytes(sm3(self.z(ident, pub) + message), "big")

    def sign_e(self, d, e, k):
        x1 = self.mul(k, self.g)[0]
        r = (e + x1) % self.n
        assert r != 0 and r + k != self.n
        s = pow(1 + d, -1, self.n) * (k - r * d) % self.n
        assert s != 0
        return r, s

    def verify_e(self, pub, e, r, s):
        if not (1 <= r < self.n and 1 <= s < self.n):
            return False
        t = (r + s) % self.n
        if t == 0:
            return False
        pt = add(self.mul(s, self.g), self.mul(t, pub), self.p, self.a)
        return pt is not None and (e + pt[0]) % self.n == r


SM2 = Curve(P, A, B, N, GX, GY)


def self_check():
    # GB/T 32905 Appendix A: the two examples.
    assert sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3(b"abcd" * 16).hex() == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    assert on_curve(G) and mul(N, G) is None and P % 4 == 3
    for ident, pub, msg, sig in PUBLISHED_SIGNATURES:
        q = decompress(bytes.fromhex(pub))
        r, s = int(sig[:64], 16), int(sig[64:], 16)
        e = SM2.e(ident, q, msg)
        assert SM2.verify_e(q, e, r, s), "published signature"
        assert not SM2.verify_e(q, e ^ 1, r, s)
    for pub, e, der in OPENSSL_DIGEST_VERIFICATIONS:
        q = (int(pub[2:66], 16), int(pub[66:], 16))
        r, s = _der_rs(bytes.fromhex(der))
        assert SM2.verify_e(q, int(e, 16), r, s), "OpenSSL evppkey_sm2.txt vector"
    print("guomi.py: SM3, the SM2 curve and SM2 signatures agree with the published vectors", file=sys.stderr)


def _der_rs(der):
    assert der[0] == 0x30 and der[2] == 0x02
    lr = der[3]
    r = int.from_bytes(der[4:4 + lr], "big")
    assert der[4 + lr] == 0x02
    ls = der[5 + lr]
    s = int.from_bytes(der[6 + lr:6 + lr + ls], "big")
    return r, s


# A published SM2 signature on the SM2 curve with the default ID: message "message digest"
# (the SM2 test suites of several libraries; `openssl pkeyutl -verify -digest sm3 -pkeyopt
# distid:1234567812345678` accepts it). (ID, compressed public key, message, r ‖ s)
PUBLISHED_SIGNATURES = [
    (DEFAULT_ID, "02d5548c7825cbb56150a3506cd57464af8a1ae0519dfaf3c58221dc810caf28dd", b"message digest",
     "29c72393298604aa6ba814eba1d5d4f5f67653e6948e7aff360011fb50e32024"
     "c905a376ff742b866e4913a77ddcfe70e17def0b18d026a9ea0748e2582427b7"),
]

# OpenSSL's test/recipes/30-test_evp_data/evppkey_sm2.txt, key SM2_key1: verifications of a
# given digest e (uncompressed public key, e, DER signature).
_SM2_KEY1 = ("04393a2ad9e27e43acaaab85a19d3b85591e14406157175addd37bf77ff0caf9ed"
             "37fcf3a8b4f55c038523261fca6636afe6a7afa2a1482a606f5cb3a18b2e2a1e")
OPENSSL_DIGEST_VERIFICATIONS = [
    (_SM2_KEY1, "D7AD397F6FFA5D4F7F11E7217F241607DC30618C236D2C09C1B9EA8FDADEE2E8",
     "3046022100AB1DB64DE7C40EDBDE6651C9B8EBDB804673DB836E5D5C7FE15DCF9ED2725037022100EBA714451FF69B0BB930B379E192"
     "E7CD5FA6E3C41C7FBD8303B799AB54A54621"),
    (_SM2_KEY1, "B1139602C6ECC9E15E2F3F9C635A1AFE737058BC15387479C1EA0D0B3D90E9E5",
     "3045022100E6E0414EBD3A656C35602AF14AB20287DBF30D57AF75C49A188ED4B42391F22402202F54F277C606F4605E1CE9514947FF"
     "DDF94C67A539804A4ED17F852288BDBE2E"),
]

if __name__ == "__main__":
    self_check()
