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
inline run_inputs merge_phase(const run_inputs& top, const run_inputs& ph) {
  run_inputs r = ph;
  r.parameters = first_of(ph.parameters, top.parameters);
  r.active_parameters = first_of(ph.active_parameters, top.active_parameters);
  r.architecture = first_of(ph.architecture, top.architecture);
  r.sequence_length = first_of(ph.sequence_length, top.sequence_length);
  r.accelerator = first_of(ph.accelerator, top.accelerator);
  r.count = first_of(ph.count, top.count);
  r.precision = first_of(ph.precision, top.precision);
  if (!ph.mfu && !ph.hfu && !ph.achieved_tflops) {  // the three utilisation keys go together
    r.mfu = top.mfu;
    r.hfu = top.hfu;
    r.achieved_tflops = top.achieved_tflops;
  }
  r.goodput = first_of(ph.goodput, top.goodput);
  r.price = first_of(ph.price, top.price);
  r.reported_on.accelerator = first_of(ph.reported_on.accelerator, top.reported_on.accelerator);
  r.reported_on.precision = first_of(ph.reported_on.precision, top.reported_on.precision);
  r.reported_on.goodput = first_of(ph.reported_on.goodput, top.reported_on.goodput);
  if (ph.shape == model_shape{}) r.shape = top.shape;
  r.convention = first_of(ph.convention, top.convention);
  r.causal_halved = first_of(ph.causal_halved, top.causal_halved);
  r.price_as_of = first_of(ph.price_as_of, top.price_as_of);
  r.rental_kind = first_of(ph.rental_kind, top.rental_kind);
  r.price_basis = first_of(ph.price_basis, top.price_basis);
  return r;
}

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
inline double mfu_per_utilisation_input(const run_inputs& in, const scenario* sc,
                                        const phase_plan& pl, const std::string& name,
                                        std::vector<std::string>& assumptions) {
  const double tflops_per_flop_per_gpu_hour = 1e12 * 3600.0;  // TFLOPS -> FLOP per GPU-hour
  double hfu = at(pl.x, lane::mfu);
  if (pl.mfu_key == utilisation_input::achieved_tflops) {
    hfu = hfu * tflops_per_flop_per_gpu_hour / pl.peak;
    if (!(hfu <= 1.0)) {
      throw input_error("phase '" + name + "': efficiency.achieved_tflops " +
                        detail::g_number(at(pl.x, lane::mfu), 6) + " is above the peak of " +
                        detail::g_number(pl.peak / tflops_per_flop_per_gpu_hour, 6) +
                        " TFLOPS at the phase's precision");
    }
  }
  double model_per_hardware = 1.0;
  std::string why = "the convention counts recomputation";
  const bool counts_recompute = pl.compute == compute_source::per_token &&
                                pl.convention == flop_convention::megatron_recompute;
  if (!counts_recompute) {
    const auto* layout = sc && sc->parallelism ? &*sc->parallelism : nullptr;
    const auto policy = layout ? layout->recompute : recompute_policy::none;
    const double seq = layout && layout->sequence_length ? *layout->sequence_length
                                                         : in.sequence_length.value_or(0.0);
    const double active = in.active_parameters.value_or(in.parameters.value_or(1e9));
    const auto f = flops_per_token(active, in.shape, seq, policy);
    model_per_hardware = f.model / f.hardware;
    why = concat("recomputation ", to_string(policy), ", ", f.basis);
  }
  const char* key = utilisation_keys[static_cast<std::size_t>(pl.mfu_key)];
  note_once(assumptions,
            concat("phase '", name, "': MFU ", fmt_ratio(hfu * model_per_hardware), " = HFU ",
                   fmt_ratio(hfu), " (efficiency.", key, ") x model / ", "hardware FLOPs ",
                   detail::g_number(model_per_hardware, 4), " (", why, ")"));
  return pl.mfu_key == utilisation_input::achieved_tflops
             ? model_per_hardware * tflops_per_flop_per_gpu_hour / pl.peak
             : model_per_hardware;
}

/// What reported figures imply. `accelerator` (a catalogue id, "" for none), `goodput` and
/// `prec` are the ones the figures were measured on; `known`, when not null, is the catalogue's
/// entry for `accelerator`, already looked up.
inline implied_figures implied_for(const reported_figures& rep, std::string_view accelerator,
                                   std::optional<gpu_count> count, efficiency goodput,
                                   std::optional<costmodel::precision> prec,
                                   const std::optional<compute>& c, const catalogue& cat,
                                   const accelerator_spec* known) {
  implied_figures out;
  if (rep.gpu_hours && rep.cost) out.price = implied_price(*rep.cost, *rep.gpu_hours);
  if (rep.gpu_hours && count) out.wall_clock = wall_clock(*rep.gpu_hours, *count);
  if (rep.gpu_hours && c && !accelerator.empty()) {
    const accelerator_spec* acc = known;
    if (!acc) {
      const auto it = cat.accelerators.find(accelerator);
      if (it != cat.accelerators.end()) acc = &it->second;
    }
    if (acc) {
      std::size_t supported = 0;
      for (auto p : all_precisions)
        if (acc->supports(p)) ++supported;
      out.mfu_by_precision.reserve(supported);
      for (auto p : all_precisions) {
        if (acc->supports(p)) {
          out.mfu_by_precision.emplace_back(
              p, implied_mfu(*c, *rep.gpu_hours, acc->peak_at(p), goodput));
        }
      }
      if (prec && acc->supports(*prec)) {
        out.mfu = implied_mfu(*c, *rep.gpu_hours, acc->peak_at(*prec), goodput);
        out.mfu_precision = prec;
      }
    }
  }
  return out;
}

/// The implied grid intensity: reported tCO2e over the reported energy, else over the energy of
/// the reported GPU-hours under the power model, else over the modelled energy.
inline void implied_grid(phase_result& r, const std::optional<power_model>& power) {
  const auto& rep = r.reported;
  if (!rep.co2_tonnes) return;
  std::optional<double> kwh;
  if (rep.energy_mwh) {
    kwh = *rep.energy_mwh * 1000.0;
  } else if (rep.gpu_hours && power) {
    kwh = energy_kwh(*power, *rep.gpu_hours);
  } else {
    kwh = r.energy_kwh;
  }
  if (kwh && *kwh > 0.0) {
    r.implied.energy_kwh = kwh;
    r.implied.grid_gco2e_per_kwh = implied_grid_intensity(*rep.co2_tonnes, *kwh);
  }
}

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
inline std::optional<price_rate> decide_price(const run_inputs& in, const accelerator_spec& acc,
                                              const datacenter_constants& dc, const scenario* sc,
                                              std::vector<std::string>& assumptions, phase_plan& pl,
                                              std::string& source) {
  auto chosen = choose_price(in, acc, dc, sc);
  if (!chosen.note.empty()) note_once(assumptions, std::move(chosen.note));
  pl.price = price_source::unknown;
  if (chosen.price) {
    for (auto k : {price_source::input, price_source::reported, price_source::on_demand,
                   price_source::one_year, price_source::three_year, price_source::gpu_cloud}) {
      if (to_string(k) == chosen.basis) pl.price = k;
    }
    pl.has[static_cast<std::size_t>(cost_method::rental)] = true;
    at(pl.x, lane::usd_per_gpu_hour) = value_in(*chosen.price, units::usd_per_gpu_hour);
  }
  source = std::move(chosen.source);
  return chosen.price;
}

/// One phase: the model over the inputs `in` of the phase `name`, whose reported figures are
/// `reported` (taken by value, so that a caller that owns them moves them into the result; `in`'s
/// own are not read). Decides the phase's plan `pl` (noting the defaults used in `assumptions`),
/// then runs the kernel on it into `o`. `sc` adds the cost methods. `done`, when given, holds
/// what the earlier phases found; this phase's is appended.
inline phase_result estimate_phase(const run_inputs& in, reported_figures reported,
                                   const std::string& name, const catalogue& cat,
                                   std::vector<std::string>& assumptions, const scenario* sc,
                                   std::vector<phase_extras>* done, phase_plan& pl,
                                   phase_outputs<double>& o) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  phase_result r;
  r.name = name;
  r.reported = std::move(reported);
  const auto& rep = r.reported;
  if (!in.accelerator) throw input_error("phase '" + name + "': no hardware.accelerator");
  const auto& acc = cat.at(*in.accelerator);
  r.accelerator = acc.id;
  r.count = in.count;
  pl = phase_plan{};
  auto& x = pl.x;
  x.fill(nan);
  if (in.count) at(x, lane::count) = value_in(*in.count, units::gpu);
  if (in.mfu) {
    at(x, lane::mfu) = in.mfu->ratio();
  } else if (in.hfu) {
    at(x, lane::mfu) = in.hfu->ratio();
    pl.mfu_key = utilisation_input::hfu;
  } else if (in.achieved_tflops) {
    at(x, lane::mfu) = *in.achieved_tflops;
    pl.mfu_key = utilisation_input::achieved_tflops;
  }

  auto prec = in.precision;
  if (prec && !acc.supports(*prec) && in.reported_on.accelerator &&
      *in.reported_on.accelerator != acc.id) {
    // The one precision fallback (--set, sweep --vary, compare --same-hardware): the run's
    // precision was for the hardware it was filed on; the new one lacks it.
    note_once(assumptions, concat("precision: ", acc.id, " has no ", to_string(*prec),
                                  " peak (the run's precision on ", *in.reported_on.accelerator,
                                  "), so the first of bf16, fp16, tf32 it supports is used"));
    prec.reset();
  }
  if (!prec) {
    for (auto p : {precision::bf16, precision::fp16, precision::tf32}) {
      if (acc.supports(p)) {
        prec = p;
        break;
      }
    }
    if (!prec) throw input_error("phase '" + name + "': no hardware.precision given");
    if (in.precision) {
      r.precision = prec;  // noted above
    } else {
      note_once(assumptions,
                concat("precision: ", to_string(*prec),
                       " (not given; the first of bf16, fp16, tf32 that ", acc.id, " supports)"));
    }
  }
  r.precision = prec;
  r.peak = acc.peak_at(*prec);
  pl.peak = value_in(*r.peak, units::flop_per_gpu_hour);

  // Goodput: given, else from [reliability], else 1.
  auto goodput = in.goodput;  // [reliability] may derive it
  r.goodput = goodput.value_or(efficiency::one());
  if (goodput) pl.goodput = goodput_source::input;
  if (sc && sc->costs.reliability) {
    if (goodput) {
      note_once(assumptions, "goodput: efficiency.goodput is given, so [reliability] is not used");
    } else {
      // Young 1974 / Daly 2006: goodput from failures, checkpoints and restarts.
      pl.reliability =
          reliability_plan_for(*sc->costs.reliability, in.count, cat.datacenter, assumptions);
      const double n = value_in(*in.count, units::gpu);
      r.checkpoint_interval_hours = pl.reliability->interval_at(n);
      r.goodput = efficiency::from_ratio(pl.reliability->goodput_at(n));
      pl.goodput = goodput_source::reliability;
      goodput = r.goodput;  // the implied MFU uses it too
    }
  }
  r.goodput_basis = std::string(to_string(pl.goodput));
  at(x, lane::goodput) = r.goodput.ratio();

  // Compute: given directly, else FLOP per token x tokens, else what was reported.
  const auto active = in.active_parameters ? in.active_parameters : in.parameters;
  if (in.compute_flop) {
    pl.compute = compute_source::input;
    at(x, lane::compute_flop) = value_in(*in.compute_flop, units::flop);
  } else if (in.tokens && active) {
    const auto conv = in.convention.value_or(flop_convention::six_nd);
    pl.compute = compute_source::per_token;
    pl.convention = conv;
    pl.active_from_parameters = !in.active_parameters;
    at(x, lane::active_parameters) = *active;
    at(x, lane::tokens) = *in.tokens;
    if (conv == flop_convention::six_nd) {
      const auto fail = [&](const char* what) {
        throw input_error("phase '" + name + "': model.parameters and training.tokens: " + what +
                          "; expected inputs of realistic magnitude");
      };
      // compute.hpp training_compute_6nd's checks
      if (!std::isfinite(*active) || *active <= 0.0)
        fail("active parameters must be a positive number");
      if (!std::isfinite(*in.tokens) || *in.tokens <= 0.0) fail("tokens must be a positive number");
      if (!std::isfinite(kernel_compute(pl, x))) fail("6*N*D overflows a double");
    } else {
      if (!std::isfinite(*active) || *active <= 0.0) {
        throw input_error("active parameters must be a positive number");
      }
      const auto t = flop_per_token_terms(conv, in.shape, in.sequence_length,
                                          in.causal_halved.value_or(false));
      pl.flop_slope = t.slope;
      pl.flop_fixed = t.fixed;
      if (!std::isfinite(kernel_compute(pl, x))) {
        throw input_error("phase '" + name + "': FLOP count overflows");
      }
    }
    r.flop_convention = std::string(to_string(conv));
    if (conv != flop_convention::six_nd) {
      r.flop_convention += in.causal_halved.value_or(false) ? ", causal attention halved"
                                                            : ", attention counted whole";
    }
    if (conv == flop_convention::megatron_recompute) r.mfu_kind = "HFU";
  } else if (rep.compute_flop) {
    pl.compute = compute_source::reported;
    pl.reported_compute = value_in(*rep.compute_flop, units::flop);
  }
  const double c = kernel_compute(pl, x);
  if (pl.compute != compute_source::unknown) r.compute_flop = compute_from_flop(c);
  r.compute_basis = compute_basis_text(pl);

  const auto& on = in.reported_on;
  const std::string& on_acc = on.accelerator ? *on.accelerator : *in.accelerator;
  r.implied =
      implied_for(rep, on_acc, in.count, on.goodput.value_or(goodput.value_or(efficiency::one())),
                  on.precision ? on.precision : in.precision, r.compute_flop, cat,
                  on.accelerator ? nullptr : &acc);

  // MFU: an input drives the model; else the one the reported GPU-hours imply on the hardware
  // they were measured on; else a reported MFU; else Epoch's median.
  const auto implied = [&] {
    // As implied_for: against the hardware, precision and goodput the figures were reported on.
    pl.mfu = mfu_source::implied;
    pl.implied_gpu_hours = value_in(*rep.gpu_hours, units::gpu_hour);
    const auto& on_spec = on.accelerator ? cat.at(on_acc) : acc;
    pl.implied_peak = value_in(on_spec.peak_at(*r.implied.mfu_precision), units::flop_per_gpu_hour);
    if (on.goodput) pl.implied_goodput = on.goodput->ratio();
  };
  if (in.mfu || in.hfu || in.achieved_tflops) {
    pl.mfu = mfu_source::input;
    if (pl.mfu_key != utilisation_input::mfu) {
      pl.mfu_scale = mfu_per_utilisation_input(in, sc, pl, name, assumptions);
    }
  } else if (r.implied.mfu && r.implied.mfu_precision == prec) {
    implied();
  } else if (rep.mfu && (!rep.mfu_precision || rep.mfu_precision == prec)) {
    pl.mfu = mfu_source::reported;
    pl.fixed_mfu = *rep.mfu;
  } else if (r.implied.mfu && r.implied.mfu_precision) {
    // Reported on other hardware precision: carry the MFU over as a ratio.
    implied();
  } else if (r.compute_flop) {
    pl.mfu = mfu_source::default_median;
    pl.fixed_mfu = default_mfu;
    note_once(assumptions,
              "MFU: 0.375 where none is given or implied (Epoch AI's median of 33 "
              "known runs, cost_analysis_standalone.py MEDIAN_UTILIZATION)");
  }

  if (r.compute_flop && pl.mfu != mfu_source::unknown) {
    const double mfu = kernel_mfu(pl, x, c);
    if (!(mfu > 0.0) || !std::isfinite(mfu)) {
      throw input_error("phase '" + name + "': the MFU is not a positive number");
    }
    pl.gpu_hours = gpu_hours_source::modelled;
  } else if (rep.gpu_hours) {
    pl.gpu_hours = gpu_hours_source::reported;
    pl.reported_gpu_hours = value_in(*rep.gpu_hours, units::gpu_hour);
    pl.mfu = mfu_source::unknown;  // nothing was modelled, so no MFU was used
    note_once(assumptions, concat("phase '", name,
                                  "': no compute to model, so its reported GPU-hours are used as "
                                  "is"));
  } else {
    throw input_error("phase '" + name +
                      "': nothing to model: give training.tokens (with model.parameters), "
                      "training.compute_flop, or reported.gpu_hours");
  }
  if (!std::isfinite(kernel_outputs(pl, x, c).gpu_hours)) {
    throw input_error("phase '" + name +
                      "': the GPU-hours overflow a double (compute / (peak * MFU * goodput)); "
                      "expected inputs of realistic magnitude");
  }

  if (in.count) {
    pl.wall_clock = wall_clock_source::modelled;
  } else if (rep.wall_clock && !pl.modelled()) {
    pl.wall_clock = wall_clock_source::reported;
    pl.reported_wall_hours = value_in(*rep.wall_clock, units::hour);
  }

  std::string price_source_text;
  r.price = decide_price(in, acc, cat.datacenter, sc, assumptions, pl, price_source_text);
  r.price_basis = price_basis_text(pl);

  std::optional<phase_cost_texts> texts;
  if (sc) {
    // An earlier phase on the same hardware and prices made the cost methods' notes already.
    bool noted = false;
    if (done) {
      for (const auto& d : *done) noted |= d.accelerator == &acc && d.price_as_of == in.price_as_of;
    }
    texts = plan_phase_costs(in, *sc, acc, cat, r.price.has_value(), pl,
                             noted ? nullptr : &assumptions);
  }

  // The numbers: the kernel over the plan.
  o = kernel_outputs(pl, x, c);
  r.gpu_hours = gpu_time_from_gpu_hours(o.gpu_hours);
  r.gpu_hours_basis = std::string(to_string(pl.gpu_hours));
  if (pl.mfu != mfu_source::unknown) r.mfu = o.mfu;
  r.mfu_basis = std::string(to_string(pl.mfu));
  r.wall_clock_basis = std::string(to_string(pl.wall_clock));
  if (pl.wall_clock != wall_clock_source::unknown) {
    r.wall_clock = duration_from_hours(o.wall_hours);
  }
  for (auto m : all_cost_methods) {
    if (pl.has[static_cast<std::size_t>(m)]) {
      r.cost.emplace_hint(r.cost.end(), to_string(m), money_from_usd(o.cost_of(m)));
    }
  }
  std::optional<power_model> power;
  if (texts) {
    r.cost_basis = std::move(texts->basis);
    if (r.price) {
      r.cost_basis.emplace(
          "rental", concat("GPU-hours x price (", r.price_basis, ": ", price_source_text, ")"));
    }
    if (pl.energy) r.energy_kwh = o.energy_kwh;
    if (pl.energy && pl.emits) r.emissions_tco2e = o.emissions_tco2e;
    if (pl.energy && pl.emits_market) r.emissions_market_tco2e = o.emissions_market_tco2e;
    r.grid_gco2e_per_kwh = texts->grid_gco2e_per_kwh;
    implied_grid(r, texts->power);
    power = texts->power;
  }
  if (done) done->push_back({&acc, in.price_as_of, power});
  return r;
}

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
inline void require_finite(const phase_result& p) {
  auto check = [&](double v, const char* what) {
    if (!std::isfinite(v)) {
      throw input_error("phase '" + p.name + "': " + what +
                        " is not a finite number (the inputs overflow a double); "
                        "expected inputs of realistic magnitude");
    }
  };
  // Positive inputs whose product underflows (tokens = 5e-324) would cost $0; an MFU above 1
  // (a goodput or peak that the reported GPU-hours cannot have run at) is no answer either.
  auto positive = [&](double v, const char* what) {
    if (!(v > 0.0)) {
      throw input_error("phase '" + p.name + "': " + what +
                        " underflow to zero (the inputs are too small for a double); "
                        "expected inputs of realistic magnitude");
    }
  };
  positive(value_in(p.gpu_hours, units::gpu_hour), "the GPU-hours");
  if (p.compute_flop) positive(value_in(*p.compute_flop, units::flop), "the compute (FLOP)");
  for (const auto* m : {&p.mfu, &p.implied.mfu}) {
    if (*m && **m > 1.0) {
      throw input_error("phase '" + p.name + "': the MFU would be " + fmt_ratio(**m) +
                        " of the peak, above 100%: the reported GPU-hours are too few for the "
                        "compute on this hardware; check efficiency.goodput, "
                        "hardware.accelerator, hardware.precision and reported.gpu_hours");
    }
  }
  if (p.peak) check(value_in(*p.peak, units::flop_per_gpu_hour), "the peak FLOP per GPU-hour");
  if (p.compute_flop) check(value_in(*p.compute_flop, units::flop), "the compute (FLOP)");
  check(value_in(p.gpu_hours, units::gpu_hour), "the GPU-hours");
  if (p.mfu) check(*p.mfu, "the MFU");
  if (p.wall_clock) check(value_in(*p.wall_clock, units::hour), "the wall-clock time");
  if (p.price) check(value_in(*p.price, units::usd_per_gpu_hour), "the USD per GPU-hour");
  for (const auto& [method, m] : p.cost) {
    (void)method;
    check(value_in(m, units::usd), "a cost (USD)");
  }
  if (p.reported.gpu_hours) {
    check(value_in(*p.reported.gpu_hours, units::gpu_hour), "the reported GPU-hours");
  }
  if (p.reported.cost) check(value_in(*p.reported.cost, units::usd), "the reported cost (USD)");
  if (p.implied.mfu) check(*p.implied.mfu, "the implied MFU");
  for (const auto& [prec, r] : p.implied.mfu_by_precision) {
    (void)prec;
    check(r, "an implied MFU");
  }
  if (p.implied.price) {
    check(value_in(*p.implied.price, units::usd_per_gpu_hour), "the implied USD per GPU-hour");
  }
  if (p.implied.wall_clock) {
    check(value_in(*p.implied.wall_clock, units::hour), "the implied wall-clock time");
  }
}
/// estimate() without the file name in its errors. `plan`, when given, receives the plan of
/// every phase (for the fast paths, which run the kernel on other numbers).
inline estimate_result estimate_unnamed(const scenario& s, const catalogue& cat,
                                        run_plan* plan = nullptr) {
  estimate_result out;
  out.id = s.id;
  out.name = s.name;
  out.assumptions.reserve(16);     // a bundled run notes up to about ten defaults
  std::vector<phase_extras> done;  // the total reuses the first phase's accelerator and power
  const std::size_t np = std::max<std::size_t>(s.phases.size(), 1);
  done.reserve(np);
  run_plan local;
  run_plan& rp = plan ? *plan : local;
  rp.phases.resize(np);
  std::vector<phase_outputs<double>> outs(np);
  if (s.phases.empty()) {
    const std::string training = "training";
    out.phases.push_back(detail::estimate_phase(s.base, s.base.reported,
                                                s.base.name.empty() ? training : s.base.name, cat,
                                                out.assumptions, &s, &done, rp.phases[0], outs[0]));
  } else {
    out.phases.reserve(s.phases.size());
    for (std::size_t i = 0; i < s.phases.size(); ++i) {
      auto in = detail::merge_phase(s.base, s.phases[i]);
      out.phases.push_back(detail::estimate_phase(in, std::move(in.reported), in.name, cat,
                                                  out.assumptions, &s, &done, rp.phases[i],
                                                  outs[i]));
    }
  }
  // Purchase groups: the phases' accelerators in id order.
  rp.purchase_group.assign(np, 0);
  {
    std::vector<std::string_view> ids;
    for (const auto& p : out.phases) ids.push_back(p.accelerator);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    rp.purchase_groups = ids.size();
    for (std::size_t i = 0; i < np; ++i) {
      rp.purchase_group[i] = static_cast<std::size_t>(
          std::lower_bound(ids.begin(), ids.end(), std::string_view(out.phases[i].accelerator)) -
          ids.begin());
    }
  }
  rp.staff_usd = s.costs.program.staff_usd;
  const auto has = presence_of(rp);
  const auto sum = kernel_total(rp, has, outs.data());

  auto& t = out.total;
  t.name = "total";
  t.reported = s.phases.empty() ? out.phases.front().reported : s.base.reported;
  detail::sum_reported(t.reported.gpu_hours, out.phases, &reported_figures::gpu_hours);
  detail::sum_reported_cost(t.reported.cost, out.phases);

  bool all_compute = true;
  bool same_hw = true;
  bool all_priced = true;
  const auto& first = out.phases.front();
  for (const auto& p : out.phases) {
    if (!p.compute_flop) all_compute = false;
    if (p.accelerator != first.accelerator || p.precision != first.precision ||
        p.count != first.count) {
      same_hw = false;
    }
    if (!p.price) all_priced = false;
  }
  t.gpu_hours = gpu_time_from_gpu_hours(sum.gpu_hours);
  for (auto m : all_cost_methods) {
    if (has.has[static_cast<std::size_t>(m)]) {
      t.cost.emplace_hint(t.cost.end(), to_string(m), money_from_usd(sum.cost_of(m)));
    }
  }
  t.cost_basis = first.cost_basis;
  if (has.energy) t.energy_kwh = sum.energy_kwh;
  if (has.emits) t.emissions_tco2e = sum.emissions_tco2e;
  if (has.emits_market) t.emissions_market_tco2e = sum.emissions_market_tco2e;
  if (t.energy_kwh && t.emissions_tco2e && *t.energy_kwh > 0.0) {
    t.grid_gco2e_per_kwh = *t.emissions_tco2e * 1e6 / *t.energy_kwh;
  }
  t.accelerator = same_hw ? first.accelerator : "mixed";
  if (same_hw) {
    t.precision = first.precision;
    t.count = first.count;
    t.peak = first.peak;
  }
  t.goodput = first.goodput;
  t.goodput_basis = first.goodput_basis;
  t.checkpoint_interval_hours = first.checkpoint_interval_hours;
  t.flop_convention = first.flop_convention;
  t.mfu_kind = first.mfu_kind;
  for (const auto& p : out.phases) {
    if (t.flop_convention.empty()) t.flop_convention = p.flop_convention;
    if (!p.flop_convention.empty() && p.flop_convention != t.flop_convention) {
      t.flop_convention = "mixed";
    }
    if (p.mfu_kind != t.mfu_kind) t.mfu_kind = "MFU";
  }
  if (sum.compute > 0.0) {
    t.compute_flop = compute_from_flop(sum.compute);
    t.compute_basis = all_compute ? "sum" : "partial sum";
  } else {
    t.compute_basis = "unknown";
  }
  // Effective MFU of the whole run: compute over the peak work of the phases that have compute.
  if (!std::isfinite(sum.peak_work)) {
    throw input_error(
        "the peak work of the run (FLOP) overflows a double; expected inputs of "
        "realistic magnitude");
  }
  if (sum.peak_work > 0.0) {
    t.mfu = sum.mfu;
    t.mfu_basis = "effective";
  }
  t.gpu_hours_basis = first.gpu_hours_basis;
  for (const auto& p : out.phases) {
    if (p.gpu_hours_basis != t.gpu_hours_basis) t.gpu_hours_basis = "mixed";
  }
  if (has.wall_clock) {
    t.wall_clock = duration_from_hours(sum.wall_hours);
    t.wall_clock_basis = "sum";
  } else {
    t.wall_clock_basis = "unknown";
  }
  t.price_basis = first.price_basis;
  if (all_priced && value_in(t.gpu_hours, units::gpu_hour) > 0.0) {
    t.price = t.cost.at("rental") / t.gpu_hours;  // average price over the phases
  }

  // Implied figures of the run as a whole, from the reported totals, against the top level's
  // hardware (else the first phase's).
  const auto& top = s.base;
  const auto& on = top.reported_on;
  t.implied = detail::implied_for(
      t.reported,
      on.accelerator ? *on.accelerator : (top.accelerator ? *top.accelerator : first.accelerator),
      top.count, on.goodput.value_or(top.goodput.value_or(efficiency::one())),
      on.precision ? on.precision : (top.precision ? top.precision : first.precision),
      all_compute ? t.compute_flop : std::nullopt, cat, nullptr);
  if (!same_hw) {
    t.implied.mfu.reset();
    t.implied.mfu_by_precision.clear();
    t.implied.wall_clock.reset();
  }
  for (const auto& p : out.phases) detail::require_finite(p);
  detail::require_finite(t);
  std::optional<power_model> power;
  if (same_hw) {
    if (const auto it = cat.accelerators.find(first.accelerator); it != cat.accelerators.end()) {
      if (&it->second == done.front().accelerator) {
        // The power model depends on the accelerator and the scenario only: the first phase's.
        power = done.front().power;
      } else {
        power = detail::power_for(it->second, s, cat.datacenter, nullptr);
      }
    }
  }
  detail::implied_grid(t, power);
  detail::apply_usd_year(out, s, cat.datacenter);  // pricing.usd_year, pricing.hpp
  return out;
}

}  // namespace detail

/// Runs the model over every phase of `s` and adds the phases up.
/// Throws: input_error for an unknown accelerator, a precision it lacks, a phase with
/// nothing to model, or inputs so large or small that a figure is not a finite number; the
/// message starts with the scenario's file when it has one.
[[nodiscard]] inline estimate_result estimate(const scenario& s, const catalogue& cat) {
  try {
    return detail::estimate_unnamed(s, cat);
  } catch (const input_error& e) {
    if (s.source_file.empty()) throw;
    throw input_error(s.source_file + ": " + e.what());
  }
}

/// estimate() that also gives the plan of every phase, for the fast paths (Monte Carlo,
/// sensitivity, evaluate()) that run the kernel on other numbers.
/// Throws: what estimate() throws.
[[nodiscard]] inline estimate_result estimate(const scenario& s, const catalogue& cat,
                                              run_plan& plan) {
  try {
    return detail::estimate_unnamed(s, cat, &plan);
  } catch (const input_error& e) {
    if (s.source_file.empty()) throw;
    throw input_error(s.source_file + ": " + e.what());
  }
}

}  // namespace costmodel
