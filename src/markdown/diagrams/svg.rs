//! A diagram as an inline SVG on a fixed character grid (BOXDRAW.md §4, "own grid SVG"):
//! box-drawing characters become path arms from the cell centre to its edges, so joins are
//! exact whatever the font; all other text stays `<text>` (selectable) with one x per
//! character, so no glyph width can push the rest of a line off the grid.

use super::cells::{arm, place, Dir, Placed, Stroke};
use super::html::push_escaped;
use super::is_box;
use std::fmt::Write;

/// SVG user units, integers throughout so the path data stays short and exact.
type Unit = i64;

/// One cell: the 0.6em advance and 1.2 line-height of `pre.diagram` at font-size 20.
const CELL_W: Unit = 12;
const CELL_H: Unit = 24;
const FONT_SIZE: Unit = 20;
/// From the top of a row to the text baseline: puts the arrows' middle on the box lines.
const BASELINE: Unit = 19;
/// Half the gap between the two strokes of a double line.
const GAP: Unit = 2;

pub(super) fn render(code: &str) -> String {
    let lines: Vec<&str> = code
        .strip_suffix('\n')
        .unwrap_or(code)
        .split('\n')
        .collect();
    let mut paths = Paths::default();
    let mut texts = String::new();
    let mut cols = 0;
    for (row, line) in (0..).zip(&lines) {
        let placed: Vec<Placed> = place(line).collect();
        cols = cols.max(placed.last().map_or(0, |p| p.cell + p.width));
        for p in &placed {
            let c = p.text.chars().next().unwrap_or(' ');
            if is_box(c) {
                paths.add(c, x_of(p.cell), row * CELL_H);
            }
        }
        push_text_line(&mut texts, &placed, row);
    }
    let (width, height) = (x_of(cols), lines.len() as Unit * CELL_H);
    let mut out = String::with_capacity(texts.len() + paths.len() + 512);
    let _ = write!(
        out,
        "<figure class=\"diagram diagram-svg\"><svg xmlns=\"http://www.w3.org/2000/svg\" \
         viewBox=\"0 0 {width} {height}\" width=\"{}\" height=\"{}\" xml:space=\"preserve\">\
         <g fill=\"none\" stroke=\"currentColor\" stroke-linecap=\"square\">",
        em(width),
        em(height),
    );
    paths.push_to(&mut out);
    let _ = write!(
        out,
        "</g><g fill=\"currentColor\" font-family=\"NotesMono, monospace\" font-size=\"{FONT_SIZE}\">"
    );
    out.push_str(&texts);
    out.push_str("</g></svg></figure>\n");
    out
}

fn x_of(cell: usize) -> Unit {
    cell as Unit * CELL_W
}

/// A length in units as CSS `em` of the surrounding text, so the drawing scales with it.
fn em(units: Unit) -> String {
    let tenths = units * 10 / FONT_SIZE;
    format!("{}.{}em", tenths / 10, tenths % 10)
}

/// The non-box text of one line: runs of plain one-cell characters as one `<tspan>` with an
/// x per character; anything wider or made of several code points as a `<tspan>` of its own.
fn push_text_line(out: &mut String, placed: &[Placed], row: Unit) {
    let mut spans = String::new();
    let mut run: Vec<&Placed> = Vec::new();
    for p in placed {
        let mut chars = p.text.chars();
        let c = chars.next().unwrap_or(' ');
        let plain = chars.next().is_none() && p.width == 1 && c <= '\u{ffff}' && c != '\t';
        if plain && !is_box(c) {
            if c != ' ' || !run.is_empty() {
                run.push(p);
            }
            continue;
        }
        flush_run(&mut spans, &mut run);
        if !plain && p.width > 0 && c != '\t' {
            push_tspan(&mut spans, &[p.cell], p.text);
        }
    }
    flush_run(&mut spans, &mut run);
    if !spans.is_empty() {
        let _ = write!(
            out,
            "<text y=\"{}\">{spans}</text>",
            row * CELL_H + BASELINE
        );
    }
}

fn flush_run(spans: &mut String, run: &mut Vec<&Placed>) {
    while run.last().is_some_and(|p| p.text == " ") {
        run.pop();
    }
    if !run.is_empty() {
        let cells: Vec<usize> = run.iter().map(|p| p.cell).collect();
        let text: String = run.iter().map(|p| p.text).collect();
        push_tspan(spans, &cells, &text);
    }
    run.clear();
}

fn push_tspan(out: &mut String, cells: &[usize], text: &str) {
    out.push_str("<tspan x=\"");
    for (i, cell) in cells.iter().enumerate() {
        let sep = if i == 0 { "" } else { " " };
        let _ = write!(out, "{sep}{}", x_of(*cell));
    }
    out.push_str("\">");
    push_escaped(out, text);
    out.push_str("</tspan>");
}

/// How a stroke is drawn; the order is the order of the `<path>`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Style {
    Light,
    Heavy,
    Double,
    DashedLight,
    DashedHeavy,
}

impl Style {
    fn attrs(self) -> &'static str {
        match self {
            Style::Light => "stroke-width=\"1.5\" shape-rendering=\"crispEdges\"",
            Style::Heavy => "stroke-width=\"3\" shape-rendering=\"crispEdges\"",
            Style::Double => "stroke-width=\"1.2\" shape-rendering=\"crispEdges\"",
            Style::DashedLight => "stroke-width=\"1.5\" stroke-dasharray=\"3 3\"",
            Style::DashedHeavy => "stroke-width=\"3\" stroke-dasharray=\"3 3\"",
        }
    }
}

/// A straight stroke: along x at height `fixed` (or along y at `fixed` when `vertical`),
/// from `from` to `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Segment {
    style: Style,
    vertical: bool,
    fixed: Unit,
    from: Unit,
    to: Unit,
}

/// The strokes of a whole diagram. Arms of neighbouring cells are merged into long lines
/// when written, which keeps a big box to a few hundred bytes.
#[derive(Default)]
struct Paths {
    segments: Vec<Segment>,
    /// Arcs and diagonals: not crisp-edged, or they come out jagged.
    curves: String,
}

impl Paths {
    fn len(&self) -> usize {
        self.segments.len() * 8 + self.curves.len()
    }

    /// The strokes of box character `c` in the cell whose top left is (`x`, `y`).
    fn add(&mut self, c: char, x: Unit, y: Unit) {
        let (cx, cy) = (x + CELL_W / 2, y + CELL_H / 2);
        let (right, bottom) = (x + CELL_W, y + CELL_H);
        let curve = match c {
            '╭' => Some(format!("M{right} {cy}Q{cx} {cy} {cx} {bottom}")),
            '╮' => Some(format!("M{x} {cy}Q{cx} {cy} {cx} {bottom}")),
            '╯' => Some(format!("M{x} {cy}Q{cx} {cy} {cx} {y}")),
            '╰' => Some(format!("M{right} {cy}Q{cx} {cy} {cx} {y}")),
            '╱' => Some(format!("M{right} {y}L{x} {bottom}")),
            '╲' => Some(format!("M{x} {y}L{right} {bottom}")),
            '╳' => Some(format!(
                "M{right} {y}L{x} {bottom}M{x} {y}L{right} {bottom}"
            )),
            _ => None,
        };
        if let Some(d) = curve {
            self.curves.push_str(&d);
            return;
        }
        let dashed = matches!(c, '\u{2504}'..='\u{250b}' | '\u{254c}'..='\u{254f}');
        for dir in Dir::ALL {
            let stroke = arm(c, dir);
            let style = match (stroke, dashed) {
                (Stroke::None, _) => continue,
                (Stroke::Double, _) => Style::Double,
                (Stroke::Light, false) => Style::Light,
                (Stroke::Heavy, false) => Style::Heavy,
                (Stroke::Light, true) => Style::DashedLight,
                (Stroke::Heavy, true) => Style::DashedHeavy,
            };
            // Each stroke runs from `start` (along `dir`, from the centre) to the cell edge,
            // `offset` across it (towards down or right when positive).
            let (centre, across_centre, reach, sign) = match dir {
                Dir::Up => (cy, cx, y, -1),
                Dir::Down => (cy, cx, bottom, 1),
                Dir::Left => (cx, cy, x, -1),
                Dir::Right => (cx, cy, right, 1),
            };
            let strokes: &[(Unit, Unit)] = if stroke == Stroke::Double {
                &[
                    (-GAP, double_start(c, dir, -1)),
                    (GAP, double_start(c, dir, 1)),
                ]
            } else {
                &[(0, single_start(c, dir))]
            };
            for &(offset, start) in strokes {
                let begin = centre + sign * start;
                self.segments.push(Segment {
                    style,
                    vertical: dir.vertical(),
                    fixed: across_centre + offset,
                    from: begin.min(reach),
                    to: begin.max(reach),
                });
            }
        }
    }

    fn push_to(&mut self, out: &mut String) {
        self.segments.sort_unstable();
        let mut merged: Vec<Segment> = Vec::with_capacity(self.segments.len());
        for s in &self.segments {
            match merged.last_mut() {
                Some(m)
                    if (m.style, m.vertical, m.fixed) == (s.style, s.vertical, s.fixed)
                        && s.from <= m.to =>
                {
                    m.to = m.to.max(s.to);
                }
                _ => merged.push(*s),
            }
        }
        for group in merged.chunk_by(|a, b| a.style == b.style) {
            let _ = write!(out, "<path {} d=\"", group[0].style.attrs());
            for s in group {
                let _ = if s.vertical {
                    write!(out, "M{} {}V{}", s.fixed, s.from, s.to)
                } else {
                    write!(out, "M{} {}H{}", s.from, s.fixed, s.to)
                };
            }
            out.push_str("\"/>");
        }
        if !self.curves.is_empty() {
            let _ = write!(
                out,
                "<path stroke-width=\"1.5\" stroke-linecap=\"butt\" d=\"{}\"/>",
                self.curves
            );
        }
    }
}

/// The two directions across `dir`: (towards negative offset, towards positive offset).
fn across(dir: Dir) -> (Dir, Dir) {
    if dir.vertical() {
        (Dir::Left, Dir::Right)
    } else {
        (Dir::Up, Dir::Down)
    }
}

/// Where one stroke of a double arm starts, so corners close and tees leave a gap: it stops
/// short at a double line crossing on its own side, meets a single one at the centre, and
/// reaches back to the far stroke of a double line on the other side.
fn double_start(c: char, dir: Dir, side: i8) -> Unit {
    let (neg, pos) = across(dir);
    let (own, other) = if side < 0 { (neg, pos) } else { (pos, neg) };
    match (arm(c, own), arm(c, other)) {
        (Stroke::Double, _) => GAP,
        (Stroke::None, Stroke::Double) => -GAP,
        _ => 0,
    }
}

/// Where a single arm starts: through the centre when the line goes straight on, else at the
/// near stroke of a double line across it on both sides (╤), or the far one on one side (╒).
fn single_start(c: char, dir: Dir) -> Unit {
    let (neg, pos) = across(dir);
    let doubles = [neg, pos]
        .into_iter()
        .filter(|d| arm(c, *d) == Stroke::Double)
        .count();
    match (arm(c, dir.opposite()), doubles) {
        (Stroke::None, 2) => GAP,
        (Stroke::None, 1) => -GAP,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_become_paths_and_text_stays_text() {
        let svg = render("┌─┐\n│a<│\n└─┘\n");
        assert!(
            svg.starts_with("<figure class=\"diagram diagram-svg\"><svg "),
            "{svg}"
        );
        assert!(
            svg.contains("viewBox=\"0 0 48 72\" width=\"2.4em\" height=\"3.6em\""),
            "{svg}"
        );
        // Arms of neighbouring cells merge: the top line runs from ┌'s centre to ┐'s.
        assert!(
            svg.contains("M6 12H30M6 60H30M6 12V60M30 12V24M30 48V60M42 24V48"),
            "{svg}"
        );
        assert!(
            svg.contains("<text y=\"43\"><tspan x=\"12 24\">a&lt;</tspan></text>"),
            "{svg}"
        );
        assert!(!svg.contains('┌') && !svg.contains('│'));
    }

    #[test]
    fn wide_and_tabbed_text_sits_on_its_cells() {
        let svg = render("a\tb 精🚀 c d\n");
        assert!(
            svg.contains(
                "<tspan x=\"0\">a</tspan><tspan x=\"96\">b</tspan><tspan x=\"120\">精</tspan>\
                 <tspan x=\"144\">🚀</tspan><tspan x=\"180 192 204\">c d</tspan>"
            ),
            "{svg}"
        );
    }

    fn drawn(c: char) -> String {
        let mut p = Paths::default();
        p.add(c, 0, 0);
        let mut out = String::new();
        p.push_to(&mut out);
        out
    }

    #[test]
    fn double_lines_close_corners_and_open_tees() {
        // ╔: outer strokes meet at (4, 10), inner ones at (8, 14).
        assert!(
            drawn('╔').ends_with("d=\"M4 10H12M8 14H12M4 10V24M8 14V24\"/>"),
            "{}",
            drawn('╔')
        );
        // ╠: the left stroke runs through, the right one leaves a gap for the branch.
        assert!(
            drawn('╠').ends_with("d=\"M8 10H12M8 14H12M4 0V24M8 0V10M8 14V24\"/>"),
            "{}",
            drawn('╠')
        );
        // ╤: the single stem starts at the lower stroke.
        assert!(drawn('╤').contains("d=\"M6 14V24\""), "{}", drawn('╤'));
    }
}
