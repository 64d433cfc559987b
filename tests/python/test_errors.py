# SPDX-License-Identifier: MIT
"""Every error path raises a ValueError subclass with the calculator's message; none crashes."""

import numpy as np
import re

import pytest

import costmodel
from conftest import DATA, cli_error


def test_error_types_are_value_errors():
    assert issubclass(costmodel.InputError, costmodel.Error)
    assert issubclass(costmodel.PresetError, costmodel.Error)
    assert issubclass(costmodel.Error, ValueError)


def test_unknown_preset_is_an_input_error_with_the_calculators_message():
    code, msg = cli_error("estimate", "gpt-5")
    assert code == 3
    with pytest.raises(costmodel.InputError) as e:
        costmodel.estimate("gpt-5")
    assert str(e.value) == msg
    assert e.value.kind == "invalid_input"


BROKEN = [
    "broken_syntax.toml",
    "unknown_key.toml",
    "negative_count.toml",
    "wrong_type.toml",
    "missing_name.toml",
    "mfu_above_one.toml",
    "unknown_accelerator.toml",
    "unsupported_precision.toml",
    "cycle_a.toml",
]


@pytest.mark.parametrize("name", BROKEN)
def test_broken_files_raise_what_the_calculator_prints(name):
    path = str(DATA / name)
    code, msg = cli_error("estimate", path)
    expected = costmodel.PresetError if code == 2 else costmodel.InputError
    with pytest.raises(expected) as e:
        costmodel.load(path)
    assert str(e.value) == msg


def test_preset_errors_carry_file_line_column_and_key():
    with pytest.raises(costmodel.PresetError) as e:
        costmodel.load(DATA / "unknown_key.toml")
    err = e.value
    assert err.file.endswith("unknown_key.toml")
    assert (err.line, err.column, err.key) == (13, 1, "efficiency.mfuu")  # the CLI test's figures
    assert err.kind == "preset_unknown_key"


@pytest.mark.parametrize(
    "overrides",
    [
        {"hardware.count": -3},
        {"hardware.accelerator": "h1000"},
        {"efficiency.mfu": 1.5},
        {"efficiency.mfu": float("nan")},
        {"hardware.precision": "fp3"},
        {"phases.nope.efficiency.mfu": 0.4},
        {"training.tokens": 1e12},
        {"schema": 2},
        {"efficiency..mfu": 0.4},
    ],
)
def test_bad_overrides_match_the_calculators_set(overrides):
    (k, v), = overrides.items()
    text = {float: repr}.get(type(v), str)(v)
    code, msg = cli_error("estimate", "deepseek-v3", "--set", f"{k}={text}")
    with pytest.raises(costmodel.Error) as e:
        costmodel.estimate("deepseek-v3", overrides)
    # Python names the override it was given ("overrides: 'k' = v: ..."), not the calculator's
    # --set; what was expected is the calculator's own text.
    m = re.match(r"--set: key '([^']*)': (.*)", msg, re.S)
    if m:
        key, rest = m.groups()
        shown = f" = {overrides[key]!r}" if key in overrides else ""
        msg = f"overrides: {key!r}{shown}: {rest}"
        assert e.value.file == "" and e.value.key == key
    assert str(e.value) == msg
    assert isinstance(e.value, costmodel.PresetError if code == 2 else costmodel.InputError)


def test_wrong_python_types_are_type_errors():
    with pytest.raises(TypeError):
        costmodel.estimate(42)
    with pytest.raises(TypeError):
        costmodel.estimate("gpt-4", {"efficiency.mfu": None})
    with pytest.raises(TypeError):
        costmodel.estimate("gpt-4", ["efficiency.mfu"])
    with pytest.raises(TypeError):
        costmodel.evaluate("gpt-4", {"efficiency.mfu": "0.4"})
    with pytest.raises(TypeError):
        costmodel.evaluate("gpt-4", {"efficiency.mfu": [object()]})


def test_scenario_dict_errors_name_the_key():
    with pytest.raises(costmodel.PresetError, match="scenario: 'model.parametrs' = 7000000000.0: unknown key"):
        costmodel.scenario(model={"parametrs": 7e9})
    with pytest.raises(costmodel.PresetError, match="missing key|name"):
        costmodel.scenario(model={"parameters": 7e9})


def test_evaluate_rejects_unsupported_keys_and_mismatched_shapes():
    with pytest.raises(costmodel.InputError, match="'hardware.accelerator' cannot be varied.*expected one of: efficiency.mfu"):
        costmodel.evaluate("gpt-4", {"hardware.accelerator": [1.0]})
    with pytest.raises(costmodel.InputError, match="no phase 'nope'"):
        costmodel.evaluate("deepseek-v3", {"phases.nope.efficiency.mfu": [0.3]})
    with pytest.raises(costmodel.InputError, match=r"has shape \(3,\) but 'efficiency.mfu' has shape \(2,\)"):
        costmodel.evaluate("gpt-4", {"efficiency.mfu": [0.3, 0.4], "hardware.count": [1, 2, 3]})


@pytest.mark.parametrize(
    "key,values,bad",
    [
        ("efficiency.mfu", [0.3, 0.4, 1.5], 2),
        ("efficiency.mfu", [0.0, 0.4], 0),
        ("hardware.count", [1024, 10.5], 1),
        ("pricing.usd_per_gpu_hour", [2.0, -1.0], 1),
        ("efficiency.goodput", [0.9, np.nan], 1),
        ("training.tokens", [1e12, np.inf], 1),
    ],
)
def test_evaluate_out_of_range_raises_the_scalar_error_for_that_point(key, values, bad):
    scenario = str(DATA / "small_dense.toml")
    with pytest.raises(costmodel.Error) as e:
        costmodel.evaluate(scenario, {key: values})
    with pytest.raises(costmodel.Error) as scalar:
        costmodel.estimate(scenario, {key: float(values[bad])})
    # The same check and text as the scalar path; the array names the input and the index.
    assert str(e.value).split(": ", 2)[2] == str(scalar.value).split(": ", 2)[2]
    assert str(e.value).startswith(f"inputs: {key!r}[{bad}]")
    assert f"evaluate: at index {bad}" in e.value.__notes__[0]


def test_evaluate_active_parameters_above_parameters_is_the_loaders_error():
    with pytest.raises(costmodel.PresetError, match="active parameters exceed the total parameters"):
        costmodel.evaluate("deepseek-v3", {"model.parameters": [700e9, 10e9]})
