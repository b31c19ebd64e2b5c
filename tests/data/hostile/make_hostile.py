#!/usr/bin/env python3
"""Hostile files for `pingyi verify` (docs/threat-model.md, "Hostile input").

Made from the fixed package tests/fuzz/data/package.pyp (its secret keys are not needed: a
hostile voter or box only has public data). The files are committed; this script records how
they were made and remakes them:

    python3 tests/data/hostile/make_hostile.py

- results-nested.json      the demo results with one body member of 200,000 nested arrays
- package-nested-election.pyp  the package with such a member inside `election`
- package-nested-code.pyp      the package with such a member inside a `codes` entry
- box-event-nested.sqlite  a box whose event 1 body is a code_rejected event with one member
                           of 200,000 nested arrays
- box-plain.sqlite         a box of this package with no ballot (unsigned, schema 3): the --box that
                           goes with the nested results and packages
- box-identity-row.sqlite  a box of one ballot whose cells' nonces cancel across every row
                           (r and -r): each cell's 0/1 proof is valid, the row sum's A is the
                           identity
- box-identity-quota.sqlite  a box of one ballot whose quota column's nonces cancel: rows and
                           cells are valid, the quota sum's A is the identity

The two identity boxes of schema 3 were converted from their schema-2 files (the open record
moved to `seals`, the ballot record to `ballots`, `records` dropped): crafted_ballot no longer
runs against make_vectors.prove_range, so `--no-ballots` remakes the other files only.
"""
import json
import os
import secrets
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "vectors"))
from make_vectors import G, Q, add, enc_point, enc_scalar, encrypt, lp, mul, prove_dleq, prove_range  # noqa: E402

PACKAGE = os.path.join(HERE, "..", "..", "fuzz", "data", "package.pyp")
RESULTS = os.path.join(HERE, "..", "..", "fuzz", "corpus", "results", "demo.json")
DEPTH = 200_000
NESTED = "[" * DEPTH + "]" * DEPTH

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE codes(hash BLOB PRIMARY KEY, category INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE ballots(hash BLOB PRIMARY KEY, body BLOB NOT NULL, signature BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE seals(kind TEXT PRIMARY KEY CHECK(kind IN ('open','state','close')), body BLOB NOT NULL,
                   signature BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE events(seq INTEGER PRIMARY KEY, body BLOB NOT NULL, hash BLOB NOT NULL, signature BLOB NOT NULL);
"""


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def with_nested(text, path_to_object):
    """Inserts "zz": NESTED as the last member of the object reached by path (json text)."""
    obj = json.loads(text)
    target = obj
    for key in path_to_object:
        target = target[key]
    target["zz"] = "@NESTED@"
    return json.dumps(obj, ensure_ascii=False, indent=1).replace('"@NESTED@"', NESTED) + "\n"


def rand():
    return secrets.randbelow(Q - 1) + 1


def fingerprint(body_text):
    import hashlib
    return hashlib.sha256(lp(b"pingyi/v1/election-fingerprint") + lp(body_text.encode())).digest()


def position_context(base, kind, i, j):
    return lp(base) + lp(kind.encode()) + i.to_bytes(4, "big") + j.to_bytes(4, "big")


def crafted_ballot(pkg, cancel_rows):
    """One ballot of category 0: every row votes option 1. With cancel_rows the nonces of
    each row sum to 0; otherwise the nonces of the quota column sum to 0."""
    body = pkg["body"]
    e = body["election"]
    # Decompress K (SEC1): y² = x³ − 3x + b.
    from make_vectors import B as CB, P
    raw = bytes.fromhex(body["public_key"])
    x = int.from_bytes(raw[1:], "big")
    y = pow((x * x * x - 3 * x + CB) % P, (P + 1) // 4, P)
    if y % 2 != raw[0] - 2:
        y = P - y
    K = (x, y)
    rows, cols = len(e["roster"]), len(e["options"])
    qcol, qmax = e["quota"]["option"], e["quota"]["max"]
    fp = fingerprint(canonical(body))
    base = lp(fp) + (0).to_bytes(4, "big")
    r = [[rand() for _ in range(cols)] for _ in range(rows)]
    if cancel_rows:
        for i in range(rows):
            r[i][cols - 1] = (-sum(r[i][:cols - 1])) % Q
    else:
        r[rows - 1][qcol] = (-sum(r[i][qcol] for i in range(rows - 1))) % Q
    cells, cell_proofs, row_proofs = [], [], []
    for i in range(rows):
        for j in range(cols):
            m = 1 if j == 1 else 0
            ct = encrypt(K, m, r[i][j])
            draws = [rand() for _ in range(3)]
            c, v = prove_range(K, ct, m, r[i][j], 1, position_context(base, "cell", i, j), draws)
            cells.append(ct)
            cell_proofs.append(b"".join(enc_scalar(s) for s in c + v))
        ra = sum(r[i]) % Q
        if ra == 0:
            row_proofs.append(enc_scalar(rand()) + enc_scalar(rand()))  # cannot be proved: A is the identity
        else:
            row = cells[i * cols:(i + 1) * cols]
            A = B = None
            for ct in row:
                A, B = add(A, ct[0]), add(B, ct[1])
            c, v = prove_dleq("pingyi/v1/constant-proof", K, G, K, [A, B, enc_scalar(1)], ra, rand(),
                              position_context(base, "row", i, 0))
            row_proofs.append(enc_scalar(c) + enc_scalar(v))
    quota = b"".join(enc_scalar(rand()) for _ in range(2 * (qmax + 1)))  # never reached validly
    grid = b"".join(enc_point(a) + enc_point(b) for a, b in cells) + b"".join(cell_proofs) + b"".join(row_proofs)
    return (0).to_bytes(4, "big") + grid + quota


def write_box(path, package_text, ballot=None, nested_event=False):
    if os.path.exists(path):
        os.remove(path)
    pkg = json.loads(package_text)
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    db.execute("PRAGMA user_version=3")
    device = secrets.token_bytes(32)
    for k, v in (("format", b"pingyi-ballot-box"), ("package", package_text.encode()), ("kiosk", (1).to_bytes(4, "big")),
                 ("device_public_key", device)):
        db.execute("INSERT INTO meta VALUES(?, ?)", (k, v))
    fp = fingerprint(canonical(pkg["body"]))
    for c in pkg["body"]["codes"]:
        db.execute("INSERT INTO codes VALUES(?, ?, 0)", (bytes.fromhex(c["hash"]), c["category"]))
    opened = canonical({"device_public_key": device.hex(), "election": fp.hex(), "kiosk": 1, "software": "hostile"})
    db.execute("INSERT INTO seals VALUES('open', ?, ?)", (opened.encode(), bytes(64)))
    if ballot:
        db.execute("INSERT INTO ballots VALUES(?, ?, ?)", (bytes(32), ballot, bytes(64)))
    events = [canonical({"event": "poll_opened", "kiosk": 1, "time": "2026-11-28T11:48:56Z"}).encode()]
    if nested_event:
        # A known event whose body passes the first checks, with one member of NESTED: the
        # verifier canonicalised it to compare with the stored text.
        events.append(('{"event":"code_rejected","reason":"unknown","time":"2026-11-28T11:48:57Z","zz":'
                       + NESTED + '}').encode())
    for seq, body in enumerate(events):
        db.execute("INSERT INTO events VALUES(?, ?, ?, ?)", (seq, body, bytes(32), bytes(64)))
    db.commit()
    db.close()


def main():
    package_text = open(PACKAGE, encoding="utf-8").read()
    pkg = json.loads(package_text)
    out = lambda name: os.path.join(HERE, name)  # noqa: E731
    with open(out("results-nested.json"), "w", encoding="utf-8") as f:
        f.write(with_nested(open(RESULTS, encoding="utf-8").read(), ["body"]))
    with open(out("package-nested-election.pyp"), "w", encoding="utf-8") as f:
        f.write(with_nested(package_text, ["body", "election"]))
    with open(out("package-nested-code.pyp"), "w", encoding="utf-8") as f:
        f.write(with_nested(package_text, ["body", "codes", 0]))
    write_box(out("box-event-nested.sqlite"), package_text, nested_event=True)
    write_box(out("box-plain.sqlite"), package_text)
    if "--no-ballots" not in sys.argv:  # the crafted ballots take a minute in pure Python
        write_box(out("box-identity-row.sqlite"), package_text, ballot=crafted_ballot(pkg, cancel_rows=True))
        write_box(out("box-identity-quota.sqlite"), package_text, ballot=crafted_ballot(pkg, cancel_rows=False))


if __name__ == "__main__":
    main()
