//! Scenario extraction: scenario tables, `scenario -> Answer` list items and tip/trap
//! callouts, and "X vs Y" comparisons. Runs in both passes, so ids are claimed identically.

use super::adapter::{Step, Upstream};
use super::callouts::{is_guide, Role, Roles};
use super::facts::{Block, Columns, Comparison, Facts, Scenario, ScenarioTable};
use super::{IdSet, Spanned};
use crate::config::Config;
use crate::slug::slug;
use pulldown_cmark::{Alignment, Event, Tag, TagEnd};
use std::cell::RefCell;
use std::collections::VecDeque;

/// The longest answer, in words, that an arrow or `=` form accepts.
const MAX_ANSWER_WORDS: usize = 8;

/// Does `cell` start with one of `keywords`, as whole words, ignoring case?
fn starts_with_keyword<K: AsRef<str>>(cell: &str, keywords: &[K]) -> bool {
    let cell = cell.trim();
    keywords.iter().map(AsRef::as_ref).any(|k| {
        cell.get(..k.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(k))
            && !cell[k.len()..].starts_with(char::is_alphanumeric)
    })
}

/// Does a header say when to do something else than choose ("When to Change" a setting's
/// default, "When to Disable")? Such a column is advice on its row's subject, and a cell of
/// it is a need only where it names a situation ([`names_situation`]): "Increase for small
/// dimension tables", not "Keep enabled".
fn says_when_else(header: &str) -> bool {
    let lower = header.trim().to_lowercase();
    let Some(rest) = lower.strip_prefix("when to ") else {
        return false;
    };
    let verb = rest
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let choosing = [
        "use", "pick", "choose", "select", "prefer", "apply", "consider",
    ];
    !choosing.contains(&verb)
}

/// Does advice name the situation it is for ("Enable for streaming", "Raise when joins
/// spill")?
fn names_situation(advice: &str) -> bool {
    let lower = advice.to_lowercase();
    lower.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w,
            "for" | "when" | "if" | "with" | "during" | "under" | "unless"
        )
    })
}

/// A scenario table's columns from its header, or `None` for a plain data table: a column
/// of needs (`Use Case`, `When to Use`, `Best For`...) and a column of choices (`Service`,
/// `Solution`...), or else the row's first cell as its choice. Two columns need only one
/// of the two named: `| Use Case | Pattern |`, `| Layer | Services |`. What a choice is for
/// (`Purpose`) is a need only beside a column that names it a choice (`| Service | Purpose
/// |`, not `| File | Purpose |`).
pub(crate) fn classify(header: &[String], config: &Config) -> Option<Columns> {
    let answer_at = |skip: Option<usize>| {
        header
            .iter()
            .enumerate()
            .position(|(i, h)| Some(i) != skip && starts_with_keyword(h, &config.answer_columns))
    };
    let pair = header.len() == 2;
    let Some(scenario) = header
        .iter()
        .position(|h| starts_with_keyword(h, &config.scenario_columns))
    else {
        let answer = answer_at(None)?;
        let purpose = header
            .iter()
            .enumerate()
            .position(|(i, h)| i != answer && starts_with_keyword(h, PURPOSE_COLUMNS));
        let scenario = purpose.or((pair && answer == 1).then_some(0))?;
        return Some(Columns { scenario, answer });
    };
    let answer = answer_at(Some(scenario))
        .or((scenario != 0).then_some(0))
        .or((pair && !starts_with_keyword(&header[1], DESCRIPTIVE_COLUMNS)).then_some(1))?;
    Some(Columns { scenario, answer })
}

/// Header words of a column that says what its row's choice is for: a need only beside a
/// column of choices.
const PURPOSE_COLUMNS: &[&str] = &["Purpose", "Primary purpose"];

/// Header words of a column of choices written as flows.
const FLOW_COLUMNS: &[&str] = &["Pattern", "Architecture", "Pipeline", "Flow"];

/// Header words of a column that describes its row rather than choosing for it.
const DESCRIPTIVE_COLUMNS: &[&str] = &[
    "Description",
    "Details",
    "Detail",
    "Notes",
    "Note",
    "Result",
    "Results",
    "Behavior",
    "Behaviour",
    "Impact",
    "Meaning",
    "Example",
    "Examples",
    "Explanation",
    "Why",
];

/// Row labels that make a table transposed: its columns are the choices and this row holds
/// what each is for (`| Best For | Small directories | Large-scale ingestion |`).
const NEED_ROWS: &[&str] = &[
    "Best for",
    "Ideal for",
    "Good for",
    "Use case",
    "Use cases",
    "When to use",
    "Use when",
    "Recommendation",
    "Recommended for",
];

/// How a cell of a comparison says what its column's choice is for (`| Best for
/// microservices | Best for running many OSes |`): a row of these, one per column, is a row
/// of needs.
const NEED_PHRASES: &[&str] = &[
    "Best for",
    "Great for",
    "Ideal for",
    "Good for",
    "Designed for",
    "Used for",
    "Use for",
];

/// Is `(need, choice)` shaped like a scenario, not an answer key (`1 | B`), a price or a
/// figure (`Passing score | 70%`), a computation, a path or flow (`A → B`), or an option's
/// explanation (`A) | ...`)?
pub(crate) fn plausible(need: &str, choice: &str) -> bool {
    let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count();
    let choice_t = choice.trim().trim_end_matches('.');
    let need_t = need.trim();
    let is_option_letters = |s: &str| {
        !s.is_empty()
            && s.split([',', '&', '/', ' '])
                .filter(|p| !p.is_empty() && *p != "and")
                .all(|p| {
                    let p = p.trim_matches(|c: char| "().:*".contains(c));
                    p.len() == 1 && p.chars().all(|c| c.is_ascii_uppercase())
                })
    };
    let numbered = |s: &str| {
        let s = s
            .trim_start_matches(['Q', 'q', '#'])
            .trim_start_matches("uestion")
            .trim();
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ')')
    };
    let lower_need = need_t.to_lowercase();
    let answer_label = ["correct answer", "answer", "correct", "correct option"]
        .contains(&lower_need.trim_end_matches(':'));
    let option = |s: &str| {
        let s = s.trim_start_matches(['(', '*', '-', ' ']);
        let mut c = s.chars();
        matches!(
            (c.next(), c.next()),
            (Some('A'..='F'), Some(')' | '.' | ':'))
        ) || s.to_lowercase().starts_with("option ")
    };
    let money_or_figure = |s: &str| {
        // "Max 3-4 columns", "Up to 90%": a bound is a figure too.
        let s = ["max ", "min ", "up to ", "at most ", "at least "]
            .iter()
            .find_map(|b| {
                s.get(..b.len())
                    .filter(|h| h.eq_ignore_ascii_case(b))
                    .map(|_| &s[b.len()..])
            })
            .unwrap_or(s);
        let first = s
            .trim_start_matches(['~', '<', '>', '≤', '≥', '+', '*', ' '])
            .split_whitespace()
            .next()
            .unwrap_or("");
        s.contains(['$', '€', '£', '%'])
            || (first.starts_with(|c: char| c.is_ascii_digit())
                && first
                    .chars()
                    .all(|c| c.is_ascii_digit() || ".,:-+xh".contains(c)))
    };
    let path = |s: &str| {
        ["→", "->", "⇒", " > ", "»", "←"]
            .iter()
            .any(|m| s.contains(m))
    };
    let computation = |s: &str| {
        ["÷", " / ", " * ", " × ", " = ", "≈"]
            .iter()
            .any(|m| s.contains(m))
            && s.chars().any(|c| c.is_ascii_digit())
    };
    // "Yes", "No — needs a cluster", "✓": a verdict on the row's need, not a choice.
    let verdict = |s: &str| {
        let first = s
            .split(|c: char| c.is_whitespace() || ",.;:—–-(".contains(c))
            .find(|w| !w.is_empty())
            .unwrap_or("")
            .to_lowercase();
        [
            "yes", "no", "true", "false", "n/a", "✓", "✔", "✅", "✗", "✘", "❌",
        ]
        .contains(&first.as_str())
    };
    // "Regularly | Right-sizing": how often, not a need.
    let adverb = !need_t.contains(' ') && need_t.to_lowercase().ends_with("ly");
    !(is_option_letters(choice_t)
        || verdict(choice_t)
        || verdict(need_t)
        || adverb
        || numbered(need_t)
        || answer_label
        || option(need_t)
        || option(choice_t)
        || money_or_figure(choice_t)
        || computation(need_t)
        || computation(choice_t)
        || path(choice_t)
        || need_t.starts_with('`')
        || letters(need_t) < 2
        || letters(choice_t) < 2)
}

/// A scenario stated in prose: shaped like one, and its choice clearly a name ("Yes" or
/// "the cheaper one" is not a choice). In a table the choice's column says it is one.
fn stated_choice(need: &str, choice: &str) -> bool {
    plausible(need, choice) && crate::words::names_something(choice)
}

/// Byte position of `needle` in `text` outside code spans (backticks), ignoring ASCII case.
fn find_outside_code(text: &str, needle: &str) -> Option<usize> {
    find_outside_code_from(text, needle, &mut false)
}

fn find_outside_code_from(text: &str, needle: &str, in_code: &mut bool) -> Option<usize> {
    let (bytes, n) = (text.as_bytes(), needle.as_bytes());
    let first = *n.first()?;
    // Only a backtick or the needle's first byte (either case) can change anything: jump
    // between them. A match starts on a char boundary, as an ASCII or lead byte never
    // continues a character.
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    for i in memchr::memchr3_iter(b'`', lower, upper, bytes) {
        if bytes[i] == b'`' {
            *in_code = !*in_code;
        } else if !*in_code
            && bytes
                .get(i..i + n.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(n))
        {
            return Some(i);
        }
    }
    None
}

fn clean(part: &str) -> String {
    let quotes: &[char] = &['"', '“', '”', '\'', '‘', '’'];
    part.trim()
        .trim_end_matches([':', ','])
        .trim()
        .trim_matches(quotes)
        .trim()
        .to_string()
}

fn short_answer(answer: &str) -> Option<String> {
    let answer = answer.trim().trim_end_matches('.').trim();
    let words = answer.split_whitespace().count();
    (words > 0 && words <= MAX_ANSWER_WORDS).then(|| answer.to_string())
}

/// `"scenario" -> Answer`, `scenario → Answer`, `scenario = Answer` or `Answer is the
/// answer when scenario`, from the plain text of a list item or a tip/trap paragraph.
pub(crate) fn parse(text: &str) -> Option<(String, String)> {
    let text = text.trim();
    for marker in [" is the answer when ", " is the answer for "] {
        if let Some(i) = find_outside_code(text, marker) {
            let answer = short_answer(&text[..i])?;
            let scenario = clean(text[i + marker.len()..].trim_end_matches('.'));
            return (!scenario.is_empty()).then_some((scenario, answer));
        }
    }
    const SEPARATORS: [&str; 5] = [" -> ", " → ", " ⇒ ", " => ", " = "];
    // Two separators make a flow (`Bronze → Silver → Gold`) or an equation, not a choice.
    let count: usize = SEPARATORS.iter().map(|s| count_outside_code(text, s)).sum();
    if count != 1 {
        return None;
    }
    let (i, sep) = SEPARATORS
        .iter()
        .find_map(|s| find_outside_code(text, s).map(|i| (i, *s)))?;
    let scenario = clean(&text[..i]);
    let answer = short_answer(&text[i + sep.len()..])?;
    let names_something = answer
        .chars()
        .next()
        .is_some_and(|c| !c.is_lowercase() && !"\"'`“‘(".contains(c));
    let plain = |s: &str| balanced(s) && !s.starts_with('`');
    (names_something
        && !answer.contains(':')
        && plain(&scenario)
        && plain(&answer)
        && !scenario.is_empty())
    .then_some((scenario, answer))
}

/// Verbs that open a recommendation: "Use **Job Clusters** for scheduled jobs".
const RECOMMEND: &[&str] = &[
    "use ",
    "choose ",
    "pick ",
    "prefer ",
    "consider ",
    "implement ",
    "enable ",
];

/// The longest need, in words, that a "Choice for need" item states.
const MAX_NEED_WORDS: usize = 10;

/// A list item that recommends a choice for a need: `Use Choice for need (...)`, `Use
/// Choice where need`, or the whole item `Choice for need` ("Model Monitor for drift
/// detection"). The choice must be written as a name; the need runs to the first aside
/// (a parenthesis, a dash, a semicolon).
#[cfg(test)]
pub(crate) fn parse_for_item(text: &str) -> Option<(String, String)> {
    for_item(text).filter(|f| !f.weak).map(Found::pair)
}

/// A need and its choice as an item states them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) need: String,
    pub(crate) choice: String,
    /// The choice is a plain word or phrase, not written as a name (see [`Scenario::weak`]).
    pub(crate) weak: bool,
}

impl Found {
    fn strict(need: String, choice: String) -> Found {
        Found {
            need,
            choice,
            weak: false,
        }
    }

    #[cfg(test)]
    fn pair(self) -> (String, String) {
        (self.need, self.choice)
    }
}

/// A choice written as a plain capitalised word or phrase ("Guardrails", "Custom tags"):
/// it may be a term of the site, which only the web can tell.
fn could_be_term(choice: &str) -> bool {
    let lower = choice.to_lowercase();
    (1..=3).contains(&choice.split_whitespace().count())
        && choice.chars().next().is_some_and(char::is_uppercase)
        && !["the ", "a ", "an ", "this ", "these ", "it ", "they "]
            .iter()
            .any(|a| lower.starts_with(a))
        && !choice.contains([':', '=', ',', '.', '?', '!', '%', '$'])
        // "Integration with MLflow" describes; a name has no small words between.
        && !choice
            .split_whitespace()
            .skip(1)
            .any(|w| ["with", "of", "for", "to", "in", "on", "by", "and", "or"].contains(&w))
        && balanced(choice)
}

/// [`parse_for_item`], also when the choice is only [`could_be_term`] (then `weak`).
fn for_item(text: &str) -> Option<Found> {
    // "Use S3 bucket policy for:" opens a list, it states nothing.
    if text.trim_end().ends_with(':') {
        return None;
    }
    let text = text.trim().trim_end_matches(['.', '!']);
    let lower = text.to_ascii_lowercase();
    let verb = RECOMMEND.iter().find(|v| lower.starts_with(*v));
    let rest = verb.map_or(text, |v| &text[v.len()..]);
    let (at, sep) = [" for ", " where ", " when "]
        .iter()
        .filter(|sep| verb.is_some() || **sep == " for ")
        .filter_map(|sep| find_outside_code(rest, sep).map(|i| (i, *sep)))
        .min()?;
    let choice = clean(&rest[..at]);
    let need_all = &rest[at + sep.len()..];
    let end = [" (", "; ", " — ", " – ", " - ", ", "]
        .iter()
        .filter_map(|m| need_all.find(m))
        .min()
        .unwrap_or(need_all.len());
    let mut need = clean(&need_all[..end]);
    // "Use `SPOT_WITH_FALLBACK` for worker nodes and keep the driver On-Demand to ...": a
    // recommendation's need ends where a second instruction begins.
    if verb.is_some() && need.split_whitespace().count() > MAX_NEED_WORDS {
        if let Some(i) = need.find(" and ") {
            need.truncate(i);
        }
    }
    let choice_words = choice.split_whitespace().count();
    let need_words = need.split_whitespace().count();
    // Without a verb the item is the statement entire: short, nothing after the need.
    let whole = verb.is_some() || (end == need_all.len() && choice_words + need_words <= 8);
    // A choice is a name, not a label and its gloss ("Workspace: Collaborative
    // environment"), a sentence ("Track CDC lag") or an equation.
    let glossed = [":", " - ", " — ", " – ", "=", "->", "→"]
        .iter()
        .any(|m| find_outside_code(&choice, m).is_some())
        || choice.ends_with(['-', '—', '–'])
        || ["the ", "a ", "an "]
            .iter()
            .any(|a| choice.to_ascii_lowercase().starts_with(a));
    let capital = |w: &str| w.chars().next().is_some_and(|c| !c.is_lowercase());
    let choice_named = match verb {
        Some(_) => capital(&choice) && crate::words::names_something(&choice) && choice_words <= 5,
        None => {
            choice_words <= 3
                && (choice.starts_with('`') && choice.ends_with('`')
                    || (choice_words >= 2 && choice.split_whitespace().all(capital))
                    || (choice_words == 1
                        && (crate::words::looks_like_name(&choice)
                            || !crate::words::is_common(&choice))))
        }
    };
    let weak = !choice_named && could_be_term(&choice);
    (whole
        && (choice_named || weak)
        && !glossed
        && choice_words >= 1
        && (1..=MAX_NEED_WORDS).contains(&need_words)
        && need
            .chars()
            .next()
            .is_some_and(|c| !c.is_uppercase() || verb.is_some() || acronym(&need))
        && balanced(&choice)
        && balanced(&need))
    .then_some(Found { need, choice, weak })
}

/// Does `need` open with an acronym ("RAG", "ETL jobs"), written in capitals as any
/// sentence would?
fn acronym(need: &str) -> bool {
    need.split_whitespace().next().is_some_and(|w| {
        let mut chars = w.chars();
        // "MLOps", "CI/CD": it opens with two capitals.
        chars.next().is_some_and(|c| c.is_ascii_uppercase())
            && chars.next().is_some_and(|c| c.is_ascii_uppercase())
    })
}

/// What says a choice suits a need, between the two: "ECS / Fargate is preferred for
/// running Docker images", "RAG wins for current facts".
const SUITS: &[&str] = &[
    " is preferred for ",
    " are preferred for ",
    " wins for ",
    " win for ",
    " is best for ",
    " is ideal for ",
    " is the best choice for ",
    " is recommended for ",
];

/// The other ways a list item states a need and its choice: a clause `Choice is
/// preferred for need` (or `wins for`, `is best for`), a need then `, use Choice` ("Analyze
/// data in S3 using serverless SQL, use Athena"), or a need and the choice in parentheses
/// ("Encryption (KMS)").
pub(crate) fn parse_suits_item(text: &str) -> Option<(String, String)> {
    let text = text.trim().trim_end_matches(['.', '!']);
    if text.contains('?') {
        return None;
    }
    let named = |c: &str| {
        let words = c.split_whitespace().count();
        (1..=4).contains(&words)
            && c.chars()
                .next()
                .is_some_and(|ch| !ch.is_lowercase() || c.starts_with('`'))
            && crate::words::names_something(c)
            && balanced(c)
    };
    let short_need = |n: &str| (1..=16).contains(&n.split_whitespace().count()) && balanced(n);
    // Clauses: "RAG = open-book exam; fine-tuning = studying. RAG wins for current facts".
    for clause in text.split(['.', ';']).map(str::trim) {
        for s in SUITS {
            if let Some(i) = find_outside_code(clause, s) {
                let choice = clean(&clause[..i]);
                let need = clean(&clause[i + s.len()..]);
                if named(&choice) && short_need(&need) {
                    return Some((need, choice));
                }
            }
        }
    }
    for u in [", we can use ", ", you can use ", ", use "] {
        if let Some(i) = find_outside_code(text, u) {
            let choice = clean(text[i + u.len()..].trim_matches(['"', '“', '”']));
            let need = text[..i].trim();
            let need = need
                .strip_prefix("When ")
                .or_else(|| need.strip_prefix("when "))
                .unwrap_or(need);
            if named(&choice) && short_need(need) {
                return Some((clean(need), choice));
            }
        }
    }
    // "Encryption (KMS)": a need of common words, not a name itself, and a name.
    let (need, inner) = text.strip_suffix(')')?.rsplit_once(" (")?;
    let need = need.trim();
    let need_words = need.split_whitespace().count();
    let lower_after_first = need
        .split_whitespace()
        .skip(1)
        .all(|w| w.chars().next().is_some_and(|c| !c.is_uppercase()));
    let one_name = !inner.contains([' ', '+'])
        && inner.chars().next().is_some_and(char::is_uppercase)
        && (crate::words::looks_like_name(inner) || !crate::words::is_common(inner));
    // "Protected health information (PHI)" spells it out.
    let initials: String = need
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .filter_map(|w| w.chars().next())
        .collect();
    (one_name
        && (1..=4).contains(&need_words)
        && lower_after_first
        && crate::words::all_common(need)
        && !abbreviates(inner, need)
        && !initials.eq_ignore_ascii_case(inner))
    .then(|| (need.to_string(), inner.to_string()))
}

/// What opens a purpose: `Regions: for deploying applications`, `LB + ASG: great for
/// production`.
const PURPOSE: &[&str] = &[
    "for ",
    "good for ",
    "great for ",
    "best for ",
    "ideal for ",
    "used for ",
    "use for ",
    "useful for ",
    "use when ",
    "when ",
];

/// A list item written `need: Choice` (`In-memory Database: ElastiCache`) or `Choice:
/// purpose` (`Regions: for deploying applications`, `Spot Instances: short workloads, for
/// cheap`): the need and the choice. A definition (`Availability Zones: Made of multiple
/// data centers`, `Neptune: graph database`) is neither: the right side of the first form
/// must be a short name, and the second needs a purpose or a workload.
#[cfg(test)]
pub(crate) fn parse_colon_item(text: &str) -> Option<(String, String)> {
    colon_item(text).filter(|f| !f.weak).map(Found::pair)
}

/// [`parse_colon_item`], also when the choice of `Choice: purpose` is only
/// [`could_be_term`] (then `weak`).
fn colon_item(text: &str) -> Option<Found> {
    let text = text.trim();
    let i = find_outside_code(text, ": ")?;
    let (left, right) = (
        clean(&text[..i]),
        text[i + 2..].trim().trim_end_matches('.'),
    );
    if left.is_empty() || right.is_empty() || find_outside_code(right, ": ").is_some() {
        return None;
    }
    // "CRR - Use cases: compliance, lower latency access": the choice, then its needs.
    for dash in [" - ", " – ", " — "] {
        let Some((choice, label)) = left.rsplit_once(dash) else {
            continue;
        };
        let choice = clean(choice);
        if starts_with_keyword(label, &["Use cases", "Use case", "Best for", "Good for"])
            && label.split_whitespace().count() <= 2
            && (1..=16).contains(&right.split_whitespace().count())
            && crate::words::names_something(&choice)
            && choice.split_whitespace().count() <= 4
        {
            return Some(Found::strict(clean(right), choice));
        }
    }
    let left_words = left.split_whitespace().count();
    // Asides do not count: "DynamoDB (serverless) & DAX (cache for DynamoDB)" names two.
    let right_words = without_asides(right).split_whitespace().count();
    let lower = right.to_lowercase();
    let starts_name = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    };
    // need: Choice. The need is a phrase (a single common word is a label: "Pricing"); the
    // choice a name: one word no dictionary has (hyphenated common words are a phrase), or
    // title case, and no list (a comma) or abbreviation of the need ("Customer Master
    // Keys: CMK" defines it).
    let label = left_words == 1 && crate::words::all_common(&left);
    let name = right.split_once(" (").map_or(right, |(n, _)| n).trim();
    let one_name = |w: &str| {
        crate::words::looks_like_name(w)
            || !w.split('-').all(crate::words::is_common) && w.chars().any(char::is_alphabetic)
    };
    let title_case = name.split_whitespace().count() >= 2
        && name.split_whitespace().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || (!c.is_alphabetic() && c != '-'))
        })
        && name
            .split_whitespace()
            .any(|w| w.chars().any(char::is_alphabetic));
    let named = match name.split_whitespace().count() {
        1 => one_name(name),
        _ => {
            title_case
                && name
                    .split_whitespace()
                    .any(|w| w.chars().any(char::is_uppercase))
        }
    };
    if !label
        && left_words <= 6
        && right_words <= 4
        && starts_name(right)
        && balanced(right)
        && !right.contains(',')
        && named
        && !abbreviates(name, &left)
        && !(left_words == 1 && one_name(&left))
        // A need does not open with a name or a number ("AWS Region: N. Virginia", "RDS
        // Deployments: Multi-Region", "Domain 1: Cloud Concepts" describe a thing).
        && !left
            .split_whitespace()
            .next()
            .is_some_and(|w| w.split('/').any(crate::words::looks_like_name))
        && !left
            .split_whitespace()
            .any(|w| w.chars().all(|c| c.is_ascii_digit()))
        && !name.to_lowercase().contains(&left.to_lowercase())
        && !left.to_lowercase().contains(&name.to_lowercase())
    {
        return Some(Found::strict(left, right.to_string()));
    }
    // Choice: purpose.
    let purpose = PURPOSE.iter().any(|p| lower.starts_with(p))
        || lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "workload" || w == "workloads");
    let choice = left
        .split_once(" (")
        .map_or(left.as_str(), |(name, _)| name)
        .trim()
        .to_string();
    let named = crate::words::names_something(&choice);
    let weak = !named && could_be_term(&choice);
    (purpose && left_words <= 6 && right_words <= 16 && !is_comparison(&choice) && (named || weak))
        .then(|| Found {
            need: clean(right),
            choice,
            weak,
        })
}

/// `s` less its parenthesised asides.
fn without_asides(s: &str) -> String {
    let mut depth = 0usize;
    s.chars()
        .filter(|&c| {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ => return depth == 0,
            }
            false
        })
        .collect()
}

/// Is `short` the initials of `long`'s words (`CMK`, "Customer Master Keys")?
fn abbreviates(short: &str, long: &str) -> bool {
    let initials: String = long
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    short.len() >= 2 && short.chars().all(|c| c.is_ascii_uppercase()) && initials.contains(short)
}

/// Are the parentheses in `s` balanced (so a separator did not split a parenthesis)?
fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

fn count_outside_code(text: &str, needle: &str) -> usize {
    let mut n = 0;
    let mut rest = text;
    let mut in_code = false;
    while let Some(i) = find_outside_code_from(rest, needle, &mut in_code) {
        n += 1;
        rest = &rest[i + needle.len()..];
    }
    n
}

/// "X vs Y" (or "versus") in a title.
pub(crate) fn is_comparison(title: &str) -> bool {
    let lower = title.to_lowercase();
    [" vs ", " vs. ", " versus "]
        .iter()
        .any(|m| lower.contains(m))
}

/// The stable anchor of a scenario: derived from its text, so it survives rows moving.
fn anchor(ids: &RefCell<IdSet>, scenario: &str) -> String {
    let mut base = slug(scenario);
    if base.len() > 60 {
        let mut cut = 60;
        while !base.is_char_boundary(cut) {
            cut -= 1;
        }
        base.truncate(cut);
        base = base.trim_end_matches('-').to_string();
    }
    ids.borrow_mut().claim(&format!("sc-{base}"))
}

/// An item of a guide to choosing, `Choice: need` ("XGBoost: Most versatile, start here
/// for tabular data", "Linear Learner: Sparse data, need interpretability"): outside a
/// guide the same line defines its left side.
fn guide_item(text: &str) -> Option<Found> {
    let i = find_outside_code(text, ": ")?;
    let choice = clean(&text[..i]);
    let need = clean(text[i + 2..].trim().trim_end_matches('.'));
    let named = (1..=4).contains(&choice.split_whitespace().count())
        && choice.chars().next().is_some_and(|c| !c.is_lowercase())
        && crate::words::names_something(&choice)
        && balanced(&choice);
    // "Latency: Choose a region close to your users" names a criterion and what to do.
    let instruction = need.split_whitespace().next().is_some_and(|w| {
        let w = w.to_lowercase();
        [
            "check", "choose", "use", "pick", "select", "make", "ensure", "consider", "verify",
        ]
        .contains(&w.as_str())
    });
    let phrase = !instruction
        && (1..=MAX_NEED_WORDS + 2).contains(&need.split_whitespace().count())
        && balanced(&need)
        && find_outside_code(&need, ": ").is_none()
        && !need.contains("://");
    (named && phrase).then(|| Found::strict(need, choice))
}

/// The words that open a sentence saying what a thing suits.
const SUITED: &[&str] = &[
    "best for ",
    "ideal for ",
    "great for ",
    "good for ",
    "perfect for ",
];

/// The need of the first sentence of `cell` that opens with [`SUITED`] words ("Ideal for
/// short-term usage."), up to the sentence's end.
fn suited_need(cell: &str) -> Option<String> {
    cell.split(". ").find_map(|sentence| {
        let sentence = sentence.trim();
        let lower = sentence.to_lowercase();
        let opener = SUITED.iter().find(|s| lower.starts_with(*s))?;
        let need = sentence[opener.len()..]
            .trim_end_matches(['.', '!', ';'])
            .trim();
        let need = need.split([';', '(']).next().unwrap_or("").trim();
        ((1..=MAX_NEED_WORDS).contains(&need.split_whitespace().count()) && balanced(need))
            .then(|| clean(need))
    })
}

/// The first of `found` whose choice is written as a name, else the first at all; reads
/// no further than the first of the former.
fn first_found(found: impl IntoIterator<Item = Option<Found>>) -> Option<Found> {
    let mut weak = None;
    for f in found.into_iter().flatten() {
        if !f.weak {
            return Some(f);
        }
        weak.get_or_insert(f);
    }
    weak
}

/// The text of the bold words an item opens with ("**Custom tags for chargebacks**: Apply
/// ..."), if it does.
fn bold_lead(body: &[Spanned]) -> Option<String> {
    let mut events = body
        .iter()
        .skip_while(|(e, _)| matches!(e, Event::TaskListMarker(_) | Event::Start(Tag::Paragraph)));
    let (first, _) = events.next()?;
    if !matches!(first, Event::Start(Tag::Strong)) {
        return None;
    }
    let inner: Vec<Spanned> = events
        .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Strong)))
        .cloned()
        .collect();
    Some(inline_text(&inner))
}

/// An item that opens with a bold lead states its choice in the lead ("**system.billing.usage
/// for cost analysis**: ...") or in a sentence after it ("**Spot saves 90%**: Use
/// `SPOT_WITH_FALLBACK` for worker nodes").
fn lead_item(body: &[Spanned], text: &str) -> Option<Found> {
    let lead = bold_lead(body)?;
    // "**A.** Use SageMaker Autopilot for ...": an answer option, not advice.
    if lead.chars().filter(|c| c.is_alphabetic()).count() < 2 || lead.starts_with("Option") {
        return None;
    }
    let rest = text
        .strip_prefix(lead.as_str())?
        .trim_start_matches([':', ' ', '-', '—', '–']);
    let clauses = rest
        .split([';', '.', '!'])
        .map(str::trim)
        .flat_map(|clause| {
            [
                parse_suits_item(clause).map(|(n, c)| Found::strict(n, c)),
                for_item(clause),
            ]
        });
    first_found(std::iter::once(for_item(&lead)).chain(clauses))
}

/// Plain text of inline events, code spans kept in backticks.
fn inline_text(events: &[Spanned]) -> String {
    let mut out = String::new();
    for (ev, _) in events {
        match ev {
            Event::Text(t) => out.push_str(t),
            Event::Code(t) => {
                out.push('`');
                out.push_str(t);
                out.push('`');
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The plain text of each link in `events`.
fn link_texts(events: &[Spanned]) -> Vec<String> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, (ev, _)) in events.iter().enumerate() {
        match ev {
            Event::Start(Tag::Link { .. }) => open = Some(i + 1),
            Event::End(TagEnd::Link) => {
                if let Some(start) = open.take() {
                    out.push(inline_text(&events[start..i]));
                }
            }
            _ => {}
        }
    }
    out
}

/// The scenario adapter: puts an id on every scenario's row, item or paragraph, and records
/// scenarios, scenario tables and comparisons in `facts`.
pub(crate) struct Extract<'b> {
    config: &'b Config,
    ids: &'b RefCell<IdSet>,
    roles: &'b Roles,
    facts: &'b mut Facts,
    /// Where the ids of the scenarios found go, for the render pass to replay.
    marks: &'b mut Vec<Mark>,
    /// The outline's marks: then no text is read again, the ids are put where they were.
    replay: Option<&'b [Mark]>,
    item_depth: usize,
    /// The comparison heading whose section is being read, waiting for its table or diagram.
    comparing: Option<usize>,
    /// Does the heading of the section being read name a guide to choosing?
    guide: bool,
}

/// Where the outline put a scenario's id: the start of its item, paragraph or table row in
/// the prepared text. The render pass puts the same ids in the same places without reading
/// the text again (reading it was a tenth of a build).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Mark {
    pub(crate) at: usize,
    pub(crate) on: Marked,
    pub(crate) id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Marked {
    Item,
    Paragraph,
    Row,
}

type Out<'a> = VecDeque<Spanned<'a>>;

/// Reads events up to and including the first one `stop` accepts.
fn take_until<'a, I: Iterator<Item = Spanned<'a>>>(
    inner: Upstream<'_, I>,
    stop: impl Fn(&Event) -> bool,
) -> Vec<Spanned<'a>> {
    let mut out = Vec::new();
    for ev in inner.by_ref() {
        let done = stop(&ev.0);
        out.push(ev);
        if done {
            break;
        }
    }
    out
}

impl<'b> Extract<'b> {
    pub(crate) fn new(
        config: &'b Config,
        ids: &'b RefCell<IdSet>,
        roles: &'b Roles,
        facts: &'b mut Facts,
        marks: &'b mut Vec<Mark>,
        replay: Option<&'b [Mark]>,
    ) -> Self {
        Extract {
            config,
            ids,
            roles,
            facts,
            marks,
            replay,
            item_depth: 0,
            comparing: None,
            guide: false,
        }
    }

    fn role(&self) -> Option<Role> {
        self.roles.borrow().last().map(|r| r.0)
    }

    /// Is the innermost callout, or else the section, a guide to choosing ([`is_guide`])?
    fn in_guide(&self) -> bool {
        self.roles.borrow().last().map_or(self.guide, |r| r.1)
    }

    fn add(&mut self, scenario: String, answer: String, offset: usize) -> String {
        self.add_found(Found::strict(scenario, answer), offset)
    }

    fn add_found(&mut self, found: Found, offset: usize) -> String {
        let id = anchor(self.ids, &found.need);
        self.facts.scenarios.push(Scenario {
            text: found.need,
            answer: found.choice,
            id: id.clone(),
            offset,
            role: self.role().filter(|r| *r != Role::Other),
            weak: found.weak,
        });
        id
    }

    fn item<'a, I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        start: Spanned<'a>,
        inner: Upstream<'_, I>,
        out: &mut Out<'a>,
    ) {
        let guide = self.in_guide();
        let allowed = guide || matches!(self.role(), None | Some(Role::Tip | Role::Trap));
        let body = take_until(inner, |e| {
            matches!(
                e,
                Event::End(TagEnd::Item | TagEnd::Paragraph)
                    | Event::Start(
                        Tag::List(_) | Tag::BlockQuote(_) | Tag::CodeBlock(_) | Tag::Table(_)
                    )
            )
        });
        let text = allowed.then(|| inline_text(&body));
        // The item's link texts, read once and only when a candidate needs them.
        let read = std::cell::OnceCell::new();
        let links = || read.get_or_init(|| link_texts(&body));
        // `Topic: [a note](link)` is a table of contents, not a choice.
        let toc = |t: &str| {
            let right = t.split_once(": ").map_or("", |(_, r)| r.trim());
            links().iter().any(|l| l == right)
        };
        // "[Mind Map](...) for outlining topics" points to a page.
        let unlinked = |f: &Found| !links().iter().any(|l| l.contains(&f.choice));
        let found = text.as_deref().and_then(|t| {
            let tries: [&dyn Fn() -> Option<Found>; 4] = [
                &|| parse(t).map(|(n, c)| Found::strict(n, c)),
                &|| (!toc(t)).then(|| colon_item(t)).flatten(),
                &|| for_item(t).filter(unlinked),
                &|| {
                    parse_suits_item(t)
                        .map(|(n, c)| Found::strict(n, c))
                        .filter(unlinked)
                },
            ];
            let whole = first_found(tries.iter().map(|t| t()));
            match whole {
                Some(f) if !f.weak => Some(f),
                whole => lead_item(&body, t)
                    .filter(unlinked)
                    .or_else(|| guide.then(|| guide_item(t)).flatten())
                    .or(whole),
            }
        });
        // A weak choice is not written as a name: the web checks that it is a term.
        let found = found.filter(|f| match f.weak {
            true => plausible(&f.need, &f.choice),
            false => stated_choice(&f.need, &f.choice),
        });
        self.open_block(out, start, found, "li", body);
    }

    /// Queues a list item or paragraph; when it states a scenario, its opening tag carries
    /// the scenario's id.
    fn open_block<'a>(
        &mut self,
        out: &mut Out<'a>,
        start: Spanned<'a>,
        found: Option<Found>,
        tag: &str,
        body: Vec<Spanned<'a>>,
    ) {
        match found {
            Some(found) => {
                let id = self.add_found(found, start.1.start);
                let on = if tag == "li" {
                    Marked::Item
                } else {
                    Marked::Paragraph
                };
                self.marks.push(Mark {
                    at: start.1.start,
                    on,
                    id: id.clone(),
                });
                let open = format!("<{tag} id=\"{id}\">");
                out.push_back((Event::Html(open.into()), start.1));
            }
            None => out.push_back(start),
        }
        out.extend(body);
    }

    fn paragraph<'a, I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        start: Spanned<'a>,
        inner: Upstream<'_, I>,
        out: &mut Out<'a>,
    ) {
        let body = take_until(inner, |e| matches!(e, Event::End(TagEnd::Paragraph)));
        let in_tip = matches!(self.role(), Some(Role::Tip | Role::Trap)) && self.item_depth == 0;
        let found = in_tip.then(|| parse(&inline_text(&body))).flatten();
        let found = found
            .filter(|(need, choice)| stated_choice(need, choice))
            .map(|(n, c)| Found::strict(n, c));
        self.open_block(out, start, found, "p", body);
    }

    fn heading<'a, I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        start: Spanned<'a>,
        inner: Upstream<'_, I>,
        out: &mut Out<'a>,
    ) {
        let body = take_until(inner, |e| matches!(e, Event::End(TagEnd::Heading(_))));
        self.comparing = None;
        let title = inline_text(&body);
        self.guide = is_guide(&title, false);
        if is_comparison(&title) {
            let id = match &start.0 {
                Event::Start(Tag::Heading { id, .. }) => id.as_ref().map(|i| i.to_string()),
                _ => None,
            };
            self.facts.comparisons.push(Comparison {
                title,
                id,
                offset: start.1.start,
                body: None,
            });
            self.comparing = Some(self.facts.comparisons.len() - 1);
        }
        out.push_back(start);
        out.extend(body);
    }

    fn code<'a, I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        start: Spanned<'a>,
        inner: Upstream<'_, I>,
        out: &mut Out<'a>,
    ) {
        let body = take_until(inner, |e| matches!(e, Event::End(TagEnd::CodeBlock)));
        let code = inline_text(&body[..body.len().saturating_sub(1)]);
        let title = code
            .lines()
            .map(|l| {
                l.trim_matches(|c: char| {
                    c.is_whitespace() || ('\u{2500}'..='\u{257F}').contains(&c)
                })
            })
            .find(|l| !l.is_empty())
            .unwrap_or("");
        if let Some(c) = self.comparing.take() {
            self.facts.comparisons[c].body = Some(Block::Pre(code.clone()));
        } else if is_comparison(title)
            && drawn(&start.0)
            && !title.starts_with(['#', '>', '/', '*', '-'])
        {
            self.facts.comparisons.push(Comparison {
                title: title.to_string(),
                id: None,
                offset: start.1.start,
                body: Some(Block::Pre(code)),
            });
        }
        out.push_back(start);
        out.extend(body);
    }

    /// The scenario of each body row of a table whose columns `cols` names, by row.
    fn rows(
        &mut self,
        rows: &[Vec<String>],
        starts: &[usize],
        cols: Columns,
    ) -> Vec<Option<String>> {
        let mut ids = Vec::new();
        // A pattern is a flow: its first step is the choice ("Auto Loader → Bronze").
        let head = rows.first().map_or(String::new(), |h| cell(h, cols.answer));
        let flows = starts_with_keyword(&head, FLOW_COLUMNS);
        // A second column no header word names a choice (`| When | Action |`) answers
        // briefly, or it describes.
        let inferred = cols.answer != 0 && !starts_with_keyword(&head, &self.config.answer_columns);
        let advice = rows
            .first()
            .is_some_and(|h| says_when_else(&cell(h, cols.scenario)));
        for (row, &offset) in rows.iter().skip(1).zip(starts) {
            let (scenario, answer) = (cell(row, cols.scenario), cell(row, cols.answer));
            let first_step = match flows {
                true => ["→", "->", "⇒"]
                    .iter()
                    .filter_map(|m| answer.find(m))
                    .min()
                    .map_or(answer.as_str(), |i| answer[..i].trim()),
                false => &answer,
            };
            if scenario.is_empty()
                || answer.is_empty()
                || !plausible(&scenario, first_step)
                || (inferred && short_answer(&answer).is_none())
                || (advice && !names_situation(&scenario))
            {
                ids.push(None);
                continue;
            }
            ids.push(Some(self.add(scenario, answer, offset)));
        }
        ids
    }

    /// A table whose notes say what each row's thing suits: `| **Spot Instances** | $0.028
    /// | Can be interrupted. Best for flexible workloads. |`. The need is the sentence's rest,
    /// the choice the row's first cell, written as a name.
    fn suited_rows(
        &mut self,
        rows: &[Vec<String>],
        starts: &[usize],
    ) -> Option<Vec<Option<String>>> {
        let mut ids = Vec::new();
        for (row, &offset) in rows.iter().skip(1).zip(starts) {
            let choice = clean(&cell(row, 0));
            let need = row.iter().skip(1).find_map(|c| suited_need(c));
            let named = (1..=4).contains(&choice.split_whitespace().count())
                && crate::words::names_something(&choice);
            match need.filter(|n| named && stated_choice(n, &choice)) {
                Some(need) => ids.push(Some(self.add(need, choice, offset))),
                None => ids.push(None),
            }
        }
        ids.iter().any(Option::is_some).then_some(ids)
    }

    /// A transposed table's scenarios: its row of needs (`Best For`, `Use Case`), each cell
    /// answered by its column's header. Every scenario of the row shares the row's id.
    fn transposed(
        &mut self,
        rows: &[Vec<String>],
        starts: &[usize],
    ) -> Option<Vec<Option<String>>> {
        let header = rows.first()?;
        let labelled = rows
            .iter()
            .skip(1)
            .position(|r| r.first().is_some_and(|c| starts_with_keyword(c, NEED_ROWS)));
        // Or a row whose every cell says what its column is for, the header naming the
        // choices from the first column on.
        let phrased = || {
            rows.iter().skip(1).position(|r| {
                r.len() >= 2
                    && r.len() <= header.len()
                    && r.iter().all(|c| starts_with_keyword(c, NEED_PHRASES))
            })
        };
        // A row of "Best for ..." in every column is needs from the first column on,
        // though its first cell starts like a row label.
        let (at, first) = match (phrased(), labelled) {
            (Some(at), _) => (at, 0),
            (None, Some(at)) => (at, 1),
            (None, None) => return None,
        };
        let row = &rows[at + 1];
        let offset = *starts.get(at)?;
        let mut id: Option<String> = None;
        for (j, need) in row.iter().enumerate().skip(first) {
            let need = &if first == 0 {
                without_phrase(need)
            } else {
                need.clone()
            };
            let choice = cell(header, j);
            if need.is_empty() || choice.is_empty() || !plausible(need, &choice) {
                continue;
            }
            match &id {
                None => id = Some(self.add(need.clone(), choice, offset)),
                Some(shared) => self.facts.scenarios.push(Scenario {
                    text: need.clone(),
                    answer: choice,
                    id: shared.clone(),
                    offset,
                    role: self.role().filter(|r| *r != Role::Other),
                    weak: false,
                }),
            }
        }
        let id = id?;
        let mut ids = vec![None; rows.len().saturating_sub(1)];
        ids[at] = Some(id);
        Some(ids)
    }

    fn table<'a, I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        start: Spanned<'a>,
        inner: Upstream<'_, I>,
        out: &mut Out<'a>,
    ) {
        let body = take_until(inner, |e| matches!(e, Event::End(TagEnd::Table)));
        let rows = table_rows(&body);
        let header = rows.first().cloned().unwrap_or_default();
        if let Some(c) = self.comparing.take() {
            self.facts.comparisons[c].body = Some(Block::Table(rows.clone()));
        } else if let Some(title) = header.iter().find(|h| is_comparison(h)) {
            self.facts.comparisons.push(Comparison {
                title: title.clone(),
                id: None,
                offset: start.1.start,
                body: Some(Block::Table(rows.clone())),
            });
        }
        for row in rows.iter().skip(1) {
            if let Some(key) = row.first().filter(|k| is_identifier(k)) {
                let key = key.trim().trim_matches('`').to_string();
                self.facts.listed.push((key, start.1.start));
            }
        }
        let mut row_starts = Vec::new();
        for (ev, r) in &body {
            if matches!(ev, Event::Start(Tag::TableRow)) {
                row_starts.push(r.start);
            }
        }
        let row_ids = match classify(&header, self.config) {
            Some(cols) => self.rows(&rows, &row_starts, cols),
            None => match self
                .transposed(&rows, &row_starts)
                .or_else(|| self.suited_rows(&rows, &row_starts))
            {
                Some(ids) => ids,
                None => {
                    out.push_back(start);
                    out.extend(body);
                    return;
                }
            },
        };
        self.facts.tables.push(ScenarioTable {
            id: row_ids.iter().flatten().next().cloned(),
            rows,
        });
        // The body rows, in order (the header has no `TableRow` of its own).
        for (id, &at) in row_ids.iter().zip(&row_starts) {
            if let Some(id) = id {
                self.marks.push(Mark {
                    at,
                    on: Marked::Row,
                    id: id.clone(),
                });
            }
        }
        with_row_ids(start, body, row_ids, out);
    }

    /// The render pass, given the outline's marks: each id where it was, nothing read.
    fn replay<'a, I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        marks: &[Mark],
        ev: Spanned<'a>,
        inner: Upstream<'_, I>,
        out: &mut Out<'a>,
    ) {
        let mark = |at: usize, on: Marked| {
            let i = marks.partition_point(|m| m.at < at);
            marks[i..]
                .iter()
                .take_while(|m| m.at == at)
                .find(|m| m.on == on)
        };
        let claim = |m: &Mark| self.ids.borrow_mut().claim(&m.id);
        match &ev.0 {
            Event::Start(Tag::Item) | Event::Start(Tag::Paragraph) => {
                let (on, tag) = match ev.0 {
                    Event::Start(Tag::Item) => (Marked::Item, "li"),
                    _ => (Marked::Paragraph, "p"),
                };
                match mark(ev.1.start, on) {
                    Some(m) => {
                        let id = claim(m);
                        let open = format!("<{tag} id=\"{id}\">");
                        out.push_back((Event::Html(open.into()), ev.1));
                    }
                    None => out.push_back(ev),
                }
            }
            Event::Start(Tag::Table(_)) => {
                let span = ev.1.clone();
                let i = marks.partition_point(|m| m.at < span.start);
                if !marks[i..]
                    .iter()
                    .take_while(|m| m.at < span.end)
                    .any(|m| m.on == Marked::Row)
                {
                    return out.push_back(ev);
                }
                let body = take_until(inner, |e| matches!(e, Event::End(TagEnd::Table)));
                let ids = body
                    .iter()
                    .filter(|(e, _)| matches!(e, Event::Start(Tag::TableRow)))
                    .map(|(_, r)| mark(r.start, Marked::Row).map(claim))
                    .collect();
                with_row_ids(ev, body, ids, out);
            }
            _ => out.push_back(ev),
        }
    }
}

/// A table's events, each body row that states a scenario opened with its id (`ids` by
/// body row).
fn with_row_ids<'a>(
    start: Spanned<'a>,
    body: Vec<Spanned<'a>>,
    row_ids: Vec<Option<String>>,
    out: &mut Out<'a>,
) {
    let align = match &start.0 {
        Event::Start(Tag::Table(a)) => a.clone(),
        _ => Vec::new(),
    };
    out.push_back(start);
    let mut ids = row_ids.into_iter();
    let mut in_body_row = false;
    let mut col = 0;
    for (ev, r) in body {
        match ev {
            Event::Start(Tag::TableRow) => match ids.next().flatten() {
                Some(id) => {
                    in_body_row = true;
                    col = 0;
                    out.push_back((Event::Html(format!("<tr id=\"{id}\">").into()), r));
                }
                None => {
                    in_body_row = false;
                    out.push_back((ev, r));
                }
            },
            // The renderer's cell counter resets only on its own row start, so a row
            // written as HTML writes its cells too.
            Event::Start(Tag::TableCell) if in_body_row => {
                // Left is the theme's own alignment of cells (see `TableWrap`).
                let style = match align.get(col) {
                    Some(Alignment::Center) => " style=\"text-align: center\"",
                    Some(Alignment::Right) => " style=\"text-align: right\"",
                    _ => "",
                };
                out.push_back((Event::Html(format!("<td{style}>").into()), r));
            }
            Event::End(TagEnd::TableCell) if in_body_row => {
                col += 1;
                out.push_back((Event::Html("</td>".into()), r));
            }
            _ => out.push_back((ev, r)),
        }
    }
}

/// A need cell less the phrase that leads it ("Best for") and a closing full stop.
fn without_phrase(need: &str) -> String {
    let need = need.trim();
    let rest = NEED_PHRASES
        .iter()
        .find(|p| starts_with_keyword(need, &[*p]))
        .map_or(need, |p| &need[p.len()..]);
    rest.trim().trim_end_matches('.').trim().to_string()
}

/// Is the code block a drawing or plain text (no language, `text`), not a program or a
/// markdown sample whose first line happens to compare two things?
fn drawn(start: &Event) -> bool {
    match start {
        Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(lang))) => {
            let lang = lang
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            ["", "text", "txt", "plain", "plaintext", "ascii", "diagram"].contains(&lang.as_str())
        }
        _ => true,
    }
}

/// Is a cell an identifier a reader may look up: one token with a digit, a dot or an
/// underscore among letters (`t3.micro`, `ml.m5.large`, `spark_udf`), not a number, a
/// size or a sentence?
fn is_identifier(cell: &str) -> bool {
    let t = cell.trim().trim_matches('`');
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    (2..=40).contains(&t.len())
        && !t.contains(char::is_whitespace)
        && letters >= 2
        && t.chars()
            .any(|c| c.is_ascii_digit() || c == '.' || c == '_')
        && t.chars()
            .all(|c| c.is_alphanumeric() || "._-:/".contains(c))
        && t.starts_with(char::is_alphabetic)
        && !t.ends_with('.')
}

fn cell(row: &[String], i: usize) -> String {
    row.get(i).cloned().unwrap_or_default()
}

/// The plain text of every cell, header row first.
fn table_rows(body: &[Spanned]) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cell: Option<Vec<Spanned>> = None;
    for (ev, r) in body {
        match ev {
            Event::Start(Tag::TableHead | Tag::TableRow) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => cell = Some(Vec::new()),
            Event::End(TagEnd::TableCell) => {
                let text = inline_text(&cell.take().unwrap_or_default());
                if let Some(row) = rows.last_mut() {
                    row.push(text);
                }
            }
            _ => {
                if let Some(c) = cell.as_mut() {
                    c.push((ev.clone(), r.clone()));
                }
            }
        }
    }
    rows
}

impl<'a> Step<'a> for Extract<'_> {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        ev: Spanned<'a>,
        inner: Upstream<'_, I>,
        out: &mut Out<'a>,
    ) {
        if let Some(marks) = self.replay {
            return self.replay(marks, ev, inner, out);
        }
        match ev.0 {
            Event::Start(Tag::Item) => self.item(ev, inner, out),
            Event::Start(Tag::Paragraph) => self.paragraph(ev, inner, out),
            Event::Start(Tag::Heading { .. }) => self.heading(ev, inner, out),
            Event::Start(Tag::CodeBlock(_)) => self.code(ev, inner, out),
            Event::Start(Tag::Table(_)) => self.table(ev, inner, out),
            _ => out.push_back(ev),
        }
    }

    fn handed_out(&mut self, (ev, _): &Spanned<'a>) {
        match ev {
            Event::Start(Tag::Item) => self.item_depth += 1,
            Event::Html(h) if h.starts_with("<li ") => self.item_depth += 1,
            Event::End(TagEnd::Item) => self.item_depth -= 1,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::adapter::Adapter;
    use super::*;
    use crate::markdown::callouts::Callouts;
    use pulldown_cmark::{html, Options, Parser, TextMergeWithOffset};

    use crate::testing::config;

    fn run(md: &str) -> (String, Facts) {
        let config = config();
        let ids = RefCell::new(IdSet::default());
        let roles = Roles::default();
        let mut callouts = Vec::new();
        let mut facts = Facts::default();
        let mut marks = Vec::new();
        let mut out = String::new();
        {
            let events = TextMergeWithOffset::new(
                Parser::new_ext(md, Options::ENABLE_TABLES).into_offset_iter(),
            );
            let events = Adapter::new(
                events,
                Callouts::new(&config.callout_prefixes, &ids, &roles, &mut callouts),
            );
            let events = Adapter::new(
                events,
                Extract::new(&config, &ids, &roles, &mut facts, &mut marks, None),
            );
            html::push_html(&mut out, events.map(|(e, _)| e));
        }
        (out, facts)
    }

    fn pairs(facts: &Facts) -> Vec<(&str, &str)> {
        facts
            .scenarios
            .iter()
            .map(|s| (s.text.as_str(), s.answer.as_str()))
            .collect()
    }

    fn header(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_verdict_is_not_a_choice() {
        assert!(!plausible("Small reference file opened in Excel", "Yes"));
        assert!(!plausible(
            "Audit export for a regulator",
            "Yes — human-readable"
        ));
        assert!(!plausible("Needs a cluster", "✓"));
        // "Yes | With SCC": the row's label is lost, its cells say nothing alone.
        assert!(!plausible("Yes", "With SCC"));
        assert!(!plausible("Regularly", "Right-sizing"));
        assert!(plausible("Streaming ingestion", "Kinesis"));
        assert!(!plausible("Z-ORDER on too many columns", "Max 3-4 columns"));
        assert!(plausible("Default behaviour", "None (default)"));
    }

    #[test]
    fn colon_items_state_a_need_and_a_choice_or_define() {
        for (item, need, choice) in [
            (
                "In-memory Database: ElastiCache",
                "In-memory Database",
                "ElastiCache",
            ),
            ("Hadoop Cluster: EMR", "Hadoop Cluster", "EMR"),
            (
                "CRR - Use cases: compliance, lower latency access",
                "compliance, lower latency access",
                "CRR",
            ),
            // Asides do not count towards the choice's length.
            (
                "Key/Value Database: DynamoDB (serverless) & DAX (cache for DynamoDB)",
                "Key/Value Database",
                "DynamoDB (serverless) & DAX (cache for DynamoDB)",
            ),
            (
                "Edge Locations (Points of Presence): for content delivery",
                "for content delivery",
                "Edge Locations",
            ),
            (
                "Single Instance deployment: good for dev",
                "good for dev",
                "Single Instance deployment",
            ),
            (
                "Savings Plans (1 & 3 years): commitment to an amount of usage, long workload",
                "commitment to an amount of usage, long workload",
                "Savings Plans",
            ),
        ] {
            assert_eq!(
                parse_colon_item(item),
                Some((need.to_string(), choice.to_string())),
                "{item}"
            );
        }
        for item in [
            "Availability Zones: Made of multiple data centers",
            "Neptune: graph database",
            "Athena: query data on Amazon S3 (serverless & SQL)",
            "Pricing: $5.00 per TB of data scanned",
            "Types of Customer Master Keys: CMK",
            "Storage classes: Standard, Intelligent-Tiering, Glacier",
            "Pie chart: Part-of-whole (3-5 slices only)",
            "Publish notebook: Share as HTML dashboard",
            "COPY INTO vs Auto Loader: when to pick which",
            // A choice of one common word is a label as likely as a name.
            "Note: for details see the guide",
            "AWS Region: N. Virginia (us-east-1)",
            "Domain 1: Cloud Concepts",
            "AWS Blogs: AWS Blogs",
        ] {
            assert_eq!(parse_colon_item(item), None, "{item}");
        }
    }

    #[test]
    fn arrow_forms() {
        assert_eq!(
            parse("\"Score nightly\" -> Batch Transform"),
            Some(("Score nightly".into(), "Batch Transform".into()))
        );
        assert_eq!(
            parse("“Curly” → Lake Formation."),
            Some(("Curly".into(), "Lake Formation".into()))
        );
        assert_eq!(
            parse("Plain need -> EKS"),
            Some(("Plain need".into(), "EKS".into()))
        );
        assert_eq!(
            parse("Chef or Puppet needed => AWS OpsWorks"),
            Some(("Chef or Puppet needed".into(), "AWS OpsWorks".into()))
        );
        assert_eq!(
            parse("\"Process a 2 GB file in Lambda\" = IMPOSSIBLE. Use ECS/Fargate or SageMaker Processing."),
            Some(("Process a 2 GB file in Lambda".into(), "IMPOSSIBLE. Use ECS/Fargate or SageMaker Processing".into()))
        );
        assert_eq!(
            parse("SageMaker Pipelines is the answer when the question asks about ML CI/CD."),
            Some((
                "the question asks about ML CI/CD".into(),
                "SageMaker Pipelines".into()
            ))
        );
    }

    #[test]
    fn recommendations_for_a_need() {
        for (item, need, choice) in [
            (
                "Use Job Clusters for scheduled jobs (40-60% cheaper)",
                "scheduled jobs",
                "Job Clusters",
            ),
            (
                "Model Monitor for drift detection",
                "drift detection",
                "Model Monitor",
            ),
            ("Kinesis for streaming", "streaming", "Kinesis"),
            // A need may open with an acronym, capitalised as any sentence writes it.
            ("Knowledge Bases for RAG", "RAG", "Knowledge Bases"),
            (
                "Use Snowcone where Snowball does not fit (space-constrained)",
                "Snowball does not fit",
                "Snowcone",
            ),
            (
                "Use `update_postimage` for the new values",
                "the new values",
                "`update_postimage`",
            ),
        ] {
            assert_eq!(
                parse_for_item(item),
                Some((need.to_string(), choice.to_string())),
                "{item}"
            );
        }
        for item in [
            "Workspace: Collaborative environment for data engineering",
            "Track CDC processing lag for monitoring",
            "Always set schemaLocation for schema tracking",
            "Volumes - for non-tabular file access",
            "Inference Tables = audit-of-record for any served endpoint",
            "The DDL for creating securables",
            "Pipelines for MLOps",
            "Use S3 bucket for policy to:",
            "Great for teams that need a long explanation of everything that happens here",
        ] {
            assert_eq!(parse_for_item(item), None, "{item}");
        }
    }

    #[test]
    fn a_row_whose_notes_say_what_it_suits() {
        let md = "| Launch Type | Price | Notes |\n|---|---|---|\n\
                  | **On-Demand Instance** | $0.096 | Pay-as-you-go. Ideal for short-term usage. |\n\
                  | **Savings Plans** | $0.058 | Flexible savings plan. |\n\
                  | **Spot Instances** | $0.028 | Can be interrupted. Best for flexible workloads. |\n";
        let (_, facts) = run(md);
        assert_eq!(
            pairs(&facts),
            [
                ("short-term usage", "On-Demand Instance"),
                ("flexible workloads", "Spot Instances")
            ]
        );
        assert_eq!(suited_need("Good value overall"), None);
    }

    #[test]
    fn a_choice_written_as_a_plain_word_is_weak() {
        for (item, need, choice) in [
            ("Pipelines for MLOps", "MLOps", "Pipelines"),
            (
                "Guardrails for content filtering",
                "content filtering",
                "Guardrails",
            ),
        ] {
            let found = for_item(item).unwrap();
            assert_eq!((found.need.as_str(), found.choice.as_str()), (need, choice));
            assert!(found.weak, "{item}");
        }
        let found = colon_item("Regions: For deploying applications and infrastructure").unwrap();
        assert_eq!(found.choice, "Regions");
        assert!(found.weak);
        // Neither a name nor a plain phrase: a sentence, an article, a number.
        for item in [
            "The DDL for creating securables",
            "45 questions for 90 minutes",
        ] {
            assert_eq!(for_item(item), None, "{item}");
        }
    }

    #[test]
    fn prose_is_not_a_scenario() {
        assert_eq!(
            parse("Real-Time = always on (like a running API server that costs money)"),
            None
        );
        assert_eq!(
            parse("x -> a very long answer that goes on and on and on and on"),
            None
        );
        assert_eq!(parse("set `a = B` in the config"), None);
        assert_eq!(
            parse("Compile once, run anywhere: each compiled model"),
            None
        );
    }

    #[test]
    fn scenario_table_rows_get_ids() {
        let (html, facts) = run("| Scenario | Service |\n|---|---|\n| Store images | ECR |\n| Run containers (simple) | ECS + Fargate |\n");
        assert_eq!(
            pairs(&facts),
            [
                ("Store images", "ECR"),
                ("Run containers (simple)", "ECS + Fargate")
            ]
        );
        assert!(
            html.contains("<tr id=\"sc-store-images\"><td>Store images</td><td>ECR</td></tr>"),
            "{html}"
        );
        assert!(
            html.contains("<tr id=\"sc-run-containers-simple\">"),
            "{html}"
        );
        assert_eq!(facts.tables.len(), 1);
    }

    #[test]
    fn ids_are_stable_when_rows_move() {
        let (_, a) = run("| When | Pick |\n|---|---|\n| one | Alpha |\n| two | Beta |\n");
        let (_, b) = run("| When | Pick |\n|---|---|\n| two | Beta |\n| one | Alpha |\n");
        let id = |f: &Facts, t: &str| f.scenarios.iter().find(|s| s.text == t).unwrap().id.clone();
        assert_eq!(id(&a, "two"), id(&b, "two"));
    }

    #[test]
    fn aligned_scenario_table_keeps_alignment() {
        let (html, _) = run("| Need | Tool |\n|:---|---:|\n| x | Y |\n");
        assert!(
            html.contains(
                "<td style=\"text-align: left\">x</td><td style=\"text-align: right\">Y</td>"
            ),
            "{html}"
        );
    }

    #[test]
    fn best_for_table() {
        let (_, facts) = run("| Type | Latency | Best For |\n|---|---|---|\n| Real-Time | ms | Production APIs, interactive apps |\n");
        assert_eq!(
            pairs(&facts),
            [("Production APIs, interactive apps", "Real-Time")]
        );
    }

    #[test]
    fn data_tables_do_not_qualify() {
        let c = config();
        // Header rows from the Databricks certification guide corpus.
        for h in [
            &["Domain", "Weight", "Questions"][..],
            &["#", "Answer", "#", "Answer"],
            &["Best for", "< 10K files/day", "> 10K files/day"],
            &["Question Format", "Multiple choice (single answer)"],
            &["File", "Topic", "Level", "Questions"],
            &["Slow startup", "Event logs", "Use instance pool"],
            &["Metric", "What It Tracks"],
            &["Feature", "Details"],
            // What a component is for describes it, unless a column names it a choice.
            &["Component", "Purpose", "Technology Example"],
            &["File", "Purpose"],
            &["Scenario", "Description"],
            &["User", "Scale"],
        ] {
            assert_eq!(classify(&header(h), &c), None, "{h:?}");
        }
        assert_eq!(
            classify(&header(&["Strategy", "Best For", "Pros", "Cons"]), &c),
            Some(Columns {
                scenario: 1,
                answer: 0
            })
        );
        assert_eq!(
            classify(&header(&["Scenario", "Recommended Technique", "Why?"]), &c),
            Some(Columns {
                scenario: 0,
                answer: 1
            })
        );
        // A column of needs and no column of choices: the row's first cell is the choice.
        for h in [
            &["Mode", "Description", "Use Case"][..],
            &["Issue", "Cause", "Solution"],
            &["Scenario", "Mode"],
            &["Use Case", "How Delta Lake Helps"],
            &["Layer", "Services"],
            &["Service", "Purpose"],
            &["Strategy", "Traffic", "Risk", "Purpose"],
            &["Option", "When"],
            &["Service", "When to Use"],
            &["Join", "When Used"],
            &["Clause", "Purpose", "When Triggered"],
        ] {
            assert!(classify(&header(h), &c).is_some(), "{h:?}");
        }
    }

    #[test]
    fn tables_that_name_one_column() {
        // A pattern's first step is its choice; a pair of columns needs one named.
        let (_, facts) = run("| Use Case | Pattern |\n|---|---|\n| Real-time event ingestion | Auto Loader → Bronze Delta table |\n");
        assert_eq!(
            pairs(&facts),
            [(
                "Real-time event ingestion",
                "Auto Loader → Bronze Delta table"
            )]
        );
        let (_, facts) =
            run("| Layer | Services |\n|---|---|\n| Identity | IAM, IAM Identity Center |\n");
        assert_eq!(pairs(&facts), [("Identity", "IAM, IAM Identity Center")]);
        let (_, facts) = run("| Service | Purpose | Data Type |\n|---|---|---|\n| Model Monitor | Drift detection | ML metrics |\n");
        assert_eq!(pairs(&facts), [("Drift detection", "Model Monitor")]);
        // An unnamed second column answers briefly, or it is a description.
        let (_, facts) = run("| When | Action |\n|---|---|\n| Day -60 | Start active study and focus on the features that are new since your last pass |\n| Outage | Fail over |\n");
        assert_eq!(pairs(&facts), [("Outage", "Fail over")]);
        // A flow in a column that is not a pattern is a path, not a choice.
        let (_, facts) = run("| Use Case | Service |\n|---|---|\n| Web tier | ALB → EC2 |\n");
        assert!(pairs(&facts).is_empty());
        // When to change a setting is a need only where it names the situation.
        let (_, facts) = run(
            "| Configuration | Default | When to Change |\n|---|---|---|\n\
                              | `adaptive.enabled` | true | Never disable |\n\
                              | `autoCompact.enabled` | false | Enable for streaming |\n",
        );
        assert_eq!(
            pairs(&facts),
            [("Enable for streaming", "`autoCompact.enabled`")]
        );
    }

    #[test]
    fn identifiers_that_key_a_table_row_are_listed() {
        let (_, facts) = run("| Instance | vCPUs |\n|---|---|\n| **t3.micro** | 2 |\n| `ml.m5.large` | 2 |\n| General purpose | 4 |\n| 2.5 | 1 |\n| v1. | 1 |\n");
        let keys: Vec<&str> = facts.listed.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["t3.micro", "ml.m5.large"]);
    }

    #[test]
    fn tip_list_and_paragraph() {
        let md = "**Exam tip:** Common scenario questions:\n\n- \"Intermittent traffic\" -> Serverless Inference\n- \"Score nightly\" -> Batch Transform\n\n**Exam tip:** When the question asks about data lakes → Lake Formation.\n";
        let (html, facts) = run(md);
        assert_eq!(
            pairs(&facts),
            [
                ("Intermittent traffic", "Serverless Inference"),
                ("Score nightly", "Batch Transform"),
                ("When the question asks about data lakes", "Lake Formation")
            ]
        );
        assert!(
            html.contains("<li id=\"sc-intermittent-traffic\">"),
            "{html}"
        );
        assert!(
            html.contains("<p id=\"sc-when-the-question-asks-about-data-lakes\">"),
            "{html}"
        );
        assert_eq!(facts.scenarios[0].role, Some(Role::Tip));
    }

    #[test]
    fn eli5_and_plain_paragraphs_never() {
        let md = "**ELI5:** Real-Time = SageMaker Endpoints.\n\n- Real-Time = SageMaker Endpoints\n- Real-Time = Always on\n\nPlain prose -> Answer here.\n\n> [!note]\n> - a -> Bedrock\n";
        let (_, facts) = run(md);
        // Only the plain list item naming a thing qualifies: ELI5 prose, a plain paragraph
        // and a note's list are not scenario places, and "Always on" is not a choice.
        assert_eq!(pairs(&facts), [("Real-Time", "SageMaker Endpoints")]);
    }

    #[test]
    fn a_choice_that_suits_a_need() {
        for (item, need, choice) in [
            (
                "ECS / Fargate is preferred for running arbitrary Docker images",
                "running arbitrary Docker images",
                "ECS / Fargate",
            ),
            (
                "RAG = open-book exam; fine-tuning = studying. RAG wins for current facts",
                "current facts",
                "RAG",
            ),
            (
                "Analyze data in S3 using serverless SQL, use Athena",
                "Analyze data in S3 using serverless SQL",
                "Athena",
            ),
            ("Encryption (KMS)", "Encryption", "KMS"),
            ("Audit logging (CloudTrail)", "Audit logging", "CloudTrail"),
        ] {
            assert_eq!(
                parse_suits_item(item),
                Some((need.to_string(), choice.to_string())),
                "{item}"
            );
        }
        for item in [
            "Protected health information (PHI)",
            "Identity and Access Management (IAM)",
            "Simple Storage Service (S3)",
            "Standardization (z-score)",
            "Search for errors (Ctrl+F)",
            "For data with unpredictable access patterns, you can use Which S3 storage class?",
            "Tags (Unicode key / value pair – up to 10)",
        ] {
            assert_eq!(parse_suits_item(item), None, "{item}");
        }
    }

    #[test]
    fn a_row_of_best_fors_names_each_columns_need() {
        let md = "| **Docker Containers** | **Virtual Machines (VMs)** |\n|---|---|\n\
                  | Starts in seconds | Slower startup |\n\
                  | Best for microservices & modern apps | Best for running multiple OS environments |\n";
        let (_, facts) = run(md);
        assert_eq!(
            pairs(&facts),
            [
                ("microservices & modern apps", "Docker Containers"),
                ("running multiple OS environments", "Virtual Machines (VMs)")
            ]
        );
    }

    #[test]
    fn a_markdown_sample_is_no_comparison() {
        let (_, facts) =
            run("```markdown\n## Z-order vs Liquid Clustering\n\nBoth co-locate rows.\n```\n");
        assert!(facts.comparisons.is_empty());
        let (_, facts) = run("```\n┌ S3 vs EBS ┐\n```\n");
        assert_eq!(facts.comparisons.len(), 1);
    }

    #[test]
    fn comparisons_from_headings_tables_and_diagrams() {
        let md = "## ECS vs EKS\n\n```text\nECS: simple\n```\n\n| Aspect | A vs B |\n|---|---|\n| x | y |\n\n```diagram\n┌──────────────┐\n│ Blue vs Green │\n└──────────────┘\n```\n\n## Other\n";
        let (_, facts) = run(md);
        let titles: Vec<&str> = facts.comparisons.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["ECS vs EKS", "A vs B", "Blue vs Green"]);
        assert!(
            matches!(facts.comparisons[0].body, Some(Block::Pre(ref p)) if p.contains("simple"))
        );
    }
}
