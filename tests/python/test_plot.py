# SPDX-License-Identifier: MIT
"""Plots render to PNG files with the Agg backend, and draw the numbers they are given."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import costmodel  # noqa: E402
import costmodel.plot as cplot  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


def save(ax, path):
    ax.figure.savefig(path, dpi=80)
    plt.close(ax.figure)
    data = path.read_bytes()
    assert data.startswith(PNG) and len(data) > 5000
    return data


def test_comparison_by_phase_draws_each_phase_cost(tmp_path):
    rs = costmodel.compare(["deepseek-v3", "gpt-4", "llama-3.1-405b"])
    ax = cplot.comparison(rs, by="phase")
    heights = sorted(p.get_height() for p in ax.patches)
    want = sorted(p.cost_usd["rental"] for r in rs for p in r.phases)
    assert heights == pytest.approx(want)
    assert ax.get_yscale() == "log"
    texts = [t.get_text() for t in ax.texts]
    assert cplot.usd(rs[0].cost_usd["rental"]) in texts  # DeepSeek-V3's total, on compare's basis
    save(ax, tmp_path / "by_phase.png")


def test_comparison_by_method_draws_every_cost_method(tmp_path):
    rs = costmodel.compare(["deepseek-v3", "gpt-3"])
    ax = cplot.comparison(rs, by="method", log=False)
    assert sorted(p.get_height() for p in ax.patches) == pytest.approx(
        sorted(v for r in rs for v in r.cost_usd.values())
    )
    save(ax, tmp_path / "by_method.png")
    with pytest.raises(ValueError, match="by must be"):
        cplot.comparison(rs, by="colour")


def test_sweep_plots_evaluate_and_marks_the_scenario(tmp_path):
    x = np.linspace(0.2, 0.6, 50)
    ax = cplot.sweep("deepseek-v3", "pricing.usd_per_gpu_hour", np.linspace(1, 4, 50))
    line = ax.lines[0]
    want = costmodel.evaluate("deepseek-v3", {"pricing.usd_per_gpu_hour": np.linspace(1, 4, 50)})
    assert np.array_equal(line.get_ydata(), want["cost_usd_rental"])
    marker = ax.lines[1]
    assert marker.get_xdata()[0] == 2.0 and marker.get_ydata()[0] == 5.576e6
    save(ax, tmp_path / "sweep.png")
    ax2 = cplot.sweep("gpt-4", "efficiency.mfu", x, output="gpu_hours")
    save(ax2, tmp_path / "sweep_mfu.png")


def test_tornado_orders_inputs_by_swing(tmp_path):
    ranges = {
        "efficiency.mfu": (0.3, 0.5),
        "pricing.usd_per_gpu_hour": (1.5, 3.0),
        "hardware.count": (1024, 4096),  # moves days, not cost: the smallest bar
    }
    ax = cplot.tornado("deepseek-v3", ranges)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # Inputs are named as people read them, with units, not by their keys.
    assert labels[0] == "accelerators"
    assert set(labels) == {costmodel.plot._input_label(k) for k in ranges}
    assert "MFU (model FLOPs utilisation, %)" in labels
    save(ax, tmp_path / "tornado.png")


def test_trend_draws_the_fit_and_the_marked_run(tmp_path):
    import os

    db = os.path.join(os.path.dirname(__file__), "..", "data", "epoch_small.csv")
    r = costmodel.run("trends", db, "--top-n", "3", "--usd-year", "2023", "--mark", "deepseek-v3")
    ax = cplot.trend(r, label_top=2)
    assert ax.get_yscale() == "log"
    pts = ax.collections[0].get_offsets()
    assert len(pts) == r.n
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "DeepSeek-V3 (ownership)" in texts and "DeepSeek-V3 (rental)" in texts
    assert f"{r.growth_per_year:.2f}x per year" in ax.get_legend_handles_labels()[1][1]
    save(ax, tmp_path / "trend.png")


def test_trend_example_writes_its_png(tmp_path):
    import os
    import subprocess
    import sys

    here = os.path.dirname(__file__)
    db = os.path.join(here, "..", "data", "epoch_small.csv")
    script = os.path.join(here, "..", "..", "examples", "python", "trend.py")
    out = subprocess.run([sys.executable, script, db, "--out", str(tmp_path)], check=True,
                         capture_output=True, text=True, env=dict(os.environ)).stdout
    assert "per year (90% CI" in out and "N = " in out
    assert (tmp_path / "trend.png").stat().st_size > 10_000
