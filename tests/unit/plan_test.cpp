// SPDX-License-Identifier: MIT
#include "costmodel/plan.hpp"

#include <cmath>

#include "bundled_catalogue.hpp"
#include "catch.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"

using namespace costmodel;
using Catch::Matchers::WithinRel;

namespace {
const catalogue& cat() { return costmodel::testing::bundled_catalogue(); }
}  // namespace

TEST_CASE("compute-optimal sizes on Chinchilla's budget", "[plan]") {
  // Chinchilla: 5.76e23 FLOP, 70B parameters, 1.4T tokens (Hoffmann et al. 2022, Table 3).
  const auto c = compute_from_flop(5.76e23);
  // 20:1 rule, by hand: N = sqrt(5.76e23 / 120) = 6.928e10, D = 20 N.
  const auto rule = compute_optimal(c, scaling_law::chinchilla_20);
  CHECK_THAT(rule.parameters, WithinRel(std::sqrt(5.76e23 / 120.0), 1e-12));
  CHECK_THAT(rule.tokens, WithinRel(20.0 * std::sqrt(5.76e23 / 120.0), 1e-12));
  CHECK(!rule.loss);
  // Besiroglu et al. 2024 refit, hand-computed from N* = G (C/6)^(b/(a+b)),
  // G = (aA/(bB))^(1/(a+b)) with E 1.8172, A 482.01, B 2085.43, a 0.3478, b 0.3658:
  // G = 0.11962, N* = 7.2249e10, D* = 1.3287e12, L = 1.9744.
  const auto refit = compute_optimal(c, scaling_law::besiroglu_2024);
  CHECK_THAT(refit.parameters, WithinRel(7.2249e10, 1e-4));
  CHECK_THAT(refit.tokens, WithinRel(1.3287e12, 1e-4));
  CHECK_THAT(*refit.loss, WithinRel(1.9744, 1e-4));
  // Hoffmann's published constants (E 1.69, A 406.4, B 410.7, a 0.34, b 0.28), same formula:
  // N* = 3.2190e10, D* = 2.9823e12, L = 1.9307: a smaller model than the 70B they trained.
  const auto a3 = compute_optimal(c, scaling_law::hoffmann_approach3);
  CHECK_THAT(a3.parameters, WithinRel(3.2190e10, 1e-4));
  CHECK_THAT(a3.tokens, WithinRel(2.9823e12, 1e-4));
  CHECK_THAT(*a3.loss, WithinRel(1.9307, 1e-4));
  for (const auto& x : {rule, refit, a3}) {
    CHECK_THAT(6.0 * x.parameters * x.tokens, WithinRel(5.76e23, 1e-12));
  }
}

TEST_CASE("a budget buys compute at the price, peak and MFU", "[plan]") {
  // DeepSeek-V3's inputs: $5.576M at $2 per H800-hour (DSV3-TR Table 1), 35% of the bf16 peak.
  plan_request req;
  req.accelerator = "h800-sxm";
  req.budget = money_from_usd(5.576e6);
  req.price = price_rate_from_usd_per_gpu_hour(2.0);
  req.mfu = efficiency::from_ratio(0.35);
  const auto r = plan(req, cat());
  // By hand: 2.788e6 GPU-h x 3600 s x 989e12 FLOP/s x 0.35 = 3.4742e24 FLOP.
  CHECK(r.compute_basis == "budget");
  CHECK_THAT(value_in(r.compute_flop, units::flop),
             WithinRel(2.788e6 * 3600 * 989e12 * 0.35, 1e-9));
  CHECK_THAT(value_in(r.gpu_hours, units::gpu_hour), WithinRel(2.788e6, 1e-9));
  CHECK_THAT(value_in(*r.cost, units::usd), WithinRel(5.576e6, 1e-9));
  CHECK(!r.accelerators);
  // Memory floor: N x 16 bytes / 80 GB, rounded up.
  CHECK(*r.memory_floor == std::ceil(r.model.parameters * 16.0 / 80e9));

  SECTION("with a deadline: accelerators = ceil(GPU-hours / hours)") {
    req.deadline = duration_from_days(60);
    const auto d = plan(req, cat());
    CHECK(value_in(*d.accelerators, units::gpu) == std::ceil(2.788e6 / (60.0 * 24.0)));
    CHECK(d.accelerators_basis == "deadline");
    CHECK(days_of(*d.wall_clock) <= 60.0);
  }
  SECTION("a count below the memory floor does not fit") {
    req.count = gpus(8);
    const auto d = plan(req, cat());
    CHECK(!d.fits);
    CHECK_THAT(days_of(*d.wall_clock), WithinRel(2.788e6 / 8.0 / 24.0, 1e-9));
  }
  SECTION("a short deadline on a large model is raised to the memory floor") {
    req.budget.reset();
    req.compute_flop = compute_from_flop(1e22);
    req.deadline = duration_from_days(365);
    req.bytes_per_parameter = 1e3;  // an absurd state size, so the floor binds
    const auto d = plan(req, cat());
    CHECK(d.accelerators_basis == "memory floor");
    CHECK(value_in(*d.accelerators, units::gpu) == *d.memory_floor);
  }
}

TEST_CASE("a deadline with a count gives the compute", "[plan]") {
  plan_request req;
  req.accelerator = "h100-sxm";
  req.deadline = duration_from_days(10);
  req.count = gpus(1000);
  req.mfu = efficiency::from_ratio(0.4);
  req.price = price_rate_from_usd_per_gpu_hour(3.0);
  const auto r = plan(req, cat());
  const double peak =
      value_in(cat().at("h100-sxm").peak_at(precision::bf16), units::flop_per_gpu_hour);
  CHECK_THAT(value_in(r.compute_flop, units::flop), WithinRel(1000 * 240 * peak * 0.4, 1e-12));
  CHECK_THAT(value_in(*r.cost, units::usd), WithinRel(1000 * 240 * 3.0, 1e-12));
  CHECK_THAT(days_of(*r.wall_clock), WithinRel(10.0, 1e-12));
}

TEST_CASE("plans without a compute source or price are input errors", "[plan]") {
  plan_request req;
  req.accelerator = "h800-sxm";
  CHECK_THROWS_AS(plan(req, cat()), input_error);  // nothing to plan from
  req.budget = money_from_usd(1e6);
  CHECK_THROWS_AS(plan(req, cat()), input_error);  // the H800 has no on-demand price
  req.accelerator = "h9000";
  CHECK_THROWS_AS(plan(req, cat()), input_error);
  CHECK(parse_scaling_law("besiroglu-2024") == scaling_law::besiroglu_2024);
  CHECK(!parse_scaling_law("kaplan"));
}
