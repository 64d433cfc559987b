#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""costmodel.evaluate() on 1,000,000 MFU values against the same closed form in a Python loop.

Usage: PYTHONPATH=build/ci/python /usr/bin/python3 benchmarks/python_evaluate_bench.py [N]

The pure-Python loop computes every output that evaluate() returns for DeepSeek-V3 with the MFU
varied (three phases: two modelled with 6*N_active*D at the fp8 peak, one with its reported
GPU-hours; every cost method, energy and emissions), from constants read off the scalar estimate,
and is checked against evaluate() before timing is reported. Each timing is the best of 5 runs.
"""

import sys
import time

import numpy as np

import costmodel


def best_of(f, runs=5):
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    mfu = np.linspace(0.2, 0.6, n)
    base = costmodel.estimate("deepseek-v3", {"efficiency.mfu": 0.4})  # also reads the catalogue
    d = base.to_dict()
    methods = sorted(d["cost_usd"])

    # The closed form, phase by phase, from the scalar result's own inputs: the GPU-hours of a
    # modelled phase are C / (peak * MFU) / goodput (its reported ones otherwise); every other
    # output but the purchase is a per-GPU-hour rate of the phase times its GPU-hours (energy.hpp,
    # pricing.hpp, cost_methods.hpp: W * fraction * overhead * PUE, the price, the amortised
    # hardware plus energy, the program multiplier), read off the scalar result as output / GPU-h.
    # Constants folded in advance make the Python loop faster than a literal transcription, so
    # the speed-up below is a lower bound.
    phases = []
    for p, pd in zip(base.phases, d["phases"]):
        gh = p.gpu_hours
        rates = [pd["cost_usd"][m] / gh for m in methods if m != "purchase"]
        kwh = pd["energy_kwh"] / gh
        co2 = pd["emissions_tco2e"] / gh
        phases.append((p.compute_flop, p.peak_tflops * 1e12 * 3600.0, p.goodput, p.count,
                       gh if p.gpu_hours_basis == "reported" else None, rates, kwh, co2))
    purchase = d["cost_usd"]["purchase"]
    rated = [m for m in methods if m != "purchase"]

    def python_loop():
        out = {k: [] for k in ["gpu_hours", "wall_clock_days", "mfu", "energy_kwh",
                               "emissions_tco2e"] + ["cost_usd_" + m for m in methods]}
        for m in mfu.tolist():
            gh_total = days = kwh_total = co2_total = c_total = work = 0.0
            costs = [0.0] * len(rated)
            for c, peak, good, count, reported, rates, kwh, co2 in phases:
                gh = reported if reported is not None else c / (peak * m) / good
                gh_total += gh
                days += gh / count / 24.0
                kwh_total += gh * kwh
                co2_total += gh * co2
                if c is not None:
                    c_total += c
                    work += gh * good * peak
                for k, r in enumerate(rates):
                    costs[k] += gh * r
            out["gpu_hours"].append(gh_total)
            out["wall_clock_days"].append(days)
            out["mfu"].append(c_total / work)
            out["energy_kwh"].append(kwh_total)
            out["emissions_tco2e"].append(co2_total)
            for k, name in enumerate(rated):
                out["cost_usd_" + name].append(costs[k])
            out["cost_usd_purchase"].append(purchase)
        return out

    t_vec, out = best_of(lambda: costmodel.evaluate("deepseek-v3", {"efficiency.mfu": mfu}))
    t_py, py = best_of(python_loop, runs=1 if n >= 1_000_000 else 3)
    for k, v in py.items():
        assert np.allclose(out[k], v, rtol=1e-9), k
    print(f"points: {n}; outputs compared: {len(py)} ({', '.join(sorted(py))})")
    print(f"costmodel.evaluate: {t_vec * 1e3:.1f} ms ({t_vec / n * 1e9:.0f} ns per point)")
    print(f"pure-Python loop:   {t_py * 1e3:.1f} ms ({t_py / n * 1e9:.0f} ns per point)")
    print(f"speed-up: {t_py / t_vec:.0f}x")


if __name__ == "__main__":
    main()
