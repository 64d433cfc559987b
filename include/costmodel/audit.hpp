// SPDX-License-Identifier: MIT
// The audit: reported figures beside the model and beside each other, and published claims
// solved backwards (what would have to be true for a claim to hold).
#pragma once

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "costmodel/error.hpp"
#include "costmodel/estimate.hpp"
#include "costmodel/parse.hpp"
#include "costmodel/scenario.hpp"
#include "costmodel/text.hpp"

namespace costmodel {

/// The thresholds of the audit's verdicts, and where they come from.
///
/// A claim is *plausible* when one way of making it true stays within what the market and the
/// physics allow (the soft bounds), and *implausible* when every way breaks them; the reason says
/// whether a hard bound (physics, or a hundred times the market) is broken too.
namespace audit_bounds {
/// Used when a scenario has no `[audit] tolerance`: 5%, the gap between 6ND and the FLOP counts
/// published beside it (Chinchilla 5.76e23 = 0.98 x 6ND, GPT-3 3.14e23 vs 3.15e23;
/// reported_runs.md, "Reported FLOP != 6ND").
inline constexpr double default_tolerance = 0.05;
/// The highest MFU reported for a real run: llm.c GPT-2 124M at about 60% (LLMC #481);
/// PaLM 540B's 46.2% is the highest at scale (PaLM paper section 4). Issue 3: "MFU up to about
/// 0.6".
inline constexpr double mfu_plausible_max = 0.6;
/// MFU is a share of the peak: above 1 is impossible by definition.
inline constexpr double mfu_physical_max = 1.0;
/// Below every whole-run MFU that reported_runs.md implies (the lowest is Llama 3.1 8B, about
/// 14% by 6ND over cumulative GPU-hours); a run idling 95% of its GPU time is a stretch.
inline constexpr double mfu_plausible_min = 0.05;
/// A tenth of the plausible floor: below it 99.5% of the GPU time would be idle.
inline constexpr double mfu_hard_min = 0.005;
/// "A price a hundred times the market" (issue 3): beyond this factor outside the market range
/// (either way) a price is implausible by far.
inline constexpr double market_hard_factor = 100.0;
/// Where no compute is known, a claim that needs GPU-hours, a duration or a GPU count within
/// this factor of the reported one is plausible (reported durations are rounded, "less than two
/// months"; sources disagree by up to 25%, e.g. 20,000 or 25,000 A100 for GPT-4) ...
inline constexpr double ratio_plausible = 2.0;
/// ... and beyond this factor implausible by far (the same hundredfold as for prices).
inline constexpr double ratio_hard = 100.0;
/// Yearly depreciation rate of accelerator value, 0.14 orders of magnitude a year (Epoch AI /
/// Cottier et al. 2024, arXiv:2405.21015; methods.md: amortized_hw = value x 0.14 ln10 / 8766 h).
/// The catalogue's purchase price amortised this way gives an owner's cost per GPU-hour, the
/// low end of the market range.
inline constexpr double depreciation_per_year = 0.14 * 2.302585092994046;
inline constexpr double hours_per_year = 8766.0;
}  // namespace audit_bounds

/// The market range of USD per GPU-hour for one accelerator: the lowest and highest of the
/// catalogue's rental prices (on demand, 1- and 3-year, GPU cloud) and of its purchase price
/// amortised per hour (audit_bounds::depreciation_per_year).
struct market_range {
  std::string accelerator;
  price_rate low{};
  price_rate high{};
  std::string basis;  ///< the points used, e.g. "gpu cloud $3.42, ownership $1.64"
  bool operator==(const market_range&) const = default;
};

/// One consistency check of reported figures against each other.
struct audit_check {
  std::string name;   ///< "gpu_hours x price = cost", ...
  std::string scope;  ///< a phase name or "total"
  bool ok = false;
  std::string detail;
  std::optional<double> relative_difference;  ///< (left / right) - 1
  double tolerance = 0.0;
  std::string explained_by;  ///< an alternative source's figure that makes it hold, if any
  bool operator==(const audit_check&) const = default;
};

/// A reported figure beside the modelled one. Values are in the metric's unit: `gpu_hours`
/// GPU-hours, `cost_usd` USD, `compute_flop` FLOP, `wall_clock_days` days.
struct figure_comparison {
  std::string scope;  ///< a phase name or "total"
  std::string metric;
  double reported = 0.0;
  std::optional<double> modelled;
  std::optional<double> relative_difference;  ///< modelled / reported - 1
  std::string basis;                          ///< how the modelled figure came about
  bool counted = false;  ///< false when the model copied the figure or cannot compare it
  bool within_tolerance = true;
  double tolerance = 0.0;
  bool operator==(const figure_comparison&) const = default;
};

/// One way a claim could hold, and how far that stretches the market or the physics.
struct claim_explanation {
  std::string name;  ///< "price", "gpu_hours", "mfu", "count"
  std::string fit;   ///< "plausible", "stretch" (outside the soft bounds) or "impossible"
  std::string why;
  bool operator==(const claim_explanation&) const = default;
};

/// What a claim implies under one set of inputs (the preset's, or one source's alternative).
struct claim_implication {
  std::string basis;  ///< "as in the preset" or "hardware.count = 20k (source, status)"
  std::optional<gpu_time> basis_gpu_hours;  ///< the basis's GPU-hours (reported or modelled)
  std::optional<price_rate> price;          ///< USD per GPU-hour at the basis GPU-hours
  std::optional<gpu_time> gpu_hours;        ///< GPU-hours the claim needs
  std::optional<double> mfu;                ///< at those GPU-hours, against mfu_precision's peak
  std::optional<costmodel::precision> mfu_precision;
  std::vector<std::pair<costmodel::precision, double>> mfu_by_precision;
  std::optional<duration> wall_clock;  ///< at the basis GPU count
  std::optional<gpu_count> count;      ///< at the basis wall-clock
  std::optional<money> cost;           ///< at the basis price
  std::vector<claim_explanation> explanations;
  bool operator==(const claim_implication&) const = default;
};

/// A claim checked against a scenario.
struct claim_result {
  claim what;
  std::string scenario;   ///< id of the scenario it was checked against
  std::string origin;     ///< "command line", "preset" or the claims file
  std::string refers_to;  ///< from a claims file
  std::string verdict;    ///< "consistent", "plausible" or "implausible"
  std::string reason;
  std::optional<double> reported;  ///< the scenario's reported figure, in the metric's unit
  std::optional<double> modelled;  ///< the model's figure, in the metric's unit
  double tolerance = 0.0;
  std::vector<claim_implication> implied;
  /// A bound or range under each source's figure: the source, its figure, whether it holds.
  struct bound_check {
    std::string source;
    double value = 0.0;
    bool holds = false;
    bool operator==(const bound_check&) const = default;
  };
  std::vector<bound_check> bounds;
  bool operator==(const claim_result&) const = default;
};

/// The whole audit of a scenario.
struct audit_result {
  std::string id;
  std::string name;
  estimate_result estimate;
  audit_tolerance tolerance;  ///< the scenario's, or the default with its reason
  bool tolerance_is_default = false;
  std::map<std::string, audit_tolerance> tolerance_by_metric;
  std::vector<figure_comparison> comparisons;
  std::vector<audit_check> checks;
  // What the reported figures of the whole run imply.
  std::optional<double> implied_mfu;
  std::optional<costmodel::precision> implied_mfu_precision;
  std::string implied_mfu_scope;  ///< "whole run" or "phases with known compute"
  std::optional<price_rate> implied_price;
  std::optional<duration> implied_wall_clock;
  std::optional<market_range> market;
  std::vector<claim_result> claims;
  std::vector<std::string> caveats;
};

/// The metrics a claim can be about.
inline const std::vector<std::string>& claim_metrics() {
  static const std::vector<std::string> m{"cost_usd", "gpu_hours", "compute_flop",
                                          "wall_clock_days"};
  return m;
}

namespace detail {

inline std::string lower_ascii(std::string_view t) {
  std::string out(t);
  for (auto& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

inline std::string trim_ascii(std::string_view t) {
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '.')) t.remove_suffix(1);
  return std::string(t);
}

/// Removes `word` from `t` wherever it stands as a word; true when it was there.
inline bool drop_word(std::string& t, std::string_view word) {
  bool found = false;
  for (std::size_t at = t.find(word); at != std::string::npos; at = t.find(word, at)) {
    const bool left = at == 0 || t[at - 1] == ' ' || t[at - 1] == '$';
    const std::size_t end = at + word.size();
    const bool right = end == t.size() || t[end] == ' ' || t[end] == '.' || t[end] == ',';
    if (left && right) {
      t.erase(at, word.size());
      found = true;
    } else {
      at = end;
    }
  }
  return found;
}

/// One amount as people write it: "$5.6 million", "5.6 million dollars", "$5.6bn", "US$100M",
/// "294K", "2.16e6". `currency` is set when it names dollars. The multiplier words and
/// abbreviations become parse_number's suffixes (k, M, B, T).
inline std::optional<double> amount_of(std::string_view text, bool& currency) {
  std::string t = lower_ascii(text);
  if (const auto at = t.find("us$"); at != std::string::npos) t.erase(at, 2);
  for (const char* w : {"usd", "dollars", "dollar"}) {
    if (drop_word(t, w)) currency = true;
  }
  if (t.find('$') != std::string::npos) currency = true;
  // The metric's unit after the number: "2.7M GPU-hours", "3.8e25 FLOP", "60 days".
  for (const char* w :
       {"gpu-hours", "gpu-hour", "gpu hours", "gpu hour", "flops", "flop", "days", "day"}) {
    (void)drop_word(t, w);
  }
  std::string digits;
  std::size_t i = 0;
  t = trim_ascii(t);
  while (i < t.size() && (t[i] == '$' || t[i] == ' ')) ++i;
  while (i < t.size() && ((t[i] >= '0' && t[i] <= '9') || t[i] == '.' || t[i] == ',' ||
                          t[i] == '_' || t[i] == '+' || t[i] == '-')) {
    digits += t[i++];
  }
  // An exponent: "2.16e6" (not the 'e' of a word).
  if (i + 1 < t.size() && t[i] == 'e' &&
      (std::isdigit(static_cast<unsigned char>(t[i + 1])) || t[i + 1] == '-' || t[i + 1] == '+')) {
    digits += t[i++];
    while (i < t.size() &&
           (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '-' || t[i] == '+')) {
      digits += t[i++];
    }
  }
  if (digits.empty()) return std::nullopt;
  const std::string unit = trim_ascii(std::string_view(t).substr(i));
  static const std::pair<const char*, const char*> words[] = {
      {"", ""},          {"k", "k"},       {"thousand", "k"}, {"m", "M"},        {"mn", "M"},
      {"mm", "M"},       {"mil", "M"},     {"million", "M"},  {"millions", "M"}, {"b", "B"},
      {"bn", "B"},       {"billion", "B"}, {"billions", "B"}, {"t", "T"},        {"tn", "T"},
      {"trillion", "T"}, {"%", "%"}};
  for (const auto& [w, suffix] : words) {
    if (unit == w) return parse_number(digits + suffix);
  }
  return std::nullopt;
}

/// A claim's text that is not about training cost: what the figure is, or "".
inline std::string out_of_scope_of(std::string_view text) {
  const std::string t = lower_ascii(text);
  auto has = [&](const char* w) { return t.find(w) != std::string::npos; };
  if (has("api") || has("charges") || has("per token") || has("per million tokens") ||
      has("subscription")) {
    return "an API price (what users pay per token to use a model), not what training cost";
  }
  if (has("market value") || has("valuation") || has("market cap") || has("stock")) {
    return "a market value (what investors pay for a company), not what training cost";
  }
  return "";
}

}  // namespace detail

/// The value part of a claim as people write it, into `c`: a point ("$5.6 million",
/// "5.6M"), a bound ("more than $100 million", "> 100M", "under $6M", "at least ..."), or a
/// range ("$80M-$100M", "between $80M and $100M", "$80M to $100M"). Sets `currency` when the
/// text names dollars. Returns false when it is none of these.
[[nodiscard]] bool parse_claim_value(std::string_view text, claim& c, bool& currency);

/// Parses `--claim` as people write it: `METRIC=VALUE` ("cost_usd=5.6M",
/// "gpu_hours=2.16e6"), `METRIC>VALUE` or `METRIC<VALUE` (bounds), or words alone ("more than
/// $100 million", "$5.6bn", "$80M-$100M"; a figure in dollars is about cost_usd). A claim
/// about an API price or a market value ("95% less than what OpenAI charges") is kept as out of
/// scope, with what the figure is.
/// Throws: input_error for an unknown metric or a value that is none of these.
[[nodiscard]] claim parse_claim(std::string_view text);

/// The tolerance for `metric` in `s`: `[audit] tolerance_<metric>`, else `[audit] tolerance`,
/// else audit_bounds::default_tolerance.
/// How far below the market range's low end (a new owner's full cost) a reported price may be
/// and still pass: an assumption of costmodel, not a published figure; ownership inputs
/// (server price, overheads) and depreciation move that low end by more than this.
inline constexpr double market_low_slack = 0.05;

[[nodiscard]] inline audit_tolerance tolerance_for(const scenario& s, const std::string& metric) {
  if (auto it = s.audit.by_metric.find(metric); it != s.audit.by_metric.end()) return it->second;
  if (s.audit.tolerance) return *s.audit.tolerance;
  return {audit_bounds::default_tolerance,
          "default: the usual gap between 6ND and published FLOP counts (no [audit] tolerance "
          "in the scenario)"};
}

namespace detail {

inline double gpu_hours_of(gpu_time t) { return value_in(t, units::gpu_hour); }
inline double usd_of(money m) { return value_in(m, units::usd); }
inline double usd_per_hour_of(price_rate p) { return value_in(p, units::usd_per_gpu_hour); }
inline double flop_of(compute c) { return value_in(c, units::flop); }
inline double flop_per_hour_of(compute_rate r) { return value_in(r, units::flop_per_gpu_hour); }
inline double count_of(gpu_count n) { return value_in(n, units::gpu); }

/// Numbers in sentences: the one human style of text.hpp ("5.576M", "2,057", "0.5").
inline std::string short_number(double v) { return human_number(v); }
inline std::string usd_text(double v) { return "$" + human_number(v); }
inline std::string price_text(double v) { return usd_rate_number(v); }
inline std::string pct_text(double r) { return percent_number(r); }
inline std::string signed_pct(double r) {
  const double d = std::round(r * 1000.0) / 10.0;
  const double p = d == 0.0 ? 0.0 : d;
  const std::string sign = p >= 0.0 ? "+" : "";
  if (std::fabs(p) >= 1e15) return sign + compact_exponent(g_number(p, 3)) + "%";
  return sign + fixed_number(p, 1) + "%";
}
inline std::string factor_text(double f) {
  // A claim of 1e-300 against a reported 3e24 overflows the ratio: say so, never "infx".
  if (!std::isfinite(f)) return "more than 1e308x";
  return factor_number(f);
}

/// Formats a figure of `metric` for sentences.
inline std::string metric_text(const std::string& metric, double v) {
  if (metric == "cost_usd") return usd_text(v);
  if (metric == "gpu_hours") return short_number(v) + " GPU-hours";
  if (metric == "compute_flop") return short_number(v) + " FLOP";
  if (metric == "wall_clock_days") return days_number(v) + " days";
  return short_number(v);
}

inline std::string join_text(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& x : v) {
    if (!out.empty()) out += sep;
    out += x;
  }
  return out;
}

/// "> $100M", "$80M-$100M", "$5.6M".
inline std::string bound_text(const claim& c) {
  const std::string v = metric_text(c.metric, c.value);
  switch (c.bound) {
    case claim_bound::above:
      return "more than " + v;
    case claim_bound::below:
      return "less than " + v;
    case claim_bound::between:
      return v + " to " + metric_text(c.metric, c.high);
    case claim_bound::equal:
      break;
  }
  return v;
}

/// Whether `v` meets the bound of `c`, allowing `tol` (relative) at each end.
inline bool meets_bound(const claim& c, double v, double tol) {
  switch (c.bound) {
    case claim_bound::above:
      return v >= c.value * (1.0 - tol);
    case claim_bound::below:
      return v <= c.value * (1.0 + tol);
    case claim_bound::between:
      return v >= c.value * (1.0 - tol) && v <= c.high * (1.0 + tol);
    case claim_bound::equal:
      break;
  }
  return std::fabs(v / c.value - 1.0) <= tol + 1e-12;
}

/// The provenance of `key` in the scope of `phase` (its own key first, then the top level's, as
/// merge_phase inherits it). Empty `phase` means the top level.
inline const provenance* provenance_of(const scenario& s, const std::string& phase,
                                       const std::string& key) {
  if (!phase.empty()) {
    auto it = s.provenance.find("phases." + phase + "." + key);
    if (it != s.provenance.end()) return &it->second;
    // Training amounts and reported figures are never inherited by phases.
    if (key.rfind("reported.", 0) == 0 || key.rfind("training.", 0) == 0) return nullptr;
  }
  auto it = s.provenance.find(key);
  return it == s.provenance.end() ? nullptr : &it->second;
}

inline std::string cite(const provenance* p) {
  if (!p) return "";
  std::string out = p->source;
  if (!p->status.empty()) out += out.empty() ? p->status : ", " + p->status;
  return out;
}

inline std::string cite_alt(const alternative& a) {
  std::string out = a.source;
  if (!a.status.empty()) out += out.empty() ? a.status : ", " + a.status;
  return out;
}

/// The accelerator that `phase`'s reported figures were measured on.
inline std::string reported_accelerator(const scenario& s, const phase_result& p) {
  const run_inputs* in = nullptr;
  for (const auto& ph : s.phases) {
    if (ph.name == p.name) in = &ph;
  }
  if (in && in->reported_on.accelerator) return *in->reported_on.accelerator;
  if (s.base.reported_on.accelerator) return *s.base.reported_on.accelerator;
  return p.accelerator;
}

inline std::optional<double> fit_ratio(double a, double b) {
  if (!(b != 0.0) || !std::isfinite(a) || !std::isfinite(b)) return std::nullopt;
  return a / b - 1.0;
}

}  // namespace detail

/// The market range of USD per GPU-hour of `acc`, or nothing when the catalogue has no price
/// for it.
/// Its ownership point is the owner's cost per hour as the ownership method counts it: the
/// purchase price with the server overhead (unless a system price) and the interconnect share of
/// `dc`, when given, depreciated at 0.14 OOM/year (TPU v4: $5,176 x 1.64 / 0.81 x 0.322 / 8,766 h
/// = $0.385/h).
[[nodiscard]] inline std::optional<market_range> market_range_of(
    const accelerator_spec& acc, const datacenter_constants* dc = nullptr) {
  std::vector<std::pair<std::string, double>> points;
  const std::pair<const char*, const std::optional<price_rate>*> rentals[] = {
      {"on demand", &acc.prices.on_demand},
      {"1-year", &acc.prices.one_year},
      {"3-year", &acc.prices.three_year},
      {"GPU cloud", &acc.prices.gpu_cloud}};
  for (const auto& [label, p] : rentals) {
    if (*p) points.emplace_back(label, detail::usd_per_hour_of(**p));
  }
  if (acc.prices.purchase) {
    // Owner's cost: the purchase price depreciated at 0.14 orders of magnitude a year.
    double server = 1.0;
    double share = 0.0;
    if (dc) {
      if (!acc.prices.purchase_includes_server) {
        if (auto it = dc->server_cost_overhead.find(acc.id); it != dc->server_cost_overhead.end()) {
          server = it->second.value;
        } else if (dc->server_cost_overhead_default) {
          server = dc->server_cost_overhead_default->value;
        }
      }
      if (dc->interconnect_share) share = dc->interconnect_share->value;
    }
    points.emplace_back("ownership", detail::usd_of(*acc.prices.purchase) * server / (1.0 - share) *
                                         audit_bounds::depreciation_per_year /
                                         audit_bounds::hours_per_year);
  }
  if (points.empty()) return std::nullopt;
  market_range r;
  r.accelerator = acc.id;
  double lo = points.front().second;
  double hi = lo;
  for (const auto& [label, v] : points) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    if (!r.basis.empty()) r.basis += ", ";
    r.basis += label + " " + detail::price_text(v);
  }
  r.low = price_rate_from_usd_per_gpu_hour(lo);
  r.high = price_rate_from_usd_per_gpu_hour(hi);
  return r;
}

/// The market range of `id`, or of the whole catalogue when `id` has no price points.
[[nodiscard]] inline std::optional<market_range> market_range_for(const std::string& id,
                                                                  const catalogue& cat) {
  if (cat.contains(id)) {
    if (auto r = market_range_of(cat.at(id), &cat.datacenter)) return r;
  }
  std::optional<market_range> all;
  for (const auto& [aid, acc] : cat.accelerators) {
    auto r = market_range_of(acc, &cat.datacenter);
    if (!r) continue;
    if (!all) {
      all = r;
      continue;
    }
    if (r->low < all->low) all->low = r->low;
    if (r->high > all->high) all->high = r->high;
  }
  if (all) {
    all->accelerator = id;
    all->basis = "no price points for '" + id + "': the whole catalogue's range";
  }
  return all;
}

/// Reported figures beside the modelled ones, phase by phase and for the total.
[[nodiscard]] std::vector<figure_comparison> compare_figures(const scenario& s,
                                                             const estimate_result& e);

/// Consistency of the reported figures with each other: GPU-hours x price = cost, GPU-hours /
/// count = days, 6ND against a reported FLOP count, a reported MFU against the one the
/// reported FLOP and GPU-hours imply, phases against the total, the implied price against the
/// market. A check that fails is retried with each source's alternative value
/// (`alternatives` in the preset), and the one that makes it hold is named.
[[nodiscard]] std::vector<audit_check> consistency_checks(const scenario& s,
                                                          const estimate_result& e,
                                                          const catalogue& cat);

/// The inputs a claim is solved against: the whole run as the scenario has it, or with one
/// source's alternative value.
struct claim_basis {
  std::string label;
  std::optional<compute> flop;        ///< compute of the run (or of `flop_share`)
  double flop_share = 1.0;            ///< share of the GPU-hours that `flop` ran in
  std::optional<gpu_time> gpu_hours;  ///< reported, else modelled
  std::string gpu_hours_from;         ///< "reported" or "modelled"
  std::optional<gpu_count> count;
  std::optional<duration> wall_clock;  ///< reported, else modelled
  std::optional<price_rate> price;
  std::string price_from;
  std::optional<costmodel::precision> precision;
  std::vector<std::pair<costmodel::precision, compute_rate>> peaks;  ///< of the accelerator
  efficiency goodput = efficiency::one();
  std::string accelerator;
};

/// The bases a claim is solved against: the scenario as it is, then one per alternative value
/// of hardware.count, reported.gpu_hours, reported.wall_clock_days, pricing.usd_per_gpu_hour,
/// training.compute_flop or reported.compute_flop. When the reported GPU-hours equal count x
/// days (within the tolerance), another count or duration changes the GPU-hours; otherwise the
/// GPU-hours stay and the other of count and duration follows.
[[nodiscard]] std::vector<claim_basis> claim_bases(const scenario& s, const estimate_result& e,
                                                   const catalogue& cat);

namespace detail {

/// How far a price stretches the market range.
inline claim_explanation judge_price(double usd, const std::optional<market_range>& m,
                                     const std::string& at) {
  claim_explanation x;
  x.name = "price";
  if (!m) {
    x.fit = "stretch";
    x.why = price_text(usd) + " per GPU-hour " + at + " (no market range to judge it by)";
    return x;
  }
  const double lo = usd_per_hour_of(m->low);
  const double hi = usd_per_hour_of(m->high);
  const std::string range =
      "the catalogue's " + m->accelerator + " range is " + price_text(lo) + " to " + price_text(hi);
  x.why = price_text(usd) + " per GPU-hour " + at;
  if (usd >= lo * (1.0 - 1e-9) && usd <= hi * (1.0 + 1e-9)) {
    x.fit = "plausible";
    x.why += ", within the market: " + range;
  } else if (usd > hi) {
    const double f = usd / hi;
    x.fit = f > audit_bounds::market_hard_factor ? "impossible" : "stretch";
    x.why += ", " + factor_text(f) + " the highest market price: " + range;
  } else {
    const double f = lo / usd;
    x.fit = f > audit_bounds::market_hard_factor ? "impossible" : "stretch";
    x.why += ", " + factor_text(f) + " below the lowest market price: " + range;
  }
  return x;
}

/// How far an MFU stretches the physics.
inline claim_explanation judge_mfu(double mfu, costmodel::precision p, const std::string& at) {
  claim_explanation x;
  x.name = "mfu";
  x.why = "MFU " + pct_text(mfu) + " of the " + std::string(to_string(p)) + " dense peak " + at;
  if (mfu > audit_bounds::mfu_physical_max) {
    x.fit = "impossible";
    x.why += ": above 100%, more FLOP than the hardware can do";
  } else if (mfu < audit_bounds::mfu_hard_min) {
    x.fit = "impossible";
    x.why += ": below " + pct_text(audit_bounds::mfu_hard_min) + ", the GPUs would sit idle";
  } else if (mfu > audit_bounds::mfu_plausible_max) {
    x.fit = "stretch";
    x.why += ": above the " + pct_text(audit_bounds::mfu_plausible_max) +
             " that the best reported runs reach";
  } else if (mfu < audit_bounds::mfu_plausible_min) {
    x.fit = "stretch";
    x.why +=
        ": below " + pct_text(audit_bounds::mfu_plausible_min) + ", lower than any reported run";
  } else {
    x.fit = "plausible";
    x.why += ", within the " + pct_text(audit_bounds::mfu_plausible_min) + " to " +
             pct_text(audit_bounds::mfu_plausible_max) + " that real runs reach";
  }
  return x;
}

/// How far a figure sits from the reported one, where no compute can judge it.
inline claim_explanation judge_ratio(const std::string& name, double needed, double reported,
                                     const std::string& what) {
  claim_explanation x;
  x.name = name;
  const double f = needed >= reported ? needed / reported : reported / needed;
  x.why = what + ", " + factor_text(f) +
          (needed >= reported ? " the reported " : " below the reported ") + short_number(reported);
  if (f > audit_bounds::ratio_hard) {
    x.fit = "impossible";
  } else if (f > audit_bounds::ratio_plausible) {
    x.fit = "stretch";
  } else {
    x.fit = "plausible";
  }
  return x;
}

inline void fill_mfu(claim_implication& im, const claim_basis& b, double flop, gpu_time hours) {
  const double h = gpu_hours_of(hours) * b.flop_share * b.goodput.ratio();
  if (!(h > 0.0)) return;
  for (const auto& [p, peak] : b.peaks) {
    const double r = flop / (h * flop_per_hour_of(peak));
    if (std::isfinite(r)) im.mfu_by_precision.emplace_back(p, r);  // a $1e-300 claim: no MFU
  }
  if (b.precision) {
    for (const auto& [p, v] : im.mfu_by_precision) {
      if (p == *b.precision) {
        im.mfu = v;
        im.mfu_precision = p;
      }
    }
  }
}

/// What claim `c` implies under basis `b`, with each way it could hold judged.
claim_implication imply(const claim& c, const claim_basis& b, const std::optional<market_range>& m);

}  // namespace detail

/// Checks claim `c` against scenario `s` (already estimated as `e`): consistent when it is
/// within the scenario's tolerance of the reported figure (or a source's alternative) or of the
/// modelled one; else plausible when, under some basis, a way of making it true stays within
/// the soft bounds (audit_bounds); else implausible, with the reason.
[[nodiscard]] claim_result check_claim(const claim& c, const scenario& s, const estimate_result& e,
                                       const catalogue& cat);

/// The whole audit of scenario `s` with `claims` (from the command line or a file; the
/// scenario's own `[[claims]]` are checked too, after them).
/// Throws: input_error as estimate() does.
[[nodiscard]] audit_result audit(const scenario& s, const catalogue& cat,
                                 const std::vector<claim>& claims = {},
                                 const std::string& origin = "command line");

/// Costs put on a common scale so that runs of different sizes compare fairly.
struct normalised_costs {
  std::optional<money> per_1e24_flop;        ///< rental cost per 10^24 FLOP of compute
  std::optional<money> per_trillion_tokens;  ///< per 10^12 training tokens
  std::optional<money> per_billion_active_parameters;
  bool compute_partial = false;  ///< some phases have no compute, so per FLOP is an upper bound
  bool tokens_partial = false;   ///< some phases have no token count
  bool operator==(const normalised_costs&) const = default;
};

/// The rental cost of `e` per 10^24 FLOP, per trillion tokens and per billion active
/// parameters. An MoE without a published active-parameter count gets no per-parameter figure.
[[nodiscard]] inline normalised_costs normalise(const scenario& s, const estimate_result& e) {
  normalised_costs n;
  const auto it = e.total.cost.find("rental");
  if (it == e.total.cost.end()) return n;
  const money cost = it->second;
  if (e.total.compute_flop && detail::flop_of(*e.total.compute_flop) > 0.0) {
    n.per_1e24_flop = cost / (detail::flop_of(*e.total.compute_flop) / 1e24);
    n.compute_partial = e.total.compute_basis == "partial sum";
  }
  double tokens = 0.0;
  if (s.phases.empty()) {
    tokens = s.base.tokens.value_or(0.0);
  } else {
    for (const auto& p : s.phases) {
      if (p.tokens) {
        tokens += *p.tokens;
      } else {
        n.tokens_partial = true;
      }
    }
  }
  if (tokens > 0.0) n.per_trillion_tokens = cost / (tokens / 1e12);
  const bool moe = s.base.architecture && *s.base.architecture == "moe";
  const auto active = s.base.active_parameters ? s.base.active_parameters
                                               : (moe ? std::nullopt : s.base.parameters);
  if (active && *active > 0.0) n.per_billion_active_parameters = cost / (*active / 1e9);
  return n;
}

}  // namespace costmodel
