//! Links and images: note paths become the generated pages' URLs, broken ones are reported.

use super::adapter::{Step, Upstream};
use super::{Finding, Spanned};
use crate::diagnostic::Lint;
use crate::url::is_external;
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::ops::Range;

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
        wanted: Wanted,
    },
}

/// What a missing destination was meant to be: the resolver's `suggest` turns it into a
/// "did you mean", only for a link that is reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Wanted {
    /// A note or file, by its file name.
    File(String),
    /// An id on the page at this site URL.
    Anchor { page: String, id: String },
}

/// Resolves link destinations for the page being rendered.
pub(crate) trait LinkResolver: Sync {
    fn resolve(&self, dest: &str, kind: LinkKind) -> Resolved;

    /// The help for a missing destination: the closest name there is, if one is close.
    fn suggest(&self, _wanted: &Wanted) -> Option<String> {
        None
    }
}

pub(crate) struct Rewrite<'b> {
    resolver: &'b dyn LinkResolver,
    findings: &'b RefCell<Vec<Finding>>,
    external: &'b mut Vec<(String, usize)>,
    /// The open link is an Obsidian link to a note that does not exist (yet): its text is
    /// shown without a link, as Obsidian shows an unresolved link.
    unresolved: bool,
    /// Inside a `<script>` or `<style>` of the note's HTML: the end tag awaited.
    raw_text: Option<&'static str>,
    /// The text parsed, to tell raw HTML the note holds from HTML an adapter made.
    source: &'b str,
}

/// File types `![[...]]` shows as an image; any other embed (a note, a PDF) is a link.
const IMAGE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "ico", "apng",
];

fn is_image(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    path.rsplit_once('.').is_some_and(|(_, ext)| {
        IMAGE_EXTENSIONS
            .iter()
            .any(|e| e.eq_ignore_ascii_case(ext.trim()))
    })
}

/// Obsidian's size suffix, `![[chart.png|300]]` or `|300x200`: (width, height).
fn embed_size(alt: &str) -> Option<(&str, Option<&str>)> {
    let digits = |s: &str| !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit());
    let alt = alt.trim();
    match alt.split_once('x') {
        Some((w, h)) if digits(w) && digits(h) => Some((w, Some(h))),
        None if digits(alt) => Some((alt, None)),
        _ => None,
    }
}

type Out<'a> = VecDeque<Spanned<'a>>;

impl<'b> Rewrite<'b> {
    pub(crate) fn new(
        source: &'b str,
        resolver: &'b dyn LinkResolver,
        findings: &'b RefCell<Vec<Finding>>,
        external: &'b mut Vec<(String, usize)>,
    ) -> Self {
        Rewrite {
            resolver,
            findings,
            external,
            unresolved: false,
            raw_text: None,
            source,
        }
    }

    /// Raw HTML the note holds (`<a href="other.md">`, `<img src="diagram.png">`): its
    /// `href` and `src` values are resolved like markdown links, and reported when broken.
    /// HTML an adapter wrote is left alone.
    fn raw_html<'a>(&mut self, html: CowStr<'a>, range: &Range<usize>) -> CowStr<'a> {
        let Some(at) = written_at(self.source, range, &html) else {
            return html;
        };
        let attrs: Vec<(&str, Range<usize>)> = html_attributes(&html, &mut self.raw_text)
            .into_iter()
            .filter(|a| a.name == "href" || a.name == "src")
            .map(|a| (a.name, a.value))
            .collect();
        if attrs.is_empty() {
            return html;
        }
        let mut out = String::with_capacity(html.len() + 16);
        let mut last = 0;
        for (name, value) in attrs {
            let written = html[value.clone()].replace("&amp;", "&");
            let kind = if name == "src" {
                LinkKind::Image
            } else {
                LinkKind::Link
            };
            if let Some(url) = self.rewrite(&written, kind, at + value.start) {
                out.push_str(&html[last..value.start]);
                escape_href(&mut out, &url).ok();
                last = value.end;
            }
        }
        if last == 0 {
            return html;
        }
        out.push_str(&html[last..]);
        out.into()
    }

    /// `![[name]]` (its Start event already taken): an image, sized when the text after `|`
    /// is a size; a link when it names a note or any other file.
    fn embed<'a, I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        (dest, title, id): (CowStr<'a>, CowStr<'a>, CowStr<'a>),
        range: Range<usize>,
        upstream: Upstream<'_, I>,
        queue: &mut Out<'a>,
    ) {
        let mut inner = Vec::new();
        let mut end = range.clone();
        for (ev, r) in upstream.by_ref() {
            if matches!(ev, Event::End(TagEnd::Image)) {
                end = r;
                break;
            }
            inner.push((ev, r));
        }
        let alt: String = inner
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        if !is_image(&dest) {
            let link_type = LinkType::WikiLink { has_pothole: false };
            let open = self.link(link_type, dest, title, id, range.start);
            queue.push_back((open, range));
            queue.extend(inner);
            let close = if std::mem::take(&mut self.unresolved) {
                Event::InlineHtml("</span>".into())
            } else {
                Event::End(TagEnd::Link)
            };
            queue.push_back((close, end));
            return;
        }
        let url = match self.rewrite(&dest, LinkKind::WikiLink, range.start) {
            Some(url) => url,
            None => dest.to_string(),
        };
        let Some((width, height)) = embed_size(&alt) else {
            let link_type = LinkType::WikiLink { has_pothole: false };
            queue.push_back((
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: url.into(),
                    title,
                    id,
                }),
                range,
            ));
            queue.extend(inner);
            queue.push_back((Event::End(TagEnd::Image), end));
            return;
        };
        let name = dest.rsplit('/').next().unwrap_or(&dest);
        let mut html = String::from("<img src=\"");
        escape_href(&mut html, &url).ok();
        html.push_str("\" alt=\"");
        escape_html(&mut html, name).ok();
        html.push_str("\" width=\"");
        html.push_str(width);
        if let Some(h) = height {
            html.push_str("\" height=\"");
            html.push_str(h);
        }
        html.push_str("\">");
        queue.push_back((Event::InlineHtml(html.into()), range.start..end.end));
    }

    /// A link's opening event, its destination resolved.
    fn link<'a>(
        &mut self,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
        offset: usize,
    ) -> Event<'a> {
        let wiki = matches!(link_type, LinkType::WikiLink { .. });
        let kind = if wiki {
            LinkKind::WikiLink
        } else {
            LinkKind::Link
        };
        let resolved = self.resolver.resolve(&dest_url, kind);
        if wiki && matches!(resolved, Resolved::Missing { .. }) {
            self.apply(resolved, &dest_url, offset);
            self.unresolved = true;
            let mut html = String::from("<span class=\"link-unresolved\" title=\"No note named ");
            escape_html(&mut html, &dest_url).ok();
            html.push_str(" yet\">");
            return Event::InlineHtml(html.into());
        }
        let dest_url = match self.apply(resolved, &dest_url, offset) {
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

    fn rewrite(&mut self, dest: &str, kind: LinkKind, offset: usize) -> Option<String> {
        let resolved = self.resolver.resolve(dest, kind);
        self.apply(resolved, dest, offset)
    }

    /// The URL to write for a resolved destination (`None`: keep it as written); a missing
    /// target is reported.
    fn apply(&mut self, resolved: Resolved, dest: &str, offset: usize) -> Option<String> {
        match resolved {
            Resolved::Url(url) => Some(url),
            Resolved::External => {
                if is_external(dest) {
                    self.external.push((dest.to_string(), offset));
                }
                None
            }
            Resolved::Missing {
                url,
                message,
                wanted,
            } => {
                self.findings.borrow_mut().push(Finding {
                    offset,
                    message,
                    help: self.resolver.suggest(&wanted),
                    lint: Some(Lint::BrokenLink),
                    group: None,
                    also: Vec::new(),
                });
                Some(url)
            }
        }
    }
}

impl<'a> Step<'a> for Rewrite<'_> {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        (ev, range): Spanned<'a>,
        upstream: Upstream<'_, I>,
        out: &mut Out<'a>,
    ) {
        let ev = match ev {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.link(link_type, dest_url, title, id, range.start),
            Event::End(TagEnd::Link) if self.unresolved => {
                self.unresolved = false;
                Event::InlineHtml("</span>".into())
            }
            Event::Html(html) => Event::Html(self.raw_html(html, &range)),
            Event::InlineHtml(html) => Event::InlineHtml(self.raw_html(html, &range)),
            Event::Start(Tag::Image {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                title,
                id,
            }) => {
                // Obsidian's `![[diagram.png]]` names the file, wherever it is.
                return self.embed((dest_url, title, id), range, upstream, out);
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match self.rewrite(&dest_url, LinkKind::Image, range.start) {
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
        out.push_back((ev, range));
    }
}

/// Where raw HTML the note holds starts: the parser gives it the range it was read from, so
/// it stands at (or, past some indent, just after) the range's start. HTML an adapter made
/// is not found there. Only the first few positions are tried, so a long range (a callout's
/// whole body) costs no more than a short one.
fn written_at(source: &str, range: &Range<usize>, html: &str) -> Option<usize> {
    const SLACK: usize = 16;
    let text = source.get(range.clone())?;
    text.char_indices()
        .take_while(|&(i, _)| i <= SLACK)
        .find(|&(i, _)| text[i..].starts_with(html))
        .map(|(i, _)| range.start + i)
}

/// One attribute of a tag in raw HTML: the tag's name (lowercase), the attribute's, and the
/// byte range of its value (quoted or not).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Attr {
    pub(crate) tag: String,
    pub(crate) name: &'static str,
    pub(crate) value: Range<usize>,
}

/// The attributes studysite reads in raw HTML: `href` and `src` (links), `id` and `name`
/// (anchors).
const READ: &[&str] = &["href", "src", "id", "name"];

/// The [`READ`] attributes in the tags of an HTML fragment. Script and style contents are
/// text, not tags: `raw_text` holds the element whose end is awaited, across the fragments
/// of one HTML block.
pub(crate) fn html_attributes(html: &str, raw_text: &mut Option<&'static str>) -> Vec<Attr> {
    let b = html.as_bytes();
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut i = 0;
    let mut tag: Option<String> = None;
    while i < b.len() {
        if let Some(end) = *raw_text {
            match lower[i..].find(end) {
                Some(at) => {
                    i += at + end.len();
                    *raw_text = None;
                }
                None => break,
            }
            continue;
        }
        match b[i] {
            b'<' if tag.is_none() => {
                let name_len = b[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .count();
                if name_len > 0 && b[i + 1].is_ascii_alphabetic() {
                    tag = Some(lower[i + 1..i + 1 + name_len].to_string());
                }
                i += 1 + name_len;
            }
            b'>' if tag.is_some() => {
                match tag.take().as_deref() {
                    Some("script") => *raw_text = Some("</script"),
                    Some("style") => *raw_text = Some("</style"),
                    _ => {}
                }
                i += 1;
            }
            b'"' | b'\'' if tag.is_some() => {
                let q = b[i];
                i += 1 + b[i + 1..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(b.len(), |p| p + 1);
            }
            c if tag.is_some() && c.is_ascii_whitespace() => {
                let name_start = i + 1;
                let name_len = b[name_start..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                    .count();
                let name = &lower[name_start..name_start + name_len];
                let mut j = name_start + name_len;
                let attr = READ.iter().copied().find(|a| *a == name);
                while j < b.len() && b[j] == b' ' {
                    j += 1;
                }
                if let (Some(attr), Some(b'=')) = (attr, b.get(j)) {
                    j += 1;
                    while j < b.len() && b[j] == b' ' {
                        j += 1;
                    }
                    let value = match b.get(j) {
                        Some(&q @ (b'"' | b'\'')) => {
                            let end = b[j + 1..].iter().position(|&c| c == q).map(|p| j + 1 + p);
                            end.map(|e| (j + 1..e, e + 1))
                        }
                        Some(_) => {
                            let len = b[j..]
                                .iter()
                                .take_while(|c| !c.is_ascii_whitespace() && **c != b'>')
                                .count();
                            Some((j..j + len, j + len))
                        }
                        None => None,
                    };
                    if let Some((range, next)) = value {
                        out.push(Attr {
                            tag: tag.clone().unwrap_or_default(),
                            name: attr,
                            value: range,
                        });
                        i = next;
                        continue;
                    }
                }
                i = name_start + name_len.max(1);
            }
            _ => i += 1,
        }
    }
    out
}

/// The anchors raw HTML adds to a page: every `id`, and the `name` of an `<a>`.
pub(crate) fn html_anchors(html: &str, raw_text: &mut Option<&'static str>) -> Vec<String> {
    html_attributes(html, raw_text)
        .into_iter()
        .filter(|a| a.name == "id" || (a.name == "name" && a.tag == "a"))
        .map(|a| html[a.value].replace("&amp;", "&"))
        .filter(|id| !id.is_empty())
        .collect()
}

/// Records the anchors of the note's own raw HTML (run before any adapter writes HTML).
pub(crate) struct RawAnchors<'b> {
    found: &'b mut Vec<String>,
    raw_text: Option<&'static str>,
}

impl<'b> RawAnchors<'b> {
    pub(crate) fn new(found: &'b mut Vec<String>) -> Self {
        RawAnchors {
            found,
            raw_text: None,
        }
    }
}

impl<'a> Step<'a> for RawAnchors<'_> {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        ev: Spanned<'a>,
        _: Upstream<'_, I>,
        out: &mut Out<'a>,
    ) {
        if let Event::Html(h) | Event::InlineHtml(h) = &ev.0 {
            self.found.extend(html_anchors(h, &mut self.raw_text));
        }
        out.push_back(ev);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_href_and_src_values() {
        let html = "<p><a class=x href=\"other.md#a\">o</a> <img alt='a > b' src='i.png' width=3>\
                    <a href=bare.md>b</a> <span data-href=\"no\">";
        let found: Vec<_> = html_attributes(html, &mut None)
            .into_iter()
            .map(|a| (a.name, &html[a.value]))
            .collect();
        assert_eq!(
            found,
            [
                ("href", "other.md#a"),
                ("src", "i.png"),
                ("href", "bare.md")
            ]
        );
        assert!(html_attributes("&lt;a href=\"x\"&gt;", &mut None).is_empty());
    }

    #[test]
    fn script_and_style_are_text() {
        let mut raw = None;
        let html = "<script>var s = \"<a href=\\\"https://x\\\">\";</script><a href=\"b.md\">";
        let found: Vec<_> = html_attributes(html, &mut raw)
            .into_iter()
            .map(|a| &html[a.value])
            .collect();
        assert_eq!(found, ["b.md"]);
        // Across the lines of one HTML block.
        assert!(html_attributes("<style>", &mut raw).is_empty());
        assert!(html_attributes("a[href=\"x\"] { }", &mut raw).is_empty());
        assert_eq!(html_attributes("</style><img src=x>", &mut raw).len(), 1);
    }

    #[test]
    fn ids_and_names_are_anchors() {
        assert_eq!(
            html_anchors(
                "<h2 id=\"top\">T</h2><a name=\"whatis\"></a><input name=\"q\">",
                &mut None
            ),
            ["top", "whatis"]
        );
    }
}
