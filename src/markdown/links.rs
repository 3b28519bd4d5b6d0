//! Links and images: note paths become the generated pages' URLs, broken ones are reported.

use super::{Finding, Spanned};
use pulldown_cmark::{Event, LinkType, Tag};
use std::cell::RefCell;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkKind {
    Link,
    Image,
    /// Obsidian's `[[Note name#Heading]]`: resolved by note name, not path.
    WikiLink,
}

/// What a link destination turned into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// A link into the site, rewritten (relative to the current page).
    Url(String),
    /// Left as written: an external URL, `mailto:`, or anything not ours to check.
    External,
    /// Points at nothing in the site; `message` says what is missing.
    Missing {
        url: String,
        message: String,
        help: Option<String>,
    },
}

/// Resolves link destinations for the page being rendered.
pub(crate) trait LinkResolver: Sync {
    fn resolve(&self, dest: &str, kind: LinkKind) -> Resolved;
}

/// Is `dest` outside the site (a scheme such as `https:` or `mailto:`, or `//host`)?
pub(crate) fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && !scheme.contains('/')
                && scheme.len() > 1
        }
        None => false,
    }
}

pub(crate) struct Rewrite<'b, I> {
    inner: I,
    resolver: &'b dyn LinkResolver,
    findings: &'b RefCell<Vec<Finding>>,
    external: &'b mut Vec<(String, usize)>,
}

impl<'b, I> Rewrite<'b, I> {
    pub(crate) fn new(
        inner: I,
        resolver: &'b dyn LinkResolver,
        findings: &'b RefCell<Vec<Finding>>,
        external: &'b mut Vec<(String, usize)>,
    ) -> Self {
        Rewrite {
            inner,
            resolver,
            findings,
            external,
        }
    }

    fn rewrite(&mut self, dest: &str, kind: LinkKind, offset: usize) -> Option<String> {
        match self.resolver.resolve(dest, kind) {
            Resolved::Url(url) => Some(url),
            Resolved::External => {
                if is_external(dest) {
                    self.external.push((dest.to_string(), offset));
                }
                None
            }
            Resolved::Missing { url, message, help } => {
                self.findings.borrow_mut().push(Finding {
                    offset,
                    message,
                    help,
                });
                Some(url)
            }
        }
    }
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for Rewrite<'_, I> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        let (ev, range) = self.inner.next()?;
        let ev = match ev {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let kind = if matches!(link_type, LinkType::WikiLink { .. }) {
                    LinkKind::WikiLink
                } else {
                    LinkKind::Link
                };
                let dest_url = match self.rewrite(&dest_url, kind, range.start) {
                    Some(url) => url.into(),
                    None => dest_url,
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // Obsidian's `![[diagram.png]]` names the file, wherever it is.
                let kind = if matches!(link_type, LinkType::WikiLink { .. }) {
                    LinkKind::WikiLink
                } else {
                    LinkKind::Image
                };
                let dest_url = match self.rewrite(&dest_url, kind, range.start) {
                    Some(url) => url.into(),
                    None => dest_url,
                };
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        };
        Some((ev, range))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_schemes() {
        assert!(is_external("https://example.org"));
        assert!(is_external("mailto:a@b.c"));
        assert!(is_external("//cdn.example.org/x.js"));
        assert!(!is_external("notes.md"));
        assert!(!is_external("../a/b.md#x"));
        assert!(!is_external("C:/windows"));
    }
}
