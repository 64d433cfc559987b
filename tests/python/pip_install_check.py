# SPDX-License-Identifier: MIT
"""The documented pip install, end to end (run by ctest as python.pip_install):

a copy of the clone -> `pip install --no-build-isolation` into a fresh virtual environment
(--system-site-packages, so Debian's numpy, setuptools and wheel are visible) -> the copy moved
away -> the package still estimates and `python -m costmodel` still audits, reading the presets
inside the package -> `pip uninstall` leaves nothing behind.

Usage: pip_install_check.py SOURCE_DIR OUT_DIR [CMAKE_BUILD_DIR]
With CMAKE_BUILD_DIR (ctest passes its own), setup.py builds the extension in that configured
tree (COSTMODEL_CMAKE_BUILD_DIR, a no-op when it is up to date) instead of compiling it again,
to keep the suite fast; without it, pip compiles everything from the copy.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path


def sh(*args, **kw):
    print("+", " ".join(str(a) for a in args), flush=True)
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)
    if p.returncode != 0:
        print(p.stdout, p.stderr, sep="\n", file=sys.stderr)
        raise SystemExit(f"failed ({p.returncode}): {args}")
    return p.stdout


def copy_clone(src: Path, dest: Path) -> None:
    if (src / ".git").exists():
        files = sh("git", "-C", src, "ls-files", "-z").split("\0")
        for f in files:
            if f and (src / f).is_file():
                (dest / f).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src / f, dest / f)
    else:
        shutil.copytree(src, dest, ignore=shutil.ignore_patterns("build", "__pycache__"))


def main() -> None:
    src, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    build = sys.argv[3] if len(sys.argv) > 3 else None
    if out.exists():
        shutil.rmtree(out)
    clone, moved, venv = out / "clone", out / "moved", out / "venv"
    clone.mkdir(parents=True)
    copy_clone(src, clone)
    sh(sys.executable, "-m", "venv", "--system-site-packages", venv)
    py = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "COSTMODEL_PRESET_PATH", "PYTHONHOME")}
    env.update(PIP_NO_CACHE_DIR="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONNOUSERSITE="1",
               PIP_NO_INDEX="1")
    if build:
        env["COSTMODEL_CMAKE_BUILD_DIR"] = build
    sh(py, "-m", "pip", "install", "--no-build-isolation", "--no-deps", clone, env=env, cwd=out)
    clone.rename(moved)  # the clone is gone: the package must not need it

    check = (
        "import costmodel, os, sys\n"
        "print(costmodel.estimate('deepseek-v3').cost_usd['rental'])\n"
        "first = costmodel.preset_dirs()[0]\n"
        "pkg = os.path.dirname(costmodel.__file__)\n"
        "assert first == os.path.realpath(os.path.join(pkg, 'presets')), (first, pkg)\n"
        "assert sys.prefix != sys.base_prefix\n"
    )
    got = sh(py, "-c", check, env=env, cwd=out)
    assert got.splitlines()[0] == "5576000.0", got
    verdict = sh(py, "-m", "costmodel", "audit", "deepseek-r1", "--claim", "cost_usd=5.6e9",
                 env=env, cwd=out)
    assert "implausible" in verdict.lower(), verdict
    show = sh(py, "-m", "pip", "show", "-f", "costmodel", env=env, cwd=out)
    assert "presets/runs/deepseek-v3.toml" in show, show
    site = sh(py, "-c", "import costmodel, os; print(os.path.dirname(costmodel.__file__))",
              env=env, cwd=out).strip()
    sh(py, "-m", "pip", "uninstall", "-y", "costmodel", env=env, cwd=out)
    assert not Path(site).exists(), f"{site} is left after pip uninstall"
    print("pip install, import after moving the clone, python -m costmodel, uninstall: ok")


if __name__ == "__main__":
    main()
