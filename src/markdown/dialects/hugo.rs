//! Hugo shortcodes: `{{< ref "x.md" >}}` and `relref` become the path, `{{< figure >}}` an
//! image, and paired `hint`, `notice`, `alert`, `callout`, `admonition` and `details`
//! shortcodes on their own lines `:::` containers (so callouts). Any other is left as written.

use super::{code_spans, in_spans, lines, Fences, MAX_NESTING};
use crate::source_map::{OffsetMap, Rewriter};

/// One Hugo shortcode at the start of `text` (`{{< name args >}}` or `{{% name args %}}`):
/// its length, name (with `/` when closing) and arguments.
fn shortcode(text: &str) -> Option<(usize, &str, &str)> {
    let (open, close) = if text.starts_with("{{<") {
        ("{{<", ">}}")
    } else if text.starts_with("{{%") {
        ("{{%", "%}}")
    } else {
        return None;
    };
    let end = text.find(close)?;
    let inner = text[open.len()..end].trim().trim_end_matches('/').trim();
    let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let name = &inner[..name_end];
    if name.is_empty() || name.contains('\n') {
        return None;
    }
    Some((end + close.len(), name, inner[name_end..].trim()))
}

/// A shortcode's arguments: positional values and `key="value"` pairs, quotes removed.
struct Args {
    positional: Vec<String>,
    named: Vec<(String, String)>,
}

impl Args {
    fn parse(args: &str) -> Args {
        let mut positional = Vec::new();
        let mut named = Vec::new();
        let mut rest = args.trim();
        while !rest.is_empty() {
            let (key, after) = match rest.find(['=', ' ', '"']) {
                Some(i) if rest.as_bytes()[i] == b'=' => (Some(&rest[..i]), &rest[i + 1..]),
                _ => (None, rest),
            };
            let (value, next) = if let Some(q) = after.strip_prefix('"') {
                let e = q.find('"').unwrap_or(q.len());
                (&q[..e], q.get(e + 1..).unwrap_or(""))
            } else {
                let e = after.find(' ').unwrap_or(after.len());
                (&after[..e], &after[e..])
            };
            match key {
                Some(k) => named.push((k.trim().to_lowercase(), value.to_string())),
                None => positional.push(value.to_string()),
            }
            rest = next.trim_start();
        }
        Args { positional, named }
    }

    /// The first of the named arguments `keys` given, else positional argument `nth`.
    fn get(&self, keys: &[&str], nth: Option<usize>) -> Option<String> {
        keys.iter()
            .find_map(|k| self.named.iter().find(|(n, _)| n == k))
            .map(|(_, v)| v.clone())
            .or_else(|| self.positional.get(nth?).cloned())
    }
}

/// Hugo shortcodes studysite can read (see the module's summary); others stay as written.
pub(super) fn shortcodes(text: &str) -> Option<(String, OffsetMap)> {
    if !(text.contains("{{<") || text.contains("{{%")) {
        return None;
    }
    const BOXES: &[&str] = &[
        "hint",
        "notice",
        "alert",
        "callout",
        "admonition",
        "details",
    ];
    let mut w = Rewriter::with_capacity(text.len());
    let mut fences = Fences::default();
    let mut open: Vec<&str> = Vec::new();
    let mut changed = false;
    for (start, line) in lines(text) {
        if fences.code(line) {
            w.copy(line, start);
            continue;
        }
        let t = line.trim();
        let lead = line.len() - line.trim_start().len();
        // A box shortcode alone on its line opens or closes a container.
        if let Some((_, name, args)) = shortcode(t).filter(|(len, ..)| *len == t.len()) {
            let nl = if line.ends_with('\n') { "\n" } else { "" };
            if let Some(closing) = name.strip_prefix('/') {
                if open.last() == Some(&closing) {
                    open.pop();
                    w.insert(&format!(":::{nl}"), start + lead);
                    changed = true;
                    continue;
                }
            } else if BOXES.contains(&name) && open.len() < MAX_NESTING {
                let args = Args::parse(args);
                let (kind, title) = if name == "details" {
                    let title = args.get(&["title", "summary"], Some(0));
                    ("details".to_string(), title.unwrap_or_default())
                } else {
                    let kind = args.get(&["type", "context"], Some(0));
                    let title = args.get(&["title"], Some(1));
                    (
                        kind.unwrap_or_else(|| "note".into()),
                        title.unwrap_or_default(),
                    )
                };
                open.push(name);
                let head = format!(":::{kind} {title}").trim_end().to_string();
                w.insert(&format!("{head}{nl}"), start + lead);
                changed = true;
                continue;
            }
        }
        // Inline: ref/relref become their path, figure an image.
        let spans = code_spans(line);
        let mut pos = 0;
        let mut i = 0;
        while let Some(at) = line[i..].find("{{").map(|a| a + i) {
            i = at + 2;
            if in_spans(&spans, at) {
                continue;
            }
            let Some((len, name, args)) = shortcode(&line[at..]) else {
                continue;
            };
            let args = Args::parse(args);
            let replacement = match name {
                "ref" | "relref" => args.get(&["path"], Some(0)),
                "figure" => args.get(&["src"], None).map(|src| {
                    let alt = args.get(&["alt", "caption", "title"], None);
                    format!("![{}](<{src}>)", alt.unwrap_or_default())
                }),
                _ => None,
            };
            let Some(replacement) = replacement else {
                continue;
            };
            w.copy(&line[pos..at], start + pos);
            w.insert(&replacement, start + at);
            pos = at + len;
            i = pos;
            changed = true;
        }
        w.copy(&line[pos..], start + pos);
    }
    changed.then(|| w.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: fn(&str) -> Option<(String, OffsetMap)>, text: &str) -> String {
        f(text).map_or_else(|| text.to_string(), |(s, _)| s)
    }

    #[test]
    fn hugo_shortcodes() {
        assert_eq!(
            run(
                shortcodes,
                "See [VPC]({{< ref \"net/vpc.md\" >}}) and {{< relref \"dns\" >}}.\n"
            ),
            "See [VPC](net/vpc.md) and dns.\n"
        );
        assert_eq!(
            run(
                shortcodes,
                "{{< figure src=\"img/a b.png\" caption=\"The flow\" >}}\n"
            ),
            "![The flow](<img/a b.png>)\n"
        );
        let boxes = "{{< hint warning >}}\nCareful.\n{{< /hint >}}\n\n\
                     {{% notice tip \"Remember\" %}}\nThis.\n{{% /notice %}}\n\n\
                     {{< details title=\"Show answer\" >}}\n42\n{{< /details >}}\n";
        assert_eq!(
            run(shortcodes, boxes),
            ":::warning\nCareful.\n:::\n\n:::tip Remember\nThis.\n:::\n\n:::details Show answer\n42\n:::\n"
        );
        let all = super::super::rewrite(boxes.to_string(), None, &mut Vec::new()).0;
        assert!(all.starts_with("> [!warning]\n> Careful.\n"), "{all}");
        assert!(all.contains("> [!note]- Show answer\n> 42\n"), "{all}");
        // Unknown shortcodes, and any in code, stay as written.
        for keep in [
            "{{< youtube abc >}}\n",
            "`{{< ref \"x\" >}}`\n",
            "```\n{{< hint >}}\n```\n",
        ] {
            assert_eq!(run(shortcodes, keep), keep);
        }
    }
}
