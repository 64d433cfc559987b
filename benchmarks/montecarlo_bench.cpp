// SPDX-License-Identifier: MIT
// Speed of the Monte Carlo engine on one core (single-threaded), in samples per second: the
// rental-plus-energy model with four uncertain inputs, the model of
// benchmarks/baseline_montecarlo.py (numpy), with the P5/P50/P95 of every output.
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"

namespace {

using namespace costmodel;

const catalogue& cat() {
  static const catalogue c = load_catalogue();
  return c;
}

/// Llama 3 70B (70B dense, 15T tokens, H100 SXM at bf16) with four uncertain inputs, as the
/// numpy baseline: MFU ~ U(0.3, 0.5), price lognormal with median 2 USD/GPU-h and log-sigma
/// 0.25, PUE ~ U(1.1, 1.4), electricity ~ U(0.05, 0.15) USD/kWh. Outputs that vary: GPU-hours,
/// rental cost, energy, energy cost and emissions (the compute is fixed; no count, no days).
scenario rental_plus_energy() {
  auto s = load_scenario("llama-3-70b", cat());
  add_range(s, "efficiency.mfu", parse_range("k=0.3:0.5").second);
  uncertain_input price;
  price.dist = distribution::lognormal;
  price.low = 2.0 * std::exp(-z95 * 0.25);  // P5 and P95 of exp(N(ln 2, 0.25^2))
  price.high = 2.0 * std::exp(z95 * 0.25);
  add_range(s, "pricing.usd_per_gpu_hour", price);
  add_range(s, "energy.pue", parse_range("k=1.1:1.4").second);
  add_range(s, "energy.usd_per_kwh", parse_range("k=0.05:0.15").second);
  return s;
}

/// GPT-4 as shipped (compute lognormal, A100 count, MFU) plus a price range: every one of the
/// seven outputs varies, days included.
scenario gpt4_four_inputs() {
  auto s = load_scenario("gpt-4", cat());
  add_range(s, "pricing.usd_per_gpu_hour", parse_range("k=1:2").second);
  return s;
}

void run_monte_carlo(benchmark::State& state, const scenario& s) {
  const auto n = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    auto u = monte_carlo(s, cat(), {1, n});
    benchmark::DoNotOptimize(u);
  }
  state.counters["samples_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(n),
                         benchmark::Counter::kIsRate);
}

/// The whole monte_carlo(): compiling the model (one estimate()), the draws, the evaluation and
/// the percentiles of every output. The target of issue 8: >= 20M samples per second.
void bm_monte_carlo(benchmark::State& state) { run_monte_carlo(state, rental_plus_energy()); }
BENCHMARK(bm_monte_carlo)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

/// The same on GPT-4's ranges (a lognormal compute, so every output varies).
void bm_monte_carlo_gpt4(benchmark::State& state) { run_monte_carlo(state, gpt4_four_inputs()); }
BENCHMARK(bm_monte_carlo_gpt4)->Arg(100000)->Unit(benchmark::kMillisecond);

/// The inner loop only: one block of draws and the evaluation of every output.
void bm_draw_and_evaluate(benchmark::State& state) {
  const auto s = rental_plus_energy();
  const fast_model m(s, cat());
  xoshiro256ss rng(1);
  constexpr std::size_t bs = fast_model::block_size;
  std::vector<double> drawn(m.keys().size() * bs);
  std::vector<const double*> x;
  for (std::size_t k = 0; k < m.keys().size(); ++k) x.push_back(drawn.data() + k * bs);
  fast_model::block_outputs out;
  for (auto _ : state) {
    for (std::size_t k = 0; k < m.keys().size(); ++k) {
      draw_into(m.ranges()[k], rng, drawn.data() + k * bs, bs);
    }
    m.evaluate_block(x.data(), bs, out);
    benchmark::DoNotOptimize(out.phases.data());
    benchmark::ClobberMemory();
  }
  state.counters["samples_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(bs),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(bm_draw_and_evaluate);

/// P5, P50 and P95 of one output of 100,000 samples (the part of monte_carlo() per output).
void bm_percentiles(benchmark::State& state) {
  xoshiro256ss rng(3);
  std::vector<double> v(static_cast<std::size_t>(state.range(0)));
  for (auto& x : v) x = 1e7 / (0.3 + 0.2 * rng.uniform());
  std::vector<double> work(v.size());
  for (auto _ : state) {
    work = v;
    auto p = percentiles_of(work);
    benchmark::DoNotOptimize(p);
  }
  state.counters["values_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(v.size()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(bm_percentiles)->Arg(100000);

}  // namespace
