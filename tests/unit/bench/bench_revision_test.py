"""bench/run's git_revision: the revision recorded with every benchmark figure. A run over
several sizes writes the first size's results (bench/RESULTS.md, bench/plot-data, bench/plot.png)
before it measures the next; those outputs must not mark the measured binaries "+uncommitted"
(the 100k figures of 2 Dec 2026 were recorded as 366041c+uncommitted for that reason), while any
other change must.

Usage: bench_revision_test.py PROJECT_ROOT"""
import importlib.machinery
import importlib.util
import os
import subprocess
import sys
import tempfile

root = sys.argv[1]
loader = importlib.machinery.SourceFileLoader("bench_run", os.path.join(root, "bench", "run"))
spec = importlib.util.spec_from_loader("bench_run", loader)
bench_run = importlib.util.module_from_spec(spec)
loader.exec_module(bench_run)


def git(repo, *args):
    return subprocess.run(["git", "-C", repo] + list(args), check=True, text=True,
                          capture_output=True).stdout.strip()


def write(repo, path, text):
    os.makedirs(os.path.dirname(os.path.join(repo, path)), exist_ok=True)
    with open(os.path.join(repo, path), "w") as f:
        f.write(text)


failures = []


def expect(label, got, want):
    if got != want:
        failures.append(f"{label}: got {got!r}, want {want!r}")


with tempfile.TemporaryDirectory() as repo:
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "test@example.invalid")
    git(repo, "config", "user.name", "test")
    for path in ("search/src/a.cpp", "bench/RESULTS.md", "bench/plot-data/size-10.json",
                 "bench/plot.png", "bench/peers/NOTES.md"):
        write(repo, path, "1\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    head = git(repo, "rev-parse", "--short", "HEAD")
    expect("clean tree", bench_run.git_revision(repo), head)
    for path in ("bench/RESULTS.md", "bench/plot-data/size-10.json", "bench/plot.png"):
        write(repo, path, "2\n")
    expect("only bench/run's outputs changed", bench_run.git_revision(repo), head)
    write(repo, "bench/peers/NOTES.md", "2\n")
    expect("notes changed", bench_run.git_revision(repo), head + "+uncommitted")
    git(repo, "checkout", "-q", "--", "bench/peers/NOTES.md")
    write(repo, "search/src/a.cpp", "2\n")
    expect("source changed", bench_run.git_revision(repo), head + "+uncommitted")
    write(repo, "new-untracked.txt", "x\n")
    git(repo, "checkout", "-q", "--", "search/src/a.cpp")
    expect("untracked file only", bench_run.git_revision(repo), head)

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("bench/run git_revision: 5 cases pass")
