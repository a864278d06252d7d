#!/usr/bin/env python3
"""Runs the examples of README.md against the bundled sample and checks their printed output.

An example is a ```sh block whose lines start with build/bin/, followed by one or more output
blocks (``` or ```json). Every command of the block runs (stdout and stderr together, as a
terminal shows them, without bold); the outputs are compared with the output blocks joined:

- text: every shown line must appear in the output, in order; a line that is only "…" stands
  for lines left out, and "…" inside a line for text left out (a time, the rest of a snippet).
- json: the shown object must be contained in the printed one (objects: the shown keys, lists:
  the same length and each element contained, numbers within 1e-6 relative).

Usage: check_readme_examples.py README BIN_DIR SAMPLE_DIR WORK_DIR
The commands' build/bin/ is replaced by BIN_DIR and build/demo-db by a database built from
SAMPLE_DIR in WORK_DIR with the command the README gives; data/relevance is the folder beside
SAMPLE_DIR, and the commands run in WORK_DIR (where a file they write goes). Exit 0 when every example matches,
1 otherwise (each mismatch is printed with the command and the first line not found).
"""
import json
import os
import re
import shlex
import subprocess
import sys


def blocks(text):
    """(lang, body, first line, last line) of each fenced block, in order (1-based)."""
    out = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\w*)\s*$", lines[i])
        if m:
            start = i
            body = []
            i += 1
            while i < len(lines) and lines[i].rstrip() != "```":
                body.append(lines[i])
                i += 1
            out.append((m.group(1), "\n".join(body), start + 1, i + 1))
        i += 1
    return out


def contained(shown, printed, path="$"):
    if isinstance(shown, dict):
        if not isinstance(printed, dict):
            return f"{path}: expected an object"
        for k, v in shown.items():
            if k not in printed:
                return f"{path}.{k}: missing"
            err = contained(v, printed[k], f"{path}.{k}")
            if err:
                return err
        return None
    if isinstance(shown, list):
        if not isinstance(printed, list) or len(shown) != len(printed):
            return f"{path}: expected a list of {len(shown)}, got {printed!r:.200}"
        for n, (a, b) in enumerate(zip(shown, printed)):
            err = contained(a, b, f"{path}[{n}]")
            if err:
                return err
        return None
    if isinstance(shown, float) or isinstance(printed, float):
        if isinstance(printed, (int, float)) and abs(shown - printed) <= 1e-6 * max(1, abs(shown)):
            return None
        return f"{path}: {shown!r} != {printed!r}"
    return None if shown == printed else f"{path}: {shown!r} != {printed!r}"


def check_text(shown, printed):
    got = [l.rstrip() for l in printed.split("\n")]
    pos = 0
    for line in shown.split("\n"):
        want = line.rstrip()
        if want.strip() in ("…", ""):
            continue
        # Inside a line, "…" also stands for text left out (a time, the rest of a snippet).
        pattern = re.compile(".*".join(re.escape(part) for part in want.split("…")) + "$")
        while pos < len(got) and got[pos] != want and not pattern.match(got[pos]):
            pos += 1
        if pos == len(got):
            return f"line not found (in order): {want!r}"
        pos += 1
    return None


def main():
    readme, bin_dir, sample, work = sys.argv[1:5]
    text = open(readme, encoding="utf-8").read()
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "demo-db")
    data = os.path.dirname(os.path.abspath(sample.rstrip("/")))  # the project's data/
    env = dict(os.environ, LC_ALL="C.UTF-8")

    def run(cmd):
        cmd = cmd.replace("build/bin/", bin_dir.rstrip("/") + "/").replace("build/demo-db", db)
        cmd = cmd.replace(" data/sample", " " + sample)
        cmd = cmd.replace(" data/relevance", " " + os.path.join(data, "relevance"))
        # Files an example writes (a run file) go to the work directory.
        p = subprocess.run(cmd, shell=True, capture_output=True, text=True, env=env, cwd=work)
        return p.stdout + p.stderr

    bl = blocks(text)
    failures = checked = 0
    i = 0
    while i < len(bl):
        lang, body, line, _ = bl[i]
        cmds = [l for l in body.split("\n") if l.startswith("build/bin/")]
        if lang != "sh" or not cmds:
            i += 1
            continue
        outs = []
        j = i + 1
        # Output blocks follow the command block directly (at most a blank line between).
        while j < len(bl) and bl[j][0] in ("", "json") and bl[j][2] - bl[j - 1][3] <= 2:
            outs.append(bl[j])
            j += 1
        i = j
        builds_demo = "trials-index" in cmds[0] and "build/demo-db" in cmds[0]
        if not outs and not builds_demo:
            continue  # a usage line, not an example
        if builds_demo:
            subprocess.run(["rm", "-rf", db])
        printed = [run(c) for c in cmds]
        if not outs:
            continue
        checked += 1
        if outs[0][0] == "json":
            err = None
            for n, (_, shown, _, _) in enumerate(outs):
                try:
                    err = contained(json.loads(shown), json.loads(printed[n]))
                except (json.JSONDecodeError, IndexError) as e:
                    err = f"not JSON: {e}: {printed[n][:200] if n < len(printed) else ''!r}"
                if err:
                    break
        else:
            err = check_text("\n".join(o[1] for o in outs), "\n".join(printed))
        if err:
            failures += 1
            print(f"{readme}:{line}: {cmds[0]}\n  {err}\n  printed:\n"
                  + "\n".join("    " + l for l in "\n".join(printed).split("\n")[:40]))
    print(f"{checked} README examples checked, {failures} differ")
    if checked == 0:
        print("no examples found")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
