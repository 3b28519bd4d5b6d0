//! Helpers for the unit tests: reading `../shared` (the seed, the spec examples, the corpora).

use std::path::PathBuf;

/// `../shared/REL`, when it is there. When it is not, the test skips with a notice, or fails
/// when `STUDYSITE_REQUIRE_SHARED=1` (as in CI), so a missing checkout never passes quietly.
pub(crate) fn shared(rel: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    if path.exists() {
        return Some(path);
    }
    let required = std::env::var("STUDYSITE_REQUIRE_SHARED").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "`{}` is missing and STUDYSITE_REQUIRE_SHARED=1",
        path.display()
    );
    eprintln!("notice: `{}` is missing; test skipped", path.display());
    None
}

/// The text of `../shared/REL` (see [`shared`]).
pub(crate) fn shared_text(rel: &str) -> Option<String> {
    let path = shared(rel)?;
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// A config for an empty site folder: every default.
pub(crate) fn config() -> crate::config::Config {
    static EMPTY: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = EMPTY.get_or_init(|| tempfile::tempdir().unwrap());
    crate::config::Config::load(&crate::config::BuildOptions {
        path: dir.path().to_path_buf(),
        ..Default::default()
    })
    .unwrap()
}

/// A site folder of its own, `notes/` holding `files` (path, text); returns it with its config.
pub(crate) fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, crate::config::Config) {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = dir.path().join("notes").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let config = crate::config::Config::load(&crate::config::BuildOptions {
        path: dir.path().to_path_buf(),
        ..Default::default()
    })
    .unwrap();
    (dir, config)
}

/// The index of a site of `files` (see [`site`]), with the diagnostics found on the way.
pub(crate) fn index(
    files: &[(&str, &str)],
) -> (
    tempfile::TempDir,
    crate::config::Config,
    crate::index::Index,
    Vec<crate::diagnostic::Diagnostic>,
) {
    let (dir, config) = site(files);
    let mut diags = Vec::new();
    let sources = crate::discover::discover(&config, &mut diags).unwrap();
    let pages = sources
        .iter()
        .filter(|s| s.kind == crate::discover::Kind::Note)
        .filter_map(|s| {
            let bytes = std::fs::read(&s.path).unwrap();
            crate::page::Page::parse(&config, s.rel.clone(), s.rel.clone().into(), bytes, None)
                .unwrap()
        })
        .collect();
    let index = crate::index::Index::build(&config, pages, &sources, &mut diags);
    (dir, config, index, diags)
}
