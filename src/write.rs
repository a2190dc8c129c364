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

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{self, Read, Write};
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
///
/// Making one claims the output directory: it takes the output's lock (so
/// two builds of one output exclude each other), puts back a previous
/// output that a killed build left moved aside, removes what killed builds
/// left, and refuses an output directory that chronicle did not make.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    committed: bool,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    /// Directories made so far (relative), so each is made once: a site of
    /// many pages would otherwise ask for its parents again with every file.
    made: Mutex<HashSet<PathBuf>>,
    /// Files and bytes by kind of file, as [`OutputFigures`].
    figures: Mutex<BTreeMap<&'static str, KindFigures>>,
    /// Held until the staging directory is committed or dropped.
    _lock: OutputLock,
}

/// The buffer a streamed file is written through.
const STREAM_BUFFER: usize = 1 << 20;

/// Whether files `a` and `b`, each said to be `len` bytes long, hold the
/// same bytes, read a block at a time.
fn same_contents(a: &Path, b: &Path, len: u64) -> io::Result<bool> {
    let (mut a, mut b) = (fs::File::open(a)?, fs::File::open(b)?);
    let (mut x, mut y) = (vec![0; STREAM_BUFFER], vec![0; STREAM_BUFFER]);
    let mut left = len;
    while left > 0 {
        let n = left.min(STREAM_BUFFER as u64) as usize;
        a.read_exact(&mut x[..n])?;
        b.read_exact(&mut y[..n])?;
        if x[..n] != y[..n] {
            return Ok(false);
        }
        left -= n as u64;
    }
    Ok(true)
}

const STAGING_MARK: &str = ".chronicle-staging-";
const OLD_MARK: &str = ".chronicle-old-";
const LOCK_MARK: &str = ".chronicle-lock-";

/// The file every output directory chronicle writes holds, so that a later
/// build knows the directory is its own to replace.
pub const OUTPUT_MARKER: &str = ".chronicle-output";
const MARKER_TEXT: &str =
    "This directory is the output of `chronicle build`, which replaces it whole on every build.\n";

/// Why an output directory cannot be written.
#[derive(Debug)]
pub enum OutputError {
    /// Another build of the same output is running; its process id, when known.
    Busy { lock: PathBuf, pid: Option<u32> },
    /// The directory holds files and was not made by chronicle; some of them.
    NotOurs { dir: PathBuf, examples: Vec<String> },
    /// The path names something that is not a directory.
    NotADirectory { path: PathBuf },
    /// The directory to hold the output could not be made (a file stands
    /// in its way, say).
    NoParent { path: PathBuf, error: io::Error },
    /// The file system refused.
    Io { path: PathBuf, error: io::Error },
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Busy { lock, pid } => {
                write!(
                    f,
                    "another build is writing this output (lock {}",
                    lock.display()
                )?;
                match pid {
                    Some(pid) => write!(f, ", held by process {pid})"),
                    None => write!(f, ")"),
                }
            }
            OutputError::NotOurs { dir, examples } => write!(
                f,
                "{} holds files chronicle did not write ({})",
                dir.display(),
                examples.join(", ")
            ),
            OutputError::NotADirectory { path } => {
                write!(f, "{} exists and is not a directory", path.display())
            }
            OutputError::NoParent { path, error } => write!(
                f,
                "cannot make {}, the directory to hold the output: {error}",
                path.display()
            ),
            OutputError::Io { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |error| OutputError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Files and bytes of one kind of output file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindFigures {
    pub files: usize,
    pub bytes: u64,
}

/// The output by kind of file ([`file_kind`]), in the kinds' order, for
/// `--timings`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputFigures(pub Vec<(&'static str, KindFigures)>);

impl OutputFigures {
    /// All kinds together.
    pub fn total(&self) -> KindFigures {
        self.0
            .iter()
            .fold(KindFigures::default(), |sum, (_, k)| KindFigures {
                files: sum.files + k.files,
                bytes: sum.bytes + k.bytes,
            })
    }
}

/// The kind of an output file at site path `rel`, for the figures of a
/// build: each kind of page by its section (`days`, `day`, `article`, ...),
/// `feeds`, `data` (the exports and the search index), `sitemap` (with
/// robots.txt) and `static` for anything else.
pub fn file_kind(rel: &str) -> &'static str {
    use crate::urls::PageKind;
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name == crate::urls::ATOM_FEED || name == crate::urls::JSON_FEED {
        return "feeds";
    }
    if rel.starts_with("sitemap") || rel == "robots.txt" {
        return "sitemap";
    }
    // The exports and the search index (its fragments are scripts).
    if rel.ends_with(".json") || (rel.starts_with("search/") && rel.ends_with(".js")) {
        return "data";
    }
    match PageKind::of_path(rel) {
        Some(kind) => match kind {
            PageKind::Home => "page: home",
            PageKind::Day => "page: day",
            PageKind::Thread => "page: thread",
            PageKind::Actor => "page: actor",
            PageKind::Topic => "page: topic",
            PageKind::Article => "page: article",
            PageKind::Standalone => "page: standalone",
            _ => "page: index",
        },
        None => "static",
    }
}

impl Staging {
    /// Claims `output` (resolved through symbolic links) and creates an
    /// empty staging directory beside it. `take_over` allows replacing a
    /// directory that holds files chronicle did not write.
    pub fn new(output: &Path, take_over: bool) -> Result<Staging, OutputError> {
        let output = crate::paths::resolve(output);
        let parent = parent_of(&output);
        let name = output
            .file_name()
            .ok_or_else(|| OutputError::NotADirectory {
                path: output.clone(),
            })?
            .to_string_lossy()
            .into_owned();
        fs::create_dir_all(&parent).map_err(|error| OutputError::NoParent {
            path: parent.clone(),
            error,
        })?;
        let lock = OutputLock::take(&parent.join(format!("{LOCK_MARK}{name}")))?;
        // Holding the lock, no other build of this output is alive: what its
        // kind left behind is from killed builds.
        restore_moved_aside(&parent, &name, &output);
        remove_leftovers(&parent, &name);
        check_ours(&output, take_over)?;
        let dir = parent.join(format!("{STAGING_MARK}{name}-{}", std::process::id()));
        fs::create_dir(&dir).map_err(io_at(&dir))?;
        let staging = Staging {
            output,
            dir,
            committed: false,
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            made: Mutex::new(HashSet::new()),
            figures: Mutex::new(BTreeMap::new()),
            _lock: lock,
        };
        staging
            .write(OUTPUT_MARKER, MARKER_TEXT.as_bytes())
            .map_err(io_at(&staging.dir))?;
        Ok(staging)
    }

    /// The output directory, resolved through symbolic links.
    pub fn output(&self) -> &Path {
        &self.output
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
    pub fn write(&self, rel_text: &str, contents: &[u8]) -> io::Result<()> {
        let (rel, path) = self.place(rel_text)?;
        self.count(rel_text, contents.len());
        if self.keep_previous(&rel, &path, contents) {
            return Ok(());
        }
        // One write of the whole file (std's fs::write loops only on a
        // short write).
        fs::write(path, contents)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Puts a file at `rel` as `produce` writes it, never holding it whole:
    /// for files larger than a page (a large chronicle's `chronicle.json`).
    /// When it comes out the same as the previous output's file, that file
    /// is linked into place instead, as [`Staging::write`] does.
    pub fn write_streamed(
        &self,
        rel_text: &str,
        produce: &dyn Fn(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let (rel, path) = self.place(rel_text)?;
        let mut file = io::BufWriter::with_capacity(STREAM_BUFFER, fs::File::create(&path)?);
        produce(&mut file)?;
        let file = file.into_inner().map_err(|e| e.into_error())?;
        let len = file.metadata()?.len();
        drop(file);
        self.count(rel_text, len as usize);
        let previous = self.output.join(&rel);
        let same_size =
            fs::symlink_metadata(&previous).is_ok_and(|m| m.is_file() && m.len() == len);
        if same_size && same_contents(&previous, &path, len).unwrap_or(false) {
            // Linked beside, then renamed over: the new file stays unless
            // the link is made.
            let link = path.with_extension("chronicle-link");
            if fs::hard_link(&previous, &link).is_ok() && fs::rename(&link, &path).is_ok() {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
            let _ = fs::remove_file(&link);
        }
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Where the file at `rel_text` goes: its checked relative path and its
    /// path in the staging directory, whose directory is made.
    fn place(&self, rel_text: &str) -> io::Result<(PathBuf, PathBuf)> {
        let rel = safe_relative(rel_text)?;
        let path = self.dir.join(&rel);
        if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
            self.make_dir(parent)?;
        }
        Ok((rel, path))
    }

    /// Makes the directory `rel` of the staging directory and its parents,
    /// unless this build made it already.
    fn make_dir(&self, rel: &Path) -> io::Result<()> {
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        if made.contains(rel) {
            return Ok(());
        }
        fs::create_dir_all(self.dir.join(rel))?;
        for ancestor in rel.ancestors().filter(|a| !a.as_os_str().is_empty()) {
            if !made.insert(ancestor.to_path_buf()) {
                break;
            }
        }
        Ok(())
    }

    fn count(&self, rel: &str, bytes: usize) {
        let mut figures = self.figures.lock().unwrap_or_else(|e| e.into_inner());
        let kind = figures.entry(file_kind(rel)).or_default();
        kind.files += 1;
        kind.bytes += bytes as u64;
    }

    /// Files and bytes of the output so far, by kind of file.
    pub fn figures(&self) -> OutputFigures {
        OutputFigures(
            self.figures
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .map(|(kind, figures)| (*kind, *figures))
                .collect(),
        )
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

    /// Copies `files` (each a path on disk and its `/`-separated place in
    /// the site) into the site; returns how many were copied. Later files
    /// replace earlier ones at the same place.
    pub fn copy_files(&self, files: &[(PathBuf, String)]) -> io::Result<usize> {
        for (from, rel) in files {
            self.write(rel, &fs::read(from)?)?;
        }
        Ok(files.len())
    }

    /// Swaps the staging directory in as the output, atomically where the
    /// system can exchange two directories in one step (Linux); elsewhere
    /// the previous output is moved aside first, and put back by the next
    /// build if this one is killed between the two moves.
    pub fn commit(mut self) -> io::Result<()> {
        let had_output = fs::symlink_metadata(&self.output).is_ok();
        if had_output && exchange(&self.dir, &self.output)? {
            // The staging directory's name now holds the previous output.
            self.committed = true;
            remove_tree(&self.dir)?;
            return Ok(());
        }
        let old = parent_of(&self.output).join(format!(
            "{OLD_MARK}{}-{}",
            self.output
                .file_name()
                .unwrap_or_default()
                .to_string_lossy(),
            std::process::id()
        ));
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
            remove_tree(&old)?;
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

/// Exchanges two directories in one atomic step; false when the system or
/// file system cannot, and nothing was done.
/// Removes the directory `dir` and everything in it, in parallel: the
/// previous output of a large site is tens of thousands
/// of files, and unlinking them one after another took a fifth of a build.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries.par_iter().try_for_each(|entry| {
        let path = entry.path();
        // Not followed: a link is removed, never what it points to.
        if entry.file_type()?.is_dir() {
            remove_tree(&path)
        } else {
            fs::remove_file(&path)
        }
    })?;
    fs::remove_dir(dir)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

fn parent_of(output: &Path) -> PathBuf {
    match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The directories of this output that builds made, by mark: `(mark, path)`.
fn leftovers(parent: &Path, name: &str) -> Vec<(&'static str, PathBuf)> {
    let Ok(items) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for item in items.flatten() {
        let file_name = item.file_name().to_string_lossy().into_owned();
        for mark in [STAGING_MARK, OLD_MARK] {
            let belongs = file_name
                .strip_prefix(mark)
                .and_then(|rest| rest.strip_prefix(name))
                .and_then(|r| r.strip_prefix('-'))
                .is_some_and(|pid| !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit()));
            let is_dir = item.file_type().is_ok_and(|t| t.is_dir());
            if belongs && is_dir {
                found.push((mark, item.path()));
            }
        }
    }
    found.sort();
    found
}

/// Puts back the previous output that a build killed between its two moves
/// left moved aside (only where no atomic exchange was possible).
fn restore_moved_aside(parent: &Path, name: &str, output: &Path) {
    if fs::symlink_metadata(output).is_ok() {
        return;
    }
    if let Some((_, old)) = leftovers(parent, name)
        .into_iter()
        .find(|(mark, _)| *mark == OLD_MARK)
    {
        let _ = fs::rename(old, output);
    }
}

/// Removes staging and old directories of this output left by killed
/// builds. Called only with the output's lock held.
fn remove_leftovers(parent: &Path, name: &str) {
    for (_, dir) in leftovers(parent, name) {
        let _ = fs::remove_dir_all(dir);
    }
}

/// How many of a foreign directory's entries an error names.
const EXAMPLES: usize = 3;

/// Refuses an output that chronicle may not replace: anything but an absent
/// or empty directory, or one holding chronicle's marker (or any directory
/// with `take_over`); a file is never replaced.
fn check_ours(output: &Path, take_over: bool) -> Result<(), OutputError> {
    let meta = match fs::symlink_metadata(output) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_at(output)(e)),
    };
    if !meta.is_dir() {
        return Err(OutputError::NotADirectory {
            path: output.to_path_buf(),
        });
    }
    if take_over || fs::symlink_metadata(output.join(OUTPUT_MARKER)).is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    let mut names: Vec<String> = fs::read_dir(output)
        .map_err(io_at(output))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    let more = names.len().saturating_sub(EXAMPLES);
    names.truncate(EXAMPLES);
    if more > 0 {
        names.push(format!("and {more} more"));
    }
    Err(OutputError::NotOurs {
        dir: output.to_path_buf(),
        examples: names,
    })
}

/// The lock of one output directory, held for a whole build: a file beside
/// the output, locked with the system's advisory lock and holding the
/// process id. Removed when released.
#[derive(Debug)]
struct OutputLock {
    path: PathBuf,
    file: fs::File,
}

impl OutputLock {
    /// Takes the lock at `path`, or says who holds it; never waits.
    fn take(path: &Path) -> Result<OutputLock, OutputError> {
        use std::io::{Read, Seek, Write};
        loop {
            let mut options = fs::OpenOptions::new();
            options.read(true).write(true).create(true).truncate(false);
            // A link planted at the lock's name must not make us truncate
            // whatever it points to.
            #[cfg(target_os = "linux")]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
            }
            let mut file = options.open(path).map_err(io_at(path))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    let mut text = String::new();
                    let _ = file.read_to_string(&mut text);
                    return Err(OutputError::Busy {
                        lock: path.to_path_buf(),
                        pid: text.trim().parse().ok(),
                    });
                }
                Err(fs::TryLockError::Error(e)) => return Err(io_at(path)(e)),
            }
            // The holder before us removes the file as it lets go: if we
            // locked a file no longer at `path`, try again with the new one.
            if !same_file(&file, path) {
                continue;
            }
            let write_pid = file
                .set_len(0)
                .and_then(|()| file.rewind())
                .and_then(|()| writeln!(file, "{}", std::process::id()));
            write_pid.map_err(io_at(path))?;
            return Ok(OutputLock {
                path: path.to_path_buf(),
                file,
            });
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked; the lock goes with the file handle.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.ino() == b.ino() && a.dev() == b.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &fs::File, path: &Path) -> bool {
    path.exists()
}

/// The longest file or directory name file systems commonly allow, in bytes.
pub const MAX_NAME: usize = 255;

/// A site-relative path, refused if it could leave the output directory or
/// has a name longer than file systems allow. `check` asks this of every
/// page too, so that it fails where `build` would.
pub fn safe_relative(rel: &str) -> io::Result<PathBuf> {
    let path = Path::new(rel.trim_start_matches('/'));
    if !path
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        || rel.contains('\0')
    {
        return Err(io::Error::other(format!(
            "refusing to write outside the output directory: {rel}"
        )));
    }
    if let Some(long) = rel.split('/').find(|name| name.len() > MAX_NAME) {
        return Err(io::Error::other(format!(
            "a name in this path is {} bytes long, more than the {MAX_NAME} file systems allow: {long}",
            long.len()
        )));
    }
    Ok(path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_counted_by_kind_and_each_directory_made_once() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::new(&tmp.path().join("public"), false).unwrap();
        staging.write("days/2022-01-26/index.html", b"day").unwrap();
        staging
            .write("days/2022-01-27/index.html", b"next")
            .unwrap();
        staging
            .write("days/2022-01-27/feed.xml", b"<feed/>")
            .unwrap();
        staging.write("chronicle.json", b"{}").unwrap();
        let made = staging.made.lock().unwrap().clone();
        let expected: HashSet<PathBuf> = ["days", "days/2022-01-26", "days/2022-01-27"]
            .iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(made, expected);
        let figures = staging.figures();
        let kind = |name: &str| figures.0.iter().find(|(k, _)| *k == name).unwrap().1;
        assert_eq!(kind("page: day"), KindFigures { files: 2, bytes: 7 });
        assert_eq!(kind("feeds"), KindFigures { files: 1, bytes: 7 });
        assert_eq!(kind("data"), KindFigures { files: 1, bytes: 2 });
        // The marker file counts as static.
        assert_eq!(figures.total().files, 5);
        assert!(tmp.path().read_dir().unwrap().count() > 0);
    }

    #[test]
    fn a_tree_is_removed_whole_and_links_in_it_are_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        fs::create_dir(&outside).unwrap();
        fs::write(outside.join("keep.txt"), "mine").unwrap();
        let tree = tmp.path().join("old");
        for d in ["days/2022-01-26", "articles/a/b", "empty"] {
            fs::create_dir_all(tree.join(d)).unwrap();
        }
        for (i, f) in [
            "index.html",
            "days/2022-01-26/index.html",
            "articles/a/b/x.html",
        ]
        .iter()
        .enumerate()
        {
            fs::write(tree.join(f), i.to_string()).unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, tree.join("days/link")).unwrap();
        remove_tree(&tree).unwrap();
        assert!(!tree.exists());
        assert_eq!(
            fs::read_to_string(outside.join("keep.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn each_output_file_has_its_kind() {
        for (path, kind) in [
            ("index.html", "page: home"),
            ("days/index.html", "page: index"),
            ("threads/talks/page/2/index.html", "page: thread"),
            ("articles/ap/index.html", "page: article"),
            ("actors/lavrov/feed.json", "feeds"),
            ("feed.xml", "feeds"),
            ("search/t/12.js", "data"),
            ("search.js", "static"),
            ("timeline.json", "data"),
            ("sitemap.xml", "sitemap"),
            ("robots.txt", "sitemap"),
            ("style.css", "static"),
            ("404.html", "page: index"),
        ] {
            assert_eq!(file_kind(path), kind, "{path}");
        }
    }

    #[test]
    fn unchanged_files_keep_their_inode_and_only_changes_are_written() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = Staging::new(&out, false).unwrap();
        first.write("same.html", b"same").unwrap();
        first.write("changes.html", b"one").unwrap();
        assert_eq!(
            (first.written(), first.unchanged()),
            (3, 0),
            "two pages and the marker"
        );
        first.commit().unwrap();
        let inode = |p: &str| fs::metadata(out.join(p)).unwrap().ino();
        let (same, changes) = (inode("same.html"), inode("changes.html"));

        let second = Staging::new(&out, false).unwrap();
        second.write("same.html", b"same").unwrap();
        second.write("changes.html", b"two").unwrap();
        assert_eq!((second.written(), second.unchanged()), (1, 2));
        second.commit().unwrap();
        assert_eq!(inode("same.html"), same, "kept, not rewritten");
        assert_ne!(inode("changes.html"), changes);
        assert_eq!(fs::read_to_string(out.join("changes.html")).unwrap(), "two");
    }

    #[test]
    fn streamed_files_are_written_as_made_and_kept_when_unchanged() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        // Larger than the buffer, so the comparison reads several blocks;
        // the second build changes only the last byte.
        let big: Vec<u8> = (0..STREAM_BUFFER * 2 + 7)
            .map(|i| (i % 251) as u8)
            .collect();
        let mut changed = big.clone();
        *changed.last_mut().unwrap() ^= 1;
        let put = |staging: &Staging, rel: &str, bytes: &[u8]| {
            staging
                .write_streamed(rel, &|w: &mut dyn Write| w.write_all(bytes))
                .unwrap()
        };
        let first = Staging::new(&out, false).unwrap();
        put(&first, "data/same.json", &big);
        put(&first, "data/changes.json", &big);
        first.commit().unwrap();
        let inode = |p: &str| fs::metadata(out.join(p)).unwrap().ino();
        let (same, changes) = (inode("data/same.json"), inode("data/changes.json"));

        let second = Staging::new(&out, false).unwrap();
        put(&second, "data/same.json", &big);
        put(&second, "data/changes.json", &changed);
        assert_eq!(
            (second.written(), second.unchanged()),
            (1, 2),
            "one file and the marker kept"
        );
        let data = second
            .figures()
            .0
            .into_iter()
            .find(|(kind, _)| *kind == "data");
        let data = data.expect("counted as data").1;
        assert_eq!((data.files, data.bytes), (2, 2 * big.len() as u64));
        // A failure of the producer is the write's failure.
        let failed = second.write_streamed("data/broken.json", &|_: &mut dyn Write| {
            Err(io::Error::other("no"))
        });
        assert!(failed.is_err());
        second.commit().unwrap();
        assert_eq!(inode("data/same.json"), same, "kept, not rewritten");
        assert_ne!(inode("data/changes.json"), changes);
        assert_eq!(fs::read(out.join("data/changes.json")).unwrap(), changed);
        assert!(!out.join("data/same.chronicle-link").exists());
    }

    #[test]
    fn background_writers_write_every_page_and_report_failures() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = Staging::new(&out, false).unwrap();
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
        assert_eq!(staging.written(), 201, "the pages and the marker");
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
        assert!(safe_relative(&format!("a/{}/index.html", "x".repeat(255))).is_ok());
        assert!(safe_relative(&format!("a/{}/index.html", "x".repeat(256))).is_err());
    }

    #[test]
    fn commit_replaces_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = Staging::new(&out, false).unwrap();
        staging.write("stale.html", b"old").unwrap();
        staging.commit().unwrap();

        let staging = Staging::new(&out, false).unwrap();
        staging.write("index.html", b"new").unwrap();
        drop(staging);
        assert!(
            out.join("stale.html").exists(),
            "an abandoned build leaves the output alone"
        );
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "and no staging directory or lock behind"
        );

        let staging = Staging::new(&out, false).unwrap();
        staging.write("index.html", b"new").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert!(
            !out.join("stale.html").exists(),
            "files the build did not produce are gone"
        );
        assert!(out.join(OUTPUT_MARKER).is_file());
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_directory_chronicle_did_not_make_is_refused_and_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let docs = tmp.path().join("docs");
        fs::create_dir(&docs).unwrap();
        fs::write(docs.join("notes.txt"), "mine").unwrap();
        match Staging::new(&docs, false) {
            Err(OutputError::NotOurs { examples, .. }) => assert_eq!(examples, ["notes.txt"]),
            other => panic!("{other:?}"),
        }
        assert_eq!(fs::read_to_string(docs.join("notes.txt")).unwrap(), "mine");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "nothing beside it"
        );

        // An empty directory is fine; so is any, taken over on request.
        let empty = tmp.path().join("empty");
        fs::create_dir(&empty).unwrap();
        Staging::new(&empty, false).unwrap().commit().unwrap();
        let staging = Staging::new(&docs, true).unwrap();
        staging.write("index.html", b"site").unwrap();
        staging.commit().unwrap();
        assert!(!docs.join("notes.txt").exists());
        Staging::new(&docs, false).expect("now chronicle's own");
    }

    #[test]
    fn a_file_is_never_an_output_and_is_not_moved() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("report.pdf");
        fs::write(&file, "pdf").unwrap();
        for take_over in [false, true] {
            assert!(matches!(
                Staging::new(&file, take_over),
                Err(OutputError::NotADirectory { .. })
            ));
        }
        assert_eq!(fs::read_to_string(&file).unwrap(), "pdf");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_where_the_outputs_directory_should_be_is_named() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("afile"), "x").unwrap();
        match Staging::new(&tmp.path().join("afile/site"), false) {
            Err(e @ OutputError::NoParent { .. }) => {
                assert!(
                    e.to_string().contains("the directory to hold the output"),
                    "{e}"
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(fs::read_to_string(tmp.path().join("afile")).unwrap(), "x");
    }

    #[test]
    fn one_build_at_a_time_and_the_holder_is_named() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = Staging::new(&out, false).unwrap();
        match Staging::new(&out, false) {
            Err(OutputError::Busy { pid, .. }) => assert_eq!(pid, Some(std::process::id())),
            other => panic!("{other:?}"),
        }
        assert!(first.dir().is_dir(), "the live build's staging is kept");
        first.commit().unwrap();
        Staging::new(&out, false).expect("free again once committed");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_link_at_the_locks_name_is_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim.txt");
        fs::write(&victim, "precious").unwrap();
        std::os::unix::fs::symlink(&victim, tmp.path().join(format!("{LOCK_MARK}public"))).unwrap();
        assert!(Staging::new(&tmp.path().join("public"), false).is_err());
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    }

    #[test]
    fn an_output_left_moved_aside_is_put_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = Staging::new(&out, false).unwrap();
        staging.write("index.html", b"v1").unwrap();
        staging.commit().unwrap();
        // A build killed between its two moves (where no exchange exists).
        let aside = tmp.path().join(format!("{OLD_MARK}public-99999"));
        fs::rename(&out, &aside).unwrap();
        fs::create_dir(tmp.path().join(format!("{STAGING_MARK}public-99999"))).unwrap();
        let staging = Staging::new(&out, false).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "v1");
        drop(staging);
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "leftovers removed"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_swap_is_one_atomic_exchange() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(a.join("x"), "a").unwrap();
        fs::write(b.join("x"), "b").unwrap();
        if exchange(&a, &b).unwrap() {
            assert_eq!(fs::read_to_string(a.join("x")).unwrap(), "b");
            assert_eq!(fs::read_to_string(b.join("x")).unwrap(), "a");
        }
    }
}
