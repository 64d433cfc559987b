// SPDX-License-Identifier: MIT
// Scenario inputs of the cost, energy, emissions and reliability methods ([energy], [ownership],
// [program] and [reliability] tables). Empty optionals take the catalogue's defaults.
#pragma once

#include <optional>
#include <string>

#include "costmodel/cost_methods.hpp"
#include "costmodel/quantity.hpp"

namespace costmodel {

/// `[energy]`: power, facility and grid.
struct energy_inputs {
  std::optional<double> watts_per_accelerator;      ///< W; default the catalogue's board power
  std::optional<double> average_power_fraction;     ///< of TDP; default 0.75 GPU, 0.43 TPU
  std::optional<double> server_power_overhead;      ///< server over accelerator power
  std::optional<double> pue;                        ///< default 1.1 hyperscaler, 1.25 other
  std::optional<double> usd_per_kwh;                ///< default the US industrial price of the year
  std::optional<double> grid_gco2e_per_kwh;         ///< location-based; default the region's
  std::optional<double> grid_gco2e_per_kwh_market;  ///< market-based, where a source gives one
  std::optional<std::string> grid_region;           ///< catalogue region id ("us", "cn")
  bool operator==(const energy_inputs&) const = default;
};

/// `[ownership]`: the hardware bought and how it loses value.
struct ownership_inputs {
  std::optional<double> usd_per_accelerator;         ///< default the catalogue's purchase price
  std::optional<bool> price_includes_server;         ///< default the catalogue's flag (else false)
  std::optional<double> server_overhead;             ///< server over accelerator price
  std::optional<double> interconnect_share;          ///< of total cluster cost; default 0.19
  std::optional<depreciation_kind> depreciation;     ///< default exponential
  std::optional<double> depreciation_ooms_per_year;  ///< default 0.14
  std::optional<double> life_years;                  ///< straight-line only
  std::optional<double> age_years;                   ///< hardware age at the start of training
  std::optional<std::string> acquisition_date;       ///< or age from these two dates
  std::optional<std::string> training_start_date;
  bool operator==(const ownership_inputs&) const = default;
};

/// `[program]`: the whole model, not only its final run.
struct program_inputs {
  std::optional<double> experiments_multiplier;  ///< all compute / final run; default 2.2
  std::optional<double> staff_usd;               ///< default 0 (not known)
  std::optional<std::string> basis;              ///< "ownership" (default) or "rental"
  bool operator==(const program_inputs&) const = default;
};

/// `[reliability]`: failures, checkpoints and restarts; goodput follows (Young/Daly).
struct reliability_inputs {
  std::optional<double> mtbf_hours_per_accelerator;
  std::optional<double> mtbf_hours_per_node;
  std::optional<double> accelerators_per_node;
  std::optional<double> checkpoint_write_minutes;
  std::optional<double> restart_minutes;
  std::optional<double> checkpoint_interval_minutes;  ///< default the optimum (Daly 2006)
  bool operator==(const reliability_inputs&) const = default;
};

/// All of the above, as a scenario gives them (top level only).
struct cost_inputs {
  energy_inputs energy;
  ownership_inputs ownership;
  program_inputs program;
  std::optional<reliability_inputs> reliability;  ///< goodput is derived only when given
  bool operator==(const cost_inputs&) const = default;
};

}  // namespace costmodel
