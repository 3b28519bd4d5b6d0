//! Browser tests of study mode on a site made by `studysite init`: quizzes on a page (mouse
//! and keyboard), exam mode, "retry missed" across a reload, a review moving a card's due
//! date under a fake clock (the pages read the time through `window.studysiteNow`), export
//! and import of progress, and cloze cards. Included by `tests/browser.rs`.

use super::harness::{self, file_url, Browser};
use anyhow::{ensure, Context, Result};
use fantoccini::Locator;
use serde::Deserialize;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

const DAY: f64 = 86_400_000.0;
/// 2026-01-10 12:00 UTC, the fake clock's start.
const T0: f64 = 1_768_046_400_000.0;

/// A site from `studysite init`, built; returns its folder guard and output folder.
fn init_site() -> Result<(tempfile::TempDir, PathBuf)> {
    let dir = tempfile::tempdir()?;
    let site = dir.path().join("site");
    let out = Command::new(env!("CARGO_BIN_EXE_studysite"))
        .arg("init")
        .arg(&site)
        .output()?;
    ensure!(
        out.status.success(),
        "init failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    harness::run_build(&site, &[])?;
    let public = site.join("public");
    Ok((dir, public))
}

/// Opens a page of the built site with nothing stored from earlier tests.
async fn fresh(b: &Browser, public: &std::path::Path, page: &str) -> Result<()> {
    b.visit(&file_url(&public.join(page))).await?;
    b.js::<Value>("localStorage.clear(); window.name = ''; return null;")
        .await?;
    b.client.refresh().await?;
    Ok(())
}

#[derive(Deserialize, Debug)]
struct Marked {
    result: Option<String>,
    wrong: Vec<String>,
    right: Vec<String>,
    open: bool,
    feedback: String,
    live: Option<String>,
}

fn marked(nth: usize) -> String {
    format!(
        "const s = document.querySelectorAll('section.quiz')[{nth}];
         return {{ result: s.getAttribute('data-result'),
           wrong: [...s.querySelectorAll('.quiz-wrong')].map(b => b.dataset.letter),
           right: [...s.querySelectorAll('.quiz-correct')].map(b => b.dataset.letter),
           open: s.querySelector('details').open,
           feedback: s.querySelector('.quiz-feedback').textContent,
           live: s.querySelector('.quiz-feedback').getAttribute('aria-live') }};"
    )
}

/// Choosing a wrong option marks it wrong and the right one right and opens the answer; a
/// question with two right letters is answered from the keyboard and checked.
pub async fn quiz_marks_right_and_wrong_options(b: Browser) -> Result<()> {
    let (_dir, public) = init_site()?;
    fresh(&b, &public, "practice.html").await?;
    let closed: Marked = b.js(&marked(0)).await?;
    ensure!(!closed.open && closed.result.is_none(), "{closed:?}");
    b.client
        .find(Locator::Css(
            "section.quiz:nth-of-type(1) .quiz-option[data-letter='A']",
        ))
        .await?
        .click()
        .await?;
    let m: Marked = b.js(&marked(0)).await?;
    ensure!(
        m.result.as_deref() == Some("wrong") && m.wrong == ["A"] && m.right == ["C"] && m.open,
        "a wrong choice is not marked: {m:?}"
    );
    ensure!(
        m.feedback.contains("answer is C") && m.live.as_deref() == Some("polite"),
        "{m:?}"
    );
    // Keyboard: Space on one option, Enter on the other, then the Check button.
    let opt = |l: &str| {
        Locator::Css(match l {
            "A" => "section.quiz:nth-of-type(2) .quiz-option[data-letter='A']",
            _ => "section.quiz:nth-of-type(2) .quiz-option[data-letter='B']",
        })
    };
    b.client.find(opt("A")).await?.send_keys(" ").await?;
    b.client.find(opt("B")).await?.send_keys("\u{E007}").await?;
    let pressed: Vec<String> = b
        .js("return [...document.querySelectorAll('section.quiz')[1].querySelectorAll('[aria-pressed=true]')].map(b => b.dataset.letter);")
        .await?;
    ensure!(pressed == ["A", "B"], "keys pressed {pressed:?}");
    b.client
        .find(Locator::Css("section.quiz:nth-of-type(2) .quiz-check"))
        .await?
        .click()
        .await?;
    let m: Marked = b.js(&marked(1)).await?;
    ensure!(
        m.result.as_deref() == Some("right") && m.right == ["A", "B"] && m.wrong.is_empty(),
        "{m:?}"
    );
    let errors = b.console_errors().await?;
    ensure!(errors.is_empty(), "{errors:?}");
    Ok(())
}

/// Exam mode: two questions, nothing graded until the one submit, then a score per section
/// and every answer open.
pub async fn exam_mode_scores_a_section(b: Browser) -> Result<()> {
    let (_dir, public) = init_site()?;
    fresh(&b, &public, "quiz.html").await?;
    b.js::<Value>("document.getElementById('qz-n').value = '2'; document.getElementById('qz-start').click(); return null;")
        .await?;
    b.js::<Value>("document.querySelector('section.quiz[data-answer=\"C\"] [data-letter=C]').click();
                   document.querySelector('section.quiz[data-answer=\"A,B\"] [data-letter=A]').click(); return null;")
        .await?;
    let graded: usize = b
        .js("return document.querySelectorAll('section.quiz[data-result]').length;")
        .await?;
    ensure!(graded == 0, "{graded} questions graded before the submit");
    let timer: String = b
        .js("return document.getElementById('qz-timer').textContent;")
        .await?;
    ensure!(timer.contains("left"), "no timer: {timer:?}");
    b.client
        .find(Locator::Id("qz-submit"))
        .await?
        .click()
        .await?;
    let rows: Vec<Vec<String>> = b
        .js("return [...document.querySelectorAll('#qz-result tbody tr')].map(r => [...r.cells].map(c => c.textContent));")
        .await?;
    ensure!(
        rows == [vec!["My study notes", "1", "2", "50%"]],
        "score per section: {rows:?}"
    );
    let result: String = b
        .js("return document.getElementById('qz-result').textContent;")
        .await?;
    ensure!(result.contains("Score: 1 of 2"), "{result}");
    let open: usize = b
        .js("return [...document.querySelectorAll('section.quiz')].filter(s => !s.hidden && s.querySelector('details').open).length;")
        .await?;
    ensure!(open == 2, "{open} answers open for review");
    Ok(())
}

/// A question answered wrong is in "retry missed" after a reload, and leaves it when right.
pub async fn retry_missed_survives_a_reload(b: Browser) -> Result<()> {
    let (_dir, public) = init_site()?;
    fresh(&b, &public, "quiz.html").await?;
    b.js::<Value>("document.querySelector('section.quiz[data-answer=\"C\"] [data-letter=A]').click(); return null;")
        .await?;
    b.client.refresh().await?;
    let count: String = b
        .js("return document.getElementById('qz-missed-count').textContent;")
        .await?;
    ensure!(count == "1", "missed after a reload: {count}");
    b.client
        .find(Locator::Id("qz-missed"))
        .await?
        .click()
        .await?;
    let shown: Vec<String> = b
        .js("return [...document.querySelectorAll('section.quiz')].filter(s => !s.hidden).map(s => s.dataset.answer);")
        .await?;
    ensure!(shown == ["C"], "retry shows {shown:?}");
    b.js::<Value>("document.querySelector('section.quiz[data-answer=\"C\"] [data-letter=C]').click(); return null;")
        .await?;
    let count: String = b
        .js("return document.getElementById('qz-missed-count').textContent;")
        .await?;
    ensure!(count == "0", "still missed after a right answer: {count}");
    Ok(())
}

#[derive(Deserialize, Debug)]
struct State {
    due: f64,
    last: f64,
    reps: u32,
}

async fn set_clock(b: &Browser, t: f64) -> Result<()> {
    b.js::<Value>(&format!(
        "window.studysiteNow = () => {t}; window.studysiteReview.refresh(); return null;"
    ))
    .await?;
    Ok(())
}

async fn review_first(b: &Browser, grade: u8) -> Result<String> {
    let id: String = b
        .js("return document.getElementById('rv-card').getAttribute('data-id');")
        .await?;
    b.client.find(Locator::Id("rv-show")).await?.click().await?;
    b.client
        .find(Locator::Css(&format!(".rv-grade[data-grade='{grade}']")))
        .await?
        .click()
        .await?;
    Ok(id)
}

/// Good on a new card makes it due in days, not now; when the clock passes that, it is due
/// again and comes first.
pub async fn a_review_moves_the_due_date(b: Browser) -> Result<()> {
    let (_dir, public) = init_site()?;
    fresh(&b, &public, "review.html").await?;
    set_clock(&b, T0).await?;
    let id = review_first(&b, 3).await?;
    let s: State = b
        .js(&format!("return window.studysiteReview.state('{id}');"))
        .await?;
    ensure!(s.last == T0 && s.reps == 1, "{s:?}");
    let days = (s.due - T0) / DAY;
    ensure!(days == 3.0, "Good on a new card: due in {days} days");
    // FSRS-5 with its default weights: a first Good gives stability w2 = 3.173 days and
    // difficulty w4 - e^(2 w5) + 1 = 5.28; a first Easy 15.69 days, so 16.
    let (stability, difficulty, easy): (f64, f64, f64) = b
        .js(&format!(
            "const r = window.studysiteReview; const g = r.state('{id}'); const e = r.schedule(null, 4, {T0});
             return [g.s, g.d, (e.due - {T0}) / {DAY}];"
        ))
        .await?;
    ensure!(
        (stability - 3.173).abs() < 1e-9 && (difficulty - 5.2824).abs() < 1e-3 && easy == 16.0,
        "FSRS-5 first review: S {stability}, D {difficulty}, Easy in {easy} days"
    );
    let stats: Vec<String> = b
        .js("return ['rv-due', 'rv-today', 'rv-streak'].map(i => document.getElementById(i).textContent);")
        .await?;
    ensure!(stats == ["0", "1", "1"], "due, today, streak: {stats:?}");
    set_clock(&b, s.due + DAY).await?;
    let (due, first): (String, String) = b
        .js("return [document.getElementById('rv-due').textContent, document.getElementById('rv-card').getAttribute('data-id')];")
        .await?;
    ensure!(
        due == "1" && first == id,
        "later: due {due}, first {first} (want {id})"
    );
    review_first(&b, 1).await?;
    let again: State = b
        .js(&format!("return window.studysiteReview.state('{id}');"))
        .await?;
    let minutes = (again.due - (s.due + DAY)) / 60_000.0;
    ensure!(
        again.reps == 2 && (1.0..=10.0).contains(&minutes),
        "Again: due in {minutes} minutes: {again:?}"
    );
    let cells: usize = b
        .js("return document.querySelectorAll('#rv-calendar span[data-n=\"1\"]').length;")
        .await?;
    ensure!(cells == 2, "{cells} days with reviews on the calendar");
    Ok(())
}

/// Progress exported to a file and imported into another browser profile (a session of
/// its own, nothing stored) comes back card for card, and stays after a reload there.
pub async fn exported_progress_imports_into_a_fresh_profile(b: Browser) -> Result<()> {
    let (dir, public) = init_site()?;
    fresh(&b, &public, "review.html").await?;
    set_clock(&b, T0).await?;
    let id = review_first(&b, 4).await?;
    let exported: String = b.js("return window.studysiteReview.exportText();").await?;
    let before: State = b
        .js(&format!("return window.studysiteReview.state('{id}');"))
        .await?;
    let file = dir.path().join("progress.json");
    std::fs::write(&file, exported)?;
    let other = b.new_profile(&dir.path().join("second-profile")).await?;
    let result = import_into(&other, &public, &file, &id).await;
    let _ = other.close().await;
    let (after, kept) = result?;
    ensure!(
        after.due == before.due && after.reps == before.reps,
        "{before:?} became {after:?}"
    );
    ensure!(
        kept.due == before.due,
        "the import was not stored: {kept:?}"
    );
    Ok(())
}

/// In session `c`: checks nothing is stored for card `id`, imports `file`, and returns the
/// card's state after the import and after a reload.
async fn import_into(
    c: &fantoccini::Client,
    public: &std::path::Path,
    file: &std::path::Path,
    id: &str,
) -> Result<(State, State)> {
    c.goto(&file_url(&public.join("review.html"))).await?;
    let state = format!("return window.studysiteReview.state('{id}');");
    let gone = c.execute(&state, Vec::new()).await?;
    ensure!(
        gone.is_null(),
        "the new profile has progress already: {gone}"
    );
    c.find(Locator::Id("rv-import"))
        .await?
        .send_keys(file.to_str().context("a UTF-8 path")?)
        .await?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let status = c
            .execute(
                "return document.getElementById('rv-status').textContent;",
                Vec::new(),
            )
            .await?;
        if status.as_str().is_some_and(|s| s.contains("imported")) {
            break;
        }
        ensure!(std::time::Instant::now() < deadline, "no import: {status}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let after: State = serde_json::from_value(c.execute(&state, Vec::new()).await?)?;
    c.refresh().await?;
    let kept: State = serde_json::from_value(c.execute(&state, Vec::new()).await?)?;
    Ok((after, kept))
}

/// A cloze reads as plain text on its page; on the review page its card hides each
/// deletion (showing a hint where there is one) until the answer is shown.
pub async fn cloze_hides_and_reveals(b: Browser) -> Result<()> {
    let (_dir, public) = init_site()?;
    fresh(&b, &public, "storage.html").await?;
    let text: String = b
        .js("return document.querySelector('main').textContent;")
        .await?;
    ensure!(
        text.contains("Object storage keeps files whole and fetches them by key.")
            && !text.contains("{{"),
        "the cloze is not plain text on the page"
    );
    b.visit(&file_url(&public.join("review.html"))).await?;
    let id: String = b
        .js("return window.studysiteDeck().cards.find(c => c.kind === 'cloze' && c.back.includes('Object storage')).id;")
        .await?;
    b.client
        .goto(&format!(
            "{}#card-{id}",
            file_url(&public.join("review.html"))
        ))
        .await?;
    b.client.refresh().await?;
    #[derive(Deserialize, Debug)]
    struct Card {
        id: String,
        front: String,
        back_shown: bool,
        back: String,
    }
    const CARD: &str = "const f = document.getElementById('rv-front'), k = document.getElementById('rv-back');
        return { id: document.getElementById('rv-card').dataset.id, front: f.offsetParent ? f.innerText : '',
                 back_shown: k.offsetParent !== null, back: k.offsetParent ? k.innerText : '' };";
    let hidden: Card = b.js(CARD).await?;
    ensure!(
        hidden.id == id
            && !hidden.back_shown
            && hidden.front.contains("[…]")
            && hidden.front.contains("[what?]")
            && !hidden.front.contains("Object storage"),
        "{hidden:?}"
    );
    b.client.find(Locator::Id("rv-show")).await?.click().await?;
    let shown: Card = b.js(CARD).await?;
    ensure!(
        shown.back_shown && shown.back.contains("Object storage") && shown.back.contains("key"),
        "{shown:?}"
    );
    Ok(())
}
