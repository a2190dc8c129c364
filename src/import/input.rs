//! Reading an input: sizes, and the limit that keeps a page, a device or
//! a pipe from growing without end.

use std::io::Read as _;
use std::path::Path;

/// The most bytes an input may have, unless the site or the command line
/// says otherwise: 16 MiB. A page saved as text is seldom over a few MB.
pub const DEFAULT_MAX_SIZE: u64 = 16 << 20;

/// The highest the limit on an input's size may be set: 1 GiB.
pub const LARGEST_MAX_SIZE: u64 = 1 << 30;

/// Reads a size: a number of bytes, or one with a unit, written with or
/// without a space (`64MiB`, `512 KiB`, `1.5M`, `100MB`). `K`, `KiB`, `M`,
/// `MiB`, `G`, `GiB` count in 1024s, `KB`, `MB`, `GB` in 1000s; `B` is
/// bytes. Case does not matter. A size must be at least a byte and at most
/// [`LARGEST_MAX_SIZE`].
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let unit_bytes: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "kb" => 1_000,
        "m" | "mib" => 1 << 20,
        "mb" => 1_000_000,
        "g" | "gib" => 1 << 30,
        "gb" => 1_000_000_000,
        _ => 0,
    };
    let not_a_size = || {
        format!("{trimmed:?} is not a size: give a number of bytes, or one with a unit (64MiB, 512KiB, 100MB)")
    };
    if unit_bytes == 0 || number.is_empty() {
        return Err(not_a_size());
    }
    let bytes = if number.contains('.') {
        let n: f64 = number.parse().map_err(|_| not_a_size())?;
        let bytes = (n * unit_bytes as f64).floor();
        if bytes > LARGEST_MAX_SIZE as f64 {
            u64::MAX
        } else {
            bytes as u64
        }
    } else {
        number
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(unit_bytes))
            .unwrap_or(u64::MAX)
    };
    if bytes == 0 {
        Err(format!(
            "{trimmed:?} is no size at all: give 1 byte at least"
        ))
    } else if bytes > LARGEST_MAX_SIZE {
        Err(format!(
            "{trimmed:?} is more than the largest limit, {}",
            size_text(LARGEST_MAX_SIZE)
        ))
    } else {
        Ok(bytes)
    }
}

/// A number of bytes for people: `16 MiB`, `1.5 MiB`, `300 KiB`, `12 bytes`.
pub fn size_text(bytes: u64) -> String {
    let (unit, name) = match bytes {
        b if b >= 1 << 30 => (1u64 << 30, "GiB"),
        b if b >= 1 << 20 => (1 << 20, "MiB"),
        b if b >= 1 << 10 => (1 << 10, "KiB"),
        1 => return "1 byte".into(),
        b => return format!("{b} bytes"),
    };
    if bytes.is_multiple_of(unit) {
        format!("{} {name}", bytes / unit)
    } else {
        format!("{:.1} {name}", bytes as f64 / unit as f64)
    }
}

/// Why an input was not read.
#[derive(Debug)]
pub(super) enum Unread {
    /// It is a directory.
    Directory,
    /// It holds more than the limit: its size, when known.
    TooLarge(Option<u64>),
    Failed(std::io::Error),
}

/// Reads an input of at most `limit` bytes. A larger file is refused before
/// it is read; a pipe or a device is read no further than a byte past the
/// limit, so that one that never ends (`/dev/zero`) is refused too.
pub(super) fn read_input(path: &Path, limit: u64) -> Result<Vec<u8>, Unread> {
    let meta = std::fs::metadata(path).map_err(Unread::Failed)?;
    if meta.is_dir() {
        return Err(Unread::Directory);
    }
    let file_size = meta.is_file().then_some(meta.len());
    if file_size.is_some_and(|size| size > limit) {
        return Err(Unread::TooLarge(file_size));
    }
    let file = std::fs::File::open(path).map_err(Unread::Failed)?;
    // Room for a byte more than a file holds: finding its end then needs no
    // more memory.
    let capacity = file_size.map_or(64 << 10, |size| size.saturating_add(1));
    let mut bytes = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Unread::Failed)?;
    if bytes.len() as u64 > limit {
        // A file that grew since its size was asked: its size is unknown.
        return Err(Unread::TooLarge(None));
    }
    Ok(bytes)
}
