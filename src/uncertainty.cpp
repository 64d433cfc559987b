// SPDX-License-Identifier: MIT
// The Monte Carlo, ranges, percentiles, sensitivity and sweeps' parsing, compiled once
// (uncertainty.hpp, sensitivity.hpp and sweep.hpp declare them).
#include "costmodel/uncertainty.hpp"

#include "costmodel/sensitivity.hpp"
#include "costmodel/sweep.hpp"

namespace costmodel {
uncertainty_result monte_carlo(const scenario& s, const catalogue& cat,
                               const mc_settings& settings) {
  if (settings.samples == 0 || settings.samples > max_samples) {
    throw input_error("--samples must be between 1 and " + detail::integer_text(max_samples) +
                      ", got " + detail::integer_text(settings.samples));
  }
  if (s.base.usd_year) {
    // Dollars of a year (pricing.hpp): the draws in the run's own dollars, then converted by the
    // one factor estimate() applies.
    scenario nominal = s;
    nominal.base.usd_year.reset();
    auto u = monte_carlo(nominal, cat, settings);
    const auto from = dollars_year_of(s);
    if (!from)
      throw input_error("pricing.usd_year: the scenario has no date (give date = YYYY-MM)");
    std::vector<std::string> notes;
    const double f = usd_year_factor(cat.datacenter, *from, *s.base.usd_year, notes);
    auto scale = [f](output_percentiles& p) {
      for (auto m : all_metrics) {  // every dollar figure: the cost_usd_* metrics
        if (!metric_names[static_cast<std::size_t>(m)].starts_with("cost_usd_")) continue;
        if (auto& q = p[static_cast<std::size_t>(m)]) {
          q->p5 *= f;
          q->p50 *= f;
          q->p95 *= f;
        }
      }
    };
    scale(u.total);
    for (auto& p : u.phases) scale(p);
    return u;
  }
  const fast_model m(s, cat);
  uncertainty_result u;
  u.samples = settings.samples;
  u.seed = settings.seed;
  u.keys = m.keys();
  u.ranges = m.ranges();
  u.point_values = m.point_values();
  u.not_propagated = m.not_propagated();
  u.reported_ranges = m.reported_ranges();
  u.phases.resize(m.phase_count());
  if (!u.any()) return u;

  // Outputs that are unknown or the same in every sample get their percentiles from the point
  // evaluation; the others are drawn into one column store, a column per (phase or total,
  // metric), block by block: each input's draws in one loop, then each output in one loop
  // (fast_model::evaluate_block), so the work per sample is a few arithmetic operations.
  const std::size_t n = settings.samples;
  const std::size_t np = m.phase_count();
  const std::size_t k = u.keys.size();
  const std::size_t blocks = np == 1 ? 1 : np + 1;  // phases, then the total
  std::vector<double> none(k, std::numeric_limits<double>::quiet_NaN());
  outputs point_total;
  std::vector<outputs> point_phases(np);
  m.evaluate(none.data(), point_total, point_phases.data());
  std::vector<output_percentiles> result(blocks);
  struct column {
    std::size_t block;
    std::size_t metric;
  };
  std::vector<column> columns;
  for (std::size_t b = 0; b < blocks; ++b) {
    const bool total = b == blocks - 1;
    const outputs& pt = total ? point_total : point_phases[b];
    for (std::size_t j = 0; j < metric_count; ++j) {
      const double v = pt.value[j];
      if (std::isnan(v)) continue;
      if (m.varies(total ? np : b, static_cast<metric>(j))) {
        columns.push_back({b, j});
      } else {
        result[b][j] = percentiles{v, v, v};
      }
    }
  }
  detail::check_memory_budget(double(columns.size()) * double(n), sizeof(double),
                              "the Monte Carlo (" + detail::integer_text(columns.size()) +
                                  " varying outputs x " + detail::integer_text(n) + " samples)",
                              "--samples");
  auto& ws = detail::workspace();  // kept between calls (see mc_workspace)
  ws.columns.reserve(columns.size() * n);
  double* const store = ws.columns.data();
  constexpr std::size_t bs = fast_model::block_size;
  auto& drawn = ws.drawn;
  drawn.assign(k * bs, 1.0);  // the kernel reads whole blocks: a short last block reads these
  std::vector<const double*> x(k);
  for (std::size_t i = 0; i < k; ++i) x[i] = drawn.data() + i * bs;
  auto& out = ws.outputs;
  xoshiro256ss rng(settings.seed);
  for (std::size_t start = 0; start < n; start += bs) {
    const std::size_t len = std::min(bs, n - start);
    for (std::size_t i = 0; i < k; ++i) draw_into(u.ranges[i], rng, drawn.data() + i * bs, len);
    m.evaluate_block(x.data(), len, out);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const double* src = out.column(columns[c].block, static_cast<metric>(columns[c].metric));
      std::copy(src, src + len, store + c * n + start);
    }
  }
  for (std::size_t c = 0; c < columns.size(); ++c) {
    result[columns[c].block][columns[c].metric] = percentiles_of(store + c * n, n);
  }
  if (ws.columns.size() > detail::mc_columns_kept) ws.columns.release();
  u.total = result[blocks - 1];
  if (np == 1) {
    u.phases[0] = u.total;  // one phase: the total is that phase
  } else {
    for (std::size_t p = 0; p < np; ++p) u.phases[p] = result[p];
  }
  return u;
}
}  // namespace costmodel

namespace costmodel {
void add_range(scenario& s, const std::string& key, uncertain_input r) {
  const auto sk = detail::split_range_key(key);
  std::string known;
  for (const auto& k : uncertain_input_keys()) known += (known.empty() ? "" : ", ") + k;
  if (!detail::is_input_key(sk.subkey)) {
    throw input_error("--range " + key + ": not an input a range can drive; expected one of: " +
                      known + " (or phases.<name>.<key>)");
  }
  // The domains of the keys, as the scenario reader checks them (src/presets.cpp).
  const bool ratio =
      (sk.subkey.rfind("efficiency.", 0) == 0 && sk.subkey != "efficiency.achieved_tflops") ||
      sk.subkey == "energy.average_power_fraction";
  const bool at_least_one =
      sk.subkey == "energy.pue" || sk.subkey == "energy.server_power_overhead";
  const bool non_negative =
      sk.subkey == "energy.usd_per_kwh" || sk.subkey == "energy.grid_gco2e_per_kwh";
  const bool bad = at_least_one   ? !(r.low >= 1.0)
                   : non_negative ? !(r.low >= 0.0)
                                  : !(r.low > 0.0) || (ratio && r.high > 1.0);
  if (bad) {
    const std::string domain = ratio          ? "a ratio in (0, 1] low and high"
                               : at_least_one ? "low and high of at least 1"
                               : non_negative ? "non-negative low and high"
                                              : "positive low and high";
    throw input_error("--range " + key + ": expected " + domain);
  }
  if (sk.subkey == "hardware.count" &&
      (r.low != std::floor(r.low) || r.high != std::floor(r.high))) {  // as the file refuses 1.5
    throw input_error("--range " + key + ": expected whole numbers of accelerators, low and high");
  }
  if (ratio && r.dist == distribution::lognormal) {
    throw input_error("--range " + key +
                      ": a lognormal range is unbounded; expected uniform or triangular for a "
                      "ratio");
  }
  const std::string text = "--range " + key + "=" + detail::range_number(r.low) + ":" +
                           detail::range_number(r.high) + " " + std::string(to_string(r.dist));
  auto fix_point = [&](run_inputs& in, bool required) {
    const auto v = input_value(in, sk.subkey);
    const bool outside = v && r.dist != distribution::lognormal && (*v < r.low || *v > r.high);
    if ((!v && required) || outside) {
      set_input_value(in, sk.subkey, r.centre());
      s.overrides.push_back(text + " (point value " + detail::range_number(r.centre()) + ")");
      return true;
    }
    return false;
  };
  bool noted = false;
  if (auto* e = detail::energy_input(s.costs.energy, sk.subkey)) {
    if (!sk.phase.empty()) {
      throw input_error("--range " + key +
                        ": [energy] applies to the whole run, not a phase; use " + sk.subkey);
    }
    // As fix_point: a missing value (the catalogue's default in the point estimate) or one
    // outside the range becomes the range's centre.
    const bool outside = *e && r.dist != distribution::lognormal && (**e < r.low || **e > r.high);
    if (!*e || outside) {
      *e = r.centre();
      s.overrides.push_back(text + " (point value " + detail::range_number(r.centre()) + ")");
      noted = true;
    }
    r.whole_run = true;
  } else if (sk.phase.empty()) {
    if (!s.phases.empty() && sk.subkey.rfind("training.", 0) == 0) {
      throw input_error("--range " + key +
                        ": this scenario has phases, so training keys are per phase; use "
                        "phases.<name>." +
                        sk.subkey);
    }
    r.whole_run = true;
    noted = fix_point(s.base, true);
    for (auto& ph : s.phases) {
      if (input_value(ph, sk.subkey)) noted = fix_point(ph, false) || noted;
    }
    for (const auto& ph : s.phases) s.ranges.erase("phases." + ph.name + "." + sk.subkey);
  } else {
    run_inputs* target = nullptr;
    std::string names;
    for (auto& ph : s.phases) {
      if (ph.name == sk.phase) target = &ph;
      names += (names.empty() ? "" : ", ") + ph.name;
    }
    if (!target) {
      throw input_error("--range " + key + ": no phase '" + sk.phase + "'; expected one of: " +
                        (names.empty() ? std::string("(the scenario has no phases)") : names));
    }
    const bool inherited = !input_value(*target, sk.subkey) &&
                           input_value(detail::merge_phase(s.base, *target), sk.subkey);
    if (inherited) {
      set_input_value(*target, sk.subkey, *input_value(s.base, sk.subkey));
    }
    noted = fix_point(*target, true);
  }
  if (!noted) s.overrides.push_back(text);
  s.ranges[key] = r;
}
}  // namespace costmodel

namespace costmodel {
percentiles percentiles_of(double* v, std::size_t n) {
  constexpr std::array<double, 3> qs{0.05, 0.50, 0.95};
  const auto [lo_v, hi_v] = detail::min_max(v, n);
  if (std::isnan(lo_v) || std::isnan(hi_v)) return detail::percentiles_by_nth_element(v, n);
  if (lo_v == hi_v) {
    for (std::size_t j = 0; j < n; ++j) {
      if (std::isnan(v[j])) return detail::percentiles_by_nth_element(v, n);
    }
    return {lo_v, lo_v, lo_v};
  }
  // About 8 values per bucket, at most 8192 buckets (32 KiB of counts, so they stay in L1).
  const std::size_t nb = std::clamp<std::size_t>(n / 8, 1, 8192);
  const double nbd = static_cast<double>(nb);
  const double scale = nbd / (hi_v - lo_v);  // 0 when the width overflows: one bucket, still exact
  const double origin = lo_v;
  const auto bucket = [origin, scale, nbd, nb](double x) {
    const double t = (x - origin) * scale;
    return t < nbd ? static_cast<std::size_t>(t) : nb - 1;
  };
  auto& ws = detail::workspace();
  auto& count = ws.count;
  count.assign(nb, 0);
  for (std::size_t j = 0; j < n; ++j) {
    if (std::isnan(v[j])) return detail::percentiles_by_nth_element(v, n);
    ++count[bucket(v[j])];
  }
  // The ranks needed: lo and lo + 1 of each percentile (definition 7 interpolates between them).
  std::array<std::size_t, 6> ranks{};
  std::array<double, 3> frac{};
  for (std::size_t i = 0; i < qs.size(); ++i) {
    const double h = (static_cast<double>(n) - 1.0) * qs[i];
    const auto lo = static_cast<std::size_t>(std::floor(h));
    ranks[2 * i] = lo;
    ranks[2 * i + 1] = std::min(lo + 1, n - 1);
    frac[i] = h - static_cast<double>(lo);
  }
  // The bucket of each rank, and the buckets to gather.
  std::array<std::size_t, 6> bucket_of{};
  std::array<std::size_t, 6> below{};  // values in lower buckets
  auto& want = ws.want;
  want.assign(nb, 0);
  for (std::size_t r = 0; r < ranks.size(); ++r) {
    std::size_t acc = 0;
    std::size_t b = 0;
    while (acc + count[b] <= ranks[r]) acc += count[b++];
    bucket_of[r] = b;
    below[r] = acc;
    want[b] = 1;
  }
  std::size_t gathered = 0;
  for (std::size_t b = 0; b < nb; ++b) gathered += want[b] ? count[b] : 0;
  auto& got = ws.gathered;
  got.clear();
  got.reserve(gathered);
  for (std::size_t j = 0; j < n; ++j) {
    if (want[bucket(v[j])]) got.push_back(v[j]);
  }
  std::sort(got.begin(), got.end());
  // Where a rank's bucket starts in `got`: the gathered values of lower buckets.
  const auto at = [&](std::size_t r) {
    std::size_t start = 0;
    for (std::size_t b = 0; b < bucket_of[r]; ++b) start += want[b] ? count[b] : 0;
    return got[start + (ranks[r] - below[r])];
  };
  std::array<double, 3> out{};
  for (std::size_t i = 0; i < qs.size(); ++i) {
    const double a = at(2 * i);
    const double b = at(2 * i + 1);
    out[i] = a + frac[i] * (b - a);
  }
  return {out[0], out[1], out[2]};
}
}  // namespace costmodel

namespace costmodel {
percentiles percentiles_of(std::vector<double>& v) { return percentiles_of(v.data(), v.size()); }
}  // namespace costmodel

namespace costmodel {
std::pair<std::string, uncertain_input> parse_range(std::string_view text) {
  const std::string where = "--range '" + std::string(text) + "'";
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    throw input_error(where +
                      ": expected KEY=LOW:HIGH[:DIST[:MODE]], e.g. efficiency.mfu=0.3:0.45");
  }
  std::vector<std::string> parts;
  std::string cur;
  for (char c : text.substr(eq + 1)) {
    if (c == ':') {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  parts.push_back(cur);
  if (parts.size() < 2 || parts.size() > 4) {
    throw input_error(where + ": expected LOW:HIGH[:DIST[:MODE]]");
  }
  auto num = [&](const std::string& s, const char* what) {
    const auto v = parse_number(s);
    if (!v) throw input_error(where + ": " + what + " '" + s + "' is not a number");
    return *v;
  };
  uncertain_input r;
  r.low = num(parts[0], "low");
  r.high = num(parts[1], "high");
  if (parts.size() >= 3) {
    const auto d = parse_distribution(parts[2]);
    if (!d) {
      throw input_error(where + ": unknown distribution '" + parts[2] +
                        "'; expected one of: uniform, triangular, lognormal");
    }
    r.dist = *d;
  }
  if (parts.size() == 4) r.mode = num(parts[3], "mode");
  if (const auto problem = range_problem(r); !problem.empty()) {
    throw input_error(where + ": bad range: " + problem);
  }
  return {std::string(text.substr(0, eq)), r};
}
}  // namespace costmodel

namespace costmodel {
sensitivity_result sensitivity(const scenario& s, const catalogue& cat) {
  const fast_model m(s, cat);
  if (m.keys().empty()) {
    throw input_error("scenario '" + s.id +
                      "' has no uncertain input the model reads: write a range in the file "
                      "(mfu = { low = 0.3, high = 0.45 }) or give --range KEY=LOW:HIGH");
  }
  sensitivity_result out;
  out.not_propagated = m.not_propagated();
  out.reported_ranges = m.reported_ranges();
  const std::size_t n = m.keys().size();
  std::vector<double> x(n, std::numeric_limits<double>::quiet_NaN());
  m.evaluate(x.data(), out.point);
  out.ranked_by =
      std::isnan(out.point[metric::cost_usd_rental]) ? metric::gpu_hours : metric::cost_usd_rental;
  for (std::size_t i = 0; i < n; ++i) {
    sensitivity_row r;
    r.key = m.keys()[i];
    r.range = m.ranges()[i];
    r.point = m.point_values()[i];
    x[i] = r.range.low;
    m.evaluate(x.data(), r.at_low);
    x[i] = r.range.high;
    m.evaluate(x.data(), r.at_high);
    x[i] = std::numeric_limits<double>::quiet_NaN();
    r.swing = std::fabs(r.at_high[out.ranked_by] - r.at_low[out.ranked_by]);
    out.rows.push_back(std::move(r));
  }
  std::stable_sort(
      out.rows.begin(), out.rows.end(),
      [](const sensitivity_row& a, const sensitivity_row& b) { return a.swing > b.swing; });
  return out;
}
}  // namespace costmodel

namespace costmodel::detail {
std::string sweep_number(double v) { return g_number(v, 12); }
}  // namespace costmodel::detail

namespace costmodel {
sweep_axis parse_sweep_axis(std::string_view text) {
  const std::string where = "--vary '" + std::string(text) + "'";
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    throw input_error(
        where + ": expected KEY=START:STOP:STEP or KEY=A,B,C, e.g. efficiency.mfu=0.2:0.6:0.1");
  }
  sweep_axis a;
  a.key = std::string(text.substr(0, eq));
  const auto rest = text.substr(eq + 1);
  if (rest.find(':') != std::string_view::npos) {
    const auto parts = detail::split_on(rest, ':');
    if (parts.size() != 3) throw input_error(where + ": expected START:STOP:STEP");
    std::array<double, 3> v{};
    for (std::size_t i = 0; i < 3; ++i) {
      const auto n = parse_number(parts[i]);
      if (!n) {
        throw input_error(where + ": '" + parts[i] + "' is not a number; expected START:STOP:STEP");
      }
      v[i] = *n;
    }
    const double start = v[0];
    const double stop = v[1];
    const double step = v[2];
    if (step == 0.0) throw input_error(where + ": the step is 0");
    const double steps = (stop - start) / step;
    constexpr double tol = 1e-9;
    if (steps < -tol) throw input_error(where + ": the step walks away from STOP");
    if (!std::isfinite(steps) || steps + 1.0 > static_cast<double>(max_sweep_points)) {
      throw input_error(where + ": more than " + detail::integer_text(max_sweep_points) +
                        " values; take a larger step");
    }
    const auto n = static_cast<std::size_t>(std::floor(steps + tol)) + 1;
    for (std::size_t i = 0; i < n; ++i) {
      a.values.push_back(detail::sweep_number(start + static_cast<double>(i) * step));
    }
  } else {
    for (auto& v : detail::split_on(rest, ',')) {
      if (v.empty()) throw input_error(where + ": an empty value in the list");
      a.values.push_back(std::move(v));
    }
  }
  return a;
}
}  // namespace costmodel

namespace costmodel {
std::vector<std::vector<std::string>> sweep_grid(const std::vector<sweep_axis>& axes) {
  if (axes.empty()) throw input_error("a sweep needs at least one --vary KEY=...");
  double points = 1.0;
  for (const auto& a : axes) points *= static_cast<double>(a.values.size());
  if (points > static_cast<double>(max_sweep_points)) {
    throw input_error("the grid has " + detail::sweep_number(points) + " points; at most " +
                      detail::integer_text(max_sweep_points) +
                      " are evaluated (narrow the ranges or take larger steps)");
  }
  std::vector<std::vector<std::string>> grid{{}};
  for (const auto& a : axes) {
    std::vector<std::vector<std::string>> next;
    for (const auto& g : grid) {
      for (const auto& v : a.values) {
        auto row = g;
        row.push_back(v);
        next.push_back(std::move(row));
      }
    }
    grid = std::move(next);
  }
  return grid;
}
}  // namespace costmodel

namespace costmodel {

fast_model::fast_model(const scenario& s, const catalogue& cat) : point_(estimate(s, cat, plan_)) {
  if (s.base.usd_year) {
    throw input_error(
        "pricing.usd_year: the sensitivity path prints nominal dollars only; drop "
        "pricing.usd_year here (monte_carlo() converts its draws)");
  }
  std::vector<run_inputs> merged;
  if (s.phases.empty()) {
    merged.push_back(s.base);
  } else {
    for (const auto& ph : s.phases) merged.push_back(detail::merge_phase(s.base, ph));
  }
  for (std::size_t i = 0; i < merged.size(); ++i) compile_phase(s, i, merged[i]);
  presence_ = presence_of(plan_);
  for (const auto& [key, r] : s.ranges) {
    if (std::find(keys_.begin(), keys_.end(), key) != keys_.end()) continue;
    const auto sk = detail::split_range_key(key);
    if (sk.subkey.rfind("reported.", 0) == 0) {
      reported_.push_back(key);
    } else {
      unused_.push_back(key);
    }
  }
}

int fast_model::slot_of(const std::string& key, const uncertain_input& r, double point) {
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == key) return static_cast<int>(i);
  }
  keys_.push_back(key);
  ranges_.push_back(r);
  point_x_.push_back(point);
  return static_cast<int>(keys_.size() - 1);
}

detail::term fast_model::energy_term(const scenario& s, const std::string& subkey, double point) {
  detail::term t;
  t.value = point;
  if (const auto r = s.ranges.find(subkey); r != s.ranges.end()) {
    t.slot = slot_of(subkey, r->second, point);
  }
  return t;
}

detail::term fast_model::term_for(const scenario& s, std::size_t i, const run_inputs& merged,
                                  const std::string& subkey) {
  detail::term t;
  t.value = input_value(merged, subkey).value_or(0.0);
  const auto top = s.ranges.find(subkey);
  if (top != s.ranges.end() && top->second.whole_run) {
    t.slot = slot_of(subkey, top->second, t.value);
    return t;
  }
  if (!s.phases.empty()) {
    const auto own = s.ranges.find("phases." + s.phases[i].name + "." + subkey);
    if (own != s.ranges.end()) {
      t.slot = slot_of(own->first, own->second, t.value);
      return t;
    }
    if (input_value(s.phases[i], subkey)) return t;  // the phase's own value wins
  }
  if (top != s.ranges.end()) t.slot = slot_of(subkey, top->second, t.value);
  return t;
}

void fast_model::compile_phase(const scenario& s, std::size_t i, const run_inputs& in) {
  const auto& pl = plan_.phases[i];
  phase_terms p;
  for (std::size_t l = 0; l < lane_count; ++l) p.x[l].value = pl.x[l];
  auto drive = [&](lane l, detail::term t) {
    t.value = at(pl.x, l);  // the number estimate() used
    p.x[static_cast<std::size_t>(l)] = t;
    if (t.slot >= 0) p.drawn |= bit(l);
  };
  if (pl.compute == compute_source::input) {
    drive(lane::compute_flop, term_for(s, i, in, "training.compute_flop"));
  } else if (pl.compute == compute_source::per_token) {
    drive(lane::active_parameters,
          term_for(s, i, in,
                   pl.active_from_parameters ? "model.parameters" : "model.active_parameters"));
    drive(lane::tokens, term_for(s, i, in, "training.tokens"));
  }
  if (pl.modelled()) {
    if (pl.goodput == goodput_source::input) {
      drive(lane::goodput, term_for(s, i, in, "efficiency.goodput"));
    }
    if (pl.mfu == mfu_source::input) {
      const auto key = static_cast<std::size_t>(pl.mfu_key);
      drive(lane::mfu, term_for(s, i, in, std::string("efficiency.") + utilisation_keys[key]));
    }
  }
  if (in.count) drive(lane::count, term_for(s, i, in, "hardware.count"));
  p.goodput_from_count =
      pl.goodput == goodput_source::reliability && (p.drawn & bit(lane::count)) != 0;
  if (price_from_key(pl.price)) {
    drive(lane::usd_per_gpu_hour, term_for(s, i, in, "pricing.usd_per_gpu_hour"));
  }
  if (pl.energy) {
    const auto e = [&](lane l, const char* key) { drive(l, energy_term(s, key, at(pl.x, l))); };
    e(lane::watts, "energy.watts_per_accelerator");
    e(lane::power_fraction, "energy.average_power_fraction");
    e(lane::server_overhead, "energy.server_power_overhead");
    e(lane::pue, "energy.pue");
    if (pl.has[static_cast<std::size_t>(cost_method::energy)]) {
      e(lane::usd_per_kwh, "energy.usd_per_kwh");
    }
    if (pl.emits) e(lane::grid, "energy.grid_gco2e_per_kwh");
  }
  phases_.push_back(p);
}
}  // namespace costmodel
