#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Baselines for the Monte Carlo benchmark: the rental-plus-energy cost model with four uncertain
inputs, written with numpy and as a pure-Python loop, in samples per second on one core.

The model (the same as costmodel's, see README "The model"):
    gpu_hours = C / (peak * mfu * 3600)            C = 6 N D FLOP, peak in FLOP/s per GPU
    cost      = gpu_hours * usd_per_gpu_hour
              + gpu_hours * tdp_kw * pue * usd_per_kwh
Uncertain inputs (four): MFU ~ U(0.3, 0.5), price ~ lognormal(median 2.0 USD/GPU-h, sigma 0.25),
PUE ~ U(1.1, 1.4), electricity ~ U(0.05, 0.15) USD/kWh. Fixed: a 70B dense model on 15T tokens,
H100 SXM bf16 dense peak 989.4 TFLOPS, TDP 0.7 kW. Each run also computes the 5/50/95% quantiles,
as the C++ benchmark must ("quantiles included").

Usage: python3 benchmarks/baseline_montecarlo.py [samples]   (pin with taskset -c 0)
"""
import math
import os
import random
import sys
import time

C = 6 * 70e9 * 15e12  # FLOP
PEAK = 989.4e12       # FLOP/s per GPU, H100 SXM bf16 dense
TDP_KW = 0.7


def numpy_run(n, rng):
    import numpy as np
    mfu = rng.uniform(0.3, 0.5, n)
    price = 2.0 * np.exp(0.25 * rng.standard_normal(n))
    pue = rng.uniform(1.1, 1.4, n)
    kwh = rng.uniform(0.05, 0.15, n)
    hours = C / (PEAK * mfu * 3600.0)
    cost = hours * price + hours * TDP_KW * pue * kwh
    return np.quantile(cost, [0.05, 0.5, 0.95])


def python_run(n, rng):
    costs = []
    for _ in range(n):
        mfu = rng.uniform(0.3, 0.5)
        price = 2.0 * math.exp(0.25 * rng.gauss(0.0, 1.0))
        pue = rng.uniform(1.1, 1.4)
        kwh = rng.uniform(0.05, 0.15)
        hours = C / (PEAK * mfu * 3600.0)
        costs.append(hours * price + hours * TDP_KW * pue * kwh)
    costs.sort()
    return [costs[int(q * (n - 1))] for q in (0.05, 0.5, 0.95)]


def best_rate(fn, n, rng, repeats=3):
    best = 0.0
    result = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn(n, rng)
        dt = time.perf_counter() - t0
        best = max(best, n / dt)
    return best, result


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        import numpy as np
        np_rate, q = best_rate(numpy_run, n, np.random.default_rng(1))
        print(f"numpy:       {np_rate / 1e6:8.2f} M samples/s  (n={n}, quantiles "
              f"{q[0] / 1e6:.2f}M {q[1] / 1e6:.2f}M {q[2] / 1e6:.2f}M USD)")
    except ImportError:
        np_rate = None
        print("numpy:       not installed")
    py_n = max(n // 10, 1000)
    py_rate, q = best_rate(python_run, py_n, random.Random(1))
    print(f"pure Python: {py_rate / 1e6:8.2f} M samples/s  (n={py_n}, quantiles "
          f"{q[0] / 1e6:.2f}M {q[1] / 1e6:.2f}M {q[2] / 1e6:.2f}M USD)")
    if np_rate:
        print(f"numpy / pure Python: {np_rate / py_rate:.1f}x")


if __name__ == "__main__":
    main()
