// SPDX-License-Identifier: MIT
// Quantity aliases, value_in() and the named makers used at I/O boundaries.
#pragma once

#include <boost/units/quantity.hpp>

#include "costmodel/units.hpp"

namespace costmodel {

// clang-format off
using money        = boost::units::quantity<units::money_unit>;         ///< USD
using duration     = boost::units::quantity<units::time_unit>;          ///< hours
using gpu_count    = boost::units::quantity<units::gpu_unit>;           ///< GPU
using gpu_time     = boost::units::quantity<units::gpu_time_unit>;      ///< GPU*h
using compute      = boost::units::quantity<units::compute_unit>;       ///< FLOP
using compute_rate = boost::units::quantity<units::compute_rate_unit>;  ///< FLOP/(GPU*h)
using price_rate   = boost::units::quantity<units::price_rate_unit>;    ///< USD/(GPU*h)
using memory       = boost::units::quantity<units::memory_unit>;        ///< bytes
// clang-format on

inline constexpr double seconds_per_hour = 3600.0;
inline constexpr double hours_per_day = 24.0;

/// The number in `q` expressed in `unit`; the only sanctioned way out of a quantity.
/// Example: `value_in(cost, units::usd)`.
template <class Unit, class Y>
[[nodiscard]] constexpr Y value_in(const boost::units::quantity<Unit, Y>& q, Unit /*unit*/) {
  return q.value();
}

/// Makers for the I/O edges, each naming its unit.
[[nodiscard]] inline money money_from_usd(double usd) { return usd * units::usd; }
[[nodiscard]] inline compute compute_from_flop(double flop) { return flop * units::flop; }
[[nodiscard]] inline gpu_count gpus(double count) { return count * units::gpu; }
[[nodiscard]] inline gpu_time gpu_time_from_gpu_hours(double h) { return h * units::gpu_hour; }
[[nodiscard]] inline duration duration_from_hours(double h) { return h * units::hour; }
[[nodiscard]] inline duration duration_from_days(double d) {
  return d * hours_per_day * units::hour;
}
[[nodiscard]] inline price_rate price_rate_from_usd_per_gpu_hour(double usd) {
  return usd * units::usd_per_gpu_hour;
}
/// A peak rate given in TFLOPS (10^12 FLOP per second per accelerator).
[[nodiscard]] inline compute_rate compute_rate_from_tflops(double tflops) {
  return tflops * 1e12 * seconds_per_hour * units::flop_per_gpu_hour;
}
/// The rate in TFLOPS (10^12 FLOP per second per accelerator).
[[nodiscard]] inline double tflops_of(compute_rate r) {
  return value_in(r, units::flop_per_gpu_hour) / (1e12 * seconds_per_hour);
}
[[nodiscard]] inline memory memory_from_gb(double gb) { return gb * 1e9 * units::byte; }
[[nodiscard]] inline double days_of(duration d) { return value_in(d, units::hour) / hours_per_day; }

}  // namespace costmodel
