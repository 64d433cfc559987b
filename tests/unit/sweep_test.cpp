// SPDX-License-Identifier: MIT
#include "costmodel/sweep.hpp"

#include "catch.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"

using namespace costmodel;
using Catch::Matchers::WithinRel;

namespace {
using values = std::vector<std::string>;
}

TEST_CASE("start:stop:step includes stop despite floating-point steps", "[sweep]") {
  CHECK(parse_sweep_axis("efficiency.mfu=0.2:0.6:0.1").values ==
        values{"0.2", "0.3", "0.4", "0.5", "0.6"});
  CHECK(parse_sweep_axis("efficiency.mfu=0.2:0.6:0.05").values.size() == 9);
  CHECK(parse_sweep_axis("hardware.count=4k:1k:-1k").values ==
        values{"4000", "3000", "2000", "1000"});
  CHECK(parse_sweep_axis("efficiency.mfu=0.2:0.25:0.1").values == values{"0.2"});
  const auto a = parse_sweep_axis("hardware.accelerator=a100-sxm-80gb,h100-sxm,b200");
  CHECK(a.key == "hardware.accelerator");
  CHECK(a.values == values{"a100-sxm-80gb", "h100-sxm", "b200"});
}

TEST_CASE("bad sweep axes are input errors", "[sweep]") {
  CHECK_THROWS_AS(parse_sweep_axis("efficiency.mfu=0.2:0.6:0"), input_error);
  CHECK_THROWS_AS(parse_sweep_axis("efficiency.mfu=0.6:0.2:0.1"), input_error);
  CHECK_THROWS_AS(parse_sweep_axis("efficiency.mfu=0.2:0.6"), input_error);
  CHECK_THROWS_AS(parse_sweep_axis("efficiency.mfu=0.2:x:0.1"), input_error);
  CHECK_THROWS_AS(parse_sweep_axis("efficiency.mfu"), input_error);
  CHECK_THROWS_AS(parse_sweep_axis("=1,2"), input_error);
  CHECK_THROWS_AS(parse_sweep_axis("k=a,,b"), input_error);
  CHECK_THROWS_AS(parse_sweep_axis("efficiency.mfu=0:1:1e-6"), input_error);  // 1e6 values
}

TEST_CASE("two axes make a grid, capped at max_sweep_points", "[sweep]") {
  const auto g = sweep_grid({parse_sweep_axis("a=1,2"), parse_sweep_axis("b=x,y,z")});
  REQUIRE(g.size() == 6);
  CHECK(g[0] == values{"1", "x"});
  CHECK(g[5] == values{"2", "z"});
  CHECK_THROWS_AS(sweep_grid({parse_sweep_axis("a=1:40:1"), parse_sweep_axis("b=1:40:1")}),
                  input_error);  // 1,600 points
  CHECK_THROWS_AS(sweep_grid({}), input_error);
}

TEST_CASE("a sweep keeps failed points, and fails when every point fails", "[sweep]") {
  const catalogue cat = load_catalogue();
  auto eval = [&](const std::vector<std::pair<std::string, std::string>>& kv) {
    std::vector<override_entry> o;
    for (const auto& [k, v] : kv) o.push_back({k, v});
    return estimate(load_scenario("deepseek-v3", cat, o), cat);
  };
  // At goodput 0.1 the reported GPU-hours would imply an MFU above 100%: estimate() refuses it.
  const auto pts = sweep({parse_sweep_axis("efficiency.goodput=0.1,1")}, eval);
  REQUIRE(pts.size() == 2);
  CHECK(!pts[0].result);
  CHECK(!pts[0].error.empty());
  REQUIRE(pts[1].result);
  CHECK(pts[1].result->total.goodput.ratio() == 1.0);
  CHECK_THROWS_AS(sweep({parse_sweep_axis("efficiency.mfuu=0.3,0.4")}, eval), preset_error);
  // Five MFU values give five estimates with GPU-hours falling as 1/MFU.
  const auto five = sweep({parse_sweep_axis("efficiency.mfu=0.2:0.6:0.1")}, eval);
  REQUIRE(five.size() == 5);
  const double h02 = value_in(five[0].result->phases[0].gpu_hours, units::gpu_hour);
  const double h04 = value_in(five[2].result->phases[0].gpu_hours, units::gpu_hour);
  CHECK_THAT(h02 / h04, WithinRel(2.0, 1e-12));
}
