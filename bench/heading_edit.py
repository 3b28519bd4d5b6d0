#!/usr/bin/env python3
"""Times a `studysite build` after a heading edit, cache warm: every page renders again.

Copies CORPUS to a temporary folder, builds it once, then renames the first `## ` heading of
one note RUNS times, building after each edit into the same output with the same cache
folder, and prints each wall time and the median. `--exe` picks the binary (to compare two).

Usage: python3 bench/heading_edit.py [--exe BIN] [--runs N] CORPUS
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def first_note_with_heading(root):
    # A note in a folder: the top level holds the repository's README, CHANGELOG and such,
    # `.github/` its templates (which define no terms, so editing them renders less).
    for dirpath, _, files in sorted(os.walk(root)):
        hidden = any(part.startswith(".") for part in os.path.relpath(dirpath, root).split(os.sep))
        if dirpath == root or hidden:
            continue
        for name in sorted(files):
            if name.endswith(".md"):
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as fh:
                    if any(line.startswith("## ") for line in fh):
                        return path
    raise SystemExit(f"no note under {root} has a `## ` heading")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--exe", default=os.path.join(ROOT, "target", "release", "studysite"))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="studysite-heading-") as tmp:
        site = os.path.join(tmp, "site")
        shutil.copytree(args.corpus, site)
        out, cache = os.path.join(tmp, "out"), os.path.join(tmp, "cache")
        env = dict(os.environ, XDG_CACHE_HOME=cache)
        cmd = [args.exe, "build", site, "-o", out, "-q"]
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        note = first_note_with_heading(site)
        times = []
        for i in range(args.runs):
            with open(note, encoding="utf-8") as fh:
                lines = fh.read().split("\n")
            at = next(n for n, line in enumerate(lines) if line.startswith("## "))
            lines[at] = f"## Renamed {i} " + lines[at][3:]
            with open(note, "w", encoding="utf-8") as fh:
                fh.write("\n".join(lines))
            started = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - started)
        rel = os.path.relpath(note, site)
        print(f"{args.corpus}: heading edit of {rel}, rebuild wall "
              + " ".join(f"{t:.3f}" for t in times)
              + f" s, median {statistics.median(times):.3f} s")


if __name__ == "__main__":
    main()
