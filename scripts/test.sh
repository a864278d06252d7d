#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh -DTRIALS_WERROR=ON -DTRIALS_BUILD_TESTS=ON
cd build
ctest --output-on-failure -j "$(nproc)" --timeout 600
cd ..
# Sanitizers (README "Reliability"; TRIALS_TEST_SANITIZE=0 skips): the tests that do not need the
# real-data fixture again under ASan+UBSan (clang, build-asan/), then each libFuzzer target for a
# short fixed number of executions (scripts/fuzz.sh).
if [ "${TRIALS_TEST_SANITIZE:-1}" != 0 ]; then
  bash scripts/setup.sh clang libclang-rt-14-dev
  # -O1 with line tables only: sanitizer reports keep file:line, the build takes far less time.
  CC=clang CXX=clang++ cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DTRIALS_SANITIZE=ON -DTRIALS_FUZZ=ON >/dev/null
  cmake --build build-asan -j "$(nproc)" --target trials-index trials-search records_tests \
    analysis_tests indexer_tests search_tests integration_tests cli_tests similar_tests \
    hostile_input_tests crash_tests concurrent_tests query_bytes_tests
  (cd build-asan && ctest --output-on-failure -j "$(nproc)" --timeout 900 -LE relevance \
    -E 'NOT_BUILT|real_dbs_setup')
  bash scripts/fuzz.sh 10000
fi
