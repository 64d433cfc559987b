// SPDX-License-Identifier: MIT
// The ways to count what a run cost besides rental: ownership (amortised hardware plus energy),
// purchase of the cluster, and the whole program (experiments and staff). After Cottier et al.
// 2024, "The rising costs of training frontier AI models", arXiv:2405.21015, and Epoch AI's
// implementation (training-cost-trends, cost_analysis_standalone.py).
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include "costmodel/error.hpp"
#include "costmodel/quantity.hpp"

namespace costmodel {

/// How hardware loses value over time.
enum class depreciation_kind {
  exponential,   ///< value falls with hardware price-performance: 10^(-k * years) (Epoch)
  straight_line  ///< accounting: price / life per year until fully written off
};

/// The inputs of the ownership method for one kind of accelerator.
struct ownership_model {
  money server_price_per_accelerator{};  ///< accelerator price x server overhead, when bought
  double interconnect_share = 0.0;       ///< cluster interconnect as a share of the total
  depreciation_kind depreciation = depreciation_kind::exponential;
  double ooms_per_year = 0.14;  ///< exponential: orders of magnitude lost per year
  double life_years = 0.0;      ///< straight-line: useful life
  double age_years = 0.0;       ///< hardware age when the run starts
  double hours_per_year = 8766.0;
  bool operator==(const ownership_model&) const = default;
};

/// Cluster cost including interconnect, from server cost: `server / (1 - share)`. Epoch takes the
/// interconnect as 19% of total cluster cost (CLUSTER_INTERCONNECT_COST_FRACTION), so the
/// multiplier is 1 / 0.81 = 1.235, not 1.19.
/// Throws: input_error when `share` is outside [0, 1).
[[nodiscard]] inline double interconnect_multiplier(double share) {
  if (!std::isfinite(share) || share < 0.0 || share >= 1.0) {
    throw input_error("ownership.interconnect_share must be in [0, 1)");
  }
  return 1.0 / (1.0 - share);
}

/// Value left after `years` of hardware progress: `price * 10^(-ooms_per_year * years)`
/// (Epoch's `depreciate_by_hardware_progress`; 0.14 OOM/year is the ML GPU price-performance
/// trend of Epoch's "Trends in machine learning hardware").
[[nodiscard]] inline money depreciated_value(money price, double ooms_per_year, double years) {
  return price * std::pow(10.0, -ooms_per_year * years);
}

/// Hardware cost per accelerator-hour of use, USD/(GPU*h), without interconnect.
/// Exponential: the value at the start of the run, replaced at `k * ln(10)` of its value per year
/// (Epoch, "The longest training run": a k OOM/year trend makes replacing that share optimal;
/// 0.14 ln 10 = 0.322/year, about a 3.1-year straight-line equivalent), over hours per year.
/// Straight-line: `price / (life * hours per year)` while `age < life`, then nothing.
/// Throws: input_error for a non-positive life or rate, or a negative age.
[[nodiscard]] inline price_rate hardware_rate(const ownership_model& m) {
  if (!std::isfinite(m.age_years) || m.age_years < 0.0) {
    throw input_error("ownership: hardware age must be >= 0 years");
  }
  if (!(m.hours_per_year > 0.0)) throw input_error("ownership: hours per year must be positive");
  const double price = value_in(m.server_price_per_accelerator, units::usd);
  double usd_per_hour = 0.0;
  if (m.depreciation == depreciation_kind::exponential) {
    if (!std::isfinite(m.ooms_per_year) || m.ooms_per_year <= 0.0) {
      throw input_error("ownership.depreciation_ooms_per_year must be positive");
    }
    const double value = price * std::pow(10.0, -m.ooms_per_year * m.age_years);
    usd_per_hour = value * m.ooms_per_year * std::log(10.0) / m.hours_per_year;
  } else {
    if (!std::isfinite(m.life_years) || m.life_years <= 0.0) {
      throw input_error("ownership.life_years must be positive for straight-line depreciation");
    }
    usd_per_hour = m.age_years < m.life_years ? price / (m.life_years * m.hours_per_year) : 0.0;
  }
  return price_rate_from_usd_per_gpu_hour(usd_per_hour);
}

/// Amortised hardware (servers and interconnect) for `used`, USD. Add energy_cost() for the
/// ownership method of Cottier et al. 2024 ("amortised hardware CapEx + energy").
[[nodiscard]] inline money amortised_hardware_cost(const ownership_model& m, gpu_time used) {
  return used * hardware_rate(m) * interconnect_multiplier(m.interconnect_share);
}

/// What it costs to buy the cluster: count * server price per accelerator / (1 - interconnect
/// share) (Epoch's `estimate_hardware_acquisition_cost`).
[[nodiscard]] inline money purchase_cost(gpu_count count, money server_price_per_accelerator,
                                         double interconnect_share) {
  return server_price_per_accelerator * count.value() * interconnect_multiplier(interconnect_share);
}

/// Throws: input_error for an experiments multiplier below 1 (program_cost()).
inline void check_experiments_multiplier(double experiments_multiplier) {
  if (!std::isfinite(experiments_multiplier) || experiments_multiplier < 1.0) {
    throw input_error("program.experiments_multiplier must be >= 1");
  }
}

/// The whole program: the final run times an experiments multiplier (all compute over the final
/// run's; Cottier et al. 2024 use 1.2x to 4x, median 2.2x) plus staff, USD.
/// Throws: input_error for a multiplier below 1 or negative staff.
[[nodiscard]] inline money program_cost(money final_run, double experiments_multiplier,
                                        money staff = money{}) {
  check_experiments_multiplier(experiments_multiplier);
  if (!(value_in(staff, units::usd) >= 0.0)) throw input_error("program.staff_usd must be >= 0");
  return final_run * experiments_multiplier + staff;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level
/// Date Algorithms", days_from_civil).
[[nodiscard]] constexpr long days_from_civil(long y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

/// The span of years a scenario, price or ownership date may fall in: from the first
/// programmable computers' era to well after any catalogue price; a year outside is a typo.
inline constexpr int earliest_date_year = 1950;
inline constexpr int latest_date_year = 2100;

/// Days in month `m` (1-12) of the proleptic Gregorian year `y`.
[[nodiscard]] constexpr unsigned days_in_month(long y, unsigned m) noexcept {
  constexpr unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29U : days[m - 1];
}

/// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (missing parts are the first month or day) into days
/// since 1970-01-01; nothing when the text is not such a calendar date (2024-02-30) or its year
/// is outside [earliest_date_year, latest_date_year].
[[nodiscard]] inline std::optional<long> parse_date_days(std::string_view s) {
  auto digits = [&](std::size_t from, std::size_t n) -> std::optional<unsigned> {
    if (from + n > s.size()) return std::nullopt;
    unsigned v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + static_cast<unsigned>(s[i] - '0');
    }
    return v;
  };
  const auto y = digits(0, 4);
  if (!y || *y < earliest_date_year || *y > latest_date_year) return std::nullopt;
  unsigned m = 1;
  unsigned d = 1;
  if (s.size() == 4) return days_from_civil(*y, m, d);
  if (s.size() < 7 || s[4] != '-') return std::nullopt;
  const auto mm = digits(5, 2);
  if (!mm || *mm < 1 || *mm > 12) return std::nullopt;
  m = *mm;
  if (s.size() == 7) return days_from_civil(*y, m, d);
  if (s.size() != 10 || s[7] != '-') return std::nullopt;
  const auto dd = digits(8, 2);
  if (!dd || *dd < 1 || *dd > days_in_month(*y, m)) return std::nullopt;
  return days_from_civil(*y, m, *dd);
}

/// The calendar year of a date string, or nothing.
[[nodiscard]] inline std::optional<int> year_of(std::string_view s) {
  if (!parse_date_days(s)) return std::nullopt;
  return (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
}

/// Years from `from` to `to` (dates as parse_date_days reads them), in years of 365.25 days as
/// Epoch counts them.
/// Throws: input_error when a date cannot be read.
[[nodiscard]] inline double years_between(std::string_view from, std::string_view to) {
  const auto a = parse_date_days(from);
  const auto b = parse_date_days(to);
  if (!a || !b) {
    throw input_error("expected dates as YYYY, YYYY-MM or YYYY-MM-DD, got '" + std::string(from) +
                      "' and '" + std::string(to) + "'");
  }
  return static_cast<double>(*b - *a) / 365.25;
}

}  // namespace costmodel
