// SPDX-License-Identifier: MIT
// `costmodel sweep`: the estimate over a grid of input values, with bars of cost.
#include "sweep.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>

#include "app.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"
#include "report.hpp"

namespace costmodel::cli {
namespace {

constexpr std::size_t bar_width = 30;

/// The value of a bar: rental cost where known, else GPU-hours.
std::optional<double> bar_value(const phase_result& t, bool by_cost) {
  if (by_cost) return rental(t);
  return gpu_h(t.gpu_hours);
}

std::string bar(double v, double max) {
  if (!(max > 0.0) || !std::isfinite(v) || v <= 0.0) return "";
  const auto n = static_cast<std::size_t>(std::lround(v / max * double(bar_width)));
  return std::string(std::max<std::size_t>(n, 1), '#');
}

json value_json(const std::string& v) {
  if (auto n = parse_number(v)) return json::number(*n);
  return json::string(v);
}

}  // namespace

CLI::App* add_sweep_command(CLI::App& app, options& o) {
  auto* sub = app.add_subcommand(
      "sweep", "Estimate a scenario over a grid of input values (one row per combination)");
  sub->add_option("scenario", o.scenarios, "Bundled id (deepseek-v3) or path to a .toml file")
      ->required()
      ->expected(1);
  sub->add_option("--vary,-v", o.vary,
                  "KEY=START:STOP:STEP (STOP included) or KEY=A,B,C, with dotted keys as in the "
                  "file; two or more make a grid (at most " +
                      detail::integer_text(max_sweep_points) + " points)")
      ->required()
      ->allow_extra_args(false);
  sub->footer(
      "Examples:\n"
      "  costmodel sweep deepseek-v3 --vary efficiency.mfu=0.2:0.6:0.1 --format csv\n"
      "  costmodel sweep deepseek-v3 --vary hardware.accelerator=h800-sxm,h100-sxm,b200 "
      "--vary efficiency.mfu=0.3,0.4");
  sub->callback([&o] { o.command = "sweep"; });
  return sub;
}

std::string cmd_sweep(const options& o, const catalogue& cat) {
  std::vector<sweep_axis> axes;
  for (const auto& v : o.vary) axes.push_back(parse_sweep_axis(v));
  const std::vector<override_entry> base = overrides_of(o);
  const auto& id = o.scenarios.at(0);
  std::string name = id;
  std::vector<scenario> ss;  // the points that have an estimate, for the fairness warnings
  std::vector<estimate_result> es;
  const auto points = sweep(axes, [&](const std::vector<std::pair<std::string, std::string>>& kv) {
    auto sets = base;
    for (const auto& [k, v] : kv) sets.push_back({k, v});
    auto s = load_scenario(id, cat, sets);
    name = s.name;
    auto e = estimate(s, cat);
    ss.push_back(std::move(s));
    es.push_back(e);
    return e;
  });
  std::vector<std::string> bases;
  for (const auto& e : es) {
    if (std::find(bases.begin(), bases.end(), e.total.price_basis) == bases.end()) {
      bases.push_back(e.total.price_basis);
    }
  }
  const std::string dollars = es.empty() ? std::string("nominal") : es.front().dollars;
  std::string command = "costmodel sweep " + id;
  for (const auto& v : o.vary) command += " --vary " + v;
  const auto warnings = unfair_comparison(o, ss, es, command, true);

  bool by_cost = true;
  for (const auto& p : points) {
    if (p.result && !rental(p.result->total)) by_cost = false;
  }
  double max = 0.0;
  for (const auto& p : points) {
    if (p.result) max = std::max(max, bar_value(p.result->total, by_cost).value_or(0.0));
  }

  if (o.format == output_format::json) {
    auto root = json::object();
    root.add("scenario", json::string(id)).add("name", json::string(name));
    auto keys = json::array();
    for (const auto& a : axes) keys.push(json::string(a.key));
    root.add("vary", keys);
    root.add("overrides", strings_json(o.sets));
    root.add("price_basis", strings_json(bases));
    root.add("dollars", json::string(dollars));
    root.add("warnings", strings_json(warnings));
    auto arr = json::array();
    for (const auto& p : points) {
      auto x = json::object();
      auto vals = json::object();
      for (std::size_t i = 0; i < axes.size(); ++i) vals.add(axes[i].key, value_json(p.values[i]));
      x.add("values", vals);
      if (p.result) {
        x.extend(phase_json(p.result->total));
      } else {
        x.add("error", json::string(p.error));
      }
      arr.push(x);
    }
    root.add("points", arr);
    return root.str() + "\n";
  }
  if (o.format == output_format::csv) {
    table t;
    for (const auto& a : axes) t.header.push_back(a.key);
    std::vector<std::string> inner;
    for (const auto& p : points) {
      if (p.result) {
        inner = phase_table(*p.result, false).header;
        break;
      }
    }
    t.header.insert(t.header.end(), inner.begin(), inner.end());
    t.header.push_back("error");
    for (const auto& p : points) {
      std::vector<std::string> row = p.values;
      if (p.result) {
        const auto pt = phase_table(*p.result, false);
        row.insert(row.end(), pt.rows.back().begin(), pt.rows.back().end());
        row.emplace_back();
      } else {
        row.insert(row.end(), inner.size(), "");
        row.push_back(p.error);
      }
      t.rows.push_back(std::move(row));
    }
    return render_csv(t);
  }
  table t;
  std::vector<std::string> failed;
  for (const auto& a : axes) t.header.push_back(a.key);
  for (const char* h : {"compute FLOP", "GPU-hours", "MFU", "days", "rental"})
    t.header.push_back(h);
  t.header.push_back(by_cost ? "bar: rental" : "bar: GPU-hours");
  for (const auto& p : points) {
    std::vector<std::string> row = p.values;
    if (p.result) {
      const auto& r = p.result->total;
      row.push_back(r.compute_flop ? human(flop(*r.compute_flop)) : "n/a");
      row.push_back(human(gpu_h(r.gpu_hours)));
      row.push_back(r.mfu ? pct(*r.mfu) : "n/a");
      row.push_back(r.wall_clock ? days(days_of(*r.wall_clock)) : "n/a");
      row.push_back(opt_or(rental(r), usd));
      row.push_back(bar(bar_value(r, by_cost).value_or(0.0), max));
    } else {
      row.insert(row.end(), {"n/a", "n/a", "n/a", "n/a", "n/a", "(no estimate)"});
      failed.push_back(fmt::format("{}: {}", fmt::join(p.values, ", "), p.error));
    }
    t.rows.push_back(std::move(row));
  }
  std::string out =
      fmt::format("{} [{}]: {} point{}\n", name, id, points.size(), points.size() == 1 ? "" : "s");
  if (!o.sets.empty()) out += fmt::format("What-if: --set {}\n", fmt::join(o.sets, " --set "));
  out += fmt::format("Prices: {}; dollars: {}\n", fmt::join(bases, ", "),
                     dollars == "nominal" ? "nominal (--usd-year YEAR converts)" : dollars);
  for (const auto& w : warnings) out += "Warning: " + w + "\n";
  out += "\n";
  out += render_table(t, o.format == output_format::markdown);
  if (!failed.empty()) out += "\n" + list_block("Points without an estimate", failed);
  return out;
}

}  // namespace costmodel::cli
