// SPDX-License-Identifier: MIT
#include "costmodel/sensitivity.hpp"

#include "bundled_catalogue.hpp"
#include "catch.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"

using namespace costmodel;
using Catch::Matchers::WithinRel;

namespace {
const catalogue& cat() { return costmodel::testing::bundled_catalogue(); }
}  // namespace

TEST_CASE("gpt-4's inputs rank compute, then MFU, then the GPU count", "[sensitivity]") {
  const auto r = sensitivity(load_scenario("gpt-4", cat()), cat());
  REQUIRE(r.rows.size() == 3);
  CHECK(r.ranked_by == metric::cost_usd_rental);
  CHECK(r.rows[0].key == "training.compute_flop");
  CHECK(r.rows[1].key == "efficiency.mfu");
  CHECK(r.rows[2].key == "hardware.count");
  // Hand-computed: cost = C / (312 TFLOPS * 3600 s * MFU) * $1.36, at C = 8.2e24 (Epoch's 5th
  // percentile) and at MFU 0.32 (SemiAnalysis's low end) with the other at its point value.
  const double per_flop = 1.36 / (312e12 * 3600.0);
  CHECK_THAT(r.rows[0].at_low[metric::cost_usd_rental], WithinRel(8.2e24 * per_flop / 0.34, 1e-9));
  CHECK_THAT(r.rows[0].at_high[metric::cost_usd_rental], WithinRel(4.4e25 * per_flop / 0.34, 1e-9));
  CHECK_THAT(r.rows[1].at_low[metric::cost_usd_rental], WithinRel(2.1e25 * per_flop / 0.32, 1e-9));
  // The GPU count moves the days, not the cost.
  CHECK(r.rows[2].swing == 0.0);
  CHECK_THAT(r.rows[2].at_low[metric::wall_clock_days],
             WithinRel(2.1e25 / (312e12 * 3600.0 * 0.34) / 20000.0 / 24.0, 1e-9));
}

TEST_CASE("sensitivity without an uncertain input is an input error", "[sensitivity]") {
  CHECK_THROWS_AS(sensitivity(load_scenario("deepseek-v3", cat()), cat()), input_error);
}
