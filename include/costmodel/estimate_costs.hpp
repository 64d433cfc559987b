// SPDX-License-Identifier: MIT
// The cost methods of one phase, with the catalogue's defaults filled in and named: rental at
// catalogue prices (on-demand, 1-year, 3-year, GPU cloud; "as of" a year), energy and emissions,
// ownership, purchase and program. Used by estimate().
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "costmodel/cost_inputs.hpp"
#include "costmodel/cost_methods.hpp"
#include "costmodel/energy.hpp"
#include "costmodel/goodput.hpp"
#include "costmodel/hardware.hpp"
#include "costmodel/kernel.hpp"
#include "costmodel/pricing.hpp"
#include "costmodel/scenario.hpp"
#include "costmodel/text.hpp"

namespace costmodel {

/// Julian year in hours, as Epoch counts it (HOURS_PER_YEAR = 24 * 365.25).
inline constexpr double hours_per_julian_year = 8766.0;

namespace detail {

/// Adds `s` to `list` unless it is there already.
inline void note_unique(std::vector<std::string>& list, std::string s) {
  for (const auto& x : list) {
    if (x == s) return;
  }
  list.push_back(std::move(s));
}

/// A number as people write it: 1.64, 0.19, 8766 (printf's "%.6g").
inline number_text num_chars(double v) { return {v, std::chars_format::general, 6, 63}; }

inline std::string num_text(double v) { return std::string(num_chars(v)); }

/// "1.64 (EPOCH-CODE ...; estimate)" for an assumption line.
struct cited {
  double value;
  const sourced_value& source;
};

inline std::size_t text_size(std::string_view s) noexcept { return s.size(); }
inline std::size_t text_size(const cited& c) noexcept {
  return 16 + c.source.source.size() + c.source.status.size();
}
inline void text_append(std::string& out, std::string_view s) { out += s; }
inline void text_append(std::string& out, const cited& c) {
  out += num_chars(c.value);
  out += " (";
  out += c.source.source;
  if (!c.source.status.empty()) {
    out += "; ";
    out += c.source.status;
  }
  out += ')';
}

/// The pieces (text, or cited values) joined into one string, allocated once.
template <class... Part>
std::string concat(const Part&... parts) {
  std::string out;
  out.reserve((text_size(parts) + ...));
  (text_append(out, parts), ...);
  return out;
}

inline std::string cite(double v, const sourced_value& s) { return concat(cited{v, s}); }

/// "$33750" ("$%.0f") for a cost text.
inline number_text usd_chars(double v) { return {v, std::chars_format::fixed, 0, 62}; }

inline std::string cost_usd_text(double v) { return concat("$", usd_chars(v)); }

/// The year whose prices apply: pricing.as_of, else the scenario's date (its publication, as
/// Epoch prices electricity by publication year).
inline std::optional<int> price_year(const run_inputs& in, const scenario& s) {
  if (in.price_as_of) return in.price_as_of;
  return year_of(s.date);
}

/// The catalogue's rental price of `kind` for `acc`, as of `as_of` when given.
std::optional<std::pair<price_rate, std::string>> catalogue_rental(const accelerator_spec& acc,
                                                                   std::string_view kind,
                                                                   std::optional<int> as_of);

/// What the cost methods' plan leaves for the result: the texts and the power model.
struct phase_cost_texts {
  std::map<std::string, std::string> basis;  ///< method -> its inputs, in words
  std::optional<power_model> power;
  std::optional<double> grid_gco2e_per_kwh;
};

/// The power model of `acc` under the scenario's [energy] inputs and the catalogue's defaults,
/// or nothing when the board power is unknown. The defaults used are noted in `notes`, unless it
/// is null (they were noted already: the notes depend on `acc`, `s` and `dc` only).
std::optional<power_model> power_for(const accelerator_spec& acc, const scenario& s,
                                     const datacenter_constants& dc,
                                     std::vector<std::string>* notes);

/// The plan of the cost methods of one phase (energy, emissions, rental variants, ownership,
/// purchase and program): which have inputs, and their constants and point inputs, into `pl`
/// (the kernel computes them). `priced` says whether the phase has a rental price. The defaults
/// used are noted in `notes`, unless it is null: the notes depend only on `acc`,
/// `in.price_as_of`, `s` and the catalogue, so a later phase on the same hardware and prices
/// would only repeat them.
/// Throws: input_error for inputs the methods refuse (see each method).
phase_cost_texts plan_phase_costs(const run_inputs& in, const scenario& s,
                                  const accelerator_spec& acc, const catalogue& cat, bool priced,
                                  phase_plan& pl, std::vector<std::string>* notes);

/// The scenario's [reliability] table resolved to numbers, with the catalogue's defaults
/// (calibrated on Llama 3) for what it leaves out, for `count` accelerators (which the goodput
/// is then computed at).
/// Throws: input_error without a count, or for values the model refuses.
reliability_plan reliability_plan_for(const reliability_inputs& r, std::optional<gpu_count> count,
                                      const datacenter_constants& dc,
                                      std::vector<std::string>& notes);

}  // namespace detail
}  // namespace costmodel
