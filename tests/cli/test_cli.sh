#!/usr/bin/env bash
# The console tool end to end: the demo meeting, then `pingyi verify` on its files passes,
# and on a tampered copy fails with a non-zero exit code naming the broken check.
set -euo pipefail
PINGYI="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$PINGYI" demo --out "$work/demo" > "$work/demo.log" || fail "the demo failed: $(tail -5 "$work/demo.log")"
grep -q "ALL CHECKS PASSED" "$work/demo.log" || fail "the demo did not pass its checks"
for f in election.pyp code-slips.pdf kiosk1.sqlite results.json results.xlsx tally-sheet.pdf notification-letters.pdf; do
  [ -s "$work/demo/$f" ] || fail "the demo did not write $f"
done
# The demo's slips hold 22 codes; the secret keys are owner-only.
[ "$(stat -c %a "$work/demo/election-key.pyk")" = 600 ] || fail "the election key file is not owner-only"

d="$work/demo"
"$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --results "$d/results.json" > "$work/ok.log" \
  || fail "verify failed on the honest files"
[ "$(grep -c '^PASS' "$work/ok.log")" -ge 19 ] || fail "verify printed fewer than 19 PASS lines"

# The event log: listed for auditors, and a deleted event is caught.
"$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --events > "$work/ev.log" || fail "verify --events failed"
grep -q '^PASS  box.events' "$work/ev.log" || fail "verify did not pass box.events"
grep -q '"event":"poll_opened"' "$work/ev.log" || fail "the event list lacks poll_opened"
grep -q '"event":"poll_closed"' "$work/ev.log" || fail "the event list lacks poll_closed"
grep -q '"reason":"unknown"' "$work/ev.log" || fail "the demo's wrong code is not in the event log"
cp "$d/kiosk1.sqlite" "$work/ev-tampered.sqlite"
sqlite3 "$work/ev-tampered.sqlite" "DELETE FROM events WHERE seq = 1"
if "$PINGYI" verify --package "$d/election.pyp" --box "$work/ev-tampered.sqlite" > "$work/ev-bad.log"; then
  fail "verify passed a box with a deleted event"
fi
grep -q '^FAIL  box.events' "$work/ev-bad.log" || fail "verify did not name box.events"

# An independent auditor written from docs/formats.md alone (Python, its own Ed25519) agrees:
# the files pass, the tracking codes are the same, and each kind of tampering is refused.
AUDIT="$(dirname "$0")/../vectors/audit_box.py"
python3 "$AUDIT" "$d/election.pyp" "$d/kiosk1.sqlite" --tracking-codes > "$work/audit.log" \
  || fail "the independent auditor refused the honest box: $(grep FAIL "$work/audit.log" | head -3)"
grep -qE '^OK [0-9]+ records, [0-9]+ events, [0-9]+ ballots, closed=True' "$work/audit.log" || fail "the auditor said no OK"
"$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --tracking-codes \
  | grep -oE '\b[2-9A-Z]{4}-[2-9A-Z]{4}\b' | sort > "$work/track-cpp"
grep -E '^[2-9A-Z]{4}-[2-9A-Z]{4}$' "$work/audit.log" | sort > "$work/track-py"
[ -s "$work/track-py" ] && cmp -s "$work/track-cpp" "$work/track-py" || fail "tracking codes differ between pingyi and the auditor"
python3 "$AUDIT" "$d/election.pyp" "$work/ev-tampered.sqlite" > "$work/audit-ev.log" && fail "the auditor passed a deleted event"
grep -q "FAIL events" "$work/audit-ev.log" || fail "the auditor did not name the event log"
cp "$d/kiosk1.sqlite" "$work/sig-tampered.sqlite"
sqlite3 "$work/sig-tampered.sqlite" "UPDATE events SET signature = zeroblob(64) WHERE seq = 0"
python3 "$AUDIT" "$d/election.pyp" "$work/sig-tampered.sqlite" > "$work/audit-sig.log" && fail "the auditor passed a zeroed signature"
grep -q "not signed by the device key" "$work/audit-sig.log" || fail "the auditor did not name the signature"

cp "$d/kiosk1.sqlite" "$work/tampered.sqlite"
sqlite3 "$work/tampered.sqlite" "DELETE FROM records WHERE seq = 3"
if "$PINGYI" verify --package "$d/election.pyp" --box "$work/tampered.sqlite" --results "$d/results.json" > "$work/bad.log"; then
  fail "verify passed a box with a deleted ballot"
fi
grep -q '^FAIL  box.chain' "$work/bad.log" || fail "verify did not name box.chain"
python3 "$AUDIT" "$d/election.pyp" "$work/tampered.sqlite" > "$work/audit-rec.log" && fail "the auditor passed a deleted ballot"
grep -q "FAIL records" "$work/audit-rec.log" || fail "the auditor did not name the record chain"
grep -q '^FAIL  results.boxes' "$work/bad.log" || fail "verify did not name results.boxes"

sed 's/"count": 15/"count": 16/' "$d/results.json" > "$work/results-bad.json"
cmp -s "$d/results.json" "$work/results-bad.json" && sed -i '0,/"count": \([0-9]*\)/s//"count": 99/' "$work/results-bad.json"
if "$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --results "$work/results-bad.json" > "$work/bad2.log"; then
  fail "verify passed results with a changed count"
fi
grep -q '^FAIL  results.signature' "$work/bad2.log" || fail "verify did not name results.signature"

# Tally with a wrong passphrase: a clear error, nothing written.
if PW=wrong-passphrase "$PINGYI" tally --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --key "$d/election-key.pyk" \
     --admin-key "$d/admin-key.pyk" --out "$work/tally" --passphrase-env PW > "$work/t.log" 2> "$work/t.err"; then
  fail "tally accepted a wrong passphrase"
fi
grep -q "passphrase" "$work/t.err" || fail "tally did not say the passphrase was wrong"
[ ! -e "$work/tally/results.json" ] || fail "tally wrote results despite the wrong passphrase"

# election create: keys and slips owner-only; a second create into the same folder is refused
# and leaves the first election's files as they were (never overwrite a key in use).
A="$(dirname "$0")/../../assets/demo"
PW=correct-horse-battery "$PINGYI" election create --config "$A/election.json" --roster "$A/roster.csv" \
  --out "$work/e1" --passphrase-env PW > "$work/c1.log" 2>&1 || fail "election create failed: $(tail -3 "$work/c1.log")"
for f in election-key.pyk admin-key.pyk code-slips.pdf; do
  [ "$(stat -c %a "$work/e1/$f")" = 600 ] || fail "$f is not owner-only"
done
[ "$(stat -c %a "$work/e1/election.pyp")" != 600 ] || fail "the public package should keep default permissions"
sum1=$(cat "$work/e1"/* | sha256sum)
if PW=correct-horse-battery "$PINGYI" election create --config "$A/election.json" --roster "$A/roster.csv" \
     --out "$work/e1" --passphrase-env PW > "$work/c2.log" 2>&1; then
  fail "a second election create overwrote the first"
fi
grep -q "output.exists" "$work/c2.log" || fail "the refusal did not name output.exists"
[ "$(cat "$work/e1"/* | sha256sum)" = "$sum1" ] || fail "the refused create changed the first election's files"
echo "cli: 1 passed, 0 failed"
