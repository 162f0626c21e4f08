# Every transcript format is detected from content through the CLI: one run
# over the format fixtures gives each call its format; `formats` lists them.
source "$(dirname "$0")/lib/common.bash" "$@"
"$CALLSIGHT" formats > formats.txt
for name in webvtt srt csv-turns jsonl-turns whisper-tsv whisper-json assemblyai deepgram json-turns text \
  aws-transcribe aws-call-analytics google-speech google-ccai azure-speech rev-ai speechmatics; do
  grep -q "^$name " formats.txt || fail "'callsight formats' does not list $name"
done
run_status code "$CALLSIGHT" analyze "$FIXTURES/formats" -q --calls calls.jsonl -o summary.json
/usr/bin/python3 - calls.jsonl > formats-seen.txt <<'PY'
import collections, json, sys
seen = collections.Counter(json.loads(line)["format"] for line in open(sys.argv[1]))
for name in sorted(seen):
    print(name)
PY
for name in webvtt srt csv-turns jsonl-turns whisper-tsv whisper-json assemblyai deepgram json-turns \
  aws-transcribe aws-call-analytics google-speech google-ccai azure-speech rev-ai speechmatics; do
  grep -qx "$name" formats-seen.txt || fail "no call was read as $name"
done
# Forcing a format that does not fit gives a clear per-file error, not a crash.
printf 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Agent>Hello.\n' > one.vtt
run_status code "$CALLSIGHT" analyze one.vtt --input-format deepgram -o /dev/null 2> err.txt
expect_code 1 "$code" "forced wrong format"
contains err.txt "one.vtt: malformed JSON"
