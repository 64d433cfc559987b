// SPDX-License-Identifier: MIT
// The bundled accelerator catalogue, read once per test binary: the unit tests share it.
#pragma once

#include "costmodel/presets.hpp"

namespace costmodel::testing {

inline const catalogue& bundled_catalogue() {
  static const catalogue c = load_catalogue();
  return c;
}

}  // namespace costmodel::testing
