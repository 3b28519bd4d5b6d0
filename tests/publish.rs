//! Publishing: the built site crawled over HTTP under a base path with 0 broken links,
//! anchors or assets; the sitemap; `studysite check` on a fixture with known broken links;
//! and the JS stemmer agreeing with the Rust one.

#[path = "support/shared.rs"]
mod shared;
#[path = "support/static_server.rs"]
mod static_server;

use static_server::{percent_decode, serve};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_studysite");
const BASE: &str = "https://example.org/sub/";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn studysite(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        // Never the user's own cache: the tests write theirs under target/tmp.
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .args(args)
        .output()
        .expect("run studysite")
}

/// Builds the bundled notes into `out` with `--base-url base`.
fn build_bundled(out: &Path, base: &str) -> std::process::Output {
    studysite(&[
        "build",
        repo().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--base-url",
        base,
    ])
}

/// A fresh, empty folder under the target dir (no tempfile in the non-dev path).
fn scratch(name: &str) -> PathBuf {
    let dir = repo().join("target/test-publish").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `GET path` (absolute, `/sub/...`): status and body.
fn get(origin: &str, path: &str) -> (u16, Vec<u8>) {
    let host = origin.trim_start_matches("http://");
    let mut s = TcpStream::connect(host).unwrap();
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").as_bytes())
        .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]);
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, raw[split + 4..].to_vec())
}

/// Values of `attr="..."` in the HTML.
fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let key = format!(" {attr}=\"");
    html.match_indices(&key)
        .filter_map(|(i, _)| {
            let rest = &html[i + key.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// `url(...)` references in CSS.
fn css_urls(css: &str) -> Vec<String> {
    css.match_indices("url(")
        .filter_map(|(i, _)| {
            let rest = &css[i + 4..];
            let end = rest.find(')')?;
            Some(rest[..end].trim().trim_matches(['"', '\'']).to_string())
        })
        .filter(|u| !u.starts_with("data:") && !u.starts_with('#'))
        .collect()
}

fn is_external(link: &str) -> bool {
    link.starts_with("//")
        || link
            .split_once(':')
            .is_some_and(|(s, _)| !s.contains('/') && s.len() > 1)
}

/// Resolves `link` against the absolute path `from` (`/sub/a/b.html`): (path, fragment).
fn resolve(from: &str, link: &str) -> (String, Option<String>) {
    let (path, frag) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        return (from.to_string(), frag);
    }
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        let dir = &from[..from.rfind('/').unwrap()];
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    (format!("/{}", parts.join("/")), frag)
}

fn has_id(html: &str, id: &str) -> bool {
    let id = percent_decode(id);
    html.contains(&format!(" id=\"{id}\""))
}

/// Every file in `dir`, relative, `/`-separated.
fn files(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out
}

/// Site-relative URLs in the search index's part table (`[url, title, summary]` rows of each
/// `d-N.js` chunk).
fn search_urls(out: &Path) -> BTreeSet<String> {
    let mut urls = BTreeSet::new();
    for f in files(&out.join("static/search"))
        .iter()
        .filter(|f| f.starts_with("d-"))
    {
        let text = std::fs::read_to_string(out.join("static/search").join(f)).unwrap();
        let json = text.trim().trim_end_matches(';').trim_end_matches(')');
        let json = &json[json.find(",[").unwrap() + 1..];
        let data: serde_json::Value = serde_json::from_str(json).unwrap();
        for row in data.as_array().unwrap() {
            urls.insert(row[0].as_str().unwrap().to_string());
        }
    }
    urls
}

#[test]
fn crawl_under_a_base_path_finds_nothing_broken() {
    let out = scratch("crawl");
    let built = build_bundled(&out, BASE);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let origin = serve(out.clone());

    let mut bodies: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut queue = VecDeque::from(["/sub/index.html".to_string(), "/sub/404.html".to_string()]);
    let mut anchors: Vec<(String, String, String)> = Vec::new();
    let mut broken = Vec::new();
    while let Some(path) = queue.pop_front() {
        if bodies.contains_key(&path) {
            continue;
        }
        assert!(
            bodies.len() < 5000,
            "runaway crawl: {:?}",
            bodies.keys().rev().take(5).collect::<Vec<_>>()
        );
        let (status, body) = get(&origin, &path);
        if status != 200 {
            broken.push(format!("{path}: HTTP {status}"));
            bodies.insert(path, Vec::new());
            continue;
        }
        let text = String::from_utf8_lossy(&body).into_owned();
        let links: Vec<String> = if path.ends_with(".html") {
            let mut l: Vec<String> = attrs(&text, "href").into_iter().map(String::from).collect();
            l.extend(attrs(&text, "src").into_iter().map(String::from));
            if path != "/sub/404.html" {
                let canonical = format!("{BASE}{}", &path["/sub/".len()..]);
                assert!(
                    text.contains(&format!("<link rel=\"canonical\" href=\"{canonical}\">")),
                    "{path}: no canonical link to {canonical}"
                );
                assert!(text.contains("property=\"og:url\""), "{path}: no og:url");
            }
            l
        } else if path.ends_with(".css") {
            css_urls(&text)
        } else {
            Vec::new()
        };
        bodies.insert(path.clone(), body);
        for link in links {
            if is_external(&link) {
                assert!(
                    !link.starts_with("https://example.org/sub/") || link.starts_with(BASE),
                    "{link}"
                );
                continue;
            }
            let link = link.replace("&amp;", "&");
            let (target, frag) = resolve(&path, &link);
            if let Some(frag) = frag.filter(|f| !f.is_empty()) {
                anchors.push((path.clone(), target.clone(), frag));
            }
            queue.push_back(target);
        }
    }
    for (from, target, frag) in &anchors {
        let html = String::from_utf8_lossy(&bodies[target]);
        if !has_id(&html, frag) {
            broken.push(format!("{from}: link to missing anchor {target}#{frag}"));
        }
    }
    // What scripts add at run time: the nav tree's and the search index's URLs.
    let mut parts = 0;
    for entry in std::fs::read_dir(out.join("static/nav")).unwrap() {
        let path = entry.unwrap().path();
        let nav = std::fs::read_to_string(&path).unwrap();
        parts += 1;
        // Each entry's page, and a folder entry's part, are there to load.
        let values = |field: &str| -> Vec<String> {
            let key = format!("\"{field}\":\"");
            nav.match_indices(&key)
                .map(|(i, _)| &nav[i + key.len()..])
                .map(|r| r[..r.find('"').unwrap()].to_string())
                .collect()
        };
        let wanted = values("u").into_iter().map(|u| format!("/sub/{u}")).chain(
            values("p")
                .into_iter()
                .map(|p| format!("/sub/static/nav/{p}.js")),
        );
        for url in wanted {
            if get(&origin, &url).0 != 200 {
                broken.push(format!("{}: {url}", path.display()));
            }
        }
    }
    assert!(parts > 1, "the nav was not written in parts");
    let search = search_urls(&out);
    assert!(search
        .iter()
        .any(|u| u.ends_with("02-deployment-strategies.html#canary-deployment")));
    for u in &search {
        let (target, frag) = resolve("/sub/index.html", u);
        let (status, body) = get(&origin, &target);
        if status != 200 || frag.is_some_and(|f| !has_id(&String::from_utf8_lossy(&body), &f)) {
            broken.push(format!("search index: {u}"));
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken:\n{}",
        broken.len(),
        broken.join("\n")
    );
    let assets = bodies
        .keys()
        .filter(|p| p.ends_with(".css") || p.ends_with(".js") || p.ends_with(".woff2"))
        .count();
    assert!(assets >= 4, "only {assets} assets crawled");
    println!(
        "crawled {} URLs, {} anchors, {} search URLs: 0 broken",
        bodies.len(),
        anchors.len(),
        search.len()
    );

    // The sitemap lists every page under the base URL, and only pages.
    let (status, sitemap) = get(&origin, "/sub/sitemap.xml");
    assert_eq!(status, 200);
    let sitemap = String::from_utf8(sitemap).unwrap();
    let locs: BTreeSet<String> = sitemap
        .match_indices("<loc>")
        .map(|(i, _)| &sitemap[i + 5..])
        .map(|r| r[..r.find("</loc>").unwrap()].to_string())
        .collect();
    let pages: BTreeSet<String> = files(&out)
        .into_iter()
        .filter(|f| f.ends_with(".html") && f != "404.html")
        .map(|f| format!("{BASE}{f}"))
        .collect();
    assert_eq!(locs, pages, "sitemap.xml and the built pages differ");
    let crawled: BTreeSet<String> = bodies
        .keys()
        .filter(|p| p.ends_with(".html") && *p != "/sub/404.html")
        .map(|p| format!("{BASE}{}", &p["/sub/".len()..]))
        .collect();
    assert_eq!(
        crawled, pages,
        "a page is not reachable by links from the home page"
    );
    let (_, robots) = get(&origin, "/sub/robots.txt");
    assert!(String::from_utf8_lossy(&robots).contains(&format!("Sitemap: {BASE}sitemap.xml")));
    assert_eq!(get(&origin, "/sub/static/favicon.svg").0, 200);
}

#[test]
fn a_base_path_leaves_out_absolute_urls_with_a_notice() {
    let out = scratch("base-path");
    let built = build_bundled(&out, "/sub/");
    assert!(built.status.success());
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(stderr.contains("base_url `/sub/` is a path"), "{stderr}");
    assert!(!out.join("sitemap.xml").exists());
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!index.contains("rel=\"canonical\"") && !index.contains("og:url"));
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(!robots.contains("Sitemap"));
    let not_found = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(
        not_found.contains("href=\"/sub/static/style.css\""),
        "404.html links are not rooted at /sub/"
    );
}

#[test]
fn check_reports_exactly_the_three_broken_links() {
    let fixture = repo().join("tests/fixtures/broken-links");
    let out = Command::new(BIN)
        // Never the user's own cache: the tests write theirs under target/tmp.
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .arg("check")
        .arg(&fixture)
        .current_dir(&fixture)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(": error: ") && !l.starts_with("error:"))
        .collect();
    assert_eq!(
        errors,
        [
            "notes/guide/setup.md:9:9: error: link to missing anchor `#instal`",
            "notes/guide/setup.md:11:1: error: image not found: `architecture.png`",
            "notes/index.md:6:3: error: link to missing note `guide/missing-page.md`",
        ],
        "{stderr}"
    );
    assert!(
        stderr.contains("= help: did you mean `#install`?"),
        "{stderr}"
    );
    assert!(
        !out.stdout.is_empty()
            && String::from_utf8_lossy(&out.stdout).contains("https://example.org/docs")
    );
    assert!(!fixture.join("public").exists(), "check wrote the site");
}

#[test]
fn build_reports_the_same_links_as_warnings() {
    let fixture = repo().join("tests/fixtures/broken-links");
    let dest = scratch("broken-build");
    let out = studysite(&[
        "build",
        fixture.to_str().unwrap(),
        "-o",
        dest.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches(": warning: ").count(), 3, "{stderr}");
}

#[test]
fn check_passes_on_the_bundled_notes() {
    let out = Command::new(BIN)
        // Never the user's own cache: the tests write theirs under target/tmp.
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .arg("check")
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn check_external_fetches_links_on_localhost() {
    let served = scratch("external-target");
    std::fs::write(served.join("ok.html"), "ok").unwrap();
    let origin = serve(served);
    let site = scratch("external-site");
    std::fs::write(
        site.join("index.md"),
        format!("# Links\n\n[fine]({origin}/sub/ok.html) and [gone]({origin}/sub/gone.html)\n"),
    )
    .unwrap();
    let out = studysite(&["check", site.to_str().unwrap(), "--external"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "an external failure is a warning: {stderr}"
    );
    assert!(stderr.contains("gone.html`: HTTP 404"), "{stderr}");
    assert!(!stderr.contains("ok.html`"), "{stderr}");
    let strict = studysite(&["check", site.to_str().unwrap(), "--external", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
}

/// The JS stemmer in static/search.js against the word list the Rust unit test reads.
#[test]
fn js_stemmer_agrees_with_rust() {
    if !shared::node() {
        return;
    }
    let script = r#"
        const api = require(process.argv[1]);
        const fs = require('fs');
        const bad = [];
        for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\n')) {
            if (!line.trim() || line.startsWith('#')) continue;
            const [word, want] = line.trim().split(' ');
            if (api.stem(word) !== want) bad.push(`${word}: ${api.stem(word)} != ${want}`);
        }
        const t = api.tokens("SageMaker 模型部署, Canary's").map(t => t[0]).join(' ');
        if (t !== "sagemaker 模 型 部 署 canary s") bad.push('tokens: ' + t);
        if (bad.length) { console.log(bad.join('\n')); process.exit(1); }
    "#;
    let out = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(repo().join("static/search.js"))
        .arg(repo().join("tests/search_words.txt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The search script over an index of many shards, in node: a word in the first shard, one in
/// the last, a word of two scripts and a prefix each find their note.
#[test]
fn js_search_finds_terms_in_every_shard() {
    if !shared::node() {
        return;
    }
    let site = scratch("many-shards");
    let notes = site.join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    for n in 0..400 {
        let words: Vec<String> = (0..12).map(|w| format!("q{n:03}x{w:02}term")).collect();
        std::fs::write(
            notes.join(format!("n{n:03}.md")),
            format!("# Note {n}\n\nAbout {} here.\n", words.join(" ")),
        )
        .unwrap();
    }
    std::fs::write(
        notes.join("zh.md"),
        "# 模型部署\n\nOnly here: zzlastword.\n",
    )
    .unwrap();
    let out = site.join("public");
    let built = studysite(&["build", site.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let shards = files(&out.join("static/search"))
        .iter()
        .filter(|f| f.starts_with("t-"))
        .count();
    assert!(shards >= 3, "{shards} shards");
    for (query, want) in [
        ("q000x00term", "n000.html"),
        ("q399x11term", "n399.html"),
        ("zzlastword", "zh.html"),
        ("模型", "zh.html"),
        ("q250x0", "n250.html"),
    ] {
        let ran = Command::new("node")
            .arg(repo().join("bench/search_payload.js"))
            .arg(&out)
            .arg(query)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&ran.stdout);
        assert!(
            ran.status.success(),
            "{query}: {stdout}{}",
            String::from_utf8_lossy(&ran.stderr)
        );
        assert!(
            stdout.contains(&format!("\"top\":\"{want}")),
            "{query}: {stdout}"
        );
    }
}
