#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Output checks of the calculator as a process (issue 16).

  check_output.py width COSTMODEL   COLUMNS=80: no line of the listed commands is wider than 80
  check_output.py csv COSTMODEL     every command with -f csv prints one tidy table (loaded by
                                    pandas.read_csv when pandas is installed, else by the csv
                                    module with the same checks) or refuses with a usage error
  check_output.py legend COSTMODEL  tables that show a term have its legend, worded as
                                    `costmodel explain TERM` words it; --no-legend removes only
                                    the legend; JSON, CSV and --brief have none
  check_output.py sources COSTMODEL every source tag an output cites is defined in its Sources
  check_output.py numbers COSTMODEL one human style of numbers: no "2.057k", "19.05kx",
                                    "56.97k days" or "0.0%" in any report for people
"""
import csv
import glob
import io
import os
import re
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


# Commands whose reports for people have tables (and the terms the tables must explain).
LEGEND_COMMANDS = [
    (["estimate", "deepseek-v3"], ["MFU", "GPU-hours", "basis"]),
    (["estimate", "gpt-4", "--range", "efficiency.mfu=0.3:0.5", "--samples", "2000"],
     ["MFU", "P5/P95"]),
    (["compare", "deepseek-v3", "gpt-4", "--samples", "0"], ["MFU", "GPU-hours", "basis",
                                                             "goodput"]),
    (["audit", "deepseek-v3"], ["GPU-hours"]),
    (["sweep", "deepseek-v3", "--vary", "efficiency.mfu=0.3,0.4"], ["MFU", "GPU-hours"]),
    (["plan", "--budget-usd", "5.576M", "--accelerator", "h800-sxm", "--usd-per-gpu-hour", "2",
      "--mfu", "0.35"], ["GPU-hours", "nats/token"]),
]
LEGEND_TITLE = "Legend (costmodel explain TERM for more; --no-legend hides it):"


def plain_env():
    env = dict(os.environ, LC_ALL="C")
    env.pop("COLUMNS", None)  # a pipe: no wrapping, so lines compare whole
    return env


def check_legend(exe):
    env = plain_env()
    bad = []
    briefs = {}
    for args, terms in LEGEND_COMMANDS:
        name = " ".join(args)
        out = run(exe, args, env)
        quiet = run(exe, args + ["--no-legend"], env)
        if out.returncode != 0 or quiet.returncode != 0:
            bad.append(f"{name}: exit {out.returncode}/{quiet.returncode}: {out.stderr.strip()}")
            continue
        lines = out.stdout.splitlines()
        if LEGEND_TITLE not in lines:
            bad.append(f"{name}: no legend")
            continue
        items = []
        for i, line in enumerate(lines):
            if line == LEGEND_TITLE:
                j = i + 1
                while j < len(lines) and lines[j].startswith("  - "):
                    items.append(lines[j][4:])
                    j += 1
        for term in terms:
            if term not in briefs:
                e = run(exe, ["explain", term], env)
                briefs[term] = e.stdout.strip()
            item = next((it for it in items if it.startswith(term + ": ")), None)
            if item is None:
                bad.append(f"{name}: the legend does not explain {term}")
            elif not briefs[term].startswith(item):
                bad.append(f"{name}: legend of {term} is not `explain {term}`'s: {item!r}")
        # --no-legend removes the legend blocks and nothing else.
        kept, skip = [], False
        for line in lines:
            if line == LEGEND_TITLE:
                skip = True
                continue
            if skip and line.startswith("  - "):
                continue
            skip = False
            kept.append(line)
        squash = lambda ls: [x for x in ls if x.strip()]  # noqa: E731
        if squash(kept) != squash(quiet.stdout.splitlines()):
            bad.append(f"{name}: --no-legend changed more than the legend")
        if "Legend" in quiet.stdout:
            bad.append(f"{name}: --no-legend still prints a legend")
        for fmt in ("json", "csv"):
            m = run(exe, args + ["-f", fmt], env)
            if m.returncode == 0 and "Legend" in m.stdout:
                bad.append(f"{name} -f {fmt}: a legend in machine output")
    b = run(exe, ["audit", "deepseek-r1", "--claim", "cost_usd=5.6M", "--brief"], env)
    if "Legend" in b.stdout:
        bad.append("audit --brief: a legend in the brief")
    return bad


# A source tag: upper-case letters and digits with a hyphen (DSV3-TR, EPOCH-CODE, BLS-PPI), or
# one of the bundled files' tags without one (CODECARBON).
TAG = re.compile(r"(?<![A-Za-z0-9-])([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|CODECARBON)(?![A-Za-z0-9-])")


def known_tags(root):
    """The tags the bundled files define: "TAG: ..." entries of their `sources` lists."""
    try:
        import tomllib
    except ImportError:  # Python < 3.11: the same entries by pattern
        tomllib = None
    tags = set()
    for f in glob.glob(os.path.join(root, "presets", "**", "*.toml"), recursive=True):
        text = open(f, encoding="utf-8").read()
        if tomllib is not None:
            data = tomllib.loads(text)
            lists = [data.get("sources", [])] + [v.get("sources", []) for v in data.values()
                                                 if isinstance(v, dict)]
            entries = [e for lst in lists for e in lst if isinstance(e, str)]
        else:
            m = re.search(r"^sources = \[(.*?)^\]", text, re.M | re.S)
            entries = re.findall(r'"([^"]*)"', m.group(1)) if m else []
        for e in entries:
            m = re.match(r"([A-Za-z][A-Za-z0-9_.-]*): ", e)
            if m and len(m.group(1)) <= 24:
                tags.add(m.group(1))
    return tags


def check_sources(exe):
    env = plain_env()
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    tags = known_tags(root)
    bad = []
    if not {"EPOCH-CODE", "EPOCH-DEV", "CODECARBON", "DSV3-TR"} <= tags:
        return [f"the bundled tags were not found: {sorted(tags)[:10]}"]
    runs = [os.path.basename(f)[:-5] for f in glob.glob(os.path.join(root, "presets", "runs",
                                                                       "*.toml"))]
    commands = [["estimate", r] for r in sorted(runs)]
    commands += [["show", "deepseek-v3"], ["show", "h100-sxm"], ["show", "mi250x"],
                 ["audit", "deepseek-v3"], ["audit", "gpt-4"],
                 ["compare", "deepseek-v3", "gpt-4", "--samples", "0"],
                 ["audit", "--claims", "presets/claims/deepseek-gpt4.toml"]]
    for args in commands:
        name = " ".join(args)
        p = run(exe, args + ["--samples", "0"] if args[0] == "estimate" else args, env)
        if p.returncode != 0:
            bad.append(f"{name}: exit {p.returncode}: {p.stderr.strip()}")
            continue
        lines = p.stdout.splitlines()
        if "Sources:" in lines:
            at = lines.index("Sources:")
            body, block = lines[:at], lines[at + 1:]
        else:
            body, block = lines, []
        defined = {m.group(1) for line in block
                   for m in [re.match(r"  - ([A-Za-z][A-Za-z0-9_.-]*): ", line)] if m}
        text = "\n".join(body)
        used = {m.group(1) for line in body for m in TAG.finditer(line)} & tags
        used |= {t for t in tags if re.search(r"(?<![A-Za-z0-9-])" + re.escape(t) +
                                              r"(?![A-Za-z0-9-])", text)}
        for tag in sorted(used - defined):
            bad.append(f"{name}: cites {tag} but its Sources do not define it")
    return bad


# Number styles the one formatter never prints (issue 16): "2.057k GPUs", "19.05kx",
# "56.97k days", "MFU 0.0%" (a signed "+0.0%" difference is fine). `show` is left out: its
# source column quotes the preset files' own notes ("$30k").
OLD_STYLE = re.compile(r"(?<![A-Za-z0-9.])\d+(?:\.\d+)?k(?:x|\b)|(?<![\d.+-])0\.0%")


def check_numbers(exe):
    env = plain_env()
    bad = []
    commands = [args for args, _ in LEGEND_COMMANDS] + [
        ["audit", "deepseek-r1", "--claim", "cost_usd=5.6M"],
        ["audit", "deepseek-r1", "--claim", "cost_usd=5.6M", "--brief"],
        ["estimate", "deepseek-v3", "--brief"], ["list"],
        ["audit", "gpt-4", "--claim", "cost_usd>100M"]]
    for args in commands:
        p = run(exe, args, env)
        if p.returncode != 0:
            bad.append(f"{' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
            continue
        for n, line in enumerate(p.stdout.splitlines(), 1):
            m = OLD_STYLE.search(line)
            if m:
                bad.append(f"{' '.join(args)}: line {n}: {m.group(0)!r} in {line[:120]}")
    return bad


def main():
    mode, exe = sys.argv[1], sys.argv[2]
    checks = {"width": check_width, "csv": check_csv, "legend": check_legend,
              "sources": check_sources, "numbers": check_numbers}
    bad = checks[mode](exe)
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
