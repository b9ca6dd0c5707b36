#!/usr/bin/env bash
# Fails when a tracked C++ file is not formatted with the repo's .clang-format.
set -u
cd "$1" || exit 2
fmt=$(command -v clang-format-14 || command -v clang-format) || { echo "clang-format not installed"; exit 1; }
bad=0
while IFS= read -r f; do
  if ! "$fmt" --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (run $fmt -i $f)"
    bad=$((bad + 1))
  fi
done < <(git ls-files '*.cpp' '*.h')
echo "format: $bad files need clang-format"
[ "$bad" -eq 0 ]
