//! One note made ready to render: its bytes checked, its front matter parsed, its text
//! prepared (diagrams fenced) and outlined (headings, ids, what it tells the study web).

use crate::config::Config;
use crate::content::hash_of;
use crate::diagnostic::Diagnostic;
use crate::markdown::quiz::Quiz;
use crate::markdown::{self, Outline, Prepared};
use crate::note::{Liquid, Note};
use crate::source_map::{LineIndex, OffsetMap};
use std::path::PathBuf;

/// A note ready to be placed in the site and rendered.
#[derive(Clone)]
pub(crate) struct Page {
    pub(crate) note: Note,
    pub(crate) prepared: Prepared,
    pub(crate) outline: Outline,
    /// The hash of what other pages can read of this one (front matter and outline, byte
    /// offsets left out): made once per parse, summed into the site's shape.
    pub(crate) digest: u64,
}

impl Page {
    /// A page from a note's bytes; `Ok(None)` for a draft when drafts are left out. Text
    /// that is not UTF-8, or bad front matter, is an error at its line. `cached` is what an
    /// earlier parse of the same bytes under the same config prepared and outlined.
    pub(crate) fn parse(
        config: &Config,
        rel: String,
        display: PathBuf,
        bytes: Vec<u8>,
        cached: Option<Outlined>,
    ) -> Result<Option<Page>, Diagnostic> {
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let valid = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or("");
            let (line, col) = LineIndex::new(valid).line_col(valid, at);
            Diagnostic::error(&display, line, col, "the note is not valid UTF-8")
                .with_help("save the file as UTF-8")
        })?;
        let note = Note::parse(rel, display, text, liquid(config).as_ref())?;
        if note.front.draft && !config.drafts {
            return Ok(None);
        }
        let (prepared, outline) = match cached {
            Some(c) => {
                let text = c.text.map_or_else(|| note.body.clone(), Into::into);
                let (map, quizzes) = (c.map, c.quizzes);
                (Prepared { text, map, quizzes }, c.outline)
            }
            None => {
                let prepared = Prepared::new(&note.body);
                let outline = markdown::outline(&prepared, config);
                (prepared, outline)
            }
        };
        Ok(Some(Page::new(note, prepared, outline)))
    }

    /// What the page cache keeps of this page (see [`Outlined`]).
    pub(crate) fn outlined(&self) -> OutlinedRef<'_> {
        let text = &self.prepared.text;
        OutlinedRef {
            text: (*text != self.note.body).then_some(&**text),
            map: &self.prepared.map,
            quizzes: &self.prepared.quizzes,
            outline: &self.outline,
        }
    }

    fn new(note: Note, prepared: Prepared, outline: Outline) -> Page {
        let mut visible = outline.clone();
        visible.facts.map_offsets(|_| 0);
        visible.headings.iter_mut().for_each(|x| x.offset = 0);
        // Quizzes and cloze cards are read by the study pages alone, which have a key of
        // their own: a change to one need not render every page again.
        visible.quizzes.clear();
        visible.clozes.clear();
        // The outline as the page cache encodes it (all of it: the cache reads it back);
        // a debug string of it cost as much as the parse of a small note.
        let outline_bytes = postcard::to_stdvec(&visible).unwrap_or_default();
        let digest = hash_of((format!("{:?}", note.front), outline_bytes));
        Page {
            note,
            prepared,
            outline,
            digest,
        }
    }
}

/// What the page cache on disk keeps of a parsed note: what costs to make again from its
/// bytes (its prepared text and outline). The prepared text is left out where it is the body
/// as written, as it is in most notes.
#[derive(serde::Deserialize)]
pub(crate) struct Outlined {
    text: Option<String>,
    map: OffsetMap,
    quizzes: Vec<Quiz>,
    outline: Outline,
}

/// [`Outlined`] as it is written, borrowed from a page.
#[derive(serde::Serialize)]
pub(crate) struct OutlinedRef<'a> {
    text: Option<&'a str>,
    map: &'a OffsetMap,
    quizzes: &'a [Quiz],
    outline: &'a Outline,
}

/// In a Jekyll site, what its Liquid variables say.
fn liquid(config: &Config) -> Option<Liquid> {
    let jekyll = config.project.as_ref()?.kind == crate::project::Kind::Jekyll;
    jekyll.then(|| Liquid {
        title: config.title.clone().unwrap_or_default(),
        description: config.description.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::config;

    fn parse(text: &[u8]) -> Result<Option<Page>, Diagnostic> {
        Page::parse(
            &config(),
            "a.md".into(),
            "notes/a.md".into(),
            text.to_vec(),
            None,
        )
    }

    #[test]
    fn a_page_read_back_from_what_the_cache_keeps_is_the_page() {
        for text in [
            &b"# A\n\nText.\n"[..],
            "# D\n\n┌────┐\n│ ab │\n└────┘\n".as_bytes(),
        ] {
            let page = parse(text).unwrap().unwrap();
            let kept = postcard::to_stdvec(&page.outlined()).unwrap();
            assert_eq!(
                page.outlined().text.is_some(),
                page.prepared.text != page.note.body
            );
            let outlined: Outlined = postcard::from_bytes(&kept).unwrap();
            let again = Page::parse(
                &config(),
                "a.md".into(),
                "notes/a.md".into(),
                text.to_vec(),
                Some(outlined),
            )
            .unwrap()
            .unwrap();
            assert_eq!(again.prepared.text, page.prepared.text);
            assert_eq!(again.digest, page.digest);
        }
        // The diagram's fence is in the prepared text alone.
        let d = parse("# D\n\n┌────┐\n│ ab │\n└────┘\n".as_bytes())
            .unwrap()
            .unwrap();
        assert!(d.outlined().text.is_some());
    }

    #[test]
    fn not_utf8_is_an_error_at_its_line_and_column() {
        let err = parse(b"# Title\n\nok caf\xe9\n").err().unwrap();
        assert_eq!((err.line, err.col), (3, 7), "{err}");
        assert!(err.message.contains("UTF-8"), "{err}");
    }

    #[test]
    fn drafts_are_left_out_unless_asked_for() {
        assert!(parse(b"---\ndraft: true\n---\n# D\n").unwrap().is_none());
        let mut config = config();
        config.drafts = true;
        let page = Page::parse(
            &config,
            "a.md".into(),
            "a.md".into(),
            b"---\ndraft: true\n---\n# D\n".to_vec(),
            None,
        );
        assert!(page.unwrap().is_some());
    }

    #[test]
    fn the_digest_ignores_where_things_are() {
        let a = parse(b"# T\n\n## Part\n").unwrap().unwrap();
        let b = parse(b"# T\n\n\n\n## Part\n").unwrap().unwrap();
        let c = parse(b"# T\n\n## Other part\n").unwrap().unwrap();
        assert_eq!(a.digest, b.digest);
        assert_ne!(a.digest, c.digest);
    }
}
