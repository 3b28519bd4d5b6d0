//! Sections named after a kind of thing ("Output Modes", "Triggers", "Warehouse Sizing"):
//! where a one-word choice in a row under such a heading ("append", "availableNow",
//! "2X-Small") is explained. Such a choice is an option of the kind, not a thing the notes
//! define: "update" under "Output Modes" is not the SQL `UPDATE` of another note, and
//! "complete" is not "Complete Deployment Example".
//!
//! Built once per build, in one pass over every heading of the site; a lookup is a hash
//! lookup and a scan of the sections sharing one heading.

use super::is_study_note;
use super::terms::clean_heading;
use crate::index::Index;
use crate::markdown::headings::{section_end, Heading};
use std::collections::HashMap;

/// A section whose heading names a kind.
struct Section {
    page: usize,
    id: String,
    /// Bytes from its heading to the next heading of its level or above: how much it says.
    size: usize,
    /// A note's title (level 1) is the note, not a section of it.
    title: bool,
}

/// The sections of each heading that names a kind: a heading of common words recurring in
/// many notes ("Use Cases", "Key Features") is structure, what a section does rather than
/// what kind its rows are, and is left out.
pub(crate) struct Kinds {
    by_key: HashMap<String, Vec<Section>>,
}

/// A heading as a kind: its words lowercased, a plural's `s` dropped ("Triggers" and
/// "Trigger" meet), numbering and punctuation gone.
fn key(heading: &str) -> String {
    let words = clean_heading(heading)
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.to_lowercase();
            match w.strip_suffix('s') {
                Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem.to_string(),
                _ => w,
            }
        });
    words.collect::<Vec<_>>().join(" ")
}

impl Kinds {
    pub(crate) fn build(index: &Index) -> Kinds {
        let mut by_key: HashMap<String, Vec<Section>> = HashMap::new();
        for (p, placed) in index.pages.iter().enumerate() {
            if !is_study_note(index, p) {
                continue;
            }
            let page = &placed.page;
            let headings = &page.outline.headings;
            for (i, h) in headings.iter().enumerate() {
                let end = section_end(headings, i, page.note.body.len());
                let k = key(&h.text);
                if k.is_empty() {
                    continue;
                }
                by_key.entry(k).or_default().push(Section {
                    page: p,
                    id: h.id.clone(),
                    size: end.saturating_sub(h.offset),
                    title: h.level == 1,
                });
            }
        }
        let recurs = 3.max(index.pages.len() / 40);
        // A heading in one note of ten is structure whatever its words ("Key Takeaways":
        // "takeaway" is in no word list); a kind is the subject of a few sections.
        let everywhere = 5.max(index.pages.len() / 10);
        by_key.retain(|k, sections| {
            // Sections are pushed page by page: a page's run of them counts once.
            let notes = 1 + sections
                .windows(2)
                .filter(|w| w[0].page != w[1].page)
                .count();
            notes < everywhere && (notes < recurs || !crate::words::all_common(k))
        });
        Kinds { by_key }
    }

    /// The section (page, heading id) that explains the kind of the choices in the section
    /// under `heading` of page `p`: a section of the same heading (or of the heading less its
    /// first word: "Triggers" for "Streaming Triggers"), in the same top-level folder first,
    /// then the one that says the most. Its own section counts, its note's title does not.
    /// `None` where no section has either heading but structure ones.
    pub(crate) fn section(
        &self,
        index: &Index,
        heading: &Heading,
        p: usize,
    ) -> Option<(usize, String)> {
        // "AI Services vs Custom ML" names two sides, not a kind its rows are options of.
        if crate::markdown::scenarios::is_comparison(&heading.text) {
            return None;
        }
        let text = clean_heading(&heading.text);
        let full = key(text);
        let shorter = text
            .split_once(' ')
            .map(|(_, rest)| key(rest))
            .filter(|k| !k.is_empty());
        let top = |q: usize| index.pages[q].page.note.rel.split_once('/').map(|(t, _)| t);
        let here = top(p);
        let mut best: Option<&Section> = None;
        for k in std::iter::once(full).chain(shorter) {
            let Some(sections) = self.by_key.get(&k) else {
                continue;
            };
            let rank = |s: &Section| (here.is_some() && top(s.page) == here, s.size);
            // A row under its note's title is placed by nothing but its note.
            for s in sections.iter().filter(|s| !(s.title && s.page == p)) {
                if best.is_none_or(|b| rank(s) > rank(b)) {
                    best = Some(s);
                }
            }
        }
        best.map(|s| (s.page, s.id.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn kinds_meet_in_the_singular() {
        assert_eq!(key("Streaming Triggers"), "streaming trigger");
        assert_eq!(key("3. Output Modes"), "output mode");
        assert_eq!(key("Warehouse Sizing"), "warehouse sizing");
        assert_eq!(key("Access"), "access");
        assert_eq!(
            key("Memory-Optimized vs Compute-Optimized"),
            "memory-optimized vs compute-optimized"
        );
    }
}
