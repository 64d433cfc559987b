// SPDX-License-Identifier: MIT
// Reads a scenario file and prints it on four accelerators side by side, with fmt.
// Usage: example_04_scenario_file [file.toml]   (default: examples/data/my-run.toml)
#include <fmt/format.h>

#include <costmodel/costmodel.hpp>
#include <costmodel/format.hpp>
#include <costmodel/presets.hpp>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  using namespace costmodel;
  const std::string file = argc > 1 ? argv[1] : EXAMPLE_DATA "/my-run.toml";
  try {
    const auto cat = load_catalogue();
    fmt::print("{:<14} {:>12} {:>8} {:>8} {:>14}\n", "hardware", "GPU-hours", "days", "$/GPU-h",
               "rental USD");
    for (const char* hw : {"a100-sxm-80gb", "h100-sxm", "h200", "mi300x"}) {
      // The same file, with the accelerator changed; the price is each one's on the default
      // basis (its 3-year committed price at acquisition, pricing.hpp), when the catalogue has one.
      const auto s = load_scenario(file, cat, {{"hardware.accelerator", hw}});
      const auto t = estimate(s, cat).total;
      const auto rental = t.cost.find("rental");
      fmt::print(
          "{:<14} {:>12.4g} {:>8.1f} {:>8} {:>14}\n", hw, value_in(t.gpu_hours, units::gpu_hour),
          t.wall_clock ? days_of(*t.wall_clock) : 0.0,
          t.price ? fmt::format("{:.2f}", value_in(*t.price, units::usd_per_gpu_hour)) : "n/a",
          rental != t.cost.end() ? fmt::format("{:.4g}", value_in(rental->second, units::usd))
                                 : "n/a");
    }
  } catch (const error& e) {  // preset_error says file:line:column: key
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
}
