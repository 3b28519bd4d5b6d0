//! Accessibility checks with axe-core (`tests/node_modules/axe-core`, installed by
//! `npm ci --prefix tests`) on every kind of page of the bundled site, in the light and the dark
//! theme. Included by `tests/browser.rs`.

use crate::harness::Browser;
use anyhow::{bail, Context, Result};
use fantoccini::Locator;
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

/// A page to check: a name for the report, the site-relative file, and a search query to type
/// once it is open (None: the page as loaded).
struct Target {
    kind: &'static str,
    page: &'static str,
    query: Option<&'static str>,
}

const TARGETS: &[Target] = &[
    Target {
        kind: "note",
        page: "03-mlops-deployment/06-infrastructure-as-code.html",
        query: None,
    },
    Target {
        kind: "section listing",
        page: "03-mlops-deployment/index.html",
        query: None,
    },
    Target {
        kind: "when-to-use-what",
        page: "when-to-use-what.html",
        query: None,
    },
    Target {
        kind: "flashcards",
        page: "flashcards.html",
        query: None,
    },
    Target {
        kind: "quiz",
        page: "quiz.html",
        query: None,
    },
    Target {
        kind: "review",
        page: "review.html",
        query: None,
    },
    Target {
        kind: "cram sheet",
        page: "cram-sheet.html",
        query: None,
    },
    Target {
        kind: "tags",
        page: "tags.html",
        query: None,
    },
    Target {
        kind: "404",
        page: "404.html",
        query: None,
    },
    Target {
        kind: "search open",
        page: "index.html",
        query: Some("canary"),
    },
];

#[derive(Debug, Deserialize)]
struct Violation {
    id: String,
    impact: Option<String>,
    targets: Vec<String>,
}

/// axe-core's script, or None (with a notice) when it is not installed; with
/// `STUDYSITE_REQUIRE_SHARED=1` a missing axe-core is an error.
fn axe_source() -> Result<Option<String>> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(src) => Ok(Some(src)),
        Err(_) if std::env::var("STUDYSITE_REQUIRE_SHARED").is_ok_and(|v| v == "1") => {
            bail!(
                "{} is missing and STUDYSITE_REQUIRE_SHARED=1 (run `npm ci --prefix tests`)",
                path.display()
            )
        }
        Err(_) => {
            eprintln!(
                "notice: {} is missing (run `npm ci --prefix tests`); axe checks skipped",
                path.display()
            );
            Ok(None)
        }
    }
}

/// Switches the page to the dark or light theme with the header's toggle, as a reader would.
async fn set_theme(b: &Browser, dark: bool) -> Result<()> {
    let is_dark = "return document.documentElement.getAttribute('data-theme') === 'dark';";
    if b.js::<bool>(is_dark).await? != dark {
        b.js::<serde_json::Value>("document.querySelector('.theme-toggle').click(); return null;")
            .await?;
    }
    b.wait_for("the theme to switch", is_dark, |d: &bool| *d == dark)
        .await?;
    Ok(())
}

/// Runs axe on the page as it stands; the violations of impact serious or critical, and every
/// `heading-order` one (a skipped heading level; axe rates it moderate).
async fn run_axe(b: &Browser, axe: &str) -> Result<Vec<Violation>> {
    b.js::<serde_json::Value>(&format!("{axe}\nreturn null;"))
        .await?;
    let found: serde_json::Value = b
        .client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical' || v.id === 'heading-order')
                .map(v => ({ id: v.id, impact: v.impact,
                    targets: v.nodes.map(n => n.target.join(' ')) }))),
                e => done([{ id: 'axe-error', impact: 'critical', targets: [String(e)] }]));"#,
            Vec::new(),
        )
        .await?;
    Ok(serde_json::from_value(found)?)
}

async fn check(
    b: &Browser,
    axe: &str,
    t: &Target,
    dark: bool,
    report: &mut Vec<String>,
) -> Result<()> {
    b.open(t.page).await?;
    set_theme(b, dark)
        .await
        .with_context(|| format!("{} ({})", t.kind, t.page))?;
    if let Some(q) = t.query {
        let input = b.client.find(Locator::Id("search-input")).await?;
        input.click().await?;
        input.send_keys(q).await?;
        b.wait_for(
            "search results",
            "const l = document.getElementById('search-results'); return !l.hidden && l.children.length > 0;",
            |shown: &bool| *shown,
        )
        .await?;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let theme = if dark { "dark" } else { "light" };
    for v in run_axe(b, axe).await? {
        report.push(format!(
            "{} ({theme}, {}): {} [{}] at {}",
            t.kind,
            t.page,
            v.id,
            v.impact.as_deref().unwrap_or("?"),
            v.targets.join(", ")
        ));
    }
    Ok(())
}

async fn axe_pages(b: Browser, dark: bool) -> Result<()> {
    let Some(axe) = axe_source()? else {
        return Ok(());
    };
    let mut report = Vec::new();
    for t in TARGETS {
        check(&b, &axe, t, dark, &mut report).await?;
    }
    // Leave the stored preference as a fresh reader has it for the tests after this one.
    set_theme(&b, false).await?;
    if !report.is_empty() {
        bail!(
            "axe found {} problem(s):\n  {}",
            report.len(),
            report.join("\n  ")
        );
    }
    Ok(())
}

/// No serious or critical axe violation and no skipped heading level on any kind of page, light.
pub async fn a11y_axe_light(b: Browser) -> Result<()> {
    axe_pages(b, false).await
}

/// The same in the dark theme.
pub async fn a11y_axe_dark(b: Browser) -> Result<()> {
    axe_pages(b, true).await
}

/// A page drawn at build time, a Mermaid diagram (one SVG, one per theme) and MathML, has
/// no serious or critical axe violation either, in both themes.
pub async fn a11y_axe_on_build_time_diagrams_and_math(b: Browser) -> Result<()> {
    let Some(axe) = axe_source()? else {
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("index.md"),
        "# Drawn\n\n## Flow\n\n```mermaid\nflowchart TD\n  A[Train] --> B{Good?}\n  B -->|Yes| C[Deploy]\n```\n\n\
         ## Share\n\n```mermaid\npie title Pets\n  \"Dogs\" : 386\n  \"Cats\" : 85\n```\n\n\
         ## Metrics\n\nF1 is $\\frac{2PR}{P+R}$.\n\n$$\nR = \\frac{TP}{TP+FN}\n$$\n",
    )?;
    std::fs::write(dir.path().join("next.md"), "# Next\n")?;
    crate::harness::run_build(dir.path(), &[])?;
    let url = crate::harness::file_url(&dir.path().join("public/index.html"));
    let mut report = Vec::new();
    for dark in [false, true] {
        b.visit(&url).await?;
        set_theme(&b, dark).await?;
        for v in run_axe(&b, &axe).await? {
            report.push(format!(
                "dark={dark}: {} [{}] at {}",
                v.id,
                v.impact.as_deref().unwrap_or("?"),
                v.targets.join(", ")
            ));
        }
    }
    set_theme(&b, false).await?;
    if !report.is_empty() {
        bail!("axe found:\n  {}", report.join("\n  "));
    }
    Ok(())
}

/// The number of search results is announced: the status under the box is a polite live
/// region, and its text names the count once results show.
pub async fn search_results_are_announced(b: Browser) -> Result<()> {
    b.open("index.html").await?;
    let live: (String, String) = b
        .js("const s = document.getElementById('search-status'); return [s.getAttribute('aria-live') || '', s.getAttribute('role') || ''];")
        .await?;
    if live.0 != "polite" || live.1 != "status" {
        bail!("the search status is not a polite live region: {live:?}");
    }
    let input = b.client.find(Locator::Id("search-input")).await?;
    input.click().await?;
    input.send_keys("canary").await?;
    let said: String = b
        .wait_for(
            "the result count to be announced",
            "return document.getElementById('search-status').textContent;",
            |t: &String| t.contains("result"),
        )
        .await?;
    let shown: usize = b
        .js("return document.querySelectorAll('#search-results a[role=option]').length;")
        .await?;
    if !said.starts_with(&shown.to_string()) {
        bail!("announced {said:?} for {shown} results shown");
    }
    Ok(())
}

/// With `prefers-reduced-motion: reduce`, nothing on the page moves: no transition (the nav
/// toggles' arrows have one otherwise) and no smooth scrolling.
pub async fn reduced_motion_stops_transitions(b: Browser) -> Result<()> {
    let probe = "const t = document.querySelector('.nav-toggle'); \
                 return [getComputedStyle(t, '::before').transitionDuration, getComputedStyle(document.documentElement).scrollBehavior];";
    b.open("index.html").await?;
    let normal: (String, String) = b.js(probe).await?;
    b.cdp(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "features": [{ "name": "prefers-reduced-motion", "value": "reduce" }] }),
    )
    .await?;
    let reduced: Result<(String, String)> = b.js(probe).await;
    b.cdp(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "features": [] }),
    )
    .await?;
    let reduced = reduced?;
    if normal.0 == "0s" {
        bail!("the probe found no transition to stop: {normal:?}");
    }
    if reduced.0 != "0s" || reduced.1 != "auto" {
        bail!("under reduced motion the page still moves: {reduced:?} (normally {normal:?})");
    }
    Ok(())
}

/// On the Databricks guide (other people's diagrams: flowcharts, sequence, pie, gantt,
/// state, ER, git graphs), a page of each diagram kind drawn at build time has no serious
/// or critical axe violation, in both themes.
pub async fn a11y_axe_on_every_diagram_kind_of_a_real_guide(b: Browser) -> Result<()> {
    let Some(axe) = axe_source()? else {
        return Ok(());
    };
    let Some((_dir, public)) = crate::harness::built_corpus("databricks-cert-guide")? else {
        return Ok(());
    };
    // The first page of each kind, by the SVG's aria-roledescription.
    let mut pages: Vec<(String, PathBuf)> = Vec::new();
    for entry in walkdir::WalkDir::new(&public).sort_by_file_name() {
        let entry = entry?;
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path())?;
        for part in html.split("<div class=\"mermaid-drawn").skip(1) {
            let Some(kind) = part
                .split("aria-roledescription=\"")
                .nth(1)
                .and_then(|k| k.split('"').next())
            else {
                continue;
            };
            if !pages.iter().any(|(k, _)| k == kind) {
                pages.push((kind.to_string(), entry.path().to_path_buf()));
            }
        }
    }
    if pages.len() < 5 {
        bail!("only {} diagram kinds found: {pages:?}", pages.len());
    }
    let mut report = Vec::new();
    for (kind, page) in &pages {
        for dark in [false, true] {
            b.visit(&crate::harness::file_url(page)).await?;
            set_theme(&b, dark).await?;
            for v in run_axe(&b, &axe).await? {
                report.push(format!(
                    "{kind} (dark={dark}, {}): {} [{}] at {:?}",
                    page.display(),
                    v.id,
                    v.impact.as_deref().unwrap_or("?"),
                    v.targets
                ));
            }
        }
    }
    set_theme(&b, false).await?;
    eprintln!("axe: {} diagram kinds checked light and dark", pages.len());
    if !report.is_empty() {
        bail!("axe found:\n  {}", report.join("\n  "));
    }
    Ok(())
}

/// Every control a keyboard reaches shows where the focus is: tabbing through a note page
/// and the flashcards page (60 stops each, both themes), each focused element draws an
/// outline or a focus ring (box-shadow).
pub async fn focus_is_visible_on_every_control(b: Browser) -> Result<()> {
    let probe = "const e = document.activeElement; if (!e || e === document.body) return null; \
                 const s = getComputedStyle(e); \
                 const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; \
                 return [e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''), ring];";
    let mut bare = Vec::new();
    let mut seen = 0;
    for page in [
        "03-mlops-deployment/06-infrastructure-as-code.html",
        "flashcards.html",
    ] {
        for dark in [false, true] {
            b.open(page).await?;
            set_theme(&b, dark).await?;
            b.js::<serde_json::Value>("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); return null;")
                .await?;
            for _ in 0..60 {
                b.client
                    .active_element()
                    .await?
                    .send_keys(&fantoccini::key::Key::Tab.to_string())
                    .await?;
                let Some((what, ring)) = b.js::<Option<(String, bool)>>(probe).await? else {
                    continue;
                };
                seen += 1;
                if !ring && !bare.contains(&what) {
                    bare.push(what);
                }
            }
        }
    }
    set_theme(&b, false).await?;
    if seen < 40 {
        bail!("only {seen} focus stops reached");
    }
    if !bare.is_empty() {
        bail!("focused without a visible focus indicator: {bare:?}");
    }
    Ok(())
}
