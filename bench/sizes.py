#!/usr/bin/env python3
"""What a built site weighs, beside the markdown it came from.

Usage: bench/sizes.py NOTES OUT [NOTES OUT ...]

Per site: the markdown, the whole output and its parts (pages, the search index, the theme's
own static files and vendored libraries, files copied from the notes as they are), the ratios
to the markdown, the most a one-word query can load (search.js, the manifest, the largest
shard and the ten largest chunks of the part table) and the largest page.
"""
import os
import sys

KB = 1024
MiB = 2**20


def md_size(path):
    total = 0
    for dp, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        total += sum(os.path.getsize(os.path.join(dp, f)) for f in files if f.endswith(".md"))
    return total


def content_roots(notes):
    """Where the notes of NOTES may sit: itself, or the folder a site layout keeps them in
    (MkDocs' docs/, our notes/, Hugo's content/, mdBook's src/)."""
    subs = [os.path.join(notes, d) for d in ("docs", "notes", "content", "src")]
    return [notes] + [d for d in subs if os.path.isdir(d)]


def is_copied(notes, rel):
    """Whether OUT's file REL is a file of the notes copied as it is."""
    return any(os.path.isfile(os.path.join(root, rel)) for root in content_roots(notes))


def sizes(notes, out):
    parts = {"pages": 0, "search": 0, "theme": 0, "copied": 0}
    largest_page = (0, "")
    shards, chunks = [], []
    for dp, _, files in os.walk(out):
        for f in files:
            path = os.path.join(dp, f)
            rel = os.path.relpath(path, out)
            n = os.path.getsize(path)
            if rel.startswith(os.path.join("static", "search") + os.sep):
                parts["search"] += n
                (chunks if f.startswith("d-") else shards if f.startswith("t-") else []).append(n)
            elif f.endswith(".html"):
                parts["pages"] += n
                largest_page = max(largest_page, (n, rel))
            elif is_copied(notes, rel):
                parts["copied"] += n
            else:
                parts["theme"] += n
    script = os.path.join(out, "static", "search.js")
    manifest = os.path.join(out, "static", "search", "index.js")
    first = sum(os.path.getsize(p) for p in (script, manifest) if os.path.isfile(p))
    first += max(shards, default=0) + sum(sorted(chunks)[-10:])
    return parts, first, largest_page


def main():
    args = sys.argv[1:]
    if not args or len(args) % 2:
        sys.exit(__doc__)
    for notes, out in zip(args[::2], args[1::2]):
        md = md_size(notes)
        parts, first, (page, page_rel) = sizes(notes, out)
        total = sum(parts.values())
        print(f"{out}: markdown {md / MiB:.2f} MiB; output {total / MiB:.1f} MiB ({total / md:.1f}x)")
        for k, v in parts.items():
            print(f"  {k:7} {v / MiB:7.2f} MiB ({v / md:4.2f}x md)")
        lean = parts["pages"] + parts["search"]
        print(f"  pages + search {lean / MiB:.1f} MiB ({lean / md:.2f}x md); first query at most "
              f"{first / KB:.0f} kB; largest page {page / KB:.0f} kB ({page_rel})")


if __name__ == "__main__":
    main()
