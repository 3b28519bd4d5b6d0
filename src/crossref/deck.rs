//! Every card of the site in one deck, for the review page and the Anki export, and every
//! quiz, for the quiz page. The flashcards (scenarios, tips, traps, practice questions that
//! are no quiz), the quizzes and the cloze cards each get an id made from their note's path
//! and their own content, never their place: a card keeps its review history when other
//! notes, or other parts of its own note, change.

use super::pages::{flashcards, top_section, without_markup};
use super::Web;
use crate::index::Index;
use crate::markdown::cloze;
use crate::markdown::quiz::{fragment_html, Quiz};
use serde::Serialize;
use std::collections::HashMap;

/// A card of the review deck. `front` and `back` are HTML.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Card {
    pub(crate) id: String,
    pub(crate) kind: String,
    pub(crate) section: String,
    /// The title of its note.
    pub(crate) source: String,
    /// Its note's URL (with the anchor nearest the card), from the site root.
    pub(crate) url: String,
    pub(crate) front: String,
    pub(crate) back: String,
    /// A cloze card's text in Anki's syntax (`{{c1::...}}`), as HTML.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cloze: Option<String>,
    /// A quiz card's place among the site's quizzes ([`quizzes`]): its front and back are
    /// made of that quiz.
    #[serde(skip)]
    pub(crate) quiz: Option<usize>,
}

/// One option of a quiz on the quiz page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct QuizOption {
    pub(crate) letter: char,
    pub(crate) html: String,
    /// "All of the above" and its kind stay last when options are shuffled. Written only
    /// when set, as `multi` is: the deck is read by script, where a missing field is false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) pinned: bool,
}

/// A quiz on the quiz page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct QuizEntry {
    pub(crate) id: String,
    pub(crate) section: String,
    pub(crate) source: String,
    pub(crate) url: String,
    pub(crate) stem: String,
    pub(crate) options: Vec<QuizOption>,
    /// The right letters, comma-separated (`B` or `B,D`).
    pub(crate) answer: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) multi: bool,
    pub(crate) explanation: String,
}

/// A short id from a note's path and a card's content.
pub(crate) fn card_id(rel: &str, parts: &[&str]) -> String {
    let mut h = blake3::Hasher::new();
    h.update(rel.as_bytes());
    for p in parts {
        h.update(&[0]);
        h.update(p.as_bytes());
    }
    h.finalize().to_hex()[..16].to_string()
}

/// A card's text as HTML: escaped, its code spans `<code>`, its lines kept, and each
/// line's leading spaces (code's indentation).
fn escaped(text: &str) -> String {
    super::inline_html(text)
        .split('\n')
        .map(|line| {
            let body = line.trim_start_matches(' ');
            "&nbsp;".repeat(line.len() - body.len()) + body
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// The URL of the heading above `offset` in page `p`, from the site root.
fn near(index: &Index, p: usize, offset: usize) -> String {
    let page = &index.pages[p];
    match page
        .page
        .outline
        .headings
        .iter()
        .rfind(|h| h.offset <= offset)
    {
        Some(h) => format!("{}#{}", page.url, h.id),
        None => page.url.clone(),
    }
}

fn pinned(text: &str) -> bool {
    let t = text
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    [
        "all of the above",
        "none of the above",
        "all of these",
        "none of these",
        "both ",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

fn quiz_entry(index: &Index, p: usize, q: &Quiz) -> QuizEntry {
    let page = &index.pages[p];
    let options: Vec<&str> = q.choices.iter().map(|c| c.text.as_str()).collect();
    let mut parts = vec![q.stem.as_str()];
    parts.extend(&options);
    QuizEntry {
        id: card_id(&page.page.note.rel, &parts),
        section: top_section(index, p),
        source: page.title.clone(),
        url: near(index, p, q.start),
        stem: fragment_html(&q.stem),
        options: q
            .choices
            .iter()
            .map(|c| QuizOption {
                letter: c.letter,
                html: inline(&fragment_html(&c.text)),
                pinned: pinned(&c.text),
            })
            .collect(),
        answer: q
            .correct
            .iter()
            .map(char::to_string)
            .collect::<Vec<_>>()
            .join(","),
        multi: q.correct.len() > 1,
        explanation: fragment_html(&q.explanation),
    }
}

/// A one-paragraph fragment without its `<p>`, to sit inside a button.
fn inline(html: &str) -> String {
    let t = html.trim();
    match t.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => t.to_string(),
    }
}

/// Every quiz of the site, in reading order.
pub(crate) fn quizzes(index: &Index) -> Vec<QuizEntry> {
    let mut out = Vec::new();
    for p in reading_order(index) {
        for q in &index.pages[p].page.outline.quizzes {
            out.push(quiz_entry(index, p, q));
        }
    }
    unique(out.iter_mut().map(|q| &mut q.id));
    out
}

/// Two cards of one note with the same text would share an id: the second and later get
/// `-2`, `-3`... (Anki needs every guid once).
fn unique<'a>(ids: impl Iterator<Item = &'a mut String>) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for id in ids {
        let n = seen.entry(id.clone()).or_default();
        *n += 1;
        if *n > 1 {
            id.push_str(&format!("-{n}"));
        }
    }
}

fn reading_order(index: &Index) -> Vec<usize> {
    index
        .order
        .iter()
        .filter_map(|t| match *t {
            crate::index::Target::Page(p) => Some(p),
            crate::index::Target::Section(_) => None,
        })
        .collect()
}

/// The whole deck: scenarios, tips and traps first, then questions, quizzes and cloze
/// cards, page by page. A quiz card's `quiz` is its place in [`quizzes`].
pub(crate) fn cards(web: &Web, index: &Index) -> Vec<Card> {
    let by_url: HashMap<&str, usize> = index
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.url.as_str(), i))
        .collect();
    let mut out = Vec::new();
    for f in flashcards(web, index) {
        let page = f.url.split('#').next().unwrap_or("");
        let rel = by_url
            .get(page)
            .map_or("", |&p| index.pages[p].page.note.rel.as_str());
        let mut front = if f.context.is_empty() {
            escaped(&f.prompt)
        } else {
            format!(
                "<p class=\"rv-context\">{}</p>{}",
                escaped(&f.context),
                escaped(&f.prompt)
            )
        };
        if !f.hints.is_empty() {
            front.push_str(&format!(
                "<p class=\"rv-hint\">{}</p>",
                escaped(&f.hints.join(" · "))
            ));
        }
        out.push(Card {
            id: card_id(rel, &[f.kind, &f.prompt, &f.answer]),
            kind: f.kind.to_string(),
            section: f.section,
            source: f.source,
            url: f.url,
            front,
            back: escaped(&f.answer),
            cloze: None,
            quiz: None,
        });
    }
    let mut quiz = 0;
    for p in reading_order(index) {
        let page = &index.pages[p];
        let outline = &page.page.outline;
        let rel = &page.page.note.rel;
        for q in &outline.facts.questions {
            let covered = outline
                .quizzes
                .iter()
                .any(|z| z.start.saturating_sub(400) <= q.offset && q.offset <= z.answer.end);
            if covered {
                continue;
            }
            // The heading above names the question ("Question 1: Payload Size"); one with no
            // words of its own is asked by it.
            let heading = outline
                .headings
                .iter()
                .rfind(|h| h.offset < q.offset)
                .map_or_else(|| page.title.clone(), |h| without_markup(&h.text));
            let front = if q.prompt.trim().is_empty() {
                escaped(&heading)
            } else {
                format!(
                    "<p class=\"rv-context\">{}</p>{}",
                    escaped(&heading),
                    escaped(&super::question_prompt(&without_markup(&q.prompt)))
                )
            };
            out.push(Card {
                id: card_id(rel, &["question", &q.prompt, &q.answer]),
                kind: "question".into(),
                section: top_section(index, p),
                source: page.title.clone(),
                url: near(index, p, q.offset),
                front,
                back: escaped(&q.answer),
                cloze: None,
                quiz: None,
            });
        }
        for q in &outline.quizzes {
            let e = quiz_entry(index, p, q);
            let mut front = e.stem.clone();
            front.push_str("<ol class=\"rv-options\">");
            for o in &e.options {
                front.push_str(&format!("<li><b>{}</b> {}</li>", o.letter, o.html));
            }
            front.push_str("</ol>");
            let back = format!(
                "<p><strong>Answer: {}</strong></p>{}",
                e.answer.replace(',', ", "),
                e.explanation
            );
            out.push(Card {
                id: e.id,
                kind: "quiz".into(),
                section: e.section,
                source: e.source,
                url: e.url,
                front,
                back,
                cloze: None,
                quiz: Some(quiz),
            });
            quiz += 1;
        }
        for c in &outline.clozes {
            out.push(cloze_card(index, p, &c.text, c.offset));
        }
    }
    // A question bank reused across practice exams asks the same question twice: one card
    // (the first, in reading order) is enough.
    let mut seen = std::collections::HashSet::new();
    out.retain(|c| {
        // The heading above ("Question 3") is no part of what is asked.
        let asked = match c.front.split_once("</p>") {
            Some((context, rest)) if context.starts_with("<p class=\"rv-context\">") => rest,
            _ => &c.front,
        };
        let key: String = asked
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        !matches!(c.kind.as_str(), "question" | "quiz") || seen.insert(key)
    });
    unique(out.iter_mut().map(|c| &mut c.id));
    out
}

/// Stands for a deletion while the text around it is rendered.
const MARK: char = '\u{E000}';

/// A cloze card: the front with each deletion a blank (its hint, if any), the back with
/// each marked.
fn cloze_card(index: &Index, p: usize, text: &str, offset: usize) -> Card {
    let page = &index.pages[p];
    let deletions = cloze::deletions(text);
    let marked = cloze::replace(text, |_| MARK.to_string());
    let rendered = fragment_html(&marked);
    let mut front = String::new();
    let mut back = String::new();
    let mut pieces = rendered.split(MARK);
    if let Some(first) = pieces.next() {
        front.push_str(first);
        back.push_str(first);
    }
    for (d, piece) in deletions.iter().zip(pieces) {
        let blank = match d.hint {
            Some(h) => format!("[{}]", escaped(h)),
            None => "[…]".to_string(),
        };
        front.push_str(&format!("<span class=\"cloze-blank\">{blank}</span>"));
        back.push_str(&format!(
            "<mark class=\"cloze-answer\">{}</mark>",
            inline(&fragment_html(d.answer))
        ));
        front.push_str(piece);
        back.push_str(piece);
    }
    Card {
        id: card_id(&page.page.note.rel, &["cloze", text]),
        kind: "cloze".into(),
        section: top_section(index, p),
        source: page.title.clone(),
        url: near(index, p, offset),
        front,
        back,
        cloze: Some(fragment_html(text)),
        quiz: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::index;
    use std::sync::Arc;

    fn deck(files: &[(&str, &str)]) -> (Index, Vec<Card>) {
        let (_dir, config, index, mut diags) = index(files);
        let terms = Arc::new(crate::crossref::Terms::build(&config, &index));
        let web = Web::build(&config, &index, terms, &mut diags);
        let cards = cards(&web, &index);
        (index, cards)
    }

    const QUIZ: &str = "# A\n\n## Q1\n\nWhich?\n\nA) one\nB) two\n\n> [!success]- Answer\n> **Correct Answer: B**\n>\n> Two it is.\n";

    #[test]
    fn ids_hold_when_other_notes_and_places_change() {
        let (_, one) = deck(&[("a.md", QUIZ)]);
        let moved = format!("# A\n\nNew text first.\n\n## Other\n\n{}", &QUIZ[4..]);
        let (_, two) = deck(&[("a.md", &moved), ("b.md", "# B\n\nA {{c1::cloze}}.\n")]);
        let quiz = |cards: &[Card]| cards.iter().find(|c| c.kind == "quiz").unwrap().id.clone();
        assert_eq!(quiz(&one), quiz(&two));
        let cloze = two.iter().find(|c| c.kind == "cloze").unwrap();
        assert!(cloze.front.contains("cloze-blank"), "{}", cloze.front);
        assert!(!cloze.front.contains("cloze<"), "{}", cloze.front);
        assert!(cloze
            .back
            .contains("<mark class=\"cloze-answer\">cloze</mark>"));
        assert_eq!(cloze.cloze.as_deref(), Some("<p>A {{c1::cloze}}.</p>\n"));
    }

    #[test]
    fn a_question_two_exams_ask_is_one_card() {
        let again = QUIZ
            .replace("# A", "# B")
            .replace("Two it is.", "Still two.");
        let (_, cards) = deck(&[("a.md", QUIZ), ("b.md", &again)]);
        let quizzes: Vec<&Card> = cards.iter().filter(|c| c.kind == "quiz").collect();
        assert_eq!(quizzes.len(), 1);
        assert!(quizzes[0].back.contains("Two it is."));
    }

    #[test]
    fn a_card_keeps_the_indentation_of_code() {
        assert_eq!(
            escaped("def f():\n    return 1"),
            "def f():<br>&nbsp;&nbsp;&nbsp;&nbsp;return 1"
        );
    }

    #[test]
    fn a_quiz_is_not_a_question_card_too() {
        let (_, cards) = deck(&[("a.md", QUIZ)]);
        let kinds: Vec<&str> = cards.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(kinds, ["quiz"]);
        assert!(cards[0].back.contains("Answer: B"));
    }
}
