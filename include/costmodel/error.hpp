// SPDX-License-Identifier: MIT
// Exception types. Dimension misuse is a compile error; these are for runtime input only.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

#include "costmodel/text.hpp"

namespace costmodel {

/// Stable error kinds: tests check these, not message text.
enum class errc {
  invalid_input = 1,   ///< a value out of range, an unknown id, a bad option
  preset_syntax,       ///< a file that is not valid TOML
  preset_missing_key,  ///< a required key is absent
  preset_unknown_key,  ///< a key the schema does not know (often a typo)
  preset_bad_value,    ///< a key with the wrong type or an out-of-range value
  preset_io,           ///< a file that cannot be read
};

/// Base of every costmodel exception.
class error : public std::runtime_error {
 public:
  error(errc kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] errc kind() const noexcept { return kind_; }

 private:
  errc kind_;
};

/// A bad argument value (negative count, MFU above 1, unknown accelerator...).
class input_error : public error {
 public:
  explicit input_error(const std::string& message) : error(errc::invalid_input, message) {}
};

/// A preset or scenario file that cannot be used; carries the place, like a compiler.
/// The message reads `file:line:column: key 'k': what was expected`.
class preset_error : public error {
 public:
  preset_error(errc kind, std::string file, std::size_t line, std::size_t column, std::string key,
               const std::string& what)
      : error(kind, format_message(file, line, column, key, what)),
        file_(std::move(file)),
        line_(line),
        column_(column),
        key_(std::move(key)) {}

  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] std::size_t line() const noexcept { return line_; }      ///< 1-based; 0 if unknown
  [[nodiscard]] std::size_t column() const noexcept { return column_; }  ///< 1-based; 0 if unknown
  [[nodiscard]] const std::string& key() const noexcept { return key_; }

 private:
  static std::string format_message(const std::string& file, std::size_t line, std::size_t column,
                                    const std::string& key, const std::string& what) {
    std::string m = file;
    if (line > 0) {
      m += ':' + detail::integer_text(line);
      if (column > 0) m += ':' + detail::integer_text(column);
    }
    m += ": ";
    if (!key.empty()) m += "key '" + key + "': ";
    m += what;
    return m;
  }

  std::string file_;
  std::size_t line_;
  std::size_t column_;
  std::string key_;
};

}  // namespace costmodel
