// SPDX-License-Identifier: MIT
// Forward declarations of the value types, for headers that only pass them by reference.
#pragma once

namespace costmodel {
class efficiency;
class error;
class input_error;
class preset_error;
struct accelerator_spec;
struct accelerator_prices;
struct catalogue;
struct provenance;
struct reported_figures;
struct run_inputs;
struct scenario;
struct claim;
struct phase_result;
struct estimate_result;
struct implied_figures;
struct override_entry;
}  // namespace costmodel
