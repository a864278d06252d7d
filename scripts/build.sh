#!/usr/bin/env bash
# Configures and builds trialsearch into build/ (programs in build/bin/). Extra arguments go to
# the CMake configure step, e.g. -DTRIALS_WERROR=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build -j "$(nproc)"
