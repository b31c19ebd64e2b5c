#!/usr/bin/env python3
"""Runs verifiers on the conformance samples and compares every check's verdict with
expected.json (docs/verifier-guide.md, "The samples as a test suite").

Usage:
  run_conformance.py [--dir DIR] [--pingyi PATH] [--auditor]

  --pingyi PATH  run `PATH verify` on every sample (flags from the sample's entry)
  --auditor      run the independent Python auditor tests/vectors/audit_box.py on every sample;
                 the checks it does not implement are listed, never counted as passed
Exits 1 if any verdict differs, naming the sample, the check, the verdict expected and got.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LINE = re.compile(r"^(PASS|FAIL|WARN|OPEN)  (\S+)")
RANK = {"absent": 0, "pass": 1, "warn": 2, "open": 2, "fail": 3}


def pingyi_verdicts(pingyi, root, sample, checks):
    """The verdict of each check in `pingyi verify`'s output: a check printed on several
    lines (one per box) fails if any of them fails."""
    cmd = [pingyi, "verify", "--package", os.path.join(root, sample["package"])]
    for b in sample["boxes"]:
        cmd += ["--box", os.path.join(root, b)]
    if "results" in sample:
        cmd += ["--results", os.path.join(root, sample["results"])]
    for p in sample["partials"]:
        cmd += ["--partial", os.path.join(root, p)]
    cmd += ["--expect-fingerprint", sample["expect_fingerprint"]]
    for d in sample["expect_devices"]:
        cmd += ["--expect-device", d]
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    run = subprocess.run(cmd, capture_output=True, text=True, env=env)
    got = {c: "absent" for c in checks}
    for line in run.stdout.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        verdict = m.group(1).lower()
        cid = m.group(2)
        if RANK[verdict] > RANK[got.get(cid, "absent")]:
            got[cid] = verdict
    failed = any(v == "fail" for v in got.values())
    # The exit code agrees with the lines: 1 when a check failed, else 0 (2: an open box).
    if (run.returncode == 1) != failed or run.returncode not in (0, 1, 2):
        got["(exit code)"] = f"{run.returncode} with {'a' if failed else 'no'} FAIL line"
    return got


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=HERE)
    ap.add_argument("--pingyi")
    ap.add_argument("--auditor", action="store_true")
    args = ap.parse_args()
    with open(os.path.join(args.dir, "expected.json"), encoding="utf-8") as f:
        expected = json.load(f)
    checks = expected["checks"]
    verifiers = []
    if args.pingyi:
        verifiers.append(("pingyi verify", lambda s: pingyi_verdicts(args.pingyi, args.dir, s, checks), set(checks)))
    if args.auditor:
        sys.path.insert(0, os.path.join(HERE, "..", "vectors"))
        import audit_box
        verifiers.append(("audit_box.py", lambda s: audit_box.audit_sample(args.dir, s),
                          set(audit_box.IMPLEMENTED_CHECKS)))
        missing = [c for c in checks if c not in audit_box.IMPLEMENTED_CHECKS]
        print(f"audit_box.py does not implement {len(missing)} of {len(checks)} checks (not compared): "
              + ", ".join(missing))
        for cid, how in audit_box.PARTIAL.items():
            print(f"audit_box.py checks {cid} only partly: {how}")
    if not verifiers:
        sys.exit("nothing to run: give --pingyi PATH and/or --auditor")

    mismatches = 0
    for name, run, implemented in verifiers:
        t0 = time.monotonic()
        compared = 0
        skipped = []
        for sample in expected["samples"]:
            # A verifier cannot be expected to see a fault only a check it lacks would see.
            blind = [c for c, v in sample["verdicts"].items() if v == "fail" and c not in implemented]
            if blind:
                skipped.append(f"{sample['name']} (needs {', '.join(blind)})")
                continue
            got = run(sample)
            for cid in checks:
                if cid not in implemented:
                    continue
                want = sample["verdicts"][cid]
                compared += 1
                if got.get(cid, "absent") != want:
                    mismatches += 1
                    print(f"MISMATCH {name}: sample {sample['name']}: {cid} expected {want}, got {got.get(cid, 'absent')}")
            for extra in sorted(set(got) - set(checks)):
                if got[extra] != "absent":
                    mismatches += 1
                    print(f"MISMATCH {name}: sample {sample['name']}: unexpected line {extra}: {got[extra]}")
        print(f"{name}: {len(expected['samples']) - len(skipped)} samples, {compared} verdicts compared "
              f"in {time.monotonic() - t0:.1f} s")
        if skipped:
            print(f"{name}: not run on {len(skipped)} samples: " + "; ".join(skipped))
    if mismatches:
        print(f"FAILED: {mismatches} verdicts differ from expected.json")
        sys.exit(1)
    print("conformance: every verdict is the expected one")


if __name__ == "__main__":
    main()
