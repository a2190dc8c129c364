//! Embeds the default theme's files in the binary, so that `chronicle init`
//! can write a new site without the repository (src/scaffold.rs).
//!
//! Writes `$OUT_DIR/default_theme.rs`: a slice of (path below
//! themes/default/, contents) pairs, each an `include_bytes!`, sorted by path.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let theme = manifest.join("themes").join("default");
    // A directory: cargo reruns this script when anything below it changes,
    // including a file added or removed.
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=build.rs");
    let mut files = Vec::new();
    collect(&theme, &theme, &mut files);
    files.sort();
    let mut out = String::from("&[\n");
    for (rel, path) in &files {
        let _ = writeln!(
            out,
            "    ({rel:?}, include_bytes!({:?}) as &[u8]),",
            path.to_string_lossy()
        );
    }
    out.push_str("]\n");
    let dest =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo")).join("default_theme.rs");
    std::fs::write(dest, out).expect("cannot write default_theme.rs");
}

/// Every file below `dir` (hidden ones left out), with its path below
/// `base` written with `/`.
fn collect(base: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(base, &path, files);
        } else if path.is_file() {
            let rel = path.strip_prefix(base).expect("below the theme");
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.push((rel.join("/"), path));
        }
    }
}
