#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Output checks of the calculator as a process (issue 16).

  check_output.py width COSTMODEL   COLUMNS=80: no line of the listed commands is wider than 80
  check_output.py csv COSTMODEL     every command with -f csv prints one tidy table (loaded by
                                    pandas.read_csv when pandas is installed, else by the csv
                                    module with the same checks) or refuses with a usage error
"""
import csv
import io
import os
import subprocess
import sys

WIDTH_COMMANDS = [
    ["estimate", "deepseek-v3"],
    ["compare", "deepseek-v3", "gpt-4", "llama-3.1-405b"],
    ["audit", "deepseek-v3"],
    ["show", "h100-sxm"],
    ["show", "deepseek-v3"],
    ["audit", "deepseek-r1", "--claim", "cost_usd=5.6M"],
]

# Every command of the calculator (list in app.cpp's execute()); a test fails when one is added
# here without CSV, so keep the list whole.
CSV_COMMANDS = [
    ["estimate", "deepseek-v3", "--samples", "0"],
    ["estimate", "gpt-4", "--range", "efficiency.mfu=0.3:0.5", "--samples", "2000"],
    ["compare", "deepseek-v3", "gpt-4", "--samples", "0"],
    ["list"],
    ["show", "h100-sxm"],
    ["show", "deepseek-v3"],
    ["audit", "deepseek-v3"],
    ["audit", "deepseek-r1", "--claim", "cost_usd=5.6M"],
    ["audit", "--claims", "presets/claims/deepseek-gpt4.toml"],
    ["sweep", "deepseek-v3", "--vary", "efficiency.mfu=0.3,0.4"],
    ["sensitivity", "gpt-4"],
    ["plan", "--budget-usd", "5.576M", "--accelerator", "h800-sxm", "--usd-per-gpu-hour", "2",
     "--mfu", "0.35"],
    ["trends", "tests/data/epoch_small.csv", "--top-n", "3", "--mark", "deepseek-v3"],
    ["explain", "MFU"],
]


def run(exe, args, env):
    return subprocess.run([exe] + args, capture_output=True, text=True, env=env,
                          cwd=os.path.join(os.path.dirname(__file__), "..", ".."), timeout=120)


def check_width(exe):
    env = dict(os.environ, COLUMNS="80", LC_ALL="C")
    bad = []
    for args in WIDTH_COMMANDS:
        p = run(exe, args, env)
        if p.returncode != 0:
            bad.append(f"{' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
            continue
        for n, line in enumerate(p.stdout.splitlines(), 1):
            if len(line) > 80:
                bad.append(f"{' '.join(args)}: line {n} has {len(line)} columns: {line[:100]}")
    return bad


def load_table(text):
    """Rows of one CSV table; raises ValueError unless every row has the header's fields."""
    try:
        import pandas  # noqa: F401 (optional)
    except ImportError:
        pandas = None
    if pandas is not None:
        df = pandas.read_csv(io.StringIO(text))
        if df.shape[0] == 0 or df.shape[1] < 2:
            raise ValueError(f"read_csv gave a {df.shape} table")
        if any(str(c).startswith("Unnamed") for c in df.columns):
            raise ValueError(f"unnamed columns: {list(df.columns)}")
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) < 2:
        raise ValueError("no data rows")
    width = len(rows[0])
    for i, r in enumerate(rows[1:], 2):
        if len(r) != width:
            raise ValueError(f"row {i} has {len(r)} fields, the header {width}")
    for i, r in enumerate(rows[1:], 2):
        for cell in r:
            # No float noise: at most 15 significant digits in a number.
            digits = cell.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
            if cell and cell.replace(".", "", 1).replace("-", "", 1).replace("e", "", 1).isdigit() \
                    and len(digits) > 15:
                raise ValueError(f"row {i}: float noise in {cell}")
    return rows


def check_csv(exe):
    env = dict(os.environ, LC_ALL="C")
    env.pop("COLUMNS", None)
    bad = []
    for args in CSV_COMMANDS:
        p = run(exe, args + ["-f", "csv"], env)
        name = " ".join(args)
        if p.returncode >= 100 or p.returncode == 2:
            if p.stdout:
                bad.append(f"{name}: refused with exit {p.returncode} but printed to stdout")
            continue
        if p.returncode != 0:
            bad.append(f"{name}: exit {p.returncode}: {p.stderr.strip()}")
            continue
        try:
            load_table(p.stdout)
        except Exception as e:  # pandas raises its own errors
            bad.append(f"{name}: not one tidy table: {e}\n{p.stdout[:400]}")
    return bad


def main():
    mode, exe = sys.argv[1], sys.argv[2]
    bad = check_width(exe) if mode == "width" else check_csv(exe)
    for b in bad:
        print(b)
    if mode == "csv":
        try:
            import pandas  # noqa: F401
            print("checked with pandas.read_csv")
        except ImportError:
            print("pandas is not installed: checked with the csv module only")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
