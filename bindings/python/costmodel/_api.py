# SPDX-License-Identifier: MIT
"""The package's front functions: real signatures for ``help()``, docstrings with examples that
run (doctest), and errors in Python's terms.

The C++ core reports a bad override as the calculator would (``--set: key 'efficiency.mfu':
...``, ``.file == "--set"``) and a bad dict scenario at a line of the TOML text it was written
to (``<dict>/custom.toml:15:7``), a file the user never wrote. Here those become errors that
name what the user did write: the override or the dict key, with its value.
"""

import contextlib
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Union

from . import _costmodel
from ._costmodel import Error, Estimate, PresetError, Scenario

Value = Union[str, bool, int, float]
Overrides = Optional[Mapping[str, Value]]

_MISSING = object()


def _lookup(tree: Any, key: str) -> Any:
    """The value at dotted `key` in nested dicts that may also use dotted keys."""
    if not isinstance(tree, Mapping):
        return _MISSING
    if key in tree:
        return tree[key]
    parts = key.split(".")
    for i in range(len(parts) - 1, 0, -1):
        head, rest = ".".join(parts[:i]), ".".join(parts[i:])
        if head in tree:
            found = _lookup(tree[head], rest)
            if found is not _MISSING:
                return found
    return _MISSING


def _expected(message: str, key: str) -> str:
    """What the core says was expected: the message after its location and key."""
    marker = f"key '{key}': "
    at = message.find(marker)
    return message[at + len(marker):] if at >= 0 else message


def _preset_error(message: str, key: str, kind: str) -> PresetError:
    e = PresetError(message)
    e.kind = kind
    e.file = ""
    e.line = 0
    e.column = 0
    e.key = key
    return e


def _point(inputs: Mapping[str, Any], key: str, notes: List[str]) -> str:
    """` [i] = v` for evaluate()'s failing point, from its note "evaluate: at index i"."""
    for n in notes:
        if n.startswith("evaluate: at index "):
            index = n[len("evaluate: at index "):].split()[0].rstrip(":,;")
            try:
                import numpy as np

                value = np.ravel(np.asarray(inputs[key]))[int(index)]
                return f"[{index}] = {float(value)!r}"
            except (ValueError, IndexError, TypeError, ImportError):
                return f"[{index}]"
    return ""


@contextlib.contextmanager
def _python_terms(overrides: Overrides = None, data: Any = None,
                  inputs: Optional[Mapping[str, Any]] = None) -> Iterator[None]:
    try:
        yield
    except PresetError as e:
        file, key = getattr(e, "file", ""), getattr(e, "key", "")
        notes: List[str] = list(getattr(e, "__notes__", []))
        where = ""
        if file == "--set" and key and inputs is not None and key in inputs:
            where = f"inputs: {key!r}{_point(inputs, key, notes)}"
        elif file == "--set" and key:
            value = _lookup(overrides or {}, key)
            where = f"overrides: {key!r}" + ("" if value is _MISSING else f" = {value!r}")
        elif data is not None and file.startswith("<dict>") and key:
            value = _lookup(data, key)
            where = f"scenario: {key!r}" + ("" if value is _MISSING else f" = {value!r}")
        if not where:
            raise
        new = _preset_error(f"{where}: {_expected(str(e), key)}", key, getattr(e, "kind", ""))
        for n in notes:
            new.add_note(n)
        raise new from None


ScenarioLike = Any  # a bundled id, a path (str or os.PathLike), or a Scenario


def load(id_or_path: Any, overrides: Overrides = None, *,
         allow_paths: Optional[Sequence[Any]] = None) -> Scenario:
    """A bundled run (``"deepseek-v3"``) or a scenario file, with optional overrides
    (``{"efficiency.mfu": 0.45}``, the calculator's ``--set``).

    >>> import costmodel
    >>> costmodel.load("deepseek-v3", {"efficiency.mfu": 0.45}).overrides
    ['efficiency.mfu=0.45']

    ``extends`` reads bundled ids and files beside the scenario or on the preset search path;
    ``allow_paths`` ([folder, ...]) opens more folders. Raises PresetError (a broken file, a
    bad override: named by its key and value) or InputError.
    """
    with _python_terms(overrides):
        s: Scenario = _costmodel.load(id_or_path, overrides, allow_paths=allow_paths)
        return s


def loads(text: str, source_name: str = "<string>/custom.toml",
          overrides: Overrides = None, *,
          allow_paths: Optional[Sequence[Any]] = None) -> Scenario:
    """A scenario from TOML text (the format of scenario files); errors name ``source_name``.
    ``extends`` reads bundled ids and files in ``source_name``'s folder only, so text from
    elsewhere cannot read the host's files; ``allow_paths`` ([folder, ...]) opens more.

    >>> import costmodel
    >>> s = costmodel.loads('schema = 1\\nname = "tiny"\\n[model]\\nparameters = 1e9\\n'
    ...                     '[training]\\ntokens = 2e10\\n[hardware]\\naccelerator = "h100-sxm"\\n')
    >>> s.name
    'tiny'
    """
    with _python_terms(overrides):
        s: Scenario = _costmodel.loads(text, source_name, overrides, allow_paths=allow_paths)
        return s


def scenario(data: Optional[Mapping[str, Any]] = None, overrides: Overrides = None,
             **sections: Any) -> Scenario:
    """A scenario from a dict (sections as dicts or dotted keys, ``phases`` as a list of dicts,
    sourced values as ``{"value": ..., "source": ...}``, ranges as ``{"value": ..., "low": ...,
    "high": ...}``) and/or keyword sections. An error names the dict key and its value.

    >>> import costmodel
    >>> s = costmodel.scenario(name="my run", model={"parameters": 7e9},
    ...                        training={"tokens": 2e12},
    ...                        hardware={"accelerator": "h100-sxm", "count": 512})
    >>> r = costmodel.estimate(s)
    >>> r.phases[0].mfu_basis  # no MFU given: Epoch AI's median
    'default'
    >>> round(6 * 7e9 * 2e12 / (r.peak_tflops * 1e12 * 3600 * r.mfu)) == round(r.gpu_hours)
    True
    >>> costmodel.scenario(name="bad", model={"parameters": 7e9}, training={"tokens": 2e12},
    ...                    hardware={"accelerator": "h100-sxm"}, efficiency={"mfu": 1.5})
    Traceback (most recent call last):
    ...
    costmodel.PresetError: scenario: 'efficiency.mfu' = 1.5: expected a ratio in (0, 1], got 1.5
    """
    tree: Dict[str, Any] = dict(data or {})
    tree.update(sections)
    with _python_terms(overrides, tree):
        s: Scenario = _costmodel.scenario(data, overrides, **sections)
        return s


def estimate(scenario: ScenarioLike, overrides: Overrides = None, samples: int = 100000,
             seed: int = 1) -> Estimate:
    """Runs the model: per phase and in total, FLOP, GPU-hours, wall-clock, every cost method.
    A scenario with ranges also gets the calculator's Monte Carlo (``samples`` draws from
    ``seed``; 0 for none), whose P5/P50/P95 are in ``to_dict()`` as in ``costmodel estimate
    --format json``.

    >>> import costmodel
    >>> costmodel.estimate("deepseek-v3").cost_usd["rental"]
    5576000.0
    >>> costmodel.estimate("gpt-4", seed=7).to_dict()["gpu_hours_p50"] > 0
    True
    """
    with _python_terms(overrides):
        r: Estimate = _costmodel.estimate(scenario, overrides, samples, seed)
        return r


def compare(scenarios: Sequence[ScenarioLike], overrides: Overrides = None,
            samples: int = 100000, seed: int = 1,
            price_basis: Optional[str] = None) -> List[Estimate]:
    """Estimates several scenarios with the same overrides, like ``costmodel compare``: every
    run on one price basis (``price_basis``, default the calculator's, 3-year committed prices
    at acquisition; ``"reported"`` compares the runs' own prices), unless the overrides set
    ``pricing.basis`` or a price.

    >>> import costmodel
    >>> rs = costmodel.compare(["deepseek-v3", "gpt-4"])
    >>> [r.id for r in rs], sorted({r.price_basis for r in rs})
    (['deepseek-v3', 'gpt-4'], ['3y'])
    """
    given = dict(overrides or {})
    if "pricing.basis" not in given:
        given = {"pricing.basis": price_basis or _costmodel.default_price_basis, **given}
    with _python_terms(given):
        out: List[Estimate] = _costmodel.compare(list(scenarios), given, samples, seed)
        return out


def evaluate(scenario: ScenarioLike, inputs: Mapping[str, Any],
             overrides: Overrides = None) -> Dict[str, Any]:
    """The model over arrays of inputs in one C++ loop (``{key: numpy array}``; arrays share a
    shape, scalars broadcast): a dict of numpy arrays, each point equal to ``estimate()`` with
    the same overrides. ``costmodel.evaluate_keys`` lists the keys that can vary.

    >>> import costmodel, numpy as np
    >>> out = costmodel.evaluate("deepseek-v3", {"efficiency.mfu": np.array([0.2, 0.4])})
    >>> out["gpu_hours"].shape
    (2,)
    """
    with _python_terms(overrides, inputs=inputs):
        out: Dict[str, Any] = _costmodel.evaluate(scenario, inputs, overrides)
        return out


__all__ = ["Error", "compare", "estimate", "evaluate", "load", "loads", "scenario"]
