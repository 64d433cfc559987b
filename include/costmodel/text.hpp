// SPDX-License-Identifier: MIT
// Small text helpers shared by the library and the calculator: numbers written the same way
// whatever the C locale says, exponents without '+' and leading zeros, splitting on a character.
#pragma once

#include <charconv>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace costmodel::detail {

/// printf's "%.<digits>g" in the "C" locale ('.' as the decimal point whatever the C locale
/// says): std::to_chars promises exactly that output.
[[nodiscard]] inline std::string g_number(double v, int digits) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, digits);
  if (r.ec != std::errc{}) return "?";  // unreachable for digits <= 40: %g fits in 64
  return std::string(buf, r.ptr);
}

/// "3.29e+24" -> "3.29e24", "1e-05" -> "1e-5"; text without an 'e' is returned as is.
[[nodiscard]] inline std::string compact_exponent(std::string s) {
  const auto e = s.find('e');
  if (e == std::string::npos) return s;
  std::string exp = s.substr(e + 1);
  std::string sign;
  if (!exp.empty() && (exp[0] == '+' || exp[0] == '-')) {
    if (exp[0] == '-') sign = "-";
    exp.erase(0, 1);
  }
  while (exp.size() > 1 && exp[0] == '0') exp.erase(0, 1);
  return s.substr(0, e) + "e" + sign + exp;
}

/// The parts of `s` between the separators: "a.b" -> {"a", "b"}, "" -> {""}.
[[nodiscard]] inline std::vector<std::string> split_on(std::string_view s, char sep) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  parts.push_back(cur);
  return parts;
}

}  // namespace costmodel::detail
