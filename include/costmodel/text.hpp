// SPDX-License-Identifier: MIT
// Small text helpers shared by the library and the calculator: numbers written the same way
// whatever the C locale says, exponents without '+' and leading zeros, splitting on a character.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace costmodel::detail {

/// A number written as printf would write it into a `char[limit + 1]`: std::to_chars promises
/// printf's output in the "C" locale (so '.' is the decimal point whatever the C locale says),
/// without printf's cost; the text is cut at `limit` characters as snprintf cuts it.
struct number_text {
  char data[328];  ///< "%.2f" of -DBL_MAX is 312 characters
  std::size_t size = 0;
  number_text(double v, std::chars_format f, int precision, std::size_t limit) {
    const auto r = std::to_chars(data, data + sizeof data, v, f, precision);
    size = std::min(static_cast<std::size_t>(r.ptr - data), limit);
  }
  operator std::string_view() const noexcept { return {data, size}; }  // NOLINT
};

/// printf's "%.<digits>g" in the "C" locale, as a std::string.
[[nodiscard]] inline std::string g_number(double v, int digits) {
  return std::string(number_text(v, std::chars_format::general, digits, 63));
}

/// printf's "%.<digits>f" in the "C" locale, never cut (up to the 312 characters of -DBL_MAX).
[[nodiscard]] inline std::string fixed_number(double v, int digits) {
  return std::string(number_text(v, std::chars_format::fixed, digits, sizeof number_text::data));
}

/// An integer in decimal, as std::to_string writes it, through std::to_chars.
template <class Int>
[[nodiscard]] std::string integer_text(Int v) {
  char buf[24];  // 20 digits of 2^64 and a sign
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
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
