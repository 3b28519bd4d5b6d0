//! Heading ids (GitHub's rules, one namespace per page) and the anchor link on each heading.

use super::Spanned;
use crate::slug::heading_id;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// Every id on one page: headings, callouts, scenarios and quizzes all claim from here, so no
/// two elements share an id.
#[derive(Debug, Default)]
pub(crate) struct IdSet {
    taken: HashSet<String>,
    order: Vec<String>,
    next_suffix: HashMap<String, usize>,
}

impl IdSet {
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    pub(crate) level: u8,
    pub(crate) id: String,
    pub(crate) text: String,
    /// Byte offset of the heading in the note body.
    pub(crate) offset: usize,
}

/// Gives every heading an id (its `{#id}` attribute, else GitHub's slug of its text) and
/// records it in `headings`.
pub(crate) struct Ids<'a, 'b, I> {
    inner: I,
    ids: &'b RefCell<IdSet>,
    headings: &'b mut Vec<Heading>,
    queue: std::collections::VecDeque<Spanned<'a>>,
}

impl<'a, 'b, I> Ids<'a, 'b, I> {
    pub(crate) fn new(inner: I, ids: &'b RefCell<IdSet>, headings: &'b mut Vec<Heading>) -> Self {
        Ids {
            inner,
            ids,
            headings,
            queue: Default::default(),
        }
    }
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for Ids<'a, '_, I> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        if let Some(ev) = self.queue.pop_front() {
            return Some(ev);
        }
        let (ev, range) = self.inner.next()?;
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = ev
        else {
            return Some((ev, range));
        };
        let mut text = String::new();
        for (inner, r) in self.inner.by_ref() {
            match &inner {
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => text.push_str(t),
                _ => {}
            }
            let end = matches!(inner, Event::End(TagEnd::Heading(_)));
            self.queue.push_back((inner, r));
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
        Some((
            Event::Start(Tag::Heading {
                level,
                id: Some(CowStr::from(id)),
                classes,
                attrs,
            }),
            range,
        ))
    }
}

/// Adds a hover anchor link (`#`) at the end of each heading, for copying a link to it.
pub(crate) struct Anchors<'a, I> {
    inner: I,
    current: Option<CowStr<'a>>,
    pending: Option<Spanned<'a>>,
}

impl<I> Anchors<'_, I> {
    pub(crate) fn new(inner: I) -> Self {
        Anchors {
            inner,
            current: None,
            pending: None,
        }
    }
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for Anchors<'a, I> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        if let Some(ev) = self.pending.take() {
            return Some(ev);
        }
        let (ev, range) = self.inner.next()?;
        match &ev {
            Event::Start(Tag::Heading { id, .. }) => self.current = id.clone(),
            Event::End(TagEnd::Heading(_)) => {
                if let Some(id) = self.current.take() {
                    let link = format!(
                        "<a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\"></a>"
                    );
                    self.pending = Some((ev, range.clone()));
                    return Some((Event::InlineHtml(link.into()), range));
                }
            }
            _ => {}
        }
        Some((ev, range))
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
}
