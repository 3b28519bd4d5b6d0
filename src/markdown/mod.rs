//! Markdown to HTML: parser options in one place, and the adapter chain, one line each.

pub(crate) mod callouts;
pub(crate) mod code;
pub(crate) mod diagrams;
pub(crate) mod dialects;
pub(crate) mod headings;
pub(crate) mod highlight;
pub(crate) mod links;
pub(crate) mod math;
pub(crate) mod tags;

use crate::config::{Config, DiagramMode};
use crate::crossref::{glossary, scenarios, Facts, PageView};
use crate::source_map::OffsetMap;
use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd, TextMergeWithOffset};
use std::cell::RefCell;
use std::ops::Range;

pub(crate) use headings::{Heading, IdSet};
pub(crate) use highlight::Highlighter;
pub(crate) use links::{LinkResolver, Resolved};

/// An event with the byte range of the text it came from.
pub(crate) type Spanned<'a> = (Event<'a>, Range<usize>);

/// Parser options. `extras` turns on what studysite adds to CommonMark (tables, footnotes,
/// strikethrough, task lists, heading attributes, wikilinks, math).
pub(crate) fn options(extras: bool) -> Options {
    if !extras {
        return Options::empty();
    }
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_MATH
}

/// Plain CommonMark to HTML, with every studysite extra off: the entry point the
/// conformance tests drive.
pub fn commonmark_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(text, options(false)));
    out
}

/// A problem found while rendering, at a byte offset of the note body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) offset: usize,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

/// What rendering needs besides the text.
pub(crate) struct Env<'a> {
    pub(crate) highlighter: &'a Highlighter,
    pub(crate) links: &'a dyn LinkResolver,
    pub(crate) diagrams: DiagramMode,
    pub(crate) config: &'a Config,
    /// The scenario web, for glossary links and backlink boxes (`None` in tests of one note).
    pub(crate) xref: Option<PageView<'a>>,
}

/// A note rendered to HTML, with what the rest of the site needs from it.
#[derive(Debug, Default, Clone)]
pub(crate) struct Rendered {
    pub(crate) html: String,
    pub(crate) headings: Vec<Heading>,
    pub(crate) findings: Vec<Finding>,
    /// Links, anchors and images that point at nothing: `check` makes these errors.
    pub(crate) broken_links: Vec<Finding>,
    /// External links (`https://...`), for `check --external`.
    pub(crate) external: Vec<(String, usize)>,
    /// Does the HTML hold a Mermaid diagram, or math? (Then the page loads Mermaid or KaTeX,
    /// and the site carries it.) Found once here, so a rebuild need not scan every page.
    pub(crate) has_mermaid: bool,
    pub(crate) has_math: bool,
}

/// What is known of a note before any note is rendered: its headings and every id on it.
#[derive(Debug, Default, Clone)]
pub(crate) struct Outline {
    pub(crate) headings: Vec<Heading>,
    pub(crate) ids: Vec<String>,
    /// Scenarios, comparisons, tips and traps.
    pub(crate) facts: Facts,
    /// Inline `#tags`, in order, each once.
    pub(crate) tags: Vec<String>,
}

/// The note body with un-fenced diagrams fenced; offsets map back to `body`.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub(crate) text: String,
    pub(crate) map: OffsetMap,
}

impl Prepared {
    pub(crate) fn new(body: &str) -> Prepared {
        let (text, map) = diagrams::fence_unfenced(body);
        Prepared { text, map }
    }

    fn events(&self) -> impl Iterator<Item = Spanned<'_>> {
        TextMergeWithOffset::new(Parser::new_ext(&self.text, options(true)).into_offset_iter())
    }
}

/// The first pass: ids and headings, no HTML.
pub(crate) fn outline(doc: &Prepared, config: &Config) -> Outline {
    let ids = RefCell::new(IdSet::default());
    let roles = callouts::Roles::default();
    let mut headings = Vec::new();
    let mut facts = Facts::default();
    let mut found = Vec::new();
    let mut tags = Vec::new();
    {
        let events = math::Dollars::new(doc.events(), &doc.text);
        let events = headings::Ids::new(events, &ids, &mut headings);
        let events =
            callouts::Callouts::new(events, &config.callout_prefixes, &ids, &roles, &mut found);
        let events = scenarios::Extract::new(events, config, &ids, &roles, &mut facts);
        let events = tags::Tags::new(events, &mut tags, None);
        events.for_each(drop);
    }
    facts.questions = crate::crossref::questions::extract(&doc.text, &found);
    facts.callouts = found;
    facts.map_offsets(|o| doc.map.old(o));
    for h in &mut headings {
        h.offset = doc.map.old(h.offset);
    }
    Outline {
        headings,
        ids: ids.into_inner().into_vec(),
        facts,
        tags,
    }
}

/// The second pass: HTML, with links resolved and code highlighted.
pub(crate) fn render(doc: &Prepared, env: &Env) -> Rendered {
    let ids = RefCell::new(IdSet::default());
    let roles = callouts::Roles::default();
    let mut callouts_found = Vec::new();
    let mut facts = Facts::default();
    let findings = RefCell::new(Vec::new());
    let broken_links = RefCell::new(Vec::new());
    let mut external = Vec::new();
    let mut headings = Vec::new();
    let mut html_out = String::with_capacity(doc.text.len() * 2);
    {
        let hard = env.config.hard_breaks;
        let events = doc.events().map(move |(e, r)| match e {
            Event::SoftBreak if hard => (Event::HardBreak, r),
            e => (e, r),
        });
        let events = math::Dollars::new(events, &doc.text);
        let events = headings::Ids::new(events, &ids, &mut headings);
        let events = headings::Anchors::new(events);
        let events = callouts::Callouts::new(
            events,
            &env.config.callout_prefixes,
            &ids,
            &roles,
            &mut callouts_found,
        );
        let events = scenarios::Extract::new(events, env.config, &ids, &roles, &mut facts);
        let events = code::Blocks::new(events, env, &findings, &doc.text);
        let events =
            links::Rewrite::new(events, &doc.text, env.links, &broken_links, &mut external);
        let tags_page = match env.links.resolve(tags::TAGS_PAGE, links::LinkKind::Link) {
            Resolved::Url(url) => Some(url),
            _ => None,
        };
        let mut tags_found = Vec::new();
        let events = tags::Tags::new(events, &mut tags_found, tags_page);
        let events = glossary::Glossary::new(events, env.xref.filter(|x| x.web.glossary()));
        let events = glossary::Backlinks::new(events, env.xref);
        let events = TableWrap {
            inner: events,
            pending: None,
        };
        html::push_html(&mut html_out, events.map(|(e, _)| e));
    }
    let mut findings = findings.into_inner();
    let mut broken_links = broken_links.into_inner();
    for f in findings.iter_mut().chain(&mut broken_links) {
        f.offset = doc.map.old(f.offset);
    }
    for h in &mut headings {
        h.offset = doc.map.old(h.offset);
    }
    for e in &mut external {
        e.1 = doc.map.old(e.1);
    }
    Rendered {
        has_mermaid: crate::render::has_mermaid(&html_out),
        has_math: math::has_math(&html_out),
        html: html_out,
        headings,
        findings,
        broken_links,
        external,
    }
}

/// Wide tables scroll inside their own box instead of the page.
struct TableWrap<'a, I> {
    inner: I,
    pending: Option<Spanned<'a>>,
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for TableWrap<'a, I> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        if let Some(ev) = self.pending.take() {
            return Some(ev);
        }
        let (ev, range) = self.inner.next()?;
        match ev {
            Event::Start(Tag::Table(_)) => {
                self.pending = Some((ev, range.clone()));
                Some((Event::Html("<div class=\"table-wrap\">".into()), range))
            }
            Event::End(TagEnd::Table) => {
                self.pending = Some((Event::Html("</div>\n".into()), range.clone()));
                Some((ev, range))
            }
            _ => Some((ev, range)),
        }
    }
}
