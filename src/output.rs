//! Writes a built site: into a fresh folder beside OUT, then swapped in, so a failed build
//! leaves the previous site as it was and nothing of the user's is ever overwritten.

use crate::config::Config;
use crate::content::{hash_of, Built, Content};
use crate::discover::canonical;
use crate::fsx;
use anyhow::{bail, Result};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Marks a folder as written by studysite; a folder without it is never replaced.
pub(crate) const MARKER: &str = ".studysite-output";

/// Refuses an OUT that is the notes folder or holds it, or that holds files studysite did
/// not write.
pub fn check_out_dir(config: &Config) -> Result<()> {
    let out = canonical(&config.out_dir);
    let notes = canonical(&config.notes_dir);
    let root = canonical(&config.root);
    if out == notes || notes.starts_with(&out) || out == root {
        bail!(
            "refusing to write the site to `{}`: it holds your notes; choose another output folder with -o",
            config.out_dir.display()
        );
    }
    if out.exists() {
        if !out.is_dir() {
            bail!(
                "refusing to replace `{}`: it is a file, not a folder",
                config.out_dir.display()
            );
        }
        let names = fsx::read_dir_names(&out)?;
        if !names.is_empty() && !out.join(MARKER).is_file() {
            bail!(
                "refusing to replace `{}`: it holds files studysite did not write (no `{MARKER}` marker); move them away or choose another folder with -o",
                config.out_dir.display()
            );
        }
    }
    Ok(())
}

/// Writes every file of `built` to OUT, atomically replacing what was there.
pub fn write(built: &Built, config: &Config) -> Result<()> {
    check_out_dir(config)?;
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
    let tmp = parent.join(format!(".{name}.studysite-new-{}", std::process::id()));
    if tmp.exists() {
        fsx::remove_dir_all(&tmp)?;
    }
    let previous = Manifest::read(&out);
    let result =
        write_all(built, &tmp, &out, &previous).and_then(|()| swap(&tmp, &out, &parent, &name));
    if result.is_err() && tmp.exists() {
        let _ = fsx::remove_dir_all(&tmp);
    }
    result
}

/// What the previous build wrote: each file's length and hash, kept in the marker file,
/// which is written last. A file whose bytes are unchanged, and which nobody touched after
/// the marker was written, is hard-linked from the previous output instead of written
/// again, which spares the filesystem a new inode per file on every rebuild.
#[derive(Default)]
struct Manifest {
    files: HashMap<String, (usize, u64)>,
    written: u128,
}

/// Modification time in nanoseconds, 0 when unknown.
fn mtime(path: &Path) -> u128 {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

const MARKER_HEADER: &str = "This folder is written by studysite and replaced on every build.\n";

impl Manifest {
    fn read(out: &Path) -> Manifest {
        let marker = out.join(MARKER);
        let Ok(text) = std::fs::read_to_string(&marker) else {
            return Manifest::default();
        };
        let files = text
            .lines()
            .filter_map(|line| {
                let mut parts = line.splitn(3, '\t');
                let len = parts.next()?.parse().ok()?;
                let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
                Some((parts.next()?.to_string(), (len, hash)))
            })
            .collect();
        Manifest {
            files,
            written: mtime(&marker),
        }
    }
}

fn write_all(built: &Built, dir: &Path, previous_dir: &Path, previous: &Manifest) -> Result<()> {
    fsx::create_dir_all(dir)?;
    let entries: Vec<String> = built
        .files
        .par_iter()
        .map(|(rel, content)| {
            let path = dir.join(rel);
            match content {
                Content::Bytes(b) => {
                    let (len, hash) = (b.len(), hash_of(b));
                    let old = previous_dir.join(rel);
                    let same = previous.files.get(rel) == Some(&(len, hash)) && {
                        let t = mtime(&old);
                        t != 0 && t <= previous.written
                    };
                    if !(same && fsx::hard_link(&old, &path).is_ok()) {
                        fsx::write(&path, b)?;
                    }
                    Ok(format!("{len}\t{hash:x}\t{rel}\n"))
                }
                Content::Copy(src) => fsx::copy(src, &path).map(|()| String::new()),
            }
        })
        .collect::<Result<_>>()?;
    let mut marker = String::from(MARKER_HEADER);
    entries.iter().for_each(|e| marker.push_str(e));
    fsx::write(&dir.join(MARKER), marker.as_bytes())
}

fn swap(tmp: &Path, out: &Path, parent: &Path, name: &str) -> Result<()> {
    if !out.exists() {
        return fsx::rename(tmp, out);
    }
    let old = parent.join(format!(".{name}.studysite-old-{}", std::process::id()));
    if old.exists() {
        fsx::remove_dir_all(&old)?;
    }
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
        let leftovers: Vec<String> = fsx::read_dir_names(dir.path())
            .unwrap()
            .into_iter()
            .filter(|n| n.contains("studysite"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn refuses_the_notes_folder_and_a_folder_it_did_not_write() {
        let (dir, mut config) = site(&[("a.md", "a")]);
        std::fs::create_dir_all(dir.path().join("public")).unwrap();
        std::fs::write(dir.path().join("public/mine.txt"), "mine").unwrap();
        let err = write(&built(&[("index.html", "x")]), &config).unwrap_err();
        assert!(err.to_string().contains("did not write"), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("public/mine.txt")).unwrap(),
            "mine"
        );
        config.out_dir = config.notes_dir.clone();
        let err = write(&built(&[("index.html", "x")]), &config).unwrap_err();
        assert!(err.to_string().contains("holds your notes"), "{err}");
    }
}
