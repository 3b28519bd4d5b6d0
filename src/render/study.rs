//! The study pages (when to use what, flashcards, cram sheet, quiz, review) and the tags
//! page, each with its data as `study`, the deck they load, and its Anki export.

use super::context::{listing, site_ctx, Link, PageCtx};
use super::{HtmlCache, Rendering, Theme};
use crate::config::Config;
use crate::content::Content;
use crate::crossref::{self, Web};
use crate::diagnostic::Diagnostic;
use crate::index::Index;
use crate::markdown::tags;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;

/// The study pages built from the scenario web, each with its data as `study`.
/// The study pages of `index`: title and URL.
fn wanted(index: &Index) -> Vec<(&'static str, &'static str)> {
    let mut wanted: Vec<(&str, &str)> = crossref::STUDY_PAGES.to_vec();
    if index.has_tags_page() {
        wanted.push(("Tags", tags::TAGS_PAGE));
    }
    wanted
}

/// The URL of each study page of `index`.
pub(crate) fn study_urls(index: &Index) -> impl Iterator<Item = &'static str> {
    wanted(index).into_iter().map(|(_, url)| url)
}

pub(crate) fn study_pages(
    config: &Config,
    theme: &Theme,
    index: &Index,
    web: &Web,
    key: u64,
    cache: &mut HtmlCache,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Content)> {
    if theme.broken {
        return Vec::new();
    }
    // The pages are independent and, on a big site, each is large: render them at once.
    let wanted = wanted(index);
    let study = super::quiz::Study::build(web, index);
    let results: Vec<(&str, Rendering)> = wanted
        .par_iter()
        .map(|&(title, url)| {
            if let Some((k, html)) = cache.get(url) {
                if *k == key {
                    return (url, Ok(html.clone()));
                }
            }
            let mut ctx = tera::Context::new();
            ctx.insert("site", &site_ctx(config, index, String::new()));
            let page = PageCtx::generated(title, url);
            ctx.insert("page", &page);
            ctx.insert("section", &listing(index, url, 0));
            match url {
                "flashcards.html" | "quiz.html" | "review.html" => {
                    ctx.insert("study", &study.page(index, url))
                }
                "cram-sheet.html" => ctx.insert("study", &crossref::pages::cram_sheet(index)),
                tags::TAGS_PAGE => ctx.insert("study", &tags_ctx(index)),
                _ => ctx.insert("study", &crossref::pages::when_to_use(web, index, url)),
            }
            let html = theme.render(url, &ctx).map(|h| Arc::from(h.into_bytes()));
            (url, html)
        })
        .collect();
    let mut files = Vec::new();
    for (url, html) in results {
        match html {
            Ok(html) => {
                cache.insert(url.to_string(), (key, html.clone()));
                files.push((url.to_string(), Content::Bytes(html)));
            }
            Err(d) => diags.push(d),
        }
    }
    files.push(study.file(index));
    files
}

#[derive(Serialize)]
struct TagEntry {
    name: String,
    id: String,
    pages: Vec<Link>,
}

/// The tags page: every tag, sorted, with the pages that carry it.
fn tags_ctx(index: &Index) -> Vec<TagEntry> {
    index
        .tags()
        .into_iter()
        .map(|t| TagEntry {
            id: tags::tag_id(&t.name),
            pages: t
                .pages
                .iter()
                .map(|&i| Link {
                    title: index.pages[i].title.clone(),
                    url: index.pages[i].url.clone(),
                })
                .collect(),
            name: t.name,
        })
        .collect()
}
