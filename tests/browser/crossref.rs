//! Browser tests of the study pages: the "when to use what" filter, folded callouts and
//! flashcards. Included by `tests/browser.rs`.

use super::harness::{self, file_url, Browser};
use anyhow::{ensure, Result};
use fantoccini::Locator;

/// Typing in the filter box narrows the list, and clearing it brings every entry back.
pub async fn scenario_filter_narrows_the_list(b: Browser) -> Result<()> {
    b.open("when-to-use-what.html").await?;
    const VISIBLE: &str = "return [...document.querySelectorAll('.wtu-entry')].filter(e => e.offsetParent !== null).length;";
    let all: usize = b.js(VISIBLE).await?;
    ensure!(all >= 28, "only {all} entries shown before filtering");
    let input = b.client.find(Locator::Id("scenario-filter")).await?;
    input.send_keys("lake").await?;
    let some: usize = b.js(VISIBLE).await?;
    ensure!(
        (1..all).contains(&some),
        "typing `lake` left {some} of {all} entries"
    );
    let texts: Vec<String> = b
        .js("return [...document.querySelectorAll('.wtu-entry')].filter(e => e.offsetParent !== null).map(e => e.textContent);")
        .await?;
    ensure!(
        texts.iter().all(|t| t.to_lowercase().contains("lake")),
        "an entry without `lake` is still shown: {texts:?}"
    );
    input.send_keys(" zzzz-no-such-thing").await?;
    let none: usize = b.js(VISIBLE).await?;
    let empty_shown: bool = b
        .js("return document.querySelector('.filter-empty').offsetParent !== null;")
        .await?;
    ensure!(
        none == 0 && empty_shown,
        "a filter matching nothing shows {none} entries"
    );
    input.clear().await?;
    b.js::<serde_json::Value>("document.getElementById('scenario-filter').dispatchEvent(new Event('input')); return null;")
        .await?;
    let back: usize = b.js(VISIBLE).await?;
    ensure!(back == all, "clearing the filter shows {back} of {all}");
    Ok(())
}

/// A folded callout (`> [!tip]- Title`) is closed, and opens on a click on its title.
pub async fn folded_callout_opens_on_click(b: Browser) -> Result<()> {
    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("index.md"),
        "# Folds\n\n> [!tip]- Hidden hint\n> The body of the hint.\n\n> [!faq]+ Open question\n> Shown.\n",
    )?;
    harness::run_build(dir.path(), &[])?;
    b.visit(&file_url(&dir.path().join("public/index.html")))
        .await?;
    const BODY_SHOWN: &str = "const d = document.querySelector('details.callout-tip'); return d.open && d.querySelector('.callout-body').getBoundingClientRect().height > 0;";
    let before: bool = b.js(BODY_SHOWN).await?;
    let open_one: bool = b
        .js("return document.querySelector('details.callout-question').open;")
        .await?;
    ensure!(!before && open_one, "`-` should start closed and `+` open");
    b.client
        .find(Locator::Css("details.callout-tip > summary"))
        .await?
        .click()
        .await?;
    let after: bool = b.js(BODY_SHOWN).await?;
    ensure!(after, "the folded callout did not open on click");
    Ok(())
}

/// A flashcard shows its answer on a click and on Space; a "knew it" mark survives a reload;
/// the CSV link saves every card.
pub async fn flashcard_reveals_and_keeps_its_score(b: Browser) -> Result<()> {
    b.open("flashcards.html").await?;
    b.js::<serde_json::Value>("localStorage.clear(); location.reload(); return null;")
        .await?;
    const SHOWN: &str = "return !document.getElementById('fc-answer').hidden;";
    ensure!(
        !b.js::<bool>(SHOWN).await?,
        "the answer shows before any reveal"
    );
    let card = b.client.find(Locator::Id("fc-card")).await?;
    card.click().await?;
    ensure!(
        b.js::<bool>(SHOWN).await?,
        "a click did not reveal the answer"
    );
    let expanded: String = b
        .js("return document.getElementById('fc-card').getAttribute('aria-expanded');")
        .await?;
    ensure!(
        expanded == "true",
        "aria-expanded is {expanded} after revealing"
    );
    card.click().await?;
    ensure!(
        !b.js::<bool>(SHOWN).await?,
        "a second click did not hide the answer"
    );

    card.send_keys(" ").await?;
    ensure!(
        b.js::<bool>(SHOWN).await?,
        "Space did not reveal the answer"
    );
    let first: String = b
        .js("return document.getElementById('fc-prompt').textContent;")
        .await?;
    card.send_keys(&fantoccini::key::Key::Enter.to_string())
        .await?;
    let second: String = b
        .js("return document.getElementById('fc-prompt').textContent;")
        .await?;
    ensure!(first != second, "Enter did not move to the next card");
    ensure!(!b.js::<bool>(SHOWN).await?, "the next card starts revealed");
    card.send_keys(&fantoccini::key::Key::Left.to_string())
        .await?;
    let back: String = b
        .js("return document.getElementById('fc-prompt').textContent;")
        .await?;
    ensure!(back == first, "the left arrow did not go back");

    b.client.find(Locator::Id("fc-knew")).await?.click().await?;
    let key: String = b
        .js("return document.getElementById('flashcards').dataset.storageKey;")
        .await?;
    ensure!(
        key.contains("MLA-C01"),
        "the storage key does not name the site: {key}"
    );
    b.client.refresh().await?;
    let mark: String = b
        .js("return document.getElementById('fc-card').getAttribute('data-mark');")
        .await?;
    let score: String = b
        .js("return document.getElementById('fc-score').textContent;")
        .await?;
    ensure!(
        mark == "knew",
        "the first card's mark after a reload is `{mark}`"
    );
    ensure!(
        score.starts_with("Knew 1"),
        "the score after a reload reads `{score}`"
    );
    // From file://, Chromium keeps localStorage per renderer process; a reload in a new
    // process finds it empty, and the tab must still hold the marks.
    b.js::<serde_json::Value>(&format!(
        "localStorage.removeItem({key:?}); localStorage.removeItem({:?}); return null;",
        format!("{key}:at")
    ))
    .await?;
    b.client.refresh().await?;
    let mark: String = b
        .js("return document.getElementById('fc-card').getAttribute('data-mark');")
        .await?;
    ensure!(
        mark == "knew",
        "the first card's mark is lost when localStorage is empty: `{mark}`"
    );

    // The CSV button saves the deck's rows, made in the page: a header and one row per card,
    // each with its guid.
    let csv: (String, String, Vec<String>) = b
        .js(
            "let got = null; window.studysiteDownload = (name, body) => { got = [name, body]; };
             document.getElementById('fc-csv').click();
             return [got[0], got[1], window.studysiteDeck().cards.map(c => c.id)];",
        )
        .await?;
    let (name, body, ids) = csv;
    ensure!(name == "flashcards.csv", "the CSV is saved as {name}");
    ensure!(
        body.starts_with("GUID,Note type,Deck,Front,Back,Tags\r\n"),
        "the CSV's header: {body:.200}"
    );
    ensure!(
        !ids.is_empty() && ids.iter().all(|id| body.contains(&format!("\r\n{id},"))),
        "a card is missing from the CSV: {body:.400}"
    );
    // So does the Anki text export, with its headers.
    let (name, body): (String, String) = b
        .js(
            "let got = null; window.studysiteDownload = (name, body) => { got = [name, body]; };
             document.getElementById('fc-txt').click();
             return got;",
        )
        .await?;
    ensure!(
        name == "flashcards.txt",
        "the Anki export is saved as {name}"
    );
    ensure!(
        body.starts_with("#separator:tab\n#html:true\n"),
        "the export's headers: {body:.200}"
    );
    ensure!(
        ids.iter().all(|id| body.contains(&format!("\n{id}\t"))),
        "a card is missing from the Anki export: {body:.400}"
    );
    Ok(())
}

/// The study pages are in the sidebar at every width (the header's links hide on phones),
/// and the one you are on is marked.
pub async fn study_pages_in_the_nav_at_every_width(b: Browser) -> Result<()> {
    const STUDY: &str = "return [...document.querySelectorAll('#nav .nav-study a')].map(a => [a.textContent, a.getAttribute('aria-current') || '']);";
    const SHOWN: &str = "const a = document.querySelector('#nav .nav-study a'); a.scrollIntoView(); const r = a.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight;";
    b.resize(1280, 900).await?;
    b.open("03-mlops-deployment/09-governance.html").await?;
    let links: Vec<(String, String)> = b.js(STUDY).await?;
    let titles: Vec<&str> = links.iter().map(|(t, _)| t.as_str()).collect();
    ensure!(
        // The bundled notes have front matter tags, so the site has a tags page too.
        titles
            == [
                "When to use what",
                "Flashcards",
                "Cram sheet",
                "Quiz",
                "Review",
                "Tags"
            ],
        "the sidebar's study links are {titles:?}"
    );
    ensure!(
        links.iter().all(|(_, c)| c.is_empty()),
        "a study page is marked current on a note"
    );
    ensure!(
        b.js::<bool>(SHOWN).await?,
        "the study links are not shown in the sidebar"
    );
    let tree: usize = b
        .js("return document.querySelectorAll('#nav .nav-tree a').length;")
        .await?;
    ensure!(tree > 5, "the nav tree was not built ({tree} links)");

    b.resize(390, 844).await?;
    b.open("flashcards.html").await?;
    b.client
        .find(Locator::Css(".menu-button"))
        .await?
        .click()
        .await?;
    ensure!(
        b.js::<bool>(SHOWN).await?,
        "the phone menu does not reach the study links"
    );
    let links: Vec<(String, String)> = b.js(STUDY).await?;
    let current: Vec<&str> = links
        .iter()
        .filter(|(_, c)| c == "page")
        .map(|(t, _)| t.as_str())
        .collect();
    ensure!(
        current == ["Flashcards"],
        "marked current on the flashcards page: {current:?}"
    );
    b.client
        .find(Locator::Css("#nav .nav-study a[href='cram-sheet.html']"))
        .await?
        .click()
        .await?;
    let url: String = b.js("return location.pathname;").await?;
    ensure!(
        url.ends_with("/cram-sheet.html"),
        "the sidebar link led to {url}"
    );

    // A note's tag leads to its entry on the tags page, which lists the note.
    b.resize(1280, 900).await?;
    b.open("03-mlops-deployment/10-quick-reference.html")
        .await?;
    b.client
        .find(Locator::Css(".page-tags a.tag"))
        .await?
        .click()
        .await?;
    // The click hands back before the tags page has loaded whole on a busy machine.
    let (hash, listed): (String, bool) = b
        .wait_for(
            "the tags page to list the note under its tag",
            "const h = document.getElementById(location.hash.slice(1)); \
             return [location.hash, document.readyState === 'complete' && !!h \
                 && [...h.parentElement.querySelectorAll('a')] \
                 .some(a => a.textContent.includes('Quick Reference'))];",
            |(hash, listed): &(String, bool)| hash == "#tag-quick-reference" && *listed,
        )
        .await?;
    ensure!(
        hash == "#tag-quick-reference" && listed,
        "the tag led to {hash}, listing the note: {listed}"
    );
    Ok(())
}
