#!/usr/bin/env python3
"""SQLite FTS5 bm25 baseline of the relevance figures.

Reads the stored documents of a trialsearch database (as `trials-search --json --fields all`
prints them), indexes the same text fields as trials-plain-xapian into an FTS5 table (porter
tokenizer over unicode61, FTS5's default bm25() with k1=1.2, b=0.75, every column weight 1), and
ranks each topic's note words ORed. Writes a TREC run file; score it with
`trials-search eval --score-run`.

usage: fts5_baseline.py DOCS.json TOPICS QRELS RUN_OUT [--condensed]
"""
import json
import re
import sqlite3
import sys
import xml.etree.ElementTree as ET

FIELDS = ["title", "official_title", "acronym", "conditions", "keywords", "interventions",
          "summary", "description", "eligibility", "condition_mesh"]


def text_of(v):
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return " . ".join(text_of(e) for e in v)
    if isinstance(v, dict):
        return text_of(v.get("name", ""))
    return ""


def read_topics(path):
    with open(path, encoding="utf-8") as f:
        head = f.read(1).lstrip() or f.read(64).lstrip()
    if head.startswith("<"):
        root = ET.parse(path).getroot()
        return [(t.get("number"), " ".join(t.itertext()).strip()) for t in root.iter("topic")]
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                j = json.loads(line)
                out.append((str(j["_id"]), j["text"]))
    return out


def read_qrels(path):
    q = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            p = line.split()
            if not p:
                continue
            topic, doc, grade = (p[0], p[2], p[3]) if len(p) == 4 else (p[0], p[1], p[2])
            if n == 0 and not grade.lstrip("-").isdigit():
                continue
            q.setdefault(topic, {})[doc] = int(grade)
    return q


def qrels_key(qrels, topic):
    if topic in qrels:
        return topic
    found = [k for k in qrels if re.fullmatch(r"[A-Za-z]+-\d{4}" + re.escape(topic), k)]
    return found[0] if len(found) == 1 else None


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    condensed = "--condensed" in sys.argv
    if len(args) != 4:
        sys.exit(__doc__)
    docs_path, topics_path, qrels_path, run_path = args
    hits = json.load(open(docs_path, encoding="utf-8"))["hits"]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(nct UNINDEXED, %s, tokenize='porter unicode61')"
               % ", ".join(FIELDS))
    db.executemany("INSERT INTO t VALUES (?%s)" % (", ?" * len(FIELDS)),
                   [[h["nct_id"]] + [text_of(h.get(f, "")) for f in FIELDS] for h in hits])
    qrels = read_qrels(qrels_path)
    with open(run_path, "w", encoding="utf-8") as out:
        for topic, text in read_topics(topics_path):
            key = qrels_key(qrels, topic)
            if key is None:
                continue
            words = sorted(set(re.findall(r"[A-Za-z0-9]+", text.lower())))
            match = " OR ".join('"%s"' % w for w in words)
            sql = "SELECT nct, bm25(t) FROM t WHERE t MATCH ?"
            params = [match]
            if condensed:
                ids = sorted(qrels[key])
                sql += " AND nct IN (%s)" % ",".join("?" * len(ids))
                params += ids
            sql += " ORDER BY bm25(t) LIMIT 1000"
            for rank, (nct, score) in enumerate(db.execute(sql, params), 1):
                out.write("%s Q0 %s %d %.6f fts5-bm25\n" % (key, nct, rank, -score))


if __name__ == "__main__":
    main()
