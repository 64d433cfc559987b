// SPDX-License-Identifier: MIT
// The branches of the planner: every layout check's message, memory and FLOPs per token without
// a shape, the expected utilisation's terms by hand, plan()'s notes and errors, and
// `costmodel plan` (options, errors, JSON against plan(), the table).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app.hpp"
#include "bundled_catalogue.hpp"
#include "catch.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/model_config.hpp"
#include "costmodel/plan.hpp"
#include "costmodel/presets.hpp"

using namespace costmodel;
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinRel;

namespace {

const catalogue& cat() { return costmodel::testing::bundled_catalogue(); }
const std::string data = COSTMODEL_TEST_DATA;

bool has(const std::string& s, const std::string& what) {
  return s.find(what) != std::string::npos;
}
bool any_has(const std::vector<std::string>& v, const std::string& what) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return has(s, what); });
}

/// The bundled catalogue with made-up variants of the A100 80GB: no memory size, no
/// interconnect, only tf32 and fp32 peaks, only an fp64 peak.
const catalogue& variants() {
  static const catalogue c = [] {
    catalogue x = cat();
    auto base = x.at("a100-sxm-80gb");
    auto no_hbm = base;
    no_hbm.id = "no-hbm";
    no_hbm.hbm.reset();
    x.accelerators[no_hbm.id] = no_hbm;
    auto no_links = base;
    no_links.id = "no-links";
    no_links.scale_up_gb_per_s.reset();
    x.accelerators[no_links.id] = no_links;
    auto tf32 = base;
    tf32.id = "tf32-only";
    for (auto p : {precision::bf16, precision::fp16, precision::fp8, precision::int8,
                   precision::fp4, precision::fp64}) {
      tf32.peak[static_cast<std::size_t>(p)].reset();
    }
    tf32.prices = {};
    x.accelerators[tf32.id] = tf32;
    auto fp64 = base;
    fp64.id = "fp64-only";
    fp64.peak = {};
    fp64.peak[static_cast<std::size_t>(precision::fp64)] = compute_rate_from_tflops(19.5);
    x.accelerators[fp64.id] = fp64;
    return x;
  }();
  return c;
}

cli::options parse(std::vector<std::string> args) {
  CLI::App app{"costmodel"};
  cli::options o;
  cli::add_options(app, o);
  std::reverse(args.begin(), args.end());
  app.parse(args);
  return o;
}

std::string run(std::vector<std::string> args) { return cli::execute(parse(std::move(args))); }

}  // namespace

TEST_CASE("every layout check names what is wrong", "[plan][layout]") {
  const model_shape none;
  auto msg = [&](parallel_layout l, double count, const model_shape& s) {
    try {
      check_layout(l, count, s);
    } catch (const input_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  parallel_layout l;
  l.tp = 0;
  CHECK(msg(l, 0, none) == "tp 0: expected a whole number >= 1");
  l = {};
  l.pp = 0;
  CHECK(msg(l, 0, none) == "pp 0: expected a whole number >= 1");
  l = {};
  l.dp = -1;
  CHECK(msg(l, 0, none) == "dp -1: expected a whole number >= 0");
  l = {};
  l.ep = 0;
  CHECK(msg(l, 0, none) == "ep 0: expected a whole number >= 1");
  l = {};
  l.cp = 0;
  CHECK(msg(l, 0, none) == "cp 0: expected a whole number >= 1");
  l = {};
  l.virtual_stages = 0;
  CHECK(msg(l, 0, none) == "virtual_stages 0: expected a whole number >= 1");
  l = {};
  l.zero = 4;
  CHECK(msg(l, 0, none) == "zero 4: expected a ZeRO stage 0, 1, 2 or 3");
  l.zero = -1;
  CHECK(msg(l, 0, none) == "zero -1: expected a ZeRO stage 0, 1, 2 or 3");
  l = {};
  l.micro_batch = 1.5;
  CHECK(msg(l, 0, none) == "micro_batch: expected a whole number of sequences >= 1");
  l.micro_batch = 0.0;
  CHECK(msg(l, 0, none) == "micro_batch: expected a whole number of sequences >= 1");

  // Context parallelism enters the products.
  l = {};
  l.tp = 2;
  l.cp = 2;
  CHECK(msg(l, 10, none) == "the count 10 is not a multiple of tp x pp x cp = 2 x 1 x 2 = 4");
  l.dp = 2;
  CHECK(msg(l, 12, none) == "tp x pp x cp x dp = 2 x 1 x 2 x 2 = 8, but the count is 12");
  l.dp = 0;
  auto filled = l;
  check_layout(filled, 12, none);
  CHECK(filled.dp == 3);  // 12 / (2 x 1 x 2)
  auto unknown = parallel_layout{};
  check_layout(unknown, 0, none);  // no count: one replica
  CHECK(unknown.dp == 1);

  l = {};
  l.dp = 4;
  l.ep = 3;
  CHECK(msg(l, 0, none) ==
        "ep 3 does not divide dp 4 (experts are spread within the data-parallel group)");

  model_shape s;
  s.heads = 64;
  s.kv_heads = 12;
  l = {};
  l.tp = 8;
  CHECK(msg(l, 8, s) == "kv_heads 12 is not divisible by tp 8");
  s.kv_heads = 4;  // fewer KV heads than tp: replicated, accepted
  CHECK(msg(l, 8, s) == "no error");

  model_shape deep;
  deep.layers = 80;
  l = {};
  l.pp = 4;
  l.virtual_stages = 3;
  CHECK(msg(l, 4, deep) == "layers 80 is not divisible by pp x virtual_stages = 4 x 3");
  l.virtual_stages = 5;  // 80 / (4 x 5)
  CHECK(msg(l, 4, deep) == "no error");

  model_shape moe;
  moe.experts = 8;
  l = {};
  l.dp = 3;
  l.ep = 3;
  CHECK(msg(l, 3, moe) == "experts 8 is not divisible by ep 3");

  l = {};
  l.cp = 2;
  l.sequence_length = 4097;
  CHECK(msg(l, 2, none) == "sequence_length 4097 is not divisible by cp 2");

  l = {};
  l.global_batch = 4;
  CHECK(msg(l, 8, none) == "global_batch 4 is not a multiple of micro_batch x dp = 1 x 8 = 8");
}

TEST_CASE("micro-batches per iteration", "[plan][layout]") {
  parallel_layout l;
  CHECK(!micro_batches(l));  // no global batch
  l.global_batch = 1024;
  CHECK(!micro_batches(l));  // dp 0: not checked yet
  l.dp = 8;
  l.micro_batch = 2;
  CHECK(micro_batches(l) == 64.0);  // m = B / (b x dp) = 1024 / 16
}

TEST_CASE("names of policies, optimizers and laws round-trip", "[plan]") {
  for (auto r : {recompute_policy::none, recompute_policy::selective, recompute_policy::full}) {
    CHECK(parse_recompute(to_string(r)) == r);
  }
  CHECK(!parse_recompute("partial"));
  for (auto o : {optimizer_kind::adam, optimizer_kind::adam_8bit, optimizer_kind::sgd_momentum}) {
    CHECK(parse_optimizer(to_string(o)) == o);
  }
  CHECK(!parse_optimizer("lion"));
  for (auto l :
       {scaling_law::chinchilla_20, scaling_law::hoffmann_approach3, scaling_law::besiroglu_2024}) {
    CHECK(parse_scaling_law(to_string(l)) == l);
  }
  CHECK(!fit_of(scaling_law::chinchilla_20));
  CHECK(fit_of(scaling_law::hoffmann_approach3)->e == 1.69);
}

TEST_CASE("bytes per value and training state per precision", "[plan][memory]") {
  CHECK(bytes_of(precision::fp64) == 8.0);
  CHECK(bytes_of(precision::fp32) == 4.0);
  CHECK(bytes_of(precision::tf32) == 4.0);
  CHECK(bytes_of(precision::bf16) == 2.0);
  CHECK(bytes_of(precision::fp16) == 2.0);
  CHECK(bytes_of(precision::fp8) == 1.0);
  CHECK(bytes_of(precision::int8) == 1.0);
  CHECK(bytes_of(precision::fp4) == 0.5);
  // Rajbhandari et al. 2020 section 3.1 with the other optimizers: fp32 SGD with momentum keeps
  // 4 + 4 + 4 (no master copy); fp64 8-bit Adam 8 + 8 + 2; fp4 weights, bf16 gradients and
  // Adam with an fp32 master copy 0.5 + 2 + (4 + 8).
  const auto sgd = training_state_bytes(precision::fp32, optimizer_kind::sgd_momentum);
  CHECK(sgd.weights == 4.0);
  CHECK(sgd.gradients == 4.0);
  CHECK(sgd.optimizer == 4.0);
  CHECK(training_state_bytes(precision::fp64, optimizer_kind::adam_8bit).total() == 18.0);
  CHECK(training_state_bytes(precision::fp4).total() == 14.5);
  // fp32 gradients: at least 4 bytes, never fewer than the weights' 8 in fp64.
  CHECK(training_state_bytes(precision::fp8, optimizer_kind::adam, true).gradients == 4.0);
  CHECK(training_state_bytes(precision::fp64, optimizer_kind::adam, true).gradients == 8.0);
}

TEST_CASE("largest micro-batch without activations or room", "[plan][memory]") {
  memory_inputs in;
  in.parameters = 8e9;
  CHECK(!largest_micro_batch(in, 80e9));  // no shape, no sequence length: no activations
  in.shape.layers = 32;
  in.shape.d_model = 4096;
  in.shape.heads = 32;
  in.layout.sequence_length = 2048;
  // 8e9 x 16 bytes = 128 GB of state on one accelerator: nothing left for a micro-batch.
  CHECK(largest_micro_batch(in, 80e9) == 0.0);
  // With the state sharded over tp 8 (16 GB), (80 GB - 16 GB) over one micro-batch's
  // activations, Korthikanti et al. 2022 Table 2, no recomputation: 32 layers x sbh (10 + 24/8 +
  // 5 a s / (h t)), s 2048, b 1, h 4096, a 32, t 8, 1F1B with p = 1 holding one micro-batch.
  in.layout.tp = 8;
  const double sbh = 2048.0 * 4096.0;
  const double per = 32.0 * sbh * (10.0 + 3.0 + 5.0 * 32 * 2048 / (4096.0 * 8));
  CHECK(largest_micro_batch(in, 80e9) == std::floor((80e9 - 16e9) / per));
}

TEST_CASE("FLOPs per token without a shape, and selective recomputation's heads", "[plan][mfu]") {
  model_shape none;
  const auto plain = flops_per_token(7e9, none, 4096.0, recompute_policy::none);
  CHECK(plain.model == 42e9);  // 6N (Kaplan et al. 2020)
  CHECK(plain.hardware == 42e9);
  CHECK(plain.basis == "6N (no model shape)");
  CHECK(flops_per_token(7e9, none, 4096.0, recompute_policy::full).hardware == 56e9);  // 8N
  CHECK(flops_per_token(7e9, none, 4096.0, recompute_policy::selective).hardware == 42e9);

  model_shape s;
  s.layers = 32;
  s.d_model = 3072;
  s.vocab_size = 32000;
  // Sequence length 0 means not known: 6N again, even with a shape.
  CHECK(flops_per_token(7e9, s, 0.0, recompute_policy::none).basis == "6N (no model shape)");
  // No heads: the query width is d_model; 4 s h per layer (Korthikanti et al. 2022 section 6.3).
  const auto no_heads = flops_per_token(7e9, s, 4096.0, recompute_policy::selective);
  CHECK(no_heads.basis == "megatron (model FLOPs, Korthikanti et al. 2022)");
  CHECK_THAT(no_heads.hardware - no_heads.model, WithinRel(4.0 * 32 * 4096 * 3072, 1e-9));
  // 32 heads of 128: the query width is 4096, wider than d_model.
  s.heads = 32;
  s.head_dim = 128;
  const auto wide = flops_per_token(7e9, s, 4096.0, recompute_policy::selective);
  CHECK_THAT(wide.hardware - wide.model, WithinRel(4.0 * 32 * 4096 * 4096, 1e-9));
}

TEST_CASE("the ring all-reduce", "[plan][mfu]") {
  CHECK(ring_all_reduce_s(1e9, 1.0, 100.0) == 0.0);  // alone: nothing to send
  // 2 (n - 1) / n of 1 GB at 100 GB/s, n = 4 (Patarasuk and Yuan 2009): 0.015 s.
  CHECK_THAT(ring_all_reduce_s(1e9, 4.0, 100.0), WithinRel(0.015, 1e-12));
}

namespace {
// 1e9 dense parameters, 6e9 FLOP per token (no recomputation), 8 layers of hidden 1024, on
// tp 2 x pp 2 x dp 2, micro-batch 1, global batch 64, sequence 1024; a 100 TFLOPS peak at a
// kernel efficiency of 0.5, 600 GB/s scale-up (300 one way) and 50 GB/s scale-out.
utilisation_inputs small_case() {
  utilisation_inputs in;
  in.flops.model = 6e9;
  in.flops.hardware = 6e9;
  in.parameters = 1e9;
  in.shape.layers = 8;
  in.shape.d_model = 1024;
  in.layout.tp = 2;
  in.layout.pp = 2;
  in.layout.dp = 2;
  in.layout.global_batch = 64;
  in.layout.sequence_length = 1024;
  in.peak_flop_per_s = 1e14;
  in.kernel_efficiency = 0.5;
  in.links.scale_up_gb_per_s = 600;
  in.links.scale_out_gb_per_s = 50;
  return in;
}
}  // namespace

TEST_CASE("expected utilisation, term by term by hand", "[plan][mfu]") {
  auto in = small_case();
  const auto u = expected_utilisation(in);
  // Compute: 6e9 x 64 x 1024 tokens / 8 accelerators / (1e14 x 0.5) = 0.98304 s.
  CHECK_THAT(u.compute_s, WithinRel(0.98304, 1e-12));
  // 1F1B bubble (Narayanan et al. 2021 section 2.2.1): (p - 1) / m, m = 64 / 2 = 32.
  CHECK_THAT(u.bubble_s, WithinRel(0.98304 / 32, 1e-12));
  // Tensor parallel (Shoeybi et al. 2019): 32 micro-batches x 4 layers x 4 all-reduces of
  // b s h x 2 bytes = 2,097,152 bytes, ring over 2: 2 (1/2) x bytes at 300 GB/s.
  const double buffer = 1024.0 * 1024 * 2;
  CHECK_THAT(u.tp_s, WithinRel(32.0 * 4 * 4 * buffer / 300e9, 1e-12));
  // Data parallel: 1e9 / 4 parameters x 2 bytes, ring over dp 2, at 50 GB/s: 0.01 s.
  CHECK_THAT(u.dp_s, WithinRel(0.01, 1e-12));
  CHECK(u.moe_s == 0.0);
  const double it = 0.98304 + 0.98304 / 32 + 32.0 * 4 * 4 * buffer / 300e9 + 0.01;
  CHECK_THAT(u.iteration_s, WithinRel(it, 1e-12));
  CHECK_THAT(u.hfu, WithinRel(0.5 * 0.98304 / it, 1e-12));
  CHECK_THAT(u.mfu, WithinRel(u.hfu, 1e-12));
  CHECK_THAT(u.share(u.dp_s), WithinRel(0.01 / it, 1e-12));

  SECTION("interleaving divides the bubble by the virtual stages (section 2.2.2)") {
    in.layout.virtual_stages = 2;
    CHECK_THAT(expected_utilisation(in).bubble_s, WithinRel(0.98304 / 64, 1e-12));
  }
  SECTION("full recomputation: 6 all-reduces per layer; MFU below HFU") {
    in.layout.recompute = recompute_policy::full;
    in.flops.hardware = 8e9;
    const auto f = expected_utilisation(in);
    CHECK_THAT(f.tp_s, WithinRel(1.5 * u.tp_s, 1e-12));
    CHECK_THAT(f.mfu, WithinRel(f.hfu * 6.0 / 8.0, 1e-12));
  }
  SECTION("tp beyond a node runs over the scale-out network") {
    in.links.accelerators_per_node = 1;
    CHECK_THAT(expected_utilisation(in).tp_s, WithinRel(u.tp_s * 300.0 / 50.0, 1e-12));
  }
  SECTION("ZeRO 3 moves 1.5 times the gradient bytes; overlap hides a share") {
    in.layout.zero = 3;
    CHECK_THAT(expected_utilisation(in).dp_s, WithinRel(0.015, 1e-12));
    in.layout.zero = 1;
    in.dp_overlap = 0.25;
    CHECK_THAT(expected_utilisation(in).dp_s, WithinRel(0.0075, 1e-12));
  }
  SECTION("MoE all-to-all: k routed copies, (ep - 1) / ep leave the accelerator") {
    in.shape.experts = 8;
    in.shape.top_k = 2;
    in.layout.ep = 2;
    in.expert_parameters = 0.6e9;
    const auto m = expected_utilisation(in);
    // 32 x 4 layers x 4 x buffer x 2 / tp 2 x 1/2, over ep x tp = 4 <= 8 per node: 300 GB/s.
    CHECK_THAT(m.moe_s, WithinRel(32.0 * 4 * 4 * buffer * 0.5 / 300e9, 1e-12));
    // Held: 0.4e9 / 4 + 0.6e9 / (4 x 2) = 1.75e8, x 2 bytes, ring over 2 at 50 GB/s.
    CHECK_THAT(m.dp_s, WithinRel(1.75e8 * 2 / 50e9, 1e-12));
    in.links.accelerators_per_node = 2;  // ep x tp = 4 > 2: over the network
    CHECK_THAT(expected_utilisation(in).moe_s, WithinRel(m.moe_s * 6.0, 1e-12));
  }
  SECTION("no shape: no tensor-parallel or MoE term") {
    in.shape = {};
    const auto n = expected_utilisation(in);
    CHECK(n.tp_s == 0.0);
    CHECK(n.moe_s == 0.0);
  }
  SECTION("without the global batch or sequence length: an error") {
    in.layout.global_batch.reset();
    CHECK_THROWS_WITH(expected_utilisation(in),
                      "the expected utilisation needs the global batch and the sequence length");
  }
}

TEST_CASE("plan's bad inputs, each with its message", "[plan]") {
  auto msg = [](const plan_request& r, const catalogue& c) {
    try {
      (void)plan(r, c);
    } catch (const input_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  plan_request req;
  req.compute_flop = compute_from_flop(1e23);
  plan_request r = req;
  r.deadline = duration_from_days(30);
  r.compute_flop.reset();
  CHECK(msg(r, cat()) == "a deadline needs --accelerator: its peak turns days into compute");
  r = req;
  r.hfu = efficiency::from_ratio(0.5);
  CHECK(msg(r, cat()) == "--hfu and --achieved-tflops need --accelerator (its peak)");
  r = req;
  r.achieved_tflops = 150;
  CHECK(msg(r, cat()) == "--hfu and --achieved-tflops need --accelerator (its peak)");

  req.accelerator = "a100-sxm-80gb";
  r = req;
  r.budget = money_from_usd(0);
  r.compute_flop.reset();
  CHECK(msg(r, cat()) == "the budget must be a positive number of USD");
  r = req;
  r.deadline = duration_from_days(0);
  CHECK(msg(r, cat()) == "the deadline must be a positive number of days");
  r = req;
  r.count = gpus(0.5);
  CHECK(msg(r, cat()) == "the accelerator count must be at least 1");
  r = req;
  r.tokens = 1e12;
  CHECK(msg(r, cat()) == "--tokens needs --parameters");
  r = req;
  r.parameters = 0.0;
  CHECK(msg(r, cat()) == "the parameters must be a positive number");
  r = req;
  r.parameters = 7e9;
  r.active_parameters = 8e9;
  CHECK(msg(r, cat()) == "the active parameters exceed the total parameters");
  r.active_parameters.reset();
  r.tokens = 1e12;
  CHECK(msg(r, cat()) == "give --compute-flop or --parameters with --tokens, not both");
  r = req;
  r.achieved_tflops = 624;  // twice the A100's 312 TFLOPS bf16 peak
  CHECK(msg(r, cat()) ==
        "the hardware FLOPs utilisation must be in (0, 1]; 200% of the peak given");
  r = req;
  r.compute_flop = compute_from_flop(0.0);
  CHECK(msg(r, cat()) == "the compute is not a positive finite number");
  r.compute_flop = compute_from_flop(HUGE_VAL);
  CHECK(msg(r, cat()) == "the compute is not a positive finite number");
  r = req;
  r.accelerator = "fp64-only";
  CHECK(msg(r, variants()) == "accelerator 'fp64-only': give a precision");
  r = req;
  r.compute_flop.reset();
  r.budget = money_from_usd(1e6);
  r.accelerator = "h800-sxm";
  CHECK(msg(r, cat()) ==
        "a budget needs a price: give --usd-per-gpu-hour (h800-sxm has no on-demand price in "
        "the catalogue)");
  r = plan_request{};
  r.accelerator = "a100-sxm-80gb";
  CHECK(msg(r, cat()) ==
        "nothing to plan from: give --compute-flop, --parameters with --tokens, --budget-usd, or "
        "--days with --count");
}

TEST_CASE("plan: precision, price and MFU defaults are noted", "[plan]") {
  plan_request req;
  req.accelerator = "tf32-only";
  req.compute_flop = compute_from_flop(1e21);
  const auto r = plan(req, variants());
  CHECK(r.precision == precision::tf32);
  CHECK(any_has(r.assumptions,
                "precision: tf32 (the first of bf16, fp16, tf32 that tf32-only "
                "supports)"));
  CHECK(!r.price);  // no price in the catalogue: no cost
  CHECK(!r.cost);
  CHECK(r.mfu_basis == "default");
  CHECK(r.mfu.ratio() == default_mfu);
  // tf32: 4 + 4 + 8 bytes per parameter (Rajbhandari et al. 2020).
  CHECK(r.bytes_per_parameter == 16.0);
  CHECK(any_has(r.assumptions,
                "training state: 4 weights + 4 gradients + 8 optimizer = 16 bytes "
                "per parameter (adam, tf32; Rajbhandari et al. 2020, ZeRO, section "
                "3.1); activations not counted"));

  plan_request h;
  h.accelerator = "h100-sxm";
  h.compute_flop = compute_from_flop(1e21);
  h.fp32_gradients = true;
  const auto p = plan(h, cat());
  REQUIRE(cat().at("h100-sxm").prices.on_demand);
  CHECK(p.price == cat().at("h100-sxm").prices.on_demand);
  CHECK(any_has(p.assumptions, "price: the on-demand list price of h100-sxm from the catalogue"));
  CHECK(any_has(p.assumptions, ", fp32 gradients;"));
  CHECK(p.bytes_per_parameter == 18.0);  // 2 + 4 + 12
}

TEST_CASE("plan from parameters alone, or with compute", "[plan]") {
  plan_request req;
  req.accelerator = "a100-sxm-80gb";
  req.parameters = 7e9;
  const auto r = plan(req, cat());
  CHECK(r.compute_basis.empty());
  CHECK(r.model.tokens == 0.0);
  CHECK(!r.model.loss);
  CHECK(value_in(r.gpu_hours, units::gpu_hour) == 0.0);
  CHECK(any_has(r.notes, "no compute: give --tokens or --compute-flop for the GPU-hours"));
  CHECK(any_has(r.notes, "give --days or --count for the number of accelerators"));
  // The memory floor: ceil(7e9 x 16 bytes / 80 GB) = 2.
  CHECK(r.memory_floor ==
        std::ceil(7e9 * 16.0 / value_in(*cat().at("a100-sxm-80gb").hbm, units::byte)));

  // With compute and active parameters: D = C / (6 N_active), the loss at the total N.
  req.active_parameters = 2e9;
  req.compute_flop = compute_from_flop(1.2e22);
  const auto c = plan(req, cat());
  CHECK_THAT(c.model.tokens, WithinRel(1.2e22 / (6 * 2e9), 1e-12));
  CHECK_THAT(*c.model.loss, WithinRel(predicted_loss(besiroglu_2024_fit, 7e9, 1e12), 1e-12));
  CHECK(c.active_parameters == 2e9);
  req.law = scaling_law::chinchilla_20;  // no loss under the 20:1 rule
  CHECK(!plan(req, cat()).model.loss);
}

TEST_CASE("plan: one state size scales the parts", "[plan][memory]") {
  plan_request req;
  req.accelerator = "a100-sxm-80gb";
  req.compute_flop = compute_from_flop(1e22);
  req.bytes_per_parameter = 20.0;
  const auto r = plan(req, cat());
  // bf16 Adam's 2 + 2 + 12 scaled by 20 / 16.
  CHECK(r.state.weights == 2.5);
  CHECK(r.state.gradients == 2.5);
  CHECK(r.state.optimizer == 15.0);
  CHECK(!any_has(r.assumptions, "training state:"));
}

TEST_CASE("plan: over budget, missed deadline, no memory size", "[plan]") {
  plan_request req;
  req.accelerator = "a100-sxm-80gb";
  req.compute_flop = compute_from_flop(1e24);
  req.mfu = efficiency::from_ratio(0.4);
  req.price = price_rate_from_usd_per_gpu_hour(2.0);
  req.budget = money_from_usd(1e6);
  req.count = gpus(8);
  req.deadline = duration_from_days(1);
  const auto r = plan(req, cat());
  // GPU-hours = 1e24 / (312e12 x 3600 x 0.4) = 2.2258e6, cost x $2, over the $1M budget.
  const double hours = 1e24 / (312e12 * 3600 * 0.4);
  CHECK_THAT(value_in(r.gpu_hours, units::gpu_hour), WithinRel(hours, 1e-12));
  CHECK(r.compute_basis == "input");
  CHECK(any_has(r.notes, "over budget: the run costs " + detail::fmt_ratio(hours * 2.0 / 1e6) +
                             " of the budget"));
  CHECK(any_has(r.notes, "misses the deadline: " +
                             detail::integer_text(static_cast<long long>(std::ceil(hours / 24))) +
                             " accelerators would meet it"));
  CHECK(r.accelerators_basis == "input");

  req.accelerator = "no-hbm";
  const auto n = plan(req, variants());
  CHECK(!n.memory_floor);
  CHECK(any_has(n.notes,
                "no-hbm has no memory size in the catalogue: the memory floor is "
                "unknown"));
  CHECK(n.fits);
}

TEST_CASE("plan with a layout: accelerators, memory and the expected utilisation", "[plan]") {
  model_shape s;
  s.layers = 32;
  s.d_model = 4096;
  s.heads = 32;
  s.vocab_size = 32000;
  plan_request req;
  req.accelerator = "a100-sxm-80gb";
  req.parameters = 7e9;
  req.tokens = 1e12;
  req.shape = s;
  req.shape_source = "options";
  parallel_layout l;
  l.tp = 8;
  l.dp = 4;
  l.sequence_length = 4096;
  req.layout = l;
  const auto r = plan(req, cat());
  // No count or deadline: the layout's 8 x 1 x 1 x 4.
  CHECK(r.accelerators_basis == "layout");
  CHECK(value_in(*r.accelerators, units::gpu) == 32.0);
  REQUIRE(r.memory_per_gpu);
  CHECK_THAT(r.memory_per_gpu->weights, WithinRel(7e9 / 8 * 2, 1e-12));
  const double hbm = value_in(*cat().at("a100-sxm-80gb").hbm, units::byte);
  CHECK_THAT(*r.memory_left, WithinRel(hbm - r.memory_per_gpu->total, 1e-12));
  CHECK(r.shape_basis == "options");
  CHECK(any_has(r.notes, "give --global-batch and --sequence-length for mfu_expected"));
  CHECK(!r.expected);

  SECTION("with the global batch: mfu_expected, as expected_utilisation() gives it") {
    req.layout->global_batch = 512;
    req.kernel_efficiency = 0.6;
    const auto e = plan(req, cat());
    REQUIRE(e.expected);
    const auto& acc = cat().at("a100-sxm-80gb");
    utilisation_inputs ui;
    ui.flops = flops_per_token(7e9, s, 4096.0, recompute_policy::none);
    ui.parameters = 7e9;
    ui.shape = s;
    ui.layout = *e.layout;
    ui.peak_flop_per_s = 312e12;
    ui.kernel_efficiency = 0.6;
    ui.links.scale_up_gb_per_s = *acc.scale_up_gb_per_s;
    ui.links.scale_out_gb_per_s = *acc.scale_out_gb_per_s;
    const auto u = expected_utilisation(ui);
    CHECK_THAT(e.expected->mfu, WithinRel(u.mfu, 1e-12));
    CHECK_THAT(e.expected->iteration_s, WithinRel(u.iteration_s, 1e-12));
    CHECK(e.expected->kernel_efficiency == 0.6);
    CHECK(!any_has(e.assumptions, "kernel efficiency"));
    req.kernel_efficiency.reset();
    CHECK(any_has(plan(req, cat()).assumptions, "kernel efficiency 51% of the peak"));
    req.accelerator = "no-links";
    const auto n = plan(req, variants());
    CHECK(!n.expected);
    CHECK(any_has(n.notes, "mfu_expected needs the interconnect bandwidths, which no-links lacks"));
  }
  SECTION("a layout that does not fit says by how much") {
    req.parameters = 70e9;
    req.layout->tp = 1;
    req.layout->dp = 1;
    const auto big = plan(req, cat());
    CHECK(!big.fits);
    CHECK(*big.memory_left < 0.0);
    CHECK(any_has(big.notes, "does not fit: the layout needs " +
                                 detail::fmt_fixed(big.memory_per_gpu->total / 1073741824.0, 1) +
                                 " GiB per accelerator"));
    CHECK(big.max_micro_batch == 0.0);
  }
  SECTION("no shape: one is assumed and said") {
    req.shape.reset();
    const auto a = plan(req, cat());
    CHECK(a.shape_basis == "assumed from the parameters");
    CHECK_THAT(*a.shape.layers, WithinRel(std::cbrt(7e9 / (12.0 * 128 * 128)), 1e-12));
    CHECK(any_has(a.assumptions, "model shape: assumed from N = "));
  }
  SECTION("without an accelerator: the layout is checked, the rest left out") {
    req.accelerator.clear();
    const auto n = plan(req, cat());
    CHECK(!n.hardware);
    CHECK(n.layout->dp == 4);
    CHECK(!n.memory_per_gpu);
    CHECK(!n.accelerators);
  }
}

TEST_CASE("costmodel plan: bad options, each with its message", "[plan][cli]") {
  auto msg = [](std::vector<std::string> args) {
    try {
      (void)run(std::move(args));
    } catch (const input_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::vector<std::string> base{"plan", "--accelerator", "a100-sxm-80gb", "--compute-flop",
                                      "1e22"};
  auto with = [&](std::vector<std::string> more) {
    auto a = base;
    a.insert(a.end(), more.begin(), more.end());
    return a;
  };
  CHECK(msg({"plan", "--budget-usd", "lots"}) == "--budget-usd 'lots': expected a positive number");
  CHECK(msg({"plan", "--compute-flop", "-1"}) == "--compute-flop '-1': expected a positive number");
  CHECK(msg(with({"--count", "2.5"})) == "--count '2.5': expected a whole number");
  CHECK(msg(with({"--kernel-efficiency", "1.5"})) == "--kernel-efficiency '1.5': above 1");
  CHECK_THAT(msg(with({"--precision", "fp7"})), StartsWith("--precision 'fp7': expected one of "));
  CHECK(msg(with({"--tp", "1.5"})) == "--tp '1.5': expected a whole number >= 1");
  CHECK(msg(with({"--tp", "2e9"})) == "--tp '2e9': expected a whole number >= 1");
  CHECK(msg(with({"--zero", "-1"})) == "--zero '-1': expected a whole number >= 0");
  CHECK(msg(with({"--zero", "4"})) == "--zero '4': expected 0, 1, 2 or 3");
  CHECK(msg(with({"--layers", "32"})) ==
        "a model shape needs --layers, --hidden and --heads (or --model-config)");
  CHECK(msg(with({"--scenario", "deepseek-v3"})) ==
        "plan --scenario reads a single-phase scenario; 'deepseek-v3' has phases");
}

TEST_CASE("costmodel plan --format json is plan()'s result", "[plan][cli]") {
  const auto out = run({"plan",
                        "--accelerator",
                        "a100-sxm-80gb",
                        "--parameters",
                        "7e9",
                        "--tokens",
                        "1e12",
                        "--layers",
                        "32",
                        "--hidden",
                        "4096",
                        "--heads",
                        "32",
                        "--kv-heads",
                        "8",
                        "--ffn",
                        "11008",
                        "--vocab",
                        "32000",
                        "--tp",
                        "8",
                        "--pp",
                        "2",
                        "--zero",
                        "1",
                        "--recompute",
                        "selective",
                        "--sequence-parallel",
                        "--micro-batch",
                        "2",
                        "--global-batch",
                        "512",
                        "--sequence-length",
                        "4096",
                        "--count",
                        "64",
                        "--optimizer",
                        "adam-8bit",
                        "--goodput",
                        "0.9",
                        "--format",
                        "json"});
  const auto j = nlohmann::json::parse(out);
  plan_request req;
  req.accelerator = "a100-sxm-80gb";
  req.parameters = 7e9;
  req.tokens = 1e12;
  model_shape s;
  s.layers = 32;
  s.d_model = 4096;
  s.heads = 32;
  s.kv_heads = 8;
  s.ffn_size = 11008;
  s.vocab_size = 32000;
  req.shape = s;
  req.shape_source = "options";
  parallel_layout l;
  l.tp = 8;
  l.pp = 2;
  l.zero = 1;
  l.recompute = recompute_policy::selective;
  l.sequence_parallel = true;
  l.micro_batch = 2;
  l.global_batch = 512;
  l.sequence_length = 4096;
  req.layout = l;
  req.count = gpus(64);
  req.optimizer = optimizer_kind::adam_8bit;
  req.goodput = efficiency::from_ratio(0.9);
  const auto r = plan(req, cat());
  CHECK(j["parallelism"]["dp"] == 4);  // 64 / (8 x 2)
  CHECK(j["parallelism"]["recompute"] == "selective");
  CHECK(j["parallelism"]["sequence_parallel"] == true);
  CHECK(j["parallelism"]["micro_batches"] == 64);  // 512 / (2 x 4)
  CHECK(j["bytes_per_parameter"] == 10);           // 2 + 2 + (4 + 2): 8-bit Adam
  CHECK_THAT(j["memory_per_gpu_bytes"]["total"].get<double>(),
             WithinRel(r.memory_per_gpu->total, 1e-9));
  CHECK_THAT(j["memory_per_gpu_bytes"]["activations"].get<double>(),
             WithinRel(*r.memory_per_gpu->activations, 1e-9));
  CHECK_THAT(j["mfu_expected"].get<double>(), WithinRel(r.expected->mfu, 1e-9));
  CHECK_THAT(j["hfu_expected"].get<double>(), WithinRel(r.expected->hfu, 1e-9));
  CHECK_THAT(j["mfu_expected_terms"]["pipeline_bubble"].get<double>(),
             WithinRel(r.expected->share(r.expected->bubble_s), 1e-9));
  CHECK_THAT(j["hfu"].get<double>(), WithinRel(*r.hfu, 1e-9));
  CHECK_THAT(j["gpu_hours"].get<double>(), WithinRel(value_in(r.gpu_hours, units::gpu_hour), 1e-9));
  CHECK(j["goodput"] == 0.9);
  CHECK(j["model_shape"]["basis"] == "options");
  CHECK(j["fits"] == true);
  CHECK(j["max_micro_batch"].get<double>() == *r.max_micro_batch);

  // Without hardware: the hardware fields are null.
  const auto free = nlohmann::json::parse(run({"plan", "--parameters", "7e9", "--format", "json"}));
  CHECK(free["accelerator"].is_null());
  CHECK(free["fits"].is_null());
  CHECK(free["compute_flop"].is_null());
  CHECK(free["tokens"].is_null());
  CHECK(free["parallelism"].is_null());
  CHECK(free["mfu_expected"].is_null());
}

TEST_CASE("costmodel plan reads a config.json and a scenario", "[plan][cli][config]") {
  const std::string cfg = data + "/model-configs/mixtral-8x7b-v0.1.json";
  const auto mc = read_model_config(cfg);
  const auto j = nlohmann::json::parse(run({"plan", "--accelerator", "h100-sxm", "--model-config",
                                            cfg, "--compute-flop", "1e23", "--format", "json"}));
  CHECK(j["parameters"].get<double>() == mc.parameters);
  CHECK(j["active_parameters"].get<double>() == mc.active_parameters);
  CHECK_THAT(j["tokens"].get<double>(), WithinRel(1e23 / (6 * mc.active_parameters), 1e-9));

  const auto s = nlohmann::json::parse(
      run({"plan", "--scenario", data + "/plan/mixtral-run.toml", "--format", "json"}));
  // From the file: h100-sxm x 256, MFU 0.4, tp 2, ep 8, D = 1e12 with C = 6 N_active D.
  CHECK(s["accelerator"] == "h100-sxm");
  CHECK(s["accelerators"] == 256);
  CHECK(s["mfu"] == 0.4);
  CHECK(s["compute_basis"] == "parameters x tokens");
  CHECK_THAT(s["compute_flop"].get<double>(), WithinRel(6 * mc.active_parameters * 1e12, 1e-9));
  CHECK(s["parallelism"]["ep"] == 8);
  CHECK(s["parallelism"]["dp"] == 128);
  CHECK(s["parallelism"]["sequence_length"] == 4096);  // from [training]
  CHECK(!s["mfu_expected"].is_null());
}

TEST_CASE("costmodel plan's table", "[plan][cli]") {
  const auto t = run({"plan",
                      "--accelerator",
                      "a100-sxm-80gb",
                      "--parameters",
                      "70e9",
                      "--count",
                      "2048",
                      "--tp",
                      "8",
                      "--pp",
                      "4",
                      "--cp",
                      "2",
                      "--zero",
                      "1",
                      "--recompute",
                      "full",
                      "--sequence-parallel",
                      "--sequence-length",
                      "4096",
                      "--global-batch",
                      "1024",
                      "--tokens",
                      "2e12",
                      "--hfu",
                      "0.5",
                      "--goodput",
                      "0.9",
                      "--usd-per-gpu-hour",
                      "1.5"});
  CHECK(has(t, "tp 8 x pp 4 x dp 32 x cp 2, ZeRO 1, recompute full, sequence parallel"));

  // Expert parallelism on a dense model would change nothing: refused, with the reason.
  CHECK_THROWS_AS(run({"plan", "--accelerator", "a100-sxm-80gb", "--parameters", "70e9", "--count",
                       "64", "--ep", "2"}),
                  input_error);
  CHECK_THROWS_WITH(
      run({"plan", "--accelerator", "a100-sxm-80gb", "--parameters", "70e9", "--ep", "2"}),
      Catch::Matchers::Contains("ep 2: expert parallelism needs routed experts"));
  CHECK(has(t, "MFU / HFU"));
  CHECK(has(t, "expected MFU / HFU"));
  CHECK(has(t, ": fits"));
  CHECK(has(t, "largest micro-batch"));
  CHECK(has(t, "goodput 90.0%"));
  CHECK(has(t, "$1.50 per GPU-hour"));
  CHECK(has(t, "6 x parameters x tokens"));

  const auto over =
      run({"plan", "--accelerator", "a100-sxm-80gb", "--parameters", "70e9", "--tp", "1"});
  CHECK(has(over, "does not fit, by"));
  CHECK(has(over, "n/a (give --sequence-length)"));
  CHECK(has(over, "n/a (give --tokens)"));
  CHECK(has(over, "n/a (no tokens)"));

  const auto free = run({"plan", "--compute-flop", "5.76e23", "--law", "chinchilla-20"});
  CHECK(has(free, "Plan without hardware"));
  CHECK(has(free, "n/a (the law has none)"));
  CHECK(has(free, "The other laws at this compute"));
  CHECK(has(free, "besiroglu-2024: "));
  const auto budget = run({"plan", "--accelerator", "h800-sxm", "--budget-usd", "5.576M",
                           "--usd-per-gpu-hour", "2", "--mfu", "0.35", "--days", "60"});
  CHECK(has(budget, "bought by the budget"));
  CHECK(has(budget, "(deadline)"));
  const auto deadline = run({"plan", "--accelerator", "h100-sxm", "--count", "1000", "--days", "10",
                             "--law", "hoffmann-approach3"});
  CHECK(has(deadline, "count x days at this MFU"));
}
