//! Stage 4, write: put the rendered site on disk without ever leaving a
//! half-written output.
//!
//! Pages go into a staging directory beside the output (same parent, so the
//! final rename is on one filesystem). Only when everything is written is the
//! previous output moved aside and the staging directory renamed into its
//! place. A failed or killed build leaves the previous output as it was;
//! leftover staging directories of killed builds are removed by the next one.
//!
//! A file whose new content equals the previous output's is not written:
//! the previous file is hard-linked into the staging directory, so it keeps
//! its inode and modification time, and rsync or an object-store sync sees
//! only the files that really changed.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};

/// How many rendered pages may wait for a writer: enough to keep the
/// writers busy, few enough that waiting pages hold little memory.
const QUEUED_PAGES: usize = 32;

/// Pages on their way to the background writers of a [`Staging`].
pub struct PageQueue {
    sender: mpsc::SyncSender<(String, String)>,
}

impl PageQueue {
    /// Queues a page for writing, waiting while the queue is full.
    pub fn send(&self, path: &str, html: String) -> io::Result<()> {
        self.sender
            .send((path.to_string(), html))
            .map_err(|_| io::Error::other("the writers stopped"))
    }
}

/// A directory being filled with a new build of the site.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    committed: bool,
    written: AtomicUsize,
    unchanged: AtomicUsize,
}

const STAGING_MARK: &str = ".chronicle-staging-";
const OLD_MARK: &str = ".chronicle-old-";

impl Staging {
    /// Creates an empty staging directory beside `output`.
    pub fn new(output: &Path) -> io::Result<Staging> {
        let parent = parent_of(output);
        fs::create_dir_all(&parent)?;
        let name = output
            .file_name()
            .ok_or_else(|| io::Error::other("the output directory has no name"))?
            .to_string_lossy()
            .into_owned();
        remove_leftovers(&parent, &name);
        let dir = parent.join(format!("{STAGING_MARK}{name}-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir(&dir)?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            committed: false,
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
        })
    }

    /// The staging directory itself.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Files written so far (new or changed).
    pub fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }

    /// Files kept from the previous output because their content is the same.
    pub fn unchanged(&self) -> usize {
        self.unchanged.load(Ordering::Relaxed)
    }

    /// Puts a file at `rel` (a `/`-separated path inside the site): the
    /// previous output's file if it has these very bytes, else a new one.
    pub fn write(&self, rel: &str, contents: &[u8]) -> io::Result<()> {
        let rel = safe_relative(rel)?;
        let path = self.dir.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        if self.keep_previous(&rel, &path, contents) {
            return Ok(());
        }
        fs::write(path, contents)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Links the previous output's file at `rel` into place if its content
    /// is `contents`; false (and nothing done) otherwise.
    fn keep_previous(&self, rel: &Path, path: &Path, contents: &[u8]) -> bool {
        let previous = self.output.join(rel);
        let same_size = fs::symlink_metadata(&previous)
            .is_ok_and(|m| m.is_file() && m.len() == contents.len() as u64);
        if same_size
            && fs::read(&previous).is_ok_and(|old| old == contents)
            && fs::hard_link(&previous, path).is_ok()
        {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return true;
        }
        false
    }

    /// Runs `produce` with a [`PageQueue`] whose pages `threads` background
    /// threads write into this staging directory; returns what `produce`
    /// returned and the pages that could not be written, once all are done.
    ///
    /// Writing apart from rendering matters on large sites: once the kernel
    /// holds a few GB of unwritten pages it makes writers wait, and a thread
    /// that waits there should not be one that could be rendering.
    pub fn write_in_background<R>(
        &self,
        threads: usize,
        produce: impl FnOnce(&PageQueue) -> R,
    ) -> (R, Vec<(String, io::Error)>) {
        let (sender, receiver) = mpsc::sync_channel::<(String, String)>(QUEUED_PAGES);
        let receiver = Mutex::new(receiver);
        let failures = Mutex::new(Vec::new());
        let result = std::thread::scope(|scope| {
            for _ in 0..threads.max(1) {
                scope.spawn(|| loop {
                    let next = receiver.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    let Ok((path, html)) = next else { break };
                    if let Err(e) = self.write(&path, html.as_bytes()) {
                        failures
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push((path, e));
                    }
                });
            }
            let queue = PageQueue { sender };
            produce(&queue)
            // The queue is dropped here, which lets the writers finish.
        });
        (
            result,
            failures.into_inner().unwrap_or_else(|e| e.into_inner()),
        )
    }

    /// Copies every file under `from` into the site at `rel`, keeping the tree.
    /// Files written earlier win over copies only if copied first.
    pub fn copy_tree(&self, from: &Path, rel: &str) -> io::Result<usize> {
        let mut copied = 0;
        if !from.is_dir() {
            return Ok(0);
        }
        for item in walkdir::WalkDir::new(from)
            .follow_links(true)
            .sort_by_file_name()
        {
            let item = item.map_err(io::Error::other)?;
            if !item.file_type().is_file() {
                continue;
            }
            let inner = item.path().strip_prefix(from).map_err(io::Error::other)?;
            let inner = Path::new(rel)
                .join(inner)
                .to_string_lossy()
                .replace('\\', "/");
            self.write(&inner, &fs::read(item.path())?)?;
            copied += 1;
        }
        Ok(copied)
    }

    /// Swaps the staging directory in as the output.
    pub fn commit(mut self) -> io::Result<()> {
        let parent = parent_of(&self.output);
        let old = parent.join(format!(
            "{OLD_MARK}{}-{}",
            self.output
                .file_name()
                .unwrap_or_default()
                .to_string_lossy(),
            std::process::id()
        ));
        let had_output = self.output.exists();
        if had_output {
            fs::rename(&self.output, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            if had_output {
                // Put the previous output back before reporting.
                let _ = fs::rename(&old, &self.output);
            }
            return Err(e);
        }
        self.committed = true;
        if had_output {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn parent_of(output: &Path) -> PathBuf {
    match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Removes staging and old directories of this output left by killed builds.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(items) = fs::read_dir(parent) else {
        return;
    };
    for item in items.flatten() {
        let file_name = item.file_name().to_string_lossy().into_owned();
        for mark in [STAGING_MARK, OLD_MARK] {
            if let Some(rest) = file_name.strip_prefix(mark) {
                let belongs = rest
                    .strip_prefix(name)
                    .and_then(|r| r.strip_prefix('-'))
                    .is_some_and(|pid| pid.chars().all(|c| c.is_ascii_digit()));
                if belongs && item.path().is_dir() {
                    let _ = fs::remove_dir_all(item.path());
                }
            }
        }
    }
}

/// A site-relative path, refused if it could leave the output directory.
pub fn safe_relative(rel: &str) -> io::Result<PathBuf> {
    let path = Path::new(rel.trim_start_matches('/'));
    if path
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        && !rel.contains('\0')
    {
        Ok(path.to_path_buf())
    } else {
        Err(io::Error::other(format!(
            "refusing to write outside the output directory: {rel}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_files_keep_their_inode_and_only_changes_are_written() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = Staging::new(&out).unwrap();
        first.write("same.html", b"same").unwrap();
        first.write("changes.html", b"one").unwrap();
        assert_eq!((first.written(), first.unchanged()), (2, 0));
        first.commit().unwrap();
        let inode = |p: &str| fs::metadata(out.join(p)).unwrap().ino();
        let (same, changes) = (inode("same.html"), inode("changes.html"));

        let second = Staging::new(&out).unwrap();
        second.write("same.html", b"same").unwrap();
        second.write("changes.html", b"two").unwrap();
        assert_eq!((second.written(), second.unchanged()), (1, 1));
        second.commit().unwrap();
        assert_eq!(inode("same.html"), same, "kept, not rewritten");
        assert_ne!(inode("changes.html"), changes);
        assert_eq!(fs::read_to_string(out.join("changes.html")).unwrap(), "two");
    }

    #[test]
    fn background_writers_write_every_page_and_report_failures() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = Staging::new(&out).unwrap();
        let (sent, failures) = staging.write_in_background(3, |queue| {
            for n in 0..200 {
                queue
                    .send(&format!("p/{n}/index.html"), format!("page {n}"))
                    .unwrap();
            }
            queue.send("../escape.html", "no".into()).unwrap();
            201
        });
        assert_eq!(sent, 201);
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].0, "../escape.html");
        assert_eq!(staging.written(), 200);
        staging.commit().unwrap();
        assert_eq!(
            fs::read_to_string(out.join("p/137/index.html")).unwrap(),
            "page 137"
        );
        assert!(!tmp.path().join("escape.html").exists());
    }

    #[test]
    fn paths_cannot_escape() {
        assert!(safe_relative("days/2022-01-26/index.html").is_ok());
        assert!(safe_relative("/index.html").is_ok());
        assert!(safe_relative("../x").is_err());
        assert!(safe_relative("a/../../x").is_err());
        assert!(safe_relative("a\0b").is_err());
    }

    #[test]
    fn commit_replaces_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("stale.html"), "old").unwrap();

        let staging = Staging::new(&out).unwrap();
        staging.write("index.html", b"new").unwrap();
        drop(staging);
        assert!(
            out.join("stale.html").exists(),
            "an abandoned build leaves the output alone"
        );
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "and no staging directory behind"
        );

        let staging = Staging::new(&out).unwrap();
        staging.write("index.html", b"new").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert!(
            !out.join("stale.html").exists(),
            "files the build did not produce are gone"
        );
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
