# A plain-text file of millions of tiny turns is refused at --max-turns while
# it is parsed, holding at most the limit's turns: memory stays near twice the
# file's size (the bytes read and their decoded copy), where keeping every
# line took ~35x (a 60 MB file peaked at 3 GB), and the count in the message
# is still exact. The good file beside it is analyzed as usual.
source "$(dirname "$0")/lib/common.bash" "$@"
mkdir in
lines=4000000 # 24 MB of "A: ok" ("A" is a generic speaker label)
head -n "$lines" < <(yes 'A: ok') > in/tiny-turns.txt
printf 'Agent: Hello.\nCustomer: I want to cancel, it is too expensive.\n' > in/good.txt

started=$SECONDS
peak_rss_kb code rss-kb.txt timeout -s KILL 120 "$CALLSIGHT" analyze in -j 1 -o summary.json 2> stderr.txt
seconds=$((SECONDS - started))
expect_code 1 "$code" "analyze with a file over the turn limit (stderr: $(head -c 2000 stderr.txt))"
contains stderr.txt "in/tiny-turns.txt: $lines turns, over the 100000-turn limit (--max-turns)"
contains summary.json '"calls": 1,'
contains summary.json '"files_failed": 1'
rss_kb=$(cat rss-kb.txt)
echo "turn limit: ${seconds} s, peak RSS $((rss_kb / 1024)) MB for a $((lines * 6 / 1000000)) MB file"
limit=$(rss_limit_mb 150)
[ "$rss_kb" -lt $((limit * 1024)) ] || fail "peak RSS ${rss_kb} KB, expected under ${limit} MB"
[ "$seconds" -lt 60 ] || fail "the run took ${seconds} s"

# Within the limit the same kind of file is a call like any other.
head -n 1000 in/tiny-turns.txt > small.txt
rm in/tiny-turns.txt
mv small.txt in/tiny-turns.txt
"$CALLSIGHT" analyze in -j 1 -q -o ok.json --max-turns 1000
contains ok.json '"calls": 2,'
contains ok.json '"turns": 1002,'
