//! What one build keeps for the next, so a rebuild (in `serve`) redoes only what a change
//! touches. Every page's output is a function of its own note and of the site's *shape*:
//! everything a page reads from other notes (URLs, titles, ids, headings, scenarios, front
//! matter, the theme and the config). While the shape holds, only changed notes are parsed,
//! rendered and indexed again; when it changes, every page is rendered again.

use crate::config::Config;
use crate::content::hash_of;
use crate::crossref::Terms;
use crate::diagnostic::Diagnostic;
use crate::discover::{Kind, SourceFile};
use crate::fsx;
use crate::index::{Index, Target};
use crate::markdown::{code, Highlighter, Rendered};
use crate::page::Page;
use crate::render::HtmlCache;
use crate::search;
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// What each output of a build depends on, as a hash: a cached output whose key is the
/// same is the same.
pub(super) struct Keys {
    /// The site's shape (see [`Cache`]).
    pub(super) shape: u64,
    /// Each note's page: the shape and the note's own bytes.
    pages: Vec<u64>,
    /// What only the study pages read: every quiz and cloze card, offsets left out.
    study: u64,
}

impl Keys {
    /// The key of a page or a generated section listing.
    pub(super) fn of(&self, t: Target) -> u64 {
        match t {
            Target::Page(i) => self.pages[i],
            Target::Section(s) => hash_of((self.shape, s)),
        }
    }

    /// The key of the study pages, which read the whole site's shape.
    pub(super) fn study(&self) -> u64 {
        hash_of((self.shape, self.study, "study pages"))
    }
}

/// A note's page read in an earlier build, with the hash of the bytes it came from.
type Parsed = (u64, Page);

/// A page of the search index to be: which note, the key its parts were made under, and
/// what the index shows of it.
pub(super) struct Searched {
    rel: String,
    key: u64,
    url: String,
    title: String,
}

#[derive(Default)]
pub struct Cache {
    /// The config and theme the cache was filled under; any change empties the cache.
    env: u64,
    /// Parsed notes by source path.
    notes: HashMap<String, Parsed>,
    /// The hash of each note's bytes in this build, by source path.
    hashes: HashMap<String, u64>,
    /// The stamp (modification time, size) each note had when it was last read, and when
    /// the last build began reading.
    stamps: HashMap<String, (SystemTime, u64)>,
    read_at: Option<SystemTime>,
    /// Rendered markdown by source path, with its key (shape + note).
    rendered: HashMap<String, (u64, Rendered)>,
    /// Search parts by source path, with the same key.
    search: HashMap<String, (u64, search::PageSearch)>,
    /// The pages to index, in reading order.
    search_plan: Vec<Searched>,
    pub(super) html: HtmlCache,
    pub(super) study_html: HtmlCache,
    /// The site's terms, with the shape they were found under.
    terms: Option<(u64, Arc<Terms>)>,
    /// Loaded once per cache: the syntax set and every block highlighted so far.
    pub(super) highlighter: Highlighter,
    /// For one build only (`studysite build`): nothing is kept for a next build, and what
    /// the search index no longer needs is dropped as soon as it is done with.
    one_shot: bool,
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

impl Cache {
    /// A cache for a single build, which keeps nothing after it: the build holds less in
    /// memory at its peak.
    pub(super) fn one_shot() -> Cache {
        Cache {
            one_shot: true,
            ..Cache::default()
        }
    }

    /// Starts a build under `env` (the config and theme): a different one empties the cache.
    pub(super) fn begin(&mut self, env: u64) {
        if self.env != env {
            *self = Cache {
                env,
                one_shot: self.one_shot,
                ..Cache::default()
            };
        }
    }

    /// Reads and parses every note in parallel; a note that cannot be read or parsed becomes
    /// an error diagnostic and is left out. Drafts are dropped unless `--drafts`.
    ///
    /// A note whose stamp (modification time and size) is the one it had when last read is
    /// not read again, unless that time is within `RACY` of when that read began: a file
    /// written in the same clock tick as it was read may have changed without its stamp
    /// moving (as `git` guards its index). A note read again whose bytes hash as before
    /// keeps its parsed page.
    pub(super) fn pages(
        &mut self,
        config: &Config,
        sources: &[SourceFile],
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Page> {
        const RACY: Duration = Duration::from_secs(2);
        let now = SystemTime::now();
        let trusted_before = self.read_at.and_then(|t| t.checked_sub(RACY));
        let mut previous = std::mem::take(&mut self.notes);
        let stamps = std::mem::take(&mut self.stamps);
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
        self.stamps = sources
            .iter()
            .filter(|s| s.kind == Kind::Note)
            .filter_map(|s| Some((s.rel.clone(), s.stamp?)))
            .collect();
        self.read_at = Some(now);
        let results: Vec<Result<Option<Parsed>, Diagnostic>> = notes
            .into_par_iter()
            .map(|(s, old, unchanged)| {
                if unchanged {
                    if let Some(old) = old {
                        return Ok(Some(old));
                    }
                }
                let display = config.display_path(&s.path);
                let bytes = fsx::read(&s.path)
                    .map_err(|e| Diagnostic::error(&display, 0, 0, format!("{e:#}")))?;
                let hash = hash_of(&bytes);
                match old {
                    Some((h, page)) if h == hash => Ok(Some((hash, page))),
                    _ => Ok(Page::parse(config, s.rel.clone(), display, bytes)?
                        .map(|page| (hash, page))),
                }
            })
            .collect();
        let mut pages = Vec::with_capacity(results.len());
        self.hashes = HashMap::with_capacity(results.len());
        for r in results {
            match r {
                Ok(Some((hash, page))) => {
                    self.hashes.insert(page.note.rel.clone(), hash);
                    pages.push(page);
                }
                Ok(None) => {}
                Err(d) => diags.push(d),
            }
        }
        pages
    }

    /// The hash of everything a page reads from the rest of the site. Byte offsets are left
    /// out: they only place diagnostics within the note they belong to.
    fn shape(&self, index: &Index) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.env.hash(&mut h);
        for p in &index.pages {
            (&p.page.note.rel, &p.url, &p.title, p.section, p.is_index).hash(&mut h);
            p.page.digest.hash(&mut h);
        }
        format!("{:?}{:?}{:?}", index.assets, index.order, index.sections).hash(&mut h);
        h.finish()
    }

    /// The site's terms: the last build's while the shape holds (they depend on headings,
    /// aliases, titles and URLs only), else new ones.
    pub(super) fn terms(&mut self, shape: u64, build: impl FnOnce() -> Terms) -> Arc<Terms> {
        let terms = match self.terms.take() {
            Some((key, terms)) if key == shape => terms,
            _ => Arc::new(build()),
        };
        self.terms = Some((shape, terms.clone()));
        terms
    }

    /// The keys of this build's pages: what each depends on.
    pub(super) fn keys(&self, index: &Index) -> Keys {
        let shape = self.shape(index);
        let pages = index
            .pages
            .iter()
            .map(|p| hash_of((shape, self.hashes[&p.page.note.rel])))
            .collect();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for p in &index.pages {
            let outline = &p.page.outline;
            // Each card links to the heading above it.
            let above = |at: usize| {
                outline
                    .headings
                    .iter()
                    .rfind(|x| x.offset <= at)
                    .map(|x| &x.id)
            };
            for q in &outline.quizzes {
                above(q.start).hash(&mut h);
                let mut q = q.clone();
                q.map_offsets(|_| 0);
                q.hash(&mut h);
            }
            for c in &outline.clozes {
                (above(c.offset), &c.text).hash(&mut h);
            }
        }
        Keys {
            shape,
            pages,
            study: h.finish(),
        }
    }

    /// Every note rendered, in parallel: the last build's rendering where its key matches.
    pub(super) fn render_notes(
        &mut self,
        index: &Index,
        keys: &Keys,
        render: impl Fn(usize, &Highlighter) -> Rendered + Sync,
    ) -> Vec<Rendered> {
        let wanted = index
            .pages
            .iter()
            .map(|p| &p.page.note.rel)
            .zip(keys.pages.iter().copied());
        let reused = take_matching(&mut self.rendered, wanted);
        let blocks = reused
            .par_iter()
            .enumerate()
            .filter(|(_, r)| r.is_none())
            .flat_map_iter(|(i, _)| code::highlighted_blocks(&index.pages[i].page.prepared))
            .collect();
        self.highlighter.prepare(blocks);
        let highlighter = &self.highlighter;
        reused
            .into_par_iter()
            .enumerate()
            .map(|(i, reused)| reused.unwrap_or_else(|| render(i, highlighter)))
            .collect()
    }

    /// Keeps this build's notes and renderings for the next, and plans its search index.
    pub(super) fn keep(&mut self, index: Index, keys: &Keys, rendered: Vec<Rendered>) {
        let keys = &keys.pages;
        self.search_plan = index
            .order
            .iter()
            .filter_map(|t| match *t {
                Target::Page(i) => Some(Searched {
                    rel: index.pages[i].page.note.rel.clone(),
                    key: keys[i],
                    url: index.pages[i].url.clone(),
                    title: index.pages[i].title.clone(),
                }),
                Target::Section(_) => None,
            })
            .collect();
        self.rendered = index
            .pages
            .iter()
            .zip(keys)
            .zip(rendered)
            .map(|((p, k), r)| (p.page.note.rel.clone(), (*k, r)))
            .collect();
        if self.one_shot {
            return;
        }
        let hashes = &self.hashes;
        self.notes = index
            .pages
            .into_iter()
            .map(|p| {
                let rel = p.page.note.rel.clone();
                (rel.clone(), (hashes[&rel], p.page))
            })
            .collect();
    }

    /// The search index of the pages of the last build, as files of the site; each page's
    /// part is made again only when its key changed.
    pub(super) fn search_files(&mut self) -> Vec<(String, crate::content::Content)> {
        let wanted = self.search_plan.iter().map(|s| (&s.rel, s.key));
        let reused = take_matching(&mut self.search, wanted);
        let rendered = &self.rendered;
        let searched: Vec<search::PageSearch> = self
            .search_plan
            .par_iter()
            .zip(reused)
            .map(|(s, reused)| {
                reused.unwrap_or_else(|| {
                    let html = rendered.get(&s.rel).map_or("", |(_, r)| r.html.as_str());
                    search::page(&s.url, &s.title, html)
                })
            })
            .collect();
        if self.one_shot {
            self.rendered.clear();
        }
        let in_order: Vec<&search::PageSearch> = searched.iter().collect();
        let files = search::files(&in_order);
        self.search = self
            .search_plan
            .iter()
            .zip(searched)
            .map(|(s, part)| (s.rel.clone(), (s.key, part)))
            .collect();
        files
    }
}
