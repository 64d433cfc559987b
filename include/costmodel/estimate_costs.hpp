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
#include "costmodel/kernel.hpp"
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

/// What the cost methods' plan leaves for the result: the texts and the power model.
struct phase_cost_texts {
  std::map<std::string, std::string> basis;  ///< method -> its inputs, in words
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

/// The plan of the cost methods of one phase (energy, emissions, rental variants, ownership,
/// purchase and program): which have inputs, and their constants and point inputs, into `pl`
/// (the kernel computes them). `priced` says whether the phase has a rental price. The defaults
/// used are noted in `notes`, unless it is null: the notes depend only on `acc`,
/// `in.price_as_of`, `s` and the catalogue, so a later phase on the same hardware and prices
/// would only repeat them.
/// Throws: input_error for inputs the methods refuse (see each method).
inline phase_cost_texts plan_phase_costs(const run_inputs& in, const scenario& s,
                                         const accelerator_spec& acc, const catalogue& cat,
                                         bool priced, phase_plan& pl,
                                         std::vector<std::string>* notes) {
  const auto& dc = cat.datacenter;
  const auto& ci = s.costs;
  phase_cost_texts out;
  const auto year = price_year(in, s);
  const auto has = [&](cost_method m) -> bool& { return pl.has[static_cast<std::size_t>(m)]; };

  // Rental at each catalogue price kind, where the catalogue has one.
  static constexpr std::pair<std::string_view, cost_method> rental_kinds[] = {
      {"on-demand", cost_method::rental_on_demand},
      {"1y", cost_method::rental_1y},
      {"3y", cost_method::rental_3y},
      {"gpu-cloud", cost_method::rental_gpu_cloud}};
  for (const auto& [kind, method] : rental_kinds) {
    if (auto p = catalogue_rental(acc, kind, in.price_as_of)) {
      has(method) = true;
      pl.catalogue_price[static_cast<std::size_t>(method)] =
          value_in(p->first, units::usd_per_gpu_hour);
      out.basis.emplace(to_string(method), std::move(p->second));
    }
  }

  // Energy (Epoch's cluster_energy_cost) and emissions (energy x grid intensity).
  out.power = power_for(acc, s, dc, notes);
  if (out.power) {
    check_power_model(*out.power);
    pl.energy = true;
    at(pl.x, lane::watts) = out.power->watts_per_accelerator;
    at(pl.x, lane::power_fraction) = out.power->average_power_fraction;
    at(pl.x, lane::server_overhead) = out.power->server_power_overhead;
    at(pl.x, lane::pue) = out.power->pue;
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
      has(cost_method::energy) = true;
      at(pl.x, lane::usd_per_kwh) = *usd_per_kwh;
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
      pl.emits = true;
      at(pl.x, lane::grid) = *grid;
    }
    if (market) {
      pl.emits_market = true;
      at(pl.x, lane::grid_market) = *market;
    }
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
    pl.server_usd = value_in(server, units::usd);
    const bool has_overhead = overhead != 1.0;
    const std::string hw =
        concat("$", price_usd, " (", price_words, ")", has_overhead ? " x server " : "",
               has_overhead ? std::string_view(num_chars(overhead)) : std::string_view(),
               " / (1 - ", num_chars(share), ") interconnect");
    if (in.count) {
      pl.interconnect_multiplier = interconnect_multiplier(share);  // purchase_cost() checks it
      has(cost_method::purchase) = true;
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
      // Epoch's rule: hardware is acquired no earlier than its release (+90 days for a GPU) and
      // a GPU is not used before it is acquired; it matters when the accelerator was changed.
      if (const auto rel = parse_date_days(acc.launch)) {
        const long acquired = *rel + (acc.kind == "tpu" ? 0 : 90);
        const long from = *parse_date_days(*o.acquisition_date);
        if (acquired > from) {
          const long start = *parse_date_days(*o.training_start_date);
          m.age_years = acc.kind == "tpu" || start > acquired
                            ? static_cast<double>(start - acquired) / 365.25
                            : 0.0;
          if (m.age_years < 0.0) m.age_years = 0.0;
          if (notes)
            note_unique(*notes, concat("ownership: ", acc.id, " was released ", acc.launch,
                                       ", after ownership.acquisition_date, so it is acquired at "
                                       "release",
                                       acc.kind == "tpu" ? "" : " + 90 days", " (Epoch's rule)"));
        }
      }
    } else {
      if (notes)
        note_unique(*notes,
                    "ownership: hardware new when training starts (no ownership.age_years, or "
                    "ownership.acquisition_date and ownership.training_start_date, given)");
    }
    // amortised_hardware_cost(): the rate, then the interconnect (each checks its inputs).
    pl.hardware_usd_per_gpu_hour = value_in(hardware_rate(m), units::usd_per_gpu_hour);
    pl.interconnect_multiplier = interconnect_multiplier(m.interconnect_share);
    if (has(cost_method::energy)) {
      has(cost_method::ownership) = true;
      // "%.2f" into a char[32], as the text was first written
      const number_text age{m.age_years, std::chars_format::fixed, 2, 31};
      out.basis.emplace(
          "ownership",
          concat("amortised ", hw, ", ",
                 m.depreciation == depreciation_kind::exponential ? "exponential" : "straight-line",
                 " depreciation, ", age, " years old; plus energy"));
    } else {
      if (notes) {
        note_unique(*notes,
                    !out.power ? std::string("ownership: not computed: the energy cost is unknown "
                                             "(no power model; give energy.watts_per_accelerator)")
                    : !year    ? std::string("ownership: not computed: the run has no date, so no "
                                                "electricity price of its year (give date = YYYY-MM, or "
                                                "energy.usd_per_kwh)")
                               : std::string("ownership: not computed: no electricity price (give "
                                                "energy.usd_per_kwh)"));
      }
    }
  }

  // The whole program: the final run scaled by experiments (staff is added in the total).
  const auto& pg = ci.program;
  const bool owned = has(cost_method::ownership);
  const std::string_view basis =
      pg.basis ? std::string_view(*pg.basis) : std::string_view(owned ? "ownership" : "rental");
  std::optional<cost_method> final_run;
  if (basis == "ownership" && owned) final_run = cost_method::ownership;
  if (basis == "rental" && priced) final_run = cost_method::rental;
  std::optional<double> mult = pg.experiments_multiplier;
  if (!mult && dc.experiments_multiplier) {
    mult = dc.experiments_multiplier->value;
    if (notes)
      note_unique(*notes,
                  concat("program: experiments x ", cited{*mult, *dc.experiments_multiplier},
                         " the final run (no program.experiments_multiplier given)"));
  }
  if (final_run && mult) {
    check_experiments_multiplier(*mult);
    has(cost_method::program) = true;
    pl.program_of = *final_run;
    pl.experiments_multiplier = *mult;
    out.basis.emplace("program",
                      concat(basis, " x experiments multiplier, plus staff in the total"));
  }
  return out;
}

/// The scenario's [reliability] table resolved to numbers, with the catalogue's defaults
/// (calibrated on Llama 3) for what it leaves out, for `count` accelerators (which the goodput
/// is then computed at).
/// Throws: input_error without a count, or for values the model refuses.
inline reliability_plan reliability_plan_for(const reliability_inputs& r,
                                             std::optional<gpu_count> count,
                                             const datacenter_constants& dc,
                                             std::vector<std::string>& notes) {
  if (!count) throw input_error("[reliability] needs hardware.count to derive goodput");
  const double n = count->value();
  reliability_plan out;
  if (r.mtbf_hours_per_accelerator) {
    out.mtbf_hours_per_part = *r.mtbf_hours_per_accelerator;
  } else if (r.mtbf_hours_per_node) {
    if (!r.accelerators_per_node) {
      throw input_error("reliability.mtbf_hours_per_node needs reliability.accelerators_per_node");
    }
    out.mtbf_hours_per_part = *r.mtbf_hours_per_node;
    out.accelerators_per_part = *r.accelerators_per_node;
  } else if (dc.mtbf_hours_per_accelerator) {
    out.mtbf_hours_per_part = dc.mtbf_hours_per_accelerator->value;
  } else {
    throw input_error("[reliability] needs mtbf_hours_per_accelerator or mtbf_hours_per_node");
  }
  (void)out.model_at(n);  // system_mtbf() checks the MTBF and the count
  if (!r.mtbf_hours_per_accelerator && !r.mtbf_hours_per_node) {
    note_unique(notes,
                concat("reliability: MTBF ",
                       cited{dc.mtbf_hours_per_accelerator->value, *dc.mtbf_hours_per_accelerator},
                       " hours per accelerator (no reliability.mtbf_hours_per_accelerator)"));
  }
  auto minutes = [&](const std::optional<double>& given, const std::optional<sourced_value>& def,
                     const char* what) {
    if (given) return *given / 60.0;
    if (!def) throw input_error(std::string("[reliability] needs ") + what);
    note_unique(
        notes, concat("reliability: ", what, " ", cited{def->value, *def}, " minutes (not given)"));
    return def->value / 60.0;
  };
  out.checkpoint_write_hours =
      minutes(r.checkpoint_write_minutes, dc.checkpoint_write_minutes, "checkpoint_write_minutes");
  out.restart_hours = minutes(r.restart_minutes, dc.restart_minutes, "restart_minutes");
  if (r.checkpoint_interval_minutes) {
    out.checkpoint_interval_hours = *r.checkpoint_interval_minutes / 60.0;
  }
  return out;
}

}  // namespace detail
}  // namespace costmodel
