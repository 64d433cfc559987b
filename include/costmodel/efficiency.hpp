// SPDX-License-Identifier: MIT
// A checked ratio in (0, 1] for MFU, goodput and other utilisations.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <string>

#include "costmodel/error.hpp"
#include "costmodel/text.hpp"

namespace costmodel {

/// A ratio in (0, 1]. Boost.Units lets dimensionless values decay to double silently,
/// so MFU and goodput get their own type that can only be made through a check.
class efficiency {
 public:
  /// Throws: input_error when `r` is NaN, infinite, <= 0 or > 1.
  [[nodiscard]] static efficiency from_ratio(double r) {
    if (!std::isfinite(r) || r <= 0.0 || r > 1.0) {
      throw input_error("expected a ratio in (0, 1], got " + detail::g_number(r, 6));
    }
    return efficiency(r);
  }
  /// The whole: 1.0.
  [[nodiscard]] static constexpr efficiency one() { return efficiency(1.0); }
  [[nodiscard]] constexpr double ratio() const noexcept { return r_; }
  friend constexpr bool operator==(efficiency, efficiency) = default;

 private:
  constexpr explicit efficiency(double r) : r_(r) {}
  double r_;
};

/// The three ways to give a phase's utilisation (one per table): the model FLOPs utilisation,
/// the hardware FLOPs utilisation (counting recomputation; Korthikanti et al. 2022, section 6),
/// or the hardware TFLOPS achieved per accelerator.
enum class utilisation_input : std::uint8_t { mfu, hfu, achieved_tflops };

/// Their keys in `[efficiency]`, by utilisation_input.
inline constexpr std::array<const char*, 3> utilisation_keys{"mfu", "hfu", "achieved_tflops"};

}  // namespace costmodel
