// SPDX-License-Identifier: MIT
#include "costmodel/parse.hpp"

#include <clocale>

#include "catch.hpp"

using Catch::Matchers::WithinRel;
using costmodel::parse_number;

TEST_CASE("numbers parse with suffixes and dollar signs", "[parse]") {
  CHECK_THAT(*parse_number("5.6M"), WithinRel(5.6e6, 1e-12));
  CHECK_THAT(*parse_number("$100M"), WithinRel(1e8, 1e-12));
  CHECK_THAT(*parse_number("5.6B"), WithinRel(5.6e9, 1e-12));
  CHECK_THAT(*parse_number("2.1e25"), WithinRel(2.1e25, 1e-12));
  CHECK_THAT(*parse_number("15.6T"), WithinRel(15.6e12, 1e-12));
  CHECK_THAT(*parse_number("45%"), WithinRel(0.45, 1e-12));
  CHECK_THAT(*parse_number("1,000"), WithinRel(1000.0, 1e-12));
  CHECK_THAT(*parse_number("2k"), WithinRel(2000.0, 1e-12));
}

TEST_CASE("non-numbers and overflow are refused", "[parse]") {
  for (const char* bad : {"", "abc", "nan", "inf", "1e400", "5.6X", "$", ",5", "1..2"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_number(bad).has_value());
  }
}

TEST_CASE("number parsing does not depend on the C locale", "[parse]") {
  const char* old = std::setlocale(LC_NUMERIC, nullptr);
  const std::string saved = old ? old : "C";
  if (std::setlocale(LC_NUMERIC, "de_DE.UTF-8") || std::setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
    CHECK_THAT(*parse_number("0.45"), WithinRel(0.45, 1e-12));
  }
  std::setlocale(LC_NUMERIC, saved.c_str());
  CHECK_THAT(*parse_number("0.45"), WithinRel(0.45, 1e-12));
}
