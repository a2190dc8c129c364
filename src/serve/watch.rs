//! Watching the site's sources for `chronicle serve`: content/,
//! templates/, themes/, static/ and site.toml, with a burst of changes
//! gathered into one batch.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher as _};

/// The directories below the root that are watched, recursively.
pub const WATCHED_DIRS: [&str; 4] = ["content", "templates", "themes", "static"];

/// How long the sources must stay quiet before a batch of changes is
/// handed on.
/// Short, as it adds to every edit's time to reload; the saves of one
/// editor's write (a temporary file, then a rename) come within it.
pub const QUIET: Duration = Duration::from_millis(10);

/// The longest a batch waits for quiet, so constant churn still rebuilds.
const MAX_WAIT: Duration = Duration::from_secs(2);

/// What the watcher thread hears.
pub enum Message {
    /// Paths that changed (one file-system event).
    Changed(Vec<PathBuf>),
    /// The watcher failed; the text says why.
    Error(String),
    /// Time to stop.
    Stop,
}

/// A file-system watcher feeding a channel.
pub struct Watcher {
    root: PathBuf,
    inner: notify::RecommendedWatcher,
    watching: [bool; 4],
}

impl Watcher {
    /// Starts watching `root`; events go to `send`.
    pub fn new(root: &Path, send: mpsc::Sender<Message>) -> notify::Result<Watcher> {
        let handler = move |event: notify::Result<notify::Event>| {
            let message = match event {
                Ok(event) if matches!(event.kind, EventKind::Access(_)) => return,
                Ok(event) => Message::Changed(event.paths),
                Err(e) => Message::Error(e.to_string()),
            };
            let _ = send.send(message);
        };
        let inner = notify::recommended_watcher(handler)?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            inner,
            watching: [false; 4],
        };
        // The root itself, not recursively: site.toml, and the watched
        // directories appearing. Watching it recursively would also watch
        // the output and anything else kept there.
        watcher.inner.watch(root, RecursiveMode::NonRecursive)?;
        watcher.watch_new_dirs();
        Ok(watcher)
    }

    /// Starts watching the watched directories that exist and are not yet
    /// watched (one created after the server started, say).
    pub fn watch_new_dirs(&mut self) {
        for (i, dir) in WATCHED_DIRS.iter().enumerate() {
            let path = self.root.join(dir);
            if !self.watching[i]
                && path.is_dir()
                && self.inner.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watching[i] = true;
            }
        }
    }

    /// Whether a change to `path` can change the site.
    pub fn relevant(&self, path: &Path) -> bool {
        relevant(&self.root, path)
    }
}

/// Whether a change to `path` can change the site at `root`: site.toml, or
/// a file under a watched directory that is not an editor's scratch file.
pub fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components();
    let Some(first) = parts.next() else {
        return false;
    };
    let first = first.as_os_str();
    if first == "site.toml" && parts.next().is_none() {
        return true;
    }
    if !WATCHED_DIRS.iter().any(|d| first == *d) {
        return false;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    !(name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913")
}

/// Waits for a relevant change, then for the sources to stay quiet for
/// [`QUIET`]; returns the changed paths, or `None` on [`Message::Stop`] or
/// when the channel closes. Watcher errors are handed to `on_error`.
pub fn next_batch(
    receive: &Receiver<Message>,
    watcher: &mut Watcher,
    on_error: &mut dyn FnMut(&str),
) -> Option<Vec<PathBuf>> {
    let mut changed: Vec<PathBuf> = Vec::new();
    let mut first: Option<Instant> = None;
    loop {
        let message = match first {
            None => receive.recv().ok()?,
            Some(start) => {
                if start.elapsed() >= MAX_WAIT {
                    return Some(changed);
                }
                match receive.recv_timeout(QUIET) {
                    Ok(message) => message,
                    Err(RecvTimeoutError::Timeout) => return Some(changed),
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
        };
        match message {
            Message::Stop => return None,
            Message::Error(e) => on_error(&e),
            Message::Changed(paths) => {
                let mut any = false;
                for path in paths {
                    if watcher.relevant(&path) {
                        any = true;
                        if !changed.contains(&path) {
                            changed.push(path);
                        }
                    }
                }
                if any {
                    // A watched directory may have just been created.
                    watcher.watch_new_dirs();
                    first.get_or_insert_with(Instant::now);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_are_relevant() {
        let root = Path::new("/site");
        for yes in [
            "/site/site.toml",
            "/site/content/articles/a.md",
            "/site/themes/default/templates/day.html",
            "/site/static/logo.png",
            "/site/templates/base.html",
        ] {
            assert!(relevant(root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/site/public/index.html",
            "/site/target/debug/x",
            "/site/site.toml~",
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/4913",
            "/elsewhere/content/a.md",
            "/site",
        ] {
            assert!(!relevant(root, Path::new(no)), "{no}");
        }
    }
}
