// SPDX-License-Identifier: MIT
// `costmodel plan`: the compute a budget or deadline buys and the model it should train.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace costmodel {
struct catalogue;
}

namespace costmodel::cli {

struct options;

/// The options of `plan`, as typed (numbers may use k, M, B, T and %).
struct plan_options {
  std::string accelerator;
  std::string precision;
  std::string law = "besiroglu-2024";
  std::string budget_usd;
  std::string usd_per_gpu_hour;
  std::string mfu;
  std::string goodput;
  std::string days;
  std::string compute_flop;
  std::string count;
  std::string bytes_per_parameter;
  std::string parameters;
  std::string active_parameters;
  std::string tokens;
  std::string hfu;
  std::string achieved_tflops;
  std::string model_config;
  std::string layers, hidden, heads, kv_heads, ffn, vocab;
  std::string tp, pp, dp, ep, cp, virtual_stages;
  std::string zero;
  std::string recompute;
  bool sequence_parallel = false;
  std::string micro_batch, global_batch, sequence_length;
  std::string optimizer;
  bool fp32_gradients = false;
  std::string kernel_efficiency;
  std::string scenario;  ///< a scenario file whose model, hardware and [parallelism] fill gaps
};

/// Declares `plan` on `app`; returns it so that the caller can add --format.
CLI::App* add_plan_command(CLI::App& app, options& o);

/// Runs `plan`. Throws: input_error for bad values.
std::string cmd_plan(const options& o, const catalogue& cat);

}  // namespace costmodel::cli
