//! Writes a built site: into a fresh folder beside OUT, then swapped in at once, so a failed
//! or killed build leaves the previous site whole and nothing of the user's is ever
//! overwritten.
//!
//! - OUT is studysite's only when its marker file lists every file in it with its length and
//!   content hash; a file it does not list, or one that changed since it was written, makes
//!   the build refuse (naming up to [`LISTED`] of them), before anything is replaced.
//! - The new site is swapped in with `renameat2(RENAME_EXCHANGE)` on Linux (OUT always
//!   exists), two renames elsewhere.
//! - A lock (beside OUT, or in the temp folder when that would be inside the notes)
//!   serialises two builds of one site; holding it, a build removes what dead builds left.
//! - A file that did not change is hard-linked from the previous site instead of written
//!   again; "did not change" is its content hash, never its time.

use crate::config::Config;
use crate::content::{Built, Content, Sink, HOST_FILES, MARKER};
use crate::fsx;
use crate::fsx::canonical;
use anyhow::{bail, Result};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

const MARKER_HEADER: &str = "This folder is written by studysite and replaced on every build.\n";
/// The marker's format: `len TAB blake3-128-hex TAB path` per file.
const MARKER_VERSION: &str = "#studysite-manifest 2\n";
/// How many of the files that stop a build are named.
const LISTED: usize = 10;

/// Refuses an OUT that would clash with the notes (is them, holds them, is the site folder,
/// or lies inside a notes folder that is not the site folder), that is a file, or that holds
/// files studysite did not write. (Whether the files it wrote are unchanged is checked by
/// [`write`], which reads them.)
pub fn check_out_dir(config: &Config) -> Result<()> {
    check_place(config)?;
    let out = canonical(&config.out_dir);
    let manifest = Manifest::read(&out)?;
    let foreign: Vec<String> = files_in(&out)?
        .into_iter()
        .filter(|(rel, _)| !manifest.files.contains_key(rel))
        .map(|(rel, _)| rel)
        .collect();
    refuse_unless_empty(&config.out_dir, &foreign, &[])
}

/// OUT's place: not the notes, not the site folder, not a file.
fn check_place(config: &Config) -> Result<()> {
    let out = canonical(&config.out_dir);
    let notes = canonical(&config.notes_dir);
    let root = canonical(&config.root);
    let shown = config.out_dir.display();
    if out == notes || notes.starts_with(&out) || out == root {
        bail!("refusing to write the site to `{shown}`: it holds your notes; choose another output folder with -o");
    }
    if notes != root && out.starts_with(&notes) {
        bail!(
            "refusing to write the site to `{shown}`: it is inside the notes folder `{}`, so a later build would read it as notes; choose a folder outside it with -o",
            config.notes_dir.display()
        );
    }
    if out.exists() && !out.is_dir() {
        bail!("refusing to replace `{shown}`: it is a file, not a folder");
    }
    Ok(())
}

/// Writes every file of `built` to OUT, atomically replacing what was there.
pub fn write(built: &Built, config: &Config) -> Result<()> {
    Stage::open(config)?.commit(built)
}

/// The new site being written, in a folder beside OUT that [`Stage::commit`] swaps in; a
/// stage dropped before that (a failed build) leaves OUT as it was and removes its folder.
/// It holds the build lock of OUT from [`Stage::open`] on. As a [`Sink`] it takes files
/// while the build goes on.
pub struct Stage {
    tmp: PathBuf,
    out: PathBuf,
    previous: Manifest,
    _lock: File,
}

impl Stage {
    /// Takes the build lock, checks that OUT is studysite's and unchanged since it was
    /// written (before anything is built), and makes the staging folder.
    pub fn open(config: &Config) -> Result<Stage> {
        check_place(config)?;
        let out = canonical(&config.out_dir);
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        fsx::create_dir_all(&parent)?;
        let lock = lock(&lock_path(config, &out, &parent, &name))?;
        remove_dead_builds(&parent, &name)?;
        let previous = verified(&out, &config.out_dir)?;
        let tmp = parent.join(format!(".{name}.studysite-new-{}", std::process::id()));
        fsx::create_dir_all(&tmp)?;
        Ok(Stage {
            tmp,
            out,
            previous,
            _lock: lock,
        })
    }

    /// Writes the files of `built` not yet written and the marker, then puts the new site
    /// in the place of OUT.
    pub fn commit(self, built: &Built) -> Result<()> {
        write_all(built, &self)?;
        swap(&self.tmp, &self.out)
    }

    /// Writes one file, or hard-links it from the previous site when it did not change;
    /// returns its line of the marker.
    fn write_file(&self, rel: &str, bytes: &[u8]) -> Result<(u64, String)> {
        let hash = content_hash(bytes);
        let len = bytes.len() as u64;
        let path = self.tmp.join(rel);
        let same =
            matches!(self.previous.files.get(rel), Some((l, Some(h))) if *l == len && *h == hash);
        if !(same && fsx::hard_link(&self.out.join(rel), &path).is_ok()) {
            fsx::write(&path, bytes)?;
        }
        Ok((len, hash))
    }
}

impl Sink for Stage {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<Content> {
        let (len, hash) = self.write_file(rel, bytes)?;
        Ok(Content::Written { len, hash })
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if self.tmp.exists() {
            let _ = fsx::remove_dir_all(&self.tmp);
        }
    }
}

/// A file's content hash as the marker keeps it: 128 bits of BLAKE3, in hex. (Not std's
/// hasher: that may change between Rust releases, and then every file would look edited.)
fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..32].to_string()
}

/// What the previous build wrote: each file's length and content hash (`None` in a marker
/// of the first format, which had no stable hash).
#[derive(Default)]
struct Manifest {
    files: HashMap<String, (u64, Option<String>)>,
}

impl Manifest {
    /// The marker of `out`; an empty manifest when there is none.
    fn read(out: &Path) -> Result<Manifest> {
        let marker = out.join(MARKER);
        if !marker.is_file() {
            return Ok(Manifest::default());
        }
        let text = fsx::read_to_string(&marker)?;
        let stable = text.lines().any(|l| format!("{l}\n") == MARKER_VERSION);
        let files = text
            .lines()
            .filter_map(|line| {
                let mut parts = line.splitn(3, '\t');
                let len = parts.next()?.parse().ok()?;
                let hash = parts.next()?.to_string();
                let rel = parts.next()?.to_string();
                Some((rel, (len, stable.then_some(hash))))
            })
            .collect();
        Ok(Manifest { files })
    }
}

/// Every file (and symlink) under `dir`, as a `/`-separated path with its length; the
/// marker left out.
fn files_in(dir: &Path) -> Result<Vec<(String, u64)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry =
            entry.map_err(|e| anyhow::anyhow!("failed to list `{}`: {e}", dir.display()))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = fsx::rel_string(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
        if rel != MARKER {
            let len = entry.metadata().map_or(0, |m| m.len());
            out.push((rel, len));
        }
    }
    Ok(out)
}

/// The previous site's manifest, once every file in it is shown to be what the marker says;
/// else an error naming the files that are not.
fn verified(out: &Path, shown: &Path) -> Result<Manifest> {
    let manifest = Manifest::read(out)?;
    let files = files_in(out)?;
    let checks: Vec<(String, bool)> = files
        .par_iter()
        .filter_map(|(rel, len)| match manifest.files.get(rel) {
            None => Some((rel.clone(), false)),
            Some((want_len, _)) if want_len != len => Some((rel.clone(), true)),
            Some((_, None)) => None,
            Some((_, Some(want))) => {
                let bytes = std::fs::read(out.join(rel)).ok();
                let same = bytes.is_some_and(|b| content_hash(&b) == *want);
                (!same).then(|| (rel.clone(), true))
            }
        })
        .collect();
    let foreign: Vec<String> = checks
        .iter()
        .filter(|c| !c.1)
        .map(|c| c.0.clone())
        .collect();
    let changed: Vec<String> = checks.iter().filter(|c| c.1).map(|c| c.0.clone()).collect();
    refuse_unless_empty(shown, &foreign, &changed)?;
    Ok(manifest)
}

/// The error for an OUT holding files studysite did not write or that changed since.
fn refuse_unless_empty(out: &Path, foreign: &[String], changed: &[String]) -> Result<()> {
    let count = foreign.len() + changed.len();
    if count == 0 {
        return Ok(());
    }
    let mut listed: Vec<String> = foreign
        .iter()
        .map(|f| format!("  {}/{f} (not written by studysite)", out.display()))
        .chain(
            changed
                .iter()
                .map(|f| format!("  {}/{f} (changed since studysite wrote it)", out.display())),
        )
        .take(LISTED)
        .collect();
    if count > LISTED {
        listed.push(format!("  ... and {} more", count - LISTED));
    }
    bail!(
        "refusing to replace `{}`: it holds {count} file(s) studysite did not write, or that changed since it wrote them:\n{}\n  = help: move them out of `{}` (or delete them) and build again; a file you want published belongs in the notes folder, which is copied as it is (`{}` at its root too), or build to another folder with -o",
        out.display(),
        listed.join("\n"),
        out.display(),
        HOST_FILES.join("`, `")
    )
}

/// Where the build lock of OUT lives: beside it, unless that is inside the notes folder
/// (a vault whose output is `public/` inside it); then in the temp folder, named by OUT.
fn lock_path(config: &Config, out: &Path, parent: &Path, name: &str) -> PathBuf {
    let notes = canonical(&config.notes_dir);
    if !parent.starts_with(&notes) {
        return parent.join(format!(".{name}.studysite-lock"));
    }
    let key = blake3::hash(out.to_string_lossy().as_bytes()).to_hex();
    std::env::temp_dir().join(format!("studysite-{}.lock", &key[..16]))
}

/// Holds the build lock of one OUT until dropped; waits while another build holds it.
fn lock(path: &Path) -> Result<File> {
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| anyhow::anyhow!("failed to open the build lock `{}`: {e}", path.display()))?;
    if file.try_lock().is_err() {
        eprintln!("note: another build of this site is writing it; waiting for it to finish");
        file.lock()
            .map_err(|e| anyhow::anyhow!("failed to lock `{}`: {e}", path.display()))?;
    }
    Ok(file)
}

/// The folders builds of OUT write beside it; with the lock held, any there is a dead
/// build's (killed mid-write) and goes.
fn remove_dead_builds(parent: &Path, name: &str) -> Result<()> {
    let prefixes = [
        format!(".{name}.studysite-new-"),
        format!(".{name}.studysite-old-"),
    ];
    for entry in fsx::read_dir_names(parent)? {
        if prefixes.iter().any(|p| entry.starts_with(p.as_str())) {
            let path = parent.join(&entry);
            if path.is_dir() {
                fsx::remove_dir_all(&path)?;
            }
        }
    }
    Ok(())
}

fn write_all(built: &Built, stage: &Stage) -> Result<()> {
    let entries: Vec<String> = built
        .files
        .par_iter()
        .map(|(rel, content)| {
            let (len, hash) = match content {
                Content::Bytes(b) => stage.write_file(rel, b)?,
                Content::Copy(src) => stage.write_file(rel, &fsx::read(src)?)?,
                Content::Written { len, hash } => (*len, hash.clone()),
            };
            Ok(format!("{len}\t{hash}\t{rel}\n"))
        })
        .collect::<Result<_>>()?;
    let mut marker = String::from(MARKER_HEADER);
    marker.push_str(MARKER_VERSION);
    entries.iter().for_each(|e| marker.push_str(e));
    fsx::write(&stage.tmp.join(MARKER), marker.as_bytes())
}

/// Puts `tmp` in the place of `out`; the previous site, if any, is removed after.
fn swap(tmp: &Path, out: &Path) -> Result<()> {
    if !out.exists() {
        return fsx::rename(tmp, out);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        // One step: at no moment is there no OUT. After it, `tmp` holds the old site.
        if renameat_with(CWD, tmp, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            return fsx::remove_dir_all(tmp);
        }
    }
    let old = tmp.with_file_name(
        tmp.file_name()
            .map(|n| n.to_string_lossy().replace("-new-", "-old-"))
            .unwrap_or_default(),
    );
    fsx::rename(out, &old)?;
    if let Err(e) = fsx::rename(tmp, out) {
        // Put the previous site back before reporting.
        let _ = fsx::rename(&old, out);
        return Err(e);
    }
    fsx::remove_dir_all(&old)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::site;
    use std::collections::BTreeMap;

    fn built(files: &[(&str, &str)]) -> Built {
        let files: BTreeMap<String, Content> = files
            .iter()
            .map(|(rel, text)| (rel.to_string(), Content::Bytes(text.as_bytes().into())))
            .collect();
        Built {
            files,
            ..Built::default()
        }
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fsx::read_dir_names(dir)
            .unwrap()
            .into_iter()
            .filter(|n| n.contains("studysite-new") || n.contains("studysite-old"))
            .collect()
    }

    #[test]
    fn writes_then_replaces_the_whole_site() {
        let (dir, config) = site(&[("a.md", "a")]);
        write(&built(&[("index.html", "one"), ("old.html", "x")]), &config).unwrap();
        let out = dir.path().join("public");
        assert!(out.join(MARKER).is_file());
        write(&built(&[("index.html", "two")]), &config).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("old.html").exists());
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_stage_takes_pages_as_they_come_and_a_dropped_one_changes_nothing() {
        let (dir, config) = site(&[("a.md", "a")]);
        let out = dir.path().join("public");
        write(&built(&[("index.html", "one")]), &config).unwrap();
        // A failed build: its pages were staged, OUT is as it was and the stage is gone.
        let stage = Stage::open(&config).unwrap();
        stage.put("index.html", b"half").unwrap();
        stage.put("sub/b.html", b"half").unwrap();
        drop(stage);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );
        assert!(!out.join("sub").exists());
        assert!(leftovers(dir.path()).is_empty());
        // A build that ends well: what was put and what was held both land, in the marker too.
        let stage = Stage::open(&config).unwrap();
        let mut site = built(&[("static/x.css", "css")]);
        for (rel, text) in [("index.html", "one"), ("sub/b.html", "two")] {
            let content = stage.put(rel, text.as_bytes()).unwrap();
            assert!(matches!(content, Content::Written { len: 3, .. }));
            site.files.insert(rel.to_string(), content);
        }
        stage.commit(&site).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("sub/b.html")).unwrap(),
            "two"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("static/x.css")).unwrap(),
            "css"
        );
        let marker = std::fs::read_to_string(out.join(MARKER)).unwrap();
        assert!(marker.contains("\tsub/b.html\n"), "{marker}");
        assert!(leftovers(dir.path()).is_empty());
        // And the next build reads that marker as its own.
        write(&built(&[("index.html", "three")]), &config).unwrap();
        assert!(!out.join("sub").exists());
    }

    #[test]
    fn refuses_the_notes_folder_and_a_folder_it_did_not_write() {
        let (dir, mut config) = site(&[("a.md", "a")]);
        std::fs::create_dir_all(dir.path().join("public")).unwrap();
        std::fs::write(dir.path().join("public/mine.txt"), "mine").unwrap();
        let err = write(&built(&[("index.html", "x")]), &config).unwrap_err();
        assert!(
            err.to_string()
                .contains("mine.txt (not written by studysite)"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("public/mine.txt")).unwrap(),
            "mine"
        );
        config.out_dir = config.notes_dir.clone();
        let err = write(&built(&[("index.html", "x")]), &config).unwrap_err();
        assert!(err.to_string().contains("holds your notes"), "{err}");
        config.out_dir = config.notes_dir.join("sub");
        let err = write(&built(&[("index.html", "x")]), &config).unwrap_err();
        assert!(err.to_string().contains("inside the notes folder"), "{err}");
    }

    #[test]
    fn a_file_added_or_edited_after_the_build_stops_the_next() {
        let (dir, config) = site(&[("a.md", "a")]);
        let out = dir.path().join("public");
        write(&built(&[("index.html", "one"), ("a.html", "aaa")]), &config).unwrap();
        // Same length, old time: only the content tells.
        let page = out.join("a.html");
        let time = std::fs::metadata(&page).unwrap().modified().unwrap();
        std::fs::write(&page, "bbb").unwrap();
        File::options()
            .write(true)
            .open(&page)
            .unwrap()
            .set_modified(time)
            .unwrap();
        std::fs::write(out.join("CNAME"), "notes.example.org").unwrap();
        let err = write(&built(&[("index.html", "two")]), &config)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("public/a.html (changed since studysite wrote it)"),
            "{err}"
        );
        assert!(
            err.contains("public/CNAME (not written by studysite)"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&page).unwrap(), "bbb");
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );
    }

    #[test]
    fn at_most_ten_files_are_named() {
        let (dir, config) = site(&[("a.md", "a")]);
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join(".git")).unwrap();
        for i in 0..25 {
            std::fs::write(out.join(format!(".git/f{i:02}")), "x").unwrap();
        }
        let err = write(&built(&[("index.html", "x")]), &config)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err.matches("(not written by studysite)").count(),
            LISTED,
            "{err}"
        );
        assert!(err.contains("... and 15 more"), "{err}");
    }

    #[test]
    fn a_dead_build_leaves_nothing_after_the_next() {
        let (dir, config) = site(&[("a.md", "a")]);
        write(&built(&[("index.html", "one")]), &config).unwrap();
        let dead = dir.path().join(".public.studysite-new-999999");
        std::fs::create_dir_all(dead.join("sub")).unwrap();
        std::fs::write(dead.join("sub/x.html"), "half").unwrap();
        write(&built(&[("index.html", "two")]), &config).unwrap();
        assert!(
            leftovers(dir.path()).is_empty(),
            "{:?}",
            leftovers(dir.path())
        );
    }

    #[test]
    #[cfg(unix)]
    fn unchanged_files_are_linked_not_written() {
        use std::os::unix::fs::MetadataExt;
        let (dir, config) = site(&[("a.md", "a")]);
        let out = dir.path().join("public");
        let inode = |f: &str| std::fs::metadata(out.join(f)).unwrap().ino();
        write(
            &built(&[("same.html", "same"), ("other.html", "1")]),
            &config,
        )
        .unwrap();
        let (same, other) = (inode("same.html"), inode("other.html"));
        write(
            &built(&[("same.html", "same"), ("other.html", "2")]),
            &config,
        )
        .unwrap();
        assert_eq!(
            inode("same.html"),
            same,
            "the unchanged file is the same file"
        );
        assert_ne!(inode("other.html"), other);
        assert_eq!(
            std::fs::read_to_string(out.join("other.html")).unwrap(),
            "2"
        );
    }
}
