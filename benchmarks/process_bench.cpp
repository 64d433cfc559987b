// SPDX-License-Identifier: MIT
// The calculator as a whole process: `costmodel compare <every bundled run>`, fork + exec +
// wait, output to /dev/null (target: under 50 ms).
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "costmodel/presets.hpp"
#include "run_process.hpp"

namespace {

using costmodel::bench::run_process;

void bm_compare_all_runs(benchmark::State& state) {
  std::vector<std::string> args{COSTMODEL_EXE, "compare"};
  for (const auto& r : costmodel::list_runs()) args.push_back(r.id);
  if (run_process(args) != 0) {
    state.SkipWithError("costmodel compare failed");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(run_process(args));
  state.counters["runs"] = static_cast<double>(args.size() - 2);
}
BENCHMARK(bm_compare_all_runs)->Unit(benchmark::kMillisecond)->UseRealTime();

void bm_version_only(benchmark::State& state) {
  // The floor: starting the process, loading shared libraries, printing the version.
  for (auto _ : state) benchmark::DoNotOptimize(run_process({COSTMODEL_EXE, "--version"}));
}
BENCHMARK(bm_version_only)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
