#!/usr/bin/env bash
# Installs the Debian packages callsight needs to build and test, only those
# missing, so a fresh Debian machine needs nothing else (zsh checks the zsh
# completion, debootstrap gives scripts/check-deb.sh its clean Debian root).
# Extra package names may be passed as arguments (e.g. ripgrep for the benchmark).
set -euo pipefail

packages=(build-essential cmake pkg-config git
          libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
          libgtest-dev libgmock-dev libutf8proc-dev libstemmer-dev libcld2-dev libssl-dev
          libsqlite3-dev libxxhash-dev sqlite3 zsh debootstrap "$@")

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
