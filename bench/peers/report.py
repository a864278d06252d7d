"""Writes bench/RESULTS.md and bench/plot.png from bench/plot-data/size-*.json (bench/run)."""

import glob
import json
import os
import subprocess

ORDER = ["ours", "fts5", "sphinx", "scriptindex"]
KIND_LABEL = {"keyword": "keyword", "fielded": "fielded", "filtered": "filtered (status)",
              "facet": "facet counts (status, phase)", "patient": "long patient-style",
              "patientmode": "patient mode, the same notes (ours only)",
              "similar": "similar trials (ours only)"}
OURS_ONLY = {"patientmode", "similar"}  # no peer has them: no ratio


def shards_text(shards):
    """How ours was indexed: 0 is trials-index's default since it merges writers (a new database:
    one writer per thread, merged at the end); runs stored before that have 1 (one writer)."""
    if shards == 0:
        return (" (its default for a new database: one writer per thread, merged into one "
                "database at the end)")
    if shards == 1:
        return " (one writer)"
    return f" `--shards {shards}`"


def fmt(v, digits=1):
    if v is None:
        return "–"
    if isinstance(v, float) and abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:,.{digits}f}"


def ratio(peer, ours):
    if peer is None or ours is None or ours == 0:
        return "–"
    return f"{peer / ours:.2f}×"


def load_all(here):
    runs = []
    for path in glob.glob(os.path.join(here, "plot-data", "size-*.json")):
        with open(path) as f:
            runs.append(json.load(f))
    return sorted(runs, key=lambda r: r["size"])


def size_section(r):
    c = r["corpus"]
    out = [f"## {r['size']:,} studies",
           "",
           f"Machine: {r['machine']}. Corpus: {r['size']:,} studies from `trials-corpus --seed "
           f"{r['seed']}` (seed corpus {c['seed_studies']:,} real records, fingerprint "
           f"`{c['seed_fingerprint']}`), {c['json_bytes'] / 1e6:,.1f} MB of JSON, zip "
           f"{c['zip_bytes'] / 1e6:,.1f} MB. Build: {r['build_type']}, revision "
           f"`{r['revision']}`, {r['date']}. Medians of {r['runs']} runs; each query run is "
           f"{r['repeat']} passes over the set after a warm-up pass. Load average "
           f"{r['load_before'][0]:.1f} before, {r['load_after'][0]:.1f} after (2 cores). "
           f"Patient queries: {r['patient_queries']}. Ours indexed with `--threads "
           f"{r.get('index_threads', 2)}`"
           + shards_text(r.get("index_shards", 1)) + ".",
           "",
           "### Indexing",
           "",
           "| engine | build s (wall) | CPU s | studies/s | MB/s | peak RSS MB | index MB | "
           "compacted MB | bytes/study | index / input |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    engines = [e for e in ORDER if e in r["engines"]]
    for name in engines:
        e = r["engines"][name]
        out.append(f"| {e['label']} | {fmt(e['build_s'])} | {fmt(e.get('build_cpu_s'))} | "
                   f"{fmt(e['studies_per_s'])} | {fmt(e['mb_per_s'], 2)} | "
                   f"{fmt(e['peak_rss_mb'])} | {fmt(e['index_bytes'] / 1e6)} | "
                   f"{fmt(e['compacted_bytes'] / 1e6) if 'compacted_bytes' in e else '–'} | "
                   f"{fmt(e['bytes_per_study'], 0)} | {fmt(e['ratio_to_input'], 2)} |")
    out += ["", "### Queries (latency in ms, QPS)", ""]
    for threads in ("1", "2"):
        out += [f"{threads} client thread{'s' if threads == '2' else ''}:", "",
                "| queries | " + " | ".join(f"{r['engines'][n]['label']} p50 / p95 / p99 / QPS"
                                           for n in engines) + " |",
                "|---|" + "---|" * len(engines)]
        for kind in KIND_LABEL:
            cells = []
            for n in engines:
                q = r["engines"][n]["queries"].get(threads, {}).get(kind)
                cells.append("–" if not q else
                             f"{fmt(q['p50_ms'], 2)} / {fmt(q['p95_ms'], 2)} / "
                             f"{fmt(q['p99_ms'], 2)} / {fmt(q['qps'], 0)}")
            if any(c != "–" for c in cells):
                out.append(f"| {KIND_LABEL[kind]} | " + " | ".join(cells) + " |")
        out.append("")
    out += ["Hits returned per query (of 10), 1 thread: " + "; ".join(
        f"{r['engines'][n]['label']} " + ", ".join(
            f"{k} {q['hits_per_query']:.1f}" for k, q in r["engines"][n]["queries"]["1"].items())
        for n in engines) + ".", ""]
    missing = [n for n in ORDER if n not in r["engines"]]
    if missing and len(missing) < len(ORDER) - 1:
        out += ["Not measured at this size: " + ", ".join(missing) +
                " (`bench/run --engines`; see the notes below for why).", ""]
    if "ours" not in r["engines"] or len(r["engines"]) < 2:
        out += ["No peer was measured at this size (`bench/run --engines`).", ""]
    else:
        ours = r["engines"]["ours"]
        out += ["### Ratios against each peer (peer ÷ ours: above 1× means ours is faster or "
                "smaller)", "",
                "| peer | build wall | build CPU | index size | " +
                " | ".join(f"{k} p50" for k in KIND_LABEL if k not in OURS_ONLY) + " |",
                "|---|---|---|---|" + "---|" * (len(KIND_LABEL) - len(OURS_ONLY))]
        for n in engines:
            if n == "ours":
                continue
            e = r["engines"][n]
            size_o = ours.get("compacted_bytes") or ours["index_bytes"]
            size_p = e.get("compacted_bytes") or e["index_bytes"]
            cells = []
            for k in KIND_LABEL:
                if k in OURS_ONLY:
                    continue
                qo = ours["queries"]["1"].get(k)
                qp = e["queries"]["1"].get(k)
                cells.append(ratio(qp and qp["p50_ms"], qo and qo["p50_ms"]))
            out.append(f"| {e['label']} | {ratio(e['build_s'], ours['build_s'])} | "
                       f"{ratio(e.get('build_cpu_s'), ours.get('build_cpu_s'))} | "
                       f"{ratio(size_p, size_o)} | " + " | ".join(cells) + " |")
        out.append("")
    return out


def growth_section(runs):
    out = ["## How cost grows", "",
           "Build wall seconds and single-thread p50 (ms) of keyword and patient-style queries "
           "at each measured size (plot: `bench/plot.png`).", "",
           "| studies | " + " | ".join(f"{n} build s / keyword p50 / patient p50" for n in ORDER) +
           " |", "|---|" + "---|" * len(ORDER)]
    for r in runs:
        cells = []
        for n in ORDER:
            e = r["engines"].get(n)
            if not e:
                cells.append("–")
                continue
            q = e["queries"]["1"]
            cells.append(f"{fmt(e['build_s'])} / {fmt(q.get('keyword', {}).get('p50_ms'), 2)} / "
                         f"{fmt(q.get('patient', {}).get('p50_ms'), 2)}")
        out.append(f"| {r['size']:,} | " + " | ".join(cells) + " |")
    return out + [""]


def plot(here, runs):
    if not runs:
        return
    data = os.path.join(here, "plot-data", "growth.dat")
    with open(data, "w") as f:
        f.write("# size " + " ".join(f"{n}_build_s {n}_keyword_p50 {n}_patient_p50"
                                     for n in ORDER) + "\n")
        for r in runs:
            row = [str(r["size"])]
            for n in ORDER:
                e = r["engines"].get(n)
                q = e["queries"]["1"] if e else {}
                row += [str(e["build_s"]) if e else "NaN",
                        str(q.get("keyword", {}).get("p50_ms", "NaN")),
                        str(q.get("patient", {}).get("p50_ms", "NaN"))]
            f.write(" ".join(row) + "\n")
    script = os.path.join(here, "plot.gp")
    subprocess.run(["gnuplot", "-e", f"datafile='{data}'; outfile='{os.path.join(here, 'plot.png')}'",
                    script], check=True)


def targets_section(runs):
    """The issue's targets, checked at 100k where it was measured (they are set there; otherwise
    at the largest size: rates are compared, latencies only indicate), the 600k build at 600k
    where it was measured (else from the rate at the size checked)."""
    by_size = {r["size"]: r for r in runs if "ours" in r["engines"]}
    if not by_size:
        return []
    r = by_size.get(100_000) or by_size[max(by_size)]
    e = r["engines"]
    ours = e["ours"]
    lines = [f"## Targets (issue 7), checked at {r['size']:,} studies", ""]

    def line(name, ok, detail):
        lines.append(f"- {'met' if ok else '**missed**'}: {name}: {detail}")

    if "scriptindex" in e:
        x = e["scriptindex"]["build_s"] / ours["build_s"]
        line("indexing at least 10x faster than scriptindex", x >= 10,
             f"{x:.2f}x (wall; CPU {e['scriptindex']['build_cpu_s'] / ours['build_cpu_s']:.2f}x)"
             + ("" if x >= 10 else f", short by {10 / x:.1f}x"))
    for n, secs in ((100_000, 30), (600_000, 240)):
        at = by_size.get(n, r)
        rate = at["engines"]["ours"]["studies_per_s"]
        need = n / secs
        measured = (f"{at['engines']['ours']['build_s']:,.0f} s at {n:,}, " if at["size"] == n
                    else f"at {at['size']:,}, ")
        line(f"{n:,} studies in under {secs} s", rate >= need,
             f"needs {need:,.0f} studies/s, measured {measured}{rate:,.1f} studies/s"
             + ("" if rate >= need else f" (short by {need / rate:.0f}x)"))
    if "fts5" in e:
        mine = ours.get("compacted_bytes") or ours["index_bytes"]
        line("index no larger than FTS5's", mine <= e["fts5"]["index_bytes"],
             f"{mine / e['fts5']['index_bytes']:.2f}x FTS5's size (compacted)")
    q = ours["queries"]["1"]
    for kind, fig, limit in (("keyword", "p99_ms", 5), ("patient", "p50_ms", 30),
                             ("patientmode", "p50_ms", 30), ("similar", "p50_ms", 10)):
        if kind in q:
            line(f"{kind} {fig[:3]} under {limit} ms", q[kind][fig] < limit,
                 f"{q[kind][fig]:.2f} ms (target set at 100k)")
    behind = []
    for n, peer in e.items():
        if n == "ours":
            continue
        for kind, pq in peer["queries"]["1"].items():
            for fig in ("p50_ms", "p99_ms"):
                if kind in q and q[kind][fig] > pq[fig]:
                    behind.append(f"{kind} {fig[:3]} vs {peer['label']} "
                                  f"({q[kind][fig]:.2f} vs {pq[fig]:.2f} ms)")
    if len(e) < 2:
        lines.append("- not checked: faster than every peer at p50 and p99 (no peer measured)")
    else:
        line("faster than every peer at p50 and p99", not behind,
             "behind on " + "; ".join(behind) if behind else "ahead on every query kind")
    return lines + [""]


def write(here):
    runs = load_all(here)
    lines = ["# Whole-program benchmark results",
             "",
             "Generated by `bench/run` (this file is rewritten by `bench/run --size N` and "
             "`bench/run --report`; do not edit by hand). Corpora come from `trials-corpus` "
             "(bench/corpus), learned from the real records in ../shared/data/real; every engine "
             "indexes the same seven text fields (title, summary, description, eligibility, "
             "conditions, interventions, outcomes) of the same studies. Ours reads the zip itself "
             "(JSON parsing, every field and facet trials-search needs); the peers get the "
             "seven fields pre-extracted by `trials-corpus --peer-text`, untimed. See "
             "the notes at the end (bench/peers/NOTES.md) for what each engine does.",
             "",
             "**Timings are noisy**: the machine has 2 cores shared with other engineers' builds "
             "and tests while these runs were made (load averages are given with each size). "
             "Figures are medians; CPU seconds disturb less than wall seconds. Compare small "
             "code changes with callgrind instruction counts, not with these.",
             ""]
    for r in runs:
        lines += size_section(r)
    lines += growth_section(runs)
    lines += targets_section(runs)
    notes = os.path.join(here, "peers", "NOTES.md")
    if os.path.exists(notes):
        with open(notes) as f:
            lines += [f.read().rstrip(), ""]
    with open(os.path.join(here, "RESULTS.md"), "w") as f:
        f.write("\n".join(lines))
    plot(here, runs)
