//! The integration tests, in one binary so that cargo links once: a module
//! per area. Each builds small fixture sites in temporary directories
//! (`common`, from `tests/fixtures/site/`) or the shipped chronicle, and
//! asserts on the pages, the diagnostics and the files written.
//!
//! `cargo test` runs them all; `cargo test --test it hostile::` runs one
//! module. The browser test is not here: it needs Chromium and npm packages
//! (`tests/browser.rs`, README "Tests that need more").

mod common;

mod build;
mod cli;
mod editorial;
mod export;
mod feeds;
mod fuzz;
mod head;
mod hostile;
mod import;
mod import_html;
mod incremental;
mod jsonld;
mod pages;
mod publishing;
mod safety;
mod scaffold;
mod search;
mod serve;
mod shipped;
mod texts;
mod timeline;
