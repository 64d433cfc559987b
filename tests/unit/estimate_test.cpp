// SPDX-License-Identifier: MIT
#include "bundled_catalogue.hpp"
#include "catch.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"

using namespace costmodel;
using Catch::Matchers::WithinRel;

namespace {
const catalogue& cat() { return costmodel::testing::bundled_catalogue(); }
double gh(gpu_time t) { return value_in(t, units::gpu_hour); }
}  // namespace

TEST_CASE("deepseek-v3 reproduces its reported GPU-hours and cost phase by phase", "[estimate]") {
  const auto s = load_scenario("deepseek-v3", cat());
  const auto e = estimate(s, cat());
  REQUIRE(e.phases.size() == 3);
  // DSV3-TR Table 1 (Dec 2024): 2,664K + 119K + 5K = 2,788K H800-hours; $5.576M at $2/h.
  CHECK_THAT(gh(e.total.gpu_hours), WithinRel(2.788e6, 1e-9));
  CHECK_THAT(value_in(e.total.cost.at("rental"), units::usd), WithinRel(5.576e6, 1e-9));
  CHECK_THAT(gh(e.phases[0].gpu_hours), WithinRel(2.664e6, 1e-9));
  CHECK(e.phases[0].mfu_basis == "implied");
  CHECK(e.phases[2].gpu_hours_basis == "reported");
  // The MFU the pre-training phase implies: 6*37e9*14.8e12 / (2.664e6 h * 3600 * peak).
  const double c = 6.0 * 37e9 * 14.8e12;
  REQUIRE(e.phases[0].implied.mfu);
  CHECK(e.phases[0].implied.mfu_precision == precision::fp8);
  CHECK_THAT(*e.phases[0].implied.mfu, WithinRel(c / (2.664e6 * 3600 * 1979e12), 1e-3));
  double bf16 = 0.0;
  for (const auto& [p, v] : e.phases[0].implied.mfu_by_precision) {
    if (p == precision::bf16) bf16 = v;
  }
  CHECK_THAT(bf16, WithinRel(c / (2.664e6 * 3600 * 989e12), 1e-3));  // about 35%
  REQUIRE(e.total.implied.price);
  CHECK_THAT(value_in(*e.total.implied.price, units::usd_per_gpu_hour), WithinRel(2.0, 1e-12));
  CHECK_THAT(days_of(*e.total.wall_clock), WithinRel(2.788e6 / 2048 / 24, 1e-9));
}

TEST_CASE("a what-if models instead of copying the reported figure", "[estimate]") {
  const auto s = load_scenario("deepseek-v3", cat(),
                               {{"efficiency.mfu", "0.45"},
                                {"hardware.accelerator", "h100-sxm"},
                                {"pricing.usd_per_gpu_hour", "3.0"}});
  const auto e = estimate(s, cat());
  const double c = 6.0 * 37e9 * 14.8e12;
  const double expect = c / (1978.9e12 * 3600 * 0.45);  // H100 SXM fp8 dense peak
  CHECK_THAT(gh(e.phases[0].gpu_hours), WithinRel(expect, 1e-9));
  CHECK(e.phases[0].mfu_basis == "input");
  CHECK_THAT(value_in(e.phases[0].cost.at("rental"), units::usd), WithinRel(expect * 3.0, 1e-9));
  CHECK(e.phases[0].accelerator == "h100-sxm");
  // The reported figure is still there, for comparison.
  CHECK_THAT(gh(*e.phases[0].reported.gpu_hours), WithinRel(2.664e6, 1e-12));
}

TEST_CASE("changing only the accelerator carries the implied MFU over", "[estimate]") {
  const auto base = estimate(load_scenario("deepseek-v3", cat()), cat());
  const auto s = load_scenario("deepseek-v3", cat(), {{"hardware.accelerator", "b200"}});
  const auto e = estimate(s, cat());
  // Same MFU against B200's fp8 peak (4500 TFLOPS) instead of H800's (1979).
  CHECK_THAT(gh(e.phases[0].gpu_hours), WithinRel(2.664e6 * 1979.0 / 4500.0, 1e-9));
  CHECK_THAT(*e.phases[0].mfu, WithinRel(*base.phases[0].mfu, 1e-12));
}

TEST_CASE("gpt-4 is modelled from Epoch's compute and MFU", "[estimate]") {
  const auto e = estimate(load_scenario("gpt-4", cat()), cat());
  // 2.1e25 / (312e12 * 3600 * 0.34) = 54.99M A100-hours (by hand); Epoch's 57.0M is reported.
  CHECK_THAT(gh(e.total.gpu_hours), WithinRel(2.1e25 / (312e12 * 3600 * 0.34), 1e-9));
  CHECK_THAT(value_in(e.total.cost.at("rental"), units::usd),
             WithinRel(2.1e25 / (312e12 * 3600 * 0.34) * 1.36, 1e-9));
  CHECK(e.total.gpu_hours_basis == "modelled");
  CHECK_THAT(*e.total.implied.mfu, WithinRel(2.1e25 / (57.0e6 * 3600 * 312e12), 1e-9));
}

TEST_CASE("goodput stretches GPU-hours and MFU defaults to Epoch's median", "[estimate]") {
  const std::string text = R"(schema = 1
name = "t"
[model]
parameters = 1e9
[training]
tokens = 1e12
[hardware]
accelerator = "h100-sxm"
count = 100
precision = "bf16"
[efficiency]
goodput = 0.8
[pricing]
usd_per_gpu_hour = 2.5
)";
  const auto s = parse_scenario(text, "t.toml", cat());
  const auto e = estimate(s, cat());
  const double expect = 6e21 / (989.4e12 * 3600 * 0.375) / 0.8;
  CHECK_THAT(gh(e.total.gpu_hours), WithinRel(expect, 1e-9));
  CHECK(e.total.mfu_basis == "effective");
  CHECK(e.phases[0].mfu_basis == "default");
  CHECK_FALSE(e.assumptions.empty());
  CHECK_THAT(days_of(*e.total.wall_clock), WithinRel(expect / 100 / 24, 1e-9));
}

TEST_CASE("every bundled run estimates without error", "[estimate][presets]") {
  for (const auto& r : list_runs()) {
    CAPTURE(r.id);
    const auto s = load_scenario(r.file.string(), cat());
    const auto e = estimate(s, cat());
    CHECK(gh(e.total.gpu_hours) > 0.0);
    CHECK(std::isfinite(gh(e.total.gpu_hours)));
  }
}
