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
[[nodiscard]] sensitivity_result sensitivity(const scenario& s, const catalogue& cat);

}  // namespace costmodel
