// SPDX-License-Identifier: MIT
#include "costmodel/audit.hpp"

#include <string>

#include "bundled_catalogue.hpp"
#include "catch.hpp"
#include "costmodel/presets.hpp"

using namespace costmodel;
using Catch::Matchers::WithinRel;

namespace {
const catalogue& cat() { return costmodel::testing::bundled_catalogue(); }

// A made-up run with round numbers, so that every figure below can be computed by hand.
// 6ND = 6 x 70e9 x 2e12 = 8.4e23 FLOP; H100 SXM bf16 dense peak 989.4 TFLOPS
// = 3.56184e18 FLOP per GPU-hour (presets/accelerators/h100-sxm.toml).
const char* synthetic = R"(schema = 1
name = "Synthetic"
[model]
parameters = 70e9
[training]
tokens = 2e12
[hardware]
accelerator = "h100-sxm"
count = 1000
precision = "bf16"
[pricing]
usd_per_gpu_hour = 2.0
[reported]
gpu_hours = 1e6
cost_usd = 2e6
wall_clock_days = 40
compute_flop = 8.2e23
[audit]
tolerance = { value = 0.05, note = "hand-made test figures" }
)";

const scenario& synth() {
  static const scenario s = parse_scenario(synthetic, "synthetic.toml", cat());
  return s;
}

const audit_check& find_check(const audit_result& a, const std::string& name) {
  for (const auto& c : a.checks) {
    if (c.name == name) return c;
  }
  FAIL("no check named " << name);
  throw;  // unreachable
}

claim cost_claim(double usd) {
  claim c;
  c.metric = "cost_usd";
  c.value = usd;
  return c;
}

constexpr double h100_bf16_flop_per_gpu_hour = 989.4e12 * 3600.0;
}  // namespace

TEST_CASE("claims parse as METRIC=VALUE with suffixes", "[audit]") {
  CHECK_THAT(parse_claim("cost_usd=5.6M").value, WithinRel(5.6e6, 1e-12));
  CHECK_THAT(parse_claim("cost_usd=$100M").value, WithinRel(1e8, 1e-12));
  CHECK_THAT(parse_claim("cost_usd=5.6e9").value, WithinRel(5.6e9, 1e-12));
  CHECK(parse_claim("gpu_hours=2.788M").metric == "gpu_hours");
  CHECK_THROWS_AS(parse_claim("cost=5M"), input_error);
  CHECK_THROWS_AS(parse_claim("cost_usd=five"), input_error);
  CHECK_THROWS_AS(parse_claim("cost_usd=-5"), input_error);
  CHECK_THROWS_AS(parse_claim("cost_usd"), input_error);
  try {
    (void)parse_claim("flops=1e24");
  } catch (const input_error& e) {
    CHECK(e.kind() == errc::invalid_input);
  }
}

TEST_CASE("claims parse as people write them: bounds, words, currency, ranges", "[audit]") {
  struct row {
    const char* text;
    const char* metric;
    claim_bound bound;
    double value;
    double high;
  };
  const row rows[] = {
      {"cost_usd>100M", "cost_usd", claim_bound::above, 1e8, 0.0},
      {"cost_usd>=100M", "cost_usd", claim_bound::above, 1e8, 0.0},
      {"cost_usd<6M", "cost_usd", claim_bound::below, 6e6, 0.0},
      {"more than $100 million", "cost_usd", claim_bound::above, 1e8, 0.0},
      {"under $6M", "cost_usd", claim_bound::below, 6e6, 0.0},
      {"cost_usd=$5.6 million", "cost_usd", claim_bound::equal, 5.6e6, 0.0},
      {"5.6 million dollars", "cost_usd", claim_bound::equal, 5.6e6, 0.0},
      {"$5.6bn", "cost_usd", claim_bound::equal, 5.6e9, 0.0},
      {"US$294K", "cost_usd", claim_bound::equal, 2.94e5, 0.0},
      {"$80M-$100M", "cost_usd", claim_bound::between, 8e7, 1e8},
      {"80-100M dollars", "cost_usd", claim_bound::between, 8e7, 1e8},
      {"between $80M and $100M", "cost_usd", claim_bound::between, 8e7, 1e8},
      {"gpu_hours=2.16e6", "gpu_hours", claim_bound::equal, 2.16e6, 0.0},
      {"more than 2.7M GPU-hours", "gpu_hours", claim_bound::above, 2.7e6, 0.0},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    const auto c = parse_claim(r.text);
    CHECK(c.metric == r.metric);
    CHECK(c.bound == r.bound);
    CHECK_THAT(c.value, WithinRel(r.value, 1e-12));
    if (r.bound == claim_bound::between) CHECK_THAT(c.high, WithinRel(r.high, 1e-12));
    CHECK(c.out_of_scope.empty());
  }
  CHECK_THROWS_AS(parse_claim("$100M-$80M"), input_error);  // a range that runs backwards
  CHECK_THROWS_AS(parse_claim("more than a lot"), input_error);
  CHECK_THROWS_AS(parse_claim("more than 100M"), input_error);  // which figure?
  const auto api = parse_claim("95% less than what OpenAI charges");
  CHECK(api.out_of_scope.find("API price") != std::string::npos);
}

TEST_CASE("a bound claim is graded under each source; out of scope gets no verdict", "[audit]") {
  const auto s = load_scenario("gpt-4", cat());
  const auto e = estimate(s, cat());
  const auto above = check_claim(parse_claim("cost_usd>100M"), s, e, cat());
  REQUIRE(!above.bounds.empty());
  for (const auto& b : above.bounds) CHECK_FALSE(b.holds);  // every source is under $100M
  CHECK(above.reason.find("fails under every source") != std::string::npos);
  const auto below = check_claim(parse_claim("cost_usd<1B"), s, e, cat());
  CHECK(below.verdict == "consistent");
  for (const auto& b : below.bounds) CHECK(b.holds);
  const auto api = check_claim(parse_claim("95% less than what OpenAI charges"), s, e, cat());
  CHECK(api.verdict == "out of scope");
  CHECK(api.implied.empty());
}

TEST_CASE("a claim so small that its ratio overflows says so, never 'inf'", "[audit][hardening]") {
  // Found by claims_fuzz: compute_flop = 1e-300 against DeepSeek-V3's 3.31e24 printed "infx".
  const auto s = load_scenario("deepseek-v3", cat());
  const auto e = estimate(s, cat());
  const auto r = check_claim(parse_claim("compute_flop=1e-300"), s, e, cat());
  CHECK(r.verdict == "implausible");
  bool said = false;
  for (const auto& im : r.implied) {
    for (const auto& x : im.explanations) {
      CHECK(x.why.find("inf") == std::string::npos);
      said |= x.why.find("more than 1e308x") != std::string::npos;
    }
  }
  CHECK(said);
  CHECK(r.reason.find("inf") == std::string::npos);
}

TEST_CASE("the market range spans rental prices and the amortised purchase", "[audit]") {
  const auto m = market_range_of(cat().at("h800-sxm"));
  REQUIRE(m);
  // h800-sxm.toml: GPU cloud $3.42; purchase $44,750 x 0.14 ln10 / 8766 h = $1.6459 (methods.md).
  CHECK_THAT(value_in(m->high, units::usd_per_gpu_hour), WithinRel(3.42, 1e-9));
  CHECK_THAT(value_in(m->low, units::usd_per_gpu_hour),
             WithinRel(44750.0 * 0.14 * 2.302585092994046 / 8766.0, 1e-9));
  // No price points: the whole catalogue's range, said so.
  const auto any = market_range_for("no-such-chip", cat());
  REQUIRE(any);
  CHECK(any->basis.find("whole catalogue") != std::string::npos);
}

TEST_CASE("consistency checks compare reported figures with each other", "[audit]") {
  const auto a = audit(synth(), cat());
  // 1e6 GPU-hours x $2 = $2e6: exact.
  CHECK(find_check(a, "gpu_hours x price = cost").ok);
  CHECK_THAT(*find_check(a, "gpu_hours x price = cost").relative_difference + 1.0,
             WithinRel(1.0, 1e-12));
  // 1e6 / 1000 / 24 = 41.667 days vs 40: +4.17%, within 5%.
  const auto& days = find_check(a, "gpu_hours / count / 24 = days");
  CHECK(days.ok);
  CHECK_THAT(*days.relative_difference, WithinRel(1e6 / 1000.0 / 24.0 / 40.0 - 1.0, 1e-9));
  // 8.4e23 / 8.2e23 - 1 = +2.44%.
  CHECK_THAT(*find_check(a, "compute: 6ND vs reported FLOP").relative_difference,
             WithinRel(8.4e23 / 8.2e23 - 1.0, 1e-9));
  // Implied MFU: 8.4e23 / (1e6 x 3.56184e18) = 23.58%.
  REQUIRE(a.implied_mfu);
  CHECK_THAT(*a.implied_mfu, WithinRel(8.4e23 / (1e6 * h100_bf16_flop_per_gpu_hour), 1e-9));
  CHECK(a.implied_mfu_precision == precision::bf16);
}

TEST_CASE("a check fails outside the tolerance and names the alternative that holds", "[audit]") {
  auto t = std::string(synthetic);
  t.replace(t.find("cost_usd = 2e6"), 14,
            "cost_usd = { value = 3e6, source = \"x\", status = \"estimate\" }");
  t.replace(t.find("gpu_hours = 1e6"), 15,
            "gpu_hours = { value = 1e6, source = \"a\", status = \"primary\", alternatives = [{ "
            "value = 1.5e6, source = \"b\", status = \"estimate\" }] }");
  const auto s = parse_scenario(t, "synthetic.toml", cat());
  const auto a = audit(s, cat());
  const auto& c = find_check(a, "gpu_hours x price = cost");
  CHECK_FALSE(c.ok);
  CHECK_THAT(*c.relative_difference, WithinRel(2e6 / 3e6 - 1.0, 1e-9));
  CHECK(c.explained_by.find("reported.gpu_hours = 1.5M") != std::string::npos);
}

TEST_CASE("the claim solver gives the price, MFU, days and count a claim needs", "[audit]") {
  const auto e = estimate(synth(), cat());
  SECTION("within the tolerance of the reported cost: consistent") {
    const auto r = check_claim(cost_claim(2.05e6), synth(), e, cat());
    CHECK(r.verdict == "consistent");
  }
  SECTION("twice the cost: plausible at a market price, and the MFU at $2 is computed") {
    const auto r = check_claim(cost_claim(4e6), synth(), e, cat());
    CHECK(r.verdict == "plausible");
    const auto& im = r.implied.front();
    // $4e6 / 1e6 GPU-hours = $4 per GPU-hour, within H100's $1.24-$11.06.
    CHECK_THAT(value_in(*im.price, units::usd_per_gpu_hour), WithinRel(4.0, 1e-12));
    // At $2: 2e6 GPU-hours, MFU 8.4e23 / (2e6 x 3.56184e18) = 11.79%, 83.3 days on 1000 GPUs,
    // 2083 GPUs for the reported 40 days.
    CHECK_THAT(value_in(*im.gpu_hours, units::gpu_hour), WithinRel(2e6, 1e-12));
    CHECK_THAT(*im.mfu, WithinRel(8.4e23 / (2e6 * h100_bf16_flop_per_gpu_hour), 1e-9));
    CHECK_THAT(days_of(*im.wall_clock), WithinRel(2e6 / 1000.0 / 24.0, 1e-9));
    CHECK_THAT(value_in(*im.count, units::gpu), WithinRel(2e6 / (40.0 * 24.0), 1e-9));
  }
  SECTION("a thousand times the market and an idle cluster: implausible") {
    const auto r = check_claim(cost_claim(5e9), synth(), e, cat());
    CHECK(r.verdict == "implausible");
    // $5,000 per GPU-hour is 452x H100's highest price ($11.06).
    CHECK(r.reason.find("$5,000 per GPU-hour") != std::string::npos);
    CHECK(r.reason.find("beyond") != std::string::npos);
    CHECK(r.reason.find("units slip") == std::string::npos);
  }
  SECTION("a units slip is named") {
    const auto r = check_claim(cost_claim(2e9), synth(), e, cat());
    CHECK(r.verdict == "implausible");
    CHECK(r.reason.find("units slip") != std::string::npos);
  }
  SECTION("compute that needs an MFU above 1 is implausible") {
    claim c;
    c.metric = "compute_flop";
    c.value = 5e24;
    const auto r = check_claim(c, synth(), e, cat());
    CHECK(r.verdict == "implausible");
    // 5e24 / (1e6 x 3.56184e18) = 140%.
    CHECK_THAT(*r.implied.front().mfu, WithinRel(5e24 / (1e6 * h100_bf16_flop_per_gpu_hour), 1e-9));
    CHECK(r.reason.find("above 100%") != std::string::npos);
  }
  SECTION("a shorter run on the same cluster is plausible when its MFU is") {
    claim c;
    c.metric = "wall_clock_days";
    c.value = 20;
    const auto r = check_claim(c, synth(), e, cat());
    // 20 days x 24 x 1000 = 480k GPU-hours; MFU 8.4e23 / (4.8e5 x 3.56184e18) = 49.1%.
    CHECK(r.verdict == "plausible");
    CHECK_THAT(*r.implied.front().mfu,
               WithinRel(8.4e23 / (4.8e5 * h100_bf16_flop_per_gpu_hour), 1e-9));
  }
}

TEST_CASE("normalised costs divide the rental cost by compute, tokens and parameters", "[audit]") {
  const auto e = estimate(synth(), cat());
  const auto n = normalise(synth(), e);
  // Rental: 1e6 GPU-hours (implied MFU reproduces them) x $2 = $2e6.
  CHECK_THAT(value_in(*n.per_1e24_flop, units::usd), WithinRel(2e6 / 0.84, 1e-9));
  CHECK_THAT(value_in(*n.per_trillion_tokens, units::usd), WithinRel(1e6, 1e-9));
  CHECK_THAT(value_in(*n.per_billion_active_parameters, units::usd), WithinRel(2e6 / 70.0, 1e-9));
  // An MoE without an active-parameter count gets no per-parameter figure (GPT-4).
  const auto g = load_scenario("gpt-4", cat());
  CHECK_FALSE(normalise(g, estimate(g, cat())).per_billion_active_parameters);
}

TEST_CASE("DeepSeek-V3's Table 1 is reproduced and its MFU implied per phase", "[audit]") {
  const auto a = audit(load_scenario("deepseek-v3", cat()), cat());
  const auto& ph = a.estimate.phases;
  REQUIRE(ph.size() == 3);
  // DSV3-TR Table 1: $5.328M, $0.238M, $0.01M; total $5.576M at $2 per H800-hour.
  CHECK_THAT(value_in(ph[0].cost.at("rental"), units::usd), WithinRel(5.328e6, 1e-12));
  CHECK_THAT(value_in(ph[1].cost.at("rental"), units::usd), WithinRel(0.238e6, 1e-12));
  CHECK_THAT(value_in(ph[2].cost.at("rental"), units::usd), WithinRel(0.01e6, 1e-12));
  CHECK_THAT(value_in(a.estimate.total.cost.at("rental"), units::usd), WithinRel(5.576e6, 1e-12));
  // 6 x 37e9 x 14.8e12 / (2.664e6 h x 1979 TFLOPS x 3600) = 17.31% of the fp8 peak.
  REQUIRE(ph[0].implied.mfu);
  CHECK_THAT(*ph[0].implied.mfu, WithinRel(6 * 37e9 * 14.8e12 / (2.664e6 * 1979e12 * 3600), 1e-3));
  for (const auto& c : a.checks) {
    CAPTURE(c.name, c.scope, c.detail);
    CHECK(c.ok);
  }
}

TEST_CASE("GPT-4 at $100M is solved under each source's inputs", "[audit]") {
  const auto s = load_scenario("gpt-4", cat());
  const auto r = check_claim(parse_claim("cost_usd=100M"), s, estimate(s, cat()), cat());
  CHECK(r.verdict == "plausible");
  bool twenty_k = false;
  for (const auto& im : r.implied) {
    if (im.basis.rfind("hardware.count = 20,000", 0) == 0) {
      twenty_k = true;
      // 20,000 A100 x 95 days x 24 h = 45.6M GPU-hours; $100M / 45.6M = $2.193.
      CHECK_THAT(value_in(*im.price, units::usd_per_gpu_hour),
                 WithinRel(100e6 / (20000.0 * 95.0 * 24.0), 1e-9));
    }
  }
  CHECK(twenty_k);
}

TEST_CASE("every run preset agrees with its reported figures within its stated tolerance",
          "[audit][presets]") {
  const auto runs = list_runs();
  REQUIRE(runs.size() >= 21);
  for (const auto& r : runs) {
    CAPTURE(r.id);
    const auto s = load_scenario(r.file.string(), cat());
    REQUIRE(s.audit.tolerance);
    CHECK_FALSE(s.audit.tolerance->reason.empty());
    for (const auto& [metric, t] : s.audit.by_metric) {
      CAPTURE(metric);
      CHECK_FALSE(t.reason.empty());
    }
    const auto a = audit(s, cat());
    for (const auto& c : a.comparisons) {
      CAPTURE(c.scope, c.metric, c.reported, c.modelled, c.basis);
      CHECK(c.within_tolerance);
    }
    for (const auto& c : a.checks) {
      CAPTURE(c.scope, c.name, c.detail);
      CHECK(c.ok);
    }
    for (const auto& c : a.claims) {
      CHECK((c.verdict == "consistent" || c.verdict == "plausible" || c.verdict == "implausible"));
      CHECK_FALSE(c.reason.empty());
    }
  }
}

TEST_CASE("the bundled claims file loads with suffixed values", "[audit][presets]") {
  const auto f =
      load_claims_file(std::string(COSTMODEL_PRESET_DIR_FOR_TESTS) + "/claims/deepseek-gpt4.toml");
  REQUIRE(f.claims.size() >= 8);
  CHECK(f.claims.front().scenario == "deepseek-v3");
  CHECK_THAT(f.claims.front().what.value, WithinRel(5.6e6, 1e-12));
  CHECK(f.claims.front().line > 0);
}

TEST_CASE("a broken claims file names the file, line and key", "[audit][presets]") {
  try {
    (void)parse_claims_file(
        "schema = 1\n[[claims]]\ntext = \"x\"\nscenario = \"gpt-4\"\nmetric = \"cost_usd\"\n"
        "value = \"lots\"\n",
        "bad.toml");
    FAIL("no error");
  } catch (const preset_error& e) {
    CHECK(e.kind() == errc::preset_bad_value);
    CHECK(e.line() == 6);
    CHECK(e.key() == "claims.0.value");
  }
  try {
    (void)parse_claims_file("schema = 1\n[[claims]]\nmetric = \"cost_usd\"\nvalue = 1\n", "b.toml");
    FAIL("no error");
  } catch (const preset_error& e) {
    CHECK(e.kind() == errc::preset_missing_key);
    CHECK(e.key() == "claims.0.scenario");
  }
  try {
    (void)load_claims_file("no/such/claims.toml");
    FAIL("no error");
  } catch (const preset_error& e) {
    CHECK(e.kind() == errc::preset_io);
  }
}

TEST_CASE("an audit tolerance needs its reason", "[audit][presets]") {
  std::string t = synthetic;
  t.replace(t.find("tolerance = {"), std::string::npos, "tolerance = 0.05\n");
  try {
    (void)parse_scenario(t, "synthetic.toml", cat());
    FAIL("no error");
  } catch (const preset_error& e) {
    CHECK(e.kind() == errc::preset_missing_key);
    CHECK(e.key() == "audit.tolerance.note");
  }
}
