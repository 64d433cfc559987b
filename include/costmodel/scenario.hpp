// SPDX-License-Identifier: MIT
// A training scenario: inputs that drive the model and the figures that were reported.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "costmodel/cost_inputs.hpp"
#include "costmodel/efficiency.hpp"
#include "costmodel/flops.hpp"
#include "costmodel/hardware.hpp"
#include "costmodel/parallelism.hpp"
#include "costmodel/price_basis.hpp"
#include "costmodel/provenance.hpp"
#include "costmodel/quantity.hpp"
#include "costmodel/range.hpp"

namespace costmodel {

/// What a developer or a third party published about a run or a phase of it.
struct reported_figures {
  std::optional<gpu_time> gpu_hours;
  std::optional<money> cost;
  std::optional<compute> compute_flop;
  std::optional<duration> wall_clock;
  std::optional<double> mfu;                          ///< ratio, relative to mfu_precision's peak
  std::optional<costmodel::precision> mfu_precision;  ///< which peak `mfu` is relative to
  std::optional<price_rate> price;
  std::optional<double> energy_mwh;  ///< MWh
  std::optional<double> co2_tonnes;  ///< tCO2e
  std::optional<double> pue;         ///< ratio >= 1
  std::vector<std::string> sources;
  bool operator==(const reported_figures&) const = default;
};

/// The hardware and goodput that reported figures were measured on, kept when a what-if
/// (`--set`) changes the inputs, so that an implied MFU is computed against the right peak.
struct as_reported {
  std::optional<std::string> accelerator;
  std::optional<costmodel::precision> precision;
  std::optional<efficiency> goodput;
  bool operator==(const as_reported&) const = default;
};

/// Inputs of one phase (or of a whole run without phases). Empty optionals are inherited
/// from the scenario's top level, then defaulted by estimate().
struct run_inputs {
  std::string name;
  std::string description;
  std::optional<double> parameters;         ///< total parameters, a count
  std::optional<double> active_parameters;  ///< per token; defaults to parameters
  std::optional<std::string> architecture;  ///< "dense" or "moe"
  std::optional<double> tokens;             ///< training tokens, a count
  std::optional<double> sequence_length;    ///< tokens
  std::optional<compute> compute_flop;      ///< given directly instead of tokens
  std::optional<std::string> accelerator;   ///< catalogue id
  std::optional<gpu_count> count;
  std::optional<costmodel::precision> precision;
  /// The utilisation, given one of three ways (at most one per table; a phase that gives one
  /// inherits none of the top level's): efficiency.mfu, efficiency.hfu (hardware FLOPs, counting
  /// recomputation) or efficiency.achieved_tflops (hardware TFLOPS per accelerator).
  std::optional<efficiency> mfu;
  std::optional<efficiency> hfu;
  std::optional<double> achieved_tflops;
  std::optional<efficiency> goodput;
  std::optional<price_rate> price;
  model_shape shape;                          ///< layers, d_model, heads... for finer FLOPs
  std::optional<flop_convention> convention;  ///< training.flop_convention; default 6ND
  std::optional<bool> causal_halved;          ///< training.causal_attention = "halved"
  std::optional<int> price_as_of;             ///< pricing.as_of: catalogue prices of this year
  std::optional<std::string> rental_kind;     ///< pricing.rental: on-demand, 1y, 3y, gpu-cloud
  std::optional<costmodel::price_basis> price_basis;  ///< pricing.basis; default reported
  std::optional<int> usd_year;  ///< pricing.usd_year: dollars of this year (top level only)
  reported_figures reported;
  as_reported reported_on;
  bool operator==(const run_inputs&) const = default;
};

/// How a claim's figure is meant: a point ("$5.6M"), a bound ("more than $100M", "under $6M")
/// or a range ("$80M-$100M").
enum class claim_bound { equal, above, below, between };

/// A claim about a run that people quote, kept with the scenario so the audit can check it.
struct claim {
  std::string text;
  std::string metric;  ///< "cost_usd", "gpu_hours", "compute_flop" or "wall_clock_days"
  double value = 0.0;  ///< the point, the bound, or the low end of a range
  claim_bound bound = claim_bound::equal;
  double high = 0.0;  ///< the high end of a range (claim_bound::between)
  /// Not about training: what the figure is ("an API price ..."); the audit gives no verdict.
  std::string out_of_scope;
  std::string source;
  std::string status;
  std::string note;
  bool operator==(const claim&) const = default;
};

/// How far a modelled figure may sit from a reported one before the audit flags it, and why.
struct audit_tolerance {
  double ratio = 0.0;  ///< relative difference, e.g. 0.05 for 5%
  std::string reason;  ///< why the model cannot match closer (FLOP counting, downtime ...)
  bool operator==(const audit_tolerance&) const = default;
};

/// The `[audit]` table of a scenario: a tolerance for every metric, and optional ones per metric
/// ("gpu_hours", "cost_usd", "compute_flop", "wall_clock_days").
struct audit_settings {
  std::optional<audit_tolerance> tolerance;
  std::map<std::string, audit_tolerance> by_metric;
  bool operator==(const audit_settings&) const = default;
};

/// A whole scenario as loaded from a preset or a file.
struct scenario {
  std::string id;  ///< file stem, "deepseek-v3"
  std::string name;
  std::string developer;
  std::string date;
  std::string description;
  std::string source_file;
  std::vector<std::string> sources;
  std::vector<std::string> caveats;
  std::vector<std::string> notes;
  std::string model_kind;          ///< model.kind: "base", "chat" or "reasoning"; empty if unsaid
  run_inputs base;                 ///< top-level keys
  std::vector<run_inputs> phases;  ///< empty for a single-phase run
  std::vector<claim> claims;
  audit_settings audit;                        ///< `[audit]`: tolerances of the audit, with reasons
  cost_inputs costs;                           ///< [energy], [ownership], [program], [reliability]
  std::optional<parallel_layout> parallelism;  ///< `[parallelism]`, checked against the run
  provenance_map provenance;           ///< by dotted key, "phases.pre-training.reported.gpu_hours"
  std::vector<std::string> overrides;  ///< the `--set` keys applied, in order (then `--range`s)
  /// Uncertain inputs by dotted key ("efficiency.mfu", "phases.pre-training.training.tokens"):
  /// ranges written in the file or given with `--range`. The point estimate never reads them;
  /// uncertainty.hpp propagates them.
  std::map<std::string, uncertain_input> ranges;
  bool operator==(const scenario&) const = default;
};

}  // namespace costmodel
