// SPDX-License-Identifier: MIT
// An accelerator and a run defined in code, no TOML: only costmodel::costmodel is needed.
#include <fmt/format.h>

#include <costmodel/costmodel.hpp>
#include <costmodel/format.hpp>

int main() {
  using namespace costmodel;

  // A hypothetical accelerator: 500 dense bf16 TFLOPS, 96 GB, $1.80 per hour on demand.
  accelerator_spec acc;
  acc.id = "my-npu";
  acc.name = "My NPU";
  acc.vendor = "Example Corp";
  acc.peak[static_cast<std::size_t>(precision::bf16)] = compute_rate_from_tflops(500.0);
  acc.hbm = memory_from_gb(96.0);
  acc.prices.on_demand = price_rate_from_usd_per_gpu_hour(1.80);
  catalogue cat;
  cat.accelerators.emplace(acc.id, acc);

  // A 7B dense model on 1T tokens, 512 accelerators at 40% MFU; the price is the list price.
  scenario run;
  run.id = "my-7b";
  run.name = "My 7B";
  run.base.parameters = 7e9;
  run.base.tokens = 1e12;
  run.base.accelerator = acc.id;
  run.base.count = gpus(512);
  run.base.precision = precision::bf16;
  run.base.mfu = efficiency::from_ratio(0.40);
  run.base.price_basis = price_basis::on_demand;  // rent at its list price

  const auto r = estimate(run, cat);
  const auto& t = r.total;
  fmt::print("{} on {} x {}\n", r.name, value_in(*t.count, units::gpu), acc.name);
  fmt::print("compute    {:.3g}\n", *t.compute_flop);
  fmt::print("GPU time   {:.1f}\n", t.gpu_hours);
  fmt::print("wall-clock {:.2f} days\n", days_of(*t.wall_clock));
  fmt::print("rental     {:.0f} ({})\n", t.cost.at("rental"), t.price_basis);
  for (const auto& a : r.assumptions) fmt::print("assumed: {}\n", a);
}
