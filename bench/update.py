#!/usr/bin/python3
"""bench/update.py: the cost of keeping an index current (issue 6's "1% update" figure).

Takes a corpus zip (laid out like ctg-studies.json.zip) and the database built from it, writes a
newer dump in which every 100th study changed (its brief title and last-update date), and times
`trials-index --db DB NEWER.zip`: every study is read and fingerprinted, only the changed ones
are analysed and written. Prints the figures as one Markdown table row.

  bench/update.py --db /tmp/trials-bench/size-100000/ours-db \
      --zip /tmp/trials-bench/size-100000/corpus-100000-s42.zip [--bin build-release/bin]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def newer_dump(src, dst, every):
    changed = 0
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED,
                                                       compresslevel=1) as zout:
        for n, info in enumerate(zin.infolist()):
            data = zin.read(info)
            if n % every == 0 and info.filename.endswith(".json"):
                study = json.loads(data)
                ident = study["protocolSection"]["identificationModule"]
                ident["briefTitle"] = ident.get("briefTitle", "") + " (amended)"
                status = study["protocolSection"].setdefault("statusModule", {})
                status["lastUpdatePostDateStruct"] = {"date": "2026-11-30", "type": "ACTUAL"}
                data = json.dumps(study).encode()
                changed += 1
            zout.writestr(info.filename, data)
    return changed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--zip", required=True)
    ap.add_argument("--bin", default=os.path.join(ROOT, "build-release", "bin"))
    ap.add_argument("--every", type=int, default=100, help="change every Nth study (100: 1%%)")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    newer = re.sub(r"\.zip$", "", args.zip) + f"-changed-1in{args.every}.zip"
    changed = newer_dump(args.zip, newer, args.every)
    p = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", os.path.join(args.bin, "trials-index"),
                        "--db", args.db, "--threads", str(args.threads), newer],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        return p.returncode
    wall, user, system, rss = p.stderr.strip().split("\n")[-1].split()
    summary = [l for l in (p.stdout + p.stderr).split("\n") if "added" in l]
    print(f"| update with {changed} changed studies (1 in {args.every}) | {float(wall):.1f} s wall, "
          f"{float(user) + float(system):.1f} s CPU, peak RSS {int(rss) / 1024:.0f} MB "
          f"({summary[-1].strip() if summary else 'no summary line'}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
