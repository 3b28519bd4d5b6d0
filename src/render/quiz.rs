//! What the flashcards, quiz and review pages get, and the deck they load (from which the
//! flashcards page makes the Anki exports, `flashcards.txt` and `flashcards.csv`).

use crate::content::Content;
use crate::crossref::deck::{self, Card, QuizEntry};
use crate::crossref::Web;
use crate::index::Index;
use crate::slug::heading_id;
use serde::Serialize;

/// Where the deck is written: one script that the flashcards, quiz and review pages load
/// (a `<script>` element, so it works from `file://`), instead of a copy in each page.
pub(crate) const DECK_FILE: &str = "static/study/deck.js";

/// What the flashcards, quiz and review pages get: the deck is not in the page, the
/// sections (for the filter) and the count are.
#[derive(Serialize)]
pub(crate) struct StudyPage {
    deck: &'static str,
    sections: Vec<String>,
    storage_key: String,
    count: usize,
}

fn sections<'a>(all: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut s: Vec<String> = all.cloned().collect();
    s.sort();
    s.dedup();
    s
}

/// Browsers keep a site's storage by origin, and every `file://` page may share one:
/// the key names the site.
fn storage_key(index: &Index, what: &str) -> String {
    format!("studysite:{}:{what}", index.site_title)
}

/// The deck and the quizzes, for the study pages and the Anki export.
pub(crate) struct Study {
    pub(crate) cards: Vec<Card>,
    pub(crate) quizzes: Vec<QuizEntry>,
}

impl Study {
    pub(crate) fn build(web: &Web, index: &Index) -> Study {
        Study {
            cards: deck::cards(web, index),
            quizzes: deck::quizzes(index),
        }
    }

    pub(crate) fn page(&self, index: &Index, url: &str) -> StudyPage {
        let (what, count, sections) = match url {
            "quiz.html" => (
                "quiz",
                self.quizzes.len(),
                sections(self.quizzes.iter().map(|q| &q.section)),
            ),
            _ => (
                url.trim_end_matches(".html"),
                self.cards.len(),
                sections(self.cards.iter().map(|c| &c.section)),
            ),
        };
        StudyPage {
            deck: DECK_FILE,
            sections,
            storage_key: storage_key(index, what),
            count,
        }
    }

    /// `static/study/deck.js`: `window.studysiteDeckData`, with the site's title, each
    /// section's tag (for the CSV export), the pages the deck comes from, every quiz, and
    /// every card. Each item names its page (`p`: URL, note title and section, written once
    /// for all of a page's items, a fifth of the deck) and the anchor on it (`at`); a quiz
    /// card names its quiz (`q`) instead of holding a copy of it; an option is `[letter,
    /// html]`, with a third `1` when it stays last. static/deck.js gives them back whole.
    pub(crate) fn file<'a>(&'a self, index: &'a Index) -> (String, Content) {
        #[derive(Serialize)]
        struct Row<'a> {
            id: &'a str,
            kind: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            q: Option<usize>,
            #[serde(skip_serializing_if = "Option::is_none")]
            p: Option<usize>,
            #[serde(skip_serializing_if = "Option::is_none")]
            at: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            front: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            back: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            cloze: Option<&'a str>,
        }
        #[derive(Serialize)]
        struct QuizRow<'a> {
            id: &'a str,
            p: usize,
            #[serde(skip_serializing_if = "Option::is_none")]
            at: Option<&'a str>,
            stem: &'a str,
            options: Vec<serde_json::Value>,
            answer: &'a str,
            #[serde(skip_serializing_if = "std::ops::Not::not")]
            multi: bool,
            explanation: &'a str,
        }
        #[derive(Serialize)]
        struct Data<'a> {
            site: &'a str,
            tags: std::collections::BTreeMap<&'a str, String>,
            pages: Vec<[&'a str; 3]>,
            quizzes: Vec<QuizRow<'a>>,
            cards: Vec<Row<'a>>,
        }
        let mut pages: Vec<[&'a str; 3]> = Vec::new();
        let mut page_of: std::collections::HashMap<[&'a str; 3], usize> =
            std::collections::HashMap::new();
        let mut place = |url: &'a str, source: &'a str, section: &'a str| {
            let (path, at) = match url.split_once('#') {
                Some((path, at)) => (path, Some(at)),
                None => (url, None),
            };
            let key = [path, source, section];
            let p = *page_of.entry(key).or_insert_with(|| {
                pages.push(key);
                pages.len() - 1
            });
            (p, at)
        };
        let quizzes = self
            .quizzes
            .iter()
            .map(|q| {
                let (p, at) = place(&q.url, &q.source, &q.section);
                let options = q
                    .options
                    .iter()
                    .map(|o| {
                        let mut option = vec![o.letter.to_string().into(), o.html.as_str().into()];
                        if o.pinned {
                            option.push(1.into());
                        }
                        serde_json::Value::Array(option)
                    })
                    .collect();
                QuizRow {
                    id: &q.id,
                    p,
                    at,
                    stem: &q.stem,
                    options,
                    answer: &q.answer,
                    multi: q.multi,
                    explanation: &q.explanation,
                }
            })
            .collect();
        let rows = self
            .cards
            .iter()
            .map(|c| {
                // A quiz card is its quiz: only the id (made unique in the deck) is its own.
                let full = c.quiz.filter(|&q| q < self.quizzes.len()).is_none();
                let own = |s: &'a String| full.then_some(s.as_str());
                let (p, at) = if full {
                    let (p, at) = place(&c.url, &c.source, &c.section);
                    (Some(p), at)
                } else {
                    (None, None)
                };
                Row {
                    id: &c.id,
                    kind: &c.kind,
                    q: c.quiz.filter(|_| !full),
                    p,
                    at,
                    front: own(&c.front),
                    back: own(&c.back),
                    cloze: c.cloze.as_deref(),
                }
            })
            .collect();
        let data = Data {
            site: &index.site_title,
            tags: self
                .cards
                .iter()
                .map(|c| (c.section.as_str(), heading_id(&c.section)))
                .collect(),
            pages,
            quizzes,
            cards: rows,
        };
        let json = serde_json::to_string(&data).unwrap_or_else(|_| "{}".into());
        let js = format!("window.studysiteDeckData = {json};\n");
        (
            DECK_FILE.to_string(),
            Content::Bytes(js.into_bytes().into()),
        )
    }
}
