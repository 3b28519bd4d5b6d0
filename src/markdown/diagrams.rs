//! Box-drawing diagrams: finds the un-fenced ones in a note, draws each on an exact character
//! grid (HTML with cell-forcing spans, or SVG), and lints boxes whose lines do not meet.
//!
//! Why it is done this way (fonts, CSS, detection rules, all measured in Chromium) is written
//! up in `shared/tools/BOXDRAW.md`; the section numbers below refer to it.

mod cells;
/// Generated from the font file by `bench/font_coverage.py`.
#[path = "font_coverage.rs"]
mod font_coverage;
mod html;
mod lint;
mod svg;
mod unfenced;

use crate::source_map::{OffsetMap, Rewriter};
use std::ops::Range;

pub(crate) use lint::lint;

/// A fault in a diagram: 0-based line within the block, 1-based column in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fault {
    pub(crate) line: usize,
    pub(crate) col: usize,
    pub(crate) message: String,
}

/// 0-based half-open line ranges of the un-fenced diagrams in `text` (LF line ends).
pub(crate) fn detect(text: &str) -> Vec<Range<usize>> {
    if !may_hold_diagram(text) {
        return Vec::new();
    }
    unfenced::find(text)
}

/// Wraps each run [`detect`] finds in a "```diagram" fence; the map leads back to `text`.
pub(crate) fn fence_unfenced(text: &str) -> (String, OffsetMap) {
    let runs = detect(text);
    let mut out = Rewriter::with_capacity(text.len() + runs.len() * 20);
    let mut starts: Vec<usize> = Vec::new();
    if !runs.is_empty() {
        starts.push(0);
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        starts.push(text.len());
    }
    let mut pos = 0;
    for run in runs {
        let (start, end) = (starts[run.start], starts[run.end]);
        let block = &text[start..end];
        let fence = "`".repeat(longest_backtick_run(block).max(2) + 1);
        if start > pos {
            out.copy(&text[pos..start], pos);
        }
        out.insert(&format!("{fence}diagram\n"), start);
        out.copy(block, start);
        let close = if block.ends_with('\n') {
            format!("{fence}\n")
        } else {
            format!("\n{fence}\n")
        };
        out.insert(&close, end);
        pos = end;
    }
    if pos < text.len() {
        out.copy(&text[pos..], pos);
    }
    out.finish()
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// Should a fenced code block with this language (first word of the info string, lowercased;
/// "" when untagged or indented) render as a diagram? Plain-text blocks only when a line holds
/// a box-drawing character or is an arrow-only line, so ordinary output blocks stay code.
pub(crate) fn is_diagram(lang: &str, code: &str) -> bool {
    match lang {
        "diagram" => true,
        "" | "text" | "ascii" | "plain" => {
            may_hold_diagram(code)
                && code
                    .lines()
                    .any(|line| line.chars().any(is_box) || is_arrow_line(line.trim()))
        }
        _ => false,
    }
}

/// HTML for one diagram: `<pre class="diagram">` whose text is exactly `code`, or an inline
/// SVG on a fixed character grid when `svg` is set.
pub(crate) fn render(code: &str, svg: bool) -> String {
    if svg {
        svg::render(code)
    } else {
        html::render(code)
    }
}

/// Cheap test that `text` has a character a diagram line needs (arrows start at U+2190, box
/// drawing at U+2500); most notes have none and skip all line work. Their UTF-8 lead bytes
/// are all >= 0xE2, which also lets the byte scan skip ordinary accented Latin.
fn may_hold_diagram(text: &str) -> bool {
    text.bytes().any(|b| b >= 0xe2) && text.chars().any(|c| c >= '\u{2190}')
}

/// Box drawing, U+2500..U+257F (not the em dash U+2014 of ordinary prose).
fn is_box(c: char) -> bool {
    ('\u{2500}'..='\u{257f}').contains(&c)
}

/// Arrows (U+2190..U+21FF, U+27F0..U+27FF, U+2900..U+297F) and the triangle pointers of the
/// geometric shapes (▲ ► ▼ ◄ ...). Bullets and dots (● ■ □) are not pointers: `□ item` lists
/// and `●●●○○` ratings are prose.
fn is_arrow(c: char) -> bool {
    matches!(c,
        '\u{2190}'..='\u{21ff}' | '\u{27f0}'..='\u{27ff}' | '\u{2900}'..='\u{297f}'
        | '\u{25b2}'..='\u{25c5}')
}

/// Labels allowed beside the arrows of an arrow-only line (`Yes ↙      ↘ No`).
const MAX_LABEL_CHARS: usize = 8;

/// A trimmed line made only of arrows, with at most one short label at each end (BOXDRAW.md
/// §5 rule 2). With a label there must be two arrows, so `A → B` in prose is not one.
fn is_arrow_line(trimmed: &str) -> bool {
    let mut tokens = trimmed.split_whitespace().peekable();
    let (mut arrows, mut labels, mut first) = (0, 0, true);
    while let Some(token) = tokens.next() {
        let last = tokens.peek().is_none();
        if token.chars().all(is_arrow) {
            arrows += token.chars().count();
        } else if (first || last)
            && token.chars().count() <= MAX_LABEL_CHARS
            && !token.chars().any(is_arrow)
        {
            labels += 1;
        } else {
            return false;
        }
        first = false;
    }
    arrows > 0 && (labels == 0 || arrows >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file of the shared fixtures beside the repository, or `None` (with a notice) when
    /// this checkout does not have them.
    pub(super) fn shared_file(path: &str) -> Option<String> {
        crate::testing::shared_text(path)
    }

    #[test]
    fn arrow_lines() {
        for yes in ["↓", "Yes ↙      ↘ No", "→ → →", "▼", "A ⇄ ↔ B"] {
            assert!(is_arrow_line(yes), "{yes}");
        }
        for no in [
            "",
            "Use X → Y for that",
            "A → B",
            "→ SM automatically adjusts",
            "↓ x y",
        ] {
            assert!(!is_arrow_line(no), "{no}");
        }
        for no in ["● ● ●", "□", "TrainingStep(hp_v2) → → Executes."] {
            assert!(!is_arrow_line(no), "{no}");
        }
    }

    #[test]
    fn which_blocks_are_diagrams() {
        assert!(is_diagram("diagram", "plain words"));
        assert!(is_diagram("", "┌─┐\n└─┘\n"));
        assert!(is_diagram("text", "a\n  ↓\nb\n"));
        assert!(is_diagram("ascii", "├── src\n"));
        assert!(!is_diagram("text", "a → b\n"));
        assert!(!is_diagram("", "cargo build\n"));
        assert!(!is_diagram("python", "# ┌─┐\n"));
    }
}
