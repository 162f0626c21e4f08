#!/usr/bin/env bash
# One command from a fresh Debian machine to a report: installs what is
# missing, builds callsight in Release, and analyzes the bundled sample data.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCALLSIGHT_BUILD_TESTS=OFF >/dev/null
cmake --build build -j "$(nproc)"

mkdir -p out
status=0
./build/callsight analyze data/calls --metadata data/calls.csv --spend data/spend.csv \
  -o out/summary.json --calls out/calls.jsonl || status=$?
./build/callsight analyze data/calls --metadata data/calls.csv --spend data/spend.csv -q \
  --group-by campaign,source,agent,week --format csv -o out/summary.csv || status=$?
./build/callsight analyze data/calls --metadata data/calls.csv --spend data/spend.csv -q \
  --group-by campaign,source,week --format html -o out/report.html || status=$?
echo
echo "Reports written:"
echo "  out/summary.json   summary (totals, topics, groups by campaign/source/agent)"
echo "  out/summary.csv    the same in long form, one row per group x topic"
echo "  out/calls.jsonl    one line per call with topics and evidence"
echo "  out/report.html    self-contained page with charts (open it in a browser)"
echo "Binary: build/callsight (try: build/callsight analyze --help)"
exit "$status"
