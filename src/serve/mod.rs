//! `studysite serve`: builds the site in memory, serves it from memory, rebuilds when a
//! source changes, and tells open pages to reload once the new site is complete. A thin
//! shell over [`crate::build`]; nothing is written to OUT. Clients meet the gate
//! (`gate.rs`) first, which bounds them and passes complete requests to tiny_http and the
//! handlers (`http.rs`).

mod gate;
pub(crate) mod http;
mod reload;
mod watch;

pub use gate::Limits;

use crate::config::{BuildOptions, Config};
use crate::content::{Built, Content};
use crate::diagnostic::Diagnostic;
use crate::fsx::canonical;
use crate::site::Cache;
use anyhow::{bail, Context, Result};
use reload::{Changes, Live};
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

/// How `serve` listens and behaves, beyond what a build needs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// `None`: 3000, or the next free port after it. `Some(0)`: any free port.
    pub port: Option<u16>,
    pub bind: IpAddr,
    /// On a change, open pages go to the page of the note that changed.
    pub follow: bool,
    /// Print builds and diagnostics to the terminal.
    pub verbose: bool,
    /// How many clients are taken at once, and how long they may take.
    pub limits: Limits,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            port: None,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            follow: false,
            verbose: true,
            limits: Limits::default(),
        }
    }
}

const DEFAULT_PORT: u16 = 3000;
/// Tried after 3000 when it is taken and no port was asked for.
const PORTS_TO_TRY: u16 = 50;
/// Request handlers. Idle and slow connections do not hold them: the gate ([`gate`]) passes
/// tiny_http only complete requests, one per connection, and long-polls are parked in
/// [`Live`], not held by a handler. A client reading a large file slowly holds its handler
/// until the loopback socket buffers take the rest, at most [`Limits::write_time`].
const WORKERS: usize = 8;
/// A build that changed more files than this is announced as "reload everything": a page
/// gains nothing from a long list.
const CHANGES_LISTED: usize = 100;

/// One complete build, as served.
pub(crate) struct Site {
    pub(crate) files: BTreeMap<String, Content>,
    /// The path the site lives under (`/` or `/sub/`), from `base_url`.
    pub(crate) base: String,
    /// The build number the pages carry, so a page knows when it is out of date.
    pub(crate) version: u64,
    /// Copied files are read only from under these folders (canonical).
    pub(crate) readable: Vec<PathBuf>,
}

pub(crate) struct State {
    site: Mutex<Arc<Site>>,
    pub(crate) live: Live,
    options: BuildOptions,
    follow: bool,
    verbose: bool,
    /// Did any build succeed yet? Until one does, a failed build is served as it is.
    good: AtomicBool,
    /// What the last build can lend the next one (only the watcher thread rebuilds).
    cache: Mutex<Cache>,
}

impl State {
    pub(crate) fn site(&self) -> Arc<Site> {
        Arc::clone(&self.site.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// A running server; dropping it (or [`Handle::shutdown`]) stops it.
pub struct Handle {
    pub addr: SocketAddr,
    /// The site's address, with its base path: `http://127.0.0.1:3000/sub/`.
    pub url: String,
    state: Arc<State>,
    gate: gate::Gate,
    server: Arc<tiny_http::Server>,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Handle {
    /// The number of the latest build (good or failed); it grows by one per rebuild.
    pub fn version(&self) -> u64 {
        self.state.live.version()
    }

    /// Stops watching and serving, and waits for the threads to finish.
    pub fn shutdown(mut self) {
        self.stop_threads();
    }

    fn stop_threads(&mut self) {
        self.gate.stop();
        self.stop.store(true, Ordering::SeqCst);
        for _ in 0..WORKERS {
            self.server.unblock();
        }
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        self.state.live.close();
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.stop_threads();
    }
}

/// Builds the site, starts serving it and watching its sources. Returns once the server
/// listens. A broken config or note does not stop it: the problems are shown in open pages.
pub fn start(options: &BuildOptions, serve: &ServeOptions) -> Result<Handle> {
    let config = Config::load(options).ok();
    let root = config
        .as_ref()
        .map_or_else(|| options.path.clone(), |c| c.root.clone());
    let state = Arc::new(State {
        site: Mutex::new(Arc::new(Site {
            files: BTreeMap::new(),
            base: "/".into(),
            version: 0,
            readable: Vec::new(),
        })),
        live: Live::new(),
        options: options.clone(),
        follow: serve.follow,
        verbose: serve.verbose,
        good: AtomicBool::new(false),
        cache: Mutex::new(Cache::default()),
    });
    rebuild(&state, &[]);
    let listener = bind(serve)?;
    let addr = listener
        .local_addr()
        .context("cannot read the address the server listens on")?;
    // tiny_http behind the gate, on a port of its own.
    let private = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .context("cannot listen on a loopback port for the request handlers")?;
    let private_addr = private.local_addr()?;
    let server = tiny_http::Server::from_listener(private, None)
        .map_err(|e| anyhow::anyhow!("cannot start the request handlers: {e}"))?;
    let server = Arc::new(server);
    let gate = gate::Gate::start(listener, private_addr, serve.limits)
        .context("cannot start watching connections")?;
    let base = state.site().base.clone();
    let url = format!("http://{}{base}", display_addr(addr));
    let stop = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    for _ in 0..WORKERS {
        let (server, state, stop) = (Arc::clone(&server), Arc::clone(&state), Arc::clone(&stop));
        threads.push(std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                match server.recv() {
                    Ok(request) => http::handle(request, &state),
                    Err(_) => break,
                }
            }
        }));
    }
    let watcher = watch::Watcher::new(&root, options)?;
    let (state2, stop2) = (Arc::clone(&state), Arc::clone(&stop));
    threads.push(std::thread::spawn(move || {
        watcher.run(
            &stop2,
            |changed| rebuild(&state2, changed),
            || state2.live.expire_waiters(),
        )
    }));
    Ok(Handle {
        addr,
        url,
        state,
        gate,
        server,
        stop,
        threads,
    })
}

fn display_addr(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("127.0.0.1:{}", addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("[::1]:{}", addr.port()),
        _ => addr.to_string(),
    }
}

/// Listens on the asked port, or on 3000 or the next free one after it.
fn bind(serve: &ServeOptions) -> Result<TcpListener> {
    let listen = |port| TcpListener::bind(SocketAddr::new(serve.bind, port));
    if let Some(port) = serve.port {
        return listen(port).map_err(|e| {
            anyhow::anyhow!(
                "cannot listen on {}: {e}; is another server using port {port}? choose another with -p",
                SocketAddr::new(serve.bind, port)
            )
        });
    }
    for port in DEFAULT_PORT..DEFAULT_PORT + PORTS_TO_TRY {
        if let Ok(server) = listen(port) {
            return Ok(server);
        }
    }
    bail!(
        "ports {DEFAULT_PORT} to {} on {} are all taken; choose one with -p",
        DEFAULT_PORT + PORTS_TO_TRY - 1,
        serve.bind
    )
}

/// Builds the site again and, when it is complete and has no errors, serves it and tells
/// open pages to reload. A failed build keeps the last good site and sends its errors to
/// the open pages instead.
fn rebuild(state: &State, changed: &[PathBuf]) {
    let started = Instant::now();
    let mut cache = state.cache.lock().unwrap_or_else(|e| e.into_inner());
    let (config, built) = match build(&state.options, &mut cache) {
        Ok(done) => done,
        Err(diags) => return failed(state, &diags, None),
    };
    let report = &built.report;
    if report.errors() > 0 && state.good.load(Ordering::SeqCst) {
        if state.verbose {
            let detail = crate::diagnostic::Detail::Normal;
            report.lines(detail).iter().for_each(|d| eprintln!("{d}"));
        }
        return failed(state, &report.diagnostics, Some(&config));
    }
    let follow = if state.follow {
        followed(&config, &built, changed)
    } else {
        None
    };
    let errors = errors(&report.diagnostics);
    let pages = report.pages;
    // Printed after the new pages are out, so a long list does not delay them.
    let printed = state
        .verbose
        .then(|| report.lines(crate::diagnostic::Detail::Normal));
    let site_of = |files| Site {
        files,
        base: crate::url::base_path(&config.base_url),
        version: 0,
        // With `follow_links`, the build lists files symlinks lead to, wherever they are.
        readable: if config.follow_links {
            vec![PathBuf::from("/")]
        } else {
            vec![
                canonical(&config.notes_dir),
                canonical(&config.root.join("static")),
            ]
        },
    };
    let mut files = built.files;
    let old = state.site();
    let changes = Changes {
        since: old.version,
        paths: notes_only(&config, changed)
            .then(|| changed_files(&old.files, &files))
            .flatten(),
    };
    drop(old);
    let mut site = state.site.lock().unwrap_or_else(|e| e.into_inner());
    let version = state.live.next_version();
    *site = Arc::new(Site {
        version,
        ..site_of(files.clone())
    });
    drop(site);
    state.good.store(errors.is_empty(), Ordering::SeqCst);
    state.live.publish(version, errors, follow, changes);
    let served = started.elapsed();
    printed.iter().flatten().for_each(|d| eprintln!("{d}"));
    // The search index comes second, so an edited page shows without waiting for it.
    let mut rest = Built::default();
    std::mem::swap(&mut rest.files, &mut files);
    crate::site::add_search(&mut rest, &mut cache);
    let mut site = state.site.lock().unwrap_or_else(|e| e.into_inner());
    if site.version == version {
        *site = Arc::new(Site {
            version,
            ..site_of(rest.files)
        });
    }
    drop(site);
    cache.save();
    if state.verbose {
        eprintln!(
            "built {pages} pages in {} ms (search index {} ms more)",
            served.as_millis(),
            (started.elapsed() - served).as_millis()
        );
    }
}

fn build(options: &BuildOptions, cache: &mut Cache) -> Result<(Config, Built), Vec<Diagnostic>> {
    let config = Config::load(options)?;
    // A bug in a stage must not take the server down with it: report it like any failure.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::site::build_pages(&config, cache)
    }));
    if result.is_err() {
        *cache = Cache::default();
    }
    let message = match result {
        Ok(Ok(built)) => return Ok((config, built)),
        Ok(Err(e)) => format!("{e:#}"),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            format!("the build panicked (a bug in studysite): {what}")
        }
    };
    Err(vec![Diagnostic::error(&config.root, 0, 0, message)])
}

fn failed(state: &State, diags: &[Diagnostic], config: Option<&Config>) {
    if state.verbose {
        if config.is_none() {
            for d in diags {
                eprintln!("{d}");
            }
        }
        eprintln!("error: the build failed; still serving the last good site");
    }
    let version = state.live.next_version();
    state
        .live
        .publish(version, errors(diags), None, Changes::default());
}

fn errors(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect()
}

/// Are all `changed` paths notes? Then the theme and every copied file are as before, and
/// comparing the built files tells all that changed.
fn notes_only(config: &Config, changed: &[PathBuf]) -> bool {
    let notes = canonical(&config.notes_dir);
    let theme = [
        canonical(&config.root.join("templates")),
        canonical(&config.root.join("static")),
    ];
    !changed.is_empty()
        && changed.iter().all(|path| {
            path.starts_with(&notes)
                && !theme.iter().any(|dir| path.starts_with(dir))
                && path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        })
}

/// The site paths whose content differs from `old` in `new`: new and changed files, and
/// removed pages (the search index, which `new` does not have yet, is not a removal).
/// `None` when more than [`CHANGES_LISTED`] changed.
fn changed_files(
    old: &BTreeMap<String, Content>,
    new: &BTreeMap<String, Content>,
) -> Option<Vec<String>> {
    let same = |a: &Content, b: &Content| match (a, b) {
        (Content::Bytes(a), Content::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
        (Content::Copy(a), Content::Copy(b)) => a == b,
        _ => false,
    };
    let changed = new
        .iter()
        .filter(|(path, content)| old.get(*path).is_none_or(|o| !same(o, content)))
        .map(|(path, _)| path);
    let removed = old
        .keys()
        .filter(|path| path.ends_with(".html") && !new.contains_key(*path));
    let paths: Vec<String> = changed
        .chain(removed)
        .take(CHANGES_LISTED + 1)
        .cloned()
        .collect();
    (paths.len() <= CHANGES_LISTED).then_some(paths)
}

/// The URL (site-relative) of the first changed note that has a page.
fn followed(config: &Config, built: &Built, changed: &[PathBuf]) -> Option<String> {
    let notes = canonical(&config.notes_dir);
    changed.iter().find_map(|path| {
        let rel = path.strip_prefix(&notes).ok()?;
        let rel = crate::fsx::rel_string(rel);
        built.urls.get(&rel).cloned()
    })
}

/// `studysite serve`: runs until Ctrl-C.
pub fn run(options: &BuildOptions, serve: &ServeOptions, open: bool) -> Result<()> {
    let handle = start(options, serve)?;
    println!("serving {} (Ctrl-C to stop)", handle.url);
    if open {
        open_browser(&handle.url);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .context("failed to set the Ctrl-C handler")?;
    let _ = rx.recv();
    handle.shutdown();
    println!("stopped");
    Ok(())
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program).arg(url).spawn() {
        eprintln!("warning: could not open a browser with `{program}`: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::Duration;

    fn serve_tiny_site() -> (tempfile::TempDir, Handle) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("studysite.toml"), "title = \"T\"\n").unwrap();
        std::fs::create_dir(dir.path().join("notes")).unwrap();
        std::fs::write(dir.path().join("notes/index.md"), "# Home\n\nHello.\n").unwrap();
        let options = BuildOptions {
            path: dir.path().to_path_buf(),
            ..BuildOptions::default()
        };
        let serve = ServeOptions {
            port: Some(0),
            verbose: false,
            ..ServeOptions::default()
        };
        let handle = start(&options, &serve).unwrap();
        (dir, handle)
    }

    /// Opens a connection and sends one GET on it, as a browser does (keep-alive asked).
    fn send(handle: &Handle, target: &str) -> TcpStream {
        let mut stream = TcpStream::connect(handle.addr).unwrap();
        let request = format!("GET {target} HTTP/1.1\r\nHost: test\r\n\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        stream
    }

    /// The head of the answer on `stream`, or a failure naming `what` after 5 s. Every
    /// answer must close its connection; the stream is closed once read, as a browser does.
    fn answered(mut stream: TcpStream, what: &str) -> String {
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut head = Vec::new();
        let mut byte = [0];
        while !head.ends_with(b"\r\n\r\n") {
            match stream.read(&mut byte) {
                Ok(1) => head.push(byte[0]),
                Ok(_) => panic!("{what}: the connection closed before the end of the head"),
                Err(e) => panic!("{what} was not answered: {e}"),
            }
        }
        let head = String::from_utf8_lossy(&head).into_owned();
        assert!(
            head.to_ascii_lowercase()
                .contains("\r\nconnection: close\r\n"),
            "{what}: the answer does not close the connection:\n{head}"
        );
        head
    }

    /// Reads the answers on all `streams` at once, as a browser does (one queued connection
    /// may wait for another to close).
    fn all_answered(streams: Vec<TcpStream>, what: &str) -> Vec<String> {
        let readers: Vec<_> = streams
            .into_iter()
            .enumerate()
            .map(|(i, stream)| {
                let what = format!("{what} {i}");
                std::thread::spawn(move || answered(stream, &what))
            })
            .collect();
        readers
            .into_iter()
            .map(|r| r.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    }

    /// A page swaps in its new content only if the build lists every file that changed.
    #[test]
    fn changed_files_lists_changed_new_and_removed_pages() {
        let bytes = |s: &str| Content::Bytes(Arc::from(s.as_bytes()));
        let shared = bytes("same");
        let old: BTreeMap<String, Content> = [
            ("a.html", shared.clone()),
            ("b.html", bytes("old b")),
            ("gone.html", bytes("x")),
            ("search/index.json", bytes("{}")),
            ("static/style.css", bytes("body{}")),
        ]
        .map(|(k, v)| (k.to_string(), v))
        .into();
        let new: BTreeMap<String, Content> = [
            ("a.html", shared),
            ("b.html", bytes("new b")),
            ("c.html", bytes("new page")),
            ("static/style.css", bytes("body{}")),
        ]
        .map(|(k, v)| (k.to_string(), v))
        .into();
        assert_eq!(
            changed_files(&old, &new),
            Some(vec!["b.html".into(), "c.html".into(), "gone.html".into()])
        );
        let many: BTreeMap<String, Content> = (0..=CHANGES_LISTED)
            .map(|i| (format!("{i}.html"), bytes("x")))
            .collect();
        assert_eq!(changed_files(&old, &many), None);
    }

    /// A browser opens a page's HTML, CSS, scripts and fonts on several new connections at
    /// once; every one of them must be read, round after round.
    #[test]
    fn every_connection_of_a_burst_is_answered() {
        let (_dir, handle) = serve_tiny_site();
        for round in 0..10 {
            let burst: Vec<TcpStream> = (0..8).map(|_| send(&handle, "/")).collect();
            for head in all_answered(burst, &format!("burst {round}, connection")) {
                assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
            }
        }
    }

    /// Pages waiting for the next build (one long-poll each, more than a browser's six
    /// connections per host) cost no request handler: page requests are still answered.
    #[test]
    fn parked_polls_do_not_delay_page_requests() {
        let (_dir, handle) = serve_tiny_site();
        let wait = format!("/__studysite/wait?v={}", handle.version());
        let polls: Vec<TcpStream> = (0..WORKERS + 4).map(|_| send(&handle, &wait)).collect();
        std::thread::sleep(Duration::from_millis(200));
        let pages: Vec<TcpStream> = (0..6).map(|_| send(&handle, "/")).collect();
        for head in all_answered(pages, "page") {
            assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
        }
        // A poll the pool queued is read once a page's connection has closed, and is
        // answered at once if the build it waits for is already out.
        rebuild(&handle.state, &[]);
        for head in all_answered(polls, "poll") {
            assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
        }
    }
}
