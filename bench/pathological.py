#!/usr/bin/env python3
"""Builds hostile single-note sites at three sizes and prints how the build time grows.

    python3 bench/pathological.py [--binary target/release/studysite] [--scale 1.0]

For each input (one long token, a hex dump in a code block, unclosed containers, nested
admonitions and callouts, ... : issue 10's rows 3 and 4 and more of the same kinds) it
builds n, 2n and 4n repetitions, takes the best of three runs less the time of an empty
site, and prints the growth exponent against the note's size in bytes,
log(t(4n)/t(n)) / log(size(4n)/size(n)): 1 is linear, 2 quadratic.
Exit status 1 when an exponent is above --limit (default 1.2).
"""

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time

# name -> (function of n giving the note's text, n)
CASES = {
    "long token": (lambda n: "a" * n + "\n", 200_000),
    "hex dump in code": (lambda n: "```\n" + "0123456789abcdef" * (n // 16) + "\n```\n", 400_000),
    "long url": (lambda n: "see https://example.org/" + "x" * n + "\n", 200_000),
    "accented token": (lambda n: "é" * n + "\n", 100_000),
    "unclosed ::: containers": (lambda n: ":::tip x\n" * n, 4_000),
    "unclosed hugo hints": (lambda n: "{{< hint >}}\n" * n, 4_000),
    "nested !!! admonitions": (lambda n: "".join("    " * i + "!!! tip\n" for i in range(n)), 400),
    "nested > [!tip] callouts": (lambda n: "".join("> " * i + "[!tip]\n" for i in range(1, n)), 400),
    "backticks on one line": (lambda n: "`" + " `a" * n + "\n", 20_000),
    "%% comment openers": (lambda n: "%% x " * n + "\n", 160_000),
    "== highlight openers": (lambda n: "==a " * n + "\n", 160_000),
    "deep list": (lambda n: "".join("  " * i + "- x\n" for i in range(n)), 2_000),
    "deep block quote": (lambda n: ">" * n + " x\n", 2_000),
    "many brackets": (lambda n: "[" * n + "x" + "]" * n + "\n", 20_000),
    "emphasis runs": (lambda n: "*a " * n + "\n", 20_000),
    "one heading repeated": (lambda n: "## Same\n\n" * n, 5_000),
    "box line": (lambda n: "┌" + "─" * n + "┐\n│" + " " * n + "│\n└" + "─" * n + "┘\n", 20_000),
    "many diagrams with faults": (lambda n: "```text\n┌──┐\n│  │\n└─┘\n```\n\n" * n, 1_000),
    # Each fenced by studysite, each fault mapped back through the fences' offset map.
    "un-fenced diagrams with faults": (lambda n: "┌──┐\n│  │\n└─┘\n\n" * n, 4_000),
    "scenario arrows": (lambda n: "".join(f"- need {i} -> Answer{i}\n" for i in range(n)), 4_000),
    "wide table": (lambda n: "|" + "a|" * n + "\n|" + "-|" * n + "\n|" + "b|" * n + "\n", 4_000),
    "html attributes": (lambda n: "<p " + 'href="x" ' * n + ">\n", 10_000),
    "dollars": (lambda n: "$a " * n + "\n", 20_000),
}


def build_time(binary, text, runs=3):
    with tempfile.TemporaryDirectory() as site:
        notes = os.path.join(site, "notes")
        os.makedirs(notes)
        with open(os.path.join(notes, "index.md"), "w", encoding="utf-8") as f:
            f.write(text)
        best = math.inf
        for _ in range(runs):
            out = os.path.join(site, "public")
            start = time.perf_counter()
            r = subprocess.run([binary, "build", site, "-o", out], capture_output=True, text=True)
            took = time.perf_counter() - start
            if r.returncode != 0 and "error" in r.stderr and "panicked" in r.stderr:
                raise RuntimeError(r.stderr[-2000:])
            best = min(best, took)
        return best


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default="target/release/studysite")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every base size")
    ap.add_argument("--limit", type=float, default=1.2)
    ap.add_argument("--only", help="run the cases whose name contains this")
    args = ap.parse_args()
    empty = build_time(args.binary, "# Empty\n")
    print(f"empty site: {empty * 1000:.0f} ms (subtracted below)")
    print(f"{'input':28} {'bytes(4n)':>10} {'t(n) ms':>9} {'t(2n) ms':>9} {'t(4n) ms':>9} {'exponent':>9}")
    worst = 0.0
    for name, (make, n) in CASES.items():
        if args.only and args.only not in name:
            continue
        n = max(1, int(n * args.scale))
        texts = [make(n * k) for k in (1, 2, 4)]
        times = [max(build_time(args.binary, t) - empty, 0.001) for t in texts]
        sizes = [len(t.encode()) for t in texts]
        exponent = math.log(times[2] / times[0]) / math.log(sizes[2] / sizes[0])
        # Below 20 ms the noise is larger than the growth: report, do not judge.
        judged = times[2] >= 0.02
        worst = max(worst, exponent if judged else 0.0)
        flag = "" if not judged else (" SLOW" if exponent > args.limit else "")
        print(
            f"{name:28} {sizes[2]:10d} {times[0] * 1000:9.1f} {times[1] * 1000:9.1f} {times[2] * 1000:9.1f} "
            f"{exponent:9.2f}{flag}"
        )
    print(f"worst judged exponent: {worst:.2f} (limit {args.limit})")
    sys.exit(1 if worst > args.limit else 0)


if __name__ == "__main__":
    main()
