# A hostile corpus, generated here: binary files, NUL bytes, truncated and
# 1,000,000-deep JSON, a 200 MB single line, empty and BOM-only files, invalid
# UTF-8, UTF-16 without BOM, unreadable files and folders, a symlink loop, a
# dangling link, FIFOs, names with spaces, newlines and non-UTF-8 bytes, and
# 50,000 tiny transcripts. The run must not crash or hang, must stay within
# bounded memory, must name each bad file with its reason on stderr and in the
# report, must count every good file, and must exit 1.
source "$(dirname "$0")/lib/common.bash" "$@"
trap 'chmod -R u+rwx "$WORK" 2> /dev/null; rm -rf "$WORK"' EXIT
started=$SECONDS
mkdir -p in/tiny in/nested/deeper

good='Agent: Thanks for calling Northwind, this is Maria.
Customer: Hi, how much is a tune-up? I saw your ad on Facebook.
Agent: It is $89 this month.
'
# Good files, some with awkward names, encodings and stray bytes.
printf '%s' "$good" > in/good-plain.txt
printf '%s' "$good" > "in/name with spaces.txt"
printf '%s' "$good" > "in/name with
newline.txt"
printf '%s' "$good" > "$(printf 'in/latin1-\xe9-name.txt')"
printf '%s' "$good" | iconv -f UTF-8 -t UTF-16LE > in/utf16-no-bom.txt
printf 'Customer: how much is it \xff\xfe\xc3 too expensive\n' > in/invalid-utf8.txt
printf '%s' "$good" > in/nested/deeper/good-nested.txt
# A transcript whose single line is long (4 MB) but under the size cap.
/usr/bin/python3 -c 'import sys; sys.stdout.write("Customer: " + "how much is it " * 280000 + "\n")' \
  > in/long-line.txt
# 50,000 tiny transcripts in one folder, written by one process.
/usr/bin/python3 - <<'PY'
for i in range(50000):
    with open(f"in/tiny/t{i:05d}.txt", "w") as f:
        f.write("Customer: how much\n")
PY
n_good=$((8 + 50000))

# Bad files: NUL-separated name and reason pairs (names may hold newlines),
# checked on stderr and in the report.
: > expected-errors
bad() { printf '%s\0%s\0' "$1" "$2" >> expected-errors; }
printf '\x7fELF\x02\x01\x01\x00\x00\x00\x00' > in/binary.bin
bad in/binary.bin "binary file (contains NUL bytes)"
printf 'Agent: hello\0Customer: price\n' > in/nul-in-text.txt
bad in/nul-in-text.txt "binary file (contains NUL bytes)"
/usr/bin/python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(128, 256)) * 100)' > in/high-bytes.dat
bad in/high-bytes.dat "not text: "
printf '{"turns": [{"speaker": "Agent", "text": "hel' > in/truncated.json
bad in/truncated.json "malformed JSON: 1:"
/usr/bin/python3 -c 'import sys; sys.stdout.write("[" * 1000000)' > in/deep-open.json
bad in/deep-open.json "JSON nested deeper than 256 levels (--max-json-depth) at 1:257"
/usr/bin/python3 -c 'import sys; sys.stdout.write("{\"turns\":" + "[" * 1000000 + "]" * 1000000 + "}")' \
  > in/deep-closed.json
bad in/deep-closed.json "JSON nested deeper than 256 levels (--max-json-depth)"
/usr/bin/python3 -c 'import sys; sys.stdout.write("{\"text\": \"hi\"}\n{\"text\": " + "[" * 1000000 + "\n")' \
  > in/deep-line.jsonl
bad in/deep-line.jsonl "JSONL turns: line 2: JSON nested deeper than 256 levels"
# 200 MB on one line: sparse, so creating it costs nothing; refused unread.
printf 'Customer: ' > in/huge-line.txt
truncate -s 200M in/huge-line.txt
bad in/huge-line.txt "file is 209715200 bytes, over the 67108864-byte limit (--max-file-size)"
: > in/empty.txt
bad in/empty.txt "empty transcript (no text)"
printf '\xef\xbb\xbf' > in/bom-only.txt
bad in/bom-only.txt "empty transcript (no text)"
printf '\xff\xfe' > in/bom16-only.txt
bad in/bom16-only.txt "empty transcript (no text)"
: > "$(printf 'in/empty-\xff-name.txt')"
bad "$(printf 'in/empty-\xff-name.txt')" "empty transcript (no text)"
: > "in/empty with
newline.txt"
bad "in/empty with
newline.txt" "empty transcript (no text)"
ln -s self-loop in/self-loop
bad in/self-loop "symlink loop"
ln -s .. in/nested/up
bad in/nested/up "symlink loop"
ln -s does-not-exist.txt in/dangling.txt
bad in/dangling.txt "dangling symbolic link"
mkfifo in/fifo.txt
bad in/fifo.txt "not a regular file"
ln -s fifo.txt in/link-to-fifo.txt
bad in/link-to-fifo.txt "not a regular file"

# Unreadable entries: root ignores file modes, so as root the run drops the
# capabilities that do so (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH).
runner=()
unreadable=1
if [ "$(id -u)" = 0 ]; then
  if setpriv --bounding-set -dac_override,-dac_read_search true 2> /dev/null; then
    runner=(setpriv --bounding-set -dac_override,-dac_read_search)
  else
    unreadable=0
    echo "note: running as root without setpriv: the unreadable-file case is skipped" >&2
  fi
fi
if [ "$unreadable" = 1 ]; then
  printf '%s' "$good" > in/unreadable.txt
  chmod 000 in/unreadable.txt
  bad in/unreadable.txt "permission denied"
  mkdir in/locked && printf '%s' "$good" > in/locked/hidden-call.txt && chmod 000 in/locked
  bad in/locked "permission denied"
fi
echo "corpus generated in $((SECONDS - started)) s"

# Peak RSS of the run, read from the kernel's accounting of waited-for children.
run_started=$SECONDS
peak_rss_kb code rss-kb.txt "${runner[@]}" timeout -s KILL 120 \
  "$CALLSIGHT" analyze in -j 2 --calls calls.jsonl -o summary.json 2> stderr.txt
run_seconds=$((SECONDS - run_started))
expect_code 1 "$code" "analyze on the hostile corpus (stderr: $(head -c 2000 stderr.txt))"
rss_kb=$(cat rss-kb.txt)
echo "hostile corpus: ${run_seconds} s, peak RSS $((rss_kb / 1024)) MB"
# Under AddressSanitizer the bound is looser; it still shows memory does not
# grow with the 50,000 files.
rss_limit_mb=$(rss_limit_mb 300)
[ "$rss_kb" -lt $((rss_limit_mb * 1024)) ] ||
  fail "peak RSS ${rss_kb} KB, expected under ${rss_limit_mb} MB"
[ "$run_seconds" -lt 60 ] || fail "the run took ${run_seconds} s"

# Each bad file: on stderr with its reason (control characters and bytes that
# are not UTF-8 escaped), and in the report's errors.
/usr/bin/python3 - "$n_good" <<'PY' || fail "report check failed"
import json, sys
n_good = int(sys.argv[1])
fields = open("expected-errors", "rb").read().decode("utf-8", "surrogateescape").split("\0")[:-1]
expected = list(zip(fields[0::2], fields[1::2]))
n_bad = len(expected)

def escaped(name):
    out = []
    for ch in name:
        if ch == "\n":
            out.append("\\n")
        elif "\udc80" <= ch <= "\udcff":
            out.append("\\x%02X" % (ord(ch) - 0xDC00))
        else:
            out.append(ch)
    return "".join(out)

def as_json(name):  # the report holds valid UTF-8: other bytes become U+FFFD
    return "".join("\ufffd" if "\udc80" <= ch <= "\udcff" else ch for ch in name)

stderr = open("stderr.txt", "rb").read().decode("utf-8", "surrogateescape")
warnings = [l for l in stderr.split("\n") if l.startswith("callsight: warning: ")]
problems = [f"stderr line that is not a log line (unescaped newline?): {line!r}"
            for line in stderr.split("\n") if line and not line.startswith("callsight: ")]
summary = json.load(open("summary.json", encoding="utf-8"))
errors = {(e["file"], e["reason"]) for e in summary["errors"]}
for name, reason in expected:
    want = f"callsight: warning: {escaped(name)}: {reason}"
    if not any(w.startswith(want) for w in warnings):
        problems.append(f"stderr lacks {want!r}")
    if not any(f == as_json(name) and r.startswith(reason) for f, r in errors):
        problems.append(f"report errors lack {as_json(name)!r}: {reason!r}")
totals = summary["totals"]
if totals["files_failed"] != n_bad or len(summary["errors"]) != n_bad:
    problems.append(f"files_failed {totals['files_failed']}, errors {len(summary['errors'])}, expected {n_bad}")
if len(warnings) != n_bad:
    problems.append(f"{len(warnings)} warnings on stderr, expected {n_bad}")
if totals["calls"] != n_good:
    problems.append(f"calls {totals['calls']}, expected {n_good}")
if totals["invalid_utf8_replaced"] != 3:
    problems.append(f"invalid_utf8_replaced {totals['invalid_utf8_replaced']}, expected 3")
calls = [json.loads(l) for l in open("calls.jsonl", encoding="utf-8")]
files = {c["file"] for c in calls}
for name in ["in/name with spaces.txt", "in/name with\nnewline.txt", "in/latin1-\ufffd-name.txt",
             "in/utf16-no-bom.txt", "in/invalid-utf8.txt", "in/long-line.txt",
             "in/nested/deeper/good-nested.txt", "in/tiny/t49999.txt"]:
    if name not in files:
        problems.append(f"good file not counted: {name!r}")
if len(calls) != n_good:
    problems.append(f"{len(calls)} per-call records, expected {n_good}")
if problems:
    sys.exit("\n".join(problems))
PY
echo "hostile_corpus total: $((SECONDS - started)) s"
