#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compares bundled training runs and writes three PNGs, headless:

  compare.png  rental cost of each run, by phase, on a log scale, all at $2 per GPU-hour (each
               run's own price differs: GPT-4 $1.36, DeepSeek $2, Llama 3.1 the catalogue's
               $11.06 on-demand H100; one price makes the bars compare compute, not prices)
  sweep.png    Llama 3.1 405B's cost if its MFU had been 20% to 60% (1,000 points, one call)
  tornado.png  what moves Llama 3.1 405B's cost most, priced at $2.50 per GPU-hour (an
               assumption: the middle of the range below) with the ranges: the MFU range of
               Meta's Table 4, goodput 80-100%, rental $1.50-$3.50 per GPU-hour, 8k-16k GPUs

Usage: compare.py [--out DIR]   (needs matplotlib; sets the Agg backend itself)
"""

import argparse
import pathlib

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

import costmodel  # noqa: E402
import costmodel.plot as cplot  # noqa: E402

RUNS = ["gpt-3", "palm-540b", "llama-2-70b", "llama-3.1-405b", "deepseek-v3", "gpt-4", "gemini-1.0-ultra"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=".", help="folder for the PNGs (default: here)")
    out = pathlib.Path(ap.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)

    same_price = {"pricing.usd_per_gpu_hour": 2.0}
    results = costmodel.compare(RUNS, same_price)
    for r in results:
        print(f"{r.id:18} {r.gpu_hours:12.4g} GPU-h  {cplot.usd(r.cost_usd['rental']):>8}  ({r.accelerator})")

    ax = cplot.comparison(results, by="phase", title="Training cost of reported runs at $2 per GPU-hour (rental, by phase)")
    ax.figure.savefig(out / "compare.png", dpi=120)

    ax = cplot.sweep("llama-3.1-405b", "efficiency.mfu", np.linspace(0.2, 0.6, 1000))
    ax.figure.savefig(out / "sweep.png", dpi=120)

    ax = cplot.tornado(
        costmodel.load("llama-3.1-405b", {"pricing.usd_per_gpu_hour": 2.5}),
        {
            "efficiency.mfu": (0.38, 0.43),
            "efficiency.goodput": (0.8, 1.0),
            "pricing.usd_per_gpu_hour": (1.5, 3.5),
            "hardware.count": (8192, 16384),
        },
    )
    ax.figure.savefig(out / "tornado.png", dpi=120)
    for name in ("compare.png", "sweep.png", "tornado.png"):
        print(f"wrote {out / name}")


if __name__ == "__main__":
    main()
