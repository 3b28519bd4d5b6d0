//! One note through every dialect, adapter and template: a whole build of a one-note site,
//! rebuilt for each input as `serve` rebuilds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::cell::RefCell;
use studysite::fuzzing::Site;

thread_local! {
    static SITE: RefCell<(tempfile::TempDir, Site)> = RefCell::new({
        let dir = tempfile::tempdir().expect("a temporary folder");
        let site = Site::new(dir.path());
        (dir, site)
    });
}

fuzz_target!(|data: &[u8]| {
    SITE.with_borrow_mut(|(_, site)| site.build_note(data));
});
