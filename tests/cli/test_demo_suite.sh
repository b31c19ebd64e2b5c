#!/usr/bin/env bash
# The demo meeting in the 国密 suite: `pingyi demo --suite SM2-SM3` runs the whole meeting
# (trustees' key ceremony, voting, verification, the trustees' tally, reports) and passes its
# checks; every file is of the SM2-SM3 suite, `pingyi verify` passes on them, and a ballot
# box of this election is refused against a P256-SHA256 package, naming the suites.
set -euo pipefail
export LC_ALL=C.UTF-8
PINGYI="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$PINGYI" demo --suite SM2-SM3 --out "$work/sm2" > "$work/sm2.log" 2>&1 \
  || fail "the SM2-SM3 demo failed: $(tail -5 "$work/sm2.log")"
grep -q "ALL CHECKS PASSED" "$work/sm2.log" || fail "the SM2-SM3 demo did not pass its checks"
d="$work/sm2"
grep -q '"suite": "SM2-SM3"' "$d/election.pyp" || fail "the demo's package is not of the SM2-SM3 suite"
grep -q '"suite": *"SM2-SM3"' "$d/results.json" || fail "the demo's results do not name the SM2-SM3 suite"
grep -q '"suite": *"SM2-SM3"' "$d/ceremony/ceremony.json" || fail "the demo's ceremony does not name its suite"
# Key files: suite byte 2 (formats.md §5).
[ "$(od -An -tu1 -j9 -N1 "$d/admin-key.pyk" | tr -d ' ')" = 2 ] || fail "the admin key file is not of suite 2"
[ "$(od -An -tu1 -j9 -N1 "$d/ceremony/trustee-1.pyk" | tr -d ' ')" = 2 ] || fail "a trustee key file is not of suite 2"
"$PINGYI" election show "$d/election.pyp" | grep -q "SM2-SM3" || fail "election show does not name the suite"
"$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --results "$d/results.json" > "$work/ok.log" \
  || fail "verify failed on the honest SM2-SM3 files: $(grep '^FAIL' "$work/ok.log")"

# A P256-SHA256 election of the same definition: the SM2-SM3 box is refused against it.
A="$(dirname "$0")/../../assets/demo"
PW=p256-passphrase-2026 "$PINGYI" election create --config "$A/election.json" --roster "$A/roster.csv" \
  --out "$work/p256" --passphrase-env PW > "$work/p256.log" || fail "election create (P256-SHA256) failed"
grep -q "P256-SHA256" "$work/p256.log" || fail "election create does not name its suite"
if "$PINGYI" verify --package "$work/p256/election.pyp" --box "$d/kiosk1.sqlite" > "$work/mixed.log" 2>&1; then
  fail "an SM2-SM3 box verified against a P256-SHA256 package"
fi
grep -q "^FAIL.*box.read.*SM2-SM3.*P256-SHA256" "$work/mixed.log" \
  || fail "the refusal does not name the suites: $(grep box.read "$work/mixed.log")"
# An unknown suite is refused by the console before anything is made.
if "$PINGYI" election create --config "$A/election.json" --roster "$A/roster.csv" --out "$work/x" \
  --suite SM9 > /dev/null 2>&1; then
  fail "--suite SM9 was accepted"
fi
echo "PASS: the SM2-SM3 demo meeting, verify, and the refusal of a box of the other suite"
