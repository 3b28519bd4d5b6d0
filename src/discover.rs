//! Finds the notes and the files copied beside them, in a stable order.

use crate::config::Config;
use crate::content::{HOST_FILES, MARKER};
use crate::diagnostic::Diagnostic;
use crate::fsx::canonical;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use walkdir::WalkDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Note,
    Asset,
}

/// One file under the notes folder.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    pub(crate) path: PathBuf,
    /// Relative to the notes folder, with `/` separators.
    pub(crate) rel: String,
    pub(crate) kind: Kind,
    /// Modification time and size, when the file system gives them: a rebuild need not read
    /// a note whose stamp has not moved (see `site::parse_notes`).
    pub(crate) stamp: Option<(SystemTime, u64)>,
}

/// Every note and copied file under `config.notes_dir`, sorted by path. Skips dot-files and
/// dot-folders (`.obsidian/`, `.trash/`, `.git/`), the output folder, and, when the notes are
/// the site folder itself, the site's own `templates/`, `static/` and `studysite.toml`, and
/// an mdBook's `SUMMARY.md`.
///
/// A folder that cannot be read, or a symlink back to a folder above it (a loop), is left
/// out with a warning: one odd corner of a vault does not stop the site.
pub(crate) fn discover(
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> anyhow::Result<Vec<SourceFile>> {
    let notes = &config.notes_dir;
    let out = canonical(&config.out_dir);
    let root = canonical(&config.root);
    let site_is_notes = canonical(notes) == root;
    let mut files = Vec::new();
    let mut templates = Vec::new();
    // Symlinks out of the site folder, skipped: (the link, where it leads).
    let outside = std::cell::RefCell::new(Vec::new());
    let jekyll = config
        .project
        .as_ref()
        .filter(|p| p.kind == crate::project::Kind::Jekyll);
    let excluded = jekyll.map(|p| exclusions(&p.exclude));
    let walker = WalkDir::new(notes)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            let host_file = e.depth() == 1 && HOST_FILES.contains(&&*name);
            if name.starts_with('.') && !host_file {
                return false;
            }
            if e.path_is_symlink() && !config.follow_links {
                let target = canonical(e.path());
                if !target.starts_with(&root) {
                    outside.borrow_mut().push((e.path().to_path_buf(), target));
                    return false;
                }
            }
            // An output folder (this build's, or one an earlier build wrote with -o) is
            // never read as notes.
            if e.file_type().is_dir()
                && (canonical(e.path()) == out || e.path().join(MARKER).is_file())
            {
                return false;
            }
            if let Some(excluded) = &excluded {
                // Jekyll reads nothing whose name starts with `_` (its layouts, includes,
                // config, built `_site/`), nor what `exclude` lists.
                let rel = crate::fsx::rel_string(e.path().strip_prefix(notes).unwrap_or(e.path()));
                if name.starts_with('_') || excluded.is_match(&rel) {
                    return false;
                }
            }
            let book =
                config.project.as_ref().map(|p| p.kind) == Some(crate::project::Kind::MdBook);
            if e.depth() == 1 && book && name == crate::project::SUMMARY {
                // An mdBook's table of contents: it orders the pages, it is not one.
                return false;
            }
            !(site_is_notes
                && e.depth() == 1
                && matches!(&*name, "templates" | "static" | "studysite.toml"))
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) if e.depth() == 0 => {
                anyhow::bail!("failed to read the notes folder `{}`: {e}", notes.display())
            }
            Err(e) => {
                let path = e.path().unwrap_or(notes);
                let help = if e.loop_ancestor().is_some() {
                    "a symlink to a folder above it would repeat the notes forever; it is skipped"
                } else {
                    "check its permissions; it is skipped"
                };
                diags.push(
                    Diagnostic::warning(&config.display_path(path), 0, 0, format!("{e}"))
                        .with_help(help),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path().to_path_buf();
        let rel = crate::fsx::rel_string(path.strip_prefix(notes).unwrap_or(&path));
        let kind = if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        {
            Kind::Note
        } else {
            Kind::Asset
        };
        if jekyll.is_some()
            && kind == Kind::Asset
            && crate::fsx::starts_with(&path, &[b"---\n", b"---\r\n"])
        {
            // A Jekyll page or template (HTML with Liquid in a layout): not content as it is.
            templates.push(config.display_path(&path).display().to_string());
            continue;
        }
        let stamp = entry
            .metadata()
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len())));
        files.push(SourceFile {
            path,
            rel,
            kind,
            stamp,
        });
    }
    for (link, target) in outside.into_inner() {
        diags.push(
            Diagnostic::warning(
                &config.display_path(&link),
                0,
                0,
                format!(
                    "symlink to `{}`, outside the site folder: skipped",
                    target.display()
                ),
            )
            .with_help("set `follow_links = true` in studysite.toml to publish what it points to")
            .with_lint(crate::diagnostic::Lint::Symlink),
        );
    }
    if let Some(first) = templates.first() {
        diags.push(
            Diagnostic::note(
                &config.display_path(&config.root.join("_config.yml")),
                format!(
                    "{} Jekyll page(s) with front matter that are not markdown are not copied: {}",
                    templates.len(),
                    templates.join(", ")
                ),
            )
            .with_help(format!("their Liquid and layouts are Jekyll's; write `{first}` as a markdown note to have it on the site")),
        );
    }
    Ok(one_per_name(config, files, diags))
}

/// Jekyll's `exclude` patterns (and the names it never reads), as globs over paths from the
/// site folder: `vendor` excludes the folder and all in it.
fn exclusions(patterns: &[String]) -> globset::GlobSet {
    let mut set = globset::GlobSetBuilder::new();
    for p in patterns {
        let p = p.trim().trim_start_matches("./").trim_matches('/');
        for glob in [p.to_string(), format!("{p}/**")] {
            if let Ok(g) = globset::Glob::new(&glob) {
                set.add(g);
            }
        }
    }
    set.build().unwrap_or_else(|_| globset::GlobSet::empty())
}

/// Files whose names are not UTF-8 are named with their invalid bytes replaced, so two can
/// come out the same; both are named in an error and neither is used.
fn one_per_name(
    config: &Config,
    files: Vec<SourceFile>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<SourceFile> {
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    let mut clash: HashSet<String> = HashSet::new();
    for f in &files {
        if let Some(first) = seen.insert(&f.rel, &f.path) {
            clash.insert(f.rel.clone());
            diags.push(
                Diagnostic::error(
                    &config.display_path(first),
                    0,
                    0,
                    format!(
                        "`{}` and `{}` have one name once their bytes that are not UTF-8 are replaced: `{}`",
                        first.display(),
                        f.path.display(),
                        f.rel
                    ),
                )
                .with_help("rename them with UTF-8 names"),
            );
        }
    }
    files
        .into_iter()
        .filter(|f| !clash.contains(&f.rel))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::site;

    fn rels(config: &Config) -> Vec<(String, Kind)> {
        let mut diags = Vec::new();
        let found = discover(config, &mut diags).unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        found.into_iter().map(|s| (s.rel, s.kind)).collect()
    }

    #[test]
    fn notes_and_files_sorted_dot_entries_skipped() {
        let (_dir, config) = site(&[
            ("b.md", "b"),
            ("a/z.png", "png"),
            ("a/y.MD", "y"),
            (".obsidian/app.json", "{}"),
            ("a/.hidden.md", "h"),
        ]);
        assert_eq!(
            rels(&config),
            [
                ("a/y.MD".to_string(), Kind::Note),
                ("a/z.png".to_string(), Kind::Asset),
                ("b.md".to_string(), Kind::Note)
            ]
        );
    }

    #[test]
    fn a_site_that_is_its_notes_folder_keeps_its_theme_out() {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in [
            ("a.md", "a"),
            ("templates/page.html", "x"),
            ("static/s.css", "x"),
            ("studysite.toml", ""),
        ] {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let config = Config::load(&crate::config::BuildOptions {
            path: dir.path().to_path_buf(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(rels(&config), [("a.md".to_string(), Kind::Note)]);
    }
}
