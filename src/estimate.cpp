// SPDX-License-Identifier: MIT
// The model's orchestration, compiled once: estimate() and what it decides per phase (the plan,
// prices, power, costs and their texts). The declarations and the formulas stay in the headers
// (estimate.hpp, estimate_costs.hpp, pricing.hpp); a unit that calls estimate() now emits a call,
// not a copy of the whole estimate (it was emitted in some 24 of the project's objects).
#include "costmodel/estimate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace costmodel::detail {
std::optional<std::pair<double, std::string>> catalogue_price_of(const accelerator_spec& acc,
                                                                 const datacenter_constants& dc,
                                                                 price_basis kind,
                                                                 std::optional<int> year) {
  const std::string_view k = to_string(kind);
  if (year) {
    if (auto p = acc.prices.as_of(k, *year)) {
      return std::pair{p->value, std::string(k) + " price of " + p->date + " (" + p->source + ")"};
    }
  }
  {  // no dated price of that kind: the catalogue's undated list price
    const std::optional<price_rate>* field = nullptr;
    if (kind == price_basis::on_demand) field = &acc.prices.on_demand;
    if (kind == price_basis::one_year) field = &acc.prices.one_year;
    if (kind == price_basis::three_year) field = &acc.prices.three_year;
    if (kind == price_basis::gpu_cloud) field = &acc.prices.gpu_cloud;
    if (field && *field) {
      return std::pair{value_in(**field, units::usd_per_gpu_hour),
                       std::string(k) + " list price of the catalogue"};
    }
  }
  if (kind == price_basis::one_year || kind == price_basis::three_year) {
    const auto& d =
        kind == price_basis::one_year ? dc.commitment_discount_1y : dc.commitment_discount_3y;
    if (!d) return std::nullopt;
    for (auto from : {price_basis::on_demand, price_basis::gpu_cloud}) {
      if (auto p = catalogue_price_of(acc, dc, from, year)) {
        return std::pair{p->first * (1.0 - d->value),
                         p->second + " less the " + std::string(k) + " commitment discount " +
                             percent_number(d->value) + " (" + d->source + ")"};
      }
    }
  }
  return std::nullopt;
}
}  // namespace costmodel::detail

namespace costmodel {
price_choice choose_price(const run_inputs& in, const accelerator_spec& acc,
                          const datacenter_constants& dc, const scenario* sc) {
  price_choice out;
  std::optional<price_basis> asked = in.price_basis;
  if (!asked && in.rental_kind) asked = parse_price_basis(*in.rental_kind);
  if (!asked && in.price_as_of) asked = price_basis::on_demand;
  const bool price_here = detail::set_in_command(sc, "pricing.usd_per_gpu_hour");
  if (in.price && (price_here || asked == price_basis::input)) {
    out.price = in.price;
    out.basis = "input";
    out.source =
        price_here ? "pricing.usd_per_gpu_hour, set in this command" : "pricing.usd_per_gpu_hour";
    return out;
  }
  price_basis b = asked.value_or(price_basis::reported);
  const bool moved = in.reported_on.accelerator && *in.reported_on.accelerator != acc.id;
  if (b == price_basis::input) {
    out.note = "price: not computed: pricing.basis = \"input\" needs pricing.usd_per_gpu_hour";
    return out;
  }
  if (b == price_basis::reported) {
    if (in.price && !moved) {
      out.price = in.price;
      out.basis = "reported";
      out.source = "the run's own price (pricing.usd_per_gpu_hour)";
      return out;
    }
    b = default_price_basis;
    out.note = in.price ? "price: the scenario's " +
                              detail::usd_rate_text(value_in(*in.price, units::usd_per_gpu_hour)) +
                              " per GPU-hour was published for " + *in.reported_on.accelerator +
                              ", so " + acc.id +
                              " is priced on the default basis, its 3-year committed price at "
                              "acquisition (set pricing.usd_per_gpu_hour in the same command to "
                              "keep a price)"
                        : "price: no published price, so the default basis: the 3-year committed "
                          "price of " +
                              acc.id +
                              " at acquisition, as Epoch AI's cloud method (give "
                              "pricing.usd_per_gpu_hour or pricing.basis)";
  }
  std::optional<int> year = in.price_as_of;
  if (!year && sc && sc->costs.ownership.acquisition_date) {
    year = year_of(*sc->costs.ownership.acquisition_date);
  }
  if (auto p = detail::catalogue_price_of(acc, dc, b, year)) {
    out.price = price_rate_from_usd_per_gpu_hour(p->first);
    out.basis = std::string(to_string(b));
    out.source = std::move(p->second);
    const std::string line = "price: " + acc.id + " at " + detail::usd_rate_text(p->first) +
                             " per GPU-hour, the " + out.source;
    out.note = out.note.empty() ? line : out.note + "; " + line.substr(7);
  } else {
    out.note = "price: not computed: no " + std::string(to_string(b)) + " price for " + acc.id +
               " in the catalogue (give pricing.usd_per_gpu_hour)";
  }
  return out;
}
}  // namespace costmodel

namespace costmodel {
double usd_year_factor(const datacenter_constants& dc, int from, int to,
                       std::vector<std::string>& notes) {
  if (dc.ppi_by_year.empty()) {
    throw input_error("pricing.usd_year: the catalogue has no [inflation.ppi] table");
  }
  const int first = dc.ppi_by_year.begin()->first;
  const int last = dc.ppi_by_year.rbegin()->first;
  auto at = [&](int y, const char* what) {
    if (y < first || (y > last && std::string_view(what) == "to")) {
      throw input_error("pricing.usd_year: no PPI for " + detail::integer_text(y) +
                        "; expected a year in " + detail::integer_text(first) + "-" +
                        detail::integer_text(last));
    }
    if (y > last) {
      detail::add_note(notes, "dollars: no PPI for " + detail::integer_text(y) + " yet, so " +
                                  detail::integer_text(y) + " dollars are taken as " +
                                  detail::integer_text(last) + " dollars");
      y = last;
    }
    return dc.ppi_by_year.at(y).value;
  };
  const double f = at(to, "to") / at(from, "from");
  if (!std::isfinite(f) || !(f > 0.0)) throw input_error("pricing.usd_year: bad PPI table");
  return f;
}
}  // namespace costmodel

namespace costmodel::detail {
std::optional<std::pair<price_rate, std::string>> catalogue_rental(const accelerator_spec& acc,
                                                                   std::string_view kind,
                                                                   std::optional<int> as_of) {
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
}  // namespace costmodel::detail

namespace costmodel::detail {
std::optional<power_model> power_for(const accelerator_spec& acc, const scenario& s,
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
}  // namespace costmodel::detail

namespace costmodel::detail {
phase_cost_texts plan_phase_costs(const run_inputs& in, const scenario& s,
                                  const accelerator_spec& acc, const catalogue& cat, bool priced,
                                  phase_plan& pl, std::vector<std::string>* notes) {
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
}  // namespace costmodel::detail

namespace costmodel::detail {
reliability_plan reliability_plan_for(const reliability_inputs& r, std::optional<gpu_count> count,
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
}  // namespace costmodel::detail

namespace costmodel::detail {
run_inputs merge_phase(const run_inputs& top, const run_inputs& ph) {
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
}  // namespace costmodel::detail

namespace costmodel::detail {
double mfu_per_utilisation_input(const run_inputs& in, const scenario* sc, const phase_plan& pl,
                                 const std::string& name, std::vector<std::string>& assumptions) {
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
}  // namespace costmodel::detail

namespace costmodel::detail {
implied_figures implied_for(const reported_figures& rep, std::string_view accelerator,
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
}  // namespace costmodel::detail

namespace costmodel::detail {
void implied_grid(phase_result& r, const std::optional<power_model>& power) {
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
}  // namespace costmodel::detail

namespace costmodel::detail {
std::optional<price_rate> decide_price(const run_inputs& in, const accelerator_spec& acc,
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
}  // namespace costmodel::detail

namespace costmodel::detail {
phase_result estimate_phase(const run_inputs& in, reported_figures reported,
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
}  // namespace costmodel::detail

namespace costmodel::detail {
void require_finite(const phase_result& p) {
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
}  // namespace costmodel::detail

namespace costmodel::detail {
estimate_result estimate_unnamed(const scenario& s, const catalogue& cat, run_plan* plan) {
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
}  // namespace costmodel::detail

namespace costmodel {
estimate_result estimate(const scenario& s, const catalogue& cat) {
  try {
    return detail::estimate_unnamed(s, cat);
  } catch (const input_error& e) {
    if (s.source_file.empty()) throw;
    throw input_error(s.source_file + ": " + e.what());
  }
}
}  // namespace costmodel

namespace costmodel {
estimate_result estimate(const scenario& s, const catalogue& cat, run_plan& plan) {
  try {
    return detail::estimate_unnamed(s, cat, &plan);
  } catch (const input_error& e) {
    if (s.source_file.empty()) throw;
    throw input_error(s.source_file + ": " + e.what());
  }
}
}  // namespace costmodel
