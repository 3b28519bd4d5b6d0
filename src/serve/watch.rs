//! Watches the notes, the site's `templates/` and `static/`, and `studysite.toml`, and turns
//! bursts of file events into one rebuild each. Editor swap and backup files, dot-folders and
//! OUT are ignored, so nothing `serve` or a concurrent `build` writes can cause a rebuild loop.

use crate::config::{BuildOptions, Config};
use crate::fsx::canonical;
use anyhow::{Context, Result};
use notify::{EventKind, RecursiveMode, Watcher as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// A burst of events ends after this long without one. Short, because a save is a handful of
/// events within a millisecond or two; a write that takes longer simply causes one more
/// rebuild, and pages reload only after complete builds.
const SETTLE: Duration = Duration::from_millis(10);
/// A steady stream of events (a sync tool, a `git checkout`) still rebuilds this often.
const AT_MOST: Duration = Duration::from_millis(500);
/// How often the loop wakes up when nothing happens, to expire polls and notice `stop`.
const IDLE: Duration = Duration::from_millis(200);

pub(crate) struct Watcher {
    _inner: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    filter: Filter,
}

/// Which paths matter.
struct Filter {
    root: PathBuf,
    notes: PathBuf,
    out: PathBuf,
    templates: PathBuf,
    statics: PathBuf,
    config: PathBuf,
    /// An mdBook's `book.toml` and a MkDocs `mkdocs.yml` (title, notes folder, order).
    projects: Vec<PathBuf>,
}

impl Filter {
    fn new(root: &Path, options: &BuildOptions) -> Filter {
        let root = canonical(root);
        let (notes, out) = match Config::load(options) {
            Ok(c) => (canonical(&c.notes_dir), canonical(&c.out_dir)),
            Err(_) => (
                if root.join("notes").is_dir() {
                    root.join("notes")
                } else {
                    root.clone()
                },
                canonical(&options.out.clone().unwrap_or_else(|| root.join("public"))),
            ),
        };
        Filter {
            templates: root.join("templates"),
            statics: root.join("static"),
            config: root.join("studysite.toml"),
            projects: crate::project::FILES.iter().map(|f| root.join(f)).collect(),
            notes,
            out,
            root,
        }
    }

    fn matters(&self, path: &Path) -> bool {
        if path.starts_with(&self.out) || is_scratch(path) {
            return false;
        }
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return false;
        };
        if rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            return false;
        }
        path == self.config
            || self.projects.iter().any(|p| p == path)
            || path.starts_with(&self.templates)
            || path.starts_with(&self.statics)
            || path.starts_with(&self.notes)
    }
}

/// Files editors write beside the real one while saving: vim's `.x.swp`, `x~` and `4913`,
/// Emacs' `.#x` and `#x#`, and the temporary files of atomic saves.
fn is_scratch(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.')
        || name.ends_with('~')
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", ".crdownload", ".part"]
            .iter()
            .any(|e| name.ends_with(e))
}

impl Watcher {
    pub(crate) fn new(root: &Path, options: &BuildOptions) -> Result<Watcher> {
        let filter = Filter::new(root, options);
        let (tx, events) = channel();
        let mut inner =
            notify::recommended_watcher(tx).context("failed to start watching files")?;
        let mut watch = |path: &Path, mode| {
            inner
                .watch(path, mode)
                .with_context(|| format!("failed to watch `{}`", path.display()))
        };
        if filter.notes == filter.root {
            watch(&filter.root, RecursiveMode::Recursive)?;
        } else {
            // Not the whole site folder: it may hold big unrelated folders (`target/`, `.git/`).
            watch(&filter.root, RecursiveMode::NonRecursive)?;
            watch(&filter.notes, RecursiveMode::Recursive)?;
            for dir in [&filter.templates, &filter.statics] {
                if dir.is_dir() {
                    watch(dir, RecursiveMode::Recursive)?;
                }
            }
        }
        Ok(Watcher {
            _inner: inner,
            events,
            filter,
        })
    }

    /// Calls `rebuild` with the changed paths after each burst of relevant events, and `idle`
    /// now and then, until `stop` is set.
    pub(crate) fn run(
        mut self,
        stop: &AtomicBool,
        mut rebuild: impl FnMut(&[PathBuf]),
        mut idle: impl FnMut(),
    ) {
        while !stop.load(Ordering::SeqCst) {
            let first = match self.events.recv_timeout(IDLE) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => {
                    idle();
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            };
            let mut changed = Vec::new();
            self.collect(first, &mut changed);
            if changed.is_empty() {
                continue;
            }
            let started = Instant::now();
            while started.elapsed() < AT_MOST {
                match self.events.recv_timeout(SETTLE) {
                    Ok(event) => self.collect(event, &mut changed),
                    Err(_) => break,
                }
            }
            rebuild(&changed);
        }
    }

    fn collect(&mut self, event: notify::Result<notify::Event>, changed: &mut Vec<PathBuf>) {
        let Ok(event) = event else { return };
        // Reading files (our own build does) is not a change.
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            if !self.filter.matters(&path) {
                continue;
            }
            // A `templates/` or `static/` folder created after we started.
            let is_theme_dir = path == self.filter.templates || path == self.filter.statics;
            if is_theme_dir && path.is_dir() {
                let _ = self._inner.watch(&path, RecursiveMode::Recursive);
            }
            if !changed.contains(&path) {
                changed.push(path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_scratch_files_dot_folders_and_out() {
        let f = Filter {
            root: "/s".into(),
            notes: "/s".into(),
            out: "/s/public".into(),
            templates: "/s/templates".into(),
            statics: "/s/static".into(),
            config: "/s/studysite.toml".into(),
            projects: vec!["/s/book.toml".into()],
        };
        for p in [
            "/s/a.md",
            "/s/dir/b.md",
            "/s/studysite.toml",
            "/s/templates/page.html",
        ] {
            assert!(f.matters(Path::new(p)), "{p}");
        }
        for p in [
            "/s/.a.md.swp",
            "/s/a.md~",
            "/s/4913",
            "/s/.#a.md",
            "/s/#a.md#",
            "/s/.obsidian/workspace.json",
            "/s/public/index.html",
            "/elsewhere/a.md",
        ] {
            assert!(!f.matters(Path::new(p)), "{p}");
        }
    }
}
