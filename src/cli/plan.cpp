// SPDX-License-Identifier: MIT
// `costmodel plan`: the compute a budget or deadline buys, the compute-optimal model for it,
// the accelerators a deadline needs and whether the training state fits.
#include "plan.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "app.hpp"
#include "costmodel/costmodel.hpp"
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
  sub->add_option("--accelerator,-a", p.accelerator, "Catalogue id (h800-sxm)")->required();
  sub->add_option("--precision", p.precision,
                  "fp64, tf32, bf16, fp16, fp8 or fp4 (default: bf16, fp16 or tf32)");
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
  sub->footer(
      "Examples:\n"
      "  costmodel plan --budget-usd 5.576M --accelerator h800-sxm --usd-per-gpu-hour 2 --mfu "
      "0.35\n"
      "  costmodel plan --compute-flop 5.76e23 --accelerator a100-sxm-80gb --days 30");
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
      throw input_error("--precision '" + p.precision +
                        "': expected one of fp64, tf32, bf16, fp16, fp8, fp4");
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
  const auto r = plan(req, cat);
  const auto& acc = cat.at(r.accelerator);
  const std::optional<double> loss = r.model.loss;
  const std::optional<double> acc_n =
      r.accelerators ? std::optional(value_in(*r.accelerators, units::gpu)) : std::nullopt;
  const std::optional<double> days =
      r.wall_clock ? std::optional(days_of(*r.wall_clock)) : std::nullopt;
  const std::optional<double> cost = r.cost ? std::optional(dollars(*r.cost)) : std::nullopt;

  if (o.format == output_format::json) {
    auto x = json::object();
    x.add("accelerator", json::string(r.accelerator));
    x.add("precision", json::string(std::string(to_string(r.precision))));
    x.add("peak_tflops", json::number(tflops_of(r.peak)));
    x.add("mfu", json::number(r.mfu.ratio())).add("goodput", json::number(r.goodput.ratio()));
    x.add("usd_per_gpu_hour", r.price ? json::number(per_hour(*r.price)) : json::null());
    x.add("law", json::string(std::string(to_string(r.law))));
    x.add("compute_flop", json::number(flop(r.compute_flop)));
    x.add("compute_basis", json::string(r.compute_basis));
    x.add("parameters", json::number(r.model.parameters));
    x.add("tokens", json::number(r.model.tokens));
    x.add("tokens_per_parameter", json::number(r.model.tokens / r.model.parameters));
    x.add("loss", json::number(loss));
    x.add("gpu_hours", json::number(gpu_h(r.gpu_hours)));
    x.add("accelerators", json::number(acc_n));
    x.add("accelerators_basis", json::string(r.accelerators_basis));
    x.add("wall_clock_days", json::number(days));
    x.add("cost_usd", json::number(cost));
    x.add("budget_usd", r.budget ? json::number(dollars(*r.budget)) : json::null());
    x.add("bytes_per_parameter", json::number(r.bytes_per_parameter));
    x.add("memory_floor_accelerators", json::number(r.memory_floor));
    x.add("fits", json::boolean(r.fits));
    x.add("notes", strings_json(r.notes)).add("assumptions", strings_json(r.assumptions));
    return x.str() + "\n";
  }
  table t;
  t.header = {"quantity", "value"};
  auto add = [&](const std::string& k, const std::string& v) { t.rows.push_back({k, v}); };
  std::string from = r.compute_basis == "budget"     ? "bought by the budget"
                     : r.compute_basis == "deadline" ? "count x days at this MFU"
                                                     : "given";
  add("compute FLOP", human(flop(r.compute_flop)) + " (" + from + ")");
  add("parameters", human(r.model.parameters));
  add("tokens", fmt::format("{} ({:.1f} per parameter)", human(r.model.tokens),
                            r.model.tokens / r.model.parameters));
  add("predicted loss", loss ? fmt::format("{:.3f} nats/token", *loss) : "n/a (the law has none)");
  add("GPU-hours", human(gpu_h(r.gpu_hours)));
  add("rental cost", opt_or(cost, usd));
  add("accelerators", acc_n ? fmt::format("{:.0f} ({})", *acc_n, r.accelerators_basis)
                            : "n/a (give --days or --count)");
  add("wall-clock days", days ? fmt::format("{:.1f}", *days) : "n/a");
  add("memory floor",
      r.memory_floor ? fmt::format("{:.0f} x {} ({} bytes per parameter, {:.0f} GB each)",
                                   *r.memory_floor, r.accelerator, human(r.bytes_per_parameter),
                                   value_in(*r.hbm, units::byte) / 1e9)
                     : "n/a");
  const bool md = o.format == output_format::markdown;
  std::string out =
      fmt::format("Plan on {}{} ({}), {} dense peak {:.1f} TFLOPS, MFU {}{}{}\n",
                  acc_n ? fmt::format("{:.0f} x ", *acc_n) : "", acc.name, acc.id,
                  to_string(r.precision), tflops_of(r.peak), pct(r.mfu.ratio()),
                  r.goodput.ratio() < 1.0 ? ", goodput " + pct(r.goodput.ratio()) : "",
                  r.price ? fmt::format(", ${:.2f} per GPU-hour", per_hour(*r.price)) : "");
  out += "Law: " + std::string(to_string(r.law)) + ": " + law_title(r.law) + "\n\n";
  out += md ? render_markdown(t) : render_text(t);
  std::vector<std::string> others;
  for (auto l :
       {scaling_law::besiroglu_2024, scaling_law::hoffmann_approach3, scaling_law::chinchilla_20}) {
    if (l == r.law) continue;
    const auto a = compute_optimal(r.compute_flop, l);
    others.push_back(fmt::format("{}: {} parameters, {} tokens{}", to_string(l),
                                 human(a.parameters), human(a.tokens),
                                 a.loss ? fmt::format(", loss {:.3f}", *a.loss) : ""));
  }
  out += "\n" + list_block("The other laws at this compute", others);
  out += list_block("Notes", r.notes);
  out += list_block("Assumptions", r.assumptions);
  return out;
}

}  // namespace costmodel::cli
