# SPDX-License-Identifier: MIT
"""Every command function equals the calculator's JSON for the same inputs, and the package's
docstring examples run (doctest)."""

import doctest
import json

import pytest

import costmodel
import costmodel.commands
from conftest import run_cli


def cli(*args):
    code, out, err = run_cli(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


CASES = [
    (lambda: costmodel.audit("deepseek-r1", claim="cost_usd=5.6e9"),
     ("audit", "deepseek-r1", "--claim", "cost_usd=5.6e9")),
    (lambda: costmodel.audit("deepseek-v3"), ("audit", "deepseek-v3")),
    (lambda: costmodel.audit("gpt-4", overrides={"efficiency.mfu": 0.4}),
     ("audit", "gpt-4", "--set", "efficiency.mfu=0.4")),
    (lambda: costmodel.check_claims(costmodel.bundled_path("claims/deepseek-gpt4.toml")),
     ("audit", "--claims", costmodel.bundled_path("claims/deepseek-gpt4.toml"))),
    (lambda: costmodel.sweep("deepseek-v3", "efficiency.mfu=0.2:0.6:0.1"),
     ("sweep", "deepseek-v3", "--vary", "efficiency.mfu=0.2:0.6:0.1")),
    (lambda: costmodel.sweep("deepseek-v3", {"efficiency.mfu": [0.3, 0.4]}),
     ("sweep", "deepseek-v3", "--vary", "efficiency.mfu=0.3,0.4")),
    (lambda: costmodel.sensitivity("gpt-4"), ("sensitivity", "gpt-4")),
    (lambda: costmodel.plan(budget_usd="5.576M", accelerator="h800-sxm", usd_per_gpu_hour=2,
                            mfu=0.35),
     ("plan", "--budget-usd", "5.576M", "--accelerator", "h800-sxm", "--usd-per-gpu-hour", "2",
      "--mfu", "0.35")),
    (lambda: costmodel.run("estimate", "gpt-4", "--seed", "7"),
     ("estimate", "gpt-4", "--seed", "7")),
    (lambda: costmodel.run("compare", "deepseek-v3", "gpt-4"), ("compare", "deepseek-v3", "gpt-4")),
]


@pytest.mark.parametrize("call,args", CASES, ids=[" ".join(a[:2]) for _, a in CASES])
def test_function_equals_the_calculators_json(call, args):
    assert call().to_dict() == cli(*args)


def test_audit_verdict_as_attributes():
    r = costmodel.audit("deepseek-r1", claim="cost_usd=5.6e9")
    assert r.claims[0].verdict == "implausible"
    with pytest.raises(AttributeError):
        r.claims = ()
    assert "implausible" in repr(r).lower()
    assert "<table>" in r._repr_html_()


def test_a_loaded_scenario_with_overrides_is_passed_on():
    s = costmodel.load("deepseek-v3").with_overrides({"efficiency.mfu": 0.45})
    assert costmodel.audit(s).to_dict() == cli("audit", "deepseek-v3", "--set",
                                               "efficiency.mfu=0.45")


def test_errors_are_the_calculators():
    with pytest.raises(costmodel.InputError):
        costmodel.audit("deepseek-r1", claim="cost_usd")
    with pytest.raises(costmodel.Error):
        costmodel.sweep("no-such-run", "efficiency.mfu=0.3,0.4")


def test_rows_and_frame():
    r = costmodel.sweep("deepseek-v3", {"efficiency.mfu": [0.3, 0.4, 0.5]})
    assert len(r.rows()) == 3
    pd = pytest.importorskip("pandas")
    assert isinstance(r.to_frame(), pd.DataFrame) and len(r.to_frame()) == 3


def test_python_dash_m_runs_the_calculator():
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "costmodel", "audit", "deepseek-r1", "--claim",
                        "cost_usd=5.6e9"], capture_output=True, text=True, check=False)
    code, out, _ = run_cli("audit", "deepseek-r1", "--claim", "cost_usd=5.6e9")
    assert (p.returncode, p.stdout) == (code, out)
    bad = subprocess.run([sys.executable, "-m", "costmodel", "estimate", "no-such-run"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode != 0 and bad.stdout == "" and "no-such-run" in bad.stderr


def test_dir_exports_no_typing_names():
    assert not {"Any", "Dict", "List", "Iterable", "annotations"} & set(dir(costmodel))
    assert set(costmodel.__all__) <= set(dir(costmodel))


@pytest.mark.parametrize("module", [costmodel, costmodel.commands, costmodel._api],
                         ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0


def test_docs_python_page_examples_run():
    import pathlib

    page = pathlib.Path(__file__).parents[2] / "docs" / "python.md"
    failures, tried = doctest.testfile(str(page), module_relative=False,
                                       optionflags=doctest.ELLIPSIS)
    assert tried >= 10 and failures == 0


def test_estimate_carries_the_calculators_percentiles():
    d = costmodel.estimate("gpt-4", seed=7).to_dict()
    assert d == cli("estimate", "gpt-4", "--seed", "7")
    assert d["gpu_hours_p5"] < d["gpu_hours_p50"] < d["gpu_hours_p95"]
    assert "gpu_hours_p50" not in costmodel.estimate("gpt-4", samples=0).to_dict()


def test_ranges_in_a_dict_scenario_are_honoured():
    s = costmodel.scenario(name="ranged", model={"parameters": 7e9}, training={"tokens": 2e12},
                           hardware={"accelerator": "h100-sxm", "count": 512},
                           efficiency={"mfu": {"value": 0.4, "low": 0.35, "high": 0.45}})
    d = costmodel.estimate(s).to_dict()
    assert d["gpu_hours_p5"] < d["gpu_hours_p95"]


def test_errors_name_the_override_or_the_dict_key():
    with pytest.raises(costmodel.PresetError) as e:
        costmodel.estimate("deepseek-v3", {"efficiency.mfu": 1.5})
    assert str(e.value).startswith("overrides: 'efficiency.mfu' = 1.5: expected a ratio")
    assert e.value.file == "" and e.value.key == "efficiency.mfu"
    with pytest.raises(costmodel.PresetError) as e:
        costmodel.scenario(name="bad", model={"parameters": 7e9}, training={"tokens": 2e12},
                           hardware={"accelerator": "h100-sxm"}, efficiency={"mfu": 1.5})
    assert str(e.value).startswith("scenario: 'efficiency.mfu' = 1.5: ")
    assert "custom.toml" not in str(e.value)


def test_help_shows_real_signatures():
    import inspect

    params = inspect.signature(costmodel.estimate).parameters
    assert list(params) == ["scenario", "overrides", "samples", "seed"]
    assert ">>>" in costmodel.estimate.__doc__
