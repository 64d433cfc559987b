// SPDX-License-Identifier: MIT
// The model decided once and computed once. A phase's *plan* records, as enums, what estimate()
// decided about it (where its compute comes from, which MFU, goodput, GPU-hours, wall-clock and
// price apply, which cost methods have inputs) and the constants those decisions fix; the
// *kernel* maps a plan and the numbers of its inputs (one lane per input) to every output:
// compute, GPU-hours, wall-clock, every cost method, energy and emissions. estimate() runs it on
// doubles; the Monte Carlo runs it on blocks of samples (`lanes`), Python's evaluate() and
// sensitivity on doubles per point. No other place multiplies FLOP by a price.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

#include "costmodel/efficiency.hpp"
#include "costmodel/error.hpp"
#include "costmodel/flops.hpp"
#include "costmodel/goodput.hpp"

namespace costmodel {

// ---------------------------------------------------------------------------------------------
// The decisions, typed. to_string() gives the basis texts of phase_result (the JSON contract).

/// Where a phase's compute comes from.
enum class compute_source : std::uint8_t {
  input,      ///< training.compute_flop
  per_token,  ///< FLOP per token under a named convention (flops.hpp) x training.tokens
  reported,   ///< reported.compute_flop
  unknown
};

/// Which MFU drives the GPU-hours.
enum class mfu_source : std::uint8_t {
  input,           ///< efficiency.mfu, .hfu or .achieved_tflops (phase_plan::mfu_key)
  implied,         ///< what the reported GPU-hours imply (compute.hpp implied_mfu)
  reported,        ///< reported.mfu
  default_median,  ///< Epoch AI's median (estimate.hpp default_mfu)
  unknown          ///< nothing modelled
};

/// Where the goodput comes from.
enum class goodput_source : std::uint8_t {
  input,        ///< efficiency.goodput
  reliability,  ///< [reliability] (goodput.hpp, Young 1974 / Daly 2006)
  one           ///< not given: 1
};

enum class gpu_hours_source : std::uint8_t { modelled, reported };
enum class wall_clock_source : std::uint8_t { modelled, reported, unknown };

/// Where the rental price comes from (the price step of the plan).
enum class price_source : std::uint8_t {
  input,       ///< pricing.usd_per_gpu_hour, asked for (pricing.basis = "input" or --set)
  reported,    ///< pricing.usd_per_gpu_hour, the run's own published price
  on_demand,   ///< the catalogue's on-demand price (dated at acquisition or pricing.as_of)
  one_year,    ///< its 1-year committed price
  three_year,  ///< its 3-year committed price (the default basis: pricing.hpp)
  gpu_cloud,   ///< a specialised GPU cloud's price
  unknown
};

/// Whether the price lane is pricing.usd_per_gpu_hour (so a range or an evaluate() array of that
/// key drives it); catalogue bases come from the accelerator, not from that key.
[[nodiscard]] constexpr bool price_from_key(price_source s) noexcept {
  return s == price_source::input || s == price_source::reported;
}

/// The cost methods, in the order of phase_result::cost's keys.
enum class cost_method : std::uint8_t {
  energy,
  ownership,
  program,
  purchase,
  rental,
  rental_1y,
  rental_3y,
  rental_gpu_cloud,
  rental_on_demand,
};
inline constexpr std::size_t cost_method_count = 9;
inline constexpr std::array<cost_method, cost_method_count> all_cost_methods{
    cost_method::energy,    cost_method::ownership,        cost_method::program,
    cost_method::purchase,  cost_method::rental,           cost_method::rental_1y,
    cost_method::rental_3y, cost_method::rental_gpu_cloud, cost_method::rental_on_demand};

[[nodiscard]] constexpr std::string_view to_string(compute_source s) noexcept {
  switch (s) {
    case compute_source::input:
      return "input";
    case compute_source::per_token:
      return "per-token";  // phase_result names the convention instead (compute_basis_of)
    case compute_source::reported:
      return "reported";
    case compute_source::unknown:
      return "unknown";
  }
  return "?";
}

[[nodiscard]] constexpr std::string_view to_string(mfu_source s) noexcept {
  switch (s) {
    case mfu_source::input:
      return "input";
    case mfu_source::implied:
      return "implied";
    case mfu_source::reported:
      return "reported";
    case mfu_source::default_median:
      return "default";
    case mfu_source::unknown:
      return "unknown";
  }
  return "?";
}

[[nodiscard]] constexpr std::string_view to_string(goodput_source s) noexcept {
  switch (s) {
    case goodput_source::input:
      return "input";
    case goodput_source::reliability:
      return "reliability";
    case goodput_source::one:
      return "default";
  }
  return "?";
}

[[nodiscard]] constexpr std::string_view to_string(gpu_hours_source s) noexcept {
  return s == gpu_hours_source::modelled ? "modelled" : "reported";
}

[[nodiscard]] constexpr std::string_view to_string(wall_clock_source s) noexcept {
  switch (s) {
    case wall_clock_source::modelled:
      return "modelled";
    case wall_clock_source::reported:
      return "reported";
    case wall_clock_source::unknown:
      return "unknown";
  }
  return "?";
}

[[nodiscard]] constexpr std::string_view to_string(price_source s) noexcept {
  switch (s) {
    case price_source::input:
      return "input";
    case price_source::reported:
      return "reported";
    case price_source::on_demand:
      return "on-demand";
    case price_source::one_year:
      return "1y";
    case price_source::three_year:
      return "3y";
    case price_source::gpu_cloud:
      return "gpu-cloud";
    case price_source::unknown:
      return "unknown";
  }
  return "?";
}

/// The key of a cost method in phase_result::cost and the JSON.
[[nodiscard]] constexpr std::string_view to_string(cost_method m) noexcept {
  switch (m) {
    case cost_method::energy:
      return "energy";
    case cost_method::ownership:
      return "ownership";
    case cost_method::program:
      return "program";
    case cost_method::purchase:
      return "purchase";
    case cost_method::rental:
      return "rental";
    case cost_method::rental_1y:
      return "rental_1y";
    case cost_method::rental_3y:
      return "rental_3y";
    case cost_method::rental_gpu_cloud:
      return "rental_gpu_cloud";
    case cost_method::rental_on_demand:
      return "rental_on_demand";
  }
  return "?";
}

/// The method named `key`, or nothing.
[[nodiscard]] constexpr std::optional<cost_method> parse_cost_method(
    std::string_view key) noexcept {
  for (auto m : all_cost_methods) {
    if (to_string(m) == key) return m;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// The numbers: one lane per input of the kernel.

/// The numeric inputs of a phase, each in the unit of its scenario key.
enum class lane : std::uint8_t {
  active_parameters,  ///< N: model.active_parameters, else model.parameters
  tokens,             ///< D: training.tokens
  compute_flop,       ///< training.compute_flop, FLOP
  mfu,                ///< efficiency.mfu, .hfu or .achieved_tflops (phase_plan::mfu_key)
  goodput,            ///< the goodput used: input, from [reliability] at the count, or 1
  count,              ///< hardware.count
  usd_per_gpu_hour,   ///< the rental price used
  watts,              ///< energy.watts_per_accelerator (or the catalogue's TDP)
  power_fraction,     ///< energy.average_power_fraction
  server_overhead,    ///< energy.server_power_overhead
  pue,                ///< energy.pue
  usd_per_kwh,        ///< energy.usd_per_kwh
  grid,               ///< location-based gCO2e/kWh
  grid_market,        ///< market-based gCO2e/kWh
};
inline constexpr std::size_t lane_count = 14;

template <class T>
using lane_values = std::array<T, lane_count>;

template <class T>
[[nodiscard]] constexpr const T& at(const lane_values<T>& x, lane l) noexcept {
  return x[static_cast<std::size_t>(l)];
}
template <class T>
[[nodiscard]] constexpr T& at(lane_values<T>& x, lane l) noexcept {
  return x[static_cast<std::size_t>(l)];
}

/// A set of lanes, for what an output depends on.
using lane_mask = std::uint32_t;
[[nodiscard]] constexpr lane_mask bit(lane l) noexcept {
  return lane_mask{1} << static_cast<unsigned>(l);
}

/// A block of samples for the Monte Carlo: the kernel's arithmetic lane by lane, each operator
/// one loop that the compiler vectorises (as Eigen's arrays do, without the expression templates).
inline constexpr std::size_t lane_width = 256;
struct lanes {
  alignas(64) std::array<double, lane_width> v;
  lanes() = default;
  explicit lanes(double x) noexcept { v.fill(x); }
};

#define COSTMODEL_LANES_OP(op)                                              \
  inline lanes operator op(const lanes& a, const lanes& b) noexcept {       \
    lanes r;                                                                \
    for (std::size_t i = 0; i < lane_width; ++i) r.v[i] = a.v[i] op b.v[i]; \
    return r;                                                               \
  }                                                                         \
  inline lanes operator op(const lanes& a, double b) noexcept {             \
    lanes r;                                                                \
    for (std::size_t i = 0; i < lane_width; ++i) r.v[i] = a.v[i] op b;      \
    return r;                                                               \
  }                                                                         \
  inline lanes operator op(double a, const lanes& b) noexcept {             \
    lanes r;                                                                \
    for (std::size_t i = 0; i < lane_width; ++i) r.v[i] = a op b.v[i];      \
    return r;                                                               \
  }
COSTMODEL_LANES_OP(+)
COSTMODEL_LANES_OP(-)
COSTMODEL_LANES_OP(*)
COSTMODEL_LANES_OP(/)
#undef COSTMODEL_LANES_OP

/// The values in a T: one in a double, lane_width in a block.
template <class T>
inline constexpr std::size_t lane_count_of = std::is_same_v<T, lanes> ? lane_width : 1;

/// The value of lane `j`: a point's own value, or sample `j` of a block.
[[nodiscard]] inline double lane_value(double x, std::size_t /*j*/) noexcept { return x; }
[[nodiscard]] inline double lane_value(const lanes& x, std::size_t j) noexcept { return x.v[j]; }

[[nodiscard]] inline double larger_of(double a, double b) noexcept { return b > a ? b : a; }
[[nodiscard]] inline lanes larger_of(const lanes& a, const lanes& b) noexcept {
  lanes r;
  for (std::size_t i = 0; i < lane_width; ++i) r.v[i] = b.v[i] > a.v[i] ? b.v[i] : a.v[i];
  return r;
}

// ---------------------------------------------------------------------------------------------
// The plan.

/// [reliability] resolved to numbers (estimate_costs.hpp reliability_plan_for): the goodput at
/// any count, by goodput.hpp's formulas.
struct reliability_plan {
  double mtbf_hours_per_part = 0.0;
  std::optional<double> accelerators_per_part;  ///< per node; none when the MTBF is per accelerator
  double checkpoint_write_hours = 0.0;
  double restart_hours = 0.0;
  std::optional<double> checkpoint_interval_hours;

  [[nodiscard]] reliability_model model_at(double count) const {
    reliability_model m;
    m.system_mtbf_hours = system_mtbf(
        mtbf_hours_per_part, accelerators_per_part ? count / *accelerators_per_part : count);
    m.checkpoint_write_hours = checkpoint_write_hours;
    m.restart_hours = restart_hours;
    m.checkpoint_interval_hours = checkpoint_interval_hours;
    return m;
  }
  /// Goodput at `count` accelerators. Throws: what goodput_from_failures() throws.
  [[nodiscard]] double goodput_at(double count) const {
    return goodput_from_failures(model_at(count));
  }
  /// Goodput at each of the first `n` lanes' counts into `goodput`, 1 in the lanes past them (the
  /// Monte Carlo's and evaluate()'s blocks). With `ok`, a lane already not ok is skipped and a
  /// count that goodput_at() refuses marks its lane not ok; without it, the error propagates.
  void goodput_lanes(const lanes& count, lanes& goodput, std::size_t n, bool* ok = nullptr) const {
    for (std::size_t j = 0; j < lane_width; ++j) {
      goodput.v[j] = 1.0;
      if (j >= n) continue;
      if (!ok) {
        goodput.v[j] = goodput_at(count.v[j]);
      } else if (ok[j]) {
        try {
          goodput.v[j] = goodput_at(count.v[j]);
        } catch (const error&) {
          ok[j] = false;
        }
      }
    }
  }
  /// The checkpoint interval used at `count`, hours.
  [[nodiscard]] double interval_at(double count) const {
    const auto m = model_at(count);
    return m.checkpoint_interval_hours
               ? *m.checkpoint_interval_hours
               : daly_interval(m.checkpoint_write_hours, m.system_mtbf_hours);
  }
  bool operator==(const reliability_plan&) const = default;
};

/// What estimate() decided about one phase, and the constants of those decisions.
struct phase_plan {
  compute_source compute = compute_source::unknown;
  flop_convention convention = flop_convention::six_nd;
  bool active_from_parameters = true;  ///< N is model.parameters (no active_parameters given)
  /// FLOP per token = flop_slope * N + flop_fixed (flops.hpp flop_per_token_terms).
  double flop_slope = 6.0;
  double flop_fixed = 0.0;
  double reported_compute = std::numeric_limits<double>::quiet_NaN();  ///< FLOP

  mfu_source mfu = mfu_source::unknown;
  /// mfu_source::input: the key lane::mfu carries, and the factor that turns it into MFU (1 for
  /// efficiency.mfu; model / hardware FLOPs for efficiency.hfu; that over the peak TFLOPS for
  /// efficiency.achieved_tflops).
  utilisation_input mfu_key = utilisation_input::mfu;
  double mfu_scale = 1.0;
  double fixed_mfu = 0.0;  ///< reported or default
  /// Implied MFU: reported GPU-hours, the peak they were measured at, and their goodput (none:
  /// the phase's goodput lane).
  double implied_gpu_hours = 0.0;
  double implied_peak = 0.0;
  std::optional<double> implied_goodput;

  goodput_source goodput = goodput_source::one;
  std::optional<reliability_plan> reliability;

  gpu_hours_source gpu_hours = gpu_hours_source::reported;
  double reported_gpu_hours = 0.0;
  double peak = 0.0;  ///< FLOP per GPU-hour at the phase's precision

  wall_clock_source wall_clock = wall_clock_source::unknown;
  double reported_wall_hours = 0.0;

  price_source price = price_source::unknown;

  /// Methods that have inputs; the rental kinds' catalogue prices, USD/(GPU*h).
  std::array<bool, cost_method_count> has{};
  std::array<double, cost_method_count> catalogue_price{};
  bool energy = false;                     ///< a power model: energy_kwh
  bool emits = false;                      ///< a location-based grid intensity
  bool emits_market = false;               ///< a market-based one
  double hardware_usd_per_gpu_hour = 0.0;  ///< cost_methods.hpp hardware_rate()
  double interconnect_multiplier = 1.0;    ///< cost_methods.hpp interconnect_multiplier()
  double server_usd = 0.0;                 ///< per accelerator, with the server around it
  double experiments_multiplier = 1.0;
  cost_method program_of = cost_method::rental;  ///< the final run program scales

  lane_values<double> x{};  ///< the point values of the inputs (NaN where absent)

  [[nodiscard]] bool modelled() const noexcept { return gpu_hours == gpu_hours_source::modelled; }
};

/// The plan of a whole run.
struct run_plan {
  std::vector<phase_plan> phases;
  std::vector<std::size_t> purchase_group;  ///< per phase: its accelerator, in id order
  std::size_t purchase_groups = 0;
  std::optional<double> staff_usd;  ///< program.staff_usd, added once to the total
};

// ---------------------------------------------------------------------------------------------
// The kernel.

/// Every output of one phase; an output the plan does not have is unspecified (see has_*).
template <class T>
struct phase_outputs {
  T compute;
  T mfu;
  T goodput;
  T gpu_hours;
  T wall_hours;
  T energy_kwh;
  T emissions_tco2e;
  T emissions_market_tco2e;
  std::array<T, cost_method_count> cost;
  [[nodiscard]] const T& cost_of(cost_method m) const noexcept {
    return cost[static_cast<std::size_t>(m)];
  }
  T& cost_of(cost_method m) noexcept { return cost[static_cast<std::size_t>(m)]; }
};

/// Stage 1: the compute. Input FLOP; else FLOP per token x tokens (Kaplan et al. 2020 for 6ND,
/// PaLM and Megatron as flops.hpp counts them); else the reported figure.
template <class T>
[[nodiscard]] T kernel_compute(const phase_plan& p, const lane_values<T>& x) {
  switch (p.compute) {
    case compute_source::input:
      return at(x, lane::compute_flop);
    case compute_source::per_token:
      return (p.flop_slope * at(x, lane::active_parameters) + p.flop_fixed) * at(x, lane::tokens);
    case compute_source::reported:
      return T(p.reported_compute);
    case compute_source::unknown:
      break;
  }
  return T(std::numeric_limits<double>::quiet_NaN());
}

/// The MFU that drives the GPU-hours, for compute `c`.
template <class T>
[[nodiscard]] T kernel_mfu(const phase_plan& p, const lane_values<T>& x, const T& c) {
  switch (p.mfu) {
    case mfu_source::input:
      return at(x, lane::mfu) * p.mfu_scale;
    case mfu_source::implied:
      // compute.hpp implied_mfu: C / (reported GPU-hours * goodput * peak), in that order.
      return p.implied_goodput ? c / (p.implied_gpu_hours * *p.implied_goodput * p.implied_peak)
                               : c / (p.implied_gpu_hours * at(x, lane::goodput) * p.implied_peak);
    case mfu_source::reported:
    case mfu_source::default_median:
      return T(p.fixed_mfu);
    case mfu_source::unknown:
      break;
  }
  return T(std::numeric_limits<double>::quiet_NaN());
}

/// Stage 2: everything after the compute `c`. The formulas are those of compute.hpp
/// (gpu_time_for, wall_clock), pricing.hpp (rental_cost), energy.hpp (energy_kwh, energy_cost,
/// emissions_tco2e) and cost_methods.hpp (amortised_hardware_cost, purchase_cost, program_cost),
/// the same operations in the same order, so that the typed functions and the kernel agree to
/// the last bit (tests/unit/kernel_test.cpp).
template <class T>
[[nodiscard]] phase_outputs<T> kernel_outputs(const phase_plan& p, const lane_values<T>& x,
                                              const T& c) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  phase_outputs<T> o{c, T(nan), at(x, lane::goodput), T(nan), T(nan), T(nan), T(nan), T(nan), {}};
  if (p.modelled()) {
    o.mfu = kernel_mfu(p, x, c);
    o.gpu_hours = c / (p.peak * o.mfu) / o.goodput;  // C / (peak * MFU) / goodput
  } else {
    o.gpu_hours = T(p.reported_gpu_hours);
  }
  const T& gh = o.gpu_hours;
  if (p.wall_clock == wall_clock_source::modelled) {
    o.wall_hours = gh / at(x, lane::count);
  } else if (p.wall_clock == wall_clock_source::reported) {
    o.wall_hours = T(p.reported_wall_hours);
  }
  auto& cost = o.cost;
  for (auto& v : cost) v = T(nan);
  const auto has = [&](cost_method m) { return p.has[static_cast<std::size_t>(m)]; };
  auto of = [&](cost_method m) -> T& { return cost[static_cast<std::size_t>(m)]; };
  if (has(cost_method::rental)) of(cost_method::rental) = gh * at(x, lane::usd_per_gpu_hour);
  for (auto m : {cost_method::rental_on_demand, cost_method::rental_1y, cost_method::rental_3y,
                 cost_method::rental_gpu_cloud}) {
    if (has(m)) of(m) = gh * p.catalogue_price[static_cast<std::size_t>(m)];
  }
  if (p.energy) {
    // Epoch's cluster_energy_cost: W / 1000 * average fraction * server overhead * PUE * GPU-h.
    o.energy_kwh = at(x, lane::watts) / 1000.0 * at(x, lane::power_fraction) *
                   at(x, lane::server_overhead) * at(x, lane::pue) * gh;
    if (has(cost_method::energy)) {
      of(cost_method::energy) = o.energy_kwh * at(x, lane::usd_per_kwh);
    }
    if (p.emits) o.emissions_tco2e = o.energy_kwh * at(x, lane::grid) / 1e6;
    if (p.emits_market) o.emissions_market_tco2e = o.energy_kwh * at(x, lane::grid_market) / 1e6;
  }
  if (has(cost_method::purchase)) {
    of(cost_method::purchase) = p.server_usd * at(x, lane::count) * p.interconnect_multiplier;
  }
  if (has(cost_method::ownership)) {
    // Amortised hardware plus energy (Cottier et al. 2024).
    of(cost_method::ownership) =
        gh * p.hardware_usd_per_gpu_hour * p.interconnect_multiplier + of(cost_method::energy);
  }
  if (has(cost_method::program)) {
    of(cost_method::program) = of(p.program_of) * p.experiments_multiplier;  // staff: in the total
  }
  return o;
}

/// The kernel: a plan and its inputs to every output of the phase.
template <class T>
[[nodiscard]] phase_outputs<T> run_kernel(const phase_plan& p, const lane_values<T>& x) {
  return kernel_outputs(p, x, kernel_compute(p, x));
}

/// What the total of a run has: an output is summed where every phase has it (compute and the
/// effective MFU where any phase has compute).
struct total_presence {
  bool compute = false;
  bool wall_clock = true;
  bool energy = true;
  bool emits = true;
  bool emits_market = true;
  std::array<bool, cost_method_count> has{};
};

[[nodiscard]] inline total_presence presence_of(const run_plan& r) {
  total_presence t;
  t.has.fill(!r.phases.empty());
  for (const auto& p : r.phases) {
    t.compute |= p.compute != compute_source::unknown;
    t.wall_clock &= p.wall_clock != wall_clock_source::unknown;
    t.energy &= p.energy;
    t.emits &= p.energy && p.emits;
    t.emits_market &= p.energy && p.emits_market;
    for (std::size_t m = 0; m < cost_method_count; ++m) t.has[m] = t.has[m] && p.has[m];
  }
  return t;
}

/// The total of a run: sums in phase order; "purchase" is a cluster, not a flow (phases on the
/// same accelerator share the largest among them, different accelerators add up, in id order);
/// "program" adds program.staff_usd once; the effective MFU is the compute over the peak work of
/// the phases that have compute.
template <class T>
struct total_outputs {
  T compute;
  T gpu_hours;
  T wall_hours;
  T energy_kwh;
  T emissions_tco2e;
  T emissions_market_tco2e;
  T mfu;
  T peak_work;  ///< FLOP: sum of GPU-hours x goodput x peak over the phases with compute
  std::array<T, cost_method_count> cost;
  [[nodiscard]] const T& cost_of(cost_method m) const noexcept {
    return cost[static_cast<std::size_t>(m)];
  }
};

template <class T>
[[nodiscard]] total_outputs<T> kernel_total(const run_plan& r, const total_presence& has,
                                            const phase_outputs<T>* phases) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t n = r.phases.size();
  total_outputs<T> t{T(0.0), T(0.0), T(0.0), T(0.0), T(0.0), T(0.0), T(nan), T(0.0), {}};
  T c_known(0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& p = r.phases[i];
    const auto& o = phases[i];
    t.gpu_hours = t.gpu_hours + o.gpu_hours;
    if (p.compute != compute_source::unknown) {
      t.compute = t.compute + o.compute;
      t.peak_work = t.peak_work + o.gpu_hours * o.goodput * p.peak;
      c_known = c_known + o.compute;
    }
    if (has.wall_clock) t.wall_hours = t.wall_hours + o.wall_hours;
    if (has.energy) t.energy_kwh = t.energy_kwh + o.energy_kwh;
    if (has.emits) t.emissions_tco2e = t.emissions_tco2e + o.emissions_tco2e;
    if (has.emits_market) {
      t.emissions_market_tco2e = t.emissions_market_tco2e + o.emissions_market_tco2e;
    }
  }
  if (has.compute) t.mfu = c_known / t.peak_work;
  for (std::size_t m = 0; m < cost_method_count; ++m) {
    auto& sum = t.cost[m];
    if (!has.has[m]) {
      sum = T(nan);
      continue;
    }
    sum = T(0.0);
    if (static_cast<cost_method>(m) == cost_method::purchase) {
      // The largest purchase of each accelerator, summed over accelerators; a loop per group
      // rather than a vector of maxima, so that the kernel does not allocate per point.
      for (std::size_t g = 0; g < r.purchase_groups; ++g) {
        T largest(0.0);
        for (std::size_t i = 0; i < n; ++i) {
          if (r.purchase_group[i] == g) largest = larger_of(largest, phases[i].cost[m]);
        }
        sum = sum + largest;
      }
    } else {
      for (std::size_t i = 0; i < n; ++i) sum = sum + phases[i].cost[m];
    }
    if (static_cast<cost_method>(m) == cost_method::program && r.staff_usd) {
      sum = sum + *r.staff_usd;
    }
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// What depends on what, for the Monte Carlo (an output that depends on no drawn lane is the
// same in every sample).

/// The outputs of a phase by name, for depends_on().
enum class output : std::uint8_t {
  compute_flop,
  gpu_hours,
  wall_clock,
  energy_kwh,
  emissions,
  emissions_market,
  cost_energy,
  cost_ownership,
  cost_program,
  cost_purchase,
  cost_rental,
  cost_rental_catalogue,  ///< the four catalogue kinds
};

[[nodiscard]] inline lane_mask depends_on(const phase_plan& p, output what) {
  lane_mask c = 0;
  if (p.compute == compute_source::input) c = bit(lane::compute_flop);
  if (p.compute == compute_source::per_token) {
    c = bit(lane::tokens) | (p.flop_slope != 0.0 ? bit(lane::active_parameters) : 0U);
  }
  const lane_mask g = p.goodput == goodput_source::input         ? bit(lane::goodput)
                      : p.goodput == goodput_source::reliability ? bit(lane::count)
                                                                 : 0U;
  lane_mask m = 0;
  if (p.mfu == mfu_source::input) m = bit(lane::mfu);
  if (p.mfu == mfu_source::implied) m = c | (p.implied_goodput ? 0U : g);
  const lane_mask h = p.modelled() ? (c | m | g) : 0U;
  const lane_mask kwh = p.energy ? (h | bit(lane::watts) | bit(lane::power_fraction) |
                                    bit(lane::server_overhead) | bit(lane::pue))
                                 : 0U;
  const lane_mask e_usd = kwh | bit(lane::usd_per_kwh);
  const lane_mask rent = h | bit(lane::usd_per_gpu_hour);
  switch (what) {
    case output::compute_flop:
      return c;
    case output::gpu_hours:
      return h;
    case output::wall_clock:
      return p.wall_clock == wall_clock_source::modelled ? (h | bit(lane::count)) : 0U;
    case output::energy_kwh:
      return kwh;
    case output::emissions:
      return kwh | bit(lane::grid);
    case output::emissions_market:
      return kwh | bit(lane::grid_market);
    case output::cost_energy:
      return e_usd;
    case output::cost_ownership:
      return h | e_usd;
    case output::cost_program:
      return p.program_of == cost_method::ownership ? (h | e_usd) : rent;
    case output::cost_purchase:
      return bit(lane::count);
    case output::cost_rental:
      return rent;
    case output::cost_rental_catalogue:
      return h;
  }
  return 0;
}

/// The output a cost method is, for depends_on().
[[nodiscard]] constexpr output output_of(cost_method m) noexcept {
  switch (m) {
    case cost_method::energy:
      return output::cost_energy;
    case cost_method::ownership:
      return output::cost_ownership;
    case cost_method::program:
      return output::cost_program;
    case cost_method::purchase:
      return output::cost_purchase;
    case cost_method::rental:
      return output::cost_rental;
    case cost_method::rental_1y:
    case cost_method::rental_3y:
    case cost_method::rental_gpu_cloud:
    case cost_method::rental_on_demand:
      return output::cost_rental_catalogue;
  }
  return output::cost_rental;
}

}  // namespace costmodel
