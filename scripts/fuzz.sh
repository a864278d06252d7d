#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) into build-asan/ and runs each for a fixed
# number of executions, starting from the seed corpus in tests/fuzz/corpus (copied: the committed
# corpus never changes). Exits non-zero on the first crash, leak, timeout or sanitizer report;
# the input that caused it is left in the printed directory.
#   bash scripts/fuzz.sh            # short run (CI): 4000 executions per target
#   bash scripts/fuzz.sh 2000000    # longer run, e.g. before a release
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-4000}"
BUILD="${FUZZ_BUILD_DIR:-build-asan}"
TARGETS=(fuzz_json_reader fuzz_xml_reader fuzz_mesh fuzz_analyzers fuzz_query_parser)
CORPUS=(json_reader xml_reader mesh analyzers query_parser)
if [[ ! -f "$BUILD/CMakeCache.txt" ]]; then
    CC=clang CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
        -DTRIALS_SANITIZE=ON -DTRIALS_FUZZ=ON >/dev/null
fi
cmake --build "$BUILD" -j "$(nproc)" --target "${TARGETS[@]}"
WORK="$(mktemp -d /tmp/trials-fuzz.XXXXXX)"
for i in "${!TARGETS[@]}"; do
    t="${TARGETS[$i]}"
    mkdir -p "$WORK/$t"
    cp tests/fuzz/corpus/"${CORPUS[$i]}"/* "$WORK/$t/"
    start=$SECONDS
    if ! (cd "$WORK" && "$OLDPWD/$BUILD/bin/$t" -runs="$RUNS" -max_len=65536 -timeout=20 \
            -rss_limit_mb=2048 -artifact_prefix="$WORK/$t-" "$WORK/$t" >"$WORK/$t.log" 2>&1); then
        tail -n 40 "$WORK/$t.log"
        echo "fuzz.sh: $t FAILED after $((SECONDS - start)) s; inputs and log in $WORK" >&2
        exit 1
    fi
    echo "fuzz.sh: $t: $RUNS executions, no finding ($((SECONDS - start)) s;" \
         "$(grep -o 'cov: [0-9]*' "$WORK/$t.log" | tail -n 1))"
done
rm -rf "$WORK"
