// SPDX-License-Identifier: MIT
// The cost methods of one phase, with the catalogue's defaults filled in and named: rental at
// catalogue prices (on-demand, 1-year, 3-year, GPU cloud; "as of" a year), energy and emissions,
// ownership, purchase and program. Used by estimate().
#pragma once

#include <algorithm>
#include <clocale>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "costmodel/cost_inputs.hpp"
#include "costmodel/cost_methods.hpp"
#include "costmodel/energy.hpp"
#include "costmodel/goodput.hpp"
#include "costmodel/hardware.hpp"
#include "costmodel/pricing.hpp"
#include "costmodel/scenario.hpp"

namespace costmodel {

/// Julian year in hours, as Epoch counts it (HOURS_PER_YEAR = 24 * 365.25).
inline constexpr double hours_per_julian_year = 8766.0;

namespace detail {

inline void note_unique(std::vector<std::string>& list, const std::string& s) {
  for (const auto& x : list) {
    if (x == s) return;
  }
  list.push_back(s);
}

/// `s` with '.' as the decimal point whatever the C locale gave printf.
inline std::string dot_decimal(std::string s) {
  const char point = *std::localeconv()->decimal_point;
  if (point != '.') std::replace(s.begin(), s.end(), point, '.');
  return s;
}

/// A number as people write it: 1.64, 0.19, 8766.
inline std::string num_text(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return dot_decimal(buf);
}

/// "1.64 (EPOCH-CODE ...; estimate)" for an assumption line.
inline std::string cite(double v, const sourced_value& s) {
  return num_text(v) + " (" + s.source + (s.status.empty() ? "" : "; " + s.status) + ")";
}

inline std::string cost_usd_text(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "$%.0f", v);
  return dot_decimal(buf);
}

/// The year whose prices apply: pricing.as_of, else the scenario's date (its publication, as
/// Epoch prices electricity by publication year).
inline std::optional<int> price_year(const run_inputs& in, const scenario& s) {
  if (in.price_as_of) return in.price_as_of;
  return year_of(s.date);
}

/// The catalogue's rental price of `kind` for `acc`, as of `as_of` when given.
inline std::optional<std::pair<price_rate, std::string>> catalogue_rental(
    const accelerator_spec& acc, const std::string& kind, std::optional<int> as_of) {
  if (as_of) {
    if (auto p = acc.prices.as_of(kind, *as_of)) {
      return std::pair{price_rate_from_usd_per_gpu_hour(p->value),
                       "catalogue " + kind + " price of " + p->date + " (" + p->source + ")"};
    }
    return std::nullopt;
  }
  const std::optional<price_rate>* field = nullptr;
  if (kind == "on-demand") field = &acc.prices.on_demand;
  if (kind == "1y") field = &acc.prices.one_year;
  if (kind == "3y") field = &acc.prices.three_year;
  if (kind == "gpu-cloud") field = &acc.prices.gpu_cloud;
  if (!field || !*field) return std::nullopt;
  return std::pair{**field, "catalogue " + kind + " list price"};
}

/// What the cost methods produce for one phase.
struct phase_costs {
  std::map<std::string, money> cost;
  std::map<std::string, std::string> basis;  ///< method -> its inputs, in words
  std::optional<double> energy_kwh;
  std::optional<double> emissions_tco2e;
  std::optional<double> emissions_market_tco2e;
  std::optional<power_model> power;
  std::optional<double> grid_gco2e_per_kwh;
};

/// The power model of `acc` under the scenario's [energy] inputs and the catalogue's defaults,
/// or nothing when the board power is unknown.
inline std::optional<power_model> power_for(const accelerator_spec& acc, const scenario& s,
                                            const datacenter_constants& dc,
                                            std::vector<std::string>& notes) {
  const auto& e = s.costs.energy;
  power_model p;
  if (e.watts_per_accelerator) {
    p.watts_per_accelerator = *e.watts_per_accelerator;
  } else if (acc.tdp_watts) {
    p.watts_per_accelerator = *acc.tdp_watts;
    note_unique(notes, "energy: " + acc.id + " draws its board power of " +
                           num_text(*acc.tdp_watts) +
                           " W (catalogue power.tdp_w; no energy.watts_per_accelerator given)");
  } else {
    note_unique(notes, "energy: not computed: " + acc.id +
                           " has no board power in the catalogue and energy.watts_per_accelerator "
                           "is not given");
    return std::nullopt;
  }
  const bool tpu = acc.kind == "tpu";
  if (e.average_power_fraction) {
    p.average_power_fraction = *e.average_power_fraction;
  } else if (const auto& f = tpu ? dc.average_power_fraction_tpu : dc.average_power_fraction_gpu) {
    p.average_power_fraction = f->value;
    note_unique(notes, std::string("energy: average power ") + cite(f->value, *f) + " of TDP for " +
                           (tpu ? "TPUs" : "GPUs") + " (no energy.average_power_fraction given)");
  } else {
    return std::nullopt;
  }
  if (e.server_power_overhead) {
    p.server_power_overhead = *e.server_power_overhead;
  } else {
    const sourced_value* m = nullptr;
    if (auto it = dc.chip_to_server_power.find(acc.id); it != dc.chip_to_server_power.end()) {
      m = &it->second;
    } else if (tpu ? dc.chip_to_server_power_tpu : dc.chip_to_server_power_gpu) {
      m = &*(tpu ? dc.chip_to_server_power_tpu : dc.chip_to_server_power_gpu);
    }
    if (!m) return std::nullopt;
    p.server_power_overhead = m->value;
    note_unique(notes, "energy: server power " + cite(m->value, *m) + " x the power of " + acc.id +
                           " (no energy.server_power_overhead given)");
  }
  if (e.pue) {
    p.pue = *e.pue;
  } else if (const auto& pue = dc.pue_for(s.developer)) {
    p.pue = pue->value;
    note_unique(notes, "energy: PUE " + cite(pue->value, *pue) + " for developer '" + s.developer +
                           "' (no energy.pue given)");
  } else {
    return std::nullopt;
  }
  return p;
}

/// Energy, emissions, rental variants, ownership, purchase and program of one phase.
/// `rental` is the phase's rental cost when a price is known.
/// Throws: input_error for inputs the methods refuse (see each method).
inline phase_costs compute_phase_costs(const run_inputs& in, const scenario& s,
                                       const accelerator_spec& acc, const catalogue& cat,
                                       gpu_time used, std::optional<money> rental,
                                       std::vector<std::string>& notes) {
  const auto& dc = cat.datacenter;
  const auto& ci = s.costs;
  phase_costs out;
  const auto year = price_year(in, s);

  // Rental at each catalogue price kind, where the catalogue has one.
  for (const auto& [kind, key] :
       {std::pair<std::string, std::string>{"on-demand", "rental_on_demand"},
        {"1y", "rental_1y"},
        {"3y", "rental_3y"},
        {"gpu-cloud", "rental_gpu_cloud"}}) {
    if (auto p = catalogue_rental(acc, kind, in.price_as_of)) {
      out.cost[key] = rental_cost(used, p->first);
      out.basis[key] = p->second;
    }
  }

  // Energy (Epoch's cluster_energy_cost) and emissions (energy x grid intensity).
  std::optional<money> energy_usd;
  out.power = power_for(acc, s, dc, notes);
  if (out.power) {
    out.energy_kwh = energy_kwh(*out.power, used);
    std::optional<double> usd_per_kwh = ci.energy.usd_per_kwh;
    if (!usd_per_kwh && year) {
      if (auto p = dc.usd_per_kwh_in(*year)) {
        usd_per_kwh = p->second.value;
        note_unique(notes, "energy: $" + cite(p->second.value, p->second) + " per kWh, the " +
                               std::to_string(p->first) + " price (no energy.usd_per_kwh given)");
      }
    }
    if (usd_per_kwh) {
      energy_usd = energy_cost(*out.energy_kwh, *usd_per_kwh);
      out.cost["energy"] = *energy_usd;
      out.basis["energy"] = "kWh x USD per kWh";
    }
    std::optional<double> grid = ci.energy.grid_gco2e_per_kwh;
    std::optional<double> market = ci.energy.grid_gco2e_per_kwh_market;
    if (!grid) {
      const std::string region = ci.energy.grid_region.value_or(dc.default_grid_region);
      auto it = dc.grid.find(region);
      if (ci.energy.grid_region && it == dc.grid.end()) {
        std::string known;
        for (const auto& [id, g] : dc.grid) known += (known.empty() ? "" : ", ") + id;
        throw input_error("energy.grid_region: unknown region '" + region +
                          "'; expected one of: " + known);
      }
      if (it != dc.grid.end()) {
        grid = it->second.location_gco2e_per_kwh.value;
        note_unique(notes, "emissions: grid " + it->second.name + " " +
                               cite(*grid, it->second.location_gco2e_per_kwh) + " gCO2e/kWh" +
                               (ci.energy.grid_region ? "" : " (no energy.grid_region given)"));
        if (!market && it->second.market_gco2e_per_kwh) {
          market = it->second.market_gco2e_per_kwh->value;
        }
      }
    }
    if (grid) {
      out.grid_gco2e_per_kwh = grid;
      out.emissions_tco2e = emissions_tco2e(*out.energy_kwh, *grid);
    }
    if (market) out.emissions_market_tco2e = emissions_tco2e(*out.energy_kwh, *market);
  }

  // The hardware: price per accelerator, with the server around it.
  const auto& o = ci.ownership;
  std::optional<double> price;
  bool includes_server = false;
  std::string price_text;
  if (o.usd_per_accelerator) {
    price = o.usd_per_accelerator;
    includes_server = o.price_includes_server.value_or(false);
    price_text = "ownership.usd_per_accelerator";
  } else if (in.price_as_of) {
    if (auto p = acc.prices.as_of("purchase", *in.price_as_of)) {
      price = p->value;
      includes_server = p->kind == "purchase-system";
      price_text = p->kind + " price of " + p->date + " (" + p->source + ")";
    }
  } else if (acc.prices.purchase) {
    price = value_in(*acc.prices.purchase, units::usd);
    includes_server = o.price_includes_server.value_or(acc.prices.purchase_includes_server);
    price_text = "catalogue prices.purchase_usd";
  }
  if (!price) {
    note_unique(notes, "ownership and purchase: not computed: no purchase price for " + acc.id +
                           " (give ownership.usd_per_accelerator)");
  } else {
    double overhead = 1.0;
    if (includes_server) {
      note_unique(notes,
                  "ownership: the " + acc.id + " price " + cost_usd_text(*price) +
                      " is a system price per accelerator, so no server overhead is applied");
    } else if (o.server_overhead) {
      overhead = *o.server_overhead;
    } else {
      const sourced_value* m = nullptr;
      if (auto it = dc.server_cost_overhead.find(acc.id); it != dc.server_cost_overhead.end()) {
        m = &it->second;
      } else if (dc.server_cost_overhead_default) {
        m = &*dc.server_cost_overhead_default;
      }
      if (m) {
        overhead = m->value;
        note_unique(notes, "ownership: server cost " + cite(m->value, *m) + " x the " + acc.id +
                               " price (no ownership.server_overhead given)");
      }
    }
    double share = 0.0;
    if (o.interconnect_share) {
      share = *o.interconnect_share;
    } else if (dc.interconnect_share) {
      share = dc.interconnect_share->value;
      note_unique(notes, "ownership: cluster interconnect " + cite(share, *dc.interconnect_share) +
                             " of total cluster cost (no ownership.interconnect_share given)");
    }
    const money server = money_from_usd(*price * overhead);
    const std::string hw = cost_usd_text(*price) + " (" + price_text + ")" +
                           (overhead != 1.0 ? " x server " + num_text(overhead) : "") + " / (1 - " +
                           num_text(share) + ") interconnect";
    if (in.count) {
      out.cost["purchase"] = purchase_cost(*in.count, server, share);
      out.basis["purchase"] = "count x " + hw;
    }

    ownership_model m;
    m.server_price_per_accelerator = server;
    m.interconnect_share = share;
    m.depreciation = o.depreciation.value_or(depreciation_kind::exponential);
    m.hours_per_year = dc.hours_per_year ? dc.hours_per_year->value : hours_per_julian_year;
    if (m.depreciation == depreciation_kind::exponential) {
      if (o.depreciation_ooms_per_year) {
        m.ooms_per_year = *o.depreciation_ooms_per_year;
      } else if (dc.depreciation_ooms_per_year) {
        m.ooms_per_year = dc.depreciation_ooms_per_year->value;
        note_unique(notes, "ownership: exponential depreciation at " +
                               cite(m.ooms_per_year, *dc.depreciation_ooms_per_year) +
                               " orders of magnitude per year (no ownership.depreciation given)");
      }
    } else {
      if (!o.life_years) {
        throw input_error("ownership.depreciation = \"straight-line\" needs ownership.life_years");
      }
      m.life_years = *o.life_years;
    }
    if (o.age_years) {
      m.age_years = *o.age_years;
    } else if (o.acquisition_date && o.training_start_date) {
      m.age_years = years_between(*o.acquisition_date, *o.training_start_date);
      if (m.age_years < 0.0) {
        throw input_error("ownership.training_start_date is before ownership.acquisition_date");
      }
    } else {
      note_unique(notes,
                  "ownership: hardware new when training starts (no ownership.age_years or "
                  "acquisition_date and training_start_date given)");
    }
    const money hw_cost = amortised_hardware_cost(m, used);
    if (energy_usd) {
      out.cost["ownership"] = hw_cost + *energy_usd;
      char age_buf[32];
      std::snprintf(age_buf, sizeof age_buf, "%.2f", m.age_years);
      const std::string age = dot_decimal(age_buf);
      out.basis["ownership"] =
          "amortised " + hw + ", " +
          (m.depreciation == depreciation_kind::exponential ? "exponential" : "straight-line") +
          " depreciation, " + age + " years old; plus energy";
    } else {
      note_unique(notes, "ownership: not computed: the energy cost is unknown");
    }
  }

  // The whole program: the final run scaled by experiments (staff is added in the total).
  const auto& pg = ci.program;
  const std::string basis = pg.basis.value_or(out.cost.count("ownership") ? "ownership" : "rental");
  std::optional<money> final_run;
  if (basis == "ownership" && out.cost.count("ownership")) final_run = out.cost.at("ownership");
  if (basis == "rental" && rental) final_run = rental;
  std::optional<double> mult = pg.experiments_multiplier;
  if (!mult && dc.experiments_multiplier) {
    mult = dc.experiments_multiplier->value;
    note_unique(notes, "program: experiments x " + cite(*mult, *dc.experiments_multiplier) +
                           " the final run (no program.experiments_multiplier given)");
  }
  if (final_run && mult) {
    out.cost["program"] = program_cost(*final_run, *mult);
    out.basis["program"] = basis + " x experiments multiplier, plus staff in the total";
  }
  return out;
}

/// Goodput from the scenario's [reliability] table for `count` accelerators, with the
/// catalogue's defaults (calibrated on Llama 3) for what it leaves out. Returns the goodput and
/// the checkpoint interval used, hours.
/// Throws: input_error without a count, or for values the model refuses.
inline std::pair<double, double> reliability_goodput(const reliability_inputs& r,
                                                     std::optional<gpu_count> count,
                                                     const datacenter_constants& dc,
                                                     std::vector<std::string>& notes) {
  if (!count) throw input_error("[reliability] needs hardware.count to derive goodput");
  const double n = count->value();
  double m = 0.0;
  if (r.mtbf_hours_per_accelerator) {
    m = system_mtbf(*r.mtbf_hours_per_accelerator, n);
  } else if (r.mtbf_hours_per_node) {
    if (!r.accelerators_per_node) {
      throw input_error("reliability.mtbf_hours_per_node needs reliability.accelerators_per_node");
    }
    m = system_mtbf(*r.mtbf_hours_per_node, n / *r.accelerators_per_node);
  } else if (dc.mtbf_hours_per_accelerator) {
    m = system_mtbf(dc.mtbf_hours_per_accelerator->value, n);
    note_unique(notes,
                "reliability: MTBF " +
                    cite(dc.mtbf_hours_per_accelerator->value, *dc.mtbf_hours_per_accelerator) +
                    " hours per accelerator (no reliability.mtbf_hours_per_accelerator)");
  } else {
    throw input_error("[reliability] needs mtbf_hours_per_accelerator or mtbf_hours_per_node");
  }
  auto minutes = [&](const std::optional<double>& given, const std::optional<sourced_value>& def,
                     const char* what) {
    if (given) return *given / 60.0;
    if (!def) throw input_error(std::string("[reliability] needs ") + what);
    note_unique(notes, std::string("reliability: ") + what + " " + cite(def->value, *def) +
                           " minutes (not given)");
    return def->value / 60.0;
  };
  reliability_model model;
  model.system_mtbf_hours = m;
  model.checkpoint_write_hours =
      minutes(r.checkpoint_write_minutes, dc.checkpoint_write_minutes, "checkpoint_write_minutes");
  model.restart_hours = minutes(r.restart_minutes, dc.restart_minutes, "restart_minutes");
  if (r.checkpoint_interval_minutes) {
    model.checkpoint_interval_hours = *r.checkpoint_interval_minutes / 60.0;
  }
  const double tau = model.checkpoint_interval_hours
                         ? *model.checkpoint_interval_hours
                         : daly_interval(model.checkpoint_write_hours, m);
  return {goodput_from_failures(model), tau};
}

}  // namespace detail
}  // namespace costmodel
