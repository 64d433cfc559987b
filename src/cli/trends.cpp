// SPDX-License-Identifier: MIT
// `costmodel trends`: Epoch AI's database costed by the model (trends.hpp), the growth of the
// frontier's cost fitted, runs placed on the line; table, JSON, CSV or Markdown.
#include "trends.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>

#include "app.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"
#include "render.hpp"
#include "report.hpp"

namespace costmodel::cli {
namespace {

std::string method_name(cost_method m) { return std::string(to_string(m)); }

/// A run placed on the trend, by each method that has a cost.
struct mark_result {
  std::string id;
  std::string name;
  std::string date;
  std::vector<std::pair<cost_method, trend_position>> by_method;
  /// With --samples, per method: the sampled lines at the run's date and the ratio to them.
  std::vector<std::pair<trend_percentiles, trend_percentiles>> band;
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
    mark_result mr{s.id, s.name, s.date, {}, {}};
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

/// Text for XML character data and attribute values.
std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// A log-scale axis label: $1, $10, ..., $1k, $1M, $1B.
std::string decade_label(int k) {
  static constexpr std::array<std::string_view, 5> suffix{"", "k", "M", "B", "T"};
  if (k < 0) return fmt::format("${}", std::pow(10.0, k));
  const auto group = std::min<std::size_t>(static_cast<std::size_t>(k) / 3, suffix.size() - 1);
  const double v = std::pow(10.0, k - static_cast<int>(group) * 3);
  return fmt::format("${:.0f}{}", v, suffix[group]);
}

/// The picture (--format svg): the systems of the fit on a log-scale cost axis against the
/// publication date, the fitted line, its 90% prediction band (Student t, as
/// costmodel.plot.trend() draws it), with --samples the P5 and P95 of the sampled lines, and
/// the marked runs.
std::string trend_svg(const trend_result& r, const std::vector<mark_result>& marks,
                      const trend_band* band) {
  const auto& f = r.fit;
  const auto mi = *trend_method_index(r.options.method);
  struct point {
    double x, y;  // decimal year, log10 USD
    std::string label;
  };
  std::vector<point> pts;
  for (const auto& c : r.systems) {
    if (c.in_fit) pts.push_back({c.decimal_year, std::log10(*c.cost_usd[mi]), c.row->system});
  }
  std::vector<point> mk;
  for (const auto& m : marks) {
    for (const auto& [method, p] : m.by_method) {
      mk.push_back({p.decimal_year, std::log10(p.cost_usd),
                    fmt::format("{} ({})", m.name, method_name(method))});
    }
  }
  double x0 = 1e9;
  double x1 = -1e9;
  for (const auto* v : {&pts, &mk}) {
    for (const auto& p : *v) {
      x0 = std::min(x0, p.x);
      x1 = std::max(x1, p.x);
    }
  }
  x0 = std::floor(x0);
  x1 = std::ceil(x1 + 1e-9);
  constexpr int grid_n = 60;
  std::vector<std::array<double, 6>> grid;  // x, line, band low, band high, MC P5, MC P95
  double y0 = 1e9;
  double y1 = -1e9;
  for (int i = 0; i <= grid_n; ++i) {
    const double x = x0 + (x1 - x0) * i / grid_n;
    const double line = f.log10_cost_at(x);
    const double h = f.prediction_half_width(x);
    std::array<double, 6> g{x, line, line - h, line + h, line, line};
    if (band) {
      const auto q = band->line_usd_at(x);
      g[4] = std::log10(q[0]);
      g[5] = std::log10(q[2]);
    }
    y0 = std::min({y0, g[2], g[4]});
    y1 = std::max({y1, g[3], g[5]});
    grid.push_back(g);
  }
  for (const auto* v : {&pts, &mk}) {
    for (const auto& p : *v) {
      y0 = std::min(y0, p.y);
      y1 = std::max(y1, p.y);
    }
  }
  y0 = std::floor(y0);
  y1 = std::ceil(y1);
  if (y1 <= y0) y1 = y0 + 1;

  constexpr double width = 900;
  constexpr double height = 560;
  constexpr double left = 80;
  constexpr double right = 30;
  constexpr double top = 56;
  constexpr double bottom = 56;
  auto px = [&](double x) { return left + (x - x0) / (x1 - x0) * (width - left - right); };
  auto py = [&](double y) {
    return height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom);
  };
  auto xy = [&](double x, double y) { return fmt::format("{:.1f},{:.1f}", px(x), py(y)); };

  std::string o;
  o += fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"{0}\" height=\"{1}\" fill=\"white\"/>\n",
      width, height);
  o += fmt::format(
      "<text x=\"{}\" y=\"22\" font-size=\"15\">{}</text>\n"
      "<text x=\"{}\" y=\"40\" fill=\"#444\">{}</text>\n",
      left,
      xml_escape(fmt::format("Frontier training costs ({}, {}): {}x per year",
                             method_name(r.options.method), r.dollars,
                             fixed(f.growth_per_year, 3))),
      left,
      xml_escape(fmt::format(
          "90% CI {}x to {}x (Student t), N = {}, R^2 = {}{}", fixed(f.ci90[0], 3),
          fixed(f.ci90[1], 3), f.n, fixed(f.r2, 3),
          band ? fmt::format("; Monte Carlo ({} samples) P5 {}x, P95 {}x", band->samples,
                             fixed(band->growth_per_year[0], 3), fixed(band->growth_per_year[2], 3))
               : std::string())));
  // Axes: a gridline and label per decade of cost and per year (every other year past 12).
  o += "<g stroke=\"#ddd\" fill=\"none\">\n";
  for (int k = static_cast<int>(y0); k <= static_cast<int>(y1); ++k) {
    o += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>\n", left,
                     py(k), width - right, py(k));
  }
  const int step = x1 - x0 > 12 ? 2 : 1;
  for (int y = static_cast<int>(x0); y <= static_cast<int>(x1); y += step) {
    o += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>\n", px(y),
                     top, px(y), height - bottom);
  }
  o += "</g>\n<g fill=\"#333\">\n";
  for (int k = static_cast<int>(y0); k <= static_cast<int>(y1); ++k) {
    o += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", left - 6,
                     py(k) + 4, xml_escape(decade_label(k)));
  }
  for (int y = static_cast<int>(x0); y <= static_cast<int>(x1); y += step) {
    o += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", px(y),
                     height - bottom + 18, y);
  }
  o += fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">publication date</text>\n"
      "<text transform=\"translate(16 {:.1f}) rotate(-90)\" text-anchor=\"middle\">{} cost "
      "({}, log scale)</text>\n</g>\n",
      (left + width - right) / 2, height - 12, (top + height - bottom) / 2,
      method_name(r.options.method), xml_escape(r.dollars));
  // The band, the Monte Carlo's lines, the fit.
  std::string poly;
  for (const auto& g : grid) poly += xy(g[0], g[3]) + " ";
  for (auto it = grid.rbegin(); it != grid.rend(); ++it) poly += xy((*it)[0], (*it)[2]) + " ";
  poly.pop_back();
  o += fmt::format(
      "<polygon class=\"band\" points=\"{}\" fill=\"#888\" fill-opacity=\"0.2\" stroke=\"none\">"
      "<title>90% prediction band (Student t)</title></polygon>\n",
      poly);
  if (band) {
    for (std::size_t side : {std::size_t{4}, std::size_t{5}}) {
      std::string line;
      for (const auto& g : grid) line += xy(g[0], g[side]) + " ";
      line.pop_back();
      o += fmt::format(
          "<polyline class=\"samples\" points=\"{}\" fill=\"none\" stroke=\"#2a6\" "
          "stroke-dasharray=\"6 4\"><title>{} of the sampled lines</title></polyline>\n",
          line, side == 4 ? "P5" : "P95");
    }
  }
  o += fmt::format(
      "<line class=\"fit\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
      "stroke=\"#c33\" stroke-width=\"2\"/>\n",
      px(x0), py(f.log10_cost_at(x0)), px(x1), py(f.log10_cost_at(x1)));
  o += "<g class=\"systems\" fill=\"#1f5fa8\">\n";
  for (const auto& p : pts) {
    o += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4\"><title>{}</title></circle>\n",
                     px(p.x), py(p.y), xml_escape(p.label));
  }
  o += "</g>\n<g class=\"marks\">\n";
  for (std::size_t i = 0; i < mk.size(); ++i) {
    const auto& p = mk[i];
    o += fmt::format(
        "<path d=\"M{0:.1f},{1:.1f} l6,-6 l6,6 l-6,6 z\" transform=\"translate(-6 0)\" "
        "fill=\"#e80\"><title>{2}</title></path>\n"
        "<text x=\"{3:.1f}\" y=\"{4:.1f}\" fill=\"#a50\" text-anchor=\"end\">{2}</text>\n",
        px(p.x), py(p.y), xml_escape(p.label), px(p.x) - 10,
        py(p.y) + 4 + 14.0 * static_cast<double>(i));
  }
  o += "</g>\n</svg>\n";
  return o;
}

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
  sub->add_option("--samples", o.trends.samples,
                  "A Monte Carlo band: draw every input of every system of the fit from Epoch's "
                  "90% ranges N times, refit, and give P5/P50/P95 of the growth (default 0: off; "
                  "docs/trends.md lists the ranges)")
      ->check(CLI::Range(std::size_t{0}, max_trend_samples))
      ->option_text("N");
  sub->add_option("--output,-o", o.trends.output,
                  "Write the output (any format, e.g. the SVG) to FILE instead of stdout")
      ->option_text("FILE");
  sub->footer(
      "Examples (tests/data/epoch_small.csv is a made-up file in the database's format):\n"
      "  costmodel trends tests/data/epoch_small.csv --top-n 3 --usd-year 2023\n"
      "  costmodel trends tests/data/epoch_small.csv --top-n 3 --mark deepseek-v3 --format json\n"
      "  costmodel trends tests/data/epoch_small.csv --top-n 3 --samples 2000 --seed 7\n"
      "  costmodel trends tests/data/epoch_small.csv --top-n 3 --format svg --output "
      "/tmp/trend.svg");
  sub->callback([&o] { o.command = "trends"; });
  return sub;
}

namespace {

std::string trends_output(const options& o, const catalogue& cat) {
  const auto db = read_epoch_database(o.trends.database);
  const auto r = trends_of(o, cat, db);
  auto marks = marks_of(o, cat, r);
  const auto& f = r.fit;
  std::optional<trend_band> band;
  if (o.trends.samples > 0) {
    band = sample_trend(db, cat, r, o.trends.samples, o.seed);
    for (auto& m : marks) {
      for (const auto& [method, p] : m.by_method) {
        m.band.emplace_back(band->line_usd_at(p.decimal_year),
                            band->ratio_at(p.cost_usd, p.decimal_year));
      }
    }
  }
  if (o.format == output_format::svg) return trend_svg(r, marks, band ? &*band : nullptr);
  auto p3 = [](const trend_percentiles& p) {
    return json::object()
        .add("p5", json::number(p[0]))
        .add("p50", json::number(p[1]))
        .add("p95", json::number(p[2]));
  };

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
      for (std::size_t i = 0; i < m.by_method.size(); ++i) {
        const auto& [method, p] = m.by_method[i];
        auto j = json::object()
                     .add("cost_usd", json::number(p.cost_usd))
                     .add("trend_usd", json::number(p.trend_usd))
                     .add("ratio", json::number(p.ratio))
                     .add("as_far", json::integer(p.as_far))
                     .add("n", json::integer(p.n));
        if (i < m.band.size()) {
          j.add("band", json::object()
                            .add("trend_usd", p3(m.band[i].first))
                            .add("ratio", p3(m.band[i].second)));
        }
        by.add(method_name(method), j);
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
    if (band) {
      auto ranges = json::array();
      for (const auto& x : trend_input_ranges()) {
        ranges.push(json::object()
                        .add("input", json::string(std::string(x.name)))
                        .add("applies_to", json::string(std::string(x.applies_to)))
                        .add("distribution",
                             json::string(x.draw == trend_draw::lognormal ? "lognormal" : "normal"))
                        .add("p5", json::number(x.low))
                        .add("p95", json::number(x.high))
                        .add("source", json::string(std::string(x.source))));
      }
      out.add("band", json::object()
                          .add("samples", json::integer(band->samples))
                          .add("seed", json::integer(band->seed))
                          .add("growth_per_year", p3(band->growth_per_year))
                          .add("ranges", ranges));
    }
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
  if (band) {
    // Before the blank line that ends the header.
    out.pop_back();
    out += fmt::format(
        "Monte Carlo band ({} samples, seed {}; every system's inputs drawn from Epoch's 90% "
        "ranges, listed below): growth P5 {}x, P50 {}x, P95 {}x per year\n\n",
        band->samples, band->seed, fixed(band->growth_per_year[0], 3),
        fixed(band->growth_per_year[1], 3), fixed(band->growth_per_year[2], 3));
  }
  out += render_table(t, md);

  std::vector<std::string> marks_text;
  for (const auto& m : marks) {
    for (std::size_t i = 0; i < m.by_method.size(); ++i) {
      const auto& [method, p] = m.by_method[i];
      marks_text.push_back(fmt::format(
          "{} [{}] {} ({}), {} {}: the line gives {} at that date; {}; {} of the {} systems of "
          "the fit are as far from it or farther",
          m.name, m.id, m.date, method_name(method), usd(p.cost_usd), r.dollars, usd(p.trend_usd),
          ratio_text(p.ratio), p.as_far, p.n));
      if (i < m.band.size()) {
        const auto& [line, ratio] = m.band[i];
        marks_text.back() +=
            fmt::format("; sampled lines {} to {} (P5-P95), {} to {} x the line", usd(line[0]),
                        usd(line[2]), fixed(ratio[0], 3), fixed(ratio[2], 3));
      }
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
  if (band) {
    std::vector<std::string> ranges;
    for (const auto& x : trend_input_ranges()) {
      ranges.push_back(
          fmt::format("{}: {} to {} ({}, P5-P95): {}", x.name, human(x.low), human(x.high),
                      x.draw == trend_draw::lognormal ? "lognormal" : "normal", x.applies_to));
    }
    ranges.push_back(
        "source: Epoch AI, training-cost-trends, uncertainty.ipynb (the 90% intervals of "
        "Cottier et al. 2024's cost estimates); the assumptions are marked");
    out += list_block("Ranges of the band", ranges);
  }
  return out;
}

}  // namespace

std::string cmd_trends(const options& o, const catalogue& cat) {
  auto out = trends_output(o, cat);
  if (o.trends.output.empty()) return out;
  {
    std::ofstream file(o.trends.output, std::ios::binary | std::ios::trunc);
    if (file) file << out;
    if (!file || !file.flush()) {
      throw input_error("--output " + o.trends.output + ": cannot write the file");
    }
  }
  return fmt::format("Wrote {} ({} bytes)\n", o.trends.output, out.size());
}

}  // namespace costmodel::cli
