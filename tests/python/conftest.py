# SPDX-License-Identifier: MIT
"""Shared helpers: the calculator binary (for parity) and test data folders."""

import json
import os
import pathlib
import subprocess

import pytest

CLI = os.environ.get("COSTMODEL_CLI", "")
DATA = pathlib.Path(os.environ.get("COSTMODEL_TEST_DATA", pathlib.Path(__file__).parents[1] / "data"))


def run_cli(*args):
    """(exit code, stdout, stderr) of the calculator."""
    if not CLI:
        pytest.fail("COSTMODEL_CLI is not set: run the tests through ctest")
    p = subprocess.run([CLI, *args], capture_output=True, text=True, check=False)
    return p.returncode, p.stdout, p.stderr


def cli_json(*args):
    # Python's estimate() and compare() run the calculator's Monte Carlo with its defaults
    # (100,000 samples, seed 1), so the calculator is run with its defaults too.
    code, out, err = run_cli(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def cli_error(*args):
    """The message the calculator prints for a failing command, without its prefix."""
    code, out, err = run_cli(*args)
    assert code != 0 and out == ""
    prefix = "costmodel: error: "
    assert err.startswith(prefix), err
    return code, err[len(prefix):].rstrip("\n")


@pytest.fixture
def out_dir(tmp_path):
    return tmp_path
