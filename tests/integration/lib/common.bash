# Shared helpers for the CLI integration tests. Each test script is run by
# CTest as: bash SCRIPT CALLSIGHT_BINARY SOURCE_DIR, in a fresh temp folder.
# Set UPDATE_GOLDEN=1 to rewrite expected files instead of comparing.
set -euo pipefail

CALLSIGHT=$(readlink -f "$1")
SRC=$(readlink -f "$2")
EXPECTED="$SRC/tests/integration/expected"
FIXTURES="$SRC/tests/fixtures"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/callsight-cli.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# run_status VAR CMD...: runs CMD, stores its exit code in VAR, never aborts.
run_status() {
  local __var=$1
  shift
  set +e
  "$@"
  local __code=$?
  set -e
  printf -v "$__var" '%s' "$__code"
}

expect_code() { # expect_code WANT GOT WHAT
  [ "$1" = "$2" ] || fail "$3: exit code $2, expected $1"
}

# golden ACTUAL_FILE NAME: compares with expected/NAME (or rewrites it).
golden() {
  if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$1" "$EXPECTED/$2"
    echo "updated $EXPECTED/$2"
    return
  fi
  diff -u "$EXPECTED/$2" "$1" >&2 || fail "$2 differs from the expected output (UPDATE_GOLDEN=1 to accept)"
}

contains() { # contains FILE TEXT
  grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$1 does not contain: $2"; }
}

# peak_rss_kb CODE_VAR RSS_FILE CMD...: runs CMD, stores its exit code in
# CODE_VAR and its peak resident set size in KB (the kernel's accounting of
# waited-for children) in RSS_FILE.
peak_rss_kb() {
  local __var=$1 __file=$2
  shift 2
  run_status "$__var" /usr/bin/python3 -c '
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)' "$__file" "$@"
}

# rss_limit_mb MB: MB for a plain build, 2048 when CALLSIGHT links
# AddressSanitizer (its shadow memory and quarantine multiply the footprint).
rss_limit_mb() {
  if ldd "$CALLSIGHT" 2> /dev/null | grep -q libasan; then
    echo 2048
  else
    echo "$1"
  fi
}
