//! Terms: the headings that name something unique on the site, and front matter aliases,
//! found in any text by one automaton (longest match first, plurals and prefixes ignored).

use crate::config::Config;
use crate::index::Index;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::HashMap;
use std::ops::Range;

/// Headings that never name a term.
const GENERIC: &[&str] = &[
    "overview",
    "example",
    "examples",
    "summary",
    "introduction",
    "key points",
    "notes",
    "details",
    "features",
    "purpose",
    "concepts",
    "use cases",
    "references",
    "see also",
    "background",
    "prerequisites",
    "conclusion",
    "faq",
    "glossary",
    "tips",
    "resources",
    "further reading",
    "contents",
    "table of contents",
    "exam tips",
    "quick reference",
];

/// Trailing words that a name is still recognised without ("Canary Deployment" -> "Canary").
const GENERIC_TAILS: &[&str] = &["deployment", "inference"];

/// Something a note defines, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    pub(crate) name: String,
    pub(crate) page: usize,
    /// The defining heading's id; `None` for a note's alias (the note as a whole).
    pub(crate) id: Option<String>,
}

pub(crate) struct Terms {
    pub(crate) terms: Vec<Term>,
    automaton: Option<AhoCorasick>,
    /// The term each pattern stands for.
    owners: Vec<usize>,
}

fn strip_prefix<'t>(name: &'t str, prefixes: &[String]) -> Option<&'t str> {
    prefixes.iter().find_map(|p| {
        let head = name.get(..p.len())?;
        let rest = name[p.len()..].strip_prefix(' ')?;
        (head.eq_ignore_ascii_case(p) && !rest.trim().is_empty()).then(|| rest.trim())
    })
}

/// The forms a name is found by, most specific first.
fn forms(name: &str, prefixes: &[String]) -> Vec<String> {
    let mut base = vec![name.to_string()];
    if let Some(short) = strip_prefix(name, prefixes) {
        base.push(short.to_string());
    }
    for b in base.clone() {
        let lower = b.to_lowercase();
        for tail in GENERIC_TAILS {
            if let Some(head) = lower.strip_suffix(tail) {
                let head = head.trim_end();
                if head.len() >= 3 && head.contains(char::is_alphabetic) {
                    base.push(b[..head.len()].to_string());
                }
            }
        }
    }
    let mut out = Vec::new();
    for b in base {
        let lower = b.to_lowercase();
        if lower.len() < 2 {
            continue;
        }
        let plural = match lower.strip_suffix('s') {
            Some(singular) if singular.len() > 2 => singular.to_string(),
            _ => format!("{lower}s"),
        };
        out.push(lower);
        out.push(plural);
    }
    out
}

impl Terms {
    pub(crate) fn build(config: &Config, index: &Index) -> Terms {
        let mut count: HashMap<String, usize> = HashMap::new();
        for page in &index.pages {
            for h in &page.page.outline.headings {
                *count.entry(h.text.to_lowercase()).or_default() += 1;
            }
        }
        let mut terms = Vec::new();
        for (i, page) in index.pages.iter().enumerate() {
            for h in &page.page.outline.headings {
                let key = h.text.to_lowercase();
                if count[&key] == 1 && !GENERIC.contains(&key.as_str()) && !h.text.is_empty() {
                    terms.push(Term {
                        name: h.text.clone(),
                        page: i,
                        id: Some(h.id.clone()),
                    });
                }
            }
        }
        for (i, page) in index.pages.iter().enumerate() {
            for alias in &page.page.note.front.aliases {
                terms.push(Term {
                    name: alias.clone(),
                    page: i,
                    id: None,
                });
            }
        }
        // Each pattern belongs to the first term that claims it: full names before the
        // shorter forms, headings before aliases.
        let mut owner_of: HashMap<String, (usize, usize)> = HashMap::new();
        for (t, term) in terms.iter().enumerate() {
            for (rank, form) in forms(&term.name, &config.term_prefixes)
                .into_iter()
                .enumerate()
            {
                let rank = usize::from(rank >= 2);
                match owner_of.get(&form) {
                    Some(&(_, r)) if r <= rank => {}
                    _ => {
                        owner_of.insert(form, (t, rank));
                    }
                }
            }
        }
        let mut patterns: Vec<(String, usize)> =
            owner_of.into_iter().map(|(p, (t, _))| (p, t)).collect();
        patterns.sort();
        Terms::with_patterns(terms, patterns)
    }

    /// One automaton over every form of every term; `patterns` pairs a form with its term.
    fn with_patterns(terms: Vec<Term>, patterns: Vec<(String, usize)>) -> Terms {
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|(p, _)| p))
            .ok();
        Terms {
            terms,
            automaton,
            owners: patterns.into_iter().map(|(_, t)| t).collect(),
        }
    }

    /// Every known term in `text`, left to right, whole words only, none inside parentheses.
    pub(crate) fn find(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let lower = text.to_lowercase();
        // Lowercasing can change byte lengths outside ASCII; then match the text as it is.
        let hay = if lower.len() == text.len() {
            lower.as_str()
        } else {
            text
        };
        let parens = paren_ranges(text);
        ac.find_iter(hay)
            .filter(|m| is_word(text, m.start(), m.end()))
            .filter(|m| !parens.iter().any(|p| p.contains(&m.start())))
            .map(|m| (m.start()..m.end(), self.owners[m.pattern().as_usize()]))
            .collect()
    }
}

fn is_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

fn paren_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '(' => open.push(i),
            ')' => {
                if let Some(s) = open.pop() {
                    out.push(s..i + 1);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(names: &[&str]) -> Terms {
        let prefixes = vec!["AWS".to_string(), "Amazon".into(), "SageMaker".into()];
        let terms: Vec<Term> = names
            .iter()
            .enumerate()
            .map(|(i, n)| Term {
                name: n.to_string(),
                page: i,
                id: Some(format!("t{i}")),
            })
            .collect();
        let mut patterns = Vec::new();
        for (t, term) in terms.iter().enumerate() {
            for f in forms(&term.name, &prefixes) {
                if !patterns.iter().any(|(p, _)| *p == f) {
                    patterns.push((f, t));
                }
            }
        }
        Terms::with_patterns(terms, patterns)
    }

    fn found<'t>(t: &'t Terms, text: &str) -> Vec<&'t str> {
        t.find(text)
            .into_iter()
            .map(|(_, i)| t.terms[i].name.as_str())
            .collect()
    }

    #[test]
    fn links_each_known_part() {
        let t = terms(&[
            "Amazon ECS",
            "Fargate",
            "Canary Deployment",
            "Linear Deployment",
            "SageMaker Pipelines",
            "Amazon MWAA",
            "Inference Pipelines",
            "Production Variants",
        ]);
        assert_eq!(found(&t, "ECS + Fargate"), ["Amazon ECS", "Fargate"]);
        assert_eq!(
            found(&t, "Canary / Linear deployment"),
            ["Canary Deployment", "Linear Deployment"]
        );
        assert_eq!(
            found(&t, "IMPOSSIBLE. Use ECS/Fargate or SageMaker Processing"),
            ["Amazon ECS", "Fargate"]
        );
        assert_eq!(found(&t, "MWAA (Airflow)"), ["Amazon MWAA"]);
        assert_eq!(found(&t, "SageMaker Pipelines"), ["SageMaker Pipelines"]);
        assert_eq!(found(&t, "Inference Pipeline"), ["Inference Pipelines"]);
        assert_eq!(found(&t, "production variant"), ["Production Variants"]);
    }

    #[test]
    fn whole_words_and_parentheses() {
        let t = terms(&["ECS", "Airflow"]);
        assert!(found(&t, "ECSX and specs").is_empty());
        assert!(found(&t, "MWAA (Airflow)").is_empty());
    }
}
