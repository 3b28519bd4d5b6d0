//! Glossary links (the first mention of a term in each section's prose links to where it is
//! defined) and the "Scenarios that point here" box at the end of each answering section.
//! What the terms are and where they point is the study web's business: it answers through
//! [`StudyView`], so this module never sees the web itself.

use super::adapter::{link_runs, Step, Upstream};
use super::Spanned;
use pulldown_cmark::{Event, Tag, TagEnd};
use std::collections::{HashSet, VecDeque};
use std::ops::Range;

/// The study web as one page sees it while it renders.
pub(crate) trait StudyView: Sync {
    /// Are glossary links wanted at all?
    fn glossary(&self) -> bool;
    /// Every term named in `text`, left to right: its byte range and the term's key.
    fn terms_in(&self, text: &str) -> Vec<(Range<usize>, usize)>;
    /// Is term `t` defined right here: by the section `section` of this page (`None`: the
    /// text before the first heading), or by this page as a whole?
    fn defined_here(&self, t: usize, section: Option<&str>) -> bool;
    /// The link to where term `t` is defined, escaped for an attribute.
    fn term_href(&self, t: usize) -> String;
    /// The "Scenarios that point here" box for a section of this page (`None`: the box for
    /// answers that name the whole note), if any answer points there.
    fn backlinks_box(&self, section: Option<&str>) -> Option<String>;
}

type Out<'a> = VecDeque<Spanned<'a>>;

/// Links the first mention of each term per section, in paragraphs and list items only.
pub(crate) struct Glossary<'b> {
    view: Option<&'b dyn StudyView>,
    section: Option<String>,
    linked: HashSet<usize>,
    /// Inside a paragraph or list item; inside a heading, link, image, table or code.
    prose: usize,
    blocked: usize,
}

impl<'b> Glossary<'b> {
    pub(crate) fn new(view: Option<&'b dyn StudyView>) -> Self {
        Glossary {
            view: view.filter(|v| v.glossary()),
            section: None,
            linked: HashSet::new(),
            prose: 0,
            blocked: 0,
        }
    }
}

impl<'a> Step<'a> for Glossary<'_> {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        (ev, range): Spanned<'a>,
        _: Upstream<'_, I>,
        out: &mut Out<'a>,
    ) {
        let Some(view) = self.view else {
            return out.push_back((ev, range));
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
                let mut links = Vec::new();
                for (m, t) in view.terms_in(&text) {
                    if view.defined_here(t, self.section.as_deref()) || !self.linked.insert(t) {
                        continue;
                    }
                    let open = format!("<a class=\"term\" href=\"{}\">", view.term_href(t));
                    links.push((m, open));
                }
                return link_runs(text, &links, &range, out);
            }
            _ => {}
        }
        out.push_back((ev, range));
    }
}

/// Adds the "Scenarios that point here" box at the end of each section some answer names
/// (and at the end of the page for answers that name the whole note).
pub(crate) struct Backlinks<'b> {
    view: Option<&'b dyn StudyView>,
    /// Open sections, outermost first: (level, id).
    open: Vec<(u8, String)>,
}

impl<'b> Backlinks<'b> {
    pub(crate) fn new(view: Option<&'b dyn StudyView>) -> Self {
        Backlinks {
            view,
            open: Vec::new(),
        }
    }

    /// Closes the open sections at `level` or deeper, each with its box.
    fn close_to(&mut self, level: u8, at: &Range<usize>, out: &mut Out) {
        let Some(view) = self.view else {
            return;
        };
        while self.open.last().is_some_and(|(l, _)| *l >= level) {
            let (_, id) = self.open.pop().unwrap_or_default();
            if let Some(html) = view.backlinks_box(Some(&id)) {
                out.push_back((Event::Html(html.into()), at.clone()));
            }
        }
    }
}

impl<'a> Step<'a> for Backlinks<'_> {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        (ev, range): Spanned<'a>,
        _: Upstream<'_, I>,
        out: &mut Out<'a>,
    ) {
        if let Event::Start(Tag::Heading { level, id, .. }) = &ev {
            let level = *level as u8;
            self.close_to(level, &range, out);
            self.open
                .push((level, id.as_deref().unwrap_or("").to_string()));
        }
        out.push_back((ev, range));
    }

    fn finish(&mut self, out: &mut Out<'a>) {
        self.close_to(0, &(0..0), out);
        if let Some(html) = self.view.and_then(|v| v.backlinks_box(None)) {
            out.push_back((Event::Html(html.into()), 0..0));
        }
    }
}
