//! studysite: a static site generator for study notes.
//!
//! The pipeline is `discover -> Note::parse -> Index::build -> markdown::render -> render ->
//! output::write`, sequenced in one place, [`site::build`].

pub mod check;
pub mod config;
pub(crate) mod crossref;
pub mod diagnostic;
pub(crate) mod discover;
pub(crate) mod fsx;
pub(crate) mod index;
pub mod markdown;
pub(crate) mod note;
pub mod output;
pub mod project;
pub mod publish;
pub(crate) mod render;
pub(crate) mod search;
pub mod serve;
pub mod site;
pub(crate) mod slug;
pub(crate) mod source_map;

pub use config::{BuildOptions, Config};
pub use site::{add_search, build, build_pages, build_with, Built, Cache, Content, Report};
