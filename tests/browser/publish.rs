//! Browser tests of publishing: search from `file://` and over HTTP under a base path, and
//! every link, anchor and asset of the relative build resolving from `file://`. Included by
//! `tests/browser.rs`.

use super::harness::Browser;
use anyhow::{ensure, Context, Result};
use fantoccini::key::Key;
use fantoccini::Locator;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

#[path = "../support/static_server.rs"]
pub mod static_server;

#[derive(Deserialize, Debug)]
struct Hit {
    href: String,
    title: String,
    snippet: String,
    marked: Vec<String>,
}

/// Types `query` in the header's search box and waits for the result list.
async fn search(b: &Browser, query: &str) -> Result<Vec<Hit>> {
    let input = b.client.find(Locator::Id("search-input")).await?;
    input.click().await?;
    input.send_keys(query).await?;
    let started = Instant::now();
    loop {
        let hits: Vec<Hit> = b
            .js(r#"
                const list = document.getElementById('search-results');
                if (list.hidden) return [];
                return [...list.querySelectorAll('a[role=option]')].map(a => ({
                    href: a.href,
                    title: a.querySelector('.search-title').textContent,
                    snippet: a.querySelector('.search-snippet').textContent,
                    marked: [...a.querySelectorAll('mark')].map(m => m.textContent),
                }));"#)
            .await?;
        if !hits.is_empty() || started.elapsed() > Duration::from_secs(5) {
            return Ok(hits);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// "canary" finds the Canary section; Enter on the first result opens it at its heading.
async fn canary_opens_the_canary_section(b: &Browser, page_url: &str) -> Result<()> {
    b.visit(page_url).await?;
    let hits = search(b, "canary").await?;
    ensure!(!hits.is_empty(), "no results for `canary` on {page_url}");
    let first = &hits[0];
    ensure!(
        first
            .href
            .ends_with("03-mlops-deployment/02-deployment-strategies.html#canary-deployment"),
        "first result is {first:?}"
    );
    ensure!(first.title.contains("Canary"), "result title: {first:?}");
    ensure!(
        first.snippet.to_lowercase().contains("canary")
            && first
                .marked
                .iter()
                .any(|m| m.to_lowercase().starts_with("canar")),
        "the snippet does not mark the match: {first:?}"
    );
    let expanded: String = b
        .js("return document.getElementById('search-input').getAttribute('aria-expanded');")
        .await?;
    ensure!(expanded == "true", "combobox not expanded");
    let input = b.client.find(Locator::Id("search-input")).await?;
    input.send_keys(&Key::Down.to_string()).await?;
    let active: String = b
        .js("return document.getElementById('search-input').getAttribute('aria-activedescendant') || '';")
        .await?;
    ensure!(
        active == "search-option-0",
        "arrow down selected `{active}`"
    );
    input.send_keys(&Key::Enter.to_string()).await?;
    let started = Instant::now();
    while !b
        .client
        .current_url()
        .await?
        .as_str()
        .ends_with("#canary-deployment")
    {
        ensure!(
            started.elapsed() < Duration::from_secs(5),
            "Enter did not open the result"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let heading: String = b
        .js("return document.getElementById('canary-deployment').textContent;")
        .await?;
    ensure!(heading.contains("Canary"), "landed on `{heading}`");
    Ok(())
}

pub async fn search_finds_canary_from_file(b: Browser) -> Result<()> {
    canary_opens_the_canary_section(&b, &b.url("index.html")).await?;
    // `/` focuses the box from anywhere on the page.
    b.open("03-mlops-deployment/03-autoscaling.html").await?;
    b.client.find(Locator::Css("main")).await?.click().await?;
    b.client.active_element().await?.send_keys("/").await?;
    let focused: bool = b
        .js("return document.activeElement === document.getElementById('search-input');")
        .await?;
    ensure!(focused, "`/` did not focus the search box");
    Ok(())
}

pub async fn search_finds_canary_over_http_under_a_base_path(b: Browser) -> Result<()> {
    let origin = static_server::serve(b.site.out.clone());
    canary_opens_the_canary_section(&b, &format!("{origin}/sub/03-mlops-deployment/index.html"))
        .await?;
    let errors = b.console_errors().await?;
    ensure!(errors.is_empty(), "console errors: {errors:?}");
    Ok(())
}

/// Every page of the relative build, opened from `file://`: each link, stylesheet, script,
/// image and CSS `url()` the browser resolves points at a file of the build, and each
/// `#anchor` at an id on its target page.
pub async fn relative_build_has_no_broken_links_from_file(b: Browser) -> Result<()> {
    let out = b.site.out.canonicalize()?;
    let prefix = super::harness::file_url(&out);
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut wanted: Vec<(String, String)> = Vec::new();
    for page in &b.site.pages {
        b.open(page).await?;
        let refs: Vec<String> = b
            .js(r#"
                const urls = [];
                for (const e of document.querySelectorAll('a[href], link[href]')) urls.push(e.href);
                for (const e of document.querySelectorAll('script[src], img[src]')) urls.push(e.src);
                for (const sheet of document.styleSheets) {
                    let rules = [];
                    try { rules = sheet.cssRules; } catch (e) {}
                    for (const r of rules) {
                        const m = r.cssText.matchAll(/url\("?([^")]+)"?\)/g);
                        for (const x of m) if (!x[1].startsWith('data:')) urls.push(new URL(x[1], sheet.href || location.href).href);
                    }
                }
                return urls;"#)
            .await?;
        let page_ids: Vec<String> = b
            .js("return [...document.querySelectorAll('[id]')].map(e => e.id);")
            .await?;
        ids.insert(page.clone(), page_ids);
        wanted.extend(refs.into_iter().map(|r| (page.clone(), r)));
    }
    let mut broken = Vec::new();
    for (from, url) in &wanted {
        let Some(rest) = url.strip_prefix(&prefix) else {
            ensure!(
                !url.starts_with("file:"),
                "{from}: `{url}` leaves the site folder"
            );
            continue;
        };
        let rest = rest.trim_start_matches('/');
        let (path, frag) = rest.split_once('#').unwrap_or((rest, ""));
        let path = static_server::percent_decode(path.split('?').next().unwrap_or(""));
        let file = out.join(&path);
        if !file.is_file() {
            broken.push(format!("{from}: {url}"));
            continue;
        }
        if !frag.is_empty() && path.ends_with(".html") {
            let frag = static_server::percent_decode(frag);
            let known = match ids.get(&path) {
                Some(known) => known.contains(&frag),
                None => std::fs::read_to_string(&file)
                    .context("read target")?
                    .contains(&format!(" id=\"{frag}\"")),
            };
            if !known {
                broken.push(format!("{from}: missing anchor {url}"));
            }
        }
    }
    ensure!(
        broken.is_empty(),
        "{} broken from file://:\n{}",
        broken.len(),
        broken.join("\n")
    );
    ensure!(
        wanted.len() > 100,
        "only {} references checked",
        wanted.len()
    );
    Ok(())
}
