# The bundled sample data: exact expected summary JSON, CSV and per-call JSONL,
# and byte-identical output for 1 and 4 threads.
source "$(dirname "$0")/lib/common.bash" "$@"
cd "$SRC"
run_status code "$CALLSIGHT" analyze data/calls --metadata data/calls.csv --spend data/spend.csv -j1 -q \
  -o "$WORK/summary-j1.json" --calls "$WORK/calls-j1.jsonl"
expect_code 0 "$code" "analyze -j1"
run_status code "$CALLSIGHT" analyze data/calls --metadata data/calls.csv --spend data/spend.csv -j4 -q \
  -o "$WORK/summary-j4.json" --calls "$WORK/calls-j4.jsonl"
expect_code 0 "$code" "analyze -j4"
cmp "$WORK/summary-j1.json" "$WORK/summary-j4.json" || fail "summary differs between -j1 and -j4"
cmp "$WORK/calls-j1.jsonl" "$WORK/calls-j4.jsonl" || fail "per-call output differs between -j1 and -j4"
"$CALLSIGHT" analyze data/calls --metadata data/calls.csv --spend data/spend.csv -q --format csv \
  --group-by campaign,week > "$WORK/summary.csv"
golden "$WORK/summary-j1.json" sample_summary.json
golden "$WORK/calls-j1.jsonl" sample_calls.jsonl
golden "$WORK/summary.csv" sample_summary.csv
"$CALLSIGHT" analyze data/calls --metadata data/calls.csv --spend data/spend.csv -q --format csv-wide \
  --group-by campaign,week > "$WORK/summary-wide.csv"
golden "$WORK/summary-wide.csv" sample_summary_wide.csv
"$CALLSIGHT" analyze data/calls --metadata data/calls.csv -q -o /dev/null --calls "$WORK/calls.csv"
golden "$WORK/calls.csv" sample_calls.csv
