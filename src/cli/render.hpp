// SPDX-License-Identifier: MIT
// Rendering helpers of the calculator: numbers for people and machines, JSON, tables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "costmodel/text.hpp"

namespace costmodel::cli {

// Numbers for people: one style (detail::human_number and its kin in costmodel/text.hpp)
// for tables, reports and --brief; JSON and CSV use machine() and csv_number().
/// 5576000 -> "5.576M"; 2057 -> "2,057"; 3.29e24 -> "3.29e24".
std::string human(double v);
/// "$5.576M", "$294,000".
std::string usd(double v);
/// A price per unit: 2 -> "$2.00"; 1250 -> "$1,250".
std::string rate(double v);
/// 0.173 -> "17.3%"; 0.00032 -> "0.032%".
std::string pct(double r);
/// Days: 56.7 -> "56.7"; 56970 -> "56,970".
std::string days(double d);
/// A ratio: 19.04 -> "19.0x"; 19050 -> "19,050x".
std::string factor(double f);
/// 131072 -> "131,072".
std::string grouped(double v);
/// printf's "%.<digits>f" in the "C" locale: 2.5 -> "2.50" (digits 2).
std::string fixed(double v, int digits);
/// Shortest round-trip form, for JSON and CSV.
std::string machine(double v);
/// `v` when it is finite. Every writer above calls it: the one check that no inf or NaN is
/// printed. Throws: input_error otherwise.
double finite(double v);
std::string json_escape(const std::string& s);
/// `s` with the characters that act on a terminal written as \uXXXX: C0 and C1 controls other
/// than newline and tab (the ESC of CSI and OSC sequences), DEL, and the bidirectional
/// overrides and isolates. Applied to everything the calculator prints, since names, notes and
/// keys come from files. Inside JSON strings the escape is valid JSON.
std::string terminal_safe(std::string_view s);
std::string csv_field(const std::string& s);

/// A minimal JSON builder: objects keep insertion order.
class json {
 public:
  static json number(double v) { return json(machine(v)); }
  static json number(const std::optional<double>& v) { return v ? number(*v) : null(); }
  /// An integer written exactly (a seed above 2^53 would be rounded as a double).
  static json integer(std::uint64_t v) { return json(detail::integer_text(v)); }
  static json string(const std::string& s) { return json(json_escape(s)); }
  static json null() { return json("null"); }
  static json boolean(bool b) { return json(b ? "true" : "false"); }
  static json object() { return json("{", true); }
  static json array() { return json("[", false, true); }

  json& add(const std::string& key, const json& v) {
    items_.push_back(json_escape(key) + ": " + v.str());
    return *this;
  }
  json& push(const json& v) {
    items_.push_back(v.str());
    return *this;
  }
  /// Appends the keys of another object.
  json& extend(const json& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
    return *this;
  }
  [[nodiscard]] std::string str() const {
    if (!is_object_ && !is_array_) return text_;
    std::string out = is_object_ ? "{" : "[";
    for (std::size_t i = 0; i < items_.size(); ++i) {
      if (i) out += ", ";
      out += items_[i];
    }
    out += is_object_ ? "}" : "]";
    return out;
  }

 private:
  explicit json(std::string text, bool obj = false, bool arr = false)
      : text_(std::move(text)), is_object_(obj), is_array_(arr) {}
  std::string text_;
  bool is_object_;
  bool is_array_;
  std::vector<std::string> items_;
};

/// A table of strings; renderers align numbers right and text left.
struct table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

/// The width that render_text() and wrap_lines() fit the output to; 0 (the default) for none.
/// Set once per run from --wide, COLUMNS or the terminal (run()).
void set_output_width(std::size_t columns);
[[nodiscard]] std::size_t output_width();
/// The terminal's width: COLUMNS when it is a positive number, else the size of the terminal
/// on stdout, else 0 (output to a pipe or file is not wrapped).
[[nodiscard]] std::size_t terminal_width();
/// Wraps every line longer than `width` (in characters) at spaces, continuing under the text
/// of a list item ("  - ") or the line's own indent; a word longer than the width is cut.
[[nodiscard]] std::string wrap_lines(std::string_view text, std::size_t width);

/// A number for CSV: at most 15 significant digits, so that a double's binary noise
/// (118999.99999999999, 0.20000000000000004) does not show; JSON keeps machine(), which
/// round-trips exactly.
std::string csv_number(double v);

std::string render_text(const table& t);
std::string render_markdown(const table& t);
std::string render_csv(const table& t);
/// `f(*v)` or `none`.
std::string opt_or(const std::optional<double>& v, std::string (*f)(double),
                   const char* none = "n/a");
/// "Title:\n  - item\n..." or nothing for an empty list.
std::string list_block(const char* title, const std::vector<std::string>& items);
json strings_json(const std::vector<std::string>& v);

}  // namespace costmodel::cli
