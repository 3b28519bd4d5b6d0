//! The persistent highlight cache, through the command line: where it lives, that it never
//! changes the output (warm, damaged, or filled by two builds at once), and `--no-cache`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const NOTES: &[(&str, &str)] = &[
    (
        "index.md",
        "# Home\n\n```yaml\nkey: value\nlist:\n  - 1\n```\n\n```python\ndef f(x):\n    return x < 2\n```\n",
    ),
    (
        "b.md",
        "# B\n\n```bash\necho \"$HOME\" && ls -la\n```\n\n```sql\nSELECT a FROM t WHERE b > 1;\n```\n",
    ),
];

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in NOTES {
        let p = dir.path().join("notes").join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

/// `studysite build SITE -o OUT EXTRA...` with `cache_home` as XDG_CACHE_HOME.
fn command(site: &Path, out: &Path, cache_home: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_studysite"));
    c.env("XDG_CACHE_HOME", cache_home)
        .arg("build")
        .arg(site)
        .arg("-o")
        .arg(out)
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn build(site: &Path, out: &Path, cache_home: &Path, extra: &[&str]) {
    let r = command(site, out, cache_home, extra).output().unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
}

/// Every file of a built site by path, the output marker left out.
fn files(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = BTreeMap::new();
    for e in walkdir::WalkDir::new(out) {
        let e = e.unwrap();
        if e.file_type().is_file() && e.file_name() != ".studysite-output" {
            let rel = e.path().strip_prefix(out).unwrap().to_path_buf();
            all.insert(rel, fs::read(e.path()).unwrap());
        }
    }
    all
}

/// The highlight cache's shards, in the folder of each site built with `cache_home`.
fn shards(cache_home: &Path) -> Vec<PathBuf> {
    let sites = cache_home.join("studysite").join("sites");
    let Ok(sites) = fs::read_dir(&sites) else {
        return Vec::new();
    };
    let dirs = sites.map(|s| s.unwrap().path().join("highlight"));
    dirs.filter_map(|d| fs::read_dir(d).ok())
        .flatten()
        .map(|e| e.unwrap().path())
        .collect()
}

/// The output of a build that uses no cache at all.
fn uncached(site: &Path, tmp: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let out = tmp.join("uncached");
    build(site, &out, &tmp.join("unused-cache"), &["--no-cache"]);
    files(&out)
}

#[test]
fn the_cache_is_in_xdg_cache_home_and_a_warm_build_is_a_cold_one() {
    let site = site();
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    build(site.path(), &tmp.path().join("cold"), &cache, &[]);
    assert!(!shards(&cache).is_empty(), "nothing cached under {cache:?}");
    build(site.path(), &tmp.path().join("warm"), &cache, &[]);
    let cold = files(&tmp.path().join("cold"));
    assert_eq!(cold, files(&tmp.path().join("warm")));
    assert_eq!(cold, uncached(site.path(), tmp.path()));
    let html = String::from_utf8(cold[Path::new("index.html")].clone()).unwrap();
    assert!(html.contains("<k-"), "{html}");
    // Nothing of the cache went into the output or the notes.
    assert!(!site.path().join("notes").join("highlight").exists());
}

#[test]
fn a_damaged_cache_is_ignored() {
    let site = site();
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    build(site.path(), &tmp.path().join("first"), &cache, &[]);
    let written = shards(&cache);
    assert!(!written.is_empty());
    for (i, shard) in written.iter().enumerate() {
        let mut bytes = fs::read(shard).unwrap();
        match i % 3 {
            0 => bytes.truncate(bytes.len() / 2),
            1 => {
                let n = bytes.len();
                bytes[n - 50] ^= 0x20;
            }
            _ => bytes = b"not a cache at all".to_vec(),
        }
        fs::write(shard, bytes).unwrap();
    }
    build(site.path(), &tmp.path().join("second"), &cache, &[]);
    assert_eq!(
        files(&tmp.path().join("second")),
        uncached(site.path(), tmp.path())
    );
}

#[test]
fn two_builds_at_once_share_the_cache() {
    let site = site();
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let outs: Vec<PathBuf> = (0..4).map(|i| tmp.path().join(format!("out{i}"))).collect();
    let children: Vec<Child> = outs
        .iter()
        .map(|o| command(site.path(), o, &cache, &[]).spawn().unwrap())
        .collect();
    for c in children {
        let r = c.wait_with_output().unwrap();
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    }
    let expected = uncached(site.path(), tmp.path());
    for o in &outs {
        assert_eq!(files(o), expected, "{o:?}");
    }
    let leftovers: Vec<_> = shards(&cache)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    build(site.path(), &tmp.path().join("after"), &cache, &[]);
    assert_eq!(files(&tmp.path().join("after")), expected);
}

#[test]
fn no_cache_writes_nothing() {
    let site = site();
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    build(
        site.path(),
        &tmp.path().join("out"),
        &cache,
        &["--no-cache"],
    );
    let r = Command::new(env!("CARGO_BIN_EXE_studysite"))
        .env("XDG_CACHE_HOME", &cache)
        .args(["check", "--no-cache"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(!cache.exists(), "{:?}", shards(&cache));
}
