//! Multiple-choice questions as notes write them, made quizzes: a question, a run of
//! lettered options (`A)`, `A.`, `(A)`, `- A)`, `- **A.**`) and, after it, the answer
//! (a callout or `<details>` titled like an answer, or a line `**Answer: B**`,
//! `Correct Answer: B, D`, `Correct answer: AC`). Found once per note from the prepared
//! text ([`find`]); the [`Sections`] adapter wraps each in `<section class="quiz">` with the
//! options as buttons, and [`OptionBreaks`] keeps lettered option lines on lines of their
//! own wherever they are.

use super::adapter::{Step, Upstream};
use super::{Finding, Spanned};
use crate::diagnostic::Lint;
use pulldown_cmark::{html, Event, Parser, Tag, TagEnd};
use std::collections::VecDeque;
use std::ops::Range;

/// One option of a quiz.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) struct Choice {
    /// Upper case, whatever case the note writes it in.
    pub(crate) letter: char,
    /// From the start of the option's line (after quote markers and indent) to its end.
    pub(crate) range: Range<usize>,
    /// Where its text starts (after the bullet, label and bold markers).
    pub(crate) text_start: usize,
    /// Its markdown, label left out.
    pub(crate) text: String,
}

/// How the note writes the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) enum AnswerForm {
    /// A callout or `<details>`: folded already.
    Folded,
    /// A paragraph: the page folds it.
    Plain,
    /// No answer block: the options are a task list with the right ones ticked
    /// (`- [x] B) ...`); the page writes the answer after them.
    Ticked,
}

/// A question with lettered options and an answer naming letters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) struct Quiz {
    /// Where the question starts (its first block, or the options when nothing precedes).
    pub(crate) start: usize,
    /// Where the paragraph holding the question starts: before `start` when the question
    /// follows a callout's title line in one paragraph.
    pub(crate) para_start: usize,
    /// The question's markdown.
    pub(crate) stem: String,
    pub(crate) choices: Vec<Choice>,
    /// The answer block.
    pub(crate) answer: Range<usize>,
    pub(crate) form: AnswerForm,
    /// The letters the answer names (upper case), in the order written.
    pub(crate) correct: Vec<char>,
    /// Where the letters are written.
    pub(crate) letters_at: usize,
    /// The answer's markdown without the line that names the letters.
    pub(crate) explanation: String,
}

impl Quiz {
    pub(crate) fn options(&self) -> Range<usize> {
        let first = self.choices.first().map_or(0, |c| c.range.start);
        let last = self.choices.last().map_or(0, |c| c.range.end);
        first..last
    }

    /// Letters the answer names that are not among the options.
    pub(crate) fn unknown_letters(&self) -> Vec<char> {
        let known: Vec<char> = self.choices.iter().map(|c| c.letter).collect();
        self.correct
            .iter()
            .copied()
            .filter(|l| !known.contains(l))
            .collect()
    }

    pub(crate) fn map_offsets(&mut self, map: impl Fn(usize) -> usize) {
        self.start = map(self.start);
        self.para_start = map(self.para_start);
        self.letters_at = map(self.letters_at);
        self.answer = map(self.answer.start)..map(self.answer.end);
        for c in &mut self.choices {
            c.range = map(c.range.start)..map(c.range.end);
            c.text_start = map(c.text_start);
        }
    }
}

/// A line of the note: where it starts and ends (without its `\n`), and where its content
/// starts after block-quote markers and indent.
#[derive(Debug, Clone, Copy)]
struct Line<'t> {
    start: usize,
    end: usize,
    /// Offset of the content in the note.
    at: usize,
    quotes: usize,
    content: &'t str,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let mut rest = line;
        let mut quotes = 0;
        loop {
            let t = rest.trim_start_matches([' ', '\t']);
            match t.strip_prefix('>') {
                Some(r) => {
                    quotes += 1;
                    rest = r;
                }
                None => {
                    rest = t;
                    break;
                }
            }
        }
        out.push(Line {
            start,
            end: start + line.len(),
            at: start + (line.len() - rest.len()),
            quotes,
            content: rest,
        });
        start += raw.len();
    }
    out
}

/// An option label at the start of `content`: its letter, and how many bytes the bullet,
/// label and bold markers take (with the spaces after them).
pub(crate) fn label(content: &str) -> Option<(char, usize)> {
    let b = content.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'*' | b'+')) && b.get(1) == Some(&b' ') {
        i = 2;
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        // A task list item: `- [ ] A) ...`.
        for task in ["[ ] ", "[x] ", "[X] "] {
            if content[i..].starts_with(task) {
                i += task.len();
            }
        }
    }
    let bold = content[i..].starts_with("**") || content[i..].starts_with("__");
    if bold {
        i += 2;
    }
    let paren = b.get(i) == Some(&b'(');
    if paren {
        i += 1;
    }
    let letter = *b.get(i)? as char;
    if !matches!(letter, 'A'..='H' | 'a'..='h') {
        return None;
    }
    i += 1;
    match b.get(i) {
        Some(b')') => i += 1,
        Some(b'.') if !paren => i += 1,
        _ => return None,
    }
    if bold {
        if content[i..].starts_with("**") || content[i..].starts_with("__") {
            i += 2;
        } else {
            return None;
        }
    }
    match b.get(i) {
        None | Some(b'\n' | b'\r') => {}
        Some(b' ' | b'\t') => {
            while matches!(b.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
        }
        _ => return None,
    }
    Some((letter.to_ascii_uppercase(), i))
}

pub(crate) fn is_fence(content: &str) -> bool {
    content.starts_with("```") || content.starts_with("~~~")
}

/// Headings, rules and tables end a question's run.
fn is_break(content: &str) -> bool {
    let c = content.trim_end();
    let rule = c.len() >= 3
        && (c.chars().all(|ch| ch == '-' || ch == ' ')
            || c.chars().all(|ch| ch == '*' || ch == ' ')
            || c.chars().all(|ch| ch == '_' || ch == ' '))
        && c.chars().filter(|ch| !ch.is_whitespace()).count() >= 3;
    rule || (c.starts_with('#') && c.trim_start_matches('#').starts_with(' ')) || c.starts_with('|')
}

/// The words a note uses for "the answer is": `Answer`, `Correct answer(s)`, `Solution`.
fn answer_marker(line: &str) -> Option<usize> {
    let lower = line.to_ascii_lowercase();
    for word in ["answers", "answer", "solution", "ans", "correct"] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(word) {
            let at = from + i;
            let before_ok = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphabetic();
            let after = at + word.len();
            let after_ok = lower
                .as_bytes()
                .get(after)
                .is_none_or(|c| !c.is_ascii_alphabetic());
            if before_ok && after_ok {
                return Some(after);
            }
            from = after;
        }
    }
    None
}

/// The letters named at the start of `s` (after `:`, `is`, bold and brackets): `B`, `B, D`,
/// `B and D`, `AC`. Returns them and the offset of the first.
fn letters(s: &str) -> Option<(Vec<char>, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        let before = i;
        while matches!(
            b.get(i),
            Some(b' ' | b'\t' | b'*' | b'_' | b':' | b'(' | b'[' | b'-' | b'=')
        ) {
            i += 1;
        }
        let lower = s[i..].to_ascii_lowercase();
        for word in ["is ", "option ", "options ", "choice ", "choices "] {
            if lower.starts_with(word) {
                i += word.len();
            }
        }
        if i == before {
            break;
        }
    }
    let first = i;
    // A lone lower-case letter (`Answer: c`, for options written `a)`).
    if let Some(&c) = b.get(i) {
        let lone = b
            .get(i + 1)
            .is_none_or(|n| matches!(n, b')' | b'.' | b',' | b'*' | b'\r' | b'\n'));
        if (b'a'..=b'h').contains(&c) && lone {
            return Some((vec![(c as char).to_ascii_uppercase()], first));
        }
    }
    let mut out = Vec::new();
    loop {
        let run_start = i;
        while b.get(i).is_some_and(|c| c.is_ascii_uppercase()) {
            i += 1;
        }
        let run = &s[run_start..i];
        let ends = b.get(i).is_none_or(|c| !c.is_ascii_alphanumeric());
        if run.is_empty() || !ends || !run.chars().all(|c| ('A'..='H').contains(&c)) {
            // `Answer: AWS Lambda`, `Answer: Because ...`: no letters.
            if run.is_empty() && !out.is_empty() {
                break;
            }
            return (!out.is_empty()).then_some((out, first));
        }
        if run.len() > 1 && !out.is_empty() {
            return Some((out, first));
        }
        out.extend(run.chars());
        // Separators between letters.
        let mut j = i;
        while matches!(b.get(j), Some(b' ' | b',' | b'&' | b'/' | b'+' | b'*')) {
            j += 1;
        }
        for word in ["and ", "or "] {
            if s[j..].starts_with(word) {
                j += word.len();
            }
        }
        if j == i || !b.get(j).is_some_and(|c| c.is_ascii_uppercase()) {
            break;
        }
        // Only a lone letter follows a separator (`B, D`, not `B, AWS`).
        if b.get(j + 1).is_some_and(|c| c.is_ascii_alphanumeric()) {
            break;
        }
        i = j;
    }
    Some((out, first))
}

/// The letters a line of an answer names, and their offset in the line.
fn named(content: &str) -> Option<(Vec<char>, usize)> {
    let after = answer_marker(content)?;
    let (l, at) = letters(&content[after..])?;
    Some((l, after + at))
}

/// A callout's title, when the line opens one: `[!success]- Answer` gives `success`, `Answer`.
fn callout_open(content: &str) -> Option<(&str, &str)> {
    let rest = content.strip_prefix("[!")?;
    let close = rest.find(']')?;
    let kind = &rest[..close];
    let title = rest[close + 1..].trim_start_matches(['-', '+']).trim();
    Some((kind, title))
}

fn is_answer_title(title: &str) -> bool {
    let t = title.to_lowercase();
    t.split(|c: char| !c.is_alphanumeric())
        .any(|w| matches!(w, "answer" | "answers" | "solution" | "solutions"))
        || t.trim_start().starts_with("explanation")
}

/// The plain markdown of lines, `quotes` quote markers and `indent` removed from each.
fn markdown(text: &str, lines: &[Line], quotes: usize) -> String {
    let mut out = String::new();
    // Inside a fenced block a line keeps its indentation (less the fence's own): Python's
    // `return x + y` stays in its function.
    let mut fence: Option<usize> = None;
    for l in lines {
        let raw = unquoted(&text[l.start..l.end], quotes);
        let trimmed = raw.trim_start();
        let indent = raw.len() - trimmed.len();
        match fence {
            Some(f) if !is_fence(trimmed) => {
                let keep = raw
                    .char_indices()
                    .take_while(|&(i, c)| i < f && c == ' ')
                    .count();
                out.push_str(&raw[keep..]);
            }
            _ => out.push_str(trimmed),
        }
        if is_fence(trimmed) {
            fence = if fence.is_some() { None } else { Some(indent) };
        }
        out.push('\n');
    }
    out.trim().to_string()
}

/// `line` less `quotes` levels of `>` (and the space after each).
fn unquoted(line: &str, quotes: usize) -> &str {
    let mut rest = line;
    for _ in 0..quotes {
        let t = rest.trim_start();
        match t.strip_prefix('>') {
            Some(r) => rest = r.strip_prefix(' ').unwrap_or(r),
            None => break,
        }
    }
    rest
}

/// An answer block as found: its last line, its form, the letters and where they are.
struct Found {
    end: usize,
    form: AnswerForm,
    letters: Vec<char>,
    at: usize,
}

/// The answer block starting at line `i`.
fn answer_at(ls: &[Line], i: usize, options: &[(char, String)]) -> Option<Found> {
    let first = &ls[i];
    let c = first.content;
    if let Some((kind, title)) = callout_open(c) {
        let kind = kind.to_ascii_lowercase();
        let success = matches!(kind.as_str(), "success" | "check" | "done" | "answer");
        let titled = is_answer_title(title) || (success && title.is_empty());
        let mut end = i;
        while end + 1 < ls.len() && ls[end + 1].quotes >= first.quotes {
            end += 1;
        }
        // A callout titled otherwise ("Reveal", "Show") answers if a line of it says so.
        let (letters, at) = match titled {
            true => block_letters(ls, i, end, options)?,
            false => said(ls, i + 1, end)?,
        };
        return Some(Found {
            end,
            form: AnswerForm::Folded,
            letters,
            at,
        });
    }
    if c.starts_with("<details") {
        let mut end = i;
        while !ls[end].content.contains("</details>") {
            end += 1;
            if end >= ls.len() || end > i + 80 {
                return None;
            }
        }
        let summary = &c[c.find("<summary").map_or(c.len(), |s| s)..];
        let titled = summary.is_empty() || is_answer_title(&strip_tags(summary));
        let (letters, at) = match titled {
            true => block_letters(ls, i, end, options)?,
            false => said(ls, i, end)?,
        };
        return Some(Found {
            end,
            form: AnswerForm::Folded,
            letters,
            at,
        });
    }
    let plain = c
        .trim_start_matches(['*', '_', ' ', '(', '-', '✅', '✔', '☑'])
        .trim_start()
        .to_ascii_lowercase();
    let starts = [
        "answer",
        "correct answer",
        "correct option",
        "correct choice",
        "correct:",
        "the correct answer",
        "the answer",
        "right answer",
        "solution",
        "ans:",
        "ans.",
        "ans ",
    ];
    if !starts.iter().any(|s| plain.starts_with(s)) {
        return None;
    }
    let (letters, at) = named(c).or_else(|| by_text(c, options))?;
    let mut end = i;
    while end + 1 < ls.len() && !ls[end + 1].content.trim().is_empty() {
        end += 1;
    }
    if first.quotes > 0 {
        // In a callout that holds the question: the rest of it explains the answer.
        while end + 1 < ls.len() && ls[end + 1].quotes >= first.quotes {
            end += 1;
        }
    } else if let Some(next) = (end + 2 < ls.len()).then(|| &ls[end + 2]) {
        let explains = next.content.trim_start_matches(['*', '_']);
        if ls[end + 1].content.trim().is_empty()
            && (explains.starts_with("Explanation") || explains.starts_with("Why"))
        {
            end += 2;
            while end + 1 < ls.len() && !ls[end + 1].content.trim().is_empty() {
                end += 1;
            }
        }
    }
    Some(Found {
        end,
        form: AnswerForm::Plain,
        letters,
        at: first.at + at,
    })
}

/// The letters an answer block names: on the first line that says "answer" (its title
/// included), else at the start of its first line of text (`**B** — because ...`).
fn block_letters(
    ls: &[Line],
    from: usize,
    to: usize,
    options: &[(char, String)],
) -> Option<(Vec<char>, usize)> {
    for l in &ls[from..=to] {
        let content = strip_tags(l.content);
        if let Some((letters, _)) = named(&content).or_else(|| by_text(&content, options)) {
            let at = l.content.find(letters[0]).unwrap_or(0);
            return Some((letters, l.at + at));
        }
    }
    let body = ls[from + 1..=to].iter().find(|l| {
        !strip_tags(l.content).trim().is_empty() && !l.content.trim_start().starts_with("<summary")
    })?;
    let content = strip_tags(body.content);
    let (letters, _) = letters(&content)?;
    let s = content.trim_start_matches(['*', '_', ' ', '(']);
    let after = s[letters.len().min(s.len())..].chars().next();
    if letters.len() != 1 || after.is_some_and(|c| c.is_alphanumeric() || c == '\'') {
        return None;
    }
    Some((letters, body.at))
}

/// The letters the first line of `from..=to` that says "answer" names.
fn said(ls: &[Line], from: usize, to: usize) -> Option<(Vec<char>, usize)> {
    ls.get(from..=to)?.iter().find_map(|l| {
        let content = strip_tags(l.content);
        let (letters, _) = named(&content)?;
        let at = l.content.find(letters[0]).unwrap_or(0);
        Some((letters, l.at + at))
    })
}

/// An answer that names an option by its text (`Answer: S3` where an option reads `B) S3`).
fn by_text(line: &str, options: &[(char, String)]) -> Option<(Vec<char>, usize)> {
    let after = answer_marker(line)?;
    let norm = |t: &str| {
        t.trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | ':' | '.' | '`'))
            .to_lowercase()
    };
    let said = norm(&line[after..]);
    if said.is_empty() {
        return None;
    }
    let (letter, _) = options.iter().find(|(_, t)| norm(t) == said)?;
    let at =
        after + line[after..].len() - line[after..].trim_start_matches([' ', ':', '*', '_']).len();
    Some((vec![*letter], at))
}

/// Text with `<...>` tags taken out (a `<summary>` line, an answer in raw HTML).
pub(crate) fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0;
    for ch in s.chars() {
        match ch {
            '<' => depth += 1,
            '>' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(' ');
                }
            }
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

/// The lines of a run of options from line `i` (its `A` option): each option's first and
/// last line. `None` unless at least two options follow each other in letter order.
fn run(ls: &[Line], i: usize) -> Option<Vec<(usize, usize)>> {
    let (first, _) = label(ls[i].content)?;
    if first != 'A' {
        return None;
    }
    let lower = ls[i]
        .content
        .trim_start_matches(['-', '*', '+', ' ', '(', '_'])
        .starts_with('a');
    let quotes = ls[i].quotes;
    let mut out = vec![(i, i)];
    let mut j = i + 1;
    let mut blanks = 0;
    while j < ls.len() {
        let l = &ls[j];
        let c = l.content;
        if l.quotes != quotes {
            break;
        }
        if c.trim().is_empty() {
            blanks += 1;
            if blanks > 1 {
                break;
            }
            j += 1;
            continue;
        }
        if let Some((letter, _)) = label(c) {
            let expected = (b'A' + out.len() as u8) as char;
            let same_case = c
                .trim_start_matches(['-', '*', '+', ' ', '(', '_'])
                .starts_with(|ch: char| ch.is_ascii_lowercase())
                == lower;
            if letter != expected || !same_case {
                break;
            }
            out.push((j, j));
            blanks = 0;
            j += 1;
            continue;
        }
        let last = out.len() - 1;
        let (start, _) = out[last];
        let empty_option =
            label(ls[start].content).is_some_and(|(_, n)| ls[start].content[n..].trim().is_empty());
        if is_fence(c) && (blanks == 0 || empty_option) {
            // A code block that is (part of) the option.
            let mut k = j + 1;
            while k < ls.len() && !is_fence(ls[k].content) {
                k += 1;
            }
            if k >= ls.len() {
                break;
            }
            out[last].1 = k;
            blanks = 0;
            j = k + 1;
            continue;
        }
        let starts_other = is_break(c)
            || c.starts_with("[!")
            || c.starts_with('<')
            || answer_marker(c).is_some_and(|a| a < 24);
        if blanks > 0 || starts_other {
            break;
        }
        out[last].1 = j;
        j += 1;
    }
    (out.len() >= 2).then_some(out)
}

/// The answer after a run of options ending before line `from`: past blank lines and at
/// most two lines of something else ("Select TWO.", a stray repeated option).
fn answer_after(ls: &[Line], from: usize, options: &[(char, String)]) -> Option<(usize, Found)> {
    let mut other = 0;
    let mut a = from;
    while a < ls.len() && a < from + 8 {
        let c = ls[a].content;
        if c.trim().is_empty() {
            a += 1;
            continue;
        }
        if let Some(found) = answer_at(ls, a, options) {
            return Some((a, found));
        }
        other += 1;
        if other > 2 || is_break(c) || c.starts_with("[!") || c.starts_with("<details") {
            return None;
        }
        a += 1;
    }
    None
}

/// Options written as a task list with the right ones ticked and no answer after them.
fn ticked(ls: &[Line], options: &[(usize, usize)]) -> Option<(usize, Found)> {
    let tick = |l: &Line| {
        let c = l.content.trim_start_matches(['-', '*', '+', ' ']);
        (
            c.starts_with("[x] ") || c.starts_with("[X] "),
            c.starts_with("[ ] "),
        )
    };
    let marks: Vec<(bool, bool)> = options.iter().map(|&(from, _)| tick(&ls[from])).collect();
    if !marks.iter().all(|&(on, off)| on || off) || !marks.iter().any(|&(on, _)| on) {
        return None;
    }
    let mut letters = Vec::new();
    let mut at = 0;
    for (&(from, _), &(on, _)) in options.iter().zip(&marks) {
        if on {
            letters.push(label(ls[from].content)?.0);
            if at == 0 {
                at = ls[from].at;
            }
        }
    }
    let end = options.last()?.1;
    Some((
        end,
        Found {
            end,
            form: AnswerForm::Ticked,
            letters,
            at,
        },
    ))
}

/// A list marker (`1.`, `2)`, `-`) at the start of a question's first line, and the spaces
/// after it: the question starts after it, inside the list item.
fn list_marker(content: &str) -> usize {
    let digits = content.bytes().take_while(u8::is_ascii_digit).count();
    let b = content.as_bytes();
    let marker = if digits > 0 && matches!(b.get(digits), Some(b'.' | b')')) {
        digits + 1
    } else if matches!(b.first(), Some(b'-' | b'*' | b'+')) {
        1
    } else {
        return 0;
    };
    match b.get(marker) {
        Some(b' ' | b'\t') => {
            marker + 1 + content[marker + 1..].len() - content[marker + 1..].trim_start().len()
        }
        _ => 0,
    }
}

/// The question above the options at line `first`: its first line, not before `floor`.
fn stem_start(ls: &[Line], first: usize, floor: usize) -> Option<usize> {
    let quotes = ls[first].quotes;
    let mut j = first;
    // Blank lines between the question and the options.
    while j > floor && ls[j - 1].content.trim().is_empty() && ls[j - 1].quotes == quotes {
        j -= 1;
    }
    let mut top = None;
    while j > floor {
        let l = &ls[j - 1];
        if l.content.trim().is_empty()
            || l.quotes != quotes
            || is_break(l.content)
            || is_fence(l.content)
            || l.content.starts_with("[!")
            || l.content.contains("</details>")
        {
            break;
        }
        j -= 1;
        top = Some(j);
        if list_marker(l.content) > 0 && l.content.as_bytes()[0].is_ascii_digit() {
            break;
        }
    }
    top
}

/// The most blocks above a stem that can set up its question.
const MAX_CONTEXT_BLOCKS: usize = 3;

/// The first line of what sets up the question whose stem starts at line `s`: the blocks
/// right above it ("**Scenario**: ...", the code block of figures it asks about) when a
/// heading or a rule opens them, so they belong to this question alone; else `s`.
fn context_start(ls: &[Line], s: usize, floor: usize) -> usize {
    let quotes = ls[s].quotes;
    let same = |k: usize| ls[k].quotes == quotes;
    let (mut j, mut top, mut blocks) = (s, s, 0);
    loop {
        while j > floor && ls[j - 1].content.trim().is_empty() && same(j - 1) {
            j -= 1;
        }
        if j <= floor {
            return s;
        }
        let l = &ls[j - 1];
        if !same(j - 1) || l.content.starts_with("[!") || l.content.contains("</details>") {
            return s;
        }
        if is_break(l.content) {
            return if l.content.starts_with('|') { s } else { top };
        }
        if blocks == MAX_CONTEXT_BLOCKS {
            return s;
        }
        if is_fence(l.content) {
            let mut k = j - 1;
            loop {
                if k <= floor {
                    return s;
                }
                k -= 1;
                if is_fence(ls[k].content) && same(k) {
                    break;
                }
            }
            j = k;
        } else {
            while j > floor
                && !ls[j - 1].content.trim().is_empty()
                && same(j - 1)
                && !is_break(ls[j - 1].content)
                && !is_fence(ls[j - 1].content)
            {
                j -= 1;
            }
        }
        blocks += 1;
        top = j;
    }
}

/// The text of a heading right above line `i` (blank lines between), when it asks a
/// question.
fn heading_above(ls: &[Line], i: usize, floor: usize) -> Option<String> {
    let mut j = i;
    while j > floor && ls[j - 1].content.trim().is_empty() {
        j -= 1;
    }
    let h = ls.get(j.checked_sub(1)?)?.content.trim();
    let text = h.strip_prefix('#')?.trim_start_matches('#');
    (text.starts_with(' ') && text.contains('?')).then(|| text.trim().to_string())
}

/// Every quiz of a prepared note, in order.
pub(crate) fn find(text: &str) -> Vec<Quiz> {
    let maybe = text.contains("A)") || text.contains("A.") || text.contains("a)");
    if !maybe {
        return Vec::new();
    }
    let ls = lines(text);
    let mut out = Vec::new();
    let mut floor = 0;
    let mut fence = false;
    let mut i = 0;
    while i < ls.len() {
        let c = ls[i].content;
        if is_fence(c) {
            fence = !fence;
        }
        if fence {
            i += 1;
            continue;
        }
        let Some(options) = run(&ls, i) else {
            i += 1;
            continue;
        };
        let last = options.last().map_or(i, |o| o.1);
        let texts: Vec<(char, String)> = options
            .iter()
            .filter_map(|&(from, _)| {
                let (letter, n) = label(ls[from].content)?;
                Some((letter, ls[from].content[n..].to_string()))
            })
            .collect();
        let Some((a, found)) =
            answer_after(&ls, last + 1, &texts).or_else(|| ticked(&ls, &options))
        else {
            i = last + 1;
            continue;
        };
        let Found {
            end,
            form,
            letters: correct,
            at: letters_at,
        } = found;
        // A question whose code block sits right above its options has no stem line of its
        // own: the blocks its heading opens are the question.
        let stem_line = stem_start(&ls, i, floor)
            .map(|s| context_start(&ls, s, floor))
            .or_else(|| Some(context_start(&ls, i, floor)).filter(|&c| c < i));
        let mut start = match stem_line {
            Some(s) => ls[s].at + list_marker(ls[s].content),
            None => ls[i].at,
        };
        let para_start = match stem_line {
            Some(s)
                if s > 0
                    && ls[s - 1].content.starts_with("[!")
                    && ls[s - 1].quotes == ls[s].quotes =>
            {
                ls[s - 1].at
            }
            _ => start,
        };
        // A question in a callout of its own, its answer after it: the quiz holds both.
        let quotes = ls[i].quotes;
        if quotes > 0 && (i..a).any(|k| ls[k].quotes < quotes) {
            let mut top = stem_line.unwrap_or(i);
            while top > floor && ls[top - 1].quotes >= quotes {
                top -= 1;
            }
            let prefix = &text[ls[top].start..ls[top].at];
            start = ls[top].start + prefix.find('>').unwrap_or(0);
        }
        let stem = match stem_line {
            Some(s) => {
                let mut md = markdown(text, &ls[s..i], quotes);
                let skip = list_marker(&md);
                md.drain(..skip);
                md.trim().to_string()
            }
            // A question written as the heading above its options.
            None => heading_above(&ls, i, floor).unwrap_or_default(),
        };
        let choices = options
            .iter()
            .map(|&(from, to)| {
                let l = &ls[from];
                let (letter, n) = label(l.content).unwrap_or(('A', 0));
                let mut text_md = l.content[n..].trim().to_string();
                if to > from {
                    text_md.push('\n');
                    text_md.push_str(&markdown(text, &ls[from + 1..=to], quotes));
                }
                Choice {
                    letter,
                    range: l.at..ls[to].end,
                    text_start: l.at + n,
                    text: text_md.trim().to_string(),
                }
            })
            .collect();
        let explanation = match form {
            AnswerForm::Ticked => String::new(),
            _ => explanation(text, &ls[a..=end], ls[a].quotes, form),
        };
        // A callout's blockquote starts at its own `>`, where the callout adapter's HTML is.
        // An answer quoted deeper than the question, or a callout, starts at its own `>`,
        // where its blockquote (or the callout adapter's HTML) starts.
        let prefix = &text[ls[a].start..ls[a].at];
        let marks: Vec<usize> = prefix
            .match_indices('>')
            .map(|(i, _)| ls[a].start + i)
            .collect();
        let answer_start = if form == AnswerForm::Ticked {
            ls[end].end
        } else if ls[a].quotes > quotes {
            marks.get(quotes).copied().unwrap_or(ls[a].at)
        } else if ls[a].content.starts_with("[!") {
            marks.last().copied().unwrap_or(ls[a].at)
        } else {
            ls[a].at
        };
        out.push(Quiz {
            start,
            para_start: para_start.min(start),
            stem,
            choices,
            answer: answer_start..ls[end].end,
            form,
            correct,
            letters_at,
            explanation,
        });
        floor = end + 1;
        i = end + 1;
    }
    out
}

/// The answer's markdown for the quiz page: the callout's body, the `<details>`' body, or
/// the paragraph, without the line that names the letters.
fn explanation(text: &str, ls: &[Line], quotes: usize, form: AnswerForm) -> String {
    let body: &[Line] = match form {
        AnswerForm::Folded if ls.len() > 1 => &ls[1..],
        _ => ls,
    };
    let quotes = if ls[0].content.starts_with("[!") {
        quotes
    } else {
        quotes.min(ls[0].quotes)
    };
    let kept: Vec<Line> = body
        .iter()
        .filter(|l| named(&strip_tags(l.content)).is_none())
        .filter(|l| !l.content.contains("</details>"))
        .copied()
        .collect();
    let md = markdown(text, &kept, quotes);
    md.strip_prefix("Explanation:")
        .map_or(md.clone(), |s| s.trim().to_string())
}

/// The warnings of a note's quizzes: an answer naming a letter no option has.
pub(crate) fn findings(quizzes: &[Quiz]) -> Vec<Finding> {
    quizzes
        .iter()
        .filter_map(|q| {
            let unknown = q.unknown_letters();
            if unknown.is_empty() {
                return None;
            }
            let options: String = q.choices.iter().map(|c| c.letter).collect();
            let named: Vec<String> = unknown.iter().map(char::to_string).collect();
            Some(Finding {
                offset: q.letters_at,
                message: format!(
                    "the answer names {} but the options are {}",
                    named.join(", "),
                    options
                        .chars()
                        .map(String::from)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                help: Some("correct the answer's letter, or the options' labels".into()),
                lint: Some(Lint::QuizAnswer),
                group: None,
                also: Vec::new(),
            })
        })
        .collect()
}

/// A fragment of a note's markdown as HTML for the study pages, which show it away from its
/// note: links become their text, images and raw HTML are left out, and math is MathML
/// where math-core reads it, as on the note.
pub(crate) fn fragment_html(md: &str) -> String {
    let events = Parser::new_ext(md, super::options(true))
        .filter(|ev| {
            !matches!(
                ev,
                Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::HtmlBlock)
                    | Event::End(TagEnd::Link | TagEnd::Image | TagEnd::HtmlBlock)
                    | Event::Html(_)
                    | Event::InlineHtml(_)
            )
        })
        .map(|ev| super::math::event_mathml(&ev).map_or(ev, |m| Event::InlineHtml(m.into())));
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// Where the adapter is in the current quiz.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Stem,
    /// In option `n`.
    Option(usize),
    BeforeAnswer,
    Answer,
}

/// Wraps each quiz in `<section class="quiz">`: its options become buttons in a list, and
/// its answer is folded (a plain answer paragraph goes into a `<details>` of its own).
pub(crate) struct Sections<'q> {
    quizzes: &'q [Quiz],
    next: usize,
    depth: usize,
    /// The open quiz, the depth it opened at, and where in it the events are.
    open: Option<(usize, Phase)>,
    open_depth: usize,
    /// A paragraph holding both the question and its options was closed before the options;
    /// its end is dropped.
    drop_paragraph_end: bool,
    /// A paragraph of the question is open (its end not seen yet).
    stem_paragraph: bool,
    /// The source start of the text whose option label was cut: an adapter before this one
    /// may have split that text (a glossary link), and its pieces keep its range.
    label_cut: Option<usize>,
    /// Lists of options still open: their items after the options (an answer written as
    /// the list's last item) lose their bullets, and the list's end is dropped.
    open_lists: usize,
}

impl<'q> Sections<'q> {
    pub(crate) fn new(quizzes: &'q [Quiz]) -> Self {
        Sections {
            quizzes,
            next: 0,
            depth: 0,
            open: None,
            open_depth: 0,
            drop_paragraph_end: false,
            stem_paragraph: false,
            label_cut: None,
            open_lists: 0,
        }
    }

    fn html<'a>(out: &mut VecDeque<Spanned<'a>>, html: String, range: &Range<usize>) {
        out.push_back((Event::Html(html.into()), range.clone()));
    }

    fn open_html(q: &Quiz) -> String {
        let letters: Vec<String> = q.correct.iter().map(char::to_string).collect();
        let multi = if q.correct.len() > 1 {
            " data-multi=\"true\""
        } else {
            ""
        };
        format!(
            "<section class=\"quiz\" data-answer=\"{}\"{multi} aria-label=\"Practice question\">\n",
            letters.join(",")
        )
    }

    /// Closes what is open of quiz `q` from `phase` on.
    fn close<'a>(&mut self, phase: Phase, out: &mut VecDeque<Spanned<'a>>, range: &Range<usize>) {
        let q = &self.quizzes[self.next];
        let mut html = String::new();
        match phase {
            Phase::Option(_) => html.push_str("</button></li></ol>\n"),
            _ if q.form == AnswerForm::Ticked => {}
            Phase::Answer if q.form == AnswerForm::Plain => html.push_str("</details>\n"),
            Phase::Answer => html.push_str("</div>\n"),
            _ => {}
        }
        if q.form == AnswerForm::Ticked {
            let letters: Vec<String> = q.correct.iter().map(char::to_string).collect();
            html.push_str(&format!(
                "<details class=\"quiz-answer\"><summary>Answer</summary><p>Answer: {}</p></details>\n",
                letters.join(", ")
            ));
        }
        html.push_str("<p class=\"quiz-feedback\" aria-live=\"polite\"></p></section>\n");
        Self::html(out, html, range);
        self.open = None;
        self.next += 1;
    }

    /// Moves to `phase`, writing what closes the last one and opens the new one.
    fn enter<'a>(&mut self, phase: Phase, out: &mut VecDeque<Spanned<'a>>, range: &Range<usize>) {
        let Some((_, old)) = self.open else { return };
        if old == phase {
            return;
        }
        let q = &self.quizzes[self.next];
        let mut html = String::new();
        if let Phase::Option(_) = old {
            html.push_str("</button></li>");
        }
        match phase {
            Phase::Option(n) => {
                if !matches!(old, Phase::Option(_)) {
                    if self.drop_paragraph_end {
                        html.push_str("</p>\n");
                    }
                    let role = if q.correct.len() > 1 {
                        "Choose every right option"
                    } else {
                        "Choose one option"
                    };
                    html.push_str(&format!(
                        "<ol class=\"quiz-options\" aria-label=\"{role}\">"
                    ));
                }
                let l = q.choices[n].letter;
                html.push_str(&format!(
                    "<li><button class=\"quiz-option\" data-letter=\"{l}\"><span class=\"quiz-letter\">{l}</span> "
                ));
            }
            Phase::BeforeAnswer | Phase::Answer if matches!(old, Phase::Option(_)) => {
                html.push_str("</ol>\n");
            }
            _ => {}
        }
        if phase == Phase::Answer {
            html.push_str(match q.form {
                AnswerForm::Plain => "<details class=\"quiz-answer\"><summary>Answer</summary>\n",
                AnswerForm::Folded => "<div class=\"quiz-answer\">\n",
                AnswerForm::Ticked => "",
            });
        }
        self.open = Some((self.next, phase));
        Self::html(out, html, range);
    }

    /// The phase an event at `at` belongs to.
    fn phase_of(q: &Quiz, at: usize) -> Phase {
        if at >= q.answer.start && q.form != AnswerForm::Ticked {
            return Phase::Answer;
        }
        let options = q.options();
        if at < options.start {
            return Phase::Stem;
        }
        match q.choices.iter().rposition(|c| c.range.start <= at) {
            Some(n) if at < options.end => Phase::Option(n),
            _ => Phase::BeforeAnswer,
        }
    }
}

impl<'a> Step<'a> for Sections<'_> {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        (ev, range): Spanned<'a>,
        upstream: Upstream<'_, I>,
        out: &mut VecDeque<Spanned<'a>>,
    ) {
        let depth_before = self.depth;
        match Shape::of(&ev) {
            Shape::Open => self.depth += 1,
            Shape::Close => self.depth = self.depth.saturating_sub(1),
            Shape::Other => {}
        }
        // A line break before the first option (the question and the options in one
        // paragraph) goes with the paragraph the options leave.
        if let (Event::SoftBreak | Event::HardBreak, Some((_, Phase::Stem))) = (&ev, self.open) {
            let options = self.quizzes[self.next].options();
            if upstream
                .peek()
                .is_some_and(|(_, r)| options.contains(&r.start))
            {
                return;
            }
        }
        // An event that ends a quiz may open the next: at most twice round.
        let mut ev = Some(ev);
        while let Some(e) = ev.take() {
            ev = self.handle(e, range.clone(), depth_before, out);
        }
    }

    fn finish(&mut self, out: &mut VecDeque<Spanned<'a>>) {
        if let Some((_, phase)) = self.open {
            self.close(phase, out, &(0..0));
        }
    }
}

impl Sections<'_> {
    /// Handles one event; gives it back when it closed a quiz and must be handled again.
    fn handle<'a>(
        &mut self,
        ev: Event<'a>,
        range: Range<usize>,
        depth_before: usize,
        out: &mut VecDeque<Spanned<'a>>,
    ) -> Option<Event<'a>> {
        // Quizzes the events have passed by (inside something the page leaves out).
        while self.open.is_none()
            && self
                .quizzes
                .get(self.next)
                .is_some_and(|q| range.start >= q.answer.end)
        {
            self.next += 1;
        }
        if self.open.is_none() {
            match self.quizzes.get(self.next) {
                Some(q)
                    if (range.start >= q.start
                        || (matches!(ev, Event::Start(Tag::Paragraph))
                            && range.start >= q.para_start))
                        && !matches!(ev, Event::End(_)) =>
                {
                    self.open = Some((self.next, Phase::Stem));
                    self.open_depth = depth_before;
                    self.drop_paragraph_end = false;
                    self.stem_paragraph = false;
                    self.open_lists = 0;
                    Self::html(out, Self::open_html(q), &range);
                }
                _ => {
                    out.push_back((ev, range));
                    return None;
                }
            }
        }
        let (_, phase) = self.open?;
        // Leaving the block the quiz opened in, or past its answer: the quiz ends.
        let leaving = Shape::of(&ev) == Shape::Close && self.depth < self.open_depth;
        let q = &self.quizzes[self.next];
        let done = phase == Phase::Answer || (q.form == AnswerForm::Ticked && phase != Phase::Stem);
        let past = range.start >= q.answer.end && depth_before == self.open_depth && done;
        if leaving || past {
            self.close(phase, out, &range);
            return Some(ev);
        }
        let q = &self.quizzes[self.next];
        let options = q.options();
        let at_phase = match ev {
            // An end carries its element's start: it belongs where the events are.
            Event::End(_) => phase,
            // The list the options are items of (`    - A. ...` under a numbered question)
            // starts at its bullet, before the first label: it is the options' list.
            Event::Start(Tag::List(_) | Tag::Item)
                if phase == Phase::Stem
                    && range.start < options.start
                    && range.end > options.start
                    && range.start >= q.start =>
            {
                Phase::Option(0)
            }
            _ => Self::phase_of(q, range.start).max_of(phase),
        };
        if at_phase != phase {
            // The options leave the question's paragraph (written in one with it): it is
            // closed before them and its end dropped. Options in a paragraph of their own
            // leave nothing open.
            if let (Phase::Stem, Phase::Option(_)) = (phase, at_phase) {
                self.drop_paragraph_end = self.stem_paragraph
                    || (depth_before > self.open_depth && !matches!(ev, Event::Start(_)));
            }
            self.enter(at_phase, out, &range);
        } else if phase == Phase::Stem {
            match &ev {
                Event::Start(Tag::Paragraph) => self.stem_paragraph = true,
                Event::Html(h) if anchored_start(h, "p") => self.stem_paragraph = true,
                Event::End(TagEnd::Paragraph) => self.stem_paragraph = false,
                _ => {}
            }
        }
        let (_, phase) = self.open?;
        let drop_end = self.drop_paragraph_end && matches!(ev, Event::End(TagEnd::Paragraph));
        if drop_end {
            self.drop_paragraph_end = false;
            return None;
        }
        let Phase::Option(n) = phase else {
            match ev {
                Event::Start(Tag::Item) | Event::End(TagEnd::Item) if self.open_lists > 0 => {}
                Event::Html(h) if self.open_lists > 0 && anchored_start(&h, "li") => {}
                Event::End(TagEnd::List(_)) if self.open_lists > 0 => self.open_lists -= 1,
                ev => out.push_back((ev, range)),
            }
            return None;
        };
        match ev {
            Event::Start(Tag::List(_)) => self.open_lists += 1,
            Event::End(TagEnd::List(_)) => self.open_lists = self.open_lists.saturating_sub(1),
            _ => {}
        }
        let c = &self.quizzes[self.next].choices[n];
        match ev {
            Event::Start(Tag::Paragraph | Tag::List(_) | Tag::Item | Tag::Link { .. })
            | Event::End(TagEnd::Paragraph | TagEnd::List(_) | TagEnd::Item | TagEnd::Link)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::TaskListMarker(_) => {}
            // The bold of a label (`**A.**`).
            Event::Start(Tag::Strong | Tag::Emphasis) | Event::End(_)
                if range.end <= c.text_start => {}
            Event::Text(t) if range.start < c.text_start && self.label_cut != Some(range.start) => {
                self.label_cut = Some(range.start);
                let cut = (c.text_start - range.start).min(t.len());
                let rest = t.get(cut..).unwrap_or("").to_string();
                if !rest.is_empty() {
                    out.push_back((Event::Text(rest.into()), range));
                }
            }
            Event::InlineHtml(h) if h.starts_with("<a ") && h.ends_with("</a>") => {
                // A glossary or tag link: no link inside a button.
                let inner = h.find('>').map_or("", |i| &h[i + 1..h.len() - 4]);
                out.push_back((Event::InlineHtml(inner.to_string().into()), range));
            }
            ev => out.push_back((ev, range)),
        }
        None
    }
}

/// Whether an event opens or closes a block: a tag, or a callout (the callout adapter has
/// made its blockquote HTML by now).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Open,
    Close,
    Other,
}

impl Shape {
    fn of(ev: &Event) -> Shape {
        match ev {
            Event::Start(_) => Shape::Open,
            Event::End(_) => Shape::Close,
            Event::Html(h)
                if h.starts_with("<aside class=\"callout")
                    || h.starts_with("<details class=\"callout")
                    || anchored_start(h, "li")
                    || anchored_start(h, "p") =>
            {
                Shape::Open
            }
            Event::Html(h)
                if h.starts_with("</div></aside>") || h.starts_with("</div></details>") =>
            {
                Shape::Close
            }
            _ => Shape::Other,
        }
    }
}

/// A list item's or paragraph's start tag with an id, which the scenario adapter writes in
/// place of the `Start` event: `<li id="sc-...">`.
fn anchored_start(h: &str, tag: &str) -> bool {
    h.strip_prefix('<')
        .and_then(|r| r.strip_prefix(tag))
        .is_some_and(|r| r.starts_with(" id=\"") && r.ends_with("\">") && !r.contains('<'))
}

impl Phase {
    /// Phases only move forward.
    fn max_of(self, other: Phase) -> Phase {
        let rank = |p: Phase| match p {
            Phase::Stem => (0, 0),
            Phase::Option(n) => (1, n),
            Phase::BeforeAnswer => (2, 0),
            Phase::Answer => (3, 0),
        };
        if rank(self) >= rank(other) {
            self
        } else {
            other
        }
    }
}

/// A line break before a lettered option stays a line break, so options stand one a line
/// even where soft breaks are spaces.
pub(crate) struct OptionBreaks<'t> {
    pub(crate) text: &'t str,
}

impl<'a> Step<'a> for OptionBreaks<'_> {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        (ev, range): Spanned<'a>,
        upstream: Upstream<'_, I>,
        out: &mut VecDeque<Spanned<'a>>,
    ) {
        let ev = match ev {
            Event::SoftBreak => match upstream.peek() {
                Some((Event::Text(_) | Event::Start(Tag::Strong), r))
                    if self.text.get(r.start..).and_then(label).is_some() =>
                {
                    Event::HardBreak
                }
                _ => Event::SoftBreak,
            },
            ev => ev,
        };
        out.push_back((ev, range));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(md: &str) -> Quiz {
        let qs = find(md);
        assert_eq!(qs.len(), 1, "{qs:#?}");
        qs.into_iter().next().unwrap()
    }

    #[test]
    fn labels() {
        for (l, letter) in [
            ("A) x", 'A'),
            ("B. x", 'B'),
            ("(c) x", 'C'),
            ("- A) x", 'A'),
            ("- **D.** x", 'D'),
            ("* (B) x", 'B'),
            ("C)", 'C'),
        ] {
            assert_eq!(label(l).map(|x| x.0), Some(letter), "{l}");
        }
        for l in ["A.B", "Apple) x", "I) x", "**A. x", "A: x", "(A. x"] {
            assert_eq!(label(l), None, "{l}");
        }
    }

    #[test]
    fn letters_as_written() {
        assert_eq!(named("**Correct Answer: B**").unwrap().0, ['B']);
        assert_eq!(named("Correct answer: B, D").unwrap().0, ['B', 'D']);
        assert_eq!(named("Correct Answer: AC").unwrap().0, ['A', 'C']);
        assert_eq!(named("Answer: B and D").unwrap().0, ['B', 'D']);
        assert_eq!(named("**Answer:** (C)").unwrap().0, ['C']);
        assert_eq!(named("Correct Answer: B) `x`").unwrap().0, ['B']);
        assert_eq!(named("The answer is D.").unwrap().0, ['D']);
        assert_eq!(named("Correct Answer: Option B").unwrap().0, ['B']);
        assert_eq!(named("Answer: c").unwrap().0, ['C']);
        assert_eq!(named("**Correct:** D").unwrap().0, ['D']);
        assert_eq!(named("Answer = A").unwrap().0, ['A']);
        assert_eq!(named("Answer: a lot of them"), None);
        assert_eq!(named("Answer: AWS Lambda"), None);
        assert_eq!(named("Answer: Because it scales"), None);
    }

    #[test]
    fn the_scenario_above_a_question_is_part_of_it() {
        let md = "## Question 7.5: Modes\n\n**Scenario**: A pipeline runs as data arrives.\n\n\
                  ```text\nMax=180s\n```\n\n**Question** *(Easy)*: Which setting?\n\n\
                  A) `triggered`\nB) `continuous`\n\n> [!success]- Answer\n> **Correct Answer: B**\n";
        let q = one(md);
        assert!(q.stem.starts_with("**Scenario**: A pipeline"), "{}", q.stem);
        assert!(q.stem.contains("Max=180s") && q.stem.ends_with("Which setting?"));
        let md = "## Question 12\n\nWhat is the result?\n\n```sql\nSELECT 1;\n```\n\n\
                  A) One\nB) Two\n\nAnswer: A\n";
        let q = one(md);
        assert!(q.stem.starts_with("What is the result?") && q.stem.contains("SELECT 1;"));
        let md = "## Q\n\nWhich adds?\n\n```python\ndef add(x, y):\n    return x + y\n```\n\n\
                  A) That\nB) None\n\nAnswer: A\n";
        assert!(one(md).stem.contains("def add(x, y):\n    return x + y"));
        // Without a heading or rule that opens the question, prose above is the note's.
        let md = "Some words about pipelines.\n\nWhich setting?\n\nA) one\nB) two\n\nAnswer: B\n";
        assert_eq!(one(md).stem, "Which setting?");
    }

    #[test]
    fn a_callout_answer() {
        let md = "### Question 1\n\n**Question**: Which?\n\nA) one\nB) `two`\nC) three\n\n\
                  > [!success]- Answer\n> **Correct Answer: B**\n>\n> Because.\n\nAfter.\n";
        let q = one(md);
        assert_eq!(q.stem, "**Question**: Which?");
        assert_eq!(q.correct, ['B']);
        assert_eq!(q.choices.len(), 3);
        assert_eq!(q.choices[1].text, "`two`");
        assert_eq!(q.explanation, "Because.");
        assert_eq!(&md[q.start..q.start + 5], "**Que");
        assert!(md[q.answer.clone()].ends_with("Because."));
    }

    #[test]
    fn a_list_item_with_details() {
        let md = "1. Which one?\n    - A. x\n    - B. y\n\n    <details markdown=1><summary>Answer</summary>\n      Correct answer: A, B\n    </details>\n\n2. Next\n";
        let q = one(md);
        assert_eq!(q.stem, "Which one?");
        assert_eq!(q.correct, ['A', 'B']);
        assert_eq!(&md[q.start..q.start + 5], "Which");
    }

    #[test]
    fn a_plain_answer_and_a_wrong_letter() {
        let md = "What?\n(a) x\n(b) y\n\n**Answer: E**\n";
        let q = one(md);
        assert_eq!(q.form, AnswerForm::Plain);
        assert_eq!(q.unknown_letters(), ['E']);
        let f = findings(&[q]);
        assert_eq!(f[0].offset, md.find("E**").unwrap());
        assert!(f[0].message.contains("names E"), "{}", f[0].message);
    }

    #[test]
    fn an_empty_option_holds_the_code_after_it() {
        let md = "Which?\n\nA) `a`\nB)\n\n```python\nx = 1\n```\n\nC) c\n\n> [!success]- Answer\n> **Correct Answer: B**\n";
        let q = one(md);
        assert_eq!(q.choices.len(), 3);
        assert!(q.choices[1].text.contains("x = 1"), "{:?}", q.choices[1]);
    }

    #[test]
    fn an_answer_naming_an_option_by_its_text() {
        let q = one("Which stores objects?\n\n- A) S3\n- B) EBS\n\nAnswer: `S3`.\n");
        assert_eq!(q.correct, ['A']);
    }

    #[test]
    fn a_reveal_callout_that_says_the_answer_and_a_heading_question() {
        let q = one(
            "### Which is DNS?\n\nA) CloudFront\nB) Route 53\n\n> [!tip]- Reveal\n> Answer: B\n",
        );
        assert_eq!(q.correct, ['B']);
        assert_eq!(q.stem, "Which is DNS?");
        assert!(find("Which?\n\nA) x\nB) y\n\n> [!tip]- Reveal\n> B is nice.\n").is_empty());
    }

    #[test]
    fn task_list_options_a_summary_line_and_an_answer_in_brackets() {
        let q = one("Which?\n\n- [ ] A) x\n- [ ] B) y\n\n<details>\n<summary>Answer</summary>\n\n**B**\n\n</details>\n");
        assert_eq!((q.choices.len(), q.correct.clone()), (2, vec!['B']));
        assert_eq!(one("Which?\n\nA) x\nB) y\n\n(Answer: A)\n").correct, ['A']);
    }

    #[test]
    fn ticked_options_are_the_answer() {
        let q = one("Which two?\n\n- [ ] A) x\n- [x] B) y\n- [X] C) z\n\nAfter.\n");
        assert_eq!(
            (q.form, q.correct.clone()),
            (AnswerForm::Ticked, vec!['B', 'C'])
        );
        assert!(find("Which?\n\n- [ ] A) x\n- [ ] B) y\n").is_empty());
    }

    #[test]
    fn options_without_an_answer_are_no_quiz() {
        assert!(find("Plan:\nA) x\nB) y\n\nText.\n").is_empty());
        assert!(find("```\nA) x\nB) y\nAnswer: A\n```\n").is_empty());
    }
}
