# SPDX-License-Identifier: MIT
"""Estimates from Python equal the calculator's, for every bundled preset."""

import math

import pytest

import costmodel
from conftest import cli_json, run_cli


def test_deepseek_v3_rental_is_its_reported_cost():
    # DeepSeek-V3 technical report, Table 1: 2.788M H800 GPU-hours at $2 = $5.576M.
    r = costmodel.estimate("deepseek-v3")
    assert r.cost_usd["rental"] == pytest.approx(5.576e6, rel=1e-12)
    assert r.gpu_hours == pytest.approx(2.788e6, rel=1e-12)
    assert [p.name for p in r.phases] == ["pre-training", "context extension", "post-training"]
    assert r.phases[2].gpu_hours_basis == "reported"
    assert r.wall_clock_days == pytest.approx(2.788e6 / 2048 / 24, rel=1e-12)
    assert r.reported["cost_usd"] == pytest.approx(5.576e6)
    assert r.phases[0].implied["mfu_precision"] == "fp8"
    # The run as a whole implies no MFU: post-training has no compute to set against its hours.
    assert r.implied["mfu"] is None


@pytest.mark.parametrize("preset", costmodel.list_presets())
def test_to_dict_equals_the_calculator_json(preset):
    assert costmodel.estimate(preset).to_dict() == cli_json("estimate", preset)


def test_overrides_equal_the_calculators_set():
    sets = {"efficiency.mfu": 0.45, "hardware.accelerator": "h100-sxm", "pricing.usd_per_gpu_hour": 3.0}
    args = [a for k, v in sets.items() for a in ("--set", f"{k}={v}")]
    r = costmodel.estimate("deepseek-v3", sets)
    assert r.to_dict() == cli_json("estimate", "deepseek-v3", *args)
    assert r.phases[0].mfu == 0.45 and r.phases[0].mfu_basis == "input"
    assert r.phases[0].accelerator == "h100-sxm"
    # 6 * 37e9 * 14.8e12 FLOP / (1978.9 TFLOPS fp8 * 3600 s * 0.45) GPU-hours, at $3.
    expect = 6 * 37e9 * 14.8e12 / (1978.9e12 * 3600 * 0.45)
    assert r.phases[0].gpu_hours == pytest.approx(expect, rel=1e-9)
    assert r.phases[0].cost_usd["rental"] == pytest.approx(expect * 3.0, rel=1e-9)
    assert r.overrides == ["efficiency.mfu=0.45", "hardware.accelerator=h100-sxm", "pricing.usd_per_gpu_hour=3.0"]


def test_scenario_objects_and_with_overrides():
    s = costmodel.load("deepseek-v3")
    t = s.with_overrides({"efficiency.mfu": 0.45})
    assert s.overrides == [] and t.overrides == ["efficiency.mfu=0.45"]
    assert costmodel.estimate(t).to_dict() == costmodel.estimate("deepseek-v3", {"efficiency.mfu": 0.45}).to_dict()
    u = t.with_overrides({"pricing.usd_per_gpu_hour": 2.5})
    assert u.overrides == ["efficiency.mfu=0.45", "pricing.usd_per_gpu_hour=2.5"]
    assert costmodel.estimate(u).usd_per_gpu_hour == 2.5


def test_compare_is_estimate_of_each():
    ids = ["deepseek-v3", "gpt-4", "llama-3.1-405b"]
    rs = costmodel.compare(ids, {"pricing.usd_per_gpu_hour": 2.0})
    assert [r.id for r in rs] == ids
    cli = cli_json("compare", *ids, "--set", "pricing.usd_per_gpu_hour=2.0")
    # compare's rows add the per-unit "normalised" figures and each run's own published price
    # ("own_usd_per_gpu_hour"); the rest is each estimate.
    extra = ("normalised", "own_usd_per_gpu_hour")
    rows = [{k: v for k, v in row.items() if k not in extra} for row in cli["scenarios"]]
    assert all("normalised" in row for row in cli["scenarios"])
    assert [r.to_dict() for r in rs] == rows


def test_results_are_read_only():
    r = costmodel.estimate("gpt-4")
    with pytest.raises(AttributeError):
        r.gpu_hours = 1.0
    with pytest.raises(AttributeError):
        r.phases[0].cost_usd = {}
    d = r.cost_usd
    d["rental"] = 0.0  # a copy: the result does not change
    assert r.cost_usd["rental"] > 0


def test_cost_usd_holds_every_method_of_the_result():
    # cost_usd mirrors the C++ map: every method there, nothing invented.
    for preset in costmodel.list_presets():
        r = costmodel.estimate(preset)
        cli = cli_json("estimate", preset)
        assert r.cost_usd == {k: v for k, v in cli["cost_usd"].items() if v is not None}


def test_unknown_values_are_none_not_nan():
    r = costmodel.estimate("deepseek-v3")
    post = r.phases[2]
    assert post.compute_flop is None and post.mfu is None
    for v in r.to_dict().values():
        assert not (isinstance(v, float) and math.isnan(v))


def test_version_matches_the_calculator():
    code, out, _ = run_cli("--version")
    assert code == 0
    assert out.strip() == costmodel.__version__
