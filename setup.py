# SPDX-License-Identifier: MIT
"""setuptools glue for `pip install --no-build-isolation .` (metadata is in pyproject.toml).

The extension `costmodel._costmodel` is built by the project's CMake (target `_costmodel`, the
same build as `cmake -DCOSTMODEL_BUILD_PYTHON=ON`), for the Python that runs pip; the bundled
presets are copied into the package (`costmodel/presets`), where the library looks first.

Environment:
  COSTMODEL_CMAKE_BUILD_DIR  an already configured CMake build tree with COSTMODEL_BUILD_PYTHON=ON
                             to build the extension in (its compiler cache is reused); by default
                             a fresh Release tree under setuptools' build_temp
  COSTMODEL_CMAKE_ARGS       extra arguments for the configure step (split on white space)
  CMAKE_BUILD_PARALLEL_LEVEL how many compile jobs (default: the number of CPUs)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _version() -> str:
    text = (ROOT / "include" / "costmodel" / "version.hpp").read_text(encoding="utf-8")
    m = re.search(r'#define COSTMODEL_VERSION "([0-9]+\.[0-9]+\.[0-9]+)"', text)
    if not m:
        raise RuntimeError("include/costmodel/version.hpp: no COSTMODEL_VERSION")
    return m.group(1)


class CMakeExtension(Extension):
    def __init__(self, name: str) -> None:
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    """Builds the CMake target `_costmodel` and copies the module to where setuptools wants it."""

    def build_extension(self, ext: Extension) -> None:
        given = os.environ.get("COSTMODEL_CMAKE_BUILD_DIR")
        build_dir = Path(given).resolve() if given else Path(self.build_temp).resolve() / "cmake"
        if not given:
            args = [
                "cmake", "-S", str(ROOT), "-B", str(build_dir),
                "-DCMAKE_BUILD_TYPE=Release",
                "-DCOSTMODEL_BUILD_PYTHON=ON",
                "-DCOSTMODEL_BUILD_TESTS=OFF",
                "-DCOSTMODEL_BUILD_EXAMPLES=OFF",
                "-DCOSTMODEL_INSTALL=OFF",
                f"-DPython_EXECUTABLE={sys.executable}",
            ]
            if shutil.which("ninja"):
                args += ["-G", "Ninja"]
            args += os.environ.get("COSTMODEL_CMAKE_ARGS", "").split()
            subprocess.run(args, check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_costmodel", "-j", jobs],
                       check=True)
        built = sorted((build_dir / "python" / "costmodel").glob("_costmodel*.so"))
        if not built:
            raise RuntimeError(f"{build_dir}: the CMake build made no _costmodel module")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[-1], target)


class BuildPyWithPresets(build_py):
    """Also copies presets/ (accelerators, runs, claims, datacenter.toml) into the package."""

    def run(self) -> None:
        super().run()
        dest = Path(self.build_lib) / "costmodel" / "presets"
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(ROOT / "presets", dest)


setup(
    version=_version(),
    ext_modules=[CMakeExtension("costmodel._costmodel")],
    cmdclass={"build_ext": CMakeBuild, "build_py": BuildPyWithPresets},
    zip_safe=False,
)
