//! `check`: builds the site in memory (nothing written), makes every broken link, anchor and
//! image an error, lists external links, and fetches them only when asked.

use crate::config::Config;
use crate::diagnostic::{ExternalLink, Report, Severity};
use crate::site;
use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many external links are fetched at once, and how long each may take.
const FETCH_THREADS: usize = 8;
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);
/// After this, the links not yet fetched are reported as not checked.
const FETCH_BUDGET: Duration = Duration::from_secs(60);

/// What `check` found.
pub struct Checked {
    pub report: Report,
    /// Unique external URLs, each with where it is first written.
    pub external: Vec<ExternalLink>,
    /// With `--external`: each external URL that failed, with why.
    pub failed_external: Vec<(ExternalLink, String)>,
}

/// Builds the site in memory and checks it; `fetch` also requests every external link.
pub fn check(config: &Config, fetch: bool) -> anyhow::Result<Checked> {
    let built = site::build(config)?;
    let mut report = built.report;
    for d in &mut report.diagnostics {
        if d.lint == Some(crate::diagnostic::Lint::BrokenLink) && d.severity == Severity::Warning {
            d.severity = Severity::Error;
        }
    }
    let mut unique: BTreeMap<&str, &ExternalLink> = BTreeMap::new();
    for link in &report.external {
        unique.entry(&link.url).or_insert(link);
    }
    let external: Vec<ExternalLink> = unique.into_values().cloned().collect();
    let failed_external = if fetch {
        fetch_all(&external)
    } else {
        Vec::new()
    };
    Ok(Checked {
        report,
        external,
        failed_external,
    })
}

/// Fetches every link on a few threads; returns the ones that failed.
fn fetch_all(links: &[ExternalLink]) -> Vec<(ExternalLink, String)> {
    let started = Instant::now();
    let agent = agent();
    let queue = Mutex::new(links.iter());
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|s| {
        for _ in 0..FETCH_THREADS.min(links.len()) {
            let tx = tx.clone();
            let queue = &queue;
            let agent = &agent;
            s.spawn(move || {
                while let Some(link) = queue.lock().ok().and_then(|mut q| q.next()) {
                    let result = if started.elapsed() > FETCH_BUDGET {
                        Err("not checked: the time for checking external links ran out".to_string())
                    } else {
                        fetch(agent, &link.url)
                    };
                    if let Err(why) = result {
                        let _ = tx.send((link.clone(), why));
                    }
                }
            });
        }
    });
    drop(tx);
    let mut failed: Vec<_> = rx.into_iter().collect();
    failed.sort_by(|a, b| a.0.url.cmp(&b.0.url));
    failed
}

/// The client for external links: redirects followed (up to 5), each request time-limited.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(FETCH_TIMEOUT))
        .max_redirects(5)
        .http_status_as_error(false)
        .user_agent("studysite-check")
        .build()
        .into()
}

/// One `GET`; a status of 400 or more, or no answer, fails.
fn fetch(agent: &ureq::Agent, url: &str) -> Result<(), String> {
    let url = url.split('#').next().unwrap_or(url);
    match agent.get(url).call() {
        Ok(response) if response.status().as_u16() < 400 => Ok(()),
        Ok(response) => Err(format!("HTTP {}", response.status().as_u16())),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::site;

    #[test]
    fn broken_links_are_errors_and_external_links_listed_once() {
        let (_dir, config) = site(&[(
            "a.md",
            "# A\n\n[gone](gone.md) [x](https://example.org/a) [y](https://example.org/a) [top](#a)\n",
        )]);
        let checked = check(&config, false).unwrap();
        assert_eq!(
            checked.report.errors(),
            1,
            "{:?}",
            checked.report.diagnostics()
        );
        assert!(checked.report.diagnostics()[0]
            .contains("a.md:3:1: error: link to missing note `gone.md`"));
        assert_eq!(checked.external.len(), 1);
        assert_eq!((checked.external[0].line, checked.external[0].col), (3, 17));
        assert!(checked.failed_external.is_empty());
    }
}
