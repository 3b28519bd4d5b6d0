//! Properties of whole builds, over random inputs (proptest): a diagram's text comes back
//! exactly; no two elements of a page share an id; any text at all builds; and a sequence of
//! edits rebuilt as `serve` rebuilds gives the site a clean build gives.

use proptest::prelude::*;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};
use studysite::{build, build_with, BuildOptions, Built, Cache, Config, Content};

/// A site folder whose `notes/` holds just `note.md`, built with one cache for all cases (as
/// `serve` would), so the syntax set is loaded once per test, not per case.
struct OneNote {
    dir: tempfile::TempDir,
    cache: Cache,
}

impl OneNote {
    fn new() -> OneNote {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("notes")).unwrap();
        OneNote {
            dir,
            cache: Cache::default(),
        }
    }

    /// The built site with `text` as the note, and the note's page.
    fn build(&mut self, text: &str) -> (Built, Option<String>) {
        fs::write(self.dir.path().join("notes/note.md"), text).unwrap();
        let built = build_with(&config(self.dir.path()), &mut self.cache).unwrap();
        let page = built
            .urls
            .get("note.md")
            .map(|url| match &built.files[url] {
                Content::Bytes(b) => String::from_utf8(b.to_vec()).unwrap(),
                Content::Copy(p) => panic!("the page is a copy of {}", p.display()),
                Content::Written { .. } => unreachable!("an in-memory build writes nothing"),
            });
        (built, page)
    }
}

fn config(root: &Path) -> Config {
    let options = BuildOptions {
        path: root.to_path_buf(),
        ..BuildOptions::default()
    };
    Config::load(&options).unwrap()
}

/// Runs `f` with this thread's [`OneNote`] (proptest runs the cases of a test on one thread).
fn with_site<T>(f: impl FnOnce(&mut OneNote) -> T) -> T {
    thread_local! {
        static SITE: RefCell<OneNote> = RefCell::new(OneNote::new());
    }
    SITE.with_borrow_mut(f)
}

/// The text a browser shows for the inside of an element: tags dropped, entities decoded.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt + rest[lt..].find('>').expect("a tag closes") + 1..];
    }
    out.push_str(rest);
    html_escape::decode_html_entities(&out).into_owned()
}

/// The text of every `<pre class="diagram">` of `page`, as a browser reads it (the newline
/// right after `<pre>` dropped, as the HTML parser drops it).
fn diagrams(page: &str) -> Vec<String> {
    const OPEN: &str = "<pre class=\"diagram\">";
    page.match_indices(OPEN)
        .map(|(at, _)| {
            let inner = &page[at + OPEN.len()..];
            let inner = &inner[..inner.find("</pre>").expect("the diagram closes")];
            text_of(inner.strip_prefix('\n').unwrap_or(inner))
        })
        .collect()
}

// ---- (a) diagrams ----

/// What a box's label is made of: ASCII, markup characters, CJK, emoji (with a modifier
/// and a flag), combining marks and tabs.
const LABEL_CHARS: &[&str] = &[
    "a", "B", "z", "0", "7", " ", "-", "_", ".", "&", "<", ">", "\"", "'", "&amp;", ";", "#", "*",
    "精", "度", "中", "文", "字", "日本", "한", "🚀", "😀", "👍🏻", "🇹🇭", "✅", "é", "e\u{301}", "★",
    "\t", "Ω",
];

fn label() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(LABEL_CHARS), 1..7).prop_map(|parts| parts.concat())
}

/// A box: its label and the padding either side of it.
#[derive(Debug, Clone)]
struct Boxed {
    label: String,
    pad: usize,
}

/// A row of boxes side by side, joined by connectors; under it, perhaps, an arrow down.
#[derive(Debug, Clone)]
struct BoxRow {
    boxes: Vec<Boxed>,
    joins: Vec<&'static str>,
    down: Option<usize>,
}

const JOINS: &[&str] = &["──▶", "  ", " ◀─▶ ", "─┼─", "═══►", " → "];

fn box_row() -> impl Strategy<Value = BoxRow> {
    let boxed = (label(), 0..3usize).prop_map(|(label, pad)| Boxed { label, pad });
    (
        prop::collection::vec(boxed, 1..4),
        prop::collection::vec(prop::sample::select(JOINS), 3),
        prop::option::of(0..12usize),
    )
        .prop_map(|(boxes, joins, down)| BoxRow { boxes, joins, down })
}

/// Draws rows of boxes: every line holds a box-drawing character or an arrow, with no
/// trailing space, so the detector also finds the drawing without a fence.
fn draw(indent: usize, rows: &[BoxRow]) -> String {
    let mut out = String::new();
    for row in rows {
        let mut lines = [" ".repeat(indent), " ".repeat(indent), " ".repeat(indent)];
        for (i, b) in row.boxes.iter().enumerate() {
            let inner = b.label.chars().count() + 2 * b.pad;
            let pad = " ".repeat(b.pad);
            lines[0].push_str(&format!("┌{}┐", "─".repeat(inner)));
            lines[1].push_str(&format!("│{pad}{}{pad}│", b.label));
            lines[2].push_str(&format!("└{}┘", "─".repeat(inner)));
            if i + 1 < row.boxes.len() {
                let join = row.joins[i];
                let blank = " ".repeat(join.chars().count());
                lines[0].push_str(&blank);
                lines[1].push_str(join);
                lines[2].push_str(&blank);
            }
        }
        for line in lines {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        if let Some(at) = row.down {
            let at = " ".repeat(indent + at);
            out.push_str(&format!("{at}│\n{at}▼\n"));
        }
    }
    out
}

fn drawing() -> impl Strategy<Value = String> {
    (0..4usize, prop::collection::vec(box_row(), 1..4))
        .prop_map(|(indent, rows)| draw(indent, &rows))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A diagram, fenced or not, shows exactly the text it was written as.
    #[test]
    fn a_diagrams_text_round_trips(code in drawing(), fenced in any::<bool>()) {
        let note = if fenced {
            format!("# D\n\nBefore.\n\n```diagram\n{code}```\n\nAfter.\n")
        } else {
            format!("# D\n\nBefore.\n\n{code}\nAfter.\n")
        };
        let (built, page) = with_site(|site| site.build(&note));
        let page = page.unwrap_or_else(|| panic!("no page: {:?}", built.report.diagnostics()));
        prop_assert_eq!(diagrams(&page), vec![code]);
    }
}

// ---- (b) ids ----

/// Heading texts that collide: repeated, the same as each other's slugs (`a b`, `a-b`,
/// `A B`), the same as a numbered duplicate's id (`Intro 1`), unicode, empty, and names a
/// page's own elements might use.
const HEADINGS: &[&str] = &[
    "Intro",
    "intro",
    "Intro 1",
    "intro-1",
    "Intro-2",
    "a b",
    "a-b",
    "A B",
    "a  b",
    "Ünïcödé",
    "日本語",
    "😀",
    "😀 😀",
    "",
    "#",
    "-",
    "1",
    "Tip",
    "Exam tip",
    "Search",
    "Contents",
    "Backlinks",
    "main",
    "content",
    "toc",
    "top",
    "footnotes",
    "sc-store",
    "tip-1",
];

fn heading() -> impl Strategy<Value = String> {
    let text = prop_oneof![
        3 => prop::sample::select(HEADINGS).prop_map(str::to_string),
        1 => "[a-zA-Z0-9 _-]{0,8}",
        1 => "\\PC{0,6}",
    ];
    let attr = prop_oneof![
        4 => Just(String::new()),
        1 => prop::sample::select(&["intro", "a-b", "x", "search", "tip-1"][..])
            .prop_map(|id| format!(" {{#{id}}}")),
    ];
    (1..7usize, text, attr).prop_map(|(level, text, attr)| {
        format!(
            "{} {}{}",
            "#".repeat(level),
            text.replace(['\n', '\r'], " "),
            attr
        )
    })
}

/// Blocks between headings that claim ids too: callouts, scenarios, tips, footnotes.
const BLOCKS: &[&str] = &[
    "Text.",
    "> [!tip] Intro\n> body",
    "> [!note]\n> body",
    "- \"store images\" -> S3\n- \"Store images\" -> ECR",
    "| Scenario | Service |\n|---|---|\n| Store images | ECR |\n| store images | S3 |",
    "Exam tip: intro -> Intro",
    "Note: a-b",
    "See[^1].\n\n[^1]: The note.",
    "<a name=\"intro\"></a>",
];

fn ids_note() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        3 => heading(),
        1 => prop::sample::select(BLOCKS).prop_map(str::to_string),
    ];
    prop::collection::vec(part, 1..16).prop_map(|parts| parts.join("\n\n") + "\n")
}

/// Every `id="..."` of a page.
fn ids_of(page: &str) -> Vec<String> {
    page.match_indices(" id=\"")
        .map(|(at, m)| {
            let rest = &page[at + m.len()..];
            html_escape::decode_html_entities(&rest[..rest.find('"').unwrap()]).into_owned()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// However headings, callouts and scenarios repeat each other, no two elements of the page
    /// share an id, and every link within the page (the contents' links to headings among
    /// them) goes to an id on it.
    #[test]
    fn ids_on_a_page_are_unique(note in ids_note()) {
        let (built, page) = with_site(|site| site.build(&note));
        let page = page.unwrap_or_else(|| panic!("no page: {:?}", built.report.diagnostics()));
        let ids = ids_of(&page);
        let mut seen = HashSet::new();
        for id in &ids {
            prop_assert!(seen.insert(id), "id {:?} twice in {:?}\n{}", id, ids, note);
        }
        // Every link within the page (the contents, footnotes, the skip link) finds its id.
        let anchors = page.match_indices(" href=\"#").map(|(at, m)| {
            let rest = &page[at + m.len()..];
            html_escape::decode_html_entities(&rest[..rest.find('"').unwrap()]).into_owned()
        });
        for anchor in anchors {
            let anchor = percent_decode(&anchor);
            prop_assert!(anchor.is_empty() || seen.contains(&anchor), "link #{} has no id in {:?}", anchor, ids);
        }
    }
}

/// `%XX` decoded, as a browser does with a fragment before it looks up the id.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = (b[i] == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---- (c) any text ----

/// Markdown-ish text: the syntax studysite reads, in random order and nesting, among random
/// unicode.
fn markdownish() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "\n",
        "\n\n",
        "# ",
        "## ",
        "> ",
        "> [!tip] ",
        "- ",
        "1. ",
        "```",
        "```diagram\n",
        "~~~",
        "    ",
        "| a | b |\n|---|---|\n",
        "[[",
        "]]",
        "[x](",
        ")",
        "![",
        "<details>",
        "<summary>Answer</summary>",
        "</details>",
        ":::tip ",
        ":::\n",
        "!!! note ",
        "{{< hint >}}",
        "{{< /hint >}}",
        "{% raw %}",
        "$$",
        "$",
        "\\",
        "*",
        "_",
        "`",
        "---\n",
        "+++\n",
        "Q: ",
        "A: ",
        " -> ",
        " → ",
        "┌─┐",
        "│",
        "└─┘",
        "▼",
        "#tag",
        "{#id}",
        "[^1]",
        "\t",
        "\r\n",
        "\r",
        "&amp;",
        "<",
        "\u{0}",
        "\u{feff}",
        "•",
    ];
    let part = prop_oneof![
        2 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => "\\PC{0,12}",
        1 => any::<String>(),
    ];
    prop::collection::vec(part, 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any UTF-8 text is a note that builds: a page, or an error diagnostic saying why not.
    #[test]
    fn any_text_builds(note in prop_oneof![any::<String>(), markdownish()]) {
        let (built, page) = with_site(|site| site.build(&note));
        match page {
            Some(page) => prop_assert!(page.contains("</html>")),
            None => prop_assert!(
                built.report.errors() > 0 || note.contains("draft"),
                "no page and no error: {:?}",
                built.report.diagnostics()
            ),
        }
    }
}

// ---- (d) edits in serve ----

/// The notes an edit sequence works on.
const NAMES: &[&str] = &[
    "index.md",
    "a.md",
    "b.md",
    "sub/c.md",
    "sub/d.md",
    "sub/deep/e.md",
];

/// What a generated note holds: its title, its sections, and links to other notes (some of
/// which will not exist when the site is built).
#[derive(Debug, Clone)]
struct NoteText {
    front_title: Option<&'static str>,
    title: &'static str,
    sections: Vec<&'static str>,
    links: Vec<(usize, Option<&'static str>)>,
    scenario: bool,
}

const TITLES: &[&str] = &["Home", "Compute", "Storage", "Storage", "Intro", "日本語"];
const SECTIONS: &[&str] = &[
    "Intro",
    "Details",
    "Intro",
    "Exam tips",
    "S3 vs EBS",
    "Ünïcödé",
];

fn note_text() -> impl Strategy<Value = NoteText> {
    (
        prop::option::of(prop::sample::select(&["Front", "Other"][..])),
        prop::sample::select(TITLES),
        prop::collection::vec(prop::sample::select(SECTIONS), 0..4),
        prop::collection::vec(
            (
                0..NAMES.len(),
                prop::option::of(prop::sample::select(SECTIONS).prop_map(|s| s)),
            ),
            0..4,
        ),
        any::<bool>(),
    )
        .prop_map(|(front_title, title, sections, links, scenario)| NoteText {
            front_title,
            title,
            sections,
            links,
            scenario,
        })
}

/// The markdown of a note at `at`: links to the others are relative to its folder, as a user
/// writes them, and every second one is a wikilink.
fn render_note(at: &str, n: &NoteText) -> String {
    let mut out = String::new();
    if let Some(t) = n.front_title {
        out.push_str(&format!("---\ntitle: {t}\n---\n"));
    }
    out.push_str(&format!("# {}\n\n", n.title));
    let depth = at.matches('/').count();
    for (i, (target, section)) in n.links.iter().enumerate() {
        let name = NAMES[*target];
        let fragment = section.map(|s| s.to_lowercase().replace(' ', "-"));
        if i % 2 == 0 {
            let fragment = fragment.map_or(String::new(), |f| format!("#{f}"));
            out.push_str(&format!(
                "See [it]({}{name}{fragment}).\n\n",
                "../".repeat(depth)
            ));
        } else {
            let stem = name.rsplit('/').next().unwrap().trim_end_matches(".md");
            let heading = section.map_or(String::new(), |s| format!("#{s}"));
            out.push_str(&format!("See [[{stem}{heading}]].\n\n"));
        }
    }
    for s in &n.sections {
        out.push_str(&format!("## {s}\n\nText about {s}.\n\n"));
    }
    if n.scenario {
        out.push_str("- \"store images\" -> ECR\n");
    }
    out
}

#[derive(Debug, Clone)]
enum Edit {
    /// Writes the note (adds it, or changes it).
    Write(usize, NoteText),
    Delete(usize),
    Rename(usize, usize),
    /// Changes the note's first section heading, or adds one.
    Heading(usize, &'static str),
}

fn edit() -> impl Strategy<Value = Edit> {
    let name = 0..NAMES.len();
    prop_oneof![
        3 => (name.clone(), note_text()).prop_map(|(i, n)| Edit::Write(i, n)),
        1 => name.clone().prop_map(Edit::Delete),
        1 => (name.clone(), name.clone()).prop_map(|(a, b)| Edit::Rename(a, b)),
        2 => (name, prop::sample::select(SECTIONS)).prop_map(|(i, s)| Edit::Heading(i, s)),
    ]
}

/// A site to edit, with a clock for the notes' stamps: every write gets a time of its own, an
/// hour back, so the notes an edit leaves alone are trusted by their stamp (not read again)
/// and those it touches are seen by theirs.
struct Edited {
    dir: tempfile::TempDir,
    writes: u64,
}

impl Edited {
    fn write(&mut self, rel: &str, text: &str) {
        let path = self.dir.path().join("notes").join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        self.writes += 1;
        let at = SystemTime::now() - Duration::from_secs(3600) + Duration::from_secs(self.writes);
        let file = fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(at).unwrap();
    }

    fn apply(&mut self, edit: &Edit) {
        let notes = self.dir.path().join("notes");
        match edit {
            Edit::Write(i, n) => self.write(NAMES[*i], &render_note(NAMES[*i], n)),
            Edit::Delete(i) => {
                let _ = fs::remove_file(notes.join(NAMES[*i]));
            }
            Edit::Rename(a, b) => {
                let (from, to) = (notes.join(NAMES[*a]), notes.join(NAMES[*b]));
                if from.exists() && !to.exists() {
                    fs::create_dir_all(to.parent().unwrap()).unwrap();
                    fs::rename(from, to).unwrap();
                }
            }
            Edit::Heading(i, s) => {
                let Ok(text) = fs::read_to_string(notes.join(NAMES[*i])) else {
                    return;
                };
                let text = match text.find("\n## ") {
                    Some(at) => {
                        let end = text[at + 1..].find('\n').map_or(text.len(), |e| at + 1 + e);
                        format!("{}\n## {s}{}", &text[..at], &text[end..])
                    }
                    None => format!("{text}\n## {s}\n"),
                };
                self.write(NAMES[*i], &text);
            }
        }
    }
}

/// The files and diagnostics of two builds are the same.
fn same_site(incremental: &Built, clean: &Built) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        incremental.report.diagnostics(),
        clean.report.diagnostics(),
        "diagnostics differ"
    );
    let names = |b: &Built| b.files.keys().cloned().collect::<Vec<_>>();
    prop_assert_eq!(names(incremental), names(clean), "different files");
    let differ: BTreeMap<&String, ()> = clean
        .files
        .iter()
        .filter(|(name, content)| incremental.files[*name] != **content)
        .map(|(name, _)| (name, ()))
        .collect();
    prop_assert!(
        differ.is_empty(),
        "differ from a clean build: {:?}",
        differ.keys()
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Notes added, changed, deleted and renamed, headings and links changed, each rebuilt
    /// from the last build's cache as `serve` rebuilds: the site at the end is the one a
    /// clean build of the final notes gives, file for file, and so are its diagnostics.
    #[test]
    fn edits_rebuilt_in_serve_give_a_clean_build(
        start in prop::collection::vec(note_text(), NAMES.len()),
        edits in prop::collection::vec(edit(), 1..10),
    ) {
        let mut site = Edited { dir: tempfile::tempdir().unwrap(), writes: 0 };
        for (name, n) in NAMES.iter().zip(&start).take(4) {
            site.write(name, &render_note(name, n));
        }
        let root = site.dir.path().to_path_buf();
        let mut cache = Cache::default();
        let mut incremental = build_with(&config(&root), &mut cache).unwrap();
        for edit in &edits {
            site.apply(edit);
            incremental = build_with(&config(&root), &mut cache).unwrap();
        }
        same_site(&incremental, &build(&config(&root)).unwrap())?;
    }
}
