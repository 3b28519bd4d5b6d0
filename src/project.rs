//! A site folder that is another tool's project, read as it is:
//!
//! - an mdBook: `book.toml` names the notes folder (`[book] src`, default `src`) and the
//!   title, and `SUMMARY.md` gives the reading order (it is the book's table of contents,
//!   not a page);
//! - a MkDocs project: `mkdocs.yml` names the notes folder (`docs_dir`, default `docs`),
//!   the title (`site_name`) and the reading order (`nav`);
//! - a Hugo site: `hugo.toml` (or `config.toml`) beside `content/` names the notes folder
//!   (`contentDir`) and the title; notes order themselves by `weight` as in Hugo;
//! - a Jekyll site: `_config.yml` gives the title, description, base URL (`url` and
//!   `baseurl`) and the files that are not content (`exclude`; Jekyll's own folders, those
//!   starting with `_`, and `Gemfile`s and `vendor/` never are).

use crate::diagnostic::Diagnostic;
use crate::fsx;
use crate::source_map::LineIndex;
use percent_encoding::percent_decode_str;
use pulldown_cmark::{Event, Parser, Tag};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    MdBook,
    MkDocs,
    Hugo,
    Jekyll,
}

/// What studysite takes from the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub kind: Kind,
    /// mdBook's `[book] title`, MkDocs' `site_name`.
    pub title: Option<String>,
    /// The notes the table of contents lists, as paths from the notes folder, in its order.
    pub order: Vec<String>,
    /// Jekyll's `description`.
    pub description: Option<String>,
    /// Jekyll's `url` + `baseurl`: where the site is published.
    pub base_url: Option<String>,
    /// Jekyll's `exclude` patterns, and the names Jekyll never reads as content.
    pub exclude: Vec<String>,
}

impl Project {
    fn new(kind: Kind, title: Option<String>, order: Vec<String>) -> Project {
        Project {
            kind,
            title,
            order,
            description: None,
            base_url: None,
            exclude: Vec::new(),
        }
    }
}

/// mdBook's table of contents, in the notes folder.
pub(crate) const SUMMARY: &str = "SUMMARY.md";
const BOOK_TOML: &str = "book.toml";
const MKDOCS_YML: &str = "mkdocs.yml";
const JEKYLL_YML: &str = "_config.yml";
/// What a Jekyll site holds that is not content, besides names starting with `_` or `.`.
const JEKYLL_NOT_CONTENT: &[&str] = &[
    "Gemfile",
    "Gemfile.lock",
    "vendor",
    "node_modules",
    "package.json",
    "package-lock.json",
];
/// Hugo's config file names, newest first (TOML only: the common case).
const HUGO_TOML: &[&str] = &["hugo.toml", "config.toml"];

/// The project files in a site folder whose changes `serve` rebuilds for.
pub(crate) const FILES: &[&str] = &[
    BOOK_TOML,
    MKDOCS_YML,
    "hugo.toml",
    "config.toml",
    JEKYLL_YML,
];

/// A Hugo site's config file at `root` and its content folder, when `root` is one.
fn hugo_files(root: &Path) -> Option<(PathBuf, PathBuf)> {
    let config = HUGO_TOML
        .iter()
        .map(|name| root.join(name))
        .find(|p| p.is_file())?;
    let table = read_toml(&config)?;
    let dir = table
        .get("contentDir")
        .and_then(|d| d.as_str())
        .unwrap_or("content");
    let content = root.join(dir);
    content.is_dir().then_some((config, content))
}

/// The notes folder a project at `root` names: mdBook's `src`, MkDocs' `docs_dir`.
pub(crate) fn notes_dir(root: &Path) -> Option<PathBuf> {
    if root.join(BOOK_TOML).is_file() {
        let src = read_toml(&root.join(BOOK_TOML))
            .and_then(|t| Some(t.get("book")?.get("src")?.as_str()?.to_string()));
        return Some(root.join(src.unwrap_or_else(|| "src".into())));
    }
    if root.join(MKDOCS_YML).is_file() {
        let dir = read_yaml(&root.join(MKDOCS_YML))
            .and_then(|y| Some(y.get("docs_dir")?.as_str()?.to_string()));
        return Some(root.join(dir.unwrap_or_else(|| "docs".into())));
    }
    hugo_files(root).map(|(_, content)| content)
}

/// Reads the project that owns `root` (in it, or, for an mdBook, beside its `src/`), its
/// notes being in `notes`.
/// A book.toml or mkdocs.yml that does not parse is a warning at its line and column, and
/// the site builds without what it would have said.
pub(crate) fn load(root: &Path, notes: &Path, warnings: &mut Vec<Diagnostic>) -> Option<Project> {
    if let Some(toml) = book_toml(root) {
        let title = checked_toml(&toml, root, warnings)
            .and_then(|t| Some(t.get("book")?.get("title")?.as_str()?.trim().to_string()));
        let summary = read(&notes.join(SUMMARY), root, warnings).unwrap_or_default();
        return Some(Project::new(
            Kind::MdBook,
            title.filter(|t| !t.is_empty()),
            summary_chapters(&summary),
        ));
    }
    let yml = root.join(MKDOCS_YML);
    if yml.is_file() {
        let yaml = checked_yaml(&yml, root, warnings).unwrap_or_default();
        let title = yaml
            .get("site_name")
            .and_then(|t| t.as_str())
            .map(str::trim);
        let mut order = Vec::new();
        if let Some(nav) = yaml.get("nav") {
            nav_pages(nav, &mut order);
        }
        return Some(Project::new(
            Kind::MkDocs,
            title.filter(|t| !t.is_empty()).map(String::from),
            order,
        ));
    }
    if let Some((path, _)) = hugo_files(root) {
        let config = checked_toml(&path, root, warnings)?;
        let title = config.get("title").and_then(|t| t.as_str()).map(str::trim);
        return Some(Project::new(
            Kind::Hugo,
            title.filter(|t| !t.is_empty()).map(String::from),
            Vec::new(),
        ));
    }
    let yml = root.join(JEKYLL_YML);
    yml.is_file().then(|| jekyll(&yml, root, warnings))
}

/// A Jekyll site's `_config.yml`: title, description, where it is published, and what is
/// not content.
fn jekyll(yml: &Path, root: &Path, warnings: &mut Vec<Diagnostic>) -> Project {
    let yaml = checked_yaml(yml, root, warnings).unwrap_or_default();
    let text = |key: &str| {
        yaml.get(key)
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(String::from)
    };
    let base_url = match (text("url"), text("baseurl")) {
        (Some(url), base) => Some(format!(
            "{}/{}",
            url.trim_end_matches('/'),
            base.unwrap_or_default().trim_matches('/')
        )),
        (None, Some(base)) => Some(format!("/{}/", base.trim_matches('/'))),
        (None, None) => None,
    };
    let mut exclude: Vec<String> = JEKYLL_NOT_CONTENT.iter().map(|s| s.to_string()).collect();
    if let Some(list) = yaml.get("exclude").and_then(|v| v.as_array()) {
        exclude.extend(list.iter().filter_map(|v| v.as_str()).map(String::from));
    }
    let mut project = Project::new(Kind::Jekyll, text("title"), Vec::new());
    project.description = text("description");
    project.base_url = base_url.map(|b| b.trim_end_matches('/').to_string() + "/");
    project.exclude = exclude;
    project
}

/// The `book.toml` that owns `root`: in it, or (when `root` is a book's `src/`) beside it.
fn book_toml(root: &Path) -> Option<PathBuf> {
    let here = root.join(BOOK_TOML);
    if here.is_file() {
        return Some(here);
    }
    let parent = root.canonicalize().ok()?.parent()?.join(BOOK_TOML);
    let src = notes_dir(parent.parent()?)?.canonicalize().ok()?;
    (src == root.canonicalize().ok()?).then_some(parent)
}

/// A project file read only to find the notes folder: what it does not say is the default
/// (`load` reads it again and reports what is wrong with it).
fn read_toml(path: &Path) -> Option<toml::Table> {
    fsx::read_to_string(path).ok()?.parse().ok()
}

/// A project file's text: `None` when it is not there, a warning when it cannot be read.
fn read(path: &Path, root: &Path, warnings: &mut Vec<Diagnostic>) -> Option<String> {
    match fsx::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if fsx::is_not_found(&e) => None,
        Err(e) => {
            let shown = path.strip_prefix(root).unwrap_or(path);
            let message = format!("{e:#}");
            warnings.push(Diagnostic::warning(shown, 0, 0, message).with_help(UNREAD_HELP));
            None
        }
    }
}

const UNREAD_HELP: &str =
    "fix it to have its title, notes folder and reading order; the site builds without them";

/// A project's TOML file, or a warning where it stops parsing.
fn checked_toml(path: &Path, root: &Path, warnings: &mut Vec<Diagnostic>) -> Option<toml::Table> {
    let text = read(path, root, warnings)?;
    match text.parse::<toml::Table>() {
        Ok(table) => Some(table),
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            let (line, col) = LineIndex::new(&text).line_col(&text, at);
            let message = format!("cannot read this file: {}", e.message().trim());
            let shown = path.strip_prefix(root).unwrap_or(path);
            warnings.push(Diagnostic::warning(shown, line, col, message).with_help(UNREAD_HELP));
            None
        }
    }
}

/// mkdocs.yml as plain data, or a warning where it stops parsing.
fn checked_yaml(
    path: &Path,
    root: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Option<serde_json::Value> {
    let text = read(path, root, warnings)?;
    match serde_saphyr::from_str(&text) {
        Ok(value) => Some(value),
        Err(e) => {
            let (line, col) = e
                .location()
                .map_or((0, 0), |l| (l.line() as usize, l.column() as usize));
            let message = e.to_string();
            let message = message
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            let message = format!("cannot read this file: {message}");
            let shown = path.strip_prefix(root).unwrap_or(path);
            warnings.push(Diagnostic::warning(shown, line, col, message).with_help(UNREAD_HELP));
            None
        }
    }
}

/// mkdocs.yml as plain data (its `!!python/name:` and `!ENV` tags read as plain values).
fn read_yaml(path: &Path) -> Option<serde_json::Value> {
    serde_saphyr::from_str(&fsx::read_to_string(path).ok()?).ok()
}

/// The pages of a MkDocs `nav`, depth first: `- page.md`, `- Title: page.md`, and
/// `- Section: [...]`. External links are left out.
fn nav_pages(nav: &serde_json::Value, out: &mut Vec<String>) {
    match nav {
        serde_json::Value::String(path) => push_page(path, out),
        serde_json::Value::Array(items) => items.iter().for_each(|i| nav_pages(i, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| nav_pages(v, out)),
        _ => {}
    }
}

fn push_page(dest: &str, out: &mut Vec<String>) {
    let path = dest.split('#').next().unwrap_or("");
    if path.is_empty() || crate::url::is_external(path) {
        return;
    }
    let path = percent_decode_str(path).decode_utf8_lossy();
    let path = path.trim_start_matches("./").trim_start_matches('/');
    if !out.iter().any(|p| p == path) {
        out.push(path.to_string());
    }
}

/// The note paths SUMMARY.md links to, in order, each once. Draft chapters (`[Name]()`)
/// and external links are left out.
fn summary_chapters(summary: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for ev in Parser::new(summary) {
        if let Event::Start(Tag::Link { dest_url, .. }) = ev {
            push_page(&dest_url, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_links_in_order() {
        let summary = "# Summary\n\n[Introduction](README.md)\n\n# Part one\n\n\
            - [Setup](./setup.md)\n    - [Install](setup/install%20guide.md)\n\
            - [Draft chapter]()\n- [Setup again](setup.md#more)\n---\n\
            - [Site](https://example.org)\n\n[Appendix](appendix.md)\n";
        assert_eq!(
            summary_chapters(summary),
            [
                "README.md",
                "setup.md",
                "setup/install guide.md",
                "appendix.md"
            ]
        );
    }

    #[test]
    fn mkdocs_nav_and_python_tags() {
        let dir = tempfile::tempdir().unwrap();
        let yml = dir.path().join(MKDOCS_YML);
        std::fs::write(
            &yml,
            "site_name: My Exam Notes\ndocs_dir: pages\n\
             markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n\
             extra:\n  analytics: !ENV GOOGLE_ANALYTICS_KEY\n\
             nav:\n  - Home: index.md\n  - Networking:\n      - VPC: net/vpc.md\n      - net/dns.md\n\
             \x20 - About: https://example.org\n  - zeta.md\n",
        )
        .unwrap();
        assert_eq!(notes_dir(dir.path()), Some(dir.path().join("pages")));
        let mut warnings = Vec::new();
        let p = load(dir.path(), &dir.path().join("pages"), &mut warnings).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(p.kind, Kind::MkDocs);
        assert_eq!(p.title.as_deref(), Some("My Exam Notes"));
        assert_eq!(p.order, ["index.md", "net/vpc.md", "net/dns.md", "zeta.md"]);
    }
}
