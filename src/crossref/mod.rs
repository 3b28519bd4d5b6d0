//! The "when to use what" web: scenarios, comparisons, tips and traps found in every note,
//! answers linked to the sections that define them, and the study pages built from them.

pub(crate) mod glossary;
pub(crate) mod pages;
pub(crate) mod questions;
pub(crate) mod scenarios;
pub(crate) mod terms;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::index::{relative, Index};
use crate::markdown::callouts::{Callout, Role};
use pulldown_cmark_escape::{escape_href, escape_html};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;
pub(crate) use terms::Terms;

/// The pages the web adds to the site: (title, URL).
pub(crate) const STUDY_PAGES: &[(&str, &str)] = &[
    ("When to use what", "when-to-use-what.html"),
    ("Flashcards", "flashcards.html"),
    ("Cram sheet", "cram-sheet.html"),
];

/// A question and its answer, as a note states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scenario {
    pub(crate) text: String,
    pub(crate) answer: String,
    /// The id on its row, item or paragraph.
    pub(crate) id: String,
    /// Byte offset in the note body.
    pub(crate) offset: usize,
    /// The tip or trap callout it was found in.
    pub(crate) role: Option<Role>,
}

/// The content shown for a comparison on the cram sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    Table(Vec<Vec<String>>),
    Pre(String),
}

/// An "X vs Y" heading, table header or diagram title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Comparison {
    pub(crate) title: String,
    pub(crate) id: Option<String>,
    pub(crate) offset: usize,
    pub(crate) body: Option<Block>,
}

/// A table the extractor accepted, as plain text, header row first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScenarioTable {
    /// The id of its first scenario row.
    pub(crate) id: Option<String>,
    pub(crate) columns: scenarios::Columns,
    pub(crate) rows: Vec<Vec<String>>,
}

/// What one note contributes to the web, found in the first pass.
#[derive(Debug, Default, Clone)]
pub(crate) struct Facts {
    pub(crate) scenarios: Vec<Scenario>,
    pub(crate) tables: Vec<ScenarioTable>,
    pub(crate) comparisons: Vec<Comparison>,
    pub(crate) callouts: Vec<Callout>,
    /// Practice questions with their answers.
    pub(crate) questions: Vec<questions::Question>,
}

impl Facts {
    /// Offsets from the prepared text back to the note body.
    pub(crate) fn map_offsets(&mut self, map: impl Fn(usize) -> usize) {
        for s in &mut self.scenarios {
            s.offset = map(s.offset);
        }
        for c in &mut self.comparisons {
            c.offset = map(c.offset);
        }
        for c in &mut self.callouts {
            c.offset = map(c.offset);
        }
        for q in &mut self.questions {
            q.offset = map(q.offset);
        }
    }
}

/// A scenario placed in the site, its answer's terms found.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) page: usize,
    pub(crate) scenario: Scenario,
    /// The terms in the answer: byte range in it, and the term.
    pub(crate) links: Vec<(Range<usize>, usize)>,
}

/// The whole web, built between `Index::build` and rendering.
pub(crate) struct Web {
    pub(crate) terms: Arc<Terms>,
    pub(crate) entries: Vec<Entry>,
    /// Per page: section id (`None` for the whole note) -> entries whose answer names it.
    backlinks: Vec<BTreeMap<Option<String>, Vec<usize>>>,
    glossary: bool,
}

impl Web {
    /// Reserves the study pages' URLs, finds the terms and resolves every answer; an answer
    /// that names nothing the notes define is a warning at its line.
    /// `terms` comes from [`Terms::build`] (a rebuild may reuse the last one while the site's
    /// shape holds).
    pub(crate) fn build(
        config: &Config,
        index: &mut Index,
        terms: Arc<Terms>,
        diags: &mut Vec<Diagnostic>,
    ) -> Web {
        let mut entries = Vec::new();
        let mut backlinks = vec![BTreeMap::<Option<String>, Vec<usize>>::new(); index.pages.len()];
        for (p, page) in index.pages.iter().enumerate() {
            for s in &page.outline.facts.scenarios {
                let links = terms.find(&s.answer);
                if links.is_empty() {
                    diags.push(
                        page.note
                            .warning(
                                s.offset,
                                format!(
                                    "no note defines `{}`, the answer to \"{}\"",
                                    s.answer, s.text
                                ),
                            )
                            .with_help("name a heading after it, or add it to a note's `aliases`"),
                    );
                }
                let mut seen = Vec::new();
                for (_, t) in &links {
                    let term = &terms.terms[*t];
                    if !seen.contains(t) {
                        seen.push(*t);
                        backlinks[term.page]
                            .entry(term.id.clone())
                            .or_default()
                            .push(entries.len());
                    }
                }
                entries.push(Entry {
                    page: p,
                    scenario: s.clone(),
                    links,
                });
            }
        }
        let web = Web {
            terms,
            entries,
            backlinks,
            glossary: config.glossary,
        };
        for (_, url) in STUDY_PAGES {
            index.reserve(url, pages::ids(url, &web), diags);
        }
        web
    }

    pub(crate) fn glossary(&self) -> bool {
        self.glossary
    }

    /// The web as one page sees it.
    pub(crate) fn view<'a>(&'a self, index: &'a Index, page: usize) -> PageView<'a> {
        PageView {
            web: self,
            index,
            page,
        }
    }

    /// Where a term is defined, relative to the site root.
    pub(crate) fn term_url(&self, index: &Index, t: usize) -> String {
        let term = &self.terms.terms[t];
        let mut url = index.info[term.page].url.clone();
        if let Some(id) = &term.id {
            url.push('#');
            url.push_str(id);
        }
        url
    }

    /// An entry's answer as HTML, each known term linked; URLs relative to `from`.
    pub(crate) fn answer_html(&self, index: &Index, e: &Entry, from: &str) -> String {
        let answer = &e.scenario.answer;
        let mut out = String::new();
        let mut last = 0;
        for (r, t) in &e.links {
            let _ = escape_html(&mut out, &answer[last..r.start]);
            let url = relative(from, &self.term_url(index, *t));
            out.push_str("<a href=\"");
            let _ = escape_href(&mut out, &url);
            out.push_str("\">");
            let _ = escape_html(&mut out, &answer[r.clone()]);
            out.push_str("</a>");
            last = r.end;
        }
        let _ = escape_html(&mut out, &answer[last..]);
        out
    }

    /// The URL of an entry's row or item, relative to the site root.
    pub(crate) fn source_url(&self, index: &Index, e: &Entry) -> String {
        format!("{}#{}", index.info[e.page].url, e.scenario.id)
    }
}

/// The web from one page: what its glossary links and backlink boxes need.
#[derive(Clone, Copy)]
pub(crate) struct PageView<'a> {
    pub(crate) web: &'a Web,
    index: &'a Index,
    pub(crate) page: usize,
}

impl PageView<'_> {
    fn here(&self) -> &str {
        &self.index.info[self.page].url
    }

    /// A link from this page to a page's section.
    pub(crate) fn href(&self, page: usize, id: Option<&str>) -> String {
        let mut url = relative(self.here(), &self.index.info[page].url);
        if page == self.page {
            url.clear();
        }
        if let Some(id) = id {
            url.push('#');
            url.push_str(id);
        }
        let mut out = String::new();
        let _ = escape_href(&mut out, &url);
        out
    }

    /// The "Scenarios that point here" box for a section of this page, if any answer names it.
    pub(crate) fn backlinks_box(&self, id: Option<&str>) -> Option<String> {
        let list = self.web.backlinks[self.page].get(&id.map(str::to_string))?;
        let mut html = String::from(
            "<aside class=\"backlinks\" aria-label=\"Scenarios that point here\"><p class=\"backlinks-title\">Scenarios that point here</p><ul>\n",
        );
        for &e in list {
            let entry = &self.web.entries[e];
            html.push_str("<li><a href=\"");
            html.push_str(&self.href(entry.page, Some(&entry.scenario.id)));
            html.push_str("\">");
            let _ = escape_html(&mut html, &entry.scenario.text);
            html.push_str("</a> <span class=\"backlinks-answer\">→ ");
            let _ = escape_html(&mut html, &entry.scenario.answer);
            html.push_str("</span></li>\n");
        }
        html.push_str("</ul></aside>\n");
        Some(html)
    }
}
