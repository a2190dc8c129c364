//! Heap accounting for `--timings`.
//!
//! [`Counting`] wraps a global allocator and counts the bytes live and the
//! most live at once. The `chronicle` binary installs it when built with
//! the `heap-stats` feature; otherwise nothing is counted and every reading
//! is `None`. The counters are process-wide relaxed atomics: exact enough
//! to say which stage holds the memory, not a profiler (and they cost the
//! build some of its speed, so they are off by default).

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// Bytes allocated and not yet freed, when counted.
pub fn live() -> Option<usize> {
    COUNTING.load(Relaxed).then(|| LIVE.load(Relaxed))
}

/// The most bytes live at once since the last [`reset_peak`], when counted.
pub fn peak() -> Option<usize> {
    COUNTING.load(Relaxed).then(|| PEAK.load(Relaxed))
}

/// Starts a new peak from the bytes live now.
pub fn reset_peak() {
    PEAK.store(LIVE.load(Relaxed), Relaxed);
}

/// A global allocator that counts what `A` allocates.
pub struct Counting<A>(pub A);

fn grew(by: usize) {
    COUNTING.store(true, Relaxed);
    let now = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
}

fn shrank(by: usize) {
    LIVE.fetch_sub(by, Relaxed);
}

// SAFETY: every call is passed to `A` unchanged; only the counters are added.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { self.0.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { self.0.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { self.0.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { self.0.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        p
    }
}
