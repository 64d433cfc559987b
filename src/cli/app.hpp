// SPDX-License-Identifier: MIT
// The calculator's options and entry point, testable in-process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "costmodel/presets.hpp"
#include "plan.hpp"

namespace CLI {
class App;
}

namespace costmodel::cli {

/// Output formats of every command.
enum class output_format { table, json, csv, markdown };

/// Everything the command line can say.
struct options {
  std::string
      command;  ///< "estimate", "compare", "list", "show", "audit", "sweep", "sensitivity", "plan"
  std::vector<std::string> scenarios;    ///< ids or paths
  std::string id;                        ///< for show
  std::vector<std::string> sets;         ///< --set KEY=VALUE
  std::vector<std::string> allow_paths;  ///< --allow-path DIR: folders `extends` may read
  output_format format = output_format::table;
  std::vector<std::string> claims;   ///< audit: --claim METRIC=VALUE
  std::string claims_file;           ///< audit: --claims FILE
  std::optional<double> same_price;  ///< compare: --same-price USD per GPU-hour
  std::string same_hardware;         ///< compare: --same-hardware ACCELERATOR
  std::vector<std::string> ranges;   ///< --range KEY=LOW:HIGH[:DIST[:MODE]]
  std::uint64_t seed = 1;            ///< --seed of the Monte Carlo
  std::size_t samples = 100000;      ///< --samples; 0 turns the Monte Carlo off
  std::vector<std::string> vary;     ///< sweep: --vary KEY=START:STOP:STEP or KEY=A,B,C
  plan_options plan;                 ///< plan's options
  std::string price_basis;           ///< --price-basis (sets pricing.basis); compare: default 3y
  std::optional<int> usd_year;       ///< --usd-year (sets pricing.usd_year)
  bool brief = false;                ///< --brief: at most eight lines, the answer first
  bool wide = false;                 ///< --wide: tables and lines as long as they are
};

/// The `--set KEY=VALUE` options, parsed.
/// Throws: input_error for one that is not KEY=VALUE.
[[nodiscard]] std::vector<override_entry> overrides_of(const options& o);

/// Declares every subcommand and option on `app`, writing into `opts`.
void add_options(CLI::App& app, options& opts);

/// Runs parsed options and returns the whole output (nothing is printed here).
/// Throws: costmodel::error on bad input.
[[nodiscard]] std::string execute(const options& opts);

/// Parses, runs and prints; returns the exit code: 0 ok, 2 preset error, 3 input error,
/// CLI11's own codes (>= 100) for usage errors.
int run(int argc, const char* const* argv);

}  // namespace costmodel::cli
