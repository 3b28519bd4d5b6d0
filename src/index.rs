//! The map of the whole site, built before any page is rendered: every page's URL, title and
//! place in the section tree, every id on it, and every copied file; link resolution reads it.

use crate::config::Config;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::discover::{Kind, SourceFile};
use crate::markdown::links::{is_external, LinkKind};
use crate::markdown::tags;
use crate::markdown::{LinkResolver, Resolved};
use crate::site::Page;
use crate::slug::{heading_id, numeric_prefix, slug, title_from_name};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Where a page sits and what it is called.
#[derive(Debug, Clone)]
pub(crate) struct PageInfo {
    /// Output path, relative to the site root: `01-data-prep/ingestion.html`.
    pub(crate) url: String,
    pub(crate) title: String,
    /// Index of the section (folder) the page is in.
    pub(crate) section: usize,
    /// Is it its folder's index note?
    pub(crate) is_index: bool,
    /// Its front matter `tags` and inline `#tags`, each once.
    pub(crate) tags: Vec<String>,
}

/// A tag and the pages that carry it.
#[derive(Debug, Clone)]
pub(crate) struct TagPages {
    pub(crate) name: String,
    pub(crate) pages: Vec<usize>,
}

/// One folder of notes.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// Folder relative to the notes folder (`""` for the root), as written.
    pub(crate) dir: String,
    pub(crate) url: String,
    pub(crate) title: String,
    pub(crate) parent: Option<usize>,
    /// Its index note, if it has one; otherwise a listing page is generated.
    pub(crate) index: Option<usize>,
    /// Pages and subfolders in reading order (index note excluded).
    pub(crate) children: Vec<Child>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Child {
    Page(usize),
    Section(usize),
}

pub(crate) struct Index {
    pub(crate) pages: Vec<Page>,
    pub(crate) info: Vec<PageInfo>,
    pub(crate) sections: Vec<Section>,
    /// Every page and section in reading order, for prev/next.
    pub(crate) order: Vec<Target>,
    pub(crate) site_title: String,
    by_source: HashMap<String, usize>,
    /// Names a `[[wikilink]]` can use, each with the pages it may mean and how well:
    /// (0 path, 1 file name, 2 alias, 3 title; lower wins).
    by_name: HashMap<String, Vec<(u8, usize)>>,
    by_url: HashMap<String, Target>,
    /// Copied files: source path (notes-relative) -> output path.
    pub(crate) assets: BTreeMap<String, String>,
    ids: Vec<HashSet<String>>,
    /// Pages studysite generates (at the site root): URL -> the ids they will carry.
    generated: HashMap<String, HashSet<String>>,
}

/// Something with a URL: a note's page or a generated section listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    Page(usize),
    Section(usize),
}

/// Characters escaped in the URLs of copied files, which keep their names.
pub(crate) const PATH_ESCAPES: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

fn slug_dir(dir: &str) -> String {
    dir.split('/')
        .filter(|s| !s.is_empty())
        .map(slug)
        .collect::<Vec<_>>()
        .join("/")
}

fn join_url(dir: &str, file: &str) -> String {
    if dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}

/// Which file is a folder's index: `_index.md`, else `index.md`, else `README.md`.
fn index_rank(stem: &str) -> Option<u8> {
    match stem {
        "_index" => Some(0),
        "index" => Some(1),
        s if s.eq_ignore_ascii_case("readme") => Some(2),
        _ => None,
    }
}

impl Index {
    pub(crate) fn build(
        config: &Config,
        pages: Vec<Page>,
        sources: &[SourceFile],
        diags: &mut Vec<Diagnostic>,
    ) -> Index {
        let mut sections: Vec<Section> = Vec::new();
        let mut section_of_dir: HashMap<String, usize> = HashMap::new();
        let mut ensure_section = |dir: &str, sections: &mut Vec<Section>| -> usize {
            let mut parent = None;
            let mut path = String::new();
            let parts: Vec<&str> = std::iter::once("")
                .chain(dir.split('/').filter(|s| !s.is_empty()))
                .collect();
            for part in parts {
                if !part.is_empty() {
                    path = join_url(&path, part);
                }
                let idx = *section_of_dir.entry(path.clone()).or_insert_with(|| {
                    let name = path.rsplit('/').next().unwrap_or("");
                    sections.push(Section {
                        dir: path.clone(),
                        url: join_url(&slug_dir(&path), "index.html"),
                        title: title_from_name(name),
                        parent,
                        index: None,
                        children: Vec::new(),
                    });
                    if let Some(p) = parent {
                        let child = sections.len() - 1;
                        sections[p].children.push(Child::Section(child));
                    }
                    sections.len() - 1
                });
                parent = Some(idx);
            }
            parent.unwrap_or(0)
        };
        ensure_section("", &mut sections);

        // Choose each folder's index note.
        let mut best_index: HashMap<String, (u8, usize)> = HashMap::new();
        for (i, page) in pages.iter().enumerate() {
            if let Some(rank) = index_rank(page.note.stem()) {
                let dir = parent_dir(&page.note.rel).to_string();
                let e = best_index.entry(dir).or_insert((rank, i));
                if rank < e.0 {
                    *e = (rank, i);
                }
            }
        }

        let mut info = Vec::with_capacity(pages.len());
        for (i, page) in pages.iter().enumerate() {
            let dir = parent_dir(&page.note.rel);
            let section = ensure_section(dir, &mut sections);
            let stem = page.note.stem();
            let rank = index_rank(stem);
            let is_index =
                rank.is_some_and(|r| r < 2 || best_index.get(dir).map(|b| b.1) == Some(i));
            let url = if is_index {
                sections[section].url.clone()
            } else {
                join_url(&slug_dir(dir), &format!("{}.html", slug(stem)))
            };
            let title = page
                .note
                .front
                .title
                .clone()
                .or_else(|| {
                    page.outline
                        .headings
                        .iter()
                        .find(|h| h.level == 1)
                        .map(|h| h.text.clone())
                })
                .unwrap_or_else(|| {
                    if is_index && !dir.is_empty() {
                        sections[section].title.clone()
                    } else {
                        title_from_name(stem)
                    }
                });
            if is_index && best_index.get(dir).map(|b| b.1) == Some(i) {
                sections[section].index = Some(i);
                sections[section].title = title.clone();
            } else if !is_index {
                sections[section].children.push(Child::Page(i));
            }
            let mut tags: Vec<String> = Vec::new();
            let written = page.note.front.tags.iter().chain(&page.outline.tags);
            for tag in written.map(|t| tags::clean(t)).filter(|t| !t.is_empty()) {
                if !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                    tags.push(tag.to_string());
                }
            }
            info.push(PageInfo {
                url,
                title,
                section,
                is_index,
                tags,
            });
        }

        // Two notes, one URL: an error naming both.
        let mut by_url: HashMap<String, Target> = HashMap::new();
        for (i, p) in info.iter().enumerate() {
            if let Some(Target::Page(j)) = by_url.get(&p.url) {
                let (first, second) = (&pages[*j].note, &pages[i].note);
                diags.push(
                    Diagnostic::error(
                        &second.display,
                        1,
                        1,
                        format!(
                            "`{}` and `{}` both become `{}`",
                            first.display.display(),
                            second.display.display(),
                            p.url
                        ),
                    )
                    .with_help("rename one of them (file names are slugged: case, spaces and punctuation do not tell them apart)"),
                );
            } else {
                by_url.insert(p.url.clone(), Target::Page(i));
            }
        }
        for (s, sec) in sections.iter().enumerate() {
            by_url.entry(sec.url.clone()).or_insert(Target::Section(s));
        }

        // Reading order inside each folder: weight, then numeric prefix, then title. An
        // mdBook's SUMMARY.md or MkDocs' nav order stands in for the weight of the notes it
        // lists; a folder takes the place of the first note listed in it.
        let mut book_pos: HashMap<&str, i64> = HashMap::new();
        if let Some(project) = &config.project {
            for (n, rel) in project.order.iter().enumerate() {
                let mut path = rel.as_str();
                book_pos.entry(path).or_insert(n as i64);
                while let Some((dir, _)) = path.rsplit_once('/') {
                    book_pos.entry(dir).or_insert(n as i64);
                    path = dir;
                }
            }
        }
        let weight = |p: &Page| {
            p.note
                .front
                .weight
                .or_else(|| book_pos.get(p.note.rel.as_str()).copied())
        };
        let keys: Vec<(Option<i64>, Option<u64>, String, String)> = sections
            .iter()
            .map(|s| {
                let index = s.index.map(|i| &pages[i]);
                let name = s.dir.rsplit('/').next().unwrap_or("");
                (
                    index
                        .and_then(weight)
                        .or_else(|| book_pos.get(s.dir.as_str()).copied()),
                    numeric_prefix(name),
                    s.title.to_lowercase(),
                    s.dir.clone(),
                )
            })
            .collect();
        let page_key = |i: usize| {
            let p = &pages[i];
            let name = p.note.rel.rsplit('/').next().unwrap_or("");
            (
                weight(p),
                numeric_prefix(name),
                info[i].title.to_lowercase(),
                p.note.rel.clone(),
            )
        };
        for sec in &mut sections {
            sec.children.sort_by_cached_key(|c| {
                let (w, n, t, r) = match *c {
                    Child::Page(i) => page_key(i),
                    Child::Section(s) => keys[s].clone(),
                };
                (w.is_none(), w, n.is_none(), n, t, r)
            });
        }

        let mut order = Vec::new();
        fn walk(sections: &[Section], s: usize, order: &mut Vec<Target>) {
            match sections[s].index {
                Some(i) => order.push(Target::Page(i)),
                None => order.push(Target::Section(s)),
            }
            for c in &sections[s].children {
                match *c {
                    Child::Page(i) => order.push(Target::Page(i)),
                    Child::Section(c) => walk(sections, c, order),
                }
            }
        }
        walk(&sections, 0, &mut order);

        let mut assets = BTreeMap::new();
        for s in sources.iter().filter(|s| s.kind == Kind::Asset) {
            let dir = parent_dir(&s.rel);
            let name = s.rel.rsplit('/').next().unwrap_or(&s.rel);
            assets.insert(s.rel.clone(), join_url(&slug_dir(dir), name));
        }

        let mut by_source = HashMap::new();
        let mut by_name: HashMap<String, Vec<(u8, usize)>> = HashMap::new();
        for (i, p) in pages.iter().enumerate() {
            by_source.insert(p.note.rel.clone(), i);
            // A note at the top has a path that is only its file name: that ranks as a name.
            let path = p.note.rel.trim_end_matches(".md").to_lowercase();
            let path_rank = if path.contains('/') { 0 } else { 1 };
            let names = [(path_rank, path), (1, p.note.stem().to_lowercase())]
                .into_iter()
                .chain(p.note.front.aliases.iter().map(|a| (2, a.to_lowercase())))
                .chain([(3, info[i].title.to_lowercase())]);
            for (rank, name) in names {
                let e = by_name.entry(name).or_default();
                if !e.iter().any(|&(_, j)| j == i) {
                    e.push((rank, i));
                }
            }
        }
        let ids = pages
            .iter()
            .map(|p| p.outline.ids.iter().cloned().collect())
            .collect();
        let site_title = config
            .title
            .clone()
            .unwrap_or_else(|| match sections[0].index {
                Some(i) => info[i].title.clone(),
                None => crate::discover::canonical(&config.root)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "Notes".into()),
            });
        let mut index = Index {
            pages,
            info,
            sections,
            order,
            site_title,
            by_source,
            by_name,
            by_url,
            assets,
            ids,
            generated: HashMap::new(),
        };
        // The tags page, when a note has a tag and no note has its URL.
        let tags = index.tags();
        if !tags.is_empty() && !index.by_url.contains_key(tags::TAGS_PAGE) {
            let ids = tags.iter().map(|t| tags::tag_id(&t.name)).collect();
            index.generated.insert(tags::TAGS_PAGE.to_string(), ids);
        }
        index
    }

    /// Every tag on the site, sorted by name, each with its pages in reading order. Tags
    /// that differ only in case are one.
    pub(crate) fn tags(&self) -> Vec<TagPages> {
        let mut by_key: BTreeMap<String, TagPages> = BTreeMap::new();
        for t in &self.order {
            let Target::Page(i) = *t else {
                continue;
            };
            for tag in &self.info[i].tags {
                by_key
                    .entry(tag.to_lowercase())
                    .or_insert_with(|| TagPages {
                        name: tag.clone(),
                        pages: Vec::new(),
                    })
                    .pages
                    .push(i);
            }
        }
        by_key.into_values().collect()
    }

    /// Is there a tags page (and so, somewhere for tag links to go)?
    pub(crate) fn has_tags_page(&self) -> bool {
        self.generated.contains_key(tags::TAGS_PAGE)
    }

    /// The URL of a page or section.
    pub(crate) fn url(&self, t: Target) -> &str {
        match t {
            Target::Page(i) => &self.info[i].url,
            Target::Section(s) => &self.sections[s].url,
        }
    }

    pub(crate) fn title(&self, t: Target) -> &str {
        match t {
            Target::Page(i) => &self.info[i].title,
            Target::Section(s) => &self.sections[s].title,
        }
    }

    /// The page or listing that stands for a section.
    pub(crate) fn section_target(&self, s: usize) -> Target {
        match self.sections[s].index {
            Some(i) => Target::Page(i),
            None => Target::Section(s),
        }
    }

    /// Registers a generated page at the site root, with the ids it will carry, so links and
    /// anchors to it resolve; a note whose page would take its URL is an error.
    pub(crate) fn reserve(
        &mut self,
        url: &str,
        ids: impl IntoIterator<Item = String>,
        diags: &mut Vec<Diagnostic>,
    ) {
        self.generated
            .insert(url.to_string(), ids.into_iter().collect());
        if let Some(Target::Page(i)) = self.by_url.get(url) {
            let note = &self.pages[*i].note;
            diags.push(
                Diagnostic::error(
                    &note.display,
                    1,
                    1,
                    format!("`{url}` is a page studysite generates"),
                )
                .with_help("rename the note"),
            );
        }
    }

    pub(crate) fn has_id(&self, page: usize, id: &str) -> bool {
        self.ids[page].contains(id)
    }

    pub(crate) fn resolver(&self, page: usize) -> PageLinks<'_> {
        PageLinks { index: self, page }
    }
}

/// Resolves links as seen from one page.
pub(crate) struct PageLinks<'a> {
    index: &'a Index,
    page: usize,
}

/// The path from page `from` (a site-relative URL) to `to`.
pub(crate) fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect();
    let from_dir = &from_dir[..from_dir.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len() - 1);
    let mut out = "../".repeat(from_dir.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

fn missing_anchor(ids: &HashSet<String>, frag: &str, dest: &str, url: String) -> Resolved {
    let help =
        did_you_mean(frag, ids.iter().map(String::as_str)).map(|c| format!("did you mean `#{c}`?"));
    Resolved::Missing {
        url,
        message: format!("link to missing anchor `{dest}`"),
        help,
    }
}

/// Joins a relative link to the folder it was written in, folding `.` and `..`.
fn normalize(base_dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        base_dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

impl PageLinks<'_> {
    /// The page a wikilink name means, as Obsidian picks it: a path or file name before an
    /// alias before a title; among equals, a note in this note's folder, then the one
    /// with the shortest path.
    fn named(&self, key: &str) -> Option<usize> {
        let here = parent_dir(&self.index.pages[self.page].note.rel);
        let rel = |i: usize| self.index.pages[i].note.rel.as_str();
        self.index
            .by_name
            .get(key)?
            .iter()
            .min_by_key(|&&(rank, i)| {
                (
                    rank,
                    parent_dir(rel(i)) != here,
                    rel(i).matches('/').count(),
                    i,
                )
            })
            .map(|&(_, i)| i)
    }

    fn here(&self) -> &str {
        &self.index.info[self.page].url
    }

    /// A copied file's URL from this page, escaped, with an optional fragment.
    fn asset_url(&self, out: &str, fragment: Option<&str>) -> String {
        let rel = relative(self.here(), out);
        let mut url = utf8_percent_encode(&rel, PATH_ESCAPES).to_string();
        if let Some(f) = fragment {
            url.push('#');
            url.push_str(f);
        }
        url
    }

    /// A copied file named as Obsidian names it: by its path from the notes folder, or by its
    /// file name alone wherever it is (the first in path order when several share it).
    fn asset_named(&self, name: &str) -> Option<&str> {
        if let Some(out) = self.index.assets.get(name) {
            return Some(out);
        }
        let wanted = name.rsplit('/').next().unwrap_or(name);
        self.index
            .assets
            .iter()
            .find(|(rel, _)| {
                rel.rsplit('/')
                    .next()
                    .is_some_and(|n| n.eq_ignore_ascii_case(wanted))
            })
            .map(|(_, out)| out.as_str())
    }

    fn to_target(&self, t: Target, fragment: Option<&str>, dest: &str) -> Resolved {
        let mut url = relative(self.here(), self.index.url(t));
        if let Some(frag) = fragment {
            url.push('#');
            url.push_str(frag);
            if let Target::Page(p) = t {
                if !frag.is_empty() && !self.index.has_id(p, frag) {
                    return self.missing_anchor(p, frag, dest, url);
                }
            }
        }
        Resolved::Url(url)
    }

    /// A link to a generated page, its anchor checked against the ids the page will carry.
    fn to_generated(&self, to: &str, fragment: Option<&str>, dest: &str) -> Resolved {
        let mut url = relative(self.here(), to);
        if let Some(frag) = fragment {
            url.push('#');
            url.push_str(frag);
            let ids = &self.index.generated[to];
            if !frag.is_empty() && !ids.contains(frag) {
                return missing_anchor(ids, frag, dest, url);
            }
        }
        Resolved::Url(url)
    }

    /// The generated page a link names: by its path, or from any folder by its bare name,
    /// written as the page (`flashcards.html`) or as a note would be (`flashcards.md`).
    fn generated(&self, target: &str, written: &str) -> Option<String> {
        let name = if written.contains('/') {
            target
        } else {
            written
        };
        let stem = name
            .strip_suffix(".md")
            .or_else(|| name.strip_suffix(".html"));
        let url = format!("{}.html", stem.unwrap_or(name));
        self.index.generated.contains_key(&url).then_some(url)
    }

    fn missing_anchor(&self, p: usize, frag: &str, dest: &str, url: String) -> Resolved {
        missing_anchor(&self.index.ids[p], frag, dest, url)
    }

    fn missing(&self, dest: &str, path: &str, what: &str) -> Resolved {
        let wanted = path.rsplit('/').next().unwrap_or(path);
        let names = self
            .index
            .by_source
            .keys()
            .chain(self.index.assets.keys())
            .map(|k| k.rsplit('/').next().unwrap_or(k));
        let help = did_you_mean(wanted, names).map(|c| format!("did you mean `{c}`?"));
        Resolved::Missing {
            url: dest.to_string(),
            message: format!("{what} `{dest}`"),
            help,
        }
    }
}

impl LinkResolver for PageLinks<'_> {
    fn resolve(&self, dest: &str, kind: LinkKind) -> Resolved {
        if dest.is_empty() || is_external(dest) {
            return Resolved::External;
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        let decoded = percent_decode_str(path).decode_utf8_lossy();
        let fragment_decoded = fragment.map(|f| percent_decode_str(f).decode_utf8_lossy());
        if kind == LinkKind::WikiLink {
            let key = decoded.trim().trim_end_matches(".md").to_lowercase();
            let target = if key.is_empty() {
                Some(self.page)
            } else {
                self.named(&key)
                    .or_else(|| self.named(key.rsplit('/').next().unwrap_or("")))
            };
            let frag = fragment_decoded.as_deref().map(heading_id);
            return match target {
                Some(p) => self.to_target(Target::Page(p), frag.as_deref(), dest),
                None => match self.generated("", &slug(&key)) {
                    Some(url) => self.to_generated(&url, frag.as_deref(), dest),
                    None => match self.asset_named(decoded.trim()) {
                        Some(out) => Resolved::Url(self.asset_url(out, None)),
                        None => self.missing(dest, &decoded, "link to missing note"),
                    },
                },
            };
        }
        if path.is_empty() {
            let frag = fragment_decoded.as_deref().unwrap_or("");
            if frag.is_empty() || self.index.has_id(self.page, frag) {
                return Resolved::External;
            }
            return self.missing_anchor(self.page, frag, dest, dest.to_string());
        }
        let base = parent_dir(&self.index.pages[self.page].note.rel);
        let Some(target) = normalize(base, &decoded) else {
            return self.missing(dest, &decoded, "link outside the notes folder");
        };
        let frag = fragment_decoded.as_deref();
        if let Some(&p) = self.index.by_source.get(&target) {
            return self.to_target(Target::Page(p), frag, dest);
        }
        if let Some(out) = self.index.assets.get(&target) {
            return Resolved::Url(self.asset_url(out, fragment));
        }
        // A folder, a note named without `.md`, or a generated page linked by its URL.
        let trimmed = target.trim_end_matches('/');
        let candidates = [
            format!("{trimmed}.md"),
            join_url(trimmed, "_index.md"),
            join_url(trimmed, "index.md"),
            join_url(trimmed, "README.md"),
        ];
        if let Some(&p) = candidates.iter().find_map(|c| self.index.by_source.get(c)) {
            return self.to_target(Target::Page(p), frag, dest);
        }
        let url_key = if target.is_empty() || dest.ends_with('/') {
            join_url(&slug_dir(trimmed), "index.html")
        } else {
            target.clone()
        };
        if let Some(&t) = self.index.by_url.get(&url_key) {
            return self.to_target(t, frag, dest);
        }
        if let Some(url) = self.generated(&target, &decoded) {
            return self.to_generated(&url, frag, dest);
        }
        let what = match kind {
            LinkKind::Image => "image not found:",
            _ if target.ends_with(".md") => "link to missing note",
            _ => "link to missing file",
        };
        self.missing(dest, &target, what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls() {
        assert_eq!(relative("index.html", "a/b.html"), "a/b.html");
        assert_eq!(relative("a/b.html", "a/c.html"), "c.html");
        assert_eq!(relative("a/b.html", "index.html"), "../index.html");
        assert_eq!(relative("a/x/b.html", "a/y/c.html"), "../y/c.html");
        assert_eq!(relative("a/b.html", "a/index.html"), "index.html");
    }

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(normalize("a", "./x/y.md").as_deref(), Some("a/x/y.md"));
        assert_eq!(normalize("a", "/top.md").as_deref(), Some("top.md"));
        assert_eq!(normalize("", "../x.md"), None);
    }
}
