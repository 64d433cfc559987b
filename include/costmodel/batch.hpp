// SPDX-License-Identifier: MIT
// Vectorised what-ifs: the closed-form outputs of estimate() recomputed for many values of a few
// numeric inputs, without reloading the scenario for each one.
#pragma once

#include <algorithm>
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
  hfu,                ///< efficiency.hfu, ratio in (0, 1]
  achieved_tflops,    ///< efficiency.achieved_tflops, TFLOPS per accelerator
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
  double gpu_hours = 0.0;                            ///< GPU*h, total over the phases
  double compute_flop = 0.0;                         ///< FLOP
  double wall_clock_days = 0.0;                      ///< days
  double mfu = 0.0;                                  ///< effective MFU of the run
  double cost_usd_rental = 0.0;                      ///< USD
  std::array<double, cost_method_count> cost_usd{};  ///< every cost method, by cost_method
  double energy_kwh = 0.0;                           ///< facility energy, kWh
  double emissions_tco2e = 0.0;                      ///< location-based
  double emissions_market_tco2e = 0.0;               ///< market-based
  bool ok = true;  ///< false when a value is out of range: the scalar path says why
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
      {"efficiency", "hfu", batch_input::hfu},
      {"efficiency", "achieved_tflops", batch_input::achieved_tflops},
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

/// Where each lane of a phase's kernel inputs comes from: a varied key, or the plan's point.
struct batch_phase {
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::array<std::size_t, lane_count> column{};  ///< index into the values of a point, or none
  bool goodput_from_count = false;               ///< [reliability] at a varied count
  // model.parameters and model.active_parameters as given, for the loader's active <= total
  double parameters = 0.0;
  double active_parameters = 0.0;
  std::size_t parameters_column = none;
  std::size_t active_column = none;
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

/// The estimate of one scenario, prepared so that the varied inputs can be swapped in per point:
/// the plan of every phase (kernel.hpp) from the point estimate, and per point the kernel over
/// the plan's numbers with the varied ones put in.
/// Build it from the scenario with every varied key already set (to any valid value) so that
/// each phase takes the same branches as estimate() takes for every point.
class batch_model {
 public:
  /// `s` must already carry the varied keys (load it with overrides for them).
  /// Throws: what estimate() throws.
  batch_model(const scenario& s, const catalogue& cat, std::vector<batch_key> keys)
      : keys_(std::move(keys)), point_(estimate(s, cat, plan_)) {
    std::vector<run_inputs> merged;
    if (s.phases.empty()) {
      merged.push_back(s.base);
    } else {
      for (const auto& ph : s.phases) merged.push_back(detail::merge_phase(s.base, ph));
    }
    for (std::size_t i = 0; i < merged.size(); ++i) phases_.push_back(prepare(merged[i], i));
    presence_ = presence_of(plan_);
    outs_.resize(phases_.size());
    block_outs_.resize(phases_.size());
    block_x_.resize(phases_.size());
    for (std::size_t i = 0; i < phases_.size(); ++i) {
      for (std::size_t l = 0; l < lane_count; ++l) block_x_[i][l] = lanes(plan_.phases[i].x[l]);
    }
    scratch_.resize(keys_.size());
  }

  [[nodiscard]] const std::vector<batch_key>& keys() const noexcept { return keys_; }
  /// The point estimate the model was built from.
  [[nodiscard]] const estimate_result& point() const noexcept { return point_; }
  /// Which totals the run has.
  [[nodiscard]] const total_presence& presence() const noexcept { return presence_; }

  /// The outputs for one point; `values[k]` is the value of keys()[k].
  /// Sets `ok = false` (and leaves the numbers unspecified) when a value is out of the range
  /// the scenario loader accepts, or a figure is not finite; the caller then asks the scalar
  /// path for the exact error. Not thread-safe (it reuses one buffer).
  [[nodiscard]] batch_point evaluate(const double* values) const noexcept {
    batch_point out;
    if (!valid(values)) return fail(out);
    for (std::size_t i = 0; i < phases_.size(); ++i) {
      const auto& p = phases_[i];
      const auto& pl = plan_.phases[i];
      lane_values<double> v = pl.x;
      for (std::size_t l = 0; l < lane_count; ++l) {
        if (p.column[l] != detail::batch_phase::none) v[l] = values[p.column[l]];
      }
      if (p.goodput_from_count) {
        try {
          at(v, lane::goodput) = pl.reliability->goodput_at(at(v, lane::count));
        } catch (...) {
          return fail(out);
        }
      }
      outs_[i] = run_kernel(pl, v);
      bool ok = true;
      check_phase(pl, outs_[i], &ok);
      if (!ok) return fail(out);
    }
    const auto t = kernel_total(plan_, presence_, outs_.data());
    bool ok = true;
    check_total(t, &ok);
    out = point_of(t, 0);
    return ok ? out : fail(out);
  }

  /// The points of a block: up to block_size at once.
  static constexpr std::size_t block_size = lane_width;

  /// The totals of a block of points, and which of them evaluate() would accept.
  struct block_result {
    total_outputs<lanes> total;
    std::array<bool, lane_width> ok{};
  };

  /// The outputs of `n` <= block_size points at once, by the kernel over blocks of lanes (the
  /// same operations in the same order as evaluate(), so the same bits): `values[k].v[j]` is
  /// the value of keys()[k] at point j (lanes from `n` on are computed and ignored). Read point
  /// j with point_of(out.total, j) where out.ok[j]; elsewhere ask the scalar path.
  /// Not thread-safe (it reuses its buffers).
  void evaluate_block(const lanes* values, std::size_t n, block_result& out) const noexcept {
    std::vector<double>& point = scratch_;
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t k = 0; k < keys_.size(); ++k) point[k] = values[k].v[j];
      out.ok[j] = valid(point.data());
    }
    std::fill(out.ok.begin() + static_cast<std::ptrdiff_t>(n), out.ok.end(), false);
    for (std::size_t i = 0; i < phases_.size(); ++i) {
      const auto& p = phases_[i];
      const auto& pl = plan_.phases[i];
      auto& v = block_x_[i];  // the plan's point in every lane but the varied ones
      for (std::size_t l = 0; l < lane_count; ++l) {
        if (p.column[l] != detail::batch_phase::none) v[l] = values[p.column[l]];
      }
      if (p.goodput_from_count) {
        pl.reliability->goodput_lanes(at(v, lane::count), at(v, lane::goodput), n, out.ok.data());
      }
      block_outs_[i] = run_kernel(pl, v);
      check_phase(pl, block_outs_[i], out.ok.data());
    }
    out.total = kernel_total(plan_, presence_, block_outs_.data());
    check_total(out.total, out.ok.data());
  }

  /// Point `j` of totals `t` (a point's, or a block's), with NaN where the run has no value.
  template <class T>
  [[nodiscard]] batch_point point_of(const total_outputs<T>& t, std::size_t j) const noexcept {
    batch_point out;
    const double nan = detail::nan_of();
    const double flop = lane_value(t.compute, j);
    const double peak_work = lane_value(t.peak_work, j);
    out.gpu_hours = lane_value(t.gpu_hours, j);
    out.compute_flop = presence_.compute && flop > 0.0 ? flop : nan;
    out.wall_clock_days = presence_.wall_clock ? lane_value(t.wall_hours, j) / hours_per_day : nan;
    out.mfu = peak_work > 0.0 ? lane_value(t.mfu, j) : nan;
    for (std::size_t m = 0; m < cost_method_count; ++m) {
      out.cost_usd[m] = presence_.has[m] ? lane_value(t.cost[m], j) : nan;
    }
    out.cost_usd_rental = out.cost_usd[static_cast<std::size_t>(cost_method::rental)];
    out.energy_kwh = presence_.energy ? lane_value(t.energy_kwh, j) : nan;
    out.emissions_tco2e = presence_.emits ? lane_value(t.emissions_tco2e, j) : nan;
    out.emissions_market_tco2e =
        presence_.emits_market ? lane_value(t.emissions_market_tco2e, j) : nan;
    return out;
  }

 private:
  static batch_point& fail(batch_point& p) {
    p.ok = false;
    return p;
  }

  /// Clears `ok[j]` where the phase's outputs fail estimate()'s checks (estimate.hpp
  /// require_finite): a finite, positive compute; a positive MFU, and an implied one not above
  /// 1; finite, positive GPU-hours; finite costs. Over every lane of a block (those past its
  /// points too), branch-free, so that the loops vectorise.
  template <class T>
  static void check_phase(const phase_plan& pl, const phase_outputs<T>& o, bool* ok) noexcept {
    const auto all = [&](const T& x, auto pred) {
      for (std::size_t j = 0; j < lane_count_of<T>; ++j) ok[j] = ok[j] & pred(lane_value(x, j));
    };
    const auto positive = [](double v) { return std::isfinite(v) & (v > 0.0); };
    const auto finite = [](double v) { return std::isfinite(v); };
    if (pl.compute != compute_source::unknown) all(o.compute, positive);
    if (pl.modelled()) all(o.mfu, positive);
    if (pl.mfu == mfu_source::implied) all(o.mfu, [](double v) { return v <= 1.0; });
    all(o.gpu_hours, positive);
    for (std::size_t m = 0; m < cost_method_count; ++m) {
      if (pl.has[m]) all(o.cost[m], finite);
    }
  }

  /// Clears `ok[j]` where the run's total peak work is not finite.
  template <class T>
  static void check_total(const total_outputs<T>& t, bool* ok) noexcept {
    for (std::size_t j = 0; j < lane_count_of<T>; ++j) {
      ok[j] = ok[j] & std::isfinite(lane_value(t.peak_work, j));
    }
  }

  /// The loader's range checks (presets.cpp `constraint`), so that a point the scalar path
  /// would reject is never computed here.
  [[nodiscard]] bool valid(const double* values) const noexcept {
    for (std::size_t k = 0; k < keys_.size(); ++k) {
      const double v = values[k];
      if (!std::isfinite(v) || !(v > 0.0)) return false;
      switch (keys_[k].input) {
        case batch_input::mfu:
        case batch_input::hfu:
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
      const auto none = detail::batch_phase::none;
      const double n = p.parameters_column != none ? values[p.parameters_column] : p.parameters;
      const double a = p.active_column != none ? values[p.active_column] : p.active_parameters;
      if (!std::isnan(n) && !std::isnan(a) && a > n) return false;
    }
    return true;
  }

  /// The lanes of phase `index` that the varied keys drive: a key drives a lane only where the
  /// plan reads that key (as estimate() would with it set).
  detail::batch_phase prepare(const run_inputs& m, std::size_t index) const {
    detail::batch_phase p;
    const auto& pl = plan_.phases[index];
    const double nan = detail::nan_of();
    p.column.fill(detail::batch_phase::none);
    p.parameters = m.parameters.value_or(nan);
    p.active_parameters = m.active_parameters.value_or(nan);
    const bool per_token = pl.compute == compute_source::per_token;
    for (std::size_t k = 0; k < keys_.size(); ++k) {
      if (keys_[k].phase && *keys_[k].phase != index) continue;
      std::optional<lane> l;
      switch (keys_[k].input) {
        case batch_input::mfu:
        case batch_input::hfu:
        case batch_input::achieved_tflops: {
          // The key the plan's utilisation lane carries (set it first, as for every key).
          const auto u = keys_[k].input == batch_input::mfu   ? utilisation_input::mfu
                         : keys_[k].input == batch_input::hfu ? utilisation_input::hfu
                                                              : utilisation_input::achieved_tflops;
          if (pl.mfu == mfu_source::input && pl.mfu_key == u) l = lane::mfu;
          break;
        }
        case batch_input::goodput:
          if (pl.goodput == goodput_source::input) l = lane::goodput;
          break;
        case batch_input::usd_per_gpu_hour:
          if (price_from_key(pl.price)) l = lane::usd_per_gpu_hour;
          break;
        case batch_input::count:
          l = lane::count;
          break;
        case batch_input::tokens:
          if (per_token) l = lane::tokens;
          break;
        case batch_input::parameters:
          p.parameters_column = k;
          if (per_token && pl.active_from_parameters) l = lane::active_parameters;
          break;
        case batch_input::active_parameters:
          p.active_column = k;
          if (per_token && !pl.active_from_parameters) l = lane::active_parameters;
          break;
        case batch_input::compute_flop:
          if (pl.compute == compute_source::input) l = lane::compute_flop;
          break;
      }
      if (l) p.column[static_cast<std::size_t>(*l)] = k;
    }
    p.goodput_from_count =
        pl.goodput == goodput_source::reliability &&
        p.column[static_cast<std::size_t>(lane::count)] != detail::batch_phase::none;
    return p;
  }

  std::vector<batch_key> keys_;
  run_plan plan_;
  estimate_result point_;
  total_presence presence_;
  std::vector<detail::batch_phase> phases_;
  mutable std::vector<phase_outputs<double>> outs_;
  mutable std::vector<phase_outputs<lanes>> block_outs_;
  mutable std::vector<lane_values<lanes>> block_x_;
  mutable std::vector<double> scratch_;
};

}  // namespace costmodel
