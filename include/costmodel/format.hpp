// SPDX-License-Identifier: MIT
// fmt formatters for the public quantities (opt-in): "{:.2f}" formats the number in the
// library's unit and appends an ASCII symbol, e.g. "2500.00 USD", "2.49 USD/GPU-h".
#pragma once

#include <fmt/format.h>

#include "costmodel/efficiency.hpp"
#include "costmodel/quantity.hpp"

namespace costmodel::detail {
template <class Quantity>
struct unit_symbol;
// clang-format off
template <> struct unit_symbol<money>        { static constexpr const char* value = " USD"; };
template <> struct unit_symbol<compute>      { static constexpr const char* value = " FLOP"; };
template <> struct unit_symbol<gpu_time>     { static constexpr const char* value = " GPU-h"; };
template <> struct unit_symbol<gpu_count>    { static constexpr const char* value = " GPU"; };
template <> struct unit_symbol<duration>     { static constexpr const char* value = " h"; };
template <> struct unit_symbol<price_rate>   { static constexpr const char* value = " USD/GPU-h"; };
template <> struct unit_symbol<compute_rate> { static constexpr const char* value = " FLOP/GPU-h"; };
template <> struct unit_symbol<memory>       { static constexpr const char* value = " B"; };
// clang-format on

template <class Quantity>
struct quantity_formatter : fmt::formatter<double> {
  template <class FormatContext>
  auto format(const Quantity& q, FormatContext& ctx) const -> decltype(ctx.out()) {
    auto out = fmt::formatter<double>::format(q.value(), ctx);
    for (const char* s = unit_symbol<Quantity>::value; *s; ++s) *out++ = *s;
    return out;
  }
};
}  // namespace costmodel::detail

// clang-format off
template <> struct fmt::formatter<costmodel::money>        : costmodel::detail::quantity_formatter<costmodel::money> {};
template <> struct fmt::formatter<costmodel::compute>      : costmodel::detail::quantity_formatter<costmodel::compute> {};
template <> struct fmt::formatter<costmodel::gpu_time>     : costmodel::detail::quantity_formatter<costmodel::gpu_time> {};
template <> struct fmt::formatter<costmodel::gpu_count>    : costmodel::detail::quantity_formatter<costmodel::gpu_count> {};
template <> struct fmt::formatter<costmodel::duration>     : costmodel::detail::quantity_formatter<costmodel::duration> {};
template <> struct fmt::formatter<costmodel::price_rate>   : costmodel::detail::quantity_formatter<costmodel::price_rate> {};
template <> struct fmt::formatter<costmodel::compute_rate> : costmodel::detail::quantity_formatter<costmodel::compute_rate> {};
template <> struct fmt::formatter<costmodel::memory>       : costmodel::detail::quantity_formatter<costmodel::memory> {};
// clang-format on

/// An efficiency formats as its ratio.
template <>
struct fmt::formatter<costmodel::efficiency> : fmt::formatter<double> {
  template <class FormatContext>
  auto format(const costmodel::efficiency& e, FormatContext& ctx) const -> decltype(ctx.out()) {
    return fmt::formatter<double>::format(e.ratio(), ctx);
  }
};
