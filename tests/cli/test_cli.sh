#!/usr/bin/env bash
# The console tool end to end: the demo meeting, then `pingyi verify` on its files passes,
# and on a tampered copy fails with a non-zero exit code naming the broken check.
set -euo pipefail
# The check lines follow the environment's language: English here unless a step asks for Chinese.
export LC_ALL=C.UTF-8
PINGYI="$1"
TEST_CORE="${2:-}"  # test_core, which writes the re-signed altered boxes (optional)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$PINGYI" demo --out "$work/demo" > "$work/demo.log" || fail "the demo failed: $(tail -5 "$work/demo.log")"
grep -q "ALL CHECKS PASSED" "$work/demo.log" || fail "the demo did not pass its checks"
for f in election.pyp code-slips.pdf kiosk1.sqlite results.json results.xlsx tally-sheet.pdf notification-letters.pdf \
  tracking-codes.pdf tracking-codes.txt; do
  [ -s "$work/demo/$f" ] || fail "the demo did not write $f"
done
# The demo's election is keyed by 3 trustees (2 decrypt, 1 absent): no election key file
# exists; each trustee's key file is owner-only.
[ ! -e "$work/demo/election-key.pyk" ] || fail "a trustees' election wrote a single election key"
[ "$(stat -c %a "$work/demo/ceremony/trustee-2.pyk")" = 600 ] || fail "a trustee's key file is not owner-only"
grep -q "with trustee 1 alone: .*tally.too_few_trustees" "$work/demo.log" || fail "one trustee alone was not refused"

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

# In Chinese (--lang zh, or a Chinese environment) every check line reads in Chinese: no
# English word is left once the file names and the hex groups of fingerprints are taken out.
check_chinese() {  # log
  grep -E '^(PASS|FAIL|WARN|OPEN)  ' "$1" | sed -E 's/^(PASS|FAIL|WARN|OPEN)  [a-z._]+ +//; s/[A-Za-z0-9_.-]+\.sqlite//g; s/\b[0-9a-f]{4}\b//g' \
    > "$1.words"
  [ -s "$1.words" ] || fail "no check lines in $1"
  if grep -E '[A-Za-z]{3,}' "$1.words"; then fail "English left in the Chinese check lines of $1"; fi
}
if "$PINGYI" verify --lang zh --package "$d/election.pyp" --box "$work/ev-tampered.sqlite" \
  --results "$d/results.json" > "$work/zh-bad.log"; then
  fail "verify --lang zh passed a box with a deleted event"
fi
grep -q '^FAIL  box.events .*事件' "$work/zh-bad.log" || fail "the Chinese box.events line does not say what failed"
check_chinese "$work/zh-bad.log"
LC_ALL=zh_CN.UTF-8 "$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --results "$d/results.json" \
  > "$work/zh-ok.log" || fail "verify in a Chinese environment failed on the honest files"
grep -q '^PASS  box.close .*关箱记录' "$work/zh-ok.log" || fail "a Chinese environment did not give Chinese check lines"
check_chinese "$work/zh-ok.log"

# An independent auditor written from docs/formats.md alone (Python, its own Ed25519) agrees:
# the files pass, the tracking codes are the same, and each kind of tampering is refused.
AUDIT="$(dirname "$0")/../vectors/audit_box.py"
python3 "$AUDIT" "$d/election.pyp" "$d/kiosk1.sqlite" --tracking-codes > "$work/audit.log" \
  || fail "the independent auditor refused the honest box: $(grep FAIL "$work/audit.log" | head -3)"
grep -qE '^OK [0-9]+ ballots, [0-9]+ events, closed=True' "$work/audit.log" || fail "the auditor said no OK"
# Only the listing's indented lines: a fingerprint's all-digit hex groups ("8459-2736") look
# like a tracking code too (about one run in 30 before this filter).
"$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --tracking-codes \
  | grep -E '^  ' | grep -oE '\b[2-9A-Z]{4}-[2-9A-Z]{4}\b' | sort > "$work/track-cpp"
grep -E '^[2-9A-Z]{4}-[2-9A-Z]{4}$' "$work/audit.log" | sort > "$work/track-py"
# The demo's tellers checked no ballot: --spoiled says so, and ballots.spoiled passes.
"$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --spoiled > "$work/spoiled.log" \
  || fail "verify --spoiled failed on the honest box"
grep -q 'checked ballots, never counted: none' "$work/spoiled.log" || fail "verify --spoiled did not say that no ballot was checked"
"$PINGYI" verify --lang zh --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --spoiled --tracking-codes \
  > "$work/spoiled-zh.log" || fail "verify --lang zh --spoiled failed on the honest box"
grep -q '^核验票（不计入）：无$' "$work/spoiled-zh.log" || fail "verify --lang zh --spoiled did not say so in Chinese"
grep -q '^全部检查通过$' "$work/spoiled-zh.log" || fail "verify --lang zh did not end in Chinese"
# Every line that is not a check line, a tracking code or a file name reads in Chinese.
grep -vE '^(PASS|FAIL|WARN|OPEN)  |^  |^$' "$work/spoiled-zh.log" > "$work/spoiled-zh.rest"
if grep -E '[A-Za-z]{3,}' "$work/spoiled-zh.rest"; then fail "English left in verify --lang zh's other lines"; fi
grep -q 'PASS.*ballots.spoiled\|ballots.spoiled.*PASS' "$work/spoiled.log" || fail "verify printed no ballots.spoiled line"
[ -s "$work/track-py" ] && cmp -s "$work/track-cpp" "$work/track-py" || fail "tracking codes differ between pingyi and the auditor"
# The 跟踪码公示 list the tally wrote: after its heading and an empty line, exactly the codes
# the independent auditor computed, sorted, and nothing else.
LC_ALL=C sort "$work/track-py" > "$work/track-py-sorted"
sed '1,/^$/d' "$d/tracking-codes.txt" > "$work/track-list"
cmp -s "$work/track-list" "$work/track-py-sorted" || fail "tracking-codes.txt is not the sorted list of the ballots' tracking codes"
head -1 "$d/tracking-codes.txt" | grep -qx '跟踪码公示' || fail "tracking-codes.txt lacks its title"
grep -qx "共 $(wc -l < "$work/track-py") 张选票" "$d/tracking-codes.txt" || fail "tracking-codes.txt has the wrong count"
python3 "$AUDIT" "$d/election.pyp" "$work/ev-tampered.sqlite" > "$work/audit-ev.log" && fail "the auditor passed a deleted event"
grep -q "FAIL events" "$work/audit-ev.log" || fail "the auditor did not name the event log"
cp "$d/kiosk1.sqlite" "$work/sig-tampered.sqlite"
sqlite3 "$work/sig-tampered.sqlite" "UPDATE events SET signature = zeroblob(64) WHERE seq = 0"
python3 "$AUDIT" "$d/election.pyp" "$work/sig-tampered.sqlite" > "$work/audit-sig.log" && fail "the auditor passed a zeroed signature"
grep -q "not signed by the device key" "$work/audit-sig.log" || fail "the auditor did not name the signature"

# --expect-fingerprint: the anchor an auditor holds, full or in the short form printed on the
# slips; another election's fingerprint, or anything else, fails with a non-zero exit code.
full_fp=$(python3 - "$d/election.pyp" <<'PY'
import hashlib, json, sys
body = json.load(open(sys.argv[1], "rb"))["body"]
c = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
lp = lambda b: len(b).to_bytes(4, "big") + b
print(hashlib.sha256(lp(b"pingyi/v1/election-fingerprint") + lp(c)).hexdigest())
PY
)
short_fp=$("$PINGYI" election show "$d/election.pyp" | sed -n 's/^fingerprint (指纹): //p')
[ -n "$short_fp" ] || fail "election show printed no fingerprint"
[ "$(echo "$short_fp" | tr -d ' ')" = "${full_fp:0:24}" ] || fail "the short fingerprint is not the start of the full one"
for fp in "$full_fp" "$short_fp" "$(echo "$full_fp" | tr a-f A-F)"; do
  "$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --expect-fingerprint "$fp" > "$work/fp.log" \
    || fail "verify refused the right fingerprint $fp"
  grep -q '^PASS  package.fingerprint' "$work/fp.log" || fail "no PASS package.fingerprint for $fp"
done
wrong_fp="$(echo "${full_fp:0:63}" | tr 0-9a-f 1-9a-f0)${full_fp:63}"
for fp in "$wrong_fp" "${wrong_fp:0:24}" "${full_fp:0:20}" "not-a-fingerprint"; do
  if "$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --expect-fingerprint "$fp" > "$work/fp-bad.log"; then
    fail "verify accepted the wrong fingerprint $fp"
  fi
  grep -q '^FAIL  package.fingerprint' "$work/fp-bad.log" || fail "no FAIL package.fingerprint for $fp"
done

# --expect-device: the device fingerprint written down when the kiosk was opened (开箱记录).
# The right one passes boxes.registered; another kiosk's key fails it, for verify and tally.
device_fp=$(sed -n 's/.*poll opened on kiosk 1, device key \([0-9a-f-]*\),.*/\1/p' "$work/demo.log")
[ -n "$device_fp" ] || fail "the demo printed no device fingerprint at opening"
"$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --expect-device "$device_fp" > "$work/dev.log" \
  || fail "verify refused the registered device $device_fp"
grep -q '^PASS  boxes.registered' "$work/dev.log" || fail "no PASS boxes.registered"
# The close record written down at closing (关箱记录) is the one `pingyi verify` reads in the box.
close_fp=$(sed -n 's/.*poll closed: .*close record \([0-9a-f-]*\) .*/\1/p' "$work/demo.log")
[ -n "$close_fp" ] || fail "the demo printed no close record at closing"
grep -q "^PASS  box.close .*close record $close_fp\$" "$work/dev.log" || fail "verify does not show close record $close_fp"
grep -q "close record on the closing form $close_fp: the same in the box verified" "$work/demo.log" \
  || fail "the demo did not compare the close record"
if "$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --expect-device 0123-4567-89ab-cdef > "$work/dev-bad.log"; then
  fail "verify accepted a box whose device was not registered"
fi
grep -q '^FAIL  boxes.registered' "$work/dev-bad.log" || fail "no FAIL boxes.registered for a substituted box"
# Without any expected device the line is a warning (WARN): the boxes were not anchored.
grep -q '^WARN  boxes.registered.*not anchored' "$work/fp.log" || fail "no WARN boxes.registered without expected devices"

# --expect-device-file: the same fingerprints from a list (UTF-8 with a BOM, CRLF, comments;
# docs/formats.md §4.12), combinable with --expect-device.
printf '\357\273\277# 开箱记录\r\n\r\n%s   # 投票机 1\r\n' "$device_fp" > "$work/devices.txt"
printf '# another branch\n0123-4567-89ab-cdef\n' > "$work/other-devices.txt"
"$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --expect-device-file "$work/devices.txt" \
  > "$work/devf.log" || fail "verify refused the registered device from a file"
grep -q '^PASS  boxes.registered' "$work/devf.log" || fail "no PASS boxes.registered from a file"
"$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --expect-device-file "$work/other-devices.txt" \
  --expect-device "$device_fp" > "$work/devf2.log" || fail "verify refused a file combined with --expect-device"
if "$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" \
     --expect-device-file "$work/other-devices.txt" > "$work/devf-bad.log"; then
  fail "verify accepted a box whose device is not in the list"
fi
grep -q '^FAIL  boxes.registered' "$work/devf-bad.log" || fail "no FAIL boxes.registered for a device not in the file"
# A malformed list is refused with its line number, before any box is read.
printf '%s\n# kiosk 2:\n0123-4567-89ab\n' "$device_fp" > "$work/typo-devices.txt"
if "$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" \
     --expect-device-file "$work/typo-devices.txt" > "$work/devf-typo.log" 2>&1; then
  fail "verify accepted a malformed device list"
fi
grep -q 'typo-devices.txt line 3: .*\[devices.line\]' "$work/devf-typo.log" \
  || fail "the malformed device list was not refused with its line: $(cat "$work/devf-typo.log")"
grep -q '设备指纹清单' "$work/devf-typo.log" && fail "the English console printed Chinese for the malformed list"
"$PINGYI" verify --lang zh --package "$d/election.pyp" --box "$d/kiosk1.sqlite" \
  --expect-device-file "$work/typo-devices.txt" > "$work/devf-typo-zh.log" 2>&1 && fail "verify --lang zh accepted a malformed device list"
grep -q '^错误：.*设备指纹清单.*\[devices.line\]' "$work/devf-typo-zh.log" \
  || fail "no Chinese message for the malformed device list: $(cat "$work/devf-typo-zh.log")"
grep -q 'typo-devices.txt line 3' "$work/devf-typo-zh.log" || fail "the Chinese message lost the line number"
if grep -q '^PASS\|^FAIL' "$work/devf-typo.log"; then fail "verify checked boxes despite a malformed device list"; fi

# --events escapes control characters: a hostile event body cannot reach the terminal raw.
cp "$d/kiosk1.sqlite" "$work/esc.sqlite"
sqlite3 "$work/esc.sqlite" "UPDATE events SET body = CAST(X'1b5d303b70776e6564071b5b324a9bc2' || body AS BLOB) WHERE seq = 1"
"$PINGYI" verify --package "$d/election.pyp" --box "$work/esc.sqlite" --events > "$work/esc.log" && fail "verify passed an altered event"
grep -q '^FAIL  box.events' "$work/esc.log" || fail "verify did not name box.events for the hostile event"
if LC_ALL=C grep -q "$(printf '\033')" "$work/esc.log" || LC_ALL=C grep -q "$(printf '\007')" "$work/esc.log"; then
  fail "verify --events wrote a raw control byte to the terminal"
fi
grep -qF '\x1b]0;pwned\x07\x1b[2J\x9b\xc2' "$work/esc.log" || fail "the escaped event text is not shown"

# An open box (the close seal and the events from poll_closed on removed: nothing pins an
# open box, so this is exactly what a box during the poll looks like): checked as far as it
# goes, reported OPEN with exit code 2 by both verifiers.
cp "$d/kiosk1.sqlite" "$work/open.sqlite"
sqlite3 "$work/open.sqlite" "DELETE FROM seals WHERE kind = 'close';
  DELETE FROM events WHERE seq >= (SELECT seq FROM events WHERE CAST(body AS TEXT) LIKE '%\"poll_closed\"%')"
set +e
"$PINGYI" verify --package "$d/election.pyp" --box "$work/open.sqlite" > "$work/open.log"; rc=$?
python3 "$AUDIT" "$d/election.pyp" "$work/open.sqlite" > "$work/audit-open.log"; arc=$?
set -e
[ "$rc" = 2 ] || fail "verify of an open box exited $rc, not 2: $(grep FAIL "$work/open.log" | head -3)"
grep -q '^OPEN  box.close' "$work/open.log" || fail "verify did not mark box.close OPEN"
grep -q 'A POLL IS STILL OPEN' "$work/open.log" || fail "verify did not say the poll is open"
[ "$arc" = 2 ] || fail "the auditor exited $arc on the open box, not 2: $(head -3 "$work/audit-open.log")"
# Removing only the close seal, leaving poll_closed in the log, is caught.
cp "$d/kiosk1.sqlite" "$work/unclosed.sqlite"
sqlite3 "$work/unclosed.sqlite" "DELETE FROM seals WHERE kind = 'close'"
"$PINGYI" verify --package "$d/election.pyp" --box "$work/unclosed.sqlite" > "$work/unclosed.log" && fail "verify passed a removed close seal"
grep -q '^FAIL  box.events' "$work/unclosed.log" || fail "verify did not name box.events for a removed close seal"
python3 "$AUDIT" "$d/election.pyp" "$work/unclosed.sqlite" > /dev/null && fail "the auditor passed a removed close seal"

# Boxes altered and re-signed with the kiosk's own key by the core test (each breaking one
# rule of formats.md §4): pingyi verify names the check, and the independent auditor refuses
# every one too.
if [ -n "$TEST_CORE" ]; then
  PINGYI_ALTERED_BOXES="$work/altered" "$TEST_CORE" -tc='*altered boxes*' > "$work/altered.log" 2>&1 \
    || fail "the core test that writes the altered boxes failed: $(tail -5 "$work/altered.log")"
  n=0
  for dir in "$work"/altered/*/; do
    name=$(basename "$dir"); id=$(cat "$dir/fails")
    "$PINGYI" verify --package "$dir/election.pyp" --box "$dir/box.sqlite" > "$work/alt.log" && fail "verify passed $name"
    grep -q "^FAIL  $id " "$work/alt.log" || fail "verify did not name $id for $name"
    python3 "$AUDIT" "$dir/election.pyp" "$dir/box.sqlite" > "$work/alt-audit.log" && fail "the auditor passed $name"
    grep -q '^FAIL' "$work/alt-audit.log" || fail "the auditor crashed on $name: $(tail -2 "$work/alt-audit.log")"
    n=$((n + 1))
  done
  [ "$n" -ge 30 ] || fail "only $n altered boxes were written"
  echo "cli: pingyi verify and the independent auditor refuse all $n re-signed altered boxes"
fi

# The worked transcript of protocol.md §5.5 is the one the independent implementation computes.
python3 "$(dirname "$0")/../vectors/make_vectors.py" --transcript-example > "$work/transcript.md"
python3 - "$work/transcript.md" "$(dirname "$0")/../../docs/protocol.md" <<'PY' || fail "protocol.md §5.5 differs from make_vectors.py --transcript-example"
import sys
sys.exit(0 if open(sys.argv[1], encoding="utf-8").read() in open(sys.argv[2], encoding="utf-8").read() else 1)
PY

cp "$d/kiosk1.sqlite" "$work/tampered.sqlite"
sqlite3 "$work/tampered.sqlite" "DELETE FROM ballots WHERE hash = (SELECT max(hash) FROM ballots)"
if "$PINGYI" verify --package "$d/election.pyp" --box "$work/tampered.sqlite" --results "$d/results.json" > "$work/bad.log"; then
  fail "verify passed a box with a deleted ballot"
fi
grep -q '^FAIL  box.state' "$work/bad.log" || fail "verify did not name box.state"
python3 "$AUDIT" "$d/election.pyp" "$work/tampered.sqlite" > "$work/audit-rec.log" && fail "the auditor passed a deleted ballot"
grep -q "FAIL seals: the signed state" "$work/audit-rec.log" || fail "the auditor did not name the signed state"
grep -q '^FAIL  results.boxes' "$work/bad.log" || fail "verify did not name results.boxes"

sed 's/"count": 15/"count": 16/' "$d/results.json" > "$work/results-bad.json"
cmp -s "$d/results.json" "$work/results-bad.json" && sed -i '0,/"count": \([0-9]*\)/s//"count": 99/' "$work/results-bad.json"
if "$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --results "$work/results-bad.json" > "$work/bad2.log"; then
  fail "verify passed results with a changed count"
fi
grep -q '^FAIL  results.signature' "$work/bad2.log" || fail "verify did not name results.signature"

# The trustees: the verifier checks each partial; an altered partial decryption is named,
# alone (results.partials inside the results needs the admin signature, which then fails).
grep -q '^PASS  results.combination' "$work/ok.log" || fail "verify did not check the combination"
"$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --partial "$d/partial-3.json" > "$work/p.log" \
  || fail "verify refused an honest partial decryption"
python3 - "$d/partial-3.json" "$work/partial-bad.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
d = p["partials"][4]["d"]
p["partials"][4]["d"] = p["partials"][5]["d"] if p["partials"][5]["d"] != d else p["partials"][6]["d"]
json.dump(p, open(sys.argv[2], "w"), ensure_ascii=False, indent=1, sort_keys=True)
PY
if "$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --partial "$work/partial-bad.json" > "$work/p2.log"; then
  fail "verify passed an altered partial decryption"
fi
grep -q '^FAIL  partial.file .*partial.proof' "$work/p2.log" || fail "verify did not name the altered partial"
python3 - "$d/results.json" "$work/results-partial.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = r["body"]["trustees"][0]["partials"]
t[0]["d"], t[1]["d"] = t[1]["d"], t[0]["d"]
json.dump(r, open(sys.argv[2], "w"), ensure_ascii=False, indent=1, sort_keys=True)
PY
if "$PINGYI" verify --package "$d/election.pyp" --box "$d/kiosk1.sqlite" --results "$work/results-partial.json" > "$work/p3.log"; then
  fail "verify passed results with an altered partial"
fi
grep -q '^FAIL  results.signature' "$work/p3.log" || fail "verify did not name the altered results"

# A trustee with a wrong passphrase: a clear error, nothing written.
if PW=wrong-passphrase "$PINGYI" trustee decrypt --package "$d/election.pyp" --box "$d/kiosk1.sqlite" \
     --key "$d/ceremony/trustee-2.pyk" --out "$work/partial-2.json" --present 11,2,5 --yes --passphrase-env PW \
     > "$work/t.log" 2> "$work/t.err"; then
  fail "trustee decrypt accepted a wrong passphrase"
fi
grep -q "passphrase" "$work/t.err" || fail "trustee decrypt did not say the passphrase was wrong"
[ ! -e "$work/partial-2.json" ] || fail "trustee decrypt wrote a partial despite the wrong passphrase"
# More codes used than people present: refused, nothing written.
if PW=demo-trustee-2-2026 "$PINGYI" trustee decrypt --package "$d/election.pyp" --box "$d/kiosk1.sqlite" \
     --key "$d/ceremony/trustee-2.pyk" --out "$work/partial-2.json" --present 10,2,5 --yes --passphrase-env PW \
     > "$work/t2.log" 2> "$work/t2.err"; then
  fail "trustee decrypt ignored more ballots than people present"
fi
grep -q "tally.present" "$work/t2.err" || fail "trustee decrypt did not name tally.present"
[ ! -e "$work/partial-2.json" ] || fail "trustee decrypt wrote a partial despite the refusal"
# A box from a device not on the opening form: the trustee's key decrypts nothing; the
# registered device (the demo's) lets the same step through.
if PW=demo-trustee-2-2026 "$PINGYI" trustee decrypt --package "$d/election.pyp" --box "$d/kiosk1.sqlite" \
     --key "$d/ceremony/trustee-2.pyk" --out "$work/partial-2.json" --present 11,2,5 --yes --passphrase-env PW \
     --expect-device 0123-4567-89ab-cdef > "$work/t6.log" 2> "$work/t6.err"; then
  fail "trustee decrypt went on with a box whose device was not registered"
fi
grep -q "^FAIL  boxes.registered" "$work/t6.log" || fail "trustee decrypt did not show the failing boxes.registered"
[ ! -e "$work/partial-2.json" ] || fail "trustee decrypt wrote a partial for an unregistered box"
PW=demo-trustee-2-2026 "$PINGYI" trustee decrypt --package "$d/election.pyp" --box "$d/kiosk1.sqlite" \
  --key "$d/ceremony/trustee-2.pyk" --out "$work/partial-2.json" --present 11,2,5 --yes --passphrase-env PW \
  --expect-device "$device_fp" > "$work/t7.log" 2>&1 || fail "trustee decrypt refused the registered device: $(tail -3 "$work/t7.log")"
grep -q "^PASS  boxes.registered" "$work/t7.log" || fail "trustee decrypt did not check the registered device"
[ -s "$work/partial-2.json" ] || fail "trustee decrypt wrote no partial for the registered device"
rm -f "$work/partial-2.json"
# The one-key tally on a trustees' election: refused by name, nothing decrypted or written.
if PW=demo-passphrase-2026 "$PINGYI" tally --package "$d/election.pyp" --box "$d/kiosk1.sqlite" \
     --key "$d/admin-key.pyk" --admin-key "$d/admin-key.pyk" --out "$work/t-one" --passphrase-env PW \
     > "$work/t3.log" 2>&1; then
  fail "pingyi tally decrypted a trustees' election with one key"
fi
grep -q "tally.by_trustees" "$work/t3.log" || fail "pingyi tally did not name tally.by_trustees: $(tail -3 "$work/t3.log")"
[ ! -e "$work/t-one/results.json" ] || fail "pingyi tally wrote results for a trustees' election"
# The demo's tally into folder $1, output to log $2, with the device options that follow.
tally_with_devices() {
  local out=$1 log=$2
  shift 2
  PW=demo-passphrase-2026 "$PINGYI" tally --package "$d/election.pyp" --box "$d/kiosk1.sqlite" \
    --key "$d/admin-key.pyk" --admin-key "$d/admin-key.pyk" --out "$out" --passphrase-env PW "$@" > "$log" 2>&1
}
# The tally with a device that was not registered at the meeting: refused before anything else.
if tally_with_devices "$work/t-dev" "$work/t4.log" --expect-device 0123-4567-89ab-cdef; then
  fail "pingyi tally went on with a box whose device was not registered"
fi
grep -q "boxes.registered" "$work/t4.log" || fail "pingyi tally did not name boxes.registered: $(tail -3 "$work/t4.log")"
[ ! -e "$work/t-dev/results.json" ] || fail "pingyi tally wrote results for an unregistered box"
# The same from a device list, and a malformed list: refused with its line before any box is read.
if tally_with_devices "$work/t-devf" "$work/t5.log" --expect-device-file "$work/other-devices.txt"; then
  fail "pingyi tally went on with a box whose device is not in the list"
fi
grep -q "^FAIL  boxes.registered" "$work/t5.log" || fail "pingyi tally did not fail boxes.registered: $(tail -3 "$work/t5.log")"
[ ! -e "$work/t-devf/results.json" ] || fail "pingyi tally wrote results for a box not in the list"
if tally_with_devices "$work/t-typo" "$work/t6.log" --expect-device-file "$work/typo-devices.txt"; then
  fail "pingyi tally went on with a malformed device list"
fi
grep -q 'typo-devices.txt line 3: .*\[devices.line\]' "$work/t6.log" || fail "tally: no line for the bad list: $(cat "$work/t6.log")"
if grep -q '^PASS\|^FAIL\|verifying' "$work/t6.log"; then fail "pingyi tally verified boxes despite a malformed list"; fi
[ ! -e "$work/t-typo/results.json" ] || fail "pingyi tally wrote results with a malformed device list"

# election create: keys and slips owner-only; a second create into the same folder is refused
# and leaves the first election's files as they were (never overwrite a key in use).
A="$(dirname "$0")/../../assets/demo"
PW=correct-horse-battery "$PINGYI" election create --config "$A/election.json" --roster "$A/roster.csv" \
  --out "$work/e1" --passphrase-env PW > "$work/c1.log" 2>&1 || fail "election create failed: $(tail -3 "$work/c1.log")"
for f in election-key.pyk admin-key.pyk code-slips.pdf; do
  [ "$(stat -c %a "$work/e1/$f")" = 600 ] || fail "$f is not owner-only"
done
[ "$(stat -c %a "$work/e1/election.pyp")" != 600 ] || fail "the public package should keep default permissions"
# The kiosk's stick gets kiosk-usb: the public package alone.
[ "$(ls "$work/e1/kiosk-usb")" = election.pyp ] || fail "kiosk-usb should hold election.pyp only"
cmp -s "$work/e1/kiosk-usb/election.pyp" "$work/e1/election.pyp" || fail "kiosk-usb/election.pyp differs"
sum1=$(cat "$work/e1"/*.* "$work/e1"/kiosk-usb/* | sha256sum)
if PW=correct-horse-battery "$PINGYI" election create --config "$A/election.json" --roster "$A/roster.csv" \
     --out "$work/e1" --passphrase-env PW > "$work/c2.log" 2>&1; then
  fail "a second election create overwrote the first"
fi
grep -q "output.exists" "$work/c2.log" || fail "the refusal did not name output.exists"
# The roster, the settings and the folder are checked before the passphrase is asked for: with
# no passphrase to be had (an unset variable), a non-empty folder or a bad roster is what is said.
mkdir -p "$work/e-busy" && echo "old notes" > "$work/e-busy/notes.txt"
if "$PINGYI" election create --config "$A/election.json" --roster "$A/roster.csv" --out "$work/e-busy" \
     --passphrase-env PINGYI_NO_SUCH_VARIABLE > "$work/c3.log" 2>&1; then
  fail "election create used a non-empty folder"
fi
grep -q "output.exists" "$work/c3.log" || fail "a non-empty folder was not refused first: $(tail -3 "$work/c3.log")"
[ "$(ls "$work/e-busy")" = notes.txt ] || fail "the refused create wrote into the non-empty folder"
printf 'no name column\n1\n' > "$work/bad-roster.csv"
if "$PINGYI" election create --config "$A/election.json" --roster "$work/bad-roster.csv" --out "$work/e-new" \
     --passphrase-env PINGYI_NO_SUCH_VARIABLE > "$work/c4.log" 2>&1; then
  fail "election create accepted a roster without names"
fi
grep -q "passphrase" "$work/c4.log" && fail "the passphrase was asked for before the roster was checked: $(tail -3 "$work/c4.log")"
[ ! -e "$work/e-new" ] || fail "a refused create made its folder"
[ "$(cat "$work/e1"/*.* "$work/e1"/kiosk-usb/* | sha256sum)" = "$sum1" ] || fail "the refused create changed the first election's files"
# Hostile files (tests/data/hostile, made by make_hostile.py): each is refused with exit code 1
# and a FAIL line or a clear error, never a crash (exit 139 segfault, 134 uncaught exception).
H="$(dirname "$0")/../data/hostile"
HP="$(dirname "$0")/../fuzz/data/package.pyp"
hostile() {  # hostile <name> <expected text> pingyi-arguments...
  local name="$1" want="$2" rc=0
  shift 2
  "$PINGYI" "$@" > "$work/h-$name.log" 2>&1 || rc=$?
  [ "$rc" = 1 ] || fail "hostile $name: exit code $rc, expected 1: $(tail -3 "$work/h-$name.log")"
  grep -q -- "$want" "$work/h-$name.log" || fail "hostile $name: no '$want' in: $(tail -5 "$work/h-$name.log")"
}
HB="$H/box-plain.sqlite"
hostile results-nested '^FAIL  results.format.*nests more than' verify --package "$HP" --box "$HB" --results "$H/results-nested.json"
hostile package-nested-election '^FAIL  package.format.*nests more than' verify --package "$H/package-nested-election.pyp" --box "$HB"
hostile package-nested-code '^FAIL  package.format.*nests more than' verify --package "$H/package-nested-code.pyp" --box "$HB"
hostile show-nested 'REFUSED' election show "$H/package-nested-code.pyp"
hostile event-nested '^FAIL  box.events' verify --package "$HP" --box "$H/box-event-nested.sqlite"
hostile identity-row '^FAIL  ballots.proofs.*identity' verify --package "$HP" --box "$H/box-identity-row.sqlite"
hostile identity-quota '^FAIL  ballots.proofs.*identity' verify --package "$HP" --box "$H/box-identity-quota.sqlite"
echo "cli: 1 passed, 0 failed"
