//! Liquid in a Jekyll site's notes, where studysite can stand in for Jekyll: `{% raw %}` and
//! `{% endraw %}` go (what is between stays as written), `{{ site.baseurl }}` and
//! `{{ site.url }}` become nothing (so `{{ site.baseurl }}/sections/s3` is a link from the
//! site root), `{{ site.title }}` and `{{ site.description }}` the site's, `{% link x %}`
//! and `{{ "x" | relative_url }}` the path. Anything else (`{% include %}`, `{% if %}`,
//! `{{ page.title }}`) is left as written and reported, once per kind for the site.

use super::{code_spans, in_spans, lines, Fences};
use crate::source_map::{OffsetMap, Rewriter};

/// What the site's Liquid variables say.
#[derive(Debug, Clone, Default)]
pub(crate) struct Liquid {
    pub(crate) title: String,
    pub(crate) description: String,
}

/// A Liquid tag or output left as written: its kind (`{% include %}`, `{{ page }}`) and
/// its offset in the text read.
pub(crate) type Unread = (String, usize);

/// What one `{% ... %}` or `{{ ... }}` becomes: its replacement, or the kind left unread.
fn replace(inner: &str, output: bool, site: &Liquid) -> Result<String, String> {
    let words: Vec<&str> = inner.split_whitespace().collect();
    if !output {
        return match words.as_slice() {
            ["raw"] | ["endraw"] => Ok(String::new()),
            ["link", path, ..] => Ok(format!("/{}", path.trim_start_matches('/'))),
            [name, ..] => Err(format!("{{% {name} %}}")),
            [] => Err("{% %}".into()),
        };
    }
    let (value, filters) = inner.split_once('|').unwrap_or((inner, ""));
    let value = value.trim();
    let filter = filters.split_whitespace().next().unwrap_or("");
    let quoted = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')));
    match (value, quoted, filter) {
        (_, Some(path), "relative_url" | "absolute_url") => Ok(path.to_string()),
        ("site.baseurl" | "site.url", _, "") => Ok(String::new()),
        ("site.title", _, "") => Ok(site.title.clone()),
        ("site.description", _, "") => Ok(site.description.clone()),
        _ => {
            let root = value.split('.').next().unwrap_or(value);
            Err(format!("{{{{ {root} }}}}"))
        }
    }
}

/// The Liquid pass; `unread` gets every tag left as written.
pub(super) fn liquid(
    text: &str,
    site: &Liquid,
    unread: &mut Vec<Unread>,
) -> Option<(String, OffsetMap)> {
    if !(text.contains("{%") || text.contains("{{")) {
        return None;
    }
    let mut w = Rewriter::with_capacity(text.len());
    let mut fences = Fences::default();
    let mut changed = false;
    // Between `{% raw %}` and `{% endraw %}`: Liquid is text there.
    let mut raw = false;
    for (start, line) in lines(text) {
        if fences.code(line) {
            w.copy(line, start);
            continue;
        }
        let spans = code_spans(line);
        let mut pos = 0;
        let mut i = 0;
        while let Some(at) = line[i..].find('{').map(|a| a + i) {
            i = at + 1;
            let (open, close) = match line.as_bytes().get(at + 1) {
                Some(b'%') => ("{%", "%}"),
                Some(b'{') => ("{{", "}}"),
                _ => continue,
            };
            if in_spans(&spans, at) {
                continue;
            }
            let Some(end) = line[at + 2..].find(close).map(|e| at + 2 + e) else {
                continue;
            };
            let inner = line[at + 2..end].trim_matches(['-', ' ', '\t']);
            if raw && inner != "endraw" {
                i = end + 2;
                continue;
            }
            raw = open == "{%" && inner == "raw";
            match replace(inner, open == "{{", site) {
                Ok(with) => {
                    w.copy(&line[pos..at], start + pos);
                    if !with.is_empty() {
                        w.insert(&with, start + at);
                    }
                    pos = end + 2;
                    changed = true;
                }
                Err(kind) => unread.push((kind, start + at)),
            }
            i = end + 2;
        }
        w.copy(&line[pos..], start + pos);
    }
    changed.then(|| w.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (String, Vec<Unread>) {
        let site = Liquid {
            title: "Cloud Notes".into(),
            description: "d".into(),
        };
        let mut unread = Vec::new();
        let out = liquid(text, &site, &mut unread).map_or_else(|| text.to_string(), |(s, _)| s);
        (out, unread)
    }

    #[test]
    fn what_jekyll_would_fill_in() {
        let (out, unread) = run(
            "[Home]({{ site.baseurl }}/sections/s3.md) in {{site.title}}\n{% raw %}{{ kept }}{% endraw %}\n[x]({% link sections/vpc.md %}) ![i]({{ \"/img/a.png\" | relative_url }})\n",
        );
        assert_eq!(
            out,
            "[Home](/sections/s3.md) in Cloud Notes\n{{ kept }}\n[x](/sections/vpc.md) ![i](/img/a.png)\n"
        );
        assert!(unread.is_empty(), "{unread:?}");
    }

    #[test]
    fn the_rest_is_left_as_written_and_reported_by_kind() {
        let text = "{% include ads.html %}\n\n`{{ code }}`\n\n```\n{% if x %}\n```\n{{ page.title | upcase }}\n";
        let (out, unread) = run(text);
        assert_eq!(out, text);
        let kinds: Vec<&str> = unread.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(kinds, ["{% include %}", "{{ page }}"]);
        assert_eq!(unread[1].1, text.find("{{ page").unwrap());
    }
}
