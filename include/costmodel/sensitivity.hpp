// SPDX-License-Identifier: MIT
// One-at-a-time sensitivity (a tornado): how far each uncertain input moves the outputs between
// its low and high value while the others stay at their point values.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "costmodel/error.hpp"
#include "costmodel/uncertainty.hpp"

namespace costmodel {

/// One uncertain input: the outputs at its low and high value.
struct sensitivity_row {
  std::string key;
  uncertain_input range;
  double point = 0.0;  ///< the value the point estimate uses
  outputs at_low;
  outputs at_high;
  double swing = 0.0;  ///< |ranked metric at high - at low|
};

/// The inputs ranked by how far they move one metric.
struct sensitivity_result {
  metric ranked_by = metric::cost_usd_rental;  ///< the rental cost, or GPU-hours without price
  outputs point;                               ///< outputs at the point estimate
  std::vector<sensitivity_row> rows;           ///< largest swing first
  std::vector<std::string> not_propagated;     ///< ranges on inputs the model does not read
  std::vector<std::string> reported_ranges;    ///< ranges on reported figures (not inputs)
};

/// For each uncertain input of `s`, the outputs with that input at its low and at its high
/// value (for a lognormal range, its 5th and 95th percentiles) and every other input at its
/// point value; sorted by the swing of the rental cost (of GPU-hours when no price is known).
/// Throws: input_error when `s` has no uncertain input the model reads; what estimate() throws.
[[nodiscard]] inline sensitivity_result sensitivity(const scenario& s, const catalogue& cat) {
  const fast_model m(s, cat);
  if (m.keys().empty()) {
    throw input_error("scenario '" + s.id +
                      "' has no uncertain input the model reads: write a range in the file "
                      "(mfu = { low = 0.3, high = 0.45 }) or give --range KEY=LOW:HIGH");
  }
  sensitivity_result out;
  out.not_propagated = m.not_propagated();
  out.reported_ranges = m.reported_ranges();
  const std::size_t n = m.keys().size();
  std::vector<double> x(n, std::numeric_limits<double>::quiet_NaN());
  m.evaluate(x.data(), out.point);
  out.ranked_by =
      std::isnan(out.point[metric::cost_usd_rental]) ? metric::gpu_hours : metric::cost_usd_rental;
  for (std::size_t i = 0; i < n; ++i) {
    sensitivity_row r;
    r.key = m.keys()[i];
    r.range = m.ranges()[i];
    r.point = m.point_values()[i];
    x[i] = r.range.low;
    m.evaluate(x.data(), r.at_low);
    x[i] = r.range.high;
    m.evaluate(x.data(), r.at_high);
    x[i] = std::numeric_limits<double>::quiet_NaN();
    r.swing = std::fabs(r.at_high[out.ranked_by] - r.at_low[out.ranked_by]);
    out.rows.push_back(std::move(r));
  }
  std::stable_sort(
      out.rows.begin(), out.rows.end(),
      [](const sensitivity_row& a, const sensitivity_row& b) { return a.swing > b.swing; });
  return out;
}

}  // namespace costmodel
