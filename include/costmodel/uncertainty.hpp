// SPDX-License-Identifier: MIT
// Monte Carlo propagation of uncertain inputs (ranges) through the closed-form model: a seeded,
// platform-independent generator, a fast evaluator that equals estimate() on perturbed inputs,
// and P5/P50/P95 of every output.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "costmodel/detail/budget.hpp"
#include "costmodel/error.hpp"
#include "costmodel/estimate.hpp"
#include "costmodel/estimate_costs.hpp"
#include "costmodel/kernel.hpp"
#include "costmodel/parse.hpp"
#include "costmodel/range.hpp"
#include "costmodel/scenario.hpp"

#if defined(__linux__)
#include <sys/mman.h>  // madvise(MADV_HUGEPAGE) for the Monte Carlo's column store
#endif

namespace costmodel {

// ---------------------------------------------------------------------------------------------
// Random numbers. The standard library's distributions are implementation-defined, so the
// transforms are written here and a seed gives the same samples on every platform.

/// SplitMix64 (Steele, Lea and Flood 2014, "Fast splittable pseudorandom number generators";
/// the constants of Vigna's reference code): expands a 64-bit seed into generator state.
[[nodiscard]] constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31U);
}

/// xoshiro256** 1.0 (Blackman and Vigna 2018, "Scrambled linear pseudorandom number
/// generators"), seeded through SplitMix64 as its authors recommend.
class xoshiro256ss {
 public:
  explicit constexpr xoshiro256ss(std::uint64_t seed) noexcept {
    for (auto& w : s_) w = splitmix64(seed);
  }
  constexpr std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5U, 7) * 9U;
    const std::uint64_t t = s_[1] << 17U;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// A double in [0, 1): the top 53 bits times 2^-53.
  constexpr double uniform() noexcept { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }
  /// A double in (0, 1): never 0, so its logarithm is finite.
  constexpr double open_uniform() noexcept {
    return (static_cast<double>(next() >> 11U) + 0.5) * 0x1.0p-53;
  }
  /// A standard normal variate by the Box-Muller transform (Box and Muller 1958); one of the
  /// pair is used so that every draw takes exactly two numbers from the stream.
  double normal() noexcept {
    const double u1 = open_uniform();
    const double u2 = uniform();
    constexpr double two_pi = 6.283185307179586476925;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2);
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << static_cast<unsigned>(k)) | (x >> static_cast<unsigned>(64 - k));
  }
  std::array<std::uint64_t, 4> s_{};
};

/// One draw from `r`: inverse CDF for uniform and triangular ranges; exp of a normal variate
/// for lognormal ones, whose low and high are the 5th and 95th percentiles.
[[nodiscard]] inline double draw(const uncertain_input& r, xoshiro256ss& rng) noexcept {
  if (r.dist == distribution::lognormal) {
    return std::exp(r.log_mu() + r.log_sigma() * rng.normal());
  }
  return r.at_quantile(rng.uniform());
}

/// Fills `out[0..n)` with draws from `r`, for the Monte Carlo's column store: the same
/// distributions as draw(), in one tight loop per range. Normal variates come in pairs from the
/// Marsaglia polar method (Marsaglia and Bray 1964, "A convenient method for generating normal
/// variables"), which needs one logarithm and one square root per pair instead of Box-Muller's
/// logarithm, square root and cosine per variate; both of a pair are used, and an odd `n`
/// discards the last one. The numbers taken from `rng` depend only on `r` and `n`, so a seed
/// reproduces the draws on every platform.
inline void draw_into(const uncertain_input& r, xoshiro256ss& rng, double* out, std::size_t n) {
  if (r.dist == distribution::uniform) {
    const double low = r.low;
    const double width = r.high - r.low;
    for (std::size_t i = 0; i < n; ++i) out[i] = low + rng.uniform() * width;  // at_quantile()
  } else if (r.dist == distribution::triangular) {
    for (std::size_t i = 0; i < n; ++i) out[i] = r.at_quantile(rng.uniform());
  } else {
    const double mu = r.log_mu();
    const double sigma = r.log_sigma();
    for (std::size_t i = 0; i < n; i += 2) {
      double u = 0.0;
      double v = 0.0;
      double s = 0.0;
      do {  // a point uniform in the unit disc, not the centre (accepted with probability pi/4)
        u = 2.0 * rng.uniform() - 1.0;
        v = 2.0 * rng.uniform() - 1.0;
        s = u * u + v * v;
      } while (s >= 1.0 || s == 0.0);
      const double f = std::sqrt(-2.0 * std::log(s) / s);
      out[i] = std::exp(mu + sigma * (u * f));
      if (i + 1 < n) out[i + 1] = std::exp(mu + sigma * (v * f));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The inputs that can be uncertain, and the outputs that get a distribution.

/// The keys of the model inputs that a range can drive (dotted as in a scenario file; inside a
/// phase they are prefixed with `phases.<name>.`, except the `energy.` keys, which apply to the
/// whole run as the [energy] table does).
inline const std::vector<std::string>& uncertain_input_keys() {
  static const std::vector<std::string> k{"model.parameters",
                                          "model.active_parameters",
                                          "training.tokens",
                                          "training.compute_flop",
                                          "hardware.count",
                                          "efficiency.mfu",
                                          "efficiency.hfu",
                                          "efficiency.achieved_tflops",
                                          "efficiency.goodput",
                                          "pricing.usd_per_gpu_hour",
                                          "energy.watts_per_accelerator",
                                          "energy.average_power_fraction",
                                          "energy.server_power_overhead",
                                          "energy.pue",
                                          "energy.usd_per_kwh",
                                          "energy.grid_gco2e_per_kwh"};
  return k;
}

namespace detail {
/// The [energy] input that `subkey` names ("energy.pue"), or null for any other key.
template <class Energy>
auto* energy_input(Energy& e, std::string_view subkey) {
  if (subkey == "energy.watts_per_accelerator") return &e.watts_per_accelerator;
  if (subkey == "energy.average_power_fraction") return &e.average_power_fraction;
  if (subkey == "energy.server_power_overhead") return &e.server_power_overhead;
  if (subkey == "energy.pue") return &e.pue;
  if (subkey == "energy.usd_per_kwh") return &e.usd_per_kwh;
  if (subkey == "energy.grid_gco2e_per_kwh") return &e.grid_gco2e_per_kwh;
  return static_cast<decltype(&e.pue)>(nullptr);
}
}  // namespace detail

/// The value of input `subkey` ("efficiency.mfu") in `in`, in the unit of its key.
[[nodiscard]] inline std::optional<double> input_value(const run_inputs& in,
                                                       std::string_view subkey) {
  if (subkey == "model.parameters") return in.parameters;
  if (subkey == "model.active_parameters") return in.active_parameters;
  if (subkey == "training.tokens") return in.tokens;
  if (subkey == "training.compute_flop" && in.compute_flop) {
    return value_in(*in.compute_flop, units::flop);
  }
  if (subkey == "hardware.count" && in.count) return value_in(*in.count, units::gpu);
  if (subkey == "efficiency.mfu" && in.mfu) return in.mfu->ratio();
  if (subkey == "efficiency.hfu" && in.hfu) return in.hfu->ratio();
  if (subkey == "efficiency.achieved_tflops") return in.achieved_tflops;
  if (subkey == "efficiency.goodput" && in.goodput) return in.goodput->ratio();
  if (subkey == "pricing.usd_per_gpu_hour" && in.price) {
    return value_in(*in.price, units::usd_per_gpu_hour);
  }
  return std::nullopt;
}

/// Sets input `subkey` of `in` to `v` (in the unit of its key).
/// Throws: input_error for a key that is not in uncertain_input_keys(), or a ratio out of (0, 1].
inline void set_input_value(run_inputs& in, std::string_view subkey, double v) {
  if (subkey == "model.parameters") {
    in.parameters = v;
  } else if (subkey == "model.active_parameters") {
    in.active_parameters = v;
  } else if (subkey == "training.tokens") {
    in.tokens = v;
  } else if (subkey == "training.compute_flop") {
    in.compute_flop = compute_from_flop(v);
  } else if (subkey == "hardware.count") {
    in.count = gpus(v);
  } else if (subkey == "efficiency.mfu" || subkey == "efficiency.hfu" ||
             subkey == "efficiency.achieved_tflops") {
    // One utilisation per phase: setting one way replaces the others, as --set does.
    in.mfu.reset();
    in.hfu.reset();
    in.achieved_tflops.reset();
    if (subkey == "efficiency.mfu") in.mfu = efficiency::from_ratio(v);
    if (subkey == "efficiency.hfu") in.hfu = efficiency::from_ratio(v);
    if (subkey == "efficiency.achieved_tflops") {
      if (!(v > 0.0) || !std::isfinite(v)) {
        throw input_error("efficiency.achieved_tflops: expected a positive number");
      }
      in.achieved_tflops = v;
    }
  } else if (subkey == "efficiency.goodput") {
    in.goodput = efficiency::from_ratio(v);
  } else if (subkey == "pricing.usd_per_gpu_hour") {
    in.price = price_rate_from_usd_per_gpu_hour(v);
  } else {
    throw input_error("'" + std::string(subkey) + "' is not an input a range can drive");
  }
}

/// The outputs that carry a distribution; the names are the CSV columns (with _p5, _p50, _p95).
/// Each is an output of the kernel (kernel.hpp); to add one, add it here and to
/// fast_model::column_of().
enum class metric : std::size_t {
  compute_flop,
  gpu_hours,
  wall_clock_days,
  cost_usd_rental,
  energy_kwh,       ///< facility energy, kWh (energy.hpp energy_kwh())
  cost_usd_energy,  ///< energy x USD per kWh
  emissions_tco2e,  ///< location-based, energy x grid intensity
  cost_usd_ownership,
  cost_usd_purchase,
  cost_usd_program,
  cost_usd_rental_on_demand,
  cost_usd_rental_1y,
  cost_usd_rental_3y,
  cost_usd_rental_gpu_cloud,
  emissions_market_tco2e,  ///< market-based
};
inline constexpr std::size_t metric_count = 15;
inline constexpr std::array<std::string_view, metric_count> metric_names{
    "compute_flop",
    "gpu_hours",
    "wall_clock_days",
    "cost_usd_rental",
    "energy_kwh",
    "cost_usd_energy",
    "emissions_tco2e",
    "cost_usd_ownership",
    "cost_usd_purchase",
    "cost_usd_program",
    "cost_usd_rental_on_demand",
    "cost_usd_rental_1y",
    "cost_usd_rental_3y",
    "cost_usd_rental_gpu_cloud",
    "emissions_market_tco2e"};
/// Every metric, in order.
inline constexpr std::array<metric, metric_count> all_metrics{metric::compute_flop,
                                                              metric::gpu_hours,
                                                              metric::wall_clock_days,
                                                              metric::cost_usd_rental,
                                                              metric::energy_kwh,
                                                              metric::cost_usd_energy,
                                                              metric::emissions_tco2e,
                                                              metric::cost_usd_ownership,
                                                              metric::cost_usd_purchase,
                                                              metric::cost_usd_program,
                                                              metric::cost_usd_rental_on_demand,
                                                              metric::cost_usd_rental_1y,
                                                              metric::cost_usd_rental_3y,
                                                              metric::cost_usd_rental_gpu_cloud,
                                                              metric::emissions_market_tco2e};

/// The cost method a metric is, or nothing.
[[nodiscard]] constexpr std::optional<cost_method> cost_method_of(metric m) noexcept {
  switch (m) {
    case metric::cost_usd_rental:
      return cost_method::rental;
    case metric::cost_usd_energy:
      return cost_method::energy;
    case metric::cost_usd_ownership:
      return cost_method::ownership;
    case metric::cost_usd_purchase:
      return cost_method::purchase;
    case metric::cost_usd_program:
      return cost_method::program;
    case metric::cost_usd_rental_on_demand:
      return cost_method::rental_on_demand;
    case metric::cost_usd_rental_1y:
      return cost_method::rental_1y;
    case metric::cost_usd_rental_3y:
      return cost_method::rental_3y;
    case metric::cost_usd_rental_gpu_cloud:
      return cost_method::rental_gpu_cloud;
    case metric::compute_flop:
    case metric::gpu_hours:
    case metric::wall_clock_days:
    case metric::energy_kwh:
    case metric::emissions_tco2e:
    case metric::emissions_market_tco2e:
      break;
  }
  return std::nullopt;
}

/// The outputs of one evaluation, by metric; NaN where the model has no such figure.
struct outputs {
  std::array<double, metric_count> value{};
  [[nodiscard]] double operator[](metric m) const { return value[static_cast<std::size_t>(m)]; }
  double& operator[](metric m) { return value[static_cast<std::size_t>(m)]; }
};

namespace detail {

struct split_key {
  std::string phase;   ///< "" for a top-level key
  std::string subkey;  ///< "efficiency.mfu"
};

/// "phases.pre-training.efficiency.mfu" -> {"pre-training", "efficiency.mfu"}.
inline split_key split_range_key(const std::string& key) {
  const std::string p = "phases.";
  if (key.rfind(p, 0) != 0) return {"", key};
  const auto last = key.rfind('.');
  if (last == std::string::npos || last <= p.size()) return {"", key};
  const auto prev = key.rfind('.', last - 1);
  if (prev == std::string::npos || prev < p.size()) return {"", key};
  return {key.substr(p.size(), prev - p.size()), key.substr(prev + 1)};
}

inline bool is_input_key(std::string_view subkey) {
  const auto& k = uncertain_input_keys();
  return std::find(k.begin(), k.end(), subkey) != k.end();
}

/// A number that is either fixed or drawn: slot < 0 means fixed at `value`.
struct term {
  int slot = -1;
  double value = 0.0;
  /// `x[slot]`, or the point value where the slot is NaN (not perturbed).
  [[nodiscard]] double get(const double* x) const noexcept {
    if (slot < 0) return value;
    const double v = x[slot];
    return std::isnan(v) ? value : v;
  }
};

}  // namespace detail

namespace detail {
/// The kernel output (of a phase or a total) that metric `m` is; the GPU-hours for the
/// wall-clock days, which are the wall-clock hours / 24 (fast_model).
template <class Outputs>
auto metric_of(const Outputs& o, metric m) noexcept -> const decltype(o.gpu_hours)& {
  if (const auto c = cost_method_of(m)) return o.cost[static_cast<std::size_t>(*c)];
  switch (m) {
    case metric::compute_flop:
      return o.compute;
    case metric::energy_kwh:
      return o.energy_kwh;
    case metric::emissions_tco2e:
      return o.emissions_tco2e;
    case metric::emissions_market_tco2e:
      return o.emissions_market_tco2e;
    default:
      break;
  }
  return o.gpu_hours;
}
}  // namespace detail

/// The kernel (kernel.hpp) fed with the uncertain inputs of one scenario: the plan of every
/// phase comes from the point estimate, and each evaluation puts drawn values into the kernel's
/// lanes. For any values x, evaluate(x) equals estimate(apply_values(s, x)) (checked in
/// tests/unit/uncertainty_test.cpp and kernel_test.cpp).
class fast_model {
 public:
  /// Throws: what estimate() throws.
  fast_model(const scenario& s, const catalogue& cat);

  /// The keys of the uncertain inputs the model reads, in slot order.
  [[nodiscard]] const std::vector<std::string>& keys() const noexcept { return keys_; }
  /// Their ranges, in slot order.
  [[nodiscard]] const std::vector<uncertain_input>& ranges() const noexcept { return ranges_; }
  /// Keys with a range that the model does not read (a shadowed or unused input).
  [[nodiscard]] const std::vector<std::string>& not_propagated() const noexcept { return unused_; }
  /// Keys of reported figures given as ranges (shown beside the modelled distribution).
  [[nodiscard]] const std::vector<std::string>& reported_ranges() const noexcept {
    return reported_;
  }
  /// The point estimate the model was compiled from.
  [[nodiscard]] const estimate_result& point() const noexcept { return point_; }
  /// The plan of the run.
  [[nodiscard]] const run_plan& plan() const noexcept { return plan_; }
  /// The point value of each slot (the first phase's, where phases differ).
  [[nodiscard]] const std::vector<double>& point_values() const noexcept { return point_x_; }
  [[nodiscard]] std::size_t phase_count() const noexcept { return phases_.size(); }

  /// The kernel's lanes of phase `i` for input values `x` (one per slot; NaN keeps a slot at its
  /// point value). Throws: what reliability_plan::goodput_at() throws for a drawn count.
  [[nodiscard]] lane_values<double> lanes_of(std::size_t i, const double* x) const {
    const auto& p = phases_[i];
    lane_values<double> v;
    for (std::size_t l = 0; l < lane_count; ++l) v[l] = p.x[l].get(x);
    if (p.goodput_from_count) {
      at(v, lane::goodput) = plan_.phases[i].reliability->goodput_at(at(v, lane::count));
    }
    return v;
  }

  /// Outputs for input values `x` (one per slot; NaN keeps a slot at its point value).
  /// `phases`, when not null, receives phase_count() outputs.
  void evaluate(const double* x, outputs& total, outputs* phases = nullptr) const {
    const std::size_t np = phases_.size();
    std::vector<phase_outputs<double>> o(np);
    for (std::size_t i = 0; i < np; ++i) {
      o[i] = run_kernel(plan_.phases[i], lanes_of(i, x));
      if (phases) {
        for (auto m : all_metrics) phases[i][m] = value_of(o[i], m);
      }
    }
    const auto t = kernel_total(plan_, presence_, o.data());
    for (auto m : all_metrics) {
      total[m] = total_known(m) ? value_of(t, m) : nan_;
    }
  }

  /// The samples per block of evaluate_block().
  static constexpr std::size_t block_size = lane_width;

  /// Whether the total of metric `m` is known (every phase has it).
  [[nodiscard]] bool total_known(metric m) const noexcept {
    if (const auto c = cost_method_of(m)) return presence_.has[static_cast<std::size_t>(*c)];
    switch (m) {
      case metric::compute_flop:
        return presence_.compute;
      case metric::wall_clock_days:
        return presence_.wall_clock;
      case metric::energy_kwh:
        return presence_.energy;
      case metric::emissions_tco2e:
        return presence_.emits;
      case metric::emissions_market_tco2e:
        return presence_.emits_market;
      default:
        break;
    }
    return true;
  }

  /// Whether metric `m` of phase `i` (of the total when `i` is phase_count()) depends on an
  /// uncertain input; a metric that does not is the same in every sample.
  [[nodiscard]] bool varies(std::size_t i, metric m) const noexcept {
    if (i == phases_.size()) {
      for (std::size_t k = 0; k < phases_.size(); ++k) {
        if (varies(k, m)) return true;
      }
      return false;
    }
    return (depends_on(plan_.phases[i], output_of(m)) & phases_[i].drawn) != 0;
  }

  /// Block outputs: for each phase (and, with more than one phase, the total after them),
  /// block_size values of every metric.
  struct block_outputs {
    std::vector<phase_outputs<lanes>> phases;
    std::vector<lanes> days;                  ///< wall-clock days of each phase, then of the total
    std::vector<total_outputs<lanes>> total;  ///< one, with more than one phase
    /// The values of metric `m` of block `b` (a phase, or the total after them).
    [[nodiscard]] const double* column(std::size_t b, metric m) const noexcept {
      // With one phase, block 0 is the total (which adds program.staff_usd once).
      const bool is_total = b == phases.size() || phases.size() == 1;
      if (m == metric::wall_clock_days) return days[is_total ? days.size() - 1 : b].v.data();
      if (!is_total) return detail::metric_of(phases[b], m).v.data();
      return detail::metric_of(total.front(), m).v.data();
    }
  };

  /// The outputs of `n` <= block_size samples at once, by the kernel over blocks of lanes (the
  /// same operations in the same order as evaluate(), so the same bits): `x[slot][j]` is the
  /// value of a slot in sample j (never NaN; block_size values readable). `out` holds
  /// phase_count() blocks, plus one for the total when there are several phases; with one
  /// phase the total is that phase.
  void evaluate_block(const double* const* x, std::size_t n, block_outputs& out) const {
    const std::size_t np = phases_.size();
    out.phases.resize(np);
    out.days.resize(np + 1);
    out.total.resize(1);
    lane_values<lanes> v;
    for (std::size_t i = 0; i < np; ++i) {
      const auto& p = phases_[i];
      for (std::size_t l = 0; l < lane_count; ++l) {
        const auto& t = p.x[l];
        if (t.slot >= 0) {
          std::copy(x[t.slot], x[t.slot] + lane_width, v[l].v.begin());
        } else {
          v[l].v.fill(t.value);
        }
      }
      if (p.goodput_from_count) {
        plan_.phases[i].reliability->goodput_lanes(at(v, lane::count), at(v, lane::goodput), n);
      }
      out.phases[i] = run_kernel(plan_.phases[i], v);
      out.days[i] = out.phases[i].wall_hours / hours_per_day;
    }
    out.total.front() = kernel_total(plan_, presence_, out.phases.data());
    out.days[np] = out.total.front().wall_hours / hours_per_day;
  }

 private:
  static constexpr double nan_ = std::numeric_limits<double>::quiet_NaN();

  /// The terms of a phase's lanes, and which lanes are drawn.
  struct phase_terms {
    std::array<detail::term, lane_count> x;
    bool goodput_from_count = false;  ///< [reliability] at a drawn count
    lane_mask drawn = 0;
  };

  static double value_of(const phase_outputs<double>& o, metric m) noexcept {
    if (m == metric::wall_clock_days) return o.wall_hours / hours_per_day;
    return detail::metric_of(o, m);
  }
  static double value_of(const total_outputs<double>& o, metric m) noexcept {
    if (m == metric::wall_clock_days) return o.wall_hours / hours_per_day;
    return detail::metric_of(o, m);
  }

  /// The kernel output a metric is, for depends_on().
  static output output_of(metric m) noexcept {
    if (const auto c = cost_method_of(m)) return costmodel::output_of(*c);
    switch (m) {
      case metric::compute_flop:
        return output::compute_flop;
      case metric::wall_clock_days:
        return output::wall_clock;
      case metric::energy_kwh:
        return output::energy_kwh;
      case metric::emissions_tco2e:
        return output::emissions;
      case metric::emissions_market_tco2e:
        return output::emissions_market;
      default:
        break;
    }
    return output::gpu_hours;
  }

  int slot_of(const std::string& key, const uncertain_input& r, double point);

  /// The term for [energy] input `subkey` at its point value `point`: drawn when the scenario
  /// has a range on it ([energy] applies to the whole run), else fixed.
  detail::term energy_term(const scenario& s, const std::string& subkey, double point);

  /// The term for input `subkey` of phase `i`: a whole-run range, else the phase's own range,
  /// else (when the phase inherits the value) the top-level range, else fixed.
  detail::term term_for(const scenario& s, std::size_t i, const run_inputs& merged,
                        const std::string& subkey);

  /// Which lanes of phase `i` are drawn, from which keys, in the order the keys are listed.
  void compile_phase(const scenario& s, std::size_t i, const run_inputs& in);

  run_plan plan_;
  estimate_result point_;
  total_presence presence_;
  std::vector<phase_terms> phases_;
  std::vector<std::string> keys_;
  std::vector<uncertain_input> ranges_;
  std::vector<double> point_x_;
  std::vector<std::string> unused_;
  std::vector<std::string> reported_;
};

/// `s` with the uncertain inputs `keys` set to `x` (what fast_model::evaluate models), so that
/// estimate() can check the fast path. A whole-run range also sets the phases that set the key.
/// Throws: input_error for a key that is not an input.
[[nodiscard]] inline scenario apply_values(scenario s, const std::vector<std::string>& keys,
                                           const std::vector<double>& x) {
  for (std::size_t i = 0; i < keys.size() && i < x.size(); ++i) {
    if (std::isnan(x[i])) continue;
    const auto sk = detail::split_range_key(keys[i]);
    if (auto* e = detail::energy_input(s.costs.energy, sk.subkey)) {
      *e = x[i];
    } else if (sk.phase.empty()) {
      set_input_value(s.base, sk.subkey, x[i]);
      const auto it = s.ranges.find(keys[i]);
      if (it != s.ranges.end() && it->second.whole_run) {
        for (auto& ph : s.phases) {
          if (input_value(ph, sk.subkey)) set_input_value(ph, sk.subkey, x[i]);
        }
      }
    } else {
      for (auto& ph : s.phases) {
        if (ph.name == sk.phase) set_input_value(ph, sk.subkey, x[i]);
      }
    }
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Command-line ranges.

/// A range given as text: "efficiency.mfu=0.3:0.45", with an optional ":uniform",
/// ":triangular[:MODE]" or ":lognormal". Numbers may use k, M, B, T and %.
/// Throws: input_error naming what was expected.
[[nodiscard]] std::pair<std::string, uncertain_input> parse_range(std::string_view text);

/// Adds a command-line range on `key` to `s`. A top-level key drives the whole run, as `--set`
/// does. Where the scenario has no value for the key, or one outside [low, high], the point
/// value becomes the range's centre (uncertain_input::centre()).
/// Throws: input_error for a key that is not an input, a phase that does not exist, or a range
/// outside the key's domain (a ratio in (0, 1] for the MFU and goodput, positive otherwise).
void add_range(scenario& s, const std::string& key, uncertain_input r);

// ---------------------------------------------------------------------------------------------
// Monte Carlo.

/// The default number of samples: P5 and P95 then move by about 0.1% between seeds in the
/// analytic test cases.
inline constexpr std::size_t default_samples = 100000;
/// The most samples one run takes (memory grows with samples x outputs x phases).
inline constexpr std::size_t max_samples = 5000000;

/// Settings of a Monte Carlo run.
struct mc_settings {
  std::uint64_t seed = 1;
  std::size_t samples = default_samples;
};

/// The 5th, 50th and 95th percentiles of one output.
struct percentiles {
  double p5 = 0.0;
  double p50 = 0.0;
  double p95 = 0.0;
  bool operator==(const percentiles&) const = default;
};

/// Percentiles of every metric; empty where the model has no such figure.
using output_percentiles = std::array<std::optional<percentiles>, metric_count>;

/// The quantile `q` of sorted values by linear interpolation between order statistics
/// (Hyndman and Fan 1996, definition 7; numpy's default).
[[nodiscard]] inline double quantile_sorted(const std::vector<double>& v, double q) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = (static_cast<double>(v.size()) - 1.0) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

namespace detail {

/// Scratch memory of monte_carlo() and percentiles_of(), kept per thread between calls: a fresh
/// block of memory costs a page fault per 4 KiB page when first written, which on the virtual
/// machine measured here took longer than the whole Monte Carlo of 10^5 samples. The column
/// store is kept up to mc_columns_kept values (64 MiB: 10^6 samples of eight outputs) and
/// freed after larger runs.
/// Uninitialised doubles, their pages populated by one madvise(MADV_POPULATE_WRITE) call: a
/// fresh process's first Monte Carlo otherwise spent more time zeroing a std::vector and taking
/// one page fault per 4 KiB (about 2,000 for `costmodel compare` over every bundled run,
/// measured with perf stat) than drawing and evaluating. Measured (hyperfine, compare over the
/// 21 runs): 54 ms with std::vector, 46 ms populated; MADV_HUGEPAGE gave 33 ms but slowed the
/// steady-state Monte Carlo from 28M to 19M samples/s on this VM, so it is not used.
class mc_column_store {
 public:
  static constexpr std::size_t alignment = 4096;  // a page
  [[nodiscard]] double* data() noexcept { return data_.get(); }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// At least `n` doubles; the contents are unspecified after a growth.
  void reserve(std::size_t n) {
    if (n <= size_) return;
    const std::size_t bytes = (n * sizeof(double) + alignment - 1) / alignment * alignment;
    void* p = std::aligned_alloc(alignment, bytes);
    if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
    (void)::madvise(p, bytes, MADV_POPULATE_WRITE);  // advice only: else a fault per page
#endif
    data_.reset(static_cast<double*>(p));
    size_ = bytes / sizeof(double);
  }
  void release() noexcept {
    data_.reset();
    size_ = 0;
  }

 private:
  struct free_deleter {
    void operator()(double* p) const noexcept { std::free(p); }
  };
  std::unique_ptr<double[], free_deleter> data_;
  std::size_t size_ = 0;
};

struct mc_workspace {
  mc_column_store columns;    ///< the outputs that vary, a column per (phase or total, metric)
  std::vector<double> drawn;  ///< one block of draws per uncertain input
  fast_model::block_outputs outputs;
  std::vector<std::uint32_t> count;  ///< percentiles_of(): values per bucket
  std::vector<unsigned char> want;   ///< percentiles_of(): buckets to gather
  std::vector<double> gathered;      ///< percentiles_of(): their values
};
inline constexpr std::size_t mc_columns_kept = std::size_t{8} << 20U;
inline mc_workspace& workspace() {
  static thread_local mc_workspace w;
  return w;
}

/// P5, P50 and P95 of `v[0..n)` by nth_element on successive parts (P5 over all, P50 over the
/// part above it, P95 over the part above that); reorders `v`. The fallback of percentiles_of().
inline percentiles percentiles_by_nth_element(double* v, std::size_t n) {
  std::array<double, 3> out{};
  const std::array<double, 3> qs{0.05, 0.50, 0.95};
  double* first = v;
  for (std::size_t i = 0; i < qs.size(); ++i) {
    const double h = (static_cast<double>(n) - 1.0) * qs[i];
    const auto lo = static_cast<std::size_t>(std::floor(h));
    double* nth = v + lo;
    std::nth_element(first, nth, v + n);
    const double a = *nth;
    const double b = lo + 1 < n ? *std::min_element(nth + 1, v + n) : a;
    out[i] = a + (h - static_cast<double>(lo)) * (b - a);
    first = nth;
  }
  return {out[0], out[1], out[2]};
}

/// The smallest and largest of `v[0..n)` (n > 0), ignoring NaN after the first value; four
/// accumulators so that the loop vectorises.
inline std::pair<double, double> min_max(const double* v, std::size_t n) {
  std::array<double, 4> lo{v[0], v[0], v[0], v[0]};
  std::array<double, 4> hi = lo;
  std::size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    for (std::size_t l = 0; l < 4; ++l) {
      lo[l] = v[j + l] < lo[l] ? v[j + l] : lo[l];
      hi[l] = v[j + l] > hi[l] ? v[j + l] : hi[l];
    }
  }
  for (; j < n; ++j) {
    lo[0] = v[j] < lo[0] ? v[j] : lo[0];
    hi[0] = v[j] > hi[0] ? v[j] : hi[0];
  }
  return {std::min({lo[0], lo[1], lo[2], lo[3]}), std::max({hi[0], hi[1], hi[2], hi[3]})};
}

}  // namespace detail

/// P5, P50 and P95 of `v[0..n)` as quantile_sorted() defines them, without sorting: the values
/// are counted into equal-width buckets between their minimum and maximum, and only the few
/// buckets that hold the order statistics the percentiles need are gathered and sorted. The
/// bucket of a value is a non-decreasing function of it (a subtraction and a multiplication,
/// each rounded monotonically), so the k-th smallest value is the (k - values in lower buckets)-th
/// of its bucket: the result is exact, equal to the sorted copy's (checked in
/// tests/unit/uncertainty_test.cpp). Three passes over `v` (minimum and maximum, counts,
/// gather) instead of nth_element's three partitions, about 7 times faster on 10^5 values.
/// Falls back to nth_element when `v` holds a NaN. `v` must not be empty; it is not modified
/// unless the fallback runs.
[[nodiscard]] percentiles percentiles_of(double* v, std::size_t n);

/// P5, P50 and P95 of `v` as quantile_sorted() defines them (see the overload above); `v` must
/// not be empty.
[[nodiscard]] percentiles percentiles_of(std::vector<double>& v);

/// What propagating the ranges gives.
struct uncertainty_result {
  std::size_t samples = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> keys;  ///< the uncertain inputs the model reads
  std::vector<uncertain_input> ranges;
  std::vector<double> point_values;
  std::vector<std::string> not_propagated;   ///< ranges on inputs the model does not read
  std::vector<std::string> reported_ranges;  ///< ranges on reported figures (not inputs)
  output_percentiles total;
  std::vector<output_percentiles> phases;
  /// True when at least one input is uncertain.
  [[nodiscard]] bool any() const noexcept { return !keys.empty(); }
};

/// Draws `settings.samples` values of every uncertain input of `s` (independently), evaluates
/// the model on each and returns P5/P50/P95 of every output. The same seed gives the same
/// result on every platform. With no uncertain input the result is empty (any() is false).
/// Throws: input_error when samples is 0 or above max_samples; what estimate() throws.
[[nodiscard]] uncertainty_result monte_carlo(const scenario& s, const catalogue& cat,
                                             const mc_settings& settings = {});

}  // namespace costmodel
