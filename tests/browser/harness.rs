//! The browser test runner: builds the bundled notes once, starts one chromedriver and one
//! headless Chromium, runs the tests in series and prints libtest-style lines.

use anyhow::{anyhow, bail, Context, Result};
use fantoccini::{Client, ClientBuilder};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::future::Future;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub type TestFuture = Pin<Box<dyn Future<Output = Result<()>> + Send>>;
pub type TestFn = fn(Browser) -> TestFuture;

/// `tests![a, b]` -> the list of `(name, fn)` the runner takes.
#[macro_export]
macro_rules! tests {
    ($($name:ident),* $(,)?) => {
        vec![$((stringify!($name), (|b| -> $crate::harness::TestFuture { Box::pin($name(b)) }) as $crate::harness::TestFn)),*]
    };
}

/// The window every test starts with.
pub const DEFAULT_SIZE: (u32, u32) = (1280, 900);
const TEST_TIMEOUT: Duration = Duration::from_secs(90);

/// The built site the tests browse.
pub struct Site {
    /// The repository: `notes/` and `studysite.toml` are here.
    pub root: PathBuf,
    /// The built output folder.
    pub out: PathBuf,
    /// Every HTML page of the build, site-relative (`03-mlops-deployment/index.html`), sorted;
    /// without `404.html`, whose links are rooted at the server's base path.
    pub pages: Vec<String>,
}

/// What each test gets: the browser session and the built site. Cheap to clone.
#[derive(Clone)]
pub struct Browser {
    pub client: Client,
    pub site: Arc<Site>,
    /// chromedriver's port and the Chromium it starts, for sessions of their own.
    driver_port: u16,
    chromium: Arc<PathBuf>,
}

impl Browser {
    /// A second session with a profile of its own in `profile` (nothing stored yet), for
    /// what must move between profiles; the caller closes it.
    pub async fn new_profile(&self, profile: &Path) -> Result<Client> {
        std::fs::create_dir_all(profile)?;
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities(profile, &self.chromium))
            .connect(&format!("http://127.0.0.1:{}", self.driver_port))
            .await
            .context("failed to start a second Chromium session")
    }

    /// The `file://` URL of a site-relative page.
    pub fn url(&self, page: &str) -> String {
        file_url(&self.site.out.join(page))
    }

    /// Loads a site-relative page and waits for it.
    /// Opens a page of the built site and waits until it has loaded, scripts run: chromedriver's
    /// `goto` has been seen to return while a `file://` page was still parsing.
    pub async fn open(&self, page: &str) -> Result<()> {
        self.visit(&self.url(page))
            .await
            .with_context(|| format!("failed to open {page}"))
    }

    /// Goes to `url` and waits until it has loaded: WebDriver may hand back a page whose
    /// scripts at the end of the body have not run yet (no click handlers, on a busy
    /// machine).
    pub async fn visit(&self, url: &str) -> Result<()> {
        self.client.goto(url).await?;
        self.wait_for(
            &format!("{url} to finish loading"),
            "return document.readyState;",
            |s: &String| s == "complete",
        )
        .await?;
        Ok(())
    }

    /// Runs `script` (a function body; `return` a value) and decodes what it returns.
    pub async fn js<T: DeserializeOwned>(&self, script: &str) -> Result<T> {
        let value = self
            .client
            .execute(script, Vec::new())
            .await
            .with_context(|| format!("script failed: {script}"))?;
        serde_json::from_value(value.clone())
            .with_context(|| format!("unexpected result {value} from: {script}"))
    }

    /// Polls `script` until `done` holds for its value, or fails after 10 s.
    pub async fn wait_for<T: DeserializeOwned + std::fmt::Debug>(
        &self,
        what: &str,
        script: &str,
        done: impl Fn(&T) -> bool,
    ) -> Result<T> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            // The page may be mid-reload; a failed probe just means "not yet".
            if let Ok(value) = self.js::<T>(script).await {
                if done(&value) {
                    return Ok(value);
                }
                if Instant::now() > deadline {
                    bail!("timed out waiting for {what}; last seen {value:?}");
                }
            } else if Instant::now() > deadline {
                bail!("timed out waiting for {what}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Sends a DevTools command to the page (e.g. `Emulation.setEmulatedMedia`).
    pub async fn cdp(&self, cmd: &'static str, params: Value) -> Result<Value> {
        self.client
            .issue_cmd(Cdp { cmd, params })
            .await
            .with_context(|| format!("DevTools command {cmd} failed"))
    }

    pub async fn resize(&self, width: u32, height: u32) -> Result<()> {
        self.client.set_window_size(width, height).await?;
        Ok(())
    }

    /// Browser console messages at level SEVERE since the last call (errors, failed loads,
    /// `console.error`), plus errors the page's own early script recorded.
    pub async fn console_errors(&self) -> Result<Vec<String>> {
        let log = self.client.issue_cmd(BrowserLog).await?;
        let mut errors: Vec<String> = log
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .filter(|e| e["level"] == "SEVERE")
                    .map(|e| e["message"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default();
        let recorded: Vec<String> = self.js("return window.__errors || [];").await?;
        errors.extend(recorded.into_iter().map(|e| format!("window error: {e}")));
        Ok(errors)
    }
}

/// chromedriver's `POST /session/{id}/se/log`, which the W3C protocol lacks.
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}

/// A Chrome DevTools Protocol command, through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()),
        )
    }
}

/// Runs `studysite build` on a site folder (extra arguments after it, e.g. `-o OUT`); fails
/// with the build's diagnostics when it does not succeed.
/// Builds `site` with the binary under test; what it printed (the warnings) on success.
pub fn run_build(site: &Path, extra: &[&std::ffi::OsStr]) -> Result<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_studysite"))
        // Never the user's own cache: the tests write theirs under target/tmp.
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .arg("build")
        .arg(site)
        .args(extra)
        .output()?;
    if !out.status.success() {
        bail!(
            "`studysite build {}` failed: {}",
            site.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A shared corpus (`../shared/corpora/NAME`) copied to a temporary folder and built there:
/// the folder (kept while the guard lives) and its `public/`. None, with a notice, when
/// `../shared` is not there (an error under `STUDYSITE_REQUIRE_SHARED=1`).
pub fn built_corpus(name: &str) -> Result<Option<(tempfile::TempDir, PathBuf)>> {
    let Some(corpus) = crate::shared::shared(&format!("corpora/{name}")) else {
        return Ok(None);
    };
    let dir = tempfile::tempdir()?;
    copy_dir(&corpus, dir.path())?;
    run_build(dir.path(), &[])?;
    let public = dir.path().join("public");
    Ok(Some((dir, public)))
}

/// A copy of the folder `from` (files and folders) at `to`.
pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

pub fn file_url(path: &Path) -> String {
    url::Url::from_file_path(path)
        .map(String::from)
        .unwrap_or_else(|()| format!("file://{}", path.display()))
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// A program named by `env` (which then must exist), else at one of `paths`, else on PATH.
fn locate(env: &str, paths: &[&str], names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    paths
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .or_else(|| find_program(names))
}

/// chromedriver, killed (with the Chromium it started) when dropped, also on panic.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(program: &Path) -> Result<Driver> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let mut command = Command::new(program);
        command
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // Its own process group, so the Chromium it starts can be killed with it.
            command.process_group(0);
        }
        let child = command
            .spawn()
            .with_context(|| format!("failed to start {}", program.display()))?;
        let mut driver = Driver { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = driver.child.try_wait()? {
                bail!("chromedriver exited at start ({status})");
            }
            if Instant::now() > deadline {
                bail!("chromedriver did not listen on port {port} within 20 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg("--")
                .arg(format!("-{}", self.child.id()))
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn build_site(root: &Path, out: &Path) -> Result<Site> {
    let opts = studysite::BuildOptions {
        path: root.to_path_buf(),
        out: Some(out.to_path_buf()),
        ..Default::default()
    };
    let config = studysite::Config::load(&opts).map_err(|diags| {
        let text: Vec<String> = diags.iter().map(ToString::to_string).collect();
        anyhow!("config: {}", text.join("\n"))
    })?;
    let built = studysite::build(&config)?;
    if built.report.errors() > 0 {
        bail!(
            "the bundled notes built with {} errors",
            built.report.errors()
        );
    }
    studysite::output::write(&built, &config)?;
    let mut pages: Vec<String> = built
        .files
        .keys()
        .filter(|k| k.ends_with(".html") && k.as_str() != "404.html")
        .cloned()
        .collect();
    pages.sort();
    Ok(Site {
        root: root.to_path_buf(),
        out: out.to_path_buf(),
        pages,
    })
}

fn capabilities(profile: &Path, chromium: &Path) -> serde_json::Map<String, Value> {
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        &format!("--user-data-dir={}", profile.display()),
        &format!("--window-size={},{}", DEFAULT_SIZE.0, DEFAULT_SIZE.1),
    ];
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": chromium, "args": args },
        "goog:loggingPrefs": { "browser": "ALL" },
        // Far below chromedriver's 300 s defaults, so a stuck page fails its test quickly.
        "timeouts": { "pageLoad": 30_000, "script": 30_000, "implicit": 0 },
    });
    match caps {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

/// Runs `tests` (filtered by the command line) and exits: 0 when all pass or when the
/// browser is absent and not required.
pub fn main(tests: Vec<(&'static str, TestFn)>) -> ! {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        for (name, _) in &tests {
            println!("{name}: test");
        }
        std::process::exit(0);
    }
    let exact = args.iter().any(|a| a == "--exact");
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let total = tests.len();
    let selected: Vec<_> = tests
        .into_iter()
        .filter(|(name, _)| {
            filters.is_empty()
                || filters.iter().any(|f| {
                    if exact {
                        name == f
                    } else {
                        name.contains(f.as_str())
                    }
                })
        })
        .collect();
    let filtered_out = total - selected.len();
    if selected.is_empty() {
        println!("\nrunning 0 tests\n");
        println!("test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; {filtered_out} filtered out\n");
        std::process::exit(0);
    }

    let required = std::env::var("STUDYSITE_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let chromium = locate(
        "STUDYSITE_CHROMIUM",
        &["/usr/bin/chromium"],
        &["chromium", "chromium-browser"],
    );
    let driver = locate(
        "STUDYSITE_CHROMEDRIVER",
        &["/usr/bin/chromedriver"],
        &["chromedriver"],
    );
    let (chromium, driver) = match (chromium, driver) {
        (Some(c), Some(d)) => (c, d),
        (c, d) => {
            let missing: Vec<&str> = [(c.is_none(), "chromium"), (d.is_none(), "chromedriver")]
                .into_iter()
                .filter_map(|(gone, name)| gone.then_some(name))
                .collect();
            let what = missing.join(" and ");
            if required {
                eprintln!("error: browser tests need {what}, and STUDYSITE_REQUIRE_BROWSER=1 is set (Debian: apt-get install chromium chromium-driver)");
                std::process::exit(1);
            }
            println!("\nnotice: skipping {} browser tests: {what} not found (Debian: apt-get install chromium chromium-driver; set STUDYSITE_REQUIRE_BROWSER=1 to make this a failure)\n", selected.len());
            println!("test result: ok. 0 passed; 0 failed; {} ignored; 0 measured; {filtered_out} filtered out\n", selected.len());
            std::process::exit(0);
        }
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let code = match runtime.block_on(run(selected, filtered_out, &chromium, &driver)) {
        Ok(failed) => i32::from(failed > 0),
        Err(e) => {
            eprintln!("error: browser tests could not run: {e:#}");
            1
        }
    };
    runtime.shutdown_timeout(Duration::from_secs(5));
    std::process::exit(code);
}

async fn run(
    tests: Vec<(&'static str, TestFn)>,
    filtered_out: usize,
    chromium: &Path,
    driver_program: &Path,
) -> Result<usize> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::Builder::new()
        .prefix("studysite-browser-")
        .tempdir()?;
    let site = build_site(&root, &scratch.path().join("site"))?;
    let profile = scratch.path().join("chromium-profile");
    std::fs::create_dir_all(&profile)?;

    let driver = Driver::start(driver_program)?;
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities(&profile, chromium))
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .context("failed to start a Chromium session through chromedriver")?;
    let browser = Browser {
        client: client.clone(),
        site: Arc::new(site),
        driver_port: driver.port,
        chromium: Arc::new(chromium.to_path_buf()),
    };

    let plural = if tests.len() == 1 { "" } else { "s" };
    println!("\nrunning {} test{plural}", tests.len());
    let started = Instant::now();
    let mut failures = Vec::new();
    for (name, test) in &tests {
        let result = run_one(&browser, *test).await;
        match result {
            Ok(()) => println!("test {name} ... ok"),
            Err(e) => {
                println!("test {name} ... FAILED");
                failures.push((name, e));
            }
        }
    }
    // Leave chromedriver nothing to clean up; the Driver guard kills it either way.
    let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
    drop(driver);

    if !failures.is_empty() {
        println!("\nfailures:\n");
        for (name, e) in &failures {
            println!("---- {name} ----\n{e:#}\n");
        }
        println!("failures:");
        for (name, _) in &failures {
            println!("    {name}");
        }
    }
    let passed = tests.len() - failures.len();
    let status = if failures.is_empty() { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {status}. {passed} passed; {} failed; 0 ignored; 0 measured; {filtered_out} filtered out; finished in {:.2}s\n",
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(failures.len())
}

/// One test, from a known state (default window, nothing saved in localStorage or in the
/// tab's `window.name`, where the theme keeps reader choices too, empty log), with a time
/// limit; a panic in it is its failure, not the run's.
async fn run_one(browser: &Browser, test: TestFn) -> Result<()> {
    browser.resize(DEFAULT_SIZE.0, DEFAULT_SIZE.1).await?;
    browser.open("index.html").await?;
    browser
        .js::<Value>("localStorage.clear(); window.name = ''; return null;")
        .await?;
    browser
        .cdp("Emulation.setEmulatedMedia", json!({ "media": "" }))
        .await?;
    browser.console_errors().await?;
    let mut handle = tokio::spawn(test(browser.clone()));
    match tokio::time::timeout(TEST_TIMEOUT, &mut handle).await {
        Err(_) => {
            handle.abort();
            bail!("timed out after {} s", TEST_TIMEOUT.as_secs())
        }
        Ok(Err(join)) if join.is_panic() => {
            let payload = join.into_panic();
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panicked".into());
            bail!("panicked: {message}")
        }
        Ok(Err(join)) => bail!("{join}"),
        Ok(Ok(result)) => result,
    }
}
