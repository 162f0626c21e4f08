# Outcomes feed conversions (issue #4): six calls, three decided by the call
# log's converted column (one "0" despite a booking the agent confirmed) and
# three by the transcript (a booking with an empty log cell, a booking without
# a log row, a quote only). Exact summary JSON and CSV, the figures checked one
# by one, the per-call source, runs without a call log, shards merged, and the
# taxonomy's "outcome" field checked with line:column.
source "$(dirname "$0")/lib/common.bash" "$@"
SET="$FIXTURES/outcomes"
cd "$SET"

run_status code "$CALLSIGHT" analyze calls -m calls.csv -g campaign -j1 -q -o "$WORK/summary.json" \
  --calls "$WORK/calls.jsonl"
expect_code 0 "$code" "analyze with a call log"
"$CALLSIGHT" analyze calls -m calls.csv -g campaign -j4 -q -o "$WORK/summary-j4.json"
cmp "$WORK/summary.json" "$WORK/summary-j4.json" || fail "summary differs between -j1 and -j4"
"$CALLSIGHT" analyze calls -m calls.csv -g campaign -q -f csv -o "$WORK/summary.csv"
"$CALLSIGHT" analyze calls -m calls.csv -g campaign -q -f md -o "$WORK/summary.md"
golden "$WORK/summary.json" outcomes_summary.json
golden "$WORK/summary.csv" outcomes_summary.csv

# The same figures, one by one, so a golden rewritten by mistake still fails.
python3 - "$WORK/summary.json" "$WORK/calls.jsonl" <<'PY' || fail "conversion figures"
import json, sys
d = json.load(open(sys.argv[1]))
t = d["totals"]
assert (t["calls"], t["calls_with_metadata"], t["conversions"]) == (6, 4, 4), t
assert t["conversion_rate"] == 0.6667, t  # over all 6 calls, not the 4 logged
assert t["conversion_sources"] == {"call_log": 3, "transcript": 2, "none": 1}, t
assert (t["revenue"], t["calls_with_revenue"], t["revenue_per_call"]) == (1450.5, 2, 725.25), t
groups = {g["value"]: g for g in d["groups"][0]["values"]}
tv, search, radio = groups["tv_fall"], groups["search_fall"], groups["radio_fall"]
assert (tv["conversions"], tv["conversion_rate"]) == (1, 0.5), tv  # the log's 0 wins
assert tv["conversion_sources"] == {"call_log": 2, "transcript": 0, "none": 0}, tv
assert (tv["revenue_per_call"], tv["calls_with_revenue"]) == (250.0, 1), tv
assert search["conversion_sources"] == {"call_log": 1, "transcript": 1, "none": 0}, search
assert (search["conversions"], search["revenue_per_call"]) == (2, 1200.5), search
assert radio["conversion_sources"] == {"call_log": 0, "transcript": 1, "none": 1}, radio
assert (radio["conversions"], radio["revenue_per_call"]) == (1, None), radio
# Per topic: pricing on o1 (converted), o2 (not), o6 (not): 1 of 3 against 4 of 6.
pricing = next(x for x in d["topics"] if x["id"] == "pricing")
assert (pricing["calls"], pricing["conversions"]) == (3, 1), pricing
assert (pricing["conversion_rate"], pricing["conversion_lift"]) == (0.3333, 0.5), pricing
quote = next(x for x in radio["topics"] if x["id"] == "quote_given")
assert (quote["conversions"], quote["conversion_rate"], quote["conversion_lift"]) == (0, 0.0, 0.0)
outcomes = {x["id"]: x.get("outcome") for x in d["topics"] if x["kind"] == "outcome"}
assert outcomes == {"converted": "conversion", "quote_given": "quote",
                    "callback_scheduled": "callback", "cancelled": "cancellation"}, outcomes
calls = {}
for line in open(sys.argv[2]):
    r = json.loads(line)
    calls[r["call_id"]] = (r["converted"], r["conversion_source"])
assert calls == {"o1": (True, "call_log"), "o2": (False, "call_log"), "o3": (True, "call_log"),
                 "o4": (True, "transcript"), "o5": (True, "transcript"),
                 "o6": (False, "none")}, calls
PY
contains "$WORK/summary.md" "- Conversions: 4 of 6 calls (66.7%); decided by the call log for 3, by the transcript for 2, unknown for 1"
contains "$WORK/summary.md" "revenue 1,450.50 (725.25 per call over 2 with an amount)"
contains "$WORK/summary.md" "| Pricing and cost | 3 | 1 | 33.3% | 0.50x |"

# Per-call CSV: the source is the last column; converted is empty when none decided.
"$CALLSIGHT" analyze calls -m calls.csv -q -o /dev/null --calls "$WORK/calls.csv"
head -1 "$WORK/calls.csv" | grep -q ',conversion_source$' || fail "per-call CSV header"
grep -q '^o2,.*,labels,1,0,0.00,.*,call_log$' "$WORK/calls.csv" || fail "per-call CSV: o2"
grep -q '^o5,.*,labels,1,1,,.*,transcript$' "$WORK/calls.csv" || fail "per-call CSV: o5"
grep -q '^o6,.*,labels,1,,,.*,none$' "$WORK/calls.csv" || fail "per-call CSV: o6"

# Without a call log every booking comes from the transcripts; no revenue.
"$CALLSIGHT" analyze calls -q -o "$WORK/nolog.json"
python3 - "$WORK/nolog.json" <<'PY' || fail "conversions without a call log"
import json, sys
t = json.load(open(sys.argv[1]))["totals"]
assert (t["conversions"], t["conversion_rate"]) == (4, 0.6667), t  # o1, o2, o4, o5
assert t["conversion_sources"] == {"call_log": 0, "transcript": 4, "none": 2}, t
assert "revenue" not in t and "revenue_per_call" not in t and "calls_with_metadata" not in t, t
PY

# Shards merged give the one-machine report byte for byte.
for f in json csv; do
  for i in 1 2; do
    "$CALLSIGHT" analyze calls -m calls.csv -g campaign -q --shard "$i/2" -f partial \
      -o "$WORK/part-$i.json"
  done
  "$CALLSIGHT" merge "$WORK/part-1.json" "$WORK/part-2.json" -m calls.csv -q -f "$f" \
    -o "$WORK/merged.$f"
  cmp "$WORK/summary.$f" "$WORK/merged.$f" || fail "merged $f differs from the one-machine report"
done
grep -q '"conversion_sources":{"call_log":' "$WORK/part-1.json" || fail "partial lacks conversion_sources"

# The taxonomy's "outcome": errors and the warning name line and column.
cat > "$WORK/outcomes.json" <<'EOF'
{"schema_version": 1, "topics": [
  {"id": "sold", "kind": "outcome", "outcome": "sale", "phrases": ["sold"]},
  {"id": "price", "kind": "concern", "outcome": "quote", "phrases": ["price"]},
  {"id": "booked", "kind": "outcome", "phrases": ["booked"]}
]}
EOF
run_status code "$CALLSIGHT" taxonomy check "$WORK/outcomes.json" > /dev/null 2> "$WORK/check.txt"
expect_code 1 "$code" "taxonomy check of bad outcome fields"
contains "$WORK/check.txt" 'outcomes.json:2:48: topic "sold": unknown outcome "sale"; use one of conversion, cancellation, quote, callback, neutral'
contains "$WORK/check.txt" 'outcomes.json:3:38: topic "price": "outcome" applies only to topics of kind "outcome" (this one is "concern")'
contains "$WORK/check.txt" 'outcomes.json:4:28: warning: topic "booked": outcome topic without "outcome"; it counts as neutral'
