#!/usr/bin/env python3
"""Self-test of form-2 ballots (docs/protocol.md §5.6, §6; docs/formats.md §2.2, §4.5) in the two
independent Python implementations: make_vectors.py proves, audit_box.py verifies.

Run: python3 tests/vectors/test_form2.py    (exit code 0: every check passed; 1 otherwise)

It builds, with fixed nonces, a ballot of a 2 × 2 election with a quota of at most 1 on option 0,
in form 1 and in form 2, and checks that:
  - the auditor accepts both, at the sizes of formats.md §4.5, and that a form-2 proof is the
    form-1 proof (c, v) preceded by its commitments;
  - the form-2 vectors of p256-sha256.json verify with the auditor and agree with the form-1 ones,
    and those of sm2-sm3.json check with guomi.py's curve and SM3;
  - the auditor refuses a form-2 ballot with: a byte of a commitment changed; a commitment
    replaced by another valid point (its negation: the form-1 check alone would still pass);
    a ciphertext coordinate changed (off the curve); a point with prefix 02, 03, 06, 07 or 00
    where 04 is required; a coordinate >= p (also one that reduces mod p to a point on the
    curve); a changed challenge; a ballot of the other form's length;
  - the checked-ballot opening (ballots.spoiled), the copies check (ballots.unique) and the
    aggregate sums (results.aggregates) read form-2 ciphertexts;
  - the package version is 1 or 2 (a JSON integer), nothing else;
  - a whole signed record (package, a SQLite box with seals and events, made here with an
    Ed25519 signer over audit_box.py's arithmetic) of version 2 passes audit_record, and each of
    a bad commitment, a copied ciphertext and a checked ballot that was also cast fails exactly
    its check (ballots.proofs, ballots.unique, ballots.spoiled); a version 1 record of form-1
    ballots passes; ballots of the other form than the package's version fail ballots.proofs.
"""

import hashlib
import json
import os
import sqlite3
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
import audit_box as au  # noqa: E402  the verifier
import make_vectors as mv  # noqa: E402  the prover (suite P256-SHA256, the module's default)

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL", what)


# ---- A ballot of a 2 × 2 election, quota: option 0 at most once ------------------------

N, KOPT, QUOTA_OPTION, QUOTA_MAX = 2, 2, 0, 1
S = mv.nonce("form2 test election secret")
K = mv.mul(S, mv.G)
FP = hashlib.sha256(b"form2 test election fingerprint").digest()


def election(version):
    body = {"version": version, "public_key": mv.enc_point(K).hex(),
            "election": {"roster": ["甲", "乙"], "options": ["优秀", "称职"],
                         "quota": {"option": QUOTA_OPTION, "max": QUOTA_MAX},
                         "categories": ["党员", "群众"], "kiosks": 1, "min_group_size": 1}}
    return au.Election({"body": body, "fp": FP})


def make_ballot(form, category, choices, label, cell_labels=None, fp=FP):
    """be32(category) ‖ grid (protocol.md §6) in form 1 or 2, and the nonces r_ij (row-major).
    choices[i] is member i's option; cell_labels {(i, j): label} overrides a cell's nonce label
    (two ballots that share one give the same ciphertext, with valid proofs); fp the election
    fingerprint of the proofs' context base."""
    enc_pt = mv.enc_point if form == 1 else mv.enc_point65
    base = mv.lp(fp) + category.to_bytes(4, "big")
    nonces, cts, ms = [], [], []
    for i in range(N):
        for j in range(KOPT):
            r = mv.nonce((cell_labels or {}).get((i, j), f"{label} cell {i} {j}"))
            m = 1 if choices[i] == j else 0
            nonces.append(r)
            ms.append(m)
            cts.append(mv.encrypt(K, m, r))
    out = category.to_bytes(4, "big") + b"".join(enc_pt(a) + enc_pt(b) for a, b in cts)
    for x, ct in enumerate(cts):
        i, j = divmod(x, KOPT)
        draws = [mv.nonce(f"{label} cell draw {i} {j} {d}") for d in range(4)]
        c, v = mv.prove_range(K, ct, ms[x], nonces[x], 1, mv.position_context(base, "cell", i, j), draws)
        out += mv.range_form2(K, ct, 1, c, v) if form == 2 else b"".join(mv.enc_scalar(t) for t in c + v)
    for i in range(N):
        row = cts[i * KOPT]
        for j in range(1, KOPT):
            row = (mv.add(row[0], cts[i * KOPT + j][0]), mv.add(row[1], cts[i * KOPT + j][1]))
        r = sum(nonces[i * KOPT:(i + 1) * KOPT]) % mv.Q
        c, v = mv.prove_dleq("pingyi/v1/constant-proof", K, mv.G, K, [row[0], row[1], mv.enc_scalar(1)], r,
                             mv.nonce(f"{label} row draw {i}"), mv.position_context(base, "row", i, 0))
        out += mv.constant_form2(K, row, 1, c, v) if form == 2 else mv.enc_scalar(c) + mv.enc_scalar(v)
    col = [cts[i * KOPT + QUOTA_OPTION] for i in range(N)]
    s = col[0]
    for ct in col[1:]:
        s = (mv.add(s[0], ct[0]), mv.add(s[1], ct[1]))
    m = sum(ms[i * KOPT + QUOTA_OPTION] for i in range(N))
    r = sum(nonces[i * KOPT + QUOTA_OPTION] for i in range(N)) % mv.Q
    draws = [mv.nonce(f"{label} quota draw {d}") for d in range(2 * QUOTA_MAX + 2)]
    c, v = mv.prove_range(K, s, m, r, QUOTA_MAX, mv.position_context(base, "quota", 0, QUOTA_OPTION), draws)
    out += mv.range_form2(K, s, QUOTA_MAX, c, v) if form == 2 else b"".join(mv.enc_scalar(t) for t in c + v)
    return out, b"".join(mv.enc_scalar(r) for r in nonces), cts


def mutate(ballot, at, new):
    return ballot[:at] + new + ballot[at + len(new):]


def fresh_problem(el, ballot):
    au._proof_cache.clear()
    return au.ballot_problem(el, ballot)


def test_ballots():
    el1, el2 = election(1), election(2)
    check((el1.form, el2.form) == (1, 2), "el.form is the package version")
    # formats.md §4.5: 4 + n·k·(66 + 128) + 64·n + 64·(Q+1), and 4 + n·k·(130 + 388) + 194·n + 194·(Q+1).
    check(el1.size == 4 + 4 * 194 + 64 * 2 + 64 * 2, f"form-1 size {el1.size}")
    check(el2.size == 4 + 4 * 518 + 194 * 2 + 194 * 2, f"form-2 size {el2.size}")
    b1, nonces1, cts = make_ballot(1, 1, [0, 1], "ballot A")
    b2, nonces2, cts2 = make_ballot(2, 1, [0, 1], "ballot A")
    check(len(b1) == el1.size and len(b2) == el2.size, "the ballots have the sizes of formats.md §4.5")
    check(fresh_problem(el1, b1) is None, f"form-1 ballot accepted: {fresh_problem(el1, b1)}")
    check(fresh_problem(el2, b2) is None, f"form-2 ballot accepted: {fresh_problem(el2, b2)}")
    check(fresh_problem(el2, b1) is not None and fresh_problem(el1, b2) is not None,
          "a ballot of the other form is refused")
    # Same statement, same nonces and draws: the form-2 proof is the form-1 proof plus commitments.
    for x in range(N * KOPT):
        p1 = b1[el1.cell_proofs_at + 128 * x:el1.cell_proofs_at + 128 * (x + 1)]
        p2 = b2[el2.cell_proofs_at + 388 * x:el2.cell_proofs_at + 388 * (x + 1)]
        check(p2[260:] == p1, f"cell proof {x}: (c, v) of form 2 = form 1")
    check(b2[el2.quota_proof_at + 260:] == b1[el1.quota_proof_at:], "quota proof: (c, v) of form 2 = form 1")
    check(el2.cells(b2) == cts2 and el1.cells(b1) == cts, "the cells decode to the encrypted points")
    check(el2.cell_encodings(b2) == [mv.enc_point65(a) + mv.enc_point65(b) for a, b in cts2],
          "form-2 cells are 130-byte encodings")

    def refused(ballot, what, reason=None):
        p = fresh_problem(el2, ballot)
        check(p is not None, f"{what}: refused")
        if p is not None and reason is not None:
            check(reason in p, f"{what}: refused for the right reason ({reason!r}), got {p!r}")

    cell0 = el2.cells_at
    cell_proof0 = el2.cell_proofs_at
    row_proof0 = el2.row_proofs_at
    quota0 = el2.quota_proof_at
    # Commitments: a byte of x (almost surely off the curve: the decoder or the comparison catches it).
    refused(mutate(b2, cell_proof0 + 10, bytes([b2[cell_proof0 + 10] ^ 1])), "cell commitment a_0, a byte of x")
    refused(mutate(b2, cell_proof0 + 65 + 64, bytes([b2[cell_proof0 + 65 + 64] ^ 0x80])), "cell commitment b_0, a byte of y")
    refused(mutate(b2, row_proof0 + 65 + 5, bytes([b2[row_proof0 + 65 + 5] ^ 4])), "row commitment b, a byte")
    refused(mutate(b2, quota0 + 3 * 65 + 40, bytes([b2[quota0 + 3 * 65 + 40] ^ 2])), "quota commitment b_1, a byte")
    # A commitment replaced by its negation: a valid point, and the form-1 check (which
    # recomputes the commitments from c, v) would still pass; only equation (3) refuses it.
    for at, what in ((cell_proof0, "cell a_0"), (cell_proof0 + 3 * 65, "cell b_1"), (row_proof0, "row a"),
                     (row_proof0 + 65, "row b"), (quota0 + 2 * 65, "quota a_1")):
        pt = au.dec_point65(b2[at:at + 65])
        neg = au.enc_point65(au.ec_neg(pt))
        check(au.dec_point65(neg) == au.ec_neg(pt), "the negated commitment is a valid point")
        refused(mutate(b2, at, neg), f"{what} replaced by its negation", "fails")
    # Ciphertext coordinates: y of A of cell 0, x of B of cell 3 (off the curve).
    for at, what in ((cell0 + 64, "cell 0, A.y"), (cell0 + 3 * 130 + 65 + 7, "cell 3, B.x")):
        bad = mutate(b2, at, bytes([b2[at] ^ 1]))
        refused(bad, f"{what} changed", "not on the curve")
    # Prefixes other than 04 (compressed 02/03, hybrid 06/07, 00) on a ciphertext and a commitment.
    for at, what in ((cell0, "cell 0, A"), (cell0 + 65, "cell 0, B"), (cell_proof0 + 65, "cell commitment b_0"),
                     (row_proof0, "row commitment a")):
        pt = au.dec_point65(b2[at:at + 65])
        for prefix in (2 + (pt[1] & 1), 3 - (pt[1] & 1), 6 + (pt[1] & 1), 7 - (pt[1] & 1), 0):
            refused(mutate(b2, at, bytes([prefix])), f"{what} with prefix {prefix:02x}", "not an uncompressed point")
        # The compressed encoding itself, padded to 65 bytes with the rest of the ballot shifted.
        comp = au.enc_point(pt)
        refused(b2[:at] + comp + b2[at + 65:], f"{what} compressed (33 bytes)")
    # Coordinates >= p: y = p, x = p + small on the curve mod p (a decoder that reduced x mod p
    # would accept the point), and x = 2²⁵⁶ − 1.
    refused(mutate(b2, cell0 + 33, au.P256.to_bytes(32, "big")), "cell 0, A.y = p", "not an uncompressed point")
    x0 = 0
    while pow((x0 ** 3 - 3 * x0 + au.P256_B) % au.P256, (au.P256 - 1) // 2, au.P256) != 1:
        x0 += 1
    rhs = (x0 ** 3 - 3 * x0 + au.P256_B) % au.P256
    y0 = pow(rhs, (au.P256 + 1) // 4, au.P256)
    check(y0 * y0 % au.P256 == rhs, "a point with a small x")
    big = b"\x04" + (x0 + au.P256).to_bytes(32, "big") + y0.to_bytes(32, "big")
    check(au.dec_point65(b"\x04" + x0.to_bytes(32, "big") + y0.to_bytes(32, "big")) == (x0, y0), "its canonical form decodes")
    for at, what in ((cell0, "cell 0, A"), (cell_proof0, "cell commitment a_0")):
        refused(mutate(b2, at, big), f"{what} = a point with x + p", "not an uncompressed point")
    refused(mutate(b2, cell0 + 65 + 1, b"\xff" * 32), "cell 0, B.x = 2^256 - 1", "not an uncompressed point")
    # A challenge and a response (the form-1 part of a form-2 proof).
    refused(mutate(b2, cell_proof0 + 260, bytes([b2[cell_proof0 + 260] ^ 1])), "cell c_0 changed", "fails")
    refused(mutate(b2, row_proof0 + 130 + 32 + 31, bytes([b2[row_proof0 + 130 + 63] ^ 1])), "row v changed", "fails")
    refused(mutate(b2, quota0 + 4 * 65, bytes([b2[quota0 + 4 * 65] ^ 1])), "quota c_0 changed", "fails")
    # A commitment swapped with the other branch's: valid points, wrong places.
    swapped = mutate(b2, cell_proof0, b2[cell_proof0 + 130:cell_proof0 + 260] + b2[cell_proof0:cell_proof0 + 130])
    refused(swapped, "cell branches' commitments swapped", "fails")
    # Lengths: one byte more or less.
    refused(b2 + b"\x00", "one byte more", "is not a ballot of this election")
    refused(b2[:-1], "one byte less", "is not a ballot of this election")

    # ballots.spoiled (formats.md §4.13): the nonces open every cell; the ballot must not be cast.
    check(au.spoiled_problem(el2, b2, nonces2, set()) is None,
          f"checked form-2 ballot opens: {au.spoiled_problem(el2, b2, nonces2, set())}")
    check(au.spoiled_problem(el1, b1, nonces1, set()) is None, "checked form-1 ballot opens")
    swapped = nonces2[32:64] + nonces2[:32] + nonces2[64:]
    check(au.spoiled_problem(el2, b2, swapped, set()) is not None, "checked ballot with two nonces swapped refused")
    cast = set(el2.cell_encodings(b2)[2:3])
    check(au.spoiled_problem(el2, b2, nonces2, cast) == "was also cast", "checked ballot with a cast ciphertext refused")
    check(au.spoiled_problem(el2, b2, nonces2, {b2}) == "was also cast", "checked ballot that was cast refused")
    check(au.spoiled_problem(el2, b2, nonces2, set(el1.cell_encodings(b1))) is None,
          "a form-1 encoding is not a form-2 one")

    # ballots.unique and the aggregate sums through audit_record's helpers.
    b3, _, cts3 = make_ballot(2, 0, [1, 0], "ballot B")
    check(fresh_problem(el2, b3) is None, "second form-2 ballot accepted")
    boxes = [{"bodies": [("AAAA-AAAA", b2), ("BBBB-BBBB", b3)]}]
    sums = au.aggregate_sums(el2, boxes, [{"categories": [0, 1]}])
    want = [au.ct_add(p, q) for p, q in zip(cts2, cts3)]
    check(sums == want, "aggregate sums of form-2 ballots")
    # A copied ciphertext: cell 1 of ballot B replaced by cell 1 of ballot A (then B's proofs fail,
    # but ballots.unique sees the copy by its 130 bytes).
    copied = mutate(b3, el2.cells_at + 130, b2[el2.cells_at + 130:el2.cells_at + 260])
    check(set(el2.cell_encodings(copied)) & set(el2.cell_encodings(b2)) == {b2[el2.cells_at + 130:el2.cells_at + 260]},
          "ballots.unique compares the 130-byte ciphertexts")


def test_vectors():
    """The form-2 vectors of p256-sha256.json (make_vectors.py) with the auditor."""
    with open(os.path.join(HERE, "p256-sha256.json"), encoding="utf-8") as f:
        v = json.load(f)
    Kv = au.dec_point(bytes.fromhex(v["public_key"]))
    for e in v["range_proofs"]:
        ct1, ct2 = bytes.fromhex(e["ciphertext"]), bytes.fromhex(e["ciphertext_form2"])
        ct = (au.dec_point65(ct2[:65]), au.dec_point65(ct2[65:]))
        check(len(ct2) == 130 and ct == (au.dec_point(ct1[:33]), au.dec_point(ct1[33:])), "range vector: ciphertext_form2")
        p1, p2, L, ctx = bytes.fromhex(e["proof"]), bytes.fromhex(e["proof_form2"]), e["max"], bytes.fromhex(e["context"])
        check(len(p2) == 194 * (L + 1) and p2[130 * (L + 1):] == p1, "range vector: proof_form2 = commitments ‖ proof")
        check(au.verify_range(Kv, ct, L, p1, ctx, 1), "range vector verifies in form 1")
        check(au.verify_range(Kv, ct, L, p2, ctx, 2), "range vector verifies in form 2")
        bad = p2[:70] + bytes([p2[70] ^ 1]) + p2[71:]
        try:
            ok = au.verify_range(Kv, ct, L, bad, ctx, 2)
        except ValueError:
            ok = False
        check(not ok, "range vector with a commitment byte changed is refused")
    for e in v["constant_proofs"]:
        ct2 = bytes.fromhex(e["ciphertext_form2"])
        ct = (au.dec_point65(ct2[:65]), au.dec_point65(ct2[65:]))
        p2, ctx = bytes.fromhex(e["proof_form2"]), bytes.fromhex(e["context"])
        check(len(p2) == 194 and p2[130:] == bytes.fromhex(e["proof"]), "constant vector: proof_form2")
        check(au.verify_constant(Kv, ct, e["m"], p2, ctx, 2), "constant vector verifies in form 2")
        check(not au.verify_constant(Kv, ct, e["m"] + 1, p2, ctx, 2), "constant vector for another m is refused")


def test_sm2_vectors():
    """The form-2 vectors of sm2-sm3.json, checked with guomi.py's curve and SM3 (the auditor
    is P-256 only): every point decodes, the form-2 ciphertext is the form-1 one uncompressed,
    the stored commitments are v_j·G − c_j·A and v_j·K − c_j·(B − j·G), and the challenge over
    their compressed forms is Σ c_j."""
    import guomi as gm
    with open(os.path.join(HERE, "sm2-sm3.json"), encoding="utf-8") as f:
        v = json.load(f)

    def dec65(b):
        x, y = int.from_bytes(b[1:33], "big"), int.from_bytes(b[33:65], "big")
        check(len(b) == 65 and b[0] == 4 and x < gm.P and y < gm.P and gm.on_curve((x, y)), "SM2: a valid 65-byte point")
        return (x, y)

    def comp(pt):
        return bytes([2 + (pt[1] & 1)]) + pt[0].to_bytes(32, "big")

    def lin(s1, p1, s2, p2):  # s1·p1 − s2·p2
        q = gm.mul(s2 % gm.N, p2)
        return gm.add(gm.mul(s1 % gm.N, p1), None if q is None else (q[0], (-q[1]) % gm.P))

    def hq(tag, items):
        m = mv.lp(tag.encode()) + b"".join(mv.lp(i) for i in items)
        return int.from_bytes(gm.sm3(b"\x01" + m) + gm.sm3(b"\x02" + m), "big") % gm.N

    Kb = bytes.fromhex(v["public_key"])
    Kv = gm.decompress(Kb)
    for kind, entries in (("range", v["range_proofs"]), ("constant", v["constant_proofs"])):
        for e in entries:
            L = e["max"] if kind == "range" else 0
            ct2, ct1 = bytes.fromhex(e["ciphertext_form2"]), bytes.fromhex(e["ciphertext"])
            A, B = dec65(ct2[:65]), dec65(ct2[65:])
            check(comp(A) + comp(B) == ct1, f"SM2 {kind} vector: ciphertext_form2 is the ciphertext uncompressed")
            p2 = bytes.fromhex(e["proof_form2"])
            check(len(p2) == 194 * (L + 1) and p2[130 * (L + 1):] == bytes.fromhex(e["proof"]),
                  f"SM2 {kind} vector: proof_form2 = commitments ‖ proof")
            rest = p2[130 * (L + 1):]
            c = [int.from_bytes(rest[32 * j:32 * j + 32], "big") for j in range(L + 1)]
            w = [int.from_bytes(rest[32 * (L + 1 + j):32 * (L + 2 + j)], "big") for j in range(L + 1)]
            items = [b"SM2-SM3", bytes.fromhex(e["context"]), Kb, comp(A), comp(B)]
            items.append(mv.enc_scalar(L if kind == "range" else e["m"]))
            for j in range(L + 1):
                a_s, b_s = dec65(p2[130 * j:130 * j + 65]), dec65(p2[130 * j + 65:130 * j + 130])
                shift = j if kind == "range" else e["m"]
                Bj = gm.add(B, None if shift == 0 else (lambda q: (q[0], (-q[1]) % gm.P))(gm.mul(shift, gm.G)))
                check(a_s == lin(w[j], gm.G, c[j], A) and b_s == lin(w[j], Kv, c[j], Bj),
                      f"SM2 {kind} vector: the stored commitments are the recomputed ones")
                items += [comp(a_s), comp(b_s)]
            check(sum(c) % gm.N == hq(f"pingyi/v1/{kind}-proof", items), f"SM2 {kind} vector: the challenge")


def test_package_version():
    """formats.md §2.3 step 4: version 1 or 2; the auditor reports it under package.format."""
    for version, ok in ((1, True), (2, True), (3, False), (0, False), (True, False), (2.0, False), ("2", False)):
        body = {"version": version, "format": "pingyi-election-package", "election": {}, "suite": "P256-SHA256",
                "public_key": "", "admin_public_key": "00" * 32, "codes": [], "trustees": None, "x": 0}
        with tempfile.NamedTemporaryFile("w", suffix=".pyp", delete=False) as f:
            json.dump({"body": body, "signature": "00" * 64}, f)
        try:
            rep = au.Report()
            au.load_package(f.name, rep)
        finally:
            os.unlink(f.name)
        # A version the auditor takes goes on to the (bogus) signature; any other stops at the format.
        got = rep.verdicts.get("package.format") != "fail"
        check(got == ok, f"package version {version!r}: {'accepted' if ok else 'refused'}")


# ---- A whole record: package and box (formats.md §2, §4), signed with Ed25519 -----------

def _ed_secret(seed):
    h = hashlib.sha512(seed).digest()
    return int.from_bytes(h[:32], "little") & ((1 << 254) - 8) | (1 << 254), h[32:]


def _ed_encode(pt):
    x, y, z, _ = pt
    zi = pow(z, au.P - 2, au.P)
    x, y = x * zi % au.P, y * zi % au.P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def ed25519_public(seed):
    return _ed_encode(au._mul(_ed_secret(seed)[0], au.BASE))


def ed25519_sign(seed, msg):
    """RFC 8032 §5.1.6."""
    a, prefix = _ed_secret(seed)
    pub = _ed_encode(au._mul(a, au.BASE))
    r = int.from_bytes(hashlib.sha512(prefix + msg).digest(), "little") % au.L
    R = _ed_encode(au._mul(r, au.BASE))
    k = int.from_bytes(hashlib.sha512(R + pub + msg).digest(), "little") % au.L
    return R + ((r + k * a) % au.L).to_bytes(32, "little")


ADMIN = hashlib.sha256(b"form2 test admin seed").digest()
DEVICE = hashlib.sha256(b"form2 test device seed").digest()


def make_package(version, categories):
    """The signed package (file bytes) of a version 1 or 2 election with one kiosk and one
    used code per category in `categories`, and its fingerprint."""
    codes = sorted(({"category": c, "hash": hashlib.sha256(b"code %d" % x).hexdigest(), "kiosk": 1}
                    for x, c in enumerate(categories)), key=lambda c: c["hash"])
    body = {"format": "pingyi-election-package", "version": version, "suite": "P256-SHA256",
            "election": {"roster": ["甲", "乙"], "options": ["优秀", "称职"],
                         "quota": {"option": QUOTA_OPTION, "max": QUOTA_MAX},
                         "categories": ["党员", "群众"], "kiosks": 1, "min_group_size": 1},
            "public_key": mv.enc_point(K).hex(), "admin_public_key": ed25519_public(ADMIN).hex(),
            "trustees": {"threshold": 1, "members": []}, "code_salt": "00" * 16, "codes": codes}
    C = au.canonical(body)
    fp = au.H("pingyi/v1/election-fingerprint", C)
    package = json.dumps({"body": body, "signature": ed25519_sign(
        ADMIN, au.lp(b"pingyi/v1/package-signature") + au.lp(C)).hex()}, ensure_ascii=False).encode()
    return package, fp, codes


def write_record(d, version, cast, spoiled):
    """A package of `version` and kiosk 1's closed box holding the ballot bodies `cast` (each
    with its own used code) and the checked ballots `spoiled` [(body, nonces)]. Returns the
    package path, the box path and the fingerprint."""
    package, fp, codes = make_package(version, [int.from_bytes(b[:4], "big") for b in cast])
    pkg_path, box_path = os.path.join(d, f"election-{version}.pyp"), os.path.join(d, f"kiosk-{version}.sqlite")
    with open(pkg_path, "wb") as f:
        f.write(package)
    if os.path.exists(box_path):
        os.unlink(box_path)
    k4 = (1).to_bytes(4, "big")
    device = ed25519_public(DEVICE)
    db = sqlite3.connect(box_path)
    db.executescript("""
        CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE codes(hash BLOB PRIMARY KEY, category INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
        CREATE TABLE ballots(hash BLOB PRIMARY KEY, body BLOB NOT NULL, signature BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE seals(kind TEXT PRIMARY KEY CHECK(kind IN ('open','state','close')), body BLOB NOT NULL,
                           signature BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE events(seq INTEGER PRIMARY KEY, body BLOB NOT NULL, hash BLOB NOT NULL, signature BLOB NOT NULL);
        PRAGMA user_version = 3;""")
    db.executemany("INSERT INTO meta VALUES (?, ?)", [("format", b"pingyi-ballot-box"), ("package", package),
                                                      ("kiosk", k4), ("device_public_key", device)])
    db.executemany("INSERT INTO codes VALUES (?, ?, 1)", [(bytes.fromhex(c["hash"]), c["category"]) for c in codes])
    hashes = []
    for b in cast:
        h = au.H("pingyi/v1/ballot", fp, k4, b)
        hashes.append(h)
        db.execute("INSERT INTO ballots VALUES (?, ?, ?)",
                   (h, b, ed25519_sign(DEVICE, au.lp(b"pingyi/v1/ballot-signature") + au.lp(h))))
    hashes.sort()
    ballot_set = au.H("pingyi/v1/ballot-set", fp, k4, len(hashes).to_bytes(4, "big"), *hashes)
    events = [{"event": "poll_opened", "time": "2026-12-05T09:00:00Z", "kiosk": 1}]
    events += [{"event": "ballot_spoiled", "time": "2026-12-05T09:01:00Z", "ballot": b.hex(), "nonces": n.hex()}
               for b, n in spoiled]
    events.append({"event": "poll_closed", "time": "2026-12-05T10:00:00Z", "ballots": len(cast)})
    prev = fp
    for seq, e in enumerate(events):
        eb = au.canonical(e)
        prev = au.H("pingyi/v1/event", prev, seq.to_bytes(4, "big"), eb)
        db.execute("INSERT INTO events VALUES (?, ?, ?, ?)",
                   (seq, eb, prev, ed25519_sign(DEVICE, au.lp(b"pingyi/v1/event-signature") + au.lp(prev))))
    seals = {"open": {"device_public_key": device.hex(), "election": fp.hex(), "kiosk": 1, "software": "test"},
             "state": {"ballots": len(cast), "set": ballot_set.hex()},
             "close": {"ballots": len(cast), "events": len(events), "events_head": prev.hex(), "set": ballot_set.hex()}}
    for kind, sb in seals.items():
        sb = au.canonical(sb)
        sh = au.H("pingyi/v1/seal", fp, k4, kind.encode(), sb)
        db.execute("INSERT INTO seals VALUES (?, ?, ?)",
                   (kind, sb, ed25519_sign(DEVICE, au.lp(b"pingyi/v1/seal-signature") + au.lp(sh))))
    db.commit()
    db.close()
    return pkg_path, box_path, fp


def test_record():
    fp2, fp1 = make_package(2, [0, 1])[1], make_package(1, [0, 1])[1]
    ok_a, nonces_a, _ = make_ballot(2, 0, [0, 1], "record A", fp=fp2)
    ok_b, _, _ = make_ballot(2, 1, [1, 1], "record B", fp=fp2)
    chk, nonces_c, _ = make_ballot(2, 1, [1, 0], "record C", fp=fp2)
    # B2 reuses cell (1, 0)'s nonce of A: the same ciphertext in two ballots, every proof valid.
    copy_b, _, _ = make_ballot(2, 1, [1, 1], "record B2", {(1, 0): "record A cell 1 0"}, fp=fp2)
    # Form-2 ballots made for a version 1 election (its fingerprint in their contexts).
    v1_a, _, _ = make_ballot(2, 0, [0, 1], "record A", fp=fp1)
    v1_b, _, _ = make_ballot(2, 1, [1, 1], "record B", fp=fp1)
    # And form-1 ballots, of the version 1 election and of the version 2 one.
    f1_a, _, _ = make_ballot(1, 0, [0, 1], "record A", fp=fp1)
    f1_b, _, _ = make_ballot(1, 1, [1, 1], "record B", fp=fp1)
    f1_chk, f1_nonces_c, _ = make_ballot(1, 1, [1, 0], "record C", fp=fp1)
    f1v2_a, _, _ = make_ballot(1, 0, [0, 1], "record A", fp=fp2)
    f1v2_b, _, _ = make_ballot(1, 1, [1, 1], "record B", fp=fp2)
    el2 = election(2)
    check(el2.cell_encodings(copy_b)[2] == el2.cell_encodings(ok_a)[2], "B2 copies a ciphertext of A")
    pt = au.dec_point65(ok_b[el2.row_proofs_at:el2.row_proofs_at + 65])
    bad_b = mutate(ok_b, el2.row_proofs_at, au.enc_point65(au.ec_neg(pt)))
    device = ed25519_public(DEVICE).hex()
    every = {c: "pass" for c in au.IMPLEMENTED_CHECKS if not c.startswith(("results.", "partial."))}
    every["package.format"] = "absent"  # a FAIL-only line
    cases = [
        ("honest, version 2", 2, [ok_a, ok_b], [(chk, nonces_c)], {}),
        ("a row commitment negated", 2, [ok_a, bad_b], [(chk, nonces_c)], {"ballots.proofs": "fail"}),
        ("a ciphertext copied", 2, [ok_a, copy_b], [(chk, nonces_c)], {"ballots.unique": "fail"}),
        ("a checked ballot also cast", 2, [ok_a, ok_b], [(ok_a, nonces_a)], {"ballots.spoiled": "fail"}),
        ("form-2 ballots in a version 1 package", 1, [v1_a, v1_b], [], {"ballots.proofs": "fail"}),
        ("honest, version 1", 1, [f1_a, f1_b], [(f1_chk, f1_nonces_c)], {}),
        ("form-1 ballots in a version 2 package", 2, [f1v2_a, f1v2_b], [], {"ballots.proofs": "fail"}),
    ]
    with tempfile.TemporaryDirectory() as d:
        for name, version, cast, spoiled, fails in cases:
            pkg, box, fp = write_record(d, version, cast, spoiled)
            check(fp == (fp2 if version == 2 else fp1), "the record's fingerprint")
            au._proof_cache.clear()
            got = au.audit_record(pkg, [box], None, (), fp.hex(), [device])
            want = dict(every, **fails)
            for c, v in want.items():
                check(got[c] == v, f"record {name}: {c} expected {v}, got {got[c]}")


if __name__ == "__main__":
    test_vectors()
    test_sm2_vectors()
    test_package_version()
    test_ballots()
    test_record()
    if FAILURES:
        print(f"test_form2: {len(FAILURES)} checks failed")
        sys.exit(1)
    print("test_form2: every check passed")
