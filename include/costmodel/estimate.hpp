// SPDX-License-Identifier: MIT
// The model end to end: from a scenario to compute, GPU-hours, wall-clock and cost per phase.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "costmodel/compute.hpp"
#include "costmodel/error.hpp"
#include "costmodel/estimate_costs.hpp"
#include "costmodel/hardware.hpp"
#include "costmodel/kernel.hpp"
#include "costmodel/pricing.hpp"
#include "costmodel/scenario.hpp"

namespace costmodel {

/// Epoch AI's median hardware utilisation of 33 known runs, used when a scenario gives neither
/// an MFU nor reported GPU-hours (Epoch AI, training-cost-trends, cost_analysis_standalone.py,
/// MEDIAN_UTILIZATION = 0.375).
inline constexpr double default_mfu = 0.375;

/// What reported figures imply when the model is run backwards.
struct implied_figures {
  std::optional<double> mfu;  ///< against mfu_precision's peak
  std::optional<costmodel::precision> mfu_precision;
  std::vector<std::pair<costmodel::precision, double>> mfu_by_precision;  ///< every peak
  std::optional<price_rate> price;           ///< reported cost / reported GPU-hours
  std::optional<duration> wall_clock;        ///< reported GPU-hours / count
  std::optional<double> grid_gco2e_per_kwh;  ///< reported tCO2e over energy_kwh
  std::optional<double> energy_kwh;  ///< the energy it divides by: reported, or modelled at the
                                     ///< reported GPU-hours, or modelled
  bool operator==(const implied_figures&) const = default;
};

/// The model's answer for one phase, or for the whole run (the total).
struct phase_result {
  std::string name;
  std::string accelerator;  ///< catalogue id, or "mixed" in a total over different hardware
  std::optional<costmodel::precision> precision;
  std::optional<gpu_count> count;
  std::optional<compute_rate> peak;
  std::optional<compute> compute_flop;
  std::string compute_basis;     ///< "6ND", "palm", "megatron", "megatron-recompute", "input",
                                 ///< "reported" or "unknown"
  std::string flop_convention;   ///< how modelled compute was counted, "6ND" or "palm, causal
                                 ///< attention halved"; empty when compute was given
  std::string mfu_kind = "MFU";  ///< "HFU" when the convention counts recomputation
  gpu_time gpu_hours{};
  std::string gpu_hours_basis;  ///< "modelled" or "reported"
  std::optional<double> mfu;    ///< the MFU used (phases) or the effective one (total)
  std::string mfu_basis;        ///< "input", "implied", "reported", "default" or "effective"
  efficiency goodput = efficiency::one();
  std::string goodput_basis = "default";            ///< "input", "reliability" or "default" (1)
  std::optional<double> checkpoint_interval_hours;  ///< with [reliability]: tau used
  std::optional<duration> wall_clock;
  std::string wall_clock_basis;  ///< "modelled", "reported" or "unknown"
  std::optional<price_rate> price;
  std::string price_basis;  ///< "reported", "input", "on-demand", "1y", "3y", "gpu-cloud" or
                            ///< "unknown" (pricing.hpp, choose_price)
  std::map<std::string, money> cost;  ///< by method; "rental" always when a price is known;
                                      ///< also "ownership", "purchase", "energy", "program" and
                                      ///< "rental_on_demand", "rental_1y", "rental_3y",
                                      ///< "rental_gpu_cloud" where their inputs are known
  std::map<std::string, std::string> cost_basis;  ///< method -> its inputs, in words
  std::optional<double> energy_kwh;               ///< facility energy, kWh
  std::optional<double> emissions_tco2e;          ///< location-based, tCO2e
  std::optional<double> emissions_market_tco2e;   ///< market-based, where a source gives it
  std::optional<double> grid_gco2e_per_kwh;       ///< the location-based intensity used
  reported_figures reported;
  implied_figures implied;
};

/// An estimate of a whole scenario.
struct estimate_result {
  std::string id;
  std::string name;
  phase_result total;
  std::vector<phase_result> phases;
  std::vector<std::string> assumptions;  ///< every default the model had to use
  std::string dollars = "nominal";       ///< which dollars: "nominal" or "2023 USD"
};

namespace detail {

template <class T>
std::optional<T> first_of(const std::optional<T>& a, const std::optional<T>& b) {
  return a ? a : b;
}

/// A phase's inputs with the top level's filled in. Training amounts and reported figures
/// are per phase and never inherited when the scenario has phases.
run_inputs merge_phase(const run_inputs& top, const run_inputs& ph);

inline void note_once(std::vector<std::string>& list, std::string s) {
  note_unique(list, std::move(s));
}

inline std::string fmt_ratio(double r) {
  const double pct = std::round(r * 1000.0) / 10.0;
  std::string s(number_text(pct, std::chars_format::fixed, 1, sizeof number_text::data));
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s + "%";
}

/// The factor that turns a phase's efficiency.hfu or efficiency.achieved_tflops into its MFU:
/// model / hardware FLOPs per token (parallelism.hpp flops_per_token, with [parallelism]'s
/// recomputation; 1 where the convention counts recomputation itself, as megatron-recompute
/// does), and for TFLOPS also 1 / the peak. Needs pl.peak, pl.compute and pl.convention.
/// Throws: input_error for achieved TFLOPS above the peak.
double mfu_per_utilisation_input(const run_inputs& in, const scenario* sc, const phase_plan& pl,
                                 const std::string& name, std::vector<std::string>& assumptions);

/// What reported figures imply. `accelerator` (a catalogue id, "" for none), `goodput` and
/// `prec` are the ones the figures were measured on; `known`, when not null, is the catalogue's
/// entry for `accelerator`, already looked up.
implied_figures implied_for(const reported_figures& rep, std::string_view accelerator,
                            std::optional<gpu_count> count, efficiency goodput,
                            std::optional<costmodel::precision> prec,
                            const std::optional<compute>& c, const catalogue& cat,
                            const accelerator_spec* known);

/// The implied grid intensity: reported tCO2e over the reported energy, else over the energy of
/// the reported GPU-hours under the power model, else over the modelled energy.
void implied_grid(phase_result& r, const std::optional<power_model>& power);

/// What estimate_phase() finds on the way, for the phases after it and the total.
struct phase_extras {
  const accelerator_spec* accelerator = nullptr;  ///< the phase's, from the catalogue
  std::optional<int> price_as_of;                 ///< its pricing.as_of
  std::optional<power_model> power;               ///< of its cost methods (with a scenario)
};

/// phase_result::compute_basis: the convention's name for a per-token count.
inline std::string compute_basis_text(const phase_plan& p) {
  return std::string(p.compute == compute_source::per_token ? to_string(p.convention)
                                                            : to_string(p.compute));
}

/// phase_result::price_basis: the basis's name ("reported", "3y"), or "unknown".
inline std::string price_basis_text(const phase_plan& p) { return std::string(to_string(p.price)); }

/// The price step of the plan: choose_price() (pricing.hpp: one rule for every command) decides
/// the price and its basis; the plan records the basis and the price lane. `source` gets where
/// the figure comes from, in words.
std::optional<price_rate> decide_price(const run_inputs& in, const accelerator_spec& acc,
                                       const datacenter_constants& dc, const scenario* sc,
                                       std::vector<std::string>& assumptions, phase_plan& pl,
                                       std::string& source);

/// One phase: the model over the inputs `in` of the phase `name`, whose reported figures are
/// `reported` (taken by value, so that a caller that owns them moves them into the result; `in`'s
/// own are not read). Decides the phase's plan `pl` (noting the defaults used in `assumptions`),
/// then runs the kernel on it into `o`. `sc` adds the cost methods. `done`, when given, holds
/// what the earlier phases found; this phase's is appended.
phase_result estimate_phase(const run_inputs& in, reported_figures reported,
                            const std::string& name, const catalogue& cat,
                            std::vector<std::string>& assumptions, const scenario* sc,
                            std::vector<phase_extras>* done, phase_plan& pl,
                            phase_outputs<double>& o);

inline void sum_reported(std::optional<gpu_time>& total, const std::vector<phase_result>& ph,
                         std::optional<gpu_time> reported_figures::*field) {
  if (total) return;
  gpu_time s{};
  for (const auto& p : ph) {
    if (!(p.reported.*field)) return;
    s += *(p.reported.*field);
  }
  if (!ph.empty()) total = s;
}

inline void sum_reported_cost(std::optional<money>& total, const std::vector<phase_result>& ph) {
  if (total) return;
  money s{};
  for (const auto& p : ph) {
    if (!p.reported.cost) return;
    s += *p.reported.cost;
  }
  if (!ph.empty()) total = s;
}

/// Refuses a result with a figure that overflowed or lost its meaning (inf or NaN), naming the
/// phase and the figure, so that no caller ever prints `inf` as an answer.
void require_finite(const phase_result& p);
/// estimate() without the file name in its errors. `plan`, when given, receives the plan of
/// every phase (for the fast paths, which run the kernel on other numbers).
estimate_result estimate_unnamed(const scenario& s, const catalogue& cat, run_plan* plan = nullptr);

}  // namespace detail

/// Runs the model over every phase of `s` and adds the phases up.
/// Throws: input_error for an unknown accelerator, a precision it lacks, a phase with
/// nothing to model, or inputs so large or small that a figure is not a finite number; the
/// message starts with the scenario's file when it has one.
[[nodiscard]] estimate_result estimate(const scenario& s, const catalogue& cat);

/// estimate() that also gives the plan of every phase, for the fast paths (Monte Carlo,
/// sensitivity, evaluate()) that run the kernel on other numbers.
/// Throws: what estimate() throws.
[[nodiscard]] estimate_result estimate(const scenario& s, const catalogue& cat, run_plan& plan);

}  // namespace costmodel
