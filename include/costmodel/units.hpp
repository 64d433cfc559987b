// SPDX-License-Identifier: MIT
// Base units, the costmodel unit system and its unit constants (costmodel::units).
#pragma once

#include <boost/units/base_unit.hpp>
#include <boost/units/base_units/information/byte.hpp>
#include <boost/units/base_units/metric/hour.hpp>
#include <boost/units/make_system.hpp>
#include <boost/units/unit.hpp>

#include "costmodel/dimensions.hpp"

namespace costmodel {

// clang-format off
struct usd_base_unit : boost::units::base_unit<usd_base_unit, currency_dimension, 1> {
  static constexpr const char* name() { return "US dollar"; }
  static constexpr const char* symbol() { return "USD"; }
};
struct flop_base_unit : boost::units::base_unit<flop_base_unit, compute_dimension, 2> {
  static constexpr const char* name() { return "floating-point operation"; }
  static constexpr const char* symbol() { return "FLOP"; }
};
struct gpu_base_unit : boost::units::base_unit<gpu_base_unit, accelerator_dimension, 3> {
  static constexpr const char* name() { return "accelerator"; }
  static constexpr const char* symbol() { return "GPU"; }
};
// clang-format on

/// The costmodel unit system: USD, FLOP, GPU, hour, byte.
using unit_system = boost::units::make_system<usd_base_unit, flop_base_unit, gpu_base_unit,
                                              boost::units::metric::hour_base_unit,
                                              boost::units::information::byte_base_unit>::type;

namespace units {

// clang-format off
using money_unit        = boost::units::unit<currency_dimension, unit_system>;
using compute_unit      = boost::units::unit<compute_dimension, unit_system>;
using gpu_unit          = boost::units::unit<accelerator_dimension, unit_system>;
using time_unit         = boost::units::unit<time_dimension, unit_system>;
using memory_unit       = boost::units::unit<information_dimension, unit_system>;
using gpu_time_unit     = decltype(gpu_unit{} * time_unit{});
using compute_rate_unit = decltype(compute_unit{} / (gpu_unit{} * time_unit{}));
using price_rate_unit   = decltype(money_unit{} / (gpu_unit{} * time_unit{}));

inline constexpr money_unit        usd{};
inline constexpr compute_unit      flop{};
inline constexpr gpu_unit          gpu{};
inline constexpr time_unit         hour{};
inline constexpr memory_unit       byte{};
inline constexpr gpu_time_unit     gpu_hour{};
inline constexpr compute_rate_unit flop_per_gpu_hour{};
inline constexpr price_rate_unit   usd_per_gpu_hour{};
// clang-format on

}  // namespace units
}  // namespace costmodel
