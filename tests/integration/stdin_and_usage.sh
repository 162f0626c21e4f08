# Standard input as a transcript, --help, --version, and usage errors (exit 2).
source "$(dirname "$0")/lib/common.bash" "$@"
printf 'Customer: I saw your ad on Facebook, how much is it?\n' |
  "$CALLSIGHT" analyze - --calls calls.jsonl -o summary.json -q
contains calls.jsonl '"call_id":"stdin","file":"-"'
contains summary.json '"calls": 1'

"$CALLSIGHT" --help > help.txt
contains help.txt "Exit codes: 0"
"$CALLSIGHT" analyze --help > analyze-help.txt
contains analyze-help.txt "--group-by"
contains analyze-help.txt "Examples:"
"$CALLSIGHT" --version > version.txt
grep -Eq '^callsight [0-9]+\.[0-9]+\.[0-9]+ \(' version.txt || fail "bad --version: $(cat version.txt)"

mkdir in && printf 'Customer: hi\n' > in/x.txt
run_status code "$CALLSIGHT" analyze in --no-such-flag 2> err.txt
expect_code 2 "$code" "unknown flag"
run_status code "$CALLSIGHT" analyze in --taxonomy missing.json 2> err.txt
expect_code 2 "$code" "missing taxonomy"
contains err.txt "missing.json: no such file or directory"
printf 'call_id,campaign\nx,tv\n' > log.csv
run_status code "$CALLSIGHT" analyze in --metadata log.csv --group-by campaing 2> err.txt
expect_code 2 "$code" "unknown group-by column"
contains err.txt "'campaing' is not a column of log.csv"
run_status code "$CALLSIGHT" analyze in --max-file-size 12Q 2> err.txt
expect_code 2 "$code" "bad size"
run_status code "$CALLSIGHT" analyze in --language klingon 2> err.txt
expect_code 2 "$code" "bad language"
run_status code "$CALLSIGHT" 2> err.txt
expect_code 2 "$code" "no subcommand"
# Output into a folder that does not exist: exit 3, nothing half-written.
run_status code "$CALLSIGHT" analyze in -q -o no/such/dir/report.json 2> err.txt
expect_code 3 "$code" "unwritable output"
contains err.txt "no/such/dir/report.json"

# Roles: generic speakers are inferred; --agent-speaker forces them.
printf 'spk_0: Hello?\nspk_1: Hi, this is Dana from Northwind, thank you for calling back, how can I help?\nspk_0: How much is a tune-up?\n' > roles.txt
"$CALLSIGHT" analyze roles.txt -q --calls roles.jsonl -o /dev/null
contains roles.jsonl '"roles":{"source":"inferred"'
contains roles.jsonl '"agent_speaker":"spk_1"'
"$CALLSIGHT" analyze roles.txt -q --agent-speaker SPK_0 --calls forced.jsonl -o /dev/null
contains forced.jsonl '"roles":{"source":"forced","confidence":1.0,"agent_speaker":"spk_0"}'

# Evidence is redacted unless --no-redact is asked for.
printf 'Customer: I was charged twice, card 4111 1111 1111 1111, call me back at 555-010-1234\n' > pii.txt
"$CALLSIGHT" analyze pii.txt -q --calls redacted.jsonl -o /dev/null
contains redacted.jsonl 'card [CARD], call me back at [PHONE]'
if grep -q '4111' redacted.jsonl; then fail "card number leaked into evidence"; fi
"$CALLSIGHT" analyze pii.txt -q --no-redact --calls plain.jsonl -o /dev/null
contains plain.jsonl '4111 1111 1111 1111'
