// SPDX-License-Identifier: MIT
// The calculator: parses the command line, calls the library, renders tables, JSON, CSV and
// Markdown. Output is built whole and printed only on success, so an error leaves stdout empty.
#include "app.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <new>
#include <string>
#include <system_error>
#include <vector>

#include "audit.hpp"
#include "costmodel/audit.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"
#include "costmodel/version.hpp"
#include "plan.hpp"
#include "render.hpp"
#include "report.hpp"
#include "sensitivity.hpp"
#include "sweep.hpp"
#include "trends.hpp"
#include "uncertainty_report.hpp"

namespace costmodel::cli {

std::vector<override_entry> overrides_of(const options& o) {
  std::vector<override_entry> out;
  if (!o.price_basis.empty()) out.push_back({"pricing.basis", o.price_basis});
  if (o.usd_year) out.push_back({"pricing.usd_year", detail::integer_text(*o.usd_year)});
  for (const auto& s : o.sets) out.push_back(parse_override(s));
  return out;
}

namespace {

void add_price_options(CLI::App* sub, options& opts) {
  sub->add_option("--price-basis", opts.price_basis,
                  "Price every run on this basis (sets pricing.basis): reported, input, "
                  "on-demand, 1y, 3y or gpu-cloud (compare's default: 3y for every run)")
      ->check(CLI::IsMember({"reported", "input", "on-demand", "1y", "3y", "gpu-cloud"}));
  sub->add_option("--usd-year", opts.usd_year,
                  "Print dollars of this year, converted with the US PPI for data processing and "
                  "hosting (BLS PCU518210518210; sets pricing.usd_year); default nominal");
}
// ---------------------------------------------------------------------------------------------
// Commands.

/// `estimate --brief`: the answer first, at most eight lines.
std::string estimate_brief(const options& o, const scenario& s, const estimate_result& e) {
  const auto& t = e.total;
  std::string out = fmt::format("{} [{}]: {} rental, {} GPU-hours on {}", s.name, s.id,
                                opt_or(rental(t), usd), human(gpu_h(t.gpu_hours)), t.accelerator);
  if (t.price)
    out += fmt::format(" at {} per GPU-hour ({})", rate(per_hour(*t.price)), t.price_basis);
  out += "\n";
  if (t.compute_flop) {
    out += fmt::format("Compute: {} FLOP ({}){}\n", human(flop(*t.compute_flop)), t.compute_basis,
                       t.wall_clock ? ", " + days(days_of(*t.wall_clock)) + " days" : "");
  }
  out += model_kind_line(s);
  const auto w = run_warnings(s, e);
  if (!w.empty()) {
    out += "Warning: " + w.front() +
           (w.size() > 1 ? fmt::format(" (and {} more)", w.size() - 1) : "") + "\n";
  }
  out += "Sources: " + source_tags(s.sources) + "\n";
  out += "Full report: costmodel estimate " + o.scenarios.at(0) + "\n";
  return out;
}

std::string cmd_estimate(const options& o, const catalogue& cat) {
  check_brief_format(o.brief, o.format == output_format::json || o.format == output_format::csv);
  auto s = load_scenario(o.scenarios.at(0), cat, overrides_of(o));
  apply_ranges(o, s);
  const auto e = estimate(s, cat);
  if (o.brief) return estimate_brief(o, s, e);
  const auto u = run_uncertainty(o, s, cat);
  switch (o.format) {
    case output_format::json:
      return estimate_json(s, e, u ? &*u : nullptr).str() + "\n";
    case output_format::csv: {
      auto t = phase_table(e, false);
      if (u && u->any()) {
        const auto h = percentile_header();
        t.header.insert(t.header.end(), h.begin(), h.end());
        for (std::size_t i = 0; i < t.rows.size(); ++i) {
          const auto c = percentile_cells(i < u->phases.size() ? &u->phases[i] : &u->total);
          t.rows[i].insert(t.rows[i].end(), c.begin(), c.end());
        }
      }
      return render_csv(t);
    }
    case output_format::markdown:
      return estimate_text(s, e, cat, true, u ? uncertainty_text(s, e, *u, true) : "");
    default:
      return estimate_text(s, e, cat, false, u ? uncertainty_text(s, e, *u, false) : "");
  }
}

/// The what-if overrides that put scenario `id` on `--same-price` / `--same-hardware`, with a
/// note for each change the reader should know of.
std::vector<override_entry> same_basis(const options& o, const std::string& id,
                                       const catalogue& cat,
                                       const std::vector<override_entry>& sets,
                                       std::vector<std::string>& notes) {
  (void)id;
  (void)notes;
  auto out = sets;
  if (o.same_price) {
    if (!std::isfinite(*o.same_price) || *o.same_price <= 0.0) {
      throw input_error("--same-price: expected a positive USD per GPU-hour, got " +
                        machine(*o.same_price));
    }
    out.push_back({"pricing.usd_per_gpu_hour", machine(*o.same_price)});
  }
  if (!o.same_hardware.empty()) {
    // The precision falls back in estimate() by the one rule of every command, with a note.
    const auto& acc = cat.at(o.same_hardware);  // throws input_error naming the known ids
    out.push_back({"hardware.accelerator", acc.id});
  }
  return out;
}

std::string per_unit(const std::optional<money>& m, bool partial) {
  if (!m) return "n/a";
  return usd(dollars(*m)) + (partial ? " (partial)" : "");
}

}  // namespace

/// What a comparison's scenarios differ in that makes their costs unfair to set side by side:
/// price bases, dollars of different years, prices published for different accelerators; each
/// with the command that re-costs them on one basis.
std::vector<std::string> unfair_comparison(const options& o, const std::vector<scenario>& ss,
                                           const std::vector<estimate_result>& es,
                                           const std::string& command, bool one_run) {
  const char* what = one_run ? "points" : "scenarios";
  std::vector<std::string> out;
  if (es.size() < 2) return out;
  std::vector<std::string> bases;
  std::vector<std::string> years;
  std::vector<std::string> accs;
  bool own_prices = false;
  for (std::size_t i = 0; i < es.size(); ++i) {
    const auto& b = es[i].total.price_basis;
    if (std::find(bases.begin(), bases.end(), b) == bases.end()) bases.push_back(b);
    own_prices |= b == "reported" || b == "input";
    const std::string y = es[i].dollars != "nominal"
                              ? es[i].dollars
                              : (ss[i].date.size() >= 4 ? ss[i].date.substr(0, 4) : "?");
    if (std::find(years.begin(), years.end(), y) == years.end()) years.push_back(y);
    const auto& a = es[i].total.accelerator;
    if (std::find(accs.begin(), accs.end(), a) == accs.end()) accs.push_back(a);
  }
  const std::string fix = command + " --price-basis 3y --usd-year 2023";
  if (bases.size() > 1) {
    out.push_back(
        fmt::format("the {} are priced on different bases ({}); re-cost them on "
                    "one: {}",
                    what, fmt::join(bases, ", "), fix));
  } else if (own_prices && !(one_run && accs.size() == 1)) {
    out.push_back(
        fmt::format("each {} is priced at its own {} price, not on one basis; "
                    "re-cost them on one: {}",
                    one_run ? "point" : "scenario", bases.front(), fix));
  }
  if (own_prices && years.size() > 1 && !o.usd_year) {
    out.push_back(
        fmt::format("the prices are nominal dollars of different years ({}); convert "
                    "them: {}",
                    fmt::join(years, ", "), fix));
  }
  if (own_prices && accs.size() > 1) {
    out.push_back(
        fmt::format("the own prices were published for different accelerators ({}); "
                    "one catalogue basis prices each the same way: {}",
                    fmt::join(accs, ", "), fix));
  }
  return out;
}

namespace {

std::string cmd_compare(const options& o, const catalogue& cat) {
  check_brief_format(o.brief, o.format == output_format::json || o.format == output_format::csv);
  auto sets = overrides_of(o);
  bool basis_given = !o.price_basis.empty();
  for (const auto& e : sets) basis_given |= e.key == "pricing.basis";
  // One basis for every scenario unless told otherwise (--price-basis reported compares the
  // runs' own prices); a price set in the command (--same-price, --set) still wins.
  if (!basis_given) {
    sets.insert(sets.begin(), {"pricing.basis", std::string(to_string(default_price_basis))});
  }
  std::vector<scenario> ss;
  std::vector<estimate_result> es;
  std::vector<normalised_costs> ns;
  std::vector<std::string> basis_notes;
  std::vector<std::optional<uncertainty_result>> us;
  bool any_u = false;
  for (const auto& id : o.scenarios) {
    ss.push_back(load_scenario(id, cat, same_basis(o, id, cat, sets, basis_notes)));
    apply_ranges(o, ss.back());
    es.push_back(estimate(ss.back(), cat));
    ns.push_back(normalise(ss.back(), es.back()));
    us.push_back(run_uncertainty(o, ss.back(), cat));
    if (us.back() && us.back()->any()) any_u = true;
  }
  std::string command = "costmodel compare";
  for (const auto& id : o.scenarios) command += " " + id;
  const auto warnings = unfair_comparison(o, ss, es, command, false);
  if (o.brief) {
    // At most eight lines: one per scenario up to six, then the basis and the sources.
    std::string out;
    const std::size_t shown = std::min<std::size_t>(es.size(), 6);
    for (std::size_t i = 0; i < shown; ++i) {
      const auto& t = es[i].total;
      out += fmt::format("{}: {} rental, {} GPU-hours on {} at {}\n", es[i].id,
                         opt_or(rental(t), usd), human(gpu_h(t.gpu_hours)), t.accelerator,
                         t.price ? rate(per_hour(*t.price)) + "/GPU-hour" : "n/a");
    }
    if (es.size() > shown) out += fmt::format("... and {} more\n", es.size() - shown);
    out += fmt::format("Price basis: {}{}\n", es.front().total.price_basis,
                       warnings.empty() ? "" : " (warning: " + warnings.front() + ")");
    std::vector<std::string> srcs;
    for (const auto& sc : ss) srcs.push_back(sc.id + ": " + source_tags(sc.sources));
    out += "Sources: " + fmt::format("{}", fmt::join(srcs, "; ")) + "\n";
    return out;
  }
  if (!o.same_hardware.empty()) {
    for (const auto& e : es) {
      for (const auto& p : e.phases) {
        if (p.gpu_hours_basis == "reported") {
          basis_notes.push_back(e.id + ": phase '" + p.name +
                                "' has no compute to re-model, so its reported GPU-hours on the "
                                "original hardware are kept");
        }
      }
    }
  }
  std::string same;
  if (o.same_price)
    same += fmt::format("Same price: {} per GPU-hour for every scenario\n", rate(*o.same_price));
  if (!o.same_hardware.empty()) {
    same += fmt::format("Same hardware: {} for every scenario\n", o.same_hardware);
  }
  auto u_of = [&](std::size_t i) { return us[i] ? &*us[i] : nullptr; };
  if (o.format == output_format::json) {
    auto arr = json::array();
    auto opt_usd = [](const std::optional<money>& m) {
      return m ? json::number(dollars(*m)) : json::null();
    };
    for (std::size_t i = 0; i < ss.size(); ++i) {
      auto x = estimate_json(ss[i], es[i], u_of(i));
      auto n = json::object();
      n.add("cost_usd_per_1e24_flop", opt_usd(ns[i].per_1e24_flop));
      n.add("cost_usd_per_trillion_tokens", opt_usd(ns[i].per_trillion_tokens));
      n.add("cost_usd_per_billion_active_parameters", opt_usd(ns[i].per_billion_active_parameters));
      n.add("compute_partial", json::boolean(ns[i].compute_partial));
      n.add("tokens_partial", json::boolean(ns[i].tokens_partial));
      x.add("normalised", n);
      x.add("own_usd_per_gpu_hour",
            ss[i].base.price ? json::number(per_hour(*ss[i].base.price)) : json::null());
      arr.push(x);
    }
    auto root = json::object();
    root.add("scenarios", arr);
    root.add("same_price_usd_per_gpu_hour",
             o.same_price ? json::number(*o.same_price) : json::null());
    root.add("same_hardware",
             o.same_hardware.empty() ? json::null() : json::string(o.same_hardware));
    root.add("notes", strings_json(basis_notes));
    root.add("warnings", strings_json(warnings));
    return root.str() + "\n";
  }
  if (o.format == output_format::csv) {
    table all;
    auto opt_usd = [](const std::optional<money>& m) {
      return m ? csv_number(dollars(*m)) : std::string();
    };
    for (std::size_t i = 0; i < es.size(); ++i) {
      auto t = phase_table(es[i], false);
      all.header = t.header;
      for (const char* h : {"cost_usd_per_1e24_flop", "cost_usd_per_trillion_tokens",
                            "cost_usd_per_billion_active_parameters"}) {
        all.header.push_back(h);
      }
      auto row = t.rows.back();  // the total
      row.push_back(opt_usd(ns[i].per_1e24_flop));
      row.push_back(opt_usd(ns[i].per_trillion_tokens));
      row.push_back(opt_usd(ns[i].per_billion_active_parameters));
      all.rows.push_back(std::move(row));
      if (any_u) {
        const auto c = percentile_cells(u_of(i) ? &us[i]->total : nullptr);
        all.rows.back().insert(all.rows.back().end(), c.begin(), c.end());
      }
    }
    if (any_u) {
      const auto h = percentile_header();
      all.header.insert(all.header.end(), h.begin(), h.end());
    }
    return render_csv(all);
  }
  table t;
  t.header.push_back("");
  for (const auto& e : es) t.header.push_back(e.id);
  auto add = [&](const std::string& label, auto&& cell) {
    std::vector<std::string> r{label};
    for (const auto& e : es) r.push_back(cell(e.total));
    t.rows.push_back(std::move(r));
  };
  add("accelerator", [](const phase_result& p) { return p.accelerator; });
  add("count", [](const phase_result& p) { return p.count ? grouped(p.count->value()) : "n/a"; });
  add("precision", [](const phase_result& p) {
    return p.precision ? std::string(to_string(*p.precision)) : "mixed";
  });
  add("compute FLOP",
      [](const phase_result& p) { return p.compute_flop ? human(flop(*p.compute_flop)) : "n/a"; });
  add("GPU-hours", [](const phase_result& p) { return human(gpu_h(p.gpu_hours)); });
  add("GPU-hours basis", [](const phase_result& p) { return p.gpu_hours_basis; });
  add("MFU", [](const phase_result& p) { return p.mfu ? pct(*p.mfu) : "n/a"; });
  add("wall-clock days",
      [](const phase_result& p) { return p.wall_clock ? days(days_of(*p.wall_clock)) : "n/a"; });
  add("USD per GPU-hour",
      [](const phase_result& p) { return p.price ? rate(per_hour(*p.price)) : "n/a"; });
  add("price basis", [](const phase_result& p) { return p.price_basis; });
  {
    std::vector<std::string> r{"own price per GPU-hour"};  // the run's reported price, beside
    for (const auto& sc : ss) {
      r.push_back(sc.base.price ? rate(per_hour(*sc.base.price)) : "n/a");
    }
    t.rows.push_back(std::move(r));
  }
  {
    std::vector<std::string> r{"dollars"};
    for (const auto& e : es) r.push_back(e.dollars);
    t.rows.push_back(std::move(r));
  }
  add("rental cost", [](const phase_result& p) { return opt_or(rental(p), usd); });
  add("ownership cost", [](const phase_result& p) { return opt_or(cost_of(p, "ownership"), usd); });
  add("purchase cost", [](const phase_result& p) { return opt_or(cost_of(p, "purchase"), usd); });
  add("energy cost", [](const phase_result& p) { return opt_or(cost_of(p, "energy"), usd); });
  add("program cost", [](const phase_result& p) { return opt_or(cost_of(p, "program"), usd); });
  add("energy MWh", [](const phase_result& p) {
    return p.energy_kwh ? human(*p.energy_kwh / 1000.0) : std::string("n/a");
  });
  add("emissions tCO2e", [](const phase_result& p) {
    return p.emissions_tco2e ? human(*p.emissions_tco2e) : std::string("n/a");
  });
  add("goodput", [](const phase_result& p) {
    return pct(p.goodput.ratio()) + (p.goodput_basis == "default" ? "" : " " + p.goodput_basis);
  });
  add("FLOP convention", [](const phase_result& p) {
    return p.flop_convention.empty() ? std::string("as given") : p.flop_convention;
  });
  add("reported GPU-hours", [](const phase_result& p) {
    return p.reported.gpu_hours ? human(gpu_h(*p.reported.gpu_hours)) : "n/a";
  });
  add("reported cost", [](const phase_result& p) {
    return p.reported.cost ? usd(dollars(*p.reported.cost)) : "n/a";
  });
  add("implied MFU", [](const phase_result& p) {
    return p.implied.mfu && p.implied.mfu_precision
               ? pct(*p.implied.mfu) + " of " + std::string(to_string(*p.implied.mfu_precision))
               : "n/a";
  });
  const std::pair<const char*, int> per[] = {{"cost per 1e24 FLOP", 0},
                                             {"cost per trillion tokens", 1},
                                             {"cost per billion active parameters", 2}};
  for (const auto& [label, k] : per) {
    std::vector<std::string> r{label};
    for (const auto& n : ns) {
      if (k == 0) r.push_back(per_unit(n.per_1e24_flop, n.compute_partial));
      if (k == 1) r.push_back(per_unit(n.per_trillion_tokens, n.tokens_partial));
      if (k == 2) r.push_back(per_unit(n.per_billion_active_parameters, false));
    }
    t.rows.push_back(std::move(r));
  }
  if (any_u) {
    // P5 to P95 of the Monte Carlo, beside the point rows above.
    auto add_u = [&](const std::string& label, metric m, std::string (*f)(double), bool median) {
      std::vector<std::string> r{label};
      for (std::size_t i = 0; i < es.size(); ++i) {
        const auto& q = us[i] ? us[i]->total[static_cast<std::size_t>(m)] : std::nullopt;
        r.push_back(!q ? "n/a" : median ? f(q->p50) : f(q->p5) + " to " + f(q->p95));
      }
      t.rows.push_back(std::move(r));
    };
    add_u("GPU-hours P5 to P95", metric::gpu_hours, human, false);
    add_u("days P5 to P95", metric::wall_clock_days, days, false);
    add_u("rental P50", metric::cost_usd_rental, usd, true);
    add_u("rental P5 to P95", metric::cost_usd_rental, usd, false);
  }
  std::string out = same;
  for (const auto& w : warnings) out += "Warning: " + w + "\n";
  if (!out.empty() && o.format == output_format::markdown) out += "\n";
  out += render_table(t, o.format == output_format::markdown);
  std::vector<std::string> assumptions = basis_notes;
  for (const auto& e : es) {
    for (const auto& a : e.assumptions) assumptions.push_back(e.id + ": " + a);
  }
  if (!o.sets.empty()) out += fmt::format("\nWhat-if: --set {}\n", fmt::join(o.sets, " --set "));
  if (any_u) {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < es.size(); ++i) {
      if (!us[i] || !us[i]->any()) continue;
      lines.push_back(fmt::format("{}: {}", es[i].id, fmt::join(us[i]->keys, ", ")));
    }
    out +=
        fmt::format("\nUncertain inputs (Monte Carlo, {} samples, seed {}):\n", o.samples, o.seed);
    for (const auto& l : lines) out += "  - " + l + "\n";
  }
  if (!assumptions.empty()) out += "\n" + list_block("Assumptions", assumptions);
  // The tags the assumptions cite, defined (each scenario's own Sources are in its estimate).
  std::vector<std::string> pool;
  for (const auto& sc : ss) pool.insert(pool.end(), sc.sources.begin(), sc.sources.end());
  const auto sources = sources_block(out, {}, cat, pool);
  if (!sources.empty()) out += "\n" + sources;
  return out;
}

std::string cmd_list(const options& o, const catalogue& cat) {
  const auto runs = list_runs();
  std::vector<scenario> ss;
  for (const auto& r : runs) ss.push_back(load_scenario(r.file.string(), cat));
  table rt;
  rt.header = {"id", "name", "developer", "date", "accelerator"};
  for (const auto& s : ss) {
    rt.rows.push_back({s.id, s.name, s.developer, s.date,
                       s.base.accelerator.value_or(
                           s.phases.empty() ? "" : s.phases.front().accelerator.value_or(""))});
  }
  table at;
  at.header = {"id", "name", "bf16 TFLOPS", "fp8 TFLOPS", "HBM GB", "TDP W", "on-demand $/GPU-h"};
  for (const auto& [id, a] : cat.accelerators) {
    auto peak = [&acc = a](precision p) {  // clang 14 cannot capture a structured binding
      return acc.supports(p) ? fixed(tflops_of(acc.peak_at(p)), 1) : std::string("-");
    };
    at.rows.push_back({id, a.name, peak(precision::bf16), peak(precision::fp8),
                       a.hbm ? human(value_in(*a.hbm, units::byte) / 1e9) : "-",
                       a.tdp_watts ? human(*a.tdp_watts) : "-",
                       a.prices.on_demand ? fixed(per_hour(*a.prices.on_demand), 2) : "-"});
  }
  switch (o.format) {
    case output_format::json: {
      auto root = json::object();
      auto jr = json::array();
      for (const auto& s : ss) {
        auto x = json::object();
        x.add("id", json::string(s.id)).add("name", json::string(s.name));
        x.add("developer", json::string(s.developer)).add("date", json::string(s.date));
        x.add("file", json::string(s.source_file));
        jr.push(x);
      }
      auto ja = json::array();
      for (const auto& [id, a] : cat.accelerators) {
        auto x = json::object();
        x.add("id", json::string(id)).add("name", json::string(a.name));
        auto peaks = json::object();
        for (auto p : all_precisions) {
          if (a.supports(p))
            peaks.add(std::string(to_string(p)), json::number(tflops_of(a.peak_at(p))));
        }
        x.add("peak_dense_tflops", peaks);
        ja.push(x);
      }
      root.add("runs", jr).add("accelerators", ja);
      return root.str() + "\n";
    }
    case output_format::csv: {
      // One tidy table: a row per run or accelerator, `kind` says which, the other kind's
      // columns empty.
      table t;
      t.header = {"kind", "id", "name", "developer", "date", "accelerator"};
      t.header.insert(t.header.end(), at.header.begin() + 2, at.header.end());
      for (const auto& r : rt.rows) {
        std::vector<std::string> row{"run"};
        row.insert(row.end(), r.begin(), r.end());
        row.resize(t.header.size());
        t.rows.push_back(std::move(row));
      }
      for (const auto& r : at.rows) {
        std::vector<std::string> row{"accelerator", r.at(0), r.at(1), "", "", r.at(0)};
        for (std::size_t i = 2; i < r.size(); ++i) row.push_back(r[i] == "-" ? "" : r[i]);
        t.rows.push_back(std::move(row));
      }
      return render_csv(t);
    }
    case output_format::markdown:
      return "## Runs\n\n" + render_table(rt, true) + "\n## Accelerators\n\n" +
             render_table(at, true);
    default:
      return "Runs\n" + render_table(rt, false) + "\nAccelerators (dense peaks)\n" +
             render_table(at, false);
  }
}

std::string prov_text(const provenance_map& pm, const std::string& key) {
  auto it = pm.find(key);
  if (it == pm.end()) return "";
  const auto& p = it->second;
  std::string s = fmt::format("[{}] {}", p.status.empty() ? "unspecified" : p.status, p.source);
  if (!p.date.empty()) s += " (" + p.date + ")";
  if (!p.note.empty()) s += "; " + p.note;
  for (const auto& a : p.alternatives) {
    s += fmt::format("; alternative {} [{}] {}", human(a.value), a.status, a.source);
  }
  return s;
}

void describe_inputs(const run_inputs& in, const std::string& prefix,
                     std::vector<std::pair<std::string, std::string>>& out) {
  auto add = [&](const std::string& k, const std::string& v) { out.emplace_back(prefix + k, v); };
  if (in.parameters) add("model.parameters", human(*in.parameters));
  if (in.active_parameters) add("model.active_parameters", human(*in.active_parameters));
  if (in.architecture) add("model.architecture", *in.architecture);
  if (in.tokens) add("training.tokens", human(*in.tokens));
  if (in.compute_flop) add("training.compute_flop", human(flop(*in.compute_flop)));
  if (in.sequence_length) add("training.sequence_length", machine(*in.sequence_length));
  if (in.accelerator) add("hardware.accelerator", *in.accelerator);
  if (in.count) add("hardware.count", machine(in.count->value()));
  if (in.precision) add("hardware.precision", std::string(to_string(*in.precision)));
  if (in.mfu) add("efficiency.mfu", machine(in.mfu->ratio()));
  if (in.hfu) add("efficiency.hfu", machine(in.hfu->ratio()));
  if (in.achieved_tflops) add("efficiency.achieved_tflops", machine(*in.achieved_tflops));
  if (in.goodput) add("efficiency.goodput", machine(in.goodput->ratio()));
  if (in.price) add("pricing.usd_per_gpu_hour", machine(per_hour(*in.price)));
  const auto& r = in.reported;
  if (r.gpu_hours) add("reported.gpu_hours", human(gpu_h(*r.gpu_hours)));
  if (r.cost) add("reported.cost_usd", usd(dollars(*r.cost)));
  if (r.compute_flop) add("reported.compute_flop", human(flop(*r.compute_flop)));
  if (r.wall_clock) add("reported.wall_clock_days", detail::g_number(days_of(*r.wall_clock), 4));
  if (r.mfu) add("reported.mfu", machine(*r.mfu));
  if (r.price) add("reported.usd_per_gpu_hour", machine(per_hour(*r.price)));
  if (r.energy_mwh) add("reported.energy_mwh", machine(*r.energy_mwh));
  if (r.co2_tonnes) add("reported.co2_tonnes", machine(*r.co2_tonnes));
  if (r.pue) add("reported.pue", machine(*r.pue));
}

/// A value of `show`'s rows (machine text, shared with JSON and CSV) in the one human style for
/// the table: prices in dollars, counts and other whole figures with separators; peaks and
/// ratios as the file gives them.
std::string shown_value(const std::string& key, const std::string& v) {
  double x = 0.0;
  const auto r = std::from_chars(v.data(), v.data() + v.size(), x);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size()) return v;  // "671B", "h800-sxm"
  auto ends = [&](const char* tail) {
    const std::string t(tail);
    return key.size() >= t.size() && key.compare(key.size() - t.size(), t.size(), t) == 0;
  };
  if (key.find("usd_per_gpu_hour") != std::string::npos) return rate(x);
  if (ends("purchase_usd")) return usd(x);
  if (ends(".count") || ends("sequence_length") || ends("energy_mwh") || ends("co2_tonnes") ||
      ends("tdp_w") || ends("hbm_gb"))
    return human(x);
  return v;
}

std::string cmd_show(const options& o, const catalogue& cat) {
  if (cat.contains(o.id)) {
    const auto& a = cat.at(o.id);
    std::vector<std::pair<std::string, std::string>> rows;
    for (auto p : all_precisions) {
      if (a.supports(p)) {
        rows.emplace_back("peak_dense_tflops." + std::string(to_string(p)),
                          fixed(tflops_of(a.peak_at(p)), 1));
      }
    }
    if (a.hbm) rows.emplace_back("memory.hbm_gb", fixed(value_in(*a.hbm, units::byte) / 1e9, 0));
    if (a.bandwidth_tb_per_s)
      rows.emplace_back("memory.bandwidth_tb_per_s", machine(*a.bandwidth_tb_per_s));
    if (a.tdp_watts) rows.emplace_back("power.tdp_w", machine(*a.tdp_watts));
    if (a.prices.purchase)
      rows.emplace_back("prices.purchase_usd", machine(dollars(*a.prices.purchase)));
    const std::pair<const char*, const std::optional<price_rate>*> prices[] = {
        {"prices.usd_per_gpu_hour_on_demand", &a.prices.on_demand},
        {"prices.usd_per_gpu_hour_1y", &a.prices.one_year},
        {"prices.usd_per_gpu_hour_3y", &a.prices.three_year},
        {"prices.usd_per_gpu_hour_gpu_cloud", &a.prices.gpu_cloud}};
    for (const auto& [k, v] : prices) {
      if (*v) rows.emplace_back(k, fixed(per_hour(**v), 2));
    }
    if (o.format == output_format::json) {
      auto x = json::object();
      x.add("id", json::string(a.id))
          .add("name", json::string(a.name))
          .add("vendor", json::string(a.vendor));
      x.add("kind", json::string(a.kind)).add("launch", json::string(a.launch));
      auto vals = json::object();
      for (const auto& [k, v] : rows) {
        auto item = json::object();
        item.add("value", json::number(std::stod(v)));
        auto it = a.provenance.find(k);
        item.add("source", json::string(it == a.provenance.end() ? "" : it->second.source));
        item.add("status", json::string(it == a.provenance.end() ? "" : it->second.status));
        vals.add(k, item);
      }
      x.add("values", vals)
          .add("sources", strings_json(a.sources))
          .add("notes", strings_json(a.notes));
      return x.str() + "\n";
    }
    if (o.format == output_format::csv) {
      table c;
      c.header = {"id", "key", "value", "source", "status"};
      for (const auto& [k, v] : rows) {
        auto it = a.provenance.find(k);
        c.rows.push_back({a.id, k, v, it == a.provenance.end() ? "" : it->second.source,
                          it == a.provenance.end() ? "" : it->second.status});
      }
      return render_csv(c);
    }
    table t;
    t.header = {"key", "value", "source"};
    for (const auto& [k, v] : rows)
      t.rows.push_back({k, shown_value(k, v), prov_text(a.provenance, k)});
    std::string out = fmt::format("{} [{}], {}, launched {}\n\n", a.name, a.id, a.vendor, a.launch);
    out += render_table(t, o.format == output_format::markdown);
    out += "\n" + list_block("Notes", a.notes);
    return out + sources_block(out, a.sources, cat);
  }
  const auto s = load_scenario(o.id, cat);
  std::vector<std::pair<std::string, std::string>> rows;
  describe_inputs(s.base, "", rows);
  for (const auto& ph : s.phases) describe_inputs(ph, "phases." + ph.name + ".", rows);
  if (o.format == output_format::json) {
    auto x = json::object();
    x.add("id", json::string(s.id)).add("name", json::string(s.name));
    x.add("developer", json::string(s.developer)).add("date", json::string(s.date));
    x.add("description", json::string(s.description))
        .add("source_file", json::string(s.source_file));
    x.add("model_kind", s.model_kind.empty() ? json::null() : json::string(s.model_kind));
    auto vals = json::object();
    for (const auto& [k, v] : rows) {
      auto item = json::object();
      item.add("value", json::string(v));
      auto it = s.provenance.find(k);
      item.add("source", json::string(it == s.provenance.end() ? "" : it->second.source));
      item.add("status", json::string(it == s.provenance.end() ? "" : it->second.status));
      vals.add(k, item);
    }
    x.add("inputs", vals)
        .add("caveats", strings_json(s.caveats))
        .add("sources", strings_json(s.sources));
    auto claims = json::array();
    for (const auto& c : s.claims) {
      auto item = json::object();
      item.add("text", json::string(c.text)).add("metric", json::string(c.metric));
      item.add("value", json::number(c.value)).add("source", json::string(c.source));
      claims.push(item);
    }
    x.add("claims", claims);
    return x.str() + "\n";
  }
  if (o.format == output_format::csv) {
    table c;
    c.header = {"id", "key", "value", "source", "status"};
    for (const auto& [k, v] : rows) {
      auto it = s.provenance.find(k);
      c.rows.push_back({s.id, k, v, it == s.provenance.end() ? "" : it->second.source,
                        it == s.provenance.end() ? "" : it->second.status});
    }
    return render_csv(c);
  }
  table t;
  t.header = {"key", "value", "source"};
  for (const auto& [k, v] : rows)
    t.rows.push_back({k, shown_value(k, v), prov_text(s.provenance, k)});
  std::string out = fmt::format("{} [{}] {} {}\n{}\n{}File: {}\n\n", s.name, s.id, s.developer,
                                s.date, s.description, model_kind_line(s), s.source_file);
  out += render_table(t, o.format == output_format::markdown);
  std::vector<std::string> claims;
  for (const auto& c : s.claims) {
    claims.push_back(fmt::format("\"{}\" ({} = {}; {} [{}]){}", c.text, c.metric, human(c.value),
                                 c.source, c.status, c.note.empty() ? "" : ": " + c.note));
  }
  out += "\n" + list_block("Claims", claims) + list_block("Caveats", s.caveats) +
         list_block("Notes", s.notes);
  return out + sources_block(out, s.sources, cat);
}

}  // namespace

void add_options(CLI::App& app, options& opts) {
  app.description(
      "costmodel: what it costs to train an AI model, and why.\n"
      "Examples:\n"
      "  costmodel estimate deepseek-v3\n"
      "  costmodel estimate deepseek-v3 --set efficiency.mfu=0.45 --set "
      "hardware.accelerator=h100-sxm\n"
      "  costmodel compare deepseek-v3 gpt-4 --format json\n"
      "  costmodel audit deepseek-r1 --claim cost_usd=5.6e9\n"
      "  costmodel sweep deepseek-v3 --vary efficiency.mfu=0.2:0.6:0.1\n"
      "  costmodel sensitivity gpt-4\n"
      "  costmodel plan --budget-usd 5.576M --accelerator h800-sxm --usd-per-gpu-hour 2 --mfu "
      "0.35\n"
      "  costmodel list\n"
      "  costmodel show h100-sxm");
  app.set_version_flag("--version", std::string(COSTMODEL_VERSION));
  app.require_subcommand(1);
  const std::map<std::string, output_format> formats{{"table", output_format::table},
                                                     {"json", output_format::json},
                                                     {"csv", output_format::csv},
                                                     {"markdown", output_format::markdown}};
  const std::map<std::string, output_format> plan_formats{{"table", output_format::table},
                                                          {"json", output_format::json}};
  auto trends_formats = formats;
  trends_formats.emplace("svg", output_format::svg);
  auto add_format = [&](CLI::App* sub, bool all = true, bool svg = false) {
    // plan's report is a list of figures with their reasons, not a table: table or json only
    // (-f csv is a usage error there, not the text under another name).
    sub->add_option("--format,-f", opts.format,
                    svg   ? "Output: table, json, csv, markdown or svg (the picture)"
                    : all ? "Output: table, json, csv or markdown"
                          : "Output: table or json")
        ->transform(CLI::CheckedTransformer(svg   ? trends_formats
                                            : all ? formats
                                                  : plan_formats,
                                            CLI::ignore_case))
        ->option_text(svg   ? "table|json|csv|markdown|svg"
                      : all ? "table|json|csv|markdown"
                            : "table|json");
    sub->add_flag("--wide", opts.wide,
                  "Do not fit tables and lines to the terminal's width (COLUMNS, or the "
                  "terminal's size; output to a pipe or file is never wrapped)");
    sub->add_flag("--no-legend", opts.no_legend,
                  "No legend under tables (the terms they use, as `costmodel explain` gives "
                  "them); JSON and CSV never have one");
  };
  auto add_set = [&](CLI::App* sub) {
    sub->add_option("--set,-s", opts.sets,
                    "Override an input, KEY=VALUE with dotted keys as in the file "
                    "(efficiency.mfu=0.45, hardware.accelerator=h100-sxm, "
                    "phases.pre-training.training.tokens=20T); repeatable")
        ->allow_extra_args(false);  // one value per --set: `--set k=v ID...` keeps the ids
    sub->add_option("--allow-path", opts.allow_paths,
                    "Let `extends` read files in DIR too (else only bundled ids and files beside "
                    "the scenario or on the preset path); repeatable")
        ->option_text("DIR ...")
        ->allow_extra_args(false);
  };

  auto add_seed = [&](CLI::App* sub) {
    // CLI11 would wrap -1 to 2^64 - 1: a seed is written as an unsigned integer, or refused.
    sub->add_option("--seed", opts.seed, "Seed of the Monte Carlo (default 1)")
        ->check(CLI::Validator(
            [](const std::string& v) {
              const bool digits =
                  !v.empty() && v.find_first_not_of("0123456789") == std::string::npos;
              return digits ? std::string()
                            : "expected an unsigned integer from 0 to 18446744073709551615, got '" +
                                  v + "'";
            },
            ""));
  };

  auto add_uncertainty = [&](CLI::App* sub) {
    sub->add_option("--range,-r", opts.ranges,
                    "Make an input uncertain: KEY=LOW:HIGH[:uniform|triangular[:MODE]|lognormal] "
                    "(lognormal: LOW and HIGH are P5 and P95); repeatable")
        ->allow_extra_args(false);
    add_seed(sub);
    sub->add_option("--samples", opts.samples,
                    "Monte Carlo samples (default 100000; 0 turns it off)");
  };

  auto* est = app.add_subcommand("estimate",
                                 "Estimate compute, GPU-hours, wall-clock and cost of a scenario");
  est->add_option("scenario", opts.scenarios, "Bundled id (deepseek-v3) or path to a .toml file")
      ->required()
      ->expected(1);
  add_set(est);
  add_price_options(est, opts);
  est->add_option_function<std::string>(
      "--model-config",
      [&opts](const std::string& path) { opts.sets.push_back("model.config=" + path); },
      "A Hugging Face config.json: the model's shape and parameter counts (sets model.config)");
  add_uncertainty(est);
  add_format(est);
  est->add_flag(
      "--brief", opts.brief,
      "At most eight lines: the answer (or verdict) first, one reason, the sources in one line");
  est->footer(
      "Examples:\n"
      "  costmodel estimate deepseek-v3\n"
      "  costmodel estimate deepseek-v3 --set efficiency.mfu=0.45 --format json\n"
      "  costmodel estimate examples/data/my-run.toml --set hardware.accelerator=h200");
  est->callback([&opts] { opts.command = "estimate"; });

  auto* cmp = app.add_subcommand("compare", "Compare scenarios side by side");
  cmp->add_option("scenarios", opts.scenarios, "Bundled ids or paths, one or more")
      ->required()
      ->expected(1, -1);
  add_set(cmp);
  add_price_options(cmp, opts);
  add_uncertainty(cmp);
  add_format(cmp);
  cmp->add_flag(
      "--brief", opts.brief,
      "At most eight lines: the answer (or verdict) first, one reason, the sources in one line");
  cmp->add_option(
      "--same-price", opts.same_price,
      "Re-cost every scenario at this USD per GPU-hour (sets pricing.usd_per_gpu_hour)");
  cmp->add_option("--same-hardware", opts.same_hardware,
                  "Re-model every scenario on this accelerator id (sets hardware.accelerator; "
                  "precision falls back to bf16 where the accelerator lacks it)");
  cmp->footer(
      "Examples:\n"
      "  costmodel compare deepseek-v3 gpt-4 llama-3.1-405b\n"
      "  costmodel compare deepseek-v3 gpt-4 llama-3.1-405b --same-price 2.0\n"
      "  costmodel compare llama-3-8b llama-3-70b --set pricing.usd_per_gpu_hour=2 -f markdown");
  cmp->callback([&opts] { opts.command = "compare"; });

  auto* lst = app.add_subcommand("list", "List bundled runs and accelerators");
  add_format(lst);
  lst->footer("Examples:\n  costmodel list\n  costmodel list --format json");
  lst->callback([&opts] { opts.command = "list"; });

  auto* shw =
      app.add_subcommand("show", "Show a run or an accelerator with the source of every figure");
  shw->add_option("id", opts.id, "Run id (deepseek-v3) or accelerator id (h100-sxm)")->required();
  add_format(shw);
  shw->footer("Examples:\n  costmodel show h800-sxm\n  costmodel show deepseek-v3 --format json");
  shw->callback([&opts] { opts.command = "show"; });

  auto* aud = app.add_subcommand(
      "audit", "Check reported figures against the model and each other, and check cost claims");
  add_audit_options(aud, opts);
  add_set(aud);
  add_price_options(aud, opts);
  add_format(aud);
  aud->add_flag(
      "--brief", opts.brief,
      "At most eight lines: the answer (or verdict) first, one reason, the sources in one line");
  aud->footer(
      "Examples: costmodel audit deepseek-v3\n"
      "          costmodel audit deepseek-r1 --claim cost_usd=5.6e9\n"
      "          costmodel audit --claims presets/claims/deepseek-gpt4.toml");
  aud->callback([&opts] { opts.command = "audit"; });
  auto* swp = add_sweep_command(app, opts);
  add_set(swp);
  add_price_options(swp, opts);
  add_format(swp);
  auto* sns = add_sensitivity_command(app, opts);
  add_set(sns);
  add_format(sns);
  add_format(add_plan_command(app, opts), false);
  auto* trs = add_trends_command(app, opts);
  add_format(trs, true, true);
  add_seed(trs);

  auto* exp = app.add_subcommand("explain", "Explain a term of the output (MFU, goodput, 6ND...)");
  exp->add_option("term", opts.id, "The term; without one, the list of terms");
  exp->footer("Examples:\n  costmodel explain MFU\n  costmodel explain ownership");
  exp->callback([&opts] { opts.command = "explain"; });
}

std::string execute(const options& opts) {
  const allowed_paths_scope allowed({opts.allow_paths.begin(), opts.allow_paths.end()});
  const auto cat = load_catalogue();
  set_legends(!opts.no_legend);
  if (opts.command == "estimate") return cmd_estimate(opts, cat);
  if (opts.command == "compare") return cmd_compare(opts, cat);
  if (opts.command == "list") return cmd_list(opts, cat);
  if (opts.command == "show") return cmd_show(opts, cat);
  if (opts.command == "audit") return cmd_audit(opts, cat);
  if (opts.command == "sweep") return cmd_sweep(opts, cat);
  if (opts.command == "sensitivity") return cmd_sensitivity(opts, cat);
  if (opts.command == "plan") return cmd_plan(opts, cat);
  if (opts.command == "trends") return cmd_trends(opts, cat);
  if (opts.command == "explain") return explain_text(opts.id);
  throw input_error("unknown command '" + opts.command + "'");
}

namespace {

/// Writes to stderr and never throws: the error path must not fail in its own handler (with
/// stderr on /dev/full, fmt::print threw there and the calculator aborted with 134).
void print_error(const char* what) noexcept {
  std::fputs("costmodel: error: ", stderr);
  try {
    std::fputs(terminal_safe(what).c_str(), stderr);  // messages quote keys and values of files
  } catch (...) {
    std::fputs(what, stderr);  // no memory to escape it: as it is
  }
  std::fputs("\n", stderr);
  std::fflush(stderr);
}

/// Writes the whole output and flushes it: a write that fails (a full disk, a closed stdout)
/// is an error, not a silent exit 0.
bool write_stdout(const std::string& out) noexcept {
  const bool written = std::fwrite(out.data(), 1, out.size(), stdout) == out.size();
  return std::fflush(stdout) == 0 && written && std::ferror(stdout) == 0;
}

}  // namespace

int run(int argc, const char* const* argv) {
  try {
    CLI::App app{"costmodel"};
    options opts;
    add_options(app, opts);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      return app.exit(e);
    }
    // Fit the terminal (tables narrow their widest columns, long lines wrap) unless --wide,
    // and only for the table format: the machine formats and Markdown keep their lines.
    const std::size_t width =
        opts.wide || opts.format != output_format::table ? 0 : terminal_width();
    set_output_width(width);
    const std::string out = terminal_safe(wrap_lines(execute(opts), width));
    if (!write_stdout(out)) {
      print_error("cannot write the output to stdout (disk full, or stdout closed?)");
      return 4;
    }
    return 0;
  } catch (const preset_error& e) {
    print_error(e.what());
    return 2;
  } catch (const error& e) {
    print_error(e.what());
    return 3;
  } catch (const std::bad_alloc&) {
    print_error("out of memory; expected a smaller run (fewer --samples, phases or sweep points)");
    return 4;
  } catch (const std::exception& e) {
    print_error(e.what());
    return 4;
  } catch (...) {
    print_error("unexpected failure");
    return 4;
  }
}

}  // namespace costmodel::cli
