#!/usr/bin/env bash
# Full test run (README, command 2; .ci/run calls it): installs every build
# and test dependency from Debian 12 packages, builds with AddressSanitizer,
# UndefinedBehaviorSanitizer and -Werror (preset "asan"), and runs every test:
# unit, lint, integration (real mailroomd driven by real clients) and GUI.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
preset="${MAILROOM_TEST_PRESET:-asan}"
start=$(date +%s)

"$src/packaging/install-deps.sh"

cd "$src"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
built=$(date +%s)
echo "== built in $((built - start)) s"

ctest --preset "$preset" --output-on-failure --timeout 900
echo "== tests took $(( $(date +%s) - built )) s; whole run $(( $(date +%s) - start )) s"
