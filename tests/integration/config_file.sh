# Config file: defaults per command from $XDG_CONFIG_HOME/callsight/config.json
# or --config FILE, the command line winning, --no-config, --show-config with
# the source of every value, and errors naming file, line and key (exit 2).
source "$(dirname "$0")/lib/common.bash" "$@"
export XDG_CONFIG_HOME="$WORK/xdg"
mkdir -p "$XDG_CONFIG_HOME/callsight" in
cp "$SRC/data/calls/call-0001.txt" "$SRC/data/calls/call-0002.txt" in/
printf 'call_id,campaign,started_at\ncall-0001,tv,2026-01-05\ncall-0002,radio,2026-01-13\n' > log.csv
CONFIG="$XDG_CONFIG_HOME/callsight/config.json"
cat > "$CONFIG" <<'JSON'
{
  // defaults for the nightly report
  "analyze": {
    "format": "csv",
    "metadata": "log.csv",
    "group-by": ["campaign", "week"],
    "threads": 2,
    "quiet": true
  },
  "discover": {"top": 5}
}
JSON

# The file supplies the defaults: CSV grouped by campaign and week, quiet.
"$CALLSIGHT" analyze in > from-config.csv 2> err.txt
contains from-config.csv "dimension,group,calls"
contains from-config.csv "week,2026-W03"
contains from-config.csv "campaign,radio"
[ ! -s err.txt ] || fail "quiet from the config file, yet stderr has: $(cat err.txt)"
# Same as giving the options by hand.
"$CALLSIGHT" analyze in -f csv -m log.csv -g campaign,week -j 2 -q > by-hand.csv
cmp from-config.csv by-hand.csv || fail "config defaults differ from the same options by hand"

# The command line wins; --no-config ignores the file.
"$CALLSIGHT" analyze in --format json > cli.json
contains cli.json '"schema_version"'
contains cli.json '"campaign"'
"$CALLSIGHT" analyze in --no-config > none.json 2> none-err.txt
contains none.json '"schema_version"'
if grep -q '"campaign"' none.json; then fail "--no-config still grouped by the config's campaign"; fi
contains none-err.txt "callsight: info: analyzed 2 calls"

# A flag the file turns on is turned off on the command line with --flag=false.
"$CALLSIGHT" analyze in --quiet=false -o /dev/null 2> loud.txt
contains loud.txt "callsight: info: analyzed 2 calls"
"$CALLSIGHT" analyze --quiet=false --show-config > show-loud.txt
grep -Eq -- "^  --quiet +false +command line$" show-loud.txt || { cat show-loud.txt; fail "--quiet=false"; }

# --show-config: every value and where it came from; no PATH needed; exit 0.
"$CALLSIGHT" analyze --show-config -f md > show.txt
contains show.txt "callsight analyze: config file: $CONFIG"
grep -Eq -- "^  --format +md +command line$" show.txt || { cat show.txt; fail "--format from the command line"; }
grep -Eq -- "^  --metadata +log.csv +config $CONFIG:5$" show.txt || { cat show.txt; fail "--metadata source"; }
grep -Eq -- "^  --group-by +campaign,week +config $CONFIG:6$" show.txt || { cat show.txt; fail "--group-by source"; }
grep -Eq -- "^  --threads +2 +config $CONFIG:7$" show.txt || { cat show.txt; fail "--threads source"; }
grep -Eq -- "^  --quiet +true +config $CONFIG:8$" show.txt || { cat show.txt; fail "--quiet source"; }
grep -Eq -- "^  --max-file-size +64M +default$" show.txt || { cat show.txt; fail "--max-file-size default"; }
grep -Eq -- "^  --no-redact +false +default$" show.txt || { cat show.txt; fail "--no-redact default"; }
"$CALLSIGHT" analyze --show-config --no-config > show-none.txt
contains show-none.txt "config file: (none)"
grep -Eq -- "^  --format +json +default$" show-none.txt || { cat show-none.txt; fail "default format"; }

# --config FILE instead of the default one; repeatable options take arrays.
cat > other.json <<'JSON'
{"analyze": {"agent-speaker": ["spk_0", "Speaker 1"], "no-redact": true}}
JSON
"$CALLSIGHT" analyze --config other.json --show-config > show-other.txt
grep -Eq -- "^  --agent-speaker +spk_0 Speaker 1 +config other.json:1$" show-other.txt ||
  { cat show-other.txt; fail "--agent-speaker from --config"; }
grep -Eq -- "^  --no-redact +true +config other.json:1$" show-other.txt || { cat show-other.txt; fail "--no-redact"; }
grep -Eq -- "^  --format +json +default$" show-other.txt || fail "--config must replace the default file"

# A required option may come from the file (eval --labels).
printf '{"eval": {"labels": "%s"}}\n' "$FIXTURES/eval/labels.csv" > eval.json
run_status code "$CALLSIGHT" eval --config eval.json "$FIXTURES/eval" -q -o from-config.md
run_status code2 "$CALLSIGHT" eval --no-config --labels "$FIXTURES/eval/labels.csv" "$FIXTURES/eval" -q -o by-hand.md
expect_code "$code2" "$code" "eval with --labels from the config file"
cmp from-config.md by-hand.md || fail "eval report differs with --labels from the config file"
run_status code "$CALLSIGHT" eval --no-config "$FIXTURES/eval" 2> err.txt
expect_code 2 "$code" "eval without --labels"

# Errors name the file, the line (and column) and the key; nothing runs.
expect_config_error() { # expect_config_error JSON TEXT
  printf '%s\n' "$1" > bad.json
  run_status code "$CALLSIGHT" analyze in --config bad.json 2> err.txt > out.txt
  expect_code 2 "$code" "config $1"
  contains err.txt "$2"
  [ ! -s out.txt ] || fail "a report was written despite the config error"
}
expect_config_error '{"analyze": {
  "thread": 4}}' "callsight: error: bad.json:2:3: analyze: unknown option 'thread' (options: taxonomy, metadata,"
expect_config_error '{"analyze": {"threads": "four"}}' "bad.json:1:25: analyze.threads: expected an integer, not a string"
expect_config_error '{"analyze": {"threads": -1}}' "bad.json:1:25: analyze.threads: Could not convert: --threads = -1"
expect_config_error '{"analyze": {"quiet": "yes"}}' "bad.json:1:23: analyze.quiet: expected true or false, not a string"
expect_config_error '{"analyze": {"format": "xml"}}' "bad.json:1:24: analyze.format: --format: xml not in {json,csv,csv-wide,md,html,partial}"
expect_config_error '{"analyse": {}}' "bad.json:1:2: unknown command 'analyse' (sections: analyze, merge, discover, eval)"
expect_config_error '{"analyze": []}' "bad.json:1:13: 'analyze' must be an object of options, not an array"
expect_config_error '{"analyze": {"config": "x.json"}}' "analyze: unknown option 'config'"
expect_config_error '{"analyze": {"threads": 1, "threads": 2}}' "bad.json:1:28: analyze.threads is set twice (first at line 1)"
expect_config_error '{"analyze": {"threads": 1,}}' "bad.json: malformed JSON: 1:"
expect_config_error '[1]' "bad.json:1:1: expected an object of commands"
# Another command's section is checked too, so a typo never waits for that command.
expect_config_error '{"discover": {"topp": 3}}' "bad.json:1:15: discover: unknown option 'topp'"

run_status code "$CALLSIGHT" analyze in --config missing.json 2> err.txt
expect_code 2 "$code" "missing --config file"
contains err.txt "missing.json: no such file or directory"
run_status code "$CALLSIGHT" analyze in --config other.json --no-config 2> err.txt
expect_code 2 "$code" "--config with --no-config"
# A broken default file is an error too, unless --no-config.
printf '{"analyze": {"threads": true}}\n' > "$CONFIG"
run_status code "$CALLSIGHT" analyze in 2> err.txt
expect_code 2 "$code" "broken default config"
contains err.txt "$CONFIG:1:25: analyze.threads: expected an integer, not a boolean"
"$CALLSIGHT" analyze in --no-config -q > /dev/null
# No config file at all is fine.
rm "$CONFIG"
"$CALLSIGHT" analyze in -q > /dev/null
echo "config file: ok"
