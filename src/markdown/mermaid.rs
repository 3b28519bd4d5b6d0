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
    let referenced = referenced_ids(svg);
    let marker_finder = memchr::memmem::Finder::new("<marker ");
    let points_finder = memchr::memmem::Finder::new(" data-points=\"");
    let mut out = String::with_capacity(svg.len());
    // Byte offsets into `svg`: where the copy has reached, and the next of each (each is
    // searched for once past where it was last found, so the pass is linear).
    let mut at = 0;
    // The next match of `finder` at or past `from`.
    let next = |finder: &memchr::memmem::Finder, from: usize| {
        finder.find(&svg.as_bytes()[from..]).map(|i| from + i)
    };
    // A match found before still stands when the copy has not passed it.
    let kept =
        |found: Option<usize>, finder, at| found.filter(|&f| f >= at).or_else(|| next(finder, at));
    let mut marker = next(&marker_finder, 0);
    let mut points = next(&points_finder, 0);
    loop {
        match (marker, points) {
            (Some(m), p) if p.is_none_or(|p| m < p) => {
                let Some(len) = svg[m..].find("</marker>").map(|e| e + "</marker>".len()) else {
                    break;
                };
                let element = &svg[m..m + len];
                let id = element
                    .split("id=\"")
                    .nth(1)
                    .and_then(|t| t.split('"').next())
                    .unwrap_or("");
                out.push_str(&svg[at..m]);
                if id.is_empty() || referenced.contains(id) {
                    out.push_str(element);
                }
                at = m + len;
                marker = next(&marker_finder, at);
                points = kept(points, &points_finder, at);
            }
            (_, Some(p)) => {
                let value = p + " data-points=\"".len();
                let Some(end) = svg[value..].find('"') else {
                    break;
                };
                out.push_str(&svg[at..p]);
                at = value + end + 1;
                points = next(&points_finder, at);
                marker = kept(marker, &marker_finder, at);
            }
            _ => break,
        }
    }
    out.push_str(&svg[at..]);
    out
}

/// Attributes whose numbers are lengths and coordinates: kept to two decimals (merman
/// writes up to sixteen), a hundredth of a pixel.
const NUMERIC: &[&str] = &[
    "d",
    "transform",
    "style",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "width",
    "height",
    "viewBox",
    "points",
    "refX",
    "refY",
    "dx",
    "dy",
];

/// What merman writes for Mermaid's editors, which a reader's page never uses.
const EDITOR_ATTRIBUTES: &[&str] = &["data-et", "data-edge", "data-id"];

/// merman's SVG with what a page never uses left out, inside its tags only (text and the
/// style sheet are kept as they are): numbers to two decimals, a class named twice once,
/// the editors' `data-et`, `data-edge` and `data-id` (unless a rule selects by them), the
/// XHTML namespace of labels (an HTML page puts them there anyway), and ids of paths that
/// nothing points at.
fn compact(svg: &str) -> String {
    let referenced = referenced_ids(svg);
    let keep_data: Vec<&str> = EDITOR_ATTRIBUTES
        .iter()
        .copied()
        .filter(|a| svg.contains(&format!("[{a}")))
        .collect();
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        if rest.starts_with("<style>") {
            let end = rest
                .find("</style>")
                .map_or(rest.len(), |e| e + "</style>".len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let Some(close) = tag_end(rest) else {
            break;
        };
        compact_tag(&rest[..=close], &referenced, &keep_data, &mut out);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The byte of the `>` that ends the tag `tag` starts with (quoted values may hold `>`).
fn tag_end(tag: &str) -> Option<usize> {
    let mut quoted = false;
    tag.bytes().position(|b| {
        if b == b'"' {
            quoted = !quoted;
        }
        b == b'>' && !quoted
    })
}

/// Every id some part of `svg` points at: `url(#id)` and `href="#id"`.
fn referenced_ids(svg: &str) -> std::collections::HashSet<&str> {
    let mut ids = std::collections::HashSet::new();
    for (open, close) in [("url(#", ')'), ("href=\"#", '"')] {
        let mut rest = svg;
        while let Some(i) = rest.find(open) {
            rest = &rest[i + open.len()..];
            if let Some(end) = rest.find(close) {
                ids.insert(&rest[..end]);
            }
        }
    }
    ids
}

fn compact_tag(
    tag: &str,
    referenced: &std::collections::HashSet<&str>,
    keep_data: &[&str],
    out: &mut String,
) {
    if tag.starts_with("</") || tag.starts_with("<!") || !tag.contains('"') {
        out.push_str(tag);
        return;
    }
    let name_len = tag[1..]
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .map_or(tag.len() - 1, |n| n);
    let element = &tag[1..1 + name_len];
    out.push('<');
    out.push_str(element);
    let mut rest = &tag[1 + name_len..];
    loop {
        let trimmed = rest.trim_start();
        let Some(eq) = trimmed.find("=\"") else {
            out.push_str(rest);
            return;
        };
        let attr = &trimmed[..eq];
        if attr.contains(['>', ' ', '/']) {
            out.push_str(rest);
            return;
        }
        let value_start = eq + 2;
        let Some(value_len) = trimmed[value_start..].find('"') else {
            out.push_str(rest);
            return;
        };
        let value = &trimmed[value_start..value_start + value_len];
        rest = &trimmed[value_start + value_len + 1..];
        let dropped = (EDITOR_ATTRIBUTES.contains(&attr) && !keep_data.contains(&attr))
            || (attr == "xmlns" && value == "http://www.w3.org/1999/xhtml")
            || (attr == "id" && element == "path" && !referenced.contains(value));
        if dropped {
            continue;
        }
        out.push(' ');
        out.push_str(attr);
        out.push_str("=\"");
        if attr == "class" {
            let mut seen: Vec<&str> = Vec::new();
            for class in value.split_whitespace() {
                if !seen.contains(&class) {
                    seen.push(class);
                }
            }
            out.push_str(&seen.join(" "));
        } else if NUMERIC.contains(&attr) {
            rounded(value, attr == "d", out);
        } else {
            out.push_str(value);
        }
        out.push('"');
    }
}

/// `value` with each number of more than two decimals rounded to two. In path data
/// (`path`) a number may follow its command letter ("L458.333"); elsewhere a digit after a
/// letter is part of a name.
fn rounded(value: &str, path: bool, out: &mut String) {
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts_number = bytes[i].is_ascii_digit()
            && (i == 0
                || (path && bytes[i - 1].is_ascii_alphabetic())
                || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'));
        if !starts_number {
            let c = value[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        if bytes.get(j) == Some(&b'.') {
            let mut k = j + 1;
            while k < bytes.len() && bytes[k].is_ascii_digit() {
                k += 1;
            }
            let decimals = k - j - 1;
            let followed_by_e = matches!(bytes.get(k), Some(b'e' | b'E'));
            if decimals > 2 && !followed_by_e {
                if let Ok(n) = value[i..k].parse::<f64>() {
                    let text = format!("{n:.2}");
                    let text = text.trim_end_matches('0').trim_end_matches('.');
                    out.push_str(text);
                    i = k;
                    continue;
                }
            }
            out.push_str(&value[i..k]);
            i = k;
            continue;
        }
        out.push_str(&value[i..j]);
        i = j;
    }
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
        Ok(Ok(RenderOutput::Svg(Some(svg)))) => Ok(hoisted(&without_empty_labels(&compact(
            &trimmed(svg.svg()),
        )))),
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

/// `svg` without the edge labels merman writes for edges that have none: a group holding
/// a zero-sized `<foreignObject>` with an empty label, some 300 bytes an edge.
fn without_empty_labels(svg: &str) -> String {
    const OPEN: &str = "<g class=\"edgeLabel\"><g class=\"label\"";
    const CLOSE: &str = "</g></g>";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let Some(len) = rest[at..].find(CLOSE).map(|e| e + CLOSE.len()) else {
            rest = &rest[at..];
            break;
        };
        let group = &rest[at..at + len];
        let empty = group.contains("<foreignObject width=\"0\" height=\"0\">")
            && !group[OPEN.len()..len - CLOSE.len()].contains("<g")
            && super::quiz::strip_tags(group).trim().is_empty();
        if !empty {
            out.push_str(group);
        }
        rest = &rest[at + len..];
    }
    out.push_str(rest);
    out
}

/// Elements whose inline style merman writes alike on every label of a drawing.
const LABEL_ELEMENTS: &[&str] = &["div", "span", "p", "foreignObject"];

/// How merman lays out a label, as it writes it inline on each one, by the name of the
/// class style.css gives the same declarations (`ml-` and the name, with the width where a
/// layout names one).
const LABEL_LAYOUTS: &[(&str, &str)] = &[
    ("t", "display: table; white-space: nowrap; line-height: 1.5"),
    (
        "tb",
        "display: table; white-space: break-spaces; line-height: 1.5",
    ),
    (
        "tc",
        "display: table-cell; white-space: nowrap; line-height: 1.5",
    ),
];

/// The widths merman wraps labels at (a flowchart's 200px, other kinds' 100px and 120px).
const LABEL_WIDTHS: &[u32] = &[100, 120, 200];

/// The class of the label declarations `style` (without the label's own width and height),
/// where style.css has one.
fn label_class(style: &str) -> Option<String> {
    if style == "overflow: visible" {
        return Some("ml-ov".to_string());
    }
    LABEL_LAYOUTS.iter().find_map(|(name, layout)| {
        let rest = style.strip_prefix(layout)?;
        if rest.is_empty() {
            return Some(format!("ml-{name}"));
        }
        LABEL_WIDTHS.iter().find_map(|w| {
            (rest == format!("; max-width: {w}px; text-align: center"))
                .then(|| format!("ml-{name}{w}"))
        })
    })
}

/// `svg` with the inline layout of its labels (`display: table-cell; white-space: nowrap;
/// line-height: 1.5; max-width: 200px; text-align: center;` on each one, a sixth of a
/// flowchart) as a class of style.css; a label's own width and height stay inline, and a
/// style merman wrote otherwise (a `classDef`'s colours) stays as it is.
fn hoisted(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let Some(close) = tag_end(rest) else {
            break;
        };
        let tag = &rest[..=close];
        rest = &rest[close + 1..];
        out.push_str(&label_tag(tag).unwrap_or_else(|| tag.to_string()));
    }
    out.push_str(rest);
    out
}

/// `tag` with its label layout as a class, where it is a label's with one.
fn label_tag(tag: &str) -> Option<String> {
    let element = tag[1..]
        .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .next()?;
    if !LABEL_ELEMENTS.contains(&element) {
        return None;
    }
    let style_at = tag.find(" style=\"")?;
    let value_at = style_at + " style=\"".len();
    let value_len = tag[value_at..].find('"')?;
    let (own, layout): (Vec<&str>, Vec<&str>) = tag[value_at..value_at + value_len]
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .partition(|d| {
            let property = d.split(':').next().unwrap_or("").trim();
            property == "width" || property == "height"
        });
    let class = label_class(&layout.join("; "))?;
    let mut rebuilt = String::with_capacity(tag.len());
    rebuilt.push_str(&tag[..style_at]);
    if !own.is_empty() {
        rebuilt.push_str(" style=\"");
        rebuilt.push_str(&own.join(";"));
        rebuilt.push('"');
    }
    rebuilt.push_str(&tag[value_at + value_len + 1..]);
    match rebuilt.find(" class=\"") {
        Some(c) => rebuilt.insert_str(c + " class=\"".len(), &format!("{class} ")),
        None => rebuilt.insert_str(1 + element.len(), &format!(" class=\"{class}\"")),
    }
    Some(rebuilt)
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

/// Where the style sheets drawings share are written, one file each.
pub(crate) const SHEETS_DIR: &str = "static/diagrams/";

/// Takes each drawing's style sheet out of `html` into a file its page links to: drawings of
/// one kind and theme share a sheet (a Databricks guide of 345 diagrams has 27), which
/// inline cost some 6 kB each. The sheet's `#id` becomes a class of the `<svg>` (under
/// `.mermaid-drawn`, which outranks the theme's own `.content p` and the like); rules that
/// point at the drawing's own elements (`url(#id-gradient)`) stay inline. Returns each
/// sheet used, by name, with its text.
pub(crate) fn share_styles(html: &mut String) -> Vec<(String, String)> {
    if !html.contains("<div class=\"mermaid-drawn") {
        return Vec::new();
    }
    let mut sheets: Vec<(String, String)> = Vec::new();
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(at) = rest.find("<svg id=\"mermaid-") {
        out.push_str(&rest[..at]);
        let svg = &rest[at..];
        let id_end = "<svg id=\"".len();
        let (Some(id_len), Some(tag_end)) = (svg[id_end..].find('"'), svg.find('>')) else {
            out.push_str(svg);
            rest = "";
            break;
        };
        let id = &svg[id_end..id_end + id_len];
        let tag = &svg[..=tag_end];
        let after = &svg[tag_end + 1..];
        let Some(css_len) = after
            .strip_prefix("<style>")
            .and_then(|css| css.find("</style>"))
        else {
            out.push_str(tag);
            rest = after;
            continue;
        };
        let css = &after["<style>".len().."<style>".len() + css_len];
        let (shared, own) = split_sheet(css, id);
        let name = {
            let hash = blake3::hash(shared.as_bytes()).to_hex();
            format!("d-{}", &hash[..12])
        };
        out.push_str(&with_class(tag, &name));
        if !own.is_empty() {
            out.push_str("<style>");
            out.push_str(&own);
            out.push_str("</style>");
        }
        if !sheets.iter().any(|(n, _)| *n == name) {
            let text = shared.replace(PLACEHOLDER, &format!(".mermaid-drawn .{name}"));
            sheets.push((name, text));
        }
        rest = &after["<style>".len() + css_len + "</style>".len()..];
    }
    out.push_str(rest);
    *html = out;
    sheets
}

/// What stands for the drawing's `#id` in a shared sheet until its name is known.
const PLACEHOLDER: &str = "\u{0}drawing";

/// `tag` (an `<svg ...>`) with `class` added to its classes.
fn with_class(tag: &str, class: &str) -> String {
    match tag.find(" class=\"") {
        Some(i) => {
            let at = i + " class=\"".len();
            format!("{}{class} {}", &tag[..at], &tag[at..])
        }
        None => format!("<svg class=\"{class}\"{}", &tag["<svg".len()..]),
    }
}

/// `css` of the drawing `id` as the part any drawing with the same sheet can share (`#id`
/// as [`PLACEHOLDER`]) and the rules that name the drawing's own elements, as they were.
fn split_sheet(css: &str, id: &str) -> (String, String) {
    let (mut shared, mut own) = (String::new(), String::new());
    for rule in top_level(css) {
        let (head, body) = rule.split_once('{').unwrap_or((rule, ""));
        if head.trim_start().starts_with("@media") {
            let inner = &body[..body.len().saturating_sub(1)];
            let (s, o) = split_sheet(inner, id);
            if !s.is_empty() {
                shared.push_str(&format!("{head}{{{s}}}"));
            }
            if !o.is_empty() {
                own.push_str(&format!("{head}{{{o}}}"));
            }
        } else if rule.contains("url(#") {
            own.push_str(rule);
        } else {
            shared.push_str(&unnamed(rule, id));
        }
    }
    (shared, own)
}

/// `rule` with each `#id` (not a longer id that starts with it) as [`PLACEHOLDER`].
fn unnamed(rule: &str, id: &str) -> String {
    let root = format!("#{id}");
    let mut out = String::with_capacity(rule.len());
    let mut rest = rule;
    while let Some(i) = rest.find(&root) {
        let after = &rest[i + root.len()..];
        out.push_str(&rest[..i]);
        if after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            out.push_str(&root);
        } else {
            out.push_str(PLACEHOLDER);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The top-level rules and at-rules of `css`, each with its braces.
fn top_level(css: &str) -> Vec<&str> {
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
    rules
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
    let classes = classes_of(body);
    let mut rules = top_level(css);
    rules.retain(|rule| {
        let selector = rule.split('{').next().unwrap_or("").trim();
        selector.starts_with('@')
            || selector
                .split(',')
                .any(|one| can_match(one, body, &classes))
    });
    rules
}

/// Every class an element of `body` has, read once (a sheet's rules ask for hundreds).
fn classes_of(body: &str) -> std::collections::HashSet<&str> {
    let mut classes = std::collections::HashSet::new();
    let mut rest = body;
    while let Some(i) = rest.find(" class=\"") {
        rest = &rest[i + " class=\"".len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        classes.extend(rest[..end].split_whitespace());
        rest = &rest[end..];
    }
    classes
}

fn can_match(selector: &str, body: &str, classes: &std::collections::HashSet<&str>) -> bool {
    let bytes = selector.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'.' => {
                let name: String = selector[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                if !name.is_empty() && !classes.contains(name.as_str()) {
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
    fn path_numbers_after_their_command_are_rounded_and_names_are_not() {
        let mut d = String::new();
        rounded("M513,55.48L458.333,63.7312C403.667,71.98", true, &mut d);
        assert_eq!(d, "M513,55.48L458.33,63.73C403.67,71.98");
        let mut other = String::new();
        rounded("url(#a1.23456)", false, &mut other);
        assert_eq!(other, "url(#a1.23456)");
    }

    #[test]
    fn empty_edge_labels_are_dropped_and_written_ones_kept() {
        let empty = "<g class=\"edgeLabel\"><g class=\"label\" transform=\"translate(0,0)\"><foreignObject width=\"0\" height=\"0\"><div class=\"labelBkg\"><span class=\"edgeLabel\"></span></div></foreignObject></g></g>";
        let yes = "<g class=\"edgeLabel\"><g class=\"label\" transform=\"translate(9,4)\"><foreignObject width=\"30\" height=\"24\"><div><span class=\"edgeLabel\"><p>Yes</p></span></div></foreignObject></g></g>";
        let svg = format!("<g class=\"edgeLabels\">{empty}{yes}{empty}</g>");
        assert_eq!(
            without_empty_labels(&svg),
            format!("<g class=\"edgeLabels\">{yes}</g>")
        );
    }

    #[test]
    fn label_layouts_become_classes_style_css_rules() {
        let css = include_str!("../../static/style.css");
        let tag = "<div class=\"labelBkg\" style=\"display: table-cell; white-space: nowrap; line-height: 1.5; max-width: 200px; text-align: center; width: 31px;\">";
        assert_eq!(
            label_tag(tag).unwrap(),
            "<div class=\"ml-tc200 labelBkg\" style=\"width: 31px\">"
        );
        assert_eq!(
            label_tag("<foreignObject width=\"3\" style=\"overflow: visible;\">").unwrap(),
            "<foreignObject class=\"ml-ov\" width=\"3\">"
        );
        // A classDef's colours are the author's: they stay inline.
        assert!(label_tag("<span style=\"color:#fff !important;\">").is_none());
        // Each class's declarations, from every rule of style.css that names it.
        let mut ruled: std::collections::HashMap<&str, Vec<String>> = Default::default();
        for rule in css.split('}') {
            let Some((selectors, body)) = rule.split_once('{') else {
                continue;
            };
            for class in selectors.split(['(', ')', ',', ' ']) {
                if let Some(class) = class.strip_prefix(".ml-") {
                    let declarations = body.split(';').map(|d| d.trim().replace(" !important", ""));
                    let entry = ruled.entry(class).or_default();
                    entry.extend(declarations.filter(|d| !d.is_empty()));
                }
            }
        }
        for (name, layout) in LABEL_LAYOUTS {
            let mut styles = vec![(format!("ml-{name}"), layout.to_string())];
            for w in LABEL_WIDTHS {
                styles.push((
                    format!("ml-{name}{w}"),
                    format!("{layout}; max-width: {w}px; text-align: center"),
                ));
            }
            for (class, style) in styles {
                assert_eq!(label_class(&style).as_deref(), Some(class.as_str()));
                let mut want: Vec<&str> = style.split("; ").collect();
                let mut got: Vec<&str> = ruled[&class["ml-".len()..]]
                    .iter()
                    .map(String::as_str)
                    .collect();
                want.sort_unstable();
                got.sort_unstable();
                assert_eq!(got, want, "style.css rules {class} otherwise");
            }
        }
    }

    #[test]
    fn a_class_is_matched_whole_not_inside_another_name() {
        let css = "#m .edgePaths .path{stroke:red}#m .edgePaths path{stroke:blue}";
        let kept = used_rules(
            css,
            "<g class=\"edgePaths\"><path class=\"flowchart-link\"/></g>",
        );
        assert_eq!(kept, ["#m .edgePaths path{stroke:blue}"]);
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
