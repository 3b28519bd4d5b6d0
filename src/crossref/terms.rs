//! Terms: the things the notes are about, and where each is defined. A term is a note's
//! subject (its title less what the titles of its folder share), a heading that names a
//! thing rather than a structure, a front matter alias, or a bold name the text defines,
//! with its abbreviation. One automaton finds every form of every term in any text; which
//! definition a mention means is chosen by locality (the same note, then the nearest
//! folder), and a mention that stays ambiguous, or is only a common word, links nowhere.

use crate::config::Config;
use crate::index::Index;
use crate::words::{all_common, is_common, looks_like_name};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Trailing words that a name is still recognised without ("Canary Deployment" -> "Canary").
const GENERIC_TAILS: &[&str] = &["deployment", "inference", "mode"];

/// The longest heading, in words, that can name a thing.
const MAX_NAME_WORDS: usize = 6;

/// In how many notes a heading of common words must recur to be structure ("Overview",
/// "Key Features", "Use Cases"): at least this many, and one note in [`STRUCTURE_SHARE`].
const STRUCTURE_NOTES: usize = 3;
/// Quizzes from which a page is a question bank (where they are also as many as half its
/// headings), whose title is no definition: a note that ends on a few questions stays one.
const QUESTION_BANK: usize = 3;
const STRUCTURE_SHARE: usize = 40;

/// How many different things a heading's last word must follow to be structure.
const TAIL_HEADS: usize = 4;

/// What a term is, least to most about it: a definition is a sentence of a section, a
/// heading a section, a subject or alias the whole note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Definition,
    Heading,
    Subject,
}

/// Something a note defines, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    pub(crate) name: String,
    pub(crate) page: usize,
    /// The defining heading's id; `None` for the note as a whole.
    pub(crate) id: Option<String>,
    pub(crate) kind: Kind,
    /// Is the name only part of what the heading says ("Consolidated Billing" of "AWS
    /// Organization - Consolidated Billing")? Then every form of it is indirect.
    pub(crate) derived: bool,
    /// Is the name its heading's text entire (not "Materialized View" of "Materialized
    /// View Performance")? A subject, alias or definition is.
    pub(crate) whole: bool,
    /// Read off a note's title less a word that ends many headings ("Streaming" of
    /// "Streaming Fundamentals", but also "MLflow" of "MLflow Tracking"): a scenario's
    /// answer may name the note by it, a mention in prose does not.
    pub(crate) answers_only: bool,
}

/// How well a candidate fits a mention, compared in order: on the same note (not a bold
/// name), its kind, the folders it shares, about the name as a whole, named by its
/// heading entire, the name itself.
type Closeness = (bool, Kind, usize, bool, bool, bool);

pub(crate) struct Terms {
    pub(crate) terms: Vec<Term>,
    automaton: Option<AhoCorasick>,
    /// The terms each pattern may mean, with how directly (0: the name itself).
    cands: Vec<Vec<(usize, u8)>>,
    /// Each page's folders, from the site root down.
    chains: Vec<Vec<usize>>,
    /// Each page's course: the folder that sets it apart (see [`courses`]).
    course: Vec<Option<usize>>,
    /// Names less their last word ("all-purpose" for "All-Purpose Clusters"), lower case:
    /// what a table's cell writes for a choice its column names the kind of. Only an answer
    /// that is such a head entire, and names nothing else, is looked up here.
    heads: ByKey,
    /// Names of two words or more by their words' stems: an answer that writes a name in
    /// another form ("Model Monitor" of "Model Monitoring") is looked up here.
    stems: ByKey,
    /// Per term: how much prose its section (or note) holds, in bytes outside code blocks:
    /// of two places equally near, the one with more to say is more about it.
    weight: Vec<u32>,
    /// Per term: the bytes of its note's body its section runs over (all of it for the
    /// note): of two places on one page, one may hold the other.
    span: Vec<Range<usize>>,
    /// Names that are a family of identifiers ("ml.m5.*" of "General Purpose (ml.m5.*)")
    /// by what every member starts with ("ml.m5."), lower case.
    globs: ByKey,
    /// Names of a kind ("Asynchronous Inference") by the first letters of their first word
    /// ("asyn"), for an answer that shortens that word ("Async"); see [`Terms::by_clipped`].
    clipped: ByKey,
}

/// The fewest letters an answer shortening a name's first word keeps ("Async").
const CLIPPED: usize = 4;

/// Candidate terms by a key made from their names, each with how directly it names them.
type ByKey = HashMap<String, Vec<(usize, u8)>>;

/// Each identifier family's term by the start its members share: "ml.m5." for "ml.m5.*".
fn globs(terms: &[Term]) -> ByKey {
    let mut globs: ByKey = HashMap::new();
    for (t, term) in terms.iter().enumerate() {
        let name = term.name.trim();
        if let Some(stem) = name.strip_suffix('*').filter(|s| s.ends_with('.')) {
            if !stem.contains(char::is_whitespace) && stem.len() > 1 {
                globs.entry(stem.to_lowercase()).or_default().push((t, 0));
            }
        }
    }
    globs
}

/// Each name of two words whose second is a generic tail ("Asynchronous Inference") by the
/// first [`CLIPPED`] letters of its first word, when that is longer than them.
fn clipped(terms: &[Term]) -> ByKey {
    let mut out: ByKey = HashMap::new();
    for (t, term) in terms.iter().enumerate() {
        let name = term.name.to_lowercase();
        let Some((first, tail)) = name.trim().split_once(' ') else {
            continue;
        };
        let word = first.chars().all(|c| c.is_ascii_alphabetic()) && first.len() > CLIPPED + 1;
        if word && GENERIC_TAILS.contains(&tail) {
            out.entry(first[..CLIPPED].to_string())
                .or_default()
                .push((t, 1));
        }
    }
    out
}

/// Candidates by head, each multi-word term's name less its last word ("all-purpose" of
/// "All-Purpose Clusters"), and by [`stem_key`].
fn heads_and_stems(terms: &[Term]) -> (ByKey, ByKey) {
    let mut heads: ByKey = HashMap::new();
    let mut stems: ByKey = HashMap::new();
    for (t, term) in terms.iter().enumerate() {
        let name = term.name.to_lowercase();
        if let Some(key) = stem_key(&name) {
            stems.entry(key).or_default().push((t, 0));
        }
        let Some((head, _)) = name.trim().rsplit_once(' ') else {
            continue;
        };
        let head = head.trim_end_matches(|c: char| !c.is_alphanumeric());
        // A head of one common word ("job", "deep") is a name only where the answer
        // writes it whole; two letters are too few to be one.
        if head.chars().filter(|c| c.is_alphanumeric()).count() >= 3 {
            heads.entry(head.to_string()).or_default().push((t, 1));
        }
    }
    (heads, stems)
}

/// A section's prose bytes and where it runs in its note's body.
type Section = (u32, Range<usize>);

/// Per page: the prose bytes of the whole note, and of each section by its heading's id
/// with its bytes in the body. A section runs to the next heading of its level or above.
fn prose_weights(index: &Index) -> Vec<(u32, HashMap<&str, Section>)> {
    index
        .pages
        .iter()
        .map(|placed| {
            let body = &placed.page.note.body;
            // Prose bytes before each line start.
            let mut starts = Vec::new();
            let mut before = Vec::new();
            let (mut at, mut prose, mut fence) = (0usize, 0u32, false);
            for line in body.split_inclusive('\n') {
                starts.push(at);
                before.push(prose);
                if crate::markdown::quiz::is_fence(line.trim_start()) {
                    fence = !fence;
                } else if !fence {
                    prose += u32::try_from(line.trim().len()).unwrap_or(u32::MAX);
                }
                at += line.len();
            }
            let upto = |offset: usize| match starts.binary_search(&offset) {
                Ok(i) => before[i],
                Err(0) => 0,
                Err(i) => before[i - 1],
            };
            let headings = &placed.page.outline.headings;
            // Each section's end: the next heading of its level or above, found with a stack
            // of the headings still open.
            let mut ends = vec![body.len(); headings.len()];
            let mut open: Vec<usize> = Vec::new();
            for (i, h) in headings.iter().enumerate() {
                while let Some(&o) = open.last().filter(|&&o| headings[o].level >= h.level) {
                    ends[o] = h.offset;
                    open.pop();
                }
                open.push(i);
            }
            let sections = headings
                .iter()
                .zip(ends)
                .map(|(h, end)| {
                    let prose = upto(end).saturating_sub(upto(h.offset));
                    (h.id.as_str(), (prose, h.offset..end))
                })
                .collect();
            (prose, sections)
        })
        .collect()
}

/// `name` less a vendor word it starts with ("IAM" of "AWS IAM"), trimmed; `None` when it
/// starts with none or is nothing more.
pub(crate) fn strip_prefix<'t>(name: &'t str, prefixes: &[String]) -> Option<&'t str> {
    prefixes.iter().find_map(|p| {
        let head = name.get(..p.len())?;
        let rest = name[p.len()..].strip_prefix(' ')?;
        (head.eq_ignore_ascii_case(p) && !rest.trim().is_empty()).then(|| rest.trim())
    })
}

/// The forms a name is found by, with how directly each names it (0: the name itself or
/// its plural; 1: the name less a vendor prefix or a generic tail).
///
/// `written` says whether a vendor word and what follows it are written in some note: a form
/// that puts a vendor word before a name no note writes so could never be found, and on a
/// site of many vendors those forms were most of the automaton.
fn forms(
    name: &str,
    prefixes: &[String],
    used: &[String],
    derived: bool,
    written: &dyn Fn(&str) -> bool,
) -> Vec<(String, u8)> {
    let direct = u8::from(derived);
    // Each with whether it puts a vendor word before the name.
    let mut base = vec![(name.to_string(), direct, false)];
    match strip_prefix(name, prefixes) {
        Some(short) => base.push((short.to_string(), 1, false)),
        // "SageMaker Data Wrangler" is also written "Amazon SageMaker Data Wrangler".
        None => base.extend(used.iter().map(|p| (format!("{p} {name}"), direct, true))),
    }
    for (b, _, vendored) in base.clone() {
        let lower = b.to_lowercase();
        for tail in GENERIC_TAILS {
            if let Some(head) = lower.strip_suffix(tail) {
                let head = head.trim_end();
                let head = b[..head.len()].trim_end_matches(|c: char| !c.is_alphanumeric());
                // "AWS Deployment" less its tail is only a vendor word.
                let vendor = prefixes.iter().any(|p| p.eq_ignore_ascii_case(head));
                if head.len() >= 3 && head.contains(char::is_alphabetic) && !vendor {
                    base.push((head.to_string(), 1, vendored));
                }
            }
        }
    }
    let mut out = Vec::new();
    for (b, rank, vendored) in base {
        let lower = b.to_lowercase();
        if lower.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            continue;
        }
        let plural = match lower.strip_suffix('s') {
            Some(singular) if singular.len() > 2 => singular.to_string(),
            _ => format!("{lower}s"),
        };
        for form in [lower.replace('-', " "), plural.replace('-', " ")] {
            if !vendored || written(&form) {
                out.push((form, rank));
            }
        }
    }
    out
}

/// What the notes write after each vendor word ("aws glue jobs ..."), lower case, so a form
/// "Vendor Name" is kept only where some note could hold it. Generous by design: markdown's
/// emphasis and code marks are left out on both sides and runs of space are one space, so
/// what the glossary reads of "AWS **Glue**" is found; a form too long, or with characters
/// the notes may write as entities or escapes, is always kept.
struct VendorPhrases {
    /// Every vendor word and up to [`VendorPhrases::LEN`] bytes after it, normalised, sorted.
    after: Vec<String>,
}

impl VendorPhrases {
    const LEN: usize = 160;

    fn of(index: &Index, used: &[String]) -> VendorPhrases {
        if used.is_empty() {
            return VendorPhrases { after: Vec::new() };
        }
        let words: Vec<String> = used
            .iter()
            .map(|p| format!("{} ", p.to_lowercase()))
            .collect();
        let mut after: Vec<String> = index
            .pages
            .par_iter()
            .flat_map_iter(|p| {
                let text = Self::normal(&p.page.note.original.to_lowercase().replace('-', " "));
                let mut found = Vec::new();
                for w in &words {
                    for (i, _) in text.match_indices(w.as_str()) {
                        let mut end = (i + w.len() + Self::LEN).min(text.len());
                        while !text.is_char_boundary(end) {
                            end -= 1;
                        }
                        found.push(text[i..end].to_string());
                    }
                }
                found
            })
            .collect();
        after.sort_unstable();
        after.dedup();
        VendorPhrases { after }
    }

    /// `text` without markdown's marks and HTML tags, each run of space one space.
    fn normal(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '<' && chars.peek().is_some_and(|n| n.is_alphabetic() || *n == '/') {
                chars.by_ref().find(|c| *c == '>');
                continue;
            }
            if "*_`[]~=".contains(c) {
                continue;
            }
            if c.is_whitespace() {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    /// May `form` (a vendor word and a name) be written in some note?
    fn has(&self, form: &str) -> bool {
        let form = form.to_lowercase().replace('-', " ");
        if form.len() > Self::LEN || form.contains(['&', '<', '>', '\\', '"', '\'']) {
            return true;
        }
        let form = Self::normal(&form);
        // Its plural is a form too: keep both where either is written.
        let stem = form.strip_suffix('s').unwrap_or(&form);
        let i = self.after.partition_point(|a| a.as_str() < stem);
        self.after.get(i).is_some_and(|a| a.starts_with(stem))
    }
}

/// A heading's text as a name: leading numbering and symbols, and a trailing colon, gone.
pub(crate) fn clean_heading(text: &str) -> &str {
    let t = text
        .trim()
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    let rest = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let t = if rest.len() < t.len() && rest.starts_with([' ', ')', ':', '-']) {
        rest.trim_start_matches([' ', ')', ':', '-', '.'])
    } else {
        t
    };
    t.trim().trim_end_matches(':').trim()
}

/// Can a heading's cleaned text name a thing (not a question, a comparison or a label)?
fn names_a_thing(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = words.first().map(|w| w.to_lowercase()).unwrap_or_default();
    !words.is_empty()
        && words.len() <= MAX_NAME_WORDS
        && !name.ends_with(['?', '!', '.'])
        && !name.contains(": ")
        && !crate::markdown::scenarios::is_comparison(name)
        && ![
            "what", "how", "why", "when", "which", "where", "who", "question",
        ]
        .contains(&first.as_str())
        && name.chars().next().is_some_and(char::is_alphanumeric)
}

/// The thing a heading asks about: "CloudFormation" of "What is CloudFormation?", "AWS
/// Lambda" of "Why AWS Lambda?"; a name, not a phrase of common words.
fn asked_about(heading: &str) -> Option<&str> {
    let rest = ["what is ", "what are ", "what's ", "why use ", "why "]
        .iter()
        .find_map(|q| {
            heading
                .get(..q.len())
                .filter(|h| h.eq_ignore_ascii_case(q))
                .map(|_| &heading[q.len()..])
        })?;
    let rest = rest.strip_suffix('?')?.trim();
    let rest = ["a ", "an ", "the "]
        .iter()
        .find_map(|a| rest.strip_prefix(a))
        .unwrap_or(rest);
    (names_a_thing(rest) && !all_common(rest)).then_some(rest)
}

/// What `name` names before its last word where that word is one of structure
/// (`is_tail`): "AWS Elastic Beanstalk" of "AWS Elastic Beanstalk Overview", "Streaming" of
/// "Streaming Fundamentals"; `None` when what is left names no thing or is structure too.
fn head_before_structure<'n>(
    name: &'n str,
    is_tail: &dyn Fn(&str) -> bool,
    structure: &dyn Fn(&str) -> bool,
) -> Option<&'n str> {
    let (head, last) = name.rsplit_once(' ')?;
    (is_tail(last) && names_a_thing(head) && !structure(head)).then_some(head)
}

/// `name` cut at every one of `seps`.
fn split_all<'n>(name: &'n str, seps: &[&str]) -> Vec<&'n str> {
    seps.iter().fold(vec![name], |parts, sep| {
        parts.iter().flat_map(|p| p.split(sep)).collect()
    })
}

/// Is `part` one common word ("Monitoring"), too vague to stand for its heading?
fn all_common_word(part: &str) -> bool {
    !part.contains(' ') && all_common(part)
}

/// "Name (other name)": the name and what the parentheses hold.
pub(crate) fn split_parens(name: &str) -> (&str, Option<&str>) {
    if let Some(open) = name.find(" (") {
        if let Some(inner) = name[open + 2..].strip_suffix(')') {
            if !inner.contains(['(', ')']) {
                return (name[..open].trim(), Some(inner.trim()));
            }
        }
    }
    (name, None)
}

/// Each page's folders, from the site root down.
fn chains(index: &Index) -> Vec<Vec<usize>> {
    index
        .pages
        .iter()
        .map(|p| {
            let mut chain = vec![p.section];
            while let Some(parent) = index.sections[*chain.last().unwrap_or(&0)].parent {
                chain.push(parent);
            }
            chain.reverse();
            chain
        })
        .collect()
}

/// Each page's course: its top folder, or, in a folder that holds two thirds of the notes
/// (`docs/`, `certifications/`), the folder below it. Pages of different courses may use
/// the same common words for different things.
fn courses(chains: &[Vec<usize>]) -> Vec<Option<usize>> {
    let total = chains.len().max(1);
    let mut dominant: HashSet<usize> = HashSet::new();
    let mut level = 1;
    loop {
        let mut count: HashMap<usize, usize> = HashMap::new();
        for chain in chains.iter().filter(|c| c.len() > level) {
            if (1..level).all(|d| dominant.contains(&chain[d])) {
                *count.entry(chain[level]).or_default() += 1;
            }
        }
        match count.into_iter().find(|&(_, n)| n * 3 >= total * 2) {
            Some((s, _)) => {
                dominant.insert(s);
                level += 1;
            }
            None => break,
        }
    }
    chains
        .iter()
        .map(|c| {
            let below = (1..c.len())
                .take_while(|&d| dominant.contains(&c[d]))
                .count();
            c.get(below + 1).copied()
        })
        .collect()
}

fn common_depth(a: &[usize], b: &[usize]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// The words the titles of one folder share at their start or end ("... - SAA-C03
/// Certification Guide"), found when most of the folder's titles (at least three) carry them.
fn shared_words(titles: &[Vec<String>], from_end: bool) -> usize {
    let n = titles.len();
    if n < 3 {
        return 0;
    }
    let need = (n * 3).div_ceil(5).max(3);
    let mut best = 0;
    for k in 1..=6 {
        let mut count: HashMap<Vec<String>, usize> = HashMap::new();
        for t in titles.iter().filter(|t| t.len() > k) {
            let part = if from_end {
                t[t.len() - k..].to_vec()
            } else {
                t[..k].to_vec()
            };
            *count.entry(part).or_default() += 1;
        }
        if count.values().copied().max().unwrap_or(0) >= need {
            best = k;
        } else {
            break;
        }
    }
    best
}

/// Each page's subject: its title less the words its folder's titles share.
fn subjects(index: &Index) -> Vec<String> {
    let words = |t: &str| -> Vec<String> { t.split_whitespace().map(str::to_lowercase).collect() };
    let mut by_section: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, p) in index.pages.iter().enumerate() {
        by_section.entry(p.section).or_default().push(i);
    }
    let mut out: Vec<String> = index.pages.iter().map(|p| p.title.clone()).collect();
    for pages in by_section.values() {
        let titles: Vec<Vec<String>> = pages
            .iter()
            .map(|&p| words(&index.pages[p].title))
            .collect();
        for from_end in [true, false] {
            let k = shared_words(&titles, from_end);
            if k == 0 {
                continue;
            }
            let mut count: HashMap<&[String], usize> = HashMap::new();
            for t in titles.iter().filter(|t| t.len() > k) {
                let part = if from_end { &t[t.len() - k..] } else { &t[..k] };
                *count.entry(part).or_default() += 1;
            }
            let Some((shared, _)) = count.into_iter().max_by_key(|(_, n)| *n) else {
                continue;
            };
            for &p in pages {
                let title = &out[p];
                let ws: Vec<&str> = title.split_whitespace().collect();
                let lower: Vec<String> = ws.iter().map(|w| w.to_lowercase()).collect();
                if ws.len() <= k {
                    continue;
                }
                let kept = if from_end && lower[ws.len() - k..] == *shared {
                    ws[..ws.len() - k].join(" ")
                } else if !from_end && lower[..k] == *shared {
                    ws[k..].join(" ")
                } else {
                    continue;
                };
                let seps: &[char] = &['-', '–', '—', '|', ':', ',', '·', ' '];
                let kept = kept.trim_matches(seps).to_string();
                if kept.chars().any(char::is_alphanumeric) {
                    out[p] = kept;
                }
            }
        }
    }
    out
}

/// How a found name is judged: in prose a common word links only when written as a name;
/// an answer that is the name entire is a choice however it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Prose,
    Answer,
}

impl Terms {
    pub(crate) fn build(config: &Config, index: &Index) -> Terms {
        let chains = chains(index);
        let course = courses(&chains);
        let mut notes_with: HashMap<String, usize> = HashMap::new();
        // Per last word of a longer heading: the notes and the distinct heads it ends.
        let mut tails: HashMap<String, (usize, HashSet<String>)> = HashMap::new();
        for page in &index.pages {
            let mut keys: HashSet<String> = HashSet::new();
            let mut ends: HashSet<String> = HashSet::new();
            for h in &page.page.outline.headings {
                let name = clean_heading(&h.text).to_lowercase();
                if let Some((head, last)) = name.rsplit_once(' ') {
                    if ends.insert(last.to_string()) {
                        tails.entry(last.to_string()).or_default().0 += 1;
                    }
                    if let Some(t) = tails.get_mut(last) {
                        t.1.insert(head.to_string());
                    }
                }
                keys.insert(name);
            }
            for k in keys {
                *notes_with.entry(k).or_default() += 1;
            }
        }
        let recurs = STRUCTURE_NOTES.max(index.pages.len() / STRUCTURE_SHARE);
        let structure = |name: &str| {
            notes_with
                .get(&name.to_lowercase())
                .is_some_and(|&n| n >= recurs)
                && all_common(name)
        };
        // A common word that ends headings of many notes about different things ("AWS RDS
        // Overview", "Redshift Overview", ... "Route 53 Overview") says what the section does
        // with its subject, not what it is.
        let structural_tail = |last: &str| {
            all_common(last)
                && tails
                    .get(&last.to_lowercase())
                    .is_some_and(|(notes, heads)| *notes >= recurs && heads.len() >= TAIL_HEADS)
        };
        let tail = |last: &str| structure(last) || structural_tail(last);
        let subjects = subjects(index);
        let mut title_heads: HashSet<(usize, String)> = HashSet::new();
        let mut terms = Vec::new();
        let prefixes = &config.term_prefixes;
        let mut push =
            |name: &str, page: usize, id: Option<&str>, kind: Kind, derived: bool, whole: bool| {
                let (outer, inner) = split_parens(name.trim());
                for n in std::iter::once(outer).chain(inner) {
                    let n = n.trim();
                    let fits = n.split_whitespace().count() <= MAX_NAME_WORDS
                        && !prefixes.iter().any(|p| p.eq_ignore_ascii_case(n));
                    if fits && n.chars().filter(|c| c.is_alphanumeric()).count() >= 2 {
                        terms.push(Term {
                            name: n.to_string(),
                            page,
                            id: id.map(str::to_string),
                            kind,
                            derived,
                            whole,
                            answers_only: false,
                        });
                    }
                    // "Views (Temporary)" glosses; "Billing Usage (system.billing.usage)"
                    // names the table, "AWS Points of Presence (Edge Locations)" the other
                    // name of the thing.
                    let identifier = |i: &str| !i.contains(' ') && i.contains(['.', '_']);
                    let title_case = |i: &str| {
                        i.split_whitespace().count() >= 2
                            && i.split_whitespace()
                                .all(|w| w.starts_with(char::is_uppercase))
                    };
                    if inner.is_some_and(|i| {
                        all_common(i)
                            && !i.split_whitespace().any(looks_like_name)
                            && !identifier(i)
                            && !title_case(i)
                    }) {
                        break;
                    }
                }
            };
        for (i, placed) in index.pages.iter().enumerate() {
            if super::is_repository_file(index, i) {
                continue;
            }
            let page = &placed.page;
            let subject = subjects[i].as_str();
            let file_like =
                ["readme", "index", "home", "_index"].contains(&subject.to_lowercase().as_str());
            // A bank of practice questions asks about its subject; the notes define it.
            let quizzes = page.outline.quizzes.len();
            let question_bank =
                quizzes >= QUESTION_BANK && quizzes * 2 >= page.outline.headings.len();
            if !file_like
                && !question_bank
                && !structure(subject)
                && names_a_thing(clean_heading(subject))
            {
                let name = clean_heading(subject);
                push(name, i, None, Kind::Subject, false, true);
                // "Streaming Fundamentals", "Partitioning Strategies": the note is about
                // what its title names before a word of structure, one word as it may be.
                if let Some(head) = head_before_structure(name, &tail, &structure) {
                    push(head, i, None, Kind::Subject, false, false);
                    title_heads.insert((i, head.to_string()));
                }
                // "A/B Testing and Canary Deployments": about each of the two as well,
                // though a section of the note named for one is more about it.
                let parts = split_all(name, &[" & ", " and ", ", "]);
                if parts.len() > 1 {
                    for part in parts.iter().map(|p| p.trim()) {
                        if names_a_thing(part) && !structure(part) && !all_common_word(part) {
                            push(part, i, None, Kind::Heading, true, false);
                        }
                    }
                }
            }
            for alias in &page.note.front.aliases {
                push(alias, i, None, Kind::Subject, false, true);
            }
            // The headings still open above the current one: (level, name, id).
            let mut open: Vec<(u8, &str, &str)> = Vec::new();
            for h in &page.outline.headings {
                let name = clean_heading(&h.text);
                let level = h.level;
                while open.last().is_some_and(|&(l, _, _)| l >= level) {
                    open.pop();
                }
                open.push((level, name, &h.id));
                let above = &open[..open.len() - 1];
                // "What is CloudFormation?", "Why AWS Lambda?": about the thing asked of.
                if let Some(thing) = asked_about(name) {
                    push(thing, i, Some(&h.id), Kind::Heading, false, true);
                }
                let is_title = h.level == 1
                    && (h.text.trim() == placed.title.trim() || name == clean_heading(subject));
                if is_title || structure(name) {
                    continue;
                }
                // "Route 53 - Diagram for A Record" is too long to be a name; its parts
                // may still be.
                let whole = names_a_thing(name);
                if !whole && !name.contains(" - ") {
                    continue;
                }
                if whole {
                    push(name, i, Some(&h.id), Kind::Heading, false, true);
                }
                // "Network ACL & Security Groups", "AWS Organization - Consolidated
                // Billing", "AWS Elastic Beanstalk Overview": each named part too.
                let parts = split_all(name, &[" & ", " and ", " - ", " – ", " — ", " / ", ", "]);
                // "AWS Elastic Beanstalk Overview" is about "AWS Elastic Beanstalk" as a
                // whole: that name is not a part.
                let head = head_before_structure(name, &tail, &structure);
                if let Some(head) = head.filter(|h| whole && !all_common_word(h)) {
                    // "Serverless" of "Serverless Options" under "Serverless Compute": the
                    // section above, named for the same thing, is about all of it.
                    // Not a comparison or a list that starts with it ("Job Clusters vs
                    // All-Purpose").
                    let starts_with_head = |n: &str| {
                        let rest = n
                            .get(..head.len())
                            .filter(|p| p.eq_ignore_ascii_case(head))
                            .map(|_| &n[head.len()..]);
                        let seps = [" vs", " versus", " & ", " and ", " or ", ",", "/", " - "];
                        rest.is_some_and(|r| r.starts_with(' ') && split_all(r, &seps).len() == 1)
                    };
                    let id = above
                        .iter()
                        .find(|&&(_, n, _)| starts_with_head(n))
                        .map_or(h.id.as_str(), |&(_, _, id)| id);
                    push(head, i, Some(id), Kind::Heading, false, false);
                }
                let seps = |c: char| !c.is_alphanumeric() && !")]".contains(c);
                for part in parts
                    .into_iter()
                    .map(|p| p.trim_matches(seps))
                    .filter(|p| *p != name)
                    .take(if whole { usize::MAX } else { 1 })
                {
                    if names_a_thing(part) && !structure(part) && !all_common_word(part) {
                        push(part, i, Some(&h.id), Kind::Heading, true, false);
                    }
                }
            }
            for d in &page.outline.facts.definitions {
                let named = d.abbr.is_some() || (d.says_is && !all_common(&d.name));
                if !named || structure(&d.name) || !names_a_thing(&d.name) {
                    continue;
                }
                push(
                    &d.name,
                    i,
                    d.section.as_deref(),
                    Kind::Definition,
                    false,
                    true,
                );
                if let Some(abbr) = &d.abbr {
                    push(abbr, i, d.section.as_deref(), Kind::Definition, false, true);
                }
            }
        }
        for t in &mut terms {
            t.answers_only = t.kind == Kind::Subject
                && !t.whole
                && title_heads.contains(&(t.page, t.name.clone()));
        }
        // The vendor words some term of this site starts with.
        let used: Vec<String> = config
            .term_prefixes
            .iter()
            .filter(|p| {
                terms
                    .iter()
                    .any(|t| strip_prefix(&t.name, std::slice::from_ref(p)).is_some())
            })
            .cloned()
            .collect();
        let after_vendor = VendorPhrases::of(index, &used);
        let written = |form: &str| after_vendor.has(form);
        // Each term's forms in parallel (the slow part), merged in the terms' order.
        let (each, weights) = rayon::join(
            || {
                let prefixes = &config.term_prefixes;
                terms
                    .par_iter()
                    .map(|term| forms(&term.name, prefixes, &used, term.derived, &written))
                    .collect::<Vec<_>>()
            },
            || prose_weights(index),
        );
        let mut by_form: HashMap<String, Vec<(usize, u8)>> = HashMap::new();
        for (t, forms) in each.into_iter().enumerate() {
            for (form, rank) in forms {
                let cands = by_form.entry(form).or_default();
                match cands.iter_mut().find(|(u, _)| *u == t) {
                    Some(c) => c.1 = c.1.min(rank),
                    None => cands.push((t, rank)),
                }
            }
        }
        let mut patterns: Vec<(String, Vec<(usize, u8)>)> = by_form.into_iter().collect();
        patterns.sort();
        let (weight, span) = terms
            .iter()
            .map(|t| {
                let (note, sections) = &weights[t.page];
                let whole = (*note, 0..index.pages[t.page].page.note.body.len());
                t.id.as_deref()
                    .map_or(Some(whole), |id| sections.get(id).cloned())
                    .unwrap_or((0, 0..0))
            })
            .unzip();
        let mut built = Terms::with_patterns(terms, patterns, chains, course);
        built.weight = weight;
        built.span = span;
        built
    }

    /// One automaton over every form of every term; `patterns` pairs a form with the terms
    /// it may mean.
    fn with_patterns(
        terms: Vec<Term>,
        patterns: Vec<(String, Vec<(usize, u8)>)>,
        chains: Vec<Vec<usize>>,
        course: Vec<Option<usize>>,
    ) -> Terms {
        // The automaton is built beside the maps of heads and stems.
        let (globs, clipped) = (globs(&terms), clipped(&terms));
        let (automaton, (heads, stems)) = rayon::join(
            || {
                AhoCorasickBuilder::new()
                    // The patterns are lower case and so is the text searched: a
                    // case-insensitive automaton would only be slower to build (a tenth
                    // of a warm build).
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(patterns.iter().map(|(p, _)| p))
                    .ok()
            },
            || heads_and_stems(&terms),
        );
        Terms {
            terms,
            automaton,
            cands: patterns.into_iter().map(|(_, c)| c).collect(),
            chains,
            course,
            heads,
            stems,
            weight: Vec::new(),
            span: Vec::new(),
            globs,
            clipped,
        }
    }

    /// The term an answer of one word names by shortening the first word of a kind's name
    /// ("Async" for "Asynchronous Inference"), resolved as any answer is.
    pub(crate) fn by_clipped(&self, answer: &str, page: Option<usize>) -> Option<usize> {
        let word = answer.trim().to_lowercase();
        // "Stream" is a word of its own, not "Streaming" shortened.
        if word.len() < CLIPPED
            || !word.chars().all(|c| c.is_ascii_alphabetic())
            || is_common(&word)
        {
            return None;
        }
        let cands: Vec<(usize, u8)> = self
            .clipped
            .get(&word[..CLIPPED])?
            .iter()
            .copied()
            .filter(|&(t, _)| {
                let name = self.terms[t].name.to_lowercase();
                let first = name.split(' ').next().unwrap_or("");
                first.len() > word.len() && first.starts_with(&word)
            })
            .collect();
        self.resolve(&cands, page, Mode::Answer)
    }

    /// The term whose family of identifiers holds `answer` ("ml.m5.large" in "ml.m5.*"),
    /// resolved as any answer is.
    pub(crate) fn by_glob(&self, answer: &str, page: Option<usize>) -> Option<usize> {
        let id = answer.trim().trim_matches('`').to_lowercase();
        if id.contains(char::is_whitespace) {
            return None;
        }
        // The longest family first: "ml.m5." before "ml.".
        id.match_indices('.')
            .map(|(i, _)| &id[..=i])
            .rev()
            .find_map(|stem| self.resolve(self.globs.get(stem)?, page, Mode::Answer))
    }

    /// The term an answer names by its head ("All-Purpose" in a column of cluster kinds for
    /// "All-Purpose Clusters"), resolved as any mention is; None when it names none or
    /// several places equally.
    /// `context` (the heading the scenario sits under) must name the kind: "Clusters" in
    /// "All-Purpose vs Job Clusters". Without it "SageMaker" would mean "SageMaker
    /// Endpoints" wherever no note is about SageMaker itself.
    pub(crate) fn by_head(
        &self,
        answer: &str,
        page: Option<usize>,
        context: &str,
    ) -> Option<usize> {
        let key = answer_key(answer);
        let context = context.to_lowercase();
        let all = self.heads.get(&key)?;
        let cands: Vec<(usize, u8)> = all
            .iter()
            .copied()
            .filter(|&(t, _)| {
                let name = self.terms[t].name.to_lowercase();
                let tail = name.rsplit(' ').next().unwrap_or("");
                let kind = tail
                    .strip_suffix('s')
                    .filter(|k| k.len() > 2)
                    .unwrap_or(tail);
                context.match_indices(kind).any(|(at, _)| {
                    is_word(&context, at, at + kind.len()) || {
                        let end = at + kind.len();
                        context[end..].starts_with('s') && is_word(&context, at, end + 1)
                    }
                })
            })
            .collect();
        // "IAM" for "IAM Security", "VPC" for "VPC Configuration": an acronym is a name
        // wherever it stands, whatever the heading above it; but not of a part of a
        // heading ("ASG Summary" of "ELB & ASG Summary").
        // A note whose title leads with it ("Z-ORDER Indexing and Data Skipping") is about
        // it before any section that does ("Z-ORDER Syntax" of another note).
        if cands.is_empty() && is_acronym(answer.trim().trim_matches('`')) {
            let note: Vec<(usize, u8)> = all
                .iter()
                .copied()
                .filter(|&(t, _)| self.terms[t].id.is_none())
                .collect();
            if let Some(t) = self.resolve(&note, page, Mode::Answer) {
                return Some(t);
            }
            let whole: Vec<(usize, u8)> = all
                .iter()
                .copied()
                .filter(|&(t, _)| !self.terms[t].derived)
                .collect();
            return self.resolve(&whole, page, Mode::Answer);
        }
        self.resolve(&cands, page, Mode::Answer)
    }

    /// The one term whose name starts with an answer of two words or more entire
    /// ("Serverless SQL" for "Serverless SQL Warehouses"), resolved as any answer is.
    pub(crate) fn by_prefix(&self, answer: &str, page: Option<usize>) -> Option<usize> {
        let key = answer_key(answer);
        if !key.contains(' ') {
            return None;
        }
        self.resolve(self.heads.get(&key)?, page, Mode::Answer)
    }

    /// The term an answer names entire in another form of its words ("Model Monitor" for
    /// "Model Monitoring"), resolved as any answer is.
    pub(crate) fn by_stem(&self, answer: &str, page: Option<usize>) -> Option<usize> {
        let answer = answer.trim().trim_matches('`').to_lowercase();
        let key = stem_key(&answer)?;
        let asked: Vec<&str> = name_words(&answer).collect();
        // Stems join derived words too ("optimized", "optimization"); a name in another
        // form only inflects them: one word is the other and an ending.
        let inflected = |t: usize| {
            let name = self.terms[t].name.to_lowercase();
            let named: Vec<&str> = name_words(&name).collect();
            asked.len() == named.len()
                && asked.iter().zip(&named).all(|(x, y)| {
                    let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
                    long.starts_with(short) && long.len() - short.len() <= 3
                })
        };
        let cands: Vec<(usize, u8)> = self
            .stems
            .get(&key)?
            .iter()
            .copied()
            .filter(|&(t, _)| inflected(t))
            .collect();
        self.resolve(&cands, page, Mode::Answer)
    }

    fn same_place(&self, a: usize, b: usize) -> bool {
        let (a, b) = (&self.terms[a], &self.terms[b]);
        a.page == b.page && a.id == b.id
    }

    /// Does `a`'s section hold `b`'s ("VPC Configuration" its "VPC Endpoints")?
    fn holds(&self, a: usize, b: usize) -> bool {
        let (Some(x), Some(y)) = (self.span.get(a), self.span.get(b)) else {
            return false;
        };
        self.terms[a].page == self.terms[b].page && x.start <= y.start && y.end <= x.end
    }

    /// Which of `cands` a mention on `page` means: the nearest (the same note, then the
    /// deepest shared folder), then the one most about it, then the most direct form. A tie
    /// between different places is no answer, but for an answer that is a name of both
    /// entire; a name of common words is never taken from another course by prose.
    fn resolve(&self, cands: &[(usize, u8)], page: Option<usize>, mode: Mode) -> Option<usize> {
        let mut best: Option<(Closeness, usize)> = None;
        let mut tie = false;
        for &(t, rank) in cands {
            let term = &self.terms[t];
            let key = match page {
                Some(p) if p < self.chains.len() && term.page < self.chains.len() => {
                    let same = term.page == p;
                    let other_course = self.course[term.page] != self.course[p];
                    if mode == Mode::Prose && term.answers_only {
                        continue;
                    }
                    if !same && other_course && mode == Mode::Prose && all_common(&term.name) {
                        continue;
                    }
                    let depth = common_depth(&self.chains[p], &self.chains[term.page]);
                    // A bold name in a sentence is weaker evidence than a heading or a
                    // note about it, even on the same page.
                    // Then a heading about it as a whole ("AWS RDS Overview") before one it
                    // is a part of ("Database Pricing - RDS").
                    (
                        same && term.kind != Kind::Definition,
                        term.kind,
                        depth,
                        !term.derived,
                        term.whole,
                        rank == 0,
                    )
                }
                _ => (false, term.kind, 0, !term.derived, term.whole, rank == 0),
            };
            match best {
                None => best = Some((key, t)),
                Some((k, _)) if key > k => {
                    best = Some((key, t));
                    tie = false;
                }
                // Of two sections of one note, the one that holds the other is about it all.
                Some((k, b)) if key == k && !self.same_place(b, t) && self.holds(t, b) => {
                    best = Some((key, t));
                }
                Some((k, b)) if key == k && !self.same_place(b, t) && self.holds(b, t) => {}
                // Two notes equally near that both define the answer's choice by the same
                // name ("Deep Clone" in two courses' Delta Lake notes) describe one thing:
                // the first is as right as the other. A mention in prose stays unlinked.
                Some((k, b)) if key == k && !self.same_place(b, t) && !key.0 => {
                    let same_name = self.terms[b].name.eq_ignore_ascii_case(&term.name);
                    let one_thing = mode == Mode::Answer
                        && (key.5 || same_name)
                        && (self.course.get(self.terms[b].page) == self.course.get(term.page)
                            || term.name.contains(' ')
                            || !all_common(&term.name));
                    tie |= !one_thing;
                    let weight = |t: usize| self.weight.get(t).copied().unwrap_or(0);
                    if one_thing && weight(t) > weight(b) {
                        best = Some((key, t));
                    }
                }
                _ => {}
            }
        }
        if tie {
            return None;
        }
        best.map(|(_, t)| t)
    }

    /// Every term named in `text` (on `page`, when known), left to right: whole words only,
    /// none inside parentheses or identifiers, each resolved to one definition.
    pub(crate) fn find(
        &self,
        text: &str,
        page: Option<usize>,
        mode: Mode,
    ) -> Vec<(Range<usize>, usize)> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let lower = text.to_lowercase();
        // Lowercasing can change byte lengths outside ASCII; then only ASCII letters are
        // lowered, so every match's range is the same in the text.
        let ascii;
        let hay = if lower.len() == text.len() {
            lower.as_str()
        } else {
            ascii = text.to_ascii_lowercase();
            ascii.as_str()
        };
        // "On-Demand Instances" is "On Demand Instance": a hyphen reads as a space, in the
        // patterns too (one byte for one, so ranges hold).
        let spaced;
        let hay = if hay.contains('-') {
            spaced = hay.replace('-', " ");
            spaced.as_str()
        } else {
            hay
        };
        let parens = paren_ranges(text);
        let whole = text.trim().trim_end_matches(['.', ',', ';']);
        ac.find_iter(hay)
            .filter(|m| is_word(text, m.start(), m.end()))
            .filter(|m| mode == Mode::Prose || !parens.iter().any(|p| p.contains(&m.start())))
            .filter(|m| {
                let entire = mode == Mode::Answer && text[m.range()].len() == whole.len();
                entire || written_as_name(text, m.range(), mode)
            })
            .filter_map(|m| {
                let t = self.resolve(&self.cands[m.pattern().as_usize()], page, mode)?;
                Some((m.start()..m.end(), t))
            })
            .collect()
    }
}

/// A word of capitals, maybe with digits and hyphens, that is no English word: "IAM",
/// "VPC", "Z-ORDER", "EC2".
fn is_acronym(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    // "WARN", "TRIGGERED": a word in capitals is still a word.
    letters >= 2
        && !is_common(word)
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        && word.starts_with(|c: char| c.is_ascii_uppercase())
}

/// An answer as the `heads` map keys it: lower case, without code ticks or a closing
/// stop.
fn answer_key(answer: &str) -> String {
    answer
        .trim()
        .trim_matches('`')
        .trim_end_matches(['.', ',', ';'])
        .to_lowercase()
}

/// The words of a name, a hyphen parting them as a space does.
fn name_words(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
}

/// A lower-case name of two words or more as its words' English stems, or `None`.
fn stem_key(name: &str) -> Option<String> {
    thread_local! {
        static STEMMER: rust_stemmers::Stemmer =
            rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    }
    let words: Vec<&str> = name_words(name).collect();
    // "A/B Test": a slash between letters is part of a word.
    let wordy = |w: &&str| {
        w.chars().all(|c| c.is_alphanumeric() || c == '/')
            && !w.starts_with('/')
            && !w.ends_with('/')
    };
    if words.len() < 2 || !words.iter().all(wordy) {
        return None;
    }
    STEMMER.with(|s| {
        let stems: Vec<_> = words.iter().map(|w| s.stem(w)).collect();
        Some(stems.join(" "))
    })
}

/// Is the mention at `range` a name as written: a word that is not common English, an
/// acronym or a word like `DynamoDB`, or common words capitalised mid-sentence (several
/// capitalised words even at a sentence's start)?
fn written_as_name(text: &str, range: Range<usize>, mode: Mode) -> bool {
    let s = &text[range.clone()];
    if !all_common(s) {
        return true;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.iter().any(|w| looks_like_name(w)) {
        return true;
    }
    // "a Linear deployment": the name is capitalised, its generic tail need not be.
    let last = words.len().saturating_sub(1);
    let capitalised = words.iter().enumerate().all(|(i, w)| {
        w.chars().next().is_some_and(char::is_uppercase)
            || is_small_word(w)
            || (i == last && i > 0 && GENERIC_TAILS.contains(&w.to_lowercase().as_str()))
    });
    if !capitalised {
        return false;
    }
    let before = text[..range.start].trim_end();
    // An answer starts with its choice, capitalised as a cell is, not with a sentence.
    let sentence_start = (before.is_empty() && mode == Mode::Prose)
        || before.ends_with([
            '.', '!', '?', ':', ';', '•', '|', '*', '>', '"', '“', '-', '–', '—',
        ]);
    !sentence_start || words.len() >= 2
}

/// "of", "and", "the": written small inside a name ("Infrastructure as Code").
pub(crate) fn is_small_word(w: &str) -> bool {
    [
        "of", "and", "the", "as", "for", "to", "in", "on", "a", "an", "with", "by",
    ]
    .contains(&w)
        && is_common(w)
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Is `start..end` a whole word, not part of an identifier (`a_b`, `mlflow.set_x`)?
pub(crate) fn is_word(text: &str, start: usize, end: usize) -> bool {
    let mut before = text[..start].chars().rev();
    let mut after = text[end..].chars();
    let (b1, b2) = (before.next(), before.next());
    let (a1, a2) = (after.next(), after.next());
    let dotted = |c: Option<char>, next: Option<char>| {
        matches!(c, Some('.')) && next.is_some_and(is_ident_char)
    };
    !b1.is_some_and(is_ident_char)
        && !a1.is_some_and(is_ident_char)
        && !dotted(b1, b2)
        && !dotted(a1, a2)
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

    #[test]
    fn a_vendor_form_is_kept_where_a_note_may_write_it() {
        let (_dir, _config, index, _) = crate::testing::index(&[(
            "a.md",
            "# A\n\nUse AWS **Glue** jobs, or <b>AWS</b> Lake-Formation.\n",
        )]);
        let written = VendorPhrases::of(&index, &["AWS".to_string()]);
        for form in [
            "aws glue",
            "aws glues",
            "aws glue jobs",
            "aws lake formation",
        ] {
            assert!(written.has(form), "{form}");
        }
        // A name no note writes after the vendor word is no form of it.
        assert!(!written.has("aws athena"));
        let used = ["AWS".to_string()];
        let forms = forms("Athena", &used, &used, false, &|f| written.has(f));
        assert_eq!(forms, vec![("athena".into(), 0), ("athenas".into(), 0)]);
    }

    #[test]
    fn a_head_names_the_section_above_that_is_named_for_it() {
        // "Options" ends headings of many notes: "Serverless Options" is about "Serverless",
        // and so is the "Serverless Compute" it sits in, all of it.
        let (_dir, config, index, _) = crate::testing::index(&[
            (
                "cost.md",
                "# Cost\n\n## Serverless Compute\n\nNo clusters.\n\n### Serverless Options\n\n\
                 Jobs and SQL.\n\n## Kinesis vs Kafka\n\nA.\n\n### Kinesis Options\n\nB.\n",
            ),
            (
                "a.md",
                "# A\n\n## Storage Options\n\nS.\n\n## Retry Options\n\nR.\n",
            ),
            ("b.md", "# B\n\n## Network Options\n\nN.\n"),
            ("c.md", "# C\n\n## Billing Options\n\nB.\n"),
            (
                "d.md",
                "# D\n\n| Need | Pick |\n|---|---|\n| x | Serverless |\n",
            ),
        ]);
        let t = Terms::build(&config, &index);
        let d = index.pages.iter().position(|p| p.page.note.rel == "d.md");
        let named = |text: &str| -> Vec<Option<String>> {
            t.find(text, d, Mode::Answer)
                .into_iter()
                .map(|(_, i)| t.terms[i].id.clone())
                .collect()
        };
        assert_eq!(
            named("Serverless"),
            [Some("serverless-compute".to_string())]
        );
        // A comparison that starts with the name is about two things.
        assert_eq!(named("Kinesis"), [Some("kinesis-options".to_string())]);
    }

    /// Terms on pages 0..n, every page in one folder.
    fn terms(names: &[&str]) -> Terms {
        let prefixes = vec!["AWS".to_string(), "Amazon".into(), "SageMaker".into()];
        let terms: Vec<Term> = names
            .iter()
            .enumerate()
            .map(|(i, n)| Term {
                name: n.to_string(),
                page: i,
                id: Some(format!("t{i}")),
                kind: Kind::Heading,
                derived: false,
                whole: true,
                answers_only: false,
            })
            .collect();
        let mut by_form: HashMap<String, Vec<(usize, u8)>> = HashMap::new();
        for (t, term) in terms.iter().enumerate() {
            for (f, rank) in forms(&term.name, &prefixes, &[], false, &|_| true) {
                by_form.entry(f).or_default().push((t, rank));
            }
        }
        let mut patterns: Vec<_> = by_form.into_iter().collect();
        patterns.sort();
        let chains = vec![vec![0]; names.len() + 1];
        let course = vec![None; names.len() + 1];
        Terms::with_patterns(terms, patterns, chains, course)
    }

    fn found<'t>(t: &'t Terms, text: &str) -> Vec<&'t str> {
        t.find(text, Some(t.terms.len()), Mode::Prose)
            .into_iter()
            .map(|(_, i)| t.terms[i].name.as_str())
            .collect()
    }

    #[test]
    fn a_hyphen_reads_as_a_space() {
        let t = terms(&["On Demand Instance", "X-Ray"]);
        assert_eq!(found(&t, "use On-Demand Instances"), ["On Demand Instance"]);
        assert_eq!(found(&t, "traced by X-Ray and X Ray"), ["X-Ray", "X-Ray"]);
    }

    #[test]
    fn an_identifier_names_the_family_it_belongs_to() {
        let t = terms(&["ml.m5.*", "ml.*", "ml.m5"]);
        let here = Some(t.terms.len());
        let name = |a: &str| t.by_glob(a, here).map(|i| t.terms[i].name.as_str());
        assert_eq!(name("ml.m5.large"), Some("ml.m5.*"));
        assert_eq!(name("`ml.m5.`"), Some("ml.m5.*"));
        assert_eq!(name("ml.c5.xlarge"), Some("ml.*"));
        assert_eq!(name("ml m5 large"), None);
        assert_eq!(name("db.r5.large"), None);
    }

    #[test]
    fn a_kind_is_named_by_a_shortening_of_its_first_word() {
        let t = terms(&[
            "Asynchronous Inference",
            "Real-time Inference",
            "Asynchronous Replication",
        ]);
        let here = Some(t.terms.len());
        assert_eq!(t.by_clipped("Async", here), Some(0));
        // Too short, not a shortening, or a name of no kind.
        assert_eq!(t.by_clipped("Asy", here), None);
        assert_eq!(t.by_clipped("Asynchronous", here), None);
        assert_eq!(t.by_clipped("Asyncx", here), None);
        let t = terms(&["Streaming Inference"]);
        assert_eq!(t.by_clipped("Stream", Some(1)), None);
    }

    #[test]
    fn acronyms_are_capitals_that_are_no_word() {
        assert!(is_acronym("IAM") && is_acronym("VPC") && is_acronym("Z-ORDER"));
        assert!(!is_acronym("WARN") && !is_acronym("TRIGGERED") && !is_acronym("Vpc"));
        assert!(!is_acronym("A") && !is_acronym("42"));
    }

    #[test]
    fn a_question_heading_is_about_what_it_asks_of() {
        assert_eq!(
            asked_about("What is CloudFormation?"),
            Some("CloudFormation")
        );
        assert_eq!(asked_about("Why AWS Lambda?"), Some("AWS Lambda"));
        assert_eq!(asked_about("What is an Amazon VPC?"), Some("Amazon VPC"));
        assert_eq!(asked_about("What is the difference?"), None);
        assert_eq!(asked_about("Why it matters"), None);
    }

    #[test]
    fn an_answer_names_a_term_by_its_head_where_the_heading_names_the_kind() {
        let t = terms(&["All-Purpose Clusters", "SageMaker Endpoints"]);
        let here = Some(t.terms.len());
        let found = t.by_head("All-Purpose", here, "All-Purpose vs Job Clusters");
        assert_eq!(
            found.map(|i| t.terms[i].name.as_str()),
            Some("All-Purpose Clusters")
        );
        assert_eq!(t.by_head("SageMaker", here, "Services comparison"), None);
        assert_eq!(t.by_head("Job", here, "All-Purpose vs Job Clusters"), None);
    }

    #[test]
    fn an_answer_of_several_words_names_the_term_it_starts() {
        let t = terms(&["Serverless SQL Warehouses", "Serverless", "Spot Instances"]);
        let here = Some(t.terms.len());
        let name = |i: Option<usize>| i.map(|i| t.terms[i].name.as_str());
        assert_eq!(
            name(t.by_prefix("Serverless SQL", here)),
            Some("Serverless SQL Warehouses")
        );
        // One word is a head only where the heading names the kind (`by_head`).
        assert_eq!(name(t.by_prefix("Spot", here)), None);
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
            found(&t, "IMPOSSIBLE. Use ECS/Fargate or SageMaker Processing"),
            ["Amazon ECS", "Fargate"]
        );
        assert_eq!(found(&t, "MWAA (Airflow)"), ["Amazon MWAA"]);
        assert_eq!(found(&t, "SageMaker Pipelines"), ["SageMaker Pipelines"]);
        assert_eq!(
            found(&t, "run an Inference Pipeline"),
            ["Inference Pipelines"]
        );
        assert_eq!(
            found(&t, "a Canary or Linear deployment"),
            ["Canary Deployment", "Linear Deployment"]
        );
    }

    #[test]
    fn whole_words_not_identifiers_or_parentheses() {
        let t = terms(&["ECS", "Airflow", "Registry"]);
        assert!(found(&t, "ECSX and specs").is_empty());
        assert!(t.find("MWAA (Airflow)", Some(3), Mode::Answer).is_empty());
        assert!(found(&t, "call mlflow.set_registry_uri first").is_empty());
        assert!(found(&t, "see airflow.cfg").is_empty());
    }

    #[test]
    fn common_words_link_only_when_written_as_names() {
        let t = terms(&["Data Streams", "Consumer", "Kinesis"]);
        assert!(found(&t, "the consumers read data streams").is_empty());
        assert_eq!(
            found(&t, "it feeds Data Streams and kinesis"),
            ["Data Streams", "Kinesis"]
        );
        assert!(found(&t, "Consumer groups share work.").is_empty());
        assert_eq!(found(&t, "a Java Consumer reads it"), ["Consumer"]);
        let answer = t.find("Consumer", Some(3), Mode::Answer);
        assert_eq!(answer.len(), 1);
    }

    #[test]
    fn the_nearest_definition_wins_and_a_tie_links_nowhere() {
        // Pages 0 and 1 in folder 1, page 2 in folder 2, page 3 in folder 3; all under 0.
        let terms_list = vec![
            Term {
                name: "Streams".into(),
                page: 0,
                id: None,
                kind: Kind::Heading,
                derived: false,
                whole: true,
                answers_only: false,
            },
            Term {
                name: "Streams".into(),
                page: 2,
                id: None,
                kind: Kind::Heading,
                derived: false,
                whole: true,
                answers_only: false,
            },
            Term {
                name: "Streams".into(),
                page: 3,
                id: None,
                kind: Kind::Heading,
                derived: false,
                whole: true,
                answers_only: false,
            },
        ];
        let patterns = vec![("streams".to_string(), vec![(0, 0), (1, 0), (2, 0)])];
        let chains = vec![vec![0, 1], vec![0, 1], vec![0, 2], vec![0, 3], vec![0, 4]];
        let courses = vec![Some(1), Some(1), Some(2), Some(3), Some(4)];
        let t = Terms::with_patterns(
            terms_list.clone(),
            patterns.clone(),
            chains.clone(),
            courses,
        );
        assert_eq!(t.find("use Streams here", Some(1), Mode::Answer)[0].1, 0);
        // Two courses' "Streams", equally far: which is meant is unknown.
        assert!(t.find("use Streams here", Some(4), Mode::Answer).is_empty());
        // Two notes of one course that both name it describe one thing.
        let t = Terms::with_patterns(terms_list, patterns, chains, vec![None; 5]);
        assert_eq!(t.find("Streams", Some(4), Mode::Answer)[0].1, 0);
        assert!(t.find("use Streams here", Some(4), Mode::Prose).is_empty());
    }

    #[test]
    fn a_title_less_its_tail_is_for_answers_not_prose() {
        let files: Vec<(String, String)> = ["Streaming", "Spark", "Delta", "Python"]
            .iter()
            .map(|t| {
                let l = t.to_lowercase();
                (
                    format!("{l}/{l}.md"),
                    format!("# {t} Fundamentals\n\nAbout {t}.\n"),
                )
            })
            .collect();
        let mut files: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        files.push(("streaming/jobs.md", "# Jobs\n\nWe run Streaming jobs.\n"));
        let (_dir, config, index, _) = crate::testing::index(&files);
        let t = Terms::build(&config, &index);
        let jobs = index
            .pages
            .iter()
            .position(|p| p.url.ends_with("jobs.html"))
            .unwrap();
        let streaming = |mode| {
            t.find("we run Streaming jobs", Some(jobs), mode)
                .iter()
                .map(|(_, u)| t.terms[*u].page)
                .collect::<Vec<_>>()
        };
        let page = index
            .pages
            .iter()
            .position(|p| p.url.ends_with("streaming/streaming.html"))
            .unwrap();
        assert_eq!(streaming(Mode::Answer), vec![page]);
        assert_eq!(streaming(Mode::Prose), Vec::<usize>::new());
    }

    #[test]
    fn titles_lose_the_words_their_folder_shares() {
        let titles: Vec<Vec<String>> = ["EC2 - SAA Guide", "S3 - SAA Guide", "VPC - SAA Guide"]
            .iter()
            .map(|t| t.split_whitespace().map(str::to_lowercase).collect())
            .collect();
        // "- SAA Guide": the separator goes with the shared words.
        assert_eq!(shared_words(&titles, true), 3);
        assert_eq!(shared_words(&titles, false), 0);
        assert_eq!(clean_heading("2. Amazon S3:"), "Amazon S3");
        assert_eq!(clean_heading("🎯 Exam Tips"), "Exam Tips");
        assert_eq!(clean_heading("S3 Glacier"), "S3 Glacier");
    }
}
