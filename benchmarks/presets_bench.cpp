// SPDX-License-Identifier: MIT
// Preset loading: the accelerator catalogue (every accelerators/*.toml) and one scenario.
#include <benchmark/benchmark.h>

#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"

namespace {

using namespace costmodel;

void bm_load_catalogue(benchmark::State& state) {
  for (auto _ : state) {
    auto cat = load_catalogue();
    benchmark::DoNotOptimize(cat);
  }
}
BENCHMARK(bm_load_catalogue)->Unit(benchmark::kMicrosecond);

void bm_load_scenario(benchmark::State& state, const char* id) {
  const auto cat = load_catalogue();
  for (auto _ : state) {
    auto s = load_scenario(id, cat);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK_CAPTURE(bm_load_scenario, deepseek_v3, "deepseek-v3")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_load_scenario, deepseek_v3_r1_extends, "deepseek-v3-r1")
    ->Unit(benchmark::kMicrosecond);

void bm_load_every_run(benchmark::State& state) {
  const auto cat = load_catalogue();
  const auto runs = list_runs();
  for (auto _ : state) {
    for (const auto& r : runs) {
      auto s = load_scenario(r.file.string(), cat);
      benchmark::DoNotOptimize(s);
    }
  }
  state.counters["runs"] = static_cast<double>(runs.size());
}
BENCHMARK(bm_load_every_run)->Unit(benchmark::kMillisecond);

}  // namespace
