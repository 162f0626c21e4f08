#!/usr/bin/env bash
# Release check of the Debian package on a clean machine: builds
# callsight_*.deb with CPack, installs it with apt into a minimal Debian root
# (debootstrap --variant=minbase), so apt resolves its Depends from the mirror
# exactly as on a fresh install, runs the installed binary there, then purges
# the package and checks that nothing of it is left.
#
#   scripts/check-deb.sh [BUILD_DIR]        # default build-deb (Release, no tests)
#
# Needs root, debootstrap and the Debian mirror. The debootstrapped root is
# cached in BUILD_DIR/debian-root/pristine (delete it to start over); every run
# works on a fresh copy of it. Environment:
#   CALLSIGHT_DEB_SUITE    Debian release of the root (default: this machine's)
#   CALLSIGHT_DEB_MIRROR   mirror URL (default: the one in /etc/apt sources)
#   CALLSIGHT_DEB_TIMEOUT  seconds allowed for each network step (default 600)
# Prints PASS/FAIL per check and ends with "check-deb: N passed, M failed";
# exits non-zero when anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
build=$(realpath -m "${1:-build-deb}")
net_timeout=${CALLSIGHT_DEB_TIMEOUT:-600}
started=$SECONDS
passed=0
failed=0

pass() {
  echo "PASS: $*"
  passed=$((passed + 1))
}
fail() {
  echo "FAIL: $*"
  failed=$((failed + 1))
}
summary() {
  echo "check-deb: $passed passed, $failed failed ($((SECONDS - started)) s)"
}
die() { # a failure after which nothing else can be checked
  fail "$*"
  summary
  exit 1
}
show_log() { tail -n 30 "$1" | sed 's/^/  | /'; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot and mount need it)"
for tool in debootstrap chroot cpack dpkg-deb dpkg-shlibdeps timeout; do
  command -v "$tool" > /dev/null ||
    die "$tool is not installed (apt-get install debootstrap dpkg-dev cmake coreutils)"
done

# --- the Debian release and mirror this machine uses -------------------------
# shellcheck disable=SC1091
suite=${CALLSIGHT_DEB_SUITE:-$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")}
# mirror_for SUITE: the first URI that /etc/apt's sources (deb822 or one-line)
# list for SUITE, if any.
mirror_for() {
  local file
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    awk -v suite="$1" '
      function flush() { if (has && uri != "") { print uri; found = 1; exit } has = 0; uri = "" }
      /^[ \t]*$/ { flush(); next }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) has = 1 }
      END { if (!found) flush() }' "$file"
  done
  { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2> /dev/null || true; } |
    awk -v suite="$1" '$1 == "deb" { sub(/ \[[^]]*\]/, ""); if ($3 == suite) print $2 }'
}
# Plain http: a minbase root has no CA certificates for https.
first_http() { awk '/^http:\/\// && !found++'; }
mirror=${CALLSIGHT_DEB_MIRROR:-$(mirror_for "$suite" | first_http)}
mirror=${mirror:-http://deb.debian.org/debian}
security=$(mirror_for "$suite-security" | first_http)
security=${security:-http://deb.debian.org/debian-security}
echo "check-deb: Debian $suite from $mirror (security: $security), build $build"

# --- the package ---------------------------------------------------------------
mkdir -p "$build"
logs="$build/check-deb-logs"
rm -rf "$logs"
mkdir -p "$logs"
if [ ! -f "$build/CPackConfig.cmake" ]; then
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCALLSIGHT_BUILD_TESTS=OFF \
    > "$logs/configure.log" 2>&1 || { show_log "$logs/configure.log"; die "cmake configure"; }
fi
# cpack builds the "all" target of the build tree before it installs.
rm -rf "$build/deb-package"
if ! { cmake --build "$build" -j "$(nproc)" --target callsight &&
  cpack --config "$build/CPackConfig.cmake" -G DEB -B "$build/deb-package"; } > "$logs/cpack.log" 2>&1; then
  show_log "$logs/cpack.log"
  die "build the .deb with cpack"
fi
debs=("$build"/deb-package/callsight_*.deb)
[ -f "${debs[0]}" ] || die "cpack made no callsight_*.deb in $build/deb-package"
deb=${debs[0]}
version=$(dpkg-deb -f "$deb" Version)
pass "built $(basename "$deb") (Depends: $(dpkg-deb -f "$deb" Depends))"

# --- the clean root: debootstrap once, then a fresh copy per run --------------
cache="$build/debian-root"
pristine="$cache/pristine-$suite"
root="$cache/run"
mounted=()
cleanup() {
  local mount
  for mount in "${mounted[@]}"; do
    umount "$mount" 2> /dev/null || umount -l "$mount" 2> /dev/null || true
  done
}
trap cleanup EXIT
trap 'die "stopped by SIGINT"' INT
trap 'die "stopped by SIGTERM"' TERM
# Refuses to delete a root something is still mounted in (it would reach the host).
remove_root() {
  if grep -qF " $1/" /proc/mounts; then
    die "$1 still has mounts; not deleting it"
  fi
  rm -rf --one-file-system "$1"
}

# A run killed hard (SIGKILL) may have left its /proc mount behind.
if grep -qF " $root/proc " /proc/mounts; then
  umount "$root/proc" || umount -l "$root/proc"
fi
root_started=$SECONDS
if [ ! -f "$pristine/.complete" ]; then
  remove_root "$pristine"
  mkdir -p "$cache"
  echo "check-deb: debootstrap --variant=minbase $suite (first run; cached afterwards)"
  if ! timeout "$net_timeout" debootstrap --variant=minbase "$suite" "$pristine" "$mirror" \
    > "$logs/debootstrap.log" 2>&1; then
    show_log "$logs/debootstrap.log"
    die "debootstrap $suite from $mirror (timeout ${net_timeout}s)"
  fi
  # What a fresh install has enabled: the release, its updates and security.
  cat > "$pristine/etc/apt/sources.list" << EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
EOF
  rm -rf "$pristine"/var/cache/apt/archives/*.deb
  touch "$pristine/.complete"
  how="debootstrapped"
else
  how="cached"
fi
remove_root "$root"
cp -a "$pristine" "$root"
pass "clean $suite root ready in $((SECONDS - root_started)) s ($how)"

mount -t proc proc "$root/proc"
mounted+=("$root/proc")
# in_root CMD...: runs CMD in the root with a clean environment, as on a fresh
# machine (no host HOME, config or PATH leaks in); an array so that timeout
# can run it too.
in_root=(chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
in_root() { "${in_root[@]}" "$@"; }
apt_options=(-o Acquire::Retries=3 -o Acquire::http::Timeout=30 -o APT::Sandbox::User=root)

# --- install with apt: Depends come from the mirror ------------------------------
install_started=$SECONDS
if ! timeout "$net_timeout" "${in_root[@]}" apt-get "${apt_options[@]}" update > "$logs/apt-update.log" 2>&1; then
  show_log "$logs/apt-update.log"
  die "apt-get update in the root (timeout ${net_timeout}s)"
fi
cp "$deb" "$root/tmp/"
if ! timeout "$net_timeout" "${in_root[@]}" apt-get "${apt_options[@]}" install -y --no-install-recommends \
  "/tmp/$(basename "$deb")" > "$logs/apt-install.log" 2>&1; then
  show_log "$logs/apt-install.log"
  die "apt-get install ./$(basename "$deb") (timeout ${net_timeout}s)"
fi
pulled=$(sed -n 's/^Setting up \([^: ]*\).*/\1/p' "$logs/apt-install.log" | grep -v '^callsight$' | tr '\n' ' ')
pass "apt-get install ./$(basename "$deb") in $((SECONDS - install_started)) s (also installed: ${pulled:-nothing})"

# --- the installed package works --------------------------------------------------
# check NAME CMD...: one PASS/FAIL line; the output goes to the log on failure.
check() {
  local name=$1
  shift
  if "$@" > "$logs/check.log" 2>&1; then
    pass "$name"
  else
    show_log "$logs/check.log"
    fail "$name"
  fi
}
version_line=$(in_root callsight --version 2>&1 || true)
if [[ "$version_line" =~ ^callsight\ ${version//./\\.}\ \(.+\)$ ]]; then
  pass "callsight --version: $version_line"
else
  fail "callsight --version printed '$version_line', expected 'callsight $version (REVISION)'"
fi
check "man page /usr/share/man/man1/callsight.1.gz is a valid gzip" \
  in_root gzip -t /usr/share/man/man1/callsight.1.gz
if [ -x "$root/usr/bin/man" ]; then
  check "man -w callsight finds the page" in_root man -w callsight
fi
check "installed taxonomy passes taxonomy check" \
  in_root callsight taxonomy check /usr/share/callsight/taxonomy.json

# The sample calls from the source tree, analyzed in the root by the installed
# binary: exit 0, the expected topics found, and the same report as the binary
# of the build tree gives.
mkdir -p "$root/tmp/sample"
cp -r "$src/data/calls" "$src/data/calls.csv" "$root/tmp/sample/"
# has_topic FILE ID: the summary JSON counts ID in at least one call.
has_topic() {
  awk -v id="\"id\": \"$2\"," '
    index($0, id) { seen = 1; next }
    seen && /"calls":/ { gsub(/[^0-9]/, ""); exit ($0 + 0 > 0) ? 0 : 1 }
    END { if (!seen) exit 1 }' "$1"
}
analyze_status=0
in_root sh -c 'cd /tmp/sample && callsight analyze calls --metadata calls.csv --no-config -q' \
  > "$logs/installed.json" 2> "$logs/installed.err" || analyze_status=$?
if [ "$analyze_status" -ne 0 ]; then
  show_log "$logs/installed.err"
  fail "callsight analyze on the sample calls: exit $analyze_status"
else
  missing=()
  for topic in pricing cancellation competitor appointment_intent; do
    has_topic "$logs/installed.json" "$topic" || missing+=("$topic")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    pass "callsight analyze on the sample calls: exit 0, topics pricing, cancellation, competitor, appointment_intent found"
  else
    fail "callsight analyze on the sample calls: no calls with ${missing[*]} in the report"
  fi
  (cd "$src/data" && "$build/callsight" analyze calls --metadata calls.csv --no-config -q) \
    > "$logs/built.json" 2> /dev/null || true
  check "the installed binary's report equals the build tree's" cmp "$logs/installed.json" "$logs/built.json"
fi
check "analyze with the installed taxonomy file, as user nobody" \
  chroot --userspec=nobody:nogroup "$root" /usr/bin/env -i HOME=/nonexistent PATH=/usr/bin:/bin \
  sh -c 'cd /tmp/sample && callsight analyze calls -t /usr/share/callsight/taxonomy.json -q --no-config -f csv > /dev/null'
check "callsight completion bash | bash -n" in_root sh -c 'callsight completion bash | bash -n'
check "installed bash completion registers _callsight" \
  in_root bash -c '. /usr/share/bash-completion/completions/callsight && complete -p callsight | grep -q -- "-F _callsight"'
check "installed zsh completion is the one the binary generates" \
  in_root sh -c 'callsight completion zsh | cmp - /usr/share/zsh/vendor-completions/_callsight'

# --- purge leaves nothing behind -----------------------------------------------------
in_root dpkg-query -L callsight > "$logs/package-files.txt"
if ! timeout "$net_timeout" "${in_root[@]}" apt-get "${apt_options[@]}" remove --purge -y callsight \
  > "$logs/apt-purge.log" 2>&1; then
  show_log "$logs/apt-purge.log"
  fail "apt-get remove --purge callsight"
else
  left=()
  while IFS= read -r path; do
    # Shared folders (/usr/bin, /usr/share/man/man1 ...) stay; the package's own go.
    if [ -e "$root$path" ] && { [ ! -d "$root$path" ] || [[ "$path" == *callsight* ]]; }; then
      left+=("$path")
    fi
  done < "$logs/package-files.txt"
  # Anything else named after callsight, outside the test's own files and logs.
  while IFS= read -r path; do
    left+=("${path#"$root"}")
  done < <(find "$root" -xdev \( -path "$root/tmp" -o -path "$root/proc" -o -path "$root/var/log" \) -prune \
    -o -name '*callsight*' -print)
  if in_root dpkg-query -W -f="\${Status}\n" callsight 2> /dev/null | grep -q installed; then
    left+=("(dpkg still lists callsight as installed)")
  fi
  if [ ${#left[@]} -eq 0 ]; then
    pass "apt-get remove --purge callsight leaves no callsight files ($(wc -l < "$logs/package-files.txt") paths checked)"
  else
    fail "left behind after purge: $(printf '%s\n' "${left[@]}" | sort -u | tr '\n' ' ')"
  fi
fi

cleanup
mounted=()
remove_root "$root"
summary
[ "$failed" -eq 0 ]
