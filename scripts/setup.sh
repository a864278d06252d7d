#!/usr/bin/env bash
# Installs the Debian packages trialsearch needs, only those missing. Idempotent; run as root.
# Extra package names given as arguments are installed the same way (scripts/setup-bench.sh).
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config python3
  libxapian-dev xapian-tools libicu-dev libcli11-dev libgtest-dev libgmock-dev
  libsimdjson-dev libpugixml-dev libarchive-dev libtbb-dev libfmt-dev nlohmann-json3-dev
  zlib1g-dev libbenchmark-dev
  "$@"
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
