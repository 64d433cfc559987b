#!/usr/bin/env bash
# Quickstart 2: installs what is missing, then builds and runs every test twice: warnings as
# errors with every public header compiled alone (ci preset, gcc), then under AddressSanitizer,
# LeakSanitizer and UndefinedBehaviorSanitizer (asan preset, clang); then runs each libFuzzer
# target of the asan tree
# for COSTMODEL_FUZZ_SECONDS (default 16: five targets, 80 s as four took at 20 s; scripts/fuzz.sh
# 600 for a longer run); last,
# clang-format must be clean.
# The ci preset also builds the Python bindings and runs their pytest suite
# (COSTMODEL_BUILD_PYTHON=ON); asan does not, since an ASan-built extension needs LD_PRELOAD of
# libasan into an uninstrumented python.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=2

# The locale test needs a comma-decimal locale; generate de_DE.UTF-8 when root can.
if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
  if [ "$(id -u)" -eq 0 ] && command -v localedef >/dev/null 2>&1; then
    localedef -i de_DE -f UTF-8 de_DE.UTF-8 >&2 || true
  else
    echo "costmodel: no de_DE.UTF-8 locale (needs root for localedef); the locale tests skip" >&2
  fi
fi

for preset in ci asan; do
  echo "== $preset: configure and build" >&2
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "== $preset: ctest" >&2
  ctest --preset "$preset" -j "$jobs"
done

# The asan tree has built the fuzz targets too (clang, fuzzer-no-link): nothing is compiled again.
COSTMODEL_FUZZ_TREE=build/asan scripts/fuzz.sh "${COSTMODEL_FUZZ_SECONDS:-16}"

echo "== clang-format" >&2
files=$(git ls-files '*.hpp' '*.cpp' 2>/dev/null || find include src tests examples bindings benchmarks -name '*.[ch]pp')
clang-format --dry-run -Werror $files
echo "all checks passed" >&2
