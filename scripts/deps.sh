#!/usr/bin/env bash
# Installs the Debian packages costmodel needs, or prints the exact list when it cannot.
# Usage: scripts/deps.sh            (sourced by demo.sh and test.sh)
set -euo pipefail

COSTMODEL_PACKAGES=(
  cmake ninja-build g++ pkg-config
  libboost-dev libfmt-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libcsv-dev catch2
  clang-format
  pybind11-dev python3-dev python3-pytest python3-numpy python3-matplotlib python3-pandas
  python3-setuptools python3-wheel python3-venv jupyter-nbconvert python3-ipykernel python3-mypy
  libbenchmark-dev clang libclang-rt-14-dev gcovr
  locales
)

missing=()
for p in "${COSTMODEL_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "costmodel: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  exit 0
fi
echo "costmodel: these Debian packages are missing and cannot be installed here (needs root and apt-get):" >&2
echo "  apt-get install ${missing[*]}" >&2
exit 1
