#!/usr/bin/env bash
# Line and branch coverage of the library and the calculator (include/ and src/) under the C++
# and CLI tests: builds build/coverage with gcc --coverage (-O0), runs ctest there (the package,
# docs and Python tests are left out: they test CMake files, docs or bindings, not include/ or
# src/ lines), then prints gcovr's summary. Branches are counted as gcovr counts them, without
# the exception-only branches the compiler adds for every call that may throw
# (--exclude-throw-branches) and without those of unreachable code (--exclude-unreachable-branches).
#
# Usage: scripts/coverage.sh            summary (lines and branches)
#        scripts/coverage.sh --html     also build/coverage/coverage.html, file by file
# Needs gcovr (Debian package gcovr; scripts/deps.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/coverage
if ! command -v gcovr >/dev/null 2>&1; then
  echo "costmodel: gcovr not found; install it (scripts/deps.sh, Debian package gcovr)" >&2
  exit 1
fi
launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
echo "== coverage: configure and build ($out)" >&2
cmake -S . -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Debug "${launcher[@]}" \
  -DCMAKE_CXX_FLAGS="--coverage -O0" -DCMAKE_EXE_LINKER_FLAGS=--coverage \
  -DCMAKE_SHARED_LINKER_FLAGS=--coverage -DCOSTMODEL_BUILD_EXAMPLES=OFF \
  -DCOSTMODEL_BUILD_PYTHON=OFF >/dev/null
cmake --build "$out" -j "${COSTMODEL_JOBS:-2}"
find "$out" -name '*.gcda' -delete
echo "== coverage: ctest" >&2
ctest --test-dir "$out" -j "${COSTMODEL_JOBS:-2}" -E '^(package|docs|python)\.' >&2 || {
  echo "costmodel: tests failed; coverage not measured" >&2
  exit 1
}
args=(-r . --object-directory "$out" --filter '^include/' --filter '^src/'
  --exclude-throw-branches --exclude-unreachable-branches)
if [ "${1:-}" = --html ]; then
  args+=(--html-details "$out/coverage.html")
fi
echo "== coverage: include/ and src/ (per file: $out/coverage.txt, branches: $out/branches.txt)" >&2
gcovr "${args[@]}" --branches -o "$out/branches.txt"
gcovr "${args[@]}" --print-summary -o "$out/coverage.txt"
