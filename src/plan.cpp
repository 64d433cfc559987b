// SPDX-License-Identifier: MIT
// The planner and the parallel layout's checks and memory, compiled once (plan.hpp, parallelism.hpp
// declare them).
#include "costmodel/plan.hpp"

#include "costmodel/parallelism.hpp"

namespace costmodel {
void check_layout(parallel_layout& l, double count, const model_shape& s) {
  auto whole = [](int v, const char* name, int lo) {
    if (v < lo) {
      throw input_error(std::string(name) + " " + detail::integer_text(v) +
                        ": expected a whole number >= " + detail::integer_text(lo));
    }
  };
  whole(l.tp, "tp", 1);
  whole(l.pp, "pp", 1);
  whole(l.dp, "dp", 0);
  whole(l.ep, "ep", 1);
  whole(l.cp, "cp", 1);
  whole(l.virtual_stages, "virtual_stages", 1);
  if (l.zero < 0 || l.zero > 3) {
    throw input_error("zero " + detail::integer_text(l.zero) +
                      ": expected a ZeRO stage 0, 1, 2 or 3");
  }
  if (!(l.micro_batch >= 1.0) || std::floor(l.micro_batch) != l.micro_batch) {
    throw input_error("micro_batch: expected a whole number of sequences >= 1");
  }
  const long long model = static_cast<long long>(l.tp) * l.pp * l.cp;
  const std::string model_text =
      l.cp > 1
          ? "tp x pp x cp = " + detail::integer_text(l.tp) + " x " + detail::integer_text(l.pp) +
                " x " + detail::integer_text(l.cp) + " = " + detail::integer_text(model)
          : "tp x pp = " + detail::integer_text(l.tp) + " x " + detail::integer_text(l.pp) + " = " +
                detail::integer_text(model);
  if (count > 0.0) {
    const double n = count;
    if (l.dp == 0) {
      if (std::fmod(n, static_cast<double>(model)) != 0.0) {
        throw input_error("the count " + detail::integer_text(static_cast<long long>(n)) +
                          " is not a multiple of " + model_text);
      }
      l.dp = static_cast<int>(n / static_cast<double>(model));
    } else if (static_cast<double>(model * l.dp) != n) {
      throw input_error(std::string(l.cp > 1 ? "tp x pp x cp x dp = " : "tp x pp x dp = ") +
                        detail::integer_text(l.tp) + " x " + detail::integer_text(l.pp) + " x " +
                        (l.cp > 1 ? detail::integer_text(l.cp) + " x " : std::string()) +
                        detail::integer_text(l.dp) + " = " + detail::integer_text(model * l.dp) +
                        ", but the count is " + detail::integer_text(static_cast<long long>(n)));
    }
  } else if (l.dp == 0) {
    l.dp = 1;
  }
  if (l.dp % l.ep != 0) {
    throw input_error("ep " + detail::integer_text(l.ep) + " does not divide dp " +
                      detail::integer_text(l.dp) +
                      " (experts are spread within the data-parallel group)");
  }
  if (s.heads && std::fmod(*s.heads, static_cast<double>(l.tp)) != 0.0) {
    throw input_error("heads " + detail::integer_text(static_cast<long long>(*s.heads)) +
                      " is not divisible by tp " + detail::integer_text(l.tp));
  }
  if (s.kv_heads && *s.kv_heads >= l.tp &&
      std::fmod(*s.kv_heads, static_cast<double>(l.tp)) != 0.0) {
    throw input_error("kv_heads " + detail::integer_text(static_cast<long long>(*s.kv_heads)) +
                      " is not divisible by tp " + detail::integer_text(l.tp));
  }
  if (s.layers && std::fmod(*s.layers, static_cast<double>(l.pp) * l.virtual_stages) != 0.0) {
    if (l.virtual_stages > 1) {
      throw input_error("layers " + detail::integer_text(static_cast<long long>(*s.layers)) +
                        " is not divisible by pp x virtual_stages = " + detail::integer_text(l.pp) +
                        " x " + detail::integer_text(l.virtual_stages));
    }
    throw input_error("layers " + detail::integer_text(static_cast<long long>(*s.layers)) +
                      " is not divisible by pp " + detail::integer_text(l.pp));
  }
  if (s.experts && std::fmod(*s.experts, static_cast<double>(l.ep)) != 0.0) {
    throw input_error("experts " + detail::integer_text(static_cast<long long>(*s.experts)) +
                      " is not divisible by ep " + detail::integer_text(l.ep));
  }
  if (l.sequence_length && l.cp > 1 &&
      std::fmod(*l.sequence_length, static_cast<double>(l.cp)) != 0.0) {
    throw input_error("sequence_length " +
                      detail::integer_text(static_cast<long long>(*l.sequence_length)) +
                      " is not divisible by cp " + detail::integer_text(l.cp));
  }
  if (l.global_batch) {
    const double per = l.micro_batch * l.dp;
    if (!(*l.global_batch >= per) || std::fmod(*l.global_batch, per) != 0.0) {
      throw input_error(
          "global_batch " + detail::integer_text(static_cast<long long>(*l.global_batch)) +
          " is not a multiple of micro_batch x dp = " +
          detail::integer_text(static_cast<long long>(l.micro_batch)) + " x " +
          detail::integer_text(l.dp) + " = " + detail::integer_text(static_cast<long long>(per)));
    }
  }
}
}  // namespace costmodel

namespace costmodel {
utilisation_terms expected_utilisation(const utilisation_inputs& in) {
  const auto& l = in.layout;
  if (!l.global_batch || !l.sequence_length) {
    throw input_error("the expected utilisation needs the global batch and the sequence length");
  }
  const double s = *l.sequence_length;
  const double n = static_cast<double>(l.tp) * l.pp * l.cp * l.dp;
  const double tokens = *l.global_batch * s;
  utilisation_terms u;
  u.kernel_efficiency = in.kernel_efficiency;
  u.compute_s = in.flops.hardware * tokens / n / (in.peak_flop_per_s * in.kernel_efficiency);
  const double m = *micro_batches(l);
  u.bubble_s = u.compute_s * (l.pp - 1.0) / (m * l.virtual_stages);
  const double node = in.links.accelerators_per_node;
  const double up = in.links.scale_up_gb_per_s / 2.0;
  const double out = in.links.scale_out_gb_per_s;
  if (in.shape.layers && in.shape.d_model) {
    const double layers = *in.shape.layers / l.pp;
    const double buffer = l.micro_batch * (s / l.cp) * *in.shape.d_model * in.activation_bytes;
    if (l.tp > 1) {
      const double per_layer = l.recompute == recompute_policy::full ? 6.0 : 4.0;
      const double bw = l.tp <= node ? up : out;
      u.tp_s = m * layers * per_layer * ring_all_reduce_s(buffer, l.tp, bw);
    }
    if (in.shape.experts && in.shape.top_k && l.ep > 1) {
      const double per_layer = l.recompute == recompute_policy::full ? 6.0 : 4.0;
      const double bw = static_cast<double>(l.ep) * l.tp <= node ? up : out;
      const double moved = buffer * *in.shape.top_k / l.tp * (l.ep - 1.0) / l.ep;
      u.moe_s = m * layers * per_layer * moved / (bw * 1e9);
    }
  }
  memory_inputs mi;
  mi.parameters = in.parameters;
  mi.expert_parameters = in.expert_parameters;
  mi.layout = l;
  const double held = parameters_per_accelerator(mi);
  const double factor = l.zero >= 3 ? 1.5 : 1.0;
  const double group = static_cast<double>(l.dp) * l.cp;
  u.dp_s = factor * ring_all_reduce_s(held * in.gradient_bytes, group, out) * (1.0 - in.dp_overlap);
  u.iteration_s = u.compute_s + u.bubble_s + u.tp_s + u.dp_s + u.moe_s;
  u.hfu = in.kernel_efficiency * u.compute_s / u.iteration_s;
  u.mfu = u.hfu * in.flops.model / in.flops.hardware;
  return u;
}
}  // namespace costmodel

namespace costmodel {
memory_breakdown memory_per_accelerator(const memory_inputs& in) {
  const auto& l = in.layout;
  memory_breakdown m;
  const double model = static_cast<double>(l.tp) * l.pp;
  const double dense = (in.parameters - in.expert_parameters) / model;
  const double experts = in.expert_parameters / (model * l.ep);
  const double dp = std::max(1, l.dp);
  const double edp = std::max(1.0, dp / l.ep);
  auto part = [&](double bytes, bool sharded) {
    return sharded ? dense * bytes / dp + experts * bytes / edp : (dense + experts) * bytes;
  };
  m.parameters_per_accelerator = dense + experts;
  m.weights = part(in.bytes.weights, l.zero >= 3);
  m.gradients = part(in.bytes.gradients, l.zero >= 2);
  m.optimizer = part(in.bytes.optimizer, l.zero >= 1);
  m.total = m.weights + m.gradients + m.optimizer;
  const auto& s = in.shape;
  if (s.layers && s.d_model && s.heads && l.sequence_length) {
    const double seq = *l.sequence_length / l.cp;
    m.activations_per_layer = activation_bytes_per_layer(seq, l.micro_batch, *s.d_model, *s.heads,
                                                         l.tp, l.sequence_parallel, l.recompute);
    const double per_stage = *s.layers / l.pp;
    const auto mb = micro_batches(l);
    const double in_flight = mb ? std::min<double>(l.pp, *mb) : static_cast<double>(l.pp);
    m.layers_in_flight = per_stage * in_flight;
    if (l.recompute == recompute_policy::full) {
      m.recompute_working =
          activation_bytes_per_layer(seq, l.micro_batch, *s.d_model, *s.heads, l.tp,
                                     l.sequence_parallel, recompute_policy::none);
    }
    m.activations = m.activations_per_layer * m.layers_in_flight + m.recompute_working;
    m.total += *m.activations;
  }
  return m;
}
}  // namespace costmodel

namespace costmodel {
plan_result plan(const plan_request& req, const catalogue& cat) {
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
