//! Every filesystem call goes through here, so each error names the path it was about.

use anyhow::{Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

pub(crate) fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))
}

pub(crate) fn read_to_string(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("failed to read `{}`", path.display()))
}

pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    fs::write(path, bytes).with_context(|| format!("failed to write `{}`", path.display()))
}

/// A second name for an existing file (no error context: callers fall back to writing).
pub(crate) fn hard_link(existing: &Path, new: &Path) -> std::io::Result<()> {
    if let Some(parent) = new.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::hard_link(existing, new)
}

pub(crate) fn create_dir_all(path: &Path) -> Result<()> {
    fs::create_dir_all(path).with_context(|| format!("failed to create `{}`", path.display()))
}

pub(crate) fn remove_dir_all(path: &Path) -> Result<()> {
    fs::remove_dir_all(path).with_context(|| format!("failed to remove `{}`", path.display()))
}

pub(crate) fn remove_file(path: &Path) -> Result<()> {
    fs::remove_file(path).with_context(|| format!("failed to remove `{}`", path.display()))
}

pub(crate) fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to)
        .with_context(|| format!("failed to move `{}` to `{}`", from.display(), to.display()))
}

/// Does the file begin with one of `prefixes`? (Reads only that far; `false` when it cannot
/// be read.)
pub(crate) fn starts_with(path: &Path, prefixes: &[&[u8]]) -> bool {
    use std::io::Read;
    let longest = prefixes.iter().map(|p| p.len()).max().unwrap_or(0);
    let mut head = vec![0u8; longest];
    let n = fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    prefixes.iter().any(|p| head[..n].starts_with(p))
}

/// Did this error come from a file that is not there?
pub(crate) fn is_not_found(e: &anyhow::Error) -> bool {
    e.root_cause()
        .downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
}

/// A relative path as the site names it: `/`-separated, whatever the platform.
pub(crate) fn rel_string(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub(crate) fn read_dir_names(path: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in
        fs::read_dir(path).with_context(|| format!("failed to list `{}`", path.display()))?
    {
        let entry = entry.with_context(|| format!("failed to list `{}`", path.display()))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(names)
}

/// The canonical form of a path that may not exist yet (its parent is canonicalised).
pub(crate) fn canonical(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => canonical(parent).join(name),
        _ => abs,
    }
}
