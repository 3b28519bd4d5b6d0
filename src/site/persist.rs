//! The page cache on disk: what [`super::Cache`] keeps in memory between the builds of one
//! `serve`, kept between processes too, so `studysite build` after a build (and `serve`
//! when it starts) redoes only the notes that changed.
//!
//! Four caches in one folder per site under the user's cache folder (see [`crate::store`]),
//! each value encoded with postcard and compressed with LZ4:
//! - `parsed`: a note's prepared text and outline, by the note's bytes and the config;
//! - `rendered`: a note's rendered body, by its page key (the site's shape and the note);
//! - `search`: a page's part of the search index, by the same key;
//! - `html`: a study page as written, by its key.
//!
//! Every key also holds this studysite build (its version and its executable's length and
//! modification time), so a new build of studysite never reads what another one wrote. A
//! value that does not decode, whole, is a miss. The highlight cache
//! ([`crate::markdown::Highlighter`]) keeps its shards in the same folder.
//!
//! A site's folder is `sites/<config and theme>-<studysite build>`: the caches of one site
//! are never read or rewritten by a build of another (so a first build costs the same
//! however many other sites were built before it), and what an older build of studysite
//! wrote goes as a whole. The [`KEPT_SITES`] most recently used folders are kept, within
//! [`TOTAL_BUDGET`] together.

use crate::fsx;
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
/// How many sites' folders are kept, the least recently used dropped first.
const KEPT_SITES: usize = 8;
/// The most all sites' folders hold together on disk, the one in use aside.
const TOTAL_BUDGET: u64 = 2 << 30;
/// The file whose time says when a site's folder was last used.
const USED: &str = "used";
/// The caches' folders: in a site's folder, and in the cache folder itself in the layout
/// before sites had folders of their own.
const NAMES: [&str; 5] = ["parsed", "rendered", "search", "html", "highlight"];

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
    /// The user's cache folder it was made in.
    base: std::path::PathBuf,
    /// The site's folder in it.
    dir: std::path::PathBuf,
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
    /// The page cache of the site built under `env` (its config and theme) in `cache_dir`;
    /// `None` when this studysite build cannot be told. Marks the site's folder used and
    /// drops the folders of sites beyond what is kept.
    pub(super) fn new(cache_dir: &Path, env: u64) -> Option<Persist> {
        let build = store::this_build()?;
        let sites = cache_dir.join("sites");
        let name = site_folder(env, &build);
        let dir = sites.join(&name);
        if fsx::create_dir_all(&dir).is_ok() {
            let _ = fsx::write(&dir.join(USED), b"");
        }
        evict(&sites, &name, KEPT_SITES, TOTAL_BUDGET);
        drop_old_layout(cache_dir);
        Some(Persist {
            base: cache_dir.to_path_buf(),
            dir: dir.clone(),
            build,
            parsed: Store::new(&dir, "parsed", PARSED_BUDGET),
            rendered: Store::new(&dir, "rendered", RENDERED_BUDGET),
            search: Store::new(&dir, "search", SEARCH_BUDGET),
            html: Store::new(&dir, "html", HTML_BUDGET),
            hits: AtomicUsize::new(0),
        })
    }

    /// The user's cache folder it was made in.
    pub(super) fn base(&self) -> &Path {
        &self.base
    }

    /// The site's folder, where its highlighted blocks are kept too.
    pub(super) fn dir(&self) -> &Path {
        &self.dir
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

/// A site's folder name: its config and theme, then this studysite build, in hex.
fn site_folder(env: u64, build: &Key) -> String {
    let build: String = build[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{env:016x}-{build}")
}

/// Is `name` a site's folder, as [`site_folder`] names one? Nothing else in `sites` is
/// ever removed.
fn is_site_folder(name: &str) -> bool {
    name.len() == 33
        && name.as_bytes()[16] == b'-'
        && name
            .bytes()
            .enumerate()
            .all(|(i, b)| i == 16 || b.is_ascii_hexdigit())
}

/// Removes the least recently used sites' folders in `sites` (never `current`) until at most
/// `kept` remain and the others hold at most `budget` bytes together.
fn evict(sites: &Path, current: &str, kept: usize, budget: u64) {
    let Ok(names) = fsx::read_dir_names(sites) else {
        return;
    };
    let mut others: Vec<(std::time::SystemTime, u64, std::path::PathBuf)> = names
        .iter()
        .filter(|n| n.as_str() != current && is_site_folder(n))
        .map(|n| {
            let dir = sites.join(n);
            let used = std::fs::metadata(dir.join(USED))
                .or_else(|_| std::fs::metadata(&dir))
                .and_then(|m| m.modified())
                .unwrap_or(std::time::UNIX_EPOCH);
            (used, folder_size(&dir), dir)
        })
        .collect();
    // Newest first: the ones kept are a prefix.
    others.sort_by_key(|o| std::cmp::Reverse(o.0));
    let mut total = 0u64;
    for (i, (_, size, dir)) in others.iter().enumerate() {
        total += size;
        if i + 1 >= kept || total > budget {
            let _ = fsx::remove_dir_all(dir);
        }
    }
}

/// The bytes of the files in `dir` and the folders in it, one level down (a site's
/// caches and their shards).
fn folder_size(dir: &Path) -> u64 {
    let size = |d: &Path| -> u64 {
        std::fs::read_dir(d).map_or(0, |entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
    };
    size(dir) + NAMES.iter().map(|n| size(&dir.join(n))).sum::<u64>()
}

/// Removes the shards the page cache kept before each site had a folder
/// (`parsed/00.bin` ... in the cache folder itself): no build reads them any more. Only
/// files named as shards are removed, then each folder if that left it empty.
fn drop_old_layout(cache_dir: &Path) {
    for name in NAMES {
        let dir = cache_dir.join(name);
        let Ok(files) = fsx::read_dir_names(&dir) else {
            continue;
        };
        for f in files {
            let digits = f.split('.').next().unwrap_or("");
            let shard = digits.len() == 2 && digits.bytes().all(|b| b.is_ascii_digit());
            if shard && (f.ends_with(".bin") || f.ends_with(".tmp")) {
                let _ = fsx::remove_file(&dir.join(f));
            }
        }
        let _ = std::fs::remove_dir(&dir);
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
        Persist::new(dir.path(), 1)
            .unwrap()
            .put(Kind::Rendered, &[(7, &value)]);
        let again = Persist::new(dir.path(), 1).unwrap();
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
        let persist = Persist::new(dir.path(), 1).unwrap();
        let big = vec![b'x'; 100_000];
        persist.put_files(Kind::Search, 3, &[("a.js", b"a"), ("b.js", &big)]);
        let got = Persist::new(dir.path(), 1)
            .unwrap()
            .get_files(Kind::Search, 3);
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
        let persist = Persist::new(dir.path(), 1).unwrap();
        persist.put(Kind::Parsed, &[(1, &String::from("text"))]);
        let got: Vec<Option<(u64, u64, u64)>> = persist.get(Kind::Parsed, &[Some(1)]);
        assert_eq!(got, vec![None]);
    }

    #[test]
    fn each_site_has_its_own_folder_and_another_site_s_build_leaves_it_alone() {
        let dir = tempfile::tempdir().unwrap();
        let value = String::from("<p>one</p>");
        let one = Persist::new(dir.path(), 1).unwrap();
        one.put(Kind::Rendered, &[(7, &value)]);
        let two = Persist::new(dir.path(), 2).unwrap();
        two.put(Kind::Rendered, &[(8, &value)]);
        let sites = fsx::read_dir_names(&dir.path().join("sites")).unwrap();
        assert_eq!(sites.len(), 2, "{sites:?}");
        assert!(sites.iter().all(|s| is_site_folder(s)), "{sites:?}");
        // Site 2 does not see site 1's entry, and site 1 still has it.
        let miss: Vec<Option<String>> = two.get(Kind::Rendered, &[Some(7)]);
        assert_eq!(miss, vec![None]);
        let again: Vec<Option<String>> = Persist::new(dir.path(), 1)
            .unwrap()
            .get(Kind::Rendered, &[Some(7)]);
        assert_eq!(again, vec![Some(value)]);
    }

    #[test]
    fn the_least_recently_used_sites_go_first_and_nothing_else_in_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let sites = dir.path().join("sites");
        let names: Vec<String> = (0..4).map(|i| format!("{i:016x}-{:016x}", 9)).collect();
        let day = std::time::Duration::from_secs(86_400);
        for (i, name) in names.iter().enumerate() {
            let shard = sites.join(name).join("rendered");
            fsx::create_dir_all(&shard).unwrap();
            fsx::write(&shard.join("00.bin"), &[0u8; 1000]).unwrap();
            let used = std::fs::File::create(sites.join(name).join(USED)).unwrap();
            used.set_modified(std::time::SystemTime::now() - day * (10 - i as u32))
                .unwrap();
        }
        let stranger = sites.join("notes-of-mine");
        fsx::create_dir_all(&stranger).unwrap();
        // At most 3 kept with the current one: the oldest other one (0) goes.
        evict(&sites, &names[3], 3, u64::MAX);
        let left = fsx::read_dir_names(&sites).unwrap();
        assert_eq!(
            left,
            vec![
                names[1].clone(),
                names[2].clone(),
                names[3].clone(),
                "notes-of-mine".into()
            ]
        );
        // Within 1,500 bytes for the others: the newest other one (2) stays.
        evict(&sites, &names[3], 8, 1500);
        let left = fsx::read_dir_names(&sites).unwrap();
        assert_eq!(
            left,
            vec![names[2].clone(), names[3].clone(), "notes-of-mine".into()]
        );
    }

    #[test]
    fn the_shards_of_the_old_layout_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("rendered");
        fsx::create_dir_all(&old).unwrap();
        fsx::write(&old.join("00.bin"), b"x").unwrap();
        fsx::write(&old.join("63.bin"), b"x").unwrap();
        fsx::create_dir_all(&dir.path().join("parsed")).unwrap();
        fsx::write(&dir.path().join("parsed/00.bin"), b"x").unwrap();
        fsx::write(&dir.path().join("parsed/mine.txt"), b"x").unwrap();
        Persist::new(dir.path(), 1).unwrap();
        assert!(!old.exists());
        let kept = fsx::read_dir_names(&dir.path().join("parsed")).unwrap();
        assert_eq!(kept, vec!["mine.txt".to_string()]);
    }
}
