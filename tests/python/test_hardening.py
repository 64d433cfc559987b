# SPDX-License-Identifier: MIT
"""Hardening (issue 17): lifetimes under reload(), re-entrant callbacks, nesting, budgets and
the trust boundary of extends, as Python sees them."""

import threading
import time

import numpy as np
import pytest

import costmodel
from conftest import DATA


def test_reload_in_another_thread_never_frees_the_catalogue_mid_call():
    # evaluate() releases the GIL; reload() in another thread freed the catalogue under it
    # (SIGSEGV in three runs of three). 1,000 calls against a reloading thread.
    stop = threading.Event()

    def reloader():
        while not stop.is_set():
            costmodel.reload()
            time.sleep(0.002)  # let evaluate() run between reloads (each holds the GIL)

    t = threading.Thread(target=reloader)
    t.start()
    try:
        mfu = np.linspace(0.2, 0.6, 2000)
        for _ in range(1000):
            out = costmodel.evaluate("deepseek-v3", {"efficiency.mfu": mfu})
            assert np.all(np.isfinite(out["gpu_hours"]))
    finally:
        stop.set()
        t.join()


class Reloading:
    """An array-like whose __array__ reloads the catalogue in the middle of evaluate()."""

    def __init__(self, values):
        self.values = np.asarray(values, dtype=float)

    def __array__(self, dtype=None, copy=None):
        costmodel.reload()
        return self.values if dtype is None else self.values.astype(dtype)


def test_a_callback_that_reloads_cannot_free_what_the_call_uses():
    expected = costmodel.evaluate("gpt-4", {"efficiency.mfu": np.array([0.3, 0.4])})
    for _ in range(1000):
        out = costmodel.evaluate("gpt-4", {"efficiency.mfu": Reloading([0.3, 0.4])})
        np.testing.assert_array_equal(out["gpu_hours"], expected["gpu_hours"])


def test_a_dict_that_contains_itself_is_refused():
    d = {"name": "loop"}
    d["model"] = d
    with pytest.raises(costmodel.InputError, match="nested more than 64 levels deep"):
        costmodel.to_toml(d)
    lst = []
    lst.append(lst)
    with pytest.raises(costmodel.InputError, match="nested more than 64 levels deep"):
        costmodel.to_toml({"caveats": lst})


def test_deep_toml_is_refused_before_the_parser():
    text = "schema = 1\n" + "a." * 40000 + "b = 1\n"
    with pytest.raises(costmodel.PresetError, match="nested more than 100 levels deep"):
        costmodel.loads(text)


def test_a_long_override_value_is_refused_not_a_crash():
    with pytest.raises(costmodel.PresetError, match="expected a number"):
        costmodel.load("gpt-4", {"training.tokens": "7" * 28000})


def test_loads_cannot_read_files_outside_without_allow_paths():
    text = 'schema = 1\nextends = "/etc/passwd"\n'
    with pytest.raises(costmodel.PresetError, match="outside the scenario's folder") as e:
        costmodel.loads(text)
    assert "root" not in str(e.value)  # never the content
    relative = 'schema = 1\nextends = "../small_dense.toml"\n'
    source = str(DATA / "bad" / "x.toml")
    with pytest.raises(costmodel.PresetError, match="allow_paths"):
        costmodel.loads(relative, source)
    s = costmodel.loads(relative, source, allow_paths=[DATA])
    assert s.name == "Small dense run"
    # The allowance stays with the scenario: with_overrides() loads it again.
    assert s.with_overrides({"efficiency.mfu": 0.3}).name == "Small dense run"


def test_evaluate_over_the_memory_budget_is_refused(monkeypatch):
    monkeypatch.setenv("COSTMODEL_MAX_MEMORY", "1M")
    with pytest.raises(costmodel.InputError, match=r"evaluate\(\) of 100000 points needs .* COSTMODEL_MAX_MEMORY="):
        costmodel.evaluate("gpt-4", {"efficiency.mfu": np.full(100000, 0.4)})
