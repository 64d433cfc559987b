#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Baselines for the Monte Carlo benchmark: the rental-plus-energy cost model with four uncertain
inputs, written with numpy and as a pure-Python loop, in samples per second on one core.

The model is the one benchmarks/montecarlo_bench.cpp gives monte_carlo() (Llama 3 70B with four
ranges; see README "The model" and include/costmodel/energy.hpp):
    gpu_hours = C / (peak * mfu)                      C = 6 N D FLOP, peak per GPU-hour
    rental    = gpu_hours * usd_per_gpu_hour
    kwh       = W / 1000 * fraction * server * pue * gpu_hours     (Epoch's cluster_energy_cost)
    energy    = kwh * usd_per_kwh
    tco2e     = kwh * grid / 1e6
Uncertain inputs (four): MFU ~ U(0.3, 0.5), price ~ lognormal(median 2.0 USD/GPU-h, sigma 0.25),
PUE ~ U(1.1, 1.4), electricity ~ U(0.05, 0.15) USD/kWh. Fixed, from the catalogue: 70B dense on
15T tokens, H100 SXM bf16 dense peak 989.4 TFLOPS, TDP 700 W, average power 0.75 of TDP, server
power 1.8214285714 x the GPU's, world-average grid 475 gCO2e/kWh. Each run also computes the
5/50/95% quantiles of the five outputs that vary, as monte_carlo() does ("quantiles included").

Usage: python3 benchmarks/baseline_montecarlo.py [samples]   (pin with taskset -c 0)
"""
import math
import os
import random
import sys
import time

C = 6 * 70e9 * 15e12           # FLOP
PEAK = 989.4e12 * 3600.0       # FLOP per GPU-hour, H100 SXM bf16 dense
KW = 700.0 / 1000.0 * 0.75 * 1.8214285714  # kW per GPU before the PUE
GRID = 475.0                   # gCO2e/kWh
QS = [0.05, 0.5, 0.95]


def numpy_run(n, rng):
    import numpy as np
    mfu = rng.uniform(0.3, 0.5, n)
    price = 2.0 * np.exp(0.25 * rng.standard_normal(n))
    pue = rng.uniform(1.1, 1.4, n)
    usd_per_kwh = rng.uniform(0.05, 0.15, n)
    hours = C / (PEAK * mfu)
    kwh = KW * pue * hours
    outputs = (hours, hours * price, kwh, kwh * usd_per_kwh, kwh * GRID / 1e6)
    quantiles = [np.quantile(x, QS) for x in outputs]
    return quantiles[1]  # rental


def python_run(n, rng):
    cols = [[], [], [], [], []]
    for _ in range(n):
        mfu = rng.uniform(0.3, 0.5)
        price = 2.0 * math.exp(0.25 * rng.gauss(0.0, 1.0))
        pue = rng.uniform(1.1, 1.4)
        usd_per_kwh = rng.uniform(0.05, 0.15)
        hours = C / (PEAK * mfu)
        kwh = KW * pue * hours
        for c, v in zip(cols, (hours, hours * price, kwh, kwh * usd_per_kwh, kwh * GRID / 1e6)):
            c.append(v)
    for c in cols:
        c.sort()
    return [cols[1][int(q * (n - 1))] for q in QS]


def best_rate(fn, n, rng, repeats=3):
    """Samples per CPU second of the process (as Google Benchmark's CPU time), so that a busy
    machine slows both sides alike."""
    best = 0.0
    result = None
    for _ in range(repeats):
        t0 = time.process_time()
        result = fn(n, rng)
        dt = time.process_time() - t0
        best = max(best, n / dt)
    return best, result


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        import numpy as np
        np_rate, q = best_rate(numpy_run, n, np.random.default_rng(1))
        print(f"numpy:       {np_rate / 1e6:8.2f} M samples/s  (n={n}, rental quantiles "
              f"{q[0] / 1e6:.2f}M {q[1] / 1e6:.2f}M {q[2] / 1e6:.2f}M USD)")
    except ImportError:
        np_rate = None
        print("numpy:       not installed")
    py_n = max(n // 10, 1000)
    py_rate, q = best_rate(python_run, py_n, random.Random(1))
    print(f"pure Python: {py_rate / 1e6:8.2f} M samples/s  (n={py_n}, rental quantiles "
          f"{q[0] / 1e6:.2f}M {q[1] / 1e6:.2f}M {q[2] / 1e6:.2f}M USD)")
    if np_rate:
        print(f"numpy / pure Python: {np_rate / py_rate:.1f}x")


if __name__ == "__main__":
    main()
