// SPDX-License-Identifier: MIT
// How an estimate is shown.
#include "report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>
#include <utility>

#include "costmodel/audit.hpp"
#include "uncertainty_report.hpp"

namespace costmodel::cli {

double gpu_h(gpu_time t) { return value_in(t, units::gpu_hour); }
double dollars(money m) { return value_in(m, units::usd); }
double per_hour(price_rate p) { return value_in(p, units::usd_per_gpu_hour); }
double flop(compute c) { return value_in(c, units::flop); }

std::optional<double> rental(const phase_result& p) {
  auto it = p.cost.find("rental");
  if (it == p.cost.end()) return std::nullopt;
  return dollars(it->second);
}

/// MWh for people, in the one number style: "688", "4,571", "1.234M".
std::string mwh(double kwh) { return human(kwh / 1000.0); }

std::optional<double> cost_of(const phase_result& p, const std::string& method) {
  auto it = p.cost.find(method);
  if (it == p.cost.end()) return std::nullopt;
  return dollars(it->second);
}

std::string diff(double modelled, double reported) {
  return detail::signed_pct(finite(modelled / reported - 1.0));
}

json phase_json(const phase_result& p, bool with_name) {
  auto o = json::object();
  if (with_name) o.add("name", json::string(p.name));
  o.add("accelerator", json::string(p.accelerator));
  o.add("count", p.count ? json::number(p.count->value()) : json::null());
  o.add("precision",
        p.precision ? json::string(std::string(to_string(*p.precision))) : json::null());
  o.add("peak_tflops", p.peak ? json::number(tflops_of(*p.peak)) : json::null());
  o.add("compute_flop", p.compute_flop ? json::number(flop(*p.compute_flop)) : json::null());
  o.add("compute_basis", json::string(p.compute_basis));
  o.add("gpu_hours", json::number(gpu_h(p.gpu_hours)));
  o.add("gpu_hours_basis", json::string(p.gpu_hours_basis));
  o.add("wall_clock_days", p.wall_clock ? json::number(days_of(*p.wall_clock)) : json::null());
  o.add("wall_clock_basis", json::string(p.wall_clock_basis));
  o.add("mfu", json::number(p.mfu));
  o.add("mfu_basis", json::string(p.mfu_basis));
  o.add("mfu_precision",
        p.precision ? json::string(std::string(to_string(*p.precision))) : json::null());
  o.add("goodput", json::number(p.goodput.ratio()));
  o.add("goodput_basis", json::string(p.goodput_basis));
  o.add("checkpoint_interval_hours", json::number(p.checkpoint_interval_hours));
  o.add("flop_convention", json::string(p.flop_convention));
  o.add("mfu_kind", json::string(p.mfu_kind));
  o.add("energy_kwh", json::number(p.energy_kwh));
  o.add("emissions_tco2e", json::number(p.emissions_tco2e));
  o.add("emissions_market_tco2e", json::number(p.emissions_market_tco2e));
  o.add("grid_gco2e_per_kwh", json::number(p.grid_gco2e_per_kwh));
  o.add("usd_per_gpu_hour", p.price ? json::number(per_hour(*p.price)) : json::null());
  o.add("price_basis", json::string(p.price_basis));
  auto cost = json::object();
  cost.add("rental", json::number(rental(p)));
  for (const char* method : {"ownership", "purchase", "energy", "program"}) {
    cost.add(method, json::number(cost_of(p, method)));
  }
  for (const auto& [method, m] : p.cost) {
    if (method != "rental" && method != "ownership" && method != "purchase" && method != "energy" &&
        method != "program") {
      cost.add(method, json::number(dollars(m)));
    }
  }
  o.add("cost_usd", cost);
  auto basis = json::object();
  for (const auto& [method, b] : p.cost_basis) basis.add(method, json::string(b));
  o.add("cost_basis", basis);

  const auto& r = p.reported;
  auto rep = json::object();
  rep.add("gpu_hours", r.gpu_hours ? json::number(gpu_h(*r.gpu_hours)) : json::null());
  rep.add("cost_usd", r.cost ? json::number(dollars(*r.cost)) : json::null());
  rep.add("compute_flop", r.compute_flop ? json::number(flop(*r.compute_flop)) : json::null());
  rep.add("wall_clock_days", r.wall_clock ? json::number(days_of(*r.wall_clock)) : json::null());
  rep.add("mfu", json::number(r.mfu));
  rep.add("usd_per_gpu_hour", r.price ? json::number(per_hour(*r.price)) : json::null());
  rep.add("energy_mwh", json::number(r.energy_mwh));
  rep.add("co2_tonnes", json::number(r.co2_tonnes));
  o.add("reported", rep);

  const auto& im = p.implied;
  auto imp = json::object();
  imp.add("mfu", json::number(im.mfu));
  imp.add("mfu_precision", im.mfu_precision
                               ? json::string(std::string(to_string(*im.mfu_precision)))
                               : json::null());
  auto by = json::object();
  for (const auto& [prec, v] : im.mfu_by_precision)
    by.add(std::string(to_string(prec)), json::number(v));
  imp.add("mfu_by_precision", by);
  imp.add("usd_per_gpu_hour", im.price ? json::number(per_hour(*im.price)) : json::null());
  imp.add("wall_clock_days", im.wall_clock ? json::number(days_of(*im.wall_clock)) : json::null());
  imp.add("grid_gco2e_per_kwh", json::number(im.grid_gco2e_per_kwh));
  imp.add("energy_kwh", json::number(im.energy_kwh));
  o.add("implied", imp);
  return o;
}

json estimate_json(const scenario& s, const estimate_result& e, const uncertainty_result* u) {
  auto o = json::object();
  o.add("id", json::string(e.id));
  o.add("name", json::string(e.name));
  o.add("source_file", json::string(s.source_file));
  o.extend(phase_json(e.total, false));  // "name" is the scenario's, not "total"
  if (u) add_percentiles(o, u->total);
  auto phases = json::array();
  for (std::size_t i = 0; i < e.phases.size(); ++i) {
    auto pj = phase_json(e.phases[i]);
    if (u && i < u->phases.size()) add_percentiles(pj, u->phases[i]);
    phases.push(pj);
  }
  o.add("phases", phases);
  if (u) o.add("uncertainty", uncertainty_json(s, *u));
  o.add("dollars", json::string(e.dollars));
  o.add("assumptions", strings_json(e.assumptions));
  o.add("warnings", strings_json(run_warnings(s, e)));
  o.add("overrides", strings_json(s.overrides));
  o.add("caveats", strings_json(s.caveats));
  o.add("sources", strings_json(s.sources));
  return o;
}

/// The per-phase table; `for_people` picks rounded figures with units or raw numbers.
table phase_table(const estimate_result& e, bool for_people) {
  table t;
  auto num = [&](const std::optional<double>& v, std::string (*f)(double)) {
    if (!v) return std::string(for_people ? "n/a" : "");
    return for_people ? f(*v) : csv_number(*v);
  };
  if (for_people) {
    t.header = {"phase", "compute FLOP", "GPU-hours",      "basis", "MFU",
                "days",  "rental",       "reported GPU-h", "diff",  "reported cost"};
  } else {
    t.header = {"scenario",
                "phase",
                "accelerator",
                "count",
                "precision",
                "compute_flop",
                "gpu_hours",
                "gpu_hours_basis",
                "mfu",
                "mfu_basis",
                "wall_clock_days",
                "usd_per_gpu_hour",
                "cost_usd_rental",
                "reported_gpu_hours",
                "reported_cost_usd",
                "implied_mfu",
                "implied_usd_per_gpu_hour",
                "cost_usd_ownership",
                "cost_usd_purchase",
                "cost_usd_energy",
                "cost_usd_program",
                "energy_kwh",
                "emissions_tco2e",
                "goodput",
                "flop_convention",
                "price_basis",
                "dollars",
                "scope"};
  }
  auto row = [&](const phase_result& p) {
    const bool total = &p == &e.total;
    const std::optional<double> c =
        p.compute_flop ? std::optional(flop(*p.compute_flop)) : std::nullopt;
    const std::optional<double> days =
        p.wall_clock ? std::optional(days_of(*p.wall_clock)) : std::nullopt;
    const std::optional<double> rep_h =
        p.reported.gpu_hours ? std::optional(gpu_h(*p.reported.gpu_hours)) : std::nullopt;
    const std::optional<double> rep_c =
        p.reported.cost ? std::optional(dollars(*p.reported.cost)) : std::nullopt;
    if (for_people) {
      std::string mfu = p.mfu ? pct(*p.mfu) : "n/a";
      if (p.mfu && p.mfu_kind != "MFU") mfu += " " + p.mfu_kind;
      if (p.mfu && p.mfu_basis != "input") mfu += " " + p.mfu_basis;
      std::string comp = num(c, human);
      if (c && p.compute_basis != "input" && p.compute_basis != "sum")
        comp += " (" + p.compute_basis + ")";
      t.rows.push_back({p.name, comp, human(gpu_h(p.gpu_hours)), p.gpu_hours_basis, mfu,
                        opt_or(days, cli::days), opt_or(rental(p), usd), num(rep_h, human),
                        rep_h ? diff(gpu_h(p.gpu_hours), *rep_h) : "", num(rep_c, usd)});
    } else {
      t.rows.push_back(
          {e.id, p.name, p.accelerator, p.count ? csv_number(p.count->value()) : "",
           p.precision ? std::string(to_string(*p.precision)) : "", num(c, csv_number),
           csv_number(gpu_h(p.gpu_hours)), p.gpu_hours_basis, num(p.mfu, csv_number), p.mfu_basis,
           num(days, csv_number),
           num(p.price ? std::optional(per_hour(*p.price)) : std::nullopt, csv_number),
           num(rental(p), csv_number), num(rep_h, csv_number), num(rep_c, csv_number),
           num(p.implied.mfu, csv_number),
           num(p.implied.price ? std::optional(per_hour(*p.implied.price)) : std::nullopt,
               csv_number),
           num(cost_of(p, "ownership"), csv_number),
           // The cluster is bought once: its purchase is on the total row only.
           total ? num(cost_of(p, "purchase"), csv_number) : std::string(),
           num(cost_of(p, "energy"), csv_number), num(cost_of(p, "program"), csv_number),
           num(p.energy_kwh, csv_number), num(p.emissions_tco2e, csv_number),
           csv_number(p.goodput.ratio()), p.flop_convention, p.price_basis, e.dollars,
           total ? "total" : "phase"});
    }
  };
  for (const auto& p : e.phases) row(p);
  if (e.phases.size() > 1 || !for_people) row(e.total);
  return t;
}

std::string implied_text(const phase_result& p) {
  std::vector<std::string> parts;
  const auto& im = p.implied;
  if (im.mfu && im.mfu_precision) {
    std::string s =
        fmt::format("MFU {} of the {} dense peak", pct(*im.mfu), to_string(*im.mfu_precision));
    std::vector<std::string> others;
    for (const auto& [prec, v] : im.mfu_by_precision) {
      if (prec != *im.mfu_precision && prec != precision::fp64 && prec != precision::tf32) {
        others.push_back(fmt::format("{} of {}", pct(v), to_string(prec)));
      }
    }
    if (!others.empty()) s += " (" + fmt::format("{}", fmt::join(others, ", ")) + ")";
    parts.push_back(s);
  }
  if (im.price) parts.push_back(rate(per_hour(*im.price)) + " per GPU-hour");
  if (im.wall_clock && p.count) {
    parts.push_back(fmt::format("{} days on {} GPUs", days(days_of(*im.wall_clock)),
                                grouped(p.count->value())));
  }
  if (im.grid_gco2e_per_kwh && im.energy_kwh && p.reported.co2_tonnes) {
    parts.push_back(fmt::format("grid {} gCO2e/kWh ({} tCO2e over {} MWh)",
                                human(*im.grid_gco2e_per_kwh), human(*p.reported.co2_tonnes),
                                mwh(*im.energy_kwh)));
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

std::string what_if(const std::vector<std::string>& overrides) {
  std::string out;
  for (const auto& o : overrides) {
    if (!out.empty()) out += " ";
    out += o.rfind("--", 0) == 0 ? o : "--set " + o;  // --range entries carry their option
  }
  return out;
}

std::string hardware_line(const phase_result& p, const catalogue& cat) {
  if (p.accelerator == "mixed") return "mixed (see phases)";
  const auto& acc = cat.at(p.accelerator);
  std::string s = p.count ? grouped(p.count->value()) + " x " : std::string("? x ");
  s += fmt::format("{} ({})", acc.name, acc.id);
  if (p.precision && p.peak) {
    s += fmt::format(", {} dense peak {} TFLOPS", to_string(*p.precision),
                     fixed(tflops_of(*p.peak), 1));
  }
  return s;
}

/// Method rows in display order, with their labels.
const std::vector<std::pair<std::string, std::string>>& cost_methods() {
  static const std::vector<std::pair<std::string, std::string>> m{
      {"rental", "rental"},
      {"rental_on_demand", "rental, on-demand list"},
      {"rental_1y", "rental, 1-year commitment"},
      {"rental_3y", "rental, 3-year commitment"},
      {"rental_gpu_cloud", "rental, GPU cloud"},
      {"ownership", "ownership (amortised + energy)"},
      {"purchase", "purchase of the cluster"},
      {"energy", "energy"},
      {"program", "program (experiments, staff)"}};
  return m;
}

std::string cost_methods_text(const estimate_result& e, bool markdown) {
  table t;
  t.header = {"cost method"};
  const bool per_phase = e.phases.size() > 1;
  if (per_phase) {
    for (const auto& p : e.phases) t.header.push_back(p.name);
  }
  t.header.push_back(per_phase ? "total" : "USD");
  t.header.push_back("how");
  for (const auto& [key, label] : cost_methods()) {
    if (!e.total.cost.count(key)) {
      bool any = false;
      for (const auto& p : e.phases) any = any || p.cost.count(key);
      if (!any) continue;
    }
    std::vector<std::string> row{label};
    if (per_phase) {
      for (const auto& p : e.phases) row.push_back(opt_or(cost_of(p, key), usd));
    }
    row.push_back(opt_or(cost_of(e.total, key), usd));
    auto b = e.total.cost_basis.find(key);
    if (b == e.total.cost_basis.end() && !e.phases.empty()) {
      b = e.phases.front().cost_basis.find(key);
      if (b == e.phases.front().cost_basis.end()) b = e.total.cost_basis.end();
    }
    row.push_back(b == e.total.cost_basis.end() ? "" : b->second);
    t.rows.push_back(std::move(row));
  }
  std::string out;
  if (!t.rows.empty()) out += render_table(t, markdown);
  const auto& tot = e.total;
  if (tot.energy_kwh) {
    std::string line = fmt::format("Energy: {} MWh", mwh(*tot.energy_kwh));
    if (tot.emissions_tco2e && tot.grid_gco2e_per_kwh) {
      line += fmt::format("; emissions {} tCO2e location-based at {} gCO2e/kWh",
                          human(*tot.emissions_tco2e), human(*tot.grid_gco2e_per_kwh));
    }
    if (tot.emissions_market_tco2e) {
      line += fmt::format(", {} tCO2e market-based", human(*tot.emissions_market_tco2e));
    }
    out += line + "\n";
  }
  if (tot.goodput_basis == "reliability") {
    out += fmt::format("Goodput: {} from failures, checkpoints and restarts (Daly 2006), ",
                       pct(tot.goodput.ratio()));
    out += tot.checkpoint_interval_hours ? fmt::format("checkpoint every {} minutes\n",
                                                       human(*tot.checkpoint_interval_hours * 60))
                                         : std::string("\n");
  }
  if (!tot.flop_convention.empty() && tot.flop_convention != "6ND") {
    out += fmt::format("FLOP convention: {}; {} against the {} dense peak\n", tot.flop_convention,
                       tot.mfu_kind,
                       tot.precision ? std::string(to_string(*tot.precision)) : "phase's");
  }
  return out;
}

namespace {
/// A sequence at least this long gets a warning under 6ND when the model's shape is not given
/// (so the attention share cannot be computed): at d_model = 8,192, attention is T / (6 d) =
/// two thirds of 6N per token at 32,768 tokens (Kaplan et al. 2020, section 2.1: the context
/// term is negligible only while d_model > n_ctx / 12).
constexpr double long_sequence = 32768.0;
/// An attention share of the training FLOPs above which 6ND is flagged.
constexpr double attention_share_flagged = 0.10;
/// The band of plausible implied MFU: audit_bounds::mfu_plausible_min (5%) below; above, 70%,
/// beyond the 60% of llm.c GPT-2 124M (the highest reported, audit_bounds::mfu_plausible_max)
/// by a margin for rounding of reported GPU-hours.
constexpr double implied_mfu_flagged_max = 0.70;

}  // namespace

namespace {
/// What a cost method counts: by enum, so that -Wswitch names a new method here.
const char* method_text(cost_method m) {
  switch (m) {
    case cost_method::rental:
      return "GPU-hours x the price per GPU-hour on the run's price basis (what renting the "
             "accelerators would cost; the headline figure)";
    case cost_method::rental_on_demand:
      return "rental at the catalogue's on-demand cloud list price";
    case cost_method::rental_1y:
      return "rental at the catalogue's 1-year committed cloud price";
    case cost_method::rental_3y:
      return "rental at the catalogue's 3-year committed cloud price (compare's default basis)";
    case cost_method::rental_gpu_cloud:
      return "rental at the GPU-cloud price (specialist clouds, e.g. Lambda)";
    case cost_method::ownership:
      return "an owner's cost: the hardware's purchase price depreciated over the run's "
             "hours at 0.14 orders of magnitude a year, plus energy (Epoch AI, Cottier et al. "
             "2024, arXiv:2405.21015)";
    case cost_method::purchase:
      return "buying the whole cluster (accelerators, servers, interconnect) once: a capital "
             "cost, not a cost of one run; shown on the total only in CSV";
    case cost_method::energy:
      return "electricity: accelerator power x server overhead x PUE x hours x the price per "
             "kWh of the run's year";
    case cost_method::program:
      return "the whole programme: the final run times Epoch's experiments multiplier "
             "(median 2.2x: research, ablations and failed runs) plus staff, when given";
  }
  return "";
}
}  // namespace

const std::vector<glossary_entry>& glossary() {
  static const std::vector<glossary_entry> g = [] {
    std::vector<glossary_entry> v{
        {"MFU", "mfu,model flops utilization,utilisation", "MFU",
         "Model FLOPs Utilization: the training FLOPs the model needs (e.g. 6ND) divided by "
         "what the accelerators could do at their dense peak in the same time (Chowdhery et al. "
         "2022, PaLM, appendix B).",
         "40% means 60% of the peak went to other work or idle time. Real runs report about "
         "20-60%."},
        {"HFU", "hfu,hardware flops utilization", "HFU",
         "Hardware FLOPs Utilization: like MFU, but counting the FLOPs the hardware really ran, "
         "recomputed activations included (Narayanan et al. 2021; Korthikanti et al. 2022); "
         "so HFU >= MFU.",
         ""},
        {"GPU-hours", "gpu-hours,gpu hours,gpu-h,gpu-hour,chip-hours", "GPU-hours,GPU-h",
         "Accelerators x hours of use: 2,048 GPUs for one day are 49,152 GPU-hours; rental "
         "prices are per GPU-hour (per chip-hour for TPUs).",
         "Modelled GPU-hours = compute / (peak x MFU x goodput)."},
        {"goodput", "goodput", "goodput",
         "The share of the cluster's time that does useful training: 1 minus the time lost to "
         "failures, restarts and checkpoints.",
         "GPU-hours = compute / (peak x MFU x goodput)."},
        {"6ND", "6nd,6n,flop convention", "6ND",
         "Training FLOPs = 6 x N (active parameters) x D (tokens): 2 for the forward pass and 4 "
         "for the backward pass per parameter and token (Kaplan et al. 2020, section 2.1).",
         "It leaves out attention, which grows with the sequence length (PaLM: 6N + 12 L H Q T "
         "per token, Chowdhery et al. 2022 appendix B)."},
        {"basis", "basis,price basis,gpu_hours basis", "basis",
         "Where a figure comes from: GPU-hours are 'modelled' (from compute, peak, MFU and "
         "goodput) or 'reported' (as published); a price is 'reported' (the developer's own), "
         "'input', or the catalogue's 'on-demand' (list), '1y' or '3y' (1- or 3-year "
         "commitment) or 'gpu-cloud' (specialist clouds) price.",
         "'mixed' means the phases differ."},
        {"partial sum", "partial sum,partial", "(partial),partial sum",
         "A total over phases where some phases have no figure (e.g. no compute): the sum of "
         "the known ones, so a lower bound.",
         ""},
        {"P5/P95", "p5,p95,p50,p5/p95,percentile", "P5,P50,P95",
         "Percentiles of the Monte Carlo over the uncertain inputs (--range): 5% of the "
         "simulated runs cost less than P5, 5% more than P95; P50 is the median.",
         ""},
        {"nats/token", "nats,nats/token,loss", "nats/token",
         "The unit of a language model's loss: the average negative natural log of the "
         "probability of the next token (plan's predicted loss, Hoffmann et al. 2022 fit).",
         ""},
    };
    for (const auto m : all_cost_methods) {
      const std::string name(to_string(m));
      v.push_back({name + " (cost method)", name, "", method_text(m), ""});
    }
    return v;
  }();
  return g;
}

std::string explain_text(const std::string& term) {
  std::string t;
  for (const char c : term)
    t.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  std::vector<std::string> known;
  for (const auto& e : glossary()) {
    known.push_back(e.term);
    for (const auto& alias : detail::split_on(e.aliases, ',')) {
      if (!t.empty() && alias == t) {
        return e.term + ": " + e.brief + (e.more.empty() ? "" : " " + e.more) + "\n";
      }
    }
  }
  if (t.empty()) {
    std::string out = "Terms (costmodel explain TERM):\n";
    for (const auto& k : known) out += "  " + k + "\n";
    return out;
  }
  throw input_error("explain: no term '" + term +
                    "'; known: " + fmt::format("{}", fmt::join(known, ", ")));
}

namespace {
bool& legends_setting() {
  static thread_local bool on = true;
  return on;
}
/// The terms an output has explained already: a legend names each term once per output.
std::vector<std::string>& explained_terms() {
  static thread_local std::vector<std::string> terms;
  return terms;
}

/// Whether `word` occurs in `text` with no letter, digit or '-' on either side ("P5" is not in
/// "P50"; "basis" is in "GPU-hours basis").
bool has_word(std::string_view text, std::string_view word) {
  auto part = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-'; };
  for (auto at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const bool left = at == 0 || !part(text[at - 1]) || !part(word.front());
    const auto end = at + word.size();
    const bool right = end == text.size() || !part(text[end]) || !part(word.back());
    if (left && right) return true;
  }
  return false;
}
}  // namespace

void set_legends(bool on) {
  legends_setting() = on;
  explained_terms().clear();
}

std::string legend(const table& t) {
  if (!legends_setting()) return "";
  std::string text;
  for (const auto& h : t.header) text += h + "\n";
  for (const auto& r : t.rows) {
    for (const auto& c : r) text += c + "\n";
  }
  std::vector<std::string> items;
  auto& done = explained_terms();
  for (const auto& e : glossary()) {
    if (e.shown_as.empty() || std::find(done.begin(), done.end(), e.term) != done.end()) continue;
    for (const auto& w : detail::split_on(e.shown_as, ',')) {
      if (has_word(text, w)) {
        items.push_back(e.term + ": " + e.brief);
        done.push_back(e.term);
        break;
      }
    }
  }
  return list_block("Legend (costmodel explain TERM for more; --no-legend hides it)", items);
}

std::string render_table(const table& t, bool markdown) {
  std::string out = markdown ? render_markdown(t) : render_text(t);
  const auto l = legend(t);
  if (!l.empty()) out += (markdown ? "\n" : "") + l;
  return out;
}

std::vector<std::pair<std::string, std::string>> source_table(const catalogue& cat,
                                                              const std::vector<std::string>& own) {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](const std::vector<std::string>& sources) {
    for (const auto& src : sources) {
      const auto colon = src.find(": ");
      if (colon == std::string::npos || colon == 0 || colon > 24) continue;
      std::string tag = src.substr(0, colon);
      if (std::any_of(tag.begin(), tag.end(), [](char c) { return c == ' '; })) continue;
      const bool known =
          std::any_of(out.begin(), out.end(), [&](const auto& kv) { return kv.first == tag; });
      if (!known) out.emplace_back(std::move(tag), src);
    }
  };
  add(own);  // a run's own definition of a tag comes first
  add(cat.datacenter.sources);
  for (const auto& [id, a] : cat.accelerators) add(a.sources);
  return out;
}

std::string sources_block(const std::string& text, const std::vector<std::string>& own,
                          const catalogue& cat, const std::vector<std::string>& pool) {
  std::vector<std::string> items = own;
  std::vector<std::string> defined;
  for (const auto& src : own) {
    const auto colon = src.find(": ");
    if (colon != std::string::npos) defined.push_back(src.substr(0, colon));
  }
  // The pool's definitions come after the catalogue's: "same repository" in a run's own
  // source reads against that run's list, not against this output's.
  auto table = source_table(cat, own);
  for (const auto& entry : source_table(catalogue{}, pool)) {
    const auto& tag = entry.first;  // not a structured binding: clang 14 cannot capture one
    const bool known =
        std::any_of(table.begin(), table.end(), [&](const auto& kv) { return kv.first == tag; });
    if (!known) table.push_back(entry);
  }
  for (const auto& [tag, src] : table) {
    if (std::find(defined.begin(), defined.end(), tag) != defined.end()) continue;
    if (has_word(text, tag)) {
      items.push_back(src);
      defined.push_back(tag);
    }
  }
  return list_block("Sources", items);
}

std::string source_tags(const std::vector<std::string>& sources) {
  std::vector<std::string> tags;
  for (const auto& src : sources) {
    const auto colon = src.find(':');
    // "DSV3-TR: DeepSeek-V3 Technical Report, ..." gives its tag; an untagged source its start.
    std::string tag = colon != std::string::npos && colon <= 24 ? src.substr(0, colon) : src;
    if (tag.size() > 40) tag = tag.substr(0, 37) + "...";
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
  }
  return fmt::format("{}", fmt::join(tags, "; "));
}

void check_brief_format(bool brief, bool machine_format) {
  if (brief && machine_format) {
    throw input_error(
        "--brief is a summary for people: use it with --format table or markdown, or drop it "
        "for json and csv");
  }
}

std::string model_kind_line(const scenario& s) {
  if (s.model_kind.empty()) return "";
  const char* what = s.model_kind == "base" ? "pre-trained only, not tuned to chat or to reason"
                     : s.model_kind == "chat"
                         ? "tuned to follow instructions; not a reasoning model"
                         : "trained to reason step by step before answering";
  return fmt::format("Model: {} ({})\n", s.model_kind, what);
}

std::vector<std::string> run_warnings(const scenario& s, const estimate_result& e) {
  std::vector<std::string> out;
  if (s.date.empty()) {
    out.push_back(
        "the run has no date: prices, dollar years and the hardware of its time cannot be "
        "placed (add date = \"YYYY-MM\")");
  }
  const std::size_t n = std::max<std::size_t>(s.phases.size(), 1);
  for (std::size_t i = 0; i < n && i < e.phases.size(); ++i) {
    const auto in = s.phases.empty() ? s.base : detail::merge_phase(s.base, s.phases[i]);
    const auto& p = e.phases[i];
    const std::string who = s.phases.empty() ? std::string() : fmt::format("phase '{}': ", p.name);
    const bool six_nd = in.convention.value_or(flop_convention::six_nd) == flop_convention::six_nd;
    if (six_nd && in.tokens && !in.compute_flop && in.sequence_length) {
      const double t = *in.sequence_length;
      const auto active = in.active_parameters ? in.active_parameters : in.parameters;
      if (in.shape.layers && in.shape.d_model && active) {
        // PaLM's count: 6N + 12 L H Q T per token (Chowdhery et al. 2022, appendix B; Kaplan
        // et al. 2020 eq. 2.2 gives the same context term per forward pass).
        const auto terms = flop_per_token_terms(flop_convention::palm, in.shape, t, false);
        const double share = terms.fixed / (6.0 * *active + terms.fixed);
        if (share > attention_share_flagged) {
          out.push_back(fmt::format(
              "{}6ND counts 6N FLOP per token and omits attention, which at {} tokens per "
              "sequence is {} of the training FLOPs (PaLM: 6N + 12 L H Q T, Chowdhery et al. "
              "2022 app. B; Kaplan et al. 2020 eq. 2.2); set training.flop_convention = "
              "\"palm\" or \"megatron\" to count it",
              who, grouped(t), pct(share)));
        }
      } else if (t >= long_sequence) {
        out.push_back(fmt::format(
            "{}6ND counts 6N FLOP per token and omits attention, which grows with the {}-token "
            "sequence (12 L H Q T per token, Chowdhery et al. 2022 app. B; negligible only while "
            "d_model > n_ctx / 12, Kaplan et al. 2020 section 2.1); give model.layers and "
            "model.d_model for its share",
            who, grouped(t)));
      }
    }
    if (p.implied.mfu && p.implied.mfu_precision) {
      const double m = *p.implied.mfu;
      if (m < audit_bounds::mfu_plausible_min || m > implied_mfu_flagged_max) {
        out.push_back(fmt::format(
            "{}the reported GPU-hours imply an MFU of {} of the {} peak, {} the {}-{} of real "
            "runs: the reported compute or GPU-hours may not be what the phase did{}",
            who, pct(m), to_string(*p.implied.mfu_precision),
            m < audit_bounds::mfu_plausible_min ? "below" : "above",
            pct(audit_bounds::mfu_plausible_min), pct(implied_mfu_flagged_max),
            six_nd && in.sequence_length && *in.sequence_length >= long_sequence
                ? " (6ND omits attention at long sequences)"
                : ""));
      }
    }
  }
  return out;
}

std::string estimate_text(const scenario& s, const estimate_result& e, const catalogue& cat,
                          bool markdown, const std::string& after_total) {
  std::string out;
  out += markdown ? fmt::format("## {} (`{}`)\n\n", s.name, s.id)
                  : fmt::format("{} [{}]\n", s.name, s.id);
  if (!s.description.empty()) {
    out += (s.overrides.empty() ? "" : "As filed, before the what-if: ") + s.description + "\n";
  }
  out += fmt::format("Hardware: {}\n", hardware_line(e.total, cat));
  if (!s.overrides.empty()) out += "What-if: " + what_if(s.overrides) + "\n";
  out += "\n";
  out += render_table(phase_table(e, true), markdown);
  const auto& tot = e.total;
  out += fmt::format("\nTotal: {} GPU-hours, {} days, rental {}", human(gpu_h(tot.gpu_hours)),
                     tot.wall_clock ? days(days_of(*tot.wall_clock)) : "n/a",
                     opt_or(rental(tot), usd));
  if (tot.price)
    out += fmt::format(" at {} per GPU-hour ({})", rate(per_hour(*tot.price)), tot.price_basis);
  out += "\n";
  out += fmt::format("Dollars: {}\n", e.dollars == "nominal"
                                          ? "nominal (as each price was published; --usd-year "
                                            "YEAR converts)"
                                          : e.dollars + " (US PPI PCU518210518210)");
  if (tot.mfu && tot.precision) {
    out +=
        fmt::format("Effective MFU over the phases with known compute: {} of the {} dense peak\n",
                    pct(*tot.mfu), to_string(*tot.precision));
  }
  out += '\n';  // not "\n" + ...: GCC 12 -O3 warns -Wrestrict there (GCC bug 105329)
  out += cost_methods_text(e, markdown);
  out += after_total;
  std::vector<std::string> implied;
  for (const auto& p : e.phases) {
    auto txt = implied_text(p);
    if (!txt.empty()) implied.push_back(p.name + ": " + txt);
  }
  if (e.phases.size() > 1) {
    auto txt = implied_text(tot);
    if (!txt.empty()) implied.push_back("total: " + txt);
  }
  out += '\n';
  out += list_block("Implied by the reported figures", implied);
  out += list_block("Warnings", run_warnings(s, e));
  out += list_block("Assumptions", e.assumptions);
  out += list_block(s.overrides.empty() ? "Caveats" : "Caveats (of the run as filed)", s.caveats);
  out += sources_block(out, s.sources, cat);
  return out;
}

}  // namespace costmodel::cli
