// SPDX-License-Identifier: MIT
// Rendering helpers of the calculator.
#include "render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "costmodel/error.hpp"
#include "costmodel/text.hpp"

namespace costmodel::cli {

// ---------------------------------------------------------------------------------------------
// Number formatting for people (tables) and for machines (JSON, CSV).

/// The one check of the number writer behind tables, JSON and CSV: a figure that overflowed
/// or lost its meaning is refused (exit 3), never printed as `inf` or `-nan`. The library
/// refuses such inputs upstream with the input named; this is the net under it.
double finite(double v) {
  if (!std::isfinite(v)) {
    throw input_error(
        "a result is not a finite number (the inputs overflow a double); expected inputs of "
        "realistic magnitude");
  }
  return v;
}

/// 5576000 -> "5.576M"; 3.29e24 -> "3.29e24".
std::string human(double v) {
  const double a = std::fabs(finite(v));
  if (a >= 1e15 || (a > 0 && a < 1e-3)) return detail::compact_exponent(fmt::format("{:.3g}", v));
  if (a >= 1e12) return fmt::format("{:.4g}T", v / 1e12);
  if (a >= 1e9) return fmt::format("{:.4g}B", v / 1e9);
  if (a >= 1e6) return fmt::format("{:.4g}M", v / 1e6);
  if (a >= 1e3) return fmt::format("{:.4g}k", v / 1e3);
  if (a >= 100) return fmt::format("{:.0f}", v);
  return fmt::format("{:.3g}", v);
}
std::string usd(double v) { return "$" + human(v); }
std::string pct(double r) { return fixed(finite(r * 100.0), 1) + "%"; }
std::string fixed(double v, int digits) { return detail::fixed_number(finite(v), digits); }
std::string machine(double v) { return fmt::format("{}", finite(v)); }

std::string json_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string terminal_safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto escaped = [&](unsigned code) { out += fmt::format("\\u{:04x}", code); };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const auto next = [&](std::size_t k) {
      return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0U;
    };
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      escaped(c);  // ESC starts CSI and OSC sequences; CR and BS overwrite text
    } else if (c == 0xc2 && next(1) >= 0x80 && next(1) <= 0x9f) {
      escaped(next(1));  // C1 controls U+0080..U+009F (CSI is U+009B)
      ++i;
    } else if (c == 0xe2 && ((next(1) == 0x80 && next(2) >= 0xaa && next(2) <= 0xae) ||
                             (next(1) == 0x81 && next(2) >= 0xa6 && next(2) <= 0xa9))) {
      // Bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069) reorder text.
      escaped(0x2000U + ((next(1) & 0x3fU) << 6U) + (next(2) & 0x3fU));
      i += 2;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out.push_back(c);
  }
  return out + "\"";
}

// ---------------------------------------------------------------------------------------------
// Tables.

std::string render_text(const table& t) {
  std::vector<std::size_t> w(t.header.size(), 0);
  auto widen = [&](const std::vector<std::string>& r) {
    for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], r[i].size());
  };
  widen(t.header);
  for (const auto& r : t.rows) widen(r);
  std::string out;
  auto line = [&](const std::vector<std::string>& r) {
    std::string l;
    for (std::size_t i = 0; i < w.size(); ++i) {
      const std::string cell = i < r.size() ? r[i] : "";
      if (i) l += "  ";
      const bool numeric =
          !cell.empty() && (std::isdigit(static_cast<unsigned char>(cell[0])) || cell[0] == '$' ||
                            cell[0] == '+' || cell[0] == '-' || cell == "n/a");
      l += (i == 0 || !numeric) ? fmt::format("{:<{}}", cell, w[i])
                                : fmt::format("{:>{}}", cell, w[i]);
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  line(t.header);
  std::vector<std::string> rule;
  for (auto x : w) rule.emplace_back(x, '-');
  line(rule);
  for (const auto& r : t.rows) line(r);
  return out;
}

std::string render_markdown(const table& t) {
  auto esc = [](std::string s) {
    std::string o;
    for (char c : s) {
      if (c == '|') o += "\\";
      o.push_back(c);
    }
    return o;
  };
  std::string out = "|";
  for (const auto& h : t.header) out += " " + esc(h) + " |";
  out += "\n|";
  for (std::size_t i = 0; i < t.header.size(); ++i) out += i == 0 ? " --- |" : " ---: |";
  out += "\n";
  for (const auto& r : t.rows) {
    out += "|";
    for (const auto& c : r) out += " " + esc(c) + " |";
    out += "\n";
  }
  return out;
}

std::string render_csv(const table& t) {
  std::string out;
  auto line = [&](const std::vector<std::string>& r) {
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (i) out += ",";
      out += csv_field(r[i]);
    }
    out += "\n";
  };
  line(t.header);
  for (const auto& r : t.rows) line(r);
  return out;
}

std::string opt_or(const std::optional<double>& v, std::string (*f)(double), const char* none) {
  return v ? f(*v) : std::string(none);
}

std::string list_block(const char* title, const std::vector<std::string>& items) {
  if (items.empty()) return "";
  std::string out = fmt::format("{}:\n", title);
  for (const auto& i : items) out += fmt::format("  - {}\n", i);
  return out;
}

json strings_json(const std::vector<std::string>& v) {
  auto a = json::array();
  for (const auto& s : v) a.push(json::string(s));
  return a;
}

}  // namespace costmodel::cli
