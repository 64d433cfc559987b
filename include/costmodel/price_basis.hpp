// SPDX-License-Identifier: MIT
// The bases a rental price may be on (`pricing.basis`, `--price-basis`). Chosen in pricing.hpp.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace costmodel {

/// Where the rental price of a run comes from (`pricing.basis`, `--price-basis`).
enum class price_basis {
  reported,    ///< the run's own published price (pricing.usd_per_gpu_hour of its file)
  input,       ///< pricing.usd_per_gpu_hour as given, whatever its source
  on_demand,   ///< the catalogue's on-demand price of the accelerator
  one_year,    ///< its 1-year committed price
  three_year,  ///< its 3-year committed price
  gpu_cloud    ///< a specialised GPU cloud's on-demand price
};

inline constexpr std::array<price_basis, 6> all_price_bases{
    price_basis::reported, price_basis::input,      price_basis::on_demand,
    price_basis::one_year, price_basis::three_year, price_basis::gpu_cloud};

[[nodiscard]] constexpr std::string_view to_string(price_basis b) noexcept {
  switch (b) {
    case price_basis::reported:
      return "reported";
    case price_basis::input:
      return "input";
    case price_basis::on_demand:
      return "on-demand";
    case price_basis::one_year:
      return "1y";
    case price_basis::three_year:
      return "3y";
    case price_basis::gpu_cloud:
      return "gpu-cloud";
  }
  return "?";
}

/// The basis named `name` ("3y"), or nothing.
[[nodiscard]] inline std::optional<price_basis> parse_price_basis(std::string_view name) noexcept {
  for (auto b : all_price_bases) {
    if (to_string(b) == name) return b;
  }
  return std::nullopt;
}

/// "reported, input, on-demand, 1y, 3y, gpu-cloud", for errors and help.
[[nodiscard]] inline std::string price_basis_names() {
  std::string out;
  for (auto b : all_price_bases) {
    if (!out.empty()) out += ", ";
    out += to_string(b);
  }
  return out;
}

}  // namespace costmodel
