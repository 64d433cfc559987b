// SPDX-License-Identifier: MIT
#include "costmodel/format.hpp"

#include "catch.hpp"

using namespace costmodel;

TEST_CASE("quantities format with their unit symbol", "[format]") {
  CHECK(fmt::format("{:.2f}", money_from_usd(2500.0)) == "2500.00 USD");
  CHECK(fmt::format("{:.2f}", price_rate_from_usd_per_gpu_hour(2.49)) == "2.49 USD/GPU-h");
  CHECK(fmt::format("{}", gpu_time_from_gpu_hours(5000.0)) == "5000 GPU-h");
  CHECK(fmt::format("{:.3g}", compute_from_flop(3.29e24)) == "3.29e+24 FLOP");
  CHECK(fmt::format("{:.2f}", efficiency::from_ratio(0.45)) == "0.45");
}
