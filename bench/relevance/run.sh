#!/usr/bin/env bash
# The relevance figures of README.md ("Relevance"), in one run: for TREC CT 2021, 2022 and SIGIR
# 2016 on the condensed judged subsets (only the judged trials the database holds are ranked),
# nDCG@10 / P@10 / MRR of
#   patient      trials-search eval (patient mode, default settings)
#   keywords     trials-search eval --mode keywords (our plain keyword search over the whole note)
#   xapian       trials-plain-xapian (plain Xapian BM25 over all text, default settings)
#   fts5         fts5_baseline.py (SQLite FTS5 bm25 over the same fields)
# and the patient mode with each part left out (what each part adds); then, topic by topic, the
# significance of patient mode's difference from each of them (trials-search eval --compare:
# paired randomization test, bootstrap 95% interval of the nDCG@10 difference).
# Usage: bench/relevance/run.sh BUILD_DIR DB [SHARED_DATA]   (e.g. build build/test-dbs/all-one)
set -euo pipefail
build=$1 db=$2
shared=${3:-$(dirname "$0")/../../../shared/data/real}
here=$(cd "$(dirname "$0")" && pwd)
bin=$build/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin/trials-search" --db "$db" --limit 1000000 --json --fields all --no-snippets > "$work/docs.json"
measure() {  # label, then eval arguments; the ranking goes to $work/<label>.run
  local label=$1; shift
  local run=()
  [[ " $* " == *" --score-run "* ]] || run=(--run "$work/${label// /-}.run")
  "$bin/trials-search" eval --db "$db" --condensed "$@" "${run[@]}" |
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
  "$bin/trials-plain-xapian" --db "$db" --topics "$topics" --qrels "$qrels" --condensed --run "$work/xapian-bm25-plain.run"
  measure xapian-bm25-plain --qrels "$qrels" --score-run "$work/xapian-bm25-plain.run"
  python3 "$here/fts5_baseline.py" "$work/docs.json" "$topics" "$qrels" "$work/sqlite-fts5-bm25.run" --condensed
  measure sqlite-fts5-bm25 --qrels "$qrels" --score-run "$work/sqlite-fts5-bm25.run"
  for part in fields mesh age-sex exclusion feedback negation family concept-phrases no-criteria \
              stated-ages shorthand first-sentence demographics diagnosis; do
    measure "patient without $part" --topics "$topics" --qrels "$qrels" --without "$part"
  done
  echo "  patient mode minus each, nDCG@10 topic by topic:"
  compare=()
  for r in keywords xapian-bm25-plain sqlite-fts5-bm25 fields mesh age-sex exclusion feedback \
           negation family concept-phrases no-criteria stated-ages shorthand first-sentence demographics diagnosis; do
    f=$work/$r.run
    [ -f "$f" ] || f=$work/patient-without-$r.run
    compare+=(--compare "$f")
  done
  "$bin/trials-search" eval --db "$db" --condensed --qrels "$qrels" \
      --score-run "$work/patient.run" "${compare[@]}" |
    awk -F'\t' '$1=="compare" && $3=="ndcg_cut_10" {
      n=$2; sub(/.*\//, "", n); sub(/\.run$/, "", n); sub(/^patient-/, "", n)
      printf "    vs %-26s %s  %s  %s  %s  %s\n", n, $4, $5, $6, $7, $8 }'
done
