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

    fn idle(&self) -> bool {
        self.view.is_none()
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

    fn idle(&self) -> bool {
        self.view.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::adapter::Adapter;
    use pulldown_cmark::{html, Parser, TextMergeWithOffset};

    /// Two terms: "Lambda" (key 0, defined by this page's `lambda` section) and "S3" (1,
    /// elsewhere); the `s3` section of this page has a box.
    struct Fake;

    impl StudyView for Fake {
        fn glossary(&self) -> bool {
            true
        }
        fn terms_in(&self, text: &str) -> Vec<(Range<usize>, usize)> {
            ["Lambda", "S3"]
                .iter()
                .enumerate()
                .flat_map(|(t, name)| {
                    text.match_indices(name)
                        .map(move |(i, m)| (i..i + m.len(), t))
                })
                .collect()
        }
        fn defined_here(&self, t: usize, section: Option<&str>) -> bool {
            t == 0 && section == Some("lambda")
        }
        fn term_href(&self, t: usize) -> String {
            format!("t{t}.html")
        }
        fn backlinks_box(&self, section: Option<&str>) -> Option<String> {
            (section == Some("s3")).then(|| "<aside>box</aside>\n".to_string())
        }
    }

    fn render(md: &str) -> String {
        let mut ids = crate::markdown::IdSet::default();
        let mut out = String::new();
        let events = TextMergeWithOffset::new(Parser::new(md).into_offset_iter());
        // Headings need ids for sections: give each its text, lowercased.
        let events = events.map(|(e, r)| match e {
            Event::Start(Tag::Heading { level, .. }) => (
                Event::Start(Tag::Heading {
                    level,
                    id: Some(
                        ids.claim(&md[r.clone()].trim_start_matches('#').trim().to_lowercase())
                            .into(),
                    ),
                    classes: vec![],
                    attrs: vec![],
                }),
                r,
            ),
            e => (e, r),
        });
        let view: &dyn StudyView = &Fake;
        let events = Adapter::new(events, Glossary::new(Some(view)));
        let events = Adapter::new(events, Backlinks::new(Some(view)));
        html::push_html(&mut out, events.map(|(e, _)| e));
        out
    }

    #[test]
    fn first_mention_per_section_in_prose_only() {
        let html = render(
            "Use S3 and S3.\n\n## S3\n\nS3 again, `S3` in code, [S3](x) in a link.\n\n## Lambda\n\nLambda here, S3 too.\n",
        );
        assert_eq!(
            html.matches("<a class=\"term\" href=\"t1.html\">S3</a>")
                .count(),
            3,
            "{html}"
        );
        assert!(
            !html.contains("href=\"t0.html\""),
            "a term is not linked in its own section: {html}"
        );
        assert!(
            html.contains("<h2 id=\"s3\">S3</h2>"),
            "headings are not linked: {html}"
        );
    }

    #[test]
    fn the_box_closes_its_section() {
        let html = render("## S3\n\ntext\n\n### Deeper\n\nmore\n\n## Lambda\n\nend\n");
        let at = html.find("<aside>box</aside>").unwrap();
        assert!(
            html[..at].contains("more") && html[at..].starts_with("<aside>box</aside>\n<h2"),
            "{html}"
        );
    }
}
