# A folder with broken files: each is named with its reason on stderr and in
# the report, the good files are still counted, and the exit code is 1.
source "$(dirname "$0")/lib/common.bash" "$@"
mkdir in
printf 'Agent: Hello.\nCustomer: How much is a tune-up?\n' > in/a-good.txt
printf 'Customer: I want to cancel my plan.\n' > in/c-good.txt
: > in/b-empty.txt
printf '\x7fELF\x00\x00\x01' > in/d-binary.txt
printf '{"results": {}}' > in/e-unknown.json
run_status code "$CALLSIGHT" analyze in -o report.json 2> stderr.txt
expect_code 1 "$code" "analyze with broken files"
contains stderr.txt "in/b-empty.txt: empty transcript (no text)"
contains stderr.txt "in/d-binary.txt: binary file"
contains stderr.txt "in/e-unknown.json: unrecognized transcript format"
contains report.json '"calls": 2'
contains report.json '"files_failed": 3'
contains report.json '"file": "in/b-empty.txt"'
# A path that does not exist is a failed file too, not a crash.
run_status code "$CALLSIGHT" analyze in/a-good.txt nope.txt -q -o /dev/null
expect_code 1 "$code" "missing input"
