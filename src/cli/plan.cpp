// SPDX-License-Identifier: MIT
// `costmodel plan`: the compute a budget or deadline buys, the compute-optimal model for it,
// the accelerators a deadline needs and whether the training state fits.
#include "plan.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "app.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/model_config.hpp"
#include "costmodel/presets.hpp"
#include "report.hpp"

namespace costmodel::cli {
namespace {

std::optional<double> number_opt(const std::string& text, const char* option) {
  if (text.empty()) return std::nullopt;
  const auto v = parse_number(text);
  if (!v || !(*v > 0.0)) {
    throw input_error(std::string(option) + " '" + text + "': expected a positive number");
  }
  return v;
}

std::optional<int> whole_opt(const std::string& text, const char* option, int lo) {
  if (text.empty()) return std::nullopt;
  const auto v = parse_number(text);
  if (!v || !(*v >= lo) || std::floor(*v) != *v || *v > 1e9) {
    throw input_error(std::string(option) + " '" + text +
                      "': expected a whole number >= " + detail::integer_text(lo));
  }
  return static_cast<int>(*v);
}

json bytes_json(const memory_breakdown& m) {
  auto x = json::object();
  x.add("weights", json::number(m.weights)).add("gradients", json::number(m.gradients));
  x.add("optimizer", json::number(m.optimizer)).add("activations", json::number(m.activations));
  x.add("total", json::number(m.total));
  return x;
}

/// Fills what the options left out from a single-phase scenario.
void fill_from_scenario(const scenario& s, plan_request& req) {
  if (!s.phases.empty()) {
    throw input_error("plan --scenario reads a single-phase scenario; '" + s.id + "' has phases");
  }
  const auto& in = s.base;
  if (req.accelerator.empty() && in.accelerator) req.accelerator = *in.accelerator;
  if (!req.count && in.count) req.count = in.count;
  if (!req.precision && in.precision) req.precision = in.precision;
  if (!req.mfu && !req.hfu && !req.achieved_tflops) {  // a scenario's one utilisation key
    req.mfu = in.mfu;
    req.hfu = in.hfu;
    req.achieved_tflops = in.achieved_tflops;
  }
  if (!req.goodput && in.goodput) req.goodput = in.goodput;
  if (!req.price && in.price) req.price = in.price;
  if (!req.parameters && in.parameters) req.parameters = in.parameters;
  if (!req.active_parameters && in.active_parameters) req.active_parameters = in.active_parameters;
  if (!req.compute_flop && !req.tokens && in.tokens && req.parameters) req.tokens = in.tokens;
  if (!req.compute_flop && !req.tokens && in.compute_flop) req.compute_flop = in.compute_flop;
  if (!req.shape && in.shape.layers && in.shape.d_model && in.shape.heads) {
    req.shape = in.shape;
    req.shape_source = "scenario " + s.id;
  }
  // The routed experts, spread over ep: every layer's experts x (3 gated, else 2) x h x F.
  const auto& sh = in.shape;
  if (req.expert_parameters == 0.0 && sh.experts && sh.layers && sh.d_model && sh.ffn_size) {
    req.expert_parameters = *sh.layers * *sh.experts * (sh.gated_mlp.value_or(false) ? 3.0 : 2.0) *
                            *sh.d_model * *sh.ffn_size;
  }
  if (!req.layout && s.parallelism) req.layout = s.parallelism;
  if (req.layout && !req.layout->sequence_length && in.sequence_length) {
    req.layout->sequence_length = in.sequence_length;
  }
}

std::string gib(double bytes) { return human(bytes / 1073741824.0) + " GiB"; }

std::string law_title(scaling_law l) {
  switch (l) {
    case scaling_law::chinchilla_20:
      return "20 tokens per parameter (Hoffmann et al. 2022)";
    case scaling_law::hoffmann_approach3:
      return "Hoffmann et al. 2022 Approach 3, published constants (E 1.69, A 406.4, B 410.7, "
             "alpha 0.34, beta 0.28)";
    case scaling_law::besiroglu_2024:
      return "Besiroglu et al. 2024 refit of Approach 3 (E 1.8172, A 482.01, B 2085.43, alpha "
             "0.3478, beta 0.3658)";
  }
  return "?";
}

}  // namespace

CLI::App* add_plan_command(CLI::App& app, options& o) {
  auto& p = o.plan;
  auto* sub = app.add_subcommand(
      "plan",
      "Plan a run: the compute a budget or deadline buys, the compute-optimal parameters and "
      "tokens under a scaling law, the accelerators a deadline needs, the memory floor");
  sub->add_option("--accelerator,-a", p.accelerator,
                  "Catalogue id (h800-sxm); without it, the hardware-free parts only");
  sub->add_option("--precision", p.precision, precision_names() + " (default: bf16, fp16 or tf32)");
  sub->add_option("--budget-usd", p.budget_usd, "Budget in USD (5.6M)");
  sub->add_option("--usd-per-gpu-hour", p.usd_per_gpu_hour,
                  "Rental price (default: the catalogue's on-demand price)");
  sub->add_option("--mfu", p.mfu, "Model FLOPs utilisation, a ratio (default 0.375, Epoch AI)");
  sub->add_option("--goodput", p.goodput, "Share of reserved time that trains (default 1)");
  sub->add_option("--days", p.days, "Wall-clock deadline in days");
  sub->add_option("--compute-flop", p.compute_flop, "Training compute in FLOP (5.76e23)");
  sub->add_option("--count", p.count, "Number of accelerators");
  sub->add_option("--law", p.law, "chinchilla-20, hoffmann-approach3 or besiroglu-2024")
      ->check(CLI::IsMember({"chinchilla-20", "hoffmann-approach3", "besiroglu-2024"}));
  sub->add_option("--bytes-per-parameter", p.bytes_per_parameter,
                  "Training state per parameter (default 16: Adam, mixed precision, ZeRO)");
  sub->add_option("--parameters", p.parameters, "Total parameters (70e9), instead of the law's");
  sub->add_option("--active-parameters", p.active_parameters, "Parameters per token (MoE)");
  sub->add_option("--tokens", p.tokens, "Training tokens (2e12); with --parameters, C = 6ND");
  sub->add_option("--hfu", p.hfu, "Hardware FLOPs utilisation, a ratio, instead of --mfu");
  sub->add_option("--achieved-tflops", p.achieved_tflops,
                  "Hardware TFLOPS per accelerator as frameworks report them, instead of --mfu");
  sub->add_option("--model-config", p.model_config,
                  "A Hugging Face config.json: shape and parameter counts");
  sub->add_option("--layers", p.layers, "Transformer layers");
  sub->add_option("--hidden", p.hidden, "Hidden size (d_model)");
  sub->add_option("--heads", p.heads, "Attention (query) heads");
  sub->add_option("--kv-heads", p.kv_heads, "Key-value heads (GQA)");
  sub->add_option("--ffn", p.ffn, "MLP inner size");
  sub->add_option("--vocab", p.vocab, "Vocabulary size");
  sub->add_option("--tp", p.tp, "Tensor-parallel size");
  sub->add_option("--pp", p.pp, "Pipeline stages");
  sub->add_option("--dp", p.dp, "Data-parallel size (default: count / (tp x pp x cp))");
  sub->add_option("--ep", p.ep, "Expert-parallel size, within dp");
  sub->add_option("--cp", p.cp, "Context-parallel size (the sequence split)");
  sub->add_option("--virtual-stages", p.virtual_stages,
                  "Interleaved 1F1B: model chunks per pipeline stage (default 1)");
  sub->add_option("--zero", p.zero, "ZeRO stage 0-3 (3 = FSDP full sharding)");
  sub->add_option("--recompute", p.recompute, "Activation recomputation: none, selective, full")
      ->check(CLI::IsMember({"none", "selective", "full"}));
  sub->add_flag("--sequence-parallel", p.sequence_parallel,
                "Sequence parallelism with tp (Korthikanti et al. 2022)");
  sub->add_option("--micro-batch", p.micro_batch, "Sequences per micro-batch (default 1)");
  sub->add_option("--global-batch", p.global_batch, "Sequences per iteration");
  sub->add_option("--sequence-length", p.sequence_length, "Tokens per sequence");
  sub->add_option("--optimizer", p.optimizer, "adam (default), adam-8bit or sgd-momentum")
      ->check(CLI::IsMember({"adam", "adam-8bit", "sgd-momentum"}));
  sub->add_flag("--fp32-gradients", p.fp32_gradients, "Gradients kept in fp32 (4 bytes)");
  sub->add_option("--scenario", p.scenario,
                  "A scenario (id or .toml) whose model, training, hardware, efficiency and "
                  "[parallelism] fill what the options leave out");
  sub->add_option("--kernel-efficiency", p.kernel_efficiency,
                  "Share of the peak the kernels reach, for mfu_expected");
  sub->footer(
      "Examples:\n"
      "  costmodel plan --budget-usd 5.576M --accelerator h800-sxm --usd-per-gpu-hour 2 --mfu "
      "0.35\n"
      "  costmodel plan --compute-flop 5.76e23 --accelerator a100-sxm-80gb --days 30\n"
      "  costmodel plan --parameters 70e9 --accelerator a100-sxm-80gb --count 2048 --tp 8 --pp 4 "
      "--zero 1 --recompute full --sequence-length 4096 --micro-batch 1");
  sub->callback([&o] { o.command = "plan"; });
  return sub;
}

std::string cmd_plan(const options& o, const catalogue& cat) {
  const auto& p = o.plan;
  plan_request req;
  req.accelerator = p.accelerator;
  if (!p.precision.empty()) {
    req.precision = parse_precision(p.precision);
    if (!req.precision) {
      throw input_error("--precision '" + p.precision + "': expected one of " + precision_names());
    }
  }
  req.law = parse_scaling_law(p.law).value_or(scaling_law::besiroglu_2024);
  if (auto v = number_opt(p.budget_usd, "--budget-usd")) req.budget = money_from_usd(*v);
  if (auto v = number_opt(p.usd_per_gpu_hour, "--usd-per-gpu-hour")) {
    req.price = price_rate_from_usd_per_gpu_hour(*v);
  }
  if (auto v = number_opt(p.mfu, "--mfu")) req.mfu = efficiency::from_ratio(*v);
  if (auto v = number_opt(p.goodput, "--goodput")) req.goodput = efficiency::from_ratio(*v);
  if (auto v = number_opt(p.days, "--days")) req.deadline = duration_from_days(*v);
  if (auto v = number_opt(p.compute_flop, "--compute-flop"))
    req.compute_flop = compute_from_flop(*v);
  if (auto v = number_opt(p.count, "--count")) {
    if (std::floor(*v) != *v)
      throw input_error("--count '" + p.count + "': expected a whole number");
    req.count = gpus(*v);
  }
  if (auto v = number_opt(p.bytes_per_parameter, "--bytes-per-parameter")) {
    req.bytes_per_parameter = *v;
  }
  if (auto v = number_opt(p.parameters, "--parameters")) req.parameters = *v;
  if (auto v = number_opt(p.active_parameters, "--active-parameters")) req.active_parameters = *v;
  if (auto v = number_opt(p.tokens, "--tokens")) req.tokens = *v;
  if (auto v = number_opt(p.hfu, "--hfu")) req.hfu = efficiency::from_ratio(*v);
  if (auto v = number_opt(p.achieved_tflops, "--achieved-tflops")) req.achieved_tflops = *v;
  if (auto v = number_opt(p.kernel_efficiency, "--kernel-efficiency")) {
    if (*v > 1.0) throw input_error("--kernel-efficiency '" + p.kernel_efficiency + "': above 1");
    req.kernel_efficiency = *v;
  }
  if (!p.optimizer.empty()) req.optimizer = parse_optimizer(p.optimizer).value();
  req.fp32_gradients = p.fp32_gradients;
  model_shape shape;
  bool shaped = false;
  if (!p.model_config.empty()) {
    const auto mc = read_model_config(p.model_config);
    shape = mc.shape;
    shaped = true;
    req.shape_source = "config.json " + p.model_config + " (" + mc.architecture + ")";
    if (!req.parameters) req.parameters = mc.parameters;
    if (!req.active_parameters && mc.active_parameters < mc.parameters) {
      req.active_parameters = mc.active_parameters;
    }
    req.expert_parameters = mc.expert_parameters;
  }
  auto dim = [&](const std::string& text, const char* option, std::optional<double>& into) {
    if (auto v = whole_opt(text, option, 1)) {
      into = *v;
      shaped = true;
    }
  };
  dim(p.layers, "--layers", shape.layers);
  dim(p.hidden, "--hidden", shape.d_model);
  dim(p.heads, "--heads", shape.heads);
  dim(p.kv_heads, "--kv-heads", shape.kv_heads);
  dim(p.ffn, "--ffn", shape.ffn_size);
  dim(p.vocab, "--vocab", shape.vocab_size);
  if (shaped) {
    if (!shape.layers || !shape.d_model || !shape.heads) {
      throw input_error("a model shape needs --layers, --hidden and --heads (or --model-config)");
    }
    req.shape = shape;
  }
  const bool layout_given = !p.tp.empty() || !p.pp.empty() || !p.dp.empty() || !p.ep.empty() ||
                            !p.cp.empty() || !p.virtual_stages.empty() || !p.zero.empty() ||
                            !p.recompute.empty() || p.sequence_parallel || !p.micro_batch.empty() ||
                            !p.global_batch.empty() || !p.sequence_length.empty();
  if (layout_given) {
    parallel_layout l;
    l.tp = whole_opt(p.tp, "--tp", 1).value_or(1);
    l.pp = whole_opt(p.pp, "--pp", 1).value_or(1);
    l.dp = whole_opt(p.dp, "--dp", 1).value_or(0);
    l.ep = whole_opt(p.ep, "--ep", 1).value_or(1);
    l.cp = whole_opt(p.cp, "--cp", 1).value_or(1);
    l.virtual_stages = whole_opt(p.virtual_stages, "--virtual-stages", 1).value_or(1);
    l.zero = whole_opt(p.zero, "--zero", 0).value_or(0);
    if (l.zero > 3) throw input_error("--zero '" + p.zero + "': expected 0, 1, 2 or 3");
    if (!p.recompute.empty()) l.recompute = parse_recompute(p.recompute).value();
    l.sequence_parallel = p.sequence_parallel;
    l.micro_batch = whole_opt(p.micro_batch, "--micro-batch", 1).value_or(1);
    if (auto v = whole_opt(p.global_batch, "--global-batch", 1)) l.global_batch = *v;
    if (auto v = whole_opt(p.sequence_length, "--sequence-length", 1)) l.sequence_length = *v;
    req.layout = l;
  }
  if (!p.scenario.empty()) fill_from_scenario(load_scenario(p.scenario, cat), req);
  const auto r = plan(req, cat);
  const accelerator_spec* accp = r.hardware ? &cat.at(r.accelerator) : nullptr;
  const std::optional<double> loss = r.model.loss;
  const std::optional<double> acc_n =
      r.accelerators ? std::optional(value_in(*r.accelerators, units::gpu)) : std::nullopt;
  const std::optional<double> days =
      r.wall_clock ? std::optional(days_of(*r.wall_clock)) : std::nullopt;
  const std::optional<double> cost = r.cost ? std::optional(dollars(*r.cost)) : std::nullopt;

  if (o.format == output_format::json) {
    auto x = json::object();
    const bool hw = r.hardware;
    x.add("accelerator", hw ? json::string(r.accelerator) : json::null());
    x.add("precision", json::string(std::string(to_string(r.precision))));
    x.add("peak_tflops", hw ? json::number(tflops_of(r.peak)) : json::null());
    x.add("mfu", hw || !r.mfu_basis.empty() ? json::number(r.mfu.ratio()) : json::null());
    x.add("goodput", json::number(r.goodput.ratio()));
    x.add("usd_per_gpu_hour", r.price ? json::number(per_hour(*r.price)) : json::null());
    x.add("law", json::string(std::string(to_string(r.law))));
    const bool known = !r.compute_basis.empty();
    x.add("compute_flop", known ? json::number(flop(r.compute_flop)) : json::null());
    x.add("compute_basis", json::string(r.compute_basis));
    x.add("parameters", json::number(r.model.parameters));
    x.add("tokens", r.model.tokens > 0.0 ? json::number(r.model.tokens) : json::null());
    x.add("tokens_per_parameter",
          r.model.tokens > 0.0 ? json::number(r.model.tokens / r.model.parameters) : json::null());
    x.add("loss", json::number(loss));
    x.add("gpu_hours", hw && known ? json::number(gpu_h(r.gpu_hours)) : json::null());
    x.add("accelerators", json::number(acc_n));
    x.add("accelerators_basis", json::string(r.accelerators_basis));
    x.add("wall_clock_days", json::number(days));
    x.add("cost_usd", json::number(cost));
    x.add("budget_usd", r.budget ? json::number(dollars(*r.budget)) : json::null());
    x.add("bytes_per_parameter", json::number(r.bytes_per_parameter));
    x.add("memory_floor_accelerators", json::number(r.memory_floor));
    x.add("fits", hw ? json::boolean(r.fits) : json::null());
    x.add("hardware", json::boolean(r.hardware));
    x.add("active_parameters", json::number(r.active_parameters));
    x.add("mfu_basis", json::string(r.mfu_basis));
    x.add("hfu", json::number(r.hfu));
    {
      auto f = json::object();
      f.add("model", json::number(r.flops.model)).add("hardware", json::number(r.flops.hardware));
      f.add("basis", json::string(r.flops.basis));
      x.add("flop_per_token", f);
    }
    {
      auto b = json::object();
      b.add("weights", json::number(r.state.weights));
      b.add("gradients", json::number(r.state.gradients));
      b.add("optimizer", json::number(r.state.optimizer));
      x.add("state_bytes_per_parameter", b);
    }
    if (r.layout) {
      const auto& l = *r.layout;
      auto y = json::object();
      y.add("tp", json::number(l.tp)).add("pp", json::number(l.pp)).add("dp", json::number(l.dp));
      y.add("ep", json::number(l.ep)).add("cp", json::number(l.cp));
      y.add("virtual_stages", json::number(l.virtual_stages));
      y.add("sequence_parallel", json::boolean(l.sequence_parallel));
      y.add("zero", json::number(l.zero));
      y.add("recompute", json::string(std::string(to_string(l.recompute))));
      y.add("micro_batch", json::number(l.micro_batch));
      y.add("global_batch", json::number(l.global_batch));
      y.add("sequence_length", json::number(l.sequence_length));
      y.add("micro_batches", json::number(micro_batches(l)));
      x.add("parallelism", y);
      auto sh = json::object();
      sh.add("layers", json::number(r.shape.layers)).add("d_model", json::number(r.shape.d_model));
      sh.add("heads", json::number(r.shape.heads)).add("basis", json::string(r.shape_basis));
      x.add("model_shape", sh);
    } else {
      x.add("parallelism", json::null());
    }
    x.add("memory_per_gpu_bytes", r.memory_per_gpu ? bytes_json(*r.memory_per_gpu) : json::null());
    x.add("hbm_bytes", r.hbm ? json::number(value_in(*r.hbm, units::byte)) : json::null());
    x.add("memory_left_bytes", json::number(r.memory_left));
    x.add("max_micro_batch", json::number(r.max_micro_batch));
    if (r.expected) {
      const auto& u = *r.expected;
      x.add("mfu_expected", json::number(u.mfu)).add("hfu_expected", json::number(u.hfu));
      auto t = json::object();
      t.add("kernel_efficiency", json::number(u.kernel_efficiency));
      t.add("pipeline_bubble", json::number(u.share(u.bubble_s)));
      t.add("tensor_parallel", json::number(u.share(u.tp_s)));
      t.add("data_parallel", json::number(u.share(u.dp_s)));
      t.add("moe_all_to_all", json::number(u.share(u.moe_s)));
      t.add("iteration_seconds", json::number(u.iteration_s));
      x.add("mfu_expected_terms", t);
    } else {
      x.add("mfu_expected", json::null()).add("hfu_expected", json::null());
      x.add("mfu_expected_terms", json::null());
    }
    x.add("notes", strings_json(r.notes)).add("assumptions", strings_json(r.assumptions));
    return x.str() + "\n";
  }
  table t;
  t.header = {"quantity", "value"};
  auto add = [&](const std::string& k, const std::string& v) { t.rows.push_back({k, v}); };
  std::string from = r.compute_basis == "budget"                ? "bought by the budget"
                     : r.compute_basis == "deadline"            ? "count x days at this MFU"
                     : r.compute_basis == "parameters x tokens" ? "6 x parameters x tokens"
                                                                : "given";
  const bool known = !r.compute_basis.empty();
  add("compute FLOP",
      known ? human(flop(r.compute_flop)) + " (" + from + ")" : "n/a (give --tokens)");
  add("parameters",
      human(r.model.parameters) + (r.active_parameters < r.model.parameters
                                       ? " (" + human(r.active_parameters) + " active)"
                                       : std::string()));
  add("tokens", r.model.tokens > 0.0 ? fmt::format("{} ({} per parameter)", human(r.model.tokens),
                                                   human(r.model.tokens / r.model.parameters))
                                     : "n/a");
  add("predicted loss", loss                   ? fixed(*loss, 3) + " nats/token"
                        : r.model.tokens > 0.0 ? "n/a (the law has none)"
                                               : "n/a (no tokens)");
  if (r.hardware) {
    add("GPU-hours", known ? human(gpu_h(r.gpu_hours)) : "n/a");
    add("rental cost", opt_or(cost, usd));
    add("accelerators", acc_n ? fmt::format("{} ({})", grouped(*acc_n), r.accelerators_basis)
                              : "n/a (give --days or --count)");
    add("wall-clock days", opt_or(days, cli::days));
    add("memory floor", r.memory_floor ? fmt::format("{} x {} ({} bytes per parameter, {} GB each)",
                                                     grouped(*r.memory_floor), r.accelerator,
                                                     human(r.bytes_per_parameter),
                                                     human(value_in(*r.hbm, units::byte) / 1e9))
                                       : "n/a");
    if (r.hfu) add("MFU / HFU", pct(r.mfu.ratio()) + " / " + pct(*r.hfu));
  }
  if (r.layout) {
    const auto& l = *r.layout;
    add("layout",
        fmt::format("tp {} x pp {} x dp {}{}{}, ZeRO {}, recompute {}{}", l.tp, l.pp, l.dp,
                    l.cp > 1 ? fmt::format(" x cp {}", l.cp) : "",
                    l.ep > 1 ? fmt::format(", ep {}", l.ep) : "", l.zero, to_string(l.recompute),
                    l.sequence_parallel ? ", sequence parallel" : ""));
  }
  if (const auto& m = r.memory_per_gpu) {
    add("weights per GPU", gib(m->weights));
    add("gradients per GPU", gib(m->gradients));
    add("optimizer per GPU", gib(m->optimizer));
    add("activations per GPU",
        m->activations ? gib(*m->activations) : "n/a (give --sequence-length)");
    add("total per GPU", gib(m->total));
    if (r.memory_left) {
      add("memory left", *r.memory_left >= 0.0
                             ? fmt::format("{} of {}: fits", gib(*r.memory_left),
                                           gib(value_in(*r.hbm, units::byte)))
                             : fmt::format("does not fit, by {}", gib(-*r.memory_left)));
    }
    if (r.max_micro_batch) add("largest micro-batch", grouped(*r.max_micro_batch));
  }
  if (const auto& u = r.expected) {
    add("expected MFU / HFU", pct(u->mfu) + " / " + pct(u->hfu));
    add("expected, lost to", fmt::format("bubble {}, tensor parallel {}, data parallel {}, MoE {}",
                                         pct(u->share(u->bubble_s)), pct(u->share(u->tp_s)),
                                         pct(u->share(u->dp_s)), pct(u->share(u->moe_s))));
  }
  const bool md = o.format == output_format::markdown;
  std::string out =
      accp ? fmt::format("Plan on {}{} ({}), {} dense peak {} TFLOPS, MFU {}{}{}\n",
                         acc_n ? grouped(*acc_n) + " x " : "", accp->name, accp->id,
                         to_string(r.precision), fixed(tflops_of(r.peak), 1), pct(r.mfu.ratio()),
                         r.goodput.ratio() < 1.0 ? ", goodput " + pct(r.goodput.ratio()) : "",
                         r.price ? ", " + rate(per_hour(*r.price)) + " per GPU-hour" : "")
           : std::string("Plan without hardware\n");
  out += "Law: " + std::string(to_string(r.law)) + ": " + law_title(r.law) + "\n\n";
  out += render_table(t, md);
  std::vector<std::string> others;
  for (auto l :
       {scaling_law::besiroglu_2024, scaling_law::hoffmann_approach3, scaling_law::chinchilla_20}) {
    if (l == r.law || !known) continue;
    const auto a = compute_optimal(r.compute_flop, l);
    others.push_back(fmt::format("{}: {} parameters, {} tokens{}", to_string(l),
                                 human(a.parameters), human(a.tokens),
                                 a.loss ? ", loss " + fixed(*a.loss, 3) : std::string()));
  }
  if (known)
    out += "\n" + list_block("The other laws at this compute", others);
  else
    out += "\n";
  out += list_block("Notes", r.notes);
  out += list_block("Assumptions", r.assumptions);
  return out;
}

}  // namespace costmodel::cli
