// SPDX-License-Identifier: MIT
// Trends: Epoch AI's public database of ML systems read, every system costed with the same model
// as every other command (estimate()), the most compute-intensive systems of their time
// selected, and the growth of their cost fitted (Cottier et al. 2024, "The rising costs of
// training frontier AI models", arXiv:2405.21015). Orchestration is in src/trends.cpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "costmodel/kernel.hpp"

namespace costmodel {

struct catalogue;

// ---------------------------------------------------------------------------------------------
// The database.

/// One row of Epoch's "All ML Systems" database, the columns the trend needs. Numbers the row
/// leaves empty (or writes as something other than a number) are empty optionals.
struct epoch_system {
  std::size_t line = 0;                     ///< line of the row's first field in the file (1-based)
  std::string system;                       ///< `System` (older exports) or `Model` (newer ones)
  std::string date;                         ///< `Publication date`, YYYY-MM-DD as written
  std::string organization;                 ///< `Organization`
  std::string hardware;                     ///< `Training hardware`, as written ("Google TPU v3")
  std::string confidence;                   ///< `Confidence` ("Confident", "Likely", "Speculative")
  std::string base_model;                   ///< `Base model`; not empty for a fine-tune
  std::optional<double> parameters;         ///< `Parameters`
  std::optional<double> compute_flop;       ///< `Training compute (FLOP)`
  std::optional<double> training_hours;     ///< `Training time (hours)`
  std::optional<double> hardware_quantity;  ///< `Hardware quantity`
  std::optional<double> utilization;        ///< `Hardware utilization` (a ratio)
  std::optional<double> chip_hours;         ///< `Training chip-hours`
  std::optional<double> dataset_size;       ///< `Training dataset size (datapoints)`
  std::optional<double> finetune_compute;   ///< `Finetune compute (FLOP)`
  std::optional<double> database_cost_2020;  ///< `Training compute cost (2020 USD)`
  /// A fine-tune: a `Base model` is named or `Finetune compute (FLOP)` is given.
  [[nodiscard]] bool finetune() const { return !base_model.empty() || finetune_compute; }
};

/// A whole database file.
struct epoch_database {
  std::string file;
  std::vector<epoch_system> systems;
  /// Which header each needed column was found under ("System" or "Model", ...).
  std::vector<std::pair<std::string, std::string>> columns;
};

/// Parses the text of an export of Epoch's database: RFC 4180 CSV (libcsv), a UTF-8 byte-order
/// mark, quoted cells over several lines, empty cells. The columns are found by their header;
/// `Model` is read for `System` and the other renamed columns of newer exports likewise
/// (docs/trends.md lists them). Rows without a name are skipped (the export ends with one).
/// Throws: input_error "file:line:column: ..." for a CSV that cannot be parsed, a missing
/// column or a row with more fields than the header.
[[nodiscard]] epoch_database parse_epoch_database(std::string_view text, const std::string& file);

/// Reads and parses the file at `path`. Throws: input_error when it cannot be read, and what
/// parse_epoch_database() throws.
[[nodiscard]] epoch_database read_epoch_database(const std::string& path);

// ---------------------------------------------------------------------------------------------
// Costing.

/// Where a system's chip-hours come from, in the order they are tried.
enum class chip_hours_source : std::uint8_t {
  database,         ///< the database's `Training chip-hours`
  time_x_quantity,  ///< `Training time (hours)` x `Hardware quantity`
  compute_model     ///< compute / (peak x MFU): the model's own GPU-hours (estimate())
};
[[nodiscard]] constexpr std::string_view to_string(chip_hours_source s) noexcept {
  switch (s) {
    case chip_hours_source::database:
      return "database chip-hours";
    case chip_hours_source::time_x_quantity:
      return "time x quantity";
    case chip_hours_source::compute_model:
      return "compute / (peak x MFU)";
  }
  return "?";
}

/// The cost methods a trend can be fitted on (`--method`), by the calculator's names.
inline constexpr std::array<cost_method, 3> trend_methods{
    cost_method::ownership, cost_method::rental, cost_method::purchase};
/// The index of `m` in trend_methods, or nothing.
[[nodiscard]] constexpr std::optional<std::size_t> trend_method_index(cost_method m) noexcept {
  for (std::size_t i = 0; i < trend_methods.size(); ++i) {
    if (trend_methods[i] == m) return i;
  }
  return std::nullopt;
}
/// The method named `name` ("ownership", "rental", "purchase"), or nothing.
[[nodiscard]] std::optional<cost_method> parse_trend_method(std::string_view name) noexcept;

/// One system costed by the model.
struct costed_system {
  const epoch_system* row = nullptr;  ///< into the database, which must outlive this
  std::string accelerator;            ///< catalogue id
  std::string hardware_note;          ///< how the database's name was mapped, when approximate
  double gpu_hours = 0.0;
  chip_hours_source basis = chip_hours_source::compute_model;
  std::optional<double> mfu;   ///< the MFU the model used, when it modelled GPU-hours
  std::string training_start;  ///< YYYY-MM-DD, the ownership method's start of training
  std::string acquisition;     ///< YYYY-MM-DD, the hardware's acquisition date used
  std::array<std::optional<double>, trend_methods.size()> cost_usd{};  ///< by trend_methods
  double decimal_year = 0.0;  ///< the publication date as a decimal year (Epoch's rule)
  bool frontier = false;      ///< among the top-n at publication
  bool in_fit = false;        ///< frontier, within --since/--until, costed by the method
};

/// A system left out, with the reason.
struct excluded_system {
  const epoch_system* row = nullptr;
  std::string reason;
  bool frontier = false;  ///< it was among the top-n at publication
};

// ---------------------------------------------------------------------------------------------
// Selection and fit.

struct trend_options {
  std::size_t top_n = 10;          ///< the n most compute-intensive at publication; 0: every one
  bool exclude_finetunes = false;  ///< leave fine-tunes out of the fit (they are still ranked)
  std::string since;               ///< YYYY[-MM[-DD]]: first publication date of the fit
  std::string until;               ///< last publication date of the fit, inclusive
  cost_method method = cost_method::ownership;
  std::optional<int> usd_year;  ///< dollars of this year; nominal (of publication) if empty
};

/// Ordinary least squares of log10(cost) on the decimal year of publication.
struct trend_fit {
  std::size_t n = 0;
  double slope = 0.0;                    ///< log10 dollars per year
  double intercept = 0.0;                ///< log10 dollars at year 0
  double slope_se = 0.0;                 ///< standard error of the slope
  double growth_per_year = 0.0;          ///< 10^slope
  std::array<double, 2> ci90{0.0, 0.0};  ///< 10^(slope -/+ t(0.95, n-2) se)
  double r2 = 0.0;
  double residual_sd = 0.0;  ///< sqrt(SSE / (n - 2)), log10 units
  double mean_x = 0.0;       ///< the mean decimal year of the fit
  double sxx = 0.0;          ///< sum of (x - mean_x)^2
  double t90 = 0.0;          ///< t(0.95, n - 2), the two-sided 90% quantile of Student's t
  [[nodiscard]] double log10_cost_at(double decimal_year) const {
    return intercept + slope * decimal_year;
  }
  /// Half the width (log10) of the 90% prediction band of one new system at `decimal_year`:
  /// t * sd * sqrt(1 + 1/n + (x - mean)^2 / sxx) (the OLS prediction interval; the band that
  /// costmodel.plot.trend() draws).
  [[nodiscard]] double prediction_half_width(double decimal_year) const;
};

/// Fits `xs` (decimal years) against `ys` (log10 dollars).
/// Throws: input_error for fewer than 3 points or a single date.
[[nodiscard]] trend_fit fit_trend(const std::vector<double>& xs, const std::vector<double>& ys);

/// Epoch's decimal year of a date: year + (month - 1) / 12 + (day - 1) / 365.
/// Throws: input_error for a date that is not YYYY[-MM[-DD]].
[[nodiscard]] double decimal_year(std::string_view date);

/// The whole analysis.
struct trend_result {
  trend_options options;
  std::string file;
  std::string dollars;                 ///< "2023 USD" or "nominal"
  std::vector<costed_system> systems;  ///< every costed row, in the database's order
  std::vector<excluded_system> excluded;
  trend_fit fit;
  /// Residuals (log10) of the systems of the fit, in the order of systems.
  std::vector<double> residuals;
  std::vector<std::string> notes;  ///< the assumptions of the costing, once each
};

/// Costs every system of `db` with estimate(), selects the frontier, fits the trend.
/// Throws: input_error for bad options or a fit with fewer than 3 systems; preset_error for a
/// broken hardware map (presets/trends/epoch-hardware.toml).
[[nodiscard]] trend_result run_trends(const epoch_database& db, const catalogue& cat,
                                      const trend_options& opts);

/// Where a cost sits against the trend at a date.
struct trend_position {
  double cost_usd = 0.0;
  double trend_usd = 0.0;  ///< the line at that date
  double ratio = 0.0;      ///< cost / trend
  double decimal_year = 0.0;
  std::size_t as_far = 0;  ///< residuals of the fit at least as far from the line (|r| >= |r0|)
  std::size_t n = 0;
};
[[nodiscard]] trend_position place_on_trend(const trend_result& r, double cost_usd,
                                            std::string_view date);

// ---------------------------------------------------------------------------------------------
// The Monte Carlo band (`trends --samples N`): each input of each system of the fit drawn from
// a range, every system re-costed with estimate(), the line refitted per sample.

/// The inputs drawn. Each is set on the system's scenario (the scenario key in the comment), so
/// the model itself prices every draw.
enum class trend_input : std::uint8_t {
  gpu_price,          ///< ownership.usd_per_accelerator and pricing.usd_per_gpu_hour, a GPU's
  tpu_price,          ///< the same, a TPU's
  server_overhead,    ///< ownership.server_overhead (where the price is not a system price)
  interconnect,       ///< ownership.interconnect_share, as the multiplier 1 / (1 - share)
  depreciation,       ///< ownership.depreciation_ooms_per_year
  start_shift_days,   ///< ownership.training_start_date, moved by this many days
  training_time,      ///< chip-hours from the database or time x quantity: a factor
  hardware_quantity,  ///< the same chip-hours, and hardware.count: a factor
  training_compute,   ///< training.compute_flop, where chip-hours are modelled: a factor
  peak_flops,         ///< the peak (as 1 / factor on the compute), where chip-hours are modelled
  utilisation,        ///< efficiency.mfu, where the database gives none (imputed)
  energy_price,       ///< energy.usd_per_kwh: a factor
  gpu_power,          ///< energy.average_power_fraction of a GPU
  tpu_power,          ///< energy.average_power_fraction of a TPU
  pue                 ///< energy.pue
};

/// How a range is drawn.
enum class trend_draw : std::uint8_t {
  lognormal,  ///< low and high are P5 and P95; a factor x / sqrt(low * high) on the point value
  normal      ///< low and high are P5 and P95 of the value itself, clipped to [clip_low, clip_high]
};

/// One input's range and its source.
struct trend_input_range {
  trend_input input;
  std::string_view name;        ///< JSON key ("gpu_price")
  std::string_view applies_to;  ///< which systems and which scenario key
  trend_draw draw;
  double low;
  double high;
  double clip_low;   ///< normal only
  double clip_high;  ///< normal only
  std::string_view source;
};

/// The ranges of the band: Epoch AI's own 90% intervals for its cost estimates
/// (training-cost-trends, uncertainty.ipynb, the appendix of Cottier et al. 2024), each with its
/// source or stated as an assumption (docs/trends.md).
[[nodiscard]] const std::vector<trend_input_range>& trend_input_ranges();

/// P5, P50 and P95 of a sampled figure.
using trend_percentiles = std::array<double, 3>;

/// What the samples give.
struct trend_band {
  std::size_t samples = 0;
  std::uint64_t seed = 0;
  trend_percentiles growth_per_year{};  ///< of 10^slope, one fit per sample
  std::vector<double> slopes;           ///< per sample, log10 dollars per year
  std::vector<double> intercepts;       ///< per sample
  /// P5/P50/P95 of the sampled lines' cost (USD) at `decimal_year`.
  [[nodiscard]] trend_percentiles line_usd_at(double decimal_year) const;
  /// P5/P50/P95 of cost / line at `decimal_year` over the sampled lines (`cost_usd` fixed).
  [[nodiscard]] trend_percentiles ratio_at(double cost_usd, double decimal_year) const;
};

/// The most samples one band takes.
inline constexpr std::size_t max_trend_samples = 1000000;

/// Draws `samples` sets of inputs for the systems of `r`'s fit (independently per system and
/// input, from `ranges`; a seed gives the same band on every platform), costs each system with
/// estimate() and refits the line per sample. `db` must be the database `r` was run on.
/// Throws: input_error when samples is 0 or above max_trend_samples; what estimate() throws.
[[nodiscard]] trend_band sample_trend(
    const epoch_database& db, const catalogue& cat, const trend_result& r, std::size_t samples,
    std::uint64_t seed, const std::vector<trend_input_range>& ranges = trend_input_ranges());

}  // namespace costmodel
