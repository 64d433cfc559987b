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
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "costmodel/error.hpp"
#include "costmodel/estimate.hpp"
#include "costmodel/parse.hpp"
#include "costmodel/range.hpp"
#include "costmodel/scenario.hpp"

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

// ---------------------------------------------------------------------------------------------
// The inputs that can be uncertain, and the outputs that get a distribution.

/// The keys of the model inputs that a range can drive (dotted as in a scenario file; inside a
/// phase they are prefixed with `phases.<name>.`).
inline const std::vector<std::string>& uncertain_input_keys() {
  static const std::vector<std::string> k{"model.parameters",   "model.active_parameters",
                                          "training.tokens",    "training.compute_flop",
                                          "hardware.count",     "efficiency.mfu",
                                          "efficiency.goodput", "pricing.usd_per_gpu_hour"};
  return k;
}

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
  } else if (subkey == "efficiency.mfu") {
    in.mfu = efficiency::from_ratio(v);
  } else if (subkey == "efficiency.goodput") {
    in.goodput = efficiency::from_ratio(v);
  } else if (subkey == "pricing.usd_per_gpu_hour") {
    in.price = price_rate_from_usd_per_gpu_hour(v);
  } else {
    throw input_error("'" + std::string(subkey) + "' is not an input a range can drive");
  }
}

/// The outputs that carry a distribution; the names are the JSON keys (with _p5, _p50, _p95).
/// To add one (energy, ownership cost), add it here and compute it in fast_model::evaluate().
enum class metric : std::size_t { compute_flop, gpu_hours, wall_clock_days, cost_usd_rental };
inline constexpr std::size_t metric_count = 4;
inline constexpr std::array<std::string_view, metric_count> metric_names{
    "compute_flop", "gpu_hours", "wall_clock_days", "cost_usd_rental"};

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

/// The model reduced to closed forms over the uncertain inputs of one scenario, compiled once
/// from the point estimate so that each evaluation is a few multiplications. For any values x,
/// evaluate(x) equals estimate(apply_values(s, x)) (checked in tests/unit/uncertainty_test.cpp).
class fast_model {
 public:
  /// Throws: what estimate() throws.
  fast_model(const scenario& s, const catalogue& cat) : point_(estimate(s, cat)) {
    std::vector<run_inputs> merged;
    if (s.phases.empty()) {
      merged.push_back(s.base);
    } else {
      for (const auto& ph : s.phases) merged.push_back(detail::merge_phase(s.base, ph));
    }
    for (std::size_t i = 0; i < merged.size(); ++i) {
      compile_phase(s, cat, i, merged[i], point_.phases[i]);
    }
    total_compute_known_ = point_.total.compute_flop.has_value();
    total_wall_known_ = point_.total.wall_clock.has_value();
    total_cost_known_ = point_.total.cost.count("rental") > 0;
    for (const auto& [key, r] : s.ranges) {
      if (std::find(keys_.begin(), keys_.end(), key) != keys_.end()) continue;
      const auto sk = detail::split_range_key(key);
      if (sk.subkey.rfind("reported.", 0) == 0) {
        reported_.push_back(key);
      } else {
        unused_.push_back(key);
      }
    }
  }

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
  /// The point value of each slot (the first phase's, where phases differ).
  [[nodiscard]] const std::vector<double>& point_values() const noexcept { return point_x_; }
  [[nodiscard]] std::size_t phase_count() const noexcept { return phases_.size(); }

  /// Outputs for input values `x` (one per slot; NaN keeps a slot at its point value).
  /// `phases`, when not null, receives phase_count() outputs.
  void evaluate(const double* x, outputs& total, outputs* phases = nullptr) const noexcept {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    double c_sum = 0.0;
    double h_sum = 0.0;
    double days_sum = 0.0;
    double cost_sum = 0.0;
    for (std::size_t i = 0; i < phases_.size(); ++i) {
      const auto& p = phases_[i];
      double c = nan;
      switch (p.ck) {
        case compute_kind::input:
          c = p.compute.get(x);
          break;
        case compute_kind::six_nd:
          c = 6.0 * p.active.get(x) * p.tokens.get(x);
          break;
        case compute_kind::fixed:
          c = p.compute.value;
          break;
        case compute_kind::none:
          break;
      }
      double h = p.reported_gpu_hours;
      if (p.modelled) {
        double mfu = p.mfu.get(x);
        if (p.mfu_implied) mfu = c / (p.rep_gpu_hours * p.rep_goodput.get(x) * p.rep_peak);
        h = c / (p.peak * mfu) / p.goodput.get(x);
      }
      double days = nan;
      if (p.wall == wall_kind::modelled) {
        days = h / p.count.get(x) / hours_per_day;
      } else if (p.wall == wall_kind::fixed) {
        days = p.fixed_days;
      }
      const double cost = p.priced ? h * p.price.get(x) : nan;
      if (phases) {
        auto& o = phases[i];
        o[metric::compute_flop] = c;
        o[metric::gpu_hours] = h;
        o[metric::wall_clock_days] = days;
        o[metric::cost_usd_rental] = cost;
      }
      if (!std::isnan(c)) c_sum += c;
      h_sum += h;
      days_sum += days;
      cost_sum += cost;
    }
    total[metric::compute_flop] = total_compute_known_ ? c_sum : nan;
    total[metric::gpu_hours] = h_sum;
    total[metric::wall_clock_days] = total_wall_known_ ? days_sum : nan;
    total[metric::cost_usd_rental] = total_cost_known_ ? cost_sum : nan;
  }

 private:
  enum class compute_kind { input, six_nd, fixed, none };
  enum class wall_kind { modelled, fixed, unknown };
  struct phase_plan {
    compute_kind ck = compute_kind::none;
    detail::term compute, active, tokens;
    bool modelled = false;
    double reported_gpu_hours = 0.0;
    detail::term mfu;
    bool mfu_implied = false;
    double rep_gpu_hours = 1.0;
    double rep_peak = 1.0;
    detail::term rep_goodput{-1, 1.0};
    double peak = 1.0;  // FLOP per GPU-hour
    detail::term goodput{-1, 1.0};
    wall_kind wall = wall_kind::unknown;
    double fixed_days = 0.0;
    detail::term count;
    bool priced = false;
    detail::term price;
  };

  int slot_of(const std::string& key, const uncertain_input& r, double point) {
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] == key) return static_cast<int>(i);
    }
    keys_.push_back(key);
    ranges_.push_back(r);
    point_x_.push_back(point);
    return static_cast<int>(keys_.size() - 1);
  }

  /// The term for input `subkey` of phase `i`: a whole-run range, else the phase's own range,
  /// else (when the phase inherits the value) the top-level range, else fixed.
  detail::term term_for(const scenario& s, std::size_t i, const run_inputs& merged,
                        const std::string& subkey) {
    detail::term t;
    t.value = input_value(merged, subkey).value_or(0.0);
    const auto top = s.ranges.find(subkey);
    if (top != s.ranges.end() && top->second.whole_run) {
      t.slot = slot_of(subkey, top->second, t.value);
      return t;
    }
    if (!s.phases.empty()) {
      const auto own = s.ranges.find("phases." + s.phases[i].name + "." + subkey);
      if (own != s.ranges.end()) {
        t.slot = slot_of(own->first, own->second, t.value);
        return t;
      }
      if (input_value(s.phases[i], subkey)) return t;  // the phase's own value wins
    }
    if (top != s.ranges.end()) t.slot = slot_of(subkey, top->second, t.value);
    return t;
  }

  void compile_phase(const scenario& s, const catalogue& cat, std::size_t i, const run_inputs& in,
                     const phase_result& r) {
    phase_plan p;
    if (r.compute_basis == "input") {
      p.ck = compute_kind::input;
      p.compute = term_for(s, i, in, "training.compute_flop");
    } else if (r.compute_basis == "6ND") {
      p.ck = compute_kind::six_nd;
      p.active =
          term_for(s, i, in, in.active_parameters ? "model.active_parameters" : "model.parameters");
      p.tokens = term_for(s, i, in, "training.tokens");
    } else if (r.compute_basis == "reported" && r.compute_flop) {
      p.ck = compute_kind::fixed;
      p.compute.value = value_in(*r.compute_flop, units::flop);
    }
    p.modelled = r.gpu_hours_basis == "modelled";
    p.reported_gpu_hours = value_in(r.gpu_hours, units::gpu_hour);
    if (p.modelled) {
      p.peak = value_in(*r.peak, units::flop_per_gpu_hour);
      if (in.goodput) p.goodput = term_for(s, i, in, "efficiency.goodput");
      if (r.mfu_basis == "input") {
        p.mfu = term_for(s, i, in, "efficiency.mfu");
      } else if (r.mfu_basis == "implied") {
        // As detail::implied_for: against the hardware and goodput the figures were reported on.
        p.mfu_implied = true;
        p.rep_gpu_hours = value_in(*in.reported.gpu_hours, units::gpu_hour);
        const auto acc_id =
            in.reported_on.accelerator ? *in.reported_on.accelerator : in.accelerator.value_or("");
        p.rep_peak =
            value_in(cat.at(acc_id).peak_at(*r.implied.mfu_precision), units::flop_per_gpu_hour);
        if (in.reported_on.goodput) {
          p.rep_goodput.value = in.reported_on.goodput->ratio();
        } else if (in.goodput) {
          p.rep_goodput = term_for(s, i, in, "efficiency.goodput");
        }
      } else {
        p.mfu.value = r.mfu.value_or(0.0);
      }
    }
    if (r.wall_clock_basis == "modelled") {
      p.wall = wall_kind::modelled;
      p.count = term_for(s, i, in, "hardware.count");
    } else if (r.wall_clock_basis == "reported" && r.wall_clock) {
      p.wall = wall_kind::fixed;
      p.fixed_days = days_of(*r.wall_clock);
    }
    if (r.price_basis == "input") {
      p.priced = true;
      p.price = term_for(s, i, in, "pricing.usd_per_gpu_hour");
    } else if (r.price) {
      p.priced = true;
      p.price.value = value_in(*r.price, units::usd_per_gpu_hour);
    }
    phases_.push_back(p);
  }

  estimate_result point_;
  std::vector<phase_plan> phases_;
  std::vector<std::string> keys_;
  std::vector<uncertain_input> ranges_;
  std::vector<double> point_x_;
  std::vector<std::string> unused_;
  std::vector<std::string> reported_;
  bool total_compute_known_ = false;
  bool total_wall_known_ = false;
  bool total_cost_known_ = false;
};

/// `s` with the uncertain inputs `keys` set to `x` (what fast_model::evaluate models), so that
/// estimate() can check the fast path. A whole-run range also sets the phases that set the key.
/// Throws: input_error for a key that is not an input.
[[nodiscard]] inline scenario apply_values(scenario s, const std::vector<std::string>& keys,
                                           const std::vector<double>& x) {
  for (std::size_t i = 0; i < keys.size() && i < x.size(); ++i) {
    if (std::isnan(x[i])) continue;
    const auto sk = detail::split_range_key(keys[i]);
    if (sk.phase.empty()) {
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
[[nodiscard]] inline std::pair<std::string, uncertain_input> parse_range(std::string_view text) {
  const std::string where = "--range '" + std::string(text) + "'";
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    throw input_error(where +
                      ": expected KEY=LOW:HIGH[:DIST[:MODE]], e.g. efficiency.mfu=0.3:0.45");
  }
  std::vector<std::string> parts;
  std::string cur;
  for (char c : text.substr(eq + 1)) {
    if (c == ':') {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  parts.push_back(cur);
  if (parts.size() < 2 || parts.size() > 4) {
    throw input_error(where + ": expected LOW:HIGH[:DIST[:MODE]]");
  }
  auto num = [&](const std::string& s, const char* what) {
    const auto v = parse_number(s);
    if (!v) throw input_error(where + ": " + what + " '" + s + "' is not a number");
    return *v;
  };
  uncertain_input r;
  r.low = num(parts[0], "low");
  r.high = num(parts[1], "high");
  if (parts.size() >= 3) {
    const auto d = parse_distribution(parts[2]);
    if (!d) {
      throw input_error(where + ": unknown distribution '" + parts[2] +
                        "'; expected one of: uniform, triangular, lognormal");
    }
    r.dist = *d;
  }
  if (parts.size() == 4) r.mode = num(parts[3], "mode");
  if (const auto problem = range_problem(r); !problem.empty()) {
    throw input_error(where + ": bad range: " + problem);
  }
  return {std::string(text.substr(0, eq)), r};
}

/// Adds a command-line range on `key` to `s`. A top-level key drives the whole run, as `--set`
/// does. Where the scenario has no value for the key, or one outside [low, high], the point
/// value becomes the range's centre (uncertain_input::centre()).
/// Throws: input_error for a key that is not an input, a phase that does not exist, or a range
/// outside the key's domain (a ratio in (0, 1] for the MFU and goodput, positive otherwise).
inline void add_range(scenario& s, const std::string& key, uncertain_input r) {
  const auto sk = detail::split_range_key(key);
  std::string known;
  for (const auto& k : uncertain_input_keys()) known += (known.empty() ? "" : ", ") + k;
  if (!detail::is_input_key(sk.subkey)) {
    throw input_error("--range " + key + ": not an input a range can drive; expected one of: " +
                      known + " (or phases.<name>.<key>)");
  }
  const bool ratio = sk.subkey.rfind("efficiency.", 0) == 0;
  if (!(r.low > 0.0) || (ratio && r.high > 1.0)) {
    throw input_error("--range " + key + ": expected " +
                      (ratio ? std::string("a ratio in (0, 1]") : std::string("positive")) +
                      " low and high");
  }
  if (ratio && r.dist == distribution::lognormal) {
    throw input_error("--range " + key +
                      ": a lognormal range is unbounded; expected uniform or triangular for a "
                      "ratio");
  }
  const std::string text = "--range " + key + "=" + detail::range_number(r.low) + ":" +
                           detail::range_number(r.high) + " " + std::string(to_string(r.dist));
  auto fix_point = [&](run_inputs& in, bool required) {
    const auto v = input_value(in, sk.subkey);
    const bool outside = v && r.dist != distribution::lognormal && (*v < r.low || *v > r.high);
    if ((!v && required) || outside) {
      set_input_value(in, sk.subkey, r.centre());
      s.overrides.push_back(text + " (point value " + detail::range_number(r.centre()) + ")");
      return true;
    }
    return false;
  };
  bool noted = false;
  if (sk.phase.empty()) {
    if (!s.phases.empty() && sk.subkey.rfind("training.", 0) == 0) {
      throw input_error("--range " + key +
                        ": this scenario has phases, so training keys are per phase; use "
                        "phases.<name>." +
                        sk.subkey);
    }
    r.whole_run = true;
    noted = fix_point(s.base, true);
    for (auto& ph : s.phases) {
      if (input_value(ph, sk.subkey)) noted = fix_point(ph, false) || noted;
    }
    for (const auto& ph : s.phases) s.ranges.erase("phases." + ph.name + "." + sk.subkey);
  } else {
    run_inputs* target = nullptr;
    std::string names;
    for (auto& ph : s.phases) {
      if (ph.name == sk.phase) target = &ph;
      names += (names.empty() ? "" : ", ") + ph.name;
    }
    if (!target) {
      throw input_error("--range " + key + ": no phase '" + sk.phase + "'; expected one of: " +
                        (names.empty() ? std::string("(the scenario has no phases)") : names));
    }
    const bool inherited = !input_value(*target, sk.subkey) &&
                           input_value(detail::merge_phase(s.base, *target), sk.subkey);
    if (inherited) {
      set_input_value(*target, sk.subkey, *input_value(s.base, sk.subkey));
    }
    noted = fix_point(*target, true);
  }
  if (!noted) s.overrides.push_back(text);
  s.ranges[key] = r;
}

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

/// P5, P50 and P95 of `v` as quantile_sorted() defines them, by selection instead of a full
/// sort (linear time); reorders `v`, which must not be empty.
[[nodiscard]] inline percentiles percentiles_of(std::vector<double>& v) {
  std::array<double, 3> out{};
  const std::array<double, 3> qs{0.05, 0.50, 0.95};
  auto first = v.begin();
  for (std::size_t i = 0; i < qs.size(); ++i) {
    const double h = (static_cast<double>(v.size()) - 1.0) * qs[i];
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const auto nth = v.begin() + static_cast<std::ptrdiff_t>(lo);
    std::nth_element(first, nth, v.end());
    const double a = *nth;
    const double b = lo + 1 < v.size() ? *std::min_element(nth + 1, v.end()) : a;
    out[i] = a + (h - static_cast<double>(lo)) * (b - a);
    first = nth;
  }
  return {out[0], out[1], out[2]};
}

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
[[nodiscard]] inline uncertainty_result monte_carlo(const scenario& s, const catalogue& cat,
                                                    const mc_settings& settings = {}) {
  if (settings.samples == 0 || settings.samples > max_samples) {
    throw input_error("--samples must be between 1 and " + std::to_string(max_samples) + ", got " +
                      std::to_string(settings.samples));
  }
  const fast_model m(s, cat);
  uncertainty_result u;
  u.samples = settings.samples;
  u.seed = settings.seed;
  u.keys = m.keys();
  u.ranges = m.ranges();
  u.point_values = m.point_values();
  u.not_propagated = m.not_propagated();
  u.reported_ranges = m.reported_ranges();
  u.phases.resize(m.phase_count());
  if (!u.any()) return u;

  const std::size_t n = settings.samples;
  const std::size_t np = m.phase_count();
  // Column store: one vector per (phase or total, metric).
  std::vector<std::vector<double>> cols((np == 1 ? 1 : np + 1) * metric_count);
  for (auto& c : cols) c.resize(n);
  xoshiro256ss rng(settings.seed);
  std::vector<double> x(u.keys.size());
  std::vector<outputs> ph(np);
  outputs tot;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < x.size(); ++k) x[k] = draw(u.ranges[k], rng);
    m.evaluate(x.data(), tot, ph.data());
    for (std::size_t j = 0; j < metric_count; ++j) {
      cols[j][i] = tot.value[j];
      if (np == 1) continue;
      for (std::size_t p = 0; p < np; ++p) cols[(p + 1) * metric_count + j][i] = ph[p].value[j];
    }
  }
  auto summarise = [&](std::size_t block, output_percentiles& out) {
    for (std::size_t j = 0; j < metric_count; ++j) {
      auto& c = cols[block * metric_count + j];
      if (!std::isnan(c.front())) out[j] = percentiles_of(c);
    }
  };
  summarise(0, u.total);
  if (np == 1) {
    u.phases[0] = u.total;  // one phase: the total is that phase
  } else {
    for (std::size_t p = 0; p < np; ++p) summarise(p + 1, u.phases[p]);
  }
  return u;
}

}  // namespace costmodel
