//! `build`: the only place that sequences the stages, from the notes folder to the files of
//! the site, held in memory until `output::write` (or `serve`) takes them.

use crate::check::ExternalLink;
use crate::config::Config;
use crate::crossref::Web;
use crate::diagnostic::{self, Diagnostic};
use crate::discover::{self, Kind, SourceFile};
use crate::fsx;
use crate::index::{Index, Target};
use crate::markdown::{self, Env, Highlighter, Outline, Prepared, Rendered};
use crate::note::Note;
use crate::publish;
use crate::render::{self, Theme};
use crate::search;
use rayon::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Shared, so a rebuild that keeps a page costs no copy.
    Bytes(Arc<[u8]>),
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
#[derive(Clone)]
pub(crate) struct Page {
    pub(crate) note: Note,
    pub(crate) prepared: Prepared,
    pub(crate) outline: Outline,
    /// The hash of what other pages can read of this one (front matter and outline, byte
    /// offsets left out): made once per parse, summed into the site's shape.
    pub(crate) digest: u64,
}

impl Page {
    fn new(note: Note, prepared: Prepared, outline: Outline) -> Page {
        let mut visible = outline.clone();
        visible.facts.map_offsets(|_| 0);
        visible.headings.iter_mut().for_each(|x| x.offset = 0);
        let digest = hash_of((format!("{:?}", note.front), format!("{visible:?}")));
        Page {
            note,
            prepared,
            outline,
            digest,
        }
    }
}

/// What one build keeps for the next, so a rebuild (in `serve`) redoes only what a change
/// touches. Every page's output is a function of its own note and of the site's *shape*:
/// everything a page reads from other notes (URLs, titles, ids, headings, scenarios, front
/// matter, the theme and the config). While the shape holds, only changed notes are parsed,
/// rendered and indexed again; when it changes, every page is rendered again.
#[derive(Default)]
pub struct Cache {
    /// The config and theme the cache was filled under; any change empties the cache.
    env: u64,
    /// Parsed notes by source path, with the hash of the bytes they came from.
    notes: HashMap<String, (u64, Page)>,
    /// The stamp (modification time, size) each note had when it was last read, and when
    /// the last build began reading.
    stamps: HashMap<String, (SystemTime, u64)>,
    read_at: Option<SystemTime>,
    /// Rendered markdown by source path, with its key (shape + note).
    rendered: HashMap<String, (u64, Rendered)>,
    /// Search parts by source path, with the same key.
    search: HashMap<String, (u64, search::PageSearch)>,
    /// The pages to index, in reading order: source path, key, URL and title.
    search_plan: Vec<(String, u64, String, String)>,
    html: render::HtmlCache,
    study_html: render::HtmlCache,
    /// The site's terms, with the shape they were found under.
    terms: Option<(u64, Arc<crate::crossref::Terms>)>,
    /// Loaded once per cache: the syntax set and every block highlighted so far.
    highlighter: Highlighter,
}

/// Moves out of `cache` (without copying) the entry of each wanted path whose key still
/// matches, in the order wanted; everything else in `cache` is dropped.
fn take_matching<'a, T>(
    cache: &mut HashMap<String, (u64, T)>,
    wanted: impl Iterator<Item = (&'a String, u64)>,
) -> Vec<Option<T>> {
    let mut previous = std::mem::take(cache);
    wanted
        .map(|(rel, key)| match previous.remove(rel) {
            Some((old, value)) if old == key => Some(value),
            _ => None,
        })
        .collect()
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Builds the whole site in memory. Fatal problems in the user's files come back as error
/// diagnostics in the report (all of them, not just the first); `Err` is for I/O failures.
pub fn build(config: &Config) -> anyhow::Result<Built> {
    build_with(config, &mut Cache::default())
}

/// [`build`], reusing what `cache` holds from the previous build and leaving this build's
/// parts in it. The result is byte for byte what a clean build gives.
pub fn build_with(config: &Config, cache: &mut Cache) -> anyhow::Result<Built> {
    let mut built = build_pages(config, cache)?;
    add_search(&mut built, cache);
    Ok(built)
}

/// The search index of the pages `build_pages` last built into `cache`, added to `built`.
/// Split from the rest so `serve` can show an edited page before the index is done.
pub fn add_search(built: &mut Built, cache: &mut Cache) {
    let wanted = cache.search_plan.iter().map(|(rel, key, _, _)| (rel, *key));
    let reused = take_matching(&mut cache.search, wanted);
    let rendered = &cache.rendered;
    let searched: Vec<search::PageSearch> = cache
        .search_plan
        .par_iter()
        .zip(reused)
        .map(|((rel, _, url, title), s)| {
            s.unwrap_or_else(|| {
                let html = rendered.get(rel).map_or("", |(_, r)| r.html.as_str());
                search::page(url, title, html)
            })
        })
        .collect();
    let in_order: Vec<&search::PageSearch> = searched.iter().collect();
    built.files.extend(search::files(&in_order));
    cache.search = cache
        .search_plan
        .iter()
        .zip(searched)
        .map(|((rel, key, _, _), s)| (rel.clone(), (*key, s)))
        .collect();
}

/// Everything but the search index (see [`add_search`]).
pub fn build_pages(config: &Config, cache: &mut Cache) -> anyhow::Result<Built> {
    let started = Instant::now();
    let mut diags = Vec::new();
    let theme = Theme::load(config, &mut diags)?;
    let env = hash_of((format!("{config:?}"), theme.fingerprint));
    if cache.env != env {
        *cache = Cache {
            env,
            ..Cache::default()
        };
    }
    diags.extend(config.warnings.iter().cloned());
    let sources = discover::discover(config, &mut diags)?;
    let (pages, hashes) = parse_notes(config, &sources, cache, &mut diags);
    let mut index = Index::build(config, pages, &sources, &mut diags);
    let shape = shape(env, &index);
    // The terms depend on headings, aliases, titles and URLs only: all in the shape.
    let terms = match cache.terms.take() {
        Some((key, terms)) if key == shape => terms,
        _ => Arc::new(crate::crossref::Terms::build(config, &index)),
    };
    cache.terms = Some((shape, terms.clone()));
    let web = Web::build(config, &mut index, terms, &mut diags);
    let keys: Vec<u64> = index
        .pages
        .iter()
        .map(|p| hash_of((shape, hashes[&p.note.rel])))
        .collect();
    let highlighter = &cache.highlighter;
    let wanted = index
        .pages
        .iter()
        .map(|p| &p.note.rel)
        .zip(keys.iter().copied());
    let reused = take_matching(&mut cache.rendered, wanted);
    let rendered: Vec<Rendered> = index
        .pages
        .par_iter()
        .zip(reused)
        .enumerate()
        .map(|(i, (page, reused))| match reused {
            Some(r) => r,
            None => {
                let links = index.resolver(i);
                let env = Env {
                    highlighter,
                    links: &links,
                    diagrams: config.diagrams,
                    config,
                    xref: Some(web.view(&index, i)),
                };
                markdown::render(&page.prepared, &env)
            }
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
        diags.extend(
            r.findings
                .iter()
                .map(|f| (f, false))
                .chain(broken)
                .map(|(f, link)| {
                    let mut d = page.note.warning(f.offset, &f.message);
                    d.broken_link = link;
                    match &f.help {
                        Some(h) => d.with_help(h),
                        None => d,
                    }
                }),
        );
    }
    let page_key = |t: Target| match t {
        Target::Page(i) => keys[i],
        Target::Section(s) => hash_of((shape, s)),
    };
    let mut files = render::pages(
        config,
        &theme,
        &index,
        &rendered,
        &page_key,
        &mut cache.html,
        &mut diags,
    );
    let study_key = hash_of((shape, "study pages"));
    files.extend(render::study_pages(
        config,
        &theme,
        &index,
        &web,
        study_key,
        &mut cache.study_html,
        &mut diags,
    ));
    files.insert(
        "static/highlight.css".into(),
        Content::Bytes(highlighter.stylesheet()),
    );
    render::assets(&theme, &index, &rendered, &sources, &mut files);
    cache.search_plan = index
        .order
        .iter()
        .filter_map(|t| match *t {
            Target::Page(i) => Some((
                index.pages[i].note.rel.clone(),
                keys[i],
                index.info[i].url.clone(),
                index.info[i].title.clone(),
            )),
            Target::Section(_) => None,
        })
        .collect();
    let extra = publish::files(config, &files);
    files.extend(extra);
    diagnostic::sort(&mut diags);
    let urls = index
        .pages
        .iter()
        .zip(&index.info)
        .map(|(page, info)| (page.note.rel.clone(), info.url.clone()))
        .collect();
    cache.rendered = index
        .pages
        .iter()
        .zip(&keys)
        .zip(rendered)
        .map(|((p, k), r)| (p.note.rel.clone(), (*k, r)))
        .collect();
    let pages = index.pages.len();
    cache.notes = index
        .pages
        .into_iter()
        .map(|p| (p.note.rel.clone(), (hashes[&p.note.rel], p)))
        .collect();
    Ok(Built {
        urls,
        report: Report {
            pages,
            elapsed: started.elapsed(),
            diagnostics: diags,
            external,
        },
        files,
    })
}

/// The hash of everything a page reads from the rest of the site. Byte offsets are left out:
/// they only place diagnostics within the note they belong to.
fn shape(env: u64, index: &Index) -> u64 {
    let mut h = DefaultHasher::new();
    env.hash(&mut h);
    for (page, info) in index.pages.iter().zip(&index.info) {
        (
            &page.note.rel,
            &info.url,
            &info.title,
            info.section,
            info.is_index,
        )
            .hash(&mut h);
        page.digest.hash(&mut h);
    }
    format!("{:?}{:?}{:?}", index.assets, index.order, index.sections).hash(&mut h);
    h.finish()
}

/// Reads and parses every note in parallel; a note that cannot be read or parsed becomes an
/// error diagnostic and is left out. Drafts are dropped unless `--drafts`.
///
/// A note whose stamp (modification time and size) is the one it had when last read is not
/// read again, unless that time is within `RACY` of when that read began: a file written
/// in the same clock tick as it was read may have changed without its stamp moving (as
/// `git` guards its index).
fn parse_notes(
    config: &Config,
    sources: &[SourceFile],
    cache: &mut Cache,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Page>, HashMap<String, u64>) {
    const RACY: Duration = Duration::from_secs(2);
    let now = SystemTime::now();
    let trusted_before = cache.read_at.and_then(|t| t.checked_sub(RACY));
    // Take the cached pages out (no copies), one per note that is still there.
    let mut previous = std::mem::take(&mut cache.notes);
    let stamps = std::mem::take(&mut cache.stamps);
    // Each note, its cached page if any, and whether its stamp says it is unchanged.
    let notes: Vec<_> = sources
        .iter()
        .filter(|s| s.kind == Kind::Note)
        .map(|s| {
            let unchanged = match (s.stamp, stamps.get(&s.rel), trusted_before) {
                (Some(stamp), Some(&then), Some(before)) => stamp == then && then.0 < before,
                _ => false,
            };
            (s, previous.remove(&s.rel), unchanged)
        })
        .collect();
    drop(previous);
    cache.stamps = sources
        .iter()
        .filter(|s| s.kind == Kind::Note)
        .filter_map(|s| Some((s.rel.clone(), s.stamp?)))
        .collect();
    cache.read_at = Some(now);
    let results: Vec<Result<Option<(Page, u64)>, Diagnostic>> = notes
        .into_par_iter()
        .map(|(s, old, unchanged)| {
            if unchanged {
                if let Some((hash, page)) = old {
                    return Ok(Some((page, hash)));
                }
            }
            let display = config.display_path(&s.path);
            let bytes = fsx::read(&s.path)
                .map_err(|e| Diagnostic::error(&display, 0, 0, format!("{e:#}")))?;
            let hash = hash_of(&bytes);
            if let Some((h, page)) = old {
                if h == hash {
                    return Ok(Some((page, hash)));
                }
            }
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
            Ok(Some((Page::new(note, prepared, outline), hash)))
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut hashes = HashMap::with_capacity(results.len());
    for r in results {
        match r {
            Ok(Some((page, hash))) => {
                hashes.insert(page.note.rel.clone(), hash);
                pages.push(page);
            }
            Ok(None) => {}
            Err(d) => diags.push(d),
        }
    }
    (pages, hashes)
}
