# SPDX-License-Identifier: MIT
"""Vectorised evaluation equals the scalar estimate() point by point, for every key."""

import math

import numpy as np
import pytest

import costmodel
from conftest import DATA

OUTPUTS = ("gpu_hours", "compute_flop", "wall_clock_days", "mfu", "cost_usd_rental")


def scalar(scenario, overrides):
    r = costmodel.estimate(scenario, overrides)
    nan = float("nan")
    return {
        "gpu_hours": r.gpu_hours,
        "compute_flop": r.compute_flop if r.compute_flop is not None else nan,
        "wall_clock_days": r.wall_clock_days if r.wall_clock_days is not None else nan,
        "mfu": r.mfu if r.mfu is not None else nan,
        "cost_usd_rental": r.cost_usd.get("rental", nan),
    }


def same(a, b):
    return a == b or (math.isnan(a) and math.isnan(b))


def check_points(scenario, inputs, base_overrides=None):
    out = costmodel.evaluate(scenario, inputs, base_overrides)
    n = max(np.size(v) for v in inputs.values())
    for i in range(n):
        point = dict(base_overrides or {})
        for k, v in inputs.items():
            point[k] = float(np.ravel(v)[i] if np.ndim(v) else v)
        want = scalar(scenario, point)
        for key in OUTPUTS:
            if key in out:
                got = float(np.ravel(out[key])[i])
                # Bit-for-bit: the fast path does the same operations in the same order.
                assert same(got, want[key]), (key, point, got, want[key])
    return out


# Every supported key, on presets where it changes the answer. Values are in range (an implied
# MFU above 100%, as 600e9 active parameters on DeepSeek-V3 gave, is refused by estimate()).
CASES = [
    ("deepseek-v3", "efficiency.mfu", [0.2, 0.3333, 0.45, 1.0]),
    ("deepseek-v3", "efficiency.goodput", [0.5, 0.9, 1.0]),
    ("deepseek-v3", "pricing.usd_per_gpu_hour", [1.0, 2.0, 3.1415]),
    ("deepseek-v3", "hardware.count", [1.0, 2048.0, 10000.0]),
    ("deepseek-v3", "model.active_parameters", [1e9, 37e9, 100e9]),
    ("deepseek-v3", "phases.pre-training.training.tokens", [1e12, 14.8e12, 3.3e13]),
    ("deepseek-v3", "phases.0.efficiency.mfu", [0.1, 0.5]),
    ("deepseek-v3", "efficiency.hfu", [0.2, 0.5]),
    (str(DATA / "hfu_layout.toml"), "efficiency.hfu", [0.3, 0.52, 1.0]),
    (str(DATA / "hfu_layout.toml"), "efficiency.achieved_tflops", [100.0, 162.24, 312.0]),
    ("llama-3.1-405b", "model.parameters", [7e9, 405e9, 1e12]),
    ("gpt-4", "training.compute_flop", [1e24, 2.1e25, 5e25]),
    (str(DATA / "small_dense.toml"), "training.tokens", [1e9, 2e12, 15e12]),
    (str(DATA / "small_dense.toml"), "model.parameters", [1e6, 7e9, 1e12]),
    (str(DATA / "small_dense.toml"), "training.compute_flop", [1e20, 1e24]),
]


@pytest.mark.parametrize("scenario,key,values", CASES, ids=[f"{c[0].split('/')[-1]}-{c[1]}" for c in CASES])
def test_vectorised_equals_scalar(scenario, key, values):
    out = check_points(scenario, {key: np.array(values)})
    moved = [k for k in OUTPUTS if k in out and len(set(out[k].tolist())) > 1]
    assert moved, "the key changed no output"


def test_an_implied_mfu_follows_the_compute():
    # DeepSeek-V3 gives GPU-hours, not MFU: more active parameters mean more compute at the same
    # reported GPU-hours, so a higher implied MFU and the same cost (as in the scalar path).
    out = costmodel.evaluate("deepseek-v3", {"model.active_parameters": [20e9, 37e9]})
    assert out["compute_flop"][0] < out["compute_flop"][1]
    assert out["gpu_hours"][0] == out["gpu_hours"][1] == 2.788e6
    assert out["mfu"][0] < out["mfu"][1]


def test_every_supported_key_is_covered_by_a_case():
    covered = {c[1].split(".", 2)[-1] if c[1].startswith("phases.") else c[1] for c in CASES}
    assert set(costmodel.evaluate_keys) <= covered


def test_several_keys_broadcast_with_scalars_and_over_presets():
    for preset in costmodel.list_presets():
        check_points(preset, {"efficiency.mfu": np.array([0.25, 0.5]), "pricing.usd_per_gpu_hour": 2.5})
    check_points(
        "deepseek-v3",
        {"efficiency.mfu": [0.3, 0.4, 0.5], "hardware.count": [1024, 2048, 4096], "efficiency.goodput": 0.9},
        {"hardware.accelerator": "h100-sxm"},
    )


def test_shapes_are_kept_and_scalars_give_zero_d_arrays():
    out = costmodel.evaluate("gpt-4", {"efficiency.mfu": np.full((2, 3), 0.4)})
    assert all(v.shape == (2, 3) for v in out.values())
    out0 = costmodel.evaluate("gpt-4", {"efficiency.mfu": 0.4})
    assert out0["gpu_hours"].shape == ()
    assert out0["gpu_hours"].item() == costmodel.estimate("gpt-4", {"efficiency.mfu": 0.4}).gpu_hours
    none = costmodel.evaluate("gpt-4", {})
    assert none["gpu_hours"].item() == costmodel.estimate("gpt-4").gpu_hours
    empty = costmodel.evaluate("gpt-4", {"efficiency.mfu": np.array([])})
    assert empty["gpu_hours"].shape == (0,)


def test_unknown_outputs_are_nan_where_estimate_has_none():
    # A phase without a count has no wall-clock time, so neither has the run.
    s = costmodel.scenario(name="no count", model={"parameters": 7e9}, training={"tokens": 1e12},
                           hardware={"accelerator": "h100-sxm", "precision": "bf16"})
    out = costmodel.evaluate(s, {"efficiency.mfu": [0.3, 0.4]})
    assert np.isnan(out["wall_clock_days"]).all()
    assert costmodel.estimate(s).wall_clock_days is None


def test_a_million_mfu_values():
    # Speed is measured by benchmarks/python_evaluate_bench.py, not asserted here.
    x = np.linspace(0.2, 0.6, 1_000_000)
    out = costmodel.evaluate("deepseek-v3", {"efficiency.mfu": x})
    assert out["cost_usd_rental"].shape == (1_000_000,)
    # Spot-check the ends against the scalar path.
    assert out["gpu_hours"][0] == costmodel.estimate("deepseek-v3", {"efficiency.mfu": 0.2}).gpu_hours
    assert out["gpu_hours"][-1] == costmodel.estimate("deepseek-v3", {"efficiency.mfu": 0.6}).gpu_hours


def check_every_output(scenario, key, values):
    """Every output evaluate() returns (every cost method too) equals estimate() at each point."""
    out = costmodel.evaluate(scenario, {key: np.array(values)})
    assert any(k.startswith("cost_usd_") and k != "cost_usd_rental" for k in out)
    for i, v in enumerate(values):
        r = costmodel.estimate(scenario, {key: v})
        want = scalar(scenario, {key: v})
        for k, got in out.items():
            if k.startswith("cost_usd_"):
                assert float(got[i]) == r.cost_usd[k[len("cost_usd_"):]], (k, v)
            elif k in want:
                assert same(float(got[i]), want[k]), (k, v)
    return out


def test_megatron_tokens_drive_the_compute():
    # cost_full.toml counts FLOP by the megatron convention: twice the tokens, twice the compute
    # (the fast path once kept the point's compute here).
    s = str(DATA / "cost_full.toml")
    out = check_every_output(s, "training.tokens", [10e9, 20e9])
    assert out["compute_flop"][1] == 2 * out["compute_flop"][0]
    assert out["gpu_hours"][1] == pytest.approx(2 * out["gpu_hours"][0], rel=1e-12)


def test_reliability_goodput_follows_the_count():
    # Goodput from [reliability] falls with the count; evaluate() once used a goodput of 1.
    s = str(DATA / "reliability_phases.toml")
    assert costmodel.estimate(s).gpu_hours > costmodel.estimate(s, {"efficiency.goodput": 1.0}).gpu_hours
    out = check_every_output(s, "hardware.count", [4096.0, 16384.0])
    assert out["gpu_hours"][1] > out["gpu_hours"][0]  # more GPUs: lower goodput, more GPU-hours
