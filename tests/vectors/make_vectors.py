#!/usr/bin/env python3
"""Known-answer vectors for Pingyi's cryptography, computed independently of the C++ code.

This is a from-scratch implementation of docs/protocol.md in pure Python (affine curve
arithmetic with Python integers; hashlib SHA-256 for suite P256-SHA256, the pure-Python SM3
of guomi.py for suite SM2-SM3). The nonces are fixed 32-byte values derived from labels,
listed in the output in the order the C++ prover draws them, so the C++ test can replay them
and must produce byte-identical ciphertexts and proofs.

Run:  python3 tests/vectors/make_vectors.py > tests/vectors/p256-sha256.json
      python3 tests/vectors/make_vectors.py --suite SM2-SM3 > tests/vectors/sm2-sm3.json
      python3 tests/vectors/make_vectors.py --transcript-example   (the worked example of
      docs/protocol.md §5.5, which tests/cli/test_cli.sh checks is in the document verbatim)

Every range and constant proof vector also carries its form-2 encoding (docs/protocol.md §5.6):
`ciphertext_form2` (enc65(A) ‖ enc65(B)) and `proof_form2` (the commitments recomputed from the
proof, uncompressed, then the challenges and responses).
"""
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guomi  # noqa: E402

P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
A = P - 3
B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
Q = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
GX = 0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296
GY = 0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5
G = (GX, GY)
SUITE = b"P256-SHA256"


def HASH(m):
    return hashlib.sha256(m).digest()


def use_suite(name):
    """Makes every function below work in suite `name` (the module's constants are the suite's)."""
    global P, A, B, Q, G, SUITE, HASH
    if name == "SM2-SM3":
        P, A, B, Q, G, SUITE, HASH = guomi.P, guomi.A, guomi.B, guomi.N, guomi.G, b"SM2-SM3", guomi.sm3
    else:
        assert name == "P256-SHA256", name


def add(p1, p2):
    """Affine addition on the suite's curve (the formulas are guomi.py's, for any curve)."""
    return guomi.add(p1, p2, P, A)


def neg(p):
    return None if p is None else (p[0], (-p[1]) % P)


def mul(k, p):
    k %= Q
    r = None
    while k:
        if k & 1:
            r = add(r, p)
        p = add(p, p)
        k >>= 1
    return r


def enc_point(p):
    assert p is not None, "the identity has no encoding"
    return bytes([2 + (p[1] & 1)]) + p[0].to_bytes(32, "big")


def enc_point65(p):
    """SEC 1 uncompressed, 04 ‖ x ‖ y: the points of a form-2 ballot (docs/protocol.md §5.6)."""
    assert p is not None, "the identity has no encoding"
    return b"\x04" + p[0].to_bytes(32, "big") + p[1].to_bytes(32, "big")


def enc_scalar(s):
    return (s % Q).to_bytes(32, "big")


def lp(b):
    return len(b).to_bytes(4, "big") + b


class Transcript:
    def __init__(self, tag):
        self.m = lp(tag.encode())

    def add(self, item):
        if isinstance(item, tuple):
            item = enc_point(item)
        self.m += lp(item)
        return self

    def hash(self):
        return HASH(self.m)

    def to_scalar(self):
        wide = HASH(b"\x01" + self.m) + HASH(b"\x02" + self.m)
        return int.from_bytes(wide, "big") % Q


def start(tag, K, ctx):
    return Transcript(tag).add(SUITE).add(ctx).add(K)


def nonce(label):
    """A fixed nonce: SHA-256(label) reduced below q (it always is, by a huge margin or retried)."""
    v = int.from_bytes(hashlib.sha256(label.encode()).digest(), "big")
    assert 0 < v < Q
    return v


def encrypt(K, m, r):
    return (mul(r, G), add(mul(m, G), mul(r, K)))


def prove_range(K, ct, m, r, mx, ctx, draws):
    """draws: nonces in the order the C++ prover takes them: (c_j, w_j) for every j, the real
    branch included; every branch is committed the same way (docs/protocol.md §5.1)."""
    n = mx + 1
    it = iter(draws)
    c, v, w, a, b = [0] * n, [0] * n, [0] * n, [None] * n, [None] * n
    for j in range(n):
        c[j], w[j] = next(it), next(it)
        v[j] = (w[j] + c[j] * r) % Q
        a[j] = add(mul(v[j], G), neg(mul(c[j], ct[0])))
        b[j] = add(mul(v[j], K), neg(mul(c[j], add(ct[1], neg(mul(j, G))))))
    assert a[m] == mul(w[m], G) and b[m] == mul(w[m], K)
    t = start("pingyi/v1/range-proof", K, ctx).add(ct[0]).add(ct[1]).add(enc_scalar(mx))
    for j in range(n):
        t.add(a[j]).add(b[j])
    ch = t.to_scalar()
    c[m] = (ch - sum(c[j] for j in range(n) if j != m)) % Q
    v[m] = (w[m] + c[m] * r) % Q
    return c, v


def range_commitments(K, ct, mx, c, v):
    """The commitments of a range proof, recomputed from it (docs/protocol.md §5.1, §5.6):
    a_j = v_j·G − c_j·A, b_j = v_j·K − c_j·(B − j·G)."""
    out = []
    for j in range(mx + 1):
        a = add(mul(v[j], G), neg(mul(c[j], ct[0])))
        b = add(mul(v[j], K), neg(mul(c[j], add(ct[1], neg(mul(j, G))))))
        out.append((a, b))
    return out


def constant_commitments(K, ct, m, c, v):
    """The commitments of a constant proof (§5.2, §5.6): a = v·G − c·A, b = v·K − c·(B − m·G)."""
    return (add(mul(v, G), neg(mul(c, ct[0]))), add(mul(v, K), neg(mul(c, add(ct[1], neg(mul(m, G)))))))


def range_form2(K, ct, mx, c, v):
    """A range proof in form 2 (§5.6): enc65(a_0) ‖ enc65(b_0) ‖ … ‖ enc65(a_L) ‖ enc65(b_L)
    ‖ enc(c_0) ‖ … ‖ enc(c_L) ‖ enc(v_0) ‖ … ‖ enc(v_L)."""
    return (b"".join(enc_point65(a) + enc_point65(b) for a, b in range_commitments(K, ct, mx, c, v))
            + b"".join(enc_scalar(x) for x in c + v))


def constant_form2(K, ct, m, c, v):
    """A constant proof in form 2 (§5.6): enc65(a) ‖ enc65(b) ‖ enc(c) ‖ enc(v), 194 bytes."""
    a, b = constant_commitments(K, ct, m, c, v)
    return enc_point65(a) + enc_point65(b) + enc_scalar(c) + enc_scalar(v)


def verify_range(K, ct, mx, c, v, ctx):
    t = start("pingyi/v1/range-proof", K, ctx).add(ct[0]).add(ct[1]).add(enc_scalar(mx))
    for a, b in range_commitments(K, ct, mx, c, v):
        t.add(a).add(b)
    return sum(c) % Q == t.to_scalar()


def prove_dleq(tag, K, g1, g2, stmt, x, w, ctx):
    t = start(tag, K, ctx)
    for s in stmt:
        t.add(s)
    t.add(mul(w, g1)).add(mul(w, g2))
    c = t.to_scalar()
    return c, (w + c * x) % Q


def position_context(base, kind, i, j):
    return lp(base) + lp(kind.encode()) + i.to_bytes(4, "big") + j.to_bytes(4, "big")


def main():
    s = nonce("election secret s")
    K = mul(s, G)
    ctx = hashlib.sha256(b"pingyi test election fingerprint").digest()
    out = {
        "suite": SUITE.decode(),
        "made_by": "tests/vectors/make_vectors.py (pure-Python %s, independent of the C++ code)" % (
            "P-256" if SUITE == b"P256-SHA256" else "SM2 curve and SM3 of guomi.py"),
        "secret_key": enc_scalar(s).hex(),
        "public_key": enc_point(K).hex(),
        "context": ctx.hex(),
        "hash_to_scalar": [],
        "encryptions": [],
        "range_proofs": [],
        "constant_proofs": [],
        "decryption_proofs": [],
        "key_proof": None,
    }
    for tag, items in [("pingyi/v1/test", []), ("pingyi/v1/test", [b"abc"]), ("pingyi/v1/test", [b"ab", b"c"]),
                       ("pingyi/v1/other", [b"abc", bytes(40)])]:
        t = Transcript(tag)
        for it in items:
            t.add(it)
        out["hash_to_scalar"].append({"tag": tag, "items": [i.hex() for i in items],
                                      "hash": t.hash().hex(), "scalar": enc_scalar(t.to_scalar()).hex()})
    for m in (0, 1, 7):
        r = nonce(f"encryption nonce {m}")
        a, b = encrypt(K, m, r)
        out["encryptions"].append({"m": m, "r": enc_scalar(r).hex(), "ciphertext": (enc_point(a) + enc_point(b)).hex()})
    for m, mx in ((0, 1), (1, 1), (2, 4)):
        r = nonce(f"range nonce {m}/{mx}")
        ct = encrypt(K, m, r)
        pctx = position_context(ctx, "cell", 3, m)
        draws = [nonce(f"range draw {m}/{mx}/{k}") for k in range(2 * mx + 2)]
        c, v = prove_range(K, ct, m, r, mx, pctx, draws)
        assert verify_range(K, ct, mx, c, v, pctx)
        # Form 2 stores the recomputed commitments; they must be the prover's (w_j·G, w_j·K for
        # the real branch).
        assert range_commitments(K, ct, mx, c, v)[m] == (mul(draws[2 * m + 1], G), mul(draws[2 * m + 1], K))
        out["range_proofs"].append({
            "m": m, "max": mx, "r": enc_scalar(r).hex(), "context": pctx.hex(),
            "draws": [enc_scalar(d).hex() for d in draws],
            "ciphertext": (enc_point(ct[0]) + enc_point(ct[1])).hex(),
            "proof": "".join(enc_scalar(x).hex() for x in c + v),
            # Form 2 (§5.6): the same proof with its commitments, every point uncompressed.
            "ciphertext_form2": (enc_point65(ct[0]) + enc_point65(ct[1])).hex(),
            "proof_form2": range_form2(K, ct, mx, c, v).hex()})
    # Constant proof: the row (1, 0, 0) sums to 1.
    rs = [nonce(f"row nonce {j}") for j in range(3)]
    cts = [encrypt(K, 1 if j == 0 else 0, rs[j]) for j in range(3)]
    row = (add(add(cts[0][0], cts[1][0]), cts[2][0]), add(add(cts[0][1], cts[1][1]), cts[2][1]))
    w = nonce("constant draw")
    pctx = position_context(ctx, "row", 5, 0)
    c, v = prove_dleq("pingyi/v1/constant-proof", K, G, K, [row[0], row[1], enc_scalar(1)], sum(rs) % Q, w, pctx)
    # The commitments a verifier recomputes are the prover's w·G, w·K (what form 2 stores).
    assert constant_commitments(K, row, 1, c, v) == (mul(w, G), mul(w, K))
    out["constant_proofs"].append({"m": 1, "context": pctx.hex(), "draws": [enc_scalar(w).hex()],
                                   "ciphertext": (enc_point(row[0]) + enc_point(row[1])).hex(),
                                   "proof": enc_scalar(c).hex() + enc_scalar(v).hex(),
                                   "ciphertext_form2": (enc_point65(row[0]) + enc_point65(row[1])).hex(),
                                   "proof_form2": constant_form2(K, row, 1, c, v).hex()})
    # Decryption proof of the sum of three encryptions of 1, 0, 1.
    parts = [encrypt(K, m, nonce(f"tally nonce {k}")) for k, m in enumerate((1, 0, 1))]
    tot = parts[0]
    for p in parts[1:]:
        tot = (add(tot[0], p[0]), add(tot[1], p[1]))
    assert add(tot[1], neg(mul(s, tot[0]))) == mul(2, G)
    w = nonce("decryption draw")
    pctx = position_context(ctx, "tally", 0, 1)
    c, v = prove_dleq("pingyi/v1/decryption-proof", K, G, tot[0], [tot[0], tot[1], enc_scalar(2)], s, w, pctx)
    out["decryption_proofs"].append({"m": 2, "context": pctx.hex(), "draws": [enc_scalar(w).hex()],
                                     "ciphertext": (enc_point(tot[0]) + enc_point(tot[1])).hex(),
                                     "proof": enc_scalar(c).hex() + enc_scalar(v).hex()})
    w = nonce("key proof draw")
    t = start("pingyi/v1/key-proof", K, ctx).add(mul(w, G))
    c = t.to_scalar()
    out["key_proof"] = {"context": ctx.hex(), "draws": [enc_scalar(w).hex()],
                        "proof": enc_scalar(c).hex() + enc_scalar((w + c * s) % Q).hex()}
    out["threshold"] = threshold_vectors()
    if SUITE == b"SM2-SM3":
        out["guomi"] = guomi_vectors()
    print(json.dumps(out, indent=1))


def guomi_vectors():
    """SM3, the SM2 curve's parameters and scalar multiplications, SM2 signatures (guomi.py)."""
    guomi.self_check()
    sm3 = [{"message": m.hex(), "digest": guomi.sm3(m).hex()}
           for m in (b"abc", b"abcd" * 16, b"", bytes(range(256)) * 4)]
    curve = {k: v.to_bytes(32, "big").hex() for k, v in (("p", P), ("a", A), ("b", B), ("q", Q), ("gx", G[0]), ("gy", G[1]))}
    base = [{"k": enc_scalar(k).hex(), "point": enc_point(mul(k, G)).hex()}
            for k in (1, 2, 3, Q - 1, nonce("sm2 scalar 1"), nonce("sm2 scalar 2"))]
    pt = mul(nonce("sm2 base point"), G)
    variable = [{"base": enc_point(pt).hex(), "k": enc_scalar(k).hex(), "point": enc_point(mul(k, pt)).hex()}
                for k in (nonce("sm2 scalar 3"), Q - 2)]
    sigs = [{"source": "published (message digest, default ID)", "id": i.hex(), "public_key": pub,
             "message": m.hex(), "signature": sig} for i, pub, m, sig in guomi.PUBLISHED_SIGNATURES]
    d = nonce("sm2 signing key")
    pub = mul(d, G)
    for n, (ident, m) in enumerate(((guomi.DEFAULT_ID, b""), (guomi.DEFAULT_ID, b"pingyi"),
                                     (guomi.DEFAULT_ID, bytes(range(200))), (b"ALICE123@YAHOO.COM", b"message digest"))):
        r, s_ = guomi.SM2.sign_e(d, guomi.SM2.e(ident, pub, m), nonce(f"sm2 signature nonce {n}"))
        assert guomi.SM2.verify_e(pub, guomi.SM2.e(ident, pub, m), r, s_)
        sigs.append({"source": "guomi.py", "id": ident.hex(), "public_key": enc_point(pub).hex(),
                     "message": m.hex(), "signature": enc_scalar(r).hex() + enc_scalar(s_).hex()})
    return {"sm3": sm3, "curve": curve, "base_mults": base, "variable_mults": variable,
            "signing_key": {"private_key": enc_scalar(d).hex(), "public_key": enc_point(pub).hex()},
            "signatures": sigs}


def transcript_example():
    """The whole challenge transcript of the first range-proof vector (a 0/1 cell proof of
    m = 0 at member 3, option 0), as a verifier rebuilds it from the proof: docs/protocol.md §5.5."""
    s = nonce("election secret s")
    K = mul(s, G)
    ctx = hashlib.sha256(b"pingyi test election fingerprint").digest()
    r = nonce("range nonce 0/1")
    ct = encrypt(K, 0, r)
    pctx = position_context(ctx, "cell", 3, 0)
    draws = [nonce(f"range draw 0/1/{k}") for k in range(4)]
    c, v = prove_range(K, ct, 0, r, 1, pctx, draws)
    items = [("LP(\"pingyi/v1/range-proof\")", b"pingyi/v1/range-proof"), ("LP(\"P256-SHA256\")", SUITE),
             ("LP(context)", pctx), ("LP(enc(K))", enc_point(K)), ("LP(enc(A))", enc_point(ct[0])),
             ("LP(enc(B))", enc_point(ct[1])), ("LP(enc(L)), L = 1", enc_scalar(1))]
    for j in range(2):
        a = add(mul(v[j], G), neg(mul(c[j], ct[0])))
        b = add(mul(v[j], K), neg(mul(c[j], add(ct[1], neg(mul(j, G))))))
        items += [(f"LP(enc(a{j}))", enc_point(a)), (f"LP(enc(b{j}))", enc_point(b))]
    m = b"".join(lp(x) for _, x in items)
    t = start("pingyi/v1/range-proof", K, pctx).add(ct[0]).add(ct[1]).add(enc_scalar(1))
    for j in range(2):
        t.add(items[7 + 2 * j][1]).add(items[8 + 2 * j][1])
    assert t.m == m
    h1, h2 = hashlib.sha256(bytes([1]) + m).hexdigest(), hashlib.sha256(bytes([2]) + m).hexdigest()
    lines = ["```"]
    for name, x in items:
        lines.append(f"{name:<28} {len(x):08x} {x.hex()}")
    lines += ["```", "",
              f"`M` is {len(m)} bytes; `SHA-256(M)` = `{hashlib.sha256(m).hexdigest()}`.",
              f"`SHA-256(0x01 ‖ M)` = `{h1}`,",
              f"`SHA-256(0x02 ‖ M)` = `{h2}`;",
              f"their 64-byte concatenation mod `q` is the challenge",
              f"`c` = `{enc_scalar(t.to_scalar()).hex()}` = `c₀ + c₁` mod `q`, with",
              f"`c₀` = `{enc_scalar(c[0]).hex()}` and",
              f"`c₁` = `{enc_scalar(c[1]).hex()}`",
              "(the first 64 bytes of the proof)."]
    assert (c[0] + c[1]) % Q == t.to_scalar()
    print("\n".join(lines))

def schnorr(t, x, w):
    t.add(mul(w, G))
    c = t.to_scalar()
    return c, (w + c * x) % Q


def eval_commitments(cs, x):
    acc = None
    for l, c in enumerate(cs):
        acc = add(acc, mul(pow(x, l, Q), c))
    return acc


def lagrange(indices, j):
    num, den = 1, 1
    for l in indices:
        if l != j:
            num = num * l % Q
            den = den * (l - j) % Q
    return num * pow(den, -1, Q) % Q


def threshold_vectors():
    """docs/protocol.md §11-12: a 2-of-3 ceremony with fixed draws, partial decryptions, combinations."""
    n, k = 3, 2
    ctx = hashlib.sha256(b"pingyi test ceremony context").digest()
    dealers, polys, commits = [], [], []
    for i in range(1, n + 1):
        coeffs = [nonce(f"trustee {i} coefficient {l}") for l in range(k)]
        cs = [mul(a, G) for a in coeffs]
        draws = [nonce(f"trustee {i} coefficient proof {l}") for l in range(k)]
        proofs = []
        for l in range(k):
            t = start("pingyi/v1/coefficient-proof", cs[l], ctx).add(i.to_bytes(4, "big")).add(l.to_bytes(4, "big"))
            for c in cs:
                t.add(c)
            c_, v_ = schnorr(t, coeffs[l], draws[l])
            proofs.append(enc_scalar(c_).hex() + enc_scalar(v_).hex())
        polys.append(coeffs)
        commits.append(cs)
        dealers.append({"index": i, "coefficient_draws": [enc_scalar(a).hex() for a in coeffs],
                        "proof_draws": [enc_scalar(d).hex() for d in draws],
                        "commitments": [enc_point(c).hex() for c in cs], "proofs": proofs})

    def f(i, x):
        return sum(a * pow(x, l, Q) for l, a in enumerate(polys[i - 1])) % Q

    shares = {j: sum(f(i, j) for i in range(1, n + 1)) % Q for j in range(1, n + 1)}
    pub = {j: None for j in range(1, n + 1)}
    for j in range(1, n + 1):
        for cs in commits:
            pub[j] = add(pub[j], eval_commitments(cs, j))
        assert pub[j] == mul(shares[j], G)
    joint = None
    for cs in commits:
        joint = add(joint, cs[0])
    m = 5
    r = nonce("threshold encryption nonce")
    ct = encrypt(joint, m, r)
    trustees = []
    partials = {}
    for j in range(1, n + 1):
        w = nonce(f"trustee {j} confirmation draw")
        t = start("pingyi/v1/share-proof", pub[j], ctx).add(j.to_bytes(4, "big"))
        cc, vv = schnorr(t, shares[j], w)
        pw = nonce(f"trustee {j} partial draw")
        d = mul(shares[j], ct[0])
        t = start("pingyi/v1/partial-decryption-proof", pub[j], ctx).add(ct[0]).add(d).add(mul(pw, G)).add(mul(pw, ct[0]))
        pc = t.to_scalar()
        partials[j] = d
        trustees.append({"index": j, "shares_received": [enc_scalar(f(i, j)).hex() for i in range(1, n + 1)],
                         "share": enc_scalar(shares[j]).hex(), "public_share": enc_point(pub[j]).hex(),
                         "confirmation_draws": [enc_scalar(w).hex()],
                         "confirmation": enc_scalar(cc).hex() + enc_scalar(vv).hex(),
                         "partial_draws": [enc_scalar(pw).hex()], "partial": enc_point(d).hex(),
                         "partial_proof": enc_scalar(pc).hex() + enc_scalar((pw + pc * shares[j]) % Q).hex()})
    combos = []
    for S in ([1, 2], [1, 3], [2, 3], [1, 2, 3]):
        M = ct[1]
        for j in S:
            M = add(M, neg(mul(lagrange(S, j), partials[j])))
        assert M == mul(m, G)
        combos.append({"trustees": S, "lagrange": [enc_scalar(lagrange(S, j)).hex() for j in S],
                       "combined": enc_point(M).hex()})
    return {"n": n, "k": k, "context": ctx.hex(), "dealers": dealers, "trustees": trustees,
            "joint_public_key": enc_point(joint).hex(), "m": m,
            "ciphertext": (enc_point(ct[0]) + enc_point(ct[1])).hex(), "combinations": combos}


if __name__ == "__main__":
    if "--suite" in sys.argv[1:]:
        use_suite(sys.argv[sys.argv.index("--suite") + 1])
    if "--transcript-example" in sys.argv[1:]:
        transcript_example()
    else:
        main()
