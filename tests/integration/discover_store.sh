#!/usr/bin/env bash
# `callsight discover --store`: a phrase planted only in the second of two
# stored weeks ranks first against the week before, a phrase of both weeks
# is not reported, only a multi-call file's calls of the window are mined,
# the report names the store window in every format, -j does not matter, the
# store is only read; usage errors; gone or changed files are named (exit 1).
source "$(dirname "$0")/lib/common.bash"
MAKE="$FIXTURES/store/make_calls.sh"

# Two ISO weeks of 20 calls; "annual plan" in 15 calls of each. The planted
# phrase is in 10 calls of 2026-W46 only.
bash "$MAKE" calls w45 2026-11-02 7 20 5
bash "$MAKE" calls w46 2026-11-09 7 20 5
for i in 01 03 05 07 09 11 13 15 17 19; do
  printf 'Customer: And the smart meter fee on my bill went up.\n' >> "calls/w46-00$i.txt"
done
# One turn table with a call in each week: only m2 belongs to the target.
printf 'call_id,date,speaker,text\nm1,2026-11-03,Customer,The loyalty bonus please\nm1,2026-11-03,Agent,Sure thing\nm2,2026-11-10,Customer,The smart meter fee again\nm2,2026-11-10,Agent,Sure thing\n' \
  > calls/multi.csv
"$CALLSIGHT" analyze calls --store s.db -q -o /dev/null
before=$(sha256sum s.db)

"$CALLSIGHT" discover --store s.db --since 2026-11-09 --until 2026-11-15 -j 1 > j1.json 2> log.txt
"$CALLSIGHT" discover --store s.db --since 2026-11-09 --until 2026-11-15 -j 2 -q -o j2.json
cmp j1.json j2.json || fail "-j 1 and -j 2 reports differ"
[ "$(sha256sum s.db)" = "$before" ] || fail "discover changed the store"
[ ! -e s.db-wal ] || [ ! -s s.db-wal ] || fail "discover wrote to the store's journal"
contains log.txt "store s.db: 21 calls in 2026-11-09..2026-11-15 (21 files), 21 in 2026-11-02..2026-11-08 (21 files)"
first=$(jq -c '.phrases[0] | [.phrase, .calls, .reference_frequency, .growth]' j1.json)
# 10 planted calls plus m2; m1 (the week before) is not in the target.
[ "$first" = '["smart meter fee",11,0,"new"]' ] || fail "first phrase: $first"
[ "$(jq -r '.phrases[0].example.file' j1.json)" = calls/multi.csv ] || fail "example file"
for common in "annual plan" "cancel my plan" "plan" "loyalty bonus"; do
  if jq -e --arg p "$common" '.phrases[] | select(.phrase == $p)' j1.json > /dev/null; then
    fail "'$common' should not be reported"
  fi
done
[ "$(jq -c '[.target.calls, .reference.kind, .reference.source, .reference.window, .reference.calls]' j1.json)" = \
  '[21,"store","s.db","2026-11-02..2026-11-08",21]' ] || { jq .reference j1.json >&2; fail "reference"; }
[ "$(jq -c '.window | [.period, .current.since, .current.until, .previous.since, .previous.until, .calls_without_date]' j1.json)" = \
  '["range","2026-11-09","2026-11-15","2026-11-02","2026-11-08",0]' ] || { jq .window j1.json >&2; fail "window"; }
[ "$(jq '.errors | length' j1.json)" = 0 ] || fail "errors in a clean run"

# --period week: the same two weeks, named as ISO weeks, in CSV and Markdown.
"$CALLSIGHT" discover --store s.db --period week --until 2026-11-15 -q -f csv > week.csv
head -1 week.csv | grep -q ',reference_kind,reference_source,window,reference_window$' ||
  fail "CSV header: $(head -1 week.csv)"
grep -q '^1,smart meter fee,.*,store,s.db,2026-W46,2026-W45$' week.csv || fail "CSV row: $(cat week.csv)"
"$CALLSIGHT" discover --store s.db --period week --until 2026-11-15 -q -f md > week.md
contains week.md "21 calls of 2026-W46 (2026-11-09 to 2026-11-15) (400 customer words) against the 21 calls of the window before, 2026-W45 (2026-11-02 to 2026-11-08), in the store s.db"
contains week.md "| 1 | smart meter fee | 11 |"

# Usage errors (exit 2), nothing mined, no store created.
run_status code "$CALLSIGHT" discover --store s.db 2> err1.txt
expect_code 2 "$code" "--store without a window"
contains err1.txt "give --period or --since"
run_status code "$CALLSIGHT" discover --store s.db --period week --baseline calls 2> err2.txt
expect_code 2 "$code" "--store with --baseline"
contains err2.txt "it does not combine with --baseline or --background"
run_status code "$CALLSIGHT" discover calls --store s.db --period week 2> err3.txt
expect_code 2 "$code" "--store with PATH"
contains err3.txt "discover --store mines the stored calls of the window: give no PATH"
run_status code "$CALLSIGHT" discover calls --period week 2> err4.txt
expect_code 2 "$code" "--period without --store"
contains err4.txt "--period: these work on stored calls, they need --store FILE"
run_status code "$CALLSIGHT" discover --store none.db --period week 2> err5.txt
expect_code 2 "$code" "a missing store"
contains err5.txt "store none.db: no such file or directory (callsight analyze --store creates it)"
[ ! -e none.db ] || fail "discover created a store"
run_status code "$CALLSIGHT" discover 2> err6.txt
expect_code 2 "$code" "neither PATH nor --store"
contains err6.txt "give transcript files or folders (PATH), or --store FILE"
# A window before which nothing is stored: nothing to compare with.
run_status code "$CALLSIGHT" discover --store s.db --period week --until 2026-11-08 2> err7.txt
expect_code 2 "$code" "an empty previous window"
contains err7.txt "no usable stored calls dated in the window before, 2026-W44 (2026-10-26 to 2026-11-01)"

# A stored file that is gone and one changed since: named, the rest is mined, exit 1.
rm calls/w46-0002.txt
printf 'Customer: something else\n' >> calls/w46-0004.txt
run_status code "$CALLSIGHT" discover --store s.db --period week --until 2026-11-15 \
  -o partial.json 2> err8.txt
expect_code 1 "$code" "stored files gone or changed"
contains err8.txt "calls/w46-0002.txt: its stored calls cannot be re-read: no such file or directory"
contains err8.txt "calls/w46-0004.txt: changed since it was stored"
[ "$(jq -c '[.target.calls, .target.files_failed, .phrases[0].phrase, [.errors[].file]]' partial.json)" = \
  '[19,2,"smart meter fee",["calls/w46-0002.txt","calls/w46-0004.txt"]]' ] ||
  { jq '{target, errors}' partial.json >&2; fail "partial report"; }
echo OK
