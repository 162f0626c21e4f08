# --max-file-size, --max-turns and --max-json-depth: a file over a limit is
# named with the limit and the option to lift it, the rest of the run goes on,
# the same file passes once the limit is raised, and a bad value is a usage error.
source "$(dirname "$0")/lib/common.bash" "$@"
mkdir in
printf 'Agent: Hello.\nCustomer: How much is it?\nAgent: $89.\nCustomer: Too expensive.\n' > in/four-turns.txt
printf '{"turns": [{"speaker": "Agent", "text": "Hello", "extra": {"a": [[1]]}}]}' > in/depth-six.json
printf 'Customer: I want to cancel.\n' > in/small.txt

# Each limit just below what a file needs: that file fails, the others count.
run_status code "$CALLSIGHT" analyze in --max-turns 3 --max-json-depth 5 -o limited.json 2> limited.err
expect_code 1 "$code" "files over the limits"
contains limited.err "in/four-turns.txt: 4 turns, over the 3-turn limit (--max-turns)"
contains limited.err "in/depth-six.json: JSON nested deeper than 5 levels (--max-json-depth) at 1:66"
contains limited.json '"reason": "4 turns, over the 3-turn limit (--max-turns)"'
contains limited.json '"calls": 1,'
# At the limit: everything passes.
"$CALLSIGHT" analyze in --max-turns 4 --max-json-depth 6 -q -o ok.json
contains ok.json '"calls": 3,'
contains ok.json '"files_failed": 0'

# --max-file-size: files by their size, standard input by what arrives.
run_status code "$CALLSIGHT" analyze in --max-file-size 60 -o size.json 2> size.err
expect_code 1 "$code" "files over --max-file-size"
contains size.err "in/four-turns.txt: file is 77 bytes, over the 60-byte limit (--max-file-size)"
contains size.json '"files_failed": 2'
run_status code "$CALLSIGHT" analyze - --max-file-size 1K -o stdin.json 2> stdin.err < <(head -c 5000 /dev/zero | tr '\0' 'a')
expect_code 1 "$code" "standard input over --max-file-size"
contains stdin.err "-: input exceeds the 1024-byte limit (--max-file-size)"

# Bad values stop before any work.
for bad in "--max-turns 0" "--max-json-depth 0" "--max-turns -3" "--max-json-depth deep" "--max-file-size 0"; do
  # shellcheck disable=SC2086 # option and value are two words
  run_status code "$CALLSIGHT" analyze in $bad -o never.json 2> bad.err
  expect_code 2 "$code" "$bad"
  [ ! -e never.json ] || fail "$bad: a report was written"
done
contains bad.err "--max-file-size"
