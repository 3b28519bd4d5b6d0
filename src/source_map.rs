//! Byte-offset maps for text rewritten before parsing, and offset -> line:col lookup.
//!
//! Every rewrite (BOM, CRLF, front matter, `•` bullets, diagram fences) builds an
//! [`OffsetMap`] from the text it wrote back to the text it read, so a diagnostic
//! found in the rewritten text still names the line and column of the user's file.

/// Maps offsets in a rewritten text back to offsets in the text it was made from.
///
/// Stored as anchor points `(new, old)`: from each anchor on, text was copied one to one
/// until the next anchor. Offsets inside inserted text map to the anchor's old offset.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct OffsetMap {
    anchors: Vec<(usize, usize)>,
    /// Offsets `>= copied_until` of the segment starting at an anchor are inserted text.
    inserted: Vec<(usize, usize)>,
}

impl OffsetMap {
    /// The old offset of `new`. The inserts are in order, so a binary search finds the one
    /// `new` may be in (a linear scan made mapping every offset of a note quadratic).
    pub(crate) fn old(&self, new: usize) -> usize {
        let i = self.inserted.partition_point(|(s, _)| *s <= new);
        match i.checked_sub(1).map(|i| self.inserted[i]) {
            Some((start, end)) if new < end => self.old_of_copied(start),
            _ => self.old_of_copied(new),
        }
    }

    fn old_of_copied(&self, new: usize) -> usize {
        let i = self.anchors.partition_point(|(n, _)| *n <= new);
        if i == 0 {
            return new;
        }
        let (n, o) = self.anchors[i - 1];
        o + (new - n)
    }
}

/// Builds a rewritten string together with its [`OffsetMap`].
#[derive(Debug, Default)]
pub(crate) struct Rewriter {
    out: String,
    map: OffsetMap,
}

impl Rewriter {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Rewriter {
            out: String::with_capacity(n),
            map: OffsetMap::default(),
        }
    }

    /// Appends `text`, which stands at offset `old` of the original.
    pub(crate) fn copy(&mut self, text: &str, old: usize) {
        let new = self.out.len();
        let continues = self
            .map
            .anchors
            .last()
            .is_some_and(|&(n, o)| o + (new - n) == old && !self.ends_in_insert(new));
        if !continues {
            self.map.anchors.push((new, old));
        }
        self.out.push_str(text);
    }

    /// Appends text that is not in the original; it maps to offset `old`.
    pub(crate) fn insert(&mut self, text: &str, old: usize) {
        let start = self.out.len();
        self.map.anchors.push((start, old));
        self.out.push_str(text);
        self.map.inserted.push((start, self.out.len()));
    }

    fn ends_in_insert(&self, new: usize) -> bool {
        self.map.inserted.last().is_some_and(|&(_, e)| e == new)
    }

    pub(crate) fn finish(mut self) -> (String, OffsetMap) {
        // The end of a text that ends in inserted text is where that text was inserted, not
        // past it (else the end of a note ending in an un-fenced diagram mapped beyond it).
        let end = self.out.len();
        if self.ends_in_insert(end) {
            let old = self.map.anchors.last().map_or(0, |&(_, o)| o);
            self.map.anchors.push((end, old));
        }
        (self.out, self.map)
    }
}

/// A chain of maps, newest last: maps an offset in the final text to the original file.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceMap {
    maps: Vec<OffsetMap>,
}

impl SourceMap {
    pub(crate) fn push(&mut self, map: OffsetMap) {
        self.maps.push(map);
    }

    pub(crate) fn original(&self, offset: usize) -> usize {
        self.maps.iter().rev().fold(offset, |off, m| m.old(off))
    }
}

/// Line starts of a text, for turning byte offsets into 1-based line:column.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
    /// Per line: is it all ASCII? Then a column is a byte count, found without reading the
    /// line, so many diagnostics on one long line cost no more than on short ones.
    ascii: Vec<bool>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let ascii = starts
            .iter()
            .enumerate()
            .map(|(n, &s)| {
                let end = starts.get(n + 1).copied().unwrap_or(text.len());
                text.as_bytes()[s..end].is_ascii()
            })
            .collect();
        LineIndex { starts, ascii }
    }

    /// 1-based line and column (column counted in characters) of byte `offset` in `text`.
    pub(crate) fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|s| *s <= offset) - 1;
        let start = self.starts[line];
        if self.ascii[line] {
            return (line + 1, offset - start + 1);
        }
        let col = text.get(start..offset).map_or(offset - start, |s| {
            s.trim_start_matches('\u{feff}').chars().count()
        });
        (line + 1, col + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_and_inserts_map_back() {
        let orig = "ab\r\ncd\r\n";
        let mut w = Rewriter::with_capacity(orig.len());
        w.copy("ab", 0);
        w.insert("\n", 2);
        w.copy("cd", 4);
        w.insert("\n", 6);
        let (out, map) = w.finish();
        assert_eq!(out, "ab\ncd\n");
        assert_eq!(map.old(0), 0);
        assert_eq!(map.old(2), 2);
        assert_eq!(map.old(3), 4);
        assert_eq!(map.old(4), 5);
    }

    #[test]
    fn the_end_after_an_insert_is_where_it_was_inserted() {
        let mut w = Rewriter::default();
        w.copy("ab", 0);
        w.insert("\n```\n", 2);
        let (out, map) = w.finish();
        assert_eq!(map.old(3), 2);
        assert_eq!(map.old(out.len()), 2);
    }

    #[test]
    fn chain_composes_newest_first() {
        let mut a = Rewriter::default();
        a.copy("xyz", 10);
        let mut b = Rewriter::default();
        b.insert("```\n", 0);
        b.copy("xyz", 0);
        let mut chain = SourceMap::default();
        chain.push(a.finish().1);
        chain.push(b.finish().1);
        assert_eq!(chain.original(4), 10);
        assert_eq!(chain.original(6), 12);
        assert_eq!(chain.original(1), 10);
    }

    #[test]
    fn line_col_counts_chars() {
        let t = "ab\nçd x\n";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line_col(t, 0), (1, 1));
        assert_eq!(idx.line_col(t, 3), (2, 1));
        assert_eq!(idx.line_col(t, 7), (2, 4));
    }
}
