//! Front matter: YAML, TOML, or none, with and without a Jekyll site's Liquid variables.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| studysite::fuzzing::front_matter(data));
