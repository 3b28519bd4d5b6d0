//! Markdown to HTML: parser options in one place, and the adapter chain, one line each.

mod adapter;
pub(crate) mod callouts;
pub(crate) mod cloze;
pub(crate) mod code;
pub(crate) mod definitions;
pub(crate) mod diagrams;
pub(crate) mod dialects;
pub(crate) mod facts;
pub(crate) mod footnotes;
pub(crate) mod glossary;
pub(crate) mod headings;
pub(crate) mod highlight;
pub(crate) mod links;
pub(crate) mod math;
pub(crate) mod mermaid;
pub(crate) mod questions;
pub(crate) mod quiz;
pub(crate) mod scenarios;
pub(crate) mod tags;

use crate::config::{Config, DiagramMode};
use crate::source_map::OffsetMap;
use adapter::{Adapter, Step, Upstream};
use facts::Facts;
use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd, TextMergeWithOffset};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::ops::Range;
use std::sync::Arc;

pub(crate) use glossary::StudyView;
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

/// A ```mermaid block as the page gets it when drawn at build time, or `None` when it is
/// left to the browser's Mermaid: the entry point of the test that holds merman's drawings
/// against Mermaid's own.
pub fn mermaid_to_html(source: &str, id: &str) -> Option<String> {
    match mermaid::draw(source, id) {
        mermaid::Drawn::Svg(html) => Some(html),
        _ => None,
    }
}

/// A problem found while rendering, at a byte offset of the note body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Finding {
    pub(crate) offset: usize,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
    pub(crate) lint: Option<crate::diagnostic::Lint>,
    /// Findings of one lint and group are reported as one (see `diagnostic::consolidate`).
    pub(crate) group: Option<String>,
    /// Further places of the same finding (a diagram's other faults), named by line.
    pub(crate) also: Vec<usize>,
}

/// What rendering needs besides the text.
pub(crate) struct Env<'a> {
    pub(crate) highlighter: &'a Highlighter,
    pub(crate) links: &'a dyn LinkResolver,
    pub(crate) diagrams: DiagramMode,
    pub(crate) config: &'a Config,
    /// The study web, for glossary links and backlink boxes (`None` in tests of one note).
    pub(crate) xref: Option<&'a dyn StudyView>,
    /// The outline's scenario ids and where they go ([`Outline::marks`]); `None` reads the
    /// scenarios again, as the outline did.
    pub(crate) marks: Option<&'a [scenarios::Mark]>,
}

/// A note rendered to HTML, with what the rest of the site needs from it.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
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
    /// Does the page hold a quiz? (Then it loads the small quiz script.)
    pub(crate) has_quiz: bool,
    /// The element names of its highlighted code (`k-3b-2`), which the highlight stylesheet
    /// gives colours to.
    pub(crate) code_looks: Vec<String>,
    /// The style sheets its Mermaid drawings share with others (name, text), which the site
    /// writes once each under `static/diagrams/` and the page links to.
    pub(crate) diagram_sheets: Vec<(String, String)>,
}

/// What is known of a note before any note is rendered: its headings and every id on it.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Outline {
    pub(crate) headings: Vec<Heading>,
    pub(crate) ids: Vec<String>,
    /// Scenarios, comparisons, tips and traps.
    pub(crate) facts: Facts,
    /// Inline `#tags`, in order, each once.
    pub(crate) tags: Vec<String>,
    /// Multiple-choice questions with their answers, offsets in the note body.
    pub(crate) quizzes: Vec<quiz::Quiz>,
    /// Cloze cards (`{{c1::...}}`, highlights in tips and traps).
    pub(crate) clozes: Vec<cloze::Cloze>,
    /// Where each scenario's id goes, offsets in the prepared text, in order: the render
    /// pass puts them there without finding the scenarios again.
    pub(crate) marks: Vec<scenarios::Mark>,
}

/// The note body with un-fenced diagrams fenced; offsets map back to `body`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Prepared {
    pub(crate) text: Arc<str>,
    pub(crate) map: OffsetMap,
    /// The quizzes of the text, offsets in `text`.
    pub(crate) quizzes: Vec<quiz::Quiz>,
}

impl Prepared {
    pub(crate) fn new(body: &Arc<str>) -> Prepared {
        let (text, map) = diagrams::fence_unfenced(body);
        let text = if *text == **body {
            Arc::clone(body)
        } else {
            text.into()
        };
        let quizzes = quiz::find(&text);
        Prepared { text, map, quizzes }
    }

    fn events(&self) -> impl Iterator<Item = Spanned<'_>> {
        TextMergeWithOffset::new(Parser::new_ext(&self.text, options(true)).into_offset_iter())
    }
}

/// The state a page's adapters share: every id on the page (headings, callouts and
/// scenarios claim from one set, so no two elements share an id), and the roles of the
/// callouts open around the event being read (the scenario adapter asks whether it is in a
/// tip). The theme's own ids are taken from the start.
struct Shared {
    ids: RefCell<IdSet>,
    roles: callouts::Roles,
}

impl Default for Shared {
    fn default() -> Shared {
        Shared {
            ids: RefCell::new(IdSet::for_page()),
            roles: callouts::Roles::default(),
        }
    }
}

/// What both passes collect while the events go by.
#[derive(Default)]
struct Collected {
    headings: Vec<Heading>,
    callouts: Vec<callouts::Callout>,
    facts: Facts,
    tags: Vec<String>,
    /// The `id`s and `<a name>`s of the note's own HTML.
    html_anchors: Vec<String>,
    definitions: Vec<definitions::Definition>,
    marks: Vec<scenarios::Mark>,
}

/// What only the render pass has and collects.
struct RenderSinks<'e> {
    env: &'e Env<'e>,
    findings: RefCell<Vec<Finding>>,
    broken_links: RefCell<Vec<Finding>>,
    external: Vec<(String, usize)>,
    /// The tags page's URL from this page, when there is one (inline tags link there).
    tags_page: Option<String>,
}

/// The adapter chain, in one place for both passes. The adapters that claim ids (headings,
/// footnotes, callouts, scenarios) run in both, in the same order, so the outline's ids are the ones
/// the page gets; the others run only when rendering (`render` is `Some`) and pass events
/// through otherwise.
fn chain<'a, 'b, 'e: 'b>(
    doc: &'a Prepared,
    config: &'b Config,
    shared: &'b Shared,
    found: &'b mut Collected,
    render: Option<&'b mut RenderSinks<'e>>,
) -> impl Iterator<Item = Spanned<'a>> + 'b
where
    'a: 'b,
{
    let hard = render.is_some() && config.hard_breaks;
    let replay = render.as_ref().and_then(|r| r.env.marks);
    let (blocks, rewrite, tags_page, view) = match render {
        Some(r) => (
            Some(code::Blocks::new(r.env, &r.findings, &doc.text)),
            Some(links::Rewrite::new(
                &doc.text,
                r.env.links,
                &r.broken_links,
                &mut r.external,
            )),
            r.tags_page.clone(),
            Some(r.env.xref),
        ),
        None => (None, None, None, None),
    };
    let rendering = view.is_some();
    let view = view.flatten();
    let events = doc.events().map(move |(e, r)| match e {
        Event::SoftBreak if hard => (Event::HardBreak, r),
        e => (e, r),
    });
    let events = math::Dollars::new(events, &doc.text);
    let events = Adapter::new(events, cloze::Strip::default());
    let events = Adapter::new(events, headings::Ids::new(&shared.ids, &mut found.headings));
    let events = Adapter::new(events, footnotes::Ids::new(&shared.ids));
    let events = Adapter::new(events, links::RawAnchors::new(&mut found.html_anchors));
    let events = Adapter::new(
        events,
        callouts::Callouts::new(
            &config.callout_prefixes,
            &shared.ids,
            &shared.roles,
            &mut found.callouts,
        ),
    );
    let events = Adapter::new(
        events,
        scenarios::Extract::new(
            config,
            &shared.ids,
            &shared.roles,
            &mut found.facts,
            &mut found.marks,
            replay,
        ),
    );
    let events = Adapter::new(
        events,
        (!rendering).then(|| definitions::Definitions::new(&mut found.definitions)),
    );
    let events = Adapter::new(events, blocks);
    let events = Adapter::new(events, rendering.then_some(math::ToMathMl));
    let events = Adapter::new(events, rewrite);
    let events = Adapter::new(events, tags::Tags::new(&mut found.tags, tags_page));
    let events = Adapter::new(events, glossary::Glossary::new(view));
    let events = Adapter::new(events, glossary::Backlinks::new(view));
    let events = Adapter::new(
        events,
        rendering.then_some(quiz::OptionBreaks { text: &doc.text }),
    );
    let events = Adapter::new(events, rendering.then(|| quiz::Sections::new(&doc.quizzes)));
    let events = Adapter::new(events, rendering.then_some(TaskBoxes));
    Adapter::new(events, rendering.then_some(TableWrap))
}

/// A task list's box says what it stands for: a screen reader hears "done" or "to do" (the
/// parser's bare `<input>` has no name), and the item's text follows.
struct TaskBoxes;

impl<'a> Step<'a> for TaskBoxes {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        (ev, range): Spanned<'a>,
        _: Upstream<'_, I>,
        out: &mut VecDeque<Spanned<'a>>,
    ) {
        match ev {
            Event::TaskListMarker(done) => {
                let html = if done {
                    "<input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"done\"/>\n"
                } else {
                    "<input disabled=\"\" type=\"checkbox\" aria-label=\"to do\"/>\n"
                };
                out.push_back((Event::InlineHtml(html.into()), range));
            }
            ev => out.push_back((ev, range)),
        }
    }
}

/// The first pass: ids, headings and what the note tells the study web; no HTML.
pub(crate) fn outline(doc: &Prepared, config: &Config) -> Outline {
    let shared = Shared::default();
    let mut found = Collected::default();
    chain(doc, config, &shared, &mut found, None).for_each(drop);
    let mut facts = found.facts;
    facts.questions = questions::extract(&doc.text, &found.callouts);
    let mut clozes = cloze::cards(&doc.text, &found.callouts);
    for c in &mut clozes {
        c.offset = doc.map.old(c.offset);
    }
    facts.callouts = found.callouts;
    facts.definitions = found.definitions;
    facts.map_offsets(|o| doc.map.old(o));
    let mut headings = found.headings;
    for h in &mut headings {
        h.offset = doc.map.old(h.offset);
    }
    let mut ids = shared.ids.into_inner().into_vec();
    ids.extend(found.html_anchors);
    let mut quizzes = doc.quizzes.clone();
    for q in &mut quizzes {
        q.map_offsets(|o| doc.map.old(o));
    }
    let mut marks = found.marks;
    marks.sort_by_key(|m| m.at);
    Outline {
        headings,
        ids,
        facts,
        tags: found.tags,
        quizzes,
        clozes,
        marks,
    }
}

/// The second pass: HTML, with links resolved and code highlighted.
pub(crate) fn render(doc: &Prepared, env: &Env) -> Rendered {
    let shared = Shared::default();
    let mut found = Collected::default();
    let tags_page = match env.links.resolve(tags::TAGS_PAGE, links::LinkKind::Link) {
        Resolved::Url(url) => Some(url),
        _ => None,
    };
    let mut sinks = RenderSinks {
        env,
        findings: RefCell::new(Vec::new()),
        broken_links: RefCell::new(Vec::new()),
        external: Vec::new(),
        tags_page,
    };
    let mut html_out = String::with_capacity(doc.text.len() * 2);
    let events = chain(doc, env.config, &shared, &mut found, Some(&mut sinks));
    html::push_html(&mut html_out, events.map(|(e, _)| e));
    let mut findings = sinks.findings.into_inner();
    findings.extend(quiz::findings(&doc.quizzes));
    let mut broken_links = sinks.broken_links.into_inner();
    for f in findings.iter_mut().chain(&mut broken_links) {
        f.offset = doc.map.old(f.offset);
    }
    let mut headings = found.headings;
    for h in &mut headings {
        h.offset = doc.map.old(h.offset);
    }
    let mut external = sinks.external;
    for e in &mut external {
        e.1 = doc.map.old(e.1);
    }
    let diagram_sheets = mermaid::share_styles(&mut html_out);
    Rendered {
        code_looks: highlight::looks(&html_out),
        diagram_sheets,
        has_mermaid: code::has_mermaid(&html_out),
        has_math: math::has_math(&html_out),
        has_quiz: !doc.quizzes.is_empty(),
        html: html_out,
        headings,
        findings,
        broken_links,
        external,
    }
}

/// Wide tables scroll inside their own box instead of the page. A column aligned left is
/// written as one with no alignment: the theme sets cells left already, and the
/// `style="text-align: left"` on every cell was some 300 kB of the Databricks guide.
struct TableWrap;

impl<'a> Step<'a> for TableWrap {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        (ev, range): Spanned<'a>,
        _: Upstream<'_, I>,
        out: &mut VecDeque<Spanned<'a>>,
    ) {
        match ev {
            Event::Start(Tag::Table(aligns)) => {
                out.push_back((
                    Event::Html("<div class=\"table-wrap\">".into()),
                    range.clone(),
                ));
                let aligns = aligns
                    .into_iter()
                    .map(|a| match a {
                        pulldown_cmark::Alignment::Left => pulldown_cmark::Alignment::None,
                        other => other,
                    })
                    .collect();
                out.push_back((Event::Start(Tag::Table(aligns)), range));
            }
            Event::End(TagEnd::Table) => {
                out.push_back((ev, range.clone()));
                out.push_back((Event::Html("</div>\n".into()), range));
            }
            _ => out.push_back((ev, range)),
        }
    }
}

/// An adapter left out of a pass passes every event through.
impl<'a, S: Step<'a>> Step<'a> for Option<S> {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        ev: Spanned<'a>,
        upstream: Upstream<'_, I>,
        out: &mut VecDeque<Spanned<'a>>,
    ) {
        match self {
            Some(s) => s.step(ev, upstream, out),
            None => out.push_back(ev),
        }
    }

    fn finish(&mut self, out: &mut VecDeque<Spanned<'a>>) {
        if let Some(s) = self {
            s.finish(out);
        }
    }

    fn handed_out(&mut self, ev: &Spanned<'a>) {
        if let Some(s) = self {
            s.handed_out(ev);
        }
    }

    fn idle(&self) -> bool {
        self.as_ref().is_none_or(|s| s.idle())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::config;

    struct NoLinks;

    impl LinkResolver for NoLinks {
        fn resolve(&self, _: &str, _: links::LinkKind) -> Resolved {
            Resolved::External
        }
    }

    fn both(md: &str, config: &Config) -> (Outline, Rendered) {
        let doc = Prepared::new(&md.into());
        let highlighter = Highlighter::default();
        let env = Env {
            highlighter: &highlighter,
            links: &NoLinks,
            diagrams: config.diagrams,
            config,
            xref: None,
            marks: None,
        };
        (outline(&doc, config), render(&doc, &env))
    }

    #[test]
    fn the_render_pass_replays_the_outline_s_scenario_ids() {
        let config = config();
        let md = "# S\n\n## Sc\n\n## Sc\n\n- Exam tip: need a queue -> SQS\n- Exam tip: need a queue -> SNS\n\n\
                  > [!tip] Tip\n> For decoupling use SQS.\n\n\
                  | Scenario | Service |\n|:--|--:|\n| Store images | ECR |\n| x | |\n| Run `k8s` | EKS |\n\n\
                  | | ECS | EKS |\n|---|---|---|\n| Best for | simple containers | Kubernetes |\n\n\
                  | a | b |\n|---|---|\n| 1 | 2 |\n\n\
                  Exam tip: to store images, use ECR.\n\n1. Use ECS for simple containers\n";
        let doc = Prepared::new(&md.into());
        let outline = outline(&doc, &config);
        assert!(outline.marks.len() >= 4, "{:?}", outline.marks);
        let highlighter = Highlighter::default();
        let env = |marks| Env {
            highlighter: &highlighter,
            links: &NoLinks,
            diagrams: config.diagrams,
            config: &config,
            xref: None,
            marks,
        };
        let read = render(&doc, &env(None));
        let replayed = render(&doc, &env(Some(&outline.marks)));
        assert_eq!(read.html, replayed.html);
        for m in &outline.marks {
            assert!(read.html.contains(&format!("id=\"{}\"", m.id)), "{m:?}");
        }
    }

    #[test]
    fn both_passes_give_every_element_the_same_id() {
        let md = "# Notes\n\n## Tip\n\nExam tip: `x` -> Y\n\n> [!tip] Tip\n> more\n\n\
                  | Scenario | Service |\n|---|---|\n| Store images | ECR |\n\n## Tip\n";
        let (outline, rendered) = both(md, &config());
        assert_eq!(
            outline.ids,
            [
                "notes",
                "tip",
                "exam-tip",
                "tip-1",
                "sc-store-images",
                "tip-2"
            ]
        );
        for id in &outline.ids {
            assert!(
                rendered.html.contains(&format!("id=\"{id}\"")),
                "{id} missing from {}",
                rendered.html
            );
        }
        assert_eq!(outline.facts.scenarios.len(), 1);
        assert_eq!(outline.facts.callouts.len(), 2);
    }

    #[test]
    fn rendering_adds_what_the_outline_does_not_need() {
        let mut config = config();
        config.hard_breaks = true;
        let (_, r) = both("## A\n\none\ntwo\n\n| a |\n|---|\n| b |\n", &config);
        assert!(r.html.contains("<h2 id=\"a\">A</h2>"), "{}", r.html);
        assert!(r.html.contains("one<br />\ntwo"), "{}", r.html);
        assert!(
            r.html.contains("<div class=\"table-wrap\"><table>")
                && r.html.contains("</table>\n</div>"),
            "{}",
            r.html
        );
        assert!(!r.has_mermaid && !r.has_math);
    }

    #[test]
    fn offsets_lead_back_to_the_note() {
        // The un-fenced diagram is fenced before parsing; the heading after it keeps its offset.
        let md = "Intro\n\n┌──┐\n│ab│\n└──┘\n\n## After\n";
        let (outline, rendered) = both(md, &config());
        let after = md.find("## After").unwrap();
        assert_eq!(outline.headings[0].offset, after);
        assert_eq!(rendered.headings[0].offset, after);
    }
}
