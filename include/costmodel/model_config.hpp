// SPDX-License-Identifier: MIT
// A model's shape and parameter counts from a Hugging Face config.json (compiled in
// src/model_config.cpp with nlohmann/json).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "costmodel/flops.hpp"

namespace costmodel {

/// What a config.json says about a model.
struct model_config {
  std::string architecture;  ///< "LlamaForCausalLM", ...
  std::string family;  ///< "llama", "mistral", "mixtral", "qwen2", "qwen3", "deepseek-v3", "gpt2"
  model_shape shape;   ///< layers, d_model, heads, kv_heads, head_dim, ffn, vocab, experts
  double parameters = 0.0;         ///< total, counted from the shapes of every weight
  double active_parameters = 0.0;  ///< per token: the total less the routed experts not chosen
  double expert_parameters = 0.0;  ///< routed experts, all of them
  double dense_layers = 0.0;       ///< MoE models: leading layers with a dense MLP
  std::vector<std::string> notes;  ///< what was assumed
};

/// The architectures read: Llama, Mistral, Mixtral, Qwen2, Qwen3, DeepSeek-V3 and GPT-2.
[[nodiscard]] const std::vector<std::string>& known_architectures();

/// Parses the text of a config.json; `source` names it in errors.
/// Throws: input_error ("source: key: ...") for a malformed file, a missing or wrong key, or an
/// architecture it does not know (named).
[[nodiscard]] model_config parse_model_config(std::string_view json_text,
                                              const std::string& source);

/// Reads and parses a config.json. Throws: input_error, also when the file cannot be read.
[[nodiscard]] model_config read_model_config(const std::filesystem::path& path);

}  // namespace costmodel
