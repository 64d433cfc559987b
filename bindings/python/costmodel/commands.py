# SPDX-License-Identifier: MIT
"""The calculator's commands as functions: audit, check_claims, sweep, sensitivity, plan, run.

Each function runs the calculator's own command in this process (the C++ code behind
``costmodel audit ... --format json``) and wraps its JSON in a read-only :class:`Result`, so a
result's ``to_dict()`` has exactly the keys and values of the command line's JSON: one writer,
no drift. ``repr()`` of a result is the calculator's table; in a notebook it shows as an HTML
table (``_repr_html_``).
"""

from __future__ import annotations

import html
import json
import os
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from ._costmodel import InputError, _execute

__all__ = [
    "Record",
    "Result",
    "audit",
    "check_claims",
    "plan",
    "run",
    "sensitivity",
    "sweep",
]

Value = Union[str, bool, int, float]


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return Record(value)
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, Record):
        return {k: _thaw(v) for k, v in value._items.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


class Record(Mapping[str, Any]):
    """A read-only JSON object: keys as items (``r["verdict"]``) and as attributes
    (``r.verdict``); nested objects are Records and lists are tuples.

    >>> r = Record({"verdict": "consistent", "figures": [1, 2]})
    >>> r.verdict, r["figures"]
    ('consistent', (1, 2))
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_items", {str(k): _freeze(v) for k, v in items.items()})

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._items[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("costmodel results are read-only")

    def __dir__(self) -> List[str]:
        return sorted(set(self._items) | {"to_dict"})

    def to_dict(self) -> Dict[str, Any]:
        """A plain (mutable) copy: dicts and lists, as ``json.loads`` of the calculator's output."""
        out: Dict[str, Any] = _thaw(self)
        return out

    def __repr__(self) -> str:
        return f"Record({self.to_dict()!r})"


def _markdown_to_html(text: str) -> str:
    """The calculator's Markdown output as HTML: pipe tables become <table>, the rest <p>."""
    parts: List[str] = []
    rows: List[List[str]] = []

    def flush() -> None:
        if not rows:
            return
        head, body = rows[0], rows[1:]
        cells = "".join(f"<th>{html.escape(c)}</th>" for c in head)
        out = [f"<table><thead><tr>{cells}</tr></thead><tbody>"]
        for r in body:
            out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>")
        out.append("</tbody></table>")
        parts.append("".join(out))
        rows.clear()

    for line in text.splitlines():
        s = line.strip()
        if s.startswith("|") and s.endswith("|"):
            cells = [c.strip() for c in s[1:-1].split("|")]
            if all(c and set(c) <= set("-: ") for c in cells):
                continue  # the alignment row
            rows.append(cells)
            continue
        flush()
        if s.startswith("#"):
            level = min(len(s) - len(s.lstrip("#")), 6)
            parts.append(f"<h{level}>{html.escape(s.lstrip('#').strip())}</h{level}>")
        elif s:
            parts.append(f"<p>{html.escape(s.lstrip('-* ').strip())}</p>")
    flush()
    return "<div class=\"costmodel\">" + "".join(parts) + "</div>"


class Result(Record):
    """The result of one calculator command: the command line's JSON as a read-only
    :class:`Record`, with the command that made it.

    ``to_dict()`` is the JSON; ``to_frame()`` a pandas DataFrame of its rows (when the command
    has rows); ``repr()`` the calculator's own table; ``_repr_html_()`` the same as HTML.
    """

    __slots__ = ("_args",)

    def __init__(self, args: Sequence[str], data: Mapping[str, Any]) -> None:
        super().__init__(data)
        object.__setattr__(self, "_args", tuple(args))

    @property
    def command(self) -> Tuple[str, ...]:
        """The calculator's arguments that made this result (without ``--format``)."""
        args: Tuple[str, ...] = self._args
        return args

    def _text(self, fmt: str) -> str:
        return str(_execute([*self._args, "--format", fmt]))

    def __repr__(self) -> str:
        return self._text("table").rstrip("\n")

    def _repr_html_(self) -> str:
        return _markdown_to_html(self._text("markdown"))

    def rows(self) -> List[Dict[str, Any]]:
        """The result's rows as flat dicts (nested keys joined by ``_``): the ``points``,
        ``claims``, ``inputs`` or ``scenarios`` list of the JSON, else the whole object."""
        d = self.to_dict()
        for key in ("rows", "points", "claims", "results", "scenarios", "inputs", "systems"):
            if isinstance(d.get(key), list) and d[key] and isinstance(d[key][0], dict):
                return [_flat(r) for r in d[key]]
        return [_flat(d)]

    def to_frame(self) -> Any:
        """``pandas.DataFrame(self.rows())``; needs pandas."""
        import pandas as pd  # optional dependency

        return pd.DataFrame(self.rows())


def _flat(d: Mapping[str, Any], prefix: str = "") -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}_{k}" if prefix else str(k)
        if isinstance(v, dict):
            out.update(_flat(v, key))
        elif isinstance(v, list) and v and all(not isinstance(x, (dict, list)) for x in v):
            out[key] = "; ".join(str(x) for x in v)
        elif isinstance(v, list):
            out[key] = json.dumps(v)
        else:
            out[key] = v
    return out


def _value_text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return value
    raise InputError(f"expected a str, int, float or bool, got {type(value).__name__}")


def _scenario_arg(scenario: Any) -> Tuple[str, List[str]]:
    """A scenario argument as the calculator's SCENARIO and its --set options."""
    if isinstance(scenario, (str, os.PathLike)):
        return os.fspath(scenario), []
    source = getattr(scenario, "source_file", "") or ""
    sid = getattr(scenario, "id", "") or ""
    overrides = list(getattr(scenario, "overrides", []) or [])
    if source and os.path.exists(source):
        ref = source
    elif sid:
        ref = sid
    else:
        raise InputError(
            "this command takes a bundled id, a path, or a Scenario loaded from one; a Scenario "
            "built from a dict or text has no file for the calculator to read")
    sets: List[str] = []
    for o in overrides:
        sets += ["--set", o]
    return ref, sets


def _sets(overrides: Optional[Mapping[str, Value]]) -> List[str]:
    out: List[str] = []
    for k, v in (overrides or {}).items():
        out += ["--set", f"{k}={_value_text(v)}"]
    return out


def _listed(option: str, values: Union[None, str, Sequence[str]]) -> List[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: List[str] = []
    for v in values:
        out += [option, v]
    return out


def _result(args: List[str]) -> Result:
    text = _execute([*args, "--format", "json"])
    return Result(args, json.loads(text))


def run(*args: str) -> Result:
    """Any calculator command, by its arguments, as a Result (``--format json`` is added).

    >>> import costmodel
    >>> costmodel.run("estimate", "deepseek-v3", "--samples", "0").gpu_hours
    2788000
    """
    return _result(list(args))


def audit(
    scenario: Any = None,
    claim: Union[None, str, Sequence[str]] = None,
    claims: Optional[Union[str, "os.PathLike[str]"]] = None,
    overrides: Optional[Mapping[str, Value]] = None,
) -> Result:
    """``costmodel audit``: reported figures against the model, and claims checked.

    ``claim`` is one claim or a list (``"cost_usd=5.6e9"``); ``claims`` a claims file.

    >>> import costmodel
    >>> costmodel.audit("deepseek-r1", claim="cost_usd=5.6e9").claims[0].verdict
    'implausible'
    """
    args = ["audit"]
    if scenario is not None:
        ref, sets = _scenario_arg(scenario)
        args += [ref, *sets]
    args += _listed("--claim", claim)
    if claims is not None:
        args += ["--claims", os.fspath(claims)]
    return _result(args + _sets(overrides))


def check_claims(claims: Union[str, "os.PathLike[str]"], scenario: Any = None) -> Result:
    """Every claim of a claims file (``presets/claims/*.toml``) checked: ``audit --claims``.

    >>> import costmodel
    >>> r = costmodel.check_claims(costmodel.bundled_path("claims/deepseek-gpt4.toml"))
    >>> len(r.claims) > 5
    True
    """
    return audit(scenario, claims=claims)


def sweep(
    scenario: Any,
    vary: Union[str, Sequence[str], Mapping[str, Sequence[Value]]],
    overrides: Optional[Mapping[str, Value]] = None,
) -> Result:
    """``costmodel sweep``: the estimate over a grid. ``vary`` is the calculator's
    ``KEY=START:STOP:STEP`` or ``KEY=A,B,C`` text (or a list of them), or a dict
    ``{key: [values]}``.

    >>> import costmodel
    >>> len(costmodel.sweep("deepseek-v3", {"efficiency.mfu": [0.3, 0.4]}).rows())
    2
    """
    if isinstance(vary, Mapping):
        vary = [f"{k}=" + ",".join(_value_text(x) for x in v) for k, v in vary.items()]
    ref, sets = _scenario_arg(scenario)
    return _result(["sweep", ref, *sets, *_listed("--vary", vary), *_sets(overrides)])


def sensitivity(scenario: Any, overrides: Optional[Mapping[str, Value]] = None) -> Result:
    """``costmodel sensitivity``: which input moves the cost most (a tornado's figures).

    >>> import costmodel
    >>> r = costmodel.sensitivity("gpt-4")
    >>> isinstance(r.to_dict(), dict)
    True
    """
    ref, sets = _scenario_arg(scenario)
    return _result(["sensitivity", ref, *sets, *_sets(overrides)])


def plan(**options: Value) -> Result:
    """``costmodel plan``: keyword arguments are its options with ``_`` for ``-``
    (``budget_usd="5.576M"``, ``accelerator="h800-sxm"``, ``compute_flop=5.76e23``); ``True``
    passes a flag.

    >>> import costmodel
    >>> r = costmodel.plan(compute_flop=5.76e23, accelerator="a100-sxm-80gb", days=30)
    >>> isinstance(r.to_dict(), dict)
    True
    """
    args = ["plan"]
    for k, v in options.items():
        opt = "--" + k.replace("_", "-")
        if v is True:
            args.append(opt)
        elif v is False or v is None:
            continue
        else:
            args += [opt, _value_text(v)]
    return _result(args)
