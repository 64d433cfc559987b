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
[[nodiscard]] inline plan_result plan(const plan_request& req, const catalogue& cat) {
  const accelerator_spec* acc = req.accelerator.empty() ? nullptr : &cat.at(req.accelerator);
  plan_result r;
  r.hardware = acc != nullptr;
  r.law = req.law;
  if (acc) {
    r.accelerator = acc->id;
    if (req.precision) {
      r.precision = *req.precision;
    } else {
      bool found = false;
      for (auto p : {precision::bf16, precision::fp16, precision::tf32}) {
        if (acc->supports(p)) {
          r.precision = p;
          found = true;
          break;
        }
      }
      if (!found) throw input_error("accelerator '" + acc->id + "': give a precision");
      r.assumptions.push_back("precision: " + std::string(to_string(r.precision)) +
                              " (the first of bf16, fp16, tf32 that " + acc->id + " supports)");
    }
    r.peak = acc->peak_at(r.precision);
    if (req.price) {
      r.price = req.price;
    } else if (acc->prices.on_demand) {
      r.price = acc->prices.on_demand;
      r.assumptions.push_back("price: the on-demand list price of " + acc->id +
                              " from the catalogue");
    }
  } else {
    if (req.precision) r.precision = *req.precision;
    if (req.budget) {
      throw input_error("a budget needs --accelerator: its peak and price turn money into compute");
    }
    if (req.deadline && !req.compute_flop && !(req.parameters && req.tokens)) {
      throw input_error("a deadline needs --accelerator: its peak turns days into compute");
    }
    if (req.hfu || req.achieved_tflops) {
      throw input_error("--hfu and --achieved-tflops need --accelerator (its peak)");
    }
  }
  r.goodput = req.goodput.value_or(efficiency::one());
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
  if (req.tokens && !req.parameters) throw input_error("--tokens needs --parameters");
  if (req.parameters && !(*req.parameters > 0.0)) {
    throw input_error("the parameters must be a positive number");
  }
  if (req.active_parameters && req.parameters && *req.active_parameters > *req.parameters) {
    throw input_error("the active parameters exceed the total parameters");
  }
  if (req.parameters && req.tokens && req.compute_flop) {
    throw input_error("give --compute-flop or --parameters with --tokens, not both");
  }

  // The layout and shape come first: HFU and achieved TFLOPS turn into MFU through them.
  const auto recompute = req.layout ? req.layout->recompute : recompute_policy::none;
  const double seq = req.layout ? req.layout->sequence_length.value_or(0.0) : 0.0;
  if (req.shape) {
    r.shape = *req.shape;
    r.shape_basis = req.shape_source.empty() ? "options" : req.shape_source;
  }

  // MFU: given, or from HFU or achieved TFLOPS, or the default.
  auto flops_for = [&](double active) { return flops_per_token(active, r.shape, seq, recompute); };
  const int given = (req.mfu ? 1 : 0) + (req.hfu ? 1 : 0) + (req.achieved_tflops ? 1 : 0);
  if (given > 1) throw input_error("give one of --mfu, --hfu and --achieved-tflops");
  const double active_guess = req.active_parameters.value_or(req.parameters.value_or(1e9));
  if (req.mfu) {
    r.mfu = *req.mfu;
    r.mfu_basis = "input";
  } else if (req.hfu || req.achieved_tflops) {
    const double hfu = req.hfu ? req.hfu->ratio() : *req.achieved_tflops / tflops_of(r.peak);
    if (!(hfu > 0.0) || hfu > 1.0) {
      throw input_error("the hardware FLOPs utilisation must be in (0, 1]; " +
                        detail::fmt_ratio(hfu) + " of the peak given");
    }
    const auto f = flops_for(active_guess);
    r.mfu = efficiency::from_ratio(hfu / f.ratio());
    r.mfu_basis = req.hfu ? "hfu" : "achieved TFLOPS";
    r.assumptions.push_back("MFU " + detail::fmt_ratio(r.mfu.ratio()) + " = HFU " +
                            detail::fmt_ratio(hfu) + " x model / hardware FLOPs (" + f.basis +
                            ", recomputation " + std::string(to_string(recompute)) + ")");
  } else if (acc) {
    r.mfu = efficiency::from_ratio(default_mfu);
    r.mfu_basis = "default";
    r.assumptions.push_back(
        "MFU: 0.375 (Epoch AI's median of 33 known runs, cost_analysis_standalone.py "
        "MEDIAN_UTILIZATION)");
  }
  const double eff = r.mfu.ratio() * r.goodput.ratio();
  if (req.compute_flop) {
    r.compute_flop = *req.compute_flop;
    r.compute_basis = "input";
  } else if (req.parameters && req.tokens) {
    r.compute_flop =
        compute_from_flop(6.0 * req.active_parameters.value_or(*req.parameters) * *req.tokens);
    r.compute_basis = "parameters x tokens";
  } else if (req.budget) {
    if (!r.price) {
      throw input_error("a budget needs a price: give --usd-per-gpu-hour (" + acc->id +
                        " has no on-demand price in the catalogue)");
    }
    const gpu_time h = *req.budget / *r.price;
    r.compute_flop = h * r.peak * eff;
    r.compute_basis = "budget";
  } else if (req.deadline && req.count) {
    r.compute_flop = *req.count * *req.deadline * r.peak * eff;
    r.compute_basis = "deadline";
  } else if (!req.parameters) {
    throw input_error(
        "nothing to plan from: give --compute-flop, --parameters with --tokens, --budget-usd, "
        "or --days with --count");
  }
  const bool has_compute = !r.compute_basis.empty();
  if (has_compute && (!std::isfinite(value_in(r.compute_flop, units::flop)) ||
                      !(value_in(r.compute_flop, units::flop) > 0.0))) {
    throw input_error("the compute is not a positive finite number");
  }
  if (req.parameters) {
    r.model.parameters = *req.parameters;
    const double active = req.active_parameters.value_or(*req.parameters);
    r.model.tokens = req.tokens    ? *req.tokens
                     : has_compute ? value_in(r.compute_flop, units::flop) / (6.0 * active)
                                   : 0.0;
    if (const auto f = fit_of(req.law); f && r.model.tokens > 0.0) {
      r.model.loss = predicted_loss(*f, r.model.parameters, r.model.tokens);
    }
  } else {
    r.model = compute_optimal(r.compute_flop, req.law);
  }
  r.active_parameters = req.active_parameters.value_or(r.model.parameters);
  if (!req.shape) {
    r.shape = assumed_shape(r.active_parameters);
    r.shape_basis = "assumed from the parameters";
    if (req.layout) {
      r.assumptions.push_back(
          "model shape: assumed from N = " + detail::range_number(r.active_parameters) +
          " with 12 L h^2 = N and h = 128 L (Kaplan et al. 2020; GPT-3 175B's aspect ratio), "
          "heads of 128: " +
          detail::fmt_fixed(*r.shape.layers, 1) + " layers, hidden " +
          detail::fmt_fixed(*r.shape.d_model, 0) + ", " + detail::fmt_fixed(*r.shape.heads, 1) +
          " heads; give --model-config or --layers, --hidden and --heads for the real one");
    }
  }
  r.flops = flops_for(r.active_parameters);
  if (r.flops.ratio() > 1.0 + 1e-12) r.hfu = r.mfu.ratio() * r.flops.ratio();

  r.state = training_state_bytes(r.precision, req.optimizer, req.fp32_gradients);
  r.bytes_per_parameter = req.bytes_per_parameter.value_or(r.state.total());
  if (req.bytes_per_parameter) {
    // One number for the whole state: scale the parts to it.
    const double k = *req.bytes_per_parameter / r.state.total();
    r.state.weights *= k;
    r.state.gradients *= k;
    r.state.optimizer *= k;
  } else if (acc || req.layout) {
    r.assumptions.push_back("training state: " + detail::range_number(r.state.weights) +
                            " weights + " + detail::range_number(r.state.gradients) +
                            " gradients + " + detail::range_number(r.state.optimizer) +
                            " optimizer = " + detail::range_number(r.bytes_per_parameter) +
                            " bytes per parameter (" + std::string(to_string(req.optimizer)) +
                            ", " + std::string(to_string(r.precision)) +
                            (req.fp32_gradients ? ", fp32 gradients" : "") +
                            "; Rajbhandari et al. 2020, ZeRO, section 3.1)" +
                            (req.layout ? "" : "; activations not counted"));
  }

  if (req.layout) {
    parallel_layout l = *req.layout;
    // Expert parallelism spreads routed experts; without any it would change nothing, silently.
    if (l.ep > 1 && !(req.shape && req.shape->experts) && req.expert_parameters == 0.0) {
      throw input_error("ep " + detail::integer_text(l.ep) +
                        ": expert parallelism needs routed experts, and this model has none "
                        "(model.experts in a scenario, or a mixture-of-experts config.json)");
    }
    check_layout(l, req.count ? value_in(*req.count, units::gpu) : 0.0,
                 req.shape ? *req.shape : model_shape{});
    r.layout = l;
  }

  if (!acc) {
    r.notes.push_back(
        "no accelerator: --accelerator would add the GPU-hours, the rental cost, the "
        "accelerators a deadline needs, the memory per accelerator and whether it fits, and the "
        "expected utilisation");
    return r;
  }

  if (!has_compute) {
    r.notes.push_back(
        "no compute: give --tokens or --compute-flop for the GPU-hours, cost and wall-clock time");
  } else {
    r.gpu_hours = gpu_time_for(r.compute_flop, r.peak, r.mfu, r.goodput);
  }
  if (r.price && has_compute) r.cost = rental_cost(r.gpu_hours, *r.price);
  if (r.cost && req.budget && r.compute_basis != "budget") {
    const double over = value_in(*r.cost, units::usd) / value_in(*req.budget, units::usd);
    if (over > 1.0 + 1e-9) {
      r.notes.push_back("over budget: the run costs " + detail::fmt_ratio(over) + " of the budget");
    }
  }

  // Memory floor: weights, gradients and optimizer state must fit in HBM.
  r.hbm = acc->hbm;
  if (acc->hbm) {
    const double state = r.model.parameters * r.bytes_per_parameter;
    r.memory_floor = std::ceil(state / value_in(*acc->hbm, units::byte));
  } else {
    r.notes.push_back(acc->id +
                      " has no memory size in the catalogue: the memory floor is unknown");
  }

  const double hours = value_in(r.gpu_hours, units::gpu_hour);
  if (req.count) {
    r.accelerators = req.count;
    r.accelerators_basis = "input";
  } else if (req.deadline) {
    r.accelerators = gpus(std::ceil(hours / value_in(*req.deadline, units::hour)));
    r.accelerators_basis = "deadline";
  } else if (r.layout) {
    r.accelerators =
        gpus(static_cast<double>(r.layout->tp) * r.layout->pp * r.layout->cp * r.layout->dp);
    r.accelerators_basis = "layout";
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
          detail::integer_text(static_cast<long long>(*r.memory_floor)) + " x " + acc->id +
          ", the plan has " +
          detail::integer_text(static_cast<long long>(value_in(*r.accelerators, units::gpu))));
    }
  }
  if (r.accelerators && has_compute) {
    r.wall_clock = wall_clock(r.gpu_hours, *r.accelerators);
    if (req.deadline && value_in(*r.wall_clock, units::hour) >
                            value_in(*req.deadline, units::hour) * (1.0 + 1e-9)) {
      r.notes.push_back("misses the deadline: " +
                        detail::integer_text(static_cast<long long>(
                            std::ceil(hours / value_in(*req.deadline, units::hour)))) +
                        " accelerators would meet it");
    }
  } else if (!r.accelerators) {
    r.notes.push_back(
        "give --days or --count for the number of accelerators and the wall-clock "
        "time");
  }

  if (r.layout) {
    memory_inputs mi;
    mi.parameters = r.model.parameters;
    mi.expert_parameters = req.expert_parameters;
    mi.shape = r.shape;
    mi.layout = *r.layout;
    mi.bytes = r.state;
    r.memory_per_gpu = memory_per_accelerator(mi);
    if (acc->hbm) {
      const double hbm = value_in(*acc->hbm, units::byte);
      r.memory_left = hbm - r.memory_per_gpu->total;
      r.max_micro_batch = largest_micro_batch(mi, hbm);
      if (*r.memory_left < 0.0) {
        r.fits = false;
        r.notes.push_back("does not fit: the layout needs " +
                          detail::fmt_fixed(r.memory_per_gpu->total / 1073741824.0, 1) +
                          " GiB per accelerator, " +
                          detail::fmt_fixed(-*r.memory_left / 1073741824.0, 1) + " GiB more than " +
                          acc->id + "'s " + detail::fmt_fixed(hbm / 1073741824.0, 1) + " GiB");
      }
    }
    r.assumptions.push_back(
        "memory per accelerator: the first pipeline stage (1F1B holds min(p, m) micro-batches "
        "of its L/p layers; Korthikanti et al. 2022 Table 2 per layer, 16-bit activations); "
        "embeddings, logits, framework buffers and fragmentation not counted");
    if (!acc->scale_up_gb_per_s || !acc->scale_out_gb_per_s) {
      r.notes.push_back("mfu_expected needs the interconnect bandwidths, which " + acc->id +
                        " lacks in the catalogue ([interconnect] scale_up_gb_per_s, "
                        "scale_out_gb_per_s)");
    } else if (!r.layout->global_batch || !r.layout->sequence_length) {
      r.notes.push_back("give --global-batch and --sequence-length for mfu_expected");
    } else {
      utilisation_inputs ui;
      ui.flops = r.flops;
      ui.parameters = r.model.parameters;
      ui.expert_parameters = req.expert_parameters;
      ui.shape = r.shape;
      ui.layout = *r.layout;
      ui.peak_flop_per_s = tflops_of(r.peak) * 1e12;
      ui.kernel_efficiency = req.kernel_efficiency.value_or(default_kernel_efficiency);
      ui.links.scale_up_gb_per_s = *acc->scale_up_gb_per_s;
      ui.links.scale_out_gb_per_s = *acc->scale_out_gb_per_s;
      ui.gradient_bytes = r.state.gradients > 0.0 ? std::min(r.state.gradients, 4.0) : 2.0;
      r.expected = expected_utilisation(ui);
      if (!req.kernel_efficiency) {
        r.assumptions.push_back(
            "kernel efficiency " + detail::fmt_ratio(ui.kernel_efficiency) +
            " of the peak (fitted to Narayanan et al. 2021 Table 1, 18.4B on 256 A100; "
            "docs/planner.md validates it); communication not overlapped");
      }
    }
  }
  return r;
}

}  // namespace costmodel
