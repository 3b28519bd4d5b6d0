//! Author lint for box drawings: arms that point at nothing and box edges one cell off.
//!
//! Fonts and CSS cannot fix a box whose text is misaligned (BOXDRAW.md §0), so the author is
//! told where. A corner or tee whose arm meets a space is a fault; when the line it should
//! meet sits one cell to the side, that edge is reported once, as being off by one cell.
//! Not faults: a dashed line (`┌─ ─ ─┐`, an arm meeting a space and then its line), ASCII
//! joins (`|`, `-`, `+` meeting a box character), and the branches of a file tree with no
//! root line above them (`├── src/`).

use super::cells::{arm, arms, place, Dir, Stroke};
use super::{is_box, Fault};

/// The faults of one diagram block, in line and column order.
pub(crate) fn lint(code: &str) -> Vec<Fault> {
    if !code.chars().any(is_box) {
        return Vec::new();
    }
    let grid = Grid::new(code);
    let mut faults = Vec::new();
    // Each misplaced edge is reported once, however many corners point past it.
    let mut reported: Vec<Edge> = Vec::new();
    let mut report = |line: usize, col: usize, message: String, edge: Option<Edge>| {
        if edge.is_none_or(|e| !reported.contains(&e)) {
            reported.extend(edge);
            faults.push(Fault { line, col, message });
        }
    };
    for (r, row) in grid.rows.iter().enumerate() {
        let tree = grid.is_tree_row(r);
        for (x, &(c, col)) in row.iter().enumerate() {
            let has = arms(c).map(|s| s != Stroke::None);
            let straight = has == [true, true, false, false] || has == [false, false, true, true];
            if straight || has.iter().filter(|h| **h).count() < 2 {
                continue;
            }
            for dir in Dir::ALL.into_iter().filter(|d| has[*d as usize]) {
                if !grid.meets_nothing(r, x, dir) || (tree && dir.vertical()) {
                    continue;
                }
                let shifted = grid.shifted_edge(r, x, dir);
                let message = match shifted {
                    Some((edge, side)) => format!(
                        "`{c}` points {} at nothing: the `{}` {} it is one cell to the {side}, \
                         so this box edge is off by one cell",
                        dir.name(),
                        grid.rows[edge.top][edge.x].0,
                        if dir == Dir::Up { "above" } else { "below" },
                    ),
                    None => format!("`{c}` has an arm pointing {} at nothing", dir.name()),
                };
                report(r, col, message, shifted.map(|(e, _)| e));
            }
            if has[Dir::Down as usize] {
                for (k, nx, side) in grid.shifted_rows(r, x) {
                    let (edge_char, edge_col) = grid.rows[k][nx];
                    let message = format!(
                        "`{edge_char}` is one cell to the {side} of the corners above and below \
                         it (`{c}` in column {col}), so this box edge is off by one cell"
                    );
                    report(k, edge_col, message, Some(grid.edge(k, nx)));
                }
            }
        }
    }
    faults.sort_by_key(|f| (f.line, f.col));
    faults
}

/// A vertical run of connected cells: column `x`, rows `top..=bottom`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Edge {
    x: usize,
    top: usize,
    bottom: usize,
}

/// The diagram on terminal cells: each cell holds its character (a space for tab fill) and
/// the 1-based character column it came from.
struct Grid {
    rows: Vec<Vec<(char, usize)>>,
}

impl Grid {
    fn new(code: &str) -> Self {
        let rows = code
            .lines()
            .map(|line| {
                let mut cells = Vec::new();
                for p in place(line) {
                    let c = if p.text == "\t" {
                        ' '
                    } else {
                        p.text.chars().next().unwrap_or(' ')
                    };
                    cells.extend(std::iter::repeat_n((c, p.char_col), p.width));
                }
                cells
            })
            .collect();
        Grid { rows }
    }

    fn at(&self, r: usize, x: usize) -> Option<char> {
        self.rows.get(r)?.get(x).map(|&(c, _)| c)
    }

    fn step(r: usize, x: usize, dir: Dir) -> Option<(usize, usize)> {
        Some(match dir {
            Dir::Up => (r.checked_sub(1)?, x),
            Dir::Down => (r + 1, x),
            Dir::Left => (r, x.checked_sub(1)?),
            Dir::Right => (r, x + 1),
        })
    }

    /// Whether the arm of (`r`, `x`) towards `dir` ends in a space, off the drawing, or at a
    /// box character with no arm back. Text and arrows count as something to point at.
    fn meets_nothing(&self, r: usize, x: usize, dir: Dir) -> bool {
        let Some((nr, nx)) = Self::step(r, x, dir) else {
            return true;
        };
        match self.at(nr, nx) {
            None => true,
            // A dashed line: one space, then the line goes on (across only: a gap in a
            // vertical edge is a box edge off by a cell).
            Some(' ') => {
                dir.vertical()
                    || !Self::step(nr, nx, dir)
                        .and_then(|(r2, x2)| self.at(r2, x2))
                        .is_some_and(|c| Self::joins(c, dir))
            }
            Some(c) => is_box(c) && arm(c, dir.opposite()) == Stroke::None,
        }
    }

    /// Does `c`, met going `dir`, carry the line on: a box character with an arm back, or
    /// the ASCII stroke for that direction?
    fn joins(c: char, dir: Dir) -> bool {
        match c {
            '+' => true,
            '|' | '!' | ':' => dir.vertical(),
            '-' | '=' | '.' => !dir.vertical(),
            c => is_box(c) && arm(c, dir.opposite()) != Stroke::None,
        }
    }

    /// Is row `r` a line of a file tree: past its indent and `│` rails, a branch `├──` or
    /// `└──` followed by a space and a name (a box's `└───┘` is not)?
    fn is_tree_row(&self, r: usize) -> bool {
        let row = &self.rows[r];
        let mut x = 0;
        while row.get(x).is_some_and(|&(c, _)| c == ' ' || c == '│') {
            x += 1;
        }
        if !row.get(x).is_some_and(|&(c, _)| c == '├' || c == '└') {
            return false;
        }
        let dashes = row[x + 1..].iter().take_while(|&&(c, _)| c == '─').count();
        let after = &row[x + 1 + dashes..];
        dashes > 0
            && after.first().is_some_and(|&(c, _)| c == ' ')
            && after.get(1).is_some_and(|&(c, _)| c != ' ' && !is_box(c))
    }

    /// Whether (`r`, `x`) has an arm towards `dir`.
    fn reaches(&self, r: usize, x: usize, dir: Dir) -> bool {
        self.at(r, x).is_some_and(|c| arm(c, dir) != Stroke::None)
    }

    /// For a vertical arm of (`r`, `x`) that meets nothing: the edge one cell to the side of
    /// where it should have met one, with the side's name.
    fn shifted_edge(&self, r: usize, x: usize, dir: Dir) -> Option<(Edge, &'static str)> {
        if !dir.vertical() {
            return None;
        }
        let (nr, _) = Self::step(r, x, dir)?;
        [(x + 1, "right"), (x.wrapping_sub(1), "left")]
            .into_iter()
            .find(|&(nx, _)| self.reaches(nr, nx, dir.opposite()))
            .map(|(nx, side)| (self.edge(nr, nx), side))
    }

    /// The vertical run of connected cells through (`r`, `x`).
    fn edge(&self, r: usize, x: usize) -> Edge {
        let mut top = r;
        while top > 0 && self.reaches(top, x, Dir::Up) && self.reaches(top - 1, x, Dir::Down) {
            top -= 1;
        }
        let mut bottom = r;
        while self.reaches(bottom, x, Dir::Down) && self.reaches(bottom + 1, x, Dir::Up) {
            bottom += 1;
        }
        Edge { x, top, bottom }
    }

    /// Below the corner or tee (`r`, `x`), down to the bottom corner in the same column:
    /// the first row, column and side of each run of rows whose edge is one cell to the side.
    /// Empty when the edge does not come back to a bottom corner in column `x`.
    fn shifted_rows(&self, r: usize, x: usize) -> Vec<(usize, usize, &'static str)> {
        let vertical =
            |k: usize, x: usize| self.reaches(k, x, Dir::Up) && self.reaches(k, x, Dir::Down);
        let mut runs = Vec::new();
        let mut current = None;
        for k in r + 1..self.rows.len() {
            if vertical(k, x) {
                current = None;
                continue;
            }
            if self.reaches(k, x, Dir::Up) {
                return runs;
            }
            let Some((nx, side)) = [(x + 1, "right"), (x.wrapping_sub(1), "left")]
                .into_iter()
                .find(|&(nx, _)| vertical(k, nx))
            else {
                break;
            };
            if current != Some(nx) {
                runs.push((k, nx, side));
            }
            current = Some(nx);
        }
        Vec::new()
    }
}

impl Dir {
    fn name(self) -> &'static str {
        match self {
            Dir::Up => "up",
            Dir::Down => "down",
            Dir::Left => "left",
            Dir::Right => "right",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAN: Vec<Fault> = Vec::new();

    #[test]
    fn dashed_boxes_ascii_joins_and_rootless_trees_are_fine() {
        assert_eq!(lint("┌─ ─ ─┐\n│     │\n└─ ─ ─┘\n"), CLEAN);
        assert_eq!(lint("┌────┐\n|    |\n└────┘\n"), CLEAN);
        assert_eq!(lint("+----+\n│ ab │\n+----+\n"), CLEAN);
        assert_eq!(
            lint("├── src/\n│   ├── main.rs\n│   └── lib.rs\n└── README.md\n"),
            CLEAN
        );
        assert_eq!(lint("  ├── a\n  └── b\n"), CLEAN);
    }

    fn at(faults: &[Fault]) -> Vec<(usize, usize)> {
        faults.iter().map(|f| (f.line, f.col)).collect()
    }

    #[test]
    fn clean_boxes_pass() {
        let clean = "┌───┬──┐\n│ a │ b│ → x\n├───┼──┤\n╞═══╪══╡\n└───┴──┘\n  │\n  ↓\n";
        assert_eq!(lint(clean), CLEAN);
        assert_eq!(lint("root\n├── a\n│   └── b\n└── c\n"), CLEAN);
        assert_eq!(lint("\t┌─┐\n\t└─┘\n精┌┐\n精└┘\n"), CLEAN);
    }

    #[test]
    fn dangling_arm() {
        let faults = lint("┌───┬\n│   │\n└───┘\n");
        assert_eq!(at(&faults), [(0, 5)]);
        assert_eq!(
            faults[0].message,
            "`┬` has an arm pointing right at nothing"
        );
    }

    #[test]
    fn right_edge_off_by_one_is_one_fault() {
        let faults = lint("┌───┐\n│ a  │\n└───┘\n");
        assert_eq!(at(&faults), [(0, 5)]);
        assert!(
            faults[0].message.contains("one cell to the right"),
            "{faults:?}"
        );
        let middle = lint("┌───┐\n│   │\n│ a  │\n│   │\n└───┘\n");
        assert_eq!(at(&middle), [(2, 6)]);
        assert_eq!(
            middle[0].message,
            "`│` is one cell to the right of the corners above and below it (`┐` in column 5), \
             so this box edge is off by one cell"
        );
    }

    #[test]
    fn seed_faults_are_the_measured_ones() {
        let Some(seed) = super::super::tests::shared_file("seeds/000_95d02aa25f21aa4e.txt") else {
            return;
        };
        let lines: Vec<&str> = seed.split('\n').collect();
        let mut found = Vec::new();
        for run in super::super::detect(&seed) {
            let block = lines[run.clone()].join("\n");
            found.extend(
                lint(&block)
                    .into_iter()
                    .map(|f| (run.start + f.line + 1, f.col)),
            );
        }
        // BOXDRAW.md §0 (its columns are 0-based: 62, 43, 38; these are 1-based), plus what
        // its prototype did not look for: the first box's right edge runs at column 62 on
        // lines 19-27 and 29-37 between corners at 63, and on line 370 the `┤` points up at a
        // space with the `↑` one cell to its right.
        let line_279 = [12, 16, 27, 31, 42, 46, 57].map(|col| (279, col));
        let mut expected = vec![(16, 63), (19, 62), (29, 62)];
        expected.extend(line_279);
        expected.extend([(303, 44), (307, 39), (370, 34)]);
        assert_eq!(found, expected);
    }

    #[test]
    fn columns_count_characters_after_tabs() {
        let faults = lint("\t┌──┬\n\t│  │\n\t└──┘\n");
        assert_eq!(at(&faults), [(0, 5)]);
    }
}
