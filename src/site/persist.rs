//! The page cache on disk: what [`super::Cache`] keeps in memory between the builds of one
//! `serve`, kept between processes too, so `studysite build` after a build (and `serve`
//! when it starts) redoes only the notes that changed.
//!
//! Four caches in the user's cache folder (see [`crate::store`]), each value encoded with
//! postcard and compressed with LZ4:
//! - `parsed`: a note's prepared text and outline, by the note's bytes and the config;
//! - `rendered`: a note's rendered body, by its page key (the site's shape and the note);
//! - `search`: a page's part of the search index, by the same key;
//! - `html`: a study page as written, by its key.
//!
//! Every key also holds this studysite build (its version and its executable's length and
//! modification time), so a new build of studysite never reads what another one wrote. A
//! value that does not decode, whole, is a miss.

use crate::store::{self, Key, Store};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The most each cache holds on disk.
const PARSED_BUDGET: usize = 256 << 20;
const RENDERED_BUDGET: usize = 512 << 20;
const SEARCH_BUDGET: usize = 256 << 20;
const HTML_BUDGET: usize = 128 << 20;

/// Which of the four caches.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Parsed,
    Rendered,
    Search,
    /// A study page as written.
    Html,
}

pub(super) struct Persist {
    /// This studysite build.
    build: [u8; 32],
    parsed: Store<Arc<[u8]>>,
    rendered: Store<Arc<[u8]>>,
    search: Store<Arc<[u8]>>,
    html: Store<Arc<[u8]>>,
    /// How many values were found here, in all (for tests).
    hits: AtomicUsize,
}

impl Persist {
    /// The page cache in `cache_dir`; `None` when this studysite build cannot be told.
    pub(super) fn new(cache_dir: &Path) -> Option<Persist> {
        Some(Persist {
            build: store::this_build()?,
            parsed: Store::new(cache_dir, "parsed", PARSED_BUDGET),
            rendered: Store::new(cache_dir, "rendered", RENDERED_BUDGET),
            search: Store::new(cache_dir, "search", SEARCH_BUDGET),
            html: Store::new(cache_dir, "html", HTML_BUDGET),
            hits: AtomicUsize::new(0),
        })
    }

    /// The cache folder it was made with.
    pub(super) fn dir(&self) -> &Path {
        self.parsed.dir()
    }

    fn store(&self, kind: Kind) -> &Store<Arc<[u8]>> {
        match kind {
            Kind::Parsed => &self.parsed,
            Kind::Rendered => &self.rendered,
            Kind::Search => &self.search,
            Kind::Html => &self.html,
        }
    }

    fn key(&self, kind: Kind, key: u64) -> Key {
        let name = self.store(kind).name().as_bytes();
        store::key(&[&self.build, name, &key.to_le_bytes()])
    }

    /// The cached value of each key (`None` for a miss), in order; decoded in parallel.
    pub(super) fn get<T: DeserializeOwned + Send>(
        &self,
        kind: Kind,
        keys: &[Option<u64>],
    ) -> Vec<Option<T>> {
        let bytes = self.get_bytes(kind, keys);
        bytes
            .into_par_iter()
            .map(|b| match postcard::take_from_bytes(&b?) {
                Ok((value, [])) => Some(value),
                _ => None,
            })
            .collect()
    }

    #[cfg(test)]
    pub(super) fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// Caches each value under its key; encoded in parallel. A failure only costs a miss.
    pub(super) fn put<T: Serialize + Sync>(&self, kind: Kind, values: &[(u64, &T)]) {
        if values.is_empty() {
            return;
        }
        let fresh: Vec<(Key, Arc<[u8]>)> = values
            .par_iter()
            .filter_map(|(k, v)| Some((self.key(kind, *k), encode(*v)?)))
            .collect();
        self.store(kind).put_many(fresh);
    }
}

impl Persist {
    /// The bytes cached under each key (`None` for a miss), in order; decompressed in
    /// parallel. (What [`Persist::put_bytes`] kept as they are, or what [`Persist::put`]
    /// encoded.)
    pub(super) fn get_bytes(&self, kind: Kind, keys: &[Option<u64>]) -> Vec<Option<Vec<u8>>> {
        let full: Vec<Option<Key>> = keys.iter().map(|k| Some(self.key(kind, (*k)?))).collect();
        let wanted: Vec<Key> = full.iter().flatten().copied().collect();
        if wanted.is_empty() {
            return keys.iter().map(|_| None).collect();
        }
        let found = self.store(kind).get_many(&wanted);
        let got: Vec<Option<Vec<u8>>> = full
            .par_iter()
            .map(|k| lz4_flex::decompress_size_prepended(found.get(k.as_ref()?)?).ok())
            .collect();
        let hits = got.iter().filter(|v| v.is_some()).count();
        self.hits.fetch_add(hits, Ordering::Relaxed);
        got
    }

    /// Caches bytes under each key, as [`Persist::put`].
    pub(super) fn put_bytes(&self, kind: Kind, values: &[(u64, &[u8])]) {
        let fresh: Vec<(Key, Arc<[u8]>)> = values
            .par_iter()
            .map(|(k, v)| {
                let packed = lz4_flex::compress_prepend_size(v);
                (self.key(kind, *k), Arc::from(packed))
            })
            .collect();
        if !fresh.is_empty() {
            self.store(kind).put_many(fresh);
        }
    }

    /// A set of named files cached under one key (each is its own entry, so no entry
    /// outgrows its shard); `None` unless every one of them is there.
    pub(super) fn get_files(&self, kind: Kind, key: u64) -> Option<Vec<(String, Vec<u8>)>> {
        let names: Vec<String> = self.get(kind, &[Some(key)]).pop()??;
        let keys: Vec<Option<u64>> = names.iter().map(|n| Some(file_key(key, n))).collect();
        let files = self.get_bytes(kind, &keys);
        names
            .into_iter()
            .zip(files)
            .map(|(name, bytes)| Some((name, bytes?)))
            .collect()
    }

    pub(super) fn put_files(&self, kind: Kind, key: u64, files: &[(&str, &[u8])]) {
        let names: Vec<&str> = files.iter().map(|f| f.0).collect();
        let parts: Vec<(u64, &[u8])> = files.iter().map(|(n, b)| (file_key(key, n), *b)).collect();
        self.put_bytes(kind, &parts);
        self.put(kind, &[(key, &names)]);
    }
}

fn file_key(key: u64, name: &str) -> u64 {
    crate::content::hash_of((key, name))
}

fn encode<T: Serialize>(value: &T) -> Option<Arc<[u8]>> {
    let bytes = postcard::to_stdvec(value).ok()?;
    Some(Arc::from(lz4_flex::compress_prepend_size(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_put_is_got_back_by_another_process_s_cache() {
        let dir = tempfile::tempdir().unwrap();
        let value = (String::from("<p>x</p>"), vec![1usize, 2, 3]);
        Persist::new(dir.path())
            .unwrap()
            .put(Kind::Rendered, &[(7, &value)]);
        let again = Persist::new(dir.path()).unwrap();
        let got: Vec<Option<(String, Vec<usize>)>> =
            again.get(Kind::Rendered, &[Some(7), Some(8), None]);
        assert_eq!(got, vec![Some(value), None, None]);
        // One cache's keys are not another's.
        let other: Vec<Option<(String, Vec<usize>)>> = again.get(Kind::Search, &[Some(7)]);
        assert_eq!(other, vec![None]);
    }

    #[test]
    fn a_set_of_files_comes_back_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let persist = Persist::new(dir.path()).unwrap();
        let big = vec![b'x'; 100_000];
        persist.put_files(Kind::Search, 3, &[("a.js", b"a"), ("b.js", &big)]);
        let got = Persist::new(dir.path()).unwrap().get_files(Kind::Search, 3);
        assert_eq!(
            got,
            Some(vec![
                ("a.js".to_string(), b"a".to_vec()),
                ("b.js".to_string(), big)
            ])
        );
        assert_eq!(persist.get_files(Kind::Search, 4), None);
        // One file gone: the set is a miss.
        persist.put_files(Kind::Search, 5, &[("a.js", b"a")]);
        persist.put(Kind::Search, &[(5, &vec!["a.js", "c.js"])]);
        assert_eq!(persist.get_files(Kind::Search, 5), None);
    }

    #[test]
    fn a_value_of_another_shape_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let persist = Persist::new(dir.path()).unwrap();
        persist.put(Kind::Parsed, &[(1, &String::from("text"))]);
        let got: Vec<Option<(u64, u64, u64)>> = persist.get(Kind::Parsed, &[Some(1)]);
        assert_eq!(got, vec![None]);
    }
}
