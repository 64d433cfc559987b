// SPDX-License-Identifier: MIT
// Shared by the libFuzzer targets: the catalogue they check against, and the properties every
// successful run must have (finite figures, no inf or nan in the JSON the calculator prints).
#pragma once

#include <cstdlib>
#include <string>
#include <string_view>

#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"
#include "report.hpp"

namespace costmodel::fuzz {

/// The bundled accelerator catalogue, read once: the scenario under test changes, the
/// catalogue does not.
inline const catalogue& bundled_catalogue() {
  static const catalogue c = load_catalogue({COSTMODEL_PRESET_DIR});
  return c;
}

/// Aborts (a finding) when `json_text` has a bare inf or nan outside its string literals:
/// numbers that lost their meaning must be refused, never printed.
inline void require_no_bare_non_finite(std::string_view json_text) {
  std::string bare;
  bool in_string = false;
  for (std::size_t i = 0; i < json_text.size(); ++i) {
    const char c = json_text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      bare.push_back(' ');
      continue;
    }
    bare.push_back(c);
  }
  for (const char* bad : {"inf", "nan", "INF", "NAN"}) {
    if (bare.find(bad) != std::string::npos) std::abort();
  }
}

/// Estimates `s` and renders it as the calculator does; any costmodel::error is an accepted
/// refusal, anything else (a crash, a sanitizer report, a non-finite figure) is a finding.
inline void estimate_and_render(const scenario& s) {
  try {
    const auto e = estimate(s, bundled_catalogue());
    require_no_bare_non_finite(cli::estimate_json(s, e).str());
    (void)cli::estimate_text(s, e, bundled_catalogue(), false);
  } catch (const costmodel::error&) {
    // refused with a message: the expected outcome for bad input
  }
}

}  // namespace costmodel::fuzz
