#!/usr/bin/env bash
# --store keeps what depends on the transcript only; what depends on the call
# log is redone at every report: "when" call-log conditions follow today's call
# log without re-analysis, per-call records (hit lists, evidence) read back from
# the store equal a plain run's, and caller journeys span nights.
source "$(dirname "$0")/lib/common.bash"
RULES="$FIXTURES/taxonomy/rules.json"
JOURNEYS="$FIXTURES/journeys"

# --- per-call records from the store equal a plain run's ----------------------
cp -r "$FIXTURES/taxonomy/calls" calls
printf 'call_id,campaign\nuntimed,spring_sale\ntimed-1,spring_sale\n' > spring.csv
"$CALLSIGHT" analyze calls -t "$RULES" --metadata spring.csv --calls plain.jsonl -o plain.json 2>/dev/null
"$CALLSIGHT" analyze calls -t "$RULES" --metadata spring.csv --store s.db --calls stored.jsonl \
  -o stored.json 2>log1.txt
cmp plain.jsonl stored.jsonl || { diff plain.jsonl stored.jsonl >&2; fail "per-call records from the store differ from a plain run"; }
contains stored.jsonl '"id":"spring_campaign"'
contains stored.jsonl '"hit_list":[{"turn":1,"begin":8,"end":14,"phrase":"coupon"}]'
jq -e '.topics[] | select(.id == "spring_campaign") | .calls == 2' stored.json >/dev/null ||
  fail "spring_campaign should hold with the spring call log"

# --- a changed call log re-decides "when" conditions without re-analysis ------
printf 'call_id,campaign\nuntimed,fall_sale\ntimed-1,fall_sale\n' > fall.csv
"$CALLSIGHT" analyze calls -t "$RULES" --metadata fall.csv --store s.db --calls fall.jsonl \
  -o fall.json 2>log2.txt
[ "$(jq .store.files_analyzed fall.json)" = 0 ] || fail "a call-log change must not re-analyze files"
if grep -q '"spring_campaign"' fall.jsonl; then fail "spring_campaign kept under a fall call log"; fi
jq -e '([.topics[] | select(.id == "spring_campaign")] | length == 0) or
       (.topics[] | select(.id == "spring_campaign") | .calls == 0)' fall.json >/dev/null ||
  fail "the summary still counts spring_campaign"
"$CALLSIGHT" analyze calls -t "$RULES" --metadata fall.csv --calls fall-plain.jsonl \
  -o /dev/null 2>/dev/null
cmp fall-plain.jsonl fall.jsonl || fail "stored calls under the fall log differ from a plain run"

# --- journeys span nights -----------------------------------------------------
# Night 1 sees the first half of the planted calls, night 2 all of them; the
# store's report on night 2 gives the same journeys as one run over all calls.
mkdir night
for f in "$JOURNEYS"/calls/j0[1-5].txt; do cp "$f" night/; done
cp "$JOURNEYS/salt" salt && chmod 600 salt
common=(-t "$JOURNEYS/taxonomy.json" --metadata "$JOURNEYS/calls.csv" --caller-key phone
  --salt-file salt)
"$CALLSIGHT" analyze night "${common[@]}" --store j.db -o n1.json --journeys n1.jsonl 2>/dev/null
cp -n "$JOURNEYS"/calls/*.txt night/
"$CALLSIGHT" analyze night "${common[@]}" --store j.db -o n2.json --journeys n2.jsonl 2>log3.txt
[ "$(jq .store.files_skipped n2.json)" = 5 ] || fail "night 2 should skip night 1's five files"
"$CALLSIGHT" analyze night "${common[@]}" -o all.json --journeys all.jsonl 2>/dev/null
cmp all.jsonl n2.jsonl || { diff all.jsonl n2.jsonl >&2; fail "journeys from the store differ from one run"; }
[ "$(jq -c .journeys all.json)" = "$(jq -c .journeys n2.json)" ] ||
  fail "the journeys section from the store differs from one run"
if cmp -s n1.jsonl n2.jsonl; then fail "night 2's journeys should grow"; fi
# Journeys from the store alone (no PATH) are the same.
"$CALLSIGHT" analyze "${common[@]}" --store j.db -o alone.json --journeys alone.jsonl 2>/dev/null
cmp all.jsonl alone.jsonl || fail "journeys from the store alone differ"
