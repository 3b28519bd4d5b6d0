//! `build`: the only place that sequences the stages, from the notes folder to the files of
//! the site, held in memory until `output::write` (or `serve`) takes them.

use crate::check::ExternalLink;
use crate::config::Config;
use crate::crossref::Web;
use crate::diagnostic::{self, Diagnostic};
use crate::discover::{self, Kind, SourceFile};
use crate::fsx;
use crate::index::Index;
use crate::markdown::{self, Env, Highlighter, Outline, Prepared};
use crate::note::Note;
use crate::render::{self, Theme};
use crate::publish;
use crate::search;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    /// Copied as it is from the user's file.
    Copy(PathBuf),
}

/// The built site: every output file by its path (`/`-separated, relative to the site root).
#[derive(Debug, Default)]
pub struct Built {
    pub files: BTreeMap<String, Content>,
    pub report: Report,
    /// Each note's page: source path (relative to the notes folder) -> site-relative URL.
    pub urls: BTreeMap<String, String>,
}

/// What a build found and how long it took.
#[derive(Debug, Default)]
pub struct Report {
    pub pages: usize,
    pub elapsed: Duration,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Every link to outside the site, where it is written (`check` lists or fetches them).
    pub(crate) external: Vec<ExternalLink>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// Every diagnostic, rustc-style, sorted by file and line.
    pub fn diagnostics(&self) -> Vec<String> {
        self.diagnostics.iter().map(ToString::to_string).collect()
    }

    /// Did the build fail (an error, or any warning under `--strict`)?
    pub fn failed(&self, strict: bool) -> bool {
        self.errors() > 0 || (strict && !self.diagnostics.is_empty())
    }
}

/// A note ready to render: parsed, placed, and outlined.
pub(crate) struct Page {
    pub(crate) note: Note,
    pub(crate) prepared: Prepared,
    pub(crate) outline: Outline,
}

/// Builds the whole site in memory. Fatal problems in the user's files come back as error
/// diagnostics in the report (all of them, not just the first); `Err` is for I/O failures.
pub fn build(config: &Config) -> anyhow::Result<Built> {
    let started = Instant::now();
    let mut diags = Vec::new();
    let theme = Theme::load(config, &mut diags)?;
    let sources = discover::discover(config)?;
    let pages = parse_notes(config, &sources, &mut diags);
    let mut index = Index::build(config, pages, &sources, &mut diags);
    let web = Web::build(config, &mut index, &mut diags);
    let highlighter = Highlighter::default();
    let rendered: Vec<_> = index
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            let links = index.resolver(i);
            let env = Env {
                highlighter: &highlighter,
                links: &links,
                diagrams: config.diagrams,
                config,
                xref: Some(web.view(&index, i)),
            };
            markdown::render(&page.prepared, &env)
        })
        .collect();
    let mut external = Vec::new();
    for (page, r) in index.pages.iter().zip(&rendered) {
        external.extend(r.external.iter().map(|(url, offset)| {
            let (line, col) = page.note.line_col(*offset);
            ExternalLink {
                url: url.clone(),
                file: page.note.display.clone(),
                line,
                col,
            }
        }));
        let broken = r.broken_links.iter().map(|f| (f, true));
        diags.extend(r.findings.iter().map(|f| (f, false)).chain(broken).map(|(f, link)| {
            let mut d = page.note.warning(f.offset, &f.message);
            d.broken_link = link;
            match &f.help {
                Some(h) => d.with_help(h),
                None => d,
            }
        }));
    }
    let mut files = render::pages(config, &theme, &index, &rendered, &mut diags);
    render::study_pages(config, &theme, &index, &web, &mut files, &mut diags);
    render::assets(config, &theme, &index, &sources, &mut files);
    files.extend(search::files(&index, &rendered));
    let extra = publish::files(config, &files);
    files.extend(extra);
    diagnostic::sort(&mut diags);
    let urls = index
        .pages
        .iter()
        .zip(&index.info)
        .map(|(page, info)| (page.note.rel.clone(), info.url.clone()))
        .collect();
    Ok(Built {
        urls,
        report: Report {
            pages: index.pages.len(),
            elapsed: started.elapsed(),
            diagnostics: diags,
            external,
        },
        files,
    })
}

/// Reads and parses every note in parallel; a note that cannot be read or parsed becomes an
/// error diagnostic and is left out. Drafts are dropped unless `--drafts`.
fn parse_notes(config: &Config, sources: &[SourceFile], diags: &mut Vec<Diagnostic>) -> Vec<Page> {
    let results: Vec<Result<Option<Page>, Diagnostic>> = sources
        .par_iter()
        .filter(|s| s.kind == Kind::Note)
        .map(|s| {
            let display = config.display_path(&s.path);
            let bytes = fsx::read(&s.path)
                .map_err(|e| Diagnostic::error(&display, 0, 0, format!("{e:#}")))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                let at = e.utf8_error().valid_up_to();
                let valid = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or("");
                let lines = crate::source_map::LineIndex::new(valid);
                let (line, col) = lines.line_col(valid, at);
                Diagnostic::error(&display, line, col, "the note is not valid UTF-8")
                    .with_help("save the file as UTF-8")
            })?;
            let note = Note::parse(s.rel.clone(), display, text)?;
            if note.front.draft && !config.drafts {
                return Ok(None);
            }
            let prepared = Prepared::new(&note.body);
            let outline = markdown::outline(&prepared, config);
            Ok(Some(Page {
                note,
                prepared,
                outline,
            }))
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(Some(page)) => pages.push(page),
            Ok(None) => {}
            Err(d) => diags.push(d),
        }
    }
    pages
}
