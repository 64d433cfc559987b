// SPDX-License-Identifier: MIT
// A parallel layout (tensor, pipeline, data, expert and context parallelism, ZeRO, recomputation,
// batches), the memory it needs per accelerator, MFU beside HFU, and the utilisation to expect.
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "costmodel/error.hpp"
#include "costmodel/flops.hpp"
#include "costmodel/hardware.hpp"
#include "costmodel/text.hpp"

namespace costmodel {

/// What the backward pass recomputes instead of storing (Korthikanti et al. 2022, section 4).
enum class recompute_policy {
  none,       ///< every activation is stored
  selective,  ///< the attention scores, softmax and dropout are recomputed (section 4.3)
  full,       ///< only each layer's input is stored; the layer runs forward again
};

[[nodiscard]] constexpr std::string_view to_string(recompute_policy r) noexcept {
  switch (r) {
    case recompute_policy::none:
      return "none";
    case recompute_policy::selective:
      return "selective";
    case recompute_policy::full:
      return "full";
  }
  return "?";
}

/// The policy named `name` ("full"), or nothing.
[[nodiscard]] inline std::optional<recompute_policy> parse_recompute(std::string_view name) {
  for (auto r : {recompute_policy::none, recompute_policy::selective, recompute_policy::full}) {
    if (to_string(r) == name) return r;
  }
  return std::nullopt;
}

/// The optimizer whose state is kept per parameter.
enum class optimizer_kind {
  adam,          ///< two fp32 moments (Kingma and Ba 2015): 8 bytes
  adam_8bit,     ///< two 8-bit moments (Dettmers et al. 2022, "8-bit Optimizers"): 2 bytes
  sgd_momentum,  ///< one fp32 momentum: 4 bytes
};

[[nodiscard]] constexpr std::string_view to_string(optimizer_kind o) noexcept {
  switch (o) {
    case optimizer_kind::adam:
      return "adam";
    case optimizer_kind::adam_8bit:
      return "adam-8bit";
    case optimizer_kind::sgd_momentum:
      return "sgd-momentum";
  }
  return "?";
}

[[nodiscard]] inline std::optional<optimizer_kind> parse_optimizer(std::string_view name) {
  for (auto o : {optimizer_kind::adam, optimizer_kind::adam_8bit, optimizer_kind::sgd_momentum}) {
    if (to_string(o) == name) return o;
  }
  return std::nullopt;
}

/// Bytes per parameter of the training state, by part.
struct state_bytes {
  double weights = 2.0;
  double gradients = 2.0;
  double optimizer = 12.0;  ///< fp32 master weights (in mixed precision) and moments
  [[nodiscard]] constexpr double total() const noexcept { return weights + gradients + optimizer; }
};

/// Bytes of one value at precision `p`: fp64 8, fp32/tf32 4, bf16/fp16 2, fp8/int8 1, fp4 0.5.
[[nodiscard]] constexpr double bytes_of(precision p) noexcept {
  switch (p) {
    case precision::fp64:
      return 8.0;
    case precision::tf32:
    case precision::fp32:
      return 4.0;
    case precision::bf16:
    case precision::fp16:
      return 2.0;
    case precision::fp8:
    case precision::int8:
      return 1.0;
    case precision::fp4:
      return 0.5;
  }
  return 2.0;
}

/// The training state per parameter (Rajbhandari et al. 2020, "ZeRO", section 3.1: mixed-precision
/// Adam keeps 2 + 2 + 12 bytes). Weights at the compute precision; gradients at the same, at
/// least 2 bytes (fp8 training keeps bf16 gradients, DeepSeek-V3 report section 3.3), or 4 with
/// `fp32_gradients` (frameworks that accumulate gradients in fp32, Megatron-LM's default with
/// a distributed optimizer); in mixed precision (weights under 4 bytes) the optimizer also keeps
/// 4-byte fp32 master weights. fp64: 8 + 8 + 16.
[[nodiscard]] constexpr state_bytes training_state_bytes(precision p,
                                                         optimizer_kind o = optimizer_kind::adam,
                                                         bool fp32_gradients = false) noexcept {
  state_bytes b;
  b.weights = bytes_of(p);
  b.gradients = fp32_gradients ? std::max(4.0, b.weights) : std::max(2.0, b.weights);
  const double wide = b.weights >= 4.0 ? b.weights : 4.0;  // moment width: fp32, or fp64
  const double master = b.weights < 4.0 ? 4.0 : 0.0;
  double moments = 0.0;
  switch (o) {
    case optimizer_kind::adam:
      moments = 2.0 * wide;
      break;
    case optimizer_kind::adam_8bit:
      moments = 2.0;
      break;
    case optimizer_kind::sgd_momentum:
      moments = wide;
      break;
  }
  b.optimizer = master + moments;
  return b;
}

/// A parallel layout. Counts are whole numbers; `dp` 0 means "count / (tp x pp x cp)".
struct parallel_layout {
  int tp = 1;              ///< tensor parallel (Shoeybi et al. 2019)
  int pp = 1;              ///< pipeline stages (1F1B schedule, Narayanan et al. 2021)
  int dp = 0;              ///< data parallel replicas; 0: derived from the accelerator count
  int ep = 1;              ///< expert parallel, within the data-parallel group (MoE)
  int cp = 1;              ///< context parallel: the sequence split over cp accelerators
  int virtual_stages = 1;  ///< interleaved 1F1B: model chunks per pipeline stage (Narayanan 2021)
  bool sequence_parallel = false;  ///< Korthikanti et al. 2022 section 4.2.2
  int zero = 0;                    ///< ZeRO stage 0-3 (3 = FSDP full sharding)
  recompute_policy recompute = recompute_policy::none;
  double micro_batch = 1.0;               ///< sequences per micro-batch, b
  std::optional<double> global_batch;     ///< sequences per iteration, B
  std::optional<double> sequence_length;  ///< tokens per sequence, s
  bool operator==(const parallel_layout&) const = default;
};

/// Checks `l` against itself, the accelerator count (0: not known) and the model shape, and fills
/// `dp` when it is 0. Errors name the product that is wrong ("tp x pp x dp = 8 x 4 x 32 = 1024, but
/// the count is 2048"). Throws: input_error.
void check_layout(parallel_layout& l, double count, const model_shape& s);

/// Micro-batches per iteration and pipeline, m = B / (b x dp), or nothing without B.
[[nodiscard]] inline std::optional<double> micro_batches(const parallel_layout& l) {
  if (!l.global_batch || l.dp < 1) return std::nullopt;
  return *l.global_batch / (l.micro_batch * l.dp);
}

/// Activation bytes of one transformer layer for one micro-batch on one accelerator, with 16-bit
/// activations (Korthikanti et al. 2022, Table 2; s = sequence / cp, b micro-batch, h hidden,
/// a heads, t = tp): none sbh(10 + 24/t + 5as/(ht)), with sequence parallelism sbh(34/t +
/// 5as/(ht)); selective sbh(10 + 24/t), with sequence parallelism sbh(34/t); full 2sbh (the
/// layer input), 2sbh/t with sequence parallelism. The coefficients are for multi-head attention
/// and a 4h GELU MLP; other shapes are approximated by them.
[[nodiscard]] inline double activation_bytes_per_layer(double s, double b, double h, double a,
                                                       double t, bool sp, recompute_policy r) {
  const double sbh = s * b * h;
  const double attn = 5.0 * a * s / (h * t);
  switch (r) {
    case recompute_policy::none:
      return sbh * ((sp ? 34.0 / t : 10.0 + 24.0 / t) + attn);
    case recompute_policy::selective:
      return sbh * (sp ? 34.0 / t : 10.0 + 24.0 / t);
    case recompute_policy::full:
      return sbh * (sp ? 2.0 / t : 2.0);
  }
  return 0.0;
}

/// What memory_per_accelerator() needs.
struct memory_inputs {
  double parameters = 0.0;         ///< total, a count
  double expert_parameters = 0.0;  ///< of which routed experts (spread over ep)
  model_shape shape;               ///< layers, d_model and heads for activations
  parallel_layout layout;          ///< checked
  state_bytes bytes;
};

/// Memory per accelerator, bytes, by part.
struct memory_breakdown {
  double weights = 0.0;
  double gradients = 0.0;
  double optimizer = 0.0;
  std::optional<double> activations;  ///< nothing without a model shape and sequence length
  double total = 0.0;
  double activations_per_layer = 0.0;  ///< one layer, one micro-batch
  double layers_in_flight = 0.0;       ///< layer activations held at the first pipeline stage
  double recompute_working = 0.0;      ///< full recomputation rebuilds one layer's activations
  double parameters_per_accelerator = 0.0;
};

/// Parameters held by one accelerator before ZeRO: the dense part over tp x pp, the routed
/// experts over tp x pp x ep (Megatron-LM's expert parallelism within the data-parallel group).
/// The pipeline stages are taken as holding equal shares (the embeddings sit on the first and
/// last stage in practice).
[[nodiscard]] inline double parameters_per_accelerator(const memory_inputs& in) {
  const auto& l = in.layout;
  const double model = static_cast<double>(l.tp) * l.pp;
  return (in.parameters - in.expert_parameters) / model + in.expert_parameters / (model * l.ep);
}

/// The training state and activations on one accelerator (the first pipeline stage, which holds
/// the most activations). ZeRO (Rajbhandari et al. 2020, section 5): stage 1 divides the
/// optimizer state over the data-parallel group, stage 2 also the gradients, stage 3 also the
/// weights; the experts' group is dp / ep. Activations: Korthikanti et al. 2022 Table 2 per
/// layer; with 1F1B the first stage holds min(p, m) micro-batches of its L/p layers (section
/// 4.2.3), so about L layers; full recomputation also rebuilds one layer's full activations.
[[nodiscard]] memory_breakdown memory_per_accelerator(const memory_inputs& in);

/// The largest micro-batch whose memory fits in `hbm_bytes` (activations grow with b), 0 when
/// even one sequence does not fit, nothing without activations.
[[nodiscard]] inline std::optional<double> largest_micro_batch(const memory_inputs& in,
                                                               double hbm_bytes) {
  auto one = in;
  one.layout.micro_batch = 1.0;
  one.layout.global_batch.reset();  // in flight: p micro-batches
  const auto m = memory_per_accelerator(one);
  if (!m.activations || !(*m.activations > 0.0)) return std::nullopt;
  const double left = hbm_bytes - (m.weights + m.gradients + m.optimizer);
  if (left <= 0.0) return 0.0;
  return std::floor(left / *m.activations);
}

/// Hardware FLOPs over model FLOPs for a recomputation policy: the extra forward work the
/// backward pass does again. `model` and `hardware` are per token. Full: Narayanan et al. 2021
/// eq. 3 against Korthikanti et al. 2022's model FLOPs (megatron-recompute over megatron), or
/// 8N / 6N without a shape; selective: the attention score and value products once more per
/// layer (4 s h per token and layer forward, Korthikanti et al. 2022 section 6.3).
struct flop_pair {
  double model = 0.0;
  double hardware = 0.0;
  std::string basis;  ///< how they were counted
  [[nodiscard]] double ratio() const noexcept { return hardware / model; }
};

/// `sequence_length` 0: not known (6N and 8N).
[[nodiscard]] inline flop_pair flops_per_token(double active_parameters, const model_shape& s,
                                               double sequence_length, recompute_policy r) {
  flop_pair f;
  const bool shaped = s.layers && s.d_model && s.vocab_size && sequence_length > 0.0;
  const std::optional<double> seq = sequence_length;
  if (shaped) {
    f.model = training_flop_per_token(flop_convention::megatron, active_parameters, s, seq, false);
    f.basis = "megatron (model FLOPs, Korthikanti et al. 2022)";
  } else {
    f.model = 6.0 * active_parameters;
    f.basis = "6N (no model shape)";
  }
  switch (r) {
    case recompute_policy::none:
      f.hardware = f.model;
      break;
    case recompute_policy::full:
      f.hardware = shaped ? training_flop_per_token(flop_convention::megatron_recompute,
                                                    active_parameters, s, seq, false)
                          : 8.0 * active_parameters;
      break;
    case recompute_policy::selective: {
      double extra = 0.0;
      if (shaped) {
        const double heads = s.heads.value_or(0.0);
        const double hq =
            heads > 0.0 ? heads * s.head_dim.value_or(*s.d_model / heads) : *s.d_model;
        extra = 4.0 * *s.layers * sequence_length * hq;
      }
      f.hardware = f.model + extra;
      break;
    }
  }
  return f;
}

/// Interconnect of one accelerator (per GPU, GB/s): the scale-up link as vendors publish it
/// (bidirectional aggregate) and the scale-out network (one direction).
struct link_bandwidth {
  double scale_up_gb_per_s = 0.0;   ///< NVLink-class, bidirectional aggregate
  double scale_out_gb_per_s = 0.0;  ///< inter-node, per accelerator, one direction
  double accelerators_per_node = 8.0;
};

/// Inputs of expected_utilisation().
struct utilisation_inputs {
  flop_pair flops;                 ///< per token
  double parameters = 0.0;         ///< total
  double expert_parameters = 0.0;  ///< routed
  model_shape shape;
  parallel_layout layout;  ///< checked, with global batch and sequence length
  double peak_flop_per_s = 0.0;
  double kernel_efficiency = 0.0;  ///< share of the peak the kernels reach (HFU with no overhead)
  link_bandwidth links;
  double gradient_bytes = 2.0;  ///< bytes per gradient value on the wire
  double activation_bytes = 2.0;
  double dp_overlap = 0.0;  ///< share of the data-parallel communication hidden by compute
};

/// The utilisation to expect and its terms, each a share of the iteration time.
struct utilisation_terms {
  double kernel_efficiency = 0.0;
  double compute_s = 0.0;  ///< per iteration, at the kernel efficiency
  double bubble_s = 0.0;
  double tp_s = 0.0;
  double dp_s = 0.0;
  double moe_s = 0.0;
  double iteration_s = 0.0;
  double hfu = 0.0;
  double mfu = 0.0;
  [[nodiscard]] double share(double part) const noexcept { return part / iteration_s; }
};

/// Ring all-reduce: each accelerator sends and receives 2 (n - 1) / n of the buffer (Patarasuk
/// and Yuan 2009); seconds at `gb_per_s` one way.
[[nodiscard]] inline double ring_all_reduce_s(double bytes, double n, double gb_per_s) {
  if (n <= 1.0) return 0.0;
  return 2.0 * (n - 1.0) / n * bytes / (gb_per_s * 1e9);
}

/// Expected utilisation: compute at `kernel_efficiency` of the peak, then, not overlapped,
/// - the 1F1B pipeline bubble, (p - 1) / m of the compute (Narayanan et al. 2021, section 2.2.1),
///   (p - 1) / (v m) with v virtual stages (interleaved schedule, section 2.2.2);
/// - tensor-parallel all-reduces of b s h activations: 2 forward and 2 backward per layer, 2 more
///   when full recomputation runs the forward again (Shoeybi et al. 2019, section 3; Korthikanti
///   et al. 2022 section 4.2.2: sequence parallelism's reduce-scatter and all-gather move the
///   same bytes), over the scale-up link (one direction: half the published aggregate) when tp
///   fits in a node, else the scale-out network;
/// - the data-parallel gradient all-reduce of the accelerator's parameters (ZeRO 1 and 2 move
///   the same bytes, ZeRO 3 1.5 times as many: Rajbhandari et al. 2020, section 7), less
///   `dp_overlap`, over the scale-out network;
/// - MoE all-to-all: the k routed copies of b s h activations, dispatched and combined, forward
///   and backward, (ep - 1) / ep of them leaving the accelerator.
/// HFU = kernel efficiency x compute / iteration; MFU = HFU x model / hardware FLOPs.
/// Throws: input_error without a global batch or sequence length.
[[nodiscard]] utilisation_terms expected_utilisation(const utilisation_inputs& in);

}  // namespace costmodel
