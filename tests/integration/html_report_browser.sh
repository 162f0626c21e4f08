# The HTML report in a real browser: headless Chromium opens the report of the
# sample data; the page script must finish (no uncaught error), the console
# must stay empty (no error, no blocked resource, no CSP violation), every
# chart must have one bar per value of the summary JSON of the same run, and a
# screenshot is kept as a test artifact:
#   ${CALLSIGHT_ARTIFACTS_DIR:-SOURCE_DIR/build-artifacts}/html-report.png
# Chromium is Debian's package, installed here when missing (as root). Without
# it the test prints SKIP and passes, unless CALLSIGHT_REQUIRE_BROWSER=1.
source "$(dirname "$0")/lib/common.bash" "$@"

CHROMIUM=/usr/bin/chromium
ARTIFACTS="${CALLSIGHT_ARTIFACTS_DIR:-$SRC/build-artifacts}"

skip() {
  [ "${CALLSIGHT_REQUIRE_BROWSER:-0}" = 1 ] && fail "$* (CALLSIGHT_REQUIRE_BROWSER=1)"
  echo "SKIP: html_report_browser: $*"
  exit 0
}

install_chromium() {
  [ "$(id -u)" = 0 ] || return 1
  command -v apt-get > /dev/null || return 1
  echo "installing chromium (apt-get install -y chromium) ..."
  export DEBIAN_FRONTEND=noninteractive
  # Without fresh package lists the first attempt may fail: update, then retry.
  apt-get install -y -q chromium > "$WORK/apt.log" 2>&1 ||
    { apt-get update -q >> "$WORK/apt.log" 2>&1 && apt-get install -y -q chromium >> "$WORK/apt.log" 2>&1; } ||
    { tail -n 5 "$WORK/apt.log" >&2; return 1; }
}

if [ ! -x "$CHROMIUM" ]; then
  install_chromium || skip "$CHROMIUM is missing and could not be installed"
  [ -x "$CHROMIUM" ] || skip "$CHROMIUM is missing after installing the chromium package"
fi

# run_chromium ARGS...: a fresh profile per run, nothing fetched in the background.
run_chromium() {
  local profile
  profile=$(mktemp -d "$WORK/profile.XXXXXX")
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-extensions --disable-default-apps --user-data-dir="$profile" "$@"
}

# The summary JSON and the HTML report of the same run.
cd "$SRC"
args=(analyze "$SRC/data/calls" --metadata "$SRC/data/calls.csv" --spend "$SRC/data/spend.csv"
      --group-by campaign,source,week -q)
run_status code "$CALLSIGHT" "${args[@]}" -o "$WORK/summary.json"
expect_code 0 "$code" "analyze (JSON)"
run_status code "$CALLSIGHT" "${args[@]}" --format html -o "$WORK/report.html"
expect_code 0 "$code" "analyze --format html"
cd "$WORK"
[ -s report.html ] || fail "report.html is empty"

# (a) The DOM after the page script ran, with the console on stderr.
run_status code run_chromium --enable-logging=stderr --v=0 --dump-dom "file://$WORK/report.html" \
  > dom.html 2> console.log
expect_code 0 "$code" "chromium --dump-dom"
grep -q '</html>' dom.html || { cat console.log >&2; fail "chromium printed no DOM"; }

# (b) Every console message counts: the page logs nothing itself, so any line
# is an uncaught error, a CSP violation or a blocked request.
if grep -E ':CONSOLE[:(]|Uncaught' console.log > console-messages.txt; then
  cat console-messages.txt >&2
  fail "the browser console is not empty"
fi
/usr/bin/python3 "$SRC/tests/integration/browser/check_report_dom.py" summary.json dom.html ||
  fail "the report DOM does not match the summary JSON"

# (c) A screenshot for people to look at (CI keeps the artifacts folder).
mkdir -p "$ARTIFACTS"
rm -f "$ARTIFACTS/html-report.png"
run_status code run_chromium --hide-scrollbars --window-size=1280,2400 \
  --screenshot="$ARTIFACTS/html-report.png" "file://$WORK/report.html" 2> screenshot.log
expect_code 0 "$code" "chromium --screenshot"
[ -s "$ARTIFACTS/html-report.png" ] || { tail -n 20 screenshot.log >&2; fail "no screenshot written"; }
cp report.html "$ARTIFACTS/html-report.html"
echo "screenshot: $ARTIFACTS/html-report.png"
