// SPDX-License-Identifier: MIT
// FLOP-counting conventions, named and switchable: 6ND, PaLM's 6N + 12LHQT, and Megatron's
// per-layer count with or without full activation recomputation.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include "costmodel/error.hpp"

namespace costmodel {

/// How training FLOPs are counted.
enum class flop_convention {
  six_nd,             ///< 6 * N_active per token (Kaplan et al. 2020)
  palm,               ///< 6 * N_active + 12 * L * H * Q * T (PaLM, Chowdhery et al. 2022, app. B)
  megatron,           ///< per-layer model FLOPs, 3 x forward (Korthikanti et al. 2022)
  megatron_recompute  ///< with full activation recomputation: hardware FLOPs (Narayanan 2021)
};

[[nodiscard]] constexpr std::string_view to_string(flop_convention c) noexcept {
  switch (c) {
    case flop_convention::six_nd:
      return "6ND";
    case flop_convention::palm:
      return "palm";
    case flop_convention::megatron:
      return "megatron";
    case flop_convention::megatron_recompute:
      return "megatron-recompute";
  }
  return "?";
}

/// The convention named `name`, or nothing.
[[nodiscard]] inline std::optional<flop_convention> parse_flop_convention(std::string_view name) {
  for (auto c : {flop_convention::six_nd, flop_convention::palm, flop_convention::megatron,
                 flop_convention::megatron_recompute}) {
    if (to_string(c) == name) return c;
  }
  return std::nullopt;
}

/// The shape of a transformer, for the conventions that need more than N (all counts).
struct model_shape {
  std::optional<double> layers;          ///< L
  std::optional<double> d_model;         ///< h, hidden size
  std::optional<double> heads;           ///< H, query heads
  std::optional<double> kv_heads;        ///< key and value heads (GQA); defaults to heads
  std::optional<double> head_dim;        ///< Q; defaults to d_model / heads
  std::optional<double> ffn_size;        ///< F, per expert for MoE; defaults to 4 h
  std::optional<bool> gated_mlp;         ///< SwiGLU-style three matrices; default false
  std::optional<double> vocab_size;      ///< V
  std::optional<double> experts;         ///< routed experts (MoE)
  std::optional<double> top_k;           ///< routed experts per token
  std::optional<double> shared_experts;  ///< always-active experts; default 0
  bool operator==(const model_shape&) const = default;
};

namespace detail {
inline double need(const std::optional<double>& v, const char* key, std::string_view conv) {
  if (!v) {
    throw input_error("the " + std::string(conv) + " FLOP convention needs model." + key);
  }
  return *v;
}
}  // namespace detail

/// FLOP per token as `slope * N + fixed`: the part that scales with the active parameters N and
/// the part the shape fixes (attention, and everything for the Megatron conventions, which count
/// the layers instead of N), so that N and the tokens can vary without recounting the shape.
struct flop_terms {
  double slope = 6.0;  ///< FLOP per token per active parameter
  double fixed = 0.0;  ///< FLOP per token
};

/// The terms of training_flop_per_token() for convention `c` (see there).
/// Throws: input_error naming the missing model key, or for non-positive values.
[[nodiscard]] inline flop_terms flop_per_token_terms(flop_convention c, const model_shape& s,
                                                     std::optional<double> sequence_length,
                                                     bool causal_halved) {
  const auto conv = to_string(c);
  if (c == flop_convention::six_nd) return {6.0, 0.0};
  if (!sequence_length) {
    throw input_error("the " + std::string(conv) +
                      " FLOP convention needs training.sequence_length");
  }
  const double t = *sequence_length;
  const double causal = causal_halved ? 0.5 : 1.0;
  const double layers = detail::need(s.layers, "layers", conv);
  const double h = detail::need(s.d_model, "d_model", conv);
  const double heads = s.heads ? *s.heads : 0.0;
  const double q = s.head_dim ? *s.head_dim : (heads > 0.0 ? h / heads : 0.0);
  const double hq = heads > 0.0 ? heads * q : h;  // H * Q; d_model when heads are not given
  if (c == flop_convention::palm) return {6.0, 12.0 * causal * layers * hq * t};
  const double v = detail::need(s.vocab_size, "vocab_size", conv);
  double kvq = hq;  // K and V heads times head size; as many as query heads by default
  if (s.kv_heads) {
    (void)detail::need(s.heads, "heads", conv);
    kvq = *s.kv_heads * q;
  }
  const double f = s.ffn_size ? *s.ffn_size : 4.0 * h;
  const double m = s.gated_mlp.value_or(false) ? 3.0 : 2.0;
  double experts_active = 1.0;
  double router = 0.0;
  if (s.experts) {
    experts_active = detail::need(s.top_k, "top_k", conv) + s.shared_experts.value_or(0.0);
    router = 2.0 * h * *s.experts;
  }
  const double proj = 2.0 * h * (2.0 * hq + 2.0 * kvq);
  const double attn = 4.0 * causal * t * hq;
  const double mlp = 2.0 * m * h * f * experts_active + router;
  const double layer_fwd = layers * (proj + attn + mlp);
  const double logits_fwd = 2.0 * h * v;
  const double passes = c == flop_convention::megatron_recompute ? 4.0 : 3.0;
  const double r = passes * layer_fwd + 3.0 * logits_fwd;
  if (!std::isfinite(r) || r <= 0.0) throw input_error("the FLOP count is not a positive number");
  return {0.0, r};
}

/// Training FLOPs per token under convention `c`. `active_parameters` is N (active per token for
/// MoE), `sequence_length` is T; `causal_halved` counts the causal attention score and value
/// products at half (Megatron-LM's current code does, PaLM and torchtitan do not).
///
/// - 6ND: `6 N`.
/// - palm: `6 N + 12 L H Q T` (6 L H Q T halved).
/// - megatron: 3 x forward, with forward per token and layer `2 h (2 H Q + 2 KV Q)` for the
///   projections, `4 T H Q` (2 T H Q halved) for attention scores and values, `2 m h F (k + s)`
///   for the MLP (m = 3 gated, 2 not; k routed of E experts plus s shared; MoE counts only active
///   experts) plus a `2 h E` router, and `2 h V` for the logits. For a dense MHA model with
///   F = 4h this is Korthikanti et al. 2022's `72 l h^2 (1 + s/(6h) + V/(12 l h))` per sequence.
/// - megatron-recompute: the layers run forward twice (4 x forward), logits 3 x: Narayanan et al.
///   2021 eq. 3, `96 l h^2 (1 + s/(6h) + V/(16 l h))` for the same model. Hardware FLOPs (HFU).
/// Throws: input_error naming the missing model key, or for non-positive values.
[[nodiscard]] inline double training_flop_per_token(flop_convention c, double active_parameters,
                                                    const model_shape& s,
                                                    std::optional<double> sequence_length,
                                                    bool causal_halved) {
  if (!std::isfinite(active_parameters) || active_parameters <= 0.0) {
    throw input_error("active parameters must be a positive number");
  }
  const auto t = flop_per_token_terms(c, s, sequence_length, causal_halved);
  return t.slope * active_parameters + t.fixed;
}

}  // namespace costmodel
