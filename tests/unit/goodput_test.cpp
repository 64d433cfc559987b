// SPDX-License-Identifier: MIT
#include "costmodel/goodput.hpp"

#include <cmath>

#include "catch.hpp"
#include "costmodel/presets.hpp"

using namespace costmodel;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

TEST_CASE("Young's interval is sqrt(2 delta M)", "[goodput]") {
  // delta = 0.1 h, M = 20 h: sqrt(4) = 2 h (by hand).
  CHECK_THAT(young_interval(0.1, 20.0), WithinRel(2.0, 1e-12));
}

TEST_CASE("Daly's interval is Young's with higher-order terms", "[goodput]") {
  // delta = 0.1, M = 20: r = 0.1/40 = 0.0025; 2 (1 + 0.05/3 + 0.0025/9) - 0.1 (by hand).
  CHECK_THAT(daly_interval(0.1, 20.0), WithinRel(2.0 * (1 + 0.05 / 3 + 0.0025 / 9) - 0.1, 1e-12));
  // delta >= 2M: checkpoint once per MTBF.
  CHECK(daly_interval(5.0, 2.0) == 2.0);
}

TEST_CASE("goodput follows Daly's exponential model", "[goodput]") {
  // M = 10 h, delta = 0.1 h, R = 0.2 h, tau = 1 h:
  // goodput = 1 / (10 e^0.02 (e^0.11 - 1)) = 0.8430 (by hand: e^0.11 - 1 = 0.116278).
  reliability_model r{10.0, 0.1, 0.2, 1.0};
  const double expect = 1.0 / (10.0 * std::exp(0.02) * (std::exp(0.11) - 1.0));
  CHECK_THAT(goodput_from_failures(r), WithinRel(expect, 1e-12));
  CHECK_THAT(expect, WithinAbs(0.8430, 5e-4));
}

TEST_CASE("Daly's interval maximises goodput, and beats Young's", "[goodput]") {
  for (double delta : {0.01, 0.1, 0.5}) {
    for (double m : {3.0, 10.0, 50.0}) {
      CAPTURE(delta, m);
      reliability_model r{m, delta, 0.1, std::nullopt};
      const double best = goodput_from_failures(r);
      double grid_best = 0.0;
      for (double tau = 0.01; tau < 3.0 * m; tau *= 1.01) {
        r.checkpoint_interval_hours = tau;
        grid_best = std::max(grid_best, goodput_from_failures(r));
      }
      CHECK(best >= grid_best * (1 - 1e-4));
      r.checkpoint_interval_hours = young_interval(delta, m);
      CHECK(best >= goodput_from_failures(r) - 1e-12);
    }
  }
}

TEST_CASE("for rare failures goodput is the first-order waste formula", "[goodput]") {
  // Young 1974 first order: waste = delta/tau + tau/(2M) + R/M at tau = sqrt(2 delta M).
  const double m = 1000.0;
  const double delta = 0.01;
  const double rr = 0.05;
  reliability_model r{m, delta, rr, young_interval(delta, m)};
  const double tau = young_interval(delta, m);
  const double first_order = 1.0 - (delta / tau + tau / (2 * m) + rr / m);
  CHECK_THAT(goodput_from_failures(r), WithinRel(first_order, 1e-3));
}

TEST_CASE("the defaults give Llama 3 over 90% goodput", "[goodput][presets]") {
  // L3-PAPER: 419 unexpected interruptions in 54 days on 16,384 GPUs; '>90% effective training
  // time'. System MTBF = 54 * 24 / 419 = 3.093 h.
  const auto cat = load_catalogue();
  const auto& dc = cat.datacenter;
  REQUIRE(dc.mtbf_hours_per_accelerator);
  REQUIRE(dc.checkpoint_write_minutes);
  REQUIRE(dc.restart_minutes);
  const double m = system_mtbf(dc.mtbf_hours_per_accelerator->value, 16384);
  CHECK_THAT(m, WithinRel(54.0 * 24.0 / 419.0, 1e-4));
  reliability_model r{m, dc.checkpoint_write_minutes->value / 60, dc.restart_minutes->value / 60,
                      std::nullopt};
  const double g = goodput_from_failures(r);
  CHECK(g > 0.90);
  CHECK(g < 0.95);
}

TEST_CASE("bad reliability inputs are refused", "[goodput]") {
  CHECK_THROWS_AS(system_mtbf(0.0, 10), input_error);
  CHECK_THROWS_AS(system_mtbf(100.0, 0.0), input_error);
  reliability_model r{-1.0, 0.1, 0.1, std::nullopt};
  CHECK_THROWS_AS(goodput_from_failures(r), input_error);
  // Failures every 6 minutes against 10-hour restarts: nothing completes.
  reliability_model hopeless{0.1, 0.05, 1000.0, std::nullopt};
  CHECK_THROWS_AS(goodput_from_failures(hopeless), input_error);
}
