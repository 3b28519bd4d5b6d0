//! What a build produces: the files of the site, held in memory until `output::write` (or
//! `serve`) takes them, with the report of what was found on the way.

use crate::diagnostic::Report;
use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

/// Marks a folder as written by studysite and lists what it wrote (see `output`); a folder
/// without it is never replaced, and one with it is never read as notes.
pub(crate) const MARKER: &str = ".studysite-output";

/// Files a static host reads at the site root (GitHub Pages, Netlify, Cloudflare Pages): put
/// them at the root of the notes folder and they are copied like any other file, these
/// dot-files too.
pub(crate) const HOST_FILES: &[&str] = &["CNAME", ".nojekyll", "_headers", "_redirects"];

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Shared, so a rebuild that keeps a page costs no copy.
    Bytes(Arc<[u8]>),
    /// Copied as it is from the user's file.
    Copy(PathBuf),
    /// Already in the staging folder of the output, put there by a [`Sink`] as soon as it
    /// was made: its length and content hash, which the output's marker lists.
    Written { len: u64, hash: String },
}

/// Where `studysite build` puts a finished file while the build goes on: the note pages are
/// most of a site's bytes, and written as they are made they are never all in memory at
/// once (10,000 notes hold some 190 MB of pages). `serve` and `check` keep every file in
/// memory and use none.
pub trait Sink: Sync {
    /// Writes `bytes` as the site's file `rel`; what comes back stands for it in [`Built`].
    fn put(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<Content>;
}

/// The built site: every output file by its path (`/`-separated, relative to the site root).
#[derive(Debug, Default)]
pub struct Built {
    pub files: BTreeMap<String, Content>,
    pub report: Report,
    /// Each note's page: source path (relative to the notes folder) -> site-relative URL.
    pub urls: BTreeMap<String, String>,
}

/// A hash of anything hashable: the keys of the caches that spare a rebuild its work.
pub(crate) fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}
