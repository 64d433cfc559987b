// SPDX-License-Identifier: MIT
// Reads the accelerator catalogue and scenario files. The only file that includes toml++.
#include "costmodel/presets.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <unordered_map>

#include "costmodel/audit.hpp"
#include "costmodel/error.hpp"
#include "costmodel/model_config.hpp"
#include "costmodel/parse.hpp"
#include "costmodel/text.hpp"

#if !defined(COSTMODEL_PRESET_DIR) || !defined(COSTMODEL_BUILD_DIR) || \
    !defined(COSTMODEL_INSTALL_PRESET_DIR)
#error "COSTMODEL_PRESET_DIR, COSTMODEL_BUILD_DIR and COSTMODEL_INSTALL_PRESET_DIR must be defined"
#endif

namespace costmodel {
namespace {

namespace fs = std::filesystem;

/// Files larger than this are refused before parsing: no preset comes near it.
constexpr std::uintmax_t max_preset_bytes = 1U << 20U;
/// Deeper nesting is refused before toml++ sees the text (see find_unsafe_non_ascii).
constexpr std::size_t max_toml_depth = 100;

/// Where errors about a node point: its own file, or "--set" for a what-if override.
struct place {
  std::string file;
  std::size_t line = 0;
  std::size_t column = 0;
};

/// toml++ keeps a node's source only while the node is moved, never copied; the loader moves
/// file nodes, so a node without a source was made by a `--set` override.
place place_of(const toml::source_region& src, const std::string& /*file*/) {
  place p;
  p.file = src.path ? *src.path : "--set";
  if (src.path && *src.path != "--set") {
    p.line = src.begin.line;
    p.column = src.begin.column;
  }
  return p;
}

[[noreturn]] void fail(errc kind, const place& p, const std::string& key, const std::string& what) {
  throw preset_error(kind, p.file, p.line, p.column, key, what);
}

std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    default:
      return "a date or time";
  }
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string read_file_text(const fs::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (ec == std::errc::too_many_symbolic_link_levels) {
    throw preset_error(errc::preset_io, name, 0, 0, "", "a loop of symbolic links");
  }
  if (ec || !fs::exists(st)) {
    throw preset_error(errc::preset_io, name, 0, 0, "", "no such file");
  }
  if (fs::is_directory(st)) {
    throw preset_error(errc::preset_io, name, 0, 0, "", "is a directory, expected a .toml file");
  }
  if (!fs::is_regular_file(st)) {
    throw preset_error(errc::preset_io, name, 0, 0, "",
                       "is not a regular file (a FIFO, socket or device), expected a .toml file");
  }
  const auto size = fs::file_size(path, ec);
  if (ec) throw preset_error(errc::preset_io, name, 0, 0, "", "cannot read: " + ec.message());
  if (size > max_preset_bytes) {
    throw preset_error(errc::preset_io, name, 0, 0, "",
                       "file of " + detail::integer_text(size) + " bytes; presets are at most " +
                           detail::integer_text(max_preset_bytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw preset_error(errc::preset_io, name, 0, 0, "", "cannot open for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw preset_error(errc::preset_io, name, 0, 0, "", "read error");
  return ss.str();
}

/// Where a document has a non-ASCII character that toml++ must not see.
struct unsafe_char {
  std::size_t line = 0;
  std::size_t column = 0;
  std::string what;
};

/// toml++ 3.3 (Debian 12) reaches __builtin_unreachable, undefined behaviour, when it tests some
/// non-ASCII code points (U+00A1..U+0499, U+2C6E..U+3067) for whitespace (marzer/tomlplusplus
/// issue #190, fixed upstream by PR #305; found here by fuzz/scenario_fuzz). TOML 1.0 allows
/// non-ASCII only inside strings and comments, so it is refused elsewhere before toml++ sees
/// it, and in a multi-line basic string right after a line-ending backslash, where toml++ skips
/// whitespace. No valid TOML is refused except that last, rare, case.
/// A quote inside a bare value (`-"""...`, `5.6B{{"...`) does not start a string: toml++ scans a
/// value that does not begin with a quote, `[` or `{` up to a value terminator (blank, `,`, `]`,
/// `}`, `#`, line end), quotes included (found by fuzz/scenario_fuzz), so such text is checked
/// as code. Keys and values are told apart with a stack of the open `[` and `{`. Such a quote is
/// invalid TOML anyway.
/// Nesting is bounded too: toml++ parses dotted keys, table headers, arrays and inline tables
/// recursively, and a 100 KB file 30,000 levels deep overflowed its stack (SIGSEGV). The depth
/// of a place is the open `[` and `{` around it plus the dots of the keys that lead to it; no
/// scenario needs more than a handful.
std::optional<unsafe_char> find_unsafe_non_ascii(std::string_view t) {
  // toml++ tests the character after a backslash in a multi-line string for whitespace (found
  // by fuzz/claims_fuzz); no TOML escape is a non-ASCII character, so it is refused anywhere.
  static constexpr const char* escaped_non_ascii =
      "a non-ASCII character right after a backslash; expected an escape such as \\n or "
      "\\u00e9";
  // A NUL byte: TOML allows none anywhere, and toml++ asserts on one in a table header in a
  // build without NDEBUG (found by fuzz/scenario_fuzz), so it is refused first.
  if (const auto nul = t.find('\0'); nul != std::string_view::npos) {
    const auto before = t.substr(0, nul);
    const auto nl = before.rfind('\n');
    return unsafe_char{1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n')),
                       nl == std::string_view::npos ? nul + 1 : nul - nl,
                       "a NUL byte, which TOML allows nowhere"};
  }
  enum class in { code, comment, basic, literal, ml_basic, ml_literal };
  in st = in::code;
  std::size_t line = 1;
  std::size_t column = 0;
  bool value = false;                    // after `=` or in an array: a value comes, not a key
  bool bare = false;                     // inside a bare value (a number, date, true, or junk)
  std::string open;                      // the `[` and `{` open around here, innermost last
  std::size_t key_dots = 0;              // dots of the key being read
  std::vector<std::size_t> dots_before;  // key_dots when each of `open` was opened
  std::size_t outer_dots = 0;            // sum of dots_before
  auto too_deep = [&] { return open.size() + outer_dots + key_dots > max_toml_depth; };
  const auto deep = [&] {
    return unsafe_char{line, column,
                       "nested more than " + detail::integer_text(max_toml_depth) +
                           " levels deep (keys, tables and arrays); expected a flatter file"};
  };
  auto at = [&](std::size_t i, std::size_t n) { return t.substr(i, n); };
  for (std::size_t i = 0; i < t.size(); ++i) {
    const auto c = static_cast<unsigned char>(t[i]);
    if (c == '\n') {
      ++line;
      column = 0;
      if (st != in::ml_basic && st != in::ml_literal) {
        st = in::code;
        bare = false;
        key_dots = 0;
        if (open.empty()) value = false;  // a new line starts a key, outside arrays
      }
      continue;
    }
    if ((c & 0xC0U) != 0x80U) ++column;  // count code points, not UTF-8 continuation bytes
    switch (st) {
      case in::code:
        if (c >= 0x80U) {
          return unsafe_char{line, column,
                             "a non-ASCII character outside a string or comment; expected "
                             "ASCII keys and values (quote text)"};
        }
        if (c == ' ' || c == '\t' || c == '\r') {
          bare = false;
          break;
        }
        if (bare && c != ',' && c != ']' && c != '}' && c != '#') break;  // quotes too: code
        bare = false;
        if (c == '=') {
          value = true;
        } else if (c == '[' || c == '{') {
          open.push_back(static_cast<char>(c));
          dots_before.push_back(key_dots);
          outer_dots += key_dots;
          key_dots = 0;
          if (too_deep()) return deep();
          // An array, else a table header: `[` where a key goes, and the second `[` of `[[`
          // right after it (else its dotted name went uncounted as a bare value).
          const bool second_of_header = c == '[' && open == "[[" && i > 0 && t[i - 1] == '[' &&
                                        !value && dots_before.size() == 2;
          value = c == '[' && (value || open.size() > 1) && !second_of_header;
        } else if (c == ']' || c == '}') {
          if (!open.empty()) {
            open.pop_back();
            outer_dots -= dots_before.back();
            dots_before.pop_back();
          }
          key_dots = 0;
          value = !open.empty() && open.back() == '[';
        } else if (c == ',') {
          key_dots = 0;
          value = open.empty() || open.back() == '[';
        } else if (c == '.') {
          ++key_dots;  // a dot outside a bare value: a dotted key or table header
          if (too_deep()) return deep();
        } else if (value && c != '#' && c != '"' && c != '\'') {
          bare = true;  // a value that is not a string, array or table
        }
        if (c == '#') {
          st = in::comment;
        } else if (at(i, 3) == "\"\"\"") {
          st = in::ml_basic;
          i += 2;
          column += 2;
        } else if (c == '"') {
          st = in::basic;
        } else if (at(i, 3) == "'''") {
          st = in::ml_literal;
          i += 2;
          column += 2;
        } else if (c == '\'') {
          st = in::literal;
        }
        break;
      case in::basic:
        if (c == '\\' && i + 1 < t.size() && static_cast<unsigned char>(t[i + 1]) >= 0x80U) {
          return unsafe_char{line, column + 1, escaped_non_ascii};
        }
        if (c == '\\' && i + 1 < t.size() && t[i + 1] != '\n') {
          ++i;
          ++column;
        } else if (c == '"') {
          st = in::code;
        }
        break;
      case in::literal:
        if (c == '\'') st = in::code;
        break;
      case in::ml_basic:
        if (c == '\\') {
          std::size_t j = i + 1;
          while (j < t.size() && (t[j] == ' ' || t[j] == '\t' || t[j] == '\r')) ++j;
          if (j < t.size() && t[j] == '\n') {
            // A line-ending backslash: toml++ skips the whitespace that follows.
            while (j < t.size() && (t[j] == ' ' || t[j] == '\t' || t[j] == '\r' || t[j] == '\n')) {
              if (t[j] == '\n') {
                ++line;
                column = 0;
              } else {
                ++column;
              }
              ++j;
            }
            if (j < t.size() && static_cast<unsigned char>(t[j]) >= 0x80U) {
              return unsafe_char{line, column + 1,
                                 "a non-ASCII character right after a line-ending backslash, "
                                 "which toml++ 3.3 cannot read safely; expected it on the "
                                 "backslash's line"};
            }
            i = j - 1;
          } else if (i + 1 < t.size() && static_cast<unsigned char>(t[i + 1]) >= 0x80U) {
            return unsafe_char{line, column + 1, escaped_non_ascii};
          } else if (i + 1 < t.size()) {
            ++i;  // an escape: a backslash and the character after it
            ++column;
          }
        } else if (at(i, 3) == "\"\"\"") {
          st = in::code;
          i += 2;
          column += 2;
          for (int k = 0; k < 2 && i + 1 < t.size() && t[i + 1] == '"'; ++k) {
            ++i;  // up to two quotes may end the content: """a""""
            ++column;
          }
        }
        break;
      case in::ml_literal:
        if (at(i, 3) == "'''") {
          st = in::code;
          i += 2;
          column += 2;
          for (int k = 0; k < 2 && i + 1 < t.size() && t[i + 1] == '\''; ++k) {
            ++i;
            ++column;
          }
        }
        break;
      case in::comment:
        break;
    }
  }
  return std::nullopt;
}

toml::table parse_toml(std::string_view text, const std::string& source_name) {
  // A UTF-8 byte order mark, as some editors write it: not part of the text (TOML 1.0 allows it).
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (const auto bad = find_unsafe_non_ascii(text)) {
    throw preset_error(errc::preset_syntax, source_name, bad->line, bad->column, "",
                       "invalid TOML: " + bad->what);
  }
  try {
    return toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw preset_error(errc::preset_syntax, source_name, b.line, b.column, "",
                       "invalid TOML: " + std::string(e.description()));
  }
}

// ---------------------------------------------------------------------------------------------
// Reading values. A number may be written plainly or as a sourced table
// { value = ..., source = "...", status = "...", note = "...", date = "...", alternatives = [...]
// }.

enum class constraint { any, positive, non_negative, ratio, at_least_one, whole_positive };

std::string expected_of(constraint c) {
  switch (c) {
    case constraint::positive:
      return "a positive number";
    case constraint::non_negative:
      return "a number >= 0";
    case constraint::ratio:
      return "a ratio in (0, 1]";
    case constraint::at_least_one:
      return "a number >= 1";
    case constraint::whole_positive:
      return "a positive whole number";
    default:
      return "a number";
  }
}

struct reader {
  std::string file;  // the top-level file, for nodes without a source
  provenance_map* prov = nullptr;
  std::map<std::string, uncertain_input>* ranges = nullptr;  // scenarios only

  place at(const toml::node& n) const { return place_of(n.source(), file); }

  double plain_number(const toml::node& n, const std::string& key, constraint c) const {
    double v = 0.0;
    if (auto i = n.as_integer()) {
      v = static_cast<double>(i->get());
    } else if (auto f = n.as_floating_point()) {
      v = f->get();
    } else if (auto str = n.as_string()) {
      // The calculator's one number rule (parse.hpp), as --set and Python dicts write numbers:
      // "70B", "2.5M", "1,000", "$5.6M".
      std::optional<double> parsed;
      try {
        parsed = parse_number(str->get());
      } catch (const input_error& e) {
        fail(errc::preset_bad_value, at(n), key, e.what());
      }
      if (!parsed) {
        fail(errc::preset_bad_value, at(n), key,
             "expected " + expected_of(c) + ", got a string, '" + std::string(str->get()) +
                 "' (a number may be written as a string with a suffix: \"70B\")");
      }
      v = *parsed;
    } else {
      fail(errc::preset_bad_value, at(n), key,
           "expected " + expected_of(c) + ", got " + type_name(n));
    }
    bool ok = std::isfinite(v);
    switch (c) {
      case constraint::positive:
        ok = ok && v > 0.0;
        break;
      case constraint::non_negative:
        ok = ok && v >= 0.0;
        break;
      case constraint::ratio:
        ok = ok && v > 0.0 && v <= 1.0;
        break;
      case constraint::at_least_one:
        ok = ok && v >= 1.0;
        break;
      case constraint::whole_positive:
        ok = ok && v >= 1.0 && std::floor(v) == v;
        break;
      default:
        break;
    }
    if (!ok) {
      std::ostringstream got;
      got.imbue(std::locale::classic());
      got << v;
      fail(errc::preset_bad_value, at(n), key, "expected " + expected_of(c) + ", got " + got.str());
    }
    return v;
  }

  std::string string_in(const toml::node& n, const std::string& key) const {
    if (auto s = n.as_string()) return s->get();
    fail(errc::preset_bad_value, at(n), key, "expected a string, got " + type_name(n));
  }

  /// A date: a TOML local date (`2021-05-20`, unquoted) or a string "YYYY", "YYYY-MM" or
  /// "YYYY-MM-DD", a real calendar date within the years parse_date_days() accepts.
  /// A sourced date `{ value = 2021-05-20, source = "...", status = "...", note = "..." }`
  /// records its provenance under `key`.
  std::string date_text(const toml::node& n, const std::string& key) const {
    if (const auto* t = n.as_table()) {
      provenance p;
      const toml::node* value = nullptr;
      for (const auto& [k, v] : *t) {
        const std::string sub = key + "." + std::string(k.str());
        if (k == "value") {
          value = &v;
        } else if (k == "source") {
          p.source = string_in(v, sub);
        } else if (k == "status") {
          p.status = status_in(v, sub);
        } else if (k == "note") {
          p.note = string_in(v, sub);
        } else {
          fail(errc::preset_unknown_key, place_of(k.source(), file), sub,
               "unknown key; expected one of: value, source, status, note");
        }
      }
      if (!value) fail(errc::preset_missing_key, at(n), key + ".value", "missing key");
      auto d = date_text(*value, key);
      if (prov) (*prov)[key] = std::move(p);
      return d;
    }
    std::string d;
    if (const auto* dt = n.as_date()) {
      const auto& v = dt->get();
      d = detail::date_text_of(static_cast<unsigned>(v.year), static_cast<unsigned>(v.month),
                               static_cast<unsigned>(v.day));
    } else if (n.as_string()) {
      d = n.as_string()->get();
    } else {
      fail(errc::preset_bad_value, at(n), key,
           "expected a date (2021-05-20, unquoted or quoted; or \"2021-05\", \"2021\"), got " +
               type_name(n));
    }
    if (!parse_date_days(d)) {
      fail(errc::preset_bad_value, at(n), key,
           "expected a calendar date YYYY, YYYY-MM or YYYY-MM-DD with a year in " +
               detail::integer_text(earliest_date_year) + "-" +
               detail::integer_text(latest_date_year) + ", got '" + d + "'");
    }
    return d;
  }

  bool boolean(const toml::node& n, const std::string& key) const {
    if (auto b = n.as_boolean()) return b->get();
    fail(errc::preset_bad_value, at(n), key, "expected true or false, got " + type_name(n));
  }

  std::string status_in(const toml::node& n, const std::string& key) const {
    auto s = string_in(n, key);
    const auto& known = known_statuses();
    if (std::find(known.begin(), known.end(), s) == known.end()) {
      fail(errc::preset_bad_value, at(n), key,
           "unknown status '" + s + "'; expected one of: " + join(known));
    }
    return s;
  }

  /// A number, plain or sourced; records its provenance under `key`.
  double number(const toml::node& n, const std::string& key, constraint c) const {
    const auto* t = n.as_table();
    if (!t) return plain_number(n, key, c);
    provenance p;
    const toml::node* value = nullptr;
    const toml::node* low = nullptr;
    const toml::node* high = nullptr;
    const toml::node* mode = nullptr;
    const toml::node* dist = nullptr;
    for (const auto& [k, v] : *t) {
      const std::string sub = key + "." + std::string(k.str());
      if (k == "value") {
        value = &v;
      } else if (k == "low") {
        low = &v;
      } else if (k == "high") {
        high = &v;
      } else if (k == "mode") {
        mode = &v;
      } else if (k == "dist") {
        dist = &v;
      } else if (k == "source") {
        p.source = string_in(v, sub);
      } else if (k == "status") {
        p.status = status_in(v, sub);
      } else if (k == "note") {
        p.note = string_in(v, sub);
      } else if (k == "date") {
        p.date = v.as_date() ? date_text(v, sub) : string_in(v, sub);
      } else if (k == "alternatives") {
        const auto* arr = v.as_array();
        if (!arr) fail(errc::preset_bad_value, at(v), sub, "expected an array of tables");
        for (const auto& item : *arr) {
          const auto* it = item.as_table();
          if (!it)
            fail(errc::preset_bad_value, at(item), sub,
                 "expected a table { value, source, status }");
          alternative a;
          bool has_value = false;
          for (const auto& [ak, av] : *it) {
            const std::string asub = sub + "." + std::string(ak.str());
            if (ak == "value") {
              a.value = plain_number(av, asub, c);
              has_value = true;
            } else if (ak == "source") {
              a.source = string_in(av, asub);
            } else if (ak == "status") {
              a.status = status_in(av, asub);
            } else {
              fail(errc::preset_unknown_key, place_of(ak.source(), file), asub,
                   "unknown key; expected one of: value, source, status");
            }
          }
          if (!has_value) fail(errc::preset_missing_key, at(item), sub + ".value", "missing key");
          p.alternatives.push_back(std::move(a));
        }
      } else {
        fail(errc::preset_unknown_key, place_of(k.source(), file), sub,
             "unknown key; expected one of: value, low, high, dist, mode, source, status, note, "
             "date, alternatives");
      }
    }
    std::optional<double> v;
    if (value) v = plain_number(*value, key, c);
    if (low || high || mode || dist) v = range_of(n, key, c, low, high, mode, dist, v);
    if (!v) fail(errc::preset_missing_key, at(n), key + ".value", "missing key");
    if (prov) (*prov)[key] = std::move(p);
    return *v;
  }

  /// Reads { low, high, dist, mode } into `ranges` and returns the point value: `value` when
  /// given (it must lie in the range), else the range's centre.
  double range_of(const toml::node& n, const std::string& key, constraint c, const toml::node* low,
                  const toml::node* high, const toml::node* mode, const toml::node* dist,
                  std::optional<double> value) const {
    if (!ranges) {
      fail(errc::preset_bad_value, at(n), key,
           "a range (low, high) is allowed in scenario files only; expected a number");
    }
    if (!low) fail(errc::preset_missing_key, at(n), key + ".low", "missing key: a range needs low");
    if (!high) {
      fail(errc::preset_missing_key, at(n), key + ".high", "missing key: a range needs high");
    }
    uncertain_input r;
    if (dist) {
      const auto name = string_in(*dist, key + ".dist");
      const auto d = parse_distribution(name);
      if (!d) {
        fail(
            errc::preset_bad_value, at(*dist), key + ".dist",
            "unknown distribution '" + name + "'; expected one of: uniform, triangular, lognormal");
      }
      r.dist = *d;
    }
    r.low = plain_number(*low, key + ".low", c);
    r.high = plain_number(*high, key + ".high", c);
    if (mode) r.mode = plain_number(*mode, key + ".mode", c);
    if (r.dist == distribution::lognormal && c != constraint::positive &&
        c != constraint::whole_positive) {
      fail(errc::preset_bad_value, at(*dist), key + ".dist",
           "a lognormal range is unbounded; expected uniform or triangular for " + expected_of(c));
    }
    if (const auto problem = range_problem(r); !problem.empty()) {
      const toml::node* where = r.low > r.high ? low : (mode ? mode : low);
      fail(errc::preset_bad_value, at(*where), key, "bad range: " + problem);
    }
    if (value && (*value < r.low || *value > r.high) && r.dist != distribution::lognormal) {
      fail(errc::preset_bad_value, at(n), key + ".value",
           "the value lies outside its range [low, high]");
    }
    (*ranges)[key] = r;
    return value ? *value : r.centre();
  }

  std::vector<std::string> string_list(const toml::node& n, const std::string& key) const {
    const auto* arr = n.as_array();
    if (!arr)
      fail(errc::preset_bad_value, at(n), key, "expected an array of strings, got " + type_name(n));
    std::vector<std::string> out;
    for (const auto& item : *arr) out.push_back(string_in(item, key));
    return out;
  }

  const toml::table& table_in(const toml::node& n, const std::string& key) const {
    if (const auto* t = n.as_table()) return *t;
    fail(errc::preset_bad_value, at(n), key, "expected a table, got " + type_name(n));
  }

  [[noreturn]] void unknown(const toml::key& k, const std::string& key,
                            const std::vector<std::string>& allowed) const {
    fail(errc::preset_unknown_key, place_of(k.source(), file), key,
         "unknown key; expected one of: " + join(allowed));
  }
};

std::string dotted(const std::string& prefix, std::string_view k) {
  return prefix.empty() ? std::string(k) : prefix + "." + std::string(k);
}

void check_schema(const reader& rd, const toml::table& top) {
  const auto* s = top.get("schema");
  if (!s)
    fail(errc::preset_missing_key, place{rd.file, 1, 1}, "schema",
         "missing key; expected schema = 1");
  const double v = rd.plain_number(*s, "schema", constraint::positive);
  if (v != 1.0) fail(errc::preset_bad_value, rd.at(*s), "schema", "unsupported schema; expected 1");
}

// ---------------------------------------------------------------------------------------------
// Accelerators.

price_point read_price_point(const reader& rd, const toml::table& t, const std::string& prefix) {
  price_point p;
  bool has_value = false;
  for (const auto& [k, v] : t) {
    const std::string key = dotted(prefix, k.str());
    if (k == "date") {
      p.date = rd.date_text(v, key);
    } else if (k == "kind") {
      p.kind = rd.string_in(v, key);
      if (!known_price_kind(p.kind)) {
        fail(errc::preset_bad_value, rd.at(v), key,
             "unknown kind '" + p.kind +
                 "'; expected one of: purchase, purchase-system, on-demand, 1y, 3y, gpu-cloud");
      }
    } else if (k == "value") {
      p.value = rd.plain_number(v, key, constraint::positive);
      has_value = true;
    } else if (k == "source") {
      p.source = rd.string_in(v, key);
    } else if (k == "status") {
      p.status = rd.status_in(v, key);
    } else if (k == "note") {
      p.note = rd.string_in(v, key);
    } else {
      rd.unknown(k, key, {"date", "kind", "value", "source", "status", "note"});
    }
  }
  for (const auto& [name, ok] : {std::pair<const char*, bool>{"date", !p.date.empty()},
                                 {"kind", !p.kind.empty()},
                                 {"value", has_value},
                                 {"source", !p.source.empty()}}) {
    if (!ok) fail(errc::preset_missing_key, rd.at(t), prefix + "." + name, "missing key");
  }
  return p;
}

accelerator_spec read_accelerator(const toml::table& top, const std::string& source_name) {
  accelerator_spec a;
  a.source_file = source_name;
  reader rd{source_name, &a.provenance};
  check_schema(rd, top);
  const std::vector<std::string> allowed{"schema",      "id",    "name",
                                         "vendor",      "kind",  "launch",
                                         "sources",     "notes", "peak_dense_tflops",
                                         "memory",      "power", "prices",
                                         "interconnect"};
  for (const auto& [k, v] : top) {
    const std::string key(k.str());
    if (key == "schema") continue;
    if (key == "id") {
      a.id = rd.string_in(v, key);
    } else if (key == "name") {
      a.name = rd.string_in(v, key);
    } else if (key == "vendor") {
      a.vendor = rd.string_in(v, key);
    } else if (key == "kind") {
      a.kind = rd.string_in(v, key);
      if (a.kind != "gpu" && a.kind != "tpu" && a.kind != "other") {
        fail(errc::preset_bad_value, rd.at(v), key, "expected \"gpu\", \"tpu\" or \"other\"");
      }
    } else if (key == "launch") {
      a.launch = rd.string_in(v, key);
    } else if (key == "sources") {
      a.sources = rd.string_list(v, key);
    } else if (key == "notes") {
      a.notes = rd.string_list(v, key);
    } else if (key == "peak_dense_tflops") {
      for (const auto& [pk, pv] : rd.table_in(v, key)) {
        const std::string sub = dotted(key, pk.str());
        const auto p = parse_precision(pk.str());
        if (!p) rd.unknown(pk, sub, {"fp64", "tf32", "bf16", "fp16", "fp8", "fp4", "fp32", "int8"});
        a.peak[static_cast<std::size_t>(*p)] =
            compute_rate_from_tflops(rd.number(pv, sub, constraint::positive));
      }
    } else if (key == "memory") {
      for (const auto& [mk, mv] : rd.table_in(v, key)) {
        const std::string sub = dotted(key, mk.str());
        if (mk == "hbm_gb") {
          a.hbm = memory_from_gb(rd.number(mv, sub, constraint::positive));
        } else if (mk == "bandwidth_tb_per_s") {
          a.bandwidth_tb_per_s = rd.number(mv, sub, constraint::positive);
        } else {
          rd.unknown(mk, sub, {"hbm_gb", "bandwidth_tb_per_s"});
        }
      }
    } else if (key == "interconnect") {
      for (const auto& [ik, iv] : rd.table_in(v, key)) {
        const std::string sub = dotted(key, ik.str());
        if (ik == "scale_up_gb_per_s") {
          a.scale_up_gb_per_s = rd.number(iv, sub, constraint::positive);
        } else if (ik == "scale_out_gb_per_s") {
          a.scale_out_gb_per_s = rd.number(iv, sub, constraint::positive);
        } else {
          rd.unknown(ik, sub, {"scale_up_gb_per_s", "scale_out_gb_per_s"});
        }
      }
    } else if (key == "power") {
      for (const auto& [pk, pv] : rd.table_in(v, key)) {
        const std::string sub = dotted(key, pk.str());
        if (pk != "tdp_w") rd.unknown(pk, sub, {"tdp_w"});
        a.tdp_watts = rd.number(pv, sub, constraint::positive);
      }
    } else if (key == "prices") {
      for (const auto& [pk, pv] : rd.table_in(v, key)) {
        const std::string sub = dotted(key, pk.str());
        if (pk == "purchase_usd") {
          a.prices.purchase = money_from_usd(rd.number(pv, sub, constraint::positive));
        } else if (pk == "purchase_includes_server") {
          const auto* b = pv.as_boolean();
          if (!b) fail(errc::preset_bad_value, rd.at(pv), sub, "expected true or false");
          a.prices.purchase_includes_server = b->get();
        } else if (pk == "usd_per_gpu_hour_on_demand") {
          a.prices.on_demand =
              price_rate_from_usd_per_gpu_hour(rd.number(pv, sub, constraint::positive));
        } else if (pk == "usd_per_gpu_hour_1y") {
          a.prices.one_year =
              price_rate_from_usd_per_gpu_hour(rd.number(pv, sub, constraint::positive));
        } else if (pk == "usd_per_gpu_hour_3y") {
          a.prices.three_year =
              price_rate_from_usd_per_gpu_hour(rd.number(pv, sub, constraint::positive));
        } else if (pk == "usd_per_gpu_hour_gpu_cloud") {
          a.prices.gpu_cloud =
              price_rate_from_usd_per_gpu_hour(rd.number(pv, sub, constraint::positive));
        } else if (pk == "points") {
          const auto* arr = pv.as_array();
          if (!arr || !arr->is_array_of_tables()) {
            fail(errc::preset_bad_value, rd.at(pv), sub,
                 "expected an array of tables ([[prices.points]])");
          }
          for (std::size_t i = 0; i < arr->size(); ++i) {
            a.prices.points.push_back(read_price_point(rd, *arr->get(i)->as_table(),
                                                       sub + "." + detail::integer_text(i)));
          }
        } else {
          rd.unknown(pk, sub,
                     {"purchase_usd", "purchase_includes_server", "usd_per_gpu_hour_on_demand",
                      "usd_per_gpu_hour_1y", "usd_per_gpu_hour_3y", "usd_per_gpu_hour_gpu_cloud",
                      "points"});
        }
      }
    } else {
      rd.unknown(k, key, allowed);
    }
  }
  for (const char* required : {"id", "name", "sources"}) {
    if (!top.contains(required)) {
      fail(errc::preset_missing_key, place{source_name, 1, 1}, required, "missing key");
    }
  }
  if (!top.contains("peak_dense_tflops")) {
    fail(errc::preset_missing_key, place{source_name, 1, 1}, "peak_dense_tflops",
         "missing table; expected at least one dense peak");
  }
  // The single price keys are dated points too, so that pricing.as_of sees them.
  auto add_point = [&](const char* key, const char* kind, std::optional<double> v) {
    if (!v) return;
    auto it = a.provenance.find(key);
    if (it == a.provenance.end() || !parse_date_days(it->second.date)) return;
    a.prices.points.push_back(
        {it->second.date, kind, *v, it->second.source, it->second.status, it->second.note});
  };
  auto rate = [](const std::optional<price_rate>& r) -> std::optional<double> {
    if (!r) return std::nullopt;
    return value_in(*r, units::usd_per_gpu_hour);
  };
  add_point(
      "prices.purchase_usd", a.prices.purchase_includes_server ? "purchase-system" : "purchase",
      a.prices.purchase ? std::optional(value_in(*a.prices.purchase, units::usd)) : std::nullopt);
  add_point("prices.usd_per_gpu_hour_on_demand", "on-demand", rate(a.prices.on_demand));
  add_point("prices.usd_per_gpu_hour_1y", "1y", rate(a.prices.one_year));
  add_point("prices.usd_per_gpu_hour_3y", "3y", rate(a.prices.three_year));
  add_point("prices.usd_per_gpu_hour_gpu_cloud", "gpu-cloud", rate(a.prices.gpu_cloud));

  const auto stem = fs::path(source_name).stem().string();
  if (fs::path(source_name).extension() == ".toml" && stem != a.id) {
    fail(errc::preset_bad_value, rd.at(*top.get("id")), "id",
         "id '" + a.id + "' differs from the file name '" + stem + ".toml'");
  }
  return a;
}

// ---------------------------------------------------------------------------------------------
// Data-centre constants (datacenter.toml).

sourced_value sourced(const std::string& file, const toml::node& n, const std::string& key,
                      constraint c) {
  provenance_map pm;
  reader rd{file, &pm};
  sourced_value out;
  out.value = rd.number(n, key, c);
  if (auto it = pm.find(key); it != pm.end()) {
    out.source = it->second.source;
    out.status = it->second.status;
    out.note = it->second.note;
  }
  if (out.source.empty()) {
    fail(errc::preset_missing_key, rd.at(n), key + ".source",
         "missing key; every data-centre constant names its source");
  }
  return out;
}

datacenter_constants read_datacenter(const toml::table& top, const std::string& file) {
  datacenter_constants dc;
  dc.source_file = file;
  reader rd{file, nullptr};
  check_schema(rd, top);
  auto table_of = [&](const toml::node& v, const std::string& key) -> const toml::table& {
    return rd.table_in(v, key);
  };
  auto by_id = [&](const toml::table& t, const std::string& key,
                   std::map<std::string, sourced_value, std::less<>>& out, constraint c) {
    for (const auto& [k, v] : t)
      out[std::string(k.str())] = sourced(file, v, dotted(key, k.str()), c);
  };
  // A table of one subtable `name` keyed by calendar year ([electricity.usd_per_kwh],
  // [inflation.ppi]), each value positive and sourced.
  auto year_table = [&](const toml::node& v, const std::string& key, std::string_view name,
                        std::map<int, sourced_value>& out) {
    for (const auto& [pk, pv] : table_of(v, key)) {
      const std::string sub = dotted(key, pk.str());
      if (pk != name) rd.unknown(pk, sub, {std::string(name)});
      for (const auto& [yk, yv] : table_of(pv, sub)) {
        const std::string ykey = dotted(sub, yk.str());
        const auto y = year_of(yk.str());
        if (!y || yk.str().size() != 4) {
          fail(errc::preset_bad_value, place_of(yk.source(), file), ykey,
               "expected a year (\"2023\") as the key");
        }
        out[*y] = sourced(file, yv, ykey, constraint::positive);
      }
    }
  };
  for (const auto& [k, v] : top) {
    const std::string key(k.str());
    if (key == "schema") continue;
    if (key == "sources") {
      dc.sources = rd.string_list(v, key);
    } else if (key == "pue") {
      for (const auto& [pk, pv] : table_of(v, key)) {
        const std::string sub = dotted(key, pk.str());
        if (pk == "hyperscaler") {
          dc.pue_hyperscaler = sourced(file, pv, sub, constraint::at_least_one);
        } else if (pk == "other") {
          dc.pue_other = sourced(file, pv, sub, constraint::at_least_one);
        } else if (pk == "hyperscalers") {
          dc.hyperscalers = rd.string_list(pv, sub);
        } else {
          rd.unknown(pk, sub, {"hyperscaler", "other", "hyperscalers"});
        }
      }
    } else if (key == "average_power_fraction") {
      for (const auto& [pk, pv] : table_of(v, key)) {
        const std::string sub = dotted(key, pk.str());
        if (pk == "gpu") {
          dc.average_power_fraction_gpu = sourced(file, pv, sub, constraint::ratio);
        } else if (pk == "tpu") {
          dc.average_power_fraction_tpu = sourced(file, pv, sub, constraint::ratio);
        } else {
          rd.unknown(pk, sub, {"gpu", "tpu"});
        }
      }
    } else if (key == "chip_to_server_power") {
      for (const auto& [pk, pv] : table_of(v, key)) {
        const std::string sub = dotted(key, pk.str());
        if (pk == "gpu") {
          dc.chip_to_server_power_gpu = sourced(file, pv, sub, constraint::at_least_one);
        } else if (pk == "tpu") {
          dc.chip_to_server_power_tpu = sourced(file, pv, sub, constraint::at_least_one);
        } else if (pk == "accelerators") {
          by_id(table_of(pv, sub), sub, dc.chip_to_server_power, constraint::at_least_one);
        } else {
          rd.unknown(pk, sub, {"gpu", "tpu", "accelerators"});
        }
      }
    } else if (key == "server_cost_overhead") {
      for (const auto& [pk, pv] : table_of(v, key)) {
        const std::string sub = dotted(key, pk.str());
        if (pk == "default") {
          dc.server_cost_overhead_default = sourced(file, pv, sub, constraint::at_least_one);
        } else if (pk == "accelerators") {
          by_id(table_of(pv, sub), sub, dc.server_cost_overhead, constraint::at_least_one);
        } else {
          rd.unknown(pk, sub, {"default", "accelerators"});
        }
      }
    } else if (key == "ownership") {
      for (const auto& [pk, pv] : table_of(v, key)) {
        const std::string sub = dotted(key, pk.str());
        if (pk == "interconnect_share") {
          dc.interconnect_share = sourced(file, pv, sub, constraint::ratio);
        } else if (pk == "depreciation_ooms_per_year") {
          dc.depreciation_ooms_per_year = sourced(file, pv, sub, constraint::positive);
        } else if (pk == "hours_per_year") {
          dc.hours_per_year = sourced(file, pv, sub, constraint::positive);
        } else {
          rd.unknown(pk, sub,
                     {"interconnect_share", "depreciation_ooms_per_year", "hours_per_year"});
        }
      }
    } else if (key == "electricity") {
      year_table(v, key, "usd_per_kwh", dc.usd_per_kwh_by_year);
    } else if (key == "inflation") {
      year_table(v, key, "ppi", dc.ppi_by_year);
    } else if (key == "pricing") {
      for (const auto& [pk, pv] : table_of(v, key)) {
        const std::string sub = dotted(key, pk.str());
        if (pk == "commitment_discount_1y") {
          dc.commitment_discount_1y = sourced(file, pv, sub, constraint::ratio);
        } else if (pk == "commitment_discount_3y") {
          dc.commitment_discount_3y = sourced(file, pv, sub, constraint::ratio);
        } else {
          rd.unknown(pk, sub, {"commitment_discount_1y", "commitment_discount_3y"});
        }
      }
    } else if (key == "grid") {
      for (const auto& [pk, pv] : table_of(v, key)) {
        const std::string sub = dotted(key, pk.str());
        if (pk == "default_region") {
          dc.default_grid_region = rd.string_in(pv, sub);
        } else if (pk == "regions") {
          for (const auto& [rk, rv] : table_of(pv, sub)) {
            const std::string rkey = dotted(sub, rk.str());
            grid_region g;
            g.id = std::string(rk.str());
            bool has = false;
            for (const auto& [gk, gv] : table_of(rv, rkey)) {
              const std::string gkey = dotted(rkey, gk.str());
              if (gk == "name") {
                g.name = rd.string_in(gv, gkey);
              } else if (gk == "gco2e_per_kwh") {
                g.location_gco2e_per_kwh = sourced(file, gv, gkey, constraint::non_negative);
                has = true;
              } else if (gk == "gco2e_per_kwh_market") {
                g.market_gco2e_per_kwh = sourced(file, gv, gkey, constraint::non_negative);
              } else {
                rd.unknown(gk, gkey, {"name", "gco2e_per_kwh", "gco2e_per_kwh_market"});
              }
            }
            if (!has) {
              fail(errc::preset_missing_key, rd.at(rv), rkey + ".gco2e_per_kwh", "missing key");
            }
            dc.grid[g.id] = std::move(g);
          }
        } else {
          rd.unknown(pk, sub, {"default_region", "regions"});
        }
      }
    } else if (key == "program") {
      for (const auto& [pk, pv] : table_of(v, key)) {
        const std::string sub = dotted(key, pk.str());
        if (pk != "experiments_multiplier") rd.unknown(pk, sub, {"experiments_multiplier"});
        dc.experiments_multiplier = sourced(file, pv, sub, constraint::at_least_one);
      }
    } else if (key == "reliability") {
      for (const auto& [pk, pv] : table_of(v, key)) {
        const std::string sub = dotted(key, pk.str());
        if (pk == "mtbf_hours_per_accelerator") {
          dc.mtbf_hours_per_accelerator = sourced(file, pv, sub, constraint::positive);
        } else if (pk == "checkpoint_write_minutes") {
          dc.checkpoint_write_minutes = sourced(file, pv, sub, constraint::non_negative);
        } else if (pk == "restart_minutes") {
          dc.restart_minutes = sourced(file, pv, sub, constraint::non_negative);
        } else {
          rd.unknown(pk, sub,
                     {"mtbf_hours_per_accelerator", "checkpoint_write_minutes", "restart_minutes"});
        }
      }
    } else {
      rd.unknown(k, key,
                 {"schema", "sources", "pue", "average_power_fraction", "chip_to_server_power",
                  "server_cost_overhead", "ownership", "electricity", "grid", "program",
                  "reliability", "inflation", "pricing"});
    }
  }
  if (!dc.default_grid_region.empty() && !dc.grid.count(dc.default_grid_region)) {
    fail(errc::preset_bad_value, place{file, 1, 1}, "grid.default_region",
         "no region '" + dc.default_grid_region + "' in grid.regions");
  }
  return dc;
}

// ---------------------------------------------------------------------------------------------
// Scenarios.

const std::vector<std::string>& top_keys() {
  static const std::vector<std::string> k{
      "schema",     "name",    "developer",   "date",   "description", "extends",
      "sources",    "caveats", "notes",       "model",  "training",    "hardware",
      "efficiency", "pricing", "reported",    "phases", "claims",      "energy",
      "ownership",  "program", "reliability", "audit",  "parallelism"};
  return k;
}

const std::vector<std::string>& phase_keys() {
  static const std::vector<std::string> k{"name",       "description", "new_phase",
                                          "model",      "training",    "hardware",
                                          "efficiency", "pricing",     "reported"};
  return k;
}

/// `model.config`: a Hugging Face config.json, relative to the scenario file (or to the working
/// directory from --set), read before the other model keys so that they override it.
void read_model_config_key(const reader& rd, const toml::node& v, const std::string& key,
                           run_inputs& in) {
  const auto where = rd.at(v);
  fs::path path(rd.string_in(v, key));
  if (path.is_relative() && where.file != "--set") {
    path = fs::path(where.file).parent_path() / path;
  }
  model_config c;
  try {
    c = read_model_config(path);
  } catch (const error& e) {
    fail(errc::preset_bad_value, where, key, e.what());
  }
  in.shape = c.shape;
  in.parameters = c.parameters;
  if (c.active_parameters < c.parameters) {
    in.active_parameters = c.active_parameters;
    in.architecture = "moe";
  }
}

void read_model(const reader& rd, const toml::table& t, const std::string& prefix, run_inputs& in) {
  if (const auto* cfg = t.get("config")) {
    read_model_config_key(rd, *cfg, dotted(prefix, "config"), in);
  }
  for (const auto& [k, v] : t) {
    const std::string key = dotted(prefix, k.str());
    if (k == "config") continue;
    if (k == "parameters") {
      in.parameters = rd.number(v, key, constraint::positive);
    } else if (k == "active_parameters") {
      in.active_parameters = rd.number(v, key, constraint::positive);
    } else if (k == "architecture") {
      in.architecture = rd.string_in(v, key);
      if (*in.architecture != "dense" && *in.architecture != "moe") {
        fail(errc::preset_bad_value, rd.at(v), key, "expected \"dense\" or \"moe\"");
      }
    } else if (k == "kind") {
      // Read into scenario::model_kind by the scenario loader (top level only).
      const auto kind = rd.string_in(v, key);
      if (kind != "base" && kind != "chat" && kind != "reasoning") {
        fail(errc::preset_bad_value, rd.at(v), key, "expected \"base\", \"chat\" or \"reasoning\"");
      }
    } else if (k == "layers") {
      in.shape.layers = rd.number(v, key, constraint::whole_positive);
    } else if (k == "d_model") {
      in.shape.d_model = rd.number(v, key, constraint::whole_positive);
    } else if (k == "vocab_size") {
      in.shape.vocab_size = rd.number(v, key, constraint::whole_positive);
    } else if (k == "heads") {
      in.shape.heads = rd.number(v, key, constraint::whole_positive);
    } else if (k == "kv_heads") {
      in.shape.kv_heads = rd.number(v, key, constraint::whole_positive);
    } else if (k == "head_dim") {
      in.shape.head_dim = rd.number(v, key, constraint::whole_positive);
    } else if (k == "ffn_size") {
      in.shape.ffn_size = rd.number(v, key, constraint::whole_positive);
    } else if (k == "gated_mlp") {
      in.shape.gated_mlp = rd.boolean(v, key);
    } else if (k == "experts") {
      in.shape.experts = rd.number(v, key, constraint::whole_positive);
    } else if (k == "top_k") {
      in.shape.top_k = rd.number(v, key, constraint::whole_positive);
    } else if (k == "shared_experts") {
      in.shape.shared_experts = rd.number(v, key, constraint::non_negative);
    } else {
      rd.unknown(k, key,
                 {"config", "parameters", "active_parameters", "architecture", "kind", "layers",
                  "d_model", "vocab_size", "heads", "kv_heads", "head_dim", "ffn_size", "gated_mlp",
                  "experts", "top_k", "shared_experts"});
    }
  }
  if (in.shape.heads && in.shape.kv_heads && *in.shape.kv_heads > *in.shape.heads) {
    fail(errc::preset_bad_value, rd.at(*t.get("kv_heads")), dotted(prefix, "kv_heads"),
         "expected at most model.heads key-value heads");
  }
  if (in.shape.experts && in.shape.top_k && *in.shape.top_k > *in.shape.experts) {
    fail(errc::preset_bad_value, rd.at(*t.get("top_k")), dotted(prefix, "top_k"),
         "expected at most model.experts experts per token");
  }
  if (in.parameters && in.active_parameters && *in.active_parameters > *in.parameters) {
    fail(errc::preset_bad_value, rd.at(*t.get("active_parameters")),
         dotted(prefix, "active_parameters"), "active parameters exceed the total parameters");
  }
}

void read_training(const reader& rd, const toml::table& t, const std::string& prefix,
                   run_inputs& in) {
  for (const auto& [k, v] : t) {
    const std::string key = dotted(prefix, k.str());
    if (k == "tokens") {
      in.tokens = rd.number(v, key, constraint::positive);
    } else if (k == "compute_flop") {
      in.compute_flop = compute_from_flop(rd.number(v, key, constraint::positive));
    } else if (k == "sequence_length") {
      in.sequence_length = rd.number(v, key, constraint::whole_positive);
    } else if (k == "flop_convention") {
      const auto c = rd.string_in(v, key);
      in.convention = parse_flop_convention(c);
      if (!in.convention) {
        fail(errc::preset_bad_value, rd.at(v), key,
             "unknown convention '" + c +
                 "'; expected one of: 6ND, palm, megatron, megatron-recompute");
      }
    } else if (k == "causal_attention") {
      const auto c = rd.string_in(v, key);
      if (c != "whole" && c != "halved") {
        fail(errc::preset_bad_value, rd.at(v), key, "expected \"whole\" or \"halved\"");
      }
      in.causal_halved = c == "halved";
    } else {
      rd.unknown(
          k, key,
          {"tokens", "compute_flop", "sequence_length", "flop_convention", "causal_attention"});
    }
  }
}

void read_hardware(const reader& rd, const toml::table& t, const std::string& prefix,
                   run_inputs& in) {
  for (const auto& [k, v] : t) {
    const std::string key = dotted(prefix, k.str());
    if (k == "accelerator") {
      in.accelerator = rd.string_in(v, key);
    } else if (k == "count") {
      in.count = gpus(rd.number(v, key, constraint::whole_positive));
    } else if (k == "precision") {
      const auto s = rd.string_in(v, key);
      in.precision = parse_precision(s);
      if (!in.precision) {
        fail(errc::preset_bad_value, rd.at(v), key,
             "unknown precision '" + s + "'; expected one of: " + precision_names());
      }
    } else {
      rd.unknown(k, key, {"accelerator", "count", "precision"});
    }
  }
}

void read_efficiency(const reader& rd, const toml::table& t, const std::string& prefix,
                     run_inputs& in) {
  for (const auto& [k, v] : t) {
    const std::string key = dotted(prefix, k.str());
    if (k == "mfu") {
      in.mfu = efficiency::from_ratio(rd.number(v, key, constraint::ratio));
    } else if (k == "hfu") {
      in.hfu = efficiency::from_ratio(rd.number(v, key, constraint::ratio));
    } else if (k == "achieved_tflops") {
      in.achieved_tflops = rd.number(v, key, constraint::positive);
    } else if (k == "goodput") {
      in.goodput = efficiency::from_ratio(rd.number(v, key, constraint::ratio));
    } else {
      rd.unknown(k, key, {"mfu", "hfu", "achieved_tflops", "goodput"});
    }
  }
  // One utilisation per table: the second one given is the error.
  const char* given = nullptr;
  for (const char* k : utilisation_keys) {
    if (!t.contains(k)) continue;
    if (given) {
      fail(errc::preset_bad_value, rd.at(*t.get(k)), dotted(prefix, k),
           std::string("give one of efficiency.mfu, efficiency.hfu and efficiency.achieved_tflops; "
                       "efficiency.") +
               given + " is given too");
    }
    given = k;
  }
}

void read_pricing(const reader& rd, const toml::table& t, const std::string& prefix,
                  run_inputs& in) {
  for (const auto& [k, v] : t) {
    const std::string key = dotted(prefix, k.str());
    if (k == "usd_per_gpu_hour") {
      in.price = price_rate_from_usd_per_gpu_hour(rd.number(v, key, constraint::positive));
    } else if (k == "as_of") {
      const double y = rd.number(v, key, constraint::whole_positive);
      if (y < 1990 || y > 2100) {
        fail(errc::preset_bad_value, rd.at(v), key, "expected a year between 1990 and 2100");
      }
      in.price_as_of = static_cast<int>(y);
    } else if (k == "rental") {
      const auto r = rd.string_in(v, key);
      if (r != "on-demand" && r != "1y" && r != "3y" && r != "gpu-cloud") {
        fail(errc::preset_bad_value, rd.at(v), key,
             "expected \"on-demand\", \"1y\", \"3y\" or \"gpu-cloud\"");
      }
      in.rental_kind = r;
    } else if (k == "basis") {
      const auto b = rd.string_in(v, key);
      in.price_basis = parse_price_basis(b);
      if (!in.price_basis) {
        fail(errc::preset_bad_value, rd.at(v), key,
             "expected one of: " + price_basis_names() + "; got '" + b + "'");
      }
    } else if (k == "usd_year") {
      if (prefix != "pricing") {
        fail(errc::preset_bad_value, rd.at(v), key,
             "the dollars' year is the whole run's: give it as pricing.usd_year at the top level");
      }
      const double y = rd.number(v, key, constraint::whole_positive);
      if (y < 1990 || y > 2100) {
        fail(errc::preset_bad_value, rd.at(v), key, "expected a year between 1990 and 2100");
      }
      in.usd_year = static_cast<int>(y);
    } else {
      rd.unknown(k, key, {"usd_per_gpu_hour", "as_of", "rental", "basis", "usd_year"});
    }
  }
}

void read_reported(const reader& rd, const toml::table& t, const std::string& prefix,
                   reported_figures& r) {
  for (const auto& [k, v] : t) {
    const std::string key = dotted(prefix, k.str());
    if (k == "gpu_hours") {
      r.gpu_hours = gpu_time_from_gpu_hours(rd.number(v, key, constraint::positive));
    } else if (k == "cost_usd") {
      r.cost = money_from_usd(rd.number(v, key, constraint::positive));
    } else if (k == "compute_flop") {
      r.compute_flop = compute_from_flop(rd.number(v, key, constraint::positive));
    } else if (k == "wall_clock_days") {
      r.wall_clock = duration_from_days(rd.number(v, key, constraint::positive));
    } else if (k == "mfu") {
      r.mfu = rd.number(v, key, constraint::ratio);
    } else if (k == "mfu_precision") {
      const auto s = rd.string_in(v, key);
      r.mfu_precision = parse_precision(s);
      if (!r.mfu_precision) {
        fail(errc::preset_bad_value, rd.at(v), key,
             "unknown precision '" + s + "'; expected one of: " + precision_names());
      }
    } else if (k == "usd_per_gpu_hour") {
      r.price = price_rate_from_usd_per_gpu_hour(rd.number(v, key, constraint::positive));
    } else if (k == "energy_mwh") {
      r.energy_mwh = rd.number(v, key, constraint::positive);
    } else if (k == "co2_tonnes") {
      r.co2_tonnes = rd.number(v, key, constraint::non_negative);
    } else if (k == "pue") {
      r.pue = rd.number(v, key, constraint::at_least_one);
    } else if (k == "sources") {
      r.sources = rd.string_list(v, key);
    } else {
      rd.unknown(
          k, key,
          {"gpu_hours", "cost_usd", "compute_flop", "wall_clock_days", "mfu", "mfu_precision",
           "usd_per_gpu_hour", "energy_mwh", "co2_tonnes", "pue", "sources"});
    }
  }
}

// The cost tables: [energy], [ownership], [program], [reliability] (top level only).

void read_energy(const reader& rd, const toml::table& t, energy_inputs& e) {
  for (const auto& [k, v] : t) {
    const std::string key = dotted("energy", k.str());
    if (k == "watts_per_accelerator") {
      e.watts_per_accelerator = rd.number(v, key, constraint::positive);
    } else if (k == "average_power_fraction") {
      e.average_power_fraction = rd.number(v, key, constraint::ratio);
    } else if (k == "server_power_overhead") {
      e.server_power_overhead = rd.number(v, key, constraint::at_least_one);
    } else if (k == "pue") {
      e.pue = rd.number(v, key, constraint::at_least_one);
    } else if (k == "usd_per_kwh") {
      e.usd_per_kwh = rd.number(v, key, constraint::non_negative);
    } else if (k == "grid_gco2e_per_kwh") {
      e.grid_gco2e_per_kwh = rd.number(v, key, constraint::non_negative);
    } else if (k == "grid_gco2e_per_kwh_market") {
      e.grid_gco2e_per_kwh_market = rd.number(v, key, constraint::non_negative);
    } else if (k == "grid_region") {
      e.grid_region = rd.string_in(v, key);
    } else {
      rd.unknown(k, key,
                 {"watts_per_accelerator", "average_power_fraction", "server_power_overhead", "pue",
                  "usd_per_kwh", "grid_gco2e_per_kwh", "grid_gco2e_per_kwh_market", "grid_region"});
    }
  }
}

std::string date_in(const reader& rd, const toml::node& n, const std::string& key) {
  return rd.date_text(n, key);
}

void read_ownership(const reader& rd, const toml::table& t, ownership_inputs& o) {
  for (const auto& [k, v] : t) {
    const std::string key = dotted("ownership", k.str());
    if (k == "usd_per_accelerator") {
      o.usd_per_accelerator = rd.number(v, key, constraint::positive);
    } else if (k == "price_includes_server") {
      o.price_includes_server = rd.boolean(v, key);
    } else if (k == "server_overhead") {
      o.server_overhead = rd.number(v, key, constraint::at_least_one);
    } else if (k == "interconnect_share") {
      const double x = rd.number(v, key, constraint::non_negative);
      if (x >= 1.0) fail(errc::preset_bad_value, rd.at(v), key, "expected a share in [0, 1)");
      o.interconnect_share = x;
    } else if (k == "depreciation") {
      const auto d = rd.string_in(v, key);
      if (d == "exponential") {
        o.depreciation = depreciation_kind::exponential;
      } else if (d == "straight-line") {
        o.depreciation = depreciation_kind::straight_line;
      } else {
        fail(errc::preset_bad_value, rd.at(v), key,
             "expected \"exponential\" or \"straight-line\"");
      }
    } else if (k == "depreciation_ooms_per_year") {
      o.depreciation_ooms_per_year = rd.number(v, key, constraint::positive);
    } else if (k == "life_years") {
      o.life_years = rd.number(v, key, constraint::positive);
    } else if (k == "age_years") {
      o.age_years = rd.number(v, key, constraint::non_negative);
    } else if (k == "acquisition_date") {
      o.acquisition_date = date_in(rd, v, key);
    } else if (k == "training_start_date") {
      o.training_start_date = date_in(rd, v, key);
    } else {
      rd.unknown(k, key,
                 {"usd_per_accelerator", "price_includes_server", "server_overhead",
                  "interconnect_share", "depreciation", "depreciation_ooms_per_year", "life_years",
                  "age_years", "acquisition_date", "training_start_date"});
    }
  }
  if (o.acquisition_date && o.training_start_date &&
      *parse_date_days(*o.training_start_date) < *parse_date_days(*o.acquisition_date)) {
    fail(errc::preset_bad_value, rd.at(*t.get("training_start_date")),
         "ownership.training_start_date", "expected a date on or after ownership.acquisition_date");
  }
  if (o.depreciation == depreciation_kind::straight_line && !o.life_years) {
    fail(errc::preset_missing_key, rd.at(t), "ownership.life_years",
         "missing key; straight-line depreciation needs a life in years");
  }
}

void read_program(const reader& rd, const toml::table& t, program_inputs& p) {
  for (const auto& [k, v] : t) {
    const std::string key = dotted("program", k.str());
    if (k == "experiments_multiplier") {
      p.experiments_multiplier = rd.number(v, key, constraint::at_least_one);
    } else if (k == "staff_usd") {
      p.staff_usd = rd.number(v, key, constraint::non_negative);
    } else if (k == "basis") {
      const auto b = rd.string_in(v, key);
      if (b != "ownership" && b != "rental") {
        fail(errc::preset_bad_value, rd.at(v), key, "expected \"ownership\" or \"rental\"");
      }
      p.basis = b;
    } else {
      rd.unknown(k, key, {"experiments_multiplier", "staff_usd", "basis"});
    }
  }
}

void read_reliability(const reader& rd, const toml::table& t, reliability_inputs& r) {
  for (const auto& [k, v] : t) {
    const std::string key = dotted("reliability", k.str());
    if (k == "mtbf_hours_per_accelerator") {
      r.mtbf_hours_per_accelerator = rd.number(v, key, constraint::positive);
    } else if (k == "mtbf_hours_per_node") {
      r.mtbf_hours_per_node = rd.number(v, key, constraint::positive);
    } else if (k == "accelerators_per_node") {
      r.accelerators_per_node = rd.number(v, key, constraint::whole_positive);
    } else if (k == "checkpoint_write_minutes") {
      r.checkpoint_write_minutes = rd.number(v, key, constraint::non_negative);
    } else if (k == "restart_minutes") {
      r.restart_minutes = rd.number(v, key, constraint::non_negative);
    } else if (k == "checkpoint_interval_minutes") {
      r.checkpoint_interval_minutes = rd.number(v, key, constraint::positive);
    } else {
      rd.unknown(k, key,
                 {"mtbf_hours_per_accelerator", "mtbf_hours_per_node", "accelerators_per_node",
                  "checkpoint_write_minutes", "restart_minutes", "checkpoint_interval_minutes"});
    }
  }
  if (r.mtbf_hours_per_node && !r.accelerators_per_node) {
    fail(errc::preset_missing_key, rd.at(t), "reliability.accelerators_per_node",
         "missing key; mtbf_hours_per_node needs the accelerators per node");
  }
}

/// Reads the sections shared by the top level and by phases.
bool read_section(const reader& rd, const toml::key& k, const toml::node& v,
                  const std::string& prefix, run_inputs& in) {
  const std::string key = dotted(prefix, k.str());
  if (k == "model") {
    read_model(rd, rd.table_in(v, key), key, in);
  } else if (k == "training") {
    read_training(rd, rd.table_in(v, key), key, in);
  } else if (k == "hardware") {
    read_hardware(rd, rd.table_in(v, key), key, in);
  } else if (k == "efficiency") {
    read_efficiency(rd, rd.table_in(v, key), key, in);
  } else if (k == "pricing") {
    read_pricing(rd, rd.table_in(v, key), key, in);
  } else if (k == "reported") {
    read_reported(rd, rd.table_in(v, key), key, in.reported);
  } else {
    return false;
  }
  return true;
}

std::string phase_label(const toml::table& ph, std::size_t index) {
  if (const auto* n = ph.get_as<std::string>("name")) return n->get();
  return detail::integer_text(index);
}

/// One `[[claims]]` table. In a claims file (`entry` set) a claim also names its `scenario` and
/// what it `refers_to`, and its value may be a string with a suffix ("5.6M", "$100M").
claim read_claim(const reader& rd, const toml::table& t, const std::string& prefix,
                 claim_entry* entry = nullptr) {
  claim c;
  bool has_value = false;
  for (const auto& [k, v] : t) {
    const std::string key = dotted(prefix, k.str());
    if (k == "text") {
      c.text = rd.string_in(v, key);
    } else if (k == "metric") {
      c.metric = rd.string_in(v, key);
      if (c.metric != "cost_usd" && c.metric != "gpu_hours" && c.metric != "compute_flop" &&
          c.metric != "wall_clock_days") {
        fail(errc::preset_bad_value, rd.at(v), key,
             "expected \"cost_usd\", \"gpu_hours\", \"compute_flop\" or \"wall_clock_days\"");
      }
    } else if (k == "value") {
      if (const auto* str = v.as_string(); str && entry) {
        // As people write it: "$5.6M", "more than $100 million", "$80M-$100M" (audit.hpp).
        bool parsed = false;
        bool currency = false;
        try {
          parsed = parse_claim_value(str->get(), c, currency);
        } catch (const input_error& e) {  // a decimal comma: at its place in the file
          fail(errc::preset_bad_value, rd.at(v), key, e.what());
        }
        if (!parsed) {
          fail(errc::preset_bad_value, rd.at(v), key,
               "expected a positive number such as 5.6e6, \"5.6M\" or \"$100M\", a bound "
               "(\"more than $100M\") or a range (\"$80M-$100M\"), got \"" +
                   str->get() + "\"");
        }
      } else {
        c.value = rd.plain_number(v, key, constraint::positive);
      }
      has_value = true;
    } else if (k == "source") {
      c.source = rd.string_in(v, key);
    } else if (k == "status") {
      c.status = rd.status_in(v, key);
    } else if (k == "note") {
      c.note = rd.string_in(v, key);
    } else if (k == "out_of_scope") {
      c.out_of_scope = rd.string_in(v, key);
    } else if (entry && k == "scenario") {
      entry->scenario = rd.string_in(v, key);
    } else if (entry && k == "refers_to") {
      entry->refers_to = rd.string_in(v, key);
    } else if (entry) {
      rd.unknown(k, key,
                 {"text", "scenario", "metric", "value", "source", "status", "refers_to", "note",
                  "out_of_scope"});
    } else {
      rd.unknown(k, key, {"text", "metric", "value", "source", "status", "note", "out_of_scope"});
    }
  }
  // A claim out of scope (an API price, a market value) gets no verdict, so needs no figure.
  if (c.metric.empty() && c.out_of_scope.empty()) {
    fail(errc::preset_missing_key, rd.at(t), prefix + ".metric",
         "missing key (or out_of_scope = \"what the figure is\" for a claim not about training)");
  }
  if (!has_value && c.out_of_scope.empty()) {
    fail(errc::preset_missing_key, rd.at(t), prefix + ".value", "missing key");
  }
  if (entry && entry->scenario.empty()) {
    fail(errc::preset_missing_key, rd.at(t), prefix + ".scenario",
         "missing key; expected the id of the run the claim is about, e.g. \"deepseek-v3\"");
  }
  return c;
}

/// `[audit]`: `tolerance` and `tolerance_<metric>`, each a sourced ratio whose `note` gives the
/// reason.
void read_audit(const reader& rd, const toml::table& t, audit_settings& out) {
  for (const auto& [k, v] : t) {
    const std::string key = dotted("audit", k.str());
    const std::string name(k.str());
    std::string metric;
    if (name != "tolerance") {
      for (const char* m : {"gpu_hours", "cost_usd", "compute_flop", "wall_clock_days"}) {
        if (name == std::string("tolerance_") + m) metric = m;
      }
      if (metric.empty()) {
        rd.unknown(k, key,
                   {"tolerance", "tolerance_gpu_hours", "tolerance_cost_usd",
                    "tolerance_compute_flop", "tolerance_wall_clock_days"});
      }
    }
    const auto* vt = v.as_table();
    const auto* note = vt ? vt->get("note") : nullptr;
    const bool from_set = rd.at(v).file == "--set";
    if (!note && from_set) {
      // `--set audit.tolerance=0.1`: a what-if has no reason beyond the command line.
      const audit_tolerance tol{rd.number(v, key, constraint::ratio), "set on the command line"};
      if (metric.empty()) {
        out.tolerance = tol;
      } else {
        out.by_metric[metric] = tol;
      }
      continue;
    }
    if (!note) {
      fail(errc::preset_missing_key, rd.at(v), key + ".note",
           "missing key; a tolerance is written as { value = 0.05, note = \"the reason\" }");
    }
    audit_tolerance tol;
    tol.ratio = rd.number(v, key, constraint::ratio);
    tol.reason = rd.string_in(*note, key + ".note");
    if (metric.empty()) {
      out.tolerance = tol;
    } else {
      out.by_metric[metric] = tol;
    }
  }
}

/// The accelerator, precision and goodput that a table states, before overrides.
void snapshot(const toml::table& t, as_reported& out) {
  if (const auto* hw = t.get_as<toml::table>("hardware")) {
    if (const auto* a = hw->get_as<std::string>("accelerator")) out.accelerator = a->get();
    if (const auto* p = hw->get_as<std::string>("precision"))
      out.precision = parse_precision(p->get());
  }
  if (const auto* ef = t.get_as<toml::table>("efficiency")) {
    if (const auto* g = ef->get("goodput")) {
      const toml::node* n = g;
      if (const auto* gt = g->as_table()) n = gt->get("value");
      if (n) {
        if (auto d = n->value<double>(); d && *d > 0.0 && *d <= 1.0)
          out.goodput = efficiency::from_ratio(*d);
      }
    }
  }
}

/// What the file states for the top level and each phase, before overrides.
struct reported_hardware {
  as_reported top;
  std::vector<as_reported> phases;
};

reported_hardware snapshot_all(const toml::table& t) {
  reported_hardware r;
  snapshot(t, r.top);
  if (const auto* arr = t.get_as<toml::array>("phases")) {
    for (const auto& item : *arr) {
      as_reported a;
      if (const auto* ph = item.as_table()) snapshot(*ph, a);
      r.phases.push_back(a);
    }
  }
  return r;
}

/// `[parallelism]`: the layout of the run; checked against hardware.count and the model shape
/// once the whole scenario is read.
parallel_layout read_parallelism(const reader& rd, const toml::table& t) {
  parallel_layout l;
  auto whole = [&](const toml::node& v, const std::string& key, int lo) {
    const double d = rd.number(v, key, constraint::whole_positive);
    if (d < lo || d > 1e9) fail(errc::preset_bad_value, rd.at(v), key, "out of range");
    return static_cast<int>(d);
  };
  for (const auto& [k, v] : t) {
    const std::string key = dotted("parallelism", k.str());
    if (k == "tp") {
      l.tp = whole(v, key, 1);
    } else if (k == "pp") {
      l.pp = whole(v, key, 1);
    } else if (k == "dp") {
      l.dp = whole(v, key, 1);
    } else if (k == "ep") {
      l.ep = whole(v, key, 1);
    } else if (k == "cp") {
      l.cp = whole(v, key, 1);
    } else if (k == "virtual_stages") {
      l.virtual_stages = whole(v, key, 1);
    } else if (k == "sequence_parallel") {
      l.sequence_parallel = rd.boolean(v, key);
    } else if (k == "zero") {
      if (const auto* str = v.as_string(); str && str->get() == "fsdp") {
        l.zero = 3;
      } else {
        const double z = rd.number(v, key, constraint::non_negative);
        if (z > 3.0 || std::floor(z) != z) {
          fail(errc::preset_bad_value, rd.at(v), key,
               "expected a ZeRO stage 0, 1, 2, 3 or \"fsdp\"");
        }
        l.zero = static_cast<int>(z);
      }
    } else if (k == "recompute") {
      const auto r = parse_recompute(rd.string_in(v, key));
      if (!r) {
        fail(errc::preset_bad_value, rd.at(v), key, "expected \"none\", \"selective\" or \"full\"");
      }
      l.recompute = *r;
    } else if (k == "micro_batch") {
      l.micro_batch = whole(v, key, 1);
    } else if (k == "global_batch") {
      l.global_batch = whole(v, key, 1);
    } else if (k == "sequence_length") {
      l.sequence_length = whole(v, key, 1);
    } else {
      rd.unknown(k, key,
                 {"tp", "pp", "dp", "ep", "cp", "virtual_stages", "sequence_parallel", "zero",
                  "recompute", "micro_batch", "global_batch", "sequence_length"});
    }
  }
  return l;
}

scenario read_scenario(const toml::table& top, const reported_hardware& before_overrides,
                       const std::string& source_name, const catalogue& cat) {
  scenario s;
  s.source_file = source_name;
  s.id = fs::path(source_name).stem().string();
  reader rd{source_name, &s.provenance, &s.ranges};
  check_schema(rd, top);
  if (const auto* kind = top.at_path("model.kind").as_string()) s.model_kind = kind->get();
  for (const auto& [k, v] : top) {
    const std::string key(k.str());
    if (key == "schema") continue;
    if (key == "name") {
      s.name = rd.string_in(v, key);
    } else if (key == "developer") {
      s.developer = rd.string_in(v, key);
    } else if (key == "date") {
      s.date = rd.date_text(v, key);
    } else if (key == "description") {
      s.description = rd.string_in(v, key);
    } else if (key == "extends") {
      (void)rd.string_in(v, key);  // resolved before this point
    } else if (key == "sources") {
      s.sources = rd.string_list(v, key);
    } else if (key == "caveats") {
      s.caveats = rd.string_list(v, key);
    } else if (key == "notes") {
      s.notes = rd.string_list(v, key);
    } else if (key == "phases") {
      const auto* arr = v.as_array();
      if (!arr || !arr->is_array_of_tables()) {
        fail(errc::preset_bad_value, rd.at(v), key, "expected an array of tables ([[phases]])");
      }
      std::set<std::string> names;
      for (std::size_t i = 0; i < arr->size(); ++i) {
        const auto& ph = *arr->get(i)->as_table();
        const std::string prefix = "phases." + phase_label(ph, i);
        run_inputs in;
        for (const auto& [pk, pv] : ph) {
          const std::string pkey = dotted(prefix, pk.str());
          if (pk == "name") {
            in.name = rd.string_in(pv, pkey);
          } else if (pk == "description") {
            in.description = rd.string_in(pv, pkey);
          } else if (pk == "new_phase") {
            // Read by extends (merge_phases): says that a phase is added, not misspelled.
            (void)rd.boolean(pv, pkey);
          } else if (!read_section(rd, pk, pv, prefix, in)) {
            rd.unknown(pk, pkey, phase_keys());
          }
        }
        if (in.name.empty())
          fail(errc::preset_missing_key, rd.at(ph), prefix + ".name", "missing key");
        if (!names.insert(in.name).second) {
          fail(errc::preset_bad_value, rd.at(ph), prefix + ".name",
               "two phases named '" + in.name + "'");
        }
        s.phases.push_back(std::move(in));
      }
    } else if (key == "claims") {
      const auto* arr = v.as_array();
      if (!arr || !arr->is_array_of_tables()) {
        fail(errc::preset_bad_value, rd.at(v), key, "expected an array of tables ([[claims]])");
      }
      for (std::size_t i = 0; i < arr->size(); ++i) {
        s.claims.push_back(
            read_claim(rd, *arr->get(i)->as_table(), "claims." + detail::integer_text(i)));
      }
    } else if (key == "audit") {
      read_audit(rd, rd.table_in(v, key), s.audit);
    } else if (key == "energy") {
      read_energy(rd, rd.table_in(v, key), s.costs.energy);
    } else if (key == "ownership") {
      read_ownership(rd, rd.table_in(v, key), s.costs.ownership);
    } else if (key == "program") {
      read_program(rd, rd.table_in(v, key), s.costs.program);
    } else if (key == "reliability") {
      read_reliability(rd, rd.table_in(v, key), s.costs.reliability.emplace());
    } else if (key == "parallelism") {
      s.parallelism = read_parallelism(rd, rd.table_in(v, key));
    } else if (!read_section(rd, k, v, "", s.base)) {
      rd.unknown(k, key, top_keys());
    }
  }
  if (!top.contains("name"))
    fail(errc::preset_missing_key, place{source_name, 1, 1}, "name", "missing key");
  if (s.parallelism) {
    auto& l = *s.parallelism;
    if (!l.sequence_length) l.sequence_length = s.base.sequence_length;
    try {
      check_layout(l, s.base.count ? value_in(*s.base.count, units::gpu) : 0.0, s.base.shape);
    } catch (const input_error& e) {
      fail(errc::preset_bad_value, rd.at(*top.get("parallelism")), "parallelism", e.what());
    }
  }
  if (!s.phases.empty() && (s.base.tokens || s.base.compute_flop)) {
    const auto* tr = top.get("training");
    fail(errc::preset_bad_value, rd.at(*tr), "training",
         "a scenario with [[phases]] gives tokens or compute_flop per phase, not at the top level");
  }

  // What the reported figures were measured on, before any what-if override.
  s.base.reported_on = before_overrides.top;
  for (std::size_t i = 0; i < before_overrides.phases.size() && i < s.phases.size(); ++i) {
    s.phases[i].reported_on = before_overrides.phases[i];
  }

  // Check each (merged) phase against the catalogue, pointing at the key that is wrong.
  auto check_hw = [&](const run_inputs& in, const toml::table& where_top,
                      const toml::table* where_ph, const std::string& prefix) {
    const auto acc = in.accelerator ? in.accelerator : s.base.accelerator;
    const auto prec = in.precision ? in.precision : s.base.precision;
    auto node_of = [&](const char* k) -> const toml::node* {
      for (const auto* t : {where_ph, &where_top}) {
        if (!t) continue;
        if (const auto* hw = t->get_as<toml::table>("hardware")) {
          if (const auto* n = hw->get(k)) return n;
        }
      }
      return nullptr;
    };
    const bool in_phase = where_ph && where_ph->get_as<toml::table>("hardware") &&
                          where_ph->get_as<toml::table>("hardware")->contains("accelerator");
    if (!acc) {
      fail(errc::preset_missing_key, place{source_name, 1, 1}, "hardware.accelerator",
           "missing key");
    }
    if (!cat.contains(*acc)) {
      const auto* n = node_of("accelerator");
      std::vector<std::string> known;
      for (const auto& [id, spec] : cat.accelerators) known.push_back(id);
      fail(errc::preset_bad_value, n ? rd.at(*n) : place{source_name, 1, 1},
           (in_phase ? prefix + "." : std::string()) + "hardware.accelerator",
           "unknown accelerator '" + *acc + "'; expected one of: " + join(known));
    }
    const auto filed =
        in.reported_on.accelerator ? in.reported_on.accelerator : s.base.reported_on.accelerator;
    // A what-if that changes the accelerator falls back by estimate()'s one precision rule.
    const bool moved = filed && *filed != *acc;
    if (prec && !moved && !cat.at(*acc).supports(*prec)) {
      const auto* n = node_of("precision");
      fail(errc::preset_bad_value, n ? rd.at(*n) : place{source_name, 1, 1}, "hardware.precision",
           "accelerator '" + *acc + "' has no " + std::string(to_string(*prec)) +
               " peak; expected one of: " + cat.at(*acc).supported_precisions());
    }
  };
  if (s.phases.empty()) {
    check_hw(s.base, top, nullptr, "");
    if (!s.base.tokens && !s.base.compute_flop && !s.base.reported.gpu_hours &&
        !s.base.reported.compute_flop) {
      fail(errc::preset_missing_key, place{source_name, 1, 1}, "training.tokens",
           "nothing to model: give training.tokens (with model.parameters), training.compute_flop "
           "or reported.gpu_hours");
    }
    if (s.base.tokens && !s.base.compute_flop && !s.base.parameters && !s.base.active_parameters) {
      fail(errc::preset_missing_key, place{source_name, 1, 1}, "model.parameters",
           "training.tokens needs model.parameters (or model.active_parameters)");
    }
  } else {
    const auto* arr = top.get_as<toml::array>("phases");
    for (std::size_t i = 0; i < s.phases.size(); ++i) {
      const auto& ph = s.phases[i];
      const auto* pt = arr->get(i)->as_table();
      const std::string prefix = "phases." + ph.name;
      check_hw(ph, top, pt, prefix);
      if (!ph.tokens && !ph.compute_flop && !ph.reported.gpu_hours && !ph.reported.compute_flop) {
        fail(errc::preset_missing_key, rd.at(*pt), prefix + ".training.tokens",
             "nothing to model: give training.tokens, training.compute_flop or reported.gpu_hours");
      }
      const bool has_params =
          ph.parameters || ph.active_parameters || s.base.parameters || s.base.active_parameters;
      if (ph.tokens && !ph.compute_flop && !has_params) {
        fail(errc::preset_missing_key, rd.at(*pt), "model.parameters",
             "training.tokens needs model.parameters (or model.active_parameters)");
      }
    }
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// extends and overrides work on the TOML tables, so that every value keeps its own file and line.

void merge_into(toml::table& base, toml::table& child);

/// The inherited phases an unmatched name's error lists, at most.
constexpr std::size_t max_listed_phases = 12;

/// Levenshtein distance (insertions, deletions, substitutions), for "did you mean" hints; two
/// rows, so memory is linear in the shorter text.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

/// Moves `child_phases` into `base`: a phase with a base phase's name overrides its keys, others
/// are appended. Nodes are moved, not copied, so that they keep their file and line.
void merge_phases(toml::table& base, toml::node& child_phases) {
  auto* bp = base.get_as<toml::array>("phases");
  auto* cp = child_phases.as_array();
  if (!bp || !cp) {
    child_phases.visit([&](auto& n) { base.insert_or_assign("phases", std::move(n)); });
    return;
  }
  // The base's phases by name (the first of a name wins), as indices: pushing into the array
  // may move its nodes. One pass, so 20,000 + 20,000 phases merge in linear time (the search
  // per child phase took 48 s).
  std::unordered_map<std::string, std::size_t> by_name;
  auto index = [&](std::size_t i) {
    if (const auto* bt = bp->get(i)->as_table()) {
      if (const auto* bn = bt->get_as<std::string>("name")) by_name.emplace(bn->get(), i);
    }
  };
  for (std::size_t i = 0; i < bp->size(); ++i) index(i);
  for (auto& item : *cp) {
    auto* ct = item.as_table();
    if (!ct) {
      item.visit([&](auto& n) { bp->push_back(std::move(n)); });
      continue;
    }
    const auto* cn = ct->get_as<std::string>("name");
    const auto match = cn ? by_name.find(cn->get()) : by_name.end();
    const auto* np = ct->get("new_phase");
    const bool adds = np && np->as_boolean() && np->as_boolean()->get();
    if (match != by_name.end()) {
      if (adds) {
        fail(errc::preset_bad_value, place_of(np->source(), ""),
             "phases." + cn->get() + ".new_phase",
             "phase '" + cn->get() +
                 "' is inherited, so it is not new; expected no new_phase key to override it, "
                 "or another name to add a phase");
      }
      merge_into(*bp->get(match->second)->as_table(), *ct);
    } else {
      if (cn && !adds) {
        // A misspelled name would silently add a phase (pretraining for pre-training: +59.6%
        // on deepseek-v3): refused, naming the nearest inherited phase.
        std::vector<std::string> names;
        for (std::size_t i = 0; i < bp->size() && names.size() < max_listed_phases; ++i) {
          if (const auto* bt = bp->get(i)->as_table()) {
            if (const auto* bn = bt->get_as<std::string>("name")) names.push_back(bn->get());
          }
        }
        std::string nearest;
        std::size_t best = std::numeric_limits<std::size_t>::max();
        for (const auto& n : names) {
          const auto d = edit_distance(n, cn->get());
          if (d < best) {
            best = d;
            nearest = n;
          }
        }
        fail(errc::preset_bad_value, place_of(cn->source(), ""), "phases." + cn->get() + ".name",
             "'" + cn->get() + "' matches no inherited phase (" + join(names) + ")" +
                 (nearest.empty() ? "" : "; did you mean '" + nearest + "'?") +
                 " To add a phase, say so with new_phase = true");
      }
      bp->push_back(std::move(*ct));
      index(bp->size() - 1);
    }
  }
}

void merge_into(toml::table& base, toml::table& child) {
  for (auto&& [k, v] : child) {
    if (k == "phases") {
      merge_phases(base, v);
      continue;
    }
    auto* existing = base.get(k);
    if (existing && existing->is_table() && v.is_table() && k != "extends") {
      // A sourced value replaces a sourced value whole: merging their keys would mix sources.
      auto is_value = [](const toml::table& t) {
        return t.contains("value") || t.contains("low") || t.contains("high");
      };
      const bool sourced = is_value(*v.as_table()) || is_value(*existing->as_table());
      if (!sourced) {
        merge_into(*existing->as_table(), *v.as_table());
        continue;
      }
    }
    // clang 14 cannot capture a structured binding in a lambda: name the key first.
    const toml::key& key = k;
    v.visit([&](auto& node) { base.insert_or_assign(key, std::move(node)); });
  }
}

std::optional<fs::path> run_file_in(std::string_view id, const std::vector<fs::path>& dirs) {
  for (const auto& d : dirs) {
    auto p = d / "runs" / (std::string(id) + ".toml");
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p;
  }
  return std::nullopt;
}

/// An extends chain longer than this is refused: a chain of 11,000 files overflowed the stack.
constexpr std::size_t max_extends_depth = 32;

/// The folders that `--allow-path` (or Python's `allow_paths=`) opened to `extends`, for the
/// calls of this thread (see allowed_paths_scope).
std::vector<fs::path>& allowed_paths() {
  static thread_local std::vector<fs::path> paths;
  return paths;
}

bool is_within(const fs::path& p, const fs::path& dir);

/// What the loader may read through `extends`, and the chain so far.
struct extends_context {
  const std::vector<fs::path>& dirs;  ///< the preset search path
  fs::path own_folder;                ///< the folder of the scenario the user named
  std::vector<std::string> chain;     ///< canonical files, outermost first
};

/// The file that `target` (the value of `extends` in `source_name`) names, checked against
/// the trust boundary: a bundled id, or a path inside the scenario's own folder, the preset
/// search path or an allowed folder. Errors are located at the `extends` key.
fs::path extends_target(const std::string& target, const std::string& source_name, const place& at,
                        const extends_context& ctx) {
  if (target.find('/') == std::string::npos && fs::path(target).extension() != ".toml") {
    if (auto p = run_file_in(target, ctx.dirs)) return *p;
    fail(errc::preset_bad_value, at, "extends",
         "no preset named '" + target +
             "'; expected a bundled id, or a path (with a '/' or "
             "ending in .toml) relative to this file");
  }
  const fs::path file = fs::path(source_name).parent_path() / target;
  std::error_code ec;
  const auto st = fs::status(file, ec);
  std::string why;
  if (ec == std::errc::too_many_symbolic_link_levels) {
    // Named before the trust check, which cannot resolve the loop either.
    fail(errc::preset_bad_value, at, "extends",
         "'" + target + "' (" + file.string() + "): a loop of symbolic links");
  }
  bool allowed = is_within(file, ctx.own_folder);
  for (const auto& d : ctx.dirs) allowed = allowed || is_within(file, d);
  for (const auto& d : allowed_paths()) allowed = allowed || is_within(file, d);
  if (!allowed) {
    fail(errc::preset_bad_value, at, "extends",
         "'" + target +
             "' is outside the scenario's folder and the preset search path, so it "
             "is not read; expected a bundled id or a file beside the scenario, or pass "
             "--allow-path DIR (Python: allow_paths=[DIR]) to allow it");
  }
  if (ec || !fs::exists(st)) {
    why = "no such file";
  } else if (fs::is_directory(st)) {
    why = "a directory, expected a .toml file";
  } else if (!fs::is_regular_file(st)) {
    why = "not a regular file (a FIFO, socket or device), expected a .toml file";
  }
  if (!why.empty()) {
    fail(errc::preset_bad_value, at, "extends", "'" + target + "' (" + file.string() + "): " + why);
  }
  return file;
}

toml::table load_with_extends(std::string_view text, const std::string& source_name,
                              extends_context& ctx) {
  toml::table t = parse_toml(text, source_name);
  const auto* ext = t.get("extends");
  if (!ext) return t;
  reader rd{source_name, nullptr};
  const std::string target = rd.string_in(*ext, "extends");
  if (ctx.chain.size() > max_extends_depth) {
    fail(errc::preset_bad_value, rd.at(*ext), "extends",
         "a chain of more than " + detail::integer_text(max_extends_depth) +
             " files; expected a shorter chain of extends");
  }
  const fs::path file = extends_target(target, source_name, rd.at(*ext), ctx);
  std::error_code ec;
  const auto canonical = fs::weakly_canonical(file, ec).string();
  if (std::find(ctx.chain.begin(), ctx.chain.end(), canonical) != ctx.chain.end()) {
    auto chain = ctx.chain;
    chain.push_back(canonical);
    fail(errc::preset_bad_value, rd.at(*ext), "extends",
         "a cycle of extends: " + join(chain, " -> "));
  }
  ctx.chain.push_back(canonical);
  toml::table base = load_with_extends(read_file_text(file), file.string(), ctx);
  ctx.chain.pop_back();
  merge_into(base, t);
  base.erase("extends");
  return base;
}

/// Text shaped like a number ("1e400", "1,,0"), which can only have meant one: blanks, an
/// optional '$', a sign, digits (with ',' or '_') and a point, an exponent, one suffix, blanks.
/// A hand scanner: std::regex recursed once per character and overflowed the stack on a
/// 28,000-digit value.
bool looks_numeric(std::string_view v) {
  std::size_t i = 0;
  auto digit = [&](std::size_t k) { return k < v.size() && v[k] >= '0' && v[k] <= '9'; };
  auto skip_blanks = [&] {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r' ||
                            v[i] == '\f' || v[i] == '\v'))
      ++i;
  };
  skip_blanks();
  if (i < v.size() && v[i] == '$') {
    ++i;
    skip_blanks();
  }
  if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
  if (digit(i)) {
    while (digit(i) || (i < v.size() && (v[i] == ',' || v[i] == '_'))) ++i;
    if (i < v.size() && v[i] == '.') ++i;
    while (digit(i)) ++i;
  } else if (i < v.size() && v[i] == '.' && digit(i + 1)) {
    ++i;
    while (digit(i)) ++i;
  } else {
    return false;
  }
  if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < v.size() && (v[j] == '+' || v[j] == '-')) ++j;
    if (!digit(j)) return false;
    while (digit(j)) ++j;
    i = j;
  }
  skip_blanks();
  if (i < v.size() && std::string_view("kKMBGT%").find(v[i]) != std::string_view::npos) ++i;
  skip_blanks();
  return i == v.size();
}

/// The node that `--set KEY=VALUE` puts in the file: TOML if it parses as a TOML value, a number
/// with a suffix ("2.5M"), or else a string ("h100-sxm").
toml::table override_value(const std::string& key, const std::string& value) {
  // toml++ reads `v = VALUE`, so that is the text to check (checking VALUE alone as a key let
  // fuzz/override_fuzz reach toml++'s unreachable code); else toml++ must not see it.
  const std::string doc = "v = " + value;
  if (!find_unsafe_non_ascii(doc)) {
    try {
      auto t = toml::parse(doc, std::string_view("--set"));
      if (t.get("v") && !t.get("v")->is_table()) return t;
    } catch (const toml::parse_error&) {
      // not a TOML value: fall through
    }
  }
  toml::table t;
  std::optional<double> number;
  try {
    number = parse_number(value);
  } catch (const input_error& e) {  // a decimal comma: name the key
    throw preset_error(errc::preset_bad_value, "--set", 0, 0, key, e.what());
  }
  if (auto n = number) {
    t.insert("v", *n);
  } else if (looks_numeric(value)) {
    // "1e400": a number that a double cannot hold, not a string.
    throw preset_error(
        errc::preset_bad_value, "--set", 0, 0, key,
        "expected a number, got '" + value + "' (malformed, or out of the range of a double)");
  } else {
    t.insert("v", value);
  }
  return t;
}

toml::table& child_table(toml::table& t, const std::string& k, const std::string& key) {
  auto* existing = t.get(k);
  if (!existing) {
    t.insert(k, toml::table{});
    existing = t.get(k);
  }
  if (auto* tt = existing->as_table(); tt && !tt->contains("value") && !tt->contains("low"))
    return *tt;
  throw input_error("--set " + key + ": '" + k + "' is not a table of keys");
}

std::vector<std::string> split_dots(const std::string& key) { return detail::split_on(key, '.'); }

void set_path(toml::table& t, const std::vector<std::string>& parts, std::size_t from,
              const toml::node& value, const std::string& key) {
  toml::table* cur = &t;
  for (std::size_t i = from; i + 1 < parts.size(); ++i) cur = &child_table(*cur, parts[i], key);
  // A utilisation given one way replaces the table's other two (--set efficiency.mfu=0.4 on a
  // run that gives efficiency.hfu).
  if (parts.size() >= from + 2 && parts[parts.size() - 2] == "efficiency") {
    const bool util = std::find(utilisation_keys.begin(), utilisation_keys.end(), parts.back()) !=
                      utilisation_keys.end();
    if (util) {
      for (const char* k : utilisation_keys) {
        if (parts.back() != k) cur->erase(k);
      }
    }
  }
  value.visit([&](const auto& node) { cur->insert_or_assign(parts.back(), node); });
}

void apply_override(toml::table& top, const override_entry& o) {
  const auto parts = split_dots(o.key);
  for (const auto& p : parts) {
    if (p.empty()) throw input_error("--set " + o.key + ": empty part in the key");
  }
  if (parts.size() == 1 &&
      (parts[0] == "schema" || parts[0] == "phases" || parts[0] == "extends")) {
    throw input_error("--set " + o.key + ": this key cannot be overridden");
  }
  const auto holder = override_value(o.key, o.value);
  const toml::node& value = *holder.get("v");
  auto* phases = top.get_as<toml::array>("phases");
  if (parts[0] == "phases") {
    if (parts.size() < 4 || !phases) {
      throw input_error("--set " + o.key + ": expected phases.<name or index>.<section>.<key>");
    }
    toml::table* target = nullptr;
    for (std::size_t i = 0; i < phases->size(); ++i) {
      auto* pt = phases->get(i)->as_table();
      if (pt && (phase_label(*pt, i) == parts[1] || detail::integer_text(i) == parts[1]))
        target = pt;
    }
    if (!target) {
      std::vector<std::string> names;
      for (std::size_t i = 0; i < phases->size(); ++i) {
        if (const auto* pt = phases->get(i)->as_table()) names.push_back(phase_label(*pt, i));
      }
      throw input_error("--set " + o.key + ": no phase '" + parts[1] +
                        "'; expected one of: " + join(names));
    }
    set_path(*target, parts, 2, value, o.key);
    return;
  }
  if (phases && !phases->empty() && parts[0] == "training") {
    throw input_error("--set " + o.key +
                      ": this scenario has phases, so training keys are per phase; use "
                      "phases.<name>.training." +
                      parts.back());
  }
  set_path(top, parts, 0, value, o.key);
  // A what-if on a top-level key applies to the whole run: phases that set the key get it too.
  if (phases && parts.size() == 2) {
    for (auto& item : *phases) {
      auto* pt = item.as_table();
      if (!pt) continue;
      if (auto* sec = pt->get_as<toml::table>(parts[0]); sec && sec->contains(parts[1])) {
        value.visit([&](const auto& node) { sec->insert_or_assign(parts[1], node); });
      }
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------

allowed_paths_scope::allowed_paths_scope(std::vector<fs::path> dirs)
    : saved_(std::move(allowed_paths())) {
  allowed_paths() = std::move(dirs);
}
allowed_paths_scope::~allowed_paths_scope() { allowed_paths() = std::move(saved_); }

override_entry parse_override(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos) {
    throw input_error("--set '" + std::string(text) +
                      "': expected KEY=VALUE, e.g. efficiency.mfu=0.45");
  }
  override_entry o{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
  if (o.key.empty()) throw input_error("--set '" + std::string(text) + "': empty key");
  if (o.value.empty()) throw input_error("--set '" + std::string(text) + "': empty value");
  return o;
}

namespace {

/// True when `p` is `dir` or lies below it (both made absolute and normalised first).
bool is_within(const fs::path& p, const fs::path& dir) {
  if (p.empty() || dir.empty()) return false;
  std::error_code ec;
  const auto a = fs::weakly_canonical(p, ec);
  if (ec) return false;
  const auto b = fs::weakly_canonical(dir, ec);
  if (ec) return false;
  auto ai = a.begin();
  for (auto bi = b.begin(); bi != b.end(); ++bi, ++ai) {
    if (bi->empty() && std::next(bi) == b.end()) break;  // a trailing separator
    if (ai == a.end() || *ai != *bi) return false;
  }
  return true;
}

/// The note for `file` (of `kind` "preset" or "accelerator", id `id`, in `sub` of a preset
/// folder) when it comes from a COSTMODEL_PRESET_PATH folder and a later folder of `dirs`
/// has a file of the same id: it shadows the bundled one. Empty otherwise.
std::string shadow_note(const fs::path& file, const std::string& kind, const std::string& id,
                        const char* sub, const std::vector<fs::path>& dirs) {
  const char* env = std::getenv("COSTMODEL_PRESET_PATH");
  if (env == nullptr || *env == '\0') return "";
  bool from_env = false;
  for (const auto& part : detail::split_on(env, ':')) {
    if (!part.empty() && is_within(file, part)) from_env = true;
  }
  if (!from_env) return "";
  for (const auto& d : dirs) {
    const auto other = d / sub / (id + ".toml");
    std::error_code ec;
    if (fs::equivalent(other, file, ec) || !fs::is_regular_file(other, ec)) continue;
    bool other_from_env = false;
    for (const auto& part : detail::split_on(env, ':')) {
      if (!part.empty() && is_within(other, part)) other_from_env = true;
    }
    if (other_from_env) continue;
    return kind + " '" + id + "' is read from " + file.string() +
           " (COSTMODEL_PRESET_PATH), which replaces the bundled " + other.string();
  }
  return "";
}

}  // namespace

std::vector<fs::path> preset_search_path(const preset_search_inputs& in) {
  std::vector<fs::path> dirs;
  std::string_view rest(in.env);
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const auto part = rest.substr(0, colon);
    if (!part.empty()) dirs.emplace_back(std::string(part));
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  std::vector<fs::path> seen;
  auto add_existing = [&](const fs::path& d) {
    if (d.empty()) return;
    std::error_code ec;
    if (!fs::is_directory(d, ec)) return;
    const auto canonical = fs::weakly_canonical(d, ec);
    if (std::find(seen.begin(), seen.end(), canonical) != seen.end()) return;
    seen.push_back(canonical);
    dirs.push_back(canonical);
  };
  add_existing(in.package_preset_dir);
  if (!in.executable.empty()) {
    add_existing(in.executable.parent_path().parent_path() / "share" / "costmodel" / "presets");
  }
  if (is_within(in.executable, in.build_dir)) add_existing(in.source_preset_dir);
  add_existing(in.install_preset_dir);
  add_existing(in.source_preset_dir);
  return dirs;
}

namespace {
std::mutex package_dir_mutex;
fs::path& package_dir_slot() {
  static fs::path dir;
  return dir;
}
}  // namespace

void set_package_preset_dir(const fs::path& dir) {
  const std::lock_guard lock(package_dir_mutex);
  package_dir_slot() = dir;
}

preset_search_inputs current_preset_search_inputs() {
  preset_search_inputs in;
  {
    const std::lock_guard lock(package_dir_mutex);
    in.package_preset_dir = package_dir_slot();
  }
  if (const char* env = std::getenv("COSTMODEL_PRESET_PATH"); env) in.env = env;
#ifdef __linux__
  std::error_code ec;
  in.executable = fs::read_symlink("/proc/self/exe", ec);
  if (ec) in.executable.clear();
#endif
  in.build_dir = COSTMODEL_BUILD_DIR;
  in.source_preset_dir = COSTMODEL_PRESET_DIR;
  in.install_preset_dir = COSTMODEL_INSTALL_PRESET_DIR;
  return in;
}

std::vector<fs::path> preset_search_path() {
  return preset_search_path(current_preset_search_inputs());
}

accelerator_spec parse_accelerator(std::string_view toml_text, const std::string& source_name) {
  return read_accelerator(parse_toml(toml_text, source_name), source_name);
}

datacenter_constants parse_datacenter(std::string_view toml_text, const std::string& source_name) {
  return read_datacenter(parse_toml(toml_text, source_name), source_name);
}

catalogue load_catalogue(const std::vector<fs::path>& dirs) {
  catalogue cat;
  for (const auto& d : dirs) {
    const auto f = d / "datacenter.toml";
    std::error_code ec;
    if (!fs::is_regular_file(f, ec)) continue;
    cat.datacenter = parse_datacenter(read_file_text(f), f.string());
    break;
  }
  for (const auto& d : dirs) {
    const auto folder = d / "accelerators";
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(folder, ec)) {
      if (e.path().extension() == ".toml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      if (cat.contains(f.stem().string())) continue;
      auto spec = parse_accelerator(read_file_text(f), f.string());
      spec.shadows = shadow_note(f, "accelerator", spec.id, "accelerators", dirs);
      if (!spec.shadows.empty()) spec.notes.insert(spec.notes.begin(), spec.shadows);
      cat.accelerators.emplace(spec.id, std::move(spec));
    }
  }
  return cat;
}

scenario parse_scenario(std::string_view toml_text, const std::string& source_name,
                        const catalogue& cat, const std::vector<override_entry>& overrides,
                        const std::vector<fs::path>& dirs) {
  std::error_code ec;
  extends_context ctx{dirs, fs::path(source_name).parent_path(), {}};
  if (ctx.own_folder.empty()) ctx.own_folder = ".";
  ctx.chain.push_back(fs::weakly_canonical(fs::path(source_name), ec).string());
  toml::table top = load_with_extends(toml_text, source_name, ctx);
  const auto as_filed = snapshot_all(top);
  for (const auto& o : overrides) apply_override(top, o);
  scenario s = read_scenario(top, as_filed, source_name, cat);
  for (const auto& o : overrides) s.overrides.push_back(o.key + "=" + o.value);
  // An accelerator from COSTMODEL_PRESET_PATH that replaces a bundled one says so here, so
  // that every output of the scenario shows it (a 10x peak appeared with no note).
  auto note_shadow = [&](const run_inputs& in) {
    if (!in.accelerator) return;
    const auto it = cat.accelerators.find(*in.accelerator);
    if (it != cat.accelerators.end() && !it->second.shadows.empty() &&
        std::find(s.caveats.begin(), s.caveats.end(), it->second.shadows) == s.caveats.end()) {
      s.caveats.insert(s.caveats.begin(), it->second.shadows);
    }
  };
  note_shadow(s.base);
  for (const auto& ph : s.phases) note_shadow(ph);
  return s;
}

claims_file parse_claims_file(std::string_view toml_text, const std::string& source_name) {
  const toml::table top = parse_toml(toml_text, source_name);
  claims_file out;
  out.file = source_name;
  reader rd{source_name, nullptr};
  check_schema(rd, top);
  for (const auto& [k, v] : top) {
    const std::string key(k.str());
    if (key == "schema") continue;
    if (key == "name") {
      out.name = rd.string_in(v, key);
    } else if (key == "sources") {
      out.sources = rd.string_list(v, key);
    } else if (key == "claims") {
      const auto* arr = v.as_array();
      if (!arr || !arr->is_array_of_tables()) {
        fail(errc::preset_bad_value, rd.at(v), key, "expected an array of tables ([[claims]])");
      }
      for (std::size_t i = 0; i < arr->size(); ++i) {
        const auto& t = *arr->get(i)->as_table();
        claim_entry e;
        e.file = source_name;
        e.line = t.source().begin.line;
        e.what = read_claim(rd, t, "claims." + detail::integer_text(i), &e);
        out.claims.push_back(std::move(e));
      }
    } else {
      rd.unknown(k, key, {"schema", "name", "sources", "claims"});
    }
  }
  if (out.claims.empty()) {
    fail(errc::preset_missing_key, place{source_name, 1, 1}, "claims",
         "missing key; expected at least one [[claims]] table");
  }
  return out;
}

claims_file load_claims_file(const fs::path& path) {
  return parse_claims_file(read_file_text(path), path.string());
}

std::vector<preset_entry> list_runs(const std::vector<fs::path>& dirs) {
  std::map<std::string, fs::path> found;
  for (const auto& d : dirs) {
    std::error_code ec;
    const auto folder = d / "runs";
    if (!fs::is_directory(folder, ec)) continue;
    for (const auto& e : fs::directory_iterator(folder, ec)) {
      if (e.path().extension() != ".toml") continue;
      found.emplace(e.path().stem().string(), e.path());
    }
  }
  std::vector<preset_entry> out;
  for (auto& [id, file] : found) out.push_back({id, file});
  return out;
}

fs::path find_run(std::string_view id, const std::vector<fs::path>& dirs) {
  if (auto p = run_file_in(id, dirs)) return *p;
  std::vector<std::string> known;
  for (const auto& e : list_runs(dirs)) known.push_back(e.id);
  throw input_error("unknown scenario '" + std::string(id) +
                    "': not a file, and not a bundled id; " +
                    "expected a path to a .toml file or one of: " + join(known));
}

scenario load_scenario(std::string_view id_or_path, const catalogue& cat,
                       const std::vector<override_entry>& overrides,
                       const std::vector<fs::path>& dirs) {
  const std::string arg(id_or_path);
  fs::path file;
  std::error_code ec;
  // A bare id is an id: a file of that name in the working directory is read only when written
  // as a path (./gpt-4), so that it cannot replace a bundled preset unseen.
  const bool looks_like_path =
      arg.find('/') != std::string::npos || fs::path(arg).extension() == ".toml";
  if (!looks_like_path && !run_file_in(arg, dirs) && fs::exists(arg, ec)) {
    throw input_error("unknown scenario '" + arg +
                      "': not a bundled id; to read the file of that name in the working "
                      "directory, write it as a path: ./" +
                      arg);
  }
  file = looks_like_path ? fs::path(arg) : find_run(arg, dirs);
  scenario s = parse_scenario(read_file_text(file), file.string(), cat, overrides, dirs);
  if (!looks_like_path) {
    if (auto note = shadow_note(file, "preset", arg, "runs", dirs); !note.empty()) {
      s.notes.insert(s.notes.begin(), note);  // for `show`
      s.caveats.insert(s.caveats.begin(), std::move(note));
    }
  }
  return s;
}

}  // namespace costmodel
