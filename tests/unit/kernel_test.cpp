// SPDX-License-Identifier: MIT
// One model, every path: a generated matrix of scenarios (every good file in tests/data and every
// bundled run) x FLOP convention x with and without [reliability] x a phase override x ranges on
// inherited keys, at seeded random points of each input. At every point estimate(), the Monte
// Carlo's scalar and block evaluations, Python evaluate()'s C++ core (batch_model) and
// sensitivity's end points give the same value, bit for bit, for every output.
#include "costmodel/kernel.hpp"

#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <locale>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bundled_catalogue.hpp"
#include "catch.hpp"
#include "costmodel/batch.hpp"
#include "costmodel/presets.hpp"
#include "costmodel/sensitivity.hpp"
#include "costmodel/uncertainty.hpp"

using namespace costmodel;

namespace {
const catalogue& cat() { return costmodel::testing::bundled_catalogue(); }

using costmodel::testing::exact_text;

/// What estimate() says for metric `m` of `p`; NaN where it has no such figure.
double expected(const phase_result& p, metric m) {
  const double nan = std::nan("");
  if (const auto c = cost_method_of(m)) {
    const auto it = p.cost.find(std::string(to_string(*c)));
    return it != p.cost.end() ? value_in(it->second, units::usd) : nan;
  }
  switch (m) {
    case metric::compute_flop:
      return p.compute_flop ? value_in(*p.compute_flop, units::flop) : nan;
    case metric::gpu_hours:
      return value_in(p.gpu_hours, units::gpu_hour);
    case metric::wall_clock_days:
      return p.wall_clock ? days_of(*p.wall_clock) : nan;
    case metric::energy_kwh:
      return p.energy_kwh.value_or(nan);
    case metric::emissions_tco2e:
      return p.emissions_tco2e.value_or(nan);
    case metric::emissions_market_tco2e:
      return p.emissions_market_tco2e.value_or(nan);
    default:
      break;
  }
  return nan;
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

/// Every metric of `o` equals estimate()'s `p`.
void check_outputs(const outputs& o, const phase_result& p, const std::string& what) {
  for (auto m : all_metrics) {
    INFO(what << ": " << metric_names[static_cast<std::size_t>(m)] << " = " << o[m] << ", estimate "
              << expected(p, m));
    CHECK(same(o[m], expected(p, m)));
  }
}

struct source {
  std::string name;  ///< a bundled id or a path
};

std::vector<source> sources() {
  std::vector<source> out;
  for (const auto& r : list_runs()) out.push_back({r.id});
  // The good scenarios of tests/data (the others are the bad-input catalogue's).
  for (const char* f : {"cost_full.toml", "small_dense.toml", "extends_v3.toml",
                        "non_ascii_ok.toml", "reliability_phases.toml", "reported_only.toml",
                        "hfu_layout.toml", "achieved_tflops_phases.toml"}) {
    const auto path = std::filesystem::path(COSTMODEL_TEST_DATA) / f;
    if (std::filesystem::exists(path)) out.push_back({path.string()});
  }
  return out;
}

/// A variant of a scenario: overrides, and ranges to add.
struct variant {
  std::vector<override_entry> overrides;
  std::vector<std::string> ranges;
  std::string label;
};

/// The utilisation key a scenario's top level gives (efficiency.mfu when it gives none), with a
/// range of its values.
std::pair<std::string, std::pair<double, double>> utilisation_of(const scenario& s) {
  if (s.base.hfu) return {"efficiency.hfu", {0.3, 0.6}};
  if (s.base.achieved_tflops) return {"efficiency.achieved_tflops", {150.0, 600.0}};
  return {"efficiency.mfu", {0.25, 0.55}};
}

/// The ranges on inputs for a scenario (with `phase` its first phase's name, or empty): set A
/// keeps the scenario's MFU branch (implied, reported, default) and drives compute, count,
/// price and energy; set B drives the utilisation (the key the scenario gives) and goodput.
std::vector<std::string> ranges_for(const scenario& s, bool set_b) {
  std::vector<std::string> r;
  const std::string first = s.phases.empty() ? "" : "phases." + s.phases.front().name + ".";
  if (set_b) {
    const auto [util, span] = utilisation_of(s);
    r.push_back(util + "=" + exact_text(span.first) + ":" + exact_text(span.second));
    r.push_back(first + "efficiency.goodput=0.8:0.99");  // a phase's own range
    r.push_back("pricing.usd_per_gpu_hour=1:4:lognormal");
  } else {
    r.push_back(first + "training.tokens=1e9:2e12:lognormal");
    r.push_back("hardware.count=64:4096");  // inherited by the phases that do not set it
    r.push_back("energy.pue=1.05:1.5");
    r.push_back("energy.usd_per_kwh=0.03:0.2");
    r.push_back("energy.grid_gco2e_per_kwh=50:700");
    r.push_back("energy.watts_per_accelerator=300:1200");
  }
  return r;
}

/// Counts how often each branch of the matrix ran, so that the test fails if a dimension is
/// silently skipped everywhere.
std::map<std::string, int>& branches() {
  static std::map<std::string, int> b;
  return b;
}

/// Runs every path on `s` at `points` random points and compares them with estimate().
void check_paths(const scenario& s, const std::string& label, std::uint64_t seed) {
  std::optional<fast_model> built;
  try {
    built.emplace(s, cat());
  } catch (const input_error&) {
    // estimate() refuses the run at its point values (an implied MFU above 100%, say): no
    // answer to compare, and the Monte Carlo refuses it the same way.
    branches()["skipped: estimate() refuses the point values"]++;
    return;
  }
  const fast_model& m = *built;
  for (const auto& p : m.plan().phases) {
    branches()[std::string("compute ") + std::string(to_string(p.compute)) + " " +
               std::string(to_string(p.convention))]++;
    branches()[std::string("mfu ") + std::string(to_string(p.mfu))]++;
    if (p.mfu == mfu_source::input) {
      branches()[std::string("utilisation efficiency.") +
                 utilisation_keys[static_cast<std::size_t>(p.mfu_key)]]++;
    }
    branches()[std::string("goodput ") + std::string(to_string(p.goodput))]++;
    branches()[std::string("wall ") + std::string(to_string(p.wall_clock))]++;
    branches()[std::string("price ") + std::string(to_string(p.price))]++;
    for (auto c : all_cost_methods) {
      if (p.has[static_cast<std::size_t>(c)]) branches()["cost " + std::string(to_string(c))]++;
    }
  }
  if (m.phase_count() > 1) branches()["phases"]++;
  const std::size_t k = m.keys().size();
  if (k == 0) return;
  branches()["ranges"]++;
  xoshiro256ss rng(seed);
  constexpr std::size_t bs = fast_model::block_size;
  std::vector<double> drawn(k * bs);
  std::vector<const double*> cols(k);
  fast_model::block_outputs block;
  for (int point = 0; point < 3; ++point) {
    std::vector<double> x;
    for (const auto& r : m.ranges()) x.push_back(draw(r, rng));
    const auto applied = apply_values(s, m.keys(), x);
    estimate_result e;
    try {
      e = estimate(applied, cat());
    } catch (const input_error&) {
      continue;  // a drawn point outside what the model accepts: nothing to compare
    }
    const std::string where = label + " point " + std::to_string(point);
    // The Monte Carlo's scalar evaluation (sensitivity's and the point's).
    outputs tot;
    std::vector<outputs> ph(m.phase_count());
    m.evaluate(x.data(), tot, ph.data());
    check_outputs(tot, e.total, where + " (Monte Carlo, total)");
    for (std::size_t i = 0; i < ph.size(); ++i) {
      check_outputs(ph[i], e.phases[i], where + " (Monte Carlo, phase " + std::to_string(i) + ")");
    }
    // The Monte Carlo's block evaluation, its ranges collapsed onto the point.
    for (std::size_t j = 0; j < k; ++j) {
      std::fill(drawn.begin() + static_cast<std::ptrdiff_t>(j * bs),
                drawn.begin() + static_cast<std::ptrdiff_t>((j + 1) * bs), x[j]);
      cols[j] = drawn.data() + j * bs;
    }
    m.evaluate_block(cols.data(), 5, block);
    const std::size_t total_block = m.phase_count() == 1 ? 0 : m.phase_count();
    for (auto mm : all_metrics) {
      // A total the run does not have is never read from a block (monte_carlo() takes it from
      // the point evaluation, which says NaN); its lanes hold partial sums.
      if (!m.total_known(mm)) continue;
      INFO(where << " (Monte Carlo block): " << metric_names[static_cast<std::size_t>(mm)]);
      CHECK(same(block.column(total_block, mm)[3], expected(e.total, mm)));
    }
    branches()["compared"]++;
  }
}

/// Python evaluate()'s core at random values of the keys it can vary, against estimate() with the
/// same overrides.
void check_batch(const std::string& name, const std::vector<override_entry>& base,
                 const std::string& label, std::uint64_t seed) {
  const auto s0 = load_scenario(name, cat(), base);
  const std::string first = s0.phases.empty() ? "" : "phases." + s0.phases.front().name + ".";
  const std::vector<std::pair<std::string, std::pair<double, double>>> keys{
      utilisation_of(s0),
      {"pricing.usd_per_gpu_hour", {1.0, 4.0}},
      {"hardware.count", {8.0, 20000.0}},
      {first + "training.tokens", {1e10, 2e13}}};
  xoshiro256ss rng(seed);
  for (std::size_t drop = 0; drop <= keys.size(); ++drop) {
    // All the keys, then each left out once (the scenario's own branch for it).
    std::vector<std::string> names;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (i + 1 != drop) names.push_back(keys[i].first);
    }
    std::vector<double> v;
    std::vector<override_entry> o = base;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (i + 1 == drop) continue;
      double x =
          keys[i].second.first + rng.uniform() * (keys[i].second.second - keys[i].second.first);
      if (keys[i].first == "hardware.count") x = std::floor(x);
      v.push_back(x);
      o.push_back({keys[i].first, exact_text(x)});
    }
    scenario s;
    estimate_result e;
    try {
      s = load_scenario(name, cat(), o);
      e = estimate(s, cat());
    } catch (const error&) {
      continue;
    }
    std::vector<batch_key> bk;
    for (const auto& k : names) bk.push_back(parse_batch_key(k, s));
    // The model is built from other values of the same keys: only the branches carry over.
    std::vector<override_entry> t = base;
    for (const auto& k : names) t.push_back({k, k == "hardware.count" ? "512" : "0.5"});
    if (!s0.phases.empty()) {
      // tokens of the template are the point's: another value could change a phase's branch
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i].find("training.tokens") != std::string::npos) t.back() = o[base.size() + i];
      }
    }
    std::optional<batch_model> model;
    try {
      model.emplace(load_scenario(name, cat(), t), cat(), bk);
    } catch (const error&) {
      continue;
    }
    const auto p = model->evaluate(v.data());
    INFO(label << " evaluate() with " << names.size() << " keys");
    {
      // The block path (Python evaluate()'s loop) gives the scalar path's bits in every lane.
      std::vector<lanes> in(v.size());
      for (std::size_t k = 0; k < v.size(); ++k) in[k] = lanes(v[k]);
      auto block = std::make_unique<batch_model::block_result>();
      model->evaluate_block(in.data(), 3, *block);
      CHECK(block->ok[2] == p.ok);
      CHECK_FALSE(block->ok[3]);  // past the block's points
      if (p.ok) {
        const auto q = model->point_of(block->total, 2);
        CHECK(std::memcmp(&q.cost_usd, &p.cost_usd, sizeof p.cost_usd) == 0);
        CHECK(same(q.gpu_hours, p.gpu_hours));
        CHECK(same(q.compute_flop, p.compute_flop));
        CHECK(same(q.wall_clock_days, p.wall_clock_days));
        CHECK(same(q.mfu, p.mfu));
        CHECK(same(q.energy_kwh, p.energy_kwh));
        CHECK(same(q.emissions_tco2e, p.emissions_tco2e));
        CHECK(same(q.emissions_market_tco2e, p.emissions_market_tco2e));
      }
    }
    if (!p.ok) continue;  // the scalar path answers these
    const auto& tt = e.total;
    CHECK(same(p.gpu_hours, expected(tt, metric::gpu_hours)));
    CHECK(same(p.compute_flop, expected(tt, metric::compute_flop)));
    CHECK(same(p.wall_clock_days, expected(tt, metric::wall_clock_days)));
    CHECK(same(p.mfu, tt.mfu.value_or(std::nan(""))));
    CHECK(same(p.energy_kwh, expected(tt, metric::energy_kwh)));
    CHECK(same(p.emissions_tco2e, expected(tt, metric::emissions_tco2e)));
    CHECK(same(p.emissions_market_tco2e, expected(tt, metric::emissions_market_tco2e)));
    for (auto c : all_cost_methods) {
      const auto it = tt.cost.find(std::string(to_string(c)));
      INFO("cost " << to_string(c));
      CHECK(same(p.cost_usd[static_cast<std::size_t>(c)],
                 it != tt.cost.end() ? value_in(it->second, units::usd) : std::nan("")));
    }
    branches()["batch compared"]++;
  }
}

}  // namespace

TEST_CASE("every path gives estimate()'s answer over the generated matrix", "[kernel]") {
  const std::array<const char*, 4> conventions{"6ND", "palm", "megatron", "megatron-recompute"};
  std::uint64_t seed = 1;
  for (const auto& src : sources()) {
    scenario plain;
    try {
      plain = load_scenario(src.name, cat());
    } catch (const error&) {
      FAIL("a good scenario does not load: " << src.name);
    }
    for (const char* conv : conventions) {
      for (bool reliability : {false, true}) {
        for (bool phase_override : {false, true}) {
          if (phase_override && plain.phases.empty()) continue;
          // Training keys are per phase in a run with phases.
          std::vector<std::string> training_at;
          if (plain.phases.empty()) training_at.push_back("training.");
          for (const auto& ph : plain.phases)
            training_at.push_back("phases." + ph.name + ".training.");
          std::vector<override_entry> o;
          for (const auto& t : training_at) o.push_back({t + "flop_convention", conv});
          // Shapes for the conventions that count layers (unless the run has its own).
          if (std::string(conv) != "6ND" && !plain.base.shape.layers) {
            o.push_back({"model.layers", "32"});
            o.push_back({"model.d_model", "4096"});
            o.push_back({"model.heads", "32"});
            o.push_back({"model.vocab_size", "128000"});
          }
          if (!plain.base.sequence_length) {
            for (const auto& t : training_at) o.push_back({t + "sequence_length", "4096"});
          }
          if (reliability) o.push_back({"reliability.mtbf_hours_per_accelerator", "50000"});
          if (phase_override) {
            o.push_back({"phases." + plain.phases.back().name + ".efficiency.mfu", "0.31"});
          }
          const std::string label = src.name + " " + conv + (reliability ? " +reliability" : "") +
                                    (phase_override ? " +phase override" : "");
          scenario base;
          try {
            base = load_scenario(src.name, cat(), o);
            (void)estimate(base, cat());
          } catch (const error&) {
            branches()["skipped: not a valid combination"]++;
            continue;
          }
          branches()[std::string("convention ") + conv]++;
          if (reliability) branches()["with reliability"]++;
          if (phase_override) branches()["with a phase override"]++;
          for (bool set_b : {false, true}) {
            auto s = base;
            try {
              for (const auto& r : ranges_for(s, set_b)) {
                auto [key, range] = parse_range(r);
                add_range(s, key, range);
              }
            } catch (const input_error&) {
              continue;  // e.g. a phase key on a run whose phases set no tokens
            }
            check_paths(s, label + (set_b ? " ranges B" : " ranges A"), seed++);
            // Sensitivity's end points are the scalar evaluation at each low and high.
            if (set_b && seed % 5 == 0) {
              // A range end where estimate() refuses the run (an MFU above 100%, say) has no
              // answer to compare: sensitivity refuses it too.
              sensitivity_result sens;
              try {
                sens = sensitivity(s, cat());
              } catch (const input_error&) {
                branches()["skipped: a sensitivity end point the model refuses"]++;
                continue;
              }
              for (const auto& row : sens.rows) {
                const fast_model m(s, cat());
                std::vector<double> x(m.keys().size(), std::nan(""));
                for (std::size_t i = 0; i < x.size(); ++i) {
                  if (m.keys()[i] == row.key) x[i] = row.range.low;
                }
                const auto e = estimate(apply_values(s, m.keys(), x), cat());
                check_outputs(row.at_low, e.total, label + " sensitivity low of " + row.key);
                branches()["sensitivity compared"]++;
              }
            }
          }
          check_batch(src.name, o, label, seed++);
        }
      }
    }
  }
  for (const auto& [b, n] : branches()) UNSCOPED_INFO(b << ": " << n);
  for (const char* b : {"convention 6ND",
                        "convention palm",
                        "convention megatron",
                        "convention megatron-recompute",
                        "with reliability",
                        "with a phase override",
                        "phases",
                        "compared",
                        "batch compared",
                        "sensitivity compared",
                        "compute input 6ND",
                        "compute reported 6ND",
                        "mfu input",
                        "mfu implied",
                        "mfu reported",
                        "mfu default",
                        "utilisation efficiency.mfu",
                        "utilisation efficiency.hfu",
                        "utilisation efficiency.achieved_tflops",
                        "goodput input",
                        "goodput reliability",
                        "goodput default",
                        "wall modelled",
                        "wall unknown",
                        "price reported",
                        "price 3y",
                        "cost rental",
                        "cost energy",
                        "cost ownership",
                        "cost purchase",
                        "cost program",
                        "cost rental_on_demand"}) {
    INFO("branch never hit: " << b);
    CHECK(branches()[b] > 0);
  }
}

TEST_CASE("the kernel's per-token compute is flops.hpp's count times the tokens", "[kernel]") {
  model_shape sh;
  sh.layers = 12;
  sh.d_model = 768;
  sh.heads = 12;
  sh.vocab_size = 50304;
  for (auto c : {flop_convention::six_nd, flop_convention::palm, flop_convention::megatron,
                 flop_convention::megatron_recompute}) {
    phase_plan p;
    p.compute = compute_source::per_token;
    const auto t = flop_per_token_terms(c, sh, 1024.0, false);
    p.flop_slope = t.slope;
    p.flop_fixed = t.fixed;
    lane_values<double> x{};
    at(x, lane::active_parameters) = 124e6;
    at(x, lane::tokens) = 10e9;
    CHECK(kernel_compute(p, x) == training_flop_per_token(c, 124e6, sh, 1024.0, false) * 10e9);
    lane_values<lanes> xl;
    for (std::size_t l = 0; l < lane_count; ++l) xl[l] = lanes(x[l]);
    CHECK(kernel_compute(p, xl).v[7] == kernel_compute(p, x));
  }
}
