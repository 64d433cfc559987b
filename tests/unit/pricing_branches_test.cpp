// SPDX-License-Identifier: MIT
// The branches of pricing.hpp on a small hand-made catalogue: which basis choose_price() takes
// and why, the catalogue's dated, list and discounted prices, and dollars of a year (PPI).
#include <map>
#include <string>
#include <vector>

#include "catch.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/pricing.hpp"

using namespace costmodel;
using Catch::Matchers::WithinRel;

namespace {

bool has(const std::string& s, const std::string& what) {
  return s.find(what) != std::string::npos;
}

sourced_value sv(double v, std::string source) {
  sourced_value x;
  x.value = v;
  x.source = std::move(source);
  return x;
}

price_point point(std::string date, std::string kind, double v, std::string source) {
  price_point p;
  p.date = std::move(date);
  p.kind = std::move(kind);
  p.value = v;
  p.source = std::move(source);
  return p;
}

// A made-up accelerator: list prices on demand $4 and GPU cloud $2.5, dated on-demand points
// of 2021 ($5) and 2023 ($3), a dated 3y point of 2024 ($1.9), no 1y or 3y list price, no 1y point.
accelerator_spec test_gpu() {
  accelerator_spec a;
  a.id = "test-gpu";
  a.name = "Test GPU";
  a.prices.on_demand = price_rate_from_usd_per_gpu_hour(4.0);
  a.prices.gpu_cloud = price_rate_from_usd_per_gpu_hour(2.5);
  a.prices.points = {point("2021-03", "on-demand", 5.0, "list 2021"),
                     point("2023-07", "on-demand", 3.0, "list 2023"),
                     point("2024", "3y", 1.9, "contract 2024"),
                     point("2022-01", "purchase-system", 30000.0, "DGX price")};
  return a;
}

// Discounts of 30% (1y) and 50% (3y) off on demand, and a PPI of 100, 110 and 121.
datacenter_constants test_dc() {
  datacenter_constants dc;
  dc.commitment_discount_1y = sv(0.3, "discount source 1y");
  dc.commitment_discount_3y = sv(0.5, "discount source 3y");
  dc.ppi_by_year = {{2020, sv(100.0, "BLS")}, {2021, sv(110.0, "BLS")}, {2022, sv(121.0, "BLS")}};
  return dc;
}

double usd_h(const std::optional<price_rate>& p) {
  REQUIRE(p);
  return value_in(*p, units::usd_per_gpu_hour);
}

}  // namespace

TEST_CASE("rental cost and implied price are inverse", "[pricing]") {
  // DeepSeek-V3 Table 1: 2.788M H800-hours at $2 = $5.576M.
  const auto cost =
      rental_cost(gpu_time_from_gpu_hours(2.788e6), price_rate_from_usd_per_gpu_hour(2.0));
  CHECK_THAT(value_in(cost, units::usd), WithinRel(5.576e6, 1e-12));
  CHECK_THAT(
      value_in(implied_price(cost, gpu_time_from_gpu_hours(2.788e6)), units::usd_per_gpu_hour),
      WithinRel(2.0, 1e-12));
}

TEST_CASE("a dated price: the latest in or before the year, else the earliest after",
          "[pricing][as_of]") {
  const auto a = test_gpu();
  CHECK(a.prices.as_of("on-demand", 2022)->value == 5.0);  // 2021 is the latest before 2022
  CHECK(a.prices.as_of("on-demand", 2023)->value == 3.0);  // in the year
  CHECK(a.prices.as_of("on-demand", 2030)->value == 3.0);
  CHECK(a.prices.as_of("on-demand", 2019)->value == 5.0);  // none before: the earliest after
  CHECK(a.prices.as_of("3y", 2020)->value == 1.9);
  CHECK(!a.prices.as_of("1y", 2024));  // no 1y point
  // A date too short to read, or not digits: an error naming the point, not a silent skip.
  auto b = a;
  b.prices.points = {point("202", "1y", 99.0, "a date too short to read")};
  CHECK_THROWS_WITH(b.prices.as_of("1y", 2024),
                    Catch::Matchers::Contains("price point '1y' has date '202'"));
  b.prices.points = {point("20x4-01", "1y", 1.0, "junk in the year")};
  CHECK_THROWS_AS(b.prices.as_of("1y", 2024), input_error);
  CHECK(!b.prices.as_of("3y", 2024));  // a point of another kind is not read
  CHECK(!a.prices.as_of("gpu-cloud", 2024));
  CHECK(a.prices.as_of("purchase", 2022)->value == 30000.0);  // purchase matches purchase-system
}

TEST_CASE("whether a key was set in this command", "[pricing]") {
  CHECK(!detail::set_in_command(nullptr, "pricing.usd_per_gpu_hour"));
  scenario s;
  s.overrides = {"pricing.basis=3y", "xpricing.usd_per_gpu_hour=3",
                 "model.pricing.usd_per_gpu_hour=3"};
  // Neither a longer key without a dot nor a dotted key outside phases.* is the key.
  CHECK(!detail::set_in_command(&s, "pricing.usd_per_gpu_hour"));
  CHECK(detail::set_in_command(&s, "pricing.basis"));
  s.overrides.push_back("phases.pre-training.pricing.usd_per_gpu_hour=2.5");
  CHECK(detail::set_in_command(&s, "pricing.usd_per_gpu_hour"));
  s.overrides = {"pricing.usd_per_gpu_hour"};  // no '=': the whole text is the key
  CHECK(detail::set_in_command(&s, "pricing.usd_per_gpu_hour"));
}

TEST_CASE("notes are added once", "[pricing]") {
  std::vector<std::string> notes;
  detail::add_note(notes, "a");
  detail::add_note(notes, "b");
  detail::add_note(notes, "a");
  CHECK(notes == std::vector<std::string>{"a", "b"});
}

TEST_CASE("the catalogue's price of each kind", "[pricing][catalogue]") {
  const auto a = test_gpu();
  const auto dc = test_dc();
  SECTION("a dated price of the year, with its date and source") {
    const auto p = detail::catalogue_price_of(a, dc, price_basis::on_demand, 2023);
    REQUIRE(p);
    CHECK(p->first == 3.0);
    CHECK(p->second == "on-demand price of 2023-07 (list 2023)");
    const auto t = detail::catalogue_price_of(a, dc, price_basis::three_year, 2025);
    CHECK(t->first == 1.9);
    CHECK(t->second == "3y price of 2024 (contract 2024)");
  }
  SECTION("no year, or no dated point of the kind: the list price") {
    const auto p = detail::catalogue_price_of(a, dc, price_basis::on_demand, std::nullopt);
    CHECK(p->first == 4.0);
    CHECK(p->second == "on-demand list price of the catalogue");
    const auto g = detail::catalogue_price_of(a, dc, price_basis::gpu_cloud, 2023);
    CHECK(g->first == 2.5);
    CHECK(g->second == "gpu-cloud list price of the catalogue");
  }
  SECTION("1y without a price: on demand less the 1y discount") {
    // 2023's on-demand $3 x (1 - 0.3) = $2.10.
    const auto p = detail::catalogue_price_of(a, dc, price_basis::one_year, 2023);
    REQUIRE(p);
    CHECK_THAT(p->first, WithinRel(2.1, 1e-12));
    CHECK(p->second ==
          "on-demand price of 2023-07 (list 2023) less the 1y commitment discount 30.0% "
          "(discount source 1y)");
    // Without a year: the $4 list price x 0.7.
    CHECK_THAT(detail::catalogue_price_of(a, dc, price_basis::one_year, std::nullopt)->first,
               WithinRel(2.8, 1e-12));
  }
  SECTION("3y with no dated point: on demand less the 3y discount; else GPU cloud") {
    auto b = a;
    b.prices.points.clear();
    CHECK_THAT(detail::catalogue_price_of(b, dc, price_basis::three_year, 2024)->first,
               WithinRel(2.0, 1e-12));  // $4 x 0.5
    b.prices.on_demand.reset();
    const auto g = detail::catalogue_price_of(b, dc, price_basis::three_year, 2024);
    CHECK_THAT(g->first, WithinRel(1.25, 1e-12));  // $2.5 x 0.5
    CHECK(has(g->second, "gpu-cloud list price of the catalogue less the 3y commitment discount"));
    b.prices.gpu_cloud.reset();
    CHECK(!detail::catalogue_price_of(b, dc, price_basis::three_year, 2024));
    CHECK(!detail::catalogue_price_of(b, dc, price_basis::on_demand, 2024));
  }
  SECTION("no discount in the catalogue, or a basis without a catalogue price: nothing") {
    auto none = dc;
    none.commitment_discount_1y.reset();
    CHECK(!detail::catalogue_price_of(a, none, price_basis::one_year, 2023));
    CHECK(!detail::catalogue_price_of(a, dc, price_basis::reported, 2023));
    CHECK(!detail::catalogue_price_of(a, dc, price_basis::input, std::nullopt));
  }
}

TEST_CASE("choose_price: the price set in this command or as input wins", "[pricing][basis]") {
  const auto a = test_gpu();
  const auto dc = test_dc();
  run_inputs in;
  in.price = price_rate_from_usd_per_gpu_hour(7.0);
  in.price_basis = price_basis::three_year;
  scenario s;
  s.overrides = {"pricing.usd_per_gpu_hour=7"};
  const auto here = choose_price(in, a, dc, &s);
  CHECK(usd_h(here.price) == 7.0);
  CHECK(here.basis == "input");
  CHECK(here.source == "pricing.usd_per_gpu_hour, set in this command");
  CHECK(here.note.empty());

  in.price_basis = price_basis::input;
  const auto given = choose_price(in, a, dc, nullptr);
  CHECK(usd_h(given.price) == 7.0);
  CHECK(given.basis == "input");
  CHECK(given.source == "pricing.usd_per_gpu_hour");

  in.price.reset();
  const auto missing = choose_price(in, a, dc, nullptr);
  CHECK(!missing.price);
  CHECK(missing.basis == "unknown");
  CHECK(missing.note ==
        "price: not computed: pricing.basis = \"input\" needs pricing.usd_per_gpu_hour");
}

TEST_CASE("choose_price: reported, and the default basis when it cannot be", "[pricing][basis]") {
  const auto a = test_gpu();
  auto dc = test_dc();
  run_inputs in;
  in.price = price_rate_from_usd_per_gpu_hour(2.0);
  SECTION("the run's own price on its own accelerator") {
    in.reported_on.accelerator = "test-gpu";
    const auto c = choose_price(in, a, dc, nullptr);
    CHECK(usd_h(c.price) == 2.0);
    CHECK(c.basis == "reported");
    CHECK(c.source == "the run's own price (pricing.usd_per_gpu_hour)");
    CHECK(c.note.empty());
  }
  SECTION("published for another accelerator: the 3y default, with a note") {
    in.reported_on.accelerator = "h800-sxm";
    const auto c = choose_price(in, a, dc, nullptr);
    // No dated 3y point without a year, no 3y list price: $4 on demand x (1 - 0.5).
    CHECK_THAT(usd_h(c.price), WithinRel(2.0, 1e-12));
    CHECK(c.basis == "3y");
    CHECK(has(c.note,
              "price: the scenario's $2.00 per GPU-hour was published for h800-sxm, so "
              "test-gpu is priced on the default basis"));
    CHECK(has(c.note,
              "; test-gpu at $2.00 per GPU-hour, the on-demand list price of the "
              "catalogue less the 3y commitment discount 50.0%"));
  }
  SECTION("no published price: the 3y default at acquisition") {
    in.price.reset();
    scenario s;
    s.costs.ownership.acquisition_date = "2024-05";
    const auto c = choose_price(in, a, dc, &s);
    CHECK(usd_h(c.price) == 1.9);  // the dated 3y point of 2024
    CHECK(c.basis == "3y");
    CHECK(c.source == "3y price of 2024 (contract 2024)");
    CHECK(has(c.note,
              "price: no published price, so the default basis: the 3-year committed "
              "price of test-gpu at acquisition"));
    CHECK(has(c.note, "; test-gpu at $1.90 per GPU-hour, the 3y price of 2024"));
  }
  SECTION("nothing in the catalogue for the basis") {
    in.price.reset();
    dc.commitment_discount_3y.reset();
    auto b = a;
    b.prices.points.clear();
    const auto c = choose_price(in, b, dc, nullptr);
    CHECK(!c.price);
    CHECK(c.note ==
          "price: not computed: no 3y price for test-gpu in the catalogue (give "
          "pricing.usd_per_gpu_hour)");
  }
}

TEST_CASE("choose_price: pricing.rental and pricing.as_of name the basis", "[pricing][basis]") {
  const auto a = test_gpu();
  const auto dc = test_dc();
  run_inputs in;
  in.rental_kind = "gpu-cloud";
  const auto g = choose_price(in, a, dc, nullptr);
  CHECK(usd_h(g.price) == 2.5);
  CHECK(g.basis == "gpu-cloud");
  CHECK(g.note ==
        "price: test-gpu at $2.50 per GPU-hour, the gpu-cloud list price of the catalogue");

  run_inputs asof;
  asof.price_as_of = 2021;  // alone: on demand as of 2021
  const auto o = choose_price(asof, a, dc, nullptr);
  CHECK(usd_h(o.price) == 5.0);
  CHECK(o.basis == "on-demand");
  CHECK(o.source == "on-demand price of 2021-03 (list 2021)");
  // pricing.as_of wins over the acquisition date.
  scenario s;
  s.costs.ownership.acquisition_date = "2023-01";
  CHECK(usd_h(choose_price(asof, a, dc, &s).price) == 5.0);
  asof.price_as_of.reset();
  asof.rental_kind = "on-demand";
  CHECK(usd_h(choose_price(asof, a, dc, &s).price) == 3.0);
  // An explicit basis wins over pricing.rental.
  asof.price_basis = price_basis::one_year;
  CHECK_THAT(usd_h(choose_price(asof, a, dc, &s).price), WithinRel(3.0 * 0.7, 1e-12));
}

TEST_CASE("dollars of a year through the PPI", "[pricing][usd_year]") {
  const auto dc = test_dc();
  std::vector<std::string> notes;
  // 2020 dollars in 2022 dollars: 121 / 100.
  CHECK_THAT(usd_year_factor(dc, 2020, 2022, notes), WithinRel(1.21, 1e-12));
  CHECK_THAT(usd_year_factor(dc, 2022, 2021, notes), WithinRel(110.0 / 121.0, 1e-12));
  CHECK(notes.empty());
  // A run after the table's last year is taken as of the last, with a note (once).
  CHECK_THAT(usd_year_factor(dc, 2024, 2020, notes), WithinRel(100.0 / 121.0, 1e-12));
  CHECK_THAT(usd_year_factor(dc, 2024, 2021, notes), WithinRel(110.0 / 121.0, 1e-12));
  CHECK(notes == std::vector<std::string>{
                     "dollars: no PPI for 2024 yet, so 2024 dollars are taken as 2022 dollars"});
  CHECK_THROWS_WITH(usd_year_factor(dc, 2020, 2023, notes),
                    "pricing.usd_year: no PPI for 2023; expected a year in 2020-2022");
  CHECK_THROWS_WITH(usd_year_factor(dc, 2020, 2019, notes),
                    "pricing.usd_year: no PPI for 2019; expected a year in 2020-2022");
  CHECK_THROWS_WITH(usd_year_factor(dc, 2019, 2021, notes),
                    "pricing.usd_year: no PPI for 2019; expected a year in 2020-2022");
  auto bad = dc;
  bad.ppi_by_year[2020].value = 0.0;
  CHECK_THROWS_WITH(usd_year_factor(bad, 2020, 2021, notes), "pricing.usd_year: bad PPI table");
  datacenter_constants empty;
  CHECK_THROWS_WITH(usd_year_factor(empty, 2020, 2021, notes),
                    "pricing.usd_year: the catalogue has no [inflation.ppi] table");
  CHECK(dollars_text(std::nullopt) == "nominal");
  CHECK(dollars_text(2023) == "2023 USD");
}

namespace {
struct fake_reported {
  std::optional<money> cost;
  std::optional<price_rate> price;
};
struct fake_implied {
  std::optional<price_rate> price;
};
struct fake_phase {
  std::map<std::string, money> cost;
  std::optional<price_rate> price;
  fake_reported reported;
  fake_implied implied;
};
struct fake_result {
  std::string dollars;
  std::vector<std::string> assumptions;
  std::vector<fake_phase> phases;
  fake_phase total;
};
fake_phase fake(double cost) {
  fake_phase p;
  p.cost["rental"] = money_from_usd(cost);
  p.price = price_rate_from_usd_per_gpu_hour(2.0);
  p.reported.cost = money_from_usd(cost / 2);
  p.reported.price = price_rate_from_usd_per_gpu_hour(1.0);
  p.implied.price = price_rate_from_usd_per_gpu_hour(3.0);
  return p;
}
}  // namespace

TEST_CASE("a whole result in dollars of a year", "[pricing][usd_year]") {
  const auto dc = test_dc();
  scenario s;
  fake_result r;
  r.phases = {fake(100.0)};
  r.total = fake(100.0);
  detail::apply_usd_year(r, s, dc);  // no pricing.usd_year: nominal, unchanged
  CHECK(r.dollars == "nominal");
  CHECK(value_in(r.total.cost["rental"], units::usd) == 100.0);
  CHECK(r.assumptions.empty());

  s.base.usd_year = 2022;
  CHECK_THROWS_WITH(detail::apply_usd_year(r, s, dc),
                    "pricing.usd_year: the scenario has no date, so the year of its dollars is "
                    "unknown (give date = YYYY-MM)");
  s.date = "2020-06";
  CHECK(dollars_year_of(s) == 2020);
  fake_result x;
  x.phases = {fake(100.0), fake(10.0)};
  x.total = fake(110.0);
  detail::apply_usd_year(x, s, dc);
  CHECK(x.dollars == "2022 USD");
  // Every dollar figure times 121 / 100.
  CHECK_THAT(value_in(x.phases[1].cost["rental"], units::usd), WithinRel(12.1, 1e-12));
  CHECK_THAT(value_in(x.total.cost["rental"], units::usd), WithinRel(133.1, 1e-12));
  CHECK_THAT(usd_h(x.total.price), WithinRel(2.42, 1e-12));
  CHECK_THAT(value_in(*x.total.reported.cost, units::usd), WithinRel(66.55, 1e-12));
  CHECK_THAT(usd_h(x.total.reported.price), WithinRel(1.21, 1e-12));
  CHECK_THAT(usd_h(x.phases[0].implied.price), WithinRel(3.63, 1e-12));
  REQUIRE(x.assumptions.size() == 1);
  CHECK(x.assumptions[0] ==
        "dollars: 2022 USD, from 2020 dollars (the run's date) x 1.2100, the annual US PPI for "
        "data processing, hosting and related services (BLS PCU518210518210)");
  // A phase without prices is left as it is.
  fake_result bare;
  bare.phases.resize(1);
  detail::apply_usd_year(bare, s, dc);
  CHECK(!bare.phases[0].price);
  CHECK(!bare.phases[0].reported.cost);
}
