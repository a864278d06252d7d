#!/usr/bin/env bash
# bench/scale.sh: the scale-out figures of the README (issue 6), measured in one run:
#   1. indexing speed-up from 1 to 2 threads (and 2 threads writing 2 shards), fresh databases;
#   2. the time to update an index with 1% of its studies changed, against a full rebuild;
#   3. query latency over 4 remote shards (xapian-tcpsrv on 127.0.0.1) against one local database.
# Every timing is the median of --runs runs. Writes bench/SCALE.md (or --out FILE).
#
# Usage: bench/scale.sh [--input DIR|ARCHIVE] [--runs N] [--bin DIR] [--out FILE]
#   --input   records to index (default: the 5,020 COVID records of ../shared/data/real, the
#             legacy XML archive, extracted once into a work folder so the update can edit it)
#   --bin     where trials-index and trials-bench-query are (default build-release/bin, built
#             with -DTRIALS_BUILD_BENCH=ON by bench/run; else build/bin)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
shared=${TRIALS_SHARED_DATA:-$root/../shared/data/real}
input="" runs=3 bin="" out="$here/SCALE.md"
while [ $# -gt 0 ]; do
  case $1 in
    --input) input=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "bench/scale.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
. "$here/find_bin.sh"
bin=$(find_bin bench/scale.sh trials-index trials-bench-query)
command -v xapian-tcpsrv >/dev/null || { echo "bench/scale.sh: xapian-tcpsrv missing (apt-get install xapian-tools)" >&2; exit 2; }

work=$(mktemp -d /tmp/trials-scale.XXXXXX)
servers=()
cleanup() { for p in "${servers[@]}"; do { kill -9 "$p"; wait "$p"; } 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

if [ -z "$input" ]; then
  archive="$shared/ctgov-xml-covid-kaggle/clinical_studies_xml.tar.gz"
  [ -f "$archive" ] || { echo "bench/scale.sh: $archive is absent; give --input" >&2; exit 2; }
  mkdir -p "$work/in"
  tar xzf "$archive" -C "$work/in"
  input="$work/in"
  corpus="the 5,020 COVID legacy XML records of ctgov-xml-covid-kaggle"
else
  corpus="$input"
fi

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
# seconds of one command (wall clock)
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>"$work/last.err" || { cat "$work/last.err" >&2; exit 1; }; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
fresh_index() {  # DB ARGS...: time indexing $input into a new database
  local db=$1; shift
  rm -rf "$db"
  seconds "$bin/trials-index" --db "$db" -q "$@" "$input"
}

echo "1/3 indexing with 1 and 2 threads ($runs runs each)" >&2
t1=$(for i in $(seq "$runs"); do fresh_index "$work/t1" --threads 1; done | median)
t2=$(for i in $(seq "$runs"); do fresh_index "$work/t2" --threads 2 --shards 1; done | median)
t2m=$(for i in $(seq "$runs"); do fresh_index "$work/t2m" --threads 2; done | median)
t2s=$(for i in $(seq "$runs"); do fresh_index "$work/t2s" --threads 2 --shards 2; done | median)
studies=$(xapian-delve "$work/t1" | awk -F' = ' '/number of documents/ {print $2}')

echo "2/3 update with 1% of the studies changed" >&2
# A working copy of the input whose every 100th record gets a changed title; the update runs
# into a copy of the full index each time.
if [ -d "$input" ]; then
  cp -r "$input" "$work/changed"
else
  mkdir -p "$work/changed" && cp "$input" "$work/changed/"
fi
mapfile -t files < <(find "$work/changed" -type f \( -name '*.xml' -o -name '*.json' \) | sort)
changed=0
for ((i = 0; i < ${#files[@]}; i += 100)); do
  f=${files[$i]}
  if [[ $f == *.xml ]]; then
    sed -i '0,/<brief_title>/s//<brief_title>Revised /' "$f"
  else
    sed -i '0,/"briefTitle": *"/s//"briefTitle": "Revised /' "$f"
  fi
  changed=$((changed + 1))
done
full=$(for i in $(seq "$runs"); do rm -rf "$work/full"; seconds "$bin/trials-index" --db "$work/full" -q "$work/changed"; done | median)
rm -rf "$work/base" && "$bin/trials-index" --db "$work/base" -q "$input" >/dev/null 2>&1
upd=$(for i in $(seq "$runs"); do rm -rf "$work/upd"; cp -r "$work/base" "$work/upd"; seconds "$bin/trials-index" --db "$work/upd" -q "$work/changed"; done | median)
summary=$("$bin/trials-index" --db "$work/base" "$work/changed" 2>&1 | grep -o 'added.*' | head -1)

echo "3/3 queries: one local database against 4 remote shards" >&2
rm -rf "$work/one" "$work/four"
"$bin/trials-index" --db "$work/one" -q --threads 2 "$input" >/dev/null 2>&1
"$bin/trials-index" --db "$work/four" -q --threads 2 --shards 4 "$input" >/dev/null 2>&1
: > "$work/remote.stub"
for i in 0 1 2 3; do
  port=$((46100 + i + RANDOM % 500 * 4))
  xapian-tcpsrv --port "$port" --interface 127.0.0.1 "$work/four/shard-00$i" >/dev/null 2>&1 &
  servers+=($!)
  echo "remote 127.0.0.1:$port" >> "$work/remote.stub"
done
sleep 1
# Our query sets (bench/queries) as the driver reads them: kind, mode, text.
{
  grep -v '^#' "$here/queries/keyword.txt" | sed 's/^/keyword\tall\t/'
  grep -v '^#' "$here/queries/filtered.tsv" | awk -F'\t' '{printf "filtered\tall\t%s status:%s\n", $2, tolower($1)}'
  grep -v '^#' "$here/queries/keyword.txt" | head -10 | sed 's/^/facet\tfacet\t/'
} > "$work/queries.tsv"
latency() {  # DB: "p50 p99 qps" over all queries, 1 client thread
  "$bin/trials-bench-query" ours "$1" "$work/queries.tsv" 1 "$runs" > "$work/lat.out"
  awk -F'\t' '$1=="q" {print $3}' "$work/lat.out" | sort -g > "$work/lat.sorted"
  local n; n=$(wc -l < "$work/lat.sorted")
  local p50 p99; p50=$(sed -n "$(( (n + 1) / 2 ))p" "$work/lat.sorted"); p99=$(sed -n "$(( (n * 99 + 99) / 100 ))p" "$work/lat.sorted")
  local total; total=$(awk '{s+=$1} END {print s}' "$work/lat.sorted")
  echo "$p50 $p99 $(echo "$n * 1000 / $total" | bc -l)"
}
read -r l50 l99 lqps < <(latency "$work/one")
read -r r50 r99 rqps < <(latency "$work/remote.stub")
nq=$(wc -l < "$work/queries.tsv")

rev=$(git -C "$root" rev-parse --short HEAD)
[ -z "$(git -C "$root" status --porcelain --untracked-files=no)" ] || rev="$rev+uncommitted"
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
f2() { printf '%.2f' "$1"; }
ratio() { f2 "$(echo "$1 / $2" | bc -l)"; }
build_type=$(grep -o 'CMAKE_BUILD_TYPE:STRING=.*' "$(dirname "$bin")/CMakeCache.txt" 2>/dev/null | cut -d= -f2)
mem=$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)
rate1=$(ratio "$studies" "$t1")
up2=$(ratio "$t1" "$t2")
up2s=$(ratio "$t1" "$t2s")
up2m=$(ratio "$t1" "$t2m")
share=$(f2 "$(echo "100 * $upd / $full" | bc -l)")
remote_ratio=$(ratio "$r50" "$l50")
cat > "$out" <<EOF
# Scale-out figures (bench/scale.sh)

Generated $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/scale.sh --runs $runs\` at git $rev, binaries in
\`${bin#"$root"/}\` (${build_type:-unknown} build). Machine: $cpu, $(nproc) cores, $mem GB.
Corpus: $corpus ($studies studies). Timings are medians of $runs runs, wall clock, on a machine
that may be shared with other work.

| measure | figure |
|---|---|
| index, 1 thread | $(f2 "$t1") s ($rate1 studies/s) |
| index, 2 threads, one writer (\`--shards 1\`) | $(f2 "$t2") s: **${up2}x** the 1-thread rate |
| index, 2 threads, the default (2 writers merged into one database) | $(f2 "$t2m") s: **${up2m}x** the 1-thread rate |
| index, 2 threads, 2 shards kept (\`--shards 2\`) | $(f2 "$t2s") s: **${up2s}x** the 1-thread rate |
| full rebuild of the changed dump, 2 threads | $(f2 "$full") s |
| update with $changed changed studies (1%) | $(f2 "$upd") s: **${share}%** of the rebuild ($summary) |
| $nq queries x $runs, one local database | p50 $(f2 "$l50") ms, p99 $(f2 "$l99") ms, $(f2 "$lqps") queries/s |
| the same over 4 remote shards (xapian-tcpsrv, 127.0.0.1) | p50 $(f2 "$r50") ms, p99 $(f2 "$r99") ms, $(f2 "$rqps") queries/s: p50 **${remote_ratio}x** local |
EOF
cat "$out"
