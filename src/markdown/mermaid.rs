//! ```mermaid blocks drawn at build time by merman, as inline SVG in the light and the dark
//! theme, so a page needs no script to show its diagrams and their text stays selectable.
//!
//! A block merman cannot draw (a diagram kind or an option it lacks, such as the ELK layout,
//! which is left out of the build for its licence) stays a `<pre class="mermaid">`, and that
//! page alone loads the bundled Mermaid script to draw it in the browser. A block merman
//! cannot parse is reported with its line and shown as its source: Mermaid's own parser,
//! which merman follows, would only print the error, at the cost of a 5 MB script.

use merman::svg::SvgRenderOptions;
use merman::{
    Engine, MermaidConfig, OperationControl, RenderError, RenderOutput, RenderRequest, Renderer,
    SvgRequest,
};
use std::sync::LazyLock;

/// What became of one block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Drawn {
    /// The HTML to put in its place.
    Svg(String),
    /// Left to the browser: merman has no drawing of it (`reason` says why).
    Fallback { reason: String },
    /// The source does not parse: `message` is the parser's, `at` the byte of the source
    /// it points at, where it says.
    SyntaxError { message: String, at: Option<usize> },
}

fn renderer(theme: &str) -> Renderer {
    let config = MermaidConfig::from_value(serde_json::json!({ "theme": theme }));
    Renderer::new().with_engine(Engine::new().with_site_config(config))
}

static LIGHT: LazyLock<Renderer> = LazyLock::new(|| renderer("default"));
static DARK: LazyLock<Renderer> = LazyLock::new(|| renderer("dark"));

/// `source` drawn in both themes; `id` is unique on the page (every id inside the SVG is
/// derived from it, so two diagrams on a page never share one).
pub(crate) fn draw(source: &str, id: &str) -> Drawn {
    let light = match svg(&LIGHT, source, id) {
        Ok(svg) => svg,
        Err(e) => return e,
    };
    let dark_id = format!("{id}-dark");
    let dark = match svg(&DARK, source, &dark_id) {
        Ok(svg) => svg,
        Err(e) => return e,
    };
    Drawn::Svg(themed(&light, id, &dark, &dark_id))
}

/// What a reader's page needs of merman's SVG: markers no edge points at and the edges'
/// `data-points` (for Mermaid's own editors) are dropped, a third of a flowchart's bytes.
fn trimmed(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    loop {
        let marker = rest.find("<marker ");
        let points = rest.find(" data-points=\"");
        match (marker, points) {
            (Some(m), p) if p.is_none_or(|p| m < p) => {
                let Some(len) = rest[m..].find("</marker>").map(|e| e + "</marker>".len()) else {
                    break;
                };
                let element = &rest[m..m + len];
                let id = element
                    .split("id=\"")
                    .nth(1)
                    .and_then(|t| t.split('"').next())
                    .unwrap_or("");
                out.push_str(&rest[..m]);
                if id.is_empty() || svg.contains(&format!("url(#{id})")) {
                    out.push_str(element);
                }
                rest = &rest[m + len..];
            }
            (_, Some(p)) => {
                let value = p + " data-points=\"".len();
                let Some(end) = rest[value..].find('"') else {
                    break;
                };
                out.push_str(&rest[..p]);
                rest = &rest[value + end + 1..];
            }
            _ => break,
        }
    }
    out.push_str(rest);
    out
}

fn svg(renderer: &Renderer, source: &str, id: &str) -> Result<String, Drawn> {
    let request = SvgRequest {
        options: SvgRenderOptions {
            diagram_id: Some(id.to_string()),
            ..Default::default()
        },
        ..Default::default()
    };
    // merman is young: a panic in it must cost one diagram, not the build.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        renderer.render(RenderRequest::svg(source, OperationControl::new(), request))
    }));
    match result {
        Ok(Ok(RenderOutput::Svg(Some(svg)))) => Ok(trimmed(svg.svg())),
        Ok(Ok(_)) | Ok(Err(RenderError::NoDiagram)) => Err(Drawn::Fallback {
            reason: "no diagram kind merman knows".into(),
        }),
        Ok(Err(RenderError::Parse(d))) => Err(Drawn::SyntaxError {
            message: d.terminal_safe_message(),
            at: d.terminal_diagnostic_details().span.map(|s| s.start),
        }),
        Ok(Err(e)) => Err(Drawn::Fallback {
            reason: e.to_string(),
        }),
        Err(_) => Err(Drawn::Fallback {
            reason: "merman failed on it".into(),
        }),
    }
}

/// One figure for both themes. Where the two drawings differ only in their style sheets
/// (most kinds), it is one SVG with the dark theme's differing rules scoped to the dark
/// page; otherwise (pie slices and the like carry their colours inline) both SVGs, and the
/// page's CSS shows the one of its theme.
fn themed(light: &str, id: &str, dark: &str, dark_id: &str) -> String {
    let (light_css, light_body) = split_style(light);
    let (dark_css, dark_body) = split_style(dark);
    let light_rules = used_rules(light_css, &light_body);
    if same_drawing(&light_body, &dark_body.replace(dark_id, id)) {
        let dark_css = dark_css.replace(dark_id, id);
        let dark_rules = used_rules(&dark_css, &light_body);
        let differing: Vec<&str> = dark_rules
            .iter()
            .copied()
            .filter(|r| !light_rules.contains(r))
            .collect();
        let chosen = scoped(&differing, id, "html[data-theme=\"dark\"]");
        let system = scoped(&differing, id, "html:not([data-theme=\"light\"])");
        let style = format!(
            "<style>{}{chosen}@media (prefers-color-scheme: dark){{{system}}}</style>",
            light_rules.join("")
        );
        let mut body = insert_style(&light_body, &style);
        let extra = gradients(&dark_body.replace(dark_id, id));
        if let Some(end) = body.rfind("</svg>") {
            if !gradients(&light_body).contains(&extra) {
                body.insert_str(end, &extra);
            }
        }
        return format!("<div class=\"mermaid-drawn\">{body}</div>\n");
    }
    let dark_rules = used_rules(dark_css, &dark_body);
    format!(
        "<div class=\"mermaid-drawn mermaid-two\"><div class=\"mermaid-light\">{}</div><div class=\"mermaid-dark\">{}</div></div>\n",
        insert_style(&light_body, &format!("<style>{}</style>", light_rules.join(""))),
        insert_style(&dark_body, &format!("<style>{}</style>", dark_rules.join(""))),
    )
}

/// `rules` with each selector that starts at the diagram (`#id ...`) put under `scope`;
/// at-rules and other selectors are left out, as they hold nothing of the theme.
fn scoped(rules: &[&str], id: &str, scope: &str) -> String {
    let root = format!("#{id}");
    let mut out = String::new();
    for rule in rules {
        let Some((selectors, declarations)) = rule.split_once('{') else {
            continue;
        };
        let mine: Vec<String> = selectors
            .split(',')
            .map(str::trim)
            .filter(|s| {
                s.strip_prefix(&root)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '.', ':', '[']))
            })
            .map(|s| format!("{scope} {s}"))
            .collect();
        if !mine.is_empty() {
            out.push_str(&mine.join(","));
            out.push('{');
            out.push_str(declarations);
        }
    }
    out
}

/// The SVG's first `<style>` sheet, and the SVG without it.
fn split_style(svg: &str) -> (&str, String) {
    let Some(open) = svg.find("<style>") else {
        return ("", svg.to_string());
    };
    let Some(close) = svg[open..].find("</style>").map(|c| open + c) else {
        return ("", svg.to_string());
    };
    let body = format!("{}{}", &svg[..open], &svg[close + "</style>".len()..]);
    (&svg[open + "<style>".len()..close], body)
}

/// The style goes back where merman put it: first inside the root `<svg ...>`.
fn insert_style(body: &str, style: &str) -> String {
    match body.find('>') {
        Some(end) if body.starts_with("<svg") => {
            format!("{}{style}{}", &body[..=end], &body[end + 1..])
        }
        _ => format!("{style}{body}"),
    }
}

/// The drawings match apart from what only tints them: `<defs>` (drop-shadow colours)
/// and gradients.
fn same_drawing(a: &str, b: &str) -> bool {
    untinted(a) == untinted(b)
}

fn untinted(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    loop {
        let next = ["<defs>", "<linearGradient"]
            .iter()
            .filter_map(|open| rest.find(open).map(|i| (i, *open)))
            .min();
        let Some((i, open)) = next else {
            break;
        };
        out.push_str(&rest[..i]);
        let close = if open == "<defs>" {
            "</defs>"
        } else {
            "</linearGradient>"
        };
        rest = rest[i..]
            .find(close)
            .map_or("", |j| &rest[i + j + close.len()..]);
    }
    out.push_str(rest);
    out
}

/// The gradients of `svg`, which the dark sheet's rules may name.
fn gradients(svg: &str) -> String {
    let mut out = String::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<linearGradient") {
        let Some(j) = rest[i..].find("</linearGradient>") else {
            break;
        };
        let end = i + j + "</linearGradient>".len();
        out.push_str(&rest[i..end]);
        rest = &rest[end..];
    }
    out
}

/// Mermaid's sheet holds the rules of every look and colour slot of the diagram kind, some
/// 20 kB; a drawing uses a few. A top-level rule is kept when one of its selectors can
/// match: each class and attribute value it names occurs in the drawing. At-rules (media,
/// keyframes) are kept whole.
fn used_rules<'c>(css: &'c str, body: &str) -> Vec<&'c str> {
    let mut rules = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in css.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    rules.push(&css[start..=i]);
                    start = i + 1;
                }
            }
            _ => {}
        }
    }
    rules.retain(|rule| {
        let selector = rule.split('{').next().unwrap_or("").trim();
        selector.starts_with('@') || selector.split(',').any(|one| can_match(one, body))
    });
    rules
}

fn can_match(selector: &str, body: &str) -> bool {
    let bytes = selector.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'.' => {
                let name: String = selector[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                if !name.is_empty() && !body.contains(name.as_str()) {
                    return false;
                }
                i += 1 + name.len();
            }
            b'[' => {
                let end = selector[i..].find(']').map_or(selector.len(), |e| i + e);
                let inner = &selector[i + 1..end];
                if let Some((attr, value)) = inner.split_once('=') {
                    let value = value.trim_matches('"');
                    if !body.contains(&format!("{attr}=\"{value}\"")) {
                        return false;
                    }
                }
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flowchart_is_one_svg_for_both_themes() {
        let Drawn::Svg(html) = draw(
            "flowchart TD\n  A[Train] --> B{Good?}\n  B -->|Yes| C[Deploy]\n",
            "m1",
        ) else {
            panic!("not drawn");
        };
        assert!(
            html.starts_with("<div class=\"mermaid-drawn\"><svg"),
            "{html}"
        );
        assert_eq!(html.matches("<svg").count(), 1, "{html}");
        for label in ["Train", "Good?", "Yes", "Deploy"] {
            assert!(html.contains(label), "{label} missing");
        }
        assert!(html.contains("id=\"m1\""));
        assert!(
            html.contains("html[data-theme=\"dark\"] #m1"),
            "no dark rules"
        );
        assert!(html.contains("prefers-color-scheme: dark"));
        assert!(
            html.len() < 20_000,
            "the unused rules were not dropped: {}",
            html.len()
        );
    }

    #[test]
    fn a_pie_is_drawn_twice() {
        let Drawn::Svg(html) = draw("pie title Pets\n  \"Dogs\" : 386\n  \"Cats\" : 85\n", "p")
        else {
            panic!("not drawn");
        };
        assert!(html.contains("mermaid-light") && html.contains("mermaid-dark"));
        assert!(html.contains("id=\"p\"") && html.contains("id=\"p-dark\""));
    }

    #[test]
    fn a_syntax_error_is_named_and_nothing_else_is() {
        let drawn = draw("flowchart TD\n  A[open --> B\n", "e");
        assert!(matches!(drawn, Drawn::SyntaxError { .. }), "{drawn:?}");
        let drawn = draw("notadiagram\n  A --> B\n", "n");
        assert!(!matches!(drawn, Drawn::Svg(_)), "{drawn:?}");
    }

    #[test]
    fn unused_markers_and_edge_points_are_dropped() {
        let svg = "<svg><marker id=\"a\"><path/></marker><marker id=\"b\"><path/></marker>\
                   <path data-points=\"W3s=\" marker-end=\"url(#b)\"/></svg>";
        assert_eq!(
            trimmed(svg),
            "<svg><marker id=\"b\"><path/></marker><path marker-end=\"url(#b)\"/></svg>"
        );
    }

    #[test]
    fn rules_for_classes_the_drawing_lacks_are_dropped() {
        let css = "#m .node rect{fill:red}#m .cluster rect{fill:blue}@keyframes dash{to{x:0}}#m [data-look=\"neo\"] p{a:b}";
        let kept = used_rules(css, "<g class=\"node\"><rect/></g>");
        assert_eq!(
            kept,
            ["#m .node rect{fill:red}", "@keyframes dash{to{x:0}}"]
        );
    }
}
