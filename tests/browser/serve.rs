//! `studysite serve` in a real browser: a page follows edits to its note in place (no
//! navigation), keeps its scroll position and its enhancements, reloads when the theme
//! changes, and shows (then clears) an overlay for a broken note.

use crate::harness::Browser;
use anyhow::{ensure, Context, Result};
use std::path::Path;
use std::time::{Duration, Instant};
use studysite::serve::{self, ServeOptions};
use studysite::BuildOptions;

const NOTE: &str = "03-mlops-deployment/06-infrastructure-as-code";
/// Set before an edit; it survives an in-place update and is gone after a reload.
const SET_MARKER: &str = "window.__marker = 'kept'; return true;";
const MARKER: &str = "return window.__marker || null;";
/// Code blocks in the content, and how many of them have a copy button.
const COPY_BUTTONS: &str = "return [document.querySelectorAll('main pre.code').length, \
                            document.querySelectorAll('main .code-block > .copy-button').length];";
const OVERLAY: &str = "const o = document.getElementById('studysite-build-errors'); \
                       return o ? o.textContent : null;";

/// A copy of the bundled site in a temp folder (named by `name`), served on a free port.
fn serve_copy(b: &Browser, name: &str) -> Result<(std::path::PathBuf, serve::Handle)> {
    let dir = std::env::temp_dir().join(format!("studysite-browser-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    crate::harness::copy_dir(&b.site.root.join("notes"), &dir.join("notes"))?;
    // Empty theme folders, for tests that add a file of the theme.
    std::fs::create_dir_all(dir.join("templates"))?;
    std::fs::create_dir_all(dir.join("static"))?;
    std::fs::copy(
        b.site.root.join("studysite.toml"),
        dir.join("studysite.toml"),
    )?;
    let options = BuildOptions {
        path: dir.clone(),
        ..BuildOptions::default()
    };
    let server = serve::start(
        &options,
        &ServeOptions {
            port: Some(0),
            verbose: false,
            ..ServeOptions::default()
        },
    )?;
    Ok((dir, server))
}

pub async fn serve_live_reload_keeps_scroll_and_shows_errors(b: Browser) -> Result<()> {
    let (dir, server) = serve_copy(&b, "serve")?;
    let note = dir.join("notes").join(format!("{NOTE}.md"));
    let original = std::fs::read_to_string(&note)?;
    b.visit(&format!("{}{NOTE}.html", server.url)).await?;
    // Let the page lay out, then read somewhere in the middle.
    let y: f64 = b
        .js("window.scrollTo(0, 700); return window.scrollY;")
        .await?;
    ensure!(y > 100.0, "the page is too short to scroll: {y}");
    b.js::<bool>(SET_MARKER).await?;

    std::fs::write(&note, format!("{original}\n\nLive edit marker 7261.\n"))?;
    b.wait_for(
        "the edit to show",
        "return document.body.textContent;",
        |t: &String| t.contains("Live edit marker 7261."),
    )
    .await?;
    ensure!(
        b.js::<Option<String>>(MARKER).await?.is_some(),
        "an edit to a note reloaded the page instead of updating it in place"
    );
    let [blocks, buttons] = b.js::<[u32; 2]>(COPY_BUTTONS).await?;
    ensure!(
        blocks > 0 && buttons == blocks,
        "the updated content has {buttons} copy buttons for {blocks} code blocks"
    );
    let after: f64 = b
        .wait_for(
            "the scroll position",
            "return window.scrollY;",
            |v: &f64| (v - y).abs() < 2.0,
        )
        .await
        .context("the reload did not keep the scroll position")?;
    ensure!((after - y).abs() < 2.0);

    let broken = original.replacen("---\n", "---\ntitle: [unclosed\n", 1);
    ensure!(broken != original, "the note has no front matter to break");
    std::fs::write(&note, broken)?;
    let text: Option<String> = b
        .wait_for("the error overlay", OVERLAY, |o: &Option<String>| {
            o.is_some()
        })
        .await?;
    let text = text.unwrap_or_default();
    ensure!(
        text.contains(&format!("notes/{NOTE}.md:")),
        "the overlay does not name the note: {text}"
    );
    ensure!(
        b.js::<String>("return document.body.textContent;")
            .await?
            .contains("Live edit marker 7261."),
        "the last good page is no longer shown"
    );

    std::fs::write(&note, &original)?;
    b.wait_for("the overlay to go", OVERLAY, |o: &Option<String>| {
        o.is_none()
    })
    .await?;
    b.wait_for(
        "the fixed page",
        "return document.body.textContent;",
        |t: &String| !t.contains("Live edit marker 7261."),
    )
    .await?;
    ensure!(
        b.js::<Option<String>>(MARKER).await?.is_some(),
        "fixing the note reloaded the page instead of updating it in place"
    );
    server.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Tabs open on the site beside the one being read. A browser opens at most six connections
/// to one host; were each page to hold one for its reload poll, the seventh tab would not load.
const TABS: usize = 8;

pub async fn serve_many_open_tabs_all_load_and_follow_edits(b: Browser) -> Result<()> {
    let (dir, server) = serve_copy(&b, "tabs")?;
    let first = b.client.window().await?;
    let result = open_tabs_and_edit(&b, &server, &dir).await;
    // Leave the browser with its one window for the next test, pass or fail.
    for handle in b.client.windows().await? {
        if handle != first {
            b.client.switch_to_window(handle).await?;
            b.client.close_window().await?;
        }
    }
    b.client.switch_to_window(first).await?;
    server.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn open_tabs_and_edit(b: &Browser, server: &serve::Handle, dir: &Path) -> Result<()> {
    let url = format!("{}{NOTE}.html", server.url);
    let mut tabs = Vec::new();
    for i in 0..TABS {
        let tab = b.client.new_window(true).await?.handle;
        b.client.switch_to_window(tab.clone()).await?;
        let started = Instant::now();
        tokio::time::timeout(Duration::from_secs(10), b.client.goto(&url))
            .await
            .with_context(|| format!("tab {} did not load within 10 s", i + 1))??;
        ensure!(
            started.elapsed() < Duration::from_secs(5),
            "tab {} took {:?} to load",
            i + 1,
            started.elapsed()
        );
        tabs.push(tab);
    }
    let note = dir.join("notes").join(format!("{NOTE}.md"));
    let original = std::fs::read_to_string(&note)?;
    std::fs::write(&note, format!("{original}\n\nEvery tab marker 5381.\n"))?;
    for (i, tab) in tabs.into_iter().enumerate() {
        b.client.switch_to_window(tab).await?;
        b.wait_for(
            &format!("the edit to show in tab {}", i + 1),
            "return document.body.textContent;",
            |t: &String| t.contains("Every tab marker 5381."),
        )
        .await?;
    }
    Ok(())
}

/// A change to the theme (a stylesheet, a template) is not swapped in: the page reloads and
/// shows it.
pub async fn serve_theme_change_reloads_the_page(b: Browser) -> Result<()> {
    let (dir, server) = serve_copy(&b, "theme")?;
    let result = theme_changes_reload(&b, &server, &dir).await;
    server.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn theme_changes_reload(b: &Browser, server: &serve::Handle, dir: &Path) -> Result<()> {
    b.visit(&format!("{}{NOTE}.html", server.url)).await?;
    b.js::<bool>(SET_MARKER).await?;
    let theme = b.site.root.join("static/style.css");
    let style = std::fs::read_to_string(&theme).with_context(|| format!("reading {theme:?}"))?;
    std::fs::write(
        dir.join("static/style.css"),
        format!("{style}\nbody {{ outline: 3px solid rgb(1, 2, 3); }}\n"),
    )?;
    b.wait_for(
        "the new stylesheet",
        "return getComputedStyle(document.body).outlineColor;",
        |c: &String| c == "rgb(1, 2, 3)",
    )
    .await?;
    ensure!(
        b.js::<Option<String>>(MARKER).await?.is_none(),
        "a stylesheet change did not reload the page"
    );

    b.js::<bool>(SET_MARKER).await?;
    let page = b.site.root.join("templates/page.html");
    let template = std::fs::read_to_string(&page).with_context(|| format!("reading {page:?}"))?;
    let template = format!("{template}\n{{% block after_content %}}<p>Template marker 4127.</p>{{% endblock after_content %}}\n");
    std::fs::write(dir.join("templates/page.html"), template)?;
    b.wait_for(
        "the template change to show",
        "return document.body.textContent;",
        |t: &String| t.contains("Template marker 4127."),
    )
    .await?;
    ensure!(
        b.js::<Option<String>>(MARKER).await?.is_none(),
        "a template change did not reload the page"
    );
    Ok(())
}
