// SPDX-License-Identifier: MIT
// `costmodel audit`: reported figures beside the model and beside each other, and claims
// solved backwards, as a table, JSON, CSV or Markdown. Output is built whole, then returned.
#include "audit.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "costmodel/audit.hpp"
#include "costmodel/presets.hpp"
#include "render.hpp"
#include "report.hpp"
#include "trends.hpp"

namespace costmodel::cli {
namespace {

const char* metric_label(const std::string& m) {
  if (m == "gpu_hours") return "GPU-hours";
  if (m == "cost_usd") return "cost";
  if (m == "compute_flop") return "compute FLOP";
  if (m == "wall_clock_days") return "wall-clock days";
  return "?";
}

std::string metric_value(const std::string& m, double v) {
  if (m == "cost_usd") return usd(v);
  if (m == "wall_clock_days") return days(v);
  return human(v);
}

const char* bound_name(claim_bound b) {
  switch (b) {
    case claim_bound::above:
      return "above";
    case claim_bound::below:
      return "below";
    case claim_bound::between:
      return "between";
    case claim_bound::equal:
      break;
  }
  return "equal";
}

/// "= $5.6M", "> $100M", "$80M to $100M", "out of scope": a claim's figure for tables.
std::string claim_figure(const claim& c) {
  if (!c.out_of_scope.empty()) return "out of scope";
  if (c.metric.empty()) return "";
  return detail::bound_text(c);
}

std::string claim_label(const claim_result& c) {
  const auto& w = c.what;
  std::string s = w.text.empty() ? w.metric + "=" + machine(w.value) : w.text;
  if (!w.text.empty() && w.source != "command line") {
    s = "\"" + s + "\"";
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// JSON.

json opt_number(const std::optional<double>& v) { return v ? json::number(*v) : json::null(); }

json comparison_json(const figure_comparison& c) {
  auto o = json::object();
  o.add("scope", json::string(c.scope)).add("metric", json::string(c.metric));
  o.add("reported", json::number(c.reported)).add("modelled", opt_number(c.modelled));
  o.add("relative_difference", opt_number(c.relative_difference));
  o.add("basis", json::string(c.basis)).add("counted", json::boolean(c.counted));
  o.add("within_tolerance", json::boolean(c.within_tolerance));
  o.add("tolerance", json::number(c.tolerance));
  return o;
}

json check_json(const audit_check& c) {
  auto o = json::object();
  o.add("name", json::string(c.name)).add("scope", json::string(c.scope));
  o.add("ok", json::boolean(c.ok)).add("detail", json::string(c.detail));
  o.add("relative_difference", opt_number(c.relative_difference));
  o.add("tolerance", json::number(c.tolerance));
  o.add("explained_by", c.explained_by.empty() ? json::null() : json::string(c.explained_by));
  return o;
}

json implication_json(const claim_implication& im) {
  auto o = json::object();
  o.add("basis", json::string(im.basis));
  o.add("basis_gpu_hours",
        im.basis_gpu_hours ? json::number(gpu_h(*im.basis_gpu_hours)) : json::null());
  o.add("usd_per_gpu_hour", im.price ? json::number(per_hour(*im.price)) : json::null());
  o.add("gpu_hours", im.gpu_hours ? json::number(gpu_h(*im.gpu_hours)) : json::null());
  o.add("mfu", opt_number(im.mfu));
  o.add("mfu_precision",
        im.mfu_precision ? json::string(std::string(to_string(*im.mfu_precision))) : json::null());
  auto by = json::object();
  for (const auto& [p, v] : im.mfu_by_precision) by.add(std::string(to_string(p)), json::number(v));
  o.add("mfu_by_precision", by);
  o.add("wall_clock_days", im.wall_clock ? json::number(days_of(*im.wall_clock)) : json::null());
  o.add("gpu_count", im.count ? json::number(value_in(*im.count, units::gpu)) : json::null());
  o.add("cost_usd", im.cost ? json::number(dollars(*im.cost)) : json::null());
  auto xs = json::array();
  for (const auto& x : im.explanations) {
    auto xo = json::object();
    xo.add("name", json::string(x.name)).add("fit", json::string(x.fit));
    xo.add("why", json::string(x.why));
    xs.push(xo);
  }
  o.add("explanations", xs);
  return o;
}

json claim_json(const claim_result& c) {
  auto o = json::object();
  o.add("text", json::string(c.what.text)).add("metric", json::string(c.what.metric));
  o.add("value", json::number(c.what.value));
  o.add("source", json::string(c.what.source)).add("status", json::string(c.what.status));
  o.add("note", json::string(c.what.note));
  o.add("origin", json::string(c.origin)).add("scenario", json::string(c.scenario));
  o.add("refers_to", json::string(c.refers_to));
  o.add("verdict", json::string(c.verdict)).add("reason", json::string(c.reason));
  o.add("reported", opt_number(c.reported)).add("modelled", opt_number(c.modelled));
  o.add("tolerance", json::number(c.tolerance));
  o.add("bound", json::string(bound_name(c.what.bound)));
  o.add("high", c.what.bound == claim_bound::between ? json::number(c.what.high) : json::null());
  o.add("out_of_scope", json::string(c.what.out_of_scope));
  auto bs = json::array();
  for (const auto& b : c.bounds) {
    auto bo = json::object();
    bo.add("source", json::string(b.source)).add("value", json::number(b.value));
    bo.add("holds", json::boolean(b.holds));
    bs.push(bo);
  }
  o.add("bound_by_source", bs);
  auto imps = json::array();
  for (const auto& im : c.implied) imps.push(implication_json(im));
  o.add("implied", imps);
  return o;
}

json tolerance_json(const audit_tolerance& t) {
  auto o = json::object();
  o.add("value", json::number(t.ratio)).add("reason", json::string(t.reason));
  return o;
}

json audit_json(const scenario& s, const audit_result& a) {
  const auto& e = a.estimate;
  auto o = json::object();
  o.add("id", json::string(a.id)).add("name", json::string(a.name));
  o.add("source_file", json::string(s.source_file));
  o.add("model_kind", s.model_kind.empty() ? json::null() : json::string(s.model_kind));
  auto tol = tolerance_json(a.tolerance);
  tol.add("default", json::boolean(a.tolerance_is_default));
  auto by = json::object();
  for (const auto& [m, t] : a.tolerance_by_metric) by.add(m, tolerance_json(t));
  tol.add("by_metric", by);
  o.add("tolerance", tol);

  auto imp = json::object();
  imp.add("mfu", opt_number(a.implied_mfu));
  imp.add("mfu_precision", a.implied_mfu_precision
                               ? json::string(std::string(to_string(*a.implied_mfu_precision)))
                               : json::null());
  imp.add("mfu_scope", json::string(a.implied_mfu_scope));
  imp.add("usd_per_gpu_hour",
          a.implied_price ? json::number(per_hour(*a.implied_price)) : json::null());
  imp.add("wall_clock_days",
          a.implied_wall_clock ? json::number(days_of(*a.implied_wall_clock)) : json::null());
  o.add("implied", imp);

  if (a.market) {
    auto m = json::object();
    m.add("accelerator", json::string(a.market->accelerator));
    m.add("low_usd_per_gpu_hour", json::number(per_hour(a.market->low)));
    m.add("high_usd_per_gpu_hour", json::number(per_hour(a.market->high)));
    m.add("basis", json::string(a.market->basis));
    o.add("market", m);
  } else {
    o.add("market", json::null());
  }

  auto phases = json::array();
  auto phase_entry = [&](const phase_result& p, const std::string& scope) {
    auto x = phase_json(p);
    auto cs = json::array();
    for (const auto& c : a.comparisons) {
      if (c.scope == scope) cs.push(comparison_json(c));
    }
    x.add("comparisons", cs);
    phases.push(x);
  };
  for (const auto& p : e.phases) phase_entry(p, p.name);
  if (e.phases.size() > 1) phase_entry(e.total, "total");
  o.add("phases", phases);

  auto checks = json::array();
  for (const auto& c : a.checks) checks.push(check_json(c));
  o.add("checks", checks);
  auto claims = json::array();
  for (const auto& c : a.claims) claims.push(claim_json(c));
  o.add("claims", claims);
  o.add("estimate", estimate_json(s, e));
  o.add("assumptions", strings_json(e.assumptions));
  o.add("overrides", strings_json(s.overrides));
  o.add("caveats", strings_json(a.caveats));
  o.add("sources", strings_json(s.sources));
  return o;
}

// ---------------------------------------------------------------------------------------------
// Tables and text.

std::string diff_cell(const std::optional<double>& r) {
  if (!r) return "";
  return detail::signed_pct(finite(*r));
}

table comparison_table(const audit_result& a) {
  table t;
  t.header = {"phase", "figure", "reported", "modelled", "diff", "within", "basis"};
  for (const auto& c : a.comparisons) {
    t.rows.push_back({c.scope, metric_label(c.metric), metric_value(c.metric, c.reported),
                      c.modelled ? metric_value(c.metric, *c.modelled) : "n/a",
                      diff_cell(c.relative_difference),
                      !c.counted ? "-" : (c.within_tolerance ? "yes" : "NO"), c.basis});
  }
  return t;
}

table check_table(const audit_result& a) {
  table t;
  t.header = {"ok", "scope", "check", "diff", "detail"};
  for (const auto& c : a.checks) {
    std::string detail = c.detail;
    if (!c.explained_by.empty()) detail += "; " + c.explained_by;
    t.rows.push_back(
        {c.ok ? "ok" : "FAIL", c.scope, c.name, diff_cell(c.relative_difference), detail});
  }
  return t;
}

std::string implication_text(const claim_implication& im) {
  std::vector<std::string> parts;
  if (im.price) {
    const double v = per_hour(*im.price);
    std::string p = rate(v) + " per GPU-hour";
    if (im.basis_gpu_hours) p += " over " + human(gpu_h(*im.basis_gpu_hours)) + " GPU-hours";
    parts.push_back(p);
  }
  if (im.gpu_hours) parts.push_back("needs " + human(gpu_h(*im.gpu_hours)) + " GPU-hours");
  if (im.mfu && im.mfu_precision) {
    std::string m = "MFU " + pct(*im.mfu) + " of " + std::string(to_string(*im.mfu_precision));
    std::vector<std::string> others;
    for (const auto& [p, v] : im.mfu_by_precision) {
      if (p != *im.mfu_precision && p != precision::fp64 && p != precision::tf32) {
        others.push_back(pct(v) + " of " + std::string(to_string(p)));
      }
    }
    if (!others.empty()) m += " (" + fmt::format("{}", fmt::join(others, ", ")) + ")";
    parts.push_back(m);
  }
  if (im.wall_clock) parts.push_back(days(days_of(*im.wall_clock)) + " days");
  if (im.count) parts.push_back(human(value_in(*im.count, units::gpu)) + " GPUs");
  if (im.cost) parts.push_back(usd(dollars(*im.cost)) + " at the basis price");
  return fmt::format("{}", fmt::join(parts, "; "));
}

std::string claims_block(const std::vector<claim_result>& claims, bool markdown) {
  if (claims.empty()) return "";
  std::string out = markdown ? "\n### Claims\n\n" : "\nClaims\n";
  for (const auto& c : claims) {
    out +=
        fmt::format("{}- {} [{}] against {}: {}\n", markdown ? "" : "  ", claim_label(c), c.origin,
                    c.scenario, c.verdict == "implausible" ? "IMPLAUSIBLE" : c.verdict);
    const std::string ind = markdown ? "  " : "    ";
    if (c.what.out_of_scope.empty()) {
      out += fmt::format("{}{}: {}", ind, c.what.metric, claim_figure(c.what));
    } else {
      out += ind + "not a training figure";
    }
    if (!c.what.source.empty() && c.what.source != "command line") {
      out += fmt::format("; {} [{}]", c.what.source, c.what.status);
    }
    out += "\n";
    if (!c.refers_to.empty()) out += ind + "refers to: " + c.refers_to + "\n";
    out += ind + "why: " + c.reason + "\n";
    for (const auto& im : c.implied) {
      const auto txt = implication_text(im);
      if (!txt.empty()) out += ind + "implies (" + im.basis + "): " + txt + "\n";
    }
    if (!c.what.note.empty()) out += ind + "note: " + c.what.note + "\n";
  }
  return out;
}

std::string audit_text(const scenario& s, const audit_result& a, const catalogue& cat,
                       bool markdown) {
  const auto& e = a.estimate;
  auto render = [&](const table& t) { return render_table(t, markdown); };
  std::string out = markdown ? fmt::format("## Audit: {} (`{}`)\n\n", s.name, s.id)
                             : fmt::format("Audit: {} [{}]\n", s.name, s.id);
  out += model_kind_line(s);
  out += fmt::format("Hardware: {}\n", hardware_line(e.total, cat));
  if (!s.overrides.empty())
    out += fmt::format("What-if: --set {}\n", fmt::join(s.overrides, " --set "));
  out += fmt::format("Tolerance: {} ({}{})\n", pct(a.tolerance.ratio), a.tolerance.reason,
                     a.tolerance_is_default ? "" : "; [audit] tolerance");
  for (const auto& [m, t] : a.tolerance_by_metric) {
    out += fmt::format("  {}: {} ({})\n", metric_label(m), pct(t.ratio), t.reason);
  }
  out += markdown ? "\n### Reported vs modelled\n\n" : "\nReported vs modelled\n";
  out += a.comparisons.empty() ? std::string("  (no reported figure to compare)\n")
                               : render(comparison_table(a));

  std::vector<std::string> costs;
  for (const auto& p : e.phases) {
    std::vector<std::string> m;
    for (const auto& [method, v] : p.cost) m.push_back(method + " " + usd(dollars(v)));
    if (!m.empty()) costs.push_back(p.name + ": " + fmt::format("{}", fmt::join(m, ", ")));
  }
  if (e.phases.size() > 1) {
    std::vector<std::string> m;
    for (const auto& [method, v] : e.total.cost) m.push_back(method + " " + usd(dollars(v)));
    if (!m.empty()) costs.push_back("total: " + fmt::format("{}", fmt::join(m, ", ")));
  }
  out += "\n" + list_block("Modelled cost by method", costs);

  std::vector<std::string> implied;
  for (const auto& p : e.phases) {
    const auto txt = implied_text(p);
    implied.push_back(p.name + ": " +
                      (txt.empty() ? "n/a (no reported GPU-hours with compute)" : txt));
  }
  std::vector<std::string> whole;
  if (a.implied_mfu && a.implied_mfu_precision) {
    whole.push_back(fmt::format("MFU {} of the {} dense peak ({})", pct(*a.implied_mfu),
                                to_string(*a.implied_mfu_precision), a.implied_mfu_scope));
  }
  if (a.implied_price) {
    whole.push_back(rate(per_hour(*a.implied_price)) + " per GPU-hour");
  }
  if (a.implied_wall_clock && e.total.count) {
    whole.push_back(fmt::format("{} days on {} GPUs", days(days_of(*a.implied_wall_clock)),
                                grouped(e.total.count->value())));
  }
  if (!whole.empty()) implied.push_back("whole run: " + fmt::format("{}", fmt::join(whole, "; ")));
  out += list_block("Implied by the reported figures", implied);
  if (a.market) {
    out +=
        fmt::format("Market range of {}: {} to {} per GPU-hour ({})\n", a.market->accelerator,
                    rate(per_hour(a.market->low)), rate(per_hour(a.market->high)), a.market->basis);
  }

  out += markdown ? "\n### Consistency of the reported figures\n\n"
                  : "\nConsistency of the reported figures\n";
  out += a.checks.empty() ? std::string("  (not enough reported figures to cross-check)\n")
                          : render(check_table(a));
  out += claims_block(a.claims, markdown);

  std::vector<std::string> energy;
  auto add_energy = [&](const std::string& scope, const reported_figures& r) {
    std::vector<std::string> parts;
    if (r.energy_mwh) parts.push_back(machine(*r.energy_mwh) + " MWh");
    if (r.co2_tonnes) parts.push_back(machine(*r.co2_tonnes) + " tCO2e");
    if (r.pue) parts.push_back("PUE " + machine(*r.pue));
    if (!parts.empty()) energy.push_back(scope + ": " + fmt::format("{}", fmt::join(parts, ", ")));
  };
  for (const auto& p : e.phases) add_energy(p.name, p.reported);
  if (e.phases.size() > 1) add_energy("total", e.total.reported);
  out += "\n" + list_block("Reported energy and emissions", energy);
  out += list_block("Warnings", run_warnings(s, e));
  out += list_block("Assumptions", e.assumptions);
  out += list_block("Caveats", a.caveats);
  out += sources_block(out, s.sources, cat);
  return out;
}

std::string audit_csv(const audit_result& a) {
  table t;
  t.header = {"scenario", "section", "scope", "item", "reported", "modelled", "relative_difference",
              "status",   "detail"};
  auto num = [](const std::optional<double>& v) { return v ? csv_number(*v) : std::string(); };
  for (const auto& c : a.comparisons) {
    t.rows.push_back({a.id, "comparison", c.scope, c.metric, csv_number(c.reported),
                      num(c.modelled), num(c.relative_difference),
                      !c.counted ? "not counted" : (c.within_tolerance ? "within" : "outside"),
                      c.basis});
  }
  for (const auto& c : a.checks) {
    t.rows.push_back({a.id, "check", c.scope, c.name, "", "", num(c.relative_difference),
                      c.ok ? "ok" : "fail",
                      c.explained_by.empty() ? c.detail : c.detail + "; " + c.explained_by});
  }
  for (const auto& c : a.claims) {
    t.rows.push_back({c.scenario, "claim", c.origin, c.what.metric + "=" + csv_number(c.what.value),
                      num(c.reported), num(c.modelled),
                      c.reported ? csv_number(c.what.value / *c.reported - 1.0) : "", c.verdict,
                      c.reason});
  }
  return render_csv(t);
}

/// Loads a claim's scenario: an id, or a path relative to the claims file.
scenario load_claim_scenario(const claim_entry& c, const catalogue& cat,
                             const std::vector<override_entry>& sets) {
  if (c.scenario.find('/') != std::string::npos) {
    const auto rel = std::filesystem::path(c.file).parent_path() / c.scenario;
    std::error_code ec;
    if (std::filesystem::exists(rel, ec)) return load_scenario(rel.string(), cat, sets);
  }
  return load_scenario(c.scenario, cat, sets);
}

/// `audit --claims FILE` without a scenario: every claim against the scenario it names.
/// `audit --trends DB.csv`: the trend of frontier costs (trends.cpp, its defaults: top 10,
/// fine-tunes excluded, ownership), read once.
struct audit_trend {
  epoch_database db;
  trend_result r;  // points into db
};

std::unique_ptr<audit_trend> trend_for_audit(const options& o, const catalogue& cat) {
  if (o.trends.database.empty()) return nullptr;
  options t = o;
  t.trends.exclude_finetunes = true;
  auto out = std::make_unique<audit_trend>();
  out->db = read_epoch_database(o.trends.database);
  out->r = trends_of(t, cat, out->db);
  return out;
}

/// Adds where a cost claim on the dated run `s` sits on the trend to its reason.
void place_claim(claim_result& c, const audit_trend& t, const scenario& s) {
  if (c.what.metric != "cost_usd" || s.date.empty() || !(c.what.value > 0.0)) return;
  c.reason += (c.reason.empty() ? "" : "; ") + std::string("on the trend: ") +
              trend_sentence(t.r, "the claim", c.what.value, s.date);
}

std::string audit_claims_file(const options& o, const catalogue& cat) {
  const auto file = load_claims_file(o.claims_file);
  const auto sets = overrides_of(o);
  std::map<std::string, std::pair<scenario, estimate_result>> loaded;
  std::vector<claim_result> results;
  const auto trend = trend_for_audit(o, cat);
  for (const auto& c : file.claims) {
    auto it = loaded.find(c.scenario);
    if (it == loaded.end()) {
      auto s = load_claim_scenario(c, cat, sets);
      auto e = estimate(s, cat);
      it = loaded.emplace(c.scenario, std::make_pair(std::move(s), std::move(e))).first;
    }
    auto r = check_claim(c.what, it->second.first, it->second.second, cat);
    r.origin = fmt::format("{}:{}", file.file, c.line);
    r.refers_to = c.refers_to;
    if (trend) place_claim(r, *trend, it->second.first);
    results.push_back(std::move(r));
  }
  switch (o.format) {
    case output_format::json: {
      auto root = json::object();
      root.add("claims_file", json::string(file.file)).add("name", json::string(file.name));
      auto arr = json::array();
      for (const auto& r : results) arr.push(claim_json(r));
      root.add("claims", arr).add("sources", strings_json(file.sources));
      return root.str() + "\n";
    }
    case output_format::csv: {
      table t;
      // Every field of a claim (claim_json's), one row per claim.
      t.header = {"scenario",  "text",   "metric",       "value",  "verdict",
                  "reason",    "source", "status",       "bound",  "high",
                  "refers_to", "note",   "out_of_scope", "origin", "tolerance"};
      for (const auto& r : results) {
        const auto& w = r.what;
        t.rows.push_back({r.scenario, w.text, w.metric,
                          w.out_of_scope.empty() ? csv_number(w.value) : "", r.verdict, r.reason,
                          w.source, w.status, bound_name(w.bound),
                          w.bound == claim_bound::between ? csv_number(w.high) : "", r.refers_to,
                          w.note, w.out_of_scope, r.origin, csv_number(r.tolerance)});
      }
      return render_csv(t);
    }
    default: {
      const bool md = o.format == output_format::markdown;
      table t;
      t.header = {"verdict", "scenario", "claim", "metric", "value"};
      for (const auto& r : results) {
        t.rows.push_back({r.verdict, r.scenario, r.what.text, r.what.metric, claim_figure(r.what)});
      }
      std::string out =
          md ? fmt::format("## Claims: {}\n\n", file.name.empty() ? file.file : file.name)
             : fmt::format("Claims: {} ({})\n\n", file.name, file.file);
      out += render_table(t, md);
      out += claims_block(results, md);
      if (!sets.empty()) out += fmt::format("\nWhat-if: --set {}\n", fmt::join(o.sets, " --set "));
      // The file's sources, then the definitions of the other tags its claims' reasons cite
      // (e.g. gpt-4's NBF), from the claims' scenarios and the catalogue.
      std::vector<std::string> pool;
      for (const auto& [id, se] : loaded) {
        pool.insert(pool.end(), se.first.sources.begin(), se.first.sources.end());
      }
      out += "\n" + sources_block(out, file.sources, cat, pool);
      return out;
    }
  }
}

/// The reported figure of `metric` in `p`, if any.
std::optional<double> reported_of(const phase_result& p, const std::string& metric) {
  const auto& r = p.reported;
  if (metric == "cost_usd" && r.cost) return dollars(*r.cost);
  if (metric == "gpu_hours" && r.gpu_hours) return gpu_h(*r.gpu_hours);
  if (metric == "compute_flop" && r.compute_flop) return flop(*r.compute_flop);
  if (metric == "wall_clock_days" && r.wall_clock) return days_of(*r.wall_clock);
  return std::nullopt;
}

/// When claim `c` fails for `self`, the bundled run or phase whose reported figure it matches
/// (within that run's tolerance), as a sentence: "$5.6M is DeepSeek-V3's reported cost (whole
/// run: 2.788M GPU-hours on h800-sxm at $2.00 per GPU-hour), not DeepSeek-R1's ($294k)".
/// Computed from the presets; "" when none matches.
std::string matching_run(const claim& c, const scenario& self, const estimate_result& self_e,
                         const catalogue& cat) {
  if (c.bound != claim_bound::equal || !c.out_of_scope.empty() || c.metric.empty()) return "";
  double best = 1e300;
  std::string out;
  for (const auto& run : list_runs()) {
    if (run.id == self.id) continue;
    scenario s;
    estimate_result e;
    try {
      s = load_scenario(run.file.string(), cat);
      e = estimate(s, cat);
    } catch (const error&) {
      continue;  // a run the catalogue cannot model is no match
    }
    const double tol = tolerance_for(s, c.metric).ratio;
    std::vector<const phase_result*> scopes{&e.total};
    if (e.phases.size() > 1) {
      for (const auto& p : e.phases) scopes.push_back(&p);
    }
    for (const auto* p : scopes) {
      const auto v = reported_of(*p, c.metric);
      if (!v || !(*v > 0.0)) continue;
      const double d = std::fabs(c.value / *v - 1.0);
      if (d > tol + 1e-12 || d >= best) continue;
      best = d;
      const bool whole = p == &e.total;
      std::string how;
      if (p->reported.gpu_hours) {
        how = human(gpu_h(*p->reported.gpu_hours)) + " GPU-hours on " +
              (p->accelerator == "mixed" ? e.phases.front().accelerator : p->accelerator);
        if (p->implied.price) how += " at " + rate(per_hour(*p->implied.price)) + " per GPU-hour";
      }
      out = fmt::format("{} is {}'s reported {} ({}{}{})", detail::metric_text(c.metric, c.value),
                        s.name, metric_label(c.metric),
                        whole ? "whole run" : "phase '" + p->name + "'", how.empty() ? "" : ": ",
                        how);
    }
  }
  if (out.empty()) return "";
  const auto mine = reported_of(self_e.total, c.metric);
  return out + ", not " + self.name +
         (mine ? ", whose reported " + std::string(metric_label(c.metric)) + " is " +
                     detail::metric_text(c.metric, *mine)
               : std::string());
}

/// The verdict word for the first line.
std::string verdict_word(const std::string& v) {
  std::string out = v;
  for (auto& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

/// `audit --brief`: at most eight lines, the verdict first.
std::string audit_brief(const options& o, const scenario& s, const audit_result& a,
                        std::size_t own_claims, const catalogue& cat) {
  std::string out;
  std::string cmd = "costmodel audit " + o.scenarios.at(0);
  for (const auto& c : o.claims) cmd += " --claim '" + c + "'";
  if (own_claims > 0) {
    // The reader's claims only (not the preset's): up to three, verdict first.
    const std::size_t shown = std::min<std::size_t>(own_claims, 3);
    for (std::size_t i = 0; i < shown; ++i) {
      const auto& c = a.claims[i];
      out += fmt::format("{}: {} for {}\n", verdict_word(c.verdict), claim_label(c), s.name);
      std::string why = c.verdict == "consistent" ? "" : matching_run(c.what, s, a.estimate, cat);
      if (why.empty()) {
        why = c.reason;
        // One sentence: up to the first "; " outside brackets, after which the reasoning goes
        // on (a "; " inside "(nominal USD; $78M in 2023 USD)" is part of a figure).
        int depth = 0;
        for (std::size_t k = 0; k + 1 < why.size(); ++k) {
          if (why[k] == '(') ++depth;
          if (why[k] == ')' && depth > 0) --depth;
          if (depth == 0 && why[k] == ';' && why[k + 1] == ' ') {
            why.resize(k);
            break;
          }
        }
      }
      out += "Why: " + why + ".\n";
    }
    if (own_claims > shown) out += fmt::format("... and {} more claims\n", own_claims - shown);
  } else {
    std::size_t failed = 0;
    for (const auto& c : a.checks) failed += c.ok ? 0 : 1;
    std::size_t outside = 0;
    for (const auto& c : a.comparisons) outside += c.counted && !c.within_tolerance ? 1 : 0;
    const bool ok = failed == 0 && outside == 0;
    out += fmt::format(
        "{}: {}'s reported figures{}\n", ok ? "CONSISTENT" : "INCONSISTENT", s.name,
        ok ? " agree with each other and with the model"
           : fmt::format(": {} check(s) fail, {} figure(s) outside tolerance", failed, outside));
    out += fmt::format("Why: within {} ({}).\n", pct(a.tolerance.ratio), a.tolerance.reason);
  }
  out += model_kind_line(s);
  out += "Sources: " + source_tags(s.sources) + "\n";
  out += "Full audit: " + cmd + "\n";
  return out;
}

}  // namespace

void add_audit_options(CLI::App* sub, options& opts) {
  sub->add_option("scenario", opts.scenarios,
                  "Bundled id (deepseek-v3) or path to a .toml file; optional with --claims")
      ->expected(0, 1);
  sub->add_option("--claim,-c", opts.claims,
                  "A claim to check, METRIC=VALUE: cost_usd, gpu_hours, compute_flop or "
                  "wall_clock_days; values like 5.6e9, 5.6M, $100M; repeatable")
      ->allow_extra_args(false);
  sub->add_option("--claims", opts.claims_file,
                  "A claims file (presets/claims/*.toml): check every claim in it against the "
                  "scenario it names, or against SCENARIO when one is given");
  sub->add_option("--trends", opts.trends.database,
                  "Epoch AI's database (CSV): each cost claim's verdict also says where the claim "
                  "sits on the trend of frontier costs (costmodel trends, its defaults: top 10, "
                  "fine-tunes excluded, ownership)");
}

std::string cmd_audit(const options& o, const catalogue& cat) {
  check_brief_format(o.brief, o.format == output_format::json || o.format == output_format::csv);
  // Claims first, so that a bad one fails before any work.
  std::vector<claim> claims;
  for (const auto& c : o.claims) claims.push_back(parse_claim(c));
  if (o.scenarios.empty()) {
    if (o.claims_file.empty()) {
      throw input_error("audit: expected a SCENARIO (e.g. deepseek-v3) or --claims FILE");
    }
    if (!claims.empty()) {
      throw input_error("audit: --claim needs a SCENARIO to check the claim against");
    }
    if (o.brief) {
      throw input_error(
          "audit: --brief needs a SCENARIO (a claims file's verdicts are one table: drop "
          "--brief)");
    }
    return audit_claims_file(o, cat);
  }
  std::vector<claim_entry> from_file;
  if (!o.claims_file.empty()) from_file = load_claims_file(o.claims_file).claims;
  const auto s = load_scenario(o.scenarios.at(0), cat, overrides_of(o));
  auto a = audit(s, cat, claims);
  // Claims from a file are checked against the scenario given, which may not be theirs.
  std::vector<claim_result> file_results;
  for (const auto& c : from_file) {
    auto r = check_claim(c.what, s, a.estimate, cat);
    r.origin = fmt::format("{}:{}", c.file, c.line);
    r.refers_to = c.refers_to;
    if (c.scenario != s.id) {
      r.refers_to += (r.refers_to.empty() ? "" : "; ") + std::string("the file names '") +
                     c.scenario + "', checked here against '" + s.id + "'";
    }
    file_results.push_back(std::move(r));
  }
  a.claims.insert(a.claims.begin() + static_cast<std::ptrdiff_t>(claims.size()),
                  file_results.begin(), file_results.end());
  if (const auto trend = trend_for_audit(o, cat)) {  // audit --trends (trends.cpp)
    for (auto& c : a.claims) place_claim(c, *trend, s);
  }
  if (o.brief) return audit_brief(o, s, a, claims.size() + file_results.size(), cat);
  switch (o.format) {
    case output_format::json:
      return audit_json(s, a).str() + "\n";
    case output_format::csv:
      return audit_csv(a);
    case output_format::markdown:
      return audit_text(s, a, cat, true);
    default:
      return audit_text(s, a, cat, false);
  }
}

}  // namespace costmodel::cli
