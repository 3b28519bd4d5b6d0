#!/usr/bin/env python3
"""Times `studysite build` on three kinds of corpus, side by side with Hugo and mdBook when
present, and with the floor (`examples/floor.rs`: pulldown-cmark + syntect alone).

Usage: bench/bench.py [--sizes 1000,10000] [--shared-sizes 1000,10000] [--runs 3]
                      [--only own,shared,real] [--skip-anchors]
       bench/bench.py --prepare-anchors N DIR

The corpora: bench/gen_corpus.py (ours, --sizes), ../shared/bench/gen_corpus.py (written
independently, --shared-sizes; studysite builds its hugo/content, Hugo the whole site) and
every folder of ../shared/corpora/ (real notes, with the floor beside them).

Each corpus is built cold (an empty highlight cache and no earlier output) and warm (the
cache and the output of the run before). Printed per corpus and tool: median wall time,
median CPU time (user+sys), peak RSS, the output size and, for studysite, the search index
and the most one one-word query loads (search.js, the manifest and the largest shard), with
their ratios to the markdown's size; then studysite against Hugo, mdBook and the floor, and
time(largest)/time(smallest) for the generated corpora. Wall times on a shared machine are
noisy: CPU time is the steadier figure.

The second form only writes a corpus of N notes to DIR/notes and, fresh from it, the Hugo
site DIR/hugo and the mdBook DIR/mdbook (used by bench/serve_latency.mjs), then prints their
paths as JSON. Corpora are generated into $STUDYSITE_BENCH_DIR (default
/tmp/studysite-bench) and reused.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sizes import is_copied  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.environ.get("STUDYSITE_BENCH_DIR", "/tmp/studysite-bench")


SHARED = os.path.join(os.path.dirname(ROOT), "shared")


def run_measured(cmd, cwd=None, env=None):
    """Runs cmd; returns (wall s, cpu s, peak RSS MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def dir_size(path):
    total = 0
    for dp, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(dp, f))
    return total


def corpus(n):
    site = os.path.join(WORK, str(n))
    if not os.path.isdir(os.path.join(site, "notes")):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), str(n), site], check=True)
    return site


def hugo_site(site):
    hugo = os.path.join(site, "hugo")
    if os.path.isdir(hugo):
        return hugo
    shutil.copytree(os.path.join(site, "notes"), os.path.join(hugo, "content"))
    os.rename(os.path.join(hugo, "content", "index.md"), os.path.join(hugo, "content", "_index.md"))
    layouts = os.path.join(hugo, "layouts", "_default")
    os.makedirs(layouts)
    page = "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n"
    for name in ("single.html", "list.html"):
        with open(os.path.join(layouts, name), "w") as fh:
            fh.write(page)
    with open(os.path.join(hugo, "hugo.toml"), "w") as fh:
        fh.write('baseURL = "/"\ntitle = "Bench"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    return hugo


def mdbook_site(site):
    book = os.path.join(site, "mdbook")
    if os.path.isdir(book):
        return book
    src = os.path.join(book, "src")
    shutil.copytree(os.path.join(site, "notes"), src)
    lines = ["# Summary", ""]
    for dp, dirs, files in os.walk(src):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".md"):
                rel = os.path.relpath(os.path.join(dp, f), src)
                depth = rel.count("/")
                lines.append("  " * min(depth, 2) + f"- [{f[:-3]}]({rel})")
    with open(os.path.join(src, "SUMMARY.md"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    with open(os.path.join(book, "book.toml"), "w") as fh:
        fh.write('[book]\ntitle = "Bench"\n[output.html]\n')
    return book


def prepare_anchors(n, site):
    """Writes the corpus and both anchors' copies of it anew; returns their paths."""
    subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), str(n), site], check=True,
                   stdout=subprocess.DEVNULL)
    for old in ("hugo", "mdbook"):
        shutil.rmtree(os.path.join(site, old), ignore_errors=True)
    return {"studysite": site, "hugo": hugo_site(site), "mdbook": mdbook_site(site)}



def md_size(path):
    total = 0
    for dp, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        total += sum(os.path.getsize(os.path.join(dp, f)) for f in files if f.endswith(".md"))
    return total


def search_sizes(out):
    """(all of the search index, the most one one-word query loads) in bytes."""
    shards = os.path.join(out, "static", "search")
    if not os.path.isdir(shards):
        return float("nan"), float("nan")
    sizes = {f: os.path.getsize(os.path.join(shards, f)) for f in os.listdir(shards)}
    script = os.path.join(out, "static", "search.js")
    manifest = sizes.get("index.js", 0)
    largest = max((v for k, v in sizes.items() if k != "index.js"), default=0)
    return sum(sizes.values()), os.path.getsize(script) + manifest + largest


def copied_size(src, out):
    """Bytes of OUT that are files copied from the notes as they are (images, PDFs)."""
    total = 0
    for dp, _, files in os.walk(out):
        for f in files:
            if f.endswith(".html") or f.endswith(".md"):
                continue
            rel = os.path.relpath(os.path.join(dp, f), out)
            if is_copied(src, rel):
                total += os.path.getsize(os.path.join(dp, f))
    return total


MiB = 2**20
ROWS = []


def report(corpus, tool, mode, samples, out_dir, md):
    walls = [s[0] for s in samples]
    cpus = [s[1] for s in samples]
    row = {"corpus": corpus, "tool": tool, "mode": mode, "wall": statistics.median(walls),
           "cpu": statistics.median(cpus), "rss": max(s[2] for s in samples),
           "out": dir_size(out_dir) if out_dir and os.path.isdir(out_dir) else float("nan"),
           "md": md}
    line = (f"{corpus:28} {tool:9} {mode:4}  wall {row['wall']:7.3f} s  cpu {row['cpu']:7.3f} s  "
            f"peak {row['rss']:7.1f} MiB  output {row['out'] / MiB:7.1f} MiB ({row['out'] / md:4.1f}x md)")
    if tool == "studysite":
        search, first = search_sizes(out_dir)
        row.update(search=search, first=first)
        line += f"  search {search / MiB:6.2f} MiB ({search / md:4.2f}x)  first query {first / 1024:5.0f} kB"
    print(line, flush=True)
    ROWS.append(row)
    return row


def studysite_runs(exe, corpus, src, runs, md):
    """Cold runs (a fresh cache and output each), then warm ones (both kept)."""
    cold, warm = [], []
    with tempfile.TemporaryDirectory(prefix="studysite-bench-") as tmp:
        for i in range(runs):
            env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, f"cache-{i}"))
            out = os.path.join(tmp, f"out-{i}")
            cold.append(run_measured([exe, "build", src, "-o", out, "-q"], env=env))
        env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache-0"))
        out = os.path.join(tmp, "out-0")
        for _ in range(runs):
            warm.append(run_measured([exe, "build", src, "-o", out, "-q"], env=env))
        c = report(corpus, "studysite", "cold", cold, out, md)
        w = report(corpus, "studysite", "warm", warm, out, md)
        copied = copied_size(src, out)
        if copied:
            print(f"{'':28} output without the {copied / MiB:.1f} MiB of files copied as they are: "
                  f"{(c['out'] - copied) / MiB:.1f} MiB ({(c['out'] - copied) / md:.1f}x md)", flush=True)
    return c, w


def floor_runs(floor, corpus, src, runs, md):
    with tempfile.TemporaryDirectory(prefix="studysite-floor-") as tmp:
        samples = [run_measured([floor, src, os.path.join(tmp, f"out-{i}")]) for i in range(runs)]
        return report(corpus, "floor", "", samples, os.path.join(tmp, "out-0"), md)


def anchors(corpus, hugo_dir, mdbook_dir, runs, md, ours):
    if hugo_dir and shutil.which("hugo"):
        samples = [run_measured(["hugo", "--quiet", "-s", hugo_dir, "-d", os.path.join(hugo_dir, "public")])
                   for _ in range(runs)]
        h = report(corpus, "hugo", "", samples, os.path.join(hugo_dir, "public"), md)
        print(f"{'':28} studysite cold is {h['wall'] / ours['wall']:.1f}x Hugo's speed (CPU "
              f"{h['cpu'] / ours['cpu']:.1f}x), {h['rss'] / ours['rss']:.1f}x less memory", flush=True)
    elif hugo_dir:
        print("hugo: not installed (apt-get install -y hugo)", flush=True)
    if mdbook_dir and shutil.which("mdbook"):
        out = os.path.join(mdbook_dir, "book")
        samples = [run_measured(["mdbook", "build", mdbook_dir, "-d", out]) for _ in range(runs)]
        m = report(corpus, "mdbook", "", samples, out, md)
        print(f"{'':28} studysite cold is {m['wall'] / ours['wall']:.1f}x mdBook's speed", flush=True)


def shared_corpus(n):
    site = os.path.join(WORK, f"shared-{n}")
    if not os.path.isdir(os.path.join(site, "hugo", "content")):
        gen = os.path.join(SHARED, "bench", "gen_corpus.py")
        subprocess.run([sys.executable, gen, str(n), site, "--tools", "hugo"], check=True,
                       stdout=subprocess.DEVNULL)
    return os.path.join(site, "hugo")


def scaling(label, first, last):
    if first and last:
        print(f"{label:28} time({last[0]}) / time({first[0]}): wall {last[1]['wall'] / first[1]['wall']:.1f}, "
              f"cpu {last[1]['cpu'] / first[1]['cpu']:.1f}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--shared-sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="own,shared,real")
    ap.add_argument("--skip-anchors", action="store_true")
    ap.add_argument("--json", metavar="FILE", help="also write every row to FILE")
    ap.add_argument("--no-build", action="store_true", help="use the binaries already in target/release")
    ap.add_argument("--prepare-anchors", nargs=2, metavar=("N", "DIR"))
    args = ap.parse_args()
    if args.prepare_anchors:
        n, site = args.prepare_anchors
        print(json.dumps(prepare_anchors(int(n), os.path.abspath(site))))
        return
    if not args.no_build:
        built = subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "studysite",
                                "--example", "floor"], cwd=ROOT, capture_output=True, text=True)
        if built.returncode != 0:
            sys.exit(built.stderr)
    exe = os.path.join(ROOT, "target", "release", "studysite")
    floor = os.path.join(ROOT, "target", "release", "examples", "floor")
    only = set(args.only.split(","))
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}, {args.runs} runs each, medians", flush=True)
    if "own" in only:
        done = []
        for n in (int(s) for s in args.sizes.split(",") if s):
            site = corpus(n)
            md = md_size(os.path.join(site, "notes"))
            c, _ = studysite_runs(exe, f"bench/gen_corpus.py {n}", site, args.runs, md)
            done.append((n, c))
            if not args.skip_anchors:
                anchors(f"bench/gen_corpus.py {n}", hugo_site(site), mdbook_site(site), args.runs, md, c)
        scaling("bench/gen_corpus.py", done[0] if done else None, done[-1] if done else None)
    if "shared" in only:
        if not os.path.isdir(SHARED):
            sys.exit(f"{SHARED} is missing")
        done = []
        for n in (int(s) for s in args.shared_sizes.split(",") if s):
            hugo = shared_corpus(n)
            content = os.path.join(hugo, "content")
            md = md_size(content)
            c, _ = studysite_runs(exe, f"shared generator {n}", content, args.runs, md)
            done.append((n, c))
            if not args.skip_anchors:
                anchors(f"shared generator {n}", hugo, None, args.runs, md, c)
        scaling("shared generator", done[0] if done else None, done[-1] if done else None)
    if "real" in only:
        corpora = os.path.join(SHARED, "corpora")
        for name in sorted(os.listdir(corpora)):
            src = os.path.join(corpora, name)
            if not os.path.isdir(src):
                continue
            md = md_size(src)
            c, _ = studysite_runs(exe, name, src, args.runs, md)
            f = floor_runs(floor, name, src, args.runs, md)
            print(f"{'':28} studysite cold / floor: wall {c['wall'] / f['wall']:.2f}, "
                  f"cpu {c['cpu'] / f['cpu']:.2f}", flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(ROWS, fh, indent=1)


if __name__ == "__main__":
    main()
