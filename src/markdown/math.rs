//! Math: `$...$` inline and `$$...$$` display (pulldown-cmark's math extension), drawn in
//! the browser by the bundled KaTeX. Math needs math, so three rules are added to the
//! parser's, each turning the span back into the text it was written as:
//! - as in Pandoc, a closing `$` followed by a digit does not close, so prices
//!   (`$0.10–$0.20 per GB`, `$5/$10`) stay text;
//! - nor does one followed by a letter: `$match/$sort` and `$first/$last` are MongoDB
//!   operators, not a formula `match/` followed by the word `sort`;
//! - an empty span is text: `$$$$` is a cost rating in a table cell.

use super::Spanned;
use pulldown_cmark::Event;

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

/// Does a rendered body hold math for KaTeX to draw?
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
