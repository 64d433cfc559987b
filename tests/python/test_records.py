# SPDX-License-Identifier: MIT
"""records(): flat rows that pandas.DataFrame takes as they are."""

import pytest

import costmodel


def test_one_flat_row_per_result():
    rs = costmodel.compare(["deepseek-v3", "gpt-4"])
    rows = costmodel.records(rs)
    assert [r["scenario"] for r in rows] == ["deepseek-v3", "gpt-4"]
    for row, r in zip(rows, rs):
        assert row["gpu_hours"] == r.gpu_hours
        assert row["cost_usd_rental"] == r.cost_usd["rental"]
        assert row["reported_gpu_hours"] == r.reported["gpu_hours"]
        for k, v in row.items():
            assert isinstance(k, str)
            assert v is None or isinstance(v, (str, int, float)), (k, v)
    rows = costmodel.records([costmodel.estimate("deepseek-v3")], phases=True)
    assert rows[0]["implied_mfu_by_precision_bf16"] == rs[0].phases[0].implied["mfu_by_precision"]["bf16"]


def test_rows_per_phase():
    rows = costmodel.records([costmodel.estimate("deepseek-v3")], phases=True)
    assert [r["phase"] for r in rows] == ["pre-training", "context extension", "post-training"]
    assert rows[2]["gpu_hours_basis"] == "reported"
    assert sum(r["gpu_hours"] for r in rows) == pytest.approx(2.788e6)


def test_pandas_takes_the_records():
    pd = pytest.importorskip("pandas")  # not in Debian's default set here; runs where present
    df = pd.DataFrame(costmodel.records(costmodel.compare(costmodel.list_presets())))
    assert len(df) == len(costmodel.list_presets())
    # compare() prices every run on one basis, the calculator's default (3y).
    one_basis = costmodel.estimate("deepseek-v3", {"pricing.basis": costmodel._costmodel.default_price_basis})
    assert df.loc[df.scenario == "deepseek-v3", "cost_usd_rental"].item() == one_basis.cost_usd["rental"]
