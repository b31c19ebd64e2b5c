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
Ballot proofs are not checked here (tests/vectors/make_vectors.py cross-checks the proofs).
Prints one line per failure and exits 1 if there is any. Otherwise prints "OK …" and exits 0,
or 2 when the box has no close seal (an open poll: checked as far as it goes, not final),
as `pingyi verify` does.
"""

import hashlib
import json
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
        fail(f"box: {wrong} rows hold a value that is not of its column's storage class")
        return failures, [], 0, 0, False
    meta = dict(db.execute("SELECT key, value FROM meta"))
    if bytes(meta.get("format", b"")) != b"pingyi-ballot-box":
        fail("box: meta.format is not pingyi-ballot-box")
    if db.execute("PRAGMA user_version").fetchone()[0] != 3:
        fail("box: not schema version 3")
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

    # Ballots (§4.5): each under its own hash b = H(ballot; fp, be32(kiosk), body), each signed.
    kiosk4 = kiosk.to_bytes(4, "big")
    ballots = db.execute("SELECT hash, body, signature FROM ballots ORDER BY hash").fetchall()
    ballots_per_cat = {}
    tracking = []
    hashes = []
    for h, bbody, sig in ballots:
        h, bbody, sig = bytes(h), bytes(bbody), bytes(sig)
        code = tracking_code(h)
        if H("pingyi/v1/ballot", fp, kiosk4, bbody) != h:
            fail(f"ballots: {code} is not stored under the hash of its content")
        if not ed25519_verify(device, lp(b"pingyi/v1/ballot-signature") + lp(h), sig):
            fail(f"ballots: {code} is not signed by the device key")
        cat = int.from_bytes(bbody[:4], "big")
        ballots_per_cat[cat] = ballots_per_cat.get(cat, 0) + 1
        tracking.append(code)
        hashes.append(h)
    hashes.sort()
    ballot_set = H("pingyi/v1/ballot-set", fp, kiosk4, len(hashes).to_bytes(4, "big"), *hashes)

    # Seals (§4.5): open, state, close, each signed over s = H(seal; fp, be32(kiosk), kind, body).
    seals = {kind: (bytes(sbody), bytes(sig)) for kind, sbody, sig in db.execute("SELECT kind, body, signature FROM seals")}
    for kind, (sbody, sig) in seals.items():
        s_hash = H("pingyi/v1/seal", fp, kiosk4, kind.encode(), sbody)
        if not ed25519_verify(device, lp(b"pingyi/v1/seal-signature") + lp(s_hash), sig):
            fail(f"seals: the {kind} seal is not signed by the device key")
    if "open" not in seals:
        fail("seals: no open seal")
    else:
        o = canonical_object(seals["open"][0], {"device_public_key", "election", "kiosk", "software"})
        if o is None or not isinstance(o["software"], str):
            fail("seals: the open seal is not canonical JSON with exactly its members")
        elif o["election"] != fp.hex() or o["kiosk"] != kiosk or o["device_public_key"] != device.hex():
            fail("seals: the open seal names another election, kiosk or device key")
    state = canonical_object(seals["state"][0], {"ballots", "set"}) if "state" in seals else None
    if state is None:
        fail("seals: no state seal, or not canonical JSON with exactly its members")
    elif state["ballots"] != len(hashes) or state["set"] != ballot_set.hex():
        fail("seals: the signed state does not match the ballots present")

    used_per_cat = {}
    for cat, used in rows.values():
        if used:
            used_per_cat[cat] = used_per_cat.get(cat, 0) + 1
    if used_per_cat != ballots_per_cat:
        fail(f"codes: used codes {used_per_cat} differ from ballots {ballots_per_cat}")

    # The close seal, then the events (§4.10) and what the close seal pins.
    closed = "close" in seals
    close = None
    if closed:
        close = canonical_object(seals["close"][0], {"ballots", "events", "events_head", "set"})
        if close is None or not (u32(close["ballots"]) and u32(close["events"]) and
                                 digest_hex(close["events_head"]) and digest_hex(close["set"])):
            fail("close: the close seal is not canonical JSON with exactly its members")
            close = None
        elif close["ballots"] != len(hashes) or close["set"] != ballot_set.hex():
            fail("close: count or set does not match")

    events = db.execute("SELECT seq, body, hash, signature FROM events ORDER BY seq").fetchall()
    eprev = fp
    heads = []
    poll_closed = []
    for i, (seq, ebody, h, sig) in enumerate(events):
        ebody, h, sig = bytes(ebody), bytes(h), bytes(sig)
        if seq != i:
            fail(f"events: #{i} out of sequence")
        if H("pingyi/v1/event", eprev, seq.to_bytes(4, "big"), ebody) != h:
            fail(f"events: #{i} does not chain")
        if not ed25519_verify(device, lp(b"pingyi/v1/event-signature") + lp(h), sig):
            fail(f"events: #{i} is not signed by the device key")
        heads.append(h)
        eprev = h
        e = canonical_object(ebody)
        if e is None:
            fail(f"events: #{i} is not a JSON object in canonical form")
            continue
        problem = event_problem(e, kiosk, close)
        if problem:
            fail(f"events: #{i} {problem}")
        if (i == 0) != (e.get("event") == "poll_opened"):
            fail(f"events: #{i}: the log must start with poll_opened, once")
        if e.get("event") == "poll_closed":
            poll_closed.append(i)
    if not events:
        fail("events: the log is empty")

    if closed:
        n = close["events"] if close else 0
        if not (0 < n <= len(heads)) or heads[n - 1].hex() != close["events_head"]:
            fail("events: the event log differs from the one the close seal pinned")
        elif poll_closed != [n - 1]:
            fail("events: the log must have exactly one poll_closed, the last pinned event")
    elif poll_closed:
        fail("events: the log has poll_closed but the box has no close seal")
    return failures, tracking, len(ballots), len(events), closed


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
