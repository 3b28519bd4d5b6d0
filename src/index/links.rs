//! Link resolution as seen from one page: note paths, wikilink names, anchors, copied
//! files and the generated pages, each checked against the index.

use super::{slug_dir, Index, Target};
use crate::diagnostic::did_you_mean;
use crate::markdown::links::{LinkKind, Wanted};
use crate::markdown::{LinkResolver, Resolved};
use crate::slug::{heading_id, slug};
use crate::url::{is_external, join, parent_dir, relative, PATH_ESCAPES};
use percent_encoding::{percent_decode_str, utf8_percent_encode};
use std::collections::HashSet;

/// Resolves links as seen from one page.
pub(crate) struct PageLinks<'a> {
    index: &'a Index,
    page: usize,
}

impl<'a> PageLinks<'a> {
    pub(crate) fn new(index: &'a Index, page: usize) -> Self {
        PageLinks { index, page }
    }
}

fn missing_anchor(page: &str, frag: &str, dest: &str, url: String) -> Resolved {
    Resolved::Missing {
        url,
        message: format!("link to missing anchor `{dest}`"),
        wanted: Wanted::Anchor {
            page: page.to_string(),
            id: frag.to_string(),
        },
    }
}

/// Joins a relative link to the folder it was written in, folding `.` and `..`.
fn normalize(base_dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        base_dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

impl PageLinks<'_> {
    /// The page a wikilink name means, as Obsidian picks it: a path or file name before an
    /// alias before a title; among equals, a note in this note's folder, then the one
    /// with the shortest path.
    fn named(&self, key: &str) -> Option<usize> {
        let here = parent_dir(&self.index.pages[self.page].page.note.rel);
        let rel = |i: usize| self.index.pages[i].page.note.rel.as_str();
        self.index
            .by_name
            .get(key)?
            .iter()
            .min_by_key(|&&(rank, i)| {
                (
                    rank,
                    parent_dir(rel(i)) != here,
                    rel(i).matches('/').count(),
                    i,
                )
            })
            .map(|&(_, i)| i)
    }

    fn here(&self) -> &str {
        &self.index.pages[self.page].url
    }

    /// A copied file's URL from this page, escaped, with an optional fragment.
    fn asset_url(&self, out: &str, fragment: Option<&str>) -> String {
        let rel = relative(self.here(), out);
        let mut url = utf8_percent_encode(&rel, PATH_ESCAPES).to_string();
        if let Some(f) = fragment {
            url.push('#');
            url.push_str(f);
        }
        url
    }

    /// A copied file named as Obsidian names it: by its path from the notes folder, or by its
    /// file name alone wherever it is (the first in path order when several share it).
    fn asset_named(&self, name: &str) -> Option<&str> {
        if let Some(out) = self.index.assets.get(name) {
            return Some(out);
        }
        let wanted = name.rsplit('/').next().unwrap_or(name);
        self.index.asset_by_file_name(wanted)
    }

    fn to_target(&self, t: Target, fragment: Option<&str>, dest: &str) -> Resolved {
        let mut url = relative(self.here(), self.index.url(t));
        if let Some(frag) = fragment {
            url.push('#');
            url.push_str(frag);
            if let Target::Page(p) = t {
                if !frag.is_empty() && !self.index.has_id(p, frag) {
                    return self.missing_anchor(p, frag, dest, url);
                }
            }
        }
        Resolved::Url(url)
    }

    /// A link to a generated page, its anchor checked against the ids the page will carry.
    fn to_generated(&self, to: &str, fragment: Option<&str>, dest: &str) -> Resolved {
        let mut url = relative(self.here(), to);
        if let Some(frag) = fragment {
            url.push('#');
            url.push_str(frag);
            if !frag.is_empty() && !self.index.generated[to].contains(frag) {
                return missing_anchor(to, frag, dest, url);
            }
        }
        Resolved::Url(url)
    }

    /// The generated page a link names: by its path, or from any folder by its bare name,
    /// written as the page (`flashcards.html`) or as a note would be (`flashcards.md`).
    fn generated(&self, target: &str, written: &str) -> Option<String> {
        let name = if written.contains('/') {
            target
        } else {
            written
        };
        let stem = name
            .strip_suffix(".md")
            .or_else(|| name.strip_suffix(".html"));
        let url = format!("{}.html", stem.unwrap_or(name));
        self.index.generated.contains_key(&url).then_some(url)
    }

    fn missing_anchor(&self, p: usize, frag: &str, dest: &str, url: String) -> Resolved {
        missing_anchor(&self.index.pages[p].url, frag, dest, url)
    }

    fn missing(&self, dest: &str, path: &str, what: &str) -> Resolved {
        let wanted = path.rsplit('/').next().unwrap_or(path);
        Resolved::Missing {
            url: dest.to_string(),
            message: format!("{what} `{dest}`"),
            wanted: Wanted::File(wanted.to_string()),
        }
    }
}

impl LinkResolver for PageLinks<'_> {
    fn suggest(&self, wanted: &Wanted) -> Option<String> {
        match wanted {
            Wanted::File(name) => self
                .index
                .file_names()
                .closest(name)
                .map(|c| format!("did you mean `{c}`?")),
            Wanted::Anchor { page, id } => {
                let ids: &HashSet<String> = match self.index.by_url.get(page.as_str()) {
                    Some(&Target::Page(p)) => &self.index.ids[p],
                    _ => self.index.generated.get(page.as_str())?,
                };
                did_you_mean(id, ids.iter().map(String::as_str))
                    .map(|c| format!("did you mean `#{c}`?"))
            }
        }
    }

    fn resolve(&self, dest: &str, kind: LinkKind) -> Resolved {
        if dest.is_empty() || is_external(dest) {
            return Resolved::External;
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        let decoded = percent_decode_str(path).decode_utf8_lossy();
        let fragment_decoded = fragment.map(|f| percent_decode_str(f).decode_utf8_lossy());
        if kind == LinkKind::WikiLink {
            let key = decoded.trim().trim_end_matches(".md").to_lowercase();
            let target = if key.is_empty() {
                Some(self.page)
            } else {
                self.named(&key)
                    .or_else(|| self.named(key.rsplit('/').next().unwrap_or("")))
            };
            let frag = fragment_decoded.as_deref().map(heading_id);
            return match target {
                Some(p) => self.to_target(Target::Page(p), frag.as_deref(), dest),
                None => match self.generated("", &slug(&key)) {
                    Some(url) => self.to_generated(&url, frag.as_deref(), dest),
                    None => match self.asset_named(decoded.trim()) {
                        Some(out) => Resolved::Url(self.asset_url(out, None)),
                        None => self.missing(dest, &decoded, "link to missing note"),
                    },
                },
            };
        }
        if path.is_empty() {
            let frag = fragment_decoded.as_deref().unwrap_or("");
            if frag.is_empty() || self.index.has_id(self.page, frag) {
                return Resolved::External;
            }
            return self.missing_anchor(self.page, frag, dest, dest.to_string());
        }
        let base = parent_dir(&self.index.pages[self.page].page.note.rel);
        let Some(target) = normalize(base, &decoded) else {
            return self.missing(dest, &decoded, "link outside the notes folder");
        };
        let frag = fragment_decoded.as_deref();
        if let Some(&p) = self.index.by_source.get(&target) {
            return self.to_target(Target::Page(p), frag, dest);
        }
        if let Some(out) = self.index.assets.get(&target) {
            return Resolved::Url(self.asset_url(out, fragment));
        }
        // A folder, a note named without `.md`, or a generated page linked by its URL.
        let trimmed = target.trim_end_matches('/');
        let candidates = [
            format!("{trimmed}.md"),
            join(trimmed, "_index.md"),
            join(trimmed, "index.md"),
            join(trimmed, "README.md"),
        ];
        if let Some(&p) = candidates.iter().find_map(|c| self.index.by_source.get(c)) {
            return self.to_target(Target::Page(p), frag, dest);
        }
        let url_key = if target.is_empty() || dest.ends_with('/') {
            join(&slug_dir(trimmed), "index.html")
        } else {
            target.clone()
        };
        if let Some(&t) = self.index.by_url.get(&url_key) {
            return self.to_target(t, frag, dest);
        }
        if let Some(url) = self.generated(&target, &decoded) {
            return self.to_generated(&url, frag, dest);
        }
        let what = match kind {
            LinkKind::Image => "image not found:",
            _ if target.ends_with(".md") => "link to missing note",
            _ => "link to missing file",
        };
        self.missing(dest, &target, what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(normalize("a", "./x/y.md").as_deref(), Some("a/x/y.md"));
        assert_eq!(normalize("a", "/top.md").as_deref(), Some("top.md"));
        assert_eq!(normalize("", "../x.md"), None);
    }
}
