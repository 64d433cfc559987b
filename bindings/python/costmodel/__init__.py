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


import os as _os
from typing import Any as _Any
from typing import Dict as _Dict
from typing import Iterable as _Iterable
from typing import List as _List

from . import _costmodel

# A package installed by pip carries the bundled presets beside this file: read those first,
# never the source tree it was built from.
_here = _os.path.dirname(_os.path.abspath(__file__))
if _os.path.isdir(_os.path.join(_here, "presets")):
    _costmodel._set_package_presets(_os.path.join(_here, "presets"))

from ._costmodel import (  # noqa: E402
    Error,
    Estimate,
    InputError,
    Phase,
    PresetError,
    Scenario,
    __version__,
    evaluate_keys,
    list_accelerators,
    list_presets,
    preset_dirs,
    reload,
    to_toml,
)
from ._api import compare, estimate, evaluate, load, loads, scenario  # noqa: E402
from .commands import (  # noqa: E402
    Record,
    Result,
    audit,
    check_claims,
    plan,
    run,
    sensitivity,
    sweep,
)

__all__ = [
    "Error",
    "Estimate",
    "InputError",
    "Phase",
    "PresetError",
    "Record",
    "Result",
    "Scenario",
    "__version__",
    "audit",
    "bundled_path",
    "check_claims",
    "compare",
    "estimate",
    "evaluate",
    "evaluate_keys",
    "list_accelerators",
    "list_presets",
    "load",
    "load_preset",
    "loads",
    "plan",
    "preset_dirs",
    "records",
    "reload",
    "run",
    "scenario",
    "sensitivity",
    "sweep",
    "to_toml",
]

load_preset = load  # the name notebooks tend to reach for


def _flatten(prefix: str, value: _Any, row: _Dict[str, _Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}_{k}" if prefix else str(k), v, row)
    elif isinstance(value, (list, tuple)):
        row[prefix] = "; ".join(str(x) for x in value)
    else:
        row[prefix] = value


def records(results: _Iterable[Estimate], phases: bool = False) -> _List[_Dict[str, _Any]]:
    """Flat dicts, one per result (or per phase with ``phases=True``), for ``pandas.DataFrame``.

    Keys are the ``to_dict()`` keys joined by ``_``: ``gpu_hours``, ``cost_usd_rental``,
    ``reported_gpu_hours``, ``implied_mfu_by_precision_bf16``...; lists become ``"; "``-joined
    text; values are floats, str or None. Each row starts with ``scenario`` (the id), and with
    ``phase`` when ``phases=True``.
    """
    rows: _List[_Dict[str, _Any]] = []
    for r in results:
        d = r.to_dict()
        if phases:
            for p in d["phases"]:
                row: _Dict[str, _Any] = {"scenario": d["id"], "phase": p["name"]}
                _flatten("", {k: v for k, v in p.items() if k != "name"}, row)
                rows.append(row)
        else:
            row = {"scenario": d["id"]}
            _flatten("", {k: v for k, v in d.items() if k not in ("id", "phases")}, row)
            rows.append(row)
    return rows


def bundled_path(relative: str) -> str:
    """The path of a file among the presets searched (``"claims/deepseek-gpt4.toml"``,
    ``"runs/gpt-4.toml"``): the first folder of :func:`preset_dirs` that has it.

    >>> import costmodel, os
    >>> os.path.basename(costmodel.bundled_path("runs/gpt-4.toml"))
    'gpt-4.toml'
    """
    for d in preset_dirs():
        p = _os.path.join(d, relative)
        if _os.path.exists(p):
            return p
    raise InputError(f"no preset folder has '{relative}' (searched: {', '.join(preset_dirs())})")
