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
inline std::string sweep_number(double v) { return g_number(v, 12); }

}  // namespace detail

/// Parses "KEY=START:STOP:STEP" (STOP included, within a relative tolerance of 1e-9 of a step)
/// or "KEY=A,B,C" (a list, of numbers or strings) or "KEY=A" (one value).
/// Example: "efficiency.mfu=0.2:0.6:0.1" gives 0.2, 0.3, 0.4, 0.5, 0.6.
/// Throws: input_error for a missing key, a step of 0, a step that walks away from STOP, a
/// non-number in a START:STOP:STEP, or more than max_sweep_points values.
[[nodiscard]] inline sweep_axis parse_sweep_axis(std::string_view text) {
  const std::string where = "--vary '" + std::string(text) + "'";
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    throw input_error(
        where + ": expected KEY=START:STOP:STEP or KEY=A,B,C, e.g. efficiency.mfu=0.2:0.6:0.1");
  }
  sweep_axis a;
  a.key = std::string(text.substr(0, eq));
  const auto rest = text.substr(eq + 1);
  if (rest.find(':') != std::string_view::npos) {
    const auto parts = detail::split_on(rest, ':');
    if (parts.size() != 3) throw input_error(where + ": expected START:STOP:STEP");
    std::array<double, 3> v{};
    for (std::size_t i = 0; i < 3; ++i) {
      const auto n = parse_number(parts[i]);
      if (!n) {
        throw input_error(where + ": '" + parts[i] + "' is not a number; expected START:STOP:STEP");
      }
      v[i] = *n;
    }
    const double start = v[0];
    const double stop = v[1];
    const double step = v[2];
    if (step == 0.0) throw input_error(where + ": the step is 0");
    const double steps = (stop - start) / step;
    constexpr double tol = 1e-9;
    if (steps < -tol) throw input_error(where + ": the step walks away from STOP");
    if (!std::isfinite(steps) || steps + 1.0 > static_cast<double>(max_sweep_points)) {
      throw input_error(where + ": more than " + detail::integer_text(max_sweep_points) +
                        " values; take a larger step");
    }
    const auto n = static_cast<std::size_t>(std::floor(steps + tol)) + 1;
    for (std::size_t i = 0; i < n; ++i) {
      a.values.push_back(detail::sweep_number(start + static_cast<double>(i) * step));
    }
  } else {
    for (auto& v : detail::split_on(rest, ',')) {
      if (v.empty()) throw input_error(where + ": an empty value in the list");
      a.values.push_back(std::move(v));
    }
  }
  return a;
}

/// Every combination of the axes' values, the first axis varying slowest.
/// Throws: input_error when there are no axes or more than max_sweep_points combinations.
[[nodiscard]] inline std::vector<std::vector<std::string>> sweep_grid(
    const std::vector<sweep_axis>& axes) {
  if (axes.empty()) throw input_error("a sweep needs at least one --vary KEY=...");
  double points = 1.0;
  for (const auto& a : axes) points *= static_cast<double>(a.values.size());
  if (points > static_cast<double>(max_sweep_points)) {
    throw input_error("the grid has " + detail::sweep_number(points) + " points; at most " +
                      detail::integer_text(max_sweep_points) +
                      " are evaluated (narrow the ranges or take larger steps)");
  }
  std::vector<std::vector<std::string>> grid{{}};
  for (const auto& a : axes) {
    std::vector<std::vector<std::string>> next;
    for (const auto& g : grid) {
      for (const auto& v : a.values) {
        auto row = g;
        row.push_back(v);
        next.push_back(std::move(row));
      }
    }
    grid = std::move(next);
  }
  return grid;
}

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
