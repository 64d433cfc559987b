// SPDX-License-Identifier: MIT
#include "costmodel/flops.hpp"

#include "catch.hpp"

using namespace costmodel;
using Catch::Matchers::WithinRel;

namespace {
// GPT-2 124M as in llm.c #481: 12 layers, d = 768, 12 heads, T = 1,024; vocab 50,304 (padded).
model_shape gpt2() {
  model_shape s;
  s.layers = 12;
  s.d_model = 768;
  s.heads = 12;
  s.vocab_size = 50304;
  return s;
}
constexpr double n = 124e6;
constexpr double l = 12;
constexpr double h = 768;
constexpr double t = 1024;
constexpr double v = 50304;
}  // namespace

TEST_CASE("6ND counts six FLOPs per active parameter and token", "[flops]") {
  CHECK(training_flop_per_token(flop_convention::six_nd, n, {}, std::nullopt, false) == 6 * n);
}

TEST_CASE("palm adds 12 L H Q T, or half of it for causal attention", "[flops]") {
  // PaLM app. B: 6N + 12 L H Q T, H Q = d_model = 768.
  CHECK_THAT(training_flop_per_token(flop_convention::palm, n, gpt2(), t, false),
             WithinRel(6 * n + 12 * l * h * t, 1e-12));
  CHECK_THAT(training_flop_per_token(flop_convention::palm, n, gpt2(), t, true),
             WithinRel(6 * n + 6 * l * h * t, 1e-12));
}

TEST_CASE("megatron matches Korthikanti's and Narayanan's closed forms", "[flops]") {
  // Korthikanti et al. 2022 (no recompute): 72 l h^2 (1 + s/(6h) + V/(12 l h)) per token.
  const double model = 72 * l * h * h * (1 + t / (6 * h) + v / (12 * l * h));
  CHECK_THAT(training_flop_per_token(flop_convention::megatron, n, gpt2(), t, false),
             WithinRel(model, 1e-12));
  // Narayanan et al. 2021 eq. 3 (full recompute): 96 l h^2 (1 + s/(6h) + V/(16 l h)).
  const double hardware = 96 * l * h * h * (1 + t / (6 * h) + v / (16 * l * h));
  CHECK_THAT(training_flop_per_token(flop_convention::megatron_recompute, n, gpt2(), t, false),
             WithinRel(hardware, 1e-12));
  // Causal halving removes half of the attention term 12 l h s (by hand: 6 l h s).
  CHECK_THAT(training_flop_per_token(flop_convention::megatron, n, gpt2(), t, true),
             WithinRel(model - 6 * l * h * t, 1e-12));
}

TEST_CASE("grouped-query attention and MoE count only what runs", "[flops]") {
  // One layer, h = 8192, 64 heads of 128, 8 KV heads, gated FFN 28,672, V = 32,000, T = 4,096.
  model_shape s;
  s.layers = 1;
  s.d_model = 8192;
  s.heads = 64;
  s.kv_heads = 8;
  s.ffn_size = 28672;
  s.gated_mlp = true;
  s.vocab_size = 32000;
  const double hh = 8192;
  // Forward by hand: projections 2h(2h + 2 * 1024), attention 4 T h, MLP 2 * 3 h F, logits 2hV.
  const double fwd_layer = 2 * hh * (2 * hh + 2 * 1024) + 4 * 4096 * hh + 6 * hh * 28672;
  const double dense = 3 * fwd_layer + 3 * 2 * hh * 32000;
  CHECK_THAT(training_flop_per_token(flop_convention::megatron, 1e9, s, 4096.0, false),
             WithinRel(dense, 1e-12));
  // Eight experts, two routed per token: the MLP counts twice, plus a 2 h E router.
  s.experts = 8;
  s.top_k = 2;
  const double moe = dense + 3 * (6 * hh * 28672 + 2 * hh * 8);
  CHECK_THAT(training_flop_per_token(flop_convention::megatron, 1e9, s, 4096.0, false),
             WithinRel(moe, 1e-12));
}

TEST_CASE("a convention names the model key it misses", "[flops]") {
  model_shape s;
  CHECK_THROWS_AS(training_flop_per_token(flop_convention::palm, n, s, t, false), input_error);
  CHECK_THROWS_AS(training_flop_per_token(flop_convention::palm, n, gpt2(), std::nullopt, false),
                  input_error);
  auto no_vocab = gpt2();
  no_vocab.vocab_size.reset();
  CHECK_THROWS_WITH(training_flop_per_token(flop_convention::megatron, n, no_vocab, t, false),
                    Catch::Matchers::Contains("model.vocab_size"));
  CHECK(parse_flop_convention("megatron-recompute") == flop_convention::megatron_recompute);
  CHECK_FALSE(parse_flop_convention("7ND"));
}
