//! The client-side search index: every page split at its h2/h3 headings, terms stemmed, and
//! the index cut into shards of consecutive terms (in the order of their keys, see
//! [`key_chars`]), small scripts that `static/search.js` loads on demand. The manifest lists
//! each shard's first key; a query finds a term's shard by binary search.
//!
//! The shards are JS (`__studysiteSearch.add(...)`) rather than JSON because `fetch` fails
//! from `file://`, while a `<script>` tag works everywhere. A query loads the manifest plus one
//! shard per word; a shard never grows past [`SHARD_BUDGET`] unless one term alone does, and a
//! term keeps only its [`MAX_POSTINGS`] best parts, so the first query stays small at any size.
//! A shard holds only part numbers and scores; what a result shows (URL, title, the start of
//! the part's text) is written once per part, in chunks of [`DOC_CHUNK`] parts that a query
//! loads for the results it shows, so the index stays smaller than the notes.
//! The tokenizer and stemmer here are mirrored line for line in `static/search.js`; both are
//! tested on the same word list (`tests/search_words.txt`).

use crate::content::Content;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Where the index lives in the output.
const DIR: &str = "static/search";
/// A shard holds consecutive terms up to this many bytes (more only for one term alone). Cut
/// by size, not by prefix, a site has few shards and none tiny: cut by prefix, the Databricks
/// guide had 380 of 3 kB on average, each a file to write and a request to make.
const SHARD_BUDGET: usize = 16 * 1024;
/// The parts kept for one term, best first: a result list shows far fewer.
const MAX_POSTINGS: usize = 100;
/// Parts per chunk of the part table: a chunk is some 7 kB, so the ten results a query shows
/// load at most 70 kB of it.
const DOC_CHUNK: usize = 24;
/// Characters of a part's text shown under its title in the results.
const SUMMARY_LEN: usize = 140;
/// A word in a part's title counts as this many in its text.
const TITLE_WEIGHT: f64 = 5.0;

/// Longer words are not indexed: a hex dump or a run of one letter is nothing anyone types.
const MAX_TERM_CHARS: usize = 48;

/// Words too common to index; the query drops them too.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "that", "the", "this", "to", "was", "with",
];

/// Chinese, Japanese and Korean characters: each is a term of its own.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff)
}

/// Lowercased words with the byte offset each starts at in `text`.
#[cfg(test)]
fn tokens(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    each_token(text, |word, start| out.push((word.clone(), start)));
    out
}

/// [`tokens`] without an allocation per word: `f` gets each word in a buffer it may change.
fn for_each_token(text: &str, mut f: impl FnMut(&mut String)) {
    each_token(text, |word, _| f(word));
}

fn each_token(text: &str, mut f: impl FnMut(&mut String, usize)) {
    let mut word = String::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if is_cjk(c) {
            if !word.is_empty() {
                f(&mut word, start);
                word.clear();
            }
            word.push(c);
            f(&mut word, i);
            word.clear();
        } else if c.is_alphanumeric() {
            if word.is_empty() {
                start = i;
            }
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                word.extend(c.to_lowercase());
            }
        } else if !word.is_empty() {
            f(&mut word, start);
            word.clear();
        }
    }
    if !word.is_empty() {
        f(&mut word, start);
    }
}

fn has_vowel(s: &str) -> bool {
    s.bytes().any(|b| b"aeiouy".contains(&b))
}

/// A small English suffix stripper: plurals, -ing/-ed, a few derivations, and a final y/e, so
/// `canary`/`canaries` and `deploy`/`deploying`/`deployments` meet. Not Porter; the same
/// rules run in `static/search.js`, which is what matters.
#[cfg(test)]
fn stem(word: &str) -> String {
    let mut s = word.to_string();
    stem_in_place(&mut s);
    s
}

/// [`stem`], in the word's own buffer.
fn stem_in_place(s: &mut String) {
    if s.len() < 4 || !s.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
    if s.ends_with("sses") {
        s.truncate(s.len() - 2);
    } else if s.ends_with("ies") {
        s.truncate(s.len() - 3);
        s.push('i');
    } else if s.ends_with('s') && !s.ends_with("ss") && !s.ends_with("us") && !s.ends_with("is") {
        s.pop();
    }
    for suffix in ["ing", "ed"] {
        let rest = s.len().saturating_sub(suffix.len());
        if s.ends_with(suffix) && rest >= 3 && has_vowel(&s[..rest]) {
            s.truncate(rest);
            let b = s.as_bytes();
            let n = b.len();
            if b[n - 1] == b[n - 2] && !b"aeiouylsz".contains(&b[n - 1]) {
                s.pop();
            }
            break;
        }
    }
    for (suffix, with) in [
        ("ization", "iz"),
        ("ation", ""),
        ("ment", ""),
        ("ness", ""),
        ("ly", ""),
    ] {
        if s.ends_with(suffix) && s.len() - suffix.len() >= 4 {
            s.truncate(s.len() - suffix.len());
            s.push_str(with);
            break;
        }
    }
    if s.len() >= 3 && s.ends_with('y') {
        s.pop();
        s.push('i');
    } else if s.len() >= 4 && s.ends_with('e') {
        s.pop();
    }
}

/// One heading-level part of a page: what a search result opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    /// The heading's id; `None` for the part before the first h2/h3.
    pub(crate) id: Option<String>,
    pub(crate) title: String,
    pub(crate) text: String,
}

/// Splits a rendered page at its `<h2 id>` and `<h3 id>` headings and strips the tags.
pub(crate) fn parts(page_title: &str, html: &str) -> Vec<Part> {
    let mut out = Vec::new();
    let mut current = Part {
        id: None,
        title: page_title.to_string(),
        text: String::new(),
    };
    let mut rest = html;
    while let Some(at) = find_heading(rest) {
        current.text = plain_text(&rest[..at]);
        let heading = &rest[at..];
        let close = heading.find("</h").unwrap_or(heading.len());
        let open_end = heading.find('>').map_or(close, |i| i + 1).min(close);
        let next = Part {
            id: attr(&heading[..open_end], "id"),
            title: plain_text(&heading[open_end..close]),
            text: String::new(),
        };
        out.push(std::mem::replace(&mut current, next));
        rest = &heading[close..];
        rest = rest.find('>').map_or("", |i| &rest[i + 1..]);
    }
    current.text = plain_text(rest);
    out.push(current);
    out.retain(|p| p.id.is_none() || !(p.text.is_empty() && p.title.is_empty()));
    out
}

/// The offset of the next `<h2` or `<h3` that has an id.
fn find_heading(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = html[from..].find("<h") {
        let at = from + i;
        let tag = &html[at..];
        if (tag.starts_with("<h2") || tag.starts_with("<h3"))
            && tag[3..].starts_with([' ', '>'])
            && attr(&tag[..tag.find('>').unwrap_or(tag.len())], "id").is_some()
        {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(decode_entities(&tag[start..start + len]))
}

/// Tags whose boundary is not a word boundary.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "code", "em", "i", "kbd", "mark", "s", "small", "span", "strong", "sub",
    "sup", "u", "del", "ins",
];

/// Visible text of an HTML fragment, whitespace collapsed.
fn plain_text(html: &str) -> String {
    let mut raw = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        raw.push_str(&rest[..lt]);
        let tag = &rest[lt + 1..];
        let gt = tag.find('>').map_or(tag.len(), |i| i + 1);
        let bare = tag.trim_start_matches('/');
        let name_len = bare
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        let name = &bare[..name_len];
        rest = &tag[gt.min(tag.len())..];
        let skip = ["script", "style"]
            .into_iter()
            .find(|n| name.eq_ignore_ascii_case(n));
        if let Some(n) = skip {
            let end = format!("</{n}");
            rest = rest.find(&end).map_or("", |i| &rest[i..]);
            rest = rest.find('>').map_or("", |i| &rest[i + 1..]);
        }
        if !INLINE.iter().any(|i| name.eq_ignore_ascii_case(i)) {
            raw.push(' ');
        }
    }
    raw.push_str(rest);
    decode_entities(&raw)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                _ => {
                    let n = name.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A searchable part as a result shows it: its URL (site-relative), the title shown and the
/// start of its text.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Doc {
    url: String,
    title: String,
    summary: String,
}

/// What one page contributes to the index: its parts and the terms in each. Computed per
/// page, so a rebuild can keep the pages that did not change. Each distinct term is held
/// once per page; a part's terms are indices into that list.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct PageSearch {
    docs: Vec<Doc>,
    terms: Vec<Box<str>>,
    /// Per part: (term index, weighted count) for each of its terms, and its length in words.
    hits: Vec<(Vec<(u32, f32)>, u32)>,
}

/// Splits page `i` into its parts and counts their terms.
pub(crate) fn page(url: &str, page_title: &str, html: &str) -> PageSearch {
    let mut vocabulary = Vocabulary::default();
    let mut docs = Vec::new();
    let mut hits = Vec::new();
    for part in parts(page_title, html) {
        hits.push(vocabulary.count(&part.text, &part.title));
        let (url, title) = match &part.id {
            Some(id) => (
                format!("{url}#{id}"),
                format!("{page_title} › {}", part.title),
            ),
            None => (url.to_string(), page_title.to_string()),
        };
        docs.push(Doc {
            url,
            title,
            summary: summary(&part.text),
        });
    }
    PageSearch {
        docs,
        terms: vocabulary.terms,
        hits,
    }
}

/// The distinct stemmed terms of one page, numbered in the order met.
#[derive(Default)]
struct Vocabulary {
    ids: FxHashMap<Box<str>, u32>,
    terms: Vec<Box<str>>,
}

impl Vocabulary {
    /// How often each term occurs in a part (its text, and its title words weighted), and
    /// the number of words in its text.
    fn count(&mut self, text: &str, title: &str) -> (Vec<(u32, f32)>, u32) {
        let mut tf: Vec<(u32, f32)> = Vec::new();
        let mut at: FxHashMap<u32, usize> = FxHashMap::default();
        let mut len = 0u32;
        let mut add = |word: &mut String, weight: f32, vocabulary: &mut Vocabulary| {
            let too_long =
                word.len() > MAX_TERM_CHARS && word.chars().nth(MAX_TERM_CHARS).is_some();
            if too_long || STOP_WORDS.contains(&word.as_str()) {
                return;
            }
            stem_in_place(word);
            let id = match vocabulary.ids.get(word.as_str()) {
                Some(&id) => id,
                None => {
                    let id = vocabulary.terms.len() as u32;
                    let term: Box<str> = word.as_str().into();
                    vocabulary.ids.insert(term.clone(), id);
                    vocabulary.terms.push(term);
                    id
                }
            };
            let slot = *at.entry(id).or_insert_with(|| {
                tf.push((id, 0.0));
                tf.len() - 1
            });
            tf[slot].1 += weight;
        };
        for_each_token(text, |word| {
            len += 1;
            add(word, 1.0, self);
        });
        for_each_token(title, |word| add(word, TITLE_WEIGHT as f32, self));
        (tf, len)
    }
}

/// The shard key of a term, one element per character: `[a-z0-9]` as itself, anything else
/// as `_hex_`, so every key is a safe file name and keys nest by prefix.
/// A term's key: ASCII, so both sides order keys alike (Rust by bytes, JS by UTF-16 units),
/// and every term that starts with a word has a key that starts with the word's key.
fn key_chars(term: &str) -> String {
    let mut key = String::with_capacity(term.len());
    for c in term.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            key.push(c);
        } else {
            key.push_str(&format!("_{:x}_", c as u32));
        }
    }
    key
}

struct TermEntry {
    term: String,
    key: String,
    /// (part, score), best first.
    postings: Vec<(u32, u32)>,
    /// Estimated bytes in a shard.
    size: usize,
}

/// The start of `text`, cut at a word boundary, with `…` when there is more.
fn summary(text: &str) -> String {
    let end = text
        .char_indices()
        .nth(SUMMARY_LEN)
        .map_or(text.len(), |(i, _)| i);
    if end == text.len() {
        return text.to_string();
    }
    let cut = text[..end].rfind(' ').filter(|&i| i > 0).unwrap_or(end);
    format!("{}…", &text[..cut])
}

/// Per term: its best (part, score) pairs, scored with BM25 over the part's text plus its
/// weighted title. Terms are numbered site-wide once (one lookup per distinct term of a
/// page), then counted and scored by number.
fn postings(pages: &[&PageSearch]) -> Vec<(String, Vec<(u32, u32)>)> {
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut terms: Vec<&str> = Vec::new();
    let local: Vec<Vec<u32>> = pages
        .iter()
        .map(|p| {
            p.terms
                .iter()
                .map(|t| {
                    *ids.entry(t).or_insert_with(|| {
                        terms.push(t);
                        terms.len() as u32 - 1
                    })
                })
                .collect()
        })
        .collect();
    let docs = || {
        pages
            .iter()
            .zip(&local)
            .flat_map(|(p, ids)| p.hits.iter().map(move |h| (h, ids)))
    };
    let n = pages.iter().map(|p| p.hits.len()).sum::<usize>().max(1) as f64;
    let avg_len = docs().map(|((_, l), _)| *l as f64).sum::<f64>() / n;
    let mut df = vec![0u32; terms.len()];
    for ((hits, _), ids) in docs() {
        for &(t, _) in hits {
            df[ids[t as usize] as usize] += 1;
        }
    }
    let (k1, b) = (1.2, 0.75);
    let idf: Vec<f64> = df
        .iter()
        .map(|&df| {
            let df = df as f64;
            (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
        })
        .collect();
    let mut lists: Vec<Vec<(u32, u32)>> =
        df.iter().map(|&d| Vec::with_capacity(d as usize)).collect();
    for (id, ((hits, len), ids)) in docs().enumerate() {
        let norm = k1 * (1.0 - b + b * *len as f64 / avg_len.max(1.0));
        for &(t, tf) in hits {
            let term = ids[t as usize] as usize;
            let tf = tf as f64;
            let score = idf[term] * tf * (k1 + 1.0) / (tf + norm);
            lists[term].push((id as u32, (score * 10.0).round() as u32));
        }
    }
    let mut out: Vec<(String, Vec<(u32, u32)>)> = terms
        .into_par_iter()
        .zip(lists)
        .map(|(term, mut list)| {
            list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(MAX_POSTINGS);
            (term.to_string(), list)
        })
        .collect();
    out.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Consecutive terms (`entries` in key order) in shards of at most [`SHARD_BUDGET`] bytes.
fn shard(entries: Vec<TermEntry>) -> Vec<Vec<TermEntry>> {
    let mut shards: Vec<Vec<TermEntry>> = Vec::new();
    let mut size = 0;
    for e in entries {
        match shards.last_mut() {
            Some(last) if size + e.size <= SHARD_BUDGET => {
                size += e.size;
                last.push(e);
            }
            _ => {
                size = e.size;
                shards.push(vec![e]);
            }
        }
    }
    shards
}

#[derive(Serialize)]
struct ShardData<'a> {
    /// Term -> [part, score, part, score, ...], best first.
    t: BTreeMap<&'a str, Vec<u32>>,
}

#[derive(Serialize)]
struct Manifest<'a> {
    /// The first key of each shard: shard `i` is `t-{i}.js`.
    shards: Vec<&'a str>,
    docs: usize,
    /// Parts per chunk of the part table: part `i` is in `d-{i / chunk}.js`.
    chunk: usize,
}

/// The search index files: `static/search/index.js` (the list of shards), one
/// `static/search/t-N.js` per shard and one `static/search/d-N.js` per chunk of the part
/// table (each part's [url, title, summary]). `pages` in reading order.
pub(crate) fn files(pages: &[&PageSearch]) -> Vec<(String, Content)> {
    let docs: Vec<&Doc> = pages.iter().flat_map(|p| &p.docs).collect();
    let mut entries: Vec<TermEntry> = postings(pages)
        .into_iter()
        .map(|(term, postings)| TermEntry {
            key: key_chars(&term),
            size: term.len() + 6 + postings.len() * 9,
            term,
            postings,
        })
        .collect();
    entries.par_sort_unstable_by(|a, b| a.key.cmp(&b.key));
    let shards = shard(entries);
    let mut out = Vec::with_capacity(shards.len() + docs.len() / DOC_CHUNK + 2);
    for (n, terms) in shards.iter().enumerate() {
        let t = terms
            .iter()
            .map(|e| {
                let flat = e.postings.iter().flat_map(|&(d, s)| [d, s]).collect();
                (e.term.as_str(), flat)
            })
            .collect();
        out.push((
            format!("{DIR}/t-{n}.js"),
            script(&format!("\"t-{n}\""), &ShardData { t }),
        ));
    }
    let chunks: Vec<(String, Content)> = docs
        .par_chunks(DOC_CHUNK)
        .enumerate()
        .map(|(n, chunk)| {
            let table: Vec<(&str, &str, &str)> = chunk
                .iter()
                .map(|d| (d.url.as_str(), d.title.as_str(), d.summary.as_str()))
                .collect();
            (
                format!("{DIR}/d-{n}.js"),
                script(&format!("\"d-{n}\""), &table),
            )
        })
        .collect();
    out.extend(chunks);
    let manifest = Manifest {
        shards: shards.iter().map(|s| s[0].key.as_str()).collect(),
        docs: docs.len(),
        chunk: DOC_CHUNK,
    };
    out.push((format!("{DIR}/index.js"), script("\"\"", &manifest)));
    out
}

fn script(key: &str, data: &impl Serialize) -> Content {
    let json = serde_json::to_string(data).unwrap_or_else(|_| "null".into());
    Content::Bytes(
        format!("__studysiteSearch.add({key},{json});\n")
            .into_bytes()
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `word stem` per line, shared with the JS stemmer's test.
    const WORDS: &str = include_str!("../tests/search_words.txt");

    #[test]
    fn stems_match_the_shared_list() {
        for line in WORDS
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let (word, want) = line.split_once(' ').unwrap();
            assert_eq!(stem(word), want.trim(), "stem({word})");
        }
    }

    #[test]
    fn tokens_split_cjk_by_character() {
        let t: Vec<String> = tokens("SageMaker 模型部署, Canary's")
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(t, ["sagemaker", "模", "型", "部", "署", "canary", "s"]);
    }

    #[test]
    fn splits_pages_at_h2_and_h3() {
        let html = "<h1>T</h1><p>Intro &amp; more</p>\n<h2 id=\"canary-deployment\">Canary <em>Deployment</em><a class=\"anchor\" href=\"#canary-deployment\"></a></h2>\n<p>A small <code>slice</code></p><h3 id=\"x\">X</h3><p>y</p><h4 id=\"z\">Z</h4><p>w</p>";
        let p = parts("Page", html);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].text, "T Intro & more");
        assert_eq!(p[1].id.as_deref(), Some("canary-deployment"));
        assert_eq!(p[1].title, "Canary Deployment");
        assert_eq!(p[1].text, "A small slice");
        assert_eq!(p[2].text, "y Z w");
    }

    #[test]
    fn summaries_end_at_a_word() {
        assert_eq!(summary("short text"), "short text");
        let long = "word ".repeat(60);
        let s = summary(&long);
        assert!(
            s.ends_with("word…") && s.chars().count() <= SUMMARY_LEN + 1,
            "{s}"
        );
    }

    #[test]
    fn shards_hold_numbers_and_the_part_table_is_written_once() {
        let a = page(
            "a.html",
            "A",
            "<p>canary deploy</p><h2 id=\"x\">X</h2><p>canary again</p>",
        );
        let b = page("b.html", "B", "<p>blue green canary</p>");
        let files = files(&[&a, &b]);
        let text = |name: &str| {
            let (_, c) = files.iter().find(|(n, _)| n.ends_with(name)).unwrap();
            match c {
                Content::Bytes(b) => String::from_utf8(b.to_vec()).unwrap(),
                _ => unreachable!(),
            }
        };
        let shard = text("/t-0.js");
        assert!(shard.contains("\"canari\":["), "{shard}");
        assert!(!shard.contains("html"), "{shard}");
        let table = text("/d-0.js");
        assert!(table.contains("[\"a.html#x\",\"A › X\","), "{table}");
        assert_eq!(table.matches("b.html").count(), 1, "{table}");
        assert!(text("/index.js").contains("\"chunk\":24"));
    }

    #[test]
    fn keys_nest_by_prefix() {
        assert_eq!(key_chars("ab1"), "ab1");
        assert_eq!(key_chars("模型"), "_6a21__578b_");
        assert!(key_chars("模型x").starts_with(&key_chars("模型")));
    }

    #[test]
    fn shards_are_consecutive_terms_within_the_budget() {
        let entries = (0..5000)
            .map(|i| {
                let term = format!("w{i:05}");
                TermEntry {
                    key: key_chars(&term),
                    size: 40,
                    term,
                    postings: Vec::new(),
                }
            })
            .collect();
        let shards = shard(entries);
        assert_eq!(shards.len(), (5000 * 40usize).div_ceil(SHARD_BUDGET));
        assert!(shards.iter().all(|s| s.len() * 40 <= SHARD_BUDGET));
        let keys: Vec<&str> = shards.iter().flatten().map(|e| e.key.as_str()).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }
}
