# SPDX-License-Identifier: MIT
"""costmodel: what it costs to train an AI model, and why.

The same model as the ``costmodel`` calculator (a C++ library, bound with pybind11), for
notebooks and scripts::

    import costmodel
    r = costmodel.estimate("deepseek-v3")
    r.cost_usd["rental"]                      # 5576000.0 (USD)
    s = costmodel.load("deepseek-v3").with_overrides({"efficiency.mfu": 0.45})
    costmodel.evaluate(s, {"pricing.usd_per_gpu_hour": numpy.linspace(1, 4, 100)})

Quantities are floats in unit-named attributes (``gpu_hours``, ``cost_usd``,
``wall_clock_days``). Errors raise ``InputError`` or ``PresetError`` (both ``ValueError``) with
the calculator's message. Plots are in ``costmodel.plot`` (needs matplotlib).
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List

from ._costmodel import (
    Error,
    Estimate,
    InputError,
    Phase,
    PresetError,
    Scenario,
    __version__,
    compare,
    estimate,
    evaluate,
    evaluate_keys,
    list_accelerators,
    list_presets,
    load,
    loads,
    reload,
    scenario,
    to_toml,
)

__all__ = [
    "Error",
    "Estimate",
    "InputError",
    "Phase",
    "PresetError",
    "Scenario",
    "__version__",
    "compare",
    "estimate",
    "evaluate",
    "evaluate_keys",
    "list_accelerators",
    "list_presets",
    "load",
    "load_preset",
    "loads",
    "records",
    "reload",
    "scenario",
    "to_toml",
]

load_preset = load  # the name notebooks tend to reach for


def _flatten(prefix: str, value: Any, row: Dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}_{k}" if prefix else str(k), v, row)
    elif isinstance(value, (list, tuple)):
        row[prefix] = "; ".join(str(x) for x in value)
    else:
        row[prefix] = value


def records(results: Iterable[Estimate], phases: bool = False) -> List[Dict[str, Any]]:
    """Flat dicts, one per result (or per phase with ``phases=True``), for ``pandas.DataFrame``.

    Keys are the ``to_dict()`` keys joined by ``_``: ``gpu_hours``, ``cost_usd_rental``,
    ``reported_gpu_hours``, ``implied_mfu_by_precision_bf16``...; lists become ``"; "``-joined
    text; values are floats, str or None. Each row starts with ``scenario`` (the id), and with
    ``phase`` when ``phases=True``.
    """
    rows: List[Dict[str, Any]] = []
    for r in results:
        d = r.to_dict()
        if phases:
            for p in d["phases"]:
                row: Dict[str, Any] = {"scenario": d["id"], "phase": p["name"]}
                _flatten("", {k: v for k, v in p.items() if k != "name"}, row)
                rows.append(row)
        else:
            row = {"scenario": d["id"]}
            _flatten("", {k: v for k, v in d.items() if k not in ("id", "phases")}, row)
            rows.append(row)
    return rows
