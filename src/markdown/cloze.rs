//! Cloze deletions, Anki's way: `{{c1::text}}` or `{{c1::text::hint}}` anywhere in a note
//! makes a card of its paragraph or list item, and reads as plain `text` on the page
//! ([`Strip`]). A highlight (`==text==`, by now `<mark>text</mark>`) makes one too inside
//! an exam tip or trap, or in a paragraph tagged `#flashcard`.

use super::adapter::{Step, Upstream};
use super::callouts::{Callout, Role};
use super::Spanned;
use pulldown_cmark::{Event, Tag, TagEnd};
use std::collections::VecDeque;

/// A card: its markdown with every deletion written `{{cN::text}}` or `{{cN::text::hint}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) struct Cloze {
    pub(crate) text: String,
    /// Byte offset of its block.
    pub(crate) offset: usize,
}

/// One deletion in a card's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Deletion<'t> {
    pub(crate) range: std::ops::Range<usize>,
    pub(crate) answer: &'t str,
    pub(crate) hint: Option<&'t str>,
}

/// Where `{{cN::` starts in `s` at or after `from`, and where its text starts.
fn opening(s: &str, from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(i) = s[at..].find("{{c") {
        let start = at + i;
        let digits = s[start + 3..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let after = start + 3 + digits;
        if digits > 0 && s[after..].starts_with("::") {
            return Some((start, after + 2));
        }
        at = start + 3;
    }
    None
}

/// The deletions of a card's text, in order.
pub(crate) fn deletions(s: &str) -> Vec<Deletion<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some((start, body)) = opening(s, at) {
        let Some(close) = s[body..].find("}}") else {
            break;
        };
        let inner = &s[body..body + close];
        let (answer, hint) = match inner.split_once("::") {
            Some((a, h)) => (a, Some(h)),
            None => (inner, None),
        };
        out.push(Deletion {
            range: start..body + close + 2,
            answer,
            hint,
        });
        at = body + close + 2;
    }
    out
}

/// `s` with each deletion replaced by `f(deletion)`.
pub(crate) fn replace(s: &str, mut f: impl FnMut(&Deletion) -> String) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for d in deletions(s) {
        out.push_str(&s[last..d.range.start]);
        out.push_str(&f(&d));
        last = d.range.end;
    }
    out.push_str(&s[last..]);
    out
}

/// Takes the cloze markers out of the text on the page: `{{c1::` and `}}` go, and so does
/// a `::hint`. A deletion may hold markup (`{{c1::**S3**}}`), so this follows the text
/// events; code is left as written.
#[derive(Default)]
pub(crate) struct Strip {
    /// Inside a deletion: `Some(false)` in its text, `Some(true)` in its hint.
    inside: Option<bool>,
    code: usize,
}

impl Strip {
    fn strip(&mut self, t: &str) -> String {
        let mut out = String::with_capacity(t.len());
        let mut rest = t;
        loop {
            match self.inside {
                None => match opening(rest, 0) {
                    Some((start, body)) => {
                        out.push_str(&rest[..start]);
                        rest = &rest[body..];
                        self.inside = Some(false);
                    }
                    None => {
                        out.push_str(rest);
                        return out;
                    }
                },
                Some(hint) => {
                    let close = rest.find("}}");
                    let sep = if hint { None } else { rest.find("::") };
                    match (close, sep) {
                        (Some(c), Some(s)) if s < c => {
                            out.push_str(&rest[..s]);
                            rest = &rest[s + 2..];
                            self.inside = Some(true);
                        }
                        (Some(c), _) => {
                            if !hint {
                                out.push_str(&rest[..c]);
                            }
                            rest = &rest[c + 2..];
                            self.inside = None;
                        }
                        (None, Some(s)) => {
                            out.push_str(&rest[..s]);
                            self.inside = Some(true);
                            return out;
                        }
                        (None, None) => {
                            if !hint {
                                out.push_str(rest);
                            }
                            return out;
                        }
                    }
                }
            }
        }
    }
}

impl<'a> Step<'a> for Strip {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        (ev, range): Spanned<'a>,
        _: Upstream<'_, I>,
        out: &mut VecDeque<Spanned<'a>>,
    ) {
        match &ev {
            Event::Start(Tag::CodeBlock(_)) => self.code += 1,
            Event::End(TagEnd::CodeBlock) => self.code = self.code.saturating_sub(1),
            Event::End(TagEnd::Paragraph | TagEnd::Item) => self.inside = None,
            Event::Text(t) if self.code == 0 && (self.inside.is_some() || t.contains("{{c")) => {
                let text = self.strip(t);
                if !text.is_empty() {
                    out.push_back((Event::Text(text.into()), range));
                }
                return;
            }
            _ => {}
        }
        out.push_back((ev, range));
    }
}

/// A line's content after block-quote markers, indent and a list bullet.
fn content(line: &str) -> &str {
    let mut rest = line.trim_end_matches(['\n', '\r']);
    loop {
        let t = rest.trim_start();
        match t.strip_prefix('>') {
            Some(r) => rest = r,
            None => {
                rest = t;
                break;
            }
        }
    }
    let b = rest.as_bytes();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let bullet = if matches!(b.first(), Some(b'-' | b'*' | b'+')) {
        1
    } else if digits > 0 && matches!(b.get(digits), Some(b'.' | b')')) {
        digits + 1
    } else {
        0
    };
    if bullet > 0 && matches!(b.get(bullet), Some(b' ' | b'\t')) {
        rest = rest[bullet..].trim_start();
        if let Some(r) = rest
            .strip_prefix("[ ] ")
            .or_else(|| rest.strip_prefix("[x] "))
        {
            rest = r;
        }
    }
    rest
}

fn is_item(line: &str) -> bool {
    let t = line.trim_start_matches(['>', ' ', '\t']);
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    (t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ "))
        || (digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") ")))
}

/// The paragraphs and list items of `text` (fenced code left out): each block's lines and
/// its offset.
fn blocks(text: &str) -> Vec<(usize, Vec<&str>)> {
    let mut out: Vec<(usize, Vec<&str>)> = Vec::new();
    let mut fence = false;
    let mut open = false;
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let start = at;
        at += raw.len();
        let c = content(raw);
        let fenced = c.starts_with("```") || c.starts_with("~~~");
        if fenced {
            fence = !fence;
        }
        if fence || fenced || c.trim().is_empty() || c.starts_with('#') || c.starts_with('|') {
            open = false;
            continue;
        }
        if !open || is_item(raw) {
            out.push((start, Vec::new()));
            open = true;
        }
        if let Some(b) = out.last_mut() {
            b.1.push(c);
        }
    }
    out
}

/// Highlights as deletions: `<mark>x</mark>` becomes `{{c1::x}}`, `{{c2::...}}` ...
fn marks_as_deletions(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut n = 0;
    while let Some(i) = rest.find("<mark>") {
        let Some(close) = rest[i..].find("</mark>") else {
            break;
        };
        n += 1;
        out.push_str(&rest[..i]);
        out.push_str(&format!("{{{{c{n}::{}}}}}", &rest[i + 6..i + close]));
        rest = &rest[i + close + 7..];
    }
    out.push_str(rest);
    out
}

/// The cloze cards of a prepared note; `callouts` are its callouts, offsets in `text`.
pub(crate) fn cards(text: &str, callouts: &[Callout]) -> Vec<Cloze> {
    let marks = text.contains("<mark>");
    if !text.contains("{{c") && !marks {
        return Vec::new();
    }
    let tips: Vec<(usize, usize)> = callouts
        .iter()
        .filter(|c| c.role != Role::Other)
        .map(|c| (c.offset, block_end(text, c.offset)))
        .collect();
    let mut out = Vec::new();
    for (offset, lines) in blocks(text) {
        let joined = lines.join("\n");
        let card = if opening(&joined, 0).is_some() {
            Some(joined)
        } else if joined.contains("<mark>") && joined.contains("</mark>") {
            let in_tip = tips.iter().any(|&(s, e)| s <= offset && offset < e);
            let tagged = joined
                .split(|c: char| c.is_whitespace())
                .any(|w| w == "#flashcard");
            (in_tip || tagged).then(|| {
                let text = marks_as_deletions(&joined);
                text.split(' ')
                    .filter(|w| *w != "#flashcard")
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        } else {
            None
        };
        if let Some(text) = card {
            let text = text.trim().to_string();
            if !deletions(&text).is_empty() {
                out.push(Cloze { text, offset });
            }
        }
    }
    out
}

/// Where the block starting at `offset` ends: at the first blank line (a quote's lines, a
/// prefix callout's paragraph and the list after it).
fn block_end(text: &str, offset: usize) -> usize {
    let mut at = offset;
    let mut blank_before_list = false;
    for raw in text[offset..].split_inclusive('\n') {
        let blank = content(raw).trim().is_empty() && !raw.trim_start().starts_with('>');
        if blank {
            if blank_before_list {
                break;
            }
            blank_before_list = true;
        } else if blank_before_list && !is_item(raw) {
            break;
        } else {
            blank_before_list = false;
        }
        at += raw.len();
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletions_with_and_without_hints() {
        let d = deletions("{{c1::S3}} stores {{c2::objects::what}}.");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].answer, "S3");
        assert_eq!(d[1].hint, Some("what"));
        assert_eq!(
            replace("a {{c1::b::h}} c", |d| format!(
                "[{}]",
                d.hint.unwrap_or("...")
            )),
            "a [h] c"
        );
    }

    #[test]
    fn the_page_reads_plain_text() {
        let mut s = Strip::default();
        assert_eq!(
            s.strip("A {{c1::key}} and {{c2::two::hint}}."),
            "A key and two."
        );
        assert_eq!(s.strip("start {{c1::"), "start ");
        assert_eq!(s.strip("bold"), "bold");
        assert_eq!(s.strip("}} end"), " end");
    }

    #[test]
    fn cards_of_paragraphs_items_and_tips() {
        let text = "Intro {{c1::S3}} here\nand on.\n\n- one {{c1::EBS}}\n- two\n\n\
                    ```\n{{c1::code}}\n```\n\nA <mark>mark</mark> alone.\n\n\
                    Tagged <mark>Glue</mark> #flashcard\n";
        let callouts = [];
        let cs = cards(text, &callouts);
        let texts: Vec<&str> = cs.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Intro {{c1::S3}} here\nand on.",
                "one {{c1::EBS}}",
                "Tagged {{c1::Glue}}"
            ]
        );
    }
}
