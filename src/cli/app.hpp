// SPDX-License-Identifier: MIT
// The calculator's options and entry point, testable in-process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "costmodel/fwd.hpp"
#include "costmodel/presets.hpp"
#include "plan.hpp"

namespace CLI {
class App;
}

namespace costmodel::cli {

/// Output formats of every command.
enum class output_format { table, json, csv, markdown, svg };  ///< svg: trends only

/// `trends`' own options (src/cli/trends.cpp).
struct trends_args {
  std::string database;              ///< DB.csv: Epoch AI's "All ML Systems" export
  std::size_t top_n = 10;            ///< --top-n
  bool exclude_finetunes = false;    ///< --exclude-finetunes
  std::string since;                 ///< --since YYYY[-MM[-DD]]
  std::string until;                 ///< --until
  std::string method = "ownership";  ///< --method: ownership, rental or purchase
  std::vector<std::string> marks;    ///< --mark ID|FILE, repeatable
  std::size_t samples = 0;           ///< --samples: the Monte Carlo band; 0 (default) is off
  std::string output;                ///< --output FILE: write there instead of stdout
};

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
  trends_args trends;                ///< trends' options; audit --trends reads trends.database
  bool brief = false;                ///< --brief: at most eight lines, the answer first
  bool wide = false;                 ///< --wide: tables and lines as long as they are
  bool no_legend = false;            ///< --no-legend: no legend of terms under tables
};

/// The `--set KEY=VALUE` options, parsed.
/// Throws: input_error for one that is not KEY=VALUE.
[[nodiscard]] std::vector<override_entry> overrides_of(const options& o);

/// What estimates set side by side (compare's scenarios, sweep's points) differ in that makes
/// their costs unfair to compare: price bases, dollars of different years, own prices published
/// for different accelerators; each warning ends with `command` plus the options that re-cost
/// them on one basis. `one_run`: the estimates are points of one run (a sweep), which share its
/// own price unless the accelerator varies.
[[nodiscard]] std::vector<std::string> unfair_comparison(const options& o,
                                                         const std::vector<scenario>& ss,
                                                         const std::vector<estimate_result>& es,
                                                         const std::string& command, bool one_run);

/// Declares every subcommand and option on `app`, writing into `opts`.
void add_options(CLI::App& app, options& opts);

/// Runs parsed options and returns the whole output (nothing is printed here).
/// Throws: costmodel::error on bad input.
[[nodiscard]] std::string execute(const options& opts);

/// Parses, runs and prints; returns the exit code: 0 ok, 2 preset error, 3 input error,
/// CLI11's own codes (>= 100) for usage errors.
int run(int argc, const char* const* argv);

}  // namespace costmodel::cli
