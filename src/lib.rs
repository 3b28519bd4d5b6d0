//! studysite: a static site generator for study notes.
//!
//! The pipeline, sequenced in one place ([`site::build`]):
//!
//! ```text
//! discover -> page (read, parse, outline each note) -> index (URLs, titles, ids, order)
//!   -> crossref (terms, scenarios: the study web) -> markdown::render (each note, in parallel)
//!   -> render (tera pages, study pages, assets) -> publish (sitemap, robots) -> search
//!   -> output::write (or serve, from memory)
//! ```
//!
//! `init` writes a new site from the scaffold compiled in; it stands apart from the pipeline.
//!
//! Modules depend downwards only (`tests/layering.rs` checks it):
//! `check | output | serve -> site -> render -> crossref -> index -> page -> note ->
//! markdown -> config -> project -> url, content, fsx, slug, diagnostic, source_map`.

pub mod check;
pub mod config;
pub mod content;
pub(crate) mod crossref;
pub mod diagnostic;
pub(crate) mod discover;
pub(crate) mod fsx;
/// For the fuzz targets in `fuzz/` and their regression tests only.
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod index;
pub mod init;
pub mod markdown;
pub(crate) mod note;
pub mod output;
pub(crate) mod page;
pub mod project;
pub mod publish;
pub(crate) mod render;
pub(crate) mod search;
pub mod serve;
pub mod site;
pub(crate) mod slug;
pub(crate) mod source_map;
pub(crate) mod store;
#[cfg(test)]
pub(crate) mod testing;
pub(crate) mod url;
pub(crate) mod words;

pub use config::{BuildOptions, Config};
pub use content::{Built, Content, Sink};
pub use diagnostic::Report;
pub use site::{add_search, build, build_into, build_pages, build_with, Cache};
