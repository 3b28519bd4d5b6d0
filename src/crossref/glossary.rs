//! Glossary links (the first mention of a term in each section's prose links to where it is
//! defined) and the "Scenarios that point here" box at the end of each answering section.

use super::PageView;
use crate::markdown::Spanned;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::{HashSet, VecDeque};

/// Links the first mention of each term per section, in paragraphs and list items only.
pub(crate) struct Glossary<'a, 'b, I> {
    inner: I,
    view: Option<PageView<'b>>,
    section: Option<String>,
    linked: HashSet<usize>,
    /// Inside a paragraph or list item; inside a heading, link, image or table.
    prose: usize,
    blocked: usize,
    queue: VecDeque<Spanned<'a>>,
}

impl<'a, 'b, I: Iterator<Item = Spanned<'a>>> Glossary<'a, 'b, I> {
    pub(crate) fn new(inner: I, view: Option<PageView<'b>>) -> Self {
        Glossary {
            inner,
            view,
            section: None,
            linked: HashSet::new(),
            prose: 0,
            blocked: 0,
            queue: VecDeque::new(),
        }
    }

    fn link_text(&mut self, view: PageView, text: CowStr<'a>, range: std::ops::Range<usize>) {
        let mut last = 0;
        for (m, t) in view.web.terms.find(&text) {
            let term = &view.web.terms.terms[t];
            let own = term.page == view.page && (term.id.is_none() || term.id == self.section);
            if own || !self.linked.insert(t) {
                continue;
            }
            if m.start > last {
                self.queue.push_back((
                    Event::Text(text[last..m.start].to_string().into()),
                    range.clone(),
                ));
            }
            let href = view.href(term.page, term.id.as_deref());
            let open = format!("<a class=\"term\" href=\"{href}\">");
            self.queue
                .push_back((Event::InlineHtml(open.into()), range.clone()));
            self.queue.push_back((
                Event::Text(text[m.clone()].to_string().into()),
                range.clone(),
            ));
            self.queue
                .push_back((Event::InlineHtml("</a>".into()), range.clone()));
            last = m.end;
        }
        if last == 0 {
            self.queue.push_back((Event::Text(text), range));
        } else if last < text.len() {
            self.queue
                .push_back((Event::Text(text[last..].to_string().into()), range));
        }
    }
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for Glossary<'a, '_, I> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        if let Some(ev) = self.queue.pop_front() {
            return Some(ev);
        }
        let (ev, range) = self.inner.next()?;
        let Some(view) = self.view else {
            return Some((ev, range));
        };
        match &ev {
            Event::Start(Tag::Heading { id, .. }) => {
                self.section = id.as_ref().map(|i| i.to_string());
                self.linked.clear();
                self.blocked += 1;
            }
            Event::Start(
                Tag::Link { .. } | Tag::Image { .. } | Tag::Table(_) | Tag::CodeBlock(_),
            ) => self.blocked += 1,
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Table
                | TagEnd::CodeBlock,
            ) => self.blocked = self.blocked.saturating_sub(1),
            Event::Start(Tag::Paragraph | Tag::Item) => self.prose += 1,
            Event::Html(h) if h.starts_with("<li ") || h.starts_with("<p ") => self.prose += 1,
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                self.prose = self.prose.saturating_sub(1)
            }
            Event::Text(_) if self.prose > 0 && self.blocked == 0 => {
                let Event::Text(text) = ev else {
                    unreachable!()
                };
                self.link_text(view, text, range);
                return self.next();
            }
            _ => {}
        }
        Some((ev, range))
    }
}

/// Adds the "Scenarios that point here" box at the end of each section some answer names
/// (and at the end of the page for answers that name the whole note).
pub(crate) struct Backlinks<'a, 'b, I> {
    inner: I,
    view: Option<PageView<'b>>,
    /// Open sections, outermost first: (level, id).
    open: Vec<(u8, String)>,
    queue: VecDeque<Spanned<'a>>,
    done: bool,
}

impl<'a, 'b, I: Iterator<Item = Spanned<'a>>> Backlinks<'a, 'b, I> {
    pub(crate) fn new(inner: I, view: Option<PageView<'b>>) -> Self {
        Backlinks {
            inner,
            view,
            open: Vec::new(),
            queue: VecDeque::new(),
            done: false,
        }
    }

    fn close_to(&mut self, level: u8, at: &std::ops::Range<usize>) {
        let Some(view) = self.view else {
            return;
        };
        while self.open.last().is_some_and(|(l, _)| *l >= level) {
            let (_, id) = self.open.pop().unwrap_or_default();
            if let Some(html) = view.backlinks_box(Some(&id)) {
                self.queue.push_back((Event::Html(html.into()), at.clone()));
            }
        }
    }
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for Backlinks<'a, '_, I> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        if let Some(ev) = self.queue.pop_front() {
            return Some(ev);
        }
        let Some((ev, range)) = self.inner.next() else {
            if self.done {
                return None;
            }
            self.done = true;
            self.close_to(0, &(0..0));
            if let Some(html) = self.view.and_then(|v| v.backlinks_box(None)) {
                self.queue.push_back((Event::Html(html.into()), 0..0));
            }
            return self.queue.pop_front();
        };
        if let Event::Start(Tag::Heading { level, id, .. }) = &ev {
            let level = *level as u8;
            self.close_to(level, &range);
            self.open
                .push((level, id.as_deref().unwrap_or("").to_string()));
            if !self.queue.is_empty() {
                self.queue.push_back((ev, range));
                return self.queue.pop_front();
            }
        }
        Some((ev, range))
    }
}
