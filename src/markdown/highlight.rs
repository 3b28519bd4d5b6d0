//! Syntax highlighting with syntect: each run of one look is one short element named after
//! its colours and font style in the light and the dark theme (`<k-3b-7>`), a stylesheet
//! made from both themes for the looks a site uses, the syntax set loaded once from its
//! precompiled dump (only when a page has code), blocks highlighted in parallel ahead of
//! rendering, and a content-keyed cache, in memory and on disk ([`crate::store`]), so a block
//! seen before is never highlighted twice.

use crate::store::{self, Store};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock};
use syntect::highlighting::{Color, FontStyle, Highlighter as Styler, Style, Theme};
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Languages that are shown as they are: never highlighted, never warned about.
pub(crate) const PLAIN: &[&str] = &[
    "",
    "text",
    "plain",
    "plaintext",
    "txt",
    "console",
    "output",
    "diagram",
    "ascii",
    "mermaid",
    "math",
];

/// The themes, named in the persistent cache's keys: a block's HTML depends on them.
const THEMES: &str = "InspiredGithub/OneHalfDark";
/// The most the highlight cache holds on disk.
const STORE_BUDGET: usize = 256 << 20;

/// A block to highlight: its language and its text.
pub(crate) type Block = (String, String);

type Cache = Mutex<HashMap<Block, Arc<str>>>;

/// One theme's colours and backgrounds, each numbered, as the classes name them.
struct Palette {
    theme: Theme,
    /// Index 0 is the theme's own text colour.
    colours: Vec<Color>,
    /// Index 0 is the theme's own background.
    backgrounds: Vec<Color>,
    /// The background code blocks really sit on (`--code-bg` in static/style.css, which beats
    /// the theme's own): every colour the stylesheet gives is made readable against it.
    code_bg: Color,
}

/// `--code-bg` of static/style.css in the light and the dark theme (a test keeps them equal).
const LIGHT_CODE_BG: Color = Color {
    r: 0xf5,
    g: 0xf6,
    b: 0xf8,
    a: 255,
};
const DARK_CODE_BG: Color = Color {
    r: 0x16,
    g: 0x1b,
    b: 0x22,
    a: 255,
};
/// WCAG AA for normal text.
const MIN_CONTRAST: f64 = 4.5;

/// WCAG relative luminance of an opaque colour.
fn luminance(c: Color) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b)
}

/// `c` drawn over the opaque `bg`.
fn over(c: Color, bg: Color) -> Color {
    let a = f64::from(c.a) / 255.0;
    let mix = |f: u8, b: u8| (f64::from(f) * a + f64::from(b) * (1.0 - a)).round() as u8;
    Color {
        r: mix(c.r, bg.r),
        g: mix(c.g, bg.g),
        b: mix(c.b, bg.b),
        a: 255,
    }
}

/// WCAG contrast ratio of `fg` (possibly translucent) on the opaque `bg`.
fn contrast(fg: Color, bg: Color) -> f64 {
    let (a, b) = (luminance(over(fg, bg)), luminance(bg));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// `c`, or the nearest shade of it towards black (on a light background) or white (on a dark
/// one) that reaches `MIN_CONTRAST` on `bg`; the hue is kept as far as the shade allows.
fn readable(c: Color, bg: Color) -> Color {
    let c = over(c, bg);
    if contrast(c, bg) >= MIN_CONTRAST {
        return c;
    }
    let target = if luminance(bg) > 0.18 { 0.0 } else { 255.0 };
    let step = |v: u8, t: f64| (f64::from(v) + (t - f64::from(v)) * 0.05).round() as u8;
    let mut out = c;
    for _ in 0..200 {
        out = Color {
            r: step(out.r, target),
            g: step(out.g, target),
            b: step(out.b, target),
            a: 255,
        };
        if contrast(out, bg) >= MIN_CONTRAST {
            break;
        }
    }
    out
}

impl Palette {
    fn new(theme: Theme, code_bg: Color) -> Palette {
        let mut colours = vec![theme.settings.foreground.unwrap_or(Color::BLACK)];
        let mut backgrounds = vec![theme.settings.background.unwrap_or(Color::WHITE)];
        for item in &theme.scopes {
            if let Some(c) = item.style.foreground {
                if !colours.contains(&c) {
                    colours.push(c);
                }
            }
            if let Some(c) = item.style.background {
                if !backgrounds.contains(&c) {
                    backgrounds.push(c);
                }
            }
        }
        Palette {
            theme,
            colours,
            backgrounds,
            code_bg,
        }
    }

    /// `style` under this theme as a part of an element name: its colour's number, then
    /// `b`, `i`, `u` for its font style and `g` and a number for a background of its own
    /// (`3`, `3b`, `0g2`). A styled token names its look in both themes, so one theme's never
    /// shows in the other.
    fn part(&self, style: &Style, out: &mut String) {
        let fg = self.colours.iter().position(|c| *c == style.foreground);
        let _ = write!(out, "{}", fg.unwrap_or(0));
        for (bit, letter) in [
            (FontStyle::BOLD, 'b'),
            (FontStyle::ITALIC, 'i'),
            (FontStyle::UNDERLINE, 'u'),
        ] {
            if style.font_style.contains(bit) {
                out.push(letter);
            }
        }
        if let Some(bg) = self.backgrounds.iter().position(|c| *c == style.background) {
            if bg > 0 {
                let _ = write!(out, "g{bg}");
            }
        }
    }

    /// The look `part` names (as [`Palette::part`] writes it), its colour made readable on
    /// the code background, or `None` when it names a colour this theme lacks.
    fn look(&self, part: &str) -> Option<Look> {
        let digits = part
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(part.len());
        let fg: usize = part[..digits].parse().ok()?;
        let rest = &part[digits..];
        let (letters, bg) = match rest.split_once('g') {
            Some((l, bg)) => (l, Some(bg.parse::<usize>().ok()?)),
            None => (rest, None),
        };
        Some(Look {
            colour: hex(readable(*self.colours.get(fg)?, self.code_bg)),
            background: match bg {
                Some(bg) => Some(hex(*self.backgrounds.get(bg)?)),
                None => None,
            },
            bold: letters.contains('b'),
            italic: letters.contains('i'),
            underline: letters.contains('u'),
        })
    }

    fn is_plain(&self, style: &Style) -> bool {
        style.foreground == self.colours[0]
            && style.background == self.backgrounds[0]
            && style.font_style.is_empty()
    }
}

fn hex(c: Color) -> String {
    match c.a {
        255 => format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b),
        a => format!("#{:02x}{:02x}{:02x}{a:02x}", c.r, c.g, c.b),
    }
}

/// One theme's look of a token, as a stylesheet writes it.
struct Look {
    colour: String,
    background: Option<String>,
    bold: bool,
    italic: bool,
    underline: bool,
}

impl Look {
    /// The font declarations of this look, one per property, as (on, off) pairs: the one
    /// that applies first.
    fn fonts(&self) -> [(&'static str, bool); 3] {
        [
            ("font-weight:bold", self.bold),
            ("font-style:italic", self.italic),
            ("text-decoration:underline", self.underline),
        ]
    }
}

/// What undoes a font declaration of [`Look::fonts`].
fn font_off(on: &str) -> &'static str {
    match on {
        "font-weight:bold" => "font-weight:normal",
        "font-style:italic" => "font-style:normal",
        _ => "text-decoration:none",
    }
}

struct Themes {
    light: Palette,
    dark: Palette,
}

fn themes() -> Themes {
    use two_face::theme::EmbeddedThemeName as T;
    let set = two_face::theme::extra();
    Themes {
        light: Palette::new(set.get(T::InspiredGithub).clone(), LIGHT_CODE_BG),
        dark: Palette::new(set.get(T::OneHalfDark).clone(), DARK_CODE_BG),
    }
}

#[derive(Default)]
pub(crate) struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    themes: OnceLock<Themes>,
    cache: Cache,
    /// The persistent cache, unless the build was told not to use one.
    store: Option<Store<Arc<str>>>,
    /// ```mermaid blocks drawn at build time, by source, their ids [`DRAWING_ID`]; kept in
    /// the persistent cache beside the highlighted blocks (merman takes far longer over a
    /// diagram than syntect over a block).
    drawings: Mutex<HashMap<String, Arc<str>>>,
}

/// This studysite build, in every key of the highlight cache (only used when there is one).
fn build() -> store::Key {
    store::this_build().unwrap_or_default()
}

/// The id a cached drawing is made with, replaced by the page's id for the block.
const DRAWING_ID: &str = "studysite-drawing-id";
/// What the drawings' cache keys are made with besides the source.
const DRAWING_KEY: &str = "mermaid light+dark 1";

impl Highlighter {
    /// The stylesheet for the element names of highlighted code `looks` (see [`looks`]).
    pub(crate) fn stylesheet<'l>(&self, looks: impl IntoIterator<Item = &'l str>) -> Arc<[u8]> {
        stylesheet(self.themes(), looks).into_bytes().into()
    }

    /// Uses the persistent cache in `dir` (none: `None`) from now on.
    pub(crate) fn use_store(&mut self, dir: Option<&Path>) {
        // No cache where this build cannot be told from another (see [`store::this_build`]).
        let dir = dir.filter(|_| store::this_build().is_some());
        if self.store.as_ref().map(Store::dir) != dir {
            self.store = dir.map(|d| Store::new(d, "highlight", STORE_BUDGET));
        }
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(two_face::syntax::extra_newlines)
    }

    fn themes(&self) -> &Themes {
        self.themes.get_or_init(themes)
    }

    fn find(&self, lang: &str) -> Option<&SyntaxReference> {
        let set = self.syntaxes();
        set.find_syntax_by_token(lang)
            .or_else(|| set.find_syntax_by_name(lang))
            .or_else(|| {
                let alias = match lang {
                    "sh" | "shell" | "zsh" => "bash",
                    "yml" => "yaml",
                    "ts" => "typescript",
                    "py" | "python3" => "python",
                    "tf" | "terraform" => "hcl",
                    "dockerfile" | "docker" => "Dockerfile",
                    "jsonc" | "json5" => "json",
                    "pyspark" => "python",
                    _ => return None,
                };
                set.find_syntax_by_token(alias)
                    .or_else(|| set.find_syntax_by_name(alias))
            })
    }

    /// Highlights `blocks` ahead of rendering, all of them in parallel (the blocks of one
    /// long note share the cores like those of many notes), reading and filling the
    /// persistent cache; `highlight` then finds each in memory.
    pub(crate) fn prepare(&self, mut blocks: Vec<Block>) {
        blocks.sort_unstable();
        blocks.dedup();
        let diagrams: Vec<String> = blocks
            .iter()
            .filter(|(lang, _)| lang == "mermaid")
            .map(|(_, code)| code.clone())
            .collect();
        self.prepare_drawings(diagrams);
        if let Ok(cache) = self.cache.lock() {
            blocks.retain(|b| !cache.contains_key(b));
        }
        blocks.retain(|(lang, _)| self.find(lang).is_some());
        if blocks.is_empty() {
            return;
        }
        self.through_store(
            blocks,
            |(l, c)| store::key(&[&build(), THEMES.as_bytes(), l.as_bytes(), c.as_bytes()]),
            |(l, c)| self.render(l, c).map(Arc::from),
            &self.cache,
        );
        // The lines parsed are of no more use once the blocks are done; their memory is.
        rayon::broadcast(|_| drop(LINES.take()));
    }

    /// `items` made into HTML in parallel: read from the persistent cache under `key` where
    /// it has them, else made with `make` and cached; all kept in `memory` (a `None` from
    /// `make` is not kept anywhere).
    fn through_store<T: Send + Sync + Eq + std::hash::Hash>(
        &self,
        items: Vec<T>,
        key: impl Fn(&T) -> store::Key + Sync,
        make: impl Fn(&T) -> Option<Arc<str>> + Sync,
        memory: &Mutex<HashMap<T, Arc<str>>>,
    ) {
        let keys: Vec<store::Key> = items.par_iter().map(&key).collect();
        let stored = self
            .store
            .as_ref()
            .map(|s| s.get_many(&keys))
            .unwrap_or_default();
        let done: Vec<(T, store::Key, Option<Arc<str>>, bool)> = items
            .into_par_iter()
            .zip(keys)
            .map(|(item, key)| match stored.get(&key) {
                Some(html) => (item, key, Some(html.clone()), false),
                None => {
                    let html = make(&item);
                    (item, key, html, true)
                }
            })
            .collect();
        let mut fresh = Vec::new();
        if let Ok(mut memory) = memory.lock() {
            for (item, key, html, new) in done {
                if let Some(html) = html {
                    if new {
                        fresh.push((key, html.clone()));
                    }
                    memory.insert(item, html);
                }
            }
        }
        if let Some(store) = &self.store {
            store.put_many(fresh);
        }
    }

    /// Draws the Mermaid `diagrams` not drawn before, in parallel, reading and filling the
    /// persistent cache; [`Highlighter::mermaid`] then finds each in memory. Only drawings
    /// are kept: a block that does not parse is parsed again, to be reported again.
    fn prepare_drawings(&self, mut diagrams: Vec<String>) {
        if let Ok(drawn) = self.drawings.lock() {
            diagrams.retain(|d| !drawn.contains_key(d));
        }
        if diagrams.is_empty() {
            return;
        }
        self.through_store(
            diagrams,
            |d| store::key(&[&build(), DRAWING_KEY.as_bytes(), b"mermaid", d.as_bytes()]),
            |d| match super::mermaid::draw(d, DRAWING_ID) {
                super::mermaid::Drawn::Svg(html) => Some(Arc::from(html)),
                _ => None,
            },
            &self.drawings,
        );
    }

    /// A ```mermaid block drawn with the page's `id`: from memory when
    /// [`Highlighter::prepare`] drew it, else now.
    pub(crate) fn mermaid(&self, code: &str, id: &str) -> super::mermaid::Drawn {
        let cached = self.drawings.lock().ok().and_then(|d| d.get(code).cloned());
        match cached {
            Some(html) => super::mermaid::Drawn::Svg(html.replace(DRAWING_ID, id)),
            None => super::mermaid::draw(code, id),
        }
    }

    /// Highlighted HTML or `None` for a language it does not know.
    pub(crate) fn highlight(&self, lang: &str, code: &str) -> Option<Arc<str>> {
        let key = (lang.to_string(), code.to_string());
        if let Some(hit) = self.cache.lock().ok()?.get(&key) {
            return Some(hit.clone());
        }
        let html: Arc<str> = self.render(lang, code)?.into();
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, html.clone());
        }
        Some(html)
    }

    /// One block's HTML: each run of text of one style in both themes is one span. A
    /// block's scope stacks repeat, so each one's styles are worked out once.
    fn render(&self, lang: &str, code: &str) -> Option<String> {
        let syntax = self.find(lang)?;
        let syntaxes = self.syntaxes();
        let Themes { light, dark } = self.themes();
        let (light_styler, dark_styler) = (Styler::new(&light.theme), Styler::new(&dark.theme));
        let style_of = |stack: &ScopeStack| {
            let scopes = stack.as_slice();
            STYLES.with_borrow_mut(|styles| {
                if let Some(s) = styles.get(scopes) {
                    return *s;
                }
                if styles.len() >= STYLES_KEPT {
                    styles.clear();
                }
                let s = (
                    light_styler.style_for_stack(scopes),
                    dark_styler.style_for_stack(scopes),
                );
                styles.insert(scopes.to_vec(), s);
                s
            })
        };
        let mut parser = Rc::new(ParseState::new(syntax));
        let mut stack = ScopeStack::new();
        let mut out = Spans::with_capacity(code.len() * 2);
        for line in LinesWithEndings::from(code) {
            let ops = parse_line(&mut parser, line, syntaxes)?;
            let mut at = 0;
            for (pos, op) in ops.iter() {
                let pos = (*pos).min(line.len());
                if pos > at {
                    let (l, d) = style_of(&stack);
                    out.push(&line[at..pos], &l, &d, light, dark);
                    at = pos;
                }
                stack.apply(op).ok()?;
            }
            if at < line.len() {
                let (l, d) = style_of(&stack);
                out.push(&line[at..], &l, &d, light, dark);
            }
        }
        Some(out.finish())
    }
}

thread_local! {
    /// The styles of each scope stack in both themes, worked out once per thread: blocks of
    /// one language repeat the same few hundred stacks, and matching a stack against a
    /// theme's rules costs more than parsing the text. The themes are fixed (see
    /// [`themes`]), so a stack's styles are the same in every build of the process.
    static STYLES: RefCell<FxHashMap<Vec<Scope>, (Style, Style)>> = RefCell::default();
}

/// How many scope stacks [`STYLES`] keeps before it starts again.
const STYLES_KEPT: usize = 1 << 16;

/// A parse state, shared: a line's end state is the next line's start state.
type State = Rc<ParseState>;
/// A line's scope operations, by byte offset.
type Ops = Rc<[(usize, ScopeStackOp)]>;
/// Each text's parses: the state it starts in, its operations, the state it leaves.
type Parses = FxHashMap<Box<str>, Vec<(State, Ops, State)>>;

/// Lines parsed before on this thread, by their text: code repeats lines (imports, keys,
/// closing brackets) across blocks and notes, and a line parsed from the same state parses
/// the same way, so its regex matching is done once per text and state. Two generations
/// bound it: when the newer is full it becomes the older, and a line found in the older
/// moves to the newer.
#[derive(Default)]
struct Lines {
    newer: Parses,
    older: Parses,
}

thread_local! {
    static LINES: RefCell<Lines> = RefCell::default();
}

/// How many texts one generation of [`Lines`] holds.
const LINES_KEPT: usize = 1 << 12;
/// The most start states one text is kept with.
const STATES_PER_LINE: usize = 4;

impl Lines {
    fn find(&mut self, line: &str, state: &State) -> Option<(Ops, State)> {
        let same =
            |(before, ..): &&(State, Ops, State)| Rc::ptr_eq(before, state) || **before == **state;
        if let Some((_, ops, after)) = self.newer.get(line).and_then(|p| p.iter().find(same)) {
            return Some((ops.clone(), after.clone()));
        }
        let (_, ops, after) = self.older.get(line)?.iter().find(same)?.clone();
        self.keep(line, state.clone(), ops.clone(), after.clone());
        Some((ops, after))
    }

    fn keep(&mut self, line: &str, before: State, ops: Ops, after: State) {
        if self.newer.len() >= LINES_KEPT && !self.newer.contains_key(line) {
            self.older = std::mem::take(&mut self.newer);
        }
        let parses = self.newer.entry(line.into()).or_default();
        if parses.len() < STATES_PER_LINE {
            parses.push((before, ops, after));
        }
    }
}

/// `line` parsed from `state`, which it moves on: from [`LINES`] where the same text was
/// parsed from the same state before, else by syntect.
fn parse_line(state: &mut State, line: &str, syntaxes: &SyntaxSet) -> Option<Ops> {
    LINES.with_borrow_mut(|lines| {
        if let Some((ops, after)) = lines.find(line, state) {
            *state = after;
            return Some(ops);
        }
        let mut next = ParseState::clone(state);
        let ops: Ops = next.parse_line(line, syntaxes).ok()?.into();
        let next = Rc::new(next);
        lines.keep(line, state.clone(), ops.clone(), next.clone());
        *state = next;
        Some(ops)
    })
}

/// Highlighted HTML being written. A run of text of one look is one element named after
/// its look in both themes, `<k-LIGHT-DARK>` (`<k-3b-2>`: colour 3 bold, colour 2): 17 bytes
/// a run where a span with three classes took 30. Plain runs are bare text.
struct Spans {
    html: String,
    open: String,
    name: String,
}

/// What every element name of highlighted code starts with.
const ELEMENT: &str = "k-";

impl Spans {
    fn with_capacity(n: usize) -> Spans {
        Spans {
            html: String::with_capacity(n),
            open: String::new(),
            name: String::new(),
        }
    }

    fn push(
        &mut self,
        text: &str,
        light_style: &Style,
        dark_style: &Style,
        light: &Palette,
        dark: &Palette,
    ) {
        if text.is_empty() {
            return;
        }
        // Spaces show no colour: they join whatever element is open.
        if !text.trim().is_empty() {
            self.name.clear();
            if !(light.is_plain(light_style) && dark.is_plain(dark_style)) {
                self.name.push_str(ELEMENT);
                light.part(light_style, &mut self.name);
                self.name.push('-');
                dark.part(dark_style, &mut self.name);
            }
        } else {
            self.name.clone_from(&self.open);
        }
        if self.name != self.open {
            self.close();
            if !self.name.is_empty() {
                self.html.push('<');
                self.html.push_str(&self.name);
                self.html.push('>');
            }
            std::mem::swap(&mut self.open, &mut self.name);
        }
        pulldown_cmark_escape::escape_html_body_text(&mut self.html, text).ok();
    }

    fn close(&mut self) {
        if !self.open.is_empty() {
            self.html.push_str("</");
            self.html.push_str(&self.open);
            self.html.push('>');
        }
    }

    fn finish(mut self) -> String {
        self.close();
        self.html
    }
}

/// The element names of highlighted code in `html`, each once, in order.
pub(crate) fn looks(html: &str) -> Vec<String> {
    let mut found = std::collections::BTreeSet::new();
    let open = format!("<{ELEMENT}");
    for (at, _) in html.match_indices(&open) {
        let rest = &html[at + 1..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        if rest[end..].starts_with('>') {
            found.insert(&rest[..end]);
        }
    }
    found.into_iter().map(str::to_string).collect()
}

/// The highlight stylesheet for the element names `looks`. Colours are `light-dark()` pairs,
/// so the page's `color-scheme` (static/style.css: the reader's choice, else the system's)
/// picks one; font styles are the light theme's, with a rule under dark mode where the dark
/// theme's differ. Names of one declaration share a rule (`.hl-code :is(k-3-2,k-3b-2)`). A
/// name whose colours the themes lack gets no rule (its text stays the block's own colour).
fn stylesheet<'l>(themes: &Themes, looks: impl IntoIterator<Item = &'l str>) -> String {
    let mut light: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut dark: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for name in looks {
        let Some((l, d)) = name
            .strip_prefix(ELEMENT)
            .and_then(|parts| parts.split_once('-'))
        else {
            continue;
        };
        let (Some(l), Some(d)) = (themes.light.look(l), themes.dark.look(d)) else {
            continue;
        };
        light
            .entry(format!("color:{}", pair(&l.colour, &d.colour)))
            .or_default()
            .push(name);
        if l.background.is_some() || d.background.is_some() {
            let [lb, db] =
                [&l.background, &d.background].map(|b| b.as_deref().unwrap_or("transparent"));
            light
                .entry(format!("background-color:{}", pair(lb, db)))
                .or_default()
                .push(name);
        }
        for ((on, in_light), (_, in_dark)) in l.fonts().into_iter().zip(d.fonts()) {
            if in_light {
                light.entry(on.to_string()).or_default().push(name);
            }
            if in_light != in_dark {
                let decl = if in_dark { on } else { font_off(on) };
                dark.entry(decl).or_default().push(name);
            }
        }
    }
    let mut css = format!(
        "/* generated by studysite from syntect themes */\n.hl-code{{color:{}}}\n",
        pair(
            &hex(readable(themes.light.colours[0], themes.light.code_bg)),
            &hex(readable(themes.dark.colours[0], themes.dark.code_bg))
        )
    );
    let rule = |css: &mut String, scope: &str, decl: &str, names: &[&str]| {
        let _ = match names {
            [one] => writeln!(css, "{scope}.hl-code {one}{{{decl}}}"),
            _ => writeln!(css, "{scope}.hl-code :is({}){{{decl}}}", names.join(",")),
        };
    };
    for (decl, names) in &light {
        rule(&mut css, "", decl, names);
    }
    if !dark.is_empty() {
        for (decl, names) in &dark {
            rule(&mut css, "html[data-theme=\"dark\"] ", decl, names);
        }
        css.push_str("@media (prefers-color-scheme: dark) {\n");
        for (decl, names) in &dark {
            rule(&mut css, "html:not([data-theme=\"light\"]) ", decl, names);
        }
        css.push_str("}\n");
    }
    css
}

/// A colour per theme: one value when both are the same.
fn pair(light: &str, dark: &str) -> String {
    match light == dark {
        true => light.to_string(),
        false => format!("light-dark({light},{dark})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_hex(h: &str) -> Color {
        let v = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap();
        let a = if h.len() == 8 { v(6) } else { 255 };
        Color {
            r: v(0),
            g: v(2),
            b: v(4),
            a,
        }
    }

    /// The code backgrounds the contrast is made against are the ones style.css gives.
    #[test]
    fn code_backgrounds_match_style_css() {
        let css = include_str!("../../static/style.css");
        assert!(
            css.contains("--code-bg: light-dark(#f5f6f8, #161b22);"),
            "static/style.css's --code-bg changed: update LIGHT_CODE_BG and DARK_CODE_BG"
        );
        assert_eq!(hex(LIGHT_CODE_BG), "#f5f6f8");
        assert_eq!(hex(DARK_CODE_BG), "#161b22");
    }

    /// Every element name of every colour of both themes, as highlighting may write them.
    fn every_look(t: &Themes) -> Vec<String> {
        let mut all = Vec::new();
        for l in 0..t.light.colours.len() {
            for d in 0..t.dark.colours.len() {
                all.push(format!("{ELEMENT}{l}-{d}b"));
            }
        }
        all
    }

    /// The rules of a generated stylesheet: scope (what comes before `.hl-code`), the
    /// element names, the declaration.
    fn rules(css: &str) -> Vec<(String, Vec<String>, String)> {
        let mut out = Vec::new();
        for line in css.lines() {
            let Some((sel, decl)) = line.split_once('{') else {
                continue;
            };
            let Some((scope, names)) = sel.split_once(".hl-code") else {
                continue;
            };
            let names = names.trim();
            let names = names
                .strip_prefix(":is(")
                .and_then(|n| n.strip_suffix(')'))
                .unwrap_or(names);
            out.push((
                scope.trim().to_string(),
                names
                    .split(',')
                    .filter(|n| !n.is_empty())
                    .map(str::to_string)
                    .collect(),
                decl.trim_end_matches('}').to_string(),
            ));
        }
        out
    }

    /// The light and the dark colour of a `color:` declaration.
    fn colours_of(decl: &str) -> Option<(Color, Color)> {
        let value = decl.strip_prefix("color:")?;
        Some(match value.strip_prefix("light-dark(") {
            Some(pair) => {
                let (l, d) = pair.trim_end_matches(')').split_once(',')?;
                (parse_hex(&l[1..]), parse_hex(&d[1..]))
            }
            None => (parse_hex(&value[1..]), parse_hex(&value[1..])),
        })
    }

    /// Every colour the highlight stylesheet gives reaches 4.5:1 on the code background of its
    /// theme, and every look has one.
    #[test]
    fn every_highlight_colour_reaches_4_5_to_1() {
        let t = themes();
        let looks = every_look(&t);
        let css = stylesheet(&t, looks.iter().map(String::as_str));
        let mut coloured = std::collections::BTreeSet::new();
        for (scope, names, decl) in rules(&css) {
            let Some((l, d)) = colours_of(&decl) else {
                continue;
            };
            assert!(scope.is_empty(), "a colour under a scope: {scope} {decl}");
            for (c, bg) in [(l, LIGHT_CODE_BG), (d, DARK_CODE_BG)] {
                let ratio = contrast(c, bg);
                assert!(
                    ratio >= MIN_CONTRAST,
                    "{names:?}: {} on {} is {ratio:.2}:1",
                    hex(c),
                    hex(bg)
                );
            }
            coloured.extend(names);
        }
        for name in &looks {
            assert!(coloured.contains(name), "{name} has no colour in:\n{css}");
        }
    }

    /// The text of highlighted HTML, tags dropped and entities decoded.
    fn text_of(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }

    #[test]
    fn highlights_yaml_and_caches() {
        let h = Highlighter::default();
        let a = h.highlight("yaml", "key: value\n").unwrap();
        assert!(a.contains("<k-"), "{a}");
        let b = h.highlight("yaml", "key: value\n").unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert!(
            h.highlight("toml", "a = 1\n").is_some(),
            "two-face adds TOML"
        );
        assert!(h.highlight("dockerfile", "FROM x\n").is_some());
        assert!(h.highlight("no-such-lang", "x").is_none());
    }

    #[test]
    fn a_line_parsed_again_parses_as_syntect_parses_it_from_its_own_state() {
        // "x = 1" is code, then text inside a docstring, then code again; the memo must
        // tell the states apart and give each the operations syntect gives.
        let h = Highlighter::default();
        let syntax = h.find("python").unwrap();
        let code = "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\n";
        let mut plain = ParseState::new(syntax);
        let want: Vec<_> = LinesWithEndings::from(code)
            .map(|l| plain.parse_line(l, h.syntaxes()).unwrap())
            .collect();
        assert_ne!(want[0], want[2], "the docstring line differs");
        for _ in 0..2 {
            let mut state = Rc::new(ParseState::new(syntax));
            let got: Vec<_> = LinesWithEndings::from(code)
                .map(|l| parse_line(&mut state, l, h.syntaxes()).unwrap().to_vec())
                .collect();
            assert_eq!(got, want);
        }
        assert!(LINES.with_borrow(|l| l.newer.contains_key("x = 1\n")));
    }

    #[test]
    fn one_span_per_run_of_one_style_and_the_text_kept() {
        let h = Highlighter::default();
        let code = "def f(x):\n    return x < 2 and \"a&b\"  # done\n";
        let html = h.highlight("python", code).unwrap();
        assert_eq!(text_of(&html), code);
        assert!(!html.contains("hl-source"), "{html}");
        assert!(html.contains("<k-"), "{html}");
        let used = looks(&html);
        assert!(used.len() >= 3, "{used:?} in {html}");
        let css =
            String::from_utf8(h.stylesheet(used.iter().map(String::as_str)).to_vec()).unwrap();
        let rules = rules(&css);
        for name in &used {
            assert!(
                rules.iter().any(|(scope, names, decl)| scope.is_empty()
                    && names.contains(name)
                    && decl.starts_with("color:")),
                "`{name}` has no colour in {css}"
            );
            assert!(html.contains(&format!("</{name}>")), "{html}");
        }
    }

    #[test]
    fn a_prepared_drawing_is_the_drawing_with_the_pages_id() {
        let code = "flowchart TD\n  A[Train] --> B{Good?}\n  B -->|Yes| C[Deploy]\n";
        let dir = tempfile::tempdir().unwrap();
        let mut h = Highlighter::default();
        h.use_store(Some(dir.path()));
        h.prepare(vec![("mermaid".into(), code.into())]);
        let direct = super::super::mermaid::draw(code, "mermaid-7");
        assert_eq!(h.mermaid(code, "mermaid-7"), direct);
        assert!(matches!(direct, super::super::mermaid::Drawn::Svg(_)));
        // A later build reads it back from the cache on disk.
        let mut later = Highlighter::default();
        later.use_store(Some(dir.path()));
        later.prepare(vec![("mermaid".into(), code.into())]);
        assert!(later.drawings.lock().unwrap().contains_key(code));
        assert_eq!(later.mermaid(code, "mermaid-7"), direct);
    }

    #[test]
    fn prepared_blocks_are_the_ones_highlight_gives() {
        let h = Highlighter::default();
        let blocks = vec![
            ("yaml".to_string(), "a: 1\n".to_string()),
            ("python".to_string(), "x = 1\n".to_string()),
            ("no-such-lang".to_string(), "x".to_string()),
        ];
        h.prepare(blocks);
        let fresh = Highlighter::default();
        assert_eq!(
            h.highlight("yaml", "a: 1\n"),
            fresh.highlight("yaml", "a: 1\n")
        );
        assert_eq!(h.cache.lock().unwrap().len(), 2);
    }

    /// A look bold in the light theme and not in the dark is bold by default and normal
    /// under dark mode, whether the reader chose it or the system did.
    #[test]
    fn dark_font_rules_are_scoped() {
        let css = stylesheet(&themes(), ["k-3b-2", "k-3-2"]);
        let rules = rules(&css);
        let has = |scope: &str, name: &str, decl: &str| {
            rules
                .iter()
                .any(|(s, n, d)| s == scope && n.iter().any(|n| n == name) && d == decl)
        };
        assert!(has("", "k-3b-2", "font-weight:bold"), "{css}");
        assert!(
            has("html[data-theme=\"dark\"]", "k-3b-2", "font-weight:normal"),
            "{css}"
        );
        assert!(
            has(
                "html:not([data-theme=\"light\"])",
                "k-3b-2",
                "font-weight:normal"
            ),
            "{css}"
        );
        assert!(!has("", "k-3-2", "font-weight:bold"), "{css}");
        assert!(
            css.contains(".hl-code :is(k-3b-2,k-3-2){color:light-dark("),
            "one colour rule for both: {css}"
        );
    }
}
