# Calls in seven languages: each is detected and tagged with its language's
# phrases; a call that switches from Spanish to English is tagged in both;
# --language forces one; taxonomy check rejects unknown language codes.
source "$(dirname "$0")/lib/common.bash" "$@"
DIR="$FIXTURES/languages"
cp -r "$DIR/calls" calls

"$CALLSIGHT" analyze calls -t "$DIR/taxonomy.json" -j 2 -q --calls calls.jsonl \
  -o summary.json
golden calls.jsonl languages_calls.jsonl
# One call per language, the switching call in English (most words) and Spanish.
python3 - <<'PY' || fail "language mix or topics"
import json
calls = {json.loads(l)["file"]: json.loads(l) for l in open("calls.jsonl")}
want = {"de": "cancellation", "en": "cancellation", "es": "pricing", "fr": "cancellation pricing",
        "it": "cancellation", "nl": "pricing", "pt": "pricing"}
for lang, topics in want.items():
    call = calls[f"calls/{lang}.txt"]
    assert call["language"] == lang, (lang, call["language"])
    assert " ".join(t["id"] for t in call["topics"]) == topics, (lang, call["topics"])
switch = calls["calls/switch_es_en.txt"]
assert [s["language"] for s in switch["languages"]] == ["en", "es"], switch["languages"]
phrases = {t["id"]: t["hit_list"][0]["phrase"] for t in switch["topics"]}
assert phrases == {"cancellation": "cancelar", "pricing": "price"}, phrases
assert calls["calls/short.txt"]["language_reliable"] is False
summary = json.load(open("summary.json"))
assert summary["totals"]["languages"] == {"de": 1, "en": 3, "es": 1, "fr": 1, "it": 1, "nl": 1,
                                          "pt": 1}, summary["totals"]["languages"]
assert summary["taxonomy"]["languages"] == ["en", "de", "es", "fr", "it", "nl", "pt"]
PY
# The same run in one thread and in shards merged gives the same bytes.
"$CALLSIGHT" analyze calls -t "$DIR/taxonomy.json" -j 1 -q --calls calls1.jsonl -o summary1.json
cmp calls.jsonl calls1.jsonl || fail "per-call output depends on the thread count"
cmp summary.json summary1.json || fail "summary depends on the thread count"

"$CALLSIGHT" analyze calls -t "$DIR/taxonomy.json" -q --format md > report.md
contains report.md "- Languages: en 3, de 1, es 1, fr 1, it 1, nl 1, pt 1"

# --language forces every call: the Spanish call read as French finds nothing Spanish.
"$CALLSIGHT" analyze calls/es.txt calls/fr.txt -t "$DIR/taxonomy.json" --language fr -q \
  --calls forced.jsonl -o /dev/null
python3 - <<'PY' || fail "--language fr"
import json
calls = [json.loads(l) for l in open("forced.jsonl")]
assert [c["language"] for c in calls] == ["fr", "fr"]
assert all(c["language_forced"] for c in calls)
assert calls[0]["topics"] == [], calls[0]["topics"]
assert [t["id"] for t in calls[1]["topics"]] == ["cancellation", "pricing"]
PY

printf '{"schema_version": 1, "topics": [{"id": "a", "phrases": {"en": ["x"], "xx": ["y"]}}]}' \
  > bad.json
run_status code "$CALLSIGHT" taxonomy check bad.json > out.txt 2> err.txt
expect_code 1 "$code" "check of an unknown language"
contains err.txt 'bad.json:1:71: topic "a": unknown language "xx" (known: ar, ca, da, de, el, en, es,'
