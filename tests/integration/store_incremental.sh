#!/usr/bin/env bash
# --store: a growing folder is analyzed incrementally (counts asserted from the
# report's `store` section and from the store itself); touching files without
# changing them re-reads but does not re-analyze; a changed taxonomy re-tags
# and says so; reports from the store do not depend on -j or ingest order.
source "$(dirname "$0")/lib/common.bash"
MAKE="$FIXTURES/store/make_calls.sh"
TAX="$FIXTURES/store/taxonomy.json"

field() { jq -r ".store.$2" "$1"; }
expect_field() { # expect_field REPORT FIELD WANT
  local got
  got=$(field "$1" "$2")
  [ "$got" = "$3" ] || { jq .store "$1" >&2; fail "$1: store.$2 is $got, expected $3"; }
}

# Run 1: ten files.
bash "$MAKE" calls a 2026-11-02 7 10 3
"$CALLSIGHT" analyze calls --store s.db -t "$TAX" -o r1.json 2>log1.txt
expect_field r1.json files_seen 10
expect_field r1.json files_analyzed 10
expect_field r1.json files_skipped 0
expect_field r1.json stored_calls 10
contains log1.txt "10 files seen, 10 analyzed, 0 skipped"
[ "$(sqlite3 s.db 'SELECT count(*) FROM files')" = 10 ] || fail "store does not hold 10 files"

# Run 2: five more files: only those are analyzed.
bash "$MAKE" calls b 2026-11-02 7 5 0
"$CALLSIGHT" analyze calls --store s.db -t "$TAX" -o r2.json 2>log2.txt
expect_field r2.json files_analyzed 5
expect_field r2.json files_skipped 10
expect_field r2.json calls_written 5
expect_field r2.json stored_calls 15
contains log2.txt "15 files seen, 5 analyzed, 10 skipped"
[ "$(sqlite3 s.db 'SELECT count(*) FROM calls')" = 15 ] || fail "store does not hold 15 calls"
[ "$(jq .totals.calls r2.json)" = 15 ] || fail "report does not cover 15 calls"

# Touch without change: read and hashed, not analyzed; mtimes updated, so the
# next run skips them without reading.
touch calls/*.txt
"$CALLSIGHT" analyze calls --store s.db -t "$TAX" -o r3.json 2>/dev/null
expect_field r3.json files_analyzed 0
expect_field r3.json files_unchanged 15
"$CALLSIGHT" analyze calls --store s.db -t "$TAX" -o r4.json 2>/dev/null
expect_field r4.json files_skipped 15
expect_field r4.json files_unchanged 0

# A changed file is re-analyzed and its calls replaced (not added).
sed -i 's/How much is the annual plan/I need to cancel, how much is the annual plan/' calls/b-0001.txt
"$CALLSIGHT" analyze calls --store s.db -t "$TAX" -o r5.json 2>/dev/null
expect_field r5.json files_analyzed 1
expect_field r5.json stored_calls 15
[ "$(jq '.topics[] | select(.id == "cancellation") | .calls' r5.json)" = 4 ] ||
  fail "the edited call's new cancellation is not counted"

# A file that disappeared keeps its calls (history) and is counted as missing.
mv calls/a-0010.txt gone.txt
"$CALLSIGHT" analyze calls --store s.db -t "$TAX" -o r6.json 2>/dev/null
expect_field r6.json files_missing 1
[ "$(jq .totals.calls r6.json)" = 15 ] || fail "the missing file's call left the report"

# A changed taxonomy re-tags every present file, says so, and counts the
# missing one as stale.
"$CALLSIGHT" analyze calls --store s.db -t "$FIXTURES/store/taxonomy-v2.json" -o r7.json 2>log7.txt
contains log7.txt "taxonomy changed: re-tagged 14 files; 1 stored files not found this run keep their old tags"
expect_field r7.json files_retagged 14
expect_field r7.json files_analyzed 14
expect_field r7.json stored_files_stale 1
expect_field r7.json taxonomy_changed true
"$CALLSIGHT" analyze calls --store s.db -t "$FIXTURES/store/taxonomy-v2.json" -o r8.json 2>/dev/null
expect_field r8.json files_analyzed 0
expect_field r8.json taxonomy_changed false

# Changed options (redaction) re-analyze too.
"$CALLSIGHT" analyze calls --store s.db -t "$FIXTURES/store/taxonomy-v2.json" --no-redact -o r9.json 2>log9.txt
contains log9.txt "analysis options changed: re-analyzed 14 files"

# Reports from the store: the same whatever -j and whatever order the files
# were stored in (here: the b files first, in another store).
mv gone.txt calls/a-0010.txt
mkdir -p later
mv calls/a-*.txt later/
"$CALLSIGHT" analyze calls --store other.db -t "$TAX" -j 1 -o /dev/null 2>/dev/null
mv later/a-*.txt calls/
"$CALLSIGHT" analyze calls --store other.db -t "$TAX" -j 2 -o /dev/null 2>/dev/null
"$CALLSIGHT" analyze calls --store fresh.db -t "$TAX" -j 2 -o /dev/null 2>/dev/null
for db in other.db fresh.db; do
  for j in 1 2; do
    "$CALLSIGHT" analyze --store "$db" -t "$TAX" --group-by campaign,week -j "$j" \
      --calls "calls-$db-$j.jsonl" -o "report-$db-$j.json" 2>/dev/null
    jq 'del(.store)' "report-$db-$j.json" >"norm-$db-$j.json"
  done
done
"$CALLSIGHT" analyze calls -t "$TAX" --group-by campaign,week --calls direct.jsonl -o direct.json 2>/dev/null
jq . direct.json >norm-direct.json
for f in norm-other.db-1.json norm-other.db-2.json norm-fresh.db-2.json; do
  cmp -s norm-fresh.db-1.json "$f" || { diff norm-fresh.db-1.json "$f" >&2; fail "$f differs"; }
done
cmp -s norm-fresh.db-1.json norm-direct.json ||
  { diff norm-direct.json norm-fresh.db-1.json >&2; fail "report from the store differs from a direct run"; }
cmp -s calls-other.db-2.jsonl direct.jsonl || fail "per-call output from the store differs"

# Usage errors: standard input cannot be stored; report options need --store.
run_status code "$CALLSIGHT" analyze - --store s.db </dev/null 2>err1.txt
expect_code 2 "$code" "analyze - --store"
contains err1.txt "standard input ('-') cannot be stored"
run_status code "$CALLSIGHT" analyze calls --period week 2>err2.txt
expect_code 2 "$code" "--period without --store"
contains err2.txt "they need --store"
echo "not a database at all, just text" >bad.db
run_status code "$CALLSIGHT" analyze calls --store bad.db 2>err3.txt
expect_code 2 "$code" "--store on a text file"
contains err3.txt "store bad.db: file is not a database"
echo OK
