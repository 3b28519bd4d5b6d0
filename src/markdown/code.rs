//! Fenced and indented code: diagrams, plain blocks, and highlighted code, each one HTML event.

use super::adapter::{Step, Upstream};
use super::highlight::{Block, PLAIN};
use super::{diagrams, math, mermaid, Env, Finding, Spanned};
use crate::config::DiagramMode;
use crate::diagnostic::Lint;
use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_html, escape_html_body_text};
use std::cell::RefCell;
use std::collections::VecDeque;

/// Buffers each code block and emits it as one `Event::Html`.
pub(crate) struct Blocks<'b> {
    env: &'b Env<'b>,
    findings: &'b RefCell<Vec<Finding>>,
    text: &'b str,
}

impl<'b> Blocks<'b> {
    pub(crate) fn new(
        env: &'b Env<'b>,
        findings: &'b RefCell<Vec<Finding>>,
        text: &'b str,
    ) -> Self {
        Blocks {
            env,
            findings,
            text,
        }
    }
}

/// The blocks of `doc` that rendering will highlight or draw (language, text), found ahead
/// of it so that all the blocks of a build can be highlighted and every Mermaid block drawn
/// at once, across the cores (a note of twenty diagrams no longer holds one core alone).
pub(crate) fn highlighted_blocks(doc: &super::Prepared) -> Vec<Block> {
    if !doc.text.contains("```") && !doc.text.contains("~~~") {
        return Vec::new();
    }
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for ev in pulldown_cmark::Parser::new_ext(&doc.text, super::options(true)) {
        match ev {
            Event::Start(Tag::CodeBlock(kind)) => open = Some((language(&kind), String::new())),
            Event::Text(t) => {
                if let Some((_, code)) = &mut open {
                    code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, code)) = open.take() {
                    let shown_as_is = PLAIN.contains(&lang.as_str()) && lang != "mermaid";
                    if !shown_as_is && !diagrams::is_diagram(&lang, &code) {
                        blocks.push((lang, code));
                    }
                }
            }
            _ => {}
        }
    }
    blocks
}

/// A Mermaid block that does not parse, as its page shows it: the source, and why. The
/// Mermaid script would only print the same error, so it is not shipped for it.
fn mermaid_source(code: &str, message: &str) -> String {
    let mut source = String::with_capacity(code.len() + 16);
    escape_html_body_text(&mut source, code).ok();
    let mut why = String::new();
    escape_html_body_text(&mut why, message.lines().next().unwrap_or("")).ok();
    format!(
        "<figure class=\"mermaid-error\"><pre class=\"code\" data-lang=\"mermaid\"><code class=\"language-mermaid\">{source}</code></pre>\
         <figcaption>This diagram does not parse ({why}); its source is shown.</figcaption></figure>\n"
    )
}

/// Does a rendered body hold a Mermaid diagram? (Then its page loads Mermaid.)
pub(crate) fn has_mermaid(html: &str) -> bool {
    html.contains("<pre class=\"mermaid\">")
}

/// The language of a fence's info string: its first word, lowercased (`{.python}` and
/// `python title="x"` both give `python`).
pub(crate) fn language(kind: &CodeBlockKind) -> String {
    match kind {
        CodeBlockKind::Indented => String::new(),
        CodeBlockKind::Fenced(info) => info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{' || c == '}')
            .find(|w| !w.is_empty())
            .unwrap_or("")
            .trim_start_matches('.')
            .to_lowercase(),
    }
}

impl<'a> Step<'a> for Blocks<'_> {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        (ev, range): Spanned<'a>,
        upstream: Upstream<'_, I>,
        out: &mut VecDeque<Spanned<'a>>,
    ) {
        let Event::Start(Tag::CodeBlock(kind)) = &ev else {
            return out.push_back((ev, range));
        };
        let lang = language(kind);
        let mut code = String::new();
        let mut end = range.end;
        for (inner, r) in upstream.by_ref() {
            match inner {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    end = r.end;
                    break;
                }
                _ => {}
            }
        }
        let html = self.block_html(&lang, &code, range.start);
        out.push_back((Event::Html(html.into()), range.start..end));
    }
}

impl Blocks<'_> {
    fn block_html(&self, lang: &str, code: &str, start: usize) -> String {
        if diagrams::is_diagram(lang, code) {
            self.lint(code, start);
            return diagrams::render(code, self.env.diagrams == DiagramMode::Svg);
        }
        let mut escaped = String::with_capacity(code.len() + 16);
        if let Some(mathml) = (lang == "math")
            .then(|| math::to_mathml(code, true))
            .flatten()
        {
            return format!("<div class=\"math-block\">{mathml}</div>\n");
        }
        if lang == "mermaid" {
            match self
                .env
                .highlighter
                .mermaid(code, &format!("mermaid-{start}"))
            {
                mermaid::Drawn::Svg(html) => return html,
                mermaid::Drawn::SyntaxError { message, at } => {
                    self.mermaid_error(code, start, &message, at);
                    return mermaid_source(code, &message);
                }
                mermaid::Drawn::Fallback { .. } => {}
            }
        }
        match lang {
            "mermaid" | "math" => {
                escape_html_body_text(&mut escaped, code).ok();
                return format!("<pre class=\"{lang}\">{escaped}</pre>\n");
            }
            _ if PLAIN.contains(&lang) => {
                escape_html_body_text(&mut escaped, code).ok();
                let class = if lang.is_empty() {
                    ""
                } else {
                    " class=\"language-text\""
                };
                return format!("<pre class=\"code\"><code{class}>{escaped}</code></pre>\n");
            }
            _ => {}
        }
        let mut lang_attr = String::new();
        escape_html(&mut lang_attr, lang).ok();
        if let Some(highlighted) = self.env.highlighter.highlight(lang, code) {
            return format!(
                "<pre class=\"code hl-code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{highlighted}</code></pre>\n"
            );
        }
        self.findings.borrow_mut().push(Finding {
            offset: start,
            message: format!(
                "unknown code language `{lang}`; the block is shown without highlighting"
            ),
            help: Some(
                "use a language syntect knows (python, yaml, bash, sql, ...) or `text`".into(),
            ),
            lint: Some(Lint::UnknownLanguage),
            group: Some(lang.to_string()),
            also: Vec::new(),
        });
        escape_html_body_text(&mut escaped, code).ok();
        format!("<pre class=\"code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{escaped}</code></pre>\n")
    }

    /// A Mermaid block that does not parse: a warning at the line the parser names (else the
    /// fence), with that line of the source.
    fn mermaid_error(&self, code: &str, fence_start: usize, message: &str, at: Option<usize>) {
        let rest = &self.text[fence_start.min(self.text.len())..];
        let body_start = fence_start + rest.find('\n').map_or(rest.len(), |i| i + 1);
        let at = at.filter(|&a| a <= code.len());
        let offset = at.map_or(fence_start, |a| body_start + a);
        let line = at.map_or("", |a| {
            let from = code[..a].rfind('\n').map_or(0, |i| i + 1);
            code[from..].lines().next().unwrap_or("")
        });
        let shown = if line.trim().is_empty() {
            String::new()
        } else {
            format!(": `{}`", line.trim())
        };
        self.findings.borrow_mut().push(Finding {
            offset,
            message: format!("Mermaid diagram does not parse{shown} ({message})"),
            help: Some(
                "fix the diagram's syntax (https://mermaid.js.org/intro/syntax-reference.html); \
                 until then the page shows its source"
                    .into(),
            ),
            lint: Some(Lint::Mermaid),
            group: None,
            also: Vec::new(),
        });
    }

    /// Author faults in a diagram, placed on the line and column of the source.
    fn lint(&self, code: &str, fence_start: usize) {
        let faults = diagrams::lint(code);
        if faults.is_empty() {
            return;
        }
        let rest = &self.text[fence_start.min(self.text.len())..];
        let fenced = rest.starts_with("```") || rest.starts_with("~~~") || {
            let t = rest.trim_start_matches(' ');
            t.starts_with("```") || t.starts_with("~~~")
        };
        let mut line_starts = vec![];
        let mut pos = fence_start;
        if fenced {
            pos += rest.find('\n').map_or(rest.len(), |i| i + 1);
        }
        // The block's own lines only: a fault never lies past them.
        let block_lines = code.split_inclusive('\n').count() + 1;
        for line in self.text[pos.min(self.text.len())..]
            .split_inclusive('\n')
            .take(block_lines)
        {
            line_starts.push(pos);
            pos += line.len();
        }
        // One finding for the diagram: its first fault, and where the others are.
        let mut places = faults.iter().filter_map(|fault| {
            let &line_start = line_starts.get(fault.line)?;
            let line = self.text[line_start..].lines().next().unwrap_or("");
            let col = line
                .char_indices()
                .nth(fault.col.saturating_sub(1))
                .map_or(line.len(), |(b, _)| b);
            Some(line_start + col)
        });
        let Some(first) = places.next() else {
            return;
        };
        let message = match faults.len() {
            1 => faults[0].message.clone(),
            n => format!("{} (one of {n} faults in this diagram)", faults[0].message),
        };
        self.findings.borrow_mut().push(Finding {
            offset: first,
            message,
            help: Some("align the box so every corner and tee meets a line".into()),
            lint: Some(Lint::BoxDrawing),
            group: None,
            also: places.collect(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{Highlighter, LinkResolver, Resolved};
    use crate::testing::config;

    struct NoLinks;

    impl LinkResolver for NoLinks {
        fn resolve(&self, _: &str, _: crate::markdown::links::LinkKind) -> Resolved {
            Resolved::External
        }
    }

    fn block(lang: &str, code: &str) -> (String, Vec<Finding>) {
        let config = config();
        let highlighter = Highlighter::default();
        let env = Env {
            highlighter: &highlighter,
            links: &NoLinks,
            diagrams: DiagramMode::Text,
            config: &config,
            xref: None,
            marks: None,
        };
        let findings = RefCell::new(Vec::new());
        let blocks = Blocks::new(&env, &findings, "");
        let html = blocks.block_html(lang, code, 0);
        (html, findings.into_inner())
    }

    #[test]
    fn the_blocks_to_highlight_are_found_ahead() {
        let doc = crate::markdown::Prepared::new(
            &"# T\n\n```yaml\na: 1\n```\n\n> ```python\n> x = 1\n> ```\n\n```text\nplain\n```\n\n```\n┌─┐\n└─┘\n```\n\n```mermaid\ngraph TD\nA-->B\n```\n".into(),
        );
        assert_eq!(
            highlighted_blocks(&doc),
            [
                ("yaml".to_string(), "a: 1\n".to_string()),
                ("python".to_string(), "x = 1\n".to_string()),
                // Drawn ahead too, in parallel with the others, and kept for the next build.
                ("mermaid".to_string(), "graph TD\nA-->B\n".to_string())
            ]
        );
    }

    #[test]
    fn languages_from_info_strings() {
        let fenced = |s: &str| language(&CodeBlockKind::Fenced(s.into()));
        assert_eq!(fenced("Python title=\"x.py\""), "python");
        assert_eq!(fenced("{.yaml}"), "yaml");
        assert_eq!(fenced("sql,linenos"), "sql");
        assert_eq!(language(&CodeBlockKind::Indented), "");
    }

    #[test]
    fn each_kind_of_block() {
        let (plain, _) = block("text", "a < b\n");
        assert_eq!(
            plain,
            "<pre class=\"code\"><code class=\"language-text\">a &lt; b\n</code></pre>\n"
        );
        let (mermaid, found) = block("mermaid", "graph TD\nA-->B\n");
        assert!(
            mermaid.starts_with("<div class=\"mermaid-drawn\"><svg"),
            "{mermaid}"
        );
        assert!(!has_mermaid(&mermaid) && found.is_empty(), "{mermaid}");
        // One that does not parse is named, and shown as its source (no Mermaid script).
        let (broken, found) = block("mermaid", "graph TD\nA[open --> B\n");
        assert!(!has_mermaid(&broken), "{broken}");
        assert!(
            broken.starts_with("<figure class=\"mermaid-error\">")
                && broken.contains("A[open --&gt; B"),
            "{broken}"
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("does not parse"), "{found:?}");
        let (math, _) = block("math", "x^2\n");
        assert!(
            math.starts_with("<div class=\"math-block\"><math"),
            "{math}"
        );
        let (yaml, found) = block("yaml", "key: value\n");
        assert!(
            yaml.starts_with("<pre class=\"code hl-code\" data-lang=\"yaml\">"),
            "{yaml}"
        );
        assert!(found.is_empty());
        let (diagram, _) = block("", "┌─┐\n└─┘\n");
        assert!(diagram.starts_with("<pre class=\"diagram\""), "{diagram}");
    }

    #[test]
    fn an_unknown_language_is_a_finding_and_plain_code() {
        let (html, found) = block("nosuchlang", "x <y>\n");
        assert!(html.contains("x &lt;y&gt;"), "{html}");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("`nosuchlang`"),
            "{}",
            found[0].message
        );
    }
}
