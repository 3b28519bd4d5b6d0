//! The floor a build cannot go under: pulldown-cmark and syntect alone. Reads every `.md`
//! under NOTES, parses it, highlights every fenced block syntect knows (classed HTML, the
//! syntax set studysite uses), renders and writes it under OUT, all notes in parallel.
//! `bench/bench.py` runs it beside studysite on each real corpus.
//!
//! Usage: cargo run --release --example floor -- NOTES OUT

use pulldown_cmark::{html, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn highlight(set: &SyntaxSet, lang: &str, code: &str) -> Option<String> {
    let syntax = set
        .find_syntax_by_token(lang)
        .or_else(|| set.find_syntax_by_name(lang))?;
    let mut gen = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        set,
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(code) {
        gen.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(gen.finalize())
}

fn render(set: &SyntaxSet, text: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    for ev in Parser::new_ext(text, options) {
        match (ev, &mut code) {
            (Event::Start(Tag::CodeBlock(kind)), _) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_lowercase()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            (Event::Text(t), Some((_, body))) => body.push_str(&t),
            (Event::End(TagEnd::CodeBlock), Some(_)) => {
                let (lang, body) = code.take().unwrap_or_default();
                let inner = highlight(set, &lang, &body).unwrap_or(body);
                events.push(Event::Html(
                    format!("<pre><code>{inner}</code></pre>\n").into(),
                ));
            }
            (ev, None) => events.push(ev),
            _ => {}
        }
    }
    let mut out = String::with_capacity(text.len() * 2);
    html::push_html(&mut out, events.into_iter());
    out
}

fn notes(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect()
}

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [notes_dir, out] = args.as_slice() else {
        eprintln!("usage: floor NOTES OUT");
        std::process::exit(2);
    };
    let started = std::time::Instant::now();
    let set = two_face::syntax::extra_newlines();
    let files = notes(notes_dir);
    let bytes: usize = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let html = render(&set, &text);
            let rel = path.strip_prefix(notes_dir).unwrap_or(path);
            let dest = out.join(rel).with_extension("html");
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent).expect("create the output folder");
            }
            std::fs::write(&dest, &html).expect("write a page");
            html.len()
        })
        .sum();
    println!(
        "floor: {} notes, {} bytes of HTML in {} ms",
        files.len(),
        bytes,
        started.elapsed().as_millis()
    );
}
