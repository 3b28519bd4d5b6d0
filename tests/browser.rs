//! What a reader sees, checked in a real headless Chromium on the built bundled notes.
//!
//! `cargo test --test browser [FILTER]`. Needs `chromium` and `chromedriver` (Debian:
//! `apt-get install chromium chromium-driver`); without them it prints a notice and passes,
//! unless `STUDYSITE_REQUIRE_BROWSER=1`. `STUDYSITE_CHROMIUM` and `STUDYSITE_CHROMEDRIVER`
//! name other binaries. To add a test: write `async fn name(b: Browser) ->
//! Result<()>` and list it in `main`.

#[macro_use]
#[path = "browser/harness.rs"]
mod harness;
#[path = "browser/publish.rs"]
mod publish;
#[path = "browser/serve.rs"]
mod serve_live;
#[path = "browser/crossref.rs"]
mod study;
#[path = "browser/study_mode.rs"]
mod study_mode;
use publish::{
    relative_build_has_no_broken_links_from_file, search_finds_canary_from_file,
    search_finds_canary_over_http_under_a_base_path,
};
use serde_json::json;
use study_mode::{
    a_review_moves_the_due_date, cloze_hides_and_reveals, exam_mode_scores_a_section,
    exported_progress_imports_into_a_fresh_profile, quiz_marks_right_and_wrong_options,
    retry_missed_survives_a_reload,
};
#[path = "browser/a11y.rs"]
mod a11y;
#[path = "support/shared.rs"]
#[allow(dead_code)]
mod shared;
use a11y::{
    a11y_axe_dark, a11y_axe_light, a11y_axe_on_build_time_diagrams_and_math,
    a11y_axe_on_every_diagram_kind_of_a_real_guide, focus_is_visible_on_every_control,
    reduced_motion_stops_transitions, search_results_are_announced,
};
#[path = "browser/diagrams.rs"]
mod diagrams;
#[path = "browser/weight.rs"]
mod weight;
use diagrams::{
    diagram_fixture_with_emoji_cjk_arrows_and_tabs_aligns, diagrams_align_to_the_grid,
    diagrams_copy_back_their_source, liberation_mono_fails_the_grid_check,
};
use study::{
    flashcard_reveals_and_keeps_its_score, folded_callout_opens_on_click,
    scenario_filter_narrows_the_list, study_pages_in_the_nav_at_every_width,
};
use weight::first_load_stays_light;

use anyhow::{bail, ensure, Context, Result};
use harness::Browser;
use serde::Deserialize;
use serve_live::{
    serve_live_reload_keeps_scroll_and_shows_errors,
    serve_many_open_tabs_all_load_and_follow_edits, serve_theme_change_reloads_the_page,
};

fn main() {
    harness::main(tests![
        a11y_axe_light,
        a11y_axe_dark,
        a11y_axe_on_build_time_diagrams_and_math,
        a11y_axe_on_every_diagram_kind_of_a_real_guide,
        search_results_are_announced,
        reduced_motion_stops_transitions,
        focus_is_visible_on_every_control,
        nav_opens_current_section,
        first_load_stays_light,
        breadcrumbs_and_prev_next_lead_where_they_say,
        every_seed_table_is_a_table,
        cloudformation_yaml_is_highlighted,
        dark_toggle_switches_and_persists,
        no_sideways_scroll_at_390px,
        phone_menu_opens_and_closes,
        code_blocks_have_copy_buttons,
        keyboard_skip_link_and_landmarks,
        no_console_errors_on_any_page,
        mermaid_blocks_are_drawn_at_build_time,
        mermaid_build_time_drawings_hold_mermaids_labels,
        math_is_mathml_with_katex_for_the_rest,
        print_shows_the_content_alone,
        serve_live_reload_keeps_scroll_and_shows_errors,
        serve_many_open_tabs_all_load_and_follow_edits,
        serve_theme_change_reloads_the_page,
        scenario_filter_narrows_the_list,
        folded_callout_opens_on_click,
        flashcard_reveals_and_keeps_its_score,
        study_pages_in_the_nav_at_every_width,
        diagrams_align_to_the_grid,
        diagram_fixture_with_emoji_cjk_arrows_and_tabs_aligns,
        diagrams_copy_back_their_source,
        liberation_mono_fails_the_grid_check,
        search_finds_canary_from_file,
        search_finds_canary_over_http_under_a_base_path,
        relative_build_has_no_broken_links_from_file,
        quiz_marks_right_and_wrong_options,
        exam_mode_scores_a_section,
        retry_missed_survives_a_reload,
        a_review_moves_the_due_date,
        exported_progress_imports_into_a_fresh_profile,
        cloze_hides_and_reveals,
    ])
}

/// A page of the bundled notes inside a section (not the home page, not a section index).
const DEEP_PAGE: &str = "03-mlops-deployment/06-infrastructure-as-code.html";

/// The page's own title: its `<h1>` without the anchor link.
const H1: &str =
    "const h = document.querySelector('main h1'); return h ? h.textContent.trim() : null;";

async fn nav_opens_current_section(b: Browser) -> Result<()> {
    #[derive(Deserialize, Debug)]
    struct Nav {
        current: Option<String>,
        href: Option<String>,
        title: Option<String>,
        hidden_ancestors: usize,
        collapsed_ancestor_toggles: usize,
        section_toggle: Option<String>,
    }
    let probe = r#"
        const cur = document.querySelector('#nav [aria-current="page"]');
        const h = document.querySelector('main h1');
        let hidden = 0, collapsed = 0;
        for (let li = cur && cur.closest('li'); li; li = li.parentElement.closest('li')) {
            const ul = li.parentElement;
            if (ul.hidden || ul.offsetParent === null) hidden++;
            const parentLi = ul.closest('li');
            const t = parentLi && parentLi.querySelector(':scope > .nav-row > .nav-toggle');
            if (t && t.getAttribute('aria-expanded') !== 'true') collapsed++;
        }
        const toggles = [...document.querySelectorAll('#nav .nav-toggle')];
        return {
            current: cur && cur.textContent.trim(),
            href: cur && cur.href,
            title: h && h.textContent.trim(),
            hidden_ancestors: hidden,
            collapsed_ancestor_toggles: collapsed,
            section_toggle: toggles.length ? toggles[0].getAttribute('aria-expanded') : null,
        };"#;

    b.open(DEEP_PAGE).await?;
    let nav: Nav = b.js(probe).await?;
    ensure!(
        nav.current.is_some(),
        "no nav link is marked as the current page: {nav:?}"
    );
    ensure!(
        nav.current == nav.title,
        "the current nav entry is not this page: {nav:?}"
    );
    ensure!(
        nav.href.as_deref() == Some(b.url(DEEP_PAGE).as_str()),
        "the current nav entry links elsewhere: {nav:?}"
    );
    ensure!(
        nav.hidden_ancestors == 0,
        "the current page's section is not open: {nav:?}"
    );
    ensure!(
        nav.collapsed_ancestor_toggles == 0,
        "a toggle above the current page says collapsed: {nav:?}"
    );

    // On the home page the domain's section is not on the current path: it starts closed,
    // and its toggle opens it.
    b.open("index.html").await?;
    let nav: Nav = b.js(probe).await?;
    ensure!(
        nav.current.is_some(),
        "the home page is not marked current in the nav: {nav:?}"
    );
    ensure!(
        nav.section_toggle.as_deref() == Some("false"),
        "a section off the current path is open: {nav:?}"
    );
    b.js::<serde_json::Value>("document.querySelector('#nav .nav-toggle').click(); return null;")
        .await?;
    // Its entries are in a part of the tree the home page did not load: it loads on the click.
    b.wait_for(
            "the section to open",
            "const t = document.querySelector('#nav .nav-toggle'); const ul = document.getElementById(t.getAttribute('aria-controls')); return t.getAttribute('aria-expanded') === 'true' && !ul.hidden && ul.offsetParent !== null ? ul.querySelectorAll('a').length : 0;",
            |n: &usize| *n > 0,
        )
        .await?;
    let loaded: usize = b
        .js("return document.querySelectorAll('script[src*=\"static/nav/\"]').length;")
        .await?;
    ensure!(
        loaded == 2,
        "the home page should load the root part and, on the click, one more: {loaded} loaded"
    );
    // A second click closes it again.
    b.js::<serde_json::Value>("document.querySelector('#nav .nav-toggle').click(); return null;")
        .await?;
    let closed: bool = b
        .js("const t = document.querySelector('#nav .nav-toggle'); return t.getAttribute('aria-expanded') === 'false' && document.getElementById(t.getAttribute('aria-controls')).hidden;")
        .await?;
    ensure!(closed, "a second click did not close the section");
    Ok(())
}

#[derive(Deserialize, Debug)]
struct LinkOut {
    text: String,
    href: String,
}

async fn breadcrumbs_and_prev_next_lead_where_they_say(b: Browser) -> Result<()> {
    let mut checked = 0;
    for page in &b.site.pages {
        b.open(page).await?;
        let title: String = b.js(H1).await?;
        let last: Option<String> = b
            .js("const l = document.querySelector('.breadcrumbs li:last-child'); return l && l.textContent.trim();")
            .await?;
        if let Some(last) = &last {
            ensure!(
                *last == title,
                "{page}: the last breadcrumb is `{last}`, the page is `{title}`"
            );
        }
        let links: Vec<LinkOut> = b
            .js("return [...document.querySelectorAll('.breadcrumbs a, .prev-next a')].map(a => ({ text: (a.querySelector('.prev-next-title') || a).textContent.trim(), href: a.href }));")
            .await?;
        let rels: Vec<(String, String)> = b
            .js("return [...document.querySelectorAll('.prev-next a')].map(a => [a.rel, a.href]);")
            .await?;
        for link in &links {
            b.visit(&link.href).await?;
            let arrived: Option<String> = b.js(H1).await?;
            ensure!(
                arrived.as_deref() == Some(link.text.as_str()),
                "{page}: the link `{}` leads to a page titled {arrived:?} ({})",
                link.text,
                link.href
            );
            checked += 1;
        }
        // Next's previous is this page, and the other way round.
        for (rel, href) in &rels {
            b.visit(href).await?;
            let back = if rel == "next" { "prev" } else { "next" };
            let returns: Option<String> = b
                .js(&format!("const a = document.querySelector('.prev-next a[rel=\"{back}\"]'); return a && a.href;"))
                .await?;
            ensure!(
                returns.as_deref() == Some(b.url(page).as_str()),
                "{page}: its {rel} page's {back} link is {returns:?}"
            );
        }
    }
    ensure!(
        checked > b.site.pages.len(),
        "only {checked} breadcrumb and prev/next links were found"
    );
    Ok(())
}

/// The column counts of the GFM tables in a markdown file (fenced code skipped).
fn markdown_tables(text: &str) -> Vec<usize> {
    let is_delimiter = |line: &str| {
        let t = line.trim();
        t.contains('|') && t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
    };
    let cells = |line: &str| line.trim().trim_matches('|').split('|').count();
    let mut tables = Vec::new();
    let mut fence: Option<String> = None;
    let mut previous = "";
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(f) = &fence {
            if t.starts_with(f.as_str()) {
                fence = None;
            }
        } else if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(t.chars().take_while(|&c| c == '`' || c == '~').collect());
        } else if is_delimiter(line) && previous.contains('|') {
            tables.push(cells(line));
        }
        previous = line;
    }
    tables
}

async fn every_seed_table_is_a_table(b: Browser) -> Result<()> {
    let notes = b.site.root.join("notes");
    let mut total = 0;
    for page in &b.site.pages {
        b.open(page).await?;
        let source: Option<String> = b.js("return document.body.dataset.source || null;").await?;
        let Some(source) = source else { continue };
        let path = notes.join(&source);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let expected = markdown_tables(&text);
        let columns: Vec<usize> = b
            .js("return [...document.querySelectorAll('main table')].map(t => t.querySelectorAll('thead th').length);")
            .await?;
        ensure!(
            columns == expected,
            "{page}: {source} has {} pipe tables with {expected:?} columns, the page has {} <table>s with {columns:?} header cells",
            expected.len(),
            columns.len()
        );
        let unwrapped: usize = b
            .js("return [...document.querySelectorAll('main table')].filter(t => !t.parentElement.classList.contains('table-wrap')).length;")
            .await?;
        ensure!(
            unwrapped == 0,
            "{page}: {unwrapped} tables are not inside a scrolling .table-wrap"
        );
        total += expected.len();
    }
    ensure!(
        total >= 10,
        "only {total} tables in the bundled notes; the seed has more"
    );
    Ok(())
}

async fn cloudformation_yaml_is_highlighted(b: Browser) -> Result<()> {
    #[derive(Deserialize, Debug)]
    struct Block {
        spans: usize,
        colours: usize,
    }
    let probe = r#"
        const pre = [...document.querySelectorAll('pre.code[data-lang="yaml"]')]
            .find(p => p.textContent.includes('AWS::SageMaker::'));
        if (!pre) return null;
        const spans = [...pre.querySelectorAll('*')].filter(e => e.localName.startsWith('k-'));
        return {
            spans: spans.length,
            colours: new Set(spans.map(s => getComputedStyle(s).color)).size,
        };"#;
    for page in &b.site.pages {
        b.open(page).await?;
        if let Some(block) = b.js::<Option<Block>>(probe).await? {
            ensure!(
                block.spans >= 10,
                "{page}: the CloudFormation template has only {} highlight spans",
                block.spans
            );
            ensure!(block.colours >= 3, "{page}: the CloudFormation highlight shows only {} colours (is highlight.css loaded?)", block.colours);
            return Ok(());
        }
    }
    bail!("no page has the CloudFormation template as a pre.code[data-lang=yaml] block")
}

#[derive(Deserialize, Debug, PartialEq)]
struct ThemeState {
    attr: Option<String>,
    dark: bool,
}

const THEME: &str = r#"
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
    return { attr: document.documentElement.getAttribute('data-theme'), dark: (r + g + b) / 3 < 100 };"#;

async fn dark_toggle_switches_and_persists(b: Browser) -> Result<()> {
    b.open(DEEP_PAGE).await?;
    let start: ThemeState = b.js(THEME).await?;
    ensure!(
        !start.dark && start.attr.is_none(),
        "a fresh reader should see the system's (light) theme: {start:?}"
    );

    let click_toggle = "document.querySelector('.theme-toggle').click(); return null;";
    b.js::<serde_json::Value>(click_toggle).await?;
    let dark = ThemeState {
        attr: Some("dark".into()),
        dark: true,
    };
    let toggled: ThemeState = b.js(THEME).await?;
    ensure!(
        toggled == dark,
        "the toggle did not switch to dark: {toggled:?}"
    );

    // Follow "next" at once, as a reader would. Chromium hands localStorage to the next
    // page asynchronously, so a page may open before the choice reaches it; the theme
    // script then follows the storage event, and the page must settle on dark.
    b.client
        .find(fantoccini::Locator::Css(".prev-next a[rel=next]"))
        .await?
        .click()
        .await?;
    b.wait_for(
        "the next page to open",
        "return location.href;",
        |href: &String| !href.ends_with(DEEP_PAGE),
    )
    .await?;
    b.wait_for(
        "dark to persist to the next page",
        THEME,
        |t: &ThemeState| *t == dark,
    )
    .await?;

    // Back to light, then back in history: the earlier page (perhaps restored from the
    // back/forward cache with its old dark state) must follow the new choice.
    b.js::<serde_json::Value>(click_toggle).await?;
    let stored: Option<String> = b
        .js("return localStorage.getItem('studysite-theme');")
        .await?;
    ensure!(
        stored.as_deref() == Some("light"),
        "the toggle did not store the choice: {stored:?}"
    );
    let light = ThemeState {
        attr: Some("light".into()),
        dark: false,
    };
    b.client.back().await?;
    b.wait_for(
        "the earlier page to return",
        "return location.href;",
        |href: &String| href.ends_with(DEEP_PAGE),
    )
    .await?;
    b.wait_for(
        "light to persist back in history",
        THEME,
        |t: &ThemeState| *t == light,
    )
    .await?;

    // And a fresh load reads the stored choice before the first paint.
    b.open(DEEP_PAGE).await?;
    b.wait_for("light on a fresh load", THEME, |t: &ThemeState| *t == light)
        .await?;

    // Chromium keeps a file:// page's localStorage in its renderer process, so a page that
    // opens in a new process finds it empty (this failed in CI on a loaded machine). The
    // tab still remembers the choice: empty the storage, go dark, empty it again, reload.
    let forget = "localStorage.removeItem('studysite-theme'); \
                  localStorage.removeItem('studysite-theme:at'); return null;";
    b.js::<serde_json::Value>(forget).await?;
    b.js::<serde_json::Value>(click_toggle).await?;
    b.js::<serde_json::Value>(forget).await?;
    b.open(DEEP_PAGE).await?;
    b.wait_for("dark without localStorage", THEME, |t: &ThemeState| {
        *t == dark
    })
    .await?;
    Ok(())
}

async fn no_sideways_scroll_at_390px(b: Browser) -> Result<()> {
    b.resize(390, 844).await?;
    let width: u32 = b.js("return window.innerWidth;").await?;
    ensure!(
        width <= 400,
        "the window could not be made phone-sized (innerWidth {width})"
    );
    let probe = r#"
        const wide = [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.table-wrap, pre'))
            .slice(0, 3).map(e => e.tagName + '.' + e.className);
        return [document.documentElement.scrollWidth, innerWidth, wide];"#;
    let mut scrolling_boxes = 0;
    for page in &b.site.pages {
        b.open(page).await?;
        // Measured once the page has settled: on a loaded machine the first layout can
        // come before the stylesheets that box wide code in apply.
        let mut measured: (u32, u32, Vec<String>) = b.js(probe).await?;
        for _ in 0..20 {
            if measured.0 <= measured.1 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            measured = b.js(probe).await?;
        }
        let (scroll, inner, wide) = measured;
        ensure!(
            scroll <= inner,
            "{page}: the page scrolls sideways at 390px ({scroll} > {inner}); too wide: {wide:?}"
        );
        scrolling_boxes += b
            .js::<usize>("return [...document.querySelectorAll('.table-wrap, pre')].filter(e => e.scrollWidth > e.clientWidth).length;")
            .await?;
    }
    ensure!(
        scrolling_boxes > 0,
        "no wide table or diagram scrolls in its own box at 390px"
    );
    Ok(())
}

async fn phone_menu_opens_and_closes(b: Browser) -> Result<()> {
    b.resize(390, 844).await?;
    b.open(DEEP_PAGE).await?;
    let visible = "const n = document.getElementById('nav'); return n.offsetParent !== null || getComputedStyle(n).position === 'fixed' && getComputedStyle(n).display !== 'none';";
    ensure!(
        !b.js::<bool>(visible).await?,
        "the nav covers the page on a phone before the menu is opened"
    );
    let menu = b
        .client
        .find(fantoccini::Locator::Css(".menu-button"))
        .await?;
    ensure!(menu.is_displayed().await?, "no menu button on a phone");
    menu.click().await?;
    ensure!(
        b.js::<bool>(visible).await?,
        "the menu button did not show the nav"
    );
    let current_shown: bool = b
        .js("const a = document.querySelector('#nav [aria-current=\"page\"]'); const r = a.getBoundingClientRect(); return r.width > 0 && r.bottom <= innerHeight;")
        .await?;
    ensure!(
        current_shown,
        "the opened phone nav does not show the current page"
    );
    let (scroll, inner): (u32, u32) = b
        .js("return [document.documentElement.scrollWidth, innerWidth];")
        .await?;
    ensure!(
        scroll <= inner,
        "the open phone nav makes the page scroll sideways"
    );
    menu.click().await?;
    ensure!(
        !b.js::<bool>(visible).await?,
        "the menu button did not hide the nav again"
    );
    Ok(())
}

async fn code_blocks_have_copy_buttons(b: Browser) -> Result<()> {
    b.open(DEEP_PAGE).await?;
    // The buttons are the page script's; on a loaded machine it may run a moment later.
    let (blocks, buttons): (usize, usize) = b
        .wait_for(
            "a copy button on every code block",
            "return [document.querySelectorAll('main pre.code').length, document.querySelectorAll('main .code-block > button.copy-button').length];",
            |(blocks, buttons): &(usize, usize)| *blocks > 0 && blocks == buttons,
        )
        .await?;
    ensure!(
        blocks > 0 && blocks == buttons,
        "{blocks} code blocks but {buttons} copy buttons"
    );
    let button = b
        .client
        .find(fantoccini::Locator::Css("main .copy-button"))
        .await?;
    b.js::<serde_json::Value>("document.querySelector('main .copy-button').scrollIntoView({block: 'center'}); return null;").await?;
    button.click().await?;
    let mut label = String::new();
    for _ in 0..100 {
        label = button.text().await?;
        if label != "Copy" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    ensure!(
        label == "Copied",
        "after a click the copy button says `{label}`"
    );
    Ok(())
}

async fn keyboard_skip_link_and_landmarks(b: Browser) -> Result<()> {
    b.open(DEEP_PAGE).await?;
    let landmarks: Vec<String> = b
        .js("return ['header', 'nav#nav', 'main#content', 'aside.toc', 'nav.breadcrumbs', 'nav.prev-next'].filter(s => !document.querySelector(s));")
        .await?;
    ensure!(landmarks.is_empty(), "missing landmarks: {landmarks:?}");
    let body = b.client.find(fantoccini::Locator::Css("body")).await?;
    body.send_keys(&fantoccini::key::Key::Tab.to_string())
        .await?;
    let focused: String = b.js("return document.activeElement.className;").await?;
    ensure!(
        focused.contains("skip-link"),
        "the first Tab focuses `{focused}`, not the skip link"
    );
    let shown: bool = b.js("const r = document.activeElement.getBoundingClientRect(); return r.top >= 0 && r.height > 0;").await?;
    ensure!(shown, "the focused skip link is not visible");
    let outline: String = b
        .js("return getComputedStyle(document.activeElement).outlineStyle;")
        .await?;
    ensure!(
        outline != "none",
        "the focused skip link has no focus outline"
    );
    let not_buttons: usize = b
        .js("return [...document.querySelectorAll('[onclick], a:not([href])')].filter(e => !e.classList.contains('anchor')).length;")
        .await?;
    ensure!(
        not_buttons == 0,
        "{not_buttons} clickable elements are not links or buttons"
    );
    Ok(())
}

async fn no_console_errors_on_any_page(b: Browser) -> Result<()> {
    let mut problems = Vec::new();
    for (width, height) in [(1280, 900), (390, 844)] {
        b.resize(width, height).await?;
        for page in &b.site.pages {
            b.open(page).await?;
            // Exercise the scripts too: toggle the theme twice and the nav sections.
            b.js::<serde_json::Value>(
                "const t = document.querySelector('.theme-toggle'); t.click(); t.click(); document.querySelectorAll('#nav .nav-toggle').forEach(x => x.click()); return null;",
            )
            .await?;
            for e in b.console_errors().await? {
                problems.push(format!("{page} at {width}px: {e}"));
            }
        }
    }
    ensure!(
        problems.is_empty(),
        "console errors:\n  {}",
        problems.join("\n  ")
    );
    Ok(())
}

#[derive(Deserialize, Debug)]
struct MathState {
    mathml: usize,
    katex: usize,
    prices: bool,
    error: Option<String>,
}

/// `$...$`, `$$...$$` and ```math are MathML in the built page, drawn with no script; a
/// formula math-core cannot read falls back to the bundled KaTeX on that page alone, which
/// shows it as written, marked, where it cannot read it either; prices stay text; a site
/// whose formulas all convert carries no KaTeX.
async fn math_is_mathml_with_katex_for_the_rest(b: Browser) -> Result<()> {
    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("index.md"),
        "# Metrics\n\nF1 is $\\frac{2PR}{P+R}$.\n\n$$\nR = \\frac{TP}{TP+FN}\n$$\n\n\
         ```math\n\\sigma(z) = \\frac{1}{1+e^{-z}}\n```\n\n\
         S3 costs $0.023–$0.025 per GB.\n",
    )?;
    std::fs::write(
        dir.path().join("bad.md"),
        "# Bad\n\nGood: $x^2$. Bad: $\\nosuchcommand{x}$.\n",
    )?;
    std::fs::write(
        dir.path().join("plain.md"),
        "# Plain\n\nNo math, $5 only.\n",
    )?;
    harness::run_build(dir.path(), &[])?;
    let public = dir.path().join("public");
    for page in ["plain.html", "index.html"] {
        let html = std::fs::read_to_string(public.join(page))?;
        ensure!(
            !html.contains("katex"),
            "{page}: a page whose math all converts must not load KaTeX"
        );
    }
    let index = std::fs::read_to_string(public.join("index.html"))?;
    ensure!(
        index.matches("<math").count() == 3,
        "three formulas written as MathML at build time"
    );
    let probe = r#"
        const maths = [...document.querySelectorAll('main math')];
        const sized = maths.filter(m => m.getBoundingClientRect().width > 0).length;
        const p = [...document.querySelectorAll('main p')].find(p => p.textContent.includes('S3 costs'));
        const err = document.querySelector('.math-error');
        return { mathml: sized, katex: document.querySelectorAll('.katex').length,
                 prices: !p || p.textContent.includes('$0.023–$0.025 per GB'),
                 error: err ? err.getAttribute('data-tex') : null };"#;
    b.visit(&harness::file_url(&public.join("index.html")))
        .await?;
    let state = b
        .wait_for("the MathML to lay out", probe, |m: &MathState| {
            m.mathml >= 3
        })
        .await?;
    ensure!(state.prices, "prices became math: {state:?}");
    ensure!(state.katex == 0, "KaTeX drew on a MathML page: {state:?}");
    b.visit(&harness::file_url(&public.join("bad.html")))
        .await?;
    let state = b
        .wait_for(
            "KaTeX to take the formula MathML could not",
            probe,
            |m: &MathState| m.mathml >= 1 && m.error.is_some(),
        )
        .await?;
    ensure!(
        state.error.as_deref() == Some("\\nosuchcommand{x}"),
        "a formula neither can read stays as its source, marked: {state:?}"
    );
    let errors = b.console_errors().await?;
    ensure!(errors.is_empty(), "console errors: {errors:?}");

    std::fs::remove_file(dir.path().join("bad.md"))?;
    harness::run_build(dir.path(), &[])?;
    ensure!(
        !public.join("static/vendor/katex").exists(),
        "KaTeX was copied into a site that does not need it"
    );
    Ok(())
}

#[derive(Deserialize, Debug)]
struct MermaidState {
    shown: Vec<String>,
    node_fill: String,
}

const MERMAID_PROBE: &str = r#"
    const svgs = [...document.querySelectorAll('.mermaid-drawn svg')]
        .filter(s => s.getBoundingClientRect().height > 0);
    const rect = svgs.length ? svgs[0].querySelector('.node rect') : null;
    return { shown: svgs.map(s => s.textContent.replace(/\s+/g, ' ').trim()),
             node_fill: rect ? getComputedStyle(rect).fill : '' };"#;

/// A ```mermaid block is an SVG in the built page, drawn with no script, its text
/// selectable, in the theme's colours (light and dark); a block merman cannot parse is a
/// warning at its line and shows its source; a site whose blocks all draw at build time, or
/// do not parse, carries no Mermaid.
async fn mermaid_blocks_are_drawn_at_build_time(b: Browser) -> Result<()> {
    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("index.md"),
        "# Flow\n\n```mermaid\nflowchart TD\n  A[Train] --> B{Good?}\n  B -->|Yes| C[Deploy]\n```\n\n\
         ```mermaid\npie title Pets\n  \"Dogs\" : 386\n  \"Cats\" : 85\n```\n",
    )?;
    std::fs::write(
        dir.path().join("broken.md"),
        "# Broken\n\nText.\n\n```mermaid\nflowchart TD\n  A[open --> B\n```\n",
    )?;
    let out = harness::run_build(dir.path(), &[])?;
    ensure!(
        out.contains("broken.md:7:") && out.contains("Mermaid diagram does not parse"),
        "the syntax error is a warning at its line: {out}"
    );
    let public = dir.path().join("public");
    let index = std::fs::read_to_string(public.join("index.html"))?;
    ensure!(
        !index.contains("mermaid.min.js") && index.contains("<svg"),
        "a page whose diagrams are drawn at build time loads no Mermaid"
    );
    b.visit(&harness::file_url(&public.join("index.html")))
        .await?;
    b.js::<serde_json::Value>(
        "document.documentElement.setAttribute('data-theme', 'light'); return null;",
    )
    .await?;
    let light: MermaidState = b.js(MERMAID_PROBE).await?;
    ensure!(light.shown.len() == 2, "two diagrams shown: {light:?}");
    for label in ["Train", "Good?", "Yes", "Deploy"] {
        ensure!(light.shown[0].contains(label), "{label} missing: {light:?}");
    }
    ensure!(
        light.shown[1].contains("Dogs"),
        "the pie lost a label: {light:?}"
    );
    let selected: String = b
        .js("const r = document.createRange(); r.selectNodeContents(document.querySelector('.mermaid-drawn svg')); getSelection().removeAllRanges(); getSelection().addRange(r); return getSelection().toString();")
        .await?;
    ensure!(
        selected.contains("Deploy"),
        "the diagram's text cannot be selected: {selected:?}"
    );
    b.js::<serde_json::Value>(
        "document.documentElement.setAttribute('data-theme', 'dark'); return null;",
    )
    .await?;
    let dark: MermaidState = b.js(MERMAID_PROBE).await?;
    ensure!(
        dark.shown.len() == 2,
        "two diagrams shown in dark: {dark:?}"
    );
    ensure!(
        dark.node_fill != light.node_fill && !dark.node_fill.is_empty(),
        "the dark theme did not recolour the diagram: {light:?} {dark:?}"
    );

    // The broken block shows its source and why, with no Mermaid script for it: Mermaid's
    // parser would only print the same error.
    let broken = std::fs::read_to_string(public.join("broken.html"))?;
    ensure!(
        !broken.contains("mermaid.min.js") && !public.join("static/vendor/mermaid").exists(),
        "Mermaid was shipped for a block that does not parse"
    );
    b.visit(&harness::file_url(&public.join("broken.html")))
        .await?;
    let shown: String = b
        .js("const f = document.querySelector('figure.mermaid-error'); return f && f.getBoundingClientRect().height > 0 ? f.innerText : '';")
        .await?;
    ensure!(
        shown.contains("A[open --> B") && shown.contains("does not parse"),
        "the broken block does not show its source and why: {shown:?}"
    );
    Ok(())
}

#[derive(Deserialize, Debug)]
struct Faithful {
    /// Blocks whose drawing holds every label of Mermaid's own.
    faithful: usize,
    /// Mermaid's labels missing from merman's drawing, per unfaithful block.
    missing: Vec<(usize, Vec<String>)>,
    /// Blocks Mermaid itself could not draw.
    mermaid_failed: Vec<usize>,
}

/// Every ```mermaid block of the Databricks guide (337) that studysite draws at build time
/// holds every node and edge label that Mermaid's own drawing of it (Chromium, the bundled
/// script) holds. Prints the counts.
async fn mermaid_build_time_drawings_hold_mermaids_labels(b: Browser) -> Result<()> {
    let Some(corpus) = crate::shared::shared("corpora/databricks-cert-guide") else {
        return Ok(());
    };
    let mut blocks = Vec::new();
    for entry in walkdir::WalkDir::new(&corpus).sort_by_file_name() {
        let entry = entry?;
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path())?;
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let t = line.trim_start();
            let fence = t.chars().take_while(|&c| c == '`' || c == '~').count();
            if fence < 3 || t[fence..].trim() != "mermaid" {
                continue;
            }
            let mut source = String::new();
            for l in lines.by_ref() {
                if l.trim_start().starts_with(&t[..fence]) {
                    break;
                }
                source.push_str(l);
                source.push('\n');
            }
            blocks.push(source);
        }
    }
    ensure!(
        blocks.len() >= 300,
        "only {} Mermaid blocks found",
        blocks.len()
    );
    let drawn: Vec<Option<String>> = blocks
        .iter()
        .enumerate()
        .map(|(i, s)| studysite::markdown::mermaid_to_html(s, &format!("m{i}")))
        .collect();
    let at_build = drawn.iter().filter(|d| d.is_some()).count();
    let pairs: Vec<(usize, &String, &String)> = blocks
        .iter()
        .zip(&drawn)
        .enumerate()
        .filter_map(|(i, (s, d))| d.as_ref().map(|d| (i, s, d)))
        .collect();
    let mermaid_js = harness::file_url(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("static/vendor/mermaid/mermaid.min.js"),
    );
    b.open(&b.site.pages[0]).await?;
    let script = r#"
        const [src, pairs, done] = arguments;
        const norm = t => t.replace(/\s+/g, '');
        const labels = root => [...root.querySelectorAll('foreignObject, text')]
            .filter(e => !e.closest('foreignObject') || e.tagName.toLowerCase() === 'foreignobject')
            .map(e => e.textContent.replace(/\s+/g, ' ').trim()).filter(t => t.length > 0);
        const s = document.createElement('script');
        s.src = src;
        s.onload = async () => {
            mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });
            const box = document.createElement('div');
            document.body.appendChild(box);
            const out = { faithful: 0, missing: [], mermaid_failed: [] };
            for (const [i, source, html] of pairs) {
                let theirs;
                try {
                    const r = await mermaid.render('ref' + i, source);
                    box.innerHTML = r.svg;
                    theirs = labels(box);
                } catch (e) { out.mermaid_failed.push(i); continue; }
                box.innerHTML = html;
                const ours = norm(box.textContent);
                const lost = theirs.filter(l => !ours.includes(norm(l)));
                if (lost.length) out.missing.push([i, lost]); else out.faithful += 1;
            }
            box.remove();
            done(out);
        };
        s.onerror = () => done({ faithful: 0, missing: [], mermaid_failed: [-1] });
        document.head.appendChild(s);"#;
    b.client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(std::time::Duration::from_secs(85)),
            None,
            None,
        ))
        .await?;
    let value = b
        .client
        .execute_async(script, vec![json!(mermaid_js), json!(pairs)])
        .await?;
    let result: Faithful = serde_json::from_value(value)?;
    eprintln!(
        "mermaid: {} blocks, {at_build} drawn at build time, {} fell back; of those drawn, {} hold every label of Mermaid's drawing, {} miss one, {} Mermaid could not draw",
        blocks.len(),
        blocks.len() - at_build,
        result.faithful,
        result.missing.len(),
        result.mermaid_failed.len()
    );
    ensure!(
        result.missing.is_empty(),
        "labels Mermaid draws but the build-time drawing lacks: {:?}",
        result.missing
    );
    ensure!(
        result.faithful + result.mermaid_failed.len() == at_build && result.faithful > 0,
        "{result:?}"
    );
    Ok(())
}

#[derive(Deserialize, Debug)]
struct PrintState {
    chrome_shown: Vec<String>,
    background: String,
    color: String,
    main_share: f64,
    link_suffix: String,
    folded_shown: bool,
}

const PRINT_PROBE: &str = r#"
    const shown = ['.site-header', '.sidebar', '.toc', '.prev-next', '.breadcrumbs', '.copy-button']
        .filter(s => [...document.querySelectorAll(s)].some(e => getComputedStyle(e).display !== 'none'));
    const ext = document.querySelector('.content a[href^="https:"]');
    const body = document.querySelector('details.callout .callout-body');
    return {
        chrome_shown: shown,
        background: getComputedStyle(document.body).backgroundColor,
        color: getComputedStyle(document.querySelector('.content p')).color,
        main_share: document.querySelector('main').getBoundingClientRect().width / innerWidth,
        link_suffix: getComputedStyle(ext, '::after').content,
        folded_shown: body.checkVisibility(),
    };"#;

/// Printing a page (dark theme chosen) gives black on white, the content alone at full
/// width, external links with their address, and folded callouts open; a PDF comes out.
async fn print_shows_the_content_alone(b: Browser) -> Result<()> {
    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("index.md"),
        "# Print me\n\n## Part\n\nSee [the docs](https://example.org/docs).\n\n\
         > [!tip]- Folded hint\n> The body of the hint.\n\n```python\nx = 1\n```\n\n## More\n\nText.\n",
    )?;
    std::fs::write(dir.path().join("next.md"), "# Next\n")?;
    harness::run_build(dir.path(), &[])?;
    b.visit(&harness::file_url(&dir.path().join("public/index.html")))
        .await?;
    b.js::<serde_json::Value>("document.querySelector('.theme-toggle').click(); return null;")
        .await?;
    b.cdp("Emulation.setEmulatedMedia", json!({ "media": "print" }))
        .await?;
    let result = print_checks(&b).await;
    b.cdp("Emulation.setEmulatedMedia", json!({ "media": "" }))
        .await?;
    result
}

async fn print_checks(b: &Browser) -> Result<()> {
    let before: PrintState = b.js(PRINT_PROBE).await?;
    ensure!(
        before.chrome_shown.is_empty(),
        "printed with the site's chrome: {before:?}"
    );
    ensure!(
        before.background == "rgb(255, 255, 255)" && before.color == "rgb(0, 0, 0)",
        "a dark page must print black on white: {before:?}"
    );
    ensure!(
        before.main_share > 0.9,
        "the content should take the page's width: {before:?}"
    );
    ensure!(
        before.link_suffix.contains("https://example.org/docs"),
        "an external link should print its address: {before:?}"
    );
    ensure!(
        !before.folded_shown,
        "the folded callout should start closed: {before:?}"
    );
    b.js::<serde_json::Value>("window.dispatchEvent(new Event('beforeprint')); return null;")
        .await?;
    let printing: PrintState = b.js(PRINT_PROBE).await?;
    ensure!(
        printing.folded_shown,
        "a folded callout must print open: {printing:?}"
    );
    b.js::<serde_json::Value>("window.dispatchEvent(new Event('afterprint')); return null;")
        .await?;
    let folded: bool = b
        .js("return !document.querySelector('details.callout').open;")
        .await?;
    ensure!(folded, "the callout did not fold again after printing");
    let pdf = b.cdp("Page.printToPDF", json!({})).await?;
    let data = pdf["data"].as_str().unwrap_or_default();
    ensure!(
        data.len() > 1000,
        "printing to PDF gave {} bytes of base64",
        data.len()
    );
    Ok(())
}
