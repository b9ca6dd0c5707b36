#!/usr/bin/env bash
# Installs every build and test dependency of Mailroom from Debian 12 packages.
# Idempotent: packages already present are left alone; apt is only asked when
# something is missing. Runs as root, or through sudo when available.
#
#   packaging/install-deps.sh [--build-only] [--bench]
#
# --build-only: only what building needs (packaging/quickstart.sh).
# --bench: also the peers the benchmarks compare with (tests/bench), never
#   needed by the build or the tests. Their services are not started: the
#   benchmarks run their own instances on temporary folders and ports.
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build ccache pkg-config git
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
  libsqlite3-dev sqlite3 libpoco-dev libarchive-dev libssl-dev libc-ares-dev zlib1g-dev libpsl-dev
  clang-14 libclang-rt-14-dev clang-format-14
)
test_pkgs=(
  dnsmasq-base swaks libnet-ssleay-perl libio-socket-ssl-perl libauthen-sasl-perl libdigest-hmac-perl
  isync libsasl2-modules curl openssl python3 python3-pytest python3-dkim
  python3-aiosmtpd xvfb xauth fonts-dejavu-core
)
# Benchmark-only peers (tests/bench/bench_imap.py --target dovecot|both;
# tests/bench/bench_smtp.py --target postfix|both: Postfix through Dovecot LMTP;
# tests/bench/bench_spam.py --target bogofilter|both: the spam kit's reference).
bench_pkgs=(dovecot-core dovecot-imapd dovecot-lmtpd postfix bogofilter)

tests=1
bench=0
for arg in "$@"; do
  case "$arg" in
    --build-only) tests=0 ;;
    --bench) bench=1 ;;
    *) echo "usage: $0 [--build-only] [--bench]" >&2; exit 64 ;;
  esac
done

wanted=("${build_pkgs[@]}")
if [ "$tests" -eq 1 ]; then
  wanted+=("${test_pkgs[@]}")
fi
if [ "$bench" -eq 1 ]; then
  wanted+=("${bench_pkgs[@]}")
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

# Packages such as dovecot-core start their system service on install. A
# policy-rc.d that answers 101 ("action forbidden") keeps invoke-rc.d from
# starting anything, with or without systemd; an existing one is left as it is,
# one made here is removed on exit.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  trap '$SUDO rm -f "$policy"' EXIT
  printf '#!/bin/sh\n# Written by Mailroom install-deps.sh for the time of one install.\nexit 101\n' \
    | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Postfix without a system configuration: the benchmark writes its own.
if [[ " ${missing[*]} " == *" postfix "* ]]; then
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

# A system Dovecot that this install started all the same (an existing
# policy-rc.d may allow it) is stopped: it would hold port 143 and serve nobody.
if [[ " ${missing[*]} " == *" dovecot-core "* ]] && [ -s /run/dovecot/master.pid ] \
  && $SUDO kill -0 "$($SUDO cat /run/dovecot/master.pid)" 2>/dev/null; then
  echo "install-deps: stopping the system Dovecot the install started"
  $SUDO dovecot stop
fi
