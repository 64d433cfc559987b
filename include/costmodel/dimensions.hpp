// SPDX-License-Identifier: MIT
// The base dimensions of costmodel: the only file that assigns Boost.Units ordinals.
#pragma once

#include <boost/units/base_dimension.hpp>
#include <boost/units/derived_dimension.hpp>
#include <boost/units/physical_dimensions/information.hpp>
#include <boost/units/physical_dimensions/time.hpp>

namespace costmodel {

// clang-format off
// | ordinal | base dimension | base unit | why it is a dimension                            |
// | ------- | -------------- | --------- | ------------------------------------------------ |
// | 1       | currency       | USD       | money must never mix with plain numbers          |
// | 2       | compute        | FLOP      | else FLOP/s equals Hz and FLOP counts are bare   |
// | 3       | accelerator    | GPU       | else a USD per GPU-hour price accepts any hours  |
// | Boost   | time           | hour      | cloud prices are hourly (metric::hour_base_unit) |
// | Boost   | information    | byte      | reused (ordinal -700); never define a second one |
// Boost itself uses -9..-1 and -700: a reused ordinal fails with "check_double_register".
struct currency_base_dimension    : boost::units::base_dimension<currency_base_dimension, 1> {};
struct compute_base_dimension     : boost::units::base_dimension<compute_base_dimension, 2> {};
struct accelerator_base_dimension : boost::units::base_dimension<accelerator_base_dimension, 3> {};
// clang-format on

using currency_dimension = currency_base_dimension::dimension_type;
using compute_dimension = compute_base_dimension::dimension_type;
using accelerator_dimension = accelerator_base_dimension::dimension_type;
using time_dimension = boost::units::time_dimension;
using information_dimension = boost::units::information_dimension;

}  // namespace costmodel
