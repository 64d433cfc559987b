// SPDX-License-Identifier: MIT
// Sweeps: the estimate over a grid of values of one or more inputs ("what if the MFU were
// 0.2, 0.3, ... 0.6 on each of these accelerators?").
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "costmodel/error.hpp"
#include "costmodel/estimate.hpp"
#include "costmodel/parse.hpp"
#include "costmodel/text.hpp"

namespace costmodel {

/// The most grid points one sweep evaluates; a larger grid is refused, not truncated.
inline constexpr std::size_t max_sweep_points = 1000;

/// One varied input: a dotted key as in a scenario file and its values as text (numbers, or
/// strings such as accelerator ids), applied like `--set KEY=VALUE`.
struct sweep_axis {
  std::string key;
  std::vector<std::string> values;
  bool operator==(const sweep_axis&) const = default;
};

namespace detail {

/// "%.12g" with a '.' whatever the C locale says: 0.2 + 3 * 0.1 prints as 0.5.
std::string sweep_number(double v);

}  // namespace detail

/// Parses "KEY=START:STOP:STEP" (STOP included, within a relative tolerance of 1e-9 of a step)
/// or "KEY=A,B,C" (a list, of numbers or strings) or "KEY=A" (one value).
/// Example: "efficiency.mfu=0.2:0.6:0.1" gives 0.2, 0.3, 0.4, 0.5, 0.6.
/// Throws: input_error for a missing key, a step of 0, a step that walks away from STOP, a
/// non-number in a START:STOP:STEP, or more than max_sweep_points values.
[[nodiscard]] sweep_axis parse_sweep_axis(std::string_view text);

/// Every combination of the axes' values, the first axis varying slowest.
/// Throws: input_error when there are no axes or more than max_sweep_points combinations.
[[nodiscard]] std::vector<std::vector<std::string>> sweep_grid(const std::vector<sweep_axis>& axes);

/// One grid point: its values (one per axis), the estimate, or why it could not be made.
struct sweep_point {
  std::vector<std::string> values;
  std::optional<estimate_result> result;
  std::string error;  ///< set when this point has no estimate (an accelerator without fp8 ...)
};

/// Evaluates `eval(overrides)` at every grid point, where `overrides` holds one
/// {key, value} pair per axis (apply them like `--set`). A point that throws a costmodel::error
/// keeps its message; when every point fails, the first error is rethrown, so that a typo in a
/// key is an error, not a table of failures.
/// Throws: input_error from sweep_grid(); the first point's error when all points fail.
template <class Eval>
[[nodiscard]] std::vector<sweep_point> sweep(const std::vector<sweep_axis>& axes, Eval&& eval) {
  std::vector<sweep_point> out;
  std::exception_ptr first;
  bool any_ok = false;
  for (auto& values : sweep_grid(axes)) {
    std::vector<std::pair<std::string, std::string>> kv;
    for (std::size_t i = 0; i < axes.size(); ++i) kv.emplace_back(axes[i].key, values[i]);
    sweep_point p;
    p.values = std::move(values);
    try {
      p.result = eval(kv);
      any_ok = true;
    } catch (const error& e) {
      if (!first) first = std::current_exception();
      p.error = e.what();
    }
    out.push_back(std::move(p));
  }
  if (!any_ok && first) std::rethrow_exception(first);
  return out;
}

}  // namespace costmodel
