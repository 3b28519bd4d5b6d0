//! What the quiz and review pages get, and the deck exported for Anki: `flashcards.txt` in
//! Anki's text format (its `#` header lines name the separator, HTML, and the guid, note
//! type, deck and tags columns) and the same rows as `flashcards.csv`.

use crate::content::Content;
use crate::crossref::deck::{self, Card, QuizEntry};
use crate::crossref::Web;
use crate::index::Index;
use crate::slug::heading_id;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct QuizPage {
    quizzes: Vec<QuizEntry>,
    sections: Vec<String>,
    storage_key: String,
    count: usize,
}

#[derive(Serialize)]
pub(crate) struct ReviewPage {
    /// The deck as JSON, safe inside a `<script>` element.
    cards_json: String,
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

pub(crate) fn quiz_page(index: &Index) -> QuizPage {
    let quizzes = deck::quizzes(index);
    QuizPage {
        sections: sections(quizzes.iter().map(|q| &q.section)),
        count: quizzes.len(),
        quizzes,
        storage_key: storage_key(index, "quiz"),
    }
}

pub(crate) fn review_page(cards: &[Card], index: &Index) -> ReviewPage {
    let json = serde_json::to_string(cards).unwrap_or_else(|_| "[]".into());
    ReviewPage {
        cards_json: json.replace("</", "<\\/").replace("<!--", "<\\u0021--"),
        sections: sections(cards.iter().map(|c| &c.section)),
        count: cards.len(),
        storage_key: storage_key(index, "review"),
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

/// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
fn csv_field(s: &str) -> String {
    let s = s.trim();
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `flashcards.txt` and `flashcards.csv`.
pub(crate) fn anki_files(cards: &[Card], index: &Index) -> Vec<(String, Content)> {
    let site = &index.site_title;
    let mut txt = String::from(
        "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n",
    );
    txt.push_str(&format!("#columns:{}\n", COLUMNS.join("\t")));
    let mut csv = COLUMNS.map(csv_field).join(",");
    csv.push_str("\r\n");
    for card in cards {
        let r = row(card, site);
        txt.push_str(
            &r.iter()
                .map(|f| txt_field(f))
                .collect::<Vec<_>>()
                .join("\t"),
        );
        txt.push('\n');
        csv.push_str(&r.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        csv.push_str("\r\n");
    }
    vec![
        (
            "flashcards.txt".into(),
            Content::Bytes(txt.into_bytes().into()),
        ),
        (
            "flashcards.csv".into(),
            Content::Bytes(csv.into_bytes().into()),
        ),
    ]
}

/// The cards of the whole site, built once for the review page and the export.
pub(crate) fn deck(web: &Web, index: &Index) -> Vec<Card> {
    deck::cards(web, index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_fit_anki_and_csv() {
        assert_eq!(txt_field("a\nb\tc"), "a<br>b c");
        assert_eq!(txt_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
