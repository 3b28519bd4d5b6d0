//! The reload channel: open pages long-poll `__studysite/wait?v=N` on the site's own origin
//! and port, and are answered when build N+1 is done (or failed). Waiting requests are
//! parked here, not held by a thread, so any number of open pages costs no handler.
//! `__studysite/status` answers at once, for pages that leave the waiting to another tab.
//! An answer lists the files a build changed, so a page whose theme did not change can
//! swap in its new content instead of reloading.

use serde::Serialize;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tiny_http::Request;

/// A parked poll is answered with "nothing new" after this long, well under the idle
/// timeouts of common reverse proxies (60 s).
const POLL_FOR: Duration = Duration::from_secs(25);

/// What the latest build came to, as sent to the pages.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Status {
    /// The build number.
    v: u64,
    /// The build has no errors: pages older than `v` should reload.
    ok: bool,
    /// Error diagnostics, `file:line:col: error: message`, for the overlay.
    errors: Vec<String>,
    /// With `--follow`: the site-relative URL of the page of the note that changed.
    follow: Option<String>,
    /// The build `changed` is counted from: a page of any other build reloads in full.
    since: u64,
    /// The site paths whose content differs from build `since`; `None` when unknown (the
    /// theme, config or a non-note file changed, or too much changed): pages reload.
    changed: Option<Vec<String>>,
}

/// What a good build changed since the one served before it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Changes {
    pub(crate) since: u64,
    pub(crate) paths: Option<Vec<String>>,
}

pub(crate) struct Live {
    inner: Mutex<Inner>,
}

struct Inner {
    status: Status,
    /// The last number handed out; a build publishes under it when it is done.
    issued: u64,
    waiting: Vec<(Request, Instant)>,
    closed: bool,
}

impl Live {
    pub(crate) fn new() -> Live {
        Live {
            inner: Mutex::new(Inner {
                status: Status::default(),
                issued: 0,
                waiting: Vec::new(),
                closed: false,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn version(&self) -> u64 {
        self.lock().status.v
    }

    pub(crate) fn next_version(&self) -> u64 {
        let mut inner = self.lock();
        inner.issued += 1;
        inner.issued
    }

    /// Records a finished build and answers every waiting page.
    pub(crate) fn publish(
        &self,
        v: u64,
        errors: Vec<String>,
        follow: Option<String>,
        changes: Changes,
    ) {
        let (status, waiting) = {
            let mut inner = self.lock();
            inner.status = Status {
                v,
                ok: errors.is_empty(),
                errors,
                follow,
                since: changes.since,
                changed: changes.paths,
            };
            (inner.status.clone(), std::mem::take(&mut inner.waiting))
        };
        for (request, _) in waiting {
            answer(request, &status);
        }
    }

    /// Answers with the latest build's status at once.
    pub(crate) fn now(&self, request: Request) {
        let status = self.lock().status.clone();
        answer(request, &status);
    }

    /// Answers at once if the page is older than the latest build, else parks the request.
    pub(crate) fn wait(&self, request: Request, since: u64) {
        let mut inner = self.lock();
        if inner.status.v != since || inner.closed {
            let status = inner.status.clone();
            drop(inner);
            return answer(request, &status);
        }
        inner.waiting.push((request, Instant::now()));
    }

    /// Answers polls parked for longer than [`POLL_FOR`]; the pages poll again.
    pub(crate) fn expire_waiters(&self) {
        let (status, old) = {
            let mut inner = self.lock();
            let (old, keep) = std::mem::take(&mut inner.waiting)
                .into_iter()
                .partition(|(_, since)| since.elapsed() >= POLL_FOR);
            inner.waiting = keep;
            (inner.status.clone(), old)
        };
        for (request, _) in old {
            answer(request, &status);
        }
    }

    /// Answers everything parked, so connections close with the server.
    pub(crate) fn close(&self) {
        let (status, waiting) = {
            let mut inner = self.lock();
            inner.closed = true;
            (inner.status.clone(), std::mem::take(&mut inner.waiting))
        };
        for (request, _) in waiting {
            answer(request, &status);
        }
    }
}

fn answer(request: Request, status: &Status) {
    let body = serde_json::to_string(status).unwrap_or_else(|_| "{}".into());
    let headers = [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Cache-Control", "no-store"),
    ];
    super::http::respond(request, 200, &headers, body.as_bytes());
}
