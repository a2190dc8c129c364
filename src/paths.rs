//! Paths on disk: resolving them through symbolic links, and the rule that a
//! site's files come from inside its root.
//!
//! A symbolic link inside the site that leads out of it (an article linked
//! to `/etc/passwd`, a `static/` entry linked to a home directory) would
//! publish whatever it points to. Such a link is an error naming it, unless
//! `site.toml` says `follow_outside_links = true`. Links that stay inside the
//! site are followed as usual.

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;

/// `path` made absolute and resolved through every symbolic link of the part
/// that exists; the rest (not yet created) is appended with `.` and `..`
/// worked out by hand, which is exact there since it holds no link.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // The longest existing prefix, resolved; then the remaining components.
    let components: Vec<Component> = absolute.components().collect();
    for split in (1..=components.len()).rev() {
        let prefix: PathBuf = components[..split].iter().collect();
        if let Ok(real) = std::fs::canonicalize(&prefix) {
            let mut out = real;
            for component in &components[split..] {
                match component {
                    Component::CurDir => {}
                    Component::ParentDir => {
                        out.pop();
                    }
                    other => out.push(other.as_os_str()),
                }
            }
            return out;
        }
    }
    crate::config::normalize(&absolute)
}

/// Where a site's files may come from: below its root, unless the site
/// allows links out of it.
#[derive(Debug, Clone)]
pub struct Inside {
    /// The site root, resolved through links.
    root: PathBuf,
    /// The root as given, to show paths relative to it.
    given: PathBuf,
    follow_outside: bool,
}

impl Inside {
    /// The rule for the site at `root`; `follow_outside` is site.toml's
    /// `follow_outside_links`.
    pub fn new(root: &Path, follow_outside: bool) -> Inside {
        Inside {
            root: resolve(root),
            given: root.to_path_buf(),
            follow_outside,
        }
    }

    /// The site root, resolved through links.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Checks the file or directory at `path` (below the given root): an
    /// error naming it when it resolves outside the site, and outside links
    /// are not allowed. A path that does not exist passes.
    pub fn check(&self, path: &Path) -> Result<(), Box<Diagnostic>> {
        if self.follow_outside {
            return Ok(());
        }
        let Ok(target) = std::fs::canonicalize(path) else {
            return Ok(());
        };
        if target.starts_with(&self.root) {
            return Ok(());
        }
        let shown = path.strip_prefix(&self.given).unwrap_or(path);
        Err(Box::new(
            Diagnostic::error(
                Code::LinkOutsideSite,
                format!(
                    "`{}` leads out of the site, to `{}`",
                    shown.display(),
                    target.display()
                ),
            )
            .in_file(shown)
            .with_hint(
                "a site's content, templates and static files come from inside its directory: \
                 copy the file in, or remove the link",
            )
            .with_hint(
                "to publish what links outside the site point to, set `follow_outside_links = true` in site.toml",
            ),
        ))
    }

    /// Every file below `dir`, in name order, as (path, path relative to
    /// `dir`). Links are followed where [`Inside::check`]
    /// allows; a link that leads out, a loop or an unreadable directory is
    /// reported in `problems` and passed over. A missing `dir` has no files.
    pub fn files_under(
        &self,
        dir: &Path,
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<(PathBuf, PathBuf)> {
        let mut files = Vec::new();
        if !dir.is_dir() {
            return files;
        }
        if let Err(d) = self.check(dir) {
            problems.push(*d);
            return files;
        }
        let mut walk = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        while let Some(item) = walk.next() {
            let item = match item {
                Ok(item) => item,
                Err(e) => {
                    problems.push(self.walk_error(dir, &e));
                    continue;
                }
            };
            if item.path_is_symlink() {
                if let Err(d) = self.check(item.path()) {
                    problems.push(*d);
                    if item.file_type().is_dir() {
                        walk.skip_current_dir();
                    }
                    continue;
                }
            }
            if !item.file_type().is_file() {
                continue;
            }
            if let Ok(rel) = item.path().strip_prefix(dir) {
                files.push((item.path().to_path_buf(), rel.to_path_buf()));
            }
        }
        files
    }

    fn walk_error(&self, dir: &Path, e: &walkdir::Error) -> Diagnostic {
        let at = e.path().unwrap_or(dir);
        let at = at.strip_prefix(&self.given).unwrap_or(at).to_path_buf();
        let why = if e.loop_ancestor().is_some() {
            "a symbolic link here points back to a directory that contains it".to_string()
        } else {
            match e.io_error() {
                Some(io) => io.to_string(),
                None => e.to_string(),
            }
        };
        Diagnostic::error(Code::UnreadablePath, format!("cannot read: {why}"))
            .in_file(at)
            .with_hint("remove the link, or make the directory readable")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_follows_links_in_the_existing_part_only() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real");
        std::fs::create_dir(&real).unwrap();
        std::os::unix::fs::symlink(&real, tmp.path().join("link")).unwrap();
        let base = std::fs::canonicalize(tmp.path()).unwrap();
        assert_eq!(
            resolve(&tmp.path().join("link/new/../out")),
            base.join("real/out")
        );
        assert_eq!(resolve(&tmp.path().join("link")), base.join("real"));
        assert_eq!(resolve(&tmp.path().join("link/..")), base);
    }

    #[test]
    fn links_out_of_the_site_are_refused_unless_allowed() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(site.join("static/inner")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.txt"), "secret").unwrap();
        std::fs::write(site.join("static/inner/ok.txt"), "ok").unwrap();
        let link =
            |target: &Path, at: &str| std::os::unix::fs::symlink(target, site.join(at)).unwrap();
        link(&outside.join("secret.txt"), "static/leak.txt");
        link(&outside, "static/dir");
        link(&site.join("static/inner/ok.txt"), "static/same.txt");

        let mut problems = Vec::new();
        let files = Inside::new(&site, false).files_under(&site.join("static"), &mut problems);
        let rels: Vec<&Path> = files.iter().map(|(_, r)| r.as_path()).collect();
        assert_eq!(rels, [Path::new("inner/ok.txt"), Path::new("same.txt")]);
        let mut named: Vec<String> = problems.iter().map(|d| d.message.clone()).collect();
        named.sort();
        assert_eq!(named.len(), 2, "{named:?}");
        assert!(named[0].starts_with("`static/dir` leads out of the site"));
        assert!(named[1].starts_with("`static/leak.txt` leads out of the site"));
        assert!(problems.iter().all(|d| d.code == "link-outside-site"));

        let mut problems = Vec::new();
        let files = Inside::new(&site, true).files_under(&site.join("static"), &mut problems);
        assert!(problems.is_empty());
        assert_eq!(files.len(), 4);
    }
}
