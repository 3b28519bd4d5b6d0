//! The shape every stateful adapter shares: an event from upstream goes in, what it becomes
//! waits in a queue until downstream asks. Each adapter writes only its [`Step`]; the
//! draining, peeking and end-of-stream handling are here once, as a loop (no recursion, so
//! no input can grow the stack).

use super::Spanned;
use pulldown_cmark::{CowStr, Event};
use pulldown_cmark_escape::escape_html_body_text;
use std::collections::VecDeque;
use std::iter::Peekable;
use std::ops::Range;

/// The upstream an adapter reads from: it may peek, or take more events for one it holds.
pub(crate) type Upstream<'u, I> = &'u mut Peekable<I>;

/// One adapter's work.
pub(crate) trait Step<'a> {
    /// Takes `ev` (and as many events after it from `upstream` as it needs) and pushes what
    /// they become onto `out`.
    fn step<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        ev: Spanned<'a>,
        upstream: Upstream<'_, I>,
        out: &mut VecDeque<Spanned<'a>>,
    );

    /// Once, when upstream is done: anything that closes at the end of the note.
    fn finish(&mut self, _out: &mut VecDeque<Spanned<'a>>) {}

    /// Told of each event as it goes downstream, in queue order (for state that adapters
    /// after this one read while they handle that event).
    fn handed_out(&mut self, _ev: &Spanned<'a>) {}

    /// True for a step that passes every event through as it is, and so is skipped (an
    /// adapter this pass does not use); asked once, when the adapter is made.
    fn idle(&self) -> bool {
        false
    }
}

/// An event adapter made of a [`Step`].
pub(crate) struct Adapter<'a, I: Iterator<Item = Spanned<'a>>, S> {
    upstream: Peekable<I>,
    step: S,
    queue: VecDeque<Spanned<'a>>,
    finished: bool,
    idle: bool,
}

impl<'a, I: Iterator<Item = Spanned<'a>>, S: Step<'a>> Adapter<'a, I, S> {
    pub(crate) fn new(upstream: I, step: S) -> Self {
        Adapter {
            upstream: upstream.peekable(),
            idle: step.idle(),
            step,
            queue: VecDeque::new(),
            finished: false,
        }
    }
}

impl<'a, I: Iterator<Item = Spanned<'a>>, S: Step<'a>> Iterator for Adapter<'a, I, S> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        if self.idle {
            return self.upstream.next();
        }
        loop {
            if let Some(ev) = self.queue.pop_front() {
                self.step.handed_out(&ev);
                return Some(ev);
            }
            match self.upstream.next() {
                Some(ev) => self.step.step(ev, &mut self.upstream, &mut self.queue),
                None if !self.finished => {
                    self.finished = true;
                    self.step.finish(&mut self.queue);
                }
                None => return None,
            }
        }
    }
}

/// `text` as events, each of `links` (a byte range of `text` and the opening tag that
/// links it) made one piece of HTML, the link with its text; `range` is the source range
/// every event keeps. Adapters after this one see no text inside these links.
pub(crate) fn link_runs<'a>(
    text: CowStr<'a>,
    links: &[(Range<usize>, String)],
    range: &Range<usize>,
    out: &mut VecDeque<Spanned<'a>>,
) {
    if links.is_empty() {
        out.push_back((Event::Text(text), range.clone()));
        return;
    }
    let mut last = 0;
    for (r, open) in links {
        if r.start > last {
            let before = text[last..r.start].to_string();
            out.push_back((Event::Text(before.into()), range.clone()));
        }
        let mut html = open.clone();
        let _ = escape_html_body_text(&mut html, &text[r.clone()]);
        html.push_str("</a>");
        out.push_back((Event::InlineHtml(html.into()), range.clone()));
        last = r.end;
    }
    if last < text.len() {
        out.push_back((Event::Text(text[last..].to_string().into()), range.clone()));
    }
}
