// SPDX-License-Identifier: MIT
// One estimate: the model over a loaded scenario (target: under 1 microsecond on one core).
#include <benchmark/benchmark.h>

#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"

namespace {

using namespace costmodel;

void bm_estimate(benchmark::State& state, const char* id) {
  const auto cat = load_catalogue();
  const auto s = load_scenario(id, cat);
  for (auto _ : state) {
    auto e = estimate(s, cat);
    benchmark::DoNotOptimize(e);
  }
}
// A single-phase run and the three-phase DeepSeek-V3 (implied MFU, reported GPU-hours).
BENCHMARK_CAPTURE(bm_estimate, llama_3_1_405b, "llama-3.1-405b");
BENCHMARK_CAPTURE(bm_estimate, deepseek_v3, "deepseek-v3");

/// The formula alone, with no strings, maps or vectors: what the model costs without the
/// result's bookkeeping.
void bm_formula(benchmark::State& state) {
  const auto peak = compute_rate_from_tflops(989.4);
  const double mfu = 0.4;
  const double price = 2.0;
  double n = 405e9;
  for (auto _ : state) {
    benchmark::DoNotOptimize(n);
    const auto c = training_compute_6nd(n, 15.6e12);
    const auto h = c / (peak * mfu);
    const auto usd = value_in(h, units::gpu_hour) * price;
    benchmark::DoNotOptimize(usd);
  }
}
BENCHMARK(bm_formula);

}  // namespace
