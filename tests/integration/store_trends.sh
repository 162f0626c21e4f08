#!/usr/bin/env bash
# --store reports over a window: a planted spike (cancellation in 2 of 20
# calls in ISO week 2026-W45, in 12 of 20 in 2026-W46) shows in the trends
# with its p-value, fires the matching --alert (exit 5) in every format, and
# a rule it does not reach leaves the exit code at 0.
source "$(dirname "$0")/lib/common.bash"
MAKE="$FIXTURES/store/make_calls.sh"
TAX="$FIXTURES/store/taxonomy.json"

bash "$MAKE" calls w45 2026-11-02 7 20 2
bash "$MAKE" calls w46 2026-11-09 7 20 12
bash "$MAKE" calls w44 2026-10-26 7 5 5 # outside both windows
run_status code "$CALLSIGHT" analyze calls --store s.db -t "$TAX" --group-by campaign \
  --period week --until 2026-11-15 --alert 'cancellation:+20pp' --alert 'pricing:x3' \
  -o week.json 2>log.txt
expect_code 5 "$code" "a planted spike with --alert"
contains log.txt "alert cancellation:+20pp: cancellation 10.0% -> 60.0% of calls (+50.0 points"

[ "$(jq -c '.window | [.period, .current.label, .previous.label, .current.calls, .previous.calls]' week.json)" = \
  '["week","2026-W46","2026-W45",20,20]' ] || { jq .window week.json >&2; fail "window"; }
# The totals cover the current window only.
[ "$(jq .totals.calls week.json)" = 20 ] || fail "totals are not the window's"
trend=$(jq -c '.trends.topics[] | select(.id == "cancellation") |
  [.current_calls, .previous_calls, .current_share, .previous_share, .change_pp, .p_value, .significant]' week.json)
# z = (0.6 - 0.1) / sqrt(0.35 * 0.65 * (2 / 20)) = 3.315, two-sided p = 0.0009.
[ "$trend" = '[12,2,0.6,0.1,50,0.0009,true]' ] || fail "cancellation trend: $trend"
pricing=$(jq -c '.trends.topics[] | select(.id == "pricing") | [.change_pp, .significant]' week.json)
[ "$pricing" = '[-50,true]' ] || fail "pricing trend: $pricing"
alerts=$(jq -c '[.alerts[] | [.rule, .topic, .dimension // "", .value // ""]]' week.json)
# Overall, and within each campaign (6 of 10 vs 1 of 10 calls: p = 0.0194).
[ "$alerts" = '[["cancellation:+20pp","cancellation","",""],["cancellation:+20pp","cancellation","campaign","radio"],["cancellation:+20pp","cancellation","campaign","search"]]' ] ||
  fail "alerts: $alerts"
[ "$(jq -c '[.trends.groups[] | [.dimension, .value, .current_calls, .previous_calls]]' week.json)" = \
  '[["campaign","radio",10,10],["campaign","search",10,10]]' ] || fail "group trends"

# The same report as Markdown and HTML lists the alert.
"$CALLSIGHT" analyze --store s.db -t "$TAX" --period week --until 2026-11-15 \
  --alert 'cancellation:+20pp' -f md -o week.md 2>/dev/null || true
contains week.md "## Alerts"
contains week.md "Cancellation: 10.0% to 60.0% of calls, +50.0 points"
"$CALLSIGHT" analyze --store s.db -t "$TAX" --period week --until 2026-11-15 \
  --alert 'cancellation:+20pp' -f html -o week.html 2>/dev/null || true
contains week.html 'id="alerts"'

# A rule the spike does not reach, and a min_calls the window does not have.
run_status code "$CALLSIGHT" analyze --store s.db -t "$TAX" --period week --until 2026-11-15 \
  --alert 'cancellation:+60pp' --alert '*:x2,min_calls=50' -o quiet.json 2>/dev/null
expect_code 0 "$code" "rules that do not fire"
[ "$(jq '.alerts | length' quiet.json)" = 0 ] || fail "alerts fired"

# --until in the middle of a week: the last complete week is the one before.
"$CALLSIGHT" analyze --store s.db -t "$TAX" --period week --until 2026-11-14 -o mid.json 2>/dev/null
[ "$(jq -r '.window.current.label' mid.json)" = 2026-W45 ] || fail "--until mid-week"
# Explicit dates: the previous window has the same length.
"$CALLSIGHT" analyze --store s.db -t "$TAX" --since 2026-11-09 --until 2026-11-12 -o range.json 2>/dev/null
[ "$(jq -c '[.window.previous.since, .window.previous.until, .window.current.calls]' range.json)" = \
  '["2026-11-05","2026-11-08",12]' ] || { jq .window range.json >&2; fail "explicit window"; }

# Bad rules and windows are usage errors, named.
run_status code "$CALLSIGHT" analyze --store s.db -t "$TAX" --period week --alert 'refunds:+5pp' 2>err1.txt
expect_code 2 "$code" "unknown alert topic"
contains err1.txt "--alert 'refunds:+5pp': unknown topic 'refunds' (topics: pricing, cancellation; or * for any)"
run_status code "$CALLSIGHT" analyze --store s.db -t "$TAX" --period week --alert 'pricing:5' 2>err2.txt
expect_code 2 "$code" "malformed alert"
contains err2.txt "threshold '5' is not +Npp, -Npp or xF"
run_status code "$CALLSIGHT" analyze --store s.db -t "$TAX" --alert 'pricing:+5pp' 2>err3.txt
expect_code 2 "$code" "alert without a window"
contains err3.txt "give --period or --since"
run_status code "$CALLSIGHT" analyze --store s.db -t "$TAX" --since 2026-11-20 --until 2026-11-10 2>err4.txt
expect_code 2 "$code" "since after until"
contains err4.txt "--since 2026-11-20 is after --until 2026-11-10"
run_status code "$CALLSIGHT" analyze --store s.db -t "$TAX" --since 2026-13-01 2>err5.txt
expect_code 2 "$code" "bad date"
contains err5.txt "--since: '2026-13-01' is not a date (YYYY-MM-DD)"
echo OK
