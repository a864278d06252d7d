#!/usr/bin/env bash
# ctest fixture: indexes the real records of ../shared/data/real once for every real-data test,
# through the trials-index command line:
#   covid/     the COVID archive alone, one database (its counts are checked against SOURCE.md)
#   all/       every real record with MeSH 2024, written as 3 shards in parallel
#   all-one/   the same, compacted into one database (the reference for shard/remote tests)
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
covid="$shared/ctgov-xml-covid-kaggle/clinical_studies_xml.tar.gz"
"$bin/trials-index" --db "$out/covid.tmp" --mesh "$mesh" "$covid" | tee "$out/covid.log"
"$bin/trials-index" --db "$out/all.tmp" --shards 3 --mesh "$mesh" "$covid" \
  "$shared/ctgov-xml-reesewang/clinical_studies_xml.tar.gz" \
  "$shared/aact-fixtures/json_v2" "$shared/ctgov-api-v2/studies" 2> "$out/all.err" | tee "$out/all.log"
cp -r "$out/all.tmp" "$out/all-one.tmp"
"$bin/trials-index" --db "$out/all-one.tmp" --compact
# Only complete databases get their final names, so a failed run never looks ready.
mv "$out/covid.tmp" "$out/covid"
mv "$out/all.tmp" "$out/all"
mv "$out/all-one.tmp" "$out/all-one"
