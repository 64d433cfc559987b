// SPDX-License-Identifier: MIT
#include "catch.hpp"
#include "costmodel/costmodel.hpp"
#include "support/quantity_matchers.hpp"

using namespace costmodel;
using Catch::Matchers::WithinRel;

TEST_CASE("training compute is six times active parameters times tokens", "[compute]") {
  // DeepSeek-V3 pre-training: 6 x 37e9 x 14.8e12 = 3.2856e24 (by hand).
  CHECK_THAT(value_in(training_compute_6nd(37e9, 14.8e12), units::flop),
             WithinRel(3.2856e24, 1e-12));
  SECTION("non-positive or non-finite inputs are refused") {
    CHECK_THROWS_AS(training_compute_6nd(-1.0, 1e12), input_error);
    CHECK_THROWS_AS(training_compute_6nd(1e9, 0.0), input_error);
    CHECK_THROWS_AS(training_compute_6nd(1e200, 1e200), input_error);
  }
}

TEST_CASE("gpu time is compute over peak times mfu, over goodput", "[compute]") {
  // 3.2856e24 FLOP / (1979e12 FLOP/s x 3600 s/h x 0.4) / 0.9 = 1,281,043.5 GPU-h (by hand).
  const auto t = gpu_time_for(compute_from_flop(3.2856e24), compute_rate_from_tflops(1979.0),
                              efficiency::from_ratio(0.4), efficiency::from_ratio(0.9));
  CHECK_THAT(value_in(t, units::gpu_hour),
             WithinRel(3.2856e24 / (1979e12 * 3600 * 0.4) / 0.9, 1e-12));
  CHECK_THAT(value_in(t, units::gpu_hour), WithinRel(1281043.5, 1e-6));
}

TEST_CASE("wall clock is gpu time over the count", "[compute]") {
  const auto d = wall_clock(gpu_time_from_gpu_hours(2.788e6), gpus(2048));
  CHECK_THAT(days_of(d), WithinRel(2.788e6 / 2048 / 24, 1e-12));  // 56.72 days
}

TEST_CASE("implied mfu inverts gpu_time_for", "[compute]") {
  // DeepSeek-V3: 3.2856e24 FLOP in 2.664M H800-hours = 17.31% of 1979 TFLOPS.
  const double m = implied_mfu(compute_from_flop(3.2856e24), gpu_time_from_gpu_hours(2.664e6),
                               compute_rate_from_tflops(1979.0));
  CHECK_THAT(m, WithinRel(3.2856e24 / (2.664e6 * 3600 * 1979e12), 1e-12));
  CHECK_THAT(m, WithinRel(0.17312, 1e-4));
}

TEST_CASE("rental cost is price rate times gpu time", "[pricing]") {
  const auto c =
      rental_cost(gpu_time_from_gpu_hours(2.788e6), price_rate_from_usd_per_gpu_hour(2.0));
  CHECK(test::within_rel(c, units::usd, 5.576e6));
  CHECK(test::within_rel(implied_price(money_from_usd(5.576e6), gpu_time_from_gpu_hours(2.788e6)),
                         units::usd_per_gpu_hour, 2.0));
}

TEST_CASE("tflops round-trip through the hourly rate", "[quantity]") {
  CHECK_THAT(tflops_of(compute_rate_from_tflops(989.4)), WithinRel(989.4, 1e-12));
  CHECK_THAT(value_in(compute_rate_from_tflops(1.0), units::flop_per_gpu_hour),
             WithinRel(3.6e15, 1e-12));
}
