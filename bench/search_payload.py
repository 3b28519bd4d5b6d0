#!/usr/bin/env python3
"""What the first search loads, at 1,000 and 10,000 pages.

Usage: bench/search_payload.py [--sizes 1000,10000] [--queries canary,"canary rollback",pipe]

Builds each corpus from bench/gen_corpus.py (reused from $STUDYSITE_BENCH_DIR, default
/tmp/studysite-bench) with the release binary, then runs each query through the real
static/search.js in node (bench/search_payload.js), counting every file it loads:
search.js itself, the shard list and the shards. Needs node. The goal: at most 300 kB.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.environ.get("STUDYSITE_BENCH_DIR", "/tmp/studysite-bench")
BIN = os.path.join(ROOT, "target", "release", "studysite")


def build(n):
    site = os.path.join(WORK, str(n))
    if not os.path.isdir(os.path.join(site, "notes")):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), str(n), site], check=True)
    out = os.path.join(WORK, f"search-{n}")
    subprocess.run([BIN, "build", site, "-o", out], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out


def dir_stats(path):
    files = [os.path.join(dp, f) for dp, _, fs in os.walk(path) for f in fs]
    return len(files), sum(os.path.getsize(f) for f in files)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--queries", default="canary,canary rollback,pipel")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    print(f"{'pages':>6}  {'query':<16} {'results':>7} {'files':>5} {'loaded':>10} {'gzip':>9}   index on disk")
    worst = 0
    for n in [int(s) for s in args.sizes.split(",")]:
        out = build(n)
        shards, total = dir_stats(os.path.join(out, "static", "search"))
        for q in args.queries.split(","):
            res = subprocess.run(["node", os.path.join(HERE, "search_payload.js"), out, q],
                                 check=True, capture_output=True, text=True)
            r = json.loads(res.stdout)
            worst = max(worst, r["bytes"])
            print(f"{n:>6}  {q:<16} {r['results']:>7} {r['files']:>5} {r['bytes'] / 1000:>8.1f} kB"
                  f" {r['gzip'] / 1000:>6.1f} kB   {shards} files, {total / 1e6:.1f} MB")
    print(f"largest first-query payload: {worst / 1000:.1f} kB (goal: at most 300 kB)")
    sys.exit(0 if worst <= 300_000 else 1)


if __name__ == "__main__":
    main()
