#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang++ under ASan+UBSan+LeakSanitizer in build/fuzz,
# then runs each one for a bounded time. Fails on any crash, leak, sanitizer report, timeout or
# out-of-memory: libFuzzer then exits non-zero and leaves the input in build/fuzz/artifacts/.
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]    (default 20; scripts/test.sh passes 16)
#        scripts/fuzz.sh 600                       a longer run, ten minutes per target
#        scripts/fuzz.sh 20 number_fuzz           only the named targets
# Seeds: fuzz/corpus/<target>/ (committed; read only), plus presets/runs and tests/data for the
# scenario loader. New inputs go to build/fuzz/corpus/<target>/, kept between runs.
# Replay a finding: build/fuzz/fuzz/<target> build/fuzz/artifacts/<file>
# COSTMODEL_FUZZ_TREE=build/asan: use the asan preset's tree (its fuzz targets link the tree's
# own instrumented libraries) instead of configuring build/fuzz; scripts/test.sh does this.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
secs="${1:-20}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  # Every seed folder names a target: fuzz/corpus/<name>/ goes with fuzz/<name>_fuzz.cpp.
  for d in fuzz/corpus/*/; do targets+=("$(basename "$d")_fuzz"); done
fi
out="${COSTMODEL_FUZZ_TREE:-build/fuzz}"

if [ -n "${COSTMODEL_FUZZ_TREE:-}" ]; then
  # A tree configured by the asan preset (COSTMODEL_FUZZ_IN_TREE): scripts/test.sh has built it.
  echo "== fuzz: the targets of $out" >&2
else
  cxx="${COSTMODEL_FUZZ_CXX:-clang++}"
  if ! command -v "$cxx" >/dev/null 2>&1; then
    echo "costmodel: $cxx not found; install clang and libclang-rt-14-dev (scripts/deps.sh)" >&2
    exit 1
  fi
  echo "== fuzz: configure and build ($cxx)" >&2
  cmake -S . -B "$out" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCOSTMODEL_BUILD_FUZZERS=ON -DCOSTMODEL_BUILD_TESTS=OFF -DCOSTMODEL_BUILD_EXAMPLES=OFF \
    -DCOSTMODEL_BUILD_CLI=OFF -DCOSTMODEL_INSTALL=OFF >/dev/null
fi
cmake --build "$out" -j 2 --target "${targets[@]}"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
mkdir -p "$out/artifacts"
for t in "${targets[@]}"; do
  name="${t%_fuzz}"
  seeds=("$root/fuzz/corpus/$name")
  extra=()
  if [ "$name" = scenario ]; then
    seeds+=("$root/presets/runs" "$root/tests/data")
    extra+=(-dict="$root/fuzz/scenario.dict" -max_len=16384)
  elif [ "$name" = claims ]; then
    seeds+=("$root/presets/claims")
    extra+=(-dict="$root/fuzz/scenario.dict" -max_len=8192)
  else
    extra+=(-max_len=512)
  fi
  mkdir -p "$out/corpus/$name"
  echo "== fuzz: $t for ${secs}s" >&2
  # -timeout: one input over 10 s is a finding; -rss_limit_mb: so is a 2 GB appetite.
  # Run from the build folder so that a relative `extends` in an input stays inside it.
  (cd "$out" && "fuzz/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="artifacts/$t-" "${extra[@]}" \
    "corpus/$name" "${seeds[@]}") 2>"$out/$t.log" || {
    tail -n 60 "$out/$t.log" >&2
    echo "costmodel: fuzz target $t found a problem (log: $out/$t.log)" >&2
    exit 1
  }
  grep -E '^stat::number_of_executed_units|^Done' "$out/$t.log" >&2 || true
done
echo "fuzz: no finding in ${#targets[@]} targets at ${secs}s each" >&2
