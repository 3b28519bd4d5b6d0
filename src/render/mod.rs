//! Pages through tera: every note's page and section listing, `404.html`, the nav script,
//! the study pages ([`study`]) and the theme's and the user's static files. The theme is
//! compiled in, and a site's own `templates/` and `static/` files replace it file by file
//! ([`theme`]).

mod context;
mod quiz;
mod study;
mod theme;

use crate::config::Config;
use crate::content::{Content, Sink};
use crate::diagnostic::Diagnostic;
use crate::discover::{Kind, SourceFile};
use crate::index::{Index, Target};
use crate::markdown::tags;
use crate::markdown::Rendered;
use crate::url::{base_path, root_prefix};
use context::{breadcrumbs, link, listing, neighbours, site_ctx, PageCtx, TagLink, TocEntry};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
pub(crate) use study::{study_pages, study_urls};
pub(crate) use theme::Theme;

/// A page's HTML, or why its template failed.
pub(super) type Rendering = Result<Arc<[u8]>, Diagnostic>;

/// Rendered pages by URL, with the key of what they were rendered from.
pub(crate) type HtmlCache = HashMap<String, (u64, Arc<[u8]>)>;

/// Every page of the site (notes and generated section listings), plus `404.html` and the
/// shared nav script. A page whose key matches the one in `cache` is not rendered again; with
/// a `sink`, each note page goes there as soon as it is made (and not into `cache`).
pub(crate) fn pages(
    config: &Config,
    theme: &Theme,
    index: &Index,
    rendered: &[Rendered],
    keys: &(dyn Fn(Target) -> u64 + Sync),
    (cache, sink): (&mut HtmlCache, Option<&dyn Sink>),
    diags: &mut Vec<Diagnostic>,
) -> anyhow::Result<BTreeMap<String, Content>> {
    if theme.broken {
        return Ok(BTreeMap::new());
    }
    let results: Vec<(String, u64, Result<Content, Diagnostic>)> = index
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
            // Written now, a page is not held until the whole site is made.
            let content = match (html, sink) {
                (Ok(html), Some(sink)) => Ok(sink.put(&url, &html)?),
                (html, _) => html.map(Content::Bytes),
            };
            Ok((url, key, content))
        })
        .collect::<anyhow::Result<_>>()?;
    let mut files = BTreeMap::new();
    let mut seen_errors = std::collections::HashSet::new();
    cache.clear();
    for (url, key, r) in results {
        match r {
            Ok(Content::Bytes(html)) => {
                cache.insert(url.clone(), (key, html.clone()));
                files.insert(url, Content::Bytes(html));
            }
            Ok(written) => {
                files.insert(url, written);
            }
            Err(d) => {
                // One broken template fails every page the same way: report it once.
                if seen_errors.insert(d.to_string()) {
                    diags.push(d);
                }
            }
        }
    }
    // A note at `404.html` (a `404.md`) is the site's 404 page.
    match index.pages.iter().find(|p| p.url == NOT_FOUND) {
        Some(p) => diags.push(Diagnostic::note(
            &p.page.note.display,
            "this note is the site's 404 page (studysite's own is not written)",
        )),
        None => match not_found(config, theme, index) {
            Ok(html) => {
                files.insert(NOT_FOUND.into(), Content::Bytes(html.into_bytes().into()));
            }
            Err(d) => {
                if seen_errors.insert(d.to_string()) {
                    diags.push(d);
                }
            }
        },
    }
    nav_parts(index, &mut files);
    Ok(files)
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
    // A note that is the 404 page is served at any depth too.
    let root = match url {
        NOT_FOUND => base_path(&config.base_url),
        _ => root_prefix(url),
    };
    ctx.insert("site", &site_ctx(config, index, root));
    let (page, section, template) = match t {
        Target::Page(i) => {
            let info = &index.pages[i];
            let note = &info.page.note;
            let r = &rendered[i];
            let s = info.section;
            let section = match info.is_index {
                true => listing(index, url, s),
                false => neighbours(index, url, s, i),
            };
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
                has_quiz: r.has_quiz,
                diagram_sheets: r.diagram_sheets.iter().map(|(n, _)| n.as_str()).collect(),
                source: &note.rel,
                edit_url: config.edit_url.as_ref().map(|e| {
                    let path =
                        percent_encoding::utf8_percent_encode(&note.rel, crate::url::PATH_ESCAPES);
                    format!("{e}{path}")
                }),
                is_section: info.is_index,
                nav: nav_chain(index, s),
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
                nav: nav_chain(index, s),
                ..PageCtx::generated(&sec.title, url)
            };
            (page, listing(index, url, s), "section.html")
        }
    };
    ctx.insert("page", &page);
    ctx.insert("section", &section);
    theme.render(template, &ctx)
}

/// The page a host serves for a missing URL.
const NOT_FOUND: &str = "404.html";

/// Files the user's own copy of replaces studysite's (with a notice), when the notes hold one.
const USER_WINS: &[&str] = &[NOT_FOUND, "robots.txt", "sitemap.xml"];

/// `404.html` is served at any depth, so its links are rooted at the base path.
fn not_found(config: &Config, theme: &Theme, index: &Index) -> Result<String, Diagnostic> {
    let root = base_path(&config.base_url);
    let mut ctx = tera::Context::new();
    ctx.insert("site", &site_ctx(config, index, root.clone()));
    let page = PageCtx::generated("Page not found", "404.html");
    ctx.insert("page", &page);
    ctx.insert("section", &listing(index, "index.html", 0));
    // Where the base path is wrong for where the page is shown (a `file://` copy, a host
    // that serves it under another prefix), it still gets the reader's theme.
    let boot = match theme.statics.get("static/boot.js") {
        Some(Content::Bytes(b)) => String::from_utf8_lossy(b).into_owned(),
        Some(Content::Copy(p)) => std::fs::read_to_string(p).unwrap_or_default(),
        Some(Content::Written { .. }) | None => String::new(),
    };
    ctx.insert("inline_boot", &boot.replace("</", "<\\/"));
    theme.render("404.html", &ctx)
}

/// One entry of a nav part: a page, or a folder with its own part (`p`) to load.
#[derive(Serialize)]
struct NavEntry<'a> {
    t: &'a str,
    u: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    p: Option<String>,
}

/// A folder's nav part: its title and URL and its entries.
#[derive(Serialize)]
struct NavPart<'a> {
    t: &'a str,
    u: &'a str,
    c: Vec<NavEntry<'a>>,
}

/// The folder where the nav parts are written.
const NAV_DIR: &str = "static/nav/";

/// The name of folder `s`'s nav part: `root` for the notes folder, else a hash of the
/// folder's path (stable across builds, plain ASCII whatever the folder is called).
fn nav_part_id(index: &Index, s: usize) -> String {
    match index.sections[s].parent {
        None => "root".into(),
        Some(_) => {
            let hash = blake3::hash(index.sections[s].dir.as_bytes()).to_hex();
            hash[..16].to_string()
        }
    }
}

/// The nav parts a page loads with it: the notes folder's and each folder down to the page's
/// own, so the tree opens to it; the rest load when a reader opens them.
fn nav_chain(index: &Index, section: usize) -> Vec<String> {
    let mut chain = Vec::new();
    let mut cur = Some(section);
    while let Some(s) = cur {
        chain.push(nav_part_id(index, s));
        cur = index.sections[s].parent;
    }
    chain.reverse();
    chain
}

/// The nav tree, one small script per folder listing its entries (a script rather than JSON,
/// because `fetch` fails from `file://`). A page carries only the parts on its own path; a
/// tree in one file would weigh on every first load of a large site (47 kB for 392 notes).
fn nav_parts(index: &Index, files: &mut BTreeMap<String, Content>) {
    for s in 0..index.sections.len() {
        let target = index.section_target(s);
        let part = NavPart {
            t: index.title(target),
            u: index.url(target),
            c: index.sections[s]
                .children
                .iter()
                .map(|c| match *c {
                    Target::Page(i) => NavEntry {
                        t: &index.pages[i].title,
                        u: &index.pages[i].url,
                        p: None,
                    },
                    Target::Section(c) => {
                        let t = index.section_target(c);
                        NavEntry {
                            t: index.title(t),
                            u: index.url(t),
                            p: (!index.sections[c].children.is_empty())
                                .then(|| nav_part_id(index, c)),
                        }
                    }
                })
                .collect(),
        };
        let id = nav_part_id(index, s);
        let json = serde_json::to_string(&part).unwrap_or_else(|_| "null".into());
        // A file of its own, never inlined into a page: a `</script>` in a title is harmless.
        let script = format!(
            "(window.STUDYSITE_NAV = window.STUDYSITE_NAV || {{}})[{}] = {json};\n",
            serde_json::to_string(&id).unwrap_or_default()
        );
        files.insert(
            format!("{NAV_DIR}{id}.js"),
            Content::Bytes(script.into_bytes().into()),
        );
    }
}

/// Where the theme keeps Mermaid, which only sites that draw Mermaid diagrams get.
const MERMAID_DIR: &str = "static/vendor/mermaid/";
/// Where the theme keeps KaTeX, which only sites with math get.
const KATEX_DIR: &str = "static/vendor/katex/";

/// The theme's static files and the user's copied files. A copied file at a path studysite
/// writes is an error naming both, except a `404.html`, `robots.txt` or `sitemap.xml` of the
/// user's, which replaces studysite's (with a notice).
pub(crate) fn assets(
    config: &Config,
    theme: &Theme,
    index: &Index,
    rendered: &[Rendered],
    sources: &[SourceFile],
    files: &mut BTreeMap<String, Content>,
    diags: &mut Vec<Diagnostic>,
) {
    let mermaid = rendered.iter().any(|r| r.has_mermaid);
    let math = rendered.iter().any(|r| r.has_math);
    for (name, content) in &theme.statics {
        if (name.starts_with(MERMAID_DIR) && !mermaid) || (name.starts_with(KATEX_DIR) && !math) {
            continue;
        }
        files.entry(name.clone()).or_insert_with(|| content.clone());
    }
    for (name, css) in rendered.iter().flat_map(|r| &r.diagram_sheets) {
        files
            .entry(format!(
                "{}{name}.css",
                crate::markdown::mermaid::SHEETS_DIR
            ))
            .or_insert_with(|| Content::Bytes(css.as_bytes().to_vec().into()));
    }
    for s in sources.iter().filter(|s| s.kind == Kind::Asset) {
        let Some(out) = index.assets.get(&s.rel) else {
            continue;
        };
        let shown = config.display_path(&s.path);
        if USER_WINS.contains(&out.as_str()) {
            if let Some(p) = index.pages.iter().find(|p| &p.url == out) {
                diags.push(clash(
                    &shown,
                    out,
                    &format!("the page of `{}`", p.page.note.display.display()),
                ));
                continue;
            }
            let ours = if out == NOT_FOUND {
                "404 page"
            } else {
                out.as_str()
            };
            diags.push(Diagnostic::note(
                &shown,
                format!("copied as it is: studysite does not write its own {ours}"),
            ));
        } else if out.starts_with("static/search/") || files.contains_key(out) {
            let what = match index.pages.iter().find(|p| &p.url == out) {
                Some(p) => format!("the page of `{}`", p.page.note.display.display()),
                None => format!("studysite's own `{out}`"),
            };
            diags.push(clash(&shown, out, &what));
            continue;
        }
        files.insert(out.clone(), Content::Copy(s.path.clone()));
    }
}

/// A copied file that would be written where something else is.
fn clash(shown: &std::path::Path, out: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        shown,
        0,
        0,
        format!("this file would be written to `{out}`, where {what} goes"),
    )
    .with_help("rename or move the file; theme files that replace studysite's go in the site folder's `static/` and `templates/`, not among the notes")
}
