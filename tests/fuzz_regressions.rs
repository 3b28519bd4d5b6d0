//! The inputs the fuzz targets (`fuzz/`) found a crash or a hang with, kept in
//! `tests/fuzz_inputs/<target>/` and replayed through the function the target runs, which
//! checks what must hold of the output (a build that succeeds, positions inside the note,
//! ids given once, no path outside the site); each is also built as a note.

use std::path::PathBuf;
use studysite::fuzzing;

/// Every input kept for `target`, by file name; there must be some.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_inputs")
        .join(target);
    let mut found: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no inputs in {}", dir.display());
    found
}

/// Runs `check` on each input of `target`, naming the input that fails.
fn replay(target: &str, mut check: impl FnMut(&[u8])) {
    for (name, bytes) in inputs(target) {
        eprintln!("{target}/{name}");
        check(&bytes);
    }
}

#[test]
fn diagrams() {
    replay("diagrams", fuzzing::diagrams);
}

/// Every kept input, whichever target found it, is also a note that builds.
#[test]
fn every_input_builds_as_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let mut site = fuzzing::Site::new(dir.path());
    let kept = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_inputs");
    let mut targets: Vec<String> = std::fs::read_dir(&kept)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    targets.sort();
    assert!(!targets.is_empty(), "nothing in {}", kept.display());
    for target in targets {
        replay(&target, |bytes| site.build_note(bytes));
    }
}
