// SPDX-License-Identifier: MIT
// Compile-time tests of the dimension algebra: building this file is passing.
#include <type_traits>
#include <utility>

#include "costmodel/costmodel.hpp"

namespace costmodel::static_test {

template <class A, class B, class = void>
struct can_add : std::false_type {};
template <class A, class B>
struct can_add<A, B, std::void_t<decltype(std::declval<A>() + std::declval<B>())>>
    : std::true_type {};

template <class A, class B, class R, class = void>
struct multiplies_to : std::false_type {};
template <class A, class B, class R>
struct multiplies_to<A, B, R, std::void_t<decltype(std::declval<A>() * std::declval<B>())>>
    : std::is_same<std::remove_cvref_t<decltype(std::declval<A>() * std::declval<B>())>, R> {};

template <class A, class B, class R, class = void>
struct divides_to : std::false_type {};
template <class A, class B, class R>
struct divides_to<A, B, R, std::void_t<decltype(std::declval<A>() / std::declval<B>())>>
    : std::is_same<std::remove_cvref_t<decltype(std::declval<A>() / std::declval<B>())>, R> {};

// Money never mixes with compute, time or plain numbers.
static_assert(!can_add<money, compute>::value, "USD + FLOP must not compile");
static_assert(!can_add<money, duration>::value);
static_assert(!can_add<gpu_time, duration>::value, "GPU-hours are not hours");
static_assert(!can_add<money, double>::value);
static_assert(can_add<money, money>::value);
static_assert(!std::is_convertible_v<double, money>, "raw numbers are not dollars");
static_assert(!std::is_convertible_v<double, compute>);

// A price per GPU-hour times GPU-hours is money; times plain hours it is not.
static_assert(multiplies_to<price_rate, gpu_time, money>::value);
static_assert(!multiplies_to<price_rate, duration, money>::value,
              "USD/(GPU*h) x h must not give USD");
static_assert(
    !std::is_convertible_v<decltype(std::declval<price_rate>() * std::declval<duration>()), money>);

// Compute over (rate x MFU) is GPU time; GPU time over a count is wall-clock time.
static_assert(divides_to<compute, compute_rate, gpu_time>::value);
static_assert(divides_to<gpu_time, gpu_count, duration>::value);
static_assert(multiplies_to<gpu_count, duration, gpu_time>::value);
static_assert(divides_to<money, gpu_time, price_rate>::value);

// A FLOP rate is not a frequency: compute / time keeps the compute dimension.
static_assert(!std::is_same_v<decltype(std::declval<compute>() / std::declval<duration>()),
                              decltype(std::declval<double>() / std::declval<duration>())>);

// efficiency is not a double in disguise.
static_assert(!std::is_convertible_v<double, efficiency>);
static_assert(!std::is_convertible_v<efficiency, double>);

}  // namespace costmodel::static_test
