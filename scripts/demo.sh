#!/usr/bin/env bash
# Quickstart 1: installs what is missing, builds the calculator and runs it on the bundled presets.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCOSTMODEL_BUILD_TESTS=OFF -DCOSTMODEL_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build/release --target costmodel_cli costmodel_man -j 2 >/dev/null
echo "man page: build/release/costmodel.1 (man -l build/release/costmodel.1; installed by cmake --install)"
set -x
build/release/costmodel compare deepseek-v3 gpt-4 llama-3.1-405b
build/release/costmodel estimate deepseek-v3
