#!/usr/bin/env bash
# Builds callsight with warnings as errors and runs the whole test suite, then
# builds again with AddressSanitizer + UndefinedBehaviorSanitizer and runs it
# there too, then runs every libFuzzer target for a bounded time
# (CALLSIGHT_FUZZ_SECONDS each, default 10). CI runs exactly this (.ci/run).
# Between the two, scripts/check-deb.sh installs the .deb on a clean Debian root.
# CALLSIGHT_SKIP_SANITIZERS=1 / CALLSIGHT_SKIP_FUZZ=1 / CALLSIGHT_SKIP_DEB=1
# skip those passes locally.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
jobs=$(nproc)

cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCALLSIGHT_WERROR=ON >/dev/null
cmake --build build-test -j "$jobs"
ctest --test-dir build-test --output-on-failure -j "$jobs"

# The .deb of that build installed with apt on a clean Debian root
# (debootstrap minbase), run there and purged: about 3 min the first time
# (mostly debootstrap from the mirror), 30 s once build-test/debian-root is
# cached. Every network step has a time limit, so CI fails, never hangs.
if [ "${CALLSIGHT_SKIP_DEB:-0}" != 1 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    CALLSIGHT_DEB_TIMEOUT=300 timeout -k 120 1200 bash scripts/check-deb.sh build-test ||
      { echo "test.sh: scripts/check-deb.sh failed or timed out (exit $?)" >&2; exit 1; }
  else
    echo "SKIP scripts/check-deb.sh: needs root (sudo bash scripts/check-deb.sh build-test)"
  fi
fi

if [ "${CALLSIGHT_SKIP_SANITIZERS:-0}" != 1 ]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCALLSIGHT_WERROR=ON \
    -DCALLSIGHT_SANITIZE=ON >/dev/null
  cmake --build build-asan -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"
fi

if [ "${CALLSIGHT_SKIP_FUZZ:-0}" != 1 ]; then
  bash scripts/fuzz.sh "${CALLSIGHT_FUZZ_SECONDS:-10}"
fi
