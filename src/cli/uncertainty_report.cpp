// SPDX-License-Identifier: MIT
// Uncertainty in the calculator: --range, --seed and --samples, and P5/P50/P95 in every format.
#include "uncertainty_report.hpp"

#include <fmt/format.h>

#include <cmath>

#include "report.hpp"

namespace costmodel::cli {
namespace {

/// The cost method of a cost metric ("rental"), or nullptr for another metric: costs go into
/// the `cost_usd_p5` object beside `cost_usd`.
const char* cost_method(metric m) {
  if (const auto c = cost_method_of(m)) return to_string(*c).data();
  return nullptr;
}

std::string label(metric m) {
  switch (m) {
    case metric::compute_flop:
      return "compute FLOP";
    case metric::gpu_hours:
      return "GPU-hours";
    case metric::wall_clock_days:
      return "wall-clock days";
    case metric::cost_usd_rental:
      return "rental cost";
    case metric::energy_kwh:
      return "energy kWh";
    case metric::cost_usd_energy:
      return "energy cost";
    case metric::emissions_tco2e:
      return "emissions tCO2e";
    case metric::cost_usd_ownership:
      return "ownership cost";
    case metric::cost_usd_purchase:
      return "purchase cost";
    case metric::cost_usd_program:
      return "program cost";
    case metric::cost_usd_rental_on_demand:
      return "rental, on-demand list";
    case metric::cost_usd_rental_1y:
      return "rental, 1-year commitment";
    case metric::cost_usd_rental_3y:
      return "rental, 3-year commitment";
    case metric::cost_usd_rental_gpu_cloud:
      return "rental, GPU cloud";
    case metric::emissions_market_tco2e:
      return "emissions tCO2e, market";
  }
  return "?";
}

std::string people(metric m, double v) {
  if (cost_method(m)) return usd(v);
  if (m == metric::wall_clock_days) return days(v);
  return human(v);
}

std::optional<double> point_of(const phase_result& p, metric m) {
  switch (m) {
    case metric::compute_flop:
      return p.compute_flop ? std::optional(flop(*p.compute_flop)) : std::nullopt;
    case metric::gpu_hours:
      return gpu_h(p.gpu_hours);
    case metric::wall_clock_days:
      return p.wall_clock ? std::optional(days_of(*p.wall_clock)) : std::nullopt;
    case metric::cost_usd_rental:
      return rental(p);
    case metric::energy_kwh:
      return p.energy_kwh;
    case metric::cost_usd_energy:
      return cost_of(p, "energy");
    case metric::emissions_tco2e:
      return p.emissions_tco2e;
    case metric::emissions_market_tco2e:
      return p.emissions_market_tco2e;
    case metric::cost_usd_ownership:
    case metric::cost_usd_purchase:
    case metric::cost_usd_program:
    case metric::cost_usd_rental_on_demand:
    case metric::cost_usd_rental_1y:
    case metric::cost_usd_rental_3y:
    case metric::cost_usd_rental_gpu_cloud:
      return cost_of(p, std::string(to_string(*cost_method_of(m))));
  }
  return std::nullopt;
}

}  // namespace

void apply_ranges(const options& o, scenario& s) {
  for (const auto& text : o.ranges) {
    auto [key, r] = parse_range(text);
    add_range(s, key, r);
  }
}

std::optional<uncertainty_result> run_uncertainty(const options& o, const scenario& s,
                                                  const catalogue& cat) {
  if (o.samples == 0 || s.ranges.empty()) return std::nullopt;
  auto u = monte_carlo(s, cat, mc_settings{o.seed, o.samples});
  if (!u.any() && u.reported_ranges.empty() && u.not_propagated.empty()) return std::nullopt;
  // Samples far out (a lognormal from 1e-300 to 1e300) overflow or underflow: refused with the
  // ranges named, never printed as inf, -nan or a cost of $0.
  auto check = [&](const output_percentiles& p) {
    for (auto m : all_metrics) {
      const auto& q = p[std::size_t(m)];
      if (!q) continue;
      for (double v : {q->p5, q->p50, q->p95}) {
        const bool positive = m == metric::compute_flop || m == metric::gpu_hours;
        if (std::isfinite(v) && (!positive || v > 0.0)) continue;
        std::string keys;
        for (const auto& k : u.keys) keys += (keys.empty() ? "" : ", ") + k;
        throw input_error("the Monte Carlo's " + label(m) + " is " +
                          (std::isfinite(v) ? "zero (an underflow)" : "not a finite number") +
                          " in some samples: the ranges on " + keys +
                          " reach beyond what a double holds; expected ranges of realistic "
                          "magnitude");
      }
    }
  };
  check(u.total);
  for (const auto& p : u.phases) check(p);
  return u;
}

void add_percentiles(json& o, const output_percentiles& p) {
  std::array<json, 3> cost{json::object(), json::object(), json::object()};
  bool any_cost = false;
  for (auto m : all_metrics) {
    const auto& q = p[std::size_t(m)];
    if (!q) continue;
    const std::array<std::pair<const char*, double>, 3> parts{
        {{"_p5", q->p5}, {"_p50", q->p50}, {"_p95", q->p95}}};
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const auto& [suffix, v] = parts[i];
      if (const char* method = cost_method(m)) {
        cost[i].add(method, json::number(v));
        any_cost = true;
      } else {
        o.add(std::string(metric_names[std::size_t(m)]) + suffix, json::number(v));
      }
    }
  }
  if (any_cost) {
    o.add("cost_usd_p5", cost[0]).add("cost_usd_p50", cost[1]).add("cost_usd_p95", cost[2]);
  }
}

json uncertainty_json(const scenario& s, const uncertainty_result& u) {
  auto o = json::object();
  o.add("samples", json::number(double(u.samples)));
  o.add("seed", json::integer(u.seed));
  o.add("percentiles", json::string("linear interpolation between order statistics (Hyndman and "
                                    "Fan 1996, definition 7)"));
  auto inputs = json::array();
  for (std::size_t i = 0; i < u.keys.size(); ++i) {
    const auto& r = u.ranges[i];
    auto x = json::object();
    x.add("key", json::string(u.keys[i]));
    x.add("dist", json::string(std::string(to_string(r.dist))));
    x.add("low", json::number(r.low)).add("high", json::number(r.high));
    x.add("mode", json::number(r.mode));
    x.add("point", json::number(u.point_values[i]));
    inputs.push(x);
  }
  o.add("inputs", inputs);
  o.add("not_propagated", strings_json(u.not_propagated));
  auto rep = json::array();
  for (const auto& k : u.reported_ranges) {
    const auto& r = s.ranges.at(k);
    auto x = json::object();
    x.add("key", json::string(k));
    x.add("dist", json::string(std::string(to_string(r.dist))));
    x.add("low", json::number(r.low)).add("high", json::number(r.high));
    rep.push(x);
  }
  o.add("reported_ranges", rep);
  return o;
}

std::vector<std::string> percentile_header() {
  std::vector<std::string> h;
  for (auto m : all_metrics) {
    for (const char* s : {"_p5", "_p50", "_p95"}) {
      h.push_back(std::string(metric_names[std::size_t(m)]) + s);
    }
  }
  return h;
}

std::vector<std::string> percentile_cells(const output_percentiles* p) {
  std::vector<std::string> c;
  for (auto m : all_metrics) {
    const auto* q = p ? &(*p)[std::size_t(m)] : nullptr;
    if (q && *q) {
      c.push_back(csv_number((*q)->p5));
      c.push_back(csv_number((*q)->p50));
      c.push_back(csv_number((*q)->p95));
    } else {
      c.insert(c.end(), 3, "");
    }
  }
  return c;
}

std::string uncertainty_text(const scenario& s, const estimate_result& e,
                             const uncertainty_result& u, bool markdown) {
  std::string out;
  if (u.any()) {
    out +=
        fmt::format("\nUncertainty: {} Monte Carlo samples, seed {}; inputs drawn independently\n",
                    u.samples, u.seed);
    table in;
    in.header = {"uncertain input", "dist", "low", "high", "point"};
    for (std::size_t i = 0; i < u.keys.size(); ++i) {
      const auto& r = u.ranges[i];
      std::string d(to_string(r.dist));
      if (r.mode) d += " (mode " + human(*r.mode) + ")";
      if (r.dist == distribution::lognormal) d += " (low, high = P5, P95)";
      in.rows.push_back({u.keys[i], d, human(r.low), human(r.high), human(u.point_values[i])});
    }
    out += (markdown ? "\n" : "") + render_table(in, markdown);
    table t;
    t.header = {"output", "point", "P5", "P50", "P95"};
    for (auto m : all_metrics) {
      const auto& q = u.total[std::size_t(m)];
      const auto pt = point_of(e.total, m);
      if (!q || !pt) continue;
      t.rows.push_back(
          {label(m), people(m, *pt), people(m, q->p5), people(m, q->p50), people(m, q->p95)});
    }
    out += "\n" + (render_table(t, markdown));
  }
  std::vector<std::string> notes;
  for (const auto& k : u.reported_ranges) {
    const auto& r = s.ranges.at(k);
    std::string line = fmt::format("{} {} to {}", k, human(r.low), human(r.high));
    const auto sub = k.substr(k.rfind('.') + 1);
    const auto& q = sub == "wall_clock_days" ? u.total[std::size_t(metric::wall_clock_days)]
                    : sub == "gpu_hours"     ? u.total[std::size_t(metric::gpu_hours)]
                    : sub == "compute_flop"  ? u.total[std::size_t(metric::compute_flop)]
                    : sub == "cost_usd"      ? u.total[std::size_t(metric::cost_usd_rental)]
                                             : std::optional<percentiles>{};
    if (q && k.rfind("phases.", 0) != 0) {
      const metric m = sub == "wall_clock_days" ? metric::wall_clock_days
                       : sub == "gpu_hours"     ? metric::gpu_hours
                       : sub == "compute_flop"  ? metric::compute_flop
                                                : metric::cost_usd_rental;
      line += fmt::format(" (modelled P5 to P95: {} to {})", people(m, q->p5), people(m, q->p95));
    }
    notes.push_back(line);
  }
  for (const auto& k : u.not_propagated) {
    notes.push_back(k + ": a range on an input the model does not read here (not propagated)");
  }
  if (!notes.empty()) out += "\n" + list_block("Ranges that the model does not propagate", notes);
  return out;
}

}  // namespace costmodel::cli
