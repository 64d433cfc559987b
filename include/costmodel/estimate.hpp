// SPDX-License-Identifier: MIT
// The model end to end: from a scenario to compute, GPU-hours, wall-clock and cost per phase.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
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
  std::string price_basis;            ///< "input", "catalogue" or "unknown"
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
  r.mfu = first_of(ph.mfu, top.mfu);
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

/// One phase: the model over the inputs `in` of the phase `name`, whose reported figures are
/// `reported` (taken by value, so that a caller that owns them moves them into the result; `in`'s
/// own are not read). Defaults used are noted in `assumptions`; `sc` adds the cost methods.
/// `done`, when given, holds what the earlier phases found; this phase's is appended.
inline phase_result estimate_phase(const run_inputs& in, reported_figures reported,
                                   const std::string& name, const catalogue& cat,
                                   std::vector<std::string>& assumptions,
                                   const scenario* sc = nullptr,
                                   std::vector<phase_extras>* done = nullptr) {
  phase_result r;
  r.name = name;
  r.reported = std::move(reported);
  const auto& rep = r.reported;
  if (!in.accelerator) throw input_error("phase '" + name + "': no hardware.accelerator");
  const auto& acc = cat.at(*in.accelerator);
  r.accelerator = acc.id;
  r.count = in.count;

  auto prec = in.precision;
  if (!prec) {
    for (auto p : {precision::bf16, precision::fp16, precision::tf32}) {
      if (acc.supports(p)) {
        prec = p;
        break;
      }
    }
    if (!prec) throw input_error("phase '" + name + "': no hardware.precision given");
    note_once(assumptions,
              concat("precision: ", to_string(*prec),
                     " (not given; the first of bf16, fp16, tf32 that ", acc.id, " supports)"));
  }
  r.precision = prec;
  r.peak = acc.peak_at(*prec);
  auto goodput = in.goodput;  // [reliability] may derive it
  r.goodput = goodput.value_or(efficiency::one());
  if (goodput) r.goodput_basis = "input";
  if (sc && sc->costs.reliability) {
    if (goodput) {
      note_once(assumptions, "goodput: efficiency.goodput is given, so [reliability] is not used");
    } else {
      // Young 1974 / Daly 2006: goodput from failures, checkpoints and restarts.
      const auto [g, tau] =
          reliability_goodput(*sc->costs.reliability, in.count, cat.datacenter, assumptions);
      r.goodput = efficiency::from_ratio(g);
      r.goodput_basis = "reliability";
      r.checkpoint_interval_hours = tau;
      goodput = r.goodput;  // the implied MFU uses it too
    }
  }

  // Compute: given directly, else 6 * N_active * D, else what was reported.
  const auto active = in.active_parameters ? in.active_parameters : in.parameters;
  if (in.compute_flop) {
    r.compute_flop = in.compute_flop;
    r.compute_basis = "input";
  } else if (in.tokens && active) {
    const auto conv = in.convention.value_or(flop_convention::six_nd);
    if (conv == flop_convention::six_nd) {
      try {
        r.compute_flop = training_compute_6nd(*active, *in.tokens);
      } catch (const input_error& e) {
        throw input_error("phase '" + name + "': model.parameters and training.tokens: " +
                          e.what() + "; expected inputs of realistic magnitude");
      }
    } else {
      const double c = training_flop_per_token(conv, *active, in.shape, in.sequence_length,
                                               in.causal_halved.value_or(false)) *
                       *in.tokens;
      if (!std::isfinite(c)) throw input_error("phase '" + name + "': FLOP count overflows");
      r.compute_flop = compute_from_flop(c);
    }
    r.compute_basis = std::string(to_string(conv));
    r.flop_convention = r.compute_basis;
    if (conv != flop_convention::six_nd) {
      r.flop_convention += in.causal_halved.value_or(false) ? ", causal attention halved"
                                                            : ", attention counted whole";
    }
    if (conv == flop_convention::megatron_recompute) r.mfu_kind = "HFU";
  } else if (rep.compute_flop) {
    r.compute_flop = rep.compute_flop;
    r.compute_basis = "reported";
  } else {
    r.compute_basis = "unknown";
  }

  const auto& on = in.reported_on;
  r.implied = implied_for(rep, on.accelerator ? *on.accelerator : *in.accelerator, in.count,
                          on.goodput.value_or(goodput.value_or(efficiency::one())),
                          on.precision ? on.precision : in.precision, r.compute_flop, cat,
                          on.accelerator ? nullptr : &acc);

  // MFU: an input drives the model; else the one the reported GPU-hours imply on the hardware
  // they were measured on; else a reported MFU; else Epoch's median.
  if (in.mfu) {
    r.mfu = in.mfu->ratio();
    r.mfu_basis = "input";
  } else if (r.implied.mfu && r.implied.mfu_precision == prec) {
    r.mfu = r.implied.mfu;
    r.mfu_basis = "implied";
  } else if (rep.mfu && (!rep.mfu_precision || rep.mfu_precision == prec)) {
    r.mfu = rep.mfu;
    r.mfu_basis = "reported";
  } else if (r.implied.mfu && r.implied.mfu_precision) {
    // Reported on other hardware precision: carry the MFU over as a ratio.
    r.mfu = r.implied.mfu;
    r.mfu_basis = "implied";
  } else if (r.compute_flop) {
    r.mfu = default_mfu;
    r.mfu_basis = "default";
    note_once(assumptions,
              "MFU: 0.375 where none is given or implied (Epoch AI's median of 33 "
              "known runs, cost_analysis_standalone.py MEDIAN_UTILIZATION)");
  }

  if (r.compute_flop && r.mfu) {
    if (!(*r.mfu > 0.0) || !std::isfinite(*r.mfu)) {
      throw input_error("phase '" + name + "': the MFU is not a positive number");
    }
    r.gpu_hours = r.compute_flop.value() / (*r.peak * *r.mfu) / r.goodput.ratio();
    r.gpu_hours_basis = "modelled";
  } else if (rep.gpu_hours) {
    r.gpu_hours = *rep.gpu_hours;
    r.gpu_hours_basis = "reported";
    r.mfu.reset();  // nothing was modelled, so no MFU was used
    r.mfu_basis = "unknown";
    note_once(assumptions, concat("phase '", name,
                                  "': no compute to model, so its reported GPU-hours are used as "
                                  "is"));
  } else {
    throw input_error("phase '" + name +
                      "': nothing to model: give training.tokens (with model.parameters), "
                      "training.compute_flop, or reported.gpu_hours");
  }
  if (!std::isfinite(value_in(r.gpu_hours, units::gpu_hour))) {
    throw input_error("phase '" + name +
                      "': the GPU-hours overflow a double (compute / (peak * MFU * goodput)); "
                      "expected inputs of realistic magnitude");
  }

  if (in.count) {
    r.wall_clock = wall_clock(r.gpu_hours, *in.count);
    r.wall_clock_basis = "modelled";
  } else if (rep.wall_clock && r.gpu_hours_basis == "reported") {
    r.wall_clock = rep.wall_clock;
    r.wall_clock_basis = "reported";
  } else {
    r.wall_clock_basis = "unknown";
  }

  if (in.price_as_of) {
    // "As of" a year: the catalogue's dated price replaces the scenario's own.
    // Both arms string_view: `*in.rental_kind : "on-demand"` would make a temporary std::string.
    const std::string_view kind =
        in.rental_kind ? std::string_view(*in.rental_kind) : std::string_view("on-demand");
    if (auto p = catalogue_rental(acc, kind, in.price_as_of)) {
      r.price = p->first;
      r.price_basis = "catalogue as of " + integer_text(*in.price_as_of);
      note_once(assumptions, concat("price: pricing.as_of = ", integer_text(*in.price_as_of),
                                    ": the ", p->second, " for ", acc.id,
                                    in.price ? ", instead of the scenario's own price" : ""));
    } else {
      r.price_basis = "unknown";
      note_once(assumptions,
                concat("price: no ", kind, " price for ", acc.id, " in the catalogue"));
    }
  } else if (in.price) {
    r.price = in.price;
    r.price_basis = "input";
  } else if (in.rental_kind) {
    if (auto p = catalogue_rental(acc, *in.rental_kind, std::nullopt)) {
      r.price = p->first;
      r.price_basis = "catalogue";
      note_once(assumptions, concat("price: the ", p->second, " for ", acc.id));
    } else {
      r.price_basis = "unknown";
    }
  } else if (acc.prices.on_demand) {
    r.price = acc.prices.on_demand;
    r.price_basis = "catalogue";
    note_once(assumptions, concat("price: the on-demand list price of ", acc.id,
                                  " from the catalogue (no pricing.usd_per_gpu_hour given)"));
  } else {
    r.price_basis = "unknown";
  }
  std::optional<money> rental;
  if (r.price) rental = rental_cost(r.gpu_hours, *r.price);
  std::optional<power_model> power;
  if (sc) {
    // An earlier phase on the same hardware and prices made the cost methods' notes already.
    bool noted = false;
    if (done) {
      for (const auto& d : *done) noted |= d.accelerator == &acc && d.price_as_of == in.price_as_of;
    }
    auto pc =
        compute_phase_costs(in, *sc, acc, cat, r.gpu_hours, rental, noted ? nullptr : &assumptions);
    r.cost = std::move(pc.cost);  // never has "rental"
    r.cost_basis = std::move(pc.basis);
    if (rental) {
      r.cost_basis.emplace("rental", concat("GPU-hours x price (", r.price_basis, ")"));
    }
    r.energy_kwh = pc.energy_kwh;
    r.emissions_tco2e = pc.emissions_tco2e;
    r.emissions_market_tco2e = pc.emissions_market_tco2e;
    r.grid_gco2e_per_kwh = pc.grid_gco2e_per_kwh;
    implied_grid(r, pc.power);
    power = pc.power;
  }
  if (rental) r.cost.emplace("rental", *rental);
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
/// Adds the phases' costs into the total. A method is summed only when every phase has it;
/// "purchase" is a cluster, not a flow: phases on the same accelerator share the largest cluster
/// among them, and different accelerators add up; "program" adds program.staff_usd once.
inline void total_costs(phase_result& t, const std::vector<phase_result>& phases,
                        const program_inputs& program, bool all_priced) {
  // The methods every phase has are the first phase's that all the others have too.
  if (!phases.empty()) {
    for (const auto& [method, first_cost] : phases.front().cost) {
      if (method == "rental" && !all_priced) continue;
      bool everywhere = true;
      for (std::size_t i = 1; i < phases.size() && everywhere; ++i) {
        everywhere = phases[i].cost.count(method) != 0;
      }
      if (!everywhere) continue;
      money sum{};
      if (method == "purchase") {
        std::map<std::string_view, money> largest;  // by accelerator, summed in id order
        for (const auto& p : phases) {
          auto& l = largest[p.accelerator];
          if (p.cost.at(method) > l) l = p.cost.at(method);
        }
        for (const auto& [acc, m] : largest) sum += m;
      } else {
        sum += first_cost;
        for (std::size_t i = 1; i < phases.size(); ++i) sum += phases[i].cost.at(method);
      }
      t.cost.emplace_hint(t.cost.end(), method, sum);  // in the order of the map
    }
  }
  if (auto it = t.cost.find("program"); it != t.cost.end() && program.staff_usd) {
    it->second += money_from_usd(*program.staff_usd);
  }
  if (!phases.empty()) t.cost_basis = phases.front().cost_basis;
  auto sum_opt = [&](std::optional<double> phase_result::*field) {
    double s = 0.0;
    for (const auto& p : phases) {
      if (!(p.*field)) return;
      s += *(p.*field);
    }
    t.*field = s;
  };
  sum_opt(&phase_result::energy_kwh);
  sum_opt(&phase_result::emissions_tco2e);
  sum_opt(&phase_result::emissions_market_tco2e);
  if (t.energy_kwh && t.emissions_tco2e && *t.energy_kwh > 0.0) {
    t.grid_gco2e_per_kwh = *t.emissions_tco2e * 1e6 / *t.energy_kwh;
  }
}

/// estimate() without the file name in its errors.
inline estimate_result estimate_unnamed(const scenario& s, const catalogue& cat) {
  estimate_result out;
  out.id = s.id;
  out.name = s.name;
  out.assumptions.reserve(16);     // a bundled run notes up to about ten defaults
  std::vector<phase_extras> done;  // the total reuses the first phase's accelerator and power
  done.reserve(std::max<std::size_t>(s.phases.size(), 1));
  if (s.phases.empty()) {
    const std::string training = "training";
    out.phases.push_back(detail::estimate_phase(s.base, s.base.reported,
                                                s.base.name.empty() ? training : s.base.name, cat,
                                                out.assumptions, &s, &done));
  } else {
    out.phases.reserve(s.phases.size());
    for (const auto& ph : s.phases) {
      auto in = detail::merge_phase(s.base, ph);
      out.phases.push_back(detail::estimate_phase(in, std::move(in.reported), in.name, cat,
                                                  out.assumptions, &s, &done));
    }
  }

  auto& t = out.total;
  t.name = "total";
  t.reported = s.phases.empty() ? out.phases.front().reported : s.base.reported;
  detail::sum_reported(t.reported.gpu_hours, out.phases, &reported_figures::gpu_hours);
  detail::sum_reported_cost(t.reported.cost, out.phases);

  bool all_compute = true;
  bool same_hw = true;
  compute c_sum{};
  duration wall{};
  bool wall_known = true;
  bool all_priced = true;
  const auto& first = out.phases.front();
  for (const auto& p : out.phases) {
    t.gpu_hours += p.gpu_hours;
    if (p.compute_flop) {
      c_sum += *p.compute_flop;
    } else {
      all_compute = false;
    }
    if (p.wall_clock) {
      wall += *p.wall_clock;
    } else {
      wall_known = false;
    }
    if (p.accelerator != first.accelerator || p.precision != first.precision ||
        p.count != first.count) {
      same_hw = false;
    }
    if (!p.price) all_priced = false;
  }
  detail::total_costs(t, out.phases, s.costs.program, all_priced);
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
  if (c_sum.value() > 0.0) {
    t.compute_flop = c_sum;
    t.compute_basis = all_compute ? "sum" : "partial sum";
  } else {
    t.compute_basis = "unknown";
  }
  // Effective MFU of the whole run: compute over the peak work of the phases that have compute.
  double peak_work = 0.0;  // FLOP
  for (const auto& p : out.phases) {
    if (p.compute_flop && p.peak) {
      peak_work += value_in(p.gpu_hours, units::gpu_hour) * p.goodput.ratio() *
                   value_in(*p.peak, units::flop_per_gpu_hour);
    }
  }
  if (!std::isfinite(peak_work)) {
    throw input_error(
        "the peak work of the run (FLOP) overflows a double; expected inputs of "
        "realistic magnitude");
  }
  if (peak_work > 0.0) {
    double c_known = 0.0;
    for (const auto& p : out.phases) {
      if (p.compute_flop && p.peak) c_known += value_in(*p.compute_flop, units::flop);
    }
    t.mfu = c_known / peak_work;
    t.mfu_basis = "effective";
  }
  t.gpu_hours_basis = first.gpu_hours_basis;
  for (const auto& p : out.phases) {
    if (p.gpu_hours_basis != t.gpu_hours_basis) t.gpu_hours_basis = "mixed";
  }
  if (wall_known) {
    t.wall_clock = wall;
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

}  // namespace costmodel
