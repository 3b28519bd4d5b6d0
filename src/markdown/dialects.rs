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
//! - Obsidian highlights `==text==` become `<mark>text</mark>`.
//!
//! Fenced code and inline code spans are left as written. A pass whose marker does not
//! occur in the note costs one substring search.

use crate::source_map::{OffsetMap, Rewriter};

/// One pass: the rewritten text and its map, or `None` when it changed nothing.
type Pass = fn(&str) -> Option<(String, OffsetMap)>;

/// Runs every pass over `text`; returns the maps of the passes that changed it, oldest first.
pub(crate) fn rewrite(text: String) -> (String, Vec<OffsetMap>) {
    let mut text = text;
    let mut maps = Vec::new();
    let passes: [Pass; 5] = [comments, shortcodes, admonitions, containers, highlights];
    for pass in passes {
        if let Some((out, map)) = pass(&text) {
            text = out;
            maps.push(map);
        }
    }
    (text, maps)
}

/// Lines of `text` with their byte offsets, each with its `\n`.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |at, line| {
        let start = *at;
        *at += line.len();
        Some((start, line))
    })
}

/// Follows fenced code blocks line by line.
#[derive(Default)]
struct Fences {
    /// The open fence: its character and length.
    open: Option<(u8, usize)>,
}

impl Fences {
    /// Is `line` inside a fenced code block or one of its fence lines? Block-quote markers
    /// and up to three spaces of indent are looked through.
    fn code(&mut self, line: &str) -> bool {
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
fn code_spans(line: &str) -> Vec<(usize, usize)> {
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

fn in_spans(spans: &[(usize, usize)], at: usize) -> bool {
    spans.iter().any(|&(s, e)| s <= at && at < e)
}

/// Obsidian comments: `%%` to the next `%%`, on one line or across lines, outside code.
/// A comment that fills its lines takes them with it, so it does not split a paragraph.
/// A `%%` with no closing `%%` after it is text.
fn comments(text: &str) -> Option<(String, OffsetMap)> {
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

/// `"> "` repeated `depth` times: the block-quote prefix of a callout body.
fn quote(depth: usize) -> String {
    "> ".repeat(depth)
}

/// Writes a quote prefix (nothing outside any callout) that stands for offset `at`.
fn prefix(w: &mut Rewriter, quote: &str, at: usize) {
    if !quote.is_empty() {
        w.insert(quote, at);
    }
}

/// A quote prefix for a blank line inside `depth` callouts (keeps them open).
fn blank_quote(depth: usize) -> String {
    let mut s = "> ".repeat(depth);
    s.pop();
    s
}

/// The callout opening line for `kind` with an optional title and fold (`-` closed, `+`
/// open), after `depth` outer quote levels.
fn callout_line(depth: usize, kind: &str, fold: &str, title: &str) -> String {
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
fn indent(line: &str) -> (usize, usize) {
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
fn indent_bytes(line: &str, cols: usize) -> usize {
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
fn admonitions(text: &str) -> Option<(String, OffsetMap)> {
    if !(text.contains("!!!") || text.contains("???") || text.contains("=== \"")) {
        return None;
    }
    let all: Vec<(usize, &str)> = lines(text).collect();
    let mut w = Rewriter::with_capacity(text.len() + 64);
    let mut fences = Fences::default();
    let mut depth = 0;
    let mut changed = false;
    for (n, &(start, line)) in all.iter().enumerate() {
        if line.trim().is_empty() {
            // Stays inside the callouts the next line (not blank) is indented into.
            let next = all[n + 1..]
                .iter()
                .find(|(_, l)| !l.trim().is_empty())
                .map_or(0, |(_, l)| indent(l).0 / 4);
            depth = depth.min(next);
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
        if let Some((kind, fold, title)) = admonition(content) {
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

/// One Hugo shortcode at the start of `text` (`{{< name args >}}` or `{{% name args %}}`):
/// its length, name (with `/` when closing) and arguments.
fn shortcode(text: &str) -> Option<(usize, &str, &str)> {
    let (open, close) = if text.starts_with("{{<") {
        ("{{<", ">}}")
    } else if text.starts_with("{{%") {
        ("{{%", "%}}")
    } else {
        return None;
    };
    let end = text.find(close)?;
    let inner = text[open.len()..end].trim().trim_end_matches('/').trim();
    let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let name = &inner[..name_end];
    if name.is_empty() || name.contains('\n') {
        return None;
    }
    Some((end + close.len(), name, inner[name_end..].trim()))
}

/// A shortcode's arguments: positional values and `key="value"` pairs, quotes removed.
struct Args {
    positional: Vec<String>,
    named: Vec<(String, String)>,
}

impl Args {
    fn parse(args: &str) -> Args {
        let mut positional = Vec::new();
        let mut named = Vec::new();
        let mut rest = args.trim();
        while !rest.is_empty() {
            let (key, after) = match rest.find(['=', ' ', '"']) {
                Some(i) if rest.as_bytes()[i] == b'=' => (Some(&rest[..i]), &rest[i + 1..]),
                _ => (None, rest),
            };
            let (value, next) = if let Some(q) = after.strip_prefix('"') {
                let e = q.find('"').unwrap_or(q.len());
                (&q[..e], q.get(e + 1..).unwrap_or(""))
            } else {
                let e = after.find(' ').unwrap_or(after.len());
                (&after[..e], &after[e..])
            };
            match key {
                Some(k) => named.push((k.trim().to_lowercase(), value.to_string())),
                None => positional.push(value.to_string()),
            }
            rest = next.trim_start();
        }
        Args { positional, named }
    }

    /// The first of the named arguments `keys` given, else positional argument `nth`.
    fn get(&self, keys: &[&str], nth: Option<usize>) -> Option<String> {
        keys.iter()
            .find_map(|k| self.named.iter().find(|(n, _)| n == k))
            .map(|(_, v)| v.clone())
            .or_else(|| self.positional.get(nth?).cloned())
    }
}

/// Hugo shortcodes studysite can read (see the module's summary); others stay as written.
fn shortcodes(text: &str) -> Option<(String, OffsetMap)> {
    if !(text.contains("{{<") || text.contains("{{%")) {
        return None;
    }
    const BOXES: &[&str] = &[
        "hint",
        "notice",
        "alert",
        "callout",
        "admonition",
        "details",
    ];
    let mut w = Rewriter::with_capacity(text.len());
    let mut fences = Fences::default();
    let mut open: Vec<&str> = Vec::new();
    let mut changed = false;
    for (start, line) in lines(text) {
        if fences.code(line) {
            w.copy(line, start);
            continue;
        }
        let t = line.trim();
        let lead = line.len() - line.trim_start().len();
        // A box shortcode alone on its line opens or closes a container.
        if let Some((_, name, args)) = shortcode(t).filter(|(len, ..)| *len == t.len()) {
            let nl = if line.ends_with('\n') { "\n" } else { "" };
            if let Some(closing) = name.strip_prefix('/') {
                if open.last() == Some(&closing) {
                    open.pop();
                    w.insert(&format!(":::{nl}"), start + lead);
                    changed = true;
                    continue;
                }
            } else if BOXES.contains(&name) {
                let args = Args::parse(args);
                let (kind, title) = if name == "details" {
                    let title = args.get(&["title", "summary"], Some(0));
                    ("details".to_string(), title.unwrap_or_default())
                } else {
                    let kind = args.get(&["type", "context"], Some(0));
                    let title = args.get(&["title"], Some(1));
                    (
                        kind.unwrap_or_else(|| "note".into()),
                        title.unwrap_or_default(),
                    )
                };
                open.push(name);
                let head = format!(":::{kind} {title}").trim_end().to_string();
                w.insert(&format!("{head}{nl}"), start + lead);
                changed = true;
                continue;
            }
        }
        // Inline: ref/relref become their path, figure an image.
        let spans = code_spans(line);
        let mut pos = 0;
        let mut i = 0;
        while let Some(at) = line[i..].find("{{").map(|a| a + i) {
            i = at + 2;
            if in_spans(&spans, at) {
                continue;
            }
            let Some((len, name, args)) = shortcode(&line[at..]) else {
                continue;
            };
            let args = Args::parse(args);
            let replacement = match name {
                "ref" | "relref" => args.get(&["path"], Some(0)),
                "figure" => args.get(&["src"], None).map(|src| {
                    let alt = args.get(&["alt", "caption", "title"], None);
                    format!("![{}](<{src}>)", alt.unwrap_or_default())
                }),
                _ => None,
            };
            let Some(replacement) = replacement else {
                continue;
            };
            w.copy(&line[pos..at], start + pos);
            w.insert(&replacement, start + at);
            pos = at + len;
            i = pos;
            changed = true;
        }
        w.copy(&line[pos..], start + pos);
    }
    changed.then(|| w.finish())
}

/// `:::type` ... `:::` containers. The closing line is only colons, at least as many as
/// the opening's; they nest.
fn containers(text: &str) -> Option<(String, OffsetMap)> {
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
        if let Some((colons, kind, fold, title)) = container_open(line) {
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

/// Obsidian highlights: `==text==` on one line, outside code. The text must not start or
/// end with a space, so `a == b` stays as written, and the marks must not touch a word.
fn highlights(text: &str) -> Option<(String, OffsetMap)> {
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

    fn run(f: Pass, text: &str) -> String {
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
    fn hugo_shortcodes() {
        assert_eq!(
            run(
                shortcodes,
                "See [VPC]({{< ref \"net/vpc.md\" >}}) and {{< relref \"dns\" >}}.\n"
            ),
            "See [VPC](net/vpc.md) and dns.\n"
        );
        assert_eq!(
            run(
                shortcodes,
                "{{< figure src=\"img/a b.png\" caption=\"The flow\" >}}\n"
            ),
            "![The flow](<img/a b.png>)\n"
        );
        let boxes = "{{< hint warning >}}\nCareful.\n{{< /hint >}}\n\n\
                     {{% notice tip \"Remember\" %}}\nThis.\n{{% /notice %}}\n\n\
                     {{< details title=\"Show answer\" >}}\n42\n{{< /details >}}\n";
        assert_eq!(
            run(shortcodes, boxes),
            ":::warning\nCareful.\n:::\n\n:::tip Remember\nThis.\n:::\n\n:::details Show answer\n42\n:::\n"
        );
        let all = rewrite(boxes.to_string()).0;
        assert!(all.starts_with("> [!warning]\n> Careful.\n"), "{all}");
        assert!(all.contains("> [!note]- Show answer\n> 42\n"), "{all}");
        // Unknown shortcodes, and any in code, stay as written.
        for keep in [
            "{{< youtube abc >}}\n",
            "`{{< ref \"x\" >}}`\n",
            "```\n{{< hint >}}\n```\n",
        ] {
            assert_eq!(run(shortcodes, keep), keep);
        }
    }

    #[test]
    fn offsets_point_into_the_body() {
        let text = "!!! tip\n    Body here.\n";
        let (out, map) = admonitions(text).unwrap();
        assert_eq!(
            map.old(out.find("Body").unwrap()),
            text.find("Body").unwrap()
        );
        let text = ":::tip\nBody here.\n:::\n";
        let (out, map) = containers(text).unwrap();
        assert_eq!(
            map.old(out.find("Body").unwrap()),
            text.find("Body").unwrap()
        );
    }
}
