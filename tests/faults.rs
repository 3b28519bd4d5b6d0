//! Hostile input and faults (issue 10), one test per row of what was tried: each asserts
//! the message (file, line) and that the notes and OUT are as they should be afterwards.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
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

fn studysite(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_studysite"))
        // Never the user's own cache: the tests write theirs under target/tmp.
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .args(args)
        .output()
        .unwrap()
}

/// `studysite build DIR [more]`: (exit 0?, stderr).
fn build(dir: &Path, more: &[&str]) -> (bool, String) {
    let mut args = vec!["build", dir.to_str().unwrap()];
    args.extend(more);
    let out = studysite(&args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).unwrap_or_default())
        })
        .collect()
}

/// Temporary folders of builds beside OUT.
fn temporaries(site: &Path) -> Vec<String> {
    fs::read_dir(site)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".studysite-new-") || n.contains(".studysite-old-"))
        .collect()
}

// Row 1: host files and a worktree in OUT are never silently deleted.
#[test]
fn files_in_out_that_studysite_did_not_write_stop_the_build() {
    let s = site(&[("notes/index.md", "# Home\n")]);
    assert!(build(s.path(), &[]).0);
    let out = s.path().join("public");
    fs::write(out.join("CNAME"), "notes.example.org\n").unwrap();
    fs::write(out.join(".nojekyll"), "").unwrap();
    fs::create_dir_all(out.join(".git")).unwrap();
    fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    fs::write(out.join("static/mine.css"), "body {}\n").unwrap();
    let before = tree(&out);
    let (ok, err) = build(s.path(), &[]);
    assert!(!ok);
    for name in ["CNAME", ".nojekyll", ".git/HEAD", "static/mine.css"] {
        assert!(
            err.contains(&format!("public/{name} (not written by studysite)")),
            "{name}: {err}"
        );
    }
    assert!(err.contains("belongs in the notes folder"), "{err}");
    assert_eq!(tree(&out), before, "OUT was touched");
}

#[test]
fn host_files_at_the_notes_root_are_published() {
    let s = site(&[
        ("notes/index.md", "# Home\n"),
        ("notes/CNAME", "notes.example.org\n"),
        ("notes/.nojekyll", ""),
        ("notes/_headers", "/*\n  X-Frame-Options: DENY\n"),
        ("notes/_redirects", "/old /new 301\n"),
        (
            "notes/sub/.nojekyll",
            "not at the root: a dot-file like any other",
        ),
    ]);
    let (ok, err) = build(s.path(), &[]);
    assert!(ok, "{err}");
    let out = s.path().join("public");
    assert_eq!(
        fs::read_to_string(out.join("CNAME")).unwrap(),
        "notes.example.org\n"
    );
    for name in [".nojekyll", "_headers", "_redirects"] {
        assert!(out.join(name).is_file(), "{name}");
    }
    assert!(!out.join("sub/.nojekyll").exists());
    // And a rebuild accepts them as its own.
    assert!(build(s.path(), &[]).0);
}

// Row 2: nothing outside the site folder is published through a symlink.
#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_skipped_unless_followed() {
    let s = site(&[("notes/index.md", "# Home\n")]);
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "root:x:0:0:secret\n").unwrap();
    fs::create_dir(outside.path().join("etc")).unwrap();
    fs::write(outside.path().join("etc/shadow"), "root:$6$secret\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("etc"), s.path().join("notes/etc")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        s.path().join("notes/p.md"),
    )
    .unwrap();
    // A link that stays inside the site folder is fine.
    fs::write(s.path().join("shared.md"), "# Shared\n").unwrap();
    std::os::unix::fs::symlink(s.path().join("shared.md"), s.path().join("notes/shared.md"))
        .unwrap();
    let (ok, err) = build(s.path(), &[]);
    assert!(ok, "{err}");
    assert!(err.contains("notes/etc: warning: symlink to `"), "{err}");
    assert!(err.contains("notes/p.md: warning: symlink to `"), "{err}");
    assert!(err.contains("follow_links = true"), "{err}");
    let out = tree(&s.path().join("public"));
    assert!(
        !out.keys().any(|k| k.starts_with("etc/") || k == "p.html"),
        "{:?}",
        out.keys()
    );
    assert!(out.contains_key("shared.html"));
    assert!(
        !out.values()
            .any(|b| String::from_utf8_lossy(b).contains("root:")),
        "a secret leaked"
    );
    let check = studysite(&["check", s.path().to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&check.stderr).contains("notes/p.md: warning: symlink"));
    // Asked for, they are followed.
    fs::write(s.path().join("studysite.toml"), "follow_links = true\n").unwrap();
    fs::remove_dir_all(s.path().join("public")).unwrap();
    let (ok, err) = build(s.path(), &[]);
    assert!(ok, "{err}");
    assert!(s.path().join("public/p.html").is_file());
}

// Row 3: no input overflows the stack.
#[test]
fn one_enormous_word_builds() {
    let word = "a".repeat(50_000);
    let hex = "0123456789abcdef".repeat(4_000);
    let url = format!("https://example.org/{}", "x".repeat(50_000));
    let accents = "é".repeat(60_000);
    let note = format!("# Big\n\n{word}\n\n```\n{hex}\n```\n\n{url}\n\n{accents}\n");
    let s = site(&[("notes/index.md", &note)]);
    let (ok, err) = build(s.path(), &[]);
    assert!(ok, "{err}");
    let out = studysite(&["check", s.path().to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// Row 4: unclosed containers cost what their text does.
#[test]
fn thousands_of_unclosed_containers_build_in_a_moment() {
    let containers = ":::tip x\n".repeat(5_000);
    let hints = "{{< hint >}}\n".repeat(5_000);
    let nested: String = (1..1_000)
        .map(|i| format!("{}[!tip]\n", "> ".repeat(i)))
        .collect();
    let admonitions: String = (0..1_000)
        .map(|i| format!("{}!!! tip\n", "    ".repeat(i)))
        .collect();
    let s = site(&[
        ("notes/a.md", &containers),
        ("notes/b.md", &hints),
        ("notes/c.md", &nested),
        ("notes/d.md", &admonitions),
    ]);
    let started = Instant::now();
    let (ok, err) = build(s.path(), &[]);
    assert!(ok, "{err}");
    // Not a timing test: a bound ten times the slowest machine's, against a hang.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    let a = fs::read_to_string(s.path().join("public/a.html")).unwrap();
    assert_eq!(
        a.matches("class=\"callout callout-tip\"").count(),
        8,
        "nesting is bounded"
    );
}

/// A site big enough that its write takes a while: `n` notes with some text each.
fn big_site(n: usize) -> TempDir {
    let body = "Some text about deployments. ".repeat(200);
    let files: Vec<(String, String)> = (0..n)
        .map(|i| {
            (
                format!("notes/part-{}/note-{i}.md", i % 10),
                format!("# Note {i}\n\n## Part\n\n{body}\n"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    site(&refs)
}

/// Is OUT one whole site: every file its marker lists there, with the listed length?
fn whole(out: &Path) -> Result<usize, String> {
    let marker = fs::read_to_string(out.join(".studysite-output")).map_err(|e| e.to_string())?;
    let mut n = 0;
    for line in marker.lines() {
        let parts: Vec<&str> = line.splitn(3, '\t').collect();
        if parts.len() != 3 {
            continue;
        }
        let len: u64 = parts[0].parse().map_err(|_| line.to_string())?;
        let meta = fs::metadata(out.join(parts[2])).map_err(|e| format!("{}: {e}", parts[2]))?;
        if meta.len() != len {
            return Err(format!("{}: {} bytes, listed {len}", parts[2], meta.len()));
        }
        n += 1;
    }
    Ok(n)
}

// Row 5: a build killed while it writes leaves the old or the new site, whole, and the next
// build removes what it left.
#[cfg(unix)]
#[test]
fn a_build_killed_mid_write_leaves_a_whole_site() {
    let s = big_site(400);
    assert!(build(s.path(), &[]).0);
    let out = s.path().join("public");
    let files = whole(&out).unwrap();
    let mut left_behind = 0;
    // Each round waits for the write to begin (its folder appears beside OUT), then kills
    // the build a little later each time: at once, during the write, around the swap.
    for round in 0..10u64 {
        // Every round changes every page, so the write has work to do.
        let note = s.path().join("notes/part-0/note-0.md");
        fs::write(&note, format!("# Note 0 round {round}\n")).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_studysite"))
            // Never the user's own cache: the tests write theirs under target/tmp.
            .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
            .args(["build", s.path().to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let began = Instant::now();
        while temporaries(s.path()).is_empty()
            && child.try_wait().unwrap().is_none()
            && began.elapsed() < Duration::from_secs(60)
        {
            std::thread::sleep(Duration::from_micros(200));
        }
        std::thread::sleep(Duration::from_millis(round * 2));
        let _ = child.kill();
        let _ = child.wait();
        let n = whole(&out).unwrap_or_else(|e| panic!("round {round}: OUT is broken: {e}"));
        assert!(n > files / 2, "round {round}: {n} files");
        left_behind += temporaries(s.path()).len();
    }
    // Some kill came while the new site was being written (else this tests nothing).
    assert!(left_behind > 0, "no round was killed mid-write");
    let (ok, err) = build(s.path(), &[]);
    assert!(ok, "{err}");
    assert!(
        temporaries(s.path()).is_empty(),
        "{:?}",
        temporaries(s.path())
    );
    whole(&out).unwrap();
}

// Row 6: a user file at a URL studysite writes is the user's, or an error naming both.
#[test]
fn the_users_404_robots_and_sitemap_win() {
    let s = site(&[
        ("notes/index.md", "# Home\n"),
        ("notes/404.md", "# Lost\n\nThis page went away.\n"),
        ("notes/robots.txt", "User-agent: *\nDisallow: /drafts/\n"),
        ("notes/sitemap.xml", "<urlset/>\n"),
    ]);
    let (ok, err) = build(s.path(), &["--base-url", "https://example.org/"]);
    assert!(ok, "{err}");
    assert!(
        err.contains("notes/404.md: note: this note is the site's 404 page"),
        "{err}"
    );
    assert!(
        err.contains("notes/robots.txt: note: copied as it is"),
        "{err}"
    );
    assert!(
        err.contains("notes/sitemap.xml: note: copied as it is"),
        "{err}"
    );
    let out = s.path().join("public");
    assert!(fs::read_to_string(out.join("404.html"))
        .unwrap()
        .contains("This page went away."));
    assert_eq!(
        fs::read_to_string(out.join("robots.txt")).unwrap(),
        "User-agent: *\nDisallow: /drafts/\n"
    );
    assert_eq!(
        fs::read_to_string(out.join("sitemap.xml")).unwrap(),
        "<urlset/>\n"
    );
    // Notes are no warnings: --strict passes.
    fs::remove_dir_all(&out).unwrap();
    assert!(
        build(
            s.path(),
            &["--strict", "--base-url", "https://example.org/"]
        )
        .0
    );
}

#[test]
fn a_file_where_studysite_writes_is_an_error_naming_both() {
    let s = site(&[
        ("notes/index.md", "# Home\n"),
        ("notes/static/style.css", "body { color: red }\n"),
        ("notes/x.md", "# X\n"),
        ("notes/x.html", "<p>mine</p>\n"),
        ("notes/A B/pic.png", "png one"),
        ("notes/a-b/pic.png", "png two"),
    ]);
    let (ok, err) = build(s.path(), &[]);
    assert!(!ok);
    assert!(err.contains("notes/static/style.css: error: this file would be written to `static/style.css`, where studysite's own `static/style.css` goes"), "{err}");
    assert!(err.contains("notes/x.html: error: this file would be written to `x.html`, where the page of `notes/x.md` goes"), "{err}");
    assert!(
        err.contains("would both be written to `a-b/pic.png`"),
        "{err}"
    );
    assert!(
        !s.path().join("public").exists(),
        "nothing is written when the build fails"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn two_names_that_are_not_utf8_and_read_alike_are_an_error() {
    use std::os::unix::ffi::OsStrExt;
    let s = site(&[("notes/index.md", "# Home\n")]);
    let notes = s.path().join("notes");
    for bytes in [&b"pic\xff.png"[..], &b"pic\xfe.png"[..]] {
        fs::write(notes.join(std::ffi::OsStr::from_bytes(bytes)), bytes).unwrap();
    }
    let (ok, err) = build(s.path(), &[]);
    assert!(!ok);
    assert!(
        err.contains("have one name once their bytes that are not UTF-8 are replaced"),
        "{err}"
    );
}

// Row 7: a reused output file is checked by its content, never by its time.
#[test]
fn an_output_file_edited_with_its_time_set_back_stops_the_build() {
    let s = site(&[("notes/index.md", "# Home\n"), ("notes/a.md", "# A\n")]);
    assert!(build(s.path(), &[]).0);
    let page = s.path().join("public/a.html");
    let time = fs::metadata(&page).unwrap().modified().unwrap();
    let original = fs::read_to_string(&page).unwrap();
    let edited = original.replace("<h1", "<h1 data-edited");
    fs::write(&page, &edited).unwrap();
    fs::File::options()
        .write(true)
        .open(&page)
        .unwrap()
        .set_modified(time - Duration::from_secs(3600))
        .unwrap();
    let (ok, err) = build(s.path(), &[]);
    assert!(!ok);
    assert!(
        err.contains("public/a.html (changed since studysite wrote it)"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&page).unwrap(), edited);
}

// Row 9: a template error is one error, at its line.
#[test]
fn a_template_syntax_error_is_reported_once_at_its_line() {
    let s = site(&[
        ("notes/index.md", "# Home\n"),
        ("notes/a.md", "# A\n"),
        ("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.html | safe \n{% endblock %}\n"),
    ]);
    let (ok, err) = build(s.path(), &[]);
    assert!(!ok);
    let errors: Vec<&str> = err
        .lines()
        .filter(|l| l.contains(": error:") && !l.starts_with("error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{err}");
    // tera finds the unclosed `{{` where the next tag begins.
    assert!(
        errors[0].starts_with("templates/page.html:4:1: error: template error"),
        "{err}"
    );
    assert!(!err.contains("not found"), "{err}");
}

// Row 10: OUT inside the notes folder, and PATH that is a file.
#[test]
fn out_inside_the_notes_and_a_path_that_is_a_file_are_refused() {
    let s = site(&[("notes/index.md", "# Home\n")]);
    let inside = s.path().join("notes/sub");
    let (ok, err) = build(s.path(), &["-o", inside.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("is inside the notes folder"), "{err}");
    assert!(!inside.exists());
    let file = s.path().join("notes/index.md");
    let (ok, err) = build(&file, &[]);
    assert!(!ok);
    assert!(
        err.contains("index.md: error: this is a file; PATH is the site folder"),
        "{err}"
    );
}

#[test]
fn an_earlier_output_inside_a_vault_is_never_read_as_notes() {
    // A vault is its own site folder, so its `public/` lies among the notes; a second
    // output (built with -o) there is a site, not notes.
    let s = site(&[("index.md", "# Home\n"), ("a.md", "# A\n")]);
    let other: PathBuf = s.path().join("elsewhere");
    assert!(build(s.path(), &["-o", other.to_str().unwrap()]).0);
    let (ok, err) = build(s.path(), &[]);
    assert!(ok, "{err}");
    assert!(!s.path().join("public/elsewhere").exists());
}
