// SPDX-License-Identifier: MIT
// The smallest what-if: DeepSeek-V3's pre-training at 45% MFU on H100s at $3 per GPU-hour.
#include <fmt/format.h>

#include <costmodel/costmodel.hpp>
#include <costmodel/presets.hpp>

int main() {
  using namespace costmodel;
  const auto cat = load_catalogue();
  const auto run = load_scenario("deepseek-v3", cat,
                                 {{"efficiency.mfu", "0.45"},
                                  {"hardware.accelerator", "h100-sxm"},
                                  {"pricing.usd_per_gpu_hour", "3.0"}});
  const auto result = estimate(run, cat);
  const auto& pre = result.phases.front();
  fmt::print("DeepSeek-V3 {} at 45% MFU on {}: {:.3f}M GPU-hours, ${:.2f}M\n", pre.name,
             pre.accelerator, value_in(pre.gpu_hours, units::gpu_hour) / 1e6,
             value_in(pre.cost.at("rental"), units::usd) / 1e6);
}
