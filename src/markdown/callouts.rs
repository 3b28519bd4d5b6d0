//! Callouts: `Exam tip:` paragraphs (plain or bold, taking a following list when they end
//! with `:`) and Obsidian/GitHub blockquotes (`> [!type]- Title`), as `<aside>` or `<details>`.

use super::adapter::{Step, Upstream};
use super::{IdSet, Spanned};
use crate::slug::slug;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::ops::Range;

/// What a callout is for, as the scenario extractor and flashcards see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Role {
    Tip,
    Trap,
    Other,
}

impl Role {
    /// From the callout's kind (`exam-trap`, `tip`), else its title ("Exam Trap: ...",
    /// "Common pitfall").
    fn of(kind: &str, title: &str) -> Role {
        let title = title.to_lowercase().replace('\u{2019}', "'");
        // A callout that lists what the page covers or asks first ("What you'll exercise",
        // "Learning objectives", "Prerequisites") is its outline, whatever its kind.
        let outline = [
            "what you'll",
            "what you will",
            "you'll learn",
            "you will learn",
            "objective",
            "prerequisite",
            "in this lab",
        ];
        if outline.iter().any(|w| title.contains(w)) {
            Role::Other
        } else if kind.contains("trap") {
            Role::Trap
        } else if kind.contains("tip") {
            Role::Tip
        } else if ["trap", "pitfall", "gotcha"]
            .iter()
            .any(|w| title.contains(w))
        {
            Role::Trap
        } else if title.contains("exam tip") {
            Role::Tip
        } else {
            Role::Other
        }
    }
}

/// A callout as the rest of the site sees it (flashcards, cram sheet).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Callout {
    pub(crate) kind: String,
    pub(crate) title: String,
    pub(crate) role: Role,
    pub(crate) id: String,
    /// Plain text of the body, one line per block.
    pub(crate) text: String,
    /// The bold runs in the body, as plain text (a flashcard blanks one).
    pub(crate) strong: Vec<String>,
    pub(crate) offset: usize,
}

/// The roles of the callouts around the event last handed out, innermost last, each with
/// whether its title names a choice guide ([`is_guide`]); read by the adapters after this one.
pub(crate) type Roles = RefCell<Vec<(Role, bool)>>;

/// Does a title say that what follows helps choose ("Choosing a Store", "When to Use
/// Which", and for a callout "Algorithm Selection")? A heading "Feature Selection" names
/// a topic of machine learning, not advice.
pub(crate) fn is_guide(title: &str, callout: bool) -> bool {
    let title = title.to_lowercase();
    let advice = [
        "selection guide",
        "choosing",
        "choose",
        "when to use",
        "which to use",
    ];
    advice.iter().any(|w| title.contains(w)) || (callout && title.contains("selection"))
}

/// Obsidian's callout types and their aliases, by canonical name.
const TYPES: &[(&str, &[&str])] = &[
    ("note", &[]),
    ("abstract", &["summary", "tldr"]),
    ("info", &[]),
    ("todo", &[]),
    ("tip", &["hint", "important"]),
    ("success", &["check", "done"]),
    ("question", &["help", "faq"]),
    ("warning", &["caution", "attention"]),
    ("failure", &["fail", "missing"]),
    ("danger", &["error"]),
    ("bug", &[]),
    ("example", &[]),
    ("quote", &["cite"]),
];

/// The CSS kind of a written type: its canonical Obsidian name, else its slug.
pub(crate) fn kind_of(written: &str) -> String {
    let lower = written.trim().to_lowercase();
    TYPES
        .iter()
        .find(|(name, aliases)| *name == lower || aliases.contains(&lower.as_str()))
        .map_or_else(|| slug(&lower), |(name, _)| name.to_string())
}

/// The icon of a kind: an empty `<span>` whose class names one of [`ICONS`], drawn by
/// study.css as a mask (an inline SVG per callout cost 280 bytes; a mock exam has hundreds).
fn icon(kind: &str) -> String {
    let name = match kind {
        "warning" | "exam-trap" => "warning",
        "danger" | "failure" | "bug" => "danger",
        "success" => "success",
        "question" => "question",
        "tip" | "exam-tip" => "tip",
        "quote" => "quote",
        "example" | "todo" | "abstract" => "list",
        "eli5" => "eli5",
        _ => "info",
    };
    format!("<span class=\"callout-icon ci-{name}\" aria-hidden=\"true\"></span>")
}

/// The callout icons by name, as the path of a 24-unit square drawn with a 2-unit round
/// stroke; a test below holds study.css to them.
#[cfg(test)]
const ICONS: &[(&str, &str)] = &[
    ("warning", "M12 3 2 21h20L12 3zm0 6v6m0 3v.5"),
    (
        "danger",
        "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zM8 8l8 8m0-8-8 8",
    ),
    ("success", "M4 12l5 5L20 6"),
    ("question", "M9 9a3 3 0 1 1 4 2.8c-.7.4-1 1-1 1.7V15m0 3v.5"),
    (
        "tip",
        "M9 18h6m-5 3h4M12 3a6 6 0 0 0-3.5 10.9V16h7v-2.1A6 6 0 0 0 12 3z",
    ),
    (
        "quote",
        "M6 17h4V11H6zm8 0h4V11h-4zM6 11c0-3 1-5 4-6m4 6c0-3 1-5 4-6",
    ),
    ("list", "M5 6h14M5 12h14M5 18h9"),
    (
        "eli5",
        "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9 10v.5m6-.5v.5M8.5 15a4 4 0 0 0 7 0",
    ),
    (
        "info",
        "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 9v6m0-10v.5",
    ),
];

/// How a callout opens, and what closes it.
struct Opening {
    kind: String,
    written: String,
    /// `None`: an `<aside>`; `Some(open)`: a `<details>`, open or closed.
    fold: Option<bool>,
}

impl Opening {
    fn start_html(&self, id: &str) -> String {
        let (tag, title_tag) = match self.fold {
            None => ("aside", "p"),
            Some(_) => ("details", "summary"),
        };
        let open = if self.fold == Some(true) { " open" } else { "" };
        let mut written = String::new();
        let _ = escape_href(&mut written, &self.written);
        format!(
            "<{tag} class=\"callout callout-{kind}\" data-callout=\"{written}\" id=\"{id}\"{open}><{title_tag} class=\"callout-title\">{icon}<span>",
            kind = self.kind,
            icon = icon(&self.kind),
        )
    }

    fn title_end(&self) -> &'static str {
        match self.fold {
            None => "</span></p><div class=\"callout-body\">\n",
            Some(_) => "</span></summary><div class=\"callout-body\">\n",
        }
    }

    fn close(&self) -> &'static str {
        match self.fold {
            None => "</div></aside>\n",
            Some(_) => "</div></details>\n",
        }
    }
}

/// A side effect that takes place when a queued event is handed out.
enum Change {
    Open(usize),
    Close,
}

enum Quote {
    Plain,
    Callout(&'static str),
}

/// The callout adapter. Records each callout in `found` and keeps `roles` current.
pub(crate) struct Callouts<'b> {
    prefixes: &'b [String],
    ids: &'b RefCell<IdSet>,
    roles: &'b Roles,
    found: &'b mut Vec<Callout>,
    /// What each queued event does when it is handed on, in queue order.
    changes: VecDeque<Option<Change>>,
    quotes: Vec<Quote>,
    /// List depths at whose end a `Tip:`-with-a-list callout closes.
    list_ends: Vec<usize>,
    list_depth: usize,
    /// Inside bold text in the innermost open callout?
    in_strong: bool,
    /// Records of the callouts open right now (indices into `found`).
    open: Vec<usize>,
}

type Out<'a> = VecDeque<Spanned<'a>>;

impl<'b> Callouts<'b> {
    pub(crate) fn new(
        prefixes: &'b [String],
        ids: &'b RefCell<IdSet>,
        roles: &'b Roles,
        found: &'b mut Vec<Callout>,
    ) -> Self {
        Callouts {
            prefixes,
            ids,
            roles,
            found,
            changes: VecDeque::new(),
            quotes: Vec::new(),
            list_ends: Vec::new(),
            list_depth: 0,
            in_strong: false,
            open: Vec::new(),
        }
    }

    fn push<'a>(
        &mut self,
        out: &mut Out<'a>,
        ev: Event<'a>,
        range: &Range<usize>,
        change: Option<Change>,
    ) {
        out.push_back((ev, range.clone()));
        self.changes.push_back(change);
    }

    /// Claims an id and a record for a new callout; returns its opening HTML.
    fn begin(&mut self, opening: &Opening, title: &str, offset: usize) -> (String, usize) {
        let id = self.ids.borrow_mut().claim(&opening.kind);
        let html = opening.start_html(&id);
        self.found.push(Callout {
            kind: opening.kind.clone(),
            title: title.to_string(),
            role: Role::of(&opening.kind, title),
            id,
            text: String::new(),
            strong: Vec::new(),
            offset,
        });
        (html, self.found.len() - 1)
    }

    fn blockquote<'a, I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        start: Spanned<'a>,
        inner: Upstream<'_, I>,
        out: &mut Out<'a>,
    ) {
        let range = start.1.clone();
        let mut para = None;
        if matches!(inner.peek(), Some((Event::Start(Tag::Paragraph), _))) {
            para = inner.next();
        }
        let marker = match (&para, inner.peek()) {
            (Some(_), Some((Event::Text(t), _))) => parse_marker(t),
            _ => None,
        };
        let Some((opening, title_rest)) = marker else {
            self.quotes.push(Quote::Plain);
            self.push(out, start.0, &range, None);
            if let Some(p) = para {
                self.paragraph(p, inner, out);
            }
            return;
        };
        let first = inner.next().map(|(_, r)| r).unwrap_or(range.clone());
        // The title: the rest of the marker's line, inline markup included.
        let mut title_events: Vec<Spanned<'a>> = Vec::new();
        if !title_rest.trim().is_empty() {
            title_events.push((
                Event::Text(title_rest.trim().to_string().into()),
                first.clone(),
            ));
        }
        let mut para_ended = false;
        while let Some((ev, _)) = inner.peek() {
            match ev {
                Event::SoftBreak | Event::HardBreak => {
                    inner.next();
                    break;
                }
                Event::End(TagEnd::Paragraph) => {
                    inner.next();
                    para_ended = true;
                    break;
                }
                _ => title_events.extend(inner.next()),
            }
        }
        let mut title_text = String::new();
        for (ev, _) in &title_events {
            if let Event::Text(t) | Event::Code(t) = ev {
                title_text.push_str(t);
            }
        }
        if title_events.is_empty() {
            title_text = title_case(&opening.written);
            title_events.push((Event::Text(title_text.clone().into()), first.clone()));
        }
        let (html, rec) = self.begin(&opening, &title_text, range.start);
        self.push(out, Event::Html(html.into()), &range, None);
        for (ev, r) in title_events {
            self.push(out, ev, &r, None);
        }
        self.push(
            out,
            Event::Html(opening.title_end().into()),
            &range,
            Some(Change::Open(rec)),
        );
        if !para_ended {
            self.push(out, Event::Start(Tag::Paragraph), &first, None);
        }
        self.quotes.push(Quote::Callout(opening.close()));
    }

    /// A paragraph whose `Start` was just read: a prefix callout, or passed through.
    fn paragraph<'a, I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        start: Spanned<'a>,
        inner: Upstream<'_, I>,
        out: &mut Out<'a>,
    ) {
        let mut body: Vec<Spanned<'a>> = Vec::new();
        for ev in inner.by_ref() {
            let end = matches!(ev.0, Event::End(TagEnd::Paragraph));
            body.push(ev);
            if end {
                break;
            }
        }
        let Some((written, rest)) = strip_prefix(&mut body, self.prefixes) else {
            self.push(out, start.0, &start.1, None);
            for (ev, r) in body {
                self.push(out, ev, &r, None);
            }
            return;
        };
        let range = start.1.clone();
        let opening = Opening {
            kind: kind_of(&written),
            written: written.clone(),
            fold: None,
        };
        let (mut html, rec) = self.begin(&opening, &written, range.start);
        let mut title = String::new();
        let _ = escape_html(&mut title, &written);
        html.push_str(&title);
        html.push_str(opening.title_end());
        self.push(
            out,
            Event::Html(html.into()),
            &range,
            Some(Change::Open(rec)),
        );
        let ends_with_colon = body_text(&rest).trim_end().ends_with(':');
        if rest.iter().any(|(e, _)| !matches!(e, Event::End(_))) {
            self.push(out, Event::Start(Tag::Paragraph), &range, None);
            for (ev, r) in rest {
                self.push(out, ev, &r, None);
            }
        }
        if ends_with_colon && matches!(inner.peek(), Some((Event::Start(Tag::List(_)), _))) {
            self.list_ends.push(self.list_depth + 1);
        } else {
            self.push(
                out,
                Event::Html(opening.close().into()),
                &range,
                Some(Change::Close),
            );
        }
    }

    fn record(&mut self, ev: &Event) {
        let Some(&rec) = self.open.last() else {
            return;
        };
        let callout = &mut self.found[rec];
        let text = &mut callout.text;
        match ev {
            Event::Start(Tag::Strong) => {
                self.in_strong = true;
                callout.strong.push(String::new());
            }
            Event::End(TagEnd::Strong) => self.in_strong = false,
            Event::Text(t) | Event::Code(t) => {
                text.push_str(t);
                if let Some(run) = callout.strong.last_mut().filter(|_| self.in_strong) {
                    run.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::CodeBlock,
            ) if !text.ends_with('\n') && !text.is_empty() => text.push('\n'),
            _ => {}
        }
    }
}

impl<'a> Step<'a> for Callouts<'_> {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        (ev, range): Spanned<'a>,
        inner: Upstream<'_, I>,
        out: &mut Out<'a>,
    ) {
        match ev {
            Event::Start(Tag::BlockQuote(_)) => self.blockquote((ev, range), inner, out),
            Event::End(TagEnd::BlockQuote(_)) => match self.quotes.pop() {
                Some(Quote::Callout(close)) => {
                    self.push(out, Event::Html(close.into()), &range, Some(Change::Close))
                }
                _ => self.push(out, ev, &range, None),
            },
            Event::Start(Tag::Paragraph) => self.paragraph((ev, range), inner, out),
            Event::Start(Tag::List(_)) => {
                self.list_depth += 1;
                self.push(out, ev, &range, None);
            }
            Event::End(TagEnd::List(_)) => {
                self.push(out, ev, &range, None);
                if self.list_ends.last() == Some(&self.list_depth) {
                    self.list_ends.pop();
                    self.push(
                        out,
                        Event::Html("</div></aside>\n".into()),
                        &range,
                        Some(Change::Close),
                    );
                }
                self.list_depth -= 1;
            }
            ev => self.push(out, ev, &range, None),
        }
    }

    fn handed_out(&mut self, (ev, _): &Spanned<'a>) {
        match self.changes.pop_front().flatten() {
            Some(Change::Open(rec)) => {
                self.open.push(rec);
                let found = &self.found[rec];
                let guide = is_guide(&found.title, true);
                self.roles.borrow_mut().push((found.role, guide));
            }
            Some(Change::Close) => {
                if let Some(rec) = self.open.pop() {
                    let text = &mut self.found[rec].text;
                    *text = text.trim().to_string();
                }
                self.roles.borrow_mut().pop();
            }
            None => self.record(ev),
        }
    }
}

/// `[!type]`, `[!type]-` or `[!type]+` at the start of `text`, and the rest of the line.
fn parse_marker(text: &str) -> Option<(Opening, String)> {
    let rest = text.strip_prefix("[!")?;
    let close = rest.find(']')?;
    let written = &rest[..close];
    if written.is_empty()
        || !written
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let after = &rest[close + 1..];
    let (fold, title) = match after.chars().next() {
        Some('-') => (Some(false), &after[1..]),
        Some('+') => (Some(true), &after[1..]),
        _ => (None, after),
    };
    if !(title.is_empty() || title.starts_with(char::is_whitespace)) {
        return None;
    }
    Some((
        Opening {
            kind: kind_of(written),
            written: written.to_lowercase(),
            fold,
        },
        title.to_string(),
    ))
}

fn title_case(word: &str) -> String {
    let mut cs = word.chars();
    cs.next()
        .map(|f| f.to_uppercase().chain(cs).collect())
        .unwrap_or_default()
}

fn body_text(events: &[Spanned]) -> String {
    let mut out = String::new();
    for (ev, _) in events {
        if let Event::Text(t) | Event::Code(t) = ev {
            out.push_str(t);
        }
    }
    out
}

/// Does `rest` open with one of `prefixes` and a colon? Then the prefix as written.
fn match_prefix<'p>(text: &str, prefixes: &'p [String]) -> Option<(&'p str, usize)> {
    prefixes.iter().find_map(|p| {
        let head = text.get(..p.len())?;
        head.eq_ignore_ascii_case(p)
            .then_some((p.as_str(), p.len()))
    })
}

/// Removes a leading `Prefix:`, `**Prefix:**` or `**Prefix**:` from a paragraph's events.
/// Returns the prefix as written and the remaining events (without the leading space);
/// leaves `body` alone when it has no prefix.
fn strip_prefix<'a>(
    body: &mut Vec<Spanned<'a>>,
    prefixes: &[String],
) -> Option<(String, Vec<Spanned<'a>>)> {
    // (prefix as written, events the prefix takes, text left over in the last of them)
    let (written, taken, left) = match body.as_slice() {
        [(Event::Text(t), _), ..] => {
            let (_, len) = match_prefix(t, prefixes)?;
            let after = t[len..].strip_prefix(':')?;
            (t[..len].to_string(), 1, after.to_string())
        }
        [(Event::Start(Tag::Strong), _), (Event::Text(t), _), (Event::End(TagEnd::Strong), _), rest @ ..] =>
        {
            let (_, len) = match_prefix(t, prefixes)?;
            match (&t[len..], rest.first()) {
                (":", _) => (t[..len].to_string(), 3, String::new()),
                ("", Some((Event::Text(next), _))) => {
                    let after = next.strip_prefix(':')?;
                    (t[..len].to_string(), 4, after.to_string())
                }
                _ => return None,
            }
        }
        _ => return None,
    };
    let range = body[taken - 1].1.clone();
    let mut rest: Vec<Spanned<'a>> = body.drain(taken..).collect();
    let left = left.trim_start();
    if !left.is_empty() {
        rest.insert(0, (Event::Text(CowStr::from(left.to_string())), range));
    } else if let Some((Event::Text(next), r)) = rest.first().cloned() {
        // `**Prefix:** text`: the space opens the next text event.
        let trimmed = next.trim_start().to_string();
        if trimmed.is_empty() {
            rest.remove(0);
        } else {
            rest[0] = (Event::Text(CowStr::from(trimmed)), r);
        }
    }
    Some((written, rest))
}

#[cfg(test)]
mod tests {
    use super::super::adapter::Adapter;
    use super::*;
    use pulldown_cmark::{html, Options, Parser, TextMergeWithOffset};

    #[test]
    fn every_icon_a_callout_names_is_drawn_by_study_css() {
        let css = include_str!("../../static/study.css");
        for (name, path) in ICONS {
            let rule = format!(".ci-{name} {{ --icon: url(\"data:image/svg+xml,");
            let at = css
                .find(&rule)
                .unwrap_or_else(|| panic!("no rule for {name}"));
            let line = css[at..].lines().next().unwrap_or("");
            assert!(
                line.contains(&format!("d='{path}'")),
                "{name} is drawn otherwise: {line}"
            );
        }
        let rules = css.lines().filter(|l| l.starts_with(".ci-")).count();
        assert_eq!(
            rules,
            ICONS.len(),
            "study.css rules an icon no callout names, or one twice"
        );
        for kind in [
            "warning", "bug", "success", "question", "exam-tip", "quote", "todo", "eli5", "note",
        ] {
            let html = icon(kind);
            let name = html
                .split("ci-")
                .nth(1)
                .and_then(|t| t.split('"').next())
                .unwrap();
            assert!(ICONS.iter().any(|(n, _)| *n == name), "{kind}: {html}");
        }
    }

    fn render(md: &str) -> (String, Vec<Callout>) {
        let prefixes: Vec<String> = ["Exam tip", "ELI5", "Exam trap", "Note", "Warning"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let ids = RefCell::new(IdSet::default());
        let roles = Roles::default();
        let mut found = Vec::new();
        let mut out = String::new();
        {
            let events = TextMergeWithOffset::new(
                Parser::new_ext(md, Options::ENABLE_TABLES).into_offset_iter(),
            );
            let events = Adapter::new(events, Callouts::new(&prefixes, &ids, &roles, &mut found));
            html::push_html(&mut out, events.map(|(e, _)| e));
        }
        assert!(roles.borrow().is_empty(), "roles left open");
        (out, found)
    }

    fn strip_icon(html: &str) -> String {
        let mut out = html.to_string();
        while let Some(s) = out.find("<span class=\"callout-icon") {
            let e = out[s..].find("</span>").unwrap() + s + "</span>".len();
            out.replace_range(s..e, "");
        }
        out
    }

    #[test]
    fn a_heading_in_a_callout_is_a_line_of_its_own() {
        let (_, found) = render("> [!success]- Answer\n> ### Key Points\n> - one\n");
        assert_eq!(found[0].text, "Key Points\none");
    }

    #[test]
    fn records_bold_runs_but_not_the_prefix() {
        let (_, found) = render("**Exam tip:** A **blueprint** builds the `Glue` **job**.\n");
        assert_eq!(found[0].text, "A blueprint builds the Glue job.");
        assert_eq!(found[0].strong, ["blueprint", "job"]);
    }

    #[test]
    fn a_tip_that_lists_what_a_lab_covers_is_no_tip() {
        assert_eq!(Role::of("tip", "What you\u{2019}ll exercise"), Role::Other);
        assert_eq!(Role::of("tip", "Learning Objectives"), Role::Other);
        assert_eq!(Role::of("tip", "What the Exam Tests"), Role::Tip);
        assert_eq!(Role::of("note", "Exam tip"), Role::Tip);
    }

    #[test]
    fn plain_prefix() {
        let (html, found) = render("Exam tip: pick the cheap one.\n");
        assert_eq!(
            strip_icon(&html),
            "<aside class=\"callout callout-exam-tip\" data-callout=\"Exam%20tip\" id=\"exam-tip\"><p class=\"callout-title\"><span>Exam tip</span></p><div class=\"callout-body\">\n<p>pick the cheap one.</p>\n</div></aside>\n"
        );
        assert_eq!(found[0].role, Role::Tip);
        assert_eq!(found[0].text, "pick the cheap one.");
    }

    #[test]
    fn bold_prefix_both_ways() {
        let (a, _) = render("**Exam trap:** it is a trap.\n");
        let (b, _) = render("**Exam trap**: it is a trap.\n");
        assert_eq!(a, b);
        assert!(a.contains("callout-exam-trap"), "{a}");
        assert!(a.contains("<p>it is a trap.</p>"), "{a}");
    }

    #[test]
    fn eli5_kind_and_ids_repeat() {
        let (html, found) = render("ELI5: one.\n\nELI5: two.\n");
        assert!(
            html.contains("id=\"eli5\"") && html.contains("id=\"eli5-1\""),
            "{html}"
        );
        assert_eq!(found[0].role, Role::Other);
    }

    #[test]
    fn colon_takes_the_list() {
        let (html, found) =
            render("**Exam tip:** Common questions:\n\n- a -> B\n- c -> D\n\nAfter.\n");
        let html = strip_icon(&html);
        assert!(html.contains("<p>Common questions:</p>\n<ul>\n<li>a -&gt; B</li>\n<li>c -&gt; D</li>\n</ul>\n</div></aside>\n<p>After.</p>"), "{html}");
        assert_eq!(found[0].text, "Common questions:\na -> B\nc -> D");
    }

    #[test]
    fn colon_without_list_closes() {
        let (html, _) = render("Note: see below:\n\nText.\n");
        assert!(html.contains("</div></aside>\n<p>Text.</p>"), "{html}");
    }

    #[test]
    fn not_a_prefix() {
        let (html, found) = render("Notes are good: yes.\n\nNoteworthy: no.\n");
        assert_eq!(
            html,
            "<p>Notes are good: yes.</p>\n<p>Noteworthy: no.</p>\n"
        );
        assert!(found.is_empty());
    }

    #[test]
    fn blockquote_callout_with_title() {
        let (html, found) = render("> [!WARNING] Mind this\n> Body *here*.\n");
        let html = strip_icon(&html);
        assert_eq!(
            html,
            "<aside class=\"callout callout-warning\" data-callout=\"warning\" id=\"warning\"><p class=\"callout-title\"><span>Mind this</span></p><div class=\"callout-body\">\n<p>Body <em>here</em>.</p>\n</div></aside>\n"
        );
        assert_eq!(found[0].title, "Mind this");
    }

    #[test]
    fn blockquote_default_title_and_alias() {
        let (html, _) = render("> [!faq]\n> Why?\n");
        assert!(
            html.contains("callout-question") && html.contains("data-callout=\"faq\""),
            "{html}"
        );
        assert!(html.contains("<span>Faq</span>"), "{html}");
    }

    #[test]
    fn folded_closed_and_open() {
        let (closed, _) = render("> [!tip]- Hidden\n> Secret.\n");
        assert!(
            closed.starts_with(
                "<details class=\"callout callout-tip\" data-callout=\"tip\" id=\"tip\">"
            ),
            "{closed}"
        );
        assert!(
            closed.contains("<summary class=\"callout-title\">")
                && closed.ends_with("</div></details>\n"),
            "{closed}"
        );
        let (open, _) = render("> [!tip]+ Shown\n> Visible.\n");
        assert!(open.contains("id=\"tip\" open>"), "{open}");
    }

    #[test]
    fn nested_callouts() {
        let (html, found) = render("> [!note] Outer\n> text\n>\n> > [!danger] Inner\n> > deep\n");
        let html = strip_icon(&html);
        assert!(
            html.contains("<p>text</p>\n<aside class=\"callout callout-danger\""),
            "{html}"
        );
        assert!(html.ends_with("</div></aside>\n</div></aside>\n"), "{html}");
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn every_obsidian_alias() {
        for (alias, kind) in [
            ("summary", "abstract"),
            ("tldr", "abstract"),
            ("hint", "tip"),
            ("important", "tip"),
            ("check", "success"),
            ("done", "success"),
            ("help", "question"),
            ("caution", "warning"),
            ("attention", "warning"),
            ("fail", "failure"),
            ("missing", "failure"),
            ("error", "danger"),
            ("cite", "quote"),
            ("bug", "bug"),
            ("example", "example"),
            ("todo", "todo"),
            ("info", "info"),
        ] {
            assert_eq!(kind_of(alias), kind);
        }
    }

    #[test]
    fn plain_blockquote_untouched_but_prefix_inside_works() {
        let (html, _) = render("> just a quote\n");
        assert_eq!(html, "<blockquote>\n<p>just a quote</p>\n</blockquote>\n");
        let (html, _) = render("> Note: inside\n");
        assert!(
            html.starts_with("<blockquote>\n<aside class=\"callout callout-note\""),
            "{html}"
        );
    }

    #[test]
    fn marker_must_be_separate_word() {
        let (html, _) = render("> [!note]x\n");
        assert!(html.starts_with("<blockquote>"), "{html}");
    }
}
