# `callsight discover`: a planted emerging phrase ranks first against a
# baseline folder, everyday phrases and agent speech never appear, a covered
# phrase names its topic; output is identical for any -j; usage errors exit 2.
source "$(dirname "$0")/lib/common.bash" "$@"
cd "$FIXTURES/discover" # relative paths in the reports

"$CALLSIGHT" discover target --baseline baseline -q -j 1 > "$WORK/j1.json"
"$CALLSIGHT" discover target --baseline baseline -q -j 2 -o "$WORK/j2.json"
cmp "$WORK/j1.json" "$WORK/j2.json" || fail "-j 1 and -j 2 reports differ"
golden "$WORK/j1.json" discover_baseline.json
grep -m1 '"phrase":' "$WORK/j1.json" > "$WORK/first.txt"
contains "$WORK/first.txt" '"phrase": "rate hike letter"'
for common in "thank you" "how much" "water heater" "loyalty bonus" "thank"; do
  if grep -q "\"phrase\": \"$common\"" "$WORK/j1.json"; then
    fail "'$common' should not be reported"
  fi
done

"$CALLSIGHT" discover target --baseline baseline -q -f csv > "$WORK/out.csv"
contains "$WORK/out.csv" "rank,phrase,key,words,calls,share,frequency,reference_frequency,g2,growth,covered_by,example_file,example,topic_stub"
contains "$WORK/out.csv" "1,rate hike letter,rate hike letter,3,20,0.3333,20,0,24.86,new,,"
grep -q '^2,cancel my membership,.*,cancellation,target/' "$WORK/out.csv" ||
  fail "cancel my membership is not reported as covered by cancellation: $(cat "$WORK/out.csv")"

"$CALLSIGHT" discover target --baseline baseline -q -f md > "$WORK/out.md"
contains "$WORK/out.md" "| 1 | rate hike letter | 20 | 33.3% | new |"
contains "$WORK/out.md" '"id": "rate_hike_letter",'

# Without a baseline: the built-in background list.
"$CALLSIGHT" discover target -q > "$WORK/background.json"
contains "$WORK/background.json" '"kind": "background"'
contains "$WORK/background.json" '"phrase": "rate hike letter"'

# A file that cannot be read is named, the rest is mined, exit code 1.
run_status code "$CALLSIGHT" discover target "$WORK/missing.txt" --baseline baseline -q \
  > "$WORK/partial.json"
expect_code 1 "$code" "discover with a missing file"
contains "$WORK/partial.json" "missing.txt"

# Usage errors: nothing is mined.
run_status code "$CALLSIGHT" discover - 2> "$WORK/err.txt"
expect_code 2 "$code" "discover of standard input"
run_status code "$CALLSIGHT" discover target --baseline baseline --background x.tsv 2> "$WORK/err.txt"
expect_code 2 "$code" "--baseline with --background"
mkdir "$WORK/empty"
run_status code "$CALLSIGHT" discover target --baseline "$WORK/empty" 2> "$WORK/err.txt"
expect_code 2 "$code" "an empty baseline"
contains "$WORK/err.txt" "--baseline: no usable transcripts"
printf '@tokens\t100\nrate hike\tmany\n' > "$WORK/bad.tsv"
run_status code "$CALLSIGHT" discover target --background "$WORK/bad.tsv" 2> "$WORK/err.txt"
expect_code 2 "$code" "a malformed background list"
contains "$WORK/err.txt" "bad.tsv: line 2: count 'many' is not a whole number"
