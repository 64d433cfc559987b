// SPDX-License-Identifier: MIT
// An uncertain input: a range with a distribution, written in a scenario file or on the command
// line instead of a single number.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "costmodel/error.hpp"
#include "costmodel/text.hpp"

namespace costmodel {

namespace detail {
/// "%.6g" with a '.' whatever the C locale says, for messages.
inline std::string range_number(double v) { return g_number(v, 6); }
}  // namespace detail

/// How values are spread between `low` and `high`.
enum class distribution {
  uniform,     ///< every value in [low, high] equally likely
  triangular,  ///< peaks at `mode` (default: the midpoint), zero at low and high
  lognormal,   ///< low and high are the 5th and 95th percentiles (a 90% interval)
};

[[nodiscard]] constexpr std::string_view to_string(distribution d) noexcept {
  switch (d) {
    case distribution::uniform:
      return "uniform";
    case distribution::triangular:
      return "triangular";
    case distribution::lognormal:
      return "lognormal";
  }
  return "?";
}

/// The distribution named `name` ("uniform"), or nothing.
[[nodiscard]] inline std::optional<distribution> parse_distribution(std::string_view name) {
  for (auto d : {distribution::uniform, distribution::triangular, distribution::lognormal}) {
    if (to_string(d) == name) return d;
  }
  return std::nullopt;
}

/// z of the standard normal's 95th percentile, Phi^-1(0.95), so that a lognormal's `low` and
/// `high` are its 5th and 95th percentiles.
inline constexpr double z95 = 1.6448536269514722;

/// A range in the unit of its key (the MFU as a ratio, counts as counts, prices in USD).
struct uncertain_input {
  distribution dist = distribution::uniform;
  double low = 0.0;
  double high = 0.0;
  std::optional<double> mode;  ///< triangular only
  /// Set by a command-line `--range` on a top-level key: like `--set`, it also drives the
  /// phases that set the key themselves, with one draw for the whole run. A range written in a
  /// file follows inheritance instead: a phase's own value wins.
  bool whole_run = false;
  bool operator==(const uncertain_input&) const = default;

  /// The value a point estimate uses when the file gives none: the mode of a triangular range
  /// (its midpoint when no mode is given), the midpoint of a uniform one, the median (geometric
  /// mean of low and high) of a lognormal one.
  [[nodiscard]] double centre() const {
    switch (dist) {
      case distribution::triangular:
        return mode ? *mode : 0.5 * (low + high);
      case distribution::lognormal:
        return std::sqrt(low) * std::sqrt(high);
      case distribution::uniform:
        break;
    }
    return 0.5 * (low + high);
  }

  /// The lognormal's log-mean and log-standard deviation (low and high at z = -/+1.645).
  [[nodiscard]] double log_mu() const { return 0.5 * (std::log(low) + std::log(high)); }
  [[nodiscard]] double log_sigma() const { return (std::log(high) - std::log(low)) / (2.0 * z95); }

  /// The value at quantile `u` in [0, 1] for uniform and triangular ranges (inverse CDF).
  /// Lognormal ranges are drawn from a normal variate instead (see uncertainty.hpp).
  [[nodiscard]] double at_quantile(double u) const {
    if (dist == distribution::triangular) {
      const double c = centre();
      const double w = high - low;
      if (w <= 0.0) return low;
      const double fc = (c - low) / w;
      if (u < fc) return low + std::sqrt(u * w * (c - low));
      return high - std::sqrt((1.0 - u) * w * (high - c));
    }
    return low + u * (high - low);
  }
};

/// Checks the shape of a range: finite ends, low <= high, low <= mode <= high, a mode only for
/// a triangular range, positive ends for a lognormal one. Returns what is wrong, or "".
[[nodiscard]] inline std::string range_problem(const uncertain_input& r) {
  if (!std::isfinite(r.low) || !std::isfinite(r.high)) return "low and high must be finite";
  if (r.low > r.high) return "low is above high";
  if (r.mode) {
    if (r.dist != distribution::triangular) return "mode applies to a triangular range only";
    if (!std::isfinite(*r.mode) || *r.mode < r.low || *r.mode > r.high) {
      return "mode must lie between low and high";
    }
  }
  if (r.dist == distribution::lognormal && !(r.low > 0.0)) {
    return "a lognormal range needs low > 0";
  }
  return "";
}

}  // namespace costmodel
