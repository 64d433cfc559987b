// SPDX-License-Identifier: MIT
// Goodput from failures: the share of reserved accelerator time that trains, given the mean time
// between failures, checkpoint cost and restart time; and the optimal checkpoint interval
// (Young 1974; Daly 2006).
#pragma once

#include <cmath>
#include <optional>

#include "costmodel/error.hpp"

namespace costmodel {

/// Reliability of a cluster, all times in hours.
struct reliability_model {
  double system_mtbf_hours = 0.0;       ///< M: mean time between failures of the whole job
  double checkpoint_write_hours = 0.0;  ///< delta: time to write one checkpoint
  double restart_hours = 0.0;           ///< R: time from a failure to training again
  std::optional<double>
      checkpoint_interval_hours;  ///< tau: compute between checkpoints; optimal if empty
  bool operator==(const reliability_model&) const = default;
};

/// System MTBF of `count` parts that fail independently: per-part MTBF / count, hours.
/// Throws: input_error for a non-positive MTBF or count.
[[nodiscard]] inline double system_mtbf(double mtbf_hours_per_part, double count) {
  if (!std::isfinite(mtbf_hours_per_part) || mtbf_hours_per_part <= 0.0) {
    throw input_error("reliability: the MTBF must be a positive number of hours");
  }
  if (!std::isfinite(count) || count < 1.0) {
    throw input_error("reliability: needs hardware.count (at least 1)");
  }
  return mtbf_hours_per_part / count;
}

/// Young's optimal checkpoint interval, hours: tau = sqrt(2 * delta * M) (J. W. Young, "A first
/// order approximation to the optimum checkpoint interval", CACM 17(9), 1974).
[[nodiscard]] inline double young_interval(double checkpoint_write_hours, double mtbf_hours) {
  return std::sqrt(2.0 * checkpoint_write_hours * mtbf_hours);
}

/// Daly's higher-order optimum, hours: for delta < 2M,
/// tau = sqrt(2 delta M) * [1 + (1/3) sqrt(delta / 2M) + (1/9) (delta / 2M)] - delta, else M
/// (J. T. Daly, "A higher order estimate of the optimum checkpoint interval for restart dumps",
/// Future Generation Computer Systems 22(3), 2006).
[[nodiscard]] inline double daly_interval(double checkpoint_write_hours, double mtbf_hours) {
  const double d = checkpoint_write_hours;
  const double m = mtbf_hours;
  if (d >= 2.0 * m) return m;
  const double r = d / (2.0 * m);
  return std::sqrt(2.0 * d * m) * (1.0 + std::sqrt(r) / 3.0 + r / 9.0) - d;
}

/// Goodput: useful compute over wall time, a ratio in (0, 1]. Daly 2006's model with exponential
/// failures, where a failure also loses the work since the last checkpoint and may strike during
/// restarts: wall time = M e^(R/M) (e^((tau + delta)/M) - 1) * work / tau, so
/// goodput = tau / (M e^(R/M) (e^((tau + delta)/M) - 1)). `tau` defaults to daly_interval().
/// Throws: input_error for a non-positive MTBF or interval, or a negative write or restart time.
[[nodiscard]] inline double goodput_from_failures(const reliability_model& r) {
  const double m = r.system_mtbf_hours;
  if (!std::isfinite(m) || m <= 0.0) throw input_error("reliability: MTBF must be positive");
  if (!std::isfinite(r.checkpoint_write_hours) || r.checkpoint_write_hours < 0.0 ||
      !std::isfinite(r.restart_hours) || r.restart_hours < 0.0) {
    throw input_error("reliability: checkpoint write and restart times must be >= 0");
  }
  const double tau = r.checkpoint_interval_hours ? *r.checkpoint_interval_hours
                                                 : daly_interval(r.checkpoint_write_hours, m);
  if (!std::isfinite(tau) || tau <= 0.0) {
    throw input_error("reliability: the checkpoint interval must be positive");
  }
  const double wall_per_work =
      m * std::exp(r.restart_hours / m) * std::expm1((tau + r.checkpoint_write_hours) / m) / tau;
  const double g = 1.0 / wall_per_work;
  if (!std::isfinite(g) || g <= 0.0) {
    throw input_error("reliability: failures are so frequent that no work completes");
  }
  return g > 1.0 ? 1.0 : g;
}

}  // namespace costmodel
