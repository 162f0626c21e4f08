#!/usr/bin/env bash
# kill -9 during a --store run over a few thousand files: the store passes
# SQLite's integrity check, holds only whole files (each usable file with its
# calls), and the next run analyzes exactly the rest, ending with the same
# report as a clean run.
source "$(dirname "$0")/lib/common.bash"
TAX="$FIXTURES/store/taxonomy.json"
FILES=3000

bash "$FIXTURES/store/make_calls.sh" calls k 2026-10-01 28 "$FILES" 300
"$CALLSIGHT" analyze calls --store s.db -t "$TAX" -j 1 -o /dev/null 2>/dev/null &
pid=$!
# Kill as soon as the first batch is committed (batches of 256 files).
committed=0
for _ in $(seq 1 2000); do
  committed=$(sqlite3 s.db 'SELECT count(*) FROM files' 2>/dev/null || echo 0)
  [ "${committed:-0}" -gt 0 ] && break
  sleep 0.005
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true

[ "$(sqlite3 s.db 'PRAGMA integrity_check')" = ok ] || fail "integrity check after kill -9"
stored=$(sqlite3 s.db 'SELECT count(*) FROM files')
[ "$stored" -lt "$FILES" ] || echo "note: the run finished before the kill ($stored files)" >&2
half=$(sqlite3 s.db 'SELECT count(*) FROM files f WHERE error IS NULL AND
  NOT EXISTS (SELECT 1 FROM calls c WHERE c.file_id = f.id)')
[ "$half" = 0 ] || fail "$half files stored without their calls"

"$CALLSIGHT" analyze calls --store s.db -t "$TAX" --group-by campaign,week -o after.json 2>/dev/null
[ "$(jq .store.files_analyzed after.json)" = $((FILES - stored)) ] ||
  fail "the next run analyzed $(jq .store.files_analyzed after.json) files, expected $((FILES - stored))"
[ "$(jq .store.stored_calls after.json)" = "$FILES" ] || fail "the store does not hold every call"
[ "$(sqlite3 s.db 'PRAGMA integrity_check')" = ok ] || fail "integrity check after the rerun"

"$CALLSIGHT" analyze calls --store clean.db -t "$TAX" --group-by campaign,week -o clean.json 2>/dev/null
cmp -s <(jq 'del(.store)' after.json) <(jq 'del(.store)' clean.json) ||
  fail "the report after kill -9 and a rerun differs from a clean run"
echo OK
