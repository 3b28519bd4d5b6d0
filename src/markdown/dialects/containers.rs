//! `:::tip Title` ... `:::` containers (Docusaurus `:::tip[Title]`, VuePress `::: details`,
//! Pandoc `::: {.note}`), as Obsidian callouts.

use super::{blank_quote, callout_line, lines, prefix, quote, Fences, MAX_NESTING};
use crate::source_map::{OffsetMap, Rewriter};

/// A container opening line: `:::tip`, `:::tip Title`, `:::tip[Title]`, `::: tip Title`,
/// `::: {.tip}`, `::: details Title` (folded). Returns the colon count, type, fold, title.
fn container_open(line: &str) -> Option<(usize, String, &'static str, String)> {
    let t = line.trim();
    let colons = t.bytes().take_while(|&b| b == b':').count();
    if colons < 3 {
        return None;
    }
    let rest = t[colons..].trim_start();
    let (kind, title) = if let Some(attrs) = rest.strip_prefix('{') {
        // Pandoc: `::: {.note}`; the first class names the type.
        let attrs = attrs.strip_suffix('}')?;
        let class = attrs.split_whitespace().find_map(|a| a.strip_prefix('.'))?;
        (class, "")
    } else {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        let (kind, after) = rest.split_at(end);
        let title = match after.strip_prefix('[') {
            Some(t) => t.strip_suffix(']')?,
            None => after,
        };
        (kind, title.trim())
    };
    if kind.is_empty() || !kind.starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    let kind = kind.to_lowercase();
    let (kind, fold) = if kind == "details" {
        ("note".to_string(), "-")
    } else {
        (kind, "")
    };
    Some((colons, kind, fold, title.to_string()))
}

/// `:::type` ... `:::` containers. The closing line is only colons, at least as many as
/// the opening's; they nest (up to [`MAX_NESTING`] deep). One left open runs to the end of
/// the note, as in Docusaurus.
pub(super) fn containers(text: &str) -> Option<(String, OffsetMap)> {
    if !text.contains(":::") {
        return None;
    }
    let mut w = Rewriter::with_capacity(text.len() + 64);
    let mut fences = Fences::default();
    let mut open: Vec<usize> = Vec::new();
    let mut changed = false;
    for (start, line) in lines(text) {
        let depth = open.len();
        if fences.code(line) {
            prefix(&mut w, &quote(depth), start);
            w.copy(line, start);
            continue;
        }
        let t = line.trim();
        let colons = t.bytes().take_while(|&b| b == b':').count();
        if depth > 0 && colons >= 3 && colons == t.len() && colons >= open[depth - 1] {
            open.pop();
            continue;
        }
        let opened = (depth < MAX_NESTING)
            .then(|| container_open(line))
            .flatten();
        if let Some((colons, kind, fold, title)) = opened {
            let mut head = callout_line(depth, &kind, fold, &title);
            if !line.ends_with('\n') {
                head.pop();
            }
            w.insert(&head, start);
            open.push(colons);
            changed = true;
            continue;
        }
        if t.is_empty() {
            let nl = line.len() - usize::from(line.ends_with('\n'));
            prefix(&mut w, &blank_quote(depth), start);
            w.copy(&line[nl..], start + nl);
        } else {
            prefix(&mut w, &quote(depth), start);
            w.copy(line, start);
        }
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
    fn containers_become_callouts() {
        assert_eq!(
            run(containers, ":::tip Use it\nBody.\n\nMore.\n:::\nAfter.\n"),
            "> [!tip] Use it\n> Body.\n>\n> More.\nAfter.\n"
        );
        assert_eq!(
            run(containers, ":::danger[Careful]\nX.\n:::\n"),
            "> [!danger] Careful\n> X.\n"
        );
        assert_eq!(
            run(containers, "::: details Show\nHidden.\n:::\n"),
            "> [!note]- Show\n> Hidden.\n"
        );
        assert_eq!(
            run(containers, "::: {.warning}\nW.\n:::\n"),
            "> [!warning]\n> W.\n"
        );
        assert_eq!(
            run(
                containers,
                "::::note\nOuter.\n:::tip\nInner.\n:::\n::::\nOut.\n"
            ),
            "> [!note]\n> Outer.\n> > [!tip]\n> > Inner.\nOut.\n"
        );
        assert_eq!(run(containers, "a ::: b\n:::\n"), "a ::: b\n:::\n");
        assert_eq!(
            run(containers, ":::note\n```\n:::\n```\n:::\n"),
            "> [!note]\n> ```\n> :::\n> ```\n"
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let out = run(containers, &":::tip x\n".repeat(100));
        assert_eq!(out.matches("[!tip]").count(), MAX_NESTING);
        assert!(out.len() < 100 * 9 * (2 * MAX_NESTING + 1), "{}", out.len());
    }
}
