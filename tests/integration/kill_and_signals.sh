# Faults while running: SIGKILL mid-run leaves the previous report and per-call
# file byte-identical; SIGINT/SIGTERM stop within a few seconds with exit
# 130/143 and a message, keep the previous outputs and remove their temp
# files; writing into a closed pipe ends quietly with exit 0.
# Each run reads a corpus folder and then a FIFO nobody writes to, so it is
# always mid-run (busy, or waiting on the FIFO) when the signal lands.
source "$(dirname "$0")/lib/common.bash" "$@"
started=$SECONDS
mkdir in
/usr/bin/python3 - <<'PY'
for i in range(1000):
    with open(f"in/call-{i:04d}.txt", "w") as f:
        f.write("Agent: Northwind, this is Maria.\n"
                f"Customer: How much is plan {i}? It seems too expensive, I might cancel.\n" * 8)
PY
mkfifo hold

"$CALLSIGHT" analyze "$SRC/data/calls" -q -o summary.json --calls calls.jsonl
cp summary.json summary.before
cp calls.jsonl calls.before

# start_run STDERR_FILE: a run over the corpus and the FIFO, replacing the
# same outputs; sets $pid. Returns once the run has created its first output.
start_run() {
  "$CALLSIGHT" analyze in hold -j 1 -o summary.json --calls calls.jsonl 2> "$1" &
  pid=$!
  for _ in $(seq 200); do
    if compgen -G '.calls.jsonl.tmp-*' > /dev/null; then
      return
    fi
    kill -0 "$pid" 2> /dev/null || fail "the run ended before it could be signalled: $(cat "$1")"
    sleep 0.05
  done
  fail "the run never started writing its outputs"
}

outputs_unchanged() { # WHAT
  cmp -s summary.json summary.before || fail "$1: the previous report was changed"
  cmp -s calls.jsonl calls.before || fail "$1: the previous per-call file was changed"
}

# (a) SIGKILL: nothing can run on the way out, so the temp file of an output
# being written may stay behind (hidden, .NAME.tmp-XXXXXX); it never takes the
# report's name.
start_run kill.err
sleep 0.3
kill -KILL "$pid"
run_status code wait "$pid"
expect_code 137 "$code" "SIGKILL"
outputs_unchanged "SIGKILL"
for leftover in .*.tmp-*; do
  [ -e "$leftover" ] || continue
  case "$leftover" in
    .calls.jsonl.tmp-* | .summary.json.tmp-*) rm -f -- "$leftover" ;;
    *) fail "unexpected file after SIGKILL: $leftover" ;;
  esac
done

# (b) SIGINT and SIGTERM: a clean stop, the previous outputs untouched (a
# partial summary is never written), no temp files left.
for signal in INT TERM; do
  start_run "$signal.err"
  [ "$signal" = TERM ] && sleep 0.3 # INT lands while busy, TERM likely at the FIFO
  signalled=$SECONDS
  kill -"$signal" "$pid"
  run_status code wait "$pid"
  [ $((SECONDS - signalled)) -le 5 ] || fail "SIG$signal took $((SECONDS - signalled)) s to stop"
  want=$([ "$signal" = INT ] && echo 130 || echo 143)
  expect_code "$want" "$code" "SIG$signal"
  contains "$signal.err" "callsight: error: stopped by SIG$signal after "
  contains "$signal.err" "; no report written"
  outputs_unchanged "SIG$signal"
  if compgen -G '.*.tmp-*' > /dev/null; then
    fail "temp files left after SIG$signal: $(echo .*.tmp-*)"
  fi
done

# (c) A closed pipe: the reader has what it wanted, so no error and exit 0
# (the usual info line may still be printed).
quiet_pipe() { # WHAT
  if grep -E 'callsight: (error|warning)|Broken pipe|terminate' pipe.err; then
    fail "$1: error messages on a closed pipe"
  fi
}
run_status code bash -c '"$1" analyze "$2/data/calls" 2> pipe.err | head -c 10 > head.out; exit "${PIPESTATUS[0]}"' \
  _ "$CALLSIGHT" "$SRC"
expect_code 0 "$code" "analyze | head -c 10"
[ "$(wc -c < head.out)" = 10 ] || fail "head got $(wc -c < head.out) bytes"
quiet_pipe "analyze | head -c 10"
# The reader is gone before the first byte is written: EPIPE for certain.
for output in "-o -" "--calls - -o /dev/null"; do
  set +e
  bash -c 'sleep 0.3; exec "$1" analyze "$2/data/calls" '"$output"' 2> pipe.err' _ "$CALLSIGHT" "$SRC" | true
  code=${PIPESTATUS[0]}
  set -e
  expect_code 0 "$code" "analyze $output into a closed pipe"
  quiet_pipe "analyze $output"
done
echo "kill_and_signals: $((SECONDS - started)) s"
