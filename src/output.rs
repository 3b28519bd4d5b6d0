//! Writes a built site: into a fresh folder beside OUT, then swapped in, so a failed build
//! leaves the previous site as it was and nothing of the user's is ever overwritten.

use crate::config::Config;
use crate::discover::canonical;
use crate::fsx;
use crate::site::{Built, Content};
use anyhow::{bail, Result};
use rayon::prelude::*;
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
    let result = write_all(built, &tmp).and_then(|()| swap(&tmp, &out, &parent, &name));
    if result.is_err() && tmp.exists() {
        let _ = fsx::remove_dir_all(&tmp);
    }
    result
}

fn write_all(built: &Built, dir: &Path) -> Result<()> {
    fsx::create_dir_all(dir)?;
    built.files.par_iter().try_for_each(|(rel, content)| {
        let path = dir.join(rel);
        match content {
            Content::Bytes(b) => fsx::write(&path, b),
            Content::Copy(src) => fsx::copy(src, &path),
        }
    })?;
    fsx::write(
        &dir.join(MARKER),
        b"This folder is written by studysite and replaced on every build.\n",
    )
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
