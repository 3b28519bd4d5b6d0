//! What the templates get: the site, the page and its section, as serialisable contexts.

use crate::config::Config;
use crate::crossref;
use crate::index::{Index, Target};
use crate::markdown::tags;
use crate::url::{full_base, relative};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
pub(super) struct Link {
    pub(super) title: String,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct TocEntry {
    pub(super) level: u8,
    pub(super) id: String,
    pub(super) title: String,
}

#[derive(Serialize)]
pub(super) struct Listing {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) pages: Vec<ListingEntry>,
    /// How many entries the whole folder has; `pages` may be only some of them (see
    /// [`neighbours`]).
    pub(super) count: usize,
    /// Are some of the folder's entries left out of `pages`?
    pub(super) partial: bool,
}

/// A folder of at most this many entries is listed whole on each of its pages.
const LISTED_WHOLE: usize = 15;
/// Else a page lists this many entries on either side of its own.
const NEIGHBOURS: usize = 7;

#[derive(Serialize)]
pub(super) struct ListingEntry {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) description: String,
    pub(super) is_section: bool,
}

#[derive(Serialize)]
pub(super) struct SiteCtx<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) base_url: &'a str,
    /// The full base URL (`https://host/sub/`) for canonical and Open Graph links; `""` when
    /// the base URL is only a path.
    pub(super) permalink_base: String,
    /// Relative path from the current page to the site root (`""`, `"../"`, ...).
    pub(super) root: String,
    pub(super) extra: &'a serde_json::Value,
    /// The generated study pages (when to use what, flashcards, cram sheet), for the nav.
    pub(super) study_pages: Vec<Link>,
    /// The tags page, when notes have tags.
    pub(super) tags_url: Option<String>,
}

#[derive(Serialize)]
pub(super) struct TagLink {
    pub(super) name: String,
    pub(super) url: Option<String>,
}

#[derive(Serialize)]
pub(super) struct PageCtx<'a> {
    pub(super) title: &'a str,
    pub(super) url: &'a str,
    /// Rendered body, to be output with `| safe`.
    pub(super) html: &'a str,
    pub(super) description: &'a str,
    /// Front matter and inline tags, each linking to its entry on the tags page.
    pub(super) tags: Vec<TagLink>,
    pub(super) toc: Vec<TocEntry>,
    pub(super) breadcrumbs: Vec<Link>,
    pub(super) prev: Option<Link>,
    pub(super) next: Option<Link>,
    pub(super) extra: &'a BTreeMap<String, serde_json::Value>,
    /// Does the body open with its own `# Title`? Then the template need not print one.
    pub(super) has_h1: bool,
    /// Does the body hold a ```mermaid block? Then the page loads Mermaid to draw it.
    pub(super) has_mermaid: bool,
    /// Does the body hold math? Then the page loads KaTeX to draw it.
    pub(super) has_math: bool,
    /// Does the body hold a quiz? Then the page loads the quiz script.
    pub(super) has_quiz: bool,
    /// The shared sheets of its Mermaid drawings (`static/diagrams/NAME.css`), by name.
    pub(super) diagram_sheets: Vec<&'a str>,
    pub(super) source: &'a str,
    pub(super) edit_url: Option<String>,
    pub(super) is_section: bool,
    /// The nav parts (`static/nav/ID.js`) the page loads: the folders down to its own.
    pub(super) nav: Vec<String>,
}

impl<'a> PageCtx<'a> {
    /// A page studysite makes itself (a listing, a study page, 404): no note behind it.
    pub(super) fn generated(title: &'a str, url: &'a str) -> Self {
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
            has_quiz: false,
            diagram_sheets: Vec::new(),
            source: "",
            edit_url: None,
            is_section: false,
            nav: vec!["root".into()],
        }
    }
}

fn empty_extra() -> &'static BTreeMap<String, serde_json::Value> {
    static EMPTY: std::sync::OnceLock<BTreeMap<String, serde_json::Value>> =
        std::sync::OnceLock::new();
    EMPTY.get_or_init(BTreeMap::new)
}

pub(super) fn link(index: &Index, from: &str, t: Target) -> Link {
    Link {
        title: index.title(t).to_string(),
        url: relative(from, index.url(t)),
    }
}

pub(super) fn site_ctx<'a>(config: &'a Config, index: &'a Index, root: String) -> SiteCtx<'a> {
    SiteCtx {
        title: &index.site_title,
        description: &config.description,
        base_url: &config.base_url,
        permalink_base: full_base(&config.base_url).unwrap_or_default(),
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

/// The whole folder `s`, as its index page lists it.
pub(super) fn listing(index: &Index, from: &str, s: usize) -> Listing {
    listing_of(index, from, s, 0..index.sections[s].children.len())
}

/// Folder `s` as the sidebar of its page `page` lists it: whole when it is small, else the
/// page's neighbours only, so that a page does not grow with its folder (the whole list is
/// on the folder's index page).
pub(super) fn neighbours(index: &Index, from: &str, s: usize, page: usize) -> Listing {
    let children = &index.sections[s].children;
    if children.len() <= LISTED_WHOLE {
        return listing(index, from, s);
    }
    let at = children
        .iter()
        .position(|&c| c == Target::Page(page))
        .unwrap_or(0);
    let start = at.saturating_sub(NEIGHBOURS);
    listing_of(
        index,
        from,
        s,
        start..(at + NEIGHBOURS + 1).min(children.len()),
    )
}

fn listing_of(index: &Index, from: &str, s: usize, range: std::ops::Range<usize>) -> Listing {
    let sec = &index.sections[s];
    let partial = range.len() < sec.children.len();
    let pages = sec.children[range]
        .iter()
        .map(|c| {
            let (t, description, is_section) = match *c {
                Target::Page(i) => (
                    Target::Page(i),
                    index.pages[i]
                        .page
                        .note
                        .front
                        .description
                        .clone()
                        .unwrap_or_default(),
                    false,
                ),
                Target::Section(c) => {
                    let t = index.section_target(c);
                    let d = match t {
                        Target::Page(i) => index.pages[i].page.note.front.description.clone(),
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
        count: sec.children.len(),
        partial,
    }
}

pub(super) fn breadcrumbs(index: &Index, from: &str, t: Target) -> Vec<Link> {
    let section = match t {
        Target::Page(i) => {
            let s = index.pages[i].section;
            if index.pages[i].is_index {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_of_a_big_folder_lists_its_neighbours_and_the_index_lists_all() {
        let texts: Vec<(String, String)> = (0..40)
            .map(|i| (format!("big/n{i:02}.md"), format!("# Note {i:02}\n")))
            .collect();
        let mut files: Vec<(&str, &str)> = texts
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        files.push(("big/_index.md", "# Big\n"));
        files.push(("small/a.md", "# A\n"));
        files.push(("small/b.md", "# B\n"));
        let (_dir, _config, index, _) = crate::testing::index(&files);
        let page = |rel: &str| {
            let i = index.pages.iter().position(|p| p.page.note.rel == rel);
            i.unwrap()
        };
        let i = page("big/n20.md");
        let s = index.pages[i].section;
        let near = neighbours(&index, &index.pages[i].url, s, i);
        let titles: Vec<&str> = near.pages.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles.len(), 2 * NEIGHBOURS + 1, "{titles:?}");
        assert_eq!(titles[NEIGHBOURS], "Note 20");
        assert!(near.partial);
        assert_eq!(near.count, 40);
        let first = page("big/n00.md");
        let near = neighbours(&index, &index.pages[first].url, s, first);
        assert_eq!(near.pages[0].title, "Note 00");
        assert_eq!(near.pages.len(), NEIGHBOURS + 1);
        let whole = listing(&index, "big/index.html", s);
        assert_eq!(whole.pages.len(), 40);
        assert!(!whole.partial);
        let a = page("small/a.md");
        let small = neighbours(&index, &index.pages[a].url, index.pages[a].section, a);
        assert_eq!(small.pages.len(), 2);
        assert!(!small.partial);
    }
}
