# SPDX-License-Identifier: MIT
"""Plots of costmodel results (needs matplotlib; ``import costmodel.plot``).

Every function draws on ``ax`` (a new figure when None) and returns the Axes, so callers can
save it (``ax.figure.savefig("x.png")``) or add to it. Headless scripts and tests should use the
Agg backend (``MPLBACKEND=Agg``). Costs are rental costs in USD unless ``output`` says else.
"""

from __future__ import annotations

from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

try:
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "costmodel.plot needs matplotlib (Debian: apt-get install python3-matplotlib)"
    ) from exc

from . import Estimate, Scenario, estimate, evaluate, load

__all__ = ["comparison", "sweep", "tornado", "trend", "usd"]

ScenarioLike = Union[str, Scenario]


def usd(v: float) -> str:
    """$5.58M, $74.8M, $1.2B, $950k: money as people read it."""
    a = abs(v)
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= scale:
            x = v / scale
            return f"${x:.3g}{suffix}"
    return f"${v:.3g}"


def _axes(ax: Any, size: Tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _money_axis(axis: Any) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: usd(v)))


def comparison(
    results: Sequence[Estimate],
    by: str = "phase",
    log: bool = True,
    ax: Any = None,
    title: Optional[str] = None,
) -> Any:
    """Cost per scenario as grouped bars: one bar per phase (``by="phase"``) or per cost
    method (``by="method"``), with each run's total written above its group.

    Bars sit side by side rather than stacked, so that a log scale (the default: runs span
    $1k to $100M+) stays honest. Phase bars show each phase's rental cost.
    """
    if by not in ("phase", "method"):
        raise ValueError(f"comparison: by must be 'phase' or 'method', got {by!r}")
    results = list(results)
    if not results:
        raise ValueError("comparison: no results to plot")
    ax = _axes(ax, (max(6.0, 1.3 * len(results) + 2.0), 5.0))

    groups: List[List[Tuple[str, float]]] = []
    for r in results:
        if by == "phase":
            bars = [(p.name, p.cost_usd.get("rental")) for p in r.phases]
        else:
            bars = list(r.cost_usd.items())
        groups.append([(k, v) for k, v in bars if v is not None and v > 0])
    labels: List[str] = []
    for g in groups:
        for k, _ in g:
            if k not in labels:
                labels.append(k)
    cmap = plt.get_cmap("tab10")
    colours = {k: cmap(i % 10) for i, k in enumerate(labels)}

    drawn = set()
    for i, (r, g) in enumerate(zip(results, groups)):
        width = min(0.5, 0.85 / max(1, len(g)))
        start = i - width * (len(g) - 1) / 2
        for j, (k, v) in enumerate(g):
            ax.bar(
                start + j * width,
                v,
                width * 0.95,
                color=colours[k],
                label=k if k not in drawn else None,
            )
            drawn.add(k)
        # The headline is a cost of the run: rental, else ownership; the purchase of the cluster is
        # a bar of its own (labelled), never the figure above the group.
        total = r.cost_usd.get("rental") if by == "phase" else (
            r.cost_usd.get("rental") or r.cost_usd.get("ownership")
        )
        if total:
            top = max(v for _, v in g) if g else total
            ax.annotate(
                usd(total),
                (i, top),
                xytext=(0, 4),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=9,
                fontweight="bold",
            )
    ax.set_xticks(range(len(results)))
    ax.set_xticklabels([r.name for r in results], rotation=30, ha="right")
    if log:
        ax.set_yscale("log")
    _money_axis(ax.yaxis)
    ax.set_ylabel("rental cost (USD)" if by == "phase" else "cost by method (USD)")
    ax.margins(y=0.15)
    if log:
        lo, hi = ax.get_ylim()
        ax.set_ylim(lo, hi * 3)  # room for the totals above the bars
    ax.grid(axis="y", which="major", alpha=0.3)
    ax.legend(title="phase" if by == "phase" else "method", fontsize=8, title_fontsize=9)
    bases = sorted({str(getattr(getattr(r, "total", r), "price_basis", "") or "?") for r in results})
    basis = "price basis " + (bases[0] if len(bases) == 1 else "MIXED: " + ", ".join(bases))
    default = "Training cost by phase" if by == "phase" else (
        "Training cost by method (purchase = buying the cluster, not a cost of the run)"
    )
    ax.set_title(title or f"{default}; {basis}")
    return ax


def sweep(
    scenario: ScenarioLike,
    key: str,
    values: Iterable[float],
    output: str = "cost_usd_rental",
    overrides: Optional[Mapping[str, Any]] = None,
    ax: Any = None,
    label: Optional[str] = None,
) -> Any:
    """``output`` (a key of ``evaluate()``) against ``key`` swept over ``values``; the
    scenario's own estimate is marked with a dot where its input is known."""
    import numpy as np

    s = load(scenario, overrides) if isinstance(scenario, str) else scenario
    if overrides and not isinstance(scenario, str):
        s = s.with_overrides(dict(overrides))
    x = np.asarray(list(values), dtype=float)
    y = evaluate(s, {key: x})[output]
    ax = _axes(ax, (7.0, 4.5))
    ax.plot(x, y, label=label or s.name)
    base = estimate(s)
    base_y = {
        "cost_usd_rental": base.cost_usd.get("rental"),
        "gpu_hours": base.gpu_hours,
        "wall_clock_days": base.wall_clock_days,
        "compute_flop": base.compute_flop,
        "mfu": base.mfu,
    }.get(output)
    base_x, how = _input_value(base, key)
    if base_x is not None and base_y is not None:
        ax.plot([base_x], [base_y], "o", color="black")
        ax.annotate(f"{s.name} {how}, {_input_text(key, base_x)}", (base_x, base_y),
                    xytext=(6, 6), textcoords="offset points", fontsize=8)
    ax.set_xlabel(_input_label(key))
    _input_axis(ax.xaxis, key)
    ax.set_ylabel(_output_label(output))
    if output.startswith("cost_usd"):
        _money_axis(ax.yaxis)
    ax.grid(alpha=0.3)
    title = f"{s.name}: {_output_label(output)} against {_input_label(key)}"
    if output.startswith("cost_usd"):
        title += f"\nprice basis: {base.price_basis or 'unknown'}"
    ax.set_title(title)
    return ax


def tornado(
    scenario: ScenarioLike,
    ranges: Mapping[str, Tuple[float, float]],
    output: str = "cost_usd_rental",
    ax: Any = None,
) -> Any:
    """How far ``output`` moves when each input goes from its low to its high value, the
    others as loaded: one horizontal bar per input, the widest on top."""
    s = load(scenario) if isinstance(scenario, str) else scenario
    base = evaluate(s, {})[output].item()
    rows = []
    for key, (lo, hi) in ranges.items():
        out = evaluate(s, {key: [lo, hi]})[output]
        rows.append((key, lo, hi, float(out[0]), float(out[1])))
    rows.sort(key=lambda r: abs(r[4] - r[3]))
    ax = _axes(ax, (8.0, 1.0 + 0.6 * len(rows)))
    for i, (key, lo, hi, ylo, yhi) in enumerate(rows):
        for y, colour, text, name in (
            (ylo, "tab:blue", _input_text(key, lo), "low value"),
            (yhi, "tab:orange", _input_text(key, hi), "high value"),
        ):
            ax.barh(i, y - base, left=base, color=colour, height=0.6, label=name if i == 0 else None)
            if y == base:
                continue  # no bar: the output does not depend on this input here
            ax.annotate(
                text,
                (y, i),
                xytext=(4 if y > base else -4, 0),
                textcoords="offset points",
                ha="left" if y > base else "right",
                va="center",
                fontsize=8,
            )
        if ylo == base and yhi == base:
            ax.annotate("no effect", (base, i), xytext=(4, 0), textcoords="offset points",
                        va="center", fontsize=8, color="grey")
    ax.axvline(base, color="black", linewidth=1)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([_input_label(r[0]) for r in rows])
    ax.set_xlabel(f"{_output_label(output)} (line: as loaded, {_fmt(output, base)})")
    if output.startswith("cost_usd"):
        _money_axis(ax.xaxis)
    ax.margins(x=0.15)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(f"{s.name}: what moves {_output_label(output)}")
    return ax


def _output_label(output: str) -> str:
    return {
        "cost_usd_rental": "rental cost (USD)",
        "gpu_hours": "GPU-hours",
        "wall_clock_days": "wall-clock days",
        "compute_flop": "compute (FLOP)",
        "mfu": "effective MFU",
    }.get(output, output.replace("cost_usd_", "").replace("_", " ") + (
        " (USD)" if output.startswith("cost_usd_") else ""))


# evaluate()'s keys as people read them, with their units; ratios are shown in %.
_INPUT_LABELS = {
    "efficiency.mfu": "MFU (model FLOPs utilisation, %)",
    "efficiency.goodput": "goodput (share of reserved time that trains, %)",
    "pricing.usd_per_gpu_hour": "price (USD per GPU-hour)",
    "hardware.count": "accelerators",
    "training.tokens": "training tokens",
    "model.parameters": "parameters",
    "model.active_parameters": "active parameters",
    "training.compute_flop": "training compute (FLOP)",
}
_PERCENT_KEYS = ("efficiency.mfu", "efficiency.goodput")


def _base_key(key: str) -> Tuple[str, str]:
    """("efficiency.mfu", "pre-training") for "phases.pre-training.efficiency.mfu"."""
    if key.startswith("phases."):
        for k in _INPUT_LABELS:
            if key.endswith("." + k):
                return k, key[len("phases."):-len(k) - 1]
    return key, ""


def _input_label(key: str) -> str:
    k, phase = _base_key(key)
    label = _INPUT_LABELS.get(k, key)
    return f"{label}, {phase}" if phase else label


def _input_text(key: str, v: float) -> str:
    k, _ = _base_key(key)
    if k in _PERCENT_KEYS:
        return f"{v * 100:.3g}%"
    if k == "pricing.usd_per_gpu_hour":
        return f"${v:.3g}"
    return f"{v:.3g}"


def _input_axis(axis: Any, key: str) -> None:
    if _base_key(key)[0] in _PERCENT_KEYS:
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v * 100:.0f}%"))
    elif _base_key(key)[0] == "pricing.usd_per_gpu_hour":
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"${v:g}"))


def _fmt(output: str, v: float) -> str:
    return usd(v) if output.startswith("cost_usd") else f"{v:.3g}"


def _input_value(result: Estimate, key: str) -> Tuple[Optional[float], str]:
    """The value of an evaluate() key in a result and how it is known ("as loaded", or "as
    reported" for an MFU that the reported GPU-hours imply), when every phase has the same one;
    for MFU, the run's effective MFU when its phases differ."""
    if key == "efficiency.mfu":
        bases = {p.mfu_basis for p in result.phases}
        how = "as loaded" if bases <= {"input", "default"} else "as reported"
        return result.mfu, how
    per_phase = {
        "efficiency.goodput": [p.goodput for p in result.phases],
        "pricing.usd_per_gpu_hour": [p.usd_per_gpu_hour for p in result.phases],
        "hardware.count": [p.count for p in result.phases],
    }.get(key, [])
    values = set(per_phase)
    if len(values) == 1 and None not in values and len(per_phase) == len(result.phases):
        return values.pop(), "as loaded"
    return None, ""


def _decimal_year(date: str) -> float:
    """Epoch AI's decimal year of YYYY[-MM[-DD]] (as ``costmodel trends`` fits it)."""
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return parts[0] + (parts[1] - 1) / 12 + (parts[2] - 1) / 365


def trend(
    result: Any,
    ax: Any = None,
    label_top: int = 0,
    title: Optional[str] = None,
) -> Any:
    """The trend of ``costmodel trends``: cost against publication date on a log scale, the
    systems of the fit, the fitted line with its 90% prediction band (Student t), and the runs
    given with ``--mark`` labelled.

    ``result`` is ``costmodel.run("trends", "DB.csv", ...)`` (or its JSON as a dict).
    ``label_top`` labels that many systems farthest from the line.
    """
    import numpy as np

    data = result.to_dict() if hasattr(result, "to_dict") else dict(result)
    method = data["method"]
    pts = [s for s in data["systems"] if s["in_fit"]]
    x = np.array([_decimal_year(s["date"]) for s in pts])
    y = np.log10([s["cost_usd"][method] for s in pts])
    ax = _axes(ax, (8.0, 5.0))
    ax.scatter(x, 10 ** y, s=14, color="tab:blue", label=f"top-{data['top_n']} systems")
    b, a = data["slope_log10_per_year"], data["intercept_log10"]
    n = len(x)
    sd = data["residual_sd_log10"]
    sxx = float(((x - x.mean()) ** 2).sum())
    # Student's t(0.95, N - 2), from the printed interval: log10(high) = slope + t sd / sqrt(Sxx).
    t = (np.log10(data["ci90"][1]) - b) / (sd / np.sqrt(sxx))
    grid = np.linspace(x.min(), max(x.max(), *[_decimal_year(m["date"]) for m in data["marks"]]
                                    or [x.max()]), 200)
    half = t * sd * np.sqrt(1 + 1 / n + (grid - x.mean()) ** 2 / sxx)
    line = a + b * grid
    lo, hi = data["ci90"]
    ax.plot(grid, 10 ** line, color="black",
            label=f"{data['growth_per_year']:.2f}x per year (90% CI {lo:.2f}-{hi:.2f}), N = {n}")
    ax.fill_between(grid, 10 ** (line - half), 10 ** (line + half), color="grey", alpha=0.2,
                    label="90% prediction band")
    if label_top > 0:
        far = sorted(pts, key=lambda s: -abs(s["residual_log10"]))[:label_top]
        for s in far:
            ax.annotate(s["system"], (_decimal_year(s["date"]), s["cost_usd"][method]),
                        xytext=(4, 4), textcoords="offset points", fontsize=7)
    for m in data["marks"]:
        mx = _decimal_year(m["date"])
        for how, p in m["on_trend"].items():
            ax.plot([mx], [p["cost_usd"]], "D", color="tab:red" if how == method else "tab:orange")
            ax.annotate(f"{m['name']} ({how}) {usd(p['cost_usd'])}, {p['ratio']:.2g}x the line",
                        (mx, p["cost_usd"]), xytext=(-6, 6), textcoords="offset points",
                        fontsize=8, ha="right")
    ax.set_yscale("log")
    _money_axis(ax.yaxis)
    ax.set_xlabel("publication date")
    ax.set_ylabel(f"{method} cost ({data['dollars']})")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title(title or f"Frontier training costs ({method}, {data['dollars']})")
    return ax
