//! Persistent caches in the user's cache folder: values on disk keyed by a 32-byte hash of
//! everything they depend on (the studysite build among it), so a later build (or `serve`)
//! starts from what earlier ones made. Highlighted blocks and drawn diagrams are one such
//! cache; parsed, rendered and indexed notes are others (see `site::cache`).
//!
//! Each cache is a folder of [`SHARDS`] files. A shard is written whole to a temporary file
//! and renamed over the old one, so a reader never sees half of one, and two builds at once
//! each leave a whole shard (one's new entries may be lost, which only costs a miss). A shard
//! that does not read back exactly as written (its checksum) is ignored. Each shard keeps its
//! newest entries within its share of the cache's budget.

use crate::fsx;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

/// What one value is cached under.
pub(crate) type Key = [u8; 32];

const SHARDS: usize = 64;
/// The start of every shard, before the cache's name: a new layout gets a new one, and old
/// shards read as empty.
const MAGIC: &[u8] = b"studysite cache 2 ";
/// An entry's key, stamp and length.
const HEAD: usize = 32 + 8 + 4;

/// The key of a value made from `parts` (their lengths are hashed too, so no two lists of
/// parts run together) and the studysite version; the caches add [`this_build`].
pub(crate) fn key(parts: &[&[u8]]) -> Key {
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    for part in parts {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part);
    }
    *h.finalize().as_bytes()
}

/// This studysite build: its version and its executable's length and modification time.
/// Every cache keys its values by it, as the HTML a build makes of a block or a note changes
/// with the code (and a development build does not change the version). `None` when the
/// executable cannot be looked at: then nothing is cached, as a cache that cannot tell two
/// builds of studysite apart could serve one's output to the other.
pub(crate) fn this_build() -> Option<Key> {
    static BUILD: OnceLock<Option<Key>> = OnceLock::new();
    *BUILD.get_or_init(|| {
        let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
        let modified = meta.modified().ok()?;
        let stamp = format!("{} {:?}", meta.len(), modified);
        Some(key(&[b"studysite build", stamp.as_bytes()]))
    })
}

/// What a cache holds: anything that is bytes and can be read back from them.
pub(crate) trait Value: Clone + Send + Sync + Sized {
    fn bytes(&self) -> &[u8];
    fn from_bytes(bytes: &[u8]) -> Option<Self>;
}

impl Value for Arc<str> {
    fn bytes(&self) -> &[u8] {
        self.as_bytes()
    }
    fn from_bytes(bytes: &[u8]) -> Option<Self> {
        std::str::from_utf8(bytes).ok().map(Arc::from)
    }
}

impl Value for Arc<[u8]> {
    fn bytes(&self) -> &[u8] {
        self
    }
    fn from_bytes(bytes: &[u8]) -> Option<Self> {
        Some(Arc::from(bytes))
    }
}

/// An entry: when it was written (seconds since 1970) and the value.
type Entry<V> = (u64, V);

pub(crate) struct Store<V> {
    dir: PathBuf,
    /// The cache's folder under `dir`, and the name its shards start with.
    name: &'static str,
    shard_budget: usize,
    value: std::marker::PhantomData<V>,
}

impl<V: Value> Store<V> {
    /// The cache `name` in `cache_dir/name` (made at the first write), holding at most
    /// `budget` bytes.
    pub(crate) fn new(cache_dir: &Path, name: &'static str, budget: usize) -> Store<V> {
        Store {
            dir: cache_dir.to_path_buf(),
            name,
            shard_budget: budget / SHARDS,
            value: std::marker::PhantomData,
        }
    }

    fn magic(&self) -> Vec<u8> {
        [MAGIC, self.name.as_bytes(), b"\n"].concat()
    }

    /// The cache folder it was made with.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The cache's name (its folder in [`Store::dir`]).
    pub(crate) fn name(&self) -> &'static str {
        self.name
    }

    fn shard_path(&self, shard: usize) -> PathBuf {
        self.dir.join(self.name).join(format!("{shard:02}.bin"))
    }

    /// The cached value of every key that has one; the shards are read in parallel.
    pub(crate) fn get_many(&self, keys: &[Key]) -> HashMap<Key, V> {
        let mut wanted: Vec<Vec<&Key>> = vec![Vec::new(); SHARDS];
        for k in keys {
            wanted[shard_of(k)].push(k);
        }
        wanted
            .into_par_iter()
            .enumerate()
            .filter(|(_, keys)| !keys.is_empty())
            .flat_map_iter(|(shard, keys)| {
                let mut entries = self.read(shard);
                keys.into_iter()
                    .filter_map(|k| Some((*k, entries.remove(k)?.1)))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Adds `fresh` entries, each shard merged with what is on disk now and written anew;
    /// a failure to write only means the entries are not cached.
    pub(crate) fn put_many(&self, fresh: Vec<(Key, V)>) {
        if fresh.is_empty() {
            return;
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut by_shard: Vec<Vec<(Key, V)>> = vec![Vec::new(); SHARDS];
        for (k, value) in fresh {
            by_shard[shard_of(&k)].push((k, value));
        }
        if fsx::create_dir_all(&self.dir.join(self.name)).is_err() {
            return;
        }
        by_shard
            .into_par_iter()
            .enumerate()
            .filter(|(_, fresh)| !fresh.is_empty())
            .for_each(|(shard, fresh)| {
                let mut entries = self.read(shard);
                for (k, value) in fresh {
                    entries.insert(k, (now, value));
                }
                let _ = self.write(shard, entries);
            });
    }

    /// A shard's entries; none when it is missing, unreadable or not exactly as written.
    fn read(&self, shard: usize) -> HashMap<Key, Entry<V>> {
        fsx::read(&self.shard_path(shard))
            .ok()
            .and_then(|bytes| decode(&self.magic(), &bytes))
            .unwrap_or_default()
    }

    /// Writes a shard's newest entries within its budget, to a temporary file renamed into place.
    fn write(&self, shard: usize, entries: HashMap<Key, Entry<V>>) -> anyhow::Result<()> {
        let mut entries: Vec<(Key, Entry<V>)> = entries.into_iter().collect();
        entries.sort_unstable_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
        let mut bytes = self.magic();
        for (k, (stamp, value)) in entries {
            let value = value.bytes();
            if bytes.len() + HEAD + value.len() + 32 > self.shard_budget {
                continue;
            }
            bytes.extend_from_slice(&k);
            bytes.extend_from_slice(&stamp.to_le_bytes());
            bytes.extend_from_slice(&(value.len() as u32).to_le_bytes());
            bytes.extend_from_slice(value);
        }
        let sum = *blake3::hash(&bytes).as_bytes();
        bytes.extend_from_slice(&sum);
        let path = self.shard_path(shard);
        let temp = path.with_extension(temp_suffix());
        fsx::write(&temp, &bytes)?;
        fsx::rename(&temp, &path).inspect_err(|_| {
            let _ = fsx::remove_file(&temp);
        })
    }
}

/// A name no other writer (another build, another thread) uses at the same time.
fn temp_suffix() -> String {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    format!("{}-{nanos}-{n}.tmp", std::process::id())
}

fn shard_of(k: &Key) -> usize {
    k[0] as usize % SHARDS
}

fn decode<V: Value>(magic: &[u8], bytes: &[u8]) -> Option<HashMap<Key, Entry<V>>> {
    let body = bytes.strip_prefix(magic)?;
    let (body, sum) = body.split_at_checked(body.len().checked_sub(32)?)?;
    let whole = &bytes[..magic.len() + body.len()];
    if blake3::hash(whole).as_bytes() != sum {
        return None;
    }
    let mut entries = HashMap::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (head, tail) = rest.split_at_checked(HEAD)?;
        let key: Key = head[..32].try_into().ok()?;
        let stamp = u64::from_le_bytes(head[32..40].try_into().ok()?);
        let len = u32::from_le_bytes(head[40..44].try_into().ok()?) as usize;
        let (value, tail) = tail.split_at_checked(len)?;
        entries.insert(key, (stamp, V::from_bytes(value)?));
        rest = tail;
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &Path) -> Store<Arc<str>> {
        Store::new(dir, "test", 1 << 20)
    }

    fn entry(i: usize) -> (Key, Arc<str>) {
        (
            key(&[b"t", b"yaml", format!("a: {i}\n").as_bytes()]),
            Arc::from(format!("<span>{i}</span>").as_str()),
        )
    }

    #[test]
    fn what_is_put_is_got_back_by_another_store() {
        let dir = tempfile::tempdir().unwrap();
        let entries: Vec<_> = (0..200).map(entry).collect();
        store(dir.path()).put_many(entries.clone());
        let keys: Vec<Key> = entries.iter().map(|e| e.0).collect();
        let got = store(dir.path()).get_many(&keys);
        assert_eq!(got.len(), 200);
        for (k, html) in &entries {
            assert_eq!(&got[k], html);
        }
    }

    #[test]
    fn a_damaged_shard_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let (k, html) = entry(1);
        store.put_many(vec![(k, html)]);
        let path = store.shard_path(shard_of(&k));
        let mut bytes = std::fs::read(&path).unwrap();
        let n = bytes.len();
        bytes[n - 40] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert!(store.get_many(&[k]).is_empty());
        std::fs::write(&path, &bytes[..n / 2]).unwrap();
        assert!(store.get_many(&[k]).is_empty());
        // And a damaged shard is written anew by the next build that needs it.
        store.put_many(vec![entry(1)]);
        assert_eq!(store.get_many(&[k]).len(), 1);
    }

    #[test]
    fn a_full_shard_keeps_its_newest_entries() {
        let dir = tempfile::tempdir().unwrap();
        let store: Store<Arc<str>> = Store::new(dir.path(), "test", SHARDS * 400);
        let mut entries: Vec<_> = (0..2000).map(entry).collect();
        entries.retain(|e| shard_of(&e.0) == 0);
        store.put_many(entries.clone());
        let keys: Vec<Key> = entries.iter().map(|e| e.0).collect();
        let kept = store.get_many(&keys).len();
        assert!(
            kept > 0 && kept < entries.len(),
            "{kept} of {}",
            entries.len()
        );
        let size = std::fs::metadata(store.shard_path(0)).unwrap().len();
        assert!(size <= 400, "{size}");
    }
}
