//! Pages through tera: the default theme is compiled in, and a site's own `templates/` and
//! `static/` files replace it file by file.

use crate::config::Config;
use crate::crossref::{self, Web};
use crate::diagnostic::Diagnostic;
use crate::discover::{Kind, SourceFile};
use crate::fsx;
use crate::index::{relative, Child, Index, Target};
use crate::markdown::tags;
use crate::markdown::Rendered;
use crate::site::Content;
use include_dir::{include_dir, Dir};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

static DEFAULT_TEMPLATES: Dir = include_dir!("$CARGO_MANIFEST_DIR/templates");
static DEFAULT_STATIC: Dir = include_dir!("$CARGO_MANIFEST_DIR/static");

/// The templates and static files in force for a site.
pub(crate) struct Theme {
    tera: tera::Tera,
    /// Template name -> the path shown in diagnostics.
    sources: HashMap<String, PathBuf>,
    statics: BTreeMap<String, Content>,
    /// Changes whenever any template does, so cached pages are rendered again.
    pub(crate) fingerprint: u64,
}

fn embedded_files(dir: &'static Dir<'static>) -> Vec<(String, &'static [u8])> {
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for f in d.files() {
            out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents()));
        }
        stack.extend(d.dirs());
    }
    out.sort();
    out
}

/// Files under `dir`, relative and `/`-separated, sorted.
fn site_files(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out: Vec<(String, PathBuf)> = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, e.path().to_path_buf()))
        })
        .collect();
    out.sort();
    out
}

impl Theme {
    pub(crate) fn load(config: &Config, diags: &mut Vec<Diagnostic>) -> anyhow::Result<Theme> {
        let mut templates: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
        for (name, bytes) in embedded_files(&DEFAULT_TEMPLATES) {
            let text = String::from_utf8_lossy(bytes).into_owned();
            templates.insert(
                name.clone(),
                (text, PathBuf::from(format!("templates/{name} (built-in)"))),
            );
        }
        let site_templates = config.root.join("templates");
        // Only markup files are templates: a vault's `templates/` folder of note templates
        // (Obsidian's) must not be parsed as tera.
        let markup = |name: &str| name.ends_with(".html") || name.ends_with(".xml");
        for (name, path) in site_files(&site_templates)
            .into_iter()
            .filter(|(n, _)| markup(n))
        {
            let text = fsx::read_to_string(&path)?;
            templates.insert(name, (text, config.display_path(&path)));
        }
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            templates
                .iter()
                .for_each(|(name, (text, _))| (name, text).hash(&mut h));
            h.finish()
        };
        let mut tera = tera::Tera::default();
        let mut sources = HashMap::new();
        for (name, (_, path)) in &templates {
            sources.insert(name.clone(), path.clone());
        }
        // All at once: templates extend each other, so they must be loaded together.
        let batch = templates.iter().map(|(name, (text, _))| (name, text));
        if let Err(e) = tera.add_raw_templates(batch) {
            diags.push(template_error(&e, &sources));
        }
        let mut statics = BTreeMap::new();
        for (name, bytes) in embedded_files(&DEFAULT_STATIC) {
            statics.insert(format!("static/{name}"), Content::Bytes(bytes.into()));
        }
        for (name, path) in site_files(&config.root.join("static")) {
            statics.insert(format!("static/{name}"), Content::Copy(path));
        }
        Ok(Theme {
            tera,
            sources,
            statics,
            fingerprint,
        })
    }

    fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| template_error(&e, &self.sources))
    }
}

/// A tera error as a diagnostic at the template's file:line:col.
fn template_error(err: &tera::Error, sources: &HashMap<String, PathBuf>) -> Diagnostic {
    use tera::ErrorKind;
    let (file, line, col, message) = match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            (
                r.filename().to_string(),
                span.start_line,
                span.start_col + 1,
                r.message().to_string(),
            )
        }
        other => (String::new(), 0, 0, other.to_string()),
    };
    let path = sources.get(&file).cloned().unwrap_or_else(|| {
        PathBuf::from(if file.is_empty() {
            "templates".into()
        } else {
            format!("templates/{file}")
        })
    });
    let mut message = format!("template error: {message}");
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    Diagnostic::error(&path, line, col, message)
        .with_help("fix the template; the built-in theme's templates are in the studysite repository's templates/ folder")
}

#[derive(Serialize)]
struct Link {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct TocEntry {
    level: u8,
    id: String,
    title: String,
}

#[derive(Serialize)]
struct Listing {
    title: String,
    url: String,
    pages: Vec<ListingEntry>,
}

#[derive(Serialize)]
struct ListingEntry {
    title: String,
    url: String,
    description: String,
    is_section: bool,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    /// The full base URL (`https://host/sub/`) for canonical and Open Graph links; `""` when
    /// the base URL is only a path.
    permalink_base: String,
    /// Relative path from the current page to the site root (`""`, `"../"`, ...).
    root: String,
    extra: &'a serde_json::Value,
    /// The generated study pages (when to use what, flashcards, cram sheet), for the nav.
    study_pages: Vec<Link>,
    /// The tags page, when notes have tags.
    tags_url: Option<String>,
}

#[derive(Serialize)]
struct TagLink {
    name: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct PageCtx<'a> {
    title: &'a str,
    url: &'a str,
    /// Rendered body, to be output with `| safe`.
    html: &'a str,
    description: &'a str,
    /// Front matter and inline tags, each linking to its entry on the tags page.
    tags: Vec<TagLink>,
    toc: Vec<TocEntry>,
    breadcrumbs: Vec<Link>,
    prev: Option<Link>,
    next: Option<Link>,
    extra: &'a BTreeMap<String, serde_json::Value>,
    /// Does the body open with its own `# Title`? Then the template need not print one.
    has_h1: bool,
    /// Does the body hold a ```mermaid block? Then the page loads Mermaid to draw it.
    has_mermaid: bool,
    /// Does the body hold math? Then the page loads KaTeX to draw it.
    has_math: bool,
    source: &'a str,
    edit_url: Option<String>,
    is_section: bool,
}

impl<'a> PageCtx<'a> {
    /// A page studysite makes itself (a listing, a study page, 404): no note behind it.
    fn generated(title: &'a str, url: &'a str) -> Self {
        PageCtx {
            title,
            url,
            html: "",
            description: "",
            tags: Vec::new(),
            toc: Vec::new(),
            breadcrumbs: Vec::new(),
            prev: None,
            next: None,
            extra: empty_extra(),
            has_h1: false,
            has_mermaid: false,
            has_math: false,
            source: "",
            edit_url: None,
            is_section: false,
        }
    }
}

fn empty_extra() -> &'static BTreeMap<String, serde_json::Value> {
    static EMPTY: std::sync::OnceLock<BTreeMap<String, serde_json::Value>> =
        std::sync::OnceLock::new();
    EMPTY.get_or_init(BTreeMap::new)
}

/// A page's HTML, or why its template failed.
type Rendering = Result<Arc<[u8]>, Diagnostic>;

/// Rendered pages by URL, with the key of what they were rendered from.
pub(crate) type HtmlCache = HashMap<String, (u64, Arc<[u8]>)>;

/// Every page of the site (notes and generated section listings), plus `404.html` and the
/// shared nav script. A page whose key matches the one in `cache` is not rendered again.
pub(crate) fn pages(
    config: &Config,
    theme: &Theme,
    index: &Index,
    rendered: &[Rendered],
    keys: &(dyn Fn(Target) -> u64 + Sync),
    cache: &mut HtmlCache,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Content> {
    let results: Vec<(String, u64, Rendering)> = index
        .order
        .par_iter()
        .enumerate()
        .map(|(pos, &t)| {
            let url = index.url(t).to_string();
            let key = keys(t);
            let html = match cache.get(&url) {
                Some((k, html)) if *k == key => Ok(html.clone()),
                _ => render_target(config, theme, index, rendered, pos)
                    .map(|h| Arc::from(h.into_bytes())),
            };
            (url, key, html)
        })
        .collect();
    let mut files = BTreeMap::new();
    let mut seen_errors = std::collections::HashSet::new();
    cache.clear();
    for (url, key, r) in results {
        match r {
            Ok(html) => {
                cache.insert(url.clone(), (key, html.clone()));
                files.insert(url, Content::Bytes(html));
            }
            Err(d) => {
                // One broken template fails every page the same way: report it once.
                if seen_errors.insert(d.to_string()) {
                    diags.push(d);
                }
            }
        }
    }
    match not_found(config, theme, index) {
        Ok(html) => {
            files.insert("404.html".into(), Content::Bytes(html.into_bytes().into()));
        }
        Err(d) => {
            if seen_errors.insert(d.to_string()) {
                diags.push(d);
            }
        }
    }
    files.insert(
        "static/nav.js".into(),
        Content::Bytes(nav_script(index).into_bytes().into()),
    );
    files
}

fn link(index: &Index, from: &str, t: Target) -> Link {
    Link {
        title: index.title(t).to_string(),
        url: relative(from, index.url(t)),
    }
}

fn site_ctx<'a>(config: &'a Config, index: &'a Index, root: String) -> SiteCtx<'a> {
    SiteCtx {
        title: &index.site_title,
        description: &config.description,
        base_url: &config.base_url,
        permalink_base: crate::publish::full_base(&config.base_url).unwrap_or_default(),
        study_pages: crossref::STUDY_PAGES
            .iter()
            .map(|(title, url)| Link {
                title: title.to_string(),
                url: format!("{root}{url}"),
            })
            .collect(),
        tags_url: index
            .has_tags_page()
            .then(|| format!("{root}{}", tags::TAGS_PAGE)),
        root,
        extra: &config.extra,
    }
}

fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

fn listing(index: &Index, from: &str, s: usize) -> Listing {
    let sec = &index.sections[s];
    let pages = sec
        .children
        .iter()
        .map(|c| {
            let (t, description, is_section) = match *c {
                Child::Page(i) => (
                    Target::Page(i),
                    index.pages[i]
                        .note
                        .front
                        .description
                        .clone()
                        .unwrap_or_default(),
                    false,
                ),
                Child::Section(c) => {
                    let t = index.section_target(c);
                    let d = match t {
                        Target::Page(i) => index.pages[i].note.front.description.clone(),
                        Target::Section(_) => None,
                    };
                    (t, d.unwrap_or_default(), true)
                }
            };
            ListingEntry {
                title: index.title(t).to_string(),
                url: relative(from, index.url(t)),
                description,
                is_section,
            }
        })
        .collect();
    Listing {
        title: sec.title.clone(),
        url: relative(from, index.url(index.section_target(s))),
        pages,
    }
}

fn breadcrumbs(index: &Index, from: &str, t: Target) -> Vec<Link> {
    let section = match t {
        Target::Page(i) => {
            let s = index.info[i].section;
            if index.info[i].is_index {
                index.sections[s].parent
            } else {
                Some(s)
            }
        }
        Target::Section(s) => index.sections[s].parent,
    };
    let mut chain = Vec::new();
    let mut cur = section;
    while let Some(s) = cur {
        chain.push(link(index, from, index.section_target(s)));
        cur = index.sections[s].parent;
    }
    chain.reverse();
    chain.push(Link {
        title: index.title(t).to_string(),
        url: relative(from, index.url(t)),
    });
    chain
}

fn render_target(
    config: &Config,
    theme: &Theme,
    index: &Index,
    rendered: &[Rendered],
    pos: usize,
) -> Result<String, Diagnostic> {
    // `pos` is the target's place in reading order, which gives its neighbours.
    let t = index.order[pos];
    let url = index.url(t);
    let prev = pos.checked_sub(1).map(|p| link(index, url, index.order[p]));
    let next = index.order.get(pos + 1).map(|&n| link(index, url, n));
    let mut ctx = tera::Context::new();
    ctx.insert("site", &site_ctx(config, index, root_prefix(url)));
    let (page, section, template) = match t {
        Target::Page(i) => {
            let note = &index.pages[i].note;
            let r = &rendered[i];
            let info = &index.info[i];
            let s = info.section;
            let section = listing(index, url, s);
            let page = PageCtx {
                title: &info.title,
                url,
                html: &r.html,
                description: note.front.description.as_deref().unwrap_or(""),
                tags: info
                    .tags
                    .iter()
                    .map(|t| TagLink {
                        name: t.clone(),
                        url: index.has_tags_page().then(|| {
                            tags::href(&format!("{}{}", root_prefix(url), tags::TAGS_PAGE), t)
                        }),
                    })
                    .collect(),
                toc: r
                    .headings
                    .iter()
                    .filter(|h| h.level == 2 || h.level == 3)
                    .map(|h| TocEntry {
                        level: h.level,
                        id: h.id.clone(),
                        title: h.text.clone(),
                    })
                    .collect(),
                breadcrumbs: breadcrumbs(index, url, t),
                prev,
                next,
                extra: &note.front.extra,
                has_h1: r.html.trim_start().starts_with("<h1"),
                has_mermaid: r.has_mermaid,
                has_math: r.has_math,
                source: &note.rel,
                edit_url: config.edit_url.as_ref().map(|e| {
                    let path = percent_encoding::utf8_percent_encode(
                        &note.rel,
                        crate::index::PATH_ESCAPES,
                    );
                    format!("{e}{path}")
                }),
                is_section: info.is_index,
            };
            (
                page,
                section,
                if info.is_index {
                    "section.html"
                } else {
                    "page.html"
                },
            )
        }
        Target::Section(s) => {
            let sec = &index.sections[s];
            let page = PageCtx {
                breadcrumbs: breadcrumbs(index, url, t),
                prev,
                next,
                is_section: true,
                ..PageCtx::generated(&sec.title, url)
            };
            (page, listing(index, url, s), "section.html")
        }
    };
    ctx.insert("page", &page);
    ctx.insert("section", &section);
    theme.render(template, &ctx)
}

/// The study pages built from the scenario web, each with its data as `study`.
pub(crate) fn study_pages(
    config: &Config,
    theme: &Theme,
    index: &Index,
    web: &Web,
    key: u64,
    cache: &mut HtmlCache,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Content)> {
    // The pages are independent and, on a big site, each is large: render them at once.
    let mut wanted: Vec<(&str, &str)> = crossref::STUDY_PAGES.to_vec();
    if index.has_tags_page() {
        wanted.push(("Tags", tags::TAGS_PAGE));
    }
    let results: Vec<(&str, Rendering)> = wanted
        .par_iter()
        .map(|&(title, url)| {
            if let Some((k, html)) = cache.get(url) {
                if *k == key {
                    return (url, Ok(html.clone()));
                }
            }
            let mut ctx = tera::Context::new();
            ctx.insert("site", &site_ctx(config, index, String::new()));
            let page = PageCtx::generated(title, url);
            ctx.insert("page", &page);
            ctx.insert("section", &listing(index, url, 0));
            match url {
                "flashcards.html" => ctx.insert("study", &crossref::pages::flashcards(web, index)),
                "cram-sheet.html" => ctx.insert("study", &crossref::pages::cram_sheet(index)),
                tags::TAGS_PAGE => ctx.insert("study", &tags_ctx(index)),
                _ => ctx.insert("study", &crossref::pages::when_to_use(web, index, url)),
            }
            let html = theme.render(url, &ctx).map(|h| Arc::from(h.into_bytes()));
            (url, html)
        })
        .collect();
    let mut files = Vec::new();
    for (url, html) in results {
        match html {
            Ok(html) => {
                cache.insert(url.to_string(), (key, html.clone()));
                files.push((url.to_string(), Content::Bytes(html)));
            }
            Err(d) => diags.push(d),
        }
    }
    files
}

#[derive(Serialize)]
struct TagEntry {
    name: String,
    id: String,
    pages: Vec<Link>,
}

/// The tags page: every tag, sorted, with the pages that carry it.
fn tags_ctx(index: &Index) -> Vec<TagEntry> {
    index
        .tags()
        .into_iter()
        .map(|t| TagEntry {
            id: tags::tag_id(&t.name),
            pages: t
                .pages
                .iter()
                .map(|&i| Link {
                    title: index.info[i].title.clone(),
                    url: index.info[i].url.clone(),
                })
                .collect(),
            name: t.name,
        })
        .collect()
}

/// `404.html` is served at any depth, so its links are rooted at the base path.
fn not_found(config: &Config, theme: &Theme, index: &Index) -> Result<String, Diagnostic> {
    let root = base_path(&config.base_url);
    let mut ctx = tera::Context::new();
    ctx.insert("site", &site_ctx(config, index, root.clone()));
    let page = PageCtx::generated("Page not found", "404.html");
    ctx.insert("page", &page);
    ctx.insert("section", &listing(index, "index.html", 0));
    theme.render("404.html", &ctx)
}

/// The path part of a base URL, always with a trailing `/`: `https://h/sub` -> `/sub/`.
pub(crate) fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| {
        rest.find('/').map_or("", |i| &rest[i..])
    });
    let trimmed = after_scheme.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

#[derive(Serialize)]
struct NavNode {
    t: String,
    u: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    c: Vec<NavNode>,
}

fn nav_node(index: &Index, s: usize) -> NavNode {
    let target = index.section_target(s);
    NavNode {
        t: index.title(target).to_string(),
        u: index.url(target).to_string(),
        c: index.sections[s]
            .children
            .iter()
            .map(|c| match *c {
                Child::Page(i) => NavNode {
                    t: index.info[i].title.clone(),
                    u: index.info[i].url.clone(),
                    c: Vec::new(),
                },
                Child::Section(c) => nav_node(index, c),
            })
            .collect(),
    }
}

/// The whole nav tree as one script, shared by every page and cached by the browser (a
/// script rather than JSON, because `fetch` fails from `file://`).
fn nav_script(index: &Index) -> String {
    let tree = serde_json::to_string(&nav_node(index, 0)).unwrap_or_else(|_| "null".into());
    format!("window.STUDYSITE_NAV = {tree};\n")
}

/// Where the theme keeps Mermaid, which only sites that draw Mermaid diagrams get.
const MERMAID_DIR: &str = "static/vendor/mermaid/";
/// Where the theme keeps KaTeX, which only sites with math get.
const KATEX_DIR: &str = "static/vendor/katex/";

/// Does this rendered body hold a Mermaid diagram?
pub(crate) fn has_mermaid(html: &str) -> bool {
    html.contains("<pre class=\"mermaid\">")
}

/// The theme's static files and the user's copied files.
pub(crate) fn assets(
    theme: &Theme,
    index: &Index,
    rendered: &[Rendered],
    sources: &[SourceFile],
    files: &mut BTreeMap<String, Content>,
) {
    let mermaid = rendered.iter().any(|r| r.has_mermaid);
    let math = rendered.iter().any(|r| r.has_math);
    for (name, content) in &theme.statics {
        if (name.starts_with(MERMAID_DIR) && !mermaid) || (name.starts_with(KATEX_DIR) && !math) {
            continue;
        }
        files.entry(name.clone()).or_insert_with(|| content.clone());
    }
    for s in sources.iter().filter(|s| s.kind == Kind::Asset) {
        if let Some(out) = index.assets.get(&s.rel) {
            files
                .entry(out.clone())
                .or_insert_with(|| Content::Copy(s.path.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path(""), "/");
        assert_eq!(base_path("https://example.org/sub/"), "/sub/");
        assert_eq!(base_path("https://example.org"), "/");
        assert_eq!(base_path("/sub"), "/sub/");
    }
}
