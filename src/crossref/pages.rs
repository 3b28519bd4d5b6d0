//! What the study pages' templates get: "when to use what" grouped by answer, the
//! flashcard deck, and the cram sheet. All three live at the site root.

use super::Web;
use crate::index::{Index, Target};
use crate::markdown::callouts::{Callout, Role};
use crate::markdown::facts::{Block, ScenarioTable};
use crate::markdown::headings::{Heading, IdSet};
use crate::slug::heading_id;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use unicode_segmentation::UnicodeSegmentation;

/// The ids of the parts of the study pages that notes may link to (`cram-sheet.html#exam-tips`).
const FIXED_IDS: &[(&str, &[&str])] = &[
    ("when-to-use-what.html", &["scenario-filter"]),
    ("flashcards.html", &["flashcards"]),
    (
        "cram-sheet.html",
        &["scenario-tables", "comparisons", "exam-tips", "exam-traps"],
    ),
];

fn fixed_ids(url: &str) -> impl Iterator<Item = &'static str> + '_ {
    FIXED_IDS
        .iter()
        .filter(move |(u, _)| *u == url)
        .flat_map(|(_, ids)| ids.iter().copied())
}

/// Every id a study page will carry, so links to it are checked before it is rendered.
pub(crate) fn ids(url: &str, web: &Web) -> Vec<String> {
    let mut ids: Vec<String> = fixed_ids(url).map(str::to_string).collect();
    if url == "when-to-use-what.html" {
        for g in layout(web) {
            ids.push(g.id);
            ids.extend(g.entries.into_iter().map(|(_, id)| id));
        }
    }
    ids
}

/// One answer's group on the "when to use what" page: its name, the term it links to (if
/// any), its id, and its entries with theirs.
struct Planned {
    answer: String,
    term: Option<usize>,
    /// No term, but a section about it (see [`super::Entry::about`]).
    about: Option<String>,
    id: String,
    entries: Vec<(usize, String)>,
}

/// The groups, by name, every group and entry given a unique id: the group's from its name
/// (`#lake-formation`), the entry's from its scenario's id on its own page (`#sc-...`). An
/// answer's group is the place its first term is defined, named after that place's fullest
/// name, so "KDS" and "Kinesis Data Streams" share one; an answer no note defines is a
/// group of its own, under its own name.
fn layout(web: &Web) -> Vec<Planned> {
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    enum Key {
        Place(usize, Option<String>),
        Named(String),
    }
    let mut groups: BTreeMap<Key, Planned> = BTreeMap::new();
    for (i, e) in web.entries.iter().enumerate() {
        let (key, answer, term) = match e.links.first() {
            Some(&(_, t)) => {
                let term = &web.terms.terms[t];
                (
                    Key::Place(term.page, term.id.clone()),
                    term.name.clone(),
                    Some(t),
                )
            }
            None => {
                let answer = e.scenario.answer.trim().to_string();
                (Key::Named(answer.to_lowercase()), answer, None)
            }
        };
        let group = groups.entry(key).or_insert_with(|| Planned {
            answer: answer.clone(),
            term,
            about: None,
            id: String::new(),
            entries: Vec::new(),
        });
        // The fullest direct name of the place names the group.
        if let (Some(new), Some(old)) = (term, group.term) {
            let (n, o) = (&web.terms.terms[new], &web.terms.terms[old]);
            if (!n.derived, n.kind, n.name.len()) > (!o.derived, o.kind, o.name.len()) {
                group.answer = n.name.clone();
                group.term = Some(new);
            }
        }
        if term.is_none() && group.about.is_none() {
            group.about.clone_from(&e.about);
        }
        group.entries.push((i, String::new()));
    }
    let mut groups: Vec<Planned> = groups.into_values().collect();
    groups.sort_by_cached_key(|g| (g.answer.to_lowercase(), g.term.is_none()));
    let mut taken = IdSet::for_page();
    for id in fixed_ids("when-to-use-what.html") {
        taken.claim(id);
    }
    for g in &mut groups {
        g.id = taken.claim(&heading_id(&g.answer));
    }
    for g in &mut groups {
        for (e, id) in &mut g.entries {
            *id = taken.claim(&web.entries[*e].scenario.id);
        }
    }
    groups
}

#[derive(Serialize)]
pub(crate) struct WhenToUse {
    groups: Vec<Group>,
    count: usize,
}

#[derive(Serialize)]
struct Group {
    answer: String,
    /// The answer as HTML.
    answer_html: String,
    url: Option<String>,
    id: String,
    entries: Vec<EntryCtx>,
}

#[derive(Serialize)]
struct EntryCtx {
    id: String,
    /// HTML.
    scenario: String,
    answer_html: String,
    source_title: String,
    source_url: String,
    section: String,
}

/// A scenario, tip or trap as a card (the deck adds questions, quizzes and clozes).
pub(crate) struct FlashCard {
    pub(crate) kind: &'static str,
    /// Where the card's fact sits: the heading above a tip or trap, the note and heading
    /// of a scenario's table.
    pub(crate) context: String,
    pub(crate) prompt: String,
    /// The other cells of a scenario's table row, with their headers ("vCPU 16", "Memory
    /// 128 GB"): what tells "Very large datasets" from "Large datasets" in a table of sizes.
    pub(crate) hints: Vec<String>,
    pub(crate) answer: String,
    pub(crate) source: String,
    pub(crate) url: String,
    pub(crate) section: String,
}

#[derive(Serialize)]
pub(crate) struct CramSheet {
    tables: Vec<CramBlock>,
    comparisons: Vec<CramBlock>,
    tips: Vec<CramNote>,
    traps: Vec<CramNote>,
}

/// A table or comparison on the cram sheet; its title and cells are HTML (the notes' code
/// spans kept).
#[derive(Serialize)]
struct CramBlock {
    title: String,
    url: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    pre: Option<String>,
}

/// Cells as HTML: header and rows.
fn cells_html(mut rows: Vec<Vec<String>>) -> (Vec<String>, Vec<Vec<String>>) {
    for row in &mut rows {
        for cell in row.iter_mut() {
            *cell = super::inline_html(cell);
        }
    }
    let header = if rows.is_empty() {
        Vec::new()
    } else {
        rows.remove(0)
    };
    (header, rows)
}

#[derive(Serialize)]
struct CramNote {
    title: String,
    source: String,
    url: String,
    /// HTML.
    text: String,
}

/// The top folder a page is in, for filtering (the site title for root notes).
pub(crate) fn top_section(index: &Index, page: usize) -> String {
    let mut s = index.pages[page].section;
    while let Some(parent) = index.sections[s].parent {
        if index.sections[parent].parent.is_none() {
            return index.title(index.section_target(s)).to_string();
        }
        s = parent;
    }
    index.site_title.clone()
}

fn anchored(index: &Index, page: usize, id: Option<&str>) -> String {
    let url = index.url(Target::Page(page)).to_string();
    match id {
        Some(id) => format!("{url}#{id}"),
        None => url,
    }
}

pub(crate) fn when_to_use(web: &Web, index: &Index, from: &str) -> WhenToUse {
    let groups = layout(web)
        .into_iter()
        .map(|g| Group {
            url: g.term.map(|t| web.term_url(index, t)).or(g.about),
            answer_html: super::inline_html(&g.answer),
            answer: g.answer,
            id: g.id,
            entries: g
                .entries
                .into_iter()
                .map(|(i, id)| {
                    let e = &web.entries[i];
                    EntryCtx {
                        id,
                        scenario: super::inline_html(&e.scenario.text),
                        answer_html: web.answer_html(index, e, from),
                        source_title: index.pages[e.page].title.clone(),
                        source_url: web.source_url(index, e),
                        section: top_section(index, e.page),
                    }
                })
                .collect(),
        })
        .collect();
    WhenToUse {
        count: web.entries.len(),
        groups,
    }
}

/// The scenarios, tips and traps of the site as cards.
pub(crate) fn flashcards(web: &Web, index: &Index) -> Vec<FlashCard> {
    let mut cards = Vec::new();
    // Per page, made when a scenario of it first asks.
    let mut rows_of: HashMap<usize, RowsByCell> = HashMap::new();
    for e in &web.entries {
        // The heading above says what kind of choice it is ("Column mapping modes"), the
        // note's title what it is about ("AWS Glue · Job Types").
        let title = &index.pages[e.page].title;
        let context = match topic_heading(index, e.page, e.scenario.offset) {
            Some(h) if !h.text.to_lowercase().contains(&title.to_lowercase()) => {
                format!("{title} · {}", h.text)
            }
            Some(h) => h.text.clone(),
            None => title.clone(),
        };
        // "Automatic scaling" under "Management" asking for "AWS Auto Scaling", or
        // "Athena" under "Amazon Athena": the front gives the answer away.
        if given_away(
            &e.scenario.answer,
            &format!("{context} {}", e.scenario.text),
        ) {
            continue;
        }
        let rows = rows_of
            .entry(e.page)
            .or_insert_with(|| RowsByCell::of(&index.pages[e.page].page.outline.facts.tables));
        cards.push(FlashCard {
            kind: "scenario",
            context,
            hints: rows.hints(&e.scenario.text, &e.scenario.answer),
            prompt: e.scenario.text.clone(),
            answer: e.scenario.answer.clone(),
            source: index.pages[e.page].title.clone(),
            url: web.source_url(index, e),
            section: top_section(index, e.page),
        });
    }
    for (p, page) in index.pages.iter().enumerate() {
        if !super::is_study_note(index, p) {
            continue;
        }
        let facts = &page.page.outline.facts;
        let tips = || {
            facts
                .callouts
                .iter()
                .filter(|c| c.role != Role::Other && !super::is_notice(&c.text))
        };
        // A tip that states scenarios is already on their cards.
        let stated: Vec<&str> = facts
            .scenarios
            .iter()
            .filter(|s| s.role.is_some())
            .filter_map(|s| tips().rfind(|c| c.offset <= s.offset))
            .map(|c| c.id.as_str())
            .collect();
        for c in tips().filter(|c| !stated.contains(&c.id.as_str())) {
            let kind = if c.role == Role::Tip { "tip" } else { "trap" };
            let url = anchored(index, p, Some(&c.id));
            let title = &index.pages[p].title;
            let context =
                topic_heading(index, p, c.offset).map_or_else(|| title.clone(), |h| h.text.clone());
            // A tip with nothing to blank makes no question.
            let Some((prompt, answer)) = cloze(web, c, &context, p) else {
                continue;
            };
            // "Exam Tips" says what the tips are, not what they are about: the note does.
            let shown = if says_tips(&context) && !context.contains(title.as_str()) {
                format!("{title} · {context}")
            } else {
                context
            };
            cards.push(FlashCard {
                kind,
                prompt,
                context: shown,
                hints: Vec::new(),
                answer,
                source: index.pages[p].title.clone(),
                url,
                section: top_section(index, p),
            });
        }
    }
    cards
}

/// The heading that says what a card from `offset` of page `p` is about: the one above
/// it, or where that heads a part of an answer ("Example Answer", "Key Points to Cover"),
/// the heading above that one, which asks the question.
fn topic_heading(index: &Index, p: usize, offset: usize) -> Option<&Heading> {
    let headings = &index.pages[p].page.outline.headings;
    let before = headings.partition_point(|h| h.offset < offset);
    let mut within = u8::MAX;
    for h in headings[..before].iter().rev() {
        if h.level >= within {
            continue;
        }
        if !is_answer_part(&h.text) {
            return Some(h);
        }
        within = h.level;
    }
    None
}

/// Does a heading name the kind of advice under it ("Exam Tips", "Key Takeaways", "Common
/// Pitfalls") rather than its subject?
fn says_tips(heading: &str) -> bool {
    let t = heading.to_lowercase();
    // Whole words: "Multiple Choice" holds "tip" but names no tips.
    let kinds = [
        "tip",
        "tips",
        "trap",
        "traps",
        "takeaway",
        "takeaways",
        "pitfall",
        "pitfalls",
        "gotcha",
        "gotchas",
        "summary",
        "remember",
    ];
    t.split(|c: char| !c.is_alphanumeric())
        .any(|w| kinds.contains(&w))
        || t.contains("key point")
}

/// Does a heading name a part of an answer rather than a topic?
fn is_answer_part(heading: &str) -> bool {
    let t = heading.trim().trim_end_matches(':').to_lowercase();
    let parts = [
        "example answer",
        "sample answer",
        "model answer",
        "short answer",
        "answer framework",
        "key points",
        "follow-up questions",
    ];
    t == "answer" || parts.iter().any(|w| t.starts_with(w))
}

/// A prompt without callout markup (`[!question] Question 1` is "Question 1").
pub(crate) fn without_markup(text: &str) -> String {
    let t = text.trim();
    let t = match t.strip_prefix("[!") {
        Some(rest) => rest
            .split_once(']')
            .map_or(rest, |(_, after)| after)
            .trim_start_matches(['-', '+'])
            .trim(),
        None => t,
    };
    t.to_string()
}

/// What stands in for the blanked term on a card.
const BLANK: &str = "_____";

/// The rows of a page's scenario tables (the extractor's plain text, header row first) by
/// the text of each of their cells, lower case and out of code ticks.
struct RowsByCell<'a> {
    tables: &'a [ScenarioTable],
    /// A cell's text: the tables and rows holding it.
    rows: HashMap<String, Vec<(usize, usize)>>,
}

impl<'a> RowsByCell<'a> {
    fn of(tables: &'a [ScenarioTable]) -> RowsByCell<'a> {
        let mut rows: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (t, table) in tables.iter().enumerate() {
            for (r, row) in table.rows.iter().enumerate().skip(1) {
                for cell in row {
                    rows.entry(cell_key(cell)).or_default().push((t, r));
                }
            }
        }
        RowsByCell { tables, rows }
    }

    /// The other cells of the row that holds `need` and `answer`, each after its column's
    /// header ("Memory: 128 GB"). None where no row holds both, the table has two columns,
    /// or a cell names a word of the answer (it would give it away).
    fn hints(&self, need: &str, answer: &str) -> Vec<String> {
        /// At most this many hints, each at most this many characters.
        const HINTS: usize = 3;
        const HINT_CHARS: usize = 40;
        let (need, answer_key) = (cell_key(need), cell_key(answer));
        let found = self
            .rows
            .get(&need)
            .into_iter()
            .flatten()
            .find_map(|&(t, r)| {
                let (header, row) = (&self.tables[t].rows[0], &self.tables[t].rows[r]);
                let n = row.iter().position(|c| cell_key(c) == need)?;
                let a = row.iter().position(|c| cell_key(c) == answer_key)?;
                Some((header, row, n, a))
            });
        let Some((header, row, n, a)) = found else {
            return Vec::new();
        };
        if header.len() != row.len() || row.len() < 3 {
            return Vec::new();
        }
        let shares_a_word = |cell: &str| {
            let lower = cell.to_lowercase();
            answer
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 3)
                .any(|w| lower.contains(&w.to_lowercase()))
        };
        let hints: Vec<String> = row
            .iter()
            .zip(header)
            .enumerate()
            .filter(|&(i, (cell, _))| i != n && i != a && !cell.is_empty())
            .map(|(_, (cell, head))| {
                let (cell, head) = (one_code_span(cell), one_code_span(head));
                if head.is_empty() {
                    cell.to_string()
                } else {
                    format!("{head}: {cell}")
                }
            })
            .collect();
        let fits = hints.len() <= HINTS
            && hints
                .iter()
                .all(|h| h.chars().count() <= HINT_CHARS && !shares_a_word(h));
        if fits {
            hints
        } else {
            Vec::new()
        }
    }
}

/// A cell as [`RowsByCell`] keys it.
fn cell_key(cell: &str) -> String {
    cell.trim().trim_matches('`').to_lowercase()
}

/// A cell that is one code span, as its text ("`failOnNewColumns`"); any other as it is
/// ("`a` and `b`").
fn one_code_span(cell: &str) -> &str {
    cell.strip_prefix('`')
        .and_then(|c| c.strip_suffix('`'))
        .filter(|c| !c.contains('`'))
        .unwrap_or(cell)
}

/// Does `front` name every word of `answer` (less a vendor's prefix), each word or a
/// longer form of it ("Auto" in "Automatic")?
fn given_away(answer: &str, front: &str) -> bool {
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_lowercase)
            .collect()
    };
    let front = words(front);
    let named: Vec<String> = words(answer)
        .into_iter()
        .filter(|w| w != "aws" && w != "amazon")
        .collect();
    !named.is_empty()
        && named.iter().all(|w| {
            front
                .iter()
                .any(|f| f == w || (w.len() >= 4 && f.starts_with(w.as_str())))
        })
}

/// A tip or trap as a card: the prompt (its key term blanked) and the answer. The key term
/// is the first term the site defines that the tip names and its heading does not (that
/// would give it away), else its bold text; with neither, there is no question. A tip of
/// several lines or sentences makes its card of the one holding the key term, so the card
/// asks one thing; a sentence that points at files or links asks nothing.
fn cloze(web: &Web, c: &Callout, heading: &str, page: usize) -> Option<(String, String)> {
    let heading = heading.to_lowercase();
    // A line that ends in a colon keeps what follows it (its list) in its unit.
    let lead_in = c
        .text
        .lines()
        .scan(0, |at, line| {
            let start = *at;
            *at += line.len() + 1;
            Some((start, line))
        })
        .find(|(_, line)| line.trim_end().ends_with(':'))
        .map_or(c.text.len(), |(start, _)| start);
    let (before, listed) = c.text.split_at(lead_in);
    let units: Vec<&str> = before
        .lines()
        .flat_map(|line| line.split_sentence_bounds())
        .chain((!listed.trim().is_empty()).then_some(listed))
        .map(str::trim)
        // A lead-in whose list or code the tip does not hold asks about nothing.
        .filter(|u| !u.is_empty() && !u.ends_with(':') && !points_elsewhere(u))
        .collect();
    for unit in &units {
        let found = web.terms.find(unit, Some(page), super::terms::Mode::Prose);
        // A blank that takes half the sentence leaves nothing to recall it by.
        let key = found
            .iter()
            .filter(|(r, _)| r.len() * 2 < unit.len())
            .map(|(_, t)| *t)
            .find(|&t| !heading.contains(&web.terms.terms[t].name.to_lowercase()));
        if let Some(t) = key {
            let mut out = String::new();
            let mut last = 0;
            for (r, _) in found.iter().filter(|(_, u)| *u == t) {
                out.push_str(&unit[last..r.start]);
                out.push_str(BLANK);
                last = r.end;
            }
            out.push_str(&unit[last..]);
            return Some((out, unit.to_string()));
        }
    }
    // Else a short bold phrase, blanked where it stands as whole words.
    let bold: Vec<&str> = c
        .strong
        .iter()
        .map(|b| b.trim().trim_end_matches(':').trim())
        .filter(|b| !b.is_empty() && !b.eq_ignore_ascii_case(&c.title))
        .filter(|b| b.split_whitespace().count() <= 5)
        // "made **after** it's enabled": a word that common is emphasis, not a fact.
        .filter(|b| !b.split_whitespace().all(crate::words::is_basic))
        .collect();
    units.iter().find_map(|unit| {
        let at = bold.iter().find_map(|b| {
            let at = unit.find(b)?;
            // "_____ by default." leaves too little to recall it by.
            let left = unit
                .split_whitespace()
                .count()
                .saturating_sub(b.split_whitespace().count());
            (b.len() * 2 < unit.len() && left >= 3 && super::terms::is_word(unit, at, at + b.len()))
                .then_some(at..at + b.len())
        })?;
        let prompt = format!("{}{BLANK}{}", &unit[..at.start], &unit[at.end..]);
        Some((prompt, unit.to_string()))
    })
}

/// A sentence about where to read on (a file path, a URL): no fact to learn from it.
fn points_elsewhere(sentence: &str) -> bool {
    sentence.contains(".md") || sentence.contains("://")
}

pub(crate) fn cram_sheet(index: &Index) -> CramSheet {
    let mut sheet = CramSheet {
        tables: Vec::new(),
        comparisons: Vec::new(),
        tips: Vec::new(),
        traps: Vec::new(),
    };
    for &t in &index.order {
        let Target::Page(p) = t else { continue };
        if !super::is_study_note(index, p) {
            continue;
        }
        let facts = &index.pages[p].page.outline.facts;
        let title = &index.pages[p].title;
        for table in &facts.tables {
            let (header, rows) = cells_html(table.rows.clone());
            sheet.tables.push(CramBlock {
                title: super::inline_html(title),
                url: anchored(index, p, table.id.as_deref()),
                header,
                rows,
                pre: None,
            });
        }
        for c in &facts.comparisons {
            let (header, rows, pre) = match &c.body {
                Some(Block::Table(rows)) => {
                    let (header, rows) = cells_html(rows.clone());
                    (header, rows, None)
                }
                Some(Block::Pre(text)) => (Vec::new(), Vec::new(), Some(text.clone())),
                None => (Vec::new(), Vec::new(), None),
            };
            sheet.comparisons.push(CramBlock {
                title: super::inline_html(&c.title),
                url: anchored(index, p, c.id.as_deref()),
                header,
                rows,
                pre,
            });
        }
        for c in facts.callouts.iter().filter(|c| !super::is_notice(&c.text)) {
            let note = CramNote {
                title: c.title.clone(),
                source: title.clone(),
                url: anchored(index, p, Some(&c.id)),
                text: super::inline_html(&c.text),
            };
            match c.role {
                Role::Tip => sheet.tips.push(note),
                Role::Trap => sheet.traps.push(note),
                Role::Other => {}
            }
        }
    }
    sheet
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_card_carries_the_other_cells_of_its_row() {
        let table = |rows: &[&[&str]]| ScenarioTable {
            id: None,
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        };
        let sizes = [table(&[
            &["Instance", "vCPU", "Memory", "Use Case"],
            &["ml.r5.xlarge", "4", "32 GB", "Large datasets"],
            &["`ml.r5.4xlarge`", "16", "128 GB", "Very large datasets"],
        ])];
        let rows = RowsByCell::of(&sizes);
        assert_eq!(
            rows.hints("Very large datasets", "ml.r5.4xlarge"),
            ["vCPU: 16", "Memory: 128 GB"]
        );
        // A row that does not hold the answer is not the scenario's.
        assert!(rows.hints("Very large datasets", "ml.r5.xlarge").is_empty());
        // A cell that names the answer would give it away: no hints at all.
        let why = [table(&[
            &["Need", "Pick", "Why"],
            &["Streams", "Kinesis", "Kinesis scales"],
        ])];
        assert!(RowsByCell::of(&why).hints("Streams", "Kinesis").is_empty());
        // Two columns have nothing else to say.
        let two = [table(&[&["Need", "Pick"], &["Streams", "Kinesis"]])];
        assert!(RowsByCell::of(&two).hints("Streams", "Kinesis").is_empty());
    }

    #[test]
    fn a_cell_of_one_code_span_shows_its_text() {
        assert_eq!(one_code_span("`failOnNewColumns`"), "failOnNewColumns");
        assert_eq!(one_code_span("`a` and `b`"), "`a` and `b`");
        assert_eq!(one_code_span("Default"), "Default");
    }
    use crate::testing::index;
    use std::sync::Arc;

    #[test]
    fn a_front_that_names_the_answer_gives_it_away() {
        assert!(given_away(
            "AWS Auto Scaling",
            "In-Scope AWS Services · Management Automatic scaling"
        ));
        assert!(given_away(
            "Athena",
            "Amazon Athena · Use cases Ad-hoc SQL on S3"
        ));
        assert!(!given_away(
            "SageMaker Pipelines",
            "MLOps End-to-end ML workflows"
        ));
        assert!(!given_away(
            "CodePipeline",
            "Orchestrate the full CI/CD pipeline"
        ));
    }

    fn built(files: &[(&str, &str)]) -> (Index, Web) {
        let (_dir, config, index, mut diags) = index(files);
        let terms = Arc::new(crate::crossref::Terms::build(&config, &index));
        let web = Web::build(&config, &index, terms, &mut diags);
        (index, web)
    }

    #[test]
    fn a_card_in_an_answer_is_about_the_question_above() {
        let (index, web) = built(&[(
            "a.md",
            "# Interview\n\n## Question 4: UDFs\n\n### Key Points\n\nFast.\n\n\
             ### Example Answer\n\n| Use Case | Choice |\n|---|---|\n\
             | Always first choice | Native functions |\n",
        )]);
        let cards = flashcards(&web, &index);
        let card = cards.iter().find(|c| c.kind == "scenario").unwrap();
        assert_eq!(card.context, "Interview · Question 4: UDFs");
    }

    #[test]
    fn tip_cards_blank_a_term_the_heading_does_not_name() {
        let (index, web) = built(&[
            (
                "a.md",
                "# A\n\n## Glue\n\nETL.\n\n## Storage\n\nExam tip: Glue writes to S3 fast.\n",
            ),
            ("b.md", "# B\n\n## S3\n\nObjects.\n"),
        ]);
        let cards = flashcards(&web, &index);
        let tip = cards.iter().find(|c| c.kind == "tip").unwrap();
        // "Glue" opening a sentence is a word; "S3" is a name.
        assert_eq!(tip.prompt, "Glue writes to _____ fast.");
        assert_eq!(tip.context, "Storage");
        let (index, web) = built(&[
            (
                "a.md",
                "# Glue Jobs\n\n## Exam Tips\n\nExam tip: Glue writes to S3 fast.\n",
            ),
            ("b.md", "# B\n\n## S3\n\nObjects.\n"),
        ]);
        let cards = flashcards(&web, &index);
        let tip = cards.iter().find(|c| c.kind == "tip").unwrap();
        assert_eq!(tip.context, "Glue Jobs · Exam Tips");
        assert_eq!(tip.url, "a.html#exam-tip");
    }

    #[test]
    fn a_long_tip_asks_about_the_sentence_holding_its_term() {
        let (index, web) = built(&[
            (
                "a.md",
                "# A\n\n## Glue\n\nETL.\n\n## Storage\n\n> [!tip]\n> Read the other note in ../b.md first. \
                 Nothing here is named. Glue writes to S3 fast.\n",
            ),
            ("b.md", "# B\n\n## S3\n\nObjects.\n"),
        ]);
        let cards = flashcards(&web, &index);
        let tip = cards.iter().find(|c| c.kind == "tip").unwrap();
        assert_eq!(tip.prompt, "Glue writes to _____ fast.");
        assert_eq!(tip.answer, "Glue writes to S3 fast.");
    }

    #[test]
    fn a_bold_word_that_common_is_not_blanked_but_a_bold_name_is() {
        let (index, web) = built(&[(
            "a.md",
            "# A\n\n## Feeds\n\nExam tip: changes are tracked only **after** it is enabled.\n\n\
             ## Tables\n\nExam tip: the table keeps its **transaction log** beside the files.\n",
        )]);
        let cards = flashcards(&web, &index);
        let prompts: Vec<&str> = cards
            .iter()
            .filter(|c| c.kind == "tip")
            .map(|c| c.prompt.as_str())
            .collect();
        assert_eq!(prompts, ["the table keeps its _____ beside the files."]);
    }

    #[test]
    fn groups_and_entries_get_unique_ids() {
        let (_, web) = built(&[(
            "a.md",
            "# A\n\n## Content\n\nx\n\n| Scenario | Service |\n|---|---|\n| one | Content |\n| two | Content |\n| three | Nothing known |\n",
        )]);
        let ids = ids("when-to-use-what.html", &web);
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(ids.len(), unique.len(), "{ids:?}");
        // A group named like a theme id takes another.
        assert!(ids.contains(&"content-1".to_string()), "{ids:?}");
        assert!(ids.contains(&"sc-one".to_string()), "{ids:?}");
    }
}
