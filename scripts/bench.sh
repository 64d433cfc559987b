#!/usr/bin/env bash
# Builds the benchmarks (benchmarks/, Google Benchmark) in Release in build/bench and runs every
# one of them pinned to one core, then the whole `costmodel compare` process over every bundled
# run (with hyperfine when it is installed), then the Python Monte Carlo baselines.
# Usage: scripts/bench.sh [extra Google Benchmark flags, e.g. --benchmark_filter=estimate]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
out=build/bench
cmake -S . -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOSTMODEL_BUILD_BENCHMARKS=ON \
  -DCOSTMODEL_BUILD_TESTS=OFF -DCOSTMODEL_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$out" -j 2

pin=()
command -v taskset >/dev/null 2>&1 && pin=(taskset -c 0)
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
for b in "$out"/benchmarks/costmodel_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")" >&2
  "${pin[@]}" "$b" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true "$@"
done

ids=$("$out/costmodel" list --format json | python3 -c \
  'import json,sys; print(" ".join(r["id"] for r in json.load(sys.stdin)["runs"]))')
if command -v hyperfine >/dev/null 2>&1; then
  echo "== hyperfine: costmodel compare <every bundled run>" >&2
  # shellcheck disable=SC2086
  hyperfine -N --warmup 5 --runs 50 "$out/costmodel compare $ids"
else
  echo "== hyperfine not installed (apt-get install hyperfine); process_bench above times it" >&2
fi

echo "== Monte Carlo baselines (numpy and pure Python, one core)" >&2
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3  # Debian's, with python3-numpy
OMP_NUM_THREADS=1 "${pin[@]}" "$py" benchmarks/baseline_montecarlo.py
