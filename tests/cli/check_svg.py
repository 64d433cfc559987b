#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`costmodel trends --format svg` (issue 13): the picture is valid XML with the systems of the
fit as points, the fitted line, the 90% band, the marked runs and log-scale cost labels, written
to stdout or to --output FILE.

Usage: check_svg.py COSTMODEL DB.csv N_SYSTEMS"""
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def check(text, n):
    root = ET.fromstring(text)
    assert root.tag == NS + "svg", root.tag
    circles = list(root.iter(NS + "circle"))
    assert len(circles) == n, f"{len(circles)} points, expected {n}"
    fit = [e for e in root.iter(NS + "line") if e.get("class") == "fit"]
    assert len(fit) == 1, "no fitted line"
    band = [e for e in root.iter(NS + "polygon") if e.get("class") == "band"]
    assert len(band) == 1 and len(band[0].get("points").split()) > 10, "no band"
    samples = [e for e in root.iter(NS + "polyline") if e.get("class") == "samples"]
    assert len(samples) == 2, "no Monte Carlo lines (--samples)"
    marks = [e for e in root.iter(NS + "path")]
    assert len(marks) == 2, f"{len(marks)} marks, expected DeepSeek-V3 by ownership and rental"
    texts = ["".join(e.itertext()) for e in root.iter(NS + "text")]
    decades = [t for t in texts if re.fullmatch(r"\$(1|10|100)(k|M|B)?", t)]
    assert len(decades) >= 3, f"log-scale labels: {decades}"
    # One label per decade, rising up the axis.
    ys = [float(e.get("y")) for e in root.iter(NS + "text") if "".join(e.itertext()) in decades]
    assert ys == sorted(ys, reverse=True), "cost labels not in order up the axis"
    assert any("DeepSeek-V3 (ownership)" in t for t in texts), "the mark is not labelled"
    assert any(re.search(r"[0-9.]+x per year", t) for t in texts), "no growth in the title"


def main():
    exe, db, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    args = [exe, "trends", db, "--top-n", "3", "--usd-year", "2023", "--mark", "deepseek-v3",
            "--samples", "200", "--format", "svg"]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    check(out, n)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "trend.svg")
        said = subprocess.run(args + ["--output", path], check=True, capture_output=True,
                              text=True).stdout
        assert said.startswith("Wrote " + path), said
        with open(path, encoding="utf-8") as f:
            written = f.read()
        assert written == out, "--output wrote other bytes than stdout"
    print("ok")


if __name__ == "__main__":
    main()
