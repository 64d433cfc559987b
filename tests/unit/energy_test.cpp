// SPDX-License-Identifier: MIT
#include "costmodel/energy.hpp"

#include "catch.hpp"

using namespace costmodel;
using Catch::Matchers::WithinRel;

TEST_CASE("Llama 2 70B: 1,720,320 GPU-hours at 400 W are 688 MWh", "[energy]") {
  // L2-CARD convention: GPU-hours x 400 W, the power already adjusted for PUE.
  power_model card{400.0, 1.0, 1.0, 1.0};
  const double kwh = energy_kwh(card, gpu_time_from_gpu_hours(1720320));
  CHECK_THAT(kwh, WithinRel(688128.0, 1e-12));
  // With the card's 291.42 tCO2e: 291.42e6 / 688128 = 423.5 gCO2e/kWh (by hand).
  CHECK_THAT(implied_grid_intensity(291.42, kwh), WithinRel(291.42e6 / 688128.0, 1e-12));
  CHECK_THAT(implied_grid_intensity(291.42, kwh), WithinRel(423.5, 1e-3));
}

TEST_CASE("Epoch's energy multiplies TDP, server power, average draw and PUE", "[energy]") {
  // A100: 400 W x 2.03125 x 0.75 x 1.25 = 0.76171875 kW per GPU (EPOCH-CODE, by hand).
  power_model epoch{400.0, 0.75, 2.03125, 1.25};
  const double kwh = energy_kwh(epoch, gpu_time_from_gpu_hours(57e6));
  CHECK_THAT(kwh, WithinRel(0.76171875 * 57e6, 1e-12));
  CHECK_THAT(value_in(energy_cost(kwh, 0.0806), units::usd),
             WithinRel(0.76171875 * 57e6 * 0.0806, 1e-12));
  CHECK_THAT(emissions_tco2e(kwh, 366.0), WithinRel(0.76171875 * 57e6 * 366.0 / 1e6, 1e-12));
}

TEST_CASE("a non-positive power factor is refused", "[energy]") {
  CHECK_THROWS_AS(energy_kwh(power_model{0.0, 1, 1, 1}, gpu_time_from_gpu_hours(1)), input_error);
  CHECK_THROWS_AS(energy_kwh(power_model{400, 1, 1, -1}, gpu_time_from_gpu_hours(1)), input_error);
}
