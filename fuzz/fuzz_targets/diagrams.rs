//! The un-fenced diagram detector and the fencing of what it finds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| studysite::fuzzing::diagrams(data));
