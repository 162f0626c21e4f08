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
contains pets.csv "all,all,1,,,,pets,pets,concern,1,1,1"
