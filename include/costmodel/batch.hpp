// SPDX-License-Identifier: MIT
// Vectorised what-ifs: the closed-form outputs of estimate() recomputed for many values of a few
// numeric inputs, without reloading the scenario for each one.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "costmodel/error.hpp"
#include "costmodel/estimate.hpp"
#include "costmodel/scenario.hpp"

namespace costmodel {

/// The numeric inputs a batch can vary, each the value of one scenario key.
enum class batch_input {
  mfu,                ///< efficiency.mfu, ratio in (0, 1]
  goodput,            ///< efficiency.goodput, ratio in (0, 1]
  usd_per_gpu_hour,   ///< pricing.usd_per_gpu_hour, USD/(GPU*h)
  count,              ///< hardware.count, accelerators (whole)
  tokens,             ///< training.tokens, count
  parameters,         ///< model.parameters, count
  active_parameters,  ///< model.active_parameters, count
  compute_flop,       ///< training.compute_flop, FLOP
};

/// One varied key: an input, for every phase (`phase` empty, a top-level key such as
/// "efficiency.mfu") or for one phase ("phases.pre-training.efficiency.mfu").
struct batch_key {
  std::string key;  ///< as given
  batch_input input = batch_input::mfu;
  std::optional<std::size_t> phase;
};

/// The outputs of one point; NaN where estimate() has no value (no price, no count...).
struct batch_point {
  double gpu_hours = 0.0;        ///< GPU*h, total over the phases
  double compute_flop = 0.0;     ///< FLOP
  double wall_clock_days = 0.0;  ///< days
  double mfu = 0.0;              ///< effective MFU of the run
  double cost_usd_rental = 0.0;  ///< USD
  bool ok = true;                ///< false when a value is out of range: the scalar path says why
};

namespace detail {

struct batch_field {
  std::string section;
  std::string name;
  batch_input input;
};

inline const std::vector<batch_field>& batch_fields() {
  static const std::vector<batch_field> f{
      {"efficiency", "mfu", batch_input::mfu},
      {"efficiency", "goodput", batch_input::goodput},
      {"pricing", "usd_per_gpu_hour", batch_input::usd_per_gpu_hour},
      {"hardware", "count", batch_input::count},
      {"training", "tokens", batch_input::tokens},
      {"model", "parameters", batch_input::parameters},
      {"model", "active_parameters", batch_input::active_parameters},
      {"training", "compute_flop", batch_input::compute_flop},
  };
  return f;
}

inline std::string batch_supported_keys() {
  std::string s;
  for (const auto& f : batch_fields()) {
    if (!s.empty()) s += ", ";
    s += f.section + "." + f.name;
  }
  return s;
}

/// A phase's inputs as plain numbers (NaN when absent) and where each varied one comes from.
struct batch_phase {
  static constexpr std::size_t n_inputs = 8;
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::array<double, n_inputs> in{};           // by batch_input
  std::array<std::size_t, n_inputs> column{};  // index into the values of a point, or none
  enum class source { fixed, input, six_nd, implied };
  source compute_from = source::fixed;  // "input", "6ND", else a constant ("reported")
  source mfu_from = source::fixed;      // "input", "implied", else a constant
  bool modelled = false;                // GPU-hours modelled (else reported, a constant)
  double gpu_hours = 0.0;               // when reported
  double compute = std::numeric_limits<double>::quiet_NaN();  // when reported or unknown
  double mfu = 0.0;                                           // when reported or default
  double peak = 0.0;                                          // FLOP/(GPU*h)
  bool has_count = false;
  double wall_hours = std::numeric_limits<double>::quiet_NaN();  // when reported
  bool priced = false;
  // Implied MFU: reported GPU-hours and the peak and goodput they were measured at.
  double implied_used = 0.0;
  double implied_peak = 0.0;
  std::optional<double> implied_goodput;  // reported_on.goodput, else the phase's goodput
};

inline double nan_of() { return std::numeric_limits<double>::quiet_NaN(); }

}  // namespace detail

/// Parses a varied key: "efficiency.mfu" (every phase) or "phases.<name or index>.efficiency.mfu".
/// Throws: input_error naming the supported keys, or the phases of `s`.
[[nodiscard]] inline batch_key parse_batch_key(std::string_view key, const scenario& s) {
  batch_key out;
  out.key = std::string(key);
  std::string rest(key);
  if (rest.rfind("phases.", 0) == 0) {
    rest = rest.substr(7);
    const auto dot = rest.find('.');
    const std::string label = rest.substr(0, dot);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < s.phases.size(); ++i) {
      names.push_back(s.phases[i].name);
      if (s.phases[i].name == label || detail::integer_text(i) == label) out.phase = i;
    }
    if (!out.phase || dot == std::string::npos) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      throw input_error("evaluate: key '" + out.key + "': no phase '" + label +
                        "'; expected one of: " + (known.empty() ? "(no phases)" : known));
    }
    rest = rest.substr(dot + 1);
  }
  for (const auto& f : detail::batch_fields()) {
    if (rest == f.section + "." + f.name) {
      out.input = f.input;
      return out;
    }
  }
  throw input_error("evaluate: key '" + out.key +
                    "' cannot be varied in a vectorised evaluation; expected one of: " +
                    detail::batch_supported_keys() + " (optionally as phases.<name>.<key>)");
}

/// The estimate of one scenario, prepared so that the varied inputs can be swapped in per point.
/// Build it from the scenario with every varied key already set (to any valid value) so that
/// each phase takes the same branches as estimate() takes for every point.
class batch_model {
 public:
  /// `s` must already carry the varied keys (load it with overrides for them).
  /// Throws: what estimate() throws.
  batch_model(const scenario& s, const catalogue& cat, std::vector<batch_key> keys)
      : keys_(std::move(keys)) {
    const auto e = estimate(s, cat);
    std::vector<run_inputs> merged;
    if (s.phases.empty()) {
      merged.push_back(s.base);
    } else {
      for (const auto& ph : s.phases) merged.push_back(detail::merge_phase(s.base, ph));
    }
    for (std::size_t i = 0; i < e.phases.size(); ++i) {
      phases_.push_back(prepare(merged[i], e.phases[i], i, cat));
    }
    all_priced_ = e.total.cost.count("rental") > 0;
  }

  [[nodiscard]] const std::vector<batch_key>& keys() const noexcept { return keys_; }

  /// The outputs for one point; `values[k]` is the value of keys()[k].
  /// Sets `ok = false` (and leaves the numbers unspecified) when a value is out of the range
  /// the scenario loader accepts; the caller then asks the scalar path for the exact error.
  [[nodiscard]] batch_point evaluate(const double* values) const noexcept {
    batch_point out;
    if (!valid(values)) {
      out.ok = false;
      return out;
    }
    double gh_total = 0.0;
    double c_sum = 0.0;
    double wall = 0.0;
    bool wall_known = true;
    double rental = 0.0;
    double peak_work = 0.0;
    double c_known = 0.0;
    for (const auto& p : phases_) {
      std::array<double, detail::batch_phase::n_inputs> in{};
      for (std::size_t k = 0; k < in.size(); ++k) {
        in[k] = p.column[k] != detail::batch_phase::none ? values[p.column[k]] : p.in[k];
      }
      auto at = [&](batch_input b) { return in[static_cast<std::size_t>(b)]; };
      const double goodput = std::isnan(at(batch_input::goodput)) ? 1.0 : at(batch_input::goodput);

      // Compute, as in estimate_phase: given, else 6 * N_active * D, else reported.
      double c = p.compute;
      using src = detail::batch_phase::source;
      if (p.compute_from == src::input) {
        c = at(batch_input::compute_flop);
      } else if (p.compute_from == src::six_nd) {
        const double active = std::isnan(at(batch_input::active_parameters))
                                  ? at(batch_input::parameters)
                                  : at(batch_input::active_parameters);
        c = 6.0 * active * at(batch_input::tokens);  // Kaplan et al. 2020, section 2.1
        if (!std::isfinite(c)) return fail(out);
      }

      double gh = p.gpu_hours;
      if (p.modelled) {
        double mfu = p.mfu;
        if (p.mfu_from == src::input) {
          mfu = at(batch_input::mfu);
        } else if (p.mfu_from == src::implied) {
          // implied_mfu(): C / (reported GPU-hours * goodput * peak), the order of compute.hpp.
          const double good = p.implied_goodput ? *p.implied_goodput : goodput;
          mfu = c / (p.implied_used * good * p.implied_peak);
        }
        if (!(mfu > 0.0) || !std::isfinite(mfu)) return fail(out);
        gh = c / (p.peak * mfu) / goodput;  // compute.hpp gpu_time_for, same order
        if (!std::isfinite(gh)) return fail(out);
      }
      gh_total += gh;
      if (!std::isnan(c)) c_sum += c;
      if (p.has_count) {
        wall += gh / at(batch_input::count);
      } else if (!std::isnan(p.wall_hours)) {
        wall += p.wall_hours;
      } else {
        wall_known = false;
      }
      if (p.priced) rental += gh * at(batch_input::usd_per_gpu_hour);
      if (!std::isnan(c) && p.peak > 0.0) {
        peak_work += gh * goodput * p.peak;
        c_known += c;
      }
    }
    out.gpu_hours = gh_total;
    out.compute_flop = c_sum > 0.0 ? c_sum : detail::nan_of();
    out.wall_clock_days = wall_known ? wall / hours_per_day : detail::nan_of();
    out.cost_usd_rental = all_priced_ ? rental : detail::nan_of();
    out.mfu = peak_work > 0.0 ? c_known / peak_work : detail::nan_of();
    return out;
  }

 private:
  static batch_point& fail(batch_point& p) {
    p.ok = false;
    return p;
  }

  /// The loader's range checks (presets.cpp `constraint`), so that a point the scalar path
  /// would reject is never computed here.
  [[nodiscard]] bool valid(const double* values) const noexcept {
    for (std::size_t k = 0; k < keys_.size(); ++k) {
      const double v = values[k];
      if (!std::isfinite(v) || !(v > 0.0)) return false;
      switch (keys_[k].input) {
        case batch_input::mfu:
        case batch_input::goodput:
          if (v > 1.0) return false;
          break;
        case batch_input::count:
          if (v < 1.0 || std::floor(v) != v) return false;
          break;
        default:
          break;
      }
    }
    for (const auto& p : phases_) {
      const auto ip = static_cast<std::size_t>(batch_input::parameters);
      const auto ia = static_cast<std::size_t>(batch_input::active_parameters);
      const auto none = detail::batch_phase::none;
      const double n = p.column[ip] != none ? values[p.column[ip]] : p.in[ip];
      const double a = p.column[ia] != none ? values[p.column[ia]] : p.in[ia];
      if (!std::isnan(n) && !std::isnan(a) && a > n) return false;
    }
    return true;
  }

  detail::batch_phase prepare(const run_inputs& m, const phase_result& r, std::size_t index,
                              const catalogue& cat) const {
    detail::batch_phase p;
    const double nan = detail::nan_of();
    auto set = [&](batch_input b, double v) { p.in[static_cast<std::size_t>(b)] = v; };
    set(batch_input::mfu, m.mfu ? m.mfu->ratio() : nan);
    set(batch_input::goodput, m.goodput ? m.goodput->ratio() : nan);
    set(batch_input::usd_per_gpu_hour, r.price ? value_in(*r.price, units::usd_per_gpu_hour) : nan);
    set(batch_input::count, m.count ? value_in(*m.count, units::gpu) : nan);
    set(batch_input::tokens, m.tokens.value_or(nan));
    set(batch_input::parameters, m.parameters.value_or(nan));
    set(batch_input::active_parameters, m.active_parameters.value_or(nan));
    set(batch_input::compute_flop, m.compute_flop ? value_in(*m.compute_flop, units::flop) : nan);
    p.column.fill(detail::batch_phase::none);
    for (std::size_t k = 0; k < keys_.size(); ++k) {
      if (!keys_[k].phase || *keys_[k].phase == index) {
        p.column[static_cast<std::size_t>(keys_[k].input)] = k;
      }
    }
    using src = detail::batch_phase::source;
    if (r.compute_basis == "input") p.compute_from = src::input;
    if (r.compute_basis == "6ND") p.compute_from = src::six_nd;
    if (r.mfu_basis == "input") p.mfu_from = src::input;
    if (r.mfu_basis == "implied") p.mfu_from = src::implied;
    p.modelled = r.gpu_hours_basis == "modelled";
    p.gpu_hours = value_in(r.gpu_hours, units::gpu_hour);
    if (r.compute_flop) p.compute = value_in(*r.compute_flop, units::flop);
    if (r.mfu) p.mfu = *r.mfu;
    if (r.peak) p.peak = value_in(*r.peak, units::flop_per_gpu_hour);
    p.has_count = r.count.has_value();
    if (!p.has_count && r.wall_clock) p.wall_hours = value_in(*r.wall_clock, units::hour);
    p.priced = r.price.has_value();
    if (p.modelled && r.mfu_basis == "implied") {
      const auto acc_id =
          m.reported_on.accelerator ? *m.reported_on.accelerator : m.accelerator.value_or("");
      const auto prec = m.reported_on.precision ? m.reported_on.precision : m.precision;
      const auto mprec = r.implied.mfu_precision ? r.implied.mfu_precision : prec;
      p.implied_used = value_in(m.reported.gpu_hours.value(), units::gpu_hour);
      p.implied_peak = value_in(cat.at(acc_id).peak_at(mprec.value()), units::flop_per_gpu_hour);
      if (m.reported_on.goodput) p.implied_goodput = m.reported_on.goodput->ratio();
    }
    return p;
  }

  std::vector<batch_key> keys_;
  std::vector<detail::batch_phase> phases_;
  bool all_priced_ = false;
};

}  // namespace costmodel
