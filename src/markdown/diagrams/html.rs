//! A diagram as `<pre class="diagram">`, with every grapheme forced onto its cells (§6.3).
//!
//! A glyph the shipped font lacks falls back to a font with another advance and shifts the
//! rest of its line; emoji come out about 2.05 cells wide. So a wide grapheme goes in a
//! 2ch `w2` span and one the font lacks in a 1ch `w1` span. The spans add no text, so copying
//! the diagram gives back its source; tabs stay tabs (the CSS sets `tab-size: 8`).

use super::cells::{in_font, width, Graphemes};

pub(super) fn render(code: &str) -> String {
    let mut out = String::with_capacity(code.len() * 5 / 4 + 32);
    out.push_str("<pre class=\"diagram\">");
    // The HTML parser drops one newline right after `<pre>`; give it one to drop.
    if code.starts_with('\n') {
        out.push('\n');
    }
    for g in Graphemes::new(code) {
        let class = match width(g) {
            2 => Some("w2"),
            1 if !g.chars().all(in_font) => Some("w1"),
            _ => None,
        };
        if let Some(class) = class {
            out.push_str("<span class=\"");
            out.push_str(class);
            out.push_str("\">");
        }
        push_escaped(&mut out, g);
        if class.is_some() {
            out.push_str("</span>");
        }
    }
    out.push_str("</pre>\n");
    out
}

pub(super) fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text a browser shows (and copies) for one `<pre>`: tags dropped, entities decoded,
    /// the newline after `<pre>` dropped.
    fn text_content(html: &str) -> String {
        let start = html.find('>').expect("pre opens") + 1;
        let end = html.rfind("</pre>").expect("pre closes");
        let inner = &html[start..end];
        let mut out = String::new();
        let mut rest = inner.strip_prefix('\n').unwrap_or(inner);
        while let Some(lt) = rest.find('<') {
            out.push_str(&rest[..lt]);
            rest = &rest[lt + rest[lt..].find('>').expect("tag closes") + 1..];
        }
        out.push_str(rest);
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }

    #[test]
    fn escapes_and_wraps() {
        let html = render("a<b & c\n");
        assert_eq!(html, "<pre class=\"diagram\">a&lt;b &amp; c\n</pre>\n");
        let html = render("│精度│🚀★\t↘│\n");
        assert_eq!(
            html,
            "<pre class=\"diagram\">│<span class=\"w2\">精</span><span class=\"w2\">度</span>│\
             <span class=\"w2\">🚀</span><span class=\"w1\">★</span>\t↘│\n</pre>\n"
        );
    }

    #[test]
    fn sequences_get_one_span() {
        let html = render("✔\u{fe0f}👍🏻e\u{301}");
        assert_eq!(
            html,
            "<pre class=\"diagram\"><span class=\"w2\">✔\u{fe0f}</span><span class=\"w2\">👍🏻</span>\
             <span class=\"w1\">e\u{301}</span></pre>\n"
        );
    }

    #[test]
    fn copying_gives_back_the_source() {
        for code in ["\n┌─┐\n│&<>│\n└─┘\n", "a\tb 精 🚀 ★ ✅ 🇹🇭\n", "x &amp; y"]
        {
            assert_eq!(text_content(&render(code)), code);
        }
    }
}
