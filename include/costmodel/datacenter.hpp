// SPDX-License-Identifier: MIT
// Data-centre and cost-model constants (PUE, power, overheads, electricity prices, grid carbon
// intensity, depreciation, reliability), each with its source. Loaded from presets/datacenter.toml.
#pragma once

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace costmodel {

/// A constant with where it was published and how far to trust it.
struct sourced_value {
  double value = 0.0;
  std::string source;
  std::string status;
  std::string note;
  bool operator==(const sourced_value&) const = default;
};

/// Grid carbon intensity of one region, gCO2e/kWh.
struct grid_region {
  std::string id;    ///< "us"
  std::string name;  ///< "United States"
  sourced_value location_gco2e_per_kwh;
  std::optional<sourced_value> market_gco2e_per_kwh;  ///< where a source gives a market-based one
  bool operator==(const grid_region&) const = default;
};

/// The constants of the cost, energy and reliability models. Every field is optional: a
/// catalogue without `datacenter.toml` still estimates, without the methods that need them.
struct datacenter_constants {
  std::optional<sourced_value> pue_hyperscaler;  ///< ratio >= 1
  std::optional<sourced_value> pue_other;
  std::vector<std::string> hyperscalers;  ///< lower-case names matched inside `developer`
  std::optional<sourced_value> average_power_fraction_gpu;  ///< of TDP, during training
  std::optional<sourced_value> average_power_fraction_tpu;
  std::map<std::string, sourced_value, std::less<>> chip_to_server_power;  ///< by accelerator id
  std::optional<sourced_value> chip_to_server_power_gpu;                   ///< other GPUs
  std::optional<sourced_value> chip_to_server_power_tpu;                   ///< other TPUs
  std::map<std::string, sourced_value, std::less<>> server_cost_overhead;  ///< by accelerator id
  std::optional<sourced_value> server_cost_overhead_default;
  std::optional<sourced_value> interconnect_share;          ///< of total cluster cost
  std::optional<sourced_value> depreciation_ooms_per_year;  ///< price-performance trend
  std::optional<sourced_value> hours_per_year;
  std::map<int, sourced_value> usd_per_kwh_by_year;  ///< electricity price by calendar year
  /// US PPI, data processing, hosting and related services (BLS PCU518210518210), annual mean
  /// by calendar year: the index `--usd-year` converts dollars with (as Epoch AI does).
  std::map<int, sourced_value> ppi_by_year;
  std::optional<sourced_value> commitment_discount_1y;  ///< off on-demand, where no 1y price
  std::optional<sourced_value> commitment_discount_3y;  ///< off on-demand, where no 3y price
  std::map<std::string, grid_region, std::less<>> grid;
  std::string default_grid_region;
  std::optional<sourced_value> experiments_multiplier;  ///< all compute / final run
  std::optional<sourced_value> mtbf_hours_per_accelerator;
  std::optional<sourced_value> checkpoint_write_minutes;
  std::optional<sourced_value> restart_minutes;
  std::vector<std::string> sources;
  std::string source_file;
  bool operator==(const datacenter_constants&) const = default;

  /// Epoch's PUE rule: 1.1 for a hyperscaler developer, 1.25 otherwise (EPOCH-CODE
  /// `power_usage_effectiveness`). `developer` is matched case-insensitively.
  [[nodiscard]] const std::optional<sourced_value>& pue_for(std::string_view developer) const {
    std::string d(developer);
    std::transform(d.begin(), d.end(), d.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const auto& h : hyperscalers) {
      if (!h.empty() && d.find(h) != std::string::npos) return pue_hyperscaler;
    }
    return pue_other;
  }
  /// The electricity price of `year`, else of the nearest year in the table.
  [[nodiscard]] std::optional<std::pair<int, sourced_value>> usd_per_kwh_in(int year) const {
    if (const auto* e = usd_per_kwh_entry(year)) return std::pair<int, sourced_value>{*e};
    return std::nullopt;
  }
  /// usd_per_kwh_in() without copying: the table's entry (year, price), or null when it is empty.
  [[nodiscard]] const std::pair<const int, sourced_value>* usd_per_kwh_entry(int year) const {
    if (usd_per_kwh_by_year.empty()) return nullptr;
    auto it = usd_per_kwh_by_year.lower_bound(year);
    if (it == usd_per_kwh_by_year.end()) --it;
    if (it->first != year && it != usd_per_kwh_by_year.begin()) {
      auto prev = std::prev(it);
      if (year - prev->first <= it->first - year) it = prev;
    }
    return &*it;
  }
};

}  // namespace costmodel
