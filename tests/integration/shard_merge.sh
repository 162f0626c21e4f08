# Sharded runs (--shard i/3 --format partial) merged with `callsight merge`
# give the one-machine report byte for byte in every format; every file lands
# in exactly one shard; partials are independent of -j; partials that do not
# belong together are refused (exit 2); the GNU parallel recipe of
# docs/SCALING.md works as written.
source "$(dirname "$0")/lib/common.bash" "$@"

# The sample calls, a subfolder, a multi-call CSV (sorted first, so its calls
# give the earliest examples) and two broken files, so examples and errors come
# from several shards.
mkdir -p corpus
cp -r "$SRC/data/calls" corpus/calls
mkdir corpus/calls/more
cp "$SRC/data/calls/call-0001.txt" corpus/calls/more/copy-a.txt
cp "$SRC/data/calls/call-0002.txt" corpus/calls/more/copy-b.txt
cp "$FIXTURES/shard/a-multi.csv" corpus/calls/a-multi.csv
: > corpus/calls/b-empty.txt
printf 'Agent:\0\0hello' > corpus/calls/more/z-binary.txt
cp "$SRC/data/calls.csv" calls.csv
cp "$SRC/data/spend.csv" spend.csv
opts=(-m calls.csv --spend spend.csv -q)

calls_of() { grep -m1 '"calls":' "$1" | tr -dc 0-9; }
failed_of() { grep -m1 '"files_failed":' "$1" | tr -dc 0-9; }

# --- one machine ----------------------------------------------------------------
formats=(json csv csv-wide md html)
for f in "${formats[@]}"; do
  run_status code "$CALLSIGHT" analyze corpus/calls "${opts[@]}" -f "$f" -o "one.$f"
  expect_code 1 "$code" "one run, $f (two broken files)"
done
[ "$(calls_of one.json)" -gt 48 ] || fail "the one-machine run saw $(calls_of one.json) calls"

# --- three shards, then merge ---------------------------------------------------
for i in 1 2 3; do
  run_status code "$CALLSIGHT" analyze corpus/calls "${opts[@]}" --shard "$i/3" --format partial \
    -j2 -o "part-$i.json"
  [ "$code" = 0 ] || [ "$code" = 1 ] || fail "shard $i: exit code $code"
  head -c 200 "part-$i.json" | grep -qF '"format":"callsight-partial","version":2,"shard":"'"$i"'/3"' ||
    fail "part-$i.json does not start with the partial header"
  run_status code "$CALLSIGHT" analyze corpus/calls "${opts[@]}" --shard "$i/3" --format partial \
    -j1 -o "part-$i-j1.json"
  cmp "part-$i.json" "part-$i-j1.json" || fail "shard $i: partial differs between -j1 and -j2"
done
for f in "${formats[@]}"; do
  run_status code "$CALLSIGHT" merge part-1.json part-2.json part-3.json "${opts[@]}" -f "$f" \
    -o "merged.$f"
  expect_code 1 "$code" "merge, $f"
  cmp "one.$f" "merged.$f" || { diff "one.$f" "merged.$f" | head -20 >&2; fail "merged $f differs from the one-machine report"; }
done
# The copies in more/ have no call-log row: their bookings come from the
# transcript, so the merge carries every conversion source.
python3 - one.json <<'PY' || fail "conversion sources of the one-machine report"
import json, sys
t = json.load(open(sys.argv[1]))["totals"]
s = t["conversion_sources"]
assert s["call_log"] > 0 and s["transcript"] > 0 and s["none"] > 0, s
assert s["call_log"] + s["transcript"] + s["none"] == t["calls"], t
PY
"$CALLSIGHT" merge part-3.json part-1.json part-2.json "${opts[@]}" -o any-order.json || true
cmp one.json any-order.json || fail "merge depends on the order of the partials"
"$CALLSIGHT" merge part-1.json - part-3.json "${opts[@]}" -o from-stdin.json < part-2.json || true
cmp one.json from-stdin.json || fail "a partial on standard input merged differently"

# Every file in exactly one shard: shard call and failure counts add up, and
# no shard is empty.
total_calls=0
total_failed=0
for i in 1 2 3; do
  run_status code "$CALLSIGHT" merge "part-$i.json" "${opts[@]}" -o "alone-$i.json"
  [ "$(calls_of "alone-$i.json")" -gt 0 ] || fail "shard $i is empty"
  total_calls=$((total_calls + $(calls_of "alone-$i.json")))
  total_failed=$((total_failed + $(failed_of "alone-$i.json")))
done
[ "$total_calls" = "$(calls_of one.json)" ] ||
  fail "shards hold $total_calls calls, the one-machine run $(calls_of one.json)"
[ "$total_failed" = 2 ] || fail "shards hold $total_failed failed files, expected 2"

# Hosts that mount the corpus elsewhere pick the same files: membership uses
# the path relative to the input folder.
mkdir -p elsewhere/deep && cp -r corpus/calls elsewhere/deep/calls
"$CALLSIGHT" analyze elsewhere/deep/calls "${opts[@]}" --shard 2/3 -f partial -o moved.json || true
"$CALLSIGHT" merge moved.json "${opts[@]}" -o moved-report.json 2> /dev/null || true
[ "$(calls_of moved-report.json)" = "$(calls_of alone-2.json)" ] ||
  fail "shard 2/3 of the same files at another path has a different size"

# --- refusals --------------------------------------------------------------------
run_status code "$CALLSIGHT" merge part-1.json part-2.json part-1.json "${opts[@]}" -o x.json 2> err.txt
expect_code 2 "$code" "merge with a shard given twice"
contains err.txt "part-1.json and part-1.json are both shard 1/3"

run_status code "$CALLSIGHT" merge part-1.json part-2.json "${opts[@]}" --require-complete -o x.json 2> err.txt
expect_code 2 "$code" "merge --require-complete with a missing shard"
contains err.txt "missing shard 3/3"
run_status code "$CALLSIGHT" merge part-1.json part-2.json -m calls.csv --spend spend.csv -o x.json 2> err.txt
[ "$code" = 0 ] || [ "$code" = 1 ] || fail "merge with a missing shard: exit code $code"
contains err.txt "warning: missing shard 3/3"

"$CALLSIGHT" analyze corpus/calls "${opts[@]}" --no-redact --shard 3/3 -f partial -o other-3.json || true
run_status code "$CALLSIGHT" merge part-1.json part-2.json other-3.json "${opts[@]}" -o x.json 2> err.txt
expect_code 2 "$code" "merge of partials made with different options"
contains err.txt "part-1.json and other-3.json come from different analyses: redact is true in the first and false in the second"

"$CALLSIGHT" analyze corpus/calls "${opts[@]}" --shard 1/4 -f partial -o four-1.json || true
run_status code "$CALLSIGHT" merge part-1.json four-1.json "${opts[@]}" -o x.json 2> err.txt
expect_code 2 "$code" "merge of shards of different splits"
contains err.txt "is shard 1/3 but four-1.json is shard 1/4"

run_status code "$CALLSIGHT" merge part-1.json part-2.json part-3.json -q -o x.json 2> err.txt
expect_code 2 "$code" "merge without the call log the shards used"
contains err.txt "part-1.json was made with call log 'fnv1a64:"

rm -f x.json
run_status code "$CALLSIGHT" merge one.json "${opts[@]}" -o x.json 2> err.txt
expect_code 2 "$code" "merge of a report that is not a partial"
contains err.txt "one.json: not a callsight partial summary"
[ ! -e x.json ] || fail "a refused merge wrote a report"

for bad in 0/3 4/3 3 1/0 x/3; do
  run_status code "$CALLSIGHT" analyze corpus/calls --shard "$bad" -o x.json 2> err.txt
  expect_code 2 "$code" "--shard $bad"
  contains err.txt "--shard:"
done
run_status code "$CALLSIGHT" analyze - --shard 1/2 -o x.json < /dev/null 2> err.txt
expect_code 2 "$code" "--shard with standard input"
contains err.txt "standard input ('-') cannot be sharded"

# --- the GNU parallel recipe of docs/SCALING.md, run for real --------------------
if command -v parallel > /dev/null; then
  mkdir recipe && cd recipe
  run_status code parallel --will-cite "$CALLSIGHT" analyze ../corpus/calls -m ../calls.csv \
    --spend ../spend.csv -q --shard {}/3 --format partial -o part-{}.json ::: 1 2 3
  # parallel exits with the number of failed jobs: here shards with broken files (exit 1).
  [ "$code" -le 3 ] || fail "parallel: exit code $code"
  "$CALLSIGHT" analyze ../corpus/calls -m ../calls.csv --spend ../spend.csv -q -o one.json || true
  "$CALLSIGHT" merge part-*.json -m ../calls.csv --spend ../spend.csv -q --require-complete \
    -o merged.json || true
  cmp one.json merged.json || fail "the GNU parallel recipe does not give the one-machine report"
  cd ..
else
  echo "SKIP: GNU parallel not installed (apt-get install parallel); its recipe was not run"
fi
echo "shard_merge: ok"
