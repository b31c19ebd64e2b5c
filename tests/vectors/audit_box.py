#!/usr/bin/env python3
"""An auditor's check of a Pingyi ballot box, written from docs/formats.md alone.

Usage: audit_box.py PACKAGE BOX [--tracking-codes]

Independent of the C++ code (standard library only, its own Ed25519 after RFC 8032 §5.1.7):
  - the package (formats.md §2): canonical body, admin signature, election fingerprint;
  - the box (§4): meta, schema 2, this kiosk's codes, the record chain and its signatures,
    the close record, the event log (§4.10) and its pinning, used codes = ballots per category;
  - with --tracking-codes, prints every ballot's tracking code (§4.5), one per line.
Ballot proofs are not checked here (tests/vectors/make_vectors.py cross-checks the proofs).
Prints one line per failure and exits 1 if there is any; exits 0 and prints "OK …" otherwise.
"""

import hashlib
import json
import sqlite3
import sys

# ---- Ed25519 verification (RFC 8032 §5.1.7), affine-free extended coordinates ----------

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _add(a, b):
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    A = (y1 - x1) * (y2 - x2) % P
    B = (y1 + x1) * (y2 + x2) % P
    C = 2 * t1 * t2 * D % P
    Dd = 2 * z1 * z2 % P
    E, F, G, H = B - A, Dd - C, Dd + C, B + A
    return (E * F % P, G * H % P, F * G % P, E * H % P)


def _mul(k, pt):
    acc = (0, 1, 1, 0)
    while k:
        if k & 1:
            acc = _add(acc, pt)
        pt = _add(pt, pt)
        k >>= 1
    return acc


def _equal(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


def _decompress(s):
    if len(s) != 32:
        return None
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P:
        return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = P - x
    return (x, y, 1, x * y % P)


_GY = 4 * pow(5, P - 2, P) % P
BASE = _decompress(_GY.to_bytes(32, "little"))


def ed25519_verify(public, message, signature):
    if len(signature) != 64:
        return False
    A = _decompress(public)
    R = _decompress(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if A is None or R is None or s >= L:
        return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % L
    return _equal(_mul(8 * s, BASE), _add(_mul(8, R), _mul(8 * k, A)))


# ---- formats.md §0, §2, §4 ----------------------------------------------------------

def lp(b):
    return len(b).to_bytes(4, "big") + b


def H(tag, *items):
    return hashlib.sha256(lp(tag.encode()) + b"".join(lp(i) for i in items)).digest()


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
EVENTS = {"poll_opened", "poll_resumed", "operator_login", "code_rejected", "ballot_discarded",
          "poll_closed", "box_exported"}


def tracking_code(h):
    v = int.from_bytes(h[:5], "big")
    out = ""
    for _ in range(8):
        out += ALPHABET[v % 31]
        v //= 31
    return out[:4] + "-" + out[4:]


def audit(package_path, box_path):
    failures = []
    fail = failures.append

    with open(package_path, "rb") as f:
        pkg = json.loads(f.read())
    body = pkg["body"]
    C = canonical(body)
    fp = H("pingyi/v1/election-fingerprint", C)
    if not ed25519_verify(bytes.fromhex(body["admin_public_key"]),
                          lp(b"pingyi/v1/package-signature") + lp(C), bytes.fromhex(pkg["signature"])):
        fail("package: the admin signature does not verify")

    db = sqlite3.connect(f"file:{box_path}?mode=ro", uri=True)
    meta = dict(db.execute("SELECT key, value FROM meta"))
    if bytes(meta.get("format", b"")) != b"pingyi-ballot-box":
        fail("box: meta.format is not pingyi-ballot-box")
    if db.execute("PRAGMA user_version").fetchone()[0] != 2:
        fail("box: not schema version 2")
    inner = json.loads(bytes(meta["package"]))
    if H("pingyi/v1/election-fingerprint", canonical(inner["body"])) != fp:
        fail("box: holds the package of another election")
    kiosk = int.from_bytes(bytes(meta["kiosk"]), "big")
    device = bytes(meta["device_public_key"])

    # Codes: exactly this kiosk's codes of the package.
    expected = {c["hash"]: c["category"] for c in body["codes"] if c["kiosk"] == kiosk}
    rows = {bytes(h).hex(): (cat, used) for h, cat, used in db.execute("SELECT hash, category, used FROM codes")}
    if {h: cat for h, (cat, _) in rows.items()} != expected:
        fail("box: the code list is not this kiosk's codes from the package")

    # Records: the signed hash chain (§4.5).
    records = db.execute("SELECT seq, kind, body, hash, signature FROM records ORDER BY seq").fetchall()
    prev = fp
    ballots_per_cat = {}
    tracking = []
    for i, (seq, kind, rbody, h, sig) in enumerate(records):
        rbody, h, sig = bytes(rbody), bytes(h), bytes(sig)
        if seq != i:
            fail(f"records: #{i} out of sequence")
        if H("pingyi/v1/record", prev, seq.to_bytes(4, "big"), kind.encode(), rbody) != h:
            fail(f"records: #{i} does not chain")
        if not ed25519_verify(device, lp(b"pingyi/v1/record-signature") + lp(h), sig):
            fail(f"records: #{i} is not signed by the device key")
        if (i == 0) != (kind == "open"):
            fail(f"records: #{i} open record misplaced")
        if kind == "open":
            o = json.loads(rbody)
            if o["election"] != fp.hex() or o["kiosk"] != kiosk or o["device_public_key"] != device.hex():
                fail("records: the open record names another election, kiosk or device key")
        if kind == "ballot":
            cat = int.from_bytes(rbody[:4], "big")
            ballots_per_cat[cat] = ballots_per_cat.get(cat, 0) + 1
            tracking.append(tracking_code(h))
        if kind == "close" and i != len(records) - 1:
            fail("records: records follow the close record")
        prev = h

    used_per_cat = {}
    for cat, used in rows.values():
        if used:
            used_per_cat[cat] = used_per_cat.get(cat, 0) + 1
    if used_per_cat != ballots_per_cat:
        fail(f"codes: used codes {used_per_cat} differ from ballots {ballots_per_cat}")

    # Events (§4.10) and what the close record pins.
    events = db.execute("SELECT seq, body, hash, signature FROM events ORDER BY seq").fetchall()
    eprev = fp
    heads = []
    for i, (seq, ebody, h, sig) in enumerate(events):
        ebody, h, sig = bytes(ebody), bytes(h), bytes(sig)
        if seq != i:
            fail(f"events: #{i} out of sequence")
        if H("pingyi/v1/event", eprev, seq.to_bytes(4, "big"), ebody) != h:
            fail(f"events: #{i} does not chain")
        if not ed25519_verify(device, lp(b"pingyi/v1/event-signature") + lp(h), sig):
            fail(f"events: #{i} is not signed by the device key")
        e = json.loads(ebody)
        if canonical(e) != ebody or e.get("event") not in EVENTS or not isinstance(e.get("time"), str):
            fail(f"events: #{i} is not a known event in canonical form")
        if (i == 0) != (e.get("event") == "poll_opened"):
            fail(f"events: #{i}: the log must start with poll_opened, once")
        heads.append(h)
        eprev = h
    if not events:
        fail("events: the log is empty")

    closed = bool(records) and records[-1][1] == "close"
    if closed:
        c = json.loads(bytes(records[-1][2]))
        head_before = bytes(records[-2][3]) if len(records) >= 2 else fp
        if c["ballots"] != sum(ballots_per_cat.values()) or c["head"] != head_before.hex():
            fail("close: count or head does not match")
        n = c.get("events", 0)
        if not (0 < n <= len(heads)) or heads[n - 1].hex() != c.get("events_head"):
            fail("close: the event log differs from the one the close record pinned")
    return failures, tracking, len(records), len(events), closed


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    failures, tracking, n_records, n_events, closed = audit(sys.argv[1], sys.argv[2])
    for f in failures:
        print("FAIL", f)
    if "--tracking-codes" in sys.argv[3:]:
        for t in tracking:
            print(t)
    if failures:
        sys.exit(1)
    print(f"OK {n_records} records, {n_events} events, {len(tracking)} ballots, closed={closed}")


if __name__ == "__main__":
    main()
