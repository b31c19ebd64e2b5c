#!/usr/bin/env python3
"""An auditor's check of a Pingyi ballot box, written from docs/formats.md alone.

Usage: audit_box.py PACKAGE BOX [--tracking-codes]

Independent of the C++ code (standard library only, its own Ed25519 after RFC 8032 §5.1.7):
  - the package (formats.md §2): canonical body, admin signature, election fingerprint;
  - the box (§4): meta, schema 3, this kiosk's codes, every ballot under its own hash and
    signed, the signed open, state and close seals (count and set of the ballots), the event
    log (§4.10) and its pinning, used codes = ballots per category;
  - the bodies (§4.5, §4.10): the seals and every event are canonical JSON objects
    with exactly their members; poll_opened names this kiosk, poll_closed the close seal's
    count; exactly one poll_closed, the last pinned event (none in an open box);
  - with --tracking-codes, prints every ballot's tracking code (§4.5), one per line.
The command line checks one box without its ballot proofs. Prints one line per failure and
exits 1 if there is any. Otherwise prints "OK …" and exits 0, or 2 when the box has no close
seal (an open poll: checked as far as it goes, not final), as `pingyi verify` does.

audit_record() (and audit_sample(), for tests/conformance/) checks a whole election record
the way docs/verifier-guide.md numbers the checks, with its own P-256 arithmetic: the ballot
proofs (protocol.md §5.1, §5.2, §6) in the form the package's version names (1: form 1; 2:
form 2, §5.6, every proof checked alone against its stored commitments), the checked ballots'
nonces (§6.1), the kiosks, copies,
device fingerprints, and the results of a trustees' election down to the partial decryption
proofs and their Lagrange combination (§12). IMPLEMENTED_CHECKS lists what it checks
(PARTIAL: where only partly); tests/conformance/run_conformance.py --auditor compares its
verdicts with expected.json and lists every other check as not implemented.
"""

import hashlib
import json
import os
import re
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
# §4.10: each event's own members (besides "event" and "time").
EVENT_MEMBERS = {"poll_opened": {"kiosk"}, "poll_resumed": set(), "operator_login": {"ok"},
                 "code_rejected": {"reason"}, "ballot_discarded": {"reason"}, "poll_closed": {"ballots"},
                 "box_exported": set(), "resume_refused": {"reason"}, "check_mode": {"on"},
                 "ballot_spoiled": {"ballot", "nonces"}}
REASONS = {"code_rejected": {"format", "unknown", "used", "other_kiosk"},
           "ballot_discarded": {"cancelled", "timeout"}, "resume_refused": {"tampered", "rollback"}}
TIME = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z\Z")


def u32(x):
    return type(x) is int and 0 <= x < 2**32


def digest_hex(x):
    return isinstance(x, str) and re.fullmatch(r"[0-9a-f]{64}", x) is not None


def canonical_object(body, members=None):
    """§0 and §4.5: the body parses to a JSON object, is its own canonical form and, when
    `members` is given, has exactly those members. None otherwise."""
    def no_constant(name):
        raise ValueError(name)  # NaN and Infinity are not JSON

    try:
        o = json.loads(body.decode("utf-8"), parse_constant=no_constant)
        if not isinstance(o, dict) or canonical(o) != body:
            return None
    except (UnicodeError, ValueError, RecursionError):
        return None
    if members is not None and set(o) != set(members):
        return None
    return o


def event_problem(e, kiosk, close):
    """§4.10: what is wrong with one event body (a parsed object), or None."""
    kind = e.get("event")
    if kind not in EVENT_MEMBERS:
        return "is not a known event"
    if not isinstance(e.get("time"), str) or not TIME.match(e["time"]):
        return "has no valid time"
    if set(e) != EVENT_MEMBERS[kind] | {"event", "time"}:
        return "does not have exactly its members"
    if kind == "poll_opened" and (not u32(e["kiosk"]) or e["kiosk"] != kiosk):
        return "poll_opened does not name this kiosk"
    if kind == "operator_login" and type(e["ok"]) is not bool:
        return "operator_login.ok is not a boolean"
    if kind == "check_mode" and type(e["on"]) is not bool:
        return "check_mode.on is not a boolean"
    if kind == "ballot_spoiled" and not all(isinstance(e[m], str) and re.fullmatch(r"([0-9a-f]{2})+", e[m])
                                            for m in ("ballot", "nonces")):
        return "ballot_spoiled.ballot and .nonces are not hex"
    if kind in REASONS and e["reason"] not in REASONS[kind]:
        return "has an unknown reason"
    if kind == "poll_closed" and (not u32(e["ballots"]) or (close and e["ballots"] != close["ballots"])):
        return "poll_closed does not state the close seal's count"
    return None


def tracking_code(h):
    v = int.from_bytes(h[:5], "big")
    out = ""
    for _ in range(8):
        out += ALPHABET[v % 31]
        v //= 31
    return out[:4] + "-" + out[4:]


class Report:
    """Verdicts by check id (docs/verifier-guide.md): a check fails if any of its lines fails."""

    def __init__(self):
        self.verdicts = {}
        self.failures = []  # the messages, as the command line prints them

    def fail(self, check, message):
        self.verdicts[check] = "fail"
        self.failures.append(message)

    def ran(self, check):
        self.verdicts.setdefault(check, "pass")


def load_package(path, rep):
    """formats.md §2.1–2.3 as far as this auditor goes: the file's and the body's members,
    the admin signature, the fingerprint. None if the package does not load."""
    with open(path, "rb") as f:
        raw = f.read()
    try:
        pkg = json.loads(raw)
        body = pkg["body"]
        ok = set(pkg) == {"body", "signature"} and isinstance(body, dict) and len(body) == 9
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        rep.fail("package.format", "package: not a package file with exactly body and signature (9 body members)")
        return None
    # §2.3 step 4: version 1 (form-1 ballots) or 2 (form 2, protocol.md §5.6); a JSON integer,
    # not 1.0 or true.
    if type(body.get("version")) is not int or body["version"] not in (1, 2):
        rep.fail("package.format", "package: version is not 1 or 2")
        return None
    C = canonical(body)
    if not ed25519_verify(bytes.fromhex(body["admin_public_key"]),
                          lp(b"pingyi/v1/package-signature") + lp(C), bytes.fromhex(pkg["signature"])):
        rep.fail("package.signature", "package: the admin signature does not verify")
        return None
    rep.ran("package.signature")
    return {"body": body, "fp": H("pingyi/v1/election-fingerprint", C)}


def audit_box_file(package, box_path, rep):
    """One box (formats.md §4): box.read … box.codes. Returns what the checks across boxes
    need, or None when the box cannot be read (box.read)."""
    body, fp = package["body"], package["fp"]
    fail = rep.fail
    db = sqlite3.connect(f"file:{box_path}?mode=ro", uri=True)
    # §4.2: every value is of its column's storage class; otherwise nothing else is read.
    wrong = db.execute(
        "SELECT (SELECT count(*) FROM meta WHERE typeof(key) != 'text' OR typeof(value) != 'blob'"
        "    OR key NOT IN ('format', 'package', 'kiosk', 'device_public_key'))"
        " + (SELECT count(*) FROM codes WHERE typeof(hash) != 'blob' OR typeof(category) != 'integer'"
        "    OR typeof(used) != 'integer' OR used NOT IN (0, 1))"
        " + (SELECT count(*) FROM ballots WHERE typeof(hash) != 'blob' OR typeof(body) != 'blob'"
        "    OR typeof(signature) != 'blob')"
        " + (SELECT count(*) FROM seals WHERE typeof(kind) != 'text' OR kind NOT IN ('open', 'state', 'close')"
        "    OR typeof(body) != 'blob' OR typeof(signature) != 'blob')"
        " + (SELECT count(*) FROM events WHERE typeof(body) != 'blob' OR typeof(hash) != 'blob'"
        "    OR typeof(signature) != 'blob')").fetchone()[0]
    if wrong:
        fail("box.read", f"box: {wrong} rows hold a value that is not of its column's storage class")
        return None
    meta = dict(db.execute("SELECT key, value FROM meta"))
    if bytes(meta.get("format", b"")) != b"pingyi-ballot-box" or db.execute("PRAGMA user_version").fetchone()[0] != 3:
        fail("box.read", "box: meta.format is not pingyi-ballot-box, or not schema version 3")
        return None
    rep.ran("box.read")
    for check in ("box.package", "box.open", "box.ballots", "box.signatures", "box.state", "box.close",
                  "box.events", "box.codes"):
        rep.ran(check)
    inner = json.loads(bytes(meta["package"]))
    if H("pingyi/v1/election-fingerprint", canonical(inner["body"])) != fp:
        fail("box.package", "box: holds the package of another election")
    kiosk = int.from_bytes(bytes(meta["kiosk"]), "big")
    device = bytes(meta["device_public_key"])

    # Codes: exactly this kiosk's codes of the package.
    expected = {c["hash"]: c["category"] for c in body["codes"] if c["kiosk"] == kiosk}
    rows = {bytes(h).hex(): (cat, used) for h, cat, used in db.execute("SELECT hash, category, used FROM codes")}
    if {h: cat for h, (cat, _) in rows.items()} != expected:
        fail("box.codes", "box: the code list is not this kiosk's codes from the package")

    # Ballots (§4.5): each under its own hash b = H(ballot; fp, be32(kiosk), body), each signed.
    kiosk4 = kiosk.to_bytes(4, "big")
    ballots = db.execute("SELECT hash, body, signature FROM ballots ORDER BY hash").fetchall()
    ballots_per_cat = {}
    tracking = []
    hashes = []
    bodies = []
    for h, bbody, sig in ballots:
        h, bbody, sig = bytes(h), bytes(bbody), bytes(sig)
        code = tracking_code(h)
        if H("pingyi/v1/ballot", fp, kiosk4, bbody) != h:
            fail("box.ballots", f"ballots: {code} is not stored under the hash of its content")
        if not ed25519_verify(device, lp(b"pingyi/v1/ballot-signature") + lp(h), sig):
            fail("box.signatures", f"ballots: {code} is not signed by the device key")
        cat = int.from_bytes(bbody[:4], "big")
        ballots_per_cat[cat] = ballots_per_cat.get(cat, 0) + 1
        tracking.append(code)
        hashes.append(h)
        bodies.append((code, bbody))
    hashes.sort()
    ballot_set = H("pingyi/v1/ballot-set", fp, kiosk4, len(hashes).to_bytes(4, "big"), *hashes)

    # Seals (§4.5): open, state, close, each signed over s = H(seal; fp, be32(kiosk), kind, body).
    seals = {kind: (bytes(sbody), bytes(sig)) for kind, sbody, sig in db.execute("SELECT kind, body, signature FROM seals")}
    for kind, (sbody, sig) in seals.items():
        s_hash = H("pingyi/v1/seal", fp, kiosk4, kind.encode(), sbody)
        if not ed25519_verify(device, lp(b"pingyi/v1/seal-signature") + lp(s_hash), sig):
            fail("box.signatures", f"seals: the {kind} seal is not signed by the device key")
    if "open" not in seals:
        fail("box.open", "seals: no open seal")
    else:
        o = canonical_object(seals["open"][0], {"device_public_key", "election", "kiosk", "software"})
        if o is None or not isinstance(o["software"], str):
            fail("box.open", "seals: the open seal is not canonical JSON with exactly its members")
        elif o["election"] != fp.hex() or o["kiosk"] != kiosk or o["device_public_key"] != device.hex():
            fail("box.open", "seals: the open seal names another election, kiosk or device key")
        elif not 1 <= kiosk <= body["election"]["kiosks"]:
            fail("box.open", "seals: the kiosk number does not exist in this election")
    state = canonical_object(seals["state"][0], {"ballots", "set"}) if "state" in seals else None
    if state is None:
        fail("box.state", "seals: no state seal, or not canonical JSON with exactly its members")
    elif state["ballots"] != len(hashes) or state["set"] != ballot_set.hex():
        fail("box.state", "seals: the signed state does not match the ballots present")

    used_per_cat = {}
    for cat, used in rows.values():
        if used:
            used_per_cat[cat] = used_per_cat.get(cat, 0) + 1
    if used_per_cat != ballots_per_cat:
        fail("box.codes", f"codes: used codes {used_per_cat} differ from ballots {ballots_per_cat}")

    # The close seal, then the events (§4.10) and what the close seal pins.
    closed = "close" in seals
    close = None
    close_hash = None
    if closed:
        close_hash = H("pingyi/v1/seal", fp, kiosk4, b"close", seals["close"][0])
        close = canonical_object(seals["close"][0], {"ballots", "events", "events_head", "set"})
        if close is None or not (u32(close["ballots"]) and u32(close["events"]) and
                                 digest_hex(close["events_head"]) and digest_hex(close["set"])):
            fail("box.close", "close: the close seal is not canonical JSON with exactly its members")
            close = None
        elif close["ballots"] != len(hashes) or close["set"] != ballot_set.hex():
            fail("box.close", "close: count or set does not match")
    else:
        rep.verdicts["box.close"] = "open" if rep.verdicts.get("box.close") != "fail" else "fail"

    events = db.execute("SELECT seq, body, hash, signature FROM events ORDER BY seq").fetchall()
    eprev = fp
    heads = []
    poll_closed = []
    spoiled = []
    for i, (seq, ebody, h, sig) in enumerate(events):
        ebody, h, sig = bytes(ebody), bytes(h), bytes(sig)
        if seq != i:
            fail("box.events", f"events: #{i} out of sequence")
        if H("pingyi/v1/event", eprev, seq.to_bytes(4, "big"), ebody) != h:
            fail("box.events", f"events: #{i} does not chain")
        if not ed25519_verify(device, lp(b"pingyi/v1/event-signature") + lp(h), sig):
            fail("box.events", f"events: #{i} is not signed by the device key")
        heads.append(h)
        eprev = h
        e = canonical_object(ebody)
        if e is None:
            fail("box.events", f"events: #{i} is not a JSON object in canonical form")
            continue
        problem = event_problem(e, kiosk, close)
        if problem:
            fail("box.events", f"events: #{i} {problem}")
        elif e["event"] == "ballot_spoiled":
            spoiled.append((i, bytes.fromhex(e["ballot"]), bytes.fromhex(e["nonces"])))
        if (i == 0) != (e.get("event") == "poll_opened"):
            fail("box.events", f"events: #{i}: the log must start with poll_opened, once")
        if e.get("event") == "poll_closed":
            poll_closed.append(i)
    if not events:
        fail("box.events", "events: the log is empty")

    if closed:
        n = close["events"] if close else 0
        if not (0 < n <= len(heads)) or heads[n - 1].hex() != close["events_head"]:
            fail("box.events", "events: the event log differs from the one the close seal pinned")
        elif poll_closed != [n - 1]:
            fail("box.events", "events: the log must have exactly one poll_closed, the last pinned event")
    elif poll_closed:
        fail("box.events", "events: the log has poll_closed but the box has no close seal")
    return {"kiosk": kiosk, "device": device, "tracking": tracking, "bodies": bodies, "n_events": len(events),
            "closed": closed, "close_hash": close_hash, "spoiled": spoiled, "codes": rows}


def audit(package_path, box_path):
    """The command line's check of one box: its failure messages, tracking codes, counts."""
    rep = Report()
    package = load_package(package_path, rep)
    if package is None:
        return rep.failures, [], 0, 0, False
    box = audit_box_file(package, box_path, rep)
    if box is None:
        return rep.failures, [], 0, 0, False
    return rep.failures, box["tracking"], len(box["bodies"]), box["n_events"], box["closed"]


# ---- The election record as a whole (docs/verifier-guide.md): P-256, proofs, results ----------
# From protocol.md §2–§6, §12 and formats.md §4.9, §4.13, §7, §9.5. Jacobian coordinates on
# P-256 (a = −3); the identity is None.

P256 = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
P256_B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
Q = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
G = (0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
     0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5)


def _jdouble(p):
    x, y, z = p
    if y == 0:
        return None
    d = z * z % P256
    al = 3 * (x - d) * (x + d) % P256
    be = x * y * y % P256
    x3 = (al * al - 8 * be) % P256
    z3 = 2 * y * z % P256
    y3 = (al * (4 * be - x3) - 8 * pow(y, 4, P256)) % P256
    return (x3, y3, z3)


def _jadd(p, q):
    if p is None:
        return q
    if q is None:
        return p
    x1, y1, z1 = p
    x2, y2, z2 = q
    z1s, z2s = z1 * z1 % P256, z2 * z2 % P256
    u1, u2 = x1 * z2s % P256, x2 * z1s % P256
    s1, s2 = y1 * z2s * z2 % P256, y2 * z1s * z1 % P256
    if u1 == u2:
        return _jdouble(p) if s1 == s2 else None
    h, r = (u2 - u1) % P256, (s2 - s1) % P256
    h2 = h * h % P256
    h3 = h * h2 % P256
    x3 = (r * r - h3 - 2 * u1 * h2) % P256
    y3 = (r * (u1 * h2 - x3) - s1 * h3) % P256
    return (x3, y3, h * z1 * z2 % P256)


def _affine(p):
    if p is None:
        return None
    zi = pow(p[2], -1, P256)
    return (p[0] * zi * zi % P256, p[1] * zi * zi * zi % P256)


def ec_add(a, b):
    return _affine(_jadd(None if a is None else (a[0], a[1], 1), None if b is None else (b[0], b[1], 1)))


def ec_neg(a):
    return None if a is None else (a[0], (-a[1]) % P256)


def ec_mul(k, a):
    k %= Q
    acc, pt = None, None if a is None else (a[0], a[1], 1)
    for bit in bin(k)[2:] if k else "":
        acc = _jdouble(acc) if acc is not None else None
        if bit == "1":
            acc = _jadd(acc, pt)
    return _affine(acc)


def ec_lin(k1, a, k2, b):
    """k1·a + k2·b."""
    return ec_add(ec_mul(k1, a), ec_mul(k2, b))


def dec_point(b):
    """protocol.md §2: 33 bytes, 02/03 ‖ x; no identity. Raises ValueError."""
    if len(b) != 33 or b[0] not in (2, 3):
        raise ValueError("not a point")
    x = int.from_bytes(b[1:], "big")
    if x >= P256:
        raise ValueError("not a point")
    rhs = (x * x * x - 3 * x + P256_B) % P256
    y = pow(rhs, (P256 + 1) // 4, P256)
    if y * y % P256 != rhs:
        raise ValueError("not on the curve")
    if y & 1 != b[0] & 1:
        y = P256 - y
    return (x, y)


def dec_point65(b):
    """protocol.md §5.6: 65 bytes, 04 ‖ x ‖ y with x, y < p and y² = x³ − 3x + b (so never the
    identity, which has no encoding). Raises ValueError."""
    if len(b) != 65 or b[0] != 4:
        raise ValueError("not an uncompressed point")
    x, y = int.from_bytes(b[1:33], "big"), int.from_bytes(b[33:], "big")
    if x >= P256 or y >= P256:
        raise ValueError("not an uncompressed point")
    if (y * y - (x * x * x - 3 * x + P256_B)) % P256:
        raise ValueError("not on the curve")
    return (x, y)


def enc_point(p):
    if p is None:
        raise ValueError("the identity has no encoding")
    return bytes([2 + (p[1] & 1)]) + p[0].to_bytes(32, "big")


def enc_point65(p):
    if p is None:
        raise ValueError("the identity has no encoding")
    return b"\x04" + p[0].to_bytes(32, "big") + p[1].to_bytes(32, "big")


def proof_size(L, form):
    """Bytes of a proof with L + 1 branches (a constant proof: L = 0): protocol.md §5.1, §5.2
    (form 1: c's and v's) and §5.6 (form 2: the commitments a_j ‖ b_j first, 130 bytes a branch)."""
    return (L + 1) * (64 if form == 1 else 194)


def split_commitments(proof, branches, form):
    """Form 2: the stored commitments [(a_0, b_0), …] decoded (§5.6; ValueError if one does not
    decode) and the form-1 rest of the proof (c's then v's). Form 1: (None, proof)."""
    if form == 1:
        return None, proof
    pts = [dec_point65(proof[65 * x:65 * x + 65]) for x in range(2 * branches)]
    return [(pts[2 * j], pts[2 * j + 1]) for j in range(branches)], proof[130 * branches:]


def dec_scalar(b):
    v = int.from_bytes(b, "big")
    if len(b) != 32 or v >= Q:
        raise ValueError("not a scalar")
    return v


def enc_scalar(v):
    return (v % Q).to_bytes(32, "big")


def H_q(tag, *items):
    m = lp(tag.encode()) + b"".join(lp(i) for i in items)
    return int.from_bytes(hashlib.sha256(b"\x01" + m).digest() + hashlib.sha256(b"\x02" + m).digest(), "big") % Q


def position_context(base, kind, i, j):
    return lp(base) + lp(kind.encode()) + i.to_bytes(4, "big") + j.to_bytes(4, "big")


def T0(ctx, K):
    return (b"P256-SHA256", ctx, enc_point(K))


def verify_range(K, ct, L, proof, ctx, form=1):
    """protocol.md §5.1; in form 2 (§5.6) the stored commitments must decode and be the ones
    recomputed from (c, v), which the challenge hashes compressed as in form 1."""
    A, B = ct
    if len(proof) != proof_size(L, form):
        raise ValueError("a proof of the wrong length")
    stored, proof = split_commitments(proof, L + 1, form)
    c = [dec_scalar(proof[32 * j:32 * j + 32]) for j in range(L + 1)]
    v = [dec_scalar(proof[32 * (L + 1 + j):32 * (L + 2 + j)]) for j in range(L + 1)]
    items = [enc_point(A), enc_point(B), enc_scalar(L)]
    for j in range(L + 1):
        a = ec_lin(v[j], G, Q - c[j], A)
        b = ec_add(ec_lin(v[j], K, Q - c[j], B), ec_mul(c[j] * j, G) if c[j] * j % Q else None)
        if stored is not None and stored[j] != (a, b):
            return False
        items += [enc_point(a), enc_point(b)]
    return sum(c) % Q == H_q("pingyi/v1/range-proof", *T0(ctx, K), *items)


def verify_constant(K, ct, m, proof, ctx, form=1):
    """protocol.md §5.2; in form 2 (§5.6) with the stored commitments, as verify_range."""
    A, B = ct
    if len(proof) != proof_size(0, form):
        raise ValueError("a proof of the wrong length")
    stored, proof = split_commitments(proof, 1, form)
    c, v = dec_scalar(proof[:32]), dec_scalar(proof[32:64])
    a = ec_lin(v, G, Q - c, A)
    b = ec_add(ec_lin(v, K, Q - c, B), ec_mul(c * m, G) if c * m % Q else None)
    if stored is not None and stored[0] != (a, b):
        return False
    return c == H_q("pingyi/v1/constant-proof", *T0(ctx, K), enc_point(A), enc_point(B), enc_scalar(m),
                    enc_point(a), enc_point(b))


def ct_add(x, y):
    return (ec_add(x[0], y[0]), ec_add(x[1], y[1]))


class Election:
    def __init__(self, package):
        body = package["body"]
        self.body, self.fp = body, package["fp"]
        d = body["election"]
        self.n, self.k = len(d["roster"]), len(d["options"])
        self.quota = d["quota"]
        self.categories = len(d["categories"])
        self.kiosks = d["kiosks"]
        self.min_group = d["min_group_size"]
        self.K = dec_point(bytes.fromhex(body["public_key"]))
        # The ballots' form is the package's version (formats.md §2.2): 1, compressed points and
        # proofs (c, v); 2, uncompressed points and proofs with their commitments (protocol.md
        # §5.6). Every size and offset of a ballot below derives from it.
        self.form = body["version"]
        self.point_size = 33 if self.form == 1 else 65
        self.ct_size = 2 * self.point_size  # enc(A) ‖ enc(B)
        self.cell_proof_size = proof_size(1, self.form)
        self.row_proof_size = proof_size(0, self.form)
        self.quota_proof_size = proof_size(self.quota["max"], self.form) if self.quota else 0
        # protocol.md §6, formats.md §4.5: be32(category), ciphertexts, cell, row, quota proofs.
        self.cells_at = 4
        self.cell_proofs_at = self.cells_at + self.n * self.k * self.ct_size
        self.row_proofs_at = self.cell_proofs_at + self.n * self.k * self.cell_proof_size
        self.quota_proof_at = self.row_proofs_at + self.n * self.row_proof_size
        self.size = self.quota_proof_at + self.quota_proof_size

    def dec_point(self, b):
        return dec_point(b) if self.form == 1 else dec_point65(b)

    def cell_encodings(self, ballot):
        """The n·k ciphertexts of a ballot body (row-major) as stored: 66 or 130 bytes each."""
        return [ballot[self.cells_at + self.ct_size * x:self.cells_at + self.ct_size * (x + 1)]
                for x in range(self.n * self.k)]

    def cells(self, ballot):
        """The n·k ciphertexts of a ballot body (row-major), as (A, B) points."""
        return [(self.dec_point(raw[:self.point_size]), self.dec_point(raw[self.point_size:]))
                for raw in self.cell_encodings(ballot)]


_proof_cache = {}


def ballot_problem(el, ballot):
    """formats.md §4.5, protocol.md §6: None if the ballot is well formed and every proof verifies."""
    key = (el.fp, el.form, ballot)
    if key in _proof_cache:
        return _proof_cache[key]
    problem = None
    try:
        cat = int.from_bytes(ballot[:4], "big")
        if len(ballot) != el.size or cat >= el.categories:
            raise ValueError("is not a ballot of this election")
        base = lp(el.fp) + cat.to_bytes(4, "big")
        cells = el.cells(ballot)
        at, size = el.cell_proofs_at, el.cell_proof_size
        for x, ct in enumerate(cells):
            i, j = divmod(x, el.k)
            if not verify_range(el.K, ct, 1, ballot[at + size * x:at + size * (x + 1)],
                                position_context(base, "cell", i, j), el.form):
                raise ValueError(f"cell proof ({i}, {j}) fails")
        at, size = el.row_proofs_at, el.row_proof_size
        for i in range(el.n):
            row = cells[i * el.k]
            for j in range(1, el.k):
                row = ct_add(row, cells[i * el.k + j])
            if not verify_constant(el.K, row, 1, ballot[at + size * i:at + size * (i + 1)],
                                   position_context(base, "row", i, 0), el.form):
                raise ValueError(f"row proof {i} fails")
        if el.quota:
            col, qmax = el.quota["option"], el.quota["max"]
            s = cells[col]
            for i in range(1, el.n):
                s = ct_add(s, cells[i * el.k + col])
            if not verify_range(el.K, s, qmax, ballot[el.quota_proof_at:el.quota_proof_at + el.quota_proof_size],
                                position_context(base, "quota", 0, col), el.form):
                raise ValueError("quota proof fails")
    except ValueError as e:  # a malformed point or scalar, the identity, a failed proof
        problem = str(e) or "is malformed"
    _proof_cache[key] = problem
    return problem


def spoiled_problem(el, ballot, nonces, cast):
    """formats.md §4.13 steps 1–4 for one checked ballot: None if it is a ballot of this
    election whose proofs verify, whose nonces open every cell to 0 or 1 with one 1 per row,
    and neither whose body nor any of whose ciphertexts (as stored) is in `cast`."""
    problem = ballot_problem(el, ballot)
    if problem is None:
        try:
            cells = el.cells(ballot)
            if len(nonces) != 32 * len(cells):
                raise ValueError("not one nonce per cell")
            for i in range(el.n):
                ones = 0
                for j in range(el.k):
                    A, B = cells[i * el.k + j]
                    r = dec_scalar(nonces[32 * (i * el.k + j):32 * (i * el.k + j) + 32])
                    if r == 0 or ec_mul(r, G) != A:
                        raise ValueError(f"cell ({i}, {j}) does not open with its nonce")
                    m = ec_add(B, ec_neg(ec_mul(r, el.K)))
                    if m not in (None, G):
                        raise ValueError(f"cell ({i}, {j}) holds neither 0 nor 1")
                    ones += m == G
                if ones != 1:
                    raise ValueError(f"row {i} does not hold exactly one 1")
            if ballot in cast or any(cell in cast for cell in el.cell_encodings(ballot)):
                raise ValueError("was also cast")
        except ValueError as e:
            problem = str(e)
    return problem


def key_fingerprint(key):
    return H("pingyi/v1/key-fingerprint", key)[:8].hex()


def tally_context(fp, cats):
    return lp(fp) + len(cats).to_bytes(4, "big") + b"".join(c.to_bytes(4, "big") for c in cats)


def group_categories(per_cat, k):
    """formats.md §7.1; None when nothing may be decrypted."""
    standing = [[c] for c, n in enumerate(per_cat) if n >= k]
    small = [c for c, n in enumerate(per_cat) if 0 < n < k]
    if not standing and sum(per_cat[c] for c in small) < k:
        return None
    if small:
        if sum(per_cat[c] for c in small) >= k:
            standing.append(small)
        else:
            target = min(standing, key=lambda g: (per_cat[g[0]], g[0]))
            target.extend(small)
            target.sort()
    standing.sort()
    return [{"ballots": sum(per_cat[c] for c in g), "categories": g} for g in standing]


_partial_cache = {}


def partial_problem(el, X, groups, box_set, partials, sums):
    """formats.md §9.5, protocol.md §12.1: every partial's proof against X_j. None if valid."""
    idx = 0
    for g, grp in enumerate(groups):
        base = tally_context(el.fp, grp["categories"]) + lp(box_set)
        for m in range(el.n):
            for o in range(el.k):
                A = sums[idx][0]
                part = partials[idx]
                key = (X, A, part["d"], part["proof"], base, m, o)
                if key not in _partial_cache:
                    try:
                        D = dec_point(bytes.fromhex(part["d"]))
                        proof = bytes.fromhex(part["proof"])
                        c, v = dec_scalar(proof[:32]), dec_scalar(proof[32:])
                        ctx = position_context(base, "partial", m, o)
                        a = ec_lin(v, G, Q - c, X)
                        b = ec_lin(v, A, Q - c, D)
                        ok = c == H_q("pingyi/v1/partial-decryption-proof", b"P256-SHA256", ctx, enc_point(X),
                                      enc_point(A), enc_point(D), enc_point(a), enc_point(b))
                    except ValueError:
                        ok = False
                    _partial_cache[key] = ok
                if not _partial_cache[key]:
                    return f"group {g}, member {m}, option {o}: the partial decryption proof fails"
                idx += 1
    return None


def trustee_public_share(body, j):
    """X_j = Σ_i Σ_l j^l·C_il (formats.md §2.4)."""
    X = None
    for member in body["trustees"]["members"]:
        for l, C in enumerate(member["commitments"]):
            X = ec_add(X, ec_mul(pow(j, l, Q), dec_point(bytes.fromhex(C))))
    return X


# Every check of docs/verifier-guide.md this auditor makes (some partly, PARTIAL says how);
# run_conformance.py compares only these and lists the others as not implemented.
IMPLEMENTED_CHECKS = [
    "package.format", "package.signature", "package.fingerprint", "box.read", "box.package", "box.open",
    "box.ballots", "box.signatures", "box.state", "box.close", "box.events", "box.codes", "ballots.proofs",
    "boxes.kiosks", "boxes.complete", "ballots.unique", "ballots.spoiled", "boxes.registered", "results.format",
    "results.election", "results.signature", "results.boxes", "results.attendance", "results.groups",
    "results.min_group", "results.aggregates", "results.trustees", "results.partials", "results.combination",
    "partial.file"]
PARTIAL = {
    "package.format": "only the members of the file and of the body (not every step of formats.md §2.3)",
    "results.format": "only the members of the file",
    "box.read": "storage classes, meta keys, meta.format and the schema version (not the size caps)",
    "partial.file": "the election, box set and proofs (not the canonical form of the file)",
}


def audit_record(package_path, box_paths, results_path=None, partial_paths=(), expect_fingerprint=None,
                 expect_devices=None):
    """The verdict of every check in IMPLEMENTED_CHECKS for one election record, as
    `pingyi verify` gives them (docs/verifier-guide.md §1): pass, fail, open, warn or absent."""
    rep = Report()
    package = load_package(package_path, rep)
    if expect_fingerprint is not None:
        given = re.sub(r"[\s-]", "", expect_fingerprint).lower()
        ok = package is not None and given in (package["fp"].hex(), package["fp"].hex()[:24])
        rep.verdicts["package.fingerprint"] = "pass" if ok else "fail"
    boxes = []
    if package is not None:
        el = Election(package)
        if el.body.get("trustees") is None:
            return _fill(rep)  # a 1-of-1 election: its key proof is not checked here
        for path in box_paths:
            box = audit_box_file(package, path, rep)
            if box is not None:
                boxes.append(box)
        for check in ("ballots.proofs", "boxes.kiosks", "boxes.complete", "ballots.unique", "ballots.spoiled"):
            rep.ran(check)
        # ballots.proofs (a box with more ballots than its kiosk's codes is not checked).
        for box in boxes:
            if len(box["bodies"]) > len(box["codes"]):
                rep.fail("ballots.proofs", f"kiosk {box['kiosk']}: more ballots than codes")
                continue
            for code, ballot in box["bodies"]:
                problem = ballot_problem(el, ballot)
                if problem:
                    rep.fail("ballots.proofs", f"ballots: {code} {problem}")
        kiosks = [b["kiosk"] for b in boxes]
        if len(set(kiosks)) != len(kiosks):
            rep.fail("boxes.kiosks", "boxes: two boxes claim the same kiosk")
        if set(range(1, el.kiosks + 1)) - set(kiosks):
            rep.fail("boxes.complete", "boxes: a kiosk's box is missing")
        # ballots.unique: no body, and no ciphertext, twice (the first repeat per ballot). A
        # ciphertext is compared as stored, 66 bytes in form 1 and 130 in form 2: both encodings
        # are canonical, so equal bytes are the same group element and conversely.
        seen = set()
        for box in boxes:
            for code, ballot in box["bodies"]:
                cells = el.cell_encodings(ballot) if len(ballot) == el.size else []
                if ballot in seen:
                    rep.fail("ballots.unique", f"ballots: {code} is a copy of another")
                seen.add(ballot)
                for cell in cells:
                    if cell in seen:
                        rep.fail("ballots.unique", f"ballots: {code} reuses another ballot's ciphertext")
                        break
                    seen.add(cell)
        cast_cells = seen
        # ballots.spoiled (formats.md §4.13): decodes, proofs, nonces open every cell, not cast.
        for box in boxes:
            for seq, ballot, nonces in box["spoiled"]:
                problem = spoiled_problem(el, ballot, nonces, cast_cells)
                if problem:
                    rep.fail("ballots.spoiled", f"kiosk {box['kiosk']} event #{seq}: checked ballot {problem}")
    # boxes.registered: printed whatever happened to the package (as pingyi verify does).
    if expect_devices is None:
        rep.verdicts["boxes.registered"] = "warn"
    else:
        given = {re.sub(r"[\s-]", "", d).lower() for d in expect_devices}
        ok = all(len(g) in (16, 64) for g in given) and all(
            key_fingerprint(b["device"]) in given or H("pingyi/v1/key-fingerprint", b["device"]).hex() in given
            or b["device"].hex() in given for b in boxes)
        rep.verdicts["boxes.registered"] = "pass" if ok else "fail"
    if package is not None and results_path is not None:
        audit_results(el, boxes, results_path, rep)
    if package is not None and boxes:
        for path in partial_paths:
            audit_partial_file(el, boxes, path, rep)
    return _fill(rep)


def _fill(rep):
    return {c: rep.verdicts.get(c, "absent") for c in IMPLEMENTED_CHECKS}


def box_set_of(el, boxes):
    ordered = sorted(boxes, key=lambda b: b["kiosk"])
    return H("pingyi/v1/box-set", el.fp, len(ordered).to_bytes(4, "big"),
             *[x for b in ordered for x in (b["kiosk"].to_bytes(4, "big"), b["close_hash"] or b"")])


def recomputed_groups(el, boxes):
    per_cat = [0] * el.categories
    for b in boxes:
        for _, ballot in b["bodies"]:
            c = int.from_bytes(ballot[:4], "big")
            if c < el.categories:
                per_cat[c] += 1
    return group_categories(per_cat, el.min_group)


def aggregate_sums(el, boxes, groups):
    """formats.md §7.2: S_gij over the group's ballots, group-major, member, option."""
    sums = []
    for grp in groups:
        ballots = [bal for b in boxes for _, bal in b["bodies"] if int.from_bytes(bal[:4], "big") in grp["categories"]]
        cells = [el.cells(bal) for bal in ballots]
        for x in range(el.n * el.k):
            s = (None, None)
            for c in cells:
                s = ct_add(s, c[x])
            sums.append(s)
    return sums


def audit_results(el, boxes, path, rep):
    """formats.md §7.3, §7.4, §9.6: results.format … results.combination."""
    with open(path, "rb") as f:
        try:
            file = json.loads(f.read())
            ok = isinstance(file, dict) and set(file) == {"body", "signature"} and isinstance(file["body"], dict)
        except ValueError:
            ok = False
    if not ok:
        rep.fail("results.format", "results: not a results file with exactly body and signature")
        return
    body = file["body"]
    if body.get("election") != el.fp.hex():
        rep.fail("results.election", "results: another election's results")
        return
    if not ed25519_verify(bytes.fromhex(el.body["admin_public_key"]),
                          lp(b"pingyi/v1/results-signature") + lp(canonical(body)), bytes.fromhex(file["signature"])):
        rep.fail("results.signature", "results: the admin signature does not verify")
        return
    rep.ran("results.signature")
    # results.boxes: exactly the boxes given, each closed, with its close hash and counts.
    named = {b["kiosk"]: b for b in body["boxes"]}
    ok = len(body["boxes"]) == len(boxes) and all(
        b["closed"] and b["kiosk"] in named and named[b["kiosk"]]["device_public_key"] == b["device"].hex()
        and named[b["kiosk"]]["close_hash"] == b["close_hash"].hex() and named[b["kiosk"]]["ballots"] == len(b["bodies"])
        and named[b["kiosk"]].get("spoiled", 0) == len(b["spoiled"]) for b in boxes)
    rep.verdicts["results.boxes"] = "pass" if ok else "fail"
    issued = [0] * el.categories
    for c in el.body["codes"]:
        issued[c["category"]] += 1
    used = [0] * el.categories
    for b in boxes:
        for cat, u in b["codes"].values():
            if u and cat < el.categories:
                used[cat] += 1
    ok = body["attendance"] == [{"issued": i, "used": u} for i, u in zip(issued, used)]
    rep.verdicts["results.attendance"] = "pass" if ok else "fail"
    groups = recomputed_groups(el, boxes)
    rep.verdicts["results.groups"] = "pass" if groups == body["groups"] else "fail"
    rep.verdicts["results.min_group"] = "pass" if all(g["ballots"] >= el.min_group for g in body["groups"]) else "fail"
    if groups != body["groups"]:
        return
    sums = aggregate_sums(el, boxes, groups)
    aggs = body["aggregates"]
    complete = len(aggs) == len(sums) and all(
        (a["group"], a["member"], a["option"]) == (x // (el.n * el.k), x % (el.n * el.k) // el.k, x % el.k)
        for x, a in enumerate(aggs))
    ok = complete and all(a["sum"] == (enc_point(s[0]) + enc_point(s[1])).hex() for a, s in zip(aggs, sums))
    rep.verdicts["results.aggregates"] = "pass" if ok else "fail"
    if not complete:
        return
    # The trustees (results.decryption, a 1-of-1 election, is not implemented here).
    k = el.body["trustees"]["threshold"]
    members = {m["index"] for m in el.body["trustees"]["members"]}
    parts = body.get("trustees", [])
    indices = [p["trustee"] for p in parts]
    if len(set(indices)) != len(indices) or not set(indices) <= members or len(indices) < k:
        rep.verdicts["results.trustees"] = "fail"
        return
    rep.verdicts["results.trustees"] = "pass"
    published = [(dec_point(bytes.fromhex(a["sum"])[:33]), dec_point(bytes.fromhex(a["sum"])[33:])) for a in aggs]
    box_set = box_set_of(el, boxes)
    for p in parts:
        problem = ("binds another election, boxes or groups" if p["election"] != el.fp.hex()
                   or p["boxes"] != box_set.hex() or p["groups"] != groups or len(p["partials"]) != len(aggs)
                   else partial_problem(el, trustee_public_share(el.body, p["trustee"]), groups, box_set,
                                        p["partials"], published))
        if problem:
            rep.fail("results.partials", f"results: trustee {p['trustee']}: {problem}")
            return
    rep.ran("results.partials")
    # results.combination: B − Σ λ_j·D_j = count·G (protocol.md §12.2).
    lam = {}
    for j in indices:
        num = den = 1
        for l in indices:
            if l != j:
                num, den = num * l % Q, den * (l - j) % Q
        lam[j] = num * pow(den, -1, Q) % Q
    ok = True
    for x, a in enumerate(aggs):
        M = published[x][1]
        for p in parts:
            M = ec_add(M, ec_neg(ec_mul(lam[p["trustee"]], dec_point(bytes.fromhex(p["partials"][x]["d"])))))
        if M != (ec_mul(a["count"], G) if a["count"] else None):
            ok = False
            break
    rep.verdicts["results.combination"] = "pass" if ok else "fail"


def audit_partial_file(el, boxes, path, rep):
    """formats.md §9.5 (pingyi verify --partial): one trustee's partial decryption file."""
    with open(path, "rb") as f:
        p = json.loads(f.read())
    groups = recomputed_groups(el, boxes)
    box_set = box_set_of(el, boxes)
    sums = aggregate_sums(el, boxes, groups) if groups else []
    if (p.get("election") != el.fp.hex() or p.get("boxes") != box_set.hex() or p.get("groups") != groups
            or p.get("trustee") not in {m["index"] for m in el.body["trustees"]["members"]}
            or len(p.get("partials", [])) != len(sums)):
        rep.fail("partial.file", f"{path}: binds another election, boxes or groups")
        return
    problem = partial_problem(el, trustee_public_share(el.body, p["trustee"]), groups, box_set, p["partials"], sums)
    if problem:
        rep.fail("partial.file", f"{path}: {problem}")
    else:
        rep.ran("partial.file")


def audit_sample(root, sample):
    """A sample of tests/conformance/expected.json (paths relative to `root`)."""
    at = lambda p: os.path.join(root, p)  # noqa: E731
    return audit_record(at(sample["package"]), [at(b) for b in sample["boxes"]],
                        at(sample["results"]) if "results" in sample else None,
                        [at(p) for p in sample["partials"]], sample["expect_fingerprint"], sample["expect_devices"])


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    failures, tracking, n_ballots, n_events, closed = audit(sys.argv[1], sys.argv[2])
    for f in failures:
        print("FAIL", f)
    if "--tracking-codes" in sys.argv[3:]:
        for t in tracking:
            print(t)
    if failures:
        sys.exit(1)
    print(f"OK {n_ballots} ballots, {n_events} events, closed={closed}")
    if not closed:
        sys.exit(2)


if __name__ == "__main__":
    main()
