//! Footnote ids: each footnote claims its id (`fn-NAME`) from the page's one set, so a
//! footnote `[^1]` and a heading `# 1`, or two definitions of one footnote, never share one.

use super::adapter::{Step, Upstream};
use super::{IdSet, Spanned};
use pulldown_cmark::{CowStr, Event, Tag};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};

/// Renames every footnote to the id it claimed; the HTML writer then writes that id on the
/// definition and links each reference to it.
pub(crate) struct Ids<'b> {
    ids: &'b RefCell<IdSet>,
    /// The id of each footnote name, claimed where the name first appears.
    named: HashMap<String, String>,
    /// The ids a definition already carries: a second definition of a name claims another.
    defined: HashSet<String>,
}

impl<'b> Ids<'b> {
    pub(crate) fn new(ids: &'b RefCell<IdSet>) -> Self {
        Ids {
            ids,
            named: HashMap::new(),
            defined: HashSet::new(),
        }
    }

    fn id_of(&mut self, name: &str) -> String {
        let ids = self.ids;
        self.named
            .entry(name.to_string())
            .or_insert_with(|| ids.borrow_mut().claim(&format!("fn-{name}")))
            .clone()
    }
}

impl<'a> Step<'a> for Ids<'_> {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        (ev, range): Spanned<'a>,
        _: Upstream<'_, I>,
        out: &mut VecDeque<Spanned<'a>>,
    ) {
        let ev = match ev {
            Event::FootnoteReference(name) => Event::FootnoteReference(self.id_of(&name).into()),
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let mut id = self.id_of(&name);
                if !self.defined.insert(id.clone()) {
                    id = self.ids.borrow_mut().claim(&format!("fn-{name}"));
                    self.defined.insert(id.clone());
                }
                Event::Start(Tag::FootnoteDefinition(CowStr::from(id)))
            }
            ev => ev,
        };
        out.push_back((ev, range));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::adapter::Adapter;
    use pulldown_cmark::{html, Parser};

    fn render(md: &str) -> String {
        let ids = RefCell::new(IdSet::default());
        ids.borrow_mut().claim("fn-1");
        let events = Parser::new_ext(md, crate::markdown::options(true)).into_offset_iter();
        let mut out = String::new();
        html::push_html(
            &mut out,
            Adapter::new(events, Ids::new(&ids)).map(|(e, _)| e),
        );
        out
    }

    #[test]
    fn footnotes_claim_their_ids() {
        let html = render("A[^1] b[^x].\n\n[^1]: One.\n\n[^x]: Ex.\n\n[^1]: Again.\n");
        assert!(html.contains("<a href=\"#fn-1-1\">1</a>"), "{html}");
        assert!(html.contains("<a href=\"#fn-x\">2</a>"), "{html}");
        assert!(html.contains("id=\"fn-1-1\""), "{html}");
        assert!(html.contains("id=\"fn-x\""), "{html}");
        assert!(html.contains("id=\"fn-1-2\""), "{html}");
        assert!(!html.contains("id=\"fn-1\""), "{html}");
    }
}
