//! Finding un-fenced diagrams (BOXDRAW.md §5): which lines are drawing, which are markdown.

use super::{is_arrow, is_arrow_line, is_box};
use std::ops::Range;

/// Longer lines are prose pasted as one line, never a drawing.
const MAX_LINE_CHARS: usize = 120;

/// What a line can be to the detector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Ends a run: blank, list item, heading, table row, quote, fence, HTML block, fenced
    /// or HTML content, too long.
    Stop,
    /// Holds a box-drawing character.
    Box,
    /// Only arrows, perhaps with a short label at each end.
    Arrow,
    /// Looks preformatted: indented, spaced into columns, has an arrow, or starts with `[`.
    Pre,
    /// Anything else.
    Prose,
}

impl Kind {
    fn is_mark(self) -> bool {
        matches!(self, Kind::Box | Kind::Arrow)
    }
}

/// The runs of diagram lines in `text`, as 0-based half-open line ranges.
pub(super) fn find(text: &str) -> Vec<Range<usize>> {
    runs(&classify(text))
}

/// Groups marked lines into runs (§5 rules 3 and 4).
fn runs(kinds: &[Kind]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < kinds.len() {
        if !kinds[i].is_mark() {
            i += 1;
            continue;
        }
        let floor = out.last().map_or(0, |r| r.end);
        let (mut start, mut end) = (i, i + 1);
        // Marks at most two lines apart, with no stop between, are one cluster.
        while let Some(next) = (end..(end + 2).min(kinds.len()))
            .take_while(|&j| kinds[j] != Kind::Stop)
            .find(|&j| kinds[j].is_mark())
        {
            end = next + 1;
        }
        // An arrow at an edge points at the line beyond it, whatever that line looks like.
        if kinds[start] == Kind::Arrow && start > floor && kinds[start - 1] != Kind::Stop {
            start -= 1;
        }
        while start > floor && matches!(kinds[start - 1], Kind::Pre | Kind::Box | Kind::Arrow) {
            start -= 1;
        }
        while end < kinds.len()
            && kinds[end] != Kind::Stop
            && (kinds[end] != Kind::Prose || kinds[end - 1] == Kind::Arrow)
        {
            end += 1;
        }
        // A lone box-drawing line is an underline or a rule, not a drawing.
        if end - start >= 2 || kinds[start..end].contains(&Kind::Arrow) {
            out.push(start..end);
        }
        i = end;
    }
    out
}

/// The kind of every line, tracking fences and HTML blocks so nothing inside them is marked.
fn classify(text: &str) -> Vec<Kind> {
    let mut inside = Inside::Nothing;
    text.split('\n')
        .map(|line| {
            let (kind, next) = match inside {
                Inside::Fence(ch, len) => {
                    (Kind::Stop, (!closes_fence(line, ch, len)).then_some(inside))
                }
                Inside::Html(end) => (
                    Kind::Stop,
                    (!line.to_ascii_lowercase().contains(end)).then_some(inside),
                ),
                Inside::HtmlUntilBlank => (Kind::Stop, (!line.trim().is_empty()).then_some(inside)),
                Inside::Nothing => match opens_block(line) {
                    Some(opened) => (Kind::Stop, Some(opened)),
                    None => (line_kind(line), None),
                },
            };
            inside = next.unwrap_or(Inside::Nothing);
            kind
        })
        .collect()
}

/// A block whose lines the detector must leave alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inside {
    Nothing,
    /// A fence of this character and length.
    Fence(u8, usize),
    /// An HTML block that ends at the line holding this (lowercase) text.
    Html(&'static str),
    /// An HTML block that ends at a blank line.
    HtmlUntilBlank,
}

/// Opening a fence or an HTML block on this line.
///
/// Fences are found after any indentation, `>` markers and one list marker, so a fence in a
/// quote or a list item is honoured too; a fence-like line in an indented code block is then
/// taken for a fence, which only makes the detector claim less.
fn opens_block(line: &str) -> Option<Inside> {
    let rest = strip_containers(line);
    let rest = strip_list_marker(rest).map_or(rest, str::trim_start);
    if let Some((ch, len)) = fence_run(rest) {
        if ch == b'~' || !rest[len..].contains('`') {
            return Some(Inside::Fence(ch, len));
        }
    }
    html_block(line)
}

fn closes_fence(line: &str, ch: u8, len: usize) -> bool {
    let rest = strip_containers(line);
    fence_run(rest).is_some_and(|(c, n)| c == ch && n >= len && rest[n..].trim().is_empty())
}

/// Leading indentation and blockquote markers.
fn strip_containers(line: &str) -> &str {
    let mut rest = line.trim_start();
    while let Some(inner) = rest.strip_prefix('>') {
        rest = inner.trim_start();
    }
    rest
}

/// Three or more backticks or tildes at the start: their character and count.
fn fence_run(rest: &str) -> Option<(u8, usize)> {
    let ch = *rest.as_bytes().first()?;
    let len = rest.bytes().take_while(|&b| b == ch).count();
    ((ch == b'`' || ch == b'~') && len >= 3).then_some((ch, len))
}

/// What follows a list marker (`• `, `- `, `* `, `+ `, `1. `, `1) `), if `rest` starts with one.
fn strip_list_marker(rest: &str) -> Option<&str> {
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let after = if (1..=9).contains(&digits) {
        rest[digits..].strip_prefix(['.', ')'])?
    } else {
        rest.strip_prefix(['•', '-', '*', '+'])?
    };
    (after.is_empty() || after.starts_with([' ', '\t'])).then_some(after)
}

/// HTML block starts (CommonMark 4.6): raw-text elements and comments end at their closing
/// text, block-level tags at a blank line.
fn html_block(line: &str) -> Option<Inside> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = line
        .get(indent..)?
        .strip_prefix('<')
        .filter(|_| indent < 4)?;
    let lower = rest.to_ascii_lowercase();
    let until = |end: &'static str, skip: usize| {
        (!lower[skip.min(lower.len())..].contains(end)).then_some(Inside::Html(end))
    };
    if let Some((_, end)) = RAW_TEXT_TAGS
        .iter()
        .find(|(tag, _)| lower.starts_with(tag) && ends_tag_name(&lower[tag.len()..]))
    {
        return until(end, 0);
    }
    if lower.starts_with("!--") {
        return until("-->", 3);
    }
    if lower.starts_with("![cdata[") {
        return until("]]>", 8);
    }
    if lower.starts_with('?') {
        return until("?>", 1);
    }
    if lower.starts_with('!') && lower[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return until(">", 1);
    }
    let name = lower.strip_prefix('/').unwrap_or(&lower);
    let len = name.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let is_block = BLOCK_TAGS.contains(&&name[..len]) && {
        let after = &name[len..];
        after.is_empty() || after.starts_with([' ', '\t', '>']) || after.starts_with("/>")
    };
    is_block.then_some(Inside::HtmlUntilBlank)
}

fn ends_tag_name(after: &str) -> bool {
    after.is_empty() || after.starts_with([' ', '\t', '>'])
}

/// CommonMark's HTML block type 1: these run to their closing tag, blank lines and all.
const RAW_TEXT_TAGS: [(&str, &str); 4] = [
    ("pre", "</pre>"),
    ("script", "</script>"),
    ("style", "</style>"),
    ("textarea", "</textarea>"),
];

/// CommonMark's HTML block (type 6) tag names.
#[rustfmt::skip]
const BLOCK_TAGS: &[&str] = &[
    "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center",
    "col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5",
    "h6", "head", "header", "hr", "html", "iframe", "legend", "li", "link", "main", "menu",
    "menuitem", "nav", "noframes", "ol", "optgroup", "option", "p", "param", "search", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "track", "ul",
];

/// The kind of a line outside fences and HTML blocks.
fn line_kind(line: &str) -> Kind {
    let trimmed = line.trim();
    let too_long = line.len() > MAX_LINE_CHARS && line.chars().count() > MAX_LINE_CHARS;
    if trimmed.is_empty() || too_long || starts_other_block(line) {
        return Kind::Stop;
    }
    // Box drawing and arrows are all three-byte UTF-8 from lead byte 0xE2 on.
    let drawing = trimmed.bytes().any(|b| b >= 0xe2);
    if drawing && trimmed.chars().any(is_box) {
        Kind::Box
    } else if drawing && is_arrow_line(trimmed) {
        Kind::Arrow
    } else if looks_preformatted(line, trimmed, drawing) {
        Kind::Pre
    } else {
        Kind::Prose
    }
}

/// List items, headings, quotes and table rows keep their markdown meaning.
fn starts_other_block(line: &str) -> bool {
    let trimmed = line.trim();
    let indent = line.len() - line.trim_start().len();
    let heading = trimmed.bytes().take_while(|&b| b == b'#').count();
    strip_list_marker(trimmed).is_some()
        || (1..=6).contains(&heading)
            && matches!(trimmed.as_bytes().get(heading), None | Some(b' ' | b'\t'))
        || indent < 4 && trimmed.starts_with('>')
        || is_table_row(trimmed)
}

/// `| a | b |`, `a | b |` or a delimiter row `---|:--:`.
fn is_table_row(trimmed: &str) -> bool {
    let pipes = trimmed.bytes().filter(|&b| b == b'|').count();
    let delimiter = pipes > 0
        && trimmed.contains('-')
        && trimmed
            .bytes()
            .all(|b| matches!(b, b'|' | b':' | b'-' | b' ' | b'\t'));
    trimmed.starts_with('|') || trimmed.ends_with('|') && pipes >= 2 || delimiter
}

/// Indented by two or more, spaced into columns, holding an arrow, or opening with `[`
/// (§5 rule 4): the lines around a drawing that belong to it.
fn looks_preformatted(line: &str, trimmed: &str, drawing: bool) -> bool {
    let indent: usize = line
        .chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 2 } else { 1 })
        .sum();
    indent >= 2
        || trimmed.contains("  ")
        || trimmed.contains('\t')
        || trimmed.starts_with('[')
        || drawing && trimmed.chars().any(is_arrow)
}

#[cfg(test)]
mod tests {
    use super::super::tests::shared_file;
    use super::super::{detect, fence_unfenced};
    use super::*;

    const NONE: Vec<(usize, usize)> = Vec::new();

    /// Claimed runs as 0-based (first, end) line pairs.
    fn claimed(text: &str) -> Vec<(usize, usize)> {
        detect(text).into_iter().map(|r| (r.start, r.end)).collect()
    }

    #[test]
    fn near_misses_are_not_claimed() {
        let prose =
            "Intro line\n\n| a | b |\n|---|---|\n| x → y | z |\n\n———————\n\nUse X → Y for that.\n";
        assert_eq!(claimed(prose), NONE);
        assert_eq!(claimed("Heading\n───────\nText after.\n"), NONE);
        assert_eq!(claimed("- ├── a\n- └── b\n"), NONE);
        assert_eq!(claimed("> ┌─┐\n> └─┘\n"), NONE);
    }

    #[test]
    fn indented_and_arrow_flows_are_claimed() {
        let text = "Intro:\n  ┌─┐\n  └─┘\nafter\n";
        assert_eq!(claimed(text), [(1, 3)]);
        let flow = "Steps\n\nSource\n    ↓\nBuild\n    ↓\nDeploy\n\nDone\n";
        assert_eq!(claimed(flow), [(2, 7)]);
    }

    #[test]
    fn fenced_and_html_content_is_left_alone() {
        let text = "```\n┌─┐\n└─┘\n```\n\n  ```text\n  ┌─┐\n  └─┘\n  ```\n\n<pre>\n┌─┐\n└─┘\n</pre>\n\n<div>\n┌─┐\n└─┘\n</div>\n";
        assert_eq!(claimed(text), NONE);
        let after = "~~~~\n```\n~~~\n┌─┐\n~~~~\n┌─┐\n└─┘\n";
        assert_eq!(claimed(after), [(5, 7)]);
    }

    #[test]
    fn fence_wraps_each_run_and_maps_back() {
        let text = "Prose above\n  ┌─┐ `a`\n  └─┘\nTable|x\n\n┌─┐\n└─┘";
        let (out, map) = fence_unfenced(text);
        assert_eq!(
            out,
            "Prose above\n```diagram\n  ┌─┐ `a`\n  └─┘\n```\nTable|x\n\n```diagram\n┌─┐\n└─┘\n```\n"
        );
        for line in ["  ┌─┐ `a`\n", "  └─┘\n", "Table|x\n", "┌─┐\n", "└─┘"]
        {
            let (old, new) = (text.rfind(line).unwrap(), out.rfind(line).unwrap());
            assert_eq!(map.old(new), old, "{line:?}");
        }
        assert_eq!(map.old(0), 0);
    }

    #[test]
    fn fence_outruns_backticks_inside() {
        let (out, _) = fence_unfenced("┌─┐ ````x\n└─┘\n");
        assert!(
            out.starts_with("`````diagram\n") && out.ends_with("\n`````\n"),
            "{out}"
        );
    }

    const SEED: &str = "seeds/000_95d02aa25f21aa4e.txt";

    #[test]
    fn seed_has_exactly_its_eleven_diagrams() {
        let Some(seed) = shared_file(SEED) else {
            return;
        };
        // BOXDRAW.md §5, 1-based inclusive.
        let expected = [
            (16, 38),
            (59, 65),
            (119, 121),
            (160, 164),
            (184, 190),
            (271, 277),
            (279, 284),
            (297, 312),
            (368, 375),
            (378, 381),
            (399, 407),
        ];
        let found: Vec<(usize, usize)> = detect(&seed)
            .into_iter()
            .map(|r| (r.start + 1, r.end))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn seed_round_trips_through_the_fences() {
        let Some(seed) = shared_file(SEED) else {
            return;
        };
        let (out, map) = fence_unfenced(&seed);
        assert_eq!(out.matches("```diagram\n").count(), 11);
        // Dropping the fence lines gives the seed back, and every kept line maps home.
        let mut rebuilt = String::new();
        let mut new = 0;
        for line in out.split_inclusive('\n') {
            if line != "```diagram\n" && line != "```\n" {
                assert_eq!(map.old(new), rebuilt.len(), "{line:?}");
                rebuilt.push_str(line);
            }
            new += line.len();
        }
        assert_eq!(rebuilt, seed);
    }

    #[test]
    fn commonmark_examples_claim_nothing() {
        let Some(spec) = shared_file("conformance/commonmark-0.31.2/spec.json") else {
            return;
        };
        let examples: Vec<serde_json::Value> = serde_json::from_str(&spec).expect("spec.json");
        assert_eq!(examples.len(), 652);
        for ex in &examples {
            let md = ex["markdown"].as_str().expect("markdown");
            assert_eq!(claimed(md), NONE, "example {}", ex["example"]);
            // The same example with the spec's visible tabs (→) still holds no diagram.
            let arrows = md.replace('\t', "→");
            assert_eq!(claimed(&arrows), NONE, "example {} with →", ex["example"]);
        }
    }

    /// Lines of a claimed run that markdown gives another meaning.
    fn misclaimed<'a>(lines: &[&'a str], run: Range<usize>) -> Vec<&'a str> {
        lines[run]
            .iter()
            .copied()
            .filter(|l| {
                let t = l.trim();
                t.starts_with('|')
                    || strip_list_marker(t).is_some()
                    || t.starts_with("# ")
                    || t.starts_with("```")
                    || t.starts_with('>')
            })
            .collect()
    }

    #[test]
    fn databricks_prose_claims_no_markdown() {
        let Some(root) = crate::testing::shared("corpora/databricks-cert-guide") else {
            return;
        };
        let files = markdown_files(&root);
        assert!(!files.is_empty(), "no markdown under `{}`", root.display());
        let mut claimed = Vec::new();
        let mut unfenced_runs = 0;
        for path in &files {
            let text = std::fs::read_to_string(path).expect("corpus file");
            let lines: Vec<&str> = text.split('\n').collect();
            for run in detect(&text) {
                assert_eq!(
                    misclaimed(&lines, run.clone()),
                    Vec::<&str>::new(),
                    "{path:?}"
                );
                claimed.push(format!("{}:{}-{}", path.display(), run.start + 1, run.end));
            }
            // Harder: drop every fence line, so code and diagrams alike lie bare in prose.
            let bare: Vec<&str> = lines
                .iter()
                .copied()
                .filter(|l| !l.trim_start_matches([' ', '>']).starts_with("```"))
                .collect();
            for run in detect(&bare.join("\n")) {
                assert_eq!(
                    misclaimed(&bare, run.clone()),
                    Vec::<&str>::new(),
                    "{path:?} bare"
                );
                assert!(bare[run.clone()]
                    .iter()
                    .any(|l| l.chars().any(is_box) || is_arrow_line(l.trim())));
                unfenced_runs += 1;
            }
        }
        // Every diagram of the guide is fenced already.
        assert_eq!(claimed, Vec::<String>::new());
        assert!(unfenced_runs > 50, "{unfenced_runs}");
    }

    fn markdown_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(markdown_files(&path));
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
        out.sort();
        out
    }

    #[test]
    fn text_without_diagrams_is_untouched() {
        for text in ["", "plain\n", "a → b\n", "caf\u{e9} — ok"] {
            let (out, map) = fence_unfenced(text);
            assert_eq!(out, text);
            assert_eq!(map.old(text.len()), text.len());
        }
    }
}
