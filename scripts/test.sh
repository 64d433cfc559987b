#!/usr/bin/env bash
# Quickstart 2: installs what is missing, then builds and runs every test twice: warnings as
# errors with every public header compiled alone (ci preset), then under AddressSanitizer and
# UndefinedBehaviorSanitizer (asan preset); last, clang-format must be clean. The ci preset also
# builds the Python bindings and runs their pytest suite (COSTMODEL_BUILD_PYTHON=ON); asan does
# not, since an ASan-built extension needs LD_PRELOAD of libasan into an uninstrumented python.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=2

for preset in ci asan; do
  echo "== $preset: configure and build" >&2
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "== $preset: ctest" >&2
  ctest --preset "$preset" -j "$jobs"
done

echo "== clang-format" >&2
files=$(git ls-files '*.hpp' '*.cpp' 2>/dev/null || find include src tests examples bindings benchmarks -name '*.[ch]pp')
clang-format --dry-run -Werror $files
echo "all checks passed" >&2
