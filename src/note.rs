//! One note: its front matter, its body made ready for the markdown parser, and where it came from.

use crate::diagnostic::Diagnostic;
pub(crate) use crate::markdown::dialects::jekyll::Liquid;
use crate::source_map::{LineIndex, OffsetMap, Rewriter, SourceMap};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Front matter keys studysite reads; any other key goes to `extra`.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct FrontMatter {
    #[serde(default, deserialize_with = "text")]
    pub(crate) title: Option<String>,
    pub(crate) weight: Option<i64>,
    #[serde(default, deserialize_with = "text")]
    pub(crate) description: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub(crate) tags: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub(crate) aliases: Vec<String>,
    #[serde(default)]
    pub(crate) draft: bool,
    /// The page's URL as Jekyll (and Hugo's `url`) give it: `/about/` or `/about.html`.
    #[serde(default, deserialize_with = "text", alias = "url")]
    pub(crate) permalink: Option<String>,
    #[serde(flatten)]
    pub(crate) extra: BTreeMap<String, serde_json::Value>,
}

/// A scalar read as text: editors write `title: 2024` or `tags: [2024, exam]` unquoted.
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Scalar {
    fn into_text(self) -> String {
        match self {
            Scalar::Text(s) => s,
            Scalar::Int(n) => n.to_string(),
            Scalar::Float(x) => x.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

fn text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Scalar>::deserialize(d)?.map(Scalar::into_text))
}

/// Obsidian writes `tags: exam` as well as `tags: [exam, aws]`, and leaves `aliases:` empty.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Scalar),
        Many(Vec<Option<Scalar>>),
        Nothing(()),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => s
            .into_text()
            .split(',')
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        OneOrMany::Many(v) => v.into_iter().flatten().map(Scalar::into_text).collect(),
        OneOrMany::Nothing(()) => Vec::new(),
    })
}

/// A parsed note. `body` is what the markdown parser reads; `map` leads its offsets back
/// to `original`, the file as the user wrote it.
#[derive(Debug, Clone)]
pub(crate) struct Note {
    /// Path relative to the notes folder, `/`-separated.
    pub(crate) rel: String,
    /// Path shown in diagnostics.
    pub(crate) display: PathBuf,
    pub(crate) original: String,
    pub(crate) lines: LineIndex,
    /// The markdown the pipeline reads (front matter out, dialects rewritten); shared with
    /// the page's prepared text when fencing drew nothing, so a site holds it once.
    pub(crate) body: std::sync::Arc<str>,
    pub(crate) map: SourceMap,
    pub(crate) front: FrontMatter,
    /// Syntax of another tool left as written (Liquid in a Jekyll site): kind, line, column.
    pub(crate) unread: Vec<(String, usize, usize)>,
}

impl Note {
    /// Parses a note's text. Errors (bad front matter) come back as diagnostics at their line.
    pub(crate) fn parse(
        rel: String,
        display: PathBuf,
        original: String,
        liquid: Option<&Liquid>,
    ) -> Result<Note, Diagnostic> {
        let lines = LineIndex::new(&original);
        let mut map = SourceMap::default();
        let (text, m) = normalize_newlines(&original);
        map.push(m);
        let (front, body_start, fm_error) = split_front_matter(&text);
        let front = match (front, fm_error) {
            (_, Some((offset, message))) => {
                let (line, col) = lines.line_col(&original, map.original(offset));
                return Err(Diagnostic::error(&display, line, col, message).with_help(
                    "fix the front matter between the `---` (YAML) or `+++` (TOML) lines",
                ));
            }
            (Some(front), None) => front,
            (None, None) => FrontMatter::default(),
        };
        let (body, m) = web_bullets(&text[body_start..], body_start);
        map.push(m);
        let mut unread_at = Vec::new();
        let (body, maps) = crate::markdown::dialects::rewrite(body, liquid, &mut unread_at);
        // Placed now: the offsets are in the text before the dialect passes.
        let unread = unread_at
            .into_iter()
            .map(|(kind, at)| {
                let (line, col) = lines.line_col(&original, map.original(at));
                (kind, line, col)
            })
            .collect();
        for m in maps {
            map.push(m);
        }
        Ok(Note {
            rel,
            display,
            original,
            lines,
            body: body.into(),
            map,
            front,
            unread,
        })
    }

    /// `file:line:col` position of a byte offset in `body`.
    pub(crate) fn line_col(&self, body_offset: usize) -> (usize, usize) {
        self.lines
            .line_col(&self.original, self.map.original(body_offset))
    }

    pub(crate) fn warning(&self, body_offset: usize, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.line_col(body_offset);
        Diagnostic::warning(&self.display, line, col, message)
    }

    /// The file's name without `.md`.
    pub(crate) fn stem(&self) -> &str {
        let name = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        name.strip_suffix(".md")
            .or_else(|| name.strip_suffix(".MD"))
            .unwrap_or(name)
    }
}

/// Drops a UTF-8 BOM and turns CRLF and lone CR into LF.
fn normalize_newlines(text: &str) -> (String, OffsetMap) {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut w = Rewriter::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut seg = start;
    let mut i = start;
    while i < bytes.len() {
        if bytes[i] == b'\r' {
            w.copy(&text[seg..i], seg);
            w.insert("\n", i);
            i += if bytes.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            seg = i;
        } else {
            i += 1;
        }
    }
    w.copy(&text[seg..], seg);
    w.finish()
}

/// Splits YAML (`---`) or TOML (`+++`) front matter off the top. Returns the parsed front
/// matter, where the body starts, and an error with its offset in `text`.
fn split_front_matter(text: &str) -> (Option<FrontMatter>, usize, Option<(usize, String)>) {
    let fence = if text.starts_with("---\n") || text == "---" {
        "---"
    } else if text.starts_with("+++\n") {
        "+++"
    } else {
        return (None, 0, None);
    };
    let start = fence.len() + 1;
    let mut offset = start.min(text.len());
    let mut end = None;
    for line in text[offset..].split_inclusive('\n') {
        let l = line.trim_end();
        if l == fence || (fence == "---" && l == "...") {
            end = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((fm_end, body_start)) = end else {
        return (
            None,
            0,
            Some((
                0,
                format!("front matter opened with `{fence}` is never closed"),
            )),
        );
    };
    let src = &text[start.min(fm_end)..fm_end];
    let parsed = if fence == "---" {
        parse_yaml(src)
    } else {
        parse_toml(src)
    };
    match parsed {
        Ok(fm) => (Some(fm), body_start, None),
        Err((rel, msg)) => (None, body_start, Some((start + rel.min(src.len()), msg))),
    }
}

fn parse_yaml(src: &str) -> Result<FrontMatter, (usize, String)> {
    if src.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    serde_saphyr::from_str::<FrontMatter>(src).map_err(|e| {
        let offset = e.location().map_or(0, |loc| {
            offset_of(src, loc.line() as usize, loc.column() as usize)
        });
        let text = e.to_string();
        let first = text.lines().next().unwrap_or("invalid YAML").trim();
        // The position is already in the diagnostic's file:line:col.
        let first = first.strip_prefix("error: ").unwrap_or(first);
        let first = match first.split_once(": ") {
            Some((at, rest)) if at.starts_with("line ") => rest,
            _ => first,
        };
        (offset, format!("bad YAML front matter: {first}"))
    })
}

fn parse_toml(src: &str) -> Result<FrontMatter, (usize, String)> {
    toml::from_str::<FrontMatter>(src).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        (
            offset,
            format!("bad TOML front matter: {}", e.message().trim()),
        )
    })
}

/// Byte offset of 1-based `line`, `col` (in chars) in `text`.
fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset
                + l.char_indices()
                    .nth(col.saturating_sub(1))
                    .map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    offset.min(text.len())
}

/// Turns lines that start with `•` (bullets pasted from web pages) into markdown list items.
/// Leaves fenced code alone. `base` is the offset of `text` in the text it was cut from.
fn web_bullets(text: &str, base: usize) -> (String, OffsetMap) {
    let mut w = Rewriter::with_capacity(text.len() + 16);
    let mut fence: Option<(char, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if let Some(f) = fence_marker(trimmed).filter(|_| indent < 4) {
            fence = match fence {
                None => Some(f),
                Some((c, n))
                    if f.0 == c && f.1 >= n && trimmed.trim_end().chars().all(|x| x == c) =>
                {
                    None
                }
                open => open,
            };
        }
        match trimmed.strip_prefix('•') {
            Some(rest) if fence.is_none() => {
                w.copy(&line[..indent], base + offset);
                let bullet_at = base + offset + indent;
                if rest.starts_with([' ', '\t']) {
                    w.insert("-", bullet_at);
                } else {
                    w.insert("- ", bullet_at);
                }
                w.copy(rest, bullet_at + '•'.len_utf8());
            }
            _ => w.copy(line, base + offset),
        }
        offset += line.len();
    }
    w.finish()
}

fn fence_marker(line: &str) -> Option<(char, usize)> {
    let c = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = line.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Note, Diagnostic> {
        Note::parse("a.md".into(), "notes/a.md".into(), text.into(), None)
    }

    #[test]
    fn yaml_front_matter() {
        let n = parse("---\ntitle: Hello\nweight: 3\ntags: [a, b]\nlevel: hard\n---\n# Body\n")
            .unwrap();
        assert_eq!(n.front.title.as_deref(), Some("Hello"));
        assert_eq!(n.front.weight, Some(3));
        assert_eq!(n.front.tags, vec!["a", "b"]);
        assert_eq!(n.front.extra["level"], "hard");
        assert_eq!(&*n.body, "# Body\n");
    }

    #[test]
    fn toml_front_matter_and_crlf() {
        let n = parse(
            "\u{feff}+++\r\ntitle = \"T\"\r\ndraft = true\r\n+++\r\nline one\r\nline two\r\n",
        )
        .unwrap();
        assert_eq!(n.front.title.as_deref(), Some("T"));
        assert!(n.front.draft);
        assert_eq!(&*n.body, "line one\nline two\n");
        let two = n.body.find("line two").unwrap();
        assert_eq!(n.line_col(two), (6, 1));
    }

    #[test]
    fn bad_yaml_points_at_its_line() {
        let err = parse("---\ntitle: ok\nweight: [1\n---\nbody\n").unwrap_err();
        assert_eq!(err.file, PathBuf::from("notes/a.md"));
        assert!(err.line >= 3, "{err}");
        assert!(err.message.contains("YAML"), "{err}");
    }

    #[test]
    fn unquoted_numbers_and_empty_lists_are_text() {
        let n = parse("---\ntitle: 2024\ntags: [2024, exam]\naliases:\ndate: 2024-01-05\n---\nb\n")
            .unwrap();
        assert_eq!(n.front.title.as_deref(), Some("2024"));
        assert_eq!(n.front.tags, vec!["2024", "exam"]);
        assert!(n.front.aliases.is_empty());
        let n = parse("---\ntags:\n  - exam\n  - 42\n---\nb\n").unwrap();
        assert_eq!(n.front.tags, vec!["exam", "42"]);
    }

    #[test]
    fn wrong_type_in_yaml_is_an_error() {
        let err = parse("---\ntitle: ok\nweight: heavy\n---\nbody\n").unwrap_err();
        assert_eq!(err.line, 3, "{err}");
    }

    #[test]
    fn web_bullets_become_list_items_and_keep_offsets() {
        let n = parse("Intro\n• first\n  •second\n```\n• code\n```\n").unwrap();
        assert_eq!(&*n.body, "Intro\n- first\n  - second\n```\n• code\n```\n");
        let second = n.body.find("second").unwrap();
        assert_eq!(n.line_col(second), (3, 4));
    }
}
