# Hostile transcript text and metadata come out inert: escaped in HTML and
# Markdown, neutralized in CSV, valid in JSON.
source "$(dirname "$0")/lib/common.bash" "$@"
mkdir calls
cat > calls/evil.txt <<'TXT'
Campaign: =HYPERLINK("http://evil.example","click")
Source: <script>alert(1)</script>

Agent: Hello.
Customer: How much is it? "><img src=x onerror=alert(1)> <script>alert(2)</script> =HYPERLINK("http://x")
TXT
"$CALLSIGHT" analyze calls -q --group-by campaign,source --format html -o report.html
if grep -q '<script>alert' report.html; then fail "raw <script> from a transcript reached the HTML"; fi
if grep -q '<img src=x' report.html; then fail "raw <img> from a transcript reached the HTML"; fi
contains report.html '&lt;script&gt;alert(1)&lt;/script&gt;'
"$CALLSIGHT" analyze calls -q --group-by campaign,source --format csv > report.csv
contains report.csv "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""
if grep -q '^[^,]*,=' report.csv; then fail "a CSV cell starts with ="; fi
"$CALLSIGHT" analyze calls -q --group-by campaign,source --format md > report.md
if grep -q '<script>' report.md; then fail "raw <script> reached the Markdown"; fi
"$CALLSIGHT" analyze calls -q --group-by campaign,source -o report.json --calls calls.jsonl
/usr/bin/python3 -c 'import json,sys; json.load(open("report.json")); [json.loads(l) for l in open("calls.jsonl")]' ||
  fail "JSON output is not valid"
