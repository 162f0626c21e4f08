# `taxonomy init` prints a taxonomy that `taxonomy check` accepts and that
# `analyze --taxonomy` uses; a broken taxonomy gives line:column errors.
source "$(dirname "$0")/lib/common.bash" "$@"
"$CALLSIGHT" taxonomy init > default.json
"$CALLSIGHT" taxonomy init -o default2.json
cmp default.json default2.json || fail "init to stdout and to a file differ"
cmp default.json "$SRC/data/taxonomy.json" || fail "init does not print data/taxonomy.json"
"$CALLSIGHT" taxonomy check default.json > check.txt
grep -Eq '^default.json: ok \([0-9]+ topics, [0-9]+ phrases\)$' check.txt || fail "check: $(cat check.txt)"

run_status code "$CALLSIGHT" taxonomy check "$FIXTURES/taxonomy/broken.json" > out.txt 2> err.txt
expect_code 1 "$code" "check of a broken taxonomy"
sed "s|$FIXTURES/||" err.txt > errors.txt
golden errors.txt taxonomy_broken_errors.txt

run_status code "$CALLSIGHT" analyze "$FIXTURES/taxonomy" --taxonomy "$FIXTURES/taxonomy/broken.json" 2> err.txt
expect_code 2 "$code" "analyze with a broken taxonomy"

mkdir calls && printf 'Customer: my dog ate the remote\n' > calls/c.txt
printf '{"schema_version": 1, "topics": [{"id": "pets", "phrases": ["dog*"]}]}' > pets.json
"$CALLSIGHT" analyze calls --taxonomy pets.json -q --format csv > pets.csv
contains pets.csv "all,all,1,0,0,,pets,pets,concern,1,1,1"

# Rule-language mistakes: each with its line:column; warnings do not fail a check.
run_status code "$CALLSIGHT" taxonomy check "$FIXTURES/taxonomy/rules_broken.json" > out.txt 2> err.txt
expect_code 1 "$code" "check of a taxonomy with rule errors"
sed "s|$FIXTURES/||" err.txt > errors.txt
golden errors.txt taxonomy_rules_errors.txt
printf '{"schema_version": 1, "topics": [{"id": "a", "phrases": ["e-mail"]}]}' > warn.json
run_status code "$CALLSIGHT" taxonomy check warn.json > out.txt 2> err.txt
expect_code 0 "$code" "check of a taxonomy with only warnings"
contains err.txt 'warn.json:1:59: warning: topic "a": phrase "e-mail": word "e-mail" is split'
contains out.txt "warn.json: ok (1 topics, 1 phrases)"

# taxonomy test: which rule fired where, and why the rest did not.
"$CALLSIGHT" taxonomy check "$FIXTURES/taxonomy/rules.json" > check.txt
contains check.txt "rules.json: ok (6 topics, 9 phrases)"
(cd "$FIXTURES" && "$CALLSIGHT" taxonomy test taxonomy/rules.json taxonomy/calls/timed.json \
  taxonomy/calls/untimed.txt) > test.txt
golden test.txt taxonomy_test.txt
(cd "$FIXTURES" && "$CALLSIGHT" taxonomy test --format json taxonomy/rules.json \
  taxonomy/calls/timed.json taxonomy/calls/untimed.txt) > test.json
golden test.json taxonomy_test.json
run_status code "$CALLSIGHT" taxonomy test "$FIXTURES/taxonomy/rules.json" missing.txt > out.txt 2> err.txt
expect_code 1 "$code" "taxonomy test of a missing call file"
contains err.txt "missing.txt"
run_status code "$CALLSIGHT" taxonomy test "$FIXTURES/taxonomy/rules_broken.json" \
  "$FIXTURES/taxonomy/calls/untimed.txt" > out.txt 2> err.txt
expect_code 2 "$code" "taxonomy test with a broken taxonomy"

# analyze applies the same rules: the per-call record lists each topic's hits.
"$CALLSIGHT" analyze "$FIXTURES/taxonomy/calls" --taxonomy "$FIXTURES/taxonomy/rules.json" -q \
  --calls calls.jsonl -o /dev/null
contains calls.jsonl '{"id":"cancel_account","hits":1,"negated":0,"first_turn":1,"evidence":"Hi, I want to cancel my old account. It'"'"'s not too expensive, but the price match thing never worked.","hit_list":[{"turn":1,"begin":14,"end":35,"start_s":4.5,"phrase":"cancel NEAR/3 account"}]}'
grep -q '"id":"angry_long_call"' calls.jsonl && fail "a topic whose when-condition fails was tagged"
contains calls.jsonl '{"id":"spring_campaign","hits":1'
