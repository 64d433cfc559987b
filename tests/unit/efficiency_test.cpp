// SPDX-License-Identifier: MIT
#include "costmodel/efficiency.hpp"

#include <cmath>
#include <limits>

#include "catch.hpp"

using costmodel::efficiency;
using costmodel::errc;
using costmodel::input_error;

TEST_CASE("efficiency accepts ratios above zero up to one", "[efficiency]") {
  CHECK(efficiency::from_ratio(0.42).ratio() == 0.42);
  CHECK(efficiency::from_ratio(1.0).ratio() == 1.0);
  CHECK(efficiency::one().ratio() == 1.0);
}

TEST_CASE("efficiency refuses zero, negatives, values above one and NaN", "[efficiency]") {
  for (double bad :
       {0.0, -0.1, 1.0001, 45.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(efficiency::from_ratio(bad), input_error);
  }
  try {
    (void)efficiency::from_ratio(1.5);
  } catch (const input_error& e) {
    CHECK(e.kind() == errc::invalid_input);
  }
}
