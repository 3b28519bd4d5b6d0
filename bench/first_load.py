#!/usr/bin/env python3
"""Bytes a reader's browser fetches on the first load of a page of a built site.

For each page kind asked for, sums the page's HTML, the stylesheets it links, the scripts it
loads (module, classic, deferred or not), what it preloads, and the fonts that the loaded CSS
declares in @font-face rules *and* names in a font-family somewhere in that CSS (a face no rule
uses is never fetched). Scripts loaded later by script code (search index on opening the search
box, Mermaid, KaTeX) are not on first load and are not counted.

    python3 bench/first_load.py PUBLIC_DIR [NOTE_PAGE]

NOTE_PAGE is a path inside PUBLIC_DIR; without it the first note page found is used. The
target (150 kB) is checked on the raw bytes; the gzip figure is what a host that compresses
(GitHub Pages, Netlify, S3 behind CloudFront) sends.

    python3 bench/first_load.py --all PUBLIC_DIR

prints the spread over every note page: the median, the largest, and how many are over the
target with and without a diagram drawn at build time (the page's own content is the rest).
"""

import gzip
import os
import re
import sys
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

TARGET_NOTE = 150_000


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.css, self.js, self.other = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link":
            rel = (a.get("rel") or "").lower().split()
            href = a.get("href")
            if not href:
                return
            if "stylesheet" in rel:
                self.css.append(href)
            elif "preload" in rel or "modulepreload" in rel:
                (self.css if a.get("as") == "style" else self.other).append(href)
        elif tag == "script" and a.get("src"):
            self.js.append(a["src"])


def local(root, page_url, ref):
    """A reference as a file under root, or None when it is off-site."""
    u = urlparse(urljoin(page_url, ref))
    if u.scheme not in ("", "file") or u.netloc:
        return None
    path = u.path.lstrip("/")
    full = os.path.join(root, path)
    if os.path.isdir(full):
        full = os.path.join(full, "index.html")
    return full if os.path.isfile(full) else None


def page_url(root, path):
    return "/" + os.path.relpath(path, root).replace(os.sep, "/")


FACE = re.compile(r"@font-face\s*{([^}]*)}", re.S)
FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)", re.I)
URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


RULE = re.compile(r"([^{}]+){([^{}]*)}")
CLASS = re.compile(r"\.([A-Za-z0-9_-]+)")
CLASS_ATTR = re.compile(r"""class\s*=\s*["']([^"']*)["']""")


def used_fonts(css_text, page_classes):
    """(family, url) pairs of the faces the page makes the browser fetch: faces whose family
    a rule names whose selector can match the page (every class it names occurs in the
    page's markup; a selector with no class is taken to match). A face no rule on the page
    uses is never fetched."""
    faces = []
    for body in FACE.findall(css_text):
        fam = FAMILY.search(body)
        if not fam:
            continue
        name = fam.group(1).strip().strip("'\"").lower()
        for u in URL.findall(body):
            faces.append((name, u))
    rest = FACE.sub("", css_text)
    named = set()
    for selectors, body in RULE.findall(rest):
        families = FAMILY.findall(body)
        if not families:
            continue
        matches = any(
            all(c in page_classes for c in CLASS.findall(sel))
            for sel in selectors.split(",")
            if not sel.strip().startswith("@")
        )
        if not matches:
            continue
        for value in families:
            for part in value.split(","):
                named.add(part.strip().strip("'\"").lower())
    return [(n, u) for n, u in faces if n in named]


def first_load(root, html_path):
    url = page_url(root, html_path)
    with open(html_path, encoding="utf-8") as f:
        html = f.read()
    parser = Assets()
    parser.feed(html)
    files = {html_path: "html"}
    for kind, refs in (("css", parser.css), ("js", parser.js), ("preload", parser.other)):
        for ref in refs:
            p = local(root, url, ref)
            if p:
                files.setdefault(p, kind)
    classes = {c for attr in CLASS_ATTR.findall(html) for c in attr.split()}
    for css in [p for p, k in list(files.items()) if k == "css"]:
        with open(css, encoding="utf-8") as f:
            text = f.read()
        css_url = page_url(root, css)
        for _, ref in used_fonts(text, classes):
            p = local(root, css_url, ref)
            if p:
                files.setdefault(p, "font")
    by_kind = {}
    zipped = 0
    for p, k in files.items():
        by_kind[k] = by_kind.get(k, 0) + os.path.getsize(p)
        with open(p, "rb") as f:
            data = f.read()
        zipped += len(data) if k == "font" else len(gzip.compress(data, 6))
    return sum(by_kind.values()), by_kind, zipped


STUDY_PAGES = {"when-to-use-what", "flashcards", "quiz", "review", "cram-sheet", "tags"}


def find_note(root):
    for dirpath, _, names in sorted(os.walk(root)):
        top = os.path.relpath(dirpath, root).split(os.sep)[0]
        if top in STUDY_PAGES or top.startswith("static"):
            continue
        for n in sorted(names):
            if not n.endswith(".html") or dirpath == root and n[:-5] in STUDY_PAGES | {"index", "404"}:
                continue
            p = os.path.join(dirpath, n)
            with open(p, encoding="utf-8") as f:
                head = f.read(20000)
            if 'class="content' in head and "mermaid" not in head and "katex" not in head:
                return p
    return None


def study_page(root, name):
    for candidate in (os.path.join(root, name, "index.html"), os.path.join(root, name + ".html")):
        if os.path.isfile(candidate):
            return candidate
    return None


def note_pages(root):
    """Every note page: not a study page, the 404 or a page that loads Mermaid or KaTeX."""
    for dirpath, dirs, names in os.walk(root):
        dirs.sort()
        rel = os.path.relpath(dirpath, root)
        if rel.split(os.sep)[0].startswith("static"):
            continue
        for n in sorted(names):
            if not n.endswith(".html"):
                continue
            if rel == "." and (n[:-5] in STUDY_PAGES or n == "404.html"):
                continue
            p = os.path.join(dirpath, n)
            with open(p, encoding="utf-8") as f:
                html = f.read()
            if 'class="content' not in html or "mermaid.min.js" in html or "katex.min.js" in html:
                continue
            yield p, "mermaid-drawn" in html


def spread(root):
    groups = {False: [], True: []}
    for path, drawn in note_pages(root):
        total, _, zipped = first_load(root, path)
        groups[drawn].append((total, zipped, os.path.relpath(path, root)))
    for drawn, rows in groups.items():
        if not rows:
            continue
        rows.sort()
        over = sum(1 for r in rows if r[0] > TARGET_NOTE)
        median = rows[len(rows) // 2]
        name = "with a drawn diagram" if drawn else "without diagrams"
        print(
            f"{len(rows):5} note pages {name:21}: median {median[0] / 1000:.1f} kB raw "
            f"({median[1] / 1000:.1f} kB gzip), largest {rows[-1][0] / 1000:.1f} kB "
            f"({rows[-1][2]}), {over} over {TARGET_NOTE / 1000:.0f} kB"
        )


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    if sys.argv[1] == "--all" and len(sys.argv) > 2:
        spread(sys.argv[2])
        return
    root = sys.argv[1]
    note = os.path.join(root, sys.argv[2]) if len(sys.argv) > 2 else find_note(root)
    pages = [
        ("note", note),
        ("when-to-use-what", study_page(root, "when-to-use-what")),
        ("flashcards", study_page(root, "flashcards")),
    ]
    over = False
    for kind, path in pages:
        if not path:
            print(f"{kind:18} not found")
            continue
        total, by_kind, zipped = first_load(root, path)
        parts = ", ".join(f"{k} {v / 1000:.1f} kB" for k, v in sorted(by_kind.items()))
        print(
            f"{kind:18} {total / 1000:7.1f} kB raw, {zipped / 1000:6.1f} kB gzip"
            f"  ({parts})  {os.path.relpath(path, root)}"
        )
        if kind == "note" and total > TARGET_NOTE:
            over = True
    if over:
        print(f"note page over the {TARGET_NOTE / 1000:.0f} kB target")
        sys.exit(1)


if __name__ == "__main__":
    main()
