//! `studysite init`: a new site that shows every feature, from the scaffold compiled in
//! (`scaffold/`): notes with a box diagram, a scenario table, tips, an ELI5, a trap,
//! practice questions, cloze cards and a Mermaid diagram, and a `studysite.toml` that lists
//! every option with a comment.

use crate::fsx;
use anyhow::{bail, Result};
use include_dir::{include_dir, Dir};
use std::path::{Path, PathBuf};

static SCAFFOLD: Dir = include_dir!("$CARGO_MANIFEST_DIR/scaffold");

/// Writes the scaffold into `dir` (made if missing), which must not hold a site already;
/// returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    let taken: Vec<&str> = ["studysite.toml", "notes"]
        .into_iter()
        .filter(|name| dir.join(name).exists())
        .collect();
    if !taken.is_empty() {
        bail!(
            "`{}` already holds {}; init writes only into a folder without them",
            dir.display(),
            taken
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        );
    }
    let mut written = Vec::new();
    let mut stack = vec![&SCAFFOLD];
    while let Some(d) = stack.pop() {
        for f in d.files() {
            let path = dir.join(f.path());
            fsx::write(&path, f.contents())?;
            written.push(path);
        }
        stack.extend(d.dirs());
    }
    written.sort();
    Ok(written)
}
