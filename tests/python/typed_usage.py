# SPDX-License-Identifier: MIT
"""Uses every public function as a notebook would; only type-checked (mypy --strict), not run."""

import costmodel


def tour() -> float:
    v3 = costmodel.audit("deepseek-v3", claim="cost_usd=5.6M")
    verdict: str = v3.claims[0].verdict
    assert verdict
    r = costmodel.estimate("gpt-4", {"efficiency.mfu": 0.4}, samples=1000, seed=7)
    rows = costmodel.sweep("deepseek-v3", {"efficiency.mfu": [0.3, 0.4]}).rows()
    p = costmodel.plan(compute_flop=5.76e23, accelerator="a100-sxm-80gb", days=30).to_dict()
    s = costmodel.sensitivity("gpt-4")
    c = costmodel.check_claims(costmodel.bundled_path("claims/deepseek-gpt4.toml"))
    dirs: list[str] = costmodel.preset_dirs()
    return r.gpu_hours + len(rows) + len(p) + len(s) + len(c) + len(dirs)
