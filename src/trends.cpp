// SPDX-License-Identifier: MIT
// Trends (trends.hpp): Epoch AI's database read with libcsv, each system costed by estimate(),
// the frontier selected, and the growth of cost fitted by ordinary least squares.
#include "costmodel/trends.hpp"

#include <csv.h>
#include <toml++/toml.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include "costmodel/cost_methods.hpp"
#include "costmodel/error.hpp"
#include "costmodel/estimate.hpp"
#include "costmodel/presets.hpp"
#include "costmodel/text.hpp"
#include "costmodel/uncertainty.hpp"

namespace costmodel {

namespace {

// ---------------------------------------------------------------------------------------------
// The columns: each field of epoch_system, and the headers it is found under (the first is the
// older export's name, the others the newer database's).

enum class col : std::uint8_t {
  system,
  date,
  organization,
  parameters,
  compute,
  training_hours,
  hardware,
  quantity,
  utilization,
  chip_hours,
  dataset_size,
  confidence,
  base_model,
  finetune_compute,
  cost_2020,
  count_
};

struct column_spec {
  col which;
  bool required;
  std::vector<std::string_view> names;
};

const std::vector<column_spec>& column_specs() {
  static const std::vector<column_spec> specs{
      {col::system, true, {"System", "Model"}},
      {col::date, true, {"Publication date"}},
      {col::organization, false, {"Organization", "Organization(s)"}},
      {col::parameters, false, {"Parameters"}},
      {col::compute, true, {"Training compute (FLOP)"}},
      {col::training_hours, false, {"Training time (hours)"}},
      {col::hardware, true, {"Training hardware"}},
      {col::quantity, false, {"Hardware quantity"}},
      {col::utilization, false, {"Hardware utilization", "Hardware utilization (MFU)"}},
      {col::chip_hours, false, {"Training chip-hours"}},
      {col::dataset_size,
       false,
       {"Training dataset size (datapoints)", "Training dataset size (total)"}},
      {col::confidence, false, {"Confidence"}},
      {col::base_model, false, {"Base model"}},
      {col::finetune_compute, false, {"Finetune compute (FLOP)"}},
      {col::cost_2020, false, {"Training compute cost (2020 USD)"}},
  };
  return specs;
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

/// A number as the database writes it: "1.2e+24", "0.4500", "$3,076.07", "45%"; nothing for an
/// empty cell or text.
std::optional<double> number_of(std::string_view cell) {
  std::string s;
  s.reserve(cell.size());
  for (char c : cell) {
    if (c != ',' && c != '$' && c != ' ' && c != '\r' && c != '\n' && c != '\t') s += c;
  }
  double scale = 1.0;
  if (!s.empty() && s.back() == '%') {
    s.pop_back();
    scale = 0.01;
  }
  if (s.empty()) return std::nullopt;
  double v = 0.0;
  const auto* first = s.data();
  const auto* last = s.data() + s.size();
  if (*first == '+') ++first;
  const auto [p, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || p != last || !std::isfinite(v)) return std::nullopt;
  return v * scale;
}

struct csv_state {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> row_lines;
  std::vector<std::string> current;
  std::size_t line = 1;       // the line being fed
  std::size_t row_start = 1;  // the line the current row started on
};

extern "C" void on_field(void* data, std::size_t len, void* st) {
  auto* s = static_cast<csv_state*>(st);
  s->current.emplace_back(data ? static_cast<const char*>(data) : "", data ? len : 0);
}

extern "C" void on_row(int /*terminator*/, void* st) {
  auto* s = static_cast<csv_state*>(st);
  s->rows.push_back(std::move(s->current));
  s->row_lines.push_back(s->row_start);
  s->current.clear();
  s->row_start = s->line + 1;
}

struct parser_guard {
  csv_parser p{};
  bool ready = false;
  ~parser_guard() {
    if (ready) csv_free(&p);
  }
};

std::string located(const std::string& file, std::size_t line, std::size_t column,
                    const std::string& what) {
  return file + ":" + detail::integer_text(line) + ":" + detail::integer_text(column) + ": " + what;
}

/// Days since 1970-01-01 to "YYYY-MM-DD" (Hinnant's civil_from_days, the inverse of
/// days_from_civil in cost_methods.hpp).
std::string date_of_days(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = yoe + era * 400;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const long d = doy - (153 * mp + 2) / 5 + 1;
  const long m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  return detail::date_text_of(y, m, d);
}

// ---------------------------------------------------------------------------------------------
// The hardware map (presets/trends/epoch-hardware.toml).

struct hardware_entry {
  std::string accelerator;
  std::string note;
};

struct hardware_map {
  std::string file;
  std::map<std::string, hardware_entry, std::less<>> names;
};

hardware_map load_hardware_map() {
  for (const auto& dir : preset_search_path()) {
    const auto path = dir / "trends" / "epoch-hardware.toml";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) continue;
    hardware_map m;
    m.file = path.string();
    toml::table t;
    try {
      t = toml::parse_file(m.file);
    } catch (const toml::parse_error& e) {
      const auto& b = e.source().begin;
      throw preset_error(errc::preset_syntax, m.file, b.line, b.column, "",
                         "invalid TOML: " + std::string(e.description()));
    }
    const auto* names = t["names"].as_table();
    if (!names) {
      throw preset_error(errc::preset_missing_key, m.file, 1, 1, "names", "missing table");
    }
    for (const auto& [k, v] : *names) {
      const std::string key = "names." + std::string(k.str());
      const auto at = v.source().begin;
      hardware_entry e;
      if (const auto* s = v.as_string()) {
        e.accelerator = s->get();
      } else if (const auto* tb = v.as_table()) {
        if (const auto* a = (*tb)["accelerator"].as_string()) e.accelerator = a->get();
        if (const auto* n = (*tb)["note"].as_string()) e.note = n->get();
      }
      if (e.accelerator.empty()) {
        throw preset_error(
            errc::preset_bad_value, m.file, at.line, at.column, key,
            "expected an accelerator id, or { accelerator = \"id\", note = \"...\" }");
      }
      m.names.emplace(std::string(k.str()), std::move(e));
    }
    return m;
  }
  throw input_error(
      "trends: no trends/epoch-hardware.toml on the preset path (the map from the database's "
      "hardware names to catalogue ids)");
}

// ---------------------------------------------------------------------------------------------
// Costing one system.

/// Epoch's median training time of the running top-10 systems, used for the start of training
/// when the database gives no training time (EPOCH-CODE parameters, MEDIAN_TRAINING_TIME_DAYS =
/// 793.5 / 24, i.e. 793.5 hours).
constexpr double median_training_hours = 793.5;
/// Epoch's buffer between the end of training and publication (EPOCH-CODE prices.py
/// get_purchase_time / get_training_start_date: publication - training time - 60 days).
constexpr long publication_buffer_days = 60;

/// The first precision of Epoch's order of preference (tensor FP16/BF16, TF32, FP32; EPOCH-CODE
/// flop_per_second_columns) that the accelerator has a peak for; int8 for TPU v1.
std::optional<precision> precision_for(const accelerator_spec& a) {
  for (auto p :
       {precision::bf16, precision::fp16, precision::tf32, precision::fp32, precision::int8}) {
    if (a.supports(p)) return p;
  }
  return std::nullopt;
}

std::string slug(const std::string& name) {
  std::string out;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "system" : out;
}

/// What a system's cost method lacks, from estimate()'s notes ("... not computed: ...").
std::string missing_reason(const estimate_result& e, cost_method m) {
  const std::string_view name = to_string(m);
  const std::string_view key = m == cost_method::rental ? "price" : name;
  for (const auto& a : e.assumptions) {
    if (a.find("not computed") == std::string::npos) continue;
    if (a.compare(0, key.size(), key) == 0 ||
        (m != cost_method::rental && a.find(name) != std::string::npos)) {
      return a;
    }
  }
  return "no " + std::string(name) + " cost";
}

/// The scenario of one row: its hardware, chip-hours by the first source that has them (setting
/// c.basis), and the ownership method's dates (c.training_start, c.acquisition); nothing when
/// the row has neither chip-hours, time x quantity nor compute.
std::optional<scenario> system_scenario(const epoch_system& s, const accelerator_spec& acc,
                                        const trend_options& o, costed_system& c) {
  scenario sc;
  sc.id = slug(s.system);
  sc.name = s.system;
  sc.developer = s.organization;
  sc.date = s.date;
  auto& in = sc.base;
  in.accelerator = acc.id;
  in.precision = precision_for(acc);
  in.price_basis = price_basis::three_year;
  in.usd_year = o.usd_year;
  if (s.compute_flop && *s.compute_flop > 0.0) in.compute_flop = compute_from_flop(*s.compute_flop);
  const bool quantity = s.hardware_quantity && *s.hardware_quantity >= 1.0;
  if (quantity) in.count = gpus(*s.hardware_quantity);
  const bool hours = s.training_hours && *s.training_hours > 0.0;
  if (s.chip_hours && *s.chip_hours > 0.0) {
    c.basis = chip_hours_source::database;
    in.reported.gpu_hours = gpu_time_from_gpu_hours(*s.chip_hours);
  } else if (hours && quantity) {
    c.basis = chip_hours_source::time_x_quantity;
    in.reported.gpu_hours = gpu_time_from_gpu_hours(*s.training_hours * *s.hardware_quantity);
  } else if (in.compute_flop) {
    c.basis = chip_hours_source::compute_model;
    if (s.utilization && *s.utilization > 0.0 && *s.utilization <= 1.0) {
      in.mfu = efficiency::from_ratio(*s.utilization);
    }
  } else {
    return std::nullopt;
  }
  // Ownership dates (Epoch's rules; the model lifts an early acquisition to release + 90 days
  // for a GPU).
  const long pub = *parse_date_days(s.date);
  const double train_h = hours ? *s.training_hours : median_training_hours;
  const long start = pub - static_cast<long>(std::floor(train_h / 24.0)) - publication_buffer_days;
  long acquired = start;
  if (const auto rel = parse_date_days(acc.launch)) acquired = std::min(acquired, *rel);
  c.training_start = date_of_days(start);
  c.acquisition = date_of_days(acquired);
  sc.costs.ownership.acquisition_date = c.acquisition;
  sc.costs.ownership.training_start_date = c.training_start;
  return sc;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Reading.

epoch_database parse_epoch_database(std::string_view text, const std::string& file) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  parser_guard g;
  if (csv_init(&g.p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    throw input_error(file + ": cannot start the CSV parser (out of memory)");
  }
  g.ready = true;
  csv_state st;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    const std::size_t len = end - pos;
    const std::size_t done = csv_parse(&g.p, text.data() + pos, len, on_field, on_row, &st);
    if (done != len) {
      throw input_error(located(file, st.line, done + 1,
                                std::string("invalid CSV: ") + csv_strerror(csv_error(&g.p))));
    }
    pos = end;
    if (nl != std::string_view::npos) ++st.line;
  }
  if (csv_fini(&g.p, on_field, on_row, &st) != 0) {
    throw input_error(located(file, st.row_start, 1,
                              "invalid CSV: a quoted field that starts here is never closed"));
  }
  if (st.rows.empty()) throw input_error(located(file, 1, 1, "empty file; expected a header"));

  epoch_database db;
  db.file = file;
  const auto& header = st.rows.front();
  std::array<std::optional<std::size_t>, static_cast<std::size_t>(col::count_)> at{};
  for (const auto& spec : column_specs()) {
    for (auto name : spec.names) {
      for (std::size_t i = 0; i < header.size(); ++i) {
        if (trim(header[i]) == name) {
          at[static_cast<std::size_t>(spec.which)] = i;
          db.columns.emplace_back(spec.names.front(), std::string(name));
          break;
        }
      }
      if (at[static_cast<std::size_t>(spec.which)]) break;
    }
    if (spec.required && !at[static_cast<std::size_t>(spec.which)]) {
      std::string names;
      for (auto n : spec.names) names += (names.empty() ? "'" : " or '") + std::string(n) + "'";
      throw input_error(
          located(file, st.row_lines.front(), 1, "missing column " + names + " in the header"));
    }
  }
  for (std::size_t r = 1; r < st.rows.size(); ++r) {
    const auto& row = st.rows[r];
    if (row.size() > header.size()) {
      throw input_error(located(file, st.row_lines[r], 1,
                                "row has " + detail::integer_text(row.size()) +
                                    " fields; the header has " +
                                    detail::integer_text(header.size())));
    }
    auto cell = [&](col c) -> std::string_view {
      const auto& i = at[static_cast<std::size_t>(c)];
      if (!i || *i >= row.size()) return {};
      return row[*i];
    };
    auto num = [&](col c) { return number_of(cell(c)); };
    epoch_system s;
    s.line = st.row_lines[r];
    s.system = trim(cell(col::system));
    if (s.system.empty()) continue;  // the export's trailing empty row
    s.date = trim(cell(col::date));
    s.organization = trim(cell(col::organization));
    s.hardware = trim(cell(col::hardware));
    s.confidence = trim(cell(col::confidence));
    s.base_model = trim(cell(col::base_model));
    s.parameters = num(col::parameters);
    s.compute_flop = num(col::compute);
    s.training_hours = num(col::training_hours);
    s.hardware_quantity = num(col::quantity);
    s.utilization = num(col::utilization);
    s.chip_hours = num(col::chip_hours);
    s.dataset_size = num(col::dataset_size);
    s.finetune_compute = num(col::finetune_compute);
    s.database_cost_2020 = num(col::cost_2020);
    db.systems.push_back(std::move(s));
  }
  return db;
}

epoch_database read_epoch_database(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(path + ": cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw input_error(path + ": cannot read the file");
  return parse_epoch_database(ss.str(), path);
}

// ---------------------------------------------------------------------------------------------
// The fit.

std::optional<cost_method> parse_trend_method(std::string_view name) noexcept {
  for (auto m : trend_methods) {
    if (to_string(m) == name) return m;
  }
  return std::nullopt;
}

double decimal_year(std::string_view date) {
  if (!parse_date_days(date)) {
    throw input_error("expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got '" + std::string(date) +
                      "'");
  }
  auto part = [&](std::size_t from) {
    return from + 2 <= date.size() ? (date[from] - '0') * 10 + (date[from + 1] - '0') : 1;
  };
  const int y =
      (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
  const int m = date.size() >= 7 ? part(5) : 1;
  const int d = date.size() >= 10 ? part(8) : 1;
  // Epoch's rule (ml_model_selection.ipynb, 'Decimal year').
  return y + (m - 1) / 12.0 + (d - 1) / 365.0;
}

trend_fit fit_trend(const std::vector<double>& xs, const std::vector<double>& ys) {
  const std::size_t n = xs.size();
  if (n != ys.size()) throw input_error("trends: as many dates as costs are needed");
  if (n < 3) {
    throw input_error("trends: " + detail::integer_text(n) +
                      " systems to fit; expected at least 3 (widen --since/--until or --top-n)");
  }
  double mx = 0.0;
  double my = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxx = 0.0;
  double sxy = 0.0;
  double syy = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sxx += (xs[i] - mx) * (xs[i] - mx);
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) * (ys[i] - my);
  }
  if (!(sxx > 0.0)) throw input_error("trends: every system has the same date; nothing to fit");
  trend_fit f;
  f.n = n;
  f.slope = sxy / sxx;
  f.intercept = my - f.slope * mx;
  double sse = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = ys[i] - f.log10_cost_at(xs[i]);
    sse += r * r;
  }
  const double dof = static_cast<double>(n - 2);
  f.residual_sd = std::sqrt(sse / dof);
  f.slope_se = f.residual_sd / std::sqrt(sxx);
  f.r2 = syy > 0.0 ? 1.0 - sse / syy : 1.0;
  const boost::math::students_t t(dof);
  const double q = boost::math::quantile(t, 0.95);  // two-sided 90%
  f.mean_x = mx;
  f.sxx = sxx;
  f.t90 = q;
  f.growth_per_year = std::pow(10.0, f.slope);
  f.ci90 = {std::pow(10.0, f.slope - q * f.slope_se), std::pow(10.0, f.slope + q * f.slope_se)};
  return f;
}

double trend_fit::prediction_half_width(double decimal_year) const {
  const double d = decimal_year - mean_x;
  return t90 * residual_sd * std::sqrt(1.0 + 1.0 / static_cast<double>(n) + d * d / sxx);
}

// ---------------------------------------------------------------------------------------------
// The whole analysis.

trend_result run_trends(const epoch_database& db, const catalogue& cat, const trend_options& o) {
  if (!o.since.empty() && !parse_date_days(o.since)) {
    throw input_error("--since: expected YYYY, YYYY-MM or YYYY-MM-DD, got '" + o.since + "'");
  }
  if (!o.until.empty() && !parse_date_days(o.until)) {
    throw input_error("--until: expected YYYY, YYYY-MM or YYYY-MM-DD, got '" + o.until + "'");
  }
  const auto mi = trend_method_index(o.method);
  if (!mi) throw input_error("trends: the method must be ownership, rental or purchase");
  const auto map = load_hardware_map();

  trend_result r;
  r.options = o;
  r.file = db.file;
  r.dollars = dollars_text(o.usd_year);
  auto note = [&](std::string s) { detail::add_note(r.notes, std::move(s)); };
  note(
      "chip-hours: the database's chip-hours, else training time x hardware quantity, else "
      "compute / (peak x MFU) with the database's utilisation or Epoch's median 0.375");
  note(
      "dates: training starts at publication - training time - 60 days (Epoch's rule; "
      "training time 793.5 h, Epoch's median of the running top-10, where the database has "
      "none); hardware is acquired at its release (+90 days for a GPU), or at the start of "
      "training when that is earlier");
  note(
      "rental: the 3-year committed price of the accelerator at acquisition (the default "
      "basis, Cottier et al. 2024 section 2.2)");

  // Which systems can be ranked: dated, with compute, and not a fine-tune when those are out.
  struct ranked {
    std::size_t index;
    long day;
    double compute;
  };
  std::vector<ranked> rank;
  std::vector<std::string> excluded_reason(db.systems.size());
  for (std::size_t i = 0; i < db.systems.size(); ++i) {
    const auto& s = db.systems[i];
    const auto day = parse_date_days(s.date);
    if (!day) {
      excluded_reason[i] = s.date.empty() ? "no publication date"
                                          : "publication date '" + s.date + "' is not YYYY-MM-DD";
      continue;
    }
    // A fine-tune is ranked (its compute was at the frontier when it was published, as in
    // Epoch's selection of frontier systems) but, with --exclude-finetunes, left out of the fit.
    if (s.compute_flop && *s.compute_flop > 0.0) rank.push_back({i, *day, *s.compute_flop});
    if (o.exclude_finetunes && s.finetune()) {
      excluded_reason[i] = "fine-tune of " +
                           (s.base_model.empty() ? std::string("a base model") : s.base_model) +
                           " (--exclude-finetunes)";
    }
  }
  // Top-n at publication: fewer than n systems published on or before the same day had more
  // compute (ties count for neither; systems without compute are not ranked).
  std::vector<char> frontier(db.systems.size(), 0);
  std::sort(rank.begin(), rank.end(), [](const ranked& a, const ranked& b) {
    return a.day != b.day ? a.day < b.day : a.index < b.index;
  });
  for (std::size_t k = 0; k < rank.size(); ++k) {
    if (o.top_n == 0) {
      frontier[rank[k].index] = 1;
      continue;
    }
    std::size_t above = 0;
    for (std::size_t j = 0; j < rank.size() && rank[j].day <= rank[k].day; ++j) {
      if (rank[j].compute > rank[k].compute && ++above >= o.top_n) break;
    }
    if (above < o.top_n) frontier[rank[k].index] = 1;
  }
  const long since = o.since.empty() ? 0 : *parse_date_days(o.since);
  const long until = o.until.empty() ? 0 : *parse_date_days(o.until);

  std::vector<double> xs;
  std::vector<double> ys;
  for (std::size_t i = 0; i < db.systems.size(); ++i) {
    const auto& s = db.systems[i];
    auto exclude = [&](std::string why) {
      r.excluded.push_back({&s, std::move(why), frontier[i] != 0});
    };
    if (!excluded_reason[i].empty()) {
      exclude(excluded_reason[i]);
      continue;
    }
    if (s.hardware.empty()) {
      exclude("no training hardware in the database");
      continue;
    }
    if (s.hardware.find(',') != std::string::npos) {
      exclude("several accelerator types (" + s.hardware + "): the model costs a run on one type");
      continue;
    }
    const auto hw = map.names.find(s.hardware);
    if (hw == map.names.end() || !cat.contains(hw->second.accelerator)) {
      exclude("unknown accelerator '" + s.hardware + "' (not in " +
              (hw == map.names.end() ? std::string("the hardware map, trends/epoch-hardware.toml")
                                     : std::string("the catalogue")) +
              ")");
      continue;
    }
    const auto& acc = cat.at(hw->second.accelerator);
    costed_system c;
    c.row = &s;
    c.accelerator = acc.id;
    c.hardware_note = hw->second.note;
    c.decimal_year = decimal_year(s.date);
    c.frontier = frontier[i] != 0;

    auto sc = system_scenario(s, acc, o, c);
    if (!sc) {
      exclude("no chip-hours, training time x hardware quantity, or training compute");
      continue;
    }
    const long pub = *parse_date_days(s.date);
    estimate_result e;
    try {
      e = estimate(*sc, cat);
    } catch (const input_error& err) {
      exclude(std::string("the model: ") + err.what());
      continue;
    }
    c.gpu_hours = value_in(e.total.gpu_hours, units::gpu_hour);
    if (c.basis == chip_hours_source::compute_model) c.mfu = e.total.mfu;
    for (std::size_t m = 0; m < trend_methods.size(); ++m) {
      const auto it = e.total.cost.find(std::string(to_string(trend_methods[m])));
      if (it != e.total.cost.end()) c.cost_usd[m] = value_in(it->second, units::usd);
    }
    const bool dated = (o.since.empty() || pub >= since) && (o.until.empty() || pub <= until);
    if (c.frontier && dated) {
      if (c.cost_usd[*mi] && *c.cost_usd[*mi] > 0.0) {
        c.in_fit = true;
        xs.push_back(c.decimal_year);
        ys.push_back(std::log10(*c.cost_usd[*mi]));
      } else {
        exclude(missing_reason(e, o.method));
      }
    }
    r.systems.push_back(std::move(c));
  }
  r.fit = fit_trend(xs, ys);
  for (std::size_t k = 0; k < xs.size(); ++k)
    r.residuals.push_back(ys[k] - r.fit.log10_cost_at(xs[k]));
  return r;
}

trend_position place_on_trend(const trend_result& r, double cost_usd, std::string_view date) {
  if (!(cost_usd > 0.0) || !std::isfinite(cost_usd)) {
    throw input_error("trends: a cost to place must be a positive number");
  }
  trend_position p;
  p.cost_usd = cost_usd;
  p.decimal_year = decimal_year(date);
  p.trend_usd = std::pow(10.0, r.fit.log10_cost_at(p.decimal_year));
  p.ratio = cost_usd / p.trend_usd;
  const double far = std::fabs(std::log10(p.ratio));
  for (double res : r.residuals) p.as_far += std::fabs(res) >= far ? 1 : 0;
  p.n = r.residuals.size();
  return p;
}

// ---------------------------------------------------------------------------------------------
// The Monte Carlo band.

const std::vector<trend_input_range>& trend_input_ranges() {
  // Epoch AI, training-cost-trends, uncertainty.ipynb ("Estimate relative uncertainty in the
  // cost estimates", the 90% credible intervals of Cottier et al. 2024's appendix), unless the
  // source says "assumption".
  static constexpr std::string_view nb =
      "Epoch AI training-cost-trends uncertainty.ipynb (Cottier et al. 2024), 90% interval";
  static const std::vector<trend_input_range> v{
      {trend_input::gpu_price, "gpu_price",
       "GPUs: the catalogue's purchase price (ownership.usd_per_accelerator) and rental price "
       "(pricing.usd_per_gpu_hour; assumption: rental prices as uncertain as purchase prices)",
       trend_draw::lognormal, 0.5, 2.0, 0.0, 0.0, nb},
      {trend_input::tpu_price, "tpu_price",
       "TPUs: the same two prices (no TPU is sold; a factor of 4 each way)", trend_draw::lognormal,
       0.25, 4.0, 0.0, 0.0, nb},
      {trend_input::server_overhead, "server_overhead",
       "ownership.server_overhead, where the price is the accelerator's alone: a factor "
       "x / sqrt(1.3 x 2.1) on the catalogue's overhead",
       trend_draw::lognormal, 1.3, 2.1, 0.0, 0.0, nb},
      {trend_input::interconnect, "interconnect",
       "the cluster interconnect multiplier 1 / (1 - ownership.interconnect_share): a factor "
       "x / sqrt(1.07 x 1.32) on the catalogue's",
       trend_draw::lognormal, 1.07, 1.32, 0.0, 0.0, nb},
      {trend_input::depreciation, "depreciation_ooms_per_year",
       "ownership.depreciation_ooms_per_year (Hobbhahn et al. 2023, via the notebook)",
       trend_draw::normal, 0.10, 0.18, 0.01, 1.0, nb},
      {trend_input::start_shift_days, "training_start_shift_days",
       "days added to ownership.training_start_date (never before the acquisition date): the "
       "hardware's age at the start of training",
       trend_draw::normal, -120.0, 120.0, -1e9, 1e9, nb},
      {trend_input::training_time, "training_time",
       "chip-hours from the database or time x quantity: a factor (the database's chip-hours "
       "are taken as time x quantity)",
       trend_draw::lognormal, 0.5, 2.0, 0.0, 0.0, nb},
      {trend_input::hardware_quantity, "hardware_quantity",
       "the same chip-hours and hardware.count: a factor", trend_draw::lognormal, 0.8, 1.25, 0.0,
       0.0, nb},
      {trend_input::training_compute, "training_compute",
       "training.compute_flop where chip-hours are compute / (peak x MFU): a factor (the "
       "notebook's rule of thumb for the database's 'Confident' level)",
       trend_draw::lognormal, 1.0 / 3.0, 3.0, 0.0, 0.0, nb},
      {trend_input::peak_flops, "peak_flops",
       "the peak where chip-hours are compute / (peak x MFU): a factor (in case the number "
       "format is wrong), applied as 1 / factor on the compute",
       trend_draw::lognormal, 0.5, 2.0, 0.0, 0.0, nb},
      {trend_input::utilisation, "utilisation",
       "efficiency.mfu where chip-hours are modelled and the database gives no utilisation "
       "(imputed: Epoch's median 0.375 is the centre)",
       trend_draw::normal, 0.1, 0.65, 0.01, 0.99, nb},
      {trend_input::energy_price, "energy_price",
       "energy.usd_per_kwh: a factor (the spread of the likely data-centre states' prices)",
       trend_draw::lognormal, 0.6, 1.7, 0.0, 0.0, nb},
      {trend_input::gpu_power, "gpu_power_fraction",
       "GPUs: energy.average_power_fraction, a factor x / sqrt(0.56 x 1.00), capped at 1",
       trend_draw::lognormal, 0.56, 1.0, 0.0, 0.0, nb},
      {trend_input::tpu_power, "tpu_power_fraction",
       "TPUs: energy.average_power_fraction, a factor x / sqrt(0.30 x 0.62), capped at 1",
       trend_draw::lognormal, 0.30, 0.62, 0.0, 0.0, nb},
      {trend_input::pue, "pue",
       "energy.pue: a factor x / sqrt(1.05 x 1.16), the notebook's range for hyperscalers "
       "(assumption: every system, as 50 of the notebook's 64 were)",
       trend_draw::lognormal, 1.05, 1.16, 0.0, 0.0, nb},
  };
  return v;
}

namespace {

/// One draw of `r`: a factor with median 1 (lognormal) or a value (normal, clipped). The
/// generator and the lognormal transform are uncertainty.hpp's.
double draw_range(const trend_input_range& r, xoshiro256ss& rng) {
  if (r.draw == trend_draw::lognormal) {
    const uncertain_input u{distribution::lognormal, r.low, r.high, std::nullopt, false};
    return draw(u, rng) / std::sqrt(r.low * r.high);
  }
  const double sd = (r.high - r.low) / (2.0 * z95);
  return std::clamp(0.5 * (r.low + r.high) + sd * rng.normal(), r.clip_low, r.clip_high);
}

/// A system of the fit, ready to be re-costed: its scenario and the point values of the inputs
/// the draws scale.
struct sample_base {
  scenario sc;
  bool tpu = false;
  bool modelled = false;         // chip-hours are compute / (peak x MFU)
  bool imputed_mfu = false;      // ... with no utilisation in the database
  std::optional<double> price;   // the catalogue's purchase price, USD
  bool includes_server = false;  // a system price: no server overhead
  std::optional<double> overhead;
  double share = 0.0;
  std::optional<double> rental;  // USD per GPU-hour, nominal
  std::optional<double> kwh, power_fraction, pue;
  long start = 0;
  long acquired = 0;
  std::optional<double> gpu_hours, count, compute;
};

std::optional<double> lane_point(const run_plan& p, lane l) {
  if (p.phases.empty()) return std::nullopt;
  const double v = at(p.phases.front().x, l);
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

}  // namespace

trend_percentiles trend_band::line_usd_at(double year) const {
  std::vector<double> v(slopes.size());
  for (std::size_t k = 0; k < v.size(); ++k) v[k] = intercepts[k] + slopes[k] * year;
  const auto p = percentiles_of(v);
  return {std::pow(10.0, p.p5), std::pow(10.0, p.p50), std::pow(10.0, p.p95)};
}

trend_percentiles trend_band::ratio_at(double cost_usd, double year) const {
  const auto line = line_usd_at(year);  // the ratio falls as the line rises
  return {cost_usd / line[2], cost_usd / line[1], cost_usd / line[0]};
}

trend_band sample_trend(const epoch_database& db, const catalogue& cat, const trend_result& r,
                        std::size_t samples, std::uint64_t seed,
                        const std::vector<trend_input_range>& ranges) {
  if (samples == 0 || samples > max_trend_samples) {
    throw input_error("--samples: expected 1 to " + detail::integer_text(max_trend_samples) +
                      ", got " + detail::integer_text(samples));
  }
  if (r.file != db.file) throw input_error("trends: the band needs the database of the trend");
  const auto mi = *trend_method_index(r.options.method);
  std::array<const trend_input_range*, 15> range{};
  for (const auto& x : ranges) range.at(static_cast<std::size_t>(x.input)) = &x;
  for (std::size_t i = 0; i < range.size(); ++i) {
    if (!range[i]) throw input_error("trends: a range of the band is missing");
  }
  auto rg = [&](trend_input in) -> const trend_input_range& {
    return *range[static_cast<std::size_t>(in)];
  };

  const auto& dc = cat.datacenter;
  std::vector<sample_base> bases;
  std::vector<double> xs;
  for (const auto& c : r.systems) {
    if (!c.in_fit) continue;
    const auto& acc = cat.at(c.accelerator);
    costed_system scratch;
    auto sc = system_scenario(*c.row, acc, r.options, scratch);
    sample_base b;
    b.sc = std::move(*sc);
    b.tpu = acc.kind == "tpu";
    b.modelled = scratch.basis == chip_hours_source::compute_model;
    b.imputed_mfu = b.modelled && !b.sc.base.mfu;
    if (acc.prices.purchase) {
      b.price = value_in(*acc.prices.purchase, units::usd);
      b.includes_server = acc.prices.purchase_includes_server;
    }
    if (const auto it = dc.server_cost_overhead.find(acc.id); it != dc.server_cost_overhead.end()) {
      b.overhead = it->second.value;
    } else if (dc.server_cost_overhead_default) {
      b.overhead = dc.server_cost_overhead_default->value;
    }
    b.share = dc.interconnect_share ? dc.interconnect_share->value : 0.0;
    run_plan plan;
    auto nominal = b.sc;
    nominal.base.usd_year.reset();
    (void)estimate(nominal, cat, plan);
    b.rental = lane_point(plan, lane::usd_per_gpu_hour);
    b.kwh = lane_point(plan, lane::usd_per_kwh);
    b.power_fraction = lane_point(plan, lane::power_fraction);
    b.pue = lane_point(plan, lane::pue);
    b.start = *parse_date_days(scratch.training_start);
    b.acquired = *parse_date_days(scratch.acquisition);
    if (b.sc.base.reported.gpu_hours) {
      b.gpu_hours = value_in(*b.sc.base.reported.gpu_hours, units::gpu_hour);
      // The costs follow the chip-hours alone; without the compute, drawn chip-hours cannot
      // imply an MFU above 1 (which estimate() refuses).
      b.sc.base.compute_flop.reset();
    }
    if (b.sc.base.count) b.count = value_in(*b.sc.base.count, units::gpu);
    if (b.sc.base.compute_flop) b.compute = value_in(*b.sc.base.compute_flop, units::flop);
    bases.push_back(std::move(b));
    xs.push_back(c.decimal_year);
  }

  trend_band band;
  band.samples = samples;
  band.seed = seed;
  band.slopes.reserve(samples);
  band.intercepts.reserve(samples);
  xoshiro256ss rng(seed);
  std::vector<double> ys(bases.size());
  std::vector<double> growth(samples);
  const std::string method(to_string(trend_methods[mi]));
  for (std::size_t k = 0; k < samples; ++k) {
    for (std::size_t j = 0; j < bases.size(); ++j) {
      auto& b = bases[j];
      // Every key drawn is set on every sample, so the system's scenario is drawn in place.
      scenario& s = b.sc;
      auto& in = s.base;
      auto& own = s.costs.ownership;
      // Every draw is taken, used or not, so that a system's stream does not depend on its inputs.
      const double price =
          draw_range(rg(b.tpu ? trend_input::tpu_price : trend_input::gpu_price), rng);
      const double overhead = draw_range(rg(trend_input::server_overhead), rng);
      const double interconnect = draw_range(rg(trend_input::interconnect), rng);
      const double ooms = draw_range(rg(trend_input::depreciation), rng);
      const double shift = draw_range(rg(trend_input::start_shift_days), rng);
      const double time = draw_range(rg(trend_input::training_time), rng);
      const double quantity = draw_range(rg(trend_input::hardware_quantity), rng);
      const double flop = draw_range(rg(trend_input::training_compute), rng);
      const double peak = draw_range(rg(trend_input::peak_flops), rng);
      const double mfu = draw_range(rg(trend_input::utilisation), rng);
      const double kwh = draw_range(rg(trend_input::energy_price), rng);
      const double power =
          draw_range(rg(b.tpu ? trend_input::tpu_power : trend_input::gpu_power), rng);
      const double pue = draw_range(rg(trend_input::pue), rng);

      if (b.price) {
        own.usd_per_accelerator = *b.price * price;
        own.price_includes_server = b.includes_server;
        if (!b.includes_server && b.overhead)
          own.server_overhead = std::max(1.0, *b.overhead * overhead);
      }
      own.interconnect_share = 1.0 - (1.0 - b.share) / interconnect;
      own.interconnect_share = std::clamp(*own.interconnect_share, 0.0, 0.99);
      own.depreciation_ooms_per_year = ooms;
      const long start = std::max(b.acquired, b.start + std::lround(shift));
      own.training_start_date = date_of_days(start);
      if (b.rental) in.price = price_rate_from_usd_per_gpu_hour(*b.rental * price);
      if (b.gpu_hours)
        in.reported.gpu_hours = gpu_time_from_gpu_hours(*b.gpu_hours * time * quantity);
      if (b.count) in.count = gpus(*b.count * quantity);
      if (b.modelled && b.compute) in.compute_flop = compute_from_flop(*b.compute * flop / peak);
      if (b.imputed_mfu) in.mfu = efficiency::from_ratio(mfu);
      if (b.kwh) s.costs.energy.usd_per_kwh = *b.kwh * kwh;
      if (b.power_fraction) {
        s.costs.energy.average_power_fraction = std::min(1.0, *b.power_fraction * power);
      }
      if (b.pue) s.costs.energy.pue = std::max(1.0, *b.pue * pue);
      const auto e = estimate(s, cat);
      const auto it = e.total.cost.find(method);
      const double cost = it == e.total.cost.end() ? 0.0 : value_in(it->second, units::usd);
      if (!(cost > 0.0) || !std::isfinite(cost)) {
        throw input_error("trends: sample " + detail::integer_text(k) + " of " + s.name +
                          " has no " + method + " cost");
      }
      ys[j] = std::log10(cost);
    }
    const auto f = fit_trend(xs, ys);
    band.slopes.push_back(f.slope);
    band.intercepts.push_back(f.intercept);
    growth[k] = f.growth_per_year;
  }
  const auto p = percentiles_of(growth);
  band.growth_per_year = {p.p5, p.p50, p.p95};
  return band;
}

}  // namespace costmodel
