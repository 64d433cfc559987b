// SPDX-License-Identifier: MIT
// Audit: the consistency checks, claims and their bases, compiled once (audit.hpp declares them).
#include "costmodel/audit.hpp"

namespace costmodel {
std::vector<audit_check> consistency_checks(const scenario& s, const estimate_result& e,
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
}  // namespace costmodel

namespace costmodel {
claim_result check_claim(const claim& c, const scenario& s, const estimate_result& e,
                         const catalogue& cat) {
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
}  // namespace costmodel

namespace costmodel::detail {
claim_implication imply(const claim& c, const claim_basis& b,
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
}  // namespace costmodel::detail

namespace costmodel {
std::vector<claim_basis> claim_bases(const scenario& s, const estimate_result& e,
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
}  // namespace costmodel

namespace costmodel {
bool parse_claim_value(std::string_view text, claim& c, bool& currency) {
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
}  // namespace costmodel

namespace costmodel {
audit_result audit(const scenario& s, const catalogue& cat, const std::vector<claim>& claims,
                   const std::string& origin) {
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
}  // namespace costmodel

namespace costmodel {
std::vector<figure_comparison> compare_figures(const scenario& s, const estimate_result& e) {
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
}  // namespace costmodel

namespace costmodel {
claim parse_claim(std::string_view text) {
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
}  // namespace costmodel
