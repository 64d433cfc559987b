// SPDX-License-Identifier: MIT
// Planning a run: the compute a budget or a deadline buys, the compute-optimal model for it
// under a scaling law, how many accelerators a deadline needs, and whether the model fits.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "costmodel/compute.hpp"
#include "costmodel/efficiency.hpp"
#include "costmodel/error.hpp"
#include "costmodel/estimate.hpp"
#include "costmodel/hardware.hpp"
#include "costmodel/pricing.hpp"
#include "costmodel/quantity.hpp"
#include "costmodel/range.hpp"

namespace costmodel {

/// How compute is split between parameters N and tokens D (with C = 6ND).
enum class scaling_law {
  chinchilla_20,       ///< D = 20 N: the tokens-per-parameter rule of Hoffmann et al. 2022
  hoffmann_approach3,  ///< the published constants of Hoffmann et al. 2022, Approach 3
  besiroglu_2024,      ///< the refit of Approach 3 by Besiroglu et al. 2024 (the default)
};

[[nodiscard]] constexpr std::string_view to_string(scaling_law l) noexcept {
  switch (l) {
    case scaling_law::chinchilla_20:
      return "chinchilla-20";
    case scaling_law::hoffmann_approach3:
      return "hoffmann-approach3";
    case scaling_law::besiroglu_2024:
      return "besiroglu-2024";
  }
  return "?";
}

/// The law named `name` ("besiroglu-2024"), or nothing.
[[nodiscard]] inline std::optional<scaling_law> parse_scaling_law(std::string_view name) {
  for (auto l :
       {scaling_law::chinchilla_20, scaling_law::hoffmann_approach3, scaling_law::besiroglu_2024}) {
    if (to_string(l) == name) return l;
  }
  return std::nullopt;
}

/// The parametric loss L(N, D) = E + A / N^alpha + B / D^beta (Hoffmann et al. 2022, eq. 2).
struct loss_fit {
  double e = 0.0;
  double a = 0.0;
  double b = 0.0;
  double alpha = 0.0;
  double beta = 0.0;
};

/// Hoffmann et al. 2022 ("Training Compute-Optimal Large Language Models"), Approach 3, as
/// published in the body of the paper: E = 1.69, A = 406.4, B = 410.7, alpha = 0.34,
/// beta = 0.28 (the TeX source has alpha = .3392, beta = .2849).
inline constexpr loss_fit hoffmann_2022_fit{1.69, 406.4, 410.7, 0.34, 0.28};

/// Besiroglu, Erdil, Barnett and You 2024, "Chinchilla Scaling: A replication attempt"
/// (arXiv:2404.10102): E = 1.8172, A = 482.01, B = 2085.43, alpha = 0.3478, beta = 0.3658.
inline constexpr loss_fit besiroglu_2024_fit{1.8172, 482.01, 2085.43, 0.3478, 0.3658};

/// Tokens per parameter of the chinchilla-20 rule (Hoffmann et al. 2022: Chinchilla, 70B
/// parameters on 1.4T tokens).
inline constexpr double chinchilla_tokens_per_parameter = 20.0;

/// The fit of a law with a loss, or nothing (chinchilla-20 has none).
[[nodiscard]] constexpr std::optional<loss_fit> fit_of(scaling_law l) noexcept {
  switch (l) {
    case scaling_law::hoffmann_approach3:
      return hoffmann_2022_fit;
    case scaling_law::besiroglu_2024:
      return besiroglu_2024_fit;
    case scaling_law::chinchilla_20:
      break;
  }
  return std::nullopt;
}

/// L(N, D) in nats per token; `parameters` and `tokens` are counts.
[[nodiscard]] inline double predicted_loss(const loss_fit& f, double parameters, double tokens) {
  return f.e + f.a / std::pow(parameters, f.alpha) + f.b / std::pow(tokens, f.beta);
}

/// The compute-optimal split of a budget.
struct allocation {
  double parameters = 0.0;     ///< N, a count
  double tokens = 0.0;         ///< D, a count
  std::optional<double> loss;  ///< L(N, D) where the law has one
};

/// Minimises L(N, D) subject to C = 6ND (Hoffmann et al. 2022, eq. 4):
/// N* = G (C/6)^(beta/(alpha+beta)), D* = C / (6 N*), G = (alpha A / (beta B))^(1/(alpha+beta));
/// for chinchilla-20, C = 6 N (20 N), so N = sqrt(C / 120).
/// Throws: input_error when `c` is not positive and finite.
[[nodiscard]] inline allocation compute_optimal(compute c, scaling_law law) {
  const double flop = value_in(c, units::flop);
  if (!std::isfinite(flop) || flop <= 0.0) throw input_error("compute must be a positive number");
  allocation out;
  if (const auto f = fit_of(law)) {
    const double g = std::pow(f->alpha * f->a / (f->beta * f->b), 1.0 / (f->alpha + f->beta));
    out.parameters = g * std::pow(flop / 6.0, f->beta / (f->alpha + f->beta));
    out.tokens = flop / (6.0 * out.parameters);
    out.loss = predicted_loss(*f, out.parameters, out.tokens);
  } else {
    out.parameters = std::sqrt(flop / (6.0 * chinchilla_tokens_per_parameter));
    out.tokens = chinchilla_tokens_per_parameter * out.parameters;
  }
  return out;
}

/// Bytes per parameter of the training state (weights, gradients, optimizer state) with Adam.
/// Mixed precision (16- or 8-bit compute): 2 (weights) + 2 (gradients) + 12 (fp32 master
/// weights, momentum and variance) = 16 (Rajbhandari et al. 2020, "ZeRO", section 3.1).
/// fp32/tf32: 4 + 4 + 8 = 16; fp64: 8 + 8 + 16 = 32. Activations are not counted.
[[nodiscard]] constexpr double adam_bytes_per_parameter(precision p) noexcept {
  return p == precision::fp64 ? 32.0 : 16.0;
}

/// What a team knows before a run. Give `compute_flop`, or `budget` (with a price), or
/// `deadline` with `count`.
struct plan_request {
  std::string accelerator;                        ///< catalogue id
  std::optional<costmodel::precision> precision;  ///< default: bf16, fp16 or tf32
  std::optional<money> budget;
  std::optional<price_rate> price;  ///< default: the catalogue's on-demand price
  std::optional<efficiency> mfu;    ///< default: default_mfu (Epoch AI's median)
  std::optional<efficiency> goodput;
  std::optional<duration> deadline;  ///< wall-clock time available
  std::optional<compute> compute_flop;
  std::optional<gpu_count> count;
  scaling_law law = scaling_law::besiroglu_2024;
  std::optional<double> bytes_per_parameter;  ///< default: adam_bytes_per_parameter()
};

/// The answer to a plan_request.
struct plan_result {
  std::string accelerator;
  costmodel::precision precision = costmodel::precision::bf16;
  compute_rate peak{};
  efficiency mfu = efficiency::one();
  efficiency goodput = efficiency::one();
  std::optional<price_rate> price;
  scaling_law law = scaling_law::besiroglu_2024;
  compute compute_flop{};
  std::string compute_basis;  ///< "input", "budget" or "deadline"
  allocation model;
  gpu_time gpu_hours{};
  std::optional<money> cost;  ///< rental: GPU-hours x price
  std::optional<money> budget;
  std::optional<gpu_count> accelerators;
  std::string accelerators_basis;  ///< "input", "deadline", "memory floor" or "" (unknown)
  std::optional<duration> wall_clock;
  double bytes_per_parameter = 0.0;
  std::optional<memory> hbm;
  std::optional<double> memory_floor;    ///< fewest accelerators holding the training state
  bool fits = true;                      ///< false when `count` is below the memory floor
  std::vector<std::string> notes;        ///< what the plan found (over budget, does not fit ...)
  std::vector<std::string> assumptions;  ///< defaults used
};

/// Plans a run on `req.accelerator`: compute from the input, the budget (GPU-hours = budget /
/// price, compute = GPU-hours x peak x MFU x goodput) or the deadline (count x hours x peak x
/// MFU x goodput); N and D from the law; GPU-hours = C / (peak MFU) / goodput; with a deadline,
/// accelerators = ceil(GPU-hours / hours), raised to the memory floor
/// ceil(N x bytes per parameter / HBM) when below it.
/// Throws: input_error for an unknown accelerator, a precision it lacks, a budget without a
/// price, or no way to know the compute.
[[nodiscard]] inline plan_result plan(const plan_request& req, const catalogue& cat) {
  const auto& acc = cat.at(req.accelerator);
  plan_result r;
  r.accelerator = acc.id;
  r.law = req.law;
  if (req.precision) {
    r.precision = *req.precision;
  } else {
    bool found = false;
    for (auto p : {precision::bf16, precision::fp16, precision::tf32}) {
      if (acc.supports(p)) {
        r.precision = p;
        found = true;
        break;
      }
    }
    if (!found) throw input_error("accelerator '" + acc.id + "': give a precision");
    r.assumptions.push_back("precision: " + std::string(to_string(r.precision)) +
                            " (the first of bf16, fp16, tf32 that " + acc.id + " supports)");
  }
  r.peak = acc.peak_at(r.precision);
  if (req.mfu) {
    r.mfu = *req.mfu;
  } else {
    r.mfu = efficiency::from_ratio(default_mfu);
    r.assumptions.push_back(
        "MFU: 0.375 (Epoch AI's median of 33 known runs, cost_analysis_standalone.py "
        "MEDIAN_UTILIZATION)");
  }
  r.goodput = req.goodput.value_or(efficiency::one());
  if (req.price) {
    r.price = req.price;
  } else if (acc.prices.on_demand) {
    r.price = acc.prices.on_demand;
    r.assumptions.push_back("price: the on-demand list price of " + acc.id + " from the catalogue");
  }
  r.budget = req.budget;
  if (req.budget && !(value_in(*req.budget, units::usd) > 0.0)) {
    throw input_error("the budget must be a positive number of USD");
  }
  if (req.deadline && !(value_in(*req.deadline, units::hour) > 0.0)) {
    throw input_error("the deadline must be a positive number of days");
  }
  if (req.count && !(value_in(*req.count, units::gpu) >= 1.0)) {
    throw input_error("the accelerator count must be at least 1");
  }
  const double eff = r.mfu.ratio() * r.goodput.ratio();
  if (req.compute_flop) {
    r.compute_flop = *req.compute_flop;
    r.compute_basis = "input";
  } else if (req.budget) {
    if (!r.price) {
      throw input_error("a budget needs a price: give --usd-per-gpu-hour (" + acc.id +
                        " has no on-demand price in the catalogue)");
    }
    const gpu_time h = *req.budget / *r.price;
    r.compute_flop = h * r.peak * eff;
    r.compute_basis = "budget";
  } else if (req.deadline && req.count) {
    r.compute_flop = *req.count * *req.deadline * r.peak * eff;
    r.compute_basis = "deadline";
  } else {
    throw input_error(
        "nothing to plan from: give --budget-usd, --compute-flop, or --days with --count");
  }
  if (!std::isfinite(value_in(r.compute_flop, units::flop)) ||
      !(value_in(r.compute_flop, units::flop) > 0.0)) {
    throw input_error("the compute is not a positive finite number");
  }
  r.model = compute_optimal(r.compute_flop, req.law);
  r.gpu_hours = gpu_time_for(r.compute_flop, r.peak, r.mfu, r.goodput);
  if (r.price) r.cost = rental_cost(r.gpu_hours, *r.price);
  if (r.cost && req.budget && r.compute_basis != "budget") {
    const double over = value_in(*r.cost, units::usd) / value_in(*req.budget, units::usd);
    if (over > 1.0 + 1e-9) {
      r.notes.push_back("over budget: the run costs " + detail::fmt_ratio(over) + " of the budget");
    }
  }

  // Memory floor: weights, gradients and optimizer state must fit in HBM.
  r.bytes_per_parameter = req.bytes_per_parameter.value_or(adam_bytes_per_parameter(r.precision));
  if (!req.bytes_per_parameter) {
    r.assumptions.push_back(
        "training state: " + detail::range_number(r.bytes_per_parameter) +
        " bytes per parameter with Adam (" +
        (r.precision == precision::fp64
             ? std::string("fp64: 8 weights + 8 gradients + 16 moments")
             : std::string("2 weights + 2 gradients + 12 fp32 master weights and moments in "
                           "mixed precision, or 4 + 4 + 8 in fp32")) +
        "; Rajbhandari et al. 2020, ZeRO, section 3.1); activations not counted");
  }
  r.hbm = acc.hbm;
  if (acc.hbm) {
    const double state = r.model.parameters * r.bytes_per_parameter;
    r.memory_floor = std::ceil(state / value_in(*acc.hbm, units::byte));
  } else {
    r.notes.push_back(acc.id + " has no memory size in the catalogue: the memory floor is unknown");
  }

  const double hours = value_in(r.gpu_hours, units::gpu_hour);
  if (req.count) {
    r.accelerators = req.count;
    r.accelerators_basis = "input";
  } else if (req.deadline) {
    r.accelerators = gpus(std::ceil(hours / value_in(*req.deadline, units::hour)));
    r.accelerators_basis = "deadline";
  }
  if (r.accelerators && r.memory_floor && value_in(*r.accelerators, units::gpu) < *r.memory_floor) {
    if (r.accelerators_basis == "deadline") {
      r.notes.push_back(
          "the deadline needs fewer accelerators than can hold the training state; "
          "raised to the memory floor");
      r.accelerators = gpus(*r.memory_floor);
      r.accelerators_basis = "memory floor";
    } else {
      r.fits = false;
      r.notes.push_back(
          "does not fit: the training state needs at least " +
          std::to_string(static_cast<long long>(*r.memory_floor)) + " x " + acc.id +
          ", the plan has " +
          std::to_string(static_cast<long long>(value_in(*r.accelerators, units::gpu))));
    }
  }
  if (r.accelerators) {
    r.wall_clock = wall_clock(r.gpu_hours, *r.accelerators);
    if (req.deadline && value_in(*r.wall_clock, units::hour) >
                            value_in(*req.deadline, units::hour) * (1.0 + 1e-9)) {
      r.notes.push_back("misses the deadline: " +
                        std::to_string(static_cast<long long>(
                            std::ceil(hours / value_in(*req.deadline, units::hour)))) +
                        " accelerators would meet it");
    }
  } else {
    r.notes.push_back(
        "give --days or --count for the number of accelerators and the wall-clock "
        "time");
  }
  return r;
}

}  // namespace costmodel
