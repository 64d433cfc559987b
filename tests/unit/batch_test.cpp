// SPDX-License-Identifier: MIT
#include "costmodel/batch.hpp"

#include <limits>
#include <locale>
#include <sstream>
#include <string>
#include <vector>

#include "bundled_catalogue.hpp"
#include "catch.hpp"
#include "costmodel/presets.hpp"

using namespace costmodel;

namespace {
const catalogue& cat() { return costmodel::testing::bundled_catalogue(); }

using costmodel::testing::exact_text;

/// The batch point for `values` equals estimate() with the same overrides, bit for bit.
void check_point(const std::string& id, const std::vector<std::string>& keys,
                 const std::vector<double>& values) {
  std::vector<override_entry> o;
  for (std::size_t k = 0; k < keys.size(); ++k) o.push_back({keys[k], exact_text(values[k])});
  const auto s = load_scenario(id, cat(), o);
  std::vector<batch_key> bk;
  for (const auto& k : keys) bk.push_back(parse_batch_key(k, s));
  // The model is built from other values of the same keys: only the branches carry over.
  std::vector<override_entry> t;
  for (const auto& k : keys) t.push_back({k, k == "hardware.count" ? "7" : "0.5"});
  const batch_model model(load_scenario(id, cat(), t), cat(), bk);
  const auto p = model.evaluate(values.data());
  const auto e = estimate(s, cat());
  REQUIRE(p.ok);
  CHECK(p.gpu_hours == value_in(e.total.gpu_hours, units::gpu_hour));
  CHECK(p.cost_usd_rental == value_in(e.total.cost.at("rental"), units::usd));
  CHECK(p.compute_flop == value_in(*e.total.compute_flop, units::flop));
  CHECK(p.wall_clock_days == days_of(*e.total.wall_clock));
  CHECK(p.mfu == *e.total.mfu);
}
}  // namespace

TEST_CASE("a batch point equals estimate() with the same overrides", "[batch]") {
  SECTION("mfu on a run with phases and an implied MFU") {
    check_point("deepseek-v3", {"efficiency.mfu"}, {0.3});
  }
  SECTION("mfu, goodput, price and count together") {
    check_point(
        "llama-3.1-405b",
        {"efficiency.mfu", "efficiency.goodput", "pricing.usd_per_gpu_hour", "hardware.count"},
        {0.38, 0.85, 2.25, 8192.0});
  }
  SECTION("parameters drive 6ND") { check_point("llama-3.1-405b", {"model.parameters"}, {70e9}); }
}

TEST_CASE("a batch declines out-of-range points for the scalar path to explain", "[batch]") {
  const auto s = load_scenario("gpt-4", cat(), {{"efficiency.mfu", "0.4"}});
  const batch_model model(s, cat(), {parse_batch_key("efficiency.mfu", s)});
  for (double bad : {0.0, -0.1, 1.5, std::numeric_limits<double>::quiet_NaN()}) {
    CHECK_FALSE(model.evaluate(&bad).ok);
  }
  const double fine = 1.0;
  CHECK(model.evaluate(&fine).ok);
}

TEST_CASE("batch keys are the numeric inputs, for all phases or one", "[batch]") {
  const auto s = load_scenario("deepseek-v3", cat());
  CHECK_FALSE(parse_batch_key("efficiency.mfu", s).phase);
  CHECK(parse_batch_key("phases.context extension.efficiency.mfu", s).phase == 1U);
  CHECK(parse_batch_key("phases.2.pricing.usd_per_gpu_hour", s).phase == 2U);
  CHECK_THROWS_AS(parse_batch_key("hardware.accelerator", s), input_error);
  CHECK_THROWS_WITH(parse_batch_key("phases.nope.efficiency.mfu", s),
                    Catch::Matchers::Contains("no phase 'nope'; expected one of: pre-training"));
}
