# SPDX-License-Identifier: MIT
"""Loading presets and files, building scenarios from dicts, listing the catalogue."""

import pytest

import costmodel
from conftest import DATA, cli_json

SMALL = {
    "name": "Small dense run",
    "sources": ["test data: made up for the tests"],
    "model": {"parameters": 7e9},
    "training": {"tokens": 2e12},
    "hardware": {"accelerator": "h100-sxm", "count": 256, "precision": "bf16"},
    "efficiency": {"mfu": 0.4},
    "pricing": {"usd_per_gpu_hour": 2.0},
}


def test_list_presets_matches_the_calculator():
    cli = cli_json("list")
    assert costmodel.list_presets() == [r["id"] for r in cli["runs"]]
    accs = costmodel.list_accelerators()
    assert [a["id"] for a in accs] == [a["id"] for a in cli["accelerators"]]
    for a, c in zip(accs, cli["accelerators"]):
        assert a["peak_dense_tflops"] == c["peak_dense_tflops"]
    h100 = next(a for a in accs if a["id"] == "h100-sxm")
    assert h100["peak_dense_tflops"]["bf16"] == pytest.approx(989.4)  # NVIDIA H100 datasheet, dense


def test_load_a_file_by_path(tmp_path):
    s = costmodel.load(DATA / "small_dense.toml")
    assert s.id == "small_dense" and s.name == "Small dense run"
    assert costmodel.estimate(s).to_dict() == cli_json("estimate", str(DATA / "small_dense.toml"))


def test_a_dict_is_the_same_scenario_as_the_file():
    from_dict = costmodel.estimate(costmodel.scenario(SMALL, id="small_dense"))
    from_file = costmodel.estimate(DATA / "small_dense.toml")
    a, b = from_dict.to_dict(), from_file.to_dict()
    assert a.pop("source_file") != b.pop("source_file")
    assert a == b
    # 6 * 7e9 * 2e12 FLOP / (989.4 TFLOPS bf16 * 3600 s * 0.4) GPU-hours.
    assert from_dict.gpu_hours == pytest.approx(6 * 7e9 * 2e12 / (989.4e12 * 3600 * 0.4), rel=1e-12)


def test_keyword_arguments_and_dotted_keys_build_the_same_scenario():
    kw = costmodel.scenario(**SMALL)
    dotted = costmodel.scenario(
        {
            "name": "Small dense run",
            "model.parameters": 7e9,
            "training.tokens": 2e12,
            "hardware.accelerator": "h100-sxm",
            "hardware.count": 256,
            "hardware.precision": "bf16",
            "efficiency.mfu": 0.4,
            "pricing.usd_per_gpu_hour": 2.0,
        }
    )
    assert costmodel.estimate(kw).gpu_hours == costmodel.estimate(dotted).gpu_hours
    assert kw.id == "custom"


def test_numbers_as_text_follow_the_calculators_one_rule():
    # "7B" reads as --set and the calculator read it (parse.hpp), in dicts and files alike.
    text = dict(SMALL, model={"parameters": "7B"}, training={"tokens": "2T"})
    assert costmodel.estimate(costmodel.scenario(text)).gpu_hours == costmodel.estimate(
        costmodel.scenario(SMALL)
    ).gpu_hours
    with pytest.raises(costmodel.PresetError, match="expected a positive number, got a string, 'seven'"):
        costmodel.scenario(dict(SMALL, model={"parameters": "seven"}))


def test_phases_extends_and_sourced_values_in_a_dict():
    s = costmodel.scenario(
        name="V3 at 40%",
        extends="deepseek-v3",
        efficiency={"mfu": {"value": 0.4, "source": "a guess", "status": "assumption"}},
    )
    r = costmodel.estimate(s)
    assert r.phases[0].mfu == 0.4 and r.phases[0].mfu_basis == "input"
    two = costmodel.scenario(
        name="two phases",
        model={"parameters": 7e9},
        hardware={"accelerator": "h100-sxm", "count": 64, "precision": "bf16"},
        efficiency={"mfu": 0.4},
        phases=[
            {"name": "pre", "training": {"tokens": 1e12}},
            {"name": "post", "training.tokens": 1e11, "efficiency.mfu": 0.2},
        ],
    )
    r2 = costmodel.estimate(two)
    assert [p.name for p in r2.phases] == ["pre", "post"]
    assert r2.phases[1].mfu == 0.2
    assert r2.phases[1].gpu_hours == pytest.approx(6 * 7e9 * 1e11 / (989.4e12 * 3600 * 0.2), rel=1e-12)


def test_to_toml_escapes_strings_and_reads_back():
    text = costmodel.to_toml({"name": 'quote " and \\ and\nnewline', "model": {"parameters": 7e9}})
    assert text.startswith("schema = 1\n")
    s = costmodel.loads(text + '[training]\ntokens = 1e12\n[hardware]\naccelerator = "h100-sxm"\n')
    assert s.name == 'quote " and \\ and\nnewline'


def test_override_values_are_converted_faithfully():
    import numpy as np

    base = costmodel.load(DATA / "small_dense.toml")
    # floats by repr (shortest round trip), numpy scalars through float, ints as digits,
    # strings as the calculator's --set text (suffixes allowed).
    assert base.with_overrides({"efficiency.mfu": 0.1 + 0.2}).overrides == ["efficiency.mfu=0.30000000000000004"]
    assert base.with_overrides({"efficiency.mfu": np.float32(0.5)}).overrides == ["efficiency.mfu=0.5"]
    assert base.with_overrides({"hardware.count": np.int64(512)}).overrides == ["hardware.count=512"]
    assert base.with_overrides({"training.tokens": "3T"}).overrides == ["training.tokens=3T"]
    r = costmodel.estimate(base.with_overrides({"training.tokens": "3T"}))
    assert r.compute_flop == 6 * 7e9 * 3e12
    with pytest.raises(TypeError, match="expected a str, bool, int or float"):
        base.with_overrides({"efficiency.mfu": [0.4]})


def test_repr_names_the_scenario():
    s = costmodel.load("deepseek-v3", {"efficiency.mfu": 0.45})
    assert repr(s) == "<Scenario 'deepseek-v3': DeepSeek-V3, efficiency.mfu=0.45>"
    assert s.phases == ["pre-training", "context extension", "post-training"]
