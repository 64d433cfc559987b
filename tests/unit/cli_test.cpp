// SPDX-License-Identifier: MIT
// The calculator parsed and run in-process (CLI11's TApp style).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <string>
#include <vector>

#include "app.hpp"
#include "catch.hpp"
#include "costmodel/error.hpp"
#include "render.hpp"
#include "report.hpp"

using namespace costmodel::cli;

namespace {
options parse(std::vector<std::string> args) {
  CLI::App app{"costmodel"};
  options o;
  add_options(app, o);
  std::reverse(args.begin(), args.end());
  app.parse(args);
  return o;
}
bool has(const std::string& out, const std::string& what) {
  return out.find(what) != std::string::npos;
}
}  // namespace

TEST_CASE("estimate parses a scenario, --set and --format", "[cli]") {
  const auto o = parse({"estimate", "deepseek-v3", "--set", "efficiency.mfu=0.45", "-s",
                        "hardware.accelerator=h100-sxm", "--format", "json"});
  CHECK(o.command == "estimate");
  CHECK(o.scenarios == std::vector<std::string>{"deepseek-v3"});
  CHECK(o.sets.size() == 2);
  CHECK(o.format == output_format::json);
}

TEST_CASE("estimate json carries the contract keys", "[cli]") {
  const auto out = execute(parse({"estimate", "deepseek-v3", "--format", "json"}));
  for (const char* key :
       {"\"name\"", "\"compute_flop\"", "\"gpu_hours\"", "\"wall_clock_days\"", "\"mfu\"",
        "\"cost_usd\"", "\"rental\"", "\"phases\"", "\"implied\"", "\"usd_per_gpu_hour\""}) {
    CAPTURE(key);
    CHECK(has(out, key));
  }
  CHECK(has(out, "\"gpu_hours\": 2788000"));
  CHECK(has(out, "\"rental\": 5576000"));
}

TEST_CASE("estimate table shows the per-phase split and the implied MFU", "[cli]") {
  const auto out = execute(parse({"estimate", "deepseek-v3"}));
  CHECK(has(out, "pre-training"));
  CHECK(has(out, "context extension"));
  CHECK(has(out, "post-training"));
  CHECK(has(out, "2.788M"));
  CHECK(has(out, "$5.576M"));
  CHECK(has(out, "MFU 17.3% of the fp8 dense peak"));
  CHECK(has(out, "34.6% of bf16"));
}

TEST_CASE("compare, list and show render in every format", "[cli]") {
  for (const char* f : {"table", "json", "csv", "markdown"}) {
    CAPTURE(f);
    CHECK(has(execute(parse({"compare", "deepseek-v3", "gpt-4", "--format", f})), "gpt-4"));
    CHECK(has(execute(parse({"list", "--format", f})), "h800-sxm"));
    CHECK(has(execute(parse({"show", "h100-sxm", "--format", f})), "989.4"));
    CHECK(has(execute(parse({"show", "gpt-4", "--format", f})), "a100-sxm-40gb"));
    CHECK(has(execute(parse({"estimate", "gpt-4", "--format", f})), "a100-sxm-40gb"));
  }
}

TEST_CASE("bad input throws costmodel errors, usage errors throw CLI11's", "[cli][errors]") {
  CHECK_THROWS_AS(execute(parse({"estimate", "no-such-run"})), costmodel::input_error);
  CHECK_THROWS_AS(execute(parse({"estimate", "gpt-4", "--set", "hardware.count=-1"})),
                  costmodel::preset_error);
  CHECK_THROWS_AS(parse({"estimate", "gpt-4", "--format", "yaml"}), CLI::ParseError);
  CHECK_THROWS_AS(parse({"frobnicate"}), CLI::ParseError);
}

TEST_CASE("run maps errors to exit codes", "[cli][errors]") {
  const char* ok[] = {"costmodel", "--version"};
  CHECK(run(2, ok) == 0);
  const char* unknown[] = {"costmodel", "estimate", "no-such-run"};
  CHECK(run(3, unknown) == 3);
  const char* bad_set[] = {"costmodel", "estimate", "gpt-4", "--set", "efficiency.mfu=2"};
  CHECK(run(5, bad_set) == 2);
  const char* usage[] = {"costmodel", "estimate"};
  CHECK(run(2, usage) >= 100);
}

TEST_CASE("estimate parses --range, --seed and --samples", "[cli]") {
  const auto o =
      parse({"estimate", "gpt-4", "--range", "pricing.usd_per_gpu_hour=1:2", "-r",
             "efficiency.mfu=0.3:0.4:triangular:0.34", "--seed", "9", "--samples", "5000"});
  CHECK(o.ranges.size() == 2);
  CHECK(o.seed == 9);
  CHECK(o.samples == 5000);
  const auto out = execute(o);
  CHECK(has(out, "pricing.usd_per_gpu_hour"));
  CHECK(has(out, "triangular (mode 0.34)"));
  // The same seed gives the same output, byte for byte.
  CHECK(out == execute(o));
}

TEST_CASE("estimate json keeps the point keys and adds percentiles beside them", "[cli]") {
  const auto out = execute(parse({"estimate", "gpt-4", "--format", "json", "--samples", "2000"}));
  for (const char* key :
       {"\"gpu_hours\": ", "\"gpu_hours_p5\"", "\"gpu_hours_p50\"", "\"gpu_hours_p95\"",
        "\"wall_clock_days_p5\"", "\"compute_flop_p95\"", "\"cost_usd\": {\"rental\"",
        "\"cost_usd_p5\": {\"rental\"", "\"uncertainty\": {",
        "\"reported_ranges\": [{\"key\": "
        "\"reported.wall_clock_days\""}) {
    CHECK(has(out, key));
  }
  // Without ranges the JSON is unchanged: no percentile keys.
  const auto plain = execute(parse({"estimate", "deepseek-v3", "--format", "json"}));
  CHECK(!has(plain, "_p5"));
  CHECK(!has(plain, "\"uncertainty\""));
}

TEST_CASE("sweep states its price basis and dollars, and warns when its points differ",
          "[cli][price_basis]") {
  // One run at its own price: the basis and the dollars are stated, no warning.
  auto out = execute(parse({"sweep", "deepseek-v3", "--vary", "efficiency.mfu=0.3,0.4"}));
  CHECK(has(out, "Prices: reported; dollars: nominal"));
  CHECK_FALSE(has(out, "Warning:"));
  // Varying the accelerator re-prices the points on the catalogue: a mixed basis is warned of.
  out = execute(parse({"sweep", "deepseek-v3", "--vary", "hardware.accelerator=h800-sxm,h100-sxm",
                       "--format", "json"}));
  CHECK(has(out, "\"price_basis\": [\"reported\", \"3y\"]"));
  CHECK(has(out, "priced on different bases (reported, 3y)"));
  CHECK(has(out, "--price-basis 3y --usd-year 2023"));
  // One basis and one year: no warning, and the dollars are the year's.
  out = execute(parse({"sweep", "deepseek-v3", "--vary", "hardware.accelerator=h800-sxm,h100-sxm",
                       "--price-basis", "3y", "--usd-year", "2023", "--format", "json"}));
  CHECK(has(out, "\"price_basis\": [\"3y\"]"));
  CHECK(has(out, "\"dollars\": \"2023 USD\""));
  CHECK(has(out, "\"warnings\": []"));
}

TEST_CASE("sweep, sensitivity and plan parse their options", "[cli]") {
  auto o = parse({"sweep", "deepseek-v3", "--vary", "efficiency.mfu=0.2:0.6:0.1", "--vary",
                  "hardware.count=1024,2048", "--format", "csv"});
  CHECK(o.command == "sweep");
  CHECK(o.vary.size() == 2);
  const auto csv = execute(o);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 11);  // header + 5 x 2 rows
  o = parse({"sensitivity", "gpt-4", "--format", "json"});
  CHECK(has(execute(o), "\"ranked_by\": \"cost_usd_rental\""));
  o = parse({"plan", "--accelerator", "h800-sxm", "--budget-usd", "5.576M", "--usd-per-gpu-hour",
             "2", "--mfu", "35%", "--law", "chinchilla-20", "--format", "json"});
  CHECK(o.plan.law == "chinchilla-20");
  CHECK(has(execute(o), "\"tokens_per_parameter\": 20"));
  CHECK_NOTHROW(
      parse({"plan", "--budget-usd", "1M"}));  // no --accelerator: the hardware-free parts
}

TEST_CASE("one human number style: separators below a million, M/B above, x and days",
          "[cli][format]") {
  CHECK(human(2057) == "2,057");
  CHECK(human(56970) == "56,970");
  CHECK(human(999999.4) == "999,999");
  CHECK(human(999999.6) == "1M");
  CHECK(human(5.576e6) == "5.576M");
  CHECK(human(2.1e9) == "2.1B");
  CHECK(human(3.29e24) == "3.29e24");
  CHECK(human(688.1) == "688");
  CHECK(human(12.34) == "12.3");
  CHECK(human(-2057) == "-2,057");
  CHECK(usd(294000) == "$294,000");
  CHECK(rate(2) == "$2.00");
  CHECK(factor(19050.2) == "19,050x");
  CHECK(factor(19.04) == "19.0x");
  CHECK(days(56.72) == "56.7");
  CHECK(days(56970) == "56,970");
  CHECK(pct(0.173) == "17.3%");
  CHECK(pct(0.00032) == "0.032%");  // not "0.0%"
  CHECK(pct(0) == "0.0%");
  CHECK(grouped(131072) == "131,072");
}

TEST_CASE("legends come from the glossary and --no-legend removes them", "[cli][legend]") {
  const auto with = execute(parse({"estimate", "deepseek-v3"}));
  const auto without = execute(parse({"estimate", "deepseek-v3", "--no-legend"}));
  const auto json = execute(parse({"estimate", "deepseek-v3", "-f", "json"}));
  const auto mfu = execute(parse({"explain", "MFU"}));
  const auto& g = glossary();
  const auto entry =
      std::find_if(g.begin(), g.end(), [](const auto& e) { return e.term == "MFU"; });
  REQUIRE(entry != g.end());
  const auto brief = "MFU: " + entry->brief;
  CHECK(mfu.rfind(brief, 0) == 0);  // explain starts with the legend's sentence
  CHECK(has(with, "Legend ("));
  CHECK(has(with, "  - " + brief + "\n"));
  CHECK_FALSE(has(without, "Legend"));
  CHECK_FALSE(has(json, "Legend"));
  CHECK(with.size() > without.size());
}

TEST_CASE("the Sources block defines the tags the output cites", "[cli][sources]") {
  // deepseek-v3's own Sources are DSV3-TR and EPOCH-DB; its ownership assumption cites the
  // datacenter constants' EPOCH-CODE.
  const auto out = execute(parse({"estimate", "deepseek-v3", "--samples", "0"}));
  const auto at = out.find("\nSources:\n");
  REQUIRE(at != std::string::npos);
  CHECK(has(out.substr(0, at), "EPOCH-CODE"));
  CHECK(has(out.substr(at), "  - EPOCH-CODE: "));
  CHECK(has(out.substr(at), "  - DSV3-TR: "));
}
