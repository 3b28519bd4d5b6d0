//! What the fuzz targets (`fuzz/`) and their regression tests (`tests/fuzz_regressions.rs`)
//! run: each function feeds one stage arbitrary input and panics when what must hold of the
//! output does not. Not an API: hidden from the docs, free to change with the stages.

use crate::config::{BuildOptions, Config};
use crate::content::Content;
use crate::markdown::{self, Prepared};
use crate::note::{Liquid, Note};
use crate::page::Page;
use crate::site::{build_with, Cache};
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

/// The name of the one note of a [`Site`], relative to its notes folder.
const NOTE: &str = "note.md";

/// A site of one note, built again for each input as `serve` rebuilds: with the cache of the
/// build before (so the syntax set is loaded once, not per input).
pub struct Site {
    config: Config,
    cache: Cache,
    note: PathBuf,
}

impl Site {
    /// A one-note site in `dir`, an empty folder.
    pub fn new(dir: &Path) -> Site {
        let notes = dir.join("notes");
        std::fs::create_dir_all(&notes).expect("cannot create the notes folder");
        let options = BuildOptions {
            path: dir.to_path_buf(),
            ..BuildOptions::default()
        };
        let config = Config::load(&options).expect("an empty site folder loads");
        Site {
            config,
            cache: Cache::default(),
            note: notes.join(NOTE),
        }
    }

    /// Builds the site with `bytes` as its note, through every dialect, adapter and template.
    /// The build must succeed (a bad note is a diagnostic, not a failure), every diagnostic
    /// about the note must point into it, and a note that is not an error or a draft must be
    /// a page of the site.
    pub fn build_note(&mut self, bytes: &[u8]) {
        std::fs::write(&self.note, bytes).expect("cannot write the note");
        let built = build_with(&self.config, &mut self.cache).expect("the build fails");
        let lines = bytes.split(|&b| b == b'\n' || b == b'\r').count();
        let shown = self.config.display_path(&self.note);
        for d in &built.report.diagnostics {
            if d.file == shown {
                assert!(d.line <= lines, "{d} points past the note's {lines} lines");
            }
        }
        let Some(url) = built.urls.get(NOTE) else {
            let draft = std::str::from_utf8(bytes).is_ok_and(|t| t.contains("draft"));
            assert!(
                built.report.errors() > 0 || draft,
                "the note has no page and no error: {:?}",
                built.report.diagnostics()
            );
            return;
        };
        let Some(Content::Bytes(page)) = built.files.get(url) else {
            panic!("the note's page `{url}` is not among the files");
        };
        let page = std::str::from_utf8(page).expect("the page is not UTF-8");
        assert!(page.contains("</html>"), "the page is cut short");
    }

    /// Parses `bytes` as a note and outlines it (ids, headings, callouts, scenarios, tables,
    /// comparisons, questions): every id once, every offset inside the note's body, every
    /// scenario and question with both of its parts.
    pub fn outline_note(&self, bytes: &[u8]) {
        let Ok(Some(page)) =
            Page::parse(&self.config, NOTE.into(), NOTE.into(), bytes.to_vec(), None)
        else {
            return;
        };
        let len = page.note.body.len();
        let outline = &page.outline;
        let facts = &outline.facts;
        let mut ids = HashSet::new();
        let claimed = outline.headings.iter().map(|h| &h.id);
        let claimed = claimed.chain(facts.callouts.iter().map(|c| &c.id));
        for id in claimed.chain(facts.scenarios.iter().map(|s| &s.id)) {
            assert!(!id.is_empty(), "an empty id");
            assert!(ids.insert(id), "id `{id}` given twice");
        }
        for h in &outline.headings {
            assert!(h.offset <= len, "heading offset {} past {len}", h.offset);
        }
        for s in &facts.scenarios {
            assert!(s.offset <= len, "scenario offset {} past {len}", s.offset);
            assert!(!s.text.is_empty() && !s.answer.is_empty(), "{s:?}");
        }
        for q in &facts.questions {
            assert!(q.offset <= len, "question offset {} past {len}", q.offset);
        }
        for c in &facts.callouts {
            assert!(c.offset <= len, "callout offset {} past {len}", c.offset);
        }
        for line in page.note.body.lines() {
            if let Some((scenario, answer)) = markdown::scenarios::parse(line) {
                assert!(!scenario.is_empty() && !answer.is_empty(), "{line:?}");
            }
        }
    }
}

/// Parses a note's front matter. The first byte picks how the rest is read: as a whole note,
/// as YAML between `---` lines, or as TOML between `+++` lines, each with and without a
/// Jekyll site's Liquid variables. An error must point at a line of the note; a note that
/// parses must place every offset of its body on a line of it.
pub fn front_matter(bytes: &[u8]) {
    let Some((&mode, rest)) = bytes.split_first() else {
        return;
    };
    let Ok(rest) = std::str::from_utf8(rest) else {
        return;
    };
    let text = match mode % 3 {
        0 => rest.to_string(),
        1 => format!("---\n{rest}\n---\nbody\n"),
        _ => format!("+++\n{rest}\n+++\nbody\n"),
    };
    let liquid = (mode & 4 != 0).then(|| Liquid {
        title: "Site".into(),
        description: "About".into(),
    });
    let lines = text.split('\n').count();
    match Note::parse(NOTE.into(), NOTE.into(), text.clone(), liquid.as_ref()) {
        Err(d) => assert!(d.line <= lines, "{d} points past the note's {lines} lines"),
        Ok(note) => {
            let step = (note.body.len() / 64).max(1);
            for offset in (0..=note.body.len()).step_by(step) {
                let (line, col) = note.line_col(offset);
                assert!(
                    (1..=lines).contains(&line) && col >= 1,
                    "{offset} at {line}:{col}"
                );
            }
        }
    }
}

/// Finds and fences the un-fenced diagrams of `text`: the runs are in order, apart and inside
/// the text; the fenced text is the text with a fence line before and after each run, no
/// line of it lost or changed; and the offset map leads every offset of the fenced text back
/// into the text, in order. Input that is not UTF-8 is no note and is passed over.
pub fn diagrams(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let runs = markdown::diagrams::detect(text);
    let lines = text.split('\n').count();
    let mut end = 0;
    for run in &runs {
        assert!(run.start >= end && run.start < run.end, "{runs:?}");
        end = run.end;
    }
    assert!(end <= lines, "{runs:?} past {lines} lines");
    let doc = Prepared::new(&text.into());
    let starts: HashSet<usize> = runs.iter().map(|r| r.start).collect();
    let ends: HashSet<usize> = runs.iter().map(|r| r.end).collect();
    let mut fenced = doc.text.split('\n');
    for (i, line) in text.split('\n').enumerate() {
        if ends.contains(&i) {
            fence_line(fenced.next(), false);
        }
        if starts.contains(&i) {
            fence_line(fenced.next(), true);
        }
        assert_eq!(fenced.next(), Some(line), "line {i} lost or changed");
    }
    if runs.last().is_some_and(|r| r.end == lines) {
        fence_line(fenced.next(), false);
        assert_eq!(fenced.next(), Some(""));
    }
    assert_eq!(fenced.next(), None, "lines added after the text");
    let mut last = 0;
    for offset in (0..=doc.text.len()).filter(|&o| doc.text.is_char_boundary(o)) {
        let old = doc.map.old(offset);
        assert!(
            old <= text.len() && old >= last,
            "{offset} maps back to {old}"
        );
        last = old;
    }
}

/// Is `line` a fence line [`diagrams`] added, opening a diagram or closing it?
fn fence_line(line: Option<&str>, opens: bool) {
    let line = line.unwrap_or_default();
    let rest = line.trim_start_matches('`');
    let ok = line.len() - rest.len() >= 3 && rest == if opens { "diagram" } else { "" };
    assert!(ok, "{line:?} is not a fence line");
}

/// Where the server takes a request: the input is a `base_url` on its first line, then the
/// request target. A file of the site is a relative path of names only (no `..`, `.`, root,
/// drive or backslash), so it can never lead outside the site, and a folder to redirect to
/// is one name.
pub fn route(data: &[u8]) {
    use crate::serve::http::{route, Route};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (base_url, target) = text.split_once('\n').unwrap_or(("", text));
    let base = crate::url::base_path(base_url);
    let key = match route(target, &base) {
        Route::File(key) => key,
        Route::Folder(name) => {
            assert!(
                !name.contains(['/', '\\']),
                "{target:?} redirects to {name:?}"
            );
            return;
        }
        Route::Own(_) | Route::Outside | Route::Bad => return,
    };
    assert!(
        !key.is_empty() && !key.contains(['\\', '\0']),
        "{target:?} names {key:?}"
    );
    for part in Path::new(&key).components() {
        assert!(
            matches!(part, Component::Normal(_)),
            "{target:?} names {key:?}, which leaves the site at {part:?}"
        );
    }
    for segment in key.split('/') {
        assert!(
            segment != "." && segment != ".." && !segment.ends_with(':'),
            "{target:?} names {key:?}"
        );
    }
}
