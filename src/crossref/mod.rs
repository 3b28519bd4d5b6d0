//! The "when to use what" web: scenarios, comparisons, tips and traps found in every note,
//! answers linked to the sections that define them, and the study pages built from them.

pub(crate) mod deck;
mod kinds;
pub(crate) mod pages;
pub(crate) mod terms;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::index::Index;
use crate::markdown::facts::Scenario;
use crate::markdown::StudyView;
use crate::url::relative;
use pulldown_cmark_escape::{escape_href, escape_html};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;
pub(crate) use terms::Terms;

/// The pages the web adds to the site: (title, URL).
pub(crate) const STUDY_PAGES: &[(&str, &str)] = &[
    ("When to use what", "when-to-use-what.html"),
    ("Flashcards", "flashcards.html"),
    ("Cram sheet", "cram-sheet.html"),
    ("Quiz", "quiz.html"),
    ("Review", "review.html"),
];

/// A scenario placed in the site, its answer's terms found.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) page: usize,
    pub(crate) scenario: Scenario,
    /// The terms in the answer: byte range in it, and the term.
    pub(crate) links: Vec<(Range<usize>, usize)>,
    /// Where no term is named: the URL (site-relative) of the section about the answer or
    /// its kind: the section it sits in when that names it ([`names_own_section`]), else
    /// the term its heading ends with ("processingTime" under "Streaming Triggers").
    pub(crate) about: Option<String>,
}

/// The whole web, built between `Index::build` and rendering.
pub(crate) struct Web {
    pub(crate) terms: Arc<Terms>,
    pub(crate) entries: Vec<Entry>,
    /// Per page: section id (`None` for the whole note) -> entries whose answer names it.
    backlinks: Vec<BTreeMap<Option<String>, Vec<usize>>>,
    /// Per page: the ids of the weak scenarios (a plain word for a choice) that name no
    /// term, so are none; the page's HTML does not carry them.
    dropped: Vec<Vec<String>>,
    glossary: bool,
}

impl Web {
    /// Resolves every answer against the terms; an answer that names nothing the notes
    /// define is a warning at its line. `terms` comes from [`Terms::build`] (a rebuild may
    /// reuse the last one while the site's shape holds).
    pub(crate) fn build(
        config: &Config,
        index: &Index,
        terms: Arc<Terms>,
        diags: &mut Vec<Diagnostic>,
    ) -> Web {
        let mut entries = Vec::new();
        let mut backlinks = vec![BTreeMap::<Option<String>, Vec<usize>>::new(); index.pages.len()];
        let mut dropped = vec![Vec::new(); index.pages.len()];
        let kinds = kinds::Kinds::build(index);
        let listed = listings(index);
        // A kind's section in lower case, made once however many choices it is asked for.
        let mut lowered: HashMap<usize, String> = HashMap::new();
        for (p, placed) in index.pages.iter().enumerate() {
            let page = &placed.page;
            if !is_study_note(index, p) {
                let weak = page.outline.facts.scenarios.iter().filter(|s| s.weak);
                dropped[p].extend(weak.map(|s| s.id.clone()));
                continue;
            }
            for s in &page.outline.facts.scenarios {
                let mut links = terms.find(&s.answer, Some(p), terms::Mode::Answer);
                links.retain(|(r, _)| !is_common_fragment(&s.answer, r.clone()));
                // "Guardrails for content filtering" is a scenario where the site has a
                // term "Guardrails"; "Support for streaming" is a phrase.
                if s.weak && !names_one_term(&s.answer, &links) {
                    dropped[p].push(s.id.clone());
                    continue;
                }
                // "Serverless SQL" is "Serverless SQL Warehouses", not "Serverless" alone.
                let covered: usize = links.iter().map(|(r, _)| r.len()).sum();
                if !links.is_empty() && covered < s.answer.trim().len() {
                    if let Some(t) = terms.by_prefix(&s.answer, Some(p)) {
                        links = vec![(0..s.answer.len(), t)];
                    }
                }
                let heading = page.outline.headings.iter().rfind(|h| h.offset < s.offset);
                let heading_text = heading.map_or("", |h| h.text.as_str());
                if links.is_empty() {
                    if let Some(t) = by_form(&terms, &s.answer, p, heading_text) {
                        links.push((0..s.answer.len(), t));
                    }
                }
                // "Time travel for audit trails", "Z-ORDER with scheduled OPTIMIZE": the
                // choice leads, what follows says how it is used.
                if links.first().is_none_or(|(r, _)| r.start > 0) {
                    if let Some(lead) = lead_choice(&terms, config, &s.answer, p, heading_text) {
                        links.retain(|(_, t)| *t != lead.1);
                        links.insert(0, lead);
                    }
                }
                // "IAM, IAM Identity Center": choices listed; the first written as a name
                // that names a term ("Track models, features" lists no choices). The first
                // item is the lead `lead_choice` tried above.
                if links.is_empty() {
                    links.extend(
                        list_items(&s.answer)
                            .skip(1)
                            .filter(|r| {
                                s.answer[r.clone()]
                                    .starts_with(|c: char| c.is_uppercase() || c == '`')
                            })
                            .find_map(|r| {
                                let t = part_term(
                                    &terms,
                                    config,
                                    &s.answer[r.clone()],
                                    p,
                                    heading_text,
                                )?;
                                Some((r, t))
                            }),
                    );
                }
                // "Full Spot" under "Spot Instance Strategies", `ml.m5.large` under "General
                // Purpose (ml.m5.*)": a choice the section it sits in is about.
                let mut about = heading.filter(|_| links.is_empty()).and_then(|h| {
                    if names_own_section(&s.answer, &h.text) {
                        return Some(format!("{}#{}", placed.url, h.id));
                    }
                    let t = kind_term(&terms, terms::clean_heading(&h.text), p, &h.id)?;
                    // A kind's section names its kinds: "Broadcast Hash" under "Join
                    // Optimization Quick Reference" is not in a "Quick Reference" of commands.
                    let term = &terms.terms[t];
                    let text = lowered.entry(t).or_insert_with(|| {
                        section_text(&index.pages[term.page].page, term.id.as_deref())
                            .to_lowercase()
                    });
                    mentions_every_word(text, &s.answer).then(|| term_url(index, term))
                });
                // "append" under "Output Modes", "Default" under "Streaming Triggers": a
                // word that is an option of the kind its heading names links to the section
                // that explains that kind, when nothing above placed it, or what it matched
                // is a lowercase word's namesake ("update" is not SQL's `UPDATE` there).
                let unplaced = about.is_none()
                    && (links.is_empty() || s.answer.starts_with(|c: char| c.is_lowercase()));
                let option_of = heading
                    .filter(|_| unplaced && is_option(&s.answer))
                    .and_then(|h| kinds.section(index, h, p));
                if let Some((q, id)) = option_of {
                    links.clear();
                    about = Some(format!("{}#{}", index.pages[q].url, id));
                    // The section the row sits in does not list it again.
                    if q != p {
                        backlinks[q]
                            .entry(Some(id))
                            .or_default()
                            .push(entries.len());
                    }
                }
                // `t3.micro` in a table of examples: the section whose table lists it.
                if links.is_empty() && about.is_none() {
                    let own = heading.map(|h| h.id.as_str());
                    about = listed_in(&listed, &s.answer, p, own)
                        .map(|(q, id)| format!("{}#{}", index.pages[q].url, id));
                }
                if links.is_empty() && about.is_none() {
                    diags.push(
                        page.note
                            .warning(
                                s.offset,
                                format!(
                                    "no note defines `{}`, the answer to \"{}\"",
                                    s.answer, s.text
                                ),
                            )
                            .with_help("name a heading after it, or add it to a note's `aliases`")
                            .with_lint(crate::diagnostic::Lint::UndefinedAnswer),
                    );
                }
                // One entry per place: "Comprehend/Rekognition" names two terms of one note.
                let mut seen = Vec::new();
                for (_, t) in &links {
                    let term = &terms.terms[*t];
                    let place = (term.page, term.id.as_deref());
                    if !seen.contains(&place) {
                        seen.push(place);
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
                    about,
                });
            }
        }
        Web {
            terms,
            entries,
            backlinks,
            dropped,
            glossary: config.glossary,
        }
    }

    /// Reserves the study pages' URLs in the index, with every id each will carry, so that
    /// notes can link to them (a note at one of those URLs is an error).
    pub(crate) fn reserve_pages(&self, index: &mut Index, diags: &mut Vec<Diagnostic>) {
        for (_, url) in STUDY_PAGES {
            index.reserve(url, pages::ids(url, self), diags);
        }
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
        term_url(index, &self.terms.terms[t])
    }

    /// An entry's answer as HTML, each known term linked; URLs relative to `from`.
    pub(crate) fn answer_html(&self, index: &Index, e: &Entry, from: &str) -> String {
        let answer = &e.scenario.answer;
        let mut out = String::new();
        let mut last = 0;
        let spans = code_spans(answer);
        for (r, t) in &e.links {
            // A term that is a code span entire links the span; one inside a longer span
            // (`mode="addNewColumns"`) is code, not a mention.
            let r = match spans.iter().find(|s| s.start < r.start && r.end < s.end) {
                Some(s) if s.start + 1 == r.start && r.end + 1 == s.end => s.clone(),
                Some(_) => continue,
                None => r.clone(),
            };
            if r.start < last {
                continue;
            }
            push_inline(&mut out, &answer[last..r.start]);
            let url = relative(from, &self.term_url(index, *t));
            out.push_str("<a href=\"");
            let _ = escape_href(&mut out, &url);
            out.push_str("\">");
            push_inline(&mut out, &answer[r.clone()]);
            out.push_str("</a>");
            last = r.end;
        }
        if let (true, Some(url)) = (e.links.is_empty(), &e.about) {
            out.push_str("<a href=\"");
            let _ = escape_href(&mut out, &relative(from, url));
            out.push_str("\">");
            push_inline(&mut out, answer);
            out.push_str("</a>");
            return out;
        }
        push_inline(&mut out, &answer[last..]);
        out
    }

    /// The URL of an entry's row or item, relative to the site root.
    pub(crate) fn source_url(&self, index: &Index, e: &Entry) -> String {
        format!("{}#{}", index.pages[e.page].url, e.scenario.id)
    }
}

/// Where each table-row identifier is listed: lower-cased identifier -> (page, the id of
/// the section its table sits in).
fn listings(index: &Index) -> HashMap<String, Vec<(usize, String)>> {
    let mut out: HashMap<String, Vec<(usize, String)>> = HashMap::new();
    for (p, placed) in index.pages.iter().enumerate() {
        let outline = &placed.page.outline;
        for (key, at) in &outline.facts.listed {
            let Some(h) = outline.headings.iter().rfind(|h| h.offset < *at) else {
                continue;
            };
            let place = (p, h.id.clone());
            let places = out.entry(key.to_lowercase()).or_default();
            if !places.contains(&place) {
                places.push(place);
            }
        }
    }
    out
}

/// The one section of the answer's page, other than its own (`own`), whose table lists the
/// identifier `answer`; where its page lists it nowhere, the one section of the site that
/// does (`SPOT_WITH_FALLBACK` in "Spot Availability Options"). Several are no answer.
fn listed_in<'a>(
    listed: &'a HashMap<String, Vec<(usize, String)>>,
    answer: &str,
    page: usize,
    own: Option<&str>,
) -> Option<(usize, &'a str)> {
    let places = listed.get(&answer.trim().trim_matches('`').to_lowercase())?;
    let mut here: Vec<&(usize, String)> = places.iter().filter(|(q, _)| *q == page).collect();
    if here.is_empty() {
        here = places.iter().collect();
    } else {
        here.retain(|(_, id)| Some(id.as_str()) != own);
    }
    match here[..] {
        [(q, id)] => Some((*q, id.as_str())),
        _ => None,
    }
}

/// The term an answer names in another form: by its head, another form of its words or a
/// shortening of a kind's first word ("Async" for "Asynchronous Inference"),
/// the answer whole, then without its gloss ("Dense (Semantic)" is "Dense Search" under
/// "Dense vs Sparse vs Hybrid Search"), then by the name the gloss gives
/// ("Pay-per-Token (Foundation Model API)" is "Foundation Model APIs").
fn by_form(terms: &Terms, answer: &str, p: usize, heading: &str) -> Option<usize> {
    let form = |a: &str| {
        terms
            .by_head(a, Some(p), heading)
            .or_else(|| terms.by_stem(a, Some(p)))
    };
    let (bare, gloss) = terms::split_parens(answer.trim());
    let clipped = || terms.by_clipped(answer, Some(p));
    form(answer).or_else(clipped).or_else(|| {
        let gloss = gloss?;
        form(bare).or_else(|| {
            let whole = terms.find(gloss, Some(p), terms::Mode::Answer);
            match whole.as_slice() {
                [(r, t)] if r.len() == gloss.len() => Some(*t),
                _ => form(gloss),
            }
        })
    })
}

/// Where an answer's items lie when it lists choices: "A, B" or "A + B" (not "A/B", which
/// is a name). A lone answer is one item.
fn list_items(answer: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = 0;
    let cuts = answer
        .match_indices([',', '+', ';'])
        .map(|(i, sep)| (i, sep.len()))
        .chain(std::iter::once((answer.len(), 0)));
    cuts.filter_map(move |(i, len)| {
        let (start, end) = (at, i);
        at = i + len;
        let item = &answer[start..end];
        let lead = item.len() - item.trim_start().len();
        let r = start + lead..start + item.trim_end().len();
        (!r.is_empty()).then_some(r)
    })
}

/// The choice an answer's first words name when the rest qualifies it: the words before
/// "for", "with", "+", ",", a dash or a parenthesis, named as a whole.
fn lead_choice(
    terms: &Terms,
    config: &Config,
    answer: &str,
    p: usize,
    heading: &str,
) -> Option<(Range<usize>, usize)> {
    // ASCII lowering keeps every byte where it is, so `end` holds in `answer`.
    let lower = answer.to_ascii_lowercase();
    let end = [
        " for ", " with ", " + ", ", ", " (", " → ", " -> ", " — ", " – ",
    ]
    .iter()
    .filter_map(|c| lower.find(c))
    .min()
    .or_else(|| capitals_then_words(answer))?;
    let lead = answer[..end].trim_end();
    let start = lead.len() - lead.trim_start().len();
    let t = part_term(terms, config, lead.trim_start(), p, heading)?;
    Some((start..end, t))
}

/// Where a first word written as a name ends that plain words follow: "Z-ORDER still
/// works", "OPTIMIZE nightly". Only when every word after it is in lower case.
fn capitals_then_words(answer: &str) -> Option<usize> {
    let answer = answer.trim_end();
    let first = answer.split(' ').next()?;
    let rest = &answer[first.len()..];
    let plain = |w: &str| w.chars().all(|c| c.is_lowercase() || !c.is_alphanumeric());
    let named = crate::words::looks_like_name(first);
    (named && !rest.trim().is_empty() && rest.split_whitespace().all(plain)).then_some(first.len())
}

/// The term one part of an answer names entire: as a name of the site, by the start of a
/// longer one, in another form, as a member of a family ("ml.m5.large" of "ml.m5.*"), or
/// less a vendor word ("AWS IAM").
fn part_term(terms: &Terms, config: &Config, part: &str, p: usize, heading: &str) -> Option<usize> {
    let entire = |part: &str| {
        let found = terms.find(part, Some(p), terms::Mode::Answer);
        let bare = part.trim().trim_matches('`');
        match found.as_slice() {
            [(r, t)] if r.len() >= bare.len() => Some(*t),
            _ => terms
                .by_prefix(part, Some(p))
                .or_else(|| by_form(terms, part, p, heading))
                .or_else(|| terms.by_glob(part, Some(p))),
        }
    };
    entire(part).or_else(|| entire(terms::strip_prefix(part, &config.term_prefixes)?))
}

/// Does one link of `links` cover all of `answer` (its backticks and spacing aside)?
fn names_one_term(answer: &str, links: &[(Range<usize>, usize)]) -> bool {
    let trimmed = answer.trim().trim_matches('`');
    links.len() == 1 && links[0].0.len() >= trimmed.len()
}

/// Is `range` of an answer one common word of a longer name, written as a word ("Merge" of
/// "Sort Merge", "Local" of "Local Shuffle Read", "Workspace" of "Workspace Registry")? The
/// answer names a thing of its own, not the one that word would link to. An acronym or code
/// (`OPTIMIZE`, `` `merge` ``) stays a name.
fn is_common_fragment(answer: &str, range: Range<usize>) -> bool {
    let whole = answer.trim().trim_end_matches(['.', ',', ';']);
    let word = &answer[range.clone()];
    let in_code = code_spans(answer)
        .iter()
        .any(|s| s.start < range.start && range.end < s.end);
    // A neighbour joined by a space or a hyphen makes the word part of a name; "or", "and"
    // or a comma between them lists two choices ("Canary or Linear deployment").
    let joined = |w: Option<&str>| {
        w.is_some_and(|w| w.starts_with(char::is_alphanumeric) && !is_small_word(w))
    };
    let before = answer[..range.start]
        .strip_suffix([' ', '-'])
        .and_then(|b| b.split(|c: char| c.is_whitespace() || c == '-').next_back());
    let after = answer[range.end..]
        .strip_prefix([' ', '-'])
        .and_then(|a| a.split(|c: char| c.is_whitespace() || c == '-').next());
    word.len() < whole.len()
        && (joined(before) || joined(after))
        && !word.contains(char::is_whitespace)
        && !in_code
        && !crate::words::looks_like_name(word)
        && crate::words::all_common(word)
}

/// A word that joins the parts of an answer, not of a name: "or" between two choices, or a
/// word written small inside one ("of", "the").
fn is_small_word(w: &str) -> bool {
    let w = w.to_lowercase();
    ["or", "vs", "versus"].contains(&w.as_str()) || terms::is_small_word(&w)
}

/// Is an answer what an option of a kind is called: one common word ("append", "Default",
/// "Small") or a code-style option (`availableNow`), not a name ("Glue", "KMS") or a
/// description?
fn is_option(answer: &str) -> bool {
    let a = answer.trim().trim_matches('`');
    let camel = a.starts_with(|c: char| c.is_ascii_lowercase())
        && a.chars().any(|c| c.is_ascii_uppercase())
        && a.chars().all(|c| c.is_ascii_alphanumeric());
    // "X-Ray", "Multi-AZ": capitals on every part make a name.
    let hyphenated_name =
        a.contains('-') && a.split('-').all(|w| w.starts_with(char::is_uppercase));
    // `system.billing.usage` is a name, not an option.
    let dotted = a.contains('.');
    !a.is_empty()
        && !hyphenated_name
        && !dotted
        && !a.contains(char::is_whitespace)
        && a.chars().any(char::is_alphabetic)
        && (camel || crate::words::all_common(a))
}

/// The term elsewhere that a scenario's heading names the kind of its choices by: the
/// heading, or its last words ("Tuning Strategies" of "Hyperparameter Tuning Strategies"),
/// where the last is a common word (a kind, not a name: "Storage for ML" is not about
/// "ML"). The heading's own section, and its note as a whole, do not count.
fn kind_term(terms: &Terms, heading: &str, page: usize, own: &str) -> Option<usize> {
    let last = heading.rsplit(' ').next()?;
    if !crate::words::all_common(last) {
        return None;
    }
    let mut suffix = heading;
    loop {
        let found = terms
            .find(suffix, Some(page), terms::Mode::Answer)
            .into_iter()
            .find(|(r, _)| *r == (0..suffix.len()))
            .map(|(_, t)| t)
            .filter(|&t| {
                let term = &terms.terms[t];
                term.page != page || term.id.as_deref().is_some_and(|id| id != own)
            });
        if found.is_some() {
            return found;
        }
        suffix = suffix.split_once(' ')?.1.trim_start();
        // One word ("Modes", "Tables") names too many kinds of thing.
        if !suffix.contains(' ') {
            return None;
        }
    }
}

/// The body of the section `id` of `page` (to the next heading as high or higher), or
/// all of it.
fn section_text<'a>(page: &'a crate::page::Page, id: Option<&str>) -> &'a str {
    let body = &*page.note.body;
    let headings = &page.outline.headings;
    let Some(at) = id.and_then(|id| headings.iter().position(|h| h.id == id)) else {
        return body;
    };
    let start = headings[at].offset.min(body.len());
    let end = crate::markdown::headings::section_end(headings, at, body.len());
    body.get(start..end.max(start)).unwrap_or(body)
}

/// Does `lowered` (a text in lower case) hold every word of `answer`, case aside?
fn mentions_every_word(lowered: &str, answer: &str) -> bool {
    answer
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .all(|w| lowered.contains(&w.to_lowercase()))
}

/// Where `term` is defined, relative to the site root.
fn term_url(index: &Index, term: &terms::Term) -> String {
    let mut url = index.pages[term.page].url.clone();
    if let Some(id) = &term.id {
        url.push('#');
        url.push_str(id);
    }
    url
}

/// Is the section headed `heading` about `answer`: do they share a word that says what
/// the thing is (not "the", not a number), or an identifier's stem (`ml.m5` of
/// `ml.m5.large` in "General Purpose (ml.m5.*)")?
pub(crate) fn names_own_section(answer: &str, heading: &str) -> bool {
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().any(char::is_alphabetic) && w.chars().count() >= 2)
            .map(str::to_lowercase)
            .collect()
    };
    let heading = words(heading);
    let small = [
        "the", "and", "for", "with", "of", "or", "to", "in", "on", "vs", "by", "use", "using",
        "when", "which", "what", "how", "choose", "choosing", "best",
    ];
    let same = |h: &str, w: &str| {
        h == w
            || (h.len() >= 4
                && w.len() >= 4
                && (h.starts_with(w) || w.starts_with(h))
                && h.len().abs_diff(w.len()) <= 3)
    };
    // In "Memory-Optimized vs Compute-Optimized" a word every side has ("optimized") says
    // what is compared, not which: "Storage-optimized" is neither side.
    let sides: Vec<Vec<&String>> = heading
        .split(|w| w == "vs" || w == "versus")
        .map(|side| side.iter().collect())
        .collect();
    let on_every_side =
        |w: &str| sides.len() > 1 && sides.iter().all(|s| s.iter().any(|h| same(h, w)));
    words(answer).iter().any(|w| {
        !small.contains(&w.as_str()) && !on_every_side(w) && heading.iter().any(|h| same(h, w))
    })
}

/// The byte ranges of the `` `code` `` spans in `text`, backticks included, as
/// [`push_inline`] reads them.
fn code_spans(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = text[at..].find('`').map(|i| at + i) {
        let Some(len) = text[open + 1..].find('`').filter(|&l| l > 0) else {
            break;
        };
        out.push(open..open + len + 2);
        at = open + len + 2;
    }
    out
}

/// Text taken from the notes' inline markup (plain text with each code span kept in
/// backticks, as the scenario and fact extractors write it) as HTML: escaped, and each
/// `` `code` `` span a `<code>` element. A lone backtick stays a backtick.
pub(crate) fn push_inline(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let Some(len) = rest[open + 1..].find('`').filter(|&l| l > 0) else {
            break;
        };
        let _ = escape_html(&mut *out, &rest[..open]);
        out.push_str("<code>");
        let _ = escape_html(&mut *out, &rest[open + 1..open + 1 + len]);
        out.push_str("</code>");
        rest = &rest[open + 2 + len..];
    }
    let _ = escape_html(out, rest);
}

/// A practice question as a card's prompt: the label notes put before it (`Question 3
/// (Medium):`, `Scenario:`, `Scenario / Question:`) and the metadata lines that lead it
/// (`Level: Both`, `Type: Deep Dive`: one word, a colon, a short value) left out.
pub(crate) fn question_prompt(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut start = 0;
    while start + 1 < lines.len() && is_metadata(lines[start]) {
        start += 1;
    }
    let kept: Vec<&str> = lines[start..]
        .iter()
        .map(|l| without_label(l))
        .filter(|l| !l.is_empty())
        .collect();
    if kept.is_empty() {
        return text.trim().to_string();
    }
    kept.join("\n")
}

/// The words a question's label is made of.
const LABEL_WORDS: &[&str] = &["question", "scenario", "problem", "q"];

/// `line` without a leading question label and its colon, or a callout title's `Question 3`
/// run into the question.
fn without_label(line: &str) -> &str {
    let Some((head, rest)) = line.split_once(':') else {
        let mut words = line.splitn(3, ' ');
        return match (words.next(), words.next(), words.next()) {
            (Some(w), Some(n), Some(rest))
                if LABEL_WORDS.contains(&w.to_lowercase().as_str())
                    && n.trim_start_matches('#')
                        .chars()
                        .all(|c| c.is_ascii_digit())
                    && !n.is_empty() =>
            {
                rest.trim()
            }
            _ => line,
        };
    };
    // The level or number a label may carry: `(Medium)`, `3`, `#12`.
    let head = match head.find('(') {
        Some(i) if head.trim_end().ends_with(')') => &head[..i],
        _ => head,
    };
    let words: Vec<String> = head
        .split(|c: char| c.is_whitespace() || c == '/')
        .filter(|w| !w.is_empty())
        .filter(|w| {
            !w.trim_start_matches('#')
                .chars()
                .all(|c| c.is_ascii_digit())
        })
        .map(str::to_lowercase)
        .collect();
    let label = !words.is_empty() && words.iter().all(|w| LABEL_WORDS.contains(&w.as_str()));
    if label {
        rest.trim()
    } else {
        line
    }
}

/// `Level: Both` or `Level: Both Type: Deep Dive`: each a capitalised word, a colon and a
/// value of one to three words.
fn is_metadata(line: &str) -> bool {
    let is_key = |w: &str| {
        w.len() > 1
            && w.ends_with(':')
            && w.chars().next().is_some_and(char::is_uppercase)
            && !LABEL_WORDS.contains(&w.trim_end_matches(':').to_lowercase().as_str())
    };
    let mut pairs = 0;
    let mut value = 0;
    for (i, w) in line.split_whitespace().enumerate() {
        if is_key(w) {
            if i > 0 && !(1..=3).contains(&value) {
                return false;
            }
            pairs += 1;
            value = 0;
        } else if i == 0 {
            return false;
        } else {
            value += 1;
        }
    }
    pairs > 0 && (1..=3).contains(&value) && !line.ends_with(['?', '.'])
}

/// [`push_inline`] into a new string.
pub(crate) fn inline_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    push_inline(&mut out, text);
    out
}

/// Files a repository keeps beside its notes: pages of the site, but no source of cards,
/// scenarios or cram-sheet tips.
const REPOSITORY_FILES: &[&str] = &[
    "contributing",
    "changelog",
    "code_of_conduct",
    "code-of-conduct",
    "security",
    "license",
    "licence",
    "claude",
    "agents",
    "translating",
    "contributors",
    "authors",
    "support",
    "governance",
    "pull_request_template",
    "issue_template",
];

/// Is page `p` a study note, not a repository's own file?
pub(crate) fn is_study_note(index: &Index, p: usize) -> bool {
    let rel = &index.pages[p].page.note.rel;
    // The site's front page (a repository's README) says what the notes are and how to
    // use them: its tips are notices about the repository, not about the subject.
    let front_page = !rel.contains('/')
        && ["readme", "index", "_index", "home"].contains(&file_stem(rel).as_str());
    !front_page && !is_repository_file(index, p)
}

/// Is the page one of a repository's own files (CHANGELOG, CONTRIBUTING, a `.github`
/// template)? Its headings ("Added — Export HTML / CSV") name no thing the notes are about.
pub(crate) fn is_repository_file(index: &Index, p: usize) -> bool {
    let rel = &index.pages[p].page.note.rel;
    REPOSITORY_FILES.contains(&file_stem(rel).as_str())
        || rel.starts_with(".github/")
        || rel.contains("/.github/")
}

/// A path's file name less its extension, lower case.
fn file_stem(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.')
        .map_or(name, |(s, _)| s)
        .to_lowercase()
}

/// Is a tip about the repository rather than the subject ("Try the practice quiz live at
/// ...", "Star this repo", "Open the folder as an Obsidian vault")?
pub(crate) fn is_notice(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "repository",
        "this repo",
        "the repo",
        "github.com",
        "pull request",
        "contribut",
        "obsidian",
        "plugin",
        "live at",
        "these notes",
        "star this",
        "open an issue",
        "this site",
        "npm ",
        "pip install",
        // What changed in the notes ("Refreshed for the 2025 blueprint. Terminology
        // updated to current product names").
        "refreshed for",
        "terminology updated",
        "updated to match",
        "this guide",
    ]
    .iter()
    .any(|w| lower.contains(w))
        // "New in the March 2026 blueprint": what the exam's outline added, not a fact.
        || (lower.contains("blueprint")
            && ["new in", "refreshed", "updated"]
                .iter()
                .any(|w| lower.contains(w)))
}

/// The web from one page: what its glossary links and backlink boxes need.
#[derive(Clone, Copy)]
pub(crate) struct PageView<'a> {
    web: &'a Web,
    index: &'a Index,
    page: usize,
}

impl PageView<'_> {
    /// The ids of this page's scenarios that the web dropped (see [`Web::dropped`]).
    pub(crate) fn dropped(&self) -> &[String] {
        &self.web.dropped[self.page]
    }

    fn here(&self) -> &str {
        &self.index.pages[self.page].url
    }

    /// A link from this page to a page's section.
    fn href(&self, page: usize, id: Option<&str>) -> String {
        let mut url = relative(self.here(), &self.index.pages[page].url);
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
}

impl StudyView for PageView<'_> {
    /// A repository's own files (CHANGELOG, CONTRIBUTING) get no glossary links: their
    /// "README" and "workflow" are the repository's, not the subject's.
    fn glossary(&self) -> bool {
        self.web.glossary && !is_repository_file(self.index, self.page)
    }

    fn terms_in(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        self.web
            .terms
            .find(text, Some(self.page), terms::Mode::Prose)
    }

    fn defined_here(&self, t: usize, section: Option<&str>) -> bool {
        let term = &self.web.terms.terms[t];
        term.page == self.page && (term.id.is_none() || term.id.as_deref() == section)
    }

    fn term_href(&self, t: usize) -> String {
        let term = &self.web.terms.terms[t];
        self.href(term.page, term.id.as_deref())
    }

    fn backlinks_box(&self, id: Option<&str>) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_on_what_changed_in_the_notes_is_a_notice() {
        assert!(is_notice(
            "Refreshed for the November 30, 2025 blueprint. Terminology updated to current names."
        ));
        assert!(is_notice(
            "New in the March 2026 blueprint. Governance is now a domain."
        ));
        assert!(!is_notice(
            "Z-ORDER helps queries that filter on high-cardinality columns."
        ));
    }

    #[test]
    fn one_common_word_of_a_longer_answer_is_not_a_mention() {
        let at = |answer: &str, word: &str| {
            let i = answer.find(word).unwrap();
            is_common_fragment(answer, i..i + word.len())
        };
        assert!(at("Sort Merge", "Merge"));
        assert!(at("Local Shuffle Read", "Local"));
        assert!(at("Use Sort-Merge here", "Merge"));
        // Choices listed side by side are each a mention.
        assert!(!at("Canary or Linear deployment", "Canary"));
        assert!(!at("Canary / Linear deployment", "Canary"));
        // The whole answer, an acronym, a name with a digit, code: names.
        assert!(!at("Merge", "Merge"));
        assert!(!at("Z-ORDER with scheduled OPTIMIZE", "OPTIMIZE"));
        assert!(!at("Use S3 buckets", "S3"));
        assert!(!at("call `merge` twice", "merge"));
    }

    #[test]
    fn a_word_every_side_of_a_comparison_has_does_not_name_one() {
        let heading = "Memory-Optimized vs Compute-Optimized";
        assert!(names_own_section("Compute-optimized", heading));
        assert!(!names_own_section("Storage-optimized", heading));
        assert!(names_own_section("Full Spot", "Spot Instance Strategies"));
    }

    #[test]
    fn an_identifier_links_to_the_one_section_that_lists_it() {
        let mut listed: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        listed.insert(
            "t3.micro".into(),
            vec![(0, "general-purpose".into()), (0, "examples".into())],
        );
        listed.insert(
            "m5.large".into(),
            vec![(0, "general-purpose".into()), (0, "memory".into())],
        );
        listed.insert("c5.large".into(), vec![(1, "compute".into())]);
        listed.insert(
            "spot_with_fallback".into(),
            vec![(1, "spot".into()), (2, "spot-options".into())],
        );
        assert_eq!(
            listed_in(&listed, "`t3.micro`", 0, Some("examples")),
            Some((0, "general-purpose"))
        );
        // Two sections list it: either could be meant.
        assert_eq!(listed_in(&listed, "m5.large", 0, Some("examples")), None);
        // Its own note lists it nowhere: the one section of the site that does.
        assert_eq!(
            listed_in(&listed, "c5.large", 0, Some("examples")),
            Some((1, "compute"))
        );
        assert_eq!(listed_in(&listed, "SPOT_WITH_FALLBACK", 0, None), None);
    }

    #[test]
    fn question_prompts_lose_their_labels_and_metadata() {
        assert_eq!(
            question_prompt("Level: Both\nType: Deep Dive\nScenario / Question:\nWhy Delta?"),
            "Why Delta?"
        );
        assert_eq!(
            question_prompt("Question (Easy): A data analyst asks.\nA) one"),
            "A data analyst asks.\nA) one"
        );
        assert_eq!(
            question_prompt("Scenario: A stream lags.\nQuestion 3: What helps?"),
            "A stream lags.\nWhat helps?"
        );
        assert_eq!(
            question_prompt("Level: Both Type: Deep Dive\nWhen CSV?"),
            "When CSV?"
        );
        assert_eq!(
            question_prompt("Question 1 A job has tasks."),
            "A job has tasks."
        );
        assert_eq!(
            question_prompt("Cost: which is cheaper?\nA) x"),
            "Cost: which is cheaper?\nA) x"
        );
        // A question that is itself "Key: value" stays.
        assert_eq!(
            question_prompt("Cost: which is cheaper?"),
            "Cost: which is cheaper?"
        );
        assert_eq!(
            question_prompt("Trade-off: speed versus cost, explain"),
            "Trade-off: speed versus cost, explain"
        );
    }

    #[test]
    fn code_spans_show_as_code_and_the_rest_is_escaped() {
        assert_eq!(
            inline_html("Use `COPY INTO` for <b> & `a<b>`"),
            "Use <code>COPY INTO</code> for &lt;b&gt; &amp; <code>a&lt;b&gt;</code>"
        );
        assert_eq!(inline_html("a lone ` stays"), "a lone ` stays");
        assert_eq!(inline_html("empty `` stays"), "empty `` stays");
    }
    use crate::testing::index;

    const NOTES: &[(&str, &str)] = &[
        (
            "compute.md",
            "# Compute\n\n## ECS\n\nContainers.\n\n## Fargate\n\nServerless containers.\n",
        ),
        (
            "choose.md",
            "# Choose\n\n| Scenario | Service |\n|---|---|\n| Run containers | ECS + Fargate |\n| Paint a fence | Brush |\n",
        ),
    ];

    fn web() -> (Index, Web, Vec<Diagnostic>) {
        web_of(NOTES)
    }

    fn web_of(notes: &[(&str, &str)]) -> (Index, Web, Vec<Diagnostic>) {
        let (_dir, config, index, mut diags) = index(notes);
        let terms = Arc::new(Terms::build(&config, &index));
        let web = Web::build(&config, &index, terms, &mut diags);
        (index, web, diags)
    }

    /// Each scenario's answer of `notes` as the when-to-use-what page writes it.
    #[test]
    fn an_answer_in_another_form_of_a_name_links_to_it() {
        let notes: &[(&str, &str)] = &[
            (
                "monitoring.md",
                "# Model Monitoring\n\nDrift and quality checks on live models.\n\n\
                 ## Memory Optimization\n\nSmaller batches.\n",
            ),
            (
                "tips.md",
                "# Tips\n\n## Picks\n\n| Scenario | Service |\n|---|---|\n\
                 | Drift detection | Model Monitor |\n| Shuffle-heavy | Memory-optimized |\n",
            ),
        ];
        // "Monitor" inflects "Monitoring"; "optimized" is not "Optimization".
        let html = answers(notes);
        assert_eq!(html[0], "<a href=\"monitoring.html\">Model Monitor</a>");
        assert!(!html[1].contains("memory-optimization"), "{}", html[1]);
    }

    #[test]
    fn a_name_in_capitals_links_to_the_note_whose_title_leads_with_it() {
        let notes: &[(&str, &str)] = &[
            (
                "a/zorder.md",
                "# Z-ORDER Indexing and Data Skipping\n\nCo-locates rows.\n\n\
                 ## Z-ORDER Clustering\n\nHow it sorts.\n",
            ),
            (
                "b/optimize.md",
                "# Delta Optimization\n\n## Z-ORDER Syntax\n\nThe statement.\n",
            ),
            (
                "c/tips.md",
                "# Tips\n\n## Decision Table\n\n| Scenario | Pick |\n|---|---|\n\
                 | Stable query patterns | Z-ORDER still works |\n| Old table | Z-ORDER |\n\
                 | New table | Liquid clustering |\n",
            ),
        ];
        // Two notes have sections headed "Z-ORDER ...": the one titled for it is about it.
        let html = answers(notes);
        assert_eq!(
            html[0], "<a href=\"a/zorder.html\">Z-ORDER</a> still works",
            "{html:?}"
        );
        assert_eq!(html[1], "<a href=\"a/zorder.html\">Z-ORDER</a>");
        assert_eq!(capitals_then_words("OPTIMIZE nightly"), Some(8));
        assert_eq!(capitals_then_words("AWS Lambda"), None);
        assert_eq!(capitals_then_words("Use Z-ORDER"), None);
    }

    #[test]
    fn an_answer_with_a_gloss_links_to_the_name_or_the_gloss() {
        let notes: &[(&str, &str)] = &[
            (
                "search.md",
                "# Retrieval\n\n## Dense Search\n\nEmbeddings and vector similarity.\n\n\
                 ## Foundation Model APIs\n\nPay per token for hosted models.\n",
            ),
            (
                "compare.md",
                "# Compare\n\n## Dense vs Sparse vs Hybrid Vector Search\n\n| Scenario | Pick |\n|---|---|\n\
                 | Meaning matters | Dense (Semantic) |\n| Spiky traffic | Pay-per-Token (Foundation Model API) |\n",
            ),
        ];
        let html = answers(notes);
        // The name without its gloss, by its head: "Dense" is "Dense Search".
        assert!(html[0].contains("search.html#dense-search"), "{}", html[0]);
        // The gloss names the term where the name does not.
        assert!(
            html[1].contains("search.html#foundation-model-apis"),
            "{}",
            html[1]
        );
    }

    #[test]
    fn a_title_less_its_word_of_structure_names_the_note() {
        let mut notes: Vec<(String, String)> = ["Streaming", "Spark", "Delta", "Python"]
            .iter()
            .map(|t| {
                let body = format!("# {t} Fundamentals\n\nWhat {t} is, and how it runs.\n");
                // Each in a folder of its own: no folder's titles share the word.
                let t = t.to_lowercase();
                (format!("{t}/{t}.md"), body)
            })
            .collect();
        notes.push((
            "models.md".into(),
            "# Models\n\n## Streaming Inference\n\nScore each micro-batch.\n".into(),
        ));
        notes.push((
            "compare.md".into(),
            "# Compare\n\n| Scenario | Pick |\n|---|---|\n| Live dashboards | Streaming |\n".into(),
        ));
        let notes: Vec<(&str, &str)> = notes
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let html = answers(&notes);
        // "Fundamentals" ends the titles of four notes about four things: "Streaming
        // Fundamentals" is about streaming, which "Streaming Inference" is only a use of.
        assert!(
            html[0].contains("streaming/streaming.html\""),
            "{}",
            html[0]
        );
    }

    #[test]
    fn a_title_of_two_things_names_each_in_any_form() {
        let notes: &[(&str, &str)] = &[
            (
                "rollout/ab.md",
                "# A/B Testing and Canary Deployments\n\nSplit traffic between two models.\n",
            ),
            (
                "compare.md",
                "# Compare\n\n| Scenario | Pick |\n|---|---|\n| Compare outcomes | A/B Test |\n",
            ),
        ];
        let html = answers(notes);
        assert!(html[0].contains("rollout/ab.html\""), "{}", html[0]);
    }

    #[test]
    fn a_kind_links_to_the_section_of_its_kind_only_where_that_names_it() {
        let notes: &[(&str, &str)] = &[
            (
                "commands.md",
                "# Commands\n\n## Quick Reference\n\n| Command | Use |\n|---|---|\n\
                 | `DESCRIBE` | Columns |\n",
            ),
            (
                "tuning.md",
                "# Tuning\n\n## Tuning Strategies\n\nGrid search tries every point; random \
                 search samples them.\n",
            ),
            (
                "picks.md",
                "# Picks\n\n## Join Optimization Quick Reference\n\n| Scenario | Join |\n\
                 |---|---|\n| Small table | Broadcast Hash |\n\n\
                 ## Hyperparameter Tuning Strategies\n\n| Scenario | Strategy |\n|---|---|\n\
                 | Few parameters | Grid Search |\n",
            ),
        ];
        let html = answers(notes);
        assert!(!html[0].contains("commands.html"), "{}", html[0]);
        assert!(
            html[1].contains("tuning.html#tuning-strategies"),
            "{}",
            html[1]
        );
    }

    #[test]
    fn a_bank_of_questions_does_not_define_its_subject() {
        let q =
            |n: usize| format!("## Question {n}\n\nWhich one?\n\nA) One\nB) Two\n\nAnswer: A\n\n");
        let bank = format!("# Practice Questions: MLflow\n\n{}{}{}", q(1), q(2), q(3));
        let notes: &[(&str, &str)] = &[
            ("practice/mlflow.md", &bank),
            (
                "practice/spark.md",
                "# Practice Questions: Spark\n\nSoon.\n",
            ),
            (
                "practice/delta.md",
                "# Practice Questions: Delta\n\nSoon.\n",
            ),
            ("notes/tracking.md", "# Tracking\n\nRuns go to MLflow.\n"),
        ];
        let (_dir, config, index, _) = index(notes);
        let terms = Terms::build(&config, &index);
        let page = |rel: &str| index.pages.iter().position(|p| p.page.note.rel == rel);
        let (bank, other) = (page("practice/mlflow.md"), page("practice/spark.md"));
        assert_eq!(index.pages[bank.unwrap()].page.outline.quizzes.len(), 3);
        let subject = |p| {
            terms
                .terms
                .iter()
                .any(|t| Some(t.page) == p && t.kind == terms::Kind::Subject)
        };
        // The folder's other pages keep theirs ("Spark", its title less the shared words).
        assert!(subject(other));
        assert!(!subject(bank));
    }

    fn answers(notes: &[(&str, &str)]) -> Vec<String> {
        let (index, web, _) = web_of(notes);
        web.entries
            .iter()
            .map(|e| web.answer_html(&index, e, "when-to-use-what.html"))
            .collect()
    }

    #[test]
    fn a_term_in_code_links_the_whole_span_or_nothing() {
        let notes: &[(&str, &str)] = &[
            ("loader.md", "# Loader\n\n## addNewColumns Mode\n\nAdds columns.\n"),
            (
                "choose.md",
                "# Choose\n\n| Scenario | Answer |\n|---|---|\n| Flexible sources | `addNewColumns` |\n\
                 | Evolving sources | `mode=\"addNewColumns\"` |\n",
            ),
        ];
        let html = answers(notes);
        assert_eq!(
            html,
            [
                "<a href=\"loader.html#addnewcolumns-mode\"><code>addNewColumns</code></a>",
                "<code>mode=&quot;addNewColumns&quot;</code>"
            ]
        );
    }

    #[test]
    fn an_option_links_to_the_section_that_explains_its_kind() {
        let notes: &[(&str, &str)] = &[
            (
                "streaming.md",
                "# Streaming\n\n## Output Modes\n\nHow a query writes its rows: only new rows, \
                 the whole result, or the changed rows, each with its own rules.\n\n## Sinks\n\nFiles.\n",
            ),
            ("delta.md", "# Delta\n\n## Append Mode\n\nWrites add files.\n"),
            (
                "compare.md",
                "# Compare\n\n## Output Modes\n\n| Scenario | Answer |\n|---|---|\n\
                 | Immutable data sources | append |\n\n## Tables\n\n| Scenario | Answer |\n|---|---|\n\
                 | Table versions | Delta |\n",
            ),
        ];
        let html = answers(notes);
        // "append" is the kind's option, not Delta's append mode; "Delta" is a name.
        assert_eq!(
            html,
            [
                "<a href=\"streaming.html#output-modes\">append</a>",
                "<a href=\"delta.html\">Delta</a>"
            ]
        );
    }

    #[test]
    fn answers_link_each_term_and_warn_when_none_is_known() {
        let (index, web, diags) = web();
        assert_eq!(web.entries.len(), 2);
        let from = "when-to-use-what.html";
        assert_eq!(
            web.answer_html(&index, &web.entries[0], from),
            "<a href=\"compute.html#ecs\">ECS</a> + <a href=\"compute.html#fargate\">Fargate</a>"
        );
        let warnings: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("no note defines `Brush`")),
            "{warnings:?}"
        );
    }

    #[test]
    fn each_page_sees_its_terms_and_boxes() {
        let (index, web, _) = web();
        let compute = index
            .pages
            .iter()
            .position(|p| p.url == "compute.html")
            .unwrap();
        let view = web.view(&index, compute);
        let found = view.terms_in("Fargate runs it");
        assert_eq!(found.len(), 1);
        let t = found[0].1;
        assert!(view.defined_here(t, Some("fargate")));
        assert!(!view.defined_here(t, Some("ecs")));
        assert_eq!(view.term_href(t), "#fargate");
        let boxed = view.backlinks_box(Some("fargate")).unwrap();
        assert!(boxed.contains("choose.html#sc-run-containers"), "{boxed}");
        assert!(view.backlinks_box(Some("compute")).is_none());
    }
}
