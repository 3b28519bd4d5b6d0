//! Definitions in the text: a paragraph or list item that opens with a bold name and says
//! what it is ("**Amazon Kinesis Data Streams (KDS)** is ...", "**Auto Loader**: ingests
//! ..."). Each becomes a name the study web can link to, its abbreviation with it; the
//! section it stands in is where it is defined.

use super::adapter::{Step, Upstream};
use super::Spanned;
use pulldown_cmark::{Event, Tag, TagEnd};
use std::collections::VecDeque;

/// A name a note defines in its text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Definition {
    pub(crate) name: String,
    /// `KDS` in "**Kinesis Data Streams (KDS)**".
    pub(crate) abbr: Option<String>,
    /// The id of the heading above it (`None`: before the first heading).
    pub(crate) section: Option<String>,
    /// Does the text say what it is ("is", "are", "refers to")? A bare `**Name**: ...` is a
    /// definition only when the name is clearly a name.
    pub(crate) says_is: bool,
}

/// The longest name, in words, taken as a definition.
const MAX_WORDS: usize = 6;

/// Splits "Name (ABBR)" into the name and its abbreviation (2-10 capitals or digits).
pub(crate) fn split_abbr(text: &str) -> (String, Option<String>) {
    let text = text.trim();
    if let Some(open) = text.rfind(" (") {
        if let Some(inner) = text[open + 2..].strip_suffix(')') {
            let abbr = inner.trim();
            let is_abbr = (2..=10).contains(&abbr.len())
                && abbr.chars().any(|c| c.is_ascii_uppercase())
                && abbr
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
            if is_abbr {
                return (text[..open].trim().to_string(), Some(abbr.to_string()));
            }
        }
    }
    (text.to_string(), None)
}

/// Watches paragraphs for an opening bold name and records it in `found`.
pub(crate) struct Definitions<'b> {
    found: &'b mut Vec<Definition>,
    section: Option<String>,
    /// The last event opened a paragraph (the next one may be its bold name).
    at_start: bool,
    /// The bold name being read, when it opened its paragraph.
    name: Option<String>,
    /// A bold name just closed, waiting for the text after it.
    pending: Option<String>,
}

impl<'b> Definitions<'b> {
    pub(crate) fn new(found: &'b mut Vec<Definition>) -> Self {
        Definitions {
            found,
            section: None,
            at_start: false,
            name: None,
            pending: None,
        }
    }

    fn settle(&mut self, after: &str) {
        let Some(name) = self.pending.take() else {
            return;
        };
        let after = after.trim_start();
        let lower = after.to_lowercase();
        let says_is = ["is ", "are ", "refers to ", "means ", "- ", "– ", "— "]
            .iter()
            .any(|w| lower.starts_with(w));
        let colon = after.starts_with(':') || name.ends_with(':');
        let name = name.trim().trim_end_matches(':').trim().to_string();
        let (name, abbr) = split_abbr(&name);
        let words = name.split_whitespace().count();
        if (says_is || colon)
            && (1..=MAX_WORDS).contains(&words)
            && name.chars().next().is_some_and(char::is_alphabetic)
            && !name.ends_with(['.', '?', '!'])
        {
            self.found.push(Definition {
                name,
                abbr,
                section: self.section.clone(),
                says_is,
            });
        }
    }
}

impl<'a> Step<'a> for Definitions<'_> {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        ev: Spanned<'a>,
        _: Upstream<'_, I>,
        out: &mut VecDeque<Spanned<'a>>,
    ) {
        let start = std::mem::take(&mut self.at_start);
        match &ev.0 {
            Event::Start(Tag::Heading { id, .. }) => {
                self.section = id.as_ref().map(|i| i.to_string());
            }
            Event::Start(Tag::Paragraph | Tag::Item) => self.at_start = true,
            Event::Start(Tag::Strong) if start => self.name = Some(String::new()),
            Event::Text(t) | Event::Code(t) if self.name.is_some() => {
                if let Some(n) = self.name.as_mut() {
                    n.push_str(t);
                }
            }
            Event::End(TagEnd::Strong) if self.name.is_some() => self.pending = self.name.take(),
            Event::Text(t) if self.pending.is_some() => self.settle(&t.clone()),
            _ => {
                self.name = None;
                if self.pending.is_some() {
                    self.settle("");
                }
            }
        }
        out.push_back(ev);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::adapter::Adapter;
    use pulldown_cmark::Parser;

    fn found(md: &str) -> Vec<Definition> {
        let mut defs = Vec::new();
        let events = Parser::new(md).into_offset_iter();
        Adapter::new(events, Definitions::new(&mut defs)).for_each(drop);
        defs
    }

    #[test]
    fn bold_names_that_say_what_they_are() {
        let d = found("**Amazon Kinesis Data Streams (KDS)** is a stream.\n\n- **Auto Loader**: ingests files\n- plain **Bold** text\n\n**Note:** this is not one.\n");
        let names: Vec<(&str, Option<&str>)> = d
            .iter()
            .map(|d| (d.name.as_str(), d.abbr.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("Amazon Kinesis Data Streams", Some("KDS")),
                ("Auto Loader", None),
                ("Note", None)
            ]
        );
        assert!(d[0].says_is && !d[1].says_is);
    }

    #[test]
    fn abbreviations() {
        assert_eq!(
            split_abbr("Simple Queue Service (SQS)"),
            ("Simple Queue Service".into(), Some("SQS".into()))
        );
        assert_eq!(split_abbr("Spot (cheap)"), ("Spot (cheap)".into(), None));
    }
}
