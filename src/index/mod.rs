//! The map of the whole site, built before any page is rendered: every page's URL, title and
//! place in the section tree, every id on it, and every copied file; link resolution
//! ([`links`]) reads it.

mod links;
mod names;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::discover::{Kind, SourceFile};
use crate::markdown::tags;
use crate::page::Page;
use crate::slug::{numeric_prefix, slug, title_from_name};
use crate::url::{join, parent_dir};
pub(crate) use links::PageLinks;
use names::Names as FileNames;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

/// A page placed in the site: the note, where it sits and what it is called.
#[derive(Clone)]
pub(crate) struct Placed {
    pub(crate) page: Page,
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
    pub(crate) children: Vec<Target>,
}

/// Something with a URL: a note's page or a folder (a generated listing, or its index note).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    Page(usize),
    Section(usize),
}

pub(crate) struct Index {
    pub(crate) pages: Vec<Placed>,
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
    /// Every note's and copied file's name, for suggestions: made at the first broken link.
    file_names: OnceLock<FileNames>,
    /// Copied files by lowercase file name (the first in path order), made when first asked.
    assets_by_name: OnceLock<HashMap<String, String>>,
}

fn slug_dir(dir: &str) -> String {
    dir.split('/')
        .filter(|s| !s.is_empty())
        .map(slug)
        .collect::<Vec<_>>()
        .join("/")
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

/// The folder tree, grown as pages are placed.
struct Tree {
    sections: Vec<Section>,
    of_dir: HashMap<String, usize>,
}

impl Tree {
    fn new() -> Tree {
        let mut tree = Tree {
            sections: Vec::new(),
            of_dir: HashMap::new(),
        };
        tree.ensure("");
        tree
    }

    /// The section of `dir`, made (with its parents) if it is new.
    fn ensure(&mut self, dir: &str) -> usize {
        let mut parent = None;
        let mut path = String::new();
        let parts = std::iter::once("").chain(dir.split('/').filter(|s| !s.is_empty()));
        for part in parts {
            if !part.is_empty() {
                path = join(&path, part);
            }
            let sections = &mut self.sections;
            let idx = *self.of_dir.entry(path.clone()).or_insert_with(|| {
                let name = path.rsplit('/').next().unwrap_or("");
                sections.push(Section {
                    dir: path.clone(),
                    url: join(&slug_dir(&path), "index.html"),
                    title: title_from_name(name),
                    parent,
                    index: None,
                    children: Vec::new(),
                });
                if let Some(p) = parent {
                    let child = sections.len() - 1;
                    sections[p].children.push(Target::Section(child));
                }
                sections.len() - 1
            });
            parent = Some(idx);
        }
        parent.unwrap_or(0)
    }
}

impl Index {
    /// Places every page, then works out what links and the study web will ask of the site.
    pub(crate) fn build(
        config: &Config,
        pages: Vec<Page>,
        sources: &[SourceFile],
        diags: &mut Vec<Diagnostic>,
    ) -> Index {
        unread_syntax(&pages, diags);
        let (mut pages, mut sections) = place(pages);
        let site_title = site_title(config, &pages, &sections);
        // The root index note without a title of its own is titled as the site.
        if let Some(i) = sections[0].index.filter(|&i| pages[i].title.is_empty()) {
            pages[i].title = site_title.clone();
            sections[0].title = site_title.clone();
        }
        let by_url = urls(&pages, &sections, diags);
        sort_children(config, &pages, &mut sections);
        let order = reading_order(&sections);
        let (by_source, by_name) = names(&pages);
        let ids = pages
            .iter()
            .map(|p| p.page.outline.ids.iter().cloned().collect())
            .collect();
        let mut index = Index {
            pages,
            sections,
            order,
            site_title,
            by_source,
            by_name,
            by_url,
            assets: assets(config, sources, diags),
            ids,
            generated: HashMap::new(),
            file_names: OnceLock::new(),
            assets_by_name: OnceLock::new(),
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
            for tag in &self.pages[i].tags {
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

    /// Each note's page: source path -> site-relative URL.
    pub(crate) fn urls(&self) -> BTreeMap<String, String> {
        self.pages
            .iter()
            .map(|p| (p.page.note.rel.clone(), p.url.clone()))
            .collect()
    }

    /// Is there a tags page (and so, somewhere for tag links to go)?
    pub(crate) fn has_tags_page(&self) -> bool {
        self.generated.contains_key(tags::TAGS_PAGE)
    }

    /// The URL of a page or section.
    pub(crate) fn url(&self, t: Target) -> &str {
        match t {
            Target::Page(i) => &self.pages[i].url,
            Target::Section(s) => &self.sections[s].url,
        }
    }

    pub(crate) fn title(&self, t: Target) -> &str {
        match t {
            Target::Page(i) => &self.pages[i].title,
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
            let note = &self.pages[*i].page.note;
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

    /// The names of every note and copied file, to suggest from.
    fn file_names(&self) -> &FileNames {
        self.file_names.get_or_init(|| {
            let paths = self.by_source.keys().chain(self.assets.keys());
            FileNames::new(paths.map(|k| k.rsplit('/').next().unwrap_or(k)))
        })
    }

    /// The copied file of this name in any folder (the first in path order), ASCII case
    /// ignored, as Obsidian finds `![[chart.png]]`.
    fn asset_by_file_name(&self, name: &str) -> Option<&str> {
        let by_name = self.assets_by_name.get_or_init(|| {
            let mut by_name = HashMap::new();
            for (rel, out) in &self.assets {
                let file = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
                by_name.entry(file).or_insert_with(|| out.clone());
            }
            by_name
        });
        by_name.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    pub(crate) fn resolver(&self, page: usize) -> PageLinks<'_> {
        PageLinks::new(self, page)
    }
}

/// Another tool's syntax left as written: one warning per kind for the whole site, at its
/// first place, with how often and in how many notes.
fn unread_syntax(pages: &[Page], diags: &mut Vec<Diagnostic>) {
    let mut kinds: BTreeMap<&str, (&Page, usize, usize, usize, usize)> = BTreeMap::new();
    for page in pages {
        let mut seen_here = HashSet::new();
        for (kind, line, col) in &page.note.unread {
            let e = kinds.entry(kind).or_insert((page, *line, *col, 0, 0));
            e.3 += 1;
            if seen_here.insert(kind) {
                e.4 += 1;
            }
        }
    }
    for (kind, (page, line, col, times, notes)) in kinds {
        diags.push(
            Diagnostic::warning(
                &page.note.display,
                line,
                col,
                format!("Liquid `{kind}` is shown as written ({times} time(s) in {notes} note(s))"),
            )
            .with_help("studysite reads `{{ site.* }}`, `{% link %}` and `{% raw %}`; Jekyll's includes, layouts and logic are not part of the notes")
            .with_lint(crate::diagnostic::Lint::Liquid),
        );
    }
}

/// Each folder's index note: `_index.md`, else `index.md`, else `README.md` (the first of
/// equals).
fn index_notes(pages: &[Page]) -> HashMap<String, (u8, usize)> {
    let mut best: HashMap<String, (u8, usize)> = HashMap::new();
    for (i, page) in pages.iter().enumerate() {
        if let Some(rank) = index_rank(page.note.stem()) {
            let dir = parent_dir(&page.note.rel).to_string();
            let e = best.entry(dir).or_insert((rank, i));
            if rank < e.0 {
                *e = (rank, i);
            }
        }
    }
    best
}

/// The URL a front matter `permalink` asks for, as a file the site can hold: `/about/` is
/// `about/index.html`, `/about` is `about.html`, `/about.html` stays. Only slugged
/// segments: a permalink cannot lead out of the site.
fn permalink_url(permalink: Option<&str>) -> Option<String> {
    let p = permalink?.trim();
    let folder = p.ends_with('/');
    let parts: Vec<String> = p
        .split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .map(|s| match s.strip_suffix(".html") {
            Some(stem) => format!("{}.html", slug(stem)),
            None => slug(s),
        })
        .collect();
    let Some(last) = parts.last() else {
        return p.starts_with('/').then(|| "index.html".to_string());
    };
    let path = parts.join("/");
    Some(if folder {
        format!("{path}/index.html")
    } else if last.ends_with(".html") {
        path
    } else {
        format!("{path}.html")
    })
}

/// Headings that open a note without naming it: a licence or legal notice above the real
/// title (AWS's guides open with `# NOTICE`), a table of contents.
const NOT_TITLES: &[&str] = &[
    "notice",
    "notices",
    "legal notice",
    "important notice",
    "disclaimer",
    "license",
    "licence",
    "copyright",
    "attribution",
    "contents",
    "table of contents",
];

/// The title a note gives itself: its front matter's, else its first `#` heading that is
/// not a notice.
fn written_title(page: &Page) -> Option<String> {
    let front = page.note.front.title.as_deref().map(str::trim);
    if let Some(t) = front.filter(|t| !t.is_empty()) {
        return Some(t.to_string());
    }
    page.outline
        .headings
        .iter()
        .filter(|h| h.level == 1 && !h.text.trim().is_empty())
        .find(|h| !NOT_TITLES.contains(&h.text.trim().to_lowercase().as_str()))
        .map(|h| h.text.trim().to_string())
}

/// Every page's URL, title, section and tags, and the folder tree they make.
fn place(pages: Vec<Page>) -> (Vec<Placed>, Vec<Section>) {
    let best = index_notes(&pages);
    let mut tree = Tree::new();
    let mut placed = Vec::with_capacity(pages.len());
    for (i, page) in pages.into_iter().enumerate() {
        let dir = parent_dir(&page.note.rel);
        let section = tree.ensure(dir);
        let stem = page.note.stem();
        let best_here = best.get(dir).map(|b| b.1) == Some(i);
        let is_index = index_rank(stem).is_some_and(|r| r < 2 || best_here);
        let url = match permalink_url(page.note.front.permalink.as_deref()) {
            Some(url) => url,
            None if is_index => tree.sections[section].url.clone(),
            None => join(&slug_dir(dir), &format!("{}.html", slug(stem))),
        };
        let title = written_title(&page).unwrap_or_else(|| {
            if is_index && dir.is_empty() {
                // The site's title stands in (see `site_title`).
                String::new()
            } else if is_index {
                tree.sections[section].title.clone()
            } else {
                title_from_name(stem)
            }
        });
        if is_index && best_here {
            tree.sections[section].index = Some(i);
            tree.sections[section].title = title.clone();
        } else if !is_index {
            tree.sections[section].children.push(Target::Page(i));
        }
        let mut tags: Vec<String> = Vec::new();
        let written = page.note.front.tags.iter().chain(&page.outline.tags);
        for tag in written.map(|t| tags::clean(t)).filter(|t| !t.is_empty()) {
            if !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                tags.push(tag.to_string());
            }
        }
        placed.push(Placed {
            page,
            url,
            title,
            section,
            is_index,
            tags,
        });
    }
    (placed, tree.sections)
}

/// What is at each URL; two notes at one URL is an error naming both.
fn urls(
    pages: &[Placed],
    sections: &[Section],
    diags: &mut Vec<Diagnostic>,
) -> HashMap<String, Target> {
    let mut by_url: HashMap<String, Target> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        if let Some(Target::Page(j)) = by_url.get(&p.url) {
            let (first, second) = (&pages[*j].page.note, &p.page.note);
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
    by_url
}

/// Reading order inside each folder: weight, then numeric prefix, then title. An mdBook's
/// SUMMARY.md or MkDocs' nav order stands in for the weight of the notes it lists; a folder
/// takes the place of the first note listed in it.
fn sort_children(config: &Config, pages: &[Placed], sections: &mut [Section]) {
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
            let index = s.index.map(|i| &pages[i].page);
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
        let name = p.page.note.rel.rsplit('/').next().unwrap_or("");
        (
            weight(&p.page),
            numeric_prefix(name),
            p.title.to_lowercase(),
            p.page.note.rel.clone(),
        )
    };
    for sec in sections {
        sec.children.sort_by_cached_key(|c| {
            let (w, n, t, r) = match *c {
                Target::Page(i) => page_key(i),
                Target::Section(s) => keys[s].clone(),
            };
            (w.is_none(), w, n.is_none(), n, t, r)
        });
    }
}

/// Every page and section, depth first: a folder's index (or listing), then its children.
fn reading_order(sections: &[Section]) -> Vec<Target> {
    let mut order = Vec::new();
    let mut stack = vec![Target::Section(0)];
    while let Some(t) = stack.pop() {
        match t {
            Target::Page(i) => order.push(Target::Page(i)),
            Target::Section(s) => {
                order.push(match sections[s].index {
                    Some(i) => Target::Page(i),
                    None => Target::Section(s),
                });
                stack.extend(sections[s].children.iter().rev());
            }
        }
    }
    order
}

/// Copied files: source path -> output path (folders slugged, the name kept). Two files
/// whose folders slug alike would be written to one path: an error naming both.
fn assets(
    config: &Config,
    sources: &[SourceFile],
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let mut by_out: HashMap<String, &SourceFile> = HashMap::new();
    let mut out = BTreeMap::new();
    for s in sources.iter().filter(|s| s.kind == Kind::Asset) {
        let dir = parent_dir(&s.rel);
        let name = s.rel.rsplit('/').next().unwrap_or(&s.rel);
        let to = join(&slug_dir(dir), name);
        if let Some(first) = by_out.get(&to) {
            diags.push(
                Diagnostic::error(
                    &config.display_path(&s.path),
                    0,
                    0,
                    format!(
                        "`{}` and `{}` would both be written to `{to}`",
                        config.display_path(&first.path).display(),
                        config.display_path(&s.path).display()
                    ),
                )
                .with_help("rename one of their folders (folder names are slugged: case, spaces and punctuation do not tell them apart)"),
            );
            continue;
        }
        by_out.insert(to.clone(), s);
        out.insert(s.rel.clone(), to);
    }
    out
}

/// Each page by its source path, and by every name a wikilink may call it.
type Names = (HashMap<String, usize>, HashMap<String, Vec<(u8, usize)>>);

fn names(pages: &[Placed]) -> Names {
    let mut by_source = HashMap::new();
    let mut by_name: HashMap<String, Vec<(u8, usize)>> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        let note = &p.page.note;
        by_source.insert(note.rel.clone(), i);
        // A note at the top has a path that is only its file name: that ranks as a name.
        let path = note.rel.trim_end_matches(".md").to_lowercase();
        let path_rank = if path.contains('/') { 0 } else { 1 };
        let names = [(path_rank, path), (1, note.stem().to_lowercase())]
            .into_iter()
            .chain(note.front.aliases.iter().map(|a| (2, a.to_lowercase())))
            .chain([(3, p.title.to_lowercase())]);
        for (rank, name) in names {
            let e = by_name.entry(name).or_default();
            if !e.iter().any(|&(_, j)| j == i) {
                e.push((rank, i));
            }
        }
    }
    (by_source, by_name)
}

/// The config's title, else the root index note's, else the site folder's name (as a title:
/// `aws-notes` is "Aws Notes").
fn site_title(config: &Config, pages: &[Placed], sections: &[Section]) -> String {
    config
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| sections[0].index.map(|i| pages[i].title.clone()))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| {
            crate::fsx::canonical(&config.root)
                .file_name()
                .map(|n| title_from_name(&n.to_string_lossy()))
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| "Notes".into())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(dir: &str, index: Option<usize>, children: Vec<Target>) -> Section {
        Section {
            dir: dir.into(),
            url: String::new(),
            title: String::new(),
            parent: None,
            index,
            children,
        }
    }

    #[test]
    fn reading_order_is_depth_first() {
        let sections = vec![
            section(
                "",
                Some(0),
                vec![Target::Page(1), Target::Section(1), Target::Page(4)],
            ),
            section("a", None, vec![Target::Page(2), Target::Section(2)]),
            section("a/b", Some(3), vec![]),
        ];
        assert_eq!(
            reading_order(&sections),
            [
                Target::Page(0),
                Target::Page(1),
                Target::Section(1),
                Target::Page(2),
                Target::Page(3),
                Target::Page(4)
            ]
        );
    }

    #[test]
    fn permalinks_are_files_of_the_site() {
        let url = |p: &str| permalink_url(Some(p));
        assert_eq!(url("/about/").as_deref(), Some("about/index.html"));
        assert_eq!(url("/about").as_deref(), Some("about.html"));
        assert_eq!(
            url("/privacy-policy.html").as_deref(),
            Some("privacy-policy.html")
        );
        assert_eq!(url("/").as_deref(), Some("index.html"));
        assert_eq!(url("/../../etc/Passwd").as_deref(), Some("etc/passwd.html"));
        assert_eq!(permalink_url(None), None);
    }

    #[test]
    fn index_ranks() {
        assert_eq!(index_rank("_index"), Some(0));
        assert_eq!(index_rank("README"), Some(2));
        assert_eq!(index_rank("readme"), Some(2));
        assert_eq!(index_rank("intro"), None);
        assert_eq!(slug_dir("01 Data/Sub Dir"), "01-data/sub-dir");
    }
}
