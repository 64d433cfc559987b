// SPDX-License-Identifier: MIT
#include "costmodel/uncertainty.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bundled_catalogue.hpp"
#include "catch.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"

using namespace costmodel;
using Catch::Matchers::WithinRel;

namespace {
const catalogue& cat() { return costmodel::testing::bundled_catalogue(); }

/// A dense run with compute given directly, so GPU-hours = C / (peak * MFU): 1e24 FLOP on
/// H100 SXM at bf16 (989.4 TFLOPS dense, per the catalogue).
const char* dense_text = R"(
schema = 1
name = "Analytic"
[training]
compute_flop = 1e24
[hardware]
accelerator = "h100-sxm"
count = 1000
precision = "bf16"
[efficiency]
mfu = { low = 0.3, high = 0.45 }
[pricing]
usd_per_gpu_hour = 2.0
)";

scenario dense(const std::string& text = dense_text) {
  return parse_scenario(text, "analytic.toml", cat());
}

preset_error parse_error(const std::string& text) {
  try {
    (void)parse_scenario(text, "bad.toml", cat());
  } catch (const preset_error& e) {
    return e;
  }
  FAIL("no preset_error");
  throw;  // unreachable
}

double gh(gpu_time t) { return value_in(t, units::gpu_hour); }

uncertain_input ui(distribution d, double low, double high) {
  uncertain_input r;
  r.dist = d;
  r.low = low;
  r.high = high;
  return r;
}
}  // namespace

TEST_CASE("splitmix64 and xoshiro256** give the reference sequences", "[uncertainty]") {
  // SplitMix64 from state 0: the first outputs of Vigna's reference splitmix64.c, also
  // computed by an independent Python transcription of it.
  std::uint64_t st = 0;
  CHECK(splitmix64(st) == 0xe220a8397b1dcdafULL);
  CHECK(splitmix64(st) == 0x6e789e6aa1b965f4ULL);
  CHECK(splitmix64(st) == 0x06c45d188009454fULL);
  // xoshiro256** seeded with SplitMix64(1): values from an independent Python transcription of
  // the reference xoshiro256starstar.c, so a port to another platform must give the same.
  xoshiro256ss rng(1);
  CHECK(rng.next() == 0xb3f2af6d0fc710c5ULL);
  CHECK(rng.next() == 0x853b559647364ceaULL);
  CHECK(rng.next() == 0x92f89756082a4514ULL);
}

TEST_CASE("a seed reproduces the Monte Carlo exactly; another seed differs", "[uncertainty]") {
  const auto s = load_scenario("gpt-4", cat());
  const auto a = monte_carlo(s, cat(), {7, 20000});
  const auto b = monte_carlo(s, cat(), {7, 20000});
  const auto c = monte_carlo(s, cat(), {8, 20000});
  REQUIRE(a.any());
  const auto gpu = static_cast<std::size_t>(metric::gpu_hours);
  CHECK(a.total == b.total);
  CHECK(a.phases == b.phases);
  CHECK(a.total[gpu]->p50 != c.total[gpu]->p50);
  CHECK_THAT(a.total[gpu]->p50, WithinRel(c.total[gpu]->p50, 0.02));
}

TEST_CASE("a uniform MFU range gives the quantiles of a 1/x distribution", "[uncertainty]") {
  // GPU-hours = K / U with U uniform on [a, b] and K = C / peak; since 1/x falls, the q-quantile
  // of GPU-hours is K / (a + (1 - q)(b - a)).
  const auto s = dense();
  REQUIRE(s.ranges.count("efficiency.mfu") == 1);
  const double a = 0.3;
  const double b = 0.45;
  CHECK_THAT(s.base.mfu->ratio(), WithinRel(0.375, 1e-12));  // the midpoint, no value given
  const double peak =
      value_in(cat().at("h100-sxm").peak_at(precision::bf16), units::flop_per_gpu_hour);
  const double k = 1e24 / peak;
  const auto u = monte_carlo(s, cat(), {42, default_samples});
  const auto& q = u.total[static_cast<std::size_t>(metric::gpu_hours)];
  REQUIRE(q);
  auto expect = [&](double p) { return k / (a + (1.0 - p) * (b - a)); };
  // Sampling error of a quantile at 1e5 samples is below 0.05% here; 0.3% is six sigma and more.
  CHECK_THAT(q->p5, WithinRel(expect(0.05), 3e-3));
  CHECK_THAT(q->p50, WithinRel(expect(0.50), 3e-3));
  CHECK_THAT(q->p95, WithinRel(expect(0.95), 3e-3));
  // Cost is GPU-hours times $2; days are GPU-hours / 1000 / 24.
  const auto& cost = u.total[static_cast<std::size_t>(metric::cost_usd_rental)];
  CHECK_THAT(cost->p50, WithinRel(2.0 * q->p50, 1e-12));
  const auto& days = u.total[static_cast<std::size_t>(metric::wall_clock_days)];
  CHECK_THAT(days->p95, WithinRel(q->p95 / 1000.0 / 24.0, 1e-12));
  // Compute is not uncertain here: every percentile is the point value.
  const auto& c = u.total[static_cast<std::size_t>(metric::compute_flop)];
  CHECK_THAT(c->p5, WithinRel(1e24, 1e-12));
}

TEST_CASE("a lognormal range has low and high as its 5th and 95th percentiles", "[uncertainty]") {
  std::string text = dense_text;
  text.replace(text.find("compute_flop = 1e24"), 19,
               "compute_flop = { low = 8.2e24, high = 4.4e25, dist = \"lognormal\" }");
  text.replace(text.find("mfu = { low = 0.3, high = 0.45 }"), 32, "mfu = 0.34");
  const auto s = dense(text);
  // The point value of a lognormal range is its median, the geometric mean of the ends.
  CHECK_THAT(value_in(*s.base.compute_flop, units::flop),
             WithinRel(std::sqrt(8.2e24 * 4.4e25), 1e-12));
  const auto u = monte_carlo(s, cat(), {3, default_samples});
  const auto& c = u.total[static_cast<std::size_t>(metric::compute_flop)];
  CHECK_THAT(c->p5, WithinRel(8.2e24, 1e-2));
  CHECK_THAT(c->p95, WithinRel(4.4e25, 1e-2));
  CHECK_THAT(c->p50, WithinRel(std::sqrt(8.2e24 * 4.4e25), 1e-2));
}

TEST_CASE("a triangular range follows its inverse CDF", "[uncertainty]") {
  // Triangular on [0, 1] with mode 0.25: F(x) = x^2 / 0.25 below the mode, so the median is
  // above it: 1 - sqrt(0.5 * 0.75) = 0.38763.
  uncertain_input r = ui(distribution::triangular, 0.0, 1.0);
  r.mode = 0.25;
  CHECK_THAT(r.at_quantile(0.25), WithinRel(0.25, 1e-12));
  CHECK_THAT(r.at_quantile(0.5), WithinRel(1.0 - std::sqrt(0.375), 1e-12));
  CHECK(r.at_quantile(0.0) == 0.0);
  CHECK_THAT(r.at_quantile(1.0), WithinRel(1.0, 1e-12));
  xoshiro256ss rng(5);
  std::vector<double> v(100000);
  for (auto& x : v) x = draw(r, rng);
  std::sort(v.begin(), v.end());
  CHECK_THAT(quantile_sorted(v, 0.5), WithinRel(1.0 - std::sqrt(0.375), 1e-2));
}

TEST_CASE("the fast path equals estimate() on perturbed inputs", "[uncertainty]") {
  // Scenarios that exercise every branch: phases with an MFU implied from reported GPU-hours
  // and a reported-only phase (deepseek-v3), compute as input (gpt-4), goodput (llama-3.1-405b).
  struct example {
    const char* id;
    std::vector<std::string> ranges;
  };
  const std::vector<example> cases{
      {"deepseek-v3",
       {"phases.pre-training.training.tokens=13T:16T", "hardware.count=1024:4096",
        "pricing.usd_per_gpu_hour=1.5:3", "model.active_parameters=30B:45B:triangular:37B",
        "energy.pue=1.1:1.4", "energy.usd_per_kwh=0.05:0.15:lognormal",
        "energy.average_power_fraction=0.6:0.9", "energy.grid_gco2e_per_kwh=300:600"}},
      {"gpt-4", {}},
      {"llama-3.1-405b", {"efficiency.goodput=0.85:0.95", "training.tokens=15T:16T"}},
  };
  for (const auto& ex : cases) {
    auto s = load_scenario(ex.id, cat());
    for (const auto& text : ex.ranges) {
      auto [key, r] = parse_range(text);
      add_range(s, key, r);
    }
    const fast_model m(s, cat());
    REQUIRE(!m.keys().empty());
    xoshiro256ss rng(11);
    for (int i = 0; i < 20; ++i) {
      std::vector<double> x;
      for (const auto& r : m.ranges()) x.push_back(draw(r, rng));
      outputs tot;
      std::vector<outputs> ph(m.phase_count());
      m.evaluate(x.data(), tot, ph.data());
      const auto e = estimate(apply_values(s, m.keys(), x), cat());
      INFO(ex.id << " sample " << i);
      CHECK_THAT(tot[metric::gpu_hours], WithinRel(gh(e.total.gpu_hours), 1e-12));
      CHECK_THAT(tot[metric::cost_usd_rental],
                 WithinRel(value_in(e.total.cost.at("rental"), units::usd), 1e-12));
      CHECK_THAT(tot[metric::wall_clock_days], WithinRel(days_of(*e.total.wall_clock), 1e-12));
      CHECK_THAT(tot[metric::compute_flop],
                 WithinRel(value_in(*e.total.compute_flop, units::flop), 1e-12));
      CHECK_THAT(tot[metric::energy_kwh], WithinRel(*e.total.energy_kwh, 1e-12));
      CHECK_THAT(tot[metric::cost_usd_energy],
                 WithinRel(value_in(e.total.cost.at("energy"), units::usd), 1e-12));
      CHECK_THAT(tot[metric::emissions_tco2e], WithinRel(*e.total.emissions_tco2e, 1e-12));
      for (std::size_t p = 0; p < ph.size(); ++p) {
        CHECK_THAT(ph[p][metric::gpu_hours], WithinRel(gh(e.phases[p].gpu_hours), 1e-12));
        CHECK_THAT(ph[p][metric::energy_kwh], WithinRel(*e.phases[p].energy_kwh, 1e-12));
      }
    }
    // With nothing perturbed it is the point estimate.
    std::vector<double> none(m.keys().size(), std::nan(""));
    outputs tot;
    m.evaluate(none.data(), tot);
    CHECK_THAT(tot[metric::gpu_hours], WithinRel(gh(m.point().total.gpu_hours), 1e-12));
  }
}

TEST_CASE("deepseek-v3's implied MFU makes its GPU-hours independent of its tokens",
          "[uncertainty]") {
  // The MFU is implied from the reported GPU-hours and the modelled compute, so more tokens mean
  // a proportionally higher MFU and the same GPU-hours: the model's own logic, kept by the
  // fast path.
  auto s = load_scenario("deepseek-v3", cat());
  add_range(s, "phases.pre-training.training.tokens", parse_range("k=13T:16T").second);
  const auto u = monte_carlo(s, cat(), {1, 1000});
  const auto& h = u.phases[0][static_cast<std::size_t>(metric::gpu_hours)];
  CHECK_THAT(h->p5, WithinRel(2.664e6, 1e-9));  // DSV3-TR Table 1
  CHECK_THAT(h->p95, WithinRel(2.664e6, 1e-9));
}

TEST_CASE("a command-line range keeps a point value inside it and sets one outside or missing",
          "[uncertainty]") {
  auto s = load_scenario("gpt-4", cat());
  add_range(s, "efficiency.mfu", parse_range("x=0.3:0.4").second);
  CHECK_THAT(s.base.mfu->ratio(), WithinRel(0.34, 1e-12));  // inside: kept
  CHECK(s.ranges.at("efficiency.mfu").whole_run);
  add_range(s, "pricing.usd_per_gpu_hour", parse_range("x=2:3").second);
  CHECK_THAT(value_in(*s.base.price, units::usd_per_gpu_hour), WithinRel(2.5, 1e-12));
  // deepseek-v3 gives no MFU: the range's centre becomes the input, and the estimate models.
  auto d = load_scenario("deepseek-v3", cat());
  add_range(d, "efficiency.mfu", parse_range("x=0.3:0.45").second);
  CHECK_THAT(d.base.mfu->ratio(), WithinRel(0.375, 1e-12));
  CHECK(estimate(d, cat()).phases[0].mfu_basis == "input");
}

TEST_CASE("bad ranges are input errors", "[uncertainty]") {
  auto kind = [](auto&& f) {
    try {
      f();
    } catch (const input_error& e) {
      return e.kind();
    }
    return errc{};
  };
  auto s = load_scenario("deepseek-v3", cat());
  CHECK(kind([&] { (void)parse_range("efficiency.mfu=0.45:0.3"); }) == errc::invalid_input);
  CHECK(kind([&] { (void)parse_range("efficiency.mfu=0.3"); }) == errc::invalid_input);
  CHECK(kind([&] { (void)parse_range("efficiency.mfu=a:b"); }) == errc::invalid_input);
  CHECK(kind([&] { (void)parse_range("efficiency.mfu=0.3:0.4:normal"); }) == errc::invalid_input);
  CHECK(kind([&] { (void)parse_range("efficiency.mfu=0.3:0.4:uniform:0.35"); }) ==
        errc::invalid_input);
  CHECK(kind([&] { (void)parse_range("0.3:0.4"); }) == errc::invalid_input);
  CHECK(kind([&] { add_range(s, "efficiency.mfuu", ui(distribution::uniform, 0.3, 0.4)); }) ==
        errc::invalid_input);
  CHECK(kind([&] { add_range(s, "efficiency.mfu", ui(distribution::uniform, 0.3, 1.4)); }) ==
        errc::invalid_input);
  CHECK(kind([&] { add_range(s, "efficiency.mfu", ui(distribution::lognormal, 0.3, 0.4)); }) ==
        errc::invalid_input);
  CHECK(kind([&] { add_range(s, "hardware.count", ui(distribution::uniform, -1, 4)); }) ==
        errc::invalid_input);
  CHECK(kind([&] { add_range(s, "training.tokens", ui(distribution::uniform, 1e12, 2e12)); }) ==
        errc::invalid_input);  // per phase in a scenario with phases
  CHECK(kind([&] {
          add_range(s, "phases.nope.training.tokens", ui(distribution::uniform, 1e12, 2e12));
        }) == errc::invalid_input);
  CHECK(kind([&] {
          (void)monte_carlo(load_scenario("gpt-4", cat()), cat(), {1, 0});
        }) == errc::invalid_input);
}

TEST_CASE("ranges in a file: point value, validation and the place of errors", "[uncertainty]") {
  const std::string head =
      "schema = 1\nname = \"r\"\n[training]\ncompute_flop = 1e24\n[hardware]\n"
      "accelerator = \"h100-sxm\"\ncount = 8\nprecision = \"bf16\"\n[efficiency]\n";
  SECTION("a triangular range without a value uses its mode") {
    const auto s =
        dense(head + "mfu = { low = 0.3, high = 0.5, mode = 0.35, dist = \"triangular\" }\n");
    CHECK_THAT(s.base.mfu->ratio(), WithinRel(0.35, 1e-12));
    CHECK(s.ranges.at("efficiency.mfu").dist == distribution::triangular);
  }
  SECTION("a value with a range is the point estimate") {
    const auto s = dense(head + "mfu = { value = 0.4, low = 0.3, high = 0.5, source = \"x\" }\n");
    CHECK_THAT(s.base.mfu->ratio(), WithinRel(0.4, 1e-12));
    CHECK(s.provenance.at("efficiency.mfu").source == "x");
  }
  SECTION("low above high") {
    const auto e = parse_error(head + "mfu = { low = 0.5, high = 0.3 }\n");
    CHECK(e.kind() == errc::preset_bad_value);
    CHECK(e.line() == 10);
    CHECK(e.key() == "efficiency.mfu");
  }
  SECTION("a value outside the range") {
    const auto e = parse_error(head + "mfu = { value = 0.6, low = 0.3, high = 0.5 }\n");
    CHECK(e.key() == "efficiency.mfu.value");
  }
  SECTION("an end outside the key's domain") {
    const auto e = parse_error(head + "mfu = { low = 0.3, high = 1.5 }\n");
    CHECK(e.key() == "efficiency.mfu.high");
    CHECK(e.column() > 1);
  }
  SECTION("lognormal on a ratio, a mode on a uniform range, an unknown distribution") {
    CHECK(parse_error(head + "mfu = { low = 0.3, high = 0.5, dist = \"lognormal\" }\n").key() ==
          "efficiency.mfu.dist");
    CHECK(parse_error(head + "mfu = { low = 0.3, high = 0.5, mode = 0.4 }\n").key() ==
          "efficiency.mfu");
    CHECK(parse_error(head + "mfu = { low = 0.3, high = 0.5, dist = \"beta\" }\n").key() ==
          "efficiency.mfu.dist");
  }
  SECTION("a range needs both ends") {
    const auto e = parse_error(head + "mfu = { low = 0.3 }\n");
    CHECK(e.kind() == errc::preset_missing_key);
    CHECK(e.key() == "efficiency.mfu.high");
  }
  SECTION("ranges are for scenarios, not the catalogue") {
    try {
      (void)parse_accelerator(
          "schema = 1\nid = \"x\"\nname = \"x\"\nsources = []\n[peak_dense_tflops]\n"
          "bf16 = { low = 1, high = 2 }\n",
          "x.toml");
      FAIL("no error");
    } catch (const preset_error& e) {
      CHECK(e.key() == "peak_dense_tflops.bf16");
      CHECK(e.line() == 6);
    }
  }
}

TEST_CASE("the shipped GPT-4 ranges propagate and the reported duration is set beside them",
          "[uncertainty]") {
  const auto s = load_scenario("gpt-4", cat());
  const auto u = monte_carlo(s, cat(), {1, 20000});
  CHECK(u.keys.size() == 3);  // compute, count, MFU (EPOCH-DB, SemiAnalysis)
  REQUIRE(u.reported_ranges.size() == 1);
  CHECK(u.reported_ranges[0] == "reported.wall_clock_days");
  const auto& c = u.total[static_cast<std::size_t>(metric::cost_usd_rental)];
  const double point = value_in(estimate(s, cat()).total.cost.at("rental"), units::usd);
  CHECK(c->p5 < point);
  CHECK(c->p95 > point);
}

TEST_CASE("percentiles by selection equal those of a sorted copy", "[uncertainty]") {
  xoshiro256ss rng(99);
  for (std::size_t n : {1U, 2U, 3U, 20U, 1001U}) {
    std::vector<double> v(n);
    for (auto& x : v) x = rng.uniform();
    auto sorted = v;
    std::sort(sorted.begin(), sorted.end());
    const auto p = percentiles_of(v);
    CHECK(p.p5 == quantile_sorted(sorted, 0.05));
    CHECK(p.p50 == quantile_sorted(sorted, 0.50));
    CHECK(p.p95 == quantile_sorted(sorted, 0.95));
  }
}

TEST_CASE("with no uncertainty the Monte Carlo of every output is the point estimate",
          "[uncertainty]") {
  // Every range collapsed to its point value (low = high): each sample is the point estimate,
  // so every percentile of every output, energy, its cost and emissions included, must equal
  // estimate()'s figure. deepseek-v3 has three phases and catalogue energy defaults; gpt-4
  // ships three ranges.
  for (const char* id : {"deepseek-v3", "gpt-4"}) {
    auto s = load_scenario(id, cat());
    const auto e = estimate(s, cat());
    const fast_model compiled(s, cat());
    std::map<std::string, uncertain_input> collapsed;
    for (std::size_t i = 0; i < compiled.keys().size(); ++i) {
      collapsed[compiled.keys()[i]] =
          ui(distribution::uniform, compiled.point_values()[i], compiled.point_values()[i]);
    }
    s.ranges = collapsed;
    const double pue =
        detail::power_for(cat().at(e.phases[0].accelerator), s, cat().datacenter, nullptr)->pue;
    add_range(s, "energy.pue", ui(distribution::uniform, pue, pue));
    add_range(s, "hardware.count",
              ui(distribution::uniform, e.phases[0].count->value(), e.phases[0].count->value()));
    REQUIRE(estimate(s, cat()).total.gpu_hours == e.total.gpu_hours);
    const auto u = monte_carlo(s, cat(), {5, 1000});
    REQUIRE(u.any());
    INFO(id);
    const auto& t = e.total;
    std::vector<std::pair<metric, std::optional<double>>> expect{{
        {metric::compute_flop, value_in(*t.compute_flop, units::flop)},
        {metric::gpu_hours, gh(t.gpu_hours)},
        {metric::wall_clock_days,
         t.wall_clock ? std::optional(days_of(*t.wall_clock)) : std::nullopt},
        {metric::cost_usd_rental, value_in(t.cost.at("rental"), units::usd)},
        {metric::energy_kwh, t.energy_kwh},
        {metric::cost_usd_energy, value_in(t.cost.at("energy"), units::usd)},
        {metric::emissions_tco2e, t.emissions_tco2e},
        {metric::emissions_market_tco2e, t.emissions_market_tco2e},
    }};
    for (auto m : all_metrics) {  // every other cost method
      const auto c = cost_method_of(m);
      if (!c || *c == cost_method::rental || *c == cost_method::energy) continue;
      const auto it = t.cost.find(std::string(to_string(*c)));
      expect.emplace_back(
          m, it != t.cost.end() ? std::optional(value_in(it->second, units::usd)) : std::nullopt);
    }
    REQUIRE(expect.size() == metric_count);
    for (const auto& [m, v] : expect) {
      INFO(metric_names[static_cast<std::size_t>(m)]);
      const auto& q = u.total[static_cast<std::size_t>(m)];
      CHECK(q.has_value() == v.has_value());
      if (!q || !v) continue;
      CHECK_THAT(q->p5, WithinRel(*v, 1e-12));
      CHECK_THAT(q->p50, WithinRel(*v, 1e-12));
      CHECK_THAT(q->p95, WithinRel(*v, 1e-12));
    }
    for (std::size_t p = 0; p < e.phases.size(); ++p) {
      const auto& q = u.phases[p][static_cast<std::size_t>(metric::energy_kwh)];
      REQUIRE(q.has_value());
      CHECK_THAT(q->p95, WithinRel(*e.phases[p].energy_kwh, 1e-12));
    }
  }
}

TEST_CASE("uncertain energy inputs propagate to energy, its cost and emissions only",
          "[uncertainty]") {
  auto s = load_scenario("deepseek-v3", cat());
  const auto point = estimate(s, cat());
  const double kwh = *point.total.energy_kwh;
  SECTION("the price of electricity moves the energy cost, not the energy") {
    add_range(s, "energy.usd_per_kwh", parse_range("k=0.05:0.15").second);
    CHECK_THAT(*s.costs.energy.usd_per_kwh, WithinRel(0.10, 1e-12));  // the centre: none given
    const auto u = monte_carlo(s, cat(), {2, default_samples});
    const auto& c = u.total[static_cast<std::size_t>(metric::cost_usd_energy)];
    // Energy cost = kWh x U(0.05, 0.15): its q-quantile is kWh x (0.05 + 0.1 q).
    REQUIRE(c);
    CHECK_THAT(c->p5, WithinRel(kwh * 0.055, 3e-3));
    CHECK_THAT(c->p50, WithinRel(kwh * 0.100, 3e-3));
    CHECK_THAT(c->p95, WithinRel(kwh * 0.145, 3e-3));
    const auto& k = u.total[static_cast<std::size_t>(metric::energy_kwh)];
    CHECK(k->p5 == k->p95);
    CHECK_THAT(k->p50, WithinRel(kwh, 1e-12));
  }
  SECTION("the PUE moves energy and emissions in proportion, not the rental cost") {
    const double pue =
        detail::power_for(cat().at(point.phases[0].accelerator), s, cat().datacenter, nullptr)->pue;
    add_range(s, "energy.pue", parse_range("k=1.1:1.4").second);
    const auto u = monte_carlo(s, cat(), {2, default_samples});
    const auto& k = u.total[static_cast<std::size_t>(metric::energy_kwh)];
    REQUIRE(k);
    // kWh is proportional to the PUE: P5 and P95 at PUE 1.115 and 1.385.
    CHECK_THAT(k->p5, WithinRel(kwh / pue * 1.115, 3e-3));
    CHECK_THAT(k->p95, WithinRel(kwh / pue * 1.385, 3e-3));
    const auto& co2 = u.total[static_cast<std::size_t>(metric::emissions_tco2e)];
    CHECK_THAT(co2->p95 / k->p95, WithinRel(*point.total.emissions_tco2e / kwh, 1e-9));
    const auto& rent = u.total[static_cast<std::size_t>(metric::cost_usd_rental)];
    CHECK(rent->p5 == rent->p95);
  }
  SECTION("bad energy ranges are input errors") {
    auto kind = [&](const char* text) {
      try {
        auto [key, r] = parse_range(text);
        add_range(s, key, r);
      } catch (const input_error& e) {
        return e.kind();
      }
      return errc{};
    };
    CHECK(kind("energy.pue=0.9:1.2") == errc::invalid_input);
    CHECK(kind("energy.average_power_fraction=0.5:1.5") == errc::invalid_input);
    CHECK(kind("energy.average_power_fraction=0.5:0.9:lognormal") == errc::invalid_input);
    CHECK(kind("energy.usd_per_kwh=-0.1:0.2") == errc::invalid_input);
    CHECK(kind("phases.pre-training.energy.pue=1.1:1.2") == errc::invalid_input);
    CHECK(kind("energy.usd_per_kwh=0:0.2") == errc{});  // free electricity is allowed
  }
}

TEST_CASE("bucket percentiles equal those of a sorted copy on awkward data", "[uncertainty]") {
  xoshiro256ss rng(7);
  const std::array<const char*, 5> shapes{"uniform", "heavy tail", "ties", "constant", "spike"};
  for (std::size_t n : {1U, 2U, 5U, 17U, 999U, 100000U}) {
    for (const char* shape : shapes) {
      std::vector<double> v(n);
      for (auto& x : v) {
        const double r = rng.uniform();
        const std::string sh = shape;
        x = sh == "uniform"      ? r
            : sh == "heavy tail" ? std::exp(40.0 * r)
            : sh == "ties"       ? std::floor(r * 5.0)
            : sh == "constant"   ? 3.0
                                 : (r < 0.999 ? 1.0 + r * 1e-12 : 1e300);
      }
      auto sorted = v;
      std::sort(sorted.begin(), sorted.end());
      const auto p = percentiles_of(v);
      INFO(shape << " n=" << n);
      CHECK(p.p5 == quantile_sorted(sorted, 0.05));
      CHECK(p.p50 == quantile_sorted(sorted, 0.50));
      CHECK(p.p95 == quantile_sorted(sorted, 0.95));
    }
  }
}

TEST_CASE("block draws follow their distributions", "[uncertainty]") {
  // The polar method's normals through exp(): a lognormal's low and high are its P5 and P95.
  const auto r = ui(distribution::lognormal, 2.0, 8.0);
  xoshiro256ss rng(13);
  std::vector<double> v(200001);
  draw_into(r, rng, v.data(), v.size());  // odd: the last pair's second normal is dropped
  const auto p = percentiles_of(v);
  CHECK_THAT(p.p5, WithinRel(2.0, 1e-2));
  CHECK_THAT(p.p50, WithinRel(4.0, 1e-2));
  CHECK_THAT(p.p95, WithinRel(8.0, 1e-2));
  const auto t = ui(distribution::uniform, 3.0, 3.0);
  draw_into(t, rng, v.data(), 10);
  CHECK(v[9] == 3.0);
}
