//! Whole-site snapshots: the bundled notes, every fixture site, and a small slice of each
//! shared corpus are built, and their pages compared file by file with the expected output
//! under `tests/snapshots/`, so a change to the output is reviewed as a diff.
//! `STUDYSITE_BLESS=1 cargo test --test snapshots` writes the expected output anew.
//!
//! Kept: every `.html` page, the nav script, `sitemap.xml` and `robots.txt`; the theme's
//! static files and the search shards are left out (they have tests of their own). The
//! corpus slices keep the markup with every run of text replaced by `…`: the structure,
//! ids and links are what a change shows, and third-party prose stays out of the repository.

#[path = "support/shared.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const SNAPSHOTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots");

fn kept(rel: &str) -> bool {
    rel.ends_with(".html")
        || rel.starts_with("static/nav/")
        || matches!(rel, "sitemap.xml" | "robots.txt")
}

/// Builds `site` and returns its kept files, normalised.
fn build(site: &Path, text: bool) -> BTreeMap<String, String> {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().join("site");
    let r = Command::new(env!("CARGO_BIN_EXE_studysite"))
        // Never the user's own cache: the tests write theirs under target/tmp.
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .args(["build", site.to_str().unwrap(), "-o", o.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(&o).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(&o)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if e.file_type().is_file() && kept(&rel) {
            let body = std::fs::read_to_string(e.path()).unwrap();
            files.insert(rel, if text { body } else { without_text(&body) });
        }
    }
    files
}

/// The markup of a page with every run of text between tags replaced by `…` (and script
/// bodies, which carry the same text as data, left out).
fn without_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        if !text.trim().is_empty() {
            out.push('…');
        }
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        let tag = &rest[open..close];
        out.push_str(&without_prose_attributes(tag));
        rest = &rest[close..];
        if tag.starts_with("<script") && !tag.contains(" src=") {
            let end = rest.find("</script>").unwrap_or(rest.len());
            rest = &rest[end..];
        }
        if tag.starts_with('<') && !tag.starts_with("</") && out.len() > 1 {
            continue;
        }
    }
    if !rest.trim().is_empty() {
        out.push('…');
    }
    out.split('>').collect::<Vec<_>>().join(">\n")
}

/// A tag with the values of its prose attributes (`content`, `title`, `alt`, `aria-label`,
/// `data-*`... that carry the notes' words) replaced by `…`.
fn without_prose_attributes(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len());
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let name_start = rest[..eq].rfind(' ').map_or(0, |i| i + 1);
        let name = &rest[name_start..eq];
        let value_end = rest[eq + 2..].find('"').map_or(rest.len(), |e| eq + 2 + e);
        out.push_str(&rest[..eq + 2]);
        let prose = matches!(
            name,
            "content" | "title" | "alt" | "aria-label" | "placeholder"
        );
        out.push_str(if prose {
            "…"
        } else {
            &rest[eq + 2..value_end]
        });
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    out
}

/// Compares `files` with `tests/snapshots/NAME/`, or writes them there when blessing.
fn check(name: &str, files: &BTreeMap<String, String>) {
    let dir = Path::new(SNAPSHOTS).join(name);
    if std::env::var("STUDYSITE_BLESS").is_ok_and(|v| v == "1") {
        let _ = std::fs::remove_dir_all(&dir);
        for (rel, body) in files {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, body).unwrap();
        }
        return;
    }
    let mut expected = BTreeMap::new();
    for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let e =
            e.unwrap_or_else(|e| panic!("{name}: no snapshot ({e}); bless with STUDYSITE_BLESS=1"));
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            expected.insert(rel, std::fs::read_to_string(e.path()).unwrap());
        }
    }
    let mut problems = Vec::new();
    for rel in expected.keys().filter(|k| !files.contains_key(*k)) {
        problems.push(format!("{rel}: expected, not built"));
    }
    for (rel, body) in files {
        match expected.get(rel) {
            None => problems.push(format!("{rel}: built, not in the snapshot")),
            Some(want) if want != body => {
                let line = want
                    .lines()
                    .zip(body.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| want.lines().count().min(body.lines().count()));
                problems.push(format!(
                    "{rel}:{}: differs\n    expected: {}\n    built:    {}",
                    line + 1,
                    want.lines().nth(line).unwrap_or("(end)"),
                    body.lines().nth(line).unwrap_or("(end)")
                ));
            }
            Some(_) => {}
        }
    }
    assert!(
        problems.is_empty(),
        "{name}: the output differs from tests/snapshots/{name} (review, then STUDYSITE_BLESS=1 cargo test --test snapshots):\n{}",
        problems.join("\n")
    );
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn bundled_notes() {
    check("bundled-notes", &build(&repo(""), true));
}

#[test]
fn fixture_sites() {
    for name in ["broken-links", "diagrams", "study-links"] {
        check(name, &build(&repo(&format!("tests/fixtures/{name}")), true));
    }
}

/// A slice of a corpus: the listed files copied, as they are, into a site of their own.
fn slice(corpus: &str, files: &[&str]) -> Option<tempfile::TempDir> {
    let root = support::shared(&format!("corpora/{corpus}"))?;
    let dir = tempfile::tempdir().unwrap();
    for rel in files {
        let to = dir.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join(rel), &to).unwrap_or_else(|e| panic!("{corpus}/{rel}: {e}"));
    }
    Some(dir)
}

#[test]
fn corpus_slices() {
    let slices: [(&str, &[&str]); 3] = [
        (
            "databricks-cert-guide",
            &[
                "README.md",
                "certifications/data-engineer-associate/resources/practice-questions/01-lakehouse-platform.md",
                "shared/cheat-sheets/delta-lake-commands.md",
                "shared/fundamentals/delta-lake-basics.md",
            ],
        ),
        (
            "aws-mla-notes",
            &[
                "mkdocs.yml",
                "docs/index.md",
                "docs/cheat-sheets/services-comparison.md",
                "docs/domain-3-deployment-orchestration/sagemaker-endpoints.md",
            ],
        ),
        (
            "aws-ccp-notes",
            &[
                "_config.yml",
                "README.md",
                "sections/s3.md",
                "practice-exam/practice-exam-1.md",
            ],
        ),
    ];
    for (corpus, files) in slices {
        let Some(site) = slice(corpus, files) else {
            return;
        };
        check(corpus, &build(site.path(), false));
    }
}

#[test]
fn without_text_keeps_the_markup() {
    assert_eq!(
        without_text("<p>Hello <a href=\"x.html\">there</a></p><script>var a = \"<b>\";</script>"),
        "<p>\n…<a href=\"x.html\">\n…</a>\n</p>\n<script>\n</script>\n"
    );
    assert_eq!(
        without_text(
            "<meta name=\"description\" content=\"Their words\"><img alt=\"x y\" src=\"a.png\">"
        ),
        "<meta name=\"description\" content=\"…\">\n<img alt=\"…\" src=\"a.png\">\n"
    );
}
