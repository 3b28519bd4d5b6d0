#!/usr/bin/env python3
"""Does a first build cost more when the cache folder already holds other sites?

Usage: bench/cache_neighbours.py [--exe PATH] [--runs N] SITE OTHER [OTHER ...]

Builds every OTHER site into one cache folder (as a user who built them before would have),
then times a first build of SITE (no earlier output) with a copy of that folder, and with an
empty one, N times each, and prints the medians and the size of the other sites' cache.
Temporary folders go in $TMPDIR.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build(exe, site, out, cache):
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    started = time.perf_counter()
    subprocess.run([exe, "build", site, "-o", out, "-q"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def size(folder):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(folder) for f in files)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exe", default=os.path.join(ROOT, "target", "release", "studysite"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("site")
    ap.add_argument("others", nargs="+")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="studysite-neighbours-") as tmp:
        filled = os.path.join(tmp, "filled")
        for other in args.others:
            build(args.exe, other, os.path.join(tmp, "other-out"), filled)
            shutil.rmtree(os.path.join(tmp, "other-out"))
        times = {"other sites' cache": [], "empty cache": []}
        for _ in range(args.runs):
            for kind in times:
                cache = os.path.join(tmp, "cache")
                shutil.rmtree(cache, ignore_errors=True)
                if kind == "empty cache":
                    os.makedirs(cache)
                else:
                    shutil.copytree(filled, cache)
                out = os.path.join(tmp, "out")
                shutil.rmtree(out, ignore_errors=True)
                times[kind].append(build(args.exe, args.site, out, cache))
        print(f"{len(args.others)} other sites, {size(filled) / 2**20:.1f} MiB of cache")
        for kind, samples in times.items():
            print(f"first build of {os.path.basename(os.path.normpath(args.site))}, {kind}: "
                  f"median {statistics.median(samples):.3f} s of {args.runs}")


if __name__ == "__main__":
    main()
