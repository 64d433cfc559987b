// SPDX-License-Identifier: MIT
// Approximate comparison of quantities in a named unit.
#pragma once

#include <cmath>

#include "costmodel/quantity.hpp"

namespace costmodel::test {

/// True when `q`, read in `unit`, is within `rel` of `expected`.
template <class Unit, class Y>
bool within_rel(const boost::units::quantity<Unit, Y>& q, Unit unit, double expected,
                double rel = 1e-9) {
  const double v = value_in(q, unit);
  return std::fabs(v - expected) <= rel * std::fabs(expected);
}

}  // namespace costmodel::test
