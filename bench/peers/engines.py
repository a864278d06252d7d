"""The engines bench/run compares: ours (trials-index / trials::search), SQLite FTS5, Sphinx 2.2
(Debian's sphinxsearch) and Xapian's generic scriptindex. Each builds an index from one corpus
and answers the same query set, each in its own syntax; latencies are measured in process
(ours and scriptindex through trials-bench-query, SQLite through python's sqlite3 module, Sphinx
through SphinxQL with pymysql, whose client overhead is included and noted)."""

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import threading
import time

# The seven text fields every engine indexes (columns of trials-corpus --peer-text).
TEXT_FIELDS = ["title", "summary", "description", "eligibility", "conditions", "interventions",
               "outcomes"]
PEER_COLUMNS = ["nct_id", "status", "phase", "study_type"] + TEXT_FIELDS
# our query language's field names -> peer columns / scriptindex prefixes
FIELD_COLUMN = {"title": "title", "condition": "conditions", "intervention": "interventions",
                "outcome": "outcomes", "eligibility": "eligibility", "summary": "summary",
                "description": "description"}
STATUSES = ["RECRUITING", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED",
            "ENROLLING_BY_INVITATION", "SUSPENDED", "TERMINATED", "WITHDRAWN", "AVAILABLE",
            "NO_LONGER_AVAILABLE", "TEMPORARILY_NOT_AVAILABLE", "APPROVED_FOR_MARKETING",
            "WITHHELD", "UNKNOWN"]
PHASES = ["NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4"]


def code(values, value):
    return values.index(value) + 1 if value in values else 0


def words(text):
    return re.findall(r"[A-Za-z0-9]+", text)


def timed(cmd, log, cwd=None):
    """Runs cmd under /usr/bin/time; returns {seconds (wall), cpu_s (user + sys of the process
    and its children), peak_rss_mb}. CPU time is what other jobs on a shared machine disturb
    least; wall time is what a user waits."""
    tfile = log + ".time"
    with open(log, "w") as out:
        t0 = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", tfile] + cmd, stdout=out,
                       stderr=subprocess.STDOUT, check=True, cwd=cwd)
        secs = time.perf_counter() - t0
    with open(tfile) as f:
        rss_kb, user, system = f.read().strip().splitlines()[-1].split()
    return {"seconds": secs, "cpu_s": float(user) + float(system),
            "peak_rss_mb": int(rss_kb) / 1024.0}


def dir_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


def percentile(sorted_ms, p):
    if not sorted_ms:
        return None
    k = max(0, min(len(sorted_ms) - 1, int(round(p / 100.0 * len(sorted_ms) + 0.5)) - 1))
    return sorted_ms[k]


def summarise(timings, walls):
    """timings: {kind: [ms...]}, walls: {kind: (seconds, queries)} -> {kind: figures}"""
    out = {}
    for kind, ms in timings.items():
        ms = sorted(ms)
        wall, n = walls[kind]
        out[kind] = {"p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95),
                     "p99_ms": percentile(ms, 99), "qps": n / wall if wall > 0 else None,
                     "queries": n}
    return out


class QuerySet:
    """The neutral query set; each engine translates it."""

    def __init__(self, keyword, fielded, filtered, patient, similar, stopwords):
        self.keyword, self.fielded, self.filtered = keyword, fielded, filtered
        self.patient, self.similar, self.stopwords = patient, similar, stopwords

    def patient_words(self, text):
        """Lower-cased words of a patient note without stop words, the same for every engine."""
        seen, out = set(), []
        for w in words(text.lower()):
            if w in self.stopwords or w in ("and", "or", "not") or w in seen:
                continue
            seen.add(w)
            out.append(w)
        return out


class Ours:
    name = "ours"
    label = "trialsearch (ours)"

    def __init__(self, bin_dir, work, threads, shards=0):
        self.bin, self.work, self.threads, self.shards = bin_dir, work, threads, shards
        self.db = os.path.join(work, "ours-db")

    def build(self, corpus, log):
        shutil.rmtree(self.db, ignore_errors=True)
        # 0: trials-index's default (a new database: one writer per thread, merged at the end)
        shards = ["--shards", str(self.shards)] if self.shards > 0 else []
        return timed([os.path.join(self.bin, "trials-index"), "--db", self.db, "--threads",
                      str(self.threads)] + shards + ["-q", corpus["zip"]], log)

    def compact(self, log):
        return timed([os.path.join(self.bin, "trials-index"), "--db", self.db, "--compact", "-q"],
                     log)

    def size(self):
        return dir_bytes(self.db)

    def queries(self, qs):
        rows = [("keyword", "all", q) for q in qs.keyword]
        rows += [("fielded", "all", f"{f}:{w}") for f, w in qs.fielded]
        rows += [("filtered", "all", f"{w} status:{s.lower()}") for s, w in qs.filtered]
        rows += [("facet", "facet", q) for q in qs.keyword]
        rows += [("patient", "any", " ".join(qs.patient_words(p))) for p in qs.patient]
        rows += [("patientmode", "patient", " ".join(p.split())) for p in qs.patient]
        rows += [("similar", "similar", n) for n in qs.similar]
        return rows

    def run_queries(self, qs, threads, repeat, scratch):
        return run_driver(self.bin, "ours", self.db, self.queries(qs), threads, repeat, scratch)


class XapianScriptindex:
    name = "scriptindex"
    label = "Xapian scriptindex"
    PREFIX = {"title": "S", "conditions": "XC", "interventions": "XI", "outcomes": "XO",
              "summary": "XSU", "description": "XD", "eligibility": "XE"}

    def __init__(self, bin_dir, work):
        self.bin, self.work = bin_dir, work
        self.db = os.path.join(work, "scriptindex-db")
        self.script = os.path.join(work, "scriptindex.script")
        self.input = None

    def prepare(self, corpus):
        """scriptindex's field=value records from the peer text (not timed)."""
        with open(self.script, "w") as f:
            f.write("nct_id : field unique=Q boolean=Q\n"
                    "status : boolean=XS value=0\n"
                    "phase : boolean=XP value=1\n"
                    "study_type : boolean=XT\n")
            for field in TEXT_FIELDS:
                # each field prefixed and unprefixed, with positions (scriptindex's usual setup)
                f.write(f"{field} : index={self.PREFIX[field]} index\n")
        self.input = os.path.join(self.work, "scriptindex.input")
        with open(corpus["tsv"]) as src, open(self.input, "w") as dst:
            next(src)
            for line in src:
                cols = line.rstrip("\n").split("\t")
                for name, value in zip(PEER_COLUMNS, cols):
                    if value:
                        dst.write(f"{name}={value}\n")
                dst.write("\n")

    def build(self, corpus, log):
        shutil.rmtree(self.db, ignore_errors=True)
        return timed(["scriptindex", self.db, self.script, self.input], log)

    def compact(self, log):
        out = self.db + ".compact"
        shutil.rmtree(out, ignore_errors=True)
        result = timed(["xapian-compact", self.db, out], log)
        shutil.rmtree(self.db)
        os.rename(out, self.db)
        return result

    def size(self):
        return dir_bytes(self.db)

    def queries(self, qs):
        rows = [("keyword", "and", q, "") for q in qs.keyword]
        rows += [("fielded", "and", f"{f}:{w}", "") for f, w in qs.fielded]
        rows += [("filtered", "and", w, "XS:" + s) for s, w in qs.filtered]  # scriptindex adds ":"
        rows += [("facet", "facet", q, "") for q in qs.keyword]
        rows += [("patient", "or", " ".join(qs.patient_words(p)), "") for p in qs.patient]
        return rows

    def run_queries(self, qs, threads, repeat, scratch):
        return run_driver(self.bin, "xapian", self.db, self.queries(qs), threads, repeat, scratch)


def run_driver(bin_dir, engine, db, rows, threads, repeat, scratch):
    qfile = os.path.join(scratch, f"{engine}.queries")
    with open(qfile, "w") as f:
        for row in rows:
            f.write("\t".join(row) + "\n")
    out = subprocess.run([os.path.join(bin_dir, "trials-bench-query"), engine, db, qfile,
                          str(threads), str(repeat)], capture_output=True, text=True, check=True)
    timings, walls, hits = {}, {}, {}
    for line in out.stdout.splitlines():
        cols = line.split("\t")
        if cols[0] == "q":
            timings.setdefault(cols[1], []).append(float(cols[2]))
            hits[cols[1]] = hits.get(cols[1], 0) + int(cols[3])
        elif cols[0] == "wall":
            walls[cols[1]] = (float(cols[2]), int(cols[3]))
    result = summarise(timings, walls)
    for kind in result:
        result[kind]["hits_per_query"] = hits[kind] / result[kind]["queries"]
    return result


def run_threads(make_conn, run_one, rows, threads, repeat):
    """Runs rows [(kind, payload)] on `threads` threads, each with its own connection."""
    by_kind = {}
    for kind, payload in rows:
        by_kind.setdefault(kind, []).append(payload)
    conns = [make_conn() for _ in range(threads)]
    for kind, payloads in by_kind.items():  # warm-up pass
        for p in payloads:
            run_one(conns[0], kind, p)
    timings, walls, hits = {}, {}, {}
    for kind, payloads in by_kind.items():
        results = [[] for _ in range(threads)]

        def worker(t):
            start = len(payloads) * t // threads
            for _ in range(repeat):
                for i in range(len(payloads)):
                    p = payloads[(start + i) % len(payloads)]
                    t0 = time.perf_counter()
                    n = run_one(conns[t], kind, p)
                    results[t].append(((time.perf_counter() - t0) * 1000.0, n))

        t0 = time.perf_counter()
        pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
        for th in pool:
            th.start()
        for th in pool:
            th.join()
        wall = time.perf_counter() - t0
        flat = [r for rs in results for r in rs]
        timings[kind] = [ms for ms, _ in flat]
        hits[kind] = sum(n for _, n in flat)
        walls[kind] = (wall, len(flat))
    for c in conns:
        c.close()
    result = summarise(timings, walls)
    for kind in result:
        result[kind]["hits_per_query"] = hits[kind] / result[kind]["queries"]
    return result


def fts_phrase(text):
    """Our words -> an FTS5 expression: every word quoted (AND), "..." phrases kept."""
    parts = []
    for m in re.finditer(r'"([^"]*)"|(\S+)', text):
        ws = words(m.group(1) if m.group(1) is not None else m.group(2))
        if ws:
            parts.append('"' + " ".join(ws) + '"' if m.group(1) is not None or len(ws) > 1
                         else f'"{ws[0]}"')
    return " ".join(parts)


class SqliteFts5:
    name = "fts5"
    label = "SQLite FTS5"

    def __init__(self, work):
        self.work = work
        self.db = os.path.join(work, "fts5.sqlite")

    def build(self, corpus, log):
        if os.path.exists(self.db):
            os.remove(self.db)
        sql = os.path.join(self.work, "fts5.sql")
        cols = ", ".join([f"{c} UNINDEXED" for c in PEER_COLUMNS[:4]] + TEXT_FIELDS)
        with open(sql, "w") as f:
            f.write(f"PRAGMA journal_mode=OFF;\nPRAGMA synchronous=OFF;\n"
                    f"CREATE VIRTUAL TABLE trials USING fts5({cols});\n"
                    f".mode ascii\n.separator \"\\t\" \"\\n\"\n"
                    f".import --skip 1 {corpus['tsv']} trials\n"
                    f"INSERT INTO trials(trials) VALUES('optimize');\n")
        return timed(["sh", "-c", f"sqlite3 {self.db} < {sql}"], log)

    def size(self):
        return dir_bytes(self.db)

    def queries(self, qs):
        rows = [("keyword", ("match", fts_phrase(q), None)) for q in qs.keyword]
        rows += [("fielded", ("match", f"{FIELD_COLUMN[f]} : ({fts_phrase(w)})", None))
                 for f, w in qs.fielded]
        rows += [("filtered", ("match", fts_phrase(w), s)) for s, w in qs.filtered]
        rows += [("facet", ("facet", fts_phrase(q), None)) for q in qs.keyword]
        rows += [("patient", ("match", " OR ".join(f'"{w}"' for w in qs.patient_words(p)), None))
                 for p in qs.patient]
        return rows

    def run_queries(self, qs, threads, repeat, scratch):
        def conn():
            c = sqlite3.connect(self.db, check_same_thread=False)
            return c

        def one(c, kind, payload):
            mode, expr, status = payload
            if mode == "facet":
                n = len(c.execute("SELECT nct_id FROM trials WHERE trials MATCH ? ORDER BY rank "
                                  "LIMIT 10", (expr,)).fetchall())
                c.execute("SELECT status, count(*) FROM trials WHERE trials MATCH ? GROUP BY 1",
                          (expr,)).fetchall()
                c.execute("SELECT phase, count(*) FROM trials WHERE trials MATCH ? GROUP BY 1",
                          (expr,)).fetchall()
                return n
            if status:
                return len(c.execute("SELECT nct_id FROM trials WHERE trials MATCH ? AND "
                                     "status = ? ORDER BY rank LIMIT 10",
                                     (expr, status)).fetchall())
            return len(c.execute("SELECT nct_id FROM trials WHERE trials MATCH ? ORDER BY rank "
                                 "LIMIT 10", (expr,)).fetchall())

        return run_threads(conn, one, self.queries(qs), threads, repeat)


class Sphinx:
    name = "sphinx"
    label = "Sphinx 2.2"

    def __init__(self, work, port=9317):
        self.work, self.port = work, port
        self.conf = os.path.join(work, "sphinx.conf")
        self.data = os.path.join(work, "sphinx-data")
        self.input = os.path.join(work, "sphinx.tsv")
        self.searchd = None

    def prepare(self, corpus):
        """tsvpipe input (numeric id first, status and phase as numbers) and sphinx.conf."""
        with open(corpus["tsv"]) as src, open(self.input, "w") as dst:
            next(src)
            for i, line in enumerate(src, 1):
                cols = line.rstrip("\n").split("\t")
                row = [str(i), cols[0], str(code(STATUSES, cols[1])), str(code(PHASES, cols[2]))]
                dst.write("\t".join(row + cols[4:]) + "\n")
        fields = "\n".join(f"    tsvpipe_field = {f}" for f in TEXT_FIELDS)
        with open(self.conf, "w") as f:
            f.write(f"""source trials_src
{{
    type = tsvpipe
    tsvpipe_command = cat {self.input}
    tsvpipe_attr_string = nct_id
    tsvpipe_attr_uint = status_id
    tsvpipe_attr_uint = phase_id
{fields}
}}
index trials
{{
    source = trials_src
    path = {self.data}/trials
    morphology = stem_en
    min_word_len = 1
}}
indexer
{{
    mem_limit = 512M
}}
searchd
{{
    listen = 127.0.0.1:{self.port}:mysql41
    log = {self.work}/searchd.log
    query_log = {self.work}/query.log
    pid_file = {self.work}/searchd.pid
    binlog_path =
    workers = threads
}}
""")

    def build(self, corpus, log):
        shutil.rmtree(self.data, ignore_errors=True)
        os.makedirs(self.data)
        return timed(["indexer", "--config", self.conf, "--all", "--quiet"], log)

    def size(self):
        return dir_bytes(self.data)

    def start(self):
        subprocess.run(["searchd", "--config", self.conf], check=True, capture_output=True)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("searchd did not start; see " + self.work + "/searchd.log")

    def stop(self):
        subprocess.run(["searchd", "--config", self.conf, "--stopwait"], capture_output=True)

    @staticmethod
    def expr(text):
        parts = []
        for m in re.finditer(r'"([^"]*)"|(\S+)', text):
            ws = words(m.group(1) if m.group(1) is not None else m.group(2))
            if ws:
                parts.append('"' + " ".join(ws) + '"' if len(ws) > 1 else ws[0])
        return " ".join(parts)

    def queries(self, qs):
        rows = [("keyword", ("match", self.expr(q), 0)) for q in qs.keyword]
        rows += [("fielded", ("match", f"@{FIELD_COLUMN[f]} {self.expr(w)}", 0))
                 for f, w in qs.fielded]
        rows += [("filtered", ("match", self.expr(w), code(STATUSES, s))) for s, w in qs.filtered]
        rows += [("facet", ("facet", self.expr(q), 0)) for q in qs.keyword]
        rows += [("patient", ("match", " | ".join(qs.patient_words(p)), 0)) for p in qs.patient]
        return rows

    def run_queries(self, qs, threads, repeat, scratch):
        import pymysql

        def conn():
            return pymysql.connect(host="127.0.0.1", port=self.port, user="", autocommit=True)

        def one(c, kind, payload):
            mode, expr, status = payload
            with c.cursor() as cur:
                if mode == "facet":
                    cur.execute("SELECT nct_id FROM trials WHERE MATCH(%s) LIMIT 10 "
                                "FACET status_id FACET phase_id", (expr,))
                    n = len(cur.fetchall())
                    while cur.nextset():
                        cur.fetchall()
                    return n
                if status:
                    cur.execute("SELECT nct_id FROM trials WHERE MATCH(%s) AND status_id = %s "
                                "LIMIT 10", (expr, status))
                else:
                    cur.execute("SELECT nct_id FROM trials WHERE MATCH(%s) LIMIT 10", (expr,))
                return len(cur.fetchall())

        self.start()
        try:
            return run_threads(conn, one, self.queries(qs), threads, repeat)
        finally:
            self.stop()
