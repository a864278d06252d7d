#!/usr/bin/env bash
# The relevance figures of README.md ("Relevance"), in one run: for TREC CT 2021, 2022 and SIGIR
# 2016 on the condensed judged subsets (only the judged trials the database holds are ranked),
# nDCG@10 / P@10 / MRR of
#   patient      trials-search eval (patient mode, default settings)
#   keywords     trials-search eval --mode keywords (our plain keyword search over the whole note)
#   xapian       trials-plain-xapian (plain Xapian BM25 over all text, default settings)
#   fts5         fts5_baseline.py (SQLite FTS5 bm25 over the same fields)
# and the patient mode with each part left out (what each part adds).
# Usage: bench/relevance/run.sh BUILD_DIR DB [SHARED_DATA]   (e.g. build build/test-dbs/all-one)
set -euo pipefail
build=$1 db=$2
shared=${3:-$(dirname "$0")/../../../shared/data/real}
here=$(cd "$(dirname "$0")" && pwd)
bin=$build/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin/trials-search" --db "$db" --limit 1000000 --json --fields all --no-snippets > "$work/docs.json"
measure() {  # label, then eval arguments
  local label=$1; shift
  "$bin/trials-search" eval --db "$db" --condensed "$@" |
    awk -v l="$label" '$2=="all"{v[$1]=$3} END{printf "  %-22s nDCG@10 %s  P@10 %s  MRR %s  (%s topics)\n", l, v["ndcg_cut_10"], v["P_10"], v["recip_rank"], v["num_q"]}'
}
for set in 2021 2022 sigir; do
  case $set in
    sigir) topics=$shared/trec-ct-trialgpt/sigir/queries.jsonl
           qrels=$shared/overlap/qrels_sigir_on_copied_records.tsv ;;
    *)     topics=$shared/trec-ct-topics/topics$set.xml
           qrels=$shared/overlap/qrels_trec_${set}_on_copied_records.tsv ;;
  esac
  echo "$set"
  measure patient --topics "$topics" --qrels "$qrels"
  measure keywords --topics "$topics" --qrels "$qrels" --mode keywords
  "$bin/trials-plain-xapian" --db "$db" --topics "$topics" --qrels "$qrels" --condensed --run "$work/xapian.run"
  measure xapian-bm25-plain --qrels "$qrels" --score-run "$work/xapian.run"
  python3 "$here/fts5_baseline.py" "$work/docs.json" "$topics" "$qrels" "$work/fts5.run" --condensed
  measure sqlite-fts5-bm25 --qrels "$qrels" --score-run "$work/fts5.run"
  for part in fields mesh age-sex exclusion feedback negation family concept-phrases no-criteria; do
    measure "patient without $part" --topics "$topics" --qrels "$qrels" --without "$part"
  done
done
