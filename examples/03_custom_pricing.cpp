// SPDX-License-Identifier: MIT
// A cost method of your own over the model's GPU time: spot capacity, cheaper per hour but
// preempted, so part of the work is done twice.
#include <fmt/format.h>

#include <costmodel/costmodel.hpp>
#include <costmodel/format.hpp>
#include <costmodel/presets.hpp>

namespace {

/// Spot rental: every GPU-hour of `p` plus the share `rework` lost to preemptions (restarting
/// from the last checkpoint), at the spot price. Units stay checked: GPU-h * USD/(GPU*h) = USD.
costmodel::money spot_cost(const costmodel::phase_result& p, costmodel::price_rate spot,
                           double rework) {
  return p.gpu_hours * (1.0 + rework) * spot;
}

}  // namespace

int main() {
  using namespace costmodel;
  const auto cat = load_catalogue();
  const auto r = estimate(load_scenario("deepseek-v3", cat), cat);
  const auto spot = price_rate_from_usd_per_gpu_hour(1.20);
  const double rework = 0.15;
  fmt::print("{}: {:.0f}\n", r.name, r.total.gpu_hours);
  for (const auto& p : r.phases) {
    fmt::print("  {:<18} rental {:>14.0f}   spot {:>14.0f}\n", p.name, p.cost.at("rental"),
               spot_cost(p, spot, rework));
  }
  fmt::print("  {:<18} rental {:>14.0f}   spot {:>14.0f}\n", "total", r.total.cost.at("rental"),
             spot_cost(r.total, spot, rework));
}
