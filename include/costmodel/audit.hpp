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
[[nodiscard]] inline bool parse_claim_value(std::string_view text, claim& c, bool& currency) {
  std::string t = detail::trim_ascii(detail::lower_ascii(text));
  c.bound = claim_bound::equal;
  static const std::pair<const char*, claim_bound> prefixes[] = {
      {">=", claim_bound::above},
      {"<=", claim_bound::below},
      {">", claim_bound::above},
      {"<", claim_bound::below},
      {"more than", claim_bound::above},
      {"over", claim_bound::above},
      {"above", claim_bound::above},
      {"at least", claim_bound::above},
      {"greater than", claim_bound::above},
      {"exceeding", claim_bound::above},
      {"upwards of", claim_bound::above},
      {"less than", claim_bound::below},
      {"under", claim_bound::below},
      {"below", claim_bound::below},
      {"at most", claim_bound::below},
      {"no more than", claim_bound::below},
      {"only", claim_bound::equal},
      {"about", claim_bound::equal},
      {"around", claim_bound::equal},
      {"roughly", claim_bound::equal},
      {"approximately", claim_bound::equal},
      {"~", claim_bound::equal},
      {"=", claim_bound::equal}};
  for (bool again = true; again;) {
    again = false;
    for (const auto& [p, b] : prefixes) {
      if (t.rfind(p, 0) == 0) {
        t = detail::trim_ascii(std::string_view(t).substr(std::string_view(p).size()));
        if (b != claim_bound::equal) c.bound = b;
        again = true;
        break;
      }
    }
  }
  if (t.rfind("between ", 0) == 0) t = t.substr(8);
  // A range: "A-B", "A to B", "A and B" (after "between"); an en dash too.
  std::size_t cut = std::string::npos;
  std::size_t len = 0;
  for (const char* sep : {" to ", " and ", "\xe2\x80\x93", "-"}) {
    // A '-' that is not a sign or an exponent's.
    for (std::size_t at = t.find(sep, 1); at != std::string::npos; at = t.find(sep, at + 1)) {
      if (std::string_view(sep) == "-" && (t[at - 1] == 'e' || t[at - 1] == ' ')) continue;
      cut = at;
      len = std::string_view(sep).size();
      break;
    }
    if (cut != std::string::npos) break;
  }
  if (cut != std::string::npos && c.bound == claim_bound::equal) {
    std::string lo = t.substr(0, cut);
    const std::string hi = t.substr(cut + len);
    auto h = detail::amount_of(hi, currency);
    auto l = detail::amount_of(lo, currency);
    // "80-100M": the first end takes the second's multiplier.
    if (l && h) {
      const auto bare = detail::amount_of(detail::trim_ascii(lo), currency);
      const auto last = detail::trim_ascii(hi);
      if (bare && !last.empty() && std::isalpha(static_cast<unsigned char>(last.back())) &&
          !std::isalpha(static_cast<unsigned char>(detail::trim_ascii(lo).back()))) {
        bool ignored = false;
        l = detail::amount_of(
            detail::trim_ascii(lo) + last.substr(last.find_last_of("0123456789.") + 1), ignored);
      }
    }
    if (!l || !h || !(*l > 0.0) || !(*h > *l)) return false;
    c.bound = claim_bound::between;
    c.value = *l;
    c.high = *h;
    return true;
  }
  const auto v = detail::amount_of(t, currency);
  if (!v || !(*v > 0.0)) return false;
  c.value = *v;
  return true;
}

/// Parses `--claim` as people write it: `METRIC=VALUE` ("cost_usd=5.6M",
/// "gpu_hours=2.16e6"), `METRIC>VALUE` or `METRIC<VALUE` (bounds), or words alone ("more than
/// $100 million", "$5.6bn", "$80M-$100M"; a figure in dollars is about cost_usd). A claim
/// about an API price or a market value ("95% less than what OpenAI charges") is kept as out of
/// scope, with what the figure is.
/// Throws: input_error for an unknown metric or a value that is none of these.
[[nodiscard]] inline claim parse_claim(std::string_view text) {
  const std::string known = "cost_usd, gpu_hours, compute_flop, wall_clock_days";
  claim c;
  c.text = std::string(text);
  c.source = "command line";
  c.out_of_scope = detail::out_of_scope_of(text);
  if (!c.out_of_scope.empty()) return c;
  const auto op = text.find_first_of("=<>");
  std::string_view value = text;
  const auto& ms = claim_metrics();
  bool named = false;
  if (op != std::string_view::npos && op > 0) {
    const std::string metric = detail::trim_ascii(text.substr(0, op));
    const bool word =
        metric.find(' ') == std::string::npos && metric.find('$') == std::string::npos;
    if (word) {
      if (std::find(ms.begin(), ms.end(), metric) == ms.end()) {
        throw input_error("--claim '" + std::string(text) + "': unknown metric '" + metric +
                          "'; expected one of: " + known);
      }
      c.metric = metric;
      named = true;
      value = text.substr(text[op] == '=' ? op + 1 : op);
    }
  }
  bool currency = false;
  if (!parse_claim_value(value, c, currency)) {
    throw input_error("--claim '" + std::string(text) +
                      "': expected a positive number such as 5.6e6, 5.6M or $100M after '=', a "
                      "bound (cost_usd>100M, more than $100 million, under $6M) or a range "
                      "($80M-$100M); metrics: " +
                      known);
  }
  if (!named) {
    const std::string t = detail::lower_ascii(text);
    if (currency) {
      c.metric = "cost_usd";
    } else if (t.find("gpu-hour") != std::string::npos || t.find("gpu hour") != std::string::npos) {
      c.metric = "gpu_hours";
    } else if (t.find("flop") != std::string::npos) {
      c.metric = "compute_flop";
    } else if (t.find("day") != std::string::npos) {
      c.metric = "wall_clock_days";
    } else {
      throw input_error("--claim '" + std::string(text) +
                        "': which figure is it? Name a metric (cost_usd=..., gpu_hours=...) or "
                        "a unit ($, GPU-hours, FLOP, days); metrics: " +
                        known);
    }
  }
  return c;
}

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
[[nodiscard]] inline std::vector<figure_comparison> compare_figures(const scenario& s,
                                                                    const estimate_result& e) {
  std::vector<figure_comparison> out;
  std::vector<const phase_result*> scopes;
  for (const auto& p : e.phases) scopes.push_back(&p);
  if (e.phases.size() > 1) scopes.push_back(&e.total);
  for (const auto* p : scopes) {
    const std::string scope = p == &e.total ? "total" : p->name;
    auto add = [&](const std::string& metric, std::optional<double> reported,
                   std::optional<double> modelled, std::string basis, bool counted) {
      if (!reported) return;
      figure_comparison c;
      c.scope = scope;
      c.metric = metric;
      c.reported = *reported;
      c.modelled = modelled;
      c.basis = std::move(basis);
      c.tolerance = tolerance_for(s, metric).ratio;
      if (modelled) c.relative_difference = detail::fit_ratio(*modelled, *reported);
      c.counted = counted && c.relative_difference.has_value();
      c.within_tolerance = !c.counted || std::fabs(*c.relative_difference) <= c.tolerance + 1e-12;
      out.push_back(std::move(c));
    };
    const auto& r = p->reported;
    // GPU-hours.
    std::string hb;
    bool h_counted = true;
    if (p == &e.total && e.phases.size() > 1) {
      hb = "sum of the phases";
    } else if (p->gpu_hours_basis == "reported") {
      hb = "reported (nothing to model)";
      h_counted = false;
    } else if (p->mfu_basis == "implied") {
      hb = "compute / (peak x MFU), MFU implied by these GPU-hours";
    } else {
      hb = "compute / (peak x MFU " + p->mfu_basis + ")";
    }
    add("gpu_hours", r.gpu_hours ? std::optional(detail::gpu_hours_of(*r.gpu_hours)) : std::nullopt,
        detail::gpu_hours_of(p->gpu_hours), hb, h_counted);
    // Cost.
    std::optional<double> rental;
    if (auto it = p->cost.find("rental"); it != p->cost.end()) rental = detail::usd_of(it->second);
    const bool catalogue_price = p->price_basis != "reported" && p->price_basis != "input";
    add("cost_usd", r.cost ? std::optional(detail::usd_of(*r.cost)) : std::nullopt, rental,
        catalogue_price ? "not comparable: priced at the catalogue's " + p->price_basis +
                              " price, not the source's"
                        : "GPU-hours x price (" + p->price_basis + ")",
        !catalogue_price);
    // Compute.
    std::optional<double> c;
    if (p->compute_flop) c = detail::flop_of(*p->compute_flop);
    add("compute_flop",
        r.compute_flop ? std::optional(detail::flop_of(*r.compute_flop)) : std::nullopt, c,
        p->compute_basis, p->compute_basis != "reported" && p->compute_basis != "partial sum");
    // Wall-clock.
    std::optional<double> d;
    if (p->wall_clock) d = days_of(*p->wall_clock);
    add("wall_clock_days", r.wall_clock ? std::optional(days_of(*r.wall_clock)) : std::nullopt, d,
        p->wall_clock_basis == "modelled" ? "GPU-hours / count" : p->wall_clock_basis,
        p->wall_clock_basis != "reported");
  }
  return out;
}

/// Consistency of the reported figures with each other: GPU-hours x price = cost, GPU-hours /
/// count = days, 6ND against a reported FLOP count, a reported MFU against the one the
/// reported FLOP and GPU-hours imply, phases against the total, the implied price against the
/// market. A check that fails is retried with each source's alternative value
/// (`alternatives` in the preset), and the one that makes it hold is named.
[[nodiscard]] inline std::vector<audit_check> consistency_checks(const scenario& s,
                                                                 const estimate_result& e,
                                                                 const catalogue& cat) {
  using detail::short_number;
  std::vector<audit_check> out;
  const bool multi = e.phases.size() > 1;
  std::vector<const phase_result*> scopes;
  for (const auto& p : e.phases) scopes.push_back(&p);
  if (multi) scopes.push_back(&e.total);

  struct input {
    std::string key;  // provenance key, e.g. "reported.gpu_hours"
    double value;
  };
  // Runs one check: `rel` maps the inputs' values to (left / right) - 1.
  auto run = [&](const std::string& name, const std::string& scope, const std::string& metric,
                 std::vector<input> in,
                 const std::function<double(const std::vector<double>&)>& rel,
                 const std::function<std::string(const std::vector<double>&)>& detail) {
    std::vector<double> v;
    for (const auto& i : in) v.push_back(i.value);
    audit_check c;
    c.name = name;
    c.scope = scope;
    c.tolerance = tolerance_for(s, metric).ratio;
    const double r = rel(v);
    if (!std::isfinite(r)) return;
    c.relative_difference = r;
    c.ok = std::fabs(r) <= c.tolerance + 1e-12;
    c.detail = detail(v);
    // Name the alternative that makes a failing check hold, or that makes an inexact one exact.
    if (!c.ok || std::fabs(r) > 0.01) {
      const double want = c.ok ? 0.01 : c.tolerance;
      const std::string phase = (multi && scope != "total") ? scope : "";
      for (std::size_t k = 0; k < in.size() && c.explained_by.empty(); ++k) {
        const auto* pr = detail::provenance_of(s, phase, in[k].key);
        if (!pr) continue;
        for (const auto& a : pr->alternatives) {
          auto w = v;
          w[k] = a.value;
          const double ra = rel(w);
          if (std::isfinite(ra) && std::fabs(ra) <= want + 1e-12) {
            c.explained_by = "holds (" + detail::signed_pct(ra) + ") with " + in[k].key + " = " +
                             short_number(a.value) + " (" + detail::cite_alt(a) + ")";
            break;
          }
        }
      }
    }
    out.push_back(std::move(c));
  };

  for (const auto* p : scopes) {
    const std::string scope = p == &e.total ? "total" : p->name;
    const auto& r = p->reported;
    // Price: a reported one, else the input price the source assumed.
    std::optional<double> price;
    std::string price_key;
    if (r.price) {
      price = detail::usd_per_hour_of(*r.price);
      price_key = "reported.usd_per_gpu_hour";
    } else if (p->price && (p->price_basis == "input" || p->price_basis == "reported")) {
      price = detail::usd_per_hour_of(*p->price);
      price_key = "pricing.usd_per_gpu_hour";
    }
    if (r.gpu_hours && r.cost && price) {
      run(
          "gpu_hours x price = cost", scope, "cost_usd",
          {{"reported.gpu_hours", detail::gpu_hours_of(*r.gpu_hours)},
           {price_key, *price},
           {"reported.cost_usd", detail::usd_of(*r.cost)}},
          [](const std::vector<double>& v) { return v[0] * v[1] / v[2] - 1.0; },
          [](const std::vector<double>& v) {
            return "GPU-hours x price: " + short_number(v[0]) + " x " + detail::price_text(v[1]) +
                   " = " + detail::usd_text(v[0] * v[1]) + " vs reported " + detail::usd_text(v[2]);
          });
    }
    if (r.gpu_hours && r.cost && r.price) {
      run(
          "cost / gpu_hours = reported price", scope, "cost_usd",
          {{"reported.cost_usd", detail::usd_of(*r.cost)},
           {"reported.gpu_hours", detail::gpu_hours_of(*r.gpu_hours)},
           {"reported.usd_per_gpu_hour", detail::usd_per_hour_of(*r.price)}},
          [](const std::vector<double>& v) { return v[0] / v[1] / v[2] - 1.0; },
          [](const std::vector<double>& v) {
            return "cost / GPU-hours: " + detail::usd_text(v[0]) + " / " + short_number(v[1]) +
                   " = " + detail::price_text(v[0] / v[1]) + " per GPU-hour vs reported " +
                   detail::price_text(v[2]);
          });
    }
    if (r.gpu_hours && r.cost && p->accelerator != "mixed") {
      if (auto m = market_range_for(detail::reported_accelerator(s, *p), cat)) {
        const double implied = detail::usd_of(*r.cost) / detail::gpu_hours_of(*r.gpu_hours);
        const double lo = detail::usd_per_hour_of(m->low);
        const double hi = detail::usd_per_hour_of(m->high);
        audit_check c;
        c.name = "implied price within the market range";
        c.scope = scope;
        // The low end is a new owner's full cost (server, overhead, interconnect, energy), whose
        // inputs are estimates and whose hardware depreciates: a price up to the larger of the
        // run's cost tolerance and market_low_slack below it still passes (an assumption,
        // said in the detail).
        const double tol = std::max(tolerance_for(s, "cost_usd").ratio, market_low_slack);
        c.ok = implied >= lo * (1.0 - tol - 1e-9) && implied <= hi * (1.0 + 1e-9);
        // How far outside the range; nothing when inside.
        if (implied < lo) c.relative_difference = implied / lo - 1.0;
        if (implied > hi) c.relative_difference = implied / hi - 1.0;
        c.detail = "reported cost / GPU-hours = " + detail::price_text(implied) +
                   " per GPU-hour; " + m->accelerator + " market " + detail::price_text(lo) +
                   " to " + detail::price_text(hi) + " (" + m->basis + ")";
        if (c.ok && implied < lo) {
          c.detail += "; below a new owner's cost by " +
                      detail::fixed_number((1.0 - implied / lo) * 100.0, 1) +
                      "%, within the allowance for depreciated hardware";
        }
        out.push_back(std::move(c));
      }
    }
    if (r.gpu_hours && p->count && r.wall_clock) {
      run(
          "gpu_hours / count / 24 = days", scope, "wall_clock_days",
          {{"reported.gpu_hours", detail::gpu_hours_of(*r.gpu_hours)},
           {"hardware.count", detail::count_of(*p->count)},
           {"reported.wall_clock_days", days_of(*r.wall_clock)}},
          [](const std::vector<double>& v) { return v[0] / v[1] / hours_per_day / v[2] - 1.0; },
          [](const std::vector<double>& v) {
            return "GPU-hours / GPUs / 24: " + short_number(v[0]) + " / " + short_number(v[1]) +
                   " / 24 = " + short_number(v[0] / v[1] / hours_per_day) + " days vs reported " +
                   short_number(v[2]);
          });
    }
    if (p->compute_basis == "6ND" && p->compute_flop && r.compute_flop) {
      run(
          "compute: 6ND vs reported FLOP", scope, "compute_flop",
          {{"", detail::flop_of(*p->compute_flop)},
           {"reported.compute_flop", detail::flop_of(*r.compute_flop)}},
          [](const std::vector<double>& v) { return v[0] / v[1] - 1.0; },
          [](const std::vector<double>& v) {
            return "compute 6ND = " + short_number(v[0]) + " FLOP vs reported " +
                   short_number(v[1]);
          });
      // The alternatives of training.tokens are token counts, not FLOP: scale instead.
      if (!out.empty() && !out.back().ok) {
        const std::string phase = (multi && scope != "total") ? scope : "";
        if (const auto* pr = detail::provenance_of(s, phase, "training.tokens")) {
          const run_inputs* in = multi ? nullptr : &s.base;
          for (const auto& ph : s.phases) {
            if (ph.name == scope) in = &ph;
          }
          if (in && in->tokens) {
            for (const auto& a : pr->alternatives) {
              const double ra = detail::flop_of(*p->compute_flop) * a.value / *in->tokens /
                                    detail::flop_of(*r.compute_flop) -
                                1.0;
              if (std::fabs(ra) <= out.back().tolerance) {
                out.back().explained_by = "holds (" + detail::signed_pct(ra) +
                                          ") with training.tokens = " + short_number(a.value) +
                                          " (" + detail::cite_alt(a) + ")";
                break;
              }
            }
          }
        }
      }
    }
    if (r.mfu && r.gpu_hours && p->accelerator != "mixed") {
      const auto acc_id = detail::reported_accelerator(s, *p);
      const auto prec = r.mfu_precision ? r.mfu_precision : p->precision;
      const std::optional<compute> c = r.compute_flop ? r.compute_flop : p->compute_flop;
      if (c && prec && cat.contains(acc_id) && cat.at(acc_id).supports(*prec)) {
        const double peak = detail::flop_per_hour_of(cat.at(acc_id).peak_at(*prec));
        const double good = p->goodput.ratio();
        const std::string pname(to_string(*prec));
        run(
            "reported MFU vs FLOP / (GPU-hours x peak)", scope, "gpu_hours",
            {{r.compute_flop ? "reported.compute_flop" : "", detail::flop_of(*c)},
             {"reported.gpu_hours", detail::gpu_hours_of(*r.gpu_hours)},
             {"reported.mfu", *r.mfu}},
            [peak, good](const std::vector<double>& v) {
              return v[0] / (v[1] * peak * good) / v[2] - 1.0;
            },
            [peak, good, pname,
             good_text = good < 1.0 ? " x goodput " + short_number(good)
                                    : std::string()](const std::vector<double>& v) {
              return "MFU = FLOP / (GPU-hours x peak): " + short_number(v[0]) + " / (" +
                     short_number(v[1]) + " x " + pname + " peak" + good_text + ") = MFU " +
                     detail::pct_text(v[0] / (v[1] * peak * good)) + " vs reported " +
                     detail::pct_text(v[2]) + "; at the reported MFU, a goodput of " +
                     short_number(v[0] / (v[1] * peak * good) / v[2]) +
                     " (downtime, restarts, repeated steps)";
            });
      }
    }
  }
  // Phases against the total, when the source gives both.
  if (multi) {
    if (s.base.reported.gpu_hours) {
      double sum = 0.0;
      bool all = true;
      for (const auto& p : e.phases) {
        if (p.reported.gpu_hours) {
          sum += detail::gpu_hours_of(*p.reported.gpu_hours);
        } else {
          all = false;
        }
      }
      if (all) {
        run(
            "sum of phase gpu_hours = total", "total", "gpu_hours",
            {{"", sum}, {"reported.gpu_hours", detail::gpu_hours_of(*s.base.reported.gpu_hours)}},
            [](const std::vector<double>& v) { return v[0] / v[1] - 1.0; },
            [](const std::vector<double>& v) {
              return "phases sum to " + short_number(v[0]) + " GPU-hours vs reported total " +
                     short_number(v[1]);
            });
      }
    }
    if (s.base.reported.cost) {
      double sum = 0.0;
      bool all = true;
      for (const auto& p : e.phases) {
        if (p.reported.cost) {
          sum += detail::usd_of(*p.reported.cost);
        } else {
          all = false;
        }
      }
      if (all) {
        run(
            "sum of phase costs = total", "total", "cost_usd",
            {{"", sum}, {"reported.cost_usd", detail::usd_of(*s.base.reported.cost)}},
            [](const std::vector<double>& v) { return v[0] / v[1] - 1.0; },
            [](const std::vector<double>& v) {
              return "phases sum to " + detail::usd_text(v[0]) + " vs reported total " +
                     detail::usd_text(v[1]);
            });
      }
    }
  }
  return out;
}

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
[[nodiscard]] inline std::vector<claim_basis> claim_bases(const scenario& s,
                                                          const estimate_result& e,
                                                          const catalogue& cat) {
  const auto& t = e.total;
  claim_basis b;
  b.label = "as in the preset";
  if (t.reported.gpu_hours) {
    b.gpu_hours = t.reported.gpu_hours;
    b.gpu_hours_from = "reported";
  } else {
    b.gpu_hours = t.gpu_hours;
    b.gpu_hours_from = "modelled";
  }
  if (t.compute_flop) {
    b.flop = t.compute_flop;
    if (t.compute_basis == "partial sum") {
      gpu_time with{};
      for (const auto& p : e.phases) {
        if (p.compute_flop) with += p.gpu_hours;
      }
      b.flop_share = detail::gpu_hours_of(with) / detail::gpu_hours_of(t.gpu_hours);
    }
  }
  b.count = t.count;
  b.wall_clock = t.reported.wall_clock ? t.reported.wall_clock : t.wall_clock;
  if (t.price && (t.price_basis == "input" || t.price_basis == "reported")) {
    b.price = t.price;
    b.price_from = "the scenario's price";
  } else if (t.reported.price) {
    b.price = t.reported.price;
    b.price_from = "the reported price";
  } else if (t.reported.cost && t.reported.gpu_hours) {
    b.price = implied_price(*t.reported.cost, *t.reported.gpu_hours);
    b.price_from = "the price the reported cost implies";
  } else if (t.price) {
    b.price = t.price;
    b.price_from = "the catalogue's on-demand price";
  }
  b.precision = t.precision;
  b.goodput = t.goodput;
  b.accelerator = t.accelerator;
  if (t.accelerator != "mixed" && cat.contains(t.accelerator)) {
    const auto& acc = cat.at(t.accelerator);
    for (auto p : all_precisions) {
      if (acc.supports(p)) b.peaks.emplace_back(p, acc.peak_at(p));
    }
  }
  std::vector<claim_basis> out{b};

  const double tol = tolerance_for(s, "wall_clock_days").ratio;
  const bool linked =
      b.gpu_hours && b.count && b.wall_clock &&
      std::fabs(detail::gpu_hours_of(*b.gpu_hours) /
                    (detail::count_of(*b.count) * days_of(*b.wall_clock) * hours_per_day) -
                1.0) <= tol;
  auto variant = [&](const std::string& key, const alternative& a) {
    claim_basis v = b;
    v.label = key + " = " + detail::short_number(a.value) + " (" + detail::cite_alt(a) + ")";
    return v;
  };
  for (const auto& [key, pr] : s.provenance) {
    for (const auto& a : pr.alternatives) {
      if (key == "hardware.count" && b.count) {
        auto v = variant(key, a);
        v.count = gpus(a.value);
        if (linked) {
          v.gpu_hours = *v.count * *b.wall_clock;
        } else if (b.gpu_hours) {
          v.wall_clock = wall_clock(*b.gpu_hours, *v.count);
        }
        out.push_back(std::move(v));
      } else if (key == "reported.wall_clock_days" && b.wall_clock) {
        auto v = variant(key, a);
        v.wall_clock = duration_from_days(a.value);
        if (linked) v.gpu_hours = *b.count * *v.wall_clock;
        out.push_back(std::move(v));
      } else if (key == "reported.gpu_hours" && b.gpu_hours) {
        auto v = variant(key, a);
        v.gpu_hours = gpu_time_from_gpu_hours(a.value);
        if (b.count) v.wall_clock = wall_clock(*v.gpu_hours, *b.count);
        out.push_back(std::move(v));
      } else if ((key == "pricing.usd_per_gpu_hour" && b.price_from == "the scenario's price") ||
                 (key == "reported.usd_per_gpu_hour" && b.price_from == "the reported price")) {
        auto v = variant(key, a);
        v.price = price_rate_from_usd_per_gpu_hour(a.value);
        out.push_back(std::move(v));
      } else if ((key == "training.compute_flop" && t.compute_basis == "sum" &&
                  e.phases.size() == 1 && e.phases.front().compute_basis == "input") ||
                 (key == "reported.compute_flop" && e.phases.size() == 1 &&
                  e.phases.front().compute_basis == "reported")) {
        auto v = variant(key, a);
        v.flop = compute_from_flop(a.value);
        out.push_back(std::move(v));
      }
    }
  }
  return out;
}

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
inline claim_implication imply(const claim& c, const claim_basis& b,
                               const std::optional<market_range>& m) {
  claim_implication im;
  im.basis = b.label;
  im.basis_gpu_hours = b.gpu_hours;
  const double v = c.value;
  // Plain numbers with flags: GCC 12 misreads optionals of double here (maybe-uninitialized).
  const bool has_flop = b.flop.has_value();
  const double flop_v = has_flop ? flop_of(*b.flop) : 0.0;
  const bool has_hours = b.gpu_hours.has_value();
  const double hours_v = has_hours ? gpu_hours_of(*b.gpu_hours) : 0.0;
  const bool has_n = b.count.has_value();
  const double n_v = has_n ? count_of(*b.count) : 0.0;
  const bool has_days = b.wall_clock.has_value();
  const double days_v = has_days ? days_of(*b.wall_clock) : 0.0;
  const bool has_price = b.price.has_value();
  const double usd_h_v = has_price ? usd_per_hour_of(*b.price) : 0.0;
  const std::string hours_at =
      has_hours ? "at " + short_number(hours_v) + " GPU-hours (" + b.gpu_hours_from + ")" : "";

  // Judges GPU-hours that the claim needs: by MFU when the compute is known, else by how far
  // they are from the reported ones.
  auto judge_hours = [&](double needed, const std::string& what) {
    fill_mfu(im, b, flop_v, gpu_time_from_gpu_hours(needed));
    if (has_flop && im.mfu && im.mfu_precision) {
      auto x = judge_mfu(*im.mfu, *im.mfu_precision, what);
      x.name = "gpu_hours";
      im.explanations.push_back(std::move(x));
    } else if (has_hours) {
      im.explanations.push_back(judge_ratio("gpu_hours", needed, hours_v, what));
    }
    if (!has_flop) {
      im.mfu.reset();
      im.mfu_precision.reset();
      im.mfu_by_precision.clear();
    }
  };

  if (c.metric == "cost_usd") {
    if (has_hours) {
      im.price = price_rate_from_usd_per_gpu_hour(v / hours_v);
      im.explanations.push_back(judge_price(v / hours_v, m, hours_at));
    }
    if (has_price) {
      const double needed = v / usd_h_v;
      im.gpu_hours = gpu_time_from_gpu_hours(needed);
      if (has_n) im.wall_clock = duration_from_hours(needed / n_v);
      if (has_days) im.count = gpus(needed / (days_v * hours_per_day));
      std::string what = "with " + short_number(needed) + " GPU-hours at " + price_text(usd_h_v) +
                         " (" + b.price_from + ")";
      if (has_n)
        what += ", " + short_number(needed / n_v / hours_per_day) + " days on " +
                short_number(n_v) + " GPUs";
      judge_hours(needed, what);
    }
  } else if (c.metric == "gpu_hours") {
    im.gpu_hours = gpu_time_from_gpu_hours(v);
    if (has_n) im.wall_clock = duration_from_hours(v / n_v);
    if (has_days) im.count = gpus(v / (days_v * hours_per_day));
    if (has_price) im.cost = money_from_usd(v * usd_h_v);
    std::string what = "with " + short_number(v) + " GPU-hours";
    if (has_n)
      what +=
          ", " + short_number(v / n_v / hours_per_day) + " days on " + short_number(n_v) + " GPUs";
    judge_hours(v, what);
  } else if (c.metric == "compute_flop") {
    if (has_hours) {
      const double h = hours_v * b.goodput.ratio();
      for (const auto& [p, peak] : b.peaks) {
        const double r = v / (h * flop_per_hour_of(peak));
        if (!std::isfinite(r)) continue;  // a claim of 1e308 FLOP: no MFU
        im.mfu_by_precision.emplace_back(p, r);
        if (b.precision && p == *b.precision) {
          im.mfu = im.mfu_by_precision.back().second;
          im.mfu_precision = p;
        }
      }
      if (im.mfu && im.mfu_precision) {
        auto x = judge_mfu(*im.mfu, *im.mfu_precision, hours_at);
        x.name = "mfu";
        im.explanations.push_back(std::move(x));
      }
    }
    if (has_flop) {
      im.explanations.push_back(judge_ratio("compute_flop", v, flop_v * b.flop_share,
                                            "the model's compute would be off"));
      // Only informative: a FLOP claim is judged by the MFU it implies when GPU-hours are known.
      if (im.mfu) im.explanations.back().fit = "info";
    }
  } else if (c.metric == "wall_clock_days") {
    if (has_n) {
      const double needed = v * hours_per_day * n_v;
      im.gpu_hours = gpu_time_from_gpu_hours(needed);
      if (has_price) im.cost = money_from_usd(needed * usd_h_v);
      judge_hours(needed, "with " + short_number(v) + " days on " + short_number(n_v) +
                              " GPUs = " + short_number(needed) + " GPU-hours");
    }
    if (has_hours) {
      const double need_n = hours_v / (v * hours_per_day);
      im.count = gpus(need_n);
      if (has_n) {
        im.explanations.push_back(judge_ratio(
            "count", need_n, n_v, "with " + short_number(need_n) + " GPUs " + hours_at));
      }
    }
    im.wall_clock = duration_from_days(v);
  }
  return im;
}

}  // namespace detail

/// Checks claim `c` against scenario `s` (already estimated as `e`): consistent when it is
/// within the scenario's tolerance of the reported figure (or a source's alternative) or of the
/// modelled one; else plausible when, under some basis, a way of making it true stays within
/// the soft bounds (audit_bounds); else implausible, with the reason.
[[nodiscard]] inline claim_result check_claim(const claim& c, const scenario& s,
                                              const estimate_result& e, const catalogue& cat) {
  using detail::metric_text;
  claim_result r;
  r.what = c;
  r.scenario = s.id;
  const auto& t = e.total;
  const auto tol = tolerance_for(s, c.metric);
  r.tolerance = tol.ratio;
  if (!c.out_of_scope.empty()) {
    r.verdict = "out of scope";
    r.reason = "the figure is " + c.out_of_scope +
               "; the audit grades training costs only, so it gives no training verdict";
    return r;
  }

  // The references a claim can be consistent with.
  struct reference {
    double value;
    std::string what;
  };
  std::vector<reference> refs;
  std::string rep_key;
  if (c.metric == "cost_usd") {
    if (t.reported.cost) r.reported = detail::usd_of(*t.reported.cost);
    if (auto it = t.cost.find("rental");
        it != t.cost.end() && (t.price_basis == "input" || t.price_basis == "reported")) {
      r.modelled = detail::usd_of(it->second);
    }
    rep_key = "reported.cost_usd";
  } else if (c.metric == "gpu_hours") {
    if (t.reported.gpu_hours) r.reported = detail::gpu_hours_of(*t.reported.gpu_hours);
    r.modelled = detail::gpu_hours_of(t.gpu_hours);
    rep_key = "reported.gpu_hours";
  } else if (c.metric == "compute_flop") {
    if (t.reported.compute_flop) r.reported = detail::flop_of(*t.reported.compute_flop);
    if (t.compute_flop && t.compute_basis != "partial sum") {
      r.modelled = detail::flop_of(*t.compute_flop);
    }
    rep_key = "reported.compute_flop";
  } else if (c.metric == "wall_clock_days") {
    if (t.reported.wall_clock) r.reported = days_of(*t.reported.wall_clock);
    if (t.wall_clock) r.modelled = days_of(*t.wall_clock);
    rep_key = "reported.wall_clock_days";
  } else {
    throw input_error("claim '" + c.text + "': unknown metric '" + c.metric + "'");
  }
  const auto* pr = detail::provenance_of(s, "", rep_key);
  if (r.reported) {
    std::string w = "the reported " + metric_text(c.metric, *r.reported);
    if (const auto src = detail::cite(pr); !src.empty()) w += " (" + src + ")";
    refs.push_back({*r.reported, w});
    if (pr) {
      for (const auto& a : pr->alternatives) {
        refs.push_back({a.value, "the alternative " + metric_text(c.metric, a.value) + " (" +
                                     detail::cite_alt(a) + ")"});
      }
    }
  }
  if (r.modelled)
    refs.push_back({*r.modelled, "the modelled " + metric_text(c.metric, *r.modelled)});

  const auto bases = claim_bases(s, e, cat);
  const auto market = market_range_for(
      t.accelerator != "mixed" ? t.accelerator : e.phases.front().accelerator, cat);
  for (const auto& b : bases) r.implied.push_back(detail::imply(c, b, market));

  // A bound or a range: does it hold under each source's figure?
  if (c.bound != claim_bound::equal && !refs.empty()) {
    std::vector<std::string> holds;
    std::vector<std::string> fails;
    for (const auto& ref : refs) {
      const bool ok = detail::meets_bound(c, ref.value, tol.ratio);
      r.bounds.push_back({ref.what, ref.value, ok});
      (ok ? holds : fails).push_back(ref.what);
    }
    const std::string slack = " (tolerance " + detail::pct_text(tol.ratio) + ")";
    if (fails.empty()) {
      r.verdict = "consistent";
      r.reason = detail::bound_text(c) +
                 " holds under every source: " + detail::join_text(holds, "; ") + slack;
      return r;
    }
    if (!holds.empty()) {
      r.verdict = "plausible";
      r.reason = detail::bound_text(c) + " holds under " + detail::join_text(holds, "; ") +
                 ", but not under " + detail::join_text(fails, "; ") + slack;
      return r;
    }
    // Fails under every source: what would it take to reach the bound?
    claim at = c;
    at.bound = claim_bound::equal;
    if (c.bound == claim_bound::below) at.value = c.value;
    auto point = check_claim(at, s, e, cat);
    r.verdict = point.verdict == "consistent" ? "plausible" : point.verdict;
    r.reason = detail::bound_text(c) + " fails under every source (" +
               detail::join_text(fails, "; ") + "); at the bound: " + point.reason;
    r.implied = std::move(point.implied);
    return r;
  }

  // Consistent?
  for (const auto& ref : refs) {
    const double d = c.value / ref.value - 1.0;
    if (std::fabs(d) <= tol.ratio + 1e-12) {
      r.verdict = "consistent";
      r.reason = "within " + detail::pct_text(tol.ratio) + " of " + ref.what + " (" +
                 detail::signed_pct(d) + "; tolerance: " + tol.reason + ")";
      return r;
    }
  }
  // A units slip: the claim a thousand or a million times off a reference.
  std::string slip;
  for (const double f : {1e3, 1e6, 1e-3, 1e-6}) {
    for (const auto& ref : refs) {
      if (!slip.empty()) break;
      if (std::fabs(c.value / f / ref.value - 1.0) <= tol.ratio + 1e-12) {
        slip = "; it is " +
               (f > 1.0 ? detail::short_number(f) + "x "
                        : "1/" + detail::short_number(1.0 / f) + " of ") +
               ref.what + ": a units slip (thousand, million, billion)?";
      }
    }
  }

  // Plausible under some basis?
  const claim_explanation* best = nullptr;
  const claim_implication* best_im = nullptr;
  for (const auto& im : r.implied) {
    for (const auto& x : im.explanations) {
      if (x.fit == "plausible" && !best) {
        best = &x;
        best_im = &im;
      }
    }
  }
  std::string off;
  if (!refs.empty()) {
    const double f = c.value / refs.front().value;
    if (f >= 10.0) {
      off = detail::factor_text(f) + " " + refs.front().what;
    } else if (f <= 0.1) {
      off = "1/" + detail::factor_text(1.0 / f).substr(0, detail::factor_text(1.0 / f).size() - 1) +
            " of " + refs.front().what;
    } else {
      off = detail::signed_pct(f - 1.0) + " from " + refs.front().what;
    }
  }
  if (best) {
    r.verdict = "plausible";
    r.reason = off.empty() ? "" : off + "; ";
    r.reason += "it holds " + best->why;
    if (best_im->basis != "as in the preset") r.reason += " (if " + best_im->basis + ")";
    r.reason += slip;
    return r;
  }
  r.verdict = "implausible";
  std::vector<std::string> whys;
  bool all_impossible = true;
  bool any = false;
  for (const auto& x : r.implied.front().explanations) {
    if (x.fit == "info") continue;
    any = true;
    whys.push_back(x.why);
    if (x.fit != "impossible") all_impossible = false;
  }
  r.reason = off.empty() ? "" : off + "; ";
  if (!any) {
    r.reason +=
        "nothing in the scenario can explain it (no GPU-hours, price or compute to "
        "solve against)";
  } else {
    r.reason += all_impossible
                    ? "beyond what the market, the physics and the reported figures allow: "
                    : "outside what the market, the physics and the reported figures allow: ";
    for (std::size_t i = 0; i < whys.size(); ++i) r.reason += (i ? "; " : "") + whys[i];
  }
  r.reason += slip;
  return r;
}

/// The whole audit of scenario `s` with `claims` (from the command line or a file; the
/// scenario's own `[[claims]]` are checked too, after them).
/// Throws: input_error as estimate() does.
[[nodiscard]] inline audit_result audit(const scenario& s, const catalogue& cat,
                                        const std::vector<claim>& claims = {},
                                        const std::string& origin = "command line") {
  audit_result a;
  a.id = s.id;
  a.name = s.name;
  a.estimate = estimate(s, cat);
  const auto& e = a.estimate;
  const auto& t = e.total;
  a.tolerance = tolerance_for(s, "");
  a.tolerance_is_default = !s.audit.tolerance;
  a.tolerance_by_metric = s.audit.by_metric;
  a.comparisons = compare_figures(s, e);
  a.checks = consistency_checks(s, e, cat);

  // Implied figures of the whole run; where only some phases have compute, the MFU of those
  // phases over their reported GPU-hours.
  if (t.implied.mfu) {
    a.implied_mfu = t.implied.mfu;
    a.implied_mfu_precision = t.implied.mfu_precision;
    a.implied_mfu_scope = "whole run";
  } else if (t.precision) {
    double flop = 0.0;
    double work = 0.0;
    for (const auto& p : e.phases) {
      if (p.implied.mfu && p.implied.mfu_precision == t.precision && p.reported.gpu_hours &&
          p.compute_flop && p.peak) {
        flop += detail::flop_of(*p.compute_flop);
        work += detail::gpu_hours_of(*p.reported.gpu_hours) * p.goodput.ratio() *
                detail::flop_per_hour_of(*p.peak);
      }
    }
    if (work > 0.0) {
      a.implied_mfu = flop / work;
      a.implied_mfu_precision = t.precision;
      a.implied_mfu_scope = "phases with known compute";
    }
  }
  a.implied_price = t.implied.price;
  a.implied_wall_clock = t.implied.wall_clock;
  if (!a.implied_wall_clock && t.reported.gpu_hours && t.count) {
    a.implied_wall_clock = wall_clock(*t.reported.gpu_hours, *t.count);
  }
  a.market = market_range_for(
      t.accelerator != "mixed" ? t.accelerator : e.phases.front().accelerator, cat);

  for (const auto& c : claims) {
    a.claims.push_back(check_claim(c, s, e, cat));
    a.claims.back().origin = origin;
  }
  for (const auto& c : s.claims) {
    a.claims.push_back(check_claim(c, s, e, cat));
    a.claims.back().origin = "preset";
  }

  a.caveats = s.caveats;
  a.caveats.push_back(
      "The modelled cost is the rental of accelerator time for the run's own phases: it leaves "
      "out research and ablation runs, failed runs, hardware purchase, networking and storage, "
      "data and staff.");
  for (const auto& [key, p] : s.provenance) {
    const bool figure = key.find("reported.") != std::string::npos || key == "hardware.count" ||
                        key == "training.compute_flop";
    if (!figure) continue;
    if (p.status == "estimate" || p.status == "press" || p.status == "blog" ||
        p.status == "recalled" || p.status == "assumption") {
      const bool vowel = p.status == "assumption" || p.status == "estimate";
      a.caveats.push_back(key + " is " + (vowel ? "an " : "a ") + p.status + " (" + p.source +
                          "), not the developer's disclosure.");
    }
  }
  return a;
}

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
