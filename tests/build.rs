//! Whole-site fixture tests: small note folders built by the real binary in a temp dir.

#[path = "support/shared.rs"]
mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

fn site(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

fn studysite(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_studysite"))
        // Never the user's own cache: the tests write theirs under target/tmp.
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .args(args)
        .arg(dir)
        .output()
        .unwrap()
}

fn build(dir: &Path) -> (bool, String) {
    let out = studysite(&["build"], dir);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.success(), stderr)
}

fn read(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join("public").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Where a built page's "next" link leads.
fn next_link(dir: &Path, page: &str) -> Option<String> {
    let html = read(dir, page);
    let at = html.find("rel=\"next\" href=\"").map(|i| i + 17)?;
    Some(html[at..at + html[at..].find('"').unwrap()].to_string())
}

fn title_of(html: &str) -> &str {
    let start = html.find("<title>").unwrap() + 7;
    let end = html[start..].find("</title>").unwrap();
    &html[start..start + end]
}

#[test]
fn front_matter_kinds_and_line_endings() {
    let s = site(&[
        ("notes/yaml.md", "---\ntitle: From YAML\ntags: [a]\n---\nbody\n"),
        ("notes/toml.md", "+++\ntitle = \"From TOML\"\n+++\nbody\n"),
        ("notes/crlf.md", "---\r\ntitle: CRLF note\r\n---\r\n# Ignored H1\r\n\r\n| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\n"),
        ("notes/bom.md", "\u{feff}# Title From H1\n\ntext\n"),
        ("notes/plain-name.md", "no front matter, no heading\n"),
    ]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    assert!(title_of(&read(s.path(), "yaml.html")).starts_with("From YAML"));
    assert!(title_of(&read(s.path(), "toml.html")).starts_with("From TOML"));
    let crlf = read(s.path(), "crlf.html");
    assert!(title_of(&crlf).starts_with("CRLF note"));
    assert!(crlf.contains("<table>"), "CRLF table renders");
    assert!(!crlf.contains('\r'));
    assert!(title_of(&read(s.path(), "bom.html")).starts_with("Title From H1"));
    assert!(title_of(&read(s.path(), "plain-name.html")).starts_with("Plain Name"));
}

#[test]
fn crlf_and_bom_render_exactly_like_lf() {
    let lf = "---\ntitle: T\n---\n# H\n\n- a\n- b\n\n```yaml\nk: v\n```\n\n| x | y |\n|---|---|\n| 1 | 2 |\n";
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let config = "title = \"Same\"\n";
    let a = site(&[("notes/n.md", lf), ("studysite.toml", config)]);
    let b = site(&[("notes/n.md", &crlf), ("studysite.toml", config)]);
    assert!(build(a.path()).0 && build(b.path()).0);
    assert_eq!(read(a.path(), "n.html"), read(b.path(), "n.html"));
}

#[test]
fn sections_index_precedence_and_urls() {
    let s = site(&[
        ("notes/index.md", "---\ntitle: Course\n---\nWelcome\n"),
        (
            "notes/01-data-prep/_index.md",
            "---\ntitle: Data Prep Index\n---\n",
        ),
        ("notes/01-data-prep/index.md", "---\ntitle: Other\n---\n"),
        ("notes/02-modeling/README.md", "# Modeling\n"),
        (
            "notes/02-modeling/training.md",
            "---\nweight: 1\n---\n# Training\n",
        ),
        ("notes/02-modeling/02-b.md", "# B\n"),
        ("notes/02-modeling/01-a.md", "# A\n"),
        ("notes/03 Model Evaluation/model evaluation.md", "# Eval\n"),
        ("notes/03 Model Evaluation/deep/inner.md", "# Inner\n"),
        ("notes/04-other/README.md", "# Readme page\n"),
        ("notes/04-other/index.md", "# Other index\n"),
    ]);
    let (ok, err) = build(s.path());
    // `_index.md` beside `index.md` is a URL clash, reported naming both.
    assert!(!ok);
    assert!(
        err.contains("01-data-prep/_index.md") && err.contains("01-data-prep/index.md"),
        "{err}"
    );
    fs::remove_file(s.path().join("notes/01-data-prep/index.md")).unwrap();
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    assert!(title_of(&read(s.path(), "01-data-prep/index.html")).starts_with("Data Prep Index"));
    assert!(title_of(&read(s.path(), "02-modeling/index.html")).starts_with("Modeling"));
    assert!(read(s.path(), "03-model-evaluation/model-evaluation.html").contains("Eval"));
    // A folder without an index note gets a generated listing, titled from its name.
    let listing = read(s.path(), "03-model-evaluation/index.html");
    assert!(
        title_of(&listing).starts_with("Model Evaluation"),
        "{}",
        title_of(&listing)
    );
    assert!(listing.contains("model-evaluation.html"));
    assert!(read(s.path(), "03-model-evaluation/deep/index.html").contains("inner.html"));
    // README beside index.md is an ordinary page.
    assert!(title_of(&read(s.path(), "04-other/index.html")).starts_with("Other index"));
    assert!(read(s.path(), "04-other/readme.html").contains("Readme page"));
    // Order: weight first, then numeric prefix, then title.
    let modeling = read(s.path(), "02-modeling/index.html");
    let pos = |name: &str| {
        modeling
            .find(&format!("href=\"{name}\""))
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert!(pos("training.html") < pos("01-a.html") && pos("01-a.html") < pos("02-b.html"));
    // Site title falls back to the root index note's title.
    assert!(title_of(&read(s.path(), "index.html")).contains("Course"));
}

#[test]
fn drafts_only_with_flag() {
    let s = site(&[
        ("notes/a.md", "# A\n"),
        ("notes/secret.md", "---\ndraft: true\n---\n# Secret\n"),
    ]);
    assert!(build(s.path()).0);
    assert!(!s.path().join("public/secret.html").exists());
    let out = studysite(&["build", "--drafts"], s.path());
    assert!(out.status.success());
    assert!(s.path().join("public/secret.html").exists());
}

#[test]
fn links_with_anchors_and_assets_resolve() {
    let s = site(&[
        ("notes/01-data-prep/features.md", "## Feature Store\n\nSee [ingest](ingestion.md#kinesis-streams), [up](../02-modeling/training.md), [pic](<img/a b.png>), [self](#feature-store) and [[training#Hyper Params]].\n\n![alt](img/a%20b.png)\n"),
        ("notes/01-data-prep/ingestion.md", "## Kinesis Streams\n"),
        ("notes/01-data-prep/img/a b.png", "PNG"),
        ("notes/02-modeling/training.md", "# Training\n\n## Hyper Params\n"),
    ]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    assert!(!err.contains("warning"), "{err}");
    let html = read(s.path(), "01-data-prep/features.html");
    assert!(
        html.contains("href=\"ingestion.html#kinesis-streams\""),
        "{html}"
    );
    assert!(html.contains("href=\"../02-modeling/training.html\""));
    assert!(html.contains("href=\"img/a%20b.png\""));
    assert!(html.contains("src=\"img/a%20b.png\""));
    assert!(html.contains("href=\"../02-modeling/training.html#hyper-params\""));
    assert_eq!(read(s.path(), "01-data-prep/img/a b.png"), "PNG");
}

#[test]
fn diagnostics_name_file_line_col_through_rewrites() {
    // BOM, CRLF, front matter and a web bullet all sit before the broken link.
    let s = site(&[
        ("notes/01-data-prep/features.md", "\u{feff}---\r\ntitle: F\r\n---\r\n• a bullet\r\n\r\nSee the [store](feature-stoer.md) and [anchor](#nope).\r\n\r\n```rustish\r\nx\r\n```\r\n"),
        ("notes/01-data-prep/feature-store.md", "# Store\n"),
        ("notes/02-b.md", "![missing](img/none.png)\n"),
    ]);
    let (ok, err) = build(s.path());
    assert!(ok, "warnings do not fail the build: {err}");
    let lines: Vec<&str> = err.lines().collect();
    let expect = [
        "notes/01-data-prep/features.md:6:9: warning: link to missing note `feature-stoer.md`",
        "notes/01-data-prep/features.md:6:39: warning: link to missing anchor `#nope`",
        "notes/01-data-prep/features.md:8:1: warning: unknown code language `rustish`",
        "notes/02-b.md:1:1: warning: image not found: `img/none.png`",
    ];
    for e in expect {
        assert!(
            lines.iter().any(|l| l.starts_with(e)),
            "missing `{e}` in:\n{err}"
        );
    }
    // Sorted by file and line.
    let first = err.find("features.md:6:9").unwrap();
    let last = err.find("02-b.md:1:1").unwrap();
    assert!(first < last);
    assert!(
        err.contains("= help: did you mean `feature-store.md`?"),
        "{err}"
    );
    // --strict makes warnings fatal and leaves the output alone.
    let before = read(s.path(), "02-b.html");
    let out = studysite(&["build", "--strict"], s.path());
    assert!(!out.status.success());
    assert_eq!(read(s.path(), "02-b.html"), before);
}

#[test]
fn errors_are_all_reported_together_and_leave_out_untouched() {
    let s = site(&[("notes/good.md", "# Good\n")]);
    assert!(build(s.path()).0);
    let before = read(s.path(), "good.html");
    fs::write(
        s.path().join("notes/bad1.md"),
        "---\ntitle: [unclosed\n---\n",
    )
    .unwrap();
    fs::write(s.path().join("notes/bad2.md"), "+++\nweight = \"x\"\n+++\n").unwrap();
    fs::write(s.path().join("notes/bad3.md"), b"ok\n\xff\xfe bad bytes\n").unwrap();
    let (ok, err) = build(s.path());
    assert!(!ok);
    assert!(err.contains("notes/bad1.md:2:"), "{err}");
    assert!(err.contains("notes/bad2.md:2:"), "{err}");
    assert!(
        err.contains("notes/bad3.md:2:1: error: the note is not valid UTF-8"),
        "{err}"
    );
    assert_eq!(read(s.path(), "good.html"), before);
    assert!(!s.path().join("public/bad1.html").exists());
}

#[test]
fn url_clash_names_both_notes() {
    let s = site(&[
        ("notes/Model Eval.md", "a\n"),
        ("notes/model-eval.md", "b\n"),
    ]);
    let (ok, err) = build(s.path());
    assert!(!ok);
    assert!(
        err.contains("Model Eval.md")
            && err.contains("model-eval.md")
            && err.contains("model-eval.html"),
        "{err}"
    );
}

#[test]
fn bad_config_key_gets_a_suggestion() {
    let s = site(&[
        ("studysite.toml", "title = \"x\"\n\nbase_ulr = \"/x/\"\n"),
        ("notes/a.md", "a\n"),
    ]);
    let (ok, err) = build(s.path());
    assert!(!ok);
    assert!(
        err.contains("studysite.toml:3:1: error: unknown key `base_ulr`"),
        "{err}"
    );
    assert!(err.contains("did you mean `base_url`?"), "{err}");
}

#[test]
fn notes_folder_can_be_the_site_folder_with_out_inside() {
    // An Obsidian vault: notes at the top, `.obsidian/` ignored, OUT inside and skipped.
    let s = site(&[
        ("a.md", "# A\n"),
        (".obsidian/app.json", "{}"),
        (".trash/old.md", "# Old\n"),
        ("sub/b.md", "# B\n"),
    ]);
    assert!(build(s.path()).0);
    assert!(build(s.path()).0, "a rebuild does not read its own output");
    assert!(s.path().join("public/sub/b.html").exists());
    assert!(!s.path().join("public/public").exists());
    assert!(!s.path().join("public/.obsidian").exists());
    assert!(!s.path().join("public/old.html").exists());
}

#[test]
fn foreign_out_is_refused_and_left_intact() {
    let s = site(&[("notes/a.md", "# A\n"), ("public/mine.txt", "keep me")]);
    let (ok, err) = build(s.path());
    assert!(!ok);
    assert!(err.contains("refusing"), "{err}");
    assert_eq!(
        fs::read_to_string(s.path().join("public/mine.txt")).unwrap(),
        "keep me"
    );
    // OUT equal to the notes folder is refused too.
    let out = studysite(
        &["build", "-o", s.path().join("notes").to_str().unwrap()],
        s.path(),
    );
    assert!(!out.status.success());
    assert!(s.path().join("notes/a.md").exists());
}

fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn rebuild_is_byte_identical() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out1 = tempfile::tempdir().unwrap();
    let out2 = tempfile::tempdir().unwrap();
    for out in [&out1, &out2] {
        let o = out.path().join("site");
        let r = Command::new(env!("CARGO_BIN_EXE_studysite"))
            // Never the user's own cache: the tests write theirs under target/tmp.
            .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
            .args(["build", root.to_str().unwrap(), "-o", o.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    }
    let a = tree(&out1.path().join("site"));
    let b = tree(&out2.path().join("site"));
    assert!(a.len() > 10);
    assert!(a == b, "two builds of the bundled notes differ");
}

#[test]
fn databricks_corpus_builds_with_warnings_only() {
    let Some(corpus) = support::shared("corpora/databricks-cert-guide") else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let o = out.path().join("site");
    let r = Command::new(env!("CARGO_BIN_EXE_studysite"))
        // Never the user's own cache: the tests write theirs under target/tmp.
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .args(["build", corpus.to_str().unwrap(), "-o", o.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(r.status.success(), "{err}");
    assert!(!err.contains(": error:"), "{err}");
    for known in [
        "anki/format.md:12:34: warning: link to missing file `./build.py`",
        "practice/README.md:91:25: warning: link to missing file `../.github/workflows/deploy-practice.yml`",
    ] {
        assert!(err.contains(known), "expected `{known}` in:\n{err}");
    }
    // GitHub-style ids keep combining marks, so this Thai anchor resolves.
    assert!(!err.contains("การสอบ"), "{err}");
    let pages = walkdir::WalkDir::new(&o)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert!(pages >= 388, "{pages}");
    // Images are copied with their names.
    assert!(o.join("images").is_dir());
}

#[test]
fn rebuild_reuses_unchanged_files_but_never_a_touched_one() {
    let s = site(&[("notes/a.md", "# A\n\nfirst\n"), ("notes/b.md", "# B\n")]);
    assert!(build(s.path()).0);
    let b_before = read(s.path(), "b.html");
    // Someone edits the output by hand: the next build refuses, naming it, and leaves the
    // site as it was (the edit included) rather than lose it.
    fs::write(s.path().join("public/b.html"), "tampered").unwrap();
    fs::write(s.path().join("notes/a.md"), "# A\n\nsecond\n").unwrap();
    let (ok, err) = build(s.path());
    assert!(!ok);
    assert!(
        err.contains("public/b.html (changed since studysite wrote it)"),
        "{err}"
    );
    assert_eq!(read(s.path(), "b.html"), "tampered");
    assert!(read(s.path(), "a.html").contains("first"));
    // Once the edit is gone, the build goes through, and a build with nothing changed
    // gives the same bytes again.
    fs::remove_file(s.path().join("public/b.html")).unwrap();
    assert!(build(s.path()).0);
    assert!(read(s.path(), "a.html").contains("second"));
    assert_eq!(read(s.path(), "b.html"), b_before);
    assert!(build(s.path()).0);
    assert_eq!(read(s.path(), "b.html"), b_before);
}

#[test]
fn obsidian_embeds_find_files_by_name() {
    let s = site(&[
        ("attachments/Flow Chart.png", "PNG"),
        (
            "topics/deep/note.md",
            "# Note\n\n![[Flow Chart.png]] and [[other]]\n",
        ),
        ("other.md", "# Other\n"),
    ]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    assert!(!err.contains("warning"), "{err}");
    let html = read(s.path(), "topics/deep/note.html");
    assert!(
        html.contains("src=\"../../attachments/Flow%20Chart.png\""),
        "{html}"
    );
    assert!(html.contains("href=\"../../other.html\""), "{html}");
}

#[test]
fn a_vault_templates_folder_of_notes_is_not_read_as_tera() {
    let s = site(&[
        ("a.md", "# A\n"),
        ("templates/daily.md", "# {{date}}\n{% nonsense %}\n"),
    ]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    assert!(s.path().join("public/a.html").exists());
}

#[test]
fn obsidian_syntax_beyond_commonmark() {
    let s = site(&[
        ("attachments/chart.png", "PNG"),
        ("other.md", "# Other\n\n## Part\n"),
        (
            "note.md",
            "# Note\n\nA ==key idea== and `==code==`; pin pandas==2.0.0 numpy==1.26.\n\n\
             Visible %%secret remark%% text.\n\n%%\nA whole hidden block.\n%%\n\n\
             ![[chart.png|300]] ![[chart.png|320x200]]\n\n![[other#Part]]\n\n\
             [[Not Written Yet]] and [[other|the other note]].\n",
        ),
    ]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    let html = read(s.path(), "note.html");
    assert!(html.contains("<mark>key idea</mark>"), "{html}");
    assert!(html.contains("<code>==code==</code>"), "{html}");
    assert!(html.contains("pandas==2.0.0 numpy==1.26"), "{html}");
    assert!(html.contains("Visible  text."), "{html}");
    assert!(
        !html.contains("secret") && !html.contains("hidden block"),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"attachments/chart.png\" alt=\"chart.png\" width=\"300\">"),
        "{html}"
    );
    assert!(html.contains("width=\"320\" height=\"200\""), "{html}");
    // A note embed is a link to it, not a broken image.
    assert!(html.contains("<a href=\"other.html#part\">"), "{html}");
    assert!(!html.contains("<img src=\"other.html"), "{html}");
    // An unresolved link is shown as text (Obsidian offers to create the note), and warned.
    assert!(
        html.contains("<span class=\"link-unresolved\" title=\"No note named Not Written Yet yet\">Not Written Yet</span>"),
        "{html}"
    );
    assert!(!html.contains("href=\"Not%20Written%20Yet\""), "{html}");
    assert!(
        html.contains("<a href=\"other.html\">the other note</a>"),
        "{html}"
    );
    assert!(
        err.contains("note.md:15:1: warning: link to missing note `Not Written Yet`"),
        "{err}"
    );
}

#[test]
fn admonitions_from_mkdocs_and_docusaurus_are_callouts() {
    let s = site(&[(
        "note.md",
        "# Note\n\n!!! tip \"Pick the cheap one\"\n    Spot instances save **90%**.\n\n    \
         ```python\n    x = 1\n    ```\n\n??? warning\n    Folded body.\n\n\
         :::danger[Careful]\nDocusaurus body, see [missing](nowhere.md).\n:::\n\n\
         ::: details Show answer\nVuePress body.\n:::\n\nAfter.\n",
    )]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    let html = read(s.path(), "note.html");
    let tip = html.find("data-callout=\"tip\"").expect("tip callout");
    let tip_body = &html[tip..html[tip..].find("</aside>").unwrap() + tip];
    assert!(
        tip_body.contains("<span>Pick the cheap one</span>"),
        "{tip_body}"
    );
    assert!(tip_body.contains("<strong>90%</strong>"), "{tip_body}");
    assert!(tip_body.contains("data-lang=\"python\""), "{tip_body}");
    assert!(
        html.contains("<details class=\"callout callout-warning\""),
        "a `???` admonition folds: {html}"
    );
    assert!(html.contains("<span>Careful</span>"), "{html}");
    assert!(html.contains("<span>Show answer</span>"), "{html}");
    assert!(!html.contains(":::") && !html.contains("!!!"), "{html}");
    assert!(html.contains("<p>After.</p>"), "{html}");
    // Diagnostics inside a converted block still name the user's line and column.
    assert!(
        err.contains("note.md:14:22: warning: link to missing note `nowhere.md`"),
        "{err}"
    );
}

#[test]
fn an_mdbook_is_read_in_summary_order() {
    let s = site(&[
        (
            "book.toml",
            "[book]\ntitle = \"Exam Book\"\nsrc = \"chapters\"\n",
        ),
        (
            "chapters/SUMMARY.md",
            "# Summary\n\n[Intro](README.md)\n\n- [Zebra](zebra.md)\n- [Part](part/README.md)\n    \
             - [Deep](part/deep.md)\n- [Alpha](./alpha.md)\n- [Draft]()\n",
        ),
        ("chapters/README.md", "# Intro\n"),
        ("chapters/zebra.md", "# Zebra\n"),
        ("chapters/alpha.md", "# Alpha\n"),
        ("chapters/part/README.md", "# Part\n"),
        ("chapters/part/deep.md", "# Deep\n"),
        ("book/index.html", "<p>mdBook's own output</p>"),
    ]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    let next = |page: &str| next_link(s.path(), page);
    assert_eq!(next("index.html").as_deref(), Some("zebra.html"));
    assert_eq!(next("zebra.html").as_deref(), Some("part/index.html"));
    assert_eq!(next("part/index.html").as_deref(), Some("deep.html"));
    assert_eq!(next("part/deep.html").as_deref(), Some("../alpha.html"));
    assert!(title_of(&read(s.path(), "index.html")).ends_with("Exam Book"));
    // The table of contents is not a page, and mdBook's output folder is not input.
    assert!(!s.path().join("public/summary.html").exists());
    assert!(!s.path().join("public/book").exists());
}

#[test]
fn raw_html_links_and_images_resolve_like_markdown() {
    let s = site(&[
        ("My Images/chart one.png", "PNG"),
        ("other.md", "# Other\n\n## Part\n"),
        (
            "index.md",
            "# Raw\n\n<p align=\"center\"><a href=\"./other.md#part\">Other</a> · <a href=\"missing.md\">Gone</a></p>\n\n\
             <img src=\"My Images/chart one.png\" width=\"300\">\n\n\
             Inline <a href='other.md'>link</a>, <a href=\"https://example.org\">out</a>.\n\n\
             ```html\n<a href=\"other.md\">code stays</a>\n```\n",
        ),
    ]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    let html = read(s.path(), "index.html");
    assert!(
        html.contains("<a href=\"other.html#part\">Other</a>"),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"my-images/chart%20one.png\" width=\"300\">"),
        "{html}"
    );
    assert!(
        html.contains("Inline <a href='other.html'>link</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"https://example.org\">out</a>"),
        "{html}"
    );
    assert!(
        html.contains("\"other.md\"</k-") && html.contains("&gt;code stays"),
        "code blocks are left as written: {html}"
    );
    assert!(
        err.contains("index.md:3:66: warning: link to missing note `missing.md`"),
        "{err}"
    );
    let out = studysite(&["check"], s.path());
    let stdout =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("index.md:3:66: error: link to missing note `missing.md`"),
        "{stdout}"
    );
}

#[test]
fn edit_url_links_each_note_to_its_source() {
    let s = site(&[
        (
            "studysite.toml",
            "edit_url = \"https://github.com/me/notes/edit/main/notes/\"\n",
        ),
        ("notes/index.md", "# Home\n"),
        ("notes/01 Data Prep/Feature #1.md", "# Features\n"),
    ]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    let html = read(s.path(), "01-data-prep/feature-1.html");
    assert!(
        html.contains("<a href=\"https://github.com/me/notes/edit/main/notes/01%20Data%20Prep/Feature%20%231.md\">Edit this page</a>"),
        "{html}"
    );
    // Generated pages have no note behind them, so no edit link.
    assert!(!read(s.path(), "flashcards.html").contains("Edit this page"));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_skipped_with_a_warning() {
    let s = site(&[("index.md", "# Home\n"), ("topic/a.md", "# A\n")]);
    std::os::unix::fs::symlink("..", s.path().join("topic/up")).unwrap();
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    assert!(err.contains("topic/up: warning:"), "{err}");
    assert!(err.contains("File system loop found"), "{err}");
    assert!(s.path().join("public/topic/a.html").exists());
}

#[test]
fn wikilinks_pick_the_note_obsidian_would() {
    let s = site(&[
        ("index.md", "# Home\n\n[[Storage]] [[note]] [[S3 Guide]]\n"),
        // Its title is "Storage", but a file named storage.md wins the name.
        ("a-first.md", "# Storage\n"),
        ("topics/storage.md", "# Storage Services\n"),
        ("note.md", "# Root note\n"),
        ("sub/note.md", "# Sub note\n"),
        ("sub/page.md", "# Page\n\n[[note]]\n"),
        ("s3.md", "---\naliases: [S3 Guide]\n---\n# S3\n"),
    ]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    let home = read(s.path(), "index.html");
    assert!(
        home.contains("<a href=\"topics/storage.html\">Storage</a>"),
        "{home}"
    );
    assert!(home.contains("<a href=\"note.html\">note</a>"), "{home}");
    assert!(home.contains("<a href=\"s3.html\">S3 Guide</a>"), "{home}");
    // From inside sub/, the note beside it.
    let page = read(s.path(), "sub/page.html");
    assert!(page.contains("<a href=\"note.html\">note</a>"), "{page}");
    assert!(!page.contains("../note.html\">note"), "{page}");
}

#[test]
fn tags_from_front_matter_and_text_get_a_page() {
    let s = site(&[
        ("index.md", "# Home\n"),
        (
            "net/vpc.md",
            "---\ntags: [aws, \"#networking\"]\n---\n# VPC\n\nSee #exam/saa and #AWS, not `#code` or issue #42.\n",
        ),
        ("net/dns.md", "---\ntags: networking\n---\n# DNS\n"),
    ]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    let vpc = read(s.path(), "net/vpc.html");
    assert!(
        vpc.contains("See <a class=\"tag\" href=\"../tags.html#tag-exam-saa\">#exam/saa</a> and <a class=\"tag\" href=\"../tags.html#tag-aws\">#AWS</a>, not <code>#code</code> or issue #42."),
        "{vpc}"
    );
    assert!(vpc.contains("<ul class=\"page-tags\" aria-label=\"Tags\"><li><a class=\"tag\" href=\"../tags.html#tag-aws\">#aws</a></li><li><a class=\"tag\" href=\"../tags.html#tag-networking\">#networking</a></li><li><a class=\"tag\" href=\"../tags.html#tag-exam-saa\">#exam/saa</a></li></ul>"), "{vpc}");
    let tags = read(s.path(), "tags.html");
    let networking = &tags[tags
        .find("<h2 id=\"tag-networking\">")
        .expect("a networking entry")..];
    let networking = &networking[..networking.find("</section>").unwrap()];
    assert!(
        networking.contains("<a href=\"net/dns.html\">DNS</a>"),
        "{networking}"
    );
    assert!(
        networking.contains("<a href=\"net/vpc.html\">VPC</a>"),
        "{networking}"
    );
    // A link to a tag checks like any anchor.
    let out = studysite(&["check"], s.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_note_named_tags_keeps_its_url() {
    let s = site(&[
        ("index.md", "---\ntags: [x]\n---\n# Home\n"),
        ("tags.md", "# My tag index\n"),
    ]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    assert!(read(s.path(), "tags.html").contains("My tag index"));
    assert!(read(s.path(), "index.html").contains("<span class=\"tag\">#x</span>"));
}

#[test]
fn a_mkdocs_project_is_read_in_nav_order() {
    let s = site(&[
        (
            "mkdocs.yml",
            "site_name: Cloud Exam Notes\ntheme:\n  name: material\n\
             markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n\
             nav:\n  - Home: index.md\n  - Zebra: zebra.md\n  - Storage:\n      - storage/s3.md\n      - Glacier: storage/glacier.md\n  - Alpha: alpha.md\n",
        ),
        ("docs/index.md", "# Welcome\n\n!!! tip \"Start here\"\n    Read in order.\n"),
        ("docs/zebra.md", "# Zebra\n"),
        ("docs/alpha.md", "# Alpha\n"),
        ("docs/storage/s3.md", "# S3\n"),
        ("docs/storage/glacier.md", "# Glacier\n"),
        ("site/index.html", "<p>MkDocs' own output</p>"),
    ]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    let next = |page: &str| next_link(s.path(), page);
    assert_eq!(next("index.html").as_deref(), Some("zebra.html"));
    assert_eq!(next("zebra.html").as_deref(), Some("storage/index.html"));
    assert_eq!(next("storage/index.html").as_deref(), Some("s3.html"));
    assert_eq!(next("storage/s3.html").as_deref(), Some("glacier.html"));
    assert_eq!(
        next("storage/glacier.html").as_deref(),
        Some("../alpha.html")
    );
    let home = read(s.path(), "index.html");
    assert!(
        title_of(&home).ends_with("Cloud Exam Notes"),
        "{}",
        title_of(&home)
    );
    assert!(home.contains("<span>Start here</span>"), "{home}");
    assert!(!s.path().join("public/site").exists());
}

#[test]
fn a_hugo_site_builds_from_its_content_folder() {
    let s = site(&[
        (
            "hugo.toml",
            "baseURL = \"https://example.org/\"\ntitle = \"Hugo Notes\"\n",
        ),
        (
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\nSee [VPC]({{< ref \"net/vpc.md\" >}}).\n\n\
             {{< hint warning >}}\nMind the quotas.\n{{< /hint >}}\n\n{{< youtube abc >}}\n",
        ),
        ("content/net/vpc.md", "---\ntitle: VPC\n---\nBody.\n"),
        ("layouts/index.html", "<html>Hugo's own layout</html>"),
    ]);
    let out = Command::new(env!("CARGO_BIN_EXE_studysite"))
        // Never the user's own cache: the tests write theirs under target/tmp.
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .args(["build"])
        .arg(s.path())
        .arg("-o")
        .arg(s.path().join("site"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let home = fs::read_to_string(s.path().join("site/index.html")).unwrap();
    assert!(
        title_of(&home).ends_with("Hugo Notes"),
        "{}",
        title_of(&home)
    );
    assert!(home.contains("<a href=\"net/vpc.html\">VPC</a>"), "{home}");
    assert!(home.contains("data-callout=\"warning\""), "{home}");
    assert!(
        home.contains("{{&lt; youtube abc &gt;}}"),
        "unknown shortcodes stay visible: {home}"
    );
    assert!(!s.path().join("site/layouts").exists());
}

#[test]
fn an_obsidian_vault_keeps_its_line_breaks() {
    let text = "# Note\n\nFirst line\nsecond line\n";
    let vault = site(&[(".obsidian/app.json", "{}"), ("note.md", text)]);
    let (ok, err) = build(vault.path());
    assert!(ok, "{err}");
    assert!(read(vault.path(), "note.html").contains("<p>First line<br />\nsecond line</p>"));

    let strict = site(&[
        (".obsidian/app.json", "{\"strictLineBreaks\": true}"),
        ("note.md", text),
    ]);
    let (ok, err) = build(strict.path());
    assert!(ok, "{err}");
    assert!(read(strict.path(), "note.html").contains("<p>First line\nsecond line</p>"));

    // Not a vault: CommonMark, unless studysite.toml says otherwise.
    let plain = site(&[("note.md", text)]);
    build(plain.path());
    assert!(read(plain.path(), "note.html").contains("<p>First line\nsecond line</p>"));
    fs::write(plain.path().join("studysite.toml"), "hard_breaks = true\n").unwrap();
    build(plain.path());
    assert!(read(plain.path(), "note.html").contains("First line<br />"));
}

#[test]
fn a_project_file_that_does_not_parse_is_a_warning_at_its_line() {
    let s = site(&[
        ("mkdocs.yml", "site_name: Notes\nnav:\n  - a: [b.md\n"),
        ("docs/index.md", "# Home\n"),
    ]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    assert!(
        err.starts_with(
            "mkdocs.yml:3:8: warning: cannot read this file: line 3 column 8: unclosed bracket"
        ),
        "{err}"
    );
    assert!(s.path().join("public/index.html").exists());

    let b = site(&[
        ("book.toml", "[book]\ntitle = \"Unclosed\n"),
        ("src/README.md", "# Intro\n"),
    ]);
    let (ok, err) = build(b.path());
    assert!(ok, "{err}");
    assert!(
        err.starts_with("book.toml:2:18: warning: cannot read this file: invalid basic string"),
        "{err}"
    );
}
