//! The server's request path resolution: never a file outside the site. The input is the
//! `base_url` on its first line, then the request target.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| studysite::fuzzing::route(data));
