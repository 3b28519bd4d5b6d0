//! An mdBook as a site folder: `book.toml` names the notes folder (`[book] src`, default
//! `src`) and the title, and `SUMMARY.md` gives the reading order. SUMMARY.md is the book's
//! table of contents, not a page.

use percent_encoding::percent_decode_str;
use pulldown_cmark::{Event, Parser, Tag};
use std::path::{Path, PathBuf};

/// What studysite takes from an mdBook.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Book {
    /// `[book] title`.
    pub title: Option<String>,
    /// The chapters SUMMARY.md links to, as paths from the notes folder, in its order.
    pub order: Vec<String>,
}

/// The name of the table of contents in the notes folder.
pub(crate) const SUMMARY: &str = "SUMMARY.md";

/// The `book.toml` that owns `root`: in it, or (when `root` is a book's `src/`) beside it.
pub(crate) fn book_toml(root: &Path) -> Option<PathBuf> {
    let here = root.join("book.toml");
    if here.is_file() {
        return Some(here);
    }
    let parent = root.canonicalize().ok()?.parent()?.join("book.toml");
    let src = read_src(&parent)?;
    let beside = parent.parent()?.join(src).canonicalize().ok()?;
    (beside == root.canonicalize().ok()?).then_some(parent)
}

/// `[book] src` of a book.toml (default `src`); `None` when it cannot be read.
fn read_src(book_toml: &Path) -> Option<String> {
    let table = read_table(book_toml)?;
    Some(
        table
            .get("book")
            .and_then(|b| b.get("src"))
            .and_then(|s| s.as_str())
            .unwrap_or("src")
            .to_string(),
    )
}

fn read_table(book_toml: &Path) -> Option<toml::Table> {
    let text = std::fs::read_to_string(book_toml).ok()?;
    text.parse::<toml::Table>().ok()
}

/// The notes folder of the book at `root` (its `src`), when `root` holds a book.toml.
pub(crate) fn notes_dir(root: &Path) -> Option<PathBuf> {
    let toml = root.join("book.toml");
    toml.is_file()
        .then(|| root.join(read_src(&toml).unwrap_or_else(|| "src".into())))
}

/// Reads the book that owns `root`, its notes being in `notes`.
pub(crate) fn load(root: &Path, notes: &Path) -> Option<Book> {
    let toml = book_toml(root)?;
    let title = read_table(&toml).and_then(|t| {
        t.get("book")?
            .get("title")?
            .as_str()
            .map(|s| s.trim().to_string())
    });
    let summary = std::fs::read_to_string(notes.join(SUMMARY)).unwrap_or_default();
    Some(Book {
        title: title.filter(|t| !t.is_empty()),
        order: chapters(&summary),
    })
}

/// The note paths SUMMARY.md links to, in order, each once. Draft chapters (`[Name]()`)
/// and external links are left out.
fn chapters(summary: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for ev in Parser::new(summary) {
        let Event::Start(Tag::Link { dest_url, .. }) = ev else {
            continue;
        };
        let path = dest_url.split('#').next().unwrap_or("");
        if path.is_empty() || crate::markdown::links::is_external(path) {
            continue;
        }
        let path = percent_decode_str(path).decode_utf8_lossy();
        let path = path.trim_start_matches("./").trim_start_matches('/');
        if !out.iter().any(|p| p == path) {
            out.push(path.to_string());
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
            chapters(summary),
            [
                "README.md",
                "setup.md",
                "setup/install guide.md",
                "appendix.md"
            ]
        );
    }
}
