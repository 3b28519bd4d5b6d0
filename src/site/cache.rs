//! What one build keeps for the next, so a rebuild (in `serve`) redoes only what a change
//! touches. Every page's output is a function of its own note and of the site's *shape*:
//! everything a page reads from other notes (URLs, titles, ids, headings, scenarios, front
//! matter, the theme and the config). While the shape holds, only changed notes are parsed,
//! rendered and indexed again; when it changes, every page is rendered again.

use super::persist::{self, Persist};
use crate::config::Config;
use crate::content::{hash_of, Content};
use crate::crossref::Terms;
use crate::diagnostic::Diagnostic;
use crate::discover::{Kind, SourceFile};
use crate::fsx;
use crate::index::{Index, Target};
use crate::markdown::{code, Highlighter, Rendered};
use crate::page::{Outlined, OutlinedRef, Page};
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

/// What a page's rendering or search part is kept under on disk: its key and its place (two
/// notes of the same bytes in one site link to other places).
fn placed(rel: &str, key: u64) -> u64 {
    hash_of((key, rel))
}

/// What a parsed note is kept under on disk: the hash of its bytes under the config and
/// theme (`env`).
fn parsed_key(env: u64, hash: u64) -> u64 {
    hash_of((env, hash))
}

/// A note as first read in a build: done (kept from the last build, or unreadable), or its
/// bytes, to be parsed.
enum Read {
    Done(Box<Result<Option<Parsed>, Diagnostic>>),
    Todo {
        rel: String,
        display: std::path::PathBuf,
        bytes: Vec<u8>,
        hash: u64,
    },
}

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
    study_html: HtmlCache,
    /// The site's terms, with the shape they were found under.
    terms: Option<(u64, Arc<Terms>)>,
    /// Loaded once per cache: the syntax set and every block highlighted so far.
    pub(super) highlighter: Highlighter,
    /// The page cache on disk, when there is a cache folder.
    persist: Option<Persist>,
    /// What this build made that the page cache does not have yet, by source path (parsed,
    /// rendered, indexed), for [`Cache::save`]. A one-shot build writes each at once instead.
    unsaved: [Vec<String>; 3],
    /// Study pages written this build that the page cache does not have yet, by URL.
    unsaved_study: Vec<String>,
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
    /// `cache_dir` is the user's cache folder, where the highlight cache and the page cache
    /// are kept between processes (`None`: nothing is kept on disk).
    pub(super) fn begin(&mut self, env: u64, cache_dir: Option<&std::path::Path>) {
        if self.env != env {
            *self = Cache {
                env,
                one_shot: self.one_shot,
                ..Cache::default()
            };
        }
        if self.persist.as_ref().map(Persist::base) != cache_dir {
            self.persist = cache_dir.and_then(|d| Persist::new(d, env));
        }
        // Highlighted blocks are kept in the site's folder too: a new build of studysite
        // never reads them, so they go with the folder.
        self.highlighter
            .use_store(self.persist.as_ref().map(Persist::dir));
    }

    /// The values cached on disk for `keys`, in order (all `None` without a page cache).
    fn persisted<T: serde::de::DeserializeOwned + Send>(
        &self,
        kind: persist::Kind,
        keys: &[Option<u64>],
    ) -> Vec<Option<T>> {
        match &self.persist {
            Some(p) => p.get(kind, keys),
            None => keys.iter().map(|_| None).collect(),
        }
    }

    /// Fills each `None` of `reused` (what memory did not hold) from the page cache on disk,
    /// where it has the value for that page's place and key.
    fn fill_from_disk<'a, T: serde::de::DeserializeOwned + Send>(
        &self,
        kind: persist::Kind,
        reused: &mut [Option<T>],
        places: impl Iterator<Item = (&'a str, &'a u64)>,
    ) {
        let missing: Vec<Option<u64>> = reused
            .iter()
            .zip(places)
            .map(|(r, (rel, key))| r.is_none().then(|| placed(rel, *key)))
            .collect();
        let cached: Vec<Option<T>> = self.persisted(kind, &missing);
        for (r, c) in reused.iter_mut().zip(cached) {
            if r.is_none() {
                *r = c;
            }
        }
    }

    /// How many values this cache has read from the page cache on disk.
    #[cfg(test)]
    pub(super) fn persisted_hits(&self) -> usize {
        self.persist.as_ref().map_or(0, Persist::hits)
    }

    fn persist<T: serde::Serialize + Sync>(&self, kind: persist::Kind, values: &[(u64, &T)]) {
        if let Some(p) = &self.persist {
            p.put(kind, values);
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
        // Read every note; those that changed since the last build are parsed after, from
        // the page cache on disk where it has them.
        let read: Vec<Read> = notes
            .into_par_iter()
            .map(|(s, old, unchanged)| {
                if unchanged {
                    if let Some(old) = old {
                        return Read::Done(Box::new(Ok(Some(old))));
                    }
                }
                let display = config.display_path(&s.path);
                let bytes = match fsx::read(&s.path) {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        let d = Diagnostic::error(&display, 0, 0, format!("{e:#}"));
                        return Read::Done(Box::new(Err(d)));
                    }
                };
                let hash = hash_of(&bytes);
                match old {
                    Some((h, page)) if h == hash => Read::Done(Box::new(Ok(Some((hash, page))))),
                    _ => Read::Todo {
                        rel: s.rel.clone(),
                        display,
                        bytes,
                        hash,
                    },
                }
            })
            .collect();
        let env = self.env;
        let keys: Vec<Option<u64>> = read
            .iter()
            .map(|r| match r {
                Read::Todo { hash, .. } => Some(parsed_key(env, *hash)),
                Read::Done(_) => None,
            })
            .collect();
        let cached: Vec<Option<Outlined>> = self.persisted(persist::Kind::Parsed, &keys);
        let results: Vec<(Result<Option<Parsed>, Diagnostic>, bool)> = read
            .into_par_iter()
            .zip(cached)
            .map(|(r, cached)| match r {
                Read::Done(r) => (*r, false),
                Read::Todo {
                    rel,
                    display,
                    bytes,
                    hash,
                } => {
                    let fresh = cached.is_none();
                    let page = Page::parse(config, rel, display, bytes, cached);
                    (page.map(|p| p.map(|page| (hash, page))), fresh)
                }
            })
            .collect();
        let fresh = results.iter().filter_map(|(r, fresh)| match r {
            Ok(Some((hash, page))) if *fresh => Some((*hash, page)),
            _ => None,
        });
        if self.one_shot {
            let fresh: Vec<(u64, OutlinedRef)> = fresh
                .map(|(hash, page)| (parsed_key(env, hash), page.outlined()))
                .collect();
            let fresh: Vec<(u64, &OutlinedRef)> = fresh.iter().map(|(k, v)| (*k, v)).collect();
            self.persist(persist::Kind::Parsed, &fresh);
        } else {
            let rels = fresh.map(|(_, page)| page.note.rel.clone()).collect();
            self.unsaved[0] = rels;
        }
        let results = results.into_iter().map(|(r, _)| r);
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
        let mut reused = take_matching(&mut self.rendered, wanted);
        let places = index.pages.iter().map(|p| p.page.note.rel.as_str());
        self.fill_from_disk(
            persist::Kind::Rendered,
            &mut reused,
            places.zip(&keys.pages),
        );
        let blocks = reused
            .par_iter()
            .enumerate()
            .filter(|(_, r)| r.is_none())
            .flat_map_iter(|(i, _)| code::highlighted_blocks(&index.pages[i].page.prepared))
            .collect();
        self.highlighter.prepare(blocks);
        let highlighter = &self.highlighter;
        let done: Vec<(Rendered, bool)> = reused
            .into_par_iter()
            .enumerate()
            .map(|(i, reused)| match reused {
                Some(r) => (r, false),
                None => (render(i, highlighter), true),
            })
            .collect();
        let fresh = done.iter().zip(&keys.pages).enumerate();
        let fresh = fresh.filter(|(_, ((_, fresh), _))| *fresh);
        if self.one_shot {
            let fresh: Vec<(u64, &Rendered)> = fresh
                .map(|(i, ((r, _), k))| (placed(&index.pages[i].page.note.rel, *k), r))
                .collect();
            self.persist(persist::Kind::Rendered, &fresh);
        } else {
            let rels = fresh.map(|(i, _)| index.pages[i].page.note.rel.clone());
            self.unsaved[1] = rels.collect();
        }
        done.into_iter().map(|(r, _)| r).collect()
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
        // A one-shot build keeps no parts for a next build: where every page's part is as
        // it was, the whole index is read back as it was written.
        let whole = self.one_shot.then(|| {
            let plan: Vec<(&String, u64)> =
                self.search_plan.iter().map(|s| (&s.rel, s.key)).collect();
            hash_of(plan)
        });
        if let (Some(whole), Some(p)) = (whole, &self.persist) {
            if let Some(files) = p.get_files(persist::Kind::Search, whole) {
                self.rendered.clear();
                return files
                    .into_iter()
                    .map(|(name, bytes)| (name, Content::Bytes(Arc::from(bytes))))
                    .collect();
            }
        }
        let files = self.search_parts();
        if let (Some(whole), Some(p)) = (whole, &self.persist) {
            let named: Vec<(&str, &[u8])> = files
                .iter()
                .filter_map(|(name, c)| match c {
                    Content::Bytes(b) => Some((name.as_str(), &b[..])),
                    Content::Copy(_) | Content::Written { .. } => None,
                })
                .collect();
            if named.len() == files.len() {
                p.put_files(persist::Kind::Search, whole, &named);
            }
        }
        files
    }

    /// The search index from each page's part, made again only where its key changed.
    fn search_parts(&mut self) -> Vec<(String, Content)> {
        let wanted = self.search_plan.iter().map(|s| (&s.rel, s.key));
        let mut reused = take_matching(&mut self.search, wanted);
        let places = self.search_plan.iter().map(|s| (s.rel.as_str(), &s.key));
        self.fill_from_disk(persist::Kind::Search, &mut reused, places);
        let rendered = &self.rendered;
        let done: Vec<(search::PageSearch, bool)> = self
            .search_plan
            .par_iter()
            .zip(reused)
            .map(|(s, reused)| match reused {
                Some(part) => (part, false),
                None => {
                    let html = rendered.get(&s.rel).map_or("", |(_, r)| r.html.as_str());
                    (search::page(&s.url, &s.title, html), true)
                }
            })
            .collect();
        let fresh = done.iter().zip(&self.search_plan);
        let fresh = fresh.filter(|((_, fresh), _)| *fresh);
        if self.one_shot {
            let fresh: Vec<(u64, &search::PageSearch)> = fresh
                .map(|((part, _), s)| (placed(&s.rel, s.key), part))
                .collect();
            self.persist(persist::Kind::Search, &fresh);
        } else {
            self.unsaved[2] = fresh.map(|(_, s)| s.rel.clone()).collect();
        }
        let searched: Vec<search::PageSearch> = done.into_iter().map(|(p, _)| p).collect();
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

    /// Runs `render` (which writes the study pages, reusing those of its cache whose key
    /// matches) over the study pages' cache, first filled from the page cache on disk with
    /// each `wanted` page (URL and key) it lacks. (The pages of notes are not kept on disk:
    /// reading one back costs about what writing it does.)
    pub(super) fn study_html<R>(
        &mut self,
        wanted: Vec<(String, u64)>,
        render: impl FnOnce(&mut HtmlCache) -> R,
    ) -> R {
        let cache = &self.study_html;
        let missing: Vec<(String, u64)> = wanted
            .into_iter()
            .filter(|(url, key)| cache.get(url).map(|e| e.0) != Some(*key))
            .collect();
        let keys: Vec<Option<u64>> = missing.iter().map(|(u, k)| Some(placed(u, *k))).collect();
        let found = match &self.persist {
            Some(p) => p.get_bytes(persist::Kind::Html, &keys),
            None => Vec::new(),
        };
        for ((url, key), html) in missing.into_iter().zip(found) {
            if let Some(html) = html {
                self.study_html.insert(url, (key, Arc::from(html)));
            }
        }
        let before: HashMap<String, u64> = self
            .study_html
            .iter()
            .map(|(u, (k, _))| (u.clone(), *k))
            .collect();
        let result = render(&mut self.study_html);
        let fresh = self
            .study_html
            .iter()
            .filter(|(url, (key, _))| before.get(*url) != Some(key));
        if self.one_shot {
            let fresh: Vec<(u64, &[u8])> = fresh
                .map(|(url, (key, html))| (placed(url, *key), &html[..]))
                .collect();
            if let Some(p) = &self.persist {
                p.put_bytes(persist::Kind::Html, &fresh);
            }
        } else {
            self.unsaved_study = fresh.map(|(url, _)| url.clone()).collect();
        }
        result
    }

    /// Writes to the page cache on disk what the last build made and it lacks: `serve` calls
    /// it once the pages are out, so the cache costs an edit nothing. (A one-shot build has
    /// written it already.)
    pub fn save(&mut self) {
        let [parsed, rendered, searched] = std::mem::take(&mut self.unsaved);
        let env = self.env;
        let parsed: Vec<(u64, OutlinedRef)> = parsed
            .iter()
            .filter_map(|rel| {
                let (hash, page) = self.notes.get(rel)?;
                Some((parsed_key(env, *hash), page.outlined()))
            })
            .collect();
        let parsed: Vec<(u64, &OutlinedRef)> = parsed.iter().map(|(k, v)| (*k, v)).collect();
        self.persist(persist::Kind::Parsed, &parsed);
        let rendered: Vec<(u64, &Rendered)> = rendered
            .iter()
            .filter_map(|rel| self.rendered.get(rel).map(|(k, r)| (placed(rel, *k), r)))
            .collect();
        self.persist(persist::Kind::Rendered, &rendered);
        let searched: Vec<(u64, &search::PageSearch)> = searched
            .iter()
            .filter_map(|rel| self.search.get(rel).map(|(k, p)| (placed(rel, *k), p)))
            .collect();
        self.persist(persist::Kind::Search, &searched);
        let study = std::mem::take(&mut self.unsaved_study);
        let html: Vec<(u64, &[u8])> = study
            .iter()
            .filter_map(|url| {
                let (k, h) = self.study_html.get(url)?;
                Some((placed(url, *k), &h[..]))
            })
            .collect();
        if let Some(p) = &self.persist {
            p.put_bytes(persist::Kind::Html, &html);
        }
    }
}
