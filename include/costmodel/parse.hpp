// SPDX-License-Identifier: MIT
// Reading numbers as people type them: "5.6M", "$100M", "2.1e25", "45%".
#pragma once

#include <charconv>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "costmodel/error.hpp"

namespace costmodel {

/// Parses a finite number with an optional leading '$', thousands separators, and an optional
/// suffix: k/K (1e3), M (1e6), B or G (1e9), T (1e12), '%' (1e-2). A ',' separates thousands
/// only: groups of three digits before the point ("1,000,000"); '_' may sit between any two
/// digits ("1_000").
/// Returns nothing when `text` is not such a number (the caller names what was expected), or
/// when it is out of the range of a double. Independent of the C locale (std::from_chars).
/// Throws: input_error for a comma that is no thousands separator ("2,5", "1,5M"): a decimal
/// comma must not silently multiply by ten or a hundred.
[[nodiscard]] inline std::optional<double> parse_number(std::string_view text) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  const std::string_view original = trim(text);
  text = original;
  if (!text.empty() && text.front() == '$') text = trim(text.substr(1));
  if (text.empty()) return std::nullopt;
  double scale = 1.0;
  switch (text.back()) {
    case 'k':
    case 'K':
      scale = 1e3;
      break;
    case 'M':
      scale = 1e6;
      break;
    case 'B':
    case 'G':
      scale = 1e9;
      break;
    case 'T':
      scale = 1e12;
      break;
    case '%':
      scale = 1e-2;
      break;
    default:
      break;
  }
  if (scale != 1.0) text = trim(text.substr(0, text.size() - 1));
  auto digit = [](char d) { return d >= '0' && d <= '9'; };
  std::string digits;
  bool seen_digit = false;
  bool comma = false;           // a ',' was seen
  bool comma_ok = true;         // every ',' so far sits before a group of three digits
  std::size_t run = 0;          // digits since the last ',' (or the start)
  bool in_integer_part = true;  // before the point or exponent
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ',' || c == '_') {
      // A separator must sit between digits: "1,000", never "1,,0" or "1,.5".
      if (i == 0 || i + 1 >= text.size() || !digit(text[i - 1]) || !digit(text[i + 1])) {
        return std::nullopt;
      }
      if (c == ',') {
        // The group before: 1 to 3 digits first, exactly 3 after a ','; after: 3 digits.
        if (!in_integer_part || (comma ? run != 3 : run > 3)) comma_ok = false;
        comma = true;
        run = 0;
      }
      continue;
    }
    if (digit(c)) {
      seen_digit = true;
      ++run;
    } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
      if (c == '.' || c == 'e' || c == 'E') {
        if (comma && in_integer_part && run != 3) comma_ok = false;
        in_integer_part = false;
      }
    } else {
      return std::nullopt;
    }
    digits.push_back(c);
  }
  if (comma && in_integer_part && run != 3) comma_ok = false;
  if (!seen_digit) return std::nullopt;
  if (comma && !comma_ok) {
    std::string point(original);
    for (auto& c : point) {
      if (c == ',') c = '.';
    }
    throw input_error("'" + std::string(original) +
                      "': a comma separates thousands only, in groups of three (1,000,000); "
                      "for a decimal point write '" +
                      point + "'");
  }
  std::string_view d(digits);
  if (d.size() > 1 && d.front() == '+' && (digit(d[1]) || d[1] == '.')) d.remove_prefix(1);
  double v = 0.0;
  const auto r = std::from_chars(d.data(), d.data() + d.size(), v, std::chars_format::general);
  if (r.ec != std::errc() || r.ptr != d.data() + d.size()) return std::nullopt;
  const double out = v * scale;
  if (!std::isfinite(out)) return std::nullopt;
  return out;
}

}  // namespace costmodel
