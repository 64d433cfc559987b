// SPDX-License-Identifier: MIT
// Rendering helpers of the calculator.
#include "render.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <vector>

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

// Every number for people goes through the one style of costmodel/text.hpp, which the
// library's own sentences (audit reasons) use too.
std::string human(double v) { return detail::human_number(finite(v)); }
std::string usd(double v) { return "$" + human(v); }
std::string rate(double v) { return detail::usd_rate_number(finite(v)); }
std::string pct(double r) { return detail::percent_number(finite(r)); }
std::string days(double d) { return detail::days_number(finite(d)); }
std::string factor(double f) { return detail::factor_number(finite(f)); }
std::string grouped(double v) { return detail::grouped_integer(finite(v)); }
std::string fixed(double v, int digits) { return detail::fixed_number(finite(v), digits); }
std::string machine(double v) { return fmt::format("{}", finite(v)); }

std::string csv_number(double v) { return fmt::format("{:.15g}", finite(v)); }

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

namespace {
std::size_t& width_setting() {
  static thread_local std::size_t w = 0;
  return w;
}

/// Characters, not bytes: UTF-8 continuation bytes do not count.
std::size_t text_width(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

/// The byte offset of character `chars` in `s` (or its size).
std::size_t byte_at(std::string_view s, std::size_t chars) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == chars) return i;
      ++n;
    }
  }
  return s.size();
}

/// `text` cut into pieces of at most `width` characters, at spaces where it can.
std::vector<std::string> wrap_words(std::string_view text, std::size_t width) {
  std::vector<std::string> out;
  if (width == 0 || text_width(text) <= width) {
    out.emplace_back(text);
    return out;
  }
  while (text_width(text) > width) {
    std::size_t cut = byte_at(text, width);
    const auto space = text.rfind(' ', cut);
    std::size_t next = cut;
    if (space != std::string_view::npos && space > 0) {
      cut = space;
      next = space + 1;
    }
    out.emplace_back(text.substr(0, cut));
    text.remove_prefix(next);
  }
  if (!text.empty()) out.emplace_back(text);
  return out;
}

/// Padding to `width` characters, left or right.
std::string pad(const std::string& cell, std::size_t width, bool right) {
  const std::size_t w = text_width(cell);
  const std::string fill(w < width ? width - w : 0, ' ');
  return right ? fill + cell : cell + fill;
}

bool numeric_cell(const std::string& cell) {
  return !cell.empty() && (std::isdigit(static_cast<unsigned char>(cell[0])) || cell[0] == '$' ||
                           cell[0] == '+' || cell[0] == '-' || cell == "n/a");
}
}  // namespace

void set_output_width(std::size_t columns) { width_setting() = columns; }
std::size_t output_width() { return width_setting(); }

std::size_t terminal_width() {
  if (const char* c = std::getenv("COLUMNS"); c && *c) {
    char* end = nullptr;
    const long v = std::strtol(c, &end, 10);
    if (end && *end == '\0' && v > 0) return static_cast<std::size_t>(v);
  }
  winsize ws{};
  if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    return ws.ws_col;
  }
  return 0;
}

std::string wrap_lines(std::string_view text, std::size_t width) {
  if (width == 0) return std::string(text);
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (text_width(line) <= width) {
      out.append(line);
      if (nl != std::string_view::npos) out += '\n';
      continue;
    }
    // Continue under the text: after "  - " of a list item, else at the line's indent.
    std::size_t indent = line.find_first_not_of(' ');
    if (indent == std::string_view::npos) indent = 0;
    if (line.substr(indent, 2) == "- ") indent += 2;
    if (indent > width / 2) indent = 0;
    const std::string lead(indent, ' ');
    const auto first = wrap_words(line, width);
    out += first.front() + "\n";
    std::string rest;
    for (std::size_t i = 1; i < first.size(); ++i) rest += (i > 1 ? " " : "") + first[i];
    for (const auto& piece : wrap_words(rest, width - indent)) out += lead + piece + "\n";
    if (nl == std::string_view::npos) out.pop_back();
  }
  return out;
}

std::string render_text(const table& t) {
  std::vector<std::size_t> w(t.header.size(), 0);
  auto widen = [&](const std::vector<std::string>& r) {
    for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) {
      w[i] = std::max(w[i], text_width(r[i]));
    }
  };
  widen(t.header);
  for (const auto& r : t.rows) widen(r);
  // Fit the terminal: narrow the widest column, a character at a time, down to 8 (its cells
  // then wrap onto more lines).
  if (const std::size_t width = output_width(); width > 0 && !w.empty()) {
    auto total = [&] {
      std::size_t n = 2 * (w.size() - 1);
      for (auto x : w) n += x;
      return n;
    };
    constexpr std::size_t narrowest = 8;
    while (total() > width) {
      auto widest = std::max_element(w.begin(), w.end());
      if (*widest <= narrowest) break;
      --*widest;
    }
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& r) {
    std::vector<std::vector<std::string>> cells(w.size());
    std::size_t height = 1;
    for (std::size_t i = 0; i < w.size(); ++i) {
      cells[i] = wrap_words(i < r.size() ? r[i] : "", w[i]);
      height = std::max(height, cells[i].size());
    }
    for (std::size_t k = 0; k < height; ++k) {
      std::string l;
      for (std::size_t i = 0; i < w.size(); ++i) {
        const std::string cell = k < cells[i].size() ? cells[i][k] : "";
        if (i) l += "  ";
        const bool right = i != 0 && numeric_cell(i < r.size() ? r[i] : "");
        l += pad(cell, w[i], right);
      }
      while (!l.empty() && l.back() == ' ') l.pop_back();
      out += l + "\n";
    }
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
  // Text left, numbers right: a column is numeric when every filled cell is a number.
  for (std::size_t i = 0; i < t.header.size(); ++i) {
    bool numbers = i > 0;
    bool any = false;
    for (const auto& r : t.rows) {
      if (i >= r.size() || r[i].empty()) continue;
      any = true;
      numbers = numbers && numeric_cell(r[i]);
    }
    out += numbers && any ? " ---: |" : " :--- |";
  }
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
