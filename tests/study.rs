//! Study mode, whole sites: every practice question of the shared corpora, counted from the
//! source by a scan of its own here (not studysite's code), is a quiz on its page and on
//! `quiz.html` (the deck it loads) with the right letters; the fixture of every option and answer form; the
//! Anki export read by Anki's documented rules; `studysite init` then `build`.

#[path = "support/shared.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use studysite::{BuildOptions, Config, Content};

struct Site {
    files: BTreeMap<String, Content>,
    urls: BTreeMap<String, String>,
    notes_dir: PathBuf,
    diagnostics: Vec<String>,
}

impl Site {
    fn text(&self, url: &str) -> String {
        match &self.files[url] {
            Content::Bytes(b) => String::from_utf8(b.to_vec()).unwrap(),
            Content::Copy(p) => std::fs::read_to_string(p).unwrap(),
            Content::Written { .. } => unreachable!("an in-memory build writes nothing"),
        }
    }
}

fn build(path: &Path) -> Site {
    let config = Config::load(&BuildOptions {
        path: path.to_path_buf(),
        ..Default::default()
    })
    .unwrap_or_else(|d| panic!("{d:?}"));
    let built = studysite::build(&config).unwrap();
    Site {
        files: built.files,
        urls: built.urls,
        notes_dir: config.notes_dir.clone(),
        diagnostics: built.report.diagnostics(),
    }
}

/// A question as the source writes it: its options' letters and the answer's letters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Written {
    options: String,
    answer: String,
}

/// The letter of an option line (`A)`, `A.`, `(A)`, `- A)`, `- **A.**`), after quote markers
/// and indent.
fn option_letter(line: &str) -> Option<char> {
    let mut s = line.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
    for bullet in ["- ", "* ", "+ "] {
        if let Some(r) = s.strip_prefix(bullet) {
            s = r.trim_start();
        }
    }
    let bold = s.starts_with("**");
    let s = s.trim_start_matches('*');
    let (s, paren) = match s.strip_prefix('(') {
        Some(r) => (r, true),
        None => (s, false),
    };
    let mut cs = s.chars();
    let letter = cs.next()?.to_ascii_uppercase();
    let close = cs.next()?;
    if !('A'..='H').contains(&letter) || !(close == ')' || (close == '.' && !paren)) {
        return None;
    }
    let rest = cs.as_str();
    let rest = if bold {
        rest.trim_start_matches('*')
    } else {
        rest
    };
    (rest.is_empty() || rest.starts_with(' ')).then_some(letter)
}

/// The letters after "answer" on a line (`**Correct Answer: B**`, `Correct answer: B, D`,
/// `Correct Answer: AC`, `Answers: B or D`): the words after it while each is letters A to H.
fn answer_letters(line: &str) -> Option<String> {
    let lower = line.to_lowercase();
    let at = lower.find("answer")?;
    let rest = line[at + 6..].trim_start_matches(['s', ':', '*', ' ']);
    let rest = rest.strip_prefix("is ").unwrap_or(rest);
    let mut letters = String::new();
    for word in rest.split([' ', ',', '/', '&']) {
        let bare = word.trim_end_matches([')', '.', '*', ':']);
        if bare.is_empty() || bare == "and" || bare == "or" {
            continue;
        }
        if bare.len() <= 5 && bare.chars().all(|c| ('A'..='H').contains(&c)) {
            letters.push_str(bare);
        } else {
            break;
        }
        // `B) the option's text`: the letter names the option; what follows is its text.
        if word.ends_with(')') || word.ends_with('.') {
            break;
        }
    }
    (!letters.is_empty()).then_some(letters)
}

/// The practice questions of a note: a run of options from `A` in letter order, then, before
/// any heading or further option, a line naming the answer's letters.
fn scan(text: &str) -> Vec<Written> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut fence = false;
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start_matches(|c: char| c == '>' || c.is_whitespace());
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
        }
        if fence || option_letter(lines[i]) != Some('A') {
            i += 1;
            continue;
        }
        let mut options = String::from("A");
        let mut j = i + 1;
        let mut in_code = false;
        while j < lines.len() && j < i + 60 {
            let t = lines[j].trim_start_matches(|c: char| c == '>' || c.is_whitespace());
            if t.starts_with("```") {
                in_code = !in_code;
            }
            let next = (b'A' + options.len() as u8) as char;
            if !in_code && option_letter(lines[j]) == Some(next) {
                options.push(next);
                j += 1;
                continue;
            }
            // A heading, a callout or <details>, or a second line of text after one that is
            // no option, ends the run.
            let ends = t.starts_with('#') || t.starts_with("[!") || t.starts_with("<details");
            let prose = !t.is_empty()
                && !lines[j - 1].trim().is_empty()
                && option_letter(lines[j - 1]).is_none()
                && !t.starts_with("```");
            if !in_code && (ends || prose) {
                break;
            }
            j += 1;
        }
        let mut answer = None;
        for line in lines.iter().skip(j).take(14) {
            let t = line.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
            if t.starts_with('#') || option_letter(line) == Some('A') {
                break;
            }
            if let Some(a) = answer_letters(t) {
                answer = Some(a);
                break;
            }
        }
        if let (Some(answer), true) = (answer, options.len() >= 2) {
            out.push(Written { options, answer });
        }
        i = j;
    }
    out
}

/// The quizzes of a page as written in its HTML: options' letters and the answer.
fn quizzes_of(html: &str) -> Vec<(Written, String)> {
    let mut out = Vec::new();
    for part in html.split("<section class=\"quiz\"").skip(1) {
        let part = &part[..part.find("</section>").unwrap_or(part.len())];
        let answer = part
            .split_once("data-answer=\"")
            .map(|(_, r)| r[..r.find('"').unwrap()].replace(',', ""))
            .unwrap_or_default();
        let options: String = part
            .split("data-letter=\"")
            .skip(1)
            .map(|r| r[..1].to_string())
            .collect();
        let source = part
            .split_once("class=\"quiz-source\">")
            .and_then(|(_, r)| r.split_once("<a href=\""))
            .map(|(_, r)| r[..r.find(['"', '#']).unwrap()].to_string())
            .unwrap_or_default();
        out.push((Written { options, answer }, source));
    }
    out
}

/// The deck the flashcards, quiz and review pages load, as JSON.
fn deck_of(js: &str) -> serde_json::Value {
    let json = js
        .trim()
        .strip_prefix("window.studysiteDeckData = ")
        .and_then(|j| j.strip_suffix(';'))
        .expect("the deck script's shape");
    serde_json::from_str(json).unwrap()
}

const DECK: &str = "static/study/deck.js";

/// The ids of the deck's cards, in order (the GUIDs of the Anki export).
fn card_ids(site: &Site) -> Vec<String> {
    deck_of(&site.text(DECK))["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// `flashcards.txt` as the flashcards page makes it from the deck (the theme's deck.js run
/// by node); `None` without node.
fn anki_txt(site: &Site) -> Option<String> {
    if !support::node() {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("deck-data.js");
    std::fs::write(&data, site.text(DECK)).unwrap();
    let script = r#"
        globalThis.window = globalThis;
        require(process.argv[1]);
        require(process.argv[2]);
        process.stdout.write(window.studysiteDeck().txt());
    "#;
    let out = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(&data)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("static/deck.js"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

/// The quizzes `quiz.html` shows (from the deck): options' letters and the answer.
fn quiz_page_of(js: &str) -> Vec<(Written, String)> {
    let deck = deck_of(js);
    deck["quizzes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let options = q["options"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o[0].as_str().unwrap())
                .collect();
            let answer = q["answer"].as_str().unwrap().replace(',', "");
            // A quiz names its page (`p`: URL, title, section) and its anchor there.
            let page = &deck["pages"][q["p"].as_u64().unwrap() as usize];
            let source = page[0].as_str().unwrap().to_string();
            (Written { options, answer }, source)
        })
        .collect()
}

/// The first quiz of `html` whose markup does not close what it opens (a stray `</p>`, a
/// list left open), with the tag; code, diagrams and SVG are left out.
fn unbalanced_quiz(html: &str) -> Option<String> {
    for part in html.split("<section class=\"quiz\"").skip(1) {
        let part = &part[..part.find("</section>").unwrap_or(part.len())];
        let mut text = part.to_string();
        for (open, close) in [("<pre", "</pre>"), ("<svg", "</svg>"), ("<code", "</code>")] {
            while let Some(a) = text.find(open) {
                let Some(b) = text[a..].find(close) else {
                    break;
                };
                text.replace_range(a..a + b + close.len(), "");
            }
        }
        for tag in ["p", "ul", "ol", "li", "details", "div", "aside"] {
            let opened = text.matches(&format!("<{tag}>")).count()
                + text.matches(&format!("<{tag} ")).count();
            let closed = text.matches(&format!("</{tag}>")).count();
            if opened != closed {
                return Some(format!(
                    "<{tag}> opened {opened} times, closed {closed}, in the quiz: {part}"
                ));
            }
        }
    }
    None
}

/// Every note's questions from its source, against its page and `quiz.html`.
fn corpus_quizzes(name: &str) -> (usize, usize) {
    let Some(path) = support::shared(&format!("corpora/{name}")) else {
        return (0, 0);
    };
    let site = build(&path);
    let quiz_page = quiz_page_of(&site.text(DECK));
    let mut from_source = 0;
    let mut missing = Vec::new();
    for (rel, url) in &site.urls {
        let text = std::fs::read_to_string(site.notes_dir.join(rel)).unwrap();
        let written = scan(&text);
        from_source += written.len();
        if let Some(bad) = unbalanced_quiz(&site.text(url)) {
            missing.push(format!("{rel}: {bad}"));
        }
        let on_page: Vec<Written> = quizzes_of(&site.text(url))
            .into_iter()
            .map(|(w, _)| w)
            .collect();
        let on_quiz_page: Vec<Written> = quiz_page
            .iter()
            .filter(|(_, source)| source == url)
            .map(|(w, _)| w.clone())
            .collect();
        if written != on_page || written != on_quiz_page {
            let at = (0..written.len().max(on_page.len()))
                .find(|&k| {
                    written.get(k) != on_page.get(k) || written.get(k) != on_quiz_page.get(k)
                })
                .unwrap_or(0);
            missing.push(format!(
                "{rel}: {} in the source, {} on the page, {} on quiz.html; question #{} is {:?} in the source, {:?} on the page, {:?} on quiz.html",
                written.len(),
                on_page.len(),
                on_quiz_page.len(),
                at + 1,
                written.get(at),
                on_page.get(at),
                on_quiz_page.get(at)
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "{name}: {} of {} notes differ:\n{}",
        missing.len(),
        site.urls.len(),
        missing.join("\n")
    );
    assert_eq!(quiz_page.len(), from_source, "{name}: quiz.html");
    // Every card of the export has a guid of its own.
    let ids = card_ids(&site);
    let guids: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(
        guids.len(),
        ids.len(),
        "{name}: a card id twice in the deck"
    );
    println!(
        "{name}: {from_source} practice questions in the source, {} quizzes on quiz.html",
        quiz_page.len()
    );
    (from_source, quiz_page.len())
}

#[test]
fn databricks_questions_are_quizzes_with_their_letters() {
    let (source, _) = corpus_quizzes("databricks-cert-guide");
    if source > 0 {
        assert!(source > 1000, "only {source} questions found in the source");
    }
}

#[test]
fn aws_ccp_questions_are_quizzes_with_their_letters() {
    let (source, _) = corpus_quizzes("aws-ccp-notes");
    if source > 0 {
        assert!(source > 1000, "only {source} questions found in the source");
    }
}

#[test]
fn aws_mla_questions_are_quizzes_with_their_letters() {
    let (source, _) = corpus_quizzes("aws-mla-notes");
    if source > 0 {
        assert!(source > 150, "only {source} questions found in the source");
    }
}

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/quiz-forms");

#[test]
fn every_option_and_answer_form_is_a_quiz() {
    let site = build(Path::new(FIXTURE));
    let html = site.text("forms.html");
    let got: Vec<Written> = quizzes_of(&html).into_iter().map(|(w, _)| w).collect();
    let want = [
        ("ABCD", "B"),  // A) + callout **Correct Answer: B**
        ("ABC", "C"),   // A. + **Answer: C**
        ("ABCD", "BD"), // (A) + Correct Answer: B, D
        ("ABCD", "A"),  // - A) + <details>
        ("ABCD", "AC"), // - **A.** + Correct answer: AC
        ("ABC", "B"),   // lower-case a) + MkDocs ??? success
        ("ABC", "A"),   // options in the question's paragraph + callout titled with the letter
        ("ABCD", "D"),  // numbered list item, options nested, <details> inside
        ("ABCD", "B"),  // answer callout body starting with the bold letter
        ("ABC", "E"),   // a letter no option has: a warning
        ("ABC", "C"),   // **A)** + The correct answer is (C).
        ("AB", "A"),    // <details><summary>Answer</summary>A</details>
        ("AB", "A"),    // - **Answer:** A as the options' last item
        ("AB", "A"),    // 1. with <br/>, nested - A. options, a blank line, <details>
        ("AB", "B"),    // a question callout, the options a paragraph of their own
    ];
    let want: Vec<Written> = want
        .iter()
        .map(|(o, a)| Written {
            options: o.to_string(),
            answer: a.to_string(),
        })
        .collect();
    assert_eq!(got, want, "{html}");
    if let Some(bad) = unbalanced_quiz(&html) {
        panic!("{bad}");
    }
    // The options are buttons; the answer stays in a <details> without JavaScript.
    assert!(html.contains("<button class=\"quiz-option\" data-letter=\"A\">"));
    for part in html.split("<section class=\"quiz\"").skip(1) {
        let part = &part[..part.find("</section>").unwrap()];
        assert!(part.contains("<details"), "an answer not folded: {part}");
    }
    assert!(
        !html.contains("A) A lake"),
        "an option kept its label: {html}"
    );
    assert!(html.contains("script src=\"static/quiz.js\""));
    let warnings: Vec<&String> = site
        .diagnostics
        .iter()
        .filter(|d| d.contains("warning"))
        .collect();
    let bad_line = std::fs::read_to_string(Path::new(FIXTURE).join("forms.md"))
        .unwrap()
        .lines()
        .position(|l| l.contains("Answer: E"))
        .unwrap()
        + 1;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with(&format!("tests/fixtures/quiz-forms/forms.md:{bad_line}:"))
            || warnings[0].contains(&format!("forms.md:{bad_line}:")),
        "{warnings:?}"
    );
    assert!(warnings[0].contains("the answer names E but the options are A, B, C"));
}

#[test]
fn lettered_options_keep_their_lines_without_an_answer() {
    let site = build(Path::new(FIXTURE));
    let html = site.text("plain.html");
    assert!(!html.contains("class=\"quiz\""), "{html}");
    assert!(
        html.contains("Pick one:<br />\nA) Lake Formation<br />\nB) Glue<br />\nC) Athena"),
        "{html}"
    );
}

#[test]
fn cloze_reads_as_plain_text_on_the_page() {
    let site = build(Path::new(FIXTURE));
    let html = site.text("plain.html");
    assert!(
        html.contains("Glue crawlers fill the Data Catalog with tables."),
        "{html}"
    );
    assert!(
        !html.contains("{{c1::crawlers") && !html.contains("what?"),
        "{html}"
    );
    assert!(html.contains("<code>{{c1::kept}}</code>"), "{html}");
    let deck = site.text(DECK);
    assert!(deck.contains("cloze-blank"), "no cloze card: {deck}");
}

/// One record of a text file by Anki's rules: fields split by the separator; a field that
/// starts with a quote runs to the next lone quote, `""` standing for `"`.
fn anki_fields(line: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if at_start && c == '"' {
            quoted = true;
            at_start = false;
            continue;
        }
        at_start = false;
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == sep {
            out.push(std::mem::take(&mut field));
            at_start = true;
        } else {
            field.push(c);
        }
    }
    out.push(field);
    out
}

#[test]
fn flashcards_txt_reads_as_anki_documents_it() {
    let site = build(Path::new(FIXTURE));
    let Some(txt) = anki_txt(&site) else {
        return;
    };
    let mut headers = BTreeMap::new();
    let mut rows = Vec::new();
    for line in txt.lines() {
        if let Some(h) = line.strip_prefix('#') {
            assert!(rows.is_empty(), "a header after the first record: {line}");
            let (k, v) = h.split_once(':').expect("a header is `#key:value`");
            headers.insert(k.to_string(), v.to_string());
        } else {
            rows.push(line);
        }
    }
    assert_eq!(headers["separator"], "tab");
    assert_eq!(headers["html"], "true");
    let col = |k: &str| headers[k].parse::<usize>().unwrap() - 1;
    let (guid, notetype, deck, tags) = (
        col("guid column"),
        col("notetype column"),
        col("deck column"),
        col("tags column"),
    );
    let columns = headers["columns"].split('\t').count();
    assert!(!rows.is_empty());
    let mut guids = std::collections::BTreeSet::new();
    let mut kinds = std::collections::BTreeSet::new();
    for row in &rows {
        let f = anki_fields(row, '\t');
        assert_eq!(f.len(), columns, "{row}");
        assert!(guids.insert(f[guid].clone()), "guid twice: {row}");
        assert!(f[deck].starts_with("Quiz forms::"), "{row}");
        assert!(!f[tags].contains('\t') && f[tags].contains("studysite"));
        match f[notetype].as_str() {
            "Cloze" => assert!(f[3].contains("{{c1::"), "{row}"),
            "Basic" => assert!(!f[3].is_empty() && !f[4].is_empty(), "{row}"),
            other => panic!("note type {other}"),
        }
        kinds.insert(f[tags].split(' ').nth(1).unwrap().to_string());
    }
    assert!(
        kinds.contains("quiz") && kinds.contains("cloze"),
        "{kinds:?}"
    );
    // The deck the pages load holds the same cards (the browser makes the CSV of it).
    let ids: std::collections::BTreeSet<String> = card_ids(&site).into_iter().collect();
    assert_eq!(ids, guids);
    // The flashcards page offers both exports; neither is a file of the site.
    let page = site.text("flashcards.html");
    assert!(page.contains("id=\"fc-txt\"") && page.contains("id=\"fc-csv\""));
    assert!(!site.files.contains_key("flashcards.txt"));
}

#[test]
fn card_ids_stay_when_other_notes_change() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |extra: Option<&str>| {
        for f in ["forms.md", "plain.md", "index.md"] {
            std::fs::copy(Path::new(FIXTURE).join(f), dir.path().join(f)).unwrap();
        }
        if let Some(text) = extra {
            std::fs::write(dir.path().join("aaa.md"), text).unwrap();
        }
        let site = build(dir.path());
        card_ids(&site)
            .into_iter()
            .collect::<std::collections::BTreeSet<String>>()
    };
    let before = copy(None);
    let after = copy(Some(
        "# First\n\nWhich?\n\nA) x\nB) y\n\n**Answer: A**\n\nA {{c1::new}} card.\n",
    ));
    assert!(before.is_subset(&after), "{before:?} vs {after:?}");
    assert_eq!(after.len(), before.len() + 2);
}

#[test]
fn init_then_build_gives_no_warning() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("new-site");
    let bin = env!("CARGO_BIN_EXE_studysite");
    let init = Command::new(bin).arg("init").arg(&site).output().unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let again = Command::new(bin).arg("init").arg(&site).output().unwrap();
    assert!(!again.status.success(), "init over a site must refuse");
    let out = Command::new(bin)
        .args(["build", "--strict"])
        .arg(&site)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let public = site.join("public");
    let read = |p: &str| std::fs::read_to_string(public.join(p)).unwrap();
    let storage = read("storage.html");
    for feature in [
        "class=\"diagram",
        "callout-exam-tip",
        "callout-eli5",
        "callout-exam-trap",
        "class=\"mermaid",
        "<table",
    ] {
        assert!(
            storage.contains(feature),
            "{feature} missing from storage.html"
        );
    }
    assert!(read("practice.html").contains("<section class=\"quiz\""));
    assert_eq!(quiz_page_of(&read(DECK)).len(), 2);
    let deck = read(DECK);
    assert!(deck.matches("\"kind\":\"cloze\"").count() >= 2, "{deck}");
    // Every option is in studysite.toml.
    let toml = std::fs::read_to_string(site.join("studysite.toml")).unwrap();
    for key in [
        "title",
        "description",
        "base_url",
        "edit_url",
        "diagrams",
        "callout_prefixes",
        "scenario_columns",
        "answer_columns",
        "term_prefixes",
        "glossary",
        "hard_breaks",
        "follow_links",
        "[lints]",
        "[extra]",
    ] {
        assert!(toml.contains(key), "{key} missing from studysite.toml");
    }
}

/// Text the study pages reuse from the notes (when-to-use-what entries, cram-sheet cells,
/// tips and traps, review cards) shows the notes' code spans as code, never as backticks;
/// a code block on the cram sheet stays as written.
#[test]
fn reused_text_keeps_its_code_spans() {
    let Some(path) = support::shared("corpora/databricks-cert-guide") else {
        return;
    };
    let site = build(&path);
    for page in ["when-to-use-what.html", "cram-sheet.html", DECK] {
        let mut html = site.text(page);
        if page == DECK {
            // The cards' text, not the quizzes' (each is its note's own HTML).
            let cards = deck_of(&html)["cards"].clone();
            html = cards
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|c| Some(format!("{} {}", c["front"].as_str()?, c["back"].as_str()?)))
                .collect::<Vec<_>>()
                .join("\n");
        }
        for (open, close) in [("<pre", "</pre>"), ("<script", "</script>")] {
            while let Some(a) = html.find(open) {
                let Some(b) = html[a..].find(close) else {
                    break;
                };
                html.replace_range(a..a + b + close.len(), "");
            }
        }
        let literal: Vec<&str> = html
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|s| !s.is_empty() && s.len() < 60 && !s.contains('<'))
            .take(5)
            .collect();
        assert!(
            literal.is_empty(),
            "{page}: code spans shown with their backticks: {literal:?}"
        );
        assert!(html.contains("<code>"), "{page}: no code span at all");
    }
}
