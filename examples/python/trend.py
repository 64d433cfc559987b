#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Draws the trend of frontier training costs (Cottier et al. 2024, arXiv:2405.21015) from Epoch
AI's database and marks DeepSeek-V3 on it, headless:

  trend.png  amortised hardware plus energy (ownership) of the top-10 most compute-intensive
             systems at publication, fine-tunes excluded, in 2023 dollars, on a log scale; the
             least-squares line of log10 cost on the date with its 90% prediction band; the five
             systems farthest from the line and DeepSeek-V3 labelled

Usage: trend.py DB.csv [--out DIR] [--mark ID ...]   (needs matplotlib; sets the Agg backend)

DB.csv is Epoch AI's "All ML Systems" table (CC BY 4.0), downloaded from
https://epoch.ai/data/ai-models ("All ML Systems"; docs/trends.md says which columns are read); it is not
shipped with costmodel. tests/data/epoch_small.csv is a made-up file in the same format.
"""

import argparse
import pathlib

import matplotlib

matplotlib.use("Agg")

import costmodel  # noqa: E402
import costmodel.plot as cplot  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("database", help="Epoch AI's database, CSV")
    ap.add_argument("--out", default=".", help="folder for trend.png")
    ap.add_argument("--mark", action="append", default=None, help="runs to place (deepseek-v3)")
    a = ap.parse_args()
    args = [a.database, "--top-n", "10", "--exclude-finetunes", "--method", "ownership",
            "--usd-year", "2023"]
    for m in a.mark or ["deepseek-v3"]:
        args += ["--mark", m]
    r = costmodel.run("trends", *args)
    d = r.to_dict()
    ax = cplot.trend(r, label_top=5)
    out = pathlib.Path(a.out) / "trend.png"
    ax.figure.savefig(out, dpi=120, bbox_inches="tight")
    lo, hi = d["ci90"]
    print(f"{out}: {d['growth_per_year']:.3f}x per year (90% CI {lo:.3f}x to {hi:.3f}x), "
          f"N = {d['n']}, R2 = {d['r2']:.3f}")


if __name__ == "__main__":
    main()
