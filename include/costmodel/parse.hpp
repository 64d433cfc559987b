// SPDX-License-Identifier: MIT
// Reading numbers as people type them: "5.6M", "$100M", "2.1e25", "45%".
#pragma once

#include <clocale>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "costmodel/error.hpp"

namespace costmodel {

/// Parses a finite number with an optional leading '$', thousands separators ',' or '_', and
/// an optional suffix: k/K (1e3), M (1e6), B or G (1e9), T (1e12), '%' (1e-2).
/// Returns nothing when `text` is not such a number (the caller names what was expected).
/// Independent of the C locale.
[[nodiscard]] inline std::optional<double> parse_number(std::string_view text) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  text = trim(text);
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
  std::string digits;
  bool seen_digit = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ',' || c == '_') {
      // A separator must sit between digits: "1,000", never "1,,0" or "1,.5".
      auto digit = [](char d) { return d >= '0' && d <= '9'; };
      if (i == 0 || i + 1 >= text.size() || !digit(text[i - 1]) || !digit(text[i + 1])) {
        return std::nullopt;
      }
      continue;
    }
    if ((c >= '0' && c <= '9')) {
      seen_digit = true;
    } else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
      return std::nullopt;
    }
    digits.push_back(c);
  }
  if (!seen_digit) return std::nullopt;
  // strtod honours the C locale's decimal point; replace '.' by the locale's own first.
  const char point = *std::localeconv()->decimal_point;
  if (point != '.') {
    for (auto& c : digits) {
      if (c == '.') c = point;
    }
  }
  char* end = nullptr;
  const double v = std::strtod(digits.c_str(), &end);
  if (end != digits.c_str() + digits.size()) return std::nullopt;
  const double r = v * scale;
  if (!std::isfinite(r)) return std::nullopt;
  return r;
}

}  // namespace costmodel
