// SPDX-License-Identifier: MIT
// Hardening (issue 17): nesting, long values, commas, budgets, the number writer, extends
// merged in linear time, and the shared number formatter.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "app.hpp"
#include "bundled_catalogue.hpp"
#include "catch.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/detail/budget.hpp"
#include "costmodel/presets.hpp"
#include "render.hpp"

using namespace costmodel;

namespace {
const catalogue& cat() { return costmodel::testing::bundled_catalogue(); }
const std::string data = COSTMODEL_TEST_DATA;

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string small_dense() {
  std::ifstream in(data + "/small_dense.toml");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The message of the error that parsing `text` throws, "" when it parses.
std::string scenario_error(const std::string& text, const std::vector<override_entry>& o = {}) {
  try {
    (void)parse_scenario(text, data + "/text.toml", cat(), o);
  } catch (const error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("nesting is bounded before toml++ sees the text", "[hardening]") {
  // Each of these, 40,000 levels deep, overflowed toml++'s recursion.
  for (const auto& text :
       {"schema = 1\n" + repeat("a.", 40000) + "b = 1\n",
        "schema = 1\n[" + repeat("a.", 40000) + "b]\n",
        "schema = 1\n[[" + repeat("a.", 40000) + "b]]\n",
        "schema = 1\nx = " + repeat("[", 40000) + "\n",
        "schema = 1\nx = " + repeat("{a=", 40000) + "\n",
        "schema = 1\nx = {" + repeat("a.", 60) + "b = " + repeat("{c.", 60) + "\n"}) {
    CAPTURE(text.substr(0, 40));
    CHECK_THAT(scenario_error(text), Catch::Matchers::Contains("nested more than 100 levels deep"));
  }
  // Claims files and Python's loads() go through the same parser.
  CHECK_THROWS_WITH(parse_claims_file("schema = 1\n" + repeat("a.", 40000) + "b = 1\n", "c.toml"),
                    Catch::Matchers::Contains("c.toml:2:"));
  // Up to the limit it is TOML as usual (here: an unknown key, not a depth error).
  const auto ok = scenario_error("schema = 1\n" + repeat("a.", 90) + "b = 1\n");
  CHECK_THAT(ok, !Catch::Matchers::Contains("nested"));
  // Dots inside strings and comments are no nesting.
  CHECK(scenario_error(small_dense() + repeat("# a.b.c.d.e.f.g.h.i.j.k.l\n", 20)) == "");
  CHECK(scenario_error(small_dense() + "caveats = [\"" + repeat("a.", 500) + "\"]\n")
            .find("nested") == std::string::npos);
}

TEST_CASE("a NUL byte is refused before toml++ sees the text", "[hardening]") {
  // fuzz/scenario_fuzz: a NUL in a table header reached an assertion inside toml++'s parse_key.
  using namespace std::string_literals;
  CHECK_THAT(scenario_error("schema = 1\n[a\0b]\nx = 1\n"s),
             Catch::Matchers::Contains("text.toml:2:3: invalid TOML: a NUL byte"));
  CHECK_THAT(scenario_error("schema = 1\nname = \"a\0\"\n"s),
             Catch::Matchers::Contains(":2:10: invalid TOML: a NUL byte"));
  CHECK_THROWS_WITH(parse_claims_file("\0"s, "c.toml"),
                    Catch::Matchers::Contains("c.toml:1:1: invalid TOML: a NUL byte"));
}

TEST_CASE("a --set value of 28,000 digits is refused without std::regex", "[hardening]") {
  const std::string digits(28000, '7');
  CHECK_THAT(scenario_error(small_dense(), {{"training.tokens", digits}}),
             Catch::Matchers::Contains("expected a number, got '777"));
  CHECK_THAT(scenario_error(small_dense(), {{"training.tokens", digits + "e5x"}}),
             Catch::Matchers::Contains("training.tokens"));
  // The guard checks `v = VALUE` as toml++ reads it: a value that starts a key is no key.
  for (const char* v :
       {"\"\\\xc3\xa9\"", "[\"a\", \"\xc3\xa9\" x]", "x\xc3\xa9", "{a.b = \"\xc3\xa9\"}"}) {
    CAPTURE(v);
    (void)scenario_error(small_dense(), {{"model.parameters", v}});  // no crash, no UB
  }
}

TEST_CASE("a comma is a thousands separator only in groups of three", "[hardening]") {
  CHECK(parse_number("1,000") == 1000.0);
  CHECK(parse_number("12,345,678.5") == 12345678.5);
  CHECK(parse_number("$5,576,000") == 5576000.0);
  for (const char* bad : {"2,5", "1,5M", "1234,567", "1,00", "1,000,00", "0,25", "1.000,5"}) {
    CAPTURE(bad);
    CHECK_THROWS_WITH(parse_number(bad), Catch::Matchers::Contains("a comma separates thousands"));
  }
  CHECK_THROWS_WITH(parse_number("2,5"), Catch::Matchers::Contains("write '2.5'"));
  CHECK_THROWS_WITH(parse_number("1,5M"), Catch::Matchers::Contains("write '1.5M'"));
  // Underflow and overflow are no numbers (5e-324 is subnormal: from_chars says out of range).
  CHECK_FALSE(parse_number("1e400"));
  CHECK_FALSE(parse_number("1e-400"));
  CHECK(parse_number("+2.5") == 2.5);
}

TEST_CASE("one number formatter: to_chars, never cut", "[hardening]") {
  CHECK(detail::integer_text(std::uint64_t{18446744073709551615ULL}) == "18446744073709551615");
  CHECK(detail::integer_text(-42) == "-42");
  CHECK(detail::padded_integer(5, 2) == "05");
  CHECK(detail::padded_integer(-5, 3) == "-005");
  CHECK(detail::padded_integer(12345, 4) == "12345");  // never cut
  CHECK(detail::date_text_of(2021u, 5u, 3u) == "2021-05-03");
  CHECK(detail::date_text_of(987L, 12L, 31L) == "0987-12-31");
  CHECK(detail::fixed_number(2.5, 2) == "2.50");
  CHECK(detail::fixed_number(1e80, 1).size() == 83);  // 81 digits, '.', one decimal
  CHECK(detail::fmt_ratio(0.173) == "17.3%");
  CHECK(detail::fmt_ratio(0.5) == "50%");
  // A percentage of 82 digits was cut at 64 and lost its '%'.
  CHECK(detail::pct_text(1e80) == "1e82%");
  CHECK(detail::signed_pct(0.0) == "+0.0%");
  CHECK(detail::signed_pct(-0.25) == "-25.0%");
}

TEST_CASE("the number writer refuses inf and nan", "[hardening]") {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (double v : {inf, -inf, nan}) {
    CHECK_THROWS_AS(cli::machine(v), input_error);
    CHECK_THROWS_AS(cli::human(v), input_error);
    CHECK_THROWS_AS(cli::pct(v), input_error);
    CHECK_THROWS_AS(cli::fixed(v, 1), input_error);
  }
  CHECK(cli::machine(2.5) == "2.5");
  CHECK(cli::json::integer(18446744073709551615ULL).str() == "18446744073709551615");
}

TEST_CASE("terminal output escapes control characters", "[hardening]") {
  CHECK(cli::terminal_safe("a\x1b]0;x\x07") == "a\\u001b]0;x\\u0007");
  CHECK(cli::terminal_safe("\xe2\x80\xae"
                           "abc") == "\\u202eabc");
  CHECK(cli::terminal_safe("\xc2\x9b"
                           "31m") == "\\u009b31m");
  CHECK(cli::terminal_safe("line\n\ttab \xc3\xa9") == "line\n\ttab \xc3\xa9");
}

TEST_CASE("the memory budget refuses with the figure and the way out", "[hardening]") {
  CHECK_NOTHROW(detail::check_memory_budget(1e6, 8, "x", "--samples"));
  CHECK_THROWS_WITH(detail::check_memory_budget(4e9, 8, "the Monte Carlo", "--samples"),
                    Catch::Matchers::Contains("the Monte Carlo needs 32 GB of memory, over the "
                                              "budget of 2.15 GB; lower --samples, or raise the "
                                              "budget with COSTMODEL_MAX_MEMORY=32G"));
  // The Monte Carlo checks it before allocating (here under a budget of 1 MB).
  auto s = load_scenario("deepseek-v3", cat());
  const auto [key, range] = parse_range("efficiency.mfu=0.3:0.45");
  add_range(s, key, range);
  ::setenv("COSTMODEL_MAX_MEMORY", "1M", 1);
  CHECK_THROWS_WITH(monte_carlo(s, cat(), mc_settings{1, 100000}),
                    Catch::Matchers::Contains("over the budget of 0.001 GB"));
  ::setenv("COSTMODEL_MAX_MEMORY", "lots", 1);
  CHECK_THROWS_WITH(detail::memory_budget_bytes(),
                    Catch::Matchers::Contains("expected a positive"));
  ::unsetenv("COSTMODEL_MAX_MEMORY");
  CHECK(monte_carlo(s, cat(), mc_settings{1, 1000}).any());
}

TEST_CASE("extends merges 20,000 + 20,000 phases by name", "[hardening]") {
  const auto dir = std::filesystem::temp_directory_path() / "costmodel_merge_test";
  std::filesystem::create_directories(dir);
  std::string base = "schema = 1\nname = \"base\"\n[hardware]\naccelerator = \"h100-sxm\"\n";
  std::string child = "schema = 1\nextends = \"base.toml\"\n";
  for (int i = 0; i < 20000; ++i) {
    const auto n = std::to_string(i);
    base += "[[phases]]\nname = \"p" + n + "\"\nreported.gpu_hours = 1\n";
    child += "[[phases]]\nname = \"" + std::string(i % 2 ? "p" : "q") + n + "\"\n" +
             (i % 2 ? "" : "new_phase = true\n") + "reported.gpu_hours = 2\n";
  }
  std::ofstream(dir / "base.toml") << base;
  const auto s = parse_scenario(child, (dir / "child.toml").string(), cat());
  REQUIRE(s.phases.size() == 30000);  // 10,000 merged by name, 10,000 appended
  CHECK(s.phases[1].name == "p1");
  CHECK(s.phases[20000].name == "q0");
  std::filesystem::remove_all(dir);
}

TEST_CASE("the calculator's seed is an unsigned 64-bit integer", "[hardening]") {
  CLI::App app{"costmodel"};
  cli::options o;
  cli::add_options(app, o);
  std::vector<std::string> args{"estimate", "gpt-4", "--seed", "-1"};
  std::reverse(args.begin(), args.end());
  CHECK_THROWS_AS(app.parse(args), CLI::ValidationError);
}
