//! MkDocs admonitions (`!!! tip "Title"`, folded `??? tip`, open `???+ tip`, the body
//! indented four spaces) and Material's content tabs (`=== "Python"`), as Obsidian callouts.

use super::{
    blank_quote, callout_line, indent, indent_bytes, lines, prefix, quote, Fences, MAX_NESTING,
};
use crate::source_map::{OffsetMap, Rewriter};

/// A MkDocs admonition line: `!!! type "Title"`, `??? type`, `???+ type`; returns the
/// type, the fold marker and the title. Extra class names after the type are dropped;
/// `""` is no title (the type names it).
fn admonition(line: &str) -> Option<(String, &'static str, String)> {
    let line = line.trim_end();
    // Material for MkDocs' content tabs, `=== "Python"`: each tab is shown in turn, titled.
    if let Some(rest) = line.strip_prefix("===") {
        let rest = rest.strip_prefix(['!', '+']).unwrap_or(rest);
        let title = rest.trim().strip_prefix('"')?.strip_suffix('"')?;
        return Some(("example".into(), "", title.to_string()));
    }
    let (fold, rest) = if let Some(r) = line.strip_prefix("???+") {
        ("+", r)
    } else if let Some(r) = line.strip_prefix("???") {
        ("-", r)
    } else {
        ("", line.strip_prefix("!!!")?)
    };
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim_start();
    let (words, title) = match rest.find('"') {
        Some(q) => {
            let t = rest[q + 1..].strip_suffix('"')?;
            (&rest[..q], t.to_string())
        }
        None => (rest, String::new()),
    };
    let kind = words.split_whitespace().next()?;
    if !kind
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    Some((kind.to_lowercase(), fold, title))
}

/// An admonition written on one line, its list run into the header: `!!! warning "Key
/// Points" - Execution role is assumed by SageMaker - KMS for encryption at rest`, or `1.
/// Use least privilege 2. Enable encryption`. MkDocs shows such a line as text; it is a
/// list whose line breaks were lost, and is read as the admonition it was meant to be.
/// Returns the header, whether the list is numbered, and each item's (byte in `line`, text).
type OneLine<'a> = ((String, &'static str, String), bool, Vec<(usize, &'a str)>);

fn one_line(line: &str) -> Option<OneLine<'_>> {
    let line = line.trim_end();
    let open = line.find('"')?;
    let close = open + 1 + line[open + 1..].find('"')?;
    let header = admonition(&line[..=close])?;
    let body = &line[close + 1..];
    let lead = body.len() - body.trim_start().len();
    let body_at = close + 1 + lead;
    let body = body.trim_start();
    let numbered = body.starts_with("1. ");
    if !(body.starts_with("- ") || numbered) {
        return None;
    }
    let mut items = Vec::new();
    let marker = if numbered { "1. ".len() } else { "- ".len() };
    let mut rest = &body[marker..];
    let mut at = body_at + marker;
    let mut n = 2;
    loop {
        let sep = if numbered {
            format!(" {n}. ")
        } else {
            " - ".to_string()
        };
        let end = rest.find(&sep);
        let piece = &rest[..end.unwrap_or(rest.len())];
        // Each item's text stands where it is in the line, its spaces aside.
        items.push((at + piece.len() - piece.trim_start().len(), piece.trim()));
        let Some(i) = end else { break };
        rest = &rest[i + sep.len()..];
        at += i + sep.len();
        n += 1;
    }
    let items: Vec<(usize, &str)> = items.into_iter().filter(|(_, t)| !t.is_empty()).collect();
    (items.len() >= 2).then_some((header, numbered, items))
}

/// MkDocs admonitions: a header line, then a body indented four more spaces than it,
/// ending at the first line (not blank) indented less. They nest.
pub(super) fn admonitions(text: &str) -> Option<(String, OffsetMap)> {
    if !(text.contains("!!!") || text.contains("???") || text.contains("=== \"")) {
        return None;
    }
    let all: Vec<(usize, &str)> = lines(text).collect();
    // For each line, the indent level of the next line that is not blank (0 at the end).
    let mut next_level = vec![0; all.len() + 1];
    for n in (0..all.len()).rev() {
        let line = all[n].1;
        next_level[n] = if line.trim().is_empty() {
            next_level[n + 1]
        } else {
            indent(line).0 / 4
        };
    }
    let mut w = Rewriter::with_capacity(text.len() + 64);
    let mut fences = Fences::default();
    let mut depth = 0;
    let mut changed = false;
    for (n, &(start, line)) in all.iter().enumerate() {
        if line.trim().is_empty() {
            // Stays inside the callouts the next line (not blank) is indented into.
            depth = depth.min(next_level[n + 1]);
            let cut = indent_bytes(line, 4 * depth);
            prefix(&mut w, &blank_quote(depth), start);
            w.copy(&line[cut..], start + cut);
            continue;
        }
        let (cols, _) = indent(line);
        if fences.open.is_none() {
            depth = depth.min(cols / 4);
        }
        let cut = indent_bytes(line, 4 * depth);
        let content = &line[cut..];
        if fences.code(content) {
            prefix(&mut w, &quote(depth), start);
            w.copy(content, start + cut);
            continue;
        }
        if let Some(((kind, fold, title), numbered, items)) =
            (depth < MAX_NESTING).then(|| one_line(content)).flatten()
        {
            w.insert(&callout_line(depth, &kind, fold, &title), start + cut);
            for (k, (at, item)) in items.into_iter().enumerate() {
                let at = start + cut + at;
                prefix(&mut w, &quote(depth + 1), at);
                let marker = if numbered {
                    format!("{}. ", k + 1)
                } else {
                    "- ".into()
                };
                w.insert(&marker, at);
                w.copy(item, at);
                w.insert("\n", at + item.len());
            }
            // A line right below would continue the last item.
            if all.get(n + 1).is_some_and(|(_, l)| !l.trim().is_empty()) {
                w.insert("\n", start + line.len());
            }
            changed = true;
            continue;
        }
        let opened = (depth < MAX_NESTING).then(|| admonition(content)).flatten();
        if let Some((kind, fold, title)) = opened {
            w.insert(&callout_line(depth, &kind, fold, &title), start + cut);
            depth += 1;
            changed = true;
            continue;
        }
        prefix(&mut w, &quote(depth), start);
        w.copy(content, start + cut);
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
    fn mkdocs_admonitions_become_callouts() {
        let text = "!!! tip \"Pick the cheap one\"\n    Body line.\n\n    More body.\n\nAfter.\n";
        assert_eq!(
            run(admonitions, text),
            "> [!tip] Pick the cheap one\n> Body line.\n>\n> More body.\n\nAfter.\n"
        );
        assert_eq!(
            run(
                admonitions,
                "??? note\n    Folded.\n???+ warning \"\"\n    Open.\n"
            ),
            "> [!note]-\n> Folded.\n> [!warning]+\n> Open.\n"
        );
        let nested = "!!! note \"Outer\"\n    Outer body.\n\n    !!! danger\n        Inner.\n\n    Outer again.\n";
        assert_eq!(
            run(admonitions, nested),
            "> [!note] Outer\n> Outer body.\n>\n> > [!danger]\n> > Inner.\n>\n> Outer again.\n"
        );
        let code = "!!! example\n    ```python\n    x = 1\n\n    y = 2\n    ```\n";
        assert_eq!(
            run(admonitions, code),
            "> [!example]\n> ```python\n> x = 1\n>\n> y = 2\n> ```\n"
        );
        assert_eq!(run(admonitions, "Wow!!! Really\n"), "Wow!!! Really\n");
        // A list run into its header line is the list it was.
        assert_eq!(
            run(
                admonitions,
                "!!! warning \"Key Points\" - XGBoost: tabular data - BlazingText: text\nAfter.\n"
            ),
            "> [!warning] Key Points\n> - XGBoost: tabular data\n> - BlazingText: text\n\nAfter.\n"
        );
        assert_eq!(
            run(
                admonitions,
                "!!! tip \"Do\" 1. Use least privilege 2. Encrypt\n"
            ),
            "> [!tip] Do\n> 1. Use least privilege\n> 2. Encrypt\n"
        );
        // Each item maps to its own text in the line (diagnostics point there).
        for line in [
            "!!! tip \"Do\" 1. Use least privilege 2. Encrypt",
            "!!! tip \"Do\" -  Use least privilege -  Encrypt",
        ] {
            let (_, _, items) = one_line(line).unwrap();
            for (at, text) in items {
                assert_eq!(&line[at..at + text.len()], text, "{line}");
            }
        }
        assert_eq!(
            run(
                admonitions,
                "=== \"Python\"\n    py\n\n=== \"SQL\"\n    sql\n"
            ),
            "> [!example] Python\n> py\n\n> [!example] SQL\n> sql\n"
        );
        assert_eq!(
            run(admonitions, "```\n!!! note\n    x\n```\n"),
            "```\n!!! note\n    x\n```\n"
        );
    }
}
