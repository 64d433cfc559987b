// SPDX-License-Identifier: MIT
#include <cmath>

#include "bundled_catalogue.hpp"
#include "catch.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"

using namespace costmodel;
using Catch::Matchers::WithinRel;

namespace {
const catalogue& cat() { return costmodel::testing::bundled_catalogue(); }
double usd(const phase_result& p, const char* method) {
  return value_in(p.cost.at(method), units::usd);
}
double gh(gpu_time t) { return value_in(t, units::gpu_hour); }
const std::string data = COSTMODEL_TEST_DATA;
}  // namespace

TEST_CASE("gpt-4: rental, ownership and purchase within 10% of Epoch", "[estimate][cost]") {
  const auto e = estimate(load_scenario("gpt-4", cat()), cat());
  const auto& t = e.total;
  // EPOCH-COSTS-2025 (model_costs.csv, 2025-07-04): cloud $78.56M, amortized hardware capex +
  // energy $40.70M, hardware acquisition $778.1M (2025 USD).
  CHECK(std::fabs(usd(t, "rental") / 78.56e6 - 1) < 0.10);
  CHECK(std::fabs(usd(t, "ownership") / 40.70e6 - 1) < 0.10);
  CHECK(std::fabs(usd(t, "purchase") / 778.1e6 - 1) < 0.10);
  // By hand, on the modelled 2.1e25 / (312e12 * 3600 * 0.34) GPU-hours:
  const double hours = 2.1e25 / (312e12 * 3600 * 0.34);
  // Acquired 2020-08-12, used from 2022-05-12 (the preset's dates): 638 days.
  const double hw =
      24875 * std::pow(10.0, -0.14 * 638 / 365.25) * 0.14 * std::log(10.0) / 8766 / 0.81;
  const double kwh = 0.4 * 2.03125 * 0.75 * 1.25 * hours;  // PUE 1.25: OpenAI is no hyperscaler
  CHECK_THAT(t.energy_kwh.value(), WithinRel(kwh, 1e-9));
  CHECK_THAT(usd(t, "energy"), WithinRel(kwh * 0.0806, 1e-9));
  CHECK_THAT(usd(t, "ownership"), WithinRel(hw * hours + kwh * 0.0806, 1e-9));
  CHECK_THAT(usd(t, "purchase"), WithinRel(25000 * 24875 / 0.81, 1e-9));
  CHECK_THAT(usd(t, "program"), WithinRel(2.2 * usd(t, "ownership"), 1e-9));
  // US grid, 366 gCO2e/kWh (EIA 2023).
  CHECK_THAT(t.emissions_tco2e.value(), WithinRel(kwh * 366 / 1e6, 1e-9));
}

TEST_CASE("deepseek-v3: buying the cluster costs ten times the rental figure", "[estimate][cost]") {
  const auto e = estimate(load_scenario("deepseek-v3", cat()), cat());
  // 2,048 x $44,750 (DGX H800 / 8, includes the server) / 0.81 (by hand) = $113.1M.
  CHECK_THAT(usd(e.total, "purchase"), WithinRel(2048 * 44750 / 0.81, 1e-9));
  CHECK(usd(e.total, "purchase") > 10 * 5.576e6);
  // Every phase runs on the same cluster: the total buys it once.
  CHECK(usd(e.phases[0], "purchase") == usd(e.total, "purchase"));
  CHECK_THAT(usd(e.total, "rental"), WithinRel(5.576e6, 1e-9));
}

TEST_CASE("llama-2-70b: 688 MWh and the grid intensity its CO2 implies", "[estimate][energy]") {
  const auto e = estimate(load_scenario("llama-2-70b", cat()), cat());
  // L2-CARD: 1,720,320 GPU-hours x 400 W = 688,128 kWh.
  CHECK_THAT(e.total.energy_kwh.value(), WithinRel(688128.0, 1e-9));
  // 291.42 tCO2e over the reported 688.1 MWh: 423.5 gCO2e/kWh.
  REQUIRE(e.total.implied.grid_gco2e_per_kwh);
  CHECK_THAT(*e.total.implied.grid_gco2e_per_kwh, WithinRel(291.42e6 / 688100.0, 1e-9));
  CHECK_FALSE(e.total.cost.count("purchase"));  // no GPU count published
}

TEST_CASE("every key of the cost tables is used as given", "[estimate][cost]") {
  const auto s = load_scenario(data + "/cost_full.toml", cat());
  const auto e = estimate(s, cat());
  const auto& p = e.total;
  // Megatron model FLOPs per token, by hand (l = 12, h = 768, s = 1024, V = 50304).
  const double per_token =
      72.0 * 12 * 768 * 768 * (1 + 1024.0 / (6 * 768) + 50304.0 / (12 * 12 * 768));
  CHECK_THAT(value_in(*p.compute_flop, units::flop), WithinRel(per_token * 10e9, 1e-12));
  CHECK(e.phases[0].compute_basis == "megatron");
  CHECK(p.flop_convention == "megatron, attention counted whole");
  // Goodput from 128 nodes at 20,000 h: M = 156.25 h; delta = 1/60 h, R = 10/60 h.
  const double m = 20000.0 / 128;
  const double d = 1.0 / 60;
  const double r = 10.0 / 60;
  const double tau = std::sqrt(2 * d * m) * (1 + std::sqrt(d / (2 * m)) / 3 + d / (2 * m) / 9) - d;
  const double g = tau / (m * std::exp(r / m) * std::expm1((tau + d) / m));
  CHECK(p.goodput_basis == "reliability");
  CHECK_THAT(p.goodput.ratio(), WithinRel(g, 1e-12));
  CHECK_THAT(p.checkpoint_interval_hours.value(), WithinRel(tau, 1e-12));
  const double hours = per_token * 10e9 / (989.4e12 * 3600 * 0.4) / g;
  CHECK_THAT(gh(p.gpu_hours), WithinRel(hours, 1e-9));
  // Energy: 0.7 kW x 0.8 x 1.5 x 1.2; $0.1/kWh; 400 and 100 gCO2e/kWh.
  const double kwh = 0.7 * 0.8 * 1.5 * 1.2 * hours;
  CHECK_THAT(p.energy_kwh.value(), WithinRel(kwh, 1e-12));
  CHECK_THAT(usd(p, "energy"), WithinRel(kwh * 0.1, 1e-12));
  CHECK_THAT(p.emissions_tco2e.value(), WithinRel(kwh * 400 / 1e6, 1e-12));
  CHECK_THAT(p.emissions_market_tco2e.value(), WithinRel(kwh * 100 / 1e6, 1e-12));
  // Ownership: straight-line $30,000 x 1.5 over 4 years, 20% interconnect, plus energy.
  const double hw = 30000 * 1.5 / (4 * 8766) / 0.8 * hours;
  CHECK_THAT(usd(p, "ownership"), WithinRel(hw + kwh * 0.1, 1e-12));
  CHECK_THAT(usd(p, "purchase"), WithinRel(1024 * 30000 * 1.5 / 0.8, 1e-12));
  CHECK_THAT(usd(p, "program"), WithinRel(2 * (hw + kwh * 0.1) + 1e6, 1e-12));
  CHECK_THAT(usd(p, "rental"), WithinRel(hours * 2.0, 1e-12));
}

TEST_CASE("the palm convention and HFU are named beside the number", "[estimate][flops]") {
  const auto s = load_scenario(data + "/cost_full.toml", cat(),
                               {{"training.flop_convention", "megatron-recompute"},
                                {"training.causal_attention", "halved"}});
  const auto e = estimate(s, cat());
  CHECK(e.total.mfu_kind == "HFU");
  CHECK(e.total.flop_convention == "megatron-recompute, causal attention halved");
  const auto p = estimate(
      load_scenario(data + "/cost_full.toml", cat(), {{"training.flop_convention", "palm"}}),
      cat());
  CHECK_THAT(value_in(*p.total.compute_flop, units::flop),
             WithinRel((6 * 124e6 + 12.0 * 12 * 768 * 1024) * 10e9, 1e-12));
}

TEST_CASE("pricing.as_of picks the catalogue's dated prices", "[estimate][cost]") {
  const auto s = load_scenario("gpt-4", cat(),
                               {{"hardware.accelerator", "h100-sxm"}, {"pricing.as_of", "2025"}});
  const auto e = estimate(s, cat());
  // h100-sxm: GCP A3 on-demand $11.06 (2025-03-17); Viperatech DGX H100 $375,000 / 8 (2025-03).
  CHECK_THAT(value_in(*e.total.price, units::usd_per_gpu_hour), WithinRel(11.06, 1e-12));
  CHECK(e.total.price_basis == "on-demand");
  CHECK_THAT(usd(e.total, "purchase"), WithinRel(25000 * 46875 / 0.81, 1e-9));
  // 2022: the A100's GCP prices of 2022-12 and its single-unit price of 2022-07 x 1.66.
  const auto old = estimate(load_scenario("gpt-4", cat(), {{"pricing.as_of", "2022"}}), cat());
  CHECK_THAT(value_in(*old.total.price, units::usd_per_gpu_hour), WithinRel(2.93, 1e-12));
  CHECK_THAT(usd(old.total, "rental_3y") / gh(old.total.gpu_hours), WithinRel(1.03, 1e-12));
  CHECK_THAT(usd(old.total, "purchase"), WithinRel(25000 * 12500 * 1.66 / 0.81, 1e-9));
}

TEST_CASE("every default the cost methods use is printed", "[estimate][cost]") {
  const auto e = estimate(load_scenario("deepseek-v3", cat()), cat());
  auto mentions = [&](const char* text) {
    for (const auto& a : e.assumptions) {
      if (a.find(text) != std::string::npos) return true;
    }
    return false;
  };
  CHECK(mentions("PUE 1.25"));
  CHECK(mentions("average power 0.75"));
  CHECK(mentions("server power 1.8"));
  CHECK(mentions("interconnect 0.19"));
  CHECK(mentions("0.14"));
  CHECK(mentions("per kWh, the 2024 price"));
  CHECK(mentions("experiments x 2.2"));
  CHECK(mentions("no server overhead"));
}

TEST_CASE("bad cost inputs are refused", "[estimate][cost][errors]") {
  try {
    (void)load_scenario(data + "/bad_depreciation.toml", cat());
    FAIL("no error");
  } catch (const preset_error& e) {
    CHECK(e.kind() == errc::preset_bad_value);
    CHECK(e.key() == "ownership.depreciation");
    CHECK(e.line() == 10);
  }
  CHECK_THROWS_AS(load_scenario("gpt-4", cat(), {{"energy.pue", "0.9"}}), preset_error);
  CHECK_THROWS_AS(load_scenario("gpt-4", cat(), {{"training.flop_convention", "7ND"}}),
                  preset_error);
  CHECK_THROWS_AS(load_scenario("gpt-4", cat(), {{"pricing.as_of", "1850"}}), preset_error);
  // [reliability] without a count cannot derive goodput.
  const auto s = load_scenario("llama-2-70b", cat(), {{"reliability.restart_minutes", "5"}});
  CHECK_THROWS_AS(estimate(s, cat()), input_error);
  const auto r = load_scenario("gpt-4", cat(), {{"energy.grid_region", "atlantis"}});
  CHECK_THROWS_AS(estimate(r, cat()), input_error);
}

// ---------------------------------------------------------------------------------------------
// Issue 12: one price basis, Epoch's ownership method end to end, dollars of a year.

namespace {
double ownership_2023(const std::string& id) {
  const auto s = load_scenario(id, cat(), {{"pricing.usd_year", "2023"}});
  const auto e = estimate(s, cat());
  CHECK(e.dollars == "2023 USD");
  return usd(e.total, "ownership");
}
}  // namespace

// Epoch AI's amortised hardware + energy, 2023 USD (Cottier et al. 2024, arXiv:2405.21015;
// training-cost-trends commit 39013e2, "Training compute cost (2023 USD)"), with the defaults:
// acquisition and training start dates by Epoch's rules in the presets, the PPI to 2023.
TEST_CASE("defaults reproduce Epoch's amortised hardware + energy within 5%", "[cost][epoch]") {
  CHECK(std::fabs(ownership_2023("gpt-4") / 40.59e6 - 1) < 0.05);
  CHECK(std::fabs(ownership_2023("gemini-1.0-ultra") / 29.83e6 - 1) < 0.05);
  CHECK(std::fabs(ownership_2023("gpt-3") / 2.21e6 - 1) < 0.05);
  CHECK(std::fabs(ownership_2023("palm-540b") / 2.95e6 - 1) < 0.05);
}

TEST_CASE("usd_year converts every dollar figure with the annual PPI", "[cost][dollars]") {
  const auto& ppi = cat().datacenter.ppi_by_year;
  REQUIRE(ppi.count(2023) == 1);
  REQUIRE(ppi.count(2024) == 1);
  const auto nominal = estimate(load_scenario("llama-3.1-405b", cat()), cat());
  const auto real =
      estimate(load_scenario("llama-3.1-405b", cat(), {{"pricing.usd_year", "2023"}}), cat());
  CHECK(nominal.dollars == "nominal");
  const double f = ppi.at(2023).value / ppi.at(2024).value;  // the run is dated 2024
  for (const auto& [method, m] : nominal.total.cost) {
    CHECK_THAT(value_in(real.total.cost.at(method), units::usd),
               WithinRel(value_in(m, units::usd) * f, 1e-12));
  }
  CHECK_THAT(value_in(*real.total.price, units::usd_per_gpu_hour),
             WithinRel(value_in(*nominal.total.price, units::usd_per_gpu_hour) * f, 1e-12));
  CHECK_THROWS_AS(load_scenario("gpt-4", cat(), {{"pricing.usd_year", "1989"}}), preset_error);
  CHECK_THROWS_AS(estimate(load_scenario("gpt-4", cat(), {{"pricing.usd_year", "2010"}}), cat()),
                  input_error);
}

TEST_CASE("price basis: the run's own price, else 3-year at acquisition", "[cost][basis]") {
  // estimate keeps DeepSeek-V3's $2 per H800-hour: $5.576M.
  const auto own = estimate(load_scenario("deepseek-v3", cat()), cat());
  CHECK(own.total.price_basis == "reported");
  CHECK_THAT(usd(own.total, "rental"), WithinRel(5.576e6, 1e-3));
  // A B200 is re-priced on the default basis from its own catalogue entry, with a note.
  const auto b200 =
      estimate(load_scenario("deepseek-v3", cat(), {{"hardware.accelerator", "b200"}}), cat());
  const auto& b = cat().at("b200");
  REQUIRE(!b.prices.three_year);  // derived from the GPU-cloud price less the 3-year discount
  const double expect = value_in(*b.prices.gpu_cloud, units::usd_per_gpu_hour) *
                        (1 - cat().datacenter.commitment_discount_3y->value);
  CHECK(b200.total.price_basis == "3y");
  CHECK_THAT(value_in(*b200.total.price, units::usd_per_gpu_hour), WithinRel(expect, 1e-12));
  bool noted = false;
  for (const auto& a : b200.assumptions) noted |= a.find("published for h800-sxm") != a.npos;
  CHECK(noted);
  // A price set in the same command is kept.
  const auto two =
      estimate(load_scenario("deepseek-v3", cat(),
                             {{"pricing.usd_per_gpu_hour", "2"}, {"hardware.accelerator", "b200"}}),
               cat());
  CHECK(two.total.price_basis == "input");
  CHECK_THAT(value_in(*two.total.price, units::usd_per_gpu_hour), WithinRel(2.0, 1e-12));
  // One basis for every run: each is priced from its own accelerator's 3-year price.
  for (const char* id : {"deepseek-v3", "gpt-4", "llama-3.1-405b"}) {
    const auto e = estimate(load_scenario(id, cat(), {{"pricing.basis", "3y"}}), cat());
    CHECK(e.total.price_basis == "3y");
    CHECK(e.total.price.has_value());
  }
  CHECK_THROWS_AS(load_scenario("gpt-4", cat(), {{"pricing.basis", "spot"}}), preset_error);
}

TEST_CASE("dates: TOML dates load, impossible ones are refused where they are", "[presets]") {
  const std::string head =
      "schema = 1\nname = \"t\"\ndeveloper = \"x\"\ndate = 2023-03-01\n"
      "[model]\nparameters = 1e9\n[training]\ntokens = 1e10\n"
      "[hardware]\naccelerator = \"h100-sxm\"\ncount = 8\n";
  const auto s = parse_scenario(
      head + "[ownership]\nacquisition_date = 2022-12-19\ntraining_start_date = 2023-01-10\n",
      "dates.toml", cat());
  CHECK(s.date == "2023-03-01");
  CHECK(s.costs.ownership.acquisition_date == "2022-12-19");
  const auto e = estimate(s, cat());
  CHECK(e.total.cost.count("ownership") == 1);
  // --set takes a TOML date too.
  const auto set = parse_scenario(head, "dates.toml", cat(),
                                  {{"ownership.acquisition_date", "2022-12-19"},
                                   {"ownership.training_start_date", "2023-01-10"}});
  CHECK(set.costs.ownership.training_start_date == "2023-01-10");
  for (const char* bad : {"\"2024-02-30\"", "\"99999-01\"", "\"1850-01\""}) {
    try {
      (void)parse_scenario(head + "[ownership]\nacquisition_date = " + bad + "\n", "dates.toml",
                           cat());
      FAIL("accepted " << bad);
    } catch (const preset_error& err) {
      const std::string what = err.what();
      CHECK(what.find("dates.toml:13:") != what.npos);
      CHECK(what.find("ownership.acquisition_date") != what.npos);
    }
  }
  CHECK(parse_date_days("2024-02-29"));
  CHECK_FALSE(parse_date_days("2023-02-29"));
  // Without a date, the reason ownership cannot be computed names the key that would fix it.
  const std::string undated =
      "schema = 1\nname = \"t\"\ndeveloper = \"x\"\n[model]\nparameters = 1e9\n[training]\n"
      "tokens = 1e10\n[hardware]\naccelerator = \"h100-sxm\"\ncount = 8\n";
  const auto u = estimate(parse_scenario(undated, "undated.toml", cat()), cat());
  CHECK(u.total.cost.count("ownership") == 0);
  bool named = false;
  for (const auto& a : u.assumptions) named |= a.find("give date = YYYY-MM") != a.npos;
  CHECK(named);
}

TEST_CASE("audit market range: ownership point with server and interconnect", "[audit]") {
  const auto m = market_range_for("tpu-v4", cat());
  REQUIRE(m);
  // $5,176 x 1.64 / (1 - 0.19) x 0.14 ln 10 / 8,766 h = $0.385 per chip-hour.
  CHECK_THAT(value_in(m->low, units::usd_per_gpu_hour),
             WithinRel(5176 * 1.64 / 0.81 * 0.14 * std::log(10.0) / 8766, 1e-9));
}
