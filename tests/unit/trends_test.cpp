// SPDX-License-Identifier: MIT
// Trends (trends.hpp): Epoch AI's database read, costed by estimate(), the frontier and the fit.
#include "costmodel/trends.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "bundled_catalogue.hpp"
#include "catch.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"

using namespace costmodel;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {
const catalogue& cat() { return costmodel::testing::bundled_catalogue(); }
const std::string small_db = std::string(COSTMODEL_TEST_DATA) + "/epoch_small.csv";

const epoch_system& row(const epoch_database& db, const std::string& name) {
  for (const auto& s : db.systems) {
    if (s.system == name) return s;
  }
  FAIL("no system " << name);
  throw std::logic_error("unreachable");
}

const costed_system* costed(const trend_result& r, const std::string& name) {
  for (const auto& c : r.systems) {
    if (c.row->system == name) return &c;
  }
  return nullptr;
}

const excluded_system* excluded(const trend_result& r, const std::string& name) {
  for (const auto& x : r.excluded) {
    if (x.row->system == name) return &x;
  }
  return nullptr;
}

std::string error_of(std::string_view text) {
  try {
    (void)parse_epoch_database(text, "t.csv");
  } catch (const input_error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("trends: Epoch's CSV format is read (BOM, quoting, multi-line cells)", "[trends]") {
  const auto db = read_epoch_database(small_db);
  REQUIRE(db.systems.size() == 11);               // the export's trailing empty row is skipped
  CHECK(db.systems.front().system == "Alpha-1");  // the BOM is not part of the first header
  REQUIRE(!db.columns.empty());
  CHECK(db.columns.front() == std::pair<std::string, std::string>{"System", "System"});
  // Line numbers count the lines of the quoted three-line abstract of "Beta LM".
  CHECK(row(db, "Alpha-1").line == 2);
  CHECK(row(db, "Beta LM").line == 3);
  CHECK(row(db, "Gamma").line == 6);
  CHECK(row(db, "Zeta").line == 14);
  const auto& a = row(db, "Alpha-1");
  CHECK(a.hardware == "Google TPU v3");
  CHECK(a.chip_hours == 122880.0);
  CHECK(a.database_cost_2020 == 10448.44);  // "$10,448.44"
  CHECK(a.dataset_size == 3e10);
  CHECK(a.confidence == "Confident");
  CHECK(!a.finetune());
  const auto& g = row(db, "Gamma");
  CHECK(!g.training_hours);  // empty cells are empty
  CHECK(!g.hardware_quantity);
  CHECK(g.utilization == 0.4);
  CHECK(row(db, "Gamma-Chat").finetune());
  CHECK(row(db, "Gamma-Chat").base_model == "Gamma");
  CHECK(row(db, "Epsilon").database_cost_2020 == 1234567.0);
  CHECK(row(db, "Iota").hardware == "Google TPU v4,NVIDIA A100");
  CHECK(row(db, "Eta").date.empty());
}

TEST_CASE("trends: renamed columns, and bad CSV located", "[trends]") {
  const auto db = parse_epoch_database(
      "Model,Publication date,Training compute (FLOP),Training hardware\n"
      "New,2024-01-02,1e24,NVIDIA H100 SXM5\n",
      "new.csv");
  REQUIRE(db.systems.size() == 1);
  CHECK(db.systems[0].system == "New");
  CHECK(db.columns.front() == std::pair<std::string, std::string>{"System", "Model"});
  CHECK_THAT(error_of("System,Publication date,Training compute (FLOP)\nA,2020-01-01,1\n"),
             Contains("t.csv:1:1: missing column 'Training hardware'"));
  CHECK_THAT(error_of("System,Publication date,Training compute (FLOP),Training hardware\n"
                      "A,2020-01-01,1,x\nB,\"2020-01-01,1,x\n"),
             Contains("t.csv:3:1: invalid CSV"));
  CHECK_THAT(error_of("System,Publication date,Training compute (FLOP),Training hardware\n"
                      "A,2020-01-01,1,x,extra\n"),
             Contains("t.csv:2:1: row has 5 fields"));
  CHECK_THAT(error_of("System,Publication date,Training compute (FLOP),Training hardware\n"
                      "A,2020-01-01,1,x\"y\"\n"),
             Contains("t.csv:2:"));
  CHECK_THAT(error_of(""), Contains("t.csv:1:1: empty file"));
  CHECK_THROWS_AS(read_epoch_database(small_db + ".absent"), input_error);
}

TEST_CASE("trends: every system is costed by estimate(), or listed with a reason", "[trends]") {
  const auto db = read_epoch_database(small_db);
  trend_options o;
  o.top_n = 0;
  o.usd_year = 2023;
  const auto r = run_trends(db, cat(), o);
  CHECK(r.dollars == "2023 USD");
  // The documented order of chip-hours.
  const auto* a = costed(r, "Alpha-1");
  REQUIRE(a);
  CHECK(a->basis == chip_hours_source::database);
  CHECK_THAT(a->gpu_hours, WithinRel(122880.0, 1e-12));
  const auto* b = costed(r, "Beta LM");
  REQUIRE(b);
  CHECK(b->accelerator == "v100-sxm2");
  CHECK(!b->hardware_note.empty());  // the DGXS name is mapped approximately, and says so
  CHECK(b->basis == chip_hours_source::time_x_quantity);
  CHECK_THAT(b->gpu_hours, WithinRel(300.0 * 1024.0, 1e-12));
  const auto* g = costed(r, "Gamma");
  REQUIRE(g);
  CHECK(g->basis == chip_hours_source::compute_model);
  const double peak =
      value_in(cat().at("a100-sxm-40gb").peak_at(precision::bf16), units::flop_per_gpu_hour);
  CHECK_THAT(g->gpu_hours, WithinRel(3e23 / (peak * 0.4), 1e-12));
  REQUIRE(g->mfu);
  CHECK_THAT(*g->mfu, WithinRel(0.4, 1e-12));
  const auto* k = costed(r, "Kappa");  // a K80: fp32 only, no rental price in the catalogue
  REQUIRE(k);
  CHECK(k->accelerator == "k80");
  CHECK(k->cost_usd[*trend_method_index(cost_method::ownership)]);
  CHECK(!k->cost_usd[*trend_method_index(cost_method::rental)]);

  // Epoch's dates: training starts at publication - training time - 60 days; a TPU is acquired
  // at its release, or at the start of training when that is earlier.
  CHECK(a->training_start == "2018-03-23");  // 2018-06-01 - 10 days - 60 days
  CHECK(a->acquisition == "2018-03-23");     // TPU v3 released 2018-05: before its release
  const auto* e = costed(r, "Epsilon");
  REQUIRE(e);
  CHECK(e->acquisition == "2021-05-01");  // TPU v4's release in the catalogue

  // The same inputs written as a scenario give the same figures through estimate().
  const std::string toml =
      "schema = 1\nname = \"Epsilon\"\ndeveloper = \"Google DeepMind\"\ndate = \"2022-01-10\"\n"
      "[training]\ncompute_flop = 2e24\n"
      "[hardware]\naccelerator = \"tpu-v4\"\ncount = 2048\nprecision = \"bf16\"\n"
      "[pricing]\nbasis = \"3y\"\nusd_year = 2023\n"
      "[ownership]\nacquisition_date = \"" +
      e->acquisition + "\"\ntraining_start_date = \"" + e->training_start +
      "\"\n"
      "[reported]\ngpu_hours = 2048000\n";
  const auto est = estimate(parse_scenario(toml, "epsilon.toml", cat()), cat());
  for (std::size_t m = 0; m < trend_methods.size(); ++m) {
    const auto it = est.total.cost.find(std::string(to_string(trend_methods[m])));
    REQUIRE(it != est.total.cost.end());
    REQUIRE(e->cost_usd[m]);
    CHECK_THAT(*e->cost_usd[m], WithinRel(value_in(it->second, units::usd), 1e-12));
  }

  // Nothing silently dropped: 11 rows, each costed or excluded with a reason.
  std::size_t seen = r.systems.size();
  for (const auto& x : r.excluded) seen += costed(r, x.row->system) ? 0U : 1U;
  CHECK(seen == db.systems.size());
  REQUIRE(excluded(r, "Delta"));
  CHECK_THAT(excluded(r, "Delta")->reason, Contains("unknown accelerator 'Acme NPU 9000'"));
  REQUIRE(excluded(r, "Theta"));
  CHECK_THAT(excluded(r, "Theta")->reason, Contains("no training hardware"));
  REQUIRE(excluded(r, "Iota"));
  CHECK_THAT(excluded(r, "Iota")->reason, Contains("several accelerator types"));
  REQUIRE(excluded(r, "Eta"));
  CHECK_THAT(excluded(r, "Eta")->reason, Contains("no publication date"));
  CHECK(!excluded(r, "Kappa"));  // costed by the method of the fit (ownership)
  o.method = cost_method::rental;
  const auto rent = run_trends(db, cat(), o);
  REQUIRE(excluded(rent, "Kappa"));  // no rental price: costed, but left out of a rental fit
  CHECK_THAT(excluded(rent, "Kappa")->reason, Contains("k80"));
  CHECK(!costed(rent, "Kappa")->in_fit);
  o.method = cost_method::ownership;
  CHECK(costed(r, "Gamma-Chat"));  // fine-tunes stay unless asked
  o.exclude_finetunes = true;
  const auto nf = run_trends(db, cat(), o);
  CHECK(!costed(nf, "Gamma-Chat"));
  REQUIRE(excluded(nf, "Gamma-Chat"));
  CHECK_THAT(excluded(nf, "Gamma-Chat")->reason, Contains("fine-tune of Gamma"));
}

TEST_CASE("trends: top-n at publication, dates and methods", "[trends]") {
  const auto db = read_epoch_database(small_db);
  trend_options o;
  auto frontier = [&](const trend_result& r, const std::string& name) {
    if (const auto* c = costed(r, name)) return c->frontier;
    const auto* x = excluded(r, name);
    return x && x->frontier;
  };
  o.top_n = 1;
  const auto one = run_trends(db, cat(), o);
  // Theta (5e23, 2021-06) and Iota (9e23, 2022-06) had a bigger system before them.
  CHECK(!frontier(one, "Theta"));
  CHECK(!frontier(one, "Iota"));
  CHECK(frontier(one, "Delta"));
  CHECK(frontier(one, "Zeta"));
  o.top_n = 2;
  const auto two = run_trends(db, cat(), o);
  CHECK(frontier(two, "Theta"));  // only Delta was bigger
  CHECK(!frontier(two, "Iota"));  // Delta and Epsilon were bigger
  // Only the frontier, costed by the method and within the dates, is fitted.
  std::size_t in_fit = 0;
  for (const auto& c : two.systems) {
    CHECK((!c.in_fit || c.frontier));
    in_fit += c.in_fit ? 1U : 0U;
  }
  CHECK(two.fit.n == in_fit);
  CHECK(two.residuals.size() == in_fit);
  o.since = "2019";
  o.until = "2022-01-10";
  const auto dated = run_trends(db, cat(), o);
  for (const auto& c : dated.systems) {
    if (c.in_fit) CHECK((c.row->date >= "2019" && c.row->date <= "2022-01-10"));
  }
  CHECK(dated.fit.n < two.fit.n);
  o.since = "2019-13";
  CHECK_THROWS_AS(run_trends(db, cat(), o), input_error);
  o.since.clear();
  o.until = "2016";
  CHECK_THROWS_AS(run_trends(db, cat(), o), input_error);  // fewer than 3 systems
  CHECK(parse_trend_method("rental") == cost_method::rental);
  CHECK(!parse_trend_method("energy"));
}

TEST_CASE("trends: the fit is ordinary least squares with a Student t interval", "[trends]") {
  // Exact exponential growth: 10^0.5 per year, R^2 = 1.
  const auto exact = fit_trend({2018, 2019, 2020, 2021}, {6, 6.5, 7, 7.5});
  CHECK_THAT(exact.growth_per_year, WithinRel(std::sqrt(10.0), 1e-12));
  CHECK_THAT(exact.r2, WithinAbs(1.0, 1e-12));
  // A textbook case: x = 1..5, y = 1, 2, 1.3, 3.75, 2.25 has slope 0.425, intercept 0.785,
  // SSE 2.79075, SST 4.597.
  const auto f = fit_trend({1, 2, 3, 4, 5}, {1, 2, 1.3, 3.75, 2.25});
  CHECK_THAT(f.slope, WithinRel(0.425, 1e-12));
  CHECK_THAT(f.intercept, WithinRel(0.785, 1e-12));
  CHECK_THAT(f.r2, WithinRel(1.0 - 2.79075 / 4.597, 1e-9));
  const double se = std::sqrt(2.79075 / 3.0 / 10.0);
  const double t = boost::math::quantile(boost::math::students_t(3.0), 0.95);
  CHECK_THAT(t, WithinRel(2.353363, 1e-6));
  CHECK_THAT(f.ci90[0], WithinRel(std::pow(10.0, 0.425 - t * se), 1e-9));
  CHECK_THAT(f.ci90[1], WithinRel(std::pow(10.0, 0.425 + t * se), 1e-9));
  CHECK(f.n == 5);
  CHECK_THROWS_AS(fit_trend({1, 2}, {1, 2}), input_error);
  CHECK_THROWS_AS(fit_trend({1, 1, 1}, {1, 2, 3}), input_error);
  CHECK_THAT(decimal_year("2020-07-01"), WithinRel(2020.5, 1e-12));
  CHECK_THROWS_AS(decimal_year("July 2020"), input_error);
}

TEST_CASE("trends: a run placed on the trend", "[trends]") {
  trend_result r;
  r.fit = fit_trend({2018, 2019, 2020, 2021}, {6, 6.6, 6.9, 7.5});
  r.residuals = {0.03, 0.12, -0.09, -0.06};
  const double line = std::pow(10.0, r.fit.log10_cost_at(2020.5));
  const auto p = place_on_trend(r, line * 10.0, "2020-07-01");
  CHECK_THAT(p.trend_usd, WithinRel(line, 1e-12));
  CHECK_THAT(p.ratio, WithinRel(10.0, 1e-12));
  CHECK(p.as_far == 0);  // a whole order of magnitude: no residual is that far
  CHECK(p.n == 4);
  const auto q = place_on_trend(r, line * std::pow(10.0, -0.07), "2020-07-01");
  CHECK(q.as_far == 2);  // 0.12 and -0.09
  CHECK_THROWS_AS(place_on_trend(r, 0.0, "2020-07-01"), input_error);
}

// ---------------------------------------------------------------------------------------------
// The published figure, on the shared snapshot of Epoch's data when it is there.

namespace {
/// The snapshot of Epoch AI's data beside the project (../shared/data/epoch-2024-12/), or the
/// folder in COSTMODEL_EPOCH_DATA; "" when absent.
std::string epoch_snapshot() {
  namespace fs = std::filesystem;
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("COSTMODEL_EPOCH_DATA")) dirs.emplace_back(env);
  const fs::path repo = fs::path(COSTMODEL_TEST_DATA).parent_path().parent_path();
  dirs.push_back(repo.parent_path() / "shared" / "data" / "epoch-2024-12");
  for (const auto& d : dirs) {
    std::error_code ec;
    if (fs::is_regular_file(d / "All ML Systems - full view.csv", ec)) {
      return (d / "All ML Systems - full view.csv").string();
    }
  }
  return "";
}
}  // namespace

TEST_CASE("trends: Epoch's 2.4x per year on the 2024-12 snapshot", "[trends][epoch]") {
  const auto file = epoch_snapshot();
  if (file.empty()) {
    WARN("SKIPPED: ../shared/data/epoch-2024-12/ is absent (set COSTMODEL_EPOCH_DATA)");
    return;
  }
  const auto db = read_epoch_database(file);
  trend_options o;
  o.top_n = 10;
  o.exclude_finetunes = true;
  o.method = cost_method::ownership;
  o.usd_year = 2023;
  const auto r = run_trends(db, cat(), o);
  // Cottier et al. 2024 (arXiv:2405.21015); Epoch's code at 39013e2 on this data: 2.40727x per
  // year, 90% CI 1.969-2.943, N = 41.
  CHECK_THAT(r.fit.growth_per_year, WithinAbs(2.41, 0.1));
  CHECK_THAT(r.fit.ci90[0], WithinAbs(1.97, 0.15));
  CHECK_THAT(r.fit.ci90[1], WithinAbs(2.94, 0.15));
  CHECK(r.fit.n >= 38);
  CHECK(r.fit.n <= 44);
}

// ---------------------------------------------------------------------------------------------
// The Monte Carlo band (trends --samples).

namespace {
trend_result small_trend(cost_method m, const epoch_database& db) {
  trend_options o;
  o.top_n = 3;
  o.method = m;
  o.usd_year = 2023;
  return run_trends(db, cat(), o);
}

/// The ranges with no width, at the point values the costing uses: every draw is the point.
std::vector<trend_input_range> point_ranges() {
  auto v = trend_input_ranges();
  for (auto& x : v) {
    if (x.draw == trend_draw::lognormal) {
      x.low = x.high = 1.0;
    } else if (x.input == trend_input::depreciation) {
      x.low = x.high = 0.14;  // presets/datacenter.toml depreciation_ooms_per_year
    } else if (x.input == trend_input::utilisation) {
      x.low = x.high = 0.375;  // Epoch's median, the MFU of a row without utilisation
    } else {
      x.low = x.high = 0.0;  // the start of training is not moved
    }
  }
  return v;
}
}  // namespace

TEST_CASE("trends: draws at the point re-cost every system to its point cost", "[trends]") {
  // Each draw sets scenario keys and goes through estimate(): with every range at the point,
  // each sample's fit must be the point fit, for every method (a wrong key, unit or dollar
  // year in the re-costing moves it).
  const auto db = read_epoch_database(small_db);
  for (auto m : trend_methods) {
    const auto r = small_trend(m, db);
    const auto band = sample_trend(db, cat(), r, 4, 1, point_ranges());
    REQUIRE(band.slopes.size() == 4);
    for (std::size_t k = 0; k < band.slopes.size(); ++k) {
      CHECK_THAT(band.slopes[k], WithinRel(r.fit.slope, 1e-9));
      CHECK_THAT(band.intercepts[k], WithinRel(r.fit.intercept, 1e-9));
    }
    CHECK_THAT(band.growth_per_year[1], WithinRel(r.fit.growth_per_year, 1e-9));
  }
}

TEST_CASE("trends: the band is seeded, and follows its ranges", "[trends]") {
  const auto db = read_epoch_database(small_db);
  const auto r = small_trend(cost_method::ownership, db);
  const auto a = sample_trend(db, cat(), r, 400, 7);
  const auto b = sample_trend(db, cat(), r, 400, 7);
  const auto c = sample_trend(db, cat(), r, 400, 8);
  CHECK(a.slopes == b.slopes);  // the same seed, the same band
  CHECK(a.growth_per_year == b.growth_per_year);
  CHECK(a.slopes != c.slopes);
  const auto& g = a.growth_per_year;
  CHECK(g[0] < g[1]);
  CHECK(g[1] < g[2]);
  CHECK(g[0] < r.fit.growth_per_year);
  CHECK(g[2] > r.fit.growth_per_year);
  // Wider price ranges give a wider band.
  auto wide = trend_input_ranges();
  for (auto& x : wide) {
    if (x.input == trend_input::gpu_price || x.input == trend_input::tpu_price) {
      x.low = 0.05;
      x.high = 20.0;
    }
  }
  const auto w = sample_trend(db, cat(), r, 400, 7, wide);
  CHECK(w.growth_per_year[2] / w.growth_per_year[0] > g[2] / g[0]);
  // The line and a run's ratio to it at a date.
  const auto line = a.line_usd_at(2024.0);
  CHECK(line[0] < line[1]);
  CHECK(line[1] < line[2]);
  const auto ratio = a.ratio_at(1e6, 2024.0);
  CHECK_THAT(ratio[0], WithinRel(1e6 / line[2], 1e-12));
  CHECK_THAT(ratio[2], WithinRel(1e6 / line[0], 1e-12));
  CHECK_THROWS_WITH(sample_trend(db, cat(), r, 0, 1), Contains("--samples: expected 1 to"));
}

TEST_CASE("trends: the 90% prediction band of the fit", "[trends]") {
  const std::vector<double> xs{2018, 2019, 2020, 2021, 2022};
  const std::vector<double> ys{4.0, 4.6, 4.9, 5.7, 6.0};
  const auto f = fit_trend(xs, ys);
  const double t = boost::math::quantile(boost::math::students_t(3.0), 0.95);
  CHECK_THAT(f.prediction_half_width(2020.0),
             WithinRel(t * f.residual_sd * std::sqrt(1.0 + 1.0 / 5.0), 1e-12));
  CHECK_THAT(f.prediction_half_width(2022.0),
             WithinRel(t * f.residual_sd * std::sqrt(1.0 + 1.0 / 5.0 + 4.0 / 10.0), 1e-12));
}

TEST_CASE("trends: the Monte Carlo band on the 2024-12 snapshot", "[trends][epoch]") {
  const auto file = epoch_snapshot();
  if (file.empty()) {
    WARN("SKIPPED: ../shared/data/epoch-2024-12/ is absent (set COSTMODEL_EPOCH_DATA)");
    return;
  }
  const auto db = read_epoch_database(file);
  trend_options o;
  o.top_n = 10;
  o.exclude_finetunes = true;
  o.usd_year = 2023;
  const auto r = run_trends(db, cat(), o);
  const auto band = sample_trend(db, cat(), r, 300, 1);
  // The inputs' uncertainty spreads the growth around the point fit.
  CHECK(band.growth_per_year[0] < r.fit.growth_per_year);
  CHECK(band.growth_per_year[2] > r.fit.growth_per_year);
  CHECK_THAT(band.growth_per_year[1], WithinAbs(r.fit.growth_per_year, 0.1));
  CHECK(band.growth_per_year[0] > 1.5);
  CHECK(band.growth_per_year[2] < 4.0);
}
