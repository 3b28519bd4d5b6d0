//! What the integration tests need from outside the repository: `../shared` (the corpora and
//! spec examples) and node. Missing, a test skips with a notice; with
//! `STUDYSITE_REQUIRE_SHARED=1` (as in CI) it fails instead, so nothing passes by skipping.

use std::path::PathBuf;
use std::process::Command;

fn required() -> bool {
    std::env::var("STUDYSITE_REQUIRE_SHARED").is_ok_and(|v| v == "1")
}

fn missing(what: &str) {
    assert!(
        !required(),
        "{what} is missing and STUDYSITE_REQUIRE_SHARED=1"
    );
    eprintln!("notice: {what} is missing; test skipped");
}

/// `../shared/REL`, when it is there.
#[allow(dead_code)]
pub fn shared(rel: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    if path.exists() {
        Some(path)
    } else {
        missing(&format!("`{}`", path.display()));
        None
    }
}

/// Is node on the PATH?
#[allow(dead_code)]
pub fn node() -> bool {
    let found = Command::new("node").arg("--version").output().is_ok();
    if !found {
        missing("node");
    }
    found
}
