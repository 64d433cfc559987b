// SPDX-License-Identifier: MIT
// The memory budget of one call: the Monte Carlo's column store (phases x outputs x samples)
// and evaluate()'s arrays grow with their inputs, and without a bound a 344 KB file of 5,000
// phases asked the kernel for 23 GB. A run over the budget is refused with the figure and the
// way to raise it, before anything is allocated.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <string>
#include <string_view>

#include "costmodel/error.hpp"
#include "costmodel/parse.hpp"
#include "costmodel/text.hpp"

namespace costmodel::detail {

/// The budget when COSTMODEL_MAX_MEMORY is not set: 2 GiB.
inline constexpr double default_memory_budget_bytes = 2.0 * 1024 * 1024 * 1024;
/// The environment variable that raises (or lowers) the budget: bytes, with k/M/G/T suffixes
/// as the calculator reads numbers ("8G").
inline constexpr const char* memory_budget_variable = "COSTMODEL_MAX_MEMORY";

/// The budget in bytes: COSTMODEL_MAX_MEMORY when it is a positive number, else the default.
/// Throws: input_error for a variable that is set but is no positive number.
[[nodiscard]] inline double memory_budget_bytes() {
  const char* env = std::getenv(memory_budget_variable);
  if (env == nullptr || *env == '\0') return default_memory_budget_bytes;
  const auto v = parse_number(env);
  if (!v || !(*v > 0.0)) {
    throw input_error(std::string(memory_budget_variable) + "='" + env +
                      "': expected a positive number of bytes such as 8G");
  }
  return *v;
}

/// Refuses `count` items of `bytes_each` bytes over the budget. `what` names the run ("the
/// Monte Carlo of 5000 phases"), `lower` the input that lowers the figure ("--samples").
/// Throws: input_error naming the figure, the budget and both ways out.
inline void check_memory_budget(double count, double bytes_each, std::string_view what,
                                std::string_view lower) {
  const double need = count * bytes_each;
  const double budget = memory_budget_bytes();
  if (need <= budget) return;
  auto gb = [](double b) { return g_number(b / 1e9, 3) + " GB"; };
  throw input_error(std::string(what) + " needs " + gb(need) + " of memory, over the budget of " +
                    gb(budget) + "; lower " + std::string(lower) + ", or raise the budget with " +
                    memory_budget_variable + "=" + g_number(std::ceil(need / 1e9), 6) + "G");
}

}  // namespace costmodel::detail
