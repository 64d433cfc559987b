// SPDX-License-Identifier: MIT
// Uncertainty in the calculator: --range, --seed and --samples, and P5/P50/P95 in every format.
#pragma once

#include <optional>
#include <string>

#include "app.hpp"
#include "costmodel/costmodel.hpp"
#include "render.hpp"

namespace costmodel::cli {

/// Adds the `--range` entries of `o` to `s`.
/// Throws: input_error for a malformed range or a key that is not an input.
void apply_ranges(const options& o, scenario& s);

/// The Monte Carlo of `s` when it has uncertain inputs and `--samples` is not 0.
/// Throws: input_error for a bad --samples.
std::optional<uncertainty_result> run_uncertainty(const options& o, const scenario& s,
                                                  const catalogue& cat);

/// Adds `<output>_p5`, `_p50` and `_p95` beside each output of a phase (or total) object:
/// `compute_flop_p5`, `gpu_hours_p5`, `wall_clock_days_p5` and `cost_usd_p5: {"rental": ...}`.
void add_percentiles(json& o, const output_percentiles& p);

/// The top-level "uncertainty" object: samples, seed, inputs, not propagated, reported ranges.
json uncertainty_json(const scenario& s, const uncertainty_result& u);

/// The percentile columns of the CSV, in order, for one row (empty cells where unknown).
std::vector<std::string> percentile_header();
std::vector<std::string> percentile_cells(const output_percentiles* p);

/// The terminal (or Markdown) block: the inputs, then point, P5, P50, P95 of every output.
std::string uncertainty_text(const scenario& s, const estimate_result& e,
                             const uncertainty_result& u, bool markdown);

}  // namespace costmodel::cli
