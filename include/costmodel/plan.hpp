// SPDX-License-Identifier: MIT
// Planning a run: the compute a budget or a deadline buys, the compute-optimal model for it
// under a scaling law, how many accelerators a deadline needs, and whether the model fits.
#pragma once

#include <charconv>
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
#include "costmodel/parallelism.hpp"
#include "costmodel/pricing.hpp"
#include "costmodel/quantity.hpp"
#include "costmodel/range.hpp"
#include "costmodel/text.hpp"

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

/// Bytes per parameter of the training state (weights, gradients, optimizer state) with Adam:
/// training_state_bytes() in parallelism.hpp (Rajbhandari et al. 2020, section 3.1: 2 + 2 + 12 in
/// mixed precision, 4 + 4 + 8 in fp32, 8 + 8 + 16 in fp64). Activations are not counted.
[[nodiscard]] constexpr double adam_bytes_per_parameter(precision p) noexcept {
  return training_state_bytes(p).total();
}

/// The share of the dense peak that a layer's kernels reach with no communication or bubble:
/// fitted so that expected_utilisation() gives Narayanan et al. 2021 Table 1's 18.4B
/// configuration (tp 8 within one node, pp 1: 135 TFLOPS of 312, HFU 0.433) exactly; the other
/// published configurations in docs/planner.md validate it.
inline constexpr double default_kernel_efficiency = 0.5097;

/// A model shape assumed from the parameter count when none is given: 12 L h^2 = N (Kaplan et
/// al. 2020, eq. 2.1, without embeddings) with h = 128 L (GPT-3 175B's 12288 / 96 and Llama 7B's
/// 4096 / 32) and heads of 128, so L = (N / (12 x 128^2))^(1/3). Not whole numbers.
[[nodiscard]] inline model_shape assumed_shape(double parameters) {
  model_shape s;
  const double layers = std::cbrt(parameters / (12.0 * 128.0 * 128.0));
  s.layers = layers;
  s.d_model = 128.0 * layers;
  s.heads = layers;
  return s;
}

/// What a team knows before a run. Give `compute_flop`, or `budget` (with a price), or
/// `deadline` with `count`, or `parameters` with `tokens`.
struct plan_request {
  std::string accelerator;                        ///< catalogue id; empty: no hardware
  std::optional<costmodel::precision> precision;  ///< default: bf16, fp16 or tf32
  std::optional<money> budget;
  std::optional<price_rate> price;        ///< default: the catalogue's on-demand price
  std::optional<efficiency> mfu;          ///< default: default_mfu (Epoch AI's median)
  std::optional<efficiency> hfu;          ///< instead of mfu: hardware FLOPs utilisation
  std::optional<double> achieved_tflops;  ///< instead of mfu: hardware TFLOPS per accelerator
  std::optional<efficiency> goodput;
  std::optional<duration> deadline;  ///< wall-clock time available
  std::optional<compute> compute_flop;
  std::optional<gpu_count> count;
  scaling_law law = scaling_law::besiroglu_2024;
  std::optional<double> bytes_per_parameter;  ///< default: training_state_bytes()
  std::optional<double> parameters;           ///< N, total; instead of the law's
  std::optional<double> active_parameters;    ///< per token (MoE); default: parameters
  double expert_parameters = 0.0;             ///< routed experts, of the total
  std::optional<double> tokens;               ///< D; with parameters, C = 6 N_active D
  std::optional<model_shape> shape;           ///< for activations and Megatron FLOPs
  std::string shape_source;                   ///< "config.json path" or "options"
  std::optional<parallel_layout> layout;
  optimizer_kind optimizer = optimizer_kind::adam;
  bool fp32_gradients = false;
  std::optional<double> kernel_efficiency;  ///< default: default_kernel_efficiency
};

/// The answer to a plan_request.
struct plan_result {
  std::string accelerator;  ///< empty without hardware
  costmodel::precision precision = costmodel::precision::bf16;
  compute_rate peak{};
  efficiency mfu = efficiency::one();
  efficiency goodput = efficiency::one();
  std::optional<price_rate> price;
  scaling_law law = scaling_law::besiroglu_2024;
  compute compute_flop{};
  std::string compute_basis;  ///< "input", "budget", "deadline" or "parameters x tokens"
  allocation model;
  double active_parameters = 0.0;
  gpu_time gpu_hours{};
  std::optional<money> cost;  ///< rental: GPU-hours x price
  std::optional<money> budget;
  std::optional<gpu_count> accelerators;
  std::string accelerators_basis;  ///< "input", "deadline", "memory floor", "layout" or ""
  std::optional<duration> wall_clock;
  double bytes_per_parameter = 0.0;
  state_bytes state;  ///< weights, gradients, optimizer state per parameter
  std::optional<memory> hbm;
  std::optional<double> memory_floor;     ///< fewest accelerators holding the training state
  bool fits = true;                       ///< false when `count` is below the memory floor
  bool hardware = true;                   ///< false: no accelerator given, hardware-free parts only
  std::optional<parallel_layout> layout;  ///< checked, dp filled
  model_shape shape;
  std::string shape_basis;  ///< "config.json ...", "options" or "assumed ..."
  std::optional<memory_breakdown> memory_per_gpu;
  std::optional<double> memory_left;  ///< bytes of HBM left (negative: over)
  std::optional<double> max_micro_batch;
  flop_pair flops;            ///< per token, model and hardware, for MFU and HFU
  std::optional<double> hfu;  ///< MFU x hardware / model FLOPs
  std::string mfu_basis;      ///< "input", "hfu", "achieved TFLOPS" or "default"
  std::optional<utilisation_terms> expected;
  std::vector<std::string> notes;        ///< what the plan found (over budget, does not fit ...)
  std::vector<std::string> assumptions;  ///< defaults used
};

namespace detail {
/// `v` with `digits` decimals ("12.9").
inline std::string fmt_fixed(double v, int digits) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, digits);
  return std::string(buf, res.ptr);
}
}  // namespace detail

/// Plans a run, on `req.accelerator` when given: compute from the input, parameters x tokens
/// (C = 6 N_active D), the budget (GPU-hours = budget / price, compute = GPU-hours x peak x MFU x
/// goodput) or the deadline (count x hours x peak x MFU x goodput); N and D from the law unless
/// N is given; GPU-hours = C / (peak MFU) / goodput; with a deadline, accelerators =
/// ceil(GPU-hours / hours), raised to the memory floor ceil(N x bytes per parameter / HBM) when
/// below it. With a layout: the memory per accelerator (memory_per_accelerator()), MFU beside
/// HFU, and the expected utilisation (expected_utilisation()).
/// Throws: input_error for an unknown accelerator, a precision it lacks, a budget without a
/// price, a layout that does not add up, or no way to know the compute.
[[nodiscard]] plan_result plan(const plan_request& req, const catalogue& cat);

}  // namespace costmodel
