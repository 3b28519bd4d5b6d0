//! `studysite serve` for real: a server on 127.0.0.1 (an ephemeral port) over a small site
//! in a temp folder, spoken to with plain TCP.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use studysite::serve::{self, Handle, Limits, ServeOptions};
use studysite::BuildOptions;

/// A fresh site folder: `notes/` with three notes, and `studysite.toml`.
fn site(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("studysite-serve-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write(&dir.join("studysite.toml"), "title = \"Test site\"\n");
    write(
        &dir.join("notes/index.md"),
        "# Home\n\nWelcome. See [alpha](a.md).\n",
    );
    write(
        &dir.join("notes/a.md"),
        "---\ntitle: Alpha\n---\n\nAlpha text, first version.\n",
    );
    write(&dir.join("notes/topic/b.md"), "# Beta\n\nBeta text.\n");
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn start(dir: &Path) -> Handle {
    start_with(dir, None)
}

fn start_with(dir: &Path, base_url: Option<&str>) -> Handle {
    let options = BuildOptions {
        path: dir.to_path_buf(),
        base_url: base_url.map(str::to_string),
        ..BuildOptions::default()
    };
    let serve = ServeOptions {
        port: Some(0),
        verbose: false,
        ..ServeOptions::default()
    };
    serve::start(&options, &serve).expect("the server starts")
}

fn start_limited(dir: &Path, limits: Limits) -> Handle {
    let options = BuildOptions {
        path: dir.to_path_buf(),
        ..BuildOptions::default()
    };
    let serve = ServeOptions {
        port: Some(0),
        verbose: false,
        limits,
        ..ServeOptions::default()
    };
    serve::start(&options, &serve).expect("the server starts")
}

/// Sends `bytes` exactly as given on a new connection, and reads until the server closes it
/// (10 s at most).
fn raw(addr: SocketAddr, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(bytes).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("the server closes");
    String::from_utf8_lossy(&answer).into_owned()
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One request on its own connection; `target` is sent exactly as given.
fn request(addr: SocketAddr, method: &str, target: &str, extra: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{extra}\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap_or("")
        .split(' ')
        .nth(1)
        .unwrap_or("0")
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target, "")
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn serves_pages_and_files_with_their_types() {
    let dir = site("types");
    for (name, bytes) in [
        ("pic.svg", &b"<svg xmlns='http://www.w3.org/2000/svg'/>"[..]),
        ("data.json", b"{}"),
        ("font.woff2", b"wOF2"),
        ("pic.png", b"\x89PNG"),
        ("doc.pdf", b"%PDF"),
    ] {
        std::fs::write(dir.join("notes").join(name), bytes).unwrap();
    }
    let server = start(&dir);
    let home = get(server.addr, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("Welcome."));
    assert!(
        home.body.contains("<script src=\"__studysite/live.js\""),
        "{}",
        home.body
    );
    let deep = get(server.addr, "/topic/b.html");
    assert!(deep.body.contains("Beta text."));
    assert!(deep.body.contains("src=\"../__studysite/live.js\""));
    for (path, kind) in [
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/static/nav/root.js", "text/javascript; charset=utf-8"),
        ("/__studysite/live.js", "text/javascript; charset=utf-8"),
        ("/pic.svg", "image/svg+xml"),
        ("/data.json", "application/json"),
        ("/font.woff2", "font/woff2"),
        ("/pic.png", "image/png"),
        ("/doc.pdf", "application/pdf"),
    ] {
        let r = get(server.addr, path);
        assert_eq!(
            (r.status, r.header("Content-Type")),
            (200, Some(kind)),
            "{path}"
        );
    }

    // HEAD: the headers of GET, no body.
    let head = request(server.addr, "HEAD", "/a.html", "");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());

    // ETag, and 304 when the page has not changed.
    let page = get(server.addr, "/a.html");
    let etag = page.header("ETag").expect("an ETag").to_string();
    let again = request(
        server.addr,
        "GET",
        "/a.html",
        &format!("If-None-Match: {etag}\r\n"),
    );
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let other = request(server.addr, "GET", "/a.html", "If-None-Match: \"old\"\r\n");
    assert_eq!(other.status, 200);
    // A weak ETag (as a compressing proxy sends it back) matches too.
    for weak in [format!("W/{etag}"), format!("\"old\", W/{etag}")] {
        let again = request(
            server.addr,
            "GET",
            "/a.html",
            &format!("If-None-Match: {weak}\r\n"),
        );
        assert_eq!(again.status, 304, "{weak}");
    }

    // A folder: redirected to its slash form, then its index.
    let folder = get(server.addr, "/topic");
    assert_eq!(
        (folder.status, folder.header("Location")),
        (301, Some("topic/"))
    );
    assert_eq!(get(server.addr, "/topic/").status, 200);

    // The theme's 404 page, with status 404.
    let missing = get(server.addr, "/no/such/page.html");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(missing.body.contains("<html"), "{}", missing.body);
    assert!(missing.body.contains("src=\"../../__studysite/live.js\""));

    assert_eq!(
        request(server.addr, "POST", "/", "Content-Length: 0\r\n").status,
        405
    );
    server.shutdown();
    assert!(!dir.join("public").exists(), "serve never writes OUT");
}

#[test]
fn serves_under_a_base_path() {
    let dir = site("base");
    let server = start_with(&dir, Some("https://example.org/course/"));
    assert!(server.url.ends_with("/course/"), "{}", server.url);
    assert!(get(server.addr, "/course/a.html")
        .body
        .contains("Alpha text"));
    assert_eq!(
        get(server.addr, "/course").header("Location"),
        Some("course/")
    );
    assert_eq!(get(server.addr, "/a.html").status, 404);
    assert!(get(server.addr, "/course/__studysite/live.js").status == 200);
}

#[test]
fn nothing_outside_the_site_is_read() {
    let dir = site("traversal");
    let secret = dir
        .parent()
        .unwrap()
        .join(format!("studysite-secret-{}.txt", std::process::id()));
    std::fs::write(&secret, "TOP SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, dir.join("notes/leak.txt")).unwrap();
    let server = start(&dir);
    let name = secret.file_name().unwrap().to_string_lossy().into_owned();
    let attempts = [
        format!("/../{name}"),
        format!("/../../{name}"),
        format!("/%2e%2e/{name}"),
        format!("/%2E%2E%2F{name}"),
        format!("/topic/..%2f..%2f{name}"),
        format!("/..%5c{name}"),
        format!("/..\\{name}"),
        format!("/{}", secret.display()),
        format!("//{}", secret.display()),
        "/C:/Windows/win.ini".to_string(),
        "/etc/passwd".to_string(),
        "/leak.txt".to_string(),
    ];
    for target in &attempts {
        let r = get(server.addr, target);
        assert!((400..500).contains(&r.status), "{target}: {}", r.status);
        assert!(!r.body.contains("TOP SECRET"), "{target} leaked the secret");
    }
    let _ = std::fs::remove_file(&secret);
}

#[test]
fn idle_and_half_open_connections_do_not_starve_requests() {
    let dir = site("idle");
    let server = start(&dir);
    let mut held = Vec::new();
    for i in 0..200 {
        let mut s = TcpStream::connect(server.addr).unwrap();
        if i % 2 == 1 {
            s.write_all(b"GET /a.html HTTP/1.1\r\nHost: loc").unwrap();
        }
        held.push(s);
    }
    // Pages that are waiting for a reload hold connections too.
    for _ in 0..20 {
        let mut s = TcpStream::connect(server.addr).unwrap();
        write!(
            s,
            "GET /__studysite/wait?v={} HTTP/1.1\r\nHost: x\r\n\r\n",
            server.version()
        )
        .unwrap();
        held.push(s);
    }
    let started = Instant::now();
    for _ in 0..20 {
        let r = get(server.addr, "/a.html");
        assert_eq!(r.status, 200);
    }
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    drop(held);
}

#[test]
fn a_broken_note_keeps_the_last_good_site_until_it_is_fixed() {
    let dir = site("broken");
    let server = start(&dir);
    let good = server.version();
    assert!(get(server.addr, "/a.html").body.contains("first version"));

    write(
        &dir.join("notes/a.md"),
        "---\ntitle: [Alpha\n---\n\nAlpha text, broken version.\n",
    );
    wait_until("the failed build", || server.version() > good);
    // The page still carries the last good build's number, so its poll answers at once.
    let status = get(server.addr, &format!("/__studysite/wait?v={good}"));
    let json: serde_json::Value = serde_json::from_str(&status.body).unwrap();
    assert_eq!(json["ok"], false, "{json}");
    let errors = json["errors"].to_string();
    assert!(errors.contains("notes/a.md:2:"), "{errors}");
    let page = get(server.addr, "/a.html");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("first version"),
        "the last good page is served"
    );
    assert!(page.body.contains(&format!("data-v=\"{good}\"")));

    let broken = server.version();
    write(
        &dir.join("notes/a.md"),
        "---\ntitle: Alpha\n---\n\nAlpha text, fixed version.\n",
    );
    wait_until("the fixed build", || server.version() > broken);
    let status = get(server.addr, &format!("/__studysite/wait?v={broken}"));
    let json: serde_json::Value = serde_json::from_str(&status.body).unwrap();
    assert_eq!(json["ok"], true, "{json}");
    assert!(get(server.addr, "/a.html").body.contains("fixed version"));
}

#[test]
fn a_waiting_page_is_answered_when_the_new_site_is_complete() {
    let dir = site("wait");
    let server = start(&dir);
    let v = server.version();
    let addr = server.addr;
    let waiter = std::thread::spawn(move || get(addr, &format!("/__studysite/wait?v={v}")));
    std::thread::sleep(Duration::from_millis(100));
    write(
        &dir.join("notes/topic/b.md"),
        "# Beta\n\nBeta text, second version.\n",
    );
    let reply = waiter.join().unwrap();
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(json["ok"], true);
    assert!(json["v"].as_u64().unwrap() > v);
    // By the time the page hears of the build, the new text is served.
    assert!(get(addr, "/topic/b.html").body.contains("second version"));
}

#[test]
fn broken_templates_and_config_are_reported_too() {
    let dir = site("theme");
    let server = start(&dir);
    let v = server.version();
    write(&dir.join("studysite.toml"), "titel = \"x\"\n");
    wait_until("the config build", || server.version() > v);
    let json: serde_json::Value =
        serde_json::from_str(&get(server.addr, &format!("/__studysite/wait?v={v}")).body).unwrap();
    assert!(
        json["errors"].to_string().contains("studysite.toml:1:1"),
        "{json}"
    );
    let v = server.version();
    write(&dir.join("studysite.toml"), "title = \"Test site\"\n");
    write(&dir.join("templates/page.html"), "{% if %}\n");
    wait_until("the template build", || server.version() > v);
    let json: serde_json::Value =
        serde_json::from_str(&get(server.addr, &format!("/__studysite/wait?v={v}")).body).unwrap();
    assert!(
        json["errors"]
            .to_string()
            .contains("templates/page.html:1:"),
        "{json}"
    );
    assert!(get(server.addr, "/a.html").body.contains("Alpha text"));
}

#[test]
fn no_rebuild_loop_with_out_inside_the_notes_folder() {
    // No `notes/` folder: the site folder holds the notes, and OUT (`public/`) is inside it.
    let dir = std::env::temp_dir().join(format!("studysite-serve-{}-loop", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write(&dir.join("index.md"), "# Home\n\nHello.\n");
    write(&dir.join("a.md"), "# A\n\nText.\n");
    let server = start(&dir);
    let v = server.version();
    std::thread::sleep(Duration::from_millis(300));
    assert!(!dir.join("public").exists(), "serve never writes OUT");
    // A `studysite build` running beside the server writes OUT; that is not a change.
    let config = studysite::Config::load(&BuildOptions {
        path: dir.clone(),
        ..BuildOptions::default()
    })
    .unwrap();
    let built = studysite::build(&config).unwrap();
    studysite::output::write(&built, &config).unwrap();
    // Nor are editor scratch files and dot-folders.
    write(&dir.join(".a.md.swp"), "x");
    write(&dir.join("a.md~"), "x");
    write(&dir.join("4913"), "x");
    write(&dir.join(".obsidian/workspace.json"), "{}");
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(server.version(), v, "no rebuild");
    // A real edit is one rebuild, not a loop.
    write(&dir.join("a.md"), "# A\n\nNew text.\n");
    wait_until("the rebuild", || server.version() > v);
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(server.version(), v + 1, "exactly one rebuild");
    assert!(get(server.addr, "/a.html").body.contains("New text."));
}

#[test]
fn a_taken_port_is_an_error_naming_it() {
    let dir = site("port");
    let first = start(&dir);
    let port = first.addr.port();
    let options = BuildOptions {
        path: dir.clone(),
        ..BuildOptions::default()
    };
    let serve = ServeOptions {
        port: Some(port),
        verbose: false,
        ..ServeOptions::default()
    };
    let err = serve::start(&options, &serve)
        .err()
        .expect("the port is taken");
    assert!(err.to_string().contains(&port.to_string()), "{err}");
}

#[test]
fn follow_names_the_page_of_the_changed_note() {
    let dir = site("follow");
    let options = BuildOptions {
        path: dir.clone(),
        ..BuildOptions::default()
    };
    let serve = ServeOptions {
        port: Some(0),
        verbose: false,
        follow: true,
        ..ServeOptions::default()
    };
    let server = serve::start(&options, &serve).unwrap();
    let v = server.version();
    write(
        &dir.join("notes/topic/b.md"),
        "# Beta\n\nBeta text, followed.\n",
    );
    wait_until("the rebuild", || server.version() > v);
    let reply = get(server.addr, &format!("/__studysite/wait?v={v}"));
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(json["follow"], "topic/b.html", "{json}");
}

#[test]
fn a_request_with_bare_lf_line_ends_is_answered() {
    let dir = site("bare-lf");
    let server = start(&dir);
    let answer = raw(server.addr, b"GET / HTTP/1.1\nHost: x\n\n");
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.contains("Welcome."));
    let head = raw(server.addr, b"HEAD /a.html HTTP/1.1\nHost: x\n\n");
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(head.ends_with("\r\n\r\n"), "HEAD has no body: {head}");
}

#[test]
fn a_request_that_stops_halfway_is_answered_408_in_time() {
    let dir = site("request-time");
    let request_time = Duration::from_millis(800);
    let server = start_limited(
        &dir,
        Limits {
            request_time,
            ..Limits::default()
        },
    );
    let started = Instant::now();
    let answer = raw(server.addr, b"GET /a.html HTTP/1.1\r\nHost: x\r\n");
    let took = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    assert!(
        took >= request_time && took < request_time + Duration::from_millis(1500),
        "answered after {took:?}"
    );
    // A connection that says nothing at all is closed too.
    let answer = raw(server.addr, b"");
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
}

#[test]
fn beyond_the_cap_connections_are_answered_503_until_some_close() {
    let dir = site("cap");
    let server = start_limited(
        &dir,
        Limits {
            connections: 8,
            ..Limits::default()
        },
    );
    let mut held: Vec<TcpStream> = (0..8)
        .map(|_| TcpStream::connect(server.addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let busy = get(server.addr, "/a.html");
    assert_eq!(busy.status, 503);
    assert_eq!(busy.header("Retry-After"), Some("1"));
    assert_eq!(busy.header("Connection"), Some("close"));
    // The eight are still open: nothing to read, no end of stream.
    for stream in &mut held {
        stream
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        let err = stream
            .read(&mut [0; 16])
            .expect_err("still open, nothing sent");
        assert!(
            matches!(
                err.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            "{err}"
        );
    }
    // One of them can still make its request.
    write!(held[0], "GET /a.html HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    held[0]
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut answer = String::new();
    held[0].read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    drop(held);
    wait_until("a free connection", || {
        get(server.addr, "/a.html").status == 200
    });
}

/// A large copied file reaches a client that reads it slowly, whole: the gate relays it
/// through its small buffer as fast as the client takes it.
#[test]
fn a_large_file_reaches_a_slow_reader_whole() {
    let dir = site("large");
    let big: Vec<u8> = (0..5 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    std::fs::write(dir.join("notes/big.bin"), &big).unwrap();
    let server = start(&dir);
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(stream, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    // Every buffer on the way fills before the client starts reading.
    std::thread::sleep(Duration::from_millis(300));
    let mut answer = Vec::new();
    let mut chunk = vec![0; 256 * 1024];
    let mut reads = 0;
    loop {
        let n = stream.read(&mut chunk).unwrap();
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&chunk[..n]);
        reads += 1;
        if reads % 4 == 0 {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    let at = answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = String::from_utf8_lossy(&answer[..at]);
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    assert!(
        head.contains(&format!("Content-Length: {}\r\n", big.len())),
        "{head}"
    );
    assert_eq!(answer.len() - at, big.len());
    assert!(answer[at..] == big[..], "the body arrives unchanged");
}

/// Idle connections cost no thread: `studysite serve` itself, with 300 connections open that
/// send nothing, runs a few dozen threads and still answers a page at once.
#[cfg(target_os = "linux")]
#[test]
fn idle_connections_cost_no_thread() {
    use std::io::BufRead;
    struct Killed(std::process::Child);
    impl Drop for Killed {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let dir = site("threads");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_studysite"))
        // Never the user's own cache: the tests write theirs under target/tmp.
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .arg("serve")
        .arg(&dir)
        .args(["-p", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Killed(child);
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    let addr: SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let threads = || {
        let status = std::fs::read_to_string(format!("/proc/{}/status", server.0.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("Threads:"))
            .unwrap()
            .trim()
            .parse::<usize>()
            .unwrap()
    };
    let held: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let count = threads();
    assert!(count < 40, "{count} threads with 300 idle connections");
    let started = Instant::now();
    assert_eq!(get(addr, "/a.html").status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "a page took {:?}",
        started.elapsed()
    );
    drop(held);
}
