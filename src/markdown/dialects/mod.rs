//! What other editors write that CommonMark does not read, rewritten before parsing, one
//! pass per feature, each with an [`OffsetMap`] back to the text it read:
//!
//! - Obsidian comments `%%hidden%%` (inline or over several lines) are left out;
//! - MkDocs admonitions (`!!! tip "Title"`, folded `??? tip`, open `???+ tip`, the body
//!   indented four spaces), Material's content tabs (`=== "Python"`) and `:::tip Title` ...
//!   `:::` containers (Docusaurus, VuePress, Pandoc) become Obsidian callouts, which the
//!   callout adapter draws;
//! - Hugo shortcodes: `{{< ref "x.md" >}}` becomes the path, `{{< figure src=... >}}` an
//!   image, and paired `hint`, `notice`, `alert`, `callout`, `admonition` and `details`
//!   shortcodes on their own lines become `:::` containers (so callouts);
//! - Obsidian highlights `==text==` become `<mark>text</mark>`;
//! - in a Jekyll site, the Liquid studysite can fill in (`{{ site.baseurl }}`, `{% link %}`,
//!   `{% raw %}`) is, and the rest reported.
//!
//! Fenced code and inline code spans are left as written. A pass whose marker does not
//! occur in the note costs one substring search.

mod containers;
mod hugo;
pub(crate) mod jekyll;
mod mkdocs;
mod obsidian;

use crate::source_map::{OffsetMap, Rewriter};

/// One pass: the rewritten text and its map, or `None` when it changed nothing.
type Pass = fn(&str) -> Option<(String, OffsetMap)>;

/// Runs every pass over `text`; returns the maps of the passes that changed it, oldest first.
/// `liquid` is given for a Jekyll site: its Liquid pass runs first, and what it leaves as
/// written is put in `unread`, at offsets of `text`.
pub(crate) fn rewrite(
    text: String,
    liquid: Option<&jekyll::Liquid>,
    unread: &mut Vec<jekyll::Unread>,
) -> (String, Vec<OffsetMap>) {
    let mut text = text;
    let mut maps = Vec::new();
    if let Some((out, map)) = liquid.and_then(|site| jekyll::liquid(&text, site, unread)) {
        text = out;
        maps.push(map);
    }
    let passes: [Pass; 5] = [
        obsidian::comments,
        hugo::shortcodes,
        mkdocs::admonitions,
        containers::containers,
        obsidian::highlights,
    ];
    for pass in passes {
        if let Some((out, map)) = pass(&text) {
            text = out;
            maps.push(map);
        }
    }
    (text, maps)
}

/// Lines of `text` with their byte offsets, each with its `\n`.
pub(super) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |at, line| {
        let start = *at;
        *at += line.len();
        Some((start, line))
    })
}

/// Follows fenced code blocks line by line.
#[derive(Default)]
pub(super) struct Fences {
    /// The open fence: its character and length.
    open: Option<(u8, usize)>,
}

impl Fences {
    /// Is `line` inside a fenced code block or one of its fence lines? Block-quote markers
    /// and up to three spaces of indent are looked through.
    pub(super) fn code(&mut self, line: &str) -> bool {
        let mut rest = line.trim_end_matches(['\n', '\r']);
        loop {
            let t = rest.trim_start_matches(' ');
            match t.strip_prefix('>') {
                Some(after) if rest.len() - t.len() <= 3 => rest = after,
                _ => break,
            }
        }
        let t = rest.trim_start_matches(' ');
        let fence = |c: u8| t.bytes().take_while(|&b| b == c).count();
        match self.open {
            Some((c, n)) => {
                if fence(c) >= n && t.trim_start_matches(c as char).trim().is_empty() {
                    self.open = None;
                }
                true
            }
            None if rest.len() - t.len() <= 3 => {
                for c in [b'`', b'~'] {
                    let n = fence(c);
                    if n >= 3 && !(c == b'`' && t[n..].contains('`')) {
                        self.open = Some((c, n));
                        return true;
                    }
                }
                false
            }
            None => false,
        }
    }
}

/// Byte ranges of the inline code spans of one line (a run of backticks to the next run of
/// the same length).
pub(super) fn code_spans(line: &str) -> Vec<(usize, usize)> {
    let b = line.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'`' {
            i += 1;
            continue;
        }
        let n = b[i..].iter().take_while(|&&c| c == b'`').count();
        let mut j = i + n;
        let mut close = None;
        while j < b.len() {
            if b[j] == b'`' {
                let m = b[j..].iter().take_while(|&&c| c == b'`').count();
                if m == n {
                    close = Some(j + m);
                    break;
                }
                j += m;
            } else {
                j += 1;
            }
        }
        match close {
            Some(end) => {
                spans.push((i, end));
                i = end;
            }
            None => i += n,
        }
    }
    spans
}

pub(super) fn in_spans(spans: &[(usize, usize)], at: usize) -> bool {
    spans.iter().any(|&(s, e)| s <= at && at < e)
}

/// How deep containers, admonitions and shortcode boxes nest. Each level adds a `> ` to
/// every line inside it, so without a bound a run of unclosed openers would make the text
/// grow with the square of its length; an opener deeper than this is left as text.
pub(super) const MAX_NESTING: usize = 8;

/// `"> "` repeated `depth` times: the block-quote prefix of a callout body.
pub(super) fn quote(depth: usize) -> String {
    "> ".repeat(depth)
}

/// Writes a quote prefix (nothing outside any callout) that stands for offset `at`.
pub(super) fn prefix(w: &mut Rewriter, quote: &str, at: usize) {
    if !quote.is_empty() {
        w.insert(quote, at);
    }
}

/// A quote prefix for a blank line inside `depth` callouts (keeps them open).
pub(super) fn blank_quote(depth: usize) -> String {
    let mut s = "> ".repeat(depth);
    s.pop();
    s
}

/// The callout opening line for `kind` with an optional title and fold (`-` closed, `+`
/// open), after `depth` outer quote levels.
pub(super) fn callout_line(depth: usize, kind: &str, fold: &str, title: &str) -> String {
    let mut s = quote(depth);
    s.push_str("> [!");
    s.push_str(kind);
    s.push(']');
    s.push_str(fold);
    if !title.is_empty() {
        s.push(' ');
        s.push_str(title);
    }
    s.push('\n');
    s
}

/// Columns of leading whitespace (a tab counts four) and the byte length they take.
pub(super) fn indent(line: &str) -> (usize, usize) {
    let mut cols = 0;
    let mut bytes = 0;
    for b in line.bytes() {
        match b {
            b' ' => cols += 1,
            b'\t' => cols += 4 - cols % 4,
            _ => break,
        }
        bytes += 1;
    }
    (cols, bytes)
}

/// Bytes of `line` that make up `cols` columns of indent (never past its whitespace).
pub(super) fn indent_bytes(line: &str, cols: usize) -> usize {
    let mut c = 0;
    let mut bytes = 0;
    for b in line.bytes() {
        if c >= cols {
            break;
        }
        match b {
            b' ' => c += 1,
            b'\t' => c += 4 - c % 4,
            _ => break,
        }
        bytes += 1;
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_point_into_the_body() {
        let text = "!!! tip\n    Body here.\n";
        let (out, map) = mkdocs::admonitions(text).unwrap();
        assert_eq!(
            map.old(out.find("Body").unwrap()),
            text.find("Body").unwrap()
        );
        let text = ":::tip\nBody here.\n:::\n";
        let (out, map) = containers::containers(text).unwrap();
        assert_eq!(
            map.old(out.find("Body").unwrap()),
            text.find("Body").unwrap()
        );
    }
}
