//! What a page costs on its first load, counted from what Chromium actually fetched over
//! HTTP (the page, then every resource in its resource timing once fonts have loaded; from
//! `file://` Chromium records none), sized on disk. Included by `tests/browser.rs`.

use crate::harness::Browser;
use crate::publish::static_server;
use anyhow::{ensure, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The budget of a note page without Mermaid or math: HTML, CSS, scripts and fonts.
const NOTE_BUDGET: u64 = 150_000;
/// What the theme may add to a page's own HTML (its CSS, scripts, fonts and nav parts).
const THEME_BUDGET: u64 = 100_000;

/// Opens `page` (a file under `public`, served at `origin`/sub/) and returns every file it
/// fetched (the page first), with its size on disk.
async fn fetched(
    b: &Browser,
    origin: &str,
    public: &Path,
    page: &Path,
) -> Result<Vec<(PathBuf, u64)>> {
    let rel = page
        .strip_prefix(public)?
        .to_string_lossy()
        .replace('\\', "/");
    b.visit(&format!("{origin}/sub/{rel}")).await?;
    let urls: Vec<String> = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             document.fonts.ready.then(() => setTimeout(() => done([location.href,
                 ...performance.getEntriesByType('resource').map(e => e.name)]), 50));",
            Vec::new(),
        )
        .await
        .map(serde_json::from_value)??;
    let mut files = Vec::new();
    for u in urls {
        let Some(rel) = u.strip_prefix(&format!("{origin}/sub/")) else {
            continue;
        };
        let rel = static_server::percent_decode(rel.split(['?', '#']).next().unwrap_or(""));
        let path = public.join(rel);
        if files.iter().any(|(p, _)| p == &path) {
            continue;
        }
        let size = std::fs::metadata(&path)
            .with_context(|| format!("{} was fetched but is not there", path.display()))?
            .len();
        files.push((path, size));
    }
    Ok(files)
}

/// Bytes by kind (html, css, js, font), for the report.
fn by_kind(files: &[(PathBuf, u64)]) -> BTreeMap<&'static str, u64> {
    let mut kinds = BTreeMap::new();
    for (p, size) in files {
        let kind = match p.extension().and_then(|e| e.to_str()) {
            Some("html") => "html",
            Some("css") => "css",
            Some("js") => "js",
            Some("woff2" | "woff" | "ttf") => "font",
            _ => "other",
        };
        *kinds.entry(kind).or_default() += size;
    }
    kinds
}

fn total(files: &[(PathBuf, u64)]) -> u64 {
    files.iter().map(|(_, s)| s).sum()
}

/// Is `path` the shared style sheet of some Mermaid drawings (part of a page's content)?
fn is_drawing_sheet(path: &Path, public: &Path) -> bool {
    path.strip_prefix(public)
        .is_ok_and(|p| p.starts_with("static/diagrams"))
}

/// The scripts and style sheets a page fetched, by their path under `public`; nav parts
/// and drawings' sheets left out (they follow the page's folder and content, not the theme).
fn code(files: &[(PathBuf, u64)], public: &Path) -> Vec<String> {
    let mut out: Vec<String> = files
        .iter()
        .filter_map(|(p, _)| p.strip_prefix(public).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| (p.ends_with(".js") || p.ends_with(".css")) && !p.starts_with("static/nav/"))
        .filter(|p| !p.starts_with("static/diagrams/"))
        .collect();
    out.sort();
    out
}

/// A note page of the bundled notes loads under 150 kB in all; on the Databricks guide the
/// theme adds under 100 kB to a note's own HTML, and a page whose Mermaid diagrams are drawn
/// at build time fetches no script or style sheet more than a page without diagrams.
pub async fn first_load_stays_light(b: Browser) -> Result<()> {
    let origin = static_server::serve(b.site.out.clone());
    let note = b
        .site
        .out
        .join("03-mlops-deployment/06-infrastructure-as-code.html");
    let files = fetched(&b, &origin, &b.site.out, &note).await?;
    println!(
        "    bundled note: {} B fetched {:?}",
        total(&files),
        by_kind(&files)
    );
    ensure!(
        total(&files) < NOTE_BUDGET,
        "the bundled note's first load is {} B, over {NOTE_BUDGET}: {files:?}",
        total(&files)
    );

    let Some((_dir, public)) = crate::harness::built_corpus("databricks-cert-guide")? else {
        return Ok(());
    };
    // The first note page with a drawn diagram, and the first without (and no math).
    let (mut drawn, mut plain) = (None, None);
    for entry in walkdir::WalkDir::new(public.join("certifications")).sort_by_file_name() {
        let entry = entry?;
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path())?;
        if html.contains("mermaid.min.js") || html.contains("katex") {
            continue;
        }
        let slot = match html.contains("mermaid-drawn") {
            true => &mut drawn,
            false => &mut plain,
        };
        slot.get_or_insert_with(|| entry.path().to_path_buf());
    }
    let (Some(drawn), Some(plain)) = (drawn, plain) else {
        anyhow::bail!("the guide has no note page with a drawn diagram and one without");
    };
    let origin = static_server::serve(public.clone());
    let mut seen = Vec::new();
    for page in [&plain, &drawn] {
        let files = fetched(&b, &origin, &public, page).await?;
        // The page's own: its HTML and the style sheets of its drawings (shared with the
        // other drawings of their kind, written beside the theme's files).
        let own: u64 = files
            .iter()
            .enumerate()
            .filter(|(i, (p, _))| *i == 0 || is_drawing_sheet(p, &public))
            .map(|(_, (_, s))| s)
            .sum();
        let theme = total(&files) - own;
        println!(
            "    databricks {}: {} B fetched, {own} B of it the page {:?}",
            page.strip_prefix(&public)?.display(),
            total(&files),
            by_kind(&files)
        );
        ensure!(
            theme < THEME_BUDGET,
            "{}: the theme adds {theme} B to the page, over {THEME_BUDGET}: {files:?}",
            page.display()
        );
        seen.push(code(&files, &public));
    }
    let extra: Vec<&String> = seen[1].iter().filter(|c| !seen[0].contains(c)).collect();
    ensure!(
        extra.is_empty(),
        "a page with diagrams drawn at build time fetches more code: {extra:?}"
    );
    Ok(())
}
