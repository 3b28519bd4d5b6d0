//! What the quiz and review pages get, and the deck exported for Anki: `flashcards.txt` in
//! Anki's text format (its `#` header lines name the separator, HTML, and the guid, note
//! type, deck and tags columns), and the deck the study pages load.

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
    /// section's tag (for the CSV export), every quiz, and every card; a quiz card names its
    /// quiz (`q`) instead of holding a copy of it.
    pub(crate) fn file<'a>(&'a self, index: &'a Index) -> (String, Content) {
        #[derive(Serialize)]
        struct Row<'a> {
            id: &'a str,
            kind: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            q: Option<usize>,
            #[serde(skip_serializing_if = "Option::is_none")]
            section: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            source: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            url: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            front: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            back: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            cloze: Option<&'a str>,
        }
        #[derive(Serialize)]
        struct Data<'a> {
            site: &'a str,
            tags: std::collections::BTreeMap<&'a str, String>,
            quizzes: &'a [QuizEntry],
            cards: Vec<Row<'a>>,
        }
        let rows = self
            .cards
            .iter()
            .map(|c| {
                // A quiz card is its quiz: only the id (made unique in the deck) is its own.
                let full = c.quiz.filter(|&q| q < self.quizzes.len()).is_none();
                let own = |s: &'a String| full.then_some(s.as_str());
                Row {
                    id: &c.id,
                    kind: &c.kind,
                    q: c.quiz.filter(|_| !full),
                    section: own(&c.section),
                    source: own(&c.source),
                    url: own(&c.url),
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
            quizzes: &self.quizzes,
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

/// The columns of the export, in order.
const COLUMNS: [&str; 6] = ["GUID", "Note type", "Deck", "Front", "Back", "Tags"];

/// One card's row: its guid, Anki note type, deck, two fields and tags.
fn row(card: &Card, site: &str) -> [String; 6] {
    let deck = format!(
        "{}::{}",
        site.replace("::", ":"),
        card.section.replace("::", ":")
    );
    let tags = format!("studysite {} {}", card.kind, heading_id(&card.section));
    let from = format!("<p class=\"source\">From: {}</p>", html_text(&card.source));
    match &card.cloze {
        Some(text) => [
            card.id.clone(),
            "Cloze".into(),
            deck,
            text.clone(),
            from,
            tags,
        ],
        None => [
            card.id.clone(),
            "Basic".into(),
            deck,
            card.front.clone(),
            format!("{}{from}", card.back),
            tags,
        ],
    }
}

fn html_text(s: &str) -> String {
    let mut out = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

/// A field of `flashcards.txt`: one line (HTML breaks instead of newlines), no tab, and
/// quoted (quotes doubled) when it holds a quote, as Anki's importer reads it.
fn txt_field(s: &str) -> String {
    let one_line = s
        .trim()
        .replace("\r\n", "\n")
        .replace('\n', "<br>")
        .replace('\t', " ");
    if one_line.contains('"') {
        format!("\"{}\"", one_line.replace('"', "\"\""))
    } else {
        one_line
    }
}

/// `flashcards.txt`. (The CSV of the same rows is made in the browser, from the deck.)
pub(crate) fn anki_file(cards: &[Card], index: &Index) -> (String, Content) {
    let site = &index.site_title;
    let mut txt = String::from(
        "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n",
    );
    txt.push_str(&format!("#columns:{}\n", COLUMNS.join("\t")));
    for card in cards {
        let r = row(card, site);
        txt.push_str(
            &r.iter()
                .map(|f| txt_field(f))
                .collect::<Vec<_>>()
                .join("\t"),
        );
        txt.push('\n');
    }
    (
        "flashcards.txt".into(),
        Content::Bytes(txt.into_bytes().into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_fit_anki() {
        assert_eq!(txt_field("a\nb\tc"), "a<br>b c");
        assert_eq!(txt_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
