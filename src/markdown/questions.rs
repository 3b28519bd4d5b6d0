//! Practice questions the notes already hold, for flashcards: a question followed by its
//! answer in a callout titled like an answer (`> [!success]- Answer`, also a MkDocs
//! `??? success "Answer"` or a `:::details Answer`), in an HTML `<details>` whose summary
//! says so, or in `Q:` / `A:` paragraphs. The question is what stands between the heading
//! (or rule, or previous answer) above and the answer.

use crate::markdown::callouts::Callout;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::ops::Range;

/// A practice question and its answer, as plain text with its line breaks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Question {
    pub(crate) prompt: String,
    pub(crate) answer: String,
    /// Byte offset of the answer in the note body.
    pub(crate) offset: usize,
}

/// Longest prompt or answer kept on a card, in characters.
const MAX_CHARS: usize = 10_000;

/// Words a summary or callout title uses for "the answer is in here".
fn is_answer_title(title: &str) -> bool {
    let t = title.to_lowercase();
    t.split(|c: char| !c.is_alphanumeric())
        .any(|w| matches!(w, "answer" | "answers" | "solution" | "solutions"))
        || t.trim_start().starts_with("explanation")
}

/// One top-level block of the note.
#[derive(Debug)]
enum Kind {
    /// A heading or a thematic break: what comes after is a new question.
    Break,
    Quote,
    Html,
    Paragraph,
    Other,
}

struct BlockText {
    kind: Kind,
    range: Range<usize>,
    text: String,
}

/// The top-level blocks of `text` with their plain text (a line per paragraph, item, row
/// or line of code).
fn blocks(text: &str) -> Vec<BlockText> {
    let mut out: Vec<BlockText> = Vec::new();
    let mut depth = 0usize;
    let parser = Parser::new_ext(text, crate::markdown::options(true)).into_offset_iter();
    for (ev, range) in parser {
        match ev {
            Event::Start(tag) => {
                if depth == 0 {
                    let kind = match tag {
                        Tag::Heading { .. } => Kind::Break,
                        Tag::BlockQuote(_) => Kind::Quote,
                        Tag::HtmlBlock => Kind::Html,
                        Tag::Paragraph => Kind::Paragraph,
                        _ => Kind::Other,
                    };
                    out.push(BlockText {
                        kind,
                        range: range.clone(),
                        text: String::new(),
                    });
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if let Some(b) = out.last_mut() {
                    if matches!(
                        end,
                        TagEnd::Paragraph
                            | TagEnd::Item
                            | TagEnd::TableRow
                            | TagEnd::TableHead
                            | TagEnd::CodeBlock
                    ) && !b.text.ends_with('\n')
                    {
                        b.text.push('\n');
                    } else if end == TagEnd::TableCell {
                        b.text.push_str(" | ");
                    }
                }
            }
            Event::Rule if depth == 0 => out.push(BlockText {
                kind: Kind::Break,
                range,
                text: String::new(),
            }),
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                if let Some(b) = out.last_mut() {
                    b.text.push_str(&t);
                }
            }
            Event::Html(t) => {
                if let Some(b) = out.last_mut() {
                    b.text.push_str(&t);
                }
            }
            Event::SoftBreak => {
                if let Some(b) = out.last_mut() {
                    b.text.push(SOFT);
                }
            }
            Event::HardBreak => {
                if let Some(b) = out.last_mut() {
                    b.text.push('\n');
                }
            }
            _ => {}
        }
    }
    for b in &mut out {
        if b.text.contains(SOFT) {
            b.text = soft_breaks(&b.text);
        }
    }
    out
}

/// Stands for a line break inside a paragraph until it is known what follows it.
const SOFT: char = '\u{1}';

/// A line break inside a paragraph is a space, as in the rendered page, unless the next line
/// is an option of a multiple-choice question (`A) ...`, `b. ...`, `- ...`).
fn soft_breaks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut parts = text.split(SOFT);
    out.push_str(parts.next().unwrap_or(""));
    for part in parts {
        let label = part.split_once(' ').is_some_and(|(head, _)| {
            let mut cs = head.chars();
            let first = cs.next();
            let rest: String = cs.collect();
            matches!(head, "-" | "*" | "•")
                || (first.is_some_and(char::is_alphanumeric)
                    && head.chars().count() <= 3
                    && rest.ends_with([')', '.', ':'])
                    && rest[..rest.len() - 1].chars().all(|c| c.is_ascii_digit()))
        });
        out.push(if label { '\n' } else { ' ' });
        out.push_str(part);
    }
    out
}

/// Plain text of a markdown fragment, HTML tags left out.
fn plain(md: &str) -> String {
    let mut out = String::new();
    for b in blocks(md) {
        if matches!(b.kind, Kind::Html) {
            continue;
        }
        out.push_str(b.text.trim_end());
        out.push('\n');
    }
    out.trim().to_string()
}

/// `text` cut to at most [`MAX_CHARS`] characters at the end of a line, else of a
/// sentence, else of a word, never inside one.
fn clip(text: &str) -> String {
    let text = text.trim();
    let Some((i, _)) = text.char_indices().nth(MAX_CHARS) else {
        return text.to_string();
    };
    let head = &text[..i];
    let at = head
        .rfind('\n')
        .filter(|&n| n >= i / 2)
        .or_else(|| head.rfind(". ").map(|n| n + 1).filter(|&n| n >= i / 2))
        .or_else(|| head.rfind(char::is_whitespace))
        .unwrap_or(i);
    format!("{} …", text[..at].trim_end())
}

/// `Q:`, `**Q:**`, `Question:` (and `A:`, `Answer:`) at the start of a line: the rest.
fn strip_label<'t>(line: &'t str, labels: &[&str]) -> Option<&'t str> {
    let l = line.trim_start();
    // `**Q:**` and `**Q**:` both read `Q:` as plain text.
    labels.iter().find_map(|label| {
        let rest = l.strip_prefix(label)?.strip_prefix(':')?;
        Some(rest.trim_start())
    })
}

const Q_LABELS: &[&str] = &["Q", "Question"];
const A_LABELS: &[&str] = &["A", "Answer"];

/// The practice questions of a prepared note. `callouts` are the note's callouts, their
/// offsets in `text`.
pub(crate) fn extract(text: &str, callouts: &[Callout]) -> Vec<Question> {
    let maybe = text.contains("[!")
        || text.contains("<details")
        || text.contains("Q:")
        || text.contains("Question:");
    if !maybe {
        return Vec::new();
    }
    let blocks = blocks(text);
    let mut out = Vec::new();
    let mut pending: Vec<&str> = Vec::new();
    // The end of a `<details>` answer already taken: blocks before it belong to it.
    let mut skip_to = 0;
    let mut i = 0;
    while i < blocks.len() {
        let b = &blocks[i];
        i += 1;
        if b.range.start < skip_to {
            continue;
        }
        match b.kind {
            Kind::Break => pending.clear(),
            Kind::Quote => {
                let answer = callouts
                    .iter()
                    .find(|c| b.range.contains(&c.offset) && is_answer_title(&c.title));
                match answer {
                    Some(c) => {
                        push(&mut out, &pending, &c.text, c.offset);
                        pending.clear();
                    }
                    // A callout's `[!info] Title` line is markup; an empty one adds nothing.
                    None => match b.text.trim_start().strip_prefix("[!") {
                        Some(rest) => {
                            let body = rest.split_once('\n').map_or("", |(_, body)| body);
                            if !body.trim().is_empty() {
                                pending.push(body);
                            }
                        }
                        None => pending.push(&b.text),
                    },
                }
            }
            Kind::Html => {
                let Some((summary, body, end)) = details(text, b.range.start) else {
                    continue;
                };
                if is_answer_title(&summary) {
                    push(&mut out, &pending, &plain(body), b.range.start);
                    pending.clear();
                    skip_to = end;
                }
            }
            Kind::Paragraph => {
                let lines: Vec<&str> = b.text.lines().collect();
                let q = lines.first().and_then(|l| strip_label(l, Q_LABELS));
                let Some(q) = q else {
                    pending.push(&b.text);
                    continue;
                };
                // The answer: a later line of this paragraph, or the next paragraph.
                let split = lines
                    .iter()
                    .position(|l| strip_label(l, A_LABELS).is_some());
                let (question, answer) = match split {
                    Some(n) => {
                        let mut question = vec![q];
                        question.extend(&lines[1..n]);
                        let mut answer = vec![strip_label(lines[n], A_LABELS).unwrap_or("")];
                        answer.extend(&lines[n + 1..]);
                        (question.join("\n"), answer.join("\n"))
                    }
                    None => {
                        let next = blocks.get(i).filter(|n| matches!(n.kind, Kind::Paragraph));
                        let Some(a) = next.and_then(|n| strip_label(&n.text, A_LABELS)) else {
                            pending.push(&b.text);
                            continue;
                        };
                        i += 1;
                        let mut lines = vec![q];
                        lines.extend(b.text.lines().skip(1));
                        (lines.join("\n"), a.to_string())
                    }
                };
                push(&mut out, &[&question], &answer, b.range.start);
                pending.clear();
            }
            Kind::Other => pending.push(&b.text),
        }
    }
    out
}

fn push(out: &mut Vec<Question>, prompt: &[&str], answer: &str, offset: usize) {
    let prompt: Vec<&str> = prompt.iter().map(|p| p.trim()).collect();
    let prompt = clip(&prompt.join("\n"));
    let answer = clip(short_answer(answer).unwrap_or(answer));
    if answer.is_empty() {
        return;
    }
    out.push(Question {
        prompt,
        answer,
        offset,
    });
}

/// The summary an answer opens with ("Short Answer: ..."), where it has one: an interview
/// answer's framework, key points and follow-up questions come after it and are no card's
/// back.
fn short_answer(answer: &str) -> Option<&str> {
    let first = answer.trim_start().lines().next()?;
    let (label, rest) = first.split_once(':')?;
    let label = label.trim().to_lowercase();
    let summary = [
        "short answer",
        "tl;dr",
        "tldr",
        "in short",
        "in one sentence",
    ];
    (summary.contains(&label.as_str()) && !rest.trim().is_empty()).then(|| rest.trim())
}

/// The `<details>` element starting at `start`: its summary's text, the markdown after the
/// summary, and where the element ends.
fn details(text: &str, start: usize) -> Option<(String, &str, usize)> {
    let rest = &text[start..];
    if !rest.trim_start().starts_with("<details") {
        return None;
    }
    let close = rest.find("</details>")?;
    let inner = &rest[..close];
    let s_open = inner.find("<summary")?;
    let s_body = s_open + inner[s_open..].find('>')? + 1;
    let s_close = s_body + inner[s_body..].find("</summary>")?;
    let summary = plain(&inner[s_body..s_close]);
    let body = &inner[s_close + "</summary>".len()..];
    Some((summary, body, start + close + "</details>".len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::callouts::Role;

    fn callout(text: &str, title: &str, body: &str) -> Callout {
        Callout {
            kind: "success".into(),
            title: title.into(),
            role: Role::Other,
            id: "answer".into(),
            text: body.into(),
            strong: Vec::new(),
            offset: text.find("> [!").unwrap(),
        }
    }

    #[test]
    fn an_answer_with_a_short_answer_is_that() {
        let text = "## Question 3: Exactly-Once\n\nHow is exactly-once reached?\n\n\
                    > [!success]- Answer Framework\n>\n> **Short Answer**: Replayable source, \
                    idempotent sink, checkpoint.\n>\n> ### Key Points\n>\n> - offsets\n";
        let body =
            "Short Answer: Replayable source, idempotent sink, checkpoint.\nKey Points\noffsets";
        let answer = Callout {
            offset: text.find("> [!success]").unwrap(),
            ..callout(text, "Answer Framework", body)
        };
        let qs = extract(text, &[answer]);
        assert_eq!(
            qs[0].answer,
            "Replayable source, idempotent sink, checkpoint."
        );
        assert_eq!(short_answer("Short answer:\nmore"), None);
        assert_eq!(short_answer("Use Delta: it is ACID"), None);
    }

    #[test]
    fn a_long_answer_is_cut_between_lines_or_sentences() {
        let line = "Job clusters are ephemeral and cheaper than all-purpose ones.";
        let long = vec![line; 250].join("\n");
        let cut = clip(&long);
        assert!(cut.ends_with("ones. …"), "{}", &cut[cut.len() - 40..]);
        assert!(cut.chars().count() <= MAX_CHARS + 2);
        let one = vec![line; 250].join(" ");
        assert!(clip(&one).ends_with("ones. …"));
        assert_eq!(clip("short"), "short");
    }

    #[test]
    fn an_empty_callout_in_a_question_is_not_its_text() {
        let text = "## Question 7\n\nOrder the steps.\n\n> [!info] Ordering\n\n\
                    > [!success]- Answer\n> 1, 2, 3\n";
        let answer = Callout {
            offset: text.find("> [!success]").unwrap(),
            ..callout(text, "Answer", "1, 2, 3")
        };
        let qs = extract(text, &[answer]);
        assert_eq!(qs[0].prompt, "Order the steps.");
    }

    #[test]
    fn a_question_and_its_answer_callout() {
        let text = "## Question 1: DELETE\n\n**Question** *(Easy)*: Which deletes rows?\n\n\
                    A) `REMOVE FROM t`\nB) `DELETE FROM t`\n\n> [!success]- Answer\n> **B**\n";
        let c = callout(text, "Answer", "B");
        let qs = extract(text, &[c]);
        assert_eq!(qs.len(), 1);
        assert_eq!(
            qs[0].prompt,
            "Question (Easy): Which deletes rows?\nA) REMOVE FROM t\nB) DELETE FROM t"
        );
        assert_eq!(qs[0].answer, "B");
    }

    #[test]
    fn a_callout_that_is_no_answer_is_not_a_card() {
        let text = "Some text.\n\n> [!tip] Remember\n> This.\n";
        let c = callout(text, "Remember", "This.");
        assert!(extract(text, &[c]).is_empty());
    }

    #[test]
    fn details_with_an_answer_summary() {
        let text = "# Quiz\n\nWhat is\n2 + 2?\n\n<details>\n<summary>Show answer</summary>\n\n\
                    It is\n**4**.\n\n</details>\n\n<details><summary>Notes</summary>\nx\n</details>\n";
        let qs = extract(text, &[]);
        assert_eq!(qs.len(), 1, "{qs:?}");
        assert_eq!(qs[0].prompt, "What is 2 + 2?");
        assert_eq!(qs[0].answer, "It is 4.");
    }

    #[test]
    fn q_and_a_paragraphs() {
        let text = "Intro.\n\nQ: What does S3 stand for?\nA: Simple Storage Service.\n\n\
                    **Q:** Which is serverless?\n\n**A:** Lambda.\n\nQ: No answer here.\n";
        let qs = extract(text, &[]);
        assert_eq!(qs.len(), 2, "{qs:?}");
        assert_eq!(qs[0].prompt, "What does S3 stand for?");
        assert_eq!(qs[0].answer, "Simple Storage Service.");
        assert_eq!(qs[1].prompt, "Which is serverless?");
        assert_eq!(qs[1].answer, "Lambda.");
    }

    #[test]
    fn answer_titles() {
        for t in [
            "Answer",
            "Show answer",
            "Correct Answer: C",
            "Solution",
            "Explanation",
        ] {
            assert!(is_answer_title(t), "{t}");
        }
        for t in ["Tip", "Answerable questions", "Note", "Summary"] {
            assert!(!is_answer_title(t), "{t}");
        }
    }
}
