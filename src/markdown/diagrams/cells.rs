//! A diagram line laid out on terminal cells: graphemes, their widths, tab stops, box arms.

use super::font_coverage::RANGES;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns between tab stops, as in a terminal and as `tab-size: 8` in the CSS.
pub(super) const TAB_STOP: usize = 8;

/// Splits text into graphemes: a base character with the characters that render inside its
/// cell (combining marks, variation selectors, zero-width joiner sequences, skin tones, flag
/// pairs). A small subset of UAX #29, enough for the cell layout of a diagram.
pub(super) struct Graphemes<'a> {
    rest: &'a str,
}

impl<'a> Graphemes<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Graphemes { rest: text }
    }
}

impl<'a> Iterator for Graphemes<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let mut chars = self.rest.char_indices();
        let (_, first) = chars.next()?;
        let mut end = first.len_utf8();
        let mut prev = first;
        let mut flags = u8::from(is_regional_indicator(first));
        if first != '\n' && first != '\t' {
            for (i, c) in chars {
                let pairs_flag = flags == 1 && is_regional_indicator(c);
                let extends = c.width() == Some(0)
                    || prev == '\u{200d}'
                    || ('\u{1f3fb}'..='\u{1f3ff}').contains(&c)
                    || pairs_flag;
                if !extends {
                    break;
                }
                flags += u8::from(pairs_flag);
                end = i + c.len_utf8();
                prev = c;
            }
        }
        let (g, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(g)
    }
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1f1e6}'..='\u{1f1ff}').contains(&c)
}

/// Cells a grapheme takes (tabs excluded: they depend on the column). Control characters
/// take none.
pub(super) fn width(g: &str) -> usize {
    match g.chars().next().map(UnicodeWidthChar::width) {
        Some(Some(_)) => g.width(),
        _ => 0,
    }
}

/// A grapheme placed on the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Placed<'a> {
    pub(super) text: &'a str,
    /// First cell, 0-based, with tabs expanded to the next multiple of [`TAB_STOP`].
    pub(super) cell: usize,
    /// Cells taken; a tab takes the cells up to the next stop.
    pub(super) width: usize,
    /// 1-based column in characters, as editors and diagnostics count.
    pub(super) char_col: usize,
}

/// The graphemes of one line (no `\n`) with their cells.
pub(super) fn place(line: &str) -> impl Iterator<Item = Placed<'_>> {
    let mut cell = 0;
    let mut char_col = 1;
    Graphemes::new(line).map(move |text| {
        let width = if text == "\t" {
            TAB_STOP - cell % TAB_STOP
        } else {
            width(text)
        };
        let placed = Placed {
            text,
            cell,
            width,
            char_col,
        };
        cell += width;
        char_col += text.chars().count();
        placed
    })
}

/// Whether the shipped font has a glyph for `c` (binary search over its cmap ranges).
pub(super) fn in_font(c: char) -> bool {
    let c = u32::from(c);
    let i = RANGES.partition_point(|&(_, hi)| hi < c);
    RANGES.get(i).is_some_and(|&(lo, _)| lo <= c)
}

/// A direction a box-drawing character reaches out from its cell centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dir {
    Up,
    Down,
    Left,
    Right,
}

impl Dir {
    pub(super) const ALL: [Dir; 4] = [Dir::Up, Dir::Down, Dir::Left, Dir::Right];

    pub(super) fn opposite(self) -> Dir {
        match self {
            Dir::Up => Dir::Down,
            Dir::Down => Dir::Up,
            Dir::Left => Dir::Right,
            Dir::Right => Dir::Left,
        }
    }

    pub(super) fn vertical(self) -> bool {
        matches!(self, Dir::Up | Dir::Down)
    }
}

/// Stroke of one arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stroke {
    None = 0,
    Light = 1,
    Heavy = 2,
    Double = 3,
}

/// The four arms (up, down, left, right) of a box-drawing character; all `None` for
/// anything else, including the diagonals ╱ ╲ ╳.
pub(super) fn arms(c: char) -> [Stroke; 4] {
    const STROKES: [Stroke; 4] = [Stroke::None, Stroke::Light, Stroke::Heavy, Stroke::Double];
    let Some(i) = (u32::from(c)).checked_sub(0x2500).filter(|i| *i < 0x80) else {
        return [Stroke::None; 4];
    };
    ARMS[i as usize].map(|s| STROKES[usize::from(s)])
}

pub(super) fn arm(c: char, d: Dir) -> Stroke {
    arms(c)[d as usize]
}

/// Arms of U+2500..U+257F as [up, down, left, right], 0 none, 1 light, 2 heavy, 3 double
/// (derived from the Unicode character names; dashes and arcs count as their plain line).
#[rustfmt::skip]
const ARMS: [[u8; 4]; 128] = [
    [0, 0, 1, 1], [0, 0, 2, 2], [1, 1, 0, 0], [2, 2, 0, 0], // ─ ━ │ ┃
    [0, 0, 1, 1], [0, 0, 2, 2], [1, 1, 0, 0], [2, 2, 0, 0], // ┄ ┅ ┆ ┇
    [0, 0, 1, 1], [0, 0, 2, 2], [1, 1, 0, 0], [2, 2, 0, 0], // ┈ ┉ ┊ ┋
    [0, 1, 0, 1], [0, 1, 0, 2], [0, 2, 0, 1], [0, 2, 0, 2], // ┌ ┍ ┎ ┏
    [0, 1, 1, 0], [0, 1, 2, 0], [0, 2, 1, 0], [0, 2, 2, 0], // ┐ ┑ ┒ ┓
    [1, 0, 0, 1], [1, 0, 0, 2], [2, 0, 0, 1], [2, 0, 0, 2], // └ ┕ ┖ ┗
    [1, 0, 1, 0], [1, 0, 2, 0], [2, 0, 1, 0], [2, 0, 2, 0], // ┘ ┙ ┚ ┛
    [1, 1, 0, 1], [1, 1, 0, 2], [2, 1, 0, 1], [1, 2, 0, 1], // ├ ┝ ┞ ┟
    [2, 2, 0, 1], [2, 1, 0, 2], [1, 2, 0, 2], [2, 2, 0, 2], // ┠ ┡ ┢ ┣
    [1, 1, 1, 0], [1, 1, 2, 0], [2, 1, 1, 0], [1, 2, 1, 0], // ┤ ┥ ┦ ┧
    [2, 2, 1, 0], [2, 1, 2, 0], [1, 2, 2, 0], [2, 2, 2, 0], // ┨ ┩ ┪ ┫
    [0, 1, 1, 1], [0, 1, 2, 1], [0, 1, 1, 2], [0, 1, 2, 2], // ┬ ┭ ┮ ┯
    [0, 2, 1, 1], [0, 2, 2, 1], [0, 2, 1, 2], [0, 2, 2, 2], // ┰ ┱ ┲ ┳
    [1, 0, 1, 1], [1, 0, 2, 1], [1, 0, 1, 2], [1, 0, 2, 2], // ┴ ┵ ┶ ┷
    [2, 0, 1, 1], [2, 0, 2, 1], [2, 0, 1, 2], [2, 0, 2, 2], // ┸ ┹ ┺ ┻
    [1, 1, 1, 1], [1, 1, 2, 1], [1, 1, 1, 2], [1, 1, 2, 2], // ┼ ┽ ┾ ┿
    [2, 1, 1, 1], [1, 2, 1, 1], [2, 2, 1, 1], [2, 1, 2, 1], // ╀ ╁ ╂ ╃
    [2, 1, 1, 2], [1, 2, 2, 1], [1, 2, 1, 2], [2, 1, 2, 2], // ╄ ╅ ╆ ╇
    [1, 2, 2, 2], [2, 2, 2, 1], [2, 2, 1, 2], [2, 2, 2, 2], // ╈ ╉ ╊ ╋
    [0, 0, 1, 1], [0, 0, 2, 2], [1, 1, 0, 0], [2, 2, 0, 0], // ╌ ╍ ╎ ╏
    [0, 0, 3, 3], [3, 3, 0, 0], [0, 1, 0, 3], [0, 3, 0, 1], // ═ ║ ╒ ╓
    [0, 3, 0, 3], [0, 1, 3, 0], [0, 3, 1, 0], [0, 3, 3, 0], // ╔ ╕ ╖ ╗
    [1, 0, 0, 3], [3, 0, 0, 1], [3, 0, 0, 3], [1, 0, 3, 0], // ╘ ╙ ╚ ╛
    [3, 0, 1, 0], [3, 0, 3, 0], [1, 1, 0, 3], [3, 3, 0, 1], // ╜ ╝ ╞ ╟
    [3, 3, 0, 3], [1, 1, 3, 0], [3, 3, 1, 0], [3, 3, 3, 0], // ╠ ╡ ╢ ╣
    [0, 1, 3, 3], [0, 3, 1, 1], [0, 3, 3, 3], [1, 0, 3, 3], // ╤ ╥ ╦ ╧
    [3, 0, 1, 1], [3, 0, 3, 3], [1, 1, 3, 3], [3, 3, 1, 1], // ╨ ╩ ╪ ╫
    [3, 3, 3, 3], [0, 1, 0, 1], [0, 1, 1, 0], [1, 0, 1, 0], // ╬ ╭ ╮ ╯
    [1, 0, 0, 1], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], // ╰ ╱ ╲ ╳
    [0, 0, 1, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 1, 0, 0], // ╴ ╵ ╶ ╷
    [0, 0, 2, 0], [2, 0, 0, 0], [0, 0, 0, 2], [0, 2, 0, 0], // ╸ ╹ ╺ ╻
    [0, 0, 1, 2], [1, 2, 0, 0], [0, 0, 2, 1], [2, 1, 0, 0], // ╼ ╽ ╾ ╿
];

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<&str> {
        Graphemes::new(s).collect()
    }

    #[test]
    fn graphemes_keep_sequences_whole() {
        assert_eq!(split("a\u{301}b"), ["a\u{301}", "b"]);
        assert_eq!(
            split("👨\u{200d}👩\u{200d}👧x"),
            ["👨\u{200d}👩\u{200d}👧", "x"]
        );
        assert_eq!(split("👍🏻✔\u{fe0f}"), ["👍🏻", "✔\u{fe0f}"]);
        assert_eq!(split("🇹🇭🇩🇪"), ["🇹🇭", "🇩🇪"]);
        assert_eq!(split("\t\u{301}\n"), ["\t", "\u{301}", "\n"]);
    }

    #[test]
    fn tabs_advance_to_the_next_stop() {
        let cells: Vec<_> = place("a\tb精\tc")
            .map(|p| (p.cell, p.width, p.char_col))
            .collect();
        assert_eq!(
            cells,
            [
                (0, 1, 1),
                (1, 7, 2),
                (8, 1, 3),
                (9, 2, 4),
                (11, 5, 5),
                (16, 1, 6)
            ]
        );
    }

    #[test]
    fn font_lookup_matches_the_cmap() {
        assert!(in_font(' ') && in_font('─') && in_font('↙') && in_font('ÿ'));
        assert!(!in_font('\t') && !in_font('★') && !in_font('✔') && !in_font('精'));
    }

    #[test]
    fn arms_follow_the_names() {
        use Stroke::*;
        assert_eq!(arms('┌'), [None, Light, None, Light]);
        assert_eq!(arms('╪'), [Light, Light, Double, Double]);
        assert_eq!(arms('╾'), [None, None, Heavy, Light]);
        assert_eq!(arms('x'), [None; 4]);
        assert_eq!(arm('┤', Dir::Left), Light);
    }
}
