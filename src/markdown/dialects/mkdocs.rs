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
