#!/usr/bin/env bash
# Quick start (README, command 1): installs what Mailroom needs from Debian 12
# packages, builds it, starts the engine with a ready default setup and opens
# the console. Safe to run again: it reuses the build, the data folder and a
# running engine.
#
#   packaging/quickstart.sh [--data DIR] [--no-console]
#
# As root it uses the standard mail ports (25, 587, 465, 143, 993, 110, 995);
# as another user, unprivileged ones (2525, 2587, 2465, 2143, 2993, 2110, 2995).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build="$src/build/release"
console=1
data=""
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --no-console) console=0; shift ;;
    *) echo "usage: $0 [--data DIR] [--no-console]" >&2; exit 64 ;;
  esac
done
if [ -z "$data" ]; then
  if [ "$(id -u)" -eq 0 ]; then data=/var/lib/mailroom; else data="${XDG_DATA_HOME:-$HOME/.local/share}/mailroom"; fi
fi

"$src/packaging/install-deps.sh" --build-only

echo "== building (release) in $build"
cmake --preset release -S "$src" -DMAILROOM_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target mailroomd mailroomctl mailroom-console

ctl=("$build/server/ctl/mailroomctl" --socket "$data/run/admin.sock")
if "${ctl[@]}" status >/dev/null 2>&1; then
  echo "== the engine is already running on $data"
else
  mkdir -p "$data/logs"
  if [ "$(id -u)" -eq 0 ]; then
    ports=()
  else
    ports=(--set smtp.port=2525 --set submission.port=2587 --set smtps.port=2465 --set imap.port=2143
           --set imaps.port=2993 --set pop3.port=2110 --set pop3s.port=2995)
  fi
  echo "== starting mailroomd (data folder $data)"
  setsid "$build/server/main/mailroomd" --data "$data" --set log.stderr=false "${ports[@]}" \
    >"$data/logs/mailroomd.out" 2>&1 < /dev/null &
  pid=$!
  for _ in $(seq 1 100); do
    "${ctl[@]}" status >/dev/null 2>&1 && break
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "mailroomd did not start:" >&2; cat "$data/logs/mailroomd.out" >&2; exit 1
    fi
    sleep 0.1
  done
  "${ctl[@]}" status >/dev/null || { echo "mailroomd does not answer; see $data/logs/" >&2; exit 1; }
  echo "$pid" > "$data/run/mailroomd.pid"
fi

# Ready default setup: a demo domain and an admin user, made once.
if [ "$("${ctl[@]}" --json domain list | tr -d ' \n')" = "[]" ]; then
  password=$(openssl rand -base64 18 | tr -d '/+=' | cut -c1-20)
  "${ctl[@]}" domain add example.test --description "Demo domain made by the quick start" >/dev/null
  printf '%s\n' "$password" | "${ctl[@]}" user add admin@example.test --name "Administrator" >/dev/null
  echo
  echo "   Demo domain: example.test"
  echo "   Admin user:  admin@example.test"
  echo "   Password:    $password"
  echo "   (shown once; change it with: mailroomctl user passwd admin@example.test)"
  echo
fi
"${ctl[@]}" status
echo
echo "mailroomctl: ${ctl[*]}"
smtp_port=$("${ctl[@]}" --json status | python3 -c 'import json,sys; print(next((l["port"] for l in json.load(sys.stdin)["listeners"] if l["service"] == "smtp" and l["state"] == "listening"), ""))' 2>/dev/null || true)
if [ -n "$smtp_port" ]; then
  echo "send a test message: swaks --server localhost:$smtp_port --to admin@example.test"
fi
echo "stop the engine: kill \$(cat $data/run/mailroomd.pid)"

if [ "$console" -eq 1 ]; then
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "== opening the console"
    MAILROOM_SOCKET="$data/run/admin.sock" setsid "$build/app/mailroom-console" >/dev/null 2>&1 < /dev/null &
  else
    echo "== no display here, so the console was not opened; the engine keeps running."
    echo "   On a desktop, run: MAILROOM_SOCKET=$data/run/admin.sock $build/app/mailroom-console"
  fi
fi
