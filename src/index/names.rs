//! "Did you mean": the file name closest to one that is missing, looked up through a
//! trigram index so that a lookup scores a few likely names, never every file of the site.

use crate::diagnostic::did_you_mean;
use std::collections::HashMap;

/// Up to this many names, a lookup simply scores them all.
const SCAN_ALL: usize = 512;
/// The most trigram postings one lookup reads: the rarest trigrams first.
const POSTINGS_READ: usize = 4096;
/// The names sharing the most trigrams with the wanted one that are scored.
const SCORED: usize = 64;

/// File names, each once, with the names holding each trigram of their lowercase form.
pub(crate) struct Names {
    names: Vec<String>,
    grams: HashMap<[u8; 3], Vec<u32>>,
}

fn trigrams(lower: &str) -> impl Iterator<Item = [u8; 3]> + '_ {
    lower.as_bytes().windows(3).map(|w| [w[0], w[1], w[2]])
}

impl Names {
    pub(crate) fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Names {
        let mut names: Vec<String> = names.into_iter().map(str::to_string).collect();
        names.sort_unstable();
        names.dedup();
        let mut grams: HashMap<[u8; 3], Vec<u32>> = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            let mut seen: Vec<[u8; 3]> = trigrams(&name.to_lowercase()).collect();
            seen.sort_unstable();
            seen.dedup();
            for g in seen {
                grams.entry(g).or_default().push(i as u32);
            }
        }
        Names { names, grams }
    }

    /// The closest name to `wanted` (as [`did_you_mean`] scores them), if one is close.
    pub(crate) fn closest(&self, wanted: &str) -> Option<&str> {
        if self.names.len() <= SCAN_ALL {
            return did_you_mean(wanted, self.names.iter().map(String::as_str));
        }
        let lower = wanted.to_lowercase();
        let mut lists: Vec<&Vec<u32>> = trigrams(&lower)
            .filter_map(|g| self.grams.get(&g))
            .collect();
        lists.sort_by_key(|l| l.len());
        lists.dedup_by(|a, b| std::ptr::eq(*a, *b));
        let mut shared: HashMap<u32, u32> = HashMap::new();
        let mut read = 0;
        for list in lists {
            if read > 0 && read + list.len() > POSTINGS_READ {
                break;
            }
            read += list.len();
            for &i in list {
                *shared.entry(i).or_default() += 1;
            }
        }
        let mut best: Vec<(u32, u32)> = shared.into_iter().collect();
        best.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        best.truncate(SCORED);
        did_you_mean(
            wanted,
            best.iter().map(|&(i, _)| self.names[i as usize].as_str()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_site_is_scored_whole() {
        let names = Names::new(["feature-store.md", "training.md", "index.md"]);
        assert_eq!(names.closest("feature-stor.md"), Some("feature-store.md"));
        assert_eq!(names.closest("zzzzzz"), None);
    }

    #[test]
    fn a_large_site_finds_the_close_name_through_its_trigrams() {
        let many: Vec<String> = (0..5000).map(|i| format!("page-{i:05}.md")).collect();
        let mut all: Vec<&str> = many.iter().map(String::as_str).collect();
        all.push("sagemaker-endpoints.md");
        let names = Names::new(all.iter().copied());
        assert_eq!(
            names.closest("sagemaker-endpoint.md"),
            Some("sagemaker-endpoints.md")
        );
        assert_eq!(names.closest("page-01234.md"), Some("page-01234.md"));
    }
}
