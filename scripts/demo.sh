#!/usr/bin/env bash
# The demo: installs what is missing, builds, indexes the bundled sample in data/sample and runs
# a few queries.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
rm -rf build/demo-db
build/bin/trials-index --db build/demo-db data/sample
echo
echo '$ trials-search --db build/demo-db "acute respiratory distress" --facet status --facet phase'
build/bin/trials-search --db build/demo-db "acute respiratory distress" --facet status --facet phase
echo
echo '$ trials-search --db build/demo-db covid19 status:recruiting --limit 3'
build/bin/trials-search --db build/demo-db covid19 status:recruiting --limit 3
