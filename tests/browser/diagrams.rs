//! Box-drawing diagrams on the character grid, measured in headless Chromium (issue 4; the
//! method is BOXDRAW.md §7, written again here for the Rust harness). Included by
//! `tests/browser.rs`.
//!
//! For every `pre.diagram`, at font sizes 13, 16 and 20 px and device pixel ratios 1 and 2:
//! - **grid**: each grapheme starts at `x0 + column × cell` within 0.5 px, where the cell is
//!   the advance of `0` and the column counts terminal cells (wide characters take 2, a tab
//!   runs to the next multiple of 8), and its box is as wide as its cells (a `w1`/`w2` span
//!   is measured as the span, so a missing CJK or emoji font still counts);
//! - **pitch**: consecutive baselines are the same distance apart within 0.5 px;
//! - **joins**: in a screenshot, no pixel row between a `│` and the stroke it meets below (and
//!   no pixel column between `─` and its right neighbour) has less than half the stroke's ink.
//!
//! The same check on a page restyled with Liberation Mono (no ↘ ↙, no cell spans) must fail,
//! which shows it can.

use super::harness::{self, file_url, Browser};
use anyhow::{bail, ensure, Context, Result};
use base64::Engine;
use serde::Deserialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use unicode_width::UnicodeWidthStr;

const SIZES: [u32; 3] = [13, 16, 20];
const RATIOS: [f64; 2] = [1.0, 2.0];
/// Allowed error of a position or a pitch, CSS px.
const TOL: f64 = 0.5;
const TAB_STOP: usize = 8;
/// The viewport the device-metrics override sets.
const VIEWPORT: (u32, u32) = (1280, 900);

/// Strokes that leave a cell downwards, upwards, to the left and to the right.
const DOWN: &str = "│┃║┌┍┎┏┐┑┒┓├┝┞┟┠┡┢┣┤┥┦┧┨┩┪┫┬┭┮┯┰┱┲┳┼┽┾┿╀╁╂╃╄╅╆╇╈╉╊╋╒╓╔╕╖╗╞╟╠╡╢╣╤╥╦╪╫╬╭╮╷╻";
const UP: &str = "│┃║└┕┖┗┘┙┚┛├┝┞┟┠┡┢┣┤┥┦┧┨┩┪┫┴┵┶┷┸┹┺┻┼┽┾┿╀╁╂╃╄╅╆╇╈╉╊╋╘╙╚╛╜╝╞╟╠╡╢╣╧╨╩╪╫╬╯╰╵╹";
const LEFT: &str = "─━═┐┑┒┓┘┙┚┛┤┥┦┧┨┩┪┫┬┭┮┯┰┱┲┳┴┵┶┷┸┹┺┻┼┽┾┿╀╁╂╃╄╅╆╇╈╉╊╋╕╖╗╛╜╝╡╢╣╤╥╦╧╨╩╪╫╬╮╯╴╸";
const RIGHT: &str = "─━═┌┍┎┏└┕┖┗├┝┞┟┠┡┢┣┬┭┮┯┰┱┲┳┴┵┶┷┸┹┺┻┼┽┾┿╀╁╂╃╄╅╆╇╈╉╊╋╒╓╔╘╙╚╞╟╠╤╥╦╧╨╩╪╫╬╭╰╶╺";

/// Restyles diagrams the way a GitHub-like theme would: Liberation Mono, no cell spans.
const LIBERATION: &str = r#"pre.diagram { font-family: "Liberation Mono" !important; }
pre.diagram .w1, pre.diagram .w2 { display: inline !important; width: auto !important; }"#;

/// Sets the diagram font size (through the theme's knob) and extra CSS, then waits for fonts.
/// Resolves to whether the diagram web font is loaded.
const PREPARE: &str = r#"
const [size, css, done] = arguments;
let style = document.getElementById('diagram-test-style');
if (!style) {
  style = document.createElement('style');
  style.id = 'diagram-test-style';
  document.head.appendChild(style);
}
style.textContent = `:root { --diagram-font-size: ${size}px; }\n${css}`;
document.fonts.load(`${size}px NotesMono`, '─│').then(
  () => document.fonts.ready.then(() => done(document.fonts.check(`${size}px NotesMono`, '─'))),
  () => done(false));
"#;

/// Scrolls diagram number `arguments[0]` to the top of the viewport (and sideways to
/// `arguments[1]` px inside its box) and measures it: every grapheme's box, each line's
/// baseline, its text three ways and the visible clip rectangle.
const MEASURE: &str = r#"
const el = document.querySelectorAll('pre.diagram')[arguments[0]];
el.scrollIntoView({ block: 'start' });
el.scrollLeft = arguments[1];
const cs = getComputedStyle(el);
const probe = document.createElement('span');
probe.textContent = '0'.repeat(100);
el.appendChild(probe);
const cw = probe.getBoundingClientRect().width / 100;
probe.remove();
const box = el.getBoundingClientRect();
const x0 = box.left + el.clientLeft + parseFloat(cs.paddingLeft) - el.scrollLeft;
const seg = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const lines = [[]];
const starts = [null];
const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
for (let node; (node = walker.nextNode()); ) {
  const span = node.parentElement === el ? null : node.parentElement.closest('.w1, .w2');
  for (const { segment, index } of seg.segment(node.data)) {
    if (segment === '\n') { lines.push([]); starts.push(null); continue; }
    let r;
    if (span && span.textContent === segment) {
      r = span.getBoundingClientRect();
    } else {
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + segment.length);
      r = range.getClientRects()[0] || range.getBoundingClientRect();
    }
    const line = lines.length - 1;
    if (starts[line] === null) starts[line] = span ? { before: span } : { node, index };
    lines[line].push({ g: segment, x: r.left, w: r.width, top: r.top, bottom: r.bottom });
  }
}
if (lines.length > 1 && lines[lines.length - 1].length === 0) { lines.pop(); starts.pop(); }
// A zero-size inline block at the start of a line sits on its baseline.
const baselines = starts.map(() => null);
for (let i = starts.length - 1; i >= 0; i--) {
  const at = starts[i];
  if (!at) continue;
  const p = document.createElement('span');
  p.style.cssText = 'display:inline-block;width:0;height:0;margin:0;padding:0;border:0';
  if (at.before) at.before.before(p);
  else { const r = document.createRange(); r.setStart(at.node, at.index); r.insertNode(p); }
  baselines[i] = p.getBoundingClientRect().bottom;
  p.remove();
}
el.normalize();
const sel = getSelection();
sel.selectAllChildren(el);
const selected = sel.toString();
sel.removeAllRanges();
return {
  x0, cw, lines, baselines,
  font_size: cs.fontSize, line_height: cs.lineHeight, font_family: cs.fontFamily,
  dpr: window.devicePixelRatio,
  text: el.textContent, inner: el.innerText, selected,
  clip: {
    x: box.left + el.clientLeft + window.scrollX, y: box.top + el.clientTop + window.scrollY,
    w: el.clientWidth, h: el.clientHeight,
  },
  scroll: { x: window.scrollX, y: window.scrollY },
  scroll_left: el.scrollLeft, scroll_width: el.scrollWidth,
};
"#;

#[derive(Deserialize, Debug, Clone)]
struct Glyph {
    g: String,
    x: f64,
    w: f64,
    top: f64,
    bottom: f64,
}

#[derive(Deserialize, Debug, Clone, Copy)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

#[derive(Deserialize, Debug, Clone, Copy)]
struct Scroll {
    x: f64,
    y: f64,
}

#[derive(Deserialize, Debug)]
struct Measured {
    x0: f64,
    cw: f64,
    lines: Vec<Vec<Glyph>>,
    baselines: Vec<Option<f64>>,
    font_size: String,
    line_height: String,
    font_family: String,
    dpr: f64,
    text: String,
    inner: String,
    selected: String,
    clip: Rect,
    scroll: Scroll,
    scroll_left: f64,
    scroll_width: f64,
}

/// What one diagram scored in one setting.
#[derive(Debug, Default, Clone)]
struct Score {
    glyphs: usize,
    grid_err_max: f64,
    grid_bad: usize,
    first_bad: Option<String>,
    pitch_dev_max: f64,
    v_joins: usize,
    v_gaps: usize,
    v_gap_px_max: usize,
    h_joins: usize,
    h_gaps: usize,
    h_gap_px_max: usize,
    /// Joins outside the visible part of a diagram that scrolls sideways.
    unseen_joins: usize,
    first_gap: Option<String>,
}

impl Score {
    fn passes(&self) -> bool {
        self.grid_err_max <= TOL
            && self.pitch_dev_max <= TOL
            && self.v_gaps + self.h_gaps == 0
            && self.unseen_joins == 0
    }

    fn add(&mut self, other: &Score) {
        self.glyphs += other.glyphs;
        self.grid_err_max = self.grid_err_max.max(other.grid_err_max);
        self.grid_bad += other.grid_bad;
        self.first_bad = self.first_bad.take().or_else(|| other.first_bad.clone());
        self.pitch_dev_max = self.pitch_dev_max.max(other.pitch_dev_max);
        self.v_joins += other.v_joins;
        self.v_gaps += other.v_gaps;
        self.v_gap_px_max = self.v_gap_px_max.max(other.v_gap_px_max);
        self.h_joins += other.h_joins;
        self.h_gaps += other.h_gaps;
        self.h_gap_px_max = self.h_gap_px_max.max(other.h_gap_px_max);
        self.unseen_joins += other.unseen_joins;
        self.first_gap = self.first_gap.take().or_else(|| other.first_gap.clone());
    }

    fn summary(&self) -> String {
        format!(
            "grid max {:.2}px ({} of {} glyphs off), pitch dev {:.2}px, vertical joins {}/{} gap-free (max gap {}px), horizontal {}/{} (max gap {}px), {} joins scrolled out of view",
            self.grid_err_max,
            self.grid_bad,
            self.glyphs,
            self.pitch_dev_max,
            self.v_joins - self.v_gaps,
            self.v_joins,
            self.v_gap_px_max,
            self.h_joins - self.h_gaps,
            self.h_joins,
            self.h_gap_px_max,
            self.unseen_joins,
        )
    }
}

/// Emulates a device pixel ratio (1 clears the override).
async fn set_ratio(b: &Browser, ratio: f64) -> Result<()> {
    if ratio == 1.0 {
        b.cdp("Emulation.clearDeviceMetricsOverride", json!({}))
            .await?;
    } else {
        let metrics = json!({
            "width": VIEWPORT.0, "height": VIEWPORT.1,
            "deviceScaleFactor": ratio, "mobile": false,
        });
        b.cdp("Emulation.setDeviceMetricsOverride", metrics).await?;
    }
    Ok(())
}

/// A screenshot as luminance, one value per device pixel.
struct Shot {
    width: usize,
    height: usize,
    lum: Vec<f32>,
    background: f32,
}

impl Shot {
    fn decode(png_bytes: &[u8]) -> Result<Shot> {
        let mut decoder = png::Decoder::new(png_bytes);
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info()?;
        let mut buf = vec![0; reader.output_buffer_size()];
        let frame = reader.next_frame(&mut buf)?;
        let channels = frame.color_type.samples();
        let lum: Vec<f32> = buf[..frame.buffer_size()]
            .chunks_exact(channels)
            .map(|p| match channels {
                1 | 2 => f32::from(p[0]),
                _ => 0.2126 * f32::from(p[0]) + 0.7152 * f32::from(p[1]) + 0.0722 * f32::from(p[2]),
            })
            .collect();
        // A diagram is mostly background.
        let mut sorted = lum.clone();
        sorted.sort_by(f32::total_cmp);
        let background = sorted.get(sorted.len() / 2).copied().unwrap_or(255.0);
        Ok(Shot {
            width: frame.width as usize,
            height: frame.height as usize,
            lum,
            background,
        })
    }

    fn ink(&self, x: i64, y: i64) -> f32 {
        if x < 0 || y < 0 || x as usize >= self.width || y as usize >= self.height {
            return 0.0;
        }
        (self.lum[y as usize * self.width + x as usize] - self.background).abs()
    }
}

/// Screenshot of the visible part of the diagram just measured.
async fn shoot(b: &Browser, clip: Rect) -> Result<Shot> {
    let params = json!({
        "format": "png",
        "clip": { "x": clip.x, "y": clip.y, "width": clip.w, "height": clip.h, "scale": 1 },
        "captureBeyondViewport": false,
    });
    let shot = b.cdp("Page.captureScreenshot", params).await?;
    let data = shot["data"].as_str().context("no screenshot data")?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(data)?;
    Shot::decode(&bytes)
}

/// Terminal cells of a grapheme (a tab's depend on the column).
fn cells(g: &str, col: usize) -> usize {
    if g == "\t" {
        TAB_STOP - col % TAB_STOP
    } else {
        g.width()
    }
}

fn first_char(g: &str) -> char {
    g.chars().next().unwrap_or(' ')
}

/// Grid and pitch, from the element's own geometry.
fn score_geometry(m: &Measured) -> Score {
    let mut s = Score::default();
    for (row, line) in m.lines.iter().enumerate() {
        for (glyph, col, at, wide) in off_grid(m, line) {
            let err = at.max(wide);
            s.glyphs += 1;
            s.grid_err_max = s.grid_err_max.max(err);
            if err > TOL {
                s.grid_bad += 1;
                s.first_bad.get_or_insert_with(|| {
                    format!(
                        "{:?} at line {} cell {col}: starts {at:.2}px off, width off by {wide:.2}px",
                        glyph.g,
                        row + 1
                    )
                });
            }
        }
    }
    let steps: Vec<f64> = m
        .baselines
        .windows(2)
        .filter_map(|w| Some(w[1]? - w[0]?))
        .collect();
    let mut sorted = steps.clone();
    sorted.sort_by(f64::total_cmp);
    if let Some(&median) = sorted.get(sorted.len() / 2) {
        s.pitch_dev_max = steps.iter().map(|d| (d - median).abs()).fold(0.0, f64::max);
    }
    s
}

/// Each glyph of a line with its first cell, how far it starts from that cell and how far
/// its width is from its cells' (px).
fn off_grid<'a>(m: &'a Measured, line: &'a [Glyph]) -> Vec<(&'a Glyph, usize, f64, f64)> {
    let mut col = 0;
    line.iter()
        .map(|glyph| {
            let n = cells(&glyph.g, col);
            let at = (glyph.x - (m.x0 + col as f64 * m.cw)).abs();
            let wide = (glyph.w - n as f64 * m.cw).abs();
            let placed = (glyph, col, at, wide);
            col += n;
            placed
        })
        .collect()
}

/// A join: row and cell of its upper or left character, and whether it is vertical.
type Join = (usize, usize, bool);

/// Gap pixels between strokes that should join, in the screenshot of the diagram's clip;
/// joins in `checked` are skipped, and those checked here added to it.
fn score_joins(m: &Measured, shot: &Shot, s: &mut Score, checked: &mut HashSet<Join>) {
    let scale = shot.width as f64 / m.clip.w;
    // Viewport CSS px -> screenshot px.
    let ox = m.clip.x - m.scroll.x;
    let oy = m.clip.y - m.scroll.y;
    let px = |x: f64| (x - ox) * scale;
    let py = |y: f64| (y - oy) * scale;
    let visible = |g: &Glyph| g.x >= ox && g.x + g.w <= ox + m.clip.w;
    let by_cell: Vec<HashMap<usize, &Glyph>> = m
        .lines
        .iter()
        .map(|line| {
            let mut col = 0;
            line.iter()
                .map(|g| {
                    let at = col;
                    col += cells(&g.g, col);
                    (at, g)
                })
                .collect()
        })
        .collect();
    let half = (m.cw * scale / 4.0).max(1.0);
    for (row, line) in by_cell.iter().enumerate() {
        for (&col, a) in line {
            let c = first_char(&a.g);
            let below = by_cell.get(row + 1).and_then(|l| l.get(&col));
            if let Some(b) = below.filter(|b| DOWN.contains(c) && UP.contains(first_char(&b.g))) {
                if !visible(a) || !checked.insert((row, col, true)) {
                    continue;
                }
                s.v_joins += 1;
                let cx = px(a.x + a.w / 2.0);
                let (ya, yb) = (py((a.top + a.bottom) / 2.0), py((b.top + b.bottom) / 2.0));
                let len = yb - ya;
                let rows: Vec<f32> = ((ya + 0.2 * len).ceil() as i64
                    ..=(yb - 0.2 * len).floor() as i64)
                    .map(|y| {
                        ((cx - half).floor() as i64..=(cx + half).ceil() as i64)
                            .map(|x| shot.ink(x, y))
                            .fold(0.0, f32::max)
                    })
                    .collect();
                let gaps = gap_count(&rows);
                s.v_gap_px_max = s.v_gap_px_max.max(gaps);
                if gaps > 0 {
                    s.v_gaps += 1;
                    s.first_gap.get_or_insert_with(|| {
                        format!(
                            "{}{} below it at line {} cell {col}: {gaps} gap px",
                            a.g,
                            b.g,
                            row + 1
                        )
                    });
                }
            }
            let right = line.get(&(col + 1));
            if let Some(b) = right.filter(|b| RIGHT.contains(c) && LEFT.contains(first_char(&b.g)))
            {
                if !visible(a) || !visible(b) || !checked.insert((row, col, false)) {
                    continue;
                }
                s.h_joins += 1;
                let (xa, xb) = (px(a.x + a.w / 2.0), px(b.x + b.w / 2.0));
                let len = xb - xa;
                // The stroke's row: the one with the most ink all along the span.
                let span = xa.floor() as i64..=xb.ceil() as i64;
                let stroke_row = (py(a.top).floor() as i64..=py(a.bottom).ceil() as i64)
                    .max_by(|&y1, &y2| {
                        let sum = |y| span.clone().map(|x| shot.ink(x, y)).sum::<f32>();
                        sum(y1).total_cmp(&sum(y2))
                    })
                    .unwrap_or(0);
                let cols: Vec<f32> = ((xa + 0.2 * len).ceil() as i64
                    ..=(xb - 0.2 * len).floor() as i64)
                    .map(|x| {
                        (stroke_row - 1..=stroke_row + 1)
                            .map(|y| shot.ink(x, y))
                            .fold(0.0, f32::max)
                    })
                    .collect();
                let gaps = gap_count(&cols);
                s.h_gap_px_max = s.h_gap_px_max.max(gaps);
                if gaps > 0 {
                    s.h_gaps += 1;
                    s.first_gap.get_or_insert_with(|| {
                        format!(
                            "{}{} at line {} cell {col}: {gaps} gap px",
                            a.g,
                            b.g,
                            row + 1
                        )
                    });
                }
            }
        }
    }
}

/// Pixels along a stroke with less than half its peak ink (all of them if there is no stroke).
fn gap_count(ink: &[f32]) -> usize {
    let peak = ink.iter().copied().fold(0.0, f32::max);
    if peak < 20.0 {
        return ink.len();
    }
    ink.iter().filter(|&&v| v < 0.5 * peak).count()
}

/// Every diagram of `url`, measured at one size and ratio (set beforehand).
async fn measure_page(
    b: &Browser,
    url: &str,
    size: u32,
    css: &str,
) -> Result<Vec<(Measured, Score)>> {
    b.visit(url).await?;
    let loaded = b
        .client
        .execute_async(PREPARE, vec![json!(size), json!(css)])
        .await?;
    ensure!(
        loaded == json!(true),
        "the NotesMono web font did not load on {url}"
    );
    let count: usize = b
        .js("return document.querySelectorAll('pre.diagram').length;")
        .await?;
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let m = measure(b, url, i, 0.0).await?;
        ensure!(
            m.font_size == format!("{size}px"),
            "diagram {i} of {url} is {} after --diagram-font-size: {size}px",
            m.font_size
        );
        let mut score = score_geometry(&m);
        let mut checked = HashSet::new();
        let shot = shoot(b, m.clip).await?;
        ensure!(
            (shot.width as f64 - m.clip.w * m.dpr).abs() <= 1.0,
            "a {} px wide clip at DPR {} gave a {} px wide screenshot",
            m.clip.w,
            m.dpr,
            shot.width
        );
        score_joins(&m, &shot, &mut score, &mut checked);
        // A diagram wider than its box scrolls: look at the rest of it too, a screenful at
        // a time, overlapping by a few cells so that no join falls between two views.
        let step = (m.clip.w - 4.0 * m.cw).max(m.cw);
        let mut left = m.scroll_left;
        while left + m.clip.w < m.scroll_width {
            left += step;
            let view = measure(b, url, i, left).await?;
            score_joins(&view, &shoot(b, view.clip).await?, &mut score, &mut checked);
        }
        let all = all_joins(&m);
        score.unseen_joins = all.difference(&checked).count();
        out.push((m, score));
    }
    Ok(out)
}

async fn measure(b: &Browser, url: &str, i: usize, scroll_left: f64) -> Result<Measured> {
    let value = b
        .client
        .execute(MEASURE, vec![json!(i), json!(scroll_left)])
        .await?;
    serde_json::from_value(value)
        .with_context(|| format!("diagram {i} of {url}: unexpected measurement"))
}

/// Every join the text of a diagram intends, wherever it is on screen.
fn all_joins(m: &Measured) -> HashSet<Join> {
    let grid: Vec<HashMap<usize, char>> = m
        .lines
        .iter()
        .map(|line| {
            let mut col = 0;
            line.iter()
                .map(|g| {
                    let at = col;
                    col += cells(&g.g, col);
                    (at, first_char(&g.g))
                })
                .collect()
        })
        .collect();
    let mut joins = HashSet::new();
    for (row, line) in grid.iter().enumerate() {
        for (&col, &c) in line {
            if grid
                .get(row + 1)
                .and_then(|l| l.get(&col))
                .is_some_and(|b| DOWN.contains(c) && UP.contains(*b))
            {
                joins.insert((row, col, true));
            }
            if line
                .get(&(col + 1))
                .is_some_and(|b| RIGHT.contains(c) && LEFT.contains(*b))
            {
                joins.insert((row, col, false));
            }
        }
    }
    joins
}

/// Measures `pages` in every size and ratio; fails naming each diagram that misses.
async fn check_all(b: &Browser, what: &str, pages: &[(String, String)]) -> Result<()> {
    let mut failures = Vec::new();
    for ratio in RATIOS {
        set_ratio(b, ratio).await?;
        for size in SIZES {
            let mut total = Score::default();
            let mut diagrams = 0;
            for (name, url) in pages {
                for (i, (m, score)) in measure_page(b, url, size, "").await?.iter().enumerate() {
                    ensure!(
                        m.dpr == ratio,
                        "devicePixelRatio is {} instead of {ratio}",
                        m.dpr
                    );
                    diagrams += 1;
                    total.add(score);
                    if !score.passes() {
                        failures.push(format!(
                            "{name} diagram {i} at {size}px DPR {ratio} (line-height {}): {}; first misplaced: {}; first gap: {}",
                            m.line_height,
                            score.summary(),
                            score.first_bad.as_deref().unwrap_or("none"),
                            score.first_gap.as_deref().unwrap_or("none"),
                        ));
                    }
                }
            }
            println!(
                "    {what}: {size}px DPR {ratio}: {diagrams} diagrams, {}",
                total.summary()
            );
        }
    }
    set_ratio(b, 1.0).await?;
    if !failures.is_empty() {
        bail!(
            "{} diagram checks failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
    Ok(())
}

/// Site-relative pages of the bundled notes that hold a diagram, with their URLs.
fn bundled_pages(b: &Browser) -> Result<Vec<(String, String)>> {
    let mut pages = Vec::new();
    for page in &b.site.pages {
        let html = std::fs::read_to_string(b.site.out.join(page))?;
        if html.contains("<pre class=\"diagram\"") {
            pages.push((page.clone(), b.url(page)));
        }
    }
    ensure!(
        !pages.is_empty(),
        "no page of the bundled notes has a diagram"
    );
    Ok(pages)
}

/// The diagram fixture site, built into a temporary folder.
struct Fixture {
    _dir: tempfile::TempDir,
    out: PathBuf,
    source: PathBuf,
}

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagrams")
}

fn build_fixture() -> Result<Fixture> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("public");
    harness::run_build(&fixture_root(), &["-o".as_ref(), out.as_os_str()])?;
    Ok(Fixture {
        _dir: dir,
        out,
        source: fixture_root().join("notes/index.md"),
    })
}

/// The bundled notes: every diagram on the grid, evenly pitched and joined, at 13/16/20 px
/// and DPR 1 and 2.
pub async fn diagrams_align_to_the_grid(b: Browser) -> Result<()> {
    let pages = bundled_pages(&b)?;
    let result = check_all(&b, "bundled notes", &pages).await;
    set_ratio(&b, 1.0).await?;
    result
}

/// The fixture: emoji and CJK in boxes, ↘ ↙ ►, tabs; same sizes and ratios.
pub async fn diagram_fixture_with_emoji_cjk_arrows_and_tabs_aligns(b: Browser) -> Result<()> {
    let fixture = build_fixture()?;
    let pages = vec![(
        "fixture index.html".to_string(),
        file_url(&fixture.out.join("index.html")),
    )];
    let result = check_all(&b, "fixture", &pages).await;
    set_ratio(&b, 1.0).await?;
    result
}

/// Copying a diagram gives back its source lines: its text, rendered text and selection
/// are a run of whole lines of the note, tabs and all.
pub async fn diagrams_copy_back_their_source(b: Browser) -> Result<()> {
    let fixture = build_fixture()?;
    let mut pages: Vec<(String, String, PathBuf)> = vec![(
        "fixture index.html".into(),
        file_url(&fixture.out.join("index.html")),
        fixture.source.clone(),
    )];
    for (page, url) in bundled_pages(&b)? {
        let source = b.site.root.join("notes").join(page.replace(".html", ".md"));
        pages.push((page, url, source));
    }
    let mut bundled = 0;
    for (name, url, source) in &pages {
        let source = std::fs::read_to_string(source)
            .with_context(|| format!("reading {}", source.display()))?;
        let lines = format!("\n{}", source.replace("\r\n", "\n"));
        for (i, (m, _)) in measure_page(&b, url, 16, "").await?.iter().enumerate() {
            ensure!(
                m.text.ends_with('\n') && lines.contains(&format!("\n{}", m.text)),
                "{name} diagram {i}: its text is not a run of the note's lines:\n{}",
                m.text
            );
            ensure!(
                m.inner == m.text,
                "{name} diagram {i}: innerText differs:\n{:?}\n{:?}",
                m.inner,
                m.text
            );
            // A selection ends before the newline that closes the last line.
            ensure!(
                m.selected == m.text || format!("{}\n", m.selected) == m.text,
                "{name} diagram {i}: selected text differs:\n{:?}\n{:?}",
                m.selected,
                m.text
            );
            if name.starts_with("fixture") {
                continue;
            }
            bundled += 1;
        }
        if name.starts_with("fixture") {
            let texts: Vec<String> = b
                .js("return [...document.querySelectorAll('pre.diagram')].map(p => p.textContent);")
                .await?;
            ensure!(
                texts.len() == 5,
                "the fixture has {} diagrams, not 5",
                texts.len()
            );
            ensure!(
                texts[3].matches('\t').count() == 6,
                "tabs did not stay tabs: {:?}",
                texts[3]
            );
        }
    }
    ensure!(
        bundled == 11,
        "the bundled notes have {bundled} diagrams, not 11"
    );
    Ok(())
}

/// The check can fail: the fixture restyled with Liberation Mono, which lacks ↘ ↙ (they fall
/// back to a proportional font), and without the cell spans, is off the grid.
pub async fn liberation_mono_fails_the_grid_check(b: Browser) -> Result<()> {
    let fixture = build_fixture()?;
    let url = file_url(&fixture.out.join("index.html"));
    let measured = measure_page(&b, &url, 16, LIBERATION).await?;
    let mut total = Score::default();
    for (m, score) in &measured {
        ensure!(
            m.font_family.contains("Liberation Mono"),
            "the restyle did not apply: {}",
            m.font_family
        );
        total.add(score);
    }
    println!(
        "    Liberation Mono, no cell spans, 16px DPR 1: {}",
        total.summary()
    );
    ensure!(
        !total.passes(),
        "the grid check passed a page that cannot align"
    );
    // The arrow diagram: everything after ↙ on its line is pushed off the grid.
    let (m, arrows) = &measured[2];
    let arrow_line = m
        .lines
        .iter()
        .position(|l| l.iter().any(|g| g.g == "↙"))
        .context("no ↙ in the arrow diagram")?;
    ensure!(
        arrows.grid_err_max > TOL,
        "the ↙ ↘ diagram passed in Liberation Mono: {}",
        arrows.summary()
    );
    let line = off_grid(m, &m.lines[arrow_line]);
    let first_off = line.iter().position(|&(_, _, at, _)| at > TOL);
    let arrow = line.iter().position(|(g, ..)| g.g == "↙");
    ensure!(
        first_off.is_some() && first_off > arrow,
        "on the ↙ ↘ line the first glyph off the grid should follow ↙ (first off: {first_off:?}, ↙ at {arrow:?})"
    );
    // The pixel check on its own: the right font, but rows taller than its │.
    let tall = "pre.diagram { line-height: 2 !important; }";
    let mut spaced = Score::default();
    for (_, score) in measure_page(&b, &url, 16, tall).await? {
        spaced.add(&score);
    }
    println!(
        "    NotesMono at line-height 2, 16px DPR 1: {}",
        spaced.summary()
    );
    ensure!(
        spaced.grid_err_max <= TOL && spaced.v_gaps == spaced.v_joins && spaced.v_joins > 0,
        "line-height 2 should leave every vertical join with a gap and the grid intact: {}",
        spaced.summary()
    );
    Ok(())
}
