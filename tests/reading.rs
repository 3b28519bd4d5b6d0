//! Real vaults read right (issue 13): anchors in raw HTML, money that is not math, Jekyll
//! sites, titles, and warnings a person can read. Each test builds a small site with the
//! real binary.

use std::fs;
use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

fn site(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

/// `studysite CMD DIR [more]`: (exit 0?, stderr).
fn run(cmd: &str, dir: &Path, more: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_studysite"))
        // Never the user's own cache: the tests write theirs under target/tmp.
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .arg(cmd)
        .arg(dir)
        .args(more)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn read(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join("public").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn ids_and_names_in_raw_html_are_anchors() {
    let s = site(&[
        (
            "notes/guide.md",
            "# What Is It?<a name=\"whatis\"></a>\n\nText.\n\n<div id=\"setup-steps\">\n\nSteps.\n\n</div>\n",
        ),
        (
            "notes/index.md",
            "# Home\n\n[what](guide.md#whatis) [steps](guide.md#setup-steps) [bad](guide.md#setup-step)\n\n\
             <script>var html = \"<a href=\\\"https://x.org/a\\\">x</a><a href=\\\"missing.md\\\">\";</script>\n",
        ),
    ]);
    let (ok, err) = run("check", s.path(), &[]);
    assert!(!ok);
    assert!(err.contains("notes/index.md:3:"), "{err}");
    assert!(
        err.contains("link to missing anchor `guide.md#setup-step`"),
        "{err}"
    );
    assert!(err.contains("did you mean `#setup-steps`?"), "{err}");
    assert!(!err.contains("#whatis`"), "{err}");
    assert!(
        !err.contains("missing.md"),
        "script contents are not links: {err}"
    );
    assert_eq!(err.matches(": error:").count(), 1, "{err}");
}

#[test]
fn money_and_operators_are_not_math() {
    let s = site(&[(
        "notes/index.md",
        "# Costs\n\n| Strategy | Cost |\n|---|---|\n| Active-Active | $$$$ |\n| Backup | $ |\n\n\
         Use `$match` or $match/$sort and $first/$last stages; S3 is $0.023/GB.\n\n\
         F1 is $\\frac{2PR}{P+R}$ and\n\n$$\nx^2 + y^2\n$$\n",
    )]);
    let (ok, err) = run("build", s.path(), &[]);
    assert!(ok, "{err}");
    let html = read(s.path(), "index.html");
    assert!(html.contains("<td>$$$$</td>"), "{html}");
    assert!(html.contains("$match/$sort and $first/$last"), "{html}");
    assert!(html.contains("$0.023/GB"), "{html}");
    // The two formulas, and nothing else, are MathML written at build time.
    assert_eq!(
        html.matches("<math class=\"math-inline\"").count(),
        1,
        "{html}"
    );
    assert_eq!(
        html.matches("<math class=\"math-display\" display=\"block\"")
            .count(),
        1,
        "{html}"
    );
    assert!(html.contains("<mfrac>"), "{html}");
    assert!(
        !html.contains("class=\"math math-"),
        "nothing left to KaTeX: {html}"
    );
    assert!(!html.contains("katex"), "{html}");
}

#[test]
fn a_jekyll_site_builds_as_it_is() {
    let s = site(&[
        (
            "_config.yml",
            "title: Cloud Notes\ndescription: Notes for the exam\nurl: https://notes.example.org\nbaseurl: /ccp\nexclude:\n  - drafts\n  - \"*.sh\"\n",
        ),
        ("_layouts/default.html", "<html>{{ content }}</html>\n"),
        ("_includes/ads.html", "<div>ads</div>\n"),
        ("_sass/main.scss", "body {}\n"),
        ("_site/index.html", "<p>old build</p>\n"),
        ("Gemfile", "source 'https://rubygems.org'\n"),
        ("Gemfile.lock", "GEM\n"),
        ("vendor/bundle/x.rb", "x\n"),
        ("drafts/later.md", "# Later\n"),
        ("deploy.sh", "echo\n"),
        (
            "index.md",
            "---\nlayout: default\n---\n# {{ site.title }}\n\nSee [S3]({{ site.baseurl }}/sections/s3.md) and [about]({% link about.md %}).\n\n{% include ads.html %}\n\n{% raw %}`{{ not liquid }}`{% endraw %}\n",
        ),
        ("about.md", "---\nlayout: default\npermalink: /about-us/\n---\n# About\n\n{% include ads.html %}\n"),
        ("sections/s3.md", "# S3\n\nObjects.\n"),
        ("contact.html", "---\nlayout: default\n---\n<p>{{ site.email }}</p>\n"),
        ("robots.txt", "User-agent: *\n"),
    ]);
    let (ok, err) = run("build", s.path(), &[]);
    assert!(ok, "{err}");
    let out = s.path().join("public");
    for gone in [
        "_config.yml",
        "_layouts",
        "_includes",
        "_sass",
        "_site",
        "Gemfile",
        "Gemfile.lock",
        "vendor",
        "drafts",
        "deploy.sh",
        "contact.html",
    ] {
        assert!(!out.join(gone).exists(), "{gone} was published");
    }
    assert!(
        out.join("about-us/index.html").is_file(),
        "the permalink sets the URL"
    );
    let home = read(s.path(), "index.html");
    assert!(home.contains("<title>Cloud Notes</title>"), "{home}");
    assert!(home.contains("href=\"sections/s3.html\""), "{home}");
    assert!(home.contains("href=\"about-us/index.html\""), "{home}");
    assert!(
        home.contains("{% include ads.html %}"),
        "shown as written: {home}"
    );
    assert!(home.contains("<code>{{ not liquid }}</code>"), "{home}");
    assert!(
        home.contains("https://notes.example.org/ccp/"),
        "the base URL: {home}"
    );
    // One warning for the kind, where it first stands, with how often.
    assert_eq!(err.matches("Liquid `{% include %}`").count(), 1, "{err}");
    assert!(err.contains("about.md:7:1: warning: Liquid `{% include %}` is shown as written (2 time(s) in 2 note(s))"), "{err}");
    assert!(
        err.contains("contact.html"),
        "the Jekyll page not copied is named: {err}"
    );
}

#[test]
fn a_notice_is_not_a_title_and_no_title_is_empty() {
    let s = site(&[
        (
            "notes/README.md",
            "# NOTICE\n\nThis guide is licensed under terms.\n\n# Developer Guide\n\nWelcome.\n",
        ),
        ("notes/a.md", "# Part A\n"),
    ]);
    assert!(run("build", s.path(), &[]).0);
    let home = read(s.path(), "index.html");
    assert!(home.contains("<title>Developer Guide</title>"), "{home}");
    let a = read(s.path(), "a.html");
    assert!(a.contains("<title>Part A · Developer Guide</title>"), "{a}");
    // A vault whose root note has only lower headings: the folder names the site.
    let vault = tempfile::Builder::new()
        .prefix("exam-vault")
        .tempdir()
        .unwrap();
    fs::write(vault.path().join("README.md"), "## Setup\n\nText.\n").unwrap();
    fs::write(vault.path().join("b.md"), "Body only.\n").unwrap();
    assert!(run("build", vault.path(), &[]).0);
    let home = fs::read_to_string(vault.path().join("public/index.html")).unwrap();
    let name = vault
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    let title = home
        .split("<title>")
        .nth(1)
        .unwrap()
        .split("</title>")
        .next()
        .unwrap();
    assert!(!title.trim().is_empty() && title != "README", "{title}");
    assert!(
        title.to_lowercase().starts_with("exam"),
        "{title} from {name}"
    );
    assert!(
        !home.contains("<h1></h1>") && !home.contains("<h1 class=\"page-title\"></h1>"),
        "{home}"
    );
    assert!(
        !home.contains("<span aria-current=\"page\"></span>"),
        "{home}"
    );
}

#[test]
fn warnings_are_grouped_counted_and_levelled() {
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..30 {
        files.push((
            format!("notes/n{i:02}.md"),
            format!("# N{i}\n\n```cypher\nMATCH (n) RETURN n\n```\n\n```text\n┌────┐\n│ a   │\n│ b   │\n└────┘\n```\n"),
        ));
    }
    files.push(("notes/index.md".into(), "# Home\n\n[x](gone.md)\n".into()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let s = site(&refs);
    let (ok, err) = run("build", s.path(), &[]);
    assert!(ok, "{err}");
    // The broken link comes first; one warning for the 30 blocks of one language.
    assert!(
        err.lines()
            .next()
            .unwrap()
            .contains("notes/index.md:3:1: warning: link to missing note"),
        "{err}"
    );
    assert_eq!(
        err.matches("unknown code language `cypher`").count(),
        1,
        "{err}"
    );
    assert!(err.contains("(30 times in 30 file(s)"), "{err}");
    // A diagram's faults are one warning, and at most ten of a kind are printed.
    assert_eq!(
        err.matches("box edge is off by one cell").count(),
        10,
        "{err}"
    );
    assert!(
        err.contains("... and 20 more `box-drawing` warnings"),
        "{err}"
    );
    assert!(
        err.contains(
            "warnings: 1 broken links, anchors or images, 1 unknown code languages, 30 diagrams"
        ),
        "{err}"
    );
    let lines = err.lines().count();
    assert!(lines < 40, "{lines} lines:\n{err}");
    // -q: errors and the summary only.
    let (_, quiet) = run("build", s.path(), &["-q"]);
    assert!(quiet.starts_with("warnings: "), "{quiet}");
    // [lints] turns a kind off, or makes it an error.
    fs::write(
        s.path().join("studysite.toml"),
        "[lints]\nbox-drawing = \"allow\"\nunknown-language = \"error\"\n",
    )
    .unwrap();
    let (ok, err) = run("build", s.path(), &[]);
    assert!(!ok);
    assert!(!err.contains("box edge"), "{err}");
    assert!(
        err.contains("error: unknown code language `cypher`"),
        "{err}"
    );
}
