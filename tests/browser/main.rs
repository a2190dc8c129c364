//! Tests that need more than the Rust toolchain, outside `cargo test`:
//!
//! - `chromium`: the shipped chronicle in headless Chromium (console
//!   errors, failed requests, axe-core), through `run.mjs`;
//! - `search_js`: the theme's search.js under Node, against built indexes.
//!
//! They need Chromium, Node.js 20 or later and the npm packages of
//! `package-lock.json`, which `tests/browser/setup.sh` installs. Run them
//! with
//!
//! ```sh
//! tests/browser/setup.sh
//! cargo test --features browser-tests --test browser
//! ```
//!
//! (`.ci/run` does both, after `cargo test`.)

#[path = "../it/common.rs"]
mod common;

mod chromium;
mod search_js;
