//! Heading ids (GitHub's rules, one namespace per page); the anchor link on each heading is
//! added by the theme's script (static/site.js).

use super::adapter::{Step, Upstream};
use super::Spanned;
use crate::slug::heading_id;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};

/// Every id on one page: headings, callouts, scenarios and quizzes all claim from here, so no
/// two elements share an id.
#[derive(Debug, Default)]
pub(crate) struct IdSet {
    taken: HashSet<String>,
    order: Vec<String>,
    next_suffix: HashMap<String, usize>,
}

/// Ids the default theme's `base.html` puts on every page, which no element of a note (nor
/// of a generated page) may take: a heading `# Content` gets `content-1`.
/// (Sorted; a test checks that they are `base.html`'s.)
pub(crate) const THEME_IDS: &[&str] = &[
    "content",
    "nav",
    "search-input",
    "search-results",
    "search-status",
];

impl IdSet {
    /// The ids of one page of the site, the theme's own ([`THEME_IDS`]) already taken.
    pub(crate) fn for_page() -> IdSet {
        IdSet {
            taken: THEME_IDS.iter().map(|id| id.to_string()).collect(),
            ..IdSet::default()
        }
    }

    /// Claims `base`, or `base-1`, `base-2`... when taken (GitHub's rule for repeats).
    pub(crate) fn claim(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        let mut id = base.to_string();
        while self.taken.contains(&id) {
            let n = self.next_suffix.entry(base.to_string()).or_insert(0);
            *n += 1;
            id = format!("{base}-{n}");
        }
        self.taken.insert(id.clone());
        self.order.push(id.clone());
        id
    }

    pub(crate) fn into_vec(self) -> Vec<String> {
        self.order
    }
}

/// A heading as the site index sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Heading {
    pub(crate) level: u8,
    pub(crate) id: String,
    pub(crate) text: String,
    /// Byte offset of the heading in the note body.
    pub(crate) offset: usize,
}

/// Where the section of `headings[at]` ends in a body of `len` bytes: at the next heading
/// as high or higher, else at the end.
pub(crate) fn section_end(headings: &[Heading], at: usize, len: usize) -> usize {
    headings[at + 1..]
        .iter()
        .find(|h| h.level <= headings[at].level)
        .map_or(len, |h| h.offset.min(len))
}

/// Gives every heading an id (its `{#id}` attribute, else GitHub's slug of its text) and
/// records it in `headings`.
pub(crate) struct Ids<'b> {
    ids: &'b RefCell<IdSet>,
    headings: &'b mut Vec<Heading>,
}

impl<'b> Ids<'b> {
    pub(crate) fn new(ids: &'b RefCell<IdSet>, headings: &'b mut Vec<Heading>) -> Self {
        Ids { ids, headings }
    }
}

impl<'a> Step<'a> for Ids<'_> {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        (ev, range): Spanned<'a>,
        upstream: Upstream<'_, I>,
        out: &mut VecDeque<Spanned<'a>>,
    ) {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = ev
        else {
            return out.push_back((ev, range));
        };
        let mut text = String::new();
        let mut body = Vec::new();
        for (inner, r) in upstream.by_ref() {
            match &inner {
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => text.push_str(t),
                _ => {}
            }
            let end = matches!(inner, Event::End(TagEnd::Heading(_)));
            body.push((inner, r));
            if end {
                break;
            }
        }
        let base = id
            .as_deref()
            .map_or_else(|| heading_id(&text), str::to_string);
        let id = self.ids.borrow_mut().claim(&base);
        self.headings.push(Heading {
            level: level as u8,
            id: id.clone(),
            text: text.trim().to_string(),
            offset: range.start,
        });
        out.push_back((
            Event::Start(Tag::Heading {
                level,
                id: Some(CowStr::from(id)),
                classes,
                attrs,
            }),
            range,
        ));
        out.extend(body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_get_suffixes() {
        let mut ids = IdSet::default();
        assert_eq!(ids.claim("a"), "a");
        assert_eq!(ids.claim("a"), "a-1");
        assert_eq!(ids.claim("a-1"), "a-1-1");
        assert_eq!(ids.claim("a"), "a-2");
        assert_eq!(ids.claim(""), "section");
    }

    #[test]
    fn a_page_leaves_the_themes_ids_alone() {
        let mut ids = IdSet::for_page();
        assert_eq!(ids.claim("content"), "content-1");
        assert_eq!(ids.claim("nav"), "nav-1");
        assert_eq!(ids.into_vec(), ["content-1", "nav-1"]);
        let base = include_str!("../../templates/base.html");
        let mut in_base: Vec<&str> = base
            .split(" id=\"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect();
        in_base.sort_unstable();
        assert_eq!(in_base, THEME_IDS);
    }
}
