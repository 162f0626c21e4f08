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
