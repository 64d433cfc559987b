// SPDX-License-Identifier: MIT
// Energy and emissions of a training run: kWh from accelerator power, and tCO2e from the grid.
#pragma once

#include <cmath>
#include <string>

#include "costmodel/error.hpp"
#include "costmodel/quantity.hpp"

namespace costmodel {

/// How the power of one accelerator turns into energy drawn from the grid.
struct power_model {
  double watts_per_accelerator = 0.0;   ///< W, board power (TDP) unless a source gives another
  double average_power_fraction = 1.0;  ///< average draw over TDP during training
  double server_power_overhead = 1.0;   ///< server power over accelerator power (CPU, RAM, NIC)
  double pue = 1.0;                     ///< facility energy over IT energy
  bool operator==(const power_model&) const = default;
};

/// Throws: input_error for a factor of `p` that is not a positive finite number.
inline void check_power_model(const power_model& p) {
  auto check = [](double v, const char* what) {
    if (!std::isfinite(v) || v <= 0.0) {
      throw input_error(std::string(what) + " must be a positive number");
    }
  };
  check(p.watts_per_accelerator, "energy.watts_per_accelerator");
  check(p.average_power_fraction, "energy.average_power_fraction");
  check(p.server_power_overhead, "energy.server_power_overhead");
  check(p.pue, "energy.pue");
}

/// Facility energy of `used` accelerator time, kWh:
/// kWh = W / 1000 * average fraction * server overhead * PUE * GPU-hours.
/// Epoch AI's `cluster_energy_cost` (training-cost-trends, cost_analysis_standalone.py, after
/// Cottier et al. 2024, arXiv:2405.21015); with fraction, overhead and PUE of 1 it is the model
/// cards' "GPU-hours x power" (Llama 2: 1,720,320 h x 400 W = 688 MWh).
/// Throws: input_error for a non-positive or non-finite factor.
[[nodiscard]] inline double energy_kwh(const power_model& p, gpu_time used) {
  check_power_model(p);
  return p.watts_per_accelerator / 1000.0 * p.average_power_fraction * p.server_power_overhead *
         p.pue * value_in(used, units::gpu_hour);
}

/// Electricity cost: kWh * USD per kWh.
[[nodiscard]] inline money energy_cost(double kwh, double usd_per_kwh) {
  return money_from_usd(kwh * usd_per_kwh);
}

/// Operational emissions, tCO2e: kWh * gCO2e/kWh / 10^6 (the CodeCarbon / ML CO2 Impact method:
/// energy times grid carbon intensity).
[[nodiscard]] inline double emissions_tco2e(double kwh, double gco2e_per_kwh) {
  return kwh * gco2e_per_kwh / 1e6;
}

/// The grid intensity that reported emissions imply for an energy, gCO2e/kWh.
[[nodiscard]] inline double implied_grid_intensity(double tco2e, double kwh) {
  return tco2e * 1e6 / kwh;
}

}  // namespace costmodel
