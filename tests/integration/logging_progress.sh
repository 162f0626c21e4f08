# --log-format json (one JSON object per stderr line, with file and reason for
# file errors), NO_COLOR, and the progress bar: on a terminal only (a
# pseudo-terminal from `script`), never in a file, a pipe, with -q or JSON logs.
source "$(dirname "$0")/lib/common.bash" "$@"
export XDG_CONFIG_HOME="$WORK/xdg" # no user config file
mkdir in
cp "$SRC/data/calls/call-0001.txt" in/
printf '\x00\x01binary' > in/broken.txt
: > in/empty.txt

# --- JSON log lines --------------------------------------------------------
run_status code "$CALLSIGHT" analyze in --log-format json -o out.json 2> log.jsonl
expect_code 1 "$code" "broken files"
python3 - log.jsonl <<'PY' || fail "JSON log lines"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert lines, "no log lines"
records = [json.loads(line) for line in lines]  # every line is one object
for r in records:
    assert {"time", "level", "message"} <= r.keys(), r
    assert r["time"].endswith("Z") and "T" in r["time"], r
warnings = [r for r in records if r["level"] == "warning"]
files = sorted(r["file"] for r in warnings)
assert files == ["in/broken.txt", "in/empty.txt"], files
assert all(r["reason"] and r["message"] == r["file"] + ": " + r["reason"] for r in warnings), warnings
assert any(r["level"] == "info" and r["message"].startswith("analyzed 1 calls") for r in records), records
PY
# Errors before the run, and usage errors, are JSON too.
run_status code "$CALLSIGHT" analyze in --log-format json --taxonomy missing.json 2> err.jsonl
expect_code 2 "$code" "missing taxonomy"
run_status code "$CALLSIGHT" analyze in --log-format json --no-such-flag 2> usage.jsonl
expect_code 2 "$code" "unknown flag"
python3 -c '
import json, sys
for path in sys.argv[1:]:
    for line in open(path):
        r = json.loads(line)
        assert r["level"] == "error", r
' usage.jsonl || fail "usage error as JSON: $(cat usage.jsonl)"
contains usage.jsonl "no-such-flag"
run_status code "$CALLSIGHT" analyze in --log-format yaml 2> err.txt
expect_code 2 "$code" "bad --log-format"

# --- plain text: no colour and no progress in a file ----------------------
run_status code "$CALLSIGHT" analyze in -o out.json 2> log.txt
expect_code 1 "$code" "broken files"
contains log.txt "callsight: warning: in/broken.txt: "
contains log.txt "callsight: info: analyzed 1 calls (2 failed)"
if grep -q $'\033' log.txt; then fail "escape sequences in a log file"; fi
if grep -q 'files/s' log.txt; then fail "progress bar in a log file"; fi
"$CALLSIGHT" analyze in -o out.json 2>&1 | cat > piped.txt || true
if grep -q $'\033\|files/s' piped.txt; then fail "colour or progress in a pipe"; fi

# --- a terminal: colour unless NO_COLOR; a progress bar --------------------
if ! command -v script > /dev/null; then
  echo "SKIP terminal checks: script (util-linux) is not installed"
  exit 0
fi
on_terminal() { # on_terminal OUTPUT COMMAND: runs COMMAND with a pseudo-terminal as stdout/stderr
  local out=$1
  shift
  script -qec "$*" /dev/null < /dev/null > "$out" 2>&1 || true
}
on_terminal tty.txt "'$CALLSIGHT' analyze in -o out.json"
contains tty.txt "warning"
grep -q $'\033\\[1;33mwarning' tty.txt || { cat -v tty.txt; fail "no colour on a terminal"; }
on_terminal tty-nocolor.txt "NO_COLOR=1 '$CALLSIGHT' analyze in -o out.json"
contains tty-nocolor.txt "callsight: warning: "
if grep -q $'\033\\[[0-9;]*m' tty-nocolor.txt; then cat -v tty-nocolor.txt; fail "colour despite NO_COLOR"; fi
on_terminal tty-dumb.txt "TERM=dumb '$CALLSIGHT' analyze in -o out.json"
if grep -q $'\033\\[[0-9;]*m' tty-dumb.txt; then fail "colour with TERM=dumb"; fi

# A transcript that arrives slowly on stdin keeps the run going for a while,
# so the bar is drawn several times, then erased before the summary line.
slow="(sleep 0.8; cat '$SRC/data/calls/call-0001.txt') | '$CALLSIGHT' analyze - -o out.json"
on_terminal progress.txt "$slow"
contains progress.txt "0/1 files"
contains progress.txt "files/s"
contains progress.txt "MB/s"
grep -q $'\r\033\\[K' progress.txt || fail "the progress bar is not erased"
tail -c 200 progress.txt | grep -q "analyzed 1 calls" || fail "the summary line should come last"
on_terminal progress-q.txt "$slow -q"
if grep -q 'files/s' progress-q.txt; then fail "progress bar despite -q"; fi
on_terminal progress-json.txt "$slow --log-format json"
if grep -q 'files/s' progress-json.txt; then fail "progress bar with JSON logs"; fi
# Per-call lines streaming to the same terminal: no bar running into them.
on_terminal progress-calls.txt "$slow --calls -"
contains progress-calls.txt '"call_id":"stdin"'
if grep -q 'files/s' progress-calls.txt; then fail "progress bar with --calls - on the terminal"; fi
# stderr redirected to a file while stdout is a terminal: no bar.
on_terminal progress-file.txt "$slow 2> '$WORK/stderr.txt'"
if grep -q 'files/s' progress-file.txt stderr.txt; then fail "progress bar when stderr is a file"; fi
contains stderr.txt "analyzed 1 calls"
echo "logging and progress: ok"
