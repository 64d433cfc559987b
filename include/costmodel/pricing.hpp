// SPDX-License-Identifier: MIT
// Cost methods over accelerator time.
#pragma once

#include "costmodel/quantity.hpp"

namespace costmodel {

/// Rental cost = GPU-hours * price per GPU-hour (the method of DeepSeek-V3's Table 1 and of
/// Epoch AI's cloud estimates for the AI Index 2024). Returns USD.
[[nodiscard]] inline money rental_cost(gpu_time used, price_rate price) { return used * price; }

/// The price per GPU-hour that a reported cost and reported GPU-hours imply.
[[nodiscard]] inline price_rate implied_price(money cost, gpu_time used) { return cost / used; }

}  // namespace costmodel
