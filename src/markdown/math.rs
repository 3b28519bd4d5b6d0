//! Math: `$...$` inline and `$$...$$` display (pulldown-cmark's math extension) and ```math
//! blocks, written as MathML at build time (math-core), so a page needs no script to show
//! them. A formula math-core cannot read stays marked for the bundled KaTeX, which draws it
//! in the browser on that page only (and shows it as written, with KaTeX's reason, if it
//! cannot either).
//!
//! Math needs math, so three rules are added to the parser's, each turning the span back
//! into the text it was written as:
//! - as in Pandoc, a closing `$` followed by a digit does not close, so prices
//!   (`$0.10–$0.20 per GB`, `$5/$10`) stay text;
//! - nor does one followed by a letter: `$match/$sort` and `$first/$last` are MongoDB
//!   operators, not a formula `match/` followed by the word `sort`;
//! - an empty span is text: `$$$$` is a cost rating in a table cell.

use super::adapter::{Step, Upstream};
use super::Spanned;
use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use pulldown_cmark::Event;
use std::collections::VecDeque;
use std::sync::LazyLock;

pub(crate) struct Dollars<'s, I> {
    inner: I,
    source: &'s str,
}

impl<'s, I> Dollars<'s, I> {
    pub(crate) fn new(inner: I, source: &'s str) -> Self {
        Dollars { inner, source }
    }
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for Dollars<'_, I> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        let (ev, range) = self.inner.next()?;
        let as_written = match &ev {
            Event::InlineMath(tex) => {
                let next = self.source[range.end..].chars().next();
                tex.trim().is_empty() || next.is_some_and(|c| c.is_ascii_alphanumeric())
            }
            Event::DisplayMath(tex) => tex.trim().is_empty(),
            _ => false,
        };
        match self.source.get(range.clone()) {
            Some(text) if as_written => Some((Event::Text(text.to_string().into()), range)),
            _ => Some((ev, range)),
        }
    }
}

/// The one converter of the process: its configuration is fixed, and converting borrows it.
static CONVERTER: LazyLock<Option<LatexToMathML>> = LazyLock::new(|| {
    LatexToMathML::new(MathCoreConfig {
        // The TeX travels with the MathML: copied, read aloud or searched as written.
        annotation: true,
        ..MathCoreConfig::default()
    })
    .ok()
});

/// `tex` as MathML, or `None` where math-core cannot read it (an unknown command, an
/// unbalanced brace): then KaTeX gets its turn in the browser.
pub(crate) fn to_mathml(tex: &str, block: bool) -> Option<String> {
    let display = if block {
        MathDisplay::Block
    } else {
        MathDisplay::Inline
    };
    let converted = CONVERTER
        .as_ref()?
        .convert_with_local_state(tex.trim(), display)
        .ok()?;
    let class = if block { "math-display" } else { "math-inline" };
    Some(
        converted
            .mathml
            .replacen("<math", &format!("<math class=\"{class}\""), 1),
    )
}

/// A math event as MathML, where math-core reads it; `None` for any other event.
pub(crate) fn event_mathml(ev: &Event) -> Option<String> {
    match ev {
        Event::InlineMath(tex) => to_mathml(tex, false),
        Event::DisplayMath(tex) => to_mathml(tex, true),
        _ => None,
    }
}

/// At render time, each formula math-core can read becomes its MathML.
#[derive(Default)]
pub(crate) struct ToMathMl;

impl<'a> Step<'a> for ToMathMl {
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        (ev, range): Spanned<'a>,
        _: Upstream<'_, I>,
        out: &mut VecDeque<Spanned<'a>>,
    ) {
        match event_mathml(&ev) {
            Some(mathml) => out.push_back((Event::InlineHtml(mathml.into()), range)),
            None => out.push_back((ev, range)),
        }
    }
}

/// Does a rendered body hold math left for KaTeX to draw?
pub(crate) fn has_math(html: &str) -> bool {
    html.contains("<span class=\"math math-") || html.contains("<pre class=\"math\">")
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html, Parser, TextMergeWithOffset};

    fn render(md: &str) -> String {
        let events = TextMergeWithOffset::new(
            Parser::new_ext(md, super::super::options(true)).into_offset_iter(),
        );
        let mut out = String::new();
        html::push_html(&mut out, Dollars::new(events, md).map(|(e, _)| e));
        out
    }

    #[test]
    fn math_is_marked_for_katex() {
        assert_eq!(
            render("F1 is $\\frac{2PR}{P+R}$, see\n\n$$\nx^2\n$$\n"),
            "<p>F1 is <span class=\"math math-inline\">\\frac{2PR}{P+R}</span>, see</p>\n\
             <p><span class=\"math math-display\">\nx^2\n</span></p>\n"
        );
    }

    #[test]
    fn operators_and_ratings_stay_text() {
        for md in [
            "use $match/$sort and $first/$last",
            "| Active-Active | $$$$ |\n|---|---|\n",
        ] {
            let html = render(md);
            assert!(!html.contains("math"), "{md} -> {html}");
        }
        assert!(render("| a | $$$$ |\n|---|---|\n").contains("$$$$"));
        assert!(render("use $match/$sort").contains("$match/$sort"));
        assert!(render("F1 is $2PR$, and $x$.").contains("math-inline\">2PR<"));
    }

    #[test]
    fn prices_stay_text() {
        for md in [
            "S3 costs $0.023–$0.025 per GB",
            "pick $5/$10 plans",
            "between $5,000-$10,000 a month",
            "costs $5 and $10 per hour",
        ] {
            let html = render(md);
            assert!(!html.contains("math"), "{md} -> {html}");
            assert!(
                html.contains(&md[md.find('$').unwrap()..]),
                "{md} -> {html}"
            );
        }
    }
}
