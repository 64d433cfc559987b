// SPDX-License-Identifier: MIT
// Hugging Face config.json -> model shape and parameter counts. The counts add up the shape of
// every weight matrix, bias and norm the architecture's modelling code creates (transformers'
// modeling_llama.py, modeling_mistral.py, modeling_mixtral.py, modeling_qwen2.py,
// modeling_qwen3.py, modeling_gpt2.py; DeepSeek-V3's modeling_deepseek.py), so a published
// total can be checked against them.
#include "costmodel/model_config.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "costmodel/error.hpp"

namespace costmodel {
namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& source, const std::string& key, const std::string& what,
                       errc kind = errc::preset_bad_value) {
  throw preset_error(kind, source, 0, 0, key, what);
}

struct reader {
  const json& j;
  const std::string& source;

  [[nodiscard]] bool has(const char* key) const { return j.contains(key) && !j.at(key).is_null(); }
  [[nodiscard]] double number(const char* key) const {
    if (!has(key)) fail(source, key, "missing key", errc::preset_missing_key);
    const auto& v = j.at(key);
    if (!v.is_number()) fail(source, key, "expected a number");
    const double d = v.get<double>();
    if (!(d > 0.0) || !std::isfinite(d)) fail(source, key, "expected a positive number");
    return d;
  }
  [[nodiscard]] double number_or(const char* key, double fallback) const {
    return has(key) ? number(key) : fallback;
  }
  [[nodiscard]] double count_or(const char* key, double fallback) const {
    if (!has(key)) return fallback;
    const auto& v = j.at(key);
    if (!v.is_number() || v.get<double>() < 0.0) fail(source, key, "expected a count >= 0");
    return v.get<double>();
  }
  [[nodiscard]] bool flag_or(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    if (!j.at(key).is_boolean()) fail(source, key, "expected true or false");
    return j.at(key).get<bool>();
  }
};

/// Llama-style decoder (Llama, Mistral, Mixtral, Qwen2, Qwen3): embeddings, per layer q/k/v/o,
/// a gated MLP (or routed experts), two RMSNorms, a final norm and the output head.
model_config llama_like(const reader& r, const std::string& family) {
  model_config c;
  c.family = family;
  const double h = r.number("hidden_size");
  const double layers = r.number("num_hidden_layers");
  const double heads = r.number("num_attention_heads");
  const double kv = r.number_or("num_key_value_heads", heads);
  const double d = r.number_or("head_dim", h / heads);
  const double f = r.number("intermediate_size");
  const double v = r.number("vocab_size");
  const bool tied = r.flag_or("tie_word_embeddings", false);
  const bool qkv_bias = family == "qwen2" || r.flag_or("attention_bias", false);
  double attn = h * heads * d + 2.0 * h * kv * d + heads * d * h;
  if (qkv_bias) attn += heads * d + 2.0 * kv * d;
  if (family == "qwen3") attn += 2.0 * d;  // q_norm and k_norm
  const double norms = 2.0 * h;
  double mlp = 3.0 * h * f;
  double experts_all = 0.0;
  double experts_active = 0.0;
  c.shape.ffn_size = f;
  if (family == "mixtral") {
    const double e = r.number("num_local_experts");
    const double k = r.number("num_experts_per_tok");
    experts_all = layers * e * 3.0 * h * f;
    experts_active = layers * k * 3.0 * h * f;
    mlp = h * e;  // the router; the experts are counted apart
    c.shape.experts = e;
    c.shape.top_k = k;
  }
  c.parameters = v * h * (tied ? 1.0 : 2.0) + h + layers * (attn + norms + mlp) + experts_all;
  c.expert_parameters = experts_all;
  c.active_parameters = c.parameters - experts_all + experts_active;
  c.shape.layers = layers;
  c.shape.d_model = h;
  c.shape.heads = heads;
  c.shape.kv_heads = kv;
  c.shape.head_dim = d;
  c.shape.gated_mlp = true;
  c.shape.vocab_size = v;
  return c;
}

/// DeepSeek-V3: multi-head latent attention (low-rank q and kv), `first_k_dense_replace` dense
/// layers, then MoE layers of `n_routed_experts` (top `num_experts_per_tok`) and
/// `n_shared_experts` of `moe_intermediate_size`. The multi-token-prediction module
/// (`num_nextn_predict_layers`) is not counted, as in the published 671B.
model_config deepseek_v3(const reader& r) {
  model_config c;
  c.family = "deepseek-v3";
  const double h = r.number("hidden_size");
  const double layers = r.number("num_hidden_layers");
  const double heads = r.number("num_attention_heads");
  const double v = r.number("vocab_size");
  const double f = r.number("intermediate_size");
  const double fe = r.number("moe_intermediate_size");
  const double e = r.number("n_routed_experts");
  const double k = r.number("num_experts_per_tok");
  const double shared = r.count_or("n_shared_experts", 0.0);
  const double dense = r.count_or("first_k_dense_replace", 0.0);
  const double ql = r.number("q_lora_rank");
  const double kvl = r.number("kv_lora_rank");
  const double nope = r.number("qk_nope_head_dim");
  const double rope = r.number("qk_rope_head_dim");
  const double vd = r.number("v_head_dim");
  const bool tied = r.flag_or("tie_word_embeddings", false);
  const double attn = h * ql + ql + ql * heads * (nope + rope) + h * (kvl + rope) + kvl +
                      kvl * heads * (nope + vd) + heads * vd * h;
  const double norms = 2.0 * h;
  const double moe_layers = layers - dense;
  const double expert = 3.0 * h * fe;
  const double router = h * e + e;  // gate weight and e_score_correction_bias
  c.expert_parameters = moe_layers * e * expert;
  c.parameters = v * h * (tied ? 1.0 : 2.0) + h + layers * (attn + norms) + dense * 3.0 * h * f +
                 moe_layers * (shared * expert + router) + c.expert_parameters;
  c.active_parameters = c.parameters - moe_layers * (e - k) * expert;
  c.dense_layers = dense;
  c.shape.layers = layers;
  c.shape.d_model = h;
  c.shape.heads = heads;
  c.shape.head_dim = nope + rope;
  c.shape.ffn_size = fe;
  c.shape.gated_mlp = true;
  c.shape.vocab_size = v;
  c.shape.experts = e;
  c.shape.top_k = k;
  c.shape.shared_experts = shared;
  c.notes.push_back(
      "DeepSeek-V3: the shape for FLOPs and activations takes multi-head latent attention as " +
      detail::integer_text(static_cast<long long>(heads)) + " heads of " +
      detail::integer_text(static_cast<long long>(nope + rope)) +
      " and every layer as MoE; the parameter counts follow the latent projections and the " +
      detail::integer_text(static_cast<long long>(dense)) + " dense first layers exactly");
  return c;
}

/// GPT-2: learned position embeddings, fused qkv with biases, LayerNorms with biases, a 4h GELU
/// MLP (`n_inner`), the output head tied to the token embeddings.
model_config gpt2(const reader& r) {
  model_config c;
  c.family = "gpt2";
  const double h = r.number("n_embd");
  const double layers = r.number("n_layer");
  const double heads = r.number("n_head");
  const double v = r.number("vocab_size");
  const double pos = r.number("n_positions");
  const double f = r.number_or("n_inner", 4.0 * h);
  const double layer =
      2.0 * h + (3.0 * h * h + 3.0 * h) + (h * h + h) + 2.0 * h + (h * f + f) + (f * h + h);
  c.parameters = v * h + pos * h + layers * layer + 2.0 * h;
  c.active_parameters = c.parameters;
  c.shape.layers = layers;
  c.shape.d_model = h;
  c.shape.heads = heads;
  c.shape.ffn_size = f;
  c.shape.gated_mlp = false;
  c.shape.vocab_size = v;
  return c;
}

struct family_entry {
  const char* architecture;
  const char* family;
};

constexpr family_entry families[] = {
    {"LlamaForCausalLM", "llama"},     {"MistralForCausalLM", "mistral"},
    {"MixtralForCausalLM", "mixtral"}, {"Qwen2ForCausalLM", "qwen2"},
    {"Qwen3ForCausalLM", "qwen3"},     {"DeepseekV3ForCausalLM", "deepseek-v3"},
    {"GPT2LMHeadModel", "gpt2"},
};

}  // namespace

const std::vector<std::string>& known_architectures() {
  static const std::vector<std::string> k = [] {
    std::vector<std::string> out;
    for (const auto& f : families) out.emplace_back(f.architecture);
    return out;
  }();
  return k;
}

model_config parse_model_config(std::string_view json_text, const std::string& source) {
  json j;
  try {
    j = json::parse(json_text.begin(), json_text.end());
  } catch (const json::parse_error& e) {
    // nlohmann reports a byte offset: turn it into a line and column.
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < json_text.size(); ++i) {
      if (json_text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw preset_error(errc::preset_syntax, source, line, column, "",
                       "not valid JSON (" + std::string(e.what()) + ")");
  }
  if (!j.is_object()) fail(source, "", "expected a JSON object", errc::preset_syntax);
  const reader r{j, source};
  std::string arch;
  if (j.contains("architectures") && j.at("architectures").is_array() &&
      !j.at("architectures").empty() && j.at("architectures").front().is_string()) {
    arch = j.at("architectures").front().get<std::string>();
  } else {
    fail(source, "architectures", "missing key; expected a list such as [\"LlamaForCausalLM\"]",
         errc::preset_missing_key);
  }
  const char* family = nullptr;
  for (const auto& f : families) {
    if (arch == f.architecture) family = f.family;
  }
  if (!family) {
    std::string known;
    for (const auto& a : known_architectures()) known += (known.empty() ? "" : ", ") + a;
    fail(source, "architectures", "unknown architecture '" + arch + "'; expected one of: " + known);
  }
  const std::string fam = family;
  model_config c = fam == "deepseek-v3" ? deepseek_v3(r)
                   : fam == "gpt2"      ? gpt2(r)
                                        : llama_like(r, fam);
  c.architecture = arch;
  if (!std::isfinite(c.parameters) || !(c.parameters > 0.0)) {
    fail(source, "", "the parameter count is not a positive number");
  }
  return c;
}

model_config read_model_config(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw preset_error(errc::preset_io, path.string(), 0, 0, "", "cannot read the model config");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_model_config(text.str(), path.string());
}

}  // namespace costmodel
