// SPDX-License-Identifier: MIT
// Properties of the model that must hold for any input, checked over a grid of inputs: cost is
// linear in tokens and price and inversely proportional to MFU and goodput; estimating and then
// reading the MFU back from the modelled GPU-hours returns the MFU that went in; compare does
// not depend on the order of its arguments; results do not depend on the locale.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <clocale>
#include <locale>
#include <sstream>
#include <string>
#include <vector>

#include "app.hpp"
#include "bundled_catalogue.hpp"
#include "catch.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/parse.hpp"
#include "costmodel/presets.hpp"

using namespace costmodel;
using Catch::Matchers::WithinRel;

namespace {
const catalogue& cat() { return costmodel::testing::bundled_catalogue(); }
const std::string small = std::string(COSTMODEL_TEST_DATA) + "/small_dense.toml";

double rental_usd(const std::string& id, const std::vector<override_entry>& sets) {
  const auto e = estimate(load_scenario(id, cat(), sets), cat());
  return value_in(e.total.cost.at("rental"), units::usd);
}

std::string num(double v) {
  std::ostringstream s;
  s.imbue(std::locale::classic());
  s.precision(17);
  s << v;
  return s.str();
}

cli::options parse_args(std::vector<std::string> args) {
  CLI::App app{"costmodel"};
  cli::options o;
  cli::add_options(app, o);
  std::reverse(args.begin(), args.end());
  app.parse(args);
  return o;
}

std::vector<std::string> sorted_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::sort(lines.begin(), lines.end());
  return lines;
}
}  // namespace

TEST_CASE("cost is linear in tokens and in price", "[properties]") {
  for (double tokens : {1e9, 2e12, 3.7e13}) {
    for (double price : {0.5, 2.0, 11.3}) {
      CAPTURE(tokens, price);
      const double base = rental_usd(
          small, {{"training.tokens", num(tokens)}, {"pricing.usd_per_gpu_hour", num(price)}});
      for (double k : {0.25, 3.0, 1000.0}) {
        CAPTURE(k);
        CHECK_THAT(rental_usd(small, {{"training.tokens", num(tokens * k)},
                                      {"pricing.usd_per_gpu_hour", num(price)}}),
                   WithinRel(base * k, 1e-12));
        CHECK_THAT(rental_usd(small, {{"training.tokens", num(tokens)},
                                      {"pricing.usd_per_gpu_hour", num(price * k)}}),
                   WithinRel(base * k, 1e-12));
      }
    }
  }
}

TEST_CASE("cost is inversely proportional to MFU and to goodput", "[properties]") {
  for (const char* id : {"small", "deepseek-v3", "llama-3.1-405b"}) {
    const std::string run = std::string(id) == "small" ? small : id;
    CAPTURE(run);
    for (double mfu : {0.05, 0.3, 0.8}) {
      for (double goodput : {0.5, 0.9, 1.0}) {
        CAPTURE(mfu, goodput);
        const std::vector<override_entry> sets{{"efficiency.mfu", num(mfu)},
                                               {"efficiency.goodput", num(goodput)}};
        const auto a = estimate(load_scenario(run, cat(), sets), cat());
        const auto half_mfu = estimate(
            load_scenario(run, cat(),
                          {{"efficiency.mfu", num(mfu / 2)}, {"efficiency.goodput", num(goodput)}}),
            cat());
        const auto half_good = estimate(
            load_scenario(run, cat(),
                          {{"efficiency.mfu", num(mfu)}, {"efficiency.goodput", num(goodput / 2)}}),
            cat());
        REQUIRE(a.phases.size() == half_mfu.phases.size());
        for (std::size_t i = 0; i < a.phases.size(); ++i) {
          const auto& p = a.phases[i];
          if (p.gpu_hours_basis != "modelled") continue;  // reported GPU-hours do not scale
          CAPTURE(p.name);
          const double c = value_in(p.cost.at("rental"), units::usd);
          CHECK_THAT(value_in(half_mfu.phases[i].cost.at("rental"), units::usd),
                     WithinRel(2 * c, 1e-12));
          CHECK_THAT(value_in(half_good.phases[i].cost.at("rental"), units::usd),
                     WithinRel(2 * c, 1e-12));
        }
      }
    }
  }
}

TEST_CASE("estimate, then the MFU implied by its GPU-hours, gives back the MFU", "[properties]") {
  for (const char* acc : {"h100-sxm", "a100-sxm-40gb", "tpu-v5p", "mi300x"}) {
    for (double mfu : {0.01, 0.2, 0.375, 0.61, 1.0}) {
      for (double goodput : {0.7, 1.0}) {
        CAPTURE(acc, mfu, goodput);
        auto s = load_scenario(small, cat(),
                               {{"hardware.accelerator", acc},
                                {"efficiency.mfu", num(mfu)},
                                {"efficiency.goodput", num(goodput)}});
        const auto forward = estimate(s, cat());
        REQUIRE(forward.phases[0].mfu_basis == "input");
        // Now as if the run had been reported: its GPU-hours, and no MFU.
        s.base.reported.gpu_hours = forward.total.gpu_hours;
        s.base.reported_on.accelerator = acc;
        s.base.mfu.reset();
        const auto back = estimate(s, cat());
        const auto& p = back.phases[0];
        REQUIRE(p.implied.mfu);
        CHECK_THAT(*p.implied.mfu, WithinRel(mfu, 1e-12));
        CHECK(p.mfu_basis == "implied");
        CHECK_THAT(value_in(p.gpu_hours, units::gpu_hour),
                   WithinRel(value_in(forward.total.gpu_hours, units::gpu_hour), 1e-12));
      }
    }
  }
}

TEST_CASE("compare gives the same figures whatever the order of its arguments", "[properties]") {
  const std::vector<std::string> ids{"deepseek-v3", "gpt-4", "llama-3.1-405b", "chinchilla-70b"};
  for (const char* format : {"csv", "json"}) {
    CAPTURE(format);
    std::vector<std::string> a{"compare"};
    a.insert(a.end(), ids.begin(), ids.end());
    a.insert(a.end(), {"--set", "pricing.usd_per_gpu_hour=2.5", "--format", format});
    // Options first (--set takes one or more values, so --format ends it), ids reversed.
    std::vector<std::string> b{"compare", "--set", "pricing.usd_per_gpu_hour=2.5", "--format",
                               format};
    b.insert(b.end(), ids.rbegin(), ids.rend());
    const auto out_a = cli::execute(parse_args(a));
    const auto out_b = cli::execute(parse_args(b));
    if (std::string(format) == "csv") {
      CHECK(sorted_lines(out_a) == sorted_lines(out_b));
    } else {
      // JSON: each scenario's object is the same text, only their order differs.
      for (const auto& id : ids) {
        CAPTURE(id);
        const auto key = "{\"id\": \"" + id + "\"";
        const auto pa = out_a.find(key);
        const auto pb = out_b.find(key);
        REQUIRE(pa != std::string::npos);
        REQUIRE(pb != std::string::npos);
        const auto ea = out_a.find("{\"id\": ", pa + 1);
        const auto eb = out_b.find("{\"id\": ", pb + 1);
        auto object = [](const std::string& s, std::size_t from, std::size_t to) {
          // The last object ends where the root's own keys begin.
          if (to == std::string::npos) to = s.find("], \"same_price_usd_per_gpu_hour\"", from);
          auto o = s.substr(from, to == std::string::npos ? std::string::npos : to - from);
          while (!o.empty() && (o.back() == ',' || o.back() == ' ' || o.back() == ']' ||
                                o.back() == '}' || o.back() == '\n')) {
            o.pop_back();
          }
          return o;
        };
        CHECK(object(out_a, pa, ea) == object(out_b, pb, eb));
      }
    }
  }
}

TEST_CASE("results do not depend on the locale", "[properties]") {
  const std::vector<std::string> args{
      "compare",  "deepseek-v3", "gpt-4", "--set", "pricing.usd_per_gpu_hour=2.5",
      "--format", "json"};
  const auto in_c = cli::execute(parse_args(args));
  const auto show_c = cli::execute(parse_args({"show", "h100-sxm"}));
  const auto est_c = estimate(load_scenario(small, cat(), {{"efficiency.mfu", "0.45"}}), cat());

  const char* comma_locale = nullptr;
  for (const char* name : {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "ru_RU.UTF-8"}) {
    if (std::setlocale(LC_ALL, name)) {
      comma_locale = name;
      break;
    }
  }
  if (!comma_locale) {
    WARN(
        "no comma-decimal locale installed (scripts/test.sh generates de_DE.UTF-8 as root): "
        "case skipped");
    return;
  }
  const std::locale previous = std::locale::global(std::locale(comma_locale));
  REQUIRE(*std::localeconv()->decimal_point == ',');
  const auto in_de = cli::execute(parse_args(args));
  const auto show_de = cli::execute(parse_args({"show", "h100-sxm"}));
  const auto est_de = estimate(load_scenario(small, cat(), {{"efficiency.mfu", "0.45"}}), cat());
  const auto number = parse_number("2.5");
  const auto big = parse_number("1,000.5");
  std::locale::global(previous);
  std::setlocale(LC_ALL, "C");

  CHECK(in_de == in_c);
  CHECK(show_de == show_c);
  CHECK(value_in(est_de.total.cost.at("rental"), units::usd) ==
        value_in(est_c.total.cost.at("rental"), units::usd));
  CHECK(number == 2.5);
  CHECK(big == 1000.5);
}
