// SPDX-License-Identifier: MIT
// Speed of the Monte Carlo engine: samples per second on one core (single-threaded), for GPT-4
// with four uncertain inputs (compute, GPU count, MFU, price). Reported as items_per_second.
#include <benchmark/benchmark.h>

#include <vector>

#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"

namespace {

using namespace costmodel;

const catalogue& cat() {
  static const catalogue c = load_catalogue();
  return c;
}

/// gpt-4 ships three ranges (compute, count, MFU); a price range makes four.
scenario four_inputs() {
  auto s = load_scenario("gpt-4", cat());
  auto [key, r] = parse_range("pricing.usd_per_gpu_hour=1:2");
  add_range(s, key, r);
  return s;
}

/// The whole monte_carlo(): draws, evaluation, and the sorts behind the percentiles.
void bm_monte_carlo(benchmark::State& state) {
  const auto s = four_inputs();
  const auto n = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    auto u = monte_carlo(s, cat(), {1, n});
    benchmark::DoNotOptimize(u);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(bm_monte_carlo)->Arg(100000)->Unit(benchmark::kMillisecond);

/// The inner loop only: four draws and one evaluation of every output per sample.
void bm_draw_and_evaluate(benchmark::State& state) {
  const auto s = four_inputs();
  const fast_model m(s, cat());
  xoshiro256ss rng(1);
  std::vector<double> x(m.keys().size());
  outputs out;
  for (auto _ : state) {
    for (std::size_t k = 0; k < x.size(); ++k) x[k] = draw(m.ranges()[k], rng);
    m.evaluate(x.data(), out);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(bm_draw_and_evaluate);

}  // namespace
