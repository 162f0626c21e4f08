# Caller journeys (--caller-key): planted journeys in tests/fixtures/journeys
# give exact figures (golden journeys section and JSONL); no raw caller number
# or e-mail reaches any output; the salt file; usage errors.
#
# The fixture (call log calls.csv, one transcript per row):
#   555-201-3344  tv pricing -> search pricing -> search books (converted)
#   555-201-7788  search complaint -> search cancels
#   555-201-9900  tv pricing -> tv books;  555-201-1177 search pricing -> tv books
#   555-201-6633  tv complaint -> tv cancels 45 days later
#   555-201-8844  search complaint + pricing -> search cancels
#   555-201-4411 and 555-201-5522  one call each (the second books)
#   j16 is Anonymous, j17 has no row: not linked.
# Phones are written in different ways for one caller, and j14/j15 are out of
# date order in the file listing.
source "$(dirname "$0")/lib/common.bash" "$@"
FIX="$FIXTURES/journeys"
cp "$FIX/salt" salt
chmod 600 salt
common=(-t "$FIX/taxonomy.json" --metadata "$FIX/calls.csv" --caller-key phone --salt-file salt)

run_status code "$CALLSIGHT" analyze "$FIX/calls" "${common[@]}" -o summary.json \
  --calls calls.jsonl --journeys journeys.jsonl 2> stderr.txt
expect_code 0 "$code" "journeys run"
python3 - summary.json > journeys-section.json <<'PY'
import json, sys
print(json.dumps(json.load(open(sys.argv[1]))["journeys"], indent=2))
PY
golden journeys-section.json journeys_summary.json
golden journeys.jsonl journeys.jsonl

# The other report formats carry the section too.
"$CALLSIGHT" analyze "$FIX/calls" "${common[@]}" -f md -o summary.md 2>> stderr.txt
contains summary.md "## Caller journeys"
contains summary.md "| Pricing | 3 | 100.0% | 40.0% | 2.50x |"
contains summary.md "| Complaint | 3 | 100.0% | 20.0% | 5.00x |"
"$CALLSIGHT" analyze "$FIX/calls" "${common[@]}" -f html -o summary.html 2>> stderr.txt
contains summary.html 'data-chart="journey-repeat-rate"'
"$CALLSIGHT" analyze "$FIX/calls" "${common[@]}" -f csv -o summary.csv 2>> stderr.txt
contains summary.csv "journey_table,channel,other,topic,count,total,share,base_share,lift"
contains summary.csv "before_conversion,,,pricing,3,3,1,0.4,2.5"
contains summary.csv "before_cancellation,,,complaint,3,3,1,0.2,5"
contains summary.csv "repeat_callers,search,,,3,5,0.6,,"
"$CALLSIGHT" analyze "$FIX/calls" "${common[@]}" -f csv-wide -o wide.csv 2>> stderr.txt

# Keyed by e-mail: case differences do not split a caller; rows without one are not linked.
"$CALLSIGHT" analyze "$FIX/calls" -t "$FIX/taxonomy.json" --metadata "$FIX/calls.csv" \
  --caller-key email --salt-file salt -o by-email.json --journeys by-email.jsonl 2>> stderr.txt
contains by-email.json '"caller_key": "email"'
contains by-email.json '"callers": 2'
contains by-email.json '"calls_without_key": 12'
[ "$(wc -l < by-email.jsonl)" = 2 ] || fail "two e-mail journeys expected"

# Same output for any thread count.
"$CALLSIGHT" analyze "$FIX/calls" "${common[@]}" -j 1 -o j1.json --journeys j1.jsonl 2>> stderr.txt
"$CALLSIGHT" analyze "$FIX/calls" "${common[@]}" -j 3 -o j3.json --journeys j3.jsonl 2>> stderr.txt
cmp j1.json j3.json || fail "summary differs between -j 1 and -j 3"
cmp j1.jsonl j3.jsonl || fail "journeys differ between -j 1 and -j 3"

# No raw caller number or e-mail in any output, in any of the forms the call
# log writes them, nor in the normalized forms that are hashed.
outputs=(summary.json summary.md summary.html summary.csv wide.csv calls.jsonl journeys.jsonl
         by-email.json by-email.jsonl j1.json j1.jsonl stderr.txt)
python3 - "$FIX/calls.csv" "${outputs[@]}" <<'PY' || fail "a raw caller key reached an output"
import csv, re, sys
keys = set()
for row in csv.DictReader(open(sys.argv[1])):
    for column in ("Caller ID", "Email"):
        value = row[column].strip()
        if not value or value == "Anonymous":
            continue
        keys.add(value.lower())
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 7:
            # As written, digits only, without the country code, 201-3344.
            keys.update({digits, digits[-10:], digits[-7:-4] + "-" + digits[-4:]})
assert len(keys) > 30, keys
found = False
for path in sys.argv[2:]:
    text = open(path, encoding="utf-8", errors="replace").read().lower()
    for key in sorted(keys):
        if key in text:
            print(f"raw caller key {key!r} found in {path}", file=sys.stderr)
            found = True
sys.exit(1 if found else 0)
PY

# The default salt: created under $XDG_CONFIG_HOME (else ~/.config) with 32
# random bytes, mode 600, and reused by the next run.
mkdir home
HOME="$WORK/home" XDG_CONFIG_HOME= "$CALLSIGHT" analyze "$FIX/calls" -t "$FIX/taxonomy.json" \
  --metadata "$FIX/calls.csv" --caller-key phone -o default1.json --journeys default1.jsonl \
  2> default-stderr.txt
[ -f home/.config/callsight/salt ] || fail "default salt not created"
[ "$(stat -c %a home/.config/callsight/salt)" = 600 ] || fail "default salt is not mode 600"
[ "$(stat -c %s home/.config/callsight/salt)" = 32 ] || fail "default salt is not 32 bytes"
contains default-stderr.txt "created the salt file"
HOME="$WORK/home" XDG_CONFIG_HOME= "$CALLSIGHT" analyze "$FIX/calls" -t "$FIX/taxonomy.json" \
  --metadata "$FIX/calls.csv" --caller-key phone -q -o default2.json --journeys default2.jsonl
cmp default1.jsonl default2.jsonl || fail "the default salt changed between runs"
XDG_CONFIG_HOME="$WORK/xdg" "$CALLSIGHT" analyze "$FIX/calls" -t "$FIX/taxonomy.json" \
  --metadata "$FIX/calls.csv" --caller-key phone -q -o xdg.json
[ -f xdg/callsight/salt ] || fail "XDG_CONFIG_HOME not honoured"
# Another salt gives other hashes: no caller hash is shared.
python3 - default1.jsonl journeys.jsonl <<'PY' || fail "hashes shared across salts"
import json, sys
a = {json.loads(l)["caller"] for l in open(sys.argv[1])}
b = {json.loads(l)["caller"] for l in open(sys.argv[2])}
sys.exit(1 if a & b or len(a) != 8 else 0)
PY

# A salt file others can read works, with a warning.
cp "$FIX/salt" shared-salt
chmod 644 shared-salt
"$CALLSIGHT" analyze "$FIX/calls" -t "$FIX/taxonomy.json" --metadata "$FIX/calls.csv" \
  --caller-key phone --salt-file shared-salt -o shared.json 2> warn.txt
contains warn.txt "readable by other users"

# Mistakes are usage errors (exit 2) naming the problem.
run_status code "$CALLSIGHT" analyze "$FIX/calls" --caller-key phone --salt-file salt 2> err.txt
expect_code 2 "$code" "--caller-key without --metadata"
contains err.txt "needs --metadata"
run_status code "$CALLSIGHT" analyze "$FIX/calls" --metadata "$FIX/calls.csv" \
  --caller-key phone_nr --salt-file salt 2> err.txt
expect_code 2 "$code" "unknown key column"
contains err.txt "calls.csv: caller key column 'phone_nr' is not in the call log"
run_status code "$CALLSIGHT" analyze "$FIX/calls" --metadata "$FIX/calls.csv" \
  --caller-key phone --journey-channel region --salt-file salt 2> err.txt
expect_code 2 "$code" "unknown channel column"
contains err.txt "channel column 'region'"
run_status code "$CALLSIGHT" analyze "$FIX/calls" --journeys out.jsonl 2> err.txt
expect_code 2 "$code" "--journeys without --caller-key"
contains err.txt "need --caller-key"
run_status code "$CALLSIGHT" analyze "$FIX/calls" --metadata "$FIX/calls.csv" \
  --caller-key phone --salt-file missing-salt 2> err.txt
expect_code 2 "$code" "missing salt file"
contains err.txt "missing-salt"
[ ! -e missing-salt ] || fail "an explicit --salt-file must not be created"
printf 'short' > short-salt
run_status code "$CALLSIGHT" analyze "$FIX/calls" --metadata "$FIX/calls.csv" \
  --caller-key phone --salt-file short-salt 2> err.txt
expect_code 2 "$code" "short salt file"
contains err.txt "short-salt: the salt file holds 5 bytes"
run_status code "$CALLSIGHT" analyze "$FIX/calls" --metadata "$FIX/calls.csv" \
  --caller-key phone --salt-file salt --journeys - 2> err.txt
expect_code 2 "$code" "--journeys - with the report on stdout"
