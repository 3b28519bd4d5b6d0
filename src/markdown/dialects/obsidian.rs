//! Obsidian's own syntax: `%%comments%%` (inline or over several lines) are left out, and
//! `==highlights==` become `<mark>`.

use super::{code_spans, in_spans, lines, Fences};
use crate::source_map::{OffsetMap, Rewriter};

/// Obsidian comments: `%%` to the next `%%`, on one line or across lines, outside code.
/// A comment that fills its lines takes them with it, so it does not split a paragraph.
/// A `%%` with no closing `%%` after it is text.
pub(super) fn comments(text: &str) -> Option<(String, OffsetMap)> {
    if !text.contains("%%") {
        return None;
    }
    let mut w = Rewriter::with_capacity(text.len());
    let mut fences = Fences::default();
    let mut changed = false;
    // Inside a comment: where it started and whether only blanks were before it on its line.
    let mut open: Option<bool> = None;
    for (start, line) in lines(text) {
        let mut pos = 0;
        if open.is_none() && fences.code(line) {
            w.copy(line, start);
            continue;
        }
        let spans = code_spans(line);
        loop {
            match open {
                Some(line_start) => match line[pos..].find("%%") {
                    Some(i) => {
                        pos += i + 2;
                        open = None;
                        let rest = &line[pos..];
                        if line_start && rest.trim().is_empty() {
                            pos = line.len();
                        }
                    }
                    None => break,
                },
                None => {
                    let found = line[pos..]
                        .match_indices("%%")
                        .map(|(i, _)| pos + i)
                        .find(|&i| !in_spans(&spans, i));
                    let Some(i) = found else {
                        w.copy(&line[pos..], start + pos);
                        break;
                    };
                    if !text[start + i + 2..].contains("%%") {
                        w.copy(&line[pos..], start + pos);
                        break;
                    }
                    w.copy(&line[pos..i], start + pos);
                    changed = true;
                    open = Some(line[..i].trim().is_empty());
                    pos = i + 2;
                }
            }
        }
    }
    changed.then(|| w.finish())
}

/// Obsidian highlights: `==text==` on one line, outside code. The text must not start or
/// end with a space, so `a == b` stays as written, and the marks must not touch a word.
pub(super) fn highlights(text: &str) -> Option<(String, OffsetMap)> {
    if !text.contains("==") {
        return None;
    }
    let mut w = Rewriter::with_capacity(text.len() + 32);
    let mut fences = Fences::default();
    let mut changed = false;
    for (start, line) in lines(text) {
        if fences.code(line) {
            w.copy(line, start);
            continue;
        }
        let spans = code_spans(line);
        let b = line.as_bytes();
        let at = |i: usize| b.get(i).copied();
        let is_mark = |i: usize| {
            at(i) == Some(b'=')
                && at(i + 1) == Some(b'=')
                && at(i + 2) != Some(b'=')
                && (i == 0 || at(i - 1) != Some(b'='))
                && !in_spans(&spans, i)
        };
        // Not inside a word: `pandas==2.0.0 numpy==1.26` pins versions.
        let word = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_');
        let mut pos = 0;
        let mut i = 0;
        while i + 1 < b.len() {
            let opens = is_mark(i)
                && at(i + 2).is_some_and(|c| !c.is_ascii_whitespace())
                && (i == 0 || !word(at(i - 1)));
            if !opens {
                i += 1;
                continue;
            }
            let close = (i + 3..b.len().saturating_sub(1))
                .find(|&j| is_mark(j) && !b[j - 1].is_ascii_whitespace() && !word(at(j + 2)));
            let Some(j) = close else {
                break;
            };
            w.copy(&line[pos..i], start + pos);
            w.insert("<mark>", start + i);
            w.copy(&line[i + 2..j], start + i + 2);
            w.insert("</mark>", start + j);
            pos = j + 2;
            i = pos;
            changed = true;
        }
        w.copy(&line[pos..], start + pos);
    }
    changed.then(|| w.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: fn(&str) -> Option<(String, OffsetMap)>, text: &str) -> String {
        f(text).map_or_else(|| text.to_string(), |(s, _)| s)
    }

    #[test]
    fn comments_inline_and_across_lines() {
        assert_eq!(run(comments, "a %%hidden%% b\n"), "a  b\n");
        assert_eq!(
            run(comments, "para one\n%%\nhidden\nlines\n%%\nstill para\n"),
            "para one\nstill para\n"
        );
        assert_eq!(run(comments, "x `%%` y %%z%%\n"), "x `%%` y \n");
        assert_eq!(run(comments, "```\n%%a%%\n```\n"), "```\n%%a%%\n```\n");
        assert_eq!(run(comments, "50%% off\n"), "50%% off\n");
    }

    #[test]
    fn comment_offsets_map_back() {
        let text = "a %%x%% b\n";
        let (out, map) = comments(text).unwrap();
        let b = out.find('b').unwrap();
        assert_eq!(map.old(b), text.find('b').unwrap());
    }

    #[test]
    fn highlights_marks_but_not_comparisons() {
        assert_eq!(
            run(highlights, "a ==key idea== b\n"),
            "a <mark>key idea</mark> b\n"
        );
        assert_eq!(run(highlights, "if a == b == c\n"), "if a == b == c\n");
        assert_eq!(
            run(highlights, "`==x==` and ==y==\n"),
            "`==x==` and <mark>y</mark>\n"
        );
        assert_eq!(run(highlights, "Title\n===\n"), "Title\n===\n");
        assert_eq!(
            run(highlights, "pin requests==2.28.0 pandas==2.0.0 here\n"),
            "pin requests==2.28.0 pandas==2.0.0 here\n"
        );
        assert_eq!(run(highlights, "```\n==x==\n```\n"), "```\n==x==\n```\n");
        let (out, map) = highlights("ab ==cd== ef").unwrap();
        assert_eq!(map.old(out.find("cd").unwrap()), 5);
        assert_eq!(map.old(out.find("ef").unwrap()), 10);
    }
}
