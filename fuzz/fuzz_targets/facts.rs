//! Scenario, comparison, callout and question extraction: a note parsed and outlined.
#![no_main]

use libfuzzer_sys::fuzz_target;
use studysite::fuzzing::Site;

thread_local! {
    static SITE: (tempfile::TempDir, Site) = {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let site = Site::new(dir.path());
        (dir, site)
    };
}

fuzz_target!(|data: &[u8]| {
    SITE.with(|(_, site)| site.outline_note(data));
});
