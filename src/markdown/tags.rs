//! Obsidian's inline tags: `#tag` or `#nested/tag` in prose (not in code, links or
//! headings). They join the note's front matter `tags`, and each becomes a link to its
//! entry on the site's tags page.

use super::adapter::{link_runs, Step, Upstream};
use super::Spanned;
use crate::slug::slug;
use pulldown_cmark::{Event, Tag, TagEnd};
use pulldown_cmark_escape::escape_href;
use std::collections::VecDeque;
use std::ops::Range;

/// The URL of the site's tags page, at its root.
pub(crate) const TAGS_PAGE: &str = "tags.html";

/// The id of a tag's entry on the tags page.
pub(crate) fn tag_id(tag: &str) -> String {
    format!("tag-{}", slug(&tag.replace('/', "-")))
}

/// The link to a tag's entry, given the URL of the tags page from where the link stands.
pub(crate) fn href(tags_page: &str, tag: &str) -> String {
    format!("{tags_page}#{}", tag_id(tag))
}

/// A tag as written in front matter or after `#`, tidied: no `#`, no trailing `/`.
pub(crate) fn clean(tag: &str) -> &str {
    tag.trim().trim_start_matches('#').trim_end_matches('/')
}

/// The inline tags of a run of text: the byte range of each, `#` included.
pub(crate) fn find(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        if c == '#' && prev.is_none_or(|p| p.is_whitespace() || "(,;".contains(p)) {
            let len: usize = text[i + 1..]
                .chars()
                .take_while(|&c| c.is_alphanumeric() || "_-/".contains(c))
                .map(char::len_utf8)
                .sum();
            let name = text[i + 1..i + 1 + len].trim_end_matches('/');
            // `#1` is a number, not a tag; a tag starts with a letter, digit or `_`.
            let ok = name
                .chars()
                .any(|c| !c.is_ascii_digit() && c != '-' && c != '/')
                && name.starts_with(|c: char| c.is_alphanumeric() || c == '_');
            if ok {
                out.push(i..i + 1 + name.len());
            }
        }
        prev = Some(c);
    }
    out
}

/// Finds inline tags in prose: records each (once, in order) in `found` and, when `page`
/// is the URL of the tags page from this note, makes it a link there.
pub(crate) struct Tags<'b> {
    found: &'b mut Vec<String>,
    page: Option<String>,
    /// Inside code, a link, a heading or raw HTML: no tags there.
    skip: usize,
}

impl<'b> Tags<'b> {
    pub(crate) fn new(found: &'b mut Vec<String>, page: Option<String>) -> Self {
        Tags {
            found,
            page,
            skip: 0,
        }
    }

    fn record(&mut self, tag: &str) {
        if !self.found.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            self.found.push(tag.to_string());
        }
    }
}

impl<'a> Step<'a> for Tags<'_> {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        (ev, range): Spanned<'a>,
        _: Upstream<'_, I>,
        out: &mut VecDeque<Spanned<'a>>,
    ) {
        match &ev {
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Heading { .. })
            | Event::Start(Tag::Image { .. } | Tag::HtmlBlock | Tag::MetadataBlock(_)) => {
                self.skip += 1
            }
            Event::End(TagEnd::CodeBlock | TagEnd::Link | TagEnd::Heading(_))
            | Event::End(TagEnd::Image | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_)) => {
                self.skip = self.skip.saturating_sub(1)
            }
            Event::Text(text) if self.skip == 0 && text.contains('#') => {
                let found = find(text);
                let Event::Text(text) = ev else {
                    unreachable!()
                };
                let mut links = Vec::new();
                for r in found {
                    let tag = clean(&text[r.clone()]).to_string();
                    self.record(&tag);
                    if let Some(page) = &self.page {
                        let mut open = String::from("<a class=\"tag\" href=\"");
                        escape_href(&mut open, &href(page, &tag)).ok();
                        open.push_str("\">");
                        links.push((r, open));
                    }
                }
                return link_runs(text, &links, &range, out);
            }
            _ => {}
        }
        out.push_back((ev, range));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str) -> Vec<&str> {
        find(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn finds_tags_but_not_numbers_or_anchors() {
        assert_eq!(
            tags("Study #aws and #exam/saa-c03, (#ml) #日本語"),
            ["#aws", "#exam/saa-c03", "#ml", "#日本語"]
        );
        assert!(
            tags("issue #42, C# and F#, page#anchor, # heading, #-x, {{#include x}}").is_empty()
        );
        assert_eq!(tags("#2024review"), ["#2024review"]);
        assert_eq!(tags("end #tag/."), ["#tag"]);
    }

    #[test]
    fn ids_are_slugs() {
        assert_eq!(tag_id("Exam/SAA-C03"), "tag-exam-saa-c03");
        assert_eq!(clean("#aws/"), "aws");
    }
}
