//! A rebuild that reuses the previous build's cache gives exactly what a clean build gives,
//! over a sequence of edits, renames, deletions and new notes.

use std::fs;
use std::path::Path;
use studysite::{build, build_with, BuildOptions, Cache, Config};

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Rebuilds with the cache and from scratch, and compares every file and diagnostic.
fn same_as_clean(site: &Path, cache: &mut Cache, step: &str) -> studysite::Built {
    let opts = BuildOptions {
        path: site.to_path_buf(),
        ..BuildOptions::default()
    };
    let config = Config::load(&opts).unwrap_or_else(|d| panic!("{step}: {d:?}"));
    let incremental = build_with(&config, cache).unwrap();
    let clean = build(&config).unwrap();
    assert_eq!(
        incremental.report.diagnostics(),
        clean.report.diagnostics(),
        "{step}: diagnostics differ"
    );
    let a: Vec<&String> = incremental.files.keys().collect();
    let b: Vec<&String> = clean.files.keys().collect();
    assert_eq!(a, b, "{step}: different files");
    for (name, content) in &clean.files {
        assert!(
            incremental.files[name] == *content,
            "{step}: `{name}` differs from a clean build"
        );
    }
    incremental
}

fn text_of(built: &studysite::Built, name: &str) -> String {
    match &built.files[name] {
        studysite::Content::Bytes(b) => String::from_utf8(b.to_vec()).unwrap(),
        studysite::Content::Copy(p) => fs::read_to_string(p).unwrap(),
        studysite::Content::Written { .. } => unreachable!("an in-memory build writes nothing"),
    }
}

#[test]
fn incremental_rebuilds_equal_clean_builds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    copy_dir(&root.join("notes"), &site.join("notes"));
    fs::copy(root.join("studysite.toml"), site.join("studysite.toml")).unwrap();
    let notes = site.join("notes/03-mlops-deployment");
    let mut cache = Cache::default();
    same_as_clean(site, &mut cache, "first build");
    same_as_clean(site, &mut cache, "nothing changed");

    // Prose only: the site's shape holds, one page is rendered again.
    let note = notes.join("03-autoscaling.md");
    let text = fs::read_to_string(&note).unwrap();
    fs::write(
        &note,
        format!("{text}\nA new closing sentence about scaling policies.\n"),
    )
    .unwrap();
    same_as_clean(site, &mut cache, "prose edit");

    // Code in a language no note used and a Mermaid drawing: the highlight sheet gains the
    // new looks and the drawing's shared sheet is written.
    fs::write(
        &note,
        format!("{text}\n```rust\nfn main() {{ let x: u8 = 1; println!(\"{{x}}\"); }}\n```\n\n```mermaid\nflowchart LR\n  A[One] --> B[Two]\n```\n"),
    )
    .unwrap();
    let built = same_as_clean(site, &mut cache, "new code and a drawing");
    let page = text_of(&built, "03-mlops-deployment/03-autoscaling.html");
    let css = text_of(&built, "static/highlight.css");
    let looks: Vec<&str> = page
        .split("<k-")
        .skip(1)
        .map(|rest| &rest[..rest.find('>').unwrap()])
        .collect();
    assert!(looks.len() > 3, "no highlighted runs in the page");
    for look in looks {
        // A rule of its own (`.hl-code k-3-2{`) or one it shares (`:is(k-3-2,k-3b-2)`).
        assert!(
            [",", ")", "{"]
                .iter()
                .any(|end| css.contains(&format!("k-{look}{end}"))),
            "k-{look} has no rule in {css}"
        );
    }
    let sheet = page
        .split("static/diagrams/")
        .nth(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .expect("the page links no drawing sheet");
    assert!(
        built
            .files
            .contains_key(&format!("static/diagrams/{sheet}")),
        "{sheet} is not written"
    );

    // A new heading changes ids, terms and the TOC.
    fs::write(
        &note,
        format!("{text}\n## Warm Pools\n\nKeep instances ready.\n"),
    )
    .unwrap();
    same_as_clean(site, &mut cache, "new heading");

    // A new note linking to an existing section, and one with a broken link.
    fs::write(
        notes.join("12-extra.md"),
        "---\ntitle: Extra\n---\n\nSee [canary](02-deployment-strategies.md#canary-deployment) and [gone](nope.md).\n",
    )
    .unwrap();
    same_as_clean(site, &mut cache, "new note");

    // A title change shows in nav, breadcrumbs, prev/next and listings of other pages.
    edit(
        &notes.join("12-extra.md"),
        "title: Extra",
        "title: Extra Reading",
    );
    same_as_clean(site, &mut cache, "title change");

    // Rename and delete.
    fs::rename(notes.join("12-extra.md"), notes.join("13-more.md")).unwrap();
    same_as_clean(site, &mut cache, "rename");
    fs::remove_file(notes.join("13-more.md")).unwrap();
    same_as_clean(site, &mut cache, "delete");

    // A scenario row edited: the when-to-use-what page and flashcards follow.
    let quick = notes.join("10-quick-reference.md");
    let q = fs::read_to_string(&quick).unwrap();
    let row = q
        .lines()
        .find(|l| l.starts_with("| ") && l.contains("Lambda"))
        .unwrap_or_else(|| q.lines().filter(|l| l.starts_with("| ")).nth(3).unwrap());
    fs::write(
        &quick,
        q.replacen(
            row,
            &format!("{row}\n| Need a brand new edge case | Step Functions |"),
            1,
        ),
    )
    .unwrap();
    same_as_clean(site, &mut cache, "scenario row");

    // A copied file, a template override and the config.
    fs::write(notes.join("diagram.png"), b"not really a png").unwrap();
    same_as_clean(site, &mut cache, "new asset");
    fs::create_dir_all(site.join("templates")).unwrap();
    fs::write(site.join("templates/page.html"), "{% extends \"base.html\" %}\n{% block content %}<div class=\"mine\">{{ page.html | safe }}</div>{% endblock content %}\n").unwrap();
    same_as_clean(site, &mut cache, "template override");
    let toml = fs::read_to_string(site.join("studysite.toml")).unwrap();
    fs::write(
        site.join("studysite.toml"),
        format!("{toml}glossary = false\n"),
    )
    .unwrap();
    same_as_clean(site, &mut cache, "config change");

    // A broken note is reported the same way, and fixing it recovers.
    fs::write(&note, "---\ntitle: [broken\n---\nbody\n").unwrap();
    same_as_clean(site, &mut cache, "broken front matter");
    fs::write(&note, &text).unwrap();
    same_as_clean(site, &mut cache, "fixed");
}

/// Sets the modification time of every file under `dir` an hour back, as for notes not
/// touched in a while (a rebuild trusts their stamps and does not read them).
fn age(dir: &Path) {
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let f = fs::File::options().write(true).open(entry.path()).unwrap();
            f.set_modified(past).unwrap();
        }
    }
}

#[test]
fn notes_left_alone_are_not_read_again_but_edits_are_seen() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    copy_dir(&root.join("notes"), &site.join("notes"));
    age(site);
    let notes = site.join("notes/03-mlops-deployment");
    let mut cache = Cache::default();
    same_as_clean(site, &mut cache, "first build");
    same_as_clean(site, &mut cache, "nothing changed");
    // Same size, new time: still seen.
    edit(&notes.join("03-autoscaling.md"), "Target", "TARGET");
    same_as_clean(site, &mut cache, "a same-length edit");
    edit(&notes.join("09-governance.md"), "## ", "## Renamed ");
    same_as_clean(site, &mut cache, "a new heading");
    // An edit made, then dated back to when the note was last read: its size still tells.
    let gov = notes.join("09-governance.md");
    fs::write(
        &gov,
        fs::read_to_string(&gov).unwrap() + "\nOne more line.\n",
    )
    .unwrap();
    age(&gov);
    same_as_clean(site, &mut cache, "an edit dated back");
}
