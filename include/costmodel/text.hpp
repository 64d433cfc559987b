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

/// An integer with zeros in front to at least `width` digits ("%0*d"): "2021", "05".
template <class Int>
[[nodiscard]] std::string padded_integer(Int v, std::size_t width) {
  std::string t = integer_text(v);
  const std::size_t sign = !t.empty() && t[0] == '-' ? 1 : 0;
  if (t.size() - sign < width) t.insert(sign, width - (t.size() - sign), '0');
  return t;
}

/// "YYYY-MM-DD" of a year, month and day ("%04d-%02d-%02d").
template <class Int>
[[nodiscard]] std::string date_text_of(Int year, Int month, Int day) {
  return padded_integer(year, 4) + "-" + padded_integer(month, 2) + "-" + padded_integer(day, 2);
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

/// "2,057", "131,072": `v` rounded to a whole number, with thousands separators.
[[nodiscard]] inline std::string grouped_integer(double v) {
  const std::string d = fixed_number(v, 0);
  const std::size_t first = d[0] == '-' ? 1 : 0;
  std::string out = d.substr(0, first);
  for (std::size_t i = first; i < d.size(); ++i) {
    if (i > first && (d.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(d[i]);
  }
  return out;
}

/// The one style of numbers for people, used by every sentence and table: three significant
/// digits below 100 ("0.35", "12.5"), whole numbers with separators up to a million ("688",
/// "2,057", "56,970"), then M, B, T with four significant digits ("5.576M", "3.29B"), and the
/// exponent form from 1e15 and below 1e-3 ("3.29e24", "5e-4").
[[nodiscard]] inline std::string human_number(double v) {
  const double a = v < 0 ? -v : v;
  if (a >= 1e15 || (a > 0 && a < 1e-3)) return compact_exponent(g_number(v, 3));
  if (a >= 1e12) return g_number(v / 1e12, 4) + "T";
  if (a >= 1e9) return g_number(v / 1e9, 4) + "B";
  if (a >= 999999.5) return g_number(v / 1e6, 4) + "M";
  if (a >= 99.5) return grouped_integer(v);
  return g_number(v, 3);
}

/// A ratio as a percentage: one decimal ("17.3%"), two significant digits below 0.1% so that a
/// small share is not shown as "0.0%" ("0.032%"), the exponent form from 1e15%.
[[nodiscard]] inline std::string percent_number(double r) {
  const double p = r * 100.0;
  const double a = p < 0 ? -p : p;
  if (a >= 1e15) return compact_exponent(g_number(p, 3)) + "%";
  if (a > 0 && a < 0.095) return compact_exponent(g_number(p, 2)) + "%";
  return fixed_number(p, 1) + "%";
}

/// A factor: "19.0x" below 100, else whole with separators ("19,050x", "1.905Mx").
[[nodiscard]] inline std::string factor_number(double f) {
  const double a = f < 0 ? -f : f;
  if (a < 99.95) return fixed_number(f, 1) + "x";
  return human_number(f) + "x";
}

/// A number of days: one decimal below 1,000 ("56.7"), else as human_number ("56,970").
[[nodiscard]] inline std::string days_number(double d) {
  const double a = d < 0 ? -d : d;
  return a < 999.95 ? fixed_number(d, 1) : human_number(d);
}

/// Dollars per unit (a price per GPU-hour): cents below $1,000 ("$2.00"), else "$" and
/// human_number ("$1,250").
[[nodiscard]] inline std::string usd_rate_number(double v) {
  const double a = v < 0 ? -v : v;
  return "$" + (a < 999.995 ? fixed_number(v, 2) : human_number(v));
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
