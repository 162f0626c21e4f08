#!/usr/bin/env bash
# Two --store runs at once on one store: each waits for the other's batches
# (busy timeout) and both succeed, or one fails with the documented message
# and exit code 3; the store is never damaged. A store held longer than
# --busy-timeout is reported as busy.
source "$(dirname "$0")/lib/common.bash"
TAX="$FIXTURES/store/taxonomy.json"

bash "$FIXTURES/store/make_calls.sh" calls c 2026-10-01 14 1500 150
"$CALLSIGHT" analyze calls --store s.db -t "$TAX" -j 1 -o a.json 2>a.log &
pa=$!
"$CALLSIGHT" analyze calls --store s.db -t "$TAX" -j 1 -o b.json 2>b.log &
pb=$!
wait "$pa" && code_a=0 || code_a=$?
wait "$pb" && code_b=0 || code_b=$?
for run in a b; do
  code=$([ "$run" = a ] && echo "$code_a" || echo "$code_b")
  case "$code" in
  0) [ "$(jq .totals.calls "$run.json")" -gt 0 ] || fail "run $run wrote an empty report" ;;
  3) contains "$run.log" "is busy (another callsight run?)" ;;
  *) cat "$run.log" >&2; fail "run $run: exit code $code" ;;
  esac
  cat "$run.log" >&2
done
[ "$(sqlite3 s.db 'PRAGMA integrity_check')" = ok ] || fail "integrity check after two runs"
"$CALLSIGHT" analyze calls --store s.db -t "$TAX" -o after.json 2>/dev/null
"$CALLSIGHT" analyze calls --store clean.db -t "$TAX" -o clean.json 2>/dev/null
cmp -s <(jq 'del(.store)' after.json) <(jq 'del(.store)' clean.json) ||
  fail "the store after two concurrent runs reports differently from a clean one"

# Another process holds the write lock for 3 s; a 1 s busy timeout gives up.
(echo "BEGIN IMMEDIATE; DELETE FROM calls WHERE 0;"; sleep 3; echo "COMMIT;") | sqlite3 s.db &
holder=$!
sleep 0.5
touch calls/c-0001.txt
run_status code "$CALLSIGHT" analyze calls --store s.db -t "$TAX" --busy-timeout 1 -o busy.json 2>busy.log
expect_code 3 "$code" "a store held past the busy timeout"
contains busy.log "store s.db is busy (another callsight run?)"
wait "$holder"
# With a longer timeout the same run waits and succeeds.
(echo "BEGIN IMMEDIATE; DELETE FROM calls WHERE 0;"; sleep 1; echo "COMMIT;") | sqlite3 s.db &
holder=$!
sleep 0.3
run_status code "$CALLSIGHT" analyze calls --store s.db -t "$TAX" --busy-timeout 10 -o waited.json 2>/dev/null
expect_code 0 "$code" "a run that waits for the lock"
wait "$holder"
[ "$(jq .store.files_unchanged waited.json)" = 1 ] || fail "the waiting run did not finish its work"
[ "$(sqlite3 s.db 'PRAGMA integrity_check')" = ok ] || fail "integrity check at the end"
echo OK
