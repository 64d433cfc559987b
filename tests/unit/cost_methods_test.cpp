// SPDX-License-Identifier: MIT
#include "costmodel/cost_methods.hpp"

#include <cmath>

#include "catch.hpp"

using namespace costmodel;
using Catch::Matchers::WithinRel;

namespace {
double usd(money m) { return value_in(m, units::usd); }
}  // namespace

TEST_CASE("depreciation by hardware progress reproduces Epoch's GPT-4 server value", "[cost]") {
  // EPOCH-DEV (development_cost.ipynb output): the A100 SXM4 40 GB server at $24,875, available
  // from 2020-08-12 and used from 2022-05-12, is worth 14165.05 per chip.
  const double years = years_between("2020-08-12", "2022-05-12");
  CHECK_THAT(years, WithinRel(638.0 / 365.25, 1e-12));  // 365 + 273 days
  CHECK_THAT(usd(depreciated_value(money_from_usd(24875), 0.14, years)), WithinRel(14165.05, 1e-6));
}

TEST_CASE("exponential amortisation replaces k ln 10 of the value per year", "[cost]") {
  ownership_model m;
  m.server_price_per_accelerator = money_from_usd(24875);
  m.age_years = 1.744;
  m.interconnect_share = 0.19;
  // By hand: 24875 * 10^(-0.14 * 1.744) * 0.14 * ln(10) / 8766 per GPU-hour.
  const double rate = 24875 * std::pow(10.0, -0.14 * 1.744) * 0.14 * std::log(10.0) / 8766;
  CHECK_THAT(value_in(hardware_rate(m), units::usd_per_gpu_hour), WithinRel(rate, 1e-12));
  // 57.0M GPU-hours with 19% interconnect: rate * 57e6 / 0.81.
  CHECK_THAT(usd(amortised_hardware_cost(m, gpu_time_from_gpu_hours(57e6))),
             WithinRel(rate * 57e6 / 0.81, 1e-12));
}

TEST_CASE("straight-line amortisation spreads the price over the life", "[cost]") {
  ownership_model m;
  m.server_price_per_accelerator = money_from_usd(40000);
  m.depreciation = depreciation_kind::straight_line;
  m.life_years = 5;
  m.age_years = 1;
  // 40000 / (5 * 8766) per GPU-hour, whatever the age within the life (by hand).
  CHECK_THAT(value_in(hardware_rate(m), units::usd_per_gpu_hour),
             WithinRel(40000.0 / (5 * 8766), 1e-12));
  m.age_years = 6;  // written off
  CHECK(value_in(hardware_rate(m), units::usd_per_gpu_hour) == 0.0);
  m.life_years = 0;
  CHECK_THROWS_AS(hardware_rate(m), input_error);
}

TEST_CASE("purchase is count times server price over one minus interconnect", "[cost]") {
  // GPT-4 as Epoch: 25,000 x $24,875 / 0.81 = $767,746,913.58 (by hand).
  CHECK_THAT(usd(purchase_cost(gpus(25000), money_from_usd(24875), 0.19)),
             WithinRel(767746913.58, 1e-10));
  CHECK_THROWS_AS(purchase_cost(gpus(1), money_from_usd(1), 1.0), input_error);
  CHECK(interconnect_multiplier(0.0) == 1.0);
}

TEST_CASE("program cost scales the final run and adds staff", "[cost]") {
  // $10M x 2.2 + $5M = $27M (by hand).
  CHECK_THAT(usd(program_cost(money_from_usd(10e6), 2.2, money_from_usd(5e6))),
             WithinRel(27e6, 1e-12));
  CHECK_THROWS_AS(program_cost(money_from_usd(1), 0.5), input_error);
  CHECK_THROWS_AS(program_cost(money_from_usd(1), 2.0, money_from_usd(-1)), input_error);
}

TEST_CASE("dates are read as YYYY, YYYY-MM or YYYY-MM-DD", "[cost]") {
  CHECK(parse_date_days("1970-01-01") == 0);
  CHECK(parse_date_days("2000-03-01") == 11017);  // days_from_civil(2000, 3, 1)
  CHECK(parse_date_days("2020-08") == parse_date_days("2020-08-01"));
  CHECK(parse_date_days("2020") == parse_date_days("2020-01-01"));
  CHECK_FALSE(parse_date_days("2020-13"));
  CHECK_FALSE(parse_date_days("20-01-01"));
  CHECK_FALSE(parse_date_days("2020/01/01"));
  CHECK(year_of("2024-12") == 2024);
  CHECK_THROWS_AS(years_between("soon", "2020"), input_error);
}
