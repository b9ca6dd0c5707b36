#!/usr/bin/env bash
# Installs every build and test dependency of Mailroom from Debian 12 packages.
# Idempotent: packages already present are left alone; apt is only asked when
# something is missing. Runs as root, or through sudo when available.
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build ccache pkg-config git
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
  libsqlite3-dev sqlite3 libpoco-dev libarchive-dev libssl-dev libc-ares-dev zlib1g-dev
  clang-14 libclang-rt-14-dev clang-format-14
)
test_pkgs=(
  dnsmasq-base swaks libnet-ssleay-perl libio-socket-ssl-perl libauthen-sasl-perl libdigest-hmac-perl
  isync libsasl2-modules curl openssl python3 python3-pytest python3-dkim
  python3-aiosmtpd xvfb xauth fonts-dejavu-core
)

wanted=("${build_pkgs[@]}")
if [ "${1:-}" != "--build-only" ]; then
  wanted+=("${test_pkgs[@]}")
fi

missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#wanted[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
