#!/usr/bin/env bash
# bench/batch.sh: what the commit batch size (trials-index --commit-every) costs in indexing
# time, peak memory and index size, on one generated corpus, in one run. Writes bench/BATCH.md
# (or --out FILE).
#
# Why it matters: Xapian 1.4 buffers the postings of a batch in memory, in a std::map of terms
# each holding a std::map keyed by document id, and walks those trees for every posting it adds;
# with large batches the walks cost more than the commits.
#
# Usage: bench/batch.sh [--count N] [--batches "20000 1000 300"] [--threads T] [--bin DIR]
#                       [--out FILE]
#   --count    studies in the generated corpus (default 10000; trials-corpus --seed 42)
#   --batches  the --commit-every values to compare (default "20000 1000 300")
#   --threads  trials-index --threads (default 1: the writer's cost without a second core)
#   --bin      where trials-index and trials-corpus are (default build-release/bin, else build/bin)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
count=10000 batches="20000 1000 300" threads=1 bin="" out="$here/BATCH.md"
while [ $# -gt 0 ]; do
  case $1 in
    --count) count=$2; shift 2 ;;
    --batches) batches=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "bench/batch.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
. "$here/find_bin.sh"
bin=$(find_bin bench/batch.sh trials-index trials-corpus)
[ -x /usr/bin/time ] || { echo "bench/batch.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d /tmp/trials-batch.XXXXXX)
trap 'rm -rf "$work"' EXIT
corpus="$work/corpus-$count.ndjson"
"$bin/trials-corpus" -q --count "$count" --seed 42 --out "$corpus"
mb=$(du -m "$corpus" | cut -f1)

rows=""
first_s=""
for b in $batches; do
  echo "indexing $count studies with --commit-every $b" >&2
  rm -rf "$work/db"
  /usr/bin/time -f "%e %M" -o "$work/time" \
    "$bin/trials-index" --db "$work/db" -q --threads "$threads" --shards 1 --commit-every "$b" "$corpus"
  read -r s kb < "$work/time"
  size=$(du -sm "$work/db" | cut -f1)
  "$bin/trials-index" --db "$work/db" -q --compact >/dev/null
  compact=$(du -sm "$work/db" | cut -f1)
  docs=$(xapian-delve "$work/db" | awk -F' = ' '/number of documents/ {print $2}')
  [ "$docs" = "$count" ] || { echo "bench/batch.sh: the index holds $docs studies, not $count" >&2; exit 1; }
  [ -n "$first_s" ] || first_s=$s
  speed=$(printf '%.2f' "$(echo "$first_s / $s" | bc -l)")
  rate=$(printf '%.0f' "$(echo "$count / $s" | bc -l)")
  rows+="| $b | $(printf '%.1f' "$s") s ($rate studies/s) | **${speed}x** | $((kb / 1024)) MB | $size MB | $compact MB |"$'\n'
done

rev=$(git -C "$root" rev-parse --short HEAD)
[ -z "$(git -C "$root" status --porcelain --untracked-files=no)" ] || rev="$rev+uncommitted"
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
build_type=$(grep -o 'CMAKE_BUILD_TYPE:STRING=.*' "$(dirname "$bin")/CMakeCache.txt" 2>/dev/null | cut -d= -f2)
load=$(cut -d' ' -f1-3 /proc/loadavg)
cat > "$out" <<EOF
# Commit batch size (bench/batch.sh)

Generated $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/batch.sh --count $count --batches "$batches" --threads $threads\`
at git $rev, binaries in \`${bin#"$root"/}\` (${build_type:-unknown} build). Machine: $cpu,
$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo) GB; load average
after the run: $load. Corpus: $count generated studies (\`trials-corpus --seed 42\`, $mb MB of
NDJSON), indexed with \`trials-index --threads $threads --shards 1 --commit-every N\` into a new database;
one run each, wall clock and peak resident memory from \`/usr/bin/time\`.

| --commit-every | indexing | speed vs the first row | peak memory | index | index after --compact |
|---|---|---|---|---|---|
$rows
Xapian 1.4 keeps a batch's postings in a \`std::map\` of terms, each holding a \`std::map\` keyed
by document id, and looks each new posting up from the roots: a batch of 20,000 documents makes those trees deep and their
nodes scattered, and walking them costs more than committing more often. Small batches leave
a larger index until it is compacted (\`trials-index --compact\`, or \`bench/run\`, which compacts
every engine's index before measuring it).
EOF
cat "$out"
