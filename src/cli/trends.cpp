// SPDX-License-Identifier: MIT
// `costmodel trends`: Epoch AI's database costed by the model (trends.hpp), the growth of the
// frontier's cost fitted, runs placed on the line; table, JSON, CSV or Markdown.
#include "trends.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <map>

#include "app.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"
#include "render.hpp"

namespace costmodel::cli {
namespace {

std::string method_name(cost_method m) { return std::string(to_string(m)); }

/// A run placed on the trend, by each method that has a cost.
struct mark_result {
  std::string id;
  std::string name;
  std::string date;
  std::vector<std::pair<cost_method, trend_position>> by_method;
};

std::vector<mark_result> marks_of(const options& o, const catalogue& cat, const trend_result& r) {
  std::vector<mark_result> out;
  for (const auto& m : o.trends.marks) {
    const auto s = load_scenario(m, cat, overrides_of(o));
    if (s.date.empty()) {
      throw input_error("--mark " + m +
                        ": the run has no date, so it cannot be placed on the "
                        "trend (give date = YYYY-MM)");
    }
    const auto e = estimate(s, cat);
    mark_result mr{s.id, s.name, s.date, {}};
    // The trend's own method first, then rental and ownership.
    std::vector<cost_method> order{r.options.method};
    for (auto x : {cost_method::rental, cost_method::ownership}) {
      if (x != r.options.method) order.push_back(x);
    }
    for (auto x : order) {
      const auto it = e.total.cost.find(method_name(x));
      if (it == e.total.cost.end()) continue;
      mr.by_method.emplace_back(x, place_on_trend(r, value_in(it->second, units::usd), s.date));
    }
    out.push_back(std::move(mr));
  }
  return out;
}

std::string ratio_text(double ratio) {
  return ratio >= 1.0 ? fmt::format("{} x the line", fixed(ratio, 2))
                      : fmt::format("{} x the line (1/{})", fixed(ratio, 3), fixed(1.0 / ratio, 1));
}

std::string filters_text(const trend_result& r) {
  const auto& o = r.options;
  std::string s = o.top_n == 0
                      ? std::string("every system with compute")
                      : fmt::format("the top {} by training compute at publication", o.top_n);
  s += o.exclude_finetunes ? ", fine-tunes excluded" : ", fine-tunes included";
  if (!o.since.empty()) s += ", since " + o.since;
  if (!o.until.empty()) s += ", until " + o.until;
  return s;
}

json opt_number(const std::optional<double>& v) { return v ? json::number(*v) : json::null(); }

json opt_string(const std::string& s) { return s.empty() ? json::null() : json::string(s); }

}  // namespace

trend_result trends_of(const options& o, const catalogue& cat, const epoch_database& db) {
  trend_options t;
  t.top_n = o.trends.top_n;
  t.exclude_finetunes = o.trends.exclude_finetunes;
  t.since = o.trends.since;
  t.until = o.trends.until;
  const auto m = parse_trend_method(o.trends.method);
  if (!m) {
    throw input_error("--method: expected ownership, rental or purchase, got '" + o.trends.method +
                      "'");
  }
  t.method = *m;
  t.usd_year = o.usd_year;
  return run_trends(db, cat, t);
}

std::string trend_sentence(const trend_result& r, const std::string& what, double cost_usd,
                           const std::string& date) {
  const auto p = place_on_trend(r, cost_usd, date);
  return fmt::format(
      "{} {} ({}): the trend of {} costs gives {} at that date; {}; {} of the {} systems of the "
      "fit are as far from the line or farther",
      what, usd(p.cost_usd), r.dollars, method_name(r.options.method), usd(p.trend_usd),
      ratio_text(p.ratio), p.as_far, p.n);
}

CLI::App* add_trends_command(CLI::App& app, options& o) {
  auto* sub = app.add_subcommand(
      "trends",
      "Cost every system of Epoch AI's database with the model, fit the growth of frontier "
      "training costs, and place runs on the trend");
  sub->add_option("database", o.trends.database,
                  "Epoch AI's 'All ML Systems' CSV (download it from "
                  "https://epoch.ai/data/ai-models)")
      ->required();
  sub->add_option("--top-n", o.trends.top_n,
                  "The frontier: systems among the N most compute-intensive at their publication "
                  "(default 10; 0 keeps every system with compute)");
  sub->add_flag(
      "--exclude-finetunes", o.trends.exclude_finetunes,
      "Leave fine-tunes (a base model or fine-tune compute given) out of the fit; they are still "
      "ranked, as in Epoch's selection");
  sub->add_option("--since", o.trends.since, "First publication date of the fit, YYYY[-MM[-DD]]");
  sub->add_option("--until", o.trends.until,
                  "Last publication date of the fit, YYYY[-MM[-DD]], inclusive");
  sub->add_option("--method", o.trends.method,
                  "The cost the trend is fitted on: ownership (amortised hardware + energy, "
                  "default), rental or purchase")
      ->check(CLI::IsMember({"ownership", "rental", "purchase"}));
  sub->add_option("--usd-year", o.usd_year,
                  "Dollars of this year, converted with the US PPI for data processing and "
                  "hosting (BLS PCU518210518210); default nominal, of each publication year");
  sub->add_option("--mark", o.trends.marks,
                  "Place a run on the trend: a bundled id (deepseek-v3) or a .toml file; "
                  "repeatable")
      ->allow_extra_args(false);
  sub->footer(
      "Examples (tests/data/epoch_small.csv is a made-up file in the database's format):\n"
      "  costmodel trends tests/data/epoch_small.csv --top-n 3 --usd-year 2023\n"
      "  costmodel trends tests/data/epoch_small.csv --top-n 3 --mark deepseek-v3 --format json");
  sub->callback([&o] { o.command = "trends"; });
  return sub;
}

std::string cmd_trends(const options& o, const catalogue& cat) {
  const auto db = read_epoch_database(o.trends.database);
  const auto r = trends_of(o, cat, db);
  const auto marks = marks_of(o, cat, r);
  const auto& f = r.fit;

  // The residual of each system of the fit, by row.
  std::map<const epoch_system*, double> residual;
  {
    std::size_t k = 0;
    for (const auto& c : r.systems) {
      if (c.in_fit) residual[c.row] = r.residuals.at(k++);
    }
  }

  if (o.format == output_format::json) {
    auto costs_json = [](const costed_system& c) {
      auto j = json::object();
      for (std::size_t m = 0; m < trend_methods.size(); ++m) {
        j.add(method_name(trend_methods[m]), opt_number(c.cost_usd[m]));
      }
      return j;
    };
    auto systems = json::array();
    for (const auto& c : r.systems) {
      const auto& s = *c.row;
      auto j = json::object();
      j.add("system", json::string(s.system))
          .add("date", json::string(s.date))
          .add("line", json::integer(s.line))
          .add("organization", json::string(s.organization))
          .add("hardware", json::string(s.hardware))
          .add("accelerator", json::string(c.accelerator))
          .add("hardware_note", opt_string(c.hardware_note))
          .add("frontier", json::boolean(c.frontier))
          .add("in_fit", json::boolean(c.in_fit))
          .add("compute_flop", opt_number(s.compute_flop))
          .add("hardware_quantity", opt_number(s.hardware_quantity))
          .add("training_hours", opt_number(s.training_hours))
          .add("confidence", opt_string(s.confidence))
          .add("gpu_hours", json::number(c.gpu_hours))
          .add("basis", json::string(std::string(to_string(c.basis))))
          .add("mfu", opt_number(c.mfu))
          .add("acquisition_date", json::string(c.acquisition))
          .add("training_start_date", json::string(c.training_start))
          .add("cost_usd", costs_json(c))
          .add("database_cost_2020_usd", opt_number(s.database_cost_2020));
      const auto it = residual.find(c.row);
      j.add("residual_log10", it == residual.end() ? json::null() : json::number(it->second));
      systems.push(j);
    }
    auto excluded = json::array();
    for (const auto& x : r.excluded) {
      excluded.push(json::object()
                        .add("system", json::string(x.row->system))
                        .add("date", json::string(x.row->date))
                        .add("line", json::integer(x.row->line))
                        .add("frontier", json::boolean(x.frontier))
                        .add("reason", json::string(x.reason)));
    }
    auto marks_j = json::array();
    for (const auto& m : marks) {
      auto by = json::object();
      for (const auto& [method, p] : m.by_method) {
        by.add(method_name(method), json::object()
                                        .add("cost_usd", json::number(p.cost_usd))
                                        .add("trend_usd", json::number(p.trend_usd))
                                        .add("ratio", json::number(p.ratio))
                                        .add("as_far", json::integer(p.as_far))
                                        .add("n", json::integer(p.n)));
      }
      marks_j.push(json::object()
                       .add("id", json::string(m.id))
                       .add("name", json::string(m.name))
                       .add("date", json::string(m.date))
                       .add("on_trend", by));
    }
    auto out = json::object();
    out.add("file", json::string(r.file))
        .add("method", json::string(method_name(r.options.method)))
        .add("usd_year", r.options.usd_year
                             ? json::integer(static_cast<std::uint64_t>(*r.options.usd_year))
                             : json::null())
        .add("dollars", json::string(r.dollars))
        .add("top_n", json::integer(r.options.top_n))
        .add("exclude_finetunes", json::boolean(r.options.exclude_finetunes))
        .add("since", opt_string(r.options.since))
        .add("until", opt_string(r.options.until))
        .add("growth_per_year", json::number(f.growth_per_year))
        .add("ci90", json::array().push(json::number(f.ci90[0])).push(json::number(f.ci90[1])))
        .add("n", json::integer(f.n))
        .add("r2", json::number(f.r2))
        .add("slope_log10_per_year", json::number(f.slope))
        .add("intercept_log10", json::number(f.intercept))
        .add("residual_sd_log10", json::number(f.residual_sd))
        .add("systems", systems)
        .add("excluded", excluded)
        .add("marks", marks_j)
        .add("notes", strings_json(r.notes));
    return out.str() + "\n";
  }

  // Table, CSV, Markdown: the frontier systems, costed or not.
  table t;
  t.header = {"system", "date", "accelerator", "chip-hours", "basis"};
  for (auto m : trend_methods) t.header.push_back(method_name(m));
  t.header.insert(t.header.end(), {"database 2020 USD", "in fit", "residual"});
  const bool machine_cells = o.format == output_format::csv;
  auto money_cell = [&](const std::optional<double>& v) {
    if (!v) return std::string(machine_cells ? "" : "-");
    return machine_cells ? csv_number(*v) : usd(*v);
  };
  for (const auto& c : r.systems) {
    if (!c.frontier) continue;
    const auto& s = *c.row;
    std::vector<std::string> row{s.system, s.date, c.accelerator,
                                 machine_cells ? csv_number(c.gpu_hours) : human(c.gpu_hours),
                                 std::string(to_string(c.basis))};
    for (std::size_t m = 0; m < trend_methods.size(); ++m) row.push_back(money_cell(c.cost_usd[m]));
    row.push_back(money_cell(s.database_cost_2020));
    row.push_back(c.in_fit ? "yes" : "no");
    const auto it = residual.find(c.row);
    row.push_back(it == residual.end() ? (machine_cells ? "" : "-")
                                       : (machine_cells ? csv_number(it->second)
                                                        : fmt::format("{:+.2f}", it->second)));
    t.rows.push_back(std::move(row));
  }
  if (o.format == output_format::csv) return render_csv(t);
  const bool md = o.format == output_format::markdown;

  std::string out = fmt::format(
      "Trend of frontier training costs: {}\n"
      "Method: {} ({}); {}.\n"
      "Growth: {}x per year (90% CI {}x to {}x, Student t), N = {}, R^2 = {}\n\n",
      r.file, method_name(r.options.method), r.dollars, filters_text(r),
      fixed(f.growth_per_year, 3), fixed(f.ci90[0], 3), fixed(f.ci90[1], 3), f.n, fixed(f.r2, 3));
  out += md ? render_markdown(t) : render_text(t);

  std::vector<std::string> marks_text;
  for (const auto& m : marks) {
    for (const auto& [method, p] : m.by_method) {
      marks_text.push_back(fmt::format(
          "{} [{}] {} ({}), {} {}: the line gives {} at that date; {}; {} of the {} systems of "
          "the fit are as far from it or farther",
          m.name, m.id, m.date, method_name(method), usd(p.cost_usd), r.dollars, usd(p.trend_usd),
          ratio_text(p.ratio), p.as_far, p.n));
    }
  }
  std::vector<std::string> frontier_out;
  std::map<std::string, std::size_t> others;
  for (const auto& x : r.excluded) {
    if (x.frontier) {
      frontier_out.push_back(
          fmt::format("{} ({}, line {}): {}", x.row->system, x.row->date, x.row->line, x.reason));
    } else {
      auto reason = x.reason;
      if (reason.rfind("unknown accelerator", 0) == 0) reason = "unknown accelerator";
      if (reason.rfind("fine-tune of", 0) == 0) reason = "fine-tune (--exclude-finetunes)";
      if (reason.rfind("several accelerator types", 0) == 0) reason = "several accelerator types";
      if (reason.rfind("the model:", 0) == 0) reason = "the model refused the inputs";
      ++others[reason];
    }
  }
  std::vector<std::string> others_text;
  for (const auto& [reason, n] : others) others_text.push_back(fmt::format("{}: {}", reason, n));
  if (!others_text.empty()) {
    others_text.push_back("(every row with its reason: --format json, key \"excluded\")");
  }
  std::vector<std::string> mapped;
  {
    std::map<std::string, std::string> seen;
    for (const auto& c : r.systems) {
      if (c.frontier && !c.hardware_note.empty()) seen[c.row->hardware] = c.hardware_note;
    }
    for (const auto& [name, n] : seen) mapped.push_back(name + ": " + n);
  }
  out += "\n" + list_block("On the trend", marks_text) +
         list_block("Frontier systems left out of the fit", frontier_out) +
         list_block("Other rows not costed, by reason", others_text) +
         list_block("Hardware mapped approximately", mapped) + list_block("Method", r.notes);
  return out;
}

}  // namespace costmodel::cli
