// SPDX-License-Identifier: MIT
// `costmodel sensitivity`: each uncertain input between its low and high value, as a tornado.
#include "sensitivity.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>

#include "app.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"
#include "report.hpp"
#include "uncertainty_report.hpp"

namespace costmodel::cli {
namespace {

constexpr std::size_t tornado_width = 40;
/// The outputs a sensitivity shows (the energy outputs are in the Monte Carlo only).
constexpr std::array<metric, 4> shown_metrics{metric::compute_flop, metric::gpu_hours,
                                              metric::wall_clock_days, metric::cost_usd_rental};

std::string people(metric m, double v) {
  if (std::isnan(v)) return "n/a";
  if (m == metric::cost_usd_rental) return usd(v);
  if (m == metric::wall_clock_days) return days(v);
  return human(v);
}

json outputs_json(const outputs& x) {
  auto o = json::object();
  for (auto m : shown_metrics) {
    const double v = x[m];
    const json n = std::isnan(v) ? json::null() : json::number(v);
    if (m == metric::cost_usd_rental) {
      auto c = json::object();
      c.add("rental", n);
      o.add("cost_usd", c);
    } else {
      o.add(std::string(metric_names[std::size_t(m)]), n);
    }
  }
  return o;
}

/// One tornado bar: '#' from the lower to the higher outcome, '|' at the point estimate.
std::string tornado_bar(double lo, double hi, double point, double min, double max) {
  std::string s(tornado_width, ' ');
  if (!(max > min)) return s;
  auto pos = [&](double v) {
    const double f = (v - min) / (max - min) * double(tornado_width - 1);
    return static_cast<std::size_t>(std::clamp(std::lround(f), 0L, long(tornado_width - 1)));
  };
  const auto a = pos(std::min(lo, hi));
  const auto b = pos(std::max(lo, hi));
  for (std::size_t i = a; i <= b; ++i) s[i] = '#';
  s[pos(point)] = '|';
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

CLI::App* add_sensitivity_command(CLI::App& app, options& o) {
  auto* sub = app.add_subcommand(
      "sensitivity",
      "Rank the uncertain inputs by how far each moves the cost between its low and high value");
  sub->add_option("scenario", o.scenarios, "Bundled id (gpt-4) or path to a .toml file")
      ->required()
      ->expected(1);
  sub->add_option("--range,-r", o.ranges,
                  "Make an input uncertain: KEY=LOW:HIGH[:uniform|triangular[:MODE]|lognormal]; "
                  "repeatable")
      ->allow_extra_args(false);
  sub->footer("Example: costmodel sensitivity gpt-4 --range pricing.usd_per_gpu_hour=1:2");
  sub->callback([&o] { o.command = "sensitivity"; });
  return sub;
}

std::string cmd_sensitivity(const options& o, const catalogue& cat) {
  const std::vector<override_entry> sets = overrides_of(o);
  auto s = load_scenario(o.scenarios.at(0), cat, sets);
  apply_ranges(o, s);
  const auto r = sensitivity(s, cat);
  const metric m = r.ranked_by;
  const std::string mname = m == metric::cost_usd_rental ? "rental cost" : "GPU-hours";

  if (o.format == output_format::json) {
    auto root = json::object();
    root.add("scenario", json::string(s.id)).add("name", json::string(s.name));
    root.add("ranked_by", json::string(std::string(metric_names[std::size_t(m)])));
    root.add("point", outputs_json(r.point));
    auto arr = json::array();
    for (const auto& row : r.rows) {
      auto x = json::object();
      x.add("key", json::string(row.key));
      x.add("dist", json::string(std::string(to_string(row.range.dist))));
      x.add("low", json::number(row.range.low)).add("high", json::number(row.range.high));
      x.add("point", json::number(row.point));
      x.add("at_low", outputs_json(row.at_low)).add("at_high", outputs_json(row.at_high));
      x.add("swing", json::number(row.swing));
      arr.push(x);
    }
    root.add("inputs", arr);
    root.add("not_propagated", strings_json(r.not_propagated));
    root.add("overrides", strings_json(s.overrides));
    return root.str() + "\n";
  }
  if (o.format == output_format::csv) {
    table t;
    t.header = {"scenario", "key", "dist", "low", "high", "point"};
    for (auto mm : shown_metrics) {
      t.header.push_back(std::string(metric_names[std::size_t(mm)]) + "_at_low");
      t.header.push_back(std::string(metric_names[std::size_t(mm)]) + "_at_high");
    }
    t.header.push_back("swing");
    for (const auto& row : r.rows) {
      std::vector<std::string> c{s.id,
                                 row.key,
                                 std::string(to_string(row.range.dist)),
                                 csv_number(row.range.low),
                                 csv_number(row.range.high),
                                 csv_number(row.point)};
      for (auto mm : shown_metrics) {
        c.push_back(std::isnan(row.at_low[mm]) ? "" : csv_number(row.at_low[mm]));
        c.push_back(std::isnan(row.at_high[mm]) ? "" : csv_number(row.at_high[mm]));
      }
      c.push_back(csv_number(row.swing));
      t.rows.push_back(std::move(c));
    }
    return render_csv(t);
  }

  const bool md = o.format == output_format::markdown;
  std::string out = md ? fmt::format("## Sensitivity: {} (`{}`)\n\n", s.name, s.id)
                       : fmt::format("Sensitivity: {} [{}]\n", s.name, s.id);
  out += fmt::format(
      "{} at the point estimate: {}; each input at its low and high value (lognormal: P5 and "
      "P95), the others at their point values; largest swing first.\n",
      mname, people(m, r.point[m]));
  if (!s.overrides.empty()) {
    out += "What-if: " + what_if(s.overrides) + "\n";
  }
  out += "\n";
  table t;
  t.header = {
      "input", "dist",        "low",         "high", "point", mname + " at low", mname + " at high",
      "swing", "days at low", "days at high"};
  double min = r.point[m];
  double max = r.point[m];
  for (const auto& row : r.rows) {
    min = std::min({min, row.at_low[m], row.at_high[m]});
    max = std::max({max, row.at_low[m], row.at_high[m]});
    t.rows.push_back({row.key, std::string(to_string(row.range.dist)), human(row.range.low),
                      human(row.range.high), human(row.point), people(m, row.at_low[m]),
                      people(m, row.at_high[m]), people(m, row.swing),
                      people(metric::wall_clock_days, row.at_low[metric::wall_clock_days]),
                      people(metric::wall_clock_days, row.at_high[metric::wall_clock_days])});
  }
  out += render_table(t, md);
  if (!md) {
    out += fmt::format("\nTornado of {} ({} to {}; '|' marks the point estimate):\n", mname,
                       people(m, min), people(m, max));
    std::size_t w = 0;
    for (const auto& row : r.rows) w = std::max(w, row.key.size());
    for (const auto& row : r.rows) {
      out += fmt::format("  {:<{}}  {}\n", row.key, w,
                         tornado_bar(row.at_low[m], row.at_high[m], r.point[m], min, max));
    }
  }
  std::vector<std::string> notes;
  for (const auto& k : r.not_propagated) {
    notes.push_back(k + ": a range on an input the model does not read here (not propagated)");
  }
  for (const auto& k : r.reported_ranges) {
    notes.push_back(k + ": a range on a reported figure, not an input");
  }
  if (!notes.empty()) out += "\n" + list_block("Not ranked", notes);
  return out;
}

}  // namespace costmodel::cli
