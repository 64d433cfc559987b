// SPDX-License-Identifier: MIT
// The training-compute and time formulas, each with the paper it comes from.
#pragma once

#include <cmath>

#include "costmodel/efficiency.hpp"
#include "costmodel/error.hpp"
#include "costmodel/quantity.hpp"

namespace costmodel {

/// Training compute C = 6 * N_active * D (Kaplan et al. 2020, "Scaling Laws for Neural Language
/// Models", section 2.1: forward 2N FLOP per token, backward twice that; the attention term
/// is dropped). For a mixture-of-experts model N is the active parameters per token.
/// `active_parameters` and `tokens` are plain counts. Returns FLOP.
/// Throws: input_error when either is not a positive finite number or the product overflows.
[[nodiscard]] inline compute training_compute_6nd(double active_parameters, double tokens) {
  if (!std::isfinite(active_parameters) || active_parameters <= 0.0) {
    throw input_error("active parameters must be a positive number");
  }
  if (!std::isfinite(tokens) || tokens <= 0.0) {
    throw input_error("tokens must be a positive number");
  }
  const double c = 6.0 * active_parameters * tokens;
  if (!std::isfinite(c)) throw input_error("6*N*D overflows a double");
  return compute_from_flop(c);
}

/// Accelerator time to do `c` at `peak` * `mfu`, stretched by `goodput` (the share of reserved
/// time that trains; failures, restarts and checkpoints take the rest):
/// GPU-hours = C / (peak * MFU) / goodput. MFU as defined in PaLM (Chowdhery et al. 2022,
/// appendix B): model FLOPs over the peak the hardware could have done in that time.
[[nodiscard]] inline gpu_time gpu_time_for(compute c, compute_rate peak, efficiency mfu,
                                           efficiency goodput = efficiency::one()) {
  return c / (peak * mfu.ratio()) / goodput.ratio();
}

/// Wall-clock time when `used` is spread over `count` accelerators: hours = GPU-hours / count.
[[nodiscard]] inline duration wall_clock(gpu_time used, gpu_count count) { return used / count; }

/// The inverse of gpu_time_for: the MFU that `c` in `used` implies at `peak`.
/// A plain ratio, not an efficiency: an implied value above 1 is a finding, not an error.
[[nodiscard]] inline double implied_mfu(compute c, gpu_time used, compute_rate peak,
                                        efficiency goodput = efficiency::one()) {
  return (c / (used * goodput.ratio() * peak)).value();
}

}  // namespace costmodel
