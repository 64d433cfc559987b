// SPDX-License-Identifier: MIT
// The cost methods of one phase, with the catalogue's defaults filled in and named: rental at
// catalogue prices (on-demand, 1-year, 3-year, GPU cloud; "as of" a year), energy and emissions,
// ownership, purchase and program. Used by estimate().
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "costmodel/cost_inputs.hpp"
#include "costmodel/cost_methods.hpp"
#include "costmodel/energy.hpp"
#include "costmodel/goodput.hpp"
#include "costmodel/hardware.hpp"
#include "costmodel/pricing.hpp"
#include "costmodel/scenario.hpp"
#include "costmodel/text.hpp"

namespace costmodel {

/// Julian year in hours, as Epoch counts it (HOURS_PER_YEAR = 24 * 365.25).
inline constexpr double hours_per_julian_year = 8766.0;

namespace detail {

/// Adds `s` to `list` unless it is there already.
inline void note_unique(std::vector<std::string>& list, std::string s) {
  for (const auto& x : list) {
    if (x == s) return;
  }
  list.push_back(std::move(s));
}

/// A number as people write it: 1.64, 0.19, 8766 (printf's "%.6g").
inline number_text num_chars(double v) { return {v, std::chars_format::general, 6, 63}; }

inline std::string num_text(double v) { return std::string(num_chars(v)); }

/// "1.64 (EPOCH-CODE ...; estimate)" for an assumption line.
struct cited {
  double value;
  const sourced_value& source;
};

inline std::size_t text_size(std::string_view s) noexcept { return s.size(); }
inline std::size_t text_size(const cited& c) noexcept {
  return 16 + c.source.source.size() + c.source.status.size();
}
inline void text_append(std::string& out, std::string_view s) { out += s; }
inline void text_append(std::string& out, const cited& c) {
  out += num_chars(c.value);
  out += " (";
  out += c.source.source;
  if (!c.source.status.empty()) {
    out += "; ";
    out += c.source.status;
  }
  out += ')';
}

/// The pieces (text, or cited values) joined into one string, allocated once.
template <class... Part>
std::string concat(const Part&... parts) {
  std::string out;
  out.reserve((text_size(parts) + ...));
  (text_append(out, parts), ...);
  return out;
}

inline std::string cite(double v, const sourced_value& s) { return concat(cited{v, s}); }

/// "$33750" ("$%.0f") for a cost text.
inline number_text usd_chars(double v) { return {v, std::chars_format::fixed, 0, 62}; }

inline std::string cost_usd_text(double v) { return concat("$", usd_chars(v)); }

/// The year whose prices apply: pricing.as_of, else the scenario's date (its publication, as
/// Epoch prices electricity by publication year).
inline std::optional<int> price_year(const run_inputs& in, const scenario& s) {
  if (in.price_as_of) return in.price_as_of;
  return year_of(s.date);
}

/// The catalogue's rental price of `kind` for `acc`, as of `as_of` when given.
inline std::optional<std::pair<price_rate, std::string>> catalogue_rental(
    const accelerator_spec& acc, std::string_view kind, std::optional<int> as_of) {
  if (as_of) {
    if (auto p = acc.prices.as_of(kind, *as_of)) {
      return std::pair{price_rate_from_usd_per_gpu_hour(p->value),
                       concat("catalogue ", kind, " price of ", p->date, " (", p->source, ")")};
    }
    return std::nullopt;
  }
  const std::optional<price_rate>* field = nullptr;
  if (kind == "on-demand") field = &acc.prices.on_demand;
  if (kind == "1y") field = &acc.prices.one_year;
  if (kind == "3y") field = &acc.prices.three_year;
  if (kind == "gpu-cloud") field = &acc.prices.gpu_cloud;
  if (!field || !*field) return std::nullopt;
  return std::pair{**field, concat("catalogue ", kind, " list price")};
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
/// or nothing when the board power is unknown. The defaults used are noted in `notes`, unless it
/// is null (they were noted already: the notes depend on `acc`, `s` and `dc` only).
inline std::optional<power_model> power_for(const accelerator_spec& acc, const scenario& s,
                                            const datacenter_constants& dc,
                                            std::vector<std::string>* notes) {
  const auto& e = s.costs.energy;
  power_model p;
  if (e.watts_per_accelerator) {
    p.watts_per_accelerator = *e.watts_per_accelerator;
  } else if (acc.tdp_watts) {
    p.watts_per_accelerator = *acc.tdp_watts;
    if (notes)
      note_unique(
          *notes,
          concat("energy: ", acc.id, " draws its board power of ", num_chars(*acc.tdp_watts),
                 " W (catalogue power.tdp_w; no energy.watts_per_accelerator given)"));
  } else {
    if (notes)
      note_unique(*notes, concat("energy: not computed: ", acc.id,
                                 " has no board power in the catalogue and "
                                 "energy.watts_per_accelerator is not given"));
    return std::nullopt;
  }
  const bool tpu = acc.kind == "tpu";
  if (e.average_power_fraction) {
    p.average_power_fraction = *e.average_power_fraction;
  } else if (const auto& f = tpu ? dc.average_power_fraction_tpu : dc.average_power_fraction_gpu) {
    p.average_power_fraction = f->value;
    if (notes)
      note_unique(*notes,
                  concat("energy: average power ", cited{f->value, *f}, " of TDP for ",
                         tpu ? "TPUs" : "GPUs", " (no energy.average_power_fraction given)"));
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
    if (notes)
      note_unique(*notes, concat("energy: server power ", cited{m->value, *m}, " x the power of ",
                                 acc.id, " (no energy.server_power_overhead given)"));
  }
  if (e.pue) {
    p.pue = *e.pue;
  } else if (const auto& pue = dc.pue_for(s.developer)) {
    p.pue = pue->value;
    if (notes)
      note_unique(*notes, concat("energy: PUE ", cited{pue->value, *pue}, " for developer '",
                                 s.developer, "' (no energy.pue given)"));
  } else {
    return std::nullopt;
  }
  return p;
}

/// Energy, emissions, rental variants, ownership, purchase and program of one phase.
/// `rental` is the phase's rental cost when a price is known. The defaults used are noted in
/// `notes`, unless it is null: the notes depend only on `acc`, `in.price_as_of`, `s` and the
/// catalogue, so a later phase on the same hardware and prices would only repeat them.
/// Throws: input_error for inputs the methods refuse (see each method).
inline phase_costs compute_phase_costs(const run_inputs& in, const scenario& s,
                                       const accelerator_spec& acc, const catalogue& cat,
                                       gpu_time used, std::optional<money> rental,
                                       std::vector<std::string>* notes) {
  const auto& dc = cat.datacenter;
  const auto& ci = s.costs;
  phase_costs out;
  const auto year = price_year(in, s);

  // Rental at each catalogue price kind, where the catalogue has one.
  static constexpr std::pair<std::string_view, std::string_view> rental_kinds[] = {
      {"on-demand", "rental_on_demand"},
      {"1y", "rental_1y"},
      {"3y", "rental_3y"},
      {"gpu-cloud", "rental_gpu_cloud"}};
  for (const auto& [kind, key] : rental_kinds) {
    if (auto p = catalogue_rental(acc, kind, in.price_as_of)) {
      out.cost.emplace(key, rental_cost(used, p->first));
      out.basis.emplace(key, std::move(p->second));
    }
  }

  // Energy (Epoch's cluster_energy_cost) and emissions (energy x grid intensity).
  std::optional<money> energy_usd;
  out.power = power_for(acc, s, dc, notes);
  if (out.power) {
    out.energy_kwh = energy_kwh(*out.power, used);
    std::optional<double> usd_per_kwh = ci.energy.usd_per_kwh;
    if (!usd_per_kwh && year) {
      if (const auto* p = dc.usd_per_kwh_entry(*year)) {
        usd_per_kwh = p->second.value;
        if (notes)
          note_unique(*notes, concat("energy: $", cited{p->second.value, p->second},
                                     " per kWh, the ", detail::integer_text(p->first),
                                     " price (no energy.usd_per_kwh given)"));
      }
    }
    if (usd_per_kwh) {
      energy_usd = energy_cost(*out.energy_kwh, *usd_per_kwh);
      out.cost.emplace("energy", *energy_usd);
      out.basis.emplace("energy", "kWh x USD per kWh");
    }
    std::optional<double> grid = ci.energy.grid_gco2e_per_kwh;
    std::optional<double> market = ci.energy.grid_gco2e_per_kwh_market;
    if (!grid) {
      const std::string_view region =
          ci.energy.grid_region ? *ci.energy.grid_region : dc.default_grid_region;
      auto it = dc.grid.find(region);
      if (ci.energy.grid_region && it == dc.grid.end()) {
        std::string known;
        for (const auto& [id, g] : dc.grid) known += (known.empty() ? "" : ", ") + id;
        throw input_error("energy.grid_region: unknown region '" + std::string(region) +
                          "'; expected one of: " + known);
      }
      if (it != dc.grid.end()) {
        grid = it->second.location_gco2e_per_kwh.value;
        if (notes)
          note_unique(*notes,
                      concat("emissions: grid ", it->second.name, " ",
                             cited{*grid, it->second.location_gco2e_per_kwh}, " gCO2e/kWh",
                             ci.energy.grid_region ? "" : " (no energy.grid_region given)"));
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
  std::string price_text;  // empty for the two fixed texts below
  std::string_view price_words;
  if (o.usd_per_accelerator) {
    price = o.usd_per_accelerator;
    includes_server = o.price_includes_server.value_or(false);
    price_words = "ownership.usd_per_accelerator";
  } else if (in.price_as_of) {
    if (auto p = acc.prices.as_of("purchase", *in.price_as_of)) {
      price = p->value;
      includes_server = p->kind == "purchase-system";
      price_text = concat(p->kind, " price of ", p->date, " (", p->source, ")");
      price_words = price_text;
    }
  } else if (acc.prices.purchase) {
    price = value_in(*acc.prices.purchase, units::usd);
    includes_server = o.price_includes_server.value_or(acc.prices.purchase_includes_server);
    price_words = "catalogue prices.purchase_usd";
  }
  if (!price) {
    if (notes)
      note_unique(*notes, concat("ownership and purchase: not computed: no purchase price for ",
                                 acc.id, " (give ownership.usd_per_accelerator)"));
  } else {
    const number_text price_usd = usd_chars(*price);
    double overhead = 1.0;
    if (includes_server) {
      if (notes)
        note_unique(*notes,
                    concat("ownership: the ", acc.id, " price $", price_usd,
                           " is a system price per accelerator, so no server overhead is applied"));
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
        if (notes)
          note_unique(*notes, concat("ownership: server cost ", cited{m->value, *m}, " x the ",
                                     acc.id, " price (no ownership.server_overhead given)"));
      }
    }
    double share = 0.0;
    if (o.interconnect_share) {
      share = *o.interconnect_share;
    } else if (dc.interconnect_share) {
      share = dc.interconnect_share->value;
      if (notes)
        note_unique(*notes,
                    concat("ownership: cluster interconnect ", cited{share, *dc.interconnect_share},
                           " of total cluster cost (no ownership.interconnect_share given)"));
    }
    const money server = money_from_usd(*price * overhead);
    const bool has_overhead = overhead != 1.0;
    const std::string hw =
        concat("$", price_usd, " (", price_words, ")", has_overhead ? " x server " : "",
               has_overhead ? std::string_view(num_chars(overhead)) : std::string_view(),
               " / (1 - ", num_chars(share), ") interconnect");
    if (in.count) {
      out.cost.emplace("purchase", purchase_cost(*in.count, server, share));
      out.basis.emplace("purchase", concat("count x ", hw));
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
        if (notes)
          note_unique(*notes,
                      concat("ownership: exponential depreciation at ",
                             cited{m.ooms_per_year, *dc.depreciation_ooms_per_year},
                             " orders of magnitude per year (no ownership.depreciation given)"));
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
      if (notes)
        note_unique(*notes,
                    "ownership: hardware new when training starts (no ownership.age_years or "
                    "acquisition_date and training_start_date given)");
    }
    const money hw_cost = amortised_hardware_cost(m, used);
    if (energy_usd) {
      out.cost.emplace("ownership", hw_cost + *energy_usd);
      // "%.2f" into a char[32], as the text was first written
      const number_text age{m.age_years, std::chars_format::fixed, 2, 31};
      out.basis.emplace(
          "ownership",
          concat("amortised ", hw, ", ",
                 m.depreciation == depreciation_kind::exponential ? "exponential" : "straight-line",
                 " depreciation, ", age, " years old; plus energy"));
    } else {
      if (notes) note_unique(*notes, "ownership: not computed: the energy cost is unknown");
    }
  }

  // The whole program: the final run scaled by experiments (staff is added in the total).
  const auto& pg = ci.program;
  const auto owned = out.cost.find("ownership");
  const std::string_view basis =
      pg.basis ? std::string_view(*pg.basis)
               : std::string_view(owned != out.cost.end() ? "ownership" : "rental");
  std::optional<money> final_run;
  if (basis == "ownership" && owned != out.cost.end()) final_run = owned->second;
  if (basis == "rental" && rental) final_run = rental;
  std::optional<double> mult = pg.experiments_multiplier;
  if (!mult && dc.experiments_multiplier) {
    mult = dc.experiments_multiplier->value;
    if (notes)
      note_unique(*notes,
                  concat("program: experiments x ", cited{*mult, *dc.experiments_multiplier},
                         " the final run (no program.experiments_multiplier given)"));
  }
  if (final_run && mult) {
    out.cost.emplace("program", program_cost(*final_run, *mult));
    out.basis.emplace("program",
                      concat(basis, " x experiments multiplier, plus staff in the total"));
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
                concat("reliability: MTBF ",
                       cited{dc.mtbf_hours_per_accelerator->value, *dc.mtbf_hours_per_accelerator},
                       " hours per accelerator (no reliability.mtbf_hours_per_accelerator)"));
  } else {
    throw input_error("[reliability] needs mtbf_hours_per_accelerator or mtbf_hours_per_node");
  }
  auto minutes = [&](const std::optional<double>& given, const std::optional<sourced_value>& def,
                     const char* what) {
    if (given) return *given / 60.0;
    if (!def) throw input_error(std::string("[reliability] needs ") + what);
    note_unique(
        notes, concat("reliability: ", what, " ", cited{def->value, *def}, " minutes (not given)"));
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
