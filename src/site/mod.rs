//! `build`: the only place that sequences the stages, from the notes folder to the files of
//! the site, held in memory until `output::write` (or `serve`) takes them. What a rebuild
//! can reuse is kept in the [`Cache`].

mod cache;
mod persist;

pub use cache::Cache;

use crate::config::Config;
use crate::content::{hash_of, Built, Content, Sink};
use crate::crossref::{Terms, Web};
use crate::diagnostic::{self, Diagnostic, ExternalLink, Report};
use crate::discover;
use crate::index::Index;
use crate::markdown::{self, Env, Rendered};
use crate::publish;
use crate::render::{self, Theme};
use std::time::Instant;

/// Builds the whole site in memory. Fatal problems in the user's files come back as error
/// diagnostics in the report (all of them, not just the first); `Err` is for I/O failures.
pub fn build(config: &Config) -> anyhow::Result<Built> {
    build_with(config, &mut Cache::one_shot())
}

/// [`build`], the note pages put in `sink` as they are made (`studysite build` writes them
/// to the output's staging folder), so they are never all in memory at once: in the result
/// they are [`Content::Written`].
pub fn build_into(config: &Config, sink: &dyn Sink) -> anyhow::Result<Built> {
    let mut cache = Cache::one_shot();
    let mut built = build_pages_into(config, &mut cache, Some(sink))?;
    let mut t = Timings::start();
    add_search(&mut built, &mut cache);
    t.lap("search");
    cache.save();
    Ok(built)
}

/// [`build`], reusing what `cache` holds from the previous build and leaving this build's
/// parts in it. The result is byte for byte what a clean build gives.
pub fn build_with(config: &Config, cache: &mut Cache) -> anyhow::Result<Built> {
    let mut built = build_pages(config, cache)?;
    let mut t = Timings::start();
    add_search(&mut built, cache);
    t.lap("search");
    cache.save();
    Ok(built)
}

/// With `STUDYSITE_TIMINGS` set, how long each stage took, on standard error: for profiling
/// a corpus, not for users.
pub struct Timings(Option<Instant>, f64);

impl Timings {
    pub fn start() -> Timings {
        let on = std::env::var_os("STUDYSITE_TIMINGS").is_some();
        Timings(on.then(Instant::now), if on { cpu_ms() } else { 0.0 })
    }

    pub fn lap(&mut self, stage: &str) {
        if let Some(at) = &mut self.0 {
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let kb = |key: &str| {
                let line = status.lines().find(|l| l.starts_with(key)).unwrap_or("");
                line.split_whitespace().nth(1).unwrap_or("0").to_string()
            };
            let cpu = cpu_ms();
            eprintln!(
                "timing {stage:>12} {:>8.1} ms  cpu {:>8.1} ms  rss {:>8} kB  peak {:>8} kB",
                at.elapsed().as_secs_f64() * 1e3,
                cpu - self.1,
                kb("VmRSS:"),
                kb("VmHWM:")
            );
            self.1 = cpu;
            *at = Instant::now();
        }
    }
}

/// The CPU time this process has used so far, all threads (Linux; 0 elsewhere), in ms.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: f64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse::<f64>().ok())
        .sum();
    ticks * 10.0 // clock ticks of 10 ms (USER_HZ is 100 on Linux)
}

/// The search index of the pages `build_pages` last built into `cache`, added to `built`.
/// Split from the rest so `serve` can show an edited page before the index is done.
pub fn add_search(built: &mut Built, cache: &mut Cache) {
    built.files.extend(cache.search_files());
}

/// Everything but the search index (see [`add_search`]).
pub fn build_pages(config: &Config, cache: &mut Cache) -> anyhow::Result<Built> {
    build_pages_into(config, cache, None)
}

/// The pipeline, stage by stage; the note pages go to `sink` when there is one.
fn build_pages_into(
    config: &Config,
    cache: &mut Cache,
    sink: Option<&dyn Sink>,
) -> anyhow::Result<Built> {
    let started = Instant::now();
    let mut t = Timings::start();
    let mut diags = config.warnings.clone();
    let theme = Theme::load(config, &mut diags)?;
    cache.begin(env_of(config, &theme), config.cache_dir.as_deref());
    let sources = discover::discover(config, &mut diags)?;
    t.lap("discover");
    let pages = cache.pages(config, &sources, &mut diags);
    t.lap("parse");
    let mut index = Index::build(config, pages, &sources, &mut diags);
    t.lap("index");
    let keys = cache.keys(&index);
    let terms = cache.terms(keys.shape, || Terms::build(config, &index));
    t.lap("terms");
    let web = Web::build(config, &index, terms, &mut diags);
    web.reserve_pages(&mut index, &mut diags);
    t.lap("web");
    let rendered = cache.render_notes(&index, &keys, |i, highlighter| {
        render_note(config, &index, &web, i, highlighter)
    });
    t.lap("render notes");
    let external = findings(&index, &rendered, &mut diags);
    let mut files = render::pages(
        config,
        &theme,
        &index,
        &rendered,
        &|t| keys.of(t),
        (&mut cache.html, sink),
        &mut diags,
    )?;
    t.lap("pages");
    let study = render::study_urls(&index).map(|url| (url.to_string(), keys.study()));
    let study = cache.study_html(study.collect(), |html| {
        render::study_pages(config, &theme, &index, &web, keys.study(), html, &mut diags)
    });
    // The study pages reuse notes' text: their code looks are read from what they are.
    let study_looks: Vec<String> = study
        .iter()
        .filter_map(|(_, c)| match c {
            Content::Bytes(b) => std::str::from_utf8(b).ok(),
            Content::Copy(_) | Content::Written { .. } => None,
        })
        .flat_map(markdown::highlight::looks)
        .collect();
    files.extend(study);
    t.lap("study pages");
    let looks: std::collections::BTreeSet<&str> = rendered
        .iter()
        .flat_map(|r| &r.code_looks)
        .chain(&study_looks)
        .map(String::as_str)
        .collect();
    files.insert(
        "static/highlight.css".into(),
        Content::Bytes(cache.highlighter.stylesheet(looks)),
    );
    render::assets(
        config, &theme, &index, &rendered, &sources, &mut files, &mut diags,
    );
    files.extend(publish::files(config, &files));
    t.lap("assets");
    diagnostic::apply_levels(&mut diags, &config.lints);
    diagnostic::sort(&mut diags);
    diagnostic::consolidate(&mut diags);
    let urls = index.urls();
    let pages = index.pages.len();
    cache.keep(index, &keys, rendered);
    t.lap("rest");
    let (elapsed, diagnostics) = (started.elapsed(), diags);
    let report = Report {
        pages,
        elapsed,
        diagnostics,
        external,
    };
    Ok(Built {
        files,
        report,
        urls,
    })
}

/// The hash of what every page depends on besides the notes: the config and the theme.
/// Where the site is written and the cache folder are left out, so `serve` and `build -o
/// elsewhere` share the page cache.
fn env_of(config: &Config, theme: &Theme) -> u64 {
    let mut config = config.clone();
    config.out_dir = std::path::PathBuf::new();
    config.cache_dir = None;
    hash_of((format!("{config:?}"), theme.fingerprint))
}

/// One note's body as HTML, its links resolved from where its page is.
fn render_note(
    config: &Config,
    index: &Index,
    web: &Web,
    i: usize,
    highlighter: &markdown::Highlighter,
) -> Rendered {
    let view = web.view(index, i);
    let marks = &index.pages[i].page.outline.marks;
    // A weak scenario the web dropped leaves no id behind.
    let kept: Vec<markdown::scenarios::Mark>;
    let marks = match view.dropped() {
        [] => marks.as_slice(),
        dropped => {
            let dropped: std::collections::HashSet<&str> =
                dropped.iter().map(String::as_str).collect();
            kept = marks
                .iter()
                .filter(|m| !dropped.contains(m.id.as_str()))
                .cloned()
                .collect();
            &kept
        }
    };
    let env = Env {
        highlighter,
        links: &index.resolver(i),
        diagrams: config.diagrams,
        config,
        xref: Some(&view),
        marks: Some(marks),
    };
    markdown::render(&index.pages[i].page.prepared, &env)
}

/// What rendering found in each note, as diagnostics at their line in the user's file;
/// returns the external links, where each is written.
fn findings(
    index: &Index,
    rendered: &[Rendered],
    diags: &mut Vec<Diagnostic>,
) -> Vec<ExternalLink> {
    let mut external = Vec::new();
    for (placed, r) in index.pages.iter().zip(rendered) {
        let note = &placed.page.note;
        external.extend(r.external.iter().map(|(url, offset)| {
            let (line, col) = note.line_col(*offset);
            ExternalLink {
                url: url.clone(),
                file: note.display.clone(),
                line,
                col,
            }
        }));
        let found = r.findings.iter().chain(&r.broken_links);
        diags.extend(found.map(|f| {
            let mut d = note.warning(f.offset, &f.message);
            if !f.also.is_empty() {
                let lines: Vec<String> = f
                    .also
                    .iter()
                    .map(|&o| note.line_col(o).0.to_string())
                    .collect();
                d.message
                    .push_str(&format!("; also at line(s) {}", lines.join(", ")));
            }
            d.lint = f.lint;
            d.group = f.group.clone();
            match &f.help {
                Some(h) => d.with_help(h),
                None => d,
            }
        }));
    }
    external
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::site;

    #[test]
    fn a_rebuild_from_the_cache_is_a_clean_build() {
        let (dir, config) = site(&[
            ("index.md", "# Home\n\nSee [b](sub/b.md).\n"),
            ("sub/b.md", "# B\n\n## Part\n\nText.\n"),
        ]);
        let mut cache = Cache::default();
        let first = build_with(&config, &mut cache).unwrap();
        assert_eq!(first.report.pages, 2);
        assert_eq!(first.urls["sub/b.md"], "sub/b.html");
        std::fs::write(
            dir.path().join("notes/sub/b.md"),
            "# B\n\n## Part two\n\nText.\n",
        )
        .unwrap();
        let again = build_with(&config, &mut cache).unwrap();
        let clean = build(&config).unwrap();
        assert_eq!(again.files, clean.files);
        assert_ne!(again.files["sub/b.html"], first.files["sub/b.html"]);
        assert!(clean.files.keys().any(|k| k.starts_with("static/search/")));
    }

    #[test]
    fn a_build_in_a_new_process_starts_from_the_page_cache_and_gives_a_clean_build() {
        let quiz =
            "# Q\n\nWhich?\n\nA) x\nB) y\n\n**Answer: A**\n\n## Tip\n\n```python\nx = 1\n```\n";
        let same = "# Same\n\nSee [q](q.md) and [home](index.md).\n";
        let (dir, mut config) = site(&[
            ("index.md", "# Home\n\nSee [q](q.md).\n"),
            ("q.md", quiz),
            // The same bytes in two places link to other places.
            ("a/same.md", same),
            ("b/c/same.md", same),
            // A diagram not fenced: the prepared text is not the body as written.
            ("d.md", "# D\n\n┌────┐\n│ ab │\n└────┘\n"),
        ]);
        let cache_dir = tempfile::tempdir().unwrap();
        let clean = build(&config).unwrap();
        config.cache_dir = Some(cache_dir.path().to_path_buf());
        let mut first = Cache::one_shot();
        assert_eq!(build_with(&config, &mut first).unwrap().files, clean.files);
        assert_eq!(first.persisted_hits(), 0);
        // A new process: what it needs comes from the disk.
        let mut again = Cache::one_shot();
        assert_eq!(build_with(&config, &mut again).unwrap().files, clean.files);
        // Each note's parts (parsed, rendered) and the study pages, and the search index as a
        // whole: its list of files and each file.
        let study = crate::crossref::STUDY_PAGES.len();
        let search = clean
            .files
            .keys()
            .filter(|f| f.starts_with("static/search/"))
            .count();
        assert_eq!(again.persisted_hits(), 5 * 2 + study + 1 + search);
        // Written elsewhere (as `serve` or `build -o` do), the site is the same site.
        let mut elsewhere = config.clone();
        elsewhere.out_dir = dir.path().join("elsewhere");
        let mut there = Cache::one_shot();
        build_with(&elsewhere, &mut there).unwrap();
        assert_eq!(there.persisted_hits(), again.persisted_hits());
        // An edit: the edited note is made again, and the rest read where the site's shape
        // allows (here it does not: a heading changed).
        std::fs::write(
            dir.path().join("notes/q.md"),
            quiz.replace("## Tip", "## Hint"),
        )
        .unwrap();
        let mut edited = Cache::one_shot();
        let got = build_with(&config, &mut edited).unwrap().files;
        config.cache_dir = None;
        assert_eq!(got, build(&config).unwrap().files);
        assert_eq!(edited.persisted_hits(), 4);
        // A serving cache writes to the disk too.
        config.cache_dir = Some(cache_dir.path().to_path_buf());
        let mut serving = Cache::default();
        build_with(&config, &mut serving).unwrap();
        assert_eq!(serving.persisted_hits(), 5 * 3 + study);
    }

    #[test]
    fn a_changed_quiz_renders_the_study_pages_again_and_no_note_page() {
        let quiz = |letter: &str| format!("# Q\n\nWhich?\n\nA) x\nB) y\n\n**Answer: {letter}**\n");
        let (dir, config) = site(&[("index.md", "# Home\n\nText.\n"), ("q.md", &quiz("A"))]);
        let mut cache = Cache::default();
        let first = build_with(&config, &mut cache).unwrap();
        std::fs::write(dir.path().join("notes/q.md"), quiz("B")).unwrap();
        let again = build_with(&config, &mut cache).unwrap();
        assert_ne!(
            first.files["static/study/deck.js"],
            again.files["static/study/deck.js"]
        );
        assert_ne!(first.files["q.html"], again.files["q.html"]);
        assert_eq!(again.files, build(&config).unwrap().files);
        match (&first.files["index.html"], &again.files["index.html"]) {
            (Content::Bytes(a), Content::Bytes(b)) => assert!(std::sync::Arc::ptr_eq(a, b)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn problems_in_notes_come_back_as_diagnostics() {
        let (_dir, config) = site(&[("a.md", "---\ntitle: [x\n---\n"), ("b.md", "[c](c.md)\n")]);
        let built = build(&config).unwrap();
        let all = built.report.diagnostics();
        assert_eq!(built.report.errors(), 1, "{all:?}");
        assert!(
            all.iter().any(|d| d.starts_with("notes/a.md:2:")),
            "{all:?}"
        );
        assert!(
            all.iter()
                .any(|d| d.starts_with("notes/b.md:1:1: warning: link to missing note")),
            "{all:?}"
        );
    }
}
