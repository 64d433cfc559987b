// SPDX-License-Identifier: MIT
// The bundled accelerator catalogue, read once per test binary, and helpers the unit tests share.
#pragma once

#include <locale>
#include <sstream>
#include <string>

#include "costmodel/presets.hpp"

namespace costmodel::testing {

inline const catalogue& bundled_catalogue() {
  static const catalogue c = load_catalogue();
  return c;
}

/// `v` as a --set value that reads back as the same double (17 significant digits, "C" locale).
inline std::string exact_text(double v) {
  std::ostringstream s;
  s.imbue(std::locale::classic());
  s.precision(17);
  s << v;
  return s.str();
}

}  // namespace costmodel::testing
