//! `check`: builds the site in memory (nothing written), makes every broken link, anchor and
//! image an error, lists external links, and fetches them only when asked.

use crate::config::Config;
use crate::diagnostic::Severity;
use crate::site::{self, Report};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A link to outside the site, where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    pub url: String,
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
}

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
        if d.broken_link {
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
    let queue = Mutex::new(links.iter());
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|s| {
        for _ in 0..FETCH_THREADS.min(links.len()) {
            let tx = tx.clone();
            let queue = &queue;
            s.spawn(move || {
                while let Some(link) = queue.lock().ok().and_then(|mut q| q.next()) {
                    let result = if started.elapsed() > FETCH_BUDGET {
                        Err("not checked: the time for checking external links ran out".to_string())
                    } else {
                        fetch(&link.url)
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

/// One `GET` over plain HTTP/1.1, following up to 5 redirects; a status of 400 or more fails.
fn fetch(url: &str) -> Result<(), String> {
    let mut url = url.to_string();
    for _ in 0..5 {
        let status = get(&url)?;
        match status {
            (200..=299, _) => return Ok(()),
            (300..=399, Some(location)) => url = absolute(&url, &location),
            (code, _) => return Err(format!("HTTP {code}")),
        }
    }
    Err("too many redirects".into())
}

fn absolute(base: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    let origin_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[origin_end..]
        .find('/')
        .map_or(base.len(), |i| origin_end + i);
    if location.starts_with('/') {
        format!("{}{location}", &base[..host_end])
    } else {
        let dir = base
            .rfind('/')
            .filter(|&i| i >= host_end)
            .map_or(base.len(), |i| i + 1);
        let mut out = base[..dir].to_string();
        if dir == base.len() {
            out.push('/');
        }
        out.push_str(location);
        out
    }
}

/// The status code and `Location` header of a `GET`.
fn get(url: &str) -> Result<(u16, Option<String>), String> {
    let Some(rest) = url.strip_prefix("http://") else {
        return Err("not checked: only http:// links can be fetched (no TLS in this build)".into());
    };
    let (host_port, path) = match rest.find(['/', '?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let path = path.split('#').next().unwrap_or("/");
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    let addr_text = if host_port.contains(':') {
        host_port.to_string()
    } else {
        format!("{host_port}:80")
    };
    let addr = addr_text
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve `{host_port}`: {e}"))?
        .next()
        .ok_or_else(|| format!("cannot resolve `{host_port}`"))?;
    let mut stream = TcpStream::connect_timeout(&addr, FETCH_TIMEOUT).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(FETCH_TIMEOUT))
        .map_err(|e| e.to_string())?;
    stream
        .set_write_timeout(Some(FETCH_TIMEOUT))
        .map_err(|e| e.to_string())?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host_port}\r\nUser-Agent: studysite-check\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or("not an HTTP response")?;
    let location = lines.take_while(|l| !l.is_empty()).find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("location")
            .then(|| value.trim().to_string())
    });
    Ok((status, location))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_resolve_against_the_url() {
        assert_eq!(absolute("http://h/a/b", "/c"), "http://h/c");
        assert_eq!(absolute("http://h/a/b", "c"), "http://h/a/c");
        assert_eq!(absolute("http://h", "c"), "http://h/c");
        assert_eq!(absolute("http://h/a", "https://x/y"), "https://x/y");
    }
}
