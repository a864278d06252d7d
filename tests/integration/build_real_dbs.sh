#!/usr/bin/env bash
# ctest fixture: indexes the real records of ../shared/data/real once for every real-data test,
# through the trials-index command line. COVID archive alone first (its counts are checked
# against its SOURCE.md), then copied and updated with the other archive and the API v2 fixtures.
# Usage: build_real_dbs.sh BIN_DIR SHARED_DATA OUT_DIR
set -euo pipefail
bin=$1 shared=$2 out=$3
rm -rf "$out"
if [ ! -d "$shared" ]; then
  echo "skip: $shared is absent; the real-data tests will skip"
  exit 0
fi
mkdir -p "$out"
mesh="$shared/mesh-2024-jaytimm/desc2024_from_tsv.xml.gz"
"$bin/trials-index" --db "$out/covid.tmp" --mesh "$mesh" \
  "$shared/ctgov-xml-covid-kaggle/clinical_studies_xml.tar.gz" | tee "$out/covid.log"
cp -r "$out/covid.tmp" "$out/all.tmp"
"$bin/trials-index" --db "$out/all.tmp" --mesh "$mesh" \
  "$shared/ctgov-xml-reesewang/clinical_studies_xml.tar.gz" \
  "$shared/aact-fixtures/json_v2" "$shared/ctgov-api-v2/studies" 2> "$out/all.err" | tee "$out/all.log"
# Only complete databases get their final names, so a failed run never looks ready.
mv "$out/covid.tmp" "$out/covid"
mv "$out/all.tmp" "$out/all"
